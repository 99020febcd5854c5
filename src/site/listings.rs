//! Pages that list other pages and have no source file of their own: further pages of a
//! paginated section (`nieuws/pagina/2/`), taxonomy overviews and term pages
//! (`onderwerpen/`, `onderwerpen/cijfers/`), and yearly archives (`nieuws/archief/2022/`).

use std::collections::BTreeMap;

use chrono::Datelike;
use serde::Serialize;
use tera::Value;

use crate::config::{SiteConfig, Taxonomy};
use crate::content::{slugify, Content, PageId, SectionId};
use crate::locale::Lang;

use super::links::ROOT;

#[derive(Debug, Clone)]
pub enum Kind {
    /// Page `n` (1-based) of a paginated section; page 1 is the section page itself.
    SectionPage { section: SectionId, number: usize },
    /// All terms of a taxonomy.
    Taxonomy { taxonomy: usize },
    /// The pages with one term.
    Term { taxonomy: usize, term: String },
    /// A section's pages of one year; `None` is the archive's overview of years.
    Archive {
        section: SectionId,
        year: Option<i32>,
    },
}

#[derive(Debug, Clone)]
pub struct Listing {
    pub kind: Kind,
    pub path: String,
    pub title: String,
    /// The pages listed here, newest first (for a section page: its slice).
    pub pages: Vec<PageId>,
    pub pager: Option<Pager>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Pager {
    pub current: usize,
    pub total: usize,
    /// Site paths of every page of the listing, in order.
    pub paths: Vec<String>,
}

/// Term pages list this many pages each; more go to `.../pagina/2/`.
pub const TERM_PAGE_SIZE: usize = 20;

/// URL words per language.
fn words(lang: Lang) -> (&'static str, &'static str) {
    match lang {
        Lang::Nl => ("pagina", "archief"),
        Lang::En => ("page", "archive"),
    }
}

/// Every listing page of the site, in a stable order.
pub fn plan(content: &Content, config: &SiteConfig) -> Vec<Listing> {
    let lang = config.lang();
    let (page_word, archive_word) = words(lang);
    let mut out = Vec::new();
    section_pages(content, page_word, &mut out);
    taxonomy_pages(content, config, page_word, &mut out);
    archive_pages(content, lang, archive_word, &mut out);
    out
}

/// Paginated sections: `paginate: 10` in the section's _index.md.
fn section_pages(content: &Content, page_word: &str, out: &mut Vec<Listing>) {
    for section in &content.sections {
        let index = &content.pages[section.page];
        let Some(size) = index
            .front
            .extra
            .get("paginate")
            .and_then(|v| v.as_u64())
            .filter(|&n| n > 0)
        else {
            continue;
        };
        let chunks: Vec<Vec<PageId>> = section
            .pages
            .chunks(size as usize)
            .map(|c| c.to_vec())
            .collect();
        let total = chunks.len().max(1);
        let paths: Vec<String> = (1..=total)
            .map(|n| {
                if n == 1 {
                    index.path.clone()
                } else {
                    format!("{}{page_word}/{n}/", index.path)
                }
            })
            .collect();
        for (i, pages) in chunks.into_iter().enumerate() {
            out.push(Listing {
                kind: Kind::SectionPage {
                    section: section.id,
                    number: i + 1,
                },
                path: paths[i].clone(),
                title: index.front.title.clone(),
                pages,
                pager: Some(Pager {
                    current: i + 1,
                    total,
                    paths: paths.clone(),
                }),
            });
        }
    }
}

/// Taxonomies: every term used in front matter gets a page.
fn taxonomy_pages(content: &Content, config: &SiteConfig, page_word: &str, out: &mut Vec<Listing>) {
    for (t, tax) in config.taxonomies().iter().enumerate() {
        let terms = terms(content, tax);
        if terms.is_empty() {
            continue;
        }
        out.push(Listing {
            kind: Kind::Taxonomy { taxonomy: t },
            path: format!("{}/", tax.path),
            title: tax.title.clone(),
            pages: Vec::new(),
            pager: None,
        });
        for (term, pages) in terms {
            let base = format!("{}/{}/", tax.path, slugify(&term));
            let chunks: Vec<&[PageId]> = pages.chunks(TERM_PAGE_SIZE).collect();
            let paths: Vec<String> = (1..=chunks.len())
                .map(|n| {
                    if n == 1 {
                        base.clone()
                    } else {
                        format!("{base}{page_word}/{n}/")
                    }
                })
                .collect();
            for (i, chunk) in chunks.iter().enumerate() {
                out.push(Listing {
                    kind: Kind::Term {
                        taxonomy: t,
                        term: term.clone(),
                    },
                    path: paths[i].clone(),
                    title: term.clone(),
                    pages: chunk.to_vec(),
                    pager: (chunks.len() > 1).then(|| Pager {
                        current: i + 1,
                        total: chunks.len(),
                        paths: paths.clone(),
                    }),
                });
            }
        }
    }
}

/// Yearly archives: `archive: true` in a section's _index.md.
fn archive_pages(content: &Content, lang: Lang, archive_word: &str, out: &mut Vec<Listing>) {
    for section in &content.sections {
        let index = &content.pages[section.page];
        if !matches!(
            index.front.extra.get("archive"),
            Some(serde_yaml::Value::Bool(true))
        ) {
            continue;
        }
        let mut years: BTreeMap<i32, Vec<PageId>> = BTreeMap::new();
        for &p in &section.pages {
            if let Some(d) = content.pages[p].front.date {
                years.entry(d.year()).or_default().push(p);
            }
        }
        let base = format!("{}{archive_word}/", index.path);
        out.push(Listing {
            kind: Kind::Archive {
                section: section.id,
                year: None,
            },
            path: base.clone(),
            title: format!("{} – {}", index.front.title, archive_title(lang)),
            pages: Vec::new(),
            pager: None,
        });
        for (year, pages) in years.into_iter().rev() {
            out.push(Listing {
                kind: Kind::Archive {
                    section: section.id,
                    year: Some(year),
                },
                path: format!("{base}{year}/"),
                title: format!("{} {year}", index.front.title),
                pages,
                pager: None,
            });
        }
    }
}

fn archive_title(lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => "archief",
        Lang::En => "archive",
    }
}

/// Term -> pages with it (newest first), for one taxonomy; sorted by term.
pub fn terms(content: &Content, tax: &Taxonomy) -> BTreeMap<String, Vec<PageId>> {
    // Spellings that share an address ("Met gebundelde kracht", "met-gebundelde-kracht")
    // are one term, shown as most pages write it.
    let mut by_slug: BTreeMap<String, BTreeMap<String, Vec<PageId>>> = BTreeMap::new();
    for page in content.pages.iter().filter(|p| !p.is_section()) {
        for term in page_terms(page, tax) {
            by_slug
                .entry(slugify(&term))
                .or_default()
                .entry(term)
                .or_default()
                .push(page.id);
        }
    }
    let mut out: BTreeMap<String, Vec<PageId>> = BTreeMap::new();
    for spellings in by_slug.into_values() {
        let name = spellings
            .iter()
            .max_by(|a, b| a.1.len().cmp(&b.1.len()).then(b.0.cmp(a.0)))
            .map(|(n, _)| n.clone())
            .unwrap_or_default();
        let mut pages: Vec<PageId> = spellings.into_values().flatten().collect();
        pages.dedup();
        out.insert(name, pages);
    }
    for pages in out.values_mut() {
        pages.sort_by(|&a, &b| {
            let (pa, pb) = (&content.pages[a], &content.pages[b]);
            pb.front
                .date
                .cmp(&pa.front.date)
                .then(pa.source.cmp(&pb.source))
        });
    }
    out
}

/// The terms a page has in a taxonomy: `tags` is a list; other keys may be one value or a list.
/// Empty terms (`category: ""`) are left out: they would have no address.
pub fn page_terms(page: &crate::content::Page, tax: &Taxonomy) -> Vec<String> {
    let terms: Vec<String> = if tax.key == "tags" {
        page.front.tags.clone()
    } else {
        match page.front.extra.get(tax.key.as_str()) {
            Some(serde_yaml::Value::String(s)) => vec![s.clone()],
            Some(serde_yaml::Value::Sequence(items)) => items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
            _ => Vec::new(),
        }
    };
    terms
        .into_iter()
        .filter(|t| !slugify(t).is_empty())
        .collect()
}

/// A term with its address, for templates (`page.terms.tags`).
#[derive(Serialize, Clone)]
pub struct TermLink {
    pub name: String,
    pub url: String,
}

pub fn term_link(tax: &Taxonomy, term: &str) -> TermLink {
    TermLink {
        name: term.to_string(),
        url: format!("{ROOT}{}/{}/", tax.path, slugify(term)),
    }
}

/// The pager as templates see it: numbered links and previous/next.
#[derive(Serialize)]
pub struct PagerView {
    pub current: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PagerLink>,
}

#[derive(Serialize)]
pub struct PagerLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
}

pub fn pager_view(p: &Pager) -> PagerView {
    let url = |i: usize| format!("{ROOT}{}", p.paths[i]);
    PagerView {
        current: p.current,
        total: p.total,
        prev: (p.current > 1).then(|| url(p.current - 2)),
        next: (p.current < p.total).then(|| url(p.current)),
        pages: (0..p.total)
            .map(|i| PagerLink {
                number: i + 1,
                url: url(i),
                current: i + 1 == p.current,
            })
            .collect(),
    }
}

/// The values templates get for one listing: `listing.pages` plus what kind it is.
#[derive(Serialize)]
pub struct ListingView {
    pub kind: &'static str,
    pub title: String,
    pub pages: Vec<Value>,
    pub pager: Option<PagerView>,
    /// For a taxonomy overview: its terms with counts.
    pub terms: Vec<TermCount>,
    /// For an archive overview: its years.
    pub years: Vec<YearLink>,
}

#[derive(Serialize)]
pub struct TermCount {
    pub name: String,
    pub url: String,
    pub count: usize,
}

#[derive(Serialize)]
pub struct YearLink {
    pub year: i32,
    pub url: String,
    pub count: usize,
}

pub fn view(
    listing: &Listing,
    all: &[Listing],
    content: &Content,
    config: &SiteConfig,
    summaries: &[Value],
) -> ListingView {
    let taxonomies = config.taxonomies();
    let (kind, terms, years) = match &listing.kind {
        Kind::SectionPage { .. } => ("section", Vec::new(), Vec::new()),
        Kind::Term { .. } => ("term", Vec::new(), Vec::new()),
        Kind::Taxonomy { taxonomy } => {
            let tax = &taxonomies[*taxonomy];
            let mut terms: Vec<TermCount> = terms(content, tax)
                .into_iter()
                .map(|(name, pages)| TermCount {
                    url: term_link(tax, &name).url,
                    name,
                    count: pages.len(),
                })
                .collect();
            // Alphabetical as readers expect it, not capitals first.
            terms.sort_by_key(|t| t.name.to_lowercase());
            ("taxonomy", terms, Vec::new())
        }
        Kind::Archive {
            section,
            year: None,
        } => {
            let years = all
                .iter()
                .filter_map(|l| match &l.kind {
                    Kind::Archive {
                        section: s,
                        year: Some(y),
                    } if s == section => Some(YearLink {
                        year: *y,
                        url: format!("{ROOT}{}", l.path),
                        count: l.pages.len(),
                    }),
                    _ => None,
                })
                .collect();
            ("archive", Vec::new(), years)
        }
        Kind::Archive { .. } => ("archive-year", Vec::new(), Vec::new()),
    };
    ListingView {
        kind,
        title: listing.title.clone(),
        pages: listing
            .pages
            .iter()
            .map(|&p| summaries[p].clone())
            .collect(),
        pager: listing.pager.as_ref().map(pager_view),
        terms,
        years,
    }
}
