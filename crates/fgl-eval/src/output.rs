//! The output document of `fgl eval` (docs/language.md, "Output"), from the resource-free
//! [`Data`] view. `Output` and `Data` serialize directly (no intermediate JSON tree: the
//! document of a large stack is big), keys in source order.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value as Json;

use crate::{Data, Output, Resource};

impl Output {
    /// The document of `fgl eval` as a JSON value (for tests and tools; the CLI serializes
    /// `Output` directly).
    pub fn to_json(&self) -> Json {
        serde_json::to_value(self).unwrap_or(Json::Null)
    }
}

impl Serialize for Output {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("stack", &self.stack)?;
        map.serialize_entry("params", &Fields(&self.params))?;
        map.serialize_entry("values", &Fields(&self.values))?;
        map.serialize_entry("resources", &Resources(&self.resources))?;
        map.end()
    }
}

/// Named values as one map, in order.
struct Fields<'a>(&'a [(String, Data)]);

impl Serialize for Fields<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

struct Resources<'a>(&'a [Resource]);

impl Serialize for Resources<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for resource in self.0 {
            map.serialize_entry(&resource.id, &OneResource(resource))?;
        }
        map.end()
    }
}

struct OneResource<'a>(&'a Resource);

impl Serialize for OneResource<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(2))?;
        map.serialize_entry("kind", &self.0.kind)?;
        map.serialize_entry("fields", &Fields(&self.0.fields))?;
        map.end()
    }
}

impl Serialize for Data {
    /// Resources as `{"$ref": id}`, secrets as `{"$secret": id}`, functions as
    /// `{"$fn": type}`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Values are at most as deep as the evaluator could build them; grow the stack rather
        // than overflow it on a deep one.
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || match self {
            Data::Null => serializer.serialize_unit(),
            Data::Bool(b) => serializer.serialize_bool(*b),
            Data::Int(n) => serializer.serialize_i64(*n),
            Data::Str(s) => serializer.serialize_str(s),
            Data::List(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Data::Record(fields) => Fields(fields).serialize(serializer),
            Data::Ref(id) => tagged(serializer, "$ref", id),
            Data::Secret(id) => tagged(serializer, "$secret", id),
            Data::Fn(ty) => tagged(serializer, "$fn", ty),
        })
    }
}

fn tagged<S: Serializer>(serializer: S, tag: &str, value: &str) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(Some(1))?;
    map.serialize_entry(tag, value)?;
    map.end()
}

impl Data {
    /// This value as JSON.
    pub fn to_json(&self) -> Json {
        serde_json::to_value(self).unwrap_or(Json::Null)
    }
}
