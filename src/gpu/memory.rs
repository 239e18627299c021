//! Device memory our calls hold: bytes in use now and the high-water mark since the
//! process started (the metrics endpoint and the dashboard show both).

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

static IN_USE: AtomicU64 = AtomicU64::new(0);
static PEAK: AtomicU64 = AtomicU64::new(0);

/// Device bytes held until this guard drops.
pub struct Held(u64);

/// Counts `bytes` of device buffers as in use until the returned guard drops.
pub fn hold(bytes: u64) -> Held {
    let now = IN_USE.fetch_add(bytes, Relaxed) + bytes;
    PEAK.fetch_max(now, Relaxed);
    Held(bytes)
}

impl Drop for Held {
    fn drop(&mut self) {
        IN_USE.fetch_sub(self.0, Relaxed);
    }
}

/// (bytes in use now, highest bytes in use at once).
pub fn usage() -> (u64, u64) {
    (IN_USE.load(Relaxed), PEAK.load(Relaxed))
}

#[cfg(test)]
mod tests {
    #[test]
    fn peak_stays_after_release() {
        let (_, before) = super::usage();
        let base = before.max(super::usage().0);
        {
            let _a = super::hold(1 << 40);
            let _b = super::hold(1 << 40);
            assert!(super::usage().1 >= 2 << 40);
        }
        assert!(super::usage().1 >= (2 << 40).max(base));
        assert!(super::usage().0 < 1 << 40);
    }
}
