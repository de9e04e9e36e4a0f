//! Attaches doc comments (`##` lines directly above) to items, schema fields, record fields
//! and record type fields.

use std::collections::HashMap;

use crate::ast::{
    Comment, CommentKind, CompClause, Doc, Expr, ExprKind, Item, ItemKind, Module, RecordField,
    SchemaEntry, StrPart, Type, TypeKind,
};

/// Runs of `##` lines, keyed by the byte offset where the line right below the run starts.
struct DocLines<'c> {
    source: &'c str,
    runs: HashMap<usize, Vec<&'c Comment>>,
}

/// The offset where the line containing `offset` starts.
fn line_start(source: &str, offset: usize) -> usize {
    source[..offset].rfind('\n').map_or(0, |i| i + 1)
}

impl DocLines<'_> {
    /// The doc for a node starting at `start`: the run of `##` lines right above its line.
    fn doc_for(&self, start: u32) -> Option<Doc> {
        let start = start as usize;
        let line = line_start(self.source, start);
        // Only a node that starts its line has the comment above as its doc.
        if !self.source[line..start].trim().is_empty() {
            return None;
        }
        let run = self.runs.get(&line)?;
        let (first, last) = (run.first()?, run.last()?);
        let text = run
            .iter()
            .map(|c| c.text.strip_prefix(' ').unwrap_or(&c.text))
            .collect::<Vec<_>>()
            .join("\n");
        Some(Doc {
            text,
            span: first.span.to(last.span),
        })
    }
}

pub(crate) fn attach_docs<'c>(source: &'c str, module: &mut Module, comments: &'c [Comment]) {
    let mut runs: HashMap<usize, Vec<&'c Comment>> = HashMap::new();
    // The line start right below the run being collected, and the run.
    let mut current: Option<(usize, Vec<&'c Comment>)> = None;
    for comment in comments.iter().filter(|c| c.kind == CommentKind::Doc) {
        let start = comment.span.start as usize;
        let line = line_start(source, start);
        if !source[line..start].trim().is_empty() {
            continue; // after code on its line: not a doc line
        }
        let below = source[start..]
            .find('\n')
            .map_or(source.len(), |i| start + i + 1);
        current = match current.take() {
            Some((next_line, mut run)) if next_line == line => {
                run.push(comment);
                Some((below, run))
            }
            finished => {
                if let Some((at, run)) = finished {
                    runs.insert(at, run);
                }
                Some((below, vec![comment]))
            }
        };
    }
    let Some((at, run)) = current else {
        return; // no doc comments at all
    };
    runs.insert(at, run);
    let docs = DocLines { source, runs };
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
