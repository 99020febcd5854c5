//! Text measurement with the embedded Inter subsets, so wrapped labels and margins match
//! what the browser draws with the theme's woff2 of the same font.

use std::sync::OnceLock;

const REGULAR: &[u8] = include_bytes!("font/inter-regular.otf");
const SEMIBOLD: &[u8] = include_bytes!("font/inter-semibold.otf");

/// Cap height of Inter as a fraction of the font size (2048 / 2816 units): used to centre a
/// line of text on a point without relying on `dominant-baseline`, which renderers disagree on.
pub(crate) const CAP: f64 = 2048.0 / 2816.0;

/// Advance widths in em, looked up once. The subsets map fewer than 300 characters, so a
/// sorted table beats parsing the font on every measurement (charts measure thousands of
/// strings per second).
struct Metrics {
    latin: [f32; 256],
    rest: Vec<(char, f32)>,
    fallback: f32,
}

fn load(data: &'static [u8]) -> Metrics {
    // The font is compiled in; a parse failure is a build defect, not a user error.
    let face = ttf_parser::Face::parse(data, 0).expect("embedded Inter font parses");
    let upem = f32::from(face.units_per_em());
    let adv = |c: char| {
        face.glyph_index(c)
            .and_then(|g| face.glyph_hor_advance(g))
            .map(|a| f32::from(a) / upem)
    };
    // Unknown characters (CJK, emoji) fall back to a wide-ish advance: overestimating only
    // costs whitespace, underestimating clips text.
    let fallback = adv('M').unwrap_or(0.9);
    let mut latin = [fallback; 256];
    for (i, slot) in latin.iter_mut().enumerate() {
        if let Some(a) = char::from_u32(i as u32).and_then(adv) {
            *slot = a;
        }
    }
    let rest = (0x100u32..0x3000)
        .filter_map(char::from_u32)
        .filter_map(|c| adv(c).map(|a| (c, a)))
        .collect();
    Metrics {
        latin,
        rest,
        fallback,
    }
}

fn metrics(bold: bool) -> &'static Metrics {
    static REG: OnceLock<Metrics> = OnceLock::new();
    static SEMI: OnceLock<Metrics> = OnceLock::new();
    if bold {
        SEMI.get_or_init(|| load(SEMIBOLD))
    } else {
        REG.get_or_init(|| load(REGULAR))
    }
}

/// Width of `s` at font size `size` (regular or semibold), without kerning: Inter's kerning
/// only ever tightens Latin text slightly, so the estimate errs on the safe side.
pub(crate) fn width(s: &str, size: f64, bold: bool) -> f64 {
    let m = metrics(bold);
    let em: f32 = s
        .chars()
        .map(|c| {
            let cp = c as u32;
            if cp < 256 {
                m.latin[cp as usize]
            } else {
                match m.rest.binary_search_by(|(k, _)| k.cmp(&c)) {
                    Ok(i) => m.rest[i].1,
                    Err(_) => m.fallback,
                }
            }
        })
        .sum();
    f64::from(em) * size
}

/// Greedy line breaking at spaces and after `/` or `-` (school years, "mbo-1"), never mid
/// word unless a single word is wider than `max` (then it is cut so nothing overflows).
pub(crate) fn wrap(s: &str, max: f64, size: f64, bold: bool) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for (piece, spaced) in pieces(s) {
        let candidate = if line.is_empty() {
            piece.to_string()
        } else if spaced {
            format!("{line} {piece}")
        } else {
            format!("{line}{piece}")
        };
        if width(&candidate, size, bold) <= max || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            line = piece.to_string();
        }
        // A single piece that is too wide on its own is cut by characters.
        while width(&line, size, bold) > max && line.chars().count() > 1 {
            let mut cut = String::new();
            let mut rest = line.chars().peekable();
            while let Some(&c) = rest.peek() {
                let mut next = cut.clone();
                next.push(c);
                if width(&next, size, bold) > max && !cut.is_empty() {
                    break;
                }
                cut = next;
                rest.next();
            }
            let remainder: String = rest.collect();
            if remainder.is_empty() {
                break;
            }
            lines.push(cut);
            line = remainder;
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Splits into breakable pieces: words separated by whitespace, and words split after
/// `/` and `-` with the separator kept at the end of the first part. The flag says whether
/// a space separated the piece from the one before ("Studie- en" keeps its space,
/// "2016/2017" has none to restore).
fn pieces(s: &str) -> Vec<(&str, bool)> {
    let mut out = Vec::new();
    for word in s.split_whitespace() {
        let mut start = 0;
        for (i, c) in word.char_indices() {
            let end = i + c.len_utf8();
            // Only split where both sides keep some text ("mbo-1" -> "mbo-" + "1", not "-").
            if (c == '/' || c == '-') && i > start && end < word.len() {
                out.push((&word[start..end], start == 0));
                start = end;
            }
        }
        out.push((&word[start..], start == 0));
    }
    out
}

/// How many breakable pieces `s` has: labels with equal counts (school years) are
/// wrapped alike.
pub(crate) fn piece_count(s: &str) -> usize {
    pieces(s).len()
}

/// The widest unbreakable piece of `s`: wrapping to less than this cuts a word.
pub(crate) fn widest_piece(s: &str, size: f64, bold: bool) -> f64 {
    pieces(s)
        .iter()
        .map(|(p, _)| width(p, size, bold))
        .fold(0.0, f64::max)
}

/// The widest of several lines.
pub(crate) fn max_width<S: AsRef<str>>(lines: &[S], size: f64, bold: bool) -> f64 {
    lines
        .iter()
        .map(|l| width(l.as_ref(), size, bold))
        .fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_are_plausible() {
        let w = width("2016/2017", 14.0, false);
        assert!(w > 55.0 && w < 80.0, "{w}");
        assert!(width("Achterhoek", 14.0, true) > width("Achterhoek", 14.0, false));
        assert_eq!(width("", 14.0, false), 0.0);
        // Characters outside the subset still take room.
        assert!(width("漢字", 14.0, false) > 10.0);
    }

    #[test]
    fn wrapping_breaks_at_spaces_and_slashes() {
        let l = wrap("2016/2017", 40.0, 13.0, false);
        assert_eq!(l, vec!["2016/", "2017"]);
        let l = wrap(
            "Persoonsgebonden factoren, instelling kan wel iets doen aan de opvang",
            200.0,
            14.0,
            false,
        );
        assert!(l.len() >= 2);
        assert!(l.iter().all(|x| width(x, 14.0, false) <= 200.0));
        assert_eq!(
            l.join(" "),
            "Persoonsgebonden factoren, instelling kan wel iets doen aan de opvang"
        );
        let l = wrap("Onderwijsinstellingsgebonden", 40.0, 14.0, false);
        assert!(l.len() > 1 && l.concat() == "Onderwijsinstellingsgebonden");
        let l = wrap(
            "Studie- en beroepskeuzegebonden factoren",
            1000.0,
            14.0,
            false,
        );
        assert_eq!(l, vec!["Studie- en beroepskeuzegebonden factoren"]);
        let l = wrap("succesvol / afgesproken", 1000.0, 14.0, false);
        assert_eq!(l, vec!["succesvol / afgesproken"]);
        assert_eq!(wrap("", 40.0, 14.0, false), vec![String::new()]);
    }
}
