//! Which newlines separate entries.
//!
//! A newline ends an entry (of a record, list, schema or the file) only where it could: after
//! a token that can end an expression, before a token that can start a new entry, and not
//! inside `( … )` or `${ … }`. Every other newline is layout and is dropped here, so the parser
//! only sees [`Tok::Newline`] where it means "next entry" (like Go's semicolon insertion).
//! A line that starts with a binary operator (other than `-`), `.`, `then`, `else`, `in`,
//! `for`, or a comprehension's `if` continues the previous line. One exception the other way:
//! after a dangling `=` or operator, a line starting with `name =` begins a new entry.

use crate::span::Span;
use crate::token::Tok;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// `{` or `[`; `true` once a `for` was seen at this level (so `if` continues it).
    Entries { comprehension: bool },
    /// `(` or `${`: newlines never separate anything here.
    Inline,
}

/// Drops the newlines that do not separate entries, in place (the token list is the largest
/// allocation of a parse; it is not copied).
pub fn significant_newlines(mut tokens: Vec<(Tok<'_>, Span)>) -> Vec<(Tok<'_>, Span)> {
    let mut stack: Vec<Frame> = Vec::new();
    // Tokens before `write` are the output so far; those from `read` on are still the input.
    let mut write = 0;
    for read in 0..tokens.len() {
        let (tok, span) = tokens[read];
        match tok {
            Tok::Newline => {
                let out = &tokens[..write];
                let rest = &tokens[read + 1..];
                let separates = match stack.last() {
                    None | Some(Frame::Entries { .. }) => true,
                    Some(Frame::Inline) => false,
                };
                let after_end = match out {
                    // `x.type`: a keyword used as a field name ends the expression.
                    [.., (Tok::Dot, _), (prev, _)] if prev.is_keyword() => true,
                    [.., (prev, _)] => can_end(*prev),
                    [] => false,
                };
                let next = rest.iter().map(|(t, _)| *t).find(|t| *t != Tok::Newline);
                let in_comprehension = matches!(
                    stack.last(),
                    Some(Frame::Entries {
                        comprehension: true
                    })
                );
                let before_start = next.is_some_and(|n| !continues(n, in_comprehension));
                // After a dangling `=` or operator, a line starting with `name =` is a new entry:
                // the operand left out (`y =` ⏎ `z = 3`) must not swallow it.
                let starts_field =
                    out.last().is_some_and(|(prev, _)| wants_operand(*prev)) && starts_field(rest);
                let after_newline = out.last().is_some_and(|(prev, _)| *prev == Tok::Newline);
                if separates && !after_newline && (starts_field || (after_end && before_start)) {
                    tokens[write] = (tok, span);
                    write += 1;
                }
                continue;
            }
            Tok::LBrace | Tok::LBracket => stack.push(Frame::Entries {
                comprehension: false,
            }),
            Tok::LParen | Tok::InterpStart => stack.push(Frame::Inline),
            Tok::RBrace | Tok::RBracket | Tok::RParen | Tok::InterpEnd => {
                stack.pop();
            }
            Tok::For => {
                if let Some(Frame::Entries { comprehension }) = stack.last_mut() {
                    *comprehension = true;
                }
            }
            _ => {}
        }
        tokens[write] = (tok, span);
        write += 1;
    }
    tokens.truncate(write);
    tokens
}

/// The tokens (after newlines) begin with `name =`.
fn starts_field(rest: &[(Tok<'_>, Span)]) -> bool {
    let mut significant = rest.iter().map(|(t, _)| *t).filter(|t| *t != Tok::Newline);
    matches!(
        (significant.next(), significant.next()),
        (Some(Tok::Ident(_)), Some(Tok::Assign))
    )
}

/// Tokens after which an operand must follow (and can be forgotten).
fn wants_operand(tok: Tok<'_>) -> bool {
    tok.is_binary_operator()
        || matches!(
            tok,
            Tok::Assign | Tok::Bang | Tok::Then | Tok::Else | Tok::FatArrow
        )
}

fn can_end(tok: Tok<'_>) -> bool {
    matches!(
        tok,
        Tok::Ident(_)
            | Tok::Int(_)
            | Tok::StrEnd
            | Tok::True
            | Tok::False
            | Tok::Null
            | Tok::RParen
            | Tok::RBracket
            | Tok::RBrace
            | Tok::Question
            | Tok::Error
    )
}

fn continues(tok: Tok<'_>, in_comprehension: bool) -> bool {
    match tok {
        Tok::If => in_comprehension,
        // `-` at a line start begins a new entry (a negative number).
        Tok::Minus => false,
        _ if tok.is_binary_operator() => true,
        Tok::Then
        | Tok::Else
        | Tok::In
        | Tok::For
        | Tok::As
        | Tok::RBrace
        | Tok::RBracket
        | Tok::RParen
        | Tok::Comma
        | Tok::Dot
        | Tok::DotDot
        | Tok::Colon
        | Tok::Assign
        | Tok::Question
        | Tok::Pipe
        | Tok::Arrow
        | Tok::FatArrow => true,
        _ => false,
    }
}
