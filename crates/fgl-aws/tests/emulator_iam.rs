//! `AWS::IAM::Role` end to end against moto, from the nodes of the webapp snapshot.

mod common;

use common::check::{
    assert_no_diff, delete_twice, diff_fields, discover_counted, ids, read_unowned, update_checked,
};
use common::sdk;
use common::snapshot::{self, Refs, ACCOUNT};
use fgl_plan::{Provider, ID_TAG};
use serde_json::json;

/// The names of the inline policies of the role `name`, as IAM has them, sorted.
async fn role_policies(iam: &aws_sdk_iam::Client, name: &str) -> Vec<String> {
    let out = iam
        .list_role_policies()
        .role_name(name)
        .send()
        .await
        .unwrap();
    let mut names = out.policy_names().to_vec();
    names.sort();
    names
}

#[tokio::test]
async fn role_create_read_discover_update_delete() {
    let emu = common::start().await;
    let provider = &emu.provider;
    let iam = aws_sdk_iam::Client::new(&emu.config);
    let want = snapshot::webapp("web/execution-role", &Refs::new());
    let spec = provider.spec(&want.kind);
    assert_eq!(want.properties["Path"], json!("/fgl/shop/"));
    assert_eq!(provider.read(&want).await.unwrap(), None);

    // A same-named role made outside fgl is read without fgl tags, never listed.
    iam.create_role()
        .role_name("shop-web-execution")
        .assume_role_policy_document(want.properties["AssumeRolePolicyDocument"].to_string())
        .send()
        .await
        .unwrap();
    let unowned = read_unowned(provider, &want).await;
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
    assert_no_diff(provider, &want, &created);
    assert_eq!(provider.read(&want).await.unwrap(), Some(created.clone()));
    assert_eq!(provider.create(&want).await.unwrap(), created);

    // The task role has no inline policy: also an empty second plan.
    let task = snapshot::webapp("web/task-role", &Refs::new());
    let task_live = provider.create(&task).await.unwrap();
    assert_no_diff(provider, &task, &task_live);

    // Discover: both roles of the shop, none of another stack.
    let found = discover_counted(provider, "shop", "two roles").await;
    assert_eq!(ids(&found), ["web/execution-role", "web/task-role"]);
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
    let fields = diff_fields(provider, &changed, &created);
    // A policy added: the list differs as a whole.
    assert!(fields.contains(&"Policies".to_string()), "{fields:?}");
    let updated = update_checked(provider, &changed, &created, &fields).await;
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
    let tags = role.tags().iter().map(|t| (Some(t.key()), Some(t.value())));
    assert!(sdk::has_tag(tags, "Team", "web"));
    assert_eq!(
        role_policies(&iam, "shop-web-execution").await,
        ["extra", "fgl-execution"]
    );

    // Removing the extra policy deletes it.
    let fields = diff_fields(provider, &want, &updated);
    let back = update_checked(provider, &want, &updated, &fields).await;
    assert_eq!(
        role_policies(&iam, "shop-web-execution").await,
        ["fgl-execution"]
    );
    assert!(spec.forces_replace("RoleName"));
    assert!(spec.forces_replace("Path"));

    // Delete (its inline policy first), twice.
    delete_twice(provider, &back, &want).await;
    provider.delete(&task_live).await.unwrap();
    assert!(provider.discover("shop").await.unwrap().is_empty());
}
