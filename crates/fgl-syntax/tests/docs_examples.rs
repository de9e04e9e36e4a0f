//! Every ```fgl block in the README and the syntax reference parses without a diagnostic, so
//! the documentation stays true to the parser.

use std::path::Path;

fn fgl_blocks(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("```fgl\n") {
        let body = &rest[start + 7..];
        let Some(end) = body.find("```") else { break };
        blocks.push(body[..end].to_string());
        rest = &body[end + 3..];
    }
    blocks
}

#[test]
fn documented_examples_parse() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut checked = 0;
    for doc in ["README.md", "docs/language.md"] {
        let text = std::fs::read_to_string(root.join(doc)).expect("doc is readable");
        for block in fgl_blocks(&text) {
            let (_, diagnostics) = fgl_syntax::parse(fgl_syntax::FileId(0), &block);
            assert!(
                diagnostics.is_empty(),
                "{doc}: example does not parse:\n{block}\n{diagnostics:#?}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 3, "only {checked} examples found");
}
