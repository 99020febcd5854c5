//! YAML tables: a list of records, or a map holding exactly one list of records.

use std::collections::HashMap;
use std::path::Path;

use serde_yaml::Value;

use super::infer::{self, RawCell, RawColumn, RawRow, RawTable};
use super::meta::{yaml_error, Meta};
use super::DataTable;
use crate::diagnostic::Diagnostic;

const SHAPE: &str = "a YAML table is a list of records (`- {regio: Achterhoek, aantal: 315}`), \
or a map with one such list under a key (`regios:` followed by the list)";

pub(super) fn read(
    name: &str,
    source: &Path,
    bytes: &[u8],
    meta: &Meta,
) -> Result<DataTable, Vec<Diagnostic>> {
    let text = super::decode::decode(bytes, None, source).map_err(|d| vec![d])?;
    if text.trim().is_empty() {
        return Err(vec![
            Diagnostic::file(source, "the file is empty").with_hint(SHAPE)
        ]);
    }
    let value: Value = serde_yaml::from_str(&text).map_err(|e| vec![yaml_error(&e, source)])?;
    let (items, key) = match &value {
        Value::Sequence(items) => (items, None),
        Value::Mapping(map) => {
            let lists: Vec<(&Value, &Vec<Value>)> = map
                .iter()
                .filter_map(|(k, v)| match v {
                    Value::Sequence(s) if s.iter().all(Value::is_mapping) => Some((k, s)),
                    _ => None,
                })
                .collect();
            match lists.as_slice() {
                [(k, items)] => (*items, Some(scalar_text(k).unwrap_or_default())),
                [] => {
                    return Err(vec![Diagnostic::file(
                        source,
                        "no list of records found in this map",
                    )
                    .with_hint(SHAPE)])
                }
                _ => {
                    let keys: Vec<String> =
                        lists.iter().filter_map(|(k, _)| scalar_text(k)).collect();
                    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
                    return Err(vec![Diagnostic::file(
                        source,
                        format!(
                            "{} each hold a list of records; a file holds one table",
                            super::quoted_list(&keys, "and")
                        ),
                    )
                    .with_hint("put each table in its own file")]);
                }
            }
        }
        _ => {
            return Err(vec![Diagnostic::file(
                source,
                "this YAML file is a single value, not a table",
            )
            .with_hint(SHAPE)])
        }
    };
    let places = locate(&text, key.as_deref(), items.len());
    let mut diags = Vec::new();
    let mut columns: Vec<RawColumn> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut records: Vec<(usize, Vec<(usize, RawCell)>)> = Vec::with_capacity(items.len());
    for (n, item) in items.iter().enumerate() {
        let place = places.as_ref().map(|p| &p[n]);
        let line = place.map_or(0, |p| p.line);
        let Value::Mapping(map) = item else {
            diags.push(
                Diagnostic::new(source, line, 0, format!("item {} is not a record", n + 1))
                    .with_hint(SHAPE),
            );
            continue;
        };
        let mut cells = Vec::with_capacity(map.len());
        for (k, v) in map {
            let Some(key) = scalar_text(k) else {
                diags.push(
                    Diagnostic::new(
                        source,
                        line,
                        0,
                        format!("record {} has a key that is not a plain name", n + 1),
                    )
                    .with_hint(SHAPE),
                );
                continue;
            };
            let (kline, kcol, vcol) = place
                .and_then(|p| p.keys.get(&key).copied())
                .unwrap_or((line, 0, 0));
            let j = *index.entry(key.clone()).or_insert_with(|| {
                columns.push(RawColumn {
                    name: key.clone(),
                    line: kline,
                    col: kcol,
                });
                columns.len() - 1
            });
            let (text, native) = match v {
                Value::Null => (String::new(), None),
                Value::Bool(b) => (b.to_string(), None),
                Value::Number(num) => (num.to_string(), num.as_f64()),
                Value::String(s) => (s.clone(), None),
                _ => {
                    diags.push(Diagnostic::new(source, kline, vcol, format!("the value of `{key}` in record {} is not a single value", n + 1))
                        .with_hint("each value must be one number or text; nested lists and maps cannot be table cells"));
                    continue;
                }
            };
            cells.push((
                j,
                RawCell {
                    text,
                    native,
                    percent: false,
                    line: kline,
                    col: vcol,
                },
            ));
        }
        records.push((line, cells));
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let width = columns.len();
    let rows = records
        .into_iter()
        .map(|(line, cells)| {
            let mut row: Vec<RawCell> = (0..width)
                .map(|_| RawCell {
                    text: String::new(),
                    native: None,
                    percent: false,
                    line,
                    col: 0,
                })
                .collect();
            for (j, cell) in cells {
                row[j] = cell;
            }
            RawRow { line, cells: row }
        })
        .collect();
    infer::build(
        name,
        source,
        RawTable {
            columns,
            rows,
            footer: Vec::new(),
        },
        meta,
        None,
    )
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Where a record sits in the file: the line of its `-`, and per key the
/// (line, key column, value column).
struct Place {
    line: usize,
    keys: HashMap<String, (usize, usize, usize)>,
}

/// Finds record positions in block-style YAML; serde_yaml reports none for valid
/// documents. None when the layout is not the plain one (flow style, anchors, ...), so
/// that a wrong guess never points at the wrong line.
fn locate(text: &str, key: Option<&str>, count: usize) -> Option<Vec<Place>> {
    let lines: Vec<&str> = text.lines().collect();
    let mut start = 0;
    if let Some(key) = key {
        start = lines
            .iter()
            .position(|l| key_of(l).is_some_and(|(k, _, _)| k == key && !l.starts_with(' ')))?
            + 1;
    }
    let indent_of = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let is_item = |body: &str| body == "-" || body.starts_with("- ");
    let first = (start..lines.len()).find(|&i| is_item(lines[i].trim_start()))?;
    let indent = indent_of(lines[first]);
    let mut places: Vec<Place> = Vec::new();
    for (i, l) in lines.iter().enumerate().skip(first) {
        let body = l.trim_start();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let ind = indent_of(l);
        if ind < indent || (ind == indent && !is_item(body)) {
            break;
        }
        let (offset, fragment) = if ind == indent {
            places.push(Place {
                line: i + 1,
                keys: HashMap::new(),
            });
            let rest = &body[1..];
            (
                ind + 1 + (rest.len() - rest.trim_start().len()),
                rest.trim_start(),
            )
        } else {
            (ind, body)
        };
        if let (Some(place), Some((k, kc, vc))) = (places.last_mut(), key_of(fragment)) {
            // Character columns: the key and value are on one line after ASCII indentation.
            let prefix = offset + 1;
            place
                .keys
                .entry(k)
                .or_insert((i + 1, prefix + kc, prefix + vc));
        }
    }
    (places.len() == count).then_some(places)
}

/// `aantal: 315` -> ("aantal", 0, 8): the key and the character offsets of key and value.
fn key_of(fragment: &str) -> Option<(String, usize, usize)> {
    let colon = fragment
        .find(": ")
        .or_else(|| fragment.strip_suffix(':').map(|s| s.len()))?;
    let raw = fragment[..colon].trim_end();
    if raw.is_empty() || raw.starts_with(['{', '[', '#', '-']) {
        return None;
    }
    let key = raw.trim_matches(|c| c == '"' || c == '\'').to_string();
    let after = &fragment[colon + 1..];
    let value_offset = fragment[..colon + 1].chars().count()
        + (after.chars().count() - after.trim_start().chars().count());
    Some((key, 0, value_offset))
}
