//! End-to-end tests of the `fgl` binary: exit codes, messages, output formats, `fmt`.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

const OK_SOURCE: &str = "stack = \"shop\"\nport = 8080\n";
const BROKEN_SOURCE: &str = "web = {\n  image = \"nginx\"\n";

/// A fresh directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "fgl-cli-test-{}-{}-{name}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, contents).unwrap();
        path
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.0.join(rel)).unwrap()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs `fgl ARGS` in `dir` with a clean color environment.
fn fgl_in(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fgl"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the fgl binary runs");
    {
        let mut pipe = child.stdin.take().unwrap();
        if let Some(text) = stdin {
            pipe.write_all(text.as_bytes()).unwrap();
        }
    }
    child.wait_with_output().unwrap()
}

fn fgl(dir: &TempDir, args: &[&str]) -> Output {
    fgl_in(&dir.0, args, None)
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exited normally, not by a signal")
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("stderr is UTF-8")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

fn assert_no_panic(out: &Output) {
    assert!(!stderr(out).contains("panicked"), "{}", stderr(out));
}

// ---- check ----

#[test]
fn check_clean_file_exits_0_with_a_one_line_summary() {
    let dir = TempDir::new("clean");
    dir.write("app.fgl", OK_SOURCE);
    let out = fgl(&dir, &["check", "app.fgl"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stderr(&out), "checked 1 file: no problems\n");
    assert_eq!(stdout(&out), "");
}

#[test]
fn check_errors_exit_1_with_rendered_diagnostics_and_summary() {
    let dir = TempDir::new("errors");
    dir.write("app.fgl", BROKEN_SOURCE);
    dir.write("ok.fgl", OK_SOURCE);
    let out = fgl(&dir, &["--color", "never", "check", "app.fgl", "ok.fgl"]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(err.starts_with("error[E0101]: unclosed `{`"), "{err}");
    assert!(err.contains("app.fgl:1:7"), "{err}");
    assert!(err.contains("Help:"), "{err}");
    assert!(err.ends_with("error: 1 error in 1 file\n"), "{err}");
    assert_eq!(stdout(&out), "");
}

#[test]
fn missing_file_is_a_one_line_error_with_exit_2() {
    let dir = TempDir::new("missing");
    let out = fgl(&dir, &["check", "app.fgl"]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "error: cannot read app.fgl: No such file or directory (os error 2)\n"
    );
    assert_no_panic(&out);
}

#[test]
fn unreadable_files_do_not_stop_the_others_but_exit_2() {
    let dir = TempDir::new("partial");
    dir.write("bad.fgl", BROKEN_SOURCE);
    let out = fgl(&dir, &["--color=never", "check", "nope.fgl", "bad.fgl"]);
    assert_eq!(code(&out), 2, "I/O errors outrank diagnostics");
    let err = stderr(&out);
    assert!(err.starts_with("error: cannot read nope.fgl: "), "{err}");
    assert!(err.contains("error[E0101]"), "{err}");
}

#[test]
fn non_utf8_file_is_a_one_line_error_with_exit_2() {
    let dir = TempDir::new("utf8");
    dir.write("bin.fgl", b"x = \"\xff\"\n");
    let out = fgl(&dir, &["check", "bin.fgl"]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "error: cannot read bin.fgl: file is not valid UTF-8 (invalid byte at offset 5)\n"
    );
}

#[test]
fn usage_errors_exit_2() {
    let dir = TempDir::new("usage");
    for args in [
        &[][..],
        &["check"][..],
        &["frobnicate"][..],
        &["check", "--nope", "x.fgl"][..],
        &["check", "--format", "xml", "x.fgl"][..],
        &["eval", "--format", "human", "x.fgl"][..],
        &["eval", "x.fgl", "--set", "novalue"][..],
        &["--color", "purple", "check", "x.fgl"][..],
        &["fmt", "-", "x.fgl"][..],
    ] {
        let out = fgl(&dir, args);
        assert_eq!(code(&out), 2, "fgl {args:?}: {}", stderr(&out));
        assert_no_panic(&out);
    }
}

#[test]
fn json_reports_one_based_character_columns() {
    let dir = TempDir::new("json");
    // The `]` is the 10th character of line 2 but its 14th byte.
    dir.write("app.fgl", "a = 1\nb = \"é😀\" ]\nc = 2\n");
    let out = fgl(&dir, &["check", "--format", "json", "app.fgl"]);
    assert_eq!(code(&out), 1);
    assert_eq!(stderr(&out), "", "JSON mode prints nothing else");
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("one JSON document");
    assert_eq!(doc["files_checked"], 1);
    let diagnostics = doc["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 1, "{doc}");
    let d = &diagnostics[0];
    assert_eq!(d["file"], "app.fgl");
    assert_eq!(d["line"], 2);
    assert_eq!(d["column"], 10);
    assert_eq!(d["end_line"], 2);
    assert_eq!(d["end_column"], 11);
    assert_eq!(d["code"], "E0104");
    assert_eq!(d["severity"], "error");
    assert!(d["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert!(d["labels"].is_array());
    assert!(d["help"].is_string() || d["help"].is_null());
}

#[test]
fn json_labels_have_positions_and_messages() {
    let dir = TempDir::new("json-labels");
    dir.write("app.fgl", "x = \"é\" ++ [1,\n  2\ny = 3\n");
    let out = fgl(&dir, &["check", "--format", "json", "app.fgl"]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let d = &doc["diagnostics"][0];
    assert_eq!(d["code"], "E0101", "{doc}");
    assert_eq!(
        (d["line"].clone(), d["column"].clone()),
        (1.into(), 12.into())
    );
    for label in d["labels"].as_array().unwrap() {
        for key in ["line", "column", "end_line", "end_column"] {
            assert!(label[key].as_u64().is_some_and(|n| n >= 1), "{label}");
        }
        assert!(label["message"].is_string(), "{label}");
    }
}

#[test]
fn json_on_success_is_an_empty_list() {
    let dir = TempDir::new("json-ok");
    dir.write("a.fgl", OK_SOURCE);
    dir.write("b.fgl", OK_SOURCE);
    let out = fgl(&dir, &["check", "--format=json", "a.fgl", "b.fgl"]);
    assert_eq!(code(&out), 0);
    assert_eq!(
        stdout(&out),
        "{\"diagnostics\":[],\"files_checked\":2}\n",
        "exactly one line of JSON"
    );
}

#[test]
fn human_output_points_at_the_right_character_after_non_ascii_text() {
    let dir = TempDir::new("human-utf8");
    dir.write("app.fgl", "b = \"é😀\" ]\n");
    let out = fgl(&dir, &["--color", "never", "check", "app.fgl"]);
    let err = stderr(&out);
    assert!(err.contains("app.fgl:1:10"), "{err}");
    // Terminal columns: the emoji is two wide, so the `┬` sits under the `]`.
    let width = |s: &str| {
        s.chars()
            .map(|c| if c == '😀' { 2 } else { 1 })
            .sum::<usize>()
    };
    let code_line = err.lines().find(|l| l.contains("b = ")).unwrap();
    let marker = err.lines().find(|l| l.contains('┬')).unwrap();
    assert_eq!(
        width(&code_line[..code_line.find(']').unwrap()]),
        width(&marker[..marker.find('┬').unwrap()]),
        "{err}"
    );
}

#[test]
fn color_never_has_no_escapes_and_always_has_them() {
    let dir = TempDir::new("color");
    dir.write("app.fgl", BROKEN_SOURCE);
    let never = fgl(&dir, &["--color", "never", "check", "app.fgl", "nope.fgl"]);
    assert!(!never.stderr.contains(&0x1b), "{}", stderr(&never));
    // Not a terminal: `auto` means no colors either.
    let auto = fgl(&dir, &["check", "app.fgl"]);
    assert!(!auto.stderr.contains(&0x1b), "{}", stderr(&auto));
    let always = fgl(&dir, &["check", "--color", "always", "app.fgl"]);
    assert!(always.stderr.contains(&0x1b));
}

#[test]
fn help_has_examples_for_the_app_and_each_command() {
    let dir = TempDir::new("help");
    for args in [
        &["--help"][..],
        &["check", "--help"][..],
        &["fmt", "--help"][..],
        &["help", "fmt"][..],
    ] {
        let out = fgl(&dir, args);
        assert_eq!(code(&out), 0, "{args:?}");
        let text = stdout(&out);
        assert!(text.contains("Examples:"), "{args:?}: {text}");
        assert!(text.contains("fgl "), "{args:?}: {text}");
    }
    let out = fgl(&dir, &["--help"]);
    for word in ["check", "fmt", "eval", "--format", "--color", "Exit status"] {
        assert!(stdout(&out).contains(word), "{word}");
    }
    let out = fgl(&dir, &["--color=never", "--help"]);
    assert!(!out.stdout.contains(&0x1b));
}

#[test]
fn version_prints_the_crate_version() {
    let dir = TempDir::new("version");
    let out = fgl(&dir, &["--version"]);
    assert_eq!(code(&out), 0);
    assert_eq!(stdout(&out), format!("fgl {}\n", env!("CARGO_PKG_VERSION")));
}

#[test]
fn directories_are_walked_sorted_skipping_hidden_and_target() {
    let dir = TempDir::new("walk");
    dir.write("b.fgl", BROKEN_SOURCE);
    dir.write("a/z.fgl", BROKEN_SOURCE);
    dir.write("a/m.fgl", OK_SOURCE);
    dir.write("a/notes.txt", "not fgl");
    dir.write(".git/x.fgl", BROKEN_SOURCE);
    dir.write("target/x.fgl", BROKEN_SOURCE);
    dir.write("sub/target/x.fgl", BROKEN_SOURCE);
    let out = fgl(&dir, &["check", "--format", "json", "."]);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["files_checked"], 3, "{doc}");
    let files: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["./a/z.fgl", "./b.fgl"]);
}

#[test]
fn an_empty_directory_is_a_warning() {
    let dir = TempDir::new("empty");
    std::fs::create_dir_all(dir.0.join("conf")).unwrap();
    let out = fgl(&dir, &["check", "conf"]);
    assert_eq!(code(&out), 0);
    assert!(
        stderr(&out).starts_with("warning: no .fgl files in conf\n"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn check_reads_standard_input_as_dash() {
    let dir = TempDir::new("check-stdin");
    let out = fgl_in(
        &dir.0,
        &["--color=never", "check", "-"],
        Some(BROKEN_SOURCE),
    );
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("<stdin>:1:7"), "{}", stderr(&out));
}

// ---- fmt ----

/// What `fgl fmt -` makes of `text` (the formatter's own answer, whatever its style).
fn formatted(dir: &TempDir, text: &str) -> String {
    let out = fgl_in(&dir.0, &["fmt", "-"], Some(text));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    stdout(&out)
}

/// Text the formatter surely changes (trailing blanks) and its formatted form.
const UNFORMATTED: &str = "port = 8080   \n\n\n\n";

#[test]
fn fmt_stdin_writes_formatted_text_to_stdout() {
    let dir = TempDir::new("fmt-stdin");
    let text = formatted(&dir, UNFORMATTED);
    assert_ne!(text, UNFORMATTED);
    assert!(text.starts_with("port = 8080"), "{text:?}");
    assert_eq!(formatted(&dir, &text), text, "formatting is idempotent");
}

#[test]
fn fmt_check_lists_files_to_change_and_writes_nothing() {
    let dir = TempDir::new("fmt-check");
    let clean = formatted(&dir, OK_SOURCE);
    dir.write("clean.fgl", &clean);
    dir.write("messy.fgl", UNFORMATTED);
    dir.write("sub/messy2.fgl", UNFORMATTED);

    let out = fgl(&dir, &["fmt", "--check", "clean.fgl", "messy.fgl", "sub"]);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    assert_eq!(stdout(&out), "messy.fgl\nsub/messy2.fgl\n");
    assert_eq!(dir.read("messy.fgl"), UNFORMATTED, "--check writes nothing");

    let out = fgl(&dir, &["fmt", "--check", "clean.fgl"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stdout(&out), "");

    let out = fgl(&dir, &["fmt", "--format", "json", "--check", "."]);
    assert_eq!(code(&out), 1);
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(doc["files_checked"], 3);
    assert_eq!(
        doc["changed"],
        serde_json::json!(["./messy.fgl", "./sub/messy2.fgl"])
    );
}

#[test]
fn fmt_rewrites_files_in_place_and_lists_them() {
    let dir = TempDir::new("fmt-write");
    let expected = formatted(&dir, UNFORMATTED);
    let clean = formatted(&dir, OK_SOURCE);
    dir.write("messy.fgl", UNFORMATTED);
    dir.write("clean.fgl", &clean);
    let out = fgl(&dir, &["fmt", "."]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(stderr(&out), "formatted ./messy.fgl\n");
    assert_eq!(stdout(&out), "");
    assert_eq!(dir.read("messy.fgl"), expected);
    assert_eq!(dir.read("clean.fgl"), clean);
    // A second run has nothing to do.
    let out = fgl(&dir, &["fmt", "--check", "."]);
    assert_eq!(code(&out), 0, "{}", stdout(&out));
}

#[test]
fn fmt_leaves_a_broken_file_untouched_and_exits_1() {
    let dir = TempDir::new("fmt-broken");
    dir.write("broken.fgl", BROKEN_SOURCE);
    dir.write("messy.fgl", UNFORMATTED);
    let out = fgl(
        &dir,
        &["--color", "never", "fmt", "broken.fgl", "messy.fgl"],
    );
    assert_eq!(code(&out), 1);
    assert_eq!(dir.read("broken.fgl"), BROKEN_SOURCE);
    let err = stderr(&out);
    assert!(err.contains("error[E0101]"), "{err}");
    assert!(err.contains("broken.fgl:1:7"), "{err}");
    assert!(
        err.contains("formatted messy.fgl"),
        "other files are still formatted: {err}"
    );
    assert_ne!(dir.read("messy.fgl"), UNFORMATTED);

    let out = fgl_in(&dir.0, &["fmt", "-"], Some(BROKEN_SOURCE));
    assert_eq!(code(&out), 1);
    assert_eq!(stdout(&out), "", "no half-formatted text");
}

#[test]
fn fmt_missing_file_exits_2() {
    let dir = TempDir::new("fmt-missing");
    let out = fgl(&dir, &["fmt", "nope.fgl"]);
    assert_eq!(code(&out), 2);
    assert_eq!(
        stderr(&out),
        "error: cannot read nope.fgl: No such file or directory (os error 2)\n"
    );
}

/// The examples are the project's showcase: they check cleanly and are already formatted.
#[test]
fn examples_check_and_are_formatted() {
    let root = Path::new(&manifest_dir()).join("../..");
    let check = fgl_in(&root, &["--color", "never", "check", "examples"], None);
    assert_eq!(
        code(&check),
        0,
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let fmt = fgl_in(&root, &["fmt", "--check", "examples"], None);
    assert_eq!(code(&fmt), 0, "not formatted: {}", stdout(&fmt));
}

fn fgl_here(args: &[&str]) -> Output {
    fgl_in(Path::new("."), args, None)
}

#[test]
fn explain_prints_the_explanation_with_both_examples() {
    let out = fgl_here(&["--color", "never", "explain", "e0101"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("E0101: unclosed delimiter\n"), "{text}");
    assert!(text.contains("Wrong:") && text.contains("Right:"), "{text}");
}

#[test]
fn explain_without_a_code_lists_every_code() {
    let out = fgl_here(&["explain"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().count(), fgl_syntax::codes::all().count());
    assert!(
        text.lines().any(|l| l == "E0113  nesting too deep"),
        "{text}"
    );
}

#[test]
fn explain_an_unknown_code_is_a_usage_error() {
    let out = fgl_here(&["--color", "never", "explain", "E9999"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "error: no diagnostic code `E9999`; `fgl explain` lists them all"
    );
}

#[test]
fn explain_as_json() {
    let out = fgl_here(&["explain", "--format", "json", "E0110"]);
    assert_eq!(out.status.code(), Some(0));
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(value["code"], "E0110");
    assert_eq!(value["title"], "missing `=` after a field name");
    assert!(value["explanation"]
        .as_str()
        .is_some_and(|e| e.contains("Right:")));
}

/// The README shows what `fgl check` prints for its tour with `cpu = 300`: that output must be
/// what the binary prints today (stdlib line numbers and messages drift otherwise).
#[test]
fn readme_check_example_is_current() {
    let root = Path::new(&manifest_dir()).join("../..");
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let tour_start = readme.find("```fgl\n").expect("the README has a tour") + 7;
    let tour = &readme[tour_start..];
    let tour = &tour[..tour.find("```").unwrap()];
    assert!(tour.contains("cpu = 256"), "the tour sets cpu = 256");
    let shown_start = readme
        .find("$ fgl check app.fgl\n")
        .expect("the README shows `fgl check app.fgl`")
        + "$ fgl check app.fgl\n".len();
    let shown = &readme[shown_start..];
    let shown = &shown[..shown.find("```").unwrap()];

    let dir = TempDir::new("readme");
    dir.write("app.fgl", tour.replace("cpu = 256", "cpu = 300"));
    let out = fgl(&dir, &["check", "--color", "never", "app.fgl"]);
    assert_eq!(code(&out), 1);
    assert_eq!(stderr(&out), shown);
}

/// This crate's directory, as `cargo test` sets it when it runs the test: a test binary built
/// in another clone that shares the target directory still reads this clone's files.
fn manifest_dir() -> String {
    std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
}
