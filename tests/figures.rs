//! Figures from data, end to end: CSV/YAML in `data/`, blocks in Markdown, HTML and SVG out.

mod common;

use common::*;

/// A Dutch Excel export: semicolons, decimal commas, a byte-order mark, CRLF, Windows-1252.
fn dutch_excel_csv() -> Vec<u8> {
    let text = "schooljaar;landelijk;achterhoek\r\n2016/2017;1,75;1,30\r\n2017/2018;1,90;1,40\r\n2018/2019;2,02;1,47\r\n2019/2020;1,72;\r\n2020/2021;1,87;1,45\r\n";
    let mut bytes = vec![0xEF, 0xBB, 0xBF];
    bytes.extend_from_slice(text.as_bytes());
    bytes
}

fn figures_site() -> Site {
    let s = Site::new();
    s.write_bytes("data/vsv-aandeel.csv", &dutch_excel_csv());
    // Windows-1252: "Zuidwest Fryslân" with â as byte 0xE2.
    let mut regions = b"regio;n;nog_steeds_vsv;aan_het_werk;terug_in_onderwijs\r\nAchterhoek;315;38;36;26\r\nZuidwest Frysl".to_vec();
    regions.push(0xE2);
    regions.extend_from_slice(b"n;145;36;33;31\r\n<b>Landelijk</b>;22.766;40;36;24\r\n");
    s.write_bytes("data/een-jaar-later.csv", &regions);
    s.write(
        "data/instellingen.csv",
        "instelling,mbo1,mbo2,deelnemers\nGraafschap College,14,37,6291\nRijn IJssel,1,4,896\nAventus,1,,590\n",
    );
    s.write(
        "data/onderwijstype.csv",
        "onderwijstype,schooljaar,aantal,percentage,doel\nmbo-1,2019/2020,41,18.6,26.4\nmbo-1,2020/2021,66,29.5,26.4\nvo,2019/2020,32,0.2,1.0\nvo,2020/2021,67,0.5,1.0\n",
    );
    s.write(
        "content/cijfers.md",
        r#"---
title: Cijfers
---
Zoals @fig-trend laat zien, en @Tbl-instellingen bevestigt. Mail info@rmc.example.

```chart
type: line
data: vsv-aandeel
x: schooljaar
y: [landelijk, achterhoek]
rename: {landelijk: Landelijk, achterhoek: Achterhoek}
title: Vsv-aandeel regio en landelijk
unit: "%"
target: {value: 1.4, label: Streefcijfer}
source: DUO dashboard voortijdig schoolverlaten
id: fig-trend
```

```table
data: instellingen
derive: {totaal: "mbo1 + mbo2"}
columns: [instelling, mbo1, mbo2, totaal, deelnemers]
rename: {instelling: Instelling, mbo1: mbo-1}
total: sum
sort: -deelnemers
title: Uitschrijvingen per instelling
source: DUO-gegevens Meten is Weten
id: tbl-instellingen
```

```chart
type: stacked100
data: een-jaar-later
x: regio
y: [terug_in_onderwijs, aan_het_werk, nog_steeds_vsv]
title: Een jaar later
highlight: Achterhoek
```

```table
data: onderwijstype
pivot: {rows: onderwijstype, columns: schooljaar, values: [aantal, percentage], keep: [doel]}
rename: {aantal: Abs., percentage: "%", doel: Streefcijfer}
title: Per onderwijssoort
```

```kpi
- {label: Vsv-aandeel, value: 1.45, unit: "%", previous: 1.20, target: 1.6, lower_is_better: true, note: "2020/2021"}
- {label: Terug naar school, value: 26, unit: "%", target: 30.8}
```
"#,
    );
    s
}

#[test]
fn charts_are_numbered_sourced_accessible_figures_with_their_data() {
    let s = figures_site();
    s.build();
    let doc = s.html("cijfers/index.html");
    let figs = doc.select(&sel("figure.figure--chart")).collect::<Vec<_>>();
    assert_eq!(figs.len(), 2);
    assert_eq!(
        texts(&doc, "figure.figure--chart figcaption .figure__label"),
        ["Figuur 1", "Figuur 2"]
    );
    assert_eq!(attrs(&doc, "figure.figure--chart", "id")[0], "fig-trend");
    assert_eq!(
        texts(&doc, "#fig-trend .figure__source"),
        ["Bron: DUO dashboard voortijdig schoolverlaten"]
    );

    // The SVG: role, title, description, Dutch ticks and labels.
    let svg = doc
        .select(&sel("#fig-trend svg.chart-wide"))
        .next()
        .expect("wide svg");
    assert_eq!(svg.value().attr("role"), Some("img"));
    let labelled = svg.value().attr("aria-labelledby").unwrap();
    for id in labelled.split_whitespace() {
        assert_eq!(
            doc.select(&sel(&format!("#{id}"))).count(),
            1,
            "aria-labelledby target {id}"
        );
    }
    let svg_text: String = svg.text().collect::<Vec<_>>().join(" ");
    assert!(svg_text.contains("1,5%"), "Dutch ticks: {svg_text}");
    assert!(svg_text.contains("Streefcijfer"), "{svg_text}");
    assert!(!svg_text.contains("1.5%"));

    // The data table beside it: categories as row headers, a missing value as "." (the
    // CBS sign; "–" is nil).
    let body = rows(&doc, "#fig-trend details tbody tr");
    assert_eq!(body[0], "2016/2017 1,75% 1,30%");
    assert_eq!(body[3], "2019/2020 1,72% .geen gegevens");
    assert_eq!(
        texts(&doc, "#fig-trend details thead th"),
        ["schooljaar", "Landelijk", "Achterhoek"]
    );

    // Windows-1252 data decoded, and text from data escaped inside the SVG.
    let raw = s.read("cijfers/index.html");
    assert!(raw.contains("Zuidwest Fryslân"));
    assert!(!raw.contains("<b>Landelijk</b>"));
}

#[test]
fn svg_parses_as_xml() {
    let s = figures_site();
    s.build();
    let raw = s.read("cijfers/index.html");
    let mut count = 0;
    let mut rest = raw.as_str();
    while let Some(start) = rest.find("<svg") {
        let end = rest[start..].find("</svg>").unwrap() + start + 6;
        roxmltree::Document::parse(&rest[start..end]).expect("well-formed SVG");
        count += 1;
        rest = &rest[end..];
    }
    assert_eq!(count, 6, "two charts, three layouts each");
}

#[test]
fn tables_format_dutch_numbers_with_totals_and_scope() {
    let s = figures_site();
    s.build();
    let doc = s.html("cijfers/index.html");
    assert_eq!(texts(&doc, "#tbl-instellingen .figure__label"), ["Tabel 1"]);
    assert_eq!(
        texts(&doc, "#tbl-instellingen thead th"),
        ["Instelling", "mbo-1", "mbo2", "totaal", "deelnemers"]
    );
    assert!(attrs(&doc, "#tbl-instellingen thead th", "scope")
        .iter()
        .all(|s| s == "col"));
    assert_eq!(
        attrs(&doc, "#tbl-instellingen tbody th", "scope"),
        ["row", "row", "row"]
    );
    let body = rows(&doc, "#tbl-instellingen tbody tr");
    // sorted by deelnemers, descending; thousands with a dot; a missing value explained
    assert_eq!(body[0], "Graafschap College 14 37 51 6.291");
    assert_eq!(body[2], "Aventus 1 .geen gegevens .geen gegevens 590");
    // mbo2 and totaal have a missing cell (Aventus): a sum of the others would be too low,
    // so their totals stay empty.
    assert_eq!(
        rows(&doc, "#tbl-instellingen tfoot tr"),
        ["Totaal 16   7.777"]
    );
    assert_eq!(
        attrs(&doc, "#tbl-instellingen tbody td.num", "class").len(),
        12
    );
    assert!(texts(&doc, "#tbl-instellingen .figure__notes")
        .iter()
        .any(|n| n.contains(". = gegevens ontbreken.")));
}

#[test]
fn pivot_tables_have_grouped_headers() {
    let s = figures_site();
    s.build();
    let doc = s.html("cijfers/index.html");
    let table = doc.select(&sel("figure.figure--table")).nth(1).unwrap();
    let groups: Vec<String> = table
        .select(&sel("th[scope=colgroup]"))
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(groups, ["2019/2020", "2020/2021"]);
    assert_eq!(attrs(&doc, "th[scope=colgroup]", "colspan"), ["2", "2"]);
    let rows: Vec<String> = table
        .select(&sel("tbody tr"))
        .map(|r| {
            r.text()
                .collect::<Vec<_>>()
                .join(" ")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    assert_eq!(rows, ["mbo-1 41 18,6 66 29,5 26,4", "vo 32 0,2 67 0,5 1,0"]);
}

#[test]
fn kpi_tiles_compute_change_and_target_verdict() {
    let s = figures_site();
    s.build();
    let doc = s.html("cijfers/index.html");
    assert_eq!(texts(&doc, ".kpi__value"), ["1,45%", "26%"]);
    assert_eq!(
        texts(&doc, ".kpi__change"),
        ["▲ +0,25 procentpunt ten opzichte van 1,20%"]
    );
    assert_eq!(
        attrs(&doc, ".kpi__change", "class"),
        ["kpi__change kpi__change--worse"]
    );
    assert_eq!(
        texts(&doc, ".kpi__target"),
        [
            "✓ Streefcijfer 1,6%: gehaald",
            "✗ Streefcijfer 30,8%: niet gehaald"
        ]
    );
}

#[test]
fn cross_references_link_with_numbers_and_leave_emails_alone() {
    let s = figures_site();
    s.build();
    let doc = s.html("cijfers/index.html");
    assert_eq!(texts(&doc, "a.xref"), ["figuur 1", "Tabel 1"]);
    assert_eq!(
        attrs(&doc, "a.xref", "href"),
        ["#fig-trend", "#tbl-instellingen"]
    );
    assert!(s.read("cijfers/index.html").contains("info@rmc.example"));
}

#[test]
fn cross_references_work_across_report_chapters() {
    let s = figures_site();
    s.write(
        "content/rapport/_index.md",
        "---\ntitle: Rapport\ntype: report\nsort_by: weight\n---\nVoorwoord.\n",
    );
    s.write(
        "content/rapport/01-inleiding.md",
        "---\ntitle: Inleiding\nweight: 1\n---\n## Aanleiding\n\nZie @fig-regio en @tbl-data.\n",
    );
    s.write(
        "content/rapport/02-cijfers.md",
        "---\ntitle: Cijfers\nweight: 2\n---\n## Trend\n\n```chart\ntype: bar\ndata: instellingen\nx: instelling\ny: deelnemers\ntitle: Deelnemers\nid: fig-regio\n```\n\n```table\ndata: instellingen\ntitle: Data\nid: tbl-data\n```\n",
    );
    s.build();
    let doc = s.html("rapport/inleiding/index.html");
    assert_eq!(texts(&doc, "a.xref"), ["figuur 2.1", "tabel 2.1"]);
    assert_eq!(
        attrs(&doc, "a.xref", "href"),
        [
            "../../rapport/cijfers/#fig-regio",
            "../../rapport/cijfers/#tbl-data"
        ]
    );
    assert_eq!(texts(&doc, "h2 .secnum"), ["1.1"]);
    let doc = s.html("rapport/cijfers/index.html");
    assert_eq!(texts(&doc, ".figure__label"), ["Figuur 2.1", "Tabel 2.1"]);
}

#[test]
fn data_errors_name_file_line_and_column() {
    let s = figures_site();
    // The build reads the data files its pages use.
    s.write(
        "content/kapot.md",
        "---\ntitle: Kapot\n---\n```table\ndata: kapot\ntitle: T\n```\n",
    );
    s.write(
        "data/kapot.csv",
        "regio;aantal\nAchterhoek;12\nTwente;twaalf\nSalland;14\n",
    );
    let err = stderr(&s.bundel(&["build"]));
    assert!(err.contains("data/kapot.csv:3:8: error:"), "{err}");
    assert!(
        err.contains("\n  |\n3 | Twente;twaalf\n  |        ^^^^^^\n"),
        "the offending line is shown under the message, with a caret under the value: {err}"
    );
    assert!(
        err.contains("content/kapot.md:5:1: error: the data `kapot` cannot be used until the problem of data/kapot.csv is fixed"),
        "{err}"
    );
    s.write("data/kapot.csv", "regio;aantal;aantal\nAchterhoek;12;1\n");
    let err = stderr(&s.bundel(&["build"]));
    assert!(
        err.contains("data/kapot.csv:1:14: error:") && err.contains("aantal"),
        "{err}"
    );
    s.write("data/kapot.csv", "regio;aantal\nAchterhoek;12;1\n");
    let err = stderr(&s.bundel(&["build"]));
    assert!(err.contains("data/kapot.csv:2:"), "{err}");
}

#[test]
fn a_totals_row_that_does_not_add_up_is_reported() {
    let s = figures_site();
    s.write(
        "content/verzuim.md",
        "---\ntitle: Verzuim\n---\n```table\ndata: verzuim\ntitle: T\n```\n",
    );
    s.write(
        "data/verzuim.csv",
        "opleidingsrichting,wettelijk,overig\nTechniek,10,5\nZorg,166,18\nEducatie,177,\nEconomie,44,16\nTotaal,397,36\n",
    );
    let err = stderr(&s.bundel(&["build"]));
    assert!(err.contains("data/verzuim.csv:6:"), "{err}");
    assert!(err.contains("36") && err.contains("39"), "{err}");
}

#[test]
fn block_errors_point_at_the_markdown_line() {
    let s = figures_site();
    s.write(
        "content/fout.md",
        "---\ntitle: Fout\n---\nTekst\n\n```chart\ntype: taart\ndata: bestaatniet\nx: a\ny: b\ntitle: T\nkleur: rood\n```\n\nZie @fig-onbekend.\n\n```table\ndata: ../../etc/passwd\ntitle: T\n```\n",
    );
    let out = s.bundel(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("content/fout.md:7:1: error: unknown chart type `taart`"),
        "{err}"
    );
    assert!(
        err.contains("content/fout.md:8:1: error:") && err.contains("bestaatniet"),
        "{err}"
    );
    assert!(
        err.contains("content/fout.md:12:1: error: unknown key `kleur`"),
        "{err}"
    );
    assert!(
        err.contains("content/fout.md:18:1: error:"),
        "data path outside data/: {err}"
    );
    // Cross-references are checked once the page's blocks are valid.
    s.write(
        "content/fout.md",
        "---\ntitle: Fout\n---\nZie @fig-onbekend.\n",
    );
    let err = stderr(&s.bundel(&["build"]));
    assert!(
        err.contains(
            "content/fout.md:4:5: error: reference to unknown figure or table `@fig-onbekend`"
        ),
        "{err}"
    );
}

#[test]
fn duplicate_figure_ids_are_errors() {
    let s = figures_site();
    s.write(
        "content/dubbel.md",
        "---\ntitle: Dubbel\n---\n```table\ndata: instellingen\ntitle: T\nid: tbl-instellingen\n```\n",
    );
    let err = stderr(&s.bundel(&["build"]));
    assert!(
        err.contains("id `tbl-instellingen` is already used"),
        "{err}"
    );
}

#[test]
fn year_columns_are_labels_not_quantities() {
    let s = Site::new();
    s.write(
        "data/jaren.csv",
        "jaar,peiljaar,deelnemers\n2019,2020,6291\n2020,2021,7002\n",
    );
    s.write(
        "content/cijfers.md",
        "---\ntitle: Cijfers\n---\n```table\ndata: jaren\ncolumns: [jaar, peiljaar, deelnemers]\ntotal: sum\ntitle: Per jaar\nid: tbl-jaren\n```\n",
    );
    let out = s.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = s.html("cijfers/index.html");
    let body = rows(&doc, "#tbl-jaren tbody tr");
    assert_eq!(body, ["2019 2020 6.291", "2020 2021 7.002"]);
    // The counts are summed, the years are not.
    assert_eq!(rows(&doc, "#tbl-jaren tfoot tr"), ["Totaal  13.293"]);
}
