//! Module items: `import`, bindings, `let`, `param`, `type`, `schema`/`resource`, `check`.

use chumsky::prelude::*;

use super::expr::{condition, parsers};
use super::recovery::{entries, skip_entry, skip_to};
use super::strings::string;
use super::{custom_error, name, newlines, Ex, In, SyntaxError};
use crate::ast::{
    Binding, Check, Expr, Import, Item, ItemKind, Module, Param, Schema, SchemaEntry, SchemaField,
    SchemaKind, Type, TypeAlias,
};
use crate::codes;
use crate::span::Span;
use crate::token::Tok;

pub(crate) fn module<'a, Er: SyntaxError<'a>>() -> impl Parser<'a, In<'a>, Module, Ex<'a, Er>> {
    let item = item();
    let separated_item =
        just(Tok::Newline)
            .or_not()
            .then(item.clone())
            .validate(|(newline, item), e, emitter| {
                if newline.is_none() && item.kind != ItemKind::Error {
                    let span: Span = e.span();
                    emitter.emit(custom_error(
                        codes::MISSING_SEPARATOR,
                        span.start_point(),
                        "expected a new line before this item",
                        Some("put each binding or declaration on its own line"),
                    ));
                }
                item
            });
    newlines()
        .ignore_then(
            item.then(separated_item.repeated().collect::<Vec<_>>())
                .map(|(first, mut rest)| {
                    rest.insert(0, first);
                    rest
                })
                .or_not()
                .map(Option::unwrap_or_default),
        )
        .then_ignore(newlines())
        .then_ignore(end())
        .map_with(|items, e| Module {
            items,
            comments: Vec::new(),
            span: e.span(),
        })
}

fn item<'a, Er: SyntaxError<'a>>() -> impl Parser<'a, In<'a>, Item, Ex<'a, Er>> + Clone {
    let p = parsers();
    let expr = p.full.clone();
    let ty = p.ty.clone();

    let import = just(Tok::Import)
        .ignore_then(string(expr.clone()).map_with(|lit, e| (lit, e.span())))
        .then(just(Tok::As).ignore_then(name("a name")).or_not())
        .validate(|((lit, path_span), alias), _e, emitter| {
            let path_span: Span = path_span;
            let path = lit.as_plain().unwrap_or_else(|| {
                emitter.emit(custom_error(
                    codes::UNEXPECTED_TOKEN,
                    path_span,
                    "an import path cannot be interpolated",
                    Some("write the path as a plain string: import \"std/aws\""),
                ));
                String::new()
            });
            ItemKind::Import(Import {
                path,
                path_span,
                alias,
            })
        });

    // `name = value`; a missing `=` is reported and the value still parsed.
    let assign_value = just(Tok::Assign)
        .ignore_then(expr.clone())
        .or(expr.clone().validate(|value: Expr, _e, emitter| {
            emitter.emit(custom_error(
                codes::MISSING_EQUALS,
                value.span.start_point(),
                "missing `=` between the name and its value",
                Some("write `name = value`"),
            ));
            value
        }));

    let typed_name = name("a name").then(just(Tok::Colon).ignore_then(ty.clone()).or_not());

    let binding = typed_name
        .clone()
        .then(assign_value.clone())
        .map(|((name, ty), value)| ItemKind::Binding(Binding { name, ty, value }));

    let let_item = just(Tok::Let)
        .ignore_then(typed_name)
        .then(assign_value)
        .map(|((name, ty), value)| ItemKind::Let(Binding { name, ty, value }));

    let param = just(Tok::Param)
        .ignore_then(name("a parameter name"))
        .then(
            just(Tok::Colon)
                .ignore_then(ty.clone())
                .or(empty().validate(|_, e, emitter| {
                    let span = Span::ordered(e.span());
                    emitter.emit(custom_error(
                        codes::UNEXPECTED_TOKEN,
                        span,
                        "expected `:` and the parameter's type",
                        Some("a param declares its type: `param tag: String = \"latest\"`"),
                    ));
                    Type {
                        kind: crate::ast::TypeKind::Error,
                        span,
                    }
                })),
        )
        .then(just(Tok::Assign).ignore_then(expr.clone()).or_not())
        .map(|((name, ty), default)| ItemKind::Param(Param { name, ty, default }));

    let type_alias = just(Tok::Type)
        .ignore_then(name("a type name"))
        .then_ignore(just(Tok::Assign))
        .then(ty.clone())
        .map(|(name, ty)| ItemKind::TypeAlias(TypeAlias { name, ty }));

    let check = just(Tok::Check)
        .ignore_then(condition(expr.clone()))
        .then_ignore(just(Tok::Else))
        .then(expr.clone())
        .map(|(cond, message)| Check { cond, message });

    let schema_field = name("a field name")
        .then(just(Tok::Colon).ignore_then(ty.clone()))
        .then(just(Tok::Assign).ignore_then(expr.clone()).or_not())
        .map_with(|((name, ty), default), e| {
            SchemaEntry::Field(SchemaField {
                doc: None,
                name,
                ty,
                default,
                span: e.span(),
            })
        });
    let schema_check = check
        .clone()
        .map_with(|check, e| SchemaEntry::Check(check, e.span()));
    let schema_entry = schema_check
        .or(schema_field)
        .labelled("a field declaration")
        .recover_with(via_parser(
            skip_entry().map_with(|_, e| SchemaEntry::Error(e.span())),
        ));
    let schema = select! {
        Tok::Schema => SchemaKind::Schema,
        Tok::Resource => SchemaKind::Resource,
    }
    .then(name("a schema name"))
    .then(
        entries(schema_entry, |entry| matches!(entry, SchemaEntry::Error(_)))
            .delimited_by(just(Tok::LBrace), just(Tok::RBrace)),
    )
    .map(|((kind, name), entries)| {
        ItemKind::Schema(Schema {
            kind,
            name,
            entries,
        })
    });

    choice((
        import,
        param,
        let_item,
        type_alias,
        schema,
        check.map(ItemKind::Check),
        binding,
    ))
    .map_with(|kind, e| Item {
        kind,
        doc: None,
        span: e.span(),
    })
    .labelled("a binding or declaration")
    .recover_with(via_parser(skip_to(|t| t == Tok::Newline).map_with(
        |_, e| Item {
            kind: ItemKind::Error,
            doc: None,
            span: e.span(),
        },
    )))
    .boxed()
}
