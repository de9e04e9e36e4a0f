//! `fgl::CertificateValidation`: not an AWS resource but a wait step, done when the
//! certificate is ISSUED. It exists (for the engine) exactly when the certificate is issued;
//! creating it waits for that; deleting it does nothing.

use std::time::{Duration, Instant};

use aws_sdk_acm::types::{CertificateDetail, CertificateStatus};
use aws_sdk_acm::Client;
use fgl_plan::{KindSpec, Live, ProviderError, Resolved, ID_TAG, STACK_TAG};
use serde_json::{json, Map, Value};

use super::describe;

pub(crate) const KIND: &str = "fgl::CertificateValidation";

/// How long DNS validation may take. ACM usually issues within minutes of the record being
/// served; beyond this, the record is almost certainly not where ACM looks.
const WAIT_LIMIT: Duration = Duration::from_secs(45 * 60);
const FIRST_POLL: Duration = Duration::from_secs(2);
const MAX_POLL: Duration = Duration::from_secs(30);

pub(crate) fn spec() -> KindSpec {
    KindSpec {
        create_only: vec!["CertificateArn".into(), "WaitFor".into()],
        ..KindSpec::default()
    }
}

/// The step as done when the certificate is ISSUED, else `None`.
pub(crate) async fn read(client: &Client, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    let arn = certificate_arn(&label, node)?;
    Ok(of_certificate(
        node,
        arn,
        describe(client, &label, arn).await?.as_ref(),
    ))
}

/// The step, given the detail of its certificate `arn` (`None`: no such certificate): what
/// `read` and the snapshot answer.
pub(crate) fn of_certificate(
    node: &Resolved,
    arn: &str,
    detail: Option<&CertificateDetail>,
) -> Option<Live> {
    let issued = detail.is_some_and(|d| d.status() == Some(&CertificateStatus::Issued));
    issued.then(|| done(node, arn))
}

/// Waits, polling with backoff, until the certificate is ISSUED. A failed, timed-out or
/// revoked validation is a hard error with ACM's reason; so is the wait running out.
pub(crate) async fn create(client: &Client, node: &Resolved) -> Result<Live, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    let arn = certificate_arn(&label, node)?;
    let started = Instant::now();
    let mut pause = FIRST_POLL;
    loop {
        let detail = describe(client, &label, arn).await?.ok_or_else(|| {
            ProviderError::hard(format!("{label}: certificate {arn} does not exist"))
        })?;
        match detail.status() {
            Some(CertificateStatus::Issued) => return Ok(done(node, arn)),
            Some(
                status @ (CertificateStatus::Failed
                | CertificateStatus::ValidationTimedOut
                | CertificateStatus::Revoked),
            ) => {
                let reason = detail
                    .failure_reason()
                    .map(|r| r.as_str().to_string())
                    .unwrap_or_else(|| "no reason given".into());
                return Err(ProviderError::hard(format!(
                    "{label}: certificate {arn} is {}: {reason}",
                    status.as_str()
                )));
            }
            _ => {}
        }
        if started.elapsed() >= WAIT_LIMIT {
            return Err(ProviderError::hard(format!(
                "{label}: certificate {arn} not issued after {} minutes: the DNS validation \
                 record must be in the hosted zone that serves the domain (check the domain's \
                 NS delegation)",
                WAIT_LIMIT.as_secs() / 60
            )));
        }
        tokio::time::sleep(pause).await;
        pause = (pause * 3 / 2).min(MAX_POLL);
    }
}

/// A new certificate (the only change there can be) means waiting again.
pub(crate) async fn update(
    client: &Client,
    node: &Resolved,
    _live: &Live,
    _fields: &[String],
) -> Result<Live, ProviderError> {
    create(client, node).await
}

/// Nothing to delete: the step is only a wait.
pub(crate) async fn delete(_client: &Client, _live: &Live) -> Result<(), ProviderError> {
    Ok(())
}

fn certificate_arn<'a>(label: &str, node: &'a Resolved) -> Result<&'a str, ProviderError> {
    node.properties
        .get("CertificateArn")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            ProviderError::hard(format!(
                "{label}: CertificateArn is missing or not a string"
            ))
        })
}

/// The done step: the node itself, owned by its stack.
fn done(node: &Resolved, arn: &str) -> Live {
    let mut tags = Map::new();
    tags.insert(STACK_TAG.into(), json!(node.stack));
    tags.insert(ID_TAG.into(), json!(node.id));
    Live {
        id: node.id.clone(),
        kind: KIND.to_string(),
        physical_id: arn.to_string(),
        properties: node.properties.clone(),
        tags,
        attrs: Map::new(),
        depends_on: Vec::new(),
    }
}
