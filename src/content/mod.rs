//! Stage 2a: reading `content/` into pages and sections.
//!
//! A folder is a section; its `_index.md` holds the section's own text and settings. A folder
//! with an `index.md` is a page bundle: the page plus the images and attachments beside it.
//! Every other `.md` file is a page. URLs are clean: `content/nieuws/webinar.md` becomes
//! `nieuws/webinar/`. A leading number in a file name only orders files (`01-inleiding.md`
//! becomes `inleiding/`).

pub mod frontmatter;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::Diagnostic;
pub use frontmatter::FrontMatter;

pub type PageId = usize;
pub type SectionId = usize;

pub const CONTENT_DIR: &str = "content";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// `content/_index.md`
    Home,
    /// The `_index.md` of a section folder.
    Section(SectionId),
    /// A page: a `.md` file or a bundle's `index.md`.
    Regular,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub id: PageId,
    pub kind: PageKind,
    /// Source file relative to the site root (`content/nieuws/webinar.md`); for a section
    /// without `_index.md`, its folder.
    pub source: PathBuf,
    /// URL path relative to the site root, with a trailing slash (`nieuws/webinar/`); empty for
    /// the home page.
    pub path: String,
    /// The section a regular page lives in; for a section page, the parent section.
    pub section: Option<SectionId>,
    pub front: FrontMatter,
    pub body: String,
    /// 1-based line of the source file on which `body` starts.
    pub body_line: usize,
    /// Files copied beside the page's `index.html`, relative to the site root.
    pub assets: Vec<PathBuf>,
    /// For a page generated from a data table (a factsheet): which rows it stands for.
    pub generated: Option<Generated>,
}

/// What makes a generated page (see [`crate::generate`]).
#[derive(Debug, Clone, Default)]
pub struct Generated {
    /// Key column and value, in key order (`regio` = `Achterhoek`, `schooljaar` = `2020/2021`).
    pub key: Vec<(String, String)>,
    /// The text cells of the page's row (`vergelijkingsgroep` = `matig stedelijk`): like the
    /// key, usable as `{name}` in the page's text and blocks.
    pub text: Vec<(String, String)>,
    /// The data table the page comes from.
    pub data: String,
    /// The key column that is a period (for changes against the previous one).
    pub period: Option<String>,
    /// A text written by hand for this key, shown with the generated content.
    pub commentary: Option<Commentary>,
}

#[derive(Debug, Clone)]
pub struct Commentary {
    pub source: PathBuf,
    pub body: String,
    pub body_line: usize,
}

impl Page {
    pub fn is_section(&self) -> bool {
        !matches!(self.kind, PageKind::Regular)
    }

    /// Folder of the source file, relative to the site root; relative links resolve from here.
    pub fn source_dir(&self) -> PathBuf {
        if self.source.extension().is_some() {
            self.source
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default()
        } else {
            self.source.clone()
        }
    }
}

#[derive(Debug, Clone)]
pub struct Section {
    pub id: SectionId,
    /// The section's own page (from `_index.md`).
    pub page: PageId,
    pub parent: Option<SectionId>,
    /// Regular pages, in the section's order (see [`SortBy`]).
    pub pages: Vec<PageId>,
    pub subsections: Vec<SectionId>,
    pub sort_by: SortBy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    /// Newest first.
    Date,
    /// Lowest weight first, then file name.
    Weight,
    Title,
}

#[derive(Debug, Default)]
pub struct Content {
    pub pages: Vec<Page>,
    pub sections: Vec<Section>,
}

impl Content {
    pub fn home(&self) -> &Page {
        // load() always creates the home page first
        &self.pages[0]
    }

    /// Finds a page by its source path relative to the site root (`content/nieuws/a.md`).
    pub fn by_source(&self, source: &Path) -> Option<&Page> {
        self.pages.iter().find(|p| p.source == source)
    }
}

/// Reads every Markdown file under `site_dir/content`. Drafts are left out.
pub fn load(site_dir: &Path) -> Result<Content, Vec<Diagnostic>> {
    load_with_drafts(site_dir, false)
}

/// Like [`load`]; with `drafts`, pages and sections marked `draft: true` are read too
/// (`bundel serve --drafts` previews them).
pub fn load_with_drafts(site_dir: &Path, drafts: bool) -> Result<Content, Vec<Diagnostic>> {
    let root = site_dir.join(CONTENT_DIR);
    let mut errors = Vec::new();
    if !root.is_dir() {
        return Err(vec![Diagnostic::file(
            CONTENT_DIR,
            "the site has no content folder",
        )
        .with_hint(
            "create `content/_index.md` for the home page and add pages beside it",
        )]);
    }

    // Pass 1: find the files (cheap, sequential, sorted for determinism).
    let mut files: Vec<Entry> = Vec::new();
    let walker = crate::walk::walk(&root, site_dir, site_dir).skip_hidden();
    let mut bundle_dirs: Vec<PathBuf> = Vec::new();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        let rel =
            Path::new(CONTENT_DIR).join(entry.path().strip_prefix(&root).unwrap_or(entry.path()));
        if entry.file_type().is_dir() {
            if entry.depth() > 0 && entry.path().join("index.md").is_file() {
                bundle_dirs.push(rel.clone());
            }
            files.push(Entry::Dir(rel));
        } else {
            files.push(Entry::File(rel));
        }
    }

    // Pass 2: parse every Markdown file in parallel.
    let md_files: Vec<&PathBuf> = files
        .iter()
        .filter_map(|e| match e {
            Entry::File(p)
                if p.extension().is_some_and(|x| x == "md")
                    && !inside_bundle(p, &bundle_dirs, true)
                    && !is_partial(p) =>
            {
                Some(p)
            }
            _ => None,
        })
        .collect();
    let parsed: Vec<(PathBuf, Result<frontmatter::Parsed, Vec<Diagnostic>>)> = md_files
        .par_iter()
        .map(|rel| {
            let result = match std::fs::read_to_string(site_dir.join(rel)) {
                Ok(text) => frontmatter::parse(&text, rel),
                Err(e) => Err(vec![Diagnostic::file(
                    rel,
                    format!("cannot read this file: {e}"),
                )
                .with_hint("save the file as UTF-8 text")]),
            };
            ((*rel).clone(), result)
        })
        .collect();
    let mut parsed: BTreeMap<PathBuf, frontmatter::Parsed> = parsed
        .into_iter()
        .filter_map(|(p, r)| match r {
            Ok(v) => Some((p, v)),
            Err(e) => {
                errors.extend(e);
                None
            }
        })
        .collect();

    // Folders without any Markdown below them only hold files (images, downloads): they
    // belong to the section around them rather than being sections themselves.
    let mut md_dirs: std::collections::BTreeSet<PathBuf> = std::collections::BTreeSet::new();
    for p in &md_files {
        let mut d = p.parent();
        while let Some(dir) = d {
            if !md_dirs.insert(dir.to_path_buf()) {
                break;
            }
            d = dir.parent();
        }
    }

    // Pass 3: assemble sections and pages in file order.
    let mut content = Content::default();
    let mut section_of_dir: BTreeMap<PathBuf, SectionId> = BTreeMap::new();
    let mut draft_dirs: Vec<PathBuf> = Vec::new();
    let mut bundle_assets: BTreeMap<PathBuf, Vec<PathBuf>> = BTreeMap::new();
    for entry in &files {
        match entry {
            Entry::Dir(dir) => {
                if inside_bundle(dir, &bundle_dirs, false)
                    || bundle_dirs.contains(dir)
                    || !md_dirs.contains(dir)
                    || draft_dirs.iter().any(|d| dir.starts_with(d))
                {
                    continue;
                }
                let index = dir.join("_index.md");
                let parsed_index = parsed.remove(&index);
                if !drafts && parsed_index.as_ref().is_some_and(|p| p.front.draft) {
                    draft_dirs.push(dir.clone());
                    continue;
                }
                let parent = dir.parent().and_then(|p| section_of_dir.get(p).copied());
                if parent.is_none() && dir != Path::new(CONTENT_DIR) {
                    continue; // below a draft or bundle
                }
                let (front, body, body_line, source) = match parsed_index {
                    Some(p) => (p.front, p.body, p.body_line, index),
                    None if !errors.iter().any(|e| e.file == index) => {
                        let title = if dir == Path::new(CONTENT_DIR) {
                            String::new()
                        } else {
                            title_from_name(dir)
                        };
                        let front = FrontMatter {
                            title,
                            ..FrontMatter::default()
                        };
                        (front, String::new(), 1, dir.clone())
                    }
                    None => continue,
                };
                let sort_by = match front.extra_str("sort_by") {
                    None => None,
                    Some("date") => Some(SortBy::Date),
                    Some("weight") => Some(SortBy::Weight),
                    Some("title") => Some(SortBy::Title),
                    Some(other) => {
                        errors.push(
                            Diagnostic::new(
                                &source,
                                front.line_of("sort_by"),
                                1,
                                format!("unknown `sort_by: {other}`"),
                            )
                            .with_hint("use `sort_by: date` (newest first), `weight` or `title`"),
                        );
                        None
                    }
                };
                let sid = content.sections.len();
                let pid = content.pages.len();
                let path = match parent {
                    None => String::new(),
                    Some(ps) => format!(
                        "{}{}/",
                        content.pages[content.sections[ps].page].path,
                        slug_of(dir, &front)
                    ),
                };
                content.pages.push(Page {
                    id: pid,
                    kind: if parent.is_none() {
                        PageKind::Home
                    } else {
                        PageKind::Section(sid)
                    },
                    source,
                    path,
                    section: parent,
                    front,
                    body,
                    body_line,
                    assets: Vec::new(),
                    generated: None,
                });
                content.sections.push(Section {
                    id: sid,
                    page: pid,
                    parent,
                    pages: Vec::new(),
                    subsections: Vec::new(),
                    sort_by: sort_by.unwrap_or(SortBy::Date),
                });
                if let Some(ps) = parent {
                    content.sections[ps].subsections.push(sid);
                }
                section_of_dir.insert(dir.clone(), sid);
            }
            Entry::File(file) => {
                let Some(dir) = file.parent() else { continue };
                let is_md = file.extension().is_some_and(|x| x == "md");
                let name = file.file_name().unwrap_or_default();
                if let Some(bundle) = bundle_dirs.iter().find(|b| file.starts_with(b)) {
                    // A bundle's index.md is the page; everything else in it is an asset.
                    let Some(&sid) = bundle.parent().and_then(|p| section_of_dir.get(p)) else {
                        continue;
                    };
                    if file == &bundle.join("index.md") {
                        let Some(p) = parsed.remove(file) else {
                            continue;
                        };
                        if p.front.draft && !drafts {
                            continue;
                        }
                        let slug = slug_of(bundle, &p.front);
                        push_page(&mut content, sid, file.clone(), slug, p);
                    } else {
                        bundle_assets
                            .entry(bundle.clone())
                            .or_default()
                            .push(file.clone());
                    }
                    continue;
                }
                let sid = match section_of_dir.get(dir) {
                    Some(&sid) => sid,
                    // A file in a folder of files: an asset of the nearest section.
                    None if !md_dirs.contains(dir) && !is_md => {
                        let Some(sid) =
                            dir.ancestors().find_map(|a| section_of_dir.get(a).copied())
                        else {
                            continue;
                        };
                        let pid = content.sections[sid].page;
                        content.pages[pid].assets.push(file.clone());
                        continue;
                    }
                    None => continue,
                };
                if name == "_index.md" {
                    continue;
                }
                if is_md {
                    let Some(p) = parsed.remove(file) else {
                        continue;
                    };
                    if p.front.draft && !drafts {
                        continue;
                    }
                    let slug = slug_of(file, &p.front);
                    push_page(&mut content, sid, file.clone(), slug, p);
                } else {
                    // Images beside a section's _index.md belong to the section page.
                    let pid = content.sections[sid].page;
                    content.pages[pid].assets.push(file.clone());
                }
            }
        }
    }

    if content.pages.is_empty() || content.pages[0].kind != PageKind::Home {
        if errors.is_empty() {
            errors.push(Diagnostic::file(CONTENT_DIR, "the content folder is empty"));
        }
        return Err(errors);
    }

    for page in &mut content.pages {
        if page.source.ends_with("index.md") {
            if let Some(assets) = page.source.parent().and_then(|b| bundle_assets.remove(b)) {
                page.assets = assets;
            }
        }
    }
    sort_sections(&mut content);
    errors.extend(duplicate_urls(&content));
    if errors.is_empty() {
        Ok(content)
    } else {
        Err(errors)
    }
}

/// `_name.md` files (other than `_index.md`) are not pages: they hold Markdown that other
/// pages use, such as the body of generated factsheets.
pub fn is_partial(path: &Path) -> bool {
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    name.starts_with('_') && name != "_index.md"
}

enum Entry {
    Dir(PathBuf),
    File(PathBuf),
}

/// True for paths inside a bundle folder. For files, the bundle's own `index.md` does not
/// count; for folders, the bundle folder itself does not.
fn inside_bundle(path: &Path, bundles: &[PathBuf], files: bool) -> bool {
    bundles.iter().any(|b| {
        if files {
            path.starts_with(b) && path != b.join("index.md")
        } else {
            path.starts_with(b) && path != b
        }
    })
}

fn push_page(
    content: &mut Content,
    sid: SectionId,
    source: PathBuf,
    slug: String,
    p: frontmatter::Parsed,
) {
    let id = content.pages.len();
    let section_path = &content.pages[content.sections[sid].page].path;
    content.pages.push(Page {
        id,
        kind: PageKind::Regular,
        source,
        path: format!("{section_path}{slug}/"),
        section: Some(sid),
        front: p.front,
        body: p.body,
        body_line: p.body_line,
        assets: Vec::new(),
        generated: None,
    });
    content.sections[sid].pages.push(id);
}

/// URL segment for a file or folder: the `slug` front matter key, or the name without a
/// leading order number, folded to lowercase ASCII.
fn slug_of(path: &Path, front: &FrontMatter) -> String {
    if let Some(s) = &front.slug {
        return slugify(s);
    }
    let stem = path.file_stem().unwrap_or_default().to_string_lossy();
    slugify(strip_order_prefix(&stem))
}

fn strip_order_prefix(name: &str) -> &str {
    let digits = name.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && digits < name.len() {
        let rest = &name[digits..];
        if let Some(r) = rest.strip_prefix(['-', '_', '.', ' ']) {
            if !r.is_empty() {
                return r;
            }
        }
    }
    name
}

/// `Súdwest-Fryslân` -> `sudwest-fryslan`.
pub fn slugify(s: &str) -> String {
    slug::slugify(s)
}

fn title_from_name(dir: &Path) -> String {
    let name = dir.file_name().unwrap_or_default().to_string_lossy();
    let name = strip_order_prefix(&name).replace(['-', '_'], " ");
    let mut c = name.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn sort_sections(content: &mut Content) {
    let pages = &content.pages;
    for section in &mut content.sections {
        match section.sort_by {
            SortBy::Date => section.pages.sort_by(|&a, &b| {
                let (pa, pb) = (&pages[a], &pages[b]);
                pb.front
                    .date
                    .cmp(&pa.front.date)
                    .then(pa.source.cmp(&pb.source))
            }),
            SortBy::Weight => section.pages.sort_by(|&a, &b| {
                let (pa, pb) = (&pages[a], &pages[b]);
                let w = |p: &Page| p.front.weight.unwrap_or(i64::MAX);
                w(pa).cmp(&w(pb)).then(pa.source.cmp(&pb.source))
            }),
            SortBy::Title => section.pages.sort_by(|&a, &b| {
                let (pa, pb) = (&pages[a], &pages[b]);
                pa.front
                    .title
                    .to_lowercase()
                    .cmp(&pb.front.title.to_lowercase())
                    .then(pa.source.cmp(&pb.source))
            }),
        }
    }
}

/// Two pages at one address: the later would silently replace the earlier.
pub fn duplicate_urls(content: &Content) -> Vec<Diagnostic> {
    // A generated page is named by its source and its key, which tells pages of one
    // template apart.
    let name = |page: &Page| match &page.generated {
        Some(g) => format!(
            "{} (generated for {})",
            page.source.display(),
            g.key
                .iter()
                .map(|(k, v)| format!("{k} = {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        None => page.source.display().to_string(),
    };
    let mut seen: BTreeMap<&str, &Page> = BTreeMap::new();
    let mut errors = Vec::new();
    for page in &content.pages {
        if let Some(first) = seen.insert(&page.path, page) {
            let this = match &page.generated {
                Some(_) => format!("the page {}", name(page)),
                None => "this page".to_string(),
            };
            errors.push(
                Diagnostic::new(
                    &page.source,
                    1,
                    1,
                    format!(
                        "{this} and {} both want the URL `/{}`",
                        name(first),
                        page.path
                    ),
                )
                .with_hint("rename one of the files or give one a different `slug:`"),
            );
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_fold_diacritics_and_drop_order_numbers() {
        assert_eq!(slugify("Súdwest-Fryslân"), "sudwest-fryslan");
        assert_eq!(strip_order_prefix("01-inleiding"), "inleiding");
        assert_eq!(strip_order_prefix("2022"), "2022");
        assert_eq!(strip_order_prefix("3d-printen"), "3d-printen");
    }
}
