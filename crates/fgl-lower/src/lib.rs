//! The AWS side of fgl that needs no AWS: the rules of `std/aws` checked offline, and the
//! lowering of a stack's evaluated resources to the concrete AWS resource graph that
//! `fgl plan`/`apply` will reconcile. No AWS SDK here: this crate builds and tests in seconds.
//!
//! Data flow (as in `fgl-cli`'s pipeline): `fgl_eval::evaluate` → [`complete`] (the default
//! network) → [`check`] (E04xx) → [`lower`] → [`Graph`] → [`render`] (JSON, dot, mermaid).

pub mod cidr;
pub mod dns;
pub mod graph;
pub mod lower;
pub mod model;
pub mod render;
pub mod rules;

use fgl_check::Decls;
use fgl_eval::{Data, Output, Resource};
use fgl_syntax::ast::{Expr, ExprKind};
use fgl_syntax::{codes, Diagnostic, Span};

pub use graph::{Graph, Node};
pub use model::{kind_of, Kind, Model};

/// The logical id of the network a stack gets when it declares none.
pub const DEFAULT_NETWORK_ID: &str = "network";

/// Adds the default network (`aws.Network {}`, with the stdlib's defaults) to a stack that has
/// a container or a load balancer but declares no network, under the id `network` (or
/// `default_network`, `default_network_2`, … when a resource already has that id). It then
/// shows in `fgl eval`'s output like a declared one.
pub fn complete(decls: &Decls<'_>, output: &mut Output) {
    let kinds: Vec<Option<Kind>> = output
        .resources
        .iter()
        .map(|r| kind_of(decls, r.schema))
        .collect();
    let needs_network = kinds
        .iter()
        .any(|k| matches!(k, Some(Kind::Container | Kind::LoadBalancer)));
    if !needs_network || kinds.contains(&Some(Kind::Network)) {
        return;
    }
    let Some(schema) = decls
        .schemas
        .iter()
        .find(|s| kind_of(decls, s.id) == Some(Kind::Network))
    else {
        return;
    };
    // Every default of `Network` is a literal (a unit test keeps it so).
    let mut fields = Vec::with_capacity(schema.fields.len());
    for field in &schema.fields {
        let value = match field.default {
            Some(expr) => literal(expr),
            None if field.ty.admits_null() => Some(Data::Null),
            None => None,
        };
        match value {
            Some(v) => fields.push((field.name.clone(), v)),
            None => return,
        }
    }
    let taken = |id: &str| output.resources.iter().any(|r| r.id == id);
    let mut id = DEFAULT_NETWORK_ID.to_string();
    let mut n = 1;
    while taken(&id) {
        id = if n == 1 {
            "default_network".to_string()
        } else {
            format!("default_network_{n}")
        };
        n += 1;
    }
    output.resources.push(Resource {
        id,
        kind: schema.display_name.clone(),
        schema: schema.id,
        fields,
        span: Span::default(),
        spans: fgl_eval::FieldSpans::default(),
    });
}

/// The value of a literal default expression.
fn literal(expr: &Expr) -> Option<Data> {
    Some(match &expr.kind {
        ExprKind::Int(n) => Data::Int(*n),
        ExprKind::Bool(b) => Data::Bool(*b),
        ExprKind::Null => Data::Null,
        ExprKind::Str(lit) => Data::Str(lit.as_plain()?),
        ExprKind::List(items) if items.is_empty() => Data::List(Vec::new()),
        ExprKind::Record(fields) if fields.is_empty() => Data::Record(Vec::new()),
        _ => return None,
    })
}

/// The AWS rules (E04xx) on the stack's `std/aws` resources, in source order.
pub fn check(decls: &Decls<'_>, output: &Output) -> Vec<Diagnostic> {
    rules::check(&Model::new(decls, output))
}

/// The AWS resource graph of the stack. Needs a stack name (E0414, at the start of the root
/// file: a missing binding has no place of its own) and a stack the rules accept (their
/// errors otherwise).
pub fn lower(decls: &Decls<'_>, output: &Output) -> Result<Graph, Vec<Diagnostic>> {
    let model = Model::new(decls, output);
    let errors: Vec<Diagnostic> = rules::check(&model)
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let Some(stack) = model.stack else {
        return Err(vec![Diagnostic::error(
            codes::STACK_REQUIRED,
            Span::default(),
            "the AWS resources need a stack name: every name fgl derives starts with it",
        )
        .with_primary_message("no `stack` in this file")
        .with_help(
            "add `stack = \"shop\"` to the file, or pass `--stack shop`",
        )]);
    };
    Ok(lower::lower(&model, stack))
}
