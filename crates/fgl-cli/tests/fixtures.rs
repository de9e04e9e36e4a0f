//! Fixture harness: every `*.fgl` under `tests/syntax/`, `tests/check/` and `tests/aws/` is
//! checked with `fgl check --color never FILE`, and every one under `tests/eval/` is evaluated with
//! `fgl eval --color never FILE`, run from the repository root. What the command prints, plus a
//! last line `exit: N`, must equal `FILE.expected` beside it: stderr alone for `check`; for
//! `eval`, stdout then stderr under `--- stdout` / `--- stderr` headers. The examples are
//! evaluated twice: plainly (`tests/examples/NAME.fgl.expected`) and with `--lowered`
//! (`tests/examples/NAME.fgl.lowered.expected`, the AWS resource graph).
//!
//! A fixture whose first line is `# args: …` gets those extra arguments (split on spaces), e.g.
//! `# args: --set tag=1.2.3`. Files under a directory named `modules/` are not fixtures: they
//! are imported by fixtures.
//!
//! Bless (write the `.expected` files from the current output) with:
//!
//! ```text
//! FGL_BLESS=1 cargo test -p fgl-cli --test fixtures
//! ```

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_root() -> PathBuf {
    Path::new(&manifest_dir()).join("../..")
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
            if entry.file_name() != "modules" {
                find(root, &rel, suffix, out);
            }
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

/// The extra arguments of a fixture's `# args: …` first line.
fn extra_args(root: &Path, fixture: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(root.join(fixture)).unwrap_or_default();
    text.lines()
        .next()
        .and_then(|line| line.strip_prefix("# args:"))
        .map(|args| args.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default()
}

/// What the fixture's expected file must contain.
fn actual_output(root: &Path, fixture: &Path, command: &str, variant: &Variant) -> String {
    // Forward slashes, so the output (and the expected files) are the same on every platform.
    let arg = fixture.to_string_lossy().replace('\\', "/");
    let out = Command::new(env!("CARGO_BIN_EXE_fgl"))
        .args([command, "--color", "never", &arg])
        .args(variant.args)
        .args(extra_args(root, fixture))
        .current_dir(root)
        .env_remove("NO_COLOR")
        .output()
        .expect("the fgl binary runs");
    let code = match out.status.code() {
        Some(code) => code.to_string(),
        None => "killed by a signal".to_string(),
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    if command == "eval" {
        let stdout = String::from_utf8_lossy(&out.stdout);
        format!("--- stdout\n{stdout}--- stderr\n{stderr}exit: {code}\n")
    } else {
        format!("{stderr}exit: {code}\n")
    }
}

#[test]
fn syntax_fixtures() {
    run_fixtures("tests/syntax", "check");
}

#[test]
fn check_fixtures() {
    run_fixtures("tests/check", "check");
}

#[test]
fn eval_fixtures() {
    run_fixtures("tests/eval", "eval");
}

#[test]
fn aws_fixtures() {
    run_fixtures("tests/aws", "check");
}

/// The examples evaluate to what `tests/examples/NAME.fgl.expected` shows.
#[test]
fn example_outputs() {
    run_fixtures_into("examples", "eval", Some("tests/examples"), &PLAIN);
}

/// The examples lower to the AWS resource graphs `tests/examples/NAME.fgl.lowered.expected`.
#[test]
fn lowered_outputs() {
    let lowered = Variant {
        args: &["--lowered"],
        suffix: ".lowered.expected",
    };
    run_fixtures_into("examples", "eval", Some("tests/examples"), &lowered);
}

/// Extra arguments for every fixture of a run, and the suffix of its expected files.
struct Variant {
    args: &'static [&'static str],
    suffix: &'static str,
}

const PLAIN: Variant = Variant {
    args: &[],
    suffix: ".expected",
};

fn run_fixtures(dir: &str, command: &str) {
    run_fixtures_into(dir, command, None, &PLAIN);
}

/// Runs `command` on every fixture under `dir`; expected files sit beside the fixtures, or
/// in `expected_dir` (flat, by file name) when given.
fn run_fixtures_into(dir: &str, command: &str, expected_dir: Option<&str>, variant: &Variant) {
    let root = repo_root();
    let dir = Path::new(dir);
    let expected_path = |fixture: &Path| match expected_dir {
        Some(out) => {
            let name = fixture.file_name().unwrap_or_default().to_string_lossy();
            Path::new(out).join(format!("{name}{}", variant.suffix))
        }
        None => expected_path(fixture),
    };
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
        let actual = actual_output(&root, fixture, command, variant);
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
    find(
        &root,
        expected_dir.map_or(dir, Path::new),
        &format!(".fgl{}", variant.suffix),
        &mut expected_files,
    );
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

/// This crate's directory, as `cargo test` sets it when it runs the test: a test binary built
/// in another clone that shares the target directory still reads this clone's files.
fn manifest_dir() -> String {
    std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
}
