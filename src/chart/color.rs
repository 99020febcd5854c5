//! Colours: parsing the theme's CSS colours, keeping marks and text legible on white, and
//! the look of each series (colour, marker, dash) so series differ without colour too.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Rgb(pub u8, pub u8, pub u8);

pub(crate) const WHITE: Rgb = Rgb(255, 255, 255);
/// Body text of labels (12.6:1 on white).
pub(crate) const INK: Rgb = Rgb(0x33, 0x33, 0x33);
/// Secondary text such as tick labels and "geen gegevens" (5.7:1 on white).
pub(crate) const INK_SOFT: Rgb = Rgb(0x66, 0x66, 0x66);
/// Dark text on light fills.
pub(crate) const INK_DARK: Rgb = Rgb(0x1a, 0x1a, 0x1a);
pub(crate) const GRID: Rgb = Rgb(0xe1, 0xe1, 0xe1);
pub(crate) const BASELINE: Rgb = Rgb(0x33, 0x33, 0x33);
/// Context marks next to a highlighted one: still 3:1 against white, as WCAG 1.4.11 asks
/// of graphics needed to read the chart.
pub(crate) const MUTED: Rgb = Rgb(0x94, 0x94, 0x94);

/// Ten hues that stay apart for most colour-vision deficiencies (the Okabe–Ito set, darkened
/// where needed, plus four), each at least 3:1 against white and each passing 4.5:1 with
/// white or with dark text, so a value can always be written inside its bar. The default
/// theme uses the same list; series beyond the tenth also differ by marker, dash or hatch.
pub(crate) const DEFAULT_PALETTE: [Rgb; 10] = [
    Rgb(0x1f, 0x5f, 0x8b), // blue
    Rgb(0xc2, 0x4e, 0x00), // vermillion
    Rgb(0x24, 0x7a, 0x5c), // bluish green
    Rgb(0x8a, 0x5a, 0xa6), // purple
    Rgb(0xb8, 0x86, 0x0b), // dark gold (dark text)
    Rgb(0x5c, 0x6b, 0x73), // slate
    Rgb(0xc2, 0x18, 0x5b), // raspberry
    Rgb(0x2a, 0x8b, 0xc4), // sky blue (dark text)
    Rgb(0x6b, 0x8e, 0x23), // olive (dark text)
    Rgb(0x8d, 0x6e, 0x63), // brown
];

impl Rgb {
    pub(crate) fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    fn luminance(self) -> f64 {
        let lin = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.03928 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(self.0) + 0.7152 * lin(self.1) + 0.0722 * lin(self.2)
    }

    /// Mix with `other`; `t` = 0 keeps self, 1 gives other.
    pub(crate) fn mix(self, other: Rgb, t: f64) -> Rgb {
        let m = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * t).round() as u8;
        Rgb(m(self.0, other.0), m(self.1, other.1), m(self.2, other.2))
    }
}

/// WCAG contrast ratio.
pub(crate) fn contrast(a: Rgb, b: Rgb) -> f64 {
    let (la, lb) = (a.luminance(), b.luminance());
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The colour itself if it passes AA for text on white, else the same hue darkened until it
/// does: labels in a series' colour tie them to the line without failing contrast.
pub(crate) fn text_on_white(c: Rgb) -> Rgb {
    let mut t = 0.0;
    let mut out = c;
    while contrast(out, WHITE) < 4.5 && t < 1.0 {
        t += 0.05;
        out = c.mix(Rgb(0, 0, 0), t);
    }
    out
}

/// White or near-black, whichever reads better on a filled segment.
pub(crate) fn ink_on(fill: Rgb) -> Rgb {
    if contrast(WHITE, fill) >= contrast(INK_DARK, fill) {
        WHITE
    } else {
        INK_DARK
    }
}

/// Whether text of `ink` on `fill` passes AA (4.5:1) and may be placed inside a bar.
pub(crate) fn legible(ink: Rgb, fill: Rgb) -> bool {
    contrast(ink, fill) >= 4.5
}

/// A palette colour made fit for marks: at least 3:1 against white (WCAG 1.4.11), and
/// either white or dark text passing 4.5:1 on it. Mid-tones such as `#2a8c6b` (4.15:1 with
/// white, 4.20:1 with ink) pass neither, and a value written inside them would fail; they
/// are darkened in small steps, keeping the hue, until white text passes.
pub(crate) fn fit_for_marks(c: Rgb) -> Rgb {
    let ok = |c: Rgb| contrast(c, WHITE) >= 3.0 && (legible(WHITE, c) || legible(INK_DARK, c));
    let mut out = c;
    let mut t = 0.0;
    while !ok(out) && t < 1.0 {
        t += 0.02;
        out = c.mix(Rgb(0, 0, 0), t);
    }
    out
}

/// Shapes of line markers, one per series in turn, so lines differ without colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum MarkerShape {
    Circle,
    Square,
    Triangle,
    Diamond,
    TriangleDown,
}

const SHAPES: [MarkerShape; 5] = [
    MarkerShape::Circle,
    MarkerShape::Square,
    MarkerShape::Triangle,
    MarkerShape::Diamond,
    MarkerShape::TriangleDown,
];

/// Dash patterns of lines: solid for the first five series, then dashed, then dotted.
const DASHES: [Option<&str>; 3] = [None, Some("7 4"), Some("2 4")];

/// How one series looks: colour plus a second and third channel (marker and dash for
/// lines, hatching for bars), so no two of the first thirty series look the same and the
/// first ten differ even in greyscale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Look {
    pub color: Rgb,
    pub marker: MarkerShape,
    pub dash: Option<&'static str>,
    /// 0: plain fill; 1, 2: hatched, for bars whose colour repeats an earlier series'.
    pub hatch: u8,
}

/// The look of series `i` with a palette of `palette.len()` colours.
pub(crate) fn look(palette: &[Rgb], i: usize) -> Look {
    let n = palette.len().max(1);
    Look {
        color: palette[i % n],
        marker: SHAPES[i % SHAPES.len()],
        dash: DASHES[(i / SHAPES.len()) % DASHES.len()],
        hatch: ((i / n) % 3) as u8,
    }
}

/// Parses the CSS colour forms a theme palette uses: `#rgb`, `#rrggbb`, `rgb(r, g, b)` and a
/// few keywords. Custom properties (`var(--x)`) cannot be resolved here, because marks
/// are coloured at build time.
pub(crate) fn parse_css(s: &str) -> Option<Rgb> {
    let s = s.trim().to_ascii_lowercase();
    if let Some(hex) = s.strip_prefix('#') {
        let digits: Vec<u8> = hex
            .chars()
            .map(|c| c.to_digit(16).map(|d| d as u8))
            .collect::<Option<_>>()?;
        return match digits.len() {
            3 => Some(Rgb(digits[0] * 17, digits[1] * 17, digits[2] * 17)),
            6 => Some(Rgb(
                digits[0] * 16 + digits[1],
                digits[2] * 16 + digits[3],
                digits[4] * 16 + digits[5],
            )),
            _ => None,
        };
    }
    if let Some(inner) = s.strip_prefix("rgb(").and_then(|r| r.strip_suffix(')')) {
        let parts: Vec<u8> = inner
            .split([',', ' '])
            .filter(|p| !p.is_empty())
            .map(|p| p.parse::<u8>().ok())
            .collect::<Option<_>>()?;
        return match parts[..] {
            [r, g, b] => Some(Rgb(r, g, b)),
            _ => None,
        };
    }
    match s.as_str() {
        "black" => Some(Rgb(0, 0, 0)),
        "white" => Some(WHITE),
        "gray" | "grey" => Some(Rgb(128, 128, 128)),
        "navy" => Some(Rgb(0, 0, 128)),
        "teal" => Some(Rgb(0, 128, 128)),
        "purple" => Some(Rgb(128, 0, 128)),
        "maroon" => Some(Rgb(128, 0, 0)),
        "green" => Some(Rgb(0, 128, 0)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_palette_keeps_graphics_contrast() {
        for c in DEFAULT_PALETTE {
            assert!(
                contrast(c, WHITE) >= 3.0,
                "{} {}",
                c.hex(),
                contrast(c, WHITE)
            );
            assert!(contrast(text_on_white(c), WHITE) >= 4.5);
        }
        assert!(contrast(MUTED, WHITE) >= 3.0);
        assert!(contrast(INK_SOFT, WHITE) >= 4.5);
    }

    #[test]
    fn marks_always_take_a_legible_label() {
        // The mid-green of the old default theme passed neither white nor ink.
        let green = Rgb(0x2a, 0x8c, 0x6b);
        assert!(!legible(WHITE, green) && !legible(INK_DARK, green));
        let fixed = fit_for_marks(green);
        assert!(legible(ink_on(fixed), fixed));
        assert!(contrast(fixed, WHITE) >= 3.0);
        // Colours that already pass are kept; too light ones darkened to 3:1.
        for c in DEFAULT_PALETTE {
            assert_eq!(fit_for_marks(c), c, "{}", c.hex());
            assert!(legible(ink_on(c), c), "{}", c.hex());
        }
        let pale = fit_for_marks(Rgb(0xdd, 0xee, 0xff));
        assert!(contrast(pale, WHITE) >= 3.0 && legible(ink_on(pale), pale));
        for r in (0..=255).step_by(15) {
            for g in (0..=255).step_by(15) {
                for b in (0..=255).step_by(51) {
                    let c = fit_for_marks(Rgb(r, g, b));
                    assert!(legible(ink_on(c), c) && contrast(c, WHITE) >= 3.0);
                }
            }
        }
    }

    #[test]
    fn looks_differ_beyond_the_palette() {
        let six: Vec<Rgb> = DEFAULT_PALETTE[..6].to_vec();
        // The seventh series repeats the first colour but neither its marker nor its fill.
        let (a, g) = (look(&six, 0), look(&six, 6));
        assert_eq!(a.color, g.color);
        assert_ne!((a.marker, a.dash), (g.marker, g.dash));
        assert_ne!(a.hatch, g.hatch);
        // The first ten differ without colour: by marker and dash alone.
        let shapes: std::collections::HashSet<_> = (0..10)
            .map(|i| {
                let l = look(&DEFAULT_PALETTE, i);
                (l.marker, l.dash)
            })
            .collect();
        assert_eq!(shapes.len(), 10);
        let all: std::collections::HashSet<_> = (0..30)
            .map(|i| {
                let l = look(&six, i);
                (l.color, l.marker, l.dash, l.hatch)
            })
            .collect();
        assert_eq!(all.len(), 30);
    }

    #[test]
    fn parses_css_colours() {
        assert_eq!(parse_css("#0072B2"), Some(Rgb(0, 0x72, 0xb2)));
        assert_eq!(parse_css("#fff"), Some(WHITE));
        assert_eq!(parse_css("rgb(1, 2, 3)"), Some(Rgb(1, 2, 3)));
        assert_eq!(parse_css("var(--accent)"), None);
        assert_eq!(parse_css("#12345"), None);
    }
}
