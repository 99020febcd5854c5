//! Vertical columns, single or grouped, with optional per-category target markers.

use super::color::{Rgb, BASELINE, INK, INK_DARK, INK_SOFT, MUTED, WHITE};
use super::layout::{legend, place, target_text, wrap_labels, Axis, Style, Swatch};
use super::scene::{Anchor, Label, Scene, Shape};
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
            items.push((Swatch::Block(bar_color(p, i, None)), s.name.clone()));
        }
    }
    if let Some(l) = p.category_target_label() {
        items.push((Swatch::Marker, l.to_string()));
    }
    if !items.is_empty() {
        top += legend(&mut sc, st, &items, top) + 8.0;
    }
    if let Some(unit) = p.axis_title() {
        sc.labels
            .push(Label::new(st.edge, top + st.fs_small * CAP, unit, st.fs_small).fill(INK_SOFT));
        top += st.lh_small() + 2.0;
    }

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
    let fs_v = st.fs_small;
    let label_w = p
        .values()
        .map(|v| text::width(&p.fmt.value(v), fs_v, false))
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
        st.edge + axis.label_width(st.fs_small) + 6.0
    };
    let geo = Geometry::new(st, plot_left, n, m);
    let right = st.w - st.edge;

    let lh_v = st.lh_small();
    let plot_top = top + if show_values { lh_v } else { st.fs_small * 0.6 };
    let plot_bottom = plot_top + st.plot_h;
    let neg_room = if show_values && axis.lo < 0.0 {
        lh_v
    } else {
        0.0
    };
    let y_of = |v: f64| axis.map(axis.clamp(v), plot_bottom - neg_room, plot_top);
    let y0 = y_of(0.0_f64.clamp(axis.lo, axis.hi));

    axis.draw_y(&mut sc, st, plot_left, right, plot_top, plot_bottom);

    // Category labels, wrapped to the slot.
    let room = geo.slot - 6.0;
    let label_top = plot_bottom + 10.0 + st.fs * CAP;
    let wrapped = wrap_labels(&spec.categories, room, st.fs, |j| {
        p.is_highlight_category(j)
    });
    let mut max_lines = 1;
    for (j, lines) in wrapped.into_iter().enumerate() {
        let bold = p.is_highlight_category(j);
        max_lines = max_lines.max(lines.len());
        for (k, line) in lines.into_iter().enumerate() {
            sc.labels.push(
                Label::new(geo.center(j), label_top + k as f64 * st.lh, line, st.fs)
                    .anchor(Anchor::Middle)
                    .bold(bold)
                    .fill(if p.muted_category(j) { INK_SOFT } else { INK }),
            );
        }
    }

    for j in 0..n {
        let target = p.category_target(j);
        let (gl, gr) = (geo.bar_left(j, 0), geo.bar_left(j, m - 1) + geo.bar_w);
        if let Some(t) = target {
            let yt = y_of(t);
            sc.lines.push(Shape::Path {
                pts: vec![(gl - 4.0, yt), (gr + 4.0, yt)],
                stroke: INK_DARK,
                width: 3,
            });
        }
        for i in 0..m {
            let x = geo.bar_left(j, i);
            let cx = x + geo.bar_w / 2.0;
            let Some(v) = p.value(i, j) else {
                // Absent, not zero: no bar, and a dash (or the words) where it would stand.
                let words = p.no_data();
                let text = if m == 1 && text::width(words, fs_v, false) <= geo.slot - 4.0 {
                    words
                } else {
                    "–"
                };
                sc.labels.push(
                    Label::new(cx, y0 - 5.0, text, fs_v)
                        .anchor(Anchor::Middle)
                        .fill(INK_SOFT),
                );
                continue;
            };
            let yv = y_of(v);
            sc.marks.push(Shape::Rect {
                x0: x,
                y0,
                x1: x + geo.bar_w,
                y1: yv,
                fill: bar_color(p, i, Some(j)),
            });
            if show_values {
                let ink = if p.muted_category(j) || p.muted_series(i) {
                    INK_SOFT
                } else {
                    INK
                };
                let base = if v >= 0.0 {
                    // Above the bar, and above its target marker when that sits higher.
                    let above =
                        target.map_or(yv, |t| if t >= v { yv.min(y_of(t) - 1.5) } else { yv });
                    above - 5.0
                } else {
                    yv + 5.0 + fs_v * CAP
                };
                sc.labels.push(
                    Label::new(cx, base, p.fmt.value(v), fs_v)
                        .anchor(Anchor::Middle)
                        .fill(ink),
                );
            }
        }
    }

    if axis.lo <= 0.0 && axis.hi >= 0.0 {
        sc.axis.push(Shape::Path {
            pts: vec![(plot_left, y0), (right, y0)],
            stroke: BASELINE,
            width: 1,
        });
    }

    if let Some(t) = &spec.target {
        let yt = y_of(t.value);
        sc.dashed.push(Shape::Path {
            pts: vec![(plot_left, yt), (right, yt)],
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
        let s = target_text(label, t.value, &p.fmt);
        let above = yt - 6.0;
        let below = yt + 6.0 + st.fs_small * CAP;
        let spot =
            |x: f64, y: f64, a: Anchor| Label::new(x, y, s.clone(), st.fs_small).anchor(a).halo();
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

    sc.h = (label_top + (max_lines - 1) as f64 * st.lh + st.fs * 0.3 + st.edge).ceil();
    sc
}

/// Whether every category label fits under its column in at most three lines without
/// cutting a word. When it does not, the compact layout turns the columns into horizontal
/// bars, where long and many labels have room.
pub(crate) fn labels_fit(p: &Prep, st: &Style) -> bool {
    let geo = Geometry::new(st, st.edge + 30.0, p.n(), p.m());
    let room = geo.slot - 6.0;
    p.spec.categories.iter().all(|c| {
        text::widest_piece(c, st.fs, true) <= room && text::wrap(c, room, st.fs, true).len() <= 3
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
/// with a highlighted series the other series are tinted.
pub(crate) fn bar_color(p: &Prep, i: usize, cat: Option<usize>) -> Rgb {
    let tint = |c: Rgb| c.mix(WHITE, 0.55);
    let base = if p.muted_series(i) {
        tint(p.color(i))
    } else {
        p.color(i)
    };
    match (p.highlight, cat) {
        (Highlight::Category(h), Some(j)) if j != h => {
            if p.m() == 1 {
                MUTED
            } else {
                tint(base)
            }
        }
        _ => base,
    }
}
