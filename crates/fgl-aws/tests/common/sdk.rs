//! Resources made with the SDK, outside fgl: the parents of the kinds under test that are
//! other modules' kinds, and the resources in the way of a node.

use aws_sdk_elasticloadbalancingv2::types::{ProtocolEnum, TargetTypeEnum};

/// A VPC of `cidr`; its id.
pub async fn vpc(ec2: &aws_sdk_ec2::Client, cidr: &str) -> String {
    let out = ec2.create_vpc().cidr_block(cidr).send().await.unwrap();
    out.vpc().unwrap().vpc_id().unwrap().to_string()
}

/// A subnet of `vpc` (in `az` if given); its id.
pub async fn subnet(ec2: &aws_sdk_ec2::Client, vpc: &str, cidr: &str, az: Option<&str>) -> String {
    let out = ec2
        .create_subnet()
        .vpc_id(vpc)
        .cidr_block(cidr)
        .set_availability_zone(az.map(String::from))
        .send()
        .await
        .unwrap();
    out.subnet().unwrap().subnet_id().unwrap().to_string()
}

/// A security group of `vpc`; its id.
pub async fn security_group(
    ec2: &aws_sdk_ec2::Client,
    name: &str,
    description: &str,
    vpc: &str,
) -> String {
    let out = ec2
        .create_security_group()
        .group_name(name)
        .description(description)
        .vpc_id(vpc)
        .send()
        .await
        .unwrap();
    out.group_id().unwrap().to_string()
}

/// An HTTP target group of IP targets on port 8080 in `vpc`; its ARN.
pub async fn target_group(
    elb: &aws_sdk_elasticloadbalancingv2::Client,
    name: &str,
    vpc: &str,
) -> String {
    let out = elb
        .create_target_group()
        .name(name)
        .protocol(ProtocolEnum::Http)
        .port(8080)
        .vpc_id(vpc)
        .target_type(TargetTypeEnum::Ip)
        .send()
        .await
        .unwrap();
    out.target_groups()[0]
        .target_group_arn()
        .unwrap()
        .to_string()
}

/// A public hosted zone; its id without `/hostedzone/`.
pub async fn hosted_zone(r53: &aws_sdk_route53::Client, name: &str, caller: &str) -> String {
    let out = r53
        .create_hosted_zone()
        .name(name)
        .caller_reference(caller)
        .send()
        .await
        .unwrap();
    out.hosted_zone()
        .unwrap()
        .id()
        .trim_start_matches("/hostedzone/")
        .to_string()
}

/// Whether tags as an SDK lists them, `(key, value)`, hold `key` = `value`.
pub fn has_tag<'a>(
    tags: impl IntoIterator<Item = (Option<&'a str>, Option<&'a str>)>,
    key: &str,
    value: &str,
) -> bool {
    tags.into_iter()
        .any(|(k, v)| k == Some(key) && v == Some(value))
}
