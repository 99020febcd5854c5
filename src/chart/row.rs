//! Horizontal bars: plain (one bar per series in each row), stacked, and 100% stacked.
//! Rows suit long category names, which wrap beside the bars or, when too long for that
//! in the compact layout, on their own lines above them.

use super::color::{ink_on, legible, BASELINE, INK, INK_DARK, INK_SOFT};
use super::column::{bar_color, target_number};
use super::layout::{
    block_baselines, dodge, legend, settle, target_swatch, target_text, Axis, Style, Swatch,
    ValueLabel,
};
use super::scale::Fmt;
use super::scene::{Anchor, Hatch, Label, Scene, Shape};
use super::text::{self, CAP};
use super::{ChartKind, Highlight, Prep};
use crate::locale::decimals_needed;

/// `kind` is the spec's, or `HBar` for columns too crowded for a narrow layout.
pub(crate) fn draw(p: &Prep, st: &Style, kind: ChartKind) -> Scene {
    let spec = p.spec;
    let stacked = kind != ChartKind::HBar;
    let pct = kind == ChartKind::Stacked100;
    let (n, m) = (p.n(), p.m());
    let fs = st.fs;
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
            items.push((
                Swatch::Block(bar_color(p, i, None), p.look(i).hatch),
                s.name.clone(),
            ));
        }
    }
    if let Some(l) = p.category_target_label() {
        items.push((Swatch::Marker { vertical: true }, l.to_string()));
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
                let w = text::width(&s, fs, stacked) + 6.0;
                if v < 0.0 {
                    neg_room = neg_room.max(w);
                } else {
                    pos_room = pos_room.max(w);
                }
            }
        }
    }
    // A target marker beyond the longest bar pushes that bar's label further out.
    if show_values {
        for j in 0..n {
            if let Some(t) = p.category_target(j).filter(|t| *t > 0.0) {
                let longest = (0..m)
                    .filter_map(|i| end_label(j, i))
                    .map(|(v, _)| v)
                    .fold(0.0, f64::max);
                if t >= longest && !pct {
                    pos_room = pos_room.max(
                        (0..m)
                            .filter_map(|i| end_label(j, i))
                            .map(|(_, s)| text::width(&s, fs, stacked) + 8.0)
                            .fold(0.0, f64::max),
                    );
                }
            }
        }
    }

    // Category labels beside the bars when they fit in a few lines, else above them.
    let cap = st.w * if st.compact { 0.3 } else { 0.33 };
    let max_lines = if st.compact { 2 } else { 3 };
    let bold = |j: usize| p.is_highlight_category(j) || p.pinned == Some(j);
    let beside: Vec<Vec<String>> = spec
        .categories
        .iter()
        .enumerate()
        .map(|(j, c)| text::wrap(c, cap, fs, bold(j)))
        .collect();
    let labels_beside = beside.iter().all(|l| l.len() <= max_lines)
        && spec
            .categories
            .iter()
            .all(|c| text::widest_piece(c, fs, true) <= cap);
    let labels: Vec<Vec<String>> = if labels_beside {
        beside
    } else {
        spec.categories
            .iter()
            .enumerate()
            .map(|(j, c)| text::wrap(c, st.w - 2.0 * st.edge, fs, bold(j)))
            .collect()
    };
    // Each row's target, written under its label (beside) or at the end of its line.
    let target_texts: Vec<Option<String>> = (0..n)
        .map(|j| {
            p.category_target(j)
                .filter(|_| values[j].iter().any(Option::is_some))
                .map(|t| target_number(p, t))
        })
        .collect();
    let target_w = |s: &str| 10.0 + text::width(s, fs, false);
    let label_col = if labels_beside {
        labels
            .iter()
            .enumerate()
            .map(|(j, l)| text::max_width(l, fs, bold(j)))
            .chain(target_texts.iter().flatten().map(|s| target_w(s)))
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
        axis.label_width(fs) / 2.0
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
        top += st.lh + 4.0;
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
    let mut pending: Vec<ValueLabel> = Vec::new();
    for j in 0..n {
        let lines = &labels[j];
        let target_line = labels_beside && target_texts[j].is_some();
        let label_h = (lines.len() + usize::from(target_line)) as f64 * st.lh;
        let ink = if p.muted_category(j) { INK_SOFT } else { INK };
        let row = &values[j];
        let segments = if stacked {
            stack_segments(p, row, j, &x_of)
        } else {
            Vec::new()
        };
        // Labels of the highlighted row or series that do not fit inside their segment
        // get a line of their own under the bar.
        let must = |i: usize| {
            p.is_highlight_category(j) || p.pinned == Some(j) || p.highlight == Highlight::Series(i)
        };
        let marker_x = p
            .category_target(j)
            .filter(|_| row.iter().any(Option::is_some))
            .map(&x_of);
        let crosses_marker = |s: &Segment| {
            marker_x.is_some_and(|xt| {
                let half = text::width(&fmt.value(s.value), fs, false) / 2.0 + 4.0;
                (xt - s.center()).abs() < half
            })
        };
        let outside: Vec<usize> = if stacked && show_values {
            segments
                .iter()
                .filter(|s| must(s.series) && (!s.fits_inside(&fmt, fs) || crosses_marker(s)))
                .map(|s| s.series)
                .collect()
        } else {
            Vec::new()
        };
        let under = if outside.is_empty() { 0.0 } else { st.lh + 2.0 };
        let (block_top, row_h) = if labels_beside {
            let unit_h = block_h + under;
            let row_h = unit_h.max(label_h);
            let block_top = y + (row_h - unit_h) / 2.0;
            // The label block is centred on the bar, unless it is the taller of the two.
            let c = if label_h >= unit_h {
                y + row_h / 2.0
            } else {
                (block_top + block_h / 2.0).max(y + label_h / 2.0)
            };
            let all_lines = lines.len() + usize::from(target_line);
            let baselines = block_baselines(c, all_lines, st.lh, fs);
            for (line, b) in lines.iter().zip(&baselines) {
                sc.labels.push(
                    Label::new(st.edge, *b, line.clone(), fs)
                        .bold(bold(j))
                        .fill(ink)
                        .class("category"),
                );
            }
            if let (true, Some(s)) = (target_line, &target_texts[j]) {
                let b = baselines[all_lines - 1];
                target_swatch(&mut sc, st.edge, b - fs * CAP / 2.0, 6.0, true);
                sc.labels.push(
                    Label::new(st.edge + 10.0, b, s.clone(), fs)
                        .fill(INK_SOFT)
                        .class("target"),
                );
            }
            (block_top, row_h)
        } else {
            for (k, line) in lines.iter().enumerate() {
                let b = y + fs * CAP + (st.lh - fs) / 2.0 + k as f64 * st.lh;
                sc.labels.push(
                    Label::new(st.edge, b, line.clone(), fs)
                        .bold(bold(j))
                        .fill(ink)
                        .class("category"),
                );
                if k == lines.len() - 1 {
                    if let Some(s) = &target_texts[j] {
                        let w = target_w(s);
                        target_swatch(&mut sc, right - w, b - fs * CAP / 2.0, 6.0, true);
                        sc.labels.push(
                            Label::new(right, b, s.clone(), fs)
                                .anchor(Anchor::End)
                                .fill(INK_SOFT)
                                .class("target"),
                        );
                    }
                }
            }
            (
                y + lines.len() as f64 * st.lh + 2.0,
                lines.len() as f64 * st.lh + 2.0 + block_h + under,
            )
        };

        // A row without data says so in words where its bars would be; a target marker
        // across those words would make them unreadable, and there is nothing to compare.
        let row_target = p
            .category_target(j)
            .filter(|_| row.iter().any(Option::is_some));
        if let Some(t) = row_target {
            let xt = x_of(t);
            sc.targets.push(Shape::line(
                vec![(xt, block_top - 4.0), (xt, block_top + block_h + 4.0)],
                INK_DARK,
                3,
            ));
        }

        // Words where bars would be start after a target line that would cross them.
        let words_x = {
            let w = text::width(p.no_data(), fs, false);
            match target.map(|t| x_of(t.value)) {
                Some(xt) if xt + 3.0 > x0 && xt - 3.0 < x0 + 6.0 + w => xt + 6.0,
                _ => x0 + 4.0,
            }
        };
        if row.iter().all(Option::is_none) {
            sc.labels.push(
                Label::centered(words_x, block_top + block_h / 2.0, p.no_data(), fs)
                    .fill(INK_SOFT)
                    .italic()
                    .class("missing"),
            );
        } else if stacked {
            draw_stack(
                &mut sc,
                &mut pending,
                &segments,
                &outside,
                &fmt,
                st,
                j,
                block_top,
                bar_h,
                show_values,
                p,
            );
        } else {
            for (i, v) in row.iter().enumerate() {
                let bt = block_top + i as f64 * (bar_h + inner);
                let cy = bt + bar_h / 2.0;
                let Some(v) = *v else {
                    sc.labels.push(
                        Label::centered(words_x, cy, p.no_data(), fs)
                            .fill(INK_SOFT)
                            .italic()
                            .class("missing"),
                    );
                    continue;
                };
                let hatch = p.look(i).hatch;
                sc.marks.push(Shape::Rect {
                    x0,
                    y0: bt,
                    x1: x_of(v),
                    y1: bt + bar_h,
                    fill: bar_color(p, i, Some(j)),
                });
                if hatch > 0 {
                    sc.hatches.push(Hatch {
                        x0,
                        y0: bt,
                        x1: x_of(v),
                        y1: bt + bar_h,
                        kind: hatch,
                    });
                }
            }
        }
        // End labels right after the bar; past the target marker when that is in the way.
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
            let xv = x_of(v);
            let mut spots = Vec::new();
            let spot = |x: f64, a: Anchor| {
                Label::centered(x, cy, s.clone(), fs)
                    .anchor(a)
                    .fill(ink)
                    .bold(stacked)
                    .class(if stacked { "total" } else { "value" })
            };
            if v >= 0.0 {
                spots.push(spot(xv + 5.0, Anchor::Start));
                if let Some(xt) = row_target.map(x_of).filter(|xt| *xt > xv) {
                    spots.push(spot(xt + 6.5, Anchor::Start));
                }
            } else {
                spots.push(spot(xv - 5.0, Anchor::End));
                if let Some(xt) = row_target.map(x_of).filter(|xt| *xt < xv) {
                    spots.push(spot(xt - 6.5, Anchor::End));
                }
            }
            let bt = if stacked {
                block_top
            } else {
                block_top + i as f64 * (bar_h + inner)
            };
            pending.push(ValueLabel {
                text: s.clone(),
                spots,
                series: i,
                category: j,
                priority: p.is_highlight_category(j) || p.highlight == Highlight::Series(i),
                own: Some((x0.min(xv), x0.max(xv), bt, bt + bar_h)),
            });
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
        sc.axis.push(Shape::line(
            vec![(x0, rows_top - 4.0), (x0, rows_bottom + 4.0)],
            BASELINE,
            1,
        ));
    }
    if let Some(t) = target {
        let xt = x_of(t.value);
        sc.dashed.push(Shape::line(
            vec![(xt, rows_top - 4.0), (xt, rows_bottom + 4.0)],
            INK,
            2,
        ));
        let label = if t.label.trim().is_empty() {
            match spec.lang {
                crate::locale::Lang::Nl => "Streefcijfer",
                crate::locale::Lang::En => "Target",
            }
        } else {
            t.label.as_str()
        };
        let s = target_text(label, t.value, &fmt);
        let w = text::width(&s, fs, false);
        // Centred over the line unless that would run off either edge.
        let (x, anchor) = if xt + w / 2.0 > right {
            (right, Anchor::End)
        } else if xt - w / 2.0 < st.edge {
            (st.edge, Anchor::Start)
        } else {
            (xt, Anchor::Middle)
        };
        sc.labels.push(
            Label::new(x, rows_top - 9.0, s, fs)
                .anchor(anchor)
                .class("target"),
        );
    }
    settle(&mut sc, pending);

    let bottom = if show_axis {
        rows_bottom + 4.0 + 6.0 + fs * (CAP + 0.3)
    } else {
        rows_bottom
    };
    sc.h = (bottom + st.edge).ceil();
    sc
}

/// One segment of a stacked bar, from `xa` to `xb` (drawn less a white hairline).
struct Segment {
    series: usize,
    value: f64,
    xa: f64,
    xb: f64,
    fill: super::color::Rgb,
    hatch: u8,
}

impl Segment {
    fn width(&self) -> f64 {
        (self.xb - self.xa).abs()
    }

    fn center(&self) -> f64 {
        (self.xa + self.xb) / 2.0
    }

    /// Whether its value can be written inside it, legibly.
    fn fits_inside(&self, fmt: &Fmt, fs: f64) -> bool {
        self.hatch == 0
            && text::width(&fmt.value(self.value), fs, false) + 8.0 <= self.width()
            && legible(ink_on(self.fill), self.fill)
    }
}

/// The segments of one stacked bar: positive ones rightwards from zero, negative ones
/// leftwards, each separated from its neighbour by a hairline of white.
fn stack_segments(
    p: &Prep,
    row: &[Option<f64>],
    j: usize,
    x_of: &dyn Fn(f64) -> f64,
) -> Vec<Segment> {
    let mut pos = 0.0;
    let mut neg = 0.0;
    let present: Vec<usize> = (0..row.len())
        .filter(|&i| row[i].is_some_and(|v| v != 0.0))
        .collect();
    let mut out = Vec::new();
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
        // The white gap sits on the far side of each segment that has a neighbour there.
        let more_same_side = present[k + 1..]
            .iter()
            .any(|&n| row[n].is_some_and(|w| (w >= 0.0) == (v >= 0.0)));
        let shrink = if more_same_side { 1.0 } else { 0.0 };
        let xb = if xb >= xa { xb - shrink } else { xb + shrink };
        out.push(Segment {
            series: i,
            value: v,
            xa,
            xb,
            fill: bar_color(p, i, Some(j)),
            hatch: p.look(i).hatch,
        });
    }
    out
}

/// One stacked bar: its segments, each labelled inside when the label fits; labels of
/// `outside` segments go on the line under the bar, moved apart where they crowd.
#[allow(clippy::too_many_arguments)]
fn draw_stack(
    sc: &mut Scene,
    pending: &mut Vec<ValueLabel>,
    segments: &[Segment],
    outside: &[usize],
    fmt: &Fmt,
    st: &Style,
    j: usize,
    top: f64,
    h: f64,
    show_values: bool,
    p: &Prep,
) {
    let fs = st.fs;
    for s in segments {
        sc.marks.push(Shape::Rect {
            x0: s.xa,
            y0: top,
            x1: s.xb,
            y1: top + h,
            fill: s.fill,
        });
        if s.hatch > 0 {
            sc.hatches.push(Hatch {
                x0: s.xa,
                y0: top,
                x1: s.xb,
                y1: top + h,
                kind: s.hatch,
            });
        }
    }
    if !show_values {
        return;
    }
    // Outside labels: centred under their segments, then pushed apart along the line.
    let under: Vec<&Segment> = segments
        .iter()
        .filter(|s| outside.contains(&s.series))
        .collect();
    let widths: Vec<f64> = under
        .iter()
        .map(|s| text::width(&fmt.value(s.value), fs, false))
        .collect();
    let xs = dodge(
        &under
            .iter()
            .zip(&widths)
            .map(|(s, w)| (s.center(), *w))
            .collect::<Vec<_>>(),
        st.edge,
        st.w - st.edge,
        6.0,
    );
    for s in segments {
        let text = fmt.value(s.value);
        let mut spots = Vec::new();
        if s.fits_inside(fmt, fs) {
            spots.push(
                Label::centered(s.center(), top + h / 2.0, text.clone(), fs)
                    .anchor(Anchor::Middle)
                    .fill(ink_on(s.fill))
                    .class("value"),
            );
        }
        if let Some(k) = under.iter().position(|u| u.series == s.series) {
            let y = top + h + 2.0 + st.lh / 2.0;
            spots.push(
                Label::centered(xs[k], y, text.clone(), fs)
                    .anchor(Anchor::Middle)
                    .fill(INK)
                    .class("value"),
            );
            // A tick from the segment to its label.
            sc.lines.push(Shape::line(
                vec![(s.center(), top + h), (s.center(), top + h + 3.0)],
                s.fill,
                2,
            ));
        }
        let (l, r) = (s.xa.min(s.xb), s.xa.max(s.xb));
        pending.push(ValueLabel {
            text,
            spots,
            series: s.series,
            category: j,
            priority: p.is_highlight_category(j)
                || p.pinned == Some(j)
                || p.highlight == Highlight::Series(s.series),
            own: Some((l, r, top, top + h)),
        });
    }
}
