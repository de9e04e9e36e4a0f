//! Graphviz: `fgl graph app.fgl | dot -Tsvg > graph.svg`.

use std::fmt::Write;

use crate::graph::Graph;

/// A dot string literal.
fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

pub fn dot(graph: &Graph) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph {} {{", quote(&graph.stack));
    let _ = writeln!(out, "  rankdir=LR;");
    let _ = writeln!(
        out,
        "  node [shape=box, fontname=\"Helvetica\", fontsize=10];"
    );
    for (i, (owner, kind)) in super::owners(graph).into_iter().enumerate() {
        let _ = writeln!(out, "  subgraph cluster_{i} {{");
        let _ = writeln!(out, "    label={};", quote(&format!("{owner} ({kind})")));
        for node in graph.nodes.iter().filter(|n| n.owner == owner) {
            let style = if node.lookup { ", style=dashed" } else { "" };
            let _ = writeln!(
                out,
                "    {} [label={}{style}];",
                quote(&node.id),
                quote(&super::label(node))
            );
        }
        let _ = writeln!(out, "  }}");
    }
    for node in &graph.nodes {
        for dep in &node.depends_on {
            let _ = writeln!(out, "  {} -> {};", quote(&node.id), quote(dep));
        }
    }
    out.push_str("}\n");
    out
}
