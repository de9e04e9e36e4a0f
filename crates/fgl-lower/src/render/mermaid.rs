//! Mermaid: paste into Markdown (GitHub renders ```mermaid blocks).

use std::fmt::Write;

use crate::graph::Graph;

/// Mermaid text in a quoted label: quotes become `#quot;`, newlines `<br>`.
fn text(s: &str) -> String {
    s.replace('"', "#quot;").replace('\n', "<br>")
}

pub fn mermaid(graph: &Graph) -> String {
    // Mermaid ids must be plain words: number the nodes and the clusters.
    let index = |id: &str| graph.nodes.iter().position(|n| n.id == id);
    let mut out = String::from("flowchart LR\n");
    for (i, (owner, kind)) in super::owners(graph).into_iter().enumerate() {
        let _ = writeln!(
            out,
            "  subgraph c{i}[\"{}\"]",
            text(&format!("{owner} ({kind})"))
        );
        for (n, node) in graph
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.owner == owner)
        {
            let shape = if node.lookup {
                ("[/", "/]")
            } else {
                ("[", "]")
            };
            let _ = writeln!(
                out,
                "    n{n}{}\"{}\"{}",
                shape.0,
                text(&super::label(node)),
                shape.1
            );
        }
        out.push_str("  end\n");
    }
    for (n, node) in graph.nodes.iter().enumerate() {
        for dep in &node.depends_on {
            if let Some(d) = index(dep) {
                let _ = writeln!(out, "  n{n} --> n{d}");
            }
        }
    }
    out
}
