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
        let label = f.required_str("label", "every tile needs a `label`");
        let value = f.number("value");
        if !f.has("value") {
            f.error(
                "value",
                "a tile needs a `value`",
                "write `value: 1.45` (leave it empty for a missing value: `value: null`)",
            );
        }
        let tile = Tile {
            label: label.unwrap_or_default(),
            value,
            unit: f.str("unit"),
            previous: f.number("previous"),
            target: f.number("target"),
            lower_is_better: f.bool("lower_is_better").unwrap_or(false),
            note: f.str("note"),
            decimals: f.number("decimals").map(|d| d.clamp(0.0, 6.0) as usize),
        };
        errors.extend(f.finish("kpi tile"));
        tiles.push(tile);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(tiles_html(&tiles, env.lang))
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
                "<p class=\"kpi__value kpi__value--missing\"><span aria-hidden=\"true\">–</span><span class=\"visually-hidden\">{}</span></p>\n",
                words.missing
            )),
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
        if let (Some(target), Some(met)) = (t.target, met) {
            let (icon, verdict) = if met {
                ("✓", words.target_met)
            } else {
                ("✗", words.target_not_met)
            };
            h.push_str(&format!(
                "<p class=\"kpi__target\"><span aria-hidden=\"true\">{icon}</span> {} {}: {verdict}</p>\n",
                words.target,
                fmt(target)
            ));
        } else if let Some(target) = t.target {
            h.push_str(&format!(
                "<p class=\"kpi__target\">{} {}</p>\n",
                words.target,
                fmt(target)
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
