//! ECS resources: the cluster, task definitions and services.
//!
//! One module per resource kind, dispatched by `crate::dispatch::kinds!`; the service's own
//! `discover` lists them all.

pub(crate) mod cluster;
pub(crate) mod service;
pub(crate) mod task_definition;

use std::error::Error;
use std::fmt::Debug;

use aws_sdk_ecs::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_ecs::types::Tag;
use fgl_plan::{ErrorClass, Live, ProviderError, Resolved};
use serde_json::{Map, Value};

use crate::clients::Clients;
use crate::error::sdk;
use crate::tags;

crate::dispatch::kinds!(ecs: cluster, task_definition, service);

/// Every ECS resource tagged `fgl:stack=<stack>`: clusters and task definitions
/// concurrently, then the services of the stack's clusters.
pub(crate) async fn discover(c: &Clients, stack: &str) -> Result<Vec<Live>, ProviderError> {
    let (clusters, task_definitions) = tokio::try_join!(
        cluster::discover(&c.ecs, stack),
        task_definition::discover(&c.ecs, stack),
    )?;
    let cluster_arns: Vec<&str> = clusters.iter().map(|l| l.physical_id.as_str()).collect();
    let services = service::discover(&c.ecs, stack, &cluster_arns).await?;
    Ok(clusters
        .into_iter()
        .chain(task_definitions)
        .chain(services)
        .collect())
}

/// A failed ECS call as a `ProviderError`. ECS reports a role it cannot assume yet (IAM's
/// eventual consistency right after the role was created) as a plain invalid parameter:
/// that one is worth retrying.
pub(crate) fn ecs_error<E, R>(resource: &str, call: &str, err: SdkError<E, R>) -> ProviderError
where
    E: ProvideErrorMetadata + Error + Send + Sync + 'static,
    R: Debug,
{
    // "Unable to assume role and validate …", "ECS was unable to assume the role …",
    // "Unable to assume the service linked role …".
    let assume_role = err.message().is_some_and(|m| {
        let m = m.to_ascii_lowercase();
        m.contains("assume") && m.contains("role")
    });
    let mut error = sdk(resource, call, err);
    if assume_role {
        error.class = ErrorClass::Retryable;
    }
    error
}

/// The node's tags as ECS takes them.
pub(crate) fn desired_tags(node: &Resolved) -> Vec<Tag> {
    tags::desired(node)
        .iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect()
}

/// ECS's tags as the map `Live::tags` holds.
pub(crate) fn tag_map(list: &[Tag]) -> Map<String, Value> {
    tags::to_map(
        list.iter()
            .filter_map(|t| Some((t.key()?, t.value().unwrap_or("")))),
    )
}

/// Applies the `Tags.<key>` among `fields` to the resource `arn` (TagResource/UntagResource);
/// other fields are left to the caller.
pub(crate) async fn retag(
    client: &aws_sdk_ecs::Client,
    label: &str,
    arn: &str,
    node: &Resolved,
    fields: &[String],
) -> Result<(), ProviderError> {
    let tags::Changes { set, unset } = tags::changes(node, fields);
    let set = set
        .iter()
        .map(|(k, v)| Tag::builder().key(k).value(v).build())
        .collect();
    write_tags(client, label, arn, set, unset).await
}

/// Sets `set` and removes `unset` on the resource `arn`, one call each when not empty.
pub(crate) async fn write_tags(
    client: &aws_sdk_ecs::Client,
    label: &str,
    arn: &str,
    set: Vec<Tag>,
    unset: Vec<String>,
) -> Result<(), ProviderError> {
    if !set.is_empty() {
        client
            .tag_resource()
            .resource_arn(arn)
            .set_tags(Some(set))
            .send()
            .await
            .map_err(|e| ecs_error(label, "TagResource", e))?;
    }
    if !unset.is_empty() {
        client
            .untag_resource()
            .resource_arn(arn)
            .set_tag_keys(Some(unset))
            .send()
            .await
            .map_err(|e| ecs_error(label, "UntagResource", e))?;
    }
    Ok(())
}

/// A JSON object of the fields that are set: ECS leaves unset ones out, and so does the graph.
pub(crate) fn object<const N: usize>(fields: [(&str, Option<Value>); N]) -> Value {
    Value::Object(
        fields
            .into_iter()
            .filter_map(|(k, v)| Some((k.to_string(), v?)))
            .collect(),
    )
}

/// A required string property of the node.
pub(crate) fn str_prop<'a>(
    label: &str,
    node: &'a Resolved,
    field: &str,
) -> Result<&'a str, ProviderError> {
    node.properties
        .get(field)
        .and_then(Value::as_str)
        .ok_or_else(|| ProviderError::hard(format!("{label}: {field} is missing or not a string")))
}

/// An error for fields of `fields` that are not tags and not in `allowed` (by top-level
/// property name).
pub(crate) fn refuse_others(
    label: &str,
    fields: &[String],
    allowed: &[&str],
) -> Result<(), ProviderError> {
    match fields
        .iter()
        .filter(|f| !f.starts_with("Tags."))
        .find(|f| !allowed.contains(&top(f)))
    {
        Some(f) => Err(ProviderError::hard(format!(
            "{label}: `{f}` cannot be changed in place"
        ))),
        None => Ok(()),
    }
}

/// The top-level property of a diff path: `DeploymentConfiguration.MaximumPercent` →
/// `DeploymentConfiguration`.
pub(crate) fn top(path: &str) -> &str {
    path.split(['.', '[']).next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use aws_sdk_ecs::operation::create_service::CreateServiceError;
    use aws_sdk_ecs::types::error::InvalidParameterException;
    use aws_smithy_runtime_api::http::{Response, StatusCode};
    use aws_smithy_types::body::SdkBody;

    fn invalid_parameter(message: &str) -> SdkError<CreateServiceError, Response> {
        let meta = aws_sdk_ecs::error::ErrorMetadata::builder()
            .code("InvalidParameterException")
            .message(message)
            .build();
        let err = InvalidParameterException::builder()
            .message(message)
            .meta(meta)
            .build();
        let raw = Response::new(StatusCode::try_from(400).unwrap(), SdkBody::empty());
        SdkError::service_error(CreateServiceError::InvalidParameterException(err), raw)
    }

    #[test]
    fn a_role_not_assumable_yet_is_retryable_other_invalid_parameters_are_not() {
        let e = ecs_error(
            "AWS::ECS::Service web/service",
            "CreateService",
            invalid_parameter("Unable to assume role and validate the specified targetGroupArn"),
        );
        assert_eq!(e.class, ErrorClass::Retryable);
        assert_eq!(
            e.message,
            "AWS::ECS::Service web/service: CreateService: InvalidParameterException: \
             Unable to assume role and validate the specified targetGroupArn"
        );
        let e = ecs_error(
            "s",
            "CreateService",
            invalid_parameter("subnets can not be empty."),
        );
        assert_eq!(e.class, ErrorClass::Hard);
    }

    #[test]
    fn top_level_fields_of_diff_paths() {
        assert_eq!(
            top("DeploymentConfiguration.MaximumPercent"),
            "DeploymentConfiguration"
        );
        assert_eq!(top("LoadBalancers[0].ContainerPort"), "LoadBalancers");
        assert_eq!(top("DesiredCount"), "DesiredCount");
    }
}
