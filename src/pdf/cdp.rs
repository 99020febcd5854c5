//! The smallest DevTools-protocol client that prints: launch a headless browser, open tabs,
//! load a file, evaluate a script, `Page.printToPDF`. Synchronous, one websocket per tab
//! (each worker thread owns its browser and tab), so no message routing between threads is
//! needed.
//!
//! Every wait is bounded by a deadline for the whole step the caller is in, never by a socket
//! timeout alone: on a busy machine the browser's replies (the websocket upgrade included)
//! can take seconds, and a short read timeout is only there so the deadline can be checked.

use crate::url::percent_decode;
use std::collections::VecDeque;
use std::io::{BufRead, BufReader};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};
use tungstenite::{HandshakeError, Message, WebSocket};

/// Oldest major version whose `@page` margin boxes (running title, "pagina N van M") work.
const MIN_MAJOR_VERSION: u32 = 131;

/// How often a blocked read wakes up to check its deadline.
const POLL: Duration = Duration::from_millis(200);

/// What went wrong talking to the browser. `transient` failures (a timeout, a lost or
/// refused connection, a browser that exited) may go away when the browser is restarted;
/// the others (a file the page needs is missing, a script error) will not.
#[derive(Debug, Clone)]
pub struct CdpError {
    pub message: String,
    pub transient: bool,
    /// The browser stopped by itself before it was ready: not starvation but a broken
    /// install, which no amount of waiting cures.
    pub exited: bool,
}

impl CdpError {
    fn transient(message: impl Into<String>) -> CdpError {
        CdpError {
            message: message.into(),
            transient: true,
            exited: false,
        }
    }
    pub(super) fn page(message: impl Into<String>) -> CdpError {
        CdpError {
            message: message.into(),
            transient: false,
            exited: false,
        }
    }
}

type Result<T> = std::result::Result<T, CdpError>;

pub struct Browser {
    child: Child,
    profile: PathBuf,
    /// `ws://127.0.0.1:PORT/devtools/browser/UUID`
    endpoint: String,
    /// The last lines the browser wrote to stderr: what it said before it failed.
    said: Arc<Mutex<VecDeque<String>>>,
}

impl Browser {
    /// Starts the browser and waits, until `deadline`, for its DevTools endpoint.
    pub fn launch(exe: &Path, deadline: Instant) -> Result<Browser> {
        let profile = std::env::temp_dir().join(format!(
            "bundel-chromium-{}-{}",
            std::process::id(),
            nanos_now()
        ));
        std::fs::create_dir_all(&profile)
            .map_err(|e| CdpError::page(format!("cannot create a browser profile folder: {e}")))?;
        let mut child = Command::new(exe)
            .args([
                "--headless",
                // Needed as root and in containers without user namespaces; the browser only
                // ever opens the site's own files.
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--no-first-run",
                "--no-default-browser-check",
                "--mute-audio",
                "--hide-scrollbars",
                // The site's stylesheets are files; reading their @page rules to measure
                // the paper needs them treated as the page's own.
                "--allow-file-access-from-files",
                // Glyph advances must not depend on the machine's hinting settings, or line
                // breaks (and so page breaks) differ between a laptop and CI.
                "--font-render-hinting=none",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| {
                let _ = std::fs::remove_dir_all(&profile);
                CdpError::page(format!("cannot start {}: {e}", exe.display()))
            })?;

        // The endpoint is announced on stderr; the rest of stderr is drained in the background
        // so a chatty browser never blocks on a full pipe, keeping its last lines for errors.
        let stderr = child.stderr.take().expect("stderr is piped");
        let said = Arc::new(Mutex::new(VecDeque::new()));
        let (tx, rx) = mpsc::channel::<Option<String>>();
        let tail = Arc::clone(&said);
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if !sent {
                    if let Some(url) = line.split("DevTools listening on ").nth(1) {
                        let _ = tx.send(Some(url.trim().to_string()));
                        sent = true;
                        continue;
                    }
                }
                let mut tail = tail.lock().unwrap_or_else(|p| p.into_inner());
                tail.push_back(line);
                if tail.len() > 8 {
                    tail.pop_front();
                }
            }
            if !sent {
                let _ = tx.send(None);
            }
        });
        let mut browser = Browser {
            child,
            profile,
            endpoint: String::new(),
            said,
        };
        let wait = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(wait) {
            Ok(Some(url)) => browser.endpoint = url,
            Ok(None) | Err(mpsc::RecvTimeoutError::Disconnected) => {
                // Give the reader a moment to store the last lines before they are quoted.
                std::thread::sleep(Duration::from_millis(50));
                return Err(CdpError {
                    exited: true,
                    ..CdpError::transient(format!(
                        "{} exited before it was ready{}",
                        exe.display(),
                        browser.last_words()
                    ))
                });
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                return Err(CdpError::transient(format!(
                    "{} did not start within {} s{}",
                    exe.display(),
                    wait.as_secs_f64().round(),
                    browser.last_words()
                )))
            }
        }
        if let Err(e) = browser.check_version(deadline) {
            // A browser that does not answer would not answer a polite close either.
            browser.kill();
            return Err(e);
        }
        Ok(browser)
    }

    /// Whether the browser has exited and its last lines on stderr, for an error message;
    /// empty while it runs silently.
    pub fn last_words(&mut self) -> String {
        let status = match self.child.try_wait() {
            Ok(Some(status)) => format!(" ({status})"),
            _ => String::new(),
        };
        let tail = self.said.lock().unwrap_or_else(|p| p.into_inner());
        let said = Vec::from(tail.clone()).join("\n  ");
        match (status.is_empty(), said.is_empty()) {
            (true, true) => String::new(),
            (false, true) => format!("\nthe browser exited{status}"),
            (_, false) => format!("\nthe browser said{status}:\n  {said}"),
        }
    }

    fn check_version(&self, deadline: Instant) -> Result<()> {
        let mut conn = Conn::open(&self.endpoint, deadline)?;
        let v = conn.call(None, "Browser.getVersion", json!({}), deadline)?;
        let product = v["product"].as_str().unwrap_or_default();
        let major = product
            .split('/')
            .nth(1)
            .and_then(|v| v.split('.').next())
            .and_then(|m| m.parse::<u32>().ok());
        match major {
            Some(m) if m < MIN_MAJOR_VERSION => Err(CdpError::page(format!(
                "{product} is too old for bundel's PDFs: version {MIN_MAJOR_VERSION} or newer is \
needed for page numbers and running titles (@page margin boxes)"
            ))),
            _ => Ok(()),
        }
    }

    /// A fresh tab with its own connection, printing with print media from the start.
    pub fn open_tab(&self, deadline: Instant) -> Result<Tab> {
        let mut conn = Conn::open(&self.endpoint, deadline)?;
        let target = conn.call(
            None,
            "Target.createTarget",
            json!({ "url": "about:blank" }),
            deadline,
        )?;
        let target_id = target["targetId"]
            .as_str()
            .ok_or_else(|| CdpError::transient("no targetId from Target.createTarget"))?
            .to_string();
        let attached = conn.call(
            None,
            "Target.attachToTarget",
            json!({ "targetId": target_id, "flatten": true }),
            deadline,
        )?;
        let session = attached["sessionId"]
            .as_str()
            .ok_or_else(|| CdpError::transient("no sessionId from Target.attachToTarget"))?
            .to_string();
        let mut tab = Tab {
            conn,
            session,
            viewport: None,
            requested: Default::default(),
        };
        tab.call("Page.enable", json!({}), deadline)?;
        tab.call("Network.enable", json!({}), deadline)?;
        // Media queries, `getClientRects` and the heading list then see what the PDF shows.
        tab.call(
            "Emulation.setEmulatedMedia",
            json!({ "media": "print" }),
            deadline,
        )?;
        Ok(tab)
    }
}

impl Browser {
    /// Ends a browser that hangs or misbehaves without asking it to close first.
    pub fn kill(mut self) {
        self.endpoint.clear();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.endpoint.is_empty() {
            let deadline = Instant::now() + Duration::from_secs(5);
            if let Ok(mut conn) = Conn::open(&self.endpoint, deadline) {
                let _ = conn.send(None, "Browser.close", json!({}));
                let _ = conn.recv(deadline);
            }
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.child.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn nanos_now() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

pub struct Tab {
    conn: Conn,
    session: String,
    /// The viewport width set by `set_viewport_width`, kept from one document to the next.
    viewport: Option<u32>,
    /// Local files the current document asked for (decoded `file:` URLs), since `load`.
    requested: std::collections::BTreeSet<String>,
}

impl Tab {
    fn call(&mut self, method: &str, params: Value, deadline: Instant) -> Result<Value> {
        self.conn
            .call(Some(&self.session), method, params, deadline)
    }

    /// Navigates and waits for the load event and the fonts. A file or stylesheet, font or
    /// image that cannot be read fails the job: a PDF without its print stylesheet is not a
    /// PDF to publish.
    pub fn load(&mut self, url: &str, deadline: Instant) -> Result<()> {
        self.conn.events.clear();
        self.requested.clear();
        let nav = self.call("Page.navigate", json!({ "url": url }), deadline)?;
        if let Some(err) = nav["errorText"].as_str().filter(|e| !e.is_empty()) {
            return Err(CdpError::page(format!("cannot load {url}: {err}")));
        }
        self.conn
            .wait_event(&self.session, "Page.loadEventFired", deadline)?;
        self.eval(
            "document.fonts.ready.then(() => document.fonts.status)",
            deadline,
        )?;
        let mut failed = Vec::new();
        let mut urls = std::collections::HashMap::new();
        for ev in self.conn.events.drain(..) {
            match ev["method"].as_str() {
                Some("Network.requestWillBeSent") => {
                    let p = &ev["params"];
                    if let (Some(id), Some(u)) =
                        (p["requestId"].as_str(), p["request"]["url"].as_str())
                    {
                        if let Some(path) = file_path(u) {
                            self.requested.insert(path);
                        }
                        urls.insert(id.to_string(), u.to_string());
                    }
                }
                Some("Network.loadingFailed") => {
                    let p = &ev["params"];
                    let id = p["requestId"].as_str().unwrap_or_default();
                    let u = urls.get(id).cloned().unwrap_or_default();
                    if u.starts_with("file:") {
                        let why = p["errorText"].as_str().unwrap_or("failed");
                        failed.push(format!("{} ({why})", percent_decode(&u)));
                    }
                }
                _ => {}
            }
        }
        if failed.is_empty() {
            Ok(())
        } else {
            Err(CdpError::page(format!(
                "could not load {}",
                failed.join(", ")
            )))
        }
    }

    /// Lays the page out as if the window were `width` CSS px wide: the width of the paper,
    /// so that what is measured is what prints.
    pub fn set_viewport_width(&mut self, width: u32, deadline: Instant) -> Result<()> {
        // The next document is most likely as wide (all factsheets are): it then loads at
        // this width and is laid out once, not twice.
        if self.viewport == Some(width) {
            return Ok(());
        }
        self.viewport = Some(width);
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": 1123, "deviceScaleFactor": 1, "mobile": false }),
            deadline,
        )
        .map(drop)
    }

    /// Evaluates a script, awaiting a promise; returns its value.
    pub fn eval(&mut self, expression: &str, deadline: Instant) -> Result<Value> {
        let r = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "awaitPromise": true, "returnByValue": true }),
            deadline,
        )?;
        if let Some(ex) = r.get("exceptionDetails") {
            let text = ex["exception"]["description"]
                .as_str()
                .or(ex["text"].as_str())
                .unwrap_or("script error");
            return Err(CdpError::page(format!("script error in the page: {text}")));
        }
        Ok(r["result"]["value"].clone())
    }

    pub fn eval_string(&mut self, expression: &str, deadline: Instant) -> Result<String> {
        match self.eval(expression, deadline)? {
            Value::String(s) => Ok(s),
            other => Ok(other.to_string()),
        }
    }

    /// Every local file the document has asked for since `load`, also those fetched later
    /// (images made eager, fonts of the print stylesheet): what its PDF depends on.
    pub fn requested_files(&mut self) -> Vec<String> {
        for ev in self.conn.events.drain(..) {
            if ev["method"] == "Network.requestWillBeSent" {
                if let Some(path) = ev["params"]["request"]["url"].as_str().and_then(file_path) {
                    self.requested.insert(path);
                }
            }
        }
        self.requested.iter().cloned().collect()
    }

    /// Prints with the page's own `@page` size and margins, backgrounds, tags and outline.
    pub fn print(&mut self, deadline: Instant) -> Result<Vec<u8>> {
        let r = self.call(
            "Page.printToPDF",
            json!({
                "printBackground": true,
                "preferCSSPageSize": true,
                "displayHeaderFooter": false,
                "generateTaggedPDF": true,
                "generateDocumentOutline": true,
                "marginTop": 0, "marginBottom": 0, "marginLeft": 0, "marginRight": 0,
            }),
            deadline,
        )?;
        let data = r["data"]
            .as_str()
            .ok_or_else(|| CdpError::transient("no data from Page.printToPDF"))?;
        base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(|e| CdpError::transient(format!("Page.printToPDF returned bad base64: {e}")))
    }
}

/// The local path of a `file:` URL, without its query or fragment.
pub(super) fn file_path(url: &str) -> Option<String> {
    let rest = url.strip_prefix("file://")?;
    let rest = rest.split(['#', '?']).next().unwrap_or(rest);
    let path = percent_decode(rest);
    // file:///C:/x on Windows
    let windows = path.len() > 2 && path.as_bytes()[2] == b':' && path.starts_with('/');
    Some(if windows { path[1..].to_string() } else { path })
}

/// One websocket to the browser endpoint; commands for a tab carry its session id.
struct Conn {
    ws: WebSocket<TcpStream>,
    next_id: u64,
    /// Events that arrived while waiting for a reply, kept for `wait_event` and `load`.
    events: Vec<Value>,
}

impl Conn {
    /// Connects and completes the websocket upgrade by `deadline`. The upgrade is read with
    /// the short poll timeout too, so an interrupted handshake is resumed, not given up.
    fn open(endpoint: &str, deadline: Instant) -> Result<Conn> {
        let hostport = endpoint
            .strip_prefix("ws://")
            .and_then(|r| r.split('/').next())
            .ok_or_else(|| CdpError::page(format!("unexpected DevTools endpoint {endpoint}")))?;
        let addr = hostport
            .to_socket_addrs()
            .ok()
            .and_then(|mut a| a.next())
            .ok_or_else(|| CdpError::page(format!("unexpected DevTools endpoint {endpoint}")))?;
        let left = deadline
            .saturating_duration_since(Instant::now())
            .max(Duration::from_millis(1));
        let stream = TcpStream::connect_timeout(&addr, left).map_err(|e| {
            CdpError::transient(format!("cannot connect to the browser at {hostport}: {e}"))
        })?;
        let io = |e: std::io::Error| CdpError::transient(e.to_string());
        stream.set_read_timeout(Some(POLL)).map_err(io)?;
        stream.set_write_timeout(Some(left)).map_err(io)?;
        let _ = stream.set_nodelay(true);
        let config = tungstenite::protocol::WebSocketConfig::default()
            .max_message_size(Some(512 << 20))
            .max_frame_size(Some(512 << 20));
        let mut attempt = tungstenite::client::client_with_config(endpoint, stream, Some(config));
        let ws = loop {
            match attempt {
                Ok((ws, _)) => break ws,
                Err(HandshakeError::Interrupted(mid)) => {
                    if Instant::now() >= deadline {
                        return Err(CdpError::transient(
                            "the browser accepted the connection but did not complete the \
                             DevTools handshake in time",
                        ));
                    }
                    attempt = mid.handshake();
                }
                Err(HandshakeError::Failure(e)) => {
                    return Err(CdpError::transient(format!(
                        "the DevTools handshake with the browser failed: {e}"
                    )))
                }
            }
        };
        Ok(Conn {
            ws,
            next_id: 0,
            events: Vec::new(),
        })
    }

    fn send(&mut self, session: Option<&str>, method: &str, params: Value) -> Result<u64> {
        self.next_id += 1;
        let mut msg = json!({ "id": self.next_id, "method": method, "params": params });
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        self.ws
            .send(Message::text(msg.to_string()))
            .map_err(|e| CdpError::transient(format!("lost the connection to the browser: {e}")))?;
        Ok(self.next_id)
    }

    /// Next message, or an error at the deadline. Short socket timeouts let the deadline be
    /// checked while the browser is busy laying out a long document.
    fn recv(&mut self, deadline: Instant) -> Result<Value> {
        loop {
            match self.ws.read() {
                Ok(Message::Text(t)) => {
                    return serde_json::from_str(t.as_str())
                        .map_err(|e| CdpError::transient(format!("bad DevTools message: {e}")))
                }
                Ok(_) => {}
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    if Instant::now() >= deadline {
                        return Err(CdpError::transient("the browser did not answer in time"));
                    }
                }
                Err(e) => {
                    return Err(CdpError::transient(format!(
                        "lost the connection to the browser: {e}"
                    )))
                }
            }
        }
    }

    fn call(
        &mut self,
        session: Option<&str>,
        method: &str,
        params: Value,
        deadline: Instant,
    ) -> Result<Value> {
        let id = self.send(session, method, params)?;
        loop {
            let msg = self.recv(deadline)?;
            if msg["id"].as_u64() == Some(id) {
                if let Some(err) = msg.get("error") {
                    let text = err["message"].as_str().unwrap_or("error");
                    return Err(CdpError::page(format!("{method}: {text}")));
                }
                return Ok(msg["result"].clone());
            }
            if msg.get("method").is_some() {
                self.events.push(msg);
            }
        }
    }

    fn wait_event(&mut self, session: &str, method: &str, deadline: Instant) -> Result<Value> {
        let is_it = |m: &Value| m["method"] == method && m["sessionId"] == session;
        if let Some(i) = self.events.iter().position(is_it) {
            return Ok(self.events.remove(i));
        }
        loop {
            let msg = self.recv(deadline)?;
            if is_it(&msg) {
                return Ok(msg);
            }
            if msg.get("method").is_some() {
                self.events.push(msg);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn percent_decoding_of_file_urls() {
        assert_eq!(
            super::percent_decode("file:///a%20b/%C3%AB.css"),
            "file:///a b/ë.css"
        );
        assert_eq!(super::percent_decode("100%"), "100%");
    }
}
