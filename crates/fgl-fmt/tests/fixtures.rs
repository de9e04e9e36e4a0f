//! Formatter snapshots: every `tests/fmt/**/NAME.fgl` is formatted and compared with
//! `NAME.fgl.formatted` beside it. `FGL_BLESS=1 cargo test -p fgl-fmt --test fixtures`
//! rewrites the expected files (review them before committing).

mod common;

use std::path::PathBuf;

use fgl_fmt::format_source;
use fgl_syntax::FileId;

fn fixtures() -> Vec<PathBuf> {
    let dir = common::root().join("tests/fmt");
    let files = common::files_ending_with(&dir, ".fgl");
    assert!(
        files.len() >= 15,
        "expected formatter fixtures in {}, found {}",
        dir.display(),
        files.len()
    );
    files
}

fn expected_path(input: &std::path::Path) -> PathBuf {
    input.with_extension("fgl.formatted")
}

#[test]
fn fixtures_format_as_expected() {
    let bless = std::env::var_os("FGL_BLESS").is_some();
    let mut failures = Vec::new();
    for path in fixtures() {
        let source = std::fs::read_to_string(&path).expect("fixture is readable");
        let actual = match format_source(FileId(0), &source) {
            Ok(text) => text,
            Err(diagnostics) => {
                failures.push(format!(
                    "{}: does not parse: {diagnostics:#?}",
                    path.display()
                ));
                continue;
            }
        };
        // The expected output is canonical itself: formatting it changes nothing.
        match format_source(FileId(0), &actual) {
            Ok(again) if again == actual => {}
            Ok(again) => failures.push(format!(
                "{}: formatting the output again changes it (- once, + twice):\n{}",
                path.display(),
                common::diff(&actual, &again)
            )),
            Err(diagnostics) => failures.push(format!(
                "{}: the output does not parse: {diagnostics:#?}",
                path.display()
            )),
        }
        let expected_path = expected_path(&path);
        if bless {
            std::fs::write(&expected_path, &actual).expect("write the expected output");
            continue;
        }
        match std::fs::read_to_string(&expected_path) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => failures.push(format!(
                "{}: the output differs from {} (- expected, + actual):\n{}",
                path.display(),
                expected_path.display(),
                common::diff(&expected, &actual)
            )),
            Err(_) => failures.push(format!(
                "{}: missing {} (run with FGL_BLESS=1 and review it)",
                path.display(),
                expected_path.display()
            )),
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}
