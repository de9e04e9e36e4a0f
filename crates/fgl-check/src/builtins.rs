//! The built-in functions: their names (shared with the evaluator) and how the checker types a
//! call to each. The table in docs/language.md ("Built-in functions") is the reference.

/// Every built-in function, as listed in docs/language.md. A module binding or a local may
/// shadow one of these names.
pub const BUILTINS: &[&str] = &[
    "len",
    "keys",
    "values",
    "range",
    "join",
    "split",
    "lower",
    "upper",
    "replace",
    "contains",
    "starts_with",
    "ends_with",
    "to_string",
    "to_int",
    "min",
    "max",
    "sum",
    "any",
    "all",
    "sort",
    "unique",
];

pub fn is_builtin(name: &str) -> bool {
    BUILTINS.contains(&name)
}

use fgl_syntax::ast::Arg;
use fgl_syntax::{codes, Diagnostic, Span};

use crate::check::calls::plural;
use crate::check::fits::{self, is_secret, widen};
use crate::check::{Checker, Expect, Origin};
use crate::ty::Ty;

/// How many arguments a built-in takes: at least, at most (None: any number).
fn arity(name: &str) -> (usize, Option<usize>) {
    match name {
        "range" => (1, Some(2)),
        "join" | "split" | "contains" | "starts_with" | "ends_with" => (2, Some(2)),
        "replace" => (3, Some(3)),
        "min" | "max" => (1, None),
        _ => (1, Some(1)),
    }
}

impl<'p> Checker<'_, 'p> {
    /// Types a call of the built-in `name` (see the table in docs/language.md).
    pub(crate) fn builtin_call(&mut self, name: &'static str, args: &'p [Arg], span: Span) -> Ty {
        let mut positional = Vec::with_capacity(args.len());
        for arg in args {
            match &arg.name {
                Some(named) => {
                    self.error(
                        Diagnostic::error(
                            codes::UNKNOWN_ARGUMENT,
                            named.span,
                            format!("`{name}` takes no named arguments"),
                        )
                        .with_primary_message("named argument")
                        .with_help("built-in functions take positional arguments only"),
                    );
                    positional.push(&arg.value);
                }
                None => positional.push(&arg.value),
            }
        }
        let (min, max) = arity(name);
        if positional.len() < min || max.is_some_and(|max| positional.len() > max) {
            let wanted = match max {
                Some(max) if max == min => plural(min, "argument"),
                Some(max) => format!("{min} or {max} arguments"),
                None => format!("at least {}", plural(min, "argument")),
            };
            self.error(
                Diagnostic::error(
                    codes::WRONG_ARITY,
                    span,
                    format!("`{name}` takes {wanted}, found {}", positional.len()),
                )
                .with_primary_message(format!("{} given", positional.len())),
            );
            for arg in positional {
                self.check_expr(arg, None);
            }
            return Ty::Unknown;
        }
        let note = Origin::Note(argument_note(name));
        let string = Ty::String;
        let int = Ty::Int;
        let expect_all = |this: &mut Self, ty: &Ty| {
            for arg in &positional {
                this.check_expr(arg, Some(Expect::new(ty, note)));
            }
        };
        match name {
            "len" => {
                let ty = self.check_expr(positional[0], None);
                let ok = matches!(
                    ty,
                    Ty::List(_) | Ty::Map(_) | Ty::Record(_) | Ty::Unknown | Ty::Never
                ) || widen(&ty) == Ty::String;
                if !ok {
                    self.wrong_argument(
                        name,
                        "a String, List, Map or record",
                        &ty,
                        positional[0].span,
                    );
                }
                Ty::Int
            }
            "keys" | "values" => {
                let ty = self.check_expr(positional[0], None);
                let elem = match &ty {
                    Ty::Map(elem) => (**elem).clone(),
                    Ty::Record(record) => {
                        let mut elem = Ty::Never;
                        for f in &record.fields {
                            elem = fits::join(&elem, &f.ty, self.decls);
                        }
                        elem
                    }
                    Ty::Unknown | Ty::Never => Ty::Unknown,
                    _ => {
                        self.wrong_argument(name, "a Map or record", &ty, positional[0].span);
                        Ty::Unknown
                    }
                };
                if name == "keys" {
                    Ty::list(Ty::String)
                } else {
                    Ty::list(elem)
                }
            }
            "range" => {
                expect_all(self, &int);
                Ty::list(Ty::Int)
            }
            "join" => {
                let list = Ty::list(Ty::String);
                self.check_expr(positional[0], Some(Expect::new(&list, note)));
                self.check_expr(positional[1], Some(Expect::new(&string, note)));
                Ty::String
            }
            "split" => {
                expect_all(self, &string);
                Ty::list(Ty::String)
            }
            "lower" | "upper" | "replace" => {
                expect_all(self, &string);
                Ty::String
            }
            "starts_with" | "ends_with" => {
                expect_all(self, &string);
                Ty::Bool
            }
            "contains" => {
                let ty = self.check_expr(positional[0], None);
                match &ty {
                    Ty::List(elem) => {
                        let x = self.check_expr(positional[1], None);
                        // Membership compares, and a secret cannot be compared (as with `in`).
                        if !(self.no_secret(elem, positional[0].span, "compared")
                            && self.no_secret(&x, positional[1].span, "compared"))
                        {
                            return Ty::Bool;
                        }
                        let elem = widen(elem);
                        if fits::fits(&x, &elem, self.decls).is_err()
                            && fits::fits(&elem, &widen(&x), self.decls).is_err()
                        {
                            self.mismatch(&elem, &x, positional[1].span, note);
                        }
                    }
                    Ty::Unknown | Ty::Never => {
                        self.check_expr(positional[1], None);
                    }
                    _ if widen(&ty) == Ty::String => {
                        self.check_expr(positional[1], Some(Expect::new(&string, note)));
                    }
                    _ => {
                        self.wrong_argument(name, "a String or List", &ty, positional[0].span);
                        self.check_expr(positional[1], None);
                    }
                }
                Ty::Bool
            }
            "to_string" => {
                let ty = self.check_expr(positional[0], None);
                if is_secret(&ty, self.decls) {
                    self.error(
                        Diagnostic::error(
                            codes::SECRET_AS_VALUE,
                            positional[0].span,
                            "a secret cannot be converted to a string",
                        )
                        .with_primary_message("this is a secret")
                        .with_help("a secret may only flow into a place typed `aws.Secret`, such as a container's `secrets`"),
                    );
                } else if !crate::check::interpolable(&ty) {
                    self.wrong_argument(name, "Int, Bool or String", &ty, positional[0].span);
                }
                Ty::String
            }
            "to_int" => {
                expect_all(self, &string);
                Ty::Int
            }
            "min" | "max" if positional.len() >= 2 => {
                expect_all(self, &int);
                Ty::Int
            }
            "min" | "max" | "sum" => {
                let list = Ty::list(Ty::Int);
                self.check_expr(positional[0], Some(Expect::new(&list, note)));
                Ty::Int
            }
            "any" | "all" => {
                let list = Ty::list(Ty::Bool);
                self.check_expr(positional[0], Some(Expect::new(&list, note)));
                Ty::Bool
            }
            "sort" | "unique" => {
                let ty = self.check_expr(positional[0], None);
                match &ty {
                    Ty::List(elem) => {
                        // `unique` compares its elements, and a secret cannot be compared.
                        if name == "unique" && !self.no_secret(elem, positional[0].span, "compared")
                        {
                            return Ty::Unknown;
                        }
                        let sortable =
                            matches!(widen(elem), Ty::Int | Ty::String | Ty::Unknown | Ty::Never);
                        if name == "sort" && !sortable {
                            self.wrong_argument(
                                name,
                                "List[Int] or List[String]",
                                &ty,
                                positional[0].span,
                            );
                            return Ty::Unknown;
                        }
                        ty
                    }
                    Ty::Unknown | Ty::Never => Ty::Unknown,
                    _ => {
                        let what = if name == "sort" {
                            "List[Int] or List[String]"
                        } else {
                            "a List"
                        };
                        self.wrong_argument(name, what, &ty, positional[0].span);
                        Ty::Unknown
                    }
                }
            }
            _ => {
                for arg in positional {
                    self.check_expr(arg, None);
                }
                Ty::Unknown
            }
        }
    }

    fn wrong_argument(&mut self, name: &str, expected: &str, found: &Ty, span: Span) {
        let shown = self.show(found);
        let mut diag = Diagnostic::error(
            codes::TYPE_MISMATCH,
            span,
            format!("expected {expected}, found {shown}"),
        )
        .with_primary_message(format!("argument of `{name}`"));
        if matches!(found, Ty::Optional(_) | Ty::Null) {
            diag = diag
                .with_help("the value may be null: give a fallback with `??`, e.g. `x ?? default`");
        }
        self.error(diag);
    }
}

/// The note under a wrongly typed argument of a built-in.
fn argument_note(name: &str) -> &'static str {
    match name {
        "range" => "an argument of `range`",
        "join" => "an argument of `join`",
        "split" => "an argument of `split`",
        "lower" => "the argument of `lower`",
        "upper" => "the argument of `upper`",
        "replace" => "an argument of `replace`",
        "contains" => "an argument of `contains`",
        "starts_with" => "an argument of `starts_with`",
        "ends_with" => "an argument of `ends_with`",
        "to_int" => "the argument of `to_int`",
        "min" => "an argument of `min`",
        "max" => "an argument of `max`",
        "sum" => "the argument of `sum`",
        "any" => "the argument of `any`",
        "all" => "the argument of `all`",
        _ => "an argument of a built-in",
    }
}
