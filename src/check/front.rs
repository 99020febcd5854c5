//! Front matter each kind of page needs, beyond what the build itself requires (a title).
//!
//! The kind follows from what the theme does with the page: a page shown with the `article`
//! layout is a news article, `portrait` a portrait; reports and publications say so with
//! `type:`. A field that is there but empty counts as missing: a portrait without a name is
//! no better with `name: ""`.

use serde_yaml::Value;

use crate::content::{Content, Page, PageKind};
use crate::diagnostic::Diagnostic;

struct Rule {
    kind: &'static str,
    /// (field, what to write)
    fields: &'static [(&'static str, &'static str)],
}

const ARTICLE: Rule = Rule {
    kind: "a news article",
    fields: &[
        ("date", "`date: 2021-09-21`, the day it is published"),
        (
            "summary",
            "`summary: ...`, one or two sentences shown under the title and in listings",
        ),
    ],
};
const PORTRAIT: Rule = Rule {
    kind: "a portrait",
    fields: &[
        ("name", "`name: ...`, the name of the person portrayed"),
        (
            "role",
            "`role: ...`, what they do, for example `role: Leerplichtambtenaar`",
        ),
    ],
};
const REPORT: Rule = Rule {
    kind: "a report (`type: report`)",
    fields: &[
        ("date", "`date: 2022-11-15`, the day it is published"),
        (
            "organisation",
            "`organisation: ...`, who publishes the report",
        ),
    ],
};
const PUBLICATION: Rule = Rule {
    kind: "a publication (`type: publication`)",
    fields: &[(
        "pages",
        "`pages:` with its pages in order, one per line, such as `  - portretten/anja-boschker`",
    )],
};

/// Whether each entry of a publication's `pages` exists is the build's concern.
pub fn check(content: &Content) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for page in &content.pages {
        for rule in rules_for(page, content) {
            for (field, what) in rule.fields {
                if let Some(d) = missing(page, rule.kind, field, what) {
                    out.push(d);
                }
            }
        }
    }
    out
}

fn rules_for(page: &Page, content: &Content) -> Vec<&'static Rule> {
    let mut rules = Vec::new();
    let layout = page.front.layout.as_deref().or_else(|| {
        if page.kind != PageKind::Regular {
            return None;
        }
        let section = page.section?;
        content.pages[content.sections[section].page]
            .front
            .extra_str("page_layout")
    });
    match layout {
        Some("article") => rules.push(&ARTICLE),
        Some("portrait") => rules.push(&PORTRAIT),
        _ => {}
    }
    match page.front.extra_str("type") {
        Some("report") => rules.push(&REPORT),
        Some("publication") => rules.push(&PUBLICATION),
        _ => {}
    }
    rules
}

fn missing(page: &Page, kind: &str, field: &str, what: &str) -> Option<Diagnostic> {
    let front = &page.front;
    let present = match field {
        "date" => front.date.is_some(),
        "summary" => !front.summary.trim().is_empty(),
        _ => front.extra.get(field).is_some_and(filled),
    };
    if present {
        return None;
    }
    let written =
        front.extra.contains_key(field) || (field == "summary" && has_key(&front.source, field));
    Some(if written {
        Diagnostic::new(
            &page.source,
            front.line_of(field),
            1,
            format!("`{field}` is empty; {kind} needs it"),
        )
        .with_hint(format!("fill it in: {what}"))
    } else {
        Diagnostic::new(
            &page.source,
            1,
            1,
            format!("{kind} needs `{field}` in its front matter"),
        )
        .with_hint(format!("add a line {what}"))
    })
}

fn filled(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => !s.trim().is_empty(),
        Value::Sequence(s) => !s.is_empty(),
        Value::Mapping(m) => !m.is_empty(),
        _ => true,
    }
}

fn has_key(yaml: &str, key: &str) -> bool {
    yaml.lines().any(|l| {
        l.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    })
}
