//! Runtime values. Everything is immutable and reference-counted, so a clone is a pointer copy;
//! `'a` is the lifetime of the program (closures point into its syntax tree).

use rustc_hash::FxHashMap as HashMap;
use std::cell::OnceCell;
use std::fmt::Write;
use std::ops::Deref;
use std::rc::Rc;

use fgl_check::{ModuleId, SchemaId, Ty};
use fgl_syntax::{ast, Span};

use crate::builtins::Builtin;
use crate::env::Env;

#[derive(Clone, Debug)]
pub enum Value<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Str(Rc<str>),
    List(Rc<Vec<Value<'a>>>),
    /// A record or a map (a map is a record with computed keys).
    Record(Rc<Record<'a>>),
    /// A value of a schema or resource. Resources have identity: the `Rc`'s address.
    Instance(Rc<Instance<'a>>),
    Closure(Rc<Closure<'a>>),
    Builtin(Builtin),
    /// What an import binds: reading `m.x` forces the module's binding `x`.
    Module(ModuleId),
}

/// A record key: borrowed from the source when written there (no allocation for the common
/// case), shared otherwise.
#[derive(Clone, Debug)]
pub enum Key<'a> {
    Src(&'a str),
    Rc(Rc<str>),
}

impl Deref for Key<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Key::Src(s) => s,
            Key::Rc(s) => s,
        }
    }
}

impl PartialEq for Key<'_> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for Key<'_> {}

impl std::hash::Hash for Key<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (**self).hash(state)
    }
}

impl std::borrow::Borrow<str> for Key<'_> {
    fn borrow(&self) -> &str {
        self
    }
}

/// Records longer than this get a hash index on first lookup (maps built by comprehensions
/// can be large; small records are faster to scan).
pub const INDEX_THRESHOLD: usize = 16;

#[derive(Debug, Default)]
pub struct Record<'a> {
    /// In insertion order; keys are unique.
    pub fields: Vec<(Key<'a>, Value<'a>)>,
    /// The span of each field's value, parallel to `fields`, when the record was written as a
    /// literal (empty otherwise): a record that becomes a schema value keeps them, so that a
    /// later diagnostic can point at one field (`health = { timeout = 40 }`).
    pub spans: Vec<Span>,
    index: OnceCell<HashMap<Key<'a>, usize>>,
}

impl<'a> Record<'a> {
    pub fn new(fields: Vec<(Key<'a>, Value<'a>)>) -> Self {
        Record {
            fields,
            spans: Vec::new(),
            index: OnceCell::new(),
        }
    }

    /// A record literal's value: its fields with the span of each value.
    pub fn with_spans(fields: Vec<(Key<'a>, Value<'a>)>, spans: Vec<Span>) -> Self {
        Record {
            fields,
            spans,
            index: OnceCell::new(),
        }
    }

    pub fn position(&self, name: &str) -> Option<usize> {
        if self.fields.len() <= INDEX_THRESHOLD {
            return self.fields.iter().position(|(k, _)| &**k == name);
        }
        let index = self.index.get_or_init(|| {
            let mut index =
                HashMap::with_capacity_and_hasher(self.fields.len(), Default::default());
            for (i, (k, _)) in self.fields.iter().enumerate() {
                index.entry(k.clone()).or_insert(i);
            }
            index
        });
        index.get(name).copied()
    }

    pub fn get(&self, name: &str) -> Option<&Value<'a>> {
        self.position(name).map(|i| &self.fields[i].1)
    }

    pub fn len(&self) -> usize {
        self.fields.len()
    }
}

/// A value of a schema: one value per declared field, in declaration order (defaults filled,
/// absent optional fields null).
#[derive(Debug)]
pub struct Instance<'a> {
    pub schema: SchemaId,
    pub fields: Vec<Value<'a>>,
    /// The span of each field's value, parallel to `fields`: the expression that set it, or
    /// the instantiation when it came from a default (so rules can point at a field).
    pub field_spans: Vec<Span>,
    /// The instantiation (for messages, and a resource's origin).
    pub span: Span,
}

/// A function value: its code and the scope it was created in.
#[derive(Debug)]
pub struct Closure<'a> {
    pub code: Rc<FnCode<'a>>,
    pub env: Env<'a>,
}

/// What every closure made by one `fn` expression shares: its syntax and resolved parameter
/// types (resolved once per expression, not per call).
#[derive(Debug)]
pub struct FnCode<'a> {
    pub params: &'a [ast::FnParam],
    pub tys: Vec<Ty>,
    pub body: &'a ast::Expr,
}

impl<'a> Value<'a> {
    pub fn str(s: &str) -> Self {
        Value::Str(Rc::from(s))
    }

    pub fn record(fields: Vec<(Key<'a>, Value<'a>)>) -> Self {
        Value::Record(Rc::new(Record::new(fields)))
    }

    pub fn list(items: Vec<Value<'a>>) -> Self {
        Value::List(Rc::new(items))
    }

    /// How messages name the kind of this value.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a Bool",
            Value::Int(_) => "an Int",
            Value::Str(_) => "a String",
            Value::List(_) => "a list",
            Value::Record(_) => "a record",
            Value::Instance(_) => "a schema value",
            Value::Closure(_) | Value::Builtin(_) => "a function",
            Value::Module(_) => "a module",
        }
    }
}

/// A short rendering of a value for messages: scalars as written in fgl, long strings cut.
pub fn show(value: &Value<'_>) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(n) => n.to_string(),
        Value::Str(s) => {
            let mut out = String::from("\"");
            for (i, c) in s.chars().enumerate() {
                if i == 40 {
                    out.push('…');
                    break;
                }
                let _ = write!(out, "{}", c.escape_debug());
            }
            out.push('"');
            out
        }
        Value::List(items) => format!("a list of {}", plural(items.len(), "element")),
        Value::Record(r) => format!("a record of {}", plural(r.len(), "field")),
        other => other.kind().into(),
    }
}

pub fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}
