//! ```table blocks: accessible HTML tables with Dutch number formatting, numbers right-aligned
//! on the decimal, computed totals, grouped headers (pivot), marked cells and notes.

use serde_yaml::Value;

use super::fields::{parse_yaml, scalar, Fields};
use super::prepare::{label, prepare};
use super::{check_id, esc, notes_and_source, register, BlockEnv, FigureKind, Words};
use crate::data::{Cell, ColumnKind, DataTable, Special, Total};
use crate::diagnostic::Diagnostic;
use crate::locale::{decimals_needed, Lang};
use crate::markdown::FencedBlock;

/// One displayed column.
struct Col {
    /// Index in the prepared table.
    index: usize,
    label: String,
    numeric: bool,
    /// Calendar years (a `jaar` column of 2019, 2020): labels, shown without a thousands
    /// separator and never summed.
    year: bool,
    percent: bool,
    decimals: usize,
}

/// A column header group over several columns (a school year over "Abs." and "%").
struct Group {
    label: String,
    span: usize,
}

pub fn render_block(block: &FencedBlock, env: &mut BlockEnv) -> Result<String, Vec<Diagnostic>> {
    let value = parse_yaml(block.body, env.file, block.line).map_err(|e| vec![e])?;
    let Value::Mapping(map) = value else {
        return Err(vec![Diagnostic::new(
            env.file,
            block.line,
            1,
            "a table block must be a list of `key: value` lines",
        )
        .with_hint("start with `data: ...`")]);
    };
    let mut f = Fields::new(map, block.body, env.file, block.line);
    let title = f.required_str(
        "title",
        "give the table a title: `title: Uitschrijvingen per instelling`",
    );
    let id = f.str("id");
    if let Some(id) = &id {
        if let Err(msg) = check_id(id, FigureKind::Table) {
            f.error(
                "id",
                msg,
                "table ids start with `tbl-`; refer to them in the text as `@tbl-...`",
            );
        }
    }
    let table = prepare(&mut f, env);
    // A StatLine export's own source line (`Bron: CBS`) when the block names none.
    let footer_source = table.as_ref().and_then(|t| {
        t.footer.iter().find_map(|l| {
            let lower = l.to_lowercase();
            ["bron:", "bron :", "source:"]
                .iter()
                .find(|p| lower.starts_with(*p))
                .map(|p| l[p.len()..].trim().to_string())
        })
    });
    let pivot = f.raw("pivot");
    let columns = f.list("columns");
    let rename = f.pairs("rename").unwrap_or_default();
    // `total: sum`, or per column `total: {aandeel: mean}` (others are summed), with
    // `weighted: deelnemers` for means weighted by a column.
    let total_raw = f.raw("total");
    let weighted = f.str("weighted");
    let mut means: Vec<String> = Vec::new();
    let mut total_error = None;
    let total: Option<String> = match &total_raw {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Mapping(m)) => {
            for (k, v) in m {
                match (scalar(k), v.as_str()) {
                    (Some(col), Some("mean")) => means.push(col),
                    (Some(_), Some("sum")) => {}
                    _ => {
                        total_error = Some(format!(
                            "`total` takes `sum` or `mean` per column, not `{}`",
                            scalar(v).unwrap_or_else(|| "a list".into())
                        ))
                    }
                }
            }
            Some("sum".to_string())
        }
        Some(v) => Some(scalar(v).unwrap_or_default()),
    };
    let source = f.str("source").or(footer_source);
    let mut notes = f.list("notes").unwrap_or_default();
    let decimals_all = match f.raw("decimals") {
        Some(Value::Number(n)) => n.as_u64().map(|d| d.min(6) as usize),
        _ => None,
    };
    let decimals_map: Vec<(String, usize)> = match f.raw("decimals") {
        Some(Value::Mapping(m)) => m
            .iter()
            .filter_map(|(k, v)| Some((scalar(k)?, v.as_u64()? as usize)))
            .collect(),
        _ => Vec::new(),
    };
    let highlight = f.list("highlight").unwrap_or_default();
    let marks = f.raw("marks");
    let print = super::print_class(&mut f);
    let mut errors = f.finish("table");
    let (Some(title), Some(table)) = (title, table) else {
        return Err(errors);
    };
    if let Some(t) = &total {
        if t != "sum" || total_error.is_some() {
            let (l, c) = key_line(block, "total");
            let msg = total_error.unwrap_or_else(|| format!("unknown `total: {t}`"));
            errors.push(Diagnostic::new(env.file, l, c, msg).with_hint(
                "use `total: sum` for a totals row of sums, or `total: {aandeel: mean}` (with `weighted: deelnemers` for a weighted mean)",
            ));
        }
    }
    if let Some(w) = &weighted {
        if table.column_index(w).is_none() {
            let (l, c) = key_line(block, "weighted");
            errors.push(
                Diagnostic::new(
                    env.file,
                    l,
                    c,
                    format!("`weighted: {w}`: there is no such column"),
                )
                .with_hint("name the column that weighs the means, such as `weighted: deelnemers`"),
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    // Cells marked as based on incomplete data: a column naming, per row, the columns
    // whose value is incomplete (`onvolledig: "absoluut_verzuim;vrijstellingen_5a"`).
    let (mark_col, mark_symbol, mark_note) = mark_settings(&marks, &table, env.lang);

    let (table, groups) = match &pivot {
        Some(p) => match pivot_table(&table, p) {
            Ok(v) => v,
            Err(msg) => {
                let (l, c) = key_line(block, "pivot");
                return Err(vec![Diagnostic::new(env.file, l, c, msg)
                    .with_hint("write `pivot: {rows: onderwijstype, columns: schooljaar, values: [aantal, percentage], keep: [doelpercentage]}`")]);
            }
        },
        None => (table, Vec::new()),
    };

    let names: Vec<String> = match (&columns, pivot.is_some()) {
        (Some(c), false) => c.clone(),
        _ => table
            .columns
            .iter()
            .map(|c| c.name.clone())
            .filter(|n| Some(n.as_str()) != mark_col.as_deref())
            .collect(),
    };
    let mut cols = Vec::new();
    for name in &names {
        let index = match table.require_column(name) {
            Ok(i) => i,
            Err(msg) => {
                let (l, c) = key_line(block, "columns");
                return Err(vec![Diagnostic::new(env.file, l, c, msg).with_hint(
                    "list the columns to show: `columns: [instelling, mbo1, mbo2]`",
                )]);
            }
        };
        let kind = table.columns[index].kind;
        let year = is_year_column(name, table.rows.iter().map(|r| &r.cells[index]));
        let numeric = kind.is_numeric() && !year;
        let needed = numeric_decimals(table.rows.iter().filter_map(|r| r.cells[index].as_f64()));
        let display_name = match pivot.is_some() {
            // Pivoted columns are named `group|value`; settings and headers use the value.
            true => name.rsplit('|').next().unwrap_or(name).to_string(),
            false => name.clone(),
        };
        // A table-wide `decimals` is for the columns with fractions; counts stay whole.
        let decimals = decimals_map
            .iter()
            .find(|(c, _)| *c == display_name)
            .map(|(_, d)| *d)
            .or(decimals_all.filter(|_| needed > 0 || kind == ColumnKind::Percent))
            .unwrap_or(needed);
        cols.push(Col {
            index,
            label: label(&rename, &display_name).to_string(),
            numeric,
            year,
            percent: kind == ColumnKind::Percent,
            decimals,
        });
    }
    let groups: Vec<Group> = groups
        .into_iter()
        .map(|g| Group {
            label: label(&rename, &g.label).to_string(),
            span: g.span,
        })
        .collect();

    let fig = register(env, FigureKind::Table, id.as_deref(), &title, block.line);
    if table.rows.is_empty() {
        if let Some(html) = super::empty_figure(env, &fig, &title, source.as_deref()) {
            return Ok(html);
        }
    }
    let words = Words::new(env.lang);
    let label_text = format!("{} {}", words.table, fig.number);
    let caption_id = format!("{}-caption", fig.id);

    let totals_row = table.totals_row_index();
    let mut html = format!(
        "<figure class=\"figure figure--table{print}\" id=\"{id}\" aria-labelledby=\"{caption_id}\">\n<figcaption id=\"{caption_id}\"><span class=\"figure__label\">{label_text}</span> {title}</figcaption>\n<div class=\"table-scroll\" role=\"region\" aria-labelledby=\"{caption_id}\" tabindex=\"0\">\n<table class=\"data-table\" aria-labelledby=\"{caption_id}\">\n",
        id = esc(&fig.id),
        title = esc(&title)
    );
    html.push_str(&header(&cols, &groups));

    let mut any_missing = false;
    let mut any_marked = false;
    // Signs in the cells, in order of first use, for the legend.
    let mut signs: Vec<char> = Vec::new();
    html.push_str("<tbody>\n");
    for (r, row) in table.rows.iter().enumerate() {
        if Some(r) == totals_row {
            continue;
        }
        let marked: Vec<String> = mark_col
            .as_deref()
            .and_then(|mc| table.column_index(mc))
            .and_then(|mi| row.cells[mi].as_text().map(str::to_string))
            .map(|s| {
                s.split([';', ','])
                    .map(|p| p.trim().to_string())
                    .filter(|p| !p.is_empty())
                    .collect()
            })
            .unwrap_or_default();
        let first_text = cell_text(
            &row.cells[cols.first().map(|c| c.index).unwrap_or(0)],
            env.lang,
        );
        let is_highlight = highlight.contains(&first_text);
        html.push_str(if is_highlight {
            "<tr class=\"is-highlight\">"
        } else {
            "<tr>"
        });
        for (i, col) in cols.iter().enumerate() {
            let cell = &row.cells[col.index];
            let mark = marked.iter().any(|m| *m == table.columns[col.index].name);
            any_marked |= mark;
            any_missing |= matches!(cell, Cell::Missing) && col.numeric;
            if let (Cell::Special(s), true) = (cell, col.numeric) {
                let sign = match s {
                    Special::Marked(_, m) => *m,
                    Special::Nil => '–',
                    Special::Secret => 'x',
                    Special::NotApplicable => 'n',
                };
                if !signs.contains(&sign) {
                    signs.push(sign);
                }
            }
            html.push_str(&cell_html(
                cell,
                col,
                i == 0,
                mark.then_some(mark_symbol.as_str()),
                env.lang,
                &words,
            ));
        }
        html.push_str("</tr>\n");
    }
    html.push_str("</tbody>\n");

    // Totals: the data's own totals row (checked against its column when the data was
    // read), or a computed one.
    if let Some(tr) = totals_row {
        html.push_str("<tfoot>\n<tr>");
        for col in &cols {
            if !table.columns[col.index].kept_total {
                continue;
            }
            if let Some((printed, sum)) = table.printed_total_mismatch(col.index) {
                let n = |v: f64| format_cell(Some(v), col.decimals, col.percent, env.lang, &words);
                let plain = |v: f64| n(v).replace("<td class=\"num\">", "").replace("</td>", "");
                notes.push(
                    words
                        .kept_total_note
                        .replace("{column}", &format!("‘{}’", col.label))
                        .replace("{printed}", &plain(printed))
                        .replace("{sum}", &plain(sum)),
                );
            }
        }
        for (i, col) in cols.iter().enumerate() {
            html.push_str(&cell_html(
                &table.rows[tr].cells[col.index],
                col,
                i == 0,
                None,
                env.lang,
                &words,
            ));
        }
        html.push_str("</tr>\n</tfoot>\n");
    } else if total.is_some() {
        html.push_str("<tfoot>\n<tr>");
        let mut incomplete = Vec::new();
        for (i, col) in cols.iter().enumerate() {
            let name = &table.columns[col.index].name;
            if i == 0 {
                html.push_str(&format!("<th scope=\"row\">{}</th>", words.total));
                continue;
            }
            let mean = means.iter().any(|m| m == &col.label || m == name);
            let result = if mean {
                table.column_mean(name, weighted.as_deref())
            } else {
                table.column_total(name)
            };
            // A mean of whole numbers is rarely whole: one decimal more than the cells.
            let decimals = if mean {
                col.decimals.max(1)
            } else {
                col.decimals
            };
            match result {
                // A derived percentage (`aandeel`) is the formula over the totals: 1,4%.
                Total::Value(v) if col.numeric => {
                    html.push_str(&format_cell(
                        Some(v),
                        decimals,
                        col.percent,
                        env.lang,
                        &words,
                    ));
                }
                Total::Incomplete { missing, of } if col.numeric => {
                    incomplete.push(format!(
                        "`{}` ({missing} of {of} cells without a number)",
                        col.label
                    ));
                    html.push_str("<td></td>");
                }
                _ => html.push_str("<td></td>"),
            }
        }
        html.push_str("</tr>\n</tfoot>\n");
        if !incomplete.is_empty() {
            let (l, c) = key_line(block, "total");
            env.warnings.push(
                Diagnostic::new(
                    env.file,
                    l,
                    c,
                    format!(
                        "the totals row of “{title}” leaves {} empty: a sum of the other cells would be too low",
                        incomplete.join(", ")
                    ),
                )
                .with_hint(format!(
                    "if an empty cell means 0 in `{}` (a table of counts), write `empty: 0` in `{}`",
                    table.source.display(),
                    crate::data::sidecar_path(&table.source)
                )),
            );
        }
    }
    html.push_str("</table>\n</div>\n");
    if any_marked && !notes.iter().any(|n| n.starts_with(&mark_symbol)) {
        notes.push(format!("{mark_symbol} {mark_note}"));
    }
    if any_missing {
        notes.push(words.missing_note.to_string());
    }
    for sign in signs {
        let note = match sign {
            '–' => words.nil_note.to_string(),
            'x' => words.secret_note.to_string(),
            'n' => words.not_applicable_note.to_string(),
            // A block's own `marks: {symbol: "*", note: ...}` explains its sign.
            m if mark_symbol == m.to_string() && marks.is_some() => {
                format!(
                    "{m} = {}",
                    mark_note.trim_end_matches('.').to_string() + "."
                )
            }
            m => words.provisional_note.replace("{sign}", &m.to_string()),
        };
        if !notes.contains(&note) {
            notes.push(note);
        }
    }
    html.push_str(&notes_and_source(&notes, source.as_deref(), env.lang));
    html.push_str("</figure>\n");
    Ok(html)
}

fn key_line(block: &FencedBlock, key: &str) -> (usize, usize) {
    crate::config::key_position(block.body, key)
        .map(|(l, c)| (block.line + l - 1, c))
        .unwrap_or((block.line, 1))
}

/// The header: one row, or two when columns are grouped, by a pivot's groups or by names
/// written `group – column` (merged header cells of a workbook).
fn header(cols: &[Col], groups: &[Group]) -> String {
    enum Segment<'a> {
        Single(&'a Col),
        Group(String, Vec<(&'a Col, String)>),
    }
    let mut segments: Vec<Segment> = Vec::new();
    if groups.is_empty() {
        for c in cols {
            match c.label.split_once(" – ") {
                Some((g, rest)) if !g.trim().is_empty() && !rest.trim().is_empty() => {
                    match segments.last_mut() {
                        Some(Segment::Group(label, members)) if label == g => {
                            members.push((c, rest.to_string()))
                        }
                        _ => segments
                            .push(Segment::Group(g.to_string(), vec![(c, rest.to_string())])),
                    }
                }
                _ => segments.push(Segment::Single(c)),
            }
        }
    } else {
        // A pivot: the row label, the groups of value columns, then the kept columns.
        let grouped: usize = groups.iter().map(|g| g.span).sum();
        segments.push(Segment::Single(&cols[0]));
        let mut at = 1;
        for g in groups {
            let members = cols[at..(at + g.span).min(cols.len())]
                .iter()
                .map(|c| (c, c.label.clone()))
                .collect();
            segments.push(Segment::Group(g.label.clone(), members));
            at += g.span;
        }
        for c in &cols[(1 + grouped).min(cols.len())..] {
            segments.push(Segment::Single(c));
        }
    }
    let mut h = String::from("<thead>\n<tr>");
    if !segments.iter().any(|s| matches!(s, Segment::Group(..))) {
        for c in cols {
            h.push_str(&th(c, "", &c.label));
        }
        h.push_str("</tr>\n</thead>\n");
        return h;
    }
    // Row 1: ungrouped columns span both rows; groups span their columns.
    for s in &segments {
        match s {
            Segment::Single(c) => h.push_str(&th(c, " rowspan=\"2\"", &c.label)),
            Segment::Group(label, members) => h.push_str(&format!(
                "<th scope=\"colgroup\" colspan=\"{}\" class=\"group\">{}</th>",
                members.len(),
                esc(label)
            )),
        }
    }
    h.push_str("</tr>\n<tr>");
    for s in &segments {
        if let Segment::Group(_, members) = s {
            for (c, label) in members {
                h.push_str(&th(c, "", label));
            }
        }
    }
    h.push_str("</tr>\n</thead>\n");
    h
}

fn th(c: &Col, extra: &str, label: &str) -> String {
    format!(
        "<th scope=\"col\"{}{extra}>{}</th>",
        if c.numeric { " class=\"num\"" } else { "" },
        esc(label)
    )
}

fn cell_html(
    cell: &Cell,
    col: &Col,
    row_header: bool,
    mark: Option<&str>,
    lang: Lang,
    words: &Words,
) -> String {
    let text = |cell: &Cell| match cell {
        Cell::Number(v) if col.year => format!("{v}"),
        other => cell_text(other, lang),
    };
    if row_header {
        return format!("<th scope=\"row\">{}</th>", esc(&text(cell)));
    }
    if col.numeric {
        if let Cell::Special(special) = cell {
            return special_cell(*special, col, lang, words);
        }
        let mut s = format_cell(cell.as_f64(), col.decimals, col.percent, lang, words);
        if let (Some(m), Some(_)) = (mark, cell.as_f64()) {
            s = s.replacen(
                "</td>",
                &format!("<span class=\"mark\">{}</span></td>", esc(m)),
                1,
            );
        }
        return s;
    }
    let text = text(cell);
    if cell.is_missing() {
        return format_cell(None, 0, false, lang, words).replacen(
            " class=\"num is-missing\"",
            " class=\"is-missing\"",
            1,
        );
    }
    format!("<td>{}</td>", esc(&text))
}

/// A number cell written with a statistics office's sign, shown as written; screen readers
/// hear what the sign means.
fn special_cell(special: Special, col: &Col, lang: Lang, words: &Words) -> String {
    let (sign, meaning) = match special {
        Special::Marked(v, m) => {
            let s = format_cell(Some(v), col.decimals, col.percent, lang, words);
            return s.replacen(
                "</td>",
                &format!("<span class=\"mark\">{}</span></td>", esc(&m.to_string())),
                1,
            );
        }
        Special::Nil => (special.sign(lang), words.nil),
        Special::Secret => (special.sign(lang), words.secret),
        Special::NotApplicable => (special.sign(lang), words.not_applicable),
    };
    format!(
        "<td class=\"num is-sign\"><span aria-hidden=\"true\">{}</span><span class=\"visually-hidden\">{meaning}</span></td>",
        esc(&sign)
    )
}

/// A numeric `<td>`; missing values show "." with the words for screen readers.
pub(super) fn format_cell(
    v: Option<f64>,
    decimals: usize,
    percent: bool,
    lang: Lang,
    words: &Words,
) -> String {
    match v {
        Some(v) => {
            let s = if percent { lang.percent(v, decimals) } else { lang.number(v, decimals) };
            format!("<td class=\"num\">{s}</td>")
        }
        None => format!(
            "<td class=\"num is-missing\"><span aria-hidden=\"true\">.</span><span class=\"visually-hidden\">{}</span></td>",
            words.missing
        ),
    }
}

/// Decimals a column needs so all its values show as written (at most 2).
pub(super) fn numeric_decimals(values: impl Iterator<Item = f64>) -> usize {
    values.map(|v| decimals_needed(v, 2)).max().unwrap_or(0)
}

/// Whether a number column holds calendar years: its name says year (`jaar`, `peiljaar`,
/// `year`) and every value is a whole number from 1000 to 2999.
fn is_year_column<'a>(name: &str, cells: impl Iterator<Item = &'a Cell>) -> bool {
    let name = name
        .rsplit('|')
        .next()
        .unwrap_or(name)
        .trim()
        .to_lowercase();
    let named = name == "jaar"
        || name == "year"
        || name == "jaartal"
        || (name.ends_with("jaar") && !name.ends_with("schooljaar") && name.len() <= 14)
        || name.ends_with(" year")
        || name.ends_with("_year");
    let mut any = false;
    let years = cells.into_iter().all(|c| match c {
        Cell::Number(v) => {
            any = true;
            v.fract() == 0.0 && (1000.0..3000.0).contains(v)
        }
        Cell::Missing => true,
        _ => false,
    });
    named && years && any
}

fn cell_text(cell: &Cell, lang: Lang) -> String {
    match cell {
        Cell::Text(s) => s.clone(),
        Cell::Number(v) => lang.number_auto(*v, 2),
        Cell::Date(d) => lang.date_long(*d),
        Cell::Missing => ".".to_string(),
        Cell::Special(Special::Marked(v, m)) => format!("{}{m}", lang.number_auto(*v, 2)),
        Cell::Special(s) => s.sign(lang),
    }
}

fn mark_settings(
    marks: &Option<Value>,
    table: &DataTable,
    lang: Lang,
) -> (Option<String>, String, String) {
    let default_note = Words::new(lang).incomplete_note.to_string();
    match marks {
        Some(Value::Mapping(m)) => (
            m.get("column").and_then(scalar),
            m.get("symbol")
                .and_then(scalar)
                .unwrap_or_else(|| "*".to_string()),
            m.get("note").and_then(scalar).unwrap_or(default_note),
        ),
        Some(v) => (scalar(v), "*".to_string(), default_note),
        // By convention a column `onvolledig` names the incomplete cells.
        None => (
            table
                .column_index("onvolledig")
                .map(|_| "onvolledig".to_string()),
            "*".to_string(),
            default_note,
        ),
    }
}

/// Long data to a wide table with grouped headers: one row per `rows` value, per
/// `columns` value a group of the `values` columns, then the `keep` columns.
fn pivot_table(table: &DataTable, spec: &Value) -> Result<(DataTable, Vec<Group>), String> {
    let get = |k: &str| spec.get(k);
    let name = |v: Option<&Value>| v.and_then(scalar);
    let list = |v: Option<&Value>| -> Vec<String> {
        match v {
            Some(Value::Sequence(s)) => s.iter().filter_map(scalar).collect(),
            Some(v) => scalar(v).into_iter().collect(),
            None => Vec::new(),
        }
    };
    let rows_col =
        name(get("rows")).ok_or("`pivot` needs `rows` (the column whose values become rows)")?;
    let cols_col = name(get("columns"))
        .ok_or("`pivot` needs `columns` (the column whose values become column groups)")?;
    let values = list(get("values"));
    if values.is_empty() {
        return Err("`pivot` needs `values` (the columns shown under each group)".to_string());
    }
    let keep = list(get("keep"));
    let ri = table.require_column(&rows_col)?;
    let ci = table.require_column(&cols_col)?;
    let vis: Vec<usize> = values
        .iter()
        .map(|v| table.require_column(v))
        .collect::<Result<_, _>>()?;
    let kis: Vec<usize> = keep
        .iter()
        .map(|v| table.require_column(v))
        .collect::<Result<_, _>>()?;

    let mut row_keys: Vec<String> = Vec::new();
    let mut col_keys: Vec<String> = Vec::new();
    for row in &table.rows {
        let r = cell_text(&row.cells[ri], Lang::Nl);
        if !row_keys.contains(&r) {
            row_keys.push(r);
        }
        let c = cell_text(&row.cells[ci], Lang::Nl);
        if !col_keys.contains(&c) {
            col_keys.push(c);
        }
    }
    let mut columns = vec![table.columns[ri].clone()];
    for ck in &col_keys {
        for &vi in &vis {
            let mut c = table.columns[vi].clone();
            c.name = format!("{ck}|{}", table.columns[vi].name);
            columns.push(c);
        }
    }
    for &ki in &kis {
        columns.push(table.columns[ki].clone());
    }
    let mut rows = Vec::new();
    for rk in &row_keys {
        let source_rows: Vec<&crate::data::Row> = table
            .rows
            .iter()
            .filter(|r| cell_text(&r.cells[ri], Lang::Nl) == *rk)
            .collect();
        let first = source_rows[0];
        let mut cells = vec![first.cells[ri].clone()];
        for ck in &col_keys {
            let found = source_rows
                .iter()
                .find(|r| cell_text(&r.cells[ci], Lang::Nl) == *ck);
            for &vi in &vis {
                cells.push(found.map(|r| r.cells[vi].clone()).unwrap_or(Cell::Missing));
            }
        }
        for &ki in &kis {
            let v = source_rows
                .iter()
                .map(|r| &r.cells[ki])
                .find(|c| !c.is_missing())
                .cloned()
                .unwrap_or(Cell::Missing);
            cells.push(v);
        }
        rows.push(crate::data::Row {
            line: first.line,
            pos: Vec::new(),
            cells,
        });
    }
    let groups = col_keys
        .iter()
        .map(|ck| Group {
            label: ck.clone(),
            span: vis.len(),
        })
        .collect();
    Ok((
        DataTable {
            name: table.name.clone(),
            source: table.source.clone(),
            columns,
            rows,
            footer: table.footer.clone(),
        },
        groups,
    ))
}
