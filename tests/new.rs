//! `bundel new`: each kind of page lands where it belongs, with the front matter it needs,
//! and builds straight away.

mod common;

use common::*;

fn site() -> Site {
    let s = Site::new();
    s.write(
        "site.yaml",
        "title: RMC-regio Achterhoek\nbase_url: https://example.org/\norganisation:\n  name: RMC-regio Achterhoek\n",
    );
    s.write(
        "content/nieuws/_index.md",
        "---\ntitle: Nieuws\npage_layout: article\n---\n",
    );
    s.write(
        "content/portretten/_index.md",
        "---\ntitle: Portretten\nsort_by: weight\npage_layout: portrait\n---\n",
    );
    s
}

fn new(site: &Site, args: &[&str]) -> String {
    let mut all = vec!["new"];
    all.extend_from_slice(args);
    let out = site.bundel(&all);
    assert!(
        out.status.success(),
        "bundel new {args:?} failed:\n{}",
        stderr(&out)
    );
    stdout(&out)
}

fn source(site: &Site, rel: &str) -> String {
    std::fs::read_to_string(site.path().join(rel))
        .unwrap_or_else(|e| panic!("{rel} was not created: {e}"))
}

fn today() -> String {
    chrono::Local::now().format("%Y-%m-%d").to_string()
}

/// A page straight from `bundel new` must never break the build.
fn builds(site: &Site) {
    site.build();
}

#[test]
fn article_is_a_dated_draft_in_the_news_section() {
    let s = site();
    let out = new(&s, &["article", "Twee nieuwe dashboards"]);
    assert!(
        out.contains("Created content/nieuws/twee-nieuwe-dashboards.md"),
        "{out}"
    );
    let text = source(&s, "content/nieuws/twee-nieuwe-dashboards.md");
    for line in [
        "title: \"Twee nieuwe dashboards\"",
        &format!("date: {}", today()),
        "author: Redactie",
        "\ncategory:\n",
        "summary: \"\"",
        "tags: []",
        "draft: true",
    ] {
        assert!(text.contains(line), "missing `{line}` in:\n{text}");
    }
    assert!(
        text.contains("# De inleiding"),
        "fields are explained in Dutch:\n{text}"
    );
    builds(&s);
    assert!(
        !s.exists("nieuws/twee-nieuwe-dashboards/index.html"),
        "drafts stay off the site"
    );

    // Filled in and published, it builds as an article.
    let text = text
        .replace("draft: true", "draft: false")
        .replace("summary: \"\"", "summary: \"Twee dashboards.\"");
    s.write("content/nieuws/twee-nieuwe-dashboards.md", &text);
    builds(&s);
    let doc = s.html("nieuws/twee-nieuwe-dashboards/index.html");
    assert_eq!(texts(&doc, "h1"), ["Twee nieuwe dashboards"]);
    let check = s.bundel(&["check"]);
    assert!(check.status.success(), "{}", stderr(&check));
}

#[test]
fn slugs_fold_dutch_and_frisian_diacritics() {
    let s = site();
    let out = new(&s, &["article", "Súdwest-Fryslân: één aanpak voor ’t vsv"]);
    assert!(
        out.contains("content/nieuws/sudwest-fryslan-een-aanpak-voor-t-vsv.md"),
        "{out}"
    );
    let text = source(
        &s,
        "content/nieuws/sudwest-fryslan-een-aanpak-voor-t-vsv.md",
    );
    assert!(
        text.contains("title: \"Súdwest-Fryslân: één aanpak voor ’t vsv\""),
        "the title is kept as typed:\n{text}"
    );
    builds(&s);
}

#[test]
fn portrait_is_a_bundle_with_the_next_series_number() {
    let s = site();
    s.write(
        "content/portretten/anja/index.md",
        "---\ntitle: A\nname: Anja\nrole: Wethouder\nseries: 1\nweight: 1\n---\n",
    );
    s.write(
        "content/portretten/erik.md",
        "---\ntitle: E\nname: Erik\nrole: Coach\nseries: 4\n---\n",
    );
    s.write(
        "content/portretten/concept/index.md",
        "---\ntitle: C\nseries: 5\ndraft: true\n---\n",
    );
    let out = new(&s, &["portrait", "Ik wil gewoon werken"]);
    assert!(
        out.contains("Created content/portretten/ik-wil-gewoon-werken/index.md"),
        "{out}"
    );
    let text = source(&s, "content/portretten/ik-wil-gewoon-werken/index.md");
    for line in [
        "title: \"Ik wil gewoon werken\"",
        "quote_headline: true",
        "name: \"\"",
        "role: \"\"",
        "organisation: \"\"",
        "series: 6",
        "weight: 6",
        &format!("date: {}", today()),
        "summary: \"\"",
        "# photo: foto.jpg",
    ] {
        assert!(text.contains(line), "missing `{line}` in:\n{text}");
    }
    builds(&s);
    assert!(s.exists("portretten/ik-wil-gewoon-werken/index.html"));

    // `check` asks for the name and role still to be filled in.
    let check = s.bundel(&["check"]);
    assert!(!check.status.success());
    let err = stderr(&check);
    assert!(
        err.contains(
            "content/portretten/ik-wil-gewoon-werken/index.md:7:1: error: `name` is empty"
        ),
        "{err}"
    );

    let out = new(&s, &["portrait", "Nummer zeven"]);
    assert!(out.contains("nummer-zeven/index.md"));
    assert!(source(&s, "content/portretten/nummer-zeven/index.md").contains("series: 7"));
}

#[test]
fn the_first_portrait_of_a_new_series_is_number_one() {
    let s = site();
    new(&s, &["portrait", "Eerste", "--section", "interviews"]);
    let text = source(&s, "content/interviews/eerste/index.md");
    assert!(text.contains("series: 1\n"), "{text}");
    builds(&s);
}

#[test]
fn report_is_a_section_with_a_first_chapter() {
    let s = site();
    let out = new(&s, &["report", "Tussenevaluatie 2024"]);
    assert!(out.contains("Created content/rapporten/tussenevaluatie-2024/_index.md"));
    assert!(out.contains("Created content/rapporten/tussenevaluatie-2024/01-inleiding.md"));
    let text = source(&s, "content/rapporten/tussenevaluatie-2024/_index.md");
    for line in [
        "type: report",
        "pdf: true",
        "title: \"Tussenevaluatie 2024\"",
        "subtitle: \"\"",
        "authors: []",
        "organisation: \"RMC-regio Achterhoek\"",
        "commissioned_by: \"\"",
        &format!("date: {}", today()),
        "summary: \"\"",
    ] {
        assert!(text.contains(line), "missing `{line}` in:\n{text}");
    }
    let chapter = source(&s, "content/rapporten/tussenevaluatie-2024/01-inleiding.md");
    assert!(chapter.contains("title: Inleiding"));
    builds(&s);
    assert!(s.exists("rapporten/tussenevaluatie-2024/index.html"));
    assert!(s.exists("rapporten/tussenevaluatie-2024/inleiding/index.html"));
}

#[test]
fn publication_and_factsheet() {
    let s = site();
    new(&s, &["publication", "Met gebundelde kracht"]);
    let text = source(&s, "content/publicaties/met-gebundelde-kracht/_index.md");
    for line in ["type: publication", "pdf: true", "pages: []"] {
        assert!(text.contains(line), "missing `{line}` in:\n{text}");
    }
    new(&s, &["factsheet", "Vsv in cijfers 2021/2022"]);
    let text = source(&s, "content/factsheets/vsv-in-cijfers-2021-2022.md");
    assert!(
        text.contains("title: \"Vsv in cijfers 2021/2022\""),
        "{text}"
    );
    assert!(text.contains(&format!("date: {}", today())));
    assert!(text.contains("summary: \"\""));
    builds(&s);
    assert!(s.exists("factsheets/vsv-in-cijfers-2021-2022/index.html"));
    assert!(s.exists("publicaties/met-gebundelde-kracht/index.html"));
}

#[test]
fn a_leading_year_stays_in_the_address() {
    let s = site();
    new(&s, &["factsheet", "2024 in cijfers"]);
    builds(&s);
    assert!(s.exists("factsheets/2024-in-cijfers/index.html"));
}

#[test]
fn section_option_chooses_the_folder() {
    let s = site();
    let out = new(&s, &["article", "Terugblik", "--section", "nieuws/2024"]);
    assert!(out.contains("content/nieuws/2024/terugblik.md"), "{out}");
    let out = s.bundel(&["new", "article", "X", "--section", "../buiten"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("inside content/"), "{}", stderr(&out));
}

#[test]
fn never_overwrites_and_names_the_path() {
    let s = site();
    new(&s, &["article", "Webinar"]);
    let path = s.path().join("content/nieuws/webinar.md");
    std::fs::write(&path, "mijn eigen tekst").unwrap();
    let out = s.bundel(&["new", "article", "Webinar"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("content/nieuws/webinar.md: error: already exists"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "mijn eigen tekst");

    // A page bundle with that name claims the same address.
    s.write("content/nieuws/dashboards/index.md", "---\ntitle: D\n---\n");
    let out = s.bundel(&["new", "article", "Dashboards"]);
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("content/nieuws/dashboards/index.md"),
        "{}",
        stderr(&out)
    );
    assert!(!s.path().join("content/nieuws/dashboards.md").exists());
}

#[test]
fn the_site_folder_can_be_named_and_must_be_a_site() {
    let s = site();
    let elsewhere = Site::bare();
    let out = elsewhere.bundel(&[
        "new",
        "factsheet",
        "Cijfers",
        "--site",
        s.path().to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(s.path().join("content/factsheets/cijfers.md").exists());

    let out = elsewhere.bundel(&["new", "factsheet", "Cijfers"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("no site.yaml"), "{}", stderr(&out));
}
