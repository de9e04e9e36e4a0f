//! The checker never panics: on every fixture and example of the repository (many with syntax
//! errors), on every prefix of some of them (broken code, as while typing), and on deep trees.

mod common;

use std::path::{Path, PathBuf};

fn fgl_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            fgl_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "fgl") {
            out.push(path);
        }
    }
}

fn repo_files() -> Vec<PathBuf> {
    let root = Path::new(&manifest_dir()).join("../..");
    let mut files = Vec::new();
    for dir in ["tests", "examples", "stdlib"] {
        fgl_files(&root.join(dir), &mut files);
    }
    files.sort();
    files
}

#[test]
fn every_repository_file_checks_without_panicking() {
    let files = repo_files();
    assert!(files.len() > 20, "found only {} files", files.len());
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        common::diagnose(&text);
    }
}

#[test]
fn every_prefix_of_the_check_fixtures_checks_without_panicking() {
    for path in repo_files()
        .into_iter()
        .filter(|p| p.to_string_lossy().contains("tests/check/"))
    {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let cuts: Vec<usize> = text.char_indices().map(|(i, _)| i).step_by(3).collect();
        for cut in cuts {
            common::diagnose(&text[..cut]);
        }
    }
}

#[test]
fn deep_trees_do_not_overflow() {
    let depth = 240;
    let mut src = String::from("x = ");
    src.push_str(&"[".repeat(100));
    src.push_str(&"]".repeat(100));
    src.push_str("\ny = ");
    for _ in 0..depth {
        src.push_str("if true then ");
    }
    src.push('1');
    for _ in 0..depth {
        src.push_str(" else 2");
    }
    src.push_str("\nz = 1");
    for _ in 0..500 {
        src.push_str(" + 1");
    }
    src.push_str("\nw = { a = 1 }");
    for _ in 0..500 {
        src.push_str(".a");
    }
    src.push('\n');
    common::diagnose(&src);
}

/// 10,000 services, each made by one function applied to a record: the function's body is
/// typed once, each call only checks its argument. (Release: ~20 ms; the bound is for debug
/// builds on a slow machine.)
/// A large program checks cleanly (its speed is measured by `scripts/bench.sh`, not here).
#[test]
fn ten_thousand_services_check_cleanly() {
    let mut src = String::from(
        r#"import "std/aws"
stack = "big"
let svc = fn(s: { name: String, port: 1..65535, replicas: 0..1000 }) => aws.Container {
  image = "ghcr.io/acme/${s.name}:1.0"
  port = s.port
  replicas = s.replicas
  env = { NAME = s.name }
  health = { path = "/healthz" }
}
"#,
    );
    for i in 0..10_000 {
        src.push_str(&format!(
            "s{i} = svc({{ name = \"svc{i}\", port = {}, replicas = {} }})\n",
            8000 + i % 1000,
            i % 5
        ));
    }
    let found = common::diagnose(&src);
    assert!(found.is_empty(), "{:#?}", &found[..found.len().min(3)]);
}

/// This crate's directory, as `cargo test` sets it when it runs the test: a test binary built
/// in another clone that shares the target directory still reads this clone's files.
fn manifest_dir() -> String {
    std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
}
