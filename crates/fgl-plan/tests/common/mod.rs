//! A fake in-memory provider with recorded call events and failure injection, a fake clock,
//! and the examples lowered through the real pipeline.
#![allow(dead_code)]

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use fgl_lower::{Graph, Node};
use fgl_plan::{
    Clock, Context, KindSpec, Live, Provider, ProviderError, Resolved, ID_TAG, STACK_TAG,
};
use serde_json::{json, Map, Value};

#[derive(Clone, Debug, PartialEq)]
pub enum Ev {
    Start(String, &'static str),
    Finish(String, &'static str),
}

#[derive(Default)]
pub struct State {
    pub resources: Vec<Live>,
    pub events: Vec<Ev>,
    /// Errors to return, in turn, for (id, call).
    pub failures: HashMap<(String, &'static str), VecDeque<ProviderError>>,
    /// Attributes references ask for, by node id.
    pub attr_names: HashMap<String, Vec<String>>,
    pub specs: HashMap<String, KindSpec>,
    pub next: u32,
}

#[derive(Default)]
pub struct Fake {
    pub state: Mutex<State>,
}

impl Fake {
    /// A fake that knows what attributes `graph`'s references ask for, with its looked-up
    /// resources (hosted zones) present and owned by nobody.
    pub fn for_graph(graph: &Graph) -> Arc<Fake> {
        let fake = Fake::default();
        {
            let mut st = fake.lock();
            for node in &graph.nodes {
                let mut refs = Vec::new();
                collect(&Value::Object(node.properties.clone()), &mut refs);
                for (id, attr) in refs {
                    let names = st.attr_names.entry(id).or_default();
                    if !names.contains(&attr) {
                        names.push(attr);
                    }
                }
                if node.lookup {
                    st.resources.push(Live {
                        id: node.id.clone(),
                        kind: node.kind.clone(),
                        physical_id: format!("Z{}", node.id),
                        properties: Map::new(),
                        tags: Map::new(),
                        attrs: attrs_for(&node.id, &["Id".to_string()]),
                        depends_on: Vec::new(),
                    });
                }
            }
        }
        Arc::new(fake)
    }

    pub fn lock(&self) -> MutexGuard<'_, State> {
        match self.state.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    pub fn fail(&self, id: &str, call: &'static str, errors: Vec<ProviderError>) {
        self.lock()
            .failures
            .insert((id.to_string(), call), errors.into());
    }

    pub fn events(&self) -> Vec<Ev> {
        self.lock().events.clone()
    }

    pub fn live(&self, id: &str) -> Option<Live> {
        self.lock().resources.iter().find(|r| r.id == id).cloned()
    }

    pub fn ids(&self) -> Vec<String> {
        self.lock().resources.iter().map(|r| r.id.clone()).collect()
    }

    /// A recorded call: start, let other tasks run, then fail as injected or do `f`.
    async fn call<T>(
        &self,
        id: &str,
        call: &'static str,
        f: impl FnOnce(&mut State) -> Result<T, ProviderError>,
    ) -> Result<T, ProviderError> {
        self.lock().events.push(Ev::Start(id.to_string(), call));
        // Yielding lets every other ready task start before this one finishes, which is
        // what makes overlap observable without any timing.
        for _ in 0..3 {
            tokio::task::yield_now().await;
        }
        let mut st = self.lock();
        st.events.push(Ev::Finish(id.to_string(), call));
        if let Some(e) = st
            .failures
            .get_mut(&(id.to_string(), call))
            .and_then(VecDeque::pop_front)
        {
            return Err(e);
        }
        f(&mut st)
    }
}

fn collect(v: &Value, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            if let (Some(Value::String(id)), Some(Value::String(attr))) =
                (m.get("$ref"), m.get("attr"))
            {
                out.push((id.clone(), attr.clone()));
            }
            m.values().for_each(|v| collect(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
        _ => {}
    }
}

fn attrs_for(id: &str, names: &[String]) -> Map<String, Value> {
    let mut attrs = Map::new();
    for n in names.iter().map(String::as_str).chain(["Id", "Arn"]) {
        let v = if n == "Arn" {
            format!("arn:fake:{id}")
        } else {
            format!("{n}-of-{id}")
        };
        attrs.insert(n.to_string(), json!(v));
    }
    attrs
}

impl Provider for Fake {
    fn spec(&self, kind: &str) -> KindSpec {
        self.lock().specs.get(kind).cloned().unwrap_or_default()
    }

    async fn context(&self) -> Result<Context, ProviderError> {
        Ok(Context {
            account: "123456789012".into(),
            region: "eu-west-1".into(),
            zones: vec![
                "eu-west-1a".into(),
                "eu-west-1b".into(),
                "eu-west-1c".into(),
            ],
        })
    }

    async fn discover(&self, stack: &str) -> Result<Vec<Live>, ProviderError> {
        Ok(self
            .lock()
            .resources
            .iter()
            .filter(|r| r.tags.get(STACK_TAG) == Some(&json!(stack)))
            .cloned()
            .collect())
    }

    async fn read(&self, node: &Resolved) -> Result<Option<Live>, ProviderError> {
        let st = self.lock();
        Ok(st
            .resources
            .iter()
            .find(|r| {
                r.kind == node.kind
                    && (r.id == node.id
                        || (node.name.is_some()
                            && r.properties.get("Name").and_then(Value::as_str)
                                == node.name.as_deref()))
            })
            .cloned())
    }

    async fn create(&self, node: &Resolved) -> Result<Live, ProviderError> {
        let node = node.clone();
        self.call(&node.id.clone(), "create", move |st| {
            st.next += 1;
            let names = st.attr_names.get(&node.id).cloned().unwrap_or_default();
            // What cannot be tagged is owned through something else (as the AWS provider
            // does with TXT records or the parent resource): the fake records it directly.
            let mut tags = node.tags;
            if !tags.contains_key(STACK_TAG) {
                tags.insert(STACK_TAG.into(), json!(node.stack));
                tags.insert(ID_TAG.into(), json!(node.id));
            }
            let live = Live {
                id: node.id.clone(),
                kind: node.kind,
                physical_id: format!("phys-{}", st.next),
                properties: node.properties,
                tags,
                attrs: attrs_for(&node.id, &names),
                depends_on: Vec::new(),
            };
            st.resources.push(live.clone());
            Ok(live)
        })
        .await
    }

    async fn update(
        &self,
        node: &Resolved,
        live: &Live,
        _fields: &[String],
    ) -> Result<Live, ProviderError> {
        let node = node.clone();
        let physical = live.physical_id.clone();
        self.call(&node.id.clone(), "update", move |st| {
            let r = st
                .resources
                .iter_mut()
                .find(|r| r.physical_id == physical)
                .ok_or_else(|| ProviderError::hard("no such resource"))?;
            r.properties = node.properties;
            for (k, v) in node.tags {
                r.tags.insert(k, v);
            }
            // Like a task definition's new revision: these attributes change with an update.
            let renewed = st.specs.get(&r.kind).map(|s| s.renewed_by_update.clone());
            for attr in renewed.unwrap_or_default() {
                if let Some(Value::String(v)) = r.attrs.get_mut(&attr) {
                    v.push_str("+1");
                }
            }
            Ok(r.clone())
        })
        .await
    }

    async fn delete(&self, live: &Live) -> Result<(), ProviderError> {
        let physical = live.physical_id.clone();
        self.call(&live.id, "delete", move |st| {
            st.resources.retain(|r| r.physical_id != physical);
            Ok(())
        })
        .await
    }
}

/// A clock that never waits: it records each sleep and moves its time forward.
#[derive(Default)]
pub struct FakeClock {
    pub now: Mutex<Duration>,
    pub sleeps: Mutex<Vec<Duration>>,
}

impl Clock for FakeClock {
    fn now(&self) -> Duration {
        self.now.lock().map(|g| *g).unwrap_or_default()
    }
    fn sleep(&self, d: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        if let Ok(mut s) = self.sleeps.lock() {
            s.push(d);
        }
        if let Ok(mut n) = self.now.lock() {
            *n += d;
        }
        Box::pin(tokio::task::yield_now())
    }
}

/// An example of the repository lowered through the real pipeline.
pub fn lower_example(name: &str) -> Graph {
    let path = PathBuf::from(&manifest_dir())
        .join("../../examples")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    let root = fgl_check::RootSource {
        name: name.to_string(),
        path: Some(path),
        text,
    };
    let (program, diags) = fgl_check::load(&fgl_check::FsHost, root);
    assert!(!diags.iter().any(|d| d.is_error()), "{name}: load errors");
    let checked = fgl_check::check(&program);
    assert!(
        !checked.diagnostics.iter().any(|d| d.is_error()),
        "{name}: check errors"
    );
    let mut out = match fgl_eval::evaluate(&checked.decls, &fgl_eval::Options::default()) {
        Ok(out) => out,
        Err(_) => panic!("{name}: evaluation failed"),
    };
    fgl_lower::complete(&checked.decls, &mut out);
    match fgl_lower::lower(&checked.decls, &out) {
        Ok(g) => g,
        Err(_) => panic!("{name}: lowering failed"),
    }
}

/// A small hand-made graph: `a` and `b` independent, `c` uses both, `d` uses `c`.
pub fn diamond(stack: &str) -> Graph {
    let node = |id: &str, deps: &[&str]| {
        let mut properties = Map::new();
        properties.insert("Name".into(), json!(format!("{stack}-{id}")));
        for d in deps {
            properties.insert(
                format!("Uses{d}"),
                json!({"$ref": format!("x/{d}"), "attr": "Arn"}),
            );
        }
        let mut tags = Map::new();
        tags.insert(STACK_TAG.into(), json!(stack));
        tags.insert(ID_TAG.into(), json!(format!("x/{id}")));
        Node {
            id: format!("x/{id}"),
            kind: "Fake::Thing".into(),
            owner: "x".into(),
            owner_kind: "fake.Thing".into(),
            name: Some(format!("{stack}-{id}")),
            lookup: false,
            properties,
            tags,
            depends_on: deps.iter().map(|d| format!("x/{d}")).collect(),
        }
    };
    Graph {
        stack: stack.into(),
        nodes: vec![
            node("a", &[]),
            node("b", &[]),
            node("e", &[]),
            node("c", &["a", "b"]),
            node("d", &["c"]),
        ],
    }
}

/// This crate's directory, as `cargo test` sets it when it runs the test: a test binary built
/// in another clone that shares the target directory still reads this clone's files.
fn manifest_dir() -> String {
    std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_string())
}
