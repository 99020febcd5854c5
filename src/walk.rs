//! Walking the site's folders with one rule for links: a symbolic link whose target lies
//! inside the folder being confined to (the site, or a theme's own folder) is followed as if
//! it were the file or folder itself; a link that leads outside, a broken link and a link
//! loop are errors naming the link. Without this rule a page bundle could publish
//! `/etc/passwd` through a link, and a linked folder was skipped or failed obscurely.

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;

/// Files and folders below a folder, sorted by name, each checked against the link rule.
pub struct Walk {
    inner: walkdir::IntoIter,
    /// Canonical folder that links must stay inside.
    confine: Option<PathBuf>,
    /// Shown paths are relative to this folder.
    shown_from: PathBuf,
    skip_hidden: bool,
    /// How errors name the confining folder.
    folder: &'static str,
}

/// Walks `dir`, following links that stay inside `confine` (usually the site folder).
/// Paths in errors are relative to `shown_from`.
pub fn walk(dir: &Path, confine: &Path, shown_from: &Path) -> Walk {
    Walk {
        inner: walkdir::WalkDir::new(dir)
            .follow_links(true)
            .sort_by_file_name()
            .into_iter(),
        confine: confine.canonicalize().ok(),
        shown_from: shown_from.to_path_buf(),
        skip_hidden: false,
        folder: "the site folder",
    }
}

impl Walk {
    /// Leaves out names starting with `.` or `~$` (editors' and Excel's lock and backup
    /// files, version-control folders) and everything below them.
    pub fn skip_hidden(mut self) -> Walk {
        self.skip_hidden = true;
        self
    }

    /// Names the confining folder in errors when it is not the site's (a theme's folder).
    pub fn confined_to(mut self, folder: &'static str) -> Walk {
        self.folder = folder;
        self
    }

    /// Does not descend into the folder just returned.
    pub fn skip_current_dir(&mut self) {
        self.inner.skip_current_dir();
    }

    fn shown(&self, p: &Path) -> PathBuf {
        p.strip_prefix(&self.shown_from).unwrap_or(p).to_path_buf()
    }
}

impl Iterator for Walk {
    type Item = Result<walkdir::DirEntry, Diagnostic>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let entry = match self.inner.next()? {
                Ok(e) => e,
                Err(err) => return Some(Err(self.walk_error(&err))),
            };
            if self.skip_hidden && entry.depth() > 0 {
                let name = entry.file_name().to_string_lossy();
                if name.starts_with('.') || name.starts_with("~$") {
                    if entry.file_type().is_dir() {
                        self.inner.skip_current_dir();
                    }
                    continue;
                }
            }
            if entry.path_is_symlink() {
                let target = entry.path().canonicalize().ok();
                let inside = match (&target, &self.confine) {
                    (Some(t), Some(c)) => t.starts_with(c),
                    _ => false,
                };
                if !inside {
                    if entry.file_type().is_dir() {
                        self.inner.skip_current_dir();
                    }
                    let to = std::fs::read_link(entry.path())
                        .map(|t| t.display().to_string())
                        .unwrap_or_default();
                    let folder = self.folder;
                    return Some(Err(Diagnostic::file(
                        self.shown(entry.path()),
                        format!("this is a link to `{to}`, outside {folder}"),
                    )
                    .with_hint(
                        "bundel follows links only when they lead to a file or folder inside \
                         the site, so that nothing from elsewhere on this computer is \
                         published: copy the file into the site instead, or remove the link",
                    )));
                }
            }
            return Some(Ok(entry));
        }
    }
}

impl Walk {
    fn walk_error(&self, err: &walkdir::Error) -> Diagnostic {
        let path = err
            .path()
            .map(|p| self.shown(p))
            .unwrap_or_else(|| self.shown_from.clone());
        if let Some(ancestor) = err.loop_ancestor() {
            return Diagnostic::file(
                path,
                format!(
                    "this link leads back to `{}`, a folder that contains it, so the folder \
                     would never end",
                    self.shown(ancestor).display()
                ),
            )
            .with_hint("remove the link or point it at another folder");
        }
        let broken = err
            .path()
            .is_some_and(|p| p.symlink_metadata().is_ok() && !p.exists());
        if broken {
            let to = err
                .path()
                .and_then(|p| std::fs::read_link(p).ok())
                .map(|t| t.display().to_string())
                .unwrap_or_default();
            return Diagnostic::file(
                path,
                format!("this is a link to `{to}`, which does not exist"),
            )
            .with_hint("remove the link, or restore the file it points to");
        }
        let why = err
            .io_error()
            .map(|e| e.to_string())
            .unwrap_or_else(|| err.to_string());
        Diagnostic::file(path, format!("cannot read: {why}"))
            .with_hint("check that the file or folder exists and that you may read it")
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn names(w: Walk) -> (Vec<String>, Vec<String>) {
        let mut ok = Vec::new();
        let mut errs = Vec::new();
        for r in w {
            match r {
                Ok(e) if e.file_type().is_file() => {
                    ok.push(e.file_name().to_string_lossy().into_owned())
                }
                Ok(_) => {}
                Err(d) => errs.push(format!("{}: {}", d.file.display(), d.message)),
            }
        }
        (ok, errs)
    }

    #[test]
    fn links_inside_are_followed_and_links_outside_are_errors() {
        let tmp = tempfile::tempdir().unwrap();
        let outside = tmp.path().join("outside");
        let site = tmp.path().join("site");
        std::fs::create_dir_all(site.join("content/real")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("secret.txt"), "x").unwrap();
        std::fs::write(site.join("content/real/a.md"), "a").unwrap();
        symlink(site.join("content/real"), site.join("content/linked")).unwrap();
        symlink(outside.join("secret.txt"), site.join("content/leak.txt")).unwrap();
        symlink(&outside, site.join("content/away")).unwrap();
        symlink(site.join("content/gone"), site.join("content/broken.md")).unwrap();
        symlink(site.join("content"), site.join("content/real/loop")).unwrap();
        let (ok, errs) = names(walk(&site.join("content"), &site, &site));
        assert_eq!(ok, vec!["a.md", "a.md"], "{errs:?}");
        let joined = errs.join("\n");
        assert!(
            joined.contains("content/leak.txt: this is a link to"),
            "{joined}"
        );
        assert!(joined.contains("outside the site folder"), "{joined}");
        assert!(
            joined.contains("content/away: this is a link to"),
            "{joined}"
        );
        assert!(
            joined.contains("content/broken.md: this is a link to"),
            "{joined}"
        );
        assert!(joined.contains("does not exist"), "{joined}");
        assert!(joined.contains("leads back to"), "{joined}");
        assert!(
            !ok.iter().any(|n| n.contains("secret")),
            "nothing below an outside link is read: {ok:?}"
        );
    }
}
