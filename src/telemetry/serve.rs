//! `LAPACK_AI_METRICS=host:port`: a background thread serving
//! - `/metrics`: Prometheus text ([`super::prometheus`]),
//! - `/stats.json`: the counters and gauges as JSON ([`super::live`]),
//! - `/`: the live dashboard (`dashboard.html`, self-contained, polls `/stats.json`).
//!
//! The thread exists only when the variable is set; it starts on the process's first
//! counted call. A port alone (`9464`, `:9464`) binds 127.0.0.1; a host is used as named,
//! so only an explicit non-loopback address (`0.0.0.0:9464`) exposes the counters beyond
//! this machine. Port 0 picks a free port; the address is printed once on stderr.
//! One request at a time, each with read/write timeouts, plain `std::net`.

use super::{counters, live, prometheus};
use crate::config;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream, ToSocketAddrs};
use std::sync::Once;
use std::time::Duration;

const DASHBOARD: &str = include_str!("dashboard.html");

/// Starts the server if `LAPACK_AI_METRICS` asks for it (once per process).
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if let Some(spec) = &config::get().metrics {
            start(spec);
        }
    });
}

/// The address `spec` names: a port alone means loopback.
pub fn parse_address(spec: &str) -> Result<SocketAddr, String> {
    let port_only = spec.strip_prefix(':').unwrap_or(spec);
    if let Ok(port) = port_only.parse::<u16>() {
        return Ok(SocketAddr::from((Ipv4Addr::LOCALHOST, port)));
    }
    spec.to_socket_addrs()
        .map_err(|e| e.to_string())?
        .next()
        .ok_or_else(|| "the name resolves to no address".to_string())
}

fn start(spec: &str) {
    let listener = parse_address(spec).and_then(|addr| {
        TcpListener::bind(addr).map_err(|e| format!("cannot listen on {addr}: {e}"))
    });
    let listener = match listener {
        Ok(l) => l,
        Err(e) => {
            eprintln!("liblapack_ai: LAPACK_AI_METRICS={spec}: {e}; no metrics endpoint");
            return;
        }
    };
    let local = listener
        .local_addr()
        .map_or(spec.to_string(), |a| a.to_string());
    pin_library();
    live::mark_start();
    let spawned = std::thread::Builder::new()
        .name("lapack-ai-metrics".into())
        .spawn(move || {
            for stream in listener.incoming().flatten() {
                // A bad request or a panic costs that request only.
                let _ = std::panic::catch_unwind(move || handle(stream));
            }
        });
    match spawned {
        Ok(_) => eprintln!(
            "liblapack_ai: metrics at http://{local}/metrics, dashboard at http://{local}/"
        ),
        Err(e) => eprintln!("liblapack_ai: LAPACK_AI_METRICS={spec}: no thread ({e})"),
    }
}

/// Keeps the library mapped for the life of the process: the server thread runs its
/// code, so a `dlclose` must not unmap it.
fn pin_library() {
    let mut info: libc::Dl_info = unsafe { std::mem::zeroed() };
    // SAFETY: dladdr on one of our functions; a second, never-closed reference.
    unsafe {
        if libc::dladdr(pin_library as *const libc::c_void, &mut info) != 0
            && !info.dli_fname.is_null()
        {
            libc::dlopen(
                info.dli_fname,
                libc::RTLD_NOW | libc::RTLD_NOLOAD | libc::RTLD_NODELETE,
            );
        }
    }
}

fn handle(mut stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
    let mut request = Vec::with_capacity(1024);
    let mut buf = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 16 * 1024 {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    let line = String::from_utf8_lossy(&request);
    let mut words = line.lines().next().unwrap_or("").split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let path = target.split('?').next().unwrap_or("");
    let (status, content_type, body) = match (method, path) {
        ("GET" | "HEAD", "/") => ("200 OK", "text/html; charset=utf-8", DASHBOARD.into()),
        ("GET" | "HEAD", "/metrics") => (
            "200 OK",
            "text/plain; version=0.0.4; charset=utf-8",
            prometheus::text(&rows(), &live::gauges()),
        ),
        ("GET" | "HEAD", "/stats.json") => (
            "200 OK",
            "application/json",
            live::stats_json(&rows(), &live::gauges()),
        ),
        ("GET" | "HEAD", _) => (
            "404 Not Found",
            "text/plain; charset=utf-8",
            "not found: try /, /metrics or /stats.json\n".to_string(),
        ),
        _ => (
            "405 Method Not Allowed",
            "text/plain; charset=utf-8",
            "only GET and HEAD\n".to_string(),
        ),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    if method != "HEAD" {
        let _ = stream.write_all(body.as_bytes());
    }
    let _ = stream.flush();
}

fn rows() -> Vec<counters::Row> {
    counters::snapshot(None).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::parse_address;

    #[test]
    fn a_port_alone_means_loopback() {
        assert_eq!(parse_address("9464").unwrap().to_string(), "127.0.0.1:9464");
        assert_eq!(parse_address(":0").unwrap().to_string(), "127.0.0.1:0");
        assert_eq!(
            parse_address("0.0.0.0:80").unwrap().to_string(),
            "0.0.0.0:80"
        );
        assert_eq!(parse_address("[::1]:9").unwrap().to_string(), "[::1]:9");
        assert!(parse_address("no port").is_err());
    }
}
