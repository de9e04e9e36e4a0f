//! Drawing the graph: JSON (the graph itself), Graphviz dot and Mermaid. In the drawings each
//! fgl resource is a cluster holding its AWS resources; an arrow goes from a node to each node
//! it depends on.

mod dot;
mod mermaid;

pub use dot::dot;
pub use mermaid::mermaid;

use crate::graph::Graph;

/// The owners of the graph's nodes, each once, in order of appearance, with their kinds.
fn owners(graph: &Graph) -> Vec<(&str, &str)> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    for node in &graph.nodes {
        if !out.iter().any(|(o, _)| *o == node.owner) {
            out.push((&node.owner, &node.owner_kind));
        }
    }
    out
}

/// A node's label: its kind without the `AWS::` prefix, and its name when it has one.
fn label(node: &crate::graph::Node) -> String {
    let kind = node.kind.strip_prefix("AWS::").unwrap_or(&node.kind);
    match &node.name {
        Some(name) => format!("{kind}\n{name}"),
        None => format!("{kind}\n{}", node.id.split_once('/').map_or("", |(_, p)| p)),
    }
}
