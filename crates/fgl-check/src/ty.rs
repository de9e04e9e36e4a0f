//! Types, as the checker and the evaluator see them after resolution: aliases expanded,
//! schemas by id (nominal), records structural.

use std::fmt::{self, Write};
use std::rc::Rc;

use crate::decls::{Decls, SchemaId};
use crate::loader::ModuleId;

/// A literal type: one value of a base type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Lit {
    Int(i64),
    Str(Rc<str>),
    Bool(bool),
    Null,
}

impl fmt::Display for Lit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Lit::Int(n) => write!(f, "{n}"),
            Lit::Str(s) => write!(f, "{s:?}"),
            Lit::Bool(b) => write!(f, "{b}"),
            Lit::Null => f.write_str("null"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ty {
    /// Not known statically (after an error, or where the checker gives up): accepted
    /// everywhere, so one mistake is reported once.
    Unknown,
    /// The type of no value (the elements of `[]`): fits everywhere.
    Never,
    Int,
    String,
    Bool,
    Null,
    /// `lo..hi`, both inclusive: a refinement of Int.
    Range(i64, i64),
    /// A union of literals (`"http" | "https"`, `256 | 512`); one literal for a constant.
    Lits(Vec<Lit>),
    List(Box<Ty>),
    /// String keys.
    Map(Box<Ty>),
    Record(Rc<RecordTy>),
    /// `T?`: T or null.
    Optional(Box<Ty>),
    /// Any other union (`1..10 | 100`).
    Union(Vec<Ty>),
    /// A schema or resource, by identity.
    Schema(SchemaId),
    Fn(Rc<FnTy>),
    /// The value an import binds.
    Module(ModuleId),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordTy {
    /// In declaration order.
    pub fields: Vec<FieldTy>,
}

impl RecordTy {
    pub fn field(&self, name: &str) -> Option<&FieldTy> {
        self.fields.iter().find(|f| f.name == name)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldTy {
    pub name: String,
    pub ty: Ty,
    /// `name?: T`: may be absent.
    pub optional: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FnTy {
    pub params: Vec<ParamTy>,
    pub ret: Ty,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamTy {
    /// `None` in a function type written `fn(Int) -> Int` (positional only).
    pub name: Option<String>,
    pub ty: Ty,
    pub has_default: bool,
}

impl Ty {
    pub fn list(elem: Ty) -> Ty {
        Ty::List(Box::new(elem))
    }

    pub fn map(elem: Ty) -> Ty {
        Ty::Map(Box::new(elem))
    }

    /// `T?`, without doubling `??` or wrapping types that already admit null.
    pub fn optional(inner: Ty) -> Ty {
        if inner.admits_null() || matches!(inner, Ty::Unknown) {
            inner
        } else {
            Ty::Optional(Box::new(inner))
        }
    }

    pub fn admits_null(&self) -> bool {
        match self {
            Ty::Null | Ty::Optional(_) | Ty::Unknown => true,
            Ty::Lits(lits) => lits.contains(&Lit::Null),
            Ty::Union(tys) => tys.iter().any(Ty::admits_null),
            _ => false,
        }
    }

    /// The type without null (`T?` → `T`).
    pub fn non_null(&self) -> Ty {
        match self {
            Ty::Optional(inner) => inner.non_null(),
            Ty::Lits(lits) if lits.contains(&Lit::Null) => {
                let rest: Vec<Lit> = lits.iter().filter(|l| **l != Lit::Null).cloned().collect();
                if rest.is_empty() {
                    Ty::Never
                } else {
                    Ty::Lits(rest)
                }
            }
            Ty::Union(tys) => {
                let rest: Vec<Ty> = tys
                    .iter()
                    .filter(|t| !matches!(t, Ty::Null))
                    .map(Ty::non_null)
                    .collect();
                match rest.len() {
                    0 => Ty::Never,
                    1 => rest.into_iter().next().unwrap_or(Ty::Never),
                    _ => Ty::Union(rest),
                }
            }
            Ty::Null => Ty::Never,
            other => other.clone(),
        }
    }

    /// A displayable form; schema names need the declarations.
    pub fn show<'a>(&'a self, decls: &'a Decls<'_>) -> Show<'a> {
        Show { ty: self, decls }
    }
}

pub struct Show<'a> {
    ty: &'a Ty,
    decls: &'a Decls<'a>,
}

impl fmt::Display for Show<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        write_ty(&mut out, self.ty, self.decls);
        f.write_str(&out)
    }
}

fn write_ty(out: &mut String, ty: &Ty, decls: &Decls<'_>) {
    let _ = match ty {
        Ty::Unknown => out.write_str("unknown"),
        Ty::Never => out.write_str("never"),
        Ty::Int => out.write_str("Int"),
        Ty::String => out.write_str("String"),
        Ty::Bool => out.write_str("Bool"),
        Ty::Null => out.write_str("Null"),
        Ty::Range(lo, hi) => write!(out, "{lo}..{hi}"),
        Ty::Lits(lits) => {
            for (i, lit) in lits.iter().enumerate() {
                if i > 0 {
                    out.push_str(" | ");
                }
                let _ = write!(out, "{lit}");
            }
            Ok(())
        }
        Ty::List(elem) => {
            out.push_str("List[");
            write_ty(out, elem, decls);
            out.write_str("]")
        }
        Ty::Map(elem) => {
            out.push_str("Map[");
            write_ty(out, elem, decls);
            out.write_str("]")
        }
        Ty::Record(record) => {
            if record.fields.is_empty() {
                return out.push_str("{}");
            }
            out.push_str("{ ");
            for (i, field) in record.fields.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&field.name);
                if field.optional {
                    out.push('?');
                }
                out.push_str(": ");
                write_ty(out, &field.ty, decls);
            }
            out.write_str(" }")
        }
        Ty::Optional(inner) => {
            let needs_parens = matches!(**inner, Ty::Lits(ref l) if l.len() > 1)
                || matches!(**inner, Ty::Union(_) | Ty::Fn(_));
            if needs_parens {
                out.push('(');
                write_ty(out, inner, decls);
                out.push(')');
            } else {
                write_ty(out, inner, decls);
            }
            out.write_str("?")
        }
        Ty::Union(tys) => {
            for (i, t) in tys.iter().enumerate() {
                if i > 0 {
                    out.push_str(" | ");
                }
                write_ty(out, t, decls);
            }
            Ok(())
        }
        Ty::Schema(id) => out.write_str(&decls.schema(*id).display_name),
        Ty::Fn(f) => {
            out.push_str("fn(");
            for (i, p) in f.params.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                if let Some(name) = &p.name {
                    out.push_str(name);
                    out.push_str(": ");
                }
                write_ty(out, &p.ty, decls);
                if p.has_default {
                    out.push_str(" = …");
                }
            }
            out.push_str(") -> ");
            write_ty(out, &f.ret, decls);
            Ok(())
        }
        Ty::Module(id) => write!(out, "module {}", decls.module_display_name(*id)),
    };
}
