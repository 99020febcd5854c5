//! Loading real files: the reference figures, Dutch Excel exports, every error a user can
//! make, overrides, YAML tables and the table operations.

use std::path::Path;

use serde_json::json;

use super::*;
use crate::diagnostic::Diagnostic;

fn reference() -> DataStore {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/data/testdata/reference");
    DataStore::load(&root).unwrap_or_else(|d| panic!("{d:#?}"))
}

fn load(files: &[(&str, &[u8])]) -> Result<DataStore, Vec<Diagnostic>> {
    let dir = tempfile::tempdir().unwrap();
    for (path, bytes) in files {
        let p = dir.path().join("data").join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    DataStore::load(dir.path())
}

/// The table in `data/t.csv` (or another single file), or the diagnostics.
fn try_table(file: &str, bytes: &[u8]) -> Result<DataTable, Vec<Diagnostic>> {
    load(&[(file, bytes)]).map(|s| s.get(file.rsplit_once('.').unwrap().0).unwrap().clone())
}

fn table(file: &str, bytes: &[u8]) -> DataTable {
    try_table(file, bytes).unwrap_or_else(|d| panic!("{d:#?}"))
}

fn csv(text: &str) -> DataTable {
    table("t.csv", text.as_bytes())
}

fn errors(files: &[(&str, &[u8])]) -> Vec<Diagnostic> {
    match load(files) {
        Ok(s) => panic!(
            "expected errors, loaded {:?}",
            s.names().collect::<Vec<_>>()
        ),
        Err(d) => d,
    }
}

/// The single diagnostic for `data/t.csv` holding `text`.
fn csv_error(text: &str) -> Diagnostic {
    one(errors(&[("t.csv", text.as_bytes())]))
}

fn one(mut d: Vec<Diagnostic>) -> Diagnostic {
    assert_eq!(d.len(), 1, "{d:#?}");
    d.pop().unwrap()
}

fn at(d: &Diagnostic) -> (String, usize, usize) {
    (d.file.display().to_string(), d.line, d.col)
}

fn numbers(t: &DataTable, col: &str) -> Vec<Option<f64>> {
    let j = t.column_index(col).unwrap();
    t.rows.iter().map(|r| r.cells[j].as_f64()).collect()
}

fn texts<'a>(t: &'a DataTable, col: &str) -> Vec<Option<&'a str>> {
    let j = t.column_index(col).unwrap();
    t.rows.iter().map(|r| r.cells[j].as_text()).collect()
}

fn kinds(t: &DataTable) -> Vec<ColumnKind> {
    t.columns.iter().map(|c| c.kind).collect()
}

fn close(a: Option<f64>, b: f64) -> bool {
    a.is_some_and(|a| (a - b).abs() < 1e-9)
}

use ColumnKind::{Date as D, Number as N, Percent as P, SchoolYear as Y, Text as T};

// ---------------------------------------------------------------- reference figures

#[test]
fn reference_figures_load_without_configuration() {
    let store = reference();
    assert_eq!(store.names().count(), 9);

    let t = store.get("vsv-aandeel-achterhoek-landelijk").unwrap();
    assert_eq!(
        t.source,
        Path::new("data/vsv-aandeel-achterhoek-landelijk.csv")
    );
    assert_eq!(kinds(t), [Y, N, N]);
    assert_eq!(texts(t, "schooljaar")[0], Some("2016/2017"));
    assert_eq!(
        numbers(t, "landelijk"),
        [1.75, 1.90, 2.02, 1.72, 1.87].map(Some)
    );
    assert_eq!(numbers(t, "achterhoek")[4], Some(1.45));

    let u = store
        .get("uitschrijvingen-zonder-sk-per-instelling-2021-2022")
        .unwrap();
    assert_eq!(
        numbers(u, "deelnemers")[..4],
        [135.0, 61.0, 99.0, 6291.0].map(Some)
    );
    assert_eq!(u.column_sum("mbo1"), Some(16.0));

    let o = store.get("vsv-per-onderwijstype-achterhoek").unwrap();
    assert_eq!(kinds(o), [T, Y, N, N, N]);
    assert_eq!(o.rows.len(), 18);
    let last = &o.rows[17];
    assert_eq!(last.line, 19);
    assert_eq!(
        last.cells,
        [
            Cell::Text("vavo".into()),
            Cell::Text("2020/2021".into()),
            Cell::Missing,
            Cell::Missing,
            Cell::Missing
        ]
    );
    assert_eq!(
        numbers(o, "doelpercentage")[15],
        None,
        "empty is missing, not zero"
    );

    let r = store.get("verzuim-per-regio-2020-2021").unwrap();
    assert_eq!(kinds(r), [T, N, N, N, T]);
    assert_eq!(
        texts(r, "onvolledig")[..3],
        [
            Some("absoluut_verzuim;vrijstellingen_5a"),
            Some("absoluut_verzuim;langdurig_relatief_verzuim"),
            None
        ]
    );

    let s = store.get("streefcijfers-achterhoek").unwrap();
    let names: Vec<&str> = s.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "indicator",
            "2020/2021",
            "2021/2022",
            "2022/2023",
            "2023/2024"
        ]
    );
    assert_eq!(numbers(s, "2021/2022"), [1.5, 31.0, 29.4].map(Some));

    let reasons = store.get("redenen-uitval-mbo-2021-2022").unwrap();
    assert_eq!(
        texts(reasons, "reden")[1],
        Some("Persoonsgebonden factoren, instelling kan wel iets doen aan de opvang")
    );
    assert_eq!(reasons.column_sum("percentage"), Some(100.0));
    let line = "\"Persoonsgebonden factoren, instelling kan wel iets doen aan de opvang\",22";
    assert_eq!(
        reasons.rows[1].pos,
        [(3, 1), (3, line.find(",22").unwrap() + 2)]
    );
    assert_eq!((reasons.columns[1].line, reasons.columns[1].col), (1, 7));

    let later = store.get("vsv-een-jaar-later-per-regio-2019-2020").unwrap();
    assert_eq!(numbers(later, "n")[5], Some(22766.0));
    assert!(store.check_totals().is_empty());
}

#[test]
fn shipped_example_data_loads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if root.join("data").exists() {
        DataStore::load(root).unwrap_or_else(|d| panic!("{d:#?}"));
    }
}

// ---------------------------------------------------------------- Dutch exports

#[test]
fn dutch_excel_export_utf8_bom_crlf() {
    let text = "\u{feff}Regio;Schooljaar;Aantal vsv'ers;Deelnemers;Aandeel;Budget;Peildatum\r\n\
                Achterhoek;2020/2021;315;22.766;1,4%;€ 1.234,50;21-09-2021\r\n\
                \"Zuid; West\";2019-2020;-;6.291;2,1 %;;2021-10-01\r\n\
                \"Noord\r\nOost\";2020/21;12;;n.b.;€ 900;1-9-2021\r\n\
                ;;;;;;\r\n";
    let t = csv(text);
    assert_eq!(kinds(&t), [T, Y, N, N, P, N, D]);
    assert_eq!(
        texts(&t, "Regio"),
        [Some("Achterhoek"), Some("Zuid; West"), Some("Noord\nOost")]
    );
    assert_eq!(
        texts(&t, "Schooljaar"),
        [Some("2020/2021"), Some("2019-2020"), Some("2020/21")]
    );
    // `-` standing alone is nil (CBS): none at all.
    assert_eq!(
        numbers(&t, "Aantal vsv'ers"),
        [Some(315.0), Some(0.0), Some(12.0)]
    );
    assert_eq!(
        numbers(&t, "Deelnemers"),
        [Some(22766.0), Some(6291.0), None]
    );
    assert_eq!(numbers(&t, "Aandeel"), [Some(1.4), Some(2.1), None]);
    assert_eq!(numbers(&t, "Budget"), [Some(1234.5), None, Some(900.0)]);
    let j = t.column_index("Peildatum").unwrap();
    let dates: Vec<&Cell> = t.rows.iter().map(|r| &r.cells[j]).collect();
    assert_eq!(
        dates[0],
        &Cell::Date(NaiveDate::from_ymd_opt(2021, 9, 21).unwrap())
    );
    assert_eq!(
        dates[1],
        &Cell::Date(NaiveDate::from_ymd_opt(2021, 10, 1).unwrap())
    );
    assert_eq!(
        dates[2],
        &Cell::Date(NaiveDate::from_ymd_opt(2021, 9, 1).unwrap())
    );
    // Positions are in the original file: the BOM takes no column, a quoted line break
    // moves the later cells of that row to the next line.
    assert_eq!((t.columns[3].line, t.columns[3].col), (1, 33));
    assert_eq!(t.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 3, 4]);
    assert_eq!(t.rows[1].pos[3], (3, 26));
    assert_eq!(t.rows[2].pos[1], (5, 7));
    let d = t.cell_diagnostic(1, 3, "not plotted");
    assert_eq!(d.to_string(), "data/t.csv:3:26: error: not plotted");
}

#[test]
fn windows_1252_export_decodes_accents_euro_and_quotes() {
    let bytes: &[u8] = b"Instelling;Plaats;Bedrag;Toelichting\r\n\
        Caf\xe9 Co\xf6rdinatie;Doetinchem;\x80 12,50;\x84Samen\x94 is beter\r\n\
        Rijn IJssel;Arnhem;\x80 1.000;Twee\xebntwintig \x80 per leerling\r\n";
    let t = table("t.csv", bytes);
    assert_eq!(texts(&t, "Instelling")[0], Some("Café Coördinatie"));
    assert_eq!(
        texts(&t, "Toelichting"),
        [
            Some("„Samen” is beter"),
            Some("Tweeëntwintig € per leerling")
        ]
    );
    assert_eq!(numbers(&t, "Bedrag"), [Some(12.5), Some(1000.0)]);
}

#[test]
fn utf16_unicode_text_export_with_tabs() {
    let mut bytes = vec![0xFF, 0xFE];
    for u in "regio\taantal\taandeel\r\nAchterhoek\t315\t1,45\r\nIJssel-Vecht\t1.023\t2,4\r\n"
        .encode_utf16()
    {
        bytes.extend(u.to_le_bytes());
    }
    let t = table("t.csv", &bytes);
    assert_eq!(
        texts(&t, "regio"),
        [Some("Achterhoek"), Some("IJssel-Vecht")]
    );
    assert_eq!(numbers(&t, "aantal"), [Some(315.0), Some(1023.0)]);
    assert_eq!(numbers(&t, "aandeel"), [Some(1.45), Some(2.4)]);
}

#[test]
fn thousands_separators_in_point_decimal_files() {
    let t = csv(
        "regio,n,aandeel\nLandelijk,\"22,766\",1.45\nTwente,823,1.2\nGroot,\"1,234,567.5\",0.9\n",
    );
    assert_eq!(
        numbers(&t, "n"),
        [Some(22766.0), Some(823.0), Some(1234567.5)]
    );
    assert_eq!(numbers(&t, "aandeel"), [Some(1.45), Some(1.2), Some(0.9)]);
    // Spaces as thousands separators, as some Dutch style guides write them.
    let t = csv("regio;n\nLandelijk;22\u{a0}766\nA;1 234,5\n");
    assert_eq!(numbers(&t, "n"), [Some(22766.0), Some(1234.5)]);
}

#[test]
fn marked_numbers_and_accounting_negatives() {
    let t = csv("regio;aantal;saldo\nA;10*;(8)\nB;1.234,5 *;(1.234,5)\nC;7†;3\n");
    assert_eq!(kinds(&t), [T, N, N]);
    assert_eq!(
        t.rows[0].cells[1],
        Cell::Special(Special::Marked(10.0, '*'))
    );
    assert_eq!(
        t.rows[1].cells[1],
        Cell::Special(Special::Marked(1234.5, '*'))
    );
    assert_eq!(t.rows[2].cells[1], Cell::Special(Special::Marked(7.0, '†')));
    assert_eq!(numbers(&t, "saldo"), [Some(-8.0), Some(-1234.5), Some(3.0)]);
    assert_eq!(t.column_total("aantal"), crate::data::Total::Value(1251.5));
}

#[test]
fn negative_numbers_and_signs() {
    let t = csv("regio;verschil;procent\nA;-0,3;+1,5%\nB;\u{2212}1.234,5;-2%\n");
    assert_eq!(numbers(&t, "verschil"), [Some(-0.3), Some(-1234.5)]);
    assert_eq!(numbers(&t, "procent"), [Some(1.5), Some(-2.0)]);
    assert_eq!(kinds(&t), [T, N, P]);
}

#[test]
fn missing_values_are_never_zero_and_nil_is() {
    let t = csv("regio;aantal\nA;\nB;-\nC;–\nD;n.b.\nE;NA\nF;#N/B\nG;0\nH;5\nI;x\nJ;.\n");
    assert_eq!(kinds(&t), [T, N]);
    assert_eq!(
        numbers(&t, "aantal"),
        [
            None,
            Some(0.0),
            Some(0.0),
            None,
            None,
            None,
            Some(0.0),
            Some(5.0),
            None,
            None
        ]
    );
    let missing: Vec<bool> = t.rows.iter().map(|r| r.cells[1].is_missing()).collect();
    assert_eq!(
        missing,
        [true, false, false, true, true, true, false, false, true, true]
    );
    assert_eq!(t.rows[8].cells[1], Cell::Special(Special::Secret));
    assert_eq!(t.rows[4].cells[1], Cell::Special(Special::NotApplicable));
    assert_eq!(t.rows[1].cells[1], Cell::Special(Special::Nil));
    assert_eq!(t.column_sum("aantal"), Some(5.0));
    assert_eq!(
        t.column_total("aantal"),
        crate::data::Total::Incomplete { missing: 6, of: 10 }
    );
    let all_missing = csv("regio;aantal\nA;\nB;-\n");
    assert_eq!(all_missing.column_sum("aantal"), None);
}

#[test]
fn column_kinds() {
    let t = csv("jaar;gemeentecode;datum;schooljaar;code;aandeel\n\
         2019;0197;2021-09-21;2019/2020;A1;1%\n\
         2020;1859;21-9-2021;2020-2021;B2;2,5%\n\
         2021;0034;01-10-2021;2021/22;3;0,5%\n");
    // Years stay numbers; codes with leading zeros stay text, like mixed codes.
    assert_eq!(kinds(&t), [N, T, D, Y, T, P]);
    assert_eq!(
        texts(&t, "gemeentecode"),
        [Some("0197"), Some("1859"), Some("0034")]
    );
    assert_eq!(
        numbers(&t, "jaar"),
        [Some(2019.0), Some(2020.0), Some(2021.0)]
    );
    assert_eq!(texts(&t, "code")[2], Some("3"));
    // A school year that does not span consecutive years is not one.
    let t = csv("periode;n\n2019/2021;1\n2020/2022;2\n");
    assert_eq!(kinds(&t), [T, N]);
}

#[test]
fn excel_leftovers_are_ignored() {
    // `sep=` line, empty trailing columns, empty rows, a header-only file.
    let t = csv("sep=;\nregio;aantal;;\nA;1;;\n;;;\n\nB;2;;\n");
    assert_eq!(t.columns.len(), 2);
    assert_eq!(numbers(&t, "aantal"), [Some(1.0), Some(2.0)]);
    assert_eq!(t.rows[1].line, 6);
    let t = csv("regio;aantal\r\n");
    assert_eq!((t.columns.len(), t.rows.len()), (2, 0));
    let t = csv("regio,aantal");
    assert_eq!((t.columns.len(), t.rows.len()), (2, 0));
}

// ---------------------------------------------------------------- decimal mark detection

#[test]
fn decimal_mark_settled_by_evidence() {
    // Dutch: `;` and thousands dots next to small whole numbers.
    let t = csv("instelling;deelnemers\nA;135\nB;6.291\nC;99\n");
    assert_eq!(
        numbers(&t, "deelnemers"),
        [Some(135.0), Some(6291.0), Some(99.0)]
    );
    // Dots twice: thousands, so the file uses a decimal comma.
    let t = csv("a;b\nX;1.234.567\nY;1.234\n");
    assert_eq!(numbers(&t, "b"), [Some(1234567.0), Some(1234.0)]);
    // `1.234` beside an ungrouped `6291` in the same column: the dot is decimal.
    let t = csv("a,b\nX,1.234\nY,6291\n");
    assert_eq!(numbers(&t, "b"), [Some(1.234), Some(6291.0)]);
    // Another column with a decimal comma settles `22.766`.
    let t = csv("a;b;c\nX;22.766;1,5\n");
    assert_eq!(numbers(&t, "b"), [Some(22766.0)]);
    // A leading zero cannot be grouped: decimal.
    let t = csv("a;b\nX;0,125\nY;1,250\n");
    assert_eq!(numbers(&t, "b"), [Some(0.125), Some(1.25)]);
    // Whole numbers only: no mark needed.
    let t = csv("a;b\nX;12\nY;6291\n");
    assert_eq!(numbers(&t, "b"), [Some(12.0), Some(6291.0)]);
    // One column of Dutch decimals: the commas are not delimiters.
    let t = csv("aandeel\n1,5\n2,25\n");
    assert_eq!(numbers(&t, "aandeel"), [Some(1.5), Some(2.25)]);
    // Quoted decimal commas in a comma-separated file.
    let t = csv("regio,aandeel\nA,\"1,5\"\nB,\"2,25\"\n");
    assert_eq!(numbers(&t, "aandeel"), [Some(1.5), Some(2.25)]);
    // Numbers in a text column are no evidence.
    let t = csv("a;b\nversie 1.5;1,5\n");
    assert_eq!(numbers(&t, "b"), [Some(1.5)]);
}

#[test]
fn ambiguous_decimal_mark_is_reported_with_the_override() {
    let d = csv_error("regio;bedrag\r\nA;1.234\r\nB;5.678\r\n");
    assert_eq!(at(&d), ("data/t.csv".into(), 2, 3));
    assert_eq!(
        d.message,
        "cannot tell whether `1.234` means 1234 (`.` separating thousands) or 1 and 234 thousandths (`.` as decimal mark); nothing else in this file settles it"
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("add `decimal: \",\"` to data/t.meta.yaml if `.` separates thousands, or `decimal: \".\"` if it is the decimal mark")
    );
    // Comma-delimited file with Dutch-looking thousands: the delimiter says decimal
    // point, the pattern says thousands.
    let d = csv_error("instelling,deelnemers\nA,135\nB,6.291\nC,99\n");
    assert_eq!((d.line, d.col), (3, 3));
    // Tab: no delimiter signal at all.
    let d = csv_error("instelling\tdeelnemers\nA\t135\nB\t6.291\n");
    assert_eq!((d.line, d.col), (3, 3));
    // `;` with `1,234` beside small numbers: delimiter says decimal comma, pattern says
    // thousands.
    let d = csv_error("a;b\nX;1,234\nY;12\n");
    assert_eq!((d.line, d.col), (2, 3));
    assert!(d
        .hint
        .unwrap()
        .contains("`decimal: \".\"` to data/t.meta.yaml if `,` separates thousands"));
    // Both marks ambiguous.
    let d = csv_error("a;b;c\nX;1.234;1,234\n");
    assert!(
        d.message
            .starts_with("cannot tell the decimal mark: `1,234` and `1.234` (line 2, column 3)"),
        "{}",
        d.message
    );
}

#[test]
fn conflicting_decimal_marks_are_reported_at_the_odd_one() {
    let d = csv_error("a;b\nX;1,5\nY;2,5\nZ;1.5\n");
    assert_eq!(at(&d), ("data/t.csv".into(), 4, 3));
    assert_eq!(d.message, "numbers in this file disagree on the decimal mark: `1.5` has a decimal point, but `1,5` (line 2, column 3) has a decimal comma");
    assert!(d.hint.unwrap().contains("data/t.meta.yaml"));
}

// ---------------------------------------------------------------- CSV errors

#[test]
fn ragged_rows() {
    let d = csv_error("a,b,c\n1,2,3\n4,5,6,7\n");
    assert_eq!(at(&d), ("data/t.csv".into(), 3, 7));
    assert_eq!(
        d.message,
        "this row has 4 values but the header has 3 columns"
    );
    assert_eq!(d.hint.as_deref(), Some("a value that contains the delimiter `,` must be in double quotes; otherwise remove the extra `,`"));
    let d = csv_error("a;b;c\n1;2\n");
    assert_eq!(
        (d.line, d.col, d.message.as_str()),
        (2, 3, "this row has 2 values but the header has 3 columns")
    );
    // Extra empty values at the end of a row are Excel's, not the author's.
    assert_eq!(csv("a;b\n1;2;;\n").rows[0].cells.len(), 2);
}

#[test]
fn text_in_a_number_column() {
    let d = csv_error("regio;aantal\nA;5\nB;6\nC;7\nD;8\nE;9\nF;twaalf\nG;13\n");
    assert_eq!(at(&d), ("data/t.csv".into(), 7, 3));
    assert_eq!(
        d.message,
        "column `aantal`: `twaalf` is not a number; all other values in this column are numbers"
    );
    assert_eq!(
        d.hint.as_deref(),
        Some("write it as a number (e.g. 12 or 1,5), leave the cell empty if the figure is not available (or a sign of a statistics table: `.` not known, `x` secret, `-` nil, `10*` a number with a note), or set `columns: {aantal: text}` in data/t.meta.yaml if the column is text")
    );
    // A mostly-text column is simply text.
    assert_eq!(kinds(&csv("a;b\nX;twaalf\nY;dertien\nZ;14\n")), [T, T]);
    // A totals label is allowed anywhere.
    assert_eq!(kinds(&csv("jaar;n\n2020;1\n2021;2\nTotaal;3\n")), [N, N]);
    // A bad date among dates.
    let d = csv_error("datum;n\n2021-09-21;1\n2021-09-22;2\n31-02-2021;3\n");
    assert_eq!((d.line, d.col), (4, 1));
    assert_eq!(
        d.message,
        "column `datum`: `31-02-2021` is not a date; all other values in this column are dates"
    );
}

#[test]
fn many_bad_values_are_summarised() {
    let mut text = String::from("regio;n\n");
    for i in 0..30 {
        text.push_str(&format!("R{i};{i}\n"));
    }
    for i in 0..8 {
        text.push_str(&format!("X{i};veel\n"));
    }
    let d = errors(&[("t.csv", text.as_bytes())]);
    assert_eq!(d.len(), 6);
    assert_eq!(
        d[0].message,
        "3 more values in column `n` do not fit its kind (number)"
    );
    assert_eq!((d[0].line, d[0].col), (1, 7));
}

#[test]
fn header_errors() {
    let d = csv_error("regio;aantal;regio\nA;1;B\n");
    assert_eq!((d.line, d.col), (1, 14));
    assert_eq!(
        d.message,
        "column name `regio` is used twice (first at line 1, column 1)"
    );
    let d = csv_error("regio;;aantal\nA;x;1\n");
    assert_eq!(
        (d.line, d.col, d.message.as_str()),
        (1, 7, "column 2 has no name")
    );
}

/// StatLine (CBS) and Excel exports: title lines above the column names and the source
/// and footnotes below the table are not rows; the footer is kept for the source line.
#[test]
fn title_and_footer_lines_around_the_table() {
    let t = csv(
        "Verzuim mbo 2021-2022;;;\n\nopleiding;wettelijk;langdurig;overig\nTechniek;19;;3\nZorg;91;1;7\n",
    );
    assert_eq!(t.columns[0].name, "opleiding");
    assert_eq!(t.rows.len(), 2);
    assert_eq!(t.rows[0].line, 4, "lines are still those of the file");
    let t = csv(
        "\"Regionale kerncijfers\"\n\"Regio's\";\"Perioden\";\"Inwoners\";\"Banen\"\n\"Aalten\";\"2021\";\"27 121\";\"12 400\"\n\"Berkelland\";\"2021\";\"44 030\";\"x\"\n\"Bron: CBS\"\n\"* voorlopige cijfers\"\n",
    );
    assert_eq!(t.rows.len(), 2);
    assert_eq!(t.footer, ["Bron: CBS", "* voorlopige cijfers"]);
    assert_eq!(t.rows[1].cells[3], Cell::Special(Special::Secret));
    // A last row with only its label filled in is still a row.
    let t = csv("regio;aantal\nA;3\nB;\n");
    assert_eq!(t.rows.len(), 2);
    assert!(t.footer.is_empty());
}

#[test]
fn empty_and_broken_files() {
    for text in ["", "\u{feff}\r\n", "  \n\n"] {
        let d = csv_error(text);
        assert_eq!(at(&d), ("data/t.csv".into(), 0, 0));
        assert_eq!(d.message, "the file is empty");
    }
    let d = csv_error("a,b\n1,\"open\n2,3\n");
    assert_eq!(
        (d.line, d.col, d.message.as_str()),
        (2, 3, "this quoted value has no closing `\"`")
    );
    let d = one(errors(&[("t.csv", b"PK\x03\x04\x14\x00\x06\x00")]));
    assert_eq!(d.message, "this is an Excel workbook, not a CSV text file");
    let d = one(errors(&[("t.csv", b"a;b\nx\x81;1\n")]));
    assert_eq!((d.line, d.col), (2, 2));
    assert_eq!(
        d.message,
        "cannot tell the encoding: byte 0x81 is neither UTF-8 nor Windows-1252"
    );
    assert!(d.hint.unwrap().contains("data/t.meta.yaml"));
    let d = one(errors(&[("t.csv", b"a\x00;\x00b\x00")]));
    assert!(d.message.contains("UTF-16 without a byte-order mark"));
}

#[test]
fn all_problems_in_all_files_are_reported() {
    let d = errors(&[
        ("a.csv", b"regio;n\nA;1\nB;twee\nC;3\nD;4\n"),
        ("b.csv", b"x,y\n1,2,3\n"),
        ("ok.csv", b"x,y\n1,2\n"),
        ("sub/c.yaml", b"- [1, 2"),
    ]);
    let files: Vec<String> = d.iter().map(|d| d.file.display().to_string()).collect();
    assert_eq!(files, ["data/a.csv", "data/b.csv", "data/sub/c.yaml"]);
}

// ---------------------------------------------------------------- override sidecar

#[test]
fn sidecar_settles_the_decimal_mark() {
    let text: &[u8] = b"regio;bedrag\nA;1.234\nB;5.678\n";
    let s = load(&[("t.csv", text), ("t.meta.yaml", b"decimal: \",\"\n")]).unwrap();
    assert_eq!(
        s.names().collect::<Vec<_>>(),
        ["t"],
        "the sidecar is not a table"
    );
    assert_eq!(
        numbers(s.get("t").unwrap(), "bedrag"),
        [Some(1234.0), Some(5678.0)]
    );
    let s = load(&[("t.csv", text), ("t.meta.yaml", b"decimal: \".\"\n")]).unwrap();
    assert_eq!(
        numbers(s.get("t").unwrap(), "bedrag"),
        [Some(1.234), Some(5.678)]
    );
    // With the mark fixed, a value written the other way is an error.
    let d = one(errors(&[
        ("t.csv", b"a;b\nX;1,5\nY;2.5\n"),
        ("t.meta.yaml", b"decimal: \",\""),
    ]));
    assert_eq!((d.line, d.col), (3, 3));
    assert_eq!(
        d.message,
        "column `b`: `2.5` is not a number with a decimal comma, the mark set in data/t.meta.yaml"
    );
}

#[test]
fn sidecar_columns_header_line_delimiter_encoding() {
    let s = load(&[
        (
            "codes.csv",
            b"gemeentecode;naam;aandeel\n0197;Aalten;1,4\n1859;Berkelland;2,0\n",
        ),
        (
            "codes.meta.yaml",
            b"columns:\n  aandeel: percent\n  naam: text\n",
        ),
        (
            "titel.csv",
            b"Tabel 2.4 Verzuim\nBron: DUO\nregio;aantal\nA;1\n",
        ),
        ("titel.meta.yml", b"header_line: 3\n"),
        ("pipe.csv", b"regio|aantal\nA|1,5\n"),
        ("pipe.meta.yaml", b"delimiter: \"|\"\ndecimal: \",\"\n"),
        ("oud.csv", b"naam;plaats\nJos\xe9;Winterswijk\n"),
        ("oud.meta.yaml", b"encoding: windows-1252\n"),
        ("tekst.csv", b"code;n\n12;1\n13;2\n"),
        ("tekst.meta.yaml", b"columns: {code: text}\n"),
        ("leeg.csv", b"a;b\nX;1,5\n"),
        ("leeg.meta.yaml", b"# nog niets nodig\n"),
        ("bom.csv", b"\xef\xbb\xbfnaam\nJos\xc3\xa9\n"),
        ("bom.meta.yaml", b"encoding: windows-1252\n"),
    ])
    .unwrap_or_else(|d| panic!("{d:#?}"));
    let c = s.get("codes").unwrap();
    assert_eq!(kinds(c), [T, T, P]);
    assert_eq!(numbers(c, "aandeel"), [Some(1.4), Some(2.0)]);
    let t = s.get("titel").unwrap();
    assert_eq!((t.columns[0].line, t.rows[0].line), (3, 4));
    assert_eq!(numbers(s.get("pipe").unwrap(), "aantal"), [Some(1.5)]);
    assert_eq!(texts(s.get("oud").unwrap(), "naam"), [Some("José")]);
    assert_eq!(
        texts(s.get("tekst").unwrap(), "code"),
        [Some("12"), Some("13")]
    );
}

#[test]
fn sidecar_errors_point_into_the_sidecar() {
    let data: &[u8] = b"regio;aandeel\nA;1,4\n";
    let d = one(errors(&[
        ("t.csv", data),
        ("t.meta.yaml", b"decimal: \",\"\ndecimals: \",\"\n"),
    ]));
    assert_eq!(at(&d), ("data/t.meta.yaml".into(), 2, 1));
    assert!(
        d.message.starts_with("unknown field `decimals`"),
        "{}",
        d.message
    );
    let d = one(errors(&[
        ("t.csv", data),
        ("t.meta.yaml", b"columns:\n  aandeel: procent\n"),
    ]));
    assert_eq!((d.line, d.col), (2, 12));
    assert_eq!(d.message, "columns.aandeel: unknown variant `procent`, expected one of `number`, `percent`, `text`, `date`, `schoolyear`");
    let d = one(errors(&[
        ("t.csv", data),
        ("t.meta.yaml", b"columns:\n  aandel: percent\n"),
    ]));
    assert_eq!(at(&d), ("data/t.meta.yaml".into(), 2, 3));
    assert_eq!(d.message, "there is no column `aandel` in the data file");
    assert_eq!(d.hint.as_deref(), Some("did you mean `aandeel`?"));
    let d = one(errors(&[
        ("t.csv", data),
        ("t.meta.yaml", b"# Excel\nencoding: ebcdic\n"),
    ]));
    assert_eq!(
        (d.line, d.col, d.message.as_str()),
        (2, 1, "unknown encoding `ebcdic`")
    );
    let d = one(errors(&[
        ("t.csv", data),
        ("t.meta.yaml", b"delimiter: \" \"\n"),
    ]));
    assert_eq!((d.line, d.message.as_str()), (1, "unknown delimiter ` `"));
    let d = one(errors(&[
        ("t.csv", data),
        ("t.meta.yaml", b"decimal: \";\"\n"),
    ]));
    assert_eq!(d.line, 1);
    let d = one(errors(&[
        ("t.csv", data),
        ("t.meta.yaml", b"header_line: 9\n"),
    ]));
    assert_eq!(
        d.message,
        "`header_line: 9` is past the last line of data/t.csv"
    );
    let d = one(errors(&[
        ("t.yaml", b"- {a: 1}\n"),
        ("t.meta.yaml", b"delimiter: \";\"\n"),
    ]));
    assert_eq!(d.message, "`delimiter` only applies to CSV files");
    let d = one(errors(&[
        ("vsv.csv", data),
        ("vvs.meta.yaml", b"decimal: \",\"\n"),
    ]));
    assert_eq!(at(&d), ("data/vvs.meta.yaml".into(), 0, 0));
    assert_eq!(
        d.hint.as_deref(),
        Some("did you mean `data/vsv.meta.yaml`? An override file is named after its data file")
    );
    // The declared encoding is checked.
    let d = one(errors(&[
        ("t.csv", b"naam\nJos\xe9\n"),
        ("t.meta.yaml", b"encoding: utf-8\n"),
    ]));
    assert_eq!(
        (d.line, d.col, d.message.as_str()),
        (2, 4, "this file is not valid UTF-8 text")
    );
}

// ---------------------------------------------------------------- YAML

#[test]
fn yaml_list_of_records() {
    let t = table(
        "regios.yaml",
        "- regio: Achterhoek\n  aandeel: \"1,4%\"\n  aantal: 315\n- regio: Twente\n  aantal: 823\n  peildatum: 2021-09-21\n".as_bytes(),
    );
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["regio", "aandeel", "aantal", "peildatum"]);
    assert_eq!(kinds(&t), [T, P, N, D]);
    assert_eq!(numbers(&t, "aandeel"), [Some(1.4), None]);
    assert_eq!(numbers(&t, "aantal"), [Some(315.0), Some(823.0)]);
    assert_eq!(t.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [1, 4]);
    assert_eq!(t.rows[1].pos[2], (5, 11));
    assert_eq!((t.columns[3].line, t.columns[3].col), (6, 3));
}

#[test]
fn yaml_map_with_one_list() {
    let t = table(
        "regios.yml",
        b"bron: DUO\nregios:\n  - {regio: Achterhoek, aantal: 315, schooljaar: 2020/2021}\n  - {regio: Twente, aantal: 823.5, schooljaar: 2020-2021}\n",
    );
    assert_eq!(t.name, "regios");
    assert_eq!(kinds(&t), [T, N, Y]);
    assert_eq!(numbers(&t, "aantal"), [Some(315.0), Some(823.5)]);
    assert_eq!(t.rows.iter().map(|r| r.line).collect::<Vec<_>>(), [3, 4]);
}

#[test]
fn yaml_errors() {
    let d = one(errors(&[("t.yaml", b"- regio: [Achterhoek\n- x: 1\n")]));
    assert_eq!(d.file, Path::new("data/t.yaml"));
    assert!(d.line >= 1 && d.col >= 1, "{d:?}");
    let d = one(errors(&[("t.yaml", b"hallo\n")]));
    assert_eq!(d.message, "this YAML file is a single value, not a table");
    assert!(d.hint.unwrap().contains("list of records"));
    let d = one(errors(&[("t.yaml", b"a: 1\nb: 2\n")]));
    assert_eq!(d.message, "no list of records found in this map");
    let d = one(errors(&[("t.yaml", b"a: [{x: 1}]\nb: [{x: 2}]\n")]));
    assert_eq!(
        d.message,
        "`a` and `b` each hold a list of records; a file holds one table"
    );
    let d = one(errors(&[("t.yaml", b"- regio: A\n  sub: {x: 1}\n")]));
    assert_eq!((d.line, d.col), (2, 8));
    assert_eq!(
        d.message,
        "the value of `sub` in record 1 is not a single value"
    );
    let d = one(errors(&[(
        "t.yaml",
        b"- regio: A\n  n: 1\n- regio: B\n  n: twaalf\n- regio: C\n  n: 3\n",
    )]));
    assert_eq!((d.line, d.col), (4, 6));
    assert_eq!(
        d.message,
        "column `n`: `twaalf` is not a number; all other values in this column are numbers"
    );
    let d = one(errors(&[("t.yaml", b"- regio: A\n- 5\n")]));
    assert_eq!((d.line, d.message.as_str()), (2, "item 2 is not a record"));
}

// ---------------------------------------------------------------- the store

#[test]
fn names_lookup_and_path_safety() {
    let s = load(&[
        ("vsv.csv", b"a\n1\n"),
        ("dashboard/vsv-trend.csv", b"a\n1\n"),
        ("Regios.YAML", b"- {a: 1}\n"),
        (".verborgen.csv", b"a\n1\n"),
        ("~$werkmap.csv", b"a\n1\n"),
        ("notities.txt", b"niet inlezen"),
        ("bron.xls", b"old"),
    ])
    .unwrap();
    assert_eq!(
        s.names().collect::<Vec<_>>(),
        ["Regios", "dashboard/vsv-trend", "vsv"]
    );
    for ok in [
        "vsv",
        "vsv.csv",
        "VSV.CSV".to_lowercase().as_str(),
        "data/vsv.csv",
        " vsv ",
    ] {
        assert_eq!(s.lookup(ok).map(|t| t.name.as_str()), Ok("vsv"), "{ok}");
    }
    assert_eq!(
        s.lookup("dashboard/vsv-trend.csv").unwrap().source,
        Path::new("data/dashboard/vsv-trend.csv")
    );
    assert_eq!(s.lookup("Regios.yaml").unwrap().name, "Regios");
    for bad in [
        "../etc/passwd",
        "/etc/passwd",
        "dashboard/../vsv",
        "dashboard\\vsv-trend",
        "C:/data/vsv",
        "./vsv",
        "dashboard//vsv-trend",
        "",
    ] {
        assert!(s.lookup(bad).is_err(), "{bad}");
    }
    assert!(s
        .lookup("../etc/passwd")
        .unwrap_err()
        .contains("not allowed"));
    assert!(s
        .lookup("/etc/passwd")
        .unwrap_err()
        .contains("absolute path"));
    assert_eq!(
        s.lookup("vsv.yaml").unwrap_err(),
        "there is no data/vsv.yaml; the data `vsv` is data/vsv.csv, write `vsv`"
    );
    assert_eq!(
        s.lookup("vsvv").unwrap_err(),
        "no data file `vsvv` in data/; did you mean `vsv`?"
    );
    assert_eq!(
        s.lookup("vsv-trend").unwrap_err(),
        "no data file `vsv-trend` in data/; did you mean `dashboard/vsv-trend`?"
    );
    assert_eq!(
        s.lookup("factsheet").unwrap_err(),
        "no data file `factsheet` in data/; available: `Regios`, `dashboard/vsv-trend` and `vsv`"
    );
    assert!(DataStore::load(Path::new("/nonexistent-site"))
        .unwrap()
        .names()
        .next()
        .is_none());
}

#[test]
fn two_files_with_one_name() {
    let d = one(errors(&[
        ("vsv.csv", b"a\n1\n"),
        ("vsv.yaml", b"- {a: 1}\n"),
    ]));
    assert_eq!(
        d.message,
        "`data/vsv.csv` and `data/vsv.yaml` both define the data `vsv`"
    );
}

#[test]
fn serializes_as_records() {
    let t = csv("regio;n;p;d;m\nA;6.291;1,5%;2021-09-21;\nTotaal;6.291;;;-\n");
    assert_eq!(
        serde_json::to_value(&t).unwrap(),
        json!([
            {"regio": "A", "n": 6291, "p": 1.5, "d": "2021-09-21", "m": null},
            {"regio": "Totaal", "n": 6291, "p": null, "d": null, "m": null},
        ])
    );
}

// ---------------------------------------------------------------- table operations

fn onderwijstype() -> DataTable {
    reference()
        .get("vsv-per-onderwijstype-achterhoek")
        .unwrap()
        .clone()
}

fn filter(t: &DataTable, yaml: &str) -> Result<DataTable, String> {
    let f = Filter::from_yaml(&serde_yaml::from_str(yaml).unwrap())?;
    t.filter(&f)
}

#[test]
fn filters() {
    let t = onderwijstype();
    let mbo1 = filter(&t, "{onderwijstype: mbo-1}").unwrap();
    assert_eq!(
        numbers(&mbo1, "aantal"),
        [Some(46.0), Some(41.0), Some(66.0)]
    );
    assert_eq!(mbo1.rows[0].line, 2, "rows keep their source lines");
    assert_eq!(
        filter(&t, "{schooljaar: [2019/2020, 2020-2021]}")
            .unwrap()
            .rows
            .len(),
        12
    );
    assert_eq!(filter(&t, "{percentage: \">= 2\"}").unwrap().rows.len(), 12);
    assert_eq!(
        filter(&t, "{percentage: \">= 2,5\"}").unwrap().rows.len(),
        9
    );
    assert_eq!(filter(&t, "{percentage: \"< 1\"}").unwrap().rows.len(), 3);
    assert_eq!(filter(&t, "{percentage: 8.9}").unwrap().rows.len(), 2);
    assert_eq!(
        filter(&t, "{schooljaar: \">= 2020/21\", onderwijstype: \"!= vo\"}")
            .unwrap()
            .rows
            .len(),
        5
    );
    assert_eq!(
        texts(&filter(&t, "{aantal: null}").unwrap(), "onderwijstype"),
        [Some("vavo")]
    );
    assert_eq!(
        filter(&t, "{doelpercentage: \"!= 26.4\"}")
            .unwrap()
            .rows
            .len(),
        15,
        "missing counts as not equal"
    );
    assert_eq!(filter(&t, "").unwrap().rows.len(), 18);
    assert_eq!(t.rows.len(), 18, "the original is untouched");
}

#[test]
fn filter_errors() {
    let t = onderwijstype();
    assert_eq!(
        filter(&t, "{onderwijstype: mbo-5}").unwrap_err(),
        "no row of `vsv-per-onderwijstype-achterhoek` has `onderwijstype` = `mbo-5`; did you mean `mbo-1`, `mbo-2` or `mbo-3`?"
    );
    assert_eq!(
        filter(&t, "{schooljaar: 2017/2018}").unwrap_err(),
        "no row of `vsv-per-onderwijstype-achterhoek` has `schooljaar` = `2017/2018`; did you mean `2018/2019` or `2019/2020`?"
    );
    assert_eq!(
        filter(&t, "{regio: Achterhoek}").unwrap_err(),
        "the data `vsv-per-onderwijstype-achterhoek` has no column `regio`; the columns are `onderwijstype`, `schooljaar`, `aantal`, `percentage` and `doelpercentage`"
    );
    assert_eq!(
        filter(&t, "{onderwijstype: \"> a\"}").unwrap_err(),
        "filter on `onderwijstype`: `<` and `>` need a number, date or school-year column, and `onderwijstype` holds text"
    );
    assert_eq!(
        filter(&t, "{percentage: \">= veel\"}").unwrap_err(),
        "filter on `percentage`: cannot compare with `veel`; `percentage` holds number values"
    );
    assert_eq!(
        filter(&t, "{percentage: \">=\"}").unwrap_err(),
        "filter on `percentage`: `>=` needs a value after it, e.g. `\">= 2\"`"
    );
    assert!(filter(&t, "[a, b]")
        .unwrap_err()
        .starts_with("a filter is a map"));
    assert!(filter(&t, "{aantal: {x: 1}}")
        .unwrap_err()
        .contains("single value"));
}

#[test]
fn sorting_is_stable_with_missing_last() {
    let t = onderwijstype();
    let desc = t.sort_by("percentage", true).unwrap();
    let p = numbers(&desc, "percentage");
    assert_eq!(p[..3], [Some(29.5), Some(21.3), Some(18.6)]);
    assert_eq!(p[17], None);
    let asc = t.sort_by("percentage", false).unwrap();
    let p = numbers(&asc, "percentage");
    assert_eq!(p[0], Some(0.2));
    assert_eq!(p[17], None);
    // Equal values keep their order: mbo-4 2018/2019 and 2019/2020 both have 1.9.
    let i = p.iter().position(|v| *v == Some(1.9)).unwrap();
    assert_eq!(
        texts(&asc, "schooljaar")[i..i + 2],
        [Some("2018/2019"), Some("2019/2020")]
    );
    let by_name = csv("regio;n\nzwolle;1\nAchterhoek;2\nachterhoek;3\nTwente;4\n")
        .sort_by("regio", false)
        .unwrap();
    assert_eq!(numbers(&by_name, "n"), [2.0, 3.0, 4.0, 1.0].map(Some));
    assert!(t
        .sort_by("percentag", false)
        .unwrap_err()
        .contains("did you mean `percentage`?"));
}

#[test]
fn derive_select_rename_sum() {
    let u = reference()
        .get("uitschrijvingen-zonder-sk-per-instelling-2021-2022")
        .unwrap()
        .clone();
    let t = u.derive("zonder_sk", "mbo1 + mbo2 + mbo3 + mbo4").unwrap();
    let t = t.derive("aandeel", "zonder_sk / deelnemers * 100").unwrap();
    assert_eq!(t.columns.last().unwrap().kind, N);
    let graafschap = numbers(&t, "aandeel")[3];
    assert!(close(graafschap, 91.0 / 6291.0 * 100.0), "{graafschap:?}");
    assert_eq!(t.column_sum("zonder_sk"), Some(130.0));
    let small = t
        .select(&["instelling", "aandeel"])
        .unwrap()
        .rename("aandeel", "percentage zonder sk")
        .unwrap();
    assert_eq!(
        small
            .columns
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>(),
        ["instelling", "percentage zonder sk"]
    );
    assert_eq!(small.rows[3].pos.len(), 2);
    assert_eq!(u.columns.len(), 6, "operations never change the original");

    let zero = csv("a;b\n1;0\n2;\n4;2\n").derive("c", "a / b").unwrap();
    assert_eq!(numbers(&zero, "c"), [None, None, Some(2.0)]);
    assert_eq!(u.derive("x", "instelling * 2").unwrap_err(), "in `instelling * 2`: column `instelling` holds text values; calculations need number columns");
    assert!(u
        .derive("mbo1", "1")
        .unwrap_err()
        .contains("already has a column `mbo1`"));
    assert!(u
        .derive("x", "mbo1 +")
        .unwrap_err()
        .starts_with("in `mbo1 +`: the expression ends"));
    assert!(u
        .select(&["instelling", "plaats"])
        .unwrap_err()
        .contains("has no column `plaats`"));
    assert!(u.rename("mbo1", "mbo2").is_err());
    assert_eq!(u.column_sum("instelling"), None);
    assert_eq!(u.column_sum("nope"), None);
}

// ---------------------------------------------------------------- totals

const VERZUIM_18MIN_WRONG_TOTAL: &str = "opleidingsrichting,wettelijk,langdurig,overig\n\
    Techniek en Informatica,19,,3\n\
    \"Zorg, Welzijn en Sport\",91,,7\n\
    Educatie en Participatie,62,1,\n\
    Economie en Dienstverlening,34,,29\n\
    Totaal,206,1,36\n";

#[test]
fn totals_row_that_does_not_add_up() {
    let t = csv(VERZUIM_18MIN_WRONG_TOTAL);
    assert_eq!(t.totals_row_index(), Some(4));
    let d = one(t.check_totals());
    assert_eq!(at(&d), ("data/t.csv".into(), 6, 14));
    assert_eq!(
        d.message,
        "totals row says 36 but the column `overig` adds up to 39"
    );
    assert!(d.hint.is_some());
    assert_eq!(
        t.column_sum("overig"),
        Some(39.0),
        "the totals row is not part of the sum"
    );
    let sorted = t.sort_by("wettelijk", true).unwrap();
    assert_eq!(
        sorted.totals_row_index(),
        Some(4),
        "the totals row stays at the bottom"
    );
    let ok = csv(&VERZUIM_18MIN_WRONG_TOTAL.replace(",36", ",39"));
    assert!(ok.check_totals().is_empty());
}

#[test]
fn totals_allow_rounding_and_skip_rates() {
    let t = csv("regio;aantal;aandeel;percentage\nA;1,24;1,5;50\nB;1,33;2,5;50\nTotaal generaal;2,6;2,0;100\n");
    assert!(t.check_totals().is_empty(), "{:?}", t.check_totals());
    let t = csv("regio;aantal\nA;1,24\nB;1,33\ntotaal:;2,50\n");
    assert_eq!(
        one(t.check_totals()).message,
        "totals row says 2.5 but the column `aantal` adds up to 2.57"
    );
    assert_eq!(csv("regio;n\nA;1\n").totals_row_index(), None);
}

// ---------------------------------------------------------------- scale

#[test]
fn large_files_load_in_linear_time() {
    let mut text = String::from("regio;schooljaar;aantal;aandeel\n");
    for i in 0..50_000 {
        text.push_str(&format!(
            "Regio {i};2020/2021;{};{},{}%\n",
            i % 997,
            i % 7,
            i % 10
        ));
    }
    let start = std::time::Instant::now();
    let t = csv(&text);
    assert_eq!(t.rows.len(), 50_000);
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
}

#[test]
fn numbers_beyond_fifteen_digits_are_refused_long_fractions_are_not() {
    let d = csv_error("regio;bedrag\nA;99999999999999999999999999999\n");
    assert_eq!((d.line, d.col), (2, 3));
    assert!(
        d.message
            .contains("more digits than bundel can keep exactly"),
        "{}",
        d.message
    );
    let t = csv("regio;aandeel\nA;0,0140845070422535\nB;1,5\n");
    assert_eq!(numbers(&t, "aandeel")[0], Some(0.0140845070422535));
}

#[test]
fn a_data_file_is_read_only_when_it_is_used() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("data/used.csv"), "regio,n\nA,1\n").unwrap();
    std::fs::write(dir.path().join("data/broken.csv"), "regio,n\nA,1,2,3\n").unwrap();
    let s = DataStore::open(dir.path()).unwrap();
    assert_eq!(s.names().collect::<Vec<_>>(), ["broken", "used"]);
    assert!(s.get("used").is_some());
    assert!(
        s.errors().is_empty(),
        "the broken file is not read until used"
    );
    assert!(s.check_totals().is_empty());
    let e = s.lookup("broken").unwrap_err();
    assert!(
        e.contains("cannot be used until the problem of data/broken.csv is fixed"),
        "{e}"
    );
    let errors = s.errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].file, Path::new("data/broken.csv"));
    assert_eq!(errors[0].line, 2);
    // `load` (for `bundel check`) reads every file now.
    assert!(DataStore::load(dir.path()).is_err());
}
