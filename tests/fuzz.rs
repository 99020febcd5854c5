//! Fuzz-style property tests of everything a user types: front matter, block YAML, CSV
//! files, `derive` expressions and `path:` patterns. Whatever the input, bundel never panics
//! or overflows its stack (either would abort this test), and every refusal is a located
//! error: the file, and a line where the problem has one.
//!
//! CI runs a bounded number of cases per property (a fixed seed, so the run is the same every
//! time). A longer run: `PROPTEST_CASES=20000 cargo test --release --test fuzz`.

mod common;

use std::path::Path;

use bundel::content::frontmatter;
use bundel::data::DataTable;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

fn runner(default_cases: u32) -> TestRunner {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default_cases);
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]))
}

/// Strings made of the pieces YAML and Markdown are made of, so that random input reaches
/// past the first character of the parsers.
fn yamlish() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "title",
        "date",
        "data",
        "x",
        "y",
        "where",
        "sort",
        "derive",
        "total",
        "columns",
        "key",
        "path",
        "generate",
        "template",
        "slug",
        "tags",
        ":",
        ": ",
        "\n",
        "\n  ",
        "\n- ",
        "- ",
        "[",
        "]",
        "{",
        "}",
        ",",
        "\"",
        "'",
        "~",
        "?",
        "&a",
        "*a",
        "!!str",
        "1.5",
        "-3",
        "2021-09-21",
        "1e400",
        "99999999999999999999999999999",
        "null",
        "true",
        "#",
        "|",
        ">",
        "\t",
        "é",
        "€",
        "{regio}",
        "{jaar}",
        "..",
        "/",
        "\\",
        "%",
        "\u{0}",
        "\u{feff}",
        "🙂",
    ]);
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

#[test]
fn front_matter_never_panics_and_errors_are_located() {
    let mut r = runner(2000);
    r.run(&yamlish(), |body| {
        let text = format!("---\n{body}\n---\nTekst.\n");
        if let Err(errors) = frontmatter::parse(&text, Path::new("content/x.md")) {
            prop_assert!(!errors.is_empty());
            for e in errors {
                prop_assert_eq!(e.file.as_path(), Path::new("content/x.md"));
                prop_assert!(!e.message.is_empty());
            }
        }
        // Without the closing fence.
        let _ = frontmatter::parse(&format!("---\n{body}"), Path::new("content/x.md"));
        Ok(())
    })
    .unwrap();
}

fn csvish() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop::sample::select(vec![
        "regio",
        "jaar",
        "aantal",
        "Totaal",
        ",",
        ";",
        "\t",
        "\n",
        "\r\n",
        "\"",
        "\"\"",
        " ",
        "1",
        "6.291",
        "1,4",
        "1,4%",
        "-",
        ".",
        "x",
        "(8)",
        "10*",
        "n.v.t.",
        "1e308",
        "NaN",
        "99999999999999999999999999999",
        "Bron: CBS",
        "é",
        "\u{feff}",
        "\u{0}",
    ]);
    let text = prop::collection::vec(piece, 0..60).prop_map(|v| v.concat().into_bytes());
    prop_oneof![
        4 => text,
        1 => prop::collection::vec(any::<u8>(), 0..300),
    ]
}

#[test]
fn csv_reading_never_panics_and_errors_name_the_file() {
    let mut r = runner(2000);
    r.run(&csvish(), |bytes| {
        if let Err(errors) = DataTable::from_csv("x", Path::new("data/x.csv"), &bytes) {
            prop_assert!(!errors.is_empty());
            for e in errors {
                prop_assert_eq!(e.file.as_path(), Path::new("data/x.csv"));
                prop_assert!(!e.message.is_empty());
            }
        }
        Ok(())
    })
    .unwrap();
}

#[test]
fn huge_and_truncated_csv_files_are_read_or_refused_with_a_message() {
    let huge_cell = format!("regio,aantal\n{},1\n", "a".repeat(5_000_000));
    let _ = DataTable::from_csv("x", Path::new("data/x.csv"), huge_cell.as_bytes());
    let many_columns = format!(
        "{}\n{}\n",
        vec!["k"; 20_000].join(","),
        vec!["1"; 20_000].join(",")
    );
    let _ = DataTable::from_csv("x", Path::new("data/x.csv"), many_columns.as_bytes());
    let full = b"regio,aantal\nAchterhoek,12\nTwente,7\n";
    for n in 0..full.len() {
        if let Err(errors) = DataTable::from_csv("x", Path::new("data/x.csv"), &full[..n]) {
            assert!(errors.iter().all(|e| !e.message.is_empty()));
        }
    }
}

#[test]
fn derive_expressions_never_panic() {
    let table = DataTable::from_csv(
        "x",
        Path::new("data/x.csv"),
        b"regio,mbo 1,aantal,deelnemers\nA,1,5,100\nB,,7,0\n",
    )
    .unwrap();
    let piece = prop::sample::select(vec![
        "aantal",
        "deelnemers",
        "`mbo 1`",
        "`",
        "regio",
        "(",
        ")",
        "+",
        "-",
        "*",
        "/",
        " ",
        "0",
        "1.5",
        "1,5",
        "1e308",
        "%",
        "^",
        "max",
        ",",
        "'",
        "\"",
        "é",
    ]);
    let expr = prop::collection::vec(piece, 0..60).prop_map(|v| v.concat());
    let mut r = runner(3000);
    r.run(&expr, |e| {
        if let Err(msg) = table.derive("nieuw", &e) {
            prop_assert!(!msg.is_empty());
        }
        Ok(())
    })
    .unwrap();
    // Deep and long inputs are refused, not overflowed.
    for e in [
        format!("{}aantal{}", "(".repeat(5000), ")".repeat(5000)),
        format!("{}aantal", "-".repeat(12_000)),
        vec!["aantal"; 50_000].join(" + "),
    ] {
        assert!(table.derive("nieuw", &e).is_err());
    }
}

#[test]
fn path_patterns_never_panic() {
    let vars = vec![
        ("regio".to_string(), "Noord-Holland".to_string()),
        ("jaar".to_string(), "2021".to_string()),
    ];
    let mut r = runner(3000);
    r.run(&yamlish(), |pattern| {
        let _ = bundel::generate::fill(&pattern, &vars);
        Ok(())
    })
    .unwrap();
}

/// `key: value` lines with the keys bundel knows and values of every shape: YAML that
/// parses, so the checks behind the parser are reached.
fn settings(keys: &'static [&'static str]) -> impl Strategy<Value = String> {
    let value = prop::sample::select(vec![
        "regio",
        "jaar",
        "aantal",
        "deelnemers",
        "onbekend",
        "[regio, jaar]",
        "[]",
        "{}",
        "\"{regio}\"",
        "\"{jaar}/{regio}\"",
        "\"../{regio}\"",
        "\"{onbekend}\"",
        "\"\"",
        "\"..\"",
        "-aantal",
        "sum",
        "mean",
        "true",
        "false",
        "0",
        "-1",
        "1.5",
        "99999999999999999999999",
        "~",
        "{regio: Twente}",
        "{jaar: \">= 2021\"}",
        "{aandeel: \"aantal / deelnemers * 100\"}",
        "{aandeel: \"aantal / (deelnemers - deelnemers)\"}",
        "[aantal, deelnemers]",
        "bar",
        "line",
        "column",
        "\"x: y\"",
        "\"<script>\"",
        "{1.5: x}",
        "[[a]]",
        "\"Tabel {jaar}\"",
    ]);
    prop::collection::btree_map(prop::sample::select(keys.to_vec()), value, 0..8)
        .prop_map(|m| m.iter().map(|(k, v)| format!("{k}: {v}\n")).collect())
}

const BLOCK_KEYS: &[&str] = &[
    "x",
    "y",
    "series",
    "type",
    "where",
    "sort",
    "derive",
    "total",
    "columns",
    "rename",
    "decimals",
    "unit",
    "scope",
    "pivot",
    "marks",
    "notes",
    "source",
    "id",
    "highlight",
    "value",
    "label",
    "compare",
    "print",
    "orientation",
];
const GENERATE_KEYS: &[&str] = &[
    "path", "title", "figure", "where", "summary", "layout", "period", "sort",
];

/// Blocks go through a whole in-memory build: settings in a `chart`, `table` or `kpi` fence.
#[test]
fn random_blocks_build_or_fail_with_located_errors() {
    let site = common::Site::new();
    site.write(
        "data/vsv.csv",
        "regio,jaar,aantal,deelnemers\nAchterhoek,2020,12,900\nTwente,2020,7,1200\nAchterhoek,2021,,950\n",
    );
    let mut r = runner(300);
    r.run(&(settings(BLOCK_KEYS), 0..3usize), |(block, kind)| {
        let fence = ["chart", "table", "kpi"][kind];
        site.write(
            "content/over.md",
            &format!("---\ntitle: Over\n---\n```{fence}\ndata: vsv\ntitle: T\n{block}```\n"),
        );
        located(bundel::site::build_in_memory(site.path()).err())
    })
    .unwrap();
}

/// Generated pages from random `generate:` settings, and a block on their template.
#[test]
fn random_generate_settings_build_or_fail_with_located_errors() {
    let site = common::Site::new();
    site.write(
        "data/vsv.csv",
        "regio,jaar,aantal,deelnemers\nAchterhoek,2020,12,900\nTwente,2020,7,1200\nAchterhoek,2021,,950\n",
    );
    site.write(
        "content/cijfers/_t.md",
        "---\ntitle: x\n---\n```table\ndata: vsv\ntitle: T\n```\n",
    );
    let mut r = runner(300);
    r.run(&settings(GENERATE_KEYS), |generate| {
        let indented: String = generate.lines().map(|l| format!("  {l}\n")).collect();
        site.write(
            "content/cijfers/_index.md",
            &format!("---\ntitle: Cijfers\ngenerate:\n  data: vsv\n  template: _t.md\n  key: [regio, jaar]\n{indented}---\n"),
        );
        located(bundel::site::build_in_memory(site.path()).err())
    })
    .unwrap();
}

fn located(errors: Option<bundel::diagnostic::Diagnostics>) -> Result<(), TestCaseError> {
    if std::env::var("FUZZ_SHOW").is_ok() {
        eprintln!(
            "{}",
            errors
                .as_ref()
                .and_then(|e| e.0.first().map(|d| d.to_string()))
                .unwrap_or_else(|| "built".into())
        );
    }
    for e in errors.map(|e| e.0).unwrap_or_default() {
        prop_assert!(
            e.file.starts_with("content") || e.file.starts_with("data"),
            "an error about the user's files names one: {e}"
        );
        prop_assert!(e.line > 0, "and the line: {e}");
        prop_assert!(!e.message.contains("u128"), "in the user's words: {e}");
    }
    Ok(())
}

/// Workbooks cut short or with bytes changed: read or refused with a message naming the
/// file, never a panic.
#[test]
fn damaged_workbooks_never_panic() {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for c in 0..4u16 {
        ws.write_string(0, c, format!("kolom {c}")).unwrap();
    }
    for r in 1..40u32 {
        ws.write_string(r, 0, format!("regio {r}")).unwrap();
        ws.write_number(r, 1, f64::from(r)).unwrap();
        ws.write_number_with_format(
            r,
            2,
            f64::from(r) / 100.0,
            &Format::new().set_num_format("0%"),
        )
        .unwrap();
    }
    let xlsx = wb.save_to_buffer().unwrap();
    let ods = common::ods_bytes(concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet><table:table table:name="A">"#,
        r#"<table:table-row><table:table-cell office:value-type="string"><text:p>regio</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>aandeel</text:p></table:table-cell></table:table-row>"#,
        r#"<table:table-row table:number-rows-repeated="3"><table:table-cell office:value-type="string"><text:p>X</text:p></table:table-cell><table:table-cell table:number-columns-repeated="2" office:value-type="percentage" office:value="0.5"><text:p>50%</text:p></table:table-cell></table:table-row>"#,
        r#"</table:table></office:spreadsheet></office:body></office:document-content>"#
    ));
    for (good, ext) in [(xlsx, "xlsx"), (ods, "ods")] {
        damage_workbook(&good, ext);
    }
}

fn damage_workbook(good: &[u8], ext: &str) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    let file = dir.path().join(format!("data/boek.{ext}"));
    let shown = format!("data/boek.{ext}");
    let mut r = runner(200);
    let damage = (0..good.len(), 0..good.len(), any::<u8>(), any::<bool>());
    r.run(&damage, |(cut, at, byte, truncate)| {
        let mut bytes = good.to_vec();
        if truncate {
            bytes.truncate(cut);
        } else {
            bytes[at] = byte;
        }
        std::fs::write(&file, &bytes).unwrap();
        if let Err(errors) = bundel::data::DataStore::load(dir.path()) {
            for e in errors {
                prop_assert_eq!(e.file.as_path(), Path::new(&shown));
            }
        }
        Ok(())
    })
    .unwrap();
}
