//! Checking links to other websites (`bundel check --external`): does each address answer?
//!
//! HEAD first, since it downloads nothing; many servers answer HEAD wrongly (405, 403, 404,
//! or not at all), so anything but success is tried again with GET before it is reported.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// How an address answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Ok,
    /// An HTTP error status (after following redirects).
    Http(u16),
    /// No answer: DNS, connection, TLS or timeout; the message says which.
    Unreachable(String),
}

/// Checks every URL (at most `parallel` at a time), each within `timeout`. Results are in the
/// order of `urls`.
pub fn check(urls: &[String], timeout: Duration, parallel: usize) -> Vec<Status> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .max_redirects(10)
        .user_agent(concat!("bundel-link-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let results = Mutex::new(vec![Status::Ok; urls.len()]);
    let next = AtomicUsize::new(0);
    // Waiting on the network, not the CPU: more threads than cores is right here.
    std::thread::scope(|scope| {
        for _ in 0..parallel.clamp(1, 16).min(urls.len().max(1)) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(url) = urls.get(i) else { break };
                let status = check_one(&agent, url);
                results.lock().expect("results")[i] = status;
            });
        }
    });
    results.into_inner().expect("results")
}

fn check_one(agent: &ureq::Agent, url: &str) -> Status {
    match call(agent.head(url).call()) {
        Status::Ok => Status::Ok,
        _ => call(agent.get(url).call()),
    }
}

fn call(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Status {
    match result {
        Ok(r) if r.status().as_u16() < 400 => Status::Ok,
        Ok(r) => Status::Http(r.status().as_u16()),
        Err(ureq::Error::StatusCode(code)) => Status::Http(code),
        Err(e) => Status::Unreachable(e.to_string()),
    }
}

/// `404 Not Found`.
pub fn describe(code: u16) -> String {
    let reason = ureq::http::StatusCode::from_u16(code)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("");
    format!("{code} {reason}").trim_end().to_string()
}
