//! Robustness of `fgl_syntax::parse`: whatever the input, parsing returns (no panic, no stack
//! overflow, no hang) and its diagnostics are well-formed.
//!
//! - property tests over random bytes, random strings, "token soup" built from fgl's own
//!   tokens, and mutated realistic programs (fixtures from the repository plus programs embedded
//!   here, so the suite is never vacuous);
//! - pathological inputs (deep nesting, very long chains) parsed on a thread with the default
//!   stack, so the parser's own bounds are what keeps it safe;
//! - a 1 MB realistic file.
//!
//! Every proptest uses a fixed seed and no failure persistence, so CI runs are reproducible.
//! `PROPTEST_CASES=N` overrides the case count of every property for a longer local run.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use fgl_syntax::ast::{Item, Module};
use fgl_syntax::diagnostic::Diagnostic;
use fgl_syntax::sexp::module_to_sexp;
use fgl_syntax::{parse, FileId, MAX_TREE_DEPTH};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, RngSeed};

// ---------------------------------------------------------------------------------------------
// Allocation accounting (for the leak test)
// ---------------------------------------------------------------------------------------------

/// The system allocator, counting the bytes each thread has allocated and not yet freed, so
/// that a test can see whether a parse leaves memory behind (an editor parses on every
/// keystroke: a leak per parse is unbounded memory).
struct CountingAllocator;

thread_local! {
    static LIVE_BYTES: Cell<isize> = const { Cell::new(0) };
}

fn track(delta: isize) {
    // `try_with`: the thread-local may already be gone while a thread shuts down.
    let _ = LIVE_BYTES.try_with(|live| live.set(live.get() + delta));
}

unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        track(layout.size() as isize);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        track(-(layout.size() as isize));
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        track(new_size as isize - layout.size() as isize);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

fn live_bytes() -> isize {
    LIVE_BYTES.with(Cell::get)
}

// ---------------------------------------------------------------------------------------------
// Invariants
// ---------------------------------------------------------------------------------------------

#[path = "support/invariants.rs"]
mod invariants;
use invariants::{check_span, has_error_node};

/// How deeply the S-expression's parentheses nest (string literals skipped): at most two levels
/// per tree level (a record is one for itself, one per field).
fn sexp_depth(sexp: &str) -> usize {
    let bytes = sexp.as_bytes();
    let (mut in_string, mut depth, mut max) = (false, 0usize, 0usize);
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'(' if !in_string => {
                depth += 1;
                max = max.max(depth);
            }
            b')' if !in_string => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    max
}

/// The tree is as shallow as the parser promises, so that every recursive pass over it (the
/// formatter, the checker) is safe on a default stack.
fn check_depth(sexp: &str) -> Result<(), String> {
    let depth = sexp_depth(sexp);
    let bound = 2 * MAX_TREE_DEPTH + 16;
    if depth > bound {
        return Err(format!(
            "tree too deep: S-expression nesting {depth} > {bound} (MAX_TREE_DEPTH = {MAX_TREE_DEPTH})"
        ));
    }
    Ok(())
}

fn check_items(source: &str, module: &Module) -> Result<(), String> {
    check_span(source, module.span, "module")?;
    for (i, Item { span, .. }) in module.items.iter().enumerate() {
        check_span(source, *span, &format!("item {i}"))?;
    }
    for (i, comment) in module.comments.iter().enumerate() {
        check_span(source, comment.span, &format!("comment {i}"))?;
    }
    Ok(())
}

fn check_diagnostics(source: &str, diagnostics: &[Diagnostic]) -> Result<(), String> {
    let mut seen = HashSet::new();
    for (i, d) in diagnostics.iter().enumerate() {
        check_span(
            source,
            d.primary.span,
            &format!("diagnostic {i} ({})", d.code),
        )?;
        for label in &d.labels {
            check_span(
                source,
                label.span,
                &format!("label of diagnostic {i} ({})", d.code),
            )?;
        }
        if !seen.insert((d.code, d.primary.span)) {
            return Err(format!(
                "diagnostic {i} repeats code {} at {:?}",
                d.code, d.primary.span
            ));
        }
    }
    if let Some(w) = diagnostics
        .windows(2)
        .find(|w| w[0].primary.span.start > w[1].primary.span.start)
    {
        return Err(format!(
            "diagnostics out of order: {} at {} before {} at {}",
            w[0].code, w[0].primary.span.start, w[1].code, w[1].primary.span.start
        ));
    }
    Ok(())
}

/// Everything that must hold for any source. Returns the diagnostics for further checks.
fn check_source(source: &str) -> Result<Vec<Diagnostic>, String> {
    let (module, diagnostics) = parse(FileId(0), source);
    // The fast path for valid input and the grammar build the same tree.
    let (grammar_module, grammar_diagnostics) = fgl_syntax::parse_with_grammar(FileId(0), source);
    if module != grammar_module || diagnostics != grammar_diagnostics {
        return Err(format!(
            "the fast path and the grammar disagree:\nfast:    {}\ngrammar: {}",
            module_to_sexp(&module),
            module_to_sexp(&grammar_module)
        ));
    }
    check_items(source, &module)?;
    check_diagnostics(source, &diagnostics)?;
    let sexp = module_to_sexp(&module);
    check_depth(&sexp)?;
    let error_nodes = has_error_node(&sexp);
    if diagnostics.is_empty() && error_nodes {
        return Err("the tree has (error) nodes but there is no diagnostic".into());
    }
    if error_nodes && !diagnostics.iter().any(Diagnostic::is_error) {
        return Err("the tree has (error) nodes but no error diagnostic".into());
    }
    Ok(diagnostics)
}

fn prop_check(source: &str) -> Result<(), TestCaseError> {
    check_source(source)
        .map(drop)
        .map_err(|e| TestCaseError::fail(format!("{e}\nsource: {source:?}")))
}

/// A fixed seed (reproducible CI), no persistence files; `PROPTEST_CASES` still overrides.
fn config(cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    Config {
        cases,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(0x0f91_5eed),
        // Shrinking a failure must not stall CI for minutes.
        max_shrink_time: 30_000,
        ..Config::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Realistic programs
// ---------------------------------------------------------------------------------------------

/// Realistic programs embedded here, so the mutation tests work even with no fixture on disk.
const PROGRAMS: &[&str] = &[
    r#"## The shop's web stack.
import "std/aws"
import "./net.fgl" as net

stack = "shop"

## Image tag to deploy.
param tag: String = "latest"
param replicas: 1..10 = 2
let zone = "example.com"

type Port = 1..65535
type Scheme = "http" | "https"
type Env = Map[String]

## A health probe.
schema Probe {
  ## Path to poll.
  path: String = "/"
  interval: 5..300 = 30
  timeout: Int?
  check interval > 0 else "interval must be positive"
}

resource Queue {
  name: String
  fifo: Bool = false
  tags: { owner: String, cost_center?: String }
  handler: fn(Int, String) -> Bool
}

check len(zone) > 0 else "zone must not be empty"

let base_env = {
  LOG_LEVEL = "info"
  "X-Api-Key" = "none"
  region.primary = "eu-west-1"
}

web = aws.Container {
  image = "ghcr.io/acme/web:${tag}"
  cpu = if replicas > 4 then 512 else 256
  memory = 1_024
  env = base_env // { ZONE = zone, URL = "https://${zone}/${"api"}" }
  ports = [80, 443]
  health = Probe { path = "/healthz", interval = 10 }
}

port: Port = 8080
services = [ s.name for s in [web] if s.cpu >= 256 ]
hosts = { "${k}.${zone}" = v for k, v in { a = 1, b = 2 } }
mk = fn(name: String, port: Port = 8080) => { name = name, port = port }
api = mk("api", port = 9000)
greeting = """
    Hello,
      world ${zone}
    """
total = let n = 3 in n * 2 + -1 - !false ?? 0
flags = [true, false, null] ++ []
ok = 1 < 2 && 3 >= 2 || "a" in ["a"] && 4 != 5
"#,
    r#"import "std/aws"

stack = "billing"
param env: "dev" | "staging" | "prod" = "dev"
param image_tag: String

let sizes = { dev = 256, staging = 512, prod = 1024 }
let names = ["invoices", "payments", "ledger"]

## One container per service, sized by environment.
services = {
  "${n}" = aws.Container {
    image = "ghcr.io/acme/${n}:${image_tag}"
    cpu = sizes.dev
    memory = if env == "prod" then 2048 else 512
    env = { SERVICE = n, ENV = env, DEBUG = to_string(env != "prod") }
    secrets = { DB_PASSWORD = db_password }
  }
  for n in names
}

db_password = aws.Secret { name = "billing/db" }
cert = aws.Certificate { domain = "billing.example.com", alt = ["*.billing.example.com"] }

lb = aws.LoadBalancer {
  certificate = cert
  listeners = [
    { port = 443, target = services.invoices, path = "/invoices/*" },
    { port = 443, target = services.payments, path = "/payments/*" },
  ]
}

public_names = sort([ upper(n) for n in names if !starts_with(n, "_") ])
total_memory = sum([ s.memory for s in values(services) ])
check total_memory <= 16_384 else "too much memory: ${to_string(total_memory)} MiB"
"#,
    r#"# Types and functions only.
type Level = "debug" | "info" | "warn" | "error"
type Labels = Map[String]
type Handler = fn(String, Int) -> Bool?
type Nested = { a: { b: { c: List[Int]? } }, d?: 0..9 }

schema Logging {
  level: Level = "info"
  labels: Labels = {}
  retention: 1..3650 = 30
  check retention >= 7 || level == "debug" else "keep logs at least a week"
}

let clamp = fn(x: Int, lo: Int = 0, hi: Int = 100) => min(max(x, lo), hi)
let pick = fn(m: Map[Int], k: String) => m.missing ?? 0
levels = [ l for l in ["debug", "info"] ] ++ ["warn"]
merged = { a = 1 } // { b = 2 } // { a = 3 }
deep = { a.b.c = 1, a.b.d = [1, 2, [3, [4]]], "quoted key" = { x = -1 } }
math = (1 + 2) * 3 - 4 / 2 % 3
logic = !(true && false) || null == null
text = "tab\tquote\"dollar\$ backslash\\ ${clamp(150)}"
banner = """
  line one
    indented ${join(levels, ", ")}
  end
  """
"#,
];

/// Every `.fgl` file under `tests/`, `examples/` and `stdlib/` of the repository (fixtures may
/// be few; the embedded programs guarantee a corpus).
fn fixture_files() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "fgl") {
                out.push(path);
            }
        }
    }
    let root = Path::new(&manifest_dir()).join("../..");
    let mut files = Vec::new();
    for dir in ["tests", "examples", "stdlib"] {
        walk(&root.join(dir), &mut files);
    }
    files.sort();
    files
}

/// Mutation corpus: embedded programs plus fixtures (huge ones skipped to bound run time).
static CORPUS: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut corpus: Vec<String> = PROGRAMS.iter().map(|p| p.to_string()).collect();
    for path in fixture_files() {
        if let Ok(text) = std::fs::read_to_string(&path) {
            if text.len() <= 64 * 1024 {
                corpus.push(text);
            }
        }
    }
    corpus
});

#[path = "support/services.rs"]
mod support;
use support::services;

/// The fast path is not vacuous: it parses every valid fixture, to the grammar's very tree
/// (spans and doc comments included).
#[test]
fn fast_path_parses_every_valid_fixture_like_the_grammar() {
    let mut valid = 0;
    let sources = PROGRAMS.iter().map(|p| p.to_string()).chain(
        fixture_files()
            .into_iter()
            .filter_map(|p| std::fs::read_to_string(p).ok()),
    );
    for source in sources {
        let (grammar, diagnostics) = fgl_syntax::parse_with_grammar(FileId(0), &source);
        let fast = fgl_syntax::parse_fast_only(FileId(0), &source);
        if diagnostics.is_empty() {
            valid += 1;
            assert_eq!(fast.as_ref(), Some(&grammar), "fast path on:\n{source}");
        } else if let Some(fast) = fast {
            // The lexer's errors leave a repaired token stream the fast path may accept.
            assert_eq!(fast, grammar, "fast path on:\n{source}");
        }
    }
    assert!(valid >= 20, "only {valid} valid programs");
}

#[test]
fn embedded_programs_and_fixtures_parse_cleanly() {
    for (i, program) in PROGRAMS.iter().enumerate() {
        let diagnostics = check_source(program).unwrap();
        assert!(
            diagnostics.is_empty(),
            "embedded program {i} has diagnostics: {diagnostics:#?}"
        );
    }
    // Fixtures may be deliberately broken (error tests); they only have to satisfy the
    // invariants.
    for path in fixture_files() {
        let text = std::fs::read_to_string(&path).unwrap();
        if let Err(e) = check_source(&text) {
            panic!("{}: {e}", path.display());
        }
    }
}

#[test]
fn invariant_checker_detects_error_nodes() {
    // The checker itself: an `(error)` inside a string literal is not a node.
    assert!(has_error_node("(bind x (error))"));
    assert!(!has_error_node("(bind x (str \"(error)\"))"));
    assert!(!has_error_node("(bind x (str \"\\\"(error)\"))"));
    assert_eq!(sexp_depth("(bind x (str \"((\") (list 1))"), 2);
    // A broken source has an error node and an error diagnostic.
    let (module, diagnostics) = parse(FileId(0), "x = (1 +\ny = 2\n");
    assert!(has_error_node(&module_to_sexp(&module)));
    assert!(diagnostics.iter().any(Diagnostic::is_error));
}

#[test]
fn unterminated_strings_are_reported() {
    // Found by fuzzing the formatter's round trip: text after an interpolation that runs to the
    // end of the line or file was accepted without a diagnostic.
    for source in [
        "x = \"abc",
        "x = \"${x}",
        "x = \"${x} abc",
        "x = \"${x}\ny = 2\n",
        "x = \"\"\"${x}",
        "x = \"\"\"a${x}b\n",
    ] {
        let diagnostics = check_source(source).unwrap();
        assert!(
            diagnostics.iter().any(|d| d.code.as_str() == "E0102"),
            "{source:?}: no E0102 (unterminated string) in {diagnostics:?}"
        );
    }
}

#[test]
fn parsing_does_not_leak() {
    // On a fresh thread, so that only this test's allocations are counted. The first parse
    // may initialise lazily built state; every later one must give back all it allocated.
    let leaks = std::thread::spawn(|| {
        let sources = [
            String::new(),
            PROGRAMS[0].to_string(),
            "x = (1 +\ny = \"${\n".to_string(),
            format!("x = {}\n", nest(1_000, "(", "1", ")")),
        ];
        drop(parse(FileId(0), "x = 1\n"));
        let mut leaks = Vec::new();
        for source in &sources {
            let before = live_bytes();
            drop(parse(FileId(0), source));
            let leaked = live_bytes() - before;
            if leaked != 0 {
                leaks.push(format!(
                    "{leaked} bytes after parsing {} bytes",
                    source.len()
                ));
            }
        }
        leaks
    })
    .join()
    .unwrap();
    assert!(leaks.is_empty(), "parse leaks memory: {leaks:?}");
}

// ---------------------------------------------------------------------------------------------
// Random input
// ---------------------------------------------------------------------------------------------

/// The ASCII characters where the lexer has most states.
const INTERESTING_BYTES: &[u8] = b" \n\t\r\"{}[]()$#=.,:?|+-*/!<>&%\\_az09";

/// Bytes biased towards ASCII punctuation and letters.
fn byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        3 => any::<u8>(),
        3 => select(INTERESTING_BYTES),
        2 => 0x20u8..0x7f,
    ]
}

proptest! {
    #![proptest_config(config(4_000))]

    #[test]
    fn random_bytes(bytes in prop::collection::vec(byte(), 0..160)) {
        prop_check(&String::from_utf8_lossy(&bytes))?;
    }
}

proptest! {
    #![proptest_config(config(3_000))]

    /// Arbitrary valid UTF-8, any scalar value (controls, BOMs, astral characters…).
    #[test]
    fn random_strings(source in any::<String>()) {
        prop_check(&source)?;
    }

    /// Printable text with newlines: closer to what a person types.
    #[test]
    fn random_printable_lines(source in "[ -~\n\té😀€]{0,200}") {
        prop_check(&source)?;
    }
}

// ---------------------------------------------------------------------------------------------
// Token soup
// ---------------------------------------------------------------------------------------------

/// fgl's tokens, keywords and fragments that put the lexer in interesting states.
#[rustfmt::skip]
const FRAGMENTS: &[&str] = &[
    "{", "}", "[", "]", "(", ")", "\"", "\"\"\"", "${", "$", "=", "==", "!=", ",", ":", ".", "..",
    "?", "??", "|", "||", "&&", "!", "->", "=>", "+", "-", "*", "/", "%", "<", "<=", ">", ">=",
    "//", "++", "#", "# comment", "##", "## doc", "\n", "\n\n", "\r\n", "\t", "\\", "\\n", "\\$",
    "\\\"", "\\q", "let", "in", "if", "then", "else", "fn", "schema", "resource", "type", "param",
    "check", "for", "import", "as", "true", "false", "null", "stack", "String", "Int", "List",
    "Map", "aws.Container", "é", "😀", "€", "\u{FEFF}", "\u{0}", "\u{2028}", "0", "1_000",
    "99999999999999999999", "1.5", "12ab", "1_", "\"s\"", "\"a ${x} b\"", "\"\"", "x = 1", "a.b",
    "f(x)", "[1, 2]", "{ a = 1 }",
];

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => select(FRAGMENTS).prop_map(str::to_string),
        2 => "[a-zA-Z_][a-zA-Z0-9_]{0,6}",
        1 => "[0-9][0-9_]{0,22}",
    ]
}

fn soup() -> impl Strategy<Value = String> {
    let separator = select(&["", " ", " ", "\n", "  "][..]);
    prop::collection::vec((token(), separator), 0..80).prop_map(|parts| {
        parts
            .into_iter()
            .flat_map(|(token, sep)| [token, sep.to_string()])
            .collect()
    })
}

proptest! {
    #![proptest_config(config(5_000))]

    #[test]
    fn token_soup(source in soup()) {
        prop_check(&source)?;
    }

    /// Soup inside a plausible frame, so that the parser gets past the item level.
    #[test]
    fn token_soup_in_context(
        prefix in select(&["x = ", "x = [", "x = {", "x = \"${", "param p: ", "schema S { f: ", "x = f(", "x = if "][..]),
        body in soup(),
    ) {
        prop_check(&format!("{prefix}{body}\ny = 1\n"))?;
    }
}

// ---------------------------------------------------------------------------------------------
// Mutated realistic programs
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum Mutation {
    Delete { at: usize, len: usize },
    Insert { at: usize, text: String },
    Duplicate { at: usize, len: usize, to: usize },
    SwapTokens { a: usize, b: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    // Positions are arbitrary numbers, reduced modulo the current length when applied.
    prop_oneof![
        (any::<usize>(), 1usize..40).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (any::<usize>(), token()).prop_map(|(at, text)| Mutation::Insert { at, text }),
        (any::<usize>(), 1usize..200, any::<usize>())
            .prop_map(|(at, len, to)| Mutation::Duplicate { at, len, to }),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapTokens { a, b }),
    ]
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Byte ranges of the whitespace-separated words of `s`: a rough stand-in for tokens.
fn words(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(st)) => {
                out.push((st, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(st) = start {
        out.push((st, s.len()));
    }
    out
}

fn apply(mut s: String, m: &Mutation) -> String {
    let pos = |s: &str, at: usize| floor_boundary(s, at % (s.len() + 1));
    match m {
        Mutation::Delete { at, len } => {
            let start = pos(&s, *at);
            let end = floor_boundary(&s, start + len);
            s.replace_range(start..end, "");
        }
        Mutation::Insert { at, text } => {
            let at = pos(&s, *at);
            s.insert_str(at, text);
        }
        Mutation::Duplicate { at, len, to } => {
            let start = pos(&s, *at);
            let end = floor_boundary(&s, start + len);
            let piece = s[start..end].to_string();
            let to = pos(&s, *to);
            s.insert_str(to, &piece);
        }
        Mutation::SwapTokens { a, b } => {
            let words = words(&s);
            if words.len() >= 2 {
                let (i, j) = (a % words.len(), b % words.len());
                let (first, second) = (words[i.min(j)], words[i.max(j)]);
                if first != second {
                    let w1 = s[first.0..first.1].to_string();
                    let w2 = s[second.0..second.1].to_string();
                    // Replace the later word first so the earlier range stays valid.
                    s.replace_range(second.0..second.1, &w1);
                    s.replace_range(first.0..first.1, &w2);
                }
            }
        }
    }
    s
}

proptest! {
    #![proptest_config(config(5_000))]

    #[test]
    fn mutated_programs(
        which in any::<usize>(),
        mutations in prop::collection::vec(mutation(), 1..8),
    ) {
        let corpus = &*CORPUS;
        let mut source = corpus[which % corpus.len()].clone();
        for m in &mutations {
            source = apply(source, m);
        }
        prop_check(&source)?;
    }
}

#[test]
fn every_prefix_of_the_programs() {
    // Truncation at every character is what an editor sees while typing.
    for program in PROGRAMS {
        for (i, _) in program.char_indices() {
            if let Err(e) = check_source(&program[..i]) {
                panic!("prefix of length {i}: {e}\nsource: {:?}", &program[..i]);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Pathological input
// ---------------------------------------------------------------------------------------------

/// Parses on a fresh thread with the default stack size (the parser must bound its own
/// recursion), checks the invariants, renders the tree, and drops the tree there too (a deep
/// `Box` tree can overflow the stack when dropped). Returns the diagnostics.
fn parse_on_default_stack(name: &str, source: String) -> Vec<Diagnostic> {
    parse_on_default_stack_with_items(name, source).0
}

/// [`parse_on_default_stack`], also returning the number of items.
fn parse_on_default_stack_with_items(name: &str, source: String) -> (Vec<Diagnostic>, usize) {
    std::thread::Builder::new()
        .name(name.to_string())
        .spawn(move || {
            let (module, diagnostics) = parse(FileId(0), &source);
            check_items(&source, &module).unwrap();
            check_diagnostics(&source, &diagnostics).unwrap();
            check_depth(&module_to_sexp(&module)).unwrap();
            let items = module.items.len();
            drop(module);
            (diagnostics, items)
        })
        .unwrap()
        .join()
        .unwrap_or_else(|_| panic!("{name}: parse panicked"))
}

fn assert_too_deep(name: &str, source: String) {
    let diagnostics = parse_on_default_stack(name, source);
    assert!(
        diagnostics.iter().any(|d| d.code.as_str() == "E0113"),
        "{name}: expected E0113 (nesting too deep), got {:?}",
        diagnostics
            .iter()
            .map(|d| (d.code.as_str(), &d.message))
            .collect::<Vec<_>>()
    );
}

fn nest(n: usize, open: &str, inner: &str, close: &str) -> String {
    let mut s = String::with_capacity(n * (open.len() + close.len()) + inner.len());
    for _ in 0..n {
        s.push_str(open);
    }
    s.push_str(inner);
    for _ in 0..n {
        s.push_str(close);
    }
    s
}

#[test]
fn deep_parentheses() {
    assert_too_deep("parens", format!("x = {}\n", nest(10_000, "(", "1", ")")));
}

#[test]
fn deep_brackets() {
    assert_too_deep("brackets", format!("x = {}\n", nest(10_000, "[", "1", "]")));
}

#[test]
fn deep_records() {
    assert_too_deep(
        "records",
        format!("x = {}\n", nest(10_000, "{ a = ", "1", " }")),
    );
}

#[test]
fn deep_interpolations() {
    assert_too_deep(
        "interpolations",
        format!("x = {}\n", nest(10_000, "\"${", "1", "}\"")),
    );
}

#[test]
fn deep_multiline_interpolations() {
    assert_too_deep(
        "multiline interpolations",
        format!("x = {}\n", nest(10_000, "\"\"\"\n${", "1", "}\n\"\"\"")),
    );
}

#[test]
fn unclosed_parentheses() {
    assert_too_deep("unclosed parens", format!("x = {}", "(".repeat(10_000)));
}

#[test]
fn unclosed_mixed_openers() {
    assert_too_deep("unclosed mixed", format!("x = {}", "([{\"${".repeat(5_000)));
}

#[test]
fn many_prefix_minus() {
    assert_too_deep("prefix minus", format!("x = {}1\n", "- ".repeat(100_000)));
}

#[test]
fn many_prefix_not() {
    assert_too_deep("prefix not", format!("x = {}true\n", "!".repeat(100_000)));
}

#[test]
fn long_addition_chain() {
    assert_too_deep("plus chain", format!("x = 1{}\n", " + 1".repeat(100_000)));
}

#[test]
fn long_coalesce_chain() {
    // `??` is right-associative: a naive fold would recurse.
    assert_too_deep(
        "coalesce chain",
        format!("x = a{}\n", " ?? a".repeat(100_000)),
    );
}

#[test]
fn long_comparison_chain() {
    // Chained comparisons are an error of their own (E0115), reported once.
    let diagnostics = parse_on_default_stack(
        "comparison chain",
        format!("x = 1{}\n", " < 1".repeat(100_000)),
    );
    assert!(!diagnostics.is_empty());
}

#[test]
fn deep_else_if() {
    assert_too_deep(
        "else if",
        format!("x = {}0\n", "if a then b else ".repeat(10_000)),
    );
}

#[test]
fn deep_let_in() {
    assert_too_deep(
        "let in",
        format!("x = {}x\n", "let x = 1 in ".repeat(10_000)),
    );
}

#[test]
fn deep_fn() {
    assert_too_deep("fn", format!("x = {}1\n", "fn(a: Int) => ".repeat(10_000)));
}

#[test]
fn long_field_chain() {
    assert_too_deep("field chain", format!("x = a{}\n", ".b".repeat(100_000)));
}

#[test]
fn long_call_chain() {
    assert_too_deep("call chain", format!("x = f{}\n", "()".repeat(100_000)));
}

#[test]
fn long_instantiation_chain() {
    assert_too_deep(
        "instantiation chain",
        format!("x = S{}\n", "{}".repeat(100_000)),
    );
}

#[test]
fn deep_types() {
    assert_too_deep(
        "List[List[…]]",
        format!("param p: {}\n", nest(10_000, "List[", "Int", "]")),
    );
    assert_too_deep(
        "record types",
        format!("param p: {}\n", nest(10_000, "{ a: ", "Int", " }")),
    );
    assert_too_deep(
        "fn types",
        format!("param p: {}Int\n", "fn() -> ".repeat(10_000)),
    );
    assert_too_deep(
        "paren types",
        format!("type T = {}\n", nest(10_000, "(", "Int", ")")),
    );
    assert_too_deep(
        "optional types",
        format!("param p: Int{}\n", " ?".repeat(100_000)),
    );
}

/// Long but flat input must parse without E0113.
fn assert_flat(name: &str, source: String) {
    let diagnostics = parse_on_default_stack(name, source);
    assert!(
        !diagnostics.iter().any(|d| d.code.as_str() == "E0113"),
        "{name}: flat input reported as too deep"
    );
}

#[test]
fn long_union_type() {
    assert_flat("union", format!("type T = 1{}\n", " | 1".repeat(100_000)));
}

#[test]
fn long_list() {
    assert_flat("list", format!("x = [{}]\n", "1, ".repeat(100_000)));
}

#[test]
fn long_record() {
    let fields: String = (0..50_000).map(|i| format!("a{i} = 1, ")).collect();
    assert_flat("record", format!("x = {{ {fields} }}\n"));
}

#[test]
fn long_key_path() {
    assert_flat(
        "key path",
        format!("x = {{ a{} = 1 }}\n", ".b".repeat(100_000)),
    );
}

#[test]
fn many_items() {
    assert_flat("items", "x = 1\n".repeat(100_000));
}

#[test]
fn many_doc_comments() {
    assert_flat("comments", "## doc\n".repeat(5_000) + "x = 1\n");
}

#[test]
fn many_newlines() {
    assert_flat("newlines", "\n".repeat(10_000));
}

// Blank and comment-only lines are handled in time quadratic in the length of the run
// (`newlines::significant_newlines` looks ahead past every newline for each one): 1,000,000
// newlines take hours in a debug build. Reported; the sizes above are kept small so that CI
// stays bounded, these are the real sizes. Run with `cargo test -- --ignored`.

#[test]
fn many_doc_comments_large() {
    assert_flat("comments", "## doc\n".repeat(100_000) + "x = 1\n");
}

#[test]
fn many_newlines_large() {
    assert_flat("newlines", "\n".repeat(1_000_000));
}

#[test]
fn long_identifier() {
    assert_flat("identifier", format!("x = {}\n", "a".repeat(1_000_000)));
}

#[test]
fn long_string() {
    assert_flat("string", format!("x = \"{}\"\n", "a".repeat(1_000_000)));
}

#[test]
fn many_interpolations() {
    assert_flat(
        "interpolations",
        format!("x = \"{}\"\n", "${a}".repeat(100_000)),
    );
}

#[test]
fn long_broken_input() {
    // Many errors: each is reported, and reporting stays linear.
    for (name, source) in [
        ("stray closers", ")".repeat(100_000)),
        ("bad characters", "x = 1 @\n".repeat(20_000)),
        ("unterminated strings", "x = \"abc\n".repeat(20_000)),
        ("missing values", "x =\n".repeat(20_000)),
        ("bad numbers", "x = 1.5\n".repeat(20_000)),
    ] {
        let diagnostics = parse_on_default_stack(name, source);
        assert!(!diagnostics.is_empty(), "{name}: no diagnostic");
    }
}

/// `x = ((…(1 + 1 …) + 1 …) + 1 …)`: `parens` parentheses, each around a chain of `links`.
fn parens_around_chains(parens: usize, links: usize) -> String {
    let mut source = String::from("x = ");
    source.push_str(&"(".repeat(parens));
    source.push('1');
    for _ in 0..parens {
        source.push(')');
        source.push_str(&" + 1".repeat(links));
    }
    source.push('\n');
    source
}

#[test]
fn deep_tree_from_combined_limits() {
    // Each part within its own limit (100 parentheses < MAX_NESTING, 500 links < MAX_CHAIN),
    // together a tree 50,000 levels deep: it must be cut down (E0113), not overflow the stack
    // when dropped or walked.
    assert_too_deep("combined limits", parens_around_chains(100, 500));
}

#[test]
fn deep_tree_within_tree_limit() {
    // About 800 levels: deep, but within MAX_TREE_DEPTH, so it must parse cleanly (and render
    // and drop on the default stack).
    let diagnostics = parse_on_default_stack("within tree limit", parens_around_chains(2, 400));
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
}

#[test]
fn one_megabyte_file() {
    let per_service = services(100).len() / 100;
    let n = (1 << 20) / per_service + 1;
    let source = services(n);
    assert!(source.len() >= 1 << 20);
    let (diagnostics, items) = parse_on_default_stack_with_items("1 MB", source);
    assert!(
        diagnostics.is_empty(),
        "{:?}",
        &diagnostics[..diagnostics.len().min(5)]
    );
    // The import, `stack`, `param` and one binding per service.
    assert_eq!(items, n + 3);
}

/// This crate's directory, as `cargo test` sets it when it runs the test: a test binary built
/// in another clone that shares the target directory still reads this clone's files.
fn manifest_dir() -> String {
    std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
}
