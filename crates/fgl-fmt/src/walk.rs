//! Direct children of syntax nodes, for the passes that look at a whole subtree (which
//! brackets were opened inline, where the string literals are).
//!
//! String interpolations are not visited: the formatter prints string literals verbatim, so
//! what is inside them never matters to the layout.

use fgl_syntax::ast::{CompClause, Expr, ExprKind, Item, ItemKind, SchemaEntry, Type, TypeKind};

#[derive(Clone, Copy)]
pub(crate) enum Node<'a> {
    Expr(&'a Expr),
    Type(&'a Type),
}

/// Calls `f` on every expression and type directly inside `item`.
pub(crate) fn item_children<'a>(item: &'a Item, f: &mut dyn FnMut(Node<'a>)) {
    match &item.kind {
        ItemKind::Binding(b) | ItemKind::Let(b) => {
            if let Some(ty) = &b.ty {
                f(Node::Type(ty));
            }
            f(Node::Expr(&b.value));
        }
        ItemKind::Param(p) => {
            f(Node::Type(&p.ty));
            if let Some(d) = &p.default {
                f(Node::Expr(d));
            }
        }
        ItemKind::TypeAlias(t) => f(Node::Type(&t.ty)),
        ItemKind::Schema(s) => s.entries.iter().for_each(|e| entry_children(e, f)),
        ItemKind::Check(c) => {
            f(Node::Expr(&c.cond));
            f(Node::Expr(&c.message));
        }
        ItemKind::Import(_) | ItemKind::Error => {}
    }
}

/// Calls `f` on every expression and type directly inside a schema entry.
pub(crate) fn entry_children<'a>(entry: &'a SchemaEntry, f: &mut dyn FnMut(Node<'a>)) {
    match entry {
        SchemaEntry::Field(field) => {
            f(Node::Type(&field.ty));
            if let Some(d) = &field.default {
                f(Node::Expr(d));
            }
        }
        SchemaEntry::Check(c, _) => {
            f(Node::Expr(&c.cond));
            f(Node::Expr(&c.message));
        }
        SchemaEntry::Error(_) => {}
    }
}

/// Calls `f` on every direct child of `node`.
pub(crate) fn children<'a>(node: Node<'a>, f: &mut dyn FnMut(Node<'a>)) {
    match node {
        Node::Expr(e) => expr_children(e, f),
        Node::Type(t) => type_children(t, f),
    }
}

fn expr_children<'a>(e: &'a Expr, f: &mut dyn FnMut(Node<'a>)) {
    match &e.kind {
        ExprKind::List(items) => items.iter().for_each(|i| f(Node::Expr(i))),
        ExprKind::Record(fields) => fields.iter().for_each(|fl| f(Node::Expr(&fl.value))),
        ExprKind::Field { base, .. } => f(Node::Expr(base)),
        ExprKind::Call { callee, args } => {
            f(Node::Expr(callee));
            args.iter().for_each(|a| f(Node::Expr(&a.value)));
        }
        ExprKind::Instantiate { schema, fields, .. } => {
            f(Node::Expr(schema));
            fields.iter().for_each(|fl| f(Node::Expr(&fl.value)));
        }
        ExprKind::If {
            cond,
            then_branch,
            else_branch,
        } => {
            f(Node::Expr(cond));
            f(Node::Expr(then_branch));
            f(Node::Expr(else_branch));
        }
        ExprKind::Let(l) => {
            if let Some(ty) = &l.ty {
                f(Node::Type(ty));
            }
            f(Node::Expr(&l.value));
            f(Node::Expr(&l.body));
        }
        ExprKind::Fn { params, body } => {
            for p in params {
                f(Node::Type(&p.ty));
                if let Some(d) = &p.default {
                    f(Node::Expr(d));
                }
            }
            f(Node::Expr(body));
        }
        ExprKind::ListComp { head, clauses } => {
            f(Node::Expr(head));
            clause_children(clauses, f);
        }
        ExprKind::RecordComp(comp) => {
            f(Node::Expr(&comp.value));
            clause_children(&comp.clauses, f);
        }
        ExprKind::Unary { operand, .. } => f(Node::Expr(operand)),
        ExprKind::Binary { lhs, rhs, .. } => {
            f(Node::Expr(lhs));
            f(Node::Expr(rhs));
        }
        ExprKind::Paren(inner) => f(Node::Expr(inner)),
        ExprKind::Int(_)
        | ExprKind::Str(_)
        | ExprKind::Bool(_)
        | ExprKind::Null
        | ExprKind::Name(_)
        | ExprKind::Error => {}
    }
}

fn clause_children<'a>(clauses: &'a [CompClause], f: &mut dyn FnMut(Node<'a>)) {
    for clause in clauses {
        match clause {
            CompClause::For { iter, .. } => f(Node::Expr(iter)),
            CompClause::If { cond, .. } => f(Node::Expr(cond)),
        }
    }
}

fn type_children<'a>(t: &'a Type, f: &mut dyn FnMut(Node<'a>)) {
    match &t.kind {
        TypeKind::Apply { args, .. } => args.iter().for_each(|a| f(Node::Type(a))),
        TypeKind::Record(fields) => fields.iter().for_each(|fl| f(Node::Type(&fl.ty))),
        TypeKind::Optional(inner) | TypeKind::Paren(inner) => f(Node::Type(inner)),
        TypeKind::Union(members) => members.iter().for_each(|m| f(Node::Type(m))),
        TypeKind::Fn { params, ret } => {
            params.iter().for_each(|p| f(Node::Type(p)));
            f(Node::Type(ret));
        }
        TypeKind::Name(_) | TypeKind::Range { .. } | TypeKind::Literal(_) | TypeKind::Error => {}
    }
}
