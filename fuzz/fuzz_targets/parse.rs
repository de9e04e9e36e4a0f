//! Fuzzes `fgl_syntax::parse` and the formatter's round trip.
//!
//! For any input: parsing returns (no panic, no stack overflow, no hang), every diagnostic span
//! lies in the source on character boundaries, diagnostics are in source order and unique per
//! (code, span), and the tree has `(error)` nodes only with an error diagnostic (and always when
//! there is none). When the formatter accepts the input, its output parses without diagnostics
//! to the same tree (spans aside) and formats to itself.
//!
//! The same invariants run in CI as proptests (crates/fgl-syntax/tests/robustness.rs); this
//! target is for long coverage-guided runs (see fuzz/README.md).

#![no_main]

use std::collections::HashSet;

use fgl_syntax::diagnostic::Diagnostic;
use fgl_syntax::sexp::module_to_sexp;
use fgl_syntax::{parse, FileId, Span};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Lossy, so that every input exercises the parser (invalid bytes become U+FFFD).
    let source = String::from_utf8_lossy(data);
    check_parse(&source);
    check_format(&source);
});

#[path = "../../crates/fgl-syntax/tests/support/invariants.rs"]
mod invariants;
use invariants::has_error_node;

fn check_span(source: &str, span: Span, what: &str) {
    if let Err(problem) = invariants::check_span(source, span, what) {
        panic!("{problem}");
    }
}

fn check_parse(source: &str) {
    let (module, diagnostics) = parse(FileId(0), source);
    check_span(source, module.span, "module");
    for item in &module.items {
        check_span(source, item.span, "item");
    }
    for comment in &module.comments {
        check_span(source, comment.span, "comment");
    }
    let mut seen = HashSet::new();
    for d in &diagnostics {
        check_span(source, d.primary.span, d.code.as_str());
        for label in &d.labels {
            check_span(source, label.span, d.code.as_str());
        }
        assert!(
            seen.insert((d.code, d.primary.span)),
            "{} reported twice at {:?}",
            d.code,
            d.primary.span
        );
    }
    assert!(
        diagnostics
            .windows(2)
            .all(|w| w[0].primary.span.start <= w[1].primary.span.start),
        "diagnostics out of source order"
    );
    let error_nodes = has_error_node(&module_to_sexp(&module));
    if error_nodes {
        assert!(
            diagnostics.iter().any(Diagnostic::is_error),
            "(error) nodes without an error diagnostic"
        );
    }
    if diagnostics.is_empty() {
        assert!(!error_nodes, "(error) nodes without any diagnostic");
    }
    // Dropped here, on the fuzzer's stack: a deep tree must not overflow it.
    drop(module);
}

fn check_format(source: &str) {
    let Ok(formatted) = fgl_fmt::format_source(FileId(0), source) else {
        return;
    };
    let (before, before_diagnostics) = parse(FileId(0), source);
    let (after, after_diagnostics) = parse(FileId(0), &formatted);
    if before_diagnostics.is_empty() {
        assert!(
            after_diagnostics.is_empty(),
            "formatted output has diagnostics: {after_diagnostics:?}\noutput:\n{formatted}"
        );
    } else {
        // Warnings only (the formatter accepts them): the output must not add errors.
        assert!(
            !after_diagnostics.iter().any(Diagnostic::is_error),
            "formatted output has errors: {after_diagnostics:?}\noutput:\n{formatted}"
        );
    }
    assert_eq!(
        module_to_sexp(&before),
        module_to_sexp(&after),
        "formatting changed the tree\noutput:\n{formatted}"
    );
    let again = fgl_fmt::format_source(FileId(0), &formatted)
        .unwrap_or_else(|d| panic!("formatted output does not format: {d:?}"));
    assert_eq!(again, formatted, "formatting is not idempotent");
}
