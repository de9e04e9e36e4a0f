//! Focused parser tests; broad coverage lives in the fixtures under `tests/parse` and
//! `tests/syntax`.

use crate::codes;
use crate::sexp::module_to_sexp;
use crate::{parse, Diagnostic, FileId};

fn sexp(source: &str) -> String {
    let (module, diagnostics) = parse(FileId(0), source);
    assert!(diagnostics.is_empty(), "{source:?}: {diagnostics:#?}");
    module_to_sexp(&module)
}

fn errors(source: &str) -> Vec<Diagnostic> {
    parse(FileId(0), source).1
}

#[test]
fn nested_interpolation_in_strings() {
    assert_eq!(
        sexp(r#"x = "a ${ "b ${c}" } d""#),
        "(bind x (str \"a \" (str \"b \" c) \" d\"))\n"
    );
}

#[test]
fn records_inside_interpolation_keep_their_braces() {
    assert_eq!(
        sexp(r#"x = "${ { a = 1 }.a }""#),
        "(bind x (str (. (record (a = 1)) a)))\n"
    );
}

#[test]
fn let_value_stops_at_in_but_conditions_allow_membership() {
    assert_eq!(sexp("x = let a = b in c"), "(bind x (let a b c))\n");
    assert_eq!(
        sexp("x = if a in b then 1 else 2"),
        "(bind x (if (in a b) 1 2))\n"
    );
}

#[test]
fn coalesce_is_right_associative_and_binds_tighter_than_comparison() {
    assert_eq!(
        sexp("x = a ?? b ?? c == d"),
        "(bind x (== (?? a (?? b c)) d))\n"
    );
}

#[test]
fn each_error_is_reported_once_in_source_order() {
    let diags = errors("a = {\n  x = 1 y = 2\n}\nb = [1, 2\nc = (\n");
    let starts: Vec<u32> = diags.iter().map(|d| d.primary.span.start).collect();
    let mut sorted = starts.clone();
    sorted.sort();
    assert_eq!(starts, sorted);
    let codes: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
    assert_eq!(codes, ["E0111", "E0101", "E0101"], "{diags:#?}");
}

#[test]
fn unclosed_delimiter_label_points_at_the_opener() {
    let source = "web = aws.Container {\n  image = \"x\"\n\nlb = 1\n";
    let diags = errors(source);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].code, codes::UNCLOSED_DELIMITER);
    assert_eq!(
        diags[0].primary.span.start as usize,
        source.find('{').unwrap()
    );
    // The binding after the gap still parses as its own item.
    let (module, _) = parse(FileId(0), source);
    assert_eq!(module.items.len(), 2);
}

#[test]
fn deep_brackets_give_one_diagnostic() {
    let depth = 10_000;
    let source = format!("x = {}1{}\ny = 2\n", "(".repeat(depth), ")".repeat(depth));
    let diags = errors(&source);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    assert_eq!(diags[0].code, codes::NESTING_TOO_DEEP);
    let (module, _) = parse(FileId(0), &source);
    assert_eq!(module.items.len(), 2);
}

#[test]
fn long_prefix_and_if_chains_are_bounded() {
    let minus = format!("x = {}1\n", "- ".repeat(100_000));
    assert!(errors(&minus)
        .iter()
        .any(|d| d.code == codes::NESTING_TOO_DEEP));
    let ifs = format!("x = {}0\n", "if a then 1 else ".repeat(10_000));
    assert!(errors(&ifs)
        .iter()
        .any(|d| d.code == codes::NESTING_TOO_DEEP));
}

#[test]
fn doc_comments_attach_only_to_the_line_below() {
    let source = "## Doc.\nx = { a = 1 }\n\n## Detached.\n\ny = 2\n";
    assert_eq!(
        sexp(source),
        "(doc \"Doc.\") (bind x (record (a = 1)))\n(bind y 2)\n"
    );
}

#[test]
fn multiline_strings_are_dedented() {
    let source = "x = \"\"\"\n    a\n      b ${c}\n\n    d\n    \"\"\"\n";
    assert_eq!(sexp(source), "(bind x (mstr \"a\\n  b \" c \"\\n\\nd\"))\n");
}

/// Parses and drops on a thread with the default 2 MiB stack.
fn errors_on_small_stack(source: String) -> Vec<Diagnostic> {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            let (module, diagnostics) = parse(FileId(0), &source);
            drop(module);
            diagnostics
        })
        .expect("spawn")
        .join()
        .expect("parse must not crash")
}

/// 100 parentheses, each followed by a 500-link chain: ~50,000 levels of tree.
fn chains_in_parentheses() -> String {
    let mut source = String::from("x = ");
    source.push_str(&"(".repeat(100));
    source.push('1');
    for _ in 0..100 {
        source.push(')');
        source.push_str(&" + 1".repeat(500));
    }
    source.push('\n');
    source
}

#[test]
fn chains_inside_nesting_cannot_build_an_unbounded_tree() {
    // Each limit alone is respected (100 parentheses, 500-link chains), but together they
    // would nest ~50,000 nodes: reported, and freed without recursion.
    let diags = errors_on_small_stack(chains_in_parentheses() + "y = 2\n");
    assert!(
        diags.iter().any(|d| d.code == codes::NESTING_TOO_DEEP),
        "{diags:#?}"
    );
}

#[test]
fn a_tree_just_within_the_depth_limit_parses_and_drops() {
    // Two 490-link chains, one inside the other: ~980 levels, under every limit.
    let chain = " + 1".repeat(490);
    let source = format!("x = (1{chain}){chain}\n");
    assert!(errors_on_small_stack(source).is_empty());
}

#[test]
fn optional_marks_are_bounded() {
    let diags = errors(&format!("x: Int{} = null\n", "?".repeat(10_000)));
    assert!(diags.iter().any(|d| d.code == codes::NESTING_TOO_DEEP));
}

#[test]
fn an_expression_too_deep_is_reported_once() {
    let diags = errors_on_small_stack(chains_in_parentheses());
    assert_eq!(diags.len(), 1, "{diags:#?}");
}

#[test]
fn an_unterminated_string_after_an_interpolation_is_reported() {
    for source in ["x = \"${x}\n", "x = \"${x}\ny = 2\n", "x = \"\"\"a${x}b\n"] {
        let diags = errors(source);
        assert_eq!(diags.len(), 1, "{source:?}: {diags:#?}");
        assert_eq!(diags[0].code, codes::UNTERMINATED_STRING);
        assert_eq!(
            diags[0].primary.span.start, 4,
            "reported at the opening quote"
        );
    }
}

#[test]
fn empty_matches_never_give_inverted_spans() {
    for source in ["param x x\n", "x = fn(a ) => 1\n"] {
        for d in errors(source) {
            assert!(
                d.primary.span.start <= d.primary.span.end,
                "{source:?}: {d:#?}"
            );
        }
    }
}
