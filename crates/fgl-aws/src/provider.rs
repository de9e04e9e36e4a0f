//! `AwsProvider`: the engine's `Provider` on the AWS SDK. It dispatches by the node's kind to
//! one module per AWS service (`ec2`, `ecs`, …), each with one module per resource kind.

use aws_config::{BehaviorVersion, SdkConfig};
use fgl_plan::{Context, KindSpec, Live, Provider, ProviderError, Resolved};

use crate::calls::CallLog;
use crate::clients::Clients;
use crate::error::unsupported;
use crate::{acm, context, ec2, ecs, elbv2, iam, logs, route53, ssm};

/// The AWS provider. Cheap to share: the SDK clients are handles to one connection pool.
#[derive(Clone, Debug)]
pub struct AwsProvider {
    pub(crate) clients: Clients,
}

/// The AWS service module that handles a kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Service {
    Ec2,
    Ecs,
    Logs,
    Iam,
    Elb,
    Acm,
    Route53,
    Ssm,
}

fn service(kind: &str) -> Option<Service> {
    let prefix = |p: &str| kind.starts_with(p);
    Some(if prefix("AWS::EC2::") {
        Service::Ec2
    } else if prefix("AWS::ECS::") {
        Service::Ecs
    } else if prefix("AWS::Logs::") {
        Service::Logs
    } else if prefix("AWS::IAM::") {
        Service::Iam
    } else if prefix("AWS::ElasticLoadBalancingV2::") {
        Service::Elb
    } else if prefix("AWS::CertificateManager::") || kind == acm::validation::KIND {
        Service::Acm
    } else if prefix("AWS::Route53::") {
        Service::Route53
    } else if prefix("AWS::SSM::") {
        Service::Ssm
    } else {
        return None;
    })
}

impl AwsProvider {
    /// A provider on an explicit SDK configuration (the tests point one at the emulator).
    pub fn new(config: &SdkConfig) -> Self {
        Self::with_call_log(config, CallLog::from_env())
    }

    /// A provider recording its calls in `calls`.
    pub fn with_call_log(config: &SdkConfig, calls: CallLog) -> Self {
        Self {
            clients: Clients::new(config, calls),
        }
    }

    /// A provider on the standard AWS configuration chain: profiles, SSO, environment
    /// variables (credentials, `AWS_REGION`, `AWS_ENDPOINT_URL`).
    pub async fn from_env() -> Self {
        Self::new(&aws_config::defaults(BehaviorVersion::latest()).load().await)
    }

    /// The SDK clients (for what is not a resource: the lock, secrets, status).
    pub fn clients(&self) -> &Clients {
        &self.clients
    }

    /// The calls made so far.
    pub fn call_log(&self) -> &CallLog {
        &self.clients.calls
    }
}

impl Provider for AwsProvider {
    fn spec(&self, kind: &str) -> KindSpec {
        let spec = match service(kind) {
            Some(Service::Ec2) => ec2::spec(kind),
            Some(Service::Ecs) => ecs::spec(kind),
            Some(Service::Logs) => logs::spec(kind),
            Some(Service::Iam) => iam::spec(kind),
            Some(Service::Elb) => elbv2::spec(kind),
            Some(Service::Acm) => acm::spec(kind),
            Some(Service::Route53) => route53::spec(kind),
            Some(Service::Ssm) => ssm::spec(kind),
            None => None,
        };
        spec.unwrap_or_default()
    }

    async fn context(&self) -> Result<Context, ProviderError> {
        context::read(&self.clients).await
    }

    /// Every service's listing of the stack's resources, concurrently.
    async fn discover(&self, stack: &str) -> Result<Vec<Live>, ProviderError> {
        let c = &self.clients;
        let (a, b, cc, d, e, f, g, h) = tokio::join!(
            ec2::discover(c, stack),
            ecs::discover(c, stack),
            logs::discover(c, stack),
            iam::discover(c, stack),
            elbv2::discover(c, stack),
            acm::discover(c, stack),
            route53::discover(c, stack),
            ssm::discover(c, stack),
        );
        let mut out = Vec::new();
        for part in [a, b, cc, d, e, f, g, h] {
            out.extend(part?);
        }
        Ok(out)
    }

    async fn read(&self, node: &Resolved) -> Result<Option<Live>, ProviderError> {
        let c = &self.clients;
        match service(&node.kind) {
            Some(Service::Ec2) => ec2::read(c, node).await,
            Some(Service::Ecs) => ecs::read(c, node).await,
            Some(Service::Logs) => logs::read(c, node).await,
            Some(Service::Iam) => iam::read(c, node).await,
            Some(Service::Elb) => elbv2::read(c, node).await,
            Some(Service::Acm) => acm::read(c, node).await,
            Some(Service::Route53) => route53::read(c, node).await,
            Some(Service::Ssm) => ssm::read(c, node).await,
            None => Err(unsupported(&node.kind)),
        }
    }

    async fn create(&self, node: &Resolved) -> Result<Live, ProviderError> {
        let c = &self.clients;
        match service(&node.kind) {
            Some(Service::Ec2) => ec2::create(c, node).await,
            Some(Service::Ecs) => ecs::create(c, node).await,
            Some(Service::Logs) => logs::create(c, node).await,
            Some(Service::Iam) => iam::create(c, node).await,
            Some(Service::Elb) => elbv2::create(c, node).await,
            Some(Service::Acm) => acm::create(c, node).await,
            Some(Service::Route53) => route53::create(c, node).await,
            Some(Service::Ssm) => ssm::create(c, node).await,
            None => Err(unsupported(&node.kind)),
        }
    }

    async fn update(
        &self,
        node: &Resolved,
        live: &Live,
        fields: &[String],
    ) -> Result<Live, ProviderError> {
        let c = &self.clients;
        match service(&node.kind) {
            Some(Service::Ec2) => ec2::update(c, node, live, fields).await,
            Some(Service::Ecs) => ecs::update(c, node, live, fields).await,
            Some(Service::Logs) => logs::update(c, node, live, fields).await,
            Some(Service::Iam) => iam::update(c, node, live, fields).await,
            Some(Service::Elb) => elbv2::update(c, node, live, fields).await,
            Some(Service::Acm) => acm::update(c, node, live, fields).await,
            Some(Service::Route53) => route53::update(c, node, live, fields).await,
            Some(Service::Ssm) => ssm::update(c, node, live, fields).await,
            None => Err(unsupported(&node.kind)),
        }
    }

    async fn delete(&self, live: &Live) -> Result<(), ProviderError> {
        let c = &self.clients;
        match service(&live.kind) {
            Some(Service::Ec2) => ec2::delete(c, live).await,
            Some(Service::Ecs) => ecs::delete(c, live).await,
            Some(Service::Logs) => logs::delete(c, live).await,
            Some(Service::Iam) => iam::delete(c, live).await,
            Some(Service::Elb) => elbv2::delete(c, live).await,
            Some(Service::Acm) => acm::delete(c, live).await,
            Some(Service::Route53) => route53::delete(c, live).await,
            Some(Service::Ssm) => ssm::delete(c, live).await,
            None => Err(unsupported(&live.kind)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_go_to_their_service() {
        assert_eq!(service("AWS::EC2::Subnet"), Some(Service::Ec2));
        assert_eq!(service("AWS::ECS::Service"), Some(Service::Ecs));
        assert_eq!(service("fgl::CertificateValidation"), Some(Service::Acm));
        assert_eq!(
            service("AWS::ElasticLoadBalancingV2::Listener"),
            Some(Service::Elb)
        );
        assert_eq!(service("AWS::S3::Bucket"), None);
    }
}
