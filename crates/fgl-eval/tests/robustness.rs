//! The evaluator never panics, even on programs the checker would reject (it runs here on the
//! declarations alone), and deep recursion cannot overflow the native stack.

mod common;

use std::path::{Path, PathBuf};

use fgl_eval::{evaluate, Budget, Options};

/// Every fixture of the repository, evaluated without the type checker: errors come back as
/// diagnostics ("internal error" where the checker would have spoken), never as a panic.
#[test]
fn unchecked_programs_do_not_panic() {
    let root = Path::new(&manifest_dir()).join("../..");
    let mut files = Vec::new();
    for dir in [
        "tests/check",
        "tests/syntax",
        "tests/eval",
        "tests/parse",
        "examples",
    ] {
        collect(&root.join(dir), &mut files);
    }
    assert!(files.len() > 50, "found only {} fixtures", files.len());
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap_or_default();
        let (program, _) = fgl_check::load(
            &fgl_check::FsHost,
            fgl_check::RootSource {
                name: file.display().to_string(),
                path: Some(file.clone()),
                text,
            },
        );
        let (decls, _) = fgl_check::decls::collect(&program);
        let small = Options {
            budget: Budget {
                max_steps: 100_000,
                max_depth: 100,
            },
            ..Options::default()
        };
        if let Err(diags) = evaluate(&decls, &small) {
            assert!(!diags.is_empty());
        }
    }
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "fgl") {
            out.push(path);
        }
    }
}

/// 50,000 nested calls with the depth budget raised: the stack grows on the heap.
#[test]
fn deep_recursion_does_not_overflow() {
    let options = Options {
        budget: Budget {
            max_steps: 10_000_000,
            max_depth: 100_000,
        },
        ..Options::default()
    };
    let doc = common::run_with(
        "let count = fn(n: Int) => if n <= 0 then 0 else 1 + count(n - 1)\nx = count(50000)",
        &[],
        &options,
    )
    .unwrap();
    assert_eq!(doc["values"]["x"], 50000);
}

/// A long chain of module bindings, each needing the next, is deep native recursion too.
#[test]
fn long_binding_chains_do_not_overflow() {
    let mut src = String::new();
    for i in 0..20_000 {
        src.push_str(&format!("let x{i} = x{} + 1\n", i + 1));
    }
    src.push_str("let x20000 = 0\nresult = x0\n");
    let doc = common::run(&src).unwrap();
    assert_eq!(doc["values"]["result"], 20000);
}

/// This crate's directory, as `cargo test` sets it when it runs the test: a test binary built
/// in another clone that shares the target directory still reads this clone's files.
fn manifest_dir() -> String {
    std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
}
