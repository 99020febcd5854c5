//! Turning a batch of changed files into a new in-memory site, as cheaply as is safe.
//!
//! Most saves change one Markdown file, and the author looks at that page. So an edit to
//! existing pages takes a fast path first: each file is re-read and patched into the content
//! kept from the last full build, and only those pages are rendered
//! ([`site::render_in_memory`] with `only`) and swapped into the served site. Everything else
//! (templates, data, new, deleted or renamed pages, drafts) takes a full build.
//!
//! A body edit changes that page's own HTML; listings, menus and neighbour links are made
//! from front matter. A front matter edit (a new title or summary) also changes the pages
//! that list this one. Either way a full "verify" build follows the fast update and corrects
//! every other page that changed: at once after a front matter edit, and after a pause in
//! the editing after a body edit (the theme might one day show a body elsewhere, in a
//! report's one-page view or a feed).

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
    /// A fast update that other pages depend on: run the full build right away.
    pub verify_now: bool,
    pub elapsed: Duration,
    /// Pages rendered: the whole site for a full build; for a fast one, the edited pages and
    /// those sharing a document with them (a report's chapters and one-page view).
    pub rendered: usize,
    pub result: Result<Reload, Diagnostics>,
}

struct Edit {
    id: PageId,
    parsed: frontmatter::Parsed,
    front_changed: bool,
}

pub struct Builder {
    site_dir: PathBuf,
    drafts: bool,
    /// Content of the last good full build; `None` after a failed one (no fast path then).
    content: Option<Content>,
    files: Arc<Files>,
    /// The last full build failed, so the next good one must clear the overlay everywhere.
    failed: bool,
}

impl Builder {
    /// `drafts`: show pages marked `draft: true` too.
    pub fn new(site_dir: &Path, drafts: bool) -> Builder {
        Builder {
            site_dir: site_dir.to_path_buf(),
            drafts,
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
    /// every change is an edit of an existing page.
    pub fn rebuild(&mut self, changed: &BTreeSet<PathBuf>) -> Outcome {
        if let Some(edits) = self.page_edits(changed) {
            if let Some(outcome) = self.fast(edits) {
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
        let built = match content::load_with_drafts(&self.site_dir, self.drafts) {
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
                    verify_now: false,
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
                    verify_now: false,
                    elapsed: start.elapsed(),
                    rendered: 0,
                    result: Err(errors),
                }
            }
        }
    }

    /// For each changed file: the page it is, re-read, when the fast path can render it.
    fn page_edits(&self, changed: &BTreeSet<PathBuf>) -> Option<Vec<Edit>> {
        let content = self.content.as_ref()?;
        let mut edits = Vec::new();
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
            let front_changed = parsed.front.source != page.front.source;
            // A new slug moves the page and a draft leaves the site: the full build handles those.
            let leaves = parsed.front.draft && !self.drafts;
            if front_changed && (parsed.front.slug != page.front.slug || leaves) {
                return None;
            }
            edits.push(Edit {
                id: page.id,
                parsed,
                front_changed,
            });
        }
        (!edits.is_empty()).then_some(edits)
    }

    /// Renders only the edited pages; `None` when that fails (the full build then reports).
    fn fast(&mut self, edits: Vec<Edit>) -> Option<Outcome> {
        let start = Instant::now();
        let content = self.content.as_mut()?;
        let mut only = BTreeSet::new();
        let mut verify_now = false;
        for edit in edits {
            let page = &mut content.pages[edit.id];
            page.body = edit.parsed.body;
            page.body_line = edit.parsed.body_line;
            if edit.front_changed {
                page.front = edit.parsed.front;
                verify_now = true;
            }
            only.insert(edit.id);
        }
        let copy = clone_content(content);
        let Ok((_, files)) = site::render_in_memory(&self.site_dir, copy, Some(&only)) else {
            return None;
        };
        let rendered = files.len();
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
            verify_now,
            elapsed: start.elapsed(),
            rendered,
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

/// Which pages differ between two builds. A stylesheet, script, image or font may show on
/// every page, so a change to one reloads them all; feeds, the sitemap and downloads show on
/// none, so they reload nothing.
pub fn diff(old: &Files, new: &Files) -> Reload {
    let mut pages = Vec::new();
    let changed = new
        .iter()
        .filter(|(k, v)| old.get(*k) != Some(*v))
        .map(|(k, _)| k);
    let removed = old.keys().filter(|k| !new.contains_key(*k));
    for key in changed.chain(removed) {
        if key.ends_with("index.html") {
            pages.push(url_of(key));
        } else if embedded_in_pages(key) {
            return Reload::All;
        }
    }
    if pages.is_empty() {
        Reload::Nothing
    } else {
        pages.sort();
        pages.dedup();
        Reload::Pages(pages)
    }
}

fn embedded_in_pages(key: &str) -> bool {
    let ext = key.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(
        ext.as_deref(),
        Some(
            "html"
                | "css"
                | "js"
                | "mjs"
                | "png"
                | "jpg"
                | "jpeg"
                | "gif"
                | "svg"
                | "webp"
                | "avif"
                | "ico"
                | "woff"
                | "woff2"
                | "ttf"
                | "otf"
        )
    )
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

    fn write(dir: &Path, rel: &str, text: &str) {
        let p = dir.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn changed(rel: &str) -> BTreeSet<PathBuf> {
        BTreeSet::from([PathBuf::from(rel)])
    }

    #[test]
    fn edits_of_existing_pages_take_the_fast_path_and_the_rest_a_full_build() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        write(
            dir,
            "site.yaml",
            "title: T\nbase_url: https://example.org/\n",
        );
        write(dir, "content/_index.md", "---\ntitle: Home\n---\n");
        write(dir, "content/a.md", "---\ntitle: A\n---\nEen.\n");
        write(dir, "content/b.md", "---\ntitle: B\n---\nTwee.\n");
        let mut b = Builder::new(dir, false);
        assert!(b.full().result.is_ok());

        write(
            dir,
            "content/a.md",
            "---\ntitle: A\n---\nEen en een half.\n",
        );
        let o = b.rebuild(&changed("content/a.md"));
        assert!(o.fast && !o.verify_now, "{o:?}");
        assert_eq!(o.result.unwrap(), Reload::Pages(vec!["/a/".into()]));
        let html = String::from_utf8(b.files()["a/index.html"].to_vec()).unwrap();
        assert!(html.contains("Een en een half."));

        // A temporary file that came and went beside it changes nothing.
        let mut burst = changed("content/a.md");
        burst.insert(PathBuf::from("content/.a.md.tmp123"));
        assert!(b.rebuild(&burst).fast);

        write(dir, "content/a.md", "---\ntitle: Nieuwe titel\n---\nEen.\n");
        let o = b.rebuild(&changed("content/a.md"));
        assert!(
            o.fast && o.verify_now,
            "a new title also changes listings: {o:?}"
        );

        write(
            dir,
            "content/a.md",
            "---\ntitle: A\nslug: elders\n---\nEen.\n",
        );
        assert!(!b.rebuild(&changed("content/a.md")).fast, "a new address");
        assert!(b.files().contains_key("elders/index.html"));
        assert!(!b.files().contains_key("a/index.html"));

        write(dir, "content/c.md", "---\ntitle: C\n---\n");
        assert!(!b.rebuild(&changed("content/c.md")).fast, "a new page");

        write(dir, "content/b.md", "---\ntitle: \"B\n---\n");
        let o = b.rebuild(&changed("content/b.md"));
        assert!(
            !o.fast && o.result.is_err(),
            "errors come from the full build"
        );
        assert!(
            b.files().contains_key("b/index.html"),
            "the last good site stays"
        );

        write(dir, "content/b.md", "---\ntitle: B\n---\nTwee.\n");
        let o = b.rebuild(&changed("content/b.md"));
        assert!(!o.fast, "no fast path right after a failed build");
        assert_eq!(
            o.result.unwrap(),
            Reload::All,
            "the overlay must go everywhere"
        );
    }

    #[test]
    fn a_chapter_edit_rerenders_the_whole_report() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        write(
            dir,
            "site.yaml",
            "title: T\nbase_url: https://example.org/\n",
        );
        write(dir, "content/_index.md", "---\ntitle: Home\n---\n");
        write(
            dir,
            "content/r/_index.md",
            "---\ntype: report\ntitle: R\ndate: 2022-01-01\n---\n",
        );
        write(dir, "content/r/01-a.md", "---\ntitle: A\n---\nEen.\n");
        write(
            dir,
            "content/r/02-b.md",
            "---\ntitle: B\n---\nTwee.[^x]\n\n[^x]: Noot.\n",
        );
        let mut b = Builder::new(dir, false);
        assert!(b.full().result.is_ok());
        let before = b.files()["r/b/index.html"].clone();

        // A footnote in chapter 1 renumbers the notes of chapter 2.
        write(
            dir,
            "content/r/01-a.md",
            "---\ntitle: A\n---\nEen.[^y]\n\n[^y]: Eerder.\n",
        );
        let o = b.rebuild(&changed("content/r/01-a.md"));
        assert!(o.fast, "{o:?}");
        let Ok(Reload::Pages(pages)) = o.result else {
            panic!("{o:?}")
        };
        assert!(pages.contains(&"/r/b/".to_string()), "{pages:?}");
        let fast = b.files()["r/b/index.html"].clone();
        assert_ne!(before, fast);
        assert_eq!(
            b.full().result.unwrap(),
            Reload::Nothing,
            "the fast result was complete"
        );
        assert_eq!(fast, b.files()["r/b/index.html"]);
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
        assert_eq!(
            diff(&old, &new),
            Reload::Pages(vec!["/x/".into()]),
            "a removed page"
        );
        let mut new = old.clone();
        new.insert("atom.xml".into(), Arc::new(b"feed".to_vec()));
        assert_eq!(diff(&old, &new), Reload::Nothing, "no page shows a feed");
        new.insert("404.html".into(), Arc::new(b"weg".to_vec()));
        assert_eq!(
            diff(&old, &new),
            Reload::All,
            "any address may show the 404 page"
        );
    }
}
