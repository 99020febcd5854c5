//! Site search: a Pagefind index built from the pages as they are rendered.
//!
//! Pagefind splits the index into small chunks that the browser fetches only for the words
//! typed, so search works on any static server and from a subfolder (its script finds the
//! index beside itself). It stems Dutch ("schoolverlaters" finds "schoolverlater") and honours
//! `data-pagefind-body`, so menus and footers stay out of the index.
//!
//! Pages are collected as they are rendered and indexed once all are there, in the order of
//! their addresses: Pagefind numbers pages in the order it receives them, and the output must
//! not depend on which thread finished first. (Indexing runs one page at a time behind
//! Pagefind's lock anyway, so starting it earlier would gain little.)

use std::collections::BTreeMap;
use std::sync::Mutex;

use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::locale::Lang;

/// Folder of the index and its scripts in the output.
pub const BUNDLE_DIR: &str = "pagefind";

/// Site path of the search page.
pub fn page_path(lang: Lang) -> &'static str {
    match lang {
        Lang::Nl => "zoeken/",
        Lang::En => "search/",
    }
}

/// A file of the finished index, with its path in the output (`pagefind/pagefind.js`).
pub struct IndexFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

pub struct Indexer {
    language: String,
    /// Site path -> HTML. A page rendered again (with its PDF link) replaces its first
    /// rendering; the map also gives the order of addresses.
    pages: Mutex<BTreeMap<String, String>>,
}

impl Indexer {
    /// An empty index for pages in `language` (an ISO 639-1 code, `nl`).
    pub fn new(language: &str) -> Indexer {
        Indexer {
            language: language.to_string(),
            pages: Mutex::new(BTreeMap::new()),
        }
    }

    /// Adds the page at `site_path` (`nieuws/a/`) with its final HTML.
    pub fn add(&self, site_path: &str, html: String) {
        let html = searchable_part(html);
        self.pages
            .lock()
            .expect("search pages")
            .insert(site_path.to_string(), html);
    }

    /// Builds the index and returns its files.
    pub fn finish(self) -> Result<Vec<IndexFile>, String> {
        let pages = self.pages.into_inner().expect("search pages");
        if pages.is_empty() {
            return Ok(Vec::new());
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the search indexer: {e}"))?;
        let config = PagefindServiceConfig::builder()
            .force_language(self.language.clone())
            .build();
        let mut index = PagefindIndex::new(Some(config))
            .map_err(|e| format!("cannot start the search indexer: {e}"))?;
        for (path, html) in pages {
            runtime
                .block_on(index.add_html_file(
                    Some(format!("{path}index.html")),
                    Some(format!("/{path}")),
                    html,
                ))
                .map_err(|e| format!("cannot index `{path}` for search: {e}"))?;
        }
        let files = runtime
            .block_on(index.get_files())
            .map_err(|e| format!("cannot build the search index: {e}"))?;
        // Pagefind adds a stemmer-less fallback for pages in other languages; every page here
        // is in the site's language, so it is only needed when that language has no stemmer.
        let own_wasm = files
            .iter()
            .any(|f| f.filename.to_string_lossy() == format!("wasm.{}.pagefind", self.language));
        Ok(files
            .into_iter()
            .filter(|f| !(own_wasm && f.filename.to_string_lossy() == "wasm.unknown.pagefind"))
            .filter_map(|f| {
                let rel = f
                    .filename
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                wanted(&rel).then(|| IndexFile {
                    path: format!("{BUNDLE_DIR}/{rel}"),
                    bytes: f.contents,
                })
            })
            .collect())
    }
}

/// What Pagefind needs of a page: its `<head>` and its `data-pagefind-body` element (if it has
/// one), without inline SVG. Held until indexing, so the rest (header, menus, footer) is
/// dropped early. Charts are SVG: their labels are noise in search results (captions and data
/// tables stay), and on a factsheet they are three quarters of the page.
fn searchable_part(html: String) -> String {
    let html = body_part(html);
    if html.contains("<svg") {
        without_svg(&html)
    } else {
        html
    }
}

fn without_svg(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        out.push_str(&rest[..start]);
        let mut depth = 0usize;
        let mut at = start;
        let end = loop {
            let open = rest[at + 1..].find("<svg").map(|p| p + at + 1);
            let Some(close) = rest[at + 1..].find("</svg>").map(|p| p + at + 1) else {
                // Unclosed: keep the rest as it is.
                out.push_str(&rest[start..]);
                return out;
            };
            match open {
                Some(o) if o < close => {
                    depth += 1;
                    at = o;
                }
                _ if depth == 0 => break close + "</svg>".len(),
                _ => {
                    depth -= 1;
                    at = close;
                }
            }
        };
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn body_part(html: String) -> String {
    let Some(attr) = html.find("data-pagefind-body") else {
        return html;
    };
    let Some(open) = html[..attr].rfind('<') else {
        return html;
    };
    let name: String = html[open + 1..]
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect();
    let head_end = html.find("</head>").map_or(0, |p| p + "</head>".len());
    if name.is_empty() || head_end == 0 || head_end > open {
        return html;
    }
    let (open_tag, close_tag) = (format!("<{name}"), format!("</{name}>"));
    let mut depth = 0usize;
    let mut at = open + 1;
    let end = loop {
        let Some(close) = html[at..].find(&close_tag).map(|p| p + at) else {
            return html;
        };
        match html[at..].find(&open_tag).map(|p| p + at) {
            Some(o) if o < close => {
                depth += 1;
                at = o + 1;
            }
            _ if depth == 0 => break close + close_tag.len(),
            _ => {
                depth -= 1;
                at = close + 1;
            }
        }
    };
    format!(
        "{}<body>{}</body></html>",
        &html[..head_end],
        &html[open..end]
    )
}

/// The index, its loader and worker; not Pagefind's own interfaces and playground, which the
/// theme's search page does not use.
fn wanted(rel: &str) -> bool {
    !(rel.starts_with("pagefind-ui.")
        || rel.starts_with("pagefind-modular-ui.")
        || rel.starts_with("pagefind-component-ui.")
        || rel.starts_with("pagefind-highlight.")
        || rel.starts_with("playground/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_pages_and_writes_a_bundle() {
        let indexer = Indexer::new("nl");
        indexer.add(
            "nieuws/a/",
            "<!DOCTYPE html><html lang=\"nl\"><body><nav>Menu</nav><main data-pagefind-body><h1>Vroegtijdige schoolverlaters</h1><p>De regio telt minder schoolverlaters.</p></main></body></html>".into(),
        );
        let files = indexer.finish().unwrap();
        let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert!(names.contains(&"pagefind/pagefind.js"), "{names:?}");
        assert!(names.contains(&"pagefind/pagefind-entry.json"), "{names:?}");
        assert!(
            names.iter().any(|n| n.starts_with("pagefind/wasm.nl")),
            "{names:?}"
        );
        assert!(names.iter().any(|n| n.starts_with("pagefind/index/")));
        assert!(names.iter().any(|n| n.starts_with("pagefind/fragment/")));
        assert!(!names.iter().any(|n| n.contains("pagefind-ui")));
        assert!(
            !names.contains(&"pagefind/wasm.unknown.pagefind"),
            "{names:?}"
        );
    }

    #[test]
    fn keeps_head_and_searchable_element() {
        let html = "<html lang=\"nl\"><head><title>T</title></head><body><nav>Menu</nav>\
                    <div data-pagefind-body><div>a</div><div>b</div></div><footer>F</footer></body></html>";
        assert_eq!(
            searchable_part(html.to_string()),
            "<html lang=\"nl\"><head><title>T</title></head><body><div data-pagefind-body><div>a</div><div>b</div></div></body></html>"
        );
        let plain = "<html><body><p>x</p></body></html>";
        assert_eq!(searchable_part(plain.to_string()), plain);
        assert_eq!(
            without_svg("<p>a</p><svg><g><svg><text>1</text></svg></g></svg><p>b</p><svg>x</svg>"),
            "<p>a</p><p>b</p>"
        );
        assert_eq!(without_svg("<svg>open"), "<svg>open");
    }

    #[test]
    fn no_pages_no_files() {
        assert!(Indexer::new("nl").finish().unwrap().is_empty());
    }

    #[test]
    fn the_order_pages_arrive_in_does_not_matter() {
        let page = |n: usize| {
            format!("<html lang=\"nl\"><body><main data-pagefind-body><h1>Pagina {n}</h1><p>Verzuim en schoolverlaters, deel {n}.</p></main></body></html>")
        };
        let build = |order: &[usize]| {
            let ix = Indexer::new("nl");
            for &n in order {
                ix.add(&format!("p{n}/"), page(n));
            }
            ix.finish()
                .unwrap()
                .into_iter()
                .map(|f| (f.path, f.bytes))
                .collect::<Vec<_>>()
        };
        assert!(build(&[1, 2, 3]) == build(&[3, 1, 2]));
    }
}
