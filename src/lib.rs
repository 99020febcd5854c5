//! bundel turns Markdown narratives plus YAML/CSV figures into a static website.
//!
//! The data flows one way, one module per stage:
//! [`config`] -> [`content`] and [`data`] -> [`markdown`] -> [`chart`] -> [`templates`] -> [`output`],
//! with [`site`] driving the stages in order. [`images`] (responsive sizes) and [`search`]
//! (the Pagefind index) hook into the site stage where pages are rendered.

pub mod chart;
pub mod check;
pub mod config;
pub mod content;
pub mod data;
pub mod diagnostic;
pub mod figures;
pub mod generate;
pub mod images;
pub mod locale;
pub mod markdown;
pub mod output;
pub mod pdf;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod site;
pub mod templates;
pub mod url;
pub mod walk;
pub mod yaml;
