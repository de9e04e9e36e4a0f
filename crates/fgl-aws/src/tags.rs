//! Tags between the graph's JSON maps and AWS's key/value lists.

use fgl_plan::{Resolved, ID_TAG, STACK_TAG};
use serde_json::{Map, Value};

/// A tag value as AWS stores it: always a string.
pub(crate) fn tag_value(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The tags a resource is created with: the node's, with the ownership tags always set from
/// the node itself, so that nothing fgl creates can escape `discover` and `destroy`.
pub(crate) fn desired(node: &Resolved) -> Vec<(String, String)> {
    let mut tags: Vec<(String, String)> = node
        .tags
        .iter()
        .filter(|(k, _)| k.as_str() != STACK_TAG && k.as_str() != ID_TAG)
        .map(|(k, v)| (k.clone(), tag_value(v)))
        .collect();
    tags.push((STACK_TAG.to_string(), node.stack.clone()));
    tags.push((ID_TAG.to_string(), node.id.clone()));
    tags
}

/// What the `Tags.<key>` fields of an update ask for: the node's value of each key it has,
/// the other keys removed. The node always carries the ownership tags, so an update never
/// removes those. Each kind makes its own AWS calls from this.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Changes {
    pub set: Vec<(String, String)>,
    pub unset: Vec<String>,
}

pub(crate) fn changes(node: &Resolved, fields: &[String]) -> Changes {
    let desired = desired(node);
    let mut out = Changes::default();
    for key in fields.iter().filter_map(|f| f.strip_prefix("Tags.")) {
        match desired.iter().find(|(k, _)| k == key) {
            Some(pair) => out.set.push(pair.clone()),
            None => out.unset.push(key.to_string()),
        }
    }
    out
}

/// Whether an update's field is a tag (`Tags.<key>`), which `changes` handles.
pub(crate) fn is_tag(field: &str) -> bool {
    field.starts_with("Tags.")
}

/// The logical id of a live resource: its `fgl:id` tag, or `fallback` (its name or physical
/// id) for an owned one whose tags were edited by hand, so that destroy can still remove it.
pub(crate) fn logical_id(tags: &Map<String, Value>, fallback: &str) -> String {
    tags.get(ID_TAG)
        .and_then(Value::as_str)
        .unwrap_or(fallback)
        .to_string()
}

/// Whether `tags` name the node: its stack and logical id.
pub(crate) fn is_node(tags: &Map<String, Value>, node: &Resolved) -> bool {
    tags.get(STACK_TAG).and_then(Value::as_str) == Some(&node.stack)
        && tags.get(ID_TAG).and_then(Value::as_str) == Some(&node.id)
}

/// Key/value pairs as the map `Live::tags` holds.
pub(crate) fn to_map<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Map<String, Value> {
    pairs
        .into_iter()
        .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ownership_tags_come_from_the_node() {
        let node = Resolved {
            stack: "shop".into(),
            id: "network/vpc".into(),
            kind: "AWS::EC2::VPC".into(),
            name: None,
            lookup: false,
            properties: Map::new(),
            tags: json!({"Name": "shop-network", "fgl:stack": "other", "n": 1})
                .as_object()
                .cloned()
                .unwrap(),
        };
        let tags = desired(&node);
        assert!(tags.contains(&("Name".into(), "shop-network".into())));
        assert!(tags.contains(&("n".into(), "1".into())));
        assert!(tags.contains(&(STACK_TAG.into(), "shop".into())));
        assert!(tags.contains(&(ID_TAG.into(), "network/vpc".into())));
        assert_eq!(tags.len(), 4);
    }

    #[test]
    fn tag_fields_set_the_nodes_values_and_remove_the_rest() {
        let node = Resolved {
            stack: "shop".into(),
            id: "web/role".into(),
            kind: "AWS::IAM::Role".into(),
            name: None,
            lookup: false,
            properties: Map::new(),
            tags: json!({"Team": "web"}).as_object().cloned().unwrap(),
        };
        let fields = ["Tags.Team", "Tags.Old", "Description"].map(String::from);
        assert_eq!(
            changes(&node, &fields),
            Changes {
                set: vec![("Team".into(), "web".into())],
                unset: vec!["Old".into()],
            }
        );
    }
}
