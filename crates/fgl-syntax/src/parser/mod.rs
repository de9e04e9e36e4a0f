//! The chumsky parser: tokens → [`Module`], with error recovery at every entry so that one
//! mistake is reported once and the rest of the file still parses.
//!
//! Layout: [`expr`] (expressions and their precedence levels), [`types`] (type syntax),
//! [`items`] (module items and schemas), [`strings`] (string literals and de-indentation),
//! [`recovery`] (skipping to the next entry, the nesting guard) and [`errors`] (chumsky's
//! errors → diagnostics).

mod errors;
mod expr;
mod fast;
mod items;
mod recovery;
mod strings;
mod types;

use chumsky::error::{EmptyErr, Rich};
use chumsky::extra;
use chumsky::input::{Input as _, MappedInput};
use chumsky::inspector::SimpleState;
use chumsky::prelude::*;

use crate::ast::{Ident, Module};
use crate::codes;
use crate::diagnostic::{Code, Diagnostic};
use crate::span::{FileId, Span};
use crate::token::Tok;

/// The most links one chain of binary operators or postfix accesses may have.
pub const MAX_CHAIN: usize = 512;

/// How deep an expression tree may be, all causes together (see `expr::bounded`).
pub const MAX_TREE_DEPTH: usize = 1000;

/// How many `?` may follow a type (`T?` is already optional; more only nests optionals).
pub const MAX_OPTIONAL_MARKS: usize = 4;

/// How deeply expressions and types may nest through `if`, `let`, `fn`, brackets and prefix
/// operators before the parser reports [`codes::NESTING_TOO_DEEP`].
pub const MAX_EXPR_DEPTH: usize = 256;

pub(crate) type In<'a> = MappedInput<'a, Tok<'a>, Span, &'a [(Tok<'a>, Span)]>;
pub(crate) type Ex<'a, Er> = extra::Full<Er, SimpleState<ParseState>, ()>;

/// The error type a parse runs with: [`Rich`] to report, or chumsky's zero-sized [`EmptyErr`]
/// for the fast first pass over (usually valid) input.
pub(crate) trait SyntaxError<'a>:
    chumsky::error::Error<'a, In<'a>> + chumsky::label::LabelError<'a, In<'a>, &'static str> + 'a
{
    /// An error carrying our own code, message and help.
    fn custom(code: Code, span: Span, message: String, help: Option<&str>) -> Self;
    /// A failure that is never shown (a recovery that found nothing to skip).
    fn nothing(span: Span) -> Self;
}

impl<'a> SyntaxError<'a> for Rich<'a, Tok<'a>, Span> {
    fn custom(code: Code, span: Span, message: String, help: Option<&str>) -> Self {
        // Decoded again in `errors`.
        Rich::custom(
            span,
            format!("{}{SEP}{message}{SEP}{}", code.as_str(), help.unwrap_or("")),
        )
    }

    fn nothing(span: Span) -> Self {
        Rich::custom(span, "")
    }
}

impl<'a> SyntaxError<'a> for EmptyErr {
    fn custom(_: Code, _: Span, _: String, _: Option<&str>) -> Self {
        EmptyErr::default()
    }

    fn nothing(_: Span) -> Self {
        EmptyErr::default()
    }
}

/// Mutable state threaded through a parse.
#[derive(Default)]
pub(crate) struct ParseState {
    /// Current nesting of guarded parsers (see [`recovery::guarded`]).
    pub depth: usize,
}

/// Parses a token stream produced by [`crate::lexer::lex`].
pub(crate) fn parse_tokens(
    file: FileId,
    source: &str,
    tokens: &[(Tok<'_>, Span)],
    diagnostics: &mut Vec<Diagnostic>,
) -> Module {
    let eoi = Span::new(file, source.len(), source.len());
    // Most input is valid: the hand-written fast path parses it, and gives up at the first
    // thing it does not expect; then the grammar parses again and describes the problem.
    if let Some(module) = fast::parse(tokens, eoi) {
        return module;
    }
    parse_with_grammar(file, source, tokens, diagnostics)
}

pub(crate) fn parse_fast_only(
    file: FileId,
    source: &str,
    tokens: &[(Tok<'_>, Span)],
) -> Option<Module> {
    fast::parse(tokens, Span::new(file, source.len(), source.len()))
}

/// Parses with the chumsky grammar alone: first without building error values, and only when
/// that finds a problem again with rich errors to report.
pub(crate) fn parse_with_grammar(
    file: FileId,
    source: &str,
    tokens: &[(Tok<'_>, Span)],
    diagnostics: &mut Vec<Diagnostic>,
) -> Module {
    let eoi = Span::new(file, source.len(), source.len());
    let mut state = SimpleState(ParseState::default());
    let fast = items::module::<EmptyErr>()
        .parse_with_state(tokens.split_token_span(eoi), &mut state)
        .into_result();
    if let Ok(module) = fast {
        return module;
    }
    let mut state = SimpleState(ParseState::default());
    let (module, errors) = items::module::<Rich<'_, Tok<'_>, Span>>()
        .parse_with_state(tokens.split_token_span(eoi), &mut state)
        .into_output_errors();
    errors::convert(source, tokens, errors, diagnostics);
    module.unwrap_or_else(|| Module {
        items: Vec::new(),
        comments: Vec::new(),
        span: Span::new(file, 0, source.len()),
    })
}

/// A custom error carrying our own code, message and help through chumsky (decoded in
/// [`errors`]).
pub(crate) fn custom_error<'a, Er: SyntaxError<'a>>(
    code: Code,
    span: Span,
    message: impl Into<String>,
    help: Option<&str>,
) -> Er {
    Er::custom(code, span.ordered(), message.into(), help)
}

pub(crate) const SEP: char = '\u{1f}';

/// A name: an identifier, or a keyword reported as one that cannot be a name (and accepted,
/// so that the rest parses).
pub(crate) fn name<'a, Er: SyntaxError<'a>>(
    what: &'static str,
) -> impl Parser<'a, In<'a>, Ident, Ex<'a, Er>> + Clone {
    select! {
        Tok::Ident(name) = e => Ident { name: name.to_string(), span: e.span() },
        // Invalid characters, reported by the lexer: stand in for the name.
        Tok::Error = e => Ident { name: String::new(), span: e.span() },
    }
    .or(any()
        .filter(|t: &Tok<'a>| t.is_keyword())
        .validate(move |tok: Tok<'a>, e, emitter| {
            let keyword = tok.keyword_text().unwrap_or_default();
            let span: Span = e.span();
            emitter.emit(custom_error(
                codes::KEYWORD_AS_NAME,
                span,
                format!("`{keyword}` is a keyword and cannot be used as {what}"),
                Some(&format!(
                    "choose another name, such as `{keyword}_`; a record key can be quoted: \"{keyword}\""
                )),
            ));
            Ident {
                name: keyword.to_string(),
                span,
            }
        }))
    .labelled(what)
}

/// `,` or a significant newline between entries (a `,` may end its line).
pub(crate) fn separator<'a, Er: SyntaxError<'a>>() -> impl Parser<'a, In<'a>, (), Ex<'a, Er>> + Clone
{
    one_of([Tok::Comma, Tok::Newline])
        .ignored()
        .then_ignore(newlines())
}

/// Newlines that may stand where an entry list starts or ends.
pub(crate) fn newlines<'a, Er: SyntaxError<'a>>() -> impl Parser<'a, In<'a>, (), Ex<'a, Er>> + Clone
{
    just(Tok::Newline).repeated().ignored()
}

#[cfg(test)]
mod tests;
