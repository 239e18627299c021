//! What the machine's caches hold, for algorithms whose best form changes once their
//! data outgrows the last-level cache. Read from Linux's sysfs (the cache the cores
//! actually share: in a VM on a 384 MiB AMD host, sysconf's CPUID answer was the host's
//! total while sysfs gave the 32 MiB one CCX shares).

use once_cell::sync::Lazy;

/// Assumed when sysfs says nothing (a common size of a server CPU's shared L3).
const DEFAULT_LAST_LEVEL: usize = 32 << 20;

static LAST_LEVEL: Lazy<usize> = Lazy::new(|| read_last_level().unwrap_or(DEFAULT_LAST_LEVEL));

/// Bytes of the highest-level cache of CPU 0.
pub fn last_level_bytes() -> usize {
    *LAST_LEVEL
}

fn read_last_level() -> Option<usize> {
    let dir = std::fs::read_dir("/sys/devices/system/cpu/cpu0/cache").ok()?;
    dir.filter_map(|entry| {
        let path = entry.ok()?.path();
        let level: u32 = std::fs::read_to_string(path.join("level"))
            .ok()?
            .trim()
            .parse()
            .ok()?;
        let size = parse_size(&std::fs::read_to_string(path.join("size")).ok()?)?;
        Some((level, size))
    })
    .max()
    .map(|(_, size)| size)
}

/// sysfs's sizes: "32768K", "8M", or plain bytes.
fn parse_size(text: &str) -> Option<usize> {
    let text = text.trim();
    let (digits, unit) = match text.char_indices().last()? {
        (i, 'K') => (&text[..i], 1 << 10),
        (i, 'M') => (&text[..i], 1 << 20),
        (i, 'G') => (&text[..i], 1 << 30),
        _ => (text, 1),
    };
    digits.parse::<usize>().ok().map(|v| v * unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse() {
        assert_eq!(parse_size("32768K\n"), Some(32 << 20));
        assert_eq!(parse_size("8M"), Some(8 << 20));
        assert_eq!(parse_size("1024"), Some(1024));
        assert_eq!(parse_size("K"), None);
        assert_eq!(parse_size("lots"), None);
    }

    #[test]
    fn last_level_is_plausible() {
        let bytes = last_level_bytes();
        assert!((64 << 10..=4 << 30).contains(&bytes), "{bytes}");
    }
}
