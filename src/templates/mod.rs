//! Stage 5: applying the theme's Tera templates.
//!
//! Templates get Dutch-aware filters (`date_long`, `num`, `pct`, `filesize`, `iso_date`) and
//! report errors with the template file, line and column.

pub mod theme;

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{NaiveDate, NaiveDateTime};
use tera::{Context, Kwargs, State, Tera, Value};

use crate::diagnostic::Diagnostic;
use crate::locale::Lang;
pub use theme::Theme;

/// Functions that look into the whole site, registered by the site stage.
pub const SITE_FUNCTIONS: &[&str] = &["get_page", "get_section", "get_data"];

pub struct Templates {
    tera: Tera,
    /// Template name -> file it came from.
    files: BTreeMap<String, PathBuf>,
}

impl Templates {
    /// Compiles every template of the theme (site overrides included).
    pub fn new(theme: &Theme, lang: Lang) -> Result<Templates, Vec<Diagnostic>> {
        let files: BTreeMap<String, PathBuf> = theme
            .templates
            .iter()
            .map(|t| (t.name.clone(), t.file.clone()))
            .collect();
        let mut sources: Vec<(&str, &str)> = theme
            .templates
            .iter()
            .map(|t| (t.name.as_str(), t.source.as_str()))
            .collect();
        // Tera stops at the first template that does not compile. To report every broken
        // template at once, the broken one is set aside (left empty) and the rest compiled
        // again, as long as each round names a new template.
        let mut errors = Vec::new();
        let mut set_aside: Vec<&str> = Vec::new();
        loop {
            let mut tera = Tera::new();
            register_filters(&mut tera, lang);
            // Tera checks at load time that called functions exist; the site registers the
            // real lookups once content is read (see `register_function`).
            for name in SITE_FUNCTIONS {
                tera.register_function(*name, |_: Kwargs, _: &State| -> tera::TeraResult<Value> {
                    Err(tera::Error::message("site lookups are not available yet"))
                });
            }
            let e = match tera.add_raw_templates(sources.iter().copied()) {
                Ok(()) if errors.is_empty() => return Ok(Templates { tera, files }),
                Ok(()) => return Err(errors),
                Err(e) => e,
            };
            let d = to_diagnostic(&e, &files);
            let broken = files
                .iter()
                .find(|(_, f)| **f == d.file)
                .map(|(n, _)| n.as_str());
            // A template that extends or includes one set aside fails only because of it.
            let follows = broken.is_some_and(|b| {
                theme.templates.iter().any(|t| {
                    t.name == b
                        && set_aside
                            .iter()
                            .any(|a: &&str| t.source.contains(&format!("\"{a}\"")))
                })
            });
            if !follows {
                errors.push(d);
            }
            match broken {
                Some(name) if set_aside.len() < 100 => {
                    let Some(slot) = sources
                        .iter_mut()
                        .find(|(n, s)| *n == name && !s.is_empty())
                    else {
                        return Err(errors);
                    };
                    slot.1 = "";
                    set_aside.push(name);
                }
                _ => return Err(errors),
            }
        }
    }

    pub fn has(&self, name: &str) -> bool {
        self.files.contains_key(name)
    }

    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Lets templates call `name(...)`; used for lookups into the whole site.
    pub fn register_function<F>(&mut self, name: &'static str, f: F)
    where
        F: Fn(Kwargs, &State) -> tera::TeraResult<Value> + Sync + Send + 'static,
    {
        self.tera.register_function(name, f);
    }

    pub fn render(&self, name: &str, ctx: &Context) -> Result<String, Diagnostic> {
        self.tera
            .render(name, ctx)
            .map_err(|e| to_diagnostic(&e, &self.files))
    }
}

fn to_diagnostic(e: &tera::Error, files: &BTreeMap<String, PathBuf>) -> Diagnostic {
    use tera::ErrorKind;
    let hint = "check the template near this position; see the theme documentation in README.md";
    match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            let file = files
                .get(r.filename())
                .cloned()
                .unwrap_or_else(|| PathBuf::from(r.filename()));
            let span = r.span();
            Diagnostic::new(
                file,
                span.start_line,
                span.start_col + 1,
                r.message().to_string(),
            )
            .with_hint(hint)
        }
        _ => {
            // Errors without a position (a missing parent template, ...): name what we can.
            let msg = e.to_string();
            let mut source = std::error::Error::source(e);
            let mut full = msg.clone();
            while let Some(s) = source {
                full.push_str(": ");
                full.push_str(&s.to_string());
                source = s.source();
            }
            // Load-time checks (unknown filter, ...) come as reports: "--> name:line:col".
            if let Some((name, line, col)) = report_location(&msg) {
                let file = files
                    .get(name)
                    .cloned()
                    .unwrap_or_else(|| PathBuf::from(name));
                let first = msg
                    .lines()
                    .next()
                    .unwrap_or("")
                    .trim_start_matches("error: ")
                    .to_string();
                return Diagnostic::new(file, line, col, first).with_hint(hint);
            }
            let file = files
                .iter()
                .find(|(name, _)| msg.contains(&format!("'{name}'")))
                .map(|(_, f)| f.clone())
                .unwrap_or_else(|| PathBuf::from("templates"));
            Diagnostic::file(file, full).with_hint(hint)
        }
    }
}

/// The first `--> name:line:col` in a Tera report.
fn report_location(msg: &str) -> Option<(&str, usize, usize)> {
    let rest = &msg[msg.find("--> ")? + 4..];
    let loc = rest.lines().next()?.trim();
    let mut parts = loc.rsplitn(3, ':');
    let col = parts.next()?.parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    Some((parts.next()?, line, col))
}

/// Reads a date given to a filter: `2021-09-21`, `2021-09-21T10:00:00`.
fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d")
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
                .ok()
                .map(|d| d.date())
        })
}

fn number_of(v: &Value) -> Option<f64> {
    if let Some(n) = v.as_number() {
        return Some(n.as_float());
    }
    v.as_str().and_then(|s| s.trim().parse::<f64>().ok())
}

fn register_filters(tera: &mut Tera, lang: Lang) {
    // `{{ page.date | date_long }}` -> 21 september 2021
    tera.register_filter(
        "date_long",
        move |v: &str, _: Kwargs, _: &State| -> tera::TeraResult<String> {
            if v.is_empty() {
                return Ok(String::new());
            }
            parse_date(v).map(|d| lang.date_long(d)).ok_or_else(|| {
                tera::Error::message(format!(
                    "date_long: `{v}` is not a date (expected 2021-09-21)"
                ))
            })
        },
    );
    // `{{ page.date | iso_date }}` -> 2021-09-21, for <time datetime>
    tera.register_filter("iso_date", |v: &str, _: Kwargs, _: &State| -> String {
        parse_date(v)
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    });
    // `{{ x | num }}`, `{{ x | num(decimals=1) }}` -> 6.291 / 1,4
    tera.register_filter(
        "num",
        move |v: &Value, kw: Kwargs, _: &State| -> tera::TeraResult<String> {
            let Some(n) = number_of(v) else {
                return if v.is_none() || v.is_undefined() {
                    Ok("–".to_string())
                } else {
                    Err(tera::Error::message(format!("num: `{v}` is not a number")))
                };
            };
            Ok(match kw.get::<i64>("decimals")? {
                Some(d) => lang.number(n, d.clamp(0, 10) as usize),
                None => lang.number_auto(n, 2),
            })
        },
    );
    // `{{ x | pct(decimals=1) }}` -> 1,4%
    tera.register_filter(
        "pct",
        move |v: &Value, kw: Kwargs, _: &State| -> tera::TeraResult<String> {
            let Some(n) = number_of(v) else {
                return Ok("–".to_string());
            };
            Ok(match kw.get::<i64>("decimals")? {
                Some(d) => lang.percent(n, d.clamp(0, 10) as usize),
                None => format!("{}%", lang.number_auto(n, 2)),
            })
        },
    );
    // `{{ size | filesize }}` -> 1,2 MB
    tera.register_filter(
        "filesize",
        move |v: &Value, _: Kwargs, _: &State| -> String {
            number_of(v)
                .map(|n| lang.file_size(n.max(0.0) as u64))
                .unwrap_or_default()
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tpl(src: &str) -> Templates {
        let theme = Theme {
            warnings: Vec::new(),
            name: "t".into(),
            templates: vec![theme::TemplateFile {
                name: "x.html".into(),
                source: src.into(),
                file: PathBuf::from("themes/t/templates/x.html"),
            }],
            static_files: vec![],
            strings: Default::default(),
            settings: Default::default(),
        };
        Templates::new(&theme, Lang::Nl).unwrap_or_else(|e| panic!("{e:?}"))
    }

    #[test]
    fn dutch_filters() {
        let t = tpl("{{ d | date_long }}|{{ n | num }}|{{ p | pct(decimals=1) }}|{{ s | filesize }}|{{ d | iso_date }}");
        let mut ctx = Context::new();
        ctx.insert("d", "2021-09-21T00:00:00");
        ctx.insert("n", &6291);
        ctx.insert("p", &1.45);
        ctx.insert("s", &1_234_567);
        assert_eq!(
            t.render("x.html", &ctx).unwrap(),
            "21 september 2021|6.291|1,4%|1,2 MB|2021-09-21"
        );
    }

    #[test]
    fn errors_point_into_the_template() {
        let theme = Theme {
            warnings: Vec::new(),
            name: "t".into(),
            templates: vec![theme::TemplateFile {
                name: "x.html".into(),
                source: "<p>\n{{ page.title }\n".into(),
                file: PathBuf::from("templates/x.html"),
            }],
            static_files: vec![],
            strings: Default::default(),
            settings: Default::default(),
        };
        let e = Templates::new(&theme, Lang::Nl).err().unwrap();
        assert_eq!(e[0].file, PathBuf::from("templates/x.html"));
        assert_eq!(e[0].line, 2);
        let t = tpl("a\n{{ missing.field }}");
        let e = t.render("x.html", &Context::new()).unwrap_err();
        assert_eq!(
            (e.file.to_str().unwrap(), e.line),
            ("themes/t/templates/x.html", 2)
        );
    }
}
