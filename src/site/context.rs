//! What templates see: plain serializable views of pages and sections.
//!
//! Each page's summary is converted to a template value once and shared (cheaply cloned) by
//! every listing that shows it.

use serde::Serialize;
use tera::Value;

use crate::content::{Content, Page, PageKind, Section};
use crate::markdown::Heading;

use super::links::{asset_path, ROOT};

/// A page as listings show it.
#[derive(Serialize)]
pub struct PageSummary<'a> {
    pub title: &'a str,
    /// Relative URL (with the root marker).
    pub url: String,
    /// Absolute URL, from `base_url`.
    pub permalink: String,
    /// Site path, `nieuws/a/`.
    pub path: &'a str,
    /// Source path inside `content/` without extension (`nieuws/a`), as authors refer to pages.
    pub content_path: String,
    pub kind: &'static str,
    pub date: Option<String>,
    pub summary: &'a str,
    pub tags: &'a [String],
    pub weight: Option<i64>,
    pub extra: &'a serde_yaml::Mapping,
    /// The section's site path.
    pub section: Option<&'a str>,
    pub assets: Vec<Asset>,
    /// Downloads named in the front matter (`attachments: [{file, title}]`), in that order.
    pub attachments: Vec<Asset>,
    /// The image named by `photo:` (portraits), if it exists.
    pub photo: Option<Asset>,
    /// The cover image of a report or publication (`cover:`), if it exists.
    pub cover: Option<Asset>,
    /// Per taxonomy key (`tags`, `category`), the page's terms with their addresses.
    pub terms: std::collections::BTreeMap<String, Vec<super::listings::TermLink>>,
    /// The PDF of a report or publication, when built with `--pdf`.
    pub pdf: Option<PdfView>,
    /// The picture a shared link shows (`og:image`).
    pub share_image: Option<ShareImage>,
}

/// An absolute image URL for link previews, with its alt text (empty when decorative).
#[derive(Debug, Clone, Serialize)]
pub struct ShareImage {
    pub url: String,
    pub alt: String,
    /// False for the square portrait crop, which previews as a thumbnail.
    pub large: bool,
}

#[derive(Serialize, Clone)]
pub struct Asset {
    /// Title to show: from the front matter, else the file name.
    pub title: String,
    pub name: String,
    pub url: String,
    pub size: u64,
    /// Upper-case file type for people: `PDF`, `XLSX`.
    pub kind: String,
    /// For the portrait photo: its square crop in several sizes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<crate::images::Picture>,
    /// For the portrait photo: the whole picture in several sizes, to show it large.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full: Option<crate::images::Picture>,
}

/// The files in the page's folder, as templates list them (`page.assets`).
fn page_assets(page: &Page, site_dir: &std::path::Path) -> Vec<Asset> {
    page.assets
        .iter()
        .map(|a| {
            let name = a
                .file_name()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            Asset {
                title: name.clone(),
                name,
                url: format!("{ROOT}{}", asset_path(page, a)),
                size: std::fs::metadata(site_dir.join(a))
                    .map(|m| m.len())
                    .unwrap_or(0),
                kind: a
                    .extension()
                    .map(|e| e.to_string_lossy().to_uppercase())
                    .unwrap_or_default(),
                image: None,
                full: None,
            }
        })
        .collect()
}

pub fn page_summary<'a>(
    page: &'a Page,
    content: &'a Content,
    base_url: &str,
    site_dir: &std::path::Path,
    taxonomies: &[crate::config::Taxonomy],
    images: &crate::images::Images,
) -> PageSummary<'a> {
    let assets = page_assets(page, site_dir);
    // The file of the page's folder that front matter `key` names.
    let named = |key: &str| {
        let file = page.front.extra_str(key)?;
        assets.iter().find(|a| a.name == file).cloned()
    };
    let mut summary = PageSummary {
        title: &page.front.title,
        url: format!("{ROOT}{}", page.path),
        permalink: format!("{base_url}{}", page.path),
        path: &page.path,
        content_path: content_path(page),
        kind: match page.kind {
            PageKind::Home => "home",
            PageKind::Section(_) => "section",
            PageKind::Regular => "page",
        },
        date: page
            .front
            .date
            .map(|d| d.format("%Y-%m-%dT%H:%M:%S").to_string()),
        summary: &page.front.summary,
        tags: &page.front.tags,
        weight: page.front.weight,
        extra: &page.front.extra,
        section: page
            .section
            .map(|s| content.pages[content.sections[s].page].path.as_str()),
        assets: assets.clone(),
        attachments: attachment_names(page)
            .into_iter()
            .filter_map(|(file, title)| {
                let mut a = assets.iter().find(|a| a.name == file)?.clone();
                if let Some(t) = title {
                    a.title = t;
                }
                Some(a)
            })
            .collect(),
        photo: named("photo").map(|a| Asset {
            image: images.photo(page),
            full: images.whole(page, "photo"),
            ..a
        }),
        cover: named("cover").map(|a| Asset {
            image: images.cover(page),
            ..a
        }),
        terms: taxonomies
            .iter()
            .map(|t| {
                let links = super::listings::page_terms(page, t)
                    .iter()
                    .map(|term| super::listings::term_link(t, term))
                    .collect();
                (t.key.clone(), links)
            })
            .collect(),
        pdf: None,
        share_image: None,
    };
    summary.share_image = share_image(&summary, page, base_url);
    summary
}

/// `image:` from the front matter, else the cover, else the portrait photo, else the first
/// photo or drawing of the page bundle. Link previews do not show SVG, so it is skipped.
fn share_image(s: &PageSummary, page: &Page, base_url: &str) -> Option<ShareImage> {
    let raster = |a: &&Asset| {
        let name = a.name.to_ascii_lowercase();
        [".jpg", ".jpeg", ".png", ".webp", ".gif"]
            .iter()
            .any(|e| name.ends_with(e))
    };
    let alt = |key: &str| page.front.extra_str(key).unwrap_or_default().to_string();
    let named = page
        .front
        .extra_str("image")
        .and_then(|f| s.assets.iter().find(|a| a.name == f));
    let (asset, alt, portrait) = if let Some(a) = named.filter(raster) {
        (a, alt("image_alt"), false)
    } else if let Some(a) = s.cover.as_ref().filter(raster) {
        (a, alt("cover_alt"), false)
    } else if let Some(a) = s.photo.as_ref().filter(raster) {
        let who = page.front.extra_str("name").unwrap_or_default();
        let alt = page.front.extra_str("photo_alt").unwrap_or(who).to_string();
        (a, alt, a.image.is_some())
    } else {
        (s.assets.iter().find(raster)?, String::new(), false)
    };
    // The largest variant bundel made, not a camera original of several megabytes.
    let url = asset.image.as_ref().map_or(&asset.url, |p| &p.src);
    Some(ShareImage {
        url: format!("{base_url}{}", url.strip_prefix(ROOT).unwrap_or(url)),
        alt,
        large: !portrait,
    })
}

/// `attachments:` from the front matter as (file, title) pairs; a plain list of file names
/// is accepted too.
pub fn attachment_names(page: &Page) -> Vec<(String, Option<String>)> {
    let Some(serde_yaml::Value::Sequence(items)) = page.front.extra.get("attachments") else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| match item {
            serde_yaml::Value::String(f) => Some((f.clone(), None)),
            serde_yaml::Value::Mapping(m) => Some((
                m.get("file")?.as_str()?.to_string(),
                m.get("title").and_then(|t| t.as_str()).map(str::to_string),
            )),
            _ => None,
        })
        .collect()
}

/// `content/nieuws/a.md` -> `nieuws/a`; `content/portretten/x/index.md` -> `portretten/x`.
pub fn content_path(page: &Page) -> String {
    let rel = page.source.strip_prefix("content").unwrap_or(&page.source);
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect();
    if let Some(last) = parts.last_mut() {
        if last == "_index.md" || last == "index.md" {
            parts.pop();
        } else if let Some(stem) = last.strip_suffix(".md") {
            *last = stem.to_string();
        }
    }
    parts.join("/")
}

/// The page being rendered: its summary plus its content.
#[derive(Serialize)]
pub struct PageView<'a> {
    #[serde(flatten)]
    pub summary: &'a Value,
    pub content: &'a str,
    pub toc: &'a [Heading],
    pub layout: &'a str,
    pub prev: Option<Value>,
    pub next: Option<Value>,
    /// Hand-written text of a generated page (HTML).
    pub commentary: Option<&'a str>,
}

/// A section with its pages and subsections.
#[derive(Serialize)]
pub struct SectionView<'a> {
    #[serde(flatten)]
    pub summary: &'a Value,
    pub pages: Vec<Value>,
    pub subsections: Vec<Value>,
    /// For a section of generated pages: a grid of them, first key down, last key across.
    pub generated: Option<GeneratedIndex>,
}

#[derive(Serialize)]
pub struct GeneratedIndex {
    /// Name of the key column down the side (`regio`) and across (`schooljaar`).
    pub row_key: String,
    pub column_key: String,
    /// Values across, sorted.
    pub columns: Vec<String>,
    pub rows: Vec<GeneratedRow>,
}

#[derive(Serialize)]
pub struct GeneratedRow {
    pub label: String,
    /// One cell per column; `None` where there is no page.
    pub cells: Vec<Option<Value>>,
}

/// The grid of a section's generated pages, for an index "by region and by year".
pub fn generated_index(
    section: &Section,
    content: &Content,
    summaries: &[Value],
) -> Option<GeneratedIndex> {
    let pages: Vec<&Page> = section
        .pages
        .iter()
        .map(|&p| &content.pages[p])
        .filter(|p| p.generated.is_some())
        .collect();
    let first = pages.first()?.generated.as_ref()?;
    let row_key = first.key.first()?.0.clone();
    let column_key = first.key.last()?.0.clone();
    let mut columns: Vec<String> = pages
        .iter()
        .filter_map(|p| p.generated.as_ref()?.key.last().map(|(_, v)| v.clone()))
        .collect();
    columns.sort();
    columns.dedup();
    let mut labels: Vec<String> = pages
        .iter()
        .filter_map(|p| p.generated.as_ref()?.key.first().map(|(_, v)| v.clone()))
        .collect();
    labels.sort_by_key(|l| l.to_lowercase());
    labels.dedup();
    let rows = labels
        .into_iter()
        .map(|label| {
            let cells = columns
                .iter()
                .map(|col| {
                    pages
                        .iter()
                        .find(|p| {
                            let k = &p.generated.as_ref().expect("generated").key;
                            k.first().map(|(_, v)| v) == Some(&label)
                                && k.last().map(|(_, v)| v) == Some(col)
                        })
                        .map(|p| summaries[p.id].clone())
                })
                .collect();
            GeneratedRow { label, cells }
        })
        .collect();
    Some(GeneratedIndex {
        row_key,
        column_key,
        columns,
        rows,
    })
}

pub fn section_view<'a>(section: &Section, summaries: &'a [Value]) -> SectionView<'a> {
    SectionView {
        summary: &summaries[section.page],
        pages: section
            .pages
            .iter()
            .map(|&p| summaries[p].clone())
            .collect(),
        subsections: Vec::new(),
        generated: None,
    }
}

/// A download of a page or document as PDF: its address and size, for "PDF, 1,2 MB".
#[derive(Serialize, Clone)]
pub struct PdfView {
    pub url: String,
    pub size: u64,
    pub kind: &'static str,
}
