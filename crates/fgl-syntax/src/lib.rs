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

/// [`parse`] without the hand-written fast path: the chumsky grammar alone. For tests that
/// check both paths build the same tree.
#[doc(hidden)]
pub fn parse_with_grammar(file: FileId, source: &str) -> (ast::Module, Vec<Diagnostic>) {
    let lexed = lexer::lex(file, source);
    let mut diagnostics = lexed.diagnostics;
    let mut module = parser::parse_with_grammar(file, source, &lexed.tokens, &mut diagnostics);
    docs::attach_docs(source, &mut module, &lexed.comments);
    module.comments = lexed.comments;
    diagnostic::sort_and_dedup(&mut diagnostics);
    (module, diagnostics)
}

/// The hand-written fast path alone (`None` where it gives up). For tests that check it
/// succeeds on valid input.
#[doc(hidden)]
pub fn parse_fast_only(file: FileId, source: &str) -> Option<ast::Module> {
    let lexed = lexer::lex(file, source);
    let mut module = parser::parse_fast_only(file, source, &lexed.tokens)?;
    docs::attach_docs(source, &mut module, &lexed.comments);
    module.comments = lexed.comments;
    Some(module)
}
