//! Reading figures: every `.csv`, `.yaml` and `.yml` under `data/` becomes a [`DataTable`].
//!
//! Authors drop spreadsheet exports into `data/` and refer to them by name:
//! `data/dashboard/vsv.csv` is the table `dashboard/vsv`. Nothing needs configuring for
//! the usual exports: the delimiter (`,` `;` tab), the decimal mark, thousands
//! separators, the encoding (UTF-8 with or without BOM, Windows-1252, UTF-16 with BOM)
//! and the kind of each column are detected. When detection cannot be sure, loading
//! fails with a diagnostic that says which override settles it.
//!
//! # Override sidecar
//!
//! `data/<name>.meta.yaml` (or `.meta.yml`) next to `data/<name>.csv` overrides detection
//! for that one file; the sidecar is not a table itself. All keys are optional:
//!
//! ```yaml
//! delimiter: ";"          # "," ";" "|" or "tab"
//! decimal: ","            # "," or "."; the other mark is then the thousands separator
//! encoding: windows-1252  # any WHATWG label: utf-8, windows-1252, utf-16le, iso-8859-15, ...
//! header_line: 3          # 1-based line of the header row; lines above it are skipped
//! columns:                # column kinds: number, percent, text, date, schoolyear
//!   postcode: text
//!   aandeel: percent
//! ```
//!
//! For YAML data files only `decimal` and `columns` apply.
//!
//! # Values
//!
//! Empty cells and `-`, `–`, `n.b.`, `NA`, `n.v.t.`, `#N/B` mean "not available" and become
//! [`Cell::Missing`], never zero. Percentages (`1,4%`) are stored in percent units (1.4).
//! School years (`2020/2021`, `2020-2021`, `2020/21`) stay text in a
//! [`ColumnKind::SchoolYear`] column. Whole numbers with leading zeros (`0197`) are codes,
//! so such columns are text. In YAML, unquoted numbers are YAML numbers (`6.291` is six
//! point two nine one); quoted text such as `"6.291"` or `"1,4%"` is read like a CSV cell.

mod decode;
mod expr;
mod infer;
mod meta;
mod ops;
mod read_csv;
mod read_xlsx;
mod read_yaml;
#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use chrono::NaiveDate;
use rayon::prelude::*;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Serialize, Serializer};

use crate::diagnostic::Diagnostic;

pub use ops::Filter;

/// All data files of a site, by name. A file is read when it is first asked for, so a large
/// file that no page uses costs nothing; clones share what has been read.
#[derive(Debug, Clone, Default)]
pub struct DataStore {
    files: BTreeMap<String, DataFile>,
    /// Spreadsheet files in data/, so "no data file" can say why they were not read.
    unread: Vec<PathBuf>,
}

#[derive(Debug, Clone)]
struct DataFile {
    job: Job,
    /// The file's table (one per sheet for a workbook), or its problems; set on first use.
    read: Arc<OnceLock<Result<Vec<DataTable>, Vec<Diagnostic>>>>,
}

impl DataFile {
    fn read(&self) -> &Result<Vec<DataTable>, Vec<Diagnostic>> {
        self.read.get_or_init(|| load_job(&self.job))
    }

    /// The tables, if the file has been read and read well.
    fn tables_read(&self) -> &[DataTable] {
        match self.read.get() {
            Some(Ok(tables)) => tables,
            _ => &[],
        }
    }
}

/// One data file as a table. Row and column positions point into the original file so
/// later stages can report problems where the author can fix them.
#[derive(Debug, Clone, PartialEq)]
pub struct DataTable {
    /// `dashboard/vsv` for `data/dashboard/vsv.csv`.
    pub name: String,
    /// Relative to the site root, e.g. `data/vsv.csv`.
    pub source: PathBuf,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    /// Lines below the table in the file (StatLine's `Bron: CBS`, footnotes), as written.
    pub footer: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub name: String,
    pub kind: ColumnKind,
    /// 1-based position of the header cell; 0 when unknown (derived columns, some YAML).
    pub line: usize,
    pub col: usize,
    /// For a column made by `derive`: its formula, so that its total is the formula applied
    /// to the totals of its inputs (130 / 9.435 = 1,4%), never a sum of its values.
    pub derived: Option<Derived>,
    /// The file's totals row keeps its printed figure for this column even where it does
    /// not add up (`keep_printed_totals:` in the sidecar): shown with a note, warned about.
    pub kept_total: bool,
}

/// A `derive` formula over named columns; survives selecting and reordering columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Derived {
    expr: expr::Expr,
    /// The columns the formula reads, by name; `Col(i)` in `expr` is `inputs[i]`.
    inputs: Vec<String>,
}

/// What a totals row shows for one column.
#[derive(Debug, Clone, PartialEq)]
pub enum Total {
    Value(f64),
    /// Percentages, rates, ranks, years, text: adding them up means nothing.
    NotSummable,
    /// Some cells are empty or unknown, so any sum would be too low.
    Incomplete {
        missing: usize,
        of: usize,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColumnKind {
    Number,
    /// Numbers in percent units: 1.4 means 1,4%.
    Percent,
    Text,
    Date,
    /// `2020/2021`; the cells are [`Cell::Text`] as written.
    SchoolYear,
}

impl ColumnKind {
    pub fn is_numeric(self) -> bool {
        matches!(self, ColumnKind::Number | ColumnKind::Percent)
    }

    pub fn name(self) -> &'static str {
        match self {
            ColumnKind::Number => "number",
            ColumnKind::Percent => "percent",
            ColumnKind::Text => "text",
            ColumnKind::Date => "date",
            ColumnKind::SchoolYear => "schoolyear",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 1-based line in the source file where the row starts; 0 when unknown.
    pub line: usize,
    /// 1-based (line, column) of each cell in the source file, parallel to `cells`.
    /// A cell can sit on a later line than the row (after a quoted multi-line value);
    /// (row line, 0) when the column is unknown.
    pub pos: Vec<(usize, usize)>,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Not available: an empty cell, `.`, `n.b.`, ... Never zero.
    Missing,
    Number(f64),
    Text(String),
    Date(NaiveDate),
    /// A number-column cell written with one of the statistics offices' signs.
    Special(Special),
}

/// The signs of a statistics office's tables (CBS "verklaring van tekens"), kept with
/// their meaning so a table prints them as written, with the legend, and a chart leaves a
/// gap for what is not a number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Special {
    /// `-` or `–` standing alone: nil, none at all. Counts as 0.
    Nil,
    /// `x`: kept secret (too few cases to publish). Not a number.
    Secret,
    /// `n.v.t.`: not applicable. Not a number.
    NotApplicable,
    /// `10*`: a number with a mark after it (provisional, see the note).
    Marked(f64, char),
}

impl Special {
    /// The sign as printed: `–`, `x`, `n.v.t.` (`n/a` in English), or the number's mark.
    pub fn sign(self, lang: crate::locale::Lang) -> String {
        match self {
            Special::Nil => "–".into(),
            Special::Secret => "x".into(),
            Special::NotApplicable if lang == crate::locale::Lang::En => "n/a".into(),
            Special::NotApplicable => "n.v.t.".into(),
            Special::Marked(_, m) => m.to_string(),
        }
    }
}

impl Cell {
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Cell::Number(v) | Cell::Special(Special::Marked(v, _)) => Some(*v),
            Cell::Special(Special::Nil) => Some(0.0),
            _ => None,
        }
    }

    pub fn as_text(&self) -> Option<&str> {
        match self {
            Cell::Text(s) => Some(s),
            _ => None,
        }
    }

    /// No number to show or compute with: missing, secret or not applicable.
    pub fn is_missing(&self) -> bool {
        matches!(
            self,
            Cell::Missing | Cell::Special(Special::Secret | Special::NotApplicable)
        )
    }
}

impl Serialize for Cell {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.as_f64() {
            // Whole numbers as integers, so templates print `6291`, not `6291.0`.
            Some(v) if v.fract() == 0.0 && v.abs() < 9.0e15 => s.serialize_i64(v as i64),
            Some(v) => s.serialize_f64(v),
            None => match self {
                Cell::Text(t) => s.serialize_str(t),
                Cell::Date(d) => s.collect_str(&d.format("%Y-%m-%d")),
                _ => s.serialize_none(),
            },
        }
    }
}

/// Templates see a table as a list of records: `[{regio: "Achterhoek", aantal: 315}, ...]`.
impl Serialize for DataTable {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Record<'a>(&'a [Column], &'a Row);
        impl Serialize for Record<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut map = s.serialize_map(Some(self.0.len()))?;
                for (column, cell) in self.0.iter().zip(&self.1.cells) {
                    map.serialize_entry(&column.name, cell)?;
                }
                map.end()
            }
        }
        let mut seq = s.serialize_seq(Some(self.rows.len()))?;
        for row in &self.rows {
            seq.serialize_element(&Record(&self.columns, row))?;
        }
        seq.end()
    }
}

/// `txt` is Excel's "Unicode-tekst" export: UTF-16 with tabs, read like a CSV.
const DATA_EXTENSIONS: [&str; 7] = ["csv", "txt", "xlsx", "xlsm", "ods", "yaml", "yml"];
/// Spreadsheets bundel does not read (yet): named in "no data file" errors.
const SPREADSHEETS: [&str; 1] = ["xls"];

/// Tables with lines or rows (delimited text, workbooks); the rest of the data extensions
/// are YAML.
fn is_delimited(ext: &str) -> bool {
    ["csv", "txt", "xlsx", "xlsm", "ods"]
        .iter()
        .any(|e| ext.eq_ignore_ascii_case(e))
}

/// Excel's "Unicode-tekst": UTF-16 with a byte-order mark, or a first line with tabs.
fn is_tab_separated(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 4096];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    let head = &head[..n];
    head.starts_with(&[0xFF, 0xFE])
        || head.starts_with(&[0xFE, 0xFF])
        || head
            .split(|&b| b == b'\n')
            .next()
            .is_some_and(|line| line.contains(&b'\t'))
}

fn is_workbook(ext: &str) -> bool {
    ["xlsx", "xlsm", "ods"]
        .iter()
        .any(|e| ext.eq_ignore_ascii_case(e))
}

#[derive(Debug, Clone)]
struct Job {
    name: String,
    /// Relative to the site root, for diagnostics and [`DataTable::source`].
    source: PathBuf,
    path: PathBuf,
    /// (absolute, relative) path of the override sidecar.
    sidecar: Option<(PathBuf, PathBuf)>,
}

impl DataStore {
    /// Reads every data file under `site_root/data/` (recursively, sorted) now, reporting
    /// all problems found in all files, not just the first. For `bundel check`, which
    /// checks files no page uses yet.
    pub fn load(site_root: &Path) -> Result<DataStore, Vec<Diagnostic>> {
        let store = DataStore::open(site_root)?;
        store
            .files
            .values()
            .collect::<Vec<_>>()
            .par_iter()
            .for_each(|f| {
                f.read();
            });
        let diags = store.errors();
        if diags.is_empty() {
            Ok(store)
        } else {
            Err(diags)
        }
    }

    /// Finds the data files under `site_root/data/` (`.csv`, `.txt`, `.yaml`, `.yml`,
    /// `.xlsx`, `.ods`, ...) and their override files, without reading them: a file is
    /// read when a page first uses it. Errors here are about the folder itself (two files
    /// for one name, an override file without its data file).
    pub fn open(site_root: &Path) -> Result<DataStore, Vec<Diagnostic>> {
        let dir = site_root.join("data");
        if !dir.exists() {
            return Ok(DataStore::default());
        }
        let mut diags = Vec::new();
        let mut jobs: BTreeMap<String, Job> = BTreeMap::new();
        let mut sidecars: Vec<(String, PathBuf, PathBuf)> = Vec::new();
        let mut unread: Vec<PathBuf> = Vec::new();
        // Editors and Excel leave hidden and lock files (`.~lock.x.csv#`, `~$x.xlsx`) around.
        let walker = crate::walk::walk(&dir, site_root, site_root).skip_hidden();
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(d) => {
                    diags.push(d);
                    continue;
                }
            };
            if !entry.file_type().is_file() {
                continue;
            }
            let path = entry.path();
            let rel = relative(site_root, path);
            if path.extension().is_some_and(|e| {
                SPREADSHEETS.contains(&e.to_string_lossy().to_ascii_lowercase().as_str())
            }) {
                unread.push(rel);
                continue;
            }
            let Some((name, ext)) = table_name(&dir, path) else {
                continue;
            };
            if ext == "txt" && !is_tab_separated(path) {
                // Notes kept beside the data, not Excel's tab-separated export.
                continue;
            }
            if let Some(stem) = name.strip_suffix(".meta").filter(|_| !is_delimited(&ext)) {
                sidecars.push((stem.to_string(), path.to_path_buf(), rel));
                continue;
            }
            if let Some(other) = jobs.get(&name) {
                diags.push(
                    Diagnostic::file(
                        &rel,
                        format!(
                            "`{}` and `{}` both define the data `{name}`",
                            other.source.display(),
                            rel.display()
                        ),
                    )
                    .with_hint("rename or remove one of the two files"),
                );
                continue;
            }
            jobs.insert(
                name.clone(),
                Job {
                    name,
                    source: rel,
                    path: path.to_path_buf(),
                    sidecar: None,
                },
            );
        }
        for (stem, path, rel) in sidecars {
            match jobs.get_mut(&stem) {
                Some(job) => job.sidecar = Some((path, rel)),
                None => {
                    let mut d = Diagnostic::file(&rel, format!("override file for `{stem}`, but there is no data file `data/{stem}.csv` or `.yaml`"));
                    let close = suggest(&stem, jobs.keys().map(String::as_str));
                    d = match close.first() {
                        Some(c) => d.with_hint(format!("did you mean `data/{c}.meta.yaml`? An override file is named after its data file")),
                        None => d.with_hint("name it after the data file: data/<name>.meta.yaml for data/<name>.csv"),
                    };
                    diags.push(d);
                }
            }
        }
        if diags.is_empty() {
            let files = jobs
                .into_iter()
                .map(|(name, job)| {
                    let read = Arc::new(OnceLock::new());
                    (name, DataFile { job, read })
                })
                .collect();
            Ok(DataStore { files, unread })
        } else {
            diags.sort();
            diags.dedup();
            Err(diags)
        }
    }

    /// What to tell the author of a block whose `data:` could not be looked up: the fix of a
    /// file with problems is in the file, not in the block.
    pub fn lookup_hint(&self, name: &str) -> &'static str {
        let stem = split_extension(name.trim()).0;
        let stem = stem.strip_prefix("data/").unwrap_or(stem);
        match self.file_of(stem).map(DataFile::read) {
            Some(Err(_)) => "fix the problems listed for that file; this block uses it",
            _ => "data files live in the data/ folder; give the path without extension",
        }
    }

    /// The problems of every data file read so far, sorted.
    pub fn errors(&self) -> Vec<Diagnostic> {
        let mut diags: Vec<Diagnostic> = self
            .files
            .values()
            .filter_map(|f| f.read.get()?.as_ref().err())
            .flatten()
            .cloned()
            .collect();
        diags.sort();
        diags.dedup();
        diags
    }

    /// A store holding exactly these tables, for callers that build tables themselves.
    pub fn from_tables(tables: impl IntoIterator<Item = DataTable>) -> DataStore {
        let files = tables
            .into_iter()
            .map(|t| {
                let job = Job {
                    name: t.name.clone(),
                    source: t.source.clone(),
                    path: t.source.clone(),
                    sidecar: None,
                };
                let read = Arc::new(OnceLock::from(Ok(vec![t])));
                (job.name.clone(), DataFile { job, read })
            })
            .collect();
        DataStore {
            files,
            unread: Vec::new(),
        }
    }

    /// The table `dashboard/vsv` for `data/dashboard/vsv.csv` (`bestand#Blad2` for a sheet
    /// of a workbook), reading its file if that has not happened yet. `None` when there is
    /// no such table, or its file has problems (see [`DataStore::errors`]).
    pub fn get(&self, name: &str) -> Option<&DataTable> {
        self.file_of(name)?
            .read()
            .as_ref()
            .ok()?
            .iter()
            .find(|t| t.name == name)
    }

    fn file_of(&self, name: &str) -> Option<&DataFile> {
        self.files.get(name).or_else(|| {
            let (file, _sheet) = name.split_once('#')?;
            self.files.get(file)
        })
    }

    /// The names of the data files, and of the sheets of workbooks read so far.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        let sheets = self
            .files
            .values()
            .flat_map(|f| f.tables_read())
            .map(|t| t.name.as_str())
            .filter(|n| !self.files.contains_key(*n));
        let mut all: Vec<&str> = self
            .files
            .keys()
            .map(String::as_str)
            .chain(sheets)
            .collect();
        all.sort_unstable();
        all.into_iter()
    }

    /// Resolves a name written by a content author: `vsv`, `vsv.csv`, `dashboard/vsv` or
    /// `data/vsv.csv`. Names are paths inside `data/`, so absolute paths, `..`, `.` and
    /// backslashes are rejected: a data reference can never leave `data/`.
    pub fn lookup(&self, name: &str) -> Result<&DataTable, String> {
        let raw = name.trim();
        if raw.is_empty() {
            return Err(
                "empty data name; write the file name inside data/, e.g. `vsv` for data/vsv.csv"
                    .into(),
            );
        }
        let path_rule = "data names are paths inside data/ with forward slashes, e.g. `dashboard/vsv` for data/dashboard/vsv.csv";
        if raw.contains('\\') {
            return Err(format!("`{raw}`: backslashes are not allowed; {path_rule}"));
        }
        if raw.starts_with('/') || raw.as_bytes().get(1) == Some(&b':') {
            return Err(format!("`{raw}` is an absolute path; {path_rule}"));
        }
        if raw
            .split('/')
            .any(|part| part.is_empty() || part == "." || part == "..")
        {
            return Err(format!(
                "`{raw}` is not allowed (empty, `.` or `..` path parts); {path_rule}"
            ));
        }
        let (stem, ext) = split_extension(raw);
        let stem = match stem.strip_prefix("data/") {
            Some(s) if self.file_of(stem).is_none() => s,
            _ => stem,
        };
        if let Some(file) = self.file_of(stem) {
            if let Err(problems) = file.read() {
                return Err(format!(
                    "the data `{stem}` cannot be used until the {} of {} {} fixed",
                    match problems.len() {
                        1 => "problem".to_string(),
                        n => format!("{n} problems"),
                    },
                    file.job.source.display(),
                    if problems.len() == 1 { "is" } else { "are" },
                ));
            }
        }
        let found = self.get(stem);
        if let Some(table) = found {
            let actual = table
                .source
                .extension()
                .map(|e| e.to_string_lossy().to_ascii_lowercase());
            match ext {
                Some(e) if actual.as_deref() != Some(e.as_str()) => Err(format!(
                    "there is no data/{stem}.{e}; the data `{}` is {}, write `{}`",
                    table.name,
                    table.source.display(),
                    table.name
                )),
                _ => Ok(table),
            }
        } else {
            let mut msg = format!("no data file `{raw}` in data/");
            let close = suggest(stem, self.names());
            let sheet = self.unread.iter().find(|p| {
                let p = p.strip_prefix("data").unwrap_or(p).with_extension("");
                p.to_string_lossy().replace('\\', "/") == stem
            });
            if let Some(sheet) = sheet {
                msg.push_str(&format!(
                    "; `{}` is there, but bundel does not read spreadsheets yet: in Excel use Save As > \"CSV UTF-8 (door komma's gescheiden)\" or \"Unicode-tekst\" into data/",
                    sheet.display()
                ));
            } else if !close.is_empty() {
                msg.push_str(&format!("; did you mean {}?", quoted_list(&close, "or")));
            } else if self.files.is_empty() {
                msg.push_str("; the data/ folder has no .csv or .yaml files");
            } else if self.files.len() <= 12 {
                let all: Vec<&str> = self.names().collect();
                msg.push_str(&format!("; available: {}", quoted_list(&all, "and")));
            }
            Err(msg)
        }
    }

    /// Printed totals kept by `keep_printed_totals` in the files read so far, as warnings
    /// for every build.
    pub fn kept_totals(&self) -> Vec<Diagnostic> {
        self.each_table_once(|t| t.total_mismatches(true))
    }

    /// Checks the totals row of every table read so far; see [`DataTable::check_totals`].
    pub fn check_totals(&self) -> Vec<Diagnostic> {
        self.each_table_once(DataTable::check_totals)
    }

    /// A workbook's first sheet is stored under two names (`bestand`, `bestand#Blad1`): its
    /// problems are said once.
    fn each_table_once(&self, check: impl Fn(&DataTable) -> Vec<Diagnostic>) -> Vec<Diagnostic> {
        let all: std::collections::BTreeSet<Diagnostic> = self
            .files
            .values()
            .flat_map(DataFile::tables_read)
            .flat_map(check)
            .collect();
        all.into_iter().collect()
    }
}

impl DataTable {
    /// Reads CSV bytes without an override sidecar, e.g. inline data in a page.
    pub fn from_csv(name: &str, source: &Path, bytes: &[u8]) -> Result<DataTable, Vec<Diagnostic>> {
        read_csv::read(name, source, bytes, &meta::Meta::default())
    }

    pub fn column_index(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// A diagnostic pointing at one cell in the source file, for later stages that find
    /// a problem with a value (a chart asked to plot a text cell, ...).
    pub fn cell_diagnostic(
        &self,
        row: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Diagnostic {
        let r = &self.rows[row];
        let (line, c) = r.pos.get(col).copied().unwrap_or((r.line, 0));
        Diagnostic::new(&self.source, line, c, message)
    }

    /// The column's index, or an error naming the available columns.
    pub fn require_column(&self, name: &str) -> Result<usize, String> {
        self.column_index(name).ok_or_else(|| {
            let names: Vec<&str> = self.columns.iter().map(|c| c.name.as_str()).collect();
            let mut msg = format!("the data `{}` has no column `{name}`", self.name);
            let close = suggest(name, names.iter().copied());
            if !close.is_empty() {
                msg.push_str(&format!("; did you mean {}?", quoted_list(&close, "or")));
            }
            msg.push_str(&format!("; the columns are {}", quoted_list(&names, "and")));
            msg
        })
    }
}

/// The table of a data file; a workbook gives one per sheet (see [`read_xlsx`]).
fn load_job(job: &Job) -> Result<Vec<DataTable>, Vec<Diagnostic>> {
    let is_csv = job
        .source
        .extension()
        .is_some_and(|e| is_delimited(&e.to_string_lossy()));
    let meta = match &job.sidecar {
        Some((path, rel)) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| vec![Diagnostic::file(rel, format!("cannot read: {e}"))])?;
            meta::Meta::parse(&text, rel, is_csv)?
        }
        None => meta::Meta::default(),
    };
    let bytes = std::fs::read(&job.path)
        .map_err(|e| vec![Diagnostic::file(&job.source, format!("cannot read: {e}"))])?;
    let ext = job
        .source
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_default();
    if is_workbook(&ext) {
        let sheets = read_xlsx::read(&job.name, &job.source, &bytes, &meta)?;
        let main = meta
            .sheet
            .clone()
            .or_else(|| sheets.first().map(|(s, _)| s.clone()));
        let mut out = Vec::new();
        for (sheet, table) in sheets {
            if Some(&sheet) == main.as_ref() {
                out.push(table.clone());
            }
            out.push(DataTable {
                name: format!("{}#{sheet}", job.name),
                ..table
            });
        }
        Ok(out)
    } else if is_csv {
        read_csv::read(&job.name, &job.source, &bytes, &meta).map(|t| vec![t])
    } else {
        read_yaml::read(&job.name, &job.source, &bytes, &meta).map(|t| vec![t])
    }
}

/// `dashboard/vsv` and `csv` for `<dir>/dashboard/vsv.csv`; None for other files.
fn table_name(dir: &Path, path: &Path) -> Option<(String, String)> {
    let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
    if !DATA_EXTENSIONS.contains(&ext.as_str()) {
        return None;
    }
    let rel = path.strip_prefix(dir).ok()?.with_extension("");
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some((parts.join("/"), ext))
}

fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// `vsv.csv` -> (`vsv`, Some("csv")); names without a data extension are returned whole.
fn split_extension(name: &str) -> (&str, Option<String>) {
    if let Some((stem, ext)) = name.rsplit_once('.') {
        let ext = ext.to_ascii_lowercase();
        if DATA_EXTENSIONS.contains(&ext.as_str()) && !stem.is_empty() && !stem.ends_with('/') {
            return (stem, Some(ext));
        }
    }
    (name, None)
}

/// The override sidecar path for a data file: `data/x.meta.yaml` for `data/x.csv`.
pub fn sidecar_path(source: &Path) -> String {
    source.with_extension("meta.yaml").display().to_string()
}

/// Up to three candidates close to `target` (typos, case, a missing folder), closest first.
/// Up to three candidates close to `target` (typos, case), best first.
pub fn suggest<'a>(target: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let t = target.to_lowercase();
    let limit = (t.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = candidates
        .filter_map(|c| {
            let lc = c.to_lowercase();
            let base = lc.rsplit('/').next().unwrap_or(&lc);
            let d = if lc == t || base == t {
                0
            } else {
                strsim::levenshtein(&t, &lc).min(strsim::levenshtein(&t, base))
            };
            (d <= limit).then_some((d, c))
        })
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, c)| c).collect()
}

/// `` `a`, `b` or `c` `` with the given conjunction.
fn quoted_list(items: &[&str], conjunction: &str) -> String {
    let quoted: Vec<String> = items.iter().map(|s| format!("`{s}`")).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        n => format!(
            "{} {conjunction} {}",
            quoted[..n - 1].join(", "),
            quoted[n - 1]
        ),
    }
}
