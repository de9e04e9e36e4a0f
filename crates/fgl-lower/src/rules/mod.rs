//! The AWS rules of `std/aws`, checked offline on the evaluated resources: one module per rule
//! family. Each diagnostic sits on the offending field (`Resource::span_of`), names AWS's limit
//! in its message, and has a code E04xx (`fgl explain E0400`). Limits that a type can express
//! (ports 1–65535, health check ranges, retention days) are the stdlib's field types instead,
//! reported by the checker before evaluation.

mod certificates;
mod env;
mod fargate_size;
mod health;
mod network;
mod ssm;
mod targets;

use fgl_syntax::diagnostic::Code;
use fgl_syntax::{Diagnostic, Span};

use crate::model::Model;

pub use fargate_size::memory_sizes;

/// Every AWS rule on every resource, in source order.
pub fn check(model: &Model<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    fargate_size::check(model, &mut out);
    health::check(model, &mut out);
    targets::check(model, &mut out);
    certificates::check(model, &mut out);
    ssm::check(model, &mut out);
    network::check(model, &mut out);
    env::check(model, &mut out);
    out.extend(model.malformed.iter().map(|res| malformed(res)));
    fgl_syntax::diagnostic::sort_and_dedup(&mut out);
    out
}

/// A resource the lowering could not read: a bug elsewhere, reported rather than dropped.
fn malformed(res: &fgl_eval::Resource) -> Diagnostic {
    Diagnostic::error(
        fgl_syntax::codes::VALUE_OUT_OF_TYPE,
        res.span,
        format!(
            "internal error: the {} `{}` does not have its schema's shape, so it cannot be deployed",
            res.kind, res.id
        ),
    )
    .with_help("this is a bug in fgl: please report it with this file")
}

/// Items grouped by the place they are reported at, in order of first appearance. Elements of
/// a list have no span of their own (the list's is used), so the problems of several elements
/// become one diagnostic rather than several at one place.
fn by_place<T>(items: Vec<(Span, T)>) -> Vec<(Span, Vec<T>)> {
    let mut out: Vec<(Span, Vec<T>)> = Vec::new();
    for (span, item) in items {
        match out.iter_mut().find(|(s, _)| *s == span) {
            Some((_, group)) => group.push(item),
            None => out.push((span, vec![item])),
        }
    }
    out
}

/// "`a`", "`a` and `b`", "`a`, `b` and `c`".
fn and_list<S: AsRef<str>>(items: &[S]) -> String {
    let items: Vec<String> = items.iter().map(|s| format!("`{}`", s.as_ref())).collect();
    match items.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// An error at `span` with a label at `other`, unless both are the same place (a field and
/// the one it is compared with may both come from defaults, i.e. the instantiation).
fn error_with_label(
    code: Code,
    span: Span,
    message: String,
    other: Span,
    label: String,
) -> Diagnostic {
    let diag = Diagnostic::error(code, span, message);
    if other == span {
        diag
    } else {
        diag.with_label(other, label)
    }
}
