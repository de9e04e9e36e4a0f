//! Module bindings (`name = …`, `let`, `param`): typed on first use, in any order, each once,
//! and cached. A binding reached again while it is being typed is a cycle (E0210), unless the
//! way back passes through a function body: that is recursion, and the binding's type is its
//! annotation there, or Unknown.

use fgl_syntax::ast::{ExprKind, ItemKind};
use fgl_syntax::{codes, Diagnostic, Span};

use super::{Checker, Expect, Origin, State};
use crate::loader::ModuleId;
use crate::ty::Ty;

/// A binding being typed.
pub(crate) struct Frame<'p> {
    module: ModuleId,
    item: usize,
    name: &'p str,
    name_span: Span,
    /// Where this binding uses the next one on the stack, and inside how many function bodies.
    via: Option<(Span, u32)>,
}

impl<'p> Checker<'_, 'p> {
    /// The type of the binding `item` of `module`, used at `use_span`.
    pub(crate) fn binding_type(&mut self, module: ModuleId, item: usize, use_span: Span) -> Ty {
        match &self.states[module.index()][item] {
            State::Done(ty) => ty.clone(),
            State::InProgress => self.reentered(module, item, use_span),
            State::Todo => {
                if let Some(top) = self.in_progress.last_mut() {
                    top.via = Some((use_span, self.fn_depth));
                }
                self.states[module.index()][item] = State::InProgress;
                // A binding is checked in its own module's scope, outside any function.
                let saved_locals = std::mem::take(&mut self.locals);
                let saved_module = std::mem::replace(&mut self.module, module);
                let saved_depth = std::mem::replace(&mut self.fn_depth, 0);
                let (name, name_span) = self.item_name(module, item);
                self.in_progress.push(Frame {
                    module,
                    item,
                    name,
                    name_span,
                    via: None,
                });
                let ty = self.type_item(module, item);
                self.in_progress.pop();
                self.locals = saved_locals;
                self.module = saved_module;
                self.fn_depth = saved_depth;
                self.states[module.index()][item] = State::Done(ty.clone());
                ty
            }
        }
    }

    fn item_name(&self, module: ModuleId, item: usize) -> (&'p str, Span) {
        let program = self.program;
        match &program.module(module).ast.items[item].kind {
            ItemKind::Binding(b) | ItemKind::Let(b) => (&b.name.name, b.name.span),
            ItemKind::Param(p) => (&p.name.name, p.name.span),
            _ => ("", program.module(module).ast.items[item].span),
        }
    }

    /// The binding is being typed and is reached again.
    fn reentered(&mut self, module: ModuleId, item: usize, use_span: Span) -> Ty {
        let Some(pos) = self
            .in_progress
            .iter()
            .position(|f| f.module == module && f.item == item)
        else {
            return Ty::Unknown;
        };
        let through_fn = self.fn_depth > 0
            || self.in_progress[pos..]
                .iter()
                .any(|f| f.via.is_some_and(|(_, depth)| depth > 0));
        if !through_fn {
            self.report_cycle(pos, use_span);
        }
        self.annotation_of(module, item)
    }

    fn report_cycle(&mut self, pos: usize, use_span: Span) {
        let frames = &self.in_progress[pos..];
        let mut names: Vec<&str> = frames.iter().map(|f| f.name).collect();
        names.push(frames[0].name);
        let mut diag = Diagnostic::error(
            codes::CYCLE,
            frames[0].name_span,
            format!(
                "`{}` depends on itself: {}",
                frames[0].name,
                names.join(" → ")
            ),
        )
        .with_primary_message("defined in terms of itself")
        .with_help("compute one of these values without the others (recursion is possible only through a function)");
        for (i, frame) in frames.iter().enumerate() {
            let span = match frame.via {
                Some((span, _)) if i + 1 < frames.len() => span,
                _ => use_span,
            };
            let next = frames.get(i + 1).map_or(frames[0].name, |f| f.name);
            diag = diag.with_label(span, format!("`{}` uses `{next}` here", frame.name));
        }
        self.error(diag);
    }

    /// The declared type of a binding or param, if it has one (without reporting anything).
    fn annotation_of(&mut self, module: ModuleId, item: usize) -> Ty {
        let program = self.program;
        let ty = match &program.module(module).ast.items[item].kind {
            ItemKind::Binding(b) | ItemKind::Let(b) => b.ty.as_ref(),
            ItemKind::Param(p) => Some(&p.ty),
            _ => None,
        };
        match ty {
            // Reported (if wrong) when the item itself is typed.
            Some(ty) => self.decls.resolve_type(module, ty, &mut Vec::new()),
            None => Ty::Unknown,
        }
    }

    /// Types a binding, `let` or param item in its module.
    fn type_item(&mut self, module: ModuleId, item: usize) -> Ty {
        let program = self.program;
        match &program.module(module).ast.items[item].kind {
            ItemKind::Binding(b) | ItemKind::Let(b) => {
                let is_stack = b.name.name == "stack"
                    && matches!(
                        program.module(module).ast.items[item].kind,
                        ItemKind::Binding(_)
                    );
                let ty = match &b.ty {
                    Some(annotation) => {
                        let declared = self.resolve_type(annotation);
                        self.check_expr(
                            &b.value,
                            Expect::new(&declared, Origin::Annotation(annotation.span)).known(),
                        );
                        declared
                    }
                    None => self.check_expr(&b.value, None),
                };
                if is_stack {
                    self.check_stack(&b.value, &ty);
                }
                ty
            }
            ItemKind::Param(p) => {
                let declared = self.resolve_type(&p.ty);
                if holds_resource(&declared, self.decls) {
                    // `--set` gives text, and a resource is made by the file that deploys it.
                    self.mismatch_text(
                        "a type without resources (a param's value comes from `--set`)",
                        &declared,
                        p.ty.span,
                        Some("a resource cannot be passed in: declare it in the file (`name = aws.Secret { … }`) and pass its settings as params"),
                    );
                    return Ty::Unknown;
                }
                if let Some(default) = &p.default {
                    self.check_expr(
                        default,
                        Expect::new(&declared, Origin::Annotation(p.ty.span)).known(),
                    );
                }
                declared
            }
            _ => Ty::Unknown,
        }
    }

    /// `stack` must be a String, and a literal one must be a valid stack name.
    fn check_stack(&mut self, value: &fgl_syntax::ast::Expr, ty: &Ty) {
        if crate::check::fits::fits(ty, &Ty::String, self.decls).is_err() {
            self.mismatch_text(
                "String",
                ty,
                value.span,
                Some("`stack` names the stack: a string such as \"shop\""),
            );
            return;
        }
        let mut inner = value;
        while let ExprKind::Paren(e) = &inner.kind {
            inner = e;
        }
        let ExprKind::Str(lit) = &inner.kind else {
            return;
        };
        let Some(text) = lit.as_plain() else { return };
        if let Some(problem) = stack_name_problem(&text) {
            self.error(
                Diagnostic::error(
                    codes::INVALID_STACK,
                    value.span,
                    format!("invalid stack name {text:?}: {problem}"),
                )
                .with_primary_message("not a valid stack name")
                .with_help(format!(
                    "a stack name has 1 to 28 characters: lowercase letters, digits and `-`, starting with a letter, e.g. \"{}\"",
                    suggested_stack(&text)
                )),
            );
        }
    }
}

/// What is wrong with a stack name, if anything: it must match `[a-z][a-z0-9-]{0,27}`.
pub(crate) fn stack_name_problem(name: &str) -> Option<&'static str> {
    let mut chars = name.chars();
    match chars.next() {
        None => return Some("it is empty"),
        Some(c) if !c.is_ascii_lowercase() => return Some("it must start with a lowercase letter"),
        _ => {}
    }
    if !chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return Some("only lowercase letters, digits and `-` are allowed");
    }
    if name.len() > 28 {
        return Some("it is longer than 28 characters");
    }
    None
}

fn suggested_stack(name: &str) -> String {
    let mut out: String = name
        .to_ascii_lowercase()
        .chars()
        .map(|c| {
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                c
            } else {
                '-'
            }
        })
        .collect();
    out = out.trim_matches('-').to_string();
    if !out.starts_with(|c: char| c.is_ascii_lowercase()) {
        out.insert_str(0, "app-");
    }
    out.truncate(28);
    let out = out.trim_end_matches('-').to_string();
    if stack_name_problem(&out).is_some() {
        "my-stack".to_string()
    } else {
        out
    }
}

/// Whether a value of `ty` may be or contain a resource.
fn holds_resource(ty: &Ty, decls: &crate::decls::Decls<'_>) -> bool {
    holds_resource_in(ty, decls, &mut Vec::new())
}

/// `seen`: the plain schemas being looked into (schemas may refer to each other).
fn holds_resource_in(
    ty: &Ty,
    decls: &crate::decls::Decls<'_>,
    seen: &mut Vec<crate::decls::SchemaId>,
) -> bool {
    match ty {
        Ty::Schema(id) => {
            let schema = decls.schema(*id);
            if schema.is_resource() {
                return true;
            }
            if seen.contains(id) {
                return false;
            }
            seen.push(*id);
            schema
                .fields
                .iter()
                .any(|f| holds_resource_in(&f.ty, decls, seen))
        }
        Ty::List(inner) | Ty::Map(inner) | Ty::Optional(inner) => {
            holds_resource_in(inner, decls, seen)
        }
        Ty::Union(members) => members.iter().any(|m| holds_resource_in(m, decls, seen)),
        Ty::Record(record) => record
            .fields
            .iter()
            .any(|f| holds_resource_in(&f.ty, decls, seen)),
        _ => false,
    }
}
