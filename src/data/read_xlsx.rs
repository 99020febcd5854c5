//! Workbooks (`.xlsx`, `.xlsm`, `.ods`) as tables: cell values through `calamine`, and which
//! cells are shown as percentages from the workbook's own XML (Excel's styles, OpenDocument's
//! `office:value-type`), because 1,4% is stored as 0.014 and a reader of the value alone
//! would publish a number 100 times too small.
//!
//! Every sheet is a table: the first (or the one the sidecar's `sheet:` names) under the
//! file's name, each also as `name#Sheet name`. The header row is found as in a CSV file:
//! title lines above it and source lines below the table are not rows. Merged header
//! cells above the header row give their label to every column below them:
//! `2020/2021 – aantal`. Positions in messages are (row, column) of the sheet.

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};
use std::path::Path;

use calamine::{Data, Reader, Xlsx};

use super::infer::{self, RawCell, RawColumn, RawRow, RawTable};
use super::meta::Meta;
use super::DataTable;
use crate::diagnostic::Diagnostic;

/// All sheets of a workbook, in workbook order: (sheet name, table).
pub(super) fn read(
    name: &str,
    source: &Path,
    bytes: &[u8],
    meta: &Meta,
) -> Result<Vec<(String, DataTable)>, Vec<Diagnostic>> {
    let unreadable = |e: &dyn std::fmt::Display| {
        vec![Diagnostic::file(source, format!("cannot read this workbook: {e}"))
            .with_hint("open it in Excel and save it again as an Excel workbook (.xlsx), or as \"CSV UTF-8\"")]
    };
    let ods = source
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ods"));
    let sheets = if ods {
        open_ods(bytes).map_err(|e| unreadable(&e))?
    } else {
        open_xlsx(bytes).map_err(|e| unreadable(&e))?
    };
    let names: Vec<String> = sheets.iter().map(|s| s.name.clone()).collect();
    if let Some(wanted) = &meta.sheet {
        if !names.contains(wanted) {
            let file = meta.file.clone().unwrap_or_else(|| source.to_path_buf());
            return Err(vec![Diagnostic::file(
                file,
                format!("`sheet: {wanted}`: {} has no such sheet", source.display()),
            )
            .with_hint(format!(
                "the sheets are {}",
                super::quoted_list(&names.iter().map(String::as_str).collect::<Vec<_>>(), "and")
            ))]);
        }
    }
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for sheet in sheets {
        let range = match sheet.range {
            Ok(r) => r,
            Err(e) => {
                diags.push(Diagnostic::file(
                    source,
                    format!("cannot read the sheet `{}`: {e}", sheet.name),
                ));
                continue;
            }
        };
        match sheet_table(&range, Some(&sheet.percent), &sheet.merged, meta, source) {
            Ok(raw) => match infer::build(name, source, raw, meta, None) {
                Ok(t) => out.push((sheet.name.clone(), t)),
                Err(d) => diags.extend(d),
            },
            // An empty sheet beside the data (a chart sheet, notes) is not an error.
            Err(None) => {}
            Err(Some(d)) => diags.push(d),
        }
    }
    if out.is_empty() && diags.is_empty() {
        diags.push(
            Diagnostic::file(source, "this workbook has no sheet with a table in it")
                .with_hint("put the column names in one row and the figures below them"),
        );
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(diags)
    }
}

/// A sheet as the workbook gives it: values, merged cells (start and end, row and column),
/// and the cells shown as percentages.
struct Sheet {
    name: String,
    range: Result<calamine::Range<Data>, String>,
    merged: Vec<(u32, u32, u32, u32)>,
    percent: HashSet<(u32, u32)>,
}

fn open_xlsx(bytes: &[u8]) -> Result<Vec<Sheet>, String> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut percent = percent_cells(bytes).unwrap_or_default();
    // Without them a workbook still reads; group labels are then left out. (calamine
    // panics when asked for merged regions it could not load.)
    let merged_ok = book.load_merged_regions().is_ok();
    let names = book.sheet_names();
    Ok(names
        .into_iter()
        .map(|name| Sheet {
            range: book.worksheet_range(&name).map_err(|e| e.to_string()),
            merged: if merged_ok {
                book.merged_regions_by_sheet(&name)
                    .iter()
                    .map(|(_, _, d)| (d.start.0, d.start.1, d.end.0, d.end.1))
                    .collect()
            } else {
                Vec::new()
            },
            percent: percent.remove(&name).unwrap_or_default(),
            name,
        })
        .collect())
}

fn open_ods(bytes: &[u8]) -> Result<Vec<Sheet>, String> {
    let mut book: calamine::Ods<_> =
        calamine::Ods::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
    let mut percent = ods_percent_cells(bytes).unwrap_or_default();
    let names = book.sheet_names();
    Ok(names
        .into_iter()
        .map(|name| Sheet {
            range: book.worksheet_range(&name).map_err(|e| e.to_string()),
            merged: Vec::new(),
            percent: percent.remove(&name).unwrap_or_default(),
            name,
        })
        .collect())
}

/// An OpenDocument spreadsheet marks percentage cells itself:
/// `<table:table-cell office:value-type="percentage" office:value="0.014">`. Positions count
/// repeated rows and cells as the format writes them.
fn ods_percent_cells(bytes: &[u8]) -> Option<HashMap<String, HashSet<(u32, u32)>>> {
    use quick_xml::events::Event;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut xml = String::new();
    zip.by_name("content.xml")
        .ok()?
        .read_to_string(&mut xml)
        .ok()?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut out: HashMap<String, HashSet<(u32, u32)>> = HashMap::new();
    let (mut sheet, mut row, mut col, mut row_repeat) = (String::new(), 0u32, 0u32, 1u32);
    let attr = |e: &quick_xml::events::BytesStart, key: &str| -> Option<String> {
        e.attributes()
            .filter_map(Result::ok)
            .find(|a| a.key.as_ref() == key.as_bytes())
            .and_then(|a| String::from_utf8(a.value.into_owned()).ok())
    };
    loop {
        let (e, empty) = match reader.read_event() {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(e)) => {
                if e.name().as_ref() == b"table:table-row" {
                    row = row.saturating_add(row_repeat);
                }
                continue;
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => continue,
        };
        match e.name().as_ref() {
            b"table:table" => {
                sheet = attr(&e, "table:name").unwrap_or_default();
                row = 0;
            }
            b"table:table-row" => {
                col = 0;
                row_repeat = attr(&e, "table:number-rows-repeated")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1);
                if empty {
                    row = row.saturating_add(row_repeat);
                }
            }
            b"table:table-cell" | b"table:covered-table-cell" => {
                let repeat: u32 = attr(&e, "table:number-columns-repeated")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1);
                if attr(&e, "office:value-type").as_deref() == Some("percentage") {
                    let cells = out.entry(sheet.clone()).or_default();
                    for c in col..col.saturating_add(repeat.min(16_384)) {
                        cells.insert((row, c));
                    }
                }
                col = col.saturating_add(repeat);
            }
            _ => {}
        }
    }
    Some(out)
}

/// One sheet as raw rows and columns; `Err(None)` for a sheet without a table.
fn sheet_table(
    range: &calamine::Range<Data>,
    percent: Option<&HashSet<(u32, u32)>>,
    merged: &[(u32, u32, u32, u32)],
    meta: &Meta,
    source: &Path,
) -> Result<RawTable, Option<Diagnostic>> {
    let Some((top, left)) = range.start() else {
        return Err(None);
    };
    // Rows as (1-based sheet row, cells with their 1-based sheet column).
    let rows: Vec<(u32, Vec<RawCell>)> = range
        .rows()
        .enumerate()
        .map(|(i, r)| {
            let row = top + i as u32;
            let cells = r
                .iter()
                .enumerate()
                .map(|(j, v)| {
                    let col = left + j as u32;
                    let is_pct = percent.is_some_and(|p| p.contains(&(row, col)));
                    raw_cell(v, is_pct, row as usize + 1, col as usize + 1)
                })
                .collect();
            (row, cells)
        })
        .collect();
    let filled = |cells: &[RawCell]| cells.iter().filter(|c| !c.text.trim().is_empty()).count();
    let header_at = match meta.header_line {
        Some(n) => rows.iter().position(|(r, _)| *r as usize + 1 == n),
        None => rows.iter().position(|(_, c)| filled(c) >= 2),
    };
    let Some(h) = header_at else {
        return Err(None);
    };
    let (header_row, header) = &rows[h];
    // Group labels from merged cells in the row above the header, spread over their span.
    let mut group: HashMap<u32, String> = HashMap::new();
    if h > 0 {
        let (above_row, above) = &rows[h - 1];
        for &(r0, c0, r1, c1) in merged {
            if r0 <= *above_row && *above_row <= r1 && r1 < *header_row {
                let label = above
                    .get((c0 - left) as usize)
                    .map(|c| c.text.trim().to_string())
                    .unwrap_or_default();
                if !label.is_empty() {
                    for c in c0..=c1 {
                        group.insert(c, label.clone());
                    }
                }
            }
        }
    }
    let mut width = header.len();
    while width > 1 && header[width - 1].text.trim().is_empty() {
        width -= 1;
    }
    let mut columns = Vec::with_capacity(width);
    let mut seen = HashSet::new();
    for (j, cell) in header[..width].iter().enumerate() {
        let base = cell.text.trim().to_string();
        let name = match group.get(&(left + j as u32)) {
            Some(g) if !base.is_empty() => format!("{g} – {base}"),
            _ => base,
        };
        if name.is_empty() || !seen.insert(name.clone()) {
            let what = if name.is_empty() {
                format!("column {} has no name", j + 1)
            } else {
                format!("column name `{name}` is used twice")
            };
            return Err(Some(
                Diagnostic::new(source, cell.line, cell.col, what)
                    .with_hint("give every column of the header row its own name"),
            ));
        }
        columns.push(RawColumn {
            name,
            line: cell.line,
            col: cell.col,
        });
    }
    let mut body: Vec<(u32, Vec<RawCell>)> = rows[h + 1..]
        .iter()
        .map(|(r, cells)| {
            let mut cells: Vec<RawCell> = cells
                .iter()
                .take(width)
                .map(|c| RawCell {
                    text: c.text.clone(),
                    native: c.native,
                    percent: c.percent,
                    line: c.line,
                    col: c.col,
                })
                .collect();
            while cells.len() < width {
                cells.push(raw_cell(
                    &Data::Empty,
                    false,
                    *r as usize + 1,
                    cells.len() + 1,
                ));
            }
            (*r, cells)
        })
        .filter(|(_, c)| filled(c) > 0)
        .collect();
    // Source and notes under the table: one filled cell, in the first column.
    let mut footer = Vec::new();
    let keep = match meta.footer_lines {
        Some(n) => body.len().saturating_sub(n),
        None => {
            let mut k = body.len();
            while k > 0 && width >= 2 && filled(&body[k - 1].1) == 1 {
                let first = body[k - 1].1[0].text.trim();
                if first.is_empty() || body[k - 1].1[0].native.is_some() {
                    break;
                }
                // `Totaal` or a region with no figures is a row; a sentence is a note.
                if !first.contains(' ') || first.len() < 12 {
                    break;
                }
                k -= 1;
            }
            k
        }
    };
    for (_, cells) in body.drain(keep..) {
        let text: Vec<&str> = cells
            .iter()
            .map(|c| c.text.trim())
            .filter(|t| !t.is_empty())
            .collect();
        footer.push(text.join(" "));
    }
    Ok(RawTable {
        columns,
        rows: body
            .into_iter()
            .map(|(r, cells)| RawRow {
                line: r as usize + 1,
                cells,
            })
            .collect(),
        footer,
    })
}

fn raw_cell(v: &Data, percent: bool, line: usize, col: usize) -> RawCell {
    let (text, native) = match v {
        Data::Int(i) => (i.to_string(), Some(*i as f64)),
        Data::Float(f) => (f.to_string(), Some(*f)),
        Data::String(s) => (s.clone(), None),
        Data::Bool(b) => (b.to_string(), None),
        Data::DateTime(d) => match d.as_datetime() {
            Some(dt) => (dt.date().format("%Y-%m-%d").to_string(), None),
            None => (d.as_f64().to_string(), Some(d.as_f64())),
        },
        Data::DateTimeIso(s) => (s.split('T').next().unwrap_or(s).to_string(), None),
        Data::DurationIso(s) => (s.clone(), None),
        Data::Error(e) => (format!("{e}"), None),
        Data::Empty => (String::new(), None),
    };
    // Excel keeps 1,4% as 0.014; bundel's percent columns hold percent units (1.4).
    let native = native.map(|v| if percent { v * 100.0 } else { v });
    RawCell {
        text,
        native,
        percent: percent && native.is_some(),
        line,
        col,
    }
}

/// Per sheet name, the (0-based row, column) of every cell whose number format shows a
/// percentage. Read from the workbook's own XML: calamine gives values, not formats.
fn percent_cells(bytes: &[u8]) -> Option<HashMap<String, HashSet<(u32, u32)>>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut text = |name: &str| -> Option<String> {
        let mut s = String::new();
        zip.by_name(name).ok()?.read_to_string(&mut s).ok()?;
        Some(s)
    };
    let styles = text("xl/styles.xml").unwrap_or_default();
    let workbook = text("xl/workbook.xml")?;
    let rels = text("xl/_rels/workbook.xml.rels")?;
    let percent_styles = percent_styles(&styles);
    let mut out = HashMap::new();
    if percent_styles.is_empty() {
        return Some(out);
    }
    let targets: HashMap<String, String> = elements(&rels, "Relationship")
        .into_iter()
        .filter_map(|a| Some((a.get("Id")?.clone(), a.get("Target")?.clone())))
        .collect();
    for sheet in elements(&workbook, "sheet") {
        let (Some(name), Some(id)) = (sheet.get("name"), sheet.get("r:id")) else {
            continue;
        };
        let Some(target) = targets.get(id) else {
            continue;
        };
        let path = match target.strip_prefix('/') {
            Some(abs) => abs.to_string(),
            None => format!("xl/{target}"),
        };
        let Some(xml) = text(&path) else { continue };
        let mut cells = HashSet::new();
        for c in elements(&xml, "c") {
            let (Some(r), Some(s)) = (c.get("r"), c.get("s")) else {
                continue;
            };
            if s.parse::<usize>()
                .is_ok_and(|s| percent_styles.contains(&s))
            {
                if let Some(pos) = cell_position(r) {
                    cells.insert(pos);
                }
            }
        }
        out.insert(name.clone(), cells);
    }
    Some(out)
}

/// Indices into `cellXfs` whose number format is a percentage: built-in 9 and 10, or a
/// format code with `%` outside quotes.
fn percent_styles(styles: &str) -> HashSet<usize> {
    let custom: HashMap<String, bool> = elements(styles, "numFmt")
        .into_iter()
        .filter_map(|a| {
            let code = a.get("formatCode")?;
            let mut quoted = false;
            let pct = code.chars().any(|ch| {
                if ch == '"' {
                    quoted = !quoted;
                }
                ch == '%' && !quoted
            });
            Some((a.get("numFmtId")?.clone(), pct))
        })
        .collect();
    let Some(start) = styles.find("<cellXfs") else {
        return HashSet::new();
    };
    let end = styles[start..]
        .find("</cellXfs>")
        .map_or(styles.len(), |e| start + e);
    elements(&styles[start..end], "xf")
        .into_iter()
        .enumerate()
        .filter(|(_, a)| {
            let id = a.get("numFmtId").map(String::as_str).unwrap_or("0");
            id == "9" || id == "10" || custom.get(id).copied().unwrap_or(false)
        })
        .map(|(i, _)| i)
        .collect()
}

/// The attributes of every element `tag` (`<tag a="1" .../>`), in document order.
fn elements(xml: &str, tag: &str) -> Vec<HashMap<String, String>> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.name().as_ref() == tag.as_bytes() => {
                let decoder = reader.decoder();
                let attrs = e
                    .attributes()
                    .filter_map(Result::ok)
                    .filter_map(|a| {
                        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
                        let value = a.decode_and_unescape_value(decoder).ok()?.into_owned();
                        Some((key, value))
                    })
                    .collect();
                out.push(attrs);
            }
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out
}

/// `B7` -> (6, 1), 0-based (row, column).
fn cell_position(r: &str) -> Option<(u32, u32)> {
    let split = r.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = r.split_at(split);
    let mut col: u32 = 0;
    for ch in letters.chars() {
        if !ch.is_ascii_uppercase() {
            return None;
        }
        col = col
            .checked_mul(26)?
            .checked_add(ch as u32 - 'A' as u32 + 1)?;
    }
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col.checked_sub(1)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references_and_percent_formats() {
        assert_eq!(cell_position("A1"), Some((0, 0)));
        assert_eq!(cell_position("B7"), Some((6, 1)));
        assert_eq!(cell_position("AA10"), Some((9, 26)));
        assert_eq!(cell_position("7"), None);
        let styles = r#"<styleSheet><numFmts><numFmt numFmtId="164" formatCode="0.0%"/><numFmt numFmtId="165" formatCode="&quot;%&quot; 0"/></numFmts>
<cellStyleXfs><xf numFmtId="10"/></cellStyleXfs>
<cellXfs><xf numFmtId="0"/><xf numFmtId="9"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="3"/></cellXfs></styleSheet>"#;
        let mut got: Vec<usize> = percent_styles(styles).into_iter().collect();
        got.sort();
        assert_eq!(got, [1, 2]);
    }
}
