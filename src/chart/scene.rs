//! A laid-out chart as plain shapes and labels, and its SVG serialisation.
//!
//! Geometry goes through plotters' SVG backend, one backend per layer so each layer can be
//! a `<g>` carrying shared presentation attributes (crisp gridlines, dashed targets).
//! Text is written here rather than through plotters: its SVG text output divides sizes by
//! 1.24, positions with `em`/`ex` offsets that depend on the renderer, knows no weight
//! between normal and bold, and repeats every style attribute on each element. Our labels
//! are positioned from the same font metrics used to measure them.

use plotters::prelude::{Circle, IntoDrawingArea, PathElement, Polygon, Rectangle, SVGBackend};
use plotters::style::{RGBAColor, ShapeStyle};

use super::color::{MarkerShape, Rgb, INK, WHITE};
use super::text::CAP;

#[derive(Debug, Clone)]
pub(crate) enum Shape {
    /// Corners in any order.
    Rect {
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        fill: Rgb,
    },
    Path {
        pts: Vec<(f64, f64)>,
        stroke: Rgb,
        width: u32,
        /// `stroke-dasharray`, for series told apart by dash.
        dash: Option<&'static str>,
    },
    /// A line marker of radius `r` (half its width).
    Dot {
        x: f64,
        y: f64,
        r: f64,
        fill: Rgb,
        shape: MarkerShape,
    },
}

impl Shape {
    /// A solid line.
    pub(crate) fn line(pts: Vec<(f64, f64)>, stroke: Rgb, width: u32) -> Shape {
        Shape::Path {
            pts,
            stroke,
            width,
            dash: None,
        }
    }

    /// Left, right, top, bottom, including half the stroke.
    pub(crate) fn bbox(&self) -> (f64, f64, f64, f64) {
        match self {
            Shape::Rect { x0, y0, x1, y1, .. } => {
                (x0.min(*x1), x0.max(*x1), y0.min(*y1), y0.max(*y1))
            }
            Shape::Path { pts, width, .. } => {
                let h = f64::from(*width) / 2.0;
                let (mut l, mut r, mut t, mut b) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
                for &(x, y) in pts {
                    l = l.min(x);
                    r = r.max(x);
                    t = t.min(y);
                    b = b.max(y);
                }
                (l - h, r + h, t - h, b + h)
            }
            Shape::Dot { x, y, r, .. } => (x - r, x + r, y - r, y + r),
        }
    }
}

/// Whether two boxes (left, right, top, bottom) overlap.
pub(crate) fn overlaps(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> bool {
    a.0 < b.1 && a.1 > b.0 && a.2 < b.3 && a.3 > b.2
}

/// Hatching over a bar whose colour repeats an earlier series' (more series than colours).
#[derive(Debug, Clone)]
pub(crate) struct Hatch {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
    /// 1: diagonal lines; 2: cross-hatch.
    pub kind: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    Start,
    Middle,
    End,
}

#[derive(Debug, Clone)]
pub(crate) struct Label {
    pub x: f64,
    /// Baseline.
    pub y: f64,
    pub text: String,
    pub size: f64,
    pub bold: bool,
    pub italic: bool,
    pub fill: Rgb,
    pub anchor: Anchor,
    /// A white outline behind the glyphs, for labels that may sit on lines or gridlines.
    pub halo: bool,
    /// What the label is (`value`, `target`, `tick`, `category`, `legend`, …): a class in
    /// the SVG, which tests and themes can select on.
    pub class: &'static str,
}

impl Label {
    pub(crate) fn new(x: f64, y: f64, text: impl Into<String>, size: f64) -> Label {
        Label {
            x,
            y,
            text: text.into(),
            size,
            bold: false,
            italic: false,
            fill: INK,
            anchor: Anchor::Start,
            halo: false,
            class: "",
        }
    }

    /// A label whose line is vertically centred on `y`.
    pub(crate) fn centered(x: f64, y: f64, text: impl Into<String>, size: f64) -> Label {
        Label::new(x, y + size * CAP / 2.0, text, size)
    }

    pub(crate) fn anchor(mut self, a: Anchor) -> Label {
        self.anchor = a;
        self
    }
    pub(crate) fn fill(mut self, c: Rgb) -> Label {
        self.fill = c;
        self
    }
    pub(crate) fn bold(mut self, b: bool) -> Label {
        self.bold = b;
        self
    }
    pub(crate) fn italic(mut self) -> Label {
        self.italic = true;
        self
    }
    pub(crate) fn halo(mut self) -> Label {
        self.halo = true;
        self
    }
    pub(crate) fn class(mut self, c: &'static str) -> Label {
        self.class = c;
        self
    }
}

/// A value the chart has no room to label; the figure's note lists it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Unlabelled {
    pub series: usize,
    pub category: usize,
    pub text: String,
}

/// Layers in paint order.
#[derive(Debug, Default)]
pub(crate) struct Scene {
    pub w: f64,
    pub h: f64,
    /// Gridlines.
    pub grid: Vec<Shape>,
    /// Bars and legend swatches.
    pub marks: Vec<Shape>,
    /// Hatching over bars whose colour repeats.
    pub hatches: Vec<Hatch>,
    /// Zero baseline, drawn over bars so it stays continuous.
    pub axis: Vec<Shape>,
    /// Series lines.
    pub lines: Vec<Shape>,
    /// Per-category target markers (and their legend and label swatches).
    pub targets: Vec<Shape>,
    /// Dashed target lines.
    pub dashed: Vec<Shape>,
    /// Line markers.
    pub dots: Vec<Shape>,
    pub labels: Vec<Label>,
    /// Values left without a label, for the figure's note.
    pub unlabelled: Vec<Unlabelled>,
}

impl Scene {
    /// Boxes of everything a value label must keep clear of: target markers and lines.
    pub(crate) fn target_boxes(&self) -> Vec<(f64, f64, f64, f64)> {
        self.targets
            .iter()
            .chain(&self.dashed)
            .flat_map(|s| match s {
                // A dashed path is boxed per segment: a sloping target path has room
                // above and below it that one box around the whole path would hide.
                Shape::Path {
                    pts, width, stroke, ..
                } if pts.len() > 2 => pts
                    .windows(2)
                    .map(|w| Shape::line(w.to_vec(), *stroke, *width).bbox())
                    .collect::<Vec<_>>(),
                s => vec![s.bbox()],
            })
            .collect()
    }
}

/// Coordinates with at most one decimal and no trailing `.0`: small files, stable output.
pub(crate) fn num(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0 at all.
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn style(c: Rgb, filled: bool, width: u32) -> ShapeStyle {
    ShapeStyle {
        color: RGBAColor(c.0, c.1, c.2, 1.0),
        filled,
        stroke_width: width,
    }
}

fn px(v: f64) -> i32 {
    v.round() as i32
}

/// Draws one layer with plotters and appends it as `<g {attrs}>…</g>`.
fn layer(out: &mut String, scene: &Scene, attrs: &str, shapes: &[Shape]) -> Result<(), String> {
    if shapes.is_empty() {
        return Ok(());
    }
    let size = (scene.w.ceil() as u32, scene.h.ceil() as u32);
    let mut buf = String::with_capacity(shapes.len() * 96);
    {
        let area = SVGBackend::with_string(&mut buf, size).into_drawing_area();
        let err = |e: plotters::drawing::DrawingAreaErrorKind<std::io::Error>| e.to_string();
        for s in shapes {
            match s {
                Shape::Rect {
                    x0,
                    y0,
                    x1,
                    y1,
                    fill,
                } => {
                    let (l, r) = (px(x0.min(*x1)), px(x0.max(*x1)));
                    let (t, b) = (px(y0.min(*y1)), px(y0.max(*y1)));
                    if r > l && b > t {
                        area.draw(&Rectangle::new([(l, t), (r, b)], style(*fill, true, 0)))
                            .map_err(err)?;
                    }
                }
                Shape::Path {
                    pts, stroke, width, ..
                } => {
                    let pts: Vec<(i32, i32)> = pts.iter().map(|&(x, y)| (px(x), px(y))).collect();
                    area.draw(&PathElement::new(pts, style(*stroke, false, *width)))
                        .map_err(err)?;
                }
                Shape::Dot {
                    x,
                    y,
                    r,
                    fill,
                    shape,
                } => {
                    let (x, y, r) = (*x, *y, *r);
                    let fill = style(*fill, true, 0);
                    // Equal areas rather than equal widths, so no shape looks heavier.
                    let poly = |pts: &[(f64, f64)]| -> Vec<(i32, i32)> {
                        pts.iter().map(|&(a, b)| (px(x + a), px(y + b))).collect()
                    };
                    match shape {
                        MarkerShape::Circle => area
                            .draw(&Circle::new((px(x), px(y)), r.round() as i32, fill))
                            .map_err(err)?,
                        MarkerShape::Square => {
                            // Whole pixels on each side, so every square is square.
                            let side = (r * 1.78).round() as i32;
                            let (l, t) = (px(x - r * 0.89), px(y - r * 0.89));
                            area.draw(&Rectangle::new([(l, t), (l + side, t + side)], fill))
                                .map_err(err)?
                        }
                        MarkerShape::Diamond => {
                            let h = r * 1.25;
                            area.draw(&Polygon::new(
                                poly(&[(0.0, -h), (h, 0.0), (0.0, h), (-h, 0.0)]),
                                fill,
                            ))
                            .map_err(err)?
                        }
                        MarkerShape::Triangle | MarkerShape::TriangleDown => {
                            let s = if *shape == MarkerShape::Triangle {
                                1.0
                            } else {
                                -1.0
                            };
                            let h = r * 1.35;
                            area.draw(&Polygon::new(
                                poly(&[
                                    (0.0, -h * s),
                                    (h * 0.95, h * 0.75 * s),
                                    (-h * 0.95, h * 0.75 * s),
                                ]),
                                fill,
                            ))
                            .map_err(err)?
                        }
                    }
                }
            }
        }
        area.present().map_err(err)?;
    }
    // The backend writes its own <svg> root around the shapes; the chart's root (with
    // role, ARIA and viewBox) is ours, so keep only the body.
    let body = buf.split_once('\n').map_or("", |(_, rest)| rest);
    let body = body.trim_end().strip_suffix("</svg>").unwrap_or(body);
    out.push_str("<g");
    out.push_str(attrs);
    out.push_str(">\n");
    out.push_str(body);
    out.push_str("</g>\n");
    Ok(())
}

pub(crate) struct Root<'a> {
    pub class: &'a str,
    pub id: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
    /// Default size of labels; others get their own `font-size`.
    pub font_size: f64,
}

impl Scene {
    pub(crate) fn to_svg(&self, root: &Root) -> Result<String, String> {
        let mut out = String::with_capacity(8192);
        let id = root.id;
        // Drawn at its own size (one unit is one CSS pixel), so chart text has the same
        // size in every chart; the theme shrinks a drawing only in a container narrower
        // than the narrowest layout.
        out.push_str(&format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"{}\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" font-family=\"Inter, system-ui, sans-serif\">\n",
            root.class,
            w = num(self.w),
            h = num(self.h.ceil()),
        ));
        out.push_str(&format!(
            "<title id=\"{id}-title\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>\n",
            escape(root.title),
            escape(root.desc)
        ));
        if !self.hatches.is_empty() {
            // White strokes over the bar's own fill: hatching keeps series apart when
            // there are more series than colours, also in greyscale.
            out.push_str(&format!(
                "<defs><pattern id=\"{id}-hatch-1\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"2\" height=\"6\" fill=\"#fff\"/></pattern><pattern id=\"{id}-hatch-2\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><rect width=\"2\" height=\"2\" fill=\"#fff\"/></pattern></defs>\n"
            ));
        }
        layer(
            &mut out,
            self,
            " class=\"grid\" shape-rendering=\"crispEdges\"",
            &self.grid,
        )?;
        layer(&mut out, self, " class=\"marks\"", &self.marks)?;
        if !self.hatches.is_empty() {
            out.push_str("<g class=\"hatch\" opacity=\"0.7\">\n");
            for h in &self.hatches {
                let (l, r) = (h.x0.min(h.x1), h.x0.max(h.x1));
                let (t, b) = (h.y0.min(h.y1), h.y0.max(h.y1));
                out.push_str(&format!(
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"url(#{id}-hatch-{})\"/>\n",
                    num(l),
                    num(t),
                    num(r - l),
                    num(b - t),
                    h.kind
                ));
            }
            out.push_str("</g>\n");
        }
        layer(
            &mut out,
            self,
            " class=\"axis\" shape-rendering=\"crispEdges\"",
            &self.axis,
        )?;
        // One group per run of equally dashed lines, keeping the paint order (highlighted
        // series last, on top).
        let mut start = 0;
        while start < self.lines.len() {
            let dash = |s: &Shape| match s {
                Shape::Path { dash, .. } => *dash,
                _ => None,
            };
            let d = dash(&self.lines[start]);
            let end = (start..self.lines.len())
                .find(|&k| dash(&self.lines[k]) != d)
                .unwrap_or(self.lines.len());
            let attrs = match d {
                None => " class=\"lines\" stroke-linejoin=\"round\" stroke-linecap=\"round\""
                    .to_string(),
                Some(d) => {
                    format!(" class=\"lines\" stroke-linejoin=\"round\" stroke-dasharray=\"{d}\"")
                }
            };
            layer(&mut out, self, &attrs, &self.lines[start..end])?;
            start = end;
        }
        layer(
            &mut out,
            self,
            " class=\"target-marks\" stroke-linecap=\"butt\"",
            &self.targets,
        )?;
        // Presentation attributes inherit, so one dasharray on the group dashes every
        // target line plotters draws inside it.
        layer(
            &mut out,
            self,
            " class=\"target\" stroke-dasharray=\"6 4\"",
            &self.dashed,
        )?;
        layer(&mut out, self, " class=\"dots\"", &self.dots)?;
        self.write_labels(&mut out, root.font_size);
        out.push_str("</svg>\n");
        Ok(out)
    }

    fn write_labels(&self, out: &mut String, default_size: f64) {
        if self.labels.is_empty() {
            return;
        }
        out.push_str(&format!(
            "<g class=\"labels\" font-size=\"{}\" fill=\"{}\">\n",
            num(default_size),
            INK.hex()
        ));
        for l in &self.labels {
            if l.text.is_empty() {
                continue;
            }
            out.push_str(&format!("<text x=\"{}\" y=\"{}\"", num(l.x), num(l.y)));
            if !l.class.is_empty() {
                out.push_str(&format!(" class=\"{}\"", l.class));
            }
            match l.anchor {
                Anchor::Start => {}
                Anchor::Middle => out.push_str(" text-anchor=\"middle\""),
                Anchor::End => out.push_str(" text-anchor=\"end\""),
            }
            if (l.size - default_size).abs() > 0.01 {
                out.push_str(&format!(" font-size=\"{}\"", num(l.size)));
            }
            if l.bold {
                out.push_str(" font-weight=\"600\"");
            }
            if l.italic {
                out.push_str(" font-style=\"italic\"");
            }
            if l.fill != INK {
                out.push_str(&format!(" fill=\"{}\"", l.fill.hex()));
            }
            if l.halo {
                out.push_str(&format!(
                    " stroke=\"{}\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"",
                    WHITE.hex()
                ));
            }
            out.push('>');
            out.push_str(&escape(&l.text));
            out.push_str("</text>\n");
        }
        out.push_str("</g>\n");
    }
}
