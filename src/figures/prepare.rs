//! The data part shared by charts and tables: which table, which rows, derived columns, order.

use std::borrow::Cow;

use serde_yaml::{Mapping, Value};

use super::fields::Fields;
use super::BlockEnv;
use crate::data::{DataTable, Filter};

/// Reads `data`, `where`, `derive` and `sort` and applies them in that order. Problems are
/// recorded in `f` at the line of the key that caused them.
pub fn prepare(f: &mut Fields, env: &BlockEnv) -> Option<DataTable> {
    f.expect(&["data", "sheet", "scope", "where", "derive", "sort"]);
    let name = f.required_str(
        "data",
        "name the data file: `data: vsv-aandeel` for data/vsv-aandeel.csv",
    )?;
    // A workbook's other sheets: `data: bestand` with `sheet: Tabel 2.4`.
    let name = match f.str("sheet") {
        Some(sheet) => format!("{}#{}", name.trim_end_matches(".xlsx"), sheet.trim()),
        None => name,
    };
    // Borrowed until a step changes it: a factsheet's blocks keep a few rows of a large
    // table, and copying all of it for every block of every page was most of the build.
    let mut table: Cow<DataTable> = match env.data.lookup(&name) {
        Ok(t) => Cow::Borrowed(t),
        Err(msg) => {
            f.error("data", msg, env.data.lookup_hint(&name));
            return None;
        }
    };

    // A generated page (a factsheet) limits every block to its own rows; `scope` narrows
    // that to some key columns (`scope: [regio]` for a trend over all years) or lifts it
    // (`scope: none`). A column the block's own `where` filters is the block's to choose:
    // `where: {regio: ["{regio}", Landelijk]}` shows the region beside the national figure.
    let wanted = scope_columns(f);
    let own: Vec<String> = match f.raw("where") {
        Some(Value::Mapping(m)) => m
            .keys()
            .filter_map(|k| k.as_str())
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    };
    if let Some(scope) = page_scope(env.scope, wanted.as_deref(), &table) {
        let applicable: Mapping = scope
            .into_iter()
            .filter(|(k, _)| k.as_str().is_none_or(|k| !own.iter().any(|o| o == k)))
            .collect();
        if !applicable.is_empty() {
            match Filter::from_yaml(&Value::Mapping(applicable))
                .and_then(|flt| table.filter_present(&flt))
            {
                Ok(t) => table = Cow::Owned(t),
                Err(msg) => {
                    f.error("data", msg, "check the page's data key");
                    return None;
                }
            }
        }
    }

    if let Some(cond) = f.raw("where") {
        match Filter::from_yaml(&cond).and_then(|flt| table.filter(&flt)) {
            Ok(t) => table = Cow::Owned(t),
            Err(msg) => {
                f.error(
                    "where",
                    msg,
                    "write conditions as `where: {column: value}` or `where: {column: \">= 2\"}`",
                );
                return None;
            }
        }
    }
    if let Some(derived) = f.pairs("derive") {
        for (name, expr) in derived {
            match table.derive(&name, &expr) {
                Ok(t) => table = Cow::Owned(t),
                Err(msg) => {
                    f.error(
                        "derive",
                        msg,
                        "write `derive: {aandeel: \"aantal / deelnemers * 100\"}`",
                    );
                    return None;
                }
            }
        }
    }
    if let Some(sort) = f.str("sort") {
        let (col, desc) = match sort.strip_prefix('-') {
            Some(c) => (c.trim(), true),
            None => (sort.trim(), false),
        };
        match table.sort_by(col, desc) {
            Ok(t) => table = Cow::Owned(t),
            Err(msg) => {
                f.error(
                    "sort",
                    msg,
                    "write `sort: column` (ascending) or `sort: -column` (descending)",
                );
                return None;
            }
        }
    }
    Some(table.into_owned())
}

/// `scope:` of a block: `None` when absent (the whole key applies), else the key columns
/// that still apply (`scope: [regio]`; empty for `scope: none`).
pub fn scope_columns(f: &mut Fields) -> Option<Vec<String>> {
    match f.raw("scope") {
        None => None,
        Some(Value::String(s)) if s == "none" || s == "geen" => Some(Vec::new()),
        Some(Value::Bool(false)) => Some(Vec::new()),
        Some(Value::Sequence(items)) => Some(
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect(),
        ),
        Some(Value::String(s)) => Some(vec![s]),
        Some(_) => {
            f.error(
                "scope",
                "`scope` must be a list of key columns or `none`",
                "write `scope: [regio]` or `scope: none`",
            );
            None
        }
    }
}

/// The page's key conditions that apply to `table`: those on columns it has, limited to
/// `wanted` when the block gave a `scope`.
pub fn page_scope(
    scope: Option<&Value>,
    wanted: Option<&[String]>,
    table: &DataTable,
) -> Option<Mapping> {
    let Some(Value::Mapping(scope)) = scope else {
        return None;
    };
    Some(
        scope
            .iter()
            .filter(|(k, _)| k.as_str().is_some_and(|k| table.column_index(k).is_some()))
            .filter(|(k, _)| {
                wanted.is_none_or(|w| w.iter().any(|x| Some(x.as_str()) == k.as_str()))
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    )
}

/// The label for a column: its `rename`, else its own name.
pub fn label<'a>(rename: &'a [(String, String)], col: &'a str) -> &'a str {
    rename
        .iter()
        .find(|(from, _)| from == col)
        .map(|(_, to)| to.as_str())
        .unwrap_or(col)
}
