//! Charts as SVG: a [`ChartSpec`] (categories, series, options) in, an accessible SVG out.
//!
//! (Being built: see the data/charts issue.)
