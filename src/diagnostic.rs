//! Errors a user can act on: where (file, line, column), what is wrong, how to fix it.
//!
//! Every stage reports problems as [`Diagnostic`]s and keeps going where it can, so one
//! build shows all problems at once instead of one per run.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// Whether a problem stops the build.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    #[default]
    Error,
    /// Reported, but the site is built.
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Path of the offending file, relative to the site root where possible.
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the file as a whole.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub col: usize,
    pub message: String,
    /// A concrete suggestion for fixing the problem.
    pub hint: Option<String>,
    pub severity: Severity,
    /// The offending line of the file, shown under the message with a caret at the column
    /// (see [`Diagnostics::quote_sources`]).
    pub source_line: Option<String>,
}

impl Diagnostic {
    pub fn new(
        file: impl AsRef<Path>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            file: file.as_ref().to_path_buf(),
            line,
            col,
            message: message.into(),
            hint: None,
            severity: Severity::Error,
            source_line: None,
        }
    }

    /// A problem with a file as a whole (missing, unreadable, ...).
    pub fn file(file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Diagnostic::new(file, 0, 0, message)
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The same problem as a warning: reported, but the site is built.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    fn is_spreadsheet(&self) -> bool {
        self.file.extension().is_some_and(|x| {
            ["xlsx", "xlsm", "xls", "ods"].contains(&x.to_string_lossy().to_lowercase().as_str())
        })
    }

    /// `file:line:col` as editors and terminals understand it; in a spreadsheet, the cell
    /// as the spreadsheet names it (`data/vsv.xlsx, cell B7`), since that is what its user
    /// can find.
    pub fn location(&self) -> String {
        let file = self.file.display();
        if self.is_spreadsheet() {
            return match (self.line, self.col) {
                (0, _) => format!("{file}"),
                (l, 0) => format!("{file}, row {l}"),
                (l, c) => format!("{file}, cell {}{l}", column_letters(c)),
            };
        }
        match (self.line, self.col) {
            (0, _) => format!("{file}"),
            (l, 0) => format!("{file}:{l}"),
            (l, c) => format!("{file}:{l}:{c}"),
        }
    }
}

/// A spreadsheet's name of a 1-based column: 1 is A, 27 is AA.
fn column_letters(mut col: usize) -> String {
    let mut letters = Vec::new();
    while col > 0 {
        let rem = (col - 1) % 26;
        letters.push(b'A' + rem as u8);
        col = (col - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// Lines longer than this are not quoted: a minified file or a CSV row with a huge cell
/// would flood the terminal.
const MAX_QUOTED_LINE: usize = 240;

/// The line under the message, as `annotate-snippets` lays it out: a gutter with the line
/// number and a caret under the offending value (from its column to the end of the word).
pub fn snippet(line: &str, line_number: usize, col: usize) -> Option<String> {
    use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
    let start = line
        .char_indices()
        .nth(col.checked_sub(1)?)
        .map(|(i, _)| i)?;
    let word = line[start..]
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '|' | '\t'))
        .unwrap_or(line.len() - start);
    let end = start + word.max(line[start..].chars().next().map_or(0, char::len_utf8));
    let report = &[Group::with_level(Level::ERROR).element(
        Snippet::source(line)
            .line_start(line_number)
            .annotation(AnnotationKind::Primary.span(start..end)),
    )];
    Some(Renderer::plain().render(report).to_string())
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}: {severity}: {}", self.location(), self.message)?;
        if let Some(quoted) = self
            .source_line
            .as_deref()
            .and_then(|l| snippet(l, self.line, self.col))
        {
            write!(f, "\n{quoted}")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  help: {hint}")?;
        }
        Ok(())
    }
}

/// A failed build: every problem found, sorted by location.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn new() -> Self {
        Diagnostics(Vec::new())
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Gives every problem at a line and column of a text file the text of that line, so it
    /// is shown under the message. `site_dir` is where the (relative) file names start.
    pub fn quote_sources(mut self, site_dir: &Path) -> Self {
        quote_sources(&mut self.0, site_dir);
        self
    }

    /// Like [`Diagnostics::into_result`], leaving `self` empty for further use.
    pub fn take_result(&mut self) -> Result<(), Diagnostics> {
        std::mem::take(self).into_result()
    }

    /// Ok(()) when empty, otherwise the sorted, de-duplicated list as an error.
    pub fn into_result(mut self) -> Result<(), Diagnostics> {
        if self.0.is_empty() {
            Ok(())
        } else {
            self.0.sort();
            self.0.dedup();
            Err(self)
        }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl From<Vec<Diagnostic>> for Diagnostics {
    fn from(v: Vec<Diagnostic>) -> Self {
        Diagnostics(v)
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        let n = self.0.len();
        write!(f, "{n} error{} found", if n == 1 { "" } else { "s" })
    }
}

impl std::error::Error for Diagnostics {}

/// See [`Diagnostics::quote_sources`].
pub fn quote_sources(diagnostics: &mut [Diagnostic], site_dir: &Path) {
    let mut files: HashMap<PathBuf, Option<String>> = HashMap::new();
    for d in diagnostics {
        if d.line == 0 || d.col == 0 || d.source_line.is_some() || d.is_spreadsheet() {
            continue;
        }
        let text = files.entry(d.file.clone()).or_insert_with(|| {
            let path = site_dir.join(&d.file);
            // Large data files are not read a second time for a quote.
            let small = std::fs::metadata(&path).is_ok_and(|m| m.len() < 8 << 20);
            small
                .then(|| std::fs::read(&path).ok())
                .flatten()
                .and_then(|b| String::from_utf8(b).ok())
        });
        let line = text
            .as_deref()
            .and_then(|t| t.lines().nth(d.line - 1))
            .map(|l| l.trim_end_matches('\r'))
            .filter(|l| l.len() <= MAX_QUOTED_LINE && l.chars().count() >= d.col);
        d.source_line = line.map(str::to_string);
    }
}

/// 1-based (line, column) of a byte offset in `text`; the column counts characters.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_offending_line_is_quoted_with_a_caret_under_the_value() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("data")).unwrap();
        std::fs::write(
            dir.path().join("data/a.csv"),
            "regio;n\r\nTwente;twaalf\r\n",
        )
        .unwrap();
        let d = Diagnostics::from(vec![
            Diagnostic::new("data/a.csv", 2, 8, "`twaalf` is not a number").with_hint("write 12"),
            Diagnostic::new("data/a.csv", 9, 1, "beyond the end"),
            Diagnostic::new("data/b.xlsx", 2, 2, "a workbook is not quoted"),
        ])
        .quote_sources(dir.path());
        assert_eq!(
            d.0[0].to_string(),
            "data/a.csv:2:8: error: `twaalf` is not a number\n  |\n2 | Twente;twaalf\n  |        ^^^^^^\n  help: write 12"
        );
        assert_eq!(d.0[1].source_line, None);
        assert_eq!(d.0[2].source_line, None);
        let w = Diagnostic::new("x.md", 1, 1, "m").warning();
        assert_eq!(w.to_string(), "x.md:1:1: warning: m");
    }

    #[test]
    fn formats_location_like_compilers_do() {
        let d = Diagnostic::new("content/a.md", 3, 7, "missing title")
            .with_hint("add `title: ...` to the front matter");
        assert_eq!(
            d.to_string(),
            "content/a.md:3:7: error: missing title\n  help: add `title: ...` to the front matter"
        );
        assert_eq!(Diagnostic::file("x.csv", "m").location(), "x.csv");
        assert_eq!(
            Diagnostic::new("data/vsv.xlsx", 7, 2, "m").location(),
            "data/vsv.xlsx, cell B7"
        );
        assert_eq!(
            Diagnostic::new("data/vsv.ods", 3, 28, "m").location(),
            "data/vsv.ods, cell AB3"
        );
        assert_eq!(
            Diagnostic::new("data/vsv.xlsx", 4, 0, "m").location(),
            "data/vsv.xlsx, row 4"
        );
    }

    #[test]
    fn line_col_counts_characters() {
        let t = "ab\nçd\nef";
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        assert_eq!(line_col(t, 5), (2, 2)); // after 'ç' (2 bytes)
        assert_eq!(line_col(t, 100), (3, 3));
    }
}
