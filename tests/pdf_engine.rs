//! The PDF engine under faults: browsers that hang, exit at once, break the DevTools
//! handshake, answer slowly or crash in the middle of a document. Each case ends in a retry
//! that succeeds or in a clear error naming the document and the step, within a stated bound,
//! and a failed build leaves the previous output as it was.
//!
//! The fake browsers are this test binary itself: `pdf_engine` points at a small shell script
//! that runs the binary's `fake_browser` test with a mode in the environment. Modes that need
//! a real browser put a proxy in front of Chromium (needs `chromium`, installed by `.ci/run`).
#![cfg(unix)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;

const MODE: &str = "BUNDEL_FAKE_BROWSER";
const ARGS: &str = "BUNDEL_FAKE_ARGS";
const MARKER: &str = "BUNDEL_FAKE_MARKER";

/// Not a test: the body of the fake browsers, run only when the script sets the mode.
#[test]
fn fake_browser() {
    let Ok(mode) = std::env::var(MODE) else {
        return;
    };
    let args: Vec<String> = std::env::var(ARGS)
        .unwrap_or_default()
        .split_whitespace()
        .map(String::from)
        .collect();
    match mode.as_str() {
        // Never announces its DevTools endpoint.
        "hang" => std::thread::sleep(Duration::from_secs(3600)),
        // Dies before it is ready, as a browser without a display or libraries does.
        "exit" => {
            eprintln!("[fake] error while loading shared libraries: libnss3.so");
            std::process::exit(127);
        }
        // Accepts the connection and closes it in the middle of the websocket upgrade.
        "close-mid-handshake" => {
            let l = TcpListener::bind("127.0.0.1:0").unwrap();
            announce(l.local_addr().unwrap().port(), "/devtools/browser/fake");
            for conn in l.incoming() {
                let mut c = conn.unwrap();
                let mut buf = [0u8; 64];
                let _ = c.read(&mut buf);
                let _ = c.write_all(b"HTTP/1.1 101 Switching");
                drop(c);
            }
        }
        // Accepts connections and never answers.
        "stall" => {
            let l = TcpListener::bind("127.0.0.1:0").unwrap();
            announce(l.local_addr().unwrap().port(), "/devtools/browser/fake");
            let mut held = Vec::new();
            for conn in l.incoming() {
                held.push(conn.unwrap());
            }
        }
        // A real Chromium whose first reply on every connection (the websocket upgrade)
        // comes 1.5 s late.
        "slow" => proxy_chromium(&args, Duration::from_millis(1500), false),
        // A real Chromium that crashes once, when the first document has loaded.
        "crash-once" => proxy_chromium(&args, Duration::ZERO, true),
        other => panic!("unknown fake browser mode {other}"),
    }
    std::process::exit(0);
}

fn announce(port: u16, path: &str) {
    eprintln!("DevTools listening on ws://127.0.0.1:{port}{path}");
}

/// Runs Chromium with bundel's arguments behind a proxy on another port.
fn proxy_chromium(args: &[String], delay: Duration, crash_once: bool) {
    let mut child = Command::new("chromium")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("chromium");
    let stderr = child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let endpoint = loop {
        let line = lines
            .next()
            .expect("chromium announces its endpoint")
            .unwrap();
        if let Some(url) = line.split("DevTools listening on ").nth(1) {
            break url.trim().to_string();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    let rest = endpoint.strip_prefix("ws://").unwrap();
    let (upstream, path) = rest.split_at(rest.find('/').unwrap());
    let upstream = upstream.to_string();
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    announce(l.local_addr().unwrap().port(), path);
    let child = Arc::new(Mutex::new(child));
    {
        // The fake ends with the browser, as the real one would.
        let child = Arc::clone(&child);
        std::thread::spawn(move || loop {
            if let Ok(Some(_)) = child.lock().unwrap().try_wait() {
                std::process::exit(0);
            }
            std::thread::sleep(Duration::from_millis(50));
        });
    }
    let marker = std::env::var(MARKER).map(PathBuf::from).ok();
    for conn in l.incoming() {
        let client = conn.unwrap();
        let server = TcpStream::connect(&upstream).unwrap();
        let (c2, s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
        std::thread::spawn(move || copy(c2, s2, Duration::ZERO, None));
        let crash = match (&marker, crash_once) {
            (Some(m), true) if !m.exists() => Some((m.clone(), Arc::clone(&child))),
            _ => None,
        };
        std::thread::spawn(move || copy(server, client, delay, crash));
    }
}

type Crash = (PathBuf, Arc<Mutex<std::process::Child>>);

/// Copies bytes one way, the first chunk after `delay`; with `crash`, kills the browser when
/// a page's load event passes (once: the marker file remembers it).
fn copy(mut from: TcpStream, mut to: TcpStream, delay: Duration, crash: Option<Crash>) {
    let mut buf = vec![0u8; 1 << 16];
    let mut first = true;
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if first {
            std::thread::sleep(delay);
            first = false;
        }
        if let Some((marker, child)) = &crash {
            if buf[..n].windows(19).any(|w| w == b"Page.loadEventFired") && !marker.exists() {
                std::fs::write(marker, "crashed").unwrap();
                let _ = child.lock().unwrap().kill();
                std::process::exit(1);
            }
        }
        if to.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = to.shutdown(std::net::Shutdown::Both);
}

/// A script that starts this binary as the fake browser in `mode`.
fn fake_engine(dir: &Path, mode: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let script = dir.join(format!("fake-{mode}"));
    let marker = dir.join(format!("fake-{mode}.crashed"));
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\nexport {MODE}={mode} {MARKER}='{}' {ARGS}=\"$*\"\nexec '{}' --exact fake_browser --nocapture --test-threads=1\n",
            marker.display(),
            exe.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

fn report_site() -> Site {
    let s = Site::new();
    s.write("site.yaml", "title: RMC-regio\n");
    s.write(
        "data/instellingen.csv",
        "instelling,aantal\nGraafschap College,6291\nRijn IJssel,896\n",
    );
    s.write(
        "content/rapport/_index.md",
        "---\ntitle: Tussenevaluatie vsv\ntype: report\npdf: true\n---\nEen kort voorwoord.\n",
    );
    s.write(
        "content/rapport/01-cijfers.md",
        "---\ntitle: De cijfers\n---\n```table\ndata: instellingen\ntotal: sum\ntitle: Deelnemers\nid: tbl-deelnemers\n```\n",
    );
    s
}

/// Builds with the fake engine and a short step deadline; returns the output and the time.
fn build_with(s: &Site, engine: &Path, step_secs: u32) -> (std::process::Output, Duration) {
    let start = Instant::now();
    let out = s.bundel_env(
        &["build", "--pdf"],
        &[
            ("BUNDEL_PDF_ENGINE", engine.to_str().unwrap()),
            ("BUNDEL_PDF_TIMEOUT", &step_secs.to_string()),
        ],
    );
    (out, start.elapsed())
}

/// A site built once without PDFs, whose output a failed PDF build must leave alone.
fn built_site() -> (Site, Vec<(PathBuf, Vec<u8>)>) {
    let s = report_site();
    let out = s.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let before = tree(&s.public());
    (s, before)
}

/// `fix` is a word of the hint that tells the user what to do.
fn assert_fails_clearly(mode: &str, step: &str, what: &str, fix: &str, bound: Duration) {
    let (s, before) = built_site();
    let engine = fake_engine(s.path(), mode);
    let (out, took) = build_with(&s, &engine, 2);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{mode}: {err}");
    assert!(
        err.contains("content/rapport/_index.md") && err.contains("cannot make the PDF"),
        "{mode}: the document is named: {err}"
    );
    assert!(err.contains(step), "{mode}: the step is named: {err}");
    assert!(
        err.contains("tried 3 times"),
        "{mode}: it was retried: {err}"
    );
    assert!(err.contains(what), "{mode}: {err}");
    assert!(err.contains(fix), "{mode}: what to do: {err}");
    assert!(took < bound, "{mode}: took {took:?}, bound {bound:?}");
    assert_eq!(
        tree(&s.public()),
        before,
        "{mode}: the previous output is intact"
    );
}

// Bounds: three tries of a 2 s step, plus the site build and a browser's start and stop.

#[test]
fn a_browser_that_hangs_at_start_is_retried_then_reported() {
    assert_fails_clearly(
        "hang",
        "starting the browser failed",
        "did not start within 2 s",
        "BUNDEL_PDF_TIMEOUT=300",
        Duration::from_secs(20),
    );
}

#[test]
fn a_browser_that_exits_at_once_is_reported_with_what_it_said() {
    assert_fails_clearly(
        "exit",
        "starting the browser failed",
        "libnss3.so",
        "apt-get install chromium",
        Duration::from_secs(15),
    );
}

#[test]
fn a_connection_closed_in_the_handshake_is_retried_then_reported() {
    assert_fails_clearly(
        "close-mid-handshake",
        "starting the browser failed",
        "handshake",
        "BUNDEL_PDF_TIMEOUT=300",
        Duration::from_secs(20),
    );
}

#[test]
fn a_browser_that_never_answers_is_retried_then_reported() {
    assert_fails_clearly(
        "stall",
        "starting the browser failed",
        "handshake",
        "BUNDEL_PDF_TIMEOUT=300",
        Duration::from_secs(20),
    );
}

fn pdf_pages(pdf: &Path) -> usize {
    let out = Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .expect("pdfinfo (poppler-utils) is needed: run `bash .ci/run`");
    let info = String::from_utf8_lossy(&out.stdout).to_string();
    info.lines()
        .find(|l| l.starts_with("Pages:"))
        .and_then(|l| l[6..].trim().parse().ok())
        .unwrap_or_else(|| panic!("{info}"))
}

#[test]
fn a_browser_whose_replies_are_slow_still_prints() {
    browser_tools("the slow-browser test", &[("chromium", "chromium")]);
    let s = report_site();
    let engine = fake_engine(s.path(), "slow");
    // The upgrade comes 1.5 s late: longer than the 500 ms socket timeout that used to break
    // the handshake, well inside the step deadline.
    let (out, _) = build_with(&s, &engine, 60);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(pdf_pages(&s.public().join("rapport/rapport.pdf")) >= 1);
}

#[test]
fn a_browser_that_crashes_mid_document_is_restarted_and_the_document_printed_again() {
    browser_tools("the crashing-browser test", &[("chromium", "chromium")]);
    let s = report_site();
    let engine = fake_engine(s.path(), "crash-once");
    let (out, _) = build_with(&s, &engine, 60);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        s.path().join("fake-crash-once.crashed").exists(),
        "the browser did crash once"
    );
    assert!(pdf_pages(&s.public().join("rapport/rapport.pdf")) >= 1);
}
