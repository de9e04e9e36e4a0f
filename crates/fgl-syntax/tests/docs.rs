//! The documentation stays true to the code: `docs/errors.md` is generated from the code
//! registry (`fgl_syntax::codes`) and every syntax code's wrong example reports it while its right
//! example parses; every ```fgl block of the README and the syntax reference parses.
//! `FGL_BLESS=1 cargo test -p fgl-syntax --test docs` rewrites `docs/errors.md`.

use std::path::Path;

fn render() -> String {
    let mut out = String::from(
        "# Diagnostic codes\n\n\
         `fgl explain CODE` prints the same explanation. Generated from `crates/fgl-syntax/src/codes/` by `cargo test -p fgl-syntax --test \
         docs` (with `FGL_BLESS=1`); do not edit by hand.\n\n\
         | code | title |\n|---|---|\n",
    );
    for info in fgl_syntax::codes::all() {
        out.push_str(&format!(
            "| [{code}](#{anchor}) | {title} |\n",
            code = info.code,
            anchor = info.code.as_str().to_lowercase(),
            title = info.title
        ));
    }
    for info in fgl_syntax::codes::all() {
        out.push_str(&format!(
            "\n## {}\n\n**{}**\n\n{}",
            info.code, info.title, info.explanation
        ));
    }
    out
}

#[test]
fn errors_doc_is_current() {
    let path = Path::new(&manifest_dir()).join("../../docs/errors.md");
    let expected = render();
    if std::env::var_os("FGL_BLESS").is_some() {
        std::fs::write(&path, &expected).expect("write docs/errors.md");
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "docs/errors.md is stale: run FGL_BLESS=1 cargo test -p fgl-syntax --test docs"
    );
}

use fgl_syntax::codes::fgl_blocks;

#[test]
fn explanation_examples_show_the_error_and_its_fix() {
    let mut checked = 0;
    // Later stages' codes need the whole pipeline; fgl-cli's tests check their examples.
    for info in fgl_syntax::codes::all().filter(|i| i.code.as_str().starts_with("E01")) {
        let blocks = fgl_blocks(info.explanation);
        if blocks.len() < 2 {
            continue;
        }
        let (_, wrong) = fgl_syntax::parse(fgl_syntax::FileId(0), blocks[0]);
        assert!(
            wrong.iter().any(|d| d.code == info.code),
            "{}: the wrong example should report it, got {wrong:#?}",
            info.code
        );
        let (_, right) = fgl_syntax::parse(fgl_syntax::FileId(0), blocks[1]);
        assert!(
            right.is_empty(),
            "{}: the right example should parse cleanly, got {right:#?}",
            info.code
        );
        checked += 1;
    }
    assert!(checked >= 14, "only {checked} codes have examples");
}

#[test]
fn documented_examples_parse() {
    let root = Path::new(&manifest_dir()).join("../..");
    let mut checked = 0;
    for doc in ["README.md", "docs/language.md"] {
        let text = std::fs::read_to_string(root.join(doc)).expect("doc is readable");
        for block in fgl_blocks(&text) {
            let (_, diagnostics) = fgl_syntax::parse(fgl_syntax::FileId(0), block);
            assert!(
                diagnostics.is_empty(),
                "{doc}: example does not parse:\n{block}\n{diagnostics:#?}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 3, "only {checked} examples found");
}

/// This crate's directory, as `cargo test` sets it when it runs the test: a test binary built
/// in another clone that shares the target directory still reads this clone's files.
fn manifest_dir() -> String {
    std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
}
