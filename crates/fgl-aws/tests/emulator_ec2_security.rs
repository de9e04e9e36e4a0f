//! `AWS::EC2::SecurityGroup` and `AWS::EC2::SecurityGroupIngress` end to end against moto:
//! inline rules reconciled, a group without inline ingress left to standalone rules, and
//! what a plan costs to discover.

mod common;

use common::check::{assert_no_diff, create_checked, delete_twice, update_checked};
use common::{node, resolved, sdk};
use fgl_plan::{ErrorClass, Provider, Resolved, ID_TAG, STACK_TAG};
use serde_json::{json, Value};

fn group_node(stack: &str, id: &str, name: &str, vpc: &str, extra: Value) -> Resolved {
    let mut properties = json!({
        "GroupName": name,
        "GroupDescription": format!("fgl {stack}/{id}"),
        "VpcId": vpc,
    });
    if let (Some(p), Some(e)) = (properties.as_object_mut(), extra.as_object()) {
        p.extend(e.clone());
    }
    resolved(
        stack,
        &node(json!({
            "id": id, "kind": "AWS::EC2::SecurityGroup", "owner": "web",
            "owner_kind": "aws.Container", "name": name, "properties": properties,
            "tags": {"Name": name, STACK_TAG: stack, ID_TAG: id},
        })),
    )
}

/// The load balancer's group, as in `webapp.fgl.lowered.expected`.
fn lb_group(stack: &str, vpc: &str) -> Resolved {
    group_node(
        stack,
        "lb/security-group",
        &format!("{stack}-lb"),
        vpc,
        json!({
            "SecurityGroupIngress": [
                {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "0.0.0.0/0"},
                {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"}
            ],
            "SecurityGroupEgress": [
                {"IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080, "CidrIp": "10.0.0.0/16"}
            ]
        }),
    )
}

/// The tasks' group: no ingress key (its ingress is the load balancer's standalone rule).
fn web_group(stack: &str, vpc: &str) -> Resolved {
    group_node(
        stack,
        "web/security-group",
        &format!("{stack}-web"),
        vpc,
        json!({
            "SecurityGroupEgress": [{"IpProtocol": "-1", "CidrIp": "0.0.0.0/0",
                "Description": "image pulls, AWS APIs, the application's calls"}]
        }),
    )
}

fn ingress_node(stack: &str, group: &str, source: &str) -> Resolved {
    resolved(
        stack,
        &node(json!({
            "id": "lb/ingress/web", "kind": "AWS::EC2::SecurityGroupIngress", "owner": "lb",
            "owner_kind": "aws.LoadBalancer",
            "properties": {"GroupId": group, "IpProtocol": "tcp", "FromPort": 8080,
                "ToPort": 8080, "SourceSecurityGroupId": source,
                "Description": "from the load balancer lb"},
        })),
    )
}

/// Each test's own moto.
type Env = common::Emulator;

/// The tests' own moto, and a VPC made there with the SDK.
async fn env() -> (Env, String) {
    let env = common::start().await;
    let vpc = sdk::vpc(&env.ec2, "10.0.0.0/16").await;
    (env, vpc)
}

/// The group's rules as AWS has them, in the node's shape, sorted.
async fn aws_rules(env: &Env, group: &str, egress: bool) -> Vec<Value> {
    let out = env
        .ec2
        .describe_security_groups()
        .group_ids(group)
        .send()
        .await
        .unwrap();
    let g = &out.security_groups()[0];
    let mut rules = Vec::new();
    let permissions = if egress {
        g.ip_permissions_egress()
    } else {
        g.ip_permissions()
    };
    for p in permissions {
        for r in p.ip_ranges() {
            rules.push(json!([
                p.ip_protocol(),
                p.from_port(),
                r.cidr_ip(),
                r.description()
            ]));
        }
        for r in p.user_id_group_pairs() {
            rules.push(json!([
                p.ip_protocol(),
                p.from_port(),
                r.group_id(),
                r.description()
            ]));
        }
    }
    rules.sort_by_key(|v| v.to_string());
    rules
}

#[tokio::test]
async fn security_groups_and_standalone_ingress() {
    let (env, vpc) = env().await;
    let lb_node = lb_group("shop", &vpc);
    let web_node = web_group("shop", &vpc);
    assert_eq!(env.provider.read(&lb_node).await.unwrap(), None);

    // Create: inline rules as the node lists them; AWS's default allow-all egress revoked
    // (the load balancer's egress differs) or replaced by the described one (the tasks').
    let lb = env.provider.create(&lb_node).await.unwrap();
    assert_no_diff(&env.provider, &lb_node, &lb);
    let lb_id = lb.attrs["GroupId"].as_str().unwrap().to_string();
    assert!(lb_id.starts_with("sg-"));
    assert_eq!(
        aws_rules(&env, &lb_id, true).await,
        [json!(["tcp", 8080, "10.0.0.0/16", null])]
    );
    assert_eq!(
        aws_rules(&env, &lb_id, false).await,
        [
            json!(["tcp", 443, "0.0.0.0/0", null]),
            json!(["tcp", 80, "0.0.0.0/0", null])
        ]
    );
    let web = env.provider.create(&web_node).await.unwrap();
    assert_no_diff(&env.provider, &web_node, &web);
    let web_id = web.physical_id.clone();
    assert_eq!(
        aws_rules(&env, &web_id, true).await,
        [json!([
            "-1",
            null,
            "0.0.0.0/0",
            "image pulls, AWS APIs, the application's calls"
        ])]
    );
    // A retried create adopts the group.
    assert_eq!(
        env.provider.create(&lb_node).await.unwrap().physical_id,
        lb_id
    );

    // The load balancer opens the tasks' group with a standalone rule.
    let rule_node = ingress_node("shop", &web_id, &lb_id);
    assert_eq!(env.provider.read(&rule_node).await.unwrap(), None);
    let rule = create_checked(&env.provider, &rule_node).await;
    assert_eq!(rule.tags[STACK_TAG], json!("shop"));
    assert_eq!(rule.tags[ID_TAG], json!("lb/ingress/web"));
    assert_eq!(env.provider.create(&rule_node).await.unwrap(), rule);

    // The tasks' group does not report that ingress (it is the rule's), so its second plan
    // stays empty; the load balancer's reports its inline ingress.
    let found = env.provider.discover("shop").await.unwrap();
    let by_id = |id: &str| found.iter().find(|l| l.id == id).cloned();
    let web_live = by_id("web/security-group").expect("discovered");
    assert!(!web_live.properties.contains_key("SecurityGroupIngress"));
    assert_no_diff(&env.provider, &web_node, &web_live);
    let lb_live = by_id("lb/security-group").expect("discovered");
    assert_no_diff(&env.provider, &lb_node, &lb_live);
    let mut groups: Vec<&str> = found
        .iter()
        .filter(|l| l.kind == "AWS::EC2::SecurityGroup")
        .map(|l| l.physical_id.as_str())
        .collect();
    groups.sort();
    let mut want = [lb_id.as_str(), web_id.as_str()];
    want.sort();
    assert_eq!(groups, want);
    assert!(env.provider.discover("other").await.unwrap().is_empty());

    // Updating the tasks' group (a tag, its egress) leaves the standalone rule alone.
    let mut changed = web_node.clone();
    changed.properties.insert(
        "SecurityGroupEgress".into(),
        json!([{"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0"}]),
    );
    changed.tags.insert("Team".into(), json!("web"));
    let fields = ["SecurityGroupEgress[0].IpProtocol", "Tags.Team"].map(String::from);
    let web = update_checked(&env.provider, &changed, &web, &fields).await;
    assert_eq!(
        aws_rules(&env, &web_id, true).await,
        [json!(["tcp", 443, "0.0.0.0/0", null])]
    );
    assert_eq!(
        aws_rules(&env, &web_id, false).await,
        [json!(["tcp", 8080, lb_id, "from the load balancer lb"])]
    );

    // Inline ingress: one rule dropped, one added, one whose description changes.
    let mut changed = lb_node.clone();
    changed.properties.insert(
        "SecurityGroupIngress".into(),
        json!([
            {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": "0.0.0.0/0",
             "Description": "https"},
            {"IpProtocol": "tcp", "FromPort": 8443, "ToPort": 8443, "CidrIp": "10.1.0.0/16"}
        ]),
    );
    let fields = ["SecurityGroupIngress[0]".to_string()];
    let lb = update_checked(&env.provider, &changed, &lb, &fields).await;
    assert_eq!(
        aws_rules(&env, &lb_id, false).await,
        [
            json!(["tcp", 443, "0.0.0.0/0", "https"]),
            json!(["tcp", 8443, "10.1.0.0/16", null])
        ]
    );
    assert!(env
        .provider
        .spec("AWS::EC2::SecurityGroup")
        .forces_replace("GroupName"));

    // A standalone rule's description changes in place; its ports do not. (A CIDR rule:
    // moto 5.2.5 never matches a source-group rule in UpdateSecurityGroupRuleDescriptions,
    // as it compares the descriptions it is asked to change.)
    let mut cidr_node = ingress_node("shop", &web_id, &lb_id);
    cidr_node.id = "lb/ingress/vpn".into();
    cidr_node.properties.remove("SourceSecurityGroupId");
    cidr_node
        .properties
        .insert("CidrIp".into(), json!("10.8.0.0/16"));
    let cidr_rule = env.provider.create(&cidr_node).await.unwrap();
    assert_no_diff(&env.provider, &cidr_node, &cidr_rule);
    let mut described = cidr_node.clone();
    described
        .properties
        .insert("Description".into(), json!("from the VPN"));
    let fields = ["Description".to_string()];
    let cidr_rule = update_checked(&env.provider, &described, &cidr_rule, &fields).await;
    assert_eq!(
        aws_rules(&env, &web_id, false).await,
        [
            json!(["tcp", 8080, "10.8.0.0/16", "from the VPN"]),
            json!(["tcp", 8080, lb_id, "from the load balancer lb"])
        ]
    );
    let spec = env.provider.spec("AWS::EC2::SecurityGroupIngress");
    assert!(spec.forces_replace("FromPort") && !spec.forces_replace("Description"));
    env.provider.delete(&cidr_rule).await.unwrap();

    // Delete: the rule, then the groups; each twice.
    delete_twice(&env.provider, &rule, &rule_node).await;
    assert!(aws_rules(&env, &web_id, false).await.is_empty());
    for live in [&lb, &web] {
        env.provider.delete(live).await.unwrap();
        env.provider.delete(live).await.unwrap();
    }
    assert_eq!(env.provider.read(&lb_node).await.unwrap(), None);
    assert!(env.provider.read(&rule_node).await.unwrap().is_none());
}

#[tokio::test]
async fn groups_made_outside_fgl_are_never_adopted() {
    let (env, vpc) = env().await;
    let node = web_group("shop", &vpc);
    let group_id = sdk::security_group(&env.ec2, "shop-web", "made by hand", &vpc).await;

    // Read finds it by name, without fgl tags (the engine reports a conflict)...
    let live = env.provider.read(&node).await.unwrap().expect("same name");
    assert_eq!(live.physical_id, group_id);
    assert!(!live.owned_by("shop"));
    assert!(!live.tags.contains_key(ID_TAG));
    // ...create refuses to take it over...
    let err = env.provider.create(&node).await.unwrap_err();
    assert_eq!(err.class, ErrorClass::Hard);
    assert!(err.message.contains("without this node's tags"), "{err:?}");
    // ...and it is not discovered.
    assert!(env.provider.discover("shop").await.unwrap().is_empty());

    // A standalone rule in that group is read without fgl tags.
    env.ec2
        .authorize_security_group_ingress()
        .group_id(&group_id)
        .ip_permissions(
            aws_sdk_ec2::types::IpPermission::builder()
                .ip_protocol("tcp")
                .from_port(8080)
                .to_port(8080)
                .user_id_group_pairs(
                    aws_sdk_ec2::types::UserIdGroupPair::builder()
                        .group_id(&group_id)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    let mut rule = ingress_node("shop", &group_id, &group_id);
    rule.properties.remove("Description");
    let foreign = env.provider.read(&rule).await.unwrap().expect("the rule");
    assert!(foreign.tags.is_empty(), "{foreign:?}");
}
