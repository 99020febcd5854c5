//! bundel's Markdown stage must stay CommonMark: every example of the CommonMark spec that
//! plain pulldown-cmark renders correctly must still render correctly through bundel.
//!
//! Deliberate differences are normalised away before comparing: headings get `id`
//! attributes. Smart punctuation is a site setting (`smart_punctuation: false` turns it off);
//! it is off here because it changes quotes by design.

use std::collections::BTreeSet;
use std::path::Path;

use bundel::diagnostic::Diagnostic;
use bundel::markdown::{self, Doc, FencedBlock, Hooks, Options};

#[derive(serde::Deserialize)]
struct Example {
    number: usize,
    section: String,
    markdown: String,
    html: String,
}

fn plain(md: &str) -> String {
    let mut out = String::new();
    pulldown_cmark::html::push_html(&mut out, pulldown_cmark::Parser::new(md));
    out
}

fn bundel(md: &str) -> String {
    let link = |d: &str| -> Result<String, String> { Ok(d.to_string()) };
    // The real block hook handles chart/table/kpi; any other fence stays code.
    let mut block = |b: &FencedBlock| -> Result<Option<String>, Vec<Diagnostic>> {
        Ok(matches!(b.kind, "chart" | "table" | "kpi").then(|| "<figure></figure>".to_string()))
    };
    let mut ids = BTreeSet::new();
    let r = markdown::render(
        Doc {
            file: Path::new("spec.md"),
            text: md,
            first_line: 1,
            chapter: None,
            ids: &mut ids,
            footnote_start: 1,
            vars: &[],
        },
        Options {
            smart_punctuation: false,
            ..Options::default()
        },
        Hooks {
            link: &link,
            block: &mut block,
        },
    );
    r.html
}

/// Removes the `id="..."` bundel adds to headings.
fn strip_heading_ids(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("<h") {
        let tag = &rest[i..];
        let is_heading = tag.len() > 3 && (b'1'..=b'6').contains(&tag.as_bytes()[2]);
        if is_heading && tag[3..].starts_with(" id=\"") {
            out.push_str(&rest[..i + 3]);
            let after = &tag[8..];
            let end = after.find('"').unwrap();
            rest = &after[end + 1..];
        } else {
            out.push_str(&rest[..i + 2]);
            rest = &rest[i + 2..];
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn commonmark_spec_examples_pass_through_bundel() {
    let examples: Vec<Example> =
        serde_json::from_str(include_str!("data/commonmark-spec-0.31.2.json")).unwrap();
    assert_eq!(examples.len(), 652);
    let mut plain_passes = 0;
    let mut failures = Vec::new();
    for ex in &examples {
        if plain(&ex.markdown) != ex.html {
            continue; // pulldown-cmark itself differs here; not bundel's concern
        }
        plain_passes += 1;
        let ours = strip_heading_ids(&bundel(&ex.markdown));
        if ours != ex.html {
            failures.push(format!(
                "example {} ({}):\n--- markdown\n{}--- expected\n{}--- bundel\n{}",
                ex.number, ex.section, ex.markdown, ex.html, ours
            ));
        }
    }
    assert!(
        plain_passes > 600,
        "pulldown-cmark passes only {plain_passes} examples?"
    );
    assert!(
        failures.is_empty(),
        "{} of {plain_passes} examples fail through bundel:\n\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn heading_id_normalisation_only_touches_headings() {
    assert_eq!(
        strip_heading_ids("<h2 id=\"a-b\">A</h2>\n<hr />"),
        "<h2>A</h2>\n<hr />"
    );
    assert_eq!(strip_heading_ids("<html id=\"x\">"), "<html id=\"x\">");
}
