//! The expression dispatcher, literals, strings, `if`, `let` and prefix operators.

use fgl_syntax::ast::{Expr, ExprKind, LetExpr, StrLit, StrPart, UnaryOp};
use fgl_syntax::{codes, Diagnostic};

use super::fits::{self, is_secret};
use super::{Checker, Expect, Origin};
use crate::ty::{Lit, Ty};

/// Free stack below which a deeper expression gets a fresh stack segment.
const RED_ZONE: usize = 64 * 1024;
const NEW_STACK: usize = 1024 * 1024;

impl<'p> Checker<'_, 'p> {
    /// Types `e`, checking it against `exp` when given. Returns Unknown where an error was
    /// reported (so that nothing downstream reports it again).
    pub(crate) fn check_expr(&mut self, e: &'p Expr, exp: Option<Expect<'_>>) -> Ty {
        // Trees are at most 1,000 levels deep (the parser's limit), but frames are large.
        let ty = stacker::maybe_grow(RED_ZONE, NEW_STACK, || self.check_expr_here(e, exp));
        if let Some(recorder) = self.recorder.as_deref_mut() {
            recorder.expr(e, exp.map(|x| x.ty), &ty);
        }
        ty
    }

    fn check_expr_here(&mut self, e: &'p Expr, exp: Option<Expect<'_>>) -> Ty {
        let ty = match &e.kind {
            ExprKind::Int(n) => Ty::Lits(vec![Lit::Int(*n)]),
            ExprKind::Str(lit) => self.string(lit),
            ExprKind::Bool(b) => Ty::Lits(vec![Lit::Bool(*b)]),
            ExprKind::Null => Ty::Null,
            ExprKind::Name(ident) => self.name_type(ident),
            ExprKind::List(items) => return self.list(items, exp, e.span),
            ExprKind::Record(fields) => return self.record(fields, exp, e.span),
            ExprKind::Field { base, name } => self.field_access(base, name),
            ExprKind::Call { callee, args } => self.call(callee, args, e.span),
            ExprKind::Instantiate { schema, fields, .. } => self.instantiate(schema, fields),
            ExprKind::If {
                cond,
                then_branch,
                else_branch,
            } => {
                self.condition(cond, "an `if` condition must be a Bool");
                let a = self.check_expr(then_branch, exp);
                let b = self.check_expr(else_branch, exp);
                return fits::join(&a, &b, self.decls);
            }
            ExprKind::Let(let_expr) => return self.let_in(let_expr, exp),
            ExprKind::Fn { params, body } => self.fn_expr(params, body),
            ExprKind::ListComp { head, clauses } => {
                return self.list_comp(head, clauses, exp, e.span)
            }
            ExprKind::RecordComp(comp) => return self.record_comp(comp, exp, e.span),
            ExprKind::Unary { op, operand } => self.unary(*op, operand),
            ExprKind::Binary { op, lhs, rhs } => self.binary(*op, lhs, rhs, e.span),
            ExprKind::Paren(inner) => return self.check_expr(inner, exp),
            // A syntax error, already reported.
            ExprKind::Error => Ty::Unknown,
        };
        self.require(ty, exp, e.span)
    }

    /// `[a, b]`: each element against the expected element type, or the join of them.
    fn list(&mut self, items: &'p [Expr], exp: Option<Expect<'_>>, span: fgl_syntax::Span) -> Ty {
        if let Some(exp) = exp {
            if let Ty::List(elem) = exp.ty.non_null() {
                let elem_exp = Expect::new(&elem, exp.origin).known();
                for item in items {
                    self.check_expr(item, elem_exp);
                }
                return Ty::List(elem);
            }
        }
        let mut elem = Ty::Never;
        for item in items {
            let ty = self.check_expr(item, None);
            elem = fits::join(&elem, &ty, self.decls);
        }
        self.require(Ty::list(elem), exp, span)
    }

    /// A condition: `if`, `check`, a comprehension filter.
    pub(crate) fn condition(&mut self, cond: &'p Expr, note: &'static str) {
        self.check_expr(cond, Some(Expect::new(&Ty::Bool, Origin::Note(note))));
    }

    fn string(&mut self, lit: &'p StrLit) -> Ty {
        if let Some(text) = lit.as_plain() {
            return Ty::Lits(vec![Lit::Str(text.into())]);
        }
        self.interpolations(lit);
        Ty::String
    }

    /// Checks the `${…}` parts of a string: String, Int and Bool only, never a secret.
    pub(crate) fn interpolations(&mut self, lit: &'p StrLit) {
        for part in &lit.parts {
            let StrPart::Interp(e) = part else { continue };
            let ty = self.check_expr(e, None);
            if is_secret(&ty, self.decls) {
                self.error(
                    Diagnostic::error(
                        codes::SECRET_AS_VALUE,
                        e.span,
                        "a secret cannot be interpolated into a string",
                    )
                    .with_primary_message("this is a secret")
                    .with_help(
                        "a secret may only flow into a place typed `aws.Secret`, such as a container's `secrets`",
                    ),
                );
            } else if !interpolable(&ty) {
                self.mismatch_text(
                    "String, Int or Bool",
                    &ty,
                    e.span,
                    Some("convert it to a string first, e.g. with `to_string(x)` or `join(xs, \", \")`"),
                );
            }
        }
    }

    fn let_in(&mut self, l: &'p LetExpr, exp: Option<Expect<'_>>) -> Ty {
        let ty = match &l.ty {
            Some(annotation) => {
                let declared = self.resolve_type(annotation);
                self.check_expr(
                    &l.value,
                    Expect::new(&declared, Origin::Annotation(annotation.span)).known(),
                );
                declared
            }
            None => self.check_expr(&l.value, None),
        };
        let mark = self.locals.len();
        self.push_local(&l.name.name, ty);
        let body = self.check_expr(&l.body, exp);
        self.pop_locals(mark);
        body
    }

    fn unary(&mut self, op: UnaryOp, operand: &'p Expr) -> Ty {
        match op {
            UnaryOp::Neg => {
                // `-5` is the literal -5, so that negative bounds and literals fit ranges.
                if let ExprKind::Int(n) = operand.kind {
                    return Ty::Lits(vec![Lit::Int(n.wrapping_neg())]);
                }
                self.check_expr(
                    operand,
                    Some(Expect::new(&Ty::Int, Origin::Note("`-` takes an Int"))),
                );
                Ty::Int
            }
            UnaryOp::Not => {
                self.check_expr(
                    operand,
                    Some(Expect::new(&Ty::Bool, Origin::Note("`!` takes a Bool"))),
                );
                Ty::Bool
            }
        }
    }
}

/// Whether `${x}` accepts a value of this type.
pub(crate) fn interpolable(ty: &Ty) -> bool {
    match ty {
        Ty::Unknown | Ty::Never | Ty::Int | Ty::String | Ty::Bool | Ty::Range(..) => true,
        Ty::Lits(lits) => !lits.contains(&Lit::Null),
        Ty::Union(tys) => tys.iter().all(interpolable),
        _ => false,
    }
}
