//! The syntax tree. Every node carries a [`Span`]; `Error` variants stand where the parser
//! recovered from a syntax error (a diagnostic was reported for each).
//!
//! Parentheses are kept as [`ExprKind::Paren`] / [`TypeKind::Paren`] so that tools can
//! reproduce the source faithfully.

use crate::span::Span;

/// A parsed file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Module {
    pub items: Vec<Item>,
    /// Every comment in the file (doc comments included), in source order.
    pub comments: Vec<Comment>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentKind {
    /// `# …`
    Line,
    /// `## …`: documentation of the binding, field or schema right below it.
    Doc,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub kind: CommentKind,
    /// The comment's text after `#` (or `##`), as written (leading space kept).
    pub text: String,
    /// Covers the whole comment, `#` included, up to (not including) the newline.
    pub span: Span,
}

/// The text of a run of `##` lines attached to the item or field below it, with the `##` and
/// one following space removed from every line, lines joined by `\n`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Doc {
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub kind: ItemKind,
    pub doc: Option<Doc>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItemKind {
    /// `import "std/aws"` or `import "./net.fgl" as net`
    Import(Import),
    /// `name = expr` or `name: Type = expr`: a public binding (`stack = "…"` is one too).
    Binding(Binding),
    /// `let name = expr`: a private binding.
    Let(Binding),
    /// `param name: Type = default`
    Param(Param),
    /// `type Name = Type`
    TypeAlias(TypeAlias),
    /// `schema Name { … }` or `resource Name { … }`
    Schema(Schema),
    /// `check cond else "message"`
    Check(Check),
    /// An item that could not be parsed.
    Error,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Import {
    /// The path as written (a plain string: no interpolation).
    pub path: String,
    pub path_span: Span,
    pub alias: Option<Ident>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Binding {
    pub name: Ident,
    pub ty: Option<Type>,
    pub value: Expr,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    pub name: Ident,
    pub ty: Type,
    pub default: Option<Expr>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeAlias {
    pub name: Ident,
    pub ty: Type,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SchemaKind {
    Schema,
    Resource,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Schema {
    pub kind: SchemaKind,
    pub name: Ident,
    pub entries: Vec<SchemaEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SchemaEntry {
    Field(SchemaField),
    Check(Check, Span),
    Error(Span),
}

impl SchemaEntry {
    pub fn span(&self) -> Span {
        match self {
            SchemaEntry::Field(f) => f.span,
            SchemaEntry::Check(_, span) | SchemaEntry::Error(span) => *span,
        }
    }
}

/// `name: Type` (required), `name: Type = default`, or `name: Type?` (optional).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchemaField {
    pub doc: Option<Doc>,
    pub name: Ident,
    pub ty: Type,
    pub default: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Check {
    pub cond: Expr,
    pub message: Expr,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExprKind {
    Int(i64),
    Str(StrLit),
    Bool(bool),
    Null,
    Name(Ident),
    List(Vec<Expr>),
    Record(Vec<RecordField>),
    /// `base.name`
    Field {
        base: Box<Expr>,
        name: Ident,
    },
    /// `callee(args)`
    Call {
        callee: Box<Expr>,
        args: Vec<Arg>,
    },
    /// `aws.Container { … }` / `Probe { … }`: `schema` is a name or a dotted path.
    Instantiate {
        schema: Box<Expr>,
        fields: Vec<RecordField>,
        /// The braces and what is between them.
        body_span: Span,
    },
    If {
        cond: Box<Expr>,
        then_branch: Box<Expr>,
        else_branch: Box<Expr>,
    },
    /// `let name = value in body` (boxed: rare, and large).
    Let(Box<LetExpr>),
    /// `fn(a: Int, b: String = "x") => body`
    Fn {
        params: Vec<FnParam>,
        body: Box<Expr>,
    },
    /// `[ head for x in xs if cond ]`
    ListComp {
        head: Box<Expr>,
        clauses: Vec<CompClause>,
    },
    /// `{ key = value for k, v in m if cond }` (boxed: rare, and large).
    RecordComp(Box<RecordComp>),
    Unary {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    Binary {
        op: BinaryOp,
        lhs: Box<Expr>,
        rhs: Box<Expr>,
    },
    Paren(Box<Expr>),
    /// An expression that could not be parsed.
    Error,
}

/// `let name: T = value in body`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LetExpr {
    pub name: Ident,
    pub ty: Option<Type>,
    pub value: Expr,
    pub body: Expr,
}

/// `{ key = value for k, v in m if cond }`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordComp {
    pub key: Key,
    pub value: Expr,
    pub clauses: Vec<CompClause>,
}

/// `a = 1`, `a.b.c = 2`, `"X-Api-Key" = k`, with the doc comment right above it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordField {
    pub doc: Option<Doc>,
    /// One key, or several for a nested key (`b.c = 2`).
    pub path: Vec<Key>,
    pub value: Expr,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Key {
    Ident(Ident),
    /// A quoted key; may be interpolated (`"${k}" = v`).
    Str(StrLit, Span),
}

impl Key {
    pub fn span(&self) -> Span {
        match self {
            Key::Ident(ident) => ident.span,
            Key::Str(_, span) => *span,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arg {
    /// `name = value` for a named argument.
    pub name: Option<Ident>,
    pub value: Expr,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FnParam {
    pub name: Ident,
    pub ty: Type,
    pub default: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CompClause {
    /// `for x in xs` or `for k, v in m`
    For {
        vars: Vec<Ident>,
        iter: Expr,
        span: Span,
    },
    /// `if cond`
    If { cond: Expr, span: Span },
}

/// A string literal: `"…"` or `"""…"""`. For multi-line strings the text parts are already
/// de-indented and escapes are resolved in both forms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StrLit {
    pub parts: Vec<StrPart>,
    pub multiline: bool,
}

impl StrLit {
    /// The value when the literal has no interpolation.
    pub fn as_plain(&self) -> Option<String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                StrPart::Text(text, _) => out.push_str(text),
                StrPart::Interp(_) => return None,
            }
        }
        Some(out)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StrPart {
    /// Literal text (escapes resolved) and the span of its source text.
    Text(String, Span),
    /// `${expr}`
    Interp(Expr),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    Neg,
    Not,
}

impl UnaryOp {
    pub fn as_str(self) -> &'static str {
        match self {
            UnaryOp::Neg => "-",
            UnaryOp::Not => "!",
        }
    }
}

/// Binary operators. Precedence, loosest first (see docs/language.md):
/// `||` < `&&` < comparisons and `in` (non-associative) < `??` (right) < `//` < `++` <
/// `+ -` < `* / %` < unary `- !` < postfix `.f`, `(…)`, `{…}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinaryOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    Coalesce,
    Merge,
    Concat,
    Add,
    Sub,
    Mul,
    Div,
    Rem,
}

impl BinaryOp {
    pub fn as_str(self) -> &'static str {
        match self {
            BinaryOp::Or => "||",
            BinaryOp::And => "&&",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::In => "in",
            BinaryOp::Coalesce => "??",
            BinaryOp::Merge => "//",
            BinaryOp::Concat => "++",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Rem => "%",
        }
    }

    /// Binding strength: higher binds tighter.
    pub fn precedence(self) -> u8 {
        match self {
            BinaryOp::Or => 1,
            BinaryOp::And => 2,
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge
            | BinaryOp::In => 3,
            BinaryOp::Coalesce => 4,
            BinaryOp::Merge => 5,
            BinaryOp::Concat => 6,
            BinaryOp::Add | BinaryOp::Sub => 7,
            BinaryOp::Mul | BinaryOp::Div | BinaryOp::Rem => 8,
        }
    }

    pub fn is_right_assoc(self) -> bool {
        matches!(self, BinaryOp::Coalesce)
    }

    pub fn is_comparison(self) -> bool {
        self.precedence() == 3
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Type {
    pub kind: TypeKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeKind {
    /// `Int`, `Port`, `aws.Container`: one or more dotted segments.
    Name(Vec<Ident>),
    /// `List[T]`, `Map[T]`
    Apply {
        name: Vec<Ident>,
        args: Vec<Type>,
    },
    /// `{ name: String, port?: Port }`
    Record(Vec<RecordTypeField>),
    /// `T?`
    Optional(Box<Type>),
    /// `1..65535` (bounds may be negative)
    Range {
        lo: i64,
        hi: i64,
    },
    /// `"http"`, `256`, `true`: a singleton type, usually inside a union.
    Literal(Literal),
    /// `"http" | "https"`
    Union(Vec<Type>),
    /// `fn(Int, String) -> Bool`
    Fn {
        params: Vec<Type>,
        ret: Box<Type>,
    },
    Paren(Box<Type>),
    Error,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Literal {
    Int(i64),
    Str(String),
    Bool(bool),
    Null,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordTypeField {
    pub doc: Option<Doc>,
    pub name: Ident,
    /// `port?: Port`
    pub optional: bool,
    pub ty: Type,
    pub span: Span,
}
