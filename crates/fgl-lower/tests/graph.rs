//! The graph is sound for every example: unique ids, no reference to a missing node, every
//! node after what it needs (so no cycle), tags on everything taggable, a JSON round trip, and
//! nothing read from the stdlib lost (every declared resource owns nodes).

mod common;

use fgl_lower::Graph;

#[test]
fn example_graphs_are_sound() {
    for (name, graph) in common::examples() {
        let problems = graph.problems();
        assert!(problems.is_empty(), "{name}: {problems:#?}");
        for node in &graph.nodes {
            let untaggable = node.lookup
                || node.kind.starts_with("fgl::")
                || matches!(
                    node.kind.as_str(),
                    "AWS::Route53::RecordSet"
                        | "AWS::EC2::VPCGatewayAttachment"
                        | "AWS::EC2::Route"
                        | "AWS::EC2::SubnetRouteTableAssociation"
                        | "AWS::EC2::SecurityGroupIngress"
                );
            if !untaggable {
                assert_eq!(node.tags["fgl:stack"], graph.stack, "{name}: {}", node.id);
                assert_eq!(node.tags["fgl:id"], node.id.as_str(), "{name}: {}", node.id);
            }
            assert!(
                node.id.starts_with(&format!("{}/", node.owner)),
                "{name}: {}",
                node.id
            );
        }
        let text = serde_json::to_string(&graph).expect("serializes");
        let back: Graph = serde_json::from_str(&text).expect("deserializes");
        assert_eq!(back, graph, "{name}: JSON round trip");
    }
}

#[test]
fn every_kind_lowers_to_its_aws_resources() {
    let graph = common::lower(
        r#"import "std/aws"
stack = "shop"
password = aws.Secret { name = "app/password" }
cert = aws.Certificate { domain = "shop.example.com", zone = "example.com" }
web = aws.Container { image = "nginx:1.27", port = 80, secrets = { P = password } }
lb = aws.LoadBalancer { certificate = cert, domains = ["shop.example.com"], target = web }
"#,
    )
    .expect("lowers");
    let kinds = |owner: &str| -> Vec<&str> {
        graph
            .nodes
            .iter()
            .filter(|n| n.owner == owner)
            .map(|n| n.kind.as_str())
            .collect()
    };
    assert_eq!(kinds("password"), ["AWS::SSM::Parameter"]);
    assert_eq!(kinds("stack"), ["AWS::ECS::Cluster"]);
    assert!(
        kinds("network").contains(&"AWS::EC2::VPC"),
        "the default network"
    );
    for kind in [
        "AWS::Logs::LogGroup",
        "AWS::IAM::Role",
        "AWS::EC2::SecurityGroup",
        "AWS::ECS::TaskDefinition",
        "AWS::ECS::Service",
    ] {
        assert!(kinds("web").contains(&kind), "web lowers to {kind}");
    }
    for kind in [
        "AWS::EC2::SecurityGroup",
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        "AWS::ElasticLoadBalancingV2::Listener",
        "AWS::Route53::RecordSet",
    ] {
        assert!(kinds("lb").contains(&kind), "lb lowers to {kind}");
    }
    // The HTTPS listener waits for the certificate; the service for the listener.
    let https = graph.node("lb/listener-https").expect("an HTTPS listener");
    assert!(https.depends_on.iter().any(|d| d == "cert/validation"));
    let service = graph.node("web/service").expect("a service");
    assert!(service.depends_on.iter().any(|d| d == "lb/listener-https"));
    // The parameter holds no value: fgl never has one.
    let parameter = graph.node("password/parameter").expect("a parameter");
    assert!(!parameter.properties.contains_key("Value"));
}

#[test]
fn a_stack_name_is_required() {
    let errors = common::lower("import \"std/aws\"\nweb = aws.Container { image = \"x\" }\n")
        .expect_err("no stack");
    assert!(errors[0].starts_with("[E0414]"), "{errors:?}");
}

#[test]
fn drawings_name_every_node() {
    for (name, graph) in common::examples() {
        let dot = fgl_lower::render::dot(&graph);
        let mermaid = fgl_lower::render::mermaid(&graph);
        for node in &graph.nodes {
            assert!(
                dot.contains(&format!("\"{}\"", node.id)),
                "{name}: {}",
                node.id
            );
        }
        let edges: usize = graph.nodes.iter().map(|n| n.depends_on.len()).sum();
        assert_eq!(mermaid.matches(" --> ").count(), edges, "{name}");
        assert_eq!(dot.matches(" -> ").count(), edges, "{name}");
    }
}
