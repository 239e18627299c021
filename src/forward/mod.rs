//! Forwarding: every exported name without a native body is a trampoline that jumps to
//! the same name in another provider, found at the first call (see `provider`).
//!
//! A trampoline needs no signature: it reads its slot and jumps, leaving every argument
//! register and the stack as the caller set them. An empty slot sends it through
//! `resolve_stub`, which saves the argument registers, asks `resolve` for the address,
//! fills the slot and jumps there.

mod provider;

pub use provider::{candidate_paths, describe_providers};

use std::sync::atomic::{AtomicUsize, Ordering};

macro_rules! trampoline {
    ($name:ident, $index:expr) => {
        #[unsafe(naked)]
        #[unsafe(no_mangle)]
        #[allow(non_snake_case, clippy::missing_safety_doc)]
        pub unsafe extern "C" fn $name() {
            core::arch::naked_asm!(
                "mov r11, qword ptr [rip + {slots} + {offset}]",
                "test r11, r11",
                "jz 2f",
                "jmp r11",
                "2:",
                "mov r11d, {index}",
                "jmp {resolve}",
                slots = sym SLOTS,
                offset = const $index * 8,
                index = const $index,
                resolve = sym resolve_stub,
            )
        }
    };
}

include!(concat!(env!("OUT_DIR"), "/trampolines.rs"));

/// The resolved address of each forwarded name; 0 until its first call.
static SLOTS: [AtomicUsize; FORWARDED_COUNT] = [const { AtomicUsize::new(0) }; FORWARDED_COUNT];

/// Entered by a jump from a trampoline with the name's index in r11d and the caller's
/// arguments untouched. Saves every register that can carry an argument (rdi, rsi, rdx,
/// rcx, r8, r9, rax for varargs, xmm0-7), calls `resolve`, restores them and jumps to the
/// provider, which then returns straight to the original caller.
#[unsafe(naked)]
unsafe extern "C" fn resolve_stub() {
    core::arch::naked_asm!(
        // On entry rsp = 8 mod 16; seven pushes make it 0 mod 16 for the call.
        "push rdi",
        "push rsi",
        "push rdx",
        "push rcx",
        "push r8",
        "push r9",
        "push rax",
        "sub rsp, 128",
        "movdqu [rsp], xmm0",
        "movdqu [rsp + 16], xmm1",
        "movdqu [rsp + 32], xmm2",
        "movdqu [rsp + 48], xmm3",
        "movdqu [rsp + 64], xmm4",
        "movdqu [rsp + 80], xmm5",
        "movdqu [rsp + 96], xmm6",
        "movdqu [rsp + 112], xmm7",
        "mov edi, r11d",
        "call {resolve}",
        "mov r11, rax",
        "movdqu xmm0, [rsp]",
        "movdqu xmm1, [rsp + 16]",
        "movdqu xmm2, [rsp + 32]",
        "movdqu xmm3, [rsp + 48]",
        "movdqu xmm4, [rsp + 64]",
        "movdqu xmm5, [rsp + 80]",
        "movdqu xmm6, [rsp + 96]",
        "movdqu xmm7, [rsp + 112]",
        "add rsp, 128",
        "pop rax",
        "pop r9",
        "pop r8",
        "pop rcx",
        "pop rdx",
        "pop rsi",
        "pop rdi",
        "jmp r11",
        resolve = sym resolve,
    )
}

/// Finds the provider of forwarded name `index`, remembers it and returns its address.
/// Never unwinds (it is called from assembly) and never returns 0.
extern "C" fn resolve(index: u32) -> usize {
    let index = index as usize;
    let name = FORWARDED_NAMES[index];
    let address = std::panic::catch_unwind(|| provider::resolve(name)).unwrap_or(None);
    let address = address.unwrap_or_else(|| unserved(name));
    SLOTS[index].store(address, Ordering::Release);
    address
}

/// Called instead of a routine that nobody provides: does nothing, so the caller goes on.
extern "C" fn unserved_call() {}

/// Explains, once per name, why `name` cannot run, and returns the stand-in to call.
fn unserved(name: &std::ffi::CStr) -> usize {
    let routine = name.to_string_lossy().trim_end_matches('_').to_uppercase();
    if !crate::config::get().forward {
        eprintln!(
            "liblapack_ai: {routine} has no native implementation and LAPACK_AI_FORWARD=off \
             forbids forwarding it. Unset LAPACK_AI_FORWARD to let the system's LAPACK serve it. Aborting."
        );
        std::process::abort();
    }
    eprintln!(
        "liblapack_ai: {routine} has no native implementation and no library provides it, so this \
         call (and any later one) does nothing. Install the reference BLAS/LAPACK \
         (Debian/Ubuntu: apt-get install libblas3 liblapack3 liblapacke) or point \
         LAPACK_AI_FALLBACK at a BLAS/LAPACK shared library. Looked in: {}",
        describe_providers()
    );
    unserved_call as *const () as usize
}

/// Number of forwarded names whose provider has been resolved so far.
pub fn resolved_count() -> usize {
    SLOTS
        .iter()
        .filter(|s| s.load(Ordering::Relaxed) != 0)
        .count()
}
