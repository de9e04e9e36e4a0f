//! Expressions. Precedence, loosest first:
//!
//! | level | forms | associativity |
//! |---|---|---|
//! | 0 | `if … then … else …`, `let … in …`, `fn(…) => …` | extend to the right |
//! | 1 | `\|\|` | left |
//! | 2 | `&&` | left |
//! | 3 | `== != < <= > >= in` | none (chaining is an error) |
//! | 4 | `??` | right |
//! | 5 | `//` | left |
//! | 6 | `++` | left |
//! | 7 | `+ -` | left |
//! | 8 | `* / %` | left |
//! | 9 | prefix `-` `!` | |
//! | 10 | `.field`, `(args)`, `Schema { … }` | left |

use chumsky::prelude::*;

use super::recovery::{guarded, separated, skip_entry, skip_to};
use super::strings::string;
use super::types::ty;
use super::{
    custom_error, name, newlines, separator, Ex, In, SyntaxError, MAX_CHAIN, MAX_TREE_DEPTH,
};
use crate::ast::{
    Arg, BinaryOp, CompClause, Expr, ExprKind, FnParam, Ident, Key, LetExpr, RecordComp,
    RecordField, Type, TypeKind, UnaryOp,
};
use crate::codes;
use crate::span::Span;
use crate::token::Tok;
use crate::walk;

type Boxed<'a, O, Er> = chumsky::Boxed<'a, 'a, In<'a>, O, Ex<'a, Er>>;

/// The expression parsers: `full`, and `no_in` for the value of `let x = … in`, where a
/// top-level `in` ends the value instead of testing membership.
pub(crate) struct ExprParsers<'a, Er: SyntaxError<'a>> {
    pub full: Boxed<'a, Expr, Er>,
    pub ty: Boxed<'a, Type, Er>,
}

pub(crate) fn parsers<'a, Er: SyntaxError<'a>>() -> ExprParsers<'a, Er> {
    let ty = ty().boxed();
    // `recursive` hands its closure a weak handle, so the parser graph holds no `Rc` cycle and
    // is freed after each parse (`Recursive::declare` would leak it).
    let full = recursive(|full_rec| {
        let full: Boxed<'a, Expr, Er> = guarded(full_rec).boxed();
        let operand = unary(postfix(atom(full.clone()), full.clone()));
        let binary_full = binary(operand.clone(), true);
        let binary_no_in = binary(operand, false);
        let no_in = recursive(|no_in_rec| {
            let no_in: Boxed<'a, Expr, Er> = guarded(no_in_rec).boxed();
            with_prefix_forms(binary_no_in, no_in.clone(), full.clone(), no_in, ty.clone())
        });
        let no_in: Boxed<'a, Expr, Er> = guarded(no_in).boxed();
        with_prefix_forms(binary_full, full.clone(), full, no_in, ty.clone())
    });
    let full: Boxed<'a, Expr, Er> = guarded(full).boxed();
    ExprParsers { full, ty }
}

fn error_expr(span: Span) -> Expr {
    Expr {
        kind: ExprKind::Error,
        span,
    }
}

/// A condition (`if`, `check`, comprehension filters): `=` where `==` was meant is reported
/// and read as `==`.
pub(crate) fn condition<'a, Er: SyntaxError<'a>>(
    full: Boxed<'a, Expr, Er>,
) -> impl Parser<'a, In<'a>, Expr, Ex<'a, Er>> + Clone {
    full.clone()
        .then(
            just(Tok::Assign)
                .map_with(|_, e| e.span())
                .then(full)
                .or_not(),
        )
        .validate(|(lhs, assign), e, emitter| match assign {
            None => lhs,
            Some((eq_span, rhs)) => {
                let eq_span: Span = eq_span;
                emitter.emit(custom_error(
                    codes::ASSIGN_IN_CONDITION,
                    eq_span,
                    "`=` in a condition: did you mean `==`?",
                    Some("`=` binds a value; compare with `==`"),
                ));
                Expr {
                    kind: ExprKind::Binary {
                        op: BinaryOp::Eq,
                        lhs: Box::new(lhs),
                        rhs: Box::new(rhs),
                    },
                    span: e.span(),
                }
            }
        })
}

/// `if`, `let … in` and `fn … =>` (whose last part is `tail`), or else a binary expression.
fn with_prefix_forms<'a, Er: SyntaxError<'a>>(
    binary: Boxed<'a, Expr, Er>,
    tail: Boxed<'a, Expr, Er>,
    full: Boxed<'a, Expr, Er>,
    no_in: Boxed<'a, Expr, Er>,
    ty: Boxed<'a, Type, Er>,
) -> Boxed<'a, Expr, Er> {
    let if_expr = just(Tok::If)
        .ignore_then(condition(full.clone()))
        .then_ignore(just(Tok::Then))
        .then(full.clone())
        .then_ignore(just(Tok::Else))
        .then(tail.clone())
        .map(|((cond, then_branch), else_branch)| ExprKind::If {
            cond: Box::new(cond),
            then_branch: Box::new(then_branch),
            else_branch: Box::new(else_branch),
        });

    let let_expr = just(Tok::Let)
        .ignore_then(name("a name"))
        .then(just(Tok::Colon).ignore_then(ty.clone()).or_not())
        .then_ignore(just(Tok::Assign))
        .then(no_in)
        .then_ignore(just(Tok::In))
        .then(tail.clone())
        .map(|(((name, ty), value), body)| {
            ExprKind::Let(Box::new(LetExpr {
                name,
                ty,
                value,
                body,
            }))
        });

    let param = name("a parameter name")
        .then(
            just(Tok::Colon)
                .ignore_then(ty.clone())
                .map(Some)
                .or(empty().validate(|_, e, emitter| {
                    let span = Span::ordered(e.span());
                    emitter.emit(custom_error(
                        codes::UNEXPECTED_TOKEN,
                        span,
                        "expected `:` and the parameter's type",
                        Some("function parameters are typed: `fn(name: String) => …`"),
                    ));
                    None
                })),
        )
        .then(just(Tok::Assign).ignore_then(full.clone()).or_not())
        .map_with(|((name, ty), default), e| {
            let span: Span = e.span();
            FnParam {
                ty: ty.unwrap_or(Type {
                    kind: TypeKind::Error,
                    span: name.span.end_point(),
                }),
                name,
                default,
                span,
            }
        });
    let fn_expr = just(Tok::Fn)
        .ignore_then(
            param
                .separated_by(just(Tok::Comma))
                .allow_trailing()
                .collect::<Vec<_>>()
                .delimited_by(just(Tok::LParen), just(Tok::RParen)),
        )
        .then_ignore(just(Tok::FatArrow))
        .then(tail)
        .map(|(params, body)| ExprKind::Fn {
            params,
            body: Box::new(body),
        });

    // One token test tells the keyword-led forms from all others.
    one_of([Tok::If, Tok::Let, Tok::Fn])
        .rewind()
        .ignore_then(choice((if_expr, let_expr, fn_expr)))
        .map_with(|kind, e| Expr {
            kind,
            span: e.span(),
        })
        .or(binary)
        .labelled("an expression")
        .boxed()
}

/// Literals, names, strings, `( … )`, lists and records (with their comprehensions).
fn atom<'a, Er: SyntaxError<'a>>(full: Boxed<'a, Expr, Er>) -> Boxed<'a, Expr, Er> {
    let literal = select! {
        Tok::Int(value) => ExprKind::Int(value),
        Tok::True => ExprKind::Bool(true),
        Tok::False => ExprKind::Bool(false),
        Tok::Null => ExprKind::Null,
        Tok::Error => ExprKind::Error,
        Tok::Ident(name) = e => ExprKind::Name(Ident { name: name.to_string(), span: e.span() }),
    };
    let str_lit = string(full.clone()).map(ExprKind::Str);

    let paren = full
        .clone()
        .delimited_by(just(Tok::LParen), just(Tok::RParen))
        .map(|inner| ExprKind::Paren(Box::new(inner)));

    let list = list(full.clone());
    let record = record_body(full.clone())
        .delimited_by(just(Tok::LBrace), just(Tok::RBrace))
        .map(|body| match body {
            RecordBody::Fields(fields) => ExprKind::Record(fields),
            RecordBody::Comprehension(kind) => kind,
        });

    choice((literal, str_lit, paren, list, record))
        .map_with(|kind, e| Expr {
            kind,
            span: e.span(),
        })
        .labelled("an expression")
        .boxed()
}

fn list<'a, Er: SyntaxError<'a>>(
    full: Boxed<'a, Expr, Er>,
) -> impl Parser<'a, In<'a>, ExprKind, Ex<'a, Er>> + Clone {
    let element = full.clone().recover_with(via_parser(
        skip_entry().map_with(|_, e| error_expr(e.span())),
    ));
    newlines()
        .ignore_then(
            element
                .clone()
                .then(clauses(full).or_not())
                .then(
                    separated(element, |e| e.kind == ExprKind::Error)
                        .repeated()
                        .collect::<Vec<_>>(),
                )
                .or_not(),
        )
        .then_ignore(separator().or_not())
        .then_ignore(newlines())
        .delimited_by(just(Tok::LBracket), just(Tok::RBracket))
        .validate(|body, _e, emitter| match body {
            None => ExprKind::List(Vec::new()),
            Some(((head, Some(clauses)), rest)) => {
                if let Some(extra) = rest.first() {
                    emitter.emit(custom_error(
                        codes::UNEXPECTED_TOKEN,
                        extra.span,
                        "a list comprehension has a single element expression",
                        Some("write `[ x for x in xs ]`, or concatenate lists with `++`"),
                    ));
                }
                ExprKind::ListComp {
                    head: Box::new(head),
                    clauses,
                }
            }
            Some(((first, None), mut rest)) => {
                rest.insert(0, first);
                ExprKind::List(rest)
            }
        })
}

enum RecordBody {
    Fields(Vec<RecordField>),
    Comprehension(ExprKind),
}

/// The inside of `{ … }`: fields, or one `key = value` followed by `for` clauses.
fn record_body<'a, Er: SyntaxError<'a>>(
    full: Boxed<'a, Expr, Er>,
) -> impl Parser<'a, In<'a>, RecordBody, Ex<'a, Er>> + Clone {
    let field = record_field(full.clone());
    newlines()
        .ignore_then(
            field
                .clone()
                .then(clauses(full).or_not())
                .then(
                    separated(field, |f| {
                        f.value.kind == ExprKind::Error && f.path.is_empty()
                    })
                    .repeated()
                    .collect::<Vec<_>>(),
                )
                .or_not(),
        )
        .then_ignore(separator().or_not())
        .then_ignore(newlines())
        .validate(|body, _e, emitter| match body {
            None => RecordBody::Fields(Vec::new()),
            Some(((first, Some(clauses)), rest)) => {
                if let Some(extra) = rest.first() {
                    emitter.emit(custom_error(
                        codes::UNEXPECTED_TOKEN,
                        extra.span,
                        "a record comprehension has a single `key = value` entry",
                        Some("merge records with `//` to add more fields"),
                    ));
                }
                let path = first.path;
                if path.len() > 1 {
                    emitter.emit(custom_error(
                        codes::UNEXPECTED_TOKEN,
                        first.span,
                        "a record comprehension's key must be a single key",
                        Some("write `{ \"${k}\" = v for k, v in m }`"),
                    ));
                }
                match path.into_iter().next() {
                    Some(key) => {
                        RecordBody::Comprehension(ExprKind::RecordComp(Box::new(RecordComp {
                            key,
                            value: first.value,
                            clauses,
                        })))
                    }
                    None => RecordBody::Fields(vec![]),
                }
            }
            Some(((first, None), mut rest)) => {
                rest.insert(0, first);
                RecordBody::Fields(rest)
            }
        })
}

/// `name = value`, `a.b = value`, `"Quoted-Key" = value`.
fn record_field<'a, Er: SyntaxError<'a>>(full: Boxed<'a, Expr, Er>) -> Boxed<'a, RecordField, Er> {
    let key = name("a field name")
        .map(Key::Ident)
        .or(string(full.clone()).map_with(|lit, e| Key::Str(lit, e.span())))
        .labelled("a field name");
    let path = key
        .separated_by(just(Tok::Dot))
        .at_least(1)
        .collect::<Vec<_>>();
    let value = choice((
        just(Tok::Assign).ignore_then(full.clone()),
        // `name: Type` is record-type syntax.
        just(Tok::Colon)
            .ignore_then(skip_entry().or_not())
            .validate(|_, e, emitter| {
                let span: Span = e.span();
                emitter.emit(custom_error(
                    codes::TYPE_IN_EXPRESSION,
                    span,
                    "expected `=` and a value, found `:` and a type",
                    Some("a record value sets fields with `name = value`; `name: Type` declares a field of a record type"),
                ));
                error_expr(span)
            }),
        // `name value`: the `=` is missing.
        full.clone().validate(|value, _e, emitter| {
            emitter.emit(custom_error(
                codes::MISSING_EQUALS,
                value.span.start_point(),
                "missing `=` between the field name and its value",
                Some("write `name = value`"),
            ));
            value
        }),
    ));
    path.then(value)
        .map_with(|(path, value), e| RecordField {
            doc: None,
            path,
            value,
            span: e.span(),
        })
        .recover_with(via_parser(skip_entry().map_with(|_, e| {
            let span: Span = e.span();
            RecordField {
                doc: None,
                path: Vec::new(),
                value: error_expr(span),
                span,
            }
        })))
        .boxed()
}

/// `for x in xs`, `for k, v in m`, `if cond`, starting with a `for`.
fn clauses<'a, Er: SyntaxError<'a>>(
    full: Boxed<'a, Expr, Er>,
) -> impl Parser<'a, In<'a>, Vec<CompClause>, Ex<'a, Er>> + Clone {
    let for_clause = just(Tok::For)
        .ignore_then(
            name("a variable name")
                .separated_by(just(Tok::Comma))
                .at_least(1)
                .at_most(2)
                .collect::<Vec<_>>(),
        )
        .then_ignore(just(Tok::In))
        .then(full.clone())
        .map_with(|(vars, iter), e| CompClause::For {
            vars,
            iter,
            span: e.span(),
        });
    let if_clause = just(Tok::If)
        .ignore_then(condition(full))
        .map_with(|cond, e| CompClause::If {
            cond,
            span: e.span(),
        });
    for_clause
        .clone()
        .then(for_clause.or(if_clause).repeated().collect::<Vec<_>>())
        .map(|(first, mut rest)| {
            rest.insert(0, first);
            rest
        })
}

/// What may follow an operand: `.name`, `(args)`, `{ fields }`, and type syntax reported as
/// misplaced.
enum Postfix {
    Field(Ident),
    Call(Vec<Arg>),
    Instantiate(Vec<RecordField>, Span),
    /// Reported already.
    Invalid,
}

fn postfix<'a, Er: SyntaxError<'a>>(
    atom: Boxed<'a, Expr, Er>,
    full: Boxed<'a, Expr, Er>,
) -> Boxed<'a, Expr, Er> {
    let field_name = select! {
        Tok::Ident(name) = e => Ident { name: name.to_string(), span: e.span() },
    }
    .or(any()
        .filter(|t: &Tok<'a>| t.is_keyword())
        .map_with(|t: Tok<'a>, e| Ident {
            name: t.keyword_text().unwrap_or_default().to_string(),
            span: e.span(),
        }))
    .or(string(full.clone()).try_map(|lit, span| {
        lit.as_plain()
            .map(|name| Ident { name, span })
            .ok_or_else(|| Er::nothing(span))
    }))
    .labelled("a field name");
    let field = just(Tok::Dot).ignore_then(field_name).map(Postfix::Field);

    let arg = name("an argument name")
        .then_ignore(just(Tok::Assign))
        .or_not()
        .then(full.clone())
        .map(|(name, value)| Arg { name, value })
        .recover_with(via_parser(skip_to(|t| t == Tok::Comma).map_with(|_, e| {
            Arg {
                name: None,
                value: error_expr(e.span()),
            }
        })));
    let call = arg
        .separated_by(just(Tok::Comma))
        .allow_trailing()
        .collect::<Vec<_>>()
        .delimited_by(just(Tok::LParen), just(Tok::RParen))
        .map(Postfix::Call);

    let instantiate = record_body(full.clone())
        .delimited_by(just(Tok::LBrace), just(Tok::RBrace))
        .map_with(|body, e| match body {
            RecordBody::Fields(fields) => Postfix::Instantiate(fields, e.span()),
            RecordBody::Comprehension(_) => Postfix::Invalid,
        });

    // `List[String]` or `xs[0]`.
    let bracket = just(Tok::LBracket)
        .ignore_then(skip_to(|_| false).or_not())
        .then_ignore(just(Tok::RBracket))
        .map_with(|_, e| (Postfix::Invalid, e.span()));
    // `1..10`
    let range = just(Tok::DotDot)
        .then(just(Tok::Minus).or_not())
        .then(select! { Tok::Int(_) => () }.or_not())
        .validate(|_, e, emitter| {
            let span: Span = e.span();
            emitter.emit(custom_error(
                codes::TYPE_IN_EXPRESSION,
                span,
                "a range `a..b` is a type, not a value",
                Some("use it after `:` (`port: 1..65535 = 80`), or `range(a, b)` for a list of numbers"),
            ));
            Postfix::Invalid
        });
    // `String?`
    let question = just(Tok::Question).validate(|_, e, emitter| {
        let span: Span = e.span();
        emitter.emit(custom_error(
            codes::TYPE_IN_EXPRESSION,
            span,
            "`T?` is an optional type, not a value",
            Some("for a fallback value write `x ?? default`"),
        ));
        Postfix::Invalid
    });

    // Most operands are followed by none of these: one token test says so, instead of six.
    let starts_postfix = any()
        .filter(|t: &Tok<'a>| {
            matches!(
                t,
                Tok::Dot | Tok::LParen | Tok::DotDot | Tok::Question | Tok::LBrace | Tok::LBracket
            )
        })
        .rewind();
    let op = starts_postfix.ignore_then(
        choice((field, call, range, question))
            .map_with(|op, e| (op, e.span()))
            .or(instantiate.map_with(|op, e| (op, e.span())))
            .or(bracket),
    );

    atom.then(op.repeated().collect::<Vec<_>>())
        .validate(|(base, ops), e, emitter| {
            if ops.len() > MAX_CHAIN {
                let span: Span = e.span();
                emitter.emit(chain_too_long(span));
                return error_expr(span);
            }
            let folded = !ops.is_empty();
            let mut expr = base;
            for (op, op_span) in ops {
                let op_span: Span = op_span;
                let span = expr.span.to(op_span);
                let kind = match op {
                    Postfix::Field(name) => ExprKind::Field {
                        base: Box::new(expr),
                        name,
                    },
                    Postfix::Call(args) => ExprKind::Call {
                        callee: Box::new(expr),
                        args,
                    },
                    Postfix::Instantiate(fields, body_span) => {
                        if !is_path(&expr) {
                            emitter.emit(custom_error(
                                codes::UNEXPECTED_TOKEN,
                                body_span,
                                "only a schema can be instantiated with `{ … }`",
                                Some("write the schema's name before the braces, like `aws.Container { … }`"),
                            ));
                        }
                        ExprKind::Instantiate {
                            schema: Box::new(expr),
                            fields,
                            body_span,
                        }
                    }
                    Postfix::Invalid => {
                        report_bracket(&expr, op_span, emitter);
                        ExprKind::Error
                    }
                };
                expr = Expr { kind, span };
            }
            if folded {
                bounded(expr, emitter)
            } else {
                expr
            }
        })
        .boxed()
}

/// `List[String]` in an expression is a type; `xs[0]` is indexing, which fgl does not have.
fn report_bracket<'a, Er: SyntaxError<'a>>(base: &Expr, span: Span, emitter: &mut Emitter<Er>) {
    if let ExprKind::Name(name) = &base.kind {
        if name.name == "List" || name.name == "Map" {
            emitter.emit(custom_error(
                codes::TYPE_IN_EXPRESSION,
                base.span.to(span),
                format!("`{}[…]` is a type, not a value", name.name),
                Some(
                    "types go after `:`; a list value is written `[a, b]`, a map `{ key = value }`",
                ),
            ));
        }
    }
    // Ranges and `?` reported themselves; other brackets are indexing.
    if !matches!(&base.kind, ExprKind::Name(n) if n.name == "List" || n.name == "Map")
        && span.len() > 1
    {
        emitter.emit(custom_error(
            codes::UNEXPECTED_TOKEN,
            span,
            "fgl has no indexing with `[…]`",
            Some("use a record field (`x.name`), or a comprehension over the list"),
        ));
    }
}

fn is_path(expr: &Expr) -> bool {
    match &expr.kind {
        ExprKind::Name(_) => true,
        ExprKind::Field { base, .. } => is_path(base),
        _ => false,
    }
}

/// Keeps a freshly built chain within [`MAX_TREE_DEPTH`]: nesting and chains each have their own
/// limit, but a chain inside parentheses inside a chain multiplies them. A tree that went too
/// deep is reported and taken apart without recursion (dropping it could overflow the stack).
fn bounded<'a, Er: SyntaxError<'a>>(expr: Expr, emitter: &mut Emitter<Er>) -> Expr {
    if walk::depth_beyond(&expr, MAX_TREE_DEPTH).is_none() {
        return expr;
    }
    let span = expr.span;
    // Reported on the whole expression, so that an enclosing chain that also goes too deep is
    // one report with it (see `errors::convert`).
    emitter.emit(custom_error(
        codes::NESTING_TOO_DEEP,
        span,
        format!("expression too deep: more than {MAX_TREE_DEPTH} levels"),
        Some("split it into `let` bindings"),
    ));
    walk::dismantle(expr);
    error_expr(span)
}

fn chain_too_long<'a, Er: SyntaxError<'a>>(span: Span) -> Er {
    custom_error(
        codes::NESTING_TOO_DEEP,
        span,
        format!("this chain has more than {MAX_CHAIN} links"),
        Some("split it into `let` bindings"),
    )
}

/// Prefix `-` and `!`, applied right to left.
fn unary<'a, Er: SyntaxError<'a>>(operand: Boxed<'a, Expr, Er>) -> Boxed<'a, Expr, Er> {
    let op = select! {
        Tok::Minus => UnaryOp::Neg,
        Tok::Bang => UnaryOp::Not,
    }
    .map_with(|op, e| (op, e.span()));
    op.repeated()
        .collect::<Vec<(UnaryOp, Span)>>()
        .then(operand)
        .validate(|(ops, operand), e, emitter| {
            if ops.len() > MAX_CHAIN {
                let span: Span = e.span();
                emitter.emit(chain_too_long(span));
                return error_expr(span);
            }
            if ops.is_empty() {
                return operand;
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
            bounded(expr, emitter)
        })
        .boxed()
}

/// All binary operators in one flat chain `a op b op c …`, built into a tree by precedence
/// climbing (see the table above). One pass over the operators instead of one parser per level
/// keeps parsing fast.
fn binary<'a, Er: SyntaxError<'a>>(
    operand: Boxed<'a, Expr, Er>,
    allow_in: bool,
) -> Boxed<'a, Expr, Er> {
    let op = select! {
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
    }
    .map_with(|op, e| (op, e.span(), false))
    // `|` alone is the union of types: reported, then read as `||`.
    .or(just(Tok::Pipe).map_with(|_, e| (BinaryOp::Or, e.span(), true)));
    operand
        .clone()
        .then(op.then(operand).repeated().collect::<Vec<_>>())
        .validate(|(first, rest), e, emitter| {
            if rest.is_empty() {
                return first;
            }
            if rest.len() > MAX_CHAIN {
                let span: Span = e.span();
                emitter.emit(chain_too_long(span));
                return error_expr(span);
            }
            for ((_, span, pipe), _) in &rest {
                if *pipe {
                    emitter.emit(custom_error(
                        codes::TYPE_IN_EXPRESSION,
                        *span,
                        "`|` makes a union type, not a value",
                        Some("for a boolean 'or' write `||`; a union type like `\"a\" | \"b\"` goes after `:`"),
                    ));
                }
            }
            bounded(climb(first, rest, emitter), emitter)
        })
        .boxed()
}

type Emitter<Er> = chumsky::input::Emitter<Er>;

/// Precedence climbing over `first (op operand)*`.
fn climb<'a, Er: SyntaxError<'a>>(
    first: Expr,
    rest: Vec<((BinaryOp, Span, bool), Expr)>,
    emitter: &mut Emitter<Er>,
) -> Expr {
    let mut operands = vec![first];
    let mut ops: Vec<(BinaryOp, Span)> = Vec::new();
    for ((op, span, _), rhs) in rest {
        while let Some(&(top, _)) = ops.last() {
            let reduce = top.precedence() > op.precedence()
                || (top.precedence() == op.precedence() && !op.is_right_assoc());
            if !reduce {
                break;
            }
            reduce_top(&mut operands, &mut ops, emitter);
        }
        ops.push((op, span));
        operands.push(rhs);
    }
    while !ops.is_empty() {
        reduce_top(&mut operands, &mut ops, emitter);
    }
    operands.pop().unwrap_or(Expr {
        kind: ExprKind::Error,
        span: Span::default(),
    })
}

fn reduce_top<'a, Er: SyntaxError<'a>>(
    operands: &mut Vec<Expr>,
    ops: &mut Vec<(BinaryOp, Span)>,
    emitter: &mut Emitter<Er>,
) {
    let (Some((op, op_span)), Some(rhs), Some(lhs)) = (ops.pop(), operands.pop(), operands.pop())
    else {
        return;
    };
    if op.is_comparison() {
        if let ExprKind::Binary { op: inner, .. } = &lhs.kind {
            if inner.is_comparison() {
                emitter.emit(custom_error(
                    codes::CHAINED_COMPARISON,
                    op_span,
                    format!(
                        "comparisons cannot be chained: `{}` follows another comparison",
                        op.as_str()
                    ),
                    Some("combine two comparisons with `&&`: `a < b && b < c`"),
                ));
            }
        }
    }
    operands.push(make_binary(op, lhs, rhs));
}

fn make_binary(op: BinaryOp, lhs: Expr, rhs: Expr) -> Expr {
    Expr {
        span: lhs.span.to(rhs.span),
        kind: ExprKind::Binary {
            op,
            lhs: Box::new(lhs),
            rhs: Box::new(rhs),
        },
    }
}
