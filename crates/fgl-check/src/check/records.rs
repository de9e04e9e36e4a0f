//! Record literals (with nested keys), schema instantiation, field access and `//`.
//!
//! A record literal is checked against what its place expects: a schema (it is instantiated
//! there), a record type, or a map, field by field, so that each mistake points at its own
//! field. Nested keys (`a.b = 1`) are grouped under their first key first: `a.b = 1, a.c = 2`
//! sets `a` to `{ b = 1, c = 2 }`; setting `a` and also `a.b` is a duplicate.

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::rc::Rc;

use fgl_syntax::ast::{Expr, ExprKind, Ident, Key, RecordField, StrLit};
use fgl_syntax::{codes, Diagnostic, Span};

use super::fits;
use super::{Checker, Expect, Origin};
use crate::decls::{Decl, SchemaId};
use crate::suggest;
use crate::ty::{FieldTy, RecordTy, Ty};

/// How many field names an "its fields are …" help lists at most.
const MAX_LISTED: usize = 24;

/// One `path = value` entry, with the part of the path not yet consumed.
#[derive(Clone, Copy)]
pub(crate) struct Entry<'p> {
    path: &'p [Key],
    value: &'p Expr,
}

enum KeyName<'p> {
    Static(Cow<'p, str>),
    /// `"${k}" = …`: known only when evaluated.
    Dynamic(&'p StrLit),
}

enum Body<'p> {
    Value(&'p Expr),
    /// The entries below a nested key (`a.b = 1, a.c = 2` → `b = 1, c = 2` under `a`).
    Nested(Vec<Entry<'p>>),
}

struct Group<'p> {
    name: KeyName<'p>,
    key_span: Span,
    body: Body<'p>,
}

/// A field a record must (or may) have: from a schema or a record type.
struct Spec<'t> {
    name: &'t str,
    ty: &'t Ty,
    required: bool,
    origin: Origin<'t>,
}

impl<'p> Checker<'_, 'p> {
    pub(crate) fn record(
        &mut self,
        fields: &'p [RecordField],
        exp: Option<Expect<'_>>,
        span: Span,
    ) -> Ty {
        let entries: Vec<Entry<'p>> = fields
            .iter()
            .map(|f| Entry {
                path: &f.path,
                value: &f.value,
            })
            .collect();
        self.entries(entries, exp, span)
    }

    /// Groups entries by their first key, reporting keys set twice (E0208).
    fn group(&mut self, entries: Vec<Entry<'p>>) -> Vec<Group<'p>> {
        let mut groups: Vec<Group<'p>> = Vec::with_capacity(entries.len());
        let mut index: HashMap<Cow<'p, str>, usize> =
            HashMap::with_capacity_and_hasher(entries.len(), Default::default());
        for entry in entries {
            let Some((first, rest)) = entry.path.split_first() else {
                continue;
            };
            let name = match first {
                Key::Ident(ident) => KeyName::Static(Cow::Borrowed(ident.name.as_str())),
                Key::Str(lit, _) => match lit.as_plain() {
                    Some(text) => KeyName::Static(Cow::Owned(text)),
                    None => KeyName::Dynamic(lit),
                },
            };
            let nested = || Entry {
                path: rest,
                value: entry.value,
            };
            if let KeyName::Static(name) = &name {
                if let Some(&at) = index.get(name) {
                    let previous = &mut groups[at];
                    match (&mut previous.body, rest.is_empty()) {
                        (Body::Nested(list), false) => list.push(nested()),
                        _ => {
                            let diag = Diagnostic::error(
                                codes::DUPLICATE_FIELD,
                                first.span(),
                                format!("the field `{name}` is set twice"),
                            )
                            .with_primary_message("set again here")
                            .with_label(previous.key_span, "first set here");
                            let diag = if matches!(previous.body, Body::Nested(_))
                                || !rest.is_empty()
                            {
                                diag.with_help(format!(
                                    "set `{name}` once: either `{name} = {{ … }}` or through nested keys `{name}.x = …`"
                                ))
                            } else {
                                diag
                            };
                            self.error(diag);
                            // Still check the value, for the errors inside it.
                            self.check_expr(entry.value, None);
                        }
                    }
                    continue;
                }
                index.insert(name.clone(), groups.len());
            }
            let body = if rest.is_empty() {
                Body::Value(entry.value)
            } else {
                Body::Nested(vec![nested()])
            };
            groups.push(Group {
                name,
                key_span: first.span(),
                body,
            });
        }
        groups
    }

    fn group_value(&mut self, group: Group<'p>, exp: Option<Expect<'_>>) -> Ty {
        if let KeyName::Dynamic(lit) = group.name {
            self.interpolations(lit);
        }
        match group.body {
            Body::Value(e) => self.check_expr(e, exp),
            Body::Nested(entries) => self.entries(entries, exp, group.key_span),
        }
    }

    /// A record literal (or the entries under a nested key) against what its place expects.
    fn entries(&mut self, entries: Vec<Entry<'p>>, exp: Option<Expect<'_>>, span: Span) -> Ty {
        let groups = self.group(entries);
        let Some(exp) = exp else {
            return self.infer_groups(groups);
        };
        let target: &Ty = match exp.ty {
            Ty::Optional(inner) => inner,
            other => other,
        };
        match target {
            Ty::Schema(id) if !self.decls.schema(*id).is_resource() => {
                self.entries_grouped(groups, Expect::new(target, exp.origin), span)
            }
            Ty::Record(_) | Ty::Map(_) => {
                self.entries_grouped(groups, Expect::new(target, exp.origin), span)
            }
            Ty::Union(members) => {
                let mut candidates = members.iter().filter(|m| {
                    matches!(m, Ty::Record(_) | Ty::Map(_))
                        || matches!(m, Ty::Schema(id) if !self.decls.schema(*id).is_resource())
                });
                match (candidates.next(), candidates.next()) {
                    (Some(only), None) => {
                        let only = only.clone();
                        self.entries_grouped(groups, Expect::new(&only, exp.origin), span)
                    }
                    _ => {
                        let found = self.infer_groups(groups);
                        self.require(found, Some(exp), span)
                    }
                }
            }
            _ => {
                let found = self.infer_groups(groups);
                self.require(found, Some(exp), span)
            }
        }
    }

    /// Like [`Self::entries`], for entries grouped already (a union picked one member).
    fn entries_grouped(&mut self, groups: Vec<Group<'p>>, exp: Expect<'_>, span: Span) -> Ty {
        match exp.ty {
            Ty::Schema(id) => {
                self.against_schema(groups, *id, span, false);
                Ty::Schema(*id)
            }
            Ty::Record(record) => {
                let specs: Vec<Spec<'_>> = record
                    .fields
                    .iter()
                    .map(|f| Spec {
                        name: &f.name,
                        ty: &f.ty,
                        required: !f.optional && !f.ty.admits_null(),
                        origin: exp.origin,
                    })
                    .collect();
                self.against_specs(groups, &specs, "the record type", span, false);
                exp.ty.clone()
            }
            Ty::Map(elem) => {
                let elem_exp = Expect::new(elem, exp.origin).known();
                for group in groups {
                    self.group_value(group, elem_exp);
                }
                exp.ty.clone()
            }
            _ => self.infer_groups(groups),
        }
    }

    /// The type of a record literal on its own: a record type, or a Map when a key is
    /// computed.
    fn infer_groups(&mut self, groups: Vec<Group<'p>>) -> Ty {
        let dynamic = groups.iter().any(|g| matches!(g.name, KeyName::Dynamic(_)));
        if dynamic {
            let mut elem = Ty::Never;
            for group in groups {
                let ty = self.group_value(group, None);
                elem = fits::join(&elem, &ty, self.decls);
            }
            return Ty::map(elem);
        }
        let mut fields = Vec::with_capacity(groups.len());
        for group in groups {
            let name = match &group.name {
                KeyName::Static(name) => name.to_string(),
                KeyName::Dynamic(_) => String::new(),
            };
            let ty = self.group_value(group, None);
            fields.push(FieldTy {
                name,
                ty,
                optional: false,
            });
        }
        Ty::Record(Rc::new(RecordTy { fields }))
    }

    /// Fields given to schema `id`: unknown ones, type mismatches, and (unless `partial`, as
    /// for `schema_value // { … }`) missing required ones.
    fn against_schema(&mut self, groups: Vec<Group<'p>>, id: SchemaId, span: Span, partial: bool) {
        let decls = self.decls;
        let schema = decls.schema(id);
        let specs: Vec<Spec<'_>> = schema
            .fields
            .iter()
            .map(|f| Spec {
                name: &f.name,
                ty: &f.ty,
                required: f.is_required(),
                origin: Origin::Field {
                    name: &f.name,
                    span: f.ast.name.span.to(f.ast.ty.span),
                },
            })
            .collect();
        let owner = format!("`{}`", schema.display_name);
        self.against_specs(groups, &specs, &owner, span, partial);
    }

    fn against_specs(
        &mut self,
        groups: Vec<Group<'p>>,
        specs: &[Spec<'_>],
        owner: &str,
        span: Span,
        partial: bool,
    ) {
        let mut seen = vec![false; specs.len()];
        for group in groups {
            let name = match &group.name {
                KeyName::Static(name) => name.clone(),
                KeyName::Dynamic(_) => {
                    self.error(
                        Diagnostic::error(
                            codes::UNKNOWN_FIELD,
                            group.key_span,
                            format!(
                                "the fields of {owner} are fixed: a computed name cannot set one"
                            ),
                        )
                        .with_primary_message("computed field name"),
                    );
                    self.group_value(group, None);
                    continue;
                }
            };
            match specs.iter().position(|s| s.name == name) {
                Some(at) => {
                    seen[at] = true;
                    let spec = &specs[at];
                    self.group_value(group, Expect::new(spec.ty, spec.origin).known());
                }
                None => {
                    let names: Vec<&str> = specs.iter().map(|s| s.name).collect();
                    let diag = unknown_field(owner, &name, group.key_span, &names);
                    self.error(diag);
                    self.group_value(group, None);
                }
            }
        }
        if partial {
            return;
        }
        let missing: Vec<&str> = specs
            .iter()
            .zip(&seen)
            .filter(|(s, seen)| s.required && !**seen)
            .map(|(s, _)| s.name)
            .collect();
        if missing.is_empty() {
            return;
        }
        let list = suggest::list(&missing);
        let (message, help) = if missing.len() == 1 {
            (
                format!("missing required field {list} of {owner}"),
                format!("add `{} = …`", missing[0]),
            )
        } else {
            (
                format!("missing required fields {list} of {owner}"),
                format!(
                    "add {}",
                    missing
                        .iter()
                        .map(|m| format!("`{m} = …`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        };
        self.error(
            Diagnostic::error(codes::MISSING_FIELDS, span, message)
                .with_primary_message(format!("needs {list}"))
                .with_help(help),
        );
    }

    /// `S { … }` and `m.S { … }`.
    pub(crate) fn instantiate(&mut self, schema: &'p Expr, fields: &'p [RecordField]) -> Ty {
        let entries: Vec<Entry<'p>> = fields
            .iter()
            .map(|f| Entry {
                path: &f.path,
                value: &f.value,
            })
            .collect();
        let Some(id) = self.schema_named(schema) else {
            let groups = self.group(entries);
            self.infer_groups(groups);
            return Ty::Unknown;
        };
        let groups = self.group(entries);
        self.against_schema(groups, id, schema.span, false);
        Ty::Schema(id)
    }

    /// The schema an instantiation names, or None (reported).
    fn schema_named(&mut self, e: &'p Expr) -> Option<SchemaId> {
        match &e.kind {
            ExprKind::Name(ident) => {
                if self.local(&ident.name).is_some() {
                    self.not_a_schema(ident, "a local value");
                    return None;
                }
                self.schema_in(self.module, ident, false)
            }
            ExprKind::Field { base, name } => {
                let ExprKind::Name(m) = &base.kind else {
                    self.not_a_schema_span(e.span, "this expression");
                    return None;
                };
                if self.local(&m.name).is_some() {
                    self.not_a_schema(m, "a local value, not a module");
                    return None;
                }
                match self.decls.lookup(self.module, &m.name) {
                    Some(Decl::Import { index }) => {
                        let target = self.decls.import_target(self.module, index)?;
                        self.schema_in(target, name, true)
                    }
                    Some(_) => {
                        self.error(
                            Diagnostic::error(
                                codes::WRONG_KIND_OF_NAME,
                                m.span,
                                format!("`{}` is not a module", m.name),
                            )
                            .with_primary_message("expected an imported module")
                            .with_help("`m.Name { … }` instantiates the schema `Name` of the imported module `m`"),
                        );
                        None
                    }
                    None => {
                        self.name_type(m); // reports the unknown name
                        None
                    }
                }
            }
            ExprKind::Paren(inner) => self.schema_named(inner),
            ExprKind::Error => None,
            _ => {
                self.not_a_schema_span(e.span, "this expression");
                None
            }
        }
    }

    fn schema_in(
        &mut self,
        module: crate::loader::ModuleId,
        ident: &'p Ident,
        member: bool,
    ) -> Option<SchemaId> {
        match self.decls.lookup(module, &ident.name) {
            Some(Decl::Schema(id)) => Some(id),
            Some(Decl::TypeAlias { item }) => match self.decls.alias(module, item) {
                Ty::Schema(id) => Some(id),
                Ty::Unknown => None,
                other => {
                    let shown = self.show(&other);
                    self.not_a_schema(ident, &format!("a type alias for {shown}"));
                    None
                }
            },
            Some(Decl::Let { .. }) if member => {
                self.member(module, ident); // reports E0215
                None
            }
            Some(Decl::Import { .. }) => {
                self.error(
                    Diagnostic::error(
                        codes::WRONG_KIND_OF_NAME,
                        ident.span,
                        format!("`{}` is a module, not a schema", ident.name),
                    )
                    .with_primary_message("a module")
                    .with_help(format!(
                        "name one of its schemas: `{}.Name {{ … }}`",
                        ident.name
                    )),
                );
                None
            }
            Some(_) => {
                self.not_a_schema(ident, "a value");
                None
            }
            None => {
                let mut schemas: Vec<&str> = self.decls.modules[module.index()]
                    .names
                    .iter()
                    .filter(|(_, (d, _))| matches!(d, Decl::Schema(_)))
                    .map(|(n, _)| n.as_str())
                    .collect();
                schemas.sort_unstable();
                let message = if member {
                    format!(
                        "module {} has no schema `{}`",
                        self.decls.module_display_name(module),
                        ident.name
                    )
                } else {
                    format!("unknown schema `{}`", ident.name)
                };
                let mut diag = Diagnostic::error(codes::UNKNOWN_NAME, ident.span, message)
                    .with_primary_message("not defined");
                if let Some(close) = suggest::closest(&ident.name, schemas.iter().copied()) {
                    diag = diag.with_help(format!("did you mean `{close}`?"));
                } else if member && !schemas.is_empty() && schemas.len() <= MAX_LISTED {
                    diag = diag.with_help(format!("its schemas are {}", suggest::list(&schemas)));
                }
                self.error(diag);
                None
            }
        }
    }

    fn not_a_schema(&mut self, ident: &Ident, what: &str) {
        self.error(
            Diagnostic::error(
                codes::WRONG_KIND_OF_NAME,
                ident.span,
                format!("`{}` is {what}, not a schema", ident.name),
            )
            .with_primary_message("not a schema")
            .with_help(format!(
                "`Name {{ … }}` creates a value of the schema `Name`; to change a record, merge: `{} // {{ … }}`",
                ident.name
            )),
        );
    }

    fn not_a_schema_span(&mut self, span: Span, what: &str) {
        self.error(
            Diagnostic::error(
                codes::WRONG_KIND_OF_NAME,
                span,
                format!("{what} is not a schema"),
            )
            .with_primary_message("expected a schema name, such as `Probe` or `aws.Container`"),
        );
    }

    /// `base.name`
    pub(crate) fn field_access(&mut self, base: &'p Expr, name: &'p Ident) -> Ty {
        let ty = self.check_expr(base, None);
        match &ty {
            Ty::Unknown | Ty::Never => Ty::Unknown,
            Ty::Module(target) => self.member(*target, name),
            Ty::Record(record) => match record.field(&name.name) {
                Some(field) if field.optional => {
                    self.optional_reads.insert(name.span);
                    Ty::optional(field.ty.clone())
                }
                Some(field) => field.ty.clone(),
                None => {
                    let names: Vec<&str> = record.fields.iter().map(|f| f.name.as_str()).collect();
                    let diag = unknown_field("the record", &name.name, name.span, &names);
                    self.error(diag);
                    Ty::Unknown
                }
            },
            Ty::Schema(id) => {
                let schema = self.decls.schema(*id);
                match schema.field(&name.name) {
                    Some(field) => field.ty.clone(),
                    None => {
                        let names: Vec<&str> =
                            schema.fields.iter().map(|f| f.name.as_str()).collect();
                        let owner = format!("`{}`", schema.display_name);
                        let diag = unknown_field(&owner, &name.name, name.span, &names);
                        self.error(diag);
                        Ty::Unknown
                    }
                }
            }
            Ty::Map(elem) => (**elem).clone(),
            Ty::Optional(_) | Ty::Null => {
                let shown = self.show(&ty);
                self.error(
                    Diagnostic::error(
                        codes::TYPE_MISMATCH,
                        base.span,
                        format!(
                            "cannot read `.{}` of a value that may be null ({shown})",
                            name.name
                        ),
                    )
                    .with_primary_message(format!("this is {shown}"))
                    .with_help(format!(
                        "give a fallback first with `??`: `(x ?? default).{}`",
                        name.name
                    )),
                );
                Ty::Unknown
            }
            Ty::Union(members) => {
                // Every member must have the field; otherwise give up quietly (rare).
                let mut out = Ty::Never;
                for member in members {
                    let field = match member {
                        Ty::Record(r) => r.field(&name.name).map(|f| f.ty.clone()),
                        Ty::Schema(id) => self
                            .decls
                            .schema(*id)
                            .field(&name.name)
                            .map(|f| f.ty.clone()),
                        _ => None,
                    };
                    match field {
                        Some(t) => out = fits::join(&out, &t, self.decls),
                        None => return Ty::Unknown,
                    }
                }
                out
            }
            _ => {
                let shown = self.show(&fits::widen(&ty));
                self.error(
                    Diagnostic::error(
                        codes::UNKNOWN_FIELD,
                        name.span,
                        format!("{shown} has no field `{}`", name.name),
                    )
                    .with_primary_message("unknown field")
                    .with_label(base.span, format!("this is {shown}")),
                );
                Ty::Unknown
            }
        }
    }

    /// A map merged with a record (either way round): a map of the join of its elements and the
    /// record's field types.
    fn map_with_fields(&self, elem: &Ty, record: &RecordTy) -> Ty {
        let joined = record
            .fields
            .iter()
            .fold(elem.clone(), |out, f| fits::join(&out, &f.ty, self.decls));
        Ty::map(joined)
    }

    /// `a // b`: a shallow merge, right wins; into a schema value, the fields are re-checked.
    pub(crate) fn merge(&mut self, lhs: &'p Expr, rhs: &'p Expr) -> Ty {
        let l = self.check_expr(lhs, None);
        match &l {
            Ty::Schema(id) => {
                let mut inner = rhs;
                while let ExprKind::Paren(e) = &inner.kind {
                    inner = e;
                }
                if let ExprKind::Record(fields) = &inner.kind {
                    let entries = fields
                        .iter()
                        .map(|f| Entry {
                            path: &f.path,
                            value: &f.value,
                        })
                        .collect();
                    let groups = self.group(entries);
                    self.against_schema(groups, *id, inner.span, true);
                    return l;
                }
                let r = self.check_expr(rhs, None);
                match &r {
                    Ty::Schema(other) if other == id => {}
                    Ty::Record(_) => {
                        let schema = self.decls.schema(*id);
                        let want: Vec<FieldTy> = schema
                            .fields
                            .iter()
                            .map(|f| FieldTy {
                                name: f.name.clone(),
                                ty: f.ty.clone(),
                                optional: true,
                            })
                            .collect();
                        let want = Ty::Record(Rc::new(RecordTy { fields: want }));
                        self.require(r, Some(Expect::new(&want, Origin::None)), rhs.span);
                    }
                    Ty::Unknown | Ty::Never => {}
                    // A map's keys are known only when evaluated, so nothing could check that
                    // they name the schema's fields or that the values fit them.
                    Ty::Map(_) => self.mismatch_text(
                        "a record with plain keys",
                        &r,
                        rhs.span,
                        Some(
                            "a map's keys are known only when it is evaluated, so they cannot be \
                             checked against the schema's fields: merge a record that names them",
                        ),
                    ),
                    _ => self.mismatch_text("a record to merge into it", &r, rhs.span, None),
                }
                l
            }
            Ty::Record(left) => {
                let r = self.check_expr(rhs, None);
                match &r {
                    Ty::Record(right) => {
                        let mut fields: Vec<FieldTy> = left
                            .fields
                            .iter()
                            .filter(|f| right.field(&f.name).is_none())
                            .cloned()
                            .collect();
                        fields.extend(right.fields.iter().cloned());
                        Ty::Record(Rc::new(RecordTy { fields }))
                    }
                    Ty::Map(elem) => self.map_with_fields(elem, left),
                    Ty::Unknown | Ty::Never => Ty::Unknown,
                    _ => {
                        self.mismatch_text("a record to merge", &r, rhs.span, None);
                        Ty::Unknown
                    }
                }
            }
            Ty::Map(elem) => {
                let r = self.check_expr(rhs, None);
                match &r {
                    Ty::Map(other) => Ty::map(fits::join(elem, other, self.decls)),
                    Ty::Record(right) => self.map_with_fields(elem, right),
                    Ty::Unknown | Ty::Never => Ty::Unknown,
                    _ => {
                        self.mismatch_text("a record to merge", &r, rhs.span, None);
                        Ty::Unknown
                    }
                }
            }
            Ty::Unknown | Ty::Never => {
                self.check_expr(rhs, None);
                Ty::Unknown
            }
            _ => {
                self.mismatch_text("a record (`//` merges records)", &l, lhs.span, None);
                self.check_expr(rhs, None);
                Ty::Unknown
            }
        }
    }
}

/// E0201: `owner` has no field `name`; suggests a close name or lists the fields.
fn unknown_field(owner: &str, name: &str, span: Span, fields: &[&str]) -> Diagnostic {
    let mut diag = Diagnostic::error(
        codes::UNKNOWN_FIELD,
        span,
        format!("{owner} has no field `{name}`"),
    )
    .with_primary_message("unknown field");
    if let Some(close) = suggest::closest(name, fields.iter().copied()) {
        diag = diag.with_help(format!("did you mean `{close}`?"));
    } else if fields.is_empty() {
        diag = diag.with_help(format!("{owner} has no fields"));
    } else if fields.len() <= MAX_LISTED {
        diag = diag.with_help(format!("its fields are {}", suggest::list(fields)));
    }
    diag
}
