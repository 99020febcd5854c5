//! Where a URL in a generated page leads. Pages link relatively (`../../nieuws/a/`), so a URL
//! is resolved against the folder of the page it stands on, as a browser would.

use crate::url::percent_decode;
use std::collections::BTreeMap;

use crate::site::links::has_scheme;

/// What a URL refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Not something to check (`mailto:`, `tel:`, `data:`, an empty `href`).
    Skip,
    /// A web address outside the site.
    External(String),
    /// A file of the site (its key in the output) and the `#fragment`, if any.
    Internal {
        key: String,
        fragment: Option<String>,
    },
    /// A site path that the site does not have (`nieuws/weg/`).
    Missing { path: String },
    /// `../` once too often.
    Outside,
    /// `/nieuws/` on a site published under `/rmc-achterhoek/`: it would miss the site.
    DomainRoot,
}

pub struct Resolver<'a, V> {
    pub files: &'a BTreeMap<String, V>,
    /// `https://example.org/rmc-achterhoek/`, with one trailing slash.
    pub base_url: String,
    /// `/rmc-achterhoek/`.
    pub base_path: String,
}

impl<V> Resolver<'_, V> {
    /// Resolves `value` found on the page stored at `from` (`nieuws/a/index.html`).
    pub fn resolve(&self, from: &str, value: &str) -> Target {
        let value = value.trim();
        if value.is_empty() {
            return Target::Skip;
        }
        let (rest, fragment) = match value.split_once('#') {
            Some((r, f)) => (r, Some(percent_decode(f))),
            None => (value, None),
        };
        let rest = rest.split_once('?').map_or(rest, |(r, _)| r);
        if value.starts_with('#') || value.starts_with('?') {
            return Target::Internal {
                key: from.to_string(),
                fragment,
            };
        }
        let own_site = strip_prefix_ci(rest, &self.base_url).or_else(|| {
            rest.eq_ignore_ascii_case(self.base_url.trim_end_matches('/'))
                .then_some("")
        });
        let lower = rest.to_ascii_lowercase();
        let site_path = if let Some(inside) = own_site {
            // An absolute link to the site itself (a canonical link): check it as internal.
            percent_decode(inside)
        } else if lower.starts_with("http://") || lower.starts_with("https://") {
            return Target::External(value.to_string());
        } else if value.starts_with("//") {
            return Target::External(format!("https:{value}"));
        } else if has_scheme(value) {
            return Target::Skip;
        } else if rest.starts_with('/') {
            match rest.strip_prefix(self.base_path.as_str()) {
                Some(inside) => percent_decode(inside),
                None if format!("{rest}/") == self.base_path => String::new(),
                None => return Target::DomainRoot,
            }
        } else {
            let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
            let joined = if dir.is_empty() {
                rest.to_string()
            } else {
                format!("{dir}/{rest}")
            };
            match normalize(&percent_decode(&joined)) {
                Some(p) => p,
                None => return Target::Outside,
            }
        };
        let key = if site_path.is_empty() || site_path.ends_with('/') {
            format!("{site_path}index.html")
        } else {
            site_path.clone()
        };
        if self.files.contains_key(&key) {
            return Target::Internal { key, fragment };
        }
        let folder = format!("{site_path}/index.html");
        if !site_path.ends_with('/') && self.files.contains_key(&folder) {
            // A server redirects `a` to `a/`; a link without the slash still works.
            return Target::Internal {
                key: folder,
                fragment,
            };
        }
        Target::Missing { path: site_path }
    }
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    if s.is_char_boundary(prefix.len()) && s[..prefix.len()].eq_ignore_ascii_case(prefix) {
        Some(&s[prefix.len()..])
    } else {
        None
    }
}

/// Resolves `.` and `..` in a `/`-separated path; `None` when it climbs above the root.
/// A trailing slash is kept.
fn normalize(path: &str) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    let trailing = path.ends_with('/')
        || path.ends_with("/.")
        || path.ends_with("/..")
        || path == "."
        || path == "..";
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            p => out.push(p),
        }
    }
    let mut s = out.join("/");
    if trailing && !s.is_empty() {
        s.push('/');
    }
    Some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resolver<'a>(files: &'a BTreeMap<String, ()>, base_path: &str) -> Resolver<'a, ()> {
        Resolver {
            files,
            base_url: format!("https://example.org{base_path}"),
            base_path: base_path.to_string(),
        }
    }

    fn site() -> BTreeMap<String, ()> {
        [
            "index.html",
            "nieuws/index.html",
            "nieuws/a/index.html",
            "nieuws/a/b c.pdf",
            "css/x.css",
            "404.html",
        ]
        .iter()
        .map(|k| (k.to_string(), ()))
        .collect()
    }

    fn internal(key: &str, fragment: Option<&str>) -> Target {
        Target::Internal {
            key: key.into(),
            fragment: fragment.map(str::to_string),
        }
    }

    #[test]
    fn resolves_relative_links_like_a_browser() {
        let files = site();
        let r = resolver(&files, "/sub/");
        let from = "nieuws/a/index.html";
        assert_eq!(r.resolve(from, "../../"), internal("index.html", None));
        assert_eq!(r.resolve(from, "./"), internal("nieuws/a/index.html", None));
        assert_eq!(r.resolve(from, "../"), internal("nieuws/index.html", None));
        assert_eq!(
            r.resolve(from, "../../nieuws/a/#kop"),
            internal("nieuws/a/index.html", Some("kop"))
        );
        assert_eq!(
            r.resolve(from, "#kop"),
            internal("nieuws/a/index.html", Some("kop"))
        );
        assert_eq!(
            r.resolve(from, "b%20c.pdf"),
            internal("nieuws/a/b c.pdf", None)
        );
        assert_eq!(
            r.resolve(from, "../../nieuws"),
            internal("nieuws/index.html", None)
        );
        assert_eq!(
            r.resolve(from, "../../css/x.css?v=2"),
            internal("css/x.css", None)
        );
        assert_eq!(
            r.resolve(from, "../weg/"),
            Target::Missing {
                path: "nieuws/weg/".into()
            }
        );
        assert_eq!(r.resolve(from, "../../../../x"), Target::Outside);
        assert_eq!(r.resolve(from, "mailto:a@b.nl"), Target::Skip);
        assert_eq!(r.resolve(from, ""), Target::Skip);
        assert_eq!(
            r.resolve(from, "https://elders.nl/x"),
            Target::External("https://elders.nl/x".into())
        );
    }

    #[test]
    fn absolute_links_must_stay_under_the_base_path() {
        let files = site();
        let r = resolver(&files, "/sub/");
        assert_eq!(
            r.resolve("404.html", "/sub/css/x.css"),
            internal("css/x.css", None)
        );
        assert_eq!(r.resolve("404.html", "/sub/"), internal("index.html", None));
        assert_eq!(r.resolve("404.html", "/css/x.css"), Target::DomainRoot);
        assert_eq!(
            r.resolve("index.html", "https://example.org/sub/nieuws/a/"),
            internal("nieuws/a/index.html", None)
        );
        assert_eq!(
            r.resolve("index.html", "https://example.org/sub"),
            internal("index.html", None)
        );
        let r = resolver(&files, "/");
        assert_eq!(
            r.resolve("404.html", "/css/x.css"),
            internal("css/x.css", None)
        );
    }
}
