//! From a problem in a generated page back to what the author wrote.
//!
//! A link in a page comes from the page's Markdown, its front matter, a template or
//! `site.yaml` (the menu). The page's Markdown links are rendered the way the build renders
//! them (through the same [`LinkIndex`]), so a URL in the HTML is matched exactly to the
//! Markdown link that produced it, with its line and column. Anything else is searched for
//! as text in the templates and `site.yaml`.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use pulldown_cmark::{Event, Options as CmarkOptions, Parser, Tag};

use crate::content::{Content, Page};
use crate::diagnostic::line_col;
use crate::site::links::{relativize, root_for, LinkIndex};
use crate::url::percent_decode;

/// A link or image written in a page's Markdown.
#[derive(Debug, Clone)]
pub struct MdLink {
    /// The destination as written (`../cijfers.md#tabel`).
    pub written: String,
    /// As it appears in the generated page, percent-decoded.
    pub rendered: String,
    pub image: bool,
    /// `![](x.png)`: an image with nothing between the brackets.
    pub empty_text: bool,
    pub line: usize,
    pub col: usize,
}

/// Where a problem was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// In the Markdown of the page: what the author wrote, and where.
    Markdown {
        file: PathBuf,
        line: usize,
        col: usize,
        written: String,
        empty_text: bool,
    },
    /// In a template or `site.yaml`: the same problem shows on many pages.
    Shared {
        file: PathBuf,
        line: usize,
        col: usize,
        written: String,
    },
    /// Found on this page, but not found as text anywhere.
    Page { file: PathBuf },
}

pub struct SourceMap<'a> {
    /// Output key (`nieuws/a/index.html`) -> page.
    pages: HashMap<String, &'a Page>,
    links: LinkIndex,
    /// (file for messages, text): templates first, then `site.yaml`.
    texts: Vec<(PathBuf, String)>,
    /// The 404 page's template, for problems on it.
    not_found_template: Option<PathBuf>,
    /// Markdown links per page, worked out on first use.
    md: HashMap<String, OnceLock<Vec<MdLink>>>,
}

impl<'a> SourceMap<'a> {
    pub fn new(
        content: &'a Content,
        templates: Vec<(PathBuf, String)>,
        config: Option<(PathBuf, String)>,
    ) -> SourceMap<'a> {
        let pages: HashMap<String, &Page> = content
            .pages
            .iter()
            .map(|p| (format!("{}index.html", p.path), p))
            .collect();
        let md = pages.keys().map(|k| (k.clone(), OnceLock::new())).collect();
        let not_found_template = templates
            .iter()
            .find(|(f, _)| f.file_name().is_some_and(|n| n == "404.html"))
            .map(|(f, _)| f.clone());
        let mut texts = Vec::new();
        // The menu is the likelier source of a site-wide link than a template's literal text.
        texts.extend(config);
        texts.extend(templates);
        SourceMap {
            pages,
            links: LinkIndex::new(content),
            texts,
            not_found_template,
            md,
        }
    }

    pub fn page(&self, key: &str) -> Option<&'a Page> {
        self.pages.get(key).copied()
    }

    /// The file to name for a problem on the generated file `key`.
    pub fn file_of(&self, key: &str) -> PathBuf {
        match self.pages.get(key) {
            Some(p) => p.source.clone(),
            None if key == "404.html" => self
                .not_found_template
                .clone()
                .unwrap_or_else(|| PathBuf::from(key)),
            None => PathBuf::from(key),
        }
    }

    /// Where the URL `value` on the generated page `key` was written; `nth` counts earlier
    /// occurrences of the same URL on that page, so repeated links map to successive lines.
    /// `site_path` is where it leads, relative to the site root, for the text search.
    pub fn locate(
        &self,
        key: &str,
        value: &str,
        image: bool,
        nth: usize,
        site_path: Option<&str>,
    ) -> Origin {
        let decoded = percent_decode(value);
        if let Some(page) = self.page(key) {
            let md = self.md[key].get_or_init(|| markdown_links(page, &self.links));
            let matches: Vec<&MdLink> = md
                .iter()
                .filter(|l| l.rendered == decoded && l.image == image)
                .collect();
            if let Some(l) = matches.get(nth).or(matches.last()) {
                return Origin::Markdown {
                    file: page.source.clone(),
                    line: l.line,
                    col: l.col,
                    written: l.written.clone(),
                    empty_text: l.empty_text,
                };
            }
            // A value written literally in the front matter (an `image:` or `link:` field).
            if let Some(pos) = page.front.source.find(value) {
                let (line, col) = line_col(&page.front.source, pos);
                return Origin::Markdown {
                    file: page.source.clone(),
                    line: line + 1,
                    col,
                    written: value.to_string(),
                    empty_text: false,
                };
            }
        }
        for needle in needles(value, site_path) {
            for (file, text) in &self.texts {
                if let Some(pos) = text.find(&needle) {
                    let (line, col) = line_col(text, pos);
                    return Origin::Shared {
                        file: file.clone(),
                        line,
                        col,
                        written: needle,
                    };
                }
            }
        }
        Origin::Page {
            file: self.file_of(key),
        }
    }
}

/// Text to look for in templates and `site.yaml`: the value itself, and the site path
/// the way templates write it (`{{ root }}css/x.css`) and the menu does (`/over-ons/`).
fn needles(value: &str, site_path: Option<&str>) -> Vec<String> {
    let mut out = vec![value.to_string()];
    if let Some(p) = site_path.filter(|p| p.len() > 1) {
        out.push(format!("/{p}"));
        out.push(p.to_string());
    }
    out.retain(|n| !n.is_empty() && n != "/");
    out
}

/// Every link and image in the page's Markdown, rendered as the build renders it. For a
/// page generated from data with a hand-written commentary, that is the commentary: the
/// body is the section's shared template then.
fn markdown_links(page: &Page, links: &LinkIndex) -> Vec<MdLink> {
    let commentary = page.generated.as_ref().and_then(|g| g.commentary.as_ref());
    let (text, body_line) = match commentary {
        Some(c) => (c.body.as_str(), c.body_line),
        None => (page.body.as_str(), page.body_line),
    };
    let from_dir = page.source_dir();
    let root = root_for(&page.path);
    let options = CmarkOptions::ENABLE_TABLES
        | CmarkOptions::ENABLE_FOOTNOTES
        | CmarkOptions::ENABLE_STRIKETHROUGH
        | CmarkOptions::ENABLE_HEADING_ATTRIBUTES;
    let mut out = Vec::new();
    let at = |offset: usize| {
        let (l, c) = line_col(text, offset);
        (l + body_line - 1, c)
    };
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        let image = matches!(event, Event::Start(Tag::Image { .. }));
        match event {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                let dest = dest_url.to_string();
                let rendered = match links.resolve(&dest, &from_dir) {
                    Ok(r) => percent_decode(&relativize(&r, &root)),
                    Err(_) => percent_decode(&dest),
                };
                // Point at the destination itself when it is written inline.
                let src = &text[range.clone()];
                let offset = src
                    .rfind(&format!("({dest}"))
                    .map(|i| range.start + i + 1)
                    .unwrap_or(range.start);
                let (line, col) = at(offset);
                let empty_text = image && src.starts_with("![]");
                out.push(MdLink {
                    written: dest,
                    rendered,
                    image,
                    empty_text,
                    line,
                    col,
                });
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                // Raw HTML is copied as it is: its URLs appear unchanged in the page.
                for (attr_offset, value, is_img) in html_urls(&html) {
                    let src = &text[range.clone()];
                    let offset = src
                        .find(value.as_str())
                        .map(|i| range.start + i)
                        .unwrap_or(range.start + attr_offset.min(range.len()));
                    let (line, col) = at(offset);
                    out.push(MdLink {
                        written: value.clone(),
                        rendered: percent_decode(&value),
                        image: is_img,
                        empty_text: false,
                        line,
                        col,
                    });
                }
            }
            _ => {}
        }
    }
    out
}

/// `href`/`src` values in a piece of raw HTML, with their offset and whether they are images.
fn html_urls(html: &str) -> Vec<(usize, String, bool)> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    for attr in ["href=", "src="] {
        let mut from = 0;
        while let Some(i) = lower[from..].find(attr) {
            let start = from + i;
            from = start + attr.len();
            // `data-src=` or `xsrc=` are other attributes.
            if start > 0 && !lower.as_bytes()[start - 1].is_ascii_whitespace() {
                continue;
            }
            let rest = &html[from..];
            let (value, len) = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => match rest[1..].find(q) {
                    Some(end) => (&rest[1..1 + end], end + 2),
                    None => continue,
                },
                _ => {
                    let end = rest
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .unwrap_or(rest.len());
                    (&rest[..end], end)
                }
            };
            let tag_start = lower[..start].rfind('<').unwrap_or(0);
            let image =
                lower[tag_start..].starts_with("<img") || lower[tag_start..].starts_with("<source");
            out.push((from, value.to_string(), image));
            from += len;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_urls_in_raw_html() {
        let found = html_urls(r#"<p><img src="a.png" data-src="no.png"> <a href='b/'>b</a></p>"#);
        let values: Vec<(&str, bool)> = found.iter().map(|(_, v, i)| (v.as_str(), *i)).collect();
        assert_eq!(values, [("b/", false), ("a.png", true)]);
    }
}
