//! `fgl lsp`: the language server, speaking LSP on stdin/stdout until the editor exits.

use std::io;

use super::{Ctx, Status};
use crate::cli::LspArgs;

pub fn run(_args: &LspArgs, ctx: &Ctx) -> io::Result<Status> {
    // stdout carries the protocol: anything else goes to stderr, which editors log.
    match fgl_lsp::run_stdio(fgl_lsp::Config::default()) {
        Ok(()) => Ok(Status::Ok),
        Err(e) => {
            ctx.style
                .error(format!("cannot start the language server: {e}"));
            Ok(Status::Error)
        }
    }
}
