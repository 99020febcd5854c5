//! URLs inside the site.
//!
//! Every internal URL is first written as [`ROOT`] followed by a site path (`nieuws/a/`).
//! When a page is written, the marker becomes the relative way back to the site root
//! (`../../`), so the site works from a domain root, from a subfolder and from disk. Pages
//! that can be shown at any address (the 404 page) and documents that leave the site (feeds,
//! PDFs) replace it with the base path or the absolute base URL instead.

use crate::url::percent_decode;
use crate::url::slash;
use std::collections::HashMap;
use std::path::Path;

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

/// Replaces every [`ROOT`] marker (plain or percent-encoded) by `root`, in one pass: this
/// runs over every byte of every page.
pub fn relativize(html: &str, root: &str) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len() + 256);
    let mut last = 0;
    for i in memchr::memchr2_iter(0xEE, b'%', bytes) {
        if i < last {
            continue;
        }
        let rest = &html[i..];
        let len = if rest.starts_with(ROOT) {
            ROOT.len()
        } else if rest.starts_with(ROOT_ENCODED) {
            ROOT_ENCODED.len()
        } else {
            continue;
        };
        out.push_str(&html[last..i]);
        out.push_str(root);
        last = i + len;
    }
    out.push_str(&html[last..]);
    out
}

/// Where every source file ends up, for rewriting links written by authors.
pub struct LinkIndex {
    /// Source file (`content/nieuws/a.md`) or section folder -> site path (`nieuws/a/`).
    /// Keys are `/`-separated strings: links are looked up for every link of every page.
    pages: HashMap<String, String>,
    /// Asset file (`content/portretten/x/foto.jpg`) -> site path of the copy.
    assets: HashMap<String, String>,
}

impl LinkIndex {
    pub fn new(content: &Content) -> LinkIndex {
        let mut pages = HashMap::new();
        let mut assets = HashMap::new();
        for page in &content.pages {
            pages.insert(slash(&page.source), page.path.clone());
            if page.source.ends_with("_index.md") || page.source.ends_with("index.md") {
                // Linking to the folder means linking to its page.
                if let Some(dir) = page.source.parent() {
                    pages.entry(slash(dir)).or_insert_with(|| page.path.clone());
                }
            }
            for asset in &page.assets {
                assets.insert(slash(asset), asset_path(page, asset));
            }
        }
        LinkIndex { pages, assets }
    }

    /// The site path of a page by its source file.
    pub fn page_path(&self, source: &Path) -> Option<&str> {
        self.pages.get(&slash(source)).map(String::as_str)
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
        let joined = format!("{}/{decoded}", slash(from_dir));
        let Some(target) = normalize(&joined) else {
            return Err(format!("the link `{dest}` points outside the site folder"));
        };
        if let Some(path) = self.pages.get(&target) {
            return Ok(format!("{ROOT}{}{suffix}", encode_path(path)));
        }
        if let Some(path) = self.assets.get(&target) {
            return Ok(format!("{ROOT}{}{suffix}", encode_path(path)));
        }
        if target.ends_with(".md") {
            return Err(format!(
                "the link `{dest}` points to `{target}`, which does not exist (or is a draft)"
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

/// Whether a link target starts with a URL scheme (`https:`, `mailto:`).
pub fn has_scheme(s: &str) -> bool {
    match s.find(':') {
        Some(i) => {
            let scheme = &s[..i];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.')
        }
        None => false,
    }
}

/// Resolves `.` and `..` in a `/`-separated path without touching the disk; `None` when
/// the path climbs out of the site folder.
fn normalize(p: &str) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                out.pop()?;
            }
            other => out.push(other),
        }
    }
    if p.starts_with('/') {
        return None;
    }
    Some(out.join("/"))
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
            normalize("content/a/../b.md").as_deref(),
            Some("content/b.md")
        );
        assert_eq!(normalize("content/../../etc/passwd"), None);
    }
}
