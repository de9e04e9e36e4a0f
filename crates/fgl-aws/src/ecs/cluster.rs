//! `AWS::ECS::Cluster`: CreateCluster (tagged at creation), tags, DeleteCluster. A cluster's
//! name is unique in the region, so it is its identity.

use aws_sdk_ecs::types::{Cluster, ClusterField};
use aws_sdk_ecs::Client;
use fgl_lower::lower::names;
use fgl_plan::{KindSpec, Live, ProviderError, Resolved};
use serde_json::{json, Map};

use super::{desired_tags, ecs_error, refuse_others, retag, str_prop, tag_map};
use crate::error::code_of;

pub(crate) const KIND: &str = "AWS::ECS::Cluster";

pub(crate) fn spec() -> KindSpec {
    KindSpec {
        create_only: vec!["ClusterName".into()],
        ..KindSpec::default()
    }
}

/// The stack's cluster, when it is tagged `fgl:stack=<stack>`. fgl makes one cluster per
/// stack, named by the lowering, so one DescribeClusters of that name finds every cluster fgl
/// creates (ECS has no tag filter: listing them all would cost a ListClusters more).
pub(crate) async fn discover(client: &Client, stack: &str) -> Result<Vec<Live>, ProviderError> {
    let label = format!("{KIND} (stack {stack})");
    let mut out = Vec::new();
    for cluster in describe(client, &label, &[names::cluster(stack)]).await? {
        let live = live(&label, &cluster)?;
        if live.owned_by(stack) {
            out.push(live);
        }
    }
    Ok(out)
}

/// The active cluster named like the node, whoever owns it.
pub(crate) async fn read(client: &Client, node: &Resolved) -> Result<Option<Live>, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    let name = str_prop(&label, node, "ClusterName")?;
    by_name(client, &label, name).await
}

/// Creates the cluster with its tags. A cluster an earlier attempt created is adopted;
/// CreateCluster on an existing name would answer with that cluster whoever owns it, so an
/// unowned one is refused here rather than silently taken.
pub(crate) async fn create(client: &Client, node: &Resolved) -> Result<Live, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    let name = str_prop(&label, node, "ClusterName")?;
    if let Some(existing) = by_name(client, &label, name).await? {
        if existing.owned_by(&node.stack) {
            return Ok(existing);
        }
        return Err(ProviderError::hard(format!(
            "{label}: a cluster named {name} exists and is not this stack's"
        )));
    }
    let out = client
        .create_cluster()
        .cluster_name(name)
        .set_tags(Some(desired_tags(node)))
        .send()
        .await
        .map_err(|e| ecs_error(&label, "CreateCluster", e))?;
    match out.cluster() {
        Some(cluster) => live(&label, cluster),
        None => fetch(client, &label, name).await,
    }
}

/// Only tags change in place: the name is the cluster.
pub(crate) async fn update(
    client: &Client,
    node: &Resolved,
    live: &Live,
    fields: &[String],
) -> Result<Live, ProviderError> {
    let label = format!("{KIND} {}", node.id);
    refuse_others(&label, fields, &[])?;
    retag(client, &label, &live.physical_id, node, fields).await?;
    let name = str_prop(&label, node, "ClusterName")?;
    fetch(client, &label, name).await
}

/// Deletes the cluster; one already gone is success. Services still draining make ECS refuse
/// (ClusterContainsServicesException/…TasksException), which is retryable.
pub(crate) async fn delete(client: &Client, live: &Live) -> Result<(), ProviderError> {
    let label = format!("{KIND} {}", live.id);
    match client
        .delete_cluster()
        .cluster(&live.physical_id)
        .send()
        .await
    {
        Ok(_) => Ok(()),
        Err(e) if code_of(&e) == Some("ClusterNotFoundException") => Ok(()),
        Err(e) => Err(ecs_error(&label, "DeleteCluster", e)),
    }
}

async fn by_name(client: &Client, label: &str, name: &str) -> Result<Option<Live>, ProviderError> {
    let clusters = describe(client, label, &[name.to_string()]).await?;
    clusters
        .iter()
        .find(|c| c.cluster_name() == Some(name))
        .map(|c| live(label, c))
        .transpose()
}

/// A cluster just created or changed; not visible yet is eventual consistency.
async fn fetch(client: &Client, label: &str, name: &str) -> Result<Live, ProviderError> {
    by_name(client, label, name).await?.ok_or_else(|| {
        ProviderError::retryable(format!("{label}: DescribeClusters: {name} not found yet"))
    })
}

/// The active clusters among `names` (names or ARNs), with their tags. Deleted clusters stay
/// listed as INACTIVE for a while: they are gone for fgl.
async fn describe(
    client: &Client,
    label: &str,
    names: &[String],
) -> Result<Vec<Cluster>, ProviderError> {
    let out = client
        .describe_clusters()
        .set_clusters(Some(names.to_vec()))
        .include(ClusterField::Tags)
        .send()
        .await
        .map_err(|e| ecs_error(label, "DescribeClusters", e))?;
    Ok(out
        .clusters
        .unwrap_or_default()
        .into_iter()
        .filter(|c| c.status() != Some("INACTIVE"))
        .collect())
}

fn live(label: &str, cluster: &Cluster) -> Result<Live, ProviderError> {
    let (Some(name), Some(arn)) = (cluster.cluster_name(), cluster.cluster_arn()) else {
        return Err(ProviderError::hard(format!(
            "{label}: AWS returned a cluster without a name or ARN"
        )));
    };
    let tags = tag_map(cluster.tags());
    let mut properties = Map::new();
    properties.insert("ClusterName".into(), json!(name));
    let mut attrs = Map::new();
    attrs.insert("Arn".into(), json!(arn));
    Ok(Live {
        id: crate::tags::logical_id(&tags, name),
        kind: KIND.to_string(),
        physical_id: arn.to_string(),
        properties,
        tags,
        attrs,
        depends_on: Vec::new(),
    })
}
