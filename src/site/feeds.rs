//! Files for machines: Atom feeds (RFC 4287) for dated sections and categories, the
//! sitemap and robots.txt. Every URL in them is absolute, built from `base_url`.

use atom_syndication::{Content as AtomContent, Entry, Feed, Link, Person, Text};
use chrono::{FixedOffset, NaiveDateTime, TimeZone};

use crate::config::SiteConfig;
use crate::content::{self, Content, PageId, PageKind};

use super::links::relativize;
use super::listings;

/// A feed to write: where, its title, the page it belongs to, and its entries.
pub struct FeedSpec {
    /// Site path of the feed file (`nieuws/atom.xml`).
    pub path: String,
    pub title: String,
    /// Site path of the page the feed mirrors (`nieuws/`).
    pub page_path: String,
    pub pages: Vec<PageId>,
}

/// Feed entries are limited to the newest ones, as readers expect.
pub const FEED_ENTRIES: usize = 20;

fn datetime(d: NaiveDateTime) -> chrono::DateTime<FixedOffset> {
    // Dates in front matter have no zone; the sites are Dutch, but a fixed UTC offset keeps
    // builds reproducible wherever they run.
    FixedOffset::east_opt(0).expect("UTC").from_utc_datetime(&d)
}

/// Renders one Atom feed. `html` gives a page's rendered content (with root markers).
pub fn atom(
    spec: &FeedSpec,
    content: &Content,
    config: &SiteConfig,
    html: &dyn Fn(PageId) -> String,
) -> String {
    let base = config.base_url();
    let pages: Vec<PageId> = spec
        .pages
        .iter()
        .copied()
        .filter(|&p| content.pages[p].front.date.is_some())
        .take(FEED_ENTRIES)
        .collect();
    let updated = pages
        .iter()
        .filter_map(|&p| content.pages[p].front.date)
        .max()
        .map(datetime)
        .unwrap_or_else(|| datetime(NaiveDateTime::default()));
    let author = Person {
        name: if config.organisation.name.is_empty() {
            config.title.clone()
        } else {
            config.organisation.name.clone()
        },
        email: (!config.organisation.email.is_empty()).then(|| config.organisation.email.clone()),
        uri: None,
        ..Person::default()
    };
    let entries: Vec<Entry> = pages
        .iter()
        .map(|&p| {
            let page = &content.pages[p];
            let url = format!("{base}{}", page.path);
            let date = datetime(page.front.date.expect("dated"));
            let mut entry = Entry::default();
            entry.set_id(url.clone());
            entry.set_title(Text::plain(page.front.title.clone()));
            entry.set_updated(date);
            entry.set_published(Some(date));
            entry.set_links(vec![link(&url, "alternate", Some("text/html"))]);
            if let Some(a) = page.front.extra_str("author") {
                entry.set_authors(vec![Person {
                    name: a.to_string(),
                    ..Person::default()
                }]);
            }
            if !page.front.summary.is_empty() {
                entry.set_summary(Some(Text::plain(page.front.summary.clone())));
            }
            let mut c = AtomContent::default();
            c.set_content_type(Some("html".to_string()));
            c.set_value(Some(relativize(&html(p), &base)));
            entry.set_content(Some(c));
            entry
        })
        .collect();
    let mut feed = Feed::default();
    feed.set_id(format!("{base}{}", spec.path));
    feed.set_title(Text::plain(format!("{} – {}", spec.title, config.title)));
    feed.set_updated(updated);
    feed.set_authors(vec![author]);
    feed.set_lang(Some(config.language.clone()));
    feed.set_links(vec![
        link(
            &format!("{base}{}", spec.path),
            "self",
            Some("application/atom+xml"),
        ),
        link(
            &format!("{base}{}", spec.page_path),
            "alternate",
            Some("text/html"),
        ),
    ]);
    feed.set_entries(entries);
    feed.to_string()
}

fn link(href: &str, rel: &str, mime: Option<&str>) -> Link {
    let mut l = Link::default();
    l.set_href(href.to_string());
    l.set_rel(rel.to_string());
    l.set_mime_type(mime.map(str::to_string));
    l
}

/// `sitemap.xml` listing every page path given, with its date where known.
pub fn sitemap(config: &SiteConfig, entries: &[(String, Option<NaiveDateTime>)]) -> String {
    let base = config.base_url();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (path, date) in entries {
        out.push_str("  <url><loc>");
        out.push_str(&crate::markdown::escape_text(&format!("{base}{path}")));
        out.push_str("</loc>");
        if let Some(d) = date {
            out.push_str(&format!("<lastmod>{}</lastmod>", d.format("%Y-%m-%d")));
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

pub fn robots(config: &SiteConfig) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
        config.base_url()
    )
}

pub(super) enum FeedOwner {
    Section(usize),
    /// A listing page, by path (a category term).
    Listing(String),
}

/// Feeds: every section sorted by date with dated pages (unless `feed: false`), and the
/// terms of taxonomies with `feed: true`.
pub(super) fn feed_specs(
    content: &Content,
    config: &SiteConfig,
    plan: &[listings::Listing],
) -> Vec<(FeedOwner, FeedSpec)> {
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
                FeedSpec {
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
                    FeedSpec {
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
