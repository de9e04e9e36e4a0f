//! The load balancer kinds end to end against moto: `AWS::ElasticLoadBalancingV2::
//! {LoadBalancer,TargetGroup,Listener,ListenerRule}`, with nodes shaped like the lowered
//! snapshots (`webapp`, `multi-service`) and references replaced by real ids.

mod common;

use aws_sdk_elasticloadbalancingv2::types::{
    Action, ActionTypeEnum, FixedResponseActionConfig, ProtocolEnum, RuleCondition, Tag,
};
use common::check::{assert_no_diff, create_checked, ids, retag, update_changed};
use common::nodes::{self, tags};
use common::{node, resolved, sdk};
use fgl_aws::AwsProvider;
use fgl_plan::{Live, Provider, Resolved, ID_TAG};
use serde_json::{json, Value};

/// A VPC with two public subnets and two security groups, made with the SDK (EC2 is not this
/// module's): what the load balancer's references resolve to.
struct Network {
    vpc: String,
    subnets: Vec<String>,
    groups: Vec<String>,
}

async fn network(ec2: &aws_sdk_ec2::Client) -> Network {
    let vpc = sdk::vpc(ec2, "10.0.0.0/16").await;
    let mut subnets = Vec::new();
    for (i, az) in ["us-east-1a", "us-east-1b"].iter().enumerate() {
        subnets.push(sdk::subnet(ec2, &vpc, &format!("10.0.{i}.0/24"), Some(az)).await);
    }
    let mut groups = Vec::new();
    for name in ["lb", "lb-2"] {
        groups.push(sdk::security_group(ec2, name, name, &vpc).await);
    }
    Network {
        vpc,
        subnets,
        groups,
    }
}

fn lb_node(stack: &str, net: &Network) -> Resolved {
    resolved(
        stack,
        &node(json!({
            "id": "lb/load-balancer", "kind": "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "owner": "lb", "owner_kind": "aws.LoadBalancer", "name": format!("{stack}-lb"),
            "properties": {
                "Name": format!("{stack}-lb"), "Type": "application", "Scheme": "internet-facing",
                "IpAddressType": "ipv4",
                "Subnets": [net.subnets[1], net.subnets[0]],
                "SecurityGroups": [net.groups[0]],
                "LoadBalancerAttributes": [
                    {"Key": "idle_timeout.timeout_seconds", "Value": "60"},
                    {"Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true"}
                ]
            },
            "tags": tags(stack, "lb/load-balancer")
        })),
    )
}

fn tg_node(stack: &str, id: &str, name: &str, port: u16, path: &str, vpc: &str) -> Resolved {
    resolved(
        stack,
        &node(json!({
            "id": id, "kind": "AWS::ElasticLoadBalancingV2::TargetGroup",
            "owner": "lb", "owner_kind": "aws.LoadBalancer", "name": name,
            "properties": {
                "Name": name, "TargetType": "ip", "Protocol": "HTTP", "Port": port, "VpcId": vpc,
                "HealthCheckEnabled": true, "HealthCheckProtocol": "HTTP",
                "HealthCheckPath": path, "HealthCheckIntervalSeconds": 30,
                "HealthCheckTimeoutSeconds": 5, "HealthyThresholdCount": 3,
                "UnhealthyThresholdCount": 3, "Matcher": {"HttpCode": "200-399"}
            },
            "tags": tags(stack, id)
        })),
    )
}

fn http_listener(stack: &str, lb: &str) -> Resolved {
    resolved(
        stack,
        &node(json!({
            "id": "lb/listener-http", "kind": "AWS::ElasticLoadBalancingV2::Listener",
            "owner": "lb", "owner_kind": "aws.LoadBalancer",
            "properties": {
                "LoadBalancerArn": lb, "Port": 80, "Protocol": "HTTP",
                "DefaultActions": [{"Type": "redirect", "RedirectConfig":
                    {"Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301"}}]
            },
            "tags": tags(stack, "lb/listener-http")
        })),
    )
}

fn https_listener(stack: &str, lb: &str, cert: &str, tg: &str) -> Resolved {
    resolved(
        stack,
        &node(json!({
            "id": "lb/listener-https", "kind": "AWS::ElasticLoadBalancingV2::Listener",
            "owner": "lb", "owner_kind": "aws.LoadBalancer",
            "properties": {
                "LoadBalancerArn": lb, "Port": 443, "Protocol": "HTTPS",
                "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
                "Certificates": [{"CertificateArn": cert}],
                "DefaultActions": [{"Type": "forward", "TargetGroupArn": tg}]
            },
            "tags": tags(stack, "lb/listener-https")
        })),
    )
}

fn rule_node(stack: &str, n: u32, listener: &str, condition: Value, tg: &str) -> Resolved {
    let id = format!("lb/rule-https-{n}");
    resolved(
        stack,
        &node(json!({
            "id": id, "kind": "AWS::ElasticLoadBalancingV2::ListenerRule",
            "owner": "lb", "owner_kind": "aws.LoadBalancer",
            "properties": {
                "ListenerArn": listener, "Priority": n,
                "Conditions": [condition],
                "Actions": [{"Type": "forward", "TargetGroupArn": tg}]
            },
            "tags": tags(stack, &id)
        })),
    )
}

/// Creates `node`, checks the second plan is empty and `read` finds the same thing, and a
/// retried create adopts it.
async fn create_adopted(provider: &AwsProvider, node: &Resolved) -> Live {
    let live = create_checked(provider, node).await;
    let again = provider.create(node).await.unwrap();
    assert_eq!(again.physical_id, live.physical_id);
    live
}

#[tokio::test]
async fn load_balancer_stack_create_read_discover_update_delete() {
    let emu = common::start().await;
    let provider = &emu.provider;
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&emu.config);
    let net = network(&emu.ec2).await;
    let stack = "market";

    // Load balancer and target groups.
    let lb_n = lb_node(stack, &net);
    assert_eq!(provider.read(&lb_n).await.unwrap(), None);
    let lb = create_adopted(provider, &lb_n).await;
    assert!(lb.physical_id.starts_with("arn:aws:elasticloadbalancing:"));
    assert!(lb.attrs["DNSName"].as_str().unwrap().contains("market-lb"));
    assert!(lb.attrs["CanonicalHostedZoneID"].is_string());
    let site_n = tg_node(
        stack,
        "lb/target-group/site",
        "market-lb-site",
        8080,
        "/",
        &net.vpc,
    );
    let api_n = tg_node(
        stack,
        "lb/target-group/api",
        "market-lb-api",
        3000,
        "/health",
        &net.vpc,
    );
    let site = create_adopted(provider, &site_n).await;
    let api = create_adopted(provider, &api_n).await;

    // Listeners: the HTTP redirect and the HTTPS forward with a certificate.
    let cert = provider.create(&nodes::certificate(stack)).await.unwrap();
    let http_n = http_listener(stack, &lb.physical_id);
    let http = create_adopted(provider, &http_n).await;
    let https_n = https_listener(stack, &lb.physical_id, &cert.physical_id, &site.physical_id);
    let https = create_adopted(provider, &https_n).await;

    // Rules: host header and path pattern.
    let host =
        json!({"Field": "host-header", "HostHeaderConfig": {"Values": ["api.market.example.com"]}});
    let path = json!({"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api/*"]}});
    let rule1_n = rule_node(stack, 1, &https.physical_id, host, &api.physical_id);
    let rule2_n = rule_node(stack, 2, &https.physical_id, path, &api.physical_id);
    let rule1 = create_adopted(provider, &rule1_n).await;
    let rule2 = create_adopted(provider, &rule2_n).await;

    // Discover lists exactly these, under their logical ids; another stack sees none.
    let before = provider.call_log().calls().len();
    let found = provider.discover(stack).await.unwrap();
    let reads = provider.call_log().calls().len() - before;
    assert_eq!(
        ids(&found),
        [
            "cert/certificate",
            "lb/listener-http",
            "lb/listener-https",
            "lb/load-balancer",
            "lb/rule-https-1",
            "lb/rule-https-2",
            "lb/target-group/api",
            "lb/target-group/site",
        ]
    );
    let ops: Vec<String> = provider.call_log().calls()[before..]
        .iter()
        .map(|c| c.operation.clone())
        .collect();
    eprintln!(
        "discover: {reads} read calls for {} resources: {ops:?}",
        found.len()
    );
    for live in &found {
        let wanted = [
            &lb_n, &site_n, &api_n, &http_n, &https_n, &rule1_n, &rule2_n,
        ]
        .into_iter()
        .find(|n| n.id == live.id);
        if let Some(n) = wanted {
            assert_no_diff(provider, n, live);
        }
    }
    let others = provider.discover("other").await.unwrap();
    assert!(others.is_empty(), "{others:?}");

    // Updates in place, read back through the SDK.
    let fields = ["SecurityGroups[0]", "LoadBalancerAttributes[0].Value"];
    let (_, lb2) = update_changed(provider, &lb_n, &lb, &fields, |n| {
        n.properties["SecurityGroups"] = json!([net.groups[1]]);
        n.properties["LoadBalancerAttributes"][0]["Value"] = json!("120");
    })
    .await;
    let described = elb
        .describe_load_balancers()
        .load_balancer_arns(&lb.physical_id)
        .send()
        .await
        .unwrap();
    assert_eq!(
        described.load_balancers()[0].security_groups(),
        [net.groups[1].clone()]
    );
    let attrs = elb
        .describe_load_balancer_attributes()
        .load_balancer_arn(&lb.physical_id)
        .send()
        .await
        .unwrap();
    let idle = attrs
        .attributes()
        .iter()
        .find(|a| a.key() == Some("idle_timeout.timeout_seconds"));
    assert_eq!(idle.and_then(|a| a.value()), Some("120"));

    let (_, site2) = update_changed(provider, &site_n, &site, &["HealthCheckPath"], |n| {
        n.properties["HealthCheckPath"] = json!("/ready");
    })
    .await;
    let tg = elb
        .describe_target_groups()
        .target_group_arns(&site.physical_id)
        .send()
        .await
        .unwrap();
    assert_eq!(tg.target_groups()[0].health_check_path(), Some("/ready"));

    let fields = ["DefaultActions[0].RedirectConfig.StatusCode"];
    let (_, http2) = update_changed(provider, &http_n, &http, &fields, |n| {
        n.properties["DefaultActions"][0]["RedirectConfig"]["StatusCode"] = json!("HTTP_302");
    })
    .await;
    let l = elb
        .describe_listeners()
        .listener_arns(&http.physical_id)
        .send()
        .await
        .unwrap();
    let redirect = l.listeners()[0].default_actions()[0]
        .redirect_config()
        .unwrap();
    assert_eq!(redirect.status_code().map(|c| c.as_str()), Some("HTTP_302"));

    let fields = ["Priority", "Conditions[0].HostHeaderConfig.Values[0]"];
    let (rule_changed, rule1b) = update_changed(provider, &rule1_n, &rule1, &fields, |n| {
        n.properties["Priority"] = json!(5);
        n.properties["Conditions"][0]["HostHeaderConfig"]["Values"] =
            json!(["v2.market.example.com"]);
    })
    .await;
    let r = elb
        .describe_rules()
        .rule_arns(&rule1.physical_id)
        .send()
        .await
        .unwrap();
    assert_eq!(r.rules()[0].priority(), Some("5"));
    // The changed rule is still found by its tags, under its new priority.
    let reread = provider.read(&rule_changed).await.unwrap().unwrap();
    assert_eq!(reread.physical_id, rule1.physical_id);

    // A tag changed in place; the ownership tags stay.
    let api2 = retag(provider, &api_n, &api, "Team", "api").await;
    assert!(api2.owned_by(stack));

    // Deletes, children first; deleting again succeeds.
    for live in [&rule1b, &rule2, &http2, &https, &site2, &api2, &lb2] {
        provider.delete(live).await.unwrap();
        provider.delete(live).await.unwrap();
    }
    assert_eq!(provider.read(&lb_n).await.unwrap(), None);
    assert_eq!(provider.read(&site_n).await.unwrap(), None);
    let left = provider.discover(stack).await.unwrap();
    assert_eq!(ids(&left), ["cert/certificate"]);
}

#[tokio::test]
async fn resources_made_outside_fgl_are_read_without_fgl_tags() {
    let emu = common::start().await;
    let provider = &emu.provider;
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&emu.config);
    let net = network(&emu.ec2).await;

    // Same names as the shop's nodes, no fgl tags (one unrelated tag).
    let lb = elb
        .create_load_balancer()
        .name("shop-lb")
        .set_subnets(Some(net.subnets.clone()))
        .security_groups(&net.groups[0])
        .tags(Tag::builder().key("team").value("ops").build())
        .send()
        .await
        .unwrap();
    let lb_arn = lb.load_balancers()[0]
        .load_balancer_arn()
        .unwrap()
        .to_string();
    sdk::target_group(&elb, "shop-lb-web", &net.vpc).await;
    let fixed = |code: &str| {
        Action::builder()
            .r#type(ActionTypeEnum::FixedResponse)
            .fixed_response_config(
                FixedResponseActionConfig::builder()
                    .status_code(code)
                    .build(),
            )
            .build()
    };
    let listener = elb
        .create_listener()
        .load_balancer_arn(&lb_arn)
        .port(80)
        .protocol(ProtocolEnum::Http)
        .default_actions(fixed("404"))
        .send()
        .await
        .unwrap();
    let listener_arn = listener.listeners()[0].listener_arn().unwrap().to_string();
    let rule = elb
        .create_rule()
        .listener_arn(&listener_arn)
        .priority(1)
        .conditions(
            RuleCondition::builder()
                .field("path-pattern")
                .values("/old/*")
                .build(),
        )
        .actions(fixed("410"))
        .send()
        .await
        .unwrap();
    let rule_arn = rule.rules()[0].rule_arn().unwrap().to_string();

    let mut lb_n = lb_node("shop", &net);
    lb_n.properties["Name"] = json!("shop-lb");
    let tg_n = tg_node(
        "shop",
        "lb/target-group/web",
        "shop-lb-web",
        8080,
        "/healthz",
        &net.vpc,
    );
    let l_n = http_listener("shop", &lb_arn);
    for n in [&lb_n, &tg_n, &l_n] {
        let live = provider.read(n).await.unwrap().expect("found by name");
        assert!(!live.owned_by("shop"), "{live:?}");
        assert!(!live.tags.contains_key(ID_TAG));
        // Creating over it is refused, never adopted.
        assert!(provider.create(n).await.is_err());
    }
    let live_lb = provider.read(&lb_n).await.unwrap().unwrap();
    assert_eq!(live_lb.tags["team"], json!("ops"));
    assert_eq!(
        provider.read(&l_n).await.unwrap().unwrap().physical_id,
        listener_arn
    );
    // The rule holding the node's priority is the one in the way, read without fgl tags.
    let path = json!({"Field": "path-pattern", "PathPatternConfig": {"Values": ["/api/*"]}});
    let rule_n = rule_node("shop", 1, &listener_arn, path, "unused");
    let live_rule = provider
        .read(&rule_n)
        .await
        .unwrap()
        .expect("the rule in the way");
    assert_eq!(live_rule.physical_id, rule_arn);
    assert!(live_rule.tags.is_empty(), "{live_rule:?}");
    assert_eq!(
        live_rule.properties["Conditions"],
        json!([{"Field": "path-pattern", "PathPatternConfig": {"Values": ["/old/*"]}}])
    );
    assert_eq!(
        live_rule.properties["Actions"],
        json!([{"Type": "fixed-response", "FixedResponseConfig": {"StatusCode": "410"}}])
    );
    assert!(provider.discover("shop").await.unwrap().is_empty());
}
