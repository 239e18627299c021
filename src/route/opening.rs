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
struct Forgone(f64);

impl Forgone {
    /// Ok when the sum and a call's `saving_s` cover `open_s`, else Err(the sum with the
    /// call's saving added, which the call forgoes).
    fn pays(&mut self, saving_s: f64, open_s: f64) -> Result<(), f64> {
        if self.0 + saving_s >= open_s {
            return Ok(());
        }
        self.0 += saving_s;
        Err(self.0)
    }
}

/// The process's sum.
static FORGONE: Mutex<Forgone> = Mutex::new(Forgone(0.0));

/// Whether a call the device would run `saving_s` faster should open it now, at
/// `open_s`: Ok when the savings forgone so far and this call's cover the opening,
/// else Err(the sum with this call's saving added, which the call forgoes).
pub fn pays(saving_s: f64, open_s: f64) -> Result<(), f64> {
    FORGONE.lock().pays(saving_s, open_s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opens_once_the_savings_forgone_cover_the_opening() {
        // A sum of its own: the process's is shared with every routed call of the tests.
        let mut forgone = Forgone(0.0);
        assert_eq!(forgone.pays(0.1, 0.25), Err(0.1));
        assert_eq!(forgone.pays(0.1, 0.25), Err(0.2));
        assert_eq!(forgone.pays(0.1, 0.25), Ok(()));
        // A call that saves more than the opening alone opens at once.
        assert_eq!(Forgone(0.0).pays(1.0, 0.25), Ok(()));
    }
}
