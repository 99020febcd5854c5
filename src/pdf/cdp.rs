//! The smallest DevTools-protocol client that prints: launch a headless browser, open tabs,
//! load a file, evaluate a script, `Page.printToPDF`. Synchronous, one websocket per tab
//! (each worker thread owns its tab), so no message routing between threads is needed.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde_json::{json, Value};
use tungstenite::{Message, WebSocket};

/// Oldest major version whose `@page` margin boxes (running title, "pagina N van M") work.
const MIN_MAJOR_VERSION: u32 = 131;

/// How long the browser may take to start and open its DevTools endpoint.
const START_TIMEOUT: Duration = Duration::from_secs(30);

pub struct Browser {
    child: Child,
    profile: PathBuf,
    /// `ws://127.0.0.1:PORT/devtools/browser/UUID`
    endpoint: String,
}

impl Browser {
    pub fn launch(exe: &Path) -> Result<Browser, String> {
        let profile = std::env::temp_dir().join(format!(
            "bundel-chromium-{}-{}",
            std::process::id(),
            nanos_now()
        ));
        std::fs::create_dir_all(&profile)
            .map_err(|e| format!("cannot create a browser profile folder: {e}"))?;
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
                format!("cannot start {}: {e}", exe.display())
            })?;

        // The endpoint is announced on stderr; the rest of stderr is drained in the background
        // so a chatty browser never blocks on a full pipe.
        let stderr = child.stderr.take().expect("stderr is piped");
        let (tx, rx) = mpsc::channel::<String>();
        std::thread::spawn(move || {
            let mut tail: VecDeque<String> = VecDeque::new();
            let mut sent = false;
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if !sent {
                    if let Some(url) = line.split("DevTools listening on ").nth(1) {
                        let _ = tx.send(url.trim().to_string());
                        sent = true;
                        continue;
                    }
                    tail.push_back(line);
                    if tail.len() > 8 {
                        tail.pop_front();
                    }
                }
            }
            if !sent {
                let _ = tx.send(format!("!{}", Vec::from(tail).join("\n")));
            }
        });
        let mut browser = Browser {
            child,
            profile,
            endpoint: String::new(),
        };
        match rx.recv_timeout(START_TIMEOUT) {
            Ok(url) if !url.starts_with('!') => browser.endpoint = url,
            Ok(tail) => {
                return Err(format!(
                    "{} exited before it was ready:\n{}",
                    exe.display(),
                    &tail[1..]
                ))
            }
            Err(_) => {
                return Err(format!(
                    "{} did not start within {} s",
                    exe.display(),
                    START_TIMEOUT.as_secs()
                ))
            }
        }
        browser.check_version()?;
        Ok(browser)
    }

    fn check_version(&self) -> Result<(), String> {
        let mut conn = Conn::open(&self.endpoint)?;
        let deadline = Instant::now() + START_TIMEOUT;
        let v = conn.call(None, "Browser.getVersion", json!({}), deadline)?;
        let product = v["product"].as_str().unwrap_or_default();
        let major = product
            .split('/')
            .nth(1)
            .and_then(|v| v.split('.').next())
            .and_then(|m| m.parse::<u32>().ok());
        match major {
            Some(m) if m < MIN_MAJOR_VERSION => Err(format!(
                "{product} is too old for bundel's PDFs: version {MIN_MAJOR_VERSION} or newer is \
needed for page numbers and running titles (@page margin boxes)"
            )),
            _ => Ok(()),
        }
    }

    /// A fresh tab with its own connection, printing with print media from the start.
    pub fn open_tab(&self) -> Result<Tab, String> {
        let mut conn = Conn::open(&self.endpoint)?;
        let deadline = Instant::now() + START_TIMEOUT;
        let target = conn.call(
            None,
            "Target.createTarget",
            json!({ "url": "about:blank" }),
            deadline,
        )?;
        let target_id = target["targetId"]
            .as_str()
            .ok_or("no targetId from Target.createTarget")?
            .to_string();
        let attached = conn.call(
            None,
            "Target.attachToTarget",
            json!({ "targetId": target_id, "flatten": true }),
            deadline,
        )?;
        let session = attached["sessionId"]
            .as_str()
            .ok_or("no sessionId from Target.attachToTarget")?
            .to_string();
        let mut tab = Tab { conn, session };
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

impl Drop for Browser {
    fn drop(&mut self) {
        if !self.endpoint.is_empty() {
            if let Ok(mut conn) = Conn::open(&self.endpoint) {
                let deadline = Instant::now() + Duration::from_secs(5);
                let _ = conn.send(None, "Browser.close", json!({}));
                let _ = conn.recv(deadline);
            }
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
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
}

impl Tab {
    fn call(&mut self, method: &str, params: Value, deadline: Instant) -> Result<Value, String> {
        self.conn
            .call(Some(&self.session), method, params, deadline)
    }

    /// Navigates and waits for the load event and the fonts. A file or stylesheet, font or
    /// image that cannot be read fails the job: a PDF without its print stylesheet is not a
    /// PDF to publish.
    pub fn load(&mut self, url: &str, deadline: Instant) -> Result<(), String> {
        self.conn.events.clear();
        let nav = self.call("Page.navigate", json!({ "url": url }), deadline)?;
        if let Some(err) = nav["errorText"].as_str().filter(|e| !e.is_empty()) {
            return Err(format!("cannot load {url}: {err}"));
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
            Err(format!("could not load {}", failed.join(", ")))
        }
    }

    /// Evaluates a script, awaiting a promise; returns its value.
    pub fn eval(&mut self, expression: &str, deadline: Instant) -> Result<Value, String> {
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
            return Err(format!("script error in the page: {text}"));
        }
        Ok(r["result"]["value"].clone())
    }

    pub fn eval_string(&mut self, expression: &str, deadline: Instant) -> Result<String, String> {
        match self.eval(expression, deadline)? {
            Value::String(s) => Ok(s),
            other => Ok(other.to_string()),
        }
    }

    /// Prints with the page's own `@page` size and margins, backgrounds, tags and outline.
    pub fn print(&mut self, deadline: Instant) -> Result<Vec<u8>, String> {
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
        let data = r["data"].as_str().ok_or("no data from Page.printToPDF")?;
        base64::engine::general_purpose::STANDARD
            .decode(data)
            .map_err(|e| format!("Page.printToPDF returned bad base64: {e}"))
    }
}

fn percent_decode(s: &str) -> String {
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// One websocket to the browser endpoint; commands for a tab carry its session id.
struct Conn {
    ws: WebSocket<TcpStream>,
    next_id: u64,
    /// Events that arrived while waiting for a reply, kept for `wait_event` and `load`.
    events: Vec<Value>,
}

impl Conn {
    fn open(endpoint: &str) -> Result<Conn, String> {
        let hostport = endpoint
            .strip_prefix("ws://")
            .and_then(|r| r.split('/').next())
            .ok_or_else(|| format!("unexpected DevTools endpoint {endpoint}"))?;
        let stream = TcpStream::connect(hostport)
            .map_err(|e| format!("cannot connect to the browser at {hostport}: {e}"))?;
        stream
            .set_read_timeout(Some(Duration::from_millis(500)))
            .map_err(|e| e.to_string())?;
        let config = tungstenite::protocol::WebSocketConfig::default()
            .max_message_size(Some(512 << 20))
            .max_frame_size(Some(512 << 20));
        let (ws, _) = tungstenite::client::client_with_config(endpoint, stream, Some(config))
            .map_err(|e| format!("DevTools handshake failed: {e}"))?;
        Ok(Conn {
            ws,
            next_id: 0,
            events: Vec::new(),
        })
    }

    fn send(&mut self, session: Option<&str>, method: &str, params: Value) -> Result<u64, String> {
        self.next_id += 1;
        let mut msg = json!({ "id": self.next_id, "method": method, "params": params });
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        self.ws
            .send(Message::text(msg.to_string()))
            .map_err(|e| format!("lost the browser: {e}"))?;
        Ok(self.next_id)
    }

    /// Next message, or an error at the deadline. Short socket timeouts let the deadline be
    /// checked while the browser is busy laying out a long document.
    fn recv(&mut self, deadline: Instant) -> Result<Value, String> {
        loop {
            match self.ws.read() {
                Ok(Message::Text(t)) => {
                    return serde_json::from_str(t.as_str())
                        .map_err(|e| format!("bad DevTools message: {e}"))
                }
                Ok(_) => {}
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    if Instant::now() >= deadline {
                        return Err("timed out waiting for the browser".to_string());
                    }
                }
                Err(e) => return Err(format!("lost the browser: {e}")),
            }
        }
    }

    fn call(
        &mut self,
        session: Option<&str>,
        method: &str,
        params: Value,
        deadline: Instant,
    ) -> Result<Value, String> {
        let id = self.send(session, method, params)?;
        loop {
            let msg = self.recv(deadline)?;
            if msg["id"].as_u64() == Some(id) {
                if let Some(err) = msg.get("error") {
                    let text = err["message"].as_str().unwrap_or("error");
                    return Err(format!("{method}: {text}"));
                }
                return Ok(msg["result"].clone());
            }
            if msg.get("method").is_some() {
                self.events.push(msg);
            }
        }
    }

    fn wait_event(
        &mut self,
        session: &str,
        method: &str,
        deadline: Instant,
    ) -> Result<Value, String> {
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
