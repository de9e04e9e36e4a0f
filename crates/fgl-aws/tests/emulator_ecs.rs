//! `AWS::ECS::Cluster`, `AWS::ECS::TaskDefinition` and `AWS::ECS::Service` end to end against
//! moto, from the nodes of the webapp snapshot; their parents are created through the
//! provider (roles, log group, VPC) or the SDK (kinds not in this test's scope).

mod common;

use std::collections::HashMap;

use aws_config::SdkConfig;
use common::{config, resolved, Moto};
use fgl_aws::AwsProvider;
use fgl_lower::Node;
use fgl_plan::{Live, Provider, Resolved, ID_TAG, STACK_TAG};
use serde_json::{json, Value};

/// moto's account and region, what `${aws:account}`/`${aws:region}` stand for.
const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";

/// The node `id` of the lowered `tests/examples/<example>.fgl.lowered.expected`.
fn snapshot_node(example: &str, id: &str) -> Node {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!(
        "../../tests/examples/{example}.fgl.lowered.expected"
    ));
    let text = std::fs::read_to_string(&path).unwrap();
    let json = text.split_once("--- stdout\n").unwrap().1;
    let graph: Value = serde_json::Deserializer::from_str(json)
        .into_iter()
        .next()
        .unwrap()
        .unwrap();
    let node = graph["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["id"] == id)
        .unwrap();
    common::node(node.clone())
}

/// The node for `stack` as the engine hands it over: placeholders filled, each
/// `{"$ref": id, "attr": a}` replaced by `refs[(id, a)]`.
fn desired(node: &Node, stack: &str, refs: &HashMap<(String, String), Value>) -> Resolved {
    let text = serde_json::to_string(&node.properties)
        .unwrap()
        .replace("${aws:account}", ACCOUNT)
        .replace("${aws:region}", REGION);
    let mut properties: Value = serde_json::from_str(&text).unwrap();
    fill(&mut properties, refs);
    Resolved {
        properties: properties.as_object().unwrap().clone(),
        ..resolved(stack, node)
    }
}

fn fill(value: &mut Value, refs: &HashMap<(String, String), Value>) {
    if let (Some(id), Some(attr)) = (
        value.get("$ref").and_then(Value::as_str),
        value.get("attr").and_then(Value::as_str),
    ) {
        let key = (id.to_string(), attr.to_string());
        *value = refs
            .get(&key)
            .unwrap_or_else(|| panic!("no value for {key:?}"))
            .clone();
        return;
    }
    match value {
        Value::Array(items) => items.iter_mut().for_each(|v| fill(v, refs)),
        Value::Object(map) => map.values_mut().for_each(|v| fill(v, refs)),
        _ => {}
    }
}

fn no_diff(provider: &AwsProvider, node: &Resolved, live: &Live) {
    let diff = fields(provider, node, live);
    assert!(diff.is_empty(), "{diff:?}");
}

/// The fields the engine would pass to `update`.
fn fields(provider: &AwsProvider, node: &Resolved, live: &Live) -> Vec<String> {
    let spec = provider.spec(&node.kind);
    fgl_plan::diff::diff(
        &spec,
        &node.properties,
        &live.properties,
        &node.tags,
        &live.tags,
    )
    .into_iter()
    .map(|f| f.path)
    .collect()
}

/// Creates `id` of the webapp through the provider and records its attributes.
async fn create(
    provider: &AwsProvider,
    id: &str,
    refs: &mut HashMap<(String, String), Value>,
) -> (Resolved, Live) {
    let node = desired(&snapshot_node("webapp", id), "shop", refs);
    let live = provider.create(&node).await.unwrap();
    for (attr, value) in &live.attrs {
        refs.insert((id.to_string(), attr.clone()), value.clone());
    }
    (node, live)
}

#[tokio::test]
async fn cluster_create_read_discover_update_delete() {
    let moto = Moto::start();
    let config = config(&moto.url).await;
    let provider = AwsProvider::new(&config);
    let ecs = aws_sdk_ecs::Client::new(&config);
    let want = desired(
        &snapshot_node("webapp", "stack/cluster"),
        "shop",
        &HashMap::new(),
    );
    assert_eq!(provider.read(&want).await.unwrap(), None);

    // A same-named cluster made outside fgl is read without fgl tags, never listed, and
    // create refuses to take it.
    ecs.create_cluster()
        .cluster_name("shop")
        .send()
        .await
        .unwrap();
    let unowned = provider
        .read(&want)
        .await
        .unwrap()
        .expect("unowned cluster");
    assert!(!unowned.tags.contains_key(STACK_TAG), "{unowned:?}");
    assert!(provider.discover("shop").await.unwrap().is_empty());
    assert!(provider.create(&want).await.is_err());
    provider.delete(&unowned).await.unwrap();
    assert_eq!(provider.read(&want).await.unwrap(), None);

    let created = provider.create(&want).await.unwrap();
    assert_eq!(created.id, "stack/cluster");
    assert_eq!(
        created.attrs["Arn"],
        json!(format!("arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/shop"))
    );
    no_diff(&provider, &want, &created);
    assert_eq!(provider.read(&want).await.unwrap(), Some(created.clone()));
    assert_eq!(provider.create(&want).await.unwrap(), created);

    let (reads, _) = provider.call_log().counts();
    let found = provider.discover("shop").await.unwrap();
    let (reads_after, _) = provider.call_log().counts();
    eprintln!(
        "discover(shop) with one cluster: {} reads",
        reads_after - reads
    );
    assert_eq!(
        found.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(),
        ["stack/cluster"]
    );
    assert!(provider.discover("other").await.unwrap().is_empty());

    // Update: a tag, read back through the SDK; the name is create-only.
    let mut changed = want.clone();
    changed.tags.insert("Team".into(), json!("web"));
    let updated = provider
        .update(&changed, &created, &fields(&provider, &changed, &created))
        .await
        .unwrap();
    no_diff(&provider, &changed, &updated);
    let tags = ecs
        .list_tags_for_resource()
        .resource_arn(&created.physical_id)
        .send()
        .await
        .unwrap();
    assert!(tags
        .tags()
        .iter()
        .any(|t| t.key() == Some("Team") && t.value() == Some("web")));
    assert!(provider.spec(&want.kind).forces_replace("ClusterName"));

    provider.delete(&updated).await.unwrap();
    assert_eq!(provider.read(&want).await.unwrap(), None);
    provider.delete(&updated).await.unwrap();
}

#[tokio::test]
async fn task_definition_revisions() {
    let moto = Moto::start();
    let config = config(&moto.url).await;
    let provider = AwsProvider::new(&config);
    let ecs = aws_sdk_ecs::Client::new(&config);
    let mut refs = HashMap::new();
    create(&provider, "web/log-group", &mut refs).await;
    create(&provider, "web/execution-role", &mut refs).await;
    create(&provider, "web/task-role", &mut refs).await;
    let want = desired(
        &snapshot_node("webapp", "web/task-definition"),
        "shop",
        &refs,
    );
    assert_eq!(provider.read(&want).await.unwrap(), None);

    // A same-family revision registered outside fgl is read without fgl tags and not listed.
    ecs.register_task_definition()
        .family("shop-web")
        .container_definitions(
            aws_sdk_ecs::types::ContainerDefinition::builder()
                .name("web")
                .image("nginx")
                .memory(512)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let unowned = provider.read(&want).await.unwrap().expect("unowned family");
    assert!(!unowned.tags.contains_key(STACK_TAG), "{unowned:?}");
    assert!(provider
        .discover("shop")
        .await
        .unwrap()
        .iter()
        .all(|l| l.kind != want.kind));
    provider.delete(&unowned).await.unwrap();
    assert_eq!(provider.read(&want).await.unwrap(), None);

    let created = provider.create(&want).await.unwrap();
    assert_eq!(created.id, "web/task-definition");
    assert_eq!(created.tags[ID_TAG], json!("web/task-definition"));
    let first_arn = created.attrs["Arn"].as_str().unwrap().to_string();
    assert!(
        first_arn.contains(":task-definition/shop-web:"),
        "{first_arn}"
    );
    no_diff(&provider, &want, &created);
    assert_eq!(provider.read(&want).await.unwrap(), Some(created.clone()));
    // A retried create adopts the identical revision instead of registering another.
    assert_eq!(provider.create(&want).await.unwrap().physical_id, first_arn);

    let (reads, _) = provider.call_log().counts();
    let found = provider.discover("shop").await.unwrap();
    let (reads_after, _) = provider.call_log().counts();
    eprintln!(
        "discover(shop) with one task definition, one log group, two roles: {} reads",
        reads_after - reads
    );
    let td: Vec<&Live> = found.iter().filter(|l| l.kind == want.kind).collect();
    assert_eq!(td.len(), 1);
    assert_eq!(td[0].id, "web/task-definition");
    assert!(provider.discover("other").await.unwrap().is_empty());

    // A new image is an update: a new revision with a new ARN; the old one is deregistered.
    let mut changed = want.clone();
    changed.properties["ContainerDefinitions"][0]["Image"] = json!("ghcr.io/acme/shop:1.5.0");
    let changes = fields(&provider, &changed, &created);
    assert_eq!(changes, ["ContainerDefinitions[0].Image"]);
    assert!(!provider.spec(&want.kind).forces_replace(&changes[0]));
    let updated = provider.update(&changed, &created, &changes).await.unwrap();
    no_diff(&provider, &changed, &updated);
    assert_ne!(updated.attrs["Arn"].as_str().unwrap(), first_arn);
    let old = ecs
        .describe_task_definition()
        .task_definition(&first_arn)
        .send()
        .await
        .unwrap();
    assert_eq!(
        old.task_definition().unwrap().status().unwrap().as_str(),
        "INACTIVE"
    );
    let new = ecs
        .describe_task_definition()
        .task_definition("shop-web")
        .send()
        .await
        .unwrap();
    assert_eq!(
        new.task_definition().unwrap().container_definitions()[0].image(),
        Some("ghcr.io/acme/shop:1.5.0")
    );
    assert_eq!(
        provider.read(&changed).await.unwrap(),
        Some(updated.clone())
    );

    provider.delete(&updated).await.unwrap();
    assert_eq!(provider.read(&want).await.unwrap(), None);
    provider.delete(&updated).await.unwrap();
}

/// The network a service needs, made with the SDK (subnets, security groups and target
/// groups are other modules' kinds): subnet and security group ids and a target group ARN.
async fn network(
    config: &SdkConfig,
    provider: &AwsProvider,
    refs: &mut HashMap<(String, String), Value>,
) {
    let ec2 = aws_sdk_ec2::Client::new(config);
    let vpc = provider
        .create(&desired(
            &snapshot_node("webapp", "network/vpc"),
            "shop",
            refs,
        ))
        .await
        .unwrap();
    let vpc_id = vpc.physical_id;
    for (i, cidr) in ["10.0.0.0/24", "10.0.1.0/24"].iter().enumerate() {
        let subnet = ec2
            .create_subnet()
            .vpc_id(&vpc_id)
            .cidr_block(*cidr)
            .send()
            .await
            .unwrap();
        let id = subnet.subnet().unwrap().subnet_id().unwrap().to_string();
        refs.insert(
            (format!("network/public-subnet-{i}"), "Id".into()),
            json!(id),
        );
    }
    let sg = ec2
        .create_security_group()
        .group_name("shop-web")
        .description("tasks")
        .vpc_id(&vpc_id)
        .send()
        .await
        .unwrap();
    refs.insert(
        ("web/security-group".into(), "GroupId".into()),
        json!(sg.group_id().unwrap()),
    );
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(config);
    let tg = elb
        .create_target_group()
        .name("shop-lb-web")
        .protocol(aws_sdk_elasticloadbalancingv2::types::ProtocolEnum::Http)
        .port(8080)
        .vpc_id(&vpc_id)
        .target_type(aws_sdk_elasticloadbalancingv2::types::TargetTypeEnum::Ip)
        .send()
        .await
        .unwrap();
    let arn = tg.target_groups()[0]
        .target_group_arn()
        .unwrap()
        .to_string();
    refs.insert(("lb/target-group/web".into(), "Arn".into()), json!(arn));
}

#[tokio::test]
async fn service_create_read_discover_update_delete() {
    let moto = Moto::start();
    let config = config(&moto.url).await;
    let provider = AwsProvider::new(&config);
    let ecs = aws_sdk_ecs::Client::new(&config);
    let mut refs = HashMap::new();
    network(&config, &provider, &mut refs).await;
    let (_, cluster) = create(&provider, "stack/cluster", &mut refs).await;
    create(&provider, "web/log-group", &mut refs).await;
    create(&provider, "web/execution-role", &mut refs).await;
    create(&provider, "web/task-role", &mut refs).await;
    let (td_node, td) = create(&provider, "web/task-definition", &mut refs).await;
    let want = desired(&snapshot_node("webapp", "web/service"), "shop", &refs);
    assert_eq!(provider.read(&want).await.unwrap(), None);

    // A same-named service made outside fgl is read without fgl tags and not listed.
    ecs.create_service()
        .cluster(&cluster.physical_id)
        .service_name("shop-web")
        .task_definition(&td.physical_id)
        .desired_count(0)
        .send()
        .await
        .unwrap();
    let unowned = provider
        .read(&want)
        .await
        .unwrap()
        .expect("unowned service");
    assert!(!unowned.tags.contains_key(STACK_TAG), "{unowned:?}");
    assert!(provider
        .discover("shop")
        .await
        .unwrap()
        .iter()
        .all(|l| l.kind != want.kind));
    assert!(provider.create(&want).await.is_err());
    provider.delete(&unowned).await.unwrap();
    assert_eq!(provider.read(&want).await.unwrap(), None);

    let created = provider.create(&want).await.unwrap();
    assert_eq!(created.id, "web/service");
    assert_eq!(created.properties["DesiredCount"], json!(2));
    assert_eq!(created.properties["TaskDefinition"], json!(td.physical_id));
    assert_eq!(
        created.properties["LoadBalancers"][0]["ContainerPort"],
        json!(8080)
    );
    assert_eq!(created.tags[ID_TAG], json!("web/service"));
    // moto's CreateService ignores deploymentConfiguration, healthCheckGracePeriodSeconds and
    // enableECSManagedTags (real ECS stores them); create follows with the UpdateService that
    // sets what CreateService did not take, so the second plan is empty either way.
    no_diff(&provider, &want, &created);
    assert_eq!(
        created.properties["HealthCheckGracePeriodSeconds"],
        json!(60)
    );
    assert_eq!(created.properties["EnableECSManagedTags"], json!(true));
    // A retried create adopts the service.
    assert_eq!(provider.create(&want).await.unwrap(), created);
    assert_eq!(provider.read(&want).await.unwrap(), Some(created.clone()));

    let (reads, _) = provider.call_log().counts();
    let found = provider.discover("shop").await.unwrap();
    let (reads_after, _) = provider.call_log().counts();
    eprintln!(
        "discover(shop) with a VPC, cluster, log group, two roles, task definition, service ({} resources): {} reads",
        found.len(),
        reads_after - reads
    );
    let mut ids: Vec<&str> = found.iter().map(|l| l.id.as_str()).collect();
    ids.sort();
    assert_eq!(
        ids,
        [
            "network/vpc",
            "stack/cluster",
            "web/execution-role",
            "web/log-group",
            "web/service",
            "web/task-definition",
            "web/task-role"
        ]
    );
    let services: Vec<&Live> = found.iter().filter(|l| l.kind == want.kind).collect();
    assert_eq!(services.len(), 1);
    assert_eq!(services[0].id, "web/service");
    assert!(provider.discover("other").await.unwrap().is_empty());

    // Update in place: a new task definition revision, the count, the deployment settings.
    let mut new_td = td_node.clone();
    new_td.properties["ContainerDefinitions"][0]["Image"] = json!("ghcr.io/acme/shop:1.5.0");
    let td2 = provider
        .update(&new_td, &td, &fields(&provider, &new_td, &td))
        .await
        .unwrap();
    let mut changed = want.clone();
    changed.properties["TaskDefinition"] = td2.attrs["Arn"].clone();
    changed.properties["DesiredCount"] = json!(3);
    changed.properties["DeploymentConfiguration"]["MinimumHealthyPercent"] = json!(50);
    let changes = fields(&provider, &changed, &created);
    assert!(
        changes
            .iter()
            .all(|f| !provider.spec(&want.kind).forces_replace(f)),
        "{changes:?}"
    );
    let updated = provider.update(&changed, &created, &changes).await.unwrap();
    no_diff(&provider, &changed, &updated);
    let sdk = ecs
        .describe_services()
        .cluster(&cluster.physical_id)
        .services("shop-web")
        .send()
        .await
        .unwrap();
    let service = &sdk.services()[0];
    assert_eq!(service.desired_count(), 3);
    assert_eq!(service.task_definition(), td2.attrs["Arn"].as_str());
    assert_eq!(
        service
            .deployment_configuration()
            .unwrap()
            .minimum_healthy_percent(),
        Some(50)
    );
    // The name, cluster and launch type are create-only.
    let spec = provider.spec(&want.kind);
    assert!(spec.forces_replace("ServiceName") && spec.forces_replace("Cluster"));
    assert!(spec.forces_replace("LaunchType"));

    // Delete: scaled to zero, deleted, INACTIVE; deleting again succeeds; then the cluster
    // can go.
    provider.delete(&updated).await.unwrap();
    assert_eq!(provider.read(&want).await.unwrap(), None);
    provider.delete(&updated).await.unwrap();
    provider.delete(&cluster).await.unwrap();
}
