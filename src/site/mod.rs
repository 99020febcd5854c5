//! Drives the stages in order: config -> content and data -> Markdown and blocks -> templates
//! -> output. Each stage reports every problem it finds; the build stops between stages when
//! there are errors, so one run shows all of them.

pub mod context;
pub mod documents;
pub mod feeds;
pub mod links;
pub mod listings;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tera::{Context, Value};

use crate::config::{SiteConfig, CONFIG_FILE};
use crate::content::{self, Content, Page, PageId, PageKind};
use crate::data::DataStore;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::figures::{self, BlockEnv, FigureRef, Numbering};
use crate::images::Images;
use crate::markdown::{self, Doc, FencedBlock, Hooks};
use crate::output::{Sink, Staging, Target};
use crate::pdf;
use crate::search;
use crate::templates::theme::StaticSource;
use crate::templates::{Templates, Theme};
use context::{page_summary, section_view, PageView};
use documents::Document;
use links::{relativize, root_for, LinkIndex, ROOT};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub site_dir: PathBuf,
    /// Defaults to `site_dir/public`.
    pub output_dir: Option<PathBuf>,
    /// `false` for `bundel check`: validate everything, write nothing.
    pub write: bool,
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

/// Everything read from disk, before rendering.
struct Inputs {
    config: SiteConfig,
    theme: Theme,
    content: Content,
    data: DataStore,
    /// The site's own `static/` files: (path in the site, file), sorted.
    static_files: Vec<(String, PathBuf)>,
}

pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let start = Instant::now();
    let site_dir = options.site_dir.as_path();
    let output_dir = options
        .output_dir
        .clone()
        .unwrap_or_else(|| site_dir.join("public"));
    if !options.write {
        let files = render_site(site_dir, &Sink::new(Target::Discard))?;
        return Ok(report(files, start, output_dir));
    }
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
    let files = render_site_from(
        site_dir,
        &Sink::new(Target::Disk(&staging)),
        None,
        None,
        engine.as_ref(),
    )?;
    let warning = staging
        .commit()
        .map_err(|(message, hint)| Diagnostic::file(&output_dir, message).with_hint(hint))?;
    let mut report = report(files, start, output_dir);
    report.warnings.extend(warning);
    Ok(report)
}

/// Builds the site into memory: site path (`nieuws/a/index.html`) -> file contents.
/// Used by `serve` and by the checks that read the generated pages.
pub fn build_in_memory(
    site_dir: &Path,
) -> Result<(BuildReport, BTreeMap<String, Vec<u8>>), Diagnostics> {
    let start = Instant::now();
    let files = std::sync::Mutex::new(BTreeMap::new());
    let counts = render_site(site_dir, &Sink::new(Target::Memory(&files)))?;
    let files = files.into_inner().expect("output map");
    Ok((report(counts, start, PathBuf::new()), files))
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
    let counts = render_site_from(
        site_dir,
        &Sink::new(Target::Memory(&files)),
        Some(content),
        only,
        None,
    )?;
    let files = files.into_inner().expect("output map");
    Ok((report(counts, start, PathBuf::new()), files))
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

/// Runs every stage and hands each output file to `sink`. Returns (pages, files).
fn render_site(site_dir: &Path, sink: &Sink) -> Result<(usize, usize), Diagnostics> {
    render_site_from(site_dir, sink, None, None, None)
}

fn render_site_from(
    site_dir: &Path,
    sink: &Sink,
    content: Option<Content>,
    only: Option<&BTreeSet<PageId>>,
    pdf_engine: Option<&pdf::Engine>,
) -> Result<(usize, usize), Diagnostics> {
    let mut timer = Timer::new();
    let mut inputs = read_inputs(site_dir, content)?;
    let lang = inputs.config.lang();
    let mut generate_errors = Diagnostics::from(crate::generate::apply(
        &mut inputs.content,
        &inputs.data,
        site_dir,
        lang,
    ));
    if !generate_errors.is_empty() {
        // Said once, with the file, rather than with each page that uses it.
        generate_errors.extend(inputs.data.errors());
    }
    generate_errors.take_result()?;
    timer.lap("read config, content, data, theme; generate pages");
    let mut templates =
        Templates::new(&inputs.theme, inputs.config.lang()).map_err(Diagnostics::from)?;
    let (docs, doc_errors) = documents::find(&inputs.content);
    Diagnostics::from(doc_errors).take_result()?;
    let layouts = layouts(&inputs.content, &docs);
    check_layouts(&inputs.content, &layouts, &templates)?;
    check_page_files(&inputs.content)?;
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
    // Images are encoded whenever files are written; the search index only for a whole site
    // on disk (`bundel build`): `serve` and `check` would pay for it on every render.
    let writing = !matches!(sink.target, Target::Discard);
    let images = Images::new(
        site_dir,
        &inputs.static_files,
        &inputs.content,
        &inputs.config.images,
        writing,
    );
    let search_on = inputs.config.search_enabled(inputs.content.pages.len());
    if !search_on && inputs.config.search.is_none() && matches!(sink.target, Target::Disk(_)) {
        eprintln!(
            "note: no search index for {} pages (it would take about {} s); add `search: true` to site.yaml to build it anyway",
            inputs.content.pages.len(),
            inputs.content.pages.len() * 3 / 1000
        );
    }
    let indexer = (search_on && matches!(sink.target, Target::Disk(_)) && only.is_none())
        .then(|| search::Indexer::new(&inputs.config.language));
    let rendered = render_markdown(&inputs, &links, wanted.as_deref().unwrap_or(&docs), &images)?;
    // Before the pages: PDFs are printed from the written pages, with their images.
    let mut files = images.write(sink, false).map_err(Diagnostics::from)?;
    timer.lap("markdown, figures and images");
    files += render_pages(
        site_dir,
        &inputs,
        &mut templates,
        &rendered,
        &docs,
        &layouts,
        sink,
        partial.as_ref(),
        pdf_engine,
        &images,
        indexer.as_ref(),
    )?;
    Diagnostics::from(images.errors()).take_result()?;
    print_warnings(images.warnings());
    print_warnings(menu_warnings(site_dir, &inputs));
    print_warnings(inputs.data.kept_totals());
    if !inputs.config.base_url.contains("://") {
        print_warnings([Diagnostic::file(
            crate::config::CONFIG_FILE,
            "no `base_url`: pages get no canonical address, and links shared on social media no address or picture",
        )
        .with_hint("write where the site will be published: `base_url: https://www.example.org/rmc-achterhoek/`")]);
    }
    // A template of the site's own that a page asks for by `layout` is no misspelt override.
    let layouts_asked: BTreeSet<String> = inputs
        .content
        .pages
        .iter()
        .flat_map(|p| {
            [
                p.front.layout.clone(),
                p.front.extra_str("page_layout").map(String::from),
            ]
        })
        .flatten()
        .collect();
    print_warnings(
        inputs
            .theme
            .warnings
            .iter()
            .filter(|w| {
                let stem = w.file.file_stem().map(|s| s.to_string_lossy().into_owned());
                !stem.is_some_and(|s| layouts_asked.contains(&s))
            })
            .cloned(),
    );
    // Cache files unused by a partial render may still be needed by the rest of the site.
    let prune = only.is_none();
    files += images.write(sink, prune).map_err(Diagnostics::from)?;
    let stats = images.stats();
    timer.lap(&format!(
        "templates and output (images: {} encoded, {} from cache)",
        stats.encoded, stats.cached
    ));
    if let Some(indexer) = indexer {
        let index = indexer.finish().map_err(|e| {
            Diagnostics::from(vec![Diagnostic::file(CONFIG_FILE, e).with_hint(
                "turn search off with `search: false` in site.yaml to build without it",
            )])
        })?;
        for f in &index {
            sink.write(&f.path, &f.bytes)
                .map_err(|e| Diagnostics::from(vec![write_error(&f.path, e)]))?;
        }
        files += index.len();
        timer.lap("search index");
    }
    Ok((inputs.content.pages.len(), files))
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

fn read_inputs(site_dir: &Path, preloaded: Option<Content>) -> Result<Inputs, Diagnostics> {
    let config = SiteConfig::load(site_dir).map_err(Diagnostics::from)?;
    let (theme, (content, data)) = rayon::join(
        || Theme::load(site_dir, &config),
        || {
            rayon::join(
                || preloaded.map_or_else(|| content::load(site_dir), Ok),
                || DataStore::open(site_dir),
            )
        },
    );
    let mut errors = Diagnostics::new();
    let static_files = read_static(site_dir, &mut errors);
    let theme = theme.map_err(|e| errors.extend(e)).ok();
    let content = content.map_err(|e| errors.extend(e)).ok();
    let data = data.map_err(|e| errors.extend(e)).ok();
    errors.into_result()?;
    Ok(Inputs {
        config,
        theme: theme.expect("no errors"),
        content: content.expect("no errors"),
        data: data.expect("no errors"),
        static_files,
    })
}

/// A template error about a value the page's front matter gave it (`featured:` naming a
/// page that does not exist) is the front matter's error: it is reported at that line, in
/// the file the user wrote, and not inside a theme template the user may never have seen.
fn blame_front_matter(e: Diagnostic, site_dir: &Path, page: &Page) -> Diagnostic {
    let Some(value) = e.message.split('`').nth(1).filter(|v| v.len() > 1) else {
        return e;
    };
    let Ok(text) = std::fs::read_to_string(site_dir.join(&page.source)) else {
        return e;
    };
    let front = text.lines().skip(1).take_while(|l| l.trim_end() != "---");
    for (i, line) in front.enumerate() {
        let Some((key, rest)) = line.split_once(':') else {
            continue;
        };
        let given = rest.trim().trim_matches(|c| c == '"' || c == '\'');
        if given.trim_matches('/') != value.trim_matches('/') {
            continue;
        }
        let key = key.trim();
        let col = line.find(rest.trim()).map_or(1, |c| c + 1);
        let what = e
            .message
            .split_once(": ")
            .map_or(e.message.as_str(), |(_, m)| m);
        return Diagnostic::new(
            &page.source,
            i + 2,
            col,
            format!("`{key}: {given}`: {what}"),
        )
        .with_hint(format!(
            "name the page by its file in content/, as in `{key}: publicaties/jaarverslag/_index.md` \
             (the template `{}` looks it up)",
            e.file.display()
        ));
    }
    e
}

/// Problems that do not stop the build, on the terminal.
fn print_warnings(warnings: impl IntoIterator<Item = Diagnostic>) {
    for w in warnings {
        match &w.hint {
            Some(hint) => eprintln!("{}: warning: {}\n  help: {hint}", w.location(), w.message),
            None => eprintln!("{}: warning: {}", w.location(), w.message),
        }
    }
}

/// Menu entries in `site.yaml` whose address runs code (`javascript:`) or is a `data:` page.
fn menu_warnings(site_dir: &Path, inputs: &Inputs) -> Vec<Diagnostic> {
    let text =
        std::fs::read_to_string(site_dir.join(crate::config::CONFIG_FILE)).unwrap_or_default();
    inputs
        .config
        .menu
        .iter()
        .filter_map(|item| {
            let scheme = markdown::active_scheme(&item.url)?;
            let line = text
                .lines()
                .position(|l| l.contains(item.url.trim()))
                .map_or(0, |i| i + 1);
            Some(
                Diagnostic::new(
                    crate::config::CONFIG_FILE,
                    line,
                    0,
                    format!("the menu entry `{}` has a `{scheme}` address", item.title),
                )
                .with_hint("menu entries link to pages: a site path (`/nieuws/`) or a web address (`https://...`)"),
            )
        })
        .collect()
}

/// The files of the site's `static/` folder, copied as they are.
fn read_static(site_dir: &Path, errors: &mut Diagnostics) -> Vec<(String, PathBuf)> {
    let dir = site_dir.join("static");
    let mut files = Vec::new();
    if !dir.is_dir() {
        return files;
    }
    for entry in crate::walk::walk(&dir, site_dir, site_dir) {
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                if let Ok(rel) = entry.path().strip_prefix(&dir) {
                    files.push((slash(rel), entry.path().to_path_buf()));
                }
            }
            Ok(_) => {}
            Err(d) => errors.push(d),
        }
    }
    files
}

/// The template each page is rendered with, without `.html`: the page's own `layout`, else
/// what its kind and place imply (a report's chapters are `chapter` pages, ...).
fn layouts<'a>(content: &'a Content, docs: &[Document]) -> Vec<&'a str> {
    let mut out: Vec<&str> = content
        .pages
        .iter()
        .map(|page| match page.kind {
            PageKind::Home => "index",
            PageKind::Section(_) => "section",
            PageKind::Regular => page
                .section
                .and_then(|s| {
                    content.pages[content.sections[s].page]
                        .front
                        .extra_str("page_layout")
                })
                .unwrap_or("page"),
        })
        .collect();
    for doc in docs.iter().filter(|d| d.is_long()) {
        match doc.kind {
            documents::Kind::Report => {
                out[doc.index] = "report";
                let own = content.pages[doc.index].front.extra_str("page_layout");
                for &p in &doc.parts {
                    out[p] = own.unwrap_or("chapter");
                }
            }
            _ => out[doc.index] = "publication",
        }
    }
    for page in &content.pages {
        if let Some(l) = &page.front.layout {
            out[page.id] = l;
        }
    }
    out
}

fn check_layouts(
    content: &Content,
    layouts: &[&str],
    templates: &Templates,
) -> Result<(), Diagnostics> {
    let mut errors = Diagnostics::new();
    let available: Vec<&str> = templates
        .names()
        .filter(|n| {
            !n.contains('/') && *n != "base.html" && *n != "404.html" && !n.ends_with("_print.html")
        })
        .map(|n| n.trim_end_matches(".html"))
        .collect();
    for page in &content.pages {
        let layout = layouts[page.id];
        if templates.has(&format!("{layout}.html")) {
            continue;
        }
        // Point at the line that chose the layout: the page's own, or its section's.
        let section = &content.pages[content.sections[page.section.unwrap_or(0)].page];
        let from_generate = page.generated.is_some()
            && crate::config::key_position(&page.front.source, "layout").is_none();
        let (file, line) = if from_generate {
            // A generated page's layout comes from `generate: layout:` in its section.
            let nested = section
                .front
                .source
                .lines()
                .position(|l| l.starts_with(' ') && l.trim_start().starts_with("layout:"))
                .map_or(1, |i| i + 2);
            (&section.source, nested)
        } else if page.front.layout.is_some() {
            (&page.source, page.front.line_of("layout"))
        } else {
            (&section.source, section.front.line_of("page_layout"))
        };
        errors.push(
            Diagnostic::new(file, line, 1, format!("unknown layout `{layout}`"))
                .with_hint(format!("use one of: {}", available.join(", "))),
        );
    }
    errors.into_result()
}

/// Files named in front matter (`attachments`, `photo`) must exist beside the page.
fn check_page_files(content: &Content) -> Result<(), Diagnostics> {
    let mut errors = Diagnostics::new();
    for page in &content.pages {
        let has = |name: &str| {
            page.assets
                .iter()
                .any(|a| a.file_name().is_some_and(|f| f == name))
        };
        let mut named: Vec<(String, &str)> = context::attachment_names(page)
            .into_iter()
            .map(|(f, _)| (f, "attachments"))
            .collect();
        if let Some(photo) = page.front.extra_str("photo") {
            named.push((photo.to_string(), "photo"));
        }
        for key in ["cover", "image"] {
            if let Some(file) = page.front.extra_str(key) {
                named.push((file.to_string(), key));
            }
        }
        for (file, key) in named {
            if !has(&file) {
                errors.push(
                    Diagnostic::new(&page.source, page.front.line_of(key), 1, format!("`{key}` names `{file}`, which is not beside this page"))
                        .with_hint(format!(
                            "make the page a folder with index.md and put `{file}` in that folder, or correct the file name"
                        )),
                );
            }
        }
    }
    errors.into_result()
}

struct RenderedPage {
    html: String,
    toc: Vec<markdown::Heading>,
    /// Rendered hand-written commentary of a generated page.
    commentary: Option<String>,
}

/// What every page's Markdown rendering shares.
struct BodyShared<'a> {
    inputs: &'a Inputs,
    links: &'a LinkIndex,
    palette: &'a [String],
    options: markdown::Options,
}

/// What the pages of one document share while they are rendered in order.
struct DocState {
    ids: BTreeSet<String>,
    footnotes: usize,
    refs: Vec<FigureRef>,
    diagnostics: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

/// A Markdown text and where it comes from.
struct Body<'a> {
    file: &'a Path,
    text: &'a str,
    first_line: usize,
}

/// Renders one Markdown text of `page`, with its blocks, links and (for generated pages)
/// variables and data scope.
fn render_body(
    shared: &BodyShared,
    page: &Page,
    body: Body,
    chapter: Option<u32>,
    numbering: &mut Numbering,
    state: &mut DocState,
) -> markdown::Rendered {
    let from_dir = body
        .file
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let from_dir = if page.generated.is_some() {
        from_dir
    } else {
        page.source_dir()
    };
    let link = |dest: &str| shared.links.resolve(dest, &from_dir);
    let vars: Vec<(String, String)> = page
        .generated
        .as_ref()
        .map(|g| g.key.iter().chain(&g.text).cloned().collect())
        .unwrap_or_default();
    let scope = page.generated.as_ref().map(crate::generate::scope);
    let period = page.generated.as_ref().and_then(|g| g.period.clone());
    let refs = &mut state.refs;
    let block_warnings = &mut state.warnings;
    let mut block = |b: &FencedBlock| -> Result<Option<String>, Vec<Diagnostic>> {
        let mut env = BlockEnv {
            warnings: &mut *block_warnings,
            data: &shared.inputs.data,
            lang: shared.options.lang,
            file: body.file,
            page_path: &page.path,
            palette: shared.palette,
            numbering: &mut *numbering,
            refs: &mut *refs,
            scope: scope.as_ref(),
            period: period.as_deref(),
        };
        figures::render_block(b, &mut env)
    };
    let r = markdown::render(
        Doc {
            file: body.file,
            text: body.text,
            first_line: body.first_line,
            chapter,
            ids: &mut state.ids,
            footnote_start: state.footnotes,
            vars: &vars,
        },
        shared.options,
        Hooks {
            link: &link,
            block: &mut block,
        },
    );
    state.footnotes += r.footnotes;
    state.diagnostics.extend(r.diagnostics.iter().cloned());
    state.warnings.extend(r.warnings.iter().cloned());
    r
}

fn render_markdown(
    inputs: &Inputs,
    links: &LinkIndex,
    docs: &[Document],
    images: &Images,
) -> Result<Vec<RenderedPage>, Diagnostics> {
    let lang = inputs.config.lang();
    let options = markdown::Options {
        smart_punctuation: inputs.config.smart_punctuation,
        lang,
    };
    let palette: Vec<String> = match inputs.theme.settings.get("chart_palette") {
        Some(serde_yaml::Value::Sequence(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    let content = &inputs.content;
    let shared = BodyShared {
        inputs,
        links,
        palette: &palette,
        options,
    };
    type Out = (
        Vec<(PageId, RenderedPage)>,
        Vec<FigureRef>,
        Vec<Diagnostic>,
        Vec<Diagnostic>,
    );
    let results: Vec<Out> = docs
        .par_iter()
        .map(|doc| {
            let mut state = DocState {
                ids: BTreeSet::new(),
                footnotes: 1,
                refs: Vec::new(),
                diagnostics: Vec::new(),
                warnings: Vec::new(),
            };
            let mut out = Vec::new();
            // Reports number figures per chapter (2.1); elsewhere they run through the document.
            let mut shared_numbering = Numbering::default();
            for pid in doc.pages() {
                let page = &content.pages[pid];
                let chapter = doc.chapter_of(pid);
                let mut chapter_numbering = Numbering {
                    chapter,
                    ..Numbering::default()
                };
                let numbering = if doc.kind == documents::Kind::Report {
                    &mut chapter_numbering
                } else {
                    &mut shared_numbering
                };
                let body = Body {
                    file: &page.source,
                    text: &page.body,
                    first_line: page.body_line,
                };
                let r = render_body(&shared, page, body, chapter, numbering, &mut state);
                // A hand-written text for a generated page (factsheet commentary).
                let commentary = page
                    .generated
                    .as_ref()
                    .and_then(|g| g.commentary.as_ref())
                    .map(|c| {
                        let body = Body {
                            file: &c.source,
                            text: &c.body,
                            first_line: c.body_line,
                        };
                        render_body(&shared, page, body, None, numbering, &mut state).html
                    });
                out.push((
                    pid,
                    RenderedPage {
                        html: r.html,
                        toc: r.toc,
                        commentary,
                    },
                ));
            }
            (out, state.refs, state.diagnostics, state.warnings)
        })
        .collect();

    let mut errors = Diagnostics::new();
    let mut pages: Vec<Option<RenderedPage>> = (0..content.pages.len()).map(|_| None).collect();
    let mut registry: BTreeMap<String, FigureRef> = BTreeMap::new();
    // Generated pages share one template, so its ids repeat on every page by design: they
    // are the page's own, and its references find them first.
    let mut own: BTreeMap<PageId, BTreeMap<String, FigureRef>> = BTreeMap::new();
    let mut warnings = Vec::new();
    for (out, refs, diags, warned) in results {
        errors.extend(diags);
        warnings.extend(warned);
        let generated = out
            .first()
            .map(|(pid, _)| *pid)
            .filter(|&pid| content.pages[pid].generated.is_some());
        for (pid, r) in out {
            pages[pid] = Some(r);
        }
        let ids = match generated {
            Some(pid) => own.entry(pid).or_default(),
            None => &mut registry,
        };
        for r in refs.into_iter().filter(|r| r.explicit) {
            if let Some(first) = ids.get(&r.id) {
                errors.push(
                    Diagnostic::new(
                        &r.file,
                        r.line,
                        1,
                        format!(
                            "the id `{}` is already used at {}:{}",
                            r.id,
                            first.file.display(),
                            first.line
                        ),
                    )
                    .with_hint("every figure and table id must be unique; rename one of them"),
                );
            } else {
                ids.insert(r.id.clone(), r);
            }
        }
    }
    // The problems of the data files the pages use; files no page uses are not even read.
    errors.extend(inputs.data.errors());
    errors.extend(inputs.data.check_totals());
    errors.take_result()?;
    // A factsheet template's warning would otherwise be repeated for every generated page.
    warnings.sort();
    warnings.dedup();
    print_warnings(warnings);

    // Cross-references, now that every figure has its number.
    // Pages outside the documents asked for stay empty (partial renders for `serve`).
    let mut pages: Vec<RenderedPage> = pages
        .into_iter()
        .map(|p| {
            p.unwrap_or(RenderedPage {
                html: String::new(),
                toc: Vec::new(),
                commentary: None,
            })
        })
        .collect();
    let xref_errors: Vec<Vec<Diagnostic>> = pages
        .par_iter_mut()
        .zip(&content.pages)
        .map(|(r, page)| {
            let mut errs = Vec::new();
            let merged;
            let refs = match own.get(&page.id) {
                Some(local) if !local.is_empty() => {
                    merged = registry
                        .iter()
                        .chain(local)
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect::<BTreeMap<_, _>>();
                    &merged
                }
                _ => &registry,
            };
            r.html = figures::link_xrefs(
                &r.html,
                refs,
                &figures::XrefPage {
                    path: &page.path,
                    file: &page.source,
                    source_text: &page.body,
                    first_line: page.body_line,
                },
                lang,
                &mut errs,
            );
            let commentary = page.generated.as_ref().and_then(|g| g.commentary.as_ref());
            if let (Some(html), Some(c)) = (&mut r.commentary, commentary) {
                *html = figures::link_xrefs(
                    html,
                    refs,
                    &figures::XrefPage {
                        path: &page.path,
                        file: &c.source,
                        source_text: &c.body,
                        first_line: c.body_line,
                    },
                    lang,
                    &mut errs,
                );
            }
            // A portrait photo opens the page; otherwise the first image may be in view.
            let photo = page.front.extra_str("photo").is_some();
            r.html = images.rewrite(&r.html, !photo);
            if let Some(c) = &r.commentary {
                r.commentary = Some(images.rewrite(c, false));
            }
            errs
        })
        .collect();
    for e in xref_errors {
        errors.extend(e);
    }
    errors.into_result()?;
    Ok(pages)
}

/// Renders every page through its template and writes pages, one-page views of reports and
/// publications, static files and assets. Returns the number of files written.
#[allow(clippy::too_many_arguments)]
fn render_pages(
    site_dir: &Path,
    inputs: &Inputs,
    templates: &mut Templates,
    rendered: &[RenderedPage],
    docs: &[Document],
    layouts: &[&str],
    sink: &Sink,
    only: Option<&BTreeSet<PageId>>,
    pdf_engine: Option<&pdf::Engine>,
    images: &Images,
    indexer: Option<&search::Indexer>,
) -> Result<usize, Diagnostics> {
    let config = &inputs.config;
    let content = &inputs.content;
    let base_url = config.base_url();
    // PDFs link to the site's pages by web address, when the site has one.
    let online = |dir: &Path| {
        base_url.contains("://").then(|| pdf::Online {
            root: dir.to_path_buf(),
            base_url: base_url.clone(),
        })
    };
    let mut errors = Diagnostics::new();
    let wanted = |p: PageId| only.is_none_or(|o| o.contains(&p));

    // Static files first: the one-page views (and their PDFs) need the CSS and fonts.
    let mut files = match only {
        None => copy_static(site_dir, inputs, sink)?,
        Some(_) => 0,
    };
    let taxonomies = config.taxonomies();

    let mut summaries: Vec<Value> = content
        .pages
        .par_iter()
        .map(|p| {
            Value::from_serializable(&page_summary(
                p,
                content,
                &base_url,
                site_dir,
                &taxonomies,
                images,
            ))
        })
        .collect();
    let sections = section_values(content, &summaries);
    register_lookups(templates, content, &summaries, &sections, &inputs.data);

    let mut shared = Context::new();
    shared.insert("config", &config_view(config));
    shared.insert("lang", &config.language);
    shared.insert("t", &inputs.theme.strings);
    shared.insert("theme", &inputs.theme.settings);
    shared.insert("root", ROOT);
    let search_path = search::page_path(config.lang());
    let search_on = config.search_enabled(content.pages.len());
    if search_on {
        shared.insert("search_url", &format!("{ROOT}{search_path}"));
    }

    // Reports and publications as templates see them; pages of a report carry theirs.
    let tocs: Vec<Vec<markdown::Heading>> = rendered.iter().map(|r| r.toc.clone()).collect();
    let long_docs: Vec<&Document> = docs.iter().filter(|d| d.is_long()).collect();
    let print_views: Vec<Value> = long_docs
        .iter()
        .map(|d| Value::from_serializable(&documents::view(d, content, &summaries, &tocs, None)))
        .collect();
    let mut doc_of_page: Vec<Option<usize>> = vec![None; content.pages.len()];
    for (i, d) in long_docs.iter().enumerate() {
        doc_of_page[d.index] = Some(i);
        if d.kind == documents::Kind::Report {
            for &p in &d.parts {
                doc_of_page[p] = Some(i);
            }
        }
    }

    // One-page views.
    for (i, doc) in long_docs.iter().enumerate() {
        if !wanted(doc.index) {
            continue;
        }
        let kind = match doc.kind {
            documents::Kind::Report => "report",
            _ => "publication",
        };
        let template = format!("{kind}_print.html");
        if !templates.has(&template) {
            continue;
        }
        let parts: Vec<Value> = doc
            .parts
            .iter()
            .map(|&p| {
                Value::from_serializable(&PrintPart {
                    anchor: documents::anchor(doc, p),
                    number: doc.chapter_of(p),
                    page: &summaries[p],
                    content: documents::demote_headings(&documents::localize_links(
                        &rendered[p].html,
                        doc,
                        content,
                    )),
                    toc: &rendered[p].toc,
                    sections: rendered[p]
                        .toc
                        .iter()
                        .filter(|h| h.level == 2)
                        .cloned()
                        .collect(),
                })
            })
            .collect();
        let path = doc.print_path(content);
        let mut ctx = shared.clone();
        let view = PageView {
            summary: &summaries[doc.index],
            content: &documents::demote_headings(&documents::localize_links(
                &rendered[doc.index].html,
                doc,
                content,
            )),
            toc: &rendered[doc.index].toc,
            layout: "print",
            prev: None,
            next: None,
            commentary: None,
        };
        ctx.insert("page", &view);
        ctx.insert_value("document", print_views[i].clone());
        ctx.insert("parts", &parts);
        match templates.render(&template, &ctx) {
            Ok(html) => {
                let html = relativize(&html, &root_for(&path));
                sink.write(&format!("{path}index.html"), html.as_bytes())
                    .map_err(|e| write_error(&path, e))?;
                files += 1;
            }
            Err(e) => errors.push(e),
        }
    }

    // PDFs of the one-page views (`bundel build --pdf`), then everything that links to them.
    let mut pdf_of_doc: Vec<Option<documents::PdfView>> = vec![None; long_docs.len()];
    if let (Some(engine), Some(dir)) = (pdf_engine, sink.disk_dir()) {
        // A one-page view that failed to render cannot be printed.
        errors.take_result()?;
        // Photos and cover images are only known once their pages are rendered.
        files += images.write(sink, false).map_err(Diagnostics::from)?;
        let chosen: Vec<(usize, pdf::PdfJob)> = long_docs
            .iter()
            .enumerate()
            .filter(|(_, d)| d.wants_pdf(content) && wanted(d.index))
            .map(|(i, d)| {
                let job = pdf::PdfJob {
                    html: dir.join(d.print_path(content)).join("index.html"),
                    pdf: dir.join(d.pdf_path(content)),
                    title: content.pages[d.index].front.title.clone(),
                    online: online(dir),
                };
                (i, job)
            })
            .collect();
        let jobs: Vec<(&Path, pdf::PdfJob)> = chosen
            .iter()
            .map(|(i, j)| {
                (
                    content.pages[long_docs[*i].index].source.as_path(),
                    j.clone(),
                )
            })
            .collect();
        print_pdfs(engine, site_dir, dir, &jobs)?;
        for (i, job) in &chosen {
            let size = std::fs::metadata(&job.pdf).map(|m| m.len()).unwrap_or(0);
            pdf_of_doc[*i] = Some(documents::PdfView {
                url: format!("{ROOT}{}", long_docs[*i].pdf_path(content)),
                size,
                kind: "PDF",
            });
            let d = long_docs[*i].index;
            let mut summary = page_summary(
                &content.pages[d],
                content,
                &base_url,
                site_dir,
                &taxonomies,
                images,
            );
            summary.pdf = pdf_of_doc[*i].clone();
            summaries[d] = Value::from_serializable(&summary);
            files += 1;
        }
    }
    let sections = if pdf_of_doc.iter().any(Option::is_some) {
        let sections = section_values(content, &summaries);
        register_lookups(templates, content, &summaries, &sections, &inputs.data);
        sections
    } else {
        sections
    };
    let doc_views: Vec<Value> = long_docs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            Value::from_serializable(&documents::view(
                d,
                content,
                &summaries,
                &tocs,
                pdf_of_doc[i].clone(),
            ))
        })
        .collect();
    let templates = &*templates;

    // Listings without a source file, and which of them is the first page of a section.
    let plan = listings::plan(content, config);
    let mut first_page_of: Vec<Option<usize>> = vec![None; content.sections.len()];
    for (i, l) in plan.iter().enumerate() {
        if let listings::Kind::SectionPage { section, number: 1 } = l.kind {
            first_page_of[section] = Some(i);
        }
    }
    let mut archive_of_section: Vec<Option<String>> = vec![None; content.sections.len()];
    for l in &plan {
        if let listings::Kind::Archive {
            section,
            year: None,
        } = l.kind
        {
            archive_of_section[section] = Some(l.path.clone());
        }
    }
    let feeds = feed_specs(content, config, &plan);
    let mut feed_of_section: Vec<Option<String>> = vec![None; content.sections.len()];
    for (owner, f) in &feeds {
        if let FeedOwner::Section(s) = owner {
            feed_of_section[*s] = Some(f.path.clone());
        }
    }

    let render_page = |page: &Page, pdf: Option<&documents::PdfView>| -> Result<(), Diagnostic> {
        let layout = layouts[page.id];
        let (prev, next) = neighbours(page, content, &summaries);
        let view = PageView {
            summary: &summaries[page.id],
            content: &rendered[page.id].html,
            toc: &rendered[page.id].toc,
            layout,
            prev,
            next,
            commentary: rendered[page.id].commentary.as_deref(),
        };
        let mut ctx = shared.clone();
        ctx.insert("page", &view);
        let section = match page.kind {
            PageKind::Home => Some(0),
            PageKind::Section(s) => Some(s),
            PageKind::Regular => page.section,
        };
        if let Some(s) = section {
            ctx.insert_value("section", sections[s].clone());
        }
        if let Some(d) = doc_of_page[page.id] {
            ctx.insert_value("document", doc_views[d].clone());
            if let Some(n) = long_docs[d].chapter_of(page.id) {
                ctx.insert("chapter", &n);
            }
        }
        if let PageKind::Section(s) = page.kind {
            if let Some(l) = first_page_of[s] {
                ctx.insert(
                    "paginator",
                    &listings::view(&plan[l], &plan, content, config, &summaries),
                );
            }
        }
        if let Some(f) = section.and_then(|s| feed_of_section[s].as_ref()) {
            ctx.insert("feed_url", &format!("{ROOT}{f}"));
        }
        if let Some(a) = section.and_then(|s| archive_of_section[s].as_ref()) {
            ctx.insert("archive_url", &format!("{ROOT}{a}"));
        }
        if let Some(p) = pdf {
            ctx.insert("pdf", p);
        }
        let html = templates
            .render(&format!("{layout}.html"), &ctx)
            .map_err(|e| blame_front_matter(e, site_dir, page))?;
        let html = relativize(&html, &root_for(&page.path));
        sink.write(&format!("{}index.html", page.path), html.as_bytes())
            .map_err(|e| match e.kind() {
                // Named at the page's own file: that is where the address comes from.
                std::io::ErrorKind::AlreadyExists => Diagnostic::file(
                    &page.source,
                    format!(
                        "its page at `{}` would replace a copied file: {e}",
                        page.path
                    ),
                )
                .with_hint("give the page another address with `slug:`, or move the copied file"),
                _ => write_error(&page.path, e),
            })?;
        if let Some(ix) = indexer {
            ix.add(&page.path, html);
        }
        Ok(())
    };
    let results: Vec<Result<(), Diagnostic>> = content
        .pages
        .par_iter()
        .filter(|page| wanted(page.id))
        .map(|page| render_page(page, None))
        .collect();
    let mut errors = Diagnostics::new();
    for r in results {
        if let Err(e) = r {
            errors.push(e);
        }
    }
    if let Some(only) = only {
        errors.take_result()?;
        return Ok(files + only.len());
    }
    files += content.pages.len();

    // PDFs of generated pages (factsheets) whose section says `pdf: true`: printed from the
    // page itself, which is then rendered again with its download link.
    if let (Some(engine), Some(dir)) = (pdf_engine, sink.disk_dir()) {
        errors.take_result()?;
        files += images.write(sink, false).map_err(Diagnostics::from)?;
        let pages: Vec<&Page> = content
            .pages
            .iter()
            .filter(|p| {
                p.generated.is_some()
                    && p.section.is_some_and(|s| {
                        matches!(
                            content.pages[content.sections[s].page]
                                .front
                                .extra
                                .get("pdf"),
                            Some(serde_yaml::Value::Bool(true))
                        )
                    })
            })
            .collect();
        let pdf_path = |p: &Page| format!("{}{}.pdf", p.path, content::slugify(&p.front.title));
        let jobs: Vec<pdf::PdfJob> = pages
            .iter()
            .map(|p| pdf::PdfJob {
                html: dir.join(&p.path).join("index.html"),
                pdf: dir.join(pdf_path(p)),
                title: p.front.title.clone(),
                online: online(dir),
            })
            .collect();
        let sourced: Vec<(&Path, pdf::PdfJob)> = pages
            .iter()
            .zip(&jobs)
            .map(|(p, j)| (p.source.as_path(), j.clone()))
            .collect();
        pdfs_unclaimed(sink, dir, &sourced)?;
        print_pdfs(engine, site_dir, dir, &sourced)?;
        let results: Vec<Result<(), Diagnostic>> = pages
            .par_iter()
            .zip(&jobs)
            .map(|(p, job)| {
                let view = documents::PdfView {
                    url: format!("{ROOT}{}", pdf_path(p)),
                    size: std::fs::metadata(&job.pdf).map(|m| m.len()).unwrap_or(0),
                    kind: "PDF",
                };
                render_page(p, Some(&view))
            })
            .collect();
        for r in results {
            if let Err(e) = r {
                errors.push(e);
            }
        }
        files += jobs.len();
    }

    // Listing pages: further pages of sections, taxonomies, archives.
    let listing_results: Vec<Result<bool, Diagnostic>> = plan
        .par_iter()
        .map(|l| {
            let (template, section) = match &l.kind {
                listings::Kind::SectionPage { number: 1, .. } => return Ok(false),
                listings::Kind::SectionPage { section, .. } => (
                    format!("{}.html", layouts[content.sections[*section].page]),
                    Some(*section),
                ),
                listings::Kind::Taxonomy { .. } => ("taxonomy.html".to_string(), None),
                listings::Kind::Term { .. } => ("term.html".to_string(), None),
                listings::Kind::Archive { section, .. } => {
                    ("archive.html".to_string(), Some(*section))
                }
            };
            if !templates.has(&template) {
                return Ok(false);
            }
            let mut ctx = shared.clone();
            let view = listings::view(l, &plan, content, config, &summaries);
            ctx.insert(
                "page",
                &ListingPage {
                    title: &l.title,
                    url: format!("{ROOT}{}", l.path),
                    permalink: format!("{base_url}{}", l.path),
                    path: &l.path,
                    kind: "listing",
                    layout: template.trim_end_matches(".html"),
                    summary: "",
                    content: "",
                },
            );
            if let Some(s) = section {
                ctx.insert_value("section", sections[s].clone());
                if let Some(f) = &feed_of_section[s] {
                    ctx.insert("feed_url", &format!("{ROOT}{f}"));
                }
            }
            if let Some((_, f)) = feeds
                .iter()
                .find(|(o, _)| matches!(o, FeedOwner::Listing(p) if *p == l.path))
            {
                ctx.insert("feed_url", &format!("{ROOT}{}", f.path));
            }
            ctx.insert("paginator", &view);
            ctx.insert("listing", &view);
            let html = templates.render(&template, &ctx)?;
            let html = relativize(&html, &root_for(&l.path));
            sink.write(&format!("{}index.html", l.path), html.as_bytes())
                .map_err(|e| write_error(&l.path, e))?;
            if let Some(ix) = indexer {
                ix.add(&l.path, html);
            }
            Ok(true)
        })
        .collect();
    for r in listing_results {
        match r {
            Ok(true) => files += 1,
            Ok(false) => {}
            Err(e) => errors.push(e),
        }
    }

    // Feeds, sitemap, robots.txt.
    for (_, spec) in &feeds {
        let xml = feeds::atom(spec, content, config, &|p| rendered[p].html.clone());
        match sink.write(&spec.path, xml.as_bytes()) {
            Ok(()) => files += 1,
            Err(e) => errors.push(write_error(&spec.path, e)),
        }
    }
    let mut entries: Vec<(String, Option<chrono::NaiveDateTime>)> = content
        .pages
        .iter()
        .map(|p| (p.path.clone(), p.front.date))
        .collect();
    entries.extend(
        plan.iter()
            .filter(|l| !matches!(l.kind, listings::Kind::SectionPage { number: 1, .. }))
            .map(|l| (l.path.clone(), None)),
    );
    entries.sort();
    if let Err(e) = sink.write("sitemap.xml", feeds::sitemap(config, &entries).as_bytes()) {
        errors.push(write_error("sitemap.xml", e));
    }
    if let Err(e) = sink.write("robots.txt", feeds::robots(config).as_bytes()) {
        errors.push(write_error("robots.txt", e));
    }
    files += 2;

    // The search page, unless the site has its own page at that address.
    if search_on
        && templates.has("search.html")
        && !content.pages.iter().any(|p| p.path == search_path)
    {
        let title = inputs
            .theme
            .strings
            .get("search")
            .and_then(serde_yaml::Value::as_str)
            .unwrap_or("Zoeken");
        let mut ctx = shared.clone();
        ctx.insert(
            "page",
            &ListingPage {
                title,
                url: format!("{ROOT}{search_path}"),
                permalink: format!("{base_url}{search_path}"),
                path: search_path,
                kind: "search",
                layout: "search",
                summary: "",
                content: "",
            },
        );
        match templates.render("search.html", &ctx) {
            Ok(html) => {
                let html = relativize(&html, &root_for(search_path));
                if let Err(e) = sink.write(&format!("{search_path}index.html"), html.as_bytes()) {
                    errors.push(write_error(search_path, e));
                }
                files += 1;
            }
            Err(e) => errors.push(e),
        }
    }

    // The 404 page is served at any address, so its links start from the base path.
    if templates.has("404.html") {
        let mut ctx = shared.clone();
        let title = inputs
            .theme
            .strings
            .get("not_found_title")
            .and_then(|v| v.as_str())
            .unwrap_or("404");
        ctx.insert(
            "page",
            &ListingPage {
                title,
                url: format!("{ROOT}404.html"),
                permalink: format!("{base_url}404.html"),
                path: "404.html",
                kind: "404",
                layout: "404",
                summary: "",
                content: "",
            },
        );
        match templates.render("404.html", &ctx) {
            Ok(html) => {
                let html = relativize(&html, &config.base_path());
                if let Err(e) = sink.write("404.html", html.as_bytes()) {
                    errors.push(write_error("404.html", e));
                }
                files += 1;
            }
            Err(e) => errors.push(e),
        }
    }
    errors.take_result()?;
    Ok(files)
}

/// Every section as templates see it (`section`, `get_section`).
fn section_values(content: &Content, summaries: &[Value]) -> Vec<Value> {
    content
        .sections
        .iter()
        .map(|s| {
            let mut view = section_view(s, summaries);
            view.subsections = s
                .subsections
                .iter()
                .map(|&sub| summaries[content.sections[sub].page].clone())
                .collect();
            view.generated = context::generated_index(s, content, summaries);
            Value::from_serializable(&view)
        })
        .collect()
}

/// What templates see as `page` on a listing page.
#[derive(serde::Serialize)]
struct ListingPage<'a> {
    title: &'a str,
    url: String,
    permalink: String,
    path: &'a str,
    kind: &'static str,
    layout: &'a str,
    summary: &'static str,
    content: &'static str,
}

enum FeedOwner {
    Section(usize),
    /// A listing page, by path (a category term).
    Listing(String),
}

/// Feeds: every section sorted by date with dated pages (unless `feed: false`), and the
/// terms of taxonomies with `feed: true`.
fn feed_specs(
    content: &Content,
    config: &SiteConfig,
    plan: &[listings::Listing],
) -> Vec<(FeedOwner, feeds::FeedSpec)> {
    let mut out = Vec::new();
    for section in &content.sections {
        let index = &content.pages[section.page];
        let wanted = match index.front.extra.get("feed") {
            Some(serde_yaml::Value::Bool(b)) => *b,
            _ => {
                section.sort_by == content::SortBy::Date
                    && index.kind != PageKind::Home
                    && section
                        .pages
                        .iter()
                        .any(|&p| content.pages[p].front.date.is_some())
                    && index.front.extra.get("generate").is_none()
            }
        };
        if wanted {
            out.push((
                FeedOwner::Section(section.id),
                feeds::FeedSpec {
                    path: format!("{}atom.xml", index.path),
                    title: index.front.title.clone(),
                    page_path: index.path.clone(),
                    pages: section.pages.clone(),
                },
            ));
        }
    }
    let taxonomies = config.taxonomies();
    for l in plan {
        // One feed per term, on its first page, with the newest pages of the term.
        if let listings::Kind::Term { taxonomy, term } = &l.kind {
            if taxonomies[*taxonomy].feed && l.pager.as_ref().is_none_or(|p| p.current == 1) {
                let pages = listings::terms(content, &taxonomies[*taxonomy])
                    .remove(term)
                    .unwrap_or_default();
                out.push((
                    FeedOwner::Listing(l.path.clone()),
                    feeds::FeedSpec {
                        path: format!("{}atom.xml", l.path),
                        title: l.title.clone(),
                        page_path: l.path.clone(),
                        pages,
                    },
                ));
            }
        }
    }
    out
}

/// A chapter or bundled page in a one-page view.
#[derive(serde::Serialize)]
struct PrintPart<'a> {
    anchor: String,
    number: Option<u32>,
    page: &'a Value,
    content: String,
    toc: &'a [markdown::Heading],
    sections: Vec<markdown::Heading>,
}

/// Copies the theme's static files, then the site's own (`static/`, which win), then every
/// page's assets. Returns the number of files.
fn copy_static(site_dir: &Path, inputs: &Inputs, sink: &Sink) -> Result<usize, Diagnostics> {
    let content = &inputs.content;
    // Output path -> (what is copied, the file it is in the site's terms).
    let mut copies: BTreeMap<String, (StaticSource, PathBuf)> = BTreeMap::new();
    for f in &inputs.theme.static_files {
        let (src, owner) = match &f.source {
            StaticSource::Disk(p) => (
                StaticSource::Disk(p.clone()),
                p.strip_prefix(site_dir).unwrap_or(p).to_path_buf(),
            ),
            StaticSource::Embedded(b) => (
                StaticSource::Embedded(b),
                Path::new("themes/default/static").join(&f.rel),
            ),
        };
        copies.insert(slash(&f.rel), (src, owner));
    }
    // The site's own files replace the theme's of the same name: that is what they are for.
    for (rel, file) in &inputs.static_files {
        let owner = Path::new("static").join(rel);
        copies.insert(rel.clone(), (StaticSource::Disk(file.clone()), owner));
    }
    let mut errors = Diagnostics::new();
    for page in &content.pages {
        for asset in &page.assets {
            let rel = links::asset_path(page, asset);
            if let Some((_, other)) = copies.get(&rel).filter(|(_, o)| o.starts_with("static")) {
                errors.push(
                    Diagnostic::file(
                        asset,
                        format!(
                            "`{}` is copied to the same address, `{rel}`",
                            other.display()
                        ),
                    )
                    .with_hint("rename one of the two files, or remove the one that is not needed"),
                );
                continue;
            }
            copies.insert(
                rel,
                (StaticSource::Disk(site_dir.join(asset)), asset.clone()),
            );
        }
    }
    errors.take_result()?;
    let results: Vec<Result<(), Diagnostic>> = copies
        .par_iter()
        .map(|(rel, (src, owner))| {
            match src {
                StaticSource::Disk(p) => sink.copy_site_file(rel, p, owner),
                StaticSource::Embedded(b) => sink.write_theme_file(rel, b, owner),
            }
            .map_err(|e| write_error(rel, e))
        })
        .collect();
    for r in results {
        if let Err(e) = r {
            errors.push(e);
        }
    }
    errors.into_result()?;
    Ok(copies.len())
}

/// A PDF is printed straight into the output folder: one at the address of a copied site
/// file would replace it.
fn pdfs_unclaimed(
    sink: &Sink,
    dir: &Path,
    jobs: &[(&Path, pdf::PdfJob)],
) -> Result<(), Diagnostics> {
    let mut errors = Diagnostics::new();
    for (source, job) in jobs {
        let rel = slash(job.pdf.strip_prefix(dir).unwrap_or(&job.pdf));
        if let Some(owner) = sink.claimed(&rel) {
            errors.push(
                Diagnostic::file(
                    source,
                    format!(
                        "its PDF `{rel}` would replace `{}`, copied to the same address",
                        owner.display()
                    ),
                )
                .with_hint("rename or move that file, or give the page another title or `slug:`"),
            );
        }
    }
    errors.into_result()
}

/// Prints the PDFs, each paired with the content file it comes from, so a failure names
/// that file. Progress goes to a terminal only: in a log it would be hundreds of lines.
fn print_pdfs(
    engine: &pdf::Engine,
    site_dir: &Path,
    output: &Path,
    jobs: &[(&Path, pdf::PdfJob)],
) -> Result<(), Diagnostics> {
    use std::io::IsTerminal;
    let show = std::io::stderr().is_terminal();
    let progress = |done: usize, total: usize| {
        if show && total > 1 {
            eprint!("\rPDF {done}/{total}");
            if done == total {
                eprintln!();
            }
        }
    };
    let plain: Vec<pdf::PdfJob> = jobs.iter().map(|(_, j)| j.clone()).collect();
    // PDFs of unchanged documents are kept in the site folder beside the encoded images
    // (like Quarto's `_freeze/`): a build that changed three factsheets prints three.
    let dirs = pdf::CacheDirs {
        cache: &site_dir.join(crate::images::CACHE_DIR).join("pdf"),
        output,
    };
    let failed = match pdf::render_cached(engine, &plain, dirs, &progress) {
        Ok(n) => {
            if n.reused > 0 {
                eprintln!(
                    "PDF: {} printed, {} unchanged since the last build (kept in {}/pdf/)",
                    n.printed,
                    n.reused,
                    crate::images::CACHE_DIR
                );
            }
            return Ok(());
        }
        Err(failed) => failed,
    };
    let mut errors = Diagnostics::new();
    for failure in failed {
        let source = jobs
            .iter()
            .find(|(_, j)| j.html == failure.html)
            .map(|(s, _)| s.to_path_buf())
            .unwrap_or(failure.html);
        errors.push(
            Diagnostic::file(source, format!("cannot make the PDF: {}", failure.message))
                .with_hint(failure.hint),
        );
    }
    errors.take_result()
}

fn write_error(rel: &str, e: std::io::Error) -> Diagnostic {
    if e.kind() == std::io::ErrorKind::AlreadyExists {
        return Diagnostic::file(rel, format!("two files for one address: {e}")).with_hint(
            "rename or move the copied file (in `static/` or the page's folder), or give the \
             page another address with `slug:`",
        );
    }
    Diagnostic::file(rel, format!("cannot write: {e}"))
        .with_hint("check free disk space and permissions of the output folder")
}

fn slash(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The previous and next page in the page's section order.
fn neighbours(
    page: &Page,
    content: &Content,
    summaries: &[Value],
) -> (Option<Value>, Option<Value>) {
    let Some(s) = page.section.filter(|_| page.kind == PageKind::Regular) else {
        return (None, None);
    };
    let list = &content.sections[s].pages;
    let Some(i) = list.iter().position(|&p| p == page.id) else {
        return (None, None);
    };
    let prev = i.checked_sub(1).map(|j| summaries[list[j]].clone());
    let next = list.get(i + 1).map(|&j| summaries[j].clone());
    (prev, next)
}

#[derive(serde::Serialize)]
struct MenuView<'a> {
    title: &'a str,
    url: String,
    /// Site path for internal entries (to mark the current one), empty for external links.
    path: String,
}

#[derive(serde::Serialize)]
struct ConfigView<'a> {
    #[serde(flatten)]
    config: &'a SiteConfig,
    menu: Vec<MenuView<'a>>,
    base_url: String,
}

fn config_view(config: &SiteConfig) -> ConfigView<'_> {
    let menu = config
        .menu
        .iter()
        .map(|m| {
            let internal = m.url.starts_with('/');
            let path = if internal {
                m.url.trim_start_matches('/').to_string()
            } else {
                String::new()
            };
            MenuView {
                title: &m.title,
                url: if internal {
                    format!("{ROOT}{path}")
                } else {
                    m.url.clone()
                },
                path,
            }
        })
        .collect();
    ConfigView {
        config,
        menu,
        base_url: config.base_url(),
    }
}

/// Template functions that look into the whole site: `get_section(path=...)`,
/// `get_page(path=...)`, `get_data(name=...)`.
fn register_lookups(
    templates: &mut Templates,
    content: &Content,
    summaries: &[Value],
    sections: &[Value],
    data: &DataStore,
) {
    let mut page_index: BTreeMap<String, Value> = BTreeMap::new();
    let mut section_index: BTreeMap<String, Value> = BTreeMap::new();
    for page in &content.pages {
        let v = summaries[page.id].clone();
        let cp = context::content_path(page);
        page_index.insert(page.path.trim_end_matches('/').to_string(), v.clone());
        page_index.entry(cp).or_insert(v);
    }
    for section in &content.sections {
        let page = &content.pages[section.page];
        let v = sections[section.id].clone();
        section_index.insert(page.path.trim_end_matches('/').to_string(), v.clone());
        section_index
            .entry(context::content_path(page))
            .or_insert(v);
    }
    let page_index = Arc::new(page_index);
    let section_index = Arc::new(section_index);
    templates.register_function("get_page", move |kw: tera::Kwargs, _: &tera::State| {
        let path: String = kw.must_get::<&str>("path")?.trim_matches('/').to_string();
        match page_index.get(&path) {
            Some(v) => Ok(v.clone()),
            None if kw.get::<bool>("optional")?.unwrap_or(false) => Ok(Value::none()),
            None => Err(tera::Error::message(format!("get_page: no page `{path}`"))),
        }
    });
    templates.register_function("get_section", move |kw: tera::Kwargs, _: &tera::State| {
        let path: String = kw.must_get::<&str>("path")?.trim_matches('/').to_string();
        match section_index.get(&path) {
            Some(v) => Ok(v.clone()),
            None if kw.get::<bool>("optional")?.unwrap_or(false) => Ok(Value::none()),
            None => Err(tera::Error::message(format!(
                "get_section: no section `{path}`"
            ))),
        }
    });
    // A table becomes a template value when a template first asks for it: most sites never
    // do, and a large table costs a lot of memory as a value.
    let data = data.clone();
    let values: Arc<Mutex<BTreeMap<String, Value>>> = Arc::default();
    templates.register_function("get_data", move |kw: tera::Kwargs, _: &tera::State| {
        let name: &str = kw.must_get::<&str>("name")?;
        if let Some(v) = values.lock().expect("get_data").get(name) {
            return Ok(v.clone());
        }
        let value = data.get(name).map(Value::from_serializable);
        let mut values = values.lock().expect("get_data");
        value
            .map(|v| values.entry(name.to_string()).or_insert(v).clone())
            .ok_or_else(|| tera::Error::message(format!("get_data: no data table `{name}`")))
    });
}
