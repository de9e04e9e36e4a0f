//! Benchmark (not a test): the server in-process, on a generated 5,000-line file.
//! `cargo run --release -p fgl-lsp --example bench [RUNS]` prints the median and p95 of
//! - didChange → publishDiagnostics (debounce included),
//! - completion right after a change (the change's parse included),
//! - hover on a settled document.
//!
//! Numbers are recorded in docs/benchmarks.md.

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::{Duration, Instant};

use common::{temp_dir, uri_of, TestClient};

// The allocator of the `fgl` binary.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// About `lines` lines of services: containers with a load balancer each.
fn generate(lines: usize) -> String {
    let mut out = vec![
        "import \"std/aws\"".to_string(),
        "stack = \"bench\"".to_string(),
        "param tag: String = \"1.0\"".to_string(),
        String::new(),
    ];
    let mut i = 0;
    while out.len() < lines {
        out.extend([
            format!("## Service number {i}."),
            format!("svc_{i} = aws.Container {{"),
            format!("  image = \"ghcr.io/acme/svc-{i}:${{tag}}\""),
            "  cpu = 256".to_string(),
            "  memory = 1024".to_string(),
            format!("  port = {}", 8000 + i % 1000),
            format!("  replicas = if {i} % 2 == 0 then 2 else 1"),
            "  env = {".to_string(),
            format!("    SERVICE = \"svc-{i}\""),
            "    LOG_LEVEL = \"info\"".to_string(),
            "  }".to_string(),
            "  health = { path = \"/healthz\", interval = 30 }".to_string(),
            "}".to_string(),
            format!("lb_{i} = aws.LoadBalancer {{ target = svc_{i}, idle_timeout = 120 }}"),
            String::new(),
        ]);
        i += 1;
    }
    out.join("\n") + "\n"
}

fn report(name: &str, mut samples: Vec<Duration>) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{name:<42} median {:>8.2} ms   p95 {:>8.2} ms   (n = {})",
        at(0.5).as_secs_f64() * 1e3,
        at(0.95).as_secs_f64() * 1e3,
        samples.len()
    );
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100);
    let text = generate(5_000);
    let lines = text.lines().count();
    println!(
        "file: {lines} lines, {} bytes; {runs} runs each",
        text.len()
    );
    let dir = temp_dir("bench");
    let uri = uri_of(&dir.join("big.fgl"));
    let mut client = TestClient::start(true).await;
    client.open(&uri, &text).await;
    let first = client.diagnostics(&uri, Some(1)).await;
    assert!(first.is_empty(), "the generated file is valid: {first:?}");

    // The `replicas` line of a service in the middle, and the empty line after its `health`.
    let mid = lines / 2;
    let replicas = (mid..lines)
        .find(|&l| {
            text.lines()
                .nth(l)
                .is_some_and(|t| t.starts_with("  replicas = "))
        })
        .unwrap_or(mid) as u32;
    let health = replicas + 5;

    let mut change = Vec::new();
    let mut completion = Vec::new();
    let mut hover = Vec::new();
    let mut version = 1;
    for run in 0..runs {
        // Change one character (1 ↔ 3 replicas on the else branch), then wait for its diagnostics.
        version += 1;
        let digit = if run % 2 == 0 { "3" } else { "1" };
        let line_text = text.lines().nth(replicas as usize).unwrap_or_default();
        let col = line_text.len() as u32 - 1;
        let t = Instant::now();
        client
            .edit(&uri, version, (replicas, col), (replicas, col + 1), digit)
            .await;
        let diags = client.diagnostics(&uri, Some(version)).await;
        change.push(t.elapsed());
        assert!(diags.is_empty(), "{diags:?}");

        // A change, then completion at once: the parse of the new text is in the answer.
        version += 1;
        client
            .edit(&uri, version, (health, 0), (health, 0), " ")
            .await;
        let t = Instant::now();
        let items = client.completion(&uri, health, 1).await;
        completion.push(t.elapsed());
        assert!(items.iter().any(|i| i["label"] == "subnets"), "{items:?}");
        version += 1;
        client
            .edit(&uri, version, (health, 0), (health, 1), "")
            .await;
        let _ = client.diagnostics(&uri, Some(version)).await;

        // Hover on `cpu`, the document settled.
        let t = Instant::now();
        let h = client.at("textDocument/hover", &uri, replicas - 3, 3).await;
        hover.push(t.elapsed());
        assert!(h.is_ok_and(|h| h["contents"]["value"]
            .as_str()
            .is_some_and(|v| v.contains("cpu"))));
    }
    report("didChange → publishDiagnostics", change);
    report("completion (right after a change)", completion);
    report("hover", hover);
    client.shutdown().await;
}
