//! The output buffer: indentation, line breaks and comment placement.
//!
//! Indentation: the entries of a block (the file, or a multi-line bracket) start at the
//! block's indentation; when a comment forces a line break inside an entry, the entry goes on
//! one level deeper (a continuation line). A closing bracket goes back to the indentation of
//! the line that opened its multi-line block, or, after a comment, to its entry's.
//!
//! Comments are printed where a line break cannot change meaning: between the entries of a
//! block, and inside an entry at the "soft" points the node printers mark (after a token that
//! cannot end an expression, or before one that continues the line; never before `name =`,
//! which always starts an entry; see the parser's `newlines.rs`). A comment that ended a line
//! of code in the source ends a line of code in the output, after two spaces; a comment that
//! was alone on its line stays alone on its line.

use fgl_syntax::ast::{Comment, CommentKind};
use fgl_syntax::Span;

use crate::comments::{self, Comments};
use crate::layout::{blank_line_between, INDENT, MAX_WIDTH};

pub(crate) struct Printer<'a> {
    pub(crate) source: &'a str,
    out: String,
    comments: Comments<'a>,
    /// Renders everything on one line, without comments, to measure an inline layout.
    measuring: bool,
    /// Indentation of the entries of the current block.
    indent: usize,
    /// Whether the current entry has printed its first token (later lines are continuations).
    in_entry: bool,
    /// Indentation of the current output line.
    line_indent: usize,
    /// Indentation for the next line, overriding the block's (for closing brackets).
    next_line_indent: Option<usize>,
    at_line_start: bool,
    /// Characters on the current output line.
    column: usize,
    /// Set when a measured rendering went past [`MAX_WIDTH`].
    too_wide: bool,
    /// The last line is a `##` comment that documents nothing (in the source): the next entry
    /// must not start right below it, or it would become that entry's doc.
    stray_doc_above: bool,
}

impl<'a> Printer<'a> {
    pub(crate) fn new(source: &'a str, comments: Comments<'a>) -> Self {
        Printer {
            source,
            out: String::with_capacity(source.len() + source.len() / 4),
            comments,
            measuring: false,
            indent: 0,
            in_entry: false,
            line_indent: 0,
            next_line_indent: None,
            at_line_start: true,
            column: 0,
            too_wide: false,
            stray_doc_above: false,
        }
    }

    /// A printer that renders on one line from `column`, to see whether it fits.
    pub(crate) fn measuring(source: &'a str, column: usize) -> Self {
        Printer {
            measuring: true,
            at_line_start: false,
            column,
            ..Printer::new(source, Comments::none())
        }
    }

    pub(crate) fn is_measuring(&self) -> bool {
        self.measuring
    }

    /// The measured text, if it stayed on one line within [`MAX_WIDTH`].
    pub(crate) fn into_fitting_line(self) -> Option<String> {
        (!self.too_wide && !self.out.contains('\n')).then_some(self.out)
    }

    /// The formatted text: ends with one newline, or is empty.
    pub(crate) fn finish(mut self) -> String {
        self.end_line();
        self.out
    }

    /// Appends code (possibly a verbatim multi-line string). Spaces that would start a line
    /// are dropped: separators like `" then "` may follow a line break.
    pub(crate) fn write(&mut self, text: &str) {
        let text = if self.at_line_start {
            text.trim_start_matches(' ')
        } else {
            text
        };
        if text.is_empty() {
            return;
        }
        if self.at_line_start {
            let indent = self.line_start_indent(text);
            self.next_line_indent = None;
            self.push_indent(indent);
        }
        self.in_entry = true;
        self.stray_doc_above = false;
        self.push(text);
    }

    /// The indentation of a line starting with `text`: a continuation line is one level
    /// deeper than its entry, except one that starts with a closing bracket.
    fn line_start_indent(&self, text: &str) -> usize {
        match self.next_line_indent {
            Some(indent) => indent,
            None if self.in_entry && !text.starts_with([')', ']', '}']) => self.indent + INDENT,
            None => self.indent,
        }
    }

    /// Appends the source text of `span` unchanged (string literals, numbers).
    pub(crate) fn verbatim(&mut self, span: Span) {
        let source = self.source;
        self.write(source.get(span.range()).unwrap_or_default());
    }

    pub(crate) fn ends_with(&self, c: char) -> bool {
        !self.at_line_start && self.out.ends_with(c)
    }

    /// The column where the next code will start.
    pub(crate) fn next_column(&self, text: &str) -> usize {
        if self.at_line_start {
            self.line_start_indent(text)
        } else {
            self.column
        }
    }

    fn push_indent(&mut self, indent: usize) {
        self.out.extend(std::iter::repeat_n(' ', indent));
        self.line_indent = indent;
        self.column = indent;
        self.at_line_start = false;
    }

    fn push(&mut self, text: &str) {
        self.out.push_str(text);
        match text.rfind('\n') {
            Some(i) => self.column = text[i + 1..].chars().count(),
            None => self.column += text.chars().count(),
        }
        if self.measuring && self.column > MAX_WIDTH {
            self.too_wide = true;
        }
    }

    /// Ends the current line, if it has anything on it.
    pub(crate) fn end_line(&mut self) {
        if self.at_line_start {
            return;
        }
        let kept = self.out.trim_end_matches([' ', '\t']).len();
        self.out.truncate(kept);
        self.out.push('\n');
        self.at_line_start = true;
        self.column = 0;
    }

    /// Adds an empty line (at most one in a row, never at the start of the file).
    fn blank_line(&mut self) {
        self.end_line();
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    // ----- blocks -----

    /// Starts a block of entries one level deeper than the current line; returns what
    /// [`Printer::close_block`] restores.
    pub(crate) fn open_block(&mut self) -> BlockState {
        let state = BlockState {
            indent: self.indent,
            in_entry: self.in_entry,
            opening_line_indent: self.line_indent,
        };
        self.indent = self.line_indent + INDENT;
        state
    }

    /// Ends a block: the next line (the closing bracket) goes back to the opening line's
    /// indentation.
    pub(crate) fn close_block(&mut self, state: BlockState) {
        self.end_line();
        self.indent = state.indent;
        self.in_entry = state.in_entry;
        self.next_line_indent = Some(state.opening_line_indent);
    }

    /// Prints the comments before `pos` between two entries of a block; `previous_end` is
    /// where the last entry or comment ended (None at the start of the block), for blank lines.
    /// `next` is what follows: an entry that may have a doc, or not.
    pub(crate) fn comments_between_entries(
        &mut self,
        pos: usize,
        next: DocSlot,
        previous_end: &mut Option<usize>,
    ) {
        while let Some(comment) = self.comments.next_before(pos) {
            if !comments::is_own_line(self.source, comment) && !self.at_line_start {
                self.end_of_line_comment(comment);
            } else {
                self.end_line();
                let in_doc = next.covers(comment.span);
                if (self.stray_doc_above && in_doc)
                    || previous_end.is_some_and(|end| {
                        blank_line_between(self.source, end, comment.span.start as usize)
                    })
                {
                    self.blank_line();
                }
                self.own_line_comment(comment, self.indent);
                self.stray_doc_above = comment.kind == CommentKind::Doc && !in_doc;
            }
            *previous_end = Some(previous_end.map_or(comment.span.end as usize, |end| {
                end.max(comment.span.end as usize)
            }));
        }
    }

    /// Puts the next entry of a block on a new line, after a blank line if the source had one
    /// since `previous_end`, or if a `##` line that does not document it is right above.
    pub(crate) fn start_entry(&mut self, start: usize, doc: DocSlot, previous_end: Option<usize>) {
        self.end_line();
        let takes_doc = matches!(doc, DocSlot::Doc(_));
        if (self.stray_doc_above && takes_doc)
            || previous_end.is_some_and(|end| blank_line_between(self.source, end, start))
        {
            self.blank_line();
        }
        self.stray_doc_above = false;
        self.in_entry = false;
    }

    /// A point inside an entry where a line break is harmless: prints the comments that come
    /// before `pos` (the source offset of the next token).
    pub(crate) fn soft(&mut self, pos: usize) {
        while let Some(comment) = self.comments.next_before(pos) {
            if !comments::is_own_line(self.source, comment) && !self.at_line_start {
                self.end_of_line_comment(comment);
            } else {
                self.end_line();
                let indent = if self.in_entry {
                    self.indent + INDENT
                } else {
                    self.indent
                };
                self.own_line_comment(comment, indent);
                // Code of this entry follows, not an entry that could take it as its doc.
                self.stray_doc_above = false;
            }
        }
    }

    /// A soft point before the first token after `end`, for a token that continues the line
    /// (`then`, `else`, `in`, `for`, `,`, `=`, binary operators but `-`, closing brackets).
    pub(crate) fn soft_before_token_after(&mut self, end: usize) {
        if self.measuring {
            return;
        }
        let pos = self.next_token(end);
        self.soft(pos);
    }

    /// The offset of the first token at or after `from`: past white space and comments.
    pub(crate) fn next_token(&self, from: usize) -> usize {
        let bytes = self.source.as_bytes();
        let mut i = from;
        while i < bytes.len() {
            match bytes[i] {
                b' ' | b'\t' | b'\r' | b'\n' | b'\x0c' => i += 1,
                b'#' => {
                    while i < bytes.len() && bytes[i] != b'\n' {
                        i += 1;
                    }
                }
                _ => return i,
            }
        }
        bytes.len()
    }

    /// Whether a comment is still to print before `pos` (a bracket holding one is expanded).
    pub(crate) fn comment_before(&self, pos: usize) -> bool {
        self.comments.any_before(pos)
    }

    fn end_of_line_comment(&mut self, comment: &Comment) {
        self.stray_doc_above = false;
        let kept = self.out.trim_end_matches([' ', '\t']).len();
        self.out.truncate(kept);
        let text = comments::text(self.source, comment);
        self.out.push_str("  ");
        self.out.push_str(text);
        self.column = 0;
        self.at_line_start = false;
        self.end_line();
    }

    fn own_line_comment(&mut self, comment: &Comment, indent: usize) {
        self.end_line();
        self.push_indent(indent);
        let text = comments::text(self.source, comment);
        self.out.push_str(text);
        self.end_line();
    }
}

/// What follows comments between entries, as far as doc comments go.
#[derive(Clone, Copy)]
pub(crate) enum DocSlot {
    /// An expression, a check, or the end of a block: no `##` line above it is a doc.
    Never,
    /// An item or a field, with the span of its doc (the `##` lines right above it) if any.
    Doc(Option<Span>),
}

impl DocSlot {
    /// Whether `span` is part of this entry's doc.
    fn covers(self, span: Span) -> bool {
        matches!(self, DocSlot::Doc(Some(doc)) if doc.start <= span.start && span.end <= doc.end)
    }
}

/// What a block saves of its enclosing entry.
pub(crate) struct BlockState {
    indent: usize,
    in_entry: bool,
    opening_line_indent: usize,
}
