//! Function literals and calls. A function's body is typed once, with its parameters at
//! their declared types; a call only checks its arguments and takes the result type.

use rustc_hash::FxHashMap as HashMap;
use std::rc::Rc;

use fgl_syntax::ast::{Arg, Expr, ExprKind, FnParam};
use fgl_syntax::{codes, Diagnostic, Span};

use super::{Checker, Expect, Origin};
use crate::suggest;
use crate::ty::{FnTy, ParamTy, Ty};

impl<'p> Checker<'_, 'p> {
    /// `fn(a: T, b: U = d) => body`. A default may use the parameters before it.
    pub(crate) fn fn_expr(&mut self, params: &'p [FnParam], body: &'p Expr) -> Ty {
        let mark = self.locals.len();
        let mut seen: HashMap<&str, Span> = HashMap::default();
        let mut tys = Vec::with_capacity(params.len());
        for param in params {
            if let Some(first) = seen.insert(&param.name.name, param.name.span) {
                self.error(
                    Diagnostic::error(
                        codes::DUPLICATE_BINDING,
                        param.name.span,
                        format!("the parameter `{}` is declared twice", param.name.name),
                    )
                    .with_primary_message("declared again here")
                    .with_label(first, "first declared here"),
                );
            }
            let ty = self.resolve_type(&param.ty);
            if let Some(default) = &param.default {
                self.check_expr(
                    default,
                    Expect::new(&ty, Origin::Annotation(param.ty.span)).known(),
                );
            }
            self.push_local(&param.name.name, ty.clone());
            tys.push(ParamTy {
                name: Some(param.name.name.clone()),
                ty,
                has_default: param.default.is_some(),
            });
        }
        self.fn_depth += 1;
        let ret = self.check_expr(body, None);
        self.fn_depth -= 1;
        self.pop_locals(mark);
        let f = Rc::new(FnTy { params: tys, ret });
        self.fn_params.insert(Rc::as_ptr(&f), params);
        self.keep.push(f.clone());
        Ty::Fn(f)
    }

    /// `callee(args)`.
    pub(crate) fn call(&mut self, callee: &'p Expr, args: &'p [Arg], span: Span) -> Ty {
        if let ExprKind::Name(ident) = &callee.kind {
            if self.is_builtin_here(&ident.name) {
                if let Some(name) = crate::builtins::BUILTINS.iter().find(|b| **b == ident.name) {
                    return self.builtin_call(name, args, span);
                }
            }
        }
        let ty = self.check_expr(callee, None);
        match &ty {
            Ty::Fn(f) => self.call_fn(f, callee, args, span),
            Ty::Unknown | Ty::Never => {
                self.args_unchecked(args);
                Ty::Unknown
            }
            _ => {
                let shown = self.show(&super::fits::widen(&ty));
                let message = match &callee.kind {
                    ExprKind::Name(ident) => format!("`{}` is not a function", ident.name),
                    _ => format!("{shown} is not a function"),
                };
                self.error(
                    Diagnostic::error(codes::NOT_CALLABLE, callee.span, message)
                        .with_primary_message(format!("this is {shown}"))
                        .with_help("only functions (`fn(…) => …`) and built-ins can be called"),
                );
                self.args_unchecked(args);
                Ty::Unknown
            }
        }
    }

    pub(crate) fn args_unchecked(&mut self, args: &'p [Arg]) {
        for arg in args {
            self.check_expr(&arg.value, None);
        }
    }

    fn call_fn(&mut self, f: &Rc<FnTy>, callee: &'p Expr, args: &'p [Arg], span: Span) -> Ty {
        let sites = self.fn_params_of(f);
        let what = match &callee.kind {
            ExprKind::Name(ident) => format!("`{}`", ident.name),
            _ => "this function".to_string(),
        };
        let mut given: Vec<bool> = vec![false; f.params.len()];
        let mut position = 0;
        for arg in args {
            let index = match &arg.name {
                None => {
                    let index = position;
                    position += 1;
                    if index >= f.params.len() {
                        self.error(
                            Diagnostic::error(
                                codes::WRONG_ARITY,
                                arg.value.span,
                                format!(
                                    "{what} takes {}, found {}",
                                    plural(f.params.len(), "argument"),
                                    args.iter().filter(|a| a.name.is_none()).count()
                                ),
                            )
                            .with_primary_message("unexpected argument"),
                        );
                        self.check_expr(&arg.value, None);
                        continue;
                    }
                    index
                }
                Some(name) => {
                    let found = f
                        .params
                        .iter()
                        .position(|p| p.name.as_deref() == Some(name.name.as_str()));
                    match found {
                        Some(index) if given[index] => {
                            self.error(
                                Diagnostic::error(
                                    codes::UNKNOWN_ARGUMENT,
                                    name.span,
                                    format!("the argument `{}` is given twice", name.name),
                                )
                                .with_primary_message("already given"),
                            );
                            self.check_expr(&arg.value, None);
                            continue;
                        }
                        Some(index) => index,
                        None => {
                            let names: Vec<&str> =
                                f.params.iter().filter_map(|p| p.name.as_deref()).collect();
                            let mut diag = Diagnostic::error(
                                codes::UNKNOWN_ARGUMENT,
                                name.span,
                                format!("{what} has no parameter `{}`", name.name),
                            )
                            .with_primary_message("unknown argument");
                            if let Some(close) = suggest::closest(&name.name, names.iter().copied())
                            {
                                diag = diag.with_help(format!("did you mean `{close}`?"));
                            } else if names.is_empty() {
                                diag = diag.with_help(format!("{what} takes no named arguments"));
                            } else {
                                diag = diag.with_help(format!(
                                    "its parameters are {}",
                                    suggest::list(&names)
                                ));
                            }
                            self.error(diag);
                            self.check_expr(&arg.value, None);
                            continue;
                        }
                    }
                }
            };
            given[index] = true;
            let param = &f.params[index];
            let origin = match (sites.and_then(|s| s.get(index)), &param.name) {
                (Some(site), Some(name)) => Origin::Param {
                    name,
                    span: site.name.span.to(site.ty.span),
                },
                _ => Origin::None,
            };
            self.check_expr(&arg.value, Expect::new(&param.ty, origin).known());
        }
        let missing: Vec<&str> = f
            .params
            .iter()
            .zip(&given)
            .filter(|(p, given)| !p.has_default && !**given)
            .map(|(p, _)| p.name.as_deref().unwrap_or("_"))
            .collect();
        if !missing.is_empty() {
            let list = suggest::list(&missing);
            let mut diag = Diagnostic::error(
                codes::WRONG_ARITY,
                span,
                format!(
                    "missing {} {list} of {what}",
                    if missing.len() == 1 {
                        "argument"
                    } else {
                        "arguments"
                    }
                ),
            )
            .with_primary_message(format!("needs {list}"));
            if let Some(sites) = sites {
                if let Some(site) = sites.iter().find(|s| s.name.name == missing[0]) {
                    diag = diag.with_label(site.span, "declared here without a default");
                }
            }
            self.error(diag);
        }
        f.ret.clone()
    }
}

pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
