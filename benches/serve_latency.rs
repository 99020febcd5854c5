//! How long after saving a file does `bundel serve` serve the new page?
//!
//! Starts the real binary on a generated 1,000-page site, edits one page many times, and
//! measures from just before the write until an HTTP GET returns the new text (polling every
//! millisecond), and until the reload event reaches an open event stream. Three kinds of
//! change: a body edit (the common case while writing), a front matter edit (both take the
//! fast path for the edited page), and a new page (always a full rebuild).
//!
//!     cargo bench --bench serve_latency
//!
//! The site comes from `BUNDEL_BENCH_SITE`, else `/dev/shm/bench1000/bundel`, generated with
//! `python3 /work/shared/bench/gen_corpus.py --pages 1000 --seed 42 --out /dev/shm/bench1000
//! --tools bundel` when missing (`BUNDEL_BENCH_GEN` names another generator). It is copied
//! first, so the original is never edited. `BUNDEL_BENCH_ROUNDS` sets the edits per kind.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn main() {
    let source = std::env::var_os("BUNDEL_BENCH_SITE")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/dev/shm/bench1000/bundel"));
    if !source.join("site.yaml").is_file() {
        generate(&source);
    }
    let rounds: usize = std::env::var("BUNDEL_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(20);
    let work = tempfile::tempdir_in(if Path::new("/dev/shm").is_dir() {
        "/dev/shm"
    } else {
        "."
    })
    .expect("temp dir");
    let site = work.path().join("site");
    copy_dir(&source, &site);
    let pages = count_md(&site.join("content"));

    let (page_file, url) = pick_page(&site);
    let (mut server, port, log) = start(&site);
    eprintln!(
        "serving {pages} Markdown files; editing {}",
        page_file.display()
    );
    assert_eq!(get(port, &url).0, 200, "{url} must exist");

    let events = events(port);
    let original = std::fs::read_to_string(&page_file).unwrap();

    let mut body = Vec::new();
    let mut body_events = Vec::new();
    for i in 0..rounds {
        let marker = format!("Meting-body-{i}-{}", std::process::id());
        let text = format!("{original}\nNieuwe alinea {marker}.\n");
        let (served, event) = edit_and_wait(&page_file, &text, port, &url, &marker, &events);
        body.push(served);
        body_events.extend(event);
        // Let the full "verify" build that follows a fast update finish, so every round
        // measures the same situation: an author who saves now and then.
        std::thread::sleep(Duration::from_millis(900));
    }

    let mut front = Vec::new();
    let mut front_events = Vec::new();
    for i in 0..rounds {
        let marker = format!("Titel-{i}-{}", std::process::id());
        let text = original.replacen("title: ", &format!("title: {marker} "), 1);
        let (served, event) = edit_and_wait(&page_file, &text, port, &url, &marker, &events);
        front.push(served);
        front_events.extend(event);
        std::thread::sleep(Duration::from_millis(300));
    }

    // A new page changes the site's structure: always a full rebuild.
    let mut added = Vec::new();
    let mut added_events = Vec::new();
    for i in 0..rounds {
        let marker = format!("Nieuw-{i}-{}", std::process::id());
        let file = page_file.with_file_name(format!("nieuw-bericht-{i}.md"));
        let url = format!("/nieuws/nieuw-bericht-{i}/");
        let text = format!("---\ntitle: Nieuw bericht {i}\ndate: 2024-01-01\n---\n{marker}\n");
        let (served, event) = edit_and_wait(&file, &text, port, &url, &marker, &events);
        added.push(served);
        added_events.extend(event);
        std::thread::sleep(Duration::from_millis(300));
    }

    let _ = server.0.kill();
    let _ = server.0.wait();
    println!("bundel serve, {pages} pages, {rounds} edits each (ms from write to served):");
    print_stats("body edit, page served ", &mut body);
    print_stats("body edit, reload event", &mut body_events);
    print_stats("front matter edit, page served ", &mut front);
    print_stats("front matter edit, reload event", &mut front_events);
    print_stats("new page (full rebuild), served ", &mut added);
    print_stats("new page (full rebuild), reload event", &mut added_events);
    let log = log.recv_timeout(Duration::from_secs(5)).unwrap_or_default();
    let builds: Vec<&str> = log
        .lines()
        .filter(|l| l.contains(" in ") && l.contains(" ms"))
        .collect();
    println!("last lines of the server log:");
    for l in builds.iter().rev().take(4).rev() {
        println!("  {l}");
    }
}

/// Writes `text`, then polls until the page contains `marker`. Returns (served, reload event)
/// in milliseconds.
fn edit_and_wait(
    file: &Path,
    text: &str,
    port: u16,
    url: &str,
    marker: &str,
    events: &mpsc::Receiver<(Instant, String)>,
) -> (f64, Option<f64>) {
    while events.try_recv().is_ok() {}
    let start = Instant::now();
    std::fs::write(file, text).unwrap();
    let served = loop {
        let (status, body) = get(port, url);
        if status == 200 && body.contains(marker) {
            break start.elapsed();
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "edit never served"
        );
        std::thread::sleep(Duration::from_millis(1));
    };
    let event = events
        .recv_timeout(Duration::from_secs(5))
        .ok()
        .filter(|(_, data)| data.contains(url) || data.contains("\"all\":true"))
        .map(|(at, _)| ms(at.duration_since(start)));
    (ms(served), event)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn print_stats(what: &str, v: &mut [f64]) {
    if v.is_empty() {
        println!("  {what}: no samples");
        return;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let q = |p: f64| v[((v.len() - 1) as f64 * p).round() as usize];
    println!(
        "  {what}: median {:6.1}  p90 {:6.1}  min {:6.1}  max {:6.1}",
        q(0.5),
        q(0.9),
        v[0],
        v[v.len() - 1]
    );
}

fn start(site: &Path) -> (Server, u16, mpsc::Receiver<String>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bundel"))
        .args(["serve", site.to_str().unwrap(), "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start bundel serve");
    let stdout = child.stdout.take().unwrap();
    let (port_tx, port_rx) = mpsc::channel();
    let (log_tx, log_rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut log = String::new();
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(p) = line
                .split("http://127.0.0.1:")
                .nth(1)
                .and_then(|r| r.split('/').next())
                .and_then(|p| p.parse::<u16>().ok())
            {
                let _ = port_tx.send(p);
            }
            eprintln!("  serve: {line}");
            log.push_str(&line);
            log.push('\n');
        }
        let _ = log_tx.send(log);
    });
    let port = port_rx
        .recv_timeout(Duration::from_secs(120))
        .expect("serve did not start");
    (Server(child), port, log_rx)
}

/// Reload events with their arrival time.
fn events(port: u16) -> mpsc::Receiver<(Instant, String)> {
    let (tx, rx) = mpsc::channel();
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET /__bundel/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .unwrap();
    std::thread::spawn(move || {
        let mut reader = BufReader::new(s);
        let mut line = String::new();
        let mut reload = false;
        while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
            if line.starts_with("event: reload") {
                reload = true;
            } else if reload && line.starts_with("data: ") {
                let _ = tx.send((Instant::now(), line.clone()));
                reload = false;
            }
            line.clear();
        }
    });
    rx
}

fn get(port: u16, path: &str) -> (u16, String) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw);
    let status = raw
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, raw.into_owned())
}

/// A page halfway through the largest section, and its URL.
fn pick_page(site: &Path) -> (PathBuf, String) {
    let dir = site.join("content/nieuws");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md") && !p.ends_with("_index.md"))
        .collect();
    files.sort();
    let file = files[files.len() / 2].clone();
    let stem = file.file_stem().unwrap().to_string_lossy().to_string();
    (
        file,
        format!("/nieuws/{}/", bundel::content::slugify(&stem)),
    )
}

fn generate(out: &Path) {
    let generator = std::env::var("BUNDEL_BENCH_GEN")
        .unwrap_or_else(|_| "/work/shared/bench/gen_corpus.py".into());
    // The generator writes OUT/bundel; `out` is that folder.
    let parent = out.parent().expect("site folder has a parent");
    let status = Command::new("python3")
        .args([
            generator.as_str(),
            "--pages",
            "1000",
            "--seed",
            "42",
            "--out",
            parent.to_str().unwrap(),
            "--tools",
            "bundel",
        ])
        .status()
        .expect("run the corpus generator");
    assert!(status.success(), "corpus generation failed");
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().flatten() {
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn count_md(dir: &Path) -> usize {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .count()
}
