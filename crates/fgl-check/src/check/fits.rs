//! Assignability (`fits`) and the join of two types (list elements, `if` branches). Pure
//! functions of types and declarations, so they are unit-tested on their own.

use std::rc::Rc;

use fgl_syntax::codes;
use fgl_syntax::diagnostic::Code;

use crate::decls::Decls;
use crate::ty::{FieldTy, Lit, RecordTy, Ty};

/// Why a type does not fit another: the code to report, and, for a mismatch deep inside a
/// list or record, what exactly differs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Misfit {
    pub code: Code,
    /// "field `port`: expected Int, found String" for nested mismatches.
    pub detail: Option<String>,
    pub help: Option<String>,
}

impl Misfit {
    fn new(code: Code) -> Self {
        Misfit {
            code,
            detail: None,
            help: None,
        }
    }

    fn mismatch() -> Self {
        Misfit::new(codes::TYPE_MISMATCH)
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Wraps an inner misfit with where it happened (`field `a``, `element`).
    fn inside(mut self, place: &str, found: &Ty, expected: &Ty, decls: &Decls<'_>) -> Self {
        let inner = match self.detail.take() {
            Some(inner) => inner,
            None => format!(
                "expected {}, found {}",
                show_short(expected, decls),
                show_short(found, decls)
            ),
        };
        self.detail = Some(format!("{place}: {inner}"));
        self
    }
}

/// Shows a type for a message, shortened when it is very long (big record literals).
pub fn show_short(ty: &Ty, decls: &Decls<'_>) -> String {
    const MAX: usize = 100;
    let text = ty.show(decls).to_string();
    if text.chars().count() <= MAX {
        return text;
    }
    let cut: String = text.chars().take(MAX - 1).collect();
    format!("{cut}…")
}

/// Whether `ty` is the standard library's `aws.Secret`.
pub fn is_secret(ty: &Ty, decls: &Decls<'_>) -> bool {
    match ty {
        Ty::Schema(id) => decls.schema(*id).is_secret,
        Ty::Optional(inner) => is_secret(inner, decls),
        Ty::Union(tys) => tys.iter().any(|t| is_secret(t, decls)),
        _ => false,
    }
}

/// The base of a literal or refinement type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Base {
    Int,
    Str,
    Bool,
}

fn lit_base(lit: &Lit) -> Option<Base> {
    match lit {
        Lit::Int(_) => Some(Base::Int),
        Lit::Str(_) => Some(Base::Str),
        Lit::Bool(_) => Some(Base::Bool),
        Lit::Null => None,
    }
}

fn base_of(ty: &Ty) -> Option<Base> {
    match ty {
        Ty::Int | Ty::Range(..) => Some(Base::Int),
        Ty::String => Some(Base::Str),
        Ty::Bool => Some(Base::Bool),
        Ty::Lits(lits) => {
            let mut bases = lits.iter().filter_map(lit_base);
            let first = bases.next()?;
            bases.all(|b| b == first).then_some(first)
        }
        _ => None,
    }
}

/// Whether a value of type `found` may stand where `expected` is expected. Unknown fits
/// everywhere (an error was reported already); computed Ints and Strings fit ranges and unions
/// (the evaluator checks their values).
pub fn fits(found: &Ty, expected: &Ty, decls: &Decls<'_>) -> Result<(), Misfit> {
    match (found, expected) {
        (Ty::Unknown | Ty::Never, _) | (_, Ty::Unknown) => return Ok(()),
        (Ty::Union(members), _) => {
            return members.iter().try_for_each(|m| fits(m, expected, decls));
        }
        (Ty::Lits(lits), _) => return lits.iter().try_for_each(|l| lit_fits(l, expected)),
        (Ty::Null, _) => {
            return if expected.admits_null() {
                Ok(())
            } else {
                Err(Misfit::mismatch())
            };
        }
        (Ty::Optional(inner), _) => {
            return if expected.admits_null() {
                fits(inner, &expected.non_null(), decls)
            } else {
                Err(Misfit::mismatch()
                    .help("the value may be null: give a fallback with `??`, e.g. `x ?? default`"))
            };
        }
        _ => {}
    }
    match expected {
        Ty::Optional(inner) => fits(found, inner, decls),
        Ty::Union(members) => {
            let mut best = Misfit::mismatch();
            for member in members {
                match fits(found, member, decls) {
                    Ok(()) => return Ok(()),
                    Err(m) if m.code != codes::TYPE_MISMATCH => best = m,
                    Err(_) => {}
                }
            }
            Err(best)
        }
        Ty::Int | Ty::String | Ty::Bool | Ty::Range(..) | Ty::Lits(_) => {
            fits_scalar(found, expected, decls)
        }
        Ty::Null => Err(Misfit::mismatch()),
        Ty::List(elem) => match found {
            Ty::List(f) => fits(f, elem, decls).map_err(|m| m.inside("element", f, elem, decls)),
            _ => Err(Misfit::mismatch()),
        },
        Ty::Map(elem) => match found {
            Ty::Map(f) => fits(f, elem, decls).map_err(|m| m.inside("value", f, elem, decls)),
            Ty::Record(record) => record.fields.iter().try_for_each(|field| {
                let ty = field_value_ty(field);
                fits(&ty, elem, decls)
                    .map_err(|m| m.inside(&format!("field `{}`", field.name), &ty, elem, decls))
            }),
            _ => Err(Misfit::mismatch()),
        },
        Ty::Record(want) => match found {
            Ty::Record(have) => record_fits(&have.fields, &want.fields, decls),
            Ty::Schema(id) => {
                let have: Vec<FieldTy> = decls
                    .schema(*id)
                    .fields
                    .iter()
                    .map(|f| FieldTy {
                        name: f.name.clone(),
                        ty: f.ty.clone(),
                        optional: false,
                    })
                    .collect();
                record_fits(&have, &want.fields, decls)
            }
            _ => Err(Misfit::mismatch()),
        },
        Ty::Schema(want) => match found {
            Ty::Schema(have) if have == want => Ok(()),
            Ty::Record(have) => {
                let schema = decls.schema(*want);
                if schema.is_resource() {
                    return Err(Misfit::mismatch().help(format!(
                        "a resource is created explicitly, so that it has a name: `{} {{ … }}`",
                        schema.display_name
                    )));
                }
                let want_fields: Vec<FieldTy> = schema
                    .fields
                    .iter()
                    .map(|f| FieldTy {
                        name: f.name.clone(),
                        ty: f.ty.clone(),
                        optional: !f.is_required(),
                    })
                    .collect();
                record_fits(&have.fields, &want_fields, decls)
            }
            _ => Err(Misfit::mismatch()),
        },
        Ty::Fn(want) => match found {
            Ty::Fn(have) => {
                let required = have.params.iter().filter(|p| !p.has_default).count();
                if want.params.len() < required || want.params.len() > have.params.len() {
                    return Err(Misfit::mismatch());
                }
                for (w, h) in want.params.iter().zip(&have.params) {
                    fits(&w.ty, &h.ty, decls).map_err(|_| Misfit::mismatch())?;
                }
                fits(&have.ret, &want.ret, decls)
                    .map_err(|m| m.inside("result", &have.ret, &want.ret, decls))
            }
            _ => Err(Misfit::mismatch()),
        },
        Ty::Module(_) => Err(Misfit::mismatch()),
        Ty::Unknown | Ty::Never => Ok(()),
    }
}

/// A record field's value type as seen from outside: optional fields may be absent (null).
fn field_value_ty(field: &FieldTy) -> Ty {
    if field.optional {
        Ty::optional(field.ty.clone())
    } else {
        field.ty.clone()
    }
}

fn record_fits(have: &[FieldTy], want: &[FieldTy], decls: &Decls<'_>) -> Result<(), Misfit> {
    for field in have {
        let Some(target) = want.iter().find(|w| w.name == field.name) else {
            let mut m = Misfit::new(codes::UNKNOWN_FIELD);
            m.detail = Some(format!("unknown field `{}`", field.name));
            return Err(m);
        };
        let ty = field_value_ty(field);
        let target_ty = field_value_ty(target);
        fits(&ty, &target_ty, decls)
            .map_err(|m| m.inside(&format!("field `{}`", field.name), &ty, &target_ty, decls))?;
    }
    let missing: Vec<&str> = want
        .iter()
        .filter(|w| !w.optional && !w.ty.admits_null())
        .filter(|w| !have.iter().any(|h| h.name == w.name && !h.optional))
        .map(|w| w.name.as_str())
        .collect();
    if !missing.is_empty() {
        let mut m = Misfit::new(codes::MISSING_FIELDS);
        m.detail = Some(format!("missing {}", crate::suggest::list(&missing)));
        return Err(m);
    }
    Ok(())
}

/// `found` (not a literal) against Int, String, Bool, a range or a union of literals.
fn fits_scalar(found: &Ty, expected: &Ty, decls: &Decls<'_>) -> Result<(), Misfit> {
    if is_secret(found, decls) && base_of(expected) == Some(Base::Str) {
        return Err(Misfit::new(codes::SECRET_AS_VALUE));
    }
    let Some(have) = base_of(found) else {
        return Err(Misfit::mismatch());
    };
    if base_of(expected) != Some(have) {
        return Err(Misfit::mismatch());
    }
    match (found, expected) {
        (Ty::Range(a, b), Ty::Range(lo, hi)) if b < lo || a > hi => {
            Err(Misfit::new(codes::OUT_OF_RANGE))
        }
        (Ty::Range(a, b), Ty::Lits(lits))
            if !lits
                .iter()
                .any(|l| matches!(l, Lit::Int(n) if a <= n && n <= b)) =>
        {
            Err(Misfit::new(codes::OUT_OF_RANGE))
        }
        _ => Ok(()),
    }
}

/// One literal against a type: the place where `cpu = 300` becomes E0206.
fn lit_fits(lit: &Lit, expected: &Ty) -> Result<(), Misfit> {
    match expected {
        Ty::Unknown | Ty::Never => Ok(()),
        Ty::Optional(inner) => {
            if *lit == Lit::Null {
                Ok(())
            } else {
                lit_fits(lit, inner)
            }
        }
        Ty::Union(members) => {
            let mut best = Misfit::mismatch();
            for member in members {
                match lit_fits(lit, member) {
                    Ok(()) => return Ok(()),
                    Err(m) if m.code != codes::TYPE_MISMATCH => best = m,
                    Err(_) => {}
                }
            }
            Err(best)
        }
        Ty::Null => match lit {
            Lit::Null => Ok(()),
            _ => Err(Misfit::mismatch()),
        },
        Ty::Int => match lit {
            Lit::Int(_) => Ok(()),
            _ => Err(Misfit::mismatch()),
        },
        Ty::String => match lit {
            Lit::Str(_) => Ok(()),
            _ => Err(Misfit::mismatch()),
        },
        Ty::Bool => match lit {
            Lit::Bool(_) => Ok(()),
            _ => Err(Misfit::mismatch()),
        },
        Ty::Range(lo, hi) => match lit {
            Lit::Int(n) if lo <= n && n <= hi => Ok(()),
            Lit::Int(_) => Err(Misfit::new(codes::OUT_OF_RANGE)),
            _ => Err(Misfit::mismatch()),
        },
        Ty::Lits(allowed) => {
            if allowed.contains(lit) {
                Ok(())
            } else if lit == &Lit::Null {
                Err(Misfit::mismatch())
            } else if allowed.iter().any(|a| lit_base(a) == lit_base(lit)) {
                Err(Misfit::new(codes::OUT_OF_RANGE))
            } else {
                Err(Misfit::mismatch())
            }
        }
        _ => match lit {
            Lit::Null if expected.admits_null() => Ok(()),
            _ => Err(Misfit::mismatch()),
        },
    }
}

/// Most literals a joined union keeps before widening to its base type.
const MAX_JOINED_LITS: usize = 16;
/// Most members of a joined union of unrelated types before giving up (Unknown).
const MAX_JOINED_UNION: usize = 8;

/// The smallest type both `a` and `b` fit, approximately: literals of one base merge into a
/// union (widened past [`MAX_JOINED_LITS`]), null makes an optional, records join field-wise
/// (a field missing on one side becomes optional), unrelated types make a union.
pub fn join(a: &Ty, b: &Ty, decls: &Decls<'_>) -> Ty {
    if a == b {
        return a.clone();
    }
    match (a, b) {
        (Ty::Unknown, _) | (_, Ty::Unknown) => Ty::Unknown,
        (Ty::Never, other) | (other, Ty::Never) => other.clone(),
        (Ty::Null, other) | (other, Ty::Null) => Ty::optional(other.clone()),
        (Ty::Optional(x), other) | (other, Ty::Optional(x)) => {
            Ty::optional(join(x, &other.non_null(), decls))
        }
        (Ty::Lits(x), Ty::Lits(y)) if base_of(a).is_some() && base_of(a) == base_of(b) => {
            let mut lits = x.clone();
            for l in y {
                if !lits.contains(l) {
                    lits.push(l.clone());
                }
            }
            if lits.len() > MAX_JOINED_LITS {
                widen(a)
            } else {
                Ty::Lits(lits)
            }
        }
        (Ty::List(x), Ty::List(y)) => Ty::list(join(x, y, decls)),
        (Ty::Map(x), Ty::Map(y)) => Ty::map(join(x, y, decls)),
        (Ty::Record(x), Ty::Record(y)) => join_records(x, y, decls),
        (Ty::Map(m), Ty::Record(r)) | (Ty::Record(r), Ty::Map(m)) => {
            let mut elem = (**m).clone();
            for f in &r.fields {
                elem = join(&elem, &f.ty, decls);
            }
            Ty::map(elem)
        }
        (Ty::Schema(_), Ty::Record(_)) if fits(b, a, decls).is_ok() => a.clone(),
        (Ty::Record(_), Ty::Schema(_)) if fits(a, b, decls).is_ok() => b.clone(),
        _ => match (base_of(a), base_of(b)) {
            (Some(x), Some(y)) if x == y => widen(a),
            _ => union(a, b),
        },
    }
}

/// A literal or refinement type's base type.
pub fn widen(ty: &Ty) -> Ty {
    match base_of(ty) {
        Some(Base::Int) => Ty::Int,
        Some(Base::Str) => Ty::String,
        Some(Base::Bool) => Ty::Bool,
        None => ty.clone(),
    }
}

fn union(a: &Ty, b: &Ty) -> Ty {
    let mut members: Vec<Ty> = Vec::new();
    for t in [a, b] {
        match t {
            Ty::Union(ts) => {
                for t in ts {
                    if !members.contains(t) {
                        members.push(t.clone());
                    }
                }
            }
            other => {
                if !members.contains(other) {
                    members.push(other.clone());
                }
            }
        }
    }
    if members.len() > MAX_JOINED_UNION {
        Ty::Unknown
    } else {
        Ty::Union(members)
    }
}

fn join_records(x: &Rc<RecordTy>, y: &Rc<RecordTy>, decls: &Decls<'_>) -> Ty {
    let mut fields: Vec<FieldTy> = Vec::with_capacity(x.fields.len().max(y.fields.len()));
    for f in &x.fields {
        match y.field(&f.name) {
            Some(g) => fields.push(FieldTy {
                name: f.name.clone(),
                ty: join(&f.ty, &g.ty, decls),
                optional: f.optional || g.optional,
            }),
            None => fields.push(FieldTy {
                optional: true,
                ..f.clone()
            }),
        }
    }
    for g in &y.fields {
        if x.field(&g.name).is_none() {
            fields.push(FieldTy {
                optional: true,
                ..g.clone()
            });
        }
    }
    Ty::Record(Rc::new(RecordTy { fields }))
}
