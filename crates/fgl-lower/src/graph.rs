//! The AWS resource graph: what the stack's fgl resources lower to, offline. The plan/apply
//! engine consumes it: it diffs each node against live AWS state and walks the dependencies.
//!
//! - A [`Node`] is one AWS resource (or a looked-up one, or a wait step), with a stable
//!   logical `id` of the form `<owner>/<part>` (`web/service`, `lb/target-group/web`): the
//!   owner is the logical id of the fgl resource it comes from (`stack` for the stack-wide ECS
//!   cluster). The id is what the tag `fgl:id` holds, so apply finds the live resource again.
//! - `kind` is the CloudFormation type name (`AWS::ECS::Service`), or `fgl::…` for steps that
//!   are not AWS resources (waiting for a certificate to be issued).
//! - `properties` are what fgl sends to AWS, in CloudFormation's property names. A reference
//!   to another node is `{"$ref": "<node id>", "attr": "<attribute>"}` (attributes: `Id`,
//!   `Arn`, `Name`, `DNSName`, `CanonicalHostedZoneID`, `GroupId`, `AllocationId`, and for
//!   certificates `ValidationRecord(<domain>).Name|Value`). Account, region and availability
//!   zones are unknown until apply: strings hold `${aws:account}`, `${aws:region}` and
//!   `${aws:az:N}` (the N-th available zone of the region) for the engine to substitute.
//! - `depends_on` lists every node this one needs first: all it references, plus ordering
//!   that no property shows (an HTTPS listener waits for its certificate to be issued).
//! - `tags` hold `fgl:stack` and `fgl:id` on every resource AWS lets fgl tag; Route53 records
//!   cannot be tagged and are owned through a TXT record beside them instead.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// The placeholder of the AWS account id, substituted at apply.
pub const ACCOUNT: &str = "${aws:account}";
/// The placeholder of the region, substituted at apply.
pub const REGION: &str = "${aws:region}";

/// The placeholder of the `n`-th availability zone of the region.
pub fn az(n: usize) -> String {
    format!("${{aws:az:{n}}}")
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Graph {
    pub stack: String,
    /// In a dependency-respecting order: every node after what it depends on (otherwise in
    /// the order the lowering made them: network, cluster, secrets, certificates, containers,
    /// load balancers).
    pub nodes: Vec<Node>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub id: String,
    pub kind: String,
    /// The logical id of the fgl resource this node belongs to (`stack` for stack-wide ones).
    pub owner: String,
    /// That resource's kind (`aws.Container`; `stack` for stack-wide nodes).
    pub owner_kind: String,
    /// The resource's AWS name, when it has one fgl chooses (or looks up).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Looked up by name, never created, changed or deleted (a hosted zone).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub lookup: bool,
    pub properties: Map<String, Value>,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub tags: Map<String, Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
}

/// A reference to an attribute of another node.
pub fn reference(node: &str, attr: &str) -> Value {
    json!({ "$ref": node, "attr": attr })
}

impl Graph {
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// As pretty JSON (the document of `fgl eval --lowered`).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }

    /// Fills every node's `depends_on` with the nodes its properties reference (after the
    /// explicit ones), each once.
    pub(crate) fn link(&mut self) {
        for node in &mut self.nodes {
            let mut refs = Vec::new();
            collect_refs(&Value::Object(node.properties.clone()), &mut refs);
            for r in refs {
                if r != node.id && !node.depends_on.contains(&r) {
                    node.depends_on.push(r);
                }
            }
        }
    }

    /// Orders the nodes so that each comes after what it depends on, keeping the current
    /// order where dependencies allow (a stable topological sort). A cycle (a lowering bug)
    /// leaves the rest in place; [`Graph::problems`] reports it.
    pub(crate) fn sort(&mut self) {
        let mut pending: Vec<Node> = std::mem::take(&mut self.nodes);
        let mut placed: Vec<Node> = Vec::with_capacity(pending.len());
        loop {
            let ready = pending.iter().position(|n| {
                n.depends_on.iter().all(|d| {
                    placed.iter().any(|p| p.id == *d) || !pending.iter().any(|p| p.id == *d)
                })
            });
            match ready {
                Some(i) => placed.push(pending.remove(i)),
                None => break,
            }
        }
        placed.extend(pending);
        self.nodes = placed;
    }

    /// What is wrong with the graph's structure: duplicate ids, references to missing nodes,
    /// a node before one it depends on (which also rules out cycles). Empty when sound.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for node in &self.nodes {
            if seen.contains(&node.id.as_str()) {
                out.push(format!("`{}` appears twice", node.id));
            }
            let mut refs = Vec::new();
            collect_refs(&Value::Object(node.properties.clone()), &mut refs);
            for r in refs.iter().chain(node.depends_on.iter()) {
                if self.node(r).is_none() {
                    out.push(format!("`{}` refers to the missing `{r}`", node.id));
                } else if !seen.contains(&r.as_str()) {
                    out.push(format!("`{}` comes before `{r}`, which it needs", node.id));
                }
            }
            seen.push(&node.id);
        }
        out
    }
}

/// The node ids referenced anywhere in `value`, in order of appearance.
pub fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(id)) = map.get("$ref") {
                if !out.contains(id) {
                    out.push(id.clone());
                }
            }
            map.values().for_each(|v| collect_refs(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}
