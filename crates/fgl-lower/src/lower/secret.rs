//! `Secret` → an SSM SecureString parameter `/<stack>/<name>`. Its value is never part of the
//! graph: `fgl secret set` writes it out of band, and fgl never reads it.

use serde_json::json;

use super::{names, Cx, Owner};
use crate::model::{Kind, Secret};

pub fn lower(cx: &mut Cx<'_>, secret: &Secret<'_>) {
    let owner = Owner::of(secret.res, Kind::Secret);
    let name = names::ssm_parameter(cx.stack, secret.name);
    let mut props = json!({ "Name": name, "Type": "SecureString", "Tier": "Standard" });
    if let Some(description) = secret.description {
        props["Description"] = json!(description);
    }
    if let Some(key) = secret.kms_key {
        props["KeyId"] = json!(key);
    }
    cx.add(owner, "parameter", "AWS::SSM::Parameter", Some(name), props);
}

/// The node id of a secret's parameter.
pub fn parameter_node(secret_id: &str) -> String {
    format!("{secret_id}/parameter")
}
