//! Factsheets generated from a data table: one page per region and school year, their key
//! figures, charts and commentary, the index grid, and the errors in the data or the pages
//! written by hand that must stop a build.

mod common;

use common::*;

/// Four regions (one with diacritics, one with a year without figures, two tied), three
/// school years, and the national figures, which get no page of their own.
const VSV: &str = "\
regio,schooljaar,vsv_aantal,vsv_percentage,streefcijfer,vergelijkingsgroep,bron,toelichting
Achterhoek,2018/2019,380,1.47,,matig,DUO,
Achterhoek,2019/2020,300,1.20,,matig,DUO,
Achterhoek,2020/2021,433,1.45,1.6,matig,DUO,Zonder vavo.
Súdwest-Fryslân,2018/2019,150,1.52,1.5,matig,fictief,
Súdwest-Fryslân,2019/2020,140,1.50,1.5,matig,fictief,
Súdwest-Fryslân,2020/2021,145,1.45,1.4,matig,fictief,
Twente,2018/2019,800,1.60,1.7,groot,fictief,
Twente,2019/2020,,,,groot,fictief,Geen cijfers aangeleverd.
Twente,2020/2021,700,1.30,1.5,groot,fictief,
IJssel-Vecht,2018/2019,600,1.70,1.5,groot,fictief,
IJssel-Vecht,2019/2020,650,1.60,1.5,groot,fictief,
IJssel-Vecht,2020/2021,720,1.80,1.5,groot,fictief,
Landelijk,2018/2019,,2.02,,,DUO,
Landelijk,2019/2020,22766,1.72,,,DUO,
Landelijk,2020/2021,,1.87,,,DUO,
";

const TYPES: &str = "\
regio,schooljaar,onderwijstype,aantal,percentage,doelpercentage
Achterhoek,2020/2021,vo,67,0.5,1.0
Achterhoek,2020/2021,mbo-1,66,29.5,26.4
Achterhoek,2020/2021,mbo-2,126,7.6,8.6
Achterhoek,2019/2020,vo,32,0.2,1.0
Achterhoek,2019/2020,mbo-1,41,18.6,26.4
Achterhoek,2019/2020,mbo-2,85,5.5,8.6
";

const INDEX: &str = "\
---
title: Vsv in cijfers
layout: factsheets
data_date: 2022-03-15
sources: [DUO dashboard voortijdig schoolverlaten]
generate:
  data: vsv
  key: [regio, schooljaar]
  where: {regio: \"!= Landelijk\"}
  path: \"{regio}/{schooljaar}\"
  title: \"Vsv in cijfers {regio} {schooljaar}\"
  template: _factsheet.md
  layout: factsheet
  figure: {column: vsv_percentage, unit: \"%\"}
---
Alle factsheets.
";

const TEMPLATE: &str = r#"## Kerncijfers van {regio}

```kpi
- {label: Vsv-aandeel, data: vsv, value: vsv_percentage, unit: "%", previous: true, target: streefcijfer, rank: true, lower_is_better: true, where: {regio: "!= Landelijk"}}
- {label: Aantal vsv'ers, data: vsv, value: vsv_aantal, previous: true, lower_is_better: true}
- {label: Landelijk, data: vsv, value: vsv_percentage, unit: "%", previous: true, lower_is_better: true, scope: [schooljaar], where: {regio: Landelijk}}
```

```chart
type: line
data: vsv
scope: [regio]
where: {regio: ["{regio}", Landelijk]}
x: schooljaar
series: regio
y: vsv_percentage
unit: "%"
title: "Trend {regio}"
id: fig-trend
```

```chart
type: hbar
data: vsv
scope: [schooljaar]
where: {vergelijkingsgroep: "{vergelijkingsgroep}"}
x: regio
y: vsv_percentage
highlight: "{regio}"
unit: "%"
title: "Regio's in de groep {vergelijkingsgroep}"
id: fig-groep
```

```table
data: onderwijstype
columns: [onderwijstype, aantal, percentage]
title: "Per onderwijstype, {regio} {schooljaar}"
id: tbl-types
```

```chart
type: hbar
data: onderwijstype
x: onderwijstype
y: percentage
targets: doelpercentage
title: "Per onderwijstype met doel"
id: fig-types
```
"#;

fn factsheet_site() -> Site {
    let s = Site::new();
    s.write("data/vsv.csv", VSV);
    s.write("data/onderwijstype.csv", TYPES);
    s.write("content/vsv/_index.md", INDEX);
    s.write("content/vsv/_factsheet.md", TEMPLATE);
    s
}

/// `bundel build` must fail with exit code 1; returns the error output.
fn build_fails(s: &Site) -> String {
    let out = s.bundel(&["build"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the build must fail with exit code 1:\n{}{}",
        stdout(&out),
        stderr(&out)
    );
    stderr(&out)
}

#[test]
fn one_page_per_region_and_year_at_folded_addresses() {
    let s = factsheet_site();
    s.build();
    for region in ["achterhoek", "sudwest-fryslan", "twente", "ijssel-vecht"] {
        for year in ["2018-2019", "2019-2020", "2020-2021"] {
            let page = format!("vsv/{region}/{year}/index.html");
            assert!(s.exists(&page), "missing {page}");
        }
    }
    assert!(
        !s.exists("vsv/landelijk"),
        "`where` leaves out the national rows"
    );
    assert!(
        !s.exists("vsv/factsheet"),
        "a file starting with _ is not a page"
    );
    let doc = s.html("vsv/sudwest-fryslan/2020-2021/index.html");
    assert_eq!(
        texts(&doc, "h1"),
        ["Vsv in cijfers Súdwest-Fryslân 2020/2021"]
    );
    assert_eq!(
        texts(&doc, "head title"),
        ["Vsv in cijfers Súdwest-Fryslân 2020/2021 | Testsite"]
    );
    // {regio} in text and in block settings
    assert!(texts(&doc, ".prose h2").contains(&"Kerncijfers van Súdwest-Fryslân".to_string()));
    assert_eq!(
        texts(&doc, "#fig-trend figcaption"),
        ["Figuur 1 Trend Súdwest-Fryslân"]
    );
}

#[test]
fn key_figures_rank_with_ties_change_and_target() {
    let s = factsheet_site();
    s.build();
    let doc = s.html("vsv/achterhoek/2020-2021/index.html");
    assert_eq!(texts(&doc, ".kpi__value"), ["1,45%", "433", "1,87%"]);
    // Twente 1,30% is first; Achterhoek and Súdwest-Fryslân share 1,45%
    assert_eq!(texts(&doc, ".kpi__rank"), ["Positie: gedeeld 2e van 4"]);
    assert_eq!(
        texts(&doc, ".kpi__change"),
        [
            "▲ +0,25 procentpunt ten opzichte van 1,20%",
            "▲ +133 ten opzichte van 300",
            "▲ +0,15 procentpunt ten opzichte van 1,72%"
        ]
    );
    assert_eq!(
        attrs(&doc, ".kpi__change", "class")[0],
        "kpi__change kpi__change--worse",
        "a higher share of early school leavers is worse"
    );
    assert_eq!(
        texts(&doc, ".kpi__target"),
        ["✓ Streefcijfer 1,6%: gehaald"]
    );

    let doc = s.html("vsv/sudwest-fryslan/2020-2021/index.html");
    assert_eq!(texts(&doc, ".kpi__rank"), ["Positie: gedeeld 2e van 4"]);
    assert_eq!(
        texts(&doc, ".kpi__target"),
        ["✗ Streefcijfer 1,4%: niet gehaald"]
    );
    assert_eq!(
        texts(&doc, ".kpi__change")[0],
        "▼ −0,05 procentpunt ten opzichte van 1,50%"
    );

    let doc = s.html("vsv/twente/2020-2021/index.html");
    assert_eq!(texts(&doc, ".kpi__rank"), ["Positie: 1e van 4"]);
    // the year before has no figures: no change rather than a change against zero
    assert_eq!(
        texts(&doc, ".kpi__change"),
        ["▲ +0,15 procentpunt ten opzichte van 1,72%"]
    );

    // a year in which one region has no figures ranks the others among three
    let doc = s.html("vsv/ijssel-vecht/2019-2020/index.html");
    assert_eq!(texts(&doc, ".kpi__rank"), ["Positie: 3e van 3"]);
}

#[test]
fn missing_figures_are_shown_as_missing_not_zero() {
    let s = factsheet_site();
    s.build();
    let doc = s.html("vsv/twente/2019-2020/index.html");
    let values = texts(&doc, ".kpi__value");
    // a dash to see, words to hear
    assert_eq!(values[0], "–geen gegevens");
    assert_eq!(values[1], "–geen gegevens");
    assert_eq!(
        texts(&doc, ".kpi__missing"),
        [
            "Geen gegevens voor 2019/2020",
            "Geen gegevens voor 2019/2020"
        ]
    );
    assert!(
        texts(&doc, ".kpi__rank").is_empty(),
        "no rank without a value"
    );
    // charts leave the region out rather than draw a zero
    assert_eq!(
        rows(&doc, "#fig-groep .figure__data tbody tr"),
        ["Twente .geen gegevens", "IJssel-Vecht 1,6%"]
    );
    // the index shows a dash that still leads to the page
    let index = s.html("vsv/index.html");
    let twente = rows(&index, ".factsheets__grid tbody tr")
        .into_iter()
        .find(|r| r.starts_with("Twente"))
        .unwrap();
    assert!(twente.starts_with("Twente 1,60% (fictief)"), "{twente}");
    assert!(twente.contains("– (fictief)"), "{twente}");
}

#[test]
fn blocks_see_the_page_rows_unless_scope_or_where_says_otherwise() {
    let s = factsheet_site();
    s.build();
    let doc = s.html("vsv/achterhoek/2020-2021/index.html");
    // trend: the region's years beside the national ones (where takes over `regio`)
    assert_eq!(
        rows(&doc, "#fig-trend .figure__data thead tr"),
        ["schooljaar Achterhoek Landelijk"]
    );
    assert_eq!(
        rows(&doc, "#fig-trend .figure__data tbody tr"),
        [
            "2018/2019 1,47% 2,02%",
            "2019/2020 1,20% 1,72%",
            "2020/2021 1,45% 1,87%"
        ]
    );
    // comparison: the regions of the page's group ({vergelijkingsgroep}) in the page's year
    assert_eq!(
        rows(&doc, "#fig-groep .figure__data tbody tr"),
        ["Achterhoek 1,45%", "Súdwest-Fryslân 1,45%"]
    );
    assert_eq!(
        texts(&doc, "#fig-groep figcaption"),
        ["Figuur 2 Regio's in de groep matig"]
    );
    // a second table with the same key columns is limited to the page's region and year
    assert_eq!(
        rows(&doc, "#tbl-types tbody tr"),
        ["vo 67 0,5", "mbo-1 66 29,5", "mbo-2 126 7,6"]
    );
}

#[test]
fn a_second_table_without_rows_for_the_page_shows_a_numbered_empty_figure() {
    let s = factsheet_site();
    s.build();
    // only the Achterhoek has figures per education type
    let doc = s.html("vsv/achterhoek/2020-2021/index.html");
    assert_eq!(rows(&doc, "#tbl-types tbody tr").len(), 3);
    assert_eq!(
        rows(&doc, "#fig-types .figure__data tbody tr"),
        ["vo 0,5 1,0", "mbo-1 29,5 26,4", "mbo-2 7,6 8,6"]
    );
    let doc = s.html("vsv/twente/2020-2021/index.html");
    assert_eq!(
        texts(&doc, ".figure--empty figcaption"),
        [
            "Tabel 1 Per onderwijstype, Twente 2020/2021",
            "Figuur 3 Per onderwijstype met doel"
        ]
    );
    assert_eq!(
        texts(&doc, ".figure__empty"),
        [
            "Geen gegevens voor Twente 2020/2021",
            "Geen gegevens voor Twente 2020/2021"
        ]
    );
}

#[test]
fn the_factsheet_says_whether_its_figures_are_real_and_where_they_come_from() {
    let s = factsheet_site();
    s.build();
    let real = s.html("vsv/achterhoek/2020-2021/index.html");
    assert!(texts(&real, ".factsheet__notice--fictional").is_empty());
    assert_eq!(
        texts(&real, ".factsheet__note"),
        ["Toelichting bij de cijfers: Zonder vavo."]
    );
    assert_eq!(
        texts(&real, ".factsheet__meta dt"),
        [
            "Vergelijkingsgroep",
            "Stand van de cijfers",
            "Cijfers van deze regio"
        ]
    );
    assert_eq!(
        texts(&real, ".factsheet__meta dd"),
        ["matig", "15 maart 2022", "DUO"]
    );
    assert_eq!(
        texts(&real, ".factsheet__footer li"),
        ["DUO dashboard voortijdig schoolverlaten"]
    );
    let fictional = s.html("vsv/twente/2020-2021/index.html");
    let notice = texts(&fictional, ".factsheet__notice--fictional");
    assert_eq!(notice.len(), 1);
    assert!(notice[0].starts_with("Fictieve cijfers."), "{notice:?}");
    // the other school years of the same region, the current one marked
    assert_eq!(
        texts(&fictional, ".factsheet__years li"),
        ["2018/2019 Twente", "2019/2020 Twente", "2020/2021"]
    );
    assert_eq!(
        attrs(&fictional, ".factsheet__years a[aria-current]", "href"),
        ["../../../vsv/twente/2020-2021/"]
    );
}

#[test]
fn bundel_new_factsheet_fills_in_the_key_values_its_title_names() {
    let s = factsheet_site();
    s.write("site.yaml", common::MINIMAL_CONFIG);
    let out = s.bundel(&[
        "new",
        "factsheet",
        "Súdwest-Fryslân 2019/2020",
        "--section",
        "vsv",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("Created content/vsv/sudwest-fryslan-2019-2020.md"),
        "{}",
        stdout(&out)
    );
    let file = s.path().join("content/vsv/sudwest-fryslan-2019-2020.md");
    let text = std::fs::read_to_string(&file).unwrap();
    for line in [
        "title: \"Vsv in cijfers Súdwest-Fryslân 2019/2020\"",
        "regio: \"Súdwest-Fryslân\"",
        "schooljaar: \"2019/2020\"",
    ] {
        assert!(text.contains(line), "missing `{line}` in:\n{text}");
    }
    // The writer adds a text; it lands on the generated factsheet, which keeps its summary.
    std::fs::write(
        &file,
        format!("{text}\nDe regio daalt voor het derde jaar.\n"),
    )
    .unwrap();
    s.build();
    let doc = s.html("vsv/sudwest-fryslan/2019-2020/index.html");
    assert_eq!(
        texts(&doc, ".factsheet__commentary p"),
        ["De regio daalt voor het derde jaar."]
    );
    assert!(!s.exists("vsv/sudwest-fryslan-2019-2020/index.html"));

    // A title without a year: the command says what to fill in, and the build says where.
    let out = s.bundel(&["new", "factsheet", "Toelichting Twente", "--section", "vsv"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let said = stdout(&out);
    assert!(
        said.contains("Fill in `schooljaar` in content/vsv/toelichting-twente.md")
            && said.contains("2020/2021"),
        "{said}"
    );
    let text = std::fs::read_to_string(s.path().join("content/vsv/toelichting-twente.md")).unwrap();
    assert!(text.contains("regio: \"Twente\""), "{text}");
    let err = build_fails(&s);
    assert!(
        err.contains("content/vsv/toelichting-twente.md:")
            && err.contains("regio = Twente, schooljaar = (empty)"),
        "{err}"
    );
}

#[test]
fn a_page_written_by_hand_becomes_the_commentary_of_its_factsheet() {
    let s = factsheet_site();
    // by key values, in a file with another name
    s.write(
        "content/vsv/achterhoek-2021.md",
        "---\ntitle: Vsv in cijfers Achterhoek 2020/2021\nregio: Achterhoek\nschooljaar: 2020/2021\n---\nDe stijging komt vooral door **mbo-1**, zie @fig-trend.\n",
    );
    // by address
    s.write(
        "content/vsv/twente/2018-2019.md",
        "---\ntitle: Twente 2018/2019\n---\nEen eigen tekst over Twente.\n",
    );
    s.build();
    let doc = s.html("vsv/achterhoek/2020-2021/index.html");
    assert_eq!(
        texts(&doc, ".factsheet__commentary p"),
        ["De stijging komt vooral door mbo-1, zie figuur 1."]
    );
    assert_eq!(texts(&doc, ".factsheet__commentary strong"), ["mbo-1"]);
    // a reference finds the figure of its own page, not the one of the first factsheet
    assert_eq!(
        attrs(&doc, ".factsheet__commentary a.xref", "href"),
        ["#fig-trend"]
    );
    // still the whole factsheet
    assert_eq!(texts(&doc, ".kpi__value"), ["1,45%", "433", "1,87%"]);
    assert!(
        !s.exists("vsv/achterhoek-2021/index.html"),
        "no second page"
    );

    let doc = s.html("vsv/twente/2018-2019/index.html");
    assert_eq!(
        texts(&doc, ".factsheet__commentary p"),
        ["Een eigen tekst over Twente."]
    );
    assert_eq!(texts(&doc, "h1"), ["Twente 2018/2019"]);
    assert_eq!(texts(&doc, ".kpi__value")[0], "1,60%");
    // pages without a hand-written text have no commentary
    let doc = s.html("vsv/twente/2020-2021/index.html");
    assert!(texts(&doc, ".factsheet__commentary").is_empty());
}

#[test]
fn the_index_is_a_grid_of_regions_by_year_linking_every_factsheet() {
    let s = factsheet_site();
    s.build();
    let doc = s.html("vsv/index.html");
    assert_eq!(
        texts(&doc, ".factsheets__grid thead th"),
        ["Regio", "2018/2019", "2019/2020", "2020/2021"]
    );
    assert_eq!(
        attrs(&doc, ".factsheets__grid th[scope=col]", "scope").len(),
        4
    );
    assert_eq!(
        texts(&doc, ".factsheets__grid tbody th[scope=row]"),
        ["Achterhoek", "IJssel-Vecht", "Súdwest-Fryslân", "Twente"]
    );
    assert_eq!(
        texts(&doc, ".factsheets__grid caption"),
        ["Kerncijfer per regio en schooljaar. Elk cijfer leidt naar de factsheet."]
    );
    let links = attrs(&doc, ".factsheets__grid td a", "href");
    assert_eq!(links.len(), 12);
    assert_eq!(links[0], "../vsv/achterhoek/2018-2019/");
    assert_eq!(links[8], "../vsv/sudwest-fryslan/2020-2021/");
    for link in &links {
        let target = format!("{}index.html", link.trim_start_matches("../"));
        assert!(s.exists(&target), "{link} leads nowhere");
    }
    // one number of decimals for the whole column, and the page each figure stands for
    assert_eq!(
        texts(&doc, ".factsheets__grid tbody tr:first-child td a"),
        [
            "1,47%: Vsv in cijfers Achterhoek 2018/2019",
            "1,20%: Vsv in cijfers Achterhoek 2019/2020",
            "1,45%: Vsv in cijfers Achterhoek 2020/2021"
        ]
    );
    assert_eq!(
        attrs(&doc, ".factsheets__grid tbody tr:first-child td a", "class"),
        ["is-real", "is-real", "is-real"]
    );
    // the latest year first, and a way to jump there
    assert_eq!(texts(&doc, "#nieuwste"), ["Nieuwste factsheets 2020/2021"]);
    assert_eq!(
        attrs(&doc, ".factsheets__jump a", "href"),
        ["#nieuwste", "#overzicht"]
    );
    assert_eq!(
        attrs(&doc, ".factsheets__list a", "href"),
        [
            "../vsv/achterhoek/2020-2021/",
            "../vsv/ijssel-vecht/2020-2021/",
            "../vsv/sudwest-fryslan/2020-2021/",
            "../vsv/twente/2020-2021/"
        ]
    );
}

#[test]
fn a_duplicate_key_is_an_error_at_its_line() {
    let s = factsheet_site();
    s.write(
        "data/vsv.csv",
        &VSV.replace("Twente,2020/2021,700", "Twente,2019/2020,700"),
    );
    let err = build_fails(&s);
    assert!(
        err.contains("data/vsv.csv:10:1: error: duplicate key regio = Twente, schooljaar = 2019/2020: line 9 has the same"),
        "{err}"
    );
    assert!(!s.exists("vsv"), "nothing is written");
}

#[test]
fn an_unknown_key_column_is_an_error_at_the_key_setting() {
    let s = factsheet_site();
    s.write(
        "content/vsv/_index.md",
        &INDEX
            .replace("key: [regio, schooljaar]", "key: [regio, jaar]")
            .replace("{schooljaar}", "{jaar}"),
    );
    let err = build_fails(&s);
    assert!(err.contains("content/vsv/_index.md:8:3: error:"), "{err}");
    assert!(err.contains("`jaar`"), "{err}");
}

#[test]
fn an_empty_key_cell_is_an_error_at_the_cell() {
    let s = factsheet_site();
    s.write(
        "data/vsv.csv",
        &VSV.replace("Twente,2020/2021,700", "Twente,,700"),
    );
    let err = build_fails(&s);
    assert!(
        err.contains("data/vsv.csv:10:8: error: the key column `schooljaar` is empty here"),
        "{err}"
    );
}

#[test]
fn a_hand_written_page_for_a_key_without_data_is_an_error() {
    let s = factsheet_site();
    s.write(
        "content/vsv/achterland.md",
        "---\ntitle: Achterland\nregio: Achterland\nschooljaar: 2020/2021\n---\nTekst.\n",
    );
    let err = build_fails(&s);
    assert!(
        err.contains("content/vsv/achterland.md:3:1: error: there is no data for regio = Achterland, schooljaar = 2020/2021 in `vsv`"),
        "{err}"
    );
}

#[test]
fn a_region_without_any_data_is_an_error() {
    let s = factsheet_site();
    s.write(
        "data/vsv.csv",
        &format!("{VSV}Zeeland,2018/2019,,,,,,\nZeeland,2019/2020,,,,,,\n"),
    );
    let err = build_fails(&s);
    assert!(
        err.contains("data/vsv.csv:17:1: error: `Zeeland` has no data at all in `vsv`"),
        "{err}"
    );
}

#[test]
fn a_kpi_where_that_drops_the_page_row_says_how_to_reach_another_row() {
    let s = factsheet_site();
    s.write(
        "content/vsv/_factsheet.md",
        "```kpi\n- {label: Landelijk, data: vsv, value: vsv_percentage, where: {regio: Landelijk}}\n```\n",
    );
    let err = build_fails(&s);
    assert!(
        err.contains("content/vsv/_factsheet.md:2:") && err.contains("`where` leaves no row"),
        "{err}"
    );
    assert!(err.contains("scope: [schooljaar]"), "{err}");
}

// Issue 10, items 4 and 5: a generated page never reads a file outside the site and never
// silently replaces another page.

#[test]
fn a_template_outside_the_site_is_refused() {
    let s = factsheet_site();
    s.write(
        "content/vsv/_index.md",
        &INDEX.replace("template: _factsheet.md", "template: /etc/passwd"),
    );
    let err = build_fails(&s);
    assert!(
        err.contains("content/vsv/_index.md") && err.contains("is outside the site folder"),
        "{err}"
    );
    s.write(
        "content/vsv/_index.md",
        &INDEX.replace(
            "template: _factsheet.md",
            "template: ../../../../etc/passwd",
        ),
    );
    let err = build_fails(&s);
    assert!(err.contains("is outside the site folder"), "{err}");
    assert!(!s.exists("vsv"), "nothing is written");
}

#[test]
fn a_path_that_leaves_out_a_key_column_is_an_error() {
    let s = factsheet_site();
    s.write(
        "content/vsv/_index.md",
        &INDEX.replace("path: \"{regio}/{schooljaar}\"", "path: \"{regio}\""),
    );
    let err = build_fails(&s);
    assert!(
        err.contains("`path` leaves out the key column `schooljaar`"),
        "{err}"
    );
    assert!(
        err.contains("{regio}/{schooljaar}"),
        "the hint shows a fix: {err}"
    );
}

#[test]
fn a_path_that_climbs_out_of_the_section_is_an_error() {
    let s = factsheet_site();
    s.write(
        "content/twente.md",
        "---\ntitle: Twente\n---\nMet de hand.\n",
    );
    s.write(
        "content/vsv/_index.md",
        &INDEX.replace(
            "path: \"{regio}/{schooljaar}\"",
            "path: \"../{regio}/{schooljaar}\"",
        ),
    );
    let err = build_fails(&s);
    assert!(err.contains("leaves the section folder"), "{err}");
}

#[test]
fn key_values_that_give_the_same_address_are_an_error_naming_both_rows() {
    let s = factsheet_site();
    let vsv = format!(
        "{VSV}Noord Holland,2020/2021,10,1.0,,klein,fictief,\n\
         NOORD HOLLAND,2020/2021,11,1.1,,klein,fictief,\n"
    );
    s.write("data/vsv.csv", &vsv);
    let err = build_fails(&s);
    assert!(err.contains("data/vsv.csv:18:1: error:"), "{err}");
    assert!(
        err.contains("regio = NOORD HOLLAND")
            && err.contains("regio = Noord Holland")
            && err.contains("line 17"),
        "both rows are named: {err}"
    );
}

#[test]
fn a_key_value_without_letters_or_digits_is_an_error() {
    let s = factsheet_site();
    let vsv = format!("{VSV}...,2020/2021,10,1.0,,klein,fictief,\n");
    s.write("data/vsv.csv", &vsv);
    let err = build_fails(&s);
    assert!(err.contains("data/vsv.csv:17:1: error:"), "{err}");
    assert!(err.contains("no letters or digits"), "{err}");
}

#[test]
fn a_title_placeholder_that_is_not_a_key_is_an_error() {
    let s = factsheet_site();
    s.write(
        "content/vsv/_index.md",
        &INDEX.replace(
            "title: \"Vsv in cijfers {regio} {schooljaar}\"",
            "title: \"Vsv in cijfers {regio} {jaar}\"",
        ),
    );
    let err = build_fails(&s);
    assert!(
        err.contains("`title` uses `{jaar}`, which is not a key column"),
        "{err}"
    );
}

#[test]
fn a_slug_without_letters_or_digits_is_an_error() {
    let s = factsheet_site();
    s.write(
        "content/vsv/noot.md",
        "---\ntitle: Noot\nslug: \"..\"\n---\nTekst.\n",
    );
    let err = build_fails(&s);
    assert!(err.contains("content/vsv/noot.md:3:"), "{err}");
    assert!(err.contains("no letters or digits"), "{err}");
}

/// A wrong `layout:` under `generate:` is reported at that line of the section, where it
/// was written, not in the page template.
#[test]
fn an_unknown_generate_layout_is_reported_where_it_was_written() {
    let site = Site::new();
    site.write("data/vsv.csv", "regio,aantal\nAchterhoek,12\nTwente,7\n");
    site.write(
        "content/cijfers/_index.md",
        "---\ntitle: Cijfers\ngenerate:\n  data: vsv\n  key: [regio]\n  path: \"{regio}\"\n  title: \"Cijfers {regio}\"\n  template: _t.md\n  layout: factshet\n---\n",
    );
    site.write("content/cijfers/_t.md", "---\ntitle: x\n---\nTekst.\n");
    let err = stderr(&site.bundel(&["build"]));
    assert!(
        err.contains("content/cijfers/_index.md:9:1: error: unknown layout `factshet`"),
        "{err}"
    );
}
