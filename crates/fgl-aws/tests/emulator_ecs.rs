//! `AWS::ECS::Cluster`, `AWS::ECS::TaskDefinition` and `AWS::ECS::Service` end to end against
//! moto, from the nodes of the webapp snapshot; their parents are created through the
//! provider (roles, log group, VPC) or the SDK (kinds not in this test's scope).

mod common;

use common::check::{
    assert_no_diff, delete_twice, diff_fields, discover_counted, ids, read_unowned, update_checked,
    update_planned,
};
use common::sdk;
use common::snapshot::{self, create, Refs, ACCOUNT, REGION};
use fgl_aws::AwsProvider;
use fgl_plan::{Live, Provider, Resolved, ID_TAG};
use serde_json::json;

/// `read_unowned`, and `discover` lists nothing of `node`'s kind.
async fn assert_unowned_not_listed(provider: &AwsProvider, node: &Resolved) -> Live {
    let unowned = read_unowned(provider, node).await;
    assert!(provider
        .discover("shop")
        .await
        .unwrap()
        .iter()
        .all(|l| l.kind != node.kind));
    unowned
}

/// `found` holds one resource of `node`'s kind: `node`'s.
fn assert_one_of_kind(found: &[Live], node: &Resolved) {
    let of_kind: Vec<&Live> = found.iter().filter(|l| l.kind == node.kind).collect();
    assert_eq!(of_kind.len(), 1);
    assert_eq!(of_kind[0].id, node.id);
}

#[tokio::test]
async fn cluster_create_read_discover_update_delete() {
    let emu = common::start().await;
    let provider = &emu.provider;
    let ecs = aws_sdk_ecs::Client::new(&emu.config);
    let want = snapshot::webapp("stack/cluster", &Refs::new());
    assert_eq!(provider.read(&want).await.unwrap(), None);

    // A same-named cluster made outside fgl is read without fgl tags, never listed, and
    // create refuses to take it.
    ecs.create_cluster()
        .cluster_name("shop")
        .send()
        .await
        .unwrap();
    let unowned = read_unowned(provider, &want).await;
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
    assert_no_diff(provider, &want, &created);
    assert_eq!(provider.read(&want).await.unwrap(), Some(created.clone()));
    assert_eq!(provider.create(&want).await.unwrap(), created);

    let found = discover_counted(provider, "shop", "one cluster").await;
    assert_eq!(ids(&found), ["stack/cluster"]);
    assert!(provider.discover("other").await.unwrap().is_empty());

    // Update: a tag, read back through the SDK; the name is create-only.
    let mut changed = want.clone();
    changed.tags.insert("Team".into(), json!("web"));
    let updated = update_planned(provider, &changed, &created).await;
    let tags = ecs
        .list_tags_for_resource()
        .resource_arn(&created.physical_id)
        .send()
        .await
        .unwrap();
    let tags = tags.tags().iter().map(|t| (t.key(), t.value()));
    assert!(sdk::has_tag(tags, "Team", "web"));
    assert!(provider.spec(&want.kind).forces_replace("ClusterName"));

    delete_twice(provider, &updated, &want).await;
}

#[tokio::test]
async fn task_definition_revisions() {
    let emu = common::start().await;
    let provider = &emu.provider;
    let ecs = aws_sdk_ecs::Client::new(&emu.config);
    let mut refs = Refs::new();
    for id in ["web/log-group", "web/execution-role", "web/task-role"] {
        create(provider, id, &mut refs).await;
    }
    let want = snapshot::webapp("web/task-definition", &refs);
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
    let unowned = assert_unowned_not_listed(provider, &want).await;
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
    assert_no_diff(provider, &want, &created);
    assert_eq!(provider.read(&want).await.unwrap(), Some(created.clone()));
    // A retried create adopts the identical revision instead of registering another.
    assert_eq!(provider.create(&want).await.unwrap().physical_id, first_arn);

    let found = discover_counted(
        provider,
        "shop",
        "one task definition, one log group, two roles",
    )
    .await;
    assert_eq!(want.id, "web/task-definition");
    assert_one_of_kind(&found, &want);
    assert!(provider.discover("other").await.unwrap().is_empty());

    // A new image is an update: a new revision with a new ARN; the old one is deregistered.
    let mut changed = want.clone();
    changed.properties["ContainerDefinitions"][0]["Image"] = json!("ghcr.io/acme/shop:1.5.0");
    let changes = diff_fields(provider, &changed, &created);
    assert_eq!(changes, ["ContainerDefinitions[0].Image"]);
    assert!(!provider.spec(&want.kind).forces_replace(&changes[0]));
    let updated = update_checked(provider, &changed, &created, &changes).await;
    assert_ne!(updated.attrs["Arn"].as_str().unwrap(), first_arn);
    let describe = |arn: String| ecs.describe_task_definition().task_definition(arn).send();
    let old = describe(first_arn.clone()).await.unwrap();
    assert_eq!(
        old.task_definition().unwrap().status().unwrap().as_str(),
        "INACTIVE"
    );
    let new = describe("shop-web".into()).await.unwrap();
    assert_eq!(
        new.task_definition().unwrap().container_definitions()[0].image(),
        Some("ghcr.io/acme/shop:1.5.0")
    );
    assert_eq!(
        provider.read(&changed).await.unwrap(),
        Some(updated.clone())
    );

    // A revision registered by hand since is not the stack's: delete leaves it ACTIVE.
    let by_hand = ecs
        .register_task_definition()
        .family("shop-web")
        .container_definitions(
            aws_sdk_ecs::types::ContainerDefinition::builder()
                .name("web")
                .image("hotfix")
                .memory(512)
                .build(),
        )
        .send()
        .await
        .unwrap();
    let by_hand = by_hand
        .task_definition()
        .and_then(|t| t.task_definition_arn())
        .unwrap()
        .to_string();
    provider.delete(&updated).await.unwrap();
    let kept = describe(by_hand.clone()).await.unwrap();
    assert_eq!(
        kept.task_definition().unwrap().status().unwrap().as_str(),
        "ACTIVE"
    );
    ecs.deregister_task_definition()
        .task_definition(&by_hand)
        .send()
        .await
        .unwrap();

    delete_twice(provider, &updated, &want).await;
}

/// The network a service needs: the VPC through the provider, subnets, the tasks' security
/// group and the target group made with the SDK (other modules' kinds); their ids in `refs`.
async fn network(emu: &common::Emulator, refs: &mut Refs) {
    let (_, vpc) = create(&emu.provider, "network/vpc", refs).await;
    let vpc_id = vpc.physical_id;
    for (i, cidr) in ["10.0.0.0/24", "10.0.1.0/24"].iter().enumerate() {
        let id = sdk::subnet(&emu.ec2, &vpc_id, cidr, None).await;
        refs.insert(
            (format!("network/public-subnet-{i}"), "Id".into()),
            json!(id),
        );
    }
    let sg = sdk::security_group(&emu.ec2, "shop-web", "tasks", &vpc_id).await;
    refs.insert(("web/security-group".into(), "GroupId".into()), json!(sg));
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&emu.config);
    let arn = sdk::target_group(&elb, "shop-lb-web", &vpc_id).await;
    refs.insert(("lb/target-group/web".into(), "Arn".into()), json!(arn));
}

#[tokio::test]
async fn service_create_read_discover_update_delete() {
    let emu = common::start().await;
    let provider = &emu.provider;
    let ecs = aws_sdk_ecs::Client::new(&emu.config);
    let mut refs = Refs::new();
    network(&emu, &mut refs).await;
    let (_, cluster) = create(provider, "stack/cluster", &mut refs).await;
    for id in ["web/log-group", "web/execution-role", "web/task-role"] {
        create(provider, id, &mut refs).await;
    }
    let (td_node, td) = create(provider, "web/task-definition", &mut refs).await;
    // The version of the secret the tasks read (the parameter is SSM's, not made here).
    refs.insert(("password/parameter".into(), "Version".into()), json!(1));
    let want = snapshot::webapp("web/service", &refs);
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
    let unowned = assert_unowned_not_listed(provider, &want).await;
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
    assert_no_diff(provider, &want, &created);
    assert_eq!(
        created.properties["HealthCheckGracePeriodSeconds"],
        json!(60)
    );
    assert_eq!(created.properties["EnableECSManagedTags"], json!(true));
    // A retried create adopts the service.
    assert_eq!(provider.create(&want).await.unwrap(), created);
    assert_eq!(provider.read(&want).await.unwrap(), Some(created.clone()));

    // The secret's version is recorded as a tag; a new version is a forced new deployment.
    assert_eq!(created.properties["SecretVersions"], json!({"password": 1}));
    assert_eq!(created.tags["fgl:secret-version:password"], json!("1"));
    let deployment = |s: &aws_sdk_ecs::operation::describe_services::DescribeServicesOutput| {
        s.services()[0].deployments()[0].id().map(str::to_string)
    };
    let before = ecs
        .describe_services()
        .cluster(&cluster.physical_id)
        .services("shop-web")
        .send()
        .await
        .unwrap();
    refs.insert(("password/parameter".into(), "Version".into()), json!(2));
    let rotated = snapshot::webapp("web/service", &refs);
    let fields = diff_fields(provider, &rotated, &created);
    assert_eq!(fields, ["SecretVersions.password"]);
    let created = provider.update(&rotated, &created, &fields).await.unwrap();
    assert_no_diff(provider, &rotated, &created);
    let after = ecs
        .describe_services()
        .cluster(&cluster.physical_id)
        .services("shop-web")
        .send()
        .await
        .unwrap();
    assert_ne!(deployment(&after), deployment(&before), "a new deployment");
    let want = rotated;

    let found = discover_counted(
        provider,
        "shop",
        "a VPC, cluster, log group, two roles, task definition, service",
    )
    .await;
    assert_eq!(
        ids(&found),
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
    assert_eq!(want.id, "web/service");
    assert_one_of_kind(&found, &want);
    assert!(provider.discover("other").await.unwrap().is_empty());

    // Update in place: a new task definition revision, the count, the deployment settings.
    let mut new_td = td_node.clone();
    new_td.properties["ContainerDefinitions"][0]["Image"] = json!("ghcr.io/acme/shop:1.5.0");
    let fields = diff_fields(provider, &new_td, &td);
    let td2 = provider.update(&new_td, &td, &fields).await.unwrap();
    let mut changed = want.clone();
    changed.properties["TaskDefinition"] = td2.attrs["Arn"].clone();
    changed.properties["DesiredCount"] = json!(3);
    changed.properties["DeploymentConfiguration"]["MinimumHealthyPercent"] = json!(50);
    let changes = diff_fields(provider, &changed, &created);
    assert!(
        changes
            .iter()
            .all(|f| !provider.spec(&want.kind).forces_replace(f)),
        "{changes:?}"
    );
    let updated = update_checked(provider, &changed, &created, &changes).await;
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
    delete_twice(provider, &updated, &want).await;
    provider.delete(&cluster).await.unwrap();
}
