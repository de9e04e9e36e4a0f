//! The evaluator of fgl: runs a program that the checker accepted and produces its values and
//! the resources to deploy, or the diagnostics (E03xx) of what only evaluation can know.

mod budget;
mod builtins;
mod collect;
mod conform;
mod env;
mod eval;
mod instantiate;
mod output;
mod params;
mod stack;
mod value;

use fgl_check::{Decls, Program, SchemaId};
use fgl_syntax::ast::ItemKind;
use fgl_syntax::{Diagnostic, Span};

use crate::eval::{Evaluator, R};

pub use builtins::NAMES as BUILTIN_NAMES;

/// Bounds on evaluation so that every program ends quickly (E0302, E0303).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Evaluation steps; building a list or string costs its size.
    pub max_steps: u64,
    /// Nested function calls.
    pub max_depth: u32,
}

impl Default for Budget {
    fn default() -> Self {
        Budget {
            max_steps: 10_000_000,
            max_depth: 1_000,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `--set NAME=VALUE`, in command-line order.
    pub params: Vec<(String, String)>,
    /// `--stack`: overrides the file's `stack` binding.
    pub stack: Option<String>,
    pub budget: Budget,
    /// Field reads that give `null` on a record without the key (`fgl_check::Checked::
    /// optional_reads`); any other missing key is E0308.
    pub optional_reads: rustc_hash::FxHashSet<Span>,
}

/// The evaluated root module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    pub stack: Option<String>,
    /// Every param of the root module with its value, in source order.
    pub params: Vec<(String, Data)>,
    /// Every public binding but `stack`, in source order.
    pub values: Vec<(String, Data)>,
    /// Every deployed resource, in the order found.
    pub resources: Vec<Resource>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resource {
    /// The logical id: the dotted path of the first public binding that reaches it.
    pub id: String,
    /// The display name of its schema, e.g. `aws.Container`.
    pub kind: String,
    pub schema: SchemaId,
    /// Every field, in declaration order, defaults filled.
    pub fields: Vec<(String, Data)>,
    /// The instantiation.
    pub span: Span,
    /// Where each field's value was set (a field set by a default points at the
    /// instantiation), and inside plain schema values where their fields were set. See
    /// [`Resource::span_of`]. Empty for a resource fgl adds itself (the default network).
    pub spans: FieldSpans,
}

/// Where the fields of a schema value were set: one entry per field, parallel to the value's
/// fields (declaration order), with the spans inside it when the field holds a plain schema
/// value or a list of them. A tree rather than a table of dotted paths: building it costs no
/// strings, and it is read only when a diagnostic needs a place.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldSpans(pub Vec<(Span, Nested)>);

impl FieldSpans {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// What a field's value holds of further spans.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Nested {
    None,
    /// A plain schema value.
    Fields(FieldSpans),
    /// A list, with the spans of the plain schema values among its elements.
    Items(Vec<Option<FieldSpans>>),
}

impl Resource {
    /// The value of a top-level field.
    pub fn field(&self, name: &str) -> Option<&Data> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// Where the value at `path` (`memory`, `health.timeout`, `routes.0.target`) was set: its
    /// own span when known, else that of the closest enclosing field, else the instantiation.
    pub fn span_of(&self, path: &str) -> Span {
        let mut best = self.span;
        let mut fields: &[(String, Data)] = &self.fields;
        let mut spans = Some(&self.spans);
        let mut segments = path.split('.');
        while let (Some(segment), Some(at)) = (segments.next(), spans) {
            let Some(i) = fields.iter().position(|(name, _)| name == segment) else {
                break;
            };
            let Some((span, nested)) = at.0.get(i) else {
                break;
            };
            best = *span;
            spans = None;
            match (nested, &fields[i].1) {
                (Nested::Fields(inner), Data::Record(inner_fields)) => {
                    spans = Some(inner);
                    fields = inner_fields;
                }
                (Nested::Items(items), Data::List(list)) => {
                    let index = segments.next().and_then(|s| s.parse::<usize>().ok());
                    if let Some(i) = index {
                        if let (Some(Some(inner)), Some(Data::Record(inner_fields))) =
                            (items.get(i), list.get(i))
                        {
                            spans = Some(inner);
                            fields = inner_fields;
                        }
                    }
                }
                _ => {}
            }
        }
        best
    }
}

/// An evaluated value without resources: what the output and the lowering to AWS see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Data {
    Null,
    Bool(bool),
    Int(i64),
    Str(String),
    List(Vec<Data>),
    Record(Vec<(String, Data)>),
    /// A reference to a resource, by logical id.
    Ref(String),
    /// A reference to a secret resource, by logical id (fgl never holds a secret's value).
    Secret(String),
    /// A function, shown by its type.
    Fn(String),
}

/// Evaluates the root module of `decls.program`.
pub fn evaluate(decls: &Decls<'_>, options: &Options) -> Result<Output, Vec<Diagnostic>> {
    let mut ev = Evaluator::new(decls, options.budget);
    ev.optional_reads = options.optional_reads.clone();
    if let Some(stack) = &options.stack {
        if !ev.override_stack(stack) {
            return Err(ev.diags);
        }
    }
    if !ev.set_params(&options.params) {
        return Err(finish(ev.diags));
    }
    let program = decls.program;
    let root = program.root();

    // Params first, so that a missing one is reported even if nothing uses it.
    let mut params = Vec::new();
    for (item, it) in root.ast.items.iter().enumerate() {
        if let ItemKind::Param(p) = &it.kind {
            if let Ok(v) = ev.force(Program::ROOT, item, p.name.span) {
                params.push((p.name.name.clone(), v));
            }
        }
    }
    if !ev.diags.is_empty() {
        return Err(finish(ev.diags));
    }

    // Every public binding, in source order; one failing does not stop the others (each
    // error is reported once: users of a failed binding fail silently).
    let mut bindings = Vec::new();
    for (item, it) in root.ast.items.iter().enumerate() {
        if ev.fatal {
            break;
        }
        if let ItemKind::Binding(b) = &it.kind {
            if let Ok(v) = ev.force(Program::ROOT, item, b.name.span) {
                if b.name.name != "stack" {
                    bindings.push((b.name.name.clone(), v));
                }
            }
        }
    }
    let stack = if ev.fatal {
        None
    } else {
        ev.stack().ok().flatten()
    };

    // Module checks, after the bindings: the root's, then those of imported modules.
    for module in &program.modules {
        for it in &module.ast.items {
            if ev.fatal {
                break;
            }
            if let ItemKind::Check(check) = &it.kind {
                let _ = ev.module_check(module.id, check);
            }
        }
    }
    if !ev.diags.is_empty() {
        return Err(finish(ev.diags));
    }

    let result: R<Output> = (|| {
        let found = ev.collect(&bindings)?;
        let resources = ev.resources(&found)?;
        let params = params
            .iter()
            .map(|(n, v)| Ok((n.clone(), ev.data(v, &found)?)))
            .collect::<R<Vec<_>>>()?;
        let values = bindings
            .iter()
            .map(|(n, v)| Ok((n.clone(), ev.data(v, &found)?)))
            .collect::<R<Vec<_>>>()?;
        Ok(Output {
            stack,
            params,
            values,
            resources,
        })
    })();
    match result {
        Ok(output) if ev.diags.is_empty() => Ok(output),
        _ => Err(finish(ev.diags)),
    }
}

/// Diagnostics in source order, each once; never an empty error list.
fn finish(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    fgl_syntax::diagnostic::sort_and_dedup(&mut diags);
    if diags.is_empty() {
        diags.push(Diagnostic::error(
            fgl_syntax::codes::VALUE_OUT_OF_TYPE,
            Span::default(),
            "internal error: evaluation failed without a diagnostic",
        ));
    }
    diags
}
