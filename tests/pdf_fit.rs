//! Nothing printed is lost: wide tables in a report chapter and a factsheet come out whole in
//! the PDF (every cell in the PDF's text, read with `pdftotext`), tables too wide for the
//! paper are split into parts that repeat the label column, and a block that cannot fit is a
//! build error that names the document, the block and the fix. Needs Chromium and
//! poppler-utils (installed by `.ci/run`).

mod common;

use std::path::Path;
use std::process::Command;

use common::*;

fn pdf_text(pdf: &Path) -> String {
    // -raw: the order of the content, so a header that wraps stays one cell.
    let out = Command::new("pdftotext")
        .arg("-raw")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is needed: run `bash .ci/run`");
    assert!(out.status.success(), "pdftotext {}", pdf.display());
    String::from_utf8_lossy(&out.stdout).to_string()
}

/// Without white space and hyphens: a cell may wrap at its soft hyphen.
fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '\u{ad}' | '\u{2010}'))
        .collect()
}

/// Every cell, in order, is in the PDF's text (white space aside: cells wrap over lines).
fn assert_cells_in_order(text: &str, cells: &[String]) {
    let text = squeeze(text);
    let mut at = 0;
    for cell in cells {
        let c = squeeze(cell);
        match text[at..].find(&c) {
            Some(i) => at += i + c.len(),
            None => panic!("cell “{cell}” is not in the PDF after position {at}:\n{text}"),
        }
    }
}

/// Eight numeric columns with long, multi-word headers and long row labels.
fn eight_columns() -> (String, Vec<String>) {
    let headers = [
        "Instelling",
        "Deelnemers 2021/2022",
        "Totaal uitgeschreven",
        "Aantal nieuwe vsv'ers",
        "Vsv-aandeel in procenten",
        "mbo-1 entree\u{ad}opleiding",
        "mbo-2 basisberoeps",
        "mbo-3 vakopleiding",
        "mbo-4 middenkader",
    ];
    let names = [
        "Regionaal Opleidingen Centrum Graafschap College",
        "Regionaal Opleidingen Centrum Rijn IJssel",
        "Stichting Regionaal Opleidingen Centrum AVENTUS",
    ];
    let mut csv = headers.join(";") + "\n";
    let mut cells: Vec<String> = headers.iter().map(|h| h.replace('\u{ad}', "")).collect();
    for (r, name) in names.iter().enumerate() {
        let values: Vec<String> = (1..=8)
            .map(|i| format!("{}", 1000 * (r + 1) * 7 + i * 113))
            .collect();
        csv += &format!("{name};{}\n", values.join(";"));
        cells.push(name.to_string());
        for v in &values {
            let n: u64 = v.parse().unwrap();
            cells.push(if n >= 1000 {
                format!("{}.{:03}", n / 1000, n % 1000)
            } else {
                v.clone()
            });
        }
    }
    (csv, cells)
}

fn report(s: &Site, chapter: &str) {
    s.write("site.yaml", "title: RMC-regio\n");
    s.write(
        "content/rapport/_index.md",
        "---\ntitle: Tussenevaluatie vsv\ntype: report\npdf: true\n---\nEen voorwoord.\n",
    );
    s.write("content/rapport/01-cijfers.md", chapter);
}

fn build_pdf(s: &Site) -> std::process::Output {
    s.bundel(&["build", "--pdf"])
}

/// Builds a report whose only chapter is `chapter` with PDFs; the build must fail with exit
/// code 1. Returns the error output.
fn pdf_build_fails(chapter: &str) -> String {
    browser_tools(
        "the PDF tests",
        &[("chromium", "apt-get install -y chromium")],
    );
    let s = Site::new();
    report(&s, chapter);
    let out = build_pdf(&s);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    err
}

#[test]
fn a_report_table_of_eight_numeric_columns_prints_every_cell() {
    browser_tools(
        "the PDF tests",
        &[("chromium", "apt-get install -y chromium")],
    );
    let s = Site::new();
    let (csv, cells) = eight_columns();
    s.write("data/instellingen.csv", &csv);
    report(
        &s,
        "---\ntitle: De cijfers\n---\n```table\ndata: instellingen\ntitle: Uitschrijvingen per instelling\nid: tbl-inst\n```\n",
    );
    let out = build_pdf(&s);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = pdf_text(&s.public().join("rapport/rapport.pdf"));
    assert_cells_in_order(&text, &cells);
    assert!(
        !text.contains("vervolg"),
        "eight columns fit without a split"
    );
}

#[test]
fn a_factsheet_table_of_eight_numeric_columns_prints_every_cell() {
    browser_tools(
        "the PDF tests",
        &[("chromium", "apt-get install -y chromium")],
    );
    let s = Site::new();
    s.write("site.yaml", "title: RMC-regio\n");
    let (csv, cells) = eight_columns();
    // One factsheet per region, each with the table of all institutions.
    s.write("data/instellingen.csv", &csv);
    s.write(
        "data/regios.csv",
        "regio,schooljaar,vsv\nAchterhoek,2021/2022,1.2\n",
    );
    s.write(
        "content/vsv/_index.md",
        "---\ntitle: Vsv in cijfers\nlayout: factsheets\npdf: true\ngenerate:\n  data: regios\n  key: [regio, schooljaar]\n  path: \"{regio}/{schooljaar}\"\n  title: \"Vsv in cijfers {regio} {schooljaar}\"\n  template: _factsheet.md\n  layout: factsheet\n---\nAlle factsheets.\n",
    );
    s.write(
        "content/vsv/_factsheet.md",
        "## Instellingen\n\n```table\ndata: instellingen\nscope: []\ntitle: Uitschrijvingen per instelling\nid: tbl-inst\n```\n",
    );
    let out = build_pdf(&s);
    assert!(out.status.success(), "{}", stderr(&out));
    let pdf = std::fs::read_dir(s.public().join("vsv/achterhoek/2021-2022"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pdf"))
        .expect("the factsheet's PDF");
    assert_cells_in_order(&pdf_text(&pdf), &cells);
}

#[test]
fn a_table_too_wide_for_the_paper_is_split_into_parts_that_repeat_the_labels() {
    browser_tools(
        "the PDF tests",
        &[("chromium", "apt-get install -y chromium")],
    );
    let s = Site::new();
    let years: Vec<String> = (2008..2024).map(|y| y.to_string()).collect();
    let mut csv = format!("school,{}\n", years.join(","));
    let mut rows = Vec::new();
    for r in 1..=3 {
        let values: Vec<String> = (0..years.len())
            .map(|i| format!("{}", 100_000 * r + i * 1237))
            .collect();
        csv += &format!("School {r},{}\n", values.join(","));
        rows.push(values);
    }
    s.write("data/breed.csv", &csv);
    report(
        &s,
        "---\ntitle: De cijfers\n---\n```table\ndata: breed\ntitle: Zestien schooljaren\nid: tbl-breed\n```\n",
    );
    let out = build_pdf(&s);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = pdf_text(&s.public().join("rapport/rapport.pdf"));
    assert!(
        text.contains("Tabel 1.1, vervolg"),
        "the second part says it continues table 1.1:\n{text}"
    );
    let dutch = |v: &str| {
        let n: u64 = v.parse().unwrap();
        format!("{}.{:03}", n / 1000, n % 1000)
    };
    // Every year and every value is there, each part repeating the school names.
    for y in &years {
        assert!(text.contains(y.as_str()), "year {y} is in the PDF");
    }
    for row in &rows {
        for v in row {
            assert!(
                text.contains(&dutch(v)),
                "{} is in the PDF:\n{text}",
                dutch(v)
            );
        }
    }
    assert!(
        text.matches("School 1").count() >= 2,
        "each part repeats the labels"
    );
}

#[test]
fn a_block_that_cannot_fit_is_an_error_naming_the_document_the_block_and_the_fix() {
    browser_tools(
        "the PDF tests",
        &[("chromium", "apt-get install -y chromium")],
    );
    let s = Site::new();
    // A table with grouped headers is not split; eleven years of two values cannot fit.
    let mut csv = String::from("onderwijstype,schooljaar,aantal,percentage\n");
    for t in ["vo", "mbo-1", "mbo-2"] {
        for y in 2010..2021 {
            csv += &format!("{t},{y}/{},{},{}.5\n", y + 1, 100_000 + y, y % 90);
        }
    }
    s.write("data/types.csv", &csv);
    report(
        &s,
        "---\ntitle: De cijfers\n---\n```table\ndata: types\npivot: {rows: onderwijstype, columns: schooljaar, values: [aantal, percentage]}\ntitle: Per onderwijstype en schooljaar\nid: tbl-pivot\n```\n",
    );
    let first = s.build();
    assert!(first.status.success(), "{}", stderr(&first));
    let before = tree(&s.public());
    let out = build_pdf(&s);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("content/rapport/_index.md"), "{err}");
    assert!(
        err.contains("Per onderwijstype en schooljaar") && err.contains("#tbl-pivot"),
        "the block is named: {err}"
    );
    assert!(err.contains("does not fit on the paper"), "{err}");
    assert!(err.contains("mm wide"), "it says how wide: {err}");
    assert!(err.contains("fewer columns"), "the fix: {err}");
    assert_eq!(tree(&s.public()), before, "the previous output is intact");
}

#[test]
fn a_table_cell_that_does_not_reach_the_pdf_is_an_error() {
    // A cell laid out but never painted, as a theme's print rule gone wrong would do.
    let err = pdf_build_fails(
        "---\ntitle: De cijfers\n---\n<table><tr><th>Instelling</th><th>Deelnemers</th></tr><tr><td>Graafschap College</td><td style=\"visibility: hidden\">6.291</td></tr></table>\n",
    );
    assert!(
        err.contains("table cells are missing from the PDF") && err.contains("“6.291”"),
        "{err}"
    );
    assert!(err.contains("content/rapport/_index.md"), "{err}");
}

#[test]
fn content_clipped_by_overflow_is_an_error_naming_the_block() {
    let err = pdf_build_fails(
        "---\ntitle: De cijfers\n---\nEerst gewone tekst.\n\n<div style=\"overflow: hidden; width: 30mm; white-space: nowrap\">Deze zin is veel te lang voor het smalle vak waarin hij staat</div>\n",
    );
    assert!(
        err.contains("“Deze zin is veel te lang") && err.contains("is cut off"),
        "{err}"
    );
}
