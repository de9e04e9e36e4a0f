//! The chumsky parser: tokens → [`Module`], with error recovery at every entry so that one
//! mistake is reported once and the rest of the file still parses.
//!
//! Layout: [`expr`] (expressions and their precedence levels), [`types`] (type syntax),
//! [`items`] (module items and schemas), [`strings`] (string literals and de-indentation),
//! [`recovery`] (skipping to the next entry, the nesting guard) and [`errors`] (chumsky's
//! errors → diagnostics).

mod errors;
mod expr;
mod items;
mod recovery;
mod strings;
mod types;

use chumsky::error::Rich;
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

/// How deeply expressions and types may nest through `if`, `let`, `fn`, brackets and prefix
/// operators before the parser reports [`codes::NESTING_TOO_DEEP`].
pub const MAX_EXPR_DEPTH: usize = 256;

pub(crate) type In<'a> = MappedInput<'a, Tok<'a>, Span, &'a [(Tok<'a>, Span)]>;
pub(crate) type Ex<'a> = extra::Full<Rich<'a, Tok<'a>, Span>, SimpleState<ParseState>, ()>;

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
    let input = tokens.split_token_span(eoi);
    let mut state = SimpleState(ParseState::default());
    let (module, errors) = items::module()
        .parse_with_state(input, &mut state)
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
pub(crate) fn custom_error<'a>(
    code: Code,
    span: Span,
    message: impl Into<String>,
    help: Option<&str>,
) -> Rich<'a, Tok<'a>, Span> {
    Rich::custom(
        span,
        format!(
            "{}{SEP}{}{SEP}{}",
            code.as_str(),
            message.into(),
            help.unwrap_or("")
        ),
    )
}

pub(crate) const SEP: char = '\u{1f}';

/// A name: an identifier, or a keyword reported as one that cannot be a name (and accepted,
/// so that the rest parses).
pub(crate) fn name<'a>(what: &'static str) -> impl Parser<'a, In<'a>, Ident, Ex<'a>> + Clone {
    select! {
        Tok::Ident(name) = e => Ident { name: name.to_string(), span: e.span() },
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
pub(crate) fn separator<'a>() -> impl Parser<'a, In<'a>, (), Ex<'a>> + Clone {
    one_of([Tok::Comma, Tok::Newline])
        .ignored()
        .then_ignore(newlines())
}

/// Newlines that may stand where an entry list starts or ends.
pub(crate) fn newlines<'a>() -> impl Parser<'a, In<'a>, (), Ex<'a>> + Clone {
    just(Tok::Newline).repeated().ignored()
}

#[cfg(test)]
mod tests;
