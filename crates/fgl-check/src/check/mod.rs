//! The type checker: resolves every name and types every expression of every module, once.
//!
//! Checking is bidirectional: [`Checker::check_expr`] takes the type a place expects, when
//! known, and pushes it into literals (records, lists, `if` branches, `let` bodies) so that a
//! mistake is reported at the innermost expression that causes it (`cpu = 300`, not the whole
//! container). Elsewhere the expression's type is inferred and compared with [`fits::fits`].
//! After an error the offending expression gets [`Ty::Unknown`], which fits everywhere, so one
//! mistake is reported once.
//!
//! Module bindings are typed on first use and cached ([`bindings`]); a function body is typed
//! once, with its parameters at their declared types, and calls only check arguments.

mod bindings;
pub(crate) mod calls;
mod comps;
mod expr;
pub mod fits;
mod ops;
mod records;
mod report;
mod schemas;
mod scope;
#[cfg(test)]
mod tests;

use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;

use fgl_syntax::ast::{self, ItemKind};
use fgl_syntax::{Diagnostic, Span};

use crate::decls::{self, Decls};
use crate::loader::{ModuleId, Program};
use crate::ty::{FnTy, Ty};

pub(crate) use expr::interpolable;
pub(crate) use report::{Expect, Origin};

/// The declarations of a checked program and every name or type diagnostic.
pub struct Checked<'p> {
    pub decls: Decls<'p>,
    pub diagnostics: Vec<Diagnostic>,
    /// The `.name` of every field read the checker typed as optional (`port?: Int`, or a field
    /// present on one side of a join only): evaluated on a record without that key, it gives
    /// `null`. Any other missing key is an evaluation error (a map read, E0308). Pass it to the
    /// evaluator (`fgl_eval::Options::optional_reads`).
    pub optional_reads: rustc_hash::FxHashSet<Span>,
}

/// Runs [`decls::collect`], then types every module of the program (root and imports,
/// including std). Diagnostics come back sorted and deduplicated.
pub fn check(program: &Program) -> Checked<'_> {
    check_inner(program, None)
}

/// Watches the checker at work, for tools (the language server) that need what it computes:
/// the type every expression was checked against and the type it was found to have.
pub trait Recorder {
    /// Called once for every expression the checker types (an expression inside a function
    /// body once, however often the function is called), innermost first. `expected` is the
    /// type its place pushed into it, when there was one; `found` is its type (Unknown after
    /// an error). Types may name schemas: read them with the `decls` passed to [`check_with`]'s
    /// result.
    fn expr(&mut self, expr: &ast::Expr, expected: Option<&Ty>, found: &Ty);
}

/// [`check`], telling `recorder` about every expression typed. Same diagnostics; the normal
/// path ([`check`]) pays one branch per expression for this hook.
pub fn check_with<'p>(program: &'p Program, recorder: &mut dyn Recorder) -> Checked<'p> {
    check_inner(program, Some(recorder))
}

fn check_inner<'p>(program: &'p Program, recorder: Option<&mut dyn Recorder>) -> Checked<'p> {
    let (decls, mut diagnostics) = decls::collect(program);
    let mut checker = Checker::new(&decls);
    if let Some(recorder) = recorder {
        checker.recorder = Some(recorder);
    }
    checker.check_program();
    diagnostics.append(&mut checker.diags);
    let optional_reads = std::mem::take(&mut checker.optional_reads);
    drop(checker);
    fgl_syntax::diagnostic::sort_and_dedup(&mut diagnostics);
    Checked {
        decls,
        diagnostics,
        optional_reads,
    }
}

/// A name bound inside an expression: a comprehension variable, a function parameter, a
/// `let … in`, or a schema field inside the schema's defaults and checks.
struct Local<'p> {
    name: &'p str,
    ty: Ty,
}

/// Where a module binding stands in the lazy, cached typing of bindings.
#[derive(Clone, Debug)]
enum State {
    Todo,
    InProgress,
    Done(Ty),
}

pub(crate) struct Checker<'a, 'p> {
    pub(crate) decls: &'a Decls<'p>,
    program: &'p Program,
    diags: Vec<Diagnostic>,
    /// The module whose code is being checked.
    module: ModuleId,
    /// See [`Checked::optional_reads`].
    pub(crate) optional_reads: rustc_hash::FxHashSet<Span>,
    /// Innermost last.
    locals: Vec<Local<'p>>,
    /// How many function bodies enclose the current expression, within the current binding.
    fn_depth: u32,
    /// Per module, per item.
    states: Vec<Vec<State>>,
    /// Bindings being typed, outermost first (cycle detection).
    in_progress: Vec<bindings::Frame<'p>>,
    /// The parameters (with their spans) of every function literal's type, by the address of
    /// its `FnTy`; `keep` holds those types alive so that no address is reused.
    fn_params: HashMap<*const FnTy, &'p [ast::FnParam]>,
    keep: Vec<Rc<FnTy>>,
    /// [`check_with`]'s recorder; None for [`check`].
    recorder: Option<&'a mut dyn Recorder>,
}

impl<'a, 'p> Checker<'a, 'p> {
    fn new(decls: &'a Decls<'p>) -> Self {
        let program = decls.program;
        Checker {
            decls,
            program,
            diags: Vec::new(),
            module: Program::ROOT,
            optional_reads: Default::default(),
            locals: Vec::new(),
            fn_depth: 0,
            states: program
                .modules
                .iter()
                .map(|m| vec![State::Todo; m.ast.items.len()])
                .collect(),
            in_progress: Vec::new(),
            fn_params: HashMap::default(),
            keep: Vec::new(),
            recorder: None,
        }
    }

    fn check_program(&mut self) {
        let program = self.program;
        for module in &program.modules {
            self.module = module.id;
            for (index, item) in module.ast.items.iter().enumerate() {
                match &item.kind {
                    ItemKind::Binding(_) | ItemKind::Let(_) | ItemKind::Param(_) => {
                        self.binding_type(module.id, index, item.span);
                    }
                    ItemKind::Check(check) => {
                        self.module = module.id;
                        self.check_clause(check);
                    }
                    ItemKind::Import(_)
                    | ItemKind::TypeAlias(_)
                    | ItemKind::Schema(_)
                    | ItemKind::Error => {}
                }
            }
        }
        for index in 0..self.decls.schemas.len() {
            self.check_schema(crate::decls::SchemaId(index as u32));
        }
    }

    pub(crate) fn error(&mut self, diagnostic: Diagnostic) {
        self.diags.push(diagnostic);
    }

    /// Resolves a type annotation written in the current module.
    fn resolve_type(&mut self, ty: &ast::Type) -> Ty {
        self.decls.resolve_type(self.module, ty, &mut self.diags)
    }

    fn push_local(&mut self, name: &'p str, ty: Ty) {
        self.locals.push(Local { name, ty });
    }

    fn pop_locals(&mut self, to: usize) {
        self.locals.truncate(to);
    }

    pub(crate) fn show(&self, ty: &Ty) -> String {
        fits::show_short(ty, self.decls)
    }

    /// Spans of a function literal's parameters, when `f` is the type of one.
    fn fn_params_of(&self, f: &Rc<FnTy>) -> Option<&'p [ast::FnParam]> {
        self.fn_params.get(&Rc::as_ptr(f)).copied()
    }
}
