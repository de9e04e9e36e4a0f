//! Names in expressions: locals (innermost first), then the module's names, then the
//! built-ins; and `m.x`, a member of an imported module.

use fgl_syntax::ast::Ident;
use fgl_syntax::{codes, Diagnostic, Span};

use super::Checker;
use crate::builtins;
use crate::decls::{Decl, BUILTIN_TYPES};
use crate::loader::ModuleId;
use crate::suggest;
use crate::ty::Ty;

/// How many names a "its bindings are …" help lists at most.
const MAX_LISTED: usize = 12;

impl<'p> Checker<'_, 'p> {
    pub(crate) fn local(&self, name: &str) -> Option<&Ty> {
        self.locals
            .iter()
            .rev()
            .find(|l| l.name == name)
            .map(|l| &l.ty)
    }

    /// Whether `name`, in the current scope, is the built-in function (not shadowed).
    pub(crate) fn is_builtin_here(&self, name: &str) -> bool {
        builtins::is_builtin(name)
            && self.local(name).is_none()
            && self.decls.lookup(self.module, name).is_none()
    }

    /// The type of a name used as a value.
    pub(crate) fn name_type(&mut self, ident: &'p Ident) -> Ty {
        if let Some(ty) = self.local(&ident.name) {
            return ty.clone();
        }
        let module = self.module;
        match self.decls.lookup(module, &ident.name) {
            Some(Decl::Binding { item } | Decl::Let { item } | Decl::Param { item }) => {
                self.binding_type(module, item, ident.span)
            }
            Some(Decl::Import { index }) => match self.decls.import_target(module, index) {
                Some(target) => Ty::Module(target),
                None => Ty::Unknown, // the import was reported
            },
            Some(Decl::Schema(id)) => {
                let name = self.decls.schema(id).display_name.clone();
                self.type_as_value(ident.span, &name, "a schema", true);
                Ty::Unknown
            }
            Some(Decl::TypeAlias { .. }) => {
                self.type_as_value(ident.span, &ident.name, "a type", false);
                Ty::Unknown
            }
            // A built-in used as a value rather than called: nothing to check.
            None if builtins::is_builtin(&ident.name) => Ty::Unknown,
            None if BUILTIN_TYPES.contains(&ident.name.as_str()) => {
                self.type_as_value(ident.span, &ident.name, "a built-in type", false);
                Ty::Unknown
            }
            None => {
                self.unknown_name(ident);
                Ty::Unknown
            }
        }
    }

    pub(crate) fn type_as_value(&mut self, span: Span, name: &str, what: &str, schema: bool) {
        let help = if schema {
            format!("create a value with `{name} {{ … }}`")
        } else {
            format!("to give a binding this type, write `name: {name} = …`")
        };
        self.error(
            Diagnostic::error(
                codes::WRONG_KIND_OF_NAME,
                span,
                format!("`{name}` is {what}, not a value"),
            )
            .with_primary_message("used as a value")
            .with_help(help),
        );
    }

    fn unknown_name(&mut self, ident: &Ident) {
        let module = self.module;
        let candidates: Vec<&str> = self
            .locals
            .iter()
            .map(|l| l.name)
            .chain(
                self.decls.modules[module.index()]
                    .names
                    .iter()
                    .filter(|(_, (d, _))| d.is_value())
                    .map(|(n, _)| n.as_str()),
            )
            .chain(builtins::BUILTINS.iter().copied())
            .collect();
        let mut diag = Diagnostic::error(
            codes::UNKNOWN_NAME,
            ident.span,
            format!("unknown name `{}`", ident.name),
        )
        .with_primary_message("not defined");
        if let Some(close) = suggest::closest(&ident.name, candidates) {
            diag = diag.with_help(format!("did you mean `{close}`?"));
        }
        self.error(diag);
    }

    /// `m.name` where `m` is the imported module `target`.
    pub(crate) fn member(&mut self, target: ModuleId, name: &'p Ident) -> Ty {
        let decls = self.decls;
        let module_name = decls.module_display_name(target);
        match decls.lookup(target, &name.name) {
            Some(Decl::Binding { item } | Decl::Param { item }) => {
                self.binding_type(target, item, name.span)
            }
            Some(Decl::Let { .. }) => {
                self.error(
                    Diagnostic::error(
                        codes::PRIVATE_MEMBER,
                        name.span,
                        format!("`{}` is private to module {module_name}", name.name),
                    )
                    .with_primary_message("a `let` binding of another module")
                    .with_help(format!(
                        "to use it here, make it public in {module_name}: `{} = …` instead of `let {} = …`",
                        name.name, name.name
                    )),
                );
                Ty::Unknown
            }
            Some(Decl::Schema(id)) => {
                let shown = decls.schema(id).display_name.clone();
                self.type_as_value(name.span, &shown, "a schema", true);
                Ty::Unknown
            }
            Some(Decl::TypeAlias { .. }) => {
                self.type_as_value(name.span, &name.name, "a type", false);
                Ty::Unknown
            }
            Some(Decl::Import { .. }) | None => {
                let mut public: Vec<&str> = decls.modules[target.index()]
                    .names
                    .iter()
                    .filter(|(_, (d, _))| matches!(d, Decl::Binding { .. } | Decl::Param { .. }))
                    .map(|(n, _)| n.as_str())
                    .collect();
                public.sort_unstable();
                let mut diag = Diagnostic::error(
                    codes::UNKNOWN_NAME,
                    name.span,
                    format!("module {module_name} has no binding `{}`", name.name),
                )
                .with_primary_message("not defined there");
                if let Some(close) = suggest::closest(&name.name, public.iter().copied()) {
                    diag = diag.with_help(format!("did you mean `{close}`?"));
                } else if public.is_empty() {
                    diag = diag.with_help(format!("module {module_name} has no public bindings"));
                } else if public.len() <= MAX_LISTED {
                    diag = diag.with_help(format!(
                        "its public bindings are {}",
                        suggest::list(&public)
                    ));
                }
                self.error(diag);
                Ty::Unknown
            }
        }
    }
}
