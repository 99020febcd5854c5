//! `bundel serve`: a live preview. The site is built into memory and served on 127.0.0.1;
//! edits to its inputs rebuild it and reload the open browser tabs.
//!
//! Three parts share one [`Shared`]: the watcher feeds changed paths to the build thread,
//! which publishes each good build as a new [`Snapshot`] (or keeps the last good one and
//! records the errors) and tells the browsers; the web server (hyper, on one thread of its own)
//! answers requests from the current snapshot. Connections, including each open tab's event
//! stream, are tasks rather than threads, so many tabs cost next to nothing.

mod http;
mod rebuild;
mod watch;

use std::collections::BTreeSet;
use std::io::ErrorKind;
use std::net::{Ipv4Addr, SocketAddrV4, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use std::time::{Duration, Instant};

use crate::config::SiteConfig;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::locale::Lang;
use rebuild::{Builder, Files, Outcome, Reload};

pub const DEFAULT_PORT: u16 = 1111;

/// Editors often write a file more than once per save (truncate, write, rename, touch);
/// a build starts once no event has come for this long.
const QUIET: Duration = Duration::from_millis(15);
/// ... or after this long, when events keep coming (a `git checkout`, a sync client).
const MAX_WAIT: Duration = Duration::from_millis(200);
/// After a fast update of a page's body, the full build that double-checks every other page
/// waits for a pause in the editing, so it never delays the next save.
const VERIFY_AFTER: Duration = Duration::from_millis(300);
/// Threads that read files and make the search index for requests; connections need none.
const ANSWER_THREADS: usize = 4;
/// Browsers give up on a quiet event stream after a while; a comment line keeps it open, and
/// finds the tabs that have gone.
const KEEPALIVE: Duration = Duration::from_secs(15);
/// A connection that has not sent its request headers by then is closed.
const HEADER_TIMEOUT: Duration = Duration::from_secs(30);

pub struct Options {
    pub site_dir: PathBuf,
    /// `None`: the default port, or the next free one.
    pub port: Option<u16>,
    /// Open the preview in the browser.
    pub open: bool,
    /// Show pages marked `draft: true` too.
    pub drafts: bool,
}

/// What the browser is shown.
#[derive(Clone)]
pub(crate) struct Snapshot {
    /// The last good build.
    pub files: Arc<Files>,
    /// Problems of the latest build; empty when it succeeded.
    pub errors: Arc<Vec<Diagnostic>>,
    /// Path part of `base_url`, also served, since the 404 page links from it.
    pub base_path: String,
    /// The search index of `files`, made when a page first asks for it (see [`search_index`]).
    pub search: Arc<OnceLock<Files>>,
    /// The site's language code, for the search index.
    pub language: String,
}

impl Snapshot {
    /// The files of the search index (`pagefind/...`), made on first use.
    pub fn search_files(&self) -> &Files {
        self.search
            .get_or_init(|| search_index(&self.files, &self.language))
    }
}

/// The search index of a preview. It is made when the search page first loads it, not with
/// every rebuild: indexing costs about 3 s per 1,000 pages, far more than an edit's rebuild.
/// Every page is indexed except the one-page print views, which repeat their chapters, and
/// the search page itself.
fn search_index(files: &Files, language: &str) -> Files {
    let search_page = Lang::from_code(language)
        .map(|l| format!("{}index.html", crate::search::page_path(l)))
        .unwrap_or_default();
    let indexer = crate::search::Indexer::new(language);
    for (key, bytes) in files {
        let Some(path) = key.strip_suffix("index.html") else {
            continue;
        };
        if *key == search_page
            || path.ends_with("print/")
            || !(path.is_empty() || path.ends_with('/'))
        {
            continue;
        }
        if let Ok(html) = std::str::from_utf8(bytes) {
            indexer.add(path, html.to_string());
        }
    }
    match indexer.finish() {
        Ok(index) => index
            .into_iter()
            .map(|f| (f.path, Arc::new(f.bytes)))
            .collect(),
        Err(e) => {
            eprintln!("search: {e}");
            Files::new()
        }
    }
}

#[derive(Clone)]
pub(crate) struct Shared {
    snapshot: Arc<RwLock<Snapshot>>,
    /// One sender per open event stream.
    clients: Arc<Mutex<Vec<tokio::sync::mpsc::UnboundedSender<String>>>>,
    /// Differs per run, so tabs left open across a restart reload.
    instance: String,
    script: Arc<String>,
}

impl Shared {
    pub fn snapshot(&self) -> Snapshot {
        self.snapshot.read().expect("snapshot").clone()
    }

    fn publish(&self, files: Arc<Files>, errors: Vec<Diagnostic>) {
        let mut s = self.snapshot.write().expect("snapshot");
        if !Arc::ptr_eq(&s.files, &files) {
            s.search = Arc::new(OnceLock::new());
        }
        s.files = files;
        s.errors = Arc::new(errors);
    }

    /// Sends one Server-Sent Event to every open tab, forgetting tabs that have gone.
    fn broadcast(&self, event: &str, data: &str) {
        self.send_all(format!("event: {event}\ndata: {data}\n\n"));
    }

    fn send_all(&self, message: String) {
        self.clients
            .lock()
            .expect("clients")
            .retain(|tx| tx.send(message.clone()).is_ok());
    }

    fn reload(&self, reload: &Reload) {
        let data = match reload {
            Reload::Nothing => return,
            Reload::All => serde_json::json!({"all": true, "paths": []}),
            Reload::Pages(p) => serde_json::json!({"all": false, "paths": p}),
        };
        self.broadcast("reload", &data.to_string());
    }
}

/// Runs until the process is stopped. `Err` is a message for problems that prevent serving
/// at all (a folder that does not exist, a port in use); build errors are shown, not returned.
pub fn run(options: &Options) -> Result<(), String> {
    let site_dir = options.site_dir.canonicalize().map_err(|e| {
        format!(
            "cannot open the site folder {}: {e}",
            options.site_dir.display()
        )
    })?;
    let config = SiteConfig::load(&site_dir).ok();
    let base_path = config
        .as_ref()
        .map(|c| c.base_path())
        .unwrap_or_else(|| "/".into());
    let language = config.map(|c| c.language).unwrap_or_else(|| "nl".into());

    // A port in use is known before the first build, which can take a while.
    let listener = bind(options.port)?;
    let mut builder = Builder::new(&site_dir, options.drafts);
    let first = builder.full();
    let errors = match &first.result {
        Ok(_) => {
            println!(
                "Built {} pages{} in {} ms",
                first.rendered,
                if options.drafts {
                    ", drafts included,"
                } else {
                    ""
                },
                first.elapsed.as_millis()
            );
            Vec::new()
        }
        Err(e) => {
            eprintln!("{e}");
            eprintln!("The site does not build yet; the problems are shown in the browser too.");
            e.0.clone()
        }
    };
    let shared = Shared {
        snapshot: Arc::new(RwLock::new(Snapshot {
            files: builder.files(),
            errors: Arc::new(errors),
            base_path: base_path.clone(),
            search: Arc::new(OnceLock::new()),
            language,
        })),
        clients: Arc::new(Mutex::new(Vec::new())),
        instance: format!(
            "{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or(0)
        ),
        script: Arc::new(http::script(&base_path)),
    };

    let port = listener.local_addr().map(|a| a.port()).unwrap_or(0);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .max_blocking_threads(ANSWER_THREADS)
        .build()
        .map_err(|e| format!("cannot start the web server: {e}"))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| format!("cannot start the web server: {e}"))?;
    {
        let shared = shared.clone();
        std::thread::spawn(move || runtime.block_on(serve_http(listener, shared)));
    }

    let (tx, rx) = mpsc::channel();
    let watcher = watch::start(&site_dir, tx)
        .map_err(|e| format!("cannot watch the site folder for changes: {e}"))?;

    let url = format!("http://127.0.0.1:{port}/");
    println!(
        "Serving {} at {url}  (press Ctrl+C to stop)",
        site_dir.display()
    );
    println!(
        "Watching {} and {} for changes",
        watch::WATCHED_DIRS
            .iter()
            .filter(|d| site_dir.join(d).is_dir())
            .map(|d| format!("{d}/"))
            .collect::<Vec<_>>()
            .join(", "),
        watch::CONFIG_FILE
    );
    if options.open {
        if let Err(e) = open::that_detached(&url) {
            println!("Could not open a browser ({e}); open {url} yourself.");
        }
    }

    rebuild_loop(&site_dir, builder, watcher, &rx, &shared);
    Ok(())
}

/// Accepts connections until the process ends; each is a task on this one thread.
async fn serve_http(listener: TcpListener, shared: Shared) {
    let listener = match tokio::net::TcpListener::from_std(listener) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot start the web server: {e}");
            std::process::exit(1);
        }
    };
    {
        let shared = shared.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(KEEPALIVE);
            loop {
                tick.tick().await;
                shared.send_all(": keepalive\n\n".to_string());
            }
        });
    }
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            // Out of file descriptors, say: wait a moment rather than spin.
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let shared = shared.clone();
        tokio::spawn(async move {
            let service =
                hyper::service::service_fn(move |request| http::handle(request, shared.clone()));
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

/// The default port, else the next free one (said clearly); an explicit `--port` must be free.
fn bind(port: Option<u16>) -> Result<TcpListener, String> {
    let at = |p: u16| TcpListener::bind(SocketAddrV4::new(Ipv4Addr::LOCALHOST, p));
    match port {
        Some(p) => at(p).map_err(|e| match e.kind() {
            ErrorKind::AddrInUse => format!(
                "port {p} is already in use (another `bundel serve`?); stop that server or choose another port with --port (--port 0 picks a free one)"
            ),
            _ => format!("cannot listen on 127.0.0.1:{p}: {e}"),
        }),
        None => {
            for p in DEFAULT_PORT..DEFAULT_PORT + 50 {
                match at(p) {
                    Ok(l) => {
                        if p != DEFAULT_PORT {
                            println!("Port {DEFAULT_PORT} is in use (another `bundel serve`?), so this preview uses port {p}.");
                        }
                        return Ok(l);
                    }
                    Err(e) if e.kind() == ErrorKind::AddrInUse => continue,
                    Err(e) => return Err(format!("cannot listen on 127.0.0.1:{p}: {e}")),
                }
            }
            at(0).map_err(|e| format!("cannot find a free port: {e}"))
        }
    }
}

fn rebuild_loop(
    site_dir: &Path,
    mut builder: Builder,
    mut watcher: notify::RecommendedWatcher,
    rx: &Receiver<PathBuf>,
    shared: &Shared,
) {
    let mut verify_due = false;
    loop {
        let first = if verify_due {
            match rx.recv_timeout(VERIFY_AFTER) {
                Ok(p) => p,
                Err(RecvTimeoutError::Timeout) => {
                    verify_due = false;
                    let outcome = builder.full();
                    report(&outcome, &[], true);
                    publish(&builder, &outcome, shared);
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => return,
            }
        } else {
            match rx.recv() {
                Ok(p) => p,
                Err(_) => return,
            }
        };
        let changed = collect_burst(first, rx);
        for rel in &changed {
            watch::follow_new_dir(&mut watcher, site_dir, rel);
        }
        let outcome = builder.rebuild(&changed);
        verify_due = outcome.fast;
        report(&outcome, &rebuild::shown_changes(site_dir, &changed), false);
        publish(&builder, &outcome, shared);
        if outcome.verify_now {
            verify_due = false;
            let outcome = builder.full();
            report(&outcome, &[], true);
            publish(&builder, &outcome, shared);
        }
    }
}

/// Waits for a pause in the events, returning every path seen.
fn collect_burst(first: PathBuf, rx: &Receiver<PathBuf>) -> BTreeSet<PathBuf> {
    let start = Instant::now();
    let mut changed = BTreeSet::from([first]);
    while let Some(left) = MAX_WAIT.checked_sub(start.elapsed()) {
        match rx.recv_timeout(QUIET.min(left)) {
            Ok(p) => {
                changed.insert(p);
            }
            Err(_) => break,
        }
    }
    changed
}

fn publish(builder: &Builder, outcome: &Outcome, shared: &Shared) {
    match &outcome.result {
        Ok(reload) => {
            shared.publish(builder.files(), Vec::new());
            shared.reload(reload);
        }
        Err(errors) => {
            shared.publish(builder.files(), errors.0.clone());
            shared.reload(&Reload::All);
        }
    }
}

fn report(outcome: &Outcome, changed: &[PathBuf], verify: bool) {
    let time = chrono::Local::now().format("%H:%M:%S");
    let ms = outcome.elapsed.as_millis();
    let what = match changed.len() {
        0 => String::new(),
        1 => format!("{} changed: ", changed[0].display()),
        n => format!("{n} files changed: "),
    };
    match &outcome.result {
        Ok(reload) => {
            let reloads = match reload {
                Reload::Nothing => "no page changed".to_string(),
                Reload::All => "reloading every open page".to_string(),
                Reload::Pages(p) if p.len() == 1 => format!("reloading {}", p[0]),
                Reload::Pages(p) => format!("reloading {} pages", p.len()),
            };
            if verify {
                // Quiet unless the double-check found something the fast update missed.
                if *reload != Reload::Nothing {
                    println!("{time} updated the rest of the site in {ms} ms, {reloads}");
                }
            } else if outcome.fast {
                let n = outcome.rendered;
                let pages = if n == 1 { "page" } else { "pages" };
                println!("{time} {what}updated {n} {pages} in {ms} ms, {reloads}");
            } else {
                println!(
                    "{time} {what}rebuilt {} pages in {ms} ms, {reloads}",
                    outcome.rendered
                );
            }
        }
        Err(errors) => {
            eprintln!("{time} {what}the site does not build (shown in the browser):");
            eprintln!("{}", Diagnostics::from(errors.0.clone()));
        }
    }
}
