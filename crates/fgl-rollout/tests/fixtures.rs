//! Rollout fixtures: every `tests/rollout/*.json` (a [`Snapshot`] taken from what AWS
//! returns) is diagnosed and its rendered verdict compared with `NAME.expected` beside it.
//! A missing expected file or an orphan one (no snapshot) fails.
//! `FGL_BLESS=1 cargo test -p fgl-rollout --test fixtures` rewrites the expected files.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use fgl_rollout::{diagnose, Snapshot};

fn dir() -> PathBuf {
    Path::new(&manifest_dir()).join("../../tests/rollout")
}

fn files_with(ext: &str) -> Vec<PathBuf> {
    let dir = dir();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    files.sort();
    files
}

#[test]
fn rollout_verdicts_match() {
    let bless = std::env::var_os("FGL_BLESS").is_some();
    let snapshots = files_with("json");
    assert!(
        snapshots.len() >= 10,
        "expected rollout fixtures, found {}",
        snapshots.len()
    );
    let mut failures = Vec::new();
    let mut wanted = BTreeSet::new();
    for path in &snapshots {
        let text = std::fs::read_to_string(path).expect("fixture is readable");
        let snapshot: Snapshot = match serde_json::from_str(&text) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!("{}: not a snapshot: {e}", path.display()));
                continue;
            }
        };
        let actual = diagnose(&snapshot).render();
        let expected_path = path.with_extension("expected");
        wanted.insert(expected_path.clone());
        if bless {
            std::fs::write(&expected_path, &actual).expect("write expected");
            continue;
        }
        match std::fs::read_to_string(&expected_path) {
            Ok(expected) if expected == actual => {}
            Ok(expected) => failures.push(format!(
                "{}:\n--- expected\n{expected}--- actual\n{actual}",
                path.display()
            )),
            Err(_) => failures.push(format!(
                "{}: missing {} (run with FGL_BLESS=1 and review it)",
                path.display(),
                expected_path.display()
            )),
        }
    }
    for orphan in files_with("expected") {
        if !wanted.contains(&orphan) {
            failures.push(format!(
                "{}: orphan expected file (no {} beside it)",
                orphan.display(),
                orphan.with_extension("json").display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn snapshots_round_trip_through_serde() {
    for path in files_with("json") {
        let text = std::fs::read_to_string(&path).expect("fixture is readable");
        let Ok(snapshot) = serde_json::from_str::<Snapshot>(&text) else {
            continue; // reported by the test above
        };
        let again: Snapshot =
            serde_json::from_value(serde_json::to_value(&snapshot).expect("serialize"))
                .expect("deserialize");
        assert_eq!(snapshot, again, "{}", path.display());
    }
}

/// This crate's directory, as `cargo test` sets it when it runs the test: a test binary built
/// in another clone that shares the target directory still reads this clone's files.
fn manifest_dir() -> String {
    std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
}
