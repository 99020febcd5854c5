//! Noticing edits: file system events for the site's inputs, filtered to what a build reads.
//!
//! The site folder itself is watched without recursion (for `site.yaml` and for input folders
//! created later); each input folder recursively. Watching the whole folder recursively would
//! also watch `public/` and, in a repository, `target/`.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;

use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher};

/// Folders whose files go into the build.
pub const WATCHED_DIRS: [&str; 6] = ["content", "data", "themes", "templates", "static", "i18n"];
pub const CONFIG_FILE: &str = crate::config::CONFIG_FILE;

/// Starts watching `site_dir` (canonical); relevant changed paths, relative to it, are sent
/// to `tx`. Watching stops when the returned watcher is dropped.
pub fn start(site_dir: &Path, tx: Sender<PathBuf>) -> notify::Result<RecommendedWatcher> {
    let root = site_dir.to_path_buf();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let Ok(event) = event else { return };
        if !relevant_kind(&event.kind) {
            return;
        }
        for path in event.paths {
            if let Ok(rel) = path.strip_prefix(&root) {
                if is_input(rel) {
                    let _ = tx.send(rel.to_path_buf());
                }
            }
        }
    })?;
    watcher.watch(site_dir, RecursiveMode::NonRecursive)?;
    for dir in WATCHED_DIRS {
        let path = site_dir.join(dir);
        if path.is_dir() {
            watcher.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    Ok(watcher)
}

/// An input folder created after serve started (say `static/`) is watched from then on.
pub fn follow_new_dir(watcher: &mut RecommendedWatcher, site_dir: &Path, rel: &Path) {
    let top_level = rel.components().count() == 1;
    if top_level && WATCHED_DIRS.iter().any(|d| rel == Path::new(d)) {
        let path = site_dir.join(rel);
        if path.is_dir() {
            // Watching an already watched folder again is harmless.
            let _ = watcher.watch(&path, RecursiveMode::Recursive);
        }
    }
}

/// Reading a file (as every build does) must not look like a change.
fn relevant_kind(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) | EventKind::Other => false,
        _ => true,
    }
}

/// True for paths a build reads; editors' swap, backup and lock files are not.
pub fn is_input(rel: &Path) -> bool {
    let Some(first) = rel.components().next() else {
        return false;
    };
    let first = first.as_os_str();
    let in_scope = first == CONFIG_FILE && rel.components().count() == 1
        || WATCHED_DIRS.iter().any(|d| first == *d);
    if !in_scope {
        return false;
    }
    let name = rel
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    !(name.starts_with('.')
        || name.starts_with('#')
        || name.starts_with("~$")
        || name.ends_with('~')
        || name == "4913" // vim probes whether it may write in a folder with this name
        || [".swp", ".swx", ".swo", ".tmp", ".crdownload", ".part"]
            .iter()
            .any(|ext| name.ends_with(ext)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_site_files_but_not_editor_leftovers() {
        for yes in [
            "site.yaml",
            "content/nieuws/a.md",
            "themes/default/templates/page.html",
            "static/css/x.css",
            "data/cijfers.csv",
            "content",
        ] {
            assert!(is_input(Path::new(yes)), "{yes}");
        }
        for no in [
            "public/index.html",
            "target/debug/bundel",
            "content/nieuws/.a.md.swp",
            "content/nieuws/a.md~",
            "content/nieuws/4913",
            "content/#a.md#",
            "data/~$cijfers.xlsx",
            "README.md",
            "sub/site.yaml",
        ] {
            assert!(!is_input(Path::new(no)), "{no}");
        }
    }
}
