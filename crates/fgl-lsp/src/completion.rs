//! Completion, from the schemas, on code that is usually broken while it is typed:
//!
//! - in a record or instantiation, at a key: the fields not yet set, with type, default and doc,
//!   inserted as `name = ` (a snippet when the client takes them);
//! - after `key = `: the values of a literal-union type, `true`/`false`, or the resources in
//!   scope of the field's resource type;
//! - after `m.`: the members of an imported module; after `x.`: the fields of x's schema;
//! - in an import path: the `std/` modules and the `.fgl` files beside the document;
//! - elsewhere: the names in scope, the built-ins and the keywords.

use std::rc::Rc;

use fgl_check::decls::{Decl, BUILTIN_TYPES};
use fgl_check::ty::{Lit, RecordTy};
use fgl_check::{ModuleId, Program, SchemaId, Ty};
use fgl_syntax::ast::{ItemKind, Key};
use fgl_syntax::token::KEYWORDS;
use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, CompletionItemLabelDetails, CompletionTextEdit,
    Documentation, InsertTextFormat, MarkupContent, MarkupKind, TextEdit,
};

use crate::context::{self, LineCtx};
use crate::hover;
use crate::semantic::{schema_of, Model};

/// What the type of a record place offers.
enum Shape {
    Schema(SchemaId),
    Record(Rc<RecordTy>),
}

pub fn complete(model: &Model<'_>, offset: usize, snippets: bool) -> Vec<CompletionItem> {
    let text = model.loaded.root_text();
    let offset = floor_boundary(text, offset);
    let start = context::word_start(text, offset);
    let edit_range = crate::position::range(
        text,
        model.loaded.index(fgl_syntax::FileId(0)),
        fgl_syntax::Span::new(fgl_syntax::FileId(0), start, offset),
    );
    let mut out = Out {
        items: Vec::new(),
        range: edit_range,
        snippets,
    };
    match context::line_ctx(text, offset) {
        LineCtx::Comment | LineCtx::String => {}
        LineCtx::ImportPath { typed, start } => {
            import_paths(model, &typed, start, offset, &mut out)
        }
        LineCtx::Member { base } => members(model, &base, offset, &mut out),
        LineCtx::Key => {
            if let Some(shape) = record_shape(model, offset) {
                fields(model, &shape, offset, &mut out);
            } else {
                names(model, offset, &mut out);
            }
        }
        LineCtx::Value { key } => {
            let place =
                record_shape(model, offset).and_then(|shape| field_type(model, &shape, &key));
            let before = out.items.len();
            if let Some((ty, default)) = place {
                let space = text[..start].ends_with('=');
                values(model, &ty, default.as_deref(), space, &mut out);
            }
            if out.items.len() == before {
                names(model, offset, &mut out);
            }
        }
        LineCtx::Other => names(model, offset, &mut out),
    }
    out.items
}

struct Out {
    items: Vec<CompletionItem>,
    range: tower_lsp_server::ls_types::Range,
    snippets: bool,
}

impl Out {
    fn push(
        &mut self,
        label: &str,
        kind: CompletionItemKind,
        insert: String,
        sort: String,
    ) -> &mut CompletionItem {
        self.items.push(CompletionItem {
            label: label.to_string(),
            kind: Some(kind),
            sort_text: Some(sort),
            filter_text: Some(label.to_string()),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(self.range, insert))),
            ..CompletionItem::default()
        });
        let last = self.items.len() - 1;
        &mut self.items[last]
    }
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn markdown(value: String) -> Documentation {
    Documentation::MarkupContent(MarkupContent {
        kind: MarkupKind::Markdown,
        value,
    })
}

/// The type of the innermost record around the cursor: the schema named by `S { … }`, the
/// type the checker pushed into a record literal, or else the type of the field of the
/// enclosing record whose value it is.
fn record_shape(model: &Model<'_>, offset: usize) -> Option<Shape> {
    let ctx = context::record_at(model.root(), model.loaded.root_text(), offset)?;
    let mut shape: Option<Shape> = None;
    for (i, frame) in ctx.path.iter().enumerate() {
        let from_parent = || -> Option<Ty> {
            let parent = ctx.path.get(i.checked_sub(1)?)?;
            let (key, via_list) = parent.via.as_ref()?;
            let (ty, _) = field_type(model, shape.as_ref()?, std::slice::from_ref(key))?;
            Some(match (ty.non_null(), via_list) {
                (Ty::List(elem), true) => *elem,
                (other, _) => other,
            })
        };
        let ty = match &frame.expr.kind {
            fgl_syntax::ast::ExprKind::Instantiate { schema, .. } => {
                model.schema_named(Program::ROOT, schema).map(Ty::Schema)
            }
            _ => model
                .rec
                .records
                .get(&frame.expr.span)
                .cloned()
                .or_else(from_parent),
        };
        shape = ty.and_then(|t| shape_of(&t));
    }
    shape
}

fn shape_of(ty: &Ty) -> Option<Shape> {
    match ty.non_null() {
        Ty::Schema(id) => Some(Shape::Schema(id)),
        Ty::Record(r) => Some(Shape::Record(r)),
        Ty::Union(members) => members.iter().find_map(shape_of),
        _ => None,
    }
}

/// The type (and default's source) of `key` (maybe dotted) in a record of this shape.
fn field_type(model: &Model<'_>, shape: &Shape, key: &[String]) -> Option<(Ty, Option<String>)> {
    let (first, rest) = key.split_first()?;
    let (ty, default) = match shape {
        Shape::Schema(id) => {
            let f = model.decls().schema(*id).field(first)?;
            (
                f.ty.clone(),
                f.default.map(|d| model.source(d.span).to_string()),
            )
        }
        Shape::Record(r) => (r.field(first)?.ty.clone(), None),
    };
    if rest.is_empty() {
        return Some((ty, default));
    }
    field_type(model, &shape_of(&ty)?, rest)
}

/// The fields of the record's shape that are not set yet.
fn fields(model: &Model<'_>, shape: &Shape, offset: usize, out: &mut Out) {
    let text = model.loaded.root_text();
    let set: Vec<String> = context::record_at(model.root(), text, offset)
        .and_then(|ctx| {
            let frame = ctx.innermost()?;
            Some(
                frame
                    .fields
                    .iter()
                    // The entry being typed does not count.
                    .filter(|f| !crate::semantic::contains(f.span, offset))
                    .filter_map(|f| match f.path.first()? {
                        Key::Ident(i) => Some(i.name.clone()),
                        Key::Str(lit, _) => lit.as_plain(),
                    })
                    .collect(),
            )
        })
        .unwrap_or_default();
    match shape {
        Shape::Schema(id) => {
            let schema = model.decls().schema(*id);
            for (i, f) in schema.fields.iter().enumerate() {
                if set.contains(&f.name) {
                    continue;
                }
                let ty = model.show(&f.ty);
                let default = f.default.map(|d| model.source(d.span).to_string());
                let required = f.is_required();
                let doc = hover::field_markdown(model, *id, &f.name);
                let insert = field_insert(&f.name, &f.ty, model, out.snippets);
                let snippets = out.snippets;
                let item = out.push(
                    &f.name,
                    CompletionItemKind::FIELD,
                    insert,
                    format!("{}{i:03}", if required { 0 } else { 1 }),
                );
                item.detail = Some(match &default {
                    Some(d) => format!("{ty} = {d}"),
                    None if required => format!("{ty} (required)"),
                    None => ty.clone(),
                });
                item.label_details = Some(CompletionItemLabelDetails {
                    detail: Some(format!(": {ty}")),
                    description: default.map(|d| format!("= {d}")),
                });
                item.documentation = doc.map(markdown);
                if snippets {
                    item.insert_text_format = Some(InsertTextFormat::SNIPPET);
                }
            }
        }
        Shape::Record(r) => {
            for (i, f) in r.fields.iter().enumerate() {
                if set.contains(&f.name) {
                    continue;
                }
                let ty = model.show(&f.ty);
                let insert = field_insert(&f.name, &f.ty, model, out.snippets);
                let snippets = out.snippets;
                let item = out.push(
                    &f.name,
                    CompletionItemKind::FIELD,
                    insert,
                    format!("{}{i:03}", if f.optional { 1 } else { 0 }),
                );
                item.detail = Some(ty);
                if snippets {
                    item.insert_text_format = Some(InsertTextFormat::SNIPPET);
                }
            }
        }
    }
}

/// `name = ` (or the snippet `name = $0`, `name = {⏎$0⏎}` for a plain schema).
fn field_insert(name: &str, ty: &Ty, model: &Model<'_>, snippets: bool) -> String {
    if !snippets {
        return format!("{name} = ");
    }
    let record = match schema_of(ty) {
        Some(id) => !model.decls().schema(id).is_resource(),
        None => matches!(ty.non_null(), Ty::Record(_)),
    };
    if record {
        format!("{name} = {{ $0 }}")
    } else {
        format!("{name} = $0")
    }
}

/// The values a place of type `ty` takes, as far as they can be listed.
fn values(model: &Model<'_>, ty: &Ty, default: Option<&str>, space: bool, out: &mut Out) {
    let pad = if space { " " } else { "" };
    let mut listed: Vec<String> = Vec::new();
    collect_values(model, ty, &mut listed);
    if ty.admits_null() && !matches!(ty, Ty::Unknown) {
        listed.push("null".into());
    }
    for (i, v) in listed.iter().enumerate() {
        let is_default = default == Some(v.as_str());
        let kind = if v.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && !matches!(v.as_str(), "true" | "false" | "null")
        {
            CompletionItemKind::REFERENCE
        } else {
            CompletionItemKind::VALUE
        };
        let item = out.push(v, kind, format!("{pad}{v}"), format!("{i:04}"));
        if is_default {
            item.detail = Some("default".into());
            item.preselect = Some(true);
        } else if kind == CompletionItemKind::REFERENCE {
            item.detail = Some(model.show(&ty.non_null()));
        }
    }
}

fn collect_values(model: &Model<'_>, ty: &Ty, out: &mut Vec<String>) {
    match ty {
        Ty::Optional(inner) => collect_values(model, inner, out),
        Ty::Lits(lits) => {
            for lit in lits {
                if *lit != Lit::Null {
                    out.push(lit.to_string());
                }
            }
        }
        Ty::Bool => out.extend(["true".to_string(), "false".to_string()]),
        Ty::Union(members) => members.iter().for_each(|m| collect_values(model, m, out)),
        Ty::Schema(id) if model.decls().schema(*id).is_resource() => {
            // The resources of this type among the module's bindings.
            for (i, item) in model.root().items.iter().enumerate() {
                let (ItemKind::Binding(b) | ItemKind::Let(b)) = &item.kind else {
                    continue;
                };
                let Some(found) = model.binding_type(Program::ROOT, i) else {
                    continue;
                };
                if schema_of(&found) == Some(*id) && !out.contains(&b.name.name) {
                    out.push(b.name.name.clone());
                }
            }
        }
        _ => {}
    }
}

/// `m.` (an imported module's public bindings and schemas) or `x.` (the fields of x's type).
fn members(model: &Model<'_>, base: &str, offset: usize, out: &mut Out) {
    let decls = model.decls();
    let (_, scope) = model.occurrences_and_scope(offset);
    let shadowed = scope.locals.iter().any(|(n, _)| n == base);
    match decls.lookup(Program::ROOT, base) {
        Some(Decl::Import { index }) if !shadowed => {
            if let Some(target) = decls.import_target(Program::ROOT, index) {
                module_members(model, target, out);
            }
        }
        Some(Decl::Binding { item } | Decl::Let { item } | Decl::Param { item }) if !shadowed => {
            if let Some(shape) = model
                .binding_type(Program::ROOT, item)
                .and_then(|t| shape_of(&t))
            {
                let saved = out.snippets;
                out.snippets = false;
                fields_of_value(model, &shape, out);
                out.snippets = saved;
            }
        }
        _ => {}
    }
}

/// Reading `x.`: every field, inserted as its name.
fn fields_of_value(model: &Model<'_>, shape: &Shape, out: &mut Out) {
    let list: Vec<(String, Ty)> = match shape {
        Shape::Schema(id) => model
            .decls()
            .schema(*id)
            .fields
            .iter()
            .map(|f| (f.name.clone(), f.ty.clone()))
            .collect(),
        Shape::Record(r) => r
            .fields
            .iter()
            .map(|f| (f.name.clone(), f.ty.clone()))
            .collect(),
    };
    for (i, (name, ty)) in list.iter().enumerate() {
        let detail = model.show(ty);
        let item = out.push(
            name,
            CompletionItemKind::FIELD,
            name.clone(),
            format!("{i:03}"),
        );
        item.detail = Some(detail);
        if let Shape::Schema(id) = shape {
            item.documentation = hover::field_markdown(model, *id, name).map(markdown);
        }
    }
}

fn module_members(model: &Model<'_>, target: ModuleId, out: &mut Out) {
    let decls = model.decls();
    let mut names: Vec<(&String, &Decl)> = decls.modules[target.index()]
        .names
        .iter()
        .map(|(n, (d, _))| (n, d))
        .collect();
    names.sort_by_key(|(n, _)| n.as_str());
    for (name, decl) in names {
        let (kind, detail) = match decl {
            Decl::Schema(id) => {
                let s = decls.schema(*id);
                let word = if s.is_resource() {
                    "resource"
                } else {
                    "schema"
                };
                (
                    CompletionItemKind::CLASS,
                    format!("{word} {}", s.display_name),
                )
            }
            Decl::TypeAlias { item } => (
                CompletionItemKind::TYPE_PARAMETER,
                format!("type = {}", model.show(&decls.alias(target, *item))),
            ),
            Decl::Binding { item } | Decl::Param { item } => (
                CompletionItemKind::VARIABLE,
                model
                    .binding_type(target, *item)
                    .map(|t| model.show(&t))
                    .unwrap_or_default(),
            ),
            // Private, or not a member.
            Decl::Let { .. } | Decl::Import { .. } => continue,
        };
        let doc = hover::item_doc(model, target, name);
        let item = out.push(name, kind, name.clone(), name.clone());
        item.detail = Some(detail);
        item.documentation = doc.map(markdown);
    }
}

/// Names in scope: inner ones, the module's, the built-ins; and the keywords.
fn names(model: &Model<'_>, offset: usize, out: &mut Out) {
    let (_, scope) = model.occurrences_and_scope(offset);
    let mut seen: Vec<String> = Vec::new();
    for (name, _) in scope.locals.iter().rev() {
        if seen.contains(name) {
            continue;
        }
        seen.push(name.clone());
        out.push(
            name,
            CompletionItemKind::VARIABLE,
            name.clone(),
            format!("0{name}"),
        );
    }
    // A comprehension whose head is being typed does not parse as one (`[p + | for p in xs]`
    // is a list): its variables are read from the line.
    for name in comprehension_vars(model.loaded.root_text(), offset) {
        if !seen.contains(&name) {
            out.push(
                &name,
                CompletionItemKind::VARIABLE,
                name.clone(),
                format!("0{name}"),
            );
            seen.push(name);
        }
    }
    let decls = model.decls();
    let mut module: Vec<(&String, &Decl)> = decls.modules[Program::ROOT.index()]
        .names
        .iter()
        .map(|(n, (d, _))| (n, d))
        .collect();
    module.sort_by_key(|(n, _)| n.as_str());
    for (name, decl) in module {
        if seen.contains(name) {
            continue;
        }
        seen.push(name.clone());
        let (kind, detail) = match decl {
            Decl::Import { .. } => (CompletionItemKind::MODULE, "module".to_string()),
            Decl::Schema(id) => (
                CompletionItemKind::CLASS,
                decls.schema(*id).display_name.clone(),
            ),
            Decl::TypeAlias { .. } => (CompletionItemKind::TYPE_PARAMETER, "type".to_string()),
            Decl::Binding { item } | Decl::Let { item } | Decl::Param { item } => (
                CompletionItemKind::VARIABLE,
                model
                    .binding_type(Program::ROOT, *item)
                    .map(|t| model.show(&t))
                    .unwrap_or_default(),
            ),
        };
        let doc = hover::item_doc(model, Program::ROOT, name);
        let item = out.push(name, kind, name.clone(), format!("1{name}"));
        item.detail = Some(detail);
        item.documentation = doc.map(markdown);
    }
    for name in fgl_check::builtins::BUILTINS {
        if seen.iter().any(|s| s == name) {
            continue;
        }
        let item = out.push(
            name,
            CompletionItemKind::FUNCTION,
            name.to_string(),
            format!("2{name}"),
        );
        item.detail = Some("built-in function".into());
    }
    for name in BUILTIN_TYPES {
        out.push(
            name,
            CompletionItemKind::STRUCT,
            name.to_string(),
            format!("3{name}"),
        );
    }
    for kw in KEYWORDS {
        out.push(
            kw,
            CompletionItemKind::KEYWORD,
            kw.to_string(),
            format!("4{kw}"),
        );
    }
}

/// The variables of `for a, b in` on the cursor's line.
fn comprehension_vars(text: &str, offset: usize) -> Vec<String> {
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
    let words: Vec<&str> = text[start..end]
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect();
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        if *w != "for" {
            continue;
        }
        for v in words[i + 1..].iter().take_while(|v| **v != "in").take(2) {
            if fgl_check::loader::is_identifier(v) {
                out.push(v.to_string());
            }
        }
    }
    out
}

/// `std/NAME` modules, and `.fgl` files beside the document (`./x.fgl`).
fn import_paths(model: &Model<'_>, typed: &str, start: usize, offset: usize, out: &mut Out) {
    let text = model.loaded.root_text();
    let index = model.loaded.index(fgl_syntax::FileId(0));
    // Replace everything typed inside the quotes, `/` and `.` included.
    out.range = crate::position::range(
        text,
        index,
        fgl_syntax::Span::new(fgl_syntax::FileId(0), start, offset),
    );
    let mut paths: Vec<String> = fgl_check::stdlib::MODULES
        .iter()
        .map(|(name, _)| format!("std/{name}"))
        .collect();
    let own = crate::documents::file_path(&model.loaded.uri);
    if let Some(dir) = own.as_ref().and_then(|p| p.parent()) {
        if let Ok(entries) = std::fs::read_dir(dir) {
            let mut local: Vec<String> = entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "fgl") && Some(p) != own.as_ref())
                .filter_map(|p| Some(format!("./{}", p.file_name()?.to_str()?)))
                .collect();
            local.sort();
            paths.extend(local);
        }
    }
    for (i, path) in paths.iter().enumerate() {
        if !path.starts_with(typed) && !typed.is_empty() && !path.contains(typed) {
            continue;
        }
        let item = out.push(
            path,
            CompletionItemKind::MODULE,
            path.clone(),
            format!("{i:03}"),
        );
        if path.starts_with("std/") {
            item.detail = Some("standard library".into());
        }
    }
}
