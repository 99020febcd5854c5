//! CSV as people export it: `,` `;` or tab, quoted values with delimiters and line breaks
//! inside, title lines above the header, Excel's empty trailing columns.

use std::path::Path;

use super::infer::{self, RawCell, RawColumn, RawRow, RawTable};
use super::meta::Meta;
use super::DataTable;
use crate::diagnostic::Diagnostic;

/// One value with the position of its first character (the opening quote if quoted).
struct Field {
    text: String,
    line: usize,
    col: usize,
}

struct Record {
    line: usize,
    fields: Vec<Field>,
}

impl Record {
    fn is_blank(&self) -> bool {
        self.fields.iter().all(|f| f.text.trim().is_empty())
    }

    fn filled(&self) -> usize {
        self.fields
            .iter()
            .filter(|f| !f.text.trim().is_empty())
            .count()
    }
}

/// Stops after `limit` records. On an unclosed quote also returns its (line, col).
fn records(text: &str, delim: char, limit: usize) -> (Vec<Record>, Option<(usize, usize)>) {
    let mut chars = text.chars().peekable();
    let (mut line, mut col) = (1usize, 1usize);
    let mut out = Vec::new();
    while out.len() < limit && chars.peek().is_some() {
        let mut rec = Record {
            line,
            fields: Vec::new(),
        };
        loop {
            let (fline, fcol) = (line, col);
            let mut buf = String::new();
            if chars.peek() == Some(&'"') {
                chars.next();
                col += 1;
                loop {
                    match chars.next() {
                        None => {
                            rec.fields.push(Field {
                                text: buf,
                                line: fline,
                                col: fcol,
                            });
                            out.push(rec);
                            return (out, Some((fline, fcol)));
                        }
                        Some('"') => {
                            col += 1;
                            if chars.peek() == Some(&'"') {
                                chars.next();
                                col += 1;
                                buf.push('"');
                            } else {
                                break;
                            }
                        }
                        Some('\n') => {
                            line += 1;
                            col = 1;
                            buf.push('\n');
                        }
                        Some(c) => {
                            col += 1;
                            buf.push(c);
                        }
                    }
                }
            }
            // Unquoted value, or whatever follows a closing quote: kept as written, the
            // way spreadsheet programs read `"a"b` and `5"`.
            let more = loop {
                match chars.next() {
                    None => break false,
                    Some('\n') => {
                        line += 1;
                        col = 1;
                        break false;
                    }
                    Some(c) if c == delim => {
                        col += 1;
                        break true;
                    }
                    Some(c) => {
                        col += 1;
                        buf.push(c);
                    }
                }
            };
            rec.fields.push(Field {
                text: buf,
                line: fline,
                col: fcol,
            });
            if !more {
                break;
            }
        }
        out.push(rec);
    }
    (out, None)
}

/// The delimiter that splits the first records into the most rows of equal width,
/// preferring one under which the first record (the header) has that width too.
fn detect_delimiter(text: &str) -> char {
    let mut best: Option<((bool, usize, usize), char)> = None;
    // Ties go to `;` first: in Dutch files a `,` is as likely a decimal mark as a delimiter.
    let decimal_commas_only = only_decimal_commas(text);
    for (prio, delim) in [(3, ';'), (2, '\t'), (1, ','), (0, '|')] {
        if delim == ',' && decimal_commas_only {
            continue;
        }
        let (recs, _) = records(text, delim, 50);
        let mut counts: Vec<usize> = recs
            .iter()
            .filter(|r| !r.is_blank())
            .map(|r| r.fields.len())
            .collect();
        let Some(&first) = counts.first() else {
            continue;
        };
        counts.sort_unstable();
        let (mut mode, mut freq) = (0, 0);
        for run in counts.chunk_by(|a, b| a == b) {
            if run.len() >= freq {
                (mode, freq) = (run[0], run.len());
            }
        }
        if mode < 2 {
            continue;
        }
        let key = (first == mode, freq, prio);
        if best.as_ref().is_none_or(|(k, _)| key > *k) {
            best = Some((key, delim));
        }
    }
    // Nothing splits the lines into columns: one column, and commas (if any) are decimal.
    best.map(|(_, d)| d)
        .unwrap_or(if decimal_commas_only { ';' } else { ',' })
}

/// A header without commas and, in the first lines, commas only between two digits: a
/// one-column Dutch file (`aandeel`, `1,5`, `2,5`), not a comma-separated one.
fn only_decimal_commas(text: &str) -> bool {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty()).take(50);
    if lines.next().is_none_or(|header| header.contains(',')) {
        return false;
    }
    lines.all(|l| {
        let b = l.as_bytes();
        b.iter().enumerate().all(|(i, &c)| {
            c != b','
                || (i > 0
                    && b[i - 1].is_ascii_digit()
                    && b.get(i + 1).is_some_and(u8::is_ascii_digit))
        })
    })
}

pub(super) fn read(
    name: &str,
    source: &Path,
    bytes: &[u8],
    meta: &Meta,
) -> Result<DataTable, Vec<Diagnostic>> {
    let text =
        super::decode::decode(bytes, meta.encoding.as_deref(), source).map_err(|d| vec![d])?;
    if text.trim().is_empty() {
        return Err(vec![Diagnostic::file(source, "the file is empty")
            .with_hint(
                "export the sheet again, or delete the file if it is not needed",
            )]);
    }
    // Excel honours a first line `sep=;`, and some exports write one.
    let first_line = text.lines().next().unwrap_or("").trim();
    let sep_line = first_line.strip_prefix("sep=").and_then(|s| {
        let mut cs = s.chars();
        cs.next().filter(|_| cs.next().is_none())
    });
    let delim = meta
        .delimiter
        .or(sep_line)
        .unwrap_or_else(|| detect_delimiter(&text));
    let (mut recs, unclosed) = records(&text, delim, usize::MAX);
    if let Some((line, col)) = unclosed {
        return Err(vec![Diagnostic::new(
            source,
            line,
            col,
            "this quoted value has no closing `\"`",
        )
        .with_hint(
            "add the closing quote; a quote inside a quoted value is written twice (\"\")",
        )]);
    }
    let skip_to = meta
        .header_line
        .unwrap_or(if sep_line.is_some() { 2 } else { 1 });
    recs.retain(|r| r.line >= skip_to && !r.is_blank());
    let mut recs = recs.into_iter();
    let Some(header) = recs.next() else {
        let file = meta.file.clone().unwrap_or_else(|| source.to_path_buf());
        return Err(vec![Diagnostic::new(
            file,
            0,
            0,
            format!(
                "`header_line: {skip_to}` is past the last line of {}",
                source.display()
            ),
        )
        .with_hint(
            "set `header_line` to the line that holds the column names",
        )]);
    };
    let mut rows: Vec<Record> = recs.collect();
    let mut header = header;
    // StatLine and Excel exports put a title (one value per line) above the column names.
    if meta.header_line.is_none() && header.filled() == 1 {
        if let Some(i) = rows.iter().take(50).position(|r| r.filled() >= 2) {
            header = rows.remove(i);
            rows.drain(..i);
        }
    }
    // ... and the source and footnotes (one value per line) below the table.
    let mut footer = Vec::new();
    let keep = match meta.footer_lines {
        Some(n) => rows.len().saturating_sub(n),
        None => {
            let mut k = rows.len();
            while k > 0 && rows[k - 1].filled() == 1 && header.filled() >= 2 {
                let first = rows[k - 1]
                    .fields
                    .first()
                    .map(|f| f.text.trim())
                    .unwrap_or("");
                // A data row with only its label filled is a row, not a note.
                if rows[k - 1].fields.len() >= header.fields.len() || first.is_empty() {
                    break;
                }
                k -= 1;
            }
            k
        }
    };
    for rec in rows.drain(keep..) {
        let text: Vec<&str> = rec
            .fields
            .iter()
            .map(|f| f.text.trim())
            .filter(|t| !t.is_empty())
            .collect();
        footer.push(text.join(" "));
    }
    let mut diags = Vec::new();
    // Excel exports formatted-but-empty columns as trailing `;;;`: not a column.
    let mut width = header.fields.len();
    while width > 1
        && header.fields[width - 1].text.trim().is_empty()
        && rows.iter().all(|r| {
            r.fields
                .get(width - 1)
                .is_none_or(|f| f.text.trim().is_empty())
        })
    {
        width -= 1;
    }
    let mut columns: Vec<RawColumn> = Vec::with_capacity(width);
    let mut seen = std::collections::HashMap::new();
    for (i, f) in header.fields[..width].iter().enumerate() {
        let name = f.text.trim().to_string();
        if name.is_empty() {
            diags.push(
                Diagnostic::new(
                    source,
                    f.line,
                    f.col,
                    format!("column {} has no name", i + 1),
                )
                .with_hint("write a name in the header cell, or delete the column if it is empty"),
            );
        } else if let Some((l, c)) = seen.get(&name) {
            diags.push(
                Diagnostic::new(
                    source,
                    f.line,
                    f.col,
                    format!("column name `{name}` is used twice (first at line {l}, column {c})"),
                )
                .with_hint("give every column its own name"),
            );
        } else {
            seen.insert(name.clone(), (f.line, f.col));
        }
        columns.push(RawColumn {
            name,
            line: f.line,
            col: f.col,
        });
    }
    let mut raw_rows = Vec::with_capacity(rows.len());
    let mut ragged = 0;
    for rec in rows {
        let n = rec.fields.len();
        let extra = rec
            .fields
            .iter()
            .skip(width)
            .find(|f| !f.text.trim().is_empty());
        if n < width || extra.is_some() {
            ragged += 1;
            if ragged <= 10 {
                let at = extra.unwrap_or(&rec.fields[n - 1]);
                let d = delim_name(delim);
                diags.push(
                    Diagnostic::new(source, at.line, at.col, format!("this row has {n} values but the header has {width} columns"))
                        .with_hint(if n < width {
                            format!("add the missing values; an empty value is nothing between two delimiters ({d})")
                        } else {
                            format!("a value that contains the delimiter {d} must be in double quotes; otherwise remove the extra {d}")
                        }),
                );
            }
            continue;
        }
        let cells = rec
            .fields
            .into_iter()
            .take(width)
            .map(|f| RawCell {
                text: f.text,
                native: None,
                percent: false,
                line: f.line,
                col: f.col,
            })
            .collect();
        raw_rows.push(RawRow {
            line: rec.line,
            cells,
        });
    }
    if ragged > 10 {
        diags.push(Diagnostic::file(
            source,
            format!("{} more rows have the wrong number of values", ragged - 10),
        ));
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    infer::build(
        name,
        source,
        RawTable {
            columns,
            rows: raw_rows,
            footer,
        },
        meta,
        Some(delim),
    )
}

fn delim_name(delim: char) -> &'static str {
    match delim {
        ';' => "`;`",
        ',' => "`,`",
        '\t' => "tab",
        _ => "`|`",
    }
}
