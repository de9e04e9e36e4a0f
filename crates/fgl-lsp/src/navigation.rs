//! Go to definition, find references and rename, across the files of the program (the
//! document, what it imports, and the standard library, served as read-only files).

use std::collections::HashMap;

use fgl_syntax::{FileId, Span};
use tower_lsp_server::ls_types::{Location, TextEdit, Uri};

use crate::resolve::{Occurrence, Target};
use crate::semantic::{contains, Model};

/// The name under the cursor in the root file.
pub fn at(model: &Model<'_>, offset: usize) -> Option<Occurrence> {
    model
        .occurrences(fgl_check::Program::ROOT)
        .into_iter()
        .filter(|o| o.span.file == FileId(0) && contains(o.span, offset))
        .min_by_key(|o| o.span.len())
}

/// Where a target is defined.
pub fn definition_span(model: &Model<'_>, target: &Target) -> Option<Span> {
    let decls = model.decls();
    match target {
        Target::Item { module, name } => decls.modules[module.index()]
            .names
            .get(name)
            .map(|(_, span)| *span),
        Target::Local { binder, .. } => Some(*binder),
        Target::Field { schema, name } => Some(decls.schema(*schema).field(name)?.ast.name.span),
        Target::Builtin(_) => None,
    }
}

pub fn definition(model: &Model<'_>, offset: usize) -> Option<Location> {
    let occ = at(model, offset)?;
    model.loaded.location(definition_span(model, &occ.target)?)
}

/// Every occurrence of the target under the cursor, in every file of the program.
fn all_of(model: &Model<'_>, target: &Target) -> Vec<Occurrence> {
    let mut out = Vec::new();
    for module in &model.loaded.program.modules {
        out.extend(
            model
                .occurrences(module.id)
                .into_iter()
                .filter(|o| &o.target == target),
        );
    }
    // A definition the walk does not visit (an import's derived alias) still counts.
    if let Some(def) = definition_span(model, target) {
        if !out.iter().any(|o| o.span == def) {
            out.push(Occurrence {
                span: def,
                target: target.clone(),
                is_def: true,
            });
        }
    }
    out.sort_by_key(|o| (o.span.file, o.span.start));
    out.dedup_by_key(|o| o.span);
    out
}

pub fn references(model: &Model<'_>, offset: usize, include_declaration: bool) -> Vec<Location> {
    let Some(occ) = at(model, offset) else {
        return Vec::new();
    };
    all_of(model, &occ.target)
        .into_iter()
        .filter(|o| include_declaration || !o.is_def)
        .filter_map(|o| model.loaded.location(o.span))
        .collect()
}

pub enum RenameError {
    NothingHere,
    NotRenamable(&'static str),
    BadName(String),
}

/// The span of the name to rename, when it can be.
pub fn prepare(model: &Model<'_>, offset: usize) -> Result<(Span, Target), RenameError> {
    let occ = at(model, offset).ok_or(RenameError::NothingHere)?;
    match &occ.target {
        Target::Builtin(_) => return Err(RenameError::NotRenamable("a built-in function")),
        Target::Field { .. } => {
            return Err(RenameError::NotRenamable(
                "a schema field (only bindings, params and local names can be renamed)",
            ))
        }
        Target::Item { .. } | Target::Local { .. } => {}
    }
    let def = definition_span(model, &occ.target).ok_or(RenameError::NothingHere)?;
    if model.loaded.is_std(def.file) {
        return Err(RenameError::NotRenamable("defined in the standard library"));
    }
    if let Target::Item { module, name } = &occ.target {
        if let Some((decl, _)) = model.decls().modules[module.index()].names.get(name) {
            if matches!(decl, fgl_check::Decl::Import { .. }) {
                return Err(RenameError::NotRenamable("an import's name"));
            }
        }
        if name == "stack" {
            return Err(RenameError::NotRenamable(
                "`stack`, whose name the tools read",
            ));
        }
    }
    Ok((occ.span, occ.target))
}

pub fn rename(
    model: &Model<'_>,
    offset: usize,
    new_name: &str,
) -> Result<HashMap<Uri, Vec<TextEdit>>, RenameError> {
    let (_, target) = prepare(model, offset)?;
    if !fgl_check::loader::is_identifier(new_name) {
        return Err(RenameError::BadName(format!(
            "`{new_name}` is not a valid name (letters, digits and `_`, not a keyword)"
        )));
    }
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for occ in all_of(model, &target) {
        if model.loaded.is_std(occ.span.file) {
            continue;
        }
        let Some(loc) = model.loaded.location(occ.span) else {
            continue;
        };
        changes
            .entry(loc.uri)
            .or_default()
            .push(TextEdit::new(loc.range, new_name.to_string()));
    }
    Ok(changes)
}
