//! Lexing: source text → tokens, comments and lexical diagnostics.
//!
//! Code is lexed by a logos lexer; strings are scanned by hand so that `${ … }` can switch back
//! to code and nest (`"a ${ "b ${c}" } d"`). The raw tokens then go through
//! [`crate::delimiters`] (matching and repair) and [`crate::newlines`] (which newlines separate
//! entries).

use logos::Logos;

use crate::ast::{Comment, CommentKind};
use crate::codes;
use crate::diagnostic::Diagnostic;
use crate::span::{FileId, Span};
use crate::token::Tok;

/// The output of lexing one file.
pub struct Lexed<'s> {
    pub tokens: Vec<(Tok<'s>, Span)>,
    pub comments: Vec<Comment>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Lexes `source` into the token stream the parser consumes.
pub fn lex(file: FileId, source: &str) -> Lexed<'_> {
    let mut raw = RawLexer::new(file, source);
    raw.run();
    let RawLexer {
        tokens,
        comments,
        mut diagnostics,
        ..
    } = raw;
    let tokens = crate::delimiters::balance(file, source, tokens, &mut diagnostics);
    let tokens = crate::newlines::significant_newlines(tokens);
    Lexed {
        tokens,
        comments,
        diagnostics,
    }
}

#[derive(Logos, Clone, Copy, Debug, PartialEq, Eq)]
#[logos(skip r"[ \t\r\f\u{FEFF}]+")]
enum Raw {
    #[regex(r"#[^\n]*", allow_greedy = true)]
    Comment,
    #[token("\n")]
    Newline,
    #[regex("[A-Za-z_][A-Za-z0-9_]*")]
    Ident,
    /// Digits possibly followed by letters: validated by hand for a precise message.
    #[regex("[0-9][0-9A-Za-z_]*")]
    Number,
    /// `1.5`: not valid in fgl v0, lexed as one token for one clear message.
    #[regex(r"[0-9][0-9_]*\.[0-9][0-9A-Za-z_]*")]
    Float,
    #[token("\"")]
    Quote,
    #[token("\"\"\"")]
    TripleQuote,

    #[token("import")]
    Import,
    #[token("as")]
    As,
    #[token("let")]
    Let,
    #[token("in")]
    In,
    #[token("if")]
    If,
    #[token("then")]
    Then,
    #[token("else")]
    Else,
    #[token("fn")]
    Fn,
    #[token("schema")]
    Schema,
    #[token("resource")]
    Resource,
    #[token("type")]
    Type,
    #[token("param")]
    Param,
    #[token("check")]
    Check,
    #[token("for")]
    For,
    #[token("true")]
    True,
    #[token("false")]
    False,
    #[token("null")]
    Null,

    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token("[")]
    LBracket,
    #[token("]")]
    RBracket,
    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token(",")]
    Comma,
    #[token(".")]
    Dot,
    #[token("..")]
    DotDot,
    #[token(":")]
    Colon,
    #[token("=")]
    Assign,
    #[token("==")]
    EqEq,
    #[token("!=")]
    NotEq,
    #[token("<")]
    Lt,
    #[token("<=")]
    Le,
    #[token(">")]
    Gt,
    #[token(">=")]
    Ge,
    #[token("+")]
    Plus,
    #[token("++")]
    PlusPlus,
    #[token("-")]
    Minus,
    #[token("*")]
    Star,
    #[token("/")]
    Slash,
    #[token("//")]
    SlashSlash,
    #[token("%")]
    Percent,
    #[token("&&")]
    AndAnd,
    #[token("||")]
    OrOr,
    #[token("!")]
    Bang,
    #[token("?")]
    Question,
    #[token("??")]
    QuestionQuestion,
    #[token("|")]
    Pipe,
    #[token("->")]
    Arrow,
    #[token("=>")]
    FatArrow,
    #[token("$")]
    Dollar,
}

/// An open `${` inside a string.
struct Interp {
    /// The string it belongs to is `"""…"""`.
    multiline: bool,
    /// The `${` itself.
    start: Span,
    /// The opening quote(s) of its string, where an unterminated string is reported.
    string_open: Span,
    /// Open `{` inside the interpolation, so that its own `}` is told apart.
    braces: u32,
}

struct RawLexer<'s> {
    file: FileId,
    source: &'s str,
    lexer: logos::Lexer<'s, Raw>,
    tokens: Vec<(Tok<'s>, Span)>,
    comments: Vec<Comment>,
    diagnostics: Vec<Diagnostic>,
    interps: Vec<Interp>,
}

/// How a string scan ended.
enum StrEnd {
    /// At the closing quote(s); the offset after them.
    Closed(usize),
    /// At `${`; the offset after it.
    Interp(usize),
    /// At a newline (single-line strings) or the end of the file; the offset where it stopped.
    Unterminated(usize),
}

impl<'s> RawLexer<'s> {
    fn new(file: FileId, source: &'s str) -> Self {
        RawLexer {
            file,
            source,
            lexer: Raw::lexer(source),
            tokens: Vec::with_capacity(source.len() / 4),
            comments: Vec::new(),
            diagnostics: Vec::new(),
            interps: Vec::new(),
        }
    }

    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.file, start, end)
    }

    fn push(&mut self, tok: Tok<'s>, start: usize, end: usize) {
        let span = self.span(start, end);
        self.tokens.push((tok, span));
    }

    /// Continues lexing code at `offset` (after the lexer scanned a string by hand).
    fn resume_at(&mut self, offset: usize) {
        let current = self.lexer.span().end;
        if offset > current {
            self.lexer.bump(offset - current);
        }
    }

    fn run(&mut self) {
        let mut invalid: Option<(usize, usize)> = None;
        while let Some(result) = self.lexer.next() {
            let range = self.lexer.span();
            let raw = match result {
                Ok(raw) => raw,
                Err(()) => {
                    // Group a run of invalid characters into one diagnostic.
                    invalid = match invalid {
                        Some((start, end)) if end == range.start => Some((start, range.end)),
                        other => {
                            self.flush_invalid(other);
                            Some((range.start, range.end))
                        }
                    };
                    continue;
                }
            };
            self.flush_invalid(invalid.take());
            self.token(raw, range.start, range.end);
        }
        self.flush_invalid(invalid);
        let end = self.source.len();
        // Strings left open by an interpolation that reached the end of the file.
        while let Some(interp) = self.interps.pop() {
            self.unterminated_interp(&interp, end);
        }
    }

    fn flush_invalid(&mut self, run: Option<(usize, usize)>) {
        let Some((start, end)) = run else { return };
        let text = &self.source[start..end];
        let span = self.span(start, end);
        let shown: String = text.chars().take(10).collect();
        let mut diag = Diagnostic::error(
            codes::INVALID_CHARACTER,
            span,
            format!(
                "invalid character{} `{shown}`",
                plural(text.chars().count())
            ),
        );
        diag = diag.with_help(if text.chars().any(|c| c.is_alphabetic()) {
            "names are ASCII letters, digits and `_`; other text belongs in a string".to_string()
        } else {
            "this character has no meaning in fgl; put it in a string or a comment".to_string()
        });
        self.diagnostics.push(diag);
        // Glued to a name (`prix€`): keep one name token, so the parse goes on as the user meant.
        if let Some((Tok::Ident(_), span)) = self.tokens.last() {
            if span.end as usize == start {
                let name_start = span.start as usize;
                self.tokens.pop();
                self.push(Tok::Ident(&self.source[name_start..end]), name_start, end);
                return;
            }
        }
        self.push(Tok::Error, start, end);
    }

    fn token(&mut self, raw: Raw, start: usize, end: usize) {
        let tok = match raw {
            Raw::Comment => {
                let text = &self.source[start..end];
                let (kind, body) = match text.strip_prefix("##") {
                    Some(rest) if !rest.starts_with('#') => (CommentKind::Doc, rest),
                    _ => (CommentKind::Line, &text[1..]),
                };
                self.comments.push(Comment {
                    kind,
                    text: body.trim_end().to_string(),
                    span: self.span(start, start + text.trim_end().len()),
                });
                return;
            }
            Raw::Newline => {
                // A `"…"` string ends on its line, so its `${` cannot go on.
                while self.interps.last().is_some_and(|i| !i.multiline) {
                    if let Some(interp) = self.interps.pop() {
                        self.unterminated_interp(&interp, start);
                    }
                }
                // One token per run of line breaks (blank and comment-only lines included):
                // later passes look ahead past newlines, which must stay cheap.
                if matches!(self.tokens.last(), Some((Tok::Newline, _))) {
                    return;
                }
                Tok::Newline
            }
            Raw::Ident => {
                // A name right after invalid characters (`€uro`) continues that token.
                if let Some((Tok::Ident(_) | Tok::Error, span)) = self.tokens.last() {
                    if span.end as usize == start
                        && !self.source[..start].ends_with(|c: char| c.is_ascii())
                    {
                        let name_start = span.start as usize;
                        self.tokens.pop();
                        Tok::Ident(&self.source[name_start..end])
                    } else {
                        Tok::Ident(&self.source[start..end])
                    }
                } else {
                    Tok::Ident(&self.source[start..end])
                }
            }
            Raw::Number => match self.number(start, end) {
                Some(value) => Tok::Int(value),
                None => Tok::Error,
            },
            Raw::Float => {
                let span = self.span(start, end);
                let text = &self.source[start..end];
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::INVALID_NUMBER,
                        span,
                        format!("invalid number `{text}`: fgl has no fractional numbers"),
                    )
                    .with_primary_message("only whole numbers are allowed")
                    .with_help("use a whole number in a smaller unit (e.g. MiB instead of GiB)"),
                );
                Tok::Error
            }
            Raw::TripleQuote if self.interps.last().is_some_and(|i| i.multiline) => {
                // Triple quotes inside the `${` of a multi-line string: the `}` was forgotten
                // and these quotes end the outer string.
                if let Some(interp) = self.interps.pop() {
                    self.report_unterminated_interp(&interp);
                }
                self.push(Tok::InterpEnd, start, start);
                self.push(Tok::StrEnd, start, end);
                return;
            }
            Raw::Quote | Raw::TripleQuote => {
                self.string(raw == Raw::TripleQuote, start, end);
                return;
            }
            Raw::LBrace => {
                if let Some(interp) = self.interps.last_mut() {
                    interp.braces += 1;
                }
                Tok::LBrace
            }
            Raw::RBrace => match self.interps.last_mut() {
                Some(interp) if interp.braces == 0 => {
                    let (multiline, open) = (interp.multiline, interp.string_open);
                    self.interps.pop();
                    self.push(Tok::InterpEnd, start, end);
                    self.continue_string(multiline, end, open);
                    return;
                }
                Some(interp) => {
                    interp.braces -= 1;
                    Tok::RBrace
                }
                None => Tok::RBrace,
            },
            Raw::Import => Tok::Import,
            Raw::As => Tok::As,
            Raw::Let => Tok::Let,
            Raw::In => Tok::In,
            Raw::If => Tok::If,
            Raw::Then => Tok::Then,
            Raw::Else => Tok::Else,
            Raw::Fn => Tok::Fn,
            Raw::Schema => Tok::Schema,
            Raw::Resource => Tok::Resource,
            Raw::Type => Tok::Type,
            Raw::Param => Tok::Param,
            Raw::Check => Tok::Check,
            Raw::For => Tok::For,
            Raw::True => Tok::True,
            Raw::False => Tok::False,
            Raw::Null => Tok::Null,
            Raw::LBracket => Tok::LBracket,
            Raw::RBracket => Tok::RBracket,
            Raw::LParen => Tok::LParen,
            Raw::RParen => Tok::RParen,
            Raw::Comma => Tok::Comma,
            Raw::Dot => Tok::Dot,
            Raw::DotDot => Tok::DotDot,
            Raw::Colon => Tok::Colon,
            Raw::Assign => Tok::Assign,
            Raw::EqEq => Tok::EqEq,
            Raw::NotEq => Tok::NotEq,
            Raw::Lt => Tok::Lt,
            Raw::Le => Tok::Le,
            Raw::Gt => Tok::Gt,
            Raw::Ge => Tok::Ge,
            Raw::Plus => Tok::Plus,
            Raw::PlusPlus => Tok::PlusPlus,
            Raw::Minus => Tok::Minus,
            Raw::Star => Tok::Star,
            Raw::Slash => Tok::Slash,
            Raw::SlashSlash => Tok::SlashSlash,
            Raw::Percent => Tok::Percent,
            Raw::AndAnd => Tok::AndAnd,
            Raw::OrOr => Tok::OrOr,
            Raw::Bang => Tok::Bang,
            Raw::Question => Tok::Question,
            Raw::QuestionQuestion => Tok::QuestionQuestion,
            Raw::Pipe => Tok::Pipe,
            Raw::Arrow => Tok::Arrow,
            Raw::FatArrow => Tok::FatArrow,
            Raw::Dollar => {
                let span = self.span(start, end);
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::INVALID_CHARACTER,
                        span,
                        "`$` outside a string".to_string(),
                    )
                    .with_help("interpolation is written inside a string: \"${name}\""),
                );
                Tok::Error
            }
        };
        self.push(tok, start, end);
    }

    /// Validates a decimal literal (`42`, `1_000`) and reports what is wrong otherwise.
    fn number(&mut self, start: usize, end: usize) -> Option<i64> {
        let text = &self.source[start..end];
        let span = self.span(start, end);
        let problem = if let Some(bad) = text.find(|c: char| !(c.is_ascii_digit() || c == '_')) {
            let rest = &text[bad..];
            if text.starts_with("0x") || text.starts_with("0b") || text.starts_with("0o") {
                Some(("only decimal numbers are allowed".to_string(), None))
            } else {
                Some((
                    format!("unexpected `{rest}` after the digits"),
                    Some("numbers have no units or suffixes; write the plain number (e.g. `512`, in MiB)"),
                ))
            }
        } else if text.ends_with('_') {
            Some(("a number cannot end with `_`".to_string(), None))
        } else {
            None
        };
        if let Some((label, help)) = problem {
            let mut diag = Diagnostic::error(
                codes::INVALID_NUMBER,
                span,
                format!("invalid number `{text}`"),
            )
            .with_primary_message(label);
            if let Some(help) = help {
                diag = diag.with_help(help);
            }
            self.diagnostics.push(diag);
            return None;
        }
        let digits: String = text.chars().filter(|c| *c != '_').collect();
        match digits.parse::<i64>() {
            Ok(value) => Some(value),
            Err(_) => {
                self.diagnostics.push(
                    Diagnostic::error(
                        codes::INVALID_NUMBER,
                        span,
                        format!("number `{text}` is too large"),
                    )
                    .with_primary_message(format!("the largest integer is {}", i64::MAX)),
                );
                None
            }
        }
    }

    /// Lexes a string whose opening quote(s) span `start..end`.
    fn string(&mut self, multiline: bool, start: usize, end: usize) {
        self.push(Tok::StrStart { multiline }, start, end);
        let open = self.span(start, end);
        let scan = self.scan_string(multiline, end);
        self.finish_string_scan(multiline, scan, open, false);
    }

    /// Continues a string (opened at `open`) after the `}` of an interpolation.
    fn continue_string(&mut self, multiline: bool, at: usize, open: Span) {
        let scan = self.scan_string(multiline, at);
        self.finish_string_scan(multiline, scan, open, true);
    }

    fn finish_string_scan(&mut self, multiline: bool, scan: StrEnd, open: Span, continued: bool) {
        match scan {
            StrEnd::Closed(after) => {
                let quote = if multiline { 3 } else { 1 };
                self.push(Tok::StrEnd, after - quote, after);
                self.resume_at(after);
            }
            StrEnd::Interp(after) => {
                self.push(Tok::InterpStart, after - 2, after);
                self.interps.push(Interp {
                    multiline,
                    start: self.span(after - 2, after),
                    string_open: open,
                    braces: 0,
                });
                self.resume_at(after);
            }
            StrEnd::Unterminated(at) => {
                // A string inside a single-line interpolation that runs to the end of the line
                // is most likely the outer string's closing quote: `"a ${b"`.
                let in_line_interp = self.interps.last().is_some_and(|i| !i.multiline);
                if in_line_interp && !continued {
                    // Undo the nested string: its quote ends the outer one.
                    while let Some((tok, _)) = self.tokens.last() {
                        let was_start = matches!(tok, Tok::StrStart { .. });
                        self.tokens.pop();
                        if was_start {
                            break;
                        }
                    }
                    if let Some(interp) = self.interps.pop() {
                        self.report_unterminated_interp(&interp);
                    }
                    self.push(Tok::InterpEnd, open.start as usize, open.start as usize);
                    self.push(Tok::StrEnd, open.start as usize, open.end as usize);
                    self.resume_at(open.end as usize);
                    return;
                }
                let opening = open;
                let what = if multiline { "\"\"\"" } else { "\"" };
                let mut diag = Diagnostic::error(
                    codes::UNTERMINATED_STRING,
                    opening,
                    format!("unterminated string: expected a closing `{what}`"),
                )
                .with_primary_message("this string is never closed");
                if !multiline {
                    diag = diag.with_help(
                        "a \"…\" string ends on its own line; use \"\"\"…\"\"\" for text over several lines",
                    );
                }
                self.diagnostics.push(diag);
                self.push(Tok::StrEnd, at, at);
                self.resume_at(at);
            }
        }
    }

    /// Scans string text from `from`, emitting `StrText` tokens and reporting bad escapes.
    fn scan_string(&mut self, multiline: bool, from: usize) -> StrEnd {
        let bytes = self.source.as_bytes();
        let mut i = from;
        let text_start = from;
        let result = loop {
            let Some(&b) = bytes.get(i) else {
                break StrEnd::Unterminated(i);
            };
            match b {
                b'\n' if !multiline => break StrEnd::Unterminated(i),
                b'"' if !multiline => break StrEnd::Closed(i + 1),
                b'"' if bytes[i..].starts_with(b"\"\"\"") => {
                    // `""""` ends with the last three quotes: a quote may end the text.
                    let mut end = i + 3;
                    while bytes.get(end) == Some(&b'"') {
                        end += 1;
                    }
                    break StrEnd::Closed(end);
                }
                b'$' if bytes.get(i + 1) == Some(&b'{') => break StrEnd::Interp(i + 2),
                b'\\' => match bytes.get(i + 1) {
                    Some(b'n' | b't' | b'r' | b'"' | b'\\' | b'$') => i += 2,
                    Some(b'\n') | None => i += 1,
                    Some(_) => {
                        let ch_len = self.source[i + 1..]
                            .chars()
                            .next()
                            .map_or(1, char::len_utf8);
                        let span = self.span(i, i + 1 + ch_len);
                        let shown = &self.source[i..i + 1 + ch_len];
                        self.diagnostics.push(
                                Diagnostic::error(
                                    codes::INVALID_ESCAPE,
                                    span,
                                    format!("invalid escape `{shown}` in a string"),
                                )
                                .with_help(
                                    "the escapes are \\n \\t \\r \\\" \\\\ and \\$; write \\\\ for a backslash",
                                ),
                            );
                        i += 1 + ch_len;
                    }
                },
                _ => i += 1,
            }
        };
        let text_end = match result {
            StrEnd::Closed(after) => after - if multiline { 3 } else { 1 },
            StrEnd::Interp(after) => after - 2,
            StrEnd::Unterminated(at) => at,
        };
        if text_end > text_start {
            self.push(
                Tok::StrText(&self.source[text_start..text_end]),
                text_start,
                text_end,
            );
        }
        result
    }

    fn report_unterminated_interp(&mut self, interp: &Interp) {
        self.diagnostics.push(
            Diagnostic::error(
                codes::UNTERMINATED_INTERPOLATION,
                interp.start,
                "unterminated interpolation: expected `}`".to_string(),
            )
            .with_primary_message("this `${` is never closed")
            .with_help("close it with `}` before the string ends; write `\\${` for a literal `${`"),
        );
    }

    /// Closes an interpolation (and its string) that cannot go on at `at`.
    fn unterminated_interp(&mut self, interp: &Interp, at: usize) {
        self.report_unterminated_interp(interp);
        self.push(Tok::InterpEnd, at, at);
        self.push(Tok::StrEnd, at, at);
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
