//! Tables that match the published report, from files typed the way reports print them:
//! blanks where an institution had no cases, a row-total column and a ratio column.

mod common;

use std::path::Path;

use bundel::data::{DataTable, Total};
use common::*;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// The report's Tabel 2.4 as a Dutch Excel saves it: semicolons, a byte-order mark, and
/// empty cells where the reference file has 0.
fn tabel_2_4_csv() -> String {
    let reference = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(
        "../shared/reference/figures/uitschrijvingen-zonder-sk-per-instelling-2021-2022.csv",
    ))
    .or_else(|_| {
        std::fs::read_to_string(
            "/work/shared/reference/figures/uitschrijvingen-zonder-sk-per-instelling-2021-2022.csv",
        )
    })
    .unwrap_or_else(|_| REFERENCE_2_4.to_string());
    let mut out = String::from("\u{feff}instelling;mbo 1;mbo 2;mbo 3;mbo 4;deelnemers\r\n");
    for line in reference.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        let counts: Vec<&str> = cells[1..5]
            .iter()
            .map(|c| if *c == "0" { "" } else { c })
            .collect();
        out.push_str(&format!(
            "{};{};{}\r\n",
            cells[0],
            counts.join(";"),
            cells[5]
        ));
    }
    out
}

/// The reference figures (DUO, Meten is Weten), for machines without `../shared`.
const REFERENCE_2_4: &str = "instelling,mbo1,mbo2,mbo3,mbo4,deelnemers
Aeres VMBO en Aeres MBO,0,0,0,1,135
Deltion College,0,1,0,1,61
Regionaal Opleidingen Centrum A12,0,1,0,0,99
Regionaal Opleidingen Centrum Graafschap College,14,37,15,25,6291
Regionaal Opleidingen Centrum Nijmegen e.o.,0,0,1,1,64
Regionaal Opleidingen Centrum Rijn IJssel,1,4,2,10,896
Regionaal Opleidingen Centrum Tilburg,0,1,0,0,20
Regionaal Opleidingen Centrum Twente,0,1,2,3,642
Stg ROC Summa College,0,0,0,1,3
Stichting Regionaal Opleidingen Centrum AVENTUS,1,2,0,1,590
Yuverta,0,0,0,1,97
Zone.college,0,0,2,1,537
";

const TABLE_2_4: &str = "---
title: Uitval
---
```table
data: tabel-2-4
title: Uitschrijvingen zonder startkwalificatie per mbo-instelling
derive: {Totaal: \"`mbo 1` + `mbo 2` + `mbo 3` + `mbo 4`\", \"Potentieel vsv (%)\": \"Totaal / deelnemers * 100\"}
columns: [instelling, mbo 1, mbo 2, mbo 3, mbo 4, Totaal, deelnemers, Potentieel vsv (%)]
decimals: {Potentieel vsv (%): 1}
total: sum
```
";

fn footer(site: &Site) -> Vec<String> {
    let doc = site.html("uitval/index.html");
    texts(&doc, "tfoot td, tfoot th")
}

#[test]
fn tabel_2_4_totals_match_the_report_from_a_file_with_blanks() {
    let site = Site::new();
    site.write_bytes("data/tabel-2-4.csv", tabel_2_4_csv().as_bytes());
    site.write("data/tabel-2-4.meta.yaml", "empty: 0\n");
    site.write("content/uitval.md", TABLE_2_4);
    let out = site.build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        footer(&site),
        ["Totaal", "16", "47", "22", "45", "130", "9.435", "1,4%"],
        "the report's totals row"
    );
    let doc = site.html("uitval/index.html");
    let body = rows(&doc, "tbody tr");
    assert_eq!(
        body[3],
        "Regionaal Opleidingen Centrum Graafschap College 14 37 15 25 91 6.291 1,4%"
    );
    assert_eq!(body[0], "Aeres VMBO en Aeres MBO 0 0 0 1 1 135 0,7%");
}

/// Without being told that a blank means 0, a blank is not known: no total may be made from
/// the cells that happen to be filled in (108 instead of 130), and a percentage is never
/// added up (3,3 instead of 1,4%). The build says why the cells are empty and what to write.
#[test]
fn blanks_of_unknown_meaning_give_no_wrong_total_and_a_warning() {
    let site = Site::new();
    site.write_bytes("data/tabel-2-4.csv", tabel_2_4_csv().as_bytes());
    site.write("content/uitval.md", TABLE_2_4);
    let out = site.build();
    let err = stderr(&out);
    assert!(out.status.success(), "{err}");
    let totals = footer(&site);
    assert_eq!(
        totals,
        ["Totaal", "", "", "", "", "", "9.435", ""],
        "{totals:?}"
    );
    assert!(
        err.contains("content/uitval.md:10:1: warning: the totals row of “Uitschrijvingen zonder startkwalificatie per mbo-instelling” leaves `mbo 1` (9 of 12 cells without a number)"),
        "{err}"
    );
    assert!(
        err.contains("write `empty: 0` in `data/tabel-2-4.meta.yaml`"),
        "{err}"
    );
}

#[test]
fn a_wrong_empty_setting_is_a_located_error() {
    let site = Site::new();
    site.write_bytes("data/tabel-2-4.csv", tabel_2_4_csv().as_bytes());
    site.write("data/tabel-2-4.meta.yaml", "decimal: \",\"\nempty: nul\n");
    site.write("content/uitval.md", TABLE_2_4);
    let out = site.bundel(&["build"]);
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(
        err.contains("data/tabel-2-4.meta.yaml:2:1: error: `empty` must be `0`, `missing`"),
        "{err}"
    );
}

fn runner() -> TestRunner {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(500);
    TestRunner::new_with_rng(
        Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::from_seed(RngAlgorithm::ChaCha, &[11; 32]),
    )
}

/// Totals rows, for random count tables with blanks: with `empty` unknown a column with a
/// blank has no total; counts add up to the sum of their cells; a derived ratio's total is
/// the ratio of the totals; a percentage column is never added up.
#[test]
fn totals_are_sums_of_counts_and_ratios_of_totals() {
    let row = (
        prop::option::weighted(0.8, 0u32..5000),
        prop::option::weighted(0.9, 1u32..20000),
        0u32..100,
    );
    let mut r = runner();
    r.run(&prop::collection::vec(row, 1..25), |rows| {
        // A column with no number at all is a text column: nothing to total.
        prop_assume!(rows.iter().any(|r| r.0.is_some()) && rows.iter().any(|r| r.1.is_some()));
        let mut csv = String::from("regio,aantal,deelnemers,aandeel\n");
        for (i, (a, d, p)) in rows.iter().enumerate() {
            let cell = |v: &Option<u32>| v.map(|v| v.to_string()).unwrap_or_default();
            csv.push_str(&format!("R{i},{},{},{p}%\n", cell(a), cell(d)));
        }
        let t = DataTable::from_csv("t", Path::new("data/t.csv"), csv.as_bytes()).unwrap();
        let t = t.derive("ratio", "aantal / deelnemers * 100").unwrap();
        let known = |v: &[Option<u32>]| -> Option<f64> {
            v.iter().map(|x| x.map(f64::from)).sum::<Option<f64>>()
        };
        let aantal: Vec<Option<u32>> = rows.iter().map(|r| r.0).collect();
        let deelnemers: Vec<Option<u32>> = rows.iter().map(|r| r.1).collect();
        match (known(&aantal), t.column_total("aantal")) {
            (Some(sum), Total::Value(v)) => prop_assert_eq!(v, sum),
            (None, Total::Incomplete { missing, of }) => {
                prop_assert_eq!(missing, aantal.iter().filter(|a| a.is_none()).count());
                prop_assert_eq!(of, rows.len());
            }
            (expected, got) => prop_assert!(false, "{expected:?} vs {got:?}"),
        }
        prop_assert_eq!(t.column_total("aandeel"), Total::NotSummable);
        match (known(&aantal), known(&deelnemers), t.column_total("ratio")) {
            (Some(a), Some(d), Total::Value(v)) => {
                prop_assert!((v - a / d * 100.0).abs() < 1e-9, "{v} vs {}", a / d * 100.0)
            }
            (Some(_), Some(_), got) => prop_assert!(false, "ratio total missing: {got:?}"),
            (_, _, Total::Value(v)) => {
                prop_assert!(false, "a ratio total {v} from incomplete columns")
            }
            _ => {}
        }
        Ok(())
    })
    .unwrap();
}

/// The signs of a statistics office keep their meaning: shown as written with the legend
/// bundel prints, read out by screen readers, gaps in a chart except nil, which is 0.
#[test]
fn statistics_office_signs_are_shown_as_written_with_their_legend() {
    let site = Site::new();
    site.write(
        "data/verzuim.csv",
        "gemeente;absoluut;relatief;saldo\nAalten;10*;x;(8)\nBerkelland;-;3;12\nBronckhorst;.;n.v.t.;1.234\nDoesburg;4;5;-3\n",
    );
    site.write(
        "content/verzuim.md",
        "---\ntitle: Verzuim\n---\n```table\ndata: verzuim\ntitle: Verzuim per gemeente\ntotal: sum\n```\n\n```chart\ntype: bar\ndata: verzuim\nx: gemeente\ny: absoluut\ntitle: Absoluut verzuim\n```\n",
    );
    let out = site.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = site.html("verzuim/index.html");
    let table = "figure.figure--table";
    assert_eq!(
        rows(&doc, &format!("{table} tbody tr")),
        [
            "Aalten 10* xgeheim −8",
            "Berkelland –nihil 3 12",
            "Bronckhorst .geen gegevens n.v.t.niet van toepassing 1.234",
            "Doesburg 4 5 −3",
        ]
    );
    // Nil counts as 0 and a marked number as its value; `.` and `x` leave no total.
    assert_eq!(rows(&doc, &format!("{table} tfoot tr")), ["Totaal   1.235"]);
    let notes = texts(&doc, &format!("{table} .figure__notes"));
    for legend in [
        ". = gegevens ontbreken.",
        "* = voorlopig cijfer.",
        "x = geheim.",
        "– = nihil.",
        "n.v.t. = niet van toepassing.",
    ] {
        assert!(
            notes.iter().any(|n| n.contains(legend)),
            "{legend}: {notes:?}"
        );
    }
    // The chart's data table: Berkelland is 0, Bronckhorst a gap.
    let chart_cells = texts(&doc, "figure.figure--chart table tbody td");
    assert_eq!(chart_cells.len(), 4, "{chart_cells:?}");
    assert!(chart_cells[1].starts_with('0'), "{chart_cells:?}");
    assert!(
        !chart_cells[2].starts_with(|c: char| c.is_ascii_digit()),
        "{chart_cells:?}"
    );
}

/// An Excel workbook as analysts keep it: a title row, a merged group header over the
/// levels, blanks for no cases, a column Excel shows as a percentage (stored as 0.014),
/// a source line under the table, and a second sheet.
fn tabel_2_4_workbook(path: &Path) {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let pct = Format::new().set_num_format("0.0%");
    let ws = wb.add_worksheet();
    ws.set_name("Tabel 2.4").unwrap();
    ws.merge_range(
        0,
        0,
        0,
        6,
        "Tabel 2.4 Uitschrijvingen zonder startkwalificatie",
        &Format::new(),
    )
    .unwrap();
    ws.merge_range(2, 1, 2, 4, "niveau", &Format::new())
        .unwrap();
    for (c, h) in [
        "instelling",
        "mbo 1",
        "mbo 2",
        "mbo 3",
        "mbo 4",
        "deelnemers",
        "aandeel",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(3, c as u16, *h).unwrap();
    }
    for (i, line) in REFERENCE_2_4.lines().skip(1).enumerate() {
        let r = 4 + i as u32;
        let cells: Vec<&str> = line.split(',').collect();
        ws.write_string(r, 0, cells[0]).unwrap();
        let mut total = 0.0;
        for (j, v) in cells[1..5].iter().enumerate() {
            let v: f64 = v.parse().unwrap();
            total += v;
            if v != 0.0 {
                ws.write_number(r, 1 + j as u16, v).unwrap();
            }
        }
        let deelnemers: f64 = cells[5].parse().unwrap();
        ws.write_number(r, 5, deelnemers).unwrap();
        ws.write_number_with_format(r, 6, total / deelnemers, &pct)
            .unwrap();
    }
    ws.write_string(17, 0, "Bron: DUO-gegevens Meten is Weten")
        .unwrap();
    let ws2 = wb.add_worksheet();
    ws2.set_name("Tabel 2.6").unwrap();
    ws2.write_string(0, 0, "regio").unwrap();
    ws2.write_string(0, 1, "absoluut verzuim").unwrap();
    ws2.write_string(1, 0, "Achterhoek").unwrap();
    ws2.write_string(1, 1, "10*").unwrap();
    ws2.write_string(2, 0, "Twente").unwrap();
    ws2.write_number(2, 1, 7.0).unwrap();
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    wb.save(path).unwrap();
}

#[test]
fn an_excel_workbook_is_read_with_its_percentages_groups_and_sheets() {
    let site = Site::new();
    tabel_2_4_workbook(&site.path().join("data/uitval.xlsx"));
    site.write("data/uitval.meta.yaml", "empty: 0\n");
    site.write(
        "content/uitval.md",
        "---\ntitle: Uitval\n---\n```table\ndata: uitval\ntitle: Uitschrijvingen\nderive: {totaal: \"`niveau – mbo 1` + `niveau – mbo 2` + `niveau – mbo 3` + `niveau – mbo 4`\", \"potentieel (%)\": \"totaal / deelnemers * 100\"}\ncolumns: [instelling, niveau – mbo 1, niveau – mbo 2, niveau – mbo 3, niveau – mbo 4, totaal, deelnemers, aandeel, potentieel (%)]\ndecimals: {aandeel: 1, potentieel (%): 1}\ntotal: sum\n```\n\n```table\ndata: uitval\nsheet: Tabel 2.6\ntitle: Verzuim\n```\n",
    );
    let out = site.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = site.html("uitval/index.html");
    let first = "figure.figure--table";
    // The merged cell over the levels is a column group again, as in the workbook.
    assert_eq!(
        texts(&doc, &format!("{first} thead th[scope=colgroup]")),
        ["niveau"]
    );
    assert_eq!(
        attrs(
            &doc,
            &format!("{first} thead th[scope=colgroup]"),
            "colspan"
        ),
        ["4"]
    );
    assert_eq!(
        texts(&doc, &format!("{first} thead tr:nth-child(2) th")),
        ["mbo 1", "mbo 2", "mbo 3", "mbo 4"]
    );
    let body = rows(&doc, &format!("{first} tbody tr"));
    assert_eq!(
        body[3], "Regionaal Opleidingen Centrum Graafschap College 14 37 15 25 91 6.291 1,4% 1,4%",
        "a percentage cell of Excel is 1,4%, not 0,014"
    );
    assert_eq!(
        rows(&doc, &format!("{first} tfoot tr"))[0],
        "Totaal 16 47 22 45 130 9.435  1,4%",
        "Excel's own percentages are not added up; the derived one is the ratio of totals"
    );
    assert!(
        texts(&doc, ".figure__source")[0].contains("DUO-gegevens Meten is Weten"),
        "the source line under the table is the table's source"
    );
    let second = doc.select(&sel("figure.figure--table")).nth(1).unwrap();
    let cells: Vec<String> = second
        .select(&sel("tbody td"))
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(cells, ["10*", "7"]);
}

#[test]
fn a_broken_or_unknown_workbook_gives_a_located_error() {
    let site = Site::new();
    site.write("data/kapot.xlsx", "PK\u{3}\u{4} not really a workbook");
    site.write("data/oud.xls", "old");
    site.write(
        "content/a.md",
        "---\ntitle: A\n---\n```table\ndata: kapot\ntitle: T\n```\n",
    );
    let err = stderr(&site.bundel(&["build"]));
    assert!(
        err.contains("data/kapot.xlsx: error: cannot read this workbook")
            && err.contains("content/a.md:5:1: error: the data `kapot` cannot be used until the problem of data/kapot.xlsx is fixed"),
        "{err}"
    );
    site.write(
        "content/a.md",
        "---\ntitle: A\n---\n```table\ndata: oud\ntitle: T\n```\n",
    );
    let err = stderr(&site.bundel(&["build"]));
    assert!(
        !err.contains("kapot.xlsx"),
        "a data file no page uses is not read by the build: {err}"
    );
    let err = String::from_utf8_lossy(&site.bundel(&["check"]).stdout).to_string()
        + &stderr(&site.bundel(&["check"]));
    assert!(
        err.contains("data/kapot.xlsx: error: cannot read this workbook"),
        "`bundel check` reads every data file: {err}"
    );
    site.remove("data/kapot.xlsx");
    let err = stderr(&site.bundel(&["build"]));
    assert!(
        err.contains("no data file `oud` in data/; `data/oud.xls` is there, but bundel does not read spreadsheets yet"),
        "{err}"
    );
    tabel_2_4_workbook(&site.path().join("data/uitval.xlsx"));
    site.write("data/uitval.meta.yaml", "sheet: Tabel 9\n");
    site.write(
        "content/a.md",
        "---\ntitle: A\n---\n```table\ndata: uitval\ntitle: T\n```\n",
    );
    let err = stderr(&site.bundel(&["build"]));
    assert!(
        err.contains(
            "data/uitval.meta.yaml: error: `sheet: Tabel 9`: data/uitval.xlsx has no such sheet"
        ) && err.contains("the sheets are `Tabel 2.4` and `Tabel 2.6`"),
        "{err}"
    );
}

/// Excel's "Unicode-tekst" export: a `.txt` file in UTF-16 with tabs and a decimal comma.
#[test]
fn excels_unicode_text_export_is_read_like_a_csv() {
    let site = Site::new();
    let text = "opleidingsrichting\twettelijk\tlangdurig\toverig\r\nTechniek en Informatica\t19\t\t3\r\n\"Zorg, Welzijn en Sport\"\t91\t\t7\r\nEducatie en Participatie\t62\t1\t\r\nEconomie en Dienstverlening\t34\t\t29\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    site.write_bytes("data/verzuim.txt", &bytes);
    site.write("data/verzuim.meta.yaml", "empty: 0\n");
    site.write(
        "content/verzuim.md",
        "---\ntitle: Verzuim\n---\n```table\ndata: verzuim\ntitle: Verzuimmeldingen\ntotal: sum\n```\n",
    );
    let out = site.build();
    assert!(out.status.success(), "{}", stderr(&out));
    let doc = site.html("verzuim/index.html");
    assert_eq!(rows(&doc, "tbody tr")[1], "Zorg, Welzijn en Sport 91 0 7");
    // The report's Tabel 2.2: its printed "overig" total (36) was wrong; the sum is 39.
    assert_eq!(rows(&doc, "tfoot tr"), ["Totaal 206 1 39"]);
}

/// The report's Tabel 2.2 prints 36 as the total of "overig"; its cells add up to 39. The
/// build finds it; only an explicit setting publishes the printed figure, with a note on
/// the table and a warning on every build.
#[test]
fn a_wrong_printed_total_is_found_and_kept_only_on_request_with_a_note() {
    let site = Site::new();
    site.write(
        "data/tabel-2-2.csv",
        "opleidingsrichting;wettelijk;langdurig;overig\nTechniek en Informatica;19;;3\nZorg, Welzijn en Sport;91;;7\nEducatie en Participatie;62;1;\nEconomie en Dienstverlening;34;;29\nTotaal;206;1;36\n",
    );
    site.write(
        "content/verzuim.md",
        "---\ntitle: Verzuim\n---\n```table\ndata: tabel-2-2\ntitle: Verzuimmeldingen, jonger dan 18 jaar\n```\n",
    );
    let out = site.bundel(&["build"]);
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(
        err.contains("data/tabel-2-2.csv:6:")
            && err.contains("totals row says 36 but the column `overig` adds up to 39"),
        "{err}"
    );
    assert!(
        err.contains("keep_printed_totals: [overig]"),
        "the fix is named: {err}"
    );

    site.write(
        "data/tabel-2-2.meta.yaml",
        "empty: 0\nkeep_printed_totals: [overig]\n",
    );
    for _ in 0..2 {
        let out = site.bundel(&["build"]);
        let err = stderr(&out);
        assert!(out.status.success(), "{err}");
        assert!(
            err.contains("data/tabel-2-2.csv:6:") && err.contains("warning: totals row says 36"),
            "warned on every build: {err}"
        );
    }
    let doc = site.html("verzuim/index.html");
    assert_eq!(
        rows(&doc, "tfoot tr"),
        ["Totaal 206 1 36"],
        "printed as published"
    );
    let notes = texts(&doc, ".figure__notes");
    assert!(
        notes.iter().any(|n| n.contains("Het totaal van ‘overig’ (36) is overgenomen zoals de bron het publiceerde; de cijfers erboven tellen op tot 39.")),
        "{notes:?}"
    );
}

/// Means where asked: `total: {aandeel: mean}`, weighted by a column with `weighted:`.
#[test]
fn totals_rows_give_means_and_weighted_means_where_asked() {
    let site = Site::new();
    site.write(
        "data/regios.csv",
        "regio;vsv;deelnemers;aandeel\nAchterhoek;100;10000;1,0%\nTwente;300;10000;3,0%\nIJssel-Vecht;200;20000;1,0%\n",
    );
    let block = |extra: &str| {
        format!("---\ntitle: Regio's\n---\n```table\ndata: regios\ntitle: Vsv per regio\n{extra}\n```\n")
    };
    site.write("content/regios.md", &block("total: {aandeel: mean}"));
    let out = site.build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        rows(&site.html("regios/index.html"), "tfoot tr"),
        ["Totaal 600 40.000 1,7%"],
        "a plain mean of 1, 3 and 1"
    );
    site.write(
        "content/regios.md",
        &block("total: {aandeel: mean}\nweighted: deelnemers"),
    );
    let out = site.build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        rows(&site.html("regios/index.html"), "tfoot tr"),
        ["Totaal 600 40.000 1,5%"],
        "weighted by deelnemers: (1 × 10.000 + 3 × 10.000 + 1 × 20.000) / 40.000"
    );
    site.write("content/regios.md", &block("total: {aandeel: median}"));
    let err = stderr(&site.bundel(&["build"]));
    assert!(
        err.contains(
            "content/regios.md:7:1: error: `total` takes `sum` or `mean` per column, not `median`"
        ),
        "{err}"
    );
}

/// An OpenDocument spreadsheet (LibreOffice), with a percentage cell and repeated cells.
#[test]
fn an_opendocument_spreadsheet_is_read_with_its_percentages() {
    let content = r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>
<table:table table:name="Vsv">
<table:table-row><table:table-cell office:value-type="string"><text:p>regio</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>vsv</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>aandeel</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>doel</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>Achterhoek</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="315"><text:p>315</text:p></table:table-cell><table:table-cell office:value-type="percentage" office:value="0.014"><text:p>1,4%</text:p></table:table-cell><table:table-cell office:value-type="percentage" office:value="0.015"><text:p>1,5%</text:p></table:table-cell></table:table-row>
<table:table-row><table:table-cell office:value-type="string"><text:p>Twente</text:p></table:table-cell><table:table-cell office:value-type="float" office:value="7"><text:p>7</text:p></table:table-cell><table:table-cell table:number-columns-repeated="2" office:value-type="percentage" office:value="0.02"><text:p>2,0%</text:p></table:table-cell></table:table-row>
</table:table></office:spreadsheet></office:body></office:document-content>"#;
    let site = Site::new();
    site.write_bytes("data/vsv.ods", &ods_bytes(content));
    site.write(
        "content/vsv.md",
        "---\ntitle: Vsv\n---\n```table\ndata: vsv\ntitle: Vsv per regio\ndecimals: {aandeel: 1, doel: 1}\n```\n",
    );
    let out = site.build();
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        rows(&site.html("vsv/index.html"), "tbody tr"),
        ["Achterhoek 315 1,4% 1,5%", "Twente 7 2,0% 2,0%"],
        "0.014 shown as a percentage is 1,4%"
    );
}

/// A problem in a workbook is placed the way Excel names cells, not as line and column.
#[test]
fn errors_in_a_workbook_name_the_cell() {
    use rust_xlsxwriter::Workbook;
    let site = Site::new();
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "Vsv per regio").unwrap();
    ws.write_string(2, 0, "regio").unwrap();
    ws.write_string(2, 1, "aantal").unwrap();
    ws.write_string(3, 0, "Achterhoek").unwrap();
    ws.write_number(3, 1, 433.0).unwrap();
    ws.write_string(4, 0, "Twente").unwrap();
    // A code typed into a figure column: more digits than a number can hold exactly.
    ws.write_string(4, 1, "12345678901234567890").unwrap();
    std::fs::create_dir_all(site.path().join("data")).unwrap();
    wb.save(site.path().join("data/vsv.xlsx")).unwrap();
    site.write(
        "content/vsv.md",
        "---\ntitle: Vsv\n---\n```table\ndata: vsv\n```\n",
    );
    let out = site.bundel(&["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("data/vsv.xlsx, cell B5: error:"), "{err}");
}
