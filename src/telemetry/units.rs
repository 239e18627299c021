//! Human-readable times, rates and sizes for the verbose line and the tables.

use std::fmt;

/// "812 ns", "4.21 us", "1.234 ms", "2.50 s".
pub fn time(ns: u64) -> String {
    Time(ns).to_string()
}

/// [`time`] without the String (written straight into the verbose log).
pub struct Time(pub u64);

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let ns = self.0;
        let ns_f = ns as f64;
        if ns < 1_000 {
            write!(f, "{ns} ns")
        } else if ns < 1_000_000 {
            write!(f, "{:.2} us", ns_f / 1e3)
        } else if ns < 1_000_000_000 {
            write!(f, "{:.3} ms", ns_f / 1e6)
        } else {
            write!(f, "{:.2} s", ns_f / 1e9)
        }
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
    Bytes(b).to_string()
}

/// [`bytes`] without the String.
pub struct Bytes(pub u64);

impl fmt::Display for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let b = self.0;
        let x = b as f64;
        if b < 1_000 {
            write!(f, "{b} B")
        } else if b < 1_000_000 {
            write!(f, "{:.2} kB", x / 1e3)
        } else if b < 1_000_000_000 {
            write!(f, "{:.2} MB", x / 1e6)
        } else {
            write!(f, "{:.2} GB", x / 1e9)
        }
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
