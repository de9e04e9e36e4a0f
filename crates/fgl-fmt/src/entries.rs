//! Lists of entries: the items of the file and the insides of `{ … }` / `[ … ]` (records,
//! lists, instantiations, schemas, record types), printed inline or one entry per line.

use fgl_syntax::ast::{Doc, Expr, Item, RecordField, RecordTypeField, SchemaEntry};
use fgl_syntax::Span;

use crate::layout::{first_entry_inline, opens_inline};
use crate::printer::{DocSlot, Printer};
use crate::walk::{self, Node};

/// Something printed as one entry of a block.
pub(crate) trait Entry {
    fn span(&self) -> Span;
    fn print(&self, p: &mut Printer<'_>);
    /// Whether every bracket inside the entry has its first entry on its line in the source.
    fn opens_inline(&self, source: &str) -> bool;
    /// Whether `##` lines right above the entry are its doc, and where its doc is.
    fn doc_slot(&self) -> DocSlot;
}

fn doc_slot(doc: &Option<Doc>) -> DocSlot {
    DocSlot::Doc(doc.as_ref().map(|d| d.span))
}

impl Entry for Item {
    fn span(&self) -> Span {
        self.span
    }
    fn print(&self, p: &mut Printer<'_>) {
        p.item(self);
    }
    fn opens_inline(&self, source: &str) -> bool {
        let mut all = true;
        walk::item_children(self, &mut |n| all = all && opens_inline(source, n));
        all
    }
    fn doc_slot(&self) -> DocSlot {
        doc_slot(&self.doc)
    }
}

impl Entry for Expr {
    fn span(&self) -> Span {
        self.span
    }
    fn print(&self, p: &mut Printer<'_>) {
        p.expr(self);
    }
    fn opens_inline(&self, source: &str) -> bool {
        opens_inline(source, Node::Expr(self))
    }
    fn doc_slot(&self) -> DocSlot {
        DocSlot::Never
    }
}

impl Entry for RecordField {
    fn span(&self) -> Span {
        self.span
    }
    fn print(&self, p: &mut Printer<'_>) {
        p.record_field(self);
    }
    fn opens_inline(&self, source: &str) -> bool {
        opens_inline(source, Node::Expr(&self.value))
    }
    fn doc_slot(&self) -> DocSlot {
        doc_slot(&self.doc)
    }
}

impl Entry for SchemaEntry {
    fn span(&self) -> Span {
        SchemaEntry::span(self)
    }
    fn print(&self, p: &mut Printer<'_>) {
        p.schema_entry(self);
    }
    fn opens_inline(&self, source: &str) -> bool {
        let mut all = true;
        walk::entry_children(self, &mut |n| all = all && opens_inline(source, n));
        all
    }
    fn doc_slot(&self) -> DocSlot {
        match self {
            SchemaEntry::Field(field) => doc_slot(&field.doc),
            SchemaEntry::Check(..) | SchemaEntry::Error(_) => DocSlot::Never,
        }
    }
}

impl Entry for RecordTypeField {
    fn span(&self) -> Span {
        self.span
    }
    fn print(&self, p: &mut Printer<'_>) {
        p.record_type_field(self);
    }
    fn opens_inline(&self, source: &str) -> bool {
        opens_inline(source, Node::Type(&self.ty))
    }
    fn doc_slot(&self) -> DocSlot {
        doc_slot(&self.doc)
    }
}

/// A pair of brackets around entries, with their source offsets.
pub(crate) struct Brackets {
    open: &'static str,
    close: &'static str,
    /// `{ a = 1 }` has spaces inside its braces, `[1, 2]` none.
    padded: bool,
    open_pos: usize,
    close_pos: usize,
}

impl Brackets {
    /// `{ … }` spanning `span`.
    pub(crate) fn braces(span: Span) -> Self {
        Self::braces_at(span.start as usize, (span.end as usize).saturating_sub(1))
    }

    /// `{ … }` from the offset of `{` to the offset of `}`.
    pub(crate) fn braces_at(open_pos: usize, close_pos: usize) -> Self {
        Brackets {
            open: "{",
            close: "}",
            padded: true,
            open_pos,
            close_pos,
        }
    }

    /// `[ … ]` spanning `span`.
    pub(crate) fn square(span: Span) -> Self {
        Brackets {
            open: "[",
            close: "]",
            padded: false,
            open_pos: span.start as usize,
            close_pos: (span.end as usize).saturating_sub(1),
        }
    }
}

impl Printer<'_> {
    /// Prints bracketed entries on one line when the source had the first entry on the
    /// bracket's line (and so did every bracket inside), no comment is inside, and the line
    /// fits in [`crate::layout::MAX_WIDTH`] columns; otherwise one entry per line.
    pub(crate) fn bracketed<E: Entry>(&mut self, brackets: Brackets, entries: &[E]) {
        if self.is_measuring() {
            self.inline_entries(&brackets, entries);
            return;
        }
        if entries.is_empty() && !self.comment_before(brackets.close_pos) {
            self.write(brackets.open);
            self.write(brackets.close);
            return;
        }
        match self.inline_rendering(&brackets, entries) {
            Some(line) => self.write(&line),
            None => self.multiline_entries(&brackets, entries),
        }
    }

    fn inline_rendering<E: Entry>(&self, brackets: &Brackets, entries: &[E]) -> Option<String> {
        let first = entries.first()?;
        if !first_entry_inline(
            self.source,
            brackets.open_pos,
            Some(first.span().start as usize),
        ) || self.comment_before(brackets.close_pos)
            || !entries.iter().all(|e| e.opens_inline(self.source))
        {
            return None;
        }
        let mut measure = Printer::measuring(self.source, self.next_column(brackets.open));
        measure.inline_entries(brackets, entries);
        measure.into_fitting_line()
    }

    fn inline_entries<E: Entry>(&mut self, brackets: &Brackets, entries: &[E]) {
        self.write(brackets.open);
        if !entries.is_empty() {
            let pad = if brackets.padded { " " } else { "" };
            self.write(pad);
            for (i, entry) in entries.iter().enumerate() {
                if i > 0 {
                    self.write(", ");
                }
                entry.print(self);
            }
            self.write(pad);
        }
        self.write(brackets.close);
    }

    fn multiline_entries<E: Entry>(&mut self, brackets: &Brackets, entries: &[E]) {
        self.write(brackets.open);
        let state = self.open_block();
        self.entries(entries, brackets.close_pos);
        self.close_block(state);
        self.write(brackets.close);
    }

    /// One entry per line, with the comments around them, up to `end` (the closing bracket or
    /// the end of the file). Blank lines between entries are kept (one at most).
    pub(crate) fn entries<E: Entry>(&mut self, entries: &[E], end: usize) {
        let mut previous_end: Option<usize> = None;
        for entry in entries {
            let span = entry.span();
            let doc = entry.doc_slot();
            self.comments_between_entries(span.start as usize, doc, &mut previous_end);
            self.start_entry(span.start as usize, doc, previous_end);
            entry.print(self);
            previous_end = Some(span.end as usize);
        }
        self.comments_between_entries(end, DocSlot::Never, &mut previous_end);
    }
}
