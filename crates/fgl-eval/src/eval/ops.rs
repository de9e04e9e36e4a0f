//! Unary and binary operators, and equality.

use std::rc::Rc;

use fgl_syntax::ast::{BinaryOp, Expr, UnaryOp};
use fgl_syntax::{codes, Diagnostic, Span};

use crate::env::Env;
use crate::eval::{Evaluator, Fail, R};
use crate::value::{Key, Value};

impl<'a> Evaluator<'a> {
    pub fn unary(
        &mut self,
        op: UnaryOp,
        operand: &'a Expr,
        env: &Env<'a>,
        span: Span,
    ) -> R<Value<'a>> {
        let value = self.eval(operand, env)?;
        match (op, value) {
            (UnaryOp::Neg, Value::Int(n)) => match n.checked_neg() {
                Some(v) => Ok(Value::Int(v)),
                None => Err(self.overflow(span, format!("-({n})"))),
            },
            (UnaryOp::Not, Value::Bool(b)) => Ok(Value::Bool(!b)),
            (op, v) => {
                Err(self.internal(span, format!("`{}` applied to {}", op.as_str(), v.kind())))
            }
        }
    }

    pub fn binary(
        &mut self,
        op: BinaryOp,
        lhs: &'a Expr,
        rhs: &'a Expr,
        env: &Env<'a>,
        span: Span,
    ) -> R<Value<'a>> {
        // The lazy ones first: the right side is evaluated only when needed.
        match op {
            BinaryOp::And | BinaryOp::Or => {
                let l = self.condition(lhs, env)?;
                if l == (op == BinaryOp::Or) {
                    return Ok(Value::Bool(l));
                }
                return Ok(Value::Bool(self.condition(rhs, env)?));
            }
            BinaryOp::Coalesce => {
                let l = self.eval(lhs, env)?;
                return match l {
                    Value::Null => self.eval(rhs, env),
                    other => Ok(other),
                };
            }
            _ => {}
        }
        let l = self.eval(lhs, env)?;
        let r = self.eval(rhs, env)?;
        self.apply(op, l, r, span, rhs.span)
    }

    /// A strict binary operator on two values.
    fn apply(
        &mut self,
        op: BinaryOp,
        l: Value<'a>,
        r: Value<'a>,
        span: Span,
        rhs_span: Span,
    ) -> R<Value<'a>> {
        use BinaryOp::*;
        match (op, &l, &r) {
            (Add | Sub | Mul | Div | Rem, Value::Int(a), Value::Int(b)) => {
                let (a, b) = (*a, *b);
                if matches!(op, Div | Rem) && b == 0 {
                    return Err(self.fail(
                        Diagnostic::error(
                            codes::ARITHMETIC,
                            span,
                            if op == Div {
                                "division by zero"
                            } else {
                                "remainder by zero"
                            },
                        )
                        .with_label(rhs_span, "this is 0"),
                    ));
                }
                let result = match op {
                    Add => a.checked_add(b),
                    Sub => a.checked_sub(b),
                    Mul => a.checked_mul(b),
                    Div => a.checked_div(b),
                    _ => a.checked_rem(b),
                };
                match result {
                    Some(n) => Ok(Value::Int(n)),
                    None => Err(self.overflow(span, format!("{a} {} {b}", op.as_str()))),
                }
            }
            (Concat, Value::Str(a), Value::Str(b)) => {
                self.tick((a.len() + b.len()) as u64, span)?;
                let mut s = String::with_capacity(a.len() + b.len());
                s.push_str(a);
                s.push_str(b);
                Ok(Value::Str(Rc::from(s)))
            }
            (Concat, Value::List(a), Value::List(b)) => {
                self.tick((a.len() + b.len()) as u64, span)?;
                let mut items = Vec::with_capacity(a.len() + b.len());
                items.extend(a.iter().cloned());
                items.extend(b.iter().cloned());
                Ok(Value::list(items))
            }
            (Lt | Le | Gt | Ge, Value::Int(a), Value::Int(b)) => {
                Ok(Value::Bool(compare(op, a.cmp(b))))
            }
            (Lt | Le | Gt | Ge, Value::Str(a), Value::Str(b)) => {
                self.tick((a.len().min(b.len()) / 64) as u64, span)?;
                Ok(Value::Bool(compare(op, a.cmp(b))))
            }
            (Eq, _, _) => Ok(Value::Bool(self.equal(&l, &r, span)?)),
            (Ne, _, _) => Ok(Value::Bool(!self.equal(&l, &r, span)?)),
            (In, _, Value::List(items)) => {
                for item in items.iter() {
                    if self.equal(&l, item, span)? {
                        return Ok(Value::Bool(true));
                    }
                }
                Ok(Value::Bool(false))
            }
            (In, Value::Str(key), Value::Record(rec)) => Ok(Value::Bool(rec.get(key).is_some())),
            (In, Value::Str(key), Value::Instance(inst)) => {
                let schema = self.decls.schema(inst.schema);
                Ok(Value::Bool(schema.field(key).is_some()))
            }
            (In, Value::Str(needle), Value::Str(hay)) => {
                self.tick((hay.len() / 64) as u64, span)?;
                Ok(Value::Bool(hay.contains(&**needle)))
            }
            (Merge, _, _) => self.merge(l, r, span),
            _ => Err(self.internal(
                span,
                format!("`{}` applied to {} and {}", op.as_str(), l.kind(), r.kind()),
            )),
        }
    }

    fn overflow(&mut self, span: Span, what: String) -> Fail {
        self.fail(
            Diagnostic::error(codes::ARITHMETIC, span, "integer overflow")
                .with_primary_message(format!("{what} is beyond the 64-bit range")),
        )
    }

    /// `l // r`: the fields of `l`, replaced or extended by those of `r` (shallowly). Merging
    /// into a schema value makes a new value of that schema, re-checked.
    fn merge(&mut self, l: Value<'a>, r: Value<'a>, span: Span) -> R<Value<'a>> {
        let right: Vec<(Key<'a>, Value<'a>)> = match &r {
            Value::Record(rec) => rec.fields.clone(),
            Value::Instance(_) => self.instance_fields(&r),
            other => {
                return Err(self.internal(span, format!("merging {} into a record", other.kind())))
            }
        };
        match &l {
            Value::Record(rec) => {
                self.tick((rec.len() + right.len()) as u64, span)?;
                let mut fields = rec.fields.clone();
                for (k, v) in right {
                    match rec.position(&k) {
                        Some(i) => fields[i].1 = v,
                        None => fields.push((k, v)),
                    }
                }
                Ok(Value::record(fields))
            }
            Value::Instance(inst) => {
                let schema = inst.schema;
                let mut fields: Vec<(Key<'a>, Value<'a>, Span)> = self
                    .instance_fields(&l)
                    .into_iter()
                    .map(|(k, v)| (k, v, span))
                    .collect();
                self.tick((fields.len() + right.len()) as u64, span)?;
                for (k, v) in right {
                    match fields.iter().position(|(name, _, _)| **name == *k) {
                        Some(i) => fields[i].1 = v,
                        None => fields.push((k, v, span)),
                    }
                }
                self.instantiate(schema, fields, span)
            }
            other => Err(self.internal(span, format!("merging into {}", other.kind()))),
        }
    }

    /// A schema value's fields as record entries.
    pub fn instance_fields(&self, v: &Value<'a>) -> Vec<(Key<'a>, Value<'a>)> {
        let Value::Instance(inst) = v else {
            return Vec::new();
        };
        let schema = self.decls.schema(inst.schema);
        schema
            .fields
            .iter()
            .zip(inst.fields.iter())
            .map(|(f, v)| (Key::Src(f.name.as_str()), v.clone()))
            .collect()
    }

    /// Structural equality; resources (and functions) by identity. Costs a step per node.
    pub fn equal(&mut self, a: &Value<'a>, b: &Value<'a>, span: Span) -> R<bool> {
        self.tick(1, span)?;
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            Ok(match (a, b) {
                (Value::Null, Value::Null) => true,
                (Value::Bool(x), Value::Bool(y)) => x == y,
                (Value::Int(x), Value::Int(y)) => x == y,
                (Value::Str(x), Value::Str(y)) => {
                    self.tick((x.len().min(y.len()) / 64) as u64, span)?;
                    x == y
                }
                (Value::List(x), Value::List(y)) => {
                    if Rc::ptr_eq(x, y) {
                        return Ok(true);
                    }
                    if x.len() != y.len() {
                        return Ok(false);
                    }
                    for (p, q) in x.iter().zip(y.iter()) {
                        if !self.equal(p, q, span)? {
                            return Ok(false);
                        }
                    }
                    true
                }
                (Value::Record(x), Value::Record(y)) => {
                    if Rc::ptr_eq(x, y) {
                        return Ok(true);
                    }
                    if x.len() != y.len() {
                        return Ok(false);
                    }
                    for (k, p) in &x.fields {
                        let Some(q) = y.get(k) else { return Ok(false) };
                        if !self.equal(p, q, span)? {
                            return Ok(false);
                        }
                    }
                    true
                }
                (Value::Instance(x), Value::Instance(y)) => {
                    if Rc::ptr_eq(x, y) {
                        return Ok(true);
                    }
                    if x.schema != y.schema || self.decls.schema(x.schema).is_resource() {
                        return Ok(false);
                    }
                    for (p, q) in x.fields.iter().zip(y.fields.iter()) {
                        if !self.equal(p, q, span)? {
                            return Ok(false);
                        }
                    }
                    true
                }
                (Value::Closure(x), Value::Closure(y)) => Rc::ptr_eq(x, y),
                (Value::Builtin(x), Value::Builtin(y)) => x == y,
                (Value::Module(x), Value::Module(y)) => x == y,
                _ => false,
            })
        })
    }
}

fn compare(op: BinaryOp, ord: std::cmp::Ordering) -> bool {
    match op {
        BinaryOp::Lt => ord.is_lt(),
        BinaryOp::Le => ord.is_le(),
        BinaryOp::Gt => ord.is_gt(),
        _ => ord.is_ge(),
    }
}
