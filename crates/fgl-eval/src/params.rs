//! Params: `--set NAME=VALUE` parsed by the param's declared type (E0306), or the default.

use std::rc::Rc;

use fgl_check::ty::Lit;
use fgl_check::{Program, Ty};
use fgl_syntax::ast::{self, ItemKind};
use fgl_syntax::{codes, Diagnostic, Span};

use crate::conform::{ConformError, Place};
use crate::env::Env;
use crate::eval::{Evaluator, R};
use crate::value::{Key, Value};

impl<'a> Evaluator<'a> {
    /// Sets the root module's params from the command line. Reports every unknown name and
    /// bad value; returns whether all were fine.
    pub fn set_params(&mut self, sets: &[(String, String)]) -> bool {
        let program = self.program;
        let root = program.root();
        let params: Vec<(usize, &'a ast::Param)> = root
            .ast
            .items
            .iter()
            .enumerate()
            .filter_map(|(i, it)| match &it.kind {
                ItemKind::Param(p) => Some((i, p)),
                _ => None,
            })
            .collect();
        let mut ok = true;
        for (name, _) in sets {
            if !params.iter().any(|(_, p)| p.name.name == *name) {
                self.unknown_param(name, &params);
                ok = false;
            }
        }
        for (item, param) in &params {
            // The last `--set` of a name wins, as for most command-line overrides.
            let Some((_, text)) = sets.iter().rev().find(|(n, _)| *n == param.name.name) else {
                continue;
            };
            let ty = self.annotation(Program::ROOT, &param.ty);
            let reason = match self.parse_param(text, &ty, param.ty.span) {
                Ok(Ok(value)) => {
                    self.preset(Program::ROOT, *item, Some(value));
                    continue;
                }
                Ok(Err(reason)) => reason,
                // A schema made from the JSON value rejected it (a field's type or a check):
                // still a bad value for this param.
                Err(_) => self
                    .diags
                    .pop()
                    .map_or_else(|| "rejected".to_string(), |d| d.message),
            };
            ok = false;
            let shown = ty.show(self.decls).to_string();
            self.diags.push(
                Diagnostic::error(
                    codes::PARAM_ERROR,
                    param.ty.span,
                    format!("invalid value for param `{}`: {reason}", param.name.name),
                )
                .with_primary_message(format!("`{}` is declared as {shown}", param.name.name))
                .with_help(format!(
                    "set it with --set {}=VALUE, where VALUE is {shown}",
                    param.name.name
                )),
            );
            self.preset(Program::ROOT, *item, None);
        }
        ok
    }

    fn unknown_param(&mut self, name: &str, params: &[(usize, &'a ast::Param)]) {
        let file = self.program.root().file;
        let names: Vec<&str> = params.iter().map(|(_, p)| p.name.name.as_str()).collect();
        let file_name = &self.program.file(file).name;
        let mut diag = Diagnostic::error(
            codes::PARAM_ERROR,
            Span::new(file, 0, 0),
            format!("--set {name}=…: {file_name} has no param `{name}`"),
        )
        .with_primary_message(format!("no param of this file is named `{name}`"));
        diag = match fgl_check::suggest::closest(name, names.iter().copied()) {
            Some(close) => diag.with_help(format!("did you mean `{close}`?")),
            None if names.is_empty() => diag.with_help(format!("{file_name} declares no params")),
            None => diag.with_help(format!(
                "its params are {}",
                fgl_check::suggest::list(&names)
            )),
        };
        self.diags.push(diag);
    }

    /// The value of a param that was not set: its default, null for an optional one, E0306
    /// otherwise.
    pub fn param_default(
        &mut self,
        module: fgl_check::ModuleId,
        p: &'a ast::Param,
    ) -> R<Value<'a>> {
        let ty = self.annotation(module, &p.ty);
        match &p.default {
            Some(default) => {
                let value = self.eval(default, &Env::module(module))?;
                let place = Place::Name(&p.name.name);
                self.conform_at(value, &ty, place, default.span, Some(p.name.span))
            }
            None if ty.admits_null() => Ok(Value::Null),
            None => {
                let shown = ty.show(self.decls).to_string();
                let module_name = self.decls.module_display_name(module);
                let (message, help) = if module == Program::ROOT {
                    (
                        format!("the param `{}` is not set and has no default", p.name.name),
                        format!(
                            "set it with --set {}=VALUE, where VALUE is {shown}",
                            p.name.name
                        ),
                    )
                } else {
                    (
                        format!(
                            "the param `{}` of the imported module {module_name} has no default",
                            p.name.name
                        ),
                        "an imported module's params take their defaults: give it one".to_string(),
                    )
                };
                Err(self.fail(
                    Diagnostic::error(codes::PARAM_ERROR, p.name.span, message)
                        .with_primary_message("declared here without a default")
                        .with_help(help),
                ))
            }
        }
    }

    /// `Ok(Ok(v))`: parsed; `Ok(Err(why))`: not a value of `ty`; `Err`: reported already (a
    /// check of a schema made from JSON failed).
    fn parse_param(&mut self, text: &str, ty: &Ty, span: Span) -> R<Result<Value<'a>, String>> {
        let value = match parse_scalar(text, ty) {
            Some(result) => result,
            None => match serde_json::from_str::<serde_json::Value>(text) {
                Ok(json) => from_json(&json),
                Err(e) => Err(format!("`{text}` is not JSON ({e})")),
            },
        };
        let value = match value {
            Ok(v) => v,
            Err(why) => return Ok(Err(why)),
        };
        self.strict = true;
        let result = self.conform(&value, ty, span);
        self.strict = false;
        match result {
            Ok(None) => Ok(Ok(value)),
            Ok(Some(v)) => Ok(Ok(v)),
            Err(ConformError::Fail) => Err(crate::eval::Fail),
            Err(ConformError::Mismatch(m)) => {
                let mut path = String::new();
                for seg in m.path.iter().rev() {
                    path.push_str(seg);
                }
                let at = if path.is_empty() {
                    String::new()
                } else {
                    format!(" at `{}`", path.trim_start_matches('.'))
                };
                Ok(Err(format!("{}{at} is not {}", m.found, m.expected)))
            }
        }
    }
}

/// Parses text for a scalar type; `None` for a type whose values are written as JSON.
fn parse_scalar<'a>(text: &str, ty: &Ty) -> Option<Result<Value<'a>, String>> {
    Some(match ty {
        Ty::String | Ty::Unknown => Ok(Value::str(text)),
        Ty::Int | Ty::Range(..) => int(text),
        Ty::Bool => bool(text),
        Ty::Null => null(text),
        Ty::Optional(inner) => {
            if text == "null" {
                Ok(Value::Null)
            } else {
                return parse_scalar(text, inner);
            }
        }
        Ty::Lits(lits) => {
            // A union of literals: the text of a string member as is, or a number or bool.
            let found = lits.iter().find_map(|lit| match lit {
                Lit::Str(s) if **s == *text => Some(Value::Str(s.clone())),
                Lit::Int(n) if crate::builtins::parse_int(text) == Some(*n) => Some(Value::Int(*n)),
                Lit::Bool(b) if text == if *b { "true" } else { "false" } => Some(Value::Bool(*b)),
                Lit::Null if text == "null" => Some(Value::Null),
                _ => None,
            });
            match found {
                Some(v) => Ok(v),
                None => Err(format!("`{text}` is not one of {}", show_lits(lits))),
            }
        }
        Ty::Union(members) => {
            // The first member the text parses as (conform then checks the value).
            let mut first_error = None;
            for member in members {
                match parse_scalar(text, member) {
                    Some(Ok(v)) => return Some(Ok(v)),
                    Some(Err(e)) => {
                        first_error.get_or_insert(e);
                    }
                    None => return None,
                }
            }
            Err(first_error.unwrap_or_else(|| format!("`{text}` is not a valid value")))
        }
        Ty::List(_) | Ty::Map(_) | Ty::Record(_) | Ty::Schema(_) => return None,
        Ty::Never | Ty::Fn(_) | Ty::Module(_) => {
            Err("this type cannot be set from the command line".to_string())
        }
    })
}

fn int<'a>(text: &str) -> Result<Value<'a>, String> {
    crate::builtins::parse_int(text)
        .map(Value::Int)
        .ok_or_else(|| format!("`{text}` is not an integer"))
}

fn bool<'a>(text: &str) -> Result<Value<'a>, String> {
    match text {
        "true" => Ok(Value::Bool(true)),
        "false" => Ok(Value::Bool(false)),
        _ => Err(format!("`{text}` is not `true` or `false`")),
    }
}

fn null<'a>(text: &str) -> Result<Value<'a>, String> {
    if text == "null" {
        Ok(Value::Null)
    } else {
        Err(format!("`{text}` is not `null`"))
    }
}

fn show_lits(lits: &[Lit]) -> String {
    lits.iter()
        .map(|l| l.to_string())
        .collect::<Vec<_>>()
        .join(" | ")
}

/// A JSON value as an fgl value (integers only: fgl has no floats).
fn from_json<'a>(json: &serde_json::Value) -> Result<Value<'a>, String> {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
        Ok(match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => return Err(format!("{n} is not an integer (fgl has no fractions)")),
            },
            serde_json::Value::String(s) => Value::str(s),
            serde_json::Value::Array(items) => {
                Value::list(items.iter().map(from_json).collect::<Result<_, _>>()?)
            }
            serde_json::Value::Object(map) => Value::record(
                map.iter()
                    .map(|(k, v)| Ok((Key::Rc(Rc::from(k.as_str())), from_json(v)?)))
                    .collect::<Result<_, String>>()?,
            ),
        })
    })
}
