//! String literals: the parser for `"…"` / `"""…"""` and the construction of [`StrLit`]
//! (escapes resolved, multi-line strings de-indented).

use chumsky::prelude::*;

use super::{Ex, In, SyntaxError};
use crate::ast::{Expr, StrLit, StrPart};
use crate::span::Span;
use crate::token::Tok;

pub(crate) enum RawPart<'a> {
    Text(&'a str, Span),
    Interp(Expr),
}

/// A string literal; `expr` parses what stands inside `${ … }`.
pub(crate) fn string<'a, Er: SyntaxError<'a>>(
    expr: impl Parser<'a, In<'a>, Expr, Ex<'a, Er>> + Clone + 'a,
) -> impl Parser<'a, In<'a>, StrLit, Ex<'a, Er>> + Clone {
    let text = select! { Tok::StrText(text) = e => RawPart::Text(text, e.span()) };
    let interp = expr
        .delimited_by(just(Tok::InterpStart), just(Tok::InterpEnd))
        .map(RawPart::Interp);
    select! { Tok::StrStart { multiline } => multiline }
        .then(text.or(interp).repeated().collect::<Vec<_>>())
        .then_ignore(just(Tok::StrEnd))
        .map(|(multiline, parts)| build(multiline, parts))
        .labelled("string")
}

pub(crate) fn build(multiline: bool, parts: Vec<RawPart<'_>>) -> StrLit {
    if !multiline {
        // The common case: unescape straight from the source text.
        return StrLit {
            parts: parts
                .into_iter()
                .map(|part| match part {
                    RawPart::Text(text, span) => StrPart::Text(unescape(text), span),
                    RawPart::Interp(expr) => StrPart::Interp(expr),
                })
                .collect(),
            multiline,
        };
    }
    let parts = dedent(parts);
    StrLit {
        parts: parts
            .into_iter()
            .map(|part| match part {
                Owned::Text(text, span) => StrPart::Text(unescape(&text), span),
                Owned::Interp(expr) => StrPart::Interp(expr),
            })
            .collect(),
        multiline,
    }
}

enum Owned {
    Text(String, Span),
    Interp(Expr),
}

/// Resolves `\n \t \r \" \\ \$`. Invalid escapes were reported by the lexer; they keep the
/// escaped character.
pub(crate) fn unescape(raw: &str) -> String {
    if !raw.contains('\\') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// One line of a multi-line string, as pieces of raw text and interpolations.
#[derive(Default)]
struct Line {
    pieces: Vec<Owned>,
}

impl Line {
    fn is_blank(&self) -> bool {
        self.pieces.iter().all(|piece| match piece {
            Owned::Text(text, _) => text.chars().all(|c| c == ' ' || c == '\t' || c == '\r'),
            Owned::Interp(_) => false,
        })
    }

    fn indent(&self) -> usize {
        match self.pieces.first() {
            Some(Owned::Text(text, _)) => {
                text.chars().take_while(|c| *c == ' ' || *c == '\t').count()
            }
            _ => 0,
        }
    }

    fn strip_indent(&mut self, n: usize) {
        if let Some(Owned::Text(text, _)) = self.pieces.first_mut() {
            let cut = text
                .char_indices()
                .take_while(|(i, c)| *i < n && (*c == ' ' || *c == '\t'))
                .count();
            text.drain(..cut);
        }
    }
}

/// De-indents a `"""` string: a first line holding only white space is dropped (the text
/// starts on the next line), as is a last line holding only white space (before the closing
/// `"""`), and the indentation common to all non-blank lines is removed from every line.
fn dedent(parts: Vec<RawPart<'_>>) -> Vec<Owned> {
    let mut lines: Vec<Line> = vec![Line::default()];
    for part in parts {
        match part {
            RawPart::Interp(expr) => {
                if let Some(line) = lines.last_mut() {
                    line.pieces.push(Owned::Interp(expr));
                }
            }
            RawPart::Text(text, span) => {
                for (i, chunk) in text.split('\n').enumerate() {
                    if i > 0 {
                        lines.push(Line::default());
                    }
                    if !chunk.is_empty() {
                        if let Some(line) = lines.last_mut() {
                            line.pieces.push(Owned::Text(chunk.to_string(), span));
                        }
                    }
                }
            }
        }
    }
    let first_line_dropped = lines.len() > 1 && lines[0].is_blank();
    if first_line_dropped {
        lines.remove(0);
    }
    if lines.len() > 1 && lines.last().is_some_and(Line::is_blank) {
        lines.pop();
    }
    // Text on the line of the opening `"""` keeps its own layout.
    let skip = usize::from(!first_line_dropped);
    let indent = lines
        .iter()
        .skip(skip)
        .filter(|line| !line.is_blank())
        .map(Line::indent)
        .min()
        .unwrap_or(0);
    let mut out: Vec<Owned> = Vec::new();
    for (i, mut line) in lines.into_iter().enumerate() {
        if i >= skip {
            line.strip_indent(indent);
        }
        if i > 0 {
            push_text(&mut out, "\n", None);
        }
        for piece in line.pieces {
            match piece {
                Owned::Text(text, span) => push_text(&mut out, &text, Some(span)),
                interp @ Owned::Interp(_) => out.push(interp),
            }
        }
    }
    out.retain(|part| !matches!(part, Owned::Text(text, _) if text.is_empty()));
    out
}

/// Appends text, merging with a preceding text part.
fn push_text(out: &mut Vec<Owned>, text: &str, span: Option<Span>) {
    if let Some(Owned::Text(last, last_span)) = out.last_mut() {
        last.push_str(text);
        if let Some(span) = span {
            *last_span = last_span.to(span);
        }
        return;
    }
    out.push(Owned::Text(text.to_string(), span.unwrap_or_default()));
}
