//! The generated program shared by the parse benchmark and the robustness tests: `n` services,
//! each a ~15-line record with interpolated strings, an `if`, a list and nested records.

/// A module with `n` services.
pub fn services(n: usize) -> String {
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
