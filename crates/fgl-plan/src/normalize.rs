//! Per-kind normalization, applied to desired and live values alike before diffing, so that
//! what AWS stores differently from what fgl sends (defaults it fills, an ARN where fgl gave a
//! name, lists it reorders) is not reported as a change and a second plan after apply is empty.
//!
//! Paths are dot-separated property names; `*` stands for every element of a list (or every
//! value of an object): `ContainerDefinitions.*.Essential`.

use std::sync::Arc;

use serde_json::{Map, Value};

/// A custom normalization for what the tables cannot say.
pub type Hook = Arc<dyn Fn(&mut Map<String, Value>) + Send + Sync>;

/// What a provider knows about one kind of resource.
#[derive(Clone, Default)]
pub struct KindSpec {
    /// Fields AWS cannot change in place: a difference under one of them replaces the resource.
    pub create_only: Vec<String>,
    /// Fields whose values are never shown (`(secret)` in every plan output).
    pub secret: Vec<String>,
    /// Values AWS fills when fgl leaves a field out: `(path, value)`.
    pub defaults: Vec<(String, Value)>,
    /// Fields where AWS may answer with an ARN for a name fgl sent (or the reverse): compared
    /// by the name.
    pub arn_or_name: Vec<String>,
    /// Lists whose order AWS does not keep.
    pub unordered: Vec<String>,
    /// Fields never compared (set by AWS, or not managed by fgl).
    pub ignore: Vec<String>,
    /// Attributes an in-place update gives a new value (a task definition's new revision has
    /// a new `Arn`): unknown until the update is done, so what references them is planned to
    /// change with it (the service moves to the new revision).
    pub renewed_by_update: Vec<String>,
    pub hook: Option<Hook>,
}

impl std::fmt::Debug for KindSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KindSpec")
            .field("create_only", &self.create_only)
            .field("secret", &self.secret)
            .field("defaults", &self.defaults)
            .field("arn_or_name", &self.arn_or_name)
            .field("unordered", &self.unordered)
            .field("ignore", &self.ignore)
            .field("renewed_by_update", &self.renewed_by_update)
            .field("hook", &self.hook.is_some())
            .finish()
    }
}

impl KindSpec {
    /// Brings `properties` to the form they are compared in.
    pub fn normalize(&self, properties: &mut Map<String, Value>) {
        if let Some(hook) = &self.hook {
            hook(properties);
        }
        let mut root = Value::Object(std::mem::take(properties));
        for path in &self.ignore {
            let (parent, last) = split(path);
            at_path(&mut root, &parent, &mut |v| {
                if let Value::Object(map) = v {
                    map.remove(last);
                }
            });
        }
        for (path, default) in &self.defaults {
            let (parent, last) = split(path);
            at_path(&mut root, &parent, &mut |v| {
                if let Value::Object(map) = v {
                    map.entry(last.to_string())
                        .or_insert_with(|| default.clone());
                }
            });
        }
        for path in &self.arn_or_name {
            at_path(&mut root, &segments(path), &mut name_of_arn);
        }
        for path in &self.unordered {
            at_path(&mut root, &segments(path), &mut |v| {
                if let Value::Array(items) = v {
                    // Canonical JSON text is a total order that needs no knowledge of the items.
                    items.sort_by_cached_key(|item| item.to_string());
                }
            });
        }
        if let Value::Object(map) = root {
            *properties = map;
        }
    }

    /// Whether a difference at `path` (as the diff reports it, `a.b[0].c`) forces a replace.
    pub fn forces_replace(&self, path: &str) -> bool {
        self.create_only.iter().any(|p| covers(p, path))
    }

    /// Whether a value at `path` is secret.
    pub fn is_secret(&self, path: &str) -> bool {
        self.secret.iter().any(|p| covers(p, path))
    }
}

/// Whether the table path `pattern` (`A.*.B`) is `path` (`A[2].B.C`) or one of its parents.
fn covers(pattern: &str, path: &str) -> bool {
    let path = path.replace('[', ".[");
    let mut have = path.split('.');
    for want in segments(pattern) {
        match have.next() {
            Some(seg) if want == "*" || seg == want => {}
            _ => return false,
        }
    }
    true
}

fn segments(path: &str) -> Vec<&str> {
    path.split('.').filter(|s| !s.is_empty()).collect()
}

fn split(path: &str) -> (Vec<&str>, &str) {
    let mut segs = segments(path);
    let last = segs.pop().unwrap_or("");
    (segs, last)
}

/// Runs `f` on every value at `path` under `value`.
fn at_path(value: &mut Value, path: &[&str], f: &mut dyn FnMut(&mut Value)) {
    let Some((first, rest)) = path.split_first() else {
        f(value);
        return;
    };
    match (value, *first) {
        (Value::Array(items), "*") => items.iter_mut().for_each(|v| at_path(v, rest, f)),
        (Value::Object(map), "*") => map.values_mut().for_each(|v| at_path(v, rest, f)),
        (Value::Object(map), key) => {
            if let Some(v) = map.get_mut(key) {
                at_path(v, rest, f);
            }
        }
        _ => {}
    }
}

/// `arn:aws:iam::123:role/x` → `x`; a name stays itself; lists are done item by item.
fn name_of_arn(value: &mut Value) {
    match value {
        Value::String(s) if s.starts_with("arn:") => {
            let name = s.rsplit(['/', ':']).next().unwrap_or(s).to_string();
            *s = name;
        }
        Value::Array(items) => items.iter_mut().for_each(name_of_arn),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn defaults_arns_order_and_ignored_fields() {
        let spec = KindSpec {
            defaults: vec![("Defs.*.Essential".into(), json!(true))],
            arn_or_name: vec!["Role".into()],
            unordered: vec!["Subnets".into()],
            ignore: vec!["Revision".into()],
            ..KindSpec::default()
        };
        let mut desired = obj(json!({"Defs": [{"Name": "a"}], "Role": "r", "Subnets": ["b", "a"]}));
        let mut live = obj(json!({
            "Defs": [{"Name": "a", "Essential": true}],
            "Role": "arn:aws:iam::1:role/r", "Subnets": ["a", "b"], "Revision": 7
        }));
        spec.normalize(&mut desired);
        spec.normalize(&mut live);
        assert_eq!(desired, live);
    }

    #[test]
    fn create_only_and_secret_paths_cover_their_children() {
        let spec = KindSpec {
            create_only: vec!["Name".into()],
            secret: vec!["Defs.*.Secrets".into()],
            ..KindSpec::default()
        };
        assert!(spec.forces_replace("Name"));
        assert!(!spec.forces_replace("NameTag"));
        assert!(spec.is_secret("Defs[0].Secrets[1].ValueFrom"));
        assert!(!spec.is_secret("Defs[0].Environment"));
    }
}
