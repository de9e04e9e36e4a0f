//! Parser snapshots: every `tests/parse/*.fgl` is parsed and its span-free tree (see
//! `fgl_syntax::sexp`) plus any diagnostics are compared with `<name>.fgl.sexp` beside it.
//! `FGL_BLESS=1 cargo test -p fgl-syntax --test parse_fixtures` rewrites the expected files.

use std::path::{Path, PathBuf};

use fgl_syntax::{parse, sexp::module_to_sexp, FileId, LineIndex};

fn render(source: &str) -> String {
    let (module, diagnostics) = parse(FileId(0), source);
    let mut out = module_to_sexp(&module);
    let index = LineIndex::new(source);
    for d in diagnostics {
        let at = index.line_col(source, d.primary.span.start as usize);
        out.push_str(&format!(
            "{}:{}: {} [{}] {}\n",
            at.line + 1,
            at.column + 1,
            d.severity.as_str(),
            d.code,
            d.message
        ));
    }
    out
}

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(&manifest_dir()).join("../../tests/parse");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|ext| ext == "fgl"))
        .collect();
    files.sort();
    files
}

#[test]
fn parse_snapshots_match() {
    let bless = std::env::var_os("FGL_BLESS").is_some();
    let files = fixtures();
    assert!(
        files.len() >= 4,
        "expected parse fixtures, found {}",
        files.len()
    );
    let mut failures = Vec::new();
    for path in files {
        let source = std::fs::read_to_string(&path).expect("fixture is readable");
        let actual = render(&source);
        let expected_path = path.with_extension("fgl.sexp");
        if bless {
            std::fs::write(&expected_path, &actual).expect("write snapshot");
            continue;
        }
        match std::fs::read_to_string(&expected_path) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => failures.push(format!(
                "{}:\n--- expected\n{expected}\n--- actual\n{actual}",
                path.display()
            )),
            Err(_) => failures.push(format!(
                "{}: missing {} (run with FGL_BLESS=1)",
                path.display(),
                expected_path.display()
            )),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn valid_fixtures_have_no_diagnostics() {
    for path in fixtures() {
        let source = std::fs::read_to_string(&path).expect("fixture is readable");
        let (_, diagnostics) = parse(FileId(0), &source);
        assert!(
            diagnostics.is_empty(),
            "{} should parse cleanly: {diagnostics:#?}",
            path.display()
        );
    }
}

/// This crate's directory, as `cargo test` sets it when it runs the test: a test binary built
/// in another clone that shares the target directory still reads this clone's files.
fn manifest_dir() -> String {
    std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
}
