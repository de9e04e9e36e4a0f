//! The editor packages, offline: the VS Code extension's manifest, language configuration and
//! grammar are valid and agree with the language (the grammar's own tokenization tests need
//! npm packages: `cd editors/vscode && npm ci && npm test`, see editors/README.md).

use std::path::PathBuf;

use serde_json::Value;

fn editors() -> PathBuf {
    PathBuf::from(&manifest_dir()).join("../../editors")
}

fn json(path: &str) -> Value {
    let text =
        std::fs::read_to_string(editors().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_vscode_manifest_points_at_real_files() {
    let pkg = json("vscode/package.json");
    assert_eq!(pkg["contributes"]["languages"][0]["id"], "fgl");
    assert_eq!(pkg["contributes"]["languages"][0]["extensions"][0], ".fgl");
    for path in [
        &pkg["main"],
        &pkg["contributes"]["languages"][0]["configuration"],
        &pkg["contributes"]["grammars"][0]["path"],
    ] {
        let path = path.as_str().unwrap_or_default();
        assert!(editors().join("vscode").join(path).is_file(), "{path}");
    }
    let grammar = json("vscode/syntaxes/fgl.tmLanguage.json");
    assert_eq!(
        grammar["scopeName"],
        pkg["contributes"]["grammars"][0]["scopeName"]
    );
    let config = json("vscode/language-configuration.json");
    assert_eq!(config["comments"]["lineComment"], "#");
    // The lock file pins what `npm ci` installs (the packaging itself is offline).
    let lock = json("vscode/package-lock.json");
    assert!(lock["packages"]["node_modules/vscode-languageclient"].is_object());
}

#[test]
fn the_grammars_know_every_keyword_and_builtin() {
    let grammar = std::fs::read_to_string(editors().join("vscode/syntaxes/fgl.tmLanguage.json"))
        .unwrap_or_default();
    let vim = std::fs::read_to_string(editors().join("nvim/syntax/fgl.vim")).unwrap_or_default();
    for kw in fgl_syntax::token::KEYWORDS {
        assert!(grammar.contains(kw), "the TextMate grammar lacks `{kw}`");
        assert!(vim.contains(kw), "the Vim syntax lacks `{kw}`");
    }
    for builtin in fgl_check::builtins::BUILTINS {
        assert!(
            grammar.contains(builtin),
            "the TextMate grammar lacks `{builtin}`"
        );
    }
}

/// This crate's directory, as `cargo test` sets it when it runs the test: a test binary built
/// in another clone that shares the target directory still reads this clone's files.
fn manifest_dir() -> String {
    std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
}
