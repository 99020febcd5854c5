//! Answering the browser: files from the in-memory site, the reload script and error overlay
//! (only here, never in a built site), and the Server-Sent Events stream that triggers reloads.

use std::io::Write;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use tiny_http::{Header, Method, Request, Response, StatusCode};

use super::{Shared, Snapshot};
use crate::diagnostic::Diagnostic;
use crate::markdown::{escape_attr, escape_text};

pub const EVENTS_PATH: &str = "/__bundel/events";

/// Browsers give up on a quiet connection after a while; a comment line keeps it open and
/// tells the server when the tab has gone away.
const KEEPALIVE: Duration = Duration::from_secs(15);

pub fn handle(request: Request, shared: &Shared) {
    let host = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str().to_string());
    if !local_host(host.as_deref()) {
        // A web page elsewhere can make a browser send requests to a name that resolves to
        // 127.0.0.1 (DNS rebinding) and read the preview; only local names are answered.
        let _ = request.respond(
            Response::from_string(
                "bundel serve answers only http://127.0.0.1 and http://localhost",
            )
            .with_status_code(403),
        );
        return;
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        let _ = request.respond(Response::from_string("Method not allowed").with_status_code(405));
        return;
    }
    let url = request.url().to_string();
    let (path, query) = match url.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (url.as_str(), None),
    };
    if path == EVENTS_PATH {
        let shared = shared.clone();
        std::thread::spawn(move || events(request, &shared));
        return;
    }
    let snapshot = shared.snapshot();
    let response = answer(&snapshot, &percent_decode(path), query, &shared.script);
    // tiny_http leaves out the body of a HEAD response itself, keeping its Content-Length.
    let mut r = Response::from_data(response.body).with_status_code(StatusCode(response.status));
    for (name, value) in response.headers {
        if let Ok(h) = Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            r.add_header(h);
        }
    }
    let _ = request.respond(r);
}

/// Whether a `Host` header names this machine: `127.0.0.1`, `localhost` or `[::1]`, with any
/// port. HTTP/1.0 clients may send none.
pub fn local_host(host: Option<&str>) -> bool {
    let Some(host) = host else { return true };
    let host = host.trim().to_ascii_lowercase();
    let name = if let Some(rest) = host.strip_prefix('[') {
        rest.split(']')
            .next()
            .map(|h| format!("[{h}]"))
            .unwrap_or_default()
    } else {
        host.split(':').next().unwrap_or_default().to_string()
    };
    matches!(name.as_str(), "127.0.0.1" | "localhost" | "[::1]") || name.ends_with(".localhost")
}

/// A response before it is handed to the HTTP library; plain data, so it can be tested.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

/// What to send for `path` (decoded, starting with `/`).
pub fn answer(snapshot: &Snapshot, path: &str, query: Option<&str>, script: &str) -> Answer {
    let files = &snapshot.files;
    let mut candidates = vec![path.to_string()];
    // The 404 page links from the base path (`/rmc-achterhoek/css/...`): serve those too.
    if snapshot.base_path != "/" {
        if let Some(rest) = path.strip_prefix(snapshot.base_path.trim_end_matches('/')) {
            if rest.is_empty() || rest.starts_with('/') {
                candidates.push(if rest.is_empty() {
                    "/".into()
                } else {
                    rest.into()
                });
            }
        }
    }
    for candidate in &candidates {
        let key = candidate.trim_start_matches('/');
        let key = if key.is_empty() || key.ends_with('/') {
            format!("{key}index.html")
        } else {
            key.to_string()
        };
        if let Some(bytes) = files.get(&key) {
            return file_answer(200, &key, bytes, snapshot, script);
        }
        if key.starts_with(&format!("{}/", crate::search::BUNDLE_DIR)) {
            if let Some(bytes) = snapshot.search_files().get(&key) {
                return file_answer(200, &key, bytes, snapshot, script);
            }
        }
        if !key.ends_with('/') && files.contains_key(&format!("{key}/index.html")) {
            let location = match query {
                Some(q) => format!("{path}/?{q}"),
                None => format!("{path}/"),
            };
            return Answer {
                status: 301,
                headers: vec![
                    ("Location", encode_location(&location)),
                    ("Cache-Control", "no-store".into()),
                ],
                body: Vec::new(),
            };
        }
    }
    if files.is_empty() && !snapshot.errors.is_empty() {
        // The site has never built: all there is to show is why.
        let page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed</title></head><body></body></html>";
        return file_answer(500, "index.html", page.as_bytes(), snapshot, script);
    }
    match files.get("404.html") {
        Some(bytes) => file_answer(404, "404.html", bytes, snapshot, script),
        None => Answer {
            status: 404,
            headers: vec![("Content-Type", "text/plain; charset=utf-8".into())],
            body: format!("Not found: {path}\n").into_bytes(),
        },
    }
}

fn file_answer(status: u16, key: &str, bytes: &[u8], snapshot: &Snapshot, script: &str) -> Answer {
    let content_type = content_type(key);
    let body = if content_type.starts_with("text/html") {
        inject(bytes, &overlay(&snapshot.errors), script)
    } else {
        bytes.to_vec()
    };
    Answer {
        status,
        headers: vec![
            ("Content-Type", content_type.to_string()),
            // A preview must never show yesterday's page from the cache.
            ("Cache-Control", "no-store".into()),
        ],
        body,
    }
}

/// Puts `overlay` and `script` just before `</body>` (or at the end when there is none).
pub fn inject(html: &[u8], overlay: &str, script: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(html.len() + overlay.len() + script.len());
    let at = rfind_ignore_case(html, b"</body>").unwrap_or(html.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(overlay.as_bytes());
    out.extend_from_slice(script.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn rfind_ignore_case(hay: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=hay.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// The reload script. It reloads when its own page changed (or everything did), and when the
/// server was restarted (a new `hello` id), so an open tab never shows a stale preview.
pub fn script(base_path: &str) -> String {
    format!(
        r#"<script>(function(){{
var base={base},seen=null,es=new EventSource("{EVENTS_PATH}");
function here(){{var p=decodeURI(location.pathname).replace(/index\.html$/,"");
if(base!=="/"&&p.indexOf(base)===0)p="/"+p.slice(base.length);return p;}}
es.addEventListener("hello",function(e){{if(seen!==null&&seen!==e.data)location.reload();seen=e.data;}});
es.addEventListener("reload",function(e){{var d=JSON.parse(e.data);
if(d.all||d.paths.indexOf(here())>=0)location.reload();}});
}})();</script>
"#,
        base = serde_json::to_string(base_path).unwrap_or_else(|_| "\"/\"".into())
    )
}

/// The error overlay: every problem of the failed build, over the last good page.
pub fn overlay(errors: &[Diagnostic]) -> String {
    if errors.is_empty() {
        return String::new();
    }
    let n = errors.len();
    let mut items = String::new();
    for d in errors {
        items.push_str("<li style=\"margin:0 0 1em\"><code style=\"color:#ffb3b3\">");
        items.push_str(&escape_text(&d.location()));
        items.push_str("</code>: ");
        items.push_str(&escape_text(&d.message));
        if let Some(hint) = &d.hint {
            items.push_str("<br><span style=\"color:#c8e1ff\">help: ");
            items.push_str(&escape_text(hint).replace('\n', "<br>"));
            items.push_str("</span>");
        }
        items.push_str("</li>\n");
    }
    format!(
        r#"<div id="bundel-error-overlay" role="alertdialog" aria-modal="true" aria-labelledby="bundel-error-title" style="position:fixed;inset:0;z-index:2147483647;overflow:auto;box-sizing:border-box;padding:2rem;background:rgba(24,24,28,.96);color:#fff;font:15px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-align:left">
<h2 id="bundel-error-title" style="margin:0 0 .5em;font-size:1.4em;color:#ff6b6b">The site does not build: {n} {problems}</h2>
<p style="margin:0 0 1.5em">Behind this message is the last version that did build. Save a fix and this message goes away by itself.</p>
<ol style="padding-left:1.5em">
{items}</ol>
<button type="button" onclick="document.getElementById('bundel-error-overlay').remove()" style="font:inherit;padding:.3em 1em">{close}</button>
</div>
"#,
        problems = if n == 1 { "problem" } else { "problems" },
        close = escape_attr("Hide until the next build"),
    )
}

/// One browser tab listening for reloads. Runs on its own thread for as long as the tab is open.
fn events(request: Request, shared: &Shared) {
    let (tx, rx) = mpsc::channel::<String>();
    shared.clients.lock().expect("clients").push(tx);
    let mut w = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\nX-Accel-Buffering: no\r\n\r\n";
    let hello = format!("retry: 500\nevent: hello\ndata: {}\n\n", shared.instance);
    if w.write_all(head.as_bytes())
        .and_then(|_| w.write_all(hello.as_bytes()))
        .and_then(|_| w.flush())
        .is_err()
    {
        return;
    }
    loop {
        let chunk = match rx.recv_timeout(KEEPALIVE) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => ": keepalive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if w.write_all(chunk.as_bytes())
            .and_then(|_| w.flush())
            .is_err()
        {
            return; // the tab was closed; dropping `rx` unregisters it
        }
    }
}

pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "rss" => "application/rss+xml",
        "atom" => "application/atom+xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "zip" => "application/zip",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "odt" => "application/vnd.oasis.opendocument.text",
        "ods" => "application/vnd.oasis.opendocument.spreadsheet",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "vtt" => "text/vtt; charset=utf-8",
        _ => "application/octet-stream",
    }
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// A `Location` header must be ASCII.
fn encode_location(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_graphic() {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn snapshot(files: &[(&str, &str)], errors: Vec<Diagnostic>) -> Snapshot {
        Snapshot {
            files: Arc::new(
                files
                    .iter()
                    .map(|(k, v)| (k.to_string(), Arc::new(v.as_bytes().to_vec())))
                    .collect(),
            ),
            errors: Arc::new(errors),
            base_path: "/sub/".into(),
            search: Arc::new(std::sync::OnceLock::new()),
            language: "nl".into(),
        }
    }

    fn body(a: &Answer) -> String {
        String::from_utf8(a.body.clone()).unwrap()
    }

    fn header<'a>(a: &'a Answer, name: &str) -> &'a str {
        a.headers
            .iter()
            .find(|h| h.0 == name)
            .map(|h| h.1.as_str())
            .unwrap()
    }

    #[test]
    fn only_local_host_names_are_answered() {
        for ok in [
            None,
            Some("127.0.0.1:1111"),
            Some("localhost"),
            Some("LOCALHOST:80"),
            Some("[::1]:1111"),
            Some("site.localhost:1"),
        ] {
            assert!(local_host(ok), "{ok:?}");
        }
        for bad in [
            Some("evil.example"),
            Some("127.0.0.1.evil.example:1111"),
            Some("localhost.evil:1"),
            Some(""),
        ] {
            assert!(!local_host(bad), "{bad:?}");
        }
    }

    #[test]
    fn serves_index_redirects_folders_and_404s() {
        let s = snapshot(
            &[
                ("index.html", "<html><body>home</body></html>"),
                ("a/index.html", "<p>a</p>"),
                ("css/x.css", "body{}"),
                ("404.html", "<body>weg</body>"),
            ],
            vec![],
        );
        let a = answer(&s, "/", None, "<script>S</script>");
        assert_eq!(a.status, 200);
        assert_eq!(body(&a), "<html><body>home<script>S</script></body></html>");
        let a = answer(&s, "/a", Some("x=1"), "");
        assert_eq!((a.status, header(&a, "Location")), (301, "/a/?x=1"));
        let a = answer(&s, "/css/x.css", None, "<script>S</script>");
        assert_eq!(header(&a, "Content-Type"), "text/css; charset=utf-8");
        assert_eq!(body(&a), "body{}", "only HTML gets the script");
        let a = answer(&s, "/sub/css/x.css", None, "");
        assert_eq!(a.status, 200, "the base path is served too");
        let a = answer(&s, "/nope/", None, "");
        assert_eq!(a.status, 404);
        assert_eq!(body(&a), "<body>weg</body>");
    }

    #[test]
    fn overlay_lists_escaped_problems_over_the_last_good_page() {
        let d = Diagnostic::new("content/a.md", 3, 7, "bad <b>yaml</b>").with_hint("fix & save");
        let s = snapshot(&[("index.html", "<body>home</body>")], vec![d]);
        let a = answer(&s, "/", None, "");
        let html = body(&a);
        assert_eq!(a.status, 200);
        assert!(
            html.contains("content/a.md:3:7</code>: bad &lt;b&gt;yaml&lt;/b&gt;"),
            "{html}"
        );
        assert!(html.contains("help: fix &amp; save"));
        assert!(html.starts_with("<body>home<div id=\"bundel-error-overlay\""));
    }
}
