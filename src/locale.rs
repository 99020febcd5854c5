//! Language-dependent formatting of numbers and dates.
//!
//! Dutch is the default: `6.291`, `1,4%`, `21 september 2021`. Everything a reader sees
//! (page text, chart ticks, table cells, tiles) goes through these functions, so one site
//! never mixes conventions.

use chrono::{Datelike, NaiveDate};

/// Languages bundel ships formatting rules and theme translations for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl Lang {
    /// Parses a BCP 47 code such as `nl`, `nl-NL` or `en-GB`.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code
            .split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "nl" => Some(Lang::Nl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    fn separators(self) -> (char, char) {
        // (decimal, thousands)
        match self {
            Lang::Nl => (',', '.'),
            Lang::En => ('.', ','),
        }
    }

    /// Formats `value` with exactly `decimals` decimals and grouped thousands.
    /// Negative values use the typographic minus sign.
    pub fn number(self, value: f64, decimals: usize) -> String {
        if !value.is_finite() {
            return "–".to_string();
        }
        let raw = format!("{:.*}", decimals, value.abs());
        let (int_part, frac_part) = match raw.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (raw.as_str(), None),
        };
        let (dec, thou) = self.separators();
        let mut out = String::with_capacity(raw.len() + 4);
        // "-0" after rounding is plain zero
        let is_zero = raw.bytes().all(|b| b == b'0' || b == b'.');
        if value < 0.0 && !is_zero {
            out.push('\u{2212}');
        }
        let len = int_part.len();
        for (i, ch) in int_part.chars().enumerate() {
            if i > 0 && (len - i) % 3 == 0 {
                out.push(thou);
            }
            out.push(ch);
        }
        if let Some(f) = frac_part {
            out.push(dec);
            out.push_str(f);
        }
        out
    }

    /// Like [`Lang::number`] but with as many decimals as the value needs, at most `max`.
    pub fn number_auto(self, value: f64, max: usize) -> String {
        self.number(value, decimals_needed(value, max))
    }

    /// `1,4%`: `value` is a number of percent (1.4 means 1,4%).
    pub fn percent(self, value: f64, decimals: usize) -> String {
        format!("{}%", self.number(value, decimals))
    }

    /// A change with an explicit sign: `+0,3` or `−0,2`; zero has no sign.
    pub fn signed(self, value: f64, decimals: usize) -> String {
        let s = self.number(value, decimals);
        if value > 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
            format!("+{s}")
        } else {
            s
        }
    }

    /// `21 september 2021` (nl) or `21 September 2021` (en).
    pub fn date_long(self, date: NaiveDate) -> String {
        let month = self.month_name(date.month());
        format!("{} {} {}", date.day(), month, date.year())
    }

    pub fn month_name(self, month: u32) -> &'static str {
        const NL: [&str; 12] = [
            "januari",
            "februari",
            "maart",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        ];
        const EN: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        let i = (month.clamp(1, 12) - 1) as usize;
        match self {
            Lang::Nl => NL[i],
            Lang::En => EN[i],
        }
    }

    /// File sizes as people read them: `1,2 MB`, `340 kB`.
    pub fn file_size(self, bytes: u64) -> String {
        let b = bytes as f64;
        if b >= 1_000_000.0 {
            format!("{} MB", self.number(b / 1_000_000.0, 1))
        } else if b >= 1_000.0 {
            format!("{} kB", self.number((b / 1_000.0).round(), 0))
        } else {
            format!("{} bytes", self.number(b, 0))
        }
    }
}

/// The number of decimals (at most `max`) needed to show `value` without trailing zeros.
pub fn decimals_needed(value: f64, max: usize) -> usize {
    let s = format!("{:.*}", max, value.abs());
    match s.split_once('.') {
        Some((_, frac)) => frac.trim_end_matches('0').len(),
        None => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_numbers() {
        let nl = Lang::Nl;
        assert_eq!(nl.number(6291.0, 0), "6.291");
        assert_eq!(nl.number(22766.0, 0), "22.766");
        assert_eq!(nl.number(1234567.891, 2), "1.234.567,89");
        assert_eq!(nl.number(999.0, 0), "999");
        assert_eq!(nl.percent(1.4, 1), "1,4%");
        assert_eq!(nl.number(-0.2, 1), "\u{2212}0,2");
        assert_eq!(nl.number(-0.04, 1), "0,0");
        assert_eq!(nl.signed(0.3, 1), "+0,3");
        assert_eq!(nl.signed(0.0, 1), "0,0");
        assert_eq!(nl.number_auto(1.45, 2), "1,45");
        assert_eq!(nl.number_auto(1.3, 2), "1,3");
        assert_eq!(nl.number_auto(42.0, 2), "42");
    }

    #[test]
    fn english_numbers() {
        assert_eq!(Lang::En.number(6291.5, 1), "6,291.5");
        assert_eq!(Lang::En.percent(1.4, 1), "1.4%");
    }

    #[test]
    fn dates_and_sizes() {
        let d = NaiveDate::from_ymd_opt(2021, 9, 21).unwrap();
        assert_eq!(Lang::Nl.date_long(d), "21 september 2021");
        assert_eq!(Lang::En.date_long(d), "21 September 2021");
        assert_eq!(Lang::Nl.file_size(1_234_567), "1,2 MB");
        assert_eq!(Lang::Nl.file_size(340_400), "340 kB");
        assert_eq!(Lang::from_code("nl-NL"), Some(Lang::Nl));
        assert_eq!(Lang::from_code("fr"), None);
    }
}
