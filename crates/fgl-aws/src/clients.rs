//! The SDK clients of every AWS service fgl uses, built from one configuration, each with the
//! call log's interceptor.

use aws_config::SdkConfig;

use crate::calls::CallLog;
use crate::snapshot::Snapshot;

/// One client per AWS service. Cheap to clone: each is a handle to a shared connection pool.
#[derive(Clone, Debug)]
pub struct Clients {
    pub ec2: aws_sdk_ec2::Client,
    pub ecs: aws_sdk_ecs::Client,
    pub elb: aws_sdk_elasticloadbalancingv2::Client,
    pub ssm: aws_sdk_ssm::Client,
    pub acm: aws_sdk_acm::Client,
    pub route53: aws_sdk_route53::Client,
    pub iam: aws_sdk_iam::Client,
    pub logs: aws_sdk_cloudwatchlogs::Client,
    pub sts: aws_sdk_sts::Client,
    /// The region the clients talk to (`None` when the configuration has none).
    pub region: Option<String>,
    pub calls: CallLog,
    /// What the last discover listed, for reads (see `snapshot`).
    pub(crate) snapshot: Snapshot,
}

/// `aws_sdk_x::Client` on `config`, with `log` as an interceptor.
macro_rules! client {
    ($krate:ident, $config:expr, $log:expr) => {
        $krate::Client::from_conf(
            $krate::config::Builder::from($config)
                .interceptor($log.clone())
                .build(),
        )
    };
}

impl Clients {
    pub fn new(config: &SdkConfig, calls: CallLog) -> Self {
        Self {
            ec2: client!(aws_sdk_ec2, config, calls),
            ecs: client!(aws_sdk_ecs, config, calls),
            elb: client!(aws_sdk_elasticloadbalancingv2, config, calls),
            ssm: client!(aws_sdk_ssm, config, calls),
            acm: client!(aws_sdk_acm, config, calls),
            route53: client!(aws_sdk_route53, config, calls),
            iam: client!(aws_sdk_iam, config, calls),
            logs: client!(aws_sdk_cloudwatchlogs, config, calls),
            sts: client!(aws_sdk_sts, config, calls),
            region: config.region().map(|r| r.to_string()),
            calls,
            snapshot: Snapshot::default(),
        }
    }
}
