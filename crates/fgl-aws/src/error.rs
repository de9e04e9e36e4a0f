//! Turning SDK failures into the engine's `ProviderError`: the resource, the AWS call and
//! AWS's own code and message, classified as retryable or hard.

use std::error::Error;
use std::fmt::Debug;

use aws_sdk_ec2::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use fgl_plan::ProviderError;

/// Error codes worth retrying: throttling, AWS-side hiccups, and eventual consistency (an id
/// AWS just returned that another endpoint does not know yet; a dependency still being torn
/// down, such as the network interfaces a deleted load balancer leaves behind for minutes).
const RETRYABLE_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestLimitExceeded",
    "RequestThrottled",
    "RequestThrottledException",
    "TooManyRequestsException",
    "SlowDown",
    "InternalError",
    "InternalFailure",
    "ServiceUnavailable",
    "Unavailable",
    "DependencyViolation",
    "IncorrectState",
    "InvalidVpcID.NotFound",
    // Ids of EC2 network resources just created (a subnet, a gateway, a group a rule
    // references): reads and deletes treat these codes as "gone" before they get here.
    "InvalidSubnetID.NotFound",
    "InvalidRouteTableID.NotFound",
    "InvalidInternetGatewayID.NotFound",
    "InvalidGatewayID.NotFound",
    "InvalidNatGatewayID.NotFound",
    "InvalidAllocationID.NotFound",
    "InvalidGroup.NotFound",
    // An address still held by a NAT gateway being deleted.
    "InvalidIPAddress.InUse",
    // ECS: a cluster whose services or tasks are still draining cannot be deleted yet; a
    // service mid-update refuses another change.
    "ClusterContainsServicesException",
    "ClusterContainsTasksException",
    "UpdateInProgressException",
    // IAM and CloudWatch Logs: another change to the same resource is in flight.
    "ConcurrentModification",
    "OperationAbortedException",
    // ELB: a target group still used by a listener or rule being deleted.
    "ResourceInUse",
    // ACM: a certificate still on a listener being deleted.
    "ResourceInUseException",
];

/// Whether AWS's error `code` is worth retrying.
pub(crate) fn is_retryable_code(code: &str) -> bool {
    RETRYABLE_CODES.contains(&code)
}

/// AWS's error code of a failed call, if AWS answered.
pub(crate) fn code_of<E, R>(err: &SdkError<E, R>) -> Option<&str>
where
    E: ProvideErrorMetadata,
{
    err.code()
}

/// A delete's outcome: done, or the resource already gone (AWS answered one of `gone`),
/// which is success too.
pub(crate) fn gone_is_ok<T, E, R>(
    resource: &str,
    call: &str,
    gone: &[&str],
    result: Result<T, SdkError<E, R>>,
) -> Result<(), ProviderError>
where
    E: ProvideErrorMetadata + Error + Send + Sync + 'static,
    R: Debug,
{
    match result {
        Ok(_) => Ok(()),
        Err(e) if code_of(&e).is_some_and(|c| gone.contains(&c)) => Ok(()),
        Err(e) => Err(sdk(resource, call, e)),
    }
}

/// A failed SDK call as a `ProviderError`: `<resource>: <Call>: <code>: <message>`.
pub(crate) fn sdk<E, R>(resource: &str, call: &str, err: SdkError<E, R>) -> ProviderError
where
    E: ProvideErrorMetadata + Error + Send + Sync + 'static,
    R: Debug,
{
    let retryable = match err.code() {
        Some(code) => is_retryable_code(code),
        // No answer from AWS: the SDK has already retried these; a timeout or a broken
        // connection may still pass later, a request that cannot be built never will.
        None => matches!(
            err,
            SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_)
        ),
    };
    let detail = match (err.code(), err.message()) {
        (Some(code), Some(message)) => format!("{code}: {message}"),
        (Some(code), None) => code.to_string(),
        _ => DisplayErrorContext(&err).to_string(),
    };
    let message = format!("{resource}: {call}: {detail}");
    if retryable {
        ProviderError::retryable(message)
    } else {
        ProviderError::hard(message)
    }
}

/// A kind this provider cannot handle yet.
pub(crate) fn unsupported(kind: &str) -> ProviderError {
    ProviderError::hard(format!("not supported yet: {kind}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttling_and_eventual_consistency_are_retryable() {
        assert!(is_retryable_code("RequestLimitExceeded"));
        assert!(is_retryable_code("InvalidVpcID.NotFound"));
        assert!(!is_retryable_code("UnauthorizedOperation"));
        assert!(!is_retryable_code("InvalidParameterValue"));
    }

    #[test]
    fn unsupported_kinds_are_hard_errors_naming_the_kind() {
        let e = unsupported("AWS::ECS::Service");
        assert_eq!(e.class, fgl_plan::ErrorClass::Hard);
        assert_eq!(e.message, "not supported yet: AWS::ECS::Service");
    }
}
