//! Files copied as they are: the theme's static files, the site's `static/` folder and the
//! files beside each page.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::inputs::Inputs;
use super::{links, write_error};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::output::Sink;
use crate::templates::theme::StaticSource;
use crate::url::slash;

/// Copies the theme's static files, then the site's own (`static/`, which win), then every
/// page's assets. Returns the number of files.
pub(super) fn copy_static(
    site_dir: &Path,
    inputs: &Inputs,
    sink: &Sink,
) -> Result<usize, Diagnostics> {
    let content = &inputs.content;
    // Output path -> (what is copied, the file it is in the site's terms).
    let mut copies: BTreeMap<String, (StaticSource, PathBuf)> = BTreeMap::new();
    for f in &inputs.theme.static_files {
        let (src, owner) = match &f.source {
            StaticSource::Disk(p) => (
                StaticSource::Disk(p.clone()),
                p.strip_prefix(site_dir).unwrap_or(p).to_path_buf(),
            ),
            StaticSource::Embedded(b) => (
                StaticSource::Embedded(b),
                Path::new("themes/default/static").join(&f.rel),
            ),
        };
        copies.insert(slash(&f.rel), (src, owner));
    }
    // The site's own files replace the theme's of the same name: that is what they are for.
    for (rel, file) in &inputs.static_files {
        let owner = Path::new("static").join(rel);
        copies.insert(rel.clone(), (StaticSource::Disk(file.clone()), owner));
    }
    let mut errors = Diagnostics::new();
    for page in &content.pages {
        for asset in &page.assets {
            let rel = links::asset_path(page, asset);
            if let Some((_, other)) = copies.get(&rel).filter(|(_, o)| o.starts_with("static")) {
                errors.push(
                    Diagnostic::file(
                        asset,
                        format!(
                            "`{}` is copied to the same address, `{rel}`",
                            other.display()
                        ),
                    )
                    .with_hint("rename one of the two files, or remove the one that is not needed"),
                );
                continue;
            }
            copies.insert(
                rel,
                (StaticSource::Disk(site_dir.join(asset)), asset.clone()),
            );
        }
    }
    errors.take_result()?;
    let results: Vec<Result<(), Diagnostic>> = copies
        .par_iter()
        .map(|(rel, (src, owner))| {
            match src {
                StaticSource::Disk(p) => sink.copy_site_file(rel, p, owner),
                StaticSource::Embedded(b) => sink.write_theme_file(rel, b, owner),
            }
            .map_err(|e| write_error(rel, e))
        })
        .collect();
    for r in results {
        if let Err(e) = r {
            errors.push(e);
        }
    }
    errors.into_result()?;
    Ok(copies.len())
}
