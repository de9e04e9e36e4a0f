//! Security group rules in the node's shape: one object per source or destination,
//! `{IpProtocol, FromPort, ToPort, CidrIp | CidrIpv6 | SourceSecurityGroupId |
//! DestinationSecurityGroupId, Description?}`, without ports for all protocols (`-1`). AWS
//! groups rules by protocol and ports; fgl compares them one by one, unordered.

use aws_sdk_ec2::types::{IpPermission, IpRange, Ipv6Range, UserIdGroupPair};
use serde_json::{json, Map, Value};

/// Which way a rule goes: it names the other group as its source or its destination.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Direction {
    Ingress,
    Egress,
}

impl Direction {
    fn group_field(self) -> &'static str {
        match self {
            Direction::Ingress => "SourceSecurityGroupId",
            Direction::Egress => "DestinationSecurityGroupId",
        }
    }
}

/// The fields of a rule that make it a different rule (all but the description).
pub(crate) const IDENTITY: [&str; 7] = [
    "IpProtocol",
    "FromPort",
    "ToPort",
    "CidrIp",
    "CidrIpv6",
    "SourceSecurityGroupId",
    "DestinationSecurityGroupId",
];

/// AWS's permissions as rules in the node's shape.
pub(crate) fn from_permissions(permissions: &[IpPermission], direction: Direction) -> Vec<Value> {
    let mut rules = Vec::new();
    for p in permissions {
        let mut base = Map::new();
        let protocol = p.ip_protocol().unwrap_or("-1");
        base.insert("IpProtocol".into(), json!(protocol));
        if protocol != "-1" {
            if let Some(from) = p.from_port() {
                base.insert("FromPort".into(), json!(from));
            }
            if let Some(to) = p.to_port() {
                base.insert("ToPort".into(), json!(to));
            }
        }
        let mut push = |field: &str, value: &str, description: Option<&str>| {
            let mut rule = base.clone();
            rule.insert(field.into(), json!(value));
            if let Some(d) = description.filter(|d| !d.is_empty()) {
                rule.insert("Description".into(), json!(d));
            }
            rules.push(Value::Object(rule));
        };
        for r in p.ip_ranges() {
            if let Some(cidr) = r.cidr_ip() {
                push("CidrIp", cidr, r.description());
            }
        }
        for r in p.ipv6_ranges() {
            if let Some(cidr) = r.cidr_ipv6() {
                push("CidrIpv6", cidr, r.description());
            }
        }
        for g in p.user_id_group_pairs() {
            if let Some(group) = g.group_id() {
                push(direction.group_field(), group, g.description());
            }
        }
    }
    rules
}

/// A rule in the node's shape as an AWS permission.
pub(crate) fn to_permission(rule: &Map<String, Value>, direction: Direction) -> IpPermission {
    let text = |field: &str| rule.get(field).and_then(Value::as_str);
    let port = |field: &str| {
        rule.get(field)
            .and_then(Value::as_i64)
            .and_then(|p| i32::try_from(p).ok())
    };
    let protocol = text("IpProtocol").unwrap_or("-1");
    let description = text("Description").map(str::to_string);
    let mut permission = IpPermission::builder().ip_protocol(protocol);
    if protocol != "-1" {
        permission = permission
            .set_from_port(port("FromPort"))
            .set_to_port(port("ToPort"));
    }
    if let Some(cidr) = text("CidrIp") {
        permission = permission.ip_ranges(
            IpRange::builder()
                .cidr_ip(cidr)
                .set_description(description.clone())
                .build(),
        );
    }
    if let Some(cidr) = text("CidrIpv6") {
        permission = permission.ipv6_ranges(
            Ipv6Range::builder()
                .cidr_ipv6(cidr)
                .set_description(description.clone())
                .build(),
        );
    }
    if let Some(group) = text(direction.group_field()) {
        permission = permission.user_id_group_pairs(
            UserIdGroupPair::builder()
                .group_id(group)
                .set_description(description)
                .build(),
        );
    }
    permission.build()
}

/// A rule as compared: no ports for all protocols (AWS drops them), an empty description is
/// no description, and keys in one order (unordered lists are sorted by their JSON text,
/// which follows key order).
pub(crate) fn canonical(rule: &mut Map<String, Value>) {
    if rule.get("IpProtocol").and_then(Value::as_str) == Some("-1") {
        rule.remove("FromPort");
        rule.remove("ToPort");
    }
    if rule.get("Description").and_then(Value::as_str) == Some("") {
        rule.remove("Description");
    }
    let mut entries: Vec<(String, Value)> = std::mem::take(rule).into_iter().collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    rule.extend(entries);
}

/// Whether `a` and `b` are the same rule, descriptions aside.
pub(crate) fn same_rule(a: &Map<String, Value>, b: &Map<String, Value>) -> bool {
    IDENTITY.iter().all(|f| a.get(*f) == b.get(*f))
}

/// The rules of a list property, canonical (a missing list is an empty one).
pub(crate) fn rules_of(properties: &Map<String, Value>, field: &str) -> Vec<Map<String, Value>> {
    let mut rules: Vec<Map<String, Value>> = properties
        .get(field)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_object().cloned())
                .collect()
        })
        .unwrap_or_default();
    rules.iter_mut().for_each(canonical);
    rules
}

/// Canonicalizes every rule of the list properties `fields`: the kinds' normalization hook.
pub(crate) fn canonical_lists(properties: &mut Map<String, Value>, fields: &[&str]) {
    for field in fields {
        if let Some(Value::Array(items)) = properties.get_mut(*field) {
            for item in items.iter_mut() {
                if let Value::Object(rule) = item {
                    canonical(rule);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions_become_one_rule_per_source() {
        let permission = IpPermission::builder()
            .ip_protocol("tcp")
            .from_port(80)
            .to_port(80)
            .ip_ranges(IpRange::builder().cidr_ip("0.0.0.0/0").build())
            .user_id_group_pairs(
                UserIdGroupPair::builder()
                    .group_id("sg-1")
                    .description("from lb")
                    .build(),
            )
            .build();
        let all = IpPermission::builder()
            .ip_protocol("-1")
            .from_port(-1)
            .to_port(-1)
            .ip_ranges(IpRange::builder().cidr_ip("0.0.0.0/0").build())
            .build();
        let rules = from_permissions(&[permission, all], Direction::Ingress);
        assert_eq!(
            rules,
            [
                json!({"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "0.0.0.0/0"}),
                json!({"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80,
                       "SourceSecurityGroupId": "sg-1", "Description": "from lb"}),
                json!({"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}),
            ]
        );
    }

    #[test]
    fn rules_round_trip_through_permissions() {
        let rule = json!({"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080,
                          "DestinationSecurityGroupId": "sg-2", "Description": "to tasks"});
        let rule = rule.as_object().cloned().unwrap_or_default();
        let back = from_permissions(
            &[to_permission(&rule, Direction::Egress)],
            Direction::Egress,
        );
        assert_eq!(back, [Value::Object(rule)]);
    }

    #[test]
    fn canonical_rules_drop_all_protocol_ports_and_sort_keys() {
        let mut rule = json!({"ToPort": -1, "IpProtocol": "-1", "Description": "",
                              "FromPort": -1, "CidrIp": "0.0.0.0/0"});
        let rule = rule.as_object_mut().map(|r| {
            canonical(r);
            Value::Object(r.clone())
        });
        assert_eq!(
            rule.map(|r| r.to_string()).as_deref(),
            Some(r#"{"CidrIp":"0.0.0.0/0","IpProtocol":"-1"}"#)
        );
    }
}
