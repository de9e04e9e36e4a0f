//! Debug aid: `cargo run --release -p fgl-syntax --example timeparse FILE` times lex and parse.
// The allocator the `fgl` binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: timeparse FILE");
        std::process::exit(2);
    };
    let Ok(source) = std::fs::read_to_string(&path) else {
        eprintln!("cannot read {path}");
        std::process::exit(2);
    };
    eprintln!(
        "sizes: Expr {} Type {} Item {} RecordField {} Rich {}",
        std::mem::size_of::<fgl_syntax::ast::Expr>(),
        std::mem::size_of::<fgl_syntax::ast::Type>(),
        std::mem::size_of::<fgl_syntax::ast::Item>(),
        std::mem::size_of::<fgl_syntax::ast::RecordField>(),
        0
    );
    for _ in 0..3 {
        let t = std::time::Instant::now();
        let lexed = fgl_syntax::lexer::lex(fgl_syntax::FileId(0), &source);
        let lex = t.elapsed();
        let n = lexed.tokens.len();
        let t = std::time::Instant::now();
        let (module, diags) = fgl_syntax::parse(fgl_syntax::FileId(0), &source);
        let parse = t.elapsed();
        let mb = source.len() as f64 / 1e6;
        println!(
            "{} bytes, {n} tokens, {} items, {} diags: lex {:?} ({:.0} MB/s), lex+parse {:?} ({:.0} MB/s)",
            source.len(),
            module.items.len(),
            diags.len(),
            lex,
            mb / lex.as_secs_f64(),
            parse,
            mb / parse.as_secs_f64()
        );
    }
}
