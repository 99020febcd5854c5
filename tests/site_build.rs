//! Building whole fixture sites: pages, URLs, layouts, escaping, links, errors, staging,
//! determinism.

mod common;

use common::*;

fn news_site() -> Site {
    let s = Site::new();
    s.write(
        "site.yaml",
        "title: RMC-regio Achterhoek\nbase_url: https://example.org/rmc-achterhoek/\norganisation:\n  name: RMC-regio Achterhoek\nmenu:\n  - {title: Nieuws, url: /nieuws/}\n  - {title: Over ons, url: /over-ons/}\n",
    );
    s.write(
        "content/_index.md",
        "---\ntitle: RMC-regio Achterhoek\nintro: Samen voor elke jongere.\n---\nWelkom op de site.\n",
    );
    s.write(
        "content/nieuws/_index.md",
        "---\ntitle: Nieuws\npage_layout: article\n---\n",
    );
    s.write(
        "content/nieuws/webinar-aanvalsplan/index.md",
        "---\ntitle: Webinar over het aanvalsplan\ndate: 2021-09-21\nauthor: Redactie\ncategory: Bijeenkomsten\nsummary: Een webinar.\nattachments:\n  - {file: presentatie.pdf, title: Presentatie webinar}\n---\n## Programma\n\nZie ook [de cijfers](../cijfers.md#tabel) en ![logo](logo.png).\n",
    );
    s.write_bytes(
        "content/nieuws/webinar-aanvalsplan/presentatie.pdf",
        &[b'x'; 1_234_567],
    );
    s.write_bytes("content/nieuws/webinar-aanvalsplan/logo.png", b"png");
    s.write(
        "content/nieuws/cijfers.md",
        "---\ntitle: \"Nieuwe cijfers <script>alert(1)</script>\"\ndate: 2022-03-01\nsummary: \"Daling & stijging <b>vet</b>\"\ntags: [cijfers, mbo]\nauthor: \"<i>Jan</i>\"\n---\nTekst met **vet** en <em>html</em>.\n\n## De tabel {#tabel}\n",
    );
    s.write(
        "content/nieuws/concept.md",
        "---\ntitle: Nog niet klaar\ndraft: true\n---\nGeheim.\n",
    );
    s.write(
        "content/over-ons.md",
        "---\ntitle: Over ons\nweight: 1\n---\nWie we zijn. Zie [nieuws](nieuws/_index.md).\n",
    );
    s
}

#[test]
fn builds_clean_urls_with_one_h1_and_dutch_language() {
    let s = news_site();
    let out = s.build();
    assert!(stdout(&out).contains("Built 5 pages"), "{}", stdout(&out));
    for page in [
        "index.html",
        "nieuws/index.html",
        "nieuws/webinar-aanvalsplan/index.html",
        "nieuws/cijfers/index.html",
        "over-ons/index.html",
    ] {
        let doc = s.html(page);
        assert_eq!(texts(&doc, "h1").len(), 1, "{page} must have one h1");
        assert_eq!(attrs(&doc, "html", "lang"), ["nl"], "{page}");
        assert_eq!(
            doc.select(&sel("main#inhoud")).count(),
            1,
            "{page} needs a main landmark"
        );
        assert_eq!(
            attrs(&doc, "a.skip-link", "href"),
            ["#inhoud"],
            "{page} needs a skip link"
        );
        assert!(doc.select(&sel("header")).count() >= 1);
        assert!(doc.select(&sel("footer")).count() >= 1);
    }
    assert!(
        !s.exists("nieuws/concept/index.html"),
        "drafts are left out"
    );
}

#[test]
fn article_layout_shows_dutch_date_author_category_lead_and_attachment() {
    let s = news_site();
    s.build();
    let doc = s.html("nieuws/webinar-aanvalsplan/index.html");
    assert_eq!(texts(&doc, "h1"), ["Webinar over het aanvalsplan"]);
    assert_eq!(texts(&doc, "time"), ["21 september 2021"]);
    assert_eq!(attrs(&doc, "time", "datetime"), ["2021-09-21"]);
    assert!(texts(&doc, ".byline")[0].contains("Redactie"));
    assert_eq!(texts(&doc, ".eyebrow"), ["Bijeenkomsten"]);
    assert_eq!(texts(&doc, ".lead"), ["Een webinar."]);
    assert_eq!(
        texts(&doc, ".download"),
        ["Presentatie webinar (PDF, 1,2 MB)"]
    );
    assert_eq!(
        attrs(&doc, ".download", "href"),
        ["../../nieuws/webinar-aanvalsplan/presentatie.pdf"]
    );
    // bundle files are copied beside the page
    assert!(s.exists("nieuws/webinar-aanvalsplan/presentatie.pdf"));
    assert!(s.exists("nieuws/webinar-aanvalsplan/logo.png"));
    // links to Markdown files become page URLs, relative to this page
    let hrefs = attrs(&doc, ".prose a", "href");
    assert!(
        hrefs.contains(&"../../nieuws/cijfers/#tabel".to_string()),
        "{hrefs:?}"
    );
    assert_eq!(
        attrs(&doc, ".prose img", "src"),
        ["../../nieuws/webinar-aanvalsplan/logo.png"]
    );
}

#[test]
fn content_is_escaped_but_markdown_is_rendered() {
    let s = news_site();
    s.build();
    let raw = s.read("nieuws/cijfers/index.html");
    assert!(
        !raw.contains("<script>alert(1)</script>"),
        "title must be escaped"
    );
    assert!(raw.contains("Nieuwe cijfers &lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(
        !raw.contains("<b>vet</b>") && raw.contains("&lt;b&gt;vet&lt;/b&gt;"),
        "summary must be escaped"
    );
    assert!(
        !raw.contains("<i>Jan</i>"),
        "front matter extras must be escaped"
    );
    let doc = s.html("nieuws/cijfers/index.html");
    assert_eq!(texts(&doc, ".prose strong"), ["vet"]);
}

#[test]
fn section_lists_newest_first_and_home_lists_latest_news() {
    let s = news_site();
    s.build();
    let doc = s.html("nieuws/index.html");
    let titles = texts(&doc, ".card__title");
    assert_eq!(
        titles,
        [
            "Nieuwe cijfers <script>alert(1)</script>",
            "Webinar over het aanvalsplan"
        ]
    );
    let home = s.html("index.html");
    assert_eq!(texts(&home, ".hero__intro"), ["Samen voor elke jongere."]);
    assert_eq!(texts(&home, "#home-news ~ .cards .card__title").len(), 2);
}

#[test]
fn weight_ordering_and_numbered_file_names() {
    let s = Site::new();
    s.write(
        "content/rapport/_index.md",
        "---\ntitle: Rapport\nsort_by: weight\n---\n",
    );
    s.write(
        "content/rapport/02-cijfers.md",
        "---\ntitle: Cijfers\n---\n",
    );
    s.write(
        "content/rapport/01-inleiding.md",
        "---\ntitle: Inleiding\n---\n",
    );
    s.write(
        "content/rapport/03-slot.md",
        "---\ntitle: Slot\nweight: 1\n---\n",
    );
    s.build();
    assert!(
        s.exists("rapport/inleiding/index.html"),
        "order numbers are dropped from URLs"
    );
    let doc = s.html("rapport/index.html");
    assert_eq!(
        texts(&doc, ".card__title"),
        ["Slot", "Inleiding", "Cijfers"]
    );
}

#[test]
fn all_links_are_relative_so_the_site_works_under_a_subpath() {
    let s = news_site();
    s.build();
    let public = s.public();
    for (rel, bytes) in tree(&public) {
        if rel.extension().is_none_or(|e| e != "html") || rel == std::path::Path::new("404.html") {
            continue;
        }
        let doc = scraper::Html::parse_document(&String::from_utf8_lossy(&bytes));
        let page_dir = public.join(rel.parent().unwrap());
        for (selector, attr) in [
            ("a[href]", "href"),
            ("link[href]", "href"),
            ("img[src]", "src"),
            ("script[src]", "src"),
        ] {
            for url in attrs(&doc, selector, attr) {
                if url.starts_with('#') || url.contains("://") || url.starts_with("mailto:") {
                    continue;
                }
                assert!(
                    !url.starts_with('/'),
                    "{}: `{url}` assumes the domain root",
                    rel.display()
                );
                let path = url.split(['#', '?']).next().unwrap();
                let target = page_dir.join(path);
                let target = if path.ends_with('/') || path.is_empty() {
                    target.join("index.html")
                } else {
                    target
                };
                assert!(
                    target.exists(),
                    "{}: `{url}` does not resolve ({})",
                    rel.display(),
                    target.display()
                );
            }
        }
    }
    // Absolute URLs come from base_url.
    let doc = s.html("nieuws/cijfers/index.html");
    assert_eq!(
        attrs(&doc, "link[rel=canonical]", "href"),
        ["https://example.org/rmc-achterhoek/nieuws/cijfers/"]
    );
    // The 404 page is served at any address, so it links from the base path.
    let doc = s.html("404.html");
    assert!(attrs(&doc, "link[rel=stylesheet]", "href")
        .iter()
        .all(|h| h.starts_with("/rmc-achterhoek/")));
}

#[test]
fn site_templates_override_theme_templates() {
    let s = news_site();
    s.write("templates/page.html", "<!DOCTYPE html><html lang=\"{{ lang }}\"><title>{{ page.title }}</title><h1>Eigen: {{ page.title }}</h1>");
    s.build();
    assert_eq!(
        texts(&s.html("over-ons/index.html"), "h1"),
        ["Eigen: Over ons"]
    );
    // other layouts still come from the theme
    assert_eq!(
        texts(&s.html("nieuws/cijfers/index.html"), ".eyebrow").len(),
        0
    );
    assert!(s
        .read("nieuws/cijfers/index.html")
        .contains("class=\"byline\""));
}

#[test]
fn english_sites_get_english_dates_and_strings() {
    let s = news_site();
    s.write("site.yaml", "title: T\nlanguage: en\n");
    s.build();
    let doc = s.html("nieuws/webinar-aanvalsplan/index.html");
    assert_eq!(attrs(&doc, "html", "lang"), ["en"]);
    assert_eq!(texts(&doc, "time"), ["21 September 2021"]);
    assert_eq!(texts(&doc, ".skip-link"), ["Skip to content"]);
    assert_eq!(
        texts(&doc, ".download"),
        ["Presentatie webinar (PDF, 1.2 MB)"]
    );
}

#[test]
fn every_error_is_reported_with_file_line_and_column_in_one_run() {
    let s = news_site();
    s.write(
        "content/nieuws/kapot.md",
        "---\ntitle: Kapot\nsummary: \"niet afgesloten\ndate: 2021-01-01\n---\n",
    );
    s.write(
        "content/nieuws/zonder-titel.md",
        "---\ndate: 2021-01-01\n---\nTekst\n",
    );
    s.write(
        "content/nieuws/layout.md",
        "---\ntitle: Layout\nlayout: bestaatniet\n---\n",
    );
    s.write(
        "content/nieuws/datum.md",
        "---\ntitle: Datum\ndate: 31-12-2021\n---\n",
    );
    let out = s.bundel(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("content/nieuws/kapot.md:3:10: error: invalid YAML"),
        "{err}"
    );
    assert!(err.contains("quote"), "{err}");
    assert!(
        err.contains("content/nieuws/zonder-titel.md:1:1: error: the front matter has no `title`"),
        "{err}"
    );
    assert!(
        err.contains("content/nieuws/datum.md:3:1: error: `date` is not a valid date"),
        "{err}"
    );
    assert!(err.contains("help: write dates as year-month-day"), "{err}");
    // layouts are checked after the content could be read: fix the others first
    s.remove("content/nieuws/kapot.md");
    s.remove("content/nieuws/zonder-titel.md");
    s.remove("content/nieuws/datum.md");
    let err = stderr(&s.bundel(&["build"]));
    assert!(
        err.contains("content/nieuws/layout.md:3:1: error: unknown layout `bestaatniet`"),
        "{err}"
    );
    assert!(
        err.contains("help: use one of:") && err.contains("article"),
        "{err}"
    );
}

#[test]
fn template_errors_point_into_the_template() {
    let s = news_site();
    s.write(
        "templates/page.html",
        "<html>\n<body>\n{{ page.title | nosuchfilter }}\n",
    );
    let out = s.bundel(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("templates/page.html:3:"), "{err}");
    assert!(err.contains("nosuchfilter"), "{err}");
}

#[test]
fn missing_attachment_is_an_error() {
    let s = news_site();
    s.remove("content/nieuws/webinar-aanvalsplan/presentatie.pdf");
    let err = stderr(&s.bundel(&["build"]));
    assert!(
        err.contains("content/nieuws/webinar-aanvalsplan/index.md:7:1: error: `attachments` names `presentatie.pdf`"),
        "{err}"
    );
}

#[test]
fn broken_link_to_markdown_file_is_an_error_with_position() {
    let s = news_site();
    s.write(
        "content/over-ons.md",
        "---\ntitle: Over ons\n---\nEerste regel.\nZie [weg](nieuws/weg.md).\n",
    );
    let err = stderr(&s.bundel(&["build"]));
    assert!(
        err.contains("content/over-ons.md:5:5: error: the link `nieuws/weg.md` points to"),
        "{err}"
    );
    s.write(
        "content/over-ons.md",
        "---\ntitle: Over ons\n---\n[uit](../../../etc/passwd)\n",
    );
    let err = stderr(&s.bundel(&["build"]));
    assert!(err.contains("points outside the site folder"), "{err}");
}

#[test]
fn failed_build_keeps_previous_output_and_leaves_no_staging() {
    let s = news_site();
    s.build();
    let before = tree(&s.public());
    s.write("content/nieuws/kapot.md", "---\ntitle: [\n---\n");
    let out = s.bundel(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("previous output"));
    assert_eq!(
        tree(&s.public()),
        before,
        "the previous site must stay untouched"
    );
    let leftovers: Vec<_> = std::fs::read_dir(s.path())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains("staging"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn two_builds_are_byte_identical() {
    let s = news_site();
    s.build();
    let first = tree(&s.public());
    s.build();
    assert_eq!(first.len(), tree(&s.public()).len());
    assert!(first == tree(&s.public()), "output differs between builds");
}

#[test]
fn output_folder_can_be_chosen() {
    let s = news_site();
    let other = tempfile::tempdir().unwrap();
    let target = other.path().join("site");
    let out = s.bundel(&["build", ".", "--output", target.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(target.join("index.html").exists());
    assert!(!s.public().exists());
}

#[test]
fn check_validates_without_writing() {
    let s = news_site();
    let out = s.bundel(&["check"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!s.public().exists(), "check must not write");
    s.write(
        "content/nieuws/zonder-titel.md",
        "---\ndate: 2021-01-01\n---\n",
    );
    let out = s.bundel(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("zonder-titel.md:1:1"));
}

#[test]
fn missing_config_explains_what_to_do() {
    let s = Site::bare();
    let out = s.bundel(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("site.yaml"), "{}", stderr(&out));
}

#[test]
fn a_site_without_themes_folder_uses_the_built_in_theme() {
    let s = news_site();
    s.build();
    assert!(s.exists("css/bundel.css"));
    assert!(s.exists("fonts/inter-regular.woff2"));
}

/// Without `base_url` there is no absolute address to give: no canonical link or `og:url`
/// of "/", and the build says what is missing.
#[test]
fn a_site_without_base_url_gets_no_false_addresses_and_a_warning() {
    let site = Site::bare();
    site.write("site.yaml", "title: Testsite\n");
    site.write("content/_index.md", "---\ntitle: Home\n---\nWelkom.\n");
    let out = site.build();
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(err.contains("site.yaml: warning: no `base_url`"), "{err}");
    let home = site.read("index.html");
    assert!(!home.contains("og:url"), "{home}");
    assert!(!home.contains("rel=\"canonical\""), "{home}");
}
