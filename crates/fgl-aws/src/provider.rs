//! `AwsProvider`: the engine's `Provider` on the AWS SDK. It dispatches by the node's kind to
//! one module per AWS service (`ec2`, `ecs`, …), each with one module per resource kind.

use std::future::Future;

use aws_config::{BehaviorVersion, SdkConfig};
use fgl_plan::{Context, KindSpec, Live, Provider, ProviderError, Resolved};

use crate::calls::CallLog;
use crate::clients::Clients;
use crate::error::unsupported;
use crate::{acm, context, ec2, ecs, elbv2, iam, logs, route53, snapshot, ssm};

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

/// `$call` with `$m` standing for the service module of `$kind`; `$none` when no service
/// handles it.
macro_rules! by_service {
    ($kind:expr, |$m:ident| $call:expr, $none:expr) => {
        by_service!(@ $kind, $m, $call, $none, Ec2 ec2, Ecs ecs, Logs logs, Iam iam,
            Elb elbv2, Acm acm, Route53 route53, Ssm ssm)
    };
    (@ $kind:expr, $m:ident, $call:expr, $none:expr, $($service:ident $module:ident),+) => {
        match service($kind) {
            $(Some(Service::$service) => {
                use crate::$module as $m;
                $call
            })+
            None => $none,
        }
    };
}

impl AwsProvider {
    /// A change: the snapshot of the last discover is dropped before it starts and after it
    /// ends, so that no read answers from data older than the change.
    async fn changing<T>(&self, change: impl Future<Output = T>) -> T {
        self.clients.snapshot.invalidate();
        let out = change.await;
        self.clients.snapshot.invalidate();
        out
    }
}

impl Provider for AwsProvider {
    fn spec(&self, kind: &str) -> KindSpec {
        by_service!(kind, |m| m::spec(kind), None).unwrap_or_default()
    }

    async fn context(&self) -> Result<Context, ProviderError> {
        context::read(&self.clients).await
    }

    /// Every service's listing of the stack's resources, concurrently. What the listings
    /// hold is kept in the snapshot for the reads that follow.
    async fn discover(&self, stack: &str) -> Result<Vec<Live>, ProviderError> {
        let c = &self.clients;
        let g = c.snapshot.begin(stack);
        let (a, b, cc, d, e, f, gg, h) = tokio::join!(
            ec2::discover(c, stack, g),
            ecs::discover(c, stack),
            logs::discover(c, stack),
            iam::discover(c, stack),
            elbv2::discover(c, stack),
            acm::discover(c, stack, g),
            route53::discover(c, stack, g),
            ssm::discover(c, stack),
        );
        let mut out = Vec::new();
        for part in [a, b, cc, d, e, f, gg, h] {
            out.extend(part?);
        }
        Ok(out)
    }

    async fn read(&self, node: &Resolved) -> Result<Option<Live>, ProviderError> {
        if let Some(answer) = snapshot::read(&self.clients.snapshot, node) {
            return answer;
        }
        let c = &self.clients;
        by_service!(
            &node.kind,
            |m| m::read(c, node).await,
            Err(unsupported(&node.kind))
        )
    }

    async fn create(&self, node: &Resolved) -> Result<Live, ProviderError> {
        let c = &self.clients;
        self.changing(async {
            by_service!(
                &node.kind,
                |m| m::create(c, node).await,
                Err(unsupported(&node.kind))
            )
        })
        .await
    }

    async fn update(
        &self,
        node: &Resolved,
        live: &Live,
        fields: &[String],
    ) -> Result<Live, ProviderError> {
        let c = &self.clients;
        self.changing(async {
            by_service!(
                &node.kind,
                |m| m::update(c, node, live, fields).await,
                Err(unsupported(&node.kind))
            )
        })
        .await
    }

    async fn delete(&self, live: &Live) -> Result<(), ProviderError> {
        let c = &self.clients;
        self.changing(async {
            by_service!(
                &live.kind,
                |m| m::delete(c, live).await,
                Err(unsupported(&live.kind))
            )
        })
        .await
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
