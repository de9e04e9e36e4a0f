//! List and record comprehensions: `for` clauses nest left to right, `if` filters skip.
//!
//! `for x in xs` over a list binds each element (`for i, x in xs`: index and element); over a
//! record or map it binds each key (`for k, v in m`: key and value), in key order.

use rustc_hash::FxHashSet as HashSet;
use std::rc::Rc;

use fgl_syntax::ast::{CompClause, Expr, RecordComp};
use fgl_syntax::{codes, Diagnostic, Span};

use crate::env::Env;
use crate::eval::{Evaluator, R};
use crate::value::{show, Key, Value};

/// Where a comprehension's results go.
enum Sink<'s, 'a> {
    List(&'a Expr, &'s mut Vec<Value<'a>>),
    Record(
        &'a RecordComp,
        &'s mut Vec<(Key<'a>, Value<'a>)>,
        HashSet<Rc<str>>,
    ),
}

impl<'a> Evaluator<'a> {
    pub fn list_comp(
        &mut self,
        head: &'a Expr,
        clauses: &'a [CompClause],
        env: &Env<'a>,
    ) -> R<Value<'a>> {
        let mut out = Vec::new();
        self.clauses(clauses, env, &mut Sink::List(head, &mut out))?;
        Ok(Value::list(out))
    }

    pub fn record_comp(
        &mut self,
        comp: &'a RecordComp,
        env: &Env<'a>,
        _span: Span,
    ) -> R<Value<'a>> {
        let mut out = Vec::new();
        self.clauses(
            &comp.clauses,
            env,
            &mut Sink::Record(comp, &mut out, HashSet::default()),
        )?;
        Ok(Value::record(out))
    }

    fn clauses(
        &mut self,
        clauses: &'a [CompClause],
        env: &Env<'a>,
        sink: &mut Sink<'_, 'a>,
    ) -> R<()> {
        let Some((first, rest)) = clauses.split_first() else {
            return self.emit(env, sink);
        };
        match first {
            CompClause::If { cond, .. } => {
                if self.condition(cond, env)? {
                    self.clauses(rest, env, sink)?;
                }
                Ok(())
            }
            CompClause::For { vars, iter, span } => {
                let source = self.eval(iter, env)?;
                let names: Vec<&'a str> = vars.iter().map(|v| v.name.as_str()).collect();
                match (&source, names.as_slice()) {
                    (Value::List(items), [x]) => {
                        for item in items.iter() {
                            self.tick(1, *span)?;
                            self.clauses(rest, &env.with(vec![(x, item.clone())]), sink)?;
                        }
                    }
                    (Value::List(items), [i, x]) => {
                        for (n, item) in items.iter().enumerate() {
                            self.tick(1, *span)?;
                            let frame = vec![(*i, Value::Int(n as i64)), (*x, item.clone())];
                            self.clauses(rest, &env.with(frame), sink)?;
                        }
                    }
                    (Value::Record(_) | Value::Instance(_), [_] | [_, _]) => {
                        let fields = match &source {
                            Value::Record(r) => r.fields.clone(),
                            _ => self.instance_fields(&source),
                        };
                        for (key, value) in fields {
                            self.tick(1, *span)?;
                            let key = Value::Str(Rc::from(&*key));
                            let frame = match names.as_slice() {
                                [k] => vec![(*k, key)],
                                [k, v] => vec![(*k, key), (*v, value)],
                                _ => Vec::new(),
                            };
                            self.clauses(rest, &env.with(frame), sink)?;
                        }
                    }
                    _ => {
                        return Err(self.internal(
                            iter.span,
                            format!(
                                "iterating over {} with {} variables",
                                show(&source),
                                names.len()
                            ),
                        ))
                    }
                }
                Ok(())
            }
        }
    }

    fn emit(&mut self, env: &Env<'a>, sink: &mut Sink<'_, 'a>) -> R<()> {
        match sink {
            Sink::List(head, out) => {
                let value = self.eval(head, env)?;
                out.push(value);
            }
            Sink::Record(comp, out, seen) => {
                let key = match &comp.key {
                    fgl_syntax::ast::Key::Ident(id) => Rc::<str>::from(id.name.as_str()),
                    fgl_syntax::ast::Key::Str(lit, span) => Rc::from(self.text(lit, env, *span)?),
                };
                if !seen.insert(key.clone()) {
                    let span = comp.key.span();
                    return Err(self.fail(
                        Diagnostic::error(
                            codes::KEY_ERROR,
                            span,
                            format!("the record comprehension makes the key \"{key}\" twice"),
                        )
                        .with_primary_message(format!("this is \"{key}\" more than once"))
                        .with_help(
                            "keys of a record must be unique; filter the duplicates out with \
                             `if`, or make the key unique",
                        ),
                    ));
                }
                let value = self.eval(&comp.value, env)?;
                out.push((Key::Rc(key), value));
            }
        }
        Ok(())
    }
}
