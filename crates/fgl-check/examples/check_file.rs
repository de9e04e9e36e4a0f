//! Prints what the checker reports for a file, plainly (for debugging without the CLI):
//! `cargo run -p fgl-check --example check_file -- FILE`.

use fgl_check::{check, load, FsHost, RootSource};
use fgl_syntax::LineIndex;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: check_file FILE");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let root = RootSource {
        name: path.clone(),
        path: Some(path.into()),
        text,
    };
    let (program, mut diagnostics) = load(&FsHost, root);
    let start = std::time::Instant::now();
    let checked = check(&program);
    let elapsed = start.elapsed();
    diagnostics.extend(checked.diagnostics);
    let place = |span: fgl_syntax::Span| {
        let file = program.file(span.file);
        let index = LineIndex::new(&file.text);
        let at = index.line_col(&file.text, span.start as usize);
        let snippet: String = file.text[span.range()].chars().take(40).collect();
        format!(
            "{}:{}:{} `{}`",
            file.name,
            at.line + 1,
            at.column + 1,
            snippet
        )
    };
    for d in &diagnostics {
        println!("{} {}: {}", d.code, place(d.primary.span), d.message);
        if !d.primary.message.is_empty() {
            println!("    primary: {}", d.primary.message);
        }
        for label in &d.labels {
            println!("    label {}: {}", place(label.span), label.message);
        }
        if let Some(help) = &d.help {
            println!("    help: {help}");
        }
    }
    eprintln!("checked in {elapsed:?}");
}
