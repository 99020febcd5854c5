//! Helpers for integration tests: fixture sites in temporary folders, built with the real
//! `bundel` binary, and the generated HTML parsed for inspection.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Site {
    pub dir: tempfile::TempDir,
}

pub const MINIMAL_CONFIG: &str = "title: Testsite\nbase_url: https://example.org/\n";

impl Site {
    /// An empty site folder with a minimal `site.yaml` and home page.
    pub fn new() -> Site {
        let site = Site::bare();
        site.write("site.yaml", MINIMAL_CONFIG);
        site.write("content/_index.md", "---\ntitle: Home\n---\nWelkom.\n");
        site
    }

    pub fn bare() -> Site {
        Site {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, rel: &str, text: &str) -> &Site {
        self.write_bytes(rel, text.as_bytes())
    }

    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Site {
        let p = self.dir.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
        self
    }

    pub fn remove(&self, rel: &str) {
        let p = self.dir.path().join(rel);
        if p.is_dir() {
            std::fs::remove_dir_all(p).unwrap();
        } else {
            std::fs::remove_file(p).unwrap();
        }
    }

    pub fn bundel(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_bundel"))
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .expect("run bundel")
    }

    /// `bundel` with extra environment variables (`BUNDEL_TIMINGS`).
    pub fn bundel_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_bundel"))
            .args(args)
            .envs(env.iter().copied())
            .current_dir(self.dir.path())
            .output()
            .expect("run bundel")
    }

    /// `bundel build` in the site folder; panics with the error output when it fails.
    pub fn build(&self) -> Output {
        let out = self.bundel(&["build"]);
        assert!(out.status.success(), "build failed:\n{}", stderr(&out));
        out
    }

    pub fn public(&self) -> PathBuf {
        self.dir.path().join("public")
    }

    pub fn read(&self, rel: &str) -> String {
        let p = self.public().join(rel);
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()))
    }

    pub fn html(&self, rel: &str) -> scraper::Html {
        scraper::Html::parse_document(&self.read(rel))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.public().join(rel).exists()
    }
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).to_string()
}

pub fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).to_string()
}

pub fn sel(s: &str) -> scraper::Selector {
    scraper::Selector::parse(s).unwrap()
}

/// Text of every element matching `selector`, whitespace collapsed.
pub fn texts(doc: &scraper::Html, selector: &str) -> Vec<String> {
    doc.select(&sel(selector))
        .map(|e| {
            e.text()
                .collect::<String>()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

pub fn attrs(doc: &scraper::Html, selector: &str, attr: &str) -> Vec<String> {
    doc.select(&sel(selector))
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// Every file below `dir` with its bytes, sorted by path.
pub fn tree(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<(PathBuf, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).unwrap().to_path_buf(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// For each element matching `selector` (table rows), the text of its cells joined by spaces.
pub fn rows(doc: &scraper::Html, selector: &str) -> Vec<String> {
    let cell = sel("th, td");
    doc.select(&sel(selector))
        .map(|row| {
            row.select(&cell)
                .map(|c| {
                    c.text()
                        .collect::<String>()
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// Makes sure the browser tests can run: the programs in `needed` (with how to install each)
/// are on PATH, and `tests/browser/node_modules` is installed from its lock file. `purpose`
/// names the test in the message.
pub fn browser_tools(purpose: &str, needed: &[(&str, &str)]) {
    for (cmd, install) in needed {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {cmd}")])
            .output()
            .map(|o| o.status.success())
            .unwrap_or(false);
        assert!(
            found,
            "`{cmd}` is needed for {purpose}: {install} (or run `bash .ci/run`)"
        );
    }
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    let installed = ["playwright-core", "axe-core", "vnu-jar"]
        .iter()
        .all(|m| dir.join("node_modules").join(m).exists());
    if !installed {
        let status = Command::new("npm")
            .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
            .env("PUPPETEER_SKIP_DOWNLOAD", "1")
            .current_dir(&dir)
            .status()
            .expect("run npm");
        assert!(status.success(), "npm ci in tests/browser failed");
    }
}

/// A minimal OpenDocument spreadsheet around `content` (the `content.xml`).
#[allow(dead_code)]
pub fn ods_bytes(content: &str) -> Vec<u8> {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        let stored = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        zip.start_file("mimetype", stored).unwrap();
        zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
            .unwrap();
        zip.start_file("content.xml", stored).unwrap();
        zip.write_all(content.as_bytes()).unwrap();
        zip.start_file("META-INF/manifest.xml", stored).unwrap();
        zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).unwrap();
        zip.finish().unwrap();
    }
    buf.into_inner()
}
