//! Charts as SVG: a [`ChartSpec`] (categories, series, options) in, an accessible SVG out.
//!
//! [`render_svg`] returns three sibling `<svg>` elements, laid out for three widths of the
//! container: phones (`chart-compact`, [`COMPACT_WIDTH`] units), half a desktop page or a
//! small tablet (`chart-medium`, [`MEDIUM_WIDTH`]) and a text column and print
//! (`chart-wide`, [`WIDE_WIDTH`]). Each is drawn at its own size, one unit to one CSS
//! pixel, so chart text is [`TEXT_PX`] pixels everywhere instead of growing and shrinking
//! with the box the drawing is scaled into. The theme shows one of the three with
//! the chart rules of its stylesheet (`.chart-frame` container queries in the default
//! theme's `bundel.css`); the hidden ones are `display: none` and so also hidden from screen
//! readers. [`render_svg_layout`] gives one standalone layout (downloads, PDF).
//!
//! Labels are placed by rule: a value label goes where it fits and stays clear of targets,
//! reference lines and other labels; one that cannot is listed in [`Rendered::notes`]
//! instead. Text inside a bar is white or dark, whichever passes 4.5:1 on it, and palette
//! colours are adjusted so one always does.
//!
//! Both are self-describing: `role="img"`, a `<title>` and a `<desc>` (generated from the
//! data when the spec has none), all text as real `<text>` in Inter, numbers formatted for
//! the spec's language. Output is deterministic: the same spec gives the same bytes.

mod color;
mod column;
mod layout;
mod line;
mod row;
mod scale;
mod scene;
#[cfg(test)]
mod tests;
mod text;

use crate::locale::{decimals_needed, Lang};
use color::{Look, Rgb};
use layout::Style;
use scale::Fmt;
use scene::{Root, Scene};

/// What kind of chart to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChartKind {
    /// Lines over ordered categories (school years). Direct labels at the line ends for up
    /// to five series, a legend above that.
    #[default]
    Line,
    /// Vertical columns. With more than one series this draws grouped columns. When the
    /// category labels cannot fit under the columns on a phone, the compact layout draws
    /// horizontal bars instead.
    Bar,
    /// Horizontal bars, for long category names (reasons, institutions, regions).
    HBar,
    /// Grouped vertical columns, one colour per series, with a legend (horizontal on
    /// phones when crowded, as for `Bar`).
    Grouped,
    /// Stacked horizontal bars: segments per series add up to the category total;
    /// negative values stack leftwards from zero.
    Stacked,
    /// Horizontal bars each showing shares that add up to 100%. Values may be counts or
    /// percentages; each category is scaled to its own total. Negative values are an error.
    Stacked100,
}

/// One row of values, one per category.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Series {
    pub name: String,
    /// One value per category; `None` is missing data, drawn as a gap or an absent bar,
    /// never as zero.
    pub values: Vec<Option<f64>>,
}

/// A single target value (streefcijfer), drawn as a dashed line labelled
/// "`label` `value`", e.g. "Streefcijfer 1,4%". Give the label without the number.
#[derive(Debug, Clone, PartialEq)]
pub struct TargetLine {
    pub value: f64,
    pub label: String,
}

/// Everything needed to draw one chart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ChartSpec {
    pub kind: ChartKind,
    /// Unique per page; must start with a letter and contain only letters, digits, `-`
    /// and `_`. Every id inside the SVG starts with it (`fig-vsv-wide-title`).
    pub id: String,
    /// Becomes the SVG `<title>` (the visible caption is the caller's `<figure>`).
    pub title: String,
    /// Becomes the SVG `<desc>`; when empty a summary of the data is generated in `lang`.
    pub description: String,
    /// The x values of line and column charts, the rows of bar charts.
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    /// `"%"`: values are numbers of percent (1.4 is 1,4%) and labels carry the sign. Any
    /// other unit is shown once as an axis title ("leerlingen"), not on every number.
    pub unit: Option<String>,
    /// Decimals of value labels; `None` takes the most any value needs (at most 2).
    pub decimals: Option<usize>,
    /// Fixed ends of the value axis; otherwise round ticks around the data (bars always
    /// include zero; lines include zero for percentages and for data not far from it).
    /// Values beyond them are cut off at the plot edge. For horizontal bars they fix the
    /// value (x) axis.
    pub y_min: Option<f64>,
    pub y_max: Option<f64>,
    /// One dashed target line across the chart.
    pub target: Option<TargetLine>,
    /// A target per category (label, one value per category): a short dark marker across
    /// each bar, or a dashed target path in line charts, with a legend entry.
    pub category_targets: Option<(String, Vec<Option<f64>>)>,
    /// `None` decides per chart: bars show values when the labels fit; line charts show
    /// the last value at the line end. `Some(true)` also labels every line point;
    /// `Some(false)` shows no values.
    pub value_labels: Option<bool>,
    /// A series name or category to emphasise (the own region); the rest is muted.
    pub highlight: Option<String>,
    /// A category that is always labelled on the category axis, in bold (a generated
    /// page's own period on its trend chart), however few labels there is room for.
    pub pinned_category: Option<String>,
    /// CSS colours (`#rrggbb`, `#rgb`, `rgb(r,g,b)`), one per series in order; empty uses a
    /// colour-blind-safe default derived from Okabe–Ito.
    pub palette: Vec<String>,
    pub lang: Lang,
}

/// One of the layouts [`render_svg`] produces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Layout {
    /// For containers narrower than [`MEDIUM_WIDTH`] (phones).
    Compact,
    /// For containers from [`MEDIUM_WIDTH`] to [`WIDE_WIDTH`] (a factsheet's half page).
    Medium,
    /// For containers from [`WIDE_WIDTH`] (a text column), and print.
    Wide,
}

impl Layout {
    pub const ALL: [Layout; 3] = [Layout::Compact, Layout::Medium, Layout::Wide];

    /// `compact`, `medium`, `wide`: the suffix of its classes and ids.
    pub fn name(self) -> &'static str {
        match self {
            Layout::Compact => "compact",
            Layout::Medium => "medium",
            Layout::Wide => "wide",
        }
    }
}

/// Width of the compact layout: a phone of 360 px less the page's margins.
pub const COMPACT_WIDTH: f64 = 320.0;
/// Width of the medium layout: one of two figures side by side on a desktop factsheet.
pub const MEDIUM_WIDTH: f64 = 440.0;
/// Width of the wide layout: the text column (42rem).
pub const WIDE_WIDTH: f64 = 672.0;
/// Size of all chart text, in CSS pixels (and SVG units). The theme's stylesheet sets the
/// same size; a theme that changes it must change it here, or labels will not fit.
pub const TEXT_PX: f64 = 13.0;

/// The drawings of one chart and what they could not label.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// The sibling `<svg>` elements, one per layout.
    pub svg: String,
    /// Sentences for the figure's note, naming the values a layout left without a label,
    /// each with the layouts it applies to (all three when they agree).
    pub notes: Vec<LayoutNote>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LayoutNote {
    pub layouts: Vec<Layout>,
    pub text: String,
}

impl LayoutNote {
    /// Classes that show the note with its layouts (none when it applies to all).
    pub fn classes(&self) -> String {
        if self.layouts.len() == Layout::ALL.len() {
            return String::new();
        }
        let mut c = String::from("chart-note");
        for l in &self.layouts {
            c.push_str(" chart-note--");
            c.push_str(l.name());
        }
        c
    }
}

/// Renders every layout as sibling `<svg>` elements (the theme's stylesheet shows one), with notes on
/// labels left out.
///
/// Errors are for specs that cannot be drawn (no series, lengths that do not match the
/// categories, negative shares in a 100% chart, …) and name the chart and the problem.
pub fn render_svg(spec: &ChartSpec) -> Result<Rendered, String> {
    let prep = Prep::new(spec)?;
    let mut svg = String::new();
    let mut notes: Vec<LayoutNote> = Vec::new();
    for layout in Layout::ALL {
        let (s, unlabelled) = render(&prep, layout)?;
        svg.push_str(&s);
        if let Some(text) = unlabelled_note(&prep, &unlabelled) {
            match notes.iter_mut().find(|n| n.text == text) {
                Some(n) => n.layouts.push(layout),
                None => notes.push(LayoutNote {
                    layouts: vec![layout],
                    text,
                }),
            }
        }
    }
    Ok(Rendered { svg, notes })
}

/// Renders one layout as a standalone SVG document body.
pub fn render_svg_layout(spec: &ChartSpec, layout: Layout) -> Result<String, String> {
    render(&Prep::new(spec)?, layout).map(|(svg, _)| svg)
}

/// Width of `text` in chart text at [`TEXT_PX`], as the layout measures it: for tests and
/// tools that check where labels ended up.
pub fn text_width(text: &str, bold: bool) -> f64 {
    text::width(text, TEXT_PX, bold)
}

fn render(prep: &Prep, layout: Layout) -> Result<(String, Vec<scene::Unlabelled>), String> {
    let st = Style::new(layout);
    let scene: Scene = match prep.spec.kind {
        ChartKind::Line => line::draw(prep, &st),
        ChartKind::Bar | ChartKind::Grouped => {
            if st.bars_when_crowded && !column::labels_fit(prep, &st) {
                row::draw(prep, &st, ChartKind::HBar)
            } else {
                column::draw(prep, &st)
            }
        }
        kind @ (ChartKind::HBar | ChartKind::Stacked | ChartKind::Stacked100) => {
            row::draw(prep, &st, kind)
        }
    };
    let class = format!("chart chart-{}", layout.name());
    let id = format!("{}-{}", prep.spec.id, layout.name());
    let title = if prep.spec.title.trim().is_empty() {
        match prep.spec.lang {
            Lang::Nl => "Grafiek",
            Lang::En => "Chart",
        }
    } else {
        prep.spec.title.as_str()
    };
    let svg = scene.to_svg(&Root {
        class: &class,
        id: &id,
        title,
        desc: &prep.desc,
        font_size: st.fs,
    })?;
    Ok((svg, scene.unlabelled))
}

/// "Te smal voor een label: vo in 2018/2019 (61); …", or nothing when all are labelled.
fn unlabelled_note(prep: &Prep, items: &[scene::Unlabelled]) -> Option<String> {
    if items.is_empty() {
        return None;
    }
    let spec = prep.spec;
    let parts: Vec<String> = items
        .iter()
        .map(|u| {
            let cat = &spec.categories[u.category];
            let what = if spec.series.len() > 1 {
                match spec.lang {
                    Lang::Nl => format!("{} in {cat}", spec.series[u.series].name),
                    Lang::En => format!("{} in {cat}", spec.series[u.series].name),
                }
            } else {
                cat.clone()
            };
            format!("{what} ({})", u.text)
        })
        .collect();
    Some(match spec.lang {
        Lang::Nl => format!(
            "Zonder label in de figuur, want daar is geen ruimte voor: {}.",
            parts.join("; ")
        ),
        Lang::En => format!(
            "Not labelled in the figure for lack of room: {}.",
            parts.join("; ")
        ),
    })
}

/// What the highlight option resolved to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Highlight {
    None,
    Series(usize),
    Category(usize),
}

/// A validated spec with the choices shared by both layouts.
pub(crate) struct Prep<'a> {
    pub spec: &'a ChartSpec,
    pub fmt: Fmt,
    pub palette: Vec<Rgb>,
    pub highlight: Highlight,
    /// Index of [`ChartSpec::pinned_category`].
    pub pinned: Option<usize>,
    pub desc: String,
}

impl<'a> Prep<'a> {
    fn new(spec: &'a ChartSpec) -> Result<Prep<'a>, String> {
        validate(spec)?;
        let palette = if spec.palette.is_empty() {
            color::DEFAULT_PALETTE.to_vec()
        } else {
            spec.palette
                .iter()
                .map(|c| {
                    color::parse_css(c).ok_or_else(|| {
                        format!(
                            "chart '{}': palette colour '{c}' is not a #rrggbb, #rgb or rgb() colour",
                            spec.id
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?
        };
        let palette = palette.into_iter().map(color::fit_for_marks).collect();
        let highlight = match &spec.highlight {
            None => Highlight::None,
            Some(h) => resolve_highlight(spec, h)?,
        };
        let decimals = spec.decimals.unwrap_or_else(|| {
            spec.series
                .iter()
                .flat_map(|s| s.values.iter().flatten())
                .map(|v| decimals_needed(*v, 2))
                .max()
                .unwrap_or(0)
        });
        let fmt = Fmt {
            lang: spec.lang,
            percent: spec.unit.as_deref().map(str::trim) == Some("%"),
            decimals,
        };
        let desc = if spec.description.trim().is_empty() {
            describe(spec, &fmt)
        } else {
            spec.description.clone()
        };
        let pinned = spec
            .pinned_category
            .as_deref()
            .and_then(|p| spec.categories.iter().position(|c| c.trim() == p.trim()));
        Ok(Prep {
            spec,
            fmt,
            palette,
            highlight,
            pinned,
            desc,
        })
    }

    /// The series' own colour.
    pub(crate) fn color(&self, i: usize) -> Rgb {
        self.palette[i % self.palette.len()]
    }

    /// The series' colour, marker, dash and hatching.
    pub(crate) fn look(&self, i: usize) -> Look {
        color::look(&self.palette, i)
    }

    pub(crate) fn n(&self) -> usize {
        self.spec.categories.len()
    }

    pub(crate) fn m(&self) -> usize {
        self.spec.series.len()
    }

    pub(crate) fn value(&self, series: usize, cat: usize) -> Option<f64> {
        self.spec.series[series].values[cat]
    }

    /// All present values.
    pub(crate) fn values(&self) -> impl Iterator<Item = f64> + '_ {
        self.spec
            .series
            .iter()
            .flat_map(|s| s.values.iter().flatten().copied())
    }

    pub(crate) fn category_target(&self, cat: usize) -> Option<f64> {
        self.spec
            .category_targets
            .as_ref()
            .and_then(|(_, t)| t[cat])
    }

    pub(crate) fn category_target_label(&self) -> Option<&str> {
        self.spec
            .category_targets
            .as_ref()
            .filter(|(_, t)| t.iter().any(Option::is_some))
            .map(|(l, _)| l.as_str())
    }

    pub(crate) fn is_highlight_category(&self, cat: usize) -> bool {
        self.highlight == Highlight::Category(cat)
    }

    /// Whether marks of this category are drawn muted because another one is highlighted.
    pub(crate) fn muted_category(&self, cat: usize) -> bool {
        matches!(self.highlight, Highlight::Category(h) if h != cat)
    }

    pub(crate) fn muted_series(&self, series: usize) -> bool {
        matches!(self.highlight, Highlight::Series(h) if h != series)
    }

    /// A non-percent unit to show as an axis title.
    pub(crate) fn axis_title(&self) -> Option<&str> {
        self.spec
            .unit
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty() && *u != "%")
    }

    pub(crate) fn no_data(&self) -> &'static str {
        match self.spec.lang {
            Lang::Nl => "geen gegevens",
            Lang::En => "no data",
        }
    }
}

fn validate(spec: &ChartSpec) -> Result<(), String> {
    let id = &spec.id;
    let id_ok = id.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !id_ok {
        return Err(format!(
            "chart id '{id}' must start with a letter and contain only letters, digits, '-' and '_' (it prefixes the ids inside the SVG)"
        ));
    }
    if spec.categories.is_empty() {
        return Err(format!("chart '{id}' has no categories to plot"));
    }
    if spec.series.is_empty() {
        return Err(format!("chart '{id}' has no series to plot"));
    }
    let n = spec.categories.len();
    for s in &spec.series {
        if s.values.len() != n {
            return Err(format!(
                "chart '{id}': series '{}' has {} values but there are {n} categories; give one value per category (empty for missing)",
                s.name,
                s.values.len()
            ));
        }
        if let Some(v) = s.values.iter().flatten().find(|v| !v.is_finite()) {
            return Err(format!(
                "chart '{id}': series '{}' contains {v}, which is not a number that can be drawn",
                s.name
            ));
        }
        if spec.kind == ChartKind::Stacked100 {
            if let Some((cat, v)) = spec
                .categories
                .iter()
                .zip(&s.values)
                .find_map(|(c, v)| v.filter(|v| *v < 0.0).map(|v| (c, v)))
            {
                return Err(format!(
                    "chart '{id}': a 100% stacked chart shows shares of a whole, but series '{}' is negative ({v}) for '{cat}'; use a stacked or grouped chart instead",
                    s.name
                ));
            }
        }
    }
    if let Some((_, t)) = &spec.category_targets {
        if t.len() != n {
            return Err(format!(
                "chart '{id}': {} category targets for {n} categories; give one per category (empty where there is none)",
                t.len()
            ));
        }
        if t.iter().flatten().any(|v| !v.is_finite()) {
            return Err(format!(
                "chart '{id}': a category target is not a finite number"
            ));
        }
        if spec.kind == ChartKind::Stacked100 {
            return Err(format!(
                "chart '{id}': per-category targets cannot be drawn on a 100% stacked chart"
            ));
        }
    }
    if let Some(t) = &spec.target {
        if !t.value.is_finite() {
            return Err(format!(
                "chart '{id}': the target value is not a finite number"
            ));
        }
    }
    for v in [spec.y_min, spec.y_max].into_iter().flatten() {
        if !v.is_finite() {
            return Err(format!("chart '{id}': y_min/y_max must be finite numbers"));
        }
    }
    if let (Some(lo), Some(hi)) = (spec.y_min, spec.y_max) {
        if lo >= hi {
            return Err(format!(
                "chart '{id}': y_min ({lo}) must be smaller than y_max ({hi})"
            ));
        }
    }
    Ok(())
}

fn resolve_highlight(spec: &ChartSpec, h: &str) -> Result<Highlight, String> {
    let h = h.trim();
    let eq = |a: &str| a.trim() == h;
    let eq_ci = |a: &str| a.trim().to_lowercase() == h.to_lowercase();
    for matcher in [&eq as &dyn Fn(&str) -> bool, &eq_ci] {
        if let Some(i) = spec.series.iter().position(|s| matcher(&s.name)) {
            return Ok(Highlight::Series(i));
        }
        if let Some(i) = spec.categories.iter().position(|c| matcher(c)) {
            return Ok(Highlight::Category(i));
        }
    }
    Err(format!(
        "chart '{}': highlight '{h}' is neither a series ({}) nor a category ({})",
        spec.id,
        spec.series
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        spec.categories.join(", ")
    ))
}

/// A sentence or three that say what the chart shows, for screen readers.
fn describe(spec: &ChartSpec, fmt: &Fmt) -> String {
    let nl = spec.lang == Lang::Nl;
    let n = spec.categories.len();
    let m = spec.series.len();
    let kind = match (spec.kind, nl) {
        (ChartKind::Line, true) => "Lijndiagram",
        (ChartKind::Line, false) => "Line chart",
        (ChartKind::Bar, true) if m > 1 => "Gegroepeerd kolomdiagram",
        (ChartKind::Bar, false) if m > 1 => "Grouped column chart",
        (ChartKind::Bar, true) => "Kolomdiagram",
        (ChartKind::Bar, false) => "Column chart",
        (ChartKind::HBar, true) => "Staafdiagram",
        (ChartKind::HBar, false) => "Bar chart",
        (ChartKind::Grouped, true) => "Gegroepeerd kolomdiagram",
        (ChartKind::Grouped, false) => "Grouped column chart",
        (ChartKind::Stacked, true) => "Gestapeld staafdiagram",
        (ChartKind::Stacked, false) => "Stacked bar chart",
        (ChartKind::Stacked100, true) => "100%-gestapeld staafdiagram",
        (ChartKind::Stacked100, false) => "100% stacked bar chart",
    };
    let school_years = spec.categories.iter().all(|c| is_school_year(c));
    let years = spec
        .categories
        .iter()
        .all(|c| c.len() == 4 && c.bytes().all(|b| b.is_ascii_digit()));
    let cats = match (school_years, years, nl, n == 1) {
        (true, _, true, false) => "schooljaren",
        (true, _, true, true) => "schooljaar",
        (true, _, false, false) => "school years",
        (true, _, false, true) => "school year",
        (_, true, true, false) => "jaren",
        (_, true, true, true) => "jaar",
        (_, true, false, false) => "years",
        (_, true, false, true) => "year",
        (_, _, true, false) => "categorieën",
        (_, _, true, true) => "categorie",
        (_, _, false, false) => "categories",
        (_, _, false, true) => "category",
    };
    let names = spec
        .series
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let first = &spec.categories[0];
    let last = &spec.categories[n - 1];
    let mut out = if nl {
        let reeksen = if m == 1 { "reeks" } else { "reeksen" };
        format!("{kind} met {m} {reeksen} ({names}) over {n} {cats}")
    } else {
        format!("{kind} with {m} series ({names}) over {n} {cats}")
    };
    if n > 1 {
        out.push_str(&if nl {
            format!(", van {first} tot {last}.")
        } else {
            format!(", from {first} to {last}.")
        });
    } else {
        out.push_str(&format!(": {first}."));
    }
    if spec.kind == ChartKind::Stacked100 {
        out.push_str(if nl {
            " Elke staaf is verdeeld naar aandeel en telt op tot 100%."
        } else {
            " Each bar is divided into shares that add up to 100%."
        });
    }
    let v = |x: f64| fmt.value(x);
    if spec.kind == ChartKind::Line {
        let parts: Vec<String> = spec
            .series
            .iter()
            .filter_map(|s| {
                let mut present = s
                    .values
                    .iter()
                    .zip(&spec.categories)
                    .filter_map(|(v, c)| v.map(|v| (v, c)));
                let (a, ca) = present.next()?;
                let (b, cb) = present.next_back().unwrap_or((a, ca));
                Some(if nl {
                    format!("{}: van {} in {ca} naar {} in {cb}", s.name, v(a), v(b))
                } else {
                    format!("{}: from {} in {ca} to {} in {cb}", s.name, v(a), v(b))
                })
            })
            .collect();
        if !parts.is_empty() {
            out.push(' ');
            out.push_str(&parts.join("; "));
            out.push('.');
        }
    } else if m == 1 {
        let s = &spec.series[0];
        let present = s
            .values
            .iter()
            .zip(&spec.categories)
            .filter_map(|(v, c)| v.map(|v| (v, c)));
        let max = present
            .clone()
            .fold(None, |acc: Option<(f64, &String)>, (v, c)| match acc {
                Some((a, _)) if a >= v => acc,
                _ => Some((v, c)),
            });
        let min = present.fold(None, |acc: Option<(f64, &String)>, (v, c)| match acc {
            Some((a, _)) if a <= v => acc,
            _ => Some((v, c)),
        });
        if let (Some((hv, hc)), Some((lv, lc))) = (max, min) {
            out.push_str(&if nl {
                format!(
                    " Hoogste waarde: {hc} ({}); laagste: {lc} ({}).",
                    v(hv),
                    v(lv)
                )
            } else {
                format!(" Highest: {hc} ({}); lowest: {lc} ({}).", v(hv), v(lv))
            });
        }
    } else if spec.kind != ChartKind::Stacked100 {
        let vals = spec
            .series
            .iter()
            .flat_map(|s| s.values.iter().flatten().copied());
        let lo = vals.clone().fold(f64::INFINITY, f64::min);
        let hi = vals.fold(f64::NEG_INFINITY, f64::max);
        if lo.is_finite() {
            out.push_str(&if nl {
                format!(" Waarden van {} tot {}.", v(lo), v(hi))
            } else {
                format!(" Values from {} to {}.", v(lo), v(hi))
            });
        }
    }
    if let Some(t) = &spec.target {
        out.push(' ');
        out.push_str(&layout::target_text(
            if t.label.trim().is_empty() {
                if nl {
                    "Streefcijfer"
                } else {
                    "Target"
                }
            } else {
                &t.label
            },
            t.value,
            fmt,
        ));
        out.push('.');
    }
    if let Some((label, _)) = &spec.category_targets {
        out.push_str(&if nl {
            format!(" Met {} per categorie.", label.to_lowercase())
        } else {
            format!(" With a {} per category.", label.to_lowercase())
        });
    }
    let missing = spec
        .series
        .iter()
        .map(|s| s.values.iter().filter(|v| v.is_none()).count())
        .sum::<usize>();
    if missing > 0 {
        out.push_str(&match (nl, missing) {
            (true, 1) => " Eén waarde ontbreekt.".to_string(),
            (true, k) => format!(" {k} waarden ontbreken."),
            (false, 1) => " One value is missing.".to_string(),
            (false, k) => format!(" {k} values are missing."),
        });
    }
    out
}

/// `2020/2021` or `2020-2021`.
fn is_school_year(c: &str) -> bool {
    let b = c.trim().as_bytes();
    b.len() == 9
        && (b[4] == b'/' || b[4] == b'-')
        && b[..4].iter().chain(&b[5..]).all(u8::is_ascii_digit)
}
