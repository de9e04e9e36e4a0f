//! Type syntax: `Int`, `List[T]`, `{ a: T, b?: U }`, `T?`, `1..10`, `"a" | "b"`,
//! `fn(A, B) -> C`, `aws.Container`.

use chumsky::prelude::*;

use super::recovery::{entries, guarded, skip_entry, skip_to};
use super::strings::string;
use super::{custom_error, name, Ex, In, SyntaxError, MAX_OPTIONAL_MARKS};
use crate::ast::{Expr, ExprKind, Ident, Literal, RecordTypeField, Type, TypeKind};
use crate::codes;
use crate::span::Span;
use crate::token::Tok;

/// The type parser. It never needs expressions, except to report one that stands where a type
/// belongs.
pub(crate) fn ty<'a, Er: SyntaxError<'a>>() -> impl Parser<'a, In<'a>, Type, Ex<'a, Er>> + Clone {
    recursive(|ty| {
        let ty = guarded(ty).boxed();
        let path = name("a type name")
            .separated_by(just(Tok::Dot))
            .at_least(1)
            .collect::<Vec<Ident>>();

        let named = path
            .then(
                ty.clone()
                    .separated_by(just(Tok::Comma))
                    .allow_trailing()
                    .at_least(1)
                    .collect::<Vec<_>>()
                    .delimited_by(just(Tok::LBracket), just(Tok::RBracket))
                    .or_not(),
            )
            .map(|(name, args)| match args {
                Some(args) => TypeKind::Apply { name, args },
                None => TypeKind::Name(name),
            });

        let int = just(Tok::Minus)
            .or_not()
            .then(select! { Tok::Int(value) => value })
            .map(|(minus, value)| if minus.is_some() { -value } else { value });
        let int_or_range = int
            .then(just(Tok::DotDot).ignore_then(int).or_not())
            .map(|(lo, hi)| match hi {
                Some(hi) => TypeKind::Range { lo, hi },
                None => TypeKind::Literal(Literal::Int(lo)),
            });

        // What stands inside `${…}` of a literal type is skipped; the literal is reported.
        let skipped = skip_to(|_| false).or_not().map(|_| error_expr());
        let string_literal = string(skipped).validate(|lit, e, emitter| {
            let span: Span = e.span();
            match lit.as_plain() {
                Some(text) => TypeKind::Literal(Literal::Str(text)),
                None => {
                    emitter.emit(custom_error(
                        codes::EXPRESSION_IN_TYPE,
                        span,
                        "expected a type, found an interpolated string",
                        Some("a string literal type is a plain string, like \"https\""),
                    ));
                    TypeKind::Error
                }
            }
        });

        let keyword_literal = select! {
            Tok::True => TypeKind::Literal(Literal::Bool(true)),
            Tok::False => TypeKind::Literal(Literal::Bool(false)),
            Tok::Null => TypeKind::Literal(Literal::Null),
            Tok::Error => TypeKind::Error,
        };

        let field = name("a field name")
            .then(just(Tok::Question).or_not().map(|q| q.is_some()))
            .then(choice((
                just(Tok::Colon).ignore_then(ty.clone()).map(Some),
                just(Tok::Assign)
                    .ignore_then(skip_entry().or_not())
                    .validate(|_, e, emitter| {
                        let span: Span = e.span();
                        emitter.emit(custom_error(
                            codes::EXPRESSION_IN_TYPE,
                            span,
                            "expected `:` and a type, found `=` and a value",
                            Some("a record type declares fields as `name: Type`; `name = value` makes a record value"),
                        ));
                        None
                    }),
            )))
            .map_with(|((name, optional), ty), e| {
                let span: Span = e.span();
                RecordTypeField {
                    doc: None,
                    name,
                    optional,
                    ty: ty.unwrap_or(Type {
                        kind: TypeKind::Error,
                        span,
                    }),
                    span,
                }
            })
            .recover_with(via_parser(skip_entry().map_with(|_, e| {
                let span: Span = e.span();
                RecordTypeField {
                    doc: None,
                    name: Ident {
                        name: String::new(),
                        span,
                    },
                    optional: false,
                    ty: Type {
                        kind: TypeKind::Error,
                        span,
                    },
                    span,
                }
            })));
        let record = entries(field, |f| f.name.name.is_empty())
            .delimited_by(just(Tok::LBrace), just(Tok::RBrace))
            .map(TypeKind::Record);

        let fn_type = just(Tok::Fn)
            .ignore_then(
                ty.clone()
                    .separated_by(just(Tok::Comma))
                    .allow_trailing()
                    .collect::<Vec<_>>()
                    .delimited_by(just(Tok::LParen), just(Tok::RParen)),
            )
            .then_ignore(just(Tok::Arrow))
            .then(ty.clone())
            .map(|(params, ret)| TypeKind::Fn {
                params,
                ret: Box::new(ret),
            });

        let paren = ty
            .clone()
            .delimited_by(just(Tok::LParen), just(Tok::RParen))
            .map(|t| TypeKind::Paren(Box::new(t)));

        // `[String]`: a list written as in other languages.
        let list_like = just(Tok::LBracket)
            .ignore_then(skip_to(|_| false).or_not())
            .then_ignore(just(Tok::RBracket))
            .validate(|_, e, emitter| {
                let span: Span = e.span();
                emitter.emit(custom_error(
                    codes::EXPRESSION_IN_TYPE,
                    span,
                    "expected a type, found a list",
                    Some("a list type is written `List[T]`, e.g. `List[String]`"),
                ));
                TypeKind::Error
            });

        // Keyword-led forms come before names: a name accepts (and reports) a keyword.
        let atom = choice((
            fn_type,
            keyword_literal,
            int_or_range,
            string_literal,
            record,
            paren,
            list_like,
            named,
        ))
        .map_with(|kind, e| Type {
            kind,
            span: e.span(),
        })
        .labelled("a type");

        // `T??` lexes as `T` and `??`: two optionals.
        let optional = atom
            .then(
                one_of([Tok::Question, Tok::QuestionQuestion])
                    .repeated()
                    .collect::<Vec<_>>(),
            )
            .validate(|(inner, marks), e, emitter| {
                let span: Span = e.span();
                let count: usize = marks
                    .iter()
                    .map(|t| if *t == Tok::QuestionQuestion { 2 } else { 1 })
                    .sum();
                if count > MAX_OPTIONAL_MARKS {
                    emitter.emit(custom_error(
                        codes::NESTING_TOO_DEEP,
                        span,
                        format!("more than {MAX_OPTIONAL_MARKS} `?` after a type"),
                        Some("one `?` makes a type optional; more add nothing"),
                    ));
                    return Type {
                        kind: TypeKind::Error,
                        span,
                    };
                }
                (0..count).fold(inner, |inner, _| Type {
                    kind: TypeKind::Optional(Box::new(inner)),
                    span,
                })
            });

        let union = optional
            .separated_by(just(Tok::Pipe))
            .at_least(1)
            .collect::<Vec<_>>()
            .map_with(|mut members, e| {
                if members.len() == 1 {
                    members.pop().unwrap_or(Type {
                        kind: TypeKind::Error,
                        span: e.span(),
                    })
                } else {
                    Type {
                        kind: TypeKind::Union(members),
                        span: e.span(),
                    }
                }
            });

        // A type followed by an operator is a value written where a type belongs.
        union
            .then(
                expression_operator()
                    .map_with(|op, e| (op, e.span()))
                    .then(
                        skip_to(|t| matches!(t, Tok::Comma | Tok::Newline | Tok::Assign)).or_not(),
                    )
                    .or_not(),
            )
            .validate(|(ty, trailing), e, emitter| match trailing {
                None => ty,
                Some(((op, _op_span), _)) => {
                    let span: Span = e.span();
                    let help = if op == Tok::Lt {
                        "type arguments use brackets: `List[String]`".to_string()
                    } else {
                        "after `:` comes a type such as `Int` or `String`; put the value after `=`"
                            .to_string()
                    };
                    emitter.emit(custom_error(
                        codes::EXPRESSION_IN_TYPE,
                        span,
                        "expected a type, found an expression",
                        Some(&help),
                    ));
                    Type {
                        kind: TypeKind::Error,
                        span,
                    }
                }
            })
    })
}

fn expression_operator<'a, Er: SyntaxError<'a>>(
) -> impl Parser<'a, In<'a>, Tok<'a>, Ex<'a, Er>> + Clone {
    one_of([
        Tok::Plus,
        Tok::Minus,
        Tok::Star,
        Tok::Slash,
        Tok::Percent,
        Tok::PlusPlus,
        Tok::SlashSlash,
        Tok::QuestionQuestion,
        Tok::AndAnd,
        Tok::OrOr,
        Tok::EqEq,
        Tok::NotEq,
        Tok::Lt,
        Tok::Le,
        Tok::Gt,
        Tok::Ge,
    ])
}

fn error_expr() -> Expr {
    Expr {
        kind: ExprKind::Error,
        span: Span::default(),
    }
}
