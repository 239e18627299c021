//! The process's own memory, from /proc (Linux): resident bytes now and at the peak.

/// (resident bytes, peak resident bytes); zeros where /proc cannot be read.
pub fn memory() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<u64>()
                    .ok()
            })
            .map_or(0, |kb| kb * 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_resident_memory() {
        let (now, peak) = super::memory();
        assert!(now > 0 && peak >= now, "{now} {peak}");
    }
}
