//! Comprehensions: `[ e for x in xs if c ]` and `{ k = v for k, v in m }`.

use rustc_hash::FxHashMap as HashMap;

use fgl_syntax::ast::{CompClause, Expr, Key, RecordComp};
use fgl_syntax::{codes, Diagnostic, Span};

use super::fits;
use super::{Checker, Expect};
use crate::ty::Ty;

impl<'p> Checker<'_, 'p> {
    pub(crate) fn list_comp(
        &mut self,
        head: &'p Expr,
        clauses: &'p [CompClause],
        exp: Option<Expect<'_>>,
        span: Span,
    ) -> Ty {
        let mark = self.locals.len();
        self.clauses(clauses);
        let pushed = exp.and_then(|e| match e.ty.non_null() {
            Ty::List(elem) => Some(((*elem).clone(), e.origin)),
            _ => None,
        });
        let ty = match &pushed {
            Some((elem, origin)) => {
                self.check_expr(head, Expect::new(elem, *origin).known());
                Ty::list(elem.clone())
            }
            None => Ty::list(self.check_expr(head, None)),
        };
        self.pop_locals(mark);
        if pushed.is_some() {
            ty
        } else {
            self.require(ty, exp, span)
        }
    }

    pub(crate) fn record_comp(
        &mut self,
        comp: &'p RecordComp,
        exp: Option<Expect<'_>>,
        span: Span,
    ) -> Ty {
        let mark = self.locals.len();
        self.clauses(&comp.clauses);
        if let Key::Str(lit, _) = &comp.key {
            self.interpolations(lit);
        }
        let pushed = exp.and_then(|e| match e.ty.non_null() {
            Ty::Map(elem) => Some(((*elem).clone(), e.origin)),
            _ => None,
        });
        let ty = match &pushed {
            Some((elem, origin)) => {
                self.check_expr(&comp.value, Expect::new(elem, *origin).known());
                Ty::map(elem.clone())
            }
            None => Ty::map(self.check_expr(&comp.value, None)),
        };
        self.pop_locals(mark);
        if pushed.is_some() {
            ty
        } else {
            self.require(ty, exp, span)
        }
    }

    /// Binds the variables of every `for` and checks every filter, in order.
    fn clauses(&mut self, clauses: &'p [CompClause]) {
        for clause in clauses {
            match clause {
                CompClause::If { cond, .. } => {
                    self.condition(cond, "a comprehension filter must be a Bool");
                }
                CompClause::For { vars, iter, .. } => {
                    let ty = self.check_expr(iter, None);
                    let bound = self.iteration(&ty, vars.len(), iter.span);
                    let mut seen: HashMap<&str, Span> = HashMap::default();
                    for (var, ty) in vars.iter().zip(bound) {
                        if let Some(first) = seen.insert(&var.name, var.span) {
                            self.error(
                                Diagnostic::error(
                                    codes::DUPLICATE_BINDING,
                                    var.span,
                                    format!("the variable `{}` is bound twice", var.name),
                                )
                                .with_primary_message("bound again here")
                                .with_label(first, "first bound here"),
                            );
                        }
                        self.push_local(&var.name, ty);
                    }
                }
            }
        }
    }

    /// The types `for` binds when iterating a value of type `ty` with `count` variables:
    /// a list gives its elements (or index and element), a map or record its keys and values.
    fn iteration(&mut self, ty: &Ty, count: usize, span: Span) -> Vec<Ty> {
        let unknown = vec![Ty::Unknown; count];
        match (ty, count) {
            (Ty::Unknown | Ty::Never, _) => unknown,
            (Ty::List(elem), 1) => vec![(**elem).clone()],
            (Ty::List(elem), 2) => vec![Ty::Int, (**elem).clone()],
            (Ty::Map(elem), 2) => vec![Ty::String, (**elem).clone()],
            (Ty::Record(record), 2) => {
                let mut value = Ty::Never;
                for field in &record.fields {
                    value = fits::join(&value, &field.ty, self.decls);
                }
                vec![Ty::String, value]
            }
            (Ty::Map(_) | Ty::Record(_), 1) => {
                self.error(
                    Diagnostic::error(
                        codes::TYPE_MISMATCH,
                        span,
                        "iterating a map or record gives keys and values: bind both",
                    )
                    .with_primary_message("a map or record")
                    .with_help("write `for k, v in …` (or iterate `keys(m)` or `values(m)`)"),
                );
                unknown
            }
            (Ty::List(_) | Ty::Map(_) | Ty::Record(_), _) => {
                self.error(
                    Diagnostic::error(
                        codes::WRONG_ARITY,
                        span,
                        format!("`for` binds one or two variables, found {count}"),
                    )
                    .with_help("write `for x in list`, `for i, x in list` or `for k, v in map`"),
                );
                unknown
            }
            _ => {
                self.mismatch_text("a list, map or record to iterate", ty, span, None);
                unknown
            }
        }
    }
}
