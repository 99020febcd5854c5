//! The override sidecar `data/<name>.meta.yaml`: settles what detection cannot.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::ColumnKind;
use crate::diagnostic::Diagnostic;

#[derive(Debug, Default, Clone)]
pub(super) struct Meta {
    /// Relative path of the sidecar, for diagnostics about its settings.
    pub file: Option<PathBuf>,
    pub delimiter: Option<char>,
    pub decimal: Option<char>,
    pub encoding: Option<String>,
    pub header_line: Option<usize>,
    /// Lines at the end of the file that are notes, not rows.
    pub footer_lines: Option<usize>,
    /// The sheet of a workbook that the file's name stands for (else the first).
    pub sheet: Option<String>,
    /// Columns whose printed total is published as printed even where it does not add up.
    pub keep_printed_totals: Vec<String>,
    pub columns: Vec<ColumnOverride>,
    /// What an empty cell means: missing (the default), or 0 in these columns (count
    /// tables print no number where there were no cases).
    pub empty_zero: EmptyZero,
}

#[derive(Debug, Default, Clone, PartialEq)]
pub(super) enum EmptyZero {
    #[default]
    Nowhere,
    Everywhere,
    In(Vec<String>),
}

#[derive(Debug, Clone)]
pub(super) struct ColumnOverride {
    pub name: String,
    pub kind: ColumnKind,
    /// Position of the column's key in the sidecar.
    pub line: usize,
    pub col: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMeta {
    delimiter: Option<String>,
    decimal: Option<DecimalMark>,
    encoding: Option<String>,
    header_line: Option<usize>,
    footer_lines: Option<usize>,
    sheet: Option<String>,
    keep_printed_totals: Option<Vec<String>>,
    columns: Option<BTreeMap<String, ColumnKind>>,
    empty: Option<serde_yaml::Value>,
}

#[derive(Deserialize)]
enum DecimalMark {
    #[serde(rename = ",")]
    Comma,
    #[serde(rename = ".")]
    Point,
}

impl Meta {
    pub fn parse(text: &str, file: &Path, is_csv: bool) -> Result<Meta, Vec<Diagnostic>> {
        let mut meta = Meta {
            file: Some(file.to_path_buf()),
            ..Meta::default()
        };
        if text.trim().is_empty() {
            return Ok(meta);
        }
        // A sidecar with only comments is an empty document: no overrides.
        let raw: Option<RawMeta> =
            serde_yaml::from_str(text).map_err(|e| vec![yaml_error(&e, file).with_hint(HELP)])?;
        let Some(raw) = raw else { return Ok(meta) };
        let mut diags = Vec::new();
        let at = |key: &str| find_key(text, key, 1);
        if !is_csv {
            for (key, set) in [
                ("delimiter", raw.delimiter.is_some()),
                ("encoding", raw.encoding.is_some()),
                ("header_line", raw.header_line.is_some()),
                ("footer_lines", raw.footer_lines.is_some()),
            ] {
                if set {
                    let (l, c) = at(key);
                    diags.push(
                        Diagnostic::new(file, l, c, format!("`{key}` only applies to CSV files"))
                            .with_hint(
                                "remove it; YAML data files take only `decimal` and `columns`",
                            ),
                    );
                }
            }
        }
        if let Some(d) = &raw.delimiter {
            meta.delimiter = match d.as_str() {
                "," | ";" | "|" | "\t" => d.chars().next(),
                "tab" | "\\t" => Some('\t'),
                _ => {
                    let (l, c) = at("delimiter");
                    diags.push(
                        Diagnostic::new(file, l, c, format!("unknown delimiter `{d}`"))
                            .with_hint("use `delimiter: \";\"`, `delimiter: \",\"`, `delimiter: \"|\"` or `delimiter: tab`"),
                    );
                    None
                }
            };
        }
        meta.decimal = raw.decimal.map(|d| match d {
            DecimalMark::Comma => ',',
            DecimalMark::Point => '.',
        });
        if let Some(label) = raw.encoding {
            if encoding_rs::Encoding::for_label(label.trim().as_bytes()).is_some() {
                meta.encoding = Some(label.trim().to_string());
            } else {
                let (l, c) = at("encoding");
                diags.push(
                    Diagnostic::new(file, l, c, format!("unknown encoding `{label}`"))
                        .with_hint("use e.g. `utf-8`, `windows-1252`, `utf-16le`, `iso-8859-15` or `macintosh`"),
                );
            }
        }
        if let Some(n) = raw.header_line {
            if n == 0 {
                let (l, c) = at("header_line");
                diags.push(
                    Diagnostic::new(file, l, c, "`header_line` counts from 1")
                        .with_hint("`header_line: 1` is the first line of the file"),
                );
            }
            meta.header_line = Some(n.max(1));
        }
        meta.footer_lines = raw.footer_lines;
        meta.sheet = raw.sheet;
        meta.keep_printed_totals = raw.keep_printed_totals.unwrap_or_default();
        let columns_line = at("columns").0.max(1);
        for (name, kind) in raw.columns.unwrap_or_default() {
            let (line, col) = find_key(text, &name, columns_line);
            meta.columns.push(ColumnOverride {
                name,
                kind,
                line,
                col,
            });
        }
        meta.columns.sort_by_key(|c| (c.line, c.col));
        if let Some(empty) = &raw.empty {
            let zero = |v: &serde_yaml::Value| match v {
                serde_yaml::Value::Number(n) if n.as_f64() == Some(0.0) => Some(true),
                serde_yaml::Value::String(s) if s == "missing" || s == "ontbrekend" => Some(false),
                _ => None,
            };
            let bad = || {
                let (l, c) = at("empty");
                Diagnostic::new(file, l, c, "`empty` must be `0`, `missing` or a list of columns and `0`")
                    .with_hint("`empty: 0` when an empty cell means 0 in every number column; `empty: {mbo1: 0, mbo2: 0}` for some columns; `missing` (the default) when it means not known")
            };
            match empty {
                serde_yaml::Value::Mapping(m) => {
                    let mut cols = Vec::new();
                    for (k, v) in m {
                        match (k.as_str(), zero(v)) {
                            (Some(k), Some(true)) => cols.push(k.to_string()),
                            (Some(_), Some(false)) => {}
                            _ => diags.push(bad()),
                        }
                    }
                    meta.empty_zero = EmptyZero::In(cols);
                }
                v => match zero(v) {
                    Some(true) => meta.empty_zero = EmptyZero::Everywhere,
                    Some(false) => {}
                    None => diags.push(bad()),
                },
            }
        }
        if diags.is_empty() {
            Ok(meta)
        } else {
            Err(diags)
        }
    }

    pub fn keeps_printed_total(&self, column: &str) -> bool {
        self.keep_printed_totals.iter().any(|c| c == column)
    }

    /// Whether an empty cell of this column is the number 0.
    pub fn empty_is_zero(&self, column: &str) -> bool {
        match &self.empty_zero {
            EmptyZero::Nowhere => false,
            EmptyZero::Everywhere => true,
            EmptyZero::In(cols) => cols.iter().any(|c| c == column),
        }
    }

    pub fn column_kind(&self, name: &str) -> Option<ColumnKind> {
        self.columns.iter().find(|c| c.name == name).map(|c| c.kind)
    }

    /// Overrides that name no column of the table: likely typos.
    pub fn check_columns<'a>(
        &self,
        names: impl Iterator<Item = &'a str> + Clone,
    ) -> Vec<Diagnostic> {
        let Some(file) = &self.file else {
            return Vec::new();
        };
        self.columns
            .iter()
            .filter(|o| !names.clone().any(|n| n == o.name))
            .map(|o| {
                let close = super::suggest(&o.name, names.clone());
                let hint = if close.is_empty() {
                    let all: Vec<&str> = names.clone().collect();
                    format!("the columns are {}", super::quoted_list(&all, "and"))
                } else {
                    format!("did you mean {}?", super::quoted_list(&close, "or"))
                };
                Diagnostic::new(
                    file,
                    o.line,
                    o.col,
                    format!("there is no column `{}` in the data file", o.name),
                )
                .with_hint(hint)
            })
            .collect()
    }
}

const HELP: &str =
    "the override file takes `delimiter`, `decimal`, `encoding`, `header_line`, `footer_lines`, `sheet` (a workbook's), `keep_printed_totals`, `empty` (`0` or \
`missing`) and `columns` (kinds: number, percent, text, date, schoolyear)";

/// A serde_yaml error as a diagnostic at the position it reports.
pub(super) fn yaml_error(e: &serde_yaml::Error, file: &Path) -> Diagnostic {
    let (line, col) = e
        .location()
        .map(|l| (l.line(), l.column()))
        .unwrap_or((0, 0));
    let msg = e.to_string();
    // The location is already in the diagnostic; keep the message itself.
    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
    Diagnostic::new(file, line, col, msg)
}

/// Position of `key:` at or after line `from` in a block-style YAML text; (from, 0) when
/// not found. serde_yaml gives no positions for valid documents, and sidecars are tiny.
fn find_key(text: &str, key: &str, from: usize) -> (usize, usize) {
    for (i, line) in text.lines().enumerate().skip(from.saturating_sub(1)) {
        let body = line.trim_start();
        let indent = line.chars().count() - body.chars().count();
        for candidate in [key.to_string(), format!("\"{key}\""), format!("'{key}'")] {
            if let Some(rest) = body.strip_prefix(&candidate) {
                if rest.trim_start().starts_with(':') {
                    return (i + 1, indent + 1);
                }
            }
        }
    }
    (from, 0)
}
