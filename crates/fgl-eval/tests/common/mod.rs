//! Loads fgl source from strings (imports from an in-memory file set) and evaluates it.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use fgl_check::{Host, RootSource};
use fgl_eval::{evaluate, Options};
use fgl_syntax::Diagnostic;

pub struct Files(pub HashMap<PathBuf, String>);

impl Host for Files {
    fn read(&self, path: &Path) -> std::io::Result<String> {
        self.0
            .get(path)
            .cloned()
            .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
    }
}

/// The outcome of evaluating `main.fgl`: the JSON document, or the diagnostics (code, message,
/// the text under the primary span).
pub type Outcome = Result<serde_json::Value, Vec<(String, String, String)>>;

pub fn run_with(src: &str, modules: &[(&str, &str)], options: &Options) -> Outcome {
    let files = Files(
        modules
            .iter()
            .map(|(p, s)| (PathBuf::from(p), s.to_string()))
            .collect(),
    );
    let (program, diags) = fgl_check::load(
        &files,
        RootSource {
            name: "main.fgl".into(),
            path: Some(PathBuf::from("main.fgl")),
            text: src.to_string(),
        },
    );
    assert!(diags.is_empty(), "load: {diags:#?}");
    let (decls, diags) = fgl_check::decls::collect(&program);
    assert!(diags.is_empty(), "decls: {diags:#?}");
    let start = std::time::Instant::now();
    let result = evaluate(&decls, options);
    if std::env::var_os("FGL_EVAL_TIME").is_some() {
        eprintln!("evaluate: {:?}", start.elapsed());
    }
    match result {
        Ok(out) => Ok(out.to_json()),
        Err(diags) => Err(diags.iter().map(|d| describe(&program, d)).collect()),
    }
}

fn describe(program: &fgl_check::Program, d: &Diagnostic) -> (String, String, String) {
    let span = d.primary.span;
    let text = &program.file(span.file).text;
    let under = text.get(span.range()).unwrap_or("<bad span>").to_string();
    (d.code.to_string(), d.message.clone(), under)
}

pub fn run(src: &str) -> Outcome {
    run_with(src, &[], &Options::default())
}

/// The `values` of a program that must evaluate.
pub fn values(src: &str) -> serde_json::Value {
    match run(src) {
        Ok(doc) => doc["values"].clone(),
        Err(diags) => panic!("expected a value, got {diags:#?}"),
    }
}

/// The one diagnostic of a program that must fail: (code, message, text under the span).
pub fn error(src: &str) -> (String, String, String) {
    error_with(src, &Options::default())
}

pub fn error_with(src: &str, options: &Options) -> (String, String, String) {
    match run_with(src, &[], options) {
        Ok(doc) => panic!("expected an error, got {doc:#}"),
        Err(mut diags) => {
            assert_eq!(diags.len(), 1, "{diags:#?}");
            diags.remove(0)
        }
    }
}
