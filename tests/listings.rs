//! Listings without a source file (pagination, taxonomies, archives) and machine-readable
//! files (Atom feeds parsed with a feed parser, sitemap, robots.txt).

mod common;

use common::*;

fn news_site(n: usize) -> Site {
    let s = Site::new();
    s.write(
        "site.yaml",
        "title: RMC\nbase_url: https://example.org/rmc/\norganisation: {name: RMC-regio, email: info@rmc.example}\n",
    );
    s.write(
        "content/nieuws/_index.md",
        "---\ntitle: Nieuws\npage_layout: article\npaginate: 3\narchive: true\n---\n",
    );
    for i in 1..=n {
        let (year, cat) = if i % 2 == 0 {
            (2022, "Monitoring")
        } else {
            (2021, "Beleid")
        };
        s.write(
            &format!("content/nieuws/bericht-{i}.md"),
            &format!(
                "---\ntitle: \"Bericht {i} <b>\"\ndate: {year}-03-{i:02}\ncategory: {cat}\ntags: [cijfers, \"regio {i}\"]\nsummary: Samenvatting {i}\nauthor: Redactie\n---\nZie [over](../over.md).\n"
            ),
        );
    }
    s.write("content/over.md", "---\ntitle: Over\n---\nOver ons.\n");
    s
}

#[test]
fn sections_paginate_with_numbered_links() {
    let s = news_site(7);
    s.build();
    let first = s.html("nieuws/index.html");
    assert_eq!(texts(&first, ".card__title").len(), 3);
    assert_eq!(texts(&first, ".pagination [aria-current]"), ["1"]);
    assert_eq!(
        attrs(&first, ".pagination a[rel=next]", "href"),
        ["../nieuws/pagina/2/"]
    );
    let third = s.html("nieuws/pagina/3/index.html");
    assert_eq!(texts(&third, ".card__title"), ["Bericht 1 <b>"]);
    assert_eq!(
        attrs(&third, ".pagination a[rel=prev]", "href"),
        ["../../../nieuws/pagina/2/"]
    );
    assert!(!s.exists("nieuws/pagina/4/index.html"));
}

#[test]
fn tags_and_categories_get_pages() {
    let s = news_site(4);
    s.build();
    let tags = s.html("onderwerpen/index.html");
    assert_eq!(
        texts(&tags, ".term-list a"),
        ["cijfers", "regio 1", "regio 2", "regio 3", "regio 4"]
    );
    let term = s.html("onderwerpen/cijfers/index.html");
    assert_eq!(texts(&term, "h1"), ["cijfers"]);
    assert_eq!(texts(&term, ".card__title").len(), 4);
    let cat = s.html("categorie/monitoring/index.html");
    assert_eq!(
        texts(&cat, ".card__title"),
        ["Bericht 4 <b>", "Bericht 2 <b>"]
    );
    // articles link to their terms
    let art = s.html("nieuws/bericht-2/index.html");
    assert_eq!(
        attrs(&art, "a.tag", "href"),
        ["../../onderwerpen/cijfers/", "../../onderwerpen/regio-2/"]
    );
    assert_eq!(
        attrs(&art, ".eyebrow a", "href"),
        ["../../categorie/monitoring/"]
    );
}

#[test]
fn topics_are_shown_as_written_and_spellings_of_one_topic_merge() {
    let s = news_site(1);
    s.write(
        "content/nieuws/a.md",
        "---\ntitle: A\ndate: 2022-01-01\ntags: [Met gebundelde kracht, zorg]\n---\nA.\n",
    );
    s.write(
        "content/nieuws/b.md",
        "---\ntitle: B\ndate: 2022-01-02\ntags: [Met gebundelde kracht]\n---\nB.\n",
    );
    s.write(
        "content/nieuws/c.md",
        "---\ntitle: C\ndate: 2022-01-03\ntags: [met-gebundelde-kracht]\n---\nC.\n",
    );
    s.build();
    let tags = s.html("onderwerpen/index.html");
    // As most pages write it, in alphabetical order regardless of capitals.
    assert_eq!(
        texts(&tags, ".term-list a"),
        ["cijfers", "Met gebundelde kracht", "regio 1", "zorg"]
    );
    let term = s.html("onderwerpen/met-gebundelde-kracht/index.html");
    assert_eq!(texts(&term, "h1"), ["Met gebundelde kracht"]);
    assert_eq!(texts(&term, ".card__title"), ["C", "B", "A"]);
}

#[test]
fn yearly_archive_lists_years_and_their_pages() {
    let s = news_site(4);
    s.build();
    let index = s.html("nieuws/archief/index.html");
    assert_eq!(texts(&index, ".term-list a"), ["2022", "2021"]);
    let y = s.html("nieuws/archief/2021/index.html");
    assert_eq!(
        texts(&y, ".card__title"),
        ["Bericht 3 <b>", "Bericht 1 <b>"]
    );
}

#[test]
fn atom_feeds_parse_and_use_absolute_urls() {
    let s = news_site(4);
    s.build();
    let xml = s.read("nieuws/atom.xml");
    let feed = feed_rs::parser::parse(xml.as_bytes()).expect("valid Atom");
    assert_eq!(feed.title.unwrap().content, "Nieuws – RMC");
    assert_eq!(feed.entries.len(), 4);
    let first = &feed.entries[0];
    assert_eq!(first.title.as_ref().unwrap().content, "Bericht 4 <b>");
    assert_eq!(first.id, "https://example.org/rmc/nieuws/bericht-4/");
    assert_eq!(
        first.links[0].href,
        "https://example.org/rmc/nieuws/bericht-4/"
    );
    assert_eq!(
        first.published.unwrap().to_rfc3339(),
        "2022-03-04T00:00:00+00:00"
    );
    let body = first.content.as_ref().unwrap().body.as_ref().unwrap();
    assert!(
        body.contains("href=\"https://example.org/rmc/over/\""),
        "{body}"
    );
    assert!(feed
        .links
        .iter()
        .any(|l| l.rel.as_deref() == Some("self")
            && l.href == "https://example.org/rmc/nieuws/atom.xml"));
    // per category
    let cat =
        feed_rs::parser::parse(s.read("categorie/beleid/atom.xml").as_bytes()).expect("valid Atom");
    assert_eq!(cat.entries.len(), 2);
    // pages announce their feed
    let doc = s.html("nieuws/index.html");
    assert_eq!(
        attrs(&doc, "link[type='application/atom+xml']", "href"),
        ["../nieuws/atom.xml"]
    );
}

#[test]
fn sitemap_and_robots() {
    let s = news_site(2);
    s.build();
    let sitemap = s.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).expect("well-formed sitemap");
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(locs.contains(&"https://example.org/rmc/nieuws/bericht-1/"));
    assert!(locs.contains(&"https://example.org/rmc/"));
    assert!(locs.contains(&"https://example.org/rmc/onderwerpen/cijfers/"));
    assert!(locs
        .iter()
        .all(|l| l.starts_with("https://example.org/rmc/")));
    assert!(s
        .read("robots.txt")
        .contains("Sitemap: https://example.org/rmc/sitemap.xml"));
    assert!(s.exists("404.html"));
}
