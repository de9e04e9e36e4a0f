//! Delimiter matching over the raw tokens, before parsing (as rustc does with token trees).
//!
//! Every problem with `{ } [ ] ( )` is reported here, once and precisely: an unclosed opener
//! (label on the opener), a closer that closes nothing, a mismatched pair, and nesting beyond
//! [`MAX_NESTING`]. The stream is then repaired (closers inserted, strays dropped, too-deep
//! regions collapsed into one `Error` token) so that the parser sees balanced input and does not
//! report follow-on noise.

use crate::codes;
use crate::diagnostic::Diagnostic;
use crate::span::{FileId, Span};
use crate::token::Tok;

/// How deeply brackets may nest. Deeper input is reported, never overflows the stack.
pub const MAX_NESTING: usize = 128;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Delim {
    Brace,
    Bracket,
    Paren,
    Interp,
}

impl Delim {
    fn open(tok: Tok<'_>) -> Option<Delim> {
        match tok {
            Tok::LBrace => Some(Delim::Brace),
            Tok::LBracket => Some(Delim::Bracket),
            Tok::LParen => Some(Delim::Paren),
            Tok::InterpStart => Some(Delim::Interp),
            _ => None,
        }
    }

    fn close(tok: Tok<'_>) -> Option<Delim> {
        match tok {
            Tok::RBrace => Some(Delim::Brace),
            Tok::RBracket => Some(Delim::Bracket),
            Tok::RParen => Some(Delim::Paren),
            Tok::InterpEnd => Some(Delim::Interp),
            _ => None,
        }
    }

    fn open_text(self) -> &'static str {
        match self {
            Delim::Brace => "{",
            Delim::Bracket => "[",
            Delim::Paren => "(",
            Delim::Interp => "${",
        }
    }

    fn close_text(self) -> &'static str {
        match self {
            Delim::Brace | Delim::Interp => "}",
            Delim::Bracket => "]",
            Delim::Paren => ")",
        }
    }

    fn close_tok(self) -> Tok<'static> {
        match self {
            Delim::Brace => Tok::RBrace,
            Delim::Bracket => Tok::RBracket,
            Delim::Paren => Tok::RParen,
            Delim::Interp => Tok::InterpEnd,
        }
    }
}

struct Open {
    delim: Delim,
    span: Span,
    /// Index of the opener in the output.
    index: usize,
}

struct Balancer<'a, 's> {
    file: FileId,
    source: &'s str,
    out: Vec<(Tok<'s>, Span)>,
    stack: Vec<Open>,
    diagnostics: &'a mut Vec<Diagnostic>,
}

/// Matches delimiters in `tokens`, reports problems and returns a balanced stream.
pub fn balance<'s>(
    file: FileId,
    source: &'s str,
    tokens: Vec<(Tok<'s>, Span)>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(Tok<'s>, Span)> {
    if is_balanced(&tokens) {
        return tokens; // the usual case: nothing to report or repair, nothing to copy
    }
    let mut b = Balancer {
        file,
        source,
        out: Vec::with_capacity(tokens.len()),
        stack: Vec::new(),
        diagnostics,
    };
    let mut iter = tokens.into_iter();
    while let Some((tok, span)) = iter.next() {
        if let Some(delim) = Delim::open(tok) {
            if b.stack.len() >= MAX_NESTING {
                if !b.collapse_too_deep(span, &mut iter) {
                    // The deep region ran to the end of the file: the open delimiters are part
                    // of the same problem, so close them without more reports.
                    b.close_all_silently(span);
                }
                continue;
            }
            b.stack.push(Open {
                delim,
                span,
                index: b.out.len(),
            });
            b.out.push((tok, span));
        } else if let Some(delim) = Delim::close(tok) {
            b.closer(delim, tok, span);
        } else {
            b.out.push((tok, span));
        }
    }
    let end = Span::new(file, source.len(), source.len());
    b.close_unclosed(0, end);
    b.out
}

/// Every delimiter is matched and none nests deeper than [`MAX_NESTING`].
fn is_balanced(tokens: &[(Tok<'_>, Span)]) -> bool {
    let mut stack: Vec<Delim> = Vec::new();
    for (tok, _) in tokens {
        if let Some(delim) = Delim::open(*tok) {
            if stack.len() >= MAX_NESTING {
                return false;
            }
            stack.push(delim);
        } else if let Some(delim) = Delim::close(*tok) {
            if stack.pop() != Some(delim) {
                return false;
            }
        }
    }
    stack.is_empty()
}

impl<'s> Balancer<'_, 's> {
    fn closer(&mut self, delim: Delim, tok: Tok<'s>, span: Span) {
        if self.stack.last().is_some_and(|open| open.delim == delim) {
            self.stack.pop();
            self.out.push((tok, span));
            return;
        }
        // Openers this closer may close: up to the innermost interpolation, whose `}` the lexer
        // always produces.
        let boundary = self
            .stack
            .iter()
            .rposition(|open| open.delim == Delim::Interp)
            .map_or(0, |i| i + 1);
        let matching = self.stack[boundary..]
            .iter()
            .rposition(|open| open.delim == delim)
            .map(|i| i + boundary);
        match matching {
            Some(level) => {
                // The openers above it were never closed.
                self.close_unclosed(level + 1, span.start_point());
                self.stack.pop();
                self.out.push((tok, span));
            }
            None if delim == Delim::Interp => {
                // Cannot happen (the lexer pairs `${` and its `}`), but stay total.
                self.out.push((tok, span));
            }
            None => match self.stack.last() {
                Some(open) if open.delim != Delim::Interp => {
                    let expected = open.delim;
                    self.diagnostics.push(
                        Diagnostic::error(
                            codes::MISMATCHED_DELIMITER,
                            span,
                            format!(
                                "mismatched `{}`: expected `{}` to close `{}`",
                                delim.close_text(),
                                expected.close_text(),
                                expected.open_text()
                            ),
                        )
                        .with_primary_message(format!("expected `{}`", expected.close_text()))
                        .with_label(open.span, format!("`{}` opened here", expected.open_text())),
                    );
                    self.stack.pop();
                    self.out.push((expected.close_tok(), span));
                }
                _ => {
                    self.diagnostics.push(
                        Diagnostic::error(
                            codes::UNMATCHED_CLOSER,
                            span,
                            format!("unexpected `{}`: nothing to close", delim.close_text()),
                        )
                        .with_primary_message(format!("no `{}` is open here", delim.open_text()))
                        .with_help("remove it, or add the opening delimiter it belongs to"),
                    );
                }
            },
        }
    }

    /// Reports and closes every opener from stack level `from` up, innermost first. Each gets a
    /// closer before the first line indented no deeper than the line it opened on (where the
    /// user most likely forgot it), or at `at` if no such line comes first.
    fn close_unclosed(&mut self, from: usize, at: Span) {
        // (opener, closer) indices of the frames closed so far: an outer closer must not land
        // inside one of them, or the repaired stream would not nest.
        let mut closed: Vec<(usize, usize)> = Vec::new();
        while self.stack.len() > from {
            let Some(open) = self.stack.pop() else { break };
            let index = self.insertion_point(&open, &closed);
            for (o, c) in &mut closed {
                if *o >= index {
                    *o += 1;
                }
                if *c >= index {
                    *c += 1;
                }
            }
            closed.push((open.index, index));
            let point = match self.out.get(index) {
                Some((_, span)) => span.start_point(),
                None => at,
            };
            let close = open.delim.close_text();
            let mut diag = Diagnostic::error(
                codes::UNCLOSED_DELIMITER,
                open.span,
                format!("unclosed `{}`: expected `{close}`", open.delim.open_text()),
            )
            .with_primary_message(format!("this `{}` is never closed", open.delim.open_text()))
            .with_help(format!("add `{close}` where it ends"));
            if point.start as usize != self.source.len() || index < self.out.len() {
                diag = diag.with_label(point, format!("`{close}` expected by here"));
            }
            self.diagnostics.push(diag);
            self.out.insert(index, (open.delim.close_tok(), point));
        }
    }

    fn insertion_point(&self, open: &Open, closed: &[(usize, usize)]) -> usize {
        let indent = self.line_indent(open.span.start as usize);
        let open_line_end = self.source[open.span.start as usize..]
            .find('\n')
            .map_or(self.source.len(), |i| open.span.start as usize + i);
        let nests = |i: usize| closed.iter().all(|&(o, c)| i <= o || i > c);
        for i in open.index + 1..self.out.len() {
            let (tok, span) = self.out[i];
            if tok != Tok::Newline || (span.start as usize) < open_line_end || !nests(i) {
                continue;
            }
            let Some((next, next_span)) = self.out.get(i + 1) else {
                break;
            };
            if Delim::close(*next).is_some() || *next == Tok::Newline {
                continue;
            }
            if self.line_indent(next_span.start as usize) <= indent {
                return i;
            }
        }
        self.out.len()
    }

    /// The indentation (in characters) of the line containing `offset`.
    fn line_indent(&self, offset: usize) -> usize {
        let line_start = self.source[..offset].rfind('\n').map_or(0, |i| i + 1);
        self.source[line_start..]
            .chars()
            .take_while(|c| *c == ' ' || *c == '\t')
            .count()
    }

    /// Replaces the too-deep region starting at `open` (up to its matching closer) by one
    /// `Error` token. Returns false when the region runs to the end of the file.
    fn collapse_too_deep(
        &mut self,
        open: Span,
        rest: &mut impl Iterator<Item = (Tok<'s>, Span)>,
    ) -> bool {
        self.diagnostics.push(
            Diagnostic::error(
                codes::NESTING_TOO_DEEP,
                open,
                format!("nesting too deep: more than {MAX_NESTING} levels of brackets"),
            )
            .with_primary_message("this is too deeply nested")
            .with_help("split the expression into `let` bindings"),
        );
        let mut depth = 1usize;
        let mut end = open;
        for (tok, span) in rest {
            end = span;
            if Delim::open(tok).is_some() {
                depth += 1;
            } else if Delim::close(tok).is_some() {
                depth -= 1;
                if depth == 0 {
                    self.out.push((Tok::Error, open.to(end)));
                    return true;
                }
            }
        }
        self.out.push((Tok::Error, open.to(end)));
        false
    }

    fn close_all_silently(&mut self, at: Span) {
        let at = Span::new(self.file, self.source.len(), self.source.len()).to(at.end_point());
        while let Some(open) = self.stack.pop() {
            self.out.push((open.delim.close_tok(), at.end_point()));
        }
    }
}
