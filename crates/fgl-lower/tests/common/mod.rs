//! Runs the language pipeline on a source text, as `fgl eval --lowered` does.

#![allow(dead_code)]

use std::path::Path;

use fgl_lower::Graph;

/// The lowered graph of `text`, or the messages of what stopped it.
pub fn lower(text: &str) -> Result<Graph, Vec<String>> {
    let root = fgl_check::RootSource {
        name: "test.fgl".into(),
        path: None,
        text: text.into(),
    };
    let (program, mut diagnostics) = fgl_check::load(&fgl_check::FsHost, root);
    let checked = fgl_check::check(&program);
    diagnostics.extend(checked.diagnostics);
    let errors = |ds: &[fgl_syntax::Diagnostic]| -> Vec<String> {
        ds.iter()
            .filter(|d| d.is_error())
            .map(|d| format!("[{}] {}", d.code, d.message))
            .collect()
    };
    if !errors(&diagnostics).is_empty() {
        return Err(errors(&diagnostics));
    }
    let mut output = fgl_eval::evaluate(&checked.decls, &fgl_eval::Options::default())
        .map_err(|ds| errors(&ds))?;
    fgl_lower::complete(&checked.decls, &mut output);
    fgl_lower::lower(&checked.decls, &output).map_err(|ds| errors(&ds))
}

/// Every example of the repository, with its graph.
pub fn examples() -> Vec<(String, Graph)> {
    let dir = Path::new(&manifest_dir()).join("../../examples");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("examples/ is readable")
        .map(|e| e.expect("a directory entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "fgl"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 4, "the examples are missing");
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("an example is readable");
            let graph = lower(&text).unwrap_or_else(|e| panic!("{}: {e:?}", p.display()));
            (p.display().to_string(), graph)
        })
        .collect()
}

/// This crate's directory, as `cargo test` sets it when it runs the test: a test binary built
/// in another clone that shares the target directory still reads this clone's files.
fn manifest_dir() -> String {
    std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
}
