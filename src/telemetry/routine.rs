//! Routine identities: a `static` per routine, numbered on its first call, so a call is
//! counted by index (no string hashing on the hot path).
//!
//! ```ignore
//! static DAXPY: Routine = Routine::new("DAXPY");          // one name
//! static GEMM: Family = family!("GEMM");                  // SGEMM, DGEMM, CGEMM, ZGEMM
//! let routine: &'static Routine = GEMM.of::<T>();
//! ```

use crate::scalar::Scalar;
use parking_lot::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

/// The most routines that can be counted; later ones are still logged and traced.
pub const MAX_ROUTINES: usize = 4096;

/// One routine's name and (once called) its index in the counter tables.
pub struct Routine {
    name: &'static str,
    /// index + 1; 0 until the first call.
    id: AtomicU32,
}

/// Names by index, for the readers of the counters.
static NAMES: Mutex<Vec<&'static str>> = Mutex::new(Vec::new());

impl Routine {
    pub const fn new(name: &'static str) -> Routine {
        Routine {
            name,
            id: AtomicU32::new(0),
        }
    }

    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The counter index, `None` past [`MAX_ROUTINES`].
    #[inline(always)]
    pub fn index(&self) -> Option<usize> {
        match self.id.load(Ordering::Relaxed) {
            0 => self.register(),
            id => Some(id as usize - 1),
        }
        .filter(|&i| i < MAX_ROUTINES)
    }

    #[cold]
    fn register(&self) -> Option<usize> {
        let mut names = NAMES.lock();
        // Another thread may have registered this routine while we waited for the lock.
        let id = self.id.load(Ordering::Relaxed);
        if id != 0 {
            return Some(id as usize - 1);
        }
        names.push(self.name);
        self.id.store(names.len() as u32, Ordering::Relaxed);
        Some(names.len() - 1)
    }
}

/// The names of the routines called so far, by index.
pub fn names() -> Vec<&'static str> {
    NAMES.lock().clone()
}

/// Takes the names' lock and keeps it (the `fork` prepare handler, [`super::fork`]).
pub(super) fn lock_for_fork() {
    std::mem::forget(NAMES.lock());
}

/// Releases the lock [`lock_for_fork`] kept.
///
/// # Safety
/// Only after [`lock_for_fork`], on the thread that called `fork`.
pub(super) unsafe fn unlock_after_fork() {
    // SAFETY: the caller's contract.
    unsafe { NAMES.force_unlock(Default::default()) }
}

/// One routine in its four precisions (S, D, C, Z).
pub struct Family {
    pub s: Routine,
    pub d: Routine,
    pub c: Routine,
    pub z: Routine,
}

impl Family {
    pub const fn new(names: [&'static str; 4]) -> Family {
        Family {
            s: Routine::new(names[0]),
            d: Routine::new(names[1]),
            c: Routine::new(names[2]),
            z: Routine::new(names[3]),
        }
    }

    /// The routine for scalar `T` (resolved at compile time).
    #[inline]
    pub fn of<T: Scalar>(&'static self) -> &'static Routine {
        match T::PREFIX {
            'S' => &self.s,
            'D' => &self.d,
            'C' => &self.c,
            _ => &self.z,
        }
    }
}

/// `family!("GEMM")`: the [`Family`] SGEMM, DGEMM, CGEMM, ZGEMM.
#[macro_export]
macro_rules! family {
    ($base:literal) => {
        $crate::telemetry::Family::new([
            concat!("S", $base),
            concat!("D", $base),
            concat!("C", $base),
            concat!("Z", $base),
        ])
    };
}
