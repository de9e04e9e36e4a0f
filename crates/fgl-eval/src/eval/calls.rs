//! Function calls: arguments bound to parameters (positional, then named, then defaults),
//! each conformed to its parameter's type; the body evaluated one call level deeper.

use std::rc::Rc;

use fgl_syntax::ast::{Arg, Expr};
use fgl_syntax::Span;

use crate::env::Env;
use crate::eval::{Evaluator, R};
use crate::value::{Closure, Value};

impl<'a> Evaluator<'a> {
    pub fn call_expr(
        &mut self,
        call: &'a Expr,
        callee: &'a Expr,
        args: &'a [Arg],
        env: &Env<'a>,
    ) -> R<Value<'a>> {
        let f = self.eval(callee, env)?;
        let mut positional = Vec::with_capacity(args.len());
        let mut named = Vec::new();
        for arg in args {
            let value = self.eval(&arg.value, env)?;
            match &arg.name {
                None => positional.push((value, arg.value.span)),
                Some(name) => named.push((name.name.as_str(), value, arg.value.span)),
            }
        }
        match f {
            Value::Closure(c) => self.call_closure(&c, positional, named, call.span),
            Value::Builtin(b) if named.is_empty() => self.call_builtin(b, &positional, call.span),
            other => Err(self.internal(
                callee.span,
                format!("calling {} (with these arguments)", other.kind()),
            )),
        }
    }

    pub fn call_closure(
        &mut self,
        closure: &Rc<Closure<'a>>,
        positional: Vec<(Value<'a>, Span)>,
        mut named: Vec<(&str, Value<'a>, Span)>,
        span: Span,
    ) -> R<Value<'a>> {
        let code = closure.code.clone();
        if positional.len() > code.params.len() {
            return Err(self.internal(span, "too many arguments"));
        }
        let mut vars: Vec<(&'a str, Value<'a>)> = Vec::with_capacity(code.params.len());
        let mut positional = positional.into_iter();
        for (param, ty) in code.params.iter().zip(code.tys.iter()) {
            let (value, at) = if let Some(arg) = positional.next() {
                arg
            } else if let Some(i) = named.iter().position(|(n, _, _)| *n == param.name.name) {
                let (_, v, at) = named.swap_remove(i);
                (v, at)
            } else if let Some(default) = &param.default {
                // A default sees the closure's scope and the parameters before it.
                let env = closure.env.with(vars.clone());
                (self.eval(default, &env)?, span)
            } else {
                return Err(self.internal(
                    span,
                    format!("the argument `{}` is missing", param.name.name),
                ));
            };
            let place = crate::conform::Place::Param(&param.name.name);
            let value = self.conform_at(value, ty, place, at, Some(param.span))?;
            vars.push((param.name.name.as_str(), value));
        }
        if let Some((name, _, at)) = named.first() {
            let name = name.to_string();
            return Err(self.internal(*at, format!("there is no parameter `{name}`")));
        }
        self.enter_call(span)?;
        let result = self.eval(code.body, &closure.env.with(vars));
        self.leave_call();
        result
    }
}
