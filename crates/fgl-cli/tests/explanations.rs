//! Every explanation of a name, type or evaluation code (E02xx, E03xx) tells the truth: its
//! "Wrong" example makes `fgl check` report that code, and its "Right" example checks cleanly.
//! (Syntax codes are tested by fgl-syntax's `docs` test, with the parser alone.)

use std::path::PathBuf;
use std::process::Command;

use fgl_syntax::codes::fgl_blocks;

fn check(code: &str, which: &str, source: &str) -> (i32, String) {
    let dir = std::env::temp_dir().join(format!("fgl-explain-{}-{code}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file: PathBuf = dir.join(format!("{which}.fgl"));
    std::fs::write(&file, source).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_fgl"))
        .args(["check", "--color", "never"])
        .arg(&file)
        .output()
        .expect("the fgl binary runs");
    let _ = std::fs::remove_dir_all(&dir);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn semantic_examples_show_the_error_and_its_fix() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for info in fgl_syntax::codes::all() {
        let code = info.code.as_str();
        if code.starts_with("E01") {
            continue;
        }
        let blocks = fgl_blocks(info.explanation);
        let [wrong, right, ..] = blocks.as_slice() else {
            // Some mistakes need two files or a command line; their explanation says so in prose.
            continue;
        };
        let (status, stderr) = check(code, "wrong", wrong);
        if status != 1 || !stderr.contains(&format!("[{code}]")) {
            failures.push(format!(
                "{code}: the wrong example should report it:\n{stderr}"
            ));
        }
        let (status, stderr) = check(code, "right", right);
        if status != 0 {
            failures.push(format!("{code}: the right example should check:\n{stderr}"));
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 20, "only {checked} codes have examples");
}
