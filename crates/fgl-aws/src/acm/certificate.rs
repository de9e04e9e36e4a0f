//! `AWS::CertificateManager::Certificate`: RequestCertificate (tagged, with an idempotency
//! token), DeleteCertificate. Every field is create-only: a change requests a new certificate.
//! Certificates have no unique name, so a node's certificate is the one for its domain tagged
//! with its stack and logical id.

use std::time::Duration;

use aws_sdk_acm::types::{
    CertificateDetail, CertificateSummary, Filters, KeyAlgorithm, Tag, ValidationMethod,
};
use aws_sdk_acm::Client;
use fgl_plan::{KindSpec, Live, ProviderError, Resolved, STACK_TAG};
use serde_json::{json, Map, Value};

use super::describe;
use crate::error::{code_of, sdk};
use crate::tags;

pub(crate) const KIND: &str = "AWS::CertificateManager::Certificate";

/// How long ACM may take to show the DNS validation records of a new certificate.
const RECORD_POLLS: u32 = 30;
const RECORD_POLL_INTERVAL: Duration = Duration::from_secs(2);
/// How many times a just-requested certificate is looked for before fgl concludes ACM
/// answered with a deleted one.
const VISIBLE_POLLS: u32 = 4;
/// How many idempotency tokens to try when ACM answers with deleted certificates.
const TOKEN_GENERATIONS: u32 = 3;

pub(crate) fn spec() -> KindSpec {
    KindSpec {
        create_only: vec![
            "DomainName".into(),
            "ValidationMethod".into(),
            "KeyAlgorithm".into(),
            "SubjectAlternativeNames".into(),
        ],
        defaults: vec![("KeyAlgorithm".into(), json!("RSA_2048"))],
        unordered: vec!["SubjectAlternativeNames".into()],
        ..KindSpec::default()
    }
}

/// The certificate for the node's domain tagged with its stack and logical id. Others for
/// the same domain are not in the way (a domain may have any number of certificates).
pub(crate) async fn read(client: &Client, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    let domain = domain_of(&label, node)?;
    for summary in list(client, &label).await? {
        if summary.domain_name() != Some(domain) {
            continue;
        }
        let Some(arn) = summary.certificate_arn() else {
            continue;
        };
        let tags = tags_of(client, &label, arn).await?;
        if tags::is_node(&tags, node) {
            return with_records(client, &label, arn, tags).await;
        }
    }
    Ok(None)
}

/// Every certificate tagged `fgl:stack=<stack>` (one ListTagsForCertificate per certificate:
/// ACM has no tag filter). Also returns their details, for the snapshot.
pub(crate) async fn discover(
    client: &Client,
    stack: &str,
) -> Result<(Vec<Live>, Vec<CertificateDetail>), ProviderError> {
    let label = format!("{KIND} (stack {stack})");
    let mut out = Vec::new();
    let mut details = Vec::new();
    for summary in list(client, &label).await? {
        let Some(arn) = summary.certificate_arn() else {
            continue;
        };
        let tags = tags_of(client, &label, arn).await?;
        if tags.get(STACK_TAG).and_then(Value::as_str) != Some(stack) {
            continue;
        }
        if let Some(detail) = describe(client, &label, arn).await? {
            out.push(live(&label, &detail, tags)?);
            details.push(detail);
        }
    }
    Ok((out, details))
}

/// Requests the certificate, tagged, with an idempotency token derived from the stack, the
/// logical id and the properties: a retried or interrupted request returns the same
/// certificate (for an hour; after that `read` finds it by its tags), while a replacement with
/// other properties gets a new one. Returns once ACM shows the validation records.
pub(crate) async fn create(client: &Client, node: &Resolved) -> Result<Live, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    if let Some(existing) = read(client, node).await? {
        return Ok(existing);
    }
    for generation in 0..TOKEN_GENERATIONS {
        let arn = request(client, &label, node, generation).await?;
        if let Some(live) = visible(client, &label, &arn).await? {
            return Ok(live);
        }
        // ACM answered with a certificate deleted within the hour (a destroy, then an apply
        // again): it keeps answering the token with it, so ask under the next one.
    }
    Err(ProviderError::hard(format!(
        "{label}: RequestCertificate keeps returning deleted certificates; try again in an hour"
    )))
}

/// RequestCertificate under the token of `generation`; the ARN ACM answers.
async fn request(
    client: &Client,
    label: &str,
    node: &Resolved,
    generation: u32,
) -> Result<String, ProviderError> {
    let p = &node.properties;
    let tags = tags::desired(node)
        .into_iter()
        .map(|(k, v)| acm_tag(label, &k, Some(&v)))
        .collect::<Result<Vec<Tag>, _>>()?;
    let sans: Vec<String> = p
        .get("SubjectAlternativeNames")
        .and_then(Value::as_array)
        .map(|v| {
            v.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let out = client
        .request_certificate()
        .domain_name(domain_of(label, node)?)
        .set_validation_method(
            p.get("ValidationMethod")
                .and_then(Value::as_str)
                .map(ValidationMethod::from),
        )
        .set_key_algorithm(
            p.get("KeyAlgorithm")
                .and_then(Value::as_str)
                .map(KeyAlgorithm::from),
        )
        .set_subject_alternative_names((!sans.is_empty()).then_some(sans))
        .idempotency_token(idempotency_token(node, generation))
        .set_tags(Some(tags))
        .send()
        .await
        .map_err(|e| sdk(label, "RequestCertificate", e))?;
    out.certificate_arn()
        .map(str::to_string)
        .ok_or_else(|| ProviderError::hard(format!("{label}: RequestCertificate returned no ARN")))
}

/// The requested certificate once DescribeCertificate shows it (a new one may take a moment
/// to be visible); `None` when it never does: it was deleted.
async fn visible(client: &Client, label: &str, arn: &str) -> Result<Option<Live>, ProviderError> {
    for _ in 0..VISIBLE_POLLS {
        if describe(client, label, arn).await?.is_some() {
            let tags = tags_of(client, label, arn).await?;
            return with_records(client, label, arn, tags).await;
        }
        tokio::time::sleep(RECORD_POLL_INTERVAL).await;
    }
    Ok(None)
}

/// Only tags change in place: every property is create-only.
pub(crate) async fn update(
    client: &Client,
    node: &Resolved,
    live_cert: &Live,
    fields: &[String],
) -> Result<Live, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    let arn = live_cert.physical_id.as_str();
    if let Some(field) = fields.iter().find(|f| !tags::is_tag(f)) {
        return Err(ProviderError::hard(format!(
            "{label}: `{field}` cannot be changed in place"
        )));
    }
    let changes = tags::changes(node, fields);
    let add = (changes.set.iter())
        .map(|(k, v)| acm_tag(&label, k, Some(v)))
        .collect::<Result<Vec<_>, _>>()?;
    let remove = (changes.unset.iter())
        .map(|k| acm_tag(&label, k, None))
        .collect::<Result<Vec<_>, _>>()?;
    if !add.is_empty() {
        client
            .add_tags_to_certificate()
            .certificate_arn(arn)
            .set_tags(Some(add))
            .send()
            .await
            .map_err(|e| sdk(&label, "AddTagsToCertificate", e))?;
    }
    if !remove.is_empty() {
        client
            .remove_tags_from_certificate()
            .certificate_arn(arn)
            .set_tags(Some(remove))
            .send()
            .await
            .map_err(|e| sdk(&label, "RemoveTagsFromCertificate", e))?;
    }
    let tags = tags_of(client, &label, arn).await?;
    with_records(client, &label, arn, tags)
        .await?
        .ok_or_else(|| ProviderError::hard(format!("{label}: {arn} no longer exists")))
}

/// Deletes the certificate; one already gone is success. One still attached to a listener
/// being deleted fails with ResourceInUseException, which is retryable.
pub(crate) async fn delete(client: &Client, live_cert: &Live) -> Result<(), ProviderError> {
    let label = format!("{KIND} {}", live_cert.id);
    match client
        .delete_certificate()
        .certificate_arn(&live_cert.physical_id)
        .send()
        .await
    {
        Ok(_) => Ok(()),
        Err(e) if code_of(&e) == Some("ResourceNotFoundException") => Ok(()),
        Err(e) => Err(sdk(&label, "DeleteCertificate", e)),
    }
}

/// An ACM tag (a value of `None` matches any, for removal).
fn acm_tag(label: &str, key: &str, value: Option<&str>) -> Result<Tag, ProviderError> {
    Tag::builder()
        .key(key)
        .set_value(value.map(str::to_string))
        .build()
        .map_err(|e| ProviderError::hard(format!("{label}: tag {key}: {e}")))
}

fn domain_of<'a>(label: &str, node: &'a Resolved) -> Result<&'a str, ProviderError> {
    node.properties
        .get("DomainName")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            ProviderError::hard(format!("{label}: DomainName is missing or not a string"))
        })
}

/// ≤32 alphanumerics, as ACM requires: two 64-bit FNV-1a hashes, in hex, of the stack, the
/// logical id, the properties and the generation.
fn idempotency_token(node: &Resolved, generation: u32) -> String {
    let input = format!(
        "{}\n{}\n{}\n{generation}",
        node.stack,
        node.id,
        Value::Object(node.properties.clone())
    );
    let fnv = |seed: u64| {
        input.bytes().fold(seed, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    };
    format!(
        "{:016x}{:016x}",
        fnv(0xcbf2_9ce4_8422_2325),
        fnv(0x84222325_cbf29ce4)
    )
}

/// Every certificate of the account and region, of every key type (ListCertificates only
/// lists RSA-2048 ones unless asked).
async fn list(client: &Client, label: &str) -> Result<Vec<CertificateSummary>, ProviderError> {
    let key_types = KeyAlgorithm::values()
        .iter()
        .map(|k| KeyAlgorithm::from(*k))
        .collect();
    let mut pages = client
        .list_certificates()
        .includes(Filters::builder().set_key_types(Some(key_types)).build())
        .into_paginator()
        .items()
        .send();
    let mut out = Vec::new();
    while let Some(item) = pages.next().await {
        out.push(item.map_err(|e| sdk(label, "ListCertificates", e))?);
    }
    Ok(out)
}

async fn tags_of(
    client: &Client,
    label: &str,
    arn: &str,
) -> Result<Map<String, Value>, ProviderError> {
    let out = client
        .list_tags_for_certificate()
        .certificate_arn(arn)
        .send()
        .await
        .map_err(|e| sdk(label, "ListTagsForCertificate", e))?;
    Ok(tags::to_map(
        out.tags()
            .iter()
            .map(|t| (t.key(), t.value().unwrap_or(""))),
    ))
}

/// The certificate once ACM shows every DNS validation record (polled, bounded): the
/// validation records reference them. `None` when it does not exist.
async fn with_records(
    client: &Client,
    label: &str,
    arn: &str,
    tags: Map<String, Value>,
) -> Result<Option<Live>, ProviderError> {
    for _ in 0..RECORD_POLLS {
        let Some(detail) = describe(client, label, arn).await? else {
            return Ok(None);
        };
        let options = detail.domain_validation_options();
        let is_dns = detail
            .domain_validation_options()
            .iter()
            .all(|o| o.validation_method() == Some(&ValidationMethod::Dns));
        if !is_dns || (!options.is_empty() && options.iter().all(|o| o.resource_record().is_some()))
        {
            return live(label, &detail, tags).map(Some);
        }
        tokio::time::sleep(RECORD_POLL_INTERVAL).await;
    }
    Err(ProviderError::retryable(format!(
        "{label}: ACM has not shown the DNS validation records of {arn} yet"
    )))
}

/// A certificate as the engine sees it, with `ValidationRecord(<domain>).Name`/`.Value`
/// attributes for each domain validated (`*.a.com` is validated as `a.com`).
fn live(
    label: &str,
    detail: &CertificateDetail,
    tags: Map<String, Value>,
) -> Result<Live, ProviderError> {
    let arn = detail
        .certificate_arn()
        .map(str::to_string)
        .ok_or_else(|| {
            ProviderError::hard(format!(
                "{label}: AWS returned a certificate without an ARN"
            ))
        })?;
    let domain = detail.domain_name().unwrap_or_default();
    let mut p = Map::new();
    p.insert("DomainName".into(), json!(domain));
    if let Some(method) = detail
        .domain_validation_options()
        .iter()
        .find_map(|o| o.validation_method())
    {
        p.insert("ValidationMethod".into(), json!(method.as_str()));
    }
    if let Some(algorithm) = detail.key_algorithm() {
        // Described as `RSA-2048`, requested as `RSA_2048`.
        p.insert(
            "KeyAlgorithm".into(),
            json!(algorithm.as_str().replace('-', "_")),
        );
    }
    // ACM lists the domain name itself among the alternative names; fgl does not.
    let sans: Vec<&str> = detail
        .subject_alternative_names()
        .iter()
        .map(String::as_str)
        .filter(|s| *s != domain)
        .collect();
    if !sans.is_empty() {
        p.insert("SubjectAlternativeNames".into(), json!(sans));
    }
    let mut attrs = Map::new();
    attrs.insert("Arn".into(), json!(arn));
    for option in detail.domain_validation_options() {
        let Some(record) = option.resource_record() else {
            continue;
        };
        let d = option.domain_name();
        let d = d.strip_prefix("*.").unwrap_or(d);
        attrs.insert(format!("ValidationRecord({d}).Name"), json!(record.name()));
        attrs.insert(
            format!("ValidationRecord({d}).Value"),
            json!(record.value()),
        );
    }
    let id = crate::tags::logical_id(&tags, &arn);
    Ok(Live {
        id,
        kind: KIND.to_string(),
        physical_id: arn,
        properties: p,
        tags,
        attrs,
        depends_on: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(domain: &str) -> Resolved {
        Resolved {
            stack: "shop".into(),
            id: "cert/certificate".into(),
            kind: KIND.into(),
            name: None,
            lookup: false,
            properties: json!({"DomainName": domain})
                .as_object()
                .cloned()
                .unwrap_or_default(),
            tags: Map::new(),
        }
    }

    #[test]
    fn idempotency_tokens_are_stable_short_alphanumerics() {
        let token = idempotency_token(&node("shop.example.com"), 0);
        assert_eq!(token.len(), 32);
        assert!(token.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_eq!(token, idempotency_token(&node("shop.example.com"), 0));
        // A replacement (other properties) and a later generation get other certificates.
        assert_ne!(token, idempotency_token(&node("www.example.com"), 0));
        assert_ne!(token, idempotency_token(&node("shop.example.com"), 1));
    }
}
