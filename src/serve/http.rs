//! Answering the browser: files from the in-memory site, the reload script and error overlay
//! (only here, never in a built site), and the Server-Sent Events stream that triggers reloads.

use crate::url::percent_decode;
use std::convert::Infallible;
use std::pin::Pin;
use std::task::{Context, Poll};

use http_body_util::{Either, Full};
use hyper::body::{Bytes, Frame, Incoming};
use hyper::header::{HeaderName, HeaderValue, HOST};
use hyper::{Method, Request, Response};
use tokio::sync::mpsc;

use super::{Shared, Snapshot};
use crate::diagnostic::Diagnostic;
use crate::markdown::{escape_attr, escape_text};

pub const EVENTS_PATH: &str = "/__bundel/events";

/// A whole file, or a tab's endless event stream.
pub type Body = Either<Full<Bytes>, EventStream>;

pub async fn handle(
    request: Request<Incoming>,
    shared: Shared,
) -> Result<Response<Body>, Infallible> {
    let host = request
        .headers()
        .get(HOST)
        .map(|h| String::from_utf8_lossy(h.as_bytes()).into_owned());
    if !local_host(host.as_deref()) {
        // A web page elsewhere can make a browser send requests to a name that resolves to
        // 127.0.0.1 (DNS rebinding) and read the preview; only local names are answered.
        return Ok(plain(
            403,
            "bundel serve answers only http://127.0.0.1 and http://localhost",
        ));
    }
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        return Ok(plain(405, "Method not allowed"));
    }
    let path = request.uri().path().to_string();
    let query = request.uri().query().map(str::to_string);
    if path == EVENTS_PATH {
        return Ok(events(&shared));
    }
    // Answering can take a while (the search index is made on its first request), so it runs
    // on the blocking pool, never on the threads that keep the connections.
    let answer = tokio::task::spawn_blocking(move || {
        let snapshot = shared.snapshot();
        answer(
            &snapshot,
            &percent_decode(&path),
            query.as_deref(),
            &shared.script,
        )
    })
    .await
    .unwrap_or_else(|_| Answer {
        status: 500,
        headers: vec![("Content-Type", "text/plain; charset=utf-8".into())],
        body: b"bundel serve failed to answer this request\n".to_vec(),
    });
    // hyper leaves out the body of a HEAD response itself, keeping its Content-Length.
    let mut response = Response::new(Either::Left(Full::new(Bytes::from(answer.body))));
    *response.status_mut() = hyper::StatusCode::from_u16(answer.status).unwrap_or_default();
    for (name, value) in answer.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            response.headers_mut().insert(name, value);
        }
    }
    Ok(response)
}

fn plain(status: u16, text: &'static str) -> Response<Body> {
    let mut r = Response::new(Either::Left(Full::new(Bytes::from_static(text.as_bytes()))));
    *r.status_mut() = hyper::StatusCode::from_u16(status).unwrap_or_default();
    r
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
        let quoted = d
            .source_line
            .as_deref()
            .and_then(|l| crate::diagnostic::snippet(l, d.line, d.col));
        if let Some(quoted) = quoted {
            items.push_str("<pre style=\"margin:.4em 0;color:#e6e6e6\">");
            items.push_str(&escape_text(&quoted));
            items.push_str("</pre>");
        }
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

/// One browser tab listening for reloads. The tab's stream is a channel that
/// [`Shared::broadcast`] writes to; no thread waits on it, so any number of tabs can be open.
fn events(shared: &Shared) -> Response<Body> {
    let (tx, rx) = mpsc::unbounded_channel::<String>();
    let _ = tx.send(format!(
        "retry: 500\nevent: hello\ndata: {}\n\n",
        shared.instance
    ));
    shared.clients.lock().expect("clients").push(tx);
    let mut r = Response::new(Either::Right(EventStream(rx)));
    let h = r.headers_mut();
    h.insert(
        "content-type",
        HeaderValue::from_static("text/event-stream"),
    );
    h.insert("cache-control", HeaderValue::from_static("no-store"));
    h.insert("x-accel-buffering", HeaderValue::from_static("no"));
    r
}

/// The body of an event stream: every message sent to the tab, as it comes. When the tab
/// goes away, hyper drops the body, and with it the receiver, so the next send fails and
/// the tab is forgotten.
pub struct EventStream(mpsc::UnboundedReceiver<String>);

impl hyper::body::Body for EventStream {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        self.0
            .poll_recv(cx)
            .map(|m| m.map(|text| Ok(Frame::data(Bytes::from(text)))))
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
        let mut d =
            Diagnostic::new("content/a.md", 3, 8, "bad <b>yaml</b>").with_hint("fix & save");
        d.source_line = Some("title: <b>x</b>".into());
        let s = snapshot(&[("index.html", "<body>home</body>")], vec![d]);
        let a = answer(&s, "/", None, "");
        let html = body(&a);
        assert_eq!(a.status, 200);
        assert!(
            html.contains("content/a.md:3:8</code>: bad &lt;b&gt;yaml&lt;/b&gt;"),
            "{html}"
        );
        assert!(html.contains("help: fix &amp; save"));
        assert!(
            html.contains("3 | title: &lt;b&gt;x&lt;/b&gt;\n  |        ^^^^^^^^</pre>"),
            "the offending line, escaped, with a caret under the value: {html}"
        );
        assert!(html.starts_with("<body>home<div id=\"bundel-error-overlay\""));
    }
}
