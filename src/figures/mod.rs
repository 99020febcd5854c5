//! Stage 4: figures from data. The `chart`, `table` and `kpi` fenced blocks of a page become
//! numbered, sourced, accessible HTML: charts as inline SVG with their numbers in a data
//! table beside them, tables with Dutch number formatting, key figures as tiles.
//!
//! The Markdown stage hands each block here through [`render_block`]; numbering runs per
//! page (or per chapter in a report) and every numbered figure is recorded as a
//! [`FigureRef`] so cross-references (`@fig-id`) can be resolved once all pages are done.

mod chart_block;
mod fields;
mod kpi;
mod prepare;
mod table_html;
pub mod words;

use std::path::{Path, PathBuf};

use crate::data::DataStore;
use crate::diagnostic::Diagnostic;
use crate::locale::Lang;
use crate::markdown::FencedBlock;
pub use words::Words;

/// Block kinds this module renders; other fenced blocks stay code.
pub const BLOCK_KINDS: &[&str] = &["chart", "table", "kpi"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum FigureKind {
    Figure,
    Table,
}

/// A numbered figure or table, for cross-references.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FigureRef {
    /// The anchor id: the author's `id` (`fig-vsv-trend`) or a generated one.
    pub id: String,
    /// Whether the author gave the id (only those can be referenced).
    pub explicit: bool,
    pub kind: FigureKind,
    /// `2.1` in chapter 2, `3` on an ordinary page.
    pub number: String,
    pub title: String,
    /// Site path of the page it is on.
    pub page_path: String,
    pub file: PathBuf,
    pub line: usize,
}

/// Figure and table counters of one document (a page, or a report chapter).
#[derive(Debug, Clone, Default)]
pub struct Numbering {
    pub chapter: Option<u32>,
    pub figures: u32,
    pub tables: u32,
}

impl Numbering {
    fn next(&mut self, kind: FigureKind) -> String {
        let n = match kind {
            FigureKind::Figure => {
                self.figures += 1;
                self.figures
            }
            FigureKind::Table => {
                self.tables += 1;
                self.tables
            }
        };
        match self.chapter {
            Some(c) => format!("{c}.{n}"),
            None => n.to_string(),
        }
    }
}

/// Everything a block needs from the page and site around it.
pub struct BlockEnv<'a> {
    pub data: &'a DataStore,
    pub lang: Lang,
    /// Source file of the page (for messages).
    pub file: &'a Path,
    /// Site path of the page (for cross-references).
    pub page_path: &'a str,
    /// Chart colours from the theme.
    pub palette: &'a [String],
    pub numbering: &'a mut Numbering,
    pub refs: &'a mut Vec<FigureRef>,
    /// What is worth saying but does not stop the build (a totals cell left empty).
    pub warnings: &'a mut Vec<Diagnostic>,
    /// Rows every block on this page is limited to (a generated factsheet's region and
    /// year), as YAML `where` conditions applied before the block's own.
    pub scope: Option<&'a serde_yaml::Value>,
    /// The key column that is a period (`schooljaar`), for changes against the previous one.
    pub period: Option<&'a str>,
}

/// Renders a `chart`, `table` or `kpi` block; `Ok(None)` for any other fenced block.
pub fn render_block(
    block: &FencedBlock,
    env: &mut BlockEnv,
) -> Result<Option<String>, Vec<Diagnostic>> {
    match block.kind {
        "chart" => chart_block::render(block, env).map(Some),
        "table" => table_html::render_block(block, env).map(Some),
        "kpi" => kpi::render(block, env).map(Some),
        _ => Ok(None),
    }
}

/// Claims the next number for a figure or table and records it.
fn register(
    env: &mut BlockEnv,
    kind: FigureKind,
    id: Option<&str>,
    title: &str,
    line: usize,
) -> FigureRef {
    let number = env.numbering.next(kind);
    let word = Words::new(env.lang);
    let generated = format!(
        "{}-{}",
        match kind {
            FigureKind::Figure => word.figure_lower,
            FigureKind::Table => word.table_lower,
        },
        number.replace('.', "-")
    );
    let r = FigureRef {
        id: id.map(str::to_string).unwrap_or(generated),
        explicit: id.is_some(),
        kind,
        number,
        title: title.to_string(),
        page_path: env.page_path.to_string(),
        file: env.file.to_path_buf(),
        line,
    };
    env.refs.push(r.clone());
    r
}

/// Checks an author's figure id: `fig-...` for charts, `tbl-...` for tables.
fn check_id(id: &str, kind: FigureKind) -> Result<(), String> {
    let prefix = match kind {
        FigureKind::Figure => "fig-",
        FigureKind::Table => "tbl-",
    };
    let valid_chars = id
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if !id.starts_with(prefix) || id.len() <= prefix.len() || !valid_chars {
        return Err(format!(
            "the id `{id}` must start with `{prefix}` and use only lowercase letters, digits and hyphens, e.g. `{prefix}vsv-trend`"
        ));
    }
    Ok(())
}

/// `<p class="figure__notes">` and `<p class="figure__source">` under a figure.
fn notes_and_source(notes: &[String], source: Option<&str>, lang: Lang) -> String {
    let mut out = String::new();
    for n in notes {
        out.push_str(&format!("<p class=\"figure__notes\">{}</p>\n", esc(n)));
    }
    if let Some(s) = source {
        out.push_str(&format!(
            "<p class=\"figure__source\"><span class=\"figure__source-label\">{}:</span> {}</p>\n",
            Words::new(lang).source,
            esc(s)
        ));
    }
    out
}

/// A figure on a generated page whose rows are all absent (no figures per education type
/// for this region): the numbered caption and a sentence saying so, instead of an error
/// that would stop every other page. Elsewhere an empty figure stays an error (`None`).
fn empty_figure(
    env: &BlockEnv,
    fig: &FigureRef,
    title: &str,
    source: Option<&str>,
) -> Option<String> {
    let Some(serde_yaml::Value::Mapping(key)) = env.scope else {
        return None;
    };
    let words = Words::new(env.lang);
    let what: Vec<&str> = key.values().filter_map(|v| v.as_str()).collect();
    let label = match fig.kind {
        FigureKind::Figure => words.figure,
        FigureKind::Table => words.table,
    };
    let mut html = format!(
        "<figure class=\"figure figure--empty\" id=\"{id}\" aria-labelledby=\"{id}-caption\">\n<figcaption id=\"{id}-caption\"><span class=\"figure__label\">{label} {n}</span> {title}</figcaption>\n<p class=\"figure__empty\">{no_data} {what}</p>\n",
        id = esc(&fig.id),
        n = fig.number,
        title = esc(title),
        no_data = words.no_data_for,
        what = esc(&what.join(" ")),
    );
    html.push_str(&notes_and_source(&[], source, env.lang));
    html.push_str("</figure>\n");
    Some(html)
}

/// `print:` of a chart or table block: how the figure prints, as a class on the figure
/// (`wide`: across the page in the wide drawing; `hide`: on screen only). Themes decide
/// what the classes do; the default theme uses them on factsheets.
fn print_class(f: &mut fields::Fields) -> String {
    match f.str("print").as_deref() {
        None => String::new(),
        Some("wide") => " figure--print-wide".to_string(),
        Some("hide") => " figure--print-hide".to_string(),
        Some(other) => {
            f.error(
                "print",
                format!("unknown `print: {other}`"),
                "use `print: wide` (across the page) or `print: hide` (on screen only)",
            );
            String::new()
        }
    }
}

/// HTML-escapes text from content and data.
pub(crate) fn esc(s: &str) -> String {
    crate::markdown::escape_text(s)
}

/// Resolves cross-reference markers on a page: `@fig-x` becomes a link with the figure's
/// number ("figuur 2.1"). Unknown ids are reported at their line in `source_text`.
/// The page whose cross-references are being resolved.
pub struct XrefPage<'a> {
    /// Site path of the page.
    pub path: &'a str,
    /// Its Markdown source, to point at the line of an unknown reference.
    pub file: &'a Path,
    pub source_text: &'a str,
    pub first_line: usize,
}

pub fn link_xrefs(
    html: &str,
    refs: &std::collections::BTreeMap<String, FigureRef>,
    page: &XrefPage,
    lang: Lang,
    errors: &mut Vec<Diagnostic>,
) -> String {
    let (page_path, file, source_text, first_line) =
        (page.path, page.file, page.source_text, page.first_line);
    let words = Words::new(lang);
    crate::markdown::resolve_xrefs(html, |id, capital| match refs.get(id) {
        Some(r) => {
            let word = match (r.kind, capital) {
                (FigureKind::Figure, false) => words.figure_lower,
                (FigureKind::Figure, true) => words.figure,
                (FigureKind::Table, false) => words.table_lower,
                (FigureKind::Table, true) => words.table,
            };
            let href = if r.page_path == page_path {
                format!("#{}", r.id)
            } else {
                format!("{}{}#{}", crate::site::links::ROOT, r.page_path, r.id)
            };
            format!(
                "<a class=\"xref\" href=\"{href}\">{word}&nbsp;{}</a>",
                r.number
            )
        }
        None => {
            let (line, col) = find_reference(source_text, id).unwrap_or((0, 0));
            let known: Vec<&str> = refs.keys().map(String::as_str).collect();
            let close = crate::data::suggest(id, known.iter().copied());
            let hint = match close.first() {
                Some(c) => format!("did you mean `@{c}`? ids are set with `id:` in a chart or table block"),
                None => "give the chart or table block an `id: fig-...` or `id: tbl-...` and refer to it with `@fig-...`".to_string(),
            };
            errors.push(
                Diagnostic::new(
                    file,
                    line + first_line.saturating_sub(1),
                    col,
                    format!("reference to unknown figure or table `@{id}`"),
                )
                .with_hint(hint),
            );
            format!("@{id}")
        }
    })
}

/// (line, column) of `@id` in a Markdown text, ignoring the case of its first letter.
fn find_reference(text: &str, id: &str) -> Option<(usize, usize)> {
    let mut cap = id.to_string();
    cap[..1].make_ascii_uppercase();
    for (i, line) in text.lines().enumerate() {
        for needle in [format!("@{id}"), format!("@{cap}")] {
            if let Some(c) = line.find(&needle) {
                return Some((i + 1, line[..c].chars().count() + 1));
            }
        }
    }
    None
}
