//! Desired vs live, per resource: the action and the fields that differ. Both sides are
//! normalized by the kind's [`KindSpec`] first; secret fields are masked as soon as a
//! difference is recorded, so no later output can show them.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::normalize::KindSpec;

/// How a secret value is shown.
pub const MASK: &str = "(secret)";

/// One field that differs. `None` on a side: the field is absent there.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FieldDiff {
    /// `DesiredCount`, `ContainerDefinitions[0].Image`, `Tags.fgl:id`.
    pub path: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    Create,
    Update {
        fields: Vec<FieldDiff>,
    },
    Replace {
        reason: String,
        fields: Vec<FieldDiff>,
    },
    Delete,
    NoOp,
}

impl Action {
    /// `+`, `~`, `-/+`, `-`, or a blank for no change: the plan's one-column summary.
    pub fn symbol(&self) -> &'static str {
        match self {
            Action::Create => "+",
            Action::Update { .. } => "~",
            Action::Replace { .. } => "-/+",
            Action::Delete => "-",
            Action::NoOp => " ",
        }
    }
}

/// The change planned for one resource.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    pub id: String,
    pub kind: String,
    pub owner: String,
    pub owner_kind: String,
    #[serde(flatten)]
    pub action: Action,
}

/// The differences between normalized `desired` and `live` properties and tags. Only tags fgl
/// sets are compared: others on the live resource (added by people or AWS) are left alone.
pub fn diff(
    spec: &KindSpec,
    desired: &Map<String, Value>,
    live: &Map<String, Value>,
    desired_tags: &Map<String, Value>,
    live_tags: &Map<String, Value>,
) -> Vec<FieldDiff> {
    let mut desired = desired.clone();
    let mut live = live.clone();
    spec.normalize(&mut desired);
    spec.normalize(&mut live);
    let mut out = Vec::new();
    diff_maps(spec, "", &desired, &live, &mut out);
    for (key, want) in desired_tags {
        let have = live_tags.get(key);
        if have != Some(want) {
            out.push(field(
                spec,
                format!("Tags.{key}"),
                have.cloned(),
                Some(want.clone()),
            ));
        }
    }
    out
}

/// The action for a resource that exists, given its differences.
pub fn decide(spec: &KindSpec, fields: Vec<FieldDiff>) -> Action {
    if fields.is_empty() {
        return Action::NoOp;
    }
    let forcing: Vec<&str> = fields
        .iter()
        .filter(|f| spec.forces_replace(&f.path))
        .map(|f| f.path.as_str())
        .collect();
    if forcing.is_empty() {
        Action::Update { fields }
    } else {
        let reason = format!("cannot change {} in place", forcing.join(", "));
        Action::Replace { reason, fields }
    }
}

fn diff_maps(
    spec: &KindSpec,
    prefix: &str,
    desired: &Map<String, Value>,
    live: &Map<String, Value>,
    out: &mut Vec<FieldDiff>,
) {
    let keys = desired
        .keys()
        .chain(live.keys().filter(|k| !desired.contains_key(*k)));
    for key in keys {
        let path = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        diff_values(spec, path, desired.get(key), live.get(key), out);
    }
}

fn diff_values(
    spec: &KindSpec,
    path: String,
    desired: Option<&Value>,
    live: Option<&Value>,
    out: &mut Vec<FieldDiff>,
) {
    match (desired, live) {
        (Some(a), Some(b)) if a == b => {}
        (Some(Value::Object(a)), Some(Value::Object(b))) => diff_maps(spec, &path, a, b, out),
        (Some(Value::Array(a)), Some(Value::Array(b))) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                diff_values(spec, format!("{path}[{i}]"), Some(x), Some(y), out);
            }
        }
        (None, None) => {}
        (a, b) => out.push(field(spec, path, b.cloned(), a.cloned())),
    }
}

fn field(spec: &KindSpec, path: String, before: Option<Value>, after: Option<Value>) -> FieldDiff {
    let before = before.map(|v| mask(spec, &path, v));
    let after = after.map(|v| mask(spec, &path, v));
    FieldDiff {
        path,
        before,
        after,
    }
}

/// `value` (found at `path`) with every secret part replaced by [`MASK`].
fn mask(spec: &KindSpec, path: &str, value: Value) -> Value {
    if spec.is_secret(path) {
        return Value::String(MASK.into());
    }
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| {
                    let p = format!("{path}.{k}");
                    let v = mask(spec, &p, v);
                    (k, v)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| mask(spec, &format!("{path}[{i}]"), v))
                .collect(),
        ),
        other => other,
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
    fn field_level_differences_and_replace() {
        let spec = KindSpec {
            create_only: vec!["Name".into()],
            ..KindSpec::default()
        };
        let fields = diff(
            &spec,
            &obj(json!({"Name": "a", "Count": 2, "Defs": [{"Image": "x:2"}]})),
            &obj(json!({"Name": "a", "Count": 1, "Defs": [{"Image": "x:1"}], "Old": true})),
            &obj(json!({"fgl:stack": "s"})),
            &obj(json!({"fgl:stack": "s", "owner": "ops"})),
        );
        let paths: Vec<&str> = fields.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(paths, ["Count", "Defs[0].Image", "Old"]);
        assert_eq!(fields[2].after, None);
        assert!(matches!(decide(&spec, fields), Action::Update { .. }));
        let fields = diff(
            &spec,
            &obj(json!({"Name": "b"})),
            &obj(json!({"Name": "a"})),
            &Map::new(),
            &Map::new(),
        );
        assert!(
            matches!(decide(&spec, fields), Action::Replace { reason, .. } if reason.contains("Name"))
        );
    }

    #[test]
    fn secrets_are_masked_even_inside_a_larger_difference() {
        let spec = KindSpec {
            secret: vec!["Defs.*.Secrets".into(), "Value".into()],
            ..KindSpec::default()
        };
        let fields = diff(
            &spec,
            &obj(json!({"Value": "hunter2", "Defs": [{"Secrets": ["s3cr3t"]}, {"Image": "i"}]})),
            &obj(json!({"Value": "old", "Defs": [{"Secrets": ["old"]}]})),
            &Map::new(),
            &Map::new(),
        );
        let text = serde_json::to_string(&fields).unwrap_or_default();
        assert!(!text.contains("hunter2") && !text.contains("s3cr3t") && !text.contains("old"));
        assert!(text.contains(MASK));
    }
}
