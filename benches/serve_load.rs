//! `bundel serve` under load, on the example site: 2,000 requests from 50 concurrent
//! connections (errors, time, the server's memory before and after), then 300 open
//! live-reload streams (the server's threads while they are open).
//!
//!     cargo bench --bench serve_load        (REQUESTS=2000 CLIENTS=50 STREAMS=300)

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// `VmRSS` and `Threads` of a process, from /proc.
fn status(pid: u32) -> (String, String) {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |k: &str| {
        s.lines()
            .find(|l| l.starts_with(k))
            .map(|l| l[k.len()..].trim().to_string())
            .unwrap_or_default()
    };
    (field("VmRSS:"), field("Threads:"))
}

fn get(port: u16, path: &str) -> Result<u16, String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    s.set_read_timeout(Some(Duration::from_secs(30))).ok();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).map_err(|e| e.to_string())?;
    let head = String::from_utf8_lossy(&raw[..raw.len().min(64)]).to_string();
    head.split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| format!("no status line: {head:?}"))
}

fn main() {
    let requests = env("REQUESTS", 2000);
    let clients = env("CLIENTS", 50);
    let streams = env("STREAMS", 300);
    let site = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut child = Command::new(env!("CARGO_BIN_EXE_bundel"))
        .args(["serve", ".", "--port", "0"])
        .current_dir(&site)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start bundel serve");
    let out = child.stdout.take().unwrap();
    let server = Server(child);
    let pid = server.0.id();
    let mut port = 0;
    for line in BufReader::new(out).lines().map_while(Result::ok) {
        if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
            port = rest.split('/').next().unwrap().parse().unwrap();
            break;
        }
    }
    assert!(port > 0, "serve did not start");
    let paths = [
        "/",
        "/nieuws/",
        "/rapporten/tussenevaluatie-2022/cijfers/",
        "/factsheets/",
        "/css/bundel.css",
        "/zoeken/",
        "/bestaat-niet/",
    ];
    for p in paths {
        get(port, p).expect("warm up");
    }
    let (rss_before, threads_before) = status(pid);

    let next = AtomicUsize::new(0);
    let errors = AtomicUsize::new(0);
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..clients {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                if i >= requests {
                    break;
                }
                let path = paths[i % paths.len()];
                let want = if path == "/bestaat-niet/" { 404 } else { 200 };
                if get(port, path) != Ok(want) {
                    errors.fetch_add(1, Ordering::SeqCst);
                }
            });
        }
    });
    let took = start.elapsed().as_secs_f64();
    let (rss_after, threads_after) = status(pid);
    println!(
        "{requests} requests from {clients} connections: {} errors, {took:.2} s ({:.0} requests/s)",
        errors.load(Ordering::SeqCst),
        requests as f64 / took
    );
    println!("server memory: {rss_before} before, {rss_after} after; threads {threads_before} -> {threads_after}");

    let mut open = Vec::new();
    for _ in 0..streams {
        let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        write!(
            s,
            "GET /__bundel/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        )
        .unwrap();
        open.push(s);
    }
    std::thread::sleep(Duration::from_millis(1500));
    let (rss_streams, threads_streams) = status(pid);
    println!("{streams} open live-reload streams: server threads {threads_streams}, memory {rss_streams}");
    drop(open);
}
