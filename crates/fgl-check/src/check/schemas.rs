//! Schema bodies (field defaults and checks) and `check` clauses.

use fgl_syntax::ast::{Check, SchemaEntry};

use super::{Checker, Expect, Origin};
use crate::decls::SchemaId;
use crate::ty::Ty;

impl<'p> Checker<'_, 'p> {
    /// A default may use the fields declared above it; a check may use every field.
    pub(crate) fn check_schema(&mut self, id: SchemaId) {
        let decls = self.decls;
        let schema = decls.schema(id);
        self.module = schema.module;
        self.locals.clear();
        self.fn_depth = 0;
        for field in &schema.fields {
            if let Some(default) = field.default {
                let origin = Origin::Field {
                    name: &field.name,
                    span: field.ast.name.span.to(field.ast.ty.span),
                };
                self.check_expr(default, Expect::new(&field.ty, origin).known());
            }
            self.push_local(&field.ast.name.name, field.ty.clone());
        }
        for entry in &schema.ast.entries {
            if let SchemaEntry::Check(check, _) = entry {
                self.check_clause(check);
            }
        }
        self.locals.clear();
    }

    /// `check cond else "message"`: a Bool condition and a String message.
    pub(crate) fn check_clause(&mut self, check: &'p Check) {
        self.condition(&check.cond, "a check's condition must be a Bool");
        self.check_expr(
            &check.message,
            Some(Expect::new(
                &Ty::String,
                Origin::Note("a check's message must be a String"),
            )),
        );
    }
}
