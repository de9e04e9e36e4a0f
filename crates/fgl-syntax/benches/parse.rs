//! Parse throughput on a realistic file of N services (`cargo bench -p fgl-syntax --bench
//! parse`; `scripts/bench.sh` runs it and docs/benchmarks.md records results).
//!
//! Each service is a ~15-line schema instantiation with interpolated strings, a conditional, a
//! list and nested records, preceded by a doc comment: the shape of real fgl stacks.
//! Throughput is reported in bytes of source; divan drops the returned values (token vectors,
//! syntax trees) outside the timed region.

use divan::counter::BytesCount;
use divan::{black_box, Bencher};
use fgl_syntax::FileId;

fn main() {
    divan::main();
}

/// Sizes in services: 1,000 (≈ 0.5 MB) and 10,000 (≈ 5 MB), to see whether time is linear.
const SIZES: &[usize] = &[1_000, 10_000];

/// A module with `n` services.
fn services(n: usize) -> String {
    let mut out =
        String::from("import \"std/aws\"\n\nstack = \"bench\"\nparam tag: String = \"latest\"\n\n");
    for i in 0..n {
        out.push_str(&format!(
            r#"## Service number {i}.
svc_{i} = aws.Container {{
  image = "ghcr.io/acme/svc-{i}:${{tag}}"
  cpu = 256
  memory = {mem}
  replicas = if {i} % 2 == 0 then 2 else 1
  ports = [8080, {port}]
  env = {{
    SERVICE = "svc-{i}"
    LOG_LEVEL = "info"
    PEER = "http://svc-{peer}.internal:8080/${{tag}}"
  }}
  health = {{ path = "/healthz", interval = 30 }}
  labels = {{ team = "team-{team}", tier = "backend" }}
}}

"#,
            mem = 512 + (i % 4) * 256,
            port = 9000 + i % 100,
            peer = (i + 1) % n.max(1),
            team = i % 7,
        ));
    }
    out
}

/// Lexing alone: raw tokens, delimiter matching and significant newlines.
#[divan::bench(args = SIZES, sample_count = 30)]
fn lex(bencher: Bencher, n: usize) {
    let source = services(n);
    bencher
        .counter(BytesCount::new(source.len()))
        .bench(|| fgl_syntax::lexer::lex(FileId(0), black_box(&source)));
}

/// The whole of `fgl_syntax::parse`: lexing, parsing, doc comments, diagnostics.
#[divan::bench(args = SIZES, sample_count = 30)]
fn lex_and_parse(bencher: Bencher, n: usize) {
    let source = services(n);
    // A benchmark of an input that does not parse cleanly would measure error recovery.
    let (_, diagnostics) = fgl_syntax::parse(FileId(0), &source);
    assert!(diagnostics.is_empty(), "{:?}", diagnostics.first());
    bencher
        .counter(BytesCount::new(source.len()))
        .bench(|| fgl_syntax::parse(FileId(0), black_box(&source)));
}
