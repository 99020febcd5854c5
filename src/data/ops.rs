//! Table operations for chart and table blocks. Each returns a new table and leaves the
//! original (and so the store) untouched; errors are messages for the content author.

use std::cmp::Ordering;

use chrono::NaiveDate;
use serde_yaml::Value;

use super::infer::{is_total_label, parse_date, parse_number_lenient, school_year_start};
use super::{
    expr, quoted_list, sidecar_path, suggest, Cell, Column, ColumnKind, DataTable, Derived, Row,
    Total,
};
use crate::diagnostic::Diagnostic;
use crate::locale::decimals_needed;

/// Which rows to keep, written in YAML as a map of column to condition; all must hold:
///
/// ```yaml
/// regio: Achterhoek                      # equal
/// schooljaar: [2019/2020, 2020/2021]     # one of
/// percentage: ">= 2"                     # >, >=, <, <=, != (and = or ==)
/// toelichting: null                      # missing
/// ```
///
/// Values are read by the column's kind: `1,5` and `1.5` are both one and a half in a
/// number column (write no thousands separators), `2020/2021` equals `2020-2021` in a
/// school-year column, dates may be `2021-09-21` or `21-09-2021`. A missing cell matches
/// only `null` and `!=`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Filter {
    conditions: Vec<(String, Test)>,
}

#[derive(Debug, Clone, PartialEq)]
enum Test {
    Eq(Lit),
    In(Vec<Lit>),
    Cmp(Op, Lit),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Lt,
    Le,
    Gt,
    Ge,
    Ne,
}

#[derive(Debug, Clone, PartialEq)]
enum Lit {
    Missing,
    Number(f64),
    Text(String),
}

/// A cell or filter value made comparable for one column kind.
#[derive(Debug, Clone, PartialEq)]
enum Key {
    Num(f64),
    Date(NaiveDate),
    Year(i32),
    Text(String),
}

impl Key {
    fn rank(&self) -> u8 {
        match self {
            Key::Num(_) => 0,
            Key::Date(_) => 1,
            Key::Year(_) => 2,
            Key::Text(_) => 3,
        }
    }

    fn compare(&self, other: &Key) -> Option<Ordering> {
        match (self, other) {
            (Key::Num(a), Key::Num(b)) => a.partial_cmp(b),
            (Key::Date(a), Key::Date(b)) => Some(a.cmp(b)),
            (Key::Year(a), Key::Year(b)) => Some(a.cmp(b)),
            (Key::Text(a), Key::Text(b)) => Some(a.cmp(b)),
            _ => None,
        }
    }
}

fn cell_key(cell: &Cell, kind: ColumnKind) -> Option<Key> {
    match cell {
        Cell::Missing => None,
        Cell::Special(_) => cell.as_f64().map(Key::Num),
        Cell::Number(v) => Some(Key::Num(*v)),
        Cell::Date(d) => Some(Key::Date(*d)),
        Cell::Text(s) if kind == ColumnKind::SchoolYear => {
            Some(school_year_start(s).map_or_else(|| Key::Text(s.clone()), Key::Year))
        }
        Cell::Text(s) => Some(Key::Text(s.clone())),
    }
}

fn scalar(v: &Value) -> Result<Lit, String> {
    match v {
        Value::Null => Ok(Lit::Missing),
        Value::Bool(b) => Ok(Lit::Text(b.to_string())),
        Value::Number(n) => Ok(n
            .as_f64()
            .map_or_else(|| Lit::Text(n.to_string()), Lit::Number)),
        Value::String(s) => Ok(Lit::Text(s.trim().to_string())),
        _ => Err("a filter value must be a single value or a list of values".into()),
    }
}

impl Filter {
    /// Reads `{regio: Achterhoek}`, `{schooljaar: [2019/2020, 2020/2021]}`, `{percentage: ">= 2"}`.
    pub fn from_yaml(value: &Value) -> Result<Filter, String> {
        let map = match value {
            Value::Null => return Ok(Filter::default()),
            Value::Mapping(m) => m,
            _ => {
                return Err("a filter is a map of column: value, e.g. `{regio: Achterhoek}`".into())
            }
        };
        let mut conditions = Vec::with_capacity(map.len());
        for (k, v) in map {
            let column = match k {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => return Err("a filter key must be a column name".into()),
            };
            let test = match v {
                Value::Sequence(items) => Test::In(
                    items
                        .iter()
                        .map(scalar)
                        .collect::<Result<_, _>>()
                        .map_err(|e| format!("filter on `{column}`: {e}"))?,
                ),
                Value::String(s) => {
                    parse_condition(s.trim()).map_err(|e| format!("filter on `{column}`: {e}"))?
                }
                other => Test::Eq(scalar(other).map_err(|e| format!("filter on `{column}`: {e}"))?),
            };
            conditions.push((column, test));
        }
        Ok(Filter { conditions })
    }
}

fn parse_condition(s: &str) -> Result<Test, String> {
    const OPS: [(&str, Option<Op>); 7] = [
        (">=", Some(Op::Ge)),
        ("<=", Some(Op::Le)),
        ("!=", Some(Op::Ne)),
        ("==", None),
        (">", Some(Op::Gt)),
        ("<", Some(Op::Lt)),
        ("=", None),
    ];
    for (prefix, op) in OPS {
        if let Some(rest) = s.strip_prefix(prefix) {
            let rest = rest.trim();
            if rest.is_empty() {
                return Err(format!(
                    "`{prefix}` needs a value after it, e.g. `\"{prefix} 2\"`"
                ));
            }
            let lit = Lit::Text(rest.to_string());
            return Ok(match op {
                Some(op) => Test::Cmp(op, lit),
                None => Test::Eq(lit),
            });
        }
    }
    Ok(Test::Eq(Lit::Text(s.to_string())))
}

impl DataTable {
    /// The index of the totals row: the first row whose first text cell is `Totaal`,
    /// `Total`, `Totaal generaal` or `Eindtotaal` (any case).
    pub fn totals_row_index(&self) -> Option<usize> {
        self.rows.iter().position(|r| {
            r.cells
                .iter()
                .find_map(Cell::as_text)
                .is_some_and(is_total_label)
        })
    }

    /// A table with only these columns, in this order.
    pub fn select(&self, cols: &[&str]) -> Result<DataTable, String> {
        let mut idx = Vec::with_capacity(cols.len());
        for c in cols {
            let j = self.require_column(c)?;
            if idx.contains(&j) {
                return Err(format!("column `{c}` is selected twice"));
            }
            idx.push(j);
        }
        let pick = |row: &Row| Row {
            line: row.line,
            pos: idx.iter().map(|&j| row.pos[j]).collect(),
            cells: idx.iter().map(|&j| row.cells[j].clone()).collect(),
        };
        Ok(DataTable {
            name: self.name.clone(),
            source: self.source.clone(),
            columns: idx.iter().map(|&j| self.columns[j].clone()).collect(),
            rows: self.rows.iter().map(pick).collect(),
            footer: self.footer.clone(),
        })
    }

    pub fn rename(&self, from: &str, to: &str) -> Result<DataTable, String> {
        let j = self.require_column(from)?;
        if from != to && self.column_index(to).is_some() {
            return Err(format!(
                "cannot rename `{from}` to `{to}`: the data `{}` already has a column `{to}`",
                self.name
            ));
        }
        let mut t = self.clone();
        t.columns[j].name = to.to_string();
        Ok(t)
    }

    /// The rows for which every condition holds, in their original order.
    pub fn filter(&self, filter: &Filter) -> Result<DataTable, String> {
        self.filter_checked(filter, true)
    }

    /// Like [`DataTable::filter`], but a value that occurs nowhere is no error: the rows of a
    /// generated page in a second table, which may have none for some regions.
    pub fn filter_present(&self, filter: &Filter) -> Result<DataTable, String> {
        self.filter_checked(filter, false)
    }

    fn filter_checked(&self, filter: &Filter, check_values: bool) -> Result<DataTable, String> {
        let mut tests: Vec<(usize, Resolved)> = Vec::with_capacity(filter.conditions.len());
        for (column, test) in &filter.conditions {
            let j = self.require_column(column)?;
            let kind = self.columns[j].kind;
            let key = |lit: &Lit| lit_key(lit, kind, column);
            let test = match test {
                Test::Eq(l) => Resolved::In(vec![key(l)?]),
                Test::In(ls) => Resolved::In(ls.iter().map(key).collect::<Result<_, _>>()?),
                Test::Cmp(op, l) => {
                    let k = key(l)?;
                    check_comparable(*op, &k, kind, column)?;
                    Resolved::Cmp(*op, k)
                }
            };
            if let (true, Resolved::In(keys), ColumnKind::Text | ColumnKind::SchoolYear) =
                (check_values, &test, kind)
            {
                self.check_values_exist(j, keys)?;
            }
            tests.push((j, test));
        }
        let keep = |row: &&Row| {
            tests
                .iter()
                .all(|(j, test)| test.matches(&cell_key(&row.cells[*j], self.columns[*j].kind)))
        };
        Ok(DataTable {
            rows: self.rows.iter().filter(keep).cloned().collect(),
            ..self.without_rows()
        })
    }

    /// A value asked for that occurs nowhere in the column is almost always a typo; an
    /// empty chart would hide it.
    fn check_values_exist(&self, j: usize, wanted: &[Option<Key>]) -> Result<(), String> {
        let kind = self.columns[j].kind;
        let keys: Vec<Option<Key>> = self
            .rows
            .iter()
            .map(|r| cell_key(&r.cells[j], kind))
            .collect();
        for want in wanted.iter().flatten() {
            if keys
                .iter()
                .flatten()
                .any(|k| k.compare(want) == Some(Ordering::Equal))
            {
                continue;
            }
            let shown = match want {
                Key::Text(s) => s.clone(),
                Key::Year(y) => format!("{y}/{}", y + 1),
                Key::Num(v) => plain(*v),
                Key::Date(d) => d.to_string(),
            };
            let mut values: Vec<&str> = self
                .rows
                .iter()
                .filter_map(|r| r.cells[j].as_text())
                .collect();
            values.sort_unstable();
            values.dedup();
            let column = &self.columns[j].name;
            let mut msg = format!("no row of `{}` has `{column}` = `{shown}`", self.name);
            let close = suggest(&shown, values.iter().copied());
            if !close.is_empty() {
                msg.push_str(&format!("; did you mean {}?", quoted_list(&close, "or")));
            } else if values.len() <= 12 {
                msg.push_str(&format!("; the values are {}", quoted_list(&values, "and")));
            }
            return Err(msg);
        }
        Ok(())
    }

    /// Rows ordered by one column, stable, missing values last in both directions. A
    /// totals row stays at the bottom.
    pub fn sort_by(&self, col: &str, descending: bool) -> Result<DataTable, String> {
        let j = self.require_column(col)?;
        let kind = self.columns[j].kind;
        let totals = self.totals_row_index();
        let keys: Vec<Option<Key>> = self
            .rows
            .iter()
            .map(|r| match cell_key(&r.cells[j], kind) {
                // People expect `achterhoek` next to `Achterhoek`, not after `Zwolle`.
                Some(Key::Text(s)) => Some(Key::Text(s.to_lowercase())),
                k => k,
            })
            .collect();
        let mut order: Vec<usize> = (0..self.rows.len())
            .filter(|&i| Some(i) != totals)
            .collect();
        order.sort_by(|&a, &b| match (&keys[a], &keys[b]) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (Some(x), Some(y)) => {
                let o = x.compare(y).unwrap_or_else(|| x.rank().cmp(&y.rank()));
                if descending {
                    o.reverse()
                } else {
                    o
                }
            }
        });
        order.extend(totals);
        Ok(DataTable {
            rows: order.into_iter().map(|i| self.rows[i].clone()).collect(),
            ..self.without_rows()
        })
    }

    /// Adds a number column computed per row, e.g. `derive("aandeel", "aantal / deelnemers * 100")`.
    pub fn derive(&self, name: &str, expression: &str) -> Result<DataTable, String> {
        if self.column_index(name).is_some() {
            return Err(format!(
                "the data `{}` already has a column `{name}`; choose another name",
                self.name
            ));
        }
        let mut resolve = |col: &str| {
            let j = self.require_column(col)?;
            let c = &self.columns[j];
            if c.kind.is_numeric() {
                Ok(j)
            } else {
                Err(format!(
                    "column `{col}` holds {} values; calculations need number columns",
                    c.kind.name()
                ))
            }
        };
        let e =
            expr::parse(expression, &mut resolve).map_err(|m| format!("in `{expression}`: {m}"))?;
        let (by_name, inputs) = e.by_position(|j| self.columns[j].name.clone());
        let mut t = self.clone();
        // `Potentieel vsv (%)`, `percentage`: the formula gives percent units (`* 100`).
        let lower = name.to_lowercase();
        let kind =
            if lower.contains('%') || lower.ends_with("percentage") || lower.ends_with("procent") {
                ColumnKind::Percent
            } else {
                ColumnKind::Number
            };
        t.columns.push(Column {
            name: name.to_string(),
            kind,
            line: 0,
            col: 0,
            kept_total: false,
            derived: Some(Derived {
                expr: by_name,
                inputs,
            }),
        });
        for row in &mut t.rows {
            let v = e.eval(&row.cells);
            row.cells.push(v.map_or(Cell::Missing, Cell::Number));
            row.pos.push((row.line, 0));
        }
        Ok(t)
    }

    /// Sum of the numbers in a column, without the totals row; None when the column does
    /// not exist, is not numeric or has no numbers.
    pub fn column_sum(&self, col: &str) -> Option<f64> {
        let j = self.column_index(col)?;
        if !self.columns[j].kind.is_numeric() {
            return None;
        }
        let totals = self.totals_row_index();
        let values = self
            .rows
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != totals)
            .filter_map(|(_, r)| r.cells[j].as_f64());
        values.fold(None, |acc, v| Some(acc.unwrap_or(0.0) + v))
    }

    /// The totals row's value for a column: the sum of a count column when every cell is
    /// known; for a derived column its formula applied to the totals of its inputs; nothing
    /// for percentages and rates.
    pub fn column_total(&self, col: &str) -> Total {
        self.total_of(col, 0)
    }

    /// The mean of a column for a totals row, weighted by `weight` when given (a mean
    /// percentage weighted by `deelnemers`): only when every cell involved has a number.
    pub fn column_mean(&self, col: &str, weight: Option<&str>) -> Total {
        let Some(j) = self.column_index(col) else {
            return Total::NotSummable;
        };
        if !self.columns[j].kind.is_numeric() {
            return Total::NotSummable;
        }
        let w = match weight.map(|w| self.column_index(w)) {
            Some(None) => return Total::NotSummable,
            Some(Some(w)) => Some(w),
            None => None,
        };
        let totals = self.totals_row_index();
        let (mut sum, mut weights) = (0.0, 0.0);
        let (mut missing, mut of) = (0, 0);
        for (i, row) in self.rows.iter().enumerate() {
            if Some(i) == totals {
                continue;
            }
            of += 1;
            let weight = match w {
                Some(w) => row.cells[w].as_f64(),
                None => Some(1.0),
            };
            match (row.cells[j].as_f64(), weight) {
                (Some(v), Some(wt)) => {
                    sum += v * wt;
                    weights += wt;
                }
                _ => missing += 1,
            }
        }
        if of == 0 || missing > 0 {
            Total::Incomplete { missing, of }
        } else if weights == 0.0 {
            Total::NotSummable
        } else {
            Total::Value(sum / weights)
        }
    }

    fn total_of(&self, col: &str, depth: usize) -> Total {
        let Some(j) = self.column_index(col) else {
            return Total::NotSummable;
        };
        let column = &self.columns[j];
        if let Some(d) = &column.derived {
            if depth > 16 {
                return Total::NotSummable;
            }
            let mut cells = Vec::with_capacity(d.inputs.len());
            for input in &d.inputs {
                match self.total_of(input, depth + 1) {
                    Total::Value(v) => cells.push(Cell::Number(v)),
                    other => return other,
                }
            }
            return d.expr.eval(&cells).map_or(Total::NotSummable, Total::Value);
        }
        if column.kind != ColumnKind::Number || is_rate_name(&column.name) {
            return Total::NotSummable;
        }
        let totals = self.totals_row_index();
        let mut sum = 0.0;
        let (mut missing, mut of) = (0, 0);
        for (i, row) in self.rows.iter().enumerate() {
            if Some(i) == totals {
                continue;
            }
            of += 1;
            match row.cells[j].as_f64() {
                Some(v) => sum += v,
                None => missing += 1,
            }
        }
        if of == 0 || missing > 0 {
            Total::Incomplete { missing, of }
        } else {
            Total::Value(sum)
        }
    }

    /// Compares each number column's value in the totals row with the sum of the other
    /// rows. Rounding up to half a unit of the last printed decimal is allowed. Columns of
    /// rates and ranks (percent columns, names with `percent`, `aandeel`, `gemiddeld`, `rang`, ...)
    /// are skipped: their totals row holds an overall rate, not a sum.
    pub fn check_totals(&self) -> Vec<Diagnostic> {
        self.total_mismatches(false)
    }

    /// The printed total of a column and what its cells add up to, when they differ.
    pub fn printed_total_mismatch(&self, j: usize) -> Option<(f64, f64)> {
        let t = self.totals_row_index()?;
        let column = &self.columns[j];
        if column.kind != ColumnKind::Number || is_rate_name(&column.name) {
            return None;
        }
        let total = self.rows[t].cells[j].as_f64()?;
        let sum: f64 = self
            .rows
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != t)
            .filter_map(|(_, r)| r.cells[j].as_f64())
            .sum();
        let tolerance =
            0.5 * 10f64.powi(-(decimals_needed(total, 6) as i32)) + 1e-9 * total.abs().max(1.0);
        ((sum - total).abs() > tolerance).then_some((total, sum))
    }

    /// Totals that do not add up: errors for ordinary columns (`kept` false), or the
    /// warnings for columns whose printed total is kept on purpose (`kept` true).
    pub(super) fn total_mismatches(&self, kept: bool) -> Vec<Diagnostic> {
        let Some(t) = self.totals_row_index() else {
            return Vec::new();
        };
        let mut diags = Vec::new();
        for (j, column) in self.columns.iter().enumerate() {
            if column.kept_total != kept {
                continue;
            }
            if kept && self.printed_total_mismatch(j).is_none() {
                diags.push(
                    Diagnostic::new(
                        sidecar_path(&self.source),
                        0,
                        0,
                        format!(
                            "`keep_printed_totals` names `{}`, whose total adds up: the setting is no longer needed",
                            column.name
                        ),
                    )
                    .with_hint("remove the column from `keep_printed_totals`"),
                );
                continue;
            }
            if let Some((total, sum)) = self.printed_total_mismatch(j) {
                let (line, col) = self.rows[t]
                    .pos
                    .get(j)
                    .copied()
                    .unwrap_or((self.rows[t].line, 0));
                diags.push(
                    Diagnostic::new(
                        &self.source,
                        line,
                        col,
                        format!(
                            "totals row says {} but the column `{}` adds up to {}",
                            plain(total),
                            column.name,
                            plain(sum)
                        ),
                    )
                    .with_hint(if kept {
                        "kept as printed because `keep_printed_totals` names the column; the table says so in a note".to_string()
                    } else {
                        format!(
                            "correct the total or the values above it, so that the table adds up; to publish a known-wrong printed total as it was printed, add `keep_printed_totals: [{}]` to {}",
                            column.name,
                            sidecar_path(&self.source)
                        )
                    }),
                );
            }
        }
        diags
    }

    fn without_rows(&self) -> DataTable {
        DataTable {
            name: self.name.clone(),
            source: self.source.clone(),
            columns: self.columns.clone(),
            rows: Vec::new(),
            footer: self.footer.clone(),
        }
    }
}

fn is_rate_name(name: &str) -> bool {
    let n = name.to_lowercase();
    [
        "%",
        "percent",
        "procent",
        "aandeel",
        "gemiddeld",
        "ratio",
        "rang",
        "rank",
        "jaar",
        "year",
    ]
    .iter()
    .any(|w| n.contains(w))
}

/// A number as people read it in a message: no float noise, no trailing zeros.
fn plain(v: f64) -> String {
    format!("{}", (v * 1e6).round() / 1e6)
}

/// A filter condition with its values read for the column's kind; None is missing.
enum Resolved {
    In(Vec<Option<Key>>),
    Cmp(Op, Option<Key>),
}

impl Resolved {
    fn matches(&self, cell: &Option<Key>) -> bool {
        let equal = |k: &Option<Key>| match (cell, k) {
            (None, None) => true,
            (Some(a), Some(b)) => a.compare(b) == Some(Ordering::Equal),
            _ => false,
        };
        match self {
            Resolved::In(keys) => keys.iter().any(equal),
            Resolved::Cmp(Op::Ne, k) => !equal(k),
            Resolved::Cmp(op, Some(k)) => match cell.as_ref().and_then(|c| c.compare(k)) {
                Some(o) => match op {
                    Op::Lt => o == Ordering::Less,
                    Op::Le => o != Ordering::Greater,
                    Op::Gt => o == Ordering::Greater,
                    _ => o != Ordering::Less,
                },
                None => false,
            },
            Resolved::Cmp(_, None) => false,
        }
    }
}

/// A filter value as the column's cells are keyed. Text that does not read as the
/// column's kind stays text, so it can still match a text cell such as `Totaal`.
fn lit_key(lit: &Lit, kind: ColumnKind, column: &str) -> Result<Option<Key>, String> {
    Ok(Some(match (lit, kind) {
        (Lit::Missing, _) => return Ok(None),
        (Lit::Number(v), ColumnKind::Number | ColumnKind::Percent) => Key::Num(*v),
        (Lit::Number(v), ColumnKind::Text) => Key::Text(plain(*v)),
        (Lit::Number(v), _) => {
            let example = if kind == ColumnKind::Date {
                "2021-09-21"
            } else {
                "2020/2021"
            };
            return Err(format!(
                "filter on `{column}`: `{}` is not a {}; write e.g. {example}",
                plain(*v),
                kind.name()
            ));
        }
        (Lit::Text(s), ColumnKind::Number | ColumnKind::Percent) => {
            parse_number_lenient(s).map_or_else(|| Key::Text(s.clone()), Key::Num)
        }
        (Lit::Text(s), ColumnKind::Date) => {
            parse_date(s).map_or_else(|| Key::Text(s.clone()), Key::Date)
        }
        (Lit::Text(s), ColumnKind::SchoolYear) => {
            school_year_start(s).map_or_else(|| Key::Text(s.clone()), Key::Year)
        }
        (Lit::Text(s), ColumnKind::Text) => Key::Text(s.clone()),
    }))
}

fn check_comparable(
    op: Op,
    key: &Option<Key>,
    kind: ColumnKind,
    column: &str,
) -> Result<(), String> {
    let ok = op == Op::Ne
        || match key {
            Some(Key::Num(_)) => kind.is_numeric(),
            Some(Key::Date(_) | Key::Year(_)) => true,
            _ => false,
        };
    if ok {
        return Ok(());
    }
    Err(match (kind, key) {
        (ColumnKind::Text, _) => format!("filter on `{column}`: `<` and `>` need a number, date or school-year column, and `{column}` holds text"),
        (_, Some(Key::Text(s))) => format!("filter on `{column}`: cannot compare with `{s}`; `{column}` holds {} values", kind.name()),
        _ => format!("filter on `{column}`: `<` and `>` need a value, not null"),
    })
}
