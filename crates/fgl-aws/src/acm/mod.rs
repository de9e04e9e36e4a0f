//! ACM: certificates, and the wait until a certificate is ISSUED (`fgl::CertificateValidation`).
//!
//! The service's dispatch: one module per resource kind, each with `KIND`, `spec`, `discover`,
//! `read`, `create`, `update` and `delete`.

pub(crate) mod certificate;
pub(crate) mod validation;

use aws_sdk_acm::types::CertificateDetail;
use aws_sdk_acm::Client;
use fgl_plan::{KindSpec, Live, ProviderError, Resolved};

use crate::clients::Clients;
use crate::error::{code_of, sdk, unsupported};

pub(crate) fn spec(kind: &str) -> Option<KindSpec> {
    Some(match kind {
        certificate::KIND => certificate::spec(),
        validation::KIND => validation::spec(),
        _ => return None,
    })
}

/// Every certificate tagged `fgl:stack=<stack>`. Validations are wait steps with nothing to
/// discover: their certificate is.
pub(crate) async fn discover(c: &Clients, stack: &str) -> Result<Vec<Live>, ProviderError> {
    certificate::discover(&c.acm, stack).await
}

pub(crate) async fn read(c: &Clients, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    match node.kind.as_str() {
        certificate::KIND => certificate::read(&c.acm, node).await,
        validation::KIND => validation::read(&c.acm, node).await,
        other => Err(unsupported(other)),
    }
}

pub(crate) async fn create(c: &Clients, node: &Resolved) -> Result<Live, ProviderError> {
    match node.kind.as_str() {
        certificate::KIND => certificate::create(&c.acm, node).await,
        validation::KIND => validation::create(&c.acm, node).await,
        other => Err(unsupported(other)),
    }
}

pub(crate) async fn update(
    c: &Clients,
    node: &Resolved,
    live: &Live,
    fields: &[String],
) -> Result<Live, ProviderError> {
    match node.kind.as_str() {
        certificate::KIND => certificate::update(&c.acm, node, live, fields).await,
        validation::KIND => validation::update(&c.acm, node, live, fields).await,
        other => Err(unsupported(other)),
    }
}

pub(crate) async fn delete(c: &Clients, live: &Live) -> Result<(), ProviderError> {
    match live.kind.as_str() {
        certificate::KIND => certificate::delete(&c.acm, live).await,
        validation::KIND => Ok(()),
        other => Err(unsupported(other)),
    }
}

/// DescribeCertificate; `None` when the certificate does not exist (any more).
pub(crate) async fn describe(
    client: &Client,
    label: &str,
    arn: &str,
) -> Result<Option<CertificateDetail>, ProviderError> {
    match client
        .describe_certificate()
        .certificate_arn(arn)
        .send()
        .await
    {
        Ok(out) => Ok(out.certificate().cloned()),
        Err(e) if code_of(&e) == Some("ResourceNotFoundException") => Ok(None),
        Err(e) => Err(sdk(label, "DescribeCertificate", e)),
    }
}
