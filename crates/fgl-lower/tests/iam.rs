//! Least privilege by construction: no generated policy grants on a wildcard resource, except
//! ECR's `GetAuthorizationToken` (which AWS only grants on `*`), and each execution role reads
//! exactly the SSM parameters of its own container's secrets — across every example and
//! generated programs.

mod common;

use fgl_lower::lower::iam;
use fgl_lower::Graph;
use proptest::prelude::*;
use serde_json::Value;

fn assert_least_privilege(what: &str, graph: &Graph) {
    let mut policies = 0;
    for node in &graph.nodes {
        let props = Value::Object(node.properties.clone());
        for policy in iam::policies(&props) {
            policies += 1;
            let bad = iam::wildcard_grants(policy);
            assert!(
                bad.is_empty(),
                "{what}: `{}` grants on a wildcard: {bad:#?}",
                node.id
            );
        }
    }
    let roles = graph
        .nodes
        .iter()
        .filter(|n| n.kind == "AWS::IAM::Role")
        .count();
    assert!(
        policies >= roles,
        "{what}: every role has at least a trust policy"
    );
}

/// The resources of the statement `sid` of a container's execution policy.
fn granted(graph: &Graph, container: &str, sid: &str) -> Vec<String> {
    let Some(role) = graph.node(&format!("{container}/execution-role")) else {
        return Vec::new();
    };
    let Some(statements) = role.properties["Policies"][0]["PolicyDocument"]["Statement"].as_array()
    else {
        return Vec::new();
    };
    let mut out: Vec<String> = statements
        .iter()
        .filter(|s| s["Sid"] == sid)
        .flat_map(|s| s["Resource"].as_array().cloned().unwrap_or_default())
        .filter_map(|r| r.as_str().map(str::to_string))
        .collect();
    out.sort();
    out
}

#[test]
fn examples_grant_nothing_on_a_wildcard() {
    for (name, graph) in common::examples() {
        assert_least_privilege(&name, &graph);
    }
}

#[test]
fn the_execution_role_reads_exactly_its_secrets() {
    let graph = common::lower(
        r#"import "std/aws"
stack = "shop"
a = aws.Secret { name = "app/a" }
b = aws.Secret { name = "app/b", kms_key = "1234abcd-12ab-34cd-56ef-1234567890ab" }
unused = aws.Secret { name = "app/unused" }
web = aws.Container { image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop:1", secrets = { A = a, B = b, A2 = a } }
other = aws.Container { image = "nginx:1.27", secrets = { A = a } }
"#,
    )
    .expect("lowers");
    assert_least_privilege("program", &graph);
    let arn =
        |p: &str| format!("arn:aws:ssm:${{aws:region}}:${{aws:account}}:parameter/shop/app/{p}");
    assert_eq!(
        granted(&graph, "web", "ReadOwnSecrets"),
        vec![arn("a"), arn("b")]
    );
    assert_eq!(granted(&graph, "other", "ReadOwnSecrets"), vec![arn("a")]);
    assert_eq!(
        granted(&graph, "web", "DecryptOwnSecrets"),
        vec!["arn:aws:kms:${aws:region}:${aws:account}:key/1234abcd-12ab-34cd-56ef-1234567890ab"]
    );
    assert!(granted(&graph, "other", "DecryptOwnSecrets").is_empty());
    assert_eq!(
        granted(&graph, "web", "PullOwnImage"),
        vec!["arn:aws:ecr:eu-west-1:123456789012:repository/shop"]
    );
    assert!(granted(&graph, "other", "PullOwnImage").is_empty());
    assert!(
        granted(&graph, "other", "EcrLogin").is_empty(),
        "no ECR login for a public image"
    );
    assert_eq!(
        granted(&graph, "web", "WriteOwnLogs"),
        vec!["arn:aws:logs:${aws:region}:${aws:account}:log-group:/fgl/shop/web:log-stream:*"]
    );
}

/// A program of `secrets.len()` secrets (with a KMS key or not) and containers, each reading a
/// subset of the secrets (by index) from an ECR image or not.
fn program(secrets: &[bool], containers: &[(Vec<usize>, bool)]) -> String {
    let mut text = String::from("import \"std/aws\"\nstack = \"gen\"\n");
    for (i, kms) in secrets.iter().enumerate() {
        let key = if *kms {
            format!(", kms_key = \"arn:aws:kms:eu-west-1:111122223333:key/0000000{i}-12ab-34cd-56ef-1234567890ab\"")
        } else {
            String::new()
        };
        text.push_str(&format!(
            "s{i} = aws.Secret {{ name = \"svc/s{i}\"{key} }}\n"
        ));
    }
    for (c, (uses, ecr)) in containers.iter().enumerate() {
        let image = if *ecr {
            format!("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/c{c}:1")
        } else {
            format!("docker.io/acme/c{c}:1")
        };
        // Each secret under two names at most once each: `A{i}` and, when listed again, `B{i}`
        // (one secret read through two variables is still one parameter to grant).
        let mut env: Vec<String> = Vec::new();
        for i in uses.iter().filter(|i| **i < secrets.len()) {
            let name = if env.contains(&format!("A{i} = s{i}")) {
                format!("B{i}")
            } else {
                format!("A{i}")
            };
            let entry = format!("{name} = s{i}");
            if !env.contains(&entry) {
                env.push(entry);
            }
        }
        text.push_str(&format!(
            "c{c} = aws.Container {{ image = \"{image}\", secrets = {{ {} }} }}\n",
            env.join(", ")
        ));
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn generated_programs_are_least_privilege(
        secrets in prop::collection::vec(any::<bool>(), 0..6),
        containers in prop::collection::vec((prop::collection::vec(0usize..6, 0..4), any::<bool>()), 1..5),
    ) {
        let text = program(&secrets, &containers);
        let graph = common::lower(&text).map_err(|e| TestCaseError::fail(format!("{e:?}\n{text}")))?;
        assert_least_privilege(&text, &graph);
        for (c, (uses, _)) in containers.iter().enumerate() {
            let mut wanted: Vec<String> = uses
                .iter()
                .filter(|i| **i < secrets.len())
                .map(|i| format!("arn:aws:ssm:${{aws:region}}:${{aws:account}}:parameter/gen/svc/s{i}"))
                .collect();
            wanted.sort();
            wanted.dedup();
            prop_assert_eq!(granted(&graph, &format!("c{c}"), "ReadOwnSecrets"), wanted);
        }
    }
}

#[test]
fn the_check_itself_sees_wildcards() {
    let policy = serde_json::json!({ "Statement": [
        { "Action": ["ecr:GetAuthorizationToken"], "Resource": "*" },
        { "Action": ["ssm:GetParameters"], "Resource": ["arn:aws:ssm:r:a:parameter/shop/*"] },
        { "Action": ["logs:PutLogEvents"], "Resource": ["arn:aws:logs:r:a:log-group:/fgl/shop/web:log-stream:*"] },
        { "Action": ["logs:PutLogEvents"], "Resource": ["arn:aws:logs:r:a:log-group:*:log-stream:*"] },
        { "Action": ["s3:GetObject", "ecr:GetAuthorizationToken"], "Resource": "*" },
    ]});
    assert_eq!(iam::wildcard_grants(&policy).len(), 3);
}
