//! Print-ready, tagged PDFs from the built print view, rendered by headless Chromium.
//!
//! Each [`PdfJob`] names an HTML file inside the built site; relative stylesheets and fonts
//! resolve through `file://`, so the PDF is typeset by the theme's `print.css` exactly as the
//! browser would print the page. One browser renders all jobs, one tab per core, driven over
//! the DevTools protocol ([`cdp`]). Per document:
//!
//! 1. load the page and wait for its fonts;
//! 2. print; if the page has a `.print-toc`, read from the PDF on which page each entry's
//!    target landed, write those numbers into the table of contents and print again (Chromium
//!    has no `target-counter()`), until the numbers stop changing;
//! 3. post-process ([`post`]): bookmark titles from the DOM (Chromium drops the space at a line
//!    wrap), fixed metadata, no creation dates unless `SOURCE_DATE_EPOCH` is set.
//!
//! Why Chromium and not WeasyPrint: see `src/pdf/README.md`.

mod cache;
mod cdp;
mod fit;
mod post;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::Deserialize;

/// One document to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdfJob {
    /// An HTML file inside the built output folder.
    pub html: PathBuf,
    /// Where the PDF goes; missing folders are created.
    pub pdf: PathBuf,
    /// Document title (PDF `/Title`, shown by readers instead of the file name).
    pub title: String,
    /// Where the site will be online. The print view links to other pages of the site by
    /// relative addresses, which in a PDF would point into the build folder of this
    /// machine: they become web addresses, or plain text where the site has no address.
    pub online: Option<Online>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Online {
    /// The output folder the HTML file is in.
    pub root: PathBuf,
    /// The site's absolute `base_url`, ending in `/`.
    pub base_url: String,
}

/// Which program renders, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Engine {
    pub kind: EngineKind,
    pub path: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineKind {
    /// Chromium, Google Chrome or Microsoft Edge (anything that speaks the DevTools protocol
    /// and has `Page.printToPDF` with tagged output: version 131 or newer for `@page` margin
    /// boxes).
    Chromium,
}

/// Executable names tried on `PATH`, in order.
const CANDIDATES: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "microsoft-edge",
    "msedge",
];

/// Where the browsers install themselves outside `PATH` (macOS apps, Windows).
const KNOWN_LOCATIONS: &[&str] = &[
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
];

/// The environment variable that overrides `PATH` search.
pub const ENGINE_ENV: &str = "BUNDEL_PDF_ENGINE";

/// Finds the engine: `setting` (the site's `pdf_engine`, a path or a program name) first, then
/// the environment variable `BUNDEL_PDF_ENGINE`, then the usual browser names on `PATH`.
pub fn find_engine(setting: Option<&str>) -> Result<Engine, String> {
    if let Some(s) = setting.map(str::trim).filter(|s| !s.is_empty()) {
        return resolve(s).map_err(|e| format!("pdf_engine `{s}` in site.yaml: {e}"));
    }
    if let Some(s) = std::env::var_os(ENGINE_ENV).filter(|s| !s.is_empty()) {
        let s = s.to_string_lossy();
        return resolve(&s).map_err(|e| format!("{ENGINE_ENV}={s}: {e}"));
    }
    let found = CANDIDATES.iter().find_map(|name| which(name)).or_else(|| {
        KNOWN_LOCATIONS
            .iter()
            .map(PathBuf::from)
            .find(|p| p.is_file())
    });
    match found {
        Some(path) => Ok(Engine {
            kind: EngineKind::Chromium,
            path,
        }),
        None => Err(not_found_message()),
    }
}

fn not_found_message() -> String {
    format!(
        "no PDF engine found: bundel makes PDFs with Chromium (or Google Chrome / Microsoft Edge), \
and none of {} is on PATH.\n\
Install it:\n\
  Debian, Ubuntu:  sudo apt-get install chromium   (Ubuntu's chromium-browser package installs the snap)\n\
  Fedora:          sudo dnf install chromium\n\
  macOS:           brew install --cask chromium   (or install Google Chrome)\n\
  Windows:         Microsoft Edge is already there; or install Google Chrome\n\
Then bundel finds it on PATH, or point bundel at it:\n\
  in site.yaml:    pdf_engine: /path/to/chromium\n\
  or for one run:  {ENGINE_ENV}=/path/to/chromium bundel build",
        CANDIDATES.join(", ")
    )
}

/// A path (anything with a separator) must exist; a bare name is looked up on `PATH`.
fn resolve(s: &str) -> Result<Engine, String> {
    let has_separator = s.contains('/') || s.contains('\\');
    let path = if has_separator {
        let p = PathBuf::from(s);
        if !p.is_file() {
            return Err("no such file".to_string());
        }
        p
    } else {
        which(s).ok_or_else(|| format!("`{s}` is not on PATH\n{}", not_found_message()))?
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    if name.contains("weasyprint") || name.contains("wkhtmltopdf") || name.contains("prince") {
        return Err(format!(
            "{name} is not supported: bundel's print stylesheet and its tagged-PDF checks are made \
for Chromium (see src/pdf/README.md); install chromium and point pdf_engine at it"
        ));
    }
    Ok(Engine {
        kind: EngineKind::Chromium,
        path,
    })
}

fn which(name: &str) -> Option<PathBuf> {
    let paths = std::env::var_os("PATH")?;
    let exts: &[&str] = if cfg!(windows) { &["", ".exe"] } else { &[""] };
    std::env::split_paths(&paths)
        .flat_map(|dir| exts.iter().map(move |e| dir.join(format!("{name}{e}"))))
        .find(|p| is_executable(p))
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    p.metadata()
        .map(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        .unwrap_or(false)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    p.is_file()
}

/// Seconds each step (start the browser, load a document, print it) may take by default; a
/// document's printing gets twice that, all table-of-contents passes together. Generous,
/// because a deadline only ends a browser that has stopped, and a busy machine is slow.
const STEP_SECONDS: u64 = 60;

/// Overrides [`STEP_SECONDS`], for very slow machines (and for tests of the deadlines).
pub const TIMEOUT_ENV: &str = "BUNDEL_PDF_TIMEOUT";

/// How often a document is tried, restarting the browser between tries, before the build
/// stops: a browser that crashed or hung once usually prints the document the next time.
const ATTEMPTS: usize = 3;

/// Table-of-contents passes at most: the numbers settle after one extra pass unless writing
/// them in pushes the TOC onto another page.
const MAX_PASSES: usize = 4;

/// The steps of making one PDF, named in errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Start,
    Load,
    Fit,
    Print,
    Finish,
}

impl Step {
    fn doing(self) -> &'static str {
        match self {
            Step::Start => "starting the browser",
            Step::Load => "loading the print view",
            Step::Fit => "fitting the print view on the paper",
            Step::Print => "printing",
            Step::Finish => "finishing the PDF",
        }
    }
}

/// Why a document got no PDF, for the build's error list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub html: PathBuf,
    /// What went wrong, in which step, after how many tries, and what the browser said.
    pub message: String,
    /// What the user can do about it.
    pub hint: String,
}

/// A step's failure before it is known whether a retry will help.
struct StepError {
    step: Step,
    error: cdp::CdpError,
    /// What to do, when the step knows better than the general advice.
    hint: Option<String>,
}

fn at(step: Step) -> impl Fn(cdp::CdpError) -> StepError {
    move |error| StepError {
        step,
        error,
        hint: None,
    }
}

fn page_error(step: Step, message: String) -> StepError {
    StepError {
        step,
        error: cdp::CdpError::page(message),
        hint: None,
    }
}

fn step_timeout() -> Duration {
    let secs = std::env::var(TIMEOUT_ENV)
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|&s| s > 0)
        .unwrap_or(STEP_SECONDS);
    Duration::from_secs(secs)
}

/// One worker's browser and tab, started on first use and again after a failure.
struct Worker<'a> {
    exe: &'a Path,
    browser: Option<cdp::Browser>,
    tab: Option<cdp::Tab>,
    timeout: Duration,
}

impl Worker<'_> {
    fn tab(&mut self) -> Result<&mut cdp::Tab, StepError> {
        if self.tab.is_none() {
            let deadline = Instant::now() + self.timeout;
            if self.browser.is_none() {
                self.browser =
                    Some(cdp::Browser::launch(self.exe, deadline).map_err(at(Step::Start))?);
            }
            let browser = self.browser.as_ref().expect("launched above");
            self.tab = Some(browser.open_tab(deadline).map_err(at(Step::Start))?);
        }
        Ok(self.tab.as_mut().expect("opened above"))
    }

    /// What the browser wrote before it failed, and whether it has exited.
    fn said(&mut self) -> String {
        self.browser
            .as_mut()
            .map(cdp::Browser::last_words)
            .unwrap_or_default()
    }

    /// Ends the browser so the next try starts a fresh one.
    fn restart(&mut self) {
        self.tab = None;
        if let Some(b) = self.browser.take() {
            b.kill();
        }
    }

    /// Prints one document, restarting the browser and trying again while the failure is
    /// one a restart can cure. Returns the local files the browser read for it.
    fn print(&mut self, job: &PdfJob) -> Result<Vec<String>, Failure> {
        let mut tries = 0;
        loop {
            tries += 1;
            let timeout = self.timeout;
            let result = self.tab().and_then(|tab| render_one(tab, job, timeout));
            let e = match result {
                Ok(requested) => return Ok(requested),
                Err(e) => e,
            };
            if e.error.transient && tries < ATTEMPTS {
                self.restart();
                continue;
            }
            let said = if e.error.transient {
                self.said()
            } else {
                String::new()
            };
            if e.error.transient {
                self.restart();
            }
            let tried = if tries > 1 {
                format!(" (tried {tries} times, with a fresh browser each time)")
            } else {
                String::new()
            };
            let hint = if e.error.exited {
                format!(
                    "the browser cannot run on this machine (see what it said): reinstall it \
                     (on Debian or Ubuntu: `apt-get install chromium`) or point {ENGINE_ENV} \
                     at one that works; `pdf: false` in the front matter skips this document"
                )
            } else if e.error.transient {
                format!(
                    "the browser may have been starved by other work: build again when the \
                     machine is less busy, or give each step more time than {} s with \
                     {TIMEOUT_ENV}=300; `pdf: false` in the front matter skips this document",
                    timeout.as_secs()
                )
            } else if let Some(hint) = e.hint {
                hint
            } else {
                "fix what the message names; `pdf: false` in the front matter skips this \
                 document"
                    .to_string()
            };
            return Err(Failure {
                html: job.html.clone(),
                message: format!(
                    "{} failed{tried}: {}{said}",
                    e.step.doing(),
                    e.error.message
                ),
                hint,
            });
        }
    }
}

/// Renders all jobs, calling `progress(done, total)` after each. Each worker (one per core,
/// at most four) runs its own browser, so a browser that crashes or hangs costs only the
/// document it was printing, which is printed again with a fresh one. Errors name the HTML
/// file; a failed job does not stop the others.
pub fn render(
    engine: &Engine,
    jobs: &[PdfJob],
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<(), Vec<Failure>> {
    render_with(engine, jobs, None, progress).map(drop)
}

/// Where unchanged documents' PDFs are kept between builds, and the output folder the jobs
/// write into (see [`cache`]).
pub struct CacheDirs<'a> {
    pub cache: &'a Path,
    pub output: &'a Path,
}

/// How many PDFs were printed and how many reused from the cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Printed {
    pub printed: usize,
    pub reused: usize,
}

/// [`render`], reusing the PDF of every document whose files have not changed since a build
/// stored it in `dirs.cache`, and storing those it prints.
pub fn render_cached(
    engine: &Engine,
    jobs: &[PdfJob],
    dirs: CacheDirs,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Printed, Vec<Failure>> {
    let cache = cache::Cache::new(dirs.cache, dirs.output, engine);
    let printed = render_with(engine, jobs, Some(&cache), progress)?;
    cache.prune();
    Ok(printed)
}

fn render_with(
    engine: &Engine,
    jobs: &[PdfJob],
    cache: Option<&cache::Cache>,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Printed, Vec<Failure>> {
    let done = AtomicUsize::new(0);
    let reused = AtomicUsize::new(0);
    // Hashing is cheap next to printing; checking the cache first means a build with
    // nothing changed starts no browser at all.
    let fresh: Vec<&PdfJob> = match cache {
        None => jobs.iter().collect(),
        Some(c) => {
            use rayon::prelude::*;
            let hit: Vec<bool> = jobs.par_iter().map(|j| c.fetch(j)).collect();
            for _ in hit.iter().filter(|h| **h) {
                reused.fetch_add(1, Ordering::SeqCst);
                progress(done.fetch_add(1, Ordering::SeqCst) + 1, jobs.len());
            }
            jobs.iter()
                .zip(&hit)
                .filter(|(_, h)| !**h)
                .map(|(j, _)| j)
                .collect()
        }
    };
    let printed = Printed {
        printed: fresh.len(),
        reused: reused.into_inner(),
    };
    if fresh.is_empty() {
        return Ok(printed);
    }
    let jobs_total = jobs.len();
    let jobs = fresh;
    let workers = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(1, 4)
        .min(jobs.len());
    let timeout = step_timeout();
    let next = AtomicUsize::new(0);
    let errors = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..workers {
            let jobs = &jobs;
            s.spawn(|| {
                let mut worker = Worker {
                    exe: &engine.path,
                    browser: None,
                    tab: None,
                    timeout,
                };
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(job) = jobs.get(i) else { break };
                    match worker.print(job) {
                        Ok(requested) => {
                            if let Some(c) = cache {
                                c.store(job, &requested);
                            }
                        }
                        Err(f) => errors.lock().unwrap_or_else(|p| p.into_inner()).push(f),
                    }
                    progress(done.fetch_add(1, Ordering::SeqCst) + 1, jobs_total);
                }
            });
        }
    });
    let mut errors = errors.into_inner().unwrap_or_else(|p| p.into_inner());
    if errors.is_empty() {
        Ok(printed)
    } else {
        errors.sort_by(|a, b| a.html.cmp(&b.html));
        Err(errors)
    }
}

/// What the page says about itself, read once it has loaded.
#[derive(Debug, Deserialize)]
struct PageFacts {
    /// Rendered headings in document order: level, text, inside a `<nav>`.
    headings: Vec<(u8, String, bool)>,
    /// Fragment targets of the table of contents, in order.
    toc: Vec<String>,
    lang: String,
}

const FACTS_JS: &str = r##"(() => {
  const shown = e => e.getClientRects().length > 0;
  const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
    .filter(shown)
    .map(h => [Number(h.tagName[1]), h.textContent.replace(/\s+/g, ' ').trim(), h.closest('nav') !== null]);
  const toc = [...document.querySelectorAll('.print-toc a[href^="#"]')]
    .map(a => { try { return decodeURIComponent(a.getAttribute('href').slice(1)); } catch (e) { return a.getAttribute('href').slice(1); } });
  return JSON.stringify({ headings, toc, lang: document.documentElement.lang || '' });
})()"##;

/// Readies the loaded page for paper, in the tab only (the HTML file is not changed):
/// - Chromium tags every `<figure>` as a PDF `Figure`, which readers treat as one picture: a
///   `Figure` needs alternative text, and screen readers skip what is inside it, so a table
///   in a figure would be lost and a chart's figure would carry no text. As a group the
///   figure becomes a `Div` around a `Caption` and its content; a chart's SVG is still its
///   own `Figure` with its title and description as alternative text. Templates that set a
///   role themselves are left alone.
/// - A closed `<details>` prints as its summary only, so outside figures (where print.css
///   hides a chart's data table on purpose) they are opened.
/// - Lazy images below the fold would print as empty boxes: they are made eager and awaited.
/// - Links to other pages of the site become web addresses under `online.base`; without
///   one (or to files outside the site) they are unlinked, so that no PDF ever links into
///   the folder it was built in.
const PREPARE_JS: &str = r##"(async (online) => {
  for (const a of document.querySelectorAll('a[href]')) {
    const raw = a.getAttribute('href');
    if (raw.startsWith('#') || !a.href.startsWith('file:')) continue;
    const root = online && online.root.endsWith('/') ? online.root : online ? online.root + '/' : null;
    if (root && online.base && a.href.startsWith(root)) {
      a.href = online.base + a.href.slice(root.length).replace(/(^|\/)index\.html(?=$|#)/, '$1');
    } else {
      a.removeAttribute('href');
    }
  }
  for (const f of document.querySelectorAll('figure:not([role])')) f.setAttribute('role', 'group');
  for (const d of document.querySelectorAll('details')) if (!d.closest('figure')) d.open = true;
  const imgs = [...document.images];
  for (const i of imgs) if (i.loading === 'lazy') i.loading = 'eager';
  await Promise.all(imgs.map(i => i.complete ? null : new Promise(r => { i.onload = i.onerror = r; })));
  return true;
})"##;

/// Writes page numbers into the table of contents: `<span class="toc-page">7</span>` as the
/// link's last child, the contract `print.css` styles.
const TOC_JS: &str = r##"((pages) => {
  for (const a of document.querySelectorAll('.print-toc a[href^="#"]')) {
    let id = a.getAttribute('href').slice(1);
    try { id = decodeURIComponent(id); } catch (e) {}
    let span = a.querySelector(':scope > .toc-page');
    const n = pages[id];
    if (n === undefined) { if (span) span.remove(); continue; }
    if (!span) { span = document.createElement('span'); span.className = 'toc-page'; a.append(span); }
    span.textContent = String(n);
  }
  return true;
})"##;

fn render_one(
    tab: &mut cdp::Tab,
    job: &PdfJob,
    timeout: Duration,
) -> Result<Vec<String>, StepError> {
    let deadline = Instant::now() + timeout;
    let html = job
        .html
        .canonicalize()
        .map_err(|e| page_error(Step::Load, format!("cannot open: {e}")))?;
    let load = at(Step::Load);
    tab.load(&file_url(&html), deadline).map_err(&load)?;
    let online = match &job.online {
        Some(o) => serde_json::json!({
            "root": file_url(&o.root.canonicalize().unwrap_or_else(|_| o.root.clone())),
            "base": o.base_url,
        }),
        None => serde_json::Value::Null,
    };
    tab.eval(&format!("{PREPARE_JS}({online})"), deadline)
        .map_err(&load)?;
    let facts: PageFacts =
        serde_json::from_str(&tab.eval_string(FACTS_JS, deadline).map_err(&load)?)
            .map_err(|e| page_error(Step::Load, format!("reading the page's headings: {e}")))?;
    let measured = fit::measure(tab, deadline).map_err(at(Step::Fit))?;
    if !measured.problems.is_empty() {
        return Err(StepError {
            hint: Some(fit::hint(&measured.problems)),
            ..page_error(Step::Fit, fit::describe(&measured.problems))
        });
    }

    let deadline = Instant::now() + 2 * timeout;
    let print = at(Step::Print);
    let finish = |e: String| page_error(Step::Finish, e);
    let mut bytes = tab.print(deadline).map_err(&print)?;
    let mut doc = post::load(&bytes).map_err(finish)?;
    let mut numbers = toc_pages(&doc, &facts.toc);
    if !numbers.is_empty() {
        for pass in 1..=MAX_PASSES {
            let arg = serde_json::to_string(&numbers).map_err(|e| finish(e.to_string()))?;
            tab.eval(&format!("{TOC_JS}({arg})"), deadline)
                .map_err(&print)?;
            bytes = tab.print(deadline).map_err(&print)?;
            doc = post::load(&bytes).map_err(finish)?;
            let again = toc_pages(&doc, &facts.toc);
            if again == numbers {
                break;
            }
            if pass == MAX_PASSES {
                return Err(finish(format!(
                    "the table of contents' page numbers did not settle after {MAX_PASSES} passes"
                )));
            }
            numbers = again;
        }
    }
    let meta = post::Meta {
        title: &job.title,
        lang: &facts.lang,
        date: source_date_epoch(),
    };
    let outline: Vec<post::Heading> = facts
        .headings
        .iter()
        .map(|(level, text, in_nav)| post::Heading {
            // A table of contents' own heading is a top-level bookmark, not a child of the
            // cover title before it.
            level: if *in_nav { 1 } else { *level },
            text: text.clone(),
        })
        .collect();
    let missing = fit::missing_cells(&measured.tables, &post::text(&doc));
    if !missing.is_empty() {
        let lines: Vec<String> = missing
            .iter()
            .map(|(table, cells)| {
                let quoted: Vec<String> = cells.iter().take(6).map(|c| format!("“{c}”")).collect();
                let more = cells.len().saturating_sub(6);
                let more = if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                };
                format!("\n  {table}: {}{more}", quoted.join(", "))
            })
            .collect();
        return Err(StepError {
            hint: Some(
                "the print stylesheet hides or cuts off these cells: check the theme's \
                 print.css and the page template, or show fewer columns (`columns: [...]`)"
                    .into(),
            ),
            ..page_error(
                Step::Finish,
                format!("table cells are missing from the PDF:{}", lines.concat()),
            )
        });
    }
    let out = post::finish(doc, &meta, &outline).map_err(finish)?;
    let mut requested = tab.requested_files();
    // Resources the browser took from its memory cache may not show as requests.
    if let Ok(more) = tab.eval_string(RESOURCES_JS, deadline) {
        requested.extend(
            serde_json::from_str::<Vec<String>>(&more)
                .unwrap_or_default()
                .iter()
                .filter_map(|u| cdp::file_path(u)),
        );
    }
    write_atomically(&job.pdf, &out).map_err(finish)?;
    Ok(requested)
}

const RESOURCES_JS: &str = r##"JSON.stringify(performance.getEntriesByType('resource').map(e => e.name).filter(n => n.startsWith('file:')))"##;

/// Page numbers (1-based) of the TOC targets that the PDF has a destination for.
fn toc_pages(doc: &lopdf::Document, targets: &[String]) -> std::collections::BTreeMap<String, u32> {
    let dests = post::named_destination_pages(doc);
    targets
        .iter()
        .filter_map(|t| dests.get(t).map(|p| (t.clone(), *p)))
        .collect()
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    // A half-written PDF must never be served: write beside it, then rename.
    let tmp = path.with_extension("pdf.part");
    std::fs::write(&tmp, bytes).map_err(|e| format!("{}: {e}", tmp.display()))?;
    std::fs::rename(&tmp, path).map_err(|e| format!("{}: {e}", path.display()))
}

/// `file://` URL of an absolute path, percent-encoding everything but unreserved characters
/// and separators (spaces and `#` in folder names are common on Windows and macOS).
fn file_url(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    let s = s.strip_prefix("//?/").unwrap_or(&s);
    let mut url = String::from("file://");
    if !s.starts_with('/') {
        url.push('/');
    }
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' | b':' => {
                url.push(b as char)
            }
            _ => url.push_str(&format!("%{b:02X}")),
        }
    }
    url
}

/// Seconds since 1970 from `SOURCE_DATE_EPOCH` (reproducible-builds.org), if set and valid.
fn source_date_epoch() -> Option<i64> {
    std::env::var("SOURCE_DATE_EPOCH").ok()?.trim().parse().ok()
}

/// Number of pages of a PDF (for link texts like "PDF, 12 pagina's").
pub fn page_count(pdf: &Path) -> Result<usize, String> {
    let bytes = std::fs::read(pdf).map_err(|e| format!("{}: {e}", pdf.display()))?;
    let doc = post::load(&bytes).map_err(|e| format!("{}: {e}", pdf.display()))?;
    Ok(doc.get_pages().len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_urls_are_percent_encoded() {
        assert_eq!(
            file_url(Path::new("/srv/site/rapporten/a b#1/print.html")),
            "file:///srv/site/rapporten/a%20b%231/print.html"
        );
        assert_eq!(
            file_url(Path::new(r"C:\Users\anna\site\print.html")),
            "file:///C:/Users/anna/site/print.html"
        );
        assert_eq!(
            file_url(Path::new("/tmp/ë.html")),
            "file:///tmp/%C3%AB.html"
        );
    }

    #[test]
    fn unsupported_engines_are_refused_with_a_reason() {
        let dir = std::env::temp_dir().join(format!("bundel-pdf-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let fake = dir.join("weasyprint");
        std::fs::write(&fake, "").unwrap();
        let err = find_engine(Some(fake.to_str().unwrap())).unwrap_err();
        assert!(err.contains("not supported"), "{err}");
        let err = find_engine(Some("/no/such/chromium")).unwrap_err();
        assert!(err.contains("no such file"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_not_found_message_says_how_to_install_and_configure() {
        let m = not_found_message();
        assert!(m.contains("sudo apt-get install chromium"));
        assert!(m.contains("pdf_engine:"));
        assert!(m.contains(ENGINE_ENV));
    }
}
