//! `LAPACK_AI_TRACE=path`: every call as one JSON object per line.
//!
//! The file is opened for appending (several processes may share it: each line is
//! written with one `write`); `%p` in the path becomes the process id. Lines go through a
//! buffered writer behind a lock, flushed when the buffer fills and at process exit.

use super::call::Event;
use super::json;
use crate::config;
use once_cell::sync::Lazy;
use parking_lot::Mutex;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

static WRITER: Lazy<Option<Mutex<BufWriter<File>>>> = Lazy::new(open);

fn open() -> Option<Mutex<BufWriter<File>>> {
    let template = config::get().trace.as_ref()?.to_string_lossy().into_owned();
    let path = PathBuf::from(template.replace("%p", &std::process::id().to_string()));
    match OpenOptions::new().create(true).append(true).open(&path) {
        Ok(file) => {
            super::exit::install();
            Some(Mutex::new(BufWriter::with_capacity(1 << 16, file)))
        }
        Err(e) => {
            eprintln!(
                "liblapack_ai: LAPACK_AI_TRACE={}: cannot open for writing ({e}); no trace",
                path.display()
            );
            None
        }
    }
}

/// The JSON line of one call (with its newline).
pub fn line(e: &Event) -> String {
    let mut s = String::with_capacity(256);
    s.push_str("{\"routine\":");
    json::string(&mut s, e.routine);
    s.push_str(",\"shape\":");
    json::string(&mut s, e.shape);
    s.push_str(",\"backend\":");
    json::string(&mut s, e.backend.name());
    s.push_str(",\"reason\":");
    json::string(&mut s, e.reason);
    let ts_us = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros());
    s.push_str(&format!(
        ",\"ns\":{},\"flops\":{},\"bytes\":{},\"gflops\":{},\"pid\":{},\"ts_us\":{}}}\n",
        e.ns,
        e.flops,
        e.bytes,
        json::number(super::units::gflops(e.flops, e.ns)),
        std::process::id(),
        ts_us
    ));
    s
}

pub fn write(e: &Event) {
    if let Some(w) = &*WRITER {
        let line = line(e);
        let _ = w.lock().write_all(line.as_bytes());
    }
}

/// Flushes the trace if it was opened; gives up after `wait` if another thread holds it.
pub fn flush(wait: Duration) {
    if let Some(Some(w)) = Lazy::get(&WRITER) {
        if let Some(mut w) = w.try_lock_for(wait) {
            let _ = w.flush();
        }
    }
}
