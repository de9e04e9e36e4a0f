//! What every name refers to, by fgl-check's scope rules: inner scopes first (comprehension
//! variables, function parameters, `let … in`, a schema's fields inside its defaults and
//! checks), then the module's names (in any order), then the built-ins; `m.x` and `m.T` of an
//! import; record keys as the fields of the schema the record is checked against.

use fgl_check::decls::Decl;
use fgl_check::{ModuleId, SchemaId};
use fgl_syntax::ast::{self, CompClause, Expr, ExprKind, ItemKind, Key, SchemaEntry, TypeKind};
use fgl_syntax::Span;

use crate::semantic::{contains, schema_of, Model};

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// A module-level name: binding, `let`, param, type alias, schema or import.
    Item {
        module: ModuleId,
        name: String,
    },
    /// A name bound inside an expression, by the span of its binder.
    Local {
        binder: Span,
        name: String,
    },
    /// A field of a schema.
    Field {
        schema: SchemaId,
        name: String,
    },
    Builtin(String),
}

impl Target {
    pub fn name(&self) -> &str {
        match self {
            Target::Item { name, .. }
            | Target::Local { name, .. }
            | Target::Field { name, .. }
            | Target::Builtin(name) => name,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Occurrence {
    pub span: Span,
    pub target: Target,
    /// Where the name is defined (rather than used).
    pub is_def: bool,
}

/// The inner names in scope at a place, innermost last (module names and built-ins are always
/// in scope).
#[derive(Clone, Debug, Default)]
pub struct Scope {
    pub locals: Vec<(String, Target)>,
}

/// Resolves every name of `module`; with a cursor, also returns the inner names in scope there.
pub fn module(
    model: &Model<'_>,
    module: ModuleId,
    cursor: Option<usize>,
) -> (Vec<Occurrence>, Scope) {
    let mut w = Walker {
        model,
        module,
        scope: Vec::new(),
        out: Vec::new(),
        cursor,
        at_cursor: None,
    };
    let program = &model.loaded.program;
    let m = program.module(module);
    let mut imports = m.imports.iter();
    for (index, item) in m.ast.items.iter().enumerate() {
        w.scope.clear();
        w.item(index, item, &mut imports);
    }
    (
        w.out,
        Scope {
            locals: w.at_cursor.unwrap_or_default(),
        },
    )
}

struct Walker<'m, 'l> {
    model: &'m Model<'l>,
    module: ModuleId,
    scope: Vec<(String, Target)>,
    out: Vec<Occurrence>,
    cursor: Option<usize>,
    at_cursor: Option<Vec<(String, Target)>>,
}

impl Walker<'_, '_> {
    fn here(&mut self, span: Span) {
        if let Some(cursor) = self.cursor {
            if span.file == self.model.loaded.program.module(self.module).file
                && contains(span, cursor)
            {
                self.at_cursor = Some(self.scope.clone());
            }
        }
    }

    fn push(&mut self, span: Span, target: Target, is_def: bool) {
        self.out.push(Occurrence {
            span,
            target,
            is_def,
        });
    }

    fn item_target(&self, module: ModuleId, name: &str) -> Target {
        Target::Item {
            module,
            name: name.to_string(),
        }
    }

    fn item<'a>(
        &mut self,
        index: usize,
        item: &ast::Item,
        imports: &mut impl Iterator<Item = &'a fgl_check::loader::Import>,
    ) {
        let module = self.module;
        self.here(item.span);
        match &item.kind {
            ItemKind::Import(import) => {
                let loaded = imports.next();
                if let (Some(alias), Some(_)) = (&import.alias, loaded) {
                    let t = self.item_target(module, &alias.name);
                    self.push(alias.span, t, true);
                }
            }
            ItemKind::Binding(b) | ItemKind::Let(b) => {
                let t = self.item_target(module, &b.name.name);
                self.push(b.name.span, t, true);
                if let Some(ty) = &b.ty {
                    self.ty(ty);
                }
                self.expr(&b.value);
            }
            ItemKind::Param(p) => {
                let t = self.item_target(module, &p.name.name);
                self.push(p.name.span, t, true);
                self.ty(&p.ty);
                if let Some(d) = &p.default {
                    self.expr(d);
                }
            }
            ItemKind::TypeAlias(a) => {
                let t = self.item_target(module, &a.name.name);
                self.push(a.name.span, t, true);
                self.ty(&a.ty);
            }
            ItemKind::Schema(s) => {
                let t = self.item_target(module, &s.name.name);
                self.push(s.name.span, t, true);
                let id = match self.model.decls().lookup(module, &s.name.name) {
                    Some(Decl::Schema(id)) if self.model.decls().schema(id).item == index => {
                        Some(id)
                    }
                    _ => None,
                };
                // A default sees the fields above it; a check sees them all.
                for entry in &s.entries {
                    if let SchemaEntry::Field(f) = entry {
                        self.here(f.span);
                        if let Some(id) = id {
                            let t = Target::Field {
                                schema: id,
                                name: f.name.name.clone(),
                            };
                            self.push(f.name.span, t, true);
                        }
                        self.ty(&f.ty);
                        if let Some(d) = &f.default {
                            self.expr(d);
                        }
                        if let Some(id) = id {
                            let t = Target::Field {
                                schema: id,
                                name: f.name.name.clone(),
                            };
                            self.scope.push((f.name.name.clone(), t));
                        }
                    }
                }
                for entry in &s.entries {
                    if let SchemaEntry::Check(c, span) = entry {
                        self.here(*span);
                        self.expr(&c.cond);
                        self.expr(&c.message);
                    }
                }
            }
            ItemKind::Check(c) => {
                self.expr(&c.cond);
                self.expr(&c.message);
            }
            ItemKind::Error => {}
        }
    }

    /// What a name used as a value refers to here.
    fn lookup(&self, name: &str) -> Option<Target> {
        if let Some((_, t)) = self.scope.iter().rev().find(|(n, _)| n == name) {
            return Some(t.clone());
        }
        if self.model.decls().lookup(self.module, name).is_some() {
            return Some(self.item_target(self.module, name));
        }
        if fgl_check::builtins::is_builtin(name) {
            return Some(Target::Builtin(name.to_string()));
        }
        None
    }

    /// The module an import alias (not shadowed) leads to.
    fn import(&self, name: &str) -> Option<ModuleId> {
        if self.scope.iter().any(|(n, _)| n == name) {
            return None;
        }
        match self.model.decls().lookup(self.module, name)? {
            Decl::Import { index } => self.model.decls().import_target(self.module, index),
            _ => None,
        }
    }

    fn bind(&mut self, ident: &ast::Ident) {
        let t = Target::Local {
            binder: ident.span,
            name: ident.name.clone(),
        };
        self.push(ident.span, t.clone(), true);
        self.scope.push((ident.name.clone(), t));
    }

    fn expr(&mut self, e: &Expr) {
        self.here(e.span);
        match &e.kind {
            ExprKind::Name(ident) => {
                if let Some(t) = self.lookup(&ident.name) {
                    self.push(ident.span, t, false);
                }
            }
            ExprKind::Field { base, name } => {
                self.expr(base);
                if let ExprKind::Name(m) = &base.kind {
                    if let Some(target) = self.import(&m.name) {
                        if self.model.decls().lookup(target, &name.name).is_some() {
                            let t = self.item_target(target, &name.name);
                            self.push(name.span, t, false);
                        }
                        return;
                    }
                }
                if let Some(&schema) = self.model.rec.schemas.get(&base.span) {
                    if self
                        .model
                        .decls()
                        .schema(schema)
                        .field(&name.name)
                        .is_some()
                    {
                        let t = Target::Field {
                            schema,
                            name: name.name.clone(),
                        };
                        self.push(name.span, t, false);
                    }
                }
            }
            ExprKind::Instantiate { schema, fields, .. } => {
                self.schema_name(schema);
                let id = self.model.schema_named(self.module, schema);
                self.record_fields(id, fields);
            }
            ExprKind::Record(fields) => {
                let id = self.model.rec.schemas.get(&e.span).copied();
                self.record_fields(id, fields);
            }
            ExprKind::Let(l) => {
                if let Some(ty) = &l.ty {
                    self.ty(ty);
                }
                self.expr(&l.value);
                let mark = self.scope.len();
                self.bind(&l.name);
                self.expr(&l.body);
                self.scope.truncate(mark);
            }
            ExprKind::Fn { params, body } => {
                let mark = self.scope.len();
                for p in params {
                    self.ty(&p.ty);
                    if let Some(d) = &p.default {
                        self.expr(d);
                    }
                    self.bind(&p.name);
                }
                self.expr(body);
                self.scope.truncate(mark);
            }
            ExprKind::ListComp { head, clauses } => {
                let mark = self.scope.len();
                self.clauses(clauses);
                self.head_scope(e.span, clauses);
                self.expr(head);
                self.scope.truncate(mark);
            }
            ExprKind::RecordComp(comp) => {
                let mark = self.scope.len();
                self.clauses(&comp.clauses);
                self.head_scope(e.span, &comp.clauses);
                if let Key::Str(lit, _) = &comp.key {
                    self.string(lit);
                }
                self.expr(&comp.value);
                self.scope.truncate(mark);
            }
            _ => fgl_syntax::walk::for_each_child(e, &mut |child| self.expr(child)),
        }
    }

    fn string(&mut self, lit: &ast::StrLit) {
        for part in &lit.parts {
            if let ast::StrPart::Interp(e) = part {
                self.expr(e);
            }
        }
    }

    /// The head of a comprehension sees its variables: a cursor in the comprehension but in
    /// none of its clauses is in the head (whose broken text may have no span there).
    fn head_scope(&mut self, span: Span, clauses: &[CompClause]) {
        let Some(cursor) = self.cursor else { return };
        let in_clause = clauses.iter().any(|c| match c {
            CompClause::For { span, .. } | CompClause::If { span, .. } => contains(*span, cursor),
        });
        if !in_clause {
            self.here(span);
        }
    }

    fn clauses(&mut self, clauses: &[CompClause]) {
        for clause in clauses {
            match clause {
                CompClause::For { vars, iter, .. } => {
                    self.expr(iter);
                    for v in vars {
                        self.bind(v);
                    }
                }
                CompClause::If { cond, .. } => self.expr(cond),
            }
        }
    }

    /// `S` or `m.S` of an instantiation.
    fn schema_name(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Name(ident) => {
                if self
                    .model
                    .decls()
                    .lookup(self.module, &ident.name)
                    .is_some()
                {
                    let t = self.item_target(self.module, &ident.name);
                    self.push(ident.span, t, false);
                }
            }
            ExprKind::Field { base, name } => {
                if let ExprKind::Name(m) = &base.kind {
                    if let Some(t) = self.lookup(&m.name) {
                        self.push(m.span, t, false);
                    }
                    if let Some(target) = self.import(&m.name) {
                        if self.model.decls().lookup(target, &name.name).is_some() {
                            let t = self.item_target(target, &name.name);
                            self.push(name.span, t, false);
                        }
                    }
                }
            }
            ExprKind::Paren(inner) => self.schema_name(inner),
            _ => self.expr(e),
        }
    }

    fn record_fields(&mut self, schema: Option<SchemaId>, fields: &[ast::RecordField]) {
        for field in fields {
            self.here(field.span);
            let mut owner = schema;
            for key in &field.path {
                let Some(id) = owner else { break };
                let Key::Ident(ident) = key else { break };
                let info = self.model.decls().schema(id);
                let Some(f) = info.field(&ident.name) else {
                    break;
                };
                owner = schema_of(&f.ty);
                let t = Target::Field {
                    schema: id,
                    name: ident.name.clone(),
                };
                self.push(ident.span, t, false);
            }
            for key in &field.path {
                if let Key::Str(lit, _) = key {
                    self.string(lit);
                }
            }
            self.expr(&field.value);
        }
    }

    fn ty(&mut self, ty: &ast::Type) {
        match &ty.kind {
            TypeKind::Name(path) | TypeKind::Apply { name: path, .. } => {
                match path.as_slice() {
                    [name] if self.model.decls().lookup(self.module, &name.name).is_some() => {
                        let t = self.item_target(self.module, &name.name);
                        self.push(name.span, t, false);
                    }
                    [m, name] => {
                        if self.model.decls().lookup(self.module, &m.name).is_some() {
                            let t = self.item_target(self.module, &m.name);
                            self.push(m.span, t, false);
                        }
                        if let Some(target) = self.import(&m.name) {
                            if self.model.decls().lookup(target, &name.name).is_some() {
                                let t = self.item_target(target, &name.name);
                                self.push(name.span, t, false);
                            }
                        }
                    }
                    _ => {}
                }
                if let TypeKind::Apply { args, .. } = &ty.kind {
                    args.iter().for_each(|a| self.ty(a));
                }
            }
            TypeKind::Record(fields) => fields.iter().for_each(|f| self.ty(&f.ty)),
            TypeKind::Optional(inner) | TypeKind::Paren(inner) => self.ty(inner),
            TypeKind::Union(members) => members.iter().for_each(|m| self.ty(m)),
            TypeKind::Fn { params, ret } => {
                params.iter().for_each(|p| self.ty(p));
                self.ty(ret);
            }
            TypeKind::Range { .. } | TypeKind::Literal(_) | TypeKind::Error => {}
        }
    }
}
