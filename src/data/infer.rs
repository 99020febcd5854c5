//! From cells as written to typed columns: kinds, the file's decimal mark, values.
//!
//! The decimal mark is decided once per file from all numbers in numeric columns:
//!
//! 1. Strong evidence settles it: a mark followed by 1, 2 or 4+ digits (`1,4`, `1.75`),
//!    after a leading zero (`0.125`) or 4+ integer digits, two different marks
//!    (`1.234,5`), the same mark twice (`1.234.567`, so the other one is decimal), or an
//!    `x.xxx` value in a column that also holds an ungrouped `6291`.
//! 2. Strong evidence both ways is an error.
//! 3. Left are values like `6.291`: thousands or decimals? Two weak signals must agree:
//!    the delimiter (`;` goes with a decimal comma, `,` with a decimal point) and the
//!    pattern (every column with such values also holds plain whole numbers below 1000,
//!    as thousands grouping would print them). Otherwise it is an error whose hint names
//!    the override.

use std::path::Path;

use chrono::NaiveDate;

use super::meta::Meta;
use super::{sidecar_path, Cell, Column, ColumnKind, DataTable, Row, Special};
use crate::diagnostic::Diagnostic;

pub(super) struct RawCell {
    pub text: String,
    /// A number the file format itself typed (YAML, a spreadsheet), which needs no
    /// decimal detection.
    pub native: Option<f64>,
    /// The native number is shown as a percentage (a spreadsheet's format), in percent units.
    pub percent: bool,
    pub line: usize,
    pub col: usize,
}

pub(super) struct RawRow {
    pub line: usize,
    pub cells: Vec<RawCell>,
}

pub(super) struct RawColumn {
    pub name: String,
    pub line: usize,
    pub col: usize,
}

pub(super) struct RawTable {
    pub columns: Vec<RawColumn>,
    pub rows: Vec<RawRow>,
    pub footer: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Marks {
    Native(f64),
    /// Digits only; `big` when 1000 or more, i.e. written without thousands separators.
    Plain {
        big: bool,
    },
    /// The decimal mark is settled by this value alone.
    Decimal(char),
    /// One mark followed by exactly three digits, after 1-3 digits: `6.291`, `1,234`.
    Ambiguous(char),
}

#[derive(Debug, Clone, PartialEq)]
struct NumTok {
    neg: bool,
    percent: bool,
    /// Digits and marks only, signs, `%`, `€` and grouping spaces removed.
    body: String,
    marks: Marks,
    /// A note sign written after the number: `10*` (provisional), `8†`.
    note: Option<char>,
}

#[derive(Debug, Clone, PartialEq)]
enum Shape {
    Missing,
    /// `-`, `–` or `—` standing alone: nil (CBS), a 0 in a number column.
    Nil,
    /// `x` standing alone: kept secret.
    Secret,
    /// `n.v.t.`, `nvt`, `n/a`: not applicable.
    NotApplicable,
    Num(NumTok),
    Date(NaiveDate),
    SchoolYear,
    /// Whole number with leading zeros: a code such as `0197`.
    Code,
    TotalLabel,
    Text,
}

const MISSING: [&str; 6] = ["", ".", "n.b.", "n.b", "#n/b", "#n/a"];
const NIL: [&str; 3] = ["-", "–", "—"];
const NOT_APPLICABLE: [&str; 5] = ["n.v.t.", "nvt", "n/a", "na", "n.a."];
const TOTAL_LABELS: [&str; 7] = [
    "totaal",
    "total",
    "totaal generaal",
    "eindtotaal",
    "grand total",
    "totalen",
    "totals",
];

pub(super) fn is_total_label(t: &str) -> bool {
    let t = t.trim().trim_end_matches(':').trim_end().to_lowercase();
    TOTAL_LABELS.contains(&t.as_str())
}

fn classify(cell: &RawCell) -> Shape {
    if let Some(v) = cell.native {
        return Shape::Num(NumTok {
            neg: false,
            percent: cell.percent,
            body: String::new(),
            marks: Marks::Native(v),
            note: None,
        });
    }
    let t = cell.text.trim();
    let is = |list: &[&str]| list.iter().any(|m| m.eq_ignore_ascii_case(t));
    if t.is_empty() || is(&MISSING) {
        Shape::Missing
    } else if is(&NIL) {
        Shape::Nil
    } else if t.eq_ignore_ascii_case("x") {
        Shape::Secret
    } else if is(&NOT_APPLICABLE) {
        Shape::NotApplicable
    } else if is_total_label(t) {
        Shape::TotalLabel
    } else if let Some(n) = number_token(t) {
        Shape::Num(n)
    } else if let Some(d) = parse_date(t) {
        Shape::Date(d)
    } else if school_year_start(t).is_some() {
        Shape::SchoolYear
    } else if t.len() > 1 && t.starts_with('0') && t.bytes().all(|b| b.is_ascii_digit()) {
        Shape::Code
    } else {
        Shape::Text
    }
}

fn other(mark: char) -> char {
    if mark == ',' {
        '.'
    } else {
        ','
    }
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// `1`-`3` digits, then groups of exactly three: the integer part of a grouped number.
fn valid_groups(int: &str, sep: char) -> bool {
    let mut groups = int.split(sep);
    let first = groups.next().unwrap_or("");
    all_digits(first)
        && first.len() <= 3
        && !(first.starts_with('0') && int.contains(sep))
        && groups.all(|g| g.len() == 3 && all_digits(g))
}

fn number_token(t: &str) -> Option<NumTok> {
    let mut s = t;
    // A note sign after the number, as statistics tables print provisional figures.
    let mut note = None;
    if let Some(m) = s.chars().last().filter(|c| NOTE_SIGNS.contains(c)) {
        note = Some(m);
        s = s[..s.len() - m.len_utf8()].trim_end();
    }
    // Accounting negatives: `(8)` is -8.
    let mut bracketed = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        bracketed = true;
        s = inner.trim();
    }
    let mut percent = false;
    if let Some(r) = s.strip_suffix('%') {
        percent = true;
        s = r.trim_end();
    }
    if let Some(r) = s.strip_prefix('€') {
        s = r.trim_start();
    } else if let Some(r) = s.strip_suffix('€') {
        s = r.trim_end();
    }
    let mut neg = bracketed;
    if bracketed {
        // The brackets were the sign.
    } else if let Some(r) = s.strip_prefix(['-', '\u{2212}']) {
        neg = true;
        s = r.trim_start();
    } else if let Some(r) = s.strip_prefix('+') {
        s = r.trim_start();
    }
    if let Some(r) = s.strip_prefix('€') {
        s = r.trim_start();
    }
    if !s.ends_with(|c: char| c.is_ascii_digit())
        || !s
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',' || c.is_whitespace())
    {
        return None;
    }
    let body: String = if s.contains(char::is_whitespace) {
        // Spaces group thousands (`22 766`, `1 234,5`): the parts between them must be
        // digit groups, or this is not one number.
        let parts: Vec<&str> = s.split_whitespace().collect();
        let last = parts[parts.len() - 1];
        let ok = parts[0].len() <= 3
            && parts[..parts.len() - 1].iter().all(|p| all_digits(p))
            && parts[1..parts.len() - 1].iter().all(|p| p.len() == 3)
            && last.len() >= 3
            && all_digits(&last[..3])
            && (last.len() == 3 || last[3..].starts_with(['.', ',']));
        if !ok {
            return None;
        }
        parts.concat()
    } else {
        s.to_string()
    };
    if body.len() > 1 && body.starts_with('0') && all_digits(&body) {
        return None;
    }
    let dots = body.matches('.').count();
    let commas = body.matches(',').count();
    let marks = match (dots, commas) {
        (0, 0) => Marks::Plain {
            big: body.len() >= 4,
        },
        (d, c) if d > 0 && c > 0 => {
            let pos = body.rfind(['.', ','])?;
            let dec = body[pos..].chars().next()?;
            let (int, frac) = (&body[..pos], &body[pos + 1..]);
            if !all_digits(frac) || int.contains(dec) || !valid_groups(int, other(dec)) {
                return None;
            }
            Marks::Decimal(dec)
        }
        (1, 0) | (0, 1) => {
            let mark = if dots == 1 { '.' } else { ',' };
            let (int, frac) = body.split_once(mark)?;
            if !all_digits(frac) || !(int.is_empty() || all_digits(int)) {
                return None;
            }
            if frac.len() == 3 && (1..=3).contains(&int.len()) && !int.starts_with('0') {
                Marks::Ambiguous(mark)
            } else {
                Marks::Decimal(mark)
            }
        }
        _ => {
            let mark = if dots > 0 { '.' } else { ',' };
            if !valid_groups(&body, mark) {
                return None;
            }
            Marks::Decimal(other(mark))
        }
    };
    Some(NumTok {
        neg,
        percent,
        body,
        marks,
        note,
    })
}

/// Digits before the decimal mark, leading zeros not counted. (Long fractions are fine:
/// Excel writes 0,0140845070422535 for 1,4%, and a float keeps what matters of it.)
fn integer_digits(body: &str, decimal: char) -> usize {
    body.split(decimal)
        .next()
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_digit)
        .skip_while(|&c| c == '0')
        .count()
}

/// Signs a table may print after a number to point at a note.
const NOTE_SIGNS: [char; 3] = ['*', '†', '‡'];

/// The value of a number token once the file's decimal mark is known.
fn number_value(tok: &NumTok, dec: char) -> Option<f64> {
    if let Marks::Native(v) = tok.marks {
        return Some(v);
    }
    let (int, frac) = match tok.body.split_once(dec) {
        Some((i, f)) => (i, f),
        None => (tok.body.as_str(), ""),
    };
    if !frac.is_empty() && !all_digits(frac) {
        return None;
    }
    let thousands = other(dec);
    if int.contains(thousands) && !valid_groups(int, thousands) {
        return None;
    }
    if !int.is_empty() && !all_digits(&int.replace(thousands, "")) {
        return None;
    }
    let v: f64 = format!("0{}.{frac}0", int.replace(thousands, ""))
        .parse()
        .ok()?;
    Some(if tok.neg { -v } else { v })
}

/// `2021-09-21` (ISO) or `21-09-2021` / `21-9-2021` (Dutch Excel).
pub(super) fn parse_date(t: &str) -> Option<NaiveDate> {
    let mut parts = t.trim().split('-');
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || ![a, b, c].iter().all(|p| all_digits(p)) {
        return None;
    }
    let num = |s: &str| s.parse::<u32>().ok();
    let short = |s: &str| (1..=2).contains(&s.len());
    if a.len() == 4 && short(b) && short(c) {
        NaiveDate::from_ymd_opt(a.parse().ok()?, num(b)?, num(c)?)
    } else if c.len() == 4 && short(a) && short(b) {
        NaiveDate::from_ymd_opt(c.parse().ok()?, num(b)?, num(a)?)
    } else {
        None
    }
}

/// The first calendar year of `2020/2021`, `2020-2021`, `2020/21` or `2020-21`.
pub(super) fn school_year_start(t: &str) -> Option<i32> {
    let (a, b) = t.trim().split_once(['/', '-'])?;
    let (a, b) = (a.trim(), b.trim());
    if a.len() != 4 || !all_digits(a) || !all_digits(b) {
        return None;
    }
    let start: i32 = a.parse().ok()?;
    let end: i32 = b.parse().ok()?;
    let ok = match b.len() {
        4 => end == start + 1,
        2 => end == (start + 1) % 100,
        _ => false,
    };
    ok.then_some(start)
}

/// A value that settles the decimal mark, kept to explain the decision.
#[derive(Clone)]
struct Example {
    text: String,
    line: usize,
    col: usize,
    why: String,
}

#[derive(Default)]
struct Evidence {
    /// Index 0: decimal comma, 1: decimal point.
    strong: [Vec<Example>; 2],
    ambiguous: [Option<Example>; 2],
    /// Per ambiguous mark: whether every column holding such values also holds plain
    /// whole numbers below 1000.
    grouping_pattern: [bool; 2],
}

fn slot(mark: char) -> usize {
    usize::from(mark == '.')
}

fn mark_name(decimal: char) -> &'static str {
    if decimal == ',' {
        "decimal comma"
    } else {
        "decimal point"
    }
}

fn collect_evidence(raw: &RawTable, shapes: &[Vec<Shape>], kinds: &[ColumnKind]) -> Evidence {
    let mut ev = Evidence {
        grouping_pattern: [true, true],
        ..Evidence::default()
    };
    let mut seen_ambiguous = [false, false];
    for (j, column) in raw.columns.iter().enumerate() {
        if !kinds[j].is_numeric() {
            continue;
        }
        let mut first_amb: [Option<Example>; 2] = [None, None];
        let mut small_plain = false;
        let mut big_plain: Option<&str> = None;
        for (i, shape) in shapes[j].iter().enumerate() {
            let Shape::Num(tok) = shape else { continue };
            let cell = &raw.rows[i].cells[j];
            let example = |why: String| Example {
                text: cell.text.trim().to_string(),
                line: cell.line,
                col: cell.col,
                why,
            };
            match tok.marks {
                Marks::Plain { big: false } => small_plain = true,
                Marks::Plain { big: true } => big_plain = big_plain.or(Some(cell.text.trim())),
                Marks::Decimal(d) => {
                    let why = if tok.body.matches(other(d)).count() > 1 && !tok.body.contains(d) {
                        format!("`{}` separating thousands", other(d))
                    } else {
                        mark_name(d).to_string()
                    };
                    ev.strong[slot(d)].push(example(why));
                }
                Marks::Ambiguous(m) if first_amb[slot(m)].is_none() => {
                    first_amb[slot(m)] = Some(example(String::new()))
                }
                _ => {}
            }
        }
        for m in ['.', ','] {
            let Some(ex) = first_amb[slot(m)].take() else {
                continue;
            };
            seen_ambiguous[slot(m)] = true;
            if let Some(big) = big_plain {
                // Whoever groups thousands in `1.234` would not leave `6291` ungrouped in
                // the same column, so the mark is decimal here.
                let why = format!(
                    "{} (the column `{}` also has `{big}` without thousands separator)",
                    mark_name(m),
                    column.name
                );
                ev.strong[slot(m)].push(Example { why, ..ex });
            } else {
                ev.grouping_pattern[slot(m)] &= small_plain;
                if ev.ambiguous[slot(m)].is_none() {
                    ev.ambiguous[slot(m)] = Some(ex);
                }
            }
        }
    }
    for m in ['.', ','] {
        ev.grouping_pattern[slot(m)] &= seen_ambiguous[slot(m)];
    }
    ev
}

fn decide_decimal(ev: &Evidence, delim: Option<char>, source: &Path) -> Result<char, Diagnostic> {
    let sidecar = sidecar_path(source);
    let set_hint = format!("make the numbers consistent, or say which mark is the decimal one with `decimal: \",\"` or `decimal: \".\"` in {sidecar}");
    let [comma, point] = &ev.strong;
    match (comma.first(), point.first()) {
        (Some(c), Some(p)) => {
            let (minority, majority) = if comma.len() < point.len() {
                (c, p)
            } else {
                (p, c)
            };
            return Err(Diagnostic::new(
                source,
                minority.line,
                minority.col,
                format!(
                    "numbers in this file disagree on the decimal mark: `{}` has a {}, but `{}` (line {}, column {}) has a {}",
                    minority.text, minority.why, majority.text, majority.line, majority.col, majority.why
                ),
            )
            .with_hint(set_hint));
        }
        (Some(_), None) => return Ok(','),
        (None, Some(_)) => return Ok('.'),
        (None, None) => {}
    }
    let ambiguous_hint = |m: char| {
        format!(
            "add `decimal: \"{}\"` to {sidecar} if `{m}` separates thousands, or `decimal: \"{m}\"` if it is the decimal mark",
            other(m)
        )
    };
    match &ev.ambiguous {
        [None, None] => Ok(if delim == Some(';') { ',' } else { '.' }),
        [Some(c), Some(p)] => Err(Diagnostic::new(
            source,
            c.line,
            c.col,
            format!(
                "cannot tell the decimal mark: `{}` and `{}` (line {}, column {}) each have one mark followed by three digits",
                c.text, p.text, p.line, p.col
            ),
        )
        .with_hint(set_hint)),
        [c, p] => {
            let ex = c.as_ref().or(p.as_ref()).expect("one ambiguous example");
            let m = if c.is_some() { ',' } else { '.' };
            let by_delimiter = match delim {
                Some(';') => Some(','),
                Some(',') => Some('.'),
                _ => None,
            };
            let by_pattern = ev.grouping_pattern[slot(m)].then_some(other(m));
            match (by_delimiter, by_pattern) {
                (Some(a), Some(b)) if a == b => Ok(a),
                _ => {
                    let digits: String = ex.text.chars().filter(|c| c.is_ascii_digit()).collect();
                    let (int, frac) = digits.split_at(digits.len() - 3);
                    Err(Diagnostic::new(
                        source,
                        ex.line,
                        ex.col,
                        format!(
                            "cannot tell whether `{}` means {digits} (`{m}` separating thousands) or {int} and {frac} thousandths (`{m}` as decimal mark); nothing else in this file settles it",
                            ex.text
                        ),
                    )
                    .with_hint(ambiguous_hint(m)))
                }
            }
        }
    }
}

#[derive(Default, Clone, Copy)]
struct Counts {
    num: usize,
    percent: usize,
    plain: usize,
    date: usize,
    school_year: usize,
    code: usize,
    other: usize,
}

fn count(shapes: &[Shape]) -> Counts {
    let mut c = Counts::default();
    for s in shapes {
        match s {
            Shape::Num(t) if t.percent => c.percent += 1,
            Shape::Num(t) => {
                c.num += 1;
                c.plain += usize::from(matches!(t.marks, Marks::Plain { .. }));
            }
            Shape::Date(_) => c.date += 1,
            Shape::SchoolYear => c.school_year += 1,
            Shape::Code => c.code += 1,
            Shape::Text => c.other += 1,
            Shape::Missing
            | Shape::Nil
            | Shape::Secret
            | Shape::NotApplicable
            | Shape::TotalLabel => {}
        }
    }
    c
}

fn infer_kind(c: Counts) -> ColumnKind {
    let n = c.num + c.percent + c.date + c.school_year + c.code + c.other;
    let numeric = c.num + c.percent;
    let as_numbers = if c.percent > 0 {
        ColumnKind::Percent
    } else {
        ColumnKind::Number
    };
    if n == 0 {
        ColumnKind::Text
    } else if c.school_year == n {
        ColumnKind::SchoolYear
    } else if c.date == n {
        ColumnKind::Date
    } else if c.code > 0 && c.code + c.plain == n {
        // Leading zeros matter in codes (gemeentecode 0197, BRIN), so the column is text.
        ColumnKind::Text
    } else if numeric == n || (numeric * 2 > n && numeric >= 2) {
        as_numbers
    } else if c.date * 2 > n && c.date >= 2 {
        ColumnKind::Date
    } else {
        ColumnKind::Text
    }
}

const MAX_ERRORS_PER_COLUMN: usize = 5;

pub(super) fn build(
    name: &str,
    source: &Path,
    raw: RawTable,
    meta: &Meta,
    delim: Option<char>,
) -> Result<DataTable, Vec<Diagnostic>> {
    let mut diags = meta.check_columns(raw.columns.iter().map(|c| c.name.as_str()));
    let width = raw.columns.len();
    let shapes: Vec<Vec<Shape>> = (0..width)
        .map(|j| raw.rows.iter().map(|r| classify(&r.cells[j])).collect())
        .collect();
    let counts: Vec<Counts> = shapes.iter().map(|s| count(s)).collect();
    let overridden: Vec<Option<ColumnKind>> = raw
        .columns
        .iter()
        .map(|c| meta.column_kind(&c.name))
        .collect();
    let kinds: Vec<ColumnKind> = (0..width)
        .map(|j| overridden[j].unwrap_or_else(|| infer_kind(counts[j])))
        .collect();
    let decimal = match meta.decimal {
        Some(d) => d,
        None => match decide_decimal(&collect_evidence(&raw, &shapes, &kinds), delim, source) {
            Ok(d) => d,
            Err(d) => {
                diags.push(d);
                return Err(diags);
            }
        },
    };
    let sidecar = sidecar_path(source);
    let mut cells: Vec<Vec<Cell>> = raw.rows.iter().map(|_| Vec::with_capacity(width)).collect();
    for j in 0..width {
        let column = &raw.columns[j];
        let kind = kinds[j];
        let mut errors = 0;
        for (i, shape) in shapes[j].iter().enumerate() {
            let rc = &raw.rows[i].cells[j];
            let text = rc.text.trim();
            let cell = match (kind, shape) {
                (ColumnKind::Number | ColumnKind::Percent, Shape::Missing)
                    if text.is_empty() && meta.empty_is_zero(&column.name) =>
                {
                    Some(Cell::Number(0.0))
                }
                (_, Shape::Missing) => Some(Cell::Missing),
                (ColumnKind::Number | ColumnKind::Percent, Shape::Nil) => {
                    Some(Cell::Special(Special::Nil))
                }
                (ColumnKind::Number | ColumnKind::Percent, Shape::Secret) => {
                    Some(Cell::Special(Special::Secret))
                }
                (ColumnKind::Number | ColumnKind::Percent, Shape::NotApplicable) => {
                    Some(Cell::Special(Special::NotApplicable))
                }
                // Elsewhere the signs mean what they meant before: no value.
                (ColumnKind::Text, Shape::Secret) => Some(Cell::Text(text.to_string())),
                (_, Shape::Nil | Shape::NotApplicable) => Some(Cell::Missing),
                (ColumnKind::Text, _) | (_, Shape::TotalLabel) => {
                    Some(Cell::Text(text.to_string()))
                }
                // Beyond 15 significant digits a float no longer holds the number written.
                (ColumnKind::Number | ColumnKind::Percent, Shape::Num(tok))
                    if integer_digits(&tok.body, decimal) > 15 =>
                {
                    None
                }
                (ColumnKind::Number | ColumnKind::Percent, Shape::Num(tok)) => {
                    number_value(tok, decimal).map(|v| match tok.note {
                        Some(m) => Cell::Special(Special::Marked(v, m)),
                        None => Cell::Number(v),
                    })
                }
                (ColumnKind::Number | ColumnKind::Percent, Shape::Code) => {
                    text.parse().ok().map(Cell::Number)
                }
                (ColumnKind::Date, Shape::Date(d)) => Some(Cell::Date(*d)),
                (ColumnKind::SchoolYear, Shape::SchoolYear) => Some(Cell::Text(text.to_string())),
                _ => None,
            };
            match cell {
                Some(c) => cells[i].push(c),
                None => {
                    errors += 1;
                    if errors <= MAX_ERRORS_PER_COLUMN {
                        let ctx = ColumnContext {
                            source,
                            sidecar: &sidecar,
                            decimal,
                            column,
                            kind,
                            overridden: overridden[j].is_some(),
                            counts: counts[j],
                        };
                        diags.push(cell_error(&ctx, shape, rc));
                    }
                    cells[i].push(Cell::Missing);
                }
            }
        }
        if errors > MAX_ERRORS_PER_COLUMN {
            diags.push(Diagnostic::new(
                source,
                column.line,
                column.col,
                format!(
                    "{} more values in column `{}` do not fit its kind ({})",
                    errors - MAX_ERRORS_PER_COLUMN,
                    column.name,
                    kind.name()
                ),
            ));
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let columns = raw
        .columns
        .into_iter()
        .zip(&kinds)
        .map(|(c, &kind)| Column {
            kept_total: meta.keeps_printed_total(&c.name),
            name: c.name,
            kind,
            line: c.line,
            col: c.col,
            derived: None,
        })
        .collect();
    let rows = raw
        .rows
        .into_iter()
        .zip(cells)
        .map(|(r, cells)| Row {
            line: r.line,
            pos: r.cells.iter().map(|c| (c.line, c.col)).collect(),
            cells,
        })
        .collect();
    Ok(DataTable {
        name: name.to_string(),
        source: source.to_path_buf(),
        columns,
        rows,
        footer: raw.footer,
    })
}

/// What an error about one cell needs to know about its column and file.
struct ColumnContext<'a> {
    source: &'a Path,
    sidecar: &'a str,
    decimal: char,
    column: &'a RawColumn,
    kind: ColumnKind,
    overridden: bool,
    counts: Counts,
}

fn cell_error(ctx: &ColumnContext, shape: &Shape, cell: &RawCell) -> Diagnostic {
    let ColumnContext {
        source,
        sidecar,
        decimal,
        column,
        kind,
        overridden,
        counts,
    } = *ctx;
    let text = cell.text.trim();
    let name = &column.name;
    let (what, example) = match kind {
        ColumnKind::Number => (
            "a number",
            if decimal == ',' {
                "12 or 1,5"
            } else {
                "12 or 1.5"
            },
        ),
        ColumnKind::Percent => ("a percentage", if decimal == ',' { "1,4%" } else { "1.4%" }),
        ColumnKind::Date => ("a date", "21-09-2021 or 2021-09-21"),
        _ => ("a school year", "2020/2021"),
    };
    let why = if overridden {
        format!("the column is set to `{}` in {sidecar}", kind.name())
    } else {
        let fitting = match kind {
            ColumnKind::Number | ColumnKind::Percent => counts.num + counts.percent + counts.code,
            ColumnKind::Date => counts.date,
            _ => counts.school_year,
        };
        let all = counts.num
            + counts.percent
            + counts.date
            + counts.school_year
            + counts.code
            + counts.other;
        let plural = match kind {
            ColumnKind::Number | ColumnKind::Percent => "numbers",
            ColumnKind::Date => "dates",
            _ => "school years",
        };
        if fitting + 1 == all {
            format!("all other values in this column are {plural}")
        } else {
            format!("most values in this column are {plural}")
        }
    };
    if let (Shape::Num(tok), true) = (shape, kind.is_numeric()) {
        if integer_digits(&tok.body, decimal) > 15 {
            return Diagnostic::new(
                source,
                cell.line,
                cell.col,
                format!(
                    "column `{name}`: `{text}` has more digits than bundel can keep exactly (15)"
                ),
            )
            .with_hint(format!(
                "a code with many digits (an account or BRIN number) is text: set `columns: {{{name}: text}}` in {sidecar}; a measured figure needs no more than 15 digits"
            ));
        }
    }
    if let (Shape::Num(_), true) = (shape, kind.is_numeric()) {
        // Only an explicit `decimal:` can make a well-formed number unreadable.
        let dec = mark_name(decimal);
        return Diagnostic::new(
            source,
            cell.line,
            cell.col,
            format!(
                "column `{name}`: `{text}` is not a number with a {dec}, the mark set in {sidecar}"
            ),
        )
        .with_hint(format!(
            "write it with a {dec} (e.g. {example}), or correct `decimal:` in {sidecar}"
        ));
    }
    let message = format!("column `{name}`: `{text}` is not {what}; {why}");
    let signs = if kind.is_numeric() {
        " (or a sign of a statistics table: `.` not known, `x` secret, `-` nil, `10*` a number with a note)"
    } else {
        ""
    };
    Diagnostic::new(source, cell.line, cell.col, message).with_hint(format!(
        "write it as {what} (e.g. {example}), leave the cell empty if the figure is not available{signs}, or set `columns: {{{name}: text}}` in {sidecar} if the column is text"
    ))
}

/// A number typed by an author in a filter: `2`, `1,5`, `1.5`, `2%`. Either mark is the
/// decimal one; thousands separators are not expected here.
pub(super) fn parse_number_lenient(s: &str) -> Option<f64> {
    let tok = number_token(s.trim())?;
    let dec = match tok.marks {
        Marks::Decimal(d) | Marks::Ambiguous(d) => d,
        Marks::Plain { .. } | Marks::Native(_) => '.',
    };
    number_value(&tok, dec)
}
