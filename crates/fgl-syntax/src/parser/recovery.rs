//! Error recovery helpers: skipping to the next entry, lists of entries with separators, and
//! the nesting guard.

use chumsky::prelude::*;

use super::{custom_error, newlines, separator, Ex, In, SyntaxError, MAX_EXPR_DEPTH};
use crate::codes;
use crate::span::Span;
use crate::token::Tok;

fn opens(tok: Tok<'_>) -> bool {
    matches!(
        tok,
        Tok::LBrace | Tok::LBracket | Tok::LParen | Tok::InterpStart | Tok::StrStart { .. }
    )
}

fn closes(tok: Tok<'_>) -> bool {
    matches!(
        tok,
        Tok::RBrace | Tok::RBracket | Tok::RParen | Tok::InterpEnd | Tok::StrEnd
    )
}

/// Skips tokens, bracket groups whole, up to (not including) a token for which `stop` holds or a
/// closer of the enclosing group. Fails when there is nothing to skip, so that a recovery never
/// loops without progress.
pub(crate) fn skip_to<'a, Er: SyntaxError<'a>>(
    stop: fn(Tok<'a>) -> bool,
) -> impl Parser<'a, In<'a>, (), Ex<'a, Er>> + Clone {
    custom(move |inp| {
        let start = inp.cursor();
        let mut depth = 0usize;
        let mut consumed = false;
        while let Some(tok) = inp.peek() {
            if depth == 0 && (stop(tok) || closes(tok)) {
                break;
            }
            if opens(tok) {
                depth += 1;
            } else if closes(tok) {
                depth -= 1;
            }
            inp.skip();
            consumed = true;
        }
        if consumed {
            Ok(())
        } else {
            let span: Span = inp.span_since(&start);
            Err(Er::nothing(span))
        }
    })
}

/// Skips to the next `,`, newline or closer: the end of the current entry.
pub(crate) fn skip_entry<'a, Er: SyntaxError<'a>>(
) -> impl Parser<'a, In<'a>, (), Ex<'a, Er>> + Clone {
    skip_to(|t| matches!(t, Tok::Comma | Tok::Newline))
}

/// Entries separated by `,` or newlines, with optional leading newlines and a trailing
/// separator. A missing separator between two entries is reported (unless the second entry is
/// itself broken, which was reported already) and parsing goes on.
pub(crate) fn entries<'a, O: 'a, Er: SyntaxError<'a>>(
    entry: impl Parser<'a, In<'a>, O, Ex<'a, Er>> + Clone + 'a,
    is_error: fn(&O) -> bool,
) -> impl Parser<'a, In<'a>, Vec<O>, Ex<'a, Er>> + Clone {
    newlines()
        .ignore_then(
            entry
                .clone()
                .then(separated(entry, is_error).repeated().collect::<Vec<_>>())
                .map(|(first, mut rest)| {
                    rest.insert(0, first);
                    rest
                })
                .or_not()
                .map(Option::unwrap_or_default),
        )
        .then_ignore(separator().or_not())
        .then_ignore(newlines())
}

/// One more entry after a separator (reported when missing).
pub(crate) fn separated<'a, O: 'a, Er: SyntaxError<'a>>(
    entry: impl Parser<'a, In<'a>, O, Ex<'a, Er>> + Clone + 'a,
    is_error: fn(&O) -> bool,
) -> impl Parser<'a, In<'a>, O, Ex<'a, Er>> + Clone {
    separator()
        .or_not()
        .then(entry)
        .validate(move |(sep, entry), e, emitter| {
            if sep.is_none() && !is_error(&entry) {
                let span: Span = e.span();
                emitter.emit(custom_error(
                    codes::MISSING_SEPARATOR,
                    span.start_point(),
                    "missing `,` or newline before this entry",
                    Some("separate entries with `,` or put each on its own line"),
                ));
            }
            entry
        })
}

/// Counts nesting through `inner` and fails with [`codes::NESTING_TOO_DEEP`] beyond
/// [`MAX_EXPR_DEPTH`], so that no input can make the parser (or later passes) recurse without
/// bound.
pub(crate) fn guarded<'a, O: 'a, Er: SyntaxError<'a>>(
    inner: impl Parser<'a, In<'a>, O, Ex<'a, Er>> + Clone + 'a,
) -> impl Parser<'a, In<'a>, O, Ex<'a, Er>> + Clone {
    custom(
        move |inp: &mut chumsky::input::InputRef<'a, '_, In<'a>, Ex<'a, Er>>| {
            inp.state().depth += 1;
            if inp.state().depth > MAX_EXPR_DEPTH {
                inp.state().depth -= 1;
                let before = inp.save();
                let start = inp.cursor();
                inp.skip();
                let span: Span = inp.span_since(&start);
                inp.rewind(before);
                return Err(custom_error(
                    codes::NESTING_TOO_DEEP,
                    span,
                    format!("nesting too deep: more than {MAX_EXPR_DEPTH} levels"),
                    Some("split the expression into `let` bindings"),
                ));
            }
            // One level of this grammar takes ~120 KiB of stack in debug builds, more than the
            // red zone of chumsky's own stack growth, so grow here with room to spare.
            let result = stacker::maybe_grow(1024 * 1024, 8 * 1024 * 1024, || inp.parse(&inner));
            inp.state().depth -= 1;
            result
        },
    )
}
