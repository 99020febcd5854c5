//! Drives the stages in order: config -> content and data -> Markdown and blocks -> templates
//! -> output. Each stage reports every problem it finds; the build stops between stages when
//! there are errors, so one run shows all of them.

pub mod context;
pub mod links;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tera::{Context, Value};

use crate::config::SiteConfig;
use crate::content::{self, Content, Page, PageKind};
use crate::data::DataStore;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::markdown::{self, Doc, FencedBlock, Hooks};
use crate::output::{Sink, Staging};
use crate::templates::theme::StaticSource;
use crate::templates::{Templates, Theme};
use context::{page_summary, section_view, PageView};
use links::{relativize, root_for, LinkIndex, ROOT};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub site_dir: PathBuf,
    /// Defaults to `site_dir/public`.
    pub output_dir: Option<PathBuf>,
    /// `false` for `bundel check`: validate everything, write nothing.
    pub write: bool,
}

#[derive(Debug, Clone)]
pub struct BuildReport {
    pub pages: usize,
    pub files: usize,
    pub elapsed: Duration,
    pub output_dir: PathBuf,
}

/// Everything read from disk, before rendering.
struct Inputs {
    config: SiteConfig,
    theme: Theme,
    content: Content,
    data: DataStore,
}

pub fn build(options: &BuildOptions) -> Result<BuildReport, Diagnostics> {
    let start = Instant::now();
    let site_dir = options.site_dir.as_path();
    let output_dir = options
        .output_dir
        .clone()
        .unwrap_or_else(|| site_dir.join("public"));
    if !options.write {
        let files = render_site(site_dir, &Sink::Discard)?;
        return Ok(report(files, start, output_dir));
    }
    let staging = Staging::begin(&output_dir).map_err(|e| {
        Diagnostic::file(&output_dir, format!("cannot create the output folder: {e}"))
            .with_hint("check that the folder is writable, or choose another with --output")
    })?;
    let files = render_site(site_dir, &Sink::Disk(&staging))?;
    staging.commit().map_err(|e| {
        Diagnostic::file(
            &output_dir,
            format!("cannot replace the output folder: {e}"),
        )
        .with_hint("close programs that have files in it open and build again")
    })?;
    Ok(report(files, start, output_dir))
}

/// Builds the site into memory: site path (`nieuws/a/index.html`) -> file contents.
/// Used by `serve` and by the checks that read the generated pages.
pub fn build_in_memory(
    site_dir: &Path,
) -> Result<(BuildReport, BTreeMap<String, Vec<u8>>), Diagnostics> {
    let start = Instant::now();
    let files = std::sync::Mutex::new(BTreeMap::new());
    let counts = render_site(site_dir, &Sink::Memory(&files))?;
    let files = files.into_inner().expect("output map");
    Ok((report(counts, start, PathBuf::new()), files))
}

/// For `serve`: like [`build_in_memory`], from content already loaded (and possibly patched),
/// rendering only the pages in `only` when given (then without the 404 page and static
/// files). Re-rendering one edited page this way skips re-reading and re-rendering the rest.
pub fn render_in_memory(
    site_dir: &Path,
    content: Content,
    only: Option<&BTreeSet<content::PageId>>,
) -> Result<(BuildReport, BTreeMap<String, Vec<u8>>), Diagnostics> {
    let start = Instant::now();
    let files = std::sync::Mutex::new(BTreeMap::new());
    let counts = render_site_from(site_dir, &Sink::Memory(&files), Some(content), only)?;
    let files = files.into_inner().expect("output map");
    Ok((report(counts, start, PathBuf::new()), files))
}

fn report(counts: (usize, usize), start: Instant, output_dir: PathBuf) -> BuildReport {
    BuildReport {
        pages: counts.0,
        files: counts.1,
        elapsed: start.elapsed(),
        output_dir,
    }
}

/// Runs every stage and hands each output file to `sink`. Returns (pages, files).
fn render_site(site_dir: &Path, sink: &Sink) -> Result<(usize, usize), Diagnostics> {
    render_site_from(site_dir, sink, None, None)
}

fn render_site_from(
    site_dir: &Path,
    sink: &Sink,
    content: Option<Content>,
    only: Option<&BTreeSet<content::PageId>>,
) -> Result<(usize, usize), Diagnostics> {
    let inputs = read_inputs(site_dir, content)?;
    let mut templates =
        Templates::new(&inputs.theme, inputs.config.lang()).map_err(Diagnostics::from)?;
    check_layouts(&inputs.content, &templates)?;
    check_page_files(&inputs.content)?;

    let links = LinkIndex::new(&inputs.content);
    let rendered = render_markdown(&inputs, &links, only)?;
    let files = render_pages(site_dir, &inputs, &mut templates, &rendered, sink, only)?;
    Ok((inputs.content.pages.len(), files))
}

fn read_inputs(site_dir: &Path, preloaded: Option<Content>) -> Result<Inputs, Diagnostics> {
    let config = SiteConfig::load(site_dir).map_err(Diagnostics::from)?;
    let (theme, (content, data)) = rayon::join(
        || Theme::load(site_dir, &config),
        || {
            rayon::join(
                || preloaded.map_or_else(|| content::load(site_dir), Ok),
                || DataStore::load(site_dir),
            )
        },
    );
    let mut errors = Diagnostics::new();
    let theme = theme.map_err(|e| errors.extend(e)).ok();
    let content = content.map_err(|e| errors.extend(e)).ok();
    let data = data.map_err(|e| errors.extend(e)).ok();
    errors.into_result()?;
    Ok(Inputs {
        config,
        theme: theme.expect("no errors"),
        content: content.expect("no errors"),
        data: data.expect("no errors"),
    })
}

/// The template a page is rendered with, without `.html`.
fn layout_of<'a>(page: &'a Page, content: &'a Content) -> &'a str {
    if let Some(l) = &page.front.layout {
        return l;
    }
    match page.kind {
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
    }
}

fn check_layouts(content: &Content, templates: &Templates) -> Result<(), Diagnostics> {
    let mut errors = Diagnostics::new();
    let available: Vec<&str> = templates
        .names()
        .filter(|n| !n.contains('/') && *n != "base.html" && *n != "404.html")
        .map(|n| n.trim_end_matches(".html"))
        .collect();
    for page in &content.pages {
        let layout = layout_of(page, content);
        if !templates.has(&format!("{layout}.html")) {
            let (key, file) = if page.front.layout.is_some() {
                ("layout", &page.source)
            } else {
                let section = &content.pages[content.sections[page.section.unwrap_or(0)].page];
                ("page_layout", &section.source)
            };
            let line = if page.front.layout.is_some() {
                page.front.line_of(key)
            } else {
                content.pages[content.sections[page.section.unwrap_or(0)].page]
                    .front
                    .line_of(key)
            };
            errors.push(
                Diagnostic::new(file, line, 1, format!("unknown layout `{layout}`"))
                    .with_hint(format!("use one of: {}", available.join(", "))),
            );
        }
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
}

fn render_markdown(
    inputs: &Inputs,
    links: &LinkIndex,
    only: Option<&BTreeSet<content::PageId>>,
) -> Result<Vec<RenderedPage>, Diagnostics> {
    let options = markdown::Options {
        smart_punctuation: inputs.config.smart_punctuation,
        lang: inputs.config.lang(),
    };
    let results: Vec<(RenderedPage, Vec<Diagnostic>)> = inputs
        .content
        .pages
        .par_iter()
        .map(|page| {
            if only.is_some_and(|o| !o.contains(&page.id)) {
                let empty = RenderedPage {
                    html: String::new(),
                    toc: Vec::new(),
                };
                return (empty, Vec::new());
            }
            let from_dir = page.source_dir();
            let link = |dest: &str| links.resolve(dest, &from_dir);
            let mut block =
                |_b: &FencedBlock| -> Result<Option<String>, Vec<Diagnostic>> { Ok(None) };
            let mut ids = BTreeSet::new();
            let r = markdown::render(
                Doc {
                    file: &page.source,
                    text: &page.body,
                    first_line: page.body_line,
                    chapter: None,
                    ids: &mut ids,
                    footnote_start: 1,
                },
                options,
                Hooks {
                    link: &link,
                    block: &mut block,
                },
            );
            (
                RenderedPage {
                    html: r.html,
                    toc: r.toc,
                },
                r.diagnostics,
            )
        })
        .collect();
    let mut errors = Diagnostics::new();
    let mut pages = Vec::with_capacity(results.len());
    for (page, diags) in results {
        errors.extend(diags);
        pages.push(page);
    }
    errors.into_result()?;
    Ok(pages)
}

/// Renders every page through its template and writes pages, static files and assets.
/// Returns the number of files written.
fn render_pages(
    site_dir: &Path,
    inputs: &Inputs,
    templates: &mut Templates,
    rendered: &[RenderedPage],
    sink: &Sink,
    only: Option<&BTreeSet<content::PageId>>,
) -> Result<usize, Diagnostics> {
    let config = &inputs.config;
    let content = &inputs.content;
    let base_url = config.base_url();

    let summaries: Vec<Value> = content
        .pages
        .par_iter()
        .map(|p| Value::from_serializable(&page_summary(p, content, &base_url, site_dir)))
        .collect();
    let sections: Vec<Value> = content
        .sections
        .iter()
        .map(|s| {
            let mut view = section_view(s, &summaries);
            view.subsections = s
                .subsections
                .iter()
                .map(|&sub| summaries[content.sections[sub].page].clone())
                .collect();
            Value::from_serializable(&view)
        })
        .collect();
    register_lookups(templates, content, &summaries, &sections, &inputs.data);

    let mut shared = Context::new();
    shared.insert("config", &config_view(config));
    shared.insert("lang", &config.language);
    shared.insert("t", &inputs.theme.strings);
    shared.insert("theme", &inputs.theme.settings);

    let templates = &*templates;
    let results: Vec<Result<(), Diagnostic>> = content
        .pages
        .par_iter()
        .filter(|page| only.is_none_or(|o| o.contains(&page.id)))
        .map(|page| {
            let layout = layout_of(page, content);
            let (prev, next) = neighbours(page, content, &summaries);
            let view = PageView {
                summary: &summaries[page.id],
                content: &rendered[page.id].html,
                toc: &rendered[page.id].toc,
                layout,
                prev,
                next,
            };
            let mut ctx = shared.clone();
            ctx.insert("page", &view);
            ctx.insert("root", ROOT);
            let section = match page.kind {
                PageKind::Home => Some(0),
                PageKind::Section(s) => Some(s),
                PageKind::Regular => page.section,
            };
            if let Some(s) = section {
                ctx.insert_value("section", sections[s].clone());
            }
            let html = templates.render(&format!("{layout}.html"), &ctx)?;
            let html = relativize(&html, &root_for(&page.path));
            sink.write(&format!("{}index.html", page.path), html.as_bytes())
                .map_err(|e| write_error(&page.path, e))?;
            Ok(())
        })
        .collect();
    let mut errors = Diagnostics::new();
    for r in results {
        if let Err(e) = r {
            errors.push(e);
        }
    }
    if let Some(only) = only {
        errors.into_result()?;
        return Ok(only.len());
    }
    // The 404 page is served at any address, so its links start from the base path.
    let mut files = content.pages.len();
    if templates.has("404.html") {
        let mut ctx = shared.clone();
        ctx.insert("root", ROOT);
        ctx.insert_value("page", summaries[0].clone());
        match templates.render("404.html", &ctx) {
            Ok(html) => {
                let html = relativize(&html, &config.base_path());
                sink.write("404.html", html.as_bytes())
                    .map_err(|e| write_error("404.html", e))?;
                files += 1;
            }
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors.into_result().unwrap_err());
    }

    // Static files (theme first, then the site's own) and page assets.
    let mut copies: BTreeMap<String, StaticSource> = BTreeMap::new();
    for f in &inputs.theme.static_files {
        let src = match &f.source {
            StaticSource::Disk(p) => StaticSource::Disk(p.clone()),
            StaticSource::Embedded(b) => StaticSource::Embedded(b),
        };
        copies.insert(slash(&f.rel), src);
    }
    let site_static = site_dir.join("static");
    if site_static.is_dir() {
        for entry in walkdir::WalkDir::new(&site_static)
            .sort_by_file_name()
            .into_iter()
            .filter_map(Result::ok)
        {
            if entry.file_type().is_file() {
                if let Ok(rel) = entry.path().strip_prefix(&site_static) {
                    copies.insert(slash(rel), StaticSource::Disk(entry.path().to_path_buf()));
                }
            }
        }
    }
    for page in &content.pages {
        for asset in &page.assets {
            copies.insert(
                links::asset_path(page, asset),
                StaticSource::Disk(site_dir.join(asset)),
            );
        }
    }
    files += copies.len();
    let results: Vec<Result<(), Diagnostic>> = copies
        .par_iter()
        .map(|(rel, src)| {
            match src {
                StaticSource::Disk(p) => sink.copy(rel, p),
                StaticSource::Embedded(b) => sink.write(rel, b),
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
    Ok(files)
}

fn write_error(rel: &str, e: std::io::Error) -> Diagnostic {
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
    let tables: Arc<BTreeMap<String, Value>> = Arc::new(
        data.names()
            .filter_map(|n| {
                data.get(n)
                    .map(|t| (n.to_string(), Value::from_serializable(t)))
            })
            .collect(),
    );
    templates.register_function("get_data", move |kw: tera::Kwargs, _: &tera::State| {
        let name: &str = kw.must_get::<&str>("name")?;
        tables
            .get(name)
            .cloned()
            .ok_or_else(|| tera::Error::message(format!("get_data: no data table `{name}`")))
    });
}
