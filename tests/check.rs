//! `bundel check`: problems in the generated site, reported where the author wrote them.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;

use common::*;

/// `file:line:col` of the first `needle` in `text`, the way check reports it.
fn at(file: &str, text: &str, needle: &str) -> String {
    let offset = text
        .find(needle)
        .unwrap_or_else(|| panic!("`{needle}` not in fixture"));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    format!("{file}:{line}:{col}")
}

fn check(site: &Site, args: &[&str]) -> (bool, String, String) {
    let mut all = vec!["check"];
    all.extend_from_slice(args);
    let out = site.bundel(&all);
    (out.status.success(), stdout(&out), stderr(&out))
}

const ARTICLE: &str = "---
title: Artikel A
date: 2022-03-01
---
Lees [het verslag](/verslagen/2023/) en de [cijfers](b.md#tabel-9).

![Grafiek van de cijfers](grafiek.png)

<img src=\"../../logo.png\">

![](../../logo.png)

<img src=\"../../logo.png\" alt=\"\">

Naar [de tabel](b.md#tabel-1) en [boven](#top) en [de kop](#een-kop).

## Een kop
";

const TEMPLATE: &str = "{% extends \"base.html\" %}
{% block main %}
<p><a href=\"{{ root }}contact/\">Contact</a></p>
{{ page.content | safe }}
{% endblock main %}
";

fn broken_site() -> Site {
    let s = Site::new();
    s.write(
        "content/nieuws/_index.md",
        "---\ntitle: Nieuws\npage_layout: article\n---\n",
    );
    s.write("content/nieuws/a.md", ARTICLE);
    s.write(
        "content/nieuws/b.md",
        "---\ntitle: B\ndate: 2022-01-01\nsummary: Cijfers.\n---\n## Tabel 1\n\nTekst.\n",
    );
    s.write_bytes("static/logo.png", b"png");
    s.write("templates/page.html", TEMPLATE);
    s.write(
        "content/over-ons.md",
        "---\ntitle: Over ons\n---\nWie we zijn.\n",
    );
    s.write(
        "content/colofon.md",
        "---\ntitle: Colofon\n---\nGemaakt met bundel.\n",
    );
    s
}

#[test]
fn reports_each_problem_at_its_source_line() {
    let s = broken_site();
    let (ok, _, err) = check(&s, &[]);
    assert!(!ok, "check must fail");
    let a = "content/nieuws/a.md";
    let expected = [
        format!(
            "{}: error: broken link `/verslagen/2023/`: the site has no page or file `/verslagen/2023/`",
            at(a, ARTICLE, "/verslagen/2023/")
        ),
        format!(
            "{}: error: broken link `b.md#tabel-9`: the page `/nieuws/b/` has no `#tabel-9`",
            at(a, ARTICLE, "b.md#tabel-9")
        ),
        format!(
            "{}: error: image `grafiek.png` not found: the site has no `/nieuws/a/grafiek.png`",
            at(a, ARTICLE, "grafiek.png")
        ),
        format!(
            "{}: error: image `../../logo.png` has no alt text",
            at(a, ARTICLE, "../../logo.png\">")
        ),
        format!(
            "{}: error: image `../../logo.png` has no description between the brackets",
            at(a, ARTICLE, "../../logo.png)")
        ),
        format!("{a}:1:1: error: a news article needs `summary` in its front matter"),
        // A template's broken link is reported once, in the template, not on every page.
        format!(
            "{}: error: broken link `contact/`: the site has no page or file `/contact/`",
            at("templates/page.html", TEMPLATE, "contact/")
        ),
    ];
    for e in &expected {
        assert!(err.contains(e.as_str()), "missing\n  {e}\nin:\n{err}");
    }
    assert!(err.contains("on 2 pages, such as /colofon/"), "{err}");
    assert!(
        err.contains("ids on that page include `#tabel-1`"),
        "anchors that exist are suggested:\n{err}"
    );
    assert_eq!(
        err.matches(": error: ").count(),
        expected.len(),
        "nothing else is reported (alt=\"\" in HTML is decorative; #top and existing anchors are fine):\n{err}"
    );
    assert!(
        err.ends_with(&format!("{} errors found\n", expected.len())),
        "{err}"
    );
}

#[test]
fn the_same_problems_in_a_clean_site_are_gone() {
    let s = Site::new();
    s.write(
        "content/nieuws/_index.md",
        "---\ntitle: Nieuws\npage_layout: article\n---\n",
    );
    s.write(
        "content/nieuws/a/index.md",
        "---\ntitle: A\ndate: 2022-03-01\nsummary: S.\nattachments:\n  - {file: verslag.pdf, title: Verslag}\n---\n[B](../b.md#tabel-1), [verslag](verslag.pdf), ![Grafiek](grafiek.png), [nieuws](/nieuws/)\n",
    );
    s.write_bytes("content/nieuws/a/verslag.pdf", b"%PDF");
    s.write_bytes("content/nieuws/a/grafiek.png", b"png");
    s.write(
        "content/nieuws/b.md",
        "---\ntitle: B\ndate: 2022-01-01\nsummary: S.\n---\n## Tabel 1\n",
    );
    let (ok, out, err) = check(&s, &[]);
    assert!(ok, "{err}");
    assert!(out.contains("no problems found"), "{out}");
}

#[test]
fn duplicate_urls_name_both_files() {
    let s = Site::new();
    s.write("content/over.md", "---\ntitle: Over\n---\n");
    s.write("content/over/index.md", "---\ntitle: Over ons\n---\n");
    let (ok, _, err) = check(&s, &[]);
    assert!(!ok);
    let line = err
        .lines()
        .find(|l| l.contains("both want the URL"))
        .unwrap_or_else(|| panic!("no duplicate reported:\n{err}"));
    assert!(
        line.contains("content/over.md") && line.contains("content/over/index.md"),
        "{line}"
    );
    assert!(line.contains("`/over/`"), "{line}");
}

#[test]
fn required_front_matter_per_kind() {
    let s = Site::new();
    s.write(
        "content/portretten/_index.md",
        "---\ntitle: Portretten\npage_layout: portrait\n---\n",
    );
    s.write(
        "content/portretten/jesse.md",
        "---\ntitle: Jesse\nname: Jesse Wolterink\nrole: \"\"\n---\n",
    );
    s.write(
        "content/rapporten/evaluatie/_index.md",
        "---\ntype: report\ntitle: Evaluatie\ndate: 2022-11-15\n---\n",
    );
    s.write(
        "content/publicaties/bundel/_index.md",
        "---\ntype: publication\ntitle: Bundel\npages:\n  - portretten/jesse\n  - portretten/niemand\n---\n",
    );
    let (ok, _, err) = check(&s, &[]);
    assert!(!ok);
    for e in [
        "content/portretten/jesse.md:4:1: error: `role` is empty; a portrait needs it",
        "content/rapporten/evaluatie/_index.md:1:1: error: a report (`type: report`) needs `organisation` in its front matter",
        "content/publicaties/bundel/_index.md:6:1: error: `pages` lists `portretten/niemand`",
    ] {
        assert!(err.contains(e), "missing\n  {e}\nin:\n{err}");
    }
    assert_eq!(err.matches(": error: ").count(), 3, "{err}");
}

#[test]
fn build_errors_are_reported_too() {
    let s = Site::new();
    s.write("content/a.md", "---\ntitle: A\n---\nZie [b](b.md).\n");
    let (ok, _, err) = check(&s, &[]);
    assert!(!ok);
    assert!(err.contains("content/a.md:4:"), "{err}");
}

/// A web server on 127.0.0.1 that answers 200 for `/goed` and 404 for anything else.
fn local_web_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            let mut reader = BufReader::new(&stream);
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let path = request_line.split_whitespace().nth(1).unwrap_or("");
            let status = if path == "/goed" {
                "200 OK"
            } else {
                "404 Not Found"
            };
            let _ = write!(
                &stream,
                "HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
        }
    });
    port
}

#[test]
fn external_links_are_checked_only_when_asked() {
    let port = local_web_server();
    let text = format!(
        "---\ntitle: Links\n---\nEen [goede link](http://127.0.0.1:{port}/goed) en een [kapotte](http://127.0.0.1:{port}/weg).\n"
    );
    let s = Site::new();
    s.write("content/links.md", &text);

    let (ok, out, err) = check(&s, &[]);
    assert!(ok, "{err}");
    assert!(
        out.contains("2 links to other websites were not checked (use --external"),
        "{out}"
    );

    let (ok, _, err) = check(&s, &["--external", "--timeout", "5"]);
    assert!(!ok);
    let bad = format!("http://127.0.0.1:{port}/weg");
    let expected = format!(
        "{}: error: link `{bad}` answers 404 Not Found",
        at("content/links.md", &text, &bad)
    );
    assert!(err.contains(&expected), "missing\n  {expected}\nin:\n{err}");
    // The quoted source line shows the good link too; no message is about it.
    assert!(
        err.lines()
            .filter(|l| l.contains(": error: "))
            .all(|l| !l.contains("/goed")),
        "{err}"
    );
    assert_eq!(err.matches(": error: ").count(), 1, "{err}");
}

#[test]
fn the_example_site_has_no_problems() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bundel"))
        .args(["check", root.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("no problems found"),
        "{}",
        stdout(&out)
    );
}

/// Raw HTML stays allowed for trusted authors, but what runs code in a reader's browser is
/// named by `check` and by every build, at its line, without failing either.
#[test]
fn scripts_event_handlers_and_javascript_addresses_are_warned_about() {
    let site = Site::new();
    site.write(
        "site.yaml",
        "title: T\nbase_url: https://example.org/\nmenu:\n  - title: Start\n    url: /\n  - title: Kwaad\n    url: \"javascript:alert(1)\"\n",
    );
    site.write(
        "content/over.md",
        "---\ntitle: Over\n---\nTekst <b onmouseover=\"x()\">vet</b>.\n\n<script>alert(1)</script>\n\n[klik](javascript:void(0))\n",
    );
    let (ok, _, err) = check(&site, &[]);
    assert!(ok, "warnings do not fail check: {err}");
    for expected in [
        "content/over.md:4:10: warning: an event-handler attribute `onmouseover=`",
        "content/over.md:6:1: warning: a `<script>` element",
        "content/over.md:8:1: warning: a `javascript:` address in a link",
        "site.yaml:7: warning: the menu entry `Kwaad` has a `javascript:` address",
    ] {
        assert!(err.contains(expected), "{expected}\n{err}");
    }
    let out = site.build();
    let built = stderr(&out);
    assert!(out.status.success(), "{built}");
    assert!(
        built.contains("content/over.md:6:1: warning: a `<script>` element"),
        "{built}"
    );
    assert!(
        site.read("over/index.html")
            .contains("<script>alert(1)</script>"),
        "raw HTML is kept as written"
    );
}

/// Each message names the user's own file and setting, every one of them at once, and never
/// a key that was right.
#[test]
fn messages_name_the_users_setting_and_come_all_at_once() {
    let site = Site::new();
    site.write("data/vsv.csv", "regio,jaar,aantal\nA,2020,5\nB,2020,7\n");
    site.write(
        "content/_index.md",
        "---\ntitle: Home\nfeatured: nieuws/bestaat-niet.md\n---\n```table\ndata: vsv\ntitle: T\nwhere: {regiox: A}\nsort: aantal\n```\n",
    );
    let out = site.bundel(&["build"]);
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(
        err.contains("content/_index.md:8:1: error: the data `vsv` has no column `regiox`"),
        "{err}"
    );
    assert!(
        !err.contains("unknown key `sort`"),
        "a right key is not called unknown: {err}"
    );

    site.write(
        "content/_index.md",
        "---\ntitle: Home\nfeatured: nieuws/bestaat-niet.md\n---\nWelkom.\n",
    );
    let err = stderr(&site.bundel(&["build"]));
    assert!(
        err.contains("content/_index.md:3:11: error: `featured: nieuws/bestaat-niet.md`: no page"),
        "{err}"
    );
    assert!(!err.contains("error: get_page"), "{err}");

    site.write("content/_index.md", "---\ntitle: Home\n---\nWelkom.\n");
    site.write(
        "site.yaml",
        "titel: T\nbase_url: https://example.org/\nsmart_punctuation: misschien\nmenu: 5\n",
    );
    let err = stderr(&site.bundel(&["build"]));
    for at in ["site.yaml:1:1:", "site.yaml:3:20:", "site.yaml:4:7:"] {
        assert!(err.contains(at), "{at}: {err}");
    }
    assert!(err.contains("3 errors found"), "{err}");

    site.write("site.yaml", MINIMAL_CONFIG);
    site.write("templates/page.html", "{{ oops");
    site.write("templates/section.html", "{% if %}");
    let err = stderr(&site.bundel(&["build"]));
    assert!(err.contains("templates/page.html:1:"), "{err}");
    assert!(err.contains("templates/section.html:1:"), "{err}");
    assert!(
        err.contains("2 errors found"),
        "templates that extend a broken one add nothing: {err}"
    );

    site.remove("templates/page.html");
    site.remove("templates/section.html");
    site.write("templates/pagee.html", "<p>x</p>");
    let out = site.bundel(&["build"]);
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    assert!(
        err.contains("templates/pagee.html: warning: `templates/pagee.html` replaces no template of the theme, so the theme's `page.html` is used"),
        "{err}"
    );
}

#[test]
fn a_data_problem_is_reported_once_with_its_line() {
    let s = Site::new();
    s.write(
        "data/kapot.csv",
        "regio;aantal\nAchterhoek;12\nTwente;twaalf\nSalland;14\n",
    );
    s.write("data/ongebruikt.csv", "regio;aantal\nA;1;2\n");
    s.write(
        "content/a.md",
        "---\ntitle: A\n---\n```table\ndata: kapot\ntitle: T\n```\n",
    );
    let (ok, _, err) = check(&s, &[]);
    assert!(!ok);
    assert_eq!(
        err.matches("data/kapot.csv:3:8: error:").count(),
        1,
        "the build and the data check find it; it is said once: {err}"
    );
    assert!(err.contains("3 | Twente;twaalf\n"), "{err}");
    assert!(
        err.contains("data/ongebruikt.csv:2:"),
        "check reads the data files no page uses: {err}"
    );
}
