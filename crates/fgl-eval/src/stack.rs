//! The `stack` name: from `--stack`, or the root's `stack` binding; `[a-z][a-z0-9-]{0,27}`.

use fgl_check::{Decl, Program};
use fgl_syntax::{codes, Diagnostic, Span};

use crate::eval::{Evaluator, R};
use crate::value::{show, Value};

pub fn is_valid(name: &str) -> bool {
    let bytes = name.as_bytes();
    (1..=28).contains(&bytes.len())
        && bytes[0].is_ascii_lowercase()
        && bytes
            .iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
}

const RULE: &str = "a stack name has 1 to 28 characters: lowercase letters, digits and `-`, starting with a letter";

impl<'a> Evaluator<'a> {
    /// Applies `--stack` before evaluation: bindings that read `stack` see the override.
    pub fn override_stack(&mut self, name: &str) -> bool {
        let root = self.program.root();
        if !is_valid(name) {
            self.diags.push(
                Diagnostic::error(
                    codes::INVALID_STACK,
                    Span::new(root.file, 0, 0),
                    format!("--stack {name:?} is not a valid stack name"),
                )
                .with_primary_message("given with --stack for this file")
                .with_help(RULE),
            );
            return false;
        }
        if let Some(Decl::Binding { item }) = self.decls.lookup(Program::ROOT, "stack") {
            self.preset(Program::ROOT, item, Some(Value::str(name)));
        }
        true
    }

    /// The stack's name, when the file has one (validated when computed).
    pub fn stack(&mut self) -> R<Option<String>> {
        let Some(Decl::Binding { item }) = self.decls.lookup(Program::ROOT, "stack") else {
            return Ok(None);
        };
        let program = self.program;
        let it = &program.root().ast.items[item];
        let value = self.force(Program::ROOT, item, it.span)?;
        let span = match &it.kind {
            fgl_syntax::ast::ItemKind::Binding(b) => b.value.span,
            _ => it.span,
        };
        match value {
            Value::Str(s) if is_valid(&s) => Ok(Some(s.to_string())),
            other => Err(self.fail(
                Diagnostic::error(
                    codes::INVALID_STACK,
                    span,
                    format!("the stack name {} is not valid", show(&other)),
                )
                .with_primary_message(format!("this is {}", show(&other)))
                .with_help(RULE),
            )),
        }
    }
}
