//! IAM policy documents, least privilege by construction: every statement names the exact
//! resources it needs. The one `*` is `ecr:GetAuthorizationToken`, which AWS only grants on
//! `*` (it returns a registry login, not access to any repository).

use serde_json::{json, Value};

use crate::graph::{ACCOUNT, REGION};

/// Who may assume a task's roles: ECS tasks of this account only (the condition stops another
/// account's ECS from using the role: the confused deputy).
pub fn ecs_tasks_trust() -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "Service": "ecs-tasks.amazonaws.com" },
            "Action": "sts:AssumeRole",
            "Condition": { "StringEquals": { "aws:SourceAccount": ACCOUNT } }
        }]
    })
}

/// An ECR repository, from an image reference `<account>.dkr.ecr.<region>.amazonaws.com/<repo>[:tag|@digest]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EcrRepository {
    pub account: String,
    pub region: String,
    pub name: String,
}

impl EcrRepository {
    pub fn parse(image: &str) -> Option<EcrRepository> {
        let (registry, path) = image.split_once('/')?;
        let mut parts = registry.split('.');
        let account = parts.next()?;
        if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if parts.next()? != "dkr" || parts.next()? != "ecr" {
            return None;
        }
        let region = parts.next()?;
        if parts.next()? != "amazonaws" || region.is_empty() {
            return None;
        }
        // The repository: the path without a digest or tag (a tag follows the last `:`
        // after the last `/`).
        let path = path.split('@').next()?;
        let name = match path.rsplit_once(':') {
            Some((name, tag)) if !tag.contains('/') => name,
            _ => path,
        };
        if name.is_empty() {
            return None;
        }
        Some(EcrRepository {
            account: account.to_string(),
            region: region.to_string(),
            name: name.to_string(),
        })
    }

    pub fn arn(&self) -> String {
        format!(
            "arn:aws:ecr:{}:{}:repository/{}",
            self.region, self.account, self.name
        )
    }
}

/// The ARN of an SSM parameter named `/<stack>/<name>`.
pub fn ssm_parameter_arn(parameter: &str) -> String {
    format!("arn:aws:ssm:{REGION}:{ACCOUNT}:parameter{parameter}")
}

/// The ARN of a KMS key given by id or ARN (rule E0407 saw to the form).
pub fn kms_key_arn(key: &str) -> String {
    if key.starts_with("arn:") {
        key.to_string()
    } else {
        format!("arn:aws:kms:{REGION}:{ACCOUNT}:key/{key}")
    }
}

/// The log group's ARN and that of its streams (`CreateLogStream`/`PutLogEvents` act on
/// streams).
pub fn log_group_arns(log_group: &str) -> (String, String) {
    let group = format!("arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{log_group}");
    let streams = format!("{group}:log-stream:*");
    (group, streams)
}

/// What a task's execution role needs to start the task: pull its image, read exactly its
/// secrets' parameters (and decrypt them with their own KMS keys), write its log group.
pub struct ExecutionNeeds<'a> {
    pub ecr: Option<EcrRepository>,
    /// SSM parameter names (`/shop/app/password`), each once.
    pub parameters: Vec<String>,
    /// KMS key ARNs, each once.
    pub kms_keys: Vec<String>,
    pub log_group: &'a str,
}

pub fn execution_policy(needs: &ExecutionNeeds<'_>) -> Value {
    let mut statements = Vec::new();
    let (_, streams) = log_group_arns(needs.log_group);
    statements.push(json!({
        "Sid": "WriteOwnLogs",
        "Effect": "Allow",
        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": [streams]
    }));
    if let Some(repo) = &needs.ecr {
        statements.push(json!({
            "Sid": "EcrLogin",
            "Effect": "Allow",
            "Action": ["ecr:GetAuthorizationToken"],
            "Resource": "*"
        }));
        statements.push(json!({
            "Sid": "PullOwnImage",
            "Effect": "Allow",
            "Action": ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
            "Resource": [repo.arn()]
        }));
    }
    if !needs.parameters.is_empty() {
        let arns: Vec<String> = needs
            .parameters
            .iter()
            .map(|p| ssm_parameter_arn(p))
            .collect();
        statements.push(json!({
            "Sid": "ReadOwnSecrets",
            "Effect": "Allow",
            "Action": ["ssm:GetParameters"],
            "Resource": arns
        }));
    }
    if !needs.kms_keys.is_empty() {
        statements.push(json!({
            "Sid": "DecryptOwnSecrets",
            "Effect": "Allow",
            "Action": ["kms:Decrypt"],
            "Resource": needs.kms_keys,
            "Condition": { "StringEquals": { "kms:ViaService": format!("ssm.{REGION}.amazonaws.com") } }
        }));
    }
    json!({ "Version": "2012-10-17", "Statement": statements })
}

/// Every policy document in a JSON value (objects with a `Statement`), for the tests.
pub fn policies(value: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        match v {
            Value::Object(map) => {
                if map.contains_key("Statement") {
                    out.push(v);
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items.iter()),
            _ => {}
        }
    }
    out
}

/// Whether a resource pattern holds a wildcard beyond the streams of one log group
/// (`…:log-group:/fgl/shop/web:log-stream:*`, which names no other group).
pub fn is_wildcard(resource: &str) -> bool {
    let streams = resource
        .strip_suffix(":log-stream:*")
        .is_some_and(|group| group.contains(":log-group:") && !group.contains('*'));
    resource.contains('*') && !streams
}

/// The statements of `policy` that grant on a wildcard resource ([`is_wildcard`]), other than
/// ECR's login (`ecr:GetAuthorizationToken` alone, which AWS grants only on `*`).
pub fn wildcard_grants(policy: &Value) -> Vec<&Value> {
    let statements = match policy.get("Statement") {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one) => vec![one],
        None => Vec::new(),
    };
    statements
        .into_iter()
        .filter(|s| {
            let resources: Vec<&str> = match s.get("Resource") {
                Some(Value::String(r)) => vec![r.as_str()],
                Some(Value::Array(rs)) => rs.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            let star = resources.iter().any(|r| is_wildcard(r));
            let login_only = s.get("Action") == Some(&json!(["ecr:GetAuthorizationToken"]));
            star && !login_only
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecr_images() {
        let repo =
            EcrRepository::parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/shop:1.4.2")
                .unwrap();
        assert_eq!(
            repo.arn(),
            "arn:aws:ecr:eu-west-1:123456789012:repository/team/shop"
        );
        let digest =
            EcrRepository::parse("123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop@sha256:abc")
                .unwrap();
        assert_eq!(digest.name, "shop");
        assert_eq!(EcrRepository::parse("ghcr.io/acme/shop:1"), None);
        assert_eq!(EcrRepository::parse("nginx:1.27"), None);
    }
}
