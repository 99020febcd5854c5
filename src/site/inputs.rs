//! Reading the site: config, content, data, theme and static files, the pages generated
//! from data, and the checks that need all of them (layouts, files named by pages).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::context;
use super::documents::{self, Document};
use crate::config::{SiteConfig, CONFIG_FILE};
use crate::content::{self, Content, PageKind};
use crate::data::DataStore;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::markdown;
use crate::templates::{Templates, Theme};
use crate::url::slash;

/// Everything read from disk, before rendering.
pub(super) struct Inputs {
    /// The site folder, where the file names of diagnostics start.
    pub(super) site_dir: PathBuf,
    pub(super) config: SiteConfig,
    pub(super) theme: Theme,
    pub(super) content: Content,
    pub(super) data: DataStore,
    /// The site's own `static/` files: (path in the site, file), sorted.
    pub(super) static_files: Vec<(String, PathBuf)>,
}

pub(super) fn read(site_dir: &Path, preloaded: Option<Content>) -> Result<Inputs, Diagnostics> {
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
        site_dir: site_dir.to_path_buf(),
        config,
        theme: theme.expect("no errors"),
        content: content.expect("no errors"),
        data: data.expect("no errors"),
        static_files,
    })
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
pub(super) fn layouts<'a>(content: &'a Content, docs: &[Document]) -> Vec<&'a str> {
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

pub(super) fn check_layouts(
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
pub(super) fn check_page_files(content: &Content) -> Result<(), Diagnostics> {
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

/// Adds the pages that `generate:` settings make from data (factsheets).
pub(super) fn generate_pages(site_dir: &Path, inputs: &mut Inputs) -> Result<(), Diagnostics> {
    let lang = inputs.config.lang();
    let mut errors = Diagnostics::from(crate::generate::apply(
        &mut inputs.content,
        &inputs.data,
        site_dir,
        lang,
    ));
    if !errors.is_empty() {
        // Said once, with the file, rather than with each page that uses it.
        errors.extend(inputs.data.errors());
    }
    errors.take_result()
}

/// Problems of the inputs that do not stop the build: a menu entry that runs code, a printed
/// total kept against the data, no `base_url`, a theme override that replaces nothing.
pub(super) fn warnings(site_dir: &Path, inputs: &Inputs) -> Vec<Diagnostic> {
    let mut out = menu_warnings(site_dir, inputs);
    out.extend(inputs.data.kept_totals());
    if !inputs.config.base_url.contains("://") {
        out.push(Diagnostic::file(
            CONFIG_FILE,
            "no `base_url`: pages get no canonical address, and links shared on social media no address or picture",
        )
        .with_hint("write where the site will be published: `base_url: https://www.example.org/rmc-achterhoek/`"));
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
    out.extend(
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
    out
}
