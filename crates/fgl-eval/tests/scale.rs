//! A large program evaluates (and, in release builds, quickly: run with
//! `cargo test --release -p fgl-eval --test scale -- --nocapture` to see the time).

mod common;

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// mimalloc (the allocator of the `fgl` binary), counting allocations.
struct Counting;
static COUNT: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        COUNT.fetch_add(1, Relaxed);
        BYTES.fetch_add(layout.size(), Relaxed);
        mimalloc::MiMalloc.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        mimalloc::MiMalloc.dealloc(ptr, layout)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

pub fn allocations() -> (usize, usize) {
    (COUNT.load(Relaxed), BYTES.load(Relaxed))
}

use std::fmt::Write;
use std::time::Instant;

/// 10,000 services, each made by one function applied to a record.
fn services(n: usize) -> String {
    let mut src = String::from(
        r#"import "std/aws"
stack = "big"
param tag: String = "1.0.0"
db_password = aws.Secret { name = "db/password" }
let service = fn(s: { name: String, size: "small" | "large", port: Int, domain: String }) => aws.Container {
  image = "registry.example.com/${s.name}:${tag}"
  cpu = if s.size == "small" then 256 else 1024
  memory = if s.size == "small" then 512 else 2048
  port = s.port
  env = { SERVICE = s.name, DOMAIN = s.domain, PORT = to_string(s.port) }
  secrets = { DB_PASSWORD = db_password }
}
services = {
"#,
    );
    for i in 0..n {
        let _ = writeln!(
            src,
            "  s{i} = service({{ name = \"svc{i}\", size = \"{}\", port = {}, domain = \"svc{i}.example.com\" }})",
            if i % 2 == 0 { "small" } else { "large" },
            8000 + i % 1000
        );
    }
    src.push_str("}\n");
    src
}

#[test]
fn ten_thousand_services() {
    let src = services(10_000);
    let (program, diags) = fgl_check::load(
        &common::Files(Default::default()),
        fgl_check::RootSource {
            name: "main.fgl".into(),
            path: None,
            text: src,
        },
    );
    assert!(diags.is_empty());
    let (decls, diags) = fgl_check::decls::collect(&program);
    assert!(diags.is_empty());
    let (count, bytes) = allocations();
    let start = Instant::now();
    let output = fgl_eval::evaluate(&decls, &Default::default()).unwrap();
    let took = start.elapsed();
    let (count2, bytes2) = allocations();
    let doc = output.to_json();
    println!(
        "10,000 services: evaluate {took:?} ({} allocations, {} MB), to_json {:?}",
        count2 - count,
        (bytes2 - bytes) >> 20,
        start.elapsed() - took
    );
    assert_eq!(doc["resources"].as_object().unwrap().len(), 10_001);
    assert_eq!(
        doc["resources"]["services.s9999"]["fields"]["image"],
        "registry.example.com/svc9999:1.0.0"
    );
}
