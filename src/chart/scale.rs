//! Value axes: round 1-2-5 ticks and Dutch/English number labels.

use crate::locale::{decimals_needed, Lang};

/// Ticks at multiples of a 1-2-5 step covering `[lo, hi]`, about `count` intervals.
/// Returns the ticks and the number of decimals the step needs.
pub(crate) fn nice_ticks(lo: f64, hi: f64, count: usize) -> (Vec<f64>, usize) {
    let (lo, hi) = if hi > lo {
        (lo, hi)
    } else if lo == 0.0 {
        (0.0, 1.0)
    } else {
        // A flat series: open a band around the value so the line has somewhere to sit.
        let pad = lo.abs() * 0.5;
        (lo.min(0.0).min(lo - pad), hi.max(0.0).max(hi + pad))
    };
    // Among 1-2-5 steps near the raw step, take the one whose tick count is closest to
    // `count` while wasting the least room above and below the data.
    let raw = (hi - lo) / count.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let mut step = mag;
    let mut best = f64::INFINITY;
    for m in [0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0] {
        let s = m * mag;
        let n = (hi / s - 1e-9).ceil() - (lo / s + 1e-9).floor();
        let span = n * s;
        let score = (n - count as f64).abs() + 2.0 * (span - (hi - lo)) / span;
        if score < best - 1e-9 {
            best = score;
            step = s;
        }
    }
    let decimals = if step >= 1.0 {
        0
    } else {
        decimals_needed(step, 6)
    };
    // Integer multiples avoid 0.30000000000000004-style drift in labels and positions.
    let first = (lo / step + 1e-9).floor() as i64;
    let last = (hi / step - 1e-9).ceil() as i64;
    let round = 10f64.powi(decimals as i32);
    let ticks = (first..=last)
        .map(|k| ((k as f64 * step) * round).round() / round)
        .collect();
    (ticks, decimals)
}

/// How values are written in this chart.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fmt {
    pub lang: Lang,
    pub percent: bool,
    pub decimals: usize,
}

impl Fmt {
    /// A data value as in value labels and the description.
    pub(crate) fn value(&self, v: f64) -> String {
        self.with(v, self.decimals)
    }

    pub(crate) fn with(&self, v: f64, decimals: usize) -> String {
        if self.percent {
            self.lang.percent(v, decimals)
        } else {
            self.lang.number(v, decimals)
        }
    }

    /// A tick label: all ticks share the step's decimals, except that zero is always a
    /// plain `0` (`0%`), which is how Dutch reports print an axis origin.
    pub(crate) fn tick(&self, v: f64, decimals: usize) -> String {
        if v == 0.0 {
            self.with(0.0, 0)
        } else {
            self.with(v, decimals)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_use_round_steps() {
        let (t, d) = nice_ticks(0.0, 2.02, 4);
        assert_eq!(t, vec![0.0, 0.5, 1.0, 1.5, 2.0, 2.5]);
        assert_eq!(d, 1);
        let (t, d) = nice_ticks(0.0, 6291.0, 5);
        assert_eq!(t, vec![0.0, 2000.0, 4000.0, 6000.0, 8000.0]);
        assert_eq!(d, 0);
        let (t, _) = nice_ticks(-3.0, 7.0, 5);
        assert_eq!(t.first(), Some(&-4.0));
        assert_eq!(t.last(), Some(&8.0));
        let (t, d) = nice_ticks(0.0, 0.3, 3);
        assert_eq!(t, vec![0.0, 0.1, 0.2, 0.3]);
        assert_eq!(d, 1);
        let (t, _) = nice_ticks(5.0, 5.0, 4);
        assert!(t.first().unwrap() <= &0.0 && t.last().unwrap() >= &5.0);
    }

    #[test]
    fn tick_labels_are_dutch() {
        let f = Fmt {
            lang: Lang::Nl,
            percent: true,
            decimals: 2,
        };
        assert_eq!(f.tick(1.5, 1), "1,5%");
        assert_eq!(f.tick(0.0, 1), "0%");
        let f = Fmt {
            lang: Lang::Nl,
            percent: false,
            decimals: 0,
        };
        assert_eq!(f.tick(6000.0, 0), "6.000");
        assert_eq!(f.value(6291.0), "6.291");
    }
}
