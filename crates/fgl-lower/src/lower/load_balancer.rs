//! `LoadBalancer` → a security group, an application load balancer, a target group per target
//! container (with its health check) and the ingress rule that lets the load balancer into the
//! container's security group, an HTTP:80 listener (redirecting to HTTPS when asked), an
//! HTTPS:443 listener with the certificate (after it is issued), a listener rule per route,
//! and per domain an alias A record with its TXT ownership record.

use serde_json::{json, Value};

use super::{names, Attachment, Cx, Owner, Subnets};
use crate::dns;
use crate::graph::reference;
use crate::model::{Kind, LoadBalancer, Model};

/// The TLS policy of HTTPS listeners: TLS 1.3 and 1.2 only.
pub const SSL_POLICY: &str = "ELBSecurityPolicy-TLS13-1-2-2021-06";

pub fn lower(
    cx: &mut Cx<'_>,
    model: &Model<'_>,
    lb: &LoadBalancer<'_>,
    subnets: &Subnets,
) -> Vec<Attachment> {
    let owner = Owner::of(lb.res, Kind::LoadBalancer);
    let id = owner.id;
    let stack = cx.stack;
    let https = lb.certificate.is_some();

    // Who may connect: the internet, or only the network for an internal one.
    let clients = if lb.internal {
        subnets.cidr.as_str()
    } else {
        "0.0.0.0/0"
    };
    let mut ingress =
        vec![json!({ "IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": clients })];
    if https {
        ingress.push(
            json!({ "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "CidrIp": clients }),
        );
    }
    let targets: Vec<(&str, i64)> = lb
        .targets()
        .into_iter()
        .filter_map(|(t, _)| Some((t, model.container(t)?.port?)))
        .collect();
    let mut ports: Vec<i64> = targets.iter().map(|(_, p)| *p).collect();
    ports.sort_unstable();
    ports.dedup();
    let egress: Vec<Value> = ports
        .iter()
        .map(|p| json!({ "IpProtocol": "tcp", "FromPort": p, "ToPort": p, "CidrIp": subnets.cidr }))
        .collect();
    let sg_name = names::security_group(stack, id);
    let sg = cx.add(
        owner,
        "security-group",
        "AWS::EC2::SecurityGroup",
        Some(sg_name.clone()),
        json!({
            "GroupName": sg_name,
            "GroupDescription": format!("fgl {stack}/{id}: load balancer"),
            "VpcId": reference(&subnets.vpc, "Id"),
            "SecurityGroupIngress": ingress,
            "SecurityGroupEgress": egress,
        }),
    );

    let placed_in = if lb.internal && !subnets.private.is_empty() {
        &subnets.private
    } else {
        &subnets.public
    };
    let name = names::load_balancer(stack, id);
    let alb = cx.add(
        owner,
        "load-balancer",
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        Some(name.clone()),
        json!({
            "Name": name,
            "Type": "application",
            "Scheme": if lb.internal { "internal" } else { "internet-facing" },
            "IpAddressType": "ipv4",
            "Subnets": placed_in.iter().map(|s| reference(s, "Id")).collect::<Vec<_>>(),
            "SecurityGroups": [reference(&sg, "GroupId")],
            "LoadBalancerAttributes": [
                { "Key": "idle_timeout.timeout_seconds", "Value": lb.idle_timeout.to_string() },
                { "Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true" },
            ],
        }),
    );

    // A target group per container, and the container's door opened to this load balancer.
    let mut groups: Vec<(&str, String)> = Vec::new();
    for (target, port) in &targets {
        let Some(c) = model.container(target) else {
            continue;
        };
        let h = &c.health;
        let tg_name = names::target_group(stack, id, target);
        let tg = cx.add(
            owner,
            &format!("target-group/{target}"),
            "AWS::ElasticLoadBalancingV2::TargetGroup",
            Some(tg_name.clone()),
            json!({
                "Name": tg_name,
                "TargetType": "ip",
                "Protocol": "HTTP",
                "Port": port,
                "VpcId": reference(&subnets.vpc, "Id"),
                "HealthCheckEnabled": true,
                "HealthCheckProtocol": "HTTP",
                "HealthCheckPath": h.path,
                "HealthCheckIntervalSeconds": h.interval,
                "HealthCheckTimeoutSeconds": h.timeout,
                "HealthyThresholdCount": h.healthy_threshold,
                "UnhealthyThresholdCount": h.unhealthy_threshold,
                "Matcher": { "HttpCode": "200-399" },
            }),
        );
        cx.add(
            owner,
            &format!("ingress/{target}"),
            "AWS::EC2::SecurityGroupIngress",
            None,
            json!({
                "GroupId": reference(&format!("{target}/security-group"), "GroupId"),
                "IpProtocol": "tcp",
                "FromPort": port,
                "ToPort": port,
                "SourceSecurityGroupId": reference(&sg, "GroupId"),
                "Description": format!("from the load balancer {id}"),
            }),
        );
        groups.push((target, tg));
    }
    let group_of = |target: &str| {
        groups
            .iter()
            .find(|(t, _)| *t == target)
            .map(|(_, g)| g.clone())
    };
    let forward = |tg: &str| json!([{ "Type": "forward", "TargetGroupArn": reference(tg, "Arn") }]);
    let default_actions = match lb.target.and_then(group_of) {
        Some(tg) => forward(&tg),
        None => json!([{
            "Type": "fixed-response",
            "FixedResponseConfig": { "StatusCode": "404", "ContentType": "text/plain", "MessageBody": "not found" }
        }]),
    };

    let mut forwarding = Vec::new();
    let http_actions = if https && lb.redirect_http {
        json!([{
            "Type": "redirect",
            "RedirectConfig": { "Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301" }
        }])
    } else {
        default_actions.clone()
    };
    let http = cx.add(
        owner,
        "listener-http",
        "AWS::ElasticLoadBalancingV2::Listener",
        None,
        json!({
            "LoadBalancerArn": reference(&alb, "Arn"),
            "Port": 80,
            "Protocol": "HTTP",
            "DefaultActions": http_actions,
        }),
    );
    if !(https && lb.redirect_http) {
        forwarding.push(("http", http));
    }
    if let Some(cert) = lb.certificate {
        let listener = cx.add(
            owner,
            "listener-https",
            "AWS::ElasticLoadBalancingV2::Listener",
            None,
            json!({
                "LoadBalancerArn": reference(&alb, "Arn"),
                "Port": 443,
                "Protocol": "HTTPS",
                "SslPolicy": SSL_POLICY,
                "Certificates": [{ "CertificateArn": reference(&format!("{cert}/certificate"), "Arn") }],
                "DefaultActions": default_actions,
            }),
        );
        // Never an HTTPS listener before its certificate is issued.
        cx.depend(&listener, &format!("{cert}/validation"));
        forwarding.push(("https", listener));
    }

    // What forwards to each target group, for the services to wait for.
    let mut attachments: Vec<Attachment> = groups
        .iter()
        .map(|(target, tg)| Attachment {
            container: target.to_string(),
            target_group: tg.clone(),
            forwarders: Vec::new(),
        })
        .collect();
    for (_, listener) in &forwarding {
        if let Some(target) = lb.target {
            if let Some(a) = attachments.iter_mut().find(|a| a.container == target) {
                a.forwarders.push(listener.clone());
            }
        }
    }
    for (scheme, listener) in &forwarding {
        for (i, route) in lb.routes.iter().enumerate() {
            let Some(tg) = group_of(route.target) else {
                continue;
            };
            let mut conditions = Vec::new();
            if let Some(path) = route.path {
                conditions.push(
                    json!({ "Field": "path-pattern", "PathPatternConfig": { "Values": [path] } }),
                );
            }
            if let Some(host) = route.host {
                conditions.push(json!({ "Field": "host-header", "HostHeaderConfig": { "Values": [dns::normalize(host)] } }));
            }
            let rule = cx.add(
                owner,
                &format!("rule-{scheme}-{}", i + 1),
                "AWS::ElasticLoadBalancingV2::ListenerRule",
                None,
                json!({
                    "ListenerArn": reference(listener, "Arn"),
                    "Priority": i + 1,
                    "Conditions": conditions,
                    "Actions": forward(&tg),
                }),
            );
            if let Some(a) = attachments.iter_mut().find(|a| a.container == route.target) {
                a.forwarders.push(rule);
            }
        }
    }

    // Alias records in the certificate's zone (rule E0404: domains need a certificate).
    if let Some(cert) = lb.certificate {
        let zone = format!("{cert}/zone");
        for domain in &lb.domains {
            let domain = dns::normalize(domain);
            cx.add(
                owner,
                &format!("alias/{domain}"),
                "AWS::Route53::RecordSet",
                None,
                json!({
                    "HostedZoneId": reference(&zone, "Id"),
                    "Name": domain,
                    "Type": "A",
                    "AliasTarget": {
                        "DNSName": reference(&alb, "DNSName"),
                        "HostedZoneId": reference(&alb, "CanonicalHostedZoneID"),
                        "EvaluateTargetHealth": true,
                    },
                }),
            );
        }
    }
    attachments
}
