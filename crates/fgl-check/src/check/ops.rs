//! Binary operators.

use fgl_syntax::ast::{BinaryOp, Expr};
use fgl_syntax::{codes, Diagnostic, Span};

use super::fits::{self, is_secret, widen};
use super::{Checker, Expect, Origin};
use crate::ty::Ty;

/// What an operand of `<`, `++`, … is, as far as operators care.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Str,
    List,
    Unknown,
    Other,
}

fn kind(ty: &Ty) -> Kind {
    match ty {
        Ty::Unknown | Ty::Never => Kind::Unknown,
        Ty::List(_) => Kind::List,
        _ => match widen(ty) {
            Ty::Int => Kind::Int,
            Ty::String => Kind::Str,
            _ => Kind::Other,
        },
    }
}

impl<'p> Checker<'_, 'p> {
    pub(crate) fn binary(&mut self, op: BinaryOp, lhs: &'p Expr, rhs: &'p Expr, span: Span) -> Ty {
        match op {
            BinaryOp::And | BinaryOp::Or => {
                let note = if op == BinaryOp::And {
                    "`&&` takes Bool values"
                } else {
                    "`||` takes Bool values"
                };
                for side in [lhs, rhs] {
                    self.check_expr(side, Some(Expect::new(&Ty::Bool, Origin::Note(note))));
                }
                Ty::Bool
            }
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Rem => {
                for side in [lhs, rhs] {
                    let ty = self.check_expr(side, None);
                    if fits::fits(&ty, &Ty::Int, self.decls).is_err() {
                        let help = (op == BinaryOp::Add
                            && matches!(kind(&ty), Kind::Str | Kind::List))
                        .then_some("to join strings or lists, use `++`");
                        let expected = format!("Int (`{}` takes Int values)", op.as_str());
                        self.mismatch_text(&expected, &ty, side.span, help);
                    }
                }
                Ty::Int
            }
            BinaryOp::Concat => self.concat(lhs, rhs),
            BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
                let l = self.check_expr(lhs, None);
                let r = self.check_expr(rhs, None);
                if self.no_secret(&l, lhs.span, "compared")
                    && self.no_secret(&r, rhs.span, "compared")
                {
                    let (kl, kr) = (kind(&l), kind(&r));
                    let ok = |k: Kind| matches!(k, Kind::Int | Kind::Str | Kind::Unknown);
                    let what = format!(
                        "Int or String (`{}` compares numbers or strings)",
                        op.as_str()
                    );
                    if !ok(kl) {
                        self.mismatch_text(&what, &l, lhs.span, None);
                    } else if !ok(kr) {
                        self.mismatch_text(&what, &r, rhs.span, None);
                    } else if kl != kr && kl != Kind::Unknown && kr != Kind::Unknown {
                        self.mismatch(
                            &widen(&l),
                            &r,
                            rhs.span,
                            Origin::Note("compared with the left side"),
                        );
                    }
                }
                Ty::Bool
            }
            BinaryOp::Eq | BinaryOp::Ne => {
                let l = self.check_expr(lhs, None);
                let r = self.check_expr(rhs, None);
                if self.no_secret(&l, lhs.span, "compared")
                    && self.no_secret(&r, rhs.span, "compared")
                    && !self.comparable(&l, &r)
                {
                    let (ls, rs) = (self.show(&l), self.show(&r));
                    self.error(
                        Diagnostic::error(
                            codes::TYPE_MISMATCH,
                            span,
                            format!("cannot compare {ls} with {rs}"),
                        )
                        .with_primary_message("always false: the types differ")
                        .with_label(lhs.span, ls)
                        .with_label(rhs.span, rs),
                    );
                }
                Ty::Bool
            }
            BinaryOp::In => {
                let l = self.check_expr(lhs, None);
                let r = self.check_expr(rhs, None);
                if !self.no_secret(&l, lhs.span, "compared") {
                    return Ty::Bool;
                }
                match &r {
                    Ty::Unknown | Ty::Never => {}
                    Ty::List(elem) => {
                        if !self.comparable(&l, elem) {
                            self.mismatch(
                                &widen(elem),
                                &l,
                                lhs.span,
                                Origin::Note("looked up in a list of these"),
                            );
                        }
                    }
                    Ty::Map(_) | Ty::Record(_) => {
                        self.check_string_like(&l, lhs.span, "a key is a String");
                    }
                    _ if kind(&r) == Kind::Str => {
                        self.check_string_like(&l, lhs.span, "`in` a string looks for a substring");
                    }
                    _ => self.mismatch_text(
                        "a list, map, record or string after `in`",
                        &r,
                        rhs.span,
                        None,
                    ),
                }
                Ty::Bool
            }
            BinaryOp::Coalesce => {
                let l = self.check_expr(lhs, None);
                let r = self.check_expr(rhs, None);
                if l.admits_null() {
                    fits::join(&l.non_null(), &r, self.decls)
                } else {
                    l
                }
            }
            BinaryOp::Merge => self.merge(lhs, rhs),
        }
    }

    fn check_string_like(&mut self, ty: &Ty, span: Span, note: &'static str) {
        if fits::fits(ty, &Ty::String, self.decls).is_err() {
            self.mismatch(&Ty::String, ty, span, Origin::Note(note));
        }
    }

    fn concat(&mut self, lhs: &'p Expr, rhs: &'p Expr) -> Ty {
        let l = self.check_expr(lhs, None);
        let r = self.check_expr(rhs, None);
        if !(self.no_secret(&l, lhs.span, "concatenated")
            && self.no_secret(&r, rhs.span, "concatenated"))
        {
            return Ty::Unknown;
        }
        let what = "String or List (`++` joins two strings or two lists)";
        match (kind(&l), kind(&r)) {
            (Kind::Str, Kind::Str | Kind::Unknown) | (Kind::Unknown, Kind::Str) => Ty::String,
            (Kind::List | Kind::Unknown, Kind::List | Kind::Unknown) => match (&l, &r) {
                (Ty::List(a), Ty::List(b)) => Ty::list(fits::join(a, b, self.decls)),
                _ => Ty::Unknown,
            },
            (Kind::Str, _) => {
                self.mismatch(
                    &Ty::String,
                    &r,
                    rhs.span,
                    Origin::Note("joined to a String"),
                );
                Ty::Unknown
            }
            (Kind::List, _) => {
                let list = widen(&l);
                self.mismatch(&list, &r, rhs.span, Origin::Note("joined to a List"));
                Ty::Unknown
            }
            _ => {
                self.mismatch_text(what, &l, lhs.span, None);
                Ty::Unknown
            }
        }
    }

    /// Reports a secret operand (E0207); true when `ty` is not a secret.
    pub(crate) fn no_secret(&mut self, ty: &Ty, span: Span, verb: &str) -> bool {
        if !is_secret(ty, self.decls) {
            return true;
        }
        self.error(
            Diagnostic::error(
                codes::SECRET_AS_VALUE,
                span,
                format!("a secret cannot be {verb}"),
            )
            .with_primary_message("this is a secret")
            .with_help("fgl never holds a secret's value: it may only flow into a place typed `aws.Secret`, such as a container's `secrets`"),
        );
        false
    }

    /// Whether `==` between these types can ever be true.
    fn comparable(&self, a: &Ty, b: &Ty) -> bool {
        if matches!(a, Ty::Null) || matches!(b, Ty::Null) {
            return true;
        }
        let (a, b) = (a.non_null(), b.non_null());
        fits::fits(&a, &widen(&b), self.decls).is_ok()
            || fits::fits(&b, &widen(&a), self.decls).is_ok()
    }
}
