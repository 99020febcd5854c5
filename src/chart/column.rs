//! Vertical columns, single or grouped, with optional per-category target markers.

use super::color::{ink_on, legible, Rgb, BASELINE, INK, INK_DARK, INK_SOFT, MUTED, WHITE};
use super::layout::{
    legend, place, settle, target_swatch, target_text, unit_title, wrap_labels, Axis, Style,
    Swatch, ValueLabel,
};
use super::scene::{Anchor, Hatch, Label, Scene, Shape};
use super::text::{self, CAP};
use super::{Highlight, Prep};

pub(crate) fn draw(p: &Prep, st: &Style) -> Scene {
    let spec = p.spec;
    let (n, m) = (p.n(), p.m());
    let mut sc = Scene {
        w: st.w,
        ..Scene::default()
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
        items.push((Swatch::Marker { vertical: false }, l.to_string()));
    }
    if !items.is_empty() {
        top += legend(&mut sc, st, &items, top) + 8.0;
    }
    top += unit_title(&mut sc, st, p.axis_title(), top);

    let mut lo: f64 = 0.0;
    let mut hi: f64 = 0.0;
    let targets = spec.target.iter().map(|t| t.value);
    let cat_targets = (0..n).filter_map(|j| p.category_target(j));
    for v in p.values().chain(targets).chain(cat_targets) {
        lo = lo.min(v);
        hi = hi.max(v);
    }
    if lo == hi {
        hi = 1.0;
    }

    // Value labels replace the axis when every one fits over its column.
    let fs = st.fs;
    let label_w = p
        .values()
        .map(|v| text::width(&p.fmt.value(v), fs, false))
        .fold(0.0, f64::max);
    let geo_plain = Geometry::new(st, st.edge, n, m);
    let fits = label_w <= geo_plain.label_room();
    let show_values = spec
        .value_labels
        .unwrap_or(fits && n * m <= if st.compact { 12 } else { 24 });
    let axis = if show_values {
        Axis {
            lo: spec.y_min.unwrap_or(lo),
            hi: spec.y_max.unwrap_or(hi),
            ticks: Vec::new(),
        }
    } else {
        Axis::new(
            (lo, hi),
            (spec.y_min, spec.y_max),
            if st.compact { 4 } else { 5 },
            &p.fmt,
        )
    };
    let plot_left = if show_values {
        st.edge
    } else {
        st.edge + axis.label_width(fs) + 6.0
    };
    let geo = Geometry::new(st, plot_left, n, m);
    let right = st.w - st.edge;

    let plot_top = top + if show_values { st.lh } else { fs * 0.6 };
    let plot_bottom = plot_top + st.plot_h;
    let neg_room = if show_values && axis.lo < 0.0 {
        st.lh
    } else {
        0.0
    };
    let y_of = |v: f64| axis.map(axis.clamp(v), plot_bottom - neg_room, plot_top);
    let y0 = y_of(0.0_f64.clamp(axis.lo, axis.hi));

    axis.draw_y(&mut sc, st, plot_left, right, plot_top, plot_bottom);

    // Category labels, wrapped to the slot; under them each category's target, with the
    // marker drawn small beside it so the number reads as the target, not as the value.
    let room = geo.slot - 6.0;
    let label_top = plot_bottom + 10.0 + fs * CAP;
    let wrapped = wrap_labels(&spec.categories, room, fs, |j| p.is_highlight_category(j));
    let max_lines = wrapped.iter().map(Vec::len).max().unwrap_or(1);
    for (j, lines) in wrapped.into_iter().enumerate() {
        let bold = p.is_highlight_category(j) || p.pinned == Some(j);
        for (k, line) in lines.into_iter().enumerate() {
            sc.labels.push(
                Label::new(geo.center(j), label_top + k as f64 * st.lh, line, fs)
                    .anchor(Anchor::Middle)
                    .bold(bold)
                    .fill(if p.muted_category(j) { INK_SOFT } else { INK })
                    .class("category"),
            );
        }
    }
    let target_row = p.category_target_label().is_some();
    if target_row {
        let base = label_top + max_lines as f64 * st.lh;
        for j in 0..n {
            let Some(t) = p.category_target(j) else {
                continue;
            };
            let s = target_number(p, t);
            let sw = 12.0;
            let w = sw + 4.0 + text::width(&s, fs, false);
            let x = geo.center(j) - w / 2.0;
            target_swatch(&mut sc, x, base - fs * CAP / 2.0, sw, false);
            sc.labels.push(
                Label::new(x + sw + 4.0, base, s, fs)
                    .fill(INK_SOFT)
                    .class("target"),
            );
        }
    }

    for j in 0..n {
        if let Some(t) = p.category_target(j) {
            let (gl, gr) = (geo.bar_left(j, 0), geo.bar_left(j, m - 1) + geo.bar_w);
            let yt = y_of(t);
            sc.targets.push(Shape::line(
                vec![(gl - 4.0, yt), (gr + 4.0, yt)],
                INK_DARK,
                3,
            ));
        }
    }
    let mut pending: Vec<ValueLabel> = Vec::new();
    for j in 0..n {
        let target = p.category_target(j);
        for i in 0..m {
            let x = geo.bar_left(j, i);
            let cx = x + geo.bar_w / 2.0;
            let Some(v) = p.value(i, j) else {
                // Absent, not zero: no bar, and a dash (or the words) where it would stand.
                let words = p.no_data();
                let text = if m == 1 && text::width(words, fs, false) <= geo.slot - 4.0 {
                    words
                } else {
                    "–"
                };
                sc.labels.push(
                    Label::new(cx, y0 - 5.0, text, fs)
                        .anchor(Anchor::Middle)
                        .fill(INK_SOFT)
                        .class("missing"),
                );
                continue;
            };
            let yv = y_of(v);
            let fill = bar_color(p, i, Some(j));
            let hatch = p.look(i).hatch;
            sc.marks.push(Shape::Rect {
                x0: x,
                y0,
                x1: x + geo.bar_w,
                y1: yv,
                fill,
            });
            if hatch > 0 {
                sc.hatches.push(Hatch {
                    x0: x,
                    y0,
                    x1: x + geo.bar_w,
                    y1: yv,
                    kind: hatch,
                });
            }
            if !show_values {
                continue;
            }
            let ink = if p.muted_category(j) || p.muted_series(i) {
                INK_SOFT
            } else {
                INK
            };
            let s = p.fmt.value(v);
            let tw = text::width(&s, fs, false);
            let spot = |y: f64, c: Rgb| {
                Label::new(cx, y, s.clone(), fs)
                    .anchor(Anchor::Middle)
                    .fill(c)
                    .class("value")
            };
            let mut spots = Vec::new();
            let inside_ink = ink_on(fill);
            let inside_ok = hatch == 0
                && legible(inside_ink, fill)
                && tw + 4.0 <= geo.bar_w
                && (yv - y0).abs() >= fs + 10.0;
            if v >= 0.0 {
                spots.push(spot(yv - 5.0, ink));
                if inside_ok {
                    spots.push(spot(yv + 6.0 + fs * CAP, inside_ink));
                }
                // Above a target marker that sits over the column.
                if let Some(t) = target.filter(|t| *t > v) {
                    spots.push(spot(y_of(t) - 6.5, ink));
                }
            } else {
                spots.push(spot(yv + 5.0 + fs * CAP, ink));
                if inside_ok {
                    spots.push(spot(yv - 6.0, inside_ink));
                }
            }
            pending.push(ValueLabel {
                text: s.clone(),
                spots,
                series: i,
                category: j,
                priority: p.is_highlight_category(j) || p.highlight == Highlight::Series(i),
                own: Some((x.min(x + geo.bar_w), x + geo.bar_w, yv.min(y0), yv.max(y0))),
            });
        }
    }

    if axis.lo <= 0.0 && axis.hi >= 0.0 {
        sc.axis
            .push(Shape::line(vec![(plot_left, y0), (right, y0)], BASELINE, 1));
    }

    if let Some(t) = &spec.target {
        let yt = y_of(t.value);
        sc.dashed
            .push(Shape::line(vec![(plot_left, yt), (right, yt)], INK, 2));
        let label = if t.label.trim().is_empty() {
            match spec.lang {
                crate::locale::Lang::Nl => "Streefcijfer",
                crate::locale::Lang::En => "Target",
            }
        } else {
            t.label.as_str()
        };
        let s = target_text(label, t.value, &p.fmt);
        let above = yt - 6.0;
        let below = yt + 6.0 + fs * CAP;
        let spot = |x: f64, y: f64, a: Anchor| {
            Label::new(x, y, s.clone(), fs)
                .anchor(a)
                .halo()
                .class("target")
        };
        // At either end of the line, else over a column that does not reach it.
        let mut spots = vec![
            spot(right, above, Anchor::End),
            spot(right, below, Anchor::End),
            spot(plot_left, above, Anchor::Start),
            spot(plot_left, below, Anchor::Start),
        ];
        for j in (0..n).rev() {
            spots.push(spot(geo.center(j), above, Anchor::Middle));
            spots.push(spot(geo.center(j), below, Anchor::Middle));
        }
        let label = place(&sc, spots);
        sc.labels.push(label);
    }
    settle(&mut sc, pending);

    let lines = max_lines + usize::from(target_row);
    sc.h = (label_top + (lines - 1) as f64 * st.lh + fs * 0.3 + st.edge).ceil();
    sc
}

/// A per-category target as the targets were set: all with the decimals the most precise
/// one needs ("1,0%" beside "26,4%", not "1%").
pub(crate) fn target_number(p: &Prep, t: f64) -> String {
    let decimals = (0..p.n())
        .filter_map(|j| p.category_target(j))
        .map(|v| crate::locale::decimals_needed(v, 2))
        .max()
        .unwrap_or(0);
    p.fmt.with(t, decimals)
}

/// Whether every category label (and its target) fits under its column in at most three
/// lines without cutting a word. When it does not, narrow layouts turn the columns into
/// horizontal bars, where long and many labels have room.
pub(crate) fn labels_fit(p: &Prep, st: &Style) -> bool {
    let geo = Geometry::new(st, st.edge + 30.0, p.n(), p.m());
    let room = geo.slot - 6.0;
    let targets_fit = (0..p.n()).all(|j| {
        p.category_target(j)
            .is_none_or(|t| 16.0 + text::width(&target_number(p, t), st.fs, false) <= room)
    });
    targets_fit
        && p.spec.categories.iter().all(|c| {
            text::widest_piece(c, st.fs, true) <= room
                && text::wrap(c, room, st.fs, true).len() <= 3
        })
}

/// Horizontal placement of slots and bars.
struct Geometry {
    left: f64,
    slot: f64,
    group: f64,
    bar_w: f64,
    inner: f64,
    m: usize,
}

impl Geometry {
    fn new(st: &Style, left: f64, n: usize, m: usize) -> Geometry {
        let slot = (st.w - st.edge - left) / n as f64;
        let inner = if m > 1 { 2.0 } else { 0.0 };
        let share = if m == 1 { 0.64 } else { 0.8 };
        // Very wide single columns look like blocks: cap them as Datawrapper does.
        let max_bar = if st.compact { 44.0 } else { 64.0 };
        let group = (slot * share).min(max_bar * m as f64 + inner * (m - 1) as f64);
        let bar_w = ((group - inner * (m - 1) as f64) / m as f64).max(1.0);
        Geometry {
            left,
            slot,
            group,
            bar_w,
            inner,
            m,
        }
    }

    fn center(&self, j: usize) -> f64 {
        self.left + self.slot * (j as f64 + 0.5)
    }

    fn bar_left(&self, j: usize, i: usize) -> f64 {
        self.center(j) - self.group / 2.0 + i as f64 * (self.bar_w + self.inner)
    }

    /// How wide a value label over one column may be.
    fn label_room(&self) -> f64 {
        if self.m == 1 {
            self.slot - 4.0
        } else {
            self.bar_w + self.inner
        }
    }
}

/// A bar's fill: its series colour; with a highlighted category a single series shows
/// that category in the theme colour and the rest grey, and grouped bars tint the others;
/// with a highlighted series the other series are tinted. Every fill takes a legible label.
pub(crate) fn bar_color(p: &Prep, i: usize, cat: Option<usize>) -> Rgb {
    let tint = |c: Rgb| c.mix(WHITE, 0.55);
    let base = if p.muted_series(i) {
        tint(p.color(i))
    } else {
        p.color(i)
    };
    let c = match (p.highlight, cat) {
        (Highlight::Category(h), Some(j)) if j != h => {
            if p.m() == 1 {
                MUTED
            } else {
                tint(base)
            }
        }
        _ => base,
    };
    readable_tint(c)
}

/// Tints are light, but one could land in the band where neither white nor dark text
/// reads; lighten it out of there (a tint is context, not a mark that needs 3:1).
fn readable_tint(c: Rgb) -> Rgb {
    let mut out = c;
    let mut t = 0.0;
    while !legible(ink_on(out), out) && t < 1.0 {
        t += 0.02;
        out = c.mix(WHITE, t);
    }
    out
}
