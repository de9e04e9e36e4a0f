//! Checking a value against a declared type, where only evaluation can tell (E0301): integer
//! ranges, unions of literals, and, inside lists, maps and records, the same for every element.
//! Conforming may also transform: a record flowing into a plain schema is instantiated there
//! (defaults filled, checks run), and a record given a record type gets its absent optional
//! fields as null.

use std::rc::Rc;

use fgl_check::ty::Lit;
use fgl_check::{SchemaId, Ty};
use fgl_syntax::{codes, Diagnostic, Span};

use crate::eval::{Evaluator, Fail, R};
use crate::value::{show, Key, Value};

/// Why a value does not fit, built only on failure.
pub struct Mismatch {
    /// Where inside the value, outermost first once complete (built innermost first).
    pub path: Vec<String>,
    pub found: String,
    pub expected: String,
}

pub enum ConformError {
    /// Reported already (a check of a schema instantiated on the way failed).
    Fail,
    Mismatch(Mismatch),
}

impl From<Fail> for ConformError {
    fn from(_: Fail) -> Self {
        ConformError::Fail
    }
}

/// What a conformed value is, for messages (formatted only on failure).
#[derive(Clone, Copy)]
pub enum Place<'p> {
    /// A module binding or `let` with a type.
    Name(&'p str),
    Param(&'p str),
    Field(&'p str, SchemaId),
}

type C<T> = Result<T, ConformError>;

impl<'a> Evaluator<'a> {
    /// `value` conformed to `ty`, or E0301 pointing at `span` (where the value came from) with a
    /// label at `decl` (where the type was declared).
    pub fn conform_at(
        &mut self,
        value: Value<'a>,
        ty: &Ty,
        place: Place<'_>,
        span: Span,
        decl: Option<Span>,
    ) -> R<Value<'a>> {
        if !self.strict && trivially_fits(ty) {
            return Ok(value);
        }
        match self.conform(&value, ty, span) {
            Ok(None) => Ok(value),
            Ok(Some(v)) => Ok(v),
            Err(ConformError::Fail) => Err(Fail),
            Err(ConformError::Mismatch(m)) => Err(self.out_of_type(m, place, span, decl)),
        }
    }

    fn out_of_type(
        &mut self,
        m: Mismatch,
        place: Place<'_>,
        span: Span,
        decl: Option<Span>,
    ) -> Fail {
        let mut path = String::new();
        for seg in m.path.iter().rev() {
            path.push_str(seg);
        }
        let (what, declared) = match place {
            Place::Name(n) => (format!("`{n}{path}`"), format!("`{n}` is declared here")),
            Place::Param(n) => (
                format!("the parameter `{n}{path}`"),
                format!("`{n}` is declared here"),
            ),
            Place::Field(n, schema) => {
                let schema = &self.decls.schema(schema).display_name;
                (
                    format!("the field `{n}{path}` of {schema}"),
                    format!("`{n}` is declared here"),
                )
            }
        };
        let mut diag = Diagnostic::error(
            codes::VALUE_OUT_OF_TYPE,
            span,
            format!(
                "{what} must be {}, but the computed value is {}",
                m.expected, m.found
            ),
        )
        .with_primary_message(format!("this is {}", m.found));
        if let Some(decl) = decl {
            diag = diag.with_label(decl, declared);
        }
        self.fail(diag)
    }

    fn mismatch(&self, value: &Value<'a>, ty: &Ty) -> ConformError {
        ConformError::Mismatch(Mismatch {
            path: Vec::new(),
            found: show(value),
            expected: ty.show(self.decls).to_string(),
        })
    }

    /// `Ok(None)`: fits as it is; `Ok(Some(v))`: fits as `v`. Costs a step per element.
    pub fn conform(&mut self, value: &Value<'a>, ty: &Ty, span: Span) -> C<Option<Value<'a>>> {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            self.conform_inner(value, ty, span)
        })
    }

    fn conform_inner(&mut self, value: &Value<'a>, ty: &Ty, span: Span) -> C<Option<Value<'a>>> {
        let fits = match (ty, value) {
            (Ty::Unknown | Ty::Never, _) => true,
            (Ty::Int, Value::Int(_))
            | (Ty::String, Value::Str(_))
            | (Ty::Bool, Value::Bool(_))
            | (Ty::Null, Value::Null)
            | (Ty::Fn(_), Value::Closure(_) | Value::Builtin(_))
            | (Ty::Module(_), Value::Module(_)) => true,
            (Ty::Range(lo, hi), Value::Int(n)) => lo <= n && n <= hi,
            (Ty::Lits(lits), v) => lits.iter().any(|l| lit_matches(l, v)),
            (Ty::Optional(_), Value::Null) => true,
            (Ty::Optional(inner), _) => return self.conform(value, inner, span),
            (Ty::Union(members), _) => {
                for member in members {
                    match self.conform(value, member, span) {
                        Ok(v) => return Ok(v),
                        Err(ConformError::Fail) => return Err(ConformError::Fail),
                        Err(ConformError::Mismatch(_)) => {}
                    }
                }
                false
            }
            (Ty::List(elem), Value::List(items)) => {
                if !self.strict && trivially_fits(elem) {
                    return Ok(None);
                }
                self.tick(items.len() as u64, span)?;
                let mut changed: Option<Vec<Value<'a>>> = None;
                for (i, item) in items.iter().enumerate() {
                    match self.conform(item, elem, span) {
                        Ok(None) => {
                            if let Some(out) = &mut changed {
                                out.push(item.clone());
                            }
                        }
                        Ok(Some(v)) => {
                            changed.get_or_insert_with(|| items[..i].to_vec()).push(v);
                        }
                        Err(e) => return Err(with_seg(e, format!("[{i}]"))),
                    }
                }
                return Ok(changed.map(Value::list));
            }
            (Ty::Map(elem), Value::Record(rec)) => {
                if !self.strict && trivially_fits(elem) {
                    return Ok(None);
                }
                self.tick(rec.len() as u64, span)?;
                let mut changed: Option<Vec<(Key<'a>, Value<'a>)>> = None;
                for (i, (k, item)) in rec.fields.iter().enumerate() {
                    match self.conform(item, elem, span) {
                        Ok(None) => {
                            if let Some(out) = &mut changed {
                                out.push((k.clone(), item.clone()));
                            }
                        }
                        Ok(Some(v)) => {
                            changed
                                .get_or_insert_with(|| rec.fields[..i].to_vec())
                                .push((k.clone(), v));
                        }
                        Err(e) => return Err(with_seg(e, segment(k))),
                    }
                }
                return Ok(changed.map(Value::record));
            }
            (Ty::Record(rt), Value::Record(rec)) => {
                self.tick(rec.len() as u64, span)?;
                if let Some((k, _)) = rec.fields.iter().find(|(k, _)| rt.field(k).is_none()) {
                    return Err(ConformError::Mismatch(Mismatch {
                        path: Vec::new(),
                        found: format!("a record with the unknown field `{}`", &**k),
                        expected: ty.show(self.decls).to_string(),
                    }));
                }
                let mut fields = Vec::with_capacity(rt.fields.len());
                let mut changed = false;
                for field in &rt.fields {
                    match rec.get(&field.name) {
                        Some(item) => match self.conform(item, &field.ty, span) {
                            Ok(None) => fields.push((key_of(rec, &field.name), item.clone())),
                            Ok(Some(v)) => {
                                changed = true;
                                fields.push((key_of(rec, &field.name), v));
                            }
                            Err(e) => return Err(with_seg(e, segment(&field.name))),
                        },
                        None if field.optional || field.ty.admits_null() => {
                            changed = true;
                            fields.push((Key::Rc(Rc::from(field.name.as_str())), Value::Null));
                        }
                        None => {
                            return Err(ConformError::Mismatch(Mismatch {
                                path: Vec::new(),
                                found: format!("a record without `{}`", field.name),
                                expected: ty.show(self.decls).to_string(),
                            }))
                        }
                    }
                }
                // Keep the record's own order unless something had to change.
                return Ok(changed.then(|| Value::record(fields)));
            }
            (Ty::Schema(id), Value::Instance(inst)) => inst.schema == *id,
            (Ty::Schema(id), Value::Record(rec)) if !self.decls.schema(*id).is_resource() => {
                let entries = rec
                    .fields
                    .iter()
                    .enumerate()
                    .map(|(i, (k, v))| {
                        (
                            k.clone(),
                            v.clone(),
                            rec.spans.get(i).copied().unwrap_or(span),
                        )
                    })
                    .collect();
                return Ok(Some(self.instantiate(*id, entries, span)?));
            }
            _ => false,
        };
        if fits {
            Ok(None)
        } else {
            Err(self.mismatch(value, ty))
        }
    }
}

/// Types that every value of the right base type fits: the checker saw to base types, so only
/// refinements (ranges, literals, unions), schemas (a record becomes an instance) and record
/// types (absent optional fields) need a look at run time. No per-element work for
/// `List[String]`.
fn trivially_fits(ty: &Ty) -> bool {
    match ty {
        Ty::Unknown
        | Ty::Never
        | Ty::Int
        | Ty::String
        | Ty::Bool
        | Ty::Null
        | Ty::Fn(_)
        | Ty::Module(_) => true,
        Ty::List(elem) | Ty::Map(elem) | Ty::Optional(elem) => trivially_fits(elem),
        Ty::Range(..) | Ty::Lits(_) | Ty::Record(_) | Ty::Union(_) | Ty::Schema(_) => false,
    }
}

fn lit_matches(lit: &Lit, v: &Value<'_>) -> bool {
    match (lit, v) {
        (Lit::Int(a), Value::Int(b)) => a == b,
        (Lit::Str(a), Value::Str(b)) => **a == **b,
        (Lit::Bool(a), Value::Bool(b)) => a == b,
        (Lit::Null, Value::Null) => true,
        _ => false,
    }
}

fn with_seg(e: ConformError, seg: String) -> ConformError {
    match e {
        ConformError::Mismatch(mut m) => {
            m.path.push(seg);
            ConformError::Mismatch(m)
        }
        other => other,
    }
}

/// `.name`, or `."X-Key"` when the key is not an identifier.
fn segment(key: &str) -> String {
    if fgl_check::loader::is_identifier(key) {
        format!(".{key}")
    } else {
        format!(".{key:?}")
    }
}

fn key_of<'a>(rec: &crate::value::Record<'a>, name: &str) -> Key<'a> {
    rec.position(name)
        .map(|i| rec.fields[i].0.clone())
        .unwrap_or_else(|| Key::Rc(Rc::from(name)))
}
