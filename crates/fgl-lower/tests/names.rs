//! Every name fgl derives respects its AWS limits (length, characters, forbidden prefixes) and
//! stays unique, for long stack names and long, nested binding names; and names are stable.

mod common;

use fgl_lower::lower::names::{self, Limit};
use fgl_lower::{Graph, Node};

/// The AWS limit of a node's name, by kind.
fn limit(kind: &str) -> Option<Limit> {
    Some(match kind {
        "AWS::ElasticLoadBalancingV2::LoadBalancer"
        | "AWS::ElasticLoadBalancingV2::TargetGroup" => names::ELB,
        "AWS::IAM::Role" => names::IAM_ROLE,
        "AWS::ECS::Cluster" | "AWS::ECS::Service" | "AWS::ECS::TaskDefinition" => names::ECS,
        "AWS::Logs::LogGroup" => names::LOG_GROUP,
        "AWS::EC2::SecurityGroup" => names::SECURITY_GROUP,
        _ => return None,
    })
}

fn check_names(what: &str, graph: &Graph) {
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for node in &graph.nodes {
        check_tags(what, node);
        let Some(name) = &node.name else { continue };
        if let Some(limit) = limit(&node.kind) {
            assert!(
                limit.accepts(name),
                "{what}: {} `{name}` ({} chars) breaks {limit:?}",
                node.kind,
                name.len()
            );
        }
        if node.kind.starts_with("AWS::ElasticLoadBalancingV2::") {
            assert!(
                !name.starts_with('-') && !name.ends_with('-'),
                "{what}: `{name}`"
            );
        }
        if node.kind == "AWS::ElasticLoadBalancingV2::LoadBalancer" {
            assert!(!name.starts_with("internal-"), "{what}: `{name}`");
        }
        if node.kind == "AWS::EC2::SecurityGroup" {
            assert!(!name.starts_with("sg-"), "{what}: `{name}`");
        }
        if node.kind == "AWS::SSM::Parameter" {
            assert!(
                name.len() <= 950 && name.starts_with('/'),
                "{what}: `{name}`"
            );
        }
        if !node.lookup && node.kind != "AWS::EC2::Subnet" && !node.kind.starts_with("AWS::EC2::") {
            assert!(
                !seen.contains(&(node.kind.as_str(), name.as_str())),
                "{what}: two {} named `{name}`",
                node.kind
            );
            seen.push((&node.kind, name));
        }
        if node.kind == "AWS::ECS::TaskDefinition" {
            let container = node.properties["ContainerDefinitions"][0]["Name"]
                .as_str()
                .unwrap_or_default();
            assert!(
                names::ECS.accepts(container),
                "{what}: container name `{container}`"
            );
        }
    }
}

fn check_tags(what: &str, node: &Node) {
    for (key, value) in &node.tags {
        let value = value.as_str().unwrap_or_default();
        assert!(key.len() <= 128, "{what}: tag key `{key}`");
        assert!(
            value.chars().count() <= 256,
            "{what}: tag `{key}` of `{}` is too long",
            node.id
        );
    }
}

#[test]
fn example_names_respect_the_limits() {
    for (name, graph) in common::examples() {
        check_names(&name, &graph);
    }
}

/// A stack of the longest name allowed, bindings with long names, nested ones and ones that
/// differ only by `_` versus `.`.
fn long_program(stack: &str, binding: &str) -> String {
    format!(
        r#"import "std/aws"
stack = "{stack}"
{binding}_secret = aws.Secret {{ name = "{binding}/password" }}
{binding} = aws.Container {{ image = "nginx:1.27", port = 80, secrets = {{ P = {binding}_secret }} }}
{binding}_b = aws.Container {{ image = "nginx:1.27", port = 81 }}
services = {{ {binding} = aws.Container {{ image = "nginx:1.27", port = 82 }}, x_y = aws.Container {{ image = "nginx:1.27", port = 83 }} }}
services_x = {{ y = aws.Container {{ image = "nginx:1.27", port = 84 }} }}
{binding}_lb = aws.LoadBalancer {{
  target = {binding}
  routes = [
    {{ path = "/b/*", target = {binding}_b }},
    {{ path = "/c/*", target = services.{binding} }},
    {{ path = "/d/*", target = services.x_y }},
    {{ path = "/e/*", target = services_x.y }},
  ]
}}
"#
    )
}

#[test]
fn long_stack_and_binding_names_respect_the_limits() {
    let stacks = [
        "a",
        "shop",
        "internal",
        "sg",
        "a-very-long-stack-name-0123",
        "ends-with-",
    ];
    let bindings = [
        "w".to_string(),
        "web_app".to_string(),
        "x".repeat(40),
        format!("service_{}", "long_".repeat(30)),
    ];
    for stack in stacks {
        assert!(stack.len() <= 28);
        for binding in &bindings {
            let text = long_program(stack, binding);
            let graph = common::lower(&text).unwrap_or_else(|e| panic!("{e:?}\n{text}"));
            check_names(&format!("stack {stack}, binding {binding}"), &graph);
            let problems = graph.problems();
            assert!(problems.is_empty(), "{problems:#?}");
        }
    }
}

#[test]
fn names_are_stable_and_readable_when_short() {
    let graph = common::lower(&long_program("shop", "web")).expect("lowers");
    let name = |id: &str| {
        graph
            .node(id)
            .and_then(|n| n.name.clone())
            .unwrap_or_default()
    };
    assert_eq!(
        name("web_lb/load-balancer"),
        format!("shop-web-lb-{}", names::short_hash("shop-web_lb"))
    );
    assert_eq!(name("web/service"), "shop-web");
    assert_eq!(name("web/execution-role"), "shop-web-execution");
    assert_eq!(name("web/log-group"), "/fgl/shop/web");
    assert_eq!(name("services.web/service"), "shop-services-web");
    // `services.x_y` and `services_x.y` must not collide in the ELB character set.
    let a = name("web_lb/target-group/services.x_y");
    let b = name("web_lb/target-group/services_x.y");
    assert_ne!(a, b);
    // Lowering twice gives the same graph.
    assert_eq!(
        graph,
        common::lower(&long_program("shop", "web")).expect("lowers")
    );
}
