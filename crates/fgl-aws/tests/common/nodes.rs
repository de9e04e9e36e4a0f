//! Nodes written in the tests, shaped like the lowered snapshots' (`webapp`,
//! `multi-service`), for a given stack and with references already replaced by real ids.

use fgl_plan::{Resolved, ID_TAG, STACK_TAG};
use serde_json::{json, Value};

use super::{node, resolved};

/// The ownership tags of the node `id` of `stack`.
pub fn tags(stack: &str, id: &str) -> Value {
    json!({ STACK_TAG: stack, ID_TAG: id })
}

/// A node of the network of `stack` from its kind, id, properties and (for taggable kinds)
/// `Name` tag.
pub fn network(
    stack: &str,
    id: &str,
    kind: &str,
    name: Option<&str>,
    properties: Value,
) -> Resolved {
    let mut json = json!({
        "id": id, "kind": kind, "owner": "network", "owner_kind": "aws.Network",
        "properties": properties,
    });
    if let Some(name) = name {
        json["name"] = json!(name);
        json["tags"] = json!({"Name": name, STACK_TAG: stack, ID_TAG: id});
    }
    resolved(stack, &node(json))
}

/// The network's VPC.
pub fn vpc(stack: &str) -> Resolved {
    network(
        stack,
        "network/vpc",
        "AWS::EC2::VPC",
        Some("shop-network"),
        json!({"CidrBlock": "10.0.0.0/16", "EnableDnsSupport": true, "EnableDnsHostnames": true}),
    )
}

/// The certificate of the multi-service snapshot: a domain and its wildcard.
pub fn certificate(stack: &str) -> Resolved {
    resolved(
        stack,
        &node(json!({
            "id": "cert/certificate", "kind": "AWS::CertificateManager::Certificate",
            "owner": "cert", "owner_kind": "aws.Certificate",
            "properties": {"DomainName": "market.example.com", "ValidationMethod": "DNS",
                "KeyAlgorithm": "RSA_2048", "SubjectAlternativeNames": ["*.market.example.com"]},
            "tags": tags(stack, "cert/certificate")
        })),
    )
}

/// The certificate's hosted zone `name`, looked up.
pub fn zone(stack: &str, name: &str) -> Resolved {
    resolved(
        stack,
        &node(json!({
            "id": "cert/zone", "kind": "AWS::Route53::HostedZone", "owner": "cert",
            "owner_kind": "aws.Certificate", "name": name, "lookup": true,
            "properties": {"Name": format!("{name}.")}
        })),
    )
}

/// The CNAME record validating `shop.example.com` in `zone`: `name` to `value`.
pub fn validation_record(stack: &str, zone: &str, name: Value, value: Value) -> Resolved {
    let id = "cert/validation-record/shop.example.com";
    resolved(
        stack,
        &node(json!({
            "id": id, "kind": "AWS::Route53::RecordSet", "owner": "cert",
            "owner_kind": "aws.Certificate",
            "properties": {
                "HostedZoneId": zone, "Name": name, "Type": "CNAME", "TTL": 300,
                "ResourceRecords": [value]
            },
            "tags": tags(stack, id)
        })),
    )
}
