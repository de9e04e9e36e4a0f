//! The server through the protocol: an in-process client speaks JSON-RPC to `fgl_lsp::serve`.

mod common;

use common::{labels, pos_of, temp_dir, uri_of, TestClient};
use serde_json::{json, Value};

const APP: &str = r#"import "std/aws"

stack = "shop"

## The web front end.
web = aws.Container {
  image = "nginx:1.27"
  cpu = 256
  port = 8080
}

lb = aws.LoadBalancer { target = web }
"#;

fn codes(diags: &[Value]) -> Vec<String> {
    diags
        .iter()
        .filter_map(|d| d["code"].as_str().map(str::to_string))
        .collect()
}

/// Opens `text` as a file in a fresh directory; returns its URI.
async fn open(client: &mut TestClient, name: &str, text: &str) -> String {
    let dir = temp_dir(name);
    let uri = uri_of(&dir.join("app.fgl"));
    client.open(&uri, text).await;
    uri
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagnostics_on_open_and_on_change() {
    let mut client = TestClient::start(false).await;
    let text = "import \"std/aws\"\nweb = aws.Container { image = \"x\", cpu = 300, imgae = 1 }\n";
    let uri = open(&mut client, "diag", text).await;
    let diags = client.diagnostics(&uri, Some(1)).await;
    assert_eq!(codes(&diags), ["E0206", "E0201"], "{diags:#?}");
    assert_eq!(
        diags[0]["message"],
        "expected 256 | 512 | 1024 | 2048 | 4096 | 8192 | 16384, found 300"
    );
    assert_eq!(
        diags[0]["range"]["start"],
        json!({ "line": 1, "character": 41 })
    );
    // The field's declaration in the stdlib is a related location, as in `fgl check`.
    let related = diags[0]["relatedInformation"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        related
            .iter()
            .any(|r| r["message"] == "field `cpu` declared here"
                && r["location"]["uri"]
                    .as_str()
                    .is_some_and(|u| u.ends_with("/aws.fgl"))),
        "{related:#?}"
    );
    assert_eq!(diags[1]["message"], "`aws.Container` has no field `imgae`");
    assert!(related.iter().all(|r| r["location"]["range"].is_object()));

    // Fix both: the next publication is empty.
    let (l, c) = pos_of(text, "cpu = 300, imgae = 1", 0);
    client.edit(&uri, 2, (l, c), (l, c + 21), "cpu = 256").await;
    let diags = client.diagnostics(&uri, Some(2)).await;
    assert!(diags.is_empty(), "{diags:#?}");

    // A syntax error.
    client.edit(&uri, 3, (l, 0), (l, 0), "x = {\n").await;
    let diags = client.diagnostics(&uri, Some(3)).await;
    assert_eq!(codes(&diags), ["E0101"], "{diags:#?}");
    client.shutdown().await;
}

/// The expected diagnostics of a fixture: `(code, message, line, column)` of those in the
/// fixture itself, from what `fgl check` printed.
fn expected(path: &std::path::Path) -> Option<Vec<(String, String, u32, u32)>> {
    let expected = std::fs::read_to_string(format!("{}.expected", path.display())).ok()?;
    let name = path.file_name()?.to_str()?;
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in expected.lines() {
        if let Some(rest) = line
            .strip_prefix("error[")
            .or_else(|| line.strip_prefix("warning["))
        {
            let (code, message) = rest.split_once("]: ")?;
            current = Some((code.to_string(), message.to_string()));
        } else if let Some(at) = line.trim().strip_prefix("╭─[ ") {
            let at = at.trim_end_matches(" ]");
            let mut parts = at.rsplitn(3, ':');
            let col: u32 = parts.next()?.parse().ok()?;
            let row: u32 = parts.next()?.parse().ok()?;
            let file = parts.next()?;
            if let Some((code, message)) = current.take() {
                if file.ends_with(name) {
                    out.push((code, message, row - 1, col - 1));
                }
            }
        }
    }
    Some(out)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagnostics_are_those_of_fgl_check_on_every_fixture() {
    let repo = std::path::Path::new(&manifest_dir())
        .join("../..")
        .canonicalize()
        .expect("the repository");
    let root = repo.join("tests");
    // `fgl check` ran from the repository with relative paths; the editor has absolute ones.
    let prefix = format!("{}/", repo.display());
    let mut client = TestClient::start(false).await;
    let mut compared = 0;
    for dir in ["check", "syntax"] {
        let mut files: Vec<_> = std::fs::read_dir(root.join(dir))
            .expect("the fixtures")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "fgl"))
            .collect();
        files.sort();
        for path in files {
            let text = std::fs::read_to_string(&path).expect("a fixture");
            // Fixtures with arguments (`--set`) are run differently by `fgl check`.
            if text.starts_with("# args:") {
                continue;
            }
            let Some(mut want) = expected(&path) else {
                continue;
            };
            // `fgl check` counts columns in characters, LSP in UTF-16 units.
            for (_, _, line, col) in &mut want {
                let text_line = text.lines().nth(*line as usize).unwrap_or_default();
                *col = text_line
                    .chars()
                    .take(*col as usize)
                    .map(|c| c.len_utf16() as u32)
                    .sum();
            }
            let path = path.canonicalize().expect("a real path");
            let uri = uri_of(&path);
            client.open(&uri, &text).await;
            let diags = client.diagnostics(&uri, Some(1)).await;
            let got: Vec<(String, String, u32, u32)> = diags
                .iter()
                .map(|d| {
                    (
                        d["code"].as_str().unwrap_or_default().to_string(),
                        d["message"]
                            .as_str()
                            .unwrap_or_default()
                            .replace(&prefix, ""),
                        d["range"]["start"]["line"].as_u64().unwrap_or_default() as u32,
                        d["range"]["start"]["character"]
                            .as_u64()
                            .unwrap_or_default() as u32,
                    )
                })
                .collect();
            assert_eq!(got, want, "{}", path.display());
            client
                .notify(
                    "textDocument/didClose",
                    json!({ "textDocument": { "uri": uri } }),
                )
                .await;
            compared += 1;
        }
    }
    assert!(compared > 50, "only {compared} fixtures compared");
    client.shutdown().await;
}

/// Completion at the `|` of `text` (which is opened without it).
async fn complete_at(client: &mut TestClient, name: &str, text: &str) -> Vec<Value> {
    let (line, col) = pos_of(text, "|", 0);
    let uri = open(client, name, &text.replacen('|', "", 1)).await;
    client.completion(&uri, line, col).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completes_fields_right_after_the_brace() {
    let mut client = TestClient::start(true).await;
    let items = complete_at(
        &mut client,
        "c1",
        "import \"std/aws\"\nweb = aws.Container {|}\n",
    )
    .await;
    let names = labels(&items);
    for field in [
        "image", "cpu", "memory", "port", "replicas", "env", "secrets", "health",
    ] {
        assert!(names.contains(&field.to_string()), "{field} in {names:?}");
    }
    // Required first, with type, default and doc; inserted as a snippet.
    assert_eq!(names[0], "image");
    let cpu = items
        .iter()
        .find(|i| i["label"] == "cpu")
        .cloned()
        .unwrap_or_default();
    assert_eq!(
        cpu["detail"],
        "256 | 512 | 1024 | 2048 | 4096 | 8192 | 16384 = 256"
    );
    assert!(cpu["documentation"]["value"]
        .as_str()
        .is_some_and(|d| d.contains("CPU units")));
    assert_eq!(cpu["textEdit"]["newText"], "cpu = $0");
    assert_eq!(cpu["insertTextFormat"], 2);
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completes_fields_on_a_new_line_and_after_a_partial_name() {
    let mut client = TestClient::start(false).await;
    let text = "import \"std/aws\"\nweb = aws.Container {\n  image = \"x\"\n  |\n}\n";
    let names = labels(&complete_at(&mut client, "c2", text).await);
    assert!(names.contains(&"cpu".to_string()), "{names:?}");
    assert!(
        !names.contains(&"image".to_string()),
        "image is set: {names:?}"
    );

    let text = "import \"std/aws\"\nweb = aws.Container {\n  image = \"x\"\n  mem|\n}\n";
    let items = complete_at(&mut client, "c3", text).await;
    let memory = items
        .iter()
        .find(|i| i["label"] == "memory")
        .cloned()
        .unwrap_or_default();
    // Without snippet support: plain text, replacing the partial name.
    assert_eq!(memory["textEdit"]["newText"], "memory = ");
    assert_eq!(
        memory["textEdit"]["range"]["start"],
        json!({ "line": 3, "character": 2 })
    );
    assert_eq!(
        memory["textEdit"]["range"]["end"],
        json!({ "line": 3, "character": 5 })
    );
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completes_fields_in_an_unclosed_brace() {
    let mut client = TestClient::start(false).await;
    // The file ends inside the instantiation.
    let text = "import \"std/aws\"\nweb = aws.Container {\n  image = \"x\"\n  |";
    let names = labels(&complete_at(&mut client, "c4", text).await);
    assert!(names.contains(&"replicas".to_string()), "{names:?}");
    // An unclosed brace followed by more items.
    let text = "import \"std/aws\"\nweb = aws.Container {\n  image = \"x\"\n  |\n\nother = 1\n";
    let names = labels(&complete_at(&mut client, "c5", text).await);
    assert!(names.contains(&"replicas".to_string()), "{names:?}");
    // A nested record of a schema type, unclosed too.
    let text = "import \"std/aws\"\nweb = aws.Container {\n  image = \"x\"\n  health = {\n    |";
    let names = labels(&complete_at(&mut client, "c6", text).await);
    assert!(names.contains(&"interval".to_string()), "{names:?}");
    assert!(!names.contains(&"image".to_string()), "{names:?}");
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completes_literal_values_and_resources() {
    let mut client = TestClient::start(false).await;
    let text = "import \"std/aws\"\nweb = aws.Container {\n  image = \"x\"\n  cpu = |\n}\n";
    let items = complete_at(&mut client, "v1", text).await;
    let names = labels(&items);
    assert_eq!(
        &names[..7],
        ["256", "512", "1024", "2048", "4096", "8192", "16384"],
        "{names:?}"
    );
    assert!(
        items[0]["preselect"] == json!(true),
        "the default is preselected"
    );

    let text = "import \"std/aws\"\nweb = aws.Container { image = \"x\" }\napi = aws.Container { image = \"y\" }\nlet secret = aws.Secret { name = \"s\" }\nlb = aws.LoadBalancer {\n  target = |\n}\n";
    let names = labels(&complete_at(&mut client, "v2", text).await);
    assert!(
        names.contains(&"web".to_string()) && names.contains(&"api".to_string()),
        "{names:?}"
    );
    assert!(
        !names.contains(&"secret".to_string()),
        "not a container: {names:?}"
    );

    let text = "import \"std/aws\"\nweb = aws.Container { image = \"x\", subnets = | }\n";
    let names = labels(&complete_at(&mut client, "v3", text).await);
    assert_eq!(names, ["\"public\"", "\"private\""]);
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completes_module_members_import_paths_and_names() {
    let mut client = TestClient::start(false).await;
    let names = labels(&complete_at(&mut client, "m1", "import \"std/aws\"\nweb = aws.|\n").await);
    for member in [
        "Container",
        "Secret",
        "LoadBalancer",
        "Certificate",
        "Network",
    ] {
        assert!(names.contains(&member.to_string()), "{member} in {names:?}");
    }
    let names = labels(&complete_at(&mut client, "m2", "import \"std/|\n").await);
    assert!(names.contains(&"std/aws".to_string()), "{names:?}");

    let text =
        "import \"std/aws\"\nlet zone = \"example.com\"\nports = [p for p in [1, 2]]\nx = |\n";
    let names = labels(&complete_at(&mut client, "m3", text).await);
    for name in ["zone", "ports", "aws", "len", "if"] {
        assert!(names.contains(&name.to_string()), "{name} in {names:?}");
    }
    let text = "xs = [p + | for p in [1, 2]]\n";
    let names = labels(&complete_at(&mut client, "m4", text).await);
    assert!(names.contains(&"p".to_string()), "{names:?}");
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hovers_fields_bindings_and_resources() {
    let mut client = TestClient::start(false).await;
    let uri = open(&mut client, "hover", APP).await;
    let (l, c) = pos_of(APP, "cpu = 256", 1);
    let hover = client
        .at("textDocument/hover", &uri, l, c)
        .await
        .expect("hover");
    let text = hover["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        text.contains("cpu: 256 | 512 | 1024 | 2048 | 4096 | 8192 | 16384 = 256"),
        "{text}"
    );
    assert!(text.contains("CPU units"), "{text}");

    let (l, c) = pos_of(APP, "web = aws", 0);
    let hover = client
        .at("textDocument/hover", &uri, l, c)
        .await
        .expect("hover");
    let text = hover["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(text.contains("web: aws.Container"), "{text}");
    assert!(text.contains("The web front end."), "{text}");
    assert!(text.contains("AWS::ECS::Service"), "{text}");
    // What the lowering of this very file makes of it (fgl-lower).
    assert!(text.contains("`AWS::ECS::Service` (web/service)"), "{text}");

    let (l, c) = pos_of(APP, "Container {", 2);
    let hover = client
        .at("textDocument/hover", &uri, l, c)
        .await
        .expect("hover");
    let text = hover["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(text.contains("resource aws.Container"), "{text}");
    assert!(text.contains("Required fields: `image`"), "{text}");
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn goes_to_definitions_in_the_file_and_in_the_stdlib() {
    let mut client = TestClient::start(false).await;
    let uri = open(&mut client, "def", APP).await;
    // `web` in `target = web` → the binding.
    let (l, c) = pos_of(APP, "target = web", 10);
    let def = client
        .at("textDocument/definition", &uri, l, c)
        .await
        .expect("definition");
    assert_eq!(def["uri"], json!(uri));
    assert_eq!(def["range"]["start"], json!({ "line": 5, "character": 0 }));

    // `Container` → the stdlib, served as a read-only file.
    let (l, c) = pos_of(APP, "Container {", 3);
    let def = client
        .at("textDocument/definition", &uri, l, c)
        .await
        .expect("definition");
    let target = def["uri"].as_str().unwrap_or_default().to_string();
    assert!(target.ends_with("/aws.fgl"), "{def}");
    let path = target.trim_start_matches("file://");
    let source = std::fs::read_to_string(path).expect("the stdlib file exists");
    assert!(std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly()));
    let line = def["range"]["start"]["line"].as_u64().unwrap_or_default() as usize;
    assert!(source
        .lines()
        .nth(line)
        .is_some_and(|l| l.starts_with("resource Container")));

    // A field key → the field in the stdlib.
    let (l, c) = pos_of(APP, "port = 8080", 1);
    let def = client
        .at("textDocument/definition", &uri, l, c)
        .await
        .expect("definition");
    let line = def["range"]["start"]["line"].as_u64().unwrap_or_default() as usize;
    assert!(
        source
            .lines()
            .nth(line)
            .is_some_and(|l| l.trim_start().starts_with("port:")),
        "{def}"
    );
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finds_references_across_files_and_renames_bindings() {
    let mut client = TestClient::start(false).await;
    let dir = temp_dir("refs");
    std::fs::write(dir.join("net.fgl"), "port = 8080\nlet unused = port\n").expect("write");
    let text =
        "import \"./net.fgl\"\nweb = net.port + 1\nother = [web, web]\nf = fn(x: Int) => x + web\n";
    let uri = uri_of(&dir.join("app.fgl"));
    client.open(&uri, text).await;

    let (l, c) = pos_of(text, "web =", 0);
    let refs = client
        .request(
            "textDocument/references",
            json!({ "textDocument": { "uri": uri }, "position": { "line": l, "character": c }, "context": { "includeDeclaration": true } }),
        )
        .await
        .expect("references");
    assert_eq!(refs.as_array().map(Vec::len), Some(4), "{refs:#}");

    // `port` of the imported file: its definition, `net.port`, and the use inside net.fgl.
    let (l, c) = pos_of(text, "port + 1", 0);
    let refs = client
        .request(
            "textDocument/references",
            json!({ "textDocument": { "uri": uri }, "position": { "line": l, "character": c }, "context": { "includeDeclaration": true } }),
        )
        .await
        .expect("references");
    let uris: Vec<&str> = refs
        .as_array()
        .map(|a| a.iter().filter_map(|r| r["uri"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        uris.iter().filter(|u| u.ends_with("/net.fgl")).count(),
        2,
        "{refs:#}"
    );
    assert_eq!(
        uris.iter().filter(|u| u.ends_with("/app.fgl")).count(),
        1,
        "{refs:#}"
    );

    // Rename `web`: every occurrence; a local parameter; not a built-in.
    let (l, c) = pos_of(text, "web, web", 0);
    let edit = client
        .request(
            "textDocument/rename",
            json!({ "textDocument": { "uri": uri }, "position": { "line": l, "character": c }, "newName": "app" }),
        )
        .await
        .expect("rename");
    let edits = edit["changes"][&uri]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(edits.len(), 4, "{edit:#}");
    assert!(edits.iter().all(|e| e["newText"] == "app"));

    let (l, c) = pos_of(text, "x + web", 0);
    let edit = client
        .request(
            "textDocument/rename",
            json!({ "textDocument": { "uri": uri }, "position": { "line": l, "character": c }, "newName": "y" }),
        )
        .await
        .expect("rename");
    assert_eq!(
        edit["changes"][&uri].as_array().map(Vec::len),
        Some(2),
        "{edit:#}"
    );

    let bad = client
        .request(
            "textDocument/rename",
            json!({ "textDocument": { "uri": uri }, "position": { "line": l, "character": c }, "newName": "if" }),
        )
        .await;
    assert!(bad.is_err(), "a keyword is not a name: {bad:?}");
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_document_symbols_and_formats() {
    let mut client = TestClient::start(false).await;
    let uri = open(&mut client, "sym", APP).await;
    let symbols = client
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": uri } }),
        )
        .await
        .expect("symbols");
    let names: Vec<&str> = symbols
        .as_array()
        .map(|a| a.iter().filter_map(|s| s["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, ["aws", "stack", "web", "lb"]);
    let web = &symbols[2];
    assert_eq!(web["detail"], "aws.Container");
    let fields: Vec<&str> = web["children"]
        .as_array()
        .map(|a| a.iter().filter_map(|s| s["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(fields, ["image", "cpu", "port"]);

    let messy = "x   =   {a=1,b=2}\n";
    let uri2 = open(&mut client, "fmt", messy).await;
    let edits = client
        .request(
            "textDocument/formatting",
            json!({ "textDocument": { "uri": uri2 }, "options": { "tabSize": 2, "insertSpaces": true } }),
        )
        .await
        .expect("formatting");
    let formatted = fgl_fmt::format_source(fgl_syntax::FileId(0), messy).expect("formats");
    assert_eq!(edits[0]["newText"], json!(formatted));
    // Already formatted: no edit.
    let uri3 = open(&mut client, "fmt2", &formatted).await;
    let edits = client
        .request(
            "textDocument/formatting",
            json!({ "textDocument": { "uri": uri3 }, "options": { "tabSize": 2, "insertSpaces": true } }),
        )
        .await
        .expect("formatting");
    assert_eq!(edits, json!([]));
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn applies_fifty_rapid_edits_in_order() {
    let mut client = TestClient::start(false).await;
    let uri = open(&mut client, "rapid", "").await;
    // Type a file character by character, without waiting: every edit depends on the ones
    // before it, so any reordering garbles the text.
    let target = "import \"std/aws\"\nweb = aws.Container { image = \"n\", cpu = 3 }\n";
    let chars: Vec<char> = target.chars().collect();
    assert!(chars.len() >= 50);
    let (mut line, mut col) = (0u32, 0u32);
    for (i, ch) in chars.iter().enumerate() {
        client
            .edit(
                &uri,
                i as i32 + 2,
                (line, col),
                (line, col),
                &ch.to_string(),
            )
            .await;
        if *ch == '\n' {
            line += 1;
            col = 0;
        } else {
            col += 1;
        }
    }
    let last = chars.len() as i32 + 1;
    let diags = client.diagnostics(&uri, Some(last)).await;
    // The final text, checked: cpu = 3 is not one of the allowed values.
    assert_eq!(codes(&diags), ["E0206"], "{diags:#?}");
    // The server's text is the typed one: formatting shows it.
    let edits = client
        .request(
            "textDocument/formatting",
            json!({ "textDocument": { "uri": uri }, "options": { "tabSize": 2, "insertSpaces": true } }),
        )
        .await
        .expect("formatting");
    assert_eq!(
        edits,
        json!([]),
        "the typed text is formatted already: {edits:#}"
    );
    let symbols = client
        .request(
            "textDocument/documentSymbol",
            json!({ "textDocument": { "uri": uri } }),
        )
        .await
        .expect("symbols");
    assert_eq!(symbols[1]["name"], "web");
    client.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn survives_requests_about_nothing() {
    let mut client = TestClient::start(false).await;
    // Unknown documents and positions far outside the text answer null, not an error.
    let hover = client
        .at("textDocument/hover", "file:///nowhere.fgl", 3, 4)
        .await;
    assert_eq!(hover, Ok(Value::Null));
    let uri = open(&mut client, "nothing", "x = {\n").await;
    let hover = client.at("textDocument/hover", &uri, 99, 99).await;
    assert_eq!(hover, Ok(Value::Null));
    let items = client.completion(&uri, 0, 999).await;
    assert!(items.iter().all(|i| i["label"].is_string()));
    let items = client.completion(&uri, 1, 0).await;
    assert!(!items.is_empty());
    client.shutdown().await;
}

/// This crate's directory, as `cargo test` sets it when it runs the test: a test binary built
/// in another clone that shares the target directory still reads this clone's files.
fn manifest_dir() -> String {
    std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
}
