//! Applies document changes in the order the client sent them.
//!
//! tower-lsp-server runs handlers concurrently (a `didChange` handler may start after the
//! next one), so changes are not applied in handlers: this middleware applies `didOpen`,
//! `didChange` and `didClose` to the documents synchronously in `call`, which the server's
//! read loop invokes once per message, in arrival order, before it reads the next one. The
//! handlers that run afterwards only schedule a check.

use std::sync::Arc;
use std::task::{Context, Poll};

use serde::de::DeserializeOwned;
use tower_lsp_server::jsonrpc::Request;
use tower_lsp_server::ls_types::{
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
};
use tower_service::Service;

use crate::analysis::Shared;

pub struct Ordered<S> {
    inner: S,
    shared: Arc<Shared>,
}

impl<S> Ordered<S> {
    pub fn new(inner: S, shared: Arc<Shared>) -> Self {
        Ordered { inner, shared }
    }
}

impl<S: Service<Request>> Service<Request> for Ordered<S> {
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, req: Request) -> Self::Future {
        apply(&self.shared, &req);
        self.inner.call(req)
    }
}

fn params<P: DeserializeOwned>(req: &Request) -> Option<P> {
    serde_json::from_value(req.params()?.clone()).ok()
}

fn apply(shared: &Shared, req: &Request) {
    match req.method() {
        "textDocument/didOpen" => {
            if let Some(p) = params::<DidOpenTextDocumentParams>(req) {
                let doc = p.text_document;
                shared.docs().open(doc.uri, doc.text, doc.version);
            }
        }
        "textDocument/didChange" => {
            if let Some(p) = params::<DidChangeTextDocumentParams>(req) {
                let doc = p.text_document;
                shared
                    .docs()
                    .change(&doc.uri, doc.version, p.content_changes);
            }
        }
        "textDocument/didClose" => {
            if let Some(p) = params::<DidCloseTextDocumentParams>(req) {
                shared.docs().close(&p.text_document.uri);
            }
        }
        _ => {}
    }
}
