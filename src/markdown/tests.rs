use super::*;
use std::path::Path;

fn md_with(text: &str, chapter: Option<u32>) -> Rendered {
    md_vars(text, chapter, &[])
}

fn md_vars(text: &str, chapter: Option<u32>, vars: &[(String, String)]) -> Rendered {
    let mut ids = BTreeSet::new();
    let link = |d: &str| -> Result<String, String> {
        if d.ends_with("missing.md") {
            Err(format!("`{d}` does not exist"))
        } else if let Some(rest) = d.strip_suffix(".md") {
            Ok(format!("/{rest}/"))
        } else {
            Ok(d.to_string())
        }
    };
    let mut block = |b: &FencedBlock| -> Result<Option<String>, Vec<Diagnostic>> {
        match b.kind {
            "chart" => Ok(Some(format!(
                "<figure data-line=\"{}\">{}</figure>",
                b.line,
                escape_text(b.body.trim())
            ))),
            "bad" => Err(vec![Diagnostic::new("x.md", b.line, 1, "bad block")]),
            _ => Ok(None),
        }
    };
    render(
        Doc {
            file: Path::new("content/a.md"),
            text,
            first_line: 5,
            chapter,
            ids: &mut ids,
            footnote_start: 1,
            vars,
        },
        Options::default(),
        Hooks {
            link: &link,
            block: &mut block,
        },
    )
}

fn md(text: &str) -> Rendered {
    md_with(text, None)
}

#[test]
fn headings_get_unique_ids_and_toc() {
    let r = md("## De cijfers\n\n### Per regio\n\n## De cijfers\n\n## Eigen {#eigen-id}\n");
    assert!(
        r.html.contains("<h2 id=\"de-cijfers\">De cijfers</h2>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("<h2 id=\"de-cijfers-2\">"), "{}", r.html);
    assert!(
        r.html.contains("<h2 id=\"eigen-id\">Eigen</h2>"),
        "{}",
        r.html
    );
    let ids: Vec<_> = r.toc.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["de-cijfers", "per-regio", "de-cijfers-2", "eigen-id"]);
}

#[test]
fn chapters_number_their_sections() {
    let r = md_with(
        "## Aanpak\n\n### Scholen\n\n### Gemeenten\n\n## Resultaten\n",
        Some(2),
    );
    let nums: Vec<_> = r.toc.iter().map(|h| h.number.clone().unwrap()).collect();
    assert_eq!(nums, ["2.1", "2.1.1", "2.1.2", "2.2"]);
    assert!(r
        .html
        .contains("<span class=\"secnum\">2.1.2</span> Gemeenten"));
}

#[test]
fn fenced_blocks_go_to_the_hook_with_file_lines() {
    let r = md("Tekst\n\n```chart\ntype: line\n```\n\n```rust\nfn x() {}\n```\n");
    // body starts on line 4 of the text, which starts on file line 5
    assert!(
        r.html
            .contains("<figure data-line=\"8\">type: line</figure>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("<code class=\"language-rust\">"));
    let r = md("```bad\nx\n```\n");
    assert_eq!(r.diagnostics.len(), 1);
    assert_eq!(r.diagnostics[0].line, 6);
}

#[test]
fn links_are_rewritten_and_broken_ones_reported_with_position() {
    let r = md("Zie [dit](../nieuws/a.md) en [dat](missing.md).\n");
    assert!(r.html.contains("href=\"/../nieuws/a/\""), "{}", r.html);
    assert_eq!(r.diagnostics.len(), 1);
    assert_eq!((r.diagnostics[0].line, r.diagnostics[0].col), (5, 30));
}

#[test]
fn boxes_from_block_quotes() {
    let r = md("> [!actiepunten] Actiepunten 2023\n>\n> - een\n> - twee\n\n> Gewoon citaat\n");
    assert!(
        r.html
            .contains("<aside class=\"box box-actiepunten\" aria-label=\"Actiepunten 2023\">"),
        "{}",
        r.html
    );
    assert!(r
        .html
        .contains("<p class=\"box-title\">Actiepunten 2023</p>"));
    assert!(r.html.contains("<li>een</li>"));
    assert!(r.html.contains("</aside>"));
    assert!(
        r.html
            .contains("<blockquote>\n<p>Gewoon citaat</p>\n</blockquote>"),
        "{}",
        r.html
    );
    let r = md("> [!effecten]\n> Minder uitval.\n");
    assert!(
        r.html
            .contains("<p class=\"box-title\">Beoogde effecten</p>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("<p>Minder uitval.</p>"), "{}", r.html);
    let r = md("> [!onbekend] x\n");
    assert_eq!(r.diagnostics.len(), 1);
    assert!(r.diagnostics[0].message.contains("onbekend"));
}

#[test]
fn footnotes_are_numbered_notes_at_the_end() {
    let r = md("Een[^a] en twee[^b] en weer een[^a].\n\n[^b]: Tweede.\n[^a]: Eerste.\n");
    assert_eq!(r.footnotes, 2);
    assert!(r
        .html
        .contains("<a href=\"#fn-1\" id=\"fnref-1\" role=\"doc-noteref\">1</a>"));
    assert!(r.html.contains("id=\"fnref-1-2\""));
    let notes = &r.html[r.html.find("<section class=\"footnotes\"").unwrap()..];
    assert!(notes.find("Eerste").unwrap() < notes.find("Tweede").unwrap());
    let r = md("Een[^x].\n");
    assert_eq!(r.diagnostics.len(), 1, "{:?}", r.diagnostics);
}

#[test]
fn cross_references_become_markers_but_emails_stay_text() {
    let r = md("Zie @fig-vsv-trend. @Tbl-a toont; mail info@rmc.example of @fig-.\n");
    assert_eq!(xref_ids(&r.html), ["fig-vsv-trend", "tbl-a"]);
    assert!(r.html.contains("info@rmc.example"));
    assert!(r.html.contains("@fig-."));
    let out = resolve_xrefs(&r.html, |id, cap| format!("[{id}:{cap}]"));
    assert!(out.contains("Zie [fig-vsv-trend:false]."), "{out}");
    assert!(out.contains("[tbl-a:true] toont"), "{out}");
}

#[test]
fn raw_text_is_escaped() {
    let r = md("a < b & \"c\"\n");
    assert!(r.html.contains("a &lt; b &amp; “c”"), "{}", r.html);
}

#[test]
fn a_variable_at_the_end_of_a_heading_is_filled_in_not_read_as_attributes() {
    let vars = [("regio".to_string(), "Súdwest-Fryslân".to_string())];
    let r = md_vars(
        "## Kerncijfers van {regio}\n\nTekst over {regio}.\n\n## Eigen {#eigen}\n",
        None,
        &vars,
    );
    assert!(
        r.html.contains(
            "<h2 id=\"kerncijfers-van-sudwest-fryslan\">Kerncijfers van Súdwest-Fryslân</h2>"
        ),
        "{}",
        r.html
    );
    assert!(
        r.html.contains("<p>Tekst over Súdwest-Fryslân.</p>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("<h2 id=\"eigen\">Eigen</h2>"), "{}", r.html);
    assert!(r
        .toc
        .iter()
        .any(|h| h.text == "Kerncijfers van Súdwest-Fryslân"));
}

#[test]
fn raw_html_that_runs_code_is_flagged_with_its_place() {
    let text = "Klik <span onClick = \"x()\">hier</span>.\n\n<script src=\"a.js\"></script>\n\n\
[a](JavaScript:alert(1)) [b](https://x.nl) ![c](data:image/png;base64,AA)\n\n\
<a href=' data:text/html,x'>d</a> <a data-x=\"data:y\">e</a> <svg><a xlink:href=\"javascript:z\">f</a></svg>\n\n\
<iframe src=\"https://datawrapper.dwcdn.net/x\"></iframe> <iframe srcdoc=\"<b>\"></iframe>\n\n\
`<script>` in code and\n\n```\n<script>\n```\n";
    let r = md_with(text, None);
    let found: Vec<String> = r
        .warnings
        .iter()
        .map(|d| format!("{}:{} {}", d.line, d.col, d.message))
        .collect();
    assert_eq!(
        found,
        vec![
            "5:12 an event-handler attribute `onclick=` in the Markdown",
            "7:1 a `<script>` element in the Markdown",
            "9:1 a `javascript:` address in a link: `JavaScript:alert(1)`",
            "11:4 a `data:` address in `href=`: `data:text/html,x`",
            "11:68 a `javascript:` address in `xlink:href=`: `javascript:z`",
            "13:65 an `<iframe srcdoc=` page written into the Markdown",
        ],
        "{found:#?}"
    );
}
