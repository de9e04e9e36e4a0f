//! Making a schema value: given fields, defaults filled (a default sees the fields declared
//! above it), every field conformed to its type (E0301), then the schema's checks (E0300).

use std::rc::Rc;

use fgl_check::{SchemaId, SchemaInfo};
use fgl_syntax::ast::{self, Expr, ExprKind};
use fgl_syntax::{codes, Diagnostic, Span};

use crate::conform::Place;
use crate::env::Env;
use crate::eval::{Entry, Evaluator, Fail, R};
use crate::value::{show, Instance, Value};

impl<'a> Evaluator<'a> {
    /// A value of schema `id` made at `span` from `given` fields (each with the span of its
    /// value).
    pub fn instantiate(&mut self, id: SchemaId, given: Vec<Entry<'a>>, span: Span) -> R<Value<'a>> {
        let decls = self.decls;
        let schema = decls.schema(id);
        self.tick(schema.fields.len() as u64, span)?;
        let mut given: Vec<Option<Entry<'a>>> = given.into_iter().map(Some).collect();
        if let Some((key, _, at)) = given
            .iter()
            .flatten()
            .find(|(k, _, _)| schema.field(k).is_none())
        {
            let (key, at) = (key.to_string(), *at);
            return Err(self.unknown_field(schema, &key, at));
        }
        let mut values: Vec<Value<'a>> = Vec::with_capacity(schema.fields.len());
        let mut spans: Vec<Span> = Vec::with_capacity(schema.fields.len());
        for field in &schema.fields {
            let slot = given
                .iter_mut()
                .find(|e| e.as_ref().is_some_and(|(k, _, _)| **k == field.name));
            let (value, at) = if let Some((_, v, at)) = slot.and_then(Option::take) {
                (v, at)
            } else if let Some(default) = field.default {
                if let Some(v) = self.cached_default(id, values.len()) {
                    values.push(v);
                    spans.push(span);
                    continue;
                }
                if is_literal(default) {
                    // A literal default is the same value every time (once conformed: `{}`
                    // for a schema-typed field is an instance): computed once.
                    let v = self.eval(default, &Env::module(schema.module))?;
                    let place = Place::Field(&field.name, id);
                    let v = self.conform_at(v, &field.ty, place, span, Some(field.ast.span))?;
                    if !contains_resource(self, &v) {
                        self.cache_default(id, values.len(), v.clone());
                    }
                    values.push(v);
                    spans.push(span);
                    continue;
                }
                let env = Env::module(schema.module).with(field_frame(schema, &values));
                (self.eval(default, &env)?, span)
            } else if field.ty.admits_null() {
                (Value::Null, span)
            } else {
                return Err(self.internal(
                    span,
                    format!(
                        "{} is missing the field `{}`",
                        schema.display_name, field.name
                    ),
                ));
            };
            let place = Place::Field(&field.name, id);
            values.push(self.conform_at(value, &field.ty, place, at, Some(field.ast.span))?);
            spans.push(at);
        }
        if schema.checks().next().is_some() {
            let env = Env::module(schema.module).with(field_frame(schema, &values));
            for (check, check_span) in schema.checks() {
                if !self.condition(&check.cond, &env)? {
                    let message = self.check_message(&check.message, &env)?;
                    let mut diag = Diagnostic::error(codes::CHECK_FAILED, span, message)
                        .with_primary_message(format!("this {} fails a check", schema.display_name))
                        .with_label(check_span, "the check");
                    if let Some(help) = involved_fields(schema, &values, &check.cond) {
                        diag = diag.with_help(help);
                    }
                    return Err(self.fail(diag));
                }
            }
        }
        Ok(Value::Instance(Rc::new(Instance {
            schema: id,
            fields: values,
            field_spans: spans,
            span,
        })))
    }

    /// The text of a check's `else` message.
    pub fn check_message(&mut self, message: &'a Expr, env: &Env<'a>) -> R<String> {
        Ok(match self.eval(message, env)? {
            Value::Str(s) => s.to_string(),
            other => show(&other),
        })
    }

    fn unknown_field(&mut self, schema: &SchemaInfo<'_>, key: &str, at: Span) -> Fail {
        let names: Vec<&str> = schema.fields.iter().map(|f| f.name.as_str()).collect();
        let mut diag = Diagnostic::error(
            codes::UNKNOWN_FIELD,
            at,
            format!("{} has no field `{key}`", schema.display_name),
        );
        if let Some(close) = fgl_check::suggest::closest(key, names.iter().copied()) {
            diag = diag.with_help(format!("did you mean `{close}`?"));
        }
        self.fail(diag)
    }
}

/// The scope of a schema's defaults and checks: its fields computed so far.
fn field_frame<'a>(schema: &'a SchemaInfo<'a>, values: &[Value<'a>]) -> Vec<(&'a str, Value<'a>)> {
    schema
        .fields
        .iter()
        .zip(values.iter())
        .map(|(f, v)| (f.name.as_str(), v.clone()))
        .collect()
}

/// A default that needs no scope (most are): evaluated without building one.
fn is_literal(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Int(_) | ExprKind::Bool(_) | ExprKind::Null => true,
        ExprKind::Str(lit) => lit.as_plain().is_some(),
        ExprKind::List(items) => items.is_empty(),
        ExprKind::Record(fields) => fields.is_empty(),
        _ => false,
    }
}

/// "with timeout = 30 and interval = 30": the fields a failed check reads, for its help.
fn involved_fields(schema: &SchemaInfo<'_>, values: &[Value<'_>], cond: &Expr) -> Option<String> {
    let mut names: Vec<&str> = Vec::new();
    let mut stack = vec![cond];
    while let Some(e) = stack.pop() {
        if let ExprKind::Name(ast::Ident { name, .. }) = &e.kind {
            if !names.contains(&name.as_str()) {
                names.push(name);
            }
        }
        fgl_syntax::walk::for_each_child(e, &mut |child| stack.push(child));
    }
    let shown: Vec<String> = schema
        .fields
        .iter()
        .zip(values.iter())
        .filter(|(f, _)| names.contains(&f.name.as_str()))
        .map(|(f, v)| format!("{} = {}", f.name, show(v)))
        .collect();
    match shown.as_slice() {
        [] => None,
        [one] => Some(format!("here {one}")),
        [init @ .., last] => Some(format!("here {} and {last}", init.join(", "))),
    }
}

/// Whether a value holds a resource (which has identity, so must not be shared by caching).
fn contains_resource(ev: &Evaluator<'_>, v: &Value<'_>) -> bool {
    match v {
        Value::Instance(inst) => {
            ev.decls.schema(inst.schema).is_resource()
                || inst.fields.iter().any(|f| contains_resource(ev, f))
        }
        Value::Record(r) => r.fields.iter().any(|(_, f)| contains_resource(ev, f)),
        Value::List(items) => items.iter().any(|f| contains_resource(ev, f)),
        _ => false,
    }
}
