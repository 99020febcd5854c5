//! ```kpi blocks: key figures as tiles with the change against the previous period and
//! whether the target was met. Change and verdict are computed, never typed.

use serde_yaml::Value;

use super::fields::{parse_yaml, Fields};
use super::{esc, BlockEnv, Words};
use crate::diagnostic::Diagnostic;
use crate::locale::{decimals_needed, Lang};
use crate::markdown::FencedBlock;

/// One tile, after reading.
pub struct Tile {
    pub label: String,
    pub value: Option<f64>,
    pub unit: Option<String>,
    pub previous: Option<f64>,
    pub target: Option<f64>,
    pub lower_is_better: bool,
    pub note: Option<String>,
    pub decimals: Option<usize>,
    /// Decimals of the target when it comes from its own column (1,6% beside 1,45%).
    pub target_decimals: Option<usize>,
    /// (rank, out of, shared with others) among the rows of the same period.
    pub rank: Option<(usize, usize, bool)>,
    /// Why the value is missing ("Geen gegevens voor 2021/2022").
    pub missing_note: Option<String>,
}

pub fn render(block: &FencedBlock, env: &mut BlockEnv) -> Result<String, Vec<Diagnostic>> {
    let value = parse_yaml(block.body, env.file, block.line).map_err(|e| vec![e])?;
    let items = match value {
        Value::Sequence(items) => items,
        Value::Mapping(m) => vec![Value::Mapping(m)],
        _ => {
            return Err(vec![Diagnostic::new(
                env.file,
                block.line,
                1,
                "a kpi block is a list of tiles",
            )
            .with_hint(
                "write one tile per line: `- {label: Vsv-aandeel, value: 1.45, unit: \"%\"}`",
            )])
        }
    };
    let mut tiles = Vec::new();
    let mut errors = Vec::new();
    // Each tile's YAML starts on its own `- ` line; find those to point errors at them.
    let item_lines: Vec<usize> = block
        .body
        .lines()
        .enumerate()
        .filter(|(_, l)| l.starts_with('-'))
        .map(|(i, _)| block.line + i)
        .collect();
    for (i, item) in items.into_iter().enumerate() {
        let line = item_lines.get(i).copied().unwrap_or(block.line);
        let Value::Mapping(map) = item else {
            errors.push(
                Diagnostic::new(env.file, line, 1, "a tile must be a group of `key: value`")
                    .with_hint("write `- {label: ..., value: ...}`"),
            );
            continue;
        };
        let mut f = Fields::new(map, "", env.file, line);
        let tile = if f.has("data") {
            data_tile(&mut f, env)
        } else {
            typed_tile(&mut f)
        };
        errors.extend(f.finish("kpi tile"));
        if let Some(tile) = tile {
            tiles.push(tile);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(tiles_html(&tiles, env.lang))
}

/// A tile with its numbers written in the block.
fn typed_tile(f: &mut Fields) -> Option<Tile> {
    let label = f.required_str("label", "every tile needs a `label`");
    let value = f.number("value");
    if !f.has("value") {
        f.error(
            "value",
            "a tile needs a `value`",
            "write `value: 1.45` (leave it empty for a missing value: `value: null`)",
        );
    }
    Some(Tile {
        label: label.unwrap_or_default(),
        value,
        unit: f.str("unit"),
        previous: f.number("previous"),
        target: f.number("target"),
        lower_is_better: f.bool("lower_is_better").unwrap_or(false),
        note: f.str("note"),
        decimals: f.number("decimals").map(|d| d.clamp(0.0, 6.0) as usize),
        target_decimals: None,
        rank: None,
        missing_note: None,
    })
}

/// A tile computed from data: `value`, `target` name columns; `previous: true` compares
/// with the previous period; `rank: true` ranks the value among all rows of the period.
/// On a generated page the data is limited to the page's own key.
fn data_tile(f: &mut Fields, env: &BlockEnv) -> Option<Tile> {
    let label = f.required_str("label", "every tile needs a `label`");
    let data_name = f.str("data")?;
    let value_col = f.required_str(
        "value",
        "name the column with the figure: `value: vsv_percentage`",
    )?;
    let unit = f.str("unit");
    let lower_is_better = f.bool("lower_is_better").unwrap_or(false);
    let note = f.str("note");
    let decimals = f.number("decimals").map(|d| d.clamp(0.0, 6.0) as usize);
    let want_previous = f.bool("previous").unwrap_or(false);
    let want_rank = f.bool("rank").unwrap_or(false);
    let target_spec = f.raw("target");
    let where_ = f.raw("where");
    let wanted = super::prepare::scope_columns(f);
    let full = match env.data.lookup(&data_name) {
        Ok(t) => t,
        Err(m) => {
            f.error("data", m, env.data.lookup_hint(&data_name));
            return None;
        }
    };
    let vi = match full.require_column(&value_col) {
        Ok(i) => i,
        Err(m) => {
            f.error("value", m, "name a column of the data");
            return None;
        }
    };
    // As precise as the column: 1,90% beside 1,45%, not 1,9%.
    let decimals = decimals.or_else(|| {
        full.rows
            .iter()
            .filter_map(|r| r.cells[vi].as_f64())
            .map(|v| decimals_needed(v, 2))
            .max()
    });
    let mut table = std::borrow::Cow::Borrowed(full);
    if let Some(w) = &where_ {
        match crate::data::Filter::from_yaml(w).and_then(|flt| table.filter(&flt)) {
            Ok(t) => table = std::borrow::Cow::Owned(t),
            Err(m) => {
                f.error("where", m, "write `where: {column: value}`");
                return None;
            }
        }
    }
    // The page's key (region and year), or the part of it `scope` keeps (`scope: [schooljaar]`
    // with `where: {regio: Landelijk}` for the national figure of the page's year); the
    // period is also compared across rows.
    let key: Vec<(String, String)> =
        super::prepare::page_scope(env.scope, wanted.as_deref(), &table)
            .unwrap_or_default()
            .iter()
            .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string())))
            .collect();
    let matches = |row: &crate::data::Row, key: &[(String, String)]| {
        key.iter().all(|(k, v)| {
            table
                .column_index(k)
                .is_some_and(|c| cell_text(&row.cells[c]) == *v)
        })
    };
    let rows: Vec<&crate::data::Row> = table.rows.iter().filter(|r| matches(r, &key)).collect();
    if rows.len() > 1 {
        f.error(
            "data",
            format!(
                "this tile matches {} rows of `{data_name}`; a tile shows one value",
                rows.len()
            ),
            "narrow it down with `where: {column: value}`",
        );
        return None;
    }
    if rows.is_empty() && where_.is_some() && !key.is_empty() {
        // `where` removed the page's own row: the author wanted another row's figure (the
        // national one) and the page's key still holds. A silent "no data" would hide that.
        let in_full = full.rows.iter().any(|r| {
            key.iter().all(|(k, v)| {
                full.column_index(k)
                    .is_some_and(|c| cell_text(&r.cells[c]) == *v)
            })
        });
        if in_full {
            let fixed: Vec<String> = key.iter().map(|(k, v)| format!("{k} = {v}")).collect();
            f.error(
                "where",
                format!(
                    "`where` leaves no row for this page ({}): a tile shows the page's own row",
                    fixed.join(", ")
                ),
                "for the figure of another row, keep only part of the page's key: `scope: [schooljaar]` with `where: {regio: Landelijk}`",
            );
            return None;
        }
    }
    let row = rows.first().copied();
    let value = row.and_then(|r| r.cells[vi].as_f64());
    let period_col = env.period.filter(|p| table.column_index(p).is_some());
    let period_value = key
        .iter()
        .find(|(k, _)| Some(k.as_str()) == period_col)
        .map(|(_, v)| v.clone());

    let target =
        match &target_spec {
            None => None,
            Some(serde_yaml::Value::String(col)) => match table.column_index(col) {
                Some(c) => row.and_then(|r| r.cells[c].as_f64()),
                None => super::fields::number_value(&serde_yaml::Value::String(col.clone()))
                    .or_else(|| {
                        f.error(
                    "target",
                    format!("`target` is neither a number nor a column of `{data_name}`: `{col}`"),
                    "name the target column or give a number",
                );
                        None
                    }),
            },
            Some(v) => super::fields::number_value(v),
        };

    // A target is written as the programme writes it, not with the value's precision.
    let target_decimals = match &target_spec {
        Some(serde_yaml::Value::String(col)) => full.column_index(col).and_then(|c| {
            full.rows
                .iter()
                .filter_map(|r| r.cells[c].as_f64())
                .map(|v| decimals_needed(v, 2))
                .max()
        }),
        _ => None,
    };

    let previous = match (want_previous, period_col, &period_value) {
        (true, Some(pc), Some(pv)) => {
            let pci = table.column_index(pc).unwrap_or(0);
            let mut periods: Vec<String> = table
                .rows
                .iter()
                .map(|r| cell_text(&r.cells[pci]))
                .collect();
            periods.sort();
            periods.dedup();
            let pos = periods.iter().position(|p| p == pv);
            pos.and_then(|i| i.checked_sub(1)).and_then(|i| {
                let prev_key: Vec<(String, String)> = key
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.clone(),
                            if k == pc {
                                periods[i].clone()
                            } else {
                                v.clone()
                            },
                        )
                    })
                    .collect();
                table
                    .rows
                    .iter()
                    .find(|r| matches(r, &prev_key))
                    .and_then(|r| r.cells[vi].as_f64())
            })
        }
        (true, _, _) => {
            f.error(
                "previous",
                "`previous: true` needs a page generated per period (a key such as `schooljaar`)",
                "give the number instead: `previous: 1.20`",
            );
            None
        }
        _ => None,
    };

    let rank = match (want_rank, value) {
        (true, Some(v)) => {
            // Among all rows of the same period: all regions in this school year.
            let same_period = |r: &&crate::data::Row| match (period_col, &period_value) {
                (Some(pc), Some(pv)) => table
                    .column_index(pc)
                    .is_some_and(|c| cell_text(&r.cells[c]) == *pv),
                _ => true,
            };
            let peers: Vec<f64> = table
                .rows
                .iter()
                .filter(same_period)
                .filter_map(|r| r.cells[vi].as_f64())
                .collect();
            let better = peers
                .iter()
                .filter(|&&p| if lower_is_better { p < v } else { p > v })
                .count();
            let ties = peers.iter().filter(|&&p| p == v).count();
            Some((better + 1, peers.len(), ties > 1))
        }
        _ => None,
    };
    let words = Words::new(env.lang);
    let missing_note = match (value, &period_value) {
        (None, Some(p)) => Some(format!("{} {p}", words.no_data_for)),
        (None, None) => Some(words.missing.to_string()),
        _ => None,
    };
    Some(Tile {
        label: label.unwrap_or_default(),
        value,
        unit,
        previous,
        target,
        lower_is_better,
        note,
        decimals,
        target_decimals,
        rank,
        missing_note,
    })
}

fn cell_text(cell: &crate::data::Cell) -> String {
    match cell {
        crate::data::Cell::Text(s) => s.clone(),
        crate::data::Cell::Number(v) => format!("{v}"),
        crate::data::Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
        crate::data::Cell::Missing => String::new(),
        crate::data::Cell::Special(_) => cell.as_f64().map(|v| format!("{v}")).unwrap_or_default(),
    }
}

pub fn tiles_html(tiles: &[Tile], lang: Lang) -> String {
    let words = Words::new(lang);
    let mut h = String::from("<ul class=\"kpis\">\n");
    for t in tiles {
        let pct = t.unit.as_deref() == Some("%");
        // Each number shows as written (26%, 30,8%); the change as precise as its inputs.
        let dec_of = |v: f64| t.decimals.unwrap_or_else(|| decimals_needed(v, 2));
        let dec = t.decimals.unwrap_or_else(|| {
            [t.value, t.previous]
                .iter()
                .flatten()
                .map(|v| decimals_needed(*v, 2))
                .max()
                .unwrap_or(0)
        });
        let fmt = |v: f64| -> String {
            if pct {
                lang.percent(v, dec_of(v))
            } else {
                match &t.unit {
                    Some(u) => format!("{} {}", lang.number(v, dec_of(v)), u),
                    None => lang.number(v, dec_of(v)),
                }
            }
        };
        let met = match (t.value, t.target) {
            (Some(v), Some(target)) => Some(if t.lower_is_better {
                v <= target
            } else {
                v >= target
            }),
            _ => None,
        };
        let class = match met {
            Some(true) => " kpi--met",
            Some(false) => " kpi--not-met",
            None => "",
        };
        h.push_str(&format!(
            "<li class=\"kpi{class}\">\n<p class=\"kpi__label\">{}</p>\n",
            esc(&t.label)
        ));
        match t.value {
            Some(v) => h.push_str(&format!("<p class=\"kpi__value\">{}</p>\n", fmt(v))),
            None => h.push_str(&format!(
                "<p class=\"kpi__value kpi__value--missing\"><span aria-hidden=\"true\">–</span><span class=\"visually-hidden\">{}</span></p>\n<p class=\"kpi__missing\">{}</p>\n",
                words.missing,
                esc(t.missing_note.as_deref().unwrap_or(words.missing))
            )),
        }
        if let Some((rank, of, shared)) = t.rank {
            let text = match lang {
                Lang::Nl => format!("{}{rank}e van {of}", if shared { "gedeeld " } else { "" }),
                Lang::En => format!(
                    "{}{} of {of}",
                    if shared { "joint " } else { "" },
                    ordinal_en(rank)
                ),
            };
            h.push_str(&format!(
                "<p class=\"kpi__rank\">{}: {text}</p>\n",
                words.rank
            ));
        }
        if let (Some(v), Some(p)) = (t.value, t.previous) {
            let change = v - p;
            let rounded = format!("{:.*}", dec, change.abs());
            let zero = rounded.chars().all(|c| c == '0' || c == '.');
            let (arrow, direction) = if zero {
                ("", "kpi__change--same")
            } else if change > 0.0 {
                (
                    "▲",
                    if t.lower_is_better {
                        "kpi__change--worse"
                    } else {
                        "kpi__change--better"
                    },
                )
            } else {
                (
                    "▼",
                    if t.lower_is_better {
                        "kpi__change--better"
                    } else {
                        "kpi__change--worse"
                    },
                )
            };
            let amount = if zero {
                words.unchanged.to_string()
            } else if pct {
                format!("{} {}", lang.signed(change, dec), words.percentage_point)
            } else {
                lang.signed(change, dec)
            };
            let arrow_html = if arrow.is_empty() {
                String::new()
            } else {
                format!("<span aria-hidden=\"true\">{arrow}</span> ")
            };
            // The previous value with the precision of the comparison (1,20% beside 1,45%).
            let previous = if pct {
                lang.percent(p, dec)
            } else {
                lang.number(p, dec)
            };
            h.push_str(&format!(
                "<p class=\"kpi__change {direction}\">{arrow_html}{amount} {} {previous}</p>\n",
                words.compared_to,
            ));
        }
        let fmt_target = |v: f64| match t.target_decimals {
            Some(d) if pct => lang.percent(v, d),
            _ => fmt(v),
        };
        if let (Some(target), Some(met)) = (t.target, met) {
            let (icon, verdict) = if met {
                ("✓", words.target_met)
            } else {
                ("✗", words.target_not_met)
            };
            h.push_str(&format!(
                "<p class=\"kpi__target\"><span aria-hidden=\"true\">{icon}</span> {} {}: {verdict}</p>\n",
                words.target,
                fmt_target(target)
            ));
        } else if let Some(target) = t.target {
            h.push_str(&format!(
                "<p class=\"kpi__target\">{} {}</p>\n",
                words.target,
                fmt_target(target)
            ));
        }
        if let Some(n) = &t.note {
            h.push_str(&format!("<p class=\"kpi__note\">{}</p>\n", esc(n)));
        }
        h.push_str("</li>\n");
    }
    h.push_str("</ul>\n");
    h
}

fn ordinal_en(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, r) if r != 11 => "st",
        (2, r) if r != 12 => "nd",
        (3, r) if r != 13 => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}
