//! Layout decisions that depend on the source: whether a bracket was opened inline, and
//! where blank lines were.

use fgl_syntax::ast::{ExprKind, TypeKind};

use crate::walk::{self, Node};

/// Spaces per indentation level.
pub(crate) const INDENT: usize = 2;

/// An inline `{ … }` / `[ … ]` must end at or before this column.
pub(crate) const MAX_WIDTH: usize = 100;

/// Whether the entries of a bracket opened at `open` start on the bracket's line: no newline
/// between the bracket and its first entry (like prettier's rule for objects). An empty
/// bracket counts as inline.
pub(crate) fn first_entry_inline(source: &str, open: usize, first_entry: Option<usize>) -> bool {
    match first_entry {
        Some(first) => source
            .get(open..first)
            .is_some_and(|between| !between.contains('\n')),
        None => true,
    }
}

/// Whether every bracket in `node` (itself included) has its first entry on its own line:
/// only then may an enclosing bracket be printed on one line, since these would have to be.
pub(crate) fn opens_inline(source: &str, node: Node<'_>) -> bool {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
        let here = match node {
            Node::Expr(e) => match &e.kind {
                ExprKind::List(items) => {
                    first_entry_inline(source, e.span.start as usize, first(items, |i| i.span))
                }
                ExprKind::Record(fields) => {
                    first_entry_inline(source, e.span.start as usize, first(fields, |f| f.span))
                }
                ExprKind::Instantiate {
                    fields, body_span, ..
                } => {
                    first_entry_inline(source, body_span.start as usize, first(fields, |f| f.span))
                }
                _ => true,
            },
            Node::Type(t) => match &t.kind {
                TypeKind::Record(fields) => {
                    first_entry_inline(source, t.span.start as usize, first(fields, |f| f.span))
                }
                _ => true,
            },
        };
        let mut all = here;
        if all {
            walk::children(node, &mut |child| {
                all = all && opens_inline(source, child);
            });
        }
        all
    })
}

fn first<T>(entries: &[T], span: impl Fn(&T) -> fgl_syntax::Span) -> Option<usize> {
    entries.first().map(|e| span(e).start as usize)
}

/// Whether the source has a blank line (only white space) between the line of `from` and the
/// line of `to`.
pub(crate) fn blank_line_between(source: &str, from: usize, to: usize) -> bool {
    if from >= to {
        return false;
    }
    let Some(between) = source.get(from..to) else {
        return false;
    };
    let mut lines: Vec<&str> = between.split('\n').collect();
    // The first piece ends the line of `from`, the last starts the line of `to`.
    if lines.len() < 3 {
        return false;
    }
    lines.pop();
    lines[1..].iter().any(|line| line.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use fgl_syntax::ast::ItemKind;
    use fgl_syntax::{parse, FileId};

    fn value_opens_inline(src: &str) -> bool {
        let (module, diagnostics) = parse(FileId(0), src);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        match &module.items[0].kind {
            ItemKind::Binding(b) => opens_inline(src, Node::Expr(&b.value)),
            other => panic!("expected a binding, got {other:?}"),
        }
    }

    #[test]
    fn a_bracket_is_inline_when_its_first_entry_is_on_its_line() {
        assert!(value_opens_inline("x = { a = 1,\n b = 2 }"));
        assert!(!value_opens_inline("x = {\n a = 1 }"));
        assert!(value_opens_inline("x = [1,\n 2]"));
        assert!(!value_opens_inline("x = [\n1, 2]"));
        assert!(value_opens_inline("x = {\n}"));
    }

    #[test]
    fn a_nested_multiline_bracket_makes_the_outer_one_multiline() {
        assert!(!value_opens_inline("x = { a = f({\n b = 1 }) }"));
        assert!(!value_opens_inline("x = [fn(r: {\n a: Int }) => r]"));
        assert!(value_opens_inline("x = { a = f({ b = 1 }) }"));
    }

    #[test]
    fn blank_lines_are_found_between_lines_only() {
        let src = "a = 1\n\n  \nb = 2\nc = 3\n";
        let b = src.find('b').unwrap();
        let c = src.find('c').unwrap();
        assert!(blank_line_between(src, 5, b));
        assert!(!blank_line_between(src, b + 5, c));
        assert!(!blank_line_between(src, c, b));
    }
}
