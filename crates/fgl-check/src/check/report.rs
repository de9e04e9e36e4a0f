//! What a place expects, and the diagnostic when a value does not fit it.

use fgl_syntax::{codes, Diagnostic, Span};

use super::fits::{self, Misfit};
use super::Checker;
use crate::ty::Ty;

/// The type a place expects, and where that expectation comes from.
#[derive(Clone, Copy)]
pub(crate) struct Expect<'t> {
    pub ty: &'t Ty,
    pub origin: Origin<'t>,
}

impl<'t> Expect<'t> {
    pub fn new(ty: &'t Ty, origin: Origin<'t>) -> Self {
        Expect { ty, origin }
    }

    /// No expectation worth pushing when the type is Unknown.
    pub fn known(self) -> Option<Self> {
        (!matches!(self.ty, Ty::Unknown)).then_some(self)
    }
}

/// Where an expectation comes from, shown as a label (or as the primary message).
#[derive(Clone, Copy)]
pub(crate) enum Origin<'t> {
    None,
    /// A schema field or record-type field: "field `cpu` declared here".
    Field {
        name: &'t str,
        span: Span,
    },
    /// A function parameter.
    Param {
        name: &'t str,
        span: Span,
    },
    /// A type annotation (binding, `let`, param).
    Annotation(Span),
    /// No place to point at; said under the primary span (e.g. "the condition of `if`").
    Note(&'static str),
}

impl Origin<'_> {
    fn apply(self, diag: Diagnostic) -> Diagnostic {
        match self {
            Origin::None => diag,
            Origin::Field { name, span } => {
                diag.with_label(span, format!("field `{name}` declared here"))
            }
            Origin::Param { name, span } => {
                diag.with_label(span, format!("parameter `{name}` declared here"))
            }
            Origin::Annotation(span) => diag.with_label(span, "expected because of this type"),
            Origin::Note(note) if diag.primary.message.is_empty() => {
                diag.with_primary_message(note)
            }
            Origin::Note(_) => diag,
        }
    }
}

impl Checker<'_, '_> {
    /// Checks that `found` (the type of the expression at `span`) fits the expectation;
    /// reports it if not and returns Unknown then, so that nothing downstream reports again.
    pub(crate) fn require(&mut self, found: Ty, exp: Option<Expect<'_>>, span: Span) -> Ty {
        let Some(exp) = exp else { return found };
        match fits::fits(&found, exp.ty, self.decls) {
            // A record that fits a schema is an instance of it.
            Ok(()) if matches!(exp.ty, Ty::Schema(_)) && matches!(found, Ty::Record(_)) => {
                exp.ty.clone()
            }
            Ok(()) => found,
            Err(misfit) => {
                let diag = self.misfit(&found, exp, &misfit, span);
                self.error(diag);
                Ty::Unknown
            }
        }
    }

    pub(crate) fn misfit(
        &self,
        found: &Ty,
        exp: Expect<'_>,
        misfit: &Misfit,
        span: Span,
    ) -> Diagnostic {
        let expected = self.show(exp.ty);
        let found_text = self.show(found);
        let mut diag = if misfit.code == codes::SECRET_AS_VALUE {
            Diagnostic::error(
                misfit.code,
                span,
                format!("a secret cannot be used as {expected}"),
            )
            .with_primary_message(misfit.detail.clone().unwrap_or_else(|| "this is a secret".into()))
            .with_help(
                "a secret may only flow into a place typed `aws.Secret`, such as a container's `secrets`",
            )
        } else {
            let mut d = Diagnostic::error(
                misfit.code,
                span,
                format!("expected {expected}, found {found_text}"),
            );
            if let Some(detail) = &misfit.detail {
                d = d.with_primary_message(detail.clone());
            } else if misfit.code == codes::OUT_OF_RANGE {
                d = d.with_primary_message(out_of_range_note(found, exp.ty));
            }
            d
        };
        if let Some(help) = &misfit.help {
            diag = diag.with_help(help.clone());
        }
        exp.origin.apply(diag)
    }

    /// Reports a plain mismatch: "expected X, found Y".
    pub(crate) fn mismatch(&mut self, expected: &Ty, found: &Ty, span: Span, origin: Origin<'_>) {
        let misfit = Misfit {
            code: codes::TYPE_MISMATCH,
            detail: None,
            help: None,
        };
        let diag = self.misfit(found, Expect::new(expected, origin), &misfit, span);
        self.error(diag);
    }

    /// "expected X, found Y" where X is a description rather than a type ("a record").
    pub(crate) fn mismatch_text(
        &mut self,
        expected: &str,
        found: &Ty,
        span: Span,
        help: Option<&str>,
    ) {
        let found_text = self.show(found);
        let mut diag = Diagnostic::error(
            codes::TYPE_MISMATCH,
            span,
            format!("expected {expected}, found {found_text}"),
        );
        if matches!(found, Ty::Optional(_) | Ty::Null) {
            diag = diag
                .with_help("the value may be null: give a fallback with `??`, e.g. `x ?? default`");
        } else if let Some(help) = help {
            diag = diag.with_help(help);
        }
        self.error(diag);
    }
}

fn out_of_range_note(found: &Ty, expected: &Ty) -> String {
    let expected = expected.non_null();
    match (found, &expected) {
        (Ty::Lits(lits), Ty::Range(lo, hi)) if lits.len() == 1 => {
            format!("{} is outside {lo}..{hi}", lits[0])
        }
        (Ty::Lits(lits), Ty::Lits(allowed)) if lits.len() == 1 && allowed.len() > 1 => {
            format!("{} is not one of the allowed values", lits[0])
        }
        _ => "not allowed here".to_string(),
    }
}
