//! Fixture harness: every `tests/syntax/**/*.fgl` is checked with
//! `fgl check --color never tests/syntax/…/NAME.fgl` (run from the repository root), and what
//! it prints on stderr, plus a last line `exit: N`, must equal `NAME.fgl.expected` beside it.
//!
//! Bless (write the `.expected` files from the current output) with:
//!
//! ```text
//! FGL_BLESS=1 cargo test -p fgl-cli --test syntax_fixtures
//! ```

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Files under `dir` whose name ends with `suffix`, sorted, as paths relative to `root`.
fn find(root: &Path, dir: &Path, suffix: &str, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(root.join(dir))
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", root.join(dir).display()));
    let mut entries: Vec<_> = entries.map(|e| e.unwrap()).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let rel = dir.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            find(root, &rel, suffix, out);
        } else if entry.file_name().to_string_lossy().ends_with(suffix) {
            out.push(rel);
        }
    }
}

fn expected_path(fixture: &Path) -> PathBuf {
    let mut name = fixture.as_os_str().to_owned();
    name.push(".expected");
    PathBuf::from(name)
}

/// What the fixture file must contain: stderr, then `exit: N`.
fn actual_output(root: &Path, fixture: &Path) -> String {
    // Forward slashes, so the output (and the expected files) are the same on every platform.
    let arg = fixture.to_string_lossy().replace('\\', "/");
    let out = Command::new(env!("CARGO_BIN_EXE_fgl"))
        .args(["check", "--color", "never", &arg])
        .current_dir(root)
        .env_remove("NO_COLOR")
        .output()
        .expect("the fgl binary runs");
    let code = match out.status.code() {
        Some(code) => code.to_string(),
        None => "killed by a signal".to_string(),
    };
    format!("{}exit: {code}\n", String::from_utf8_lossy(&out.stderr))
}

#[test]
fn syntax_fixtures() {
    let root = repo_root();
    let dir = Path::new("tests/syntax");
    let bless = std::env::var_os("FGL_BLESS").is_some_and(|v| v != "0" && !v.is_empty());

    let mut fixtures = Vec::new();
    find(&root, dir, ".fgl", &mut fixtures);
    assert!(
        !fixtures.is_empty(),
        "no fixtures (*.fgl) under {}: the harness must not pass vacuously",
        root.join(dir).display()
    );

    let mut failures = Vec::new();
    let mut blessed = 0;
    for fixture in &fixtures {
        let actual = actual_output(&root, fixture);
        let expected_file = expected_path(fixture);
        let abs = root.join(&expected_file);
        if bless {
            let current = std::fs::read_to_string(&abs).ok();
            if current.as_deref() != Some(actual.as_str()) {
                std::fs::write(&abs, &actual)
                    .unwrap_or_else(|e| panic!("cannot write {}: {e}", abs.display()));
                blessed += 1;
            }
            continue;
        }
        match std::fs::read_to_string(&abs) {
            // Expected files written on Windows checkouts may have CRLF; compare text.
            Ok(expected) if expected.replace("\r\n", "\n") == actual => {}
            Ok(expected) => failures.push(format!(
                "--- {}\n--- expected:\n{expected}--- actual:\n{actual}",
                fixture.display()
            )),
            Err(e) => failures.push(format!(
                "--- {}: cannot read {}: {e} (run with FGL_BLESS=1 to create it)\n--- actual:\n{actual}",
                fixture.display(),
                expected_file.display()
            )),
        }
    }

    // An expected file whose fixture is gone would silently test nothing.
    let mut expected_files = Vec::new();
    find(&root, dir, ".fgl.expected", &mut expected_files);
    let orphans: Vec<String> = expected_files
        .iter()
        .filter(|e| !fixtures.iter().any(|f| expected_path(f) == **e))
        .map(|e| format!("--- {}: no fixture beside it; delete it", e.display()))
        .collect();

    if bless {
        eprintln!("blessed {blessed} of {} fixtures", fixtures.len());
        for orphan in &orphans {
            eprintln!("{orphan}");
        }
        return;
    }
    failures.extend(orphans);
    assert!(
        failures.is_empty(),
        "{} problems in {} fixtures (FGL_BLESS=1 rewrites the expected files):\n\n{}",
        failures.len(),
        fixtures.len(),
        failures.join("\n")
    );
}
