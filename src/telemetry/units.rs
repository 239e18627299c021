//! Human-readable times, rates and sizes for the verbose line and the tables.

/// "812 ns", "4.21 us", "1.234 ms", "2.50 s".
pub fn time(ns: u64) -> String {
    let ns_f = ns as f64;
    if ns < 1_000 {
        format!("{ns} ns")
    } else if ns < 1_000_000 {
        format!("{:.2} us", ns_f / 1e3)
    } else if ns < 1_000_000_000 {
        format!("{:.3} ms", ns_f / 1e6)
    } else {
        format!("{:.2} s", ns_f / 1e9)
    }
}

/// GFLOP/s of `flops` in `ns`, 0 when nothing was timed.
pub fn gflops(flops: u64, ns: u64) -> f64 {
    if ns == 0 {
        0.0
    } else {
        flops as f64 / ns as f64
    }
}

/// "512 B", "6.29 MB", "1.20 GB" (decimal units).
pub fn bytes(b: u64) -> String {
    let f = b as f64;
    if b < 1_000 {
        format!("{b} B")
    } else if b < 1_000_000 {
        format!("{:.2} kB", f / 1e3)
    } else if b < 1_000_000_000 {
        format!("{:.2} MB", f / 1e6)
    } else {
        format!("{:.2} GB", f / 1e9)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn units() {
        assert_eq!(super::time(812), "812 ns");
        assert_eq!(super::time(1_234_000), "1.234 ms");
        assert_eq!(super::bytes(6_291_456), "6.29 MB");
        assert_eq!(super::gflops(2_000, 1_000), 2.0);
    }
}
