//! Turning a batch of changed files into a new in-memory site, as cheaply as is safe.
//!
//! Most saves while writing change only the body of one Markdown file. Listings, menus and
//! neighbour links are made from front matter, so such an edit changes that page's own HTML
//! and nothing else that the fast path needs to show: the file is re-read, its body patched
//! into the content kept from the last full build, and only that page is rendered
//! ([`site::render_in_memory`] with `only`). Everything else (front matter, templates, data,
//! new or deleted files) takes a full build. Because the theme may one day use a page's body
//! elsewhere (a report's one-page view, a feed), a fast update is always followed by a full
//! "verify" build once the author pauses, which corrects any other page that changed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::content::{self, frontmatter, Content, PageId};
use crate::diagnostic::Diagnostics;
use crate::site;

/// Output path (`nieuws/a/index.html`) -> bytes, shared cheaply between builds and requests.
pub type Files = BTreeMap<String, Arc<Vec<u8>>>;

/// What the browser should reload after a build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reload {
    Nothing,
    /// URL paths of changed pages (`/nieuws/a/`).
    Pages(Vec<String>),
    All,
}

#[derive(Debug)]
pub struct Outcome {
    pub fast: bool,
    pub elapsed: Duration,
    /// Pages rendered by this build (the whole site for a full build).
    pub rendered: usize,
    pub result: Result<Reload, Diagnostics>,
}

pub struct Builder {
    site_dir: PathBuf,
    /// Content of the last good full build; `None` after a failed one (no fast path then).
    content: Option<Content>,
    files: Arc<Files>,
    /// The last full build failed, so the next good one must clear the overlay everywhere.
    failed: bool,
}

impl Builder {
    pub fn new(site_dir: &Path) -> Builder {
        Builder {
            site_dir: site_dir.to_path_buf(),
            content: None,
            files: Arc::new(Files::new()),
            failed: false,
        }
    }

    /// The last good site (empty before the first good build).
    pub fn files(&self) -> Arc<Files> {
        Arc::clone(&self.files)
    }

    /// Rebuilds after `changed` (paths relative to the site folder), on the fast path when
    /// every change is a body-only edit of an existing page.
    pub fn rebuild(&mut self, changed: &BTreeSet<PathBuf>) -> Outcome {
        if let Some(patch) = self.body_only_edits(changed) {
            if let Some(outcome) = self.fast(patch) {
                return outcome;
            }
        }
        self.full()
    }

    /// A full build from scratch.
    pub fn full(&mut self) -> Outcome {
        let start = Instant::now();
        // Content is loaded here rather than inside the build so it can be kept for the fast
        // path; a failed load goes through the normal build to collect every other problem too.
        let built = match content::load(&self.site_dir) {
            Ok(content) => {
                let kept = clone_content(&content);
                site::render_in_memory(&self.site_dir, content, None).map(|r| (r, Some(kept)))
            }
            Err(_) => site::build_in_memory(&self.site_dir).map(|r| (r, None)),
        };
        match built {
            Ok(((report, files), content)) => {
                let new: Files = files.into_iter().map(|(k, v)| (k, Arc::new(v))).collect();
                let mut reload = diff(&self.files, &new);
                if self.failed {
                    reload = Reload::All;
                }
                self.files = Arc::new(new);
                self.content = content;
                self.failed = false;
                Outcome {
                    fast: false,
                    elapsed: start.elapsed(),
                    rendered: report.pages,
                    result: Ok(reload),
                }
            }
            Err(errors) => {
                self.content = None;
                self.failed = true;
                Outcome {
                    fast: false,
                    elapsed: start.elapsed(),
                    rendered: 0,
                    result: Err(errors),
                }
            }
        }
    }

    /// For each changed file: the page it is, with its new body, when only the body changed.
    fn body_only_edits(&self, changed: &BTreeSet<PathBuf>) -> Option<Vec<(PageId, String, usize)>> {
        let content = self.content.as_ref()?;
        if changed.is_empty() {
            return None;
        }
        let mut patch = Vec::new();
        for rel in changed {
            if is_vanished_temporary(content, &self.site_dir, rel) {
                continue;
            }
            if !rel.starts_with(content::CONTENT_DIR) || rel.extension()? != "md" {
                return None;
            }
            let page = content.by_source(rel)?;
            let text = std::fs::read_to_string(self.site_dir.join(rel)).ok()?;
            let parsed = frontmatter::parse(&text, rel).ok()?;
            if parsed.front.source != page.front.source {
                return None;
            }
            patch.push((page.id, parsed.body, parsed.body_line));
        }
        (!patch.is_empty()).then_some(patch)
    }

    /// Renders only the patched pages; `None` when that fails (the full build then reports).
    fn fast(&mut self, patch: Vec<(PageId, String, usize)>) -> Option<Outcome> {
        let start = Instant::now();
        let content = self.content.as_mut()?;
        let mut only = BTreeSet::new();
        for (id, body, body_line) in patch {
            content.pages[id].body = body;
            content.pages[id].body_line = body_line;
            only.insert(id);
        }
        let copy = clone_content(content);
        let Ok((_, files)) = site::render_in_memory(&self.site_dir, copy, Some(&only)) else {
            return None;
        };
        let mut new = (*self.files).clone();
        let mut changed = Vec::new();
        for (k, v) in files {
            if self.files.get(&k).is_none_or(|old| **old != v) {
                changed.push(url_of(&k));
            }
            new.insert(k, Arc::new(v));
        }
        self.files = Arc::new(new);
        Some(Outcome {
            fast: true,
            elapsed: start.elapsed(),
            rendered: only.len(),
            result: Ok(if changed.is_empty() {
                Reload::Nothing
            } else {
                Reload::Pages(changed)
            }),
        })
    }
}

/// Many editors (and `sed -i`) save by writing a temporary file beside the real one and
/// renaming it; the temporary file's events are no reason for a full build.
fn is_vanished_temporary(content: &Content, site_dir: &Path, rel: &Path) -> bool {
    !site_dir.join(rel).exists()
        && !content
            .pages
            .iter()
            .any(|p| p.source == rel || p.assets.iter().any(|a| a == rel))
}

/// The changed paths worth naming to the user: those that still exist, unless none do.
pub fn shown_changes(site_dir: &Path, changed: &BTreeSet<PathBuf>) -> Vec<PathBuf> {
    let existing: Vec<PathBuf> = changed
        .iter()
        .filter(|p| site_dir.join(p).exists())
        .cloned()
        .collect();
    if existing.is_empty() {
        changed.iter().cloned().collect()
    } else {
        existing
    }
}

fn clone_content(c: &Content) -> Content {
    Content {
        pages: c.pages.clone(),
        sections: c.sections.clone(),
    }
}

/// Which pages differ between two builds. A change to anything but a page (a stylesheet, an
/// image, the 404 page) may show on every page, so it reloads them all.
pub fn diff(old: &Files, new: &Files) -> Reload {
    let mut pages = Vec::new();
    let removed = old.keys().any(|k| !new.contains_key(k));
    for (k, v) in new {
        if old.get(k).is_some_and(|o| o == v) {
            continue;
        }
        if !k.ends_with("index.html") {
            return Reload::All;
        }
        pages.push(url_of(k));
    }
    if removed {
        return Reload::All;
    }
    if pages.is_empty() {
        Reload::Nothing
    } else {
        Reload::Pages(pages)
    }
}

/// `nieuws/a/index.html` -> `/nieuws/a/`.
pub fn url_of(key: &str) -> String {
    format!("/{}", key.strip_suffix("index.html").unwrap_or(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(entries: &[(&str, &str)]) -> Files {
        entries
            .iter()
            .map(|(k, v)| (k.to_string(), Arc::new(v.as_bytes().to_vec())))
            .collect()
    }

    #[test]
    fn diff_names_changed_pages_and_reloads_all_for_other_files() {
        let old = files(&[("index.html", "a"), ("x/index.html", "b"), ("c.css", "c")]);
        assert_eq!(diff(&old, &old), Reload::Nothing);
        let new = files(&[("index.html", "a"), ("x/index.html", "B"), ("c.css", "c")]);
        assert_eq!(diff(&old, &new), Reload::Pages(vec!["/x/".into()]));
        let new = files(&[("index.html", "a"), ("x/index.html", "b"), ("c.css", "C")]);
        assert_eq!(diff(&old, &new), Reload::All);
        let new = files(&[("index.html", "a"), ("c.css", "c")]);
        assert_eq!(diff(&old, &new), Reload::All);
    }
}
