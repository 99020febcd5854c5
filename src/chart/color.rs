//! Colours: parsing the theme's CSS colours and keeping marks and text legible on white.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// Okabe–Ito hues, the light ones darkened so every mark keeps at least 3:1 against white
/// (orange #E69F00 -> #C17A00, sky blue #56B4E9 -> #2A8BC4, yellow -> dark gold). The order
/// puts the pair that stays most distinct under every colour-vision deficiency first.
pub(crate) const DEFAULT_PALETTE: [Rgb; 8] = [
    Rgb(0x00, 0x72, 0xb2), // blue
    Rgb(0xc1, 0x7a, 0x00), // orange
    Rgb(0x00, 0x9e, 0x73), // bluish green
    Rgb(0xcc, 0x79, 0xa7), // reddish purple
    Rgb(0xd5, 0x5e, 0x00), // vermillion
    Rgb(0x2a, 0x8b, 0xc4), // sky blue
    Rgb(0x8f, 0x7a, 0x00), // dark gold
    Rgb(0x5e, 0x5e, 0x5e), // grey
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
    fn parses_css_colours() {
        assert_eq!(parse_css("#0072B2"), Some(Rgb(0, 0x72, 0xb2)));
        assert_eq!(parse_css("#fff"), Some(WHITE));
        assert_eq!(parse_css("rgb(1, 2, 3)"), Some(Rgb(1, 2, 3)));
        assert_eq!(parse_css("var(--accent)"), None);
        assert_eq!(parse_css("#12345"), None);
    }
}
