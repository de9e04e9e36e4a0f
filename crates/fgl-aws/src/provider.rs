//! `AwsProvider`: the engine's `Provider` on the AWS SDK, dispatching by node kind to one
//! module per resource type.

use aws_config::{BehaviorVersion, SdkConfig};
use fgl_lower::Node;
use fgl_plan::{Context, KindSpec, Live, Provider, ProviderError, Resolved};

use crate::ec2::vpc;
use crate::error::unsupported;

/// The AWS provider. Cheap to share: the SDK clients are handles to one connection pool.
#[derive(Clone, Debug)]
pub struct AwsProvider {
    ec2: aws_sdk_ec2::Client,
}

impl AwsProvider {
    /// A provider on an explicit SDK configuration (the tests point one at the emulator).
    pub fn new(config: &SdkConfig) -> Self {
        Self {
            ec2: aws_sdk_ec2::Client::new(config),
        }
    }

    /// A provider on the standard AWS configuration chain: profiles, SSO, environment
    /// variables (credentials, `AWS_REGION`, `AWS_ENDPOINT_URL`).
    pub async fn from_env() -> Self {
        Self::new(&aws_config::defaults(BehaviorVersion::latest()).load().await)
    }
}

impl Provider for AwsProvider {
    fn spec(&self, kind: &str) -> KindSpec {
        match kind {
            vpc::KIND => vpc::spec(),
            _ => KindSpec::default(),
        }
    }

    async fn context(&self) -> Result<Context, ProviderError> {
        // The account id needs STS, whose SDK crate comes with the next resource kinds.
        Err(ProviderError::hard(
            "not supported yet: the apply context (account, region, zones)",
        ))
    }

    async fn discover(&self, stack: &str) -> Result<Vec<Live>, ProviderError> {
        // One listing per supported kind; the others join as they are implemented.
        vpc::discover(&self.ec2, stack).await
    }

    async fn read(&self, node: &Node) -> Result<Option<Live>, ProviderError> {
        match node.kind.as_str() {
            vpc::KIND => vpc::read(&self.ec2, node).await,
            other => Err(unsupported(other)),
        }
    }

    async fn create(&self, node: &Resolved) -> Result<Live, ProviderError> {
        match node.kind.as_str() {
            vpc::KIND => vpc::create(&self.ec2, node).await,
            other => Err(unsupported(other)),
        }
    }

    async fn update(
        &self,
        node: &Resolved,
        live: &Live,
        fields: &[String],
    ) -> Result<Live, ProviderError> {
        match node.kind.as_str() {
            vpc::KIND => vpc::update(&self.ec2, node, live, fields).await,
            other => Err(unsupported(other)),
        }
    }

    async fn delete(&self, live: &Live) -> Result<(), ProviderError> {
        match live.kind.as_str() {
            vpc::KIND => vpc::delete(&self.ec2, live).await,
            other => Err(unsupported(other)),
        }
    }
}
