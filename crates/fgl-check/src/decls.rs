//! Module-level declarations of every module of a program: what each top-level name is, the
//! schemas with their resolved field types, and type aliases. Shared by the type checker and
//! the evaluator, which both need to resolve type annotations the same way.
//!
//! A module has one namespace: bindings, `let`s, params, type aliases, schemas and imports may
//! not share a name. Built-in types (`Int String Bool Null List Map`) and built-in functions are
//! looked up after the module's own names.

use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;

use fgl_syntax::ast::{self, ItemKind, SchemaEntry, SchemaKind, TypeKind};
use fgl_syntax::{codes, Diagnostic, Span};

use crate::loader::{ModuleId, Program};
use crate::suggest;
use crate::ty::{FieldTy, FnTy, Lit, ParamTy, RecordTy, Ty};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SchemaId(pub u32);

impl SchemaId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// What a module-level name stands for. `item` indexes the module's `ast.items`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decl {
    /// `name = …` (public; `stack` is one too).
    Binding {
        item: usize,
    },
    /// `let name = …` (private).
    Let {
        item: usize,
    },
    Param {
        item: usize,
    },
    TypeAlias {
        item: usize,
    },
    Schema(SchemaId),
    /// `index` into the module's `imports`.
    Import {
        index: usize,
    },
}

impl Decl {
    /// Whether the name denotes a value (rather than a type).
    pub fn is_value(self) -> bool {
        matches!(
            self,
            Decl::Binding { .. } | Decl::Let { .. } | Decl::Param { .. } | Decl::Import { .. }
        )
    }
}

#[derive(Debug, Default)]
pub struct ModuleDecls {
    /// Every top-level name, with the span of its name.
    pub names: HashMap<String, (Decl, Span)>,
}

#[derive(Debug)]
pub struct SchemaInfo<'p> {
    pub id: SchemaId,
    pub module: ModuleId,
    pub item: usize,
    pub name: String,
    /// How messages name it: `Probe` in the root module, `aws.Container` from `std/aws`.
    pub display_name: String,
    pub kind: SchemaKind,
    /// The standard library's `aws.Secret`: may flow only into fields typed Secret.
    pub is_secret: bool,
    pub fields: Vec<FieldInfo<'p>>,
    pub ast: &'p ast::Schema,
}

impl SchemaInfo<'_> {
    pub fn field(&self, name: &str) -> Option<&FieldInfo<'_>> {
        self.fields.iter().find(|f| f.name == name)
    }

    pub fn is_resource(&self) -> bool {
        self.kind == SchemaKind::Resource
    }

    /// The checks, in declaration order.
    pub fn checks(&self) -> impl Iterator<Item = (&ast::Check, Span)> {
        self.ast.entries.iter().filter_map(|e| match e {
            SchemaEntry::Check(check, span) => Some((check, *span)),
            _ => None,
        })
    }
}

#[derive(Debug)]
pub struct FieldInfo<'p> {
    pub name: String,
    pub ty: Ty,
    pub default: Option<&'p ast::Expr>,
    pub ast: &'p ast::SchemaField,
}

impl FieldInfo<'_> {
    /// Must be set: no default and a type that does not admit null.
    pub fn is_required(&self) -> bool {
        self.default.is_none() && !self.ty.admits_null()
    }
}

/// Built-in type names.
pub const BUILTIN_TYPES: &[&str] = &["Int", "String", "Bool", "Null", "List", "Map"];

pub struct Decls<'p> {
    pub program: &'p Program,
    /// Indexed by `ModuleId`.
    pub modules: Vec<ModuleDecls>,
    /// Indexed by `SchemaId`.
    pub schemas: Vec<SchemaInfo<'p>>,
    /// Resolved type aliases, by module and item.
    aliases: HashMap<(ModuleId, usize), Ty>,
}

impl std::fmt::Debug for Decls<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Decls")
            .field("modules", &self.modules)
            .field("schemas", &self.schemas)
            .finish_non_exhaustive()
    }
}

/// Collects the declarations of every module, reporting duplicate names, unknown type names,
/// and cycles between type aliases.
pub fn collect(program: &Program) -> (Decls<'_>, Vec<Diagnostic>) {
    let mut decls = Decls {
        program,
        modules: Vec::with_capacity(program.modules.len()),
        schemas: Vec::new(),
        aliases: HashMap::default(),
    };
    let mut diagnostics = Vec::new();
    for module in &program.modules {
        let scope = decls.collect_names(module.id, &mut diagnostics);
        decls.modules.push(scope);
    }
    let mut resolver = AliasResolver::default();
    for module in &program.modules {
        for (item, it) in module.ast.items.iter().enumerate() {
            if matches!(it.kind, ItemKind::TypeAlias(_)) {
                resolver.resolve(&mut decls, module.id, item, &mut diagnostics);
            }
        }
    }
    for index in 0..decls.schemas.len() {
        let (module, schema) = (decls.schemas[index].module, decls.schemas[index].ast);
        let mut fields = Vec::new();
        let mut seen: HashMap<&str, Span> = HashMap::default();
        for entry in &schema.entries {
            let SchemaEntry::Field(field) = entry else {
                continue;
            };
            if let Some(first) = seen.insert(&field.name.name, field.name.span) {
                diagnostics.push(duplicate_field(&field.name, first));
                continue;
            }
            let ty = decls.resolve_type(module, &field.ty, &mut diagnostics);
            fields.push(FieldInfo {
                name: field.name.name.clone(),
                ty,
                default: field.default.as_ref(),
                ast: field,
            });
        }
        decls.schemas[index].fields = fields;
    }
    (decls, diagnostics)
}

pub fn duplicate_field(name: &ast::Ident, first: Span) -> Diagnostic {
    Diagnostic::error(
        codes::DUPLICATE_FIELD,
        name.span,
        format!("the field `{}` is declared twice", name.name),
    )
    .with_primary_message("declared again here")
    .with_label(first, "first declared here")
}

impl<'p> Decls<'p> {
    pub fn schema(&self, id: SchemaId) -> &SchemaInfo<'p> {
        &self.schemas[id.index()]
    }

    pub fn lookup(&self, module: ModuleId, name: &str) -> Option<Decl> {
        self.modules[module.index()]
            .names
            .get(name)
            .map(|(d, _)| *d)
    }

    /// The resolved type of a `type` alias item.
    pub fn alias(&self, module: ModuleId, item: usize) -> Ty {
        self.aliases
            .get(&(module, item))
            .cloned()
            .unwrap_or(Ty::Unknown)
    }

    /// How messages name a module: `std/aws`, or the file name.
    pub fn module_display_name(&self, id: ModuleId) -> String {
        let file = self.program.file(self.program.module(id).file);
        match file.name.strip_prefix("<std>/") {
            Some(rest) => format!("std/{}", rest.trim_end_matches(".fgl")),
            None => file.name.clone(),
        }
    }

    /// The module an import item of `module` leads to.
    pub fn import_target(&self, module: ModuleId, index: usize) -> Option<ModuleId> {
        self.program.module(module).imports[index].target
    }

    fn collect_names(&mut self, id: ModuleId, diagnostics: &mut Vec<Diagnostic>) -> ModuleDecls {
        let program = self.program;
        let module = program.module(id);
        let mut scope = ModuleDecls::default();
        let mut import_index = 0;
        for (item, it) in module.ast.items.iter().enumerate() {
            let (name, span, decl) = match &it.kind {
                ItemKind::Binding(b) => (&b.name.name, b.name.span, Decl::Binding { item }),
                ItemKind::Let(b) => (&b.name.name, b.name.span, Decl::Let { item }),
                ItemKind::Param(p) => (&p.name.name, p.name.span, Decl::Param { item }),
                ItemKind::TypeAlias(t) => (&t.name.name, t.name.span, Decl::TypeAlias { item }),
                ItemKind::Schema(s) => {
                    let sid = SchemaId(self.schemas.len() as u32);
                    let file = program.file(module.file);
                    let display_name = if id == Program::ROOT {
                        s.name.name.clone()
                    } else {
                        let stem = file
                            .name
                            .rsplit('/')
                            .next()
                            .unwrap_or_default()
                            .trim_end_matches(".fgl");
                        format!("{stem}.{}", s.name.name)
                    };
                    self.schemas.push(SchemaInfo {
                        id: sid,
                        module: id,
                        item,
                        name: s.name.name.clone(),
                        is_secret: file.is_std
                            && file.name == crate::stdlib::display_name("aws")
                            && s.name.name == "Secret",
                        display_name,
                        kind: s.kind,
                        fields: Vec::new(),
                        ast: s,
                    });
                    (&s.name.name, s.name.span, Decl::Schema(sid))
                }
                ItemKind::Import(_) => {
                    let index = import_index;
                    import_index += 1;
                    let import = &module.imports[index];
                    let Some(alias) = &import.alias else { continue };
                    (alias, import.alias_span, Decl::Import { index })
                }
                ItemKind::Check(_) | ItemKind::Error => continue,
            };
            if let Some((_, first)) = scope.names.get(name) {
                diagnostics.push(
                    Diagnostic::error(
                        codes::DUPLICATE_BINDING,
                        span,
                        format!("`{name}` is defined twice in this module"),
                    )
                    .with_primary_message("defined again here")
                    .with_label(*first, "first defined here")
                    .with_help("a module has one namespace for bindings, types, schemas and imports; rename one"),
                );
                continue;
            }
            if BUILTIN_TYPES.contains(&name.as_str()) {
                diagnostics.push(
                    Diagnostic::error(
                        codes::DUPLICATE_BINDING,
                        span,
                        format!("`{name}` is a built-in type and cannot be redefined"),
                    )
                    .with_primary_message("redefines a built-in type"),
                );
                continue;
            }
            scope.names.insert(name.clone(), (decl, span));
        }
        scope
    }

    /// Resolves a type annotation written in `module`. Unknown names are reported (with a
    /// suggestion) and become [`Ty::Unknown`].
    pub fn resolve_type(
        &self,
        module: ModuleId,
        ty: &ast::Type,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Ty {
        match &ty.kind {
            TypeKind::Name(path) => self.resolve_type_name(module, path, ty.span, diagnostics),
            TypeKind::Apply { name, args } => {
                let base = name.iter().map(|i| i.name.as_str()).collect::<Vec<_>>();
                match base.as_slice() {
                    ["List"] | ["Map"] => {
                        if args.len() != 1 {
                            diagnostics.push(
                                Diagnostic::error(
                                    codes::WRONG_ARITY,
                                    ty.span,
                                    format!(
                                        "`{}` takes one type argument, found {}",
                                        base[0],
                                        args.len()
                                    ),
                                )
                                .with_help(format!("write `{}[T]`", base[0])),
                            );
                        }
                        let elem = args
                            .first()
                            .map(|a| self.resolve_type(module, a, diagnostics))
                            .unwrap_or(Ty::Unknown);
                        if base[0] == "List" {
                            Ty::list(elem)
                        } else {
                            Ty::map(elem)
                        }
                    }
                    _ => {
                        let span = name
                            .first()
                            .map(|f| f.span.to(name.last().map_or(f.span, |l| l.span)))
                            .unwrap_or(ty.span);
                        diagnostics.push(
                            Diagnostic::error(
                                codes::WRONG_KIND_OF_NAME,
                                span,
                                format!("`{}` takes no type arguments", base.join(".")),
                            )
                            .with_help("only `List[T]` and `Map[T]` take type arguments"),
                        );
                        Ty::Unknown
                    }
                }
            }
            TypeKind::Record(fields) => {
                let mut out = Vec::with_capacity(fields.len());
                let mut seen: HashMap<&str, Span> = HashMap::default();
                for field in fields {
                    if let Some(first) = seen.insert(&field.name.name, field.name.span) {
                        diagnostics.push(duplicate_field(&field.name, first));
                        continue;
                    }
                    out.push(FieldTy {
                        name: field.name.name.clone(),
                        ty: self.resolve_type(module, &field.ty, diagnostics),
                        optional: field.optional,
                    });
                }
                Ty::Record(Rc::new(RecordTy { fields: out }))
            }
            TypeKind::Optional(inner) => {
                Ty::optional(self.resolve_type(module, inner, diagnostics))
            }
            TypeKind::Range { lo, hi } => {
                if lo > hi {
                    diagnostics.push(
                        Diagnostic::error(
                            codes::TYPE_MISMATCH,
                            ty.span,
                            format!("the range {lo}..{hi} is empty"),
                        )
                        .with_help(format!("write the lower bound first: {hi}..{lo}")),
                    );
                    return Ty::Unknown;
                }
                Ty::Range(*lo, *hi)
            }
            TypeKind::Literal(lit) => Ty::Lits(vec![lit_of(lit)]),
            TypeKind::Union(members) => {
                let tys: Vec<Ty> = members
                    .iter()
                    .map(|m| self.resolve_type(module, m, diagnostics))
                    .collect();
                union_of(tys)
            }
            TypeKind::Fn { params, ret } => Ty::Fn(Rc::new(FnTy {
                params: params
                    .iter()
                    .map(|p| ParamTy {
                        name: None,
                        ty: self.resolve_type(module, p, diagnostics),
                        has_default: false,
                    })
                    .collect(),
                ret: self.resolve_type(module, ret, diagnostics),
            })),
            TypeKind::Paren(inner) => self.resolve_type(module, inner, diagnostics),
            TypeKind::Error => Ty::Unknown,
        }
    }

    fn resolve_type_name(
        &self,
        module: ModuleId,
        path: &[ast::Ident],
        span: Span,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Ty {
        let Some((first, rest)) = path.split_first() else {
            return Ty::Unknown;
        };
        match self.lookup(module, &first.name) {
            Some(Decl::Import { index }) => {
                let Some(target) = self.import_target(module, index) else {
                    return Ty::Unknown; // the import was reported
                };
                let Some((member, more)) = rest.split_first() else {
                    diagnostics.push(
                        Diagnostic::error(
                            codes::WRONG_KIND_OF_NAME,
                            span,
                            format!("`{}` is a module, not a type", first.name),
                        )
                        .with_help(format!("name a type of the module: `{}.Name`", first.name)),
                    );
                    return Ty::Unknown;
                };
                if !more.is_empty() {
                    diagnostics.push(Diagnostic::error(
                        codes::WRONG_KIND_OF_NAME,
                        span,
                        "a type name has at most two parts: `module.Type`",
                    ));
                    return Ty::Unknown;
                }
                match self.lookup(target, &member.name) {
                    Some(Decl::Schema(id)) => Ty::Schema(id),
                    Some(Decl::TypeAlias { item }) => self.alias(target, item),
                    Some(_) => {
                        diagnostics.push(not_a_type(member, "a value"));
                        Ty::Unknown
                    }
                    None => {
                        diagnostics.push(self.unknown_type(target, member, true));
                        Ty::Unknown
                    }
                }
            }
            Some(decl) if !rest.is_empty() => {
                let _ = decl;
                diagnostics.push(Diagnostic::error(
                    codes::WRONG_KIND_OF_NAME,
                    first.span,
                    format!("`{}` is not a module", first.name),
                ));
                Ty::Unknown
            }
            Some(Decl::Schema(id)) => Ty::Schema(id),
            Some(Decl::TypeAlias { item }) => self.alias(module, item),
            Some(_) => {
                diagnostics.push(not_a_type(first, "a value"));
                Ty::Unknown
            }
            None => match (first.name.as_str(), rest.is_empty()) {
                ("Int", true) => Ty::Int,
                ("String", true) => Ty::String,
                ("Bool", true) => Ty::Bool,
                ("Null", true) => Ty::Null,
                ("List" | "Map", true) => {
                    diagnostics.push(
                        Diagnostic::error(
                            codes::WRONG_ARITY,
                            span,
                            format!("`{}` needs an element type", first.name),
                        )
                        .with_help(format!(
                            "write `{}[T]`, e.g. `{}[String]`",
                            first.name, first.name
                        )),
                    );
                    Ty::Unknown
                }
                _ => {
                    diagnostics.push(self.unknown_type(module, first, false));
                    Ty::Unknown
                }
            },
        }
    }

    /// Type names visible in `module`: its aliases and schemas (plus the built-ins, unless
    /// `member` asks about a module's members only).
    pub fn type_names(&self, module: ModuleId, member: bool) -> Vec<&str> {
        let mut names: Vec<&str> = self.modules[module.index()]
            .names
            .iter()
            .filter(|(_, (d, _))| {
                matches!(
                    d,
                    Decl::Schema(_) | Decl::TypeAlias { .. } | Decl::Import { .. }
                )
            })
            .filter(|(_, (d, _))| !member || !matches!(d, Decl::Import { .. }))
            .map(|(n, _)| n.as_str())
            .collect();
        if !member {
            names.extend(BUILTIN_TYPES);
        }
        names.sort_unstable();
        names
    }

    fn unknown_type(&self, module: ModuleId, name: &ast::Ident, member: bool) -> Diagnostic {
        let candidates = self.type_names(module, member);
        let mut diag = if member {
            Diagnostic::error(
                codes::UNKNOWN_NAME,
                name.span,
                format!(
                    "module {} has no type `{}`",
                    self.module_display_name(module),
                    name.name
                ),
            )
        } else {
            Diagnostic::error(
                codes::UNKNOWN_NAME,
                name.span,
                format!("unknown type `{}`", name.name),
            )
        }
        .with_primary_message("not a known type");
        if let Some(close) = suggest::closest(&name.name, candidates.iter().copied()) {
            diag = diag.with_help(format!("did you mean `{close}`?"));
        } else if member && !candidates.is_empty() {
            diag = diag.with_help(format!("its types are {}", suggest::list(&candidates)));
        }
        diag
    }
}

fn not_a_type(name: &ast::Ident, what: &str) -> Diagnostic {
    Diagnostic::error(
        codes::WRONG_KIND_OF_NAME,
        name.span,
        format!("`{}` is {what}, not a type", name.name),
    )
    .with_primary_message("expected a type")
}

pub fn lit_of(lit: &ast::Literal) -> Lit {
    match lit {
        ast::Literal::Int(n) => Lit::Int(*n),
        ast::Literal::Str(s) => Lit::Str(s.as_str().into()),
        ast::Literal::Bool(b) => Lit::Bool(*b),
        ast::Literal::Null => Lit::Null,
    }
}

/// The union of written types: literals merge into one [`Ty::Lits`]; `T | null` is `T?`.
pub fn union_of(tys: Vec<Ty>) -> Ty {
    if tys.iter().any(|t| matches!(t, Ty::Unknown)) {
        return Ty::Unknown;
    }
    let mut lits: Vec<Lit> = Vec::new();
    let mut others: Vec<Ty> = Vec::new();
    let mut nullable = false;
    for ty in tys {
        match ty {
            Ty::Lits(ls) => {
                for l in ls {
                    if l == Lit::Null {
                        nullable = true;
                    } else if !lits.contains(&l) {
                        lits.push(l);
                    }
                }
            }
            Ty::Null => nullable = true,
            Ty::Optional(inner) => {
                nullable = true;
                others.push(*inner);
            }
            other => {
                if !others.contains(&other) {
                    others.push(other)
                }
            }
        }
    }
    let mut members = others;
    if !lits.is_empty() {
        members.push(Ty::Lits(lits));
    }
    let base = match members.len() {
        0 => return Ty::Null,
        1 => members.pop().unwrap_or(Ty::Unknown),
        _ => Ty::Union(members),
    };
    if nullable {
        Ty::optional(base)
    } else {
        base
    }
}

/// Resolves type aliases in dependency order, reporting cycles with the whole chain.
#[derive(Default)]
struct AliasResolver {
    in_progress: Vec<(ModuleId, usize)>,
}

impl AliasResolver {
    fn resolve(
        &mut self,
        decls: &mut Decls<'_>,
        module: ModuleId,
        item: usize,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Ty {
        if let Some(ty) = decls.aliases.get(&(module, item)) {
            return ty.clone();
        }
        let program = decls.program;
        let ItemKind::TypeAlias(alias) = &program.module(module).ast.items[item].kind else {
            return Ty::Unknown;
        };
        if let Some(pos) = self.in_progress.iter().position(|k| *k == (module, item)) {
            let names: Vec<String> = self.in_progress[pos..]
                .iter()
                .chain(std::iter::once(&(module, item)))
                .map(|(m, i)| match &program.module(*m).ast.items[*i].kind {
                    ItemKind::TypeAlias(a) => a.name.name.clone(),
                    _ => String::new(),
                })
                .collect();
            diagnostics.push(
                Diagnostic::error(
                    codes::CYCLE,
                    alias.name.span,
                    format!(
                        "the type `{}` is defined in terms of itself: {}",
                        alias.name.name,
                        names.join(" → ")
                    ),
                )
                .with_help("a type alias cannot refer to itself; use a schema for recursive data"),
            );
            for key in &self.in_progress[pos..] {
                decls.aliases.insert(*key, Ty::Unknown);
            }
            return Ty::Unknown;
        }
        // Resolve the aliases this one mentions first, so `resolve_type` finds them.
        self.in_progress.push((module, item));
        let mut deps = Vec::new();
        alias_refs(decls, module, &alias.ty, &mut deps);
        for (m, i) in deps {
            self.resolve(decls, m, i, diagnostics);
        }
        self.in_progress.pop();
        if let Some(ty) = decls.aliases.get(&(module, item)) {
            return ty.clone(); // set to Unknown by a cycle found below us
        }
        let ty = decls.resolve_type(module, &alias.ty, diagnostics);
        decls.aliases.insert((module, item), ty.clone());
        ty
    }
}

/// The type aliases a type expression names directly.
fn alias_refs(
    decls: &Decls<'_>,
    module: ModuleId,
    ty: &ast::Type,
    out: &mut Vec<(ModuleId, usize)>,
) {
    match &ty.kind {
        TypeKind::Name(path) => {
            let names: Vec<&str> = path.iter().map(|i| i.name.as_str()).collect();
            match names.as_slice() {
                [name] => {
                    if let Some(Decl::TypeAlias { item }) = decls.lookup(module, name) {
                        out.push((module, item));
                    }
                }
                [m, name] => {
                    if let Some(Decl::Import { index }) = decls.lookup(module, m) {
                        if let Some(target) = decls.import_target(module, index) {
                            if let Some(Decl::TypeAlias { item }) = decls.lookup(target, name) {
                                out.push((target, item));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        TypeKind::Apply { args, .. } => args.iter().for_each(|a| alias_refs(decls, module, a, out)),
        TypeKind::Record(fields) => fields
            .iter()
            .for_each(|f| alias_refs(decls, module, &f.ty, out)),
        TypeKind::Optional(inner) | TypeKind::Paren(inner) => alias_refs(decls, module, inner, out),
        TypeKind::Union(members) => members
            .iter()
            .for_each(|m| alias_refs(decls, module, m, out)),
        TypeKind::Fn { params, ret } => {
            params
                .iter()
                .for_each(|p| alias_refs(decls, module, p, out));
            alias_refs(decls, module, ret, out);
        }
        TypeKind::Range { .. } | TypeKind::Literal(_) | TypeKind::Error => {}
    }
}
