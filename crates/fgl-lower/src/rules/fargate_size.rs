//! E0400: cpu and memory must be one of Fargate's task sizes.

use fgl_syntax::{codes, Diagnostic};

use crate::model::Model;

/// The memory sizes (MiB) Fargate accepts with `cpu` units, or `None` for an unknown cpu.
pub fn memory_sizes(cpu: i64) -> Option<Vec<i64>> {
    const GIB: i64 = 1024;
    let (lo, hi, step) = match cpu {
        256 => return Some(vec![512, 1024, 2048]),
        512 => (GIB, 4 * GIB, GIB),
        1024 => (2 * GIB, 8 * GIB, GIB),
        2048 => (4 * GIB, 16 * GIB, GIB),
        4096 => (8 * GIB, 30 * GIB, GIB),
        8192 => (16 * GIB, 60 * GIB, 4 * GIB),
        16384 => (32 * GIB, 120 * GIB, 8 * GIB),
        _ => return None,
    };
    Some((lo..=hi).step_by(step as usize).collect())
}

/// The cpu sizes whose table holds this memory.
fn cpus_for(memory: i64) -> Vec<i64> {
    [256, 512, 1024, 2048, 4096, 8192, 16384]
        .into_iter()
        .filter(|cpu| memory_sizes(*cpu).is_some_and(|m| m.contains(&memory)))
        .collect()
}

/// "512, 1024 or 2048 MiB", or a range with its step for the long lists.
fn describe(cpu: i64, sizes: &[i64]) -> String {
    match (sizes.first(), sizes.last()) {
        (Some(lo), Some(hi)) if sizes.len() > 3 => {
            let step = sizes.get(1).map_or(0, |s| s - lo);
            format!(
                "from {lo} to {hi} MiB ({} to {} GiB) in steps of {step} MiB",
                lo / 1024,
                hi / 1024
            )
        }
        _ if cpu == 256 => "512, 1024 or 2048 MiB".to_string(),
        _ => join(sizes),
    }
}

fn join(items: &[i64]) -> String {
    let items: Vec<String> = items.iter().map(i64::to_string).collect();
    match items.as_slice() {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

pub fn check(model: &Model<'_>, out: &mut Vec<Diagnostic>) {
    for c in &model.containers {
        let Some(sizes) = memory_sizes(c.cpu) else {
            continue;
        };
        if sizes.contains(&c.memory) {
            continue;
        }
        let mut diag = super::error_with_label(
            codes::FARGATE_SIZE,
            c.res.span_of("memory"),
            format!(
                "Fargate has no task size with cpu = {} and memory = {} MiB: with {} CPU units, memory must be {}",
                c.cpu,
                c.memory,
                c.cpu,
                describe(c.cpu, &sizes)
            ),
            c.res.span_of("cpu"),
            format!("cpu = {}", c.cpu),
        )
        .with_primary_message(format!("not a Fargate memory size for cpu = {}", c.cpu));
        let cpus = cpus_for(c.memory);
        diag = diag.with_help(if cpus.is_empty() {
            format!(
                "{} MiB fits no cpu size; the closest memory with cpu = {} is {} MiB",
                c.memory,
                c.cpu,
                closest(&sizes, c.memory)
            )
        } else {
            format!(
                "{} MiB works with cpu = {}; or keep cpu = {} with memory = {}",
                c.memory,
                join(&cpus),
                c.cpu,
                closest(&sizes, c.memory)
            )
        });
        out.push(diag);
    }
}

fn closest(sizes: &[i64], memory: i64) -> i64 {
    sizes
        .iter()
        .copied()
        .min_by_key(|s| (s - memory).abs())
        .unwrap_or(memory)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table() {
        assert_eq!(memory_sizes(256), Some(vec![512, 1024, 2048]));
        assert_eq!(memory_sizes(512).map(|m| m.len()), Some(4));
        assert_eq!(
            memory_sizes(4096).map(|m| (m[0], *m.last().unwrap())),
            Some((8192, 30720))
        );
        let big = memory_sizes(8192).unwrap();
        assert_eq!(
            (big[0], big[1], *big.last().unwrap()),
            (16384, 20480, 61440)
        );
        let huge = memory_sizes(16384).unwrap();
        assert_eq!(
            (huge[0], huge[1], *huge.last().unwrap()),
            (32768, 40960, 122880)
        );
        assert_eq!(memory_sizes(300), None);
        assert_eq!(cpus_for(4096), vec![512, 1024, 2048]);
    }
}
