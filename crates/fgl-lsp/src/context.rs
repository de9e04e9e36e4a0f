//! Where the cursor is, in terms completion and hover understand, found in the (possibly
//! error-recovered) tree and the text of the cursor's line: inside which record or
//! instantiation, at a key or after `key =`, after `name.`, inside an import path.
//!
//! Broken code is the normal case here. The parser repairs an unclosed `{` (it ends before the
//! next line indented as little as its opening line) and drops a half-typed entry (`ima` or
//! `cpu =` becomes an error entry without a key), so keys and partial names are read from the
//! text, and an unclosed `{` is taken to reach to the next item.

use fgl_syntax::ast::{self, Expr, ExprKind, RecordField};

/// A record literal or instantiation the cursor is inside of, with the way down to it.
pub struct RecordCtx<'a> {
    /// The record or instantiation, outermost first; the last is the innermost.
    pub path: Vec<Frame<'a>>,
}

pub struct Frame<'a> {
    pub expr: &'a Expr,
    pub fields: &'a [RecordField],
    /// The first key of the entry of this frame that leads to the next frame, and whether the
    /// way passes through a list (`routes = [{ … }]`).
    pub via: Option<(String, bool)>,
}

impl<'a> RecordCtx<'a> {
    pub fn innermost(&self) -> Option<&Frame<'a>> {
        self.path.last()
    }
}

/// The innermost record or instantiation around `offset` in the module.
pub fn record_at<'a>(module: &'a ast::Module, text: &str, offset: usize) -> Option<RecordCtx<'a>> {
    let items = &module.items;
    let index = items
        .iter()
        .rposition(|it| it.span.start as usize <= offset)?;
    let limit = items
        .get(index + 1)
        .map_or(text.len(), |next| next.span.start as usize);
    let mut path = Vec::new();
    let root = match &items[index].kind {
        ast::ItemKind::Binding(b) | ast::ItemKind::Let(b) => &b.value,
        ast::ItemKind::Param(p) => p.default.as_ref()?,
        _ => return None,
    };
    descend(root, text, offset, limit, &mut path);
    (!path.is_empty()).then_some(RecordCtx { path })
}

/// The body of a record or instantiation: `(fields, start, end)` where `start` is just after
/// `{` and `end` is the `}` (or, when the `{` was never closed, `limit`).
fn body<'a>(e: &'a Expr, text: &str, limit: usize) -> Option<(&'a [RecordField], usize, usize)> {
    let (fields, span) = match &e.kind {
        ExprKind::Record(fields) => (fields.as_slice(), e.span),
        ExprKind::Instantiate {
            fields, body_span, ..
        } => (fields.as_slice(), *body_span),
        _ => return None,
    };
    let (start, end) = (span.start as usize, span.end as usize);
    if text.as_bytes().get(start) != Some(&b'{') {
        return None;
    }
    let closed = end > start + 1 && text.as_bytes().get(end - 1) == Some(&b'}');
    Some((
        fields,
        start + 1,
        if closed { end - 1 } else { limit.max(end) },
    ))
}

fn descend<'a>(e: &'a Expr, text: &str, offset: usize, limit: usize, path: &mut Vec<Frame<'a>>) {
    if let Some((fields, start, end)) = body(e, text, limit) {
        if start <= offset && offset <= end {
            path.push(Frame {
                expr: e,
                fields,
                via: None,
            });
            for field in fields {
                let mut found = Vec::new();
                find_in_value(&field.value, text, offset, end, &mut found);
                if let Some((via_list, sub)) = found.pop() {
                    if let (Some(frame), Some(ast::Key::Ident(key))) =
                        (path.last_mut(), field.path.first())
                    {
                        frame.via = Some((key.name.clone(), via_list));
                    }
                    descend(sub, text, offset, end, path);
                    return;
                }
            }
            return;
        }
    }
    // Not a record: look through its children (a record inside an `if`, a call, a list…).
    let mut next = None;
    fgl_syntax::walk::for_each_child(e, &mut |child| {
        if next.is_none() && reaches(child, text, offset, limit) {
            next = Some(child);
        }
    });
    if let Some(child) = next {
        descend(child, text, offset, limit, path);
    }
}

/// The record (or instantiation) inside `value` that holds the cursor, directly or through a
/// list or other expressions.
fn find_in_value<'a>(
    value: &'a Expr,
    text: &str,
    offset: usize,
    limit: usize,
    found: &mut Vec<(bool, &'a Expr)>,
) {
    if !reaches(value, text, offset, limit) {
        return;
    }
    let via_list = matches!(value.kind, ExprKind::List(_));
    if let ExprKind::List(items) = &value.kind {
        for item in items {
            if reaches(item, text, offset, limit) {
                found.push((via_list, item));
                return;
            }
        }
        return;
    }
    found.push((false, value));
}

/// Whether the cursor is inside `e`, counting an unclosed `{` as reaching to `limit`.
fn reaches(e: &Expr, text: &str, offset: usize, limit: usize) -> bool {
    let (start, end) = (e.span.start as usize, e.span.end as usize);
    if start <= offset && offset <= end {
        return true;
    }
    // An unclosed record inside reaches further than the expression's span.
    let mut hit = false;
    let mut check = |x: &Expr| {
        if let Some((_, s, end)) = body(x, text, limit) {
            if s <= offset && offset <= end {
                hit = true;
            }
        }
    };
    check(e);
    if !hit && start <= offset {
        fgl_syntax::walk::for_each_child(e, &mut |c| {
            if !hit && reaches(c, text, offset, limit) {
                hit = true;
            }
        });
    }
    hit
}

/// What the text of the cursor's line says.
#[derive(Debug, PartialEq, Eq)]
pub enum LineCtx {
    /// Inside a comment: nothing to complete.
    Comment,
    /// Inside the path of an import: `import "std/a|`; `start` is just after the quote.
    ImportPath {
        typed: String,
        start: usize,
    },
    /// Inside another string.
    String,
    /// `base.partial|`
    Member {
        base: String,
    },
    /// `key = partial|` (key may be dotted: `deployment.min_percent`).
    Value {
        key: Vec<String>,
    },
    /// Where a key starts (after `{`, `,` or at the start of a line).
    Key,
    Other,
}

/// The partial identifier before the cursor: its start offset.
pub fn word_start(text: &str, offset: usize) -> usize {
    let before = &text[..offset];
    let len = before
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .count();
    offset - len
}

pub fn line_ctx(text: &str, offset: usize) -> LineCtx {
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    // Strings and comments on this line (strings do not span lines, but `"""` ones: rare).
    let mut in_string = false;
    let mut quote = 0;
    let mut escaped = false;
    for (i, c) in before.char_indices() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            quote = i;
        } else if c == '#' {
            return LineCtx::Comment;
        }
    }
    if in_string {
        let head = before[..quote].trim();
        if head == "import" {
            return LineCtx::ImportPath {
                typed: before[quote + 1..].to_string(),
                start: line_start + quote + 1,
            };
        }
        return LineCtx::String;
    }
    let start = word_start(text, offset) - line_start;
    let rest = &before[..start];
    if let Some(base) = rest.strip_suffix('.') {
        let base_len = base
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .count();
        if base_len > 0 {
            return LineCtx::Member {
                base: base[base.len() - base_len..].to_string(),
            };
        }
    }
    let trimmed = rest.trim_end();
    if let Some(lhs) = trimmed.strip_suffix('=') {
        if !lhs.ends_with(['=', '!', '<', '>']) {
            let lhs = lhs.trim_end();
            let key_len = lhs
                .chars()
                .rev()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '.')
                .count();
            let key = &lhs[lhs.len() - key_len..];
            let head = lhs[..lhs.len() - key_len].trim_end();
            let at_entry = head.is_empty() || head.ends_with(['{', ',']);
            if !key.is_empty() && at_entry {
                return LineCtx::Value {
                    key: key.split('.').map(str::to_string).collect(),
                };
            }
        }
        return LineCtx::Other;
    }
    if trimmed.is_empty() || trimmed.ends_with(['{', ',']) {
        return LineCtx::Key;
    }
    LineCtx::Other
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> LineCtx {
        let offset = text.find('|').unwrap_or(text.len());
        let text = text.replace('|', "");
        line_ctx(&text, offset)
    }

    #[test]
    fn reads_the_line() {
        assert_eq!(at("x = {\n  cp|"), LineCtx::Key);
        assert_eq!(at("x = aws.Container { |"), LineCtx::Key);
        assert_eq!(at("x = { a = 1, |"), LineCtx::Key);
        assert_eq!(
            at("  cpu = |"),
            LineCtx::Value {
                key: vec!["cpu".into()]
            }
        );
        assert_eq!(
            at("  deployment.min_percent = 1|"),
            LineCtx::Value {
                key: vec!["deployment".into(), "min_percent".into()]
            }
        );
        assert_eq!(at("  a == |"), LineCtx::Other);
        assert_eq!(at("x = aws.Con|"), LineCtx::Member { base: "aws".into() });
        assert_eq!(
            at("import \"std/|"),
            LineCtx::ImportPath {
                typed: "std/".into(),
                start: 8
            }
        );
        assert_eq!(at("x = \"a|"), LineCtx::String);
        assert_eq!(at("x = 1 # a|"), LineCtx::Comment);
    }
}
