//! The evaluator: module bindings (lazy, memoized, with a cycle guard), name resolution and the
//! shared error plumbing. Expressions are in `expr.rs`, operators in `ops.rs`, calls in
//! `calls.rs`, comprehensions in `comprehension.rs`.

mod calls;
mod comprehension;
mod expr;
mod ops;

pub use expr::Entry;

use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;

use fgl_check::{Decl, Decls, ModuleId, Program, Ty};
use fgl_syntax::ast::{self, ItemKind};
use fgl_syntax::{codes, Diagnostic, Span};

use crate::builtins::Builtin;
use crate::env::Env;
use crate::value::{FnCode, Value};
use crate::Budget;

/// An evaluation failed; its diagnostic is already recorded in [`Evaluator::diags`]. Errors
/// cannot be caught in fgl, so this only propagates.
#[derive(Debug)]
pub struct Fail;

pub type R<T> = Result<T, Fail>;

/// The state of a module-level binding (or param).
enum Slot<'a> {
    Todo,
    /// Being evaluated: reaching it again is a cycle.
    Busy,
    Done(Value<'a>),
    /// Its evaluation failed (reported once); users fail silently.
    Failed,
}

pub struct Evaluator<'a> {
    pub decls: &'a Decls<'a>,
    pub program: &'a Program,
    /// Indexed by module, then item.
    slots: Vec<Vec<Slot<'a>>>,
    /// The bindings being evaluated, outermost first, for cycle messages.
    busy: Vec<(ModuleId, usize)>,
    pub diags: Vec<Diagnostic>,
    pub budget: Budget,
    /// See [`crate::Options::optional_reads`].
    pub optional_reads: rustc_hash::FxHashSet<Span>,
    pub(crate) steps: u64,
    pub(crate) depth: u32,
    /// A budget ran out: stop everything.
    pub fatal: bool,
    /// Conforming a value that did not come from checked code (a `--set` value): check base
    /// types too, not only refinements.
    pub strict: bool,
    /// Where the calls in progress were made, outermost first (for the step budget's message).
    pub calls: Vec<Span>,
    /// One code object per `fn` expression (keyed by its address in the syntax tree).
    fn_codes: HashMap<*const ast::Expr, Rc<FnCode<'a>>>,
    /// Literal defaults of schema fields, conformed, by schema and field.
    defaults: HashMap<(fgl_check::SchemaId, usize), Value<'a>>,
    /// Resolved annotations of bindings and `let`s (keyed by the type's address).
    tys: HashMap<*const ast::Type, Rc<Ty>>,
}

impl<'a> Evaluator<'a> {
    pub fn new(decls: &'a Decls<'a>, budget: Budget) -> Self {
        let program = decls.program;
        let slots = program
            .modules
            .iter()
            .map(|m| m.ast.items.iter().map(|_| Slot::Todo).collect())
            .collect();
        Evaluator {
            decls,
            program,
            slots,
            busy: Vec::new(),
            diags: Vec::new(),
            budget,
            optional_reads: Default::default(),
            steps: 0,
            depth: 0,
            fatal: false,
            strict: false,
            calls: Vec::new(),
            fn_codes: HashMap::default(),
            defaults: HashMap::default(),
            tys: HashMap::default(),
        }
    }

    pub fn cached_default(&self, schema: fgl_check::SchemaId, field: usize) -> Option<Value<'a>> {
        self.defaults.get(&(schema, field)).cloned()
    }

    pub fn cache_default(&mut self, schema: fgl_check::SchemaId, field: usize, value: Value<'a>) {
        self.defaults.insert((schema, field), value);
    }

    /// Records a diagnostic and fails.
    pub fn fail(&mut self, diag: Diagnostic) -> Fail {
        self.diags.push(diag);
        Fail
    }

    /// Something the checker should have made impossible. Never a panic: a diagnostic.
    pub fn internal(&mut self, span: Span, what: impl Into<String>) -> Fail {
        self.fail(
            Diagnostic::error(
                codes::VALUE_OUT_OF_TYPE,
                span,
                format!("internal error: {}", what.into()),
            )
            .with_help("the type checker should have rejected this program; please report it"),
        )
    }

    /// Sets a module binding's value before evaluation (params from the command line, the
    /// `--stack` override).
    pub fn preset(&mut self, module: ModuleId, item: usize, value: Option<Value<'a>>) {
        if let Some(slot) = self.slots[module.index()].get_mut(item) {
            *slot = match value {
                Some(v) => Slot::Done(v),
                None => Slot::Failed,
            };
        }
    }

    /// The value of a module-level binding if it was computed already.
    pub fn computed(&self, module: ModuleId, item: usize) -> Option<&Value<'a>> {
        match self.slots.get(module.index())?.get(item)? {
            Slot::Done(v) => Some(v),
            _ => None,
        }
    }

    /// The value of a module-level binding, let or param, evaluating it on first use. `used`
    /// is where it is needed (for a cycle message).
    pub fn force(&mut self, module: ModuleId, item: usize, used: Span) -> R<Value<'a>> {
        match self.slots[module.index()].get(item) {
            Some(Slot::Done(v)) => return Ok(v.clone()),
            Some(Slot::Failed) => return Err(Fail),
            Some(Slot::Busy) => return Err(self.cycle(module, item, used)),
            Some(Slot::Todo) => {}
            None => return Err(self.internal(used, "a binding refers to a missing item")),
        }
        self.slots[module.index()][item] = Slot::Busy;
        self.busy.push((module, item));
        let result = self.compute(module, item);
        self.busy.pop();
        self.slots[module.index()][item] = match &result {
            Ok(v) => Slot::Done(v.clone()),
            Err(_) => Slot::Failed,
        };
        result
    }

    fn compute(&mut self, module: ModuleId, item: usize) -> R<Value<'a>> {
        let program = self.program;
        let it = &program.module(module).ast.items[item];
        let env = Env::module(module);
        match &it.kind {
            ItemKind::Binding(b) | ItemKind::Let(b) => {
                let value = self.eval(&b.value, &env)?;
                match &b.ty {
                    Some(ty) => {
                        let ty = self.annotation(module, ty);
                        let place = crate::conform::Place::Name(&b.name.name);
                        self.conform_at(value, &ty, place, b.value.span, Some(b.name.span))
                    }
                    None => Ok(value),
                }
            }
            ItemKind::Param(p) => self.param_default(module, p),
            _ => Err(self.internal(it.span, "this item has no value")),
        }
    }

    fn cycle(&mut self, module: ModuleId, item: usize, used: Span) -> Fail {
        let start = self
            .busy
            .iter()
            .position(|k| *k == (module, item))
            .unwrap_or(0);
        let mut names: Vec<String> = self.busy[start..]
            .iter()
            .map(|(m, i)| self.item_name(*m, *i))
            .collect();
        let name = self.item_name(module, item);
        names.push(name.clone());
        let diag = Diagnostic::error(
            codes::CYCLE,
            used,
            format!(
                "the value of `{name}` depends on itself: {}",
                names.join(" → ")
            ),
        )
        .with_primary_message("needed again here, while it is being computed")
        .with_help("a function may call itself, but a value cannot be defined by its own value");
        self.fail(diag)
    }

    pub fn item_name(&self, module: ModuleId, item: usize) -> String {
        match &self.program.module(module).ast.items[item].kind {
            ItemKind::Binding(b) | ItemKind::Let(b) => b.name.name.clone(),
            ItemKind::Param(p) => p.name.name.clone(),
            _ => String::from("?"),
        }
    }

    /// A type annotation written in `module`, resolved once.
    pub fn annotation(&mut self, module: ModuleId, ty: &'a ast::Type) -> Rc<Ty> {
        let key = ty as *const ast::Type;
        if let Some(t) = self.tys.get(&key) {
            return t.clone();
        }
        // Errors in annotations were reported by the checker; an unresolved name is Unknown.
        let resolved = Rc::new(self.decls.resolve_type(module, ty, &mut Vec::new()));
        self.tys.insert(key, resolved.clone());
        resolved
    }

    /// A module-level `check` (E0300 when false).
    pub fn module_check(&mut self, module: ModuleId, check: &'a ast::Check) -> R<()> {
        let env = Env::module(module);
        if self.condition(&check.cond, &env)? {
            return Ok(());
        }
        let message = self.check_message(&check.message, &env)?;
        Err(self.fail(
            Diagnostic::error(codes::CHECK_FAILED, check.cond.span, message)
                .with_primary_message("this check is false"),
        ))
    }

    /// The value of a module-level name (after the locals): a binding, let, param, import or
    /// built-in function.
    pub fn global(&mut self, module: ModuleId, name: &str, span: Span) -> R<Value<'a>> {
        match self.decls.lookup(module, name) {
            Some(Decl::Binding { item } | Decl::Let { item } | Decl::Param { item }) => {
                self.force(module, item, span)
            }
            Some(Decl::Import { index }) => match self.decls.import_target(module, index) {
                Some(target) => Ok(Value::Module(target)),
                None => Err(self.internal(span, format!("the import `{name}` was not loaded"))),
            },
            Some(Decl::Schema(_) | Decl::TypeAlias { .. }) => {
                Err(self.internal(span, format!("`{name}` is a type, not a value")))
            }
            None => match Builtin::from_name(name) {
                Some(b) => Ok(Value::Builtin(b)),
                None => Err(self.internal(span, format!("unknown name `{name}`"))),
            },
        }
    }
}
