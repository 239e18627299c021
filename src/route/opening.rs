//! When opening the device pays. A process's first offloaded call pays once for the
//! OpenCL context, the kernels from the disk cache, their check and the staging buffers
//! (0.29-0.46 s on the H200 host, where the calls themselves took milliseconds), which a
//! short process or a few medium calls never earn back. So until the device is open, a
//! call the device would win runs on the CPU and adds what the device would have saved
//! to a running sum, and the call that brings the sum to the opening cost opens the
//! device (the ski-rental rule): a one-off call never pays the opening, and a process
//! that keeps making such calls pays it once, after losing at most as much by waiting.

use parking_lot::Mutex;

/// Seconds the device would have saved the calls that ran on the CPU while it was closed.
static FORGONE_S: Mutex<f64> = Mutex::new(0.0);

/// Whether a call the device would run `saving_s` faster should open it now, at
/// `open_s`: Ok when the savings forgone so far and this call's cover the opening,
/// else Err(the sum with this call's saving added, which the call forgoes).
pub fn pays(saving_s: f64, open_s: f64) -> Result<(), f64> {
    let mut forgone = FORGONE_S.lock();
    if *forgone + saving_s >= open_s {
        return Ok(());
    }
    *forgone += saving_s;
    Err(*forgone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_once_the_savings_forgone_cover_the_opening() {
        // (The only user of the sum in this test binary.)
        assert_eq!(pays(0.1, 0.25), Err(0.1));
        assert_eq!(pays(0.1, 0.25), Err(0.2));
        assert_eq!(pays(0.1, 0.25), Ok(()));
        // A call that saves more than the opening alone opens at once.
        assert_eq!(pays(1.0, 0.25), Ok(()));
    }
}
