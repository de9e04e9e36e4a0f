//! Source positions: every AST node and diagnostic carries a [`Span`] (file id + byte range).

use std::ops::Range;

/// Identifies one source file within a run (the CLI and the LSP assign them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range `start..end` in the file `file`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Self {
        Span {
            file,
            start: start as u32,
            end: end as u32,
        }
    }

    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The smallest span covering both (same file assumed).
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// The empty span at the start of this one.
    pub fn start_point(self) -> Span {
        Span {
            end: self.start,
            ..self
        }
    }

    /// The empty span at the end of this one.
    pub fn end_point(self) -> Span {
        Span {
            start: self.end,
            ..self
        }
    }

    /// The span of an empty match between two tokens comes out inverted (`end < start`: from
    /// after the gap back to its start); this makes it the empty span where the gap begins.
    pub fn ordered(self) -> Span {
        if self.start > self.end {
            Span {
                start: self.end,
                ..self
            }
        } else {
            self
        }
    }

    pub fn contains(self, offset: usize) -> bool {
        (self.start as usize) <= offset && offset < (self.end as usize)
    }
}

impl chumsky::span::Span for Span {
    type Context = FileId;
    type Offset = usize;

    fn new(context: FileId, range: Range<usize>) -> Self {
        Span::new(context, range.start, range.end)
    }
    fn context(&self) -> FileId {
        self.file
    }
    fn start(&self) -> usize {
        self.start as usize
    }
    fn end(&self) -> usize {
        self.end as usize
    }
}

/// A 0-based line and column. `column` counts characters (Unicode scalar values), which is what
/// people and the JSON output use; the LSP asks for UTF-16 units with [`LineIndex::utf16_col`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// Maps byte offsets of one source text to lines and columns.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset of the start of every line.
    line_starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { line_starts }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The 0-based line containing `offset` (offsets past the end map to the last line).
    pub fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(line) => line,
            Err(next) => next - 1,
        }
    }

    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts.get(line).copied().unwrap_or(0)
    }

    /// 0-based line and character column of `offset` in `text` (clamped to the text, and to
    /// the nearest character boundary at or before it).
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.line_start(line);
        LineCol {
            line: line as u32,
            column: text[start..offset].chars().count() as u32,
        }
    }

    /// The column of `offset` in UTF-16 code units (for the LSP).
    pub fn utf16_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.line_of(offset);
        let start = self.line_start(line);
        LineCol {
            line: line as u32,
            column: text[start..offset].encode_utf16().count() as u32,
        }
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "a = \"é✓\"\nbé = 1\n";
        let index = LineIndex::new(text);
        let b_eq = text.find(" = 1").unwrap();
        assert_eq!(index.line_col(text, b_eq), LineCol { line: 1, column: 2 });
        let close_quote = text.rfind('"').unwrap();
        assert_eq!(
            index.line_col(text, close_quote),
            LineCol { line: 0, column: 7 }
        );
    }

    #[test]
    fn utf16_columns_count_surrogate_pairs() {
        let text = "\"😀\" x";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(index.line_col(text, x).column, 4);
        assert_eq!(index.utf16_col(text, x).column, 5);
    }
}
