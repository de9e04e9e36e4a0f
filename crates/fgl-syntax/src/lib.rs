//! The fgl language's syntax: lexer, parser, AST and diagnostics.
//!
//! Parsing never fails: [`parse`] always returns a [`ast::Module`] (with `Error` nodes where the
//! source was broken) and every syntax diagnostic, so editors work on broken code.

pub mod ast;
pub mod codes;
mod delimiters;
pub mod diagnostic;
mod docs;
pub mod lexer;
mod newlines;
mod parser;
pub mod sexp;
pub mod span;
pub mod token;
pub mod walk;

pub use delimiters::MAX_NESTING;
pub use diagnostic::{Diagnostic, Label, Severity};
pub use parser::{MAX_CHAIN, MAX_TREE_DEPTH};
pub use span::{FileId, LineCol, LineIndex, Span};

/// Parses one file. Never fails: syntax errors come back as diagnostics, in source order, each
/// reported once.
pub fn parse(file: FileId, source: &str) -> (ast::Module, Vec<Diagnostic>) {
    let lexed = lexer::lex(file, source);
    let mut diagnostics = lexed.diagnostics;
    let mut module = parser::parse_tokens(file, source, &lexed.tokens, &mut diagnostics);
    docs::attach_docs(source, &mut module, &lexed.comments);
    module.comments = lexed.comments;
    diagnostic::sort_and_dedup(&mut diagnostics);
    (module, diagnostics)
}
