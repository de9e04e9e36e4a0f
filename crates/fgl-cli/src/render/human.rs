//! Diagnostics as ariadne reports:
//!
//! ```text
//! error[E0101]: unclosed `{`: expected `}`
//!    ╭─[ app.fgl:1:7 ]
//! ...
//! ```
//!
//! Our spans are byte offsets; ariadne (in its default `IndexType::Char` mode) wants character
//! offsets, so every span is converted here. (Its `IndexType::Byte` mode slices lines at the byte
//! offsets it is given and panics on one that is not a character boundary.)

use std::collections::HashMap;
use std::io::{self, Write};
use std::ops::Range;

use ariadne::{Color, Config, Label, Report, ReportKind, Source};
use fgl_syntax::{Diagnostic, FileId, Severity};

use super::Style;
use crate::files::{SourceFile, SourceMap};

/// Renders diagnostics of the files in a [`SourceMap`], caching what ariadne needs per file.
pub struct HumanRenderer<'a> {
    files: &'a SourceMap,
    style: Style,
    cache: HashMap<FileId, Prepared>,
}

/// One file as ariadne sees it.
struct Prepared {
    source: Source<String>,
    /// Character offset of the start of every line (as `LineIndex` counts lines).
    line_chars: Vec<usize>,
}

impl<'a> HumanRenderer<'a> {
    pub fn new(files: &'a SourceMap, style: Style) -> Self {
        HumanRenderer {
            files,
            style,
            cache: HashMap::new(),
        }
    }

    /// Writes one report. A diagnostic whose file is unknown (a bug elsewhere) is still shown,
    /// as its header line.
    pub fn render(&mut self, diagnostic: &Diagnostic, out: &mut impl Write) -> io::Result<()> {
        let header = self.header(diagnostic);
        let file_id = diagnostic.primary.span.file;
        let Some(file) = self.files.get(file_id) else {
            return writeln!(out, "{header}");
        };
        let files = self.files;
        let cache = &mut self.cache;
        let mut span = |s: fgl_syntax::Span| -> CharSpan {
            // A label may point into another file (a field declared in the standard library):
            // ariadne shows it with that file's source. An unknown file falls back to the
            // primary span.
            let (id, s, source) = match files.get(s.file) {
                Some(source) => (s.file, s, source),
                None => (file_id, diagnostic.primary.span, file),
            };
            let prepared = cache.entry(id).or_insert_with(|| Prepared::new(source));
            CharSpan(id, prepared.char_range(source, s.range()))
        };
        let primary_span = span(diagnostic.primary.span);
        let label_spans: Vec<CharSpan> = diagnostic.labels.iter().map(|l| span(l.span)).collect();

        let (kind, color) = match diagnostic.severity {
            Severity::Error => (ReportKind::Error, Color::Red),
            Severity::Warning => (ReportKind::Warning, Color::Yellow),
        };
        let primary_message = if diagnostic.primary.message.is_empty() {
            &diagnostic.message
        } else {
            &diagnostic.primary.message
        };
        // ariadne starts a new section whenever a label lies above the one before it, so
        // order labels by position: the primary's file first, then other files.
        // On one line, the primary comes first.
        let rank = {
            let primary = diagnostic.primary.span;
            let key = move |s: fgl_syntax::Span| {
                let line = files
                    .get(s.file)
                    .map_or(0, |f| f.lines.line_of(s.start as usize));
                (
                    s.file != file_id,
                    s.file,
                    line,
                    s != primary,
                    s.start,
                    s.end,
                )
            };
            let mut keys: Vec<_> = std::iter::once(primary)
                .chain(diagnostic.labels.iter().map(|l| l.span))
                .map(key)
                .collect();
            keys.sort_unstable();
            move |s: fgl_syntax::Span| keys.binary_search(&key(s)).unwrap_or_default() as i32
        };
        let mut primary = Label::new(primary_span.clone())
            .with_message(one_line(primary_message))
            .with_order(rank(diagnostic.primary.span))
            .with_priority(1);
        // ariadne colors labels whatever its config says, so only ask for colors when wanted.
        if self.style.color {
            primary = primary.with_color(color);
        }
        let mut report = Report::build(kind, primary_span)
            .with_config(Config::default().with_color(self.style.color))
            .with_label(primary);
        for (label, label_span) in diagnostic.labels.iter().zip(label_spans) {
            let mut l = Label::new(label_span).with_order(rank(label.span));
            if !label.message.is_empty() {
                l = l.with_message(one_line(&label.message));
            }
            if self.style.color {
                l = l.with_color(Color::Blue);
            }
            report = report.with_label(l);
        }
        if let Some(help) = &diagnostic.help {
            report = report.with_help(help);
        }

        let mut buf = Vec::new();
        report.finish().write(&mut *self, &mut buf)?;
        // ariadne's header reads `Error: `; ours is `error[E0101]: message`, like rustc's.
        let body = match buf.iter().position(|&b| b == b'\n') {
            Some(newline) => &buf[newline + 1..],
            None => &buf[..],
        };
        writeln!(out, "{header}")?;
        // ariadne pads some lines with spaces; trailing whitespace in expected-output files
        // does not survive editors, so drop it.
        for line in String::from_utf8_lossy(body).lines() {
            writeln!(out, "{}", line.trim_end())?;
        }
        Ok(())
    }

    fn header(&self, d: &Diagnostic) -> String {
        let kind = self
            .style
            .severity(d.severity, format!("{}[{}]", d.severity.as_str(), d.code));
        format!(
            "{kind}{} {}",
            self.style.bold(":"),
            self.style.bold(one_line(&d.message))
        )
    }
}

/// Messages are meant to be one line; a stray newline would break the report's layout.
fn one_line(message: &str) -> String {
    message.replace('\n', " ")
}

impl Prepared {
    fn new(file: &SourceFile) -> Self {
        let mut line_chars = Vec::with_capacity(file.lines.line_count());
        let mut chars = 0;
        let mut prev = 0;
        for line in 0..file.lines.line_count() {
            let start = file.lines.line_start(line);
            chars += file.text[prev..start].chars().count();
            line_chars.push(chars);
            prev = start;
        }
        Prepared {
            source: Source::from(displayable(&file.text)),
            line_chars,
        }
    }

    /// Converts a byte range to a character range, clamped to the text and widened to whole
    /// characters.
    fn char_range(&self, file: &SourceFile, bytes: Range<usize>) -> Range<usize> {
        let text = &file.text;
        let mut start = bytes.start.min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = bytes.end.clamp(start, text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        let to_char = |offset: usize| {
            let line = file.lines.line_of(offset);
            let line_start = file.lines.line_start(line);
            self.line_chars.get(line).copied().unwrap_or(0)
                + text[line_start..offset].chars().count()
        };
        to_char(start)..to_char(end)
    }
}

/// The text ariadne prints: one character for one character, so character offsets still hold,
/// but nothing that moves the terminal's cursor, breaks a line where `LineIndex` sees none, or
/// reorders text (a stray `\r`, escape sequences in a comment, bidirectional overrides).
fn displayable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let shown = match c {
            '\n' | '\t' => c,
            '\r' if chars.peek() == Some(&'\n') => c,
            // Other line separators ariadne would break lines at.
            '\u{2028}' | '\u{2029}' | '\u{0B}' | '\u{0C}' | '\r' => ' ',
            '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => '\u{FFFD}',
            c if c.is_control() => '\u{FFFD}',
            c => c,
        };
        out.push(shown);
    }
    // ariadne has no line after a final newline, so a span at the very end (an error at the end
    // of the file) would be shown on the last line while JSON and editors say the next one.
    // One more character gives that position a line of its own.
    out.push(' ');
    out
}

/// A character range in one file, as ariadne wants it.
#[derive(Clone, Debug)]
struct CharSpan(FileId, Range<usize>);

impl ariadne::Span for CharSpan {
    type SourceId = FileId;

    fn source(&self) -> &FileId {
        &self.0
    }
    fn start(&self) -> usize {
        self.1.start
    }
    fn end(&self) -> usize {
        self.1.end
    }
}

impl ariadne::Cache<FileId> for HumanRenderer<'_> {
    type Storage = String;

    fn fetch(&mut self, id: &FileId) -> Result<&Source<String>, impl std::fmt::Debug> {
        match self.files.get(*id) {
            Some(file) => Ok(&self
                .cache
                .entry(*id)
                .or_insert_with(|| Prepared::new(file))
                .source),
            None => Err(format!("no file {id:?}")),
        }
    }

    fn display<'b>(&self, id: &'b FileId) -> Option<impl std::fmt::Display + 'b> {
        self.files.get(*id).map(|f| f.name.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fgl_syntax::{codes, Span};

    fn render(text: &str, diagnostic: impl Fn(FileId) -> Diagnostic) -> String {
        let mut files = SourceMap::default();
        let id = files.add("t.fgl".into(), text.into());
        let mut out = Vec::new();
        HumanRenderer::new(&files, Style { color: false })
            .render(&diagnostic(id), &mut out)
            .unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn non_ascii_text_before_the_span_is_counted_in_characters() {
        let text = "x = \"é😀\" ]\n";
        let at = text.find(']').unwrap();
        let out = render(text, |f| {
            Diagnostic::error(
                codes::UNMATCHED_CLOSER,
                Span::new(f, at, at + 1),
                "unmatched",
            )
            .with_primary_message("closes nothing")
        });
        assert!(out.starts_with("error[E0104]: unmatched\n"), "{out}");
        // `x = "é😀" ]`: the `]` is the 10th character.
        assert!(out.contains("t.fgl:1:10"), "{out}");
        let source_line = out.lines().find(|l| l.contains("x = ")).unwrap();
        let marker_line = out.lines().find(|l| l.contains('┬')).unwrap();
        // The emoji is two columns wide on a terminal, and ariadne pads for it.
        let width = |s: &str| {
            s.chars()
                .map(|c| if c == '😀' { 2 } else { 1 })
                .sum::<usize>()
        };
        let bracket_col = width(&source_line[..source_line.find(']').unwrap()]);
        let marker_col = width(&marker_line[..marker_line.find('┬').unwrap()]);
        assert_eq!(bracket_col, marker_col, "{out}");
        assert!(out.contains("closes nothing"), "{out}");
    }

    #[test]
    fn spans_inside_characters_and_past_the_end_do_not_panic() {
        let text = "é = 1";
        for (start, end) in [(1, 2), (0, 1), (4, 99), (99, 120), (5, 5)] {
            let out = render(text, |f| {
                Diagnostic::error(codes::UNEXPECTED_TOKEN, Span::new(f, start, end), "m")
            });
            assert!(out.starts_with("error[E0100]: m"), "{out}");
        }
    }

    #[test]
    fn control_characters_are_not_printed() {
        let text = "# \u{1b}[31m red\rx\n]";
        let at = text.find(']').unwrap();
        let out = render(text, |f| {
            Diagnostic::error(codes::UNMATCHED_CLOSER, Span::new(f, at, at + 1), "m")
        });
        assert!(!out.contains('\u{1b}') && !out.contains('\r'), "{out:?}");
        assert!(out.contains("t.fgl:2:1"), "{out}");
    }

    #[test]
    fn labels_and_help_are_shown() {
        let text = "a = {\n  b = 1\n";
        let out = render(text, |f| {
            Diagnostic::error(
                codes::UNCLOSED_DELIMITER,
                Span::new(f, 14, 14),
                "unclosed `{`",
            )
            .with_label(Span::new(f, 4, 5), "opened here")
            .with_help("add `}`")
        });
        assert!(out.contains("opened here"), "{out}");
        assert!(out.contains("add `}`"), "{out}");
    }
}
