//! The order of deletes: a resource goes only after everything that uses it. Dependencies come
//! from the desired graph where it knows the resource, and from what the provider read.

use std::collections::HashSet;

use fgl_lower::Graph;

use crate::provider::Live;

/// `leftovers` in an order where each comes before what it depends on, each with the ids of
/// the deletes that must finish before it. Order is otherwise kept (a stable sort), so plans
/// are deterministic; a cycle (which AWS would refuse anyway) keeps the rest in place.
pub(crate) fn delete_order(
    mut leftovers: Vec<Live>,
    graph: Option<&Graph>,
) -> Vec<(Live, Vec<String>)> {
    // Deterministic whatever order the provider listed them in.
    leftovers.sort_by(|a, b| a.id.cmp(&b.id));
    let ids: HashSet<String> = leftovers.iter().map(|l| l.id.clone()).collect();
    let deps = |live: &Live| -> Vec<String> {
        let mut out: Vec<String> = live.depends_on.clone();
        if let Some(node) = graph.and_then(|g| g.node(&live.id)) {
            out.extend(node.depends_on.iter().cloned());
        }
        out.retain(|d| ids.contains(d) && *d != live.id);
        out.sort();
        out.dedup();
        out
    };
    // Who depends on each leftover: those must be deleted first.
    let users = |id: &str, all: &[Live]| -> Vec<String> {
        all.iter()
            .filter(|l| deps(l).iter().any(|d| d == id))
            .map(|l| l.id.clone())
            .collect()
    };
    let all = leftovers.clone();
    let mut placed: Vec<(Live, Vec<String>)> = Vec::new();
    let mut done: HashSet<String> = HashSet::new();
    while !leftovers.is_empty() {
        let ready = leftovers
            .iter()
            .position(|l| users(&l.id, &all).iter().all(|u| done.contains(u)));
        let i = ready.unwrap_or(0);
        let live = leftovers.remove(i);
        let mut first = users(&live.id, &all);
        // Only after deletes already placed: in a cycle the rest cannot wait for each other.
        first.retain(|u| done.contains(u));
        done.insert(live.id.clone());
        placed.push((live, first));
    }
    placed
}
