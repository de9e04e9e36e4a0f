//! Turns a node's properties into the values the cloud sees: references to other nodes become
//! those nodes' attributes, `${aws:…}` placeholders the account, region and zones.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::provider::Context;

/// What a value stands for when it depends on a resource not created yet. Shown as is in a
/// plan; apply never sends it (a reference still unknown at apply is a hard failure).
pub const UNKNOWN: &str = "(known after apply)";

/// The attributes of resources known so far, by logical id.
pub type Known = HashMap<String, Map<String, Value>>;

/// `value` with references and placeholders resolved; what could not be resolved becomes
/// [`UNKNOWN`] and is listed in `missing` (as `node.attr`, or the placeholder).
pub fn resolve(value: &Value, known: &Known, ctx: &Context, missing: &mut Vec<String>) -> Value {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(node)) = map.get("$ref") {
                let attr = map.get("attr").and_then(Value::as_str).unwrap_or("Id");
                return match known.get(node).and_then(|attrs| attrs.get(attr)) {
                    Some(v) => v.clone(),
                    None => {
                        missing.push(format!("{node}.{attr}"));
                        Value::String(UNKNOWN.into())
                    }
                };
            }
            Value::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), resolve(v, known, ctx, missing)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| resolve(v, known, ctx, missing))
                .collect(),
        ),
        Value::String(s) if s.contains("${aws:") => Value::String(placeholders(s, ctx, missing)),
        other => other.clone(),
    }
}

/// Resolves a whole property map.
pub fn resolve_map(
    properties: &Map<String, Value>,
    known: &Known,
    ctx: &Context,
    missing: &mut Vec<String>,
) -> Map<String, Value> {
    match resolve(&Value::Object(properties.clone()), known, ctx, missing) {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

fn placeholders(s: &str, ctx: &Context, missing: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find("${aws:") {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let Some(end) = after.find('}') else {
            break;
        };
        let name = &after[2..end];
        let value = match name {
            "aws:account" => Some(ctx.account.clone()),
            "aws:region" => Some(ctx.region.clone()),
            _ => name
                .strip_prefix("aws:az:")
                .and_then(|n| n.parse::<usize>().ok())
                .and_then(|n| ctx.zones.get(n).cloned()),
        };
        match value {
            Some(v) if !v.is_empty() => out.push_str(&v),
            _ => {
                missing.push(name.to_string());
                out.push_str(UNKNOWN);
            }
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_and_placeholders() {
        let ctx = Context {
            account: "123".into(),
            region: "eu-west-1".into(),
            zones: vec!["eu-west-1a".into()],
        };
        let mut known = Known::new();
        let mut attrs = Map::new();
        attrs.insert("Arn".into(), json!("arn:role"));
        known.insert("web/role".into(), attrs);
        let v = json!({
            "Role": {"$ref": "web/role", "attr": "Arn"},
            "Sg": {"$ref": "web/sg", "attr": "GroupId"},
            "Where": "arn:aws:logs:${aws:region}:${aws:account}:x ${aws:az:0} ${aws:az:5}"
        });
        let mut missing = Vec::new();
        let out = resolve(&v, &known, &ctx, &mut missing);
        assert_eq!(out["Role"], json!("arn:role"));
        assert_eq!(out["Sg"], json!(UNKNOWN));
        assert_eq!(
            out["Where"],
            json!(format!("arn:aws:logs:eu-west-1:123:x eu-west-1a {UNKNOWN}"))
        );
        assert_eq!(missing, vec!["web/sg.GroupId", "aws:az:5"]);
    }
}
