//! E0401: a container a load balancer sends traffic to must declare its port.

use fgl_syntax::{codes, Diagnostic};

use crate::model::Model;

pub fn check(model: &Model<'_>, out: &mut Vec<Diagnostic>) {
    for lb in &model.load_balancers {
        for (target, path) in lb.targets() {
            let Some(container) = model.container(target) else {
                continue;
            };
            if container.port.is_some() {
                continue;
            }
            out.push(
                Diagnostic::error(
                    codes::TARGET_WITHOUT_PORT,
                    lb.res.span_of(&path),
                    format!(
                        "`{target}` is a target of the load balancer `{}` but declares no `port`: a target group forwards to a container port (1–65535)",
                        lb.res.id
                    ),
                )
                .with_primary_message("this container has no port")
                .with_label(container.res.span, format!("`{target}` is declared here"))
                .with_help(format!(
                    "add the port the container listens on to `{target}`, e.g. `port = 8080`"
                )),
            );
        }
    }
}
