//! A hand-written recursive-descent parser for valid input: the fast path.
//!
//! Most files are valid, and chumsky's general machinery (backtracking alternatives, error
//! bookkeeping, recovery) costs more than the parse itself. This parser builds the very same
//! tree as the chumsky grammar, but gives up (returns `None`) at the first token it does not
//! expect, or where the chumsky grammar would report anything — a keyword used as a name, a
//! missing separator, a limit. Then the chumsky parser runs and describes the problem. So
//! this file never reports errors, and may be conservative: giving up is always correct.
//!
//! A test (`fast_path_agrees`) checks that whenever this parser succeeds, the chumsky parser
//! produces an equal tree, over every fixture and random inputs.

use super::strings::{build as build_string, RawPart};
use super::{MAX_CHAIN, MAX_OPTIONAL_MARKS, MAX_TREE_DEPTH};
use crate::ast::{
    Arg, BinaryOp, Binding, Check, CompClause, Expr, ExprKind, FnParam, Ident, Import, Item,
    ItemKind, Key, LetExpr, Literal, Module, Param, RecordComp, RecordField, RecordTypeField,
    Schema, SchemaEntry, SchemaField, SchemaKind, StrLit, Type, TypeAlias, TypeKind, UnaryOp,
};
use crate::span::Span;
use crate::token::Tok;
use crate::walk;

/// Nesting (of expressions and types) beyond which this parser gives up: well below the
/// chumsky grammar's own limit, so that the grammar, not this parser, reports deep input.
const MAX_DEPTH: usize = 100;

/// Stack growth for the recursion (as the grammar's guard does): when less than the red zone
/// is left, continue on a new segment.
const STACK_RED_ZONE: usize = 128 * 1024;
const STACK_GROWTH: usize = 2 * 1024 * 1024;

/// Gives up: the chumsky parser takes over.
struct Bail;

type R<T> = Result<T, Bail>;

/// Parses valid input, or returns `None`.
pub(crate) fn parse(tokens: &[(Tok<'_>, Span)], eoi: Span) -> Option<Module> {
    let mut p = Parser {
        tokens,
        pos: 0,
        depth: 0,
    };
    p.module(eoi).ok()
}

struct Parser<'t, 's> {
    tokens: &'t [(Tok<'s>, Span)],
    pos: usize,
    depth: usize,
}

impl<'s> Parser<'_, 's> {
    fn peek(&self) -> Option<Tok<'s>> {
        self.tokens.get(self.pos).map(|(t, _)| *t)
    }

    fn peek_at(&self, ahead: usize) -> Option<Tok<'s>> {
        self.tokens.get(self.pos + ahead).map(|(t, _)| *t)
    }

    fn span_here(&self) -> Span {
        self.tokens
            .get(self.pos)
            .map(|(_, s)| *s)
            .unwrap_or_default()
    }

    /// The span of the last consumed token.
    fn prev_span(&self) -> Span {
        self.pos
            .checked_sub(1)
            .and_then(|i| self.tokens.get(i))
            .map(|(_, s)| *s)
            .unwrap_or_default()
    }

    /// From the start of the token at `start` to the end of the last consumed one, as chumsky
    /// computes a parser's span.
    fn since(&self, start: usize) -> Span {
        let first = self.tokens.get(start).map(|(_, s)| *s).unwrap_or_default();
        first.to(self.prev_span())
    }

    fn bump(&mut self) -> Span {
        let span = self.span_here();
        self.pos += 1;
        span
    }

    fn eat(&mut self, tok: Tok<'_>) -> bool {
        if self.peek() == Some(tok) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, tok: Tok<'_>) -> R<Span> {
        if self.peek() == Some(tok) {
            Ok(self.bump())
        } else {
            Err(Bail)
        }
    }

    fn skip_newlines(&mut self) {
        while self.peek() == Some(Tok::Newline) {
            self.pos += 1;
        }
    }

    /// An identifier (a keyword here would be reported by the grammar).
    fn name(&mut self) -> R<Ident> {
        match self.peek() {
            Some(Tok::Ident(name)) => {
                let span = self.bump();
                Ok(Ident {
                    name: name.to_string(),
                    span,
                })
            }
            _ => Err(Bail),
        }
    }

    fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            Err(Bail)
        } else {
            Ok(())
        }
    }

    // ----- module and items -------------------------------------------------------------

    fn module(&mut self, eoi: Span) -> R<Module> {
        self.skip_newlines();
        let mut items = Vec::new();
        while self.pos < self.tokens.len() {
            if !items.is_empty() {
                // Items are separated by one newline token; more may only end the module.
                self.expect(Tok::Newline)?;
                if self.peek() == Some(Tok::Newline) {
                    self.skip_newlines();
                    if self.pos < self.tokens.len() {
                        return Err(Bail);
                    }
                }
                if self.pos == self.tokens.len() {
                    break;
                }
            }
            items.push(self.item()?);
        }
        let span = if self.tokens.is_empty() {
            eoi
        } else {
            self.since(0)
        };
        Ok(Module {
            items,
            comments: Vec::new(),
            span,
        })
    }

    fn item(&mut self) -> R<Item> {
        let start = self.pos;
        let kind = match self.peek() {
            Some(Tok::Import) => {
                self.bump();
                let (lit, path_span) = self.string_lit()?;
                let path = lit.as_plain().ok_or(Bail)?;
                let alias = if self.eat(Tok::As) {
                    Some(self.name()?)
                } else {
                    None
                };
                ItemKind::Import(Import {
                    path,
                    path_span,
                    alias,
                })
            }
            Some(Tok::Param) => {
                self.bump();
                let name = self.name()?;
                self.expect(Tok::Colon)?;
                let ty = self.ty()?;
                let default = if self.eat(Tok::Assign) {
                    Some(self.expr(true)?)
                } else {
                    None
                };
                ItemKind::Param(Param { name, ty, default })
            }
            Some(Tok::Let) => {
                self.bump();
                ItemKind::Let(self.binding()?)
            }
            Some(Tok::Type) => {
                self.bump();
                let name = self.name()?;
                self.expect(Tok::Assign)?;
                let ty = self.ty()?;
                ItemKind::TypeAlias(TypeAlias { name, ty })
            }
            Some(Tok::Schema | Tok::Resource) => ItemKind::Schema(self.schema()?),
            Some(Tok::Check) => ItemKind::Check(self.check()?),
            Some(Tok::Ident(_)) => ItemKind::Binding(self.binding()?),
            _ => return Err(Bail),
        };
        Ok(Item {
            kind,
            doc: None,
            span: self.since(start),
        })
    }

    /// `name (: Type)? = value`
    fn binding(&mut self) -> R<Binding> {
        let name = self.name()?;
        let ty = if self.eat(Tok::Colon) {
            Some(self.ty()?)
        } else {
            None
        };
        self.expect(Tok::Assign)?;
        let value = self.expr(true)?;
        Ok(Binding { name, ty, value })
    }

    /// `check cond else message`
    fn check(&mut self) -> R<Check> {
        self.expect(Tok::Check)?;
        let cond = self.condition()?;
        self.expect(Tok::Else)?;
        let message = self.expr(true)?;
        Ok(Check { cond, message })
    }

    fn schema(&mut self) -> R<Schema> {
        let kind = match self.peek() {
            Some(Tok::Schema) => SchemaKind::Schema,
            Some(Tok::Resource) => SchemaKind::Resource,
            _ => return Err(Bail),
        };
        self.bump();
        let name = self.name()?;
        self.expect(Tok::LBrace)?;
        let entries = self.entries(Tok::RBrace, |p| {
            let start = p.pos;
            if p.peek() == Some(Tok::Check) {
                let check = p.check()?;
                return Ok(SchemaEntry::Check(check, p.since(start)));
            }
            let name = p.name()?;
            p.expect(Tok::Colon)?;
            let ty = p.ty()?;
            let default = if p.eat(Tok::Assign) {
                Some(p.expr(true)?)
            } else {
                None
            };
            Ok(SchemaEntry::Field(SchemaField {
                doc: None,
                name,
                ty,
                default,
                span: p.since(start),
            }))
        })?;
        self.expect(Tok::RBrace)?;
        Ok(Schema {
            kind,
            name,
            entries,
        })
    }

    /// Entries separated by `,` or newlines up to (not including) `close`, with optional
    /// leading newlines and a trailing separator.
    fn entries<T>(
        &mut self,
        close: Tok<'_>,
        mut entry: impl FnMut(&mut Self) -> R<T>,
    ) -> R<Vec<T>> {
        self.skip_newlines();
        let mut out = Vec::new();
        while self.peek() != Some(close) {
            out.push(entry(self)?);
            if !self.separator() {
                break;
            }
        }
        Ok(out)
    }

    /// `,` or a newline, then any newlines. Returns whether one was there.
    fn separator(&mut self) -> bool {
        if matches!(self.peek(), Some(Tok::Comma | Tok::Newline)) {
            self.pos += 1;
            self.skip_newlines();
            true
        } else {
            false
        }
    }

    // ----- expressions ------------------------------------------------------------------

    /// A whole expression; with `allow_in` false (the value of `let x = … in`), a top-level
    /// `in` ends it.
    fn expr(&mut self, allow_in: bool) -> R<Expr> {
        self.enter()?;
        // A level of nesting takes a few frames; keep room for the deepest input allowed.
        let result =
            stacker::maybe_grow(STACK_RED_ZONE, STACK_GROWTH, || self.expr_inner(allow_in));
        self.depth -= 1;
        result
    }

    fn expr_inner(&mut self, allow_in: bool) -> R<Expr> {
        let start = self.pos;
        let kind = match self.peek() {
            Some(Tok::If) => {
                self.bump();
                let cond = self.condition()?;
                self.expect(Tok::Then)?;
                let then_branch = self.expr(true)?;
                self.expect(Tok::Else)?;
                let else_branch = self.expr(allow_in)?;
                ExprKind::If {
                    cond: Box::new(cond),
                    then_branch: Box::new(then_branch),
                    else_branch: Box::new(else_branch),
                }
            }
            Some(Tok::Let) => {
                self.bump();
                let name = self.name()?;
                let ty = if self.eat(Tok::Colon) {
                    Some(self.ty()?)
                } else {
                    None
                };
                self.expect(Tok::Assign)?;
                let value = self.expr(false)?;
                self.expect(Tok::In)?;
                let body = self.expr(allow_in)?;
                ExprKind::Let(Box::new(LetExpr {
                    name,
                    ty,
                    value,
                    body,
                }))
            }
            Some(Tok::Fn) => {
                self.bump();
                self.expect(Tok::LParen)?;
                let mut params = Vec::new();
                while self.peek() != Some(Tok::RParen) {
                    let param_start = self.pos;
                    let name = self.name()?;
                    self.expect(Tok::Colon)?;
                    let ty = self.ty()?;
                    let default = if self.eat(Tok::Assign) {
                        Some(self.expr(true)?)
                    } else {
                        None
                    };
                    params.push(FnParam {
                        name,
                        ty,
                        default,
                        span: self.since(param_start),
                    });
                    if !self.eat(Tok::Comma) {
                        break;
                    }
                }
                self.expect(Tok::RParen)?;
                self.expect(Tok::FatArrow)?;
                let body = self.expr(allow_in)?;
                ExprKind::Fn {
                    params,
                    body: Box::new(body),
                }
            }
            _ => return self.binary(allow_in),
        };
        Ok(Expr {
            kind,
            span: self.since(start),
        })
    }

    /// A condition: an expression not followed by `=` (the grammar reports `=` there).
    fn condition(&mut self) -> R<Expr> {
        let cond = self.expr(true)?;
        if self.peek() == Some(Tok::Assign) {
            return Err(Bail);
        }
        Ok(cond)
    }

    fn binary_op(&self, allow_in: bool) -> Option<BinaryOp> {
        Some(match self.peek()? {
            Tok::Star => BinaryOp::Mul,
            Tok::Slash => BinaryOp::Div,
            Tok::Percent => BinaryOp::Rem,
            Tok::Plus => BinaryOp::Add,
            Tok::Minus => BinaryOp::Sub,
            Tok::PlusPlus => BinaryOp::Concat,
            Tok::SlashSlash => BinaryOp::Merge,
            Tok::QuestionQuestion => BinaryOp::Coalesce,
            Tok::EqEq => BinaryOp::Eq,
            Tok::NotEq => BinaryOp::Ne,
            Tok::Lt => BinaryOp::Lt,
            Tok::Le => BinaryOp::Le,
            Tok::Gt => BinaryOp::Gt,
            Tok::Ge => BinaryOp::Ge,
            Tok::In if allow_in => BinaryOp::In,
            Tok::AndAnd => BinaryOp::And,
            Tok::OrOr => BinaryOp::Or,
            _ => return None,
        })
    }

    /// `operand (op operand)*`, built by precedence climbing exactly as the grammar does.
    fn binary(&mut self, allow_in: bool) -> R<Expr> {
        let start = self.pos;
        let first = self.unary()?;
        let mut operands = vec![first];
        let mut ops: Vec<BinaryOp> = Vec::new();
        let mut links = 0usize;
        while let Some(op) = self.binary_op(allow_in) {
            self.bump();
            links += 1;
            if links > MAX_CHAIN {
                return Err(Bail);
            }
            let rhs = self.unary()?;
            while let Some(&top) = ops.last() {
                let reduce = top.precedence() > op.precedence()
                    || (top.precedence() == op.precedence() && !op.is_right_assoc());
                if !reduce {
                    break;
                }
                reduce_top(&mut operands, &mut ops)?;
            }
            ops.push(op);
            operands.push(rhs);
        }
        if self.peek() == Some(Tok::Pipe) {
            return Err(Bail);
        }
        while !ops.is_empty() {
            reduce_top(&mut operands, &mut ops)?;
        }
        let expr = operands.pop().ok_or(Bail)?;
        if links > 0 {
            self.bounded(start, expr)
        } else {
            Ok(expr)
        }
    }

    /// Prefix `-` and `!`, then an operand with its postfix operations.
    fn unary(&mut self) -> R<Expr> {
        let start = self.pos;
        let mut ops: Vec<(UnaryOp, Span)> = Vec::new();
        loop {
            let op = match self.peek() {
                Some(Tok::Minus) => UnaryOp::Neg,
                Some(Tok::Bang) => UnaryOp::Not,
                _ => break,
            };
            ops.push((op, self.bump()));
            if ops.len() > MAX_CHAIN {
                return Err(Bail);
            }
        }
        let operand = self.postfix()?;
        if ops.is_empty() {
            return Ok(operand);
        }
        let expr = ops
            .into_iter()
            .rev()
            .fold(operand, |inner, (op, op_span)| Expr {
                span: op_span.to(inner.span),
                kind: ExprKind::Unary {
                    op,
                    operand: Box::new(inner),
                },
            });
        self.bounded(start, expr)
    }

    fn postfix(&mut self) -> R<Expr> {
        let start = self.pos;
        let mut expr = self.atom()?;
        let mut links = 0usize;
        loop {
            let op_start = self.pos;
            let kind = match self.peek() {
                Some(Tok::Dot) => {
                    self.bump();
                    let name = self.field_name()?;
                    ExprKind::Field {
                        base: Box::new(expr),
                        name,
                    }
                }
                Some(Tok::LParen) => {
                    self.bump();
                    let args = self.args()?;
                    self.expect(Tok::RParen)?;
                    ExprKind::Call {
                        callee: Box::new(expr),
                        args,
                    }
                }
                Some(Tok::LBrace) => {
                    if !is_path(&expr) {
                        return Err(Bail);
                    }
                    self.bump();
                    let fields = match self.record_body()? {
                        RecordBody::Fields(fields) => fields,
                        RecordBody::Comprehension(_) => return Err(Bail),
                    };
                    self.expect(Tok::RBrace)?;
                    ExprKind::Instantiate {
                        schema: Box::new(expr),
                        fields,
                        body_span: self.since(op_start),
                    }
                }
                Some(Tok::DotDot | Tok::Question | Tok::LBracket) => return Err(Bail),
                _ => break,
            };
            links += 1;
            if links > MAX_CHAIN {
                // `expr` was moved into `kind`: take it apart without recursion.
                walk::dismantle(Expr {
                    kind,
                    span: Span::default(),
                });
                return Err(Bail);
            }
            let span = match &kind {
                ExprKind::Field { base, .. }
                | ExprKind::Call { callee: base, .. }
                | ExprKind::Instantiate { schema: base, .. } => base.span.to(self.prev_span()),
                _ => self.prev_span(),
            };
            expr = Expr { kind, span };
        }
        if links > 0 {
            self.bounded(start, expr)
        } else {
            Ok(expr)
        }
    }

    /// The grammar's tree-depth limit, for an expression built from the tokens since `start`.
    /// Every node of a tree owns at least one token of its own (an operator, a bracket, a
    /// keyword, the literal), so a tree built from fewer tokens than the limit is within it
    /// and need not be walked.
    fn bounded(&self, start: usize, expr: Expr) -> R<Expr> {
        if self.pos - start <= MAX_TREE_DEPTH {
            Ok(expr)
        } else {
            bounded(expr)
        }
    }

    /// After `.`: a name, a keyword (`x.type`) or a plain quoted name.
    fn field_name(&mut self) -> R<Ident> {
        match self.peek() {
            Some(Tok::Ident(name)) => {
                let span = self.bump();
                Ok(Ident {
                    name: name.to_string(),
                    span,
                })
            }
            Some(tok) if tok.is_keyword() => {
                let span = self.bump();
                Ok(Ident {
                    name: tok.keyword_text().unwrap_or_default().to_string(),
                    span,
                })
            }
            Some(Tok::StrStart { .. }) => {
                let (lit, span) = self.string_lit()?;
                let name = lit.as_plain().ok_or(Bail)?;
                Ok(Ident { name, span })
            }
            _ => Err(Bail),
        }
    }

    /// Call arguments up to (not including) `)`.
    fn args(&mut self) -> R<Vec<Arg>> {
        let mut args = Vec::new();
        while self.peek() != Some(Tok::RParen) {
            let name = match (self.peek(), self.peek_at(1)) {
                (Some(Tok::Ident(_)), Some(Tok::Assign)) => {
                    let name = self.name()?;
                    self.bump();
                    Some(name)
                }
                (Some(tok), Some(Tok::Assign)) if tok.is_keyword() => return Err(Bail),
                _ => None,
            };
            let value = self.expr(true)?;
            args.push(Arg { name, value });
            if !self.eat(Tok::Comma) {
                break;
            }
        }
        Ok(args)
    }

    fn atom(&mut self) -> R<Expr> {
        let start = self.pos;
        let kind = match self.peek() {
            Some(Tok::Int(value)) => {
                self.bump();
                ExprKind::Int(value)
            }
            Some(Tok::True) => {
                self.bump();
                ExprKind::Bool(true)
            }
            Some(Tok::False) => {
                self.bump();
                ExprKind::Bool(false)
            }
            Some(Tok::Null) => {
                self.bump();
                ExprKind::Null
            }
            Some(Tok::Ident(_)) => ExprKind::Name(self.name()?),
            Some(Tok::StrStart { .. }) => ExprKind::Str(self.string_lit()?.0),
            Some(Tok::LParen) => {
                self.bump();
                let inner = self.expr(true)?;
                self.expect(Tok::RParen)?;
                ExprKind::Paren(Box::new(inner))
            }
            Some(Tok::LBracket) => {
                self.bump();
                let kind = self.list_body()?;
                self.expect(Tok::RBracket)?;
                kind
            }
            Some(Tok::LBrace) => {
                self.bump();
                let kind = match self.record_body()? {
                    RecordBody::Fields(fields) => ExprKind::Record(fields),
                    RecordBody::Comprehension(kind) => kind,
                };
                self.expect(Tok::RBrace)?;
                kind
            }
            _ => return Err(Bail),
        };
        Ok(Expr {
            kind,
            span: self.since(start),
        })
    }

    /// The inside of `[ … ]`: elements, or one element and `for` clauses.
    fn list_body(&mut self) -> R<ExprKind> {
        self.skip_newlines();
        if self.peek() == Some(Tok::RBracket) {
            return Ok(ExprKind::List(Vec::new()));
        }
        let first = self.expr(true)?;
        if self.peek() == Some(Tok::For) {
            let clauses = self.clauses()?;
            self.separator();
            return Ok(ExprKind::ListComp {
                head: Box::new(first),
                clauses,
            });
        }
        let mut elements = vec![first];
        while self.separator() {
            if self.peek() == Some(Tok::RBracket) {
                break;
            }
            elements.push(self.expr(true)?);
        }
        Ok(ExprKind::List(elements))
    }

    /// The inside of `{ … }`: fields, or one `key = value` and `for` clauses.
    fn record_body(&mut self) -> R<RecordBody> {
        self.skip_newlines();
        if self.peek() == Some(Tok::RBrace) {
            return Ok(RecordBody::Fields(Vec::new()));
        }
        let first = self.record_field()?;
        if self.peek() == Some(Tok::For) {
            let clauses = self.clauses()?;
            self.separator();
            let mut path = first.path.into_iter();
            let (Some(key), None) = (path.next(), path.next()) else {
                return Err(Bail);
            };
            return Ok(RecordBody::Comprehension(ExprKind::RecordComp(Box::new(
                RecordComp {
                    key,
                    value: first.value,
                    clauses,
                },
            ))));
        }
        let mut fields = vec![first];
        while self.separator() {
            if self.peek() == Some(Tok::RBrace) {
                break;
            }
            fields.push(self.record_field()?);
        }
        Ok(RecordBody::Fields(fields))
    }

    /// `name = value`, `a.b = value`, `"Quoted" = value`.
    fn record_field(&mut self) -> R<RecordField> {
        let start = self.pos;
        let mut path = Vec::new();
        loop {
            let key = match self.peek() {
                Some(Tok::Ident(_)) => Key::Ident(self.name()?),
                Some(Tok::StrStart { .. }) => {
                    let (lit, span) = self.string_lit()?;
                    Key::Str(lit, span)
                }
                _ => return Err(Bail),
            };
            path.push(key);
            if !self.eat(Tok::Dot) {
                break;
            }
        }
        self.expect(Tok::Assign)?;
        let value = self.expr(true)?;
        Ok(RecordField {
            doc: None,
            path,
            value,
            span: self.since(start),
        })
    }

    /// `for x in xs` (one or two variables), then more `for` and `if` clauses.
    fn clauses(&mut self) -> R<Vec<CompClause>> {
        let mut clauses = Vec::new();
        loop {
            let start = self.pos;
            match self.peek() {
                Some(Tok::For) => {
                    self.bump();
                    let mut vars = vec![self.name()?];
                    if self.eat(Tok::Comma) {
                        vars.push(self.name()?);
                    }
                    self.expect(Tok::In)?;
                    let iter = self.expr(true)?;
                    clauses.push(CompClause::For {
                        vars,
                        iter,
                        span: self.since(start),
                    });
                }
                Some(Tok::If) if !clauses.is_empty() => {
                    self.bump();
                    let cond = self.condition()?;
                    clauses.push(CompClause::If {
                        cond,
                        span: self.since(start),
                    });
                }
                _ => break,
            }
        }
        Ok(clauses)
    }

    /// A string literal and its span.
    fn string_lit(&mut self) -> R<(StrLit, Span)> {
        let start = self.pos;
        let Some(Tok::StrStart { multiline }) = self.peek() else {
            return Err(Bail);
        };
        self.bump();
        let mut parts = Vec::new();
        loop {
            match self.peek() {
                Some(Tok::StrText(text)) => {
                    let span = self.bump();
                    parts.push(RawPart::Text(text, span));
                }
                Some(Tok::InterpStart) => {
                    self.bump();
                    let expr = self.expr(true)?;
                    self.expect(Tok::InterpEnd)?;
                    parts.push(RawPart::Interp(expr));
                }
                Some(Tok::StrEnd) => {
                    self.bump();
                    break;
                }
                _ => return Err(Bail),
            }
        }
        Ok((build_string(multiline, parts), self.since(start)))
    }

    // ----- types ------------------------------------------------------------------------

    fn ty(&mut self) -> R<Type> {
        self.enter()?;
        let result = stacker::maybe_grow(STACK_RED_ZONE, STACK_GROWTH, || self.ty_inner());
        self.depth -= 1;
        result
    }

    /// Unions of optionals of atoms; a type followed by an expression operator is reported by
    /// the grammar.
    fn ty_inner(&mut self) -> R<Type> {
        let start = self.pos;
        let mut members = vec![self.ty_optional()?];
        while self.eat(Tok::Pipe) {
            members.push(self.ty_optional()?);
        }
        if self.peek().is_some_and(Tok::is_binary_operator) {
            return Err(Bail);
        }
        if members.len() == 1 {
            return members.pop().ok_or(Bail);
        }
        Ok(Type {
            kind: TypeKind::Union(members),
            span: self.since(start),
        })
    }

    fn ty_optional(&mut self) -> R<Type> {
        let start = self.pos;
        let inner = self.ty_atom()?;
        let mut count = 0usize;
        loop {
            match self.peek() {
                Some(Tok::Question) => count += 1,
                Some(Tok::QuestionQuestion) => count += 2,
                _ => break,
            }
            self.bump();
        }
        if count > MAX_OPTIONAL_MARKS {
            return Err(Bail);
        }
        let span = self.since(start);
        Ok((0..count).fold(inner, |inner, _| Type {
            kind: TypeKind::Optional(Box::new(inner)),
            span,
        }))
    }

    fn ty_atom(&mut self) -> R<Type> {
        let start = self.pos;
        let kind = match self.peek() {
            Some(Tok::Fn) => {
                self.bump();
                self.expect(Tok::LParen)?;
                let mut params = Vec::new();
                while self.peek() != Some(Tok::RParen) {
                    params.push(self.ty()?);
                    if !self.eat(Tok::Comma) {
                        break;
                    }
                }
                self.expect(Tok::RParen)?;
                self.expect(Tok::Arrow)?;
                let ret = self.ty()?;
                TypeKind::Fn {
                    params,
                    ret: Box::new(ret),
                }
            }
            Some(Tok::True) => {
                self.bump();
                TypeKind::Literal(Literal::Bool(true))
            }
            Some(Tok::False) => {
                self.bump();
                TypeKind::Literal(Literal::Bool(false))
            }
            Some(Tok::Null) => {
                self.bump();
                TypeKind::Literal(Literal::Null)
            }
            Some(Tok::Minus | Tok::Int(_)) => {
                let lo = self.ty_int()?;
                if self.eat(Tok::DotDot) {
                    let hi = self.ty_int()?;
                    TypeKind::Range { lo, hi }
                } else {
                    TypeKind::Literal(Literal::Int(lo))
                }
            }
            Some(Tok::StrStart { .. }) => {
                let (lit, _) = self.string_lit()?;
                TypeKind::Literal(Literal::Str(lit.as_plain().ok_or(Bail)?))
            }
            Some(Tok::LBrace) => {
                self.bump();
                let fields = self.entries(Tok::RBrace, |p| {
                    let field_start = p.pos;
                    let name = p.name()?;
                    let optional = p.eat(Tok::Question);
                    p.expect(Tok::Colon)?;
                    let ty = p.ty()?;
                    Ok(RecordTypeField {
                        doc: None,
                        name,
                        optional,
                        ty,
                        span: p.since(field_start),
                    })
                })?;
                self.expect(Tok::RBrace)?;
                TypeKind::Record(fields)
            }
            Some(Tok::LParen) => {
                self.bump();
                let inner = self.ty()?;
                self.expect(Tok::RParen)?;
                TypeKind::Paren(Box::new(inner))
            }
            Some(Tok::Ident(_)) => {
                let mut name = vec![self.name()?];
                while self.eat(Tok::Dot) {
                    name.push(self.name()?);
                }
                if self.eat(Tok::LBracket) {
                    let mut args = Vec::new();
                    while self.peek() != Some(Tok::RBracket) {
                        args.push(self.ty()?);
                        if !self.eat(Tok::Comma) {
                            break;
                        }
                    }
                    if args.is_empty() {
                        return Err(Bail);
                    }
                    self.expect(Tok::RBracket)?;
                    TypeKind::Apply { name, args }
                } else {
                    TypeKind::Name(name)
                }
            }
            _ => return Err(Bail),
        };
        Ok(Type {
            kind,
            span: self.since(start),
        })
    }

    /// An integer of a literal or range type: `-`? digits.
    fn ty_int(&mut self) -> R<i64> {
        let negative = self.eat(Tok::Minus);
        match self.peek() {
            Some(Tok::Int(value)) => {
                self.bump();
                Ok(if negative { -value } else { value })
            }
            _ => Err(Bail),
        }
    }
}

enum RecordBody {
    Fields(Vec<RecordField>),
    Comprehension(ExprKind),
}

fn reduce_top(operands: &mut Vec<Expr>, ops: &mut Vec<BinaryOp>) -> R<()> {
    let (Some(op), Some(rhs), Some(lhs)) = (ops.pop(), operands.pop(), operands.pop()) else {
        return Err(Bail);
    };
    if op.is_comparison() {
        if let ExprKind::Binary { op: inner, .. } = &lhs.kind {
            if inner.is_comparison() {
                return Err(Bail); // chained comparison: the grammar reports it
            }
        }
    }
    operands.push(Expr {
        span: lhs.span.to(rhs.span),
        kind: ExprKind::Binary {
            op,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        },
    });
    Ok(())
}

fn is_path(expr: &Expr) -> bool {
    match &expr.kind {
        ExprKind::Name(_) => true,
        ExprKind::Field { base, .. } => is_path(base),
        _ => false,
    }
}

/// The grammar's tree-depth limit: a tree beyond it is taken apart without recursion and the
/// grammar reports it.
fn bounded(expr: Expr) -> R<Expr> {
    if walk::depth_beyond(&expr, MAX_TREE_DEPTH).is_none() {
        Ok(expr)
    } else {
        walk::dismantle(expr);
        Err(Bail)
    }
}
