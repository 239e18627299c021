//! `LAPACK_AI_TRACE=path`: every call as one JSON object per line.
//!
//! The file is opened for appending (several processes may share it: each line is
//! written with one `write`); `%p` in the path becomes the process id. Lines go through a
//! buffered writer behind a lock, flushed when the buffer fills and at process exit.

use super::backend::Backend;
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

/// One call read back from a trace line.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    pub routine: String,
    pub shape: String,
    pub backend: Backend,
    pub ns: u64,
    pub flops: u64,
    pub bytes: u64,
    /// Wall-clock time of the call's end, microseconds since the epoch (0 if absent).
    pub ts_us: u64,
}

impl Record {
    /// The largest dimension named in the shape ("m=512 n=64 k=8 NN" gives 512).
    pub fn size(&self) -> Option<u64> {
        self.shape
            .split_whitespace()
            .filter_map(|w| w.split_once('=')?.1.parse::<u64>().ok())
            .max()
    }
}

/// A trace line as a record (None if it is not one).
pub fn parse_line(line: &str) -> Option<Record> {
    let fields = json::parse_object(line)?;
    let get = |k: &str| fields.iter().find(|f| f.0 == k).map(|f| &f.1);
    let num = |k: &str| get(k).and_then(|v| v.as_f64()).unwrap_or(0.0) as u64;
    Some(Record {
        routine: get("routine")?.as_str()?.to_string(),
        shape: get("shape")
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string(),
        backend: Backend::from_name(get("backend")?.as_str()?)?,
        ns: num("ns"),
        flops: num("flops"),
        bytes: num("bytes"),
        ts_us: num("ts_us"),
    })
}

/// The records of a trace file's text, and the number of non-blank lines that are not.
pub fn read(text: &str) -> (Vec<Record>, usize) {
    let mut records = Vec::new();
    let mut bad = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        match parse_line(line) {
            Some(r) => records.push(r),
            None => bad += 1,
        }
    }
    (records, bad)
}
