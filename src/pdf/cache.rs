//! PDFs of documents that have not changed since the last build are reused, not printed again.
//!
//! Printing costs Chromium about 0.3 CPU-seconds a document, while a rebuild usually changes a
//! few of the site's hundreds of factsheets. Like a build system's dependency file, each
//! printed document leaves an entry in the site's `.bundel-cache/pdf/` folder: its PDF and the
//! content hash of every file the browser read to make it (the HTML, stylesheets, fonts,
//! images), recorded from the browser's own requests. A later build whose document and files
//! hash the same, printed by the same browser and the same bundel, takes the stored PDF; any
//! difference prints afresh. The PDF is then byte for byte what a new print would give, since
//! printing is deterministic.
//!
//! The cache only ever saves time: an entry that cannot be read, or whose PDF no longer
//! matches its recorded hash, is printed again, and failing to store one is not an error.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use serde::{Deserialize, Serialize};

use super::{Engine, PdfJob};

/// Raised when what is printed changes for the same inputs (post-processing, print options),
/// so that older entries are not reused.
const FORMAT: &str = "bundel-pdf-cache-1";

/// Entries no build has used for this long are removed.
const KEEP: Duration = Duration::from_secs(30 * 24 * 3600);

pub struct Cache {
    dir: PathBuf,
    /// The output folder the jobs' paths are inside; entries name files relative to it, as the
    /// build writes to a different staging folder each time.
    root: PathBuf,
    /// The same, as the browser names it (symbolic links resolved).
    real_root: PathBuf,
    /// The browser's version and executable, and bundel's: a new browser may typeset differently.
    engine: String,
    hashes: Mutex<HashMap<PathBuf, Option<String>>>,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    /// Hash of the stored PDF, to notice a damaged cache file.
    pdf: String,
    /// Files (relative to the output folder, `/`-separated) and their content hashes.
    inputs: Vec<(String, String)>,
}

impl Cache {
    pub fn new(dir: &Path, root: &Path, engine: &Engine) -> Cache {
        Cache {
            dir: dir.to_path_buf(),
            root: root.to_path_buf(),
            real_root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            engine: engine_id(&engine.path),
            hashes: Mutex::new(HashMap::new()),
        }
    }

    /// The entry's name: everything about the job except the files' contents.
    fn slot(&self, job: &PdfJob) -> Option<String> {
        let html = self.relative(&job.html)?;
        let pdf = self.relative(&job.pdf)?;
        let base = job
            .online
            .as_ref()
            .map(|o| o.base_url.as_str())
            .unwrap_or("");
        let epoch = std::env::var("SOURCE_DATE_EPOCH").unwrap_or_default();
        let key = [
            FORMAT,
            env!("CARGO_PKG_VERSION"),
            &self.engine,
            &html,
            &pdf,
            &job.title,
            base,
            &epoch,
        ]
        .join("\u{0}");
        Some(hex(xxhash_rust::xxh3::xxh3_128(key.as_bytes())))
    }

    fn relative(&self, path: &Path) -> Option<String> {
        let rel = path
            .strip_prefix(&self.root)
            .or_else(|_| path.strip_prefix(&self.real_root))
            .ok()?;
        let parts: Vec<String> = rel
            .components()
            .map(|c| match c {
                std::path::Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect::<Option<_>>()?;
        Some(parts.join("/"))
    }

    fn hash_file(&self, path: &Path) -> Option<String> {
        let mut hashes = self.hashes.lock().unwrap_or_else(|p| p.into_inner());
        hashes
            .entry(path.to_path_buf())
            .or_insert_with(|| {
                std::fs::read(path)
                    .ok()
                    .map(|b| hex(xxhash_rust::xxh3::xxh3_128(&b)))
            })
            .clone()
    }

    /// Writes the stored PDF of an unchanged document to `job.pdf`; false if there is none.
    pub fn fetch(&self, job: &PdfJob) -> bool {
        let Some(slot) = self.slot(job) else {
            return false;
        };
        let json = self.dir.join(format!("{slot}.json"));
        let Some(entry) = std::fs::read(&json)
            .ok()
            .and_then(|b| serde_json::from_slice::<Entry>(&b).ok())
        else {
            return false;
        };
        let unchanged = entry.inputs.iter().all(|(rel, hash)| {
            self.hash_file(&self.root.join(rel)).as_deref() == Some(hash.as_str())
        });
        if !unchanged {
            return false;
        }
        let Ok(bytes) = std::fs::read(self.dir.join(format!("{slot}.pdf"))) else {
            return false;
        };
        if hex(xxhash_rust::xxh3::xxh3_128(&bytes)) != entry.pdf {
            return false;
        }
        if super::write_atomically(&job.pdf, &bytes).is_err() {
            return false;
        }
        // Marks the entry as used, so pruning keeps it.
        let _ = std::fs::File::options()
            .append(true)
            .open(&json)
            .and_then(|f| f.set_modified(SystemTime::now()));
        true
    }

    /// Stores the PDF just printed for `job`, with the files the browser read for it. A file
    /// outside the output folder (a system font, say) is not recorded: the browser's version
    /// stands for those.
    pub fn store(&self, job: &PdfJob, requested: &[String]) {
        let Some(slot) = self.slot(job) else { return };
        let mut inputs = Vec::new();
        for path in requested {
            let path = PathBuf::from(path);
            let Some(rel) = self.relative(&path) else {
                continue;
            };
            let Some(hash) = self.hash_file(&path) else {
                // Asked for but missing: the print failed on it or did not need it. Either
                // way its appearance later must print again.
                inputs.push((rel, String::new()));
                continue;
            };
            inputs.push((rel, hash));
        }
        let Some(html) = self.relative(&job.html) else {
            return;
        };
        if !inputs.iter().any(|(rel, _)| *rel == html) {
            let Some(hash) = self.hash_file(&job.html) else {
                return;
            };
            inputs.push((html, hash));
        }
        inputs.sort();
        inputs.dedup();
        let Ok(bytes) = std::fs::read(&job.pdf) else {
            return;
        };
        let entry = Entry {
            pdf: hex(xxhash_rust::xxh3::xxh3_128(&bytes)),
            inputs,
        };
        let Ok(json) = serde_json::to_vec_pretty(&entry) else {
            return;
        };
        if std::fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        // The PDF first, the entry naming it last: an interrupted store leaves no entry.
        let _ = write_new(&self.dir.join(format!("{slot}.pdf")), &bytes)
            .and_then(|()| write_new(&self.dir.join(format!("{slot}.json")), &json));
    }

    /// Removes entries that no build has used for a month.
    pub fn prune(&self) {
        let Ok(dir) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let now = SystemTime::now();
        for e in dir.flatten() {
            let path = e.path();
            if path.extension().is_none_or(|x| x != "json") {
                continue;
            }
            let old = e
                .metadata()
                .and_then(|m| m.modified())
                .map(|t| now.duration_since(t).unwrap_or_default() > KEEP)
                .unwrap_or(false);
            if old {
                let _ = std::fs::remove_file(&path);
                let _ = std::fs::remove_file(path.with_extension("pdf"));
            }
        }
    }
}

/// Write beside, then rename: two builds storing the same entry never mix their bytes.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension(format!(
        "part-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

fn hex(h: u128) -> String {
    format!("{h:032x}")
}

/// What identifies the browser: its own `--version` line, and its executable's size and
/// modification time (Chrome on Windows prints no version).
fn engine_id(exe: &Path) -> String {
    let version = version_line(exe).unwrap_or_default();
    let meta = std::fs::canonicalize(exe)
        .and_then(std::fs::metadata)
        .map(|m| {
            let mtime = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok())
                .map(|d| d.as_secs())
                .unwrap_or(0);
            format!("{} {}", m.len(), mtime)
        })
        .unwrap_or_default();
    format!("{} | {version} | {meta}", exe.display())
}

fn version_line(exe: &Path) -> Option<String> {
    use std::process::{Command, Stdio};
    // Chrome on Windows opens a window for `--version` instead of answering.
    if cfg!(windows) {
        return None;
    }
    let mut child = Command::new(exe)
        .arg("--version")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    // A browser that hangs on --version must not hang the build: after 10 s it is left out.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if std::time::Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10))
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
    let mut out = String::new();
    std::io::Read::read_to_string(&mut child.stdout.take()?, &mut out).ok()?;
    Some(out.trim().to_string())
}
