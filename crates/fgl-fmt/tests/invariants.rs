//! Properties that must hold for every `.fgl` file of the repository (under `tests/` and
//! `examples/`) that parses without errors: the output parses cleanly, means the same (same
//! tree, spans aside), keeps every comment, is formatted already (idempotence), and is tidy
//! (final newline, no trailing white space).

mod common;

use fgl_fmt::format_source;
use fgl_syntax::sexp::module_to_sexp;
use fgl_syntax::{parse, FileId};

/// Checks one source; returns what is wrong, or None for a source with parse errors.
fn check(source: &str) -> Option<Vec<String>> {
    let (before, diagnostics) = parse(FileId(0), source);
    if diagnostics.iter().any(|d| d.is_error()) {
        return None;
    }
    let mut problems = Vec::new();
    let output = match format_source(FileId(0), source) {
        Ok(output) => output,
        Err(diagnostics) => return Some(vec![format!("refused to format: {diagnostics:?}")]),
    };
    let (after, diagnostics) = parse(FileId(0), &output);
    if !diagnostics.is_empty() {
        problems.push(format!(
            "the output has diagnostics: {diagnostics:#?}\n--- output\n{output}"
        ));
    }
    let (sexp_before, sexp_after) = (module_to_sexp(&before), module_to_sexp(&after));
    if sexp_before != sexp_after {
        problems.push(format!(
            "the meaning changed (- input tree, + output tree):\n{}\n--- output\n{output}",
            common::diff(&sexp_before, &sexp_after)
        ));
    }
    let texts = |m: &fgl_syntax::ast::Module| {
        let mut t: Vec<(String, bool)> = m
            .comments
            .iter()
            .map(|c| (c.text.clone(), c.kind == fgl_syntax::ast::CommentKind::Doc))
            .collect();
        t.sort();
        t
    };
    if texts(&before) != texts(&after) {
        problems.push(format!(
            "comments changed: {:?} became {:?}",
            texts(&before),
            texts(&after)
        ));
    }
    match format_source(FileId(0), &output) {
        Ok(again) if again == output => {}
        Ok(again) => problems.push(format!(
            "not idempotent (- first pass, + second pass):\n{}",
            common::diff(&output, &again)
        )),
        Err(diagnostics) => problems.push(format!("the output does not parse: {diagnostics:?}")),
    }
    if !output.is_empty() && (!output.ends_with('\n') || output.ends_with("\n\n")) {
        problems.push("the output must end with exactly one newline".to_string());
    }
    // Trailing white space may only be the text of a `"""` string.
    if !source.contains("\"\"\"") {
        for (n, line) in output.lines().enumerate() {
            if line.ends_with([' ', '\t']) {
                problems.push(format!("trailing white space on output line {}", n + 1));
            }
        }
    }
    Some(problems)
}

#[test]
fn every_repository_file_keeps_its_meaning_and_comments_and_is_a_fixpoint() {
    let root = common::root();
    let mut files = common::files_ending_with(&root.join("tests"), ".fgl");
    files.extend(common::files_ending_with(&root.join("examples"), ".fgl"));
    let mut checked = 0;
    let mut failures = Vec::new();
    for path in &files {
        let source = std::fs::read_to_string(path).expect("file is readable");
        match check(&source) {
            None => {}
            Some(problems) => {
                checked += 1;
                if !problems.is_empty() {
                    failures.push(format!("{}:\n{}", path.display(), problems.join("\n")));
                }
            }
        }
    }
    // The formatter's own fixtures all parse, whatever other crates' test files do.
    let fixtures = common::files_ending_with(&root.join("tests/fmt"), ".fgl").len();
    let minimum = fixtures.max(15);
    assert!(
        checked >= minimum,
        "only {checked} of {} files parsed cleanly; expected at least {minimum}",
        files.len()
    );
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

/// Every fixture with one comment added after each of its tokens (alone on a new line or at
/// the end of the line), or one line break: wherever the result still parses, the properties
/// hold.
#[test]
fn a_comment_or_line_break_after_any_token_keeps_every_property() {
    let files = common::files_ending_with(&common::root().join("tests/fmt"), ".fgl");
    let mut variants = 0;
    let mut failures = Vec::new();
    for path in &files {
        let source = std::fs::read_to_string(path).expect("file is readable");
        let lexed = fgl_syntax::lexer::lex(FileId(0), &source);
        let mut ends: Vec<usize> = lexed.tokens.iter().map(|(_, s)| s.end as usize).collect();
        ends.dedup();
        for end in ends {
            for comment in [" # added\n", "\n# added\n", "\n## added\n", "\n"] {
                let input = format!("{}{comment}{}", &source[..end], &source[end..]);
                let Some(problems) = check(&input) else {
                    continue;
                };
                variants += 1;
                if !problems.is_empty() && failures.len() < 10 {
                    failures.push(format!(
                        "{} with {comment:?} at offset {end}:\n--- input\n{input}\n{}",
                        path.display(),
                        problems.join("\n")
                    ));
                }
            }
        }
    }
    assert!(variants >= 4000, "only {variants} variants parsed");
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}

/// The same properties on inputs built to stress comment placement and layout.
#[test]
fn tricky_inputs_keep_their_meaning_and_comments_and_are_fixpoints() {
    let inputs = [
        "x = a + # after the operator\n  b\n",
        "x = a # before the operator\n  + b\n",
        "x = a -\n  # own line\n  b\n",
        "x = f( # after the paren\n  a, # after a\n  b # before the paren\n)\n",
        "x = (g # before a call\n  (1))\n",
        "x = (Foo # before the brace\n  { a = 1 })\n",
        "x = [ # first\n  1, 2 # second\n]\n",
        "x = [ y # head\n  for y in ys # iter\n  if y > 0 # cond\n]\n",
        "x = { k = v # value\n  for k, v in m }\n",
        "x = if a # cond\n  then b # then\n  else c # else\n",
        "x = let y = 1 # value\n  in y # body\n",
        "x = fn(a: Int, # first param\n  b: Int) => a + b\n",
        "x = a # dot\n  .b\n  # own line\n  .c\n",
        "param p: Int # before the question mark\n  ?\n",
        "param p: Int\n  ## a stray doc comment\n  ?\ny = 1\n",
        "type T = \"a\" # first\n  | \"b\"\n",
        "type T = List[ # in\n  Int # out\n]\n",
        "type T = fn(Int, # param\n  Int) -> # ret\n  Int\n",
        "x = { a # key path\n  .b = 1 }\n",
        "x = {\n  a.b # in the path\n  .c = # after the equals\n  1\n}\n",
        "x = { a = 1 # end of a\n  , b = 2 }\n",
        "x = { a = 1, b = 2 } # after an inline record\n",
        "x = { # trailing the brace\n  a = 1\n}\n",
        "x = {\n  a = 1\n  # before the closing brace\n}\n",
        "x = {\n  # only a comment\n}\n",
        "x = [\n\n  1,\n\n\n  2,\n\n]\n",
        "# a\n\n\n# b\nx = 1\n\n\n\ny = 2\n# c\n\n# d\n",
        "## doc\nx = 1\n\n## not a doc: a blank line follows\n\ny = 2\n",
        "x = {\n  ## doc of a\n  a = 1, b = 2\n}\n",
        "x = [{\n  a = 1\n} for y in ys]\n",
        "x = f({\n  a = 1\n}, { b = 2 })\n",
        "x = \"\"\"\n    keep   \n      this ${ y # inside\n    } \n    \"\"\" ++ z # after\n",
        "x = -(-1) - -1 + !!true\n",
        "t: Int? ? = null\n",
        "schema S { a: Int, b: String = \"x\" # note\n  check a > 0 else \"positive\"\n}\n",
        "schema S {\n  ## doc of a\n  a: Int?\n\n  # checks\n  check a != null else \"a\"\n}\n",
        "x = { \"quoted-key\" = 1, \"${k}\" = 2, plain = 3 }\n",
        "x = a.\"quoted field\".if\n",
        "x = Foo {} // Bar {\n} // {} // []\n",
        "r: { a: Int,\n  b?: { c: String\n  } } = null\n",
        "import \"std/aws\" # aws\nimport \"./net.fgl\" as net # net\n",
    ];
    let mut failures = Vec::new();
    for input in inputs {
        match check(input) {
            None => failures.push(format!("{input:?}: the input itself does not parse")),
            Some(problems) if problems.is_empty() => {}
            Some(problems) => failures.push(format!("{input:?}:\n{}", problems.join("\n"))),
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}
