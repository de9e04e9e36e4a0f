//! `AWS::IAM::Role` end to end against moto, from the nodes of the webapp snapshot.

mod common;

use common::{config, resolved, Moto};
use fgl_aws::AwsProvider;
use fgl_lower::Node;
use fgl_plan::{Provider, Resolved, ID_TAG, STACK_TAG};
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

/// The node for `stack`, with its placeholders filled as the engine does.
fn desired(node: &Node, stack: &str) -> Resolved {
    let text = serde_json::to_string(&resolved(stack, node))
        .unwrap()
        .replace("${aws:account}", ACCOUNT)
        .replace("${aws:region}", REGION);
    let v: Value = serde_json::from_str(&text).unwrap();
    Resolved {
        properties: v["properties"].as_object().unwrap().clone(),
        ..resolved(stack, node)
    }
}

#[tokio::test]
async fn role_create_read_discover_update_delete() {
    let moto = Moto::start();
    let config = config(&moto.url).await;
    let provider = AwsProvider::new(&config);
    let iam = aws_sdk_iam::Client::new(&config);
    let node = snapshot_node("webapp", "web/execution-role");
    let want = desired(&node, "shop");
    let spec = provider.spec(&node.kind);
    assert_eq!(want.properties["Path"], json!("/fgl/shop/"));
    assert_eq!(provider.read(&want).await.unwrap(), None);

    // A same-named role made outside fgl is read without fgl tags, never listed.
    iam.create_role()
        .role_name("shop-web-execution")
        .assume_role_policy_document(want.properties["AssumeRolePolicyDocument"].to_string())
        .send()
        .await
        .unwrap();
    let unowned = provider.read(&want).await.unwrap().expect("unowned role");
    assert!(!unowned.tags.contains_key(STACK_TAG), "{unowned:?}");
    assert!(provider.discover("shop").await.unwrap().is_empty());
    provider.delete(&unowned).await.unwrap();

    // Create: tagged, under the stack's path, with its inline policy; the second plan is
    // empty.
    let created = provider.create(&want).await.unwrap();
    assert_eq!(created.id, "web/execution-role");
    assert_eq!(created.tags[ID_TAG], json!("web/execution-role"));
    assert_eq!(
        created.attrs["Arn"],
        json!(format!(
            "arn:aws:iam::{ACCOUNT}:role/fgl/shop/shop-web-execution"
        ))
    );
    assert_eq!(
        created.properties["Policies"][0]["PolicyName"],
        json!("fgl-execution")
    );
    let diff = fgl_plan::diff::diff(
        &spec,
        &want.properties,
        &created.properties,
        &want.tags,
        &created.tags,
    );
    assert!(diff.is_empty(), "{diff:?}");
    assert_eq!(provider.read(&want).await.unwrap(), Some(created.clone()));
    assert_eq!(provider.create(&want).await.unwrap(), created);

    // The task role has no inline policy: also an empty second plan.
    let task = desired(&snapshot_node("webapp", "web/task-role"), "shop");
    let task_live = provider.create(&task).await.unwrap();
    let diff = fgl_plan::diff::diff(
        &spec,
        &task.properties,
        &task_live.properties,
        &task.tags,
        &task_live.tags,
    );
    assert!(diff.is_empty(), "{diff:?}");

    // Discover: both roles of the shop, none of another stack.
    let (reads, _) = provider.call_log().counts();
    let mut ids: Vec<String> = provider
        .discover("shop")
        .await
        .unwrap()
        .into_iter()
        .map(|l| l.id)
        .collect();
    let (reads_after, _) = provider.call_log().counts();
    eprintln!(
        "discover(shop) with two roles: {} reads",
        reads_after - reads
    );
    ids.sort();
    assert_eq!(ids, ["web/execution-role", "web/task-role"]);
    assert!(provider.discover("other").await.unwrap().is_empty());

    // Update: the trust policy, the description, the inline policies (one changed, one
    // added) and a tag, each read back through the SDK.
    let mut changed = want.clone();
    changed.properties["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]["Service"] =
        json!("ecs.amazonaws.com");
    changed
        .properties
        .insert("Description".into(), json!("changed"));
    changed.properties["Policies"][0]["PolicyDocument"]["Statement"][1]["Action"] =
        json!(["ssm:GetParameters", "ssm:GetParameter"]);
    changed.properties["Policies"].as_array_mut().unwrap().push(
        json!({"PolicyName": "extra", "PolicyDocument": {"Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}),
    );
    changed.tags.insert("Team".into(), json!("web"));
    let fields = diff_fields(&provider, &changed, &created);
    // A policy added: the list differs as a whole.
    assert!(fields.contains(&"Policies".to_string()), "{fields:?}");
    let updated = provider.update(&changed, &created, &fields).await.unwrap();
    let diff = fgl_plan::diff::diff(
        &spec,
        &changed.properties,
        &updated.properties,
        &changed.tags,
        &updated.tags,
    );
    assert!(diff.is_empty(), "{diff:?}");
    let role = iam
        .get_role()
        .role_name("shop-web-execution")
        .send()
        .await
        .unwrap();
    let role = role.role().unwrap();
    assert_eq!(role.description(), Some("changed"));
    assert!(role
        .assume_role_policy_document()
        .unwrap()
        .contains("ecs.amazonaws.com"));
    assert!(role
        .tags()
        .iter()
        .any(|t| t.key() == "Team" && t.value() == "web"));
    let names = iam
        .list_role_policies()
        .role_name("shop-web-execution")
        .send()
        .await
        .unwrap();
    let mut names = names.policy_names().to_vec();
    names.sort();
    assert_eq!(names, ["extra", "fgl-execution"]);

    // Removing the extra policy deletes it.
    let fields = diff_fields(&provider, &want, &updated);
    let back = provider.update(&want, &updated, &fields).await.unwrap();
    let diff = fgl_plan::diff::diff(
        &spec,
        &want.properties,
        &back.properties,
        &want.tags,
        &back.tags,
    );
    assert!(diff.is_empty(), "{diff:?}");
    let names = iam
        .list_role_policies()
        .role_name("shop-web-execution")
        .send()
        .await
        .unwrap();
    assert_eq!(names.policy_names(), ["fgl-execution"]);
    assert!(spec.forces_replace("RoleName"));
    assert!(spec.forces_replace("Path"));

    // Delete (its inline policy first), twice.
    provider.delete(&back).await.unwrap();
    assert_eq!(provider.read(&want).await.unwrap(), None);
    provider.delete(&back).await.unwrap();
    provider.delete(&task_live).await.unwrap();
    assert!(provider.discover("shop").await.unwrap().is_empty());
}

/// The fields the engine would pass to `update`.
fn diff_fields(provider: &AwsProvider, node: &Resolved, live: &fgl_plan::Live) -> Vec<String> {
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
