//! `fgl lsp`: the language server of fgl, over stdio.
//!
//! - Documents are changed in arrival order by [`ordered`] (a middleware, not the handlers,
//!   which tower-lsp-server runs concurrently).
//! - Diagnostics come from the same stages as `fgl check`, run by a debounced background
//!   thread ([`analysis`]) and published on open and on every change.
//! - Requests (completion, hover, navigation, symbols, formatting) run on blocking threads on
//!   the current text, parsed once per change ([`analysis::load`]) and checked with a recorder
//!   that keeps what the request needs ([`semantic`]).
//! - Nothing here touches AWS: the AWS rules are the offline ones of `fgl-lower`.

mod analysis;
mod completion;
mod context;
mod convert;
mod documents;
mod hover;
mod navigation;
mod ordered;
mod position;
mod resolve;
mod semantic;
mod server;
mod stdlib_files;
mod symbols;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use tower_lsp_server::{LspService, Server};

/// How the server behaves.
#[derive(Clone, Debug)]
pub struct Config {
    /// How long the document must stay unchanged before it is checked.
    pub debounce: Duration,
    /// Where the standard library's files are written for go-to-definition (default: the
    /// user's cache directory, or `$FGL_STD_DIR`).
    pub std_dir: Option<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            debounce: Duration::from_millis(10),
            std_dir: None,
        }
    }
}

/// Serves the protocol on `input`/`output` until the client exits. Must run inside a Tokio
/// runtime.
pub async fn serve<I, O>(input: I, output: O, config: Config)
where
    I: tokio::io::AsyncRead + Unpin,
    O: tokio::io::AsyncWrite,
{
    let std_dir = stdlib_files::materialise(config.std_dir.clone());
    let shared = Arc::new(analysis::Shared::new(
        documents::Documents::default(),
        std_dir,
    ));
    let (service, socket) = LspService::new({
        let shared = shared.clone();
        let config = config.clone();
        move |client| server::Backend::new(client, shared, &config)
    });
    let service = ordered::Ordered::new(service, shared);
    Server::new(input, output, socket).serve(service).await;
}

/// `fgl lsp`: serves stdin/stdout until the client exits.
pub fn run_stdio(config: Config) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(serve(tokio::io::stdin(), tokio::io::stdout(), config));
    // Blocking threads may still hold a finished request: do not wait for them.
    runtime.shutdown_background();
    Ok(())
}
