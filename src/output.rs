//! Stage 6: writing the site.
//!
//! Everything is written into a staging folder beside the output folder; only a complete
//! build replaces the output (two renames). A failed build leaves the previous site untouched
//! and removes its staging folder.

use std::collections::BTreeMap;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// Where rendered files go: a staging folder on disk, memory (for `serve` and `check`), or
/// nowhere (validation only).
pub enum Sink<'a> {
    Discard,
    Disk(&'a Staging),
    Memory(&'a Mutex<BTreeMap<String, Vec<u8>>>),
}

impl Sink<'_> {
    /// The folder files are written to, when they go to disk (PDF engines read from there).
    pub fn disk_dir(&self) -> Option<&Path> {
        match self {
            Sink::Disk(s) => Some(s.dir()),
            _ => None,
        }
    }

    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        match self {
            Sink::Discard => Ok(()),
            Sink::Disk(s) => s.write(rel, bytes),
            Sink::Memory(m) => {
                if !is_inside(Path::new(rel)) {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidInput,
                        format!("refusing to write outside the output folder: {rel}"),
                    ));
                }
                m.lock()
                    .expect("output map")
                    .insert(rel.to_string(), bytes.to_vec());
                Ok(())
            }
        }
    }

    pub fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        match self {
            Sink::Discard => Ok(()),
            Sink::Disk(s) => s.copy(rel, from),
            Sink::Memory(_) => self.write(rel, &std::fs::read(from)?),
        }
    }
}

pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates an empty staging folder for `target`.
    pub fn begin(target: &Path) -> io::Result<Staging> {
        let parent = match target.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        std::fs::create_dir_all(&parent)?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| "public".into());
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir_all(&dir)?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            committed: false,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Writes `bytes` at `rel` (a `/`-separated path inside the site).
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.path_for(rel)?;
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p)?;
        }
        std::fs::write(path, bytes)
    }

    /// Copies the file `from` to `rel`.
    pub fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        let path = self.path_for(rel)?;
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p)?;
        }
        std::fs::copy(from, path).map(|_| ())
    }

    /// Resolves `rel` inside the staging folder; paths that would leave it are refused.
    fn path_for(&self, rel: &str) -> io::Result<PathBuf> {
        let rel_path = Path::new(rel);
        if !is_inside(rel_path) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("refusing to write outside the output folder: {rel}"),
            ));
        }
        Ok(self.dir.join(rel_path))
    }

    /// Replaces the output folder with the staging folder.
    pub fn commit(mut self) -> io::Result<()> {
        let old = self.dir.with_file_name(format!(
            "{}.old",
            self.dir.file_name().unwrap_or_default().to_string_lossy()
        ));
        if self.target.exists() {
            std::fs::rename(&self.target, &old)?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            // Put the previous site back.
            let _ = std::fs::rename(&old, &self.target);
            return Err(e);
        }
        self.committed = true;
        if old.exists() {
            remove_dir_parallel(&old)?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Deleting a large previous site is a good part of a build's time; its subfolders go in
/// parallel.
fn remove_dir_parallel(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.par_iter().try_for_each(|p| {
        if p.is_dir() {
            let subs: Vec<PathBuf> = std::fs::read_dir(p)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            subs.par_iter().try_for_each(|s| {
                if s.is_dir() {
                    std::fs::remove_dir_all(s)
                } else {
                    std::fs::remove_file(s)
                }
            })?;
            std::fs::remove_dir(p)
        } else {
            std::fs::remove_file(p)
        }
    })?;
    std::fs::remove_dir(dir)
}

/// True when `rel` is a relative path that stays inside its base folder.
pub fn is_inside(rel: &Path) -> bool {
    let mut depth: i64 = 0;
    for c in rel.components() {
        match c {
            Component::Normal(_) => depth += 1,
            Component::CurDir => {}
            Component::ParentDir => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            Component::RootDir | Component::Prefix(_) => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staging_replaces_output_only_on_commit() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        std::fs::create_dir_all(&target).unwrap();
        std::fs::write(target.join("old.html"), "old").unwrap();

        let s = Staging::begin(&target).unwrap();
        s.write("a/index.html", b"new").unwrap();
        assert!(s.write("../escape.html", b"x").is_err());
        drop(s); // failed build
        assert!(target.join("old.html").exists());
        assert_eq!(
            std::fs::read_dir(tmp.path()).unwrap().count(),
            1,
            "staging folder left behind"
        );

        let s = Staging::begin(&target).unwrap();
        s.write("a/index.html", b"new").unwrap();
        s.commit().unwrap();
        assert!(!target.join("old.html").exists());
        assert_eq!(
            std::fs::read_to_string(target.join("a/index.html")).unwrap(),
            "new"
        );
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn inside_checks() {
        assert!(is_inside(Path::new("a/b/../c")));
        assert!(!is_inside(Path::new("a/../../c")));
        assert!(!is_inside(Path::new("/etc/passwd")));
    }
}
