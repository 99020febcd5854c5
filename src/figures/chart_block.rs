//! ```chart blocks: data -> [`ChartSpec`] -> an SVG inside a numbered `<figure>`, with the
//! chart's numbers as a table in `<details>` so nothing is only visible as a picture.

use std::collections::HashMap;

use super::fields::{number_value, parse_yaml, Fields};
use super::prepare::{label, prepare};
use super::table_html::{format_cell, numeric_decimals};
use super::{check_id, esc, notes_and_source, register, BlockEnv, FigureKind, Words};
use crate::chart::{self, ChartKind, ChartSpec, Series, TargetLine};
use crate::data::{Cell, ColumnKind, DataTable};
use crate::diagnostic::Diagnostic;
use crate::markdown::FencedBlock;

pub fn render(block: &FencedBlock, env: &mut BlockEnv) -> Result<String, Vec<Diagnostic>> {
    let value = parse_yaml(block.body, env.file, block.line).map_err(|e| vec![e])?;
    let serde_yaml::Value::Mapping(map) = value else {
        return Err(vec![Diagnostic::new(
            env.file,
            block.line,
            1,
            "a chart block must be a list of `key: value` lines",
        )
        .with_hint("start with `type: line` and `data: ...`")]);
    };
    let mut f = Fields::new(map, block.body, env.file, block.line);

    let kind = match f
        .required_str(
            "type",
            "choose a chart type: `type: line` (or bar, hbar, grouped, stacked, stacked100)",
        )
        .as_deref()
    {
        Some("line") => Some(ChartKind::Line),
        Some("bar") | Some("column") => Some(ChartKind::Bar),
        Some("hbar") => Some(ChartKind::HBar),
        Some("grouped") => Some(ChartKind::Grouped),
        Some("stacked") => Some(ChartKind::Stacked),
        Some("stacked100") => Some(ChartKind::Stacked100),
        Some(other) => {
            f.error(
                "type",
                format!("unknown chart type `{other}`"),
                "use line, bar, hbar, grouped, stacked or stacked100",
            );
            None
        }
        None => None,
    };
    let title = f.required_str(
        "title",
        "give the chart a title: `title: Vsv-aandeel per schooljaar`",
    );
    let id = f.str("id");
    if let Some(id) = &id {
        if let Err(msg) = check_id(id, FigureKind::Figure) {
            f.error(
                "id",
                msg,
                "figure ids start with `fig-`; refer to them in the text as `@fig-...`",
            );
        }
    }
    let table = prepare(&mut f, env);
    let x = f.required_str(
        "x",
        "name the column for the horizontal axis: `x: schooljaar`",
    );
    let ys = f.list("y");
    let series_col = f.str("series");
    let rename = f.pairs("rename").unwrap_or_default();
    let unit = f.str("unit");
    let source = f.str("source");
    let notes = f.list("notes").unwrap_or_default();
    let decimals = f.number("decimals").map(|d| d.clamp(0.0, 6.0) as usize);
    let description = f.str("description").unwrap_or_default();
    let highlight = f.str("highlight");
    let labels = f.bool("labels");
    let y_min = f.number("y_min");
    let y_max = f.number("y_max");
    let target = match f.raw("target") {
        None => None,
        Some(serde_yaml::Value::Mapping(m)) => {
            let value = m.get("value").and_then(number_value);
            let label = m.get("label").and_then(|l| l.as_str()).map(str::to_string);
            match value {
                Some(v) => Some(TargetLine {
                    value: v,
                    label: label.unwrap_or_else(|| Words::new(env.lang).target.to_string()),
                }),
                None => {
                    f.error(
                        "target",
                        "`target` needs a `value`",
                        "write `target: {value: 1.4, label: Streefcijfer 2022/2023}`",
                    );
                    None
                }
            }
        }
        Some(v) => match number_value(&v) {
            Some(n) => Some(TargetLine {
                value: n,
                label: Words::new(env.lang).target.to_string(),
            }),
            None => {
                f.error(
                    "target",
                    "`target` must be a number",
                    "write `target: 1.4` or `target: {value: 1.4, label: ...}`",
                );
                None
            }
        },
    };
    let targets_col = f.str("targets");
    let print = super::print_class(&mut f);
    let mut errors = f.finish("chart");

    let (Some(kind), Some(title), Some(table), Some(x)) = (kind, title, table, x) else {
        return Err(errors);
    };
    if ys.is_none() {
        errors.push(
            Diagnostic::new(env.file, block.line, 1, "this chart block needs `y`")
                .with_hint("name the column(s) with the values: `y: [landelijk, achterhoek]`"),
        );
    }
    let file = env.file;
    let line_of = |key: &str| {
        crate::config::key_position(block.body, key)
            .map(|(l, c)| (block.line + l - 1, c))
            .unwrap_or((block.line, 1))
    };
    let err_at = |key: &str, msg: String, hint: &str| {
        let (l, c) = line_of(key);
        Diagnostic::new(file, l, c, msg).with_hint(hint.to_string())
    };
    let Some(ys) = ys else { return Err(errors) };
    if !errors.is_empty() {
        return Err(errors);
    }

    let data = match series_col {
        Some(s) => long_format(&table, &x, &s, &ys, &rename),
        None => wide_format(&table, &x, &ys, &rename),
    };
    let data = match data {
        Ok(d) => d,
        Err(Problem::Key(key, msg)) => {
            return Err(vec![err_at(
                key,
                msg,
                "check the column names against the data file's header",
            )])
        }
        Err(Problem::Cell(d)) => return Err(vec![*d]),
    };
    let category_targets = match &targets_col {
        Some(col) => match column_values(&table, &data.row_of_category, col) {
            Ok(v) => Some((label(&rename, col).to_string(), v)),
            Err(msg) => {
                return Err(vec![err_at(
                    "targets",
                    msg,
                    "name the column with a target per category: `targets: doelpercentage`",
                )])
            }
        },
        None => None,
    };

    let fig = register(env, FigureKind::Figure, id.as_deref(), &title, block.line);
    if data.categories.is_empty() {
        if let Some(html) = super::empty_figure(env, &fig, &title, source.as_deref()) {
            return Ok(html);
        }
    }
    let unit = unit.or_else(|| {
        // A percent column carries its unit.
        let all_pct = ys.iter().all(|y| {
            table
                .column(y)
                .is_some_and(|c| c.kind == ColumnKind::Percent)
        });
        all_pct.then(|| "%".to_string())
    });
    let spec = ChartSpec {
        kind,
        id: fig.id.clone(),
        title: title.clone(),
        description,
        categories: data.categories.clone(),
        series: data.series.clone(),
        unit: unit.clone(),
        decimals,
        y_min,
        y_max,
        target,
        category_targets: category_targets.clone(),
        value_labels: labels,
        highlight,
        pinned_category: page_period(env, &x),
        palette: env.palette.to_vec(),
        lang: env.lang,
    };
    let drawn = chart::render_svg(&spec)
        .map_err(|msg| vec![err_at("type", msg, "check the chart's data and options")])?;
    // Values the drawing had no room to label are named under it, with the layout they
    // belong to (the theme shows each note with its drawing).
    let mut svg = drawn.svg;
    for note in &drawn.notes {
        let classes = note.classes();
        let class = if classes.is_empty() {
            "figure__notes".to_string()
        } else {
            format!("figure__notes {classes}")
        };
        svg.push_str(&format!("<p class=\"{class}\">{}</p>\n", esc(&note.text)));
    }

    let words = Words::new(env.lang);
    let label_text = format!("{} {}", words.figure, fig.number);
    let caption_id = format!("{}-caption", fig.id);
    let mut html = format!(
        "<figure class=\"figure figure--chart{print}\" id=\"{id}\" aria-labelledby=\"{caption_id}\">\n<figcaption id=\"{caption_id}\"><span class=\"figure__label\">{label_text}</span> {title}</figcaption>\n<div class=\"chart-frame\">{svg}</div>\n",
        id = esc(&fig.id),
        title = esc(&title),
    );
    html.push_str(&notes_and_source(&notes, source.as_deref(), env.lang));
    html.push_str(&data_table(
        &data,
        &x_label(&rename, &x),
        unit.as_deref(),
        decimals,
        category_targets.as_ref(),
        env,
        &label_text,
    ));
    html.push_str("</figure>\n");
    Ok(html)
}

/// On a page generated per period (a factsheet per school year), the page's own period
/// when the chart runs over that column: the trend chart must always label it.
fn page_period(env: &BlockEnv, x: &str) -> Option<String> {
    let period = env.period.filter(|p| *p == x)?;
    let serde_yaml::Value::Mapping(key) = env.scope? else {
        return None;
    };
    key.get(period).and_then(|v| match v {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

fn x_label(rename: &[(String, String)], x: &str) -> String {
    label(rename, x).to_string()
}

pub(super) struct ChartData {
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    /// For each category, the first table row it came from.
    pub row_of_category: Vec<usize>,
}

enum Problem {
    /// A problem with a key of the block: (key, message).
    Key(&'static str, String),
    /// A problem with a value in the data file.
    Cell(Box<Diagnostic>),
}

/// One column per series: `x: schooljaar, y: [landelijk, achterhoek]`.
fn wide_format(
    table: &DataTable,
    x: &str,
    ys: &[String],
    rename: &[(String, String)],
) -> Result<ChartData, Problem> {
    let xi = table.require_column(x).map_err(|m| Problem::Key("x", m))?;
    let mut yis = Vec::new();
    for y in ys {
        yis.push(table.require_column(y).map_err(|m| Problem::Key("y", m))?);
    }
    let totals = table.totals_row_index();
    let rows: Vec<usize> = (0..table.rows.len())
        .filter(|&r| Some(r) != totals)
        .collect();
    let categories = rows
        .iter()
        .map(|&r| category_text(&table.rows[r].cells[xi]))
        .collect();
    let mut series = Vec::new();
    for (y, &yi) in ys.iter().zip(&yis) {
        let mut values = Vec::new();
        for &r in &rows {
            values.push(numeric(table, r, yi)?);
        }
        series.push(Series {
            name: label(rename, y).to_string(),
            values,
        });
    }
    Ok(ChartData {
        categories,
        series,
        row_of_category: rows,
    })
}

/// One row per value: `x: schooljaar, series: onderwijstype, y: percentage`.
fn long_format(
    table: &DataTable,
    x: &str,
    series_col: &str,
    ys: &[String],
    rename: &[(String, String)],
) -> Result<ChartData, Problem> {
    let xi = table.require_column(x).map_err(|m| Problem::Key("x", m))?;
    let si = table
        .require_column(series_col)
        .map_err(|m| Problem::Key("series", m))?;
    if ys.len() != 1 {
        return Err(Problem::Key(
            "y",
            "with `series`, `y` names exactly one column (the values)".to_string(),
        ));
    }
    let yi = table
        .require_column(&ys[0])
        .map_err(|m| Problem::Key("y", m))?;
    // Categories and series in data order; the maps keep this linear in the rows.
    let mut categories: Vec<String> = Vec::new();
    let mut row_of_category = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut category_index: HashMap<String, usize> = HashMap::new();
    let mut name_index: HashMap<String, usize> = HashMap::new();
    let mut cells = Vec::new();
    let totals = table.totals_row_index();
    for (r, row) in table.rows.iter().enumerate() {
        if Some(r) == totals {
            continue;
        }
        let c = category_text(&row.cells[xi]);
        let ci = *category_index.entry(c.clone()).or_insert_with(|| {
            categories.push(c);
            row_of_category.push(r);
            categories.len() - 1
        });
        let s = category_text(&row.cells[si]);
        let si = *name_index.entry(s.clone()).or_insert_with(|| {
            names.push(s);
            names.len() - 1
        });
        cells.push((r, ci, si));
    }
    let mut series: Vec<Series> = names
        .iter()
        .map(|n| Series {
            name: label(rename, n).to_string(),
            values: vec![None; categories.len()],
        })
        .collect();
    for (r, c, s) in cells {
        series[s].values[c] = numeric(table, r, yi)?;
    }
    Ok(ChartData {
        categories,
        series,
        row_of_category,
    })
}

fn numeric(table: &DataTable, r: usize, c: usize) -> Result<Option<f64>, Problem> {
    match &table.rows[r].cells[c] {
        Cell::Number(v) => Ok(Some(*v)),
        // Nil is 0 and a marked number its value; secret and not applicable are gaps.
        Cell::Special(s) => Ok(Cell::Special(*s).as_f64()),
        Cell::Missing => Ok(None),
        other => Err(Problem::Cell(Box::new(
            table
                .cell_diagnostic(
                    r,
                    c,
                    format!(
                        "`{}` in column `{}` is not a number, so it cannot be charted",
                        category_text(other),
                        table.columns[c].name
                    ),
                )
                .with_hint(
                    "charts need numbers; leave the cell empty when the value is not available",
                ),
        ))),
    }
}

fn column_values(table: &DataTable, rows: &[usize], col: &str) -> Result<Vec<Option<f64>>, String> {
    let ci = table.require_column(col)?;
    Ok(rows
        .iter()
        .map(|&r| table.rows[r].cells[ci].as_f64())
        .collect())
}

/// A category label as readers see it.
fn category_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(s) => s.clone(),
        // Years are labels, not quantities: no thousands separator.
        Cell::Number(v) if v.fract() == 0.0 && v.abs() < 10_000.0 => format!("{v}"),
        Cell::Number(v) => format!("{v}"),
        Cell::Date(d) => d.format("%d-%m-%Y").to_string(),
        Cell::Missing => "–".to_string(),
        Cell::Special(s) => s.sign(crate::locale::Lang::Nl),
    }
}

/// The chart's numbers as an accessible table inside `<details>`.
fn data_table(
    data: &ChartData,
    x_label: &str,
    unit: Option<&str>,
    decimals: Option<usize>,
    targets: Option<&(String, Vec<Option<f64>>)>,
    env: &BlockEnv,
    figure_label: &str,
) -> String {
    let words = Words::new(env.lang);
    let pct = unit == Some("%");
    let all: Vec<f64> = data
        .series
        .iter()
        .flat_map(|s| s.values.iter().flatten().copied())
        .collect();
    let dec = decimals.unwrap_or_else(|| numeric_decimals(all.iter().copied()));
    // The table may be wider than a phone: its scroll box is a labelled region a keyboard
    // can reach and scroll, as for table blocks.
    let mut h = format!(
        "<details class=\"figure__data\">\n<summary>{show} <span class=\"visually-hidden\">({label})</span></summary>\n<div class=\"table-scroll\" role=\"region\" aria-label=\"{show}: {label}\" tabindex=\"0\">\n<table class=\"data-table\">\n<thead><tr><th scope=\"col\">{}</th>",
        esc(x_label),
        show = words.show_data,
        label = esc(figure_label),
    );
    for s in &data.series {
        h.push_str(&format!(
            "<th scope=\"col\" class=\"num\">{}</th>",
            esc(&s.name)
        ));
    }
    if let Some((label, _)) = targets {
        h.push_str(&format!(
            "<th scope=\"col\" class=\"num\">{}</th>",
            esc(label)
        ));
    }
    h.push_str("</tr></thead>\n<tbody>\n");
    let mut any_missing = false;
    for (i, c) in data.categories.iter().enumerate() {
        h.push_str(&format!("<tr><th scope=\"row\">{}</th>", esc(c)));
        let mut cells: Vec<Option<f64>> = data.series.iter().map(|s| s.values[i]).collect();
        if let Some((_, t)) = targets {
            cells.push(t[i]);
        }
        for v in cells {
            any_missing |= v.is_none();
            h.push_str(&format_cell(v, dec, pct, env.lang, &words));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody>\n</table>\n</div>\n");
    if any_missing {
        h.push_str(&format!(
            "<p class=\"figure__notes\">{}</p>\n",
            words.missing_note
        ));
    }
    h.push_str("</details>\n");
    h
}
