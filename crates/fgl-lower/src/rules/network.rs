//! The network: one per stack (E0412), a valid CIDR block (E0411), two zones for a load
//! balancer (E0408), NAT for private subnets (E0410).

use fgl_syntax::{codes, Diagnostic};

use crate::cidr::{self, Cidr};
use crate::model::{Model, Nat};

pub fn check(model: &Model<'_>, out: &mut Vec<Diagnostic>) {
    if let [first, rest @ ..] = model.networks.as_slice() {
        for other in rest {
            out.push(
                Diagnostic::error(
                    codes::SEVERAL_NETWORKS,
                    other.res.span,
                    format!(
                        "the stack already has the network `{}`: a stack has at most one, shared by its containers and load balancers",
                        first.res.id
                    ),
                )
                .with_primary_message("a second network")
                .with_label(first.res.span, "the stack's network")
                .with_help("use one `aws.Network`, or a separate stack for a separate network"),
            );
        }
    }
    for network in &model.networks {
        let why = match Cidr::parse(network.cidr) {
            Err(why) => why,
            Ok(c) if !(cidr::MIN_PREFIX..=cidr::MAX_PREFIX).contains(&c.prefix) => format!(
                "fgl cuts the VPC into {} subnets of at least /28, so its prefix must be /{} to /{} (AWS: /16 to /28)",
                cidr::SUBNETS,
                cidr::MIN_PREFIX,
                cidr::MAX_PREFIX
            ),
            Ok(_) => continue,
        };
        out.push(
            Diagnostic::error(
                codes::INVALID_CIDR,
                network.res.span_of("cidr"),
                format!("`{}` is not a usable VPC CIDR block: {why}", network.cidr),
            )
            .with_primary_message("not a usable CIDR block")
            .with_help("e.g. `10.0.0.0/16`"),
        );
    }

    let Some(network) = model.network() else {
        return;
    };
    if network.az_count < 2 {
        if let Some(lb) = model.load_balancers.first() {
            out.push(
                Diagnostic::error(
                    codes::TOO_FEW_ZONES,
                    network.res.span_of("az_count"),
                    format!(
                        "the load balancer `{}` needs subnets in at least 2 availability zones (AWS's minimum for an application load balancer), but the network has {}",
                        lb.res.id, network.az_count
                    ),
                )
                .with_primary_message(format!("az_count = {}", network.az_count))
                .with_label(lb.res.span, "the load balancer")
                .with_help("set `az_count = 2` or more"),
            );
        }
    }
    if network.nat == Nat::None {
        for c in model.containers.iter().filter(|c| c.private) {
            let mut diag = Diagnostic::error(
                codes::PRIVATE_WITHOUT_NAT,
                c.res.span_of("subnets"),
                format!(
                    "`{}` runs in private subnets, but the network `{}` has no NAT gateway (nat = \"none\"), so it has no private subnets and its tasks could not pull images",
                    c.res.id, network.res.id
                ),
            )
            .with_primary_message("needs NAT");
            diag = if network.implicit {
                diag.with_help(
                    "declare the network: `network = aws.Network { nat = \"single\" }` (or \"per_az\"), or use `subnets = \"public\"`",
                )
            } else {
                diag.with_label(network.res.span_of("nat"), "no NAT here")
                    .with_help("set `nat = \"single\"` (or \"per_az\") on the network, or use `subnets = \"public\"`")
            };
            out.push(diag);
        }
    }
}
