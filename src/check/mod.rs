//! `bundel check`: everything the build validates, then a look at the generated site as a
//! reader would meet it. Every internal link, `#anchor`, image and download must exist, every
//! image needs alt text, each kind of page needs its front matter, and (with `--external`)
//! links to other sites must answer. Problems are reported where they were written: the line
//! of the Markdown file, template or `site.yaml`, not the generated HTML.
//!
//! Alt text: an `<img>` must have an `alt` attribute. `alt=""` marks an image as decorative
//! and is accepted when written explicitly (in a template or raw HTML), as are images marked
//! `role="presentation"`, `role="none"` or `aria-hidden="true"`. In Markdown, `![](foto.jpg)`
//! also produces `alt=""`, but there it almost always means the description was forgotten,
//! so it is reported; an author who means "decorative" writes `<img src="..." alt="">`.

mod external;
mod front;
mod html;
mod links;
mod source;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::Duration;

use rayon::prelude::*;

use crate::config::{SiteConfig, CONFIG_FILE};
use crate::content;
use crate::data::DataStore;
use crate::diagnostic::{line_col, Diagnostic};
use crate::generate;
use crate::site;
use crate::templates::theme::{StaticSource, Theme};
use external::Status;
use html::Scan;
use links::{Resolver, Target};
use source::{Origin, SourceMap};

pub struct Options {
    pub site_dir: PathBuf,
    /// Also ask other websites whether the linked pages exist.
    pub external: bool,
    /// Per external address.
    pub timeout: Duration,
}

#[derive(Debug, Default)]
pub struct Report {
    /// Sorted by location.
    pub problems: Vec<Diagnostic>,
    pub pages: usize,
    /// Internal links and images checked.
    pub links: usize,
    /// Distinct addresses on other sites.
    pub external: usize,
    pub external_checked: bool,
}

/// What is wrong with one URL or image on one generated page.
#[derive(Debug, Clone)]
enum Problem {
    Missing {
        path: String,
    },
    NoAnchor {
        path: String,
        fragment: String,
        near: Vec<String>,
    },
    Outside,
    DomainRoot {
        base_path: String,
    },
    NoAlt,
    BlankAlt,
    /// `alt=""`: only a problem when it comes from `![](...)` in Markdown.
    EmptyAlt,
    External(Status),
}

#[derive(Debug, Clone)]
struct Finding {
    /// The generated file it is on.
    key: String,
    /// The URL as it stands in the generated file.
    value: String,
    image: bool,
    /// Earlier occurrences of the same URL on the same page.
    nth: usize,
    problem: Problem,
}

pub fn run(options: &Options) -> Report {
    let site_dir = options.site_dir.as_path();
    let mut report = Report::default();
    let mut problems = Vec::new();
    // Every data file is read, also those no page uses yet (the build skips them).
    let data = DataStore::load(site_dir);
    if let Err(errors) = &data {
        problems.extend(errors.iter().cloned());
    }
    match site::build_site_in_memory(site_dir) {
        Ok(built) => {
            report.pages = built.report.pages;
            problems.extend(front::check(&built.content));
            problems.extend(check_site(
                options,
                &mut report,
                &built.content,
                &built.config,
                Some(&built.theme),
                &built.files,
            ));
        }
        Err(errors) => {
            problems.extend(errors.0);
            // The front matter checks still run when a later stage (a template) failed, on
            // the pages as the build would make them (generated pages included).
            if let Ok(mut content) = content::load(site_dir) {
                if let (Ok(data), Ok(config)) = (&data, SiteConfig::load(site_dir)) {
                    let _ = generate::apply(&mut content, data, site_dir, config.lang());
                }
                problems.extend(front::check(&content));
            }
        }
    }
    // Quoted first: the build's problems come quoted, and one found twice is said once.
    crate::diagnostic::quote_sources(&mut problems, site_dir);
    problems.sort();
    problems.dedup();
    report.problems = problems;
    report
}

fn check_site(
    options: &Options,
    report: &mut Report,
    content: &content::Content,
    config: &SiteConfig,
    theme: Option<&Theme>,
    files: &BTreeMap<String, Vec<u8>>,
) -> Vec<Diagnostic> {
    let site_dir = options.site_dir.as_path();
    let resolver = Resolver {
        files,
        base_url: config.base_url(),
        base_path: config.base_path(),
    };
    let scans: BTreeMap<&String, Scan> = files
        .par_iter()
        .filter(|(k, _)| k.ends_with(".html"))
        .map(|(k, v)| (k, html::scan(&String::from_utf8_lossy(v))))
        .collect();

    let mut findings: Vec<Finding> = Vec::new();
    let mut external: BTreeMap<String, Vec<(String, String, bool, usize)>> = BTreeMap::new();
    for (key, scan) in &scans {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for r in &scan.refs {
            let nth = {
                let n = seen.entry(r.value.as_str()).or_insert(0);
                *n += 1;
                *n - 1
            };
            let finding = |problem| Finding {
                key: key.to_string(),
                value: r.value.clone(),
                image: r.image,
                nth,
                problem,
            };
            match resolver.resolve(key, &r.value) {
                Target::Skip => {}
                Target::External(url) => {
                    external.entry(url).or_default().push((
                        key.to_string(),
                        r.value.clone(),
                        r.image,
                        nth,
                    ));
                }
                Target::Internal {
                    key: target,
                    fragment,
                } => {
                    report.links += 1;
                    let Some(fragment) = fragment.filter(|f| !f.is_empty() && f != "top") else {
                        continue;
                    };
                    if let Some(target_scan) = scans.get(&target) {
                        if !target_scan.ids.contains(&fragment) {
                            findings.push(finding(Problem::NoAnchor {
                                path: target.trim_end_matches("index.html").to_string(),
                                near: nearby_ids(&target_scan.ids, &fragment),
                                fragment,
                            }));
                        }
                    }
                }
                Target::Missing { path } => {
                    report.links += 1;
                    findings.push(finding(Problem::Missing { path }));
                }
                Target::Outside => findings.push(finding(Problem::Outside)),
                Target::DomainRoot => findings.push(finding(Problem::DomainRoot {
                    base_path: config.base_path(),
                })),
            }
        }
        for img in &scan.imgs {
            let problem = match img.alt.as_deref() {
                _ if img.decorative => continue,
                None => Problem::NoAlt,
                Some("") => Problem::EmptyAlt,
                Some(a) if a.trim().is_empty() => Problem::BlankAlt,
                Some(_) => continue,
            };
            let nth = scan
                .imgs
                .iter()
                .take_while(|i| !std::ptr::eq(*i, img))
                .filter(|i| i.src == img.src)
                .count();
            findings.push(Finding {
                key: key.to_string(),
                value: img.src.clone(),
                image: true,
                nth,
                problem,
            });
        }
    }

    report.external = external.len();
    if options.external && !external.is_empty() {
        report.external_checked = true;
        let urls: Vec<String> = external.keys().cloned().collect();
        let statuses = external::check(&urls, options.timeout, 8);
        for (url, status) in urls.iter().zip(statuses) {
            if status == Status::Ok {
                continue;
            }
            for (key, value, image, nth) in &external[url] {
                findings.push(Finding {
                    key: key.clone(),
                    value: value.clone(),
                    image: *image,
                    nth: *nth,
                    problem: Problem::External(status.clone()),
                });
            }
        }
    }

    let templates: Vec<(PathBuf, String)> = theme
        .map(|t| {
            t.templates
                .iter()
                .map(|f| (f.file.clone(), f.source.clone()))
                .collect()
        })
        .unwrap_or_default();
    let config_text = std::fs::read_to_string(site_dir.join(CONFIG_FILE))
        .ok()
        .map(|t| (PathBuf::from(CONFIG_FILE), t));
    let map = SourceMap::new(content, templates, config_text);
    let mut out = locate_all(&map, findings);
    out.extend(check_css(site_dir, theme, files, &resolver));
    out
}

/// (file, line, column, message)
type Location = (PathBuf, usize, usize, String);

/// Turns findings into diagnostics at their source. A problem written once in a template or
/// `site.yaml` shows on many pages; it is reported once, with the number of pages.
fn locate_all(map: &SourceMap, findings: Vec<Finding>) -> Vec<Diagnostic> {
    let located: Vec<(Finding, Origin)> = findings
        .into_par_iter()
        .map(|f| {
            let site_path = match &f.problem {
                Problem::Missing { path } | Problem::NoAnchor { path, .. } => Some(path.clone()),
                _ => None,
            };
            let origin = map.locate(&f.key, &f.value, f.image, f.nth, site_path.as_deref());
            (f, origin)
        })
        .collect();

    let mut out = Vec::new();
    // -> (hint, pages it shows on)
    let mut grouped: BTreeMap<Location, (String, Vec<String>)> = BTreeMap::new();
    for (f, origin) in located {
        let page_url = format!("/{}", f.key.trim_end_matches("index.html"));
        match origin {
            Origin::Markdown {
                file,
                line,
                col,
                written,
                empty_text,
            } => {
                if matches!(f.problem, Problem::EmptyAlt) && !empty_text {
                    continue;
                }
                let (message, hint) = describe(&f.problem, &written, f.image, true);
                out.push(Diagnostic::new(file, line, col, message).with_hint(hint));
            }
            Origin::Shared {
                file,
                line,
                col,
                written,
            } => {
                if matches!(f.problem, Problem::EmptyAlt) {
                    continue;
                }
                let (message, hint) = describe(&f.problem, &written, f.image, false);
                grouped
                    .entry((file, line, col, message))
                    .or_insert_with(|| (hint, Vec::new()))
                    .1
                    .push(page_url);
            }
            Origin::Page { file } => {
                if matches!(f.problem, Problem::EmptyAlt) {
                    continue;
                }
                let shown = match &f.problem {
                    Problem::Missing { path } | Problem::NoAnchor { path, .. } => {
                        format!("/{path}")
                    }
                    _ => f.value.clone(),
                };
                let (message, hint) = describe(&f.problem, &shown, f.image, false);
                let message = format!("{message} (in the page's layout, not in its text)");
                grouped
                    .entry((file, 0, 0, message))
                    .or_insert_with(|| (hint, Vec::new()))
                    .1
                    .push(page_url);
            }
        }
    }
    for ((file, line, col, message), (hint, mut pages)) in grouped {
        pages.sort();
        pages.dedup();
        let hint = match pages.len() {
            1 => format!("{hint}\n  on the page {}", pages[0]),
            n => format!("{hint}\n  on {n} pages, such as {}", pages[0]),
        };
        out.push(Diagnostic::new(file, line, col, message).with_hint(hint));
    }
    out
}

/// The message and hint for a problem; `written` is the URL as its author wrote it.
fn describe(problem: &Problem, written: &str, image: bool, in_text: bool) -> (String, String) {
    let link_hint = if in_text {
        "link to a page by its file (`../nieuws/artikel.md`) so bundel checks it and writes the right address; or correct the address"
    } else {
        "correct the address, or add the page it points to"
    };
    const ALT_HINT: &str = "describe what the image shows, for readers who cannot see it: `![Grafiek: het aandeel voortijdig schoolverlaters daalt](grafiek.png)`, or `alt=\"...\"` in HTML; only a purely decorative image gets `alt=\"\"`";
    match problem {
        Problem::Missing { path } if image || is_image_path(path) => (
            format!("image `{written}` not found: the site has no `/{path}`"),
            "put the image beside the page (make the page a folder with `index.md`) or in `static/`, and check the spelling".into(),
        ),
        Problem::Missing { path } => (
            format!("broken link `{written}`: the site has no page or file `/{path}`"),
            link_hint.into(),
        ),
        Problem::NoAnchor { path, fragment, near } => {
            let mut hint = "headings get their id from their text: `## Nieuwe cijfers` becomes `#nieuwe-cijfers`".to_string();
            if !near.is_empty() {
                hint.push_str(&format!("; ids on that page include {}", near.iter().map(|i| format!("`#{i}`")).collect::<Vec<_>>().join(", ")));
            }
            (
                format!("broken link `{written}`: the page `/{path}` has no `#{fragment}`"),
                hint,
            )
        }
        Problem::Outside => (
            format!("broken link `{written}`: it leads out of the site (one `../` too many)"),
            link_hint.into(),
        ),
        Problem::DomainRoot { base_path } => (
            format!("the link `{written}` starts at the domain root, but the site is published at `{base_path}`, so it leads out of the site"),
            "write the link relative to the page, or link to the page's file (`../nieuws/artikel.md`)".into(),
        ),
        Problem::NoAlt => (format!("image `{written}` has no alt text"), ALT_HINT.into()),
        Problem::BlankAlt => (
            format!("image `{written}` has alt text of only spaces"),
            ALT_HINT.into(),
        ),
        Problem::EmptyAlt => (
            format!("image `{written}` has no description between the brackets `![]`"),
            format!("screen readers read out the file name instead; write what the image shows, `![...]({written})`; for a purely decorative image, write `<img src=\"{written}\" alt=\"\">`"),
        ),
        Problem::External(Status::Http(code)) => (
            format!("link `{written}` answers {}", external::describe(*code)),
            "open the address in a browser; if the page has moved, link to its new address".into(),
        ),
        Problem::External(Status::Unreachable(why)) => (
            format!("link `{written}` does not answer: {why}"),
            "check the address; if that site is only down for now, check again later".into(),
        ),
        Problem::External(Status::Ok) => (String::new(), String::new()),
    }
}

fn is_image_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// Ids on the target page that look like what was asked for, to suggest.
fn nearby_ids(ids: &std::collections::HashSet<String>, wanted: &str) -> Vec<String> {
    let words: Vec<&str> = wanted.split(['-', '_']).filter(|w| w.len() > 2).collect();
    let mut near: Vec<String> = ids
        .iter()
        .filter(|id| words.iter().any(|w| id.contains(w)))
        .cloned()
        .collect();
    near.sort();
    near.truncate(5);
    near
}

/// `url(...)` in stylesheets: fonts and background images must exist. A stylesheet is copied
/// unchanged, so the line in the generated file is the line in its source.
fn check_css(
    site_dir: &Path,
    theme: Option<&Theme>,
    files: &BTreeMap<String, Vec<u8>>,
    resolver: &Resolver<Vec<u8>>,
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (key, bytes) in files.iter().filter(|(k, _)| k.ends_with(".css")) {
        let text = String::from_utf8_lossy(bytes);
        let source = css_source(site_dir, theme, key);
        let mut from = 0;
        while let Some(i) = text[from..].find("url(") {
            let start = from + i + 4;
            let Some(len) = text[start..].find(')') else {
                break;
            };
            from = start + len;
            let value = text[start..start + len].trim().trim_matches(['"', '\'']);
            if value.starts_with('#') || value.starts_with("data:") {
                continue;
            }
            if let Target::Missing { path } = resolver.resolve(key, value) {
                let (line, col) = line_col(&text, start);
                out.push(
                    Diagnostic::new(&source, line, col, format!("`url({value})` not found: the site has no `/{path}`"))
                        .with_hint("the address is relative to the stylesheet; check the folder and the file name"),
                );
            }
        }
    }
    out
}

/// The file a generated stylesheet was copied from.
fn css_source(site_dir: &Path, theme: Option<&Theme>, key: &str) -> PathBuf {
    let site_static = Path::new("static").join(key);
    if site_dir.join(&site_static).is_file() {
        return site_static;
    }
    let from_theme = theme.and_then(|t| {
        t.static_files
            .iter()
            .find(|f| f.rel.to_string_lossy().replace('\\', "/") == key)
    });
    match from_theme.map(|f| &f.source) {
        Some(StaticSource::Disk(p)) => p.strip_prefix(site_dir).unwrap_or(p).to_path_buf(),
        Some(StaticSource::Embedded(_)) => PathBuf::from(format!(
            "themes/{}/static/{key} (built into bundel)",
            theme.map(|t| t.name.as_str()).unwrap_or("default")
        )),
        None => PathBuf::from(key),
    }
}
