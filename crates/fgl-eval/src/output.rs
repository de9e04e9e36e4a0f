//! The output document of `fgl eval` (docs/language.md, "Output"), from the resource-free
//! [`Data`] view.

use serde_json::{json, Map, Value as Json};

use crate::{Data, Output};

impl Output {
    /// The document of `fgl eval`: `stack`, `params`, `values`, `resources` (keys in source
    /// order: serde_json is built with `preserve_order`).
    pub fn to_json(&self) -> Json {
        let mut resources = Map::new();
        for resource in &self.resources {
            resources.insert(
                resource.id.clone(),
                json!({ "kind": resource.kind, "fields": fields_json(&resource.fields) }),
            );
        }
        json!({
            "stack": self.stack,
            "params": fields_json(&self.params),
            "values": fields_json(&self.values),
            "resources": resources,
        })
    }
}

fn fields_json(fields: &[(String, Data)]) -> Json {
    let mut map = Map::with_capacity(fields.len());
    for (name, value) in fields {
        map.insert(name.clone(), value.to_json());
    }
    Json::Object(map)
}

impl Data {
    /// This value as JSON: resources as `{"$ref": id}`, secrets as `{"$secret": id}`,
    /// functions as `{"$fn": type}`.
    pub fn to_json(&self) -> Json {
        // Values are at most as deep as the evaluator could build them; grow the stack rather
        // than overflow it on a deep one.
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || match self {
            Data::Null => Json::Null,
            Data::Bool(b) => Json::Bool(*b),
            Data::Int(n) => Json::from(*n),
            Data::Str(s) => Json::String(s.clone()),
            Data::List(items) => Json::Array(items.iter().map(Data::to_json).collect()),
            Data::Record(fields) => fields_json(fields),
            Data::Ref(id) => json!({ "$ref": id }),
            Data::Secret(id) => json!({ "$secret": id }),
            Data::Fn(ty) => json!({ "$fn": ty }),
        })
    }
}
