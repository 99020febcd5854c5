//! Finding a theme's files: templates, static files and translations.
//!
//! A theme lives in `themes/<name>/` with `templates/`, `static/` and `i18n/<lang>.yaml`.
//! The default theme is also compiled into the binary, so a site without a `themes/` folder
//! still builds; a `themes/default/` folder on disk takes precedence (that is how the theme
//! is developed). A site overrides single templates by placing a file with the same name in
//! its own `templates/` folder, and single strings in its own `i18n/<lang>.yaml`.

use crate::url::slash;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};

use crate::config::{key_position, yaml_error, SiteConfig, CONFIG_FILE};
use crate::diagnostic::Diagnostic;

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

pub struct TemplateFile {
    /// Name templates use to refer to it (`page.html`, `partials/meta.html`).
    pub name: String,
    pub source: String,
    /// Where it came from, for messages (`themes/default/templates/page.html`).
    pub file: PathBuf,
}

pub enum StaticSource {
    Disk(PathBuf),
    Embedded(&'static [u8]),
}

pub struct StaticFile {
    /// Path in the output folder.
    pub rel: PathBuf,
    pub source: StaticSource,
}

pub struct Theme {
    pub name: String,
    pub templates: Vec<TemplateFile>,
    pub static_files: Vec<StaticFile>,
    /// Theme strings for the site's language, site overrides applied.
    pub strings: serde_yaml::Mapping,
    /// `theme.yaml`: settings such as the chart palette.
    pub settings: serde_yaml::Mapping,
    /// Site templates that look like a misspelt override (`templates/pagee.html`).
    pub warnings: Vec<Diagnostic>,
}

impl Theme {
    pub fn load(site_dir: &Path, config: &SiteConfig) -> Result<Theme, Vec<Diagnostic>> {
        let name = config.theme.as_str();
        let disk = site_dir.join("themes").join(name);
        let mut errors = Vec::new();
        let mut theme = if disk.is_dir() {
            load_disk(site_dir, &disk, name, &config.language, &mut errors)
        } else if name == "default" {
            load_embedded(&config.language, &mut errors)
        } else {
            let line = key_position(
                &std::fs::read_to_string(site_dir.join(CONFIG_FILE)).unwrap_or_default(),
                "theme",
            )
            .map(|p| p.0)
            .unwrap_or(0);
            return Err(vec![Diagnostic::new(CONFIG_FILE, line, 1, format!("theme `{name}` not found"))
                .with_hint(format!("put the theme in `themes/{name}/` or remove the `theme:` line to use the default theme"))]);
        };

        // Site-level template overrides replace theme templates of the same name.
        let site_templates = site_dir.join("templates");
        if site_templates.is_dir() {
            let theirs: Vec<String> = theme.templates.iter().map(|t| t.name.clone()).collect();
            let overrides = files_under(&site_templates, site_dir, site_dir, &mut errors);
            for (name, _) in &overrides {
                if let Some(w) = misspelt_override(name, &theirs, &overrides) {
                    theme.warnings.push(w);
                }
            }
            for (name, file) in overrides {
                let rel = Path::new("templates").join(&name);
                match std::fs::read_to_string(&file) {
                    Ok(source) => {
                        theme.templates.retain(|t| t.name != name);
                        theme.templates.push(TemplateFile {
                            name,
                            source,
                            file: rel,
                        });
                    }
                    Err(e) => {
                        errors.push(Diagnostic::file(rel, format!("cannot read template: {e}")))
                    }
                }
            }
        }
        // Site-level string overrides.
        let site_strings = Path::new("i18n").join(format!("{}.yaml", config.language));
        if site_dir.join(&site_strings).is_file() {
            if let Some(map) = read_yaml_map(
                &std::fs::read_to_string(site_dir.join(&site_strings)).unwrap_or_default(),
                &site_strings,
                &mut errors,
            ) {
                for (k, v) in map {
                    theme.strings.insert(k, v);
                }
            }
        }
        theme.templates.sort_by(|a, b| a.name.cmp(&b.name));
        if errors.is_empty() {
            Ok(theme)
        } else {
            Err(errors)
        }
    }
}

fn load_disk(
    site_dir: &Path,
    dir: &Path,
    name: &str,
    lang: &str,
    errors: &mut Vec<Diagnostic>,
) -> Theme {
    let rel_dir = dir.strip_prefix(site_dir).unwrap_or(dir).to_path_buf();
    let mut templates = Vec::new();
    for (tname, file) in files_under(&dir.join("templates"), dir, site_dir, errors) {
        let rel = rel_dir.join("templates").join(&tname);
        match std::fs::read_to_string(&file) {
            Ok(source) => templates.push(TemplateFile {
                name: tname,
                source,
                file: rel,
            }),
            Err(e) => errors.push(Diagnostic::file(rel, format!("cannot read template: {e}"))),
        }
    }
    let static_files = files_under(&dir.join("static"), dir, site_dir, errors)
        .into_iter()
        .map(|(rel, file)| StaticFile {
            rel: PathBuf::from(rel),
            source: StaticSource::Disk(file),
        })
        .collect();
    let strings_rel = rel_dir.join("i18n").join(format!("{lang}.yaml"));
    let strings = std::fs::read_to_string(site_dir.join(&strings_rel))
        .ok()
        .and_then(|t| read_yaml_map(&t, &strings_rel, errors))
        .unwrap_or_default();
    let settings_rel = rel_dir.join("theme.yaml");
    let settings = std::fs::read_to_string(site_dir.join(&settings_rel))
        .ok()
        .and_then(|t| read_yaml_map(&t, &settings_rel, errors))
        .unwrap_or_default();
    Theme {
        warnings: Vec::new(),
        name: name.to_string(),
        templates,
        static_files,
        strings,
        settings,
    }
}

fn load_embedded(lang: &str, errors: &mut Vec<Diagnostic>) -> Theme {
    let mut templates = Vec::new();
    let mut static_files = Vec::new();
    let mut stack = vec![&DEFAULT_THEME];
    let mut files = Vec::new();
    while let Some(dir) = stack.pop() {
        stack.extend(dir.dirs());
        files.extend(dir.files());
    }
    files.sort_by_key(|f| f.path());
    let base = Path::new("themes/default");
    let mut strings = None;
    let mut settings = None;
    for f in files {
        let p = f.path();
        if let Ok(rel) = p.strip_prefix("templates") {
            templates.push(TemplateFile {
                name: slash(rel),
                source: f.contents_utf8().unwrap_or_default().to_string(),
                file: base.join(p),
            });
        } else if let Ok(rel) = p.strip_prefix("static") {
            static_files.push(StaticFile {
                rel: rel.to_path_buf(),
                source: StaticSource::Embedded(f.contents()),
            });
        } else if p == Path::new("i18n").join(format!("{lang}.yaml")) {
            strings = read_yaml_map(f.contents_utf8().unwrap_or_default(), &base.join(p), errors);
        } else if p == Path::new("theme.yaml") {
            settings = read_yaml_map(f.contents_utf8().unwrap_or_default(), &base.join(p), errors);
        }
    }
    Theme {
        warnings: Vec::new(),
        name: "default".to_string(),
        templates,
        static_files,
        strings: strings.unwrap_or_default(),
        settings: settings.unwrap_or_default(),
    }
}

/// A site template that replaces nothing and is named almost like a theme template, and
/// that no other site template uses: most likely a typo that leaves the theme's in place.
fn misspelt_override(
    name: &str,
    theirs: &[String],
    ours: &[(String, PathBuf)],
) -> Option<Diagnostic> {
    if theirs.iter().any(|t| t == name) {
        return None;
    }
    let close = theirs
        .iter()
        .filter(|t| strsim::levenshtein(t, name) <= 2)
        .min_by_key(|t| strsim::levenshtein(t, name))?;
    let quoted = format!("\"{name}\"");
    let used = ours.iter().any(|(other, file)| {
        other != name && std::fs::read_to_string(file).is_ok_and(|text| text.contains(&quoted))
    });
    if used {
        return None;
    }
    Some(
        Diagnostic::file(
            Path::new("templates").join(name),
            format!("`templates/{name}` replaces no template of the theme, so the theme's `{close}` is used"),
        )
        .with_hint(format!(
            "to change how those pages look, rename the file to `templates/{close}`; a template of your own is used by pages with `layout: {}`",
            name.trim_end_matches(".html")
        )),
    )
}

/// Every file below `dir` as (path relative to `dir` with `/` separators, full path), sorted.
/// Links must stay inside `confine`: a theme's own folder, or the site for its overrides.
fn files_under(
    dir: &Path,
    confine: &Path,
    site_dir: &Path,
    errors: &mut Vec<Diagnostic>,
) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    let mut walk = crate::walk::walk(dir, confine, site_dir);
    if confine != site_dir {
        walk = walk.confined_to("the theme's folder");
    }
    let mut files = Vec::new();
    for entry in walk {
        match entry {
            Ok(e)
                if e.file_type().is_file() && !e.file_name().to_string_lossy().starts_with('.') =>
            {
                if let Ok(rel) = e.path().strip_prefix(dir) {
                    files.push((slash(rel), e.path().to_path_buf()));
                }
            }
            Ok(_) => {}
            Err(d) => errors.push(d),
        }
    }
    files
}

fn read_yaml_map(
    text: &str,
    file: &Path,
    errors: &mut Vec<Diagnostic>,
) -> Option<serde_yaml::Mapping> {
    match crate::yaml::from_str(text) {
        Ok(serde_yaml::Value::Mapping(m)) => Some(m),
        Ok(serde_yaml::Value::Null) => Some(serde_yaml::Mapping::new()),
        Ok(_) => {
            errors.push(
                Diagnostic::new(file, 1, 1, "expected `key: value` lines")
                    .with_hint("write one `key: text` per line"),
            );
            None
        }
        Err(e) => {
            errors.push(yaml_error(file, &e, 0));
            None
        }
    }
}
