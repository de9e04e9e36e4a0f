//! Debug aid: `cargo run -p fgl-syntax --example dump FILE` prints the AST and diagnostics.
fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dump FILE");
        std::process::exit(2);
    };
    let source = match std::fs::read_to_string(&path) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(2);
        }
    };
    let (module, diagnostics) = fgl_syntax::parse(fgl_syntax::FileId(0), &source);
    if std::env::var_os("AST").is_some() {
        print!("{}", fgl_syntax::sexp::module_to_sexp(&module));
    }
    let index = fgl_syntax::LineIndex::new(&source);
    for d in diagnostics {
        let lc = index.line_col(&source, d.primary.span.start as usize);
        println!(
            "{}:{}: {} [{}] {}{}",
            lc.line + 1,
            lc.column + 1,
            d.severity.as_str(),
            d.code,
            d.message,
            d.help.map(|h| format!(" (help: {h})")).unwrap_or_default()
        );
        for l in d.labels {
            let lc = index.line_col(&source, l.span.start as usize);
            println!("    {}:{}: {}", lc.line + 1, lc.column + 1, l.message);
        }
    }
}
