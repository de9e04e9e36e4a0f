//! A small LSP client for the protocol tests: it runs the server in-process over an in-memory
//! pipe (the real framing, the real `Ordered` middleware and handlers) and speaks JSON-RPC to
//! it. Waits are bounded so that a broken server fails a test instead of hanging it; no test
//! asserts on time.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader, DuplexStream, WriteHalf};
use tokio::sync::mpsc;

/// How long any single wait may take before the test fails (a hang guard, not a timing).
const PATIENCE: Duration = Duration::from_secs(60);

pub struct TestClient {
    to_server: WriteHalf<DuplexStream>,
    from_server: mpsc::UnboundedReceiver<Value>,
    /// Notifications read while waiting for something else.
    pending: VecDeque<Value>,
    next_id: i64,
    pub std_dir: std::path::PathBuf,
}

pub fn uri_of(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}

/// A fresh directory for a test's files.
pub fn temp_dir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("fgl-lsp-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a writable temp dir");
    dir
}

impl TestClient {
    /// Starts a server and initializes it (with snippet support when asked).
    pub async fn start(snippets: bool) -> TestClient {
        let (client_end, server_end) = tokio::io::duplex(1 << 20);
        let (server_read, server_write) = tokio::io::split(server_end);
        let std_dir = temp_dir("std");
        let config = fgl_lsp::Config {
            std_dir: Some(std_dir.clone()),
            ..fgl_lsp::Config::default()
        };
        tokio::spawn(fgl_lsp::serve(server_read, server_write, config));
        let (client_read, to_server) = tokio::io::split(client_end);
        let (tx, from_server) = mpsc::unbounded_channel();
        tokio::spawn(read_messages(client_read, tx));
        let mut client = TestClient {
            to_server,
            from_server,
            pending: VecDeque::new(),
            next_id: 1,
            std_dir,
        };
        let capabilities = json!({
            "textDocument": {
                "completion": { "completionItem": { "snippetSupport": snippets } }
            }
        });
        client
            .request(
                "initialize",
                json!({ "processId": null, "rootUri": null, "capabilities": capabilities }),
            )
            .await
            .expect("initialize succeeds");
        client.notify("initialized", json!({})).await;
        client
    }

    async fn send(&mut self, message: Value) {
        let body = message.to_string();
        let framed = format!("Content-Length: {}\r\n\r\n{}", body.len(), body);
        self.to_server
            .write_all(framed.as_bytes())
            .await
            .expect("the server reads");
    }

    async fn next_message(&mut self) -> Value {
        match tokio::time::timeout(PATIENCE, self.from_server.recv()).await {
            Ok(Some(message)) => message,
            Ok(None) => panic!("the server closed the connection"),
            Err(_) => panic!("no message from the server within {PATIENCE:?}"),
        }
    }

    /// Sends a request and returns its result (Err: the error object).
    pub async fn request(&mut self, method: &str, params: Value) -> Result<Value, Value> {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }))
            .await;
        loop {
            let message = self.next_message().await;
            if message.get("id") == Some(&json!(id)) && message.get("method").is_none() {
                return match message.get("error") {
                    Some(error) => Err(error.clone()),
                    None => Ok(message.get("result").cloned().unwrap_or(Value::Null)),
                };
            }
            self.other(message).await;
        }
    }

    /// A message that is not the awaited response: answer server requests, keep notifications.
    async fn other(&mut self, message: Value) {
        match (message.get("id"), message.get("method")) {
            (Some(id), Some(_)) => {
                let id = id.clone();
                self.send(json!({ "jsonrpc": "2.0", "id": id, "result": null }))
                    .await;
            }
            (None, Some(_)) => self.pending.push_back(message),
            _ => {}
        }
    }

    pub async fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }))
            .await;
    }

    pub async fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "fgl", "version": 1, "text": text } }),
        )
        .await;
    }

    /// One incremental change: replace `(line, col)..(line, col)` with `text`.
    pub async fn edit(
        &mut self,
        uri: &str,
        version: i32,
        from: (u32, u32),
        to: (u32, u32),
        text: &str,
    ) {
        self.notify(
            "textDocument/didChange",
            json!({
                "textDocument": { "uri": uri, "version": version },
                "contentChanges": [{
                    "range": {
                        "start": { "line": from.0, "character": from.1 },
                        "end": { "line": to.0, "character": to.1 }
                    },
                    "text": text
                }]
            }),
        )
        .await;
    }

    /// Waits for the diagnostics of `uri` published for `version` (any version when None).
    pub async fn diagnostics(&mut self, uri: &str, version: Option<i32>) -> Vec<Value> {
        let wanted = |m: &Value| {
            m.get("method") == Some(&json!("textDocument/publishDiagnostics"))
                && m["params"]["uri"] == json!(uri)
                && version.is_none_or(|v| m["params"]["version"] == json!(v))
        };
        if let Some(at) = self.pending.iter().position(wanted) {
            let m = self.pending.remove(at).unwrap_or_default();
            return diags(&m);
        }
        loop {
            let message = self.next_message().await;
            if wanted(&message) {
                return diags(&message);
            }
            self.other(message).await;
        }
    }

    pub async fn completion(&mut self, uri: &str, line: u32, character: u32) -> Vec<Value> {
        let result = self
            .request(
                "textDocument/completion",
                json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } }),
            )
            .await
            .expect("completion succeeds");
        match result {
            Value::Array(items) => items,
            Value::Object(list) => list
                .get("items")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    pub async fn at(
        &mut self,
        method: &str,
        uri: &str,
        line: u32,
        character: u32,
    ) -> Result<Value, Value> {
        self.request(
            method,
            json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } }),
        )
        .await
    }

    pub async fn shutdown(mut self) {
        let _ = self.request("shutdown", Value::Null).await;
        self.notify("exit", Value::Null).await;
    }
}

fn diags(message: &Value) -> Vec<Value> {
    message["params"]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

pub fn labels(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .filter_map(|i| i["label"].as_str().map(str::to_string))
        .collect()
}

/// The line and UTF-16 column of the first `needle` in `text`, plus `delta` columns.
pub fn pos_of(text: &str, needle: &str, delta: usize) -> (u32, u32) {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` is in the text"));
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = text[..at].matches('\n').count() as u32;
    let col = text[line_start..at].encode_utf16().count() + delta;
    (line, col as u32)
}

async fn read_messages(read: tokio::io::ReadHalf<DuplexStream>, tx: mpsc::UnboundedSender<Value>) {
    let mut reader = BufReader::new(read);
    loop {
        let mut length = None;
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = n.parse::<usize>().ok();
            }
        }
        let Some(length) = length else { return };
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).await.is_err() {
            return;
        }
        match serde_json::from_slice(&body) {
            Ok(message) => {
                if tx.send(message).is_err() {
                    return;
                }
            }
            Err(_) => return,
        }
    }
}
