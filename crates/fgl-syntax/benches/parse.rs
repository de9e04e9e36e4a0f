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

// The allocator the `fgl` binary uses, so that these numbers are what users get.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

/// Sizes in services: 1,000 (≈ 0.5 MB) and 10,000 (≈ 5 MB), to see whether time is linear.
const SIZES: &[usize] = &[1_000, 10_000];

#[path = "../tests/support/services.rs"]
mod support;
use support::services;

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
