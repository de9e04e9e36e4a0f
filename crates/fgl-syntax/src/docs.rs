//! Attaches doc comments (`##` lines directly above) to items, schema fields, record fields
//! and record type fields.

use std::collections::HashMap;

use crate::ast::{
    Comment, CommentKind, CompClause, Doc, Expr, ExprKind, Item, ItemKind, Module, RecordField,
    SchemaEntry, StrPart, Type, TypeKind,
};
use crate::span::{LineIndex, Span};

struct DocLines<'c> {
    source: &'c str,
    index: LineIndex,
    /// Line number → the doc comment that is alone on that line.
    by_line: HashMap<usize, &'c Comment>,
}

impl DocLines<'_> {
    /// The doc for a node starting at `start`: the run of `##` lines right above its line.
    fn doc_for(&self, start: u32) -> Option<Doc> {
        let line = self.index.line_of(start as usize);
        // Only a node that starts its line has the comment above as its doc.
        let line_start = self.index.line_start(line);
        if !self.source[line_start..start as usize].trim().is_empty() {
            return None;
        }
        let mut lines = Vec::new();
        let mut current = line;
        while current > 0 {
            match self.by_line.get(&(current - 1)) {
                Some(comment) => lines.push(*comment),
                None => break,
            }
            current -= 1;
        }
        if lines.is_empty() {
            return None;
        }
        lines.reverse();
        let span: Span = lines[0].span.to(lines[lines.len() - 1].span);
        let text = lines
            .iter()
            .map(|c| c.text.strip_prefix(' ').unwrap_or(&c.text))
            .collect::<Vec<_>>()
            .join("\n");
        Some(Doc { text, span })
    }
}

pub(crate) fn attach_docs<'c>(source: &'c str, module: &mut Module, comments: &'c [Comment]) {
    if !comments.iter().any(|c| c.kind == CommentKind::Doc) {
        return;
    }
    let index = LineIndex::new(source);
    let by_line = comments
        .iter()
        .filter(|c| c.kind == CommentKind::Doc)
        .filter(|c| {
            // Alone on its line: only white space before it.
            let start = c.span.start as usize;
            let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
            source[line_start..start].trim().is_empty()
        })
        .map(|c| (index.line_of(c.span.start as usize), c))
        .collect();
    let docs = DocLines {
        source,
        index,
        by_line,
    };
    for item in &mut module.items {
        attach_item(&docs, item);
    }
}

fn attach_item(docs: &DocLines<'_>, item: &mut Item) {
    item.doc = docs.doc_for(item.span.start);
    match &mut item.kind {
        ItemKind::Binding(b) | ItemKind::Let(b) => {
            if let Some(ty) = &mut b.ty {
                attach_type(docs, ty);
            }
            attach_expr(docs, &mut b.value);
        }
        ItemKind::Param(p) => {
            attach_type(docs, &mut p.ty);
            if let Some(d) = &mut p.default {
                attach_expr(docs, d);
            }
        }
        ItemKind::TypeAlias(t) => attach_type(docs, &mut t.ty),
        ItemKind::Schema(schema) => {
            for entry in &mut schema.entries {
                if let SchemaEntry::Field(field) = entry {
                    field.doc = docs.doc_for(field.span.start);
                    attach_type(docs, &mut field.ty);
                    if let Some(d) = &mut field.default {
                        attach_expr(docs, d);
                    }
                }
            }
        }
        ItemKind::Check(_) | ItemKind::Import(_) | ItemKind::Error => {}
    }
}

fn attach_fields(docs: &DocLines<'_>, fields: &mut [RecordField]) {
    for field in fields {
        field.doc = docs.doc_for(field.span.start);
        attach_expr(docs, &mut field.value);
    }
}

fn attach_type(docs: &DocLines<'_>, ty: &mut Type) {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || match &mut ty.kind {
        TypeKind::Record(fields) => {
            for field in fields {
                field.doc = docs.doc_for(field.span.start);
                attach_type(docs, &mut field.ty);
            }
        }
        TypeKind::Apply { args, .. } => args.iter_mut().for_each(|t| attach_type(docs, t)),
        TypeKind::Optional(t) | TypeKind::Paren(t) => attach_type(docs, t),
        TypeKind::Union(ts) => ts.iter_mut().for_each(|t| attach_type(docs, t)),
        TypeKind::Fn { params, ret } => {
            params.iter_mut().for_each(|t| attach_type(docs, t));
            attach_type(docs, ret);
        }
        TypeKind::Name(_) | TypeKind::Range { .. } | TypeKind::Literal(_) | TypeKind::Error => {}
    })
}

fn attach_expr(docs: &DocLines<'_>, expr: &mut Expr) {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || match &mut expr.kind {
        ExprKind::Record(fields) => attach_fields(docs, fields),
        ExprKind::Instantiate { schema, fields, .. } => {
            attach_expr(docs, schema);
            attach_fields(docs, fields);
        }
        ExprKind::List(items) => items.iter_mut().for_each(|e| attach_expr(docs, e)),
        ExprKind::Str(lit) => {
            for part in &mut lit.parts {
                if let StrPart::Interp(e) = part {
                    attach_expr(docs, e);
                }
            }
        }
        ExprKind::Field { base, .. } => attach_expr(docs, base),
        ExprKind::Call { callee, args } => {
            attach_expr(docs, callee);
            args.iter_mut()
                .for_each(|a| attach_expr(docs, &mut a.value));
        }
        ExprKind::If {
            cond,
            then_branch,
            else_branch,
        } => {
            attach_expr(docs, cond);
            attach_expr(docs, then_branch);
            attach_expr(docs, else_branch);
        }
        ExprKind::Let(l) => {
            if let Some(ty) = &mut l.ty {
                attach_type(docs, ty);
            }
            attach_expr(docs, &mut l.value);
            attach_expr(docs, &mut l.body);
        }
        ExprKind::Fn { params, body } => {
            for p in params {
                attach_type(docs, &mut p.ty);
                if let Some(d) = &mut p.default {
                    attach_expr(docs, d);
                }
            }
            attach_expr(docs, body);
        }
        ExprKind::ListComp { head, clauses } => {
            attach_expr(docs, head);
            attach_clauses(docs, clauses);
        }
        ExprKind::RecordComp(comp) => {
            attach_expr(docs, &mut comp.value);
            attach_clauses(docs, &mut comp.clauses);
        }
        ExprKind::Unary { operand, .. } => attach_expr(docs, operand),
        ExprKind::Binary { lhs, rhs, .. } => {
            attach_expr(docs, lhs);
            attach_expr(docs, rhs);
        }
        ExprKind::Paren(inner) => attach_expr(docs, inner),
        ExprKind::Int(_)
        | ExprKind::Bool(_)
        | ExprKind::Null
        | ExprKind::Name(_)
        | ExprKind::Error => {}
    })
}

fn attach_clauses(docs: &DocLines<'_>, clauses: &mut [CompClause]) {
    for clause in clauses {
        match clause {
            CompClause::For { iter, .. } => attach_expr(docs, iter),
            CompClause::If { cond, .. } => attach_expr(docs, cond),
        }
    }
}
