//! E0409: `env` and `secrets` must not set the same environment variable.

use fgl_syntax::{codes, Diagnostic};

use crate::model::Model;

pub fn check(model: &Model<'_>, out: &mut Vec<Diagnostic>) {
    for c in &model.containers {
        for (name, _) in &c.secrets {
            if !c.env.iter().any(|(e, _)| e == name) {
                continue;
            }
            out.push(
                super::error_with_label(
                    codes::ENV_SECRET_COLLISION,
                    c.res.span_of(&format!("secrets.{name}")),
                    format!(
                        "`{name}` is set both in `env` and in `secrets`: ECS rejects a task definition that sets an environment variable twice"
                    ),
                    c.res.span_of(&format!("env.{name}")),
                    format!("`{name}` is also set here"),
                )
                .with_primary_message(format!("`{name}` from a secret"))
                .with_help("rename one of them, or drop the plain value from `env`"),
            );
        }
    }
}
