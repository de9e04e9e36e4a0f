//! What a request needs to know beyond the syntax tree: the checker's types (through
//! `fgl_check::check_with` and a [`Recorder`] that keeps only what the request asks for), and
//! what every name refers to ([`crate::resolve`]).

use std::collections::HashMap;

use fgl_check::decls::Decl;
use fgl_check::{Checked, ModuleId, Recorder, SchemaId, Ty};
use fgl_syntax::ast::{self, Expr, ItemKind};
use fgl_syntax::{FileId, Span};

use crate::analysis::Loaded;
use crate::resolve::{self, Occurrence, Scope};

/// What the recorder keeps.
#[derive(Default)]
pub struct Recorded {
    /// The root file's expressions around the cursor (span, expected, found), innermost first.
    pub around: Vec<(Span, Option<Ty>, Ty)>,
    /// The schema an expression has, or was checked against (records, instances, names).
    pub schemas: HashMap<Span, SchemaId>,
    /// The expected type of every record literal (for completion in nested records).
    pub records: HashMap<Span, Ty>,
    /// The type of every module binding's value, by the value's span.
    pub values: HashMap<Span, Ty>,
}

struct Keep<'r> {
    cursor: Option<usize>,
    /// The spans of module bindings' values.
    values: std::collections::HashSet<Span>,
    out: &'r mut Recorded,
}

impl Recorder for Keep<'_> {
    fn expr(&mut self, expr: &Expr, expected: Option<&Ty>, found: &Ty) {
        let span = expr.span;
        if let Some(cursor) = self.cursor {
            if span.file == FileId(0) && contains(span, cursor) {
                self.out
                    .around
                    .push((span, expected.cloned(), found.clone()));
            }
        }
        if let Some(id) = schema_of(found).or_else(|| expected.and_then(schema_of)) {
            self.out.schemas.insert(span, id);
        }
        if matches!(expr.kind, ast::ExprKind::Record(_)) {
            if let Some(ty) = expected {
                self.out.records.insert(span, ty.clone());
            }
        }
        if self.values.contains(&span) {
            self.out.values.insert(span, found.clone());
        }
    }
}

/// The schema of a type, through `T?`.
pub fn schema_of(ty: &Ty) -> Option<SchemaId> {
    match ty {
        Ty::Schema(id) => Some(*id),
        Ty::Optional(inner) => schema_of(inner),
        _ => None,
    }
}

/// Whether `offset` is in `span` or right at its end (a cursor after a name is on it).
pub fn contains(span: Span, offset: usize) -> bool {
    (span.start as usize) <= offset && offset <= (span.end as usize)
}

/// A checked program with what the checker said about it.
pub struct Model<'l> {
    pub loaded: &'l Loaded,
    pub checked: Checked<'l>,
    pub rec: Recorded,
}

impl<'l> Model<'l> {
    /// Checks the program (every file; about a millisecond for 5,000 lines), recording the
    /// expressions around `cursor` in the root file.
    pub fn build(loaded: &'l Loaded, cursor: Option<usize>) -> Self {
        let mut rec = Recorded::default();
        let values = loaded
            .program
            .modules
            .iter()
            .flat_map(|m| &m.ast.items)
            .filter_map(|it| match &it.kind {
                ItemKind::Binding(b) | ItemKind::Let(b) => Some(b.value.span),
                _ => None,
            })
            .collect();
        let checked = fgl_check::check_with(
            &loaded.program,
            &mut Keep {
                cursor,
                values,
                out: &mut rec,
            },
        );
        rec.around.sort_by_key(|(span, _, _)| span.len());
        Model {
            loaded,
            checked,
            rec,
        }
    }

    pub fn decls(&self) -> &fgl_check::Decls<'l> {
        &self.checked.decls
    }

    pub fn root(&self) -> &'l ast::Module {
        &self.loaded.program.root().ast
    }

    pub fn show(&self, ty: &Ty) -> String {
        ty.show(&self.checked.decls).to_string()
    }

    /// Every resolved name of one module.
    pub fn occurrences(&self, module: ModuleId) -> Vec<Occurrence> {
        resolve::module(self, module, None).0
    }

    /// Every resolved name of the root, and the names in scope at `offset`.
    pub fn occurrences_and_scope(&self, offset: usize) -> (Vec<Occurrence>, Scope) {
        resolve::module(self, fgl_check::Program::ROOT, Some(offset))
    }

    /// The type of a module binding (its annotation, or its value's type), as checked.
    pub fn binding_type(&self, module: ModuleId, item: usize) -> Option<Ty> {
        let it = self.loaded.program.module(module).ast.items.get(item)?;
        match &it.kind {
            ItemKind::Binding(b) | ItemKind::Let(b) => match &b.ty {
                Some(ty) => Some(self.resolve_type(module, ty)),
                None => self.rec.values.get(&b.value.span).cloned(),
            },
            ItemKind::Param(p) => Some(self.resolve_type(module, &p.ty)),
            _ => None,
        }
    }

    pub fn resolve_type(&self, module: ModuleId, ty: &ast::Type) -> Ty {
        self.checked.decls.resolve_type(module, ty, &mut Vec::new())
    }

    /// The schema named by the `S` of `S { … }` in `module`.
    pub fn schema_named(&self, module: ModuleId, e: &Expr) -> Option<SchemaId> {
        let decls = self.decls();
        let in_module = |m: ModuleId, name: &str| match decls.lookup(m, name)? {
            Decl::Schema(id) => Some(id),
            Decl::TypeAlias { item } => schema_of(&decls.alias(m, item)),
            _ => None,
        };
        match &e.kind {
            ast::ExprKind::Name(ident) => in_module(module, &ident.name),
            ast::ExprKind::Field { base, name } => {
                let ast::ExprKind::Name(m) = &base.kind else {
                    return None;
                };
                let Some(Decl::Import { index }) = decls.lookup(module, &m.name) else {
                    return None;
                };
                in_module(decls.import_target(module, index)?, &name.name)
            }
            ast::ExprKind::Paren(inner) => self.schema_named(module, inner),
            _ => None,
        }
    }

    /// The source text of a span (in any file of the program).
    pub fn source(&self, span: Span) -> &str {
        self.loaded
            .text(span.file)
            .get(span.range())
            .unwrap_or_default()
    }
}
