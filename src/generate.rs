//! Stage 2b: pages generated from a data table (factsheets for every region and year).
//!
//! A section declares it in its `_index.md`:
//!
//! ```yaml
//! generate:
//!   data: factsheets/vsv-regio          # the table
//!   key: [regio, schooljaar]            # columns that identify one page
//!   where: {regio: "!= Landelijk"}      # optional: which rows get a page
//!   path: "{regio}/{schooljaar}"        # URL below the section; values are slugified
//!   title: "Vsv in cijfers {regio} {schooljaar}"
//!   template: _factsheet.md             # the Markdown body of every generated page
//!   layout: factsheet
//!   figure: {column: vsv_percentage, unit: "%"}   # the key figure, for listings
//! ```
//!
//! Every page gets the key values as front matter (`page.extra.regio`), and its `chart`,
//! `table` and `kpi` blocks only see the page's own rows unless they say otherwise. In the
//! template, `{regio}` stands for the page's value. A page written by hand at the same
//! address (or naming the same key values) is kept: its text becomes the commentary of
//! that factsheet.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_yaml::{Mapping, Value};

use crate::content::{self, Commentary, Content, FrontMatter, Generated, Page, PageId, PageKind};
use crate::data::{Cell, DataStore, DataTable, Filter};
use crate::diagnostic::Diagnostic;
use crate::locale::Lang;

struct Spec {
    data: String,
    key: Vec<String>,
    filter: Option<Value>,
    path: String,
    title: String,
    summary: Option<String>,
    template: String,
    layout: String,
    period: Option<String>,
    figure: Option<FigureSpec>,
}

/// `figure:` of the generate settings: the column listings show for each page.
struct FigureSpec {
    column: String,
    unit: Option<String>,
    decimals: Option<usize>,
}

/// Adds the generated pages of every section that asks for them.
pub fn apply(
    content: &mut Content,
    data: &DataStore,
    site_dir: &Path,
    lang: Lang,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let sections: Vec<usize> = content
        .sections
        .iter()
        .filter(|s| content.pages[s.page].front.extra.contains_key("generate"))
        .map(|s| s.id)
        .collect();
    if sections.is_empty() {
        return errors;
    }
    for sid in sections {
        if let Err(e) = generate_section(content, sid, data, site_dir, lang) {
            errors.extend(e);
        }
    }
    // A generated page may land on the address of a page written by hand elsewhere.
    if errors.is_empty() {
        errors.extend(content::duplicate_urls(content));
    }
    errors
}

/// Where problems with one section's `generate:` settings are reported: the line of
/// `generate:` itself, or of the setting inside it.
struct SpecPlace<'a> {
    file: &'a Path,
    line: usize,
    front: &'a str,
}

impl SpecPlace<'_> {
    fn at(&self, msg: String, hint: &str) -> Vec<Diagnostic> {
        vec![Diagnostic::new(self.file, self.line, 1, msg).with_hint(hint.to_string())]
    }

    /// At one setting inside `generate:`, so an unknown column points at `key:`.
    fn at_setting(&self, name: &str, msg: String, hint: &str) -> Vec<Diagnostic> {
        let (l, c) = setting_position(self.front, name).unwrap_or((self.line, 1));
        vec![Diagnostic::new(self.file, l, c, msg).with_hint(hint.to_string())]
    }
}

/// The rows of the data that become pages: the table (filtered by `where:`), the key
/// columns, and the rows of each key, in data order.
struct Rows {
    table: DataTable,
    key_cols: Vec<usize>,
    /// The key values of a page and its rows.
    groups: Vec<(Vec<String>, Vec<usize>)>,
    /// The columns that are not part of the key.
    non_key: Vec<usize>,
}

/// One page to make: the row-to-page mapping as plain data.
struct PagePlan {
    path: String,
    /// Key column -> this page's value.
    vars: Vec<(String, String)>,
    /// Front matter `extra` of the page: the key values, its row, its key figure.
    extra: Mapping,
    generated: Generated,
}

fn generate_section(
    content: &mut Content,
    sid: usize,
    data: &DataStore,
    site_dir: &Path,
    lang: Lang,
) -> Result<(), Vec<Diagnostic>> {
    let index = &content.pages[content.sections[sid].page];
    let file = index.source.clone();
    let front = index.front.source.clone();
    let place = SpecPlace {
        file: &file,
        line: index.front.line_of("generate"),
        front: &front,
    };
    let spec = read_spec(index.front.extra.get("generate"), &|m, h| place.at(m, h))?;
    let rows = choose_rows(&spec, data, &place)?;
    let (template_rel, template) = read_template(&spec, &place, site_dir)?;
    let figure = key_figure(&spec, &rows.table, &place)?;
    let section_path = content.pages[content.sections[sid].page].path.clone();
    let plans = plan_pages(&spec, &rows, figure, &section_path, lang)?;
    let existing = write_pages(content, sid, &spec, (&template_rel, &template), plans);
    unmatched_pages(content, &spec, &existing)
}

/// Looks up the table, applies `where:`, and groups its rows by key. Empty and duplicate
/// keys are errors, as is a first-key value (a region) without a single figure.
fn choose_rows(spec: &Spec, data: &DataStore, place: &SpecPlace) -> Result<Rows, Vec<Diagnostic>> {
    let mut table = data
        .lookup(&spec.data)
        .map_err(|m| {
            place.at_setting(
                "data",
                m,
                "name a table in data/: `data: factsheets/vsv-regio`",
            )
        })?
        .clone();
    if let Some(cond) = &spec.filter {
        table = Filter::from_yaml(cond)
            .and_then(|f| table.filter(&f))
            .map_err(|m| {
                place.at_setting(
                    "where",
                    m,
                    "write conditions as `where: {regio: \"!= Landelijk\"}`",
                )
            })?;
    }
    let key_cols: Vec<usize> = spec
        .key
        .iter()
        .map(|k| table.require_column(k))
        .collect::<Result<_, _>>()
        .map_err(|m| {
            place.at_setting(
                "key",
                m,
                "`key` names the columns that together identify one page",
            )
        })?;
    let (groups, mut errors) = group_by_key(&table, &key_cols, &spec.key);
    let non_key: Vec<usize> = (0..table.columns.len())
        .filter(|c| !key_cols.contains(c))
        .collect();
    errors.extend(keys_without_data(&table, &key_cols, &non_key, &groups));
    if errors.is_empty() {
        Ok(Rows {
            table,
            key_cols,
            groups,
            non_key,
        })
    } else {
        Err(errors)
    }
}

/// Rows grouped by key, in data order; a key appears once.
#[allow(clippy::type_complexity)]
fn group_by_key(
    table: &DataTable,
    key_cols: &[usize],
    key: &[String],
) -> (Vec<(Vec<String>, Vec<usize>)>, Vec<Diagnostic>) {
    let mut groups: Vec<(Vec<String>, Vec<usize>)> = Vec::new();
    let mut seen: HashMap<Vec<String>, usize> = HashMap::new();
    let mut errors = Vec::new();
    let totals = table.totals_row_index();
    for (r, row) in table.rows.iter().enumerate() {
        if Some(r) == totals {
            continue;
        }
        let mut values = Vec::new();
        for &c in key_cols {
            match &row.cells[c] {
                Cell::Missing => errors.push(
                    table
                        .cell_diagnostic(
                            r,
                            c,
                            format!("the key column `{}` is empty here", table.columns[c].name),
                        )
                        .with_hint("every row needs a value in each key column"),
                ),
                cell => values.push(cell_text(cell)),
            }
        }
        if values.len() != key_cols.len() {
            continue;
        }
        match seen.get(&values) {
            Some(&g) => {
                let first = table.rows[groups[g].1[0]].line;
                errors.push(
                    table
                        .cell_diagnostic(
                            r,
                            key_cols[0],
                            format!(
                                "duplicate key {}: line {first} has the same",
                                describe(key, &values)
                            ),
                        )
                        .with_hint("each page needs its own row; remove or correct one of them"),
                );
            }
            None => {
                seen.insert(values.clone(), groups.len());
                groups.push((values, vec![r]));
            }
        }
    }
    (groups, errors)
}

/// A first-key value (a region) whose rows hold no figure at all is almost certainly a
/// mistake in the data; a single empty year is shown as missing instead.
fn keys_without_data(
    table: &DataTable,
    key_cols: &[usize],
    non_key: &[usize],
    groups: &[(Vec<String>, Vec<usize>)],
) -> Vec<Diagnostic> {
    let mut by_first: Vec<(String, Vec<usize>)> = Vec::new();
    for (values, rows) in groups {
        match by_first.iter_mut().find(|(v, _)| *v == values[0]) {
            Some((_, rs)) => rs.extend(rows),
            None => by_first.push((values[0].clone(), rows.clone())),
        }
    }
    let mut errors = Vec::new();
    for (value, rows) in &by_first {
        let empty = rows
            .iter()
            .all(|&r| non_key.iter().all(|&c| table.rows[r].cells[c].is_missing()));
        if empty && !non_key.is_empty() {
            errors.push(
                table
                    .cell_diagnostic(
                        rows[0],
                        key_cols[0],
                        format!("`{value}` has no data at all in `{}`", table.name),
                    )
                    .with_hint("fill in its figures or remove its rows"),
            );
        }
    }
    errors
}

/// The Markdown of every generated page (`template:`), which must be inside the site.
fn read_template(
    spec: &Spec,
    place: &SpecPlace,
    site_dir: &Path,
) -> Result<(PathBuf, String), Vec<Diagnostic>> {
    let section_dir = place
        .file
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let template_rel = section_dir.join(&spec.template);
    if !crate::output::is_inside(&template_rel) {
        return Err(place.at(
            format!("`template: {}` is outside the site folder", spec.template),
            "keep the template in the site, next to _index.md: `template: _factsheet.md`",
        ));
    }
    let template = std::fs::read_to_string(site_dir.join(&template_rel)).map_err(|e| {
        place.at(
            format!("cannot read the template `{}`: {e}", template_rel.display()),
            "create it next to _index.md: the Markdown used for every generated page",
        )
    })?;
    Ok((template_rel, template))
}

/// The key figure of every page, for listings (`figure:`): its column, whether it is a
/// percentage, and one number of decimals for the whole column, so a grid of them lines up
/// (1,90% under 1,45%, not 1,9%).
fn key_figure(
    spec: &Spec,
    table: &DataTable,
    place: &SpecPlace,
) -> Result<Option<(usize, bool, usize)>, Vec<Diagnostic>> {
    let Some(fig) = &spec.figure else {
        return Ok(None);
    };
    let Some(c) = table.column_index(&fig.column) else {
        let m = table.require_column(&fig.column).err().unwrap_or_default();
        return Err(place.at_setting(
            "figure",
            format!("`figure`: {m}"),
            "name the column with each page's key figure: `figure: {column: vsv_percentage, unit: \"%\"}`",
        ));
    };
    let needed = table
        .rows
        .iter()
        .filter_map(|r| r.cells[c].as_f64())
        .map(|v| crate::locale::decimals_needed(v, 2))
        .max()
        .unwrap_or(0);
    let pct = fig.unit.as_deref() == Some("%")
        || table.columns[c].kind == crate::data::ColumnKind::Percent;
    Ok(Some((c, pct, fig.decimals.unwrap_or(needed))))
}

/// The page of every key: its address, front matter and data scope. Keys that give no
/// address, or the address of another key, are errors at their row.
fn plan_pages(
    spec: &Spec,
    rows: &Rows,
    figure: Option<(usize, bool, usize)>,
    section_path: &str,
    lang: Lang,
) -> Result<Vec<PagePlan>, Vec<Diagnostic>> {
    let table = &rows.table;
    let mut errors = Vec::new();
    let mut plans = Vec::new();
    // Key values that slug alike (`Noord Holland`, `NOORD HOLLAND`) would share one address.
    let mut addresses: HashMap<String, usize> = HashMap::new();
    for (g, (values, group)) in rows.groups.iter().enumerate() {
        let vars: Vec<(String, String)> = spec
            .key
            .iter()
            .cloned()
            .zip(values.iter().cloned())
            .collect();
        if let Some((k, v)) = vars.iter().find(|(_, v)| content::slugify(v).is_empty()) {
            let c = rows.key_cols[spec.key.iter().position(|x| x == k).unwrap_or(0)];
            errors.push(
                table
                    .cell_diagnostic(
                        group[0],
                        c,
                        format!("`{v}` has no letters or digits to make an address from"),
                    )
                    .with_hint(format!("write a name in the key column `{k}`")),
            );
            continue;
        }
        let path = format!("{section_path}{}/", fill_path(&spec.path, &vars));
        if let Some(&first) = addresses.get(&path) {
            errors.push(
                table
                    .cell_diagnostic(
                        group[0],
                        rows.key_cols[0],
                        format!(
                            "{} gives the address `/{path}`, the same as {} on line {}",
                            describe(&spec.key, values),
                            describe(&spec.key, &rows.groups[first].0),
                            table.rows[rows.groups[first].1[0]].line
                        ),
                    )
                    .with_hint(
                        "write the values the same way in every row (the address ignores \
                         case, spaces and accents), or correct one of them",
                    ),
            );
            continue;
        }
        addresses.insert(path.clone(), g);
        let extra = page_extra(rows, group[0], &vars, figure, lang);
        let text = rows
            .non_key
            .iter()
            .filter(|&&c| !table.columns[c].kind.is_numeric())
            .map(|&c| {
                (
                    table.columns[c].name.clone(),
                    cell_text(&table.rows[group[0]].cells[c]),
                )
            })
            .collect();
        let generated = Generated {
            key: vars.clone(),
            text,
            data: spec.data.clone(),
            period: spec.period.clone().or_else(|| spec.key.last().cloned()),
            commentary: None,
        };
        plans.push(PagePlan {
            path,
            vars,
            extra,
            generated,
        });
    }
    if errors.is_empty() {
        Ok(plans)
    } else {
        Err(errors)
    }
}

/// Front matter `extra` of a generated page: its key values, `generated: true`, its own row
/// (so templates can show what blocks do not: its source, a note) and its key figure.
fn page_extra(
    rows: &Rows,
    row: usize,
    vars: &[(String, String)],
    figure: Option<(usize, bool, usize)>,
    lang: Lang,
) -> Mapping {
    let table = &rows.table;
    let mut extra = Mapping::new();
    for (k, v) in vars {
        extra.insert(Value::String(k.clone()), Value::String(v.clone()));
    }
    extra.insert("generated".into(), Value::Bool(true));
    let row = &table.rows[row];
    let mut row_map = Mapping::new();
    for &c in &rows.non_key {
        let cell = &row.cells[c];
        row_map.insert(
            Value::String(table.columns[c].name.clone()),
            match (cell, cell.as_f64()) {
                (_, Some(v)) => Value::from(v),
                (c, None) if c.is_missing() => Value::Null,
                (other, None) => Value::String(cell_text(other)),
            },
        );
    }
    extra.insert("row".into(), Value::Mapping(row_map));
    // Without a `figure:` setting the listings link the word "factsheet" instead.
    let figure_text = match figure {
        Some((c, pct, decimals)) => {
            let cell = &row.cells[c];
            match cell.as_f64() {
                Some(v) if pct => lang.percent(v, decimals),
                Some(v) => lang.number(v, decimals),
                None if cell.is_missing() => "–".to_string(),
                None => cell_text(cell),
            }
        }
        None => String::new(),
    };
    extra.insert("figure".into(), Value::String(figure_text));
    extra
}

/// Adds the planned pages to the section. A page written by hand for a key (same address,
/// or the same key values) keeps its text as the factsheet's commentary. Returns the
/// hand-written pages of the section, with whether each was matched.
fn write_pages(
    content: &mut Content,
    sid: usize,
    spec: &Spec,
    (template_rel, template): (&Path, &str),
    plans: Vec<PagePlan>,
) -> Vec<(PageId, bool)> {
    let section_path = content.pages[content.sections[sid].page].path.clone();
    // Hand-written pages may sit in the section or in folders below it (`achterhoek/2021.md`).
    let mut existing: Vec<(PageId, bool)> = content
        .pages
        .iter()
        .filter(|p| p.kind == PageKind::Regular && p.path.starts_with(&section_path))
        .map(|p| (p.id, false))
        .collect();
    for plan in plans {
        let hand = existing.iter().position(|&(p, _)| {
            let page = &content.pages[p];
            page.path == plan.path
                || source_address(page) == plan.path
                || plan
                    .vars
                    .iter()
                    .all(|(k, v)| page.front.extra_str(k).is_some_and(|x| x == v))
        });
        match hand {
            Some(i) => {
                existing[i].1 = true;
                keep_hand_written(content, sid, existing[i].0, spec, template, plan);
            }
            None => {
                let id = content.pages.len();
                content.pages.push(Page {
                    id,
                    kind: PageKind::Regular,
                    source: template_rel.to_path_buf(),
                    path: plan.path,
                    section: Some(sid),
                    front: FrontMatter {
                        title: fill(&spec.title, &plan.vars),
                        summary: spec
                            .summary
                            .as_deref()
                            .map(|s| fill(s, &plan.vars))
                            .unwrap_or_default(),
                        layout: Some(spec.layout.clone()),
                        extra: plan.extra,
                        ..FrontMatter::default()
                    },
                    body: template.to_string(),
                    body_line: 1,
                    assets: Vec::new(),
                    generated: Some(plan.generated),
                });
                content.sections[sid].pages.push(id);
            }
        }
    }
    existing
}

/// A hand-written page for a key becomes that key's factsheet, its text the commentary.
fn keep_hand_written(
    content: &mut Content,
    sid: usize,
    pid: PageId,
    spec: &Spec,
    template: &str,
    plan: PagePlan,
) {
    let page = &mut content.pages[pid];
    let commentary = Commentary {
        source: page.source.clone(),
        body: std::mem::replace(&mut page.body, template.to_string()),
        body_line: page.body_line,
    };
    page.body_line = 1;
    page.path = plan.path;
    for (k, v) in plan.extra {
        page.front.extra.entry(k).or_insert(v);
    }
    if page.front.summary.is_empty() {
        if let Some(summary) = &spec.summary {
            page.front.summary = fill(summary, &plan.vars);
        }
    }
    if page.front.layout.is_none() {
        page.front.layout = Some(spec.layout.clone());
    }
    page.generated = Some(Generated {
        commentary: Some(commentary),
        ..plan.generated
    });
    // It belongs with the other factsheets, whatever folder it was written in.
    if let Some(old) = content.pages[pid].section.filter(|&o| o != sid) {
        content.sections[old].pages.retain(|&x| x != pid);
        content.sections[sid].pages.push(pid);
        content.pages[pid].section = Some(sid);
    }
}

/// Hand-written factsheets for a key that is not in the data.
fn unmatched_pages(
    content: &Content,
    spec: &Spec,
    existing: &[(PageId, bool)],
) -> Result<(), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    for &(p, matched) in existing {
        let page = &content.pages[p];
        if matched || !spec.key.iter().all(|k| page.front.extra.contains_key(k)) {
            continue;
        }
        let values: Vec<String> = spec
            .key
            .iter()
            .map(|k| page.front.extra_str(k).unwrap_or("").to_string())
            .collect();
        errors.push(
            Diagnostic::new(
                &page.source,
                page.front.line_of(&spec.key[0]),
                1,
                format!(
                    "there is no data for {} in `{}`",
                    describe(&spec.key, &values),
                    spec.data
                ),
            )
            .with_hint("check the spelling against the data, or add the figures to the data file"),
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn read_spec(
    v: Option<&Value>,
    at: &dyn Fn(String, &str) -> Vec<Diagnostic>,
) -> Result<Spec, Vec<Diagnostic>> {
    let Some(Value::Mapping(m)) = v else {
        return Err(at(
            "`generate` must be a group of settings".into(),
            "see the README: generate: {data: ..., key: [...], path: ..., title: ...}",
        ));
    };
    let s = |k: &str| m.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let known = [
        "data", "key", "where", "path", "title", "summary", "template", "layout", "period",
        "figure",
    ];
    for k in m.keys().filter_map(|k| k.as_str()) {
        if !known.contains(&k) {
            return Err(at(
                format!("unknown setting `{k}` in `generate`"),
                &format!("allowed: {}", known.join(", ")),
            ));
        }
    }
    let data = s("data").ok_or_else(|| {
        at(
            "`generate` needs `data`: the table the pages come from".into(),
            "data: factsheets/vsv-regio",
        )
    })?;
    let key: Vec<String> = match m.get("key") {
        Some(Value::Sequence(items)) => items
            .iter()
            .filter_map(|i| i.as_str().map(str::to_string))
            .collect(),
        Some(Value::String(k)) => vec![k.clone()],
        _ => Vec::new(),
    };
    if key.is_empty() {
        return Err(at(
            "`generate` needs `key`: the columns that identify one page".into(),
            "key: [regio, schooljaar]",
        ));
    }
    let path = s("path").unwrap_or_else(|| {
        key.iter()
            .map(|k| format!("{{{k}}}"))
            .collect::<Vec<_>>()
            .join("/")
    });
    for k in placeholders(&path) {
        if !key.contains(&k) {
            return Err(at(
                format!("`path` uses `{{{k}}}`, which is not a key column"),
                "use only key columns in the path, so every page gets its own address",
            ));
        }
    }
    // Every key column must be in the address, or pages that differ only in that column
    // would be written over each other.
    let used = placeholders(&path);
    if let Some(k) = key.iter().find(|k| !used.contains(k)) {
        return Err(at(
            format!(
                "`path` leaves out the key column `{k}`: pages that differ only in `{k}` \
                 would get the same address"
            ),
            &format!("add `{{{k}}}` to the path, for example `path: \"{}\"`", {
                let mut p = path.trim_matches('/').to_string();
                p.push_str(&format!("/{{{k}}}"));
                p
            }),
        ));
    }
    if !crate::output::is_inside(Path::new(&path)) || path.split('/').any(|p| p == "..") {
        return Err(at(
            format!("`path: {path}` leaves the section folder"),
            "write the path below the section, without `..` or a leading `/`",
        ));
    }
    let title = s("title");
    let summary = s("summary");
    for (name, text) in [("title", &title), ("summary", &summary)] {
        for k in text.as_deref().map(placeholders).unwrap_or_default() {
            if !key.contains(&k) {
                return Err(at(
                    format!("`{name}` uses `{{{k}}}`, which is not a key column"),
                    &format!(
                        "only key columns can be filled in here ({}); write other values \
                         in the page template",
                        key.iter()
                            .map(|k| format!("`{{{k}}}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ));
            }
        }
    }
    let figure = match m.get("figure") {
        Some(Value::Mapping(f)) => f
            .get("column")
            .and_then(|c| c.as_str())
            .map(|c| FigureSpec {
                column: c.to_string(),
                unit: f.get("unit").and_then(|u| u.as_str()).map(str::to_string),
                decimals: f
                    .get("decimals")
                    .and_then(|d| d.as_u64())
                    .map(|d| d.min(6) as usize),
            }),
        Some(Value::String(c)) => Some(FigureSpec {
            column: c.clone(),
            unit: None,
            decimals: None,
        }),
        _ => None,
    };
    Ok(Spec {
        title: title.unwrap_or_else(|| {
            key.iter()
                .map(|k| format!("{{{k}}}"))
                .collect::<Vec<_>>()
                .join(" ")
        }),
        summary,
        template: s("template").unwrap_or_else(|| "_factsheet.md".to_string()),
        layout: s("layout").unwrap_or_else(|| "factsheet".to_string()),
        period: s("period"),
        filter: m.get("where").cloned(),
        data,
        key,
        path,
        figure,
    })
}

/// One key column of a section's generated pages, for `bundel new`: the value a title names,
/// if any, and a few values from the data to show as examples.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyHint {
    pub column: String,
    pub value: Option<String>,
    pub examples: Vec<String>,
}

/// What a hand-written page for one of the section's generated pages needs in its front
/// matter, guessed from its title ("Achterhoek 2021/2022" -> regio Achterhoek, schooljaar
/// 2021/2022), plus the title the generated page would have had when every key was found.
/// `None` when the section generates nothing or its settings or data do not load.
pub fn key_hints(
    section_index: &FrontMatter,
    data: &DataStore,
    title: &str,
) -> Option<(String, Vec<KeyHint>)> {
    let spec = read_spec(section_index.extra.get("generate"), &|_, _| Vec::new()).ok()?;
    let mut table = data.get(&spec.data)?.clone();
    if let Some(cond) = &spec.filter {
        table = table.filter(&Filter::from_yaml(cond).ok()?).ok()?;
    }
    // Compared as slugs, so `2021-2022` finds `2021/2022` and `sudwest` finds `Súdwest`.
    let words = |s: &str| -> Vec<String> {
        content::slugify(s)
            .split('-')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    let named = words(title);
    let mut hints = Vec::new();
    for column in &spec.key {
        let c = table.column_index(column)?;
        let mut values: Vec<String> = Vec::new();
        for (r, row) in table.rows.iter().enumerate() {
            let v = cell_text(&row.cells[c]);
            if Some(r) != table.totals_row_index() && !v.is_empty() && !values.contains(&v) {
                values.push(v);
            }
        }
        // The longest value the title names: `Oost-Achterhoek` before `Achterhoek`.
        let value = values
            .iter()
            .map(|v| (v, words(v)))
            .filter(|(_, w)| !w.is_empty() && named.windows(w.len()).any(|n| n == w.as_slice()))
            .max_by_key(|(_, w)| w.len())
            .map(|(v, _)| v.clone());
        hints.push(KeyHint {
            column: column.clone(),
            value,
            // The last ones: in a table sorted by year, the most recent years.
            examples: values.split_off(values.len().saturating_sub(3)),
        });
    }
    let vars: Vec<(String, String)> = hints
        .iter()
        .filter_map(|h| Some((h.column.clone(), h.value.clone()?)))
        .collect();
    let full_title = if vars.len() == hints.len() {
        fill(&spec.title, &vars)
    } else {
        title.to_string()
    };
    Some((full_title, hints))
}

/// (line, column) in the front matter text of `name:` nested under `generate:`, as a file
/// line (the front matter starts on the file's second line).
fn setting_position(front: &str, name: &str) -> Option<(usize, usize)> {
    let lines: Vec<&str> = front.lines().collect();
    let start = lines.iter().position(|l| {
        l.strip_prefix("generate")
            .is_some_and(|r| r.trim_start().starts_with(':'))
    })?;
    for (i, l) in lines.iter().enumerate().skip(start + 1) {
        let trimmed = l.trim_start();
        if trimmed.len() == l.len() && !trimmed.is_empty() && !trimmed.starts_with('#') {
            break;
        }
        if trimmed
            .strip_prefix(name)
            .is_some_and(|r| r.trim_start().starts_with(':'))
        {
            return Some((i + 2, l.len() - trimmed.len() + 1));
        }
    }
    None
}

/// The address a page's file name spells, before numbering prefixes are stripped from it:
/// `content/vsv/twente/2018-2019.md` is `vsv/twente/2018-2019/`, where the page itself
/// lives at `vsv/twente/2019/` (`2018-` reads as an order prefix).
fn source_address(page: &Page) -> String {
    let rel = page
        .source
        .strip_prefix("content")
        .unwrap_or(&page.source)
        .with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| content::slugify(&c.as_os_str().to_string_lossy()))
        .collect();
    if parts.last().is_some_and(|l| l == "index") {
        parts.pop();
    }
    let mut out = parts.join("/");
    out.push('/');
    out
}

/// Names inside `{...}` in a pattern.
fn placeholders(pattern: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push(rest[start + 1..start + len].to_string());
        rest = &rest[start + len + 1..];
    }
    out
}

/// Replaces `{name}` by its value.
pub fn fill(pattern: &str, vars: &[(String, String)]) -> String {
    let mut out = pattern.to_string();
    for (k, v) in vars {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// Like [`fill`], with every value made into a URL segment.
fn fill_path(pattern: &str, vars: &[(String, String)]) -> String {
    let slugged: Vec<(String, String)> = vars
        .iter()
        .map(|(k, v)| (k.clone(), content::slugify(v)))
        .collect();
    fill(pattern, &slugged).trim_matches('/').to_string()
}

fn describe(keys: &[String], values: &[String]) -> String {
    keys.iter()
        .zip(values)
        .map(|(k, v)| {
            if v.is_empty() {
                format!("{k} = (empty)")
            } else {
                format!("{k} = {v}")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn cell_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(s) => s.clone(),
        Cell::Number(v) => format!("{v}"),
        Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
        Cell::Missing => String::new(),
        Cell::Special(_) => cell.as_f64().map(|v| format!("{v}")).unwrap_or_default(),
    }
}

/// The key values of a generated page as YAML `where` conditions, for scoping its blocks.
pub fn scope(generated: &Generated) -> Value {
    let mut m = Mapping::new();
    for (k, v) in &generated.key {
        m.insert(Value::String(k.clone()), Value::String(v.clone()));
    }
    Value::Mapping(m)
}
