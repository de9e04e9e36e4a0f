//! chumsky's errors → [`Diagnostic`]s: custom errors carry our code, others become "expected …,
//! found …" with the expectations named the way people say them.

use chumsky::error::{Rich, RichPattern, RichReason};

use super::SEP;
use crate::codes;
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;
use crate::token::Tok;

pub(crate) fn convert<'a>(
    source: &str,
    tokens: &[(Tok<'a>, Span)],
    errors: Vec<Rich<'a, Tok<'a>, Span>>,
    out: &mut Vec<Diagnostic>,
) {
    // Closers the lexer inserted for an unclosed delimiter or string: that problem was
    // reported already, so parse errors right there are noise.
    let synthetic: Vec<u32> = tokens
        .iter()
        .filter(|(tok, span)| {
            span.is_empty()
                && matches!(
                    tok,
                    Tok::RBrace | Tok::RBracket | Tok::RParen | Tok::InterpEnd | Tok::StrEnd
                )
        })
        .map(|(_, span)| span.start)
        .collect();
    let last_token_end = tokens
        .iter()
        .rev()
        .find(|(_, span)| !span.is_empty())
        .map(|(_, span)| span.end_point());
    let mut converted: Vec<Diagnostic> = Vec::new();
    for error in errors {
        let span = *error.span();
        let Some(mut diag) = to_diagnostic(error) else {
            continue;
        };
        if span.start as usize >= source.len() {
            if let Some(end) = last_token_end {
                diag.primary.span = end;
            }
        }
        if diag.code == codes::UNEXPECTED_TOKEN && synthetic.contains(&span.start) {
            continue;
        }
        converted.push(diag);
    }
    // One report per position: recovery at several levels can describe the same spot.
    // Of nested "too deep" reports, the outermost says it all.
    let deep: Vec<Span> = converted
        .iter()
        .filter(|d| d.code == codes::NESTING_TOO_DEEP)
        .map(|d| d.primary.span)
        .collect();
    converted.retain(|d| {
        let s = d.primary.span;
        d.code != codes::NESTING_TOO_DEEP
            || !deep
                .iter()
                .any(|o| *o != s && o.start <= s.start && s.end <= o.end)
    });
    // A missing separator is the least specific explanation of a spot: sort it last there.
    converted.sort_by_key(|d| {
        (
            d.primary.span.start,
            d.code == codes::MISSING_SEPARATOR,
            d.primary.span.end,
        )
    });
    converted.dedup_by_key(|d| d.primary.span.start);
    out.extend(converted);
}

fn to_diagnostic(error: Rich<'_, Tok<'_>, Span>) -> Option<Diagnostic> {
    let span = *error.span();
    match error.into_reason() {
        RichReason::Custom(message) => {
            let mut parts = message.split(SEP);
            let (Some(code), Some(message), help) = (parts.next(), parts.next(), parts.next())
            else {
                // chumsky-internal or a recovery probe, not something to show.
                return None;
            };
            let code = codes::all()
                .map(|info| info.code)
                .find(|c| c.as_str() == code)
                .unwrap_or(codes::UNEXPECTED_TOKEN);
            let mut diag =
                Diagnostic::error(code, span, message).with_primary_message(primary_label(code));
            if let Some(help) = help.filter(|h| !h.is_empty()) {
                diag = diag.with_help(help);
            }
            Some(diag)
        }
        RichReason::ExpectedFound { expected, found } => {
            let found_text = match found.as_deref() {
                Some(tok) => tok.to_string(),
                None => "the end of the file".to_string(),
            };
            let primary = match found.as_deref() {
                Some(tok) => format!("unexpected {tok}"),
                None => "the file ends here".to_string(),
            };
            let expected_text = describe_expected(&expected);
            let message = match &expected_text {
                Some(text) => format!("expected {text}, found {found_text}"),
                None => format!("unexpected {found_text}"),
            };
            let mut diag = Diagnostic::error(codes::UNEXPECTED_TOKEN, span, message)
                .with_primary_message(primary);
            if let Some(help) = hint_for(found.as_deref().copied(), &expected) {
                diag = diag.with_help(help);
            }
            Some(diag)
        }
    }
}

/// The short text under the primary span of our own errors (the message says the rest).
fn primary_label(code: Code) -> &'static str {
    match code {
        codes::MISSING_EQUALS => "expected `=` before this value",
        codes::MISSING_SEPARATOR => "expected `,` or a new line before this",
        codes::ASSIGN_IN_CONDITION => "this compares: write `==`",
        codes::KEYWORD_AS_NAME => "this is a keyword",
        codes::CHAINED_COMPARISON => "a second comparison",
        codes::TYPE_IN_EXPRESSION => "type syntax where a value belongs",
        codes::EXPRESSION_IN_TYPE => "a value where a type belongs",
        codes::NESTING_TOO_DEEP => "nested too deeply",
        _ => "",
    }
}

fn is_operator(tok: &Tok<'_>) -> bool {
    tok.is_binary_operator()
        || matches!(
            tok,
            Tok::Pipe
                | Tok::In
                | Tok::Dot
                | Tok::DotDot
                | Tok::Question
                | Tok::LParen
                | Tok::LBracket
                | Tok::LBrace
        )
}

/// "`=`, `,` or `}`" — with operators folded into "an operator".
fn describe_expected(expected: &[RichPattern<'_, Tok<'_>>]) -> Option<String> {
    let mut items: Vec<String> = Vec::new();
    let mut operator = false;
    for pattern in expected {
        let text = match pattern {
            RichPattern::Token(tok) => {
                let tok: &Tok<'_> = tok;
                if is_operator(tok) {
                    operator = true;
                    continue;
                }
                match tok {
                    Tok::Newline => "a new line".to_string(),
                    other => other.to_string(),
                }
            }
            RichPattern::Label(label) => label.to_string(),
            RichPattern::Identifier(name) => format!("`{name}`"),
            RichPattern::EndOfInput => "the end of the file".to_string(),
            RichPattern::Any | RichPattern::SomethingElse => continue,
            #[allow(unreachable_patterns)]
            _ => continue,
        };
        if !items.contains(&text) {
            items.push(text);
        }
    }
    if operator {
        items.push("an operator".to_string());
    }
    match items.len() {
        0 => None,
        1 => items.pop(),
        _ => {
            let last = items.pop().unwrap_or_default();
            Some(format!("{} or {last}", items.join(", ")))
        }
    }
}

fn hint_for(found: Option<Tok<'_>>, expected: &[RichPattern<'_, Tok<'_>>]) -> Option<String> {
    let expects = |tok: Tok<'_>| {
        expected
            .iter()
            .any(|p| matches!(p, RichPattern::Token(t) if **t == tok))
    };
    match found {
        Some(Tok::Assign) if expects(Tok::Then) || expects(Tok::Else) => {
            Some("to compare, write `==`".to_string())
        }
        Some(Tok::Colon) if expects(Tok::Assign) => {
            Some("a value is set with `=`; `:` introduces a type".to_string())
        }
        _ => None,
    }
}
