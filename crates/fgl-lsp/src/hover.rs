//! Hover: the type, default and doc comment of fields and bindings; for a resource, the AWS
//! resources it becomes.

use fgl_check::decls::Decl;
use fgl_check::{ModuleId, Program, SchemaId};
use fgl_syntax::ast::{ItemKind, SchemaKind};

use crate::analysis::Lowered;
use crate::resolve::Target;
use crate::semantic::{contains, schema_of, Model};

/// Markdown for the name under the cursor, and its span.
/// `lowering` gives what the document's resources become in AWS (asked only for a resource).
pub fn hover(
    model: &Model<'_>,
    offset: usize,
    lowering: &dyn Fn() -> Option<std::sync::Arc<Lowered>>,
) -> Option<(String, fgl_syntax::Span)> {
    let (occurrences, _) = model.occurrences_and_scope(offset);
    let occ = occurrences
        .iter()
        .filter(|o| o.span.file == fgl_syntax::FileId(0) && contains(o.span, offset))
        .min_by_key(|o| o.span.len())?;
    let text = match &occ.target {
        Target::Item { module, name } => item_markdown(model, *module, name, lowering)?,
        Target::Field { schema, name } => field_markdown(model, *schema, name)?,
        Target::Local { name, .. } => {
            // The type the checker found where the name is used (or bound).
            let ty = model
                .rec
                .around
                .iter()
                .find(|(span, _, _)| *span == occ.span)
                .map(|(_, _, ty)| model.show(ty));
            match ty {
                Some(ty) => format!("```fgl\n{name}: {ty}\n```"),
                None => format!("```fgl\n{name}\n```"),
            }
        }
        Target::Builtin(name) => format!("```fgl\n{name}\n```\nbuilt-in function"),
    };
    Some((text, occ.span))
}

fn code(s: &str) -> String {
    format!("```fgl\n{s}\n```")
}

/// A field: `name: Type = default`, its doc, and whose field it is.
pub fn field_markdown(model: &Model<'_>, schema: SchemaId, name: &str) -> Option<String> {
    let info = model.decls().schema(schema);
    let f = info.field(name)?;
    let mut head = format!("{name}: {}", model.show(&f.ty));
    if let Some(d) = f.default {
        head.push_str(&format!(" = {}", model.source(d.span)));
    }
    let mut out = code(&head);
    if let Some(doc) = &f.ast.doc {
        out.push_str("\n\n");
        out.push_str(&doc.text);
    }
    let required = if f.is_required() { ", required" } else { "" };
    out.push_str(&format!("\n\n*field of `{}`{required}*", info.display_name));
    Some(out)
}

/// The doc comment of a module-level name.
pub fn item_doc(model: &Model<'_>, module: ModuleId, name: &str) -> Option<String> {
    let (decl, _) = model.decls().modules[module.index()].names.get(name)?;
    let item = match decl {
        Decl::Binding { item }
        | Decl::Let { item }
        | Decl::Param { item }
        | Decl::TypeAlias { item } => *item,
        Decl::Schema(id) => model.decls().schema(*id).item,
        Decl::Import { .. } => return None,
    };
    let it = model.loaded.program.module(module).ast.items.get(item)?;
    Some(it.doc.as_ref()?.text.clone())
}

fn item_markdown(
    model: &Model<'_>,
    module: ModuleId,
    name: &str,
    lowering: &dyn Fn() -> Option<std::sync::Arc<Lowered>>,
) -> Option<String> {
    let decls = model.decls();
    let (decl, _) = decls.modules[module.index()].names.get(name)?;
    let program = &model.loaded.program;
    let items = &program.module(module).ast.items;
    let mut out = match decl {
        Decl::Binding { item } | Decl::Let { item } => {
            let ty = model.binding_type(module, *item);
            let word = if matches!(items.get(*item)?.kind, ItemKind::Let(_)) {
                "let "
            } else {
                ""
            };
            let mut s = code(&match &ty {
                Some(ty) => format!("{word}{name}: {}", model.show(ty)),
                None => format!("{word}{name}"),
            });
            if let Some(doc) = item_doc(model, module, name) {
                s.push_str(&format!("\n\n{doc}"));
            }
            // A resource of the root: what the last clean check lowered it to.
            if let (Some(id), true) = (ty.as_ref().and_then(schema_of), module == Program::ROOT) {
                if decls.schema(id).is_resource() {
                    let lowered = lowering();
                    s.push_str(&becomes(
                        model,
                        id,
                        lowered.as_ref().and_then(|l| l.get(name)),
                    ));
                }
            }
            s
        }
        Decl::Param { item } => {
            let ItemKind::Param(p) = &items.get(*item)?.kind else {
                return None;
            };
            let mut head = format!("param {name}: {}", model.source(p.ty.span));
            if let Some(d) = &p.default {
                head.push_str(&format!(" = {}", model.source(d.span)));
            }
            let mut s = code(&head);
            if let Some(doc) = item_doc(model, module, name) {
                s.push_str(&format!("\n\n{doc}"));
            }
            s
        }
        Decl::TypeAlias { item } => {
            let mut s = code(&format!(
                "type {name} = {}",
                model.show(&decls.alias(module, *item))
            ));
            if let Some(doc) = item_doc(model, module, name) {
                s.push_str(&format!("\n\n{doc}"));
            }
            s
        }
        Decl::Schema(id) => {
            let info = decls.schema(*id);
            let word = match info.kind {
                SchemaKind::Resource => "resource",
                SchemaKind::Schema => "schema",
            };
            let mut s = code(&format!("{word} {}", info.display_name));
            if let Some(doc) = item_doc(model, module, name) {
                s.push_str(&format!("\n\n{doc}"));
            }
            let required: Vec<String> = info
                .fields
                .iter()
                .filter(|f| f.is_required())
                .map(|f| format!("`{}`", f.name))
                .collect();
            if !required.is_empty() {
                s.push_str(&format!("\n\nRequired fields: {}", required.join(", ")));
            }
            if info.is_resource() {
                s.push_str(&becomes(model, *id, None));
            }
            s
        }
        Decl::Import { index } => {
            let target = decls.import_target(module, *index)?;
            let mut s = code(&format!("import {}", decls.module_display_name(target)));
            // A module's doc: the `##` block that opens its file.
            let first = program.module(target).ast.items.first();
            if let Some(doc) = first.and_then(|i| i.doc.as_ref()) {
                s.push_str(&format!(
                    "\n\n{}",
                    doc.text.lines().next().unwrap_or_default()
                ));
            }
            s
        }
    };
    if module != Program::ROOT {
        out.push_str(&format!("\n\n*in {}*", decls.module_display_name(module)));
    }
    Some(out)
}

/// "Becomes in AWS: …": the nodes of the last lowering when there is one, or what a resource
/// of this kind always becomes.
fn becomes(model: &Model<'_>, schema: SchemaId, nodes: Option<&Vec<(String, String)>>) -> String {
    if let Some(nodes) = nodes.filter(|n| !n.is_empty()) {
        let list: Vec<String> = nodes
            .iter()
            .map(|(kind, id)| format!("- `{kind}` ({id})"))
            .collect();
        return format!("\n\nBecomes in AWS:\n{}", list.join("\n"));
    }
    let info = model.decls().schema(schema);
    let is_std = model
        .loaded
        .program
        .file(model.loaded.program.module(info.module).file)
        .is_std;
    if !is_std {
        return String::new();
    }
    let kinds: &[&str] = match info.name.as_str() {
        "Container" => &[
            "AWS::ECS::TaskDefinition",
            "AWS::ECS::Service",
            "AWS::Logs::LogGroup",
            "AWS::IAM::Role (execution and task roles)",
            "AWS::EC2::SecurityGroup",
        ],
        "Secret" => &["AWS::SSM::Parameter (SecureString)"],
        "Certificate" => &[
            "AWS::CertificateManager::Certificate",
            "AWS::Route53::RecordSet (DNS validation)",
        ],
        "LoadBalancer" => &[
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "AWS::ElasticLoadBalancingV2::Listener",
            "AWS::ElasticLoadBalancingV2::TargetGroup (one per target)",
            "AWS::EC2::SecurityGroup",
            "AWS::Route53::RecordSet (one per domain)",
        ],
        "Network" => &[
            "AWS::EC2::VPC",
            "AWS::EC2::Subnet (per availability zone)",
            "AWS::EC2::InternetGateway",
            "AWS::EC2::RouteTable",
            "AWS::EC2::NatGateway (with `nat`)",
        ],
        _ => return String::new(),
    };
    let list: Vec<String> = kinds.iter().map(|k| format!("- {k}")).collect();
    format!(
        "\n\nBecomes in AWS (`fgl eval --lowered` shows the exact graph):\n{}",
        list.join("\n")
    )
}
