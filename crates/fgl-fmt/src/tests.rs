//! Unit tests of the layout decisions (inline or one entry per line), comment placement, and
//! the public API's contract.

use fgl_syntax::sexp::module_to_sexp;
use fgl_syntax::{parse, FileId};

use crate::{format_module, format_source};

/// Formats `source`, checking on the way that the result is a fixpoint with the same tree.
fn fmt(source: &str) -> String {
    let output = match format_source(FileId(0), source) {
        Ok(output) => output,
        Err(diagnostics) => panic!("{source:?} does not parse: {diagnostics:#?}"),
    };
    let again = format_source(FileId(0), &output).expect("the output parses");
    assert_eq!(again, output, "not idempotent for {source:?}");
    let tree = |s: &str| module_to_sexp(&parse(FileId(0), s).0);
    assert_eq!(
        tree(source),
        tree(&output),
        "meaning changed for {source:?}"
    );
    output
}

// ----- inline or one entry per line -----

#[test]
fn brackets_written_on_one_line_stay_on_one_line() {
    assert_eq!(fmt("x = {a=1,b=2}"), "x = { a = 1, b = 2 }\n");
    assert_eq!(fmt("x = [ 1 ,2 ]"), "x = [1, 2]\n");
    assert_eq!(fmt("x = P{a=1}"), "x = P { a = 1 }\n");
    assert_eq!(
        fmt("type T = {a:Int,b?:Int}"),
        "type T = { a: Int, b?: Int }\n"
    );
    assert_eq!(
        fmt("schema S{a:Int,b:Int=1}"),
        "schema S { a: Int, b: Int = 1 }\n"
    );
}

#[test]
fn a_newline_after_the_opening_bracket_expands_it() {
    assert_eq!(
        fmt("x = {\n a = 1, b = 2 }"),
        "x = {\n  a = 1\n  b = 2\n}\n"
    );
    assert_eq!(fmt("x = [\n1, 2]"), "x = [\n  1\n  2\n]\n");
    assert_eq!(fmt("x = P {\na = 1}"), "x = P {\n  a = 1\n}\n");
    assert_eq!(fmt("type T = {\na: Int}"), "type T = {\n  a: Int\n}\n");
    assert_eq!(fmt("schema S {\na: Int}"), "schema S {\n  a: Int\n}\n");
}

#[test]
fn only_the_first_entry_decides_not_later_line_breaks() {
    assert_eq!(
        fmt("x = { a = 1,\n b = 2,\n c = 3 }"),
        "x = { a = 1, b = 2, c = 3 }\n"
    );
}

#[test]
fn a_comment_inside_expands_the_bracket() {
    assert_eq!(
        fmt("x = { a = 1, # one\n b = 2 }"),
        "x = {\n  a = 1  # one\n  b = 2\n}\n"
    );
    assert_eq!(
        fmt("x = {\n# nothing yet\n}"),
        "x = {\n  # nothing yet\n}\n"
    );
    // A comment after the closing bracket is not inside.
    assert_eq!(fmt("x = { a = 1 } # note"), "x = { a = 1 }  # note\n");
}

#[test]
fn an_inline_bracket_must_end_by_column_100() {
    // `x = { a = "…" }`: 14 columns around the string's contents.
    let at = |width: usize| format!("x = {{ a = \"{}\" }}", "s".repeat(width - 14));
    let fits = at(100);
    assert_eq!(fits.len(), 100);
    assert_eq!(fmt(&fits), format!("{fits}\n"));
    let too_wide = at(101);
    let expanded = fmt(&too_wide);
    assert_eq!(expanded.lines().count(), 3, "{expanded}");
    assert!(expanded.starts_with("x = {\n  a = \"s"), "{expanded}");
}

#[test]
fn the_width_counts_the_indentation_and_characters_not_bytes() {
    // Fits at the top level (97 columns), not once indented by 4 (101 columns).
    let inner = format!("{{ a = \"{}\" }}", "é".repeat(83));
    let top = format!("x = {inner}");
    assert_eq!(top.chars().count(), 97);
    assert_eq!(fmt(&top), format!("{top}\n"));
    let nested = format!("x = {{\n  y = {{\n    z = {inner}\n  }}\n}}");
    let out = fmt(&nested);
    assert!(out.contains("    z = {\n      a = \"é"), "{out}");
}

#[test]
fn a_multiline_bracket_inside_expands_the_outer_one() {
    assert_eq!(
        fmt("x = { a = { b = 1,\n c = 2 }, d = [\n 3 ] }"),
        "x = {\n  a = { b = 1, c = 2 }\n  d = [\n    3\n  ]\n}\n"
    );
    assert_eq!(
        fmt("x = [f({\n a = 1 })]"),
        "x = [\n  f({\n    a = 1\n  })\n]\n"
    );
}

#[test]
fn a_multiline_string_inside_expands_the_bracket() {
    assert_eq!(
        fmt("x = [\"\"\"\n  a\n  \"\"\", 1]"),
        "x = [\n  \"\"\"\n  a\n  \"\"\"\n  1\n]\n"
    );
}

#[test]
fn empty_brackets_close_at_once() {
    assert_eq!(fmt("x = {\n\n}"), "x = {}\n");
    assert_eq!(fmt("x = [ ]"), "x = []\n");
    assert_eq!(fmt("x = P {\n}"), "x = P {}\n");
    assert_eq!(fmt("schema S {\n}"), "schema S {}\n");
}

#[test]
fn comprehensions_calls_and_functions_stay_on_one_line() {
    assert_eq!(
        fmt("x = [\n  s.name\n  for s in xs\n  if s.ok\n]"),
        "x = [s.name for s in xs if s.ok]\n"
    );
    assert_eq!(fmt("x = f(\n  1,\n  2,\n)"), "x = f(1, 2)\n");
    assert_eq!(
        fmt("x = fn(\n a: Int,\n b: Int\n) => a"),
        "x = fn(a: Int, b: Int) => a\n"
    );
    assert_eq!(fmt("x = 1\n  + 2\n  ++ [3]"), "x = 1 + 2 ++ [3]\n");
}

#[test]
fn multiline_entries_drop_their_commas() {
    assert_eq!(fmt("x = [\n  1,\n  -2,\n]"), "x = [\n  1\n  -2\n]\n");
}

// ----- comments -----

#[test]
fn an_end_of_line_comment_follows_two_spaces() {
    assert_eq!(fmt("x = 1     # a"), "x = 1  # a\n");
    assert_eq!(fmt("x = 1 #a"), "x = 1  #a\n");
}

#[test]
fn an_own_line_comment_takes_the_indentation_of_its_block() {
    assert_eq!(
        fmt("x = {\n        # a\n  y = 1\n      # b\n}\n    # c\ny = 2"),
        "x = {\n  # a\n  y = 1\n  # b\n}\n# c\ny = 2\n"
    );
}

#[test]
fn a_comment_after_an_opening_bracket_stays_on_its_line() {
    assert_eq!(fmt("x = [ # a\n 1\n]"), "x = [  # a\n  1\n]\n");
}

#[test]
fn a_comment_before_a_continuing_token_stays_before_it() {
    assert_eq!(fmt("x = a # c\n  + b"), "x = a  # c\n  + b\n");
    assert_eq!(
        fmt("x = if a # c\n  then b\n  else c"),
        "x = if a  # c\n  then b else c\n"
    );
}

#[test]
fn a_comment_before_a_minus_moves_after_it() {
    // A line starting with `-` would be a new entry (a negation), so the break goes after it.
    let out = fmt("x = (a # c\n  - b)");
    assert_eq!(out, "x = (a -  # c\n  b)\n");
}

#[test]
fn a_comment_inside_an_expression_breaks_the_line_after_it() {
    assert_eq!(fmt("x = f(a, # first\n b)"), "x = f(a,  # first\n  b)\n");
    assert_eq!(
        fmt("x = f(\n  # own line\n  a)"),
        "x = f(\n  # own line\n  a)\n"
    );
}

#[test]
fn comments_in_a_multiline_string_are_its_text() {
    let source = "x = \"\"\"\n  ${ a # not moved\n  }\n  \"\"\"\n";
    assert_eq!(fmt(source), source);
}

#[test]
fn doc_comments_stay_attached() {
    let source = "## doc of x\nx = {\n  ## doc of a\n  a = 1\n}\n";
    let out = fmt(source);
    assert_eq!(out, source);
    let (module, _) = parse(FileId(0), &out);
    assert_eq!(
        module.items[0].doc.as_ref().map(|d| d.text.as_str()),
        Some("doc of x")
    );
}

#[test]
fn blank_lines_are_kept_one_at_most_and_not_at_block_edges() {
    assert_eq!(
        fmt("\n\n# a\n\n\n\nx = {\n\n  a = 1\n\n\n  b = 2\n\n}\n\n\n"),
        "# a\n\nx = {\n  a = 1\n\n  b = 2\n}\n"
    );
}

#[test]
fn comments_at_the_end_of_the_file_are_kept() {
    assert_eq!(
        fmt("x = 1\n\n# end\n# of file"),
        "x = 1\n\n# end\n# of file\n"
    );
    assert_eq!(fmt("# alone"), "# alone\n");
}

#[test]
fn a_stray_doc_comment_does_not_become_a_doc() {
    // In the source `## stray` documents nothing: `b` does not start its line.
    let out = fmt("x = { a = 1\n## stray\n, b = 2 }");
    assert_eq!(out, "x = {\n  a = 1\n  ## stray\n\n  b = 2\n}\n");
    // A `##` line moved out of an entry does not join the next entry's doc either.
    let out = fmt("schema S {\n  a\n  ## stray\n  : Int\n  ## doc of b\n  b: Int\n}");
    assert_eq!(
        out,
        "schema S {\n  a\n    ## stray\n    : Int\n  ## doc of b\n  b: Int\n}\n"
    );
}

#[test]
fn no_line_starts_with_a_type_name_followed_by_a_default() {
    // Without a default a line may start with the type.
    assert_eq!(
        fmt("param tag: # c\n  String"),
        "param tag:  # c\n  String\n"
    );
    // With one, `String = "x"` at the start of a line would be a new entry: break before `:`.
    assert_eq!(
        fmt("param tag # c\n  : String = \"x\""),
        "param tag  # c\n  : String = \"x\"\n"
    );
    assert_eq!(
        fmt("x: List[ # c\n  String] = []"),
        "x: List[  # c\n  String] = []\n"
    );
}

// ----- the API -----

#[test]
fn broken_code_is_not_formatted() {
    let result = format_source(FileId(7), "x = = 1\ny = {");
    let diagnostics = result.expect_err("broken code must be refused");
    assert!(diagnostics.iter().any(|d| d.is_error()));
    assert!(diagnostics.iter().all(|d| d.span().file == FileId(7)));
}

#[test]
fn an_empty_file_stays_empty() {
    assert_eq!(fmt(""), "");
    assert_eq!(fmt("\n\n  \n"), "");
}

#[test]
fn crlf_line_endings_become_newlines() {
    assert_eq!(
        fmt("x = {\r\n  a = 1 # c\r\n\r\n  b = 2\r\n}\r\n"),
        "x = {\n  a = 1  # c\n\n  b = 2\n}\n"
    );
}

#[test]
fn format_module_prints_error_nodes_as_written() {
    let source = "x = 1\ny = = 2\nz = 3\n";
    let (module, diagnostics) = parse(FileId(0), source);
    assert!(!diagnostics.is_empty());
    let out = format_module(source, &module);
    assert!(out.starts_with("x = 1\n"), "{out}");
    assert!(out.ends_with("z = 3\n"), "{out}");
}

#[test]
fn deep_trees_do_not_overflow_a_small_stack() {
    // Deeper than any stack could take without `stacker` at 256 KiB per thread.
    let deep = [
        format!("x = {}1", "-".repeat(500)),
        format!("x = {}", vec!["a"; 500].join(" + ")),
        format!("x = {}", vec!["a"; 500].join(".")),
        format!("x = {}0", "if c then 1 else ".repeat(250)),
        format!("x = {}x", "fn(a: Int) => ".repeat(250)),
        format!("x = {}1{}", "(".repeat(120), ")".repeat(120)),
        format!("x = {}1{}", "[".repeat(120), "]".repeat(120)),
        format!("x = {}1{}", "{ a = ".repeat(120), " }".repeat(120)),
        format!("type T = {}Int{}", "List[".repeat(120), "]".repeat(120)),
    ];
    let worker = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || deep.iter().map(|source| fmt(source)).collect::<Vec<_>>())
        .expect("spawn a thread");
    let outputs = worker.join().expect("no stack overflow");
    assert_eq!(outputs[0], format!("x = {}1\n", "-".repeat(500)));
    // 120 nested records cannot fit in 100 columns: one line per brace.
    assert_eq!(outputs[7].lines().count(), 2 * 120 + 1);
}
