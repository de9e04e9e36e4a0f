//! ACM: certificates, and the wait until a certificate is ISSUED (`fgl::CertificateValidation`).
//!
//! One module per resource kind, dispatched by `crate::dispatch::kinds!`; the service's own
//! `discover` lists them all.

pub(crate) mod certificate;
pub(crate) mod validation;

use aws_sdk_acm::types::CertificateDetail;
use aws_sdk_acm::Client;
use fgl_plan::{Live, ProviderError};

use crate::clients::Clients;
use crate::error::{code_of, sdk};
use crate::snapshot::Generation;

crate::dispatch::kinds!(acm: certificate, validation);

/// Every certificate tagged `fgl:stack=<stack>`. Validations are wait steps with nothing to
/// discover: their certificate is.
/// Their details go to the snapshot, for the validations' reads.
pub(crate) async fn discover(
    c: &Clients,
    stack: &str,
    g: Generation,
) -> Result<Vec<Live>, ProviderError> {
    let (certificates, details) = certificate::discover(&c.acm, stack).await?;
    c.snapshot.record(g, |l| {
        l.certificates = details
            .into_iter()
            .filter_map(|d| Some((d.certificate_arn()?.to_string(), d)))
            .collect();
    });
    Ok(certificates)
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
