//! A compact, span-free rendering of the syntax tree as S-expressions: used by parser
//! snapshot tests, and to compare two trees "spans aside" (the formatter's meaning check).

use std::fmt::Write;

use crate::ast::*;

/// Renders `module` (items, docs and all expressions; no spans, no comments).
pub fn module_to_sexp(module: &Module) -> String {
    let mut out = String::new();
    for item in &module.items {
        item_sexp(&mut out, item);
        out.push('\n');
    }
    out
}

fn doc(out: &mut String, doc: &Option<Doc>) {
    if let Some(doc) = doc {
        let _ = write!(out, "(doc {:?}) ", doc.text);
    }
}

fn item_sexp(out: &mut String, item: &Item) {
    doc(out, &item.doc);
    match &item.kind {
        ItemKind::Import(i) => {
            let _ = write!(out, "(import {:?}", i.path);
            if let Some(alias) = &i.alias {
                let _ = write!(out, " as {}", alias.name);
            }
            out.push(')');
        }
        ItemKind::Binding(b) => binding(out, "bind", b),
        ItemKind::Let(b) => binding(out, "let", b),
        ItemKind::Param(p) => {
            let _ = write!(out, "(param {} ", p.name.name);
            ty(out, &p.ty);
            if let Some(d) = &p.default {
                out.push(' ');
                expr(out, d);
            }
            out.push(')');
        }
        ItemKind::TypeAlias(t) => {
            let _ = write!(out, "(type {} ", t.name.name);
            ty(out, &t.ty);
            out.push(')');
        }
        ItemKind::Schema(s) => {
            let kw = match s.kind {
                SchemaKind::Schema => "schema",
                SchemaKind::Resource => "resource",
            };
            let _ = write!(out, "({kw} {}", s.name.name);
            for entry in &s.entries {
                out.push(' ');
                match entry {
                    SchemaEntry::Field(f) => {
                        doc(out, &f.doc);
                        let _ = write!(out, "(field {} ", f.name.name);
                        ty(out, &f.ty);
                        if let Some(d) = &f.default {
                            out.push(' ');
                            expr(out, d);
                        }
                        out.push(')');
                    }
                    SchemaEntry::Check(c, _) => check(out, c),
                    SchemaEntry::Error(_) => out.push_str("(error)"),
                }
            }
            out.push(')');
        }
        ItemKind::Check(c) => check(out, c),
        ItemKind::Error => out.push_str("(error)"),
    }
}

fn binding(out: &mut String, kw: &str, b: &Binding) {
    let _ = write!(out, "({kw} {}", b.name.name);
    if let Some(t) = &b.ty {
        out.push_str(" : ");
        ty(out, t);
    }
    out.push(' ');
    expr(out, &b.value);
    out.push(')');
}

fn check(out: &mut String, c: &Check) {
    out.push_str("(check ");
    expr(out, &c.cond);
    out.push(' ');
    expr(out, &c.message);
    out.push(')');
}

fn key(out: &mut String, k: &Key) {
    match k {
        Key::Ident(i) => out.push_str(&i.name),
        Key::Str(s, _) => string(out, s),
    }
}

fn string(out: &mut String, s: &StrLit) {
    out.push_str(if s.multiline { "(mstr" } else { "(str" });
    for part in &s.parts {
        out.push(' ');
        match part {
            StrPart::Text(t, _) => {
                let _ = write!(out, "{t:?}");
            }
            StrPart::Interp(e) => expr(out, e),
        }
    }
    out.push(')');
}

fn fields(out: &mut String, fields: &[RecordField]) {
    for f in fields {
        out.push(' ');
        doc(out, &f.doc);
        out.push('(');
        for (i, k) in f.path.iter().enumerate() {
            if i > 0 {
                out.push('.');
            }
            key(out, k);
        }
        out.push_str(" = ");
        expr(out, &f.value);
        out.push(')');
    }
}

fn clauses(out: &mut String, clauses: &[CompClause]) {
    for c in clauses {
        match c {
            CompClause::For { vars, iter, .. } => {
                let names: Vec<&str> = vars.iter().map(|v| v.name.as_str()).collect();
                let _ = write!(out, " (for {} ", names.join(","));
                expr(out, iter);
                out.push(')');
            }
            CompClause::If { cond, .. } => {
                out.push_str(" (if ");
                expr(out, cond);
                out.push(')');
            }
        }
    }
}

/// Renders one expression.
pub fn expr_to_sexp(e: &Expr) -> String {
    let mut out = String::new();
    expr(&mut out, e);
    out
}

fn expr(out: &mut String, e: &Expr) {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || expr_inner(out, e))
}

fn expr_inner(out: &mut String, e: &Expr) {
    match &e.kind {
        ExprKind::Int(v) => {
            let _ = write!(out, "{v}");
        }
        ExprKind::Str(s) => string(out, s),
        ExprKind::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        ExprKind::Null => out.push_str("null"),
        ExprKind::Name(n) => out.push_str(&n.name),
        ExprKind::List(items) => {
            out.push_str("(list");
            for i in items {
                out.push(' ');
                expr(out, i);
            }
            out.push(')');
        }
        ExprKind::Record(fs) => {
            out.push_str("(record");
            fields(out, fs);
            out.push(')');
        }
        ExprKind::Field { base, name } => {
            out.push_str("(. ");
            expr(out, base);
            let _ = write!(out, " {})", name.name);
        }
        ExprKind::Call { callee, args } => {
            out.push_str("(call ");
            expr(out, callee);
            for a in args {
                out.push(' ');
                if let Some(n) = &a.name {
                    let _ = write!(out, "{}=", n.name);
                }
                expr(out, &a.value);
            }
            out.push(')');
        }
        ExprKind::Instantiate {
            schema, fields: fs, ..
        } => {
            out.push_str("(new ");
            expr(out, schema);
            fields(out, fs);
            out.push(')');
        }
        ExprKind::If {
            cond,
            then_branch,
            else_branch,
        } => {
            out.push_str("(if ");
            expr(out, cond);
            out.push(' ');
            expr(out, then_branch);
            out.push(' ');
            expr(out, else_branch);
            out.push(')');
        }
        ExprKind::Let(l) => {
            let LetExpr {
                name,
                ty: t,
                value,
                body,
            } = &**l;
            let _ = write!(out, "(let {}", name.name);
            if let Some(t) = t {
                out.push_str(" : ");
                ty(out, t);
            }
            out.push(' ');
            expr(out, value);
            out.push(' ');
            expr(out, body);
            out.push(')');
        }
        ExprKind::Fn { params, body } => {
            out.push_str("(fn (");
            for (i, p) in params.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                let _ = write!(out, "({} ", p.name.name);
                ty(out, &p.ty);
                if let Some(d) = &p.default {
                    out.push(' ');
                    expr(out, d);
                }
                out.push(')');
            }
            out.push_str(") ");
            expr(out, body);
            out.push(')');
        }
        ExprKind::ListComp { head, clauses: cs } => {
            out.push_str("(list-comp ");
            expr(out, head);
            clauses(out, cs);
            out.push(')');
        }
        ExprKind::RecordComp(comp) => {
            let RecordComp {
                key: k,
                value,
                clauses: cs,
            } = &**comp;
            out.push_str("(record-comp ");
            key(out, k);
            out.push(' ');
            expr(out, value);
            clauses(out, cs);
            out.push(')');
        }
        ExprKind::Unary { op, operand } => {
            let _ = write!(out, "({} ", op.as_str());
            expr(out, operand);
            out.push(')');
        }
        ExprKind::Binary { op, lhs, rhs } => {
            let _ = write!(out, "({} ", op.as_str());
            expr(out, lhs);
            out.push(' ');
            expr(out, rhs);
            out.push(')');
        }
        ExprKind::Paren(inner) => {
            out.push_str("(paren ");
            expr(out, inner);
            out.push(')');
        }
        ExprKind::Error => out.push_str("(error)"),
    }
}

fn ty(out: &mut String, t: &Type) {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || ty_inner(out, t))
}

fn path(out: &mut String, p: &[Ident]) {
    let names: Vec<&str> = p.iter().map(|i| i.name.as_str()).collect();
    out.push_str(&names.join("."));
}

fn ty_inner(out: &mut String, t: &Type) {
    match &t.kind {
        TypeKind::Name(p) => path(out, p),
        TypeKind::Apply { name, args } => {
            path(out, name);
            out.push('[');
            for (i, a) in args.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                ty(out, a);
            }
            out.push(']');
        }
        TypeKind::Record(fs) => {
            out.push('{');
            for f in fs {
                out.push(' ');
                doc(out, &f.doc);
                let _ = write!(
                    out,
                    "{}{}: ",
                    f.name.name,
                    if f.optional { "?" } else { "" }
                );
                ty(out, &f.ty);
            }
            out.push_str(" }");
        }
        TypeKind::Optional(inner) => {
            out.push_str("(opt ");
            ty(out, inner);
            out.push(')');
        }
        TypeKind::Range { lo, hi } => {
            let _ = write!(out, "{lo}..{hi}");
        }
        TypeKind::Literal(l) => match l {
            Literal::Int(v) => {
                let _ = write!(out, "{v}");
            }
            Literal::Str(s) => {
                let _ = write!(out, "{s:?}");
            }
            Literal::Bool(b) => {
                let _ = write!(out, "{b}");
            }
            Literal::Null => out.push_str("null"),
        },
        TypeKind::Union(members) => {
            out.push_str("(union");
            for m in members {
                out.push(' ');
                ty(out, m);
            }
            out.push(')');
        }
        TypeKind::Fn { params, ret } => {
            out.push_str("(fn-type (");
            for (i, p) in params.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                ty(out, p);
            }
            out.push_str(") ");
            ty(out, ret);
            out.push(')');
        }
        TypeKind::Paren(inner) => {
            out.push_str("(paren ");
            ty(out, inner);
            out.push(')');
        }
        TypeKind::Error => out.push_str("(error)"),
    }
}
