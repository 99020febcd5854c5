//! bundel turns Markdown narratives plus YAML/CSV figures into a static website.
//!
//! The data flows one way, one module per stage:
//! [`config`] -> [`content`] and [`data`] -> [`markdown`] -> [`chart`] -> [`templates`] -> [`output`],
//! with [`site`] driving the stages in order.

pub mod chart;
pub mod check;
pub mod config;
pub mod content;
pub mod data;
pub mod diagnostic;
pub mod figures;
pub mod generate;
pub mod locale;
pub mod markdown;
pub mod output;
pub mod pdf;
pub mod scaffold;
pub mod serve;
pub mod site;
pub mod templates;
