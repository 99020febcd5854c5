//! Drives the stages in order: config -> content and data -> Markdown and blocks -> templates
//! -> output. Each stage reports every problem it finds; the build stops between stages when
//! there are errors, so one run shows all of them.
//!
//! The steps, each in its own module: [`inputs`] reads and checks what the site is made of,
//! [`bodies`] turns every page's Markdown (with its figures) into HTML, [`pages`] renders
//! pages, listings, feeds and special pages through their templates (with [`views`], what
//! templates see of the site, and [`print`], the one-page views and PDFs), and [`statics`]
//! copies files as they are.
//!
//! No function of the build path may grow past 80 lines (`clippy.toml`): a step that does
//! is a step to split.
#![deny(clippy::too_many_lines)]

mod bodies;
pub mod context;
pub mod documents;
pub mod feeds;
mod inputs;
pub mod links;
pub mod listings;
mod pages;
mod print;
mod statics;
mod views;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::config::{SiteConfig, CONFIG_FILE};
use crate::content::{Content, PageId};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::images::Images;
use crate::output::{Sink, Staging, Target};
use crate::pdf;
use crate::search;
use crate::templates::{Templates, Theme};
use documents::Document;
use inputs::Inputs;
use links::LinkIndex;
use pages::RenderCx;

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub site_dir: PathBuf,
    /// Defaults to `site_dir/public`.
    pub output_dir: Option<PathBuf>,
    /// Render the PDFs of documents marked `pdf: true`.
    pub pdf: bool,
}

#[derive(Debug, Clone)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub elapsed: Duration,
    pub output_dir: PathBuf,
    /// Problems that did not stop the build (a previous output that could not be removed).
    pub warnings: Vec<String>,
}

pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let start = Instant::now();
    let site_dir = options.site_dir.as_path();
    let output_dir = options
        .output_dir
        .clone()
        .unwrap_or_else(|| site_dir.join("public"));
    // Nothing is touched before the output folder is known to be safe to replace.
    let target = crate::output::check_target(site_dir, &output_dir).map_err(Diagnostics::from)?;
    // With --pdf, find the engine before doing any work: a missing browser is reported at once.
    let engine = if options.pdf {
        let config = SiteConfig::load(site_dir).map_err(Diagnostics::from)?;
        let engine = pdf::find_engine(config.pdf_engine.as_deref()).map_err(|msg| {
            let line = crate::config::key_position(
                &std::fs::read_to_string(site_dir.join(crate::config::CONFIG_FILE))
                    .unwrap_or_default(),
                "pdf_engine",
            )
            .map(|p| p.0)
            .unwrap_or(0);
            Diagnostics::from(Diagnostic::new(crate::config::CONFIG_FILE, line, 0, msg))
        })?;
        Some(engine)
    } else {
        None
    };
    let staging = Staging::begin(&target).map_err(|e| {
        Diagnostic::file(&output_dir, format!("cannot create the output folder: {e}"))
            .with_hint("check that the folder is writable, or choose another with --output")
    })?;
    let (inputs, files) = render_site_from(
        site_dir,
        &Sink::new(Target::Disk(&staging)),
        None,
        None,
        engine.as_ref(),
    )?;
    let files = (inputs.content.pages.len(), files);
    let warning = staging
        .commit()
        .map_err(|(message, hint)| Diagnostic::file(&output_dir, message).with_hint(hint))?;
    let mut report = report(files, start, output_dir);
    report.warnings.extend(warning);
    Ok(report)
}

/// A site built into memory, with what it was built from, for the checks that read the
/// generated pages without loading the site a second time.
pub struct BuiltSite {
    pub report: BuildReport,
    /// Site path (`nieuws/a/index.html`) -> file contents.
    pub files: BTreeMap<String, Vec<u8>>,
    /// The pages as the build rendered them, generated pages included.
    pub content: Content,
    pub config: SiteConfig,
    pub theme: Theme,
}

/// Builds the site into memory; see [`BuiltSite`].
pub fn build_site_in_memory(site_dir: &Path) -> Result<BuiltSite, Diagnostics> {
    let start = Instant::now();
    let files = std::sync::Mutex::new(BTreeMap::new());
    let (inputs, count) = render_site_from(
        site_dir,
        &Sink::new(Target::Memory(&files)),
        None,
        None,
        None,
    )?;
    Ok(BuiltSite {
        report: report((inputs.content.pages.len(), count), start, PathBuf::new()),
        files: files.into_inner().expect("output map"),
        content: inputs.content,
        config: inputs.config,
        theme: inputs.theme,
    })
}

/// Builds the site into memory: site path (`nieuws/a/index.html`) -> file contents.
/// Used by `serve`.
pub fn build_in_memory(
    site_dir: &Path,
) -> Result<(BuildReport, BTreeMap<String, Vec<u8>>), Diagnostics> {
    build_site_in_memory(site_dir).map(|b| (b.report, b.files))
}

/// For `serve`: like [`build_in_memory`], from content already loaded (and possibly patched).
/// With `only`, renders just the documents containing those pages (a whole report when one
/// chapter changed, since chapters share footnote numbers and ids), without the 404 page and
/// static files. Re-rendering one edited page this way skips re-reading and re-rendering the
/// rest of the site.
pub fn render_in_memory(
    site_dir: &Path,
    content: Content,
    only: Option<&BTreeSet<PageId>>,
) -> Result<(BuildReport, BTreeMap<String, Vec<u8>>), Diagnostics> {
    let start = Instant::now();
    let files = std::sync::Mutex::new(BTreeMap::new());
    let (inputs, count) = render_site_from(
        site_dir,
        &Sink::new(Target::Memory(&files)),
        Some(content),
        only,
        None,
    )?;
    let files = files.into_inner().expect("output map");
    Ok((
        report((inputs.content.pages.len(), count), start, PathBuf::new()),
        files,
    ))
}

fn report(counts: (usize, usize), start: Instant, output_dir: PathBuf) -> BuildReport {
    BuildReport {
        pages: counts.0,
        files: counts.1,
        elapsed: start.elapsed(),
        output_dir,
        warnings: Vec::new(),
    }
}

/// Runs every stage and hands each output file to `sink`.
fn render_site_from(
    site_dir: &Path,
    sink: &Sink,
    content: Option<Content>,
    only: Option<&BTreeSet<PageId>>,
    pdf_engine: Option<&pdf::Engine>,
) -> Result<(Inputs, usize), Diagnostics> {
    render_steps(site_dir, sink, content, only, pdf_engine).map_err(|e| e.quote_sources(site_dir))
}

/// The steps of a build, in order. Returns what the site was built from, and the number of
/// files written.
fn render_steps(
    site_dir: &Path,
    sink: &Sink,
    content: Option<Content>,
    only: Option<&BTreeSet<PageId>>,
    pdf_engine: Option<&pdf::Engine>,
) -> Result<(Inputs, usize), Diagnostics> {
    let mut timer = Timer::new();
    let mut inputs = inputs::read(site_dir, content)?;
    inputs::generate_pages(site_dir, &mut inputs)?;
    timer.lap("read config, content, data, theme; generate pages");
    let mut templates =
        Templates::new(&inputs.theme, inputs.config.lang()).map_err(Diagnostics::from)?;
    let (docs, doc_errors) = documents::find(&inputs.content);
    Diagnostics::from(doc_errors).take_result()?;
    let layouts = inputs::layouts(&inputs.content, &docs);
    inputs::check_layouts(&inputs.content, &layouts, &templates)?;
    inputs::check_page_files(&inputs.content)?;
    timer.lap("compile templates");

    // A partial render covers whole documents: the pages asked for and every page they share
    // numbering with.
    let wanted: Option<Vec<Document>> = only.map(|o| {
        docs.iter()
            .filter(|d| d.pages().any(|p| o.contains(&p)))
            .cloned()
            .collect()
    });
    let partial: Option<BTreeSet<PageId>> = wanted
        .as_ref()
        .map(|w| w.iter().flat_map(|d| d.pages()).collect());
    let links = LinkIndex::new(&inputs.content);
    let images = Images::new(
        site_dir,
        &inputs.static_files,
        &inputs.content,
        &inputs.config.images,
    );
    let indexer = search_indexer(&inputs, sink, only.is_none());
    let rendered =
        bodies::render_markdown(&inputs, &links, wanted.as_deref().unwrap_or(&docs), &images)?;
    // Before the pages: PDFs are printed from the written pages, with their images.
    let mut files = images.write(sink, false).map_err(Diagnostics::from)?;
    timer.lap("markdown, figures and images");

    let cx = RenderCx {
        site_dir,
        inputs: &inputs,
        rendered: &rendered,
        docs: &docs,
        layouts: &layouts,
        sink,
        only: partial.as_ref(),
        pdf_engine,
        images: &images,
        indexer: indexer.as_ref(),
        base_url: inputs.config.base_url(),
        taxonomies: inputs.config.taxonomies(),
    };
    files += pages::render_pages(&cx, &mut templates)?;
    Diagnostics::from(images.errors()).take_result()?;
    print_warnings(site_dir, images.warnings());
    print_warnings(site_dir, inputs::warnings(site_dir, &inputs));
    // Cache files unused by a partial render may still be needed by the rest of the site.
    files += images
        .write(sink, only.is_none())
        .map_err(Diagnostics::from)?;
    let stats = images.stats();
    timer.lap(&format!(
        "templates and output (images: {} encoded, {} from cache)",
        stats.encoded, stats.cached
    ));
    if let Some(indexer) = indexer {
        files += write_search_index(indexer, sink)?;
        timer.lap("search index");
    }
    Ok((inputs, files))
}

/// The search index is made only for a whole site on disk (`bundel build`): `serve` and
/// `check` would pay for it on every render.
fn search_indexer(inputs: &Inputs, sink: &Sink, whole_site: bool) -> Option<search::Indexer> {
    let pages = inputs.content.pages.len();
    let search_on = inputs.config.search_enabled(pages);
    let on_disk = matches!(sink.target, Target::Disk(_));
    if !search_on && inputs.config.search.is_none() && on_disk {
        eprintln!(
            "note: no search index for {pages} pages (it would take about {} s); add `search: true` to site.yaml to build it anyway",
            pages * 3 / 1000
        );
    }
    (search_on && on_disk && whole_site).then(|| search::Indexer::new(&inputs.config.language))
}

fn write_search_index(indexer: search::Indexer, sink: &Sink) -> Result<usize, Diagnostics> {
    let index = indexer.finish().map_err(|e| {
        Diagnostics::from(vec![Diagnostic::file(CONFIG_FILE, e).with_hint(
            "turn search off with `search: false` in site.yaml to build without it",
        )])
    })?;
    for f in &index {
        sink.write(&f.path, &f.bytes)
            .map_err(|e| Diagnostics::from(vec![write_error(&f.path, e)]))?;
    }
    Ok(index.len())
}

/// Phase timings on stderr when `BUNDEL_TIMINGS` is set, for finding slow stages.
struct Timer {
    on: bool,
    last: Instant,
}

impl Timer {
    fn new() -> Timer {
        Timer {
            on: std::env::var_os("BUNDEL_TIMINGS").is_some(),
            last: Instant::now(),
        }
    }

    fn lap(&mut self, what: &str) {
        if self.on {
            eprintln!(
                "{:>7.1} ms  {what}",
                self.last.elapsed().as_secs_f64() * 1000.0
            );
        }
        self.last = Instant::now();
    }
}

/// Problems that do not stop the build, on the terminal, with the lines they are about.
pub(super) fn print_warnings(site_dir: &Path, warnings: impl IntoIterator<Item = Diagnostic>) {
    let mut warnings: Vec<Diagnostic> = warnings.into_iter().map(Diagnostic::warning).collect();
    crate::diagnostic::quote_sources(&mut warnings, site_dir);
    for w in warnings {
        eprintln!("{w}");
    }
}

pub(super) fn write_error(rel: &str, e: std::io::Error) -> Diagnostic {
    if e.kind() == std::io::ErrorKind::AlreadyExists {
        return Diagnostic::file(rel, format!("two files for one address: {e}")).with_hint(
            "rename or move the copied file (in `static/` or the page's folder), or give the \
             page another address with `slug:`",
        );
    }
    Diagnostic::file(rel, format!("cannot write: {e}"))
        .with_hint("check free disk space and permissions of the output folder")
}
