//! Which resources are deployed, under which logical ids, and the resource-free [`Data`] view
//! of values.
//!
//! Every resource reachable from the root's public bindings is deployed: a depth-first walk, in
//! source order, through records, lists, maps and plain schema values (not into resources: a
//! resource's fields only refer to others). Its id is the dotted path of the first binding
//! that reaches it. A resource referred to by a deployed one but never reached is E0307.

use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;

use fgl_check::Program;
use fgl_syntax::ast::ItemKind;
use fgl_syntax::{codes, Diagnostic};

use crate::eval::{Evaluator, R};
use crate::value::{Instance, Value};
use crate::{Data, FieldSpans, Nested, Resource};

/// Deployed resources by address, in the order found.
pub struct Collected<'a> {
    pub order: Vec<(String, Rc<Instance<'a>>)>,
    ids: HashMap<*const Instance<'a>, usize>,
    /// The first key on the path being walked that cannot be a step of a logical id.
    bad_key: Option<String>,
}

impl<'a> Collected<'a> {
    fn id(&self, inst: &Rc<Instance<'a>>) -> Option<&str> {
        self.ids
            .get(&Rc::as_ptr(inst))
            .map(|&i| self.order[i].0.as_str())
    }
}

impl<'a> Evaluator<'a> {
    /// Walks the public bindings (name, value), in source order.
    pub fn collect(&mut self, bindings: &[(String, Value<'a>)]) -> R<Collected<'a>> {
        let mut found = Collected {
            order: Vec::new(),
            ids: HashMap::default(),
            bad_key: None,
        };
        for (name, value) in bindings {
            let mut path = name.clone();
            self.walk(value, &mut path, &mut found)?;
        }
        self.check_references(&found)?;
        Ok(found)
    }

    fn walk(&mut self, v: &Value<'a>, path: &mut String, found: &mut Collected<'a>) -> R<()> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            match v {
                Value::Instance(inst) if self.decls.schema(inst.schema).is_resource() => {
                    let key = Rc::as_ptr(inst);
                    if !found.ids.contains_key(&key) {
                        if let Some(key) = &found.bad_key {
                            let diag = invalid_id(path, key, inst.span);
                            self.diags.push(diag);
                        }
                        found.ids.insert(key, found.order.len());
                        found.order.push((path.clone(), inst.clone()));
                    }
                }
                Value::Instance(inst) => {
                    let schema = self.decls.schema(inst.schema);
                    for (f, field) in schema.fields.iter().zip(inst.fields.iter()) {
                        self.walk_child(field, &f.name, path, found)?;
                    }
                }
                Value::Record(r) => {
                    for (name, field) in &r.fields {
                        self.walk_child(field, name, path, found)?;
                    }
                }
                Value::List(items) => {
                    for (i, item) in items.iter().enumerate() {
                        self.walk_child(item, &i.to_string(), path, found)?;
                    }
                }
                Value::Module(m) => {
                    for (name, field) in self.module_values(*m)? {
                        self.walk_child(&field, &name, path, found)?;
                    }
                }
                _ => {}
            }
            Ok(())
        })
    }

    fn walk_child(
        &mut self,
        v: &Value<'a>,
        name: &str,
        path: &mut String,
        found: &mut Collected<'a>,
    ) -> R<()> {
        // Scalars cannot hold resources: skip the path work.
        if !matches!(
            v,
            Value::Instance(_) | Value::Record(_) | Value::List(_) | Value::Module(_)
        ) {
            return Ok(());
        }
        let len = path.len();
        path.push('.');
        path.push_str(name);
        let first_bad = found.bad_key.is_none() && !valid_step(name);
        if first_bad {
            found.bad_key = Some(name.to_string());
        }
        let result = self.walk(v, path, found);
        if first_bad {
            found.bad_key = None;
        }
        path.truncate(len);
        result
    }

    /// The public bindings of a module, forced, in source order (a module value prints as
    /// the record of its exports).
    pub fn module_values(&mut self, m: fgl_check::ModuleId) -> R<Vec<(String, Value<'a>)>> {
        let program = self.program;
        let mut out = Vec::new();
        for (item, it) in program.module(m).ast.items.iter().enumerate() {
            if let ItemKind::Binding(b) = &it.kind {
                out.push((b.name.name.clone(), self.force(m, item, b.name.span)?));
            }
        }
        Ok(out)
    }

    /// E0307 for every resource that a deployed one refers to but no public binding reaches.
    fn check_references(&mut self, found: &Collected<'a>) -> R<()> {
        let mut reported: Vec<*const Instance<'a>> = Vec::new();
        let mut refs = Vec::new();
        for (id, inst) in &found.order {
            refs.clear();
            for field in &inst.fields {
                self.references(field, &mut refs);
            }
            for target in &refs {
                let key = Rc::as_ptr(target);
                if found.ids.contains_key(&key) || reported.contains(&key) {
                    continue;
                }
                reported.push(key);
                let diag = self.unreachable(id, inst, target);
                self.diags.push(diag);
            }
        }
        if reported.is_empty() {
            Ok(())
        } else {
            Err(crate::eval::Fail)
        }
    }

    /// The resources a value refers to (not looking into resources).
    fn references(&self, v: &Value<'a>, out: &mut Vec<Rc<Instance<'a>>>) {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || match v {
            Value::Instance(inst) if self.decls.schema(inst.schema).is_resource() => {
                out.push(inst.clone());
            }
            Value::Instance(inst) => inst.fields.iter().for_each(|f| self.references(f, out)),
            Value::Record(r) => r.fields.iter().for_each(|(_, f)| self.references(f, out)),
            Value::List(items) => items.iter().for_each(|f| self.references(f, out)),
            _ => {}
        })
    }

    /// The path of the field of `v` through which it refers to `target` (for messages).
    fn path_to(&self, v: &Value<'a>, target: &Rc<Instance<'a>>) -> Option<String> {
        let named: Vec<(String, Value<'a>)> = match v {
            Value::Instance(inst) if Rc::ptr_eq(inst, target) => return Some(String::new()),
            Value::Instance(inst) if !self.decls.schema(inst.schema).is_resource() => self
                .instance_fields(v)
                .into_iter()
                .map(|(k, v)| (k.to_string(), v))
                .collect(),
            Value::Record(r) => r
                .fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
            Value::List(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v.clone()))
                .collect(),
            _ => return None,
        };
        named.iter().find_map(|(name, field)| {
            let rest = self.path_to(field, target)?;
            Some(if rest.is_empty() {
                name.clone()
            } else {
                format!("{name}.{rest}")
            })
        })
    }

    fn unreachable(
        &self,
        user: &str,
        user_inst: &Rc<Instance<'a>>,
        target: &Rc<Instance<'a>>,
    ) -> Diagnostic {
        let field = self
            .instance_fields(&Value::Instance(user_inst.clone()))
            .iter()
            .find_map(|(name, v)| {
                let rest = self.path_to(v, target)?;
                Some(if rest.is_empty() {
                    name.to_string()
                } else {
                    format!("{}.{rest}", &**name)
                })
            })
            .unwrap_or_default();
        let kind = &self.decls.schema(target.schema).display_name;
        let mut diag = Diagnostic::error(
            codes::UNREACHABLE_RESOURCE,
            target.span,
            format!("this {kind} is used by `{user}` (in `{field}`) but is not reachable from a public binding"),
        )
        .with_primary_message("this resource would have no logical id")
        .with_label(user_inst.span, format!("`{user}` refers to it in `{field}`"));
        diag = match self.let_holding(target) {
            Some(name) => diag.with_help(format!(
                "make `let {name}` a public binding (`{name} = …`): its name becomes the resource's logical id"
            )),
            None => diag.with_help(
                "bind it to a public name (`name = …`, its logical id) and refer to it by that name",
            ),
        };
        diag
    }

    /// The root `let` whose (already computed) value is this resource, for the help.
    fn let_holding(&self, target: &Rc<Instance<'a>>) -> Option<String> {
        let root = self.program.root();
        root.ast
            .items
            .iter()
            .enumerate()
            .find_map(|(item, it)| match &it.kind {
                ItemKind::Let(b) => match self.computed(Program::ROOT, item) {
                    Some(Value::Instance(inst)) if Rc::ptr_eq(inst, target) => {
                        Some(b.name.name.clone())
                    }
                    _ => None,
                },
                _ => None,
            })
    }

    /// The resource-free view of a value: deployed resources as references by id.
    pub fn data(&mut self, v: &Value<'a>, found: &Collected<'a>) -> R<Data> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            Ok(match v {
                Value::Null => Data::Null,
                Value::Bool(b) => Data::Bool(*b),
                Value::Int(n) => Data::Int(*n),
                Value::Str(s) => Data::Str(s.to_string()),
                Value::List(items) => Data::List(
                    items
                        .iter()
                        .map(|item| self.data(item, found))
                        .collect::<R<_>>()?,
                ),
                Value::Record(r) => Data::Record(
                    r.fields
                        .iter()
                        .map(|(k, v)| Ok((k.to_string(), self.data(v, found)?)))
                        .collect::<R<_>>()?,
                ),
                Value::Instance(inst) => {
                    let schema = self.decls.schema(inst.schema);
                    if schema.is_resource() {
                        let Some(id) = found.id(inst) else {
                            return Err(self.internal(inst.span, "a resource without a logical id"));
                        };
                        if schema.is_secret {
                            Data::Secret(id.to_string())
                        } else {
                            Data::Ref(id.to_string())
                        }
                    } else {
                        Data::Record(self.instance_data(inst, found)?)
                    }
                }
                Value::Closure(c) => Data::Fn(self.fn_type(c)),
                Value::Builtin(b) => Data::Fn(format!("builtin {}", b.name())),
                Value::Module(m) => {
                    let values = self.module_values(*m)?;
                    Data::Record(
                        values
                            .iter()
                            .map(|(k, v)| Ok((k.clone(), self.data(v, found)?)))
                            .collect::<R<_>>()?,
                    )
                }
            })
        })
    }

    /// A schema value's fields as data, in declaration order.
    pub fn instance_data(
        &mut self,
        inst: &Instance<'a>,
        found: &Collected<'a>,
    ) -> R<Vec<(String, Data)>> {
        let schema = self.decls.schema(inst.schema);
        schema
            .fields
            .iter()
            .zip(inst.fields.iter())
            .map(|(f, v)| Ok((f.name.clone(), self.data(v, found)?)))
            .collect()
    }

    pub fn resources(&mut self, found: &Collected<'a>) -> R<Vec<Resource>> {
        let mut out = Vec::with_capacity(found.order.len());
        for (id, inst) in &found.order {
            out.push(Resource {
                id: id.clone(),
                kind: self.decls.schema(inst.schema).display_name.clone(),
                schema: inst.schema,
                fields: self.instance_data(inst, found)?,
                span: inst.span,
                spans: self.field_spans(inst),
            });
        }
        Ok(out)
    }

    /// Where every field of a schema value was set, and inside the plain schema values it
    /// holds (directly or in a list).
    fn field_spans(&self, inst: &Instance<'a>) -> FieldSpans {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            FieldSpans(
                inst.fields
                    .iter()
                    .zip(inst.field_spans.iter())
                    .map(|(value, span)| (*span, self.nested_spans(value)))
                    .collect(),
            )
        })
    }

    fn nested_spans(&self, value: &Value<'a>) -> Nested {
        let plain = |v: &Value<'a>| match v {
            Value::Instance(inner) if !self.decls.schema(inner.schema).is_resource() => {
                Some(self.field_spans(inner))
            }
            _ => None,
        };
        match value {
            Value::Instance(_) => plain(value).map_or(Nested::None, Nested::Fields),
            Value::List(items) => {
                let items: Vec<Option<FieldSpans>> = items.iter().map(plain).collect();
                if items.iter().any(Option::is_some) {
                    Nested::Items(items)
                } else {
                    Nested::None
                }
            }
            _ => Nested::None,
        }
    }

    /// How a function prints: its parameters with their types (the result type is the
    /// checker's to infer), e.g. `fn(name: String, port: 1..65535 = …)`.
    fn fn_type(&self, c: &crate::value::Closure<'a>) -> String {
        let params: Vec<String> = c
            .code
            .params
            .iter()
            .zip(c.code.tys.iter())
            .map(|(p, ty)| {
                let default = if p.default.is_some() { " = …" } else { "" };
                format!("{}: {}{default}", p.name.name, ty.show(self.decls))
            })
            .collect();
        format!("fn({})", params.join(", "))
    }
}

/// Whether a key can be a step of a logical id: letters, digits and `_` (binding names and list
/// indices always are; record keys may not be). Other keys could make two resources share an
/// id (`"a.b"` and `a.b`) or AWS names (`api-v2` and `api.v2` both become `api-v2`).
fn valid_step(key: &str) -> bool {
    !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn invalid_id(id: &str, segment: &str, span: fgl_syntax::Span) -> Diagnostic {
    let suggestion: String = segment
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    Diagnostic::error(
        codes::INVALID_LOGICAL_ID,
        span,
        format!("this resource would have the logical id `{id}`, but `{segment}` is not a valid step of one"),
    )
    .with_primary_message(format!("reached through the key `{segment}`"))
    .with_help(format!(
        "each step of a logical id is made of letters, digits and `_` (it becomes part of AWS names): rename the key, e.g. to `{suggestion}`"
    ))
}
