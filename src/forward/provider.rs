//! Where forwarded names are served from: first the definition the process would have
//! used without us (`dlsym(RTLD_NEXT)`), then `LAPACK_AI_FALLBACK`, then a reference
//! BLAS/LAPACK at the usual Debian/Ubuntu, Fedora and Arch paths. An address inside our
//! own library is never accepted, so we never forward to ourselves (e.g. when the
//! system's liblapack.so.3 is us through alternatives).

use once_cell::sync::Lazy;
use std::ffi::{CStr, CString};
use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

/// Reference libraries that hold the real code (not the alternatives links, which may be us).
const KNOWN_PATHS: &[&str] = &[
    "/usr/lib/x86_64-linux-gnu/lapack/liblapack.so.3",
    "/usr/lib/x86_64-linux-gnu/blas/libblas.so.3",
    "/usr/lib/x86_64-linux-gnu/liblapacke.so.3",
    "/usr/lib64/liblapack.so.3",
    "/usr/lib64/libblas.so.3",
    "/usr/lib64/libcblas.so.3",
    "/usr/lib64/liblapacke.so.3",
    "/usr/lib/liblapack.so.3",
    "/usr/lib/libblas.so.3",
    "/usr/lib/libcblas.so.3",
    "/usr/lib/liblapacke.so.3",
];

/// The libraries searched after RTLD_NEXT, in order.
pub fn candidate_paths() -> Vec<PathBuf> {
    let fallback = crate::config::get().fallback.clone();
    fallback
        .into_iter()
        .chain(KNOWN_PATHS.iter().map(PathBuf::from))
        .collect()
}

struct Library {
    path: PathBuf,
    handle: usize,
}

/// Makes our own library part of the process's global scope. A program that reached us
/// through an RTLD_LOCAL dlopen (a Python extension module linking libblas.so.3) holds
/// us in a local scope only; a provider we open would then bind its calls to `xerbla_`
/// to its own copy, and reference LAPACK's XERBLA stops the process. From the global
/// scope ours (or the program's own) wins.
fn join_global_scope() {
    let mut info: libc::Dl_info = unsafe { std::mem::zeroed() };
    let found = unsafe { libc::dladdr(join_global_scope as *const libc::c_void, &mut info) };
    if found != 0 && !info.dli_fname.is_null() {
        let flags = libc::RTLD_NOW | libc::RTLD_GLOBAL | libc::RTLD_NOLOAD;
        // A second reference to an already-loaded object: kept for the process's life.
        unsafe { libc::dlopen(info.dli_fname, flags) };
    }
}

/// The candidates that exist, opened once (RTLD_LOCAL: they must not shadow us).
static LIBRARIES: Lazy<Vec<Library>> = Lazy::new(|| {
    join_global_scope();
    let fallback = crate::config::get().fallback.clone();
    candidate_paths()
        .into_iter()
        .filter_map(|path| {
            let c_path = CString::new(path.as_os_str().as_bytes()).ok()?;
            let handle =
                unsafe { libc::dlopen(c_path.as_ptr(), libc::RTLD_LAZY | libc::RTLD_LOCAL) };
            if handle.is_null() {
                if Some(&path) == fallback.as_ref() {
                    eprintln!(
                        "liblapack_ai: LAPACK_AI_FALLBACK={}: {}",
                        path.display(),
                        dl_error()
                    );
                }
                return None;
            }
            Some(Library {
                path,
                handle: handle as usize,
            })
        })
        .collect()
});

fn dl_error() -> String {
    let message = unsafe { libc::dlerror() };
    if message.is_null() {
        "cannot be opened".into()
    } else {
        unsafe { CStr::from_ptr(message) }
            .to_string_lossy()
            .into_owned()
    }
}

/// Base address of the object that contains `address`, if any.
fn object_base(address: usize) -> Option<usize> {
    let mut info: libc::Dl_info = unsafe { std::mem::zeroed() };
    let found = unsafe { libc::dladdr(address as *const libc::c_void, &mut info) };
    (found != 0).then_some(info.dli_fbase as usize)
}

/// Our own library's base address (the marker that says "this is us").
static OUR_BASE: Lazy<Option<usize>> =
    Lazy::new(|| object_base(candidate_paths as *const () as usize));

fn accept(address: *mut libc::c_void) -> Option<usize> {
    let address = address as usize;
    (address != 0 && object_base(address) != *OUR_BASE).then_some(address)
}

/// The address that serves `name`, or None if no provider has it.
pub fn resolve(name: &CStr) -> Option<usize> {
    if !crate::config::get().forward {
        return None;
    }
    if let Some(address) = accept(unsafe { libc::dlsym(libc::RTLD_NEXT, name.as_ptr()) }) {
        return Some(address);
    }
    LIBRARIES.iter().find_map(|lib| {
        accept(unsafe { libc::dlsym(lib.handle as *mut libc::c_void, name.as_ptr()) })
    })
}

/// The opened provider libraries, for messages and `lapack-ai info`.
pub fn describe_providers() -> String {
    let opened: Vec<String> = LIBRARIES
        .iter()
        .map(|l| l.path.display().to_string())
        .collect();
    if opened.is_empty() {
        let tried: Vec<String> = candidate_paths()
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        format!(
            "the process itself, then {} (none could be opened)",
            tried.join(", ")
        )
    } else {
        format!("the process itself, then {}", opened.join(", "))
    }
}
