//! The explanations of E02xx codes are true: each "Wrong" example reports its code through
//! load + check, and each "Right" example reports nothing.

mod common;

fn fgl_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match &mut current {
            None if line.trim() == "```fgl" => current = Some(String::new()),
            Some(_) if line.trim() == "```" => blocks.extend(current.take()),
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    blocks
}

#[test]
fn wrong_examples_report_their_code_and_right_ones_nothing() {
    let mut checked = 0;
    for info in fgl_syntax::codes::all().filter(|i| i.code.as_str().starts_with("E02")) {
        let blocks = fgl_blocks(info.explanation);
        if blocks.is_empty() {
            continue; // examples that need several files are covered by fixtures
        }
        assert_eq!(
            blocks.len(),
            2,
            "{}: a wrong and a right example",
            info.code
        );
        let wrong = common::diagnose(&blocks[0]);
        assert!(
            wrong.iter().any(|f| f.code == info.code.as_str()),
            "{}: the wrong example reports {wrong:#?}",
            info.code
        );
        let right = common::diagnose(&blocks[1]);
        assert!(
            right.is_empty(),
            "{}: the right example reports {right:#?}",
            info.code
        );
        checked += 1;
    }
    assert!(checked >= 14, "only {checked} codes have examples");
}
