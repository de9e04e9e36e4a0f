//! A real editor: headless Neovim (Debian's package) with editors/nvim drives `fgl lsp` on a
//! file, and we check the diagnostics it shows and the completion it offers inside
//! `aws.Container { … }`. A missing `nvim` fails this test (install it: `apt-get install -y
//! neovim`); it is never skipped.

use std::path::Path;
use std::process::Command;

const FILE: &str = r#"import "std/aws"

stack = "shop"

web = aws.Container {
  image = "nginx:1.27"
  cpu = 300

}
"#;

#[test]
fn neovim_shows_diagnostics_and_completes_container_fields() {
    let nvim = Command::new("nvim").arg("--version").output();
    assert!(
        nvim.as_ref().is_ok_and(|o| o.status.success()),
        "this test needs Neovim: install it with `apt-get install -y neovim` (Debian's package; \
         .ci/run does this): {:?}",
        nvim.err()
    );
    let repo = Path::new(&manifest_dir()).join("../..");
    let plugin = repo
        .join("editors/nvim")
        .canonicalize()
        .expect("editors/nvim");
    let dir = std::env::temp_dir().join(format!("fgl-nvim-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let file = dir.join("app.fgl");
    std::fs::write(&file, FILE).expect("write the example");
    let out = dir.join("result.json");
    // The empty line inside the instantiation (0-based).
    let empty = FILE
        .lines()
        .position(|l| l.is_empty())
        .and_then(|first| {
            FILE.lines()
                .enumerate()
                .skip(first + 1)
                .filter(|(_, l)| l.is_empty())
                .map(|(i, _)| i)
                .nth(1)
        })
        .unwrap_or_default();
    assert_eq!(empty, 7);

    let status = Command::new("nvim")
        .args(["--headless", "--clean", "-u", "NONE", "-c"])
        .arg(format!(
            "luafile {}",
            plugin.join("test/smoke.lua").display()
        ))
        .env("FGL_BIN", env!("CARGO_BIN_EXE_fgl"))
        .env("FGL_NVIM_PLUGIN", &plugin)
        .env("FGL_NVIM_FILE", &file)
        .env("FGL_NVIM_OUT", &out)
        .env("FGL_NVIM_LINE", empty.to_string())
        .env("FGL_STD_DIR", dir.join("std"))
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .status()
        .expect("nvim runs");
    assert!(status.success(), "nvim exited with {status}");
    let result = std::fs::read_to_string(&out).expect("the smoke test wrote its result");
    let result: serde_json::Value = serde_json::from_str(&result).expect("JSON");
    assert_eq!(result["errors"], serde_json::json!([]), "{result:#}");
    assert_eq!(result["filetype"], "fgl");

    let diagnostics = result["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(diagnostics.len(), 1, "{result:#}");
    assert_eq!(
        diagnostics[0]["message"],
        "expected 256 | 512 | 1024 | 2048 | 4096 | 8192 | 16384, found 300"
    );
    assert_eq!(diagnostics[0]["code"], "E0206");
    assert_eq!(diagnostics[0]["lnum"], 6);
    assert_eq!(diagnostics[0]["col"], 8);

    let labels: Vec<&str> = result["completion"]
        .as_array()
        .map(|a| a.iter().filter_map(|l| l.as_str()).collect())
        .unwrap_or_default();
    for field in [
        "memory", "port", "replicas", "env", "secrets", "health", "subnets",
    ] {
        assert!(labels.contains(&field), "{field} in {labels:?}");
    }
    // Fields already set are not offered again.
    assert!(
        !labels.contains(&"image") && !labels.contains(&"cpu"),
        "{labels:?}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// This crate's directory, as `cargo test` sets it when it runs the test: a test binary built
/// in another clone that shares the target directory still reads this clone's files.
fn manifest_dir() -> String {
    std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
}
