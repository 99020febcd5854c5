//! Pieces every chart layout shares: sizes per layout, the legend, label dodging, the
//! value axis.

use super::color::{Look, Rgb, GRID, INK, INK_DARK, INK_SOFT, WHITE};
use super::scale::{nice_ticks, Fmt};
use super::scene::{overlaps, Anchor, Hatch, Label, Scene, Shape, Unlabelled};
use super::text::{self, CAP};
use super::Layout;

/// Sizes of one layout, in SVG user units (CSS pixels: drawings are shown at their size).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    pub w: f64,
    /// The phone layout: fewer ticks, tighter rows, labels above bars when long.
    pub compact: bool,
    /// Columns whose labels do not fit under them become horizontal bars.
    pub bars_when_crowded: bool,
    /// All chart text: labels, ticks, legend, values ([`super::TEXT_PX`]).
    pub fs: f64,
    /// Line height of chart text.
    pub lh: f64,
    /// Room kept free at the edges so halos and strokes are not cut off.
    pub edge: f64,
    /// Height of the plot area of line and column charts.
    pub plot_h: f64,
}

impl Style {
    pub(crate) fn new(layout: Layout) -> Style {
        let fs = super::TEXT_PX;
        let lh = (fs * 1.3).round();
        match layout {
            Layout::Compact => Style {
                w: super::COMPACT_WIDTH,
                compact: true,
                bars_when_crowded: true,
                fs,
                lh,
                edge: 2.0,
                plot_h: 190.0,
            },
            Layout::Medium => Style {
                w: super::MEDIUM_WIDTH,
                compact: false,
                bars_when_crowded: true,
                fs,
                lh,
                edge: 2.0,
                plot_h: 220.0,
            },
            Layout::Wide => Style {
                w: super::WIDE_WIDTH,
                compact: false,
                bars_when_crowded: false,
                fs,
                lh,
                edge: 2.0,
                plot_h: 250.0,
            },
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Swatch {
    /// A filled square, for bars and segments (hatched when the colour repeats).
    Block(Rgb, u8),
    /// A short line with its marker and dash, for line series.
    Line(Look, bool),
    /// The per-category target marker: across columns (horizontal) or across bars.
    Marker { vertical: bool },
}

/// Writes the value axis's unit (`%`, `aantal`) above the plot, when the chart has one;
/// returns the height used.
pub(crate) fn unit_title(sc: &mut Scene, st: &Style, unit: Option<&str>, top: f64) -> f64 {
    let Some(unit) = unit else { return 0.0 };
    sc.labels.push(
        Label::new(st.edge, top + st.fs * CAP, unit, st.fs)
            .fill(INK_SOFT)
            .class("unit"),
    );
    st.lh + 2.0
}

/// Lays out legend entries in rows from the left edge, starting at `top`; returns the
/// height used.
pub(crate) fn legend(sc: &mut Scene, st: &Style, items: &[(Swatch, String)], top: f64) -> f64 {
    if items.is_empty() {
        return 0.0;
    }
    let gap = if st.compact { 14.0 } else { 18.0 };
    let sw = st.fs * 0.85;
    let max_text = st.w - 2.0 * st.edge - sw * 2.0 - 6.0;
    let mut x = st.edge;
    let mut row_top = top;
    for (swatch, name) in items {
        let lines = text::wrap(name, max_text, st.fs, false);
        let tw = text::max_width(&lines, st.fs, false);
        let sww = match swatch {
            Swatch::Block(..) => sw,
            Swatch::Marker { vertical: true } => sw * 0.6,
            Swatch::Line(..) => sw * 2.0,
            Swatch::Marker { .. } => sw * 1.6,
        };
        let item_w = sww + 6.0 + tw;
        if x > st.edge && x + item_w > st.w - st.edge {
            x = st.edge;
            row_top += st.lh;
        }
        let cy = row_top + st.lh / 2.0;
        match swatch {
            Swatch::Block(c, hatch) => {
                sc.marks.push(Shape::Rect {
                    x0: x,
                    y0: cy - sw / 2.0,
                    x1: x + sw,
                    y1: cy + sw / 2.0,
                    fill: *c,
                });
                if *hatch > 0 {
                    sc.hatches.push(Hatch {
                        x0: x,
                        y0: cy - sw / 2.0,
                        x1: x + sw,
                        y1: cy + sw / 2.0,
                        kind: *hatch,
                    });
                }
            }
            Swatch::Line(look, marker) => {
                sc.lines.push(Shape::Path {
                    pts: vec![(x, cy), (x + sww, cy)],
                    stroke: look.color,
                    width: 3,
                    dash: look.dash,
                });
                if *marker {
                    dot(sc, x + sww / 2.0, cy, 3.5, *look);
                }
            }
            Swatch::Marker { vertical } => target_swatch(sc, x, cy, sww, *vertical),
        }
        for (i, line) in lines.iter().enumerate() {
            sc.labels.push(
                Label::centered(x + sww + 6.0, cy + i as f64 * st.lh, line.clone(), st.fs)
                    .class("legend"),
            );
        }
        row_top += (lines.len() - 1) as f64 * st.lh;
        x += item_w + gap;
    }
    row_top + st.lh - top
}

/// The per-category target marker in small, `w` wide from `x`, centred on `cy`.
pub(crate) fn target_swatch(sc: &mut Scene, x: f64, cy: f64, w: f64, vertical: bool) {
    let pts = if vertical {
        vec![(x + w / 2.0, cy - 6.0), (x + w / 2.0, cy + 6.0)]
    } else {
        vec![(x + 1.0, cy), (x + w - 1.0, cy)]
    };
    sc.targets.push(Shape::line(pts, INK_DARK, 3));
}

/// A line marker with a white ring, so it stands out where lines cross.
pub(crate) fn dot(sc: &mut Scene, x: f64, y: f64, r: f64, look: Look) {
    sc.dots.push(Shape::Dot {
        x,
        y,
        r: r + 1.5,
        fill: WHITE,
        shape: look.marker,
    });
    sc.dots.push(Shape::Dot {
        x,
        y,
        r,
        fill: look.color,
        shape: look.marker,
    });
}

/// A value label that may be moved to another spot, or left out (and listed in the note)
/// when every spot collides with a target, a reference line, a bar or another label.
pub(crate) struct ValueLabel {
    /// The value as written, for the note when it cannot be placed.
    pub text: String,
    /// Spots in order of preference.
    pub spots: Vec<Label>,
    pub series: usize,
    pub category: usize,
    /// Drawn first, so the highlighted series keeps its labels.
    pub priority: bool,
    /// The bar this value belongs to: its spots may lie on it.
    pub own: Option<(f64, f64, f64, f64)>,
}

/// Places value labels by rule: each at its first spot that stays inside the drawing and
/// clear of targets, reference lines, other bars and every label placed before it.
/// Labels with no such spot are recorded in `sc.unlabelled`, never dropped silently.
pub(crate) fn settle(sc: &mut Scene, mut pending: Vec<ValueLabel>) {
    pending.sort_by_key(|v| !v.priority);
    let targets = sc.target_boxes();
    // Bars and placed labels in horizontal bands, so that each candidate spot is checked
    // against its neighbours only: a chart of thousands of bars stays linear.
    let mut bars = Bands::default();
    for s in sc.marks.iter().filter(|s| matches!(s, Shape::Rect { .. })) {
        bars.insert(s.bbox());
    }
    let mut placed = Bands::default();
    for l in sc.labels.iter().filter(|l| !l.text.is_empty()) {
        placed.insert(bbox(l));
    }
    for v in pending {
        let clear = |b: (f64, f64, f64, f64)| {
            b.0 >= 0.0
                && b.1 <= sc.w
                && !targets.iter().any(|t| overlaps(b, *t))
                && !bars.any_near(b, |r| {
                    let own = v.own.is_some_and(|o| {
                        (o.0 - r.0).abs() < 0.01
                            && (o.2 - r.2).abs() < 0.01
                            && (o.1 - r.1).abs() < 0.01
                    });
                    !own && overlaps(b, shrink(r))
                })
                && !placed.any_near(b, |o| overlaps(b, o))
        };
        match v.spots.iter().find(|l| clear(bbox(l))) {
            Some(l) => {
                if !l.text.is_empty() {
                    placed.insert(bbox(l));
                }
                sc.labels.push(l.clone());
            }
            None => sc.unlabelled.push(Unlabelled {
                series: v.series,
                category: v.category,
                text: v.text,
            }),
        }
    }
}

/// Boxes `(x0, x1, y0, y1)` filed under every 16 px band of height they cover.
#[derive(Default)]
struct Bands {
    boxes: Vec<(f64, f64, f64, f64)>,
    bands: std::collections::HashMap<i64, Vec<usize>>,
}

impl Bands {
    const BAND: f64 = 16.0;

    fn span(b: (f64, f64, f64, f64)) -> std::ops::RangeInclusive<i64> {
        let (lo, hi) = (b.2.min(b.3), b.2.max(b.3));
        (lo / Self::BAND).floor() as i64..=(hi / Self::BAND).floor() as i64
    }

    fn insert(&mut self, b: (f64, f64, f64, f64)) {
        let i = self.boxes.len();
        self.boxes.push(b);
        for band in Self::span(b) {
            self.bands.entry(band).or_default().push(i);
        }
    }

    /// Whether `test` holds for a box in the bands `b` covers.
    fn any_near(
        &self,
        b: (f64, f64, f64, f64),
        test: impl Fn((f64, f64, f64, f64)) -> bool,
    ) -> bool {
        Self::span(b).any(|band| {
            self.bands
                .get(&band)
                .is_some_and(|ids| ids.iter().any(|&i| test(self.boxes[i])))
        })
    }
}

/// A bar's box less a hairline, so a label touching its edge does not count as on it.
fn shrink(r: (f64, f64, f64, f64)) -> (f64, f64, f64, f64) {
    (r.0 + 0.5, r.1 - 0.5, r.2 + 0.5, r.3 - 0.5)
}

/// Moves labels apart vertically so none overlap, each as close as possible to where it
/// wants to be, all within `[lo, hi]`. `items` are (desired centre, height); returns the
/// centres. Labels keep their order, so a label stays next to its own line.
pub(crate) fn dodge(items: &[(f64, f64)], lo: f64, hi: f64, gap: f64) -> Vec<f64> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| items[a].0.total_cmp(&items[b].0).then(a.cmp(&b)));
    // Each cluster: members (in order), top, total height.
    struct Cluster {
        members: Vec<usize>,
        top: f64,
        height: f64,
    }
    let place = |c: &mut Cluster| {
        let mut offset = 0.0;
        let mut sum = 0.0;
        for &i in &c.members {
            let (want, h) = items[i];
            sum += want - offset - h / 2.0;
            offset += h + gap;
        }
        c.height = offset - gap;
        let ideal = sum / c.members.len() as f64;
        c.top = ideal.min(hi - c.height).max(lo);
    };
    let mut clusters: Vec<Cluster> = Vec::new();
    for i in order {
        let mut c = Cluster {
            members: vec![i],
            top: 0.0,
            height: 0.0,
        };
        place(&mut c);
        while let Some(prev) = clusters.last() {
            if prev.top + prev.height + gap > c.top {
                let mut prev = clusters.pop().expect("checked above");
                prev.members.extend(c.members);
                place(&mut prev);
                c = prev;
            } else {
                break;
            }
        }
        clusters.push(c);
    }
    let mut out = vec![0.0; items.len()];
    for c in clusters {
        let mut y = c.top;
        for i in c.members {
            out[i] = y + items[i].1 / 2.0;
            y += items[i].1 + gap;
        }
    }
    out
}

/// A value axis: domain and ticks, with the tick labels already formatted.
#[derive(Debug, Clone)]
pub(crate) struct Axis {
    pub lo: f64,
    pub hi: f64,
    pub ticks: Vec<(f64, String)>,
}

impl Axis {
    /// `data` is the data range (already including zero where the chart needs it);
    /// `fixed` are the user's `y_min`/`y_max`, which win over round ticks.
    pub(crate) fn new(
        data: (f64, f64),
        fixed: (Option<f64>, Option<f64>),
        count: usize,
        fmt: &Fmt,
    ) -> Axis {
        let lo = fixed.0.unwrap_or(data.0);
        let hi = fixed.1.unwrap_or(data.1);
        let (ticks, dec) = nice_ticks(lo, hi, count);
        let lo = fixed.0.unwrap_or(ticks[0]);
        let hi = fixed.1.unwrap_or(ticks[ticks.len() - 1]);
        let ticks = ticks
            .into_iter()
            .filter(|t| *t >= lo - 1e-9 && *t <= hi + 1e-9)
            .map(|t| (t, fmt.tick(t, dec)))
            .collect();
        Axis { lo, hi, ticks }
    }

    /// Values outside a fixed `y_min`/`y_max` are cut at the edge of the plot rather than
    /// drawn over the legend or the labels.
    pub(crate) fn clamp(&self, v: f64) -> f64 {
        v.clamp(self.lo.min(self.hi), self.hi.max(self.lo))
    }

    /// Maps a value onto `[a, b]` (a is where `lo` goes).
    pub(crate) fn map(&self, v: f64, a: f64, b: f64) -> f64 {
        if self.hi == self.lo {
            return a;
        }
        a + (v - self.lo) / (self.hi - self.lo) * (b - a)
    }

    pub(crate) fn label_width(&self, size: f64) -> f64 {
        self.ticks
            .iter()
            .map(|(_, s)| text::width(s, size, false))
            .fold(0.0, f64::max)
    }

    /// Horizontal gridlines from `x0` to `x1` with right-aligned tick labels left of `x0`.
    /// A zero tick is left to the caller, which draws it as the baseline.
    pub(crate) fn draw_y(
        &self,
        sc: &mut Scene,
        st: &Style,
        x0: f64,
        x1: f64,
        top: f64,
        bottom: f64,
    ) {
        for (v, s) in &self.ticks {
            let y = self.map(*v, bottom, top);
            if *v != 0.0 {
                sc.grid.push(Shape::line(vec![(x0, y), (x1, y)], GRID, 1));
            }
            sc.labels.push(
                Label::centered(x0 - 6.0, y, s.clone(), st.fs)
                    .anchor(Anchor::End)
                    .fill(INK_SOFT)
                    .class("tick"),
            );
        }
    }

    /// Vertical gridlines from `top` to `bottom` with tick labels below.
    pub(crate) fn draw_x(
        &self,
        sc: &mut Scene,
        st: &Style,
        left: f64,
        right: f64,
        top: f64,
        bottom: f64,
    ) {
        for (v, s) in &self.ticks {
            let x = self.map(*v, left, right);
            if *v != 0.0 {
                sc.grid
                    .push(Shape::line(vec![(x, top), (x, bottom)], GRID, 1));
            }
            sc.labels.push(
                Label::new(x, bottom + 6.0 + st.fs * CAP, s.clone(), st.fs)
                    .anchor(Anchor::Middle)
                    .fill(INK_SOFT)
                    .class("tick"),
            );
        }
    }
}

/// Wraps category labels to `room`. Labels of one shape (school years, "mbo-1".."mbo-4")
/// break alike: with proportional digits "2016/2017" may just fit where "2019/2020" does
/// not, and a row of half-wrapped years looks broken.
pub(crate) fn wrap_labels(
    labels: &[String],
    room: f64,
    size: f64,
    bold: impl Fn(usize) -> bool,
) -> Vec<Vec<String>> {
    let wrap_all = |room: f64| -> Vec<Vec<String>> {
        labels
            .iter()
            .enumerate()
            .map(|(j, c)| text::wrap(c, room, size, bold(j)))
            .collect()
    };
    let out = wrap_all(room);
    let same_shape = labels
        .iter()
        .all(|c| text::piece_count(c) == text::piece_count(&labels[0]));
    if same_shape && out.iter().any(|l| l.len() > 1) && out.iter().any(|l| l.len() == 1) {
        let tight = out
            .iter()
            .filter(|l| l.len() > 1)
            .map(|l| text::max_width(l, size, true))
            .fold(0.0, f64::max);
        return wrap_all(tight + 0.01);
    }
    out
}

/// The first of `candidates` that overlaps no bar, no target marker and no label already
/// placed (or the first, when all do): for labels such as a target's, which have several
/// good spots.
pub(crate) fn place(sc: &Scene, candidates: Vec<Label>) -> Label {
    let markers: Vec<_> = sc.targets.iter().map(Shape::bbox).collect();
    let hit = |l: &Label| {
        let (x0, x1, y0, y1) = bbox(l);
        if markers.iter().any(|m| overlaps((x0, x1, y0, y1), *m)) {
            return true;
        }
        let rect_hit = sc.marks.iter().any(|s| match s {
            Shape::Rect {
                x0: a,
                y0: b,
                x1: c,
                y1: d,
                ..
            } => x0 < a.max(*c) && x1 > a.min(*c) && y0 < b.max(*d) && y1 > b.min(*d),
            _ => false,
        });
        let label_hit = sc.labels.iter().any(|o| {
            let (a, c, b, d) = bbox(o);
            x0 < c && x1 > a && y0 < d && y1 > b
        });
        rect_hit || label_hit
    };
    let first = candidates[0].clone();
    candidates.into_iter().find(|l| !hit(l)).unwrap_or(first)
}

/// Left, right, top, bottom of a one-line label.
pub(crate) fn bbox(l: &Label) -> (f64, f64, f64, f64) {
    let w = text::width(&l.text, l.size, l.bold);
    let x0 = match l.anchor {
        Anchor::Start => l.x,
        Anchor::Middle => l.x - w / 2.0,
        Anchor::End => l.x - w,
    };
    (
        x0 - 2.0,
        x0 + w + 2.0,
        l.y - l.size * CAP - 2.0,
        l.y + l.size * 0.25,
    )
}

/// Lines of a multi-line label block, each line's baseline given the block's centre.
pub(crate) fn block_baselines(center: f64, lines: usize, lh: f64, size: f64) -> Vec<f64> {
    let first = center - (lines as f64 - 1.0) * lh / 2.0 + size * CAP / 2.0;
    (0..lines).map(|i| first + i as f64 * lh).collect()
}

/// A short label naming a target: "Streefcijfer 1,4%".
pub(crate) fn target_text(label: &str, value: f64, fmt: &Fmt) -> String {
    // A target reads as it was set ("1,4%"), not padded to the data's decimals ("1,40%").
    let v = fmt.with(value, crate::locale::decimals_needed(value, 2));
    if label.trim().is_empty() {
        v
    } else {
        format!("{} {v}", label.trim())
    }
}

/// The ink for a label in a series' colour, or plain ink when that colour is too light.
pub(crate) fn series_ink(c: Rgb) -> Rgb {
    let t = super::color::text_on_white(c);
    if t == c {
        c
    } else if super::color::contrast(t, super::color::WHITE) >= 4.5 {
        t
    } else {
        INK
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dodge_separates_and_keeps_order() {
        let out = dodge(
            &[(100.0, 16.0), (102.0, 16.0), (300.0, 16.0)],
            0.0,
            400.0,
            2.0,
        );
        assert!(out[1] - out[0] >= 18.0 - 1e-9);
        assert!((out[0] + out[1]) / 2.0 - 101.0 < 1e-6);
        assert_eq!(out[2], 300.0);
        // Clamped at the bottom.
        let out = dodge(&[(395.0, 16.0), (396.0, 16.0)], 0.0, 400.0, 2.0);
        assert!(out[1] + 8.0 <= 400.0 + 1e-9);
        assert!(out[1] - out[0] >= 18.0 - 1e-9);
    }
}
