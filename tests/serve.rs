//! `bundel serve` as an author meets it: the real binary on a free port, a fixture site,
//! edits on disk, and HTTP requests (plain std, no client library) to see what is served.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;

const PATIENCE: Duration = Duration::from_secs(20);

/// A running `bundel serve`; killed when dropped, also when a test fails half-way.
struct Server {
    child: Child,
    port: u16,
    /// Everything the server printed, for failure messages.
    log: Arc<Mutex<String>>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(site: &Site) -> Server {
        Server::start_with(site, &[])
    }

    fn start_with(site: &Site, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_bundel"))
            .args(["serve", ".", "--port", "0"])
            .args(extra)
            .current_dir(site.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start bundel serve");
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        for (stream, tx) in [
            (Box::new(stdout) as Box<dyn Read + Send>, Some(tx)),
            (Box::new(stderr), None),
        ] {
            let log = Arc::clone(&log);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if let (Some(tx), Some(port)) = (&tx, port_in(&line)) {
                        let _ = tx.send(port);
                    }
                    log.lock().unwrap().push_str(&format!("{line}\n"));
                }
            });
        }
        let mut server = Server {
            child,
            port: 0,
            log,
        };
        match rx.recv_timeout(PATIENCE) {
            Ok(port) => server.port = port,
            Err(_) => panic!("serve did not start:\n{}", server.log()),
        }
        server
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    fn get(&self, path: &str) -> Reply {
        get(self.port, path)
    }

    /// Polls `path` until `ok` holds for the reply, failing after [`PATIENCE`].
    fn wait_for(&self, path: &str, what: &str, ok: impl Fn(&Reply) -> bool) -> Reply {
        let start = Instant::now();
        loop {
            let reply = self.get(path);
            if ok(&reply) {
                return reply;
            }
            if start.elapsed() > PATIENCE {
                panic!(
                    "gave up waiting for {what} at {path}; last reply {}:\n{}\n--- server log:\n{}",
                    reply.status,
                    reply.body,
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// `Serving /tmp/x at http://127.0.0.1:41234/  (press Ctrl+C to stop)` -> 41234.
fn port_in(line: &str) -> Option<u16> {
    let rest = line.split("http://127.0.0.1:").nth(1)?;
    rest.split('/').next()?.parse().ok()
}

struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

fn get(port: u16, path: &str) -> Reply {
    get_as(port, path, "127.0.0.1")
}

fn get_as(port: u16, path: &str, host: &str) -> Reply {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(PATIENCE)).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).expect("read reply");
    let raw = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Reply {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

/// An open `/__bundel/events` stream, as a browser tab holds it.
struct Events {
    stream: TcpStream,
    seen: String,
}

impl Events {
    fn open(port: u16) -> Events {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        write!(
            stream,
            "GET /__bundel/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let mut e = Events {
            stream,
            seen: String::new(),
        };
        e.wait_for("event: hello");
        e
    }

    /// Reads until `text` has arrived; returns everything after it.
    fn wait_for(&mut self, text: &str) -> String {
        let start = Instant::now();
        let mut buf = [0u8; 4096];
        loop {
            if let Some(i) = self.seen.find(text) {
                let rest = self.seen[i + text.len()..].to_string();
                self.seen.drain(..i + text.len());
                return rest;
            }
            assert!(
                start.elapsed() < PATIENCE,
                "no `{text}` on the event stream; got:\n{}",
                self.seen
            );
            match self.stream.read(&mut buf) {
                Ok(0) => panic!("event stream closed; got:\n{}", self.seen),
                Ok(n) => self.seen.push_str(&String::from_utf8_lossy(&buf[..n])),
                Err(_) => {} // read timeout: try again
            }
        }
    }
}

fn news_site() -> Site {
    let s = Site::new();
    s.write(
        "content/nieuws/_index.md",
        "---\ntitle: Nieuws\npage_layout: article\n---\n",
    );
    s.write(
        "content/nieuws/webinar.md",
        "---\ntitle: Webinar aanvalsplan\ndate: 2021-09-21\nsummary: Een webinar.\n---\nEerste versie van de tekst.\n",
    );
    s
}

#[test]
fn serves_pages_from_memory_with_clean_urls_types_and_404() {
    let site = news_site();
    let server = Server::start(&site);

    let page = server.get("/nieuws/webinar/");
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Eerste versie van de tekst."));
    assert_eq!(
        page.header("Content-Type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert!(
        page.body.contains("/__bundel/events"),
        "the reload script is injected"
    );
    assert!(page.body.trim_end().ends_with("</html>"));

    let redirect = server.get("/nieuws/webinar");
    assert_eq!(redirect.status, 301);
    assert_eq!(
        redirect.header("Location").as_deref(),
        Some("/nieuws/webinar/")
    );

    let css = server.get("/css/bundel.css");
    assert_eq!(css.status, 200);
    assert_eq!(
        css.header("Content-Type").as_deref(),
        Some("text/css; charset=utf-8")
    );
    assert!(!css.body.contains("__bundel"));

    let missing = server.get("/bestaat-niet/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("<h1"),
        "the theme's 404 page is shown: {}",
        missing.body
    );

    assert!(
        !site.exists("index.html"),
        "serve writes nothing to disk: {:?}",
        site.public()
    );
    // The reload script is for the preview only, never in a built site.
    site.build();
    assert!(!site.read("nieuws/webinar/index.html").contains("__bundel"));
}

#[test]
fn an_edit_is_served_and_announced_to_open_pages() {
    let site = news_site();
    let server = Server::start(&site);
    assert!(server
        .get("/nieuws/webinar/")
        .body
        .contains("Eerste versie"));
    let mut events = Events::open(server.port);

    site.write(
        "content/nieuws/webinar.md",
        "---\ntitle: Webinar aanvalsplan\ndate: 2021-09-21\nsummary: Een webinar.\n---\nTweede versie, met een nieuwe alinea.\n",
    );
    server.wait_for("/nieuws/webinar/", "the edited text", |r| {
        r.body.contains("Tweede versie")
    });
    let data = events.wait_for("event: reload\ndata: ");
    assert!(
        data.contains("/nieuws/webinar/"),
        "the reload names the changed page: {data}"
    );

    // Front matter feeds listings: a new title shows on the section page too.
    site.write(
        "content/nieuws/webinar.md",
        "---\ntitle: Webinar over het aanvalsplan\ndate: 2021-09-21\nsummary: Een webinar.\n---\nTweede versie.\n",
    );
    server.wait_for("/nieuws/", "the new title in the listing", |r| {
        r.body.contains("Webinar over het aanvalsplan")
    });

    // A new page appears without restarting.
    site.write(
        "content/nieuws/nieuw.md",
        "---\ntitle: Een nieuw bericht\ndate: 2022-01-10\nsummary: Nieuw.\n---\nTekst.\n",
    );
    server.wait_for("/nieuws/nieuw/", "the new page", |r| r.status == 200);
}

/// The server's thread count, from /proc.
fn threads(pid: u32) -> usize {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

#[test]
fn many_open_tabs_cost_no_threads_and_all_hear_the_reload() {
    let site = news_site();
    let server = Server::start(&site);
    let before = threads(server.child.id());
    let mut tabs: Vec<Events> = (0..150).map(|_| Events::open(server.port)).collect();
    // Plain requests still get through while every stream is open.
    assert_eq!(server.get("/nieuws/webinar/").status, 200);
    let open = threads(server.child.id());
    assert!(
        before > 0 && open <= before + 8,
        "150 open event streams took the server from {before} to {open} threads"
    );
    site.write(
        "content/nieuws/webinar.md",
        "---\ntitle: Webinar aanvalsplan\ndate: 2021-09-21\nsummary: Een webinar.\n---\nTweede versie.\n",
    );
    for tab in &mut tabs {
        let data = tab.wait_for("event: reload\ndata: ");
        assert!(data.contains("/nieuws/webinar/"), "{data}");
    }
    // Closed tabs are forgotten: the next reload still reaches the open one.
    let mut last = tabs.pop().unwrap();
    drop(tabs);
    site.write(
        "content/nieuws/webinar.md",
        "---\ntitle: Webinar aanvalsplan\ndate: 2021-09-21\nsummary: Een webinar.\n---\nDerde versie.\n",
    );
    let data = last.wait_for("event: reload\ndata: ");
    assert!(data.contains("/nieuws/webinar/"), "{data}");
}

#[test]
fn a_build_error_shows_as_an_overlay_until_it_is_fixed() {
    let site = news_site();
    let server = Server::start(&site);
    let mut events = Events::open(server.port);

    site.write(
        "content/nieuws/webinar.md",
        "---\ntitle: \"Webinar aanvalsplan\ndate: 2021-09-21\n---\nKapotte versie.\n",
    );
    let broken = server.wait_for("/nieuws/webinar/", "the error overlay", |r| {
        r.body.contains("bundel-error-overlay")
    });
    assert_eq!(broken.status, 200);
    assert!(
        broken.body.contains("content/nieuws/webinar.md:2:8"),
        "the overlay names file:line:col: {}",
        broken.body
    );
    assert!(broken.body.contains("help: "));
    assert!(
        broken.body.contains("Eerste versie"),
        "the last good page stays underneath"
    );
    assert!(
        server.get("/").body.contains("bundel-error-overlay"),
        "every page shows the overlay"
    );
    events.wait_for("event: reload");
    assert!(server
        .log()
        .contains("content/nieuws/webinar.md:2:8: error:"));

    site.write(
        "content/nieuws/webinar.md",
        "---\ntitle: Webinar aanvalsplan\ndate: 2021-09-21\nsummary: Een webinar.\n---\nGerepareerde versie.\n",
    );
    let fixed = server.wait_for("/nieuws/webinar/", "the repaired page", |r| {
        r.body.contains("Gerepareerde versie")
    });
    assert!(!fixed.body.contains("bundel-error-overlay"));
    assert!(!server.get("/").body.contains("bundel-error-overlay"));
    events.wait_for("event: reload");
}

#[test]
fn a_site_that_never_built_still_serves_its_errors() {
    let site = Site::new();
    site.write("content/_index.md", "---\ntitle: [kapot\n---\n");
    let server = Server::start(&site);
    let reply = server.get("/");
    assert_eq!(reply.status, 500);
    assert!(reply.body.contains("content/_index.md:"), "{}", reply.body);
    site.write("content/_index.md", "---\ntitle: Home\n---\nHersteld.\n");
    server.wait_for("/", "the home page", |r| {
        r.status == 200 && r.body.contains("Hersteld.")
    });
}

#[test]
fn drafts_are_previewed_only_when_asked() {
    let site = news_site();
    site.write(
        "content/nieuws/concept.md",
        "---\ntitle: Concept\ndraft: true\n---\nNog niet klaar.\n",
    );
    let server = Server::start(&site);
    assert_eq!(server.get("/nieuws/concept/").status, 404);
    drop(server);

    let server = Server::start_with(&site, &["--drafts"]);
    let page = server.get("/nieuws/concept/");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Nog niet klaar."));
    site.write(
        "content/nieuws/concept.md",
        "---\ntitle: Concept\ndraft: true\n---\nBijna klaar.\n",
    );
    server.wait_for("/nieuws/concept/", "the edited draft", |r| {
        r.body.contains("Bijna klaar.")
    });
}

/// A page on another site can point a name of its own at 127.0.0.1 (DNS rebinding) and
/// read what the preview serves: only requests addressed to this machine are answered.
#[test]
fn requests_for_other_host_names_are_refused() {
    let site = news_site();
    let server = Server::start(&site);
    let port = server.port;
    for host in [
        "evil.example",
        "127.0.0.1.evil.example:80",
        "localhost.evil",
    ] {
        let r = get_as(port, "/nieuws/webinar/", &format!("{host}:{port}"));
        assert_eq!(r.status, 403, "{host}: {}", r.body);
        assert!(!r.body.contains("Eerste versie"), "{host}");
    }
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
    ] {
        assert_eq!(
            get_as(port, "/nieuws/webinar/", &host).status,
            200,
            "{host}"
        );
    }
}

#[test]
fn a_port_in_use_is_said_clearly() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let site = news_site();
    let out = site.bundel(&["serve", ".", "--port", &port]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains(&format!("port {port} is already in use")),
        "{err}"
    );
    assert!(
        !stdout(&out).contains("Built"),
        "said before building the site"
    );
}

#[test]
fn search_works_in_the_preview_and_follows_edits() {
    let site = news_site();
    let server = Server::start(&site);
    assert_eq!(server.get("/zoeken/").status, 200);
    let entry = |r: &Reply| -> (String, u64) {
        let v: serde_json::Value = serde_json::from_str(&r.body)
            .unwrap_or_else(|e| panic!("pagefind-entry.json: {e}\n{}", r.body));
        let nl = &v["languages"]["nl"];
        (
            nl["hash"].as_str().unwrap_or_default().to_string(),
            nl["page_count"].as_u64().unwrap_or(0),
        )
    };
    let first = server.get("/pagefind/pagefind-entry.json");
    assert_eq!(first.status, 200, "{}", first.body);
    let (hash, pages) = entry(&first);
    assert!(pages >= 2, "the home page and the news pages: {pages}");
    let js = server.get("/pagefind/pagefind.js");
    assert_eq!(js.status, 200);
    assert_eq!(
        js.header("Content-Type").as_deref(),
        Some("text/javascript; charset=utf-8")
    );

    // After an edit the next search sees the new text: the index is made again.
    site.write(
        "content/nieuws/webinar.md",
        "---\ntitle: Webinar aanvalsplan\ndate: 2021-09-21\nsummary: Een webinar.\n---\nNu met schoolmaatschappelijk werk.\n",
    );
    server.wait_for("/nieuws/webinar/", "the edited text", |r| {
        r.body.contains("schoolmaatschappelijk")
    });
    let (new_hash, _) = entry(&server.get("/pagefind/pagefind-entry.json"));
    assert_ne!(hash, new_hash, "the index follows the edit");
}
