//! Fargate's task sizes, for the out-of-memory fix: the table `fgl check` enforces (E0400),
//! from `fgl-lower`, so the two can never disagree.

/// CPU sizes, smallest first.
const CPUS: [u32; 7] = [256, 512, 1024, 2048, 4096, 8192, 16384];

/// The memory sizes (MiB) Fargate accepts with `cpu` units, or `None` for an unknown cpu.
pub fn memory_sizes(cpu: u32) -> Option<Vec<u32>> {
    fgl_lower::rules::memory_sizes(i64::from(cpu)).map(|sizes| {
        sizes
            .into_iter()
            .filter_map(|m| u32::try_from(m).ok())
            .collect()
    })
}

/// The next size up from `(cpu, memory)`: more memory with the same cpu when the table has it,
/// else the smallest larger memory with the next cpu that has one. `None` at the top.
pub fn next_size(cpu: u32, memory: u32) -> Option<(u32, u32)> {
    if let Some(m) = memory_sizes(cpu).and_then(|s| s.into_iter().find(|m| *m > memory)) {
        return Some((cpu, m));
    }
    CPUS.iter().filter(|c| **c > cpu).find_map(|c| {
        memory_sizes(*c)
            .and_then(|s| s.into_iter().find(|m| *m > memory))
            .map(|m| (*c, m))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_sizes() {
        assert_eq!(next_size(256, 512), Some((256, 1024)));
        assert_eq!(next_size(256, 2048), Some((512, 3072)));
        assert_eq!(next_size(4096, 30720), Some((8192, 32768)));
        assert_eq!(next_size(16384, 122880), None);
        assert_eq!(next_size(300, 512), Some((512, 1024)));
    }
}
