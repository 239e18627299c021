//! `LAPACK_AI_VERBOSE=1`: one line per call on stderr; `LAPACK_AI_VERBOSE=path` (a value
//! with a `/`, `%p` becomes the process id): the lines appended to that file through a
//! buffered writer, flushed when its buffer fills and at process exit (the cheap way to
//! log many small calls). The switch starts from the environment and can be flipped at
//! run time ([`set_enabled`], `lapack_ai_set_verbose`).

use super::call::Event;
use super::units::{gflops, Bytes, Time};
use crate::config;
use once_cell::sync::Lazy;
use parking_lot::Mutex;
use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

static ENABLED: Lazy<AtomicBool> = Lazy::new(|| AtomicBool::new(config::get().verbose));

/// The log file of `LAPACK_AI_VERBOSE=path`, None for stderr.
static FILE: Lazy<Option<Mutex<BufWriter<File>>>> = Lazy::new(open);

fn open() -> Option<Mutex<BufWriter<File>>> {
    let template = config::get()
        .verbose_path
        .as_ref()?
        .to_string_lossy()
        .into_owned();
    let path = PathBuf::from(template.replace("%p", &std::process::id().to_string()));
    match OpenOptions::new().create(true).append(true).open(&path) {
        Ok(file) => {
            super::exit::install();
            Some(Mutex::new(BufWriter::with_capacity(1 << 16, file)))
        }
        Err(e) => {
            eprintln!(
                "liblapack_ai: LAPACK_AI_VERBOSE={}: cannot open for writing ({e}); logging to stderr",
                path.display()
            );
            None
        }
    }
}

/// True when every call prints its line.
#[inline(always)]
pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// Turns the verbose log on or off for the whole process; returns the previous state.
pub fn set_enabled(on: bool) -> bool {
    let previous = ENABLED.swap(on, Ordering::Relaxed);
    super::call::refresh_detailed();
    previous
}

/// "liblapack_ai: DGEMM m=512 n=512 k=512 NN | cpu (native) | 1.234 ms | 217.5 GFLOP/s | 6.29 MB"
fn write_line(w: &mut impl Write, e: &Event) -> io::Result<()> {
    writeln!(
        w,
        "liblapack_ai: {} {} | {} ({}) | {} | {:.2} GFLOP/s | {}",
        e.routine,
        e.shape,
        e.backend.name(),
        e.reason,
        Time(e.ns),
        gflops(e.flops, e.ns),
        Bytes(e.bytes)
    )
}

/// The line of one call (with its newline).
pub fn line(e: &Event) -> String {
    let mut v = Vec::with_capacity(128);
    let _ = write_line(&mut v, e);
    String::from_utf8(v).unwrap_or_default()
}

pub fn write(e: &Event) {
    match &*FILE {
        // Formatted straight into the buffer: no allocation, a write per 64 KB.
        Some(w) => {
            let _ = write_line(&mut *w.lock(), e);
        }
        // One write per line, so lines of concurrent calls do not interleave.
        None => {
            let _ = io::stderr().lock().write_all(line(e).as_bytes());
        }
    }
}

/// Flushes the log file if it was opened; gives up after `wait` if another thread holds
/// it.
pub fn flush(wait: Duration) {
    if let Some(Some(w)) = Lazy::get(&FILE) {
        if let Some(mut w) = w.try_lock_for(wait) {
            let _ = w.flush();
        }
    }
}
