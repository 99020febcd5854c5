//! Responsive images for pictures in page folders and `static/`.
//!
//! JPEG and PNG images get smaller copies for `srcset` (never wider than the original) and a
//! WebP copy of each size where that is smaller; every `<img>` gets `width` and `height` so the
//! page does not jump while it loads. Portrait photos are cut to a square around a focal
//! point. GIF, WebP and SVG files are shown as they are, with their size.
//!
//! Encoding is slow, so every file made is kept in `.bundel-cache/images/` at the site root,
//! named by the source's content hash and the settings that made it: a rebuild only reads the
//! sources to hash them and copies from the cache. Files the build no longer needs are removed.
//!
//! Images are processed the first time a page needs them, on whichever thread renders that
//! page, so different images are made in parallel.

mod encode;
mod markup;
mod probe;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use rayon::prelude::*;
use serde::Serialize;

use crate::config::ImageSettings;
use crate::content::{Content, Page};
use crate::diagnostic::Diagnostic;
use crate::output::Sink;
use crate::site::links::{asset_path, ROOT};
use encode::Format;
pub use markup::Markup;

/// The cache folder, at the site root.
pub const CACHE_DIR: &str = ".bundel-cache";

/// Bumped when encoding changes, so old cache files are not reused (and get removed).
const CACHE_VERSION: &str = "1";

/// The largest image bundel decodes to make smaller copies: a side of at most this many
/// pixels ...
pub const MAX_SIDE: u32 = 16_384;
/// ... and at most this many pixels in all (64 megapixels, more than a professional camera
/// takes). Decoding needs up to 8 bytes a pixel, so this keeps one image under 512 MB; a
/// small file can claim a huge size (a "decompression bomb").
pub const MAX_PIXELS: u64 = 64_000_000;

/// Why an image has no responsive copies.
enum Problem {
    /// Not an image bundel can read: linked as it is, with a warning.
    Unreadable(String),
    /// Larger than [`MAX_SIDE`] or [`MAX_PIXELS`]: an error, since reading it could take
    /// minutes and gigabytes.
    TooLarge { width: u32, height: u32 },
}

impl From<String> for Problem {
    fn from(msg: String) -> Problem {
        Problem::Unreadable(msg)
    }
}

/// Widths of the square portrait crop: 160 px as shown, and for 2x and 3x screens.
const PHOTO_WIDTHS: [u32; 3] = [160, 320, 480];

/// `sizes` for an image in running text of the default theme: the text column is 42rem
/// wide, with 1.25rem padding on either side below that.
fn content_sizes(width: u32) -> String {
    if width >= 672 {
        "(min-width: 44.5rem) 42rem, calc(100vw - 2.5rem)".to_string()
    } else {
        format!(
            "(min-width: {}px) {width}px, calc(100vw - 2.5rem)",
            width + 40
        )
    }
}

/// An image as templates see it (`page.photo.image`): URLs carry the root marker.
#[derive(Debug, Clone, Serialize)]
pub struct Picture {
    /// The largest file in the original's format.
    pub src: String,
    pub width: u32,
    pub height: u32,
    /// `url 480w, url 800w`; empty when there is only one size.
    pub srcset: String,
    /// The same sizes as WebP; empty when WebP is off or would not be smaller.
    pub webp_srcset: String,
}

/// How many files a build encoded and how many it took from the cache.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub encoded: usize,
    pub cached: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Shape {
    /// The whole image at several widths.
    Responsive,
    /// A centred square, shifted towards the focal point (percent across and down).
    Square { fx: u32, fy: u32 },
}

enum Data {
    /// The source file itself, copied with the page's other files.
    Original,
    Cache(PathBuf),
    /// When the cache folder cannot be written.
    Memory(Arc<Vec<u8>>),
}

struct Variant {
    /// Site path of the file.
    rel: String,
    width: u32,
    data: Data,
}

struct ImageSet {
    width: u32,
    height: u32,
    /// Ascending width; the last is `src`.
    fallback: Vec<Variant>,
    /// Empty unless WebP is on and smaller.
    webp: Vec<Variant>,
}

type Cell = Arc<OnceLock<Option<Arc<ImageSet>>>>;

pub struct Images {
    site_dir: PathBuf,
    /// Site path (`portretten/x/foto.jpg`) -> source file, relative to the site folder.
    sources: HashMap<String, PathBuf>,
    /// Site paths whose name without extension is shared with another image in the same
    /// folder (`logo.png`, `logo.jpg`); their copies keep the extension in the name.
    ambiguous: HashSet<String>,
    settings: ImageSettings,
    cache: Option<PathBuf>,
    sets: Mutex<HashMap<(String, Shape), Cell>>,
    errors: Mutex<BTreeMap<PathBuf, Diagnostic>>,
    warnings: Mutex<BTreeMap<PathBuf, Diagnostic>>,
    used_cache: Mutex<HashSet<PathBuf>>,
    /// Site paths already handed to the sink by an earlier `write`.
    written: Mutex<HashSet<String>>,
    encoded: AtomicUsize,
    cached: AtomicUsize,
}

const EXTENSIONS: [&str; 6] = ["jpg", "jpeg", "png", "gif", "webp", "svg"];

/// The file of the page's folder that front matter `key` names (`photo: anna.jpg`).
fn named_asset<'a>(page: &'a Page, key: &str) -> Option<&'a PathBuf> {
    let name = page.front.extra_str(key)?;
    page.assets
        .iter()
        .find(|a| a.file_name().is_some_and(|f| f == name))
}

fn extension(path: &str) -> String {
    Path::new(path)
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

impl Images {
    /// Finds the images of the site: page assets and files in `static/`.
    pub fn new(
        site_dir: &Path,
        static_files: &[(String, PathBuf)],
        content: &Content,
        settings: &ImageSettings,
    ) -> Images {
        let mut sources = HashMap::new();
        for (site_path, _) in static_files {
            if EXTENSIONS.contains(&extension(site_path).as_str()) {
                sources.insert(site_path.clone(), Path::new("static").join(site_path));
            }
        }
        for page in &content.pages {
            for asset in &page.assets {
                let site_path = asset_path(page, asset);
                if EXTENSIONS.contains(&extension(&site_path).as_str()) {
                    sources.insert(site_path, asset.clone());
                }
            }
        }
        let mut stems: HashMap<String, usize> = HashMap::new();
        for p in sources.keys() {
            *stems.entry(strip_ext(p).to_string()).or_default() += 1;
        }
        let ambiguous = sources
            .keys()
            .filter(|p| stems[strip_ext(p)] > 1)
            .cloned()
            .collect();
        let cache = Some(site_dir.join(CACHE_DIR).join("images"))
            .filter(|dir| std::fs::create_dir_all(dir).is_ok());
        Images {
            site_dir: site_dir.to_path_buf(),
            sources,
            ambiguous,
            settings: settings.clone(),
            cache,
            sets: Mutex::new(HashMap::new()),
            errors: Mutex::new(BTreeMap::new()),
            warnings: Mutex::new(BTreeMap::new()),
            used_cache: Mutex::new(HashSet::new()),
            written: Mutex::new(HashSet::new()),
            encoded: AtomicUsize::new(0),
            cached: AtomicUsize::new(0),
        }
    }

    /// Rewrites the `<img>` tags of rendered Markdown whose image belongs to the site: sizes,
    /// `srcset`, WebP, and lazy loading for all but the first image when `eager_first`
    /// (the first image may be in view when the page opens).
    pub fn rewrite(&self, html: &str, eager_first: bool) -> String {
        let tags = markup::img_tags(html);
        if tags.is_empty() {
            return html.to_string();
        }
        let mut out = String::with_capacity(html.len() + tags.len() * 400);
        let mut last = 0;
        for (i, tag) in tags.iter().enumerate() {
            out.push_str(&html[last..tag.start]);
            let lazy = i > 0 || !eager_first;
            match self.img(html, tag, lazy) {
                Some(s) => out.push_str(&s),
                None => out.push_str(&html[tag.start..tag.end]),
            }
            last = tag.end;
        }
        out.push_str(&html[last..]);
        out
    }

    fn img(&self, html: &str, tag: &markup::ImgTag, lazy: bool) -> Option<String> {
        let src = markup::unescape(tag.get("src")?);
        let rest = src
            .strip_prefix(ROOT)
            .or_else(|| src.strip_prefix("%EE%80%80"))?;
        let site_path = crate::url::percent_decode(rest);
        let set = self.set(&site_path, Shape::Responsive)?;
        let pic = self.picture(&set);
        // Someone wrote their own sources: only add what is missing.
        let own = tag.has("srcset") || markup::inside_picture(html, tag.start);
        let skip: &[&str] = if own {
            &["src", "width", "height"]
        } else {
            &["src", "width", "height", "srcset", "sizes"]
        };
        let mut attrs: Vec<(&str, Option<&str>)> = Vec::with_capacity(tag.attrs.len());
        attrs.extend(
            tag.attrs
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case("alt")),
        );
        attrs.extend(tag.attrs.iter().filter(|(n, _)| {
            !n.eq_ignore_ascii_case("alt") && !skip.iter().any(|s| n.eq_ignore_ascii_case(s))
        }));
        // `src` stays as written: browsers that understand `srcset` with widths never load it,
        // and `bundel check` finds the Markdown line of an image by it.
        let original_src = tag.get("src").unwrap_or_default();
        let as_is =
            set.webp.is_empty() && set.fallback.len() == 1 && set.fallback[0].rel == site_path;
        let srcset = if own || as_is {
            String::new()
        } else {
            srcset_of(&set.fallback)
        };
        let webp_srcset = if own {
            String::new()
        } else {
            srcset_of(&set.webp)
        };
        let sizes = content_sizes(pic.width);
        let markup = Markup {
            src: original_src,
            srcset: &srcset,
            webp_srcset: &webp_srcset,
            sizes: &sizes,
            width: pic.width,
            height: pic.height,
            attrs: &attrs,
            lazy,
        };
        Some(markup.html())
    }

    /// The portrait photo of a page (`photo:`), cut square around `photo_focus`.
    pub fn photo(&self, page: &Page) -> Option<Picture> {
        let asset = named_asset(page, "photo")?;
        let (fx, fy) = match page.front.extra.get("photo_focus") {
            None => (50, 50),
            Some(v) => match v.as_str().and_then(parse_focus) {
                Some(f) => f,
                None => {
                    let d = Diagnostic::new(
                        &page.source,
                        page.front.line_of("photo_focus"),
                        1,
                        "`photo_focus` must name a side or two percentages",
                    )
                    .with_hint("use top, bottom, left, right or center (boven, onder, links, rechts, midden), or `50% 20%` (across, down)");
                    self.errors
                        .lock()
                        .expect("image errors")
                        .insert(page.source.clone(), d);
                    (50, 50)
                }
            },
        };
        let set = self.set(&asset_path(page, asset), Shape::Square { fx, fy })?;
        Some(self.picture(&set))
    }

    /// The cover image of a report or publication (`cover:`), whole, at several widths.
    pub fn cover(&self, page: &Page) -> Option<Picture> {
        self.whole(page, "cover")
    }

    /// The image front matter `key` names, whole (not cut square), at several widths: the
    /// portrait photo as the page shows it large.
    pub fn whole(&self, page: &Page, key: &str) -> Option<Picture> {
        let asset = named_asset(page, key)?;
        let set = self.set(&asset_path(page, asset), Shape::Responsive)?;
        Some(self.picture(&set))
    }

    /// Mistakes in front matter (`photo_focus`), one per page, and images too large to read.
    pub fn errors(&self) -> Vec<Diagnostic> {
        self.errors
            .lock()
            .expect("image errors")
            .values()
            .cloned()
            .collect()
    }

    /// Images that could not be read, one per file. They are linked as they are, so one bad
    /// file does not stop a site from being published; the reader sees the alt text.
    pub fn warnings(&self) -> Vec<Diagnostic> {
        self.warnings
            .lock()
            .expect("image warnings")
            .values()
            .cloned()
            .collect()
    }

    pub fn stats(&self) -> Stats {
        Stats {
            encoded: self.encoded.load(Ordering::Relaxed),
            cached: self.cached.load(Ordering::Relaxed),
        }
    }

    /// Writes every file the pages refer to that an earlier call did not write and, with
    /// `prune`, removes cache files no page needs any more. Returns the number of files
    /// written.
    pub fn write(&self, sink: &Sink, prune: bool) -> Result<usize, Vec<Diagnostic>> {
        let sets: Vec<Arc<ImageSet>> = self
            .sets
            .lock()
            .expect("image sets")
            .values()
            .filter_map(|c| c.get().cloned().flatten())
            .collect();
        let mut files: BTreeMap<&str, &Data> = BTreeMap::new();
        {
            let mut written = self.written.lock().expect("written images");
            for set in &sets {
                for v in set.fallback.iter().chain(&set.webp) {
                    if !matches!(v.data, Data::Original) && written.insert(v.rel.clone()) {
                        files.insert(&v.rel, &v.data);
                    }
                }
            }
        }
        let errors: Vec<Diagnostic> = files
            .par_iter()
            .filter_map(|(rel, data)| {
                let r = match data {
                    Data::Cache(p) => sink.copy(rel, p),
                    Data::Memory(b) => sink.write(rel, b),
                    Data::Original => Ok(()),
                };
                r.err().map(|e| {
                    Diagnostic::file(*rel, format!("cannot write: {e}"))
                        .with_hint("check free disk space and permissions of the output folder")
                })
            })
            .collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        if prune {
            self.prune();
        }
        Ok(files.len())
    }

    fn prune(&self) {
        let Some(dir) = &self.cache else { return };
        let used = self.used_cache.lock().expect("cache use");
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_file() && !used.contains(&path) {
                let _ = std::fs::remove_file(&path);
            }
        }
    }

    fn set(&self, site_path: &str, shape: Shape) -> Option<Arc<ImageSet>> {
        let file = self.sources.get(site_path)?;
        let cell: Cell = self
            .sets
            .lock()
            .expect("image sets")
            .entry((site_path.to_string(), shape))
            .or_default()
            .clone();
        // Made without rayon: a thread waiting inside the cell's initialisation must not
        // pick up another page that needs the same image.
        cell.get_or_init(|| match self.make(site_path, file, shape) {
            Ok(set) => Some(Arc::new(set)),
            Err(Problem::TooLarge { width, height }) => {
                let megapixels = (u64::from(width) * u64::from(height)).div_ceil(1_000_000);
                let d = Diagnostic::file(
                    file,
                    format!(
                        "the image is {width} × {height} pixels ({megapixels} megapixels); bundel reads images of at most {MAX_SIDE} pixels a side and {} megapixels",
                        MAX_PIXELS / 1_000_000
                    ),
                )
                .with_hint("resize the image in an image editor and save it again: 2400 pixels across is plenty for a web page, and for print");
                self.errors
                    .lock()
                    .expect("image errors")
                    .insert(file.clone(), d);
                None
            }
            Err(Problem::Unreadable(msg)) => {
                let d = Diagnostic::file(
                    file,
                    format!("cannot read the image ({msg}); it is linked without sizes"),
                )
                .with_hint("save it again as JPEG or PNG, or remove the reference to it");
                self.warnings
                    .lock()
                    .expect("image warnings")
                    .insert(file.clone(), d);
                None
            }
        })
        .clone()
    }

    fn picture(&self, set: &ImageSet) -> Picture {
        let largest = set.fallback.last().expect("at least one size");
        Picture {
            src: url_of(largest),
            width: set.width,
            height: set.height,
            srcset: if set.fallback.len() > 1 {
                srcset_of(&set.fallback)
            } else {
                String::new()
            },
            webp_srcset: srcset_of(&set.webp),
        }
    }

    fn make(&self, site_path: &str, file: &Path, shape: Shape) -> Result<ImageSet, Problem> {
        let abs = self.site_dir.join(file);
        let ext = extension(site_path);
        let as_is = |width: u32, height: u32| ImageSet {
            width,
            height,
            fallback: vec![Variant {
                rel: site_path.to_string(),
                width,
                data: Data::Original,
            }],
            webp: Vec::new(),
        };
        if ext == "svg" {
            let text = std::fs::read_to_string(&abs).map_err(|e| e.to_string())?;
            let (w, h) = probe::svg(&text).unwrap_or((0, 0));
            return Ok(as_is(w, h));
        }
        let bytes = std::fs::read(&abs).map_err(|e| e.to_string())?;
        let (w, h, orientation) = probe::raster(&bytes)?;
        let fallback_format = match ext.as_str() {
            "jpg" | "jpeg" => Format::Jpeg,
            "png" => Format::Png,
            _ => return Ok(as_is(w, h)),
        };
        if w > MAX_SIDE || h > MAX_SIDE || u64::from(w) * u64::from(h) > MAX_PIXELS {
            return Err(Problem::TooLarge {
                width: w,
                height: h,
            });
        }
        let webp_format = match fallback_format {
            Format::Png => Format::WebpLossless,
            _ => Format::WebpLossy,
        };
        let (crop, region_w, region_h, widths) = match shape {
            Shape::Responsive => (None, w, h, self.settings.widths.as_slice()),
            Shape::Square { fx, fy } => {
                let s = w.min(h);
                let x = (w - s) * fx / 100;
                let y = (h - s) * fy / 100;
                (Some([x, y, s, s]), s, s, PHOTO_WIDTHS.as_slice())
            }
        };
        let targets = targets(region_w, widths);
        let height_for = |tw: u32| -> u32 {
            ((u64::from(region_h) * u64::from(tw) + u64::from(region_w) / 2) / u64::from(region_w))
                .max(1) as u32
        };
        let base = if self.ambiguous.contains(site_path) {
            format!("{}-{ext}", strip_ext(site_path))
        } else {
            strip_ext(site_path).to_string()
        };
        let name = |tw: u32, format: Format| match shape {
            Shape::Responsive => format!("{base}-{tw}w.{}", format.ext()),
            Shape::Square { fx: 50, fy: 50 } => format!("{base}-sq{tw}.{}", format.ext()),
            Shape::Square { fx, fy } => format!("{base}-sq{tw}-{fx}-{fy}.{}", format.ext()),
        };
        let largest_h = height_for(*targets.last().expect("one width at least"));
        let largest_w = *targets.last().expect("one width at least");
        let hash = xxhash_rust::xxh3::xxh3_128(&bytes);
        let crop_tag = crop.map_or(String::new(), |[x, y, s, _]| format!("c{x}_{y}_{s}-"));
        let quality = self.settings.quality;
        let mut decoded: Option<image::DynamicImage> = None;
        let mut make_one = |tw: u32, format: Format| -> Result<(Data, u64), Problem> {
            let th = height_for(tw);
            let key = format!(
                "{CACHE_VERSION}-{hash:032x}-{crop_tag}{tw}x{th}-{}",
                format.tag(quality)
            );
            if let Some(dir) = &self.cache {
                let path = dir.join(&key);
                if let Ok(meta) = std::fs::metadata(&path) {
                    self.used_cache
                        .lock()
                        .expect("cache use")
                        .insert(path.clone());
                    self.cached.fetch_add(1, Ordering::Relaxed);
                    return Ok((Data::Cache(path), meta.len()));
                }
            }
            if decoded.is_none() {
                decoded = Some(encode::decode(&bytes)?);
            }
            let img = decoded.as_ref().expect("decoded");
            let resized = encode::resize(img, crop, tw, th);
            let out = encode::encode(&resized, format, quality)?;
            self.encoded.fetch_add(1, Ordering::Relaxed);
            let len = out.len() as u64;
            if let Some(dir) = &self.cache {
                let path = dir.join(&key);
                let tmp = dir.join(format!(
                    ".{key}.{}-{:?}.tmp",
                    std::process::id(),
                    std::thread::current().id()
                ));
                if std::fs::write(&tmp, &out).is_ok() && std::fs::rename(&tmp, &path).is_ok() {
                    self.used_cache
                        .lock()
                        .expect("cache use")
                        .insert(path.clone());
                    return Ok((Data::Cache(path), len));
                }
                let _ = std::fs::remove_file(&tmp);
            }
            Ok((Data::Memory(Arc::new(out)), len))
        };

        let mut fallback = Vec::new();
        let mut fallback_bytes = 0u64;
        let original_len = bytes.len() as u64;
        for &tw in &targets {
            let (data, len) = make_one(tw, fallback_format)?;
            // Full size in the same format: the original serves when it is no larger and
            // needs no turning.
            let same_as_original = crop.is_none()
                && tw == w
                && orientation == image::metadata::Orientation::NoTransforms
                && original_len <= len;
            let (rel, data, len) = if same_as_original {
                (site_path.to_string(), Data::Original, original_len)
            } else {
                (name(tw, fallback_format), data, len)
            };
            fallback_bytes += len;
            fallback.push(Variant {
                rel,
                width: tw,
                data,
            });
        }
        let mut webp = Vec::new();
        if self.settings.webp {
            let mut webp_bytes = 0u64;
            for &tw in &targets {
                let (data, len) = make_one(tw, webp_format)?;
                webp_bytes += len;
                webp.push(Variant {
                    rel: name(tw, webp_format),
                    width: tw,
                    data,
                });
            }
            if webp_bytes >= fallback_bytes {
                webp.clear();
            }
        }
        Ok(ImageSet {
            width: largest_w,
            height: largest_h,
            fallback,
            webp,
        })
    }
}

fn url_of(v: &Variant) -> String {
    format!("{ROOT}{}", markup::encode_url(&v.rel))
}

/// `url 480w, url 800w`
fn srcset_of(variants: &[Variant]) -> String {
    variants
        .iter()
        .map(|v| format!("{} {}w", url_of(v), v.width))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The widths to make for an image `len` pixels wide: the configured ones below its width,
/// then its own width capped at the largest configured one.
fn targets(len: u32, widths: &[u32]) -> Vec<u32> {
    let max = widths.iter().copied().max().unwrap_or(len);
    let mut t: Vec<u32> = widths.iter().copied().filter(|&w| w < len).collect();
    t.push(len.min(max));
    t.sort_unstable();
    t.dedup();
    t
}

/// `top`, `left`, `top left`, `30% 20%` (across, down; like CSS `object-position`), also in
/// Dutch; percent across and down.
fn parse_focus(s: &str) -> Option<(u32, u32)> {
    let words: Vec<String> = s.split_whitespace().map(str::to_lowercase).collect();
    if words.is_empty() || words.len() > 2 {
        return None;
    }
    let (mut fx, mut fy) = (50, 50);
    for (i, w) in words.iter().enumerate() {
        match w.as_str() {
            "top" | "boven" => fy = 0,
            "bottom" | "onder" => fy = 100,
            "left" | "links" => fx = 0,
            "right" | "rechts" => fx = 100,
            "center" | "centre" | "midden" => {}
            other => {
                let n: u32 = other.strip_suffix('%')?.trim().parse().ok()?;
                if n > 100 {
                    return None;
                }
                if i == 0 {
                    fx = n;
                } else {
                    fy = n;
                }
            }
        }
    }
    Some((fx, fy))
}

fn strip_ext(p: &str) -> &str {
    match p.rfind('.') {
        Some(i) if !p[i..].contains('/') => &p[..i],
        _ => p,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_never_upscale() {
        assert_eq!(targets(4000, &[480, 800, 1200]), [480, 800, 1200]);
        assert_eq!(targets(1200, &[480, 800, 1200]), [480, 800, 1200]);
        assert_eq!(targets(1000, &[480, 800, 1200]), [480, 800, 1000]);
        assert_eq!(targets(300, &[480, 800, 1200]), [300]);
        assert_eq!(targets(480, &[160, 320, 480]), [160, 320, 480]);
    }

    #[test]
    fn focal_points() {
        assert_eq!(parse_focus("top"), Some((50, 0)));
        assert_eq!(parse_focus("Boven links"), Some((0, 0)));
        assert_eq!(parse_focus("30% 20%"), Some((30, 20)));
        assert_eq!(parse_focus("center"), Some((50, 50)));
        assert_eq!(parse_focus("sideways"), None);
        assert_eq!(parse_focus("120% 0%"), None);
    }

    #[test]
    fn names() {
        assert_eq!(strip_ext("a/b.c/foto.jpg"), "a/b.c/foto");
        assert_eq!(strip_ext("a/b.c/foto"), "a/b.c/foto");
    }
}
