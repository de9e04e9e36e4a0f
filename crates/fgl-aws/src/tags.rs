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
}
