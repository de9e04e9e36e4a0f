//! The comments still to print, in source order.
//!
//! The printer walks the tree in source order and, at every place where a line break is
//! allowed, prints the comments that come before the next token (see `Printer::soft`). A
//! comment inside a string literal (in a `${ … }` of a `"""` string) is not managed here: the
//! literal is printed verbatim, comment included.

use fgl_syntax::ast::{Comment, ExprKind, Key, Module};
use fgl_syntax::Span;

use crate::walk::{self, Node};

pub(crate) struct Comments<'a> {
    pending: Vec<&'a Comment>,
    next: usize,
}

impl<'a> Comments<'a> {
    /// The comments of `module` that the printer places (all but those inside strings).
    pub(crate) fn new(module: &'a Module) -> Self {
        let mut strings = Vec::new();
        for item in &module.items {
            walk::item_children(item, &mut |node| string_spans(node, &mut strings));
        }
        strings.sort_by_key(|s: &Span| s.start);
        let pending = module
            .comments
            .iter()
            .filter(|c| !inside_any(&strings, c.span))
            .collect();
        Comments { pending, next: 0 }
    }

    /// No comments at all: for measuring an inline rendering.
    pub(crate) fn none() -> Self {
        Comments {
            pending: Vec::new(),
            next: 0,
        }
    }

    /// Takes the next comment if it starts before `pos`.
    pub(crate) fn next_before(&mut self, pos: usize) -> Option<&'a Comment> {
        let comment = *self.pending.get(self.next)?;
        if (comment.span.start as usize) < pos {
            self.next += 1;
            Some(comment)
        } else {
            None
        }
    }

    /// Whether a comment still to print starts before `pos`.
    pub(crate) fn any_before(&self, pos: usize) -> bool {
        self.pending
            .get(self.next)
            .is_some_and(|c| (c.span.start as usize) < pos)
    }
}

/// Whether the comment is alone on its line in the source (only white space before it).
pub(crate) fn is_own_line(source: &str, comment: &Comment) -> bool {
    let start = comment.span.start as usize;
    let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
    source[line_start..start].trim().is_empty()
}

/// The comment as written, `#` included (the lexer already dropped trailing white space).
pub(crate) fn text<'s>(source: &'s str, comment: &'s Comment) -> &'s str {
    source
        .get(comment.span.range())
        .unwrap_or(comment.text.as_str())
        .trim_end()
}

/// Collects the spans of the outermost string literals (and quoted keys) under `node`.
fn string_spans(node: Node<'_>, out: &mut Vec<Span>) {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
        if let Node::Expr(e) = node {
            match &e.kind {
                ExprKind::Str(_) => {
                    out.push(e.span);
                    return;
                }
                ExprKind::Record(fields) | ExprKind::Instantiate { fields, .. } => {
                    for field in fields {
                        for key in &field.path {
                            if let Key::Str(_, span) = key {
                                out.push(*span);
                            }
                        }
                    }
                }
                ExprKind::RecordComp(comp) => {
                    if let Key::Str(_, span) = &comp.key {
                        out.push(*span);
                    }
                }
                _ => {}
            }
        }
        walk::children(node, &mut |child| string_spans(child, out));
    })
}

/// `spans` are disjoint and sorted by start.
fn inside_any(spans: &[Span], span: Span) -> bool {
    let after = spans.partition_point(|s| s.start <= span.start);
    after > 0 && spans[after - 1].end >= span.end
}

#[cfg(test)]
mod tests {
    use super::*;
    use fgl_syntax::{parse, FileId};

    #[test]
    fn comments_inside_multiline_strings_are_left_to_the_string() {
        let src = "a = \"\"\"\n  x ${ y # inside\n  }\n  \"\"\"  # after\n";
        let (module, diagnostics) = parse(FileId(0), src);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        assert_eq!(module.comments.len(), 2);
        let mut comments = Comments::new(&module);
        let first = comments.next_before(src.len()).map(|c| text(src, c));
        assert_eq!(first, Some("# after"));
        assert!(comments.next_before(src.len()).is_none());
    }

    #[test]
    fn own_line_comments_are_told_from_end_of_line_ones() {
        let src = "# own\nx = 1 # end\n  ## doc\ny = 2\n";
        let (module, _) = parse(FileId(0), src);
        let own: Vec<bool> = module
            .comments
            .iter()
            .map(|c| is_own_line(src, c))
            .collect();
        assert_eq!(own, vec![true, false, true]);
    }
}
