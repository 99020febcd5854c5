//! Line charts: lines over ordered categories, labelled at their ends.

use super::color::{Look, Rgb, BASELINE, INK, INK_DARK, INK_SOFT, MUTED};
use super::layout::{
    block_baselines, dodge, dot, legend, series_ink, settle, unit_title, wrap_labels, Axis, Style,
    Swatch, ValueLabel,
};
use super::scene::{Anchor, Label, Scene, Shape};
use super::text::{self, CAP};
use super::{Highlight, Prep};

/// More series than this always get a legend; fewer get labels at the line ends when
/// those fit beside the plot.
const MAX_DIRECT_LABELS: usize = 10;

/// One piece of an end label: text and weight.
type Seg = (String, bool);

/// A label block at the right of the plot.
struct EndLabel {
    lines: Vec<Vec<Seg>>,
    ink: Rgb,
    want: f64,
}

pub(crate) fn draw(p: &Prep, st: &Style) -> Scene {
    let spec = p.spec;
    let n = p.n();
    let m = p.m();
    let mut sc = Scene {
        w: st.w,
        ..Scene::default()
    };
    let looks: Vec<Look> = (0..m).map(|i| line_look(p, i)).collect();
    let markers = n <= if st.compact { 8 } else { 14 };

    // End labels decide how much room the plot leaves on the right.
    let show_end_values = spec.value_labels != Some(false);
    let cap = st.w * if st.compact { 0.3 } else { 0.24 };
    let mut ends: Vec<EndLabel> = Vec::new();
    for (i, (ser, look)) in spec.series.iter().zip(&looks).enumerate() {
        let Some(v) = ser.values.iter().rev().find_map(|v| *v) else {
            continue;
        };
        let value = show_end_values.then(|| p.fmt.value(v));
        ends.push(EndLabel {
            lines: end_lines(&ser.name, true, value, cap, st.fs),
            ink: if p.muted_series(i) {
                INK_SOFT
            } else {
                series_ink(look.color)
            },
            want: v,
        });
    }
    let target = spec.target.as_ref().map(|t| {
        let name = if t.label.trim().is_empty() {
            default_target_label(p)
        } else {
            t.label.trim().to_string()
        };
        (t.value, name)
    });
    // The target path is labelled with its last value; when the last category has no
    // target, with the category it belongs to, so "1,9%" is not read as this year's.
    let path_target = p.category_target_label().and_then(|l| {
        let last = (0..n).rev().find(|&j| p.category_target(j).is_some())?;
        Some((p.category_target(last)?, l.to_string(), last))
    });
    if let Some((v, name)) = &target {
        let value = p.fmt.with(*v, crate::locale::decimals_needed(*v, 2));
        ends.push(EndLabel {
            lines: end_lines(name, false, Some(value), cap, st.fs),
            ink: INK,
            want: *v,
        });
    }
    if let Some((v, name, last)) = &path_target {
        let mut value = super::column::target_number(p, *v);
        if *last != n - 1 {
            value = match spec.lang {
                crate::locale::Lang::Nl => format!("{value} in {}", spec.categories[*last]),
                crate::locale::Lang::En => format!("{value} in {}", spec.categories[*last]),
            };
        }
        ends.push(EndLabel {
            lines: end_lines(name, false, Some(value), cap, st.fs),
            ink: INK,
            want: *v,
        });
    }
    // Direct labels where they fit beside the plot, else a legend.
    let ends_h: f64 = ends
        .iter()
        .map(|e| e.lines.len() as f64 * st.lh + 2.0)
        .sum();
    let direct = m <= MAX_DIRECT_LABELS && ends_h <= st.plot_h + st.lh;
    if !direct {
        ends.clear();
    }

    let mut top = st.edge;
    if !direct {
        let items: Vec<(Swatch, String)> = (0..m)
            .map(|i| (Swatch::Line(looks[i], markers), spec.series[i].name.clone()))
            .chain(
                target
                    .iter()
                    .map(|(v, name)| (*v, name.clone()))
                    .chain(path_target.iter().map(|(v, name, _)| (*v, name.clone())))
                    .map(|(v, name)| {
                        (
                            Swatch::Marker { vertical: false },
                            super::layout::target_text(&name, v, &p.fmt),
                        )
                    }),
            )
            .collect();
        top += legend(&mut sc, st, &items, top) + 6.0;
    }
    top += unit_title(&mut sc, st, p.axis_title(), top);
    // Room for the top tick label, which is centred on the top gridline.
    let plot_top = top + st.fs * 0.6;
    let plot_bottom = plot_top + st.plot_h;

    let axis = value_axis(p, st);
    let plot_left = st.edge + axis.label_width(st.fs) + 6.0;

    let ends_w = ends
        .iter()
        .map(|e| {
            e.lines
                .iter()
                .map(|l| segs_width(l, st.fs))
                .fold(0.0, f64::max)
        })
        .fold(0.0, f64::max);

    // Category labels: one line, else wrapped at '/' and spaces, else every k-th one.
    let data_right_max = if ends.is_empty() {
        st.w - st.edge - 4.0
    } else {
        st.w - st.edge - ends_w - 10.0
    };
    let fs_x = st.fs;
    let spacing_for = |left: f64| {
        if n > 1 {
            (data_right_max - left) / (n - 1) as f64
        } else {
            data_right_max - left
        }
    };
    let (mut xlabels, mut every) = category_labels(p, spacing_for(plot_left), fs_x);
    // Let the first label hang into the tick-label column, but not past the edge.
    let first_half = text::max_width(&xlabels[0], fs_x, false) / 2.0;
    let data_left = plot_left + (first_half - (plot_left - st.edge)).max(0.0);
    if data_left > plot_left {
        (xlabels, every) = category_labels(p, spacing_for(data_left), fs_x);
    }
    let last_half = text::max_width(&xlabels[n - 1], fs_x, false) / 2.0;
    let data_right = if ends.is_empty() {
        data_right_max.min(st.w - st.edge - last_half)
    } else {
        data_right_max
    };
    let x_of = |j: usize| {
        if n == 1 {
            (data_left + data_right) / 2.0
        } else {
            data_left + (data_right - data_left) * j as f64 / (n - 1) as f64
        }
    };
    let y_of = |v: f64| axis.map(axis.clamp(v), plot_bottom, plot_top);

    let grid_right = data_right + 4.0;
    axis.draw_y(&mut sc, st, plot_left, grid_right, plot_top, plot_bottom);
    if axis.lo <= 0.0 && axis.hi >= 0.0 {
        let y0 = y_of(0.0);
        sc.axis.push(Shape::line(
            vec![(plot_left, y0), (grid_right, y0)],
            BASELINE,
            1,
        ));
    }
    let label_top = plot_bottom + 10.0 + fs_x * CAP;
    let lh_x = st.lh;
    // Every `every`-th label, counted from the pinned category (the page's own period)
    // when there is one, so that one is always shown.
    let anchor = p.pinned.unwrap_or(0);
    let shown = |j: usize| j.abs_diff(anchor).is_multiple_of(every);
    for (j, lines) in xlabels.iter().enumerate() {
        if !shown(j) {
            continue;
        }
        let bold = p.is_highlight_category(j) || p.pinned == Some(j);
        for (k, line) in lines.iter().enumerate() {
            sc.labels.push(
                Label::new(x_of(j), label_top + k as f64 * lh_x, line.clone(), fs_x)
                    .anchor(Anchor::Middle)
                    .fill(if bold { INK } else { INK_SOFT })
                    .bold(bold)
                    .class("category"),
            );
        }
    }
    let max_lines = xlabels
        .iter()
        .enumerate()
        .filter(|(j, _)| shown(*j))
        .map(|(_, l)| l.len())
        .max()
        .unwrap_or(1);
    let bottom = label_top + (max_lines - 1) as f64 * lh_x + fs_x * 0.3 + st.edge;

    if let Some((v, _)) = &target {
        sc.dashed.push(Shape::line(
            vec![(plot_left, y_of(*v)), (data_right, y_of(*v))],
            INK,
            2,
        ));
    }
    if path_target.is_some() {
        // Dashed where targets follow each other; a year with a target of its own between
        // years without gets the marker bar charts use, not a stub of dashes.
        for run in runs(&(0..n).map(|j| p.category_target(j)).collect::<Vec<_>>()) {
            let pts: Vec<(f64, f64)> = run
                .iter()
                .map(|&j| (x_of(j), y_of(p.category_target(j).unwrap_or(0.0))))
                .collect();
            if pts.len() == 1 {
                let (x, y) = pts[0];
                sc.targets
                    .push(Shape::line(vec![(x - 8.0, y), (x + 8.0, y)], INK_DARK, 3));
            } else {
                sc.dashed.push(Shape::line(pts, INK, 2));
            }
        }
    }

    // Series: muted ones first so the highlighted line is drawn on top.
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by_key(|&i| (!p.muted_series(i), i));
    let r = if st.compact { 3.0 } else { 3.5 };
    for &i in &order {
        let vals = &spec.series[i].values;
        let width = if p.muted_series(i) { 2 } else { 3 };
        for run in runs(vals) {
            let pts: Vec<(f64, f64)> = run
                .iter()
                .map(|&j| (x_of(j), y_of(vals[j].unwrap_or(0.0))))
                .collect();
            if pts.len() > 1 {
                sc.lines.push(Shape::Path {
                    pts: pts.clone(),
                    stroke: looks[i].color,
                    width,
                    dash: looks[i].dash,
                });
            }
            // An isolated point has no line, so it always gets a marker.
            if markers || pts.len() == 1 {
                for (x, y) in pts {
                    dot(&mut sc, x, y, r, looks[i]);
                }
            }
        }
    }

    // Values at every point except the last, whose value the end label carries: above the
    // point, or below it when that is clear of the target line and the other labels.
    if spec.value_labels == Some(true) {
        let mut pending = Vec::new();
        for (i, (ser, look)) in spec.series.iter().zip(&looks).enumerate() {
            let vals = &ser.values;
            let last = vals.iter().rposition(Option::is_some);
            for (j, v) in vals.iter().enumerate() {
                let Some(v) = *v else { continue };
                if Some(j) == last && direct {
                    continue;
                }
                let others: Vec<f64> = (0..m)
                    .filter(|&k| k != i)
                    .filter_map(|k| p.value(k, j))
                    .collect();
                let lowest = !others.is_empty() && others.iter().all(|o| *o > v);
                let y = y_of(v);
                let above = y - r - 5.0;
                let below = y + r + 4.0 + st.fs * CAP;
                // Kept clear of the tick labels on the left and the edge on the right.
                let s = p.fmt.value(v);
                let half = text::width(&s, st.fs, false) / 2.0;
                let x = x_of(j)
                    .max(plot_left + half + 2.0)
                    .min(st.w - st.edge - half);
                let spot = |y: f64| {
                    Label::new(x, y, s.clone(), st.fs)
                        .anchor(Anchor::Middle)
                        .fill(if p.muted_series(i) {
                            INK_SOFT
                        } else {
                            series_ink(look.color)
                        })
                        .halo()
                        .class("value")
                };
                let spots = if lowest {
                    vec![spot(below), spot(above)]
                } else {
                    vec![spot(above), spot(below)]
                };
                pending.push(ValueLabel {
                    text: s.clone(),
                    spots,
                    series: i,
                    category: j,
                    priority: p.highlight == Highlight::Series(i),
                    own: None,
                });
            }
        }
        settle(&mut sc, pending);
    }

    // End labels, moved apart where lines end close together.
    let items: Vec<(f64, f64)> = ends
        .iter()
        .map(|e| (y_of(e.want), e.lines.len() as f64 * st.lh))
        .collect();
    let centers = dodge(&items, plot_top - st.fs * 0.5, plot_bottom + 2.0, 2.0);
    let x_end = data_right + 10.0;
    for (e, c) in ends.iter().zip(centers) {
        for (segs, y) in e
            .lines
            .iter()
            .zip(block_baselines(c, e.lines.len(), st.lh, st.fs))
        {
            let mut x = x_end;
            for (k, (t, bold)) in segs.iter().enumerate() {
                if k > 0 {
                    x += text::width(" ", st.fs, false);
                }
                sc.labels.push(
                    Label::new(x, y, t.clone(), st.fs)
                        .fill(e.ink)
                        .bold(*bold)
                        .halo()
                        .class("end"),
                );
                x += text::width(t, st.fs, *bold);
            }
        }
    }

    if p.values().next().is_none() {
        sc.labels.push(
            Label::centered(
                (plot_left + data_right) / 2.0,
                (plot_top + plot_bottom) / 2.0,
                p.no_data(),
                st.fs,
            )
            .anchor(Anchor::Middle)
            .fill(INK_SOFT)
            .italic(),
        );
    }

    sc.h = bottom.max(plot_bottom + st.edge).ceil();
    sc
}

/// Line looks: the palette's, or with a highlighted series that series in the theme's
/// first colour and the others in grey, which direct labels and markers still tell apart.
fn line_look(p: &Prep, i: usize) -> Look {
    let look = p.look(i);
    let color = match p.highlight {
        Highlight::Series(h) if h == i => p.color(0),
        Highlight::Series(_) => MUTED,
        _ => look.color,
    };
    Look { color, ..look }
}

fn default_target_label(p: &Prep) -> String {
    match p.spec.lang {
        crate::locale::Lang::Nl => "Streefcijfer".into(),
        crate::locale::Lang::En => "Target".into(),
    }
}

/// The value axis: round ticks over the data and targets. Zero is included for
/// percentages and for data whose minimum is less than half the maximum, so small
/// changes in a share are not blown up into steep slopes.
fn value_axis(p: &Prep, st: &Style) -> Axis {
    let spec = p.spec;
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    let targets = spec.target.iter().map(|t| t.value);
    let cat_targets = (0..p.n()).filter_map(|j| p.category_target(j));
    for v in p.values().chain(targets).chain(cat_targets) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if !lo.is_finite() {
        (lo, hi) = (0.0, 1.0);
    }
    if lo >= 0.0 && (p.fmt.percent || lo < hi / 2.0) {
        lo = 0.0;
    }
    if hi <= 0.0 && hi > lo / 2.0 {
        hi = 0.0;
    }
    Axis::new(
        (lo, hi),
        (spec.y_min, spec.y_max),
        if st.compact { 4 } else { 5 },
        &p.fmt,
    )
}

/// Labels per category and the step between shown labels (1 = all).
fn category_labels(p: &Prep, spacing: f64, size: f64) -> (Vec<Vec<String>>, usize) {
    let spec = p.spec;
    let room = spacing - 8.0;
    let single: Vec<Vec<String>> = spec.categories.iter().map(|c| vec![c.clone()]).collect();
    let widest = spec
        .categories
        .iter()
        .map(|c| text::width(c, size, false))
        .fold(0.0, f64::max);
    if widest <= room || spec.categories.len() == 1 {
        return (single, 1);
    }
    let wrapped = wrap_labels(&spec.categories, room, size, |_| false);
    let fits = wrapped
        .iter()
        .all(|l| l.len() <= 2 && text::max_width(l, size, false) <= room);
    // Only accept wrapping at natural breaks: a hard cut would garble "2016/2017".
    let natural = spec
        .categories
        .iter()
        .all(|c| text::widest_piece(c, size, false) <= room);
    if fits && natural {
        return (wrapped, 1);
    }
    let every = ((widest + 8.0) / spacing).ceil().max(1.0) as usize;
    (single, every)
}

/// Consecutive runs of present values.
fn runs(vals: &[Option<f64>]) -> Vec<Vec<usize>> {
    let mut out: Vec<Vec<usize>> = Vec::new();
    let mut cur: Vec<usize> = Vec::new();
    for (j, v) in vals.iter().enumerate() {
        if v.is_some() {
            cur.push(j);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// "Achterhoek 1,45%" on one line when it fits in `cap`, else the name wrapped with the
/// value on a line of its own.
fn end_lines(name: &str, bold: bool, value: Option<String>, cap: f64, fs: f64) -> Vec<Vec<Seg>> {
    let one: Vec<Seg> = std::iter::once((name.to_string(), bold))
        .chain(value.clone().map(|v| (v, false)))
        .collect();
    if segs_width(&one, fs) <= cap {
        return vec![one];
    }
    let mut lines: Vec<Vec<Seg>> = text::wrap(name, cap, fs, bold)
        .into_iter()
        .map(|l| vec![(l, bold)])
        .collect();
    if let Some(v) = value {
        lines.extend(
            text::wrap(&v, cap, fs, false)
                .into_iter()
                .map(|l| vec![(l, false)]),
        );
    }
    lines
}

fn segs_width(segs: &[Seg], fs: f64) -> f64 {
    let gaps = segs.len().saturating_sub(1) as f64 * text::width(" ", fs, false);
    segs.iter()
        .map(|(t, b)| text::width(t, fs, *b))
        .sum::<f64>()
        + gaps
}
