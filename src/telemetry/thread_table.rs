//! Where the calling thread's counter table is: one pointer per thread, read on every
//! counted call (null until the thread's first call).
//!
//! On x86_64 Linux the pointer is an initial-exec TLS variable, defined and read in
//! assembly: two instructions (its offset from the thread pointer, from the GOT; then the
//! load through `fs`). A `thread_local!` of a shared object is general-dynamic in stable
//! Rust, a `__tls_get_addr` call per read that also makes the caller save its registers.
//! Initial-exec marks the library `DF_STATIC_TLS`: when it is dlopen'ed, glibc places its
//! TLS block (about 470 bytes) in the static TLS surplus reserved for that (1.6 KB by
//! default; `reference-tests/telemetry/run.sh` checks dlopen from Python and LD_PRELOAD).
//! Elsewhere a `thread_local!` cell.

#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
mod imp {
    use std::arch::{asm, global_asm};

    // Eight zero bytes of thread-local storage (null in every new thread), hidden: the
    // library's own, never interposed.
    global_asm!(
        ".pushsection .tbss,\"awT\",@nobits",
        ".p2align 3",
        ".globl lapack_ai_thread_table",
        ".hidden lapack_ai_thread_table",
        ".type lapack_ai_thread_table,@object",
        ".size lapack_ai_thread_table,8",
        "lapack_ai_thread_table:",
        ".zero 8",
        ".popsection",
    );

    #[inline(always)]
    pub fn get() -> *const u8 {
        let p: *const u8;
        // SAFETY: reads this thread's copy of the variable defined above.
        unsafe {
            asm!(
                "movq lapack_ai_thread_table@GOTTPOFF(%rip), {p}",
                "movq %fs:({p}), {p}",
                p = out(reg) p,
                options(att_syntax, nostack, preserves_flags, readonly, pure),
            )
        };
        p
    }

    pub fn set(table: *const u8) {
        // SAFETY: writes this thread's copy of the variable defined above.
        unsafe {
            asm!(
                "movq lapack_ai_thread_table@GOTTPOFF(%rip), {t}",
                "movq {p}, %fs:({t})",
                t = out(reg) _,
                p = in(reg) table,
                options(att_syntax, nostack, preserves_flags),
            )
        };
    }
}

#[cfg(not(all(target_arch = "x86_64", target_os = "linux")))]
mod imp {
    use std::cell::Cell;

    thread_local! {
        // Const-initialized and without a destructor: no lazy-initialization check.
        static TABLE: Cell<*const u8> = const { Cell::new(std::ptr::null()) };
    }

    #[inline(always)]
    pub fn get() -> *const u8 {
        TABLE.with(Cell::get)
    }

    pub fn set(table: *const u8) {
        TABLE.with(|t| t.set(table));
    }
}

pub use imp::{get, set};
