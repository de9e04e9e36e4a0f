//! `AWS::ElasticLoadBalancingV2::Listener`: CreateListener (tagged), ModifyListener,
//! DeleteListener. A load balancer has at most one listener per port, so a node's listener is
//! the one on its port of its load balancer.

use aws_sdk_elasticloadbalancingv2::types::{Certificate, Listener, ProtocolEnum};
use aws_sdk_elasticloadbalancingv2::Client;
use fgl_plan::{KindSpec, Live, ProviderError, Resolved};
use serde_json::{json, Map, Value};

use super::{
    actions, creation_tags, described, in_place, is_node, logical_id, opt_i32, owned, req_str,
    tags_of,
};
use crate::error::{code_of, gone_is_ok, sdk};

pub(crate) const KIND: &str = "AWS::ElasticLoadBalancingV2::Listener";

/// The listener's settings (`MODIFIABLE`) from the properties `$p`, on CreateListener's or
/// ModifyListener's builder (same setters, unrelated types).
macro_rules! with_settings {
    ($call:expr, $label:expr, $p:expr) => {{
        let p: &Map<String, Value> = $p;
        let s = |k: &str| p.get(k).and_then(Value::as_str);
        $call
            .set_port(opt_i32(p, "Port"))
            .set_protocol(s("Protocol").map(ProtocolEnum::from))
            .set_ssl_policy(s("SslPolicy").map(str::to_string))
            .set_certificates(certificates(p))
            .set_default_actions(Some(actions::to_sdk($label, p.get("DefaultActions"))?))
    }};
}

/// What ModifyListener changes.
const MODIFIABLE: &[&str] = &[
    "Port",
    "Protocol",
    "SslPolicy",
    "Certificates",
    "DefaultActions",
];

pub(crate) fn spec() -> KindSpec {
    KindSpec {
        create_only: vec!["LoadBalancerArn".into()],
        // ELB numbers actions itself; the list order is what counts.
        ignore: vec!["DefaultActions.*.Order".into()],
        ..KindSpec::default()
    }
}

/// The listener on the node's port of its load balancer, whoever owns it.
pub(crate) async fn read(client: &Client, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    match find(client, &label, node).await? {
        Some(l) => with_tags(client, &label, &l).await.map(Some),
        None => Ok(None),
    }
}

/// Every listener tagged `fgl:stack=<stack>` on the stack's load balancers `lb_arns`.
pub(crate) async fn discover(
    client: &Client,
    stack: &str,
    lb_arns: &[String],
) -> Result<Vec<Live>, ProviderError> {
    let label = format!("{KIND} (stack {stack})");
    let mut all = Vec::new();
    for lb in lb_arns {
        all.extend(on_load_balancer(client, &label, lb).await?);
    }
    let arns: Vec<String> = all
        .iter()
        .filter_map(|l| l.listener_arn().map(str::to_string))
        .collect();
    let mut tags = tags_of(client, &label, &arns).await?;
    let mut out = Vec::new();
    for l in &all {
        let l_tags = tags.remove(&arn_of(&label, l)?).unwrap_or_default();
        if owned(&l_tags, stack) {
            out.push(live(&label, l, l_tags)?);
        }
    }
    Ok(out)
}

/// Creates the listener, or adopts the one an earlier attempt made.
pub(crate) async fn create(client: &Client, node: &Resolved) -> Result<Live, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    if let Some(l) = find(client, &label, node).await? {
        let existing = with_tags(client, &label, &l).await?;
        if is_node(&existing.tags, node) {
            return Ok(existing);
        }
        return Err(ProviderError::hard(format!(
            "{label}: the load balancer already has a listener on this port that is not this stack's"
        )));
    }
    let p = &node.properties;
    let call = client
        .create_listener()
        .load_balancer_arn(req_str(&label, p, "LoadBalancerArn")?);
    let out = with_settings!(call, &label, p)
        .set_tags(Some(creation_tags(node)))
        .send()
        .await
        .map_err(|e| sdk(&label, "CreateListener", e))?;
    let l = out.listeners().first().ok_or_else(|| {
        ProviderError::hard(format!("{label}: CreateListener returned no listener"))
    })?;
    with_tags(client, &label, l).await
}

/// Changes port, protocol, TLS policy, certificates and default actions (one ModifyListener
/// call with all of them) and tags.
pub(crate) async fn update(
    client: &Client,
    node: &Resolved,
    live_l: &Live,
    fields: &[String],
) -> Result<Live, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    let arn = live_l.physical_id.as_str();
    let [modify] = in_place(&label, fields, [MODIFIABLE])?;
    if modify {
        let call = client.modify_listener().listener_arn(arn);
        with_settings!(call, &label, &node.properties)
            .send()
            .await
            .map_err(|e| sdk(&label, "ModifyListener", e))?;
    }
    super::update_tags(client, &label, arn, node, fields).await?;
    let call = "DescribeListeners";
    let out = client.describe_listeners().listener_arns(arn).send().await;
    let out = out.map_err(|e| sdk(&label, call, e))?;
    with_tags(
        client,
        &label,
        described(&label, call, arn, out.listeners())?,
    )
    .await
}

/// Deletes the listener (its rules go with it); one already gone is success.
pub(crate) async fn delete(client: &Client, live_l: &Live) -> Result<(), ProviderError> {
    let label = format!("{KIND} {}", live_l.id);
    let result = (client.delete_listener())
        .listener_arn(&live_l.physical_id)
        .send()
        .await;
    gone_is_ok(&label, "DeleteListener", &["ListenerNotFound"], result)
}

fn certificates(p: &Map<String, Value>) -> Option<Vec<Certificate>> {
    let items = p.get("Certificates")?.as_array()?;
    Some(
        items
            .iter()
            .map(|c| {
                Certificate::builder()
                    .set_certificate_arn(
                        c.get("CertificateArn")
                            .and_then(Value::as_str)
                            .map(str::to_string),
                    )
                    .build()
            })
            .collect(),
    )
}

/// The listener on the node's port; a load balancer that is gone has none.
async fn find(
    client: &Client,
    label: &str,
    node: &Resolved,
) -> Result<Option<Listener>, ProviderError> {
    let lb = req_str(label, &node.properties, "LoadBalancerArn")?;
    let port = opt_i32(&node.properties, "Port");
    let all = on_load_balancer(client, label, lb).await?;
    Ok(all.into_iter().find(|l| l.port() == port))
}

/// Every listener of a load balancer (none when the load balancer is gone).
async fn on_load_balancer(
    client: &Client,
    label: &str,
    lb_arn: &str,
) -> Result<Vec<Listener>, ProviderError> {
    let mut pages = client
        .describe_listeners()
        .load_balancer_arn(lb_arn)
        .into_paginator()
        .send();
    let mut out = Vec::new();
    while let Some(page) = pages.next().await {
        match page {
            Ok(page) => out.extend(page.listeners().iter().cloned()),
            Err(e) if code_of(&e) == Some("LoadBalancerNotFound") => return Ok(Vec::new()),
            Err(e) => return Err(sdk(label, "DescribeListeners", e)),
        }
    }
    Ok(out)
}

async fn with_tags(client: &Client, label: &str, l: &Listener) -> Result<Live, ProviderError> {
    let arn = arn_of(label, l)?;
    let tags = super::tags_of_one(client, label, &arn).await?;
    live(label, l, tags)
}

fn arn_of(label: &str, l: &Listener) -> Result<String, ProviderError> {
    l.listener_arn().map(str::to_string).ok_or_else(|| {
        ProviderError::hard(format!("{label}: AWS returned a listener without an ARN"))
    })
}

/// A listener as the engine sees it.
fn live(label: &str, l: &Listener, tags: Map<String, Value>) -> Result<Live, ProviderError> {
    let arn = arn_of(label, l)?;
    let mut p = Map::new();
    p.insert("LoadBalancerArn".into(), json!(l.load_balancer_arn()));
    p.insert("Port".into(), json!(l.port()));
    p.insert("Protocol".into(), json!(l.protocol().map(|x| x.as_str())));
    // Only TLS listeners have a policy (moto reports its default on plain HTTP ones too).
    let is_tls = matches!(l.protocol(), Some(ProtocolEnum::Https | ProtocolEnum::Tls));
    if let (Some(policy), true) = (l.ssl_policy(), is_tls) {
        p.insert("SslPolicy".into(), json!(policy));
    }
    let certs: Vec<Value> = l
        .certificates()
        .iter()
        .filter_map(|c| c.certificate_arn())
        .map(|arn| json!({ "CertificateArn": arn }))
        .collect();
    if !certs.is_empty() {
        p.insert("Certificates".into(), Value::Array(certs));
    }
    p.insert(
        "DefaultActions".into(),
        actions::to_json(l.default_actions()),
    );
    let mut attrs = Map::new();
    attrs.insert("Arn".into(), json!(arn));
    attrs.insert("ListenerArn".into(), json!(arn));
    Ok(Live {
        id: logical_id(&tags, &arn),
        kind: KIND.to_string(),
        physical_id: arn,
        properties: p,
        tags,
        attrs,
        depends_on: Vec::new(),
    })
}
