//! bundel turns Markdown narratives plus YAML/CSV figures into a static website.
//!
//! The data flows one way, one module per stage:
//! [`config`] -> [`content`] and [`data`] -> [`markdown`] -> [`chart`] -> [`templates`] -> [`output`],
//! with [`site`] driving the stages in order.

pub mod chart;
pub mod config;
pub mod content;
pub mod data;
pub mod diagnostic;
pub mod locale;
pub mod markdown;
pub mod output;
pub mod pdf;
pub mod site;
pub mod templates;
