//! Loads and checks programs held in memory.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use fgl_check::{check, load, Host, RootSource};
use fgl_syntax::{Diagnostic, LineIndex};

/// Files by path, for relative imports.
#[derive(Default)]
pub struct MemHost {
    pub files: HashMap<PathBuf, String>,
}

impl Host for MemHost {
    fn read(&self, path: &Path) -> std::io::Result<String> {
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| std::io::Error::from(std::io::ErrorKind::NotFound))
    }
}

/// One reported problem, flattened for assertions.
#[derive(Debug, Clone)]
pub struct Found {
    pub code: String,
    /// `line:col` (1-based) of the primary span, and its text.
    pub at: String,
    pub text: String,
    pub message: String,
    pub primary: String,
    pub labels: Vec<String>,
    pub help: Option<String>,
}

/// Every diagnostic (syntax, import, names and types) of `root` (as `app.fgl`), with `others`
/// as further files next to it.
pub fn diagnose_with(root: &str, others: &[(&str, &str)]) -> Vec<Found> {
    let mut host = MemHost::default();
    for (name, text) in others {
        host.files.insert(PathBuf::from(name), text.to_string());
    }
    let (program, mut diagnostics) = load(
        &host,
        RootSource {
            name: "app.fgl".into(),
            path: Some(PathBuf::from("app.fgl")),
            text: root.to_string(),
        },
    );
    let checked = check(&program);
    diagnostics.extend(checked.diagnostics);
    diagnostics
        .iter()
        .map(|d: &Diagnostic| {
            let place = |span: fgl_syntax::Span| {
                let file = program.file(span.file);
                let index = LineIndex::new(&file.text);
                let at = index.line_col(&file.text, span.start as usize);
                (
                    format!("{}:{}", at.line + 1, at.column + 1),
                    file.text[span.range()].to_string(),
                    file.name.clone(),
                )
            };
            let (at, text, _) = place(d.primary.span);
            Found {
                code: d.code.as_str().to_string(),
                at,
                text,
                message: d.message.clone(),
                primary: d.primary.message.clone(),
                labels: d
                    .labels
                    .iter()
                    .map(|l| {
                        let (at, _, file) = place(l.span);
                        format!("{file}:{at}: {}", l.message)
                    })
                    .collect(),
                help: d.help.clone(),
            }
        })
        .collect()
}

pub fn diagnose(root: &str) -> Vec<Found> {
    diagnose_with(root, &[])
}

/// The codes reported, in order.
pub fn codes(root: &str) -> Vec<String> {
    diagnose(root).into_iter().map(|f| f.code).collect()
}

/// Asserts that `root` reports nothing.
#[track_caller]
pub fn ok(root: &str) {
    let found = diagnose(root);
    assert!(
        found.is_empty(),
        "expected no diagnostics for:\n{root}\nfound: {found:#?}"
    );
}

/// Asserts that `root` reports exactly one diagnostic, with `code`, at the text `text`, and
/// returns it.
#[track_caller]
pub fn one(root: &str, code: &str, text: &str) -> Found {
    let found = diagnose(root);
    assert!(
        found.len() == 1 && found[0].code == code && found[0].text == text,
        "expected one {code} at `{text}` for:\n{root}\nfound: {found:#?}"
    );
    found.into_iter().next().unwrap_or_else(|| unreachable!())
}
