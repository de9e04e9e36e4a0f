//! Byte offsets (what spans hold) ↔ LSP positions (line and UTF-16 column, what clients send).

use fgl_syntax::{LineIndex, Span};
use tower_lsp_server::ls_types::{Position, Range};

/// The byte offset of an LSP position in `text`. A line past the end maps to the end of the
/// text, a column past the end of its line to the line's end, and a column in the middle of a
/// surrogate pair to the character's start: clients may send any position.
pub fn offset(text: &str, index: &LineIndex, pos: Position) -> usize {
    let line = pos.line as usize;
    if line >= index.line_count() {
        return text.len();
    }
    let start = index.line_start(line);
    let mut units = 0u32;
    for (i, c) in text[start..].char_indices() {
        if c == '\n' || units >= pos.character {
            return start + i;
        }
        units += c.len_utf16() as u32;
        if units > pos.character {
            return start + i;
        }
    }
    text.len()
}

pub fn position(text: &str, index: &LineIndex, offset: usize) -> Position {
    let at = index.utf16_col(text, offset);
    Position::new(at.line, at.column)
}

pub fn range(text: &str, index: &LineIndex, span: Span) -> Range {
    Range::new(
        position(text, index, span.start as usize),
        position(text, index, span.end as usize),
    )
}

/// The whole text, for edits that replace it.
pub fn whole(text: &str, index: &LineIndex) -> Range {
    Range::new(Position::new(0, 0), position(text, index, text.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_utf16_columns() {
        let text = "a = \"😀é\"\nb = 1\n";
        let index = LineIndex::new(text);
        for (offset, _) in text.char_indices() {
            let pos = position(text, &index, offset);
            assert_eq!(super::offset(text, &index, pos), offset, "at {offset}");
        }
        // The emoji is two UTF-16 units: the closing `"` is at column 8.
        let quote = text.rfind('"').unwrap_or_default();
        assert_eq!(position(text, &index, quote), Position::new(0, 8));
    }

    #[test]
    fn clamps_positions_outside_the_text() {
        let text = "ab\ncd";
        let index = LineIndex::new(text);
        assert_eq!(offset(text, &index, Position::new(0, 99)), 2);
        assert_eq!(offset(text, &index, Position::new(9, 0)), text.len());
        // Inside the surrogate pair of an emoji: the emoji's start.
        let text = "😀x";
        let index = LineIndex::new(text);
        assert_eq!(offset(text, &index, Position::new(0, 1)), 0);
    }
}
