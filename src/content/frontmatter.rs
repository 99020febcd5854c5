//! YAML front matter between `---` lines at the top of a Markdown file.

use std::path::Path;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde_yaml::{Mapping, Value};

use crate::config::{key_position, yaml_error};
use crate::diagnostic::Diagnostic;

/// The keys bundel itself understands; everything else is kept in `extra` for templates.
#[derive(Debug, Clone, Default)]
pub struct FrontMatter {
    pub title: String,
    pub date: Option<NaiveDateTime>,
    pub summary: String,
    pub draft: bool,
    pub weight: Option<i64>,
    pub tags: Vec<String>,
    pub layout: Option<String>,
    pub slug: Option<String>,
    pub extra: Mapping,
    /// The front matter text, kept to point errors at the right line later.
    pub source: String,
}

impl FrontMatter {
    /// 1-based line (in the whole file) of a top-level key, or 1 when absent.
    pub fn line_of(&self, key: &str) -> usize {
        key_position(&self.source, key)
            .map(|(l, _)| l + 1)
            .unwrap_or(1)
    }

    pub fn extra_str(&self, key: &str) -> Option<&str> {
        self.extra.get(key).and_then(Value::as_str)
    }
}

/// A Markdown file split into its front matter and body.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub front: FrontMatter,
    pub body: String,
    /// 1-based line of the file on which the body starts.
    pub body_line: usize,
}

/// Splits and parses a content file. `file` is only used in messages.
pub fn parse(text: &str, file: &Path) -> Result<Parsed, Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some((yaml, body, body_line)) = split(text) else {
        return Err(vec![Diagnostic::new(
            file,
            1,
            1,
            "this file has no front matter",
        )
        .with_hint(
            "start the file with a front matter block:\n  ---\n  title: Title of the page\n  ---",
        )]);
    };
    let value: Value = if yaml.trim().is_empty() {
        Value::Mapping(Mapping::new())
    } else {
        crate::yaml::from_str(yaml).map_err(|e| {
            vec![unclosed_quote(yaml, file).unwrap_or_else(|| yaml_error(file, &e, 1))]
        })?
    };
    let Value::Mapping(mut map) = value else {
        return Err(vec![Diagnostic::new(
            file,
            2,
            1,
            "the front matter is not a list of `key: value` lines",
        )
        .with_hint(
            "write one `key: value` per line, for example `title: Nieuwe cijfers`",
        )]);
    };

    let mut errors = Vec::new();
    let mut missing_title = false;
    let at = |key: &str| {
        key_position(yaml, key)
            .map(|(l, c)| (l + 1, c))
            .unwrap_or((1, 1))
    };
    let mut err = |key: &str, msg: String, hint: &str| {
        let (l, c) = at(key);
        errors.push(Diagnostic::new(file, l, c, msg).with_hint(hint));
    };

    let mut front = FrontMatter {
        source: yaml.to_string(),
        ..FrontMatter::default()
    };
    match map.remove("title") {
        Some(Value::String(s)) if !s.trim().is_empty() => front.title = s,
        Some(Value::Number(n)) => front.title = n.to_string(),
        Some(_) => err(
            "title",
            "`title` is empty or not text".into(),
            "write the title as text: `title: Nieuwe cijfers voortijdig schoolverlaten`",
        ),
        None => missing_title = true,
    }
    if let Some(v) = map.remove("date") {
        match parse_date(&v) {
            Some(d) => front.date = Some(d),
            None => err(
                "date",
                format!("`date` is not a valid date: {}", show(&v)),
                "write dates as year-month-day: `date: 2021-09-21`",
            ),
        }
    }
    if let Some(v) = map.remove("summary") {
        match v {
            Value::String(s) => front.summary = s,
            Value::Null => {}
            other => err(
                "summary",
                format!("`summary` must be text, got {}", show(&other)),
                "quote the summary: `summary: \"...\"`",
            ),
        }
    }
    if let Some(v) = map.remove("draft") {
        match v {
            Value::Bool(b) => front.draft = b,
            other => err(
                "draft",
                format!("`draft` must be true or false, got {}", show(&other)),
                "write `draft: true` to leave the page out of the build",
            ),
        }
    }
    if let Some(v) = map.remove("weight") {
        match v.as_i64() {
            Some(w) => front.weight = Some(w),
            None => err(
                "weight",
                format!("`weight` must be a whole number, got {}", show(&v)),
                "pages are ordered by weight, lowest first: `weight: 3`",
            ),
        }
    }
    if let Some(v) = map.remove("tags") {
        match v {
            Value::Sequence(items) => {
                for item in items {
                    match item {
                        Value::String(s) => front.tags.push(s),
                        Value::Number(n) => front.tags.push(n.to_string()),
                        other => err(
                            "tags",
                            format!("a tag must be text, got {}", show(&other)),
                            "write tags as a list of words: `tags: [cijfers, mbo]`",
                        ),
                    }
                }
            }
            Value::String(s) => front.tags.push(s),
            Value::Null => {}
            other => err(
                "tags",
                format!("`tags` must be a list, got {}", show(&other)),
                "write tags as a list: `tags: [cijfers, mbo]`",
            ),
        }
    }
    for key in ["layout", "slug"] {
        if let Some(v) = map.remove(key) {
            match v {
                Value::String(s) if key == "slug" && super::slugify(&s).is_empty() => err(
                    key,
                    format!("`slug: {s}` has no letters or digits to make an address from"),
                    "write the last part of the page's address, for example `slug: vsv-in-cijfers`",
                ),
                Value::String(s) if !s.trim().is_empty() => {
                    if key == "layout" {
                        front.layout = Some(s.trim().to_string());
                    } else {
                        front.slug = Some(s.trim().to_string());
                    }
                }
                other => err(
                    key,
                    format!("`{key}` must be a name, got {}", show(&other)),
                    if key == "layout" {
                        "for example `layout: portrait`"
                    } else {
                        "write the last part of the page's address, for example `slug: vsv-in-cijfers`"
                    },
                ),
            }
        }
    }
    front.extra = map;
    if missing_title {
        errors.push(
            Diagnostic::new(file, 1, 1, "the front matter has no `title`")
                .with_hint("add a line `title: ...` between the `---` lines"),
        );
    }

    if errors.is_empty() {
        Ok(Parsed {
            front,
            body: body.to_string(),
            body_line,
        })
    } else {
        Err(errors)
    }
}

/// An unclosed quote makes YAML fail at the end of the block; point at the quote instead.
fn unclosed_quote(yaml: &str, file: &Path) -> Option<Diagnostic> {
    for (i, line) in yaml.lines().enumerate() {
        let value = line
            .split_once(": ")
            .map(|(_, v)| v.trim_start())
            .unwrap_or("");
        for q in ['"', '\''] {
            if value.starts_with(q) && (value.len() == 1 || !value.trim_end().ends_with(q)) {
                let col = line.len() - value.len() + 1;
                return Some(
                    Diagnostic::new(file, i + 2, col, "invalid YAML: this quote is never closed")
                        .with_hint(format!("end the text with a closing {q} on the same line")),
                );
            }
        }
    }
    None
}

/// Returns (yaml, body, body_line) when the text starts with a `---` line and has a closing one.
fn split(text: &str) -> Option<(&str, &str, usize)> {
    let first_end = text.find('\n')?;
    if text[..first_end].trim_end() != "---" {
        return None;
    }
    let mut pos = first_end + 1;
    let mut line = 2;
    while pos <= text.len() {
        let end = text[pos..]
            .find('\n')
            .map(|i| pos + i)
            .unwrap_or(text.len());
        let l = text[pos..end].trim_end();
        if l == "---" || l == "..." {
            let body_start = (end + 1).min(text.len());
            return Some((&text[first_end + 1..pos], &text[body_start..], line + 1));
        }
        if end == text.len() {
            break;
        }
        pos = end + 1;
        line += 1;
    }
    None
}

fn parse_date(v: &Value) -> Option<NaiveDateTime> {
    let s = match v {
        Value::String(s) => s.trim().to_string(),
        _ => return None,
    };
    if let Ok(d) = NaiveDate::parse_from_str(&s, "%Y-%m-%d") {
        return Some(d.and_time(NaiveTime::MIN));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(d) = NaiveDateTime::parse_from_str(&s, fmt) {
            return Some(d);
        }
    }
    // Offsets (`2021-09-21T10:00:00+02:00`) are accepted; the local time is what readers see.
    chrono::DateTime::parse_from_rfc3339(&s)
        .ok()
        .map(|d| d.naive_local())
}

fn show(v: &Value) -> String {
    match v {
        Value::String(s) => format!("`{s}`"),
        Value::Null => "nothing".to_string(),
        Value::Sequence(_) => "a list".to_string(),
        Value::Mapping(_) => "a group of keys".to_string(),
        other => format!(
            "`{}`",
            serde_yaml::to_string(other).unwrap_or_default().trim()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(t: &str) -> Result<Parsed, Vec<Diagnostic>> {
        parse(t, Path::new("content/a.md"))
    }

    #[test]
    fn splits_front_matter_and_body() {
        let r =
            p("---\ntitle: Hallo\ndate: 2021-09-21\ntags: [a, b]\nauthor: Redactie\n---\n# Kop\n")
                .unwrap();
        assert_eq!(r.front.title, "Hallo");
        assert_eq!(r.front.tags, vec!["a", "b"]);
        assert_eq!(r.front.extra_str("author"), Some("Redactie"));
        assert_eq!(r.body, "# Kop\n");
        assert_eq!(r.body_line, 7);
        assert_eq!(r.front.line_of("author"), 5);
        assert_eq!(
            r.front.date.unwrap().date(),
            NaiveDate::from_ymd_opt(2021, 9, 21).unwrap()
        );
    }

    #[test]
    fn reports_all_problems_with_lines() {
        let e = p("---\ndate: 21-09-2021\nweight: veel\n---\n").unwrap_err();
        let msgs: Vec<_> = e.iter().map(|d| (d.line, d.message.clone())).collect();
        assert_eq!(e.len(), 3, "{msgs:?}");
        assert!(msgs.iter().any(|(l, m)| *l == 2 && m.contains("date")));
        assert!(msgs.iter().any(|(l, m)| *l == 3 && m.contains("weight")));
        assert!(msgs.iter().any(|(_, m)| m.contains("title")));
    }

    #[test]
    fn yaml_syntax_errors_have_file_lines() {
        let e = p("---\ntitle: a\nsummary: \"unclosed\n---\nbody").unwrap_err();
        assert_eq!(e[0].file, Path::new("content/a.md"));
        assert!(e[0].line >= 3, "{:?}", e[0]);
        let e = p("no front matter").unwrap_err();
        assert!(e[0].message.contains("no front matter"));
    }
}
