//! Lowering: the evaluated `std/aws` resources → the AWS resource graph ([`Graph`]). One
//! module per user kind; `names` derives every AWS name, `iam` writes every policy. Runs only
//! on a stack the AWS rules accepted, so what it reads is valid.
//!
//! Order of work: the network, the stack's ECS cluster, secrets, certificates, each
//! container's own resources, load balancers (target groups, listeners, the ingress rules
//! into the containers' security groups), and last the containers' services, which need the
//! load balancers' target groups and listeners. The graph is then linked (references become
//! dependencies) and sorted.

mod certificate;
mod container;
pub mod iam;
mod load_balancer;
pub mod names;
mod network;
mod secret;

use serde_json::{Map, Value};

use crate::graph::{Graph, Node};
use crate::model::{Kind, Model};

pub use network::Subnets;

/// The graph of a stack named `stack`.
pub fn lower(model: &Model<'_>, stack: &str) -> Graph {
    let mut cx = Cx {
        stack,
        graph: Graph {
            stack: stack.to_string(),
            nodes: Vec::new(),
        },
    };
    let subnets = model
        .network()
        .map(|n| network::lower(&mut cx, n))
        .unwrap_or_default();
    if !model.containers.is_empty() {
        container::cluster(&mut cx);
    }
    for secret in &model.secrets {
        secret::lower(&mut cx, secret);
    }
    for cert in &model.certificates {
        certificate::lower(&mut cx, cert);
    }
    for c in &model.containers {
        container::lower(&mut cx, model, c, &subnets);
    }
    let mut attachments = Vec::new();
    for lb in &model.load_balancers {
        attachments.extend(load_balancer::lower(&mut cx, model, lb, &subnets));
    }
    for c in &model.containers {
        container::service(&mut cx, c, &subnets, &attachments);
    }
    cx.graph.link();
    cx.graph.sort();
    cx.graph
}

/// The lowering's state: the stack and the graph being built.
pub(crate) struct Cx<'s> {
    pub stack: &'s str,
    pub graph: Graph,
}

/// Who a node belongs to.
#[derive(Clone, Copy)]
pub(crate) struct Owner<'a> {
    pub id: &'a str,
    pub kind: &'a str,
}

impl<'a> Owner<'a> {
    pub fn of(res: &'a fgl_eval::Resource, kind: Kind) -> Owner<'a> {
        Owner {
            id: &res.id,
            kind: kind.display(),
        }
    }

    /// The stack itself, owner of the ECS cluster.
    pub const STACK: Owner<'static> = Owner {
        id: "stack",
        kind: "stack",
    };

    pub fn node(self, part: &str) -> String {
        format!("{}/{part}", self.id)
    }
}

/// Whether the node carries the ownership tags. The attachments, routes and rules that only
/// join two resources cannot be tagged: they are owned through what they join. Route53
/// records cannot be tagged either, but the provider keeps their tags in a TXT ownership
/// record beside them (`_fgl.<name>`, as external-dns does), written in the same change.
fn taggable(kind: &str) -> bool {
    !matches!(
        kind,
        "AWS::Route53::HostedZone"
            | "AWS::EC2::VPCGatewayAttachment"
            | "AWS::EC2::Route"
            | "AWS::EC2::SubnetRouteTableAssociation"
            | "AWS::EC2::SecurityGroupIngress"
    ) && !kind.starts_with("fgl::")
}

impl Cx<'_> {
    /// Adds a node `<owner>/<part>` and returns its id. `properties` must be a JSON object.
    pub fn add(
        &mut self,
        owner: Owner<'_>,
        part: &str,
        kind: &str,
        name: Option<String>,
        properties: Value,
    ) -> String {
        let id = owner.node(part);
        let properties = match properties {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        let mut tags = Map::new();
        if taggable(kind) {
            // EC2 shows the `Name` tag in its console lists.
            if kind.starts_with("AWS::EC2::") {
                let label = name
                    .clone()
                    .unwrap_or_else(|| names::base(self.stack, &id.replace('/', "-")));
                tags.insert("Name".into(), Value::String(names::tag_value(&label)));
            }
            tags.insert("fgl:stack".into(), Value::String(self.stack.to_string()));
            tags.insert("fgl:id".into(), Value::String(names::tag_value(&id)));
        }
        self.graph.nodes.push(Node {
            id: id.clone(),
            kind: kind.to_string(),
            owner: owner.id.to_string(),
            owner_kind: owner.kind.to_string(),
            name,
            lookup: false,
            properties,
            tags,
            depends_on: Vec::new(),
        });
        id
    }

    /// Makes `id` wait for `on` (ordering that no property shows).
    pub fn depend(&mut self, id: &str, on: &str) {
        if let Some(node) = self.graph.nodes.iter_mut().find(|n| n.id == id) {
            if !node.depends_on.iter().any(|d| d == on) {
                node.depends_on.push(on.to_string());
            }
        }
    }

    /// Marks `id` as looked up, not owned.
    pub fn lookup(&mut self, id: &str) {
        if let Some(node) = self.graph.nodes.iter_mut().find(|n| n.id == id) {
            node.lookup = true;
            node.tags.clear();
        }
    }
}

/// Where a container receives traffic from a load balancer: what its service registers with
/// and must wait for.
pub(crate) struct Attachment {
    pub container: String,
    pub target_group: String,
    /// The listeners and listener rules that forward to the target group.
    pub forwarders: Vec<String>,
}
