//! Stage 3: Markdown to HTML with pulldown-cmark.
//!
//! Only CommonMark plus the usual extensions (tables, footnotes, strikethrough, heading
//! attributes, smart punctuation). bundel's own features never add syntax that changes how
//! ordinary Markdown parses; they reinterpret constructs every Markdown viewer already shows
//! sensibly:
//! - fenced code blocks whose info string names a block kind (`chart`, `table`, `kpi`) are
//!   handed to a hook that returns HTML;
//! - a block quote starting with `[!kind] Title` is a framed box (GitHub's alert syntax);
//! - `@fig-id` / `@tbl-id` in text is a cross-reference, left as a marker that the site stage
//!   replaces once every figure has its number (see [`xref_marker`]).
//!
//! Links and images go through a hook too, so the site stage can turn `../a.md` into the
//! page's URL.

use std::collections::BTreeSet;
use std::fmt::Write;
use std::path::Path;

use pulldown_cmark::{
    CodeBlockKind, CowStr, Event, HeadingLevel, LinkType, Options as CmarkOptions, Parser, Tag,
    TagEnd, TextMergeWithOffset,
};

use crate::diagnostic::{line_col, Diagnostic};
use crate::locale::Lang;

pub use pulldown_cmark_escape::{escape_href, escape_html};

#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub smart_punctuation: bool,
    /// Language of generated words (box titles, footnote back links).
    pub lang: Lang,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            smart_punctuation: true,
            lang: Lang::Nl,
        }
    }
}

/// A fenced code block, offered to [`Hooks::block`] before it is rendered as code.
pub struct FencedBlock<'a> {
    /// First word of the info string (`chart`).
    pub kind: &'a str,
    pub body: &'a str,
    /// Line in the source file of the block's first body line.
    pub line: usize,
}

/// Renders a special fenced block to HTML; `Ok(None)` leaves it as ordinary code.
pub type BlockHook<'a> = dyn FnMut(&FencedBlock) -> Result<Option<String>, Vec<Diagnostic>> + 'a;

/// What to do with links and special blocks; supplied by the site stage.
pub struct Hooks<'a> {
    /// Maps a link or image destination to the URL to write. `Err` is a message for the author.
    pub link: &'a dyn Fn(&str) -> Result<String, String>,
    /// Renders a special fenced block to HTML; `Ok(None)` leaves it as ordinary code.
    pub block: &'a mut BlockHook<'a>,
}

/// Per-document settings.
pub struct Doc<'a> {
    /// Source file, for messages.
    pub file: &'a Path,
    /// The Markdown text (the body of the file).
    pub text: &'a str,
    /// Line of the file on which `text` starts.
    pub first_line: usize,
    /// Chapter number when the document is a numbered chapter: headings become `2.1`, `2.1.1`.
    pub chapter: Option<u32>,
    /// Ids already used in the surrounding document (a report shares one set across its
    /// chapters so the one-page view has unique ids).
    pub ids: &'a mut BTreeSet<String>,
    /// Footnotes are numbered from here (a report numbers them across chapters).
    pub footnote_start: usize,
    /// `{name}` in text and in special blocks stands for these values (generated pages).
    /// Substituted after parsing, so values can never change the Markdown structure.
    pub vars: &'a [(String, String)],
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
    /// `2.1` in a numbered chapter.
    pub number: Option<String>,
}

#[derive(Debug, Default)]
pub struct Rendered {
    pub html: String,
    /// `##` and `###` headings, for tables of contents.
    pub toc: Vec<Heading>,
    pub footnotes: usize,
    pub diagnostics: Vec<Diagnostic>,
    /// Raw HTML that runs code in the reader's browser (see [`active_content`]): allowed
    /// for trusted authors, but never unnoticed.
    pub warnings: Vec<Diagnostic>,
}

const MARK_XREF_START: char = '\u{E001}';
const MARK_XREF_END: char = '\u{E002}';

/// The marker a cross-reference `@fig-x` leaves in the HTML: `\u{E001}fig-x|lower\u{E002}`.
pub fn xref_marker(id: &str, capitalised: bool) -> String {
    let case = if capitalised { "upper" } else { "lower" };
    format!("{MARK_XREF_START}{id}|{case}{MARK_XREF_END}")
}

/// Replaces every cross-reference marker in `html` by `resolve(id, capitalised)`.
pub fn resolve_xrefs(html: &str, mut resolve: impl FnMut(&str, bool) -> String) -> String {
    if !html.contains(MARK_XREF_START) {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    while let Some(start) = rest.find(MARK_XREF_START) {
        out.push_str(&rest[..start]);
        let after = &rest[start + MARK_XREF_START.len_utf8()..];
        let Some(end) = after.find(MARK_XREF_END) else {
            out.push_str(after);
            return out;
        };
        let (id, case) = after[..end]
            .split_once('|')
            .unwrap_or((&after[..end], "lower"));
        out.push_str(&resolve(id, case == "upper"));
        rest = &after[end + MARK_XREF_END.len_utf8()..];
    }
    out.push_str(rest);
    out
}

/// Every cross-reference id in `html`, for checking.
pub fn xref_ids(html: &str) -> Vec<String> {
    let mut ids = Vec::new();
    resolve_xrefs(html, |id, _| {
        ids.push(id.to_string());
        String::new()
    });
    ids
}

/// The kinds of framed boxes and their default titles (Dutch, English).
pub const BOX_KINDS: &[(&str, &str, &str)] = &[
    ("actiepunten", "Actiepunten", "Action points"),
    ("effecten", "Beoogde effecten", "Intended effects"),
    ("note", "Let op", "Note"),
    ("tip", "Tip", "Tip"),
    ("important", "Belangrijk", "Important"),
    ("warning", "Waarschuwing", "Warning"),
    ("caution", "Waarschuwing", "Caution"),
];

pub fn render(doc: Doc, options: Options, hooks: Hooks) -> Rendered {
    let mut cmark = CmarkOptions::ENABLE_TABLES
        | CmarkOptions::ENABLE_FOOTNOTES
        | CmarkOptions::ENABLE_STRIKETHROUGH
        | CmarkOptions::ENABLE_HEADING_ATTRIBUTES;
    if options.smart_punctuation {
        cmark |= CmarkOptions::ENABLE_SMART_PUNCTUATION;
    }
    let protected = protect_heading_vars(doc.text, doc.vars);
    let doc = Doc {
        text: protected.as_deref().unwrap_or(doc.text),
        ..doc
    };
    let events: Vec<(Event, std::ops::Range<usize>)> =
        TextMergeWithOffset::new(Parser::new_ext(doc.text, cmark).into_offset_iter()).collect();
    let warnings = active_content(&events)
        .into_iter()
        .map(|(offset, what)| {
            let (l, c) = line_col(doc.text, offset);
            let hint = if what.contains("in a link") {
                LINK_HINT
            } else {
                ACTIVE_HINT
            };
            Diagnostic::new(doc.file, l + doc.first_line - 1, c, what).with_hint(hint)
        })
        .collect();
    let mut r = Renderer {
        doc,
        hooks,
        out: Vec::with_capacity(events.len()),
        toc: Vec::new(),
        diagnostics: Vec::new(),
        footnote_labels: Vec::new(),
        footnote_refs: Vec::new(),
        footnote_defs: Vec::new(),
        lang: options.lang,
        counters: [0; 6],
        box_stack: Vec::new(),
    };
    r.run(events);
    let mut html = String::with_capacity(r.doc.text.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, r.out.into_iter());
    let footnotes = r.footnote_labels.len();
    if !r.footnote_defs.is_empty() {
        html.push_str(&render_footnotes(
            &r.footnote_labels,
            r.footnote_defs,
            r.doc.footnote_start,
            r.lang,
        ));
    }
    Rendered {
        html,
        toc: r.toc,
        footnotes,
        diagnostics: r.diagnostics,
        warnings,
    }
}

const ACTIVE_HINT: &str = "raw HTML is published as written, so code in it runs in every \
     reader's browser: remove it unless you trust where it comes from and mean it to run \
     (bundel's own pages need no scripts)";

const LINK_HINT: &str = "such a link runs code, or opens a page written into the address, \
     when a reader follows it: link to a page of the site or a web address (`https://...`)";

/// Where the Markdown has raw HTML or links that run code: `<script>` (and `<object>`,
/// `<embed>`, `<iframe srcdoc>`), event-handler attributes (`onclick=`), and `javascript:`,
/// `vbscript:` or `data:` addresses in links, images or HTML attributes. Returns byte
/// offsets into the text with what was found.
fn active_content(events: &[(Event, std::ops::Range<usize>)]) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (ev, range) in events {
        match ev {
            Event::Html(html) | Event::InlineHtml(html) => {
                for (at, what) in active_in_html(html) {
                    found.push((range.start + at, what));
                }
            }
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                if let Some(scheme) = active_scheme(dest_url) {
                    found.push((
                        range.start,
                        format!("a `{scheme}` address in a link: `{}`", short(dest_url)),
                    ));
                }
            }
            _ => {}
        }
    }
    found
}

/// Attributes whose value a browser follows or loads as an address.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
];

/// `javascript:`, `vbscript:` or `data:` as a browser reads the start of a URL: case and
/// embedded tabs, newlines and leading spaces do not matter to it.
pub fn active_scheme(url: &str) -> Option<&'static str> {
    let squeezed: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .take(24)
        .collect::<String>()
        .to_ascii_lowercase();
    // A photo or drawing written into the page (`data:image/png;base64,...`) runs nothing.
    let raster = ["png", "jpeg", "jpg", "gif", "webp", "avif"]
        .iter()
        .any(|t| squeezed.starts_with(&format!("data:image/{t}")));
    ["javascript:", "vbscript:", "data:"]
        .into_iter()
        .find(|s| squeezed.starts_with(s))
        .filter(|s| *s != "data:" || !raster)
}

fn short(s: &str) -> String {
    let s = s.trim();
    match s.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// Active parts of one piece of raw HTML, with byte offsets into it.
fn active_in_html(html: &str) -> Vec<(usize, String)> {
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    // An `<iframe>` (a Datawrapper chart, a video) runs in its own site's origin: not flagged.
    for tag in ["script", "object", "embed"] {
        let open = format!("<{tag}");
        let mut from = 0;
        while let Some(i) = lower[from..].find(&open) {
            let at = from + i;
            let next = lower[at + open.len()..].chars().next();
            if next.is_none_or(|c| c.is_ascii_whitespace() || c == '>' || c == '/') {
                let a = if tag == "script" { "a" } else { "an" };
                found.push((at, format!("{a} `<{tag}>` element in the Markdown")));
            }
            from = at + open.len();
        }
    }
    // Attributes: a name preceded by whitespace inside a tag, `=` and a value.
    let bytes = lower.as_bytes();
    let mut in_tag = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'<' => in_tag = true,
            b'>' => in_tag = false,
            b if in_tag && b.is_ascii_whitespace() => {
                let start = i + 1;
                let mut end = start;
                while end < bytes.len()
                    && (bytes[end].is_ascii_alphanumeric() || matches!(bytes[end], b'-' | b':'))
                {
                    end += 1;
                }
                let name = &lower[start..end];
                let mut eq = end;
                while eq < bytes.len() && bytes[eq].is_ascii_whitespace() {
                    eq += 1;
                }
                if !name.is_empty() && bytes.get(eq) == Some(&b'=') {
                    let value = attribute_value(&html[eq + 1..]);
                    if name.len() > 2 && name.starts_with("on") {
                        found.push((
                            start,
                            format!("an event-handler attribute `{name}=` in the Markdown"),
                        ));
                    } else if name == "srcdoc" {
                        found.push((
                            start,
                            "an `<iframe srcdoc=` page written into the Markdown".to_string(),
                        ));
                    } else if let Some(scheme) =
                        active_scheme(&value).filter(|_| URL_ATTRIBUTES.contains(&name))
                    {
                        found.push((
                            start,
                            format!("a `{scheme}` address in `{name}=`: `{}`", short(&value)),
                        ));
                    }
                }
                i = end.max(i + 1);
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    found.sort();
    found
}

/// The value after `=`: quoted, or up to whitespace or `>`.
fn attribute_value(rest: &str) -> String {
    let rest = rest.trim_start();
    match rest.chars().next() {
        Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or_default().to_string(),
        _ => rest
            .split(|c: char| c.is_ascii_whitespace() || c == '>')
            .next()
            .unwrap_or_default()
            .to_string(),
    }
}

struct Renderer<'a, 'h> {
    doc: Doc<'a>,
    hooks: Hooks<'h>,
    out: Vec<Event<'a>>,
    toc: Vec<Heading>,
    diagnostics: Vec<Diagnostic>,
    /// Footnote labels in order of first reference.
    footnote_labels: Vec<String>,
    /// How often each footnote has been referenced so far (for unique back-reference ids).
    footnote_refs: Vec<usize>,
    lang: Lang,
    footnote_defs: Vec<(String, Vec<Event<'a>>)>,
    /// Heading counters per level for numbered chapters.
    counters: [u32; 6],
    /// For each open block quote: whether it became a box.
    box_stack: Vec<bool>,
}

impl<'a> Renderer<'a, '_> {
    fn line_of(&self, offset: usize) -> (usize, usize) {
        let (l, c) = line_col(self.doc.text, offset);
        (l + self.doc.first_line - 1, c)
    }

    fn diag(&mut self, offset: usize, msg: String, hint: &str) {
        let (l, c) = self.line_of(offset);
        self.diagnostics
            .push(Diagnostic::new(self.doc.file, l, c, msg).with_hint(hint));
    }

    fn run(&mut self, events: Vec<(Event<'a>, std::ops::Range<usize>)>) {
        let mut i = 0;
        while i < events.len() {
            let (ev, range) = &events[i];
            match ev {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                    let kind = info.split_whitespace().next().unwrap_or("");
                    let mut body = String::new();
                    let mut j = i + 1;
                    let mut body_offset = None;
                    while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::CodeBlock))
                    {
                        if let Event::Text(t) = &events[j].0 {
                            body_offset.get_or_insert(events[j].1.start);
                            body.push_str(t);
                        }
                        j += 1;
                    }
                    let line = match body_offset {
                        Some(o) => self.line_of(o).0,
                        None => self.line_of(range.start).0 + 1,
                    };
                    let body = fill_vars(&body, self.doc.vars);
                    let block = FencedBlock {
                        kind,
                        body: &body,
                        line,
                    };
                    match (self.hooks.block)(&block) {
                        Ok(Some(html)) => {
                            self.out.push(Event::Html(CowStr::from(html)));
                            i = j + 1;
                            continue;
                        }
                        Ok(None) => {}
                        Err(errs) => {
                            self.diagnostics.extend(errs);
                            i = j + 1;
                            continue;
                        }
                    }
                    self.out.push(ev.clone());
                    i += 1;
                }
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }) => {
                    let mut j = i + 1;
                    let mut text = String::new();
                    while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_)))
                    {
                        match &events[j].0 {
                            Event::Text(t) | Event::Code(t) => text.push_str(t),
                            Event::SoftBreak | Event::HardBreak => text.push(' '),
                            _ => {}
                        }
                        j += 1;
                    }
                    // The id and contents entry read as the page does, variables filled in.
                    if !self.doc.vars.is_empty() {
                        text = fill_vars(&text, self.doc.vars);
                    }
                    let level_n = heading_level(*level);
                    let id = match id {
                        Some(id) => self.unique_id(id),
                        None => self.unique_id(&slug_for_id(&text)),
                    };
                    let number = self.doc.chapter.filter(|_| level_n >= 2).map(|ch| {
                        let depth = (level_n - 2) as usize;
                        self.counters[depth] += 1;
                        for c in &mut self.counters[depth + 1..] {
                            *c = 0;
                        }
                        let mut n = ch.to_string();
                        for c in &self.counters[..=depth] {
                            let _ = write!(n, ".{}", c.max(&1));
                        }
                        n
                    });
                    if level_n == 2 || level_n == 3 {
                        self.toc.push(Heading {
                            level: level_n,
                            id: id.clone(),
                            text: text.trim().to_string(),
                            number: number.clone(),
                        });
                    }
                    // Through the HTML writer's own heading events, so block spacing
                    // stays exactly as CommonMark renders it.
                    self.out.push(Event::Start(Tag::Heading {
                        level: *level,
                        id: Some(CowStr::from(id)),
                        classes: classes.clone(),
                        attrs: attrs.clone(),
                    }));
                    if let Some(n) = &number {
                        self.out.push(Event::InlineHtml(CowStr::from(format!(
                            "<span class=\"secnum\">{n}</span> "
                        ))));
                    }
                    for (e, r) in &events[i + 1..j] {
                        self.inline(e.clone(), r.clone());
                    }
                    self.out.push(Event::End(TagEnd::Heading(*level)));
                    i = j + 1;
                }
                Event::Start(Tag::BlockQuote(_)) => {
                    // A box: `> [!kind] Title` as the first line of the quote.
                    if let Some((kind, title, skip_to, rest_start)) = box_marker(&events, i) {
                        let lang_en = self.lang == Lang::En;
                        let default_title = BOX_KINDS
                            .iter()
                            .find(|(k, _, _)| *k == kind)
                            .map(|(_, nl, en)| if lang_en { *en } else { *nl });
                        let Some(default_title) = default_title else {
                            let known: Vec<&str> = BOX_KINDS.iter().map(|(k, _, _)| *k).collect();
                            self.diag(
                                range.start,
                                format!("unknown box kind `[!{kind}]`"),
                                &format!("use one of: {}", known.join(", ")),
                            );
                            self.box_stack.push(false);
                            self.out.push(ev.clone());
                            i += 1;
                            continue;
                        };
                        let title = if title.is_empty() {
                            default_title.to_string()
                        } else {
                            title
                        };
                        self.box_stack.push(true);
                        self.out.push(Event::Html(CowStr::from(format!(
                            "<aside class=\"box box-{kind}\" aria-label=\"{t}\">\n<p class=\"box-title\">{t}</p>\n",
                            t = escape_text(&title)
                        ))));
                        if let Some(rest) = rest_start {
                            // The marker paragraph continues after a line break: keep the rest.
                            self.out.push(Event::Start(Tag::Paragraph));
                            for (e, r) in &events[rest..skip_to] {
                                self.inline(e.clone(), r.clone());
                            }
                            self.out.push(Event::End(TagEnd::Paragraph));
                        }
                        i = skip_to + 1;
                        continue;
                    }
                    self.box_stack.push(false);
                    self.out.push(ev.clone());
                    i += 1;
                }
                Event::End(TagEnd::BlockQuote(_)) => {
                    if self.box_stack.pop() == Some(true) {
                        self.out.push(Event::Html(CowStr::from("</aside>\n")));
                    } else {
                        self.out.push(ev.clone());
                    }
                    i += 1;
                }
                Event::Start(Tag::FootnoteDefinition(label)) => {
                    let label = label.to_string();
                    let mut j = i + 1;
                    let mut depth = 0;
                    let saved = std::mem::take(&mut self.out);
                    while j < events.len() {
                        match &events[j].0 {
                            Event::Start(Tag::FootnoteDefinition(_)) => depth += 1,
                            Event::End(TagEnd::FootnoteDefinition) if depth == 0 => break,
                            Event::End(TagEnd::FootnoteDefinition) => depth -= 1,
                            _ => {}
                        }
                        let (e, r) = &events[j];
                        self.inline(e.clone(), r.clone());
                        j += 1;
                    }
                    let body = std::mem::replace(&mut self.out, saved);
                    if self.footnote_defs.iter().any(|(l, _)| *l == label) {
                        self.diag(
                            range.start,
                            format!("footnote `[^{label}]` is defined twice"),
                            "give each footnote its own label",
                        );
                    } else {
                        self.footnote_defs.push((label, body));
                    }
                    i = j + 1;
                }
                _ => {
                    self.inline(ev.clone(), range.clone());
                    i += 1;
                }
            }
        }
    }

    fn inline(&mut self, ev: Event<'a>, range: std::ops::Range<usize>) {
        match ev {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = self.link(&dest_url, link_type, range.start);
                self.out.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest = self.link(&dest_url, link_type, range.start);
                self.out.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: dest,
                    title,
                    id,
                }));
            }
            Event::Text(text)
                if text.contains('@')
                    || text.contains("[^")
                    || (!self.doc.vars.is_empty() && text.contains(['{', VAR_OPEN])) =>
            {
                let text = if self.doc.vars.is_empty() {
                    text
                } else {
                    CowStr::from(fill_vars(&text, self.doc.vars))
                };
                if let Some(label) = undefined_footnote(&text) {
                    // pulldown-cmark leaves a reference without a definition as plain text.
                    self.diag(
                        range.start,
                        format!("footnote `[^{label}]` is used but never written"),
                        &format!(
                            "add a line `[^{label}]: the text of the note` below the paragraph"
                        ),
                    );
                }
                self.out.extend(xrefs_in_text(text));
            }
            // Wide tables scroll sideways on phones; a scrolling region must be reachable by
            // keyboard, so it is focusable and named.
            Event::Start(Tag::Table(align)) => {
                let name = match self.lang {
                    Lang::Nl => "Tabel",
                    Lang::En => "Table",
                };
                self.out.push(Event::Html(CowStr::from(format!(
                    "<div class=\"table-scroll\" role=\"region\" aria-label=\"{name}\" tabindex=\"0\">\n"
                ))));
                self.out.push(Event::Start(Tag::Table(align)));
            }
            Event::End(TagEnd::Table) => {
                self.out.push(Event::End(TagEnd::Table));
                self.out.push(Event::Html(CowStr::from("</div>\n")));
            }
            Event::FootnoteReference(label) => {
                let label = label.to_string();
                let index = match self.footnote_labels.iter().position(|l| *l == label) {
                    Some(p) => p,
                    None => {
                        self.footnote_labels.push(label.clone());
                        self.footnote_refs.push(0);
                        self.footnote_labels.len() - 1
                    }
                };
                let n = index + self.doc.footnote_start;
                self.footnote_refs[index] += 1;
                let ref_id = match self.footnote_refs[index] {
                    1 => format!("fnref-{n}"),
                    k => format!("fnref-{n}-{k}"),
                };
                self.out.push(Event::InlineHtml(CowStr::from(format!(
                    "<sup class=\"footnote-ref\"><a href=\"#fn-{n}\" id=\"{ref_id}\" role=\"doc-noteref\">{n}</a></sup>"
                ))));
            }
            other => self.out.push(other),
        }
    }

    fn link(&mut self, dest: &CowStr<'a>, link_type: LinkType, offset: usize) -> CowStr<'a> {
        if matches!(link_type, LinkType::Email) {
            return dest.clone();
        }
        match (self.hooks.link)(dest) {
            Ok(d) if d == dest.as_ref() => dest.clone(),
            Ok(d) => CowStr::from(d),
            Err(msg) => {
                self.diag(
                    offset,
                    msg,
                    "link to another page by its file (`../nieuws/artikel.md`) or by its address (`/nieuws/artikel/`)",
                );
                dest.clone()
            }
        }
    }

    fn unique_id(&mut self, base: &str) -> String {
        let base = if base.is_empty() { "kop" } else { base };
        let mut id = base.to_string();
        let mut n = 1;
        while self.doc.ids.contains(&id) {
            n += 1;
            id = format!("{base}-{n}");
        }
        self.doc.ids.insert(id.clone());
        id
    }
}

/// `## Kerncijfers van {regio}`: a heading that ends in `{...}` would have it read as
/// heading attributes (`{#id .class}`) and lose it (a backslash does not help: attributes
/// are taken before escapes). Such a variable is written with private-use marks instead
/// of braces, which [`fill_vars`] also fills in. No line changes, so messages keep their
/// positions.
fn protect_heading_vars(text: &str, vars: &[(String, String)]) -> Option<String> {
    if vars.is_empty() || !text.contains('#') {
        return None;
    }
    let ends_in_var = |line: &str| {
        let l = line.trim_end();
        let indent = line.len() - line.trim_start().len();
        indent < 4
            && line.trim_start().starts_with('#')
            && vars.iter().any(|(k, _)| {
                l.strip_suffix('}')
                    .and_then(|r| r.strip_suffix(k.as_str()))
                    .is_some_and(|r| r.ends_with('{'))
            })
    };
    if !text.lines().any(ends_in_var) {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 8);
    for line in text.split_inclusive('\n') {
        if ends_in_var(line) {
            let open = line.rfind('{').expect("ends in a variable");
            let close = line.rfind('}').expect("ends in a variable");
            out.push_str(&line[..open]);
            out.push(VAR_OPEN);
            out.push_str(&line[open + 1..close]);
            out.push(VAR_CLOSE);
            out.push_str(&line[close + 1..]);
        } else {
            out.push_str(line);
        }
    }
    Some(out)
}

/// Replaces `{name}` by its value; text without variables is returned unchanged.
fn fill_vars(text: &str, vars: &[(String, String)]) -> String {
    let mut out = text.to_string();
    for (k, v) in vars {
        for pattern in [format!("{{{k}}}"), format!("{VAR_OPEN}{k}{VAR_CLOSE}")] {
            if out.contains(&pattern) {
                out = out.replace(&pattern, v);
            }
        }
    }
    out
}

/// Braces of a variable that must not look like braces to the Markdown parser.
const VAR_OPEN: char = '\u{E000}';
const VAR_CLOSE: char = '\u{E001}';

/// `[^label]` left in text: a footnote reference whose note does not exist.
fn undefined_footnote(text: &str) -> Option<&str> {
    let start = text.find("[^")? + 2;
    let len = text[start..].find(']')?;
    let label = &text[start..start + len];
    (!label.is_empty() && !label.contains(char::is_whitespace)).then_some(label)
}

/// Splits text on `@fig-…`/`@tbl-…` references; anything else with `@` stays text.
fn xrefs_in_text(text: CowStr<'_>) -> Vec<Event<'_>> {
    let s: &str = &text;
    let mut out = Vec::new();
    let mut last = 0;
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'@' {
            let prev_ok = i == 0
                || !(bytes[i - 1].is_ascii_alphanumeric()
                    || bytes[i - 1] == b'.'
                    || bytes[i - 1] == b'_');
            let rest = &s[i + 1..];
            let prefix = ["fig-", "tbl-", "Fig-", "Tbl-"]
                .iter()
                .find(|p| rest.starts_with(**p));
            if let (true, Some(p)) = (prev_ok, prefix) {
                let id_len = rest
                    .bytes()
                    .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_')
                    .count();
                // A trailing hyphen belongs to the sentence, not the id.
                let id = rest[..id_len].trim_end_matches(['-', '_']);
                if id.len() > p.len() {
                    if last < i {
                        out.push(Event::Text(CowStr::from(s[last..i].to_string())));
                    }
                    let capital = p.starts_with(char::is_uppercase);
                    let id = id.to_lowercase();
                    out.push(Event::InlineHtml(CowStr::from(xref_marker(&id, capital))));
                    i += 1 + id.len();
                    last = i;
                    continue;
                }
            }
        }
        i += 1;
    }
    if last == 0 {
        return vec![Event::Text(text)];
    }
    if last < s.len() {
        out.push(Event::Text(CowStr::from(s[last..].to_string())));
    }
    out
}

/// Detects `> [!kind] Title` at events[start] (a block quote start). Returns the kind, the
/// title, the index of the marker paragraph's end, and where its remaining inline content
/// starts when the paragraph goes on after the marker line.
fn box_marker(
    events: &[(Event, std::ops::Range<usize>)],
    start: usize,
) -> Option<(String, String, usize, Option<usize>)> {
    if !matches!(events.get(start + 1)?.0, Event::Start(Tag::Paragraph)) {
        return None;
    }
    let mut line = String::new();
    let mut j = start + 2;
    let mut rest = None;
    while j < events.len() {
        match &events[j].0 {
            Event::Text(t) => line.push_str(t),
            Event::SoftBreak | Event::HardBreak => {
                rest = Some(j + 1);
                break;
            }
            Event::End(TagEnd::Paragraph) => break,
            _ => return None,
        }
        j += 1;
    }
    let inner = line.trim_start().strip_prefix("[!")?;
    let (kind, title) = inner.split_once(']')?;
    if kind.is_empty()
        || !kind
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        return None;
    }
    let mut end = j;
    while end < events.len() && !matches!(events[end].0, Event::End(TagEnd::Paragraph)) {
        end += 1;
    }
    Some((
        kind.to_lowercase(),
        title.trim().to_string(),
        end,
        rest.filter(|r| *r < end),
    ))
}

fn render_footnotes(
    labels: &[String],
    defs: Vec<(String, Vec<Event<'_>>)>,
    start: usize,
    lang: Lang,
) -> String {
    let (back_label, title) = match lang {
        Lang::Nl => ("Terug naar verwijzing", "Noten"),
        Lang::En => ("Back to reference", "Notes"),
    };
    let mut out = format!("<section class=\"footnotes\" role=\"doc-endnotes\">\n<h2 class=\"footnotes__title\">{title}</h2>\n<ol>\n");
    let mut defs = defs;
    // Notes in order of first reference; unreferenced notes are dropped like in GFM.
    for (i, label) in labels.iter().enumerate() {
        let Some(pos) = defs.iter().position(|(l, _)| l == label) else {
            continue;
        };
        let (_, body) = defs.swap_remove(pos);
        let n = i + start;
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, body.into_iter());
        let back = format!(" <a href=\"#fnref-{n}\" class=\"footnote-back\" role=\"doc-backlink\" aria-label=\"{back_label} {n}\">↩</a>");
        // Put the back link inside the last paragraph so it does not sit on its own line.
        let html = match html.rfind("</p>") {
            Some(p) => format!("{}{back}{}", &html[..p], &html[p..]),
            None => format!("{html}{back}"),
        };
        let _ = writeln!(
            out,
            "<li id=\"fn-{n}\" value=\"{n}\">{}</li>",
            html.trim_end()
        );
    }
    out.push_str("</ol>\n</section>\n");
    out
}

fn heading_level(l: HeadingLevel) -> u8 {
    match l {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// An id for a heading: its text folded to lowercase ASCII words joined by hyphens.
pub fn slug_for_id(text: &str) -> String {
    slug::slugify(text)
}

/// Escapes text for HTML element content.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = escape_html(&mut out, s);
    out
}

/// Escapes text for a double-quoted HTML attribute.
pub fn escape_attr(s: &str) -> String {
    escape_text(s)
}

#[cfg(test)]
mod tests;
