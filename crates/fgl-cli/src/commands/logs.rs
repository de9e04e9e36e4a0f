//! `fgl logs FILE CONTAINER [--follow] [--since 10m]`: the container's CloudWatch logs, every
//! task's stream merged in time order.

use std::collections::HashSet;
use std::io::{self, Write};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;

use super::{stack, Ctx, Status};
use crate::cli::LogsArgs;

pub fn run(args: &LogsArgs, ctx: &Ctx) -> io::Result<Status> {
    let graph = match stack::load(&args.file, &args.inputs, ctx) {
        Ok(graph) => graph,
        Err(status) => return Ok(status),
    };
    let options = graph
        .nodes
        .iter()
        .find(|n| n.kind == "AWS::ECS::TaskDefinition" && n.owner == args.container)
        .and_then(|n| n.properties.get("ContainerDefinitions")?.get(0).cloned())
        .and_then(|def| def.get("LogConfiguration")?.get("Options").cloned());
    let Some(options) = options else {
        let containers: Vec<&str> = graph
            .nodes
            .iter()
            .filter(|n| n.kind == "AWS::ECS::TaskDefinition")
            .map(|n| n.owner.as_str())
            .collect();
        ctx.style.error(format!(
            "no container `{}` in {} (its containers: {})",
            args.container,
            args.file.display(),
            if containers.is_empty() {
                "none".to_string()
            } else {
                containers.join(", ")
            }
        ));
        return Ok(Status::Failed);
    };
    let text = |k: &str| options.get(k).and_then(Value::as_str).map(str::to_string);
    let Some(group) = text("awslogs-group") else {
        ctx.style
            .error(format!("container `{}` has no log group", args.container));
        return Ok(Status::Failed);
    };
    // Streams are `<prefix>/<container>/<task id>`.
    let prefix = text("awslogs-stream-prefix").map(|p| format!("{p}/{}/", args.container));
    let now = now_ms();
    let mut start = now.saturating_sub(i64::try_from(args.since.as_millis()).unwrap_or(i64::MAX));
    stack::runtime()?.block_on(async {
        let provider = stack::connect(&args.aws).await;
        let mut seen: HashSet<String> = HashSet::new();
        loop {
            let events = match fgl_aws::rollout::log_events(
                provider.clients(),
                &group,
                start,
                prefix.as_deref(),
            )
            .await
            {
                Ok(events) => events,
                Err(e) => {
                    ctx.style.error(e.message);
                    return Ok(Status::Failed);
                }
            };
            let mut out = io::stdout().lock();
            for e in events {
                start = start.max(e.timestamp_ms);
                if !seen.insert(e.id.clone()) {
                    continue;
                }
                let task = e.stream.rsplit('/').next().unwrap_or(&e.stream);
                let short: String = task.chars().take(8).collect();
                writeln!(
                    out,
                    "{} {short} {}",
                    rfc3339(e.timestamp_ms),
                    e.message.trim_end()
                )?;
            }
            drop(out);
            if !args.follow {
                return Ok(Status::Ok);
            }
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
    })
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// `2026-11-27T12:00:05Z` for milliseconds since the Unix epoch (UTC, civil calendar).
fn rfc3339(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_print_as_rfc3339_in_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_795_780_805_000), "2026-11-27T12:00:05Z");
        assert_eq!(rfc3339(951_782_400_000), "2000-02-29T00:00:00Z");
    }
}
