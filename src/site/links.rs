//! URLs inside the site.
//!
//! Every internal URL is first written as [`ROOT`] followed by a site path (`nieuws/a/`).
//! When a page is written, the marker becomes the relative way back to the site root
//! (`../../`), so the site works from a domain root, from a subfolder and from disk. Pages
//! that can be shown at any address (the 404 page) and documents that leave the site (feeds,
//! PDFs) replace it with the base path or the absolute base URL instead.

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

use crate::content::Content;

/// Marks "the site root" in generated HTML until the page's location is known.
pub const ROOT: &str = "\u{E000}";

/// `../` repeated for the depth of `path` (`nieuws/a/` -> `../../`), `./` at the root.
pub fn root_for(path: &str) -> String {
    let depth = path.split('/').filter(|s| !s.is_empty()).count();
    if depth == 0 {
        "./".to_string()
    } else {
        "../".repeat(depth)
    }
}

/// [`ROOT`] as it appears after percent-encoding (Markdown link destinations get encoded).
const ROOT_ENCODED: &str = "%EE%80%80";

/// Replaces every [`ROOT`] marker by `root`.
pub fn relativize(html: &str, root: &str) -> String {
    let out = html.replace(ROOT, root);
    if out.contains(ROOT_ENCODED) {
        out.replace(ROOT_ENCODED, root)
    } else {
        out
    }
}

/// Where every source file ends up, for rewriting links written by authors.
pub struct LinkIndex {
    /// Source file (`content/nieuws/a.md`) or section folder -> site path (`nieuws/a/`).
    pages: BTreeMap<PathBuf, String>,
    /// Asset file (`content/portretten/x/foto.jpg`) -> site path of the copy.
    assets: BTreeMap<PathBuf, String>,
}

impl LinkIndex {
    pub fn new(content: &Content) -> LinkIndex {
        let mut pages = BTreeMap::new();
        let mut assets = BTreeMap::new();
        for page in &content.pages {
            pages.insert(page.source.clone(), page.path.clone());
            if page.source.ends_with("_index.md") || page.source.ends_with("index.md") {
                // Linking to the folder means linking to its page.
                if let Some(dir) = page.source.parent() {
                    pages
                        .entry(dir.to_path_buf())
                        .or_insert_with(|| page.path.clone());
                }
            }
            for asset in &page.assets {
                assets.insert(asset.clone(), asset_path(page, asset));
            }
        }
        LinkIndex { pages, assets }
    }

    /// The site path of a page by its source file.
    pub fn page_path(&self, source: &Path) -> Option<&str> {
        self.pages.get(source).map(String::as_str)
    }

    /// Rewrites a link written in `from_dir` (a folder relative to the site root).
    pub fn resolve(&self, dest: &str, from_dir: &Path) -> Result<String, String> {
        let dest = dest.trim();
        if dest.is_empty() || dest.starts_with('#') || has_scheme(dest) || dest.starts_with("//") {
            return Ok(dest.to_string());
        }
        let (path_part, suffix) = match dest.find(['#', '?']) {
            Some(i) => (&dest[..i], &dest[i..]),
            None => (dest, ""),
        };
        let decoded = percent_decode(path_part);
        if let Some(site_path) = decoded.strip_prefix('/') {
            return Ok(format!("{ROOT}{}{suffix}", encode_path(site_path)));
        }
        let Some(target) = normalize(&from_dir.join(&decoded)) else {
            return Err(format!("the link `{dest}` points outside the site folder"));
        };
        if let Some(path) = self.pages.get(&target) {
            return Ok(format!("{ROOT}{}{suffix}", encode_path(path)));
        }
        if let Some(path) = self.assets.get(&target) {
            return Ok(format!("{ROOT}{}{suffix}", encode_path(path)));
        }
        if target.extension().is_some_and(|e| e == "md") {
            return Err(format!(
                "the link `{dest}` points to `{}`, which does not exist (or is a draft)",
                target.display()
            ));
        }
        Ok(dest.to_string())
    }
}

/// Site path of a page's asset: the page's folder plus the asset's place beside the source.
pub fn asset_path(page: &crate::content::Page, asset: &Path) -> String {
    let rel = asset.strip_prefix(page.source_dir()).unwrap_or(asset);
    let rel: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect();
    format!("{}{}", page.path, rel.join("/"))
}

fn has_scheme(s: &str) -> bool {
    match s.find(':') {
        Some(i) => {
            let scheme = &s[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.')
                && !s[..i].contains('/')
        }
        None => false,
    }
}

/// Resolves `.` and `..` without touching the disk; `None` when the path climbs out.
fn normalize(p: &Path) -> Option<PathBuf> {
    let mut out: Vec<&std::ffi::OsStr> = Vec::new();
    for c in p.components() {
        match c {
            Component::Normal(s) => out.push(s),
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop()?;
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    // A link must stay inside content/ (or the site root for static files).
    Some(out.iter().collect())
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// Percent-encodes what may not stand in an href path (spaces and the like).
fn encode_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for ch in p.chars() {
        match ch {
            ' ' => out.push_str("%20"),
            '"' => out.push_str("%22"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            _ => out.push(ch),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roots_and_relativizing() {
        assert_eq!(root_for(""), "./");
        assert_eq!(root_for("nieuws/a/"), "../../");
        assert_eq!(
            relativize(&format!("<a href=\"{ROOT}nieuws/\">"), "../"),
            "<a href=\"../nieuws/\">"
        );
    }

    #[test]
    fn schemes() {
        assert!(has_scheme("https://x"));
        assert!(has_scheme("mailto:a@b"));
        assert!(!has_scheme("../a.md"));
        assert!(!has_scheme("a/b:c"));
    }

    #[test]
    fn normalize_refuses_escapes() {
        assert_eq!(
            normalize(Path::new("content/a/../b.md")),
            Some(PathBuf::from("content/b.md"))
        );
        assert_eq!(normalize(Path::new("content/../../etc/passwd")), None);
    }
}
