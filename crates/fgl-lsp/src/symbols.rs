//! Document symbols: the module's items, with a schema's fields and the fields set by a record
//! or instantiation one level down.

use fgl_syntax::ast::{self, ExprKind, ItemKind, Key, SchemaEntry, SchemaKind};
use fgl_syntax::{LineIndex, Span};
use tower_lsp_server::ls_types::{DocumentSymbol, SymbolKind};

use crate::position::range;

#[allow(deprecated)] // `DocumentSymbol::deprecated` must be written out
#[allow(clippy::too_many_arguments)] // one call per kind of item: named arguments would not help
fn symbol(
    text: &str,
    index: &LineIndex,
    name: &str,
    detail: Option<String>,
    kind: SymbolKind,
    span: Span,
    name_span: Span,
    children: Vec<DocumentSymbol>,
) -> DocumentSymbol {
    let full = range(text, index, span.to(name_span));
    DocumentSymbol {
        name: if name.is_empty() {
            "?".into()
        } else {
            name.to_string()
        },
        detail,
        kind,
        tags: None,
        deprecated: None,
        range: full,
        selection_range: range(text, index, name_span),
        children: (!children.is_empty()).then_some(children),
    }
}

pub fn document_symbols(
    module: &ast::Module,
    text: &str,
    index: &LineIndex,
) -> Vec<DocumentSymbol> {
    let mut out = Vec::new();
    for item in &module.items {
        let sym = match &item.kind {
            ItemKind::Import(i) => symbol(
                text,
                index,
                // The name it binds: `as x`, or the path's last segment without `.fgl`.
                i.alias.as_ref().map_or_else(
                    || {
                        let last = i.path.rsplit('/').next().unwrap_or_default();
                        last.strip_suffix(".fgl").unwrap_or(last)
                    },
                    |a| a.name.as_str(),
                ),
                Some(format!("import \"{}\"", i.path)),
                SymbolKind::MODULE,
                item.span,
                i.alias.as_ref().map_or(i.path_span, |a| a.span),
                Vec::new(),
            ),
            ItemKind::Binding(b) | ItemKind::Let(b) => {
                let (kind, detail) = match &b.value.kind {
                    ExprKind::Instantiate { schema, .. } => (
                        SymbolKind::OBJECT,
                        Some(text[schema.span.range()].to_string()),
                    ),
                    ExprKind::Fn { .. } => (SymbolKind::FUNCTION, None),
                    _ if b.name.name == "stack" => (SymbolKind::CONSTANT, None),
                    _ => (SymbolKind::VARIABLE, None),
                };
                let detail = match (&item.kind, detail) {
                    (ItemKind::Let(_), Some(d)) => Some(format!("let: {d}")),
                    (ItemKind::Let(_), None) => Some("let".to_string()),
                    (_, d) => d,
                };
                symbol(
                    text,
                    index,
                    &b.name.name,
                    detail,
                    kind,
                    item.span,
                    b.name.span,
                    record_children(&b.value, text, index),
                )
            }
            ItemKind::Param(p) => symbol(
                text,
                index,
                &p.name.name,
                Some(format!("param: {}", &text[p.ty.span.range()])),
                SymbolKind::PROPERTY,
                item.span,
                p.name.span,
                Vec::new(),
            ),
            ItemKind::TypeAlias(a) => symbol(
                text,
                index,
                &a.name.name,
                Some(format!("type = {}", &text[a.ty.span.range()])),
                SymbolKind::TYPE_PARAMETER,
                item.span,
                a.name.span,
                Vec::new(),
            ),
            ItemKind::Schema(s) => {
                let fields = s
                    .entries
                    .iter()
                    .filter_map(|e| match e {
                        SchemaEntry::Field(f) => Some(symbol(
                            text,
                            index,
                            &f.name.name,
                            Some(text[f.ty.span.range()].to_string()),
                            SymbolKind::FIELD,
                            f.span,
                            f.name.span,
                            Vec::new(),
                        )),
                        _ => None,
                    })
                    .collect();
                let (kind, word) = match s.kind {
                    SchemaKind::Resource => (SymbolKind::CLASS, "resource"),
                    SchemaKind::Schema => (SymbolKind::STRUCT, "schema"),
                };
                symbol(
                    text,
                    index,
                    &s.name.name,
                    Some(word.to_string()),
                    kind,
                    item.span,
                    s.name.span,
                    fields,
                )
            }
            ItemKind::Check(_) | ItemKind::Error => continue,
        };
        out.push(sym);
    }
    out
}

/// The keys a record or instantiation sets.
fn record_children(e: &ast::Expr, text: &str, index: &LineIndex) -> Vec<DocumentSymbol> {
    let fields = match &e.kind {
        ExprKind::Record(fields) | ExprKind::Instantiate { fields, .. } => fields,
        _ => return Vec::new(),
    };
    fields
        .iter()
        .filter_map(|f| {
            let first = f.path.first()?;
            let last = f.path.last()?;
            let name: Vec<String> = f
                .path
                .iter()
                .map(|k| match k {
                    Key::Ident(i) => i.name.clone(),
                    Key::Str(_, span) => text[span.range()].to_string(),
                })
                .collect();
            Some(symbol(
                text,
                index,
                &name.join("."),
                None,
                SymbolKind::FIELD,
                f.span,
                first.span().to(last.span()),
                record_children(&f.value, text, index),
            ))
        })
        .collect()
}
