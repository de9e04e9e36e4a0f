//! A plan: every resource's change, in dependency order, computed from the desired graph and
//! what the provider reads live. Ownership is by tag only (no state file): a live resource is
//! changed or deleted only if it carries `fgl:stack=<stack>` and its `fgl:id`; one in the way
//! that does not is a conflict, never touched.

use std::collections::{HashMap, HashSet};
use std::fmt;

use fgl_lower::{Graph, Node};
use serde::ser::{SerializeStruct, Serializer};
use serde::Serialize;
use serde_json::Value;

use crate::diff::{decide, diff, Action, Change};
use crate::order::delete_order;
use crate::provider::{Call, CallError, Context, Live, Provider, Resolved, ID_TAG};
use crate::resolve::{resolve_map, Known};

/// A live resource in the way of the plan, which fgl does not own.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Conflict {
    pub id: String,
    pub message: String,
}

/// What the engine needs to carry a change out (not part of the plan's JSON).
#[derive(Clone, Debug)]
pub(crate) struct Work {
    pub node: Option<Node>,
    pub live: Option<Live>,
    /// Ids of the changes that must be done first.
    pub after: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct Plan {
    pub stack: String,
    /// Every resource's change (no-ops included), creates and updates in dependency order,
    /// then deletes in reverse dependency order.
    pub changes: Vec<Change>,
    /// Unowned resources in the way; apply refuses a plan that has any.
    pub conflicts: Vec<Conflict>,
    pub(crate) work: Vec<Work>,
    /// Attributes of live resources that stay (and of looked-up ones), for references.
    pub(crate) known: Known,
    pub(crate) context: Context,
}

#[derive(Debug)]
pub enum PlanError {
    /// The graph is not sound (a lowering bug).
    Graph(Vec<String>),
    Call(CallError),
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::Graph(problems) => write!(f, "unsound graph: {}", problems.join("; ")),
            PlanError::Call(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for PlanError {}

impl Plan {
    /// No change to make (no conflict either).
    pub fn is_empty(&self) -> bool {
        self.conflicts.is_empty() && self.changes.iter().all(|c| c.action == Action::NoOp)
    }

    /// What the placeholders stood for: account, region, zones.
    pub fn context(&self) -> &Context {
        &self.context
    }

    /// The attributes of every live resource of the plan as AWS has them now (also those a
    /// change will replace or renew), by logical id: what `fgl status` looks at.
    pub fn live_attrs(&self) -> Known {
        let mut attrs = self.known.clone();
        for live in self.work.iter().filter_map(|w| w.live.as_ref()) {
            attrs.insert(live.id.clone(), live.attrs.clone());
        }
        attrs
    }

    /// The attributes of the live resources that stay, by logical id.
    pub fn known(&self) -> &Known {
        &self.known
    }

    /// The plan reduced to the pending changes `keep` accepts (`fgl secret set --redeploy`
    /// applies only the redeploys). A kept change no longer waits for dropped ones: they are
    /// not made, so what it needs from them is what exists now.
    pub fn only(&self, keep: impl Fn(&Change) -> bool) -> Plan {
        let kept: Vec<usize> = (0..self.changes.len())
            .filter(|&i| self.changes[i].action != Action::NoOp && keep(&self.changes[i]))
            .collect();
        let ids: HashSet<&str> = kept.iter().map(|&i| self.changes[i].id.as_str()).collect();
        let mut work: Vec<Work> = kept.iter().map(|&i| self.work[i].clone()).collect();
        for w in &mut work {
            w.after.retain(|id| ids.contains(id.as_str()));
        }
        Plan {
            stack: self.stack.clone(),
            changes: kept.iter().map(|&i| self.changes[i].clone()).collect(),
            conflicts: self.conflicts.clone(),
            work,
            known: self.known.clone(),
            context: self.context.clone(),
        }
    }

    /// The changes to make, without no-ops.
    pub fn pending(&self) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(|c| c.action != Action::NoOp)
    }

    /// Pending changes grouped by owner (the user's resource), owners in order of first change.
    pub fn by_owner(&self) -> Vec<(&str, &str, Vec<&Change>)> {
        let mut groups: Vec<(&str, &str, Vec<&Change>)> = Vec::new();
        for change in self.pending() {
            match groups.iter_mut().find(|g| g.0 == change.owner) {
                Some(group) => group.2.push(change),
                None => groups.push((&change.owner, &change.owner_kind, vec![change])),
            }
        }
        groups
    }

    /// How many creates, updates, replaces, deletes, unchanged.
    pub fn counts(&self) -> [usize; 5] {
        let mut n = [0; 5];
        for c in &self.changes {
            n[match c.action {
                Action::Create => 0,
                Action::Update { .. } => 1,
                Action::Replace { .. } => 2,
                Action::Delete => 3,
                Action::NoOp => 4,
            }] += 1;
        }
        n
    }

    /// The plan's JSON document (what `fgl plan --format json` prints).
    pub fn to_json(&self) -> Value {
        serde_json::to_value(self).unwrap_or(Value::Null)
    }
}

/// The JSON form: changes grouped by owner, then conflicts and a summary. Secret values were
/// masked when the differences were computed.
impl Serialize for Plan {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Group<'a> {
            owner: &'a str,
            owner_kind: &'a str,
            changes: Vec<&'a Change>,
        }
        #[derive(Serialize)]
        struct Summary {
            create: usize,
            update: usize,
            replace: usize,
            delete: usize,
            unchanged: usize,
        }
        let groups: Vec<Group> = self
            .by_owner()
            .into_iter()
            .map(|(owner, owner_kind, changes)| Group {
                owner,
                owner_kind,
                changes,
            })
            .collect();
        let [create, update, replace, delete, unchanged] = self.counts();
        let mut st = s.serialize_struct("Plan", 4)?;
        st.serialize_field("stack", &self.stack)?;
        st.serialize_field("owners", &groups)?;
        st.serialize_field("conflicts", &self.conflicts)?;
        st.serialize_field(
            "summary",
            &Summary {
                create,
                update,
                replace,
                delete,
                unchanged,
            },
        )?;
        st.end()
    }
}

/// A plain-text rendering (the CLI has its own, with colour).
impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (owner, owner_kind, changes) in self.by_owner() {
            writeln!(f, "{owner} ({owner_kind})")?;
            for c in changes {
                writeln!(f, "  {} {} {}", c.action.symbol(), c.id, c.kind)?;
                if let Action::Update { fields } | Action::Replace { fields, .. } = &c.action {
                    if let Action::Replace { reason, .. } = &c.action {
                        writeln!(f, "      replace: {reason}")?;
                    }
                    for d in fields {
                        let show = |v: &Option<Value>| match v {
                            Some(v) => v.to_string(),
                            None => "(none)".into(),
                        };
                        writeln!(
                            f,
                            "      {}: {} → {}",
                            d.path,
                            show(&d.before),
                            show(&d.after)
                        )?;
                    }
                }
            }
        }
        for c in &self.conflicts {
            writeln!(f, "conflict {}: {}", c.id, c.message)?;
        }
        let [a, u, r, d, n] = self.counts();
        write!(
            f,
            "{a} to create, {u} to update, {r} to replace, {d} to delete, {n} unchanged"
        )
    }
}

/// Reads live state and plans the changes that make it match `graph`.
pub async fn plan<P: Provider>(provider: &P, graph: &Graph) -> Result<Plan, PlanError> {
    let problems = graph.problems();
    if !problems.is_empty() {
        return Err(PlanError::Graph(problems));
    }
    let stack = graph.stack.as_str();
    let context = provider
        .context()
        .await
        .map_err(|e| PlanError::Call(CallError::new(stack, Call::Context, e)))?;
    let mut conflicts = Vec::new();
    let mut discovered = discover_owned(provider, stack, &mut conflicts).await?;

    // What references resolve to in the desired state: attributes of resources that stay as
    // they are. `existing` also has those of resources that will change, to find what the
    // live state holds now.
    let mut known = Known::new();
    let mut existing = Known::new();
    let mut changes = Vec::new();
    let mut work = Vec::new();
    for node in &graph.nodes {
        let desired = resolve_map(&node.properties, &known, &context, &mut Vec::new());
        let mut missing = Vec::new();
        let now = resolve_map(&node.properties, &existing, &context, &mut missing);
        let found = match discovered.remove(&node.id) {
            Some(live) => Some(live),
            // It references a resource still to be created: it cannot exist yet.
            None if !missing.is_empty() => None,
            None => {
                let resolved = Resolved {
                    stack: stack.to_string(),
                    id: node.id.clone(),
                    kind: node.kind.clone(),
                    name: node.name.clone(),
                    lookup: node.lookup,
                    properties: now,
                    tags: node.tags.clone(),
                };
                provider
                    .read(&resolved)
                    .await
                    .map_err(|e| PlanError::Call(CallError::new(&node.id, Call::Read, e)))?
            }
        };
        if node.lookup {
            match found {
                Some(live) => {
                    existing.insert(node.id.clone(), live.attrs.clone());
                    known.insert(node.id.clone(), live.attrs);
                }
                None => conflicts.push(Conflict {
                    id: node.id.clone(),
                    message: format!(
                        "{} `{}` was not found: fgl looks it up and never creates it",
                        node.kind,
                        node.name.as_deref().unwrap_or("")
                    ),
                }),
            }
            continue;
        }
        let live = match found {
            Some(live) if owns(&live, stack, &node.id) => Some(live),
            Some(live) => {
                conflicts.push(Conflict {
                    id: node.id.clone(),
                    message: format!(
                        "{} `{}` exists and is not owned by stack `{stack}` (no tags fgl:stack={stack}, fgl:id={})",
                        node.kind, live.physical_id, node.id
                    ),
                });
                // Planned as a create for display; apply refuses the plan anyway.
                None
            }
            None => None,
        };
        let action = match &live {
            None => Action::Create,
            Some(live) if live.kind != node.kind => Action::Replace {
                reason: format!("the live resource is a {}", live.kind),
                fields: Vec::new(),
            },
            Some(live) => {
                let spec = provider.spec(&node.kind);
                let fields = diff(&spec, &desired, &live.properties, &node.tags, &live.tags);
                decide(&spec, fields)
            }
        };
        if let Some(live) = &live {
            existing.insert(node.id.clone(), live.attrs.clone());
        }
        match (&action, &live) {
            (Action::NoOp, Some(live)) => {
                known.insert(node.id.clone(), live.attrs.clone());
            }
            (Action::Update { .. }, Some(live)) => {
                let renewed = provider.spec(&node.kind).renewed_by_update;
                let mut attrs = live.attrs.clone();
                attrs.retain(|k, _| !renewed.contains(k));
                known.insert(node.id.clone(), attrs);
            }
            // Created or replaced: its attributes are known at apply.
            _ => {}
        }
        changes.push(Change {
            id: node.id.clone(),
            kind: node.kind.clone(),
            owner: node.owner.clone(),
            owner_kind: node.owner_kind.clone(),
            action,
        });
        work.push(Work {
            node: Some(node.clone()),
            live,
            after: Vec::new(),
        });
    }
    // A change waits for the changes of what it depends on (no-ops and lookups are done).
    let pending: HashSet<String> = changes
        .iter()
        .filter(|c| c.action != Action::NoOp)
        .map(|c| c.id.clone())
        .collect();
    for w in &mut work {
        if let Some(node) = &w.node {
            w.after = node
                .depends_on
                .iter()
                .filter(|d| pending.contains(*d))
                .cloned()
                .collect();
        }
    }
    // What is left of the stack's resources is no longer desired: deleted after every other
    // change (a service moves off an old target group before the group goes).
    let leftovers: Vec<Live> = discovered.into_values().collect();
    let before_deletes: Vec<String> = pending.iter().cloned().collect();
    append_deletes(
        &mut changes,
        &mut work,
        leftovers,
        Some(graph),
        before_deletes,
    );
    Ok(Plan {
        stack: stack.to_string(),
        changes,
        conflicts,
        work,
        known,
        context,
    })
}

/// Whether the live resource carries this stack's tags for this id.
fn owns(live: &Live, stack: &str, id: &str) -> bool {
    live.owned_by(stack) && live.tags.get(ID_TAG).and_then(Value::as_str) == Some(id)
}

/// The stack's resources by logical id. The provider was asked for this stack's tag; the
/// engine checks it again, since only tagged resources may ever be changed or deleted.
pub(crate) async fn discover_owned<P: Provider>(
    provider: &P,
    stack: &str,
    conflicts: &mut Vec<Conflict>,
) -> Result<HashMap<String, Live>, PlanError> {
    let found = provider
        .discover(stack)
        .await
        .map_err(|e| PlanError::Call(CallError::new(stack, Call::Discover, e)))?;
    let mut by_id: HashMap<String, Live> = HashMap::new();
    for live in found {
        if !owns(&live, stack, &live.id) {
            continue;
        }
        if let Some(other) = by_id.get(&live.id) {
            conflicts.push(Conflict {
                id: live.id.clone(),
                message: format!(
                    "two resources are tagged fgl:id={}: `{}` and `{}`",
                    live.id, other.physical_id, live.physical_id
                ),
            });
            continue;
        }
        by_id.insert(live.id.clone(), live);
    }
    Ok(by_id)
}

/// Adds deletes of `leftovers`, in reverse dependency order, each after `before`.
pub(crate) fn append_deletes(
    changes: &mut Vec<Change>,
    work: &mut Vec<Work>,
    leftovers: Vec<Live>,
    graph: Option<&Graph>,
    mut before: Vec<String>,
) {
    before.sort();
    for (live, after_deletes) in delete_order(leftovers, graph) {
        let (owner, owner_kind) = match graph.and_then(|g| g.node(&live.id)) {
            Some(n) => (n.owner.clone(), n.owner_kind.clone()),
            None => (owner_of(&live.id), String::new()),
        };
        changes.push(Change {
            id: live.id.clone(),
            kind: live.kind.clone(),
            owner,
            owner_kind,
            action: Action::Delete,
        });
        let mut after = before.clone();
        after.extend(after_deletes);
        work.push(Work {
            node: None,
            live: Some(live),
            after,
        });
    }
}

/// `web` of `web/service`: ids are `<owner>/<part>`.
fn owner_of(id: &str) -> String {
    id.split('/').next().unwrap_or(id).to_string()
}
