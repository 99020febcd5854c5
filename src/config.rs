//! Stage 1: the site configuration, `site.yaml` at the site root.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
use crate::locale::Lang;

pub const CONFIG_FILE: &str = "site.yaml";

/// Sites up to this many pages get search unless `search: false`.
pub const SEARCH_AUTO_LIMIT: usize = 3000;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    pub title: String,
    /// Where the site is published, e.g. `https://example.org/rmc-achterhoek/`. Only used for
    /// absolute URLs (canonical links, feeds, PDFs); pages link to each other relatively so the
    /// output works from any folder.
    #[serde(default = "default_base_url")]
    pub base_url: String,
    #[serde(default = "default_language")]
    pub language: String,
    #[serde(default = "default_theme")]
    pub theme: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub organisation: Organisation,
    #[serde(default)]
    pub menu: Vec<MenuItem>,
    /// Typographic quotes and dashes in Markdown (“…”, –).
    #[serde(default = "yes")]
    pub smart_punctuation: bool,
    /// The browser that renders PDFs (a path or program name); found on PATH when absent.
    #[serde(default)]
    pub pdf_engine: Option<String>,
    /// Front matter keys that group pages (tags, categories), each with its own pages.
    /// Defaults to `tags` and `category`.
    #[serde(default)]
    pub taxonomies: Option<Vec<Taxonomy>>,
    /// A search page and its index (Pagefind): `true`, `false`, or (when absent) on for sites
    /// of up to [`SEARCH_AUTO_LIMIT`] pages. Indexing costs about 3 s and 400 MB per 1,000
    /// pages, so very large sites ask for it explicitly.
    #[serde(default)]
    pub search: Option<bool>,
    /// Responsive sizes and WebP copies of images in page folders and `static/`.
    #[serde(default)]
    pub images: ImageSettings,
    /// The picture a shared link shows when its page has none of its own: a file in
    /// `static/` (`img/delen.png`), ideally 1200 by 630 pixels.
    #[serde(default)]
    pub share_image: Option<String>,
    /// Free-form values for templates: `config.extra.*`.
    #[serde(default, deserialize_with = "crate::yaml::text_keyed_mapping")]
    pub extra: serde_yaml::Mapping,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Taxonomy {
    /// The front matter key (`tags`, `category`).
    pub key: String,
    /// URL folder of its pages (`onderwerpen`).
    pub path: String,
    /// Title of its overview page (`Onderwerpen`).
    pub title: String,
    /// An Atom feed per term.
    #[serde(default)]
    pub feed: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageSettings {
    /// Widths in pixels to offer browsers; images are never made wider than they are.
    #[serde(default = "default_widths")]
    pub widths: Vec<u32>,
    /// A WebP copy of every size beside the JPEG or PNG (kept only where it is smaller).
    #[serde(default = "yes")]
    pub webp: bool,
    /// JPEG and lossy WebP quality, 1 to 100.
    #[serde(default = "default_quality")]
    pub quality: u8,
}

impl Default for ImageSettings {
    fn default() -> Self {
        ImageSettings {
            widths: default_widths(),
            webp: true,
            quality: default_quality(),
        }
    }
}

fn default_widths() -> Vec<u32> {
    vec![480, 800, 1200]
}
fn default_quality() -> u8 {
    80
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub logo: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    pub title: String,
    /// A site path (`/nieuws/`) or an absolute URL (`https://...`).
    pub url: String,
}

fn default_base_url() -> String {
    "/".to_string()
}
fn default_language() -> String {
    "nl".to_string()
}
fn default_theme() -> String {
    "default".to_string()
}
fn yes() -> bool {
    true
}

/// A file named in `site.yaml` that must be in `static/` (the share image, the logo): its
/// path from there, or an error at the key when there is no such file.
fn static_file(
    site_dir: &Path,
    text: &str,
    rel: &Path,
    key: &str,
    value: &str,
    example: &str,
) -> Result<String, Diagnostic> {
    let image = value.trim().trim_start_matches('/').to_string();
    let inside = Path::new(&image)
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)));
    if image.is_empty() || !inside || !site_dir.join("static").join(&image).is_file() {
        // Also nested keys (`organisation:` / `  logo:`), at their indentation.
        let (l, c) = text
            .lines()
            .enumerate()
            .find_map(|(i, line)| {
                let rest = line.trim_start().strip_prefix(key)?;
                let indent = line.len() - line.trim_start().len();
                rest.trim_start()
                    .starts_with(':')
                    .then_some((i + 1, indent + 1))
            })
            .unwrap_or((0, 0));
        return Err(Diagnostic::new(
            rel,
            l,
            c,
            format!("`{key}`: there is no file `static/{image}`"),
        )
        .with_hint(format!(
            "put the picture in the static/ folder and name it from there: `{key}: {example}`"
        )));
    }
    Ok(image)
}

impl SiteConfig {
    /// Reads `site.yaml` from `site_dir`.
    pub fn load(site_dir: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
        let path = site_dir.join(CONFIG_FILE);
        let rel = PathBuf::from(CONFIG_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::file(&rel, format!("cannot read the site configuration: {e}")).with_hint(
                format!(
                    "run bundel in a site folder (one with {CONFIG_FILE}) or pass the folder: `bundel build path/to/site`"
                ),
            )
        }).map_err(|e| vec![e])?;
        let mut config = Self::parse(&text, &rel)?;
        if let Some(image) = &config.share_image {
            let image = static_file(site_dir, &text, &rel, "share_image", image, "img/delen.png")
                .map_err(|e| vec![e])?;
            config.share_image = Some(image);
        }
        if !config.organisation.logo.trim().is_empty() {
            config.organisation.logo = static_file(
                site_dir,
                &text,
                &rel,
                "logo",
                &config.organisation.logo,
                "img/logo.svg",
            )
            .map_err(|e| vec![e])?;
        }
        Ok(config)
    }

    /// Reads `site.yaml`, reporting every wrong key at once, not just the first.
    pub fn parse(text: &str, file: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
        let mut config: SiteConfig = match serde_yaml::from_str(text) {
            Ok(c) => c,
            Err(first) => {
                let mut errors = key_by_key_errors(text, file);
                if errors.is_empty() {
                    errors.push(yaml_error(file, &first, 0));
                }
                return Err(errors);
            }
        };
        let errors = config.validate(text, file);
        if !errors.is_empty() {
            return Err(errors);
        }
        // Templates join it with paths (`config.base_url ~ "img/x.png"`).
        config.base_url = config.base_url();
        Ok(config)
    }

    fn validate(&self, text: &str, file: &Path) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        let at = |key: &str| key_position(text, key).unwrap_or((0, 0));
        if Lang::from_code(&self.language).is_none() {
            let (l, c) = at("language");
            errors.push(
                Diagnostic::new(
                    file,
                    l,
                    c,
                    format!("unsupported language `{}`", self.language),
                )
                .with_hint("use `nl` (Dutch, the default) or `en`"),
            );
        }
        if self.title.trim().is_empty() {
            let (l, c) = at("title");
            errors.push(
                Diagnostic::new(file, l, c, "the site title is empty")
                    .with_hint("give the site a name: `title: RMC-regio Achterhoek`"),
            );
        }
        let odd = self
            .base_url
            .chars()
            .find(|c| c.is_whitespace() || c.is_control() || "<>\"'`{}|\\^".contains(*c));
        if let Some(c) = odd {
            let (l, c2) = at("base_url");
            errors.push(
                Diagnostic::new(
                    file,
                    l,
                    c2,
                    format!("`base_url` contains `{}`, which cannot be part of a web address", c.escape_default()),
                )
                .with_hint("write the address as the browser shows it, for example `base_url: https://www.example.org/rmc-achterhoek/` (a space is written `%20`)"),
            );
        } else if !(self.base_url.starts_with("http://")
            || self.base_url.starts_with("https://")
            || self.base_url.starts_with('/'))
        {
            let (l, c) = at("base_url");
            errors.push(
                Diagnostic::new(
                    file,
                    l,
                    c,
                    format!(
                        "`base_url` must be an absolute URL, got `{}`",
                        self.base_url
                    ),
                )
                .with_hint("for example `base_url: https://www.example.org/rmc-achterhoek/`"),
            );
        }
        let images = &self.images;
        if images.widths.is_empty() || images.widths.iter().any(|w| !(16..=8192).contains(w)) {
            let (l, c) = at("images");
            errors.push(
                Diagnostic::new(
                    file,
                    l,
                    c,
                    "`images.widths` must list widths between 16 and 8192 pixels",
                )
                .with_hint("for example `widths: [480, 800, 1200]`"),
            );
        }
        if !(1..=100).contains(&images.quality) {
            let (l, c) = at("images");
            errors.push(
                Diagnostic::new(
                    file,
                    l,
                    c,
                    format!("`images.quality` must be 1 to 100, got {}", images.quality),
                )
                .with_hint("80 keeps photos sharp at a small size"),
            );
        }
        errors
    }

    /// The taxonomies of the site: as configured, or tags and categories.
    pub fn taxonomies(&self) -> Vec<Taxonomy> {
        if let Some(t) = &self.taxonomies {
            return t.clone();
        }
        let (tags, tags_title, cat, cat_title) = match self.lang() {
            Lang::Nl => ("onderwerpen", "Onderwerpen", "categorie", "Categorieën"),
            Lang::En => ("topics", "Topics", "category", "Categories"),
        };
        vec![
            Taxonomy {
                key: "tags".into(),
                path: tags.into(),
                title: tags_title.into(),
                feed: false,
            },
            Taxonomy {
                key: "category".into(),
                path: cat.into(),
                title: cat_title.into(),
                feed: true,
            },
        ]
    }

    /// Whether to build search for a site of `pages` pages.
    pub fn search_enabled(&self, pages: usize) -> bool {
        self.search.unwrap_or(pages <= SEARCH_AUTO_LIMIT)
    }

    pub fn lang(&self) -> Lang {
        Lang::from_code(&self.language).unwrap_or_default()
    }

    /// `base_url` with exactly one trailing slash.
    pub fn base_url(&self) -> String {
        format!("{}/", self.base_url.trim_end_matches('/'))
    }

    /// The path part of `base_url` (`/rmc-achterhoek/`), for pages that cannot use relative
    /// links because they are served at any address (the 404 page).
    pub fn base_path(&self) -> String {
        let url = self.base_url();
        let after_scheme = url.split_once("://").map(|(_, r)| r).unwrap_or(&url);
        match after_scheme.find('/') {
            Some(i) if url.contains("://") => after_scheme[i..].to_string(),
            _ if url.starts_with('/') => url,
            _ => "/".to_string(),
        }
    }
}

/// serde stops at the first wrong key. To name all of them, each top-level key (with the
/// lines below it) is read on its own, with a placeholder title after it.
/// Empty when the text is not a plain mapping of keys at the start of lines.
fn key_by_key_errors(text: &str, file: &Path) -> Vec<Diagnostic> {
    let lines: Vec<&str> = text.lines().collect();
    let starts: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| {
            let first = l.chars().next();
            first.is_some_and(|c| !c.is_whitespace() && c != '#' && c != '-') && l.contains(':')
        })
        .map(|(i, _)| i)
        .collect();
    let mut errors = Vec::new();
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(lines.len());
        let chunk = lines[start..end].join("\n");
        let is_title = chunk.starts_with("title:") || chunk.starts_with("title :");
        let doc = if is_title {
            chunk
        } else {
            format!("{chunk}\ntitle: x")
        };
        if let Err(e) = serde_yaml::from_str::<SiteConfig>(&doc) {
            let d = yaml_error(file, &e, start);
            errors.push(d);
        }
    }
    errors
}

/// Converts a serde_yaml error into a diagnostic; `line_offset` is added to the line for YAML
/// embedded in a larger file (front matter, fenced blocks).
pub fn yaml_error(file: &Path, e: &serde_yaml::Error, line_offset: usize) -> Diagnostic {
    let (line, col) = e
        .location()
        .map(|l| (l.line() + line_offset, l.column()))
        .unwrap_or((line_offset.max(1), 0));
    let msg = e.to_string();
    // serde_yaml appends " at line X column Y"; we report the location ourselves.
    let msg = match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    };
    // serde_yaml's words for a whole number it cannot hold ("invalid type: integer `1e30` as
    // u128, expected any YAML value") mean nothing to a reader.
    if let Some(i) = msg
        .find("invalid type: integer ")
        .filter(|_| msg.contains(" as u128"))
    {
        let number = msg[i..].split('`').nth(1).unwrap_or("");
        let key = msg[..i].trim_end_matches(": ");
        let place = if key.is_empty() {
            String::new()
        } else {
            format!("{key}: ")
        };
        return Diagnostic::new(
            file,
            line,
            col,
            format!("{place}the number `{number}` has too many digits to be used as a number"),
        )
        .with_hint(format!(
            "a code or label that only looks like a number goes in quotes: `\"{number}\"`"
        ));
    }
    Diagnostic::new(file, line, col, format!("invalid YAML: {msg}")).with_hint(yaml_hint(&msg))
}

fn yaml_hint(msg: &str) -> String {
    if msg.contains("unknown field") {
        "check the spelling of the key; the message lists the keys that are allowed".to_string()
    } else if msg.contains("a key ") {
        "every key is a name followed by a colon: `naam: waarde`".to_string()
    } else if msg.contains("mapping values are not allowed") {
        "a value containing `: ` must be quoted, e.g. `title: \"Vsv: de cijfers\"`".to_string()
    } else if msg.contains("did not find expected") || msg.contains("found character") {
        "check indentation and quotes; values with special characters need quotes".to_string()
    } else {
        "check the YAML syntax: `key: value`, lists as `- item` or `[a, b]`".to_string()
    }
}

/// Line and column (1-based) of a top-level `key:` in YAML text.
pub fn key_position(text: &str, key: &str) -> Option<(usize, usize)> {
    text.lines().enumerate().find_map(|(i, line)| {
        let rest = line.strip_prefix(key)?;
        rest.trim_start().starts_with(':').then_some((i + 1, 1))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_paths() {
        let c = SiteConfig::parse(
            "title: T\nbase_url: https://example.org/rmc-achterhoek\n",
            Path::new("site.yaml"),
        )
        .unwrap();
        assert_eq!(c.language, "nl");
        assert_eq!(c.theme, "default");
        assert_eq!(c.base_url(), "https://example.org/rmc-achterhoek/");
        assert_eq!(c.base_path(), "/rmc-achterhoek/");
        let c = SiteConfig::parse("title: T\n", Path::new("site.yaml")).unwrap();
        assert_eq!(c.base_path(), "/");
        assert!(c.search_enabled(100) && !c.search_enabled(10_000));
        assert!(c.images.webp);
        assert_eq!(c.images.widths, [480, 800, 1200]);
    }

    #[test]
    fn errors_point_at_the_key() {
        let e =
            &SiteConfig::parse("title: T\nlanguage: fr\n", Path::new("site.yaml")).unwrap_err()[0];
        assert_eq!((e.line, e.col), (2, 1));
        assert!(e.message.contains("fr"));
        let e = &SiteConfig::parse("title: T\ntitel: x\n", Path::new("site.yaml")).unwrap_err()[0];
        assert_eq!(e.line, 2);
        assert!(e.message.contains("titel"), "{}", e.message);
        let e = &SiteConfig::parse("title: T\nimages:\n  quality: 0\n", Path::new("site.yaml"))
            .unwrap_err()[0];
        assert_eq!(e.line, 2);
        // Every wrong key at once, each at its own line.
        let all = SiteConfig::parse(
            "titel: T\nbase_url: https://x.nl/\nsmart_punctuation: misschien\nmenu: 5\nimages:\n  webp: soms\n",
            Path::new("site.yaml"),
        )
        .unwrap_err();
        let lines: Vec<usize> = all.iter().map(|d| d.line).collect();
        assert_eq!(lines, [1, 3, 4, 6], "{all:?}");
        let all = SiteConfig::parse(
            "title: T\nbase_url: https://x.nl/ regio\nimages:\n  quality: 0\n",
            Path::new("site.yaml"),
        )
        .unwrap_err();
        assert_eq!(all.len(), 2, "{all:?}");
        assert!(
            all[0].message.contains("cannot be part of a web address"),
            "{all:?}"
        );
        let c = SiteConfig::parse(
            "title: T\nsearch: false\nimages: {webp: false}\n",
            Path::new("site.yaml"),
        )
        .unwrap();
        assert!(!c.search_enabled(1) && !c.images.webp);
    }
}
