//! Expressions: literals, names, records, fields, conditionals, `let`, functions, schema
//! instantiation. Operators, calls and comprehensions have their own modules.

use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;

use fgl_check::{Decl, SchemaId};
use fgl_syntax::ast::{self, Expr, ExprKind, StrLit, StrPart};
use fgl_syntax::{codes, Diagnostic, Span};

use crate::env::Env;
use crate::eval::{Evaluator, R};
use crate::value::{show, FnCode, Key, Record, Value, INDEX_THRESHOLD};

/// A field of a record being built, with the span of the expression that gave its value.
pub type Entry<'a> = (Key<'a>, Value<'a>, Span);

impl<'a> Evaluator<'a> {
    pub fn eval(&mut self, e: &'a Expr, env: &Env<'a>) -> R<Value<'a>> {
        // Expressions are at most ~1,000 levels deep and calls nest 1,000 deep: grow the
        // stack on the heap rather than overflow it.
        stacker::maybe_grow(128 * 1024, 2 * 1024 * 1024, || self.eval_inner(e, env))
    }

    fn eval_inner(&mut self, e: &'a Expr, env: &Env<'a>) -> R<Value<'a>> {
        self.tick(1, e.span)?;
        match &e.kind {
            ExprKind::Int(n) => Ok(Value::Int(*n)),
            ExprKind::Bool(b) => Ok(Value::Bool(*b)),
            ExprKind::Null => Ok(Value::Null),
            ExprKind::Str(lit) => self.string(lit, env, e.span),
            ExprKind::Name(id) => match env.lookup(&id.name) {
                Some(v) => Ok(v.clone()),
                None => self.global(env.module, &id.name, id.span),
            },
            ExprKind::List(items) => {
                self.tick(items.len() as u64, e.span)?;
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(self.eval(item, env)?);
                }
                Ok(Value::list(out))
            }
            ExprKind::Record(fields) => {
                let entries = self.entries(fields, env)?;
                let spans = entries.iter().map(|(_, _, at)| *at).collect();
                let fields = entries.into_iter().map(|(k, v, _)| (k, v)).collect();
                Ok(Value::Record(Rc::new(Record::with_spans(fields, spans))))
            }
            ExprKind::Field { base, name } => {
                let value = self.eval(base, env)?;
                self.field(&value, &name.name, name.span, base.span)
            }
            ExprKind::Call { callee, args } => self.call_expr(e, callee, args, env),
            ExprKind::Instantiate { schema, fields, .. } => {
                let id = self.schema_of(schema, env)?;
                let entries = self.entries(fields, env)?;
                self.instantiate(id, entries, e.span)
            }
            ExprKind::If {
                cond,
                then_branch,
                else_branch,
            } => {
                if self.condition(cond, env)? {
                    self.eval(then_branch, env)
                } else {
                    self.eval(else_branch, env)
                }
            }
            ExprKind::Let(l) => {
                let mut value = self.eval(&l.value, env)?;
                if let Some(ty) = &l.ty {
                    let ty = self.annotation(env.module, ty);
                    let place = crate::conform::Place::Name(&l.name.name);
                    value = self.conform_at(value, &ty, place, l.value.span, Some(l.name.span))?;
                }
                self.eval(&l.body, &env.with(vec![(l.name.name.as_str(), value)]))
            }
            ExprKind::Fn { params, body } => Ok(self.closure(e, params, body, env)),
            ExprKind::ListComp { head, clauses } => self.list_comp(head, clauses, env),
            ExprKind::RecordComp(comp) => self.record_comp(comp, env, e.span),
            ExprKind::Unary { op, operand } => self.unary(*op, operand, env, e.span),
            ExprKind::Binary { op, lhs, rhs } => self.binary(*op, lhs, rhs, env, e.span),
            ExprKind::Paren(inner) => self.eval(inner, env),
            ExprKind::Error => Err(self.internal(e.span, "a syntax error reached evaluation")),
        }
    }

    /// Evaluates a condition (`if`, comprehension filters): a Bool.
    pub fn condition(&mut self, e: &'a Expr, env: &Env<'a>) -> R<bool> {
        match self.eval(e, env)? {
            Value::Bool(b) => Ok(b),
            other => Err(self.internal(
                e.span,
                format!("a condition is {}, not a Bool", other.kind()),
            )),
        }
    }

    /// A string literal, interpolations converted (`String`, `Int`, `Bool`).
    fn string(&mut self, lit: &'a StrLit, env: &Env<'a>, span: Span) -> R<Value<'a>> {
        if let [StrPart::Text(text, _)] = lit.parts.as_slice() {
            self.tick(text.len() as u64, span)?;
            return Ok(Value::str(text));
        }
        let text = self.text(lit, env, span)?;
        Ok(Value::Str(Rc::from(text)))
    }

    /// The text of a possibly interpolated string.
    pub fn text(&mut self, lit: &'a StrLit, env: &Env<'a>, span: Span) -> R<String> {
        let mut out = String::with_capacity(32);
        for part in &lit.parts {
            match part {
                StrPart::Text(text, _) => out.push_str(text),
                StrPart::Interp(e) => match self.eval(e, env)? {
                    Value::Str(s) => out.push_str(&s),
                    Value::Int(n) => {
                        use std::fmt::Write as _;
                        let _ = write!(out, "{n}");
                    }
                    Value::Bool(b) => out.push_str(if b { "true" } else { "false" }),
                    other => {
                        return Err(self.internal(
                            e.span,
                            format!("{} cannot be interpolated into a string", other.kind()),
                        ))
                    }
                },
            }
        }
        self.tick(out.len() as u64, span)?;
        Ok(out)
    }

    /// A record key: borrowed when written plainly, computed when interpolated.
    fn key(&mut self, key: &'a ast::Key, env: &Env<'a>) -> R<Key<'a>> {
        match key {
            ast::Key::Ident(id) => Ok(Key::Src(&id.name)),
            ast::Key::Str(lit, span) => match lit.parts.as_slice() {
                [] => Ok(Key::Src("")),
                [StrPart::Text(text, _)] => Ok(Key::Src(text)),
                _ => Ok(Key::Rc(Rc::from(self.text(lit, env, *span)?))),
            },
        }
    }

    /// The fields of a record literal or instantiation, nested keys (`b.c = 2`) merged into
    /// nested records. A computed key given twice is E0308.
    pub fn entries(&mut self, fields: &'a [ast::RecordField], env: &Env<'a>) -> R<Vec<Entry<'a>>> {
        let mut out: Vec<Entry<'a>> = Vec::with_capacity(fields.len());
        // Finding a key already given: a scan for small records, an index for large ones.
        let mut index: HashMap<Key<'a>, usize> = HashMap::default();
        for field in fields {
            let value = self.eval(&field.value, env)?;
            // Most fields have one key: no vector for the rest of the path then.
            let (first, rest) = match field.path.as_slice() {
                [] => return Err(self.internal(field.span, "a record field without a key")),
                [only] => (self.key(only, env)?, Vec::new()),
                [head, tail @ ..] => {
                    let first = self.key(head, env)?;
                    let mut rest = Vec::with_capacity(tail.len());
                    for key in tail {
                        rest.push(self.key(key, env)?);
                    }
                    (first, rest)
                }
            };
            let (first, rest) = (&first, rest.as_slice());
            let existing = if fields.len() > INDEX_THRESHOLD {
                index.get(&**first).copied()
            } else {
                out.iter().position(|(k, _, _)| **k == **first)
            };
            match (existing, rest.is_empty()) {
                (None, _) => {
                    if fields.len() > INDEX_THRESHOLD {
                        index.insert(first.clone(), out.len());
                    }
                    out.push((first.clone(), nest(rest, value), field.value.span));
                }
                (Some(i), false) if matches!(out[i].1, Value::Record(_)) => {
                    let merged = insert_path(&out[i].1, rest, value)
                        .ok_or(())
                        .map_err(|_| self.duplicate_key(&field.path, field.span))?;
                    out[i].1 = merged;
                }
                (Some(_), _) => return Err(self.duplicate_key(&field.path, field.span)),
            }
        }
        Ok(out)
    }

    fn duplicate_key(&mut self, path: &'a [ast::Key], span: Span) -> crate::eval::Fail {
        let name: Vec<String> = path
            .iter()
            .map(|k| match k {
                ast::Key::Ident(id) => id.name.clone(),
                ast::Key::Str(..) => "\"…\"".to_string(),
            })
            .collect();
        self.fail(
            Diagnostic::error(
                codes::KEY_ERROR,
                span,
                format!("the key `{}` is given twice", name.join(".")),
            )
            .with_primary_message("a record cannot have the same key twice"),
        )
    }

    /// `base.name`: a record's field, a schema value's field, or a module's public binding.
    pub fn field(
        &mut self,
        base: &Value<'a>,
        name: &str,
        span: Span,
        base_span: Span,
    ) -> R<Value<'a>> {
        match base {
            Value::Record(r) => match r.get(name) {
                Some(v) => Ok(v.clone()),
                // An optional field of a record type (a join of records with different
                // fields): absent means null, as its type `T?` says.
                None if self.optional_reads.contains(&span) => Ok(Value::Null),
                None => Err(self.missing_key(r, name, span)),
            },
            Value::Instance(inst) => {
                let schema = self.decls.schema(inst.schema);
                match schema.fields.iter().position(|f| f.name == name) {
                    Some(i) => Ok(inst.fields.get(i).cloned().unwrap_or(Value::Null)),
                    None => Err(self.internal(
                        span,
                        format!("{} has no field `{name}`", schema.display_name),
                    )),
                }
            }
            Value::Module(m) => match self.decls.lookup(*m, name) {
                Some(Decl::Binding { item } | Decl::Param { item }) => self.force(*m, item, span),
                Some(Decl::Import { index }) => match self.decls.import_target(*m, index) {
                    Some(target) => Ok(Value::Module(target)),
                    None => Err(self.internal(span, "an import that was not loaded")),
                },
                _ => Err(self.internal(
                    span,
                    format!(
                        "module {} has no public value `{name}`",
                        self.decls.module_display_name(*m)
                    ),
                )),
            },
            other => Err(self.internal(
                base_span,
                format!("reading the field `{name}` of {}", show(other)),
            )),
        }
    }

    fn missing_key(&mut self, r: &Record<'a>, name: &str, span: Span) -> crate::eval::Fail {
        let keys: Vec<&str> = r.fields.iter().map(|(k, _)| &**k).collect();
        let mut diag = Diagnostic::error(
            codes::KEY_ERROR,
            span,
            format!("the record has no key `{name}`"),
        )
        .with_primary_message("not one of its keys");
        diag = match fgl_check::suggest::closest(name, keys.iter().copied()) {
            Some(close) => diag.with_help(format!("did you mean `{close}`?")),
            None if keys.is_empty() => diag.with_help("the record is empty"),
            None if keys.len() <= 10 => {
                diag.with_help(format!("its keys are {}", fgl_check::suggest::list(&keys)))
            }
            None => diag.with_help(format!(
                "it has {} keys; test with `\"{name}\" in m` first",
                keys.len()
            )),
        };
        self.fail(diag)
    }

    /// The schema named by the `Name` of `Name { … }` (`Probe`, `aws.Container`).
    fn schema_of(&mut self, e: &'a Expr, env: &Env<'a>) -> R<SchemaId> {
        let decls = self.decls;
        let found = match &e.kind {
            ExprKind::Name(id) => match decls.lookup(env.module, &id.name) {
                Some(Decl::Schema(s)) => Some(s),
                _ => None,
            },
            ExprKind::Field { base, name } => match &base.kind {
                ExprKind::Name(m) => match decls.lookup(env.module, &m.name) {
                    Some(Decl::Import { index }) => decls
                        .import_target(env.module, index)
                        .and_then(|t| match decls.lookup(t, &name.name) {
                            Some(Decl::Schema(s)) => Some(s),
                            _ => None,
                        }),
                    _ => None,
                },
                _ => None,
            },
            _ => None,
        };
        found
            .ok_or(())
            .map_err(|_| self.internal(e.span, "this does not name a schema"))
    }

    fn closure(
        &mut self,
        e: &'a Expr,
        params: &'a [ast::FnParam],
        body: &'a Expr,
        env: &Env<'a>,
    ) -> Value<'a> {
        let key = e as *const Expr;
        let code = match self.fn_codes.get(&key) {
            Some(code) => code.clone(),
            None => {
                let tys = params
                    .iter()
                    .map(|p| (*self.annotation(env.module, &p.ty)).clone())
                    .collect();
                let code = Rc::new(FnCode { params, tys, body });
                self.fn_codes.insert(key, code.clone());
                code
            }
        };
        Value::Closure(Rc::new(crate::value::Closure {
            code,
            env: env.clone(),
        }))
    }
}

/// `{ b = { c = value } }` for the rest of a path `a.b.c`.
fn nest<'a>(path: &[Key<'a>], value: Value<'a>) -> Value<'a> {
    path.iter().rev().fold(value, |inner, key| {
        Value::record(vec![(key.clone(), inner)])
    })
}

/// The record `base` with `value` set at `path` (creating nested records); `None` when the
/// path is already set to something that is not a record.
fn insert_path<'a>(base: &Value<'a>, path: &[Key<'a>], value: Value<'a>) -> Option<Value<'a>> {
    let Value::Record(r) = base else { return None };
    let (first, rest) = path.split_first()?;
    let mut fields = r.fields.clone();
    match fields.iter().position(|(k, _)| **k == **first) {
        None => fields.push((first.clone(), nest(rest, value))),
        Some(_) if rest.is_empty() => return None,
        Some(i) => fields[i].1 = insert_path(&fields[i].1, rest, value)?,
    }
    Some(Value::record(fields))
}
