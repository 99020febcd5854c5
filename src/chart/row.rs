//! Horizontal bars: plain (one bar per series in each row), stacked, and 100% stacked.
//! Rows suit long category names, which wrap beside the bars or, when too long for that
//! in the compact layout, on their own lines above them.

use super::color::{ink_on, legible, BASELINE, INK, INK_DARK, INK_SOFT};
use super::column::bar_color;
use super::layout::{block_baselines, legend, target_text, Axis, Style, Swatch};
use super::scale::Fmt;
use super::scene::{Anchor, Label, Scene, Shape};
use super::text::{self, CAP};
use super::{ChartKind, Prep};
use crate::locale::decimals_needed;

/// `kind` is the spec's, or `HBar` for columns too crowded for the compact layout.
pub(crate) fn draw(p: &Prep, st: &Style, kind: ChartKind) -> Scene {
    let spec = p.spec;
    let stacked = kind != ChartKind::HBar;
    let pct = kind == ChartKind::Stacked100;
    let (n, m) = (p.n(), p.m());
    let mut sc = Scene {
        w: st.w,
        ..Scene::default()
    };

    // The values drawn: shares of the row total for 100% bars.
    let values: Vec<Vec<Option<f64>>> = (0..n)
        .map(|j| {
            let row: Vec<Option<f64>> = (0..m).map(|i| p.value(i, j)).collect();
            if pct {
                let total: f64 = row.iter().flatten().sum();
                row.iter()
                    .map(|v| v.filter(|_| total > 0.0).map(|v| v / total * 100.0))
                    .collect()
            } else {
                row
            }
        })
        .collect();
    let fmt = if pct {
        Fmt {
            lang: spec.lang,
            percent: true,
            decimals: spec.decimals.unwrap_or_else(|| {
                values
                    .iter()
                    .flatten()
                    .flatten()
                    .map(|v| decimals_needed(*v, 1))
                    .max()
                    .unwrap_or(0)
            }),
        }
    } else {
        p.fmt
    };

    let mut top = st.edge;
    let mut items: Vec<(Swatch, String)> = Vec::new();
    if m > 1 {
        for (i, s) in spec.series.iter().enumerate() {
            items.push((Swatch::Block(bar_color(p, i, None)), s.name.clone()));
        }
    }
    if let Some(l) = p.category_target_label() {
        items.push((Swatch::Marker, l.to_string()));
    }
    if !items.is_empty() {
        top += legend(&mut sc, st, &items, top) + 8.0;
    }

    let mut lo: f64 = 0.0;
    let mut hi: f64 = if pct { 100.0 } else { 0.0 };
    for row in &values {
        if stacked {
            let pos: f64 = row.iter().flatten().filter(|v| **v > 0.0).sum();
            let neg: f64 = row.iter().flatten().filter(|v| **v < 0.0).sum();
            hi = hi.max(pos);
            lo = lo.min(neg);
        } else {
            for v in row.iter().flatten() {
                hi = hi.max(*v);
                lo = lo.min(*v);
            }
        }
    }
    if !pct {
        let targets = spec.target.iter().map(|t| t.value);
        for v in targets.chain((0..n).filter_map(|j| p.category_target(j))) {
            hi = hi.max(v);
            lo = lo.min(v);
        }
    }
    if lo == hi {
        hi = 1.0;
    }

    let show_values = spec.value_labels.unwrap_or(true);
    let fs_v = st.fs_small;
    // End labels: the value of plain bars, the total of stacked ones.
    let end_label = |j: usize, i: usize| -> Option<(f64, String)> {
        if !show_values || pct {
            return None;
        }
        if stacked {
            let row = &values[j];
            if m < 2 || row.iter().all(Option::is_none) {
                return None;
            }
            // A total only makes sense at the end of a bar that runs one way; a bar with
            // segments on both sides of zero has no end that a net total could sit at.
            let pos: f64 = row.iter().flatten().filter(|v| **v > 0.0).sum();
            let neg: f64 = row.iter().flatten().filter(|v| **v < 0.0).sum();
            if pos > 0.0 && neg < 0.0 {
                return None;
            }
            let total = pos + neg;
            (i == 0).then(|| (total, fmt.value(total)))
        } else {
            values[j][i].map(|v| (v, fmt.value(v)))
        }
    };
    let mut pos_room: f64 = 0.0;
    let mut neg_room: f64 = 0.0;
    for j in 0..n {
        for i in 0..m {
            if let Some((v, s)) = end_label(j, i) {
                let w = text::width(&s, fs_v, stacked) + 6.0;
                if v < 0.0 {
                    neg_room = neg_room.max(w);
                } else {
                    pos_room = pos_room.max(w);
                }
            }
        }
    }

    // Category labels beside the bars when they fit in a few lines, else above them.
    let cap = st.w * if st.compact { 0.3 } else { 0.33 };
    let max_lines = if st.compact { 2 } else { 3 };
    let beside: Vec<Vec<String>> = spec
        .categories
        .iter()
        .enumerate()
        .map(|(j, c)| text::wrap(c, cap, st.fs, p.is_highlight_category(j)))
        .collect();
    let labels_beside = beside.iter().all(|l| l.len() <= max_lines)
        && spec
            .categories
            .iter()
            .all(|c| text::widest_piece(c, st.fs, true) <= cap);
    let labels: Vec<Vec<String>> = if labels_beside {
        beside
    } else {
        spec.categories
            .iter()
            .enumerate()
            .map(|(j, c)| text::wrap(c, st.w - 2.0 * st.edge, st.fs, p.is_highlight_category(j)))
            .collect()
    };
    let label_col = if labels_beside {
        labels
            .iter()
            .enumerate()
            .map(|(j, l)| text::max_width(l, st.fs, p.is_highlight_category(j)))
            .fold(0.0, f64::max)
            + 10.0
    } else {
        0.0
    };
    let bars_left = st.edge + label_col;
    let right = st.w - st.edge;

    let show_axis = !show_values;
    let axis = if show_axis {
        Axis::new(
            (lo, hi),
            if pct {
                (Some(0.0), Some(100.0))
            } else {
                (spec.y_min, spec.y_max)
            },
            if st.compact { 3 } else { 5 },
            &fmt,
        )
    } else {
        Axis {
            lo: if pct { 0.0 } else { spec.y_min.unwrap_or(lo) },
            hi: if pct { 100.0 } else { spec.y_max.unwrap_or(hi) },
            ticks: Vec::new(),
        }
    };
    // Keep the end tick labels inside the drawing.
    let tick_pad = if show_axis {
        axis.label_width(st.fs_small) / 2.0
    } else {
        0.0
    };
    let x_left = bars_left + neg_room.max(tick_pad);
    let x_right = right - pos_room.max(tick_pad);
    let x_of = |v: f64| axis.map(axis.clamp(v), x_left, x_right);
    let x0 = x_of(0.0_f64.clamp(axis.lo, axis.hi));

    // A single target line is labelled above the rows.
    let target = spec.target.as_ref().filter(|_| !pct);
    if target.is_some() {
        top += st.lh_small() + 4.0;
    }

    let sub_h = if st.compact { 12.0 } else { 14.0 };
    let bar_h = if stacked {
        if st.compact {
            20.0
        } else {
            24.0
        }
    } else if m == 1 {
        if st.compact {
            18.0
        } else {
            22.0
        }
    } else {
        sub_h
    };
    let inner = 2.0;
    let block_h = if stacked {
        bar_h
    } else {
        m as f64 * bar_h + (m - 1) as f64 * inner
    };
    let gap = if labels_beside {
        if st.compact {
            10.0
        } else {
            12.0
        }
    } else if st.compact {
        14.0
    } else {
        16.0
    };

    let rows_top = top;
    let mut y = top;
    for j in 0..n {
        let lines = &labels[j];
        let label_h = lines.len() as f64 * st.lh;
        let bold = p.is_highlight_category(j);
        let ink = if p.muted_category(j) { INK_SOFT } else { INK };
        let (block_top, row_h) = if labels_beside {
            let row_h = block_h.max(label_h);
            let c = y + row_h / 2.0;
            for (line, b) in lines
                .iter()
                .zip(block_baselines(c, lines.len(), st.lh, st.fs))
            {
                sc.labels.push(
                    Label::new(st.edge, b, line.clone(), st.fs)
                        .bold(bold)
                        .fill(ink),
                );
            }
            (c - block_h / 2.0, row_h)
        } else {
            for (k, line) in lines.iter().enumerate() {
                let b = y + st.fs * CAP + (st.lh - st.fs) / 2.0 + k as f64 * st.lh;
                sc.labels.push(
                    Label::new(st.edge, b, line.clone(), st.fs)
                        .bold(bold)
                        .fill(ink),
                );
            }
            (y + label_h + 2.0, label_h + 2.0 + block_h)
        };

        let row = &values[j];
        // A row without data says so in words where its bars would be; a target marker
        // across those words would make them unreadable, and there is nothing to compare.
        let target = p
            .category_target(j)
            .filter(|_| row.iter().any(Option::is_some));
        if let Some(t) = target {
            let xt = x_of(t);
            sc.lines.push(Shape::Path {
                pts: vec![(xt, block_top - 4.0), (xt, block_top + block_h + 4.0)],
                stroke: INK_DARK,
                width: 3,
            });
        }

        if row.iter().all(Option::is_none) {
            sc.labels.push(
                Label::centered(x0 + 4.0, block_top + block_h / 2.0, p.no_data(), fs_v)
                    .fill(INK_SOFT)
                    .italic(),
            );
        } else if stacked {
            draw_stack(
                &mut sc,
                p,
                st,
                &fmt,
                row,
                j,
                block_top,
                bar_h,
                &x_of,
                show_values,
            );
        } else {
            for (i, v) in row.iter().enumerate() {
                let bt = block_top + i as f64 * (bar_h + inner);
                let cy = bt + bar_h / 2.0;
                let Some(v) = *v else {
                    sc.labels.push(
                        Label::centered(x0 + 4.0, cy, p.no_data(), fs_v)
                            .fill(INK_SOFT)
                            .italic(),
                    );
                    continue;
                };
                sc.marks.push(Shape::Rect {
                    x0,
                    y0: bt,
                    x1: x_of(v),
                    y1: bt + bar_h,
                    fill: bar_color(p, i, Some(j)),
                });
            }
        }
        // End labels after the bars (and past a target marker that sticks out further).
        for i in 0..m {
            let Some((v, s)) = end_label(j, i) else {
                continue;
            };
            let cy = if stacked {
                block_top + bar_h / 2.0
            } else {
                block_top + i as f64 * (bar_h + inner) + bar_h / 2.0
            };
            let ink = if p.muted_category(j) || p.muted_series(i) {
                INK_SOFT
            } else {
                INK
            };
            let xt = p.category_target(j).map(x_of);
            let label = if v >= 0.0 {
                let end = xt.map_or(x_of(v), |xt| {
                    if xt >= x_of(v) - 1.0 {
                        xt.max(x_of(v)) + 1.5
                    } else {
                        x_of(v)
                    }
                });
                Label::centered(end + 5.0, cy, s, fs_v)
            } else {
                Label::centered(x_of(v) - 5.0, cy, s, fs_v).anchor(Anchor::End)
            };
            sc.labels.push(label.fill(ink).bold(stacked));
        }
        y += row_h + gap;
    }
    let rows_bottom = y - gap;

    if show_axis {
        axis.draw_x(
            &mut sc,
            st,
            x_left,
            x_right,
            rows_top - 4.0,
            rows_bottom + 4.0,
        );
    }
    if lo < 0.0 || show_axis {
        sc.axis.push(Shape::Path {
            pts: vec![(x0, rows_top - 4.0), (x0, rows_bottom + 4.0)],
            stroke: BASELINE,
            width: 1,
        });
    }
    if let Some(t) = target {
        let xt = x_of(t.value);
        sc.dashed.push(Shape::Path {
            pts: vec![(xt, rows_top - 4.0), (xt, rows_bottom + 4.0)],
            stroke: INK,
            width: 2,
        });
        let label = if t.label.trim().is_empty() {
            match spec.lang {
                crate::locale::Lang::Nl => "Streefcijfer",
                crate::locale::Lang::En => "Target",
            }
        } else {
            t.label.as_str()
        };
        let s = target_text(label, t.value, &fmt);
        let w = text::width(&s, st.fs_small, false);
        // Centred over the line unless that would run off either edge.
        let (x, anchor) = if xt + w / 2.0 > right {
            (right, Anchor::End)
        } else if xt - w / 2.0 < st.edge {
            (st.edge, Anchor::Start)
        } else {
            (xt, Anchor::Middle)
        };
        sc.labels
            .push(Label::new(x, rows_top - 9.0, s, st.fs_small).anchor(anchor));
    }

    let bottom = if show_axis {
        rows_bottom + 4.0 + 6.0 + st.fs_small * (CAP + 0.3)
    } else {
        rows_bottom
    };
    sc.h = (bottom + st.edge).ceil();
    sc
}

/// One stacked bar: positive segments rightwards from zero, negative ones leftwards, each
/// separated by a hairline of white and labelled inside when the label fits.
#[allow(clippy::too_many_arguments)]
fn draw_stack(
    sc: &mut Scene,
    p: &Prep,
    st: &Style,
    fmt: &Fmt,
    row: &[Option<f64>],
    j: usize,
    top: f64,
    h: f64,
    x_of: &dyn Fn(f64) -> f64,
    show_values: bool,
) {
    let mut pos = 0.0;
    let mut neg = 0.0;
    let present: Vec<usize> = (0..row.len())
        .filter(|&i| row[i].is_some_and(|v| v != 0.0))
        .collect();
    for (k, &i) in present.iter().enumerate() {
        let v = row[i].unwrap_or(0.0);
        let (a, b) = if v >= 0.0 {
            pos += v;
            (pos - v, pos)
        } else {
            neg += v;
            (neg - v, neg)
        };
        let (xa, xb) = (x_of(a), x_of(b));
        let fill = bar_color(p, i, Some(j));
        // The white gap sits on the far side of each segment that has a neighbour there.
        let more_same_side = present[k + 1..]
            .iter()
            .any(|&n| row[n].is_some_and(|w| (w >= 0.0) == (v >= 0.0)));
        let shrink = if more_same_side { 1.0 } else { 0.0 };
        let xb_draw = if xb >= xa { xb - shrink } else { xb + shrink };
        sc.marks.push(Shape::Rect {
            x0: xa,
            y0: top,
            x1: xb_draw,
            y1: top + h,
            fill,
        });
        if show_values {
            let s = fmt.value(v);
            let ink = ink_on(fill);
            if text::width(&s, st.fs_small, false) + 8.0 <= (xb_draw - xa).abs()
                && legible(ink, fill)
            {
                sc.labels.push(
                    Label::centered((xa + xb_draw) / 2.0, top + h / 2.0, s, st.fs_small)
                        .anchor(Anchor::Middle)
                        .fill(ink),
                );
            }
        }
    }
}
