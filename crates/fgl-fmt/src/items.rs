//! Module items and schema entries.

use fgl_syntax::ast::{Binding, Check, Expr, Item, ItemKind, SchemaEntry, SchemaField, SchemaKind};

use crate::entries::Brackets;
use crate::printer::Printer;
use crate::types::Then;

impl Printer<'_> {
    pub(crate) fn item(&mut self, item: &Item) {
        match &item.kind {
            ItemKind::Import(import) => {
                self.write("import ");
                self.soft(import.path_span.start as usize);
                // A plain string: as written.
                self.verbatim(import.path_span);
                if let Some(alias) = &import.alias {
                    self.soft_before_token_after(import.path_span.end as usize);
                    self.write(" as ");
                    self.soft(alias.span.start as usize);
                    self.write(&alias.name);
                }
            }
            ItemKind::Binding(binding) => self.binding(binding),
            ItemKind::Let(binding) => {
                // No break before the name: a line starting with `name =` is a new entry.
                self.write("let ");
                self.binding(binding);
            }
            ItemKind::Param(param) => {
                self.write("param ");
                self.soft(param.name.span.start as usize);
                self.write(&param.name.name);
                self.soft_before_token_after(param.name.span.end as usize);
                self.write(": ");
                let then = then_for(&param.default);
                self.soft_before_type(&param.ty, then);
                self.ty_then(&param.ty, then);
                if let Some(default) = &param.default {
                    self.soft_before_token_after(param.ty.span.end as usize);
                    self.write(" = ");
                    self.soft(default.span.start as usize);
                    self.expr(default);
                }
            }
            ItemKind::TypeAlias(alias) => {
                self.write("type ");
                self.write(&alias.name.name);
                self.write(" = ");
                self.soft_before_type(&alias.ty, Then::Other);
                self.ty(&alias.ty);
            }
            ItemKind::Schema(schema) => {
                self.write(match schema.kind {
                    SchemaKind::Schema => "schema ",
                    SchemaKind::Resource => "resource ",
                });
                self.soft(schema.name.span.start as usize);
                self.write(&schema.name.name);
                self.write(" ");
                let open = self.next_token(schema.name.span.end as usize);
                let close = (item.span.end as usize).saturating_sub(1);
                self.bracketed(Brackets::braces_at(open, close), &schema.entries);
            }
            ItemKind::Check(check) => self.check(check),
            ItemKind::Error => self.verbatim(item.span),
        }
    }

    fn binding(&mut self, binding: &Binding) {
        self.write(&binding.name.name);
        let mut end = binding.name.span.end;
        if let Some(ty) = &binding.ty {
            self.soft_before_token_after(end as usize);
            self.write(": ");
            self.soft_before_type(ty, Then::Assign);
            self.ty_then(ty, Then::Assign);
            end = ty.span.end;
        }
        self.soft_before_token_after(end as usize);
        self.write(" = ");
        self.soft(binding.value.span.start as usize);
        self.expr(&binding.value);
    }

    fn check(&mut self, check: &Check) {
        self.write("check ");
        self.soft(check.cond.span.start as usize);
        self.expr(&check.cond);
        self.soft_before_token_after(check.cond.span.end as usize);
        self.write(" else ");
        self.soft(check.message.span.start as usize);
        self.expr(&check.message);
    }

    pub(crate) fn schema_entry(&mut self, entry: &SchemaEntry) {
        match entry {
            SchemaEntry::Field(field) => self.schema_field(field),
            SchemaEntry::Check(check, _) => self.check(check),
            SchemaEntry::Error(span) => self.verbatim(*span),
        }
    }

    fn schema_field(&mut self, field: &SchemaField) {
        self.write(&field.name.name);
        self.soft_before_token_after(field.name.span.end as usize);
        self.write(": ");
        let then = then_for(&field.default);
        self.soft_before_type(&field.ty, then);
        self.ty_then(&field.ty, then);
        if let Some(default) = &field.default {
            self.soft_before_token_after(field.ty.span.end as usize);
            self.write(" = ");
            self.soft(default.span.start as usize);
            self.expr(default);
        }
    }
}

/// What follows a type that may have a default.
fn then_for(default: &Option<Expr>) -> Then {
    if default.is_some() {
        Then::Assign
    } else {
        Then::Other
    }
}
