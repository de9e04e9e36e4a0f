//! `Container` → a log group, an execution role (pull its image, read exactly its secrets,
//! write its log group), a task role, a security group (ingress only from its load balancers,
//! added by them), a task definition and an ECS service in the stack's cluster, with the
//! deployment circuit breaker.

use serde_json::{json, Value};

use super::iam::{self, EcrRepository, ExecutionNeeds};
use super::{names, secret, Attachment, Cx, Owner, Subnets};
use crate::graph::{reference, REGION};
use crate::model::{Container, Kind, Model};

pub const CLUSTER: &str = "stack/cluster";

/// The stack's ECS cluster (one per stack).
pub fn cluster(cx: &mut Cx<'_>) {
    let name = names::cluster(cx.stack);
    cx.add(
        Owner::STACK,
        "cluster",
        "AWS::ECS::Cluster",
        Some(name.clone()),
        json!({ "ClusterName": name }),
    );
}

/// The name of a container in its task definition.
pub fn container_name(id: &str) -> String {
    names::derive(id, names::ECS)
}

pub fn lower(cx: &mut Cx<'_>, model: &Model<'_>, c: &Container<'_>, subnets: &Subnets) {
    let owner = Owner::of(c.res, Kind::Container);
    let id = owner.id;
    let stack = cx.stack;

    let log_group_name = names::log_group(stack, id);
    let log_group = cx.add(
        owner,
        "log-group",
        "AWS::Logs::LogGroup",
        Some(log_group_name.clone()),
        json!({ "LogGroupName": log_group_name, "RetentionInDays": c.retention_days }),
    );

    // The secrets it reads, each once, in the order of `secrets`.
    let mut parameters: Vec<String> = Vec::new();
    let mut parameter_nodes: Vec<String> = Vec::new();
    let mut kms_keys: Vec<String> = Vec::new();
    let mut secret_env = Vec::new();
    for (env_name, secret_id) in &c.secrets {
        let Some(s) = model.secret(secret_id) else {
            continue;
        };
        let parameter = names::ssm_parameter(stack, s.name);
        secret_env
            .push(json!({ "Name": env_name, "ValueFrom": iam::ssm_parameter_arn(&parameter) }));
        if !parameters.contains(&parameter) {
            parameters.push(parameter);
            parameter_nodes.push(secret::parameter_node(secret_id));
        }
        if let Some(key) = s.kms_key {
            let arn = iam::kms_key_arn(key);
            if !kms_keys.contains(&arn) {
                kms_keys.push(arn);
            }
        }
    }

    let execution_name = names::role(stack, id, "execution");
    let needs = ExecutionNeeds {
        ecr: EcrRepository::parse(c.image),
        parameters,
        kms_keys,
        log_group: &log_group_name,
    };
    let execution_role = cx.add(
        owner,
        "execution-role",
        "AWS::IAM::Role",
        Some(execution_name.clone()),
        json!({
            "RoleName": execution_name,
            // Lets discovery list exactly the stack's roles (ListRoles by path prefix).
            "Path": format!("/fgl/{stack}/"),
            "Description": format!("fgl {stack}/{id}: starts the tasks (image, secrets, logs)"),
            "AssumeRolePolicyDocument": iam::ecs_tasks_trust(),
            "Policies": [{ "PolicyName": "fgl-execution", "PolicyDocument": iam::execution_policy(&needs) }],
        }),
    );
    let task_name = names::role(stack, id, "task");
    let task_role = cx.add(
        owner,
        "task-role",
        "AWS::IAM::Role",
        Some(task_name.clone()),
        json!({
            "RoleName": task_name,
            // Lets discovery list exactly the stack's roles (ListRoles by path prefix).
            "Path": format!("/fgl/{stack}/"),
            "Description": format!("fgl {stack}/{id}: the application's own permissions (none)"),
            "AssumeRolePolicyDocument": iam::ecs_tasks_trust(),
        }),
    );

    let sg_name = names::security_group(stack, id);
    cx.add(
        owner,
        "security-group",
        "AWS::EC2::SecurityGroup",
        Some(sg_name.clone()),
        json!({
            "GroupName": sg_name,
            "GroupDescription": format!("fgl {stack}/{id}: tasks (ingress only from their load balancers)"),
            "VpcId": reference(&subnets.vpc, "Id"),
            "SecurityGroupEgress": [{ "IpProtocol": "-1", "CidrIp": "0.0.0.0/0", "Description": "image pulls, AWS APIs, the application's calls" }],
        }),
    );

    let mut definition = json!({
        "Name": container_name(id),
        "Image": c.image,
        "Essential": true,
        "Environment": c.env.iter().map(|(k, v)| json!({ "Name": k, "Value": v })).collect::<Vec<_>>(),
        "Secrets": secret_env,
        "LogConfiguration": {
            "LogDriver": "awslogs",
            "Options": {
                "awslogs-group": log_group_name,
                "awslogs-region": REGION,
                "awslogs-stream-prefix": "ecs",
            }
        },
    });
    if let Some(port) = c.port {
        definition["PortMappings"] = json!([{ "ContainerPort": port, "Protocol": "tcp" }]);
    }
    if let Some(command) = &c.command {
        definition["Command"] = json!(command);
    }
    let family = names::ecs(stack, id);
    let task_definition = cx.add(
        owner,
        "task-definition",
        "AWS::ECS::TaskDefinition",
        Some(family.clone()),
        json!({
            "Family": family,
            "Cpu": c.cpu.to_string(),
            "Memory": c.memory.to_string(),
            "NetworkMode": "awsvpc",
            "RequiresCompatibilities": ["FARGATE"],
            "RuntimePlatform": { "OperatingSystemFamily": "LINUX", "CpuArchitecture": "X86_64" },
            "ExecutionRoleArn": reference(&execution_role, "Arn"),
            "TaskRoleArn": reference(&task_role, "Arn"),
            "ContainerDefinitions": [definition],
        }),
    );
    // A task starts only once its log group exists and its secrets' parameters do.
    cx.depend(&task_definition, &log_group);
    for node in parameter_nodes {
        cx.depend(&task_definition, &node);
    }
}

/// The container's ECS service: after the load balancers, whose target groups it registers
/// with and whose listeners must forward to them first.
pub fn service(cx: &mut Cx<'_>, c: &Container<'_>, subnets: &Subnets, attachments: &[Attachment]) {
    let owner = Owner::of(c.res, Kind::Container);
    let id = owner.id;
    let mine: Vec<&Attachment> = attachments.iter().filter(|a| a.container == id).collect();
    let placed_in = if c.private {
        &subnets.private
    } else {
        &subnets.public
    };
    let load_balancers: Vec<Value> = mine
        .iter()
        .map(|a| {
            json!({
                "TargetGroupArn": reference(&a.target_group, "Arn"),
                "ContainerName": container_name(id),
                "ContainerPort": c.port,
            })
        })
        .collect();
    let name = names::ecs(cx.stack, id);
    let mut props = json!({
        "ServiceName": name,
        "Cluster": reference(CLUSTER, "Arn"),
        "TaskDefinition": reference(&owner.node("task-definition"), "Arn"),
        "DesiredCount": c.replicas,
        "LaunchType": "FARGATE",
        "PlatformVersion": "LATEST",
        "PropagateTags": "SERVICE",
        "EnableECSManagedTags": true,
        "NetworkConfiguration": {
            "AwsvpcConfiguration": {
                "Subnets": placed_in.iter().map(|s| reference(s, "Id")).collect::<Vec<_>>(),
                "SecurityGroups": [reference(&owner.node("security-group"), "GroupId")],
                "AssignPublicIp": if c.private { "DISABLED" } else { "ENABLED" },
            }
        },
        "DeploymentConfiguration": {
            "MinimumHealthyPercent": c.deployment.min_percent,
            "MaximumPercent": c.deployment.max_percent,
            "DeploymentCircuitBreaker": {
                "Enable": c.deployment.circuit_breaker,
                "Rollback": c.deployment.rollback,
            }
        },
    });
    // The version of each secret the tasks read: `fgl secret set` makes a new one, and the
    // service is redeployed, since tasks read secrets only when they start.
    let versions: serde_json::Map<String, Value> = c
        .secrets
        .iter()
        .map(|(_, secret_id)| {
            (
                secret_id.to_string(),
                reference(&secret::parameter_node(secret_id), "Version"),
            )
        })
        .collect();
    if !versions.is_empty() {
        props["SecretVersions"] = Value::Object(versions);
    }
    if !load_balancers.is_empty() {
        props["LoadBalancers"] = json!(load_balancers);
        // Tasks get this long to pass the load balancer's health check before ECS counts
        // failures, so slow starters are not killed in a loop.
        props["HealthCheckGracePeriodSeconds"] = json!(60);
    }
    let service = cx.add(owner, "service", "AWS::ECS::Service", Some(name), props);
    for a in mine {
        for f in &a.forwarders {
            cx.depend(&service, f);
        }
    }
}
