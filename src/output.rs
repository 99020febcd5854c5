//! Stage 6: writing the site.
//!
//! Everything is written into a staging folder beside the output folder; only a complete
//! build replaces the output, in one atomic exchange where the file system offers it (Linux,
//! macOS) and two renames elsewhere. A failed or interrupted build leaves the previous site
//! untouched and removes its staging folder; the staging folders of builds that were killed
//! are removed by the next build.
//!
//! bundel only replaces a folder it made: [`check_target`] refuses the site folder, the
//! folders around it and its source folders, and any existing folder without the [`MARKER`]
//! file every build writes into its output.

use std::collections::{BTreeMap, HashMap};
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError, RwLock, RwLockReadGuard};

use crate::diagnostic::Diagnostic;

/// The file every build writes into its output folder. An existing folder is only replaced
/// when it holds this file: that is how bundel knows the folder is its own.
pub const MARKER: &str = ".bundel-output";

const MARKER_TEXT: &str = "This folder is made by `bundel build` and replaced by every build.\n\
Files put here by hand are lost on the next build: keep them in the site's static/ folder.\n";

/// The folders of a site that hold its sources (and the image cache): the output may be none
/// of them, nor inside one.
const SOURCE_FOLDERS: [&str; 7] = [
    "content",
    "data",
    "static",
    "themes",
    "templates",
    "i18n",
    ".bundel-cache",
];

/// Part of the message when a failed swap could not put the previous site back; the caller
/// must not claim that the previous output is unchanged.
pub const PREVIOUS_MOVED: &str = "the previous output could not be put back";

/// Where rendered files go: a staging folder on disk, or memory (for `serve` and `check`).
pub enum Target<'a> {
    Disk(&'a Staging),
    Memory(&'a Mutex<BTreeMap<String, Vec<u8>>>),
}

/// Where a build writes, and which files the site's own folders put there: a page, feed,
/// image or PDF that bundel makes at the address of a file from `static/` or a page folder
/// would silently replace it, so it is refused, naming that file.
pub struct Sink<'a> {
    pub target: Target<'a>,
    /// Output path -> the site file copied there.
    claims: Mutex<HashMap<String, PathBuf>>,
}

impl<'a> Sink<'a> {
    pub fn new(target: Target<'a>) -> Sink<'a> {
        Sink {
            target,
            claims: Mutex::new(HashMap::new()),
        }
    }

    /// The folder files are written to, when they go to disk (PDF engines read from there).
    pub fn disk_dir(&self) -> Option<&Path> {
        match self.target {
            Target::Disk(s) => Some(s.dir()),
            _ => None,
        }
    }

    /// The site file already copied to `rel`, if any.
    pub fn claimed(&self, rel: &str) -> Option<PathBuf> {
        self.claims.lock().expect("claims").get(rel).cloned()
    }

    fn refuse_claimed(&self, rel: &str) -> io::Result<()> {
        match self.claimed(rel) {
            Some(owner) => Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!(
                    "`{}` is copied to this address, and bundel makes a file of its own there",
                    owner.display()
                ),
            )),
            None => Ok(()),
        }
    }

    /// Writes a file bundel makes.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        self.refuse_claimed(rel)?;
        self.put(rel, bytes)
    }

    fn put(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        match self.target {
            Target::Disk(s) => s.write(rel, bytes),
            Target::Memory(m) => {
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

    /// Copies a file bundel made earlier (a cached image) to `rel`.
    pub fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        self.refuse_claimed(rel)?;
        match self.target {
            Target::Disk(s) => s.copy(rel, from),
            Target::Memory(_) => self.put(rel, &std::fs::read(from)?),
        }
    }

    /// Copies the site's file `from` (shown as `owner`) to `rel`, which no file bundel
    /// makes may then take.
    pub fn copy_site_file(&self, rel: &str, from: &Path, owner: &Path) -> io::Result<()> {
        self.claims
            .lock()
            .expect("claims")
            .insert(rel.to_string(), owner.to_path_buf());
        match self.target {
            Target::Disk(s) => s.copy(rel, from),
            Target::Memory(_) => self.put(rel, &std::fs::read(from)?),
        }
    }

    /// Writes a file that comes with the theme (no user file of the site).
    pub fn write_theme_file(&self, rel: &str, bytes: &[u8], owner: &Path) -> io::Result<()> {
        self.claims
            .lock()
            .expect("claims")
            .insert(rel.to_string(), owner.to_path_buf());
        self.put(rel, bytes)
    }
}

/// Checks, before anything is touched, that building into `target` can destroy neither the
/// site nor files bundel did not write. Returns the folder to build into, with symbolic
/// links resolved: a `public` that links elsewhere is built where it points.
pub fn check_target(site_dir: &Path, target: &Path) -> Result<PathBuf, Diagnostic> {
    let shown = target.display().to_string();
    let refuse = |message: String, hint: &str| Diagnostic::file(target, message).with_hint(hint);
    let own_folder = "build into a folder of its own: leave out --output to build into `public` \
        inside the site folder, or name a new folder, such as `--output ../site-public`";
    let out = resolve(target).map_err(|e| {
        refuse(
            format!("cannot use `{shown}` as the output folder: {e}"),
            own_folder,
        )
    })?;
    let site = site_dir.canonicalize().map_err(|e| {
        Diagnostic::file(site_dir, format!("cannot read the site folder: {e}"))
            .with_hint("give the folder with site.yaml, content/ and data/")
    })?;
    if out == site {
        return Err(refuse(
            format!("`--output {shown}` is the site folder itself: building there would replace site.yaml, content/ and data/ by the built site"),
            own_folder,
        ));
    }
    if site.starts_with(&out) {
        return Err(refuse(
            format!(
                "`--output {shown}` ({}) holds the site folder: building there would delete the site and everything beside it",
                out.display()
            ),
            own_folder,
        ));
    }
    for name in SOURCE_FOLDERS {
        let source = site.join(name);
        let source = source.canonicalize().unwrap_or(source);
        if out.starts_with(&source) {
            return Err(refuse(
                format!(
                    "`--output {shown}` is inside the site's `{name}/` folder: building there would replace files of the site"
                ),
                own_folder,
            ));
        }
    }
    replaceable(&out).map_err(|(message, hint)| refuse(message, &hint))?;
    Ok(out)
}

/// `path` made absolute, with `.`, `..` and symbolic links resolved as far as it exists.
fn resolve(path: &Path) -> io::Result<PathBuf> {
    let mut out = PathBuf::new();
    for c in std::path::absolute(path)?.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => {
                out.push(other);
                if let Ok(real) = out.canonicalize() {
                    out = real;
                }
            }
        }
    }
    Ok(out)
}

/// Whether the folder at `dir` may be replaced by a build: it does not exist, is empty, or
/// is an output of bundel. Otherwise the message and hint to show.
fn replaceable(dir: &Path) -> Result<(), (String, String)> {
    let shown = dir.display();
    let meta = match std::fs::symlink_metadata(dir) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err((
                format!("cannot read the output folder `{shown}`: {e}"),
                "check its permissions, or choose another folder with --output".into(),
            ))
        }
    };
    if !meta.is_dir() {
        return Err((
            format!(
                "the output folder `{shown}` is a file, not a folder; bundel will not replace it"
            ),
            "move or rename that file, or choose another folder with --output".into(),
        ));
    }
    if dir.join(MARKER).is_file() || older_bundel_output(dir) {
        return Ok(());
    }
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| {
            (
                format!("cannot read the output folder `{shown}`: {e}"),
                "check its permissions, or choose another folder with --output".to_string(),
            )
        })?
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    if names.is_empty() {
        return Ok(());
    }
    names.sort();
    let listed: Vec<String> = names.iter().take(3).map(|n| format!("`{n}`")).collect();
    Err((
        format!(
            "the output folder `{shown}` already holds files that bundel did not write ({}{}); a build replaces the whole folder, so bundel will not use it",
            listed.join(", "),
            if names.len() > 3 { ", ..." } else { "" }
        ),
        format!(
            "choose a new or empty folder with --output; if `{shown}` holds only an older build of this site, delete it and build again (bundel marks its output folders with a `{MARKER}` file)"
        ),
    ))
}

/// Outputs of bundel versions that wrote no [`MARKER`]: the robots.txt bundel writes, beside
/// a home page and a sitemap.
fn older_bundel_output(dir: &Path) -> bool {
    dir.join("index.html").is_file()
        && dir.join("sitemap.xml").is_file()
        && std::fs::read_to_string(dir.join("robots.txt"))
            .is_ok_and(|t| t.starts_with("User-agent: *\nAllow: /\n\nSitemap: "))
}

/// Set once Ctrl-C or SIGTERM arrives: no file is written after that.
static STOPPING: AtomicBool = AtomicBool::new(false);
/// Held for reading while a file is written and for writing while the output is swapped, so
/// [`abandon`] neither removes a folder under a write in progress nor interrupts a swap.
static GUARD: RwLock<()> = RwLock::new(());
/// Set once this process's new site is in place.
static SWAPPED: AtomicBool = AtomicBool::new(false);
/// This process's folders to remove when it is interrupted: its staging folder, then the
/// previous output while that is being removed.
static ACTIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// For the Ctrl-C and SIGTERM handler: stops every further write and removes this process's
/// staging folder. The caller exits the process right after. Returns whether the new site
/// was already in place (interrupted while the previous one was being removed).
pub fn abandon() -> bool {
    STOPPING.store(true, Ordering::SeqCst);
    // Waits for writes in progress (and a swap) to finish, and keeps the others out.
    let guard = GUARD.write().unwrap_or_else(PoisonError::into_inner);
    for dir in active().drain(..) {
        let _ = remove_tree(&dir);
    }
    std::mem::forget(guard);
    SWAPPED.load(Ordering::SeqCst)
}

fn active() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    ACTIVE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Permission to write one file, refused once the build is interrupted.
fn writing() -> io::Result<RwLockReadGuard<'static, ()>> {
    let guard = GUARD.read().unwrap_or_else(PoisonError::into_inner);
    if STOPPING.load(Ordering::SeqCst) {
        return Err(io::Error::new(
            io::ErrorKind::Interrupted,
            "the build was interrupted",
        ));
    }
    Ok(guard)
}

pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
}

impl Staging {
    /// Creates an empty staging folder for `target` (a folder [`check_target`] accepted),
    /// after removing the staging folders left beside it by builds that no longer run.
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
        remove_stale(&parent, &name);
        let dir = parent.join(format!(".{name}.staging-{}", std::process::id()));
        let _guard = writing()?;
        if dir.exists() {
            remove_tree(&dir)?;
        }
        active().push(dir.clone());
        std::fs::create_dir(&dir)?;
        std::fs::write(dir.join(MARKER), MARKER_TEXT)?;
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
        let _guard = writing()?;
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p)?;
        }
        std::fs::write(path, bytes)
    }

    /// Copies the file `from` to `rel`.
    pub fn copy(&self, rel: &str, from: &Path) -> io::Result<()> {
        let path = self.path_for(rel)?;
        let _guard = writing()?;
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

    /// Replaces the output folder with the staging folder. Everything that could stop the
    /// swap is checked before it; once the new site is in place, the result is success. A
    /// previous site that cannot be removed afterwards gives the returned warning.
    pub fn commit(mut self) -> Result<Option<String>, (String, String)> {
        let guard = writing().map_err(|e| (e.to_string(), String::new()))?;
        replaceable(&self.target)?;
        let existed = self.target.exists();
        if existed {
            removable(&self.target)?;
        }
        let old = match existed {
            false => {
                std::fs::rename(&self.dir, &self.target).map_err(|e| not_replaced(&e))?;
                None
            }
            // The previous site takes the staging folder's name.
            true if exchange(&self.dir, &self.target) => Some(self.dir.clone()),
            true => {
                let old = self.dir.with_file_name(format!(
                    "{}.old",
                    self.dir.file_name().unwrap_or_default().to_string_lossy()
                ));
                std::fs::rename(&self.target, &old).map_err(|e| not_replaced(&e))?;
                if let Err(e) = std::fs::rename(&self.dir, &self.target) {
                    if std::fs::rename(&old, &self.target).is_err() {
                        return Err((
                            format!(
                                "cannot move the new site into place: {e}; {PREVIOUS_MOVED} and is now at `{}`",
                                old.display()
                            ),
                            format!(
                                "rename `{}` back to `{}`, then build again",
                                old.display(),
                                self.target.display()
                            ),
                        ));
                    }
                    return Err(not_replaced(&e));
                }
                Some(old)
            }
        };
        self.committed = true;
        SWAPPED.store(true, Ordering::SeqCst);
        {
            let mut active = active();
            active.retain(|d| *d != self.dir);
            active.extend(old.clone());
        }
        drop(guard);
        let Some(old) = old else { return Ok(None) };
        let removed = remove_dir_parallel(&old);
        active().retain(|d| *d != old);
        Ok(removed.err().map(|e| {
            format!(
                "the new site is in place, but the previous one, moved to `{}`, could not be removed: {e}; delete that folder yourself (the next build tries again)",
                old.display()
            )
        }))
    }
}

fn not_replaced(e: &io::Error) -> (String, String) {
    (
        format!("cannot replace the output folder: {e}"),
        "close programs that have files in it open and build again".into(),
    )
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        if STOPPING.load(Ordering::SeqCst) {
            // The interrupt handler removes the folder and ends the process; nothing may
            // report this build's failure in the meantime.
            loop {
                std::thread::park();
            }
        }
        let _ = remove_tree(&self.dir);
        active().retain(|d| *d != self.dir);
    }
}

/// Exchanges two folders in one step, so the output folder is never missing: `true` when
/// done. `false` (nothing changed) where the system or file system cannot.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange(a: &Path, b: &Path) -> bool {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).is_ok()
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange(_: &Path, _: &Path) -> bool {
    false
}

/// Whether the previous site at `dir` can be removed once replaced: every folder in it must
/// be writable. Checked before the swap, so a build never fails after it.
#[cfg(unix)]
fn removable(dir: &Path) -> Result<(), (String, String)> {
    use rustix::fs::{access, Access};
    for entry in walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.file_type().is_dir()
            && access(entry.path(), Access::WRITE_OK | Access::EXEC_OK).is_err()
        {
            return Err((
                format!(
                    "cannot replace the output folder: `{}` in the previous site is read-only, so the previous site could not be removed",
                    entry.path().display()
                ),
                format!(
                    "make it writable (`chmod -R u+w {}`) or delete the output folder, then build again",
                    dir.display()
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn removable(_: &Path) -> Result<(), (String, String)> {
    Ok(())
}

/// Removes the staging folders (and previous sites being removed) of builds into the same
/// output folder that no longer run: they were killed, or their computer went down.
fn remove_stale(parent: &Path, name: &str) {
    let prefix = format!(".{name}.staging-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.filter_map(Result::ok) {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(&prefix) else {
            continue;
        };
        let Ok(pid) = rest.strip_suffix(".old").unwrap_or(rest).parse::<u32>() else {
            continue;
        };
        let path = entry.path();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if !is_dir || active().contains(&path) {
            continue;
        }
        if pid == std::process::id() || !still_running(pid, &path) {
            let _ = remove_dir_parallel(&path);
        }
    }
}

/// Whether the build with process id `pid`, owning the folder `dir`, may still be running.
#[cfg(unix)]
fn still_running(pid: u32, _dir: &Path) -> bool {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    match rustix::process::test_kill_process(pid) {
        Ok(()) => true,
        // Another user's process: running.
        Err(e) => e != rustix::io::Errno::SRCH,
    }
}

/// Without a way to ask the system, a folder untouched for a day counts as left behind.
#[cfg(not(unix))]
fn still_running(_pid: u32, dir: &Path) -> bool {
    let age = std::fs::metadata(dir)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok());
    age.is_none_or(|a| a < std::time::Duration::from_secs(24 * 3600))
}

/// `remove_dir_all`, where entries that are already gone (another build removing the same
/// left-over folder) are no error.
fn remove_tree(path: &Path) -> io::Result<()> {
    match std::fs::remove_dir_all(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

fn remove_file(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Deleting a large previous site is a good part of a build's time; its subfolders go in
/// parallel.
fn remove_dir_parallel(dir: &Path) -> io::Result<()> {
    use rayon::prelude::*;
    let entries = |d: &Path| -> io::Result<Vec<(PathBuf, bool)>> {
        match std::fs::read_dir(d) {
            Ok(rd) => Ok(rd
                .filter_map(Result::ok)
                .map(|e| (e.path(), e.file_type().is_ok_and(|t| t.is_dir())))
                .collect()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(e),
        }
    };
    entries(dir)?.par_iter().try_for_each(|(p, is_dir)| {
        if !is_dir {
            return remove_file(p);
        }
        entries(p)?.par_iter().try_for_each(|(s, sub_dir)| {
            if *sub_dir {
                remove_tree(s)
            } else {
                remove_file(s)
            }
        })?;
        remove_tree(p)
    })?;
    remove_tree(dir)
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
        std::fs::write(target.join(MARKER), MARKER_TEXT).unwrap();
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
        assert_eq!(s.commit().unwrap(), None);
        assert!(!target.join("old.html").exists());
        assert!(target.join(MARKER).is_file());
        assert_eq!(
            std::fs::read_to_string(target.join("a/index.html")).unwrap(),
            "new"
        );
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_folder_bundel_did_not_write_is_not_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let target = tmp.path().join("public");
        assert!(replaceable(&target).is_ok(), "missing");
        std::fs::create_dir_all(&target).unwrap();
        assert!(replaceable(&target).is_ok(), "empty");
        std::fs::write(target.join("notes.txt"), "mine").unwrap();
        let (message, _) = replaceable(&target).unwrap_err();
        assert!(message.contains("`notes.txt`"), "{message}");
        std::fs::write(target.join(MARKER), MARKER_TEXT).unwrap();
        assert!(replaceable(&target).is_ok(), "marked");
        let file = tmp.path().join("file");
        std::fs::write(&file, "x").unwrap();
        assert!(replaceable(&file).unwrap_err().0.contains("is a file"));
    }

    #[test]
    fn stale_staging_folders_of_dead_processes_are_removed() {
        let tmp = tempfile::tempdir().unwrap();
        // No process has this id (above the kernel's maximum of 2^22).
        let dead = tmp.path().join(".public.staging-4194999");
        let dead_old = tmp.path().join(".public.staging-4194999.old");
        let other_site = tmp.path().join(".other.staging-4194999");
        for d in [&dead, &dead_old, &other_site] {
            std::fs::create_dir_all(d.join("sub")).unwrap();
            std::fs::write(d.join("sub/index.html"), "x").unwrap();
        }
        // A running process (this one's parent) keeps its folder.
        #[cfg(unix)]
        let alive = {
            let p = tmp.path().join(format!(
                ".public.staging-{}",
                std::os::unix::process::parent_id()
            ));
            std::fs::create_dir_all(&p).unwrap();
            p
        };
        remove_stale(tmp.path(), "public");
        assert!(!dead.exists());
        assert!(!dead_old.exists());
        assert!(
            other_site.exists(),
            "another output's folders are not touched"
        );
        #[cfg(unix)]
        assert!(alive.exists(), "a running build's staging folder is kept");
    }

    #[test]
    fn resolve_handles_dots_and_missing_parts() {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().canonicalize().unwrap();
        assert_eq!(resolve(&base.join("a/../b/./c")).unwrap(), base.join("b/c"));
        assert_eq!(resolve(&base.join("..")).unwrap(), base.parent().unwrap());
    }

    #[test]
    fn inside_checks() {
        assert!(is_inside(Path::new("a/b/../c")));
        assert!(!is_inside(Path::new("a/../../c")));
        assert!(!is_inside(Path::new("/etc/passwd")));
    }
}
