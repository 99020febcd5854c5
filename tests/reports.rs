//! Reports (chapters, numbering, contents, one-page view) and publications (bundles of
//! existing pages).

mod common;

use common::*;

fn report_site() -> Site {
    let s = Site::new();
    s.write("data/cijfers.csv", "jaar,aantal\n2020,12\n2021,15\n");
    s.write(
        "content/rapport/_index.md",
        "---\ntitle: Tussenevaluatie\ntype: report\nsubtitle: Voortgang\nauthors: [A. Auteur, B. Schrijver]\norganisation: RMC-regio\ncommissioned_by: Stuurgroep\ndate: 2022-11-15\nsort_by: weight\n---\n## Voorwoord\n\nDank aan iedereen.\n",
    );
    s.write(
        "content/rapport/01-inleiding.md",
        "---\ntitle: Inleiding\nweight: 1\n---\n## Aanleiding\n\nZie @fig-trend en [de cijfers](02-cijfers.md#trend).[^1]\n\n[^1]: Eerste noot.\n\n## Vragen\n\n1. Wat?\n2. Hoe?\n",
    );
    s.write(
        "content/rapport/02-cijfers.md",
        "---\ntitle: Cijfers\nweight: 2\n---\n## Trend\n\nTekst.[^a]\n\n[^a]: Tweede noot.\n\n```chart\ntype: line\ndata: cijfers\nx: jaar\ny: aantal\ntitle: Aantal per jaar\nid: fig-trend\n```\n\n### Detail\n\n> [!actiepunten] Actiepunten\n>\n> - doen\n",
    );
    s.write(
        "content/portretten/_index.md",
        "---\ntitle: Portretten\npage_layout: portrait\nsort_by: weight\n---\n",
    );
    for (i, name) in ["anna", "bram"].iter().enumerate() {
        s.write(
            &format!("content/portretten/{name}.md"),
            &format!("---\ntitle: Kop {name}\nname: {name}\nrole: rol\nseries: {}\nweight: {}\n---\n## Samenwerking\n\nTekst.\n", i + 1, i + 1),
        );
    }
    s.write(
        "content/bundel/_index.md",
        "---\ntitle: Met gebundelde kracht\ntype: publication\npages: [bundel/inleiding, portretten/anna, portretten/bram]\n---\nOver deze bundel.\n",
    );
    s.write(
        "content/bundel/inleiding.md",
        "---\ntitle: Inleiding\n---\nWelkom.\n",
    );
    s
}

#[test]
fn chapters_are_numbered_with_sections_and_report_navigation() {
    let s = report_site();
    s.build();
    let doc = s.html("rapport/cijfers/index.html");
    assert_eq!(texts(&doc, "h1"), ["2 Cijfers"]);
    assert_eq!(texts(&doc, "main h2 .secnum"), ["2.1"]);
    assert_eq!(texts(&doc, "main h3 .secnum"), ["2.1.1"]);
    assert_eq!(texts(&doc, ".figure__label"), ["Figuur 2.1"]);
    assert_eq!(texts(&doc, ".breadcrumb a"), ["Tussenevaluatie"]);
    assert_eq!(
        texts(&doc, ".doc-toc__item > a"),
        ["1 Inleiding", "2 Cijfers"]
    );
    assert_eq!(
        attrs(&doc, ".doc-toc__item > a[aria-current]", "href"),
        ["../../rapport/cijfers/"]
    );
    assert_eq!(texts(&doc, ".pager__title"), ["Inleiding"]);
    // footnotes are numbered through the report: the first note of chapter 2 is note 2
    assert_eq!(texts(&doc, ".footnote-ref a"), ["2"]);
    assert_eq!(texts(&doc, ".box-title"), ["Actiepunten"]);
}

#[test]
fn report_front_page_has_metadata_and_contents() {
    let s = report_site();
    s.build();
    let doc = s.html("rapport/index.html");
    assert_eq!(texts(&doc, "h1"), ["Tussenevaluatie"]);
    let meta = texts(&doc, ".doc-meta dd");
    assert_eq!(
        meta,
        [
            "A. Auteur, B. Schrijver",
            "RMC-regio",
            "Stuurgroep",
            "15 november 2022"
        ]
    );
    assert_eq!(
        texts(&doc, ".doc-toc ol ol a"),
        ["1.1 Aanleiding", "1.2 Vragen", "2.1 Trend"]
    );
    assert_eq!(
        attrs(&doc, ".doc-actions a.button", "href"),
        ["../rapport/print/"]
    );
    // without --pdf there is no link to a PDF that does not exist
    assert!(doc.select(&sel("a[href$='.pdf']")).next().is_none());
}

#[test]
fn one_page_view_holds_the_whole_report_with_working_internal_links() {
    let s = report_site();
    s.build();
    let doc = s.html("rapport/print/index.html");
    assert_eq!(
        texts(&doc, "h1"),
        ["Tussenevaluatie"],
        "one h1: the document title"
    );
    assert_eq!(
        texts(&doc, "h2.chapter__title"),
        ["Voorwoord", "1 Inleiding", "2 Cijfers"]
    );
    // chapter sections are one level down, numbered
    assert_eq!(texts(&doc, ".chapter h3 .secnum"), ["1.1", "1.2", "2.1"]);
    // every in-page link points at an element of this page
    let ids: Vec<String> = attrs(&doc, "[id]", "id");
    for href in attrs(&doc, "main a[href^='#']", "href") {
        assert!(
            ids.contains(&href[1..].to_string()),
            "dangling in-page link {href}"
        );
    }
    // links between chapters became in-page links
    let hrefs = attrs(&doc, ".chapter a", "href");
    assert!(hrefs.contains(&"#trend".to_string()), "{hrefs:?}");
    assert!(hrefs.contains(&"#fig-trend".to_string()), "{hrefs:?}");
    // ids are unique
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        sorted.len(),
        ids.len(),
        "duplicate ids in the one-page view"
    );
    assert!(s.read("rapport/print/index.html").contains("css/print.css"));
}

#[test]
fn publications_bundle_existing_pages_in_order() {
    let s = report_site();
    s.build();
    let doc = s.html("bundel/index.html");
    assert_eq!(
        texts(&doc, ".doc-toc__item > a"),
        ["Inleiding", "1 Kop anna", "2 Kop bram"]
    );
    let print = s.html("bundel/print/index.html");
    assert_eq!(
        texts(&print, "h2.chapter__title"),
        ["Voorwoord", "Inleiding", "Kop anna", "Kop bram"]
    );
    // the portraits are written once: still their own pages
    assert!(s.exists("portretten/anna/index.html"));
    let ids: Vec<String> = attrs(&print, "[id]", "id");
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        sorted.len(),
        ids.len(),
        "both portraits have a 'Samenwerking' heading; ids must stay unique"
    );
}

#[test]
fn publication_listing_unknown_pages_is_an_error() {
    let s = report_site();
    s.write(
        "content/bundel/_index.md",
        "---\ntitle: Bundel\ntype: publication\npages:\n  - bundel/inleiding\n  - portretten/anne\n---\n",
    );
    let err = stderr(&s.bundel(&["build"]));
    assert!(
        err.contains("content/bundel/_index.md:6:1: error: `pages` lists `portretten/anne`"),
        "{err}"
    );
    assert!(err.contains("did you mean `portretten/anna`"), "{err}");
}
