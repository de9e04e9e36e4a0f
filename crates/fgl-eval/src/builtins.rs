//! The built-in functions (docs/language.md, "Built-in functions"). Each charges the budget by
//! the size of what it builds or scans, before building it.

use rustc_hash::FxHashSet as HashSet;
use std::rc::Rc;

use fgl_syntax::{codes, Diagnostic, Span};

use crate::eval::{Evaluator, Fail, R};
use crate::value::{show, Value};

macro_rules! builtins {
    ($($variant:ident = $name:literal),* $(,)?) => {
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Builtin { $($variant),* }

        /// Every built-in function's name.
        pub const NAMES: &[&str] = &[$($name),*];

        impl Builtin {
            pub fn from_name(name: &str) -> Option<Builtin> {
                match name { $($name => Some(Builtin::$variant),)* _ => None }
            }

            pub fn name(self) -> &'static str {
                match self { $(Builtin::$variant => $name),* }
            }
        }
    };
}

builtins! {
    Len = "len", Keys = "keys", Values = "values", Range = "range", Join = "join",
    Split = "split", Lower = "lower", Upper = "upper", Replace = "replace",
    Contains = "contains", StartsWith = "starts_with", EndsWith = "ends_with",
    ToString = "to_string", ToInt = "to_int", Min = "min", Max = "max", Sum = "sum",
    Any = "any", All = "all", Sort = "sort", Unique = "unique",
}

type Args<'x, 'a> = &'x [(Value<'a>, Span)];

impl<'a> Evaluator<'a> {
    pub fn call_builtin(&mut self, b: Builtin, args: Args<'_, 'a>, span: Span) -> R<Value<'a>> {
        use Builtin::*;
        use Value as V;
        let arg = |i: usize| args.get(i).map(|(v, _)| v);
        match (b, arg(0), arg(1), arg(2), args.len()) {
            (Len, Some(v), _, _, 1) => {
                let n = match v {
                    V::Str(s) => s.chars().count(),
                    V::List(items) => items.len(),
                    V::Record(r) => r.len(),
                    V::Instance(inst) => inst.fields.len(),
                    _ => return Err(self.bad_type(b, args, span)),
                };
                Ok(V::Int(n as i64))
            }
            (Keys | Values, Some(v), _, _, 1) => {
                let fields = match v {
                    V::Record(r) => r.fields.clone(),
                    V::Instance(_) => self.instance_fields(v),
                    _ => return Err(self.bad_type(b, args, span)),
                };
                self.tick(fields.len() as u64, span)?;
                Ok(V::list(
                    fields
                        .into_iter()
                        .map(|(k, v)| if b == Keys { V::Str(Rc::from(&*k)) } else { v })
                        .collect(),
                ))
            }
            (Range, Some(V::Int(n)), None, _, 1) => self.range(0, *n, args, span),
            (Range, Some(V::Int(lo)), Some(V::Int(hi)), _, 2) => self.range(*lo, *hi, args, span),
            (Join, Some(V::List(items)), Some(V::Str(sep)), _, 2) => {
                let mut size = sep.len() * items.len().saturating_sub(1);
                for item in items.iter() {
                    match item {
                        V::Str(s) => size += s.len(),
                        _ => return Err(self.bad_type(b, args, span)),
                    }
                }
                self.tick(size as u64 + items.len() as u64, span)?;
                let mut out = String::with_capacity(size);
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(sep);
                    }
                    if let V::Str(s) = item {
                        out.push_str(s);
                    }
                }
                Ok(V::Str(Rc::from(out)))
            }
            (Split, Some(V::Str(s)), Some(V::Str(sep)), _, 2) => {
                if sep.is_empty() {
                    return Err(self.bad_argument(args[1].1, "the separator of `split` is empty", "`split` needs a separator of at least one character"));
                }
                self.tick(s.len() as u64 + 1, span)?;
                Ok(V::list(s.split(&**sep).map(V::str).collect()))
            }
            (Lower | Upper, Some(V::Str(s)), None, _, 1) => {
                self.tick(s.len() as u64, span)?;
                Ok(V::Str(Rc::from(if b == Lower { s.to_lowercase() } else { s.to_uppercase() })))
            }
            (Replace, Some(V::Str(s)), Some(V::Str(from)), Some(V::Str(to)), 3) => {
                if from.is_empty() {
                    return Err(self.bad_argument(args[1].1, "`replace` cannot replace the empty string", "give the text to replace"));
                }
                // The size of the result, known before building it.
                let count = s.matches(&**from).count();
                let size = (s.len() - count * from.len()).saturating_add(count.saturating_mul(to.len()));
                self.tick(size as u64 + s.len() as u64, span)?;
                Ok(V::Str(Rc::from(s.replace(&**from, to))))
            }
            (Contains, Some(V::Str(s)), Some(V::Str(x)), _, 2) => {
                self.tick(s.len() as u64 / 64, span)?;
                Ok(V::Bool(s.contains(&**x)))
            }
            (Contains, Some(V::List(items)), Some(x), _, 2) => {
                for item in items.iter() {
                    if self.equal(item, x, span)? {
                        return Ok(V::Bool(true));
                    }
                }
                Ok(V::Bool(false))
            }
            (StartsWith, Some(V::Str(s)), Some(V::Str(p)), _, 2) => Ok(V::Bool(s.starts_with(&**p))),
            (EndsWith, Some(V::Str(s)), Some(V::Str(p)), _, 2) => Ok(V::Bool(s.ends_with(&**p))),
            (ToString, Some(v), None, _, 1) => match v {
                V::Str(_) => Ok(v.clone()),
                V::Int(n) => Ok(V::Str(Rc::from(n.to_string()))),
                V::Bool(x) => Ok(V::str(if *x { "true" } else { "false" })),
                _ => Err(self.bad_type(b, args, span)),
            },
            (ToInt, Some(V::Str(s)), None, _, 1) => match parse_int(s) {
                Some(n) => Ok(V::Int(n)),
                None => Err(self.bad_argument(
                    args[0].1,
                    &format!("`to_int` cannot read {} as an integer", show(&args[0].0)),
                    "`to_int` takes decimal digits with an optional leading `-` (within the 64-bit range)",
                )),
            },
            (Min | Max, Some(V::List(items)), None, _, 1) => self.extreme(b, items, args[0].1, span),
            (Min | Max, Some(V::Int(_)), _, _, _) => {
                let items: Vec<V<'a>> = args.iter().map(|(v, _)| v.clone()).collect();
                self.extreme(b, &items, span, span)
            }
            (Sum, Some(V::List(items)), None, _, 1) => {
                self.tick(items.len() as u64, span)?;
                let mut total: i64 = 0;
                for item in items.iter() {
                    let V::Int(n) = item else { return Err(self.bad_type(b, args, span)) };
                    total = match total.checked_add(*n) {
                        Some(t) => t,
                        None => {
                            return Err(self.fail(
                                Diagnostic::error(codes::ARITHMETIC, span, "integer overflow")
                                    .with_primary_message("this sum is beyond the 64-bit range"),
                            ))
                        }
                    };
                }
                Ok(V::Int(total))
            }
            (Any | All, Some(V::List(items)), None, _, 1) => {
                self.tick(items.len() as u64, span)?;
                let want = b == Any;
                for item in items.iter() {
                    match item {
                        V::Bool(x) if *x == want => return Ok(V::Bool(want)),
                        V::Bool(_) => {}
                        _ => return Err(self.bad_type(b, args, span)),
                    }
                }
                Ok(V::Bool(!want))
            }
            (Sort, Some(V::List(items)), None, _, 1) => {
                let n = items.len() as u64;
                self.tick(n.saturating_mul(64 - n.leading_zeros() as u64 + 1), span)?;
                if items.iter().all(|v| matches!(v, V::Int(_))) {
                    let mut ints: Vec<i64> = items.iter().filter_map(|v| match v { V::Int(n) => Some(*n), _ => None }).collect();
                    ints.sort_unstable();
                    Ok(V::list(ints.into_iter().map(V::Int).collect()))
                } else if items.iter().all(|v| matches!(v, V::Str(_))) {
                    let mut strs: Vec<Rc<str>> = items.iter().filter_map(|v| match v { V::Str(s) => Some(s.clone()), _ => None }).collect();
                    strs.sort();
                    Ok(V::list(strs.into_iter().map(V::Str).collect()))
                } else {
                    Err(self.bad_type(b, args, span))
                }
            }
            (Unique, Some(V::List(items)), None, _, 1) => self.unique(items, span),
            _ => Err(self.bad_type(b, args, span)),
        }
    }

    fn range(&mut self, lo: i64, hi: i64, args: Args<'_, 'a>, span: Span) -> R<Value<'a>> {
        if hi < lo {
            let at = args.last().map_or(span, |(_, s)| *s);
            let message = if args.len() == 1 {
                format!("`range` of a negative count ({hi})")
            } else {
                format!("`range({lo}, {hi})` ends before it starts")
            };
            return Err(self.bad_argument(at, &message, "`range(n)` counts from 0 to n-1 and `range(lo, hi)` from lo to hi-1, with hi >= lo"));
        }
        let count = (hi as i128 - lo as i128) as u64;
        self.tick(count, span)?;
        Ok(Value::list((lo..hi).map(Value::Int).collect()))
    }

    fn extreme(&mut self, b: Builtin, items: &[Value<'a>], at: Span, span: Span) -> R<Value<'a>> {
        self.tick(items.len() as u64, span)?;
        let mut best: Option<i64> = None;
        for item in items {
            let Value::Int(n) = item else {
                return Err(self.internal(at, format!("`{}` of {}", b.name(), item.kind())));
            };
            best = Some(match best {
                None => *n,
                Some(m) if b == Builtin::Min => m.min(*n),
                Some(m) => m.max(*n),
            });
        }
        match best {
            Some(n) => Ok(Value::Int(n)),
            None => Err(self.bad_argument(
                at,
                &format!("`{}` of an empty list", b.name()),
                &format!(
                    "an empty list has no {}imum; test `len(xs) > 0` first",
                    if b == Builtin::Min { "min" } else { "max" }
                ),
            )),
        }
    }

    /// The first occurrence of each element: hashing for numbers and strings, pairwise
    /// comparison (charged) otherwise.
    fn unique(&mut self, items: &[Value<'a>], span: Span) -> R<Value<'a>> {
        self.tick(items.len() as u64, span)?;
        let mut out: Vec<Value<'a>> = Vec::new();
        let mut ints = HashSet::default();
        let mut strs: HashSet<Rc<str>> = HashSet::default();
        for item in items {
            let fresh = match item {
                Value::Int(n) => ints.insert(*n),
                Value::Str(s) => strs.insert(s.clone()),
                _ => {
                    let mut seen = false;
                    for prev in &out {
                        if self.equal(prev, item, span)? {
                            seen = true;
                            break;
                        }
                    }
                    !seen
                }
            };
            if fresh {
                out.push(item.clone());
            }
        }
        Ok(Value::list(out))
    }

    fn bad_argument(&mut self, at: Span, message: &str, help: &str) -> Fail {
        self.fail(
            Diagnostic::error(codes::BAD_ARGUMENT, at, message)
                .with_primary_message("invalid argument")
                .with_help(help),
        )
    }

    fn bad_type(&mut self, b: Builtin, args: Args<'_, 'a>, span: Span) -> Fail {
        let kinds: Vec<&str> = args.iter().map(|(v, _)| v.kind()).collect();
        self.internal(
            span,
            format!("`{}` called with {}", b.name(), kinds.join(", ")),
        )
    }
}

/// Decimal digits with an optional sign; `None` when that is not what `s` is.
pub fn parse_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}
