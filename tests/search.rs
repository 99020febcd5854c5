//! Site search: the Pagefind index covers every page and listing page (not the 404 page or
//! the search page), the theme's search page and header link, `search: false`, and real
//! searches in headless Chromium against the built site served under a subpath.
//!
//! The browser test needs Node and Chromium (installed by `.ci/run`); the Node packages are
//! installed here when missing.

mod common;

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{attrs, sel, stdout, Site};

fn site() -> Site {
    let s = Site::new();
    s.write(
        "site.yaml",
        "title: Testregio\nbase_url: https://example.org/sub/\nmenu:\n  - {title: Nieuws, url: /nieuws/}\n",
    );
    s.write("content/nieuws/_index.md", "---\ntitle: Nieuws\n---\n");
    s.write(
        "content/nieuws/cijfers.md",
        "---\ntitle: Nieuwe cijfers over uitval\ndate: 2022-03-01\ntags: [verzuim]\n---\n\
         Elke jongere die zonder diploma vertrekt is er een te veel. Een schoolverlater \
         vindt zonder startkwalificatie moeilijk werk.\n\n## Wat de regio doet\n\nDe regio \
         bezoekt iedere jongere thuis.\n",
    );
    s.write(
        "content/nieuws/bijeenkomst.md",
        "---\ntitle: Netwerkbijeenkomst leerplicht\ndate: 2022-04-01\ntags: [verzuim]\n---\n\
         Leerplichtambtenaren en scholen spraken over thuiszitters.\n",
    );
    s.write(
        "content/over.md",
        "---\ntitle: Over ons\n---\nDe regio heeft negen gemeenten.\n",
    );
    s
}

/// The URL of every page in the index, from Pagefind's fragment files.
fn indexed_urls(public: &Path) -> BTreeSet<String> {
    fn collect(v: &serde_json::Value, out: &mut BTreeSet<String>) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(serde_json::Value::String(u)) = m.get("url") {
                    out.insert(u.clone());
                }
                m.values().for_each(|x| collect(x, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| collect(x, out)),
            _ => {}
        }
    }
    let mut urls = BTreeSet::new();
    for entry in std::fs::read_dir(public.join("pagefind/fragment")).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let mut text = String::new();
        flate2::read::GzDecoder::new(&bytes[..])
            .read_to_string(&mut text)
            .unwrap();
        let json = text.strip_prefix("pagefind_dcd").unwrap_or(&text);
        collect(&serde_json::from_str(json).unwrap(), &mut urls);
    }
    urls
}

#[test]
fn every_page_and_listing_is_indexed_but_not_the_404_or_search_page() {
    let s = site();
    s.build();
    for f in [
        "pagefind/pagefind.js",
        "pagefind/pagefind-worker.js",
        "pagefind/pagefind-entry.json",
        "pagefind/wasm.nl.pagefind",
    ] {
        assert!(s.exists(f), "{f} missing");
    }
    assert!(s.read("pagefind/pagefind-entry.json").contains("\"nl\""));
    assert!(
        !s.exists("pagefind/pagefind-ui.js"),
        "the theme has its own search page"
    );
    let urls = indexed_urls(&s.public());
    for u in [
        "/",
        "/nieuws/",
        "/nieuws/cijfers/",
        "/nieuws/bijeenkomst/",
        "/over/",
        "/onderwerpen/verzuim/",
    ] {
        assert!(urls.contains(u), "{u} not indexed: {urls:?}");
    }
    assert!(
        !urls
            .iter()
            .any(|u| u.contains("404") || u.contains("zoeken")),
        "{urls:?}"
    );
}

#[test]
fn search_page_and_header_link() {
    let s = site();
    s.build();
    let doc = s.html("zoeken/index.html");
    assert_eq!(common::texts(&doc, "h1"), ["Zoeken"]);
    let form = doc
        .select(&sel("form[role=search]"))
        .next()
        .unwrap()
        .value();
    assert_eq!(
        form.attr("action"),
        Some("../zoeken/"),
        "works without JavaScript"
    );
    assert_eq!(form.attr("data-bundle"), Some("../pagefind/pagefind.js"));
    assert_eq!(attrs(&doc, "label[for=zoekterm]", "for"), ["zoekterm"]);
    assert_eq!(attrs(&doc, "input#zoekterm", "name"), ["q"]);
    assert_eq!(attrs(&doc, "#search-status", "role"), ["status"]);
    assert_eq!(
        attrs(&doc, "script[type=module]", "src"),
        ["../js/search.js"]
    );
    assert!(s.exists("js/search.js"));
    assert_eq!(attrs(&doc, ".site-search", "aria-current"), ["page"]);

    let home = s.html("index.html");
    assert_eq!(
        attrs(&home, ".site-nav .site-search", "href"),
        ["./zoeken/"]
    );
    assert_eq!(home.select(&sel("main[data-pagefind-body]")).count(), 1);
    let article = s.html("nieuws/cijfers/index.html");
    assert_eq!(attrs(&article, ".site-search", "href"), ["../../zoeken/"]);
}

#[test]
fn search_can_be_turned_off() {
    let s = site();
    s.write(
        "site.yaml",
        "title: Testregio\nbase_url: https://example.org/\nsearch: false\n",
    );
    let out = s.build();
    assert!(stdout(&out).contains("Built"));
    assert!(!s.exists("pagefind"));
    assert!(!s.exists("zoeken/index.html"));
    assert_eq!(s.html("index.html").select(&sel(".site-search")).count(), 0);
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn node_modules() {
    common::browser_tools(
        "the search test",
        &[
            ("node", "install Node.js 20 or newer"),
            ("chromium", "apt-get install -y chromium"),
        ],
    );
}

#[test]
fn dutch_searches_find_the_right_pages_in_a_browser() {
    node_modules();
    let s = site();
    s.build();
    let out = Command::new("node")
        .arg(repo().join("tests/browser/search.mjs"))
        .arg(s.public())
        .args([
            "--prefix",
            "/sub/",
            // Typed, then Enter; the page only has the singular.
            "--expect",
            "schoolverlaters=nieuws/cijfers/",
            "--expect",
            "schoolverlater=nieuws/cijfers/",
            // A listing page without a source file.
            "--expect",
            "verzuim=onderwerpen/verzuim/",
            "--expect",
            "thuiszitter=nieuws/bijeenkomst/",
            // Menu and footer are not indexed.
            "--none",
            "Gemaakt",
        ])
        .output()
        .expect("run node");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "search in the browser failed:\n{text}"
    );
}
