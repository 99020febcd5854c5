//! Long documents: reports and publications.
//!
//! A report is a section whose `_index.md` says `type: report`; its pages are its chapters,
//! numbered 1, 2, 3 in section order. A publication (`type: publication`) bundles pages that
//! already exist elsewhere, listed by content path under `pages:`, behind a cover.
//!
//! Both are rendered as one document: parts share heading ids and footnote numbers, so the
//! "whole document on one page" view (the source of the PDF) has unique ids and continuous
//! notes. Every page that is not part of such a document is a document of its own.

use std::collections::HashMap;

use serde::Serialize;
use tera::Value;

use crate::content::{Content, PageId};
use crate::diagnostic::Diagnostic;
use crate::markdown::Heading;

use super::context::{content_path, PdfView};
use super::links::ROOT;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Report,
    Publication,
    /// An ordinary page.
    Single,
}

#[derive(Debug, Clone)]
pub struct Document {
    pub kind: Kind,
    /// The section page of a report or publication; the page itself for a single page.
    pub index: PageId,
    /// Chapters of a report, bundled pages of a publication (without the index).
    pub parts: Vec<PageId>,
}

impl Document {
    /// Index first, then the parts: the order in which they are rendered and numbered.
    pub fn pages(&self) -> impl Iterator<Item = PageId> + '_ {
        std::iter::once(self.index).chain(self.parts.iter().copied())
    }

    /// Chapter number of a page in this document (reports only).
    pub fn chapter_of(&self, page: PageId) -> Option<u32> {
        if self.kind != Kind::Report {
            return None;
        }
        self.parts
            .iter()
            .position(|&p| p == page)
            .map(|i| i as u32 + 1)
    }

    pub fn is_long(&self) -> bool {
        self.kind != Kind::Single
    }

    /// Site path of the one-page view.
    pub fn print_path(&self, content: &Content) -> String {
        format!("{}print/", content.pages[self.index].path)
    }

    /// Site path of the PDF: the document's folder name plus `.pdf`, beside its page.
    pub fn pdf_path(&self, content: &Content) -> String {
        let path = &content.pages[self.index].path;
        let name = path
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("document");
        format!("{path}{name}.pdf")
    }

    /// Whether the front matter asks for a PDF (`pdf: true`).
    pub fn wants_pdf(&self, content: &Content) -> bool {
        self.is_long()
            && matches!(
                content.pages[self.index].front.extra.get("pdf"),
                Some(serde_yaml::Value::Bool(true))
            )
    }
}

/// Finds every report and publication; all other pages become single-page documents.
/// A page belongs to at most one long document: the first that claims it.
pub fn find(content: &Content) -> (Vec<Document>, Vec<Diagnostic>) {
    let mut claimed = vec![false; content.pages.len()];
    let mut docs = Vec::new();
    let mut errors = Vec::new();
    let by_path: HashMap<String, PageId> = content
        .pages
        .iter()
        .flat_map(|p| {
            [
                (content_path(p), p.id),
                (p.path.trim_end_matches('/').to_string(), p.id),
            ]
        })
        .collect();

    for section in &content.sections {
        let index = &content.pages[section.page];
        let kind = match index.front.extra_str("type") {
            Some("report") => Kind::Report,
            Some("publication") => Kind::Publication,
            Some(other) => {
                errors.push(
                    Diagnostic::new(&index.source, index.front.line_of("type"), 1, format!("unknown `type: {other}`"))
                        .with_hint("use `type: report` for a report with chapters or `type: publication` for a bundle of pages"),
                );
                continue;
            }
            None => continue,
        };
        let parts: Vec<PageId> = match kind {
            Kind::Report => section.pages.clone(),
            _ => match publication_parts(content, section.page, &by_path, &mut errors) {
                Some(parts) => parts,
                None => continue,
            },
        };
        let parts: Vec<PageId> = parts.into_iter().filter(|&p| !claimed[p]).collect();
        claimed[section.page] = true;
        for &p in &parts {
            claimed[p] = true;
        }
        docs.push(Document {
            kind,
            index: section.page,
            parts,
        });
    }
    for page in &content.pages {
        if !claimed[page.id] {
            docs.push(Document {
                kind: Kind::Single,
                index: page.id,
                parts: Vec::new(),
            });
        }
    }
    (docs, errors)
}

/// The pages a publication bundles (`pages:`), in order; `None` when it lists none. Entries
/// that name no page are errors at their line.
fn publication_parts(
    content: &Content,
    index_id: PageId,
    by_path: &HashMap<String, PageId>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Vec<PageId>> {
    let index = &content.pages[index_id];
    let listed = match index.front.extra.get("pages") {
        Some(serde_yaml::Value::Sequence(items)) => items.clone(),
        Some(_) | None => {
            errors.push(
                Diagnostic::new(&index.source, index.front.line_of("pages"), 1, "a publication needs `pages:`, the list of pages it bundles")
                    .with_hint("list them by path, in order: `pages: [publicaties/x/inleiding, portretten/marieke-de-wit]`"),
            );
            return None;
        }
    };
    let mut parts = Vec::new();
    for item in listed {
        let Some(path) = item.as_str() else { continue };
        let key = path
            .trim()
            .trim_matches('/')
            .trim_end_matches(".md")
            .trim_end_matches("/index")
            .trim_end_matches("/_index");
        match by_path.get(key) {
            Some(&p) if p != index_id => parts.push(p),
            _ => {
                let known = content.pages.iter().map(content_path).collect::<Vec<_>>();
                let close = crate::data::suggest(key, known.iter().map(String::as_str));
                let hint = match close.first() {
                    Some(c) => format!("did you mean `{c}`?"),
                    None => {
                        "give the path of the page's file inside content/, without .md".to_string()
                    }
                };
                let line = line_of_item(&index.front.source, path)
                    .map(|l| l + 1)
                    .unwrap_or_else(|| index.front.line_of("pages"));
                errors.push(
                    Diagnostic::new(
                        &index.source,
                        line,
                        1,
                        format!("`pages` lists `{path}`, which is not a page of this site"),
                    )
                    .with_hint(hint),
                );
            }
        }
    }
    Some(parts)
}

fn line_of_item(yaml: &str, item: &str) -> Option<usize> {
    yaml.lines().position(|l| l.contains(item)).map(|i| i + 1)
}

/// A chapter or bundled page as templates see it.
#[derive(Serialize)]
pub struct PartView {
    pub number: Option<u32>,
    /// Anchor of the part in the one-page view.
    pub anchor: String,
    pub page: Value,
    pub toc: Vec<Heading>,
    /// The `##` headings only, for tables of contents.
    pub sections: Vec<Heading>,
}

/// A report or publication as templates see it (`document`).
#[derive(Serialize)]
pub struct DocumentView {
    pub kind: Kind,
    pub page: Value,
    pub parts: Vec<PartView>,
    pub print_url: String,
    pub pdf: Option<PdfView>,
}

pub fn anchor(doc: &Document, page: PageId) -> String {
    match doc.parts.iter().position(|&p| p == page) {
        Some(i) if doc.kind == Kind::Report => format!("hoofdstuk-{}", i + 1),
        Some(i) => format!("deel-{}", i + 1),
        None => "voorwerk".to_string(),
    }
}

pub fn view(
    doc: &Document,
    content: &Content,
    summaries: &[Value],
    tocs: &[Vec<Heading>],
    pdf: Option<PdfView>,
) -> DocumentView {
    DocumentView {
        kind: doc.kind,
        page: summaries[doc.index].clone(),
        parts: doc
            .parts
            .iter()
            .map(|&p| PartView {
                number: doc.chapter_of(p),
                anchor: anchor(doc, p),
                page: summaries[p].clone(),
                toc: tocs[p].clone(),
                sections: tocs[p].iter().filter(|h| h.level == 2).cloned().collect(),
            })
            .collect(),
        print_url: format!("{ROOT}{}", doc.print_path(content)),
        pdf,
    }
}

/// Rewrites links between the parts of a document into links within the one-page view:
/// `ROOT + chapter path + #x` becomes `#x`, a link to a chapter itself its anchor.
pub fn localize_links(html: &str, doc: &Document, content: &Content) -> String {
    let mut out = html.to_string();
    for p in doc.pages() {
        let path = &content.pages[p].path;
        for prefix in [format!("{ROOT}{path}"), format!("%EE%80%80{path}")] {
            if !out.contains(&prefix) {
                continue;
            }
            out = out.replace(&format!("{prefix}#"), "#");
            out = out.replace(&format!("{prefix}\""), &format!("#{}\"", anchor(doc, p)));
        }
    }
    out
}

/// Shifts headings one level down (`h2` -> `h3`): in a one-page view the document title is
/// the `h1` and each part's title an `h2`.
pub fn demote_headings(html: &str) -> String {
    let mut out = html.to_string();
    for level in (2..=5).rev() {
        out = out
            .replace(&format!("<h{level}"), &format!("<h{}", level + 1))
            .replace(&format!("</h{level}>"), &format!("</h{}>", level + 1));
    }
    out
}
