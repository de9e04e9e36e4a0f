//! E0402: a health check's timeout must be below its interval (the ranges are the stdlib's
//! types: interval 5–300, timeout 2–120, thresholds 2–10).

use fgl_syntax::{codes, Diagnostic};

use crate::model::Model;

pub fn check(model: &Model<'_>, out: &mut Vec<Diagnostic>) {
    for c in &model.containers {
        let h = &c.health;
        if h.timeout < h.interval {
            continue;
        }
        out.push(
            super::error_with_label(
                codes::HEALTH_CHECK_TIMEOUT,
                c.res.span_of("health.timeout"),
                format!(
                    "the health check timeout ({} s) must be less than its interval ({} s): AWS requires timeout < interval",
                    h.timeout, h.interval
                ),
                c.res.span_of("health.interval"),
                format!("interval = {}", h.interval),
            )
            .with_primary_message(format!("timeout = {}", h.timeout))
            .with_help(format!(
                "lower `timeout` below {} or raise `interval` above {}",
                h.interval, h.timeout
            )),
        );
    }
}
