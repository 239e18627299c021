//! Routine identities: a `static` per routine, numbered on its first call, so a call is
//! counted at a fixed place of the thread's counter table (no string hashing on the hot
//! path).
//!
//! ```ignore
//! static DAXPY: Routine = Routine::new("DAXPY");          // one name
//! static GEMM: Family = family!("GEMM");                  // SGEMM, DGEMM, CGEMM, ZGEMM
//! let routine: &'static Routine = GEMM.of::<T>();
//! ```

use super::counters::SLOT_BYTES;
use super::fork_lock::ForkLock;
use crate::scalar::Scalar;
use std::sync::atomic::{AtomicU32, Ordering};

/// The routines a thread's counter table has room for (the library has about 300).
pub const MAX_ROUTINES: usize = 1024;

/// The slot shared by routines numbered past the table, reported under
/// [`OVERFLOW_NAME`]; slot 0 is never used (0 marks a routine not numbered yet).
pub const OVERFLOW_INDEX: usize = MAX_ROUTINES - 1;
pub const OVERFLOW_NAME: &str = "OTHER";

/// One routine's name and (once called) where its counters are in a thread's table.
pub struct Routine {
    name: &'static str,
    /// Byte offset of the routine's slot in a thread's table (index * [`SLOT_BYTES`]);
    /// 0 until the first call. An offset rather than an index: the hot path adds it to
    /// the table pointer as it is.
    offset: AtomicU32,
}

/// Names by index (index 0 unused), for the readers of the counters.
static NAMES: ForkLock<Vec<&'static str>> = ForkLock::new(Vec::new());

impl Routine {
    pub const fn new(name: &'static str) -> Routine {
        Routine {
            name,
            offset: AtomicU32::new(0),
        }
    }

    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Byte offset of this routine's slot in a thread's counter table; numbers the
    /// routine on its first call. Always inside the table.
    #[inline(always)]
    pub fn offset(&self) -> usize {
        match self.offset.load(Ordering::Relaxed) {
            0 => self.register(),
            offset => offset as usize,
        }
    }

    #[cold]
    #[inline(never)]
    fn register(&self) -> usize {
        let mut names = NAMES.lock();
        // Another thread may have registered this routine while we waited for the lock.
        let offset = self.offset.load(Ordering::Relaxed);
        if offset != 0 {
            return offset as usize;
        }
        if names.is_empty() {
            names.push("");
        }
        let index = if names.len() < OVERFLOW_INDEX {
            names.push(self.name);
            names.len() - 1
        } else {
            OVERFLOW_INDEX
        };
        let offset = index * SLOT_BYTES;
        self.offset.store(offset as u32, Ordering::Relaxed);
        offset
    }
}

/// The name of the routine counted in slot `index` ("" for an unused index).
pub fn name_of(names: &[&'static str], index: usize) -> &'static str {
    if index == OVERFLOW_INDEX {
        OVERFLOW_NAME
    } else {
        names.get(index).copied().unwrap_or("")
    }
}

/// The names of the routines called so far, by index.
pub fn names() -> Vec<&'static str> {
    NAMES.lock().clone()
}

/// Takes the names' lock and keeps it (the `fork` prepare handler, [`super::fork`]).
pub(super) fn lock_for_fork() {
    NAMES.hold_for_fork();
}

/// Releases the lock [`lock_for_fork`] kept.
///
/// # Safety
/// Only after [`lock_for_fork`], on the thread that called `fork`.
pub(super) unsafe fn unlock_after_fork() {
    // SAFETY: the caller's contract.
    unsafe { NAMES.release_after_fork() }
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
