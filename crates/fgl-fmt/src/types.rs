//! Types: `List[T]`, `{ name: T, port?: U }`, `T?`, `1..10`, `"a" | "b"`, `fn(A) -> B`.

use fgl_syntax::ast::{Literal, RecordTypeField, Type, TypeKind};

use crate::entries::Brackets;
use crate::printer::Printer;

/// Whether ` = ` follows a type (a default or a value): then no line may start with the type's
/// last name, or `Port = 80` would read as a new entry (`name = value`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Then {
    Assign,
    Other,
}

impl Printer<'_> {
    /// A type followed by something other than ` = `.
    pub(crate) fn ty(&mut self, t: &Type) {
        self.ty_then(t, Then::Other);
    }

    pub(crate) fn ty_then(&mut self, t: &Type, then: Then) {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.ty_inner(t, then));
    }

    fn ty_inner(&mut self, t: &Type, then: Then) {
        let end = (t.span.end as usize).saturating_sub(1);
        match &t.kind {
            TypeKind::Name(path) => self.idents(path, "."),
            TypeKind::Apply { name, args } => {
                self.idents(name, ".");
                self.write("[");
                self.types(args);
                self.soft(end);
                self.write("]");
            }
            TypeKind::Record(fields) => self.bracketed(Brackets::braces(t.span), fields),
            TypeKind::Optional(inner) => {
                self.ty(inner);
                self.soft(end);
                // `T??` would lex as the `??` operator.
                if self.ends_with('?') {
                    self.write(" ");
                }
                self.write("?");
            }
            TypeKind::Range { lo, hi } => self.compact(t, || format!("{lo}..{hi}")),
            TypeKind::Literal(Literal::Int(value)) => self.compact(t, || value.to_string()),
            TypeKind::Literal(_) | TypeKind::Error => self.verbatim(t.span),
            TypeKind::Union(members) => {
                for (i, member) in members.iter().enumerate() {
                    let then = if i + 1 == members.len() {
                        then
                    } else {
                        Then::Other
                    };
                    if i > 0 {
                        self.soft_before_token_after(members[i - 1].span.end as usize);
                        self.write(" | ");
                        self.soft_before_type(member, then);
                    }
                    self.ty_then(member, then);
                }
            }
            TypeKind::Fn { params, ret } => {
                self.write("fn(");
                self.types(params);
                self.write(") -> ");
                self.soft_before_type(ret, then);
                self.ty_then(ret, then);
            }
            TypeKind::Paren(inner) => {
                self.write("(");
                self.soft_before_type(inner, Then::Other);
                self.ty(inner);
                self.soft(end);
                self.write(")");
            }
        }
    }

    /// A soft point before a type, unless it is a single name followed by ` = ` (see
    /// [`Then`]).
    pub(crate) fn soft_before_type(&mut self, t: &Type, then: Then) {
        let single_name = matches!(&t.kind, TypeKind::Name(path) if path.len() == 1);
        if !(single_name && then == Then::Assign) {
            self.soft(t.span.start as usize);
        }
    }

    /// Types separated by commas, up to the soft point before the closing bracket.
    fn types(&mut self, types: &[Type]) {
        for (i, t) in types.iter().enumerate() {
            if i > 0 {
                self.write(", ");
            }
            self.soft_before_type(t, Then::Other);
            self.ty(t);
            self.soft_before_token_after(t.span.end as usize);
        }
    }

    /// A number or range as written (`1_000..65_535`) minus white space (`- 5` → `-5`); from
    /// the values when a comment sits inside it (the comment is printed after it).
    fn compact(&mut self, t: &Type, from_values: impl FnOnce() -> String) {
        let written = self.source.get(t.span.range()).unwrap_or_default();
        let text = if written.contains('#') {
            from_values()
        } else {
            written.chars().filter(|c| !c.is_whitespace()).collect()
        };
        self.write(&text);
    }

    pub(crate) fn record_type_field(&mut self, field: &RecordTypeField) {
        self.write(&field.name.name);
        self.soft_before_token_after(field.name.span.end as usize);
        if field.optional {
            self.write("?");
        }
        self.write(": ");
        self.soft_before_type(&field.ty, Then::Other);
        self.ty(&field.ty);
    }
}
