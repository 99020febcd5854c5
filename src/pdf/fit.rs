//! Nothing printed is lost: before a document is printed, its print view is laid out at the
//! width of the paper and measured. Tables that are too wide first take the whole width
//! (in a layout of figures in pairs), then a smaller type size, then are split into parts of columns that repeat the label column, as a typesetter
//! would; what still does not fit (or is clipped by `overflow`) stops the build with the
//! block named. After printing, every table cell must be in the PDF's text.

use std::time::Instant;

use serde::Deserialize;

use super::cdp::{CdpError, Tab};

/// What the measurement found, and the text of every printed table cell.
#[derive(Debug, Deserialize)]
pub struct Measured {
    /// Blocks that do not fit on the paper, in document order.
    pub problems: Vec<Problem>,
    pub tables: Vec<PrintedTable>,
}

#[derive(Debug, Deserialize)]
pub struct Problem {
    /// "tabel 2.3 “Uitschrijvingen per instelling” (#tbl-uitschrijvingen)".
    pub block: String,
    /// Width the block needs and the width it has, in millimetres.
    pub needs_mm: f64,
    pub has_mm: f64,
    /// Clipped by `overflow` rather than running off the paper.
    pub clipped: bool,
    /// The block sits in a column narrower than the paper (a factsheet's half-width figure).
    pub in_column: bool,
    /// A table whose type was already made as small as it may be.
    pub shrunk: bool,
    /// The block is or holds a table.
    pub table: bool,
}

#[derive(Debug, Deserialize)]
pub struct PrintedTable {
    pub block: String,
    pub cells: Vec<String>,
}

/// Lays the loaded print view out at the paper's width, fits wide tables and measures.
/// The page keeps the fitted type sizes for printing.
pub fn measure(tab: &mut Tab, deadline: Instant) -> Result<Measured, CdpError> {
    let paper = tab.eval(PAPER_WIDTH_JS, deadline)?;
    let width = paper["main"].as_f64().unwrap_or(0.0);
    let lang = serde_json::to_string(paper["lang"].as_str().unwrap_or("")).unwrap_or_default();
    if width < 50.0 {
        // No usable @page size: Chromium prints at its own size; nothing to measure against.
        return Ok(Measured {
            problems: Vec::new(),
            tables: Vec::new(),
        });
    }
    tab.set_viewport_width(width.floor() as u32, deadline)?;
    let value = tab.eval(&format!("{FIT_JS}({}, {lang})", width.floor()), deadline)?;
    serde_json::from_value(value)
        .map_err(|e| CdpError::page(format!("reading the print measurements: {e}")))
}

/// Problems as one message, one line per block.
pub fn describe(problems: &[Problem]) -> String {
    let lines: Vec<String> = problems
        .iter()
        .map(|p| {
            let how = if p.clipped {
                format!(
                    "is cut off: its content is {:.0} mm wide in a box of {:.0} mm",
                    p.needs_mm, p.has_mm
                )
            } else if p.in_column {
                format!(
                    "is {:.0} mm wide, in a column of {:.0} mm",
                    p.needs_mm, p.has_mm
                )
            } else {
                format!(
                    "is {:.0} mm wide, and the paper has {:.0} mm between the margins",
                    p.needs_mm, p.has_mm
                )
            };
            let shrunk = if p.shrunk {
                ", even at the smallest type size (6.5 pt)"
            } else {
                ""
            };
            format!("\n  {} {how}{shrunk}", p.block)
        })
        .collect();
    format!(
        "{} {} not fit on the paper and would lose content:{}",
        problems.len(),
        if problems.len() == 1 {
            "block does"
        } else {
            "blocks do"
        },
        lines.concat()
    )
}

/// What the user can do about `problems`.
pub fn hint(problems: &[Problem]) -> String {
    let column = if problems.iter().any(|p| p.in_column) {
        "`print: wide` on the block prints it across the whole page; "
    } else {
        ""
    };
    let table = if problems.iter().any(|p| p.table) {
        "show fewer columns (`columns: [...]`) or shorter labels (`rename:`), or split the \
         table in two; `print: hide` leaves a table or chart out of the PDF"
    } else {
        ""
    };
    let other = if problems.iter().any(|p| !p.table) {
        "shorten what does not fit, or remove the width, `white-space` or `overflow` that \
         the page's own HTML or the theme sets on it"
    } else {
        ""
    };
    let sep = if !table.is_empty() && !other.is_empty() {
        "; "
    } else {
        ""
    };
    format!("{column}{table}{sep}{other}")
}

/// Cells of the print view that the PDF's text does not contain, per table. Text is
/// compared without white space, cell after cell in reading order, so a line break inside
/// a cell or a repeated header row does not matter, while a lost column does.
pub fn missing_cells(tables: &[PrintedTable], pdf_text: &str) -> Vec<(String, Vec<String>)> {
    let text = squeeze(pdf_text);
    let mut out = Vec::new();
    let mut start = 0;
    for table in tables {
        let cells: Vec<(String, String)> = table
            .cells
            .iter()
            .map(|c| (c.clone(), squeeze(c)))
            .filter(|(_, s)| !s.is_empty())
            .collect();
        let mut missing = Vec::new();
        let mut at = start;
        for (shown, squeezed) in &cells {
            match text[at..].find(squeezed.as_str()) {
                Some(i) => at += i + squeezed.len(),
                None => missing.push(shown.clone()),
            }
        }
        if missing.is_empty() {
            start = at;
        } else {
            out.push((table.block.clone(), missing));
        }
    }
    out
}

/// The text without white space or hyphens: a cell may wrap at a soft hyphen, which the PDF
/// shows as a hyphen at the end of the line.
fn squeeze(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '\u{ad}' | '\u{2010}' | '\u{200b}'))
        .collect()
}

/// The width between the side margins of the paper the main content prints on, in CSS px,
/// read from the page's `@page` rules (a factsheet's named page included), and its language.
const PAPER_WIDTH_JS: &str = r##"(() => {
  const mm = 96 / 25.4;
  const sizes = { a5: [148, 210], a4: [210, 297], a3: [297, 420], b5: [176, 250], b4: [250, 353],
    letter: [215.9, 279.4], legal: [215.9, 355.6], ledger: [279.4, 431.8] };
  const len = (v, ref) => {
    const m = String(v).trim().match(/^(-?[\d.]+)(mm|cm|in|px|pt|pc|q|%)?$/i);
    if (!m) return null;
    const n = parseFloat(m[1]);
    return { mm: n * mm, cm: n * 10 * mm, in: n * 96, px: n, pt: n * 4 / 3, pc: n * 16,
      q: n * mm / 4, '%': n / 100 * ref }[(m[2] || 'px').toLowerCase()];
  };
  const rules = [];
  const walk = list => {
    for (const r of list) {
      if (r instanceof CSSPageRule) rules.push(r);
      else if (r instanceof CSSMediaRule) { if (matchMedia(r.conditionText || r.media.mediaText).matches) walk(r.cssRules); }
      else if (r.cssRules) walk(r.cssRules);
    }
  };
  for (const s of document.styleSheets) { try { walk(s.cssRules); } catch (e) {} }
  // The document's page is that of its first heading: a factsheet names its page.
  const first = document.querySelector('main h1, h1, main p, p') || document.body;
  let name = 'auto';
  for (let e = first; e; e = e.parentElement) {
    const p = getComputedStyle(e).page;
    if (p && p !== 'auto') { name = p; break; }
  }
  const paper = only => {
    let width = null, left = 0, right = 0;
    const apply = r => {
      const st = r.style;
      const size = st.getPropertyValue('size').trim().toLowerCase();
      if (size && size !== 'auto') {
        const words = size.split(/\s+/);
        const known = words.find(w => sizes[w]);
        const lengths = words.map(w => len(w, 0)).filter(v => v !== null);
        let w = null, h = null;
        if (known) [w, h] = sizes[known].map(v => v * mm);
        else if (lengths.length) [w, h] = [lengths[0], lengths[1] ?? lengths[0]];
        else [w, h] = [210 * mm, 297 * mm];
        if (words.includes('landscape') && w < h) [w, h] = [h, w];
        if (words.includes('portrait') && w > h) [w, h] = [h, w];
        width = w;
      }
      const l = st.getPropertyValue('margin-left'), rt = st.getPropertyValue('margin-right');
      if (l) left = len(l, width ?? 0) ?? left;
      if (rt) right = len(rt, width ?? 0) ?? right;
    };
    rules.filter(r => !(r.selectorText || '').trim()).forEach(apply);
    if (only) rules.filter(r => (r.selectorText || '').trim() === only).forEach(apply);
    return width === null ? 0 : width - left - right;
  };
  return { main: paper(name === 'auto' ? null : name), lang: document.documentElement.lang || '' };
})()"##;

/// Fits and measures, at a viewport as wide as the paper `W` (CSS px). Wide tables step
/// their type down to 6.5 pt before they count as a problem. Returns `Measured` as JSON.
const FIT_JS: &str = r##"((W, lang) => {
  const mm = 96 / 25.4;
  const hidden = e => e.closest('.visually-hidden, .sr-only, [hidden]') !== null;
  const shown = e => e.getClientRects().length > 0 && !hidden(e);
  const clean = s => s.replace(/\s+/g, ' ').trim();
  const label = e => {
    const fig = e.closest('figure') || e.closest('table') || e;
    const cap = fig.querySelector(':scope > figcaption, :scope > caption');
    let name = cap ? '“' + clean(cap.textContent) + '”' : null;
    if (!name) {
      const t = clean(fig.textContent || '').slice(0, 50);
      name = fig.tagName.toLowerCase() + (t ? ' “' + t + (t.length === 50 ? '…' : '') + '”' : '');
    }
    return name + (fig.id ? ' (#' + fig.id + ')' : '');
  };
  // The box a block must stay within: its nearest ancestor that is not just a wrapper
  // overflowing with it.
  const frame = e => {
    for (let p = e.parentElement; p; p = p.parentElement) {
      const cs = getComputedStyle(p);
      if (cs.display === 'contents' || cs.display.startsWith('inline') && cs.display !== 'inline-block') continue;
      if (p.classList.contains('table-scroll')) continue;
      return p;
    }
    return document.body;
  };
  const room = p => {
    const r = p.getBoundingClientRect(), cs = getComputedStyle(p);
    const left = r.left + parseFloat(cs.paddingLeft) + parseFloat(cs.borderLeftWidth);
    const right = r.right - parseFloat(cs.paddingRight) - parseFloat(cs.borderRightWidth);
    return [Math.max(left, 0), Math.min(right, W)];
  };
  const excess = e => {
    const r = e.getBoundingClientRect();
    const [left, right] = room(frame(e));
    return Math.max(r.right - right, left - r.left, 0);
  };
  const min = 6.5 * 4 / 3;
  const step = 0.5 * 4 / 3;
  // Steps a table's type down, half a point at a time, each cell from its own size, until
  // it fits or reaches 6.5 pt. Returns whether it fits.
  const shrink = t => {
    const cells = [...t.querySelectorAll('th, td')];
    for (const c of cells) {
      const cs = getComputedStyle(c);
      c.style.paddingLeft = Math.min(parseFloat(cs.paddingLeft), 1.2 * mm) + 'px';
      c.style.paddingRight = Math.min(parseFloat(cs.paddingRight), 1.2 * mm) + 'px';
    }
    const sizes = cells.map(c => parseFloat(getComputedStyle(c).fontSize));
    for (let k = 1; excess(t) > 1 && sizes.some(v => v - k * step + step > min + 0.01); k++) {
      cells.forEach((c, i) => { c.style.fontSize = Math.max(min, sizes[i] - k * step) + 'px'; });
    }
    return excess(t) <= 1;
  };
  // Splits a table into parts of consecutive columns, each repeating the first (label)
  // column, as a typesetter does with a table too wide for the page. Tables with merged
  // cells are not split: where a group header would break is a choice for the author.
  const split = t => {
    const rows = [...t.rows];
    const n = rows.length ? rows[0].cells.length : 0;
    if (n < 3 || t.querySelector('[colspan], [rowspan]') || rows.some(r => r.cells.length !== n)) return null;
    const [left, right] = room(frame(t));
    const width = i => Math.max(...rows.map(r => r.cells[i].getBoundingClientRect().width));
    const w = [...Array(n).keys()].map(width);
    const groups = [];
    let cur = [], used = w[0];
    for (let i = 1; i < n; i++) {
      if (cur.length && used + w[i] > right - left) { groups.push(cur); cur = []; used = w[0]; }
      cur.push(i);
      used += w[i];
    }
    groups.push(cur);
    if (groups.length < 2) return null;
    const fig = t.closest('figure');
    const labelEl = fig && fig.querySelector('.figure__label');
    const name = labelEl ? clean(labelEl.textContent) : '';
    const more = (lang || '').startsWith('nl') ? 'vervolg' : 'continued';
    const parts = groups.map(g => {
      const c = t.cloneNode(true);
      c.removeAttribute('id');
      for (const r of c.rows) for (let i = n - 1; i >= 1; i--) if (!g.includes(i)) r.deleteCell(i);
      return c;
    });
    const out = [];
    parts.forEach((c, k) => {
      if (k > 0) {
        const p = document.createElement('p');
        p.className = 'table-part';
        p.textContent = name ? name + ', ' + more : more;
        p.style.cssText = 'font-weight:600;font-size:8pt;margin:4mm 0 1.5mm;break-after:avoid';
        out.push(p);
      }
      out.push(c);
    });
    t.replaceWith(...out);
    return parts;
  };
  const shrunk = new Set();
  for (const t of [...document.querySelectorAll('table')]) {
    if (!shown(t) || excess(t) <= 1) continue;
    // In a layout that prints figures in pairs, a table that does not fit its half takes
    // the whole width first (what `print: wide` asks for).
    const fig = t.closest('figure');
    const [figLeft, figRight] = fig ? room(frame(fig)) : [0, 0];
    if (fig && !fig.classList.contains('figure--print-wide') && figRight - figLeft > fig.getBoundingClientRect().width + 2) {
      fig.classList.add('figure--print-wide');
      if (excess(t) <= 1) continue;
    }
    const before = t.cloneNode(true);
    if (shrink(t)) continue;
    // Too wide even in the smallest type: back to its own size, then in parts.
    t.replaceWith(before);
    const parts = split(before);
    if (!parts) {
      shrink(before);
      shrunk.add(before);
      continue;
    }
    for (const part of parts) if (!shrink(part)) shrunk.add(part);
  }
  const problems = [];
  const seen = new Set();
  const report = (e, needs, has, clipped) => {
    const block = e.closest('figure, table') || e;
    // An element inside a block already reported, or containing one, is the same problem.
    if ([...seen].some(b => b.contains(block) || block.contains(b))) return;
    seen.add(block);
    const table = block.tagName === 'TABLE' ? block : block.querySelector('table');
    problems.push({
      block: label(block),
      needs_mm: needs / mm,
      has_mm: has / mm,
      clipped,
      in_column: !clipped && has < W - 2,
      shrunk: table !== null && shrunk.has(table),
      table: table !== null,
    });
  };
  // Boxes that cannot wrap their content: they overflow their column as a whole.
  const solid = new Set(['TABLE', 'IMG', 'svg', 'PRE', 'VIDEO', 'CANVAS', 'IFRAME', 'OBJECT']);
  // Children first, so the innermost box that overflows is the one named.
  const check = e => {
    if (e.getClientRects().length === 0 || e.matches('.visually-hidden, .sr-only')) return;
    const cs = getComputedStyle(e);
    if (cs.position === 'fixed') return;
    const isSvg = e.tagName === 'svg';
    if (!isSvg) for (const c of e.children) check(c);
    const r = e.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return;
    const root = e === document.body || e === document.documentElement;
    if (!isSvg && cs.overflowX !== 'visible' && e.scrollWidth > e.clientWidth + 2) {
      report(e, e.scrollWidth, e.clientWidth, true);
    } else if (!isSvg && !root && cs.overflowY !== 'visible' && e.scrollHeight > e.clientHeight + 2) {
      report(e, e.scrollWidth, e.clientWidth, true);
    } else if (r.right > W + 2 || r.left < -2) {
      report(e, r.width, W, false);
    } else if (!isSvg && e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 2 && r.left + e.scrollWidth > W + 2) {
      // Text that cannot wrap (a long web address) running off the paper.
      report(e, e.scrollWidth, W - r.left, false);
    } else if (solid.has(e.tagName) && excess(e) > 2) {
      const [left, right] = room(frame(e));
      report(e, r.width, right - left, false);
    }
  };
  check(document.body);
  const tables = [];
  for (const t of document.querySelectorAll('table')) {
    if (!shown(t)) continue;
    const cells = [];
    for (const c of t.querySelectorAll('th, td')) {
      if (!shown(c)) continue;
      let text = '';
      const walker = document.createTreeWalker(c, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const p = n.parentElement;
        if (p && shown(p)) text += n.textContent;
      }
      text = clean(text);
      if (text) cells.push(text);
    }
    tables.push({ block: label(t), cells });
  }
  return { problems, tables };
})"##;

#[cfg(test)]
mod tests {
    use super::*;

    fn table(cells: &[&str]) -> PrintedTable {
        PrintedTable {
            block: "tabel 1".into(),
            cells: cells.iter().map(|c| c.to_string()).collect(),
        }
    }

    #[test]
    fn cells_are_found_in_order_across_line_breaks() {
        let text = "Tabel 1\nRegionaal Opleidingen\nCentrum\n6.291\n896\npagina 2\n";
        let t = table(&["Regionaal Opleidingen Centrum", "6.291", "896"]);
        assert!(missing_cells(&[t], text).is_empty());
    }

    #[test]
    fn a_lost_column_is_reported() {
        let text = "Instelling Deelnem\nGraafschap College 6.2\n";
        let t = table(&["Instelling", "Deelnemers", "Graafschap College", "6.291"]);
        let missing = missing_cells(&[t], text);
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].1, vec!["Deelnemers", "6.291"]);
    }

    #[test]
    fn order_matters_so_a_number_elsewhere_does_not_count() {
        // "14" occurs before the table, not after "Totaal".
        let text = "Er waren 14 scholen.\nTotaal\n";
        let t = table(&["Totaal", "14"]);
        assert_eq!(missing_cells(&[t], text).len(), 1);
    }
}
