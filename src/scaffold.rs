//! `bundel new`: a new page of a given kind, with the front matter that kind needs.
//!
//! The command speaks English; the files it writes are read by Dutch communications staff,
//! so the comments in them are Dutch and say what each field is for. New files never replace
//! existing ones.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Component, Path, PathBuf};

use chrono::NaiveDate;

use crate::config::{SiteConfig, CONFIG_FILE};
use crate::content::{self, CONTENT_DIR};
use crate::diagnostic::Diagnostic;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// A news article (content/nieuws/<slug>.md), created as a draft.
    Article,
    /// A portrait in the numbered series (content/portretten/<slug>/index.md).
    Portrait,
    /// A report with chapters (content/rapporten/<slug>/_index.md and 01-inleiding.md).
    Report,
    /// A bundled publication of existing pages (content/publicaties/<slug>/_index.md).
    Publication,
    /// A factsheet commentary page (content/factsheets/<slug>.md).
    Factsheet,
}

impl Kind {
    /// The section folder inside `content/` this kind goes into unless `--section` says otherwise.
    pub fn default_section(self) -> &'static str {
        match self {
            Kind::Article => "nieuws",
            Kind::Portrait => "portretten",
            Kind::Report => "rapporten",
            Kind::Publication => "publicaties",
            Kind::Factsheet => "factsheets",
        }
    }
}

pub struct Options {
    pub site_dir: PathBuf,
    pub kind: Kind,
    pub title: String,
    /// Folder inside `content/` (`nieuws/2024`); the kind's default when `None`.
    pub section: Option<String>,
    pub today: NaiveDate,
}

/// What `create` did.
pub struct Created {
    /// Relative to the site folder.
    pub files: Vec<PathBuf>,
    /// What the writer should do next (fill in a key the title did not name).
    pub notes: Vec<String>,
}

/// Creates the page.
pub fn create(options: &Options) -> Result<Created, Diagnostic> {
    let site = &options.site_dir;
    if !site.join(CONFIG_FILE).is_file() {
        return Err(Diagnostic::file(
            site.join(CONFIG_FILE),
            "this is not a bundel site: there is no site.yaml",
        )
        .with_hint("run the command in the site folder, or name it with --site"));
    }
    let title = options
        .title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let slug = content::slugify(&title);
    if slug.is_empty() {
        return Err(Diagnostic::file(
            CONTENT_DIR,
            format!(
                "the title `{}` has no letters or digits to make a file name from",
                options.title
            ),
        )
        .with_hint("give the page a title with words in it"));
    }
    let section = section_dir(
        options
            .section
            .as_deref()
            .unwrap_or(options.kind.default_section()),
    )?;
    let config = SiteConfig::load(site).ok();
    let organisation = config
        .as_ref()
        .map(|c| c.organisation.name.clone())
        .unwrap_or_default();
    let page = Page {
        title: &title,
        slug: &slug,
        date: options.today,
        organisation: &organisation,
    };

    let mut notes = Vec::new();
    let files: Vec<(PathBuf, String)> = match options.kind {
        Kind::Article => {
            notes.push("It is a draft: preview it with `bundel serve --drafts`, and set `draft: false` when it is ready to publish.".to_string());
            vec![(section.join(format!("{slug}.md")), article(&page))]
        }
        Kind::Factsheet => {
            let path = section.join(format!("{slug}.md"));
            let keys = factsheet_keys(site, &section, &title);
            if let Some((_, hints)) = &keys {
                for h in hints.iter().filter(|h| h.value.is_none()) {
                    notes.push(format!(
                        "Fill in `{}` in {}: the title names none of the values in the data (such as {}).",
                        h.column,
                        path.display(),
                        h.examples.join(", ")
                    ));
                }
            }
            vec![(path, factsheet(&page, keys.as_ref()))]
        }
        Kind::Portrait => {
            let series = next_series_number(&site.join(&section));
            vec![(
                section.join(&slug).join("index.md"),
                portrait(&page, series),
            )]
        }
        Kind::Report => vec![
            (section.join(&slug).join("_index.md"), report(&page)),
            (section.join(&slug).join("01-inleiding.md"), first_chapter()),
        ],
        Kind::Publication => vec![(section.join(&slug).join("_index.md"), publication(&page))],
    };

    // Another file or folder with the same name would claim the same address.
    let claims = [
        section.join(format!("{slug}.md")),
        section.join(&slug).join("index.md"),
        section.join(&slug).join("_index.md"),
    ];
    for path in claims.iter().chain(files.iter().map(|(p, _)| p)) {
        if site.join(path).exists() {
            return Err(Diagnostic::file(
                path,
                "already exists; bundel new never overwrites a file",
            )
            .with_hint("choose another title, or open the existing file"));
        }
    }
    let mut written = Vec::new();
    for (path, text) in &files {
        let full = site.join(path);
        if let Some(dir) = full.parent() {
            std::fs::create_dir_all(dir).map_err(|e| write_error(path, e))?;
        }
        // `create_new` refuses to replace a file that appeared since the check above.
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&full)
            .map_err(|e| write_error(path, e))?;
        f.write_all(text.as_bytes())
            .map_err(|e| write_error(path, e))?;
        written.push(path.clone());
    }
    Ok(Created {
        files: written,
        notes,
    })
}

/// For a factsheet in a section that generates pages from data: the full title and the key
/// values its title names. A hand-written page with those values becomes the commentary of
/// the generated factsheet.
fn factsheet_keys(
    site: &Path,
    section: &Path,
    title: &str,
) -> Option<(String, Vec<crate::generate::KeyHint>)> {
    let index = section.join("_index.md");
    let text = std::fs::read_to_string(site.join(&index)).ok()?;
    let front = content::frontmatter::parse(&text, &index).ok()?.front;
    let data = crate::data::DataStore::load(site).ok()?;
    crate::generate::key_hints(&front, &data, title)
}

fn write_error(path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::file(path, format!("cannot write: {e}"))
        .with_hint("check that the folder exists and is writable")
}

/// `content/<section>`, refusing paths that leave `content/`.
fn section_dir(section: &str) -> Result<PathBuf, Diagnostic> {
    let trimmed = section.trim().trim_matches('/');
    let trimmed = trimmed
        .strip_prefix("content/")
        .unwrap_or(trimmed)
        .trim_matches('/');
    let rel = Path::new(trimmed);
    if !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(
            Diagnostic::file(section, "--section must be a folder inside content/")
                .with_hint("for example `--section nieuws` or `--section nieuws/2024`"),
        );
    }
    Ok(Path::new(CONTENT_DIR).join(rel))
}

/// The next number in a portrait series: one more than the highest `series:` in the section
/// (drafts included, so a portrait being written keeps its number).
pub fn next_series_number(section: &Path) -> i64 {
    let Ok(entries) = std::fs::read_dir(section) else {
        return 1;
    };
    let mut highest = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        let file = if path.is_dir() {
            path.join("index.md")
        } else if path.extension().is_some_and(|e| e == "md")
            && path.file_name().is_some_and(|n| n != "_index.md")
        {
            path
        } else {
            continue;
        };
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        if let Some(n) = front_matter_number(&text, "series") {
            highest = highest.max(n);
        }
    }
    highest + 1
}

fn front_matter_number(text: &str, key: &str) -> Option<i64> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text
        .strip_prefix("---")?
        .trim_start_matches([' ', '\t', '\r']);
    let rest = rest.strip_prefix('\n')?;
    let end = rest
        .match_indices("\n---")
        .map(|(i, _)| i + 1)
        .next()
        .unwrap_or(rest.len());
    let yaml: serde_yaml::Value = serde_yaml::from_str(&rest[..end]).ok()?;
    match yaml.get(key)? {
        serde_yaml::Value::Number(n) => n.as_i64(),
        serde_yaml::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

struct Page<'a> {
    title: &'a str,
    slug: &'a str,
    date: NaiveDate,
    organisation: &'a str,
}

/// A YAML string that stays valid whatever the title holds (quotes, colons, `#`).
fn quoted(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// The `title:` line, plus a `slug:` line when the file name alone would lose a leading
/// number (`2024-jaarverslag.md` would otherwise become `/jaarverslag/`).
fn title_lines(p: &Page, comment: &str) -> String {
    let mut s = format!("# {comment}\ntitle: {}\n", quoted(p.title));
    let digits = p.slug.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && digits < p.slug.len() {
        let _ = writeln!(
            s,
            "# Het webadres. Nodig omdat de titel met een getal begint (dat anders wegvalt).\nslug: {}",
            quoted(p.slug)
        );
    }
    s
}

fn date_lines(p: &Page) -> String {
    format!(
        "# Datum van verschijnen: jaar-maand-dag. Op de site staat er bijvoorbeeld \"21 september 2021\".\ndate: {}\n",
        p.date.format("%Y-%m-%d")
    )
}

fn article(p: &Page) -> String {
    format!(
        "---\n{title}{date}# Wie het bericht schreef, of \"Redactie\".\nauthor: Redactie\n\
# Rubriek, klein boven de titel, met een eigen overzichtspagina. Vul in na de dubbele punt,\n\
# bijvoorbeeld: Monitoring, Bijeenkomsten, Cijfers. Leeg laten mag.\ncategory:\n\
# De inleiding: één of twee zinnen. Die staat vet boven het bericht en in de overzichten.\nsummary: \"\"\n\
# Trefwoorden in kleine letters, bijvoorbeeld [verzuim, mbo].\ntags: []\n\
# Zolang hier true staat, komt het bericht niet op de site. Klaar? Maak er false van.\ndraft: true\n---\n\n\
<!--\nSchrijf hieronder het bericht.\n\
- Een tussenkop begint met twee hekjes: ## Tussenkop\n\
- Een link naar een andere pagina: [tekst van de link](andere-pagina.md)\n\
- Een bijlage (pdf)? Maak van het bericht een map met daarin dit bestand als index.md en de pdf\n  ernaast, en noem de pdf in de kop: attachments: [{{file: presentatie.pdf, title: Presentatie}}]\n-->\n",
        title = title_lines(p, "Titel van het bericht, boven het bericht en in de overzichten."),
        date = date_lines(p),
    )
}

fn portrait(p: &Page, series: i64) -> String {
    format!(
        "---\n{title}\
# true: de kop is een citaat en komt tussen aanhalingstekens („...”). Geen citaat? Maak er false van.\nquote_headline: true\n\
# Naam van wie geportretteerd wordt.\nname: \"\"\n\
# Functie of rol, bijvoorbeeld: Leerplichtambtenaar, Student mbo-niveau 2.\nrole: \"\"\n\
# Organisatie, bijvoorbeeld: Gemeente Doetinchem.\norganisation: \"\"\n\
# Leeftijd (niet verplicht): haal het hekje weg en vul in.\n# age: 19\n\
# Nummer in de serie portretten: het eerstvolgende vrije nummer in deze map.\nseries: {series}\n\
# Volgorde in de overzichten, laagste eerst; meestal gelijk aan het nummer in de serie.\nweight: {series}\n\
{date}\
# De inleiding: één of twee zinnen, boven het portret en in de overzichten.\nsummary: \"\"\n\
tags: [portret]\n\
# Foto of illustratie: zet het bestand in deze map, haal de hekjes weg en vul de bestandsnaam in.\n\
# Beschrijf bij photo_alt wat er te zien is, voor wie de afbeelding niet kan zien.\n\
# photo: foto.jpg\n# photo_alt: \"Beschrijving van de foto\"\n---\n\n\
<!-- Schrijf hieronder het portret. Een tussenkop begint met twee hekjes: ## Tussenkop -->\n",
        title = title_lines(p, "Kop boven het portret, vaak een citaat van wie geportretteerd wordt."),
        date = date_lines(p),
    )
}

fn report(p: &Page) -> String {
    format!(
        "---\n\
# De voorpagina van het rapport. De hoofdstukken staan als losse bestanden in deze map,\n\
# genummerd in de volgorde van het rapport: 01-inleiding.md, 02-cijfers.md, ...\n\
type: report\n# Maak ook een pdf van het hele rapport om te downloaden.\npdf: true\n\
{title}# Ondertitel op de voorkant (mag leeg blijven).\nsubtitle: \"\"\n\
# Schrijvers, als lijst: [Voornaam Achternaam, Voornaam Achternaam].\nauthors: []\n\
# Wie het rapport uitbrengt.\norganisation: {org}\n\
# In opdracht van wie (mag leeg blijven).\ncommissioned_by: \"\"\n{date}\
# Samenvatting in een paar zinnen, voor de overzichten en zoekmachines.\nsummary: \"\"\n---\n\n\
<!-- Hier kan een voorwoord komen. De hoofdstukken schrijf je in de losse bestanden. -->\n",
        title = title_lines(p, "Titel van het rapport."),
        org = quoted(p.organisation),
        date = date_lines(p),
    )
}

fn first_chapter() -> String {
    "---\n# Titel van het hoofdstuk. Het nummer komt uit de bestandsnaam (01-...).\ntitle: Inleiding\n\
# Volgorde van de hoofdstukken: laagste eerst.\nweight: 1\n---\n\n\
<!-- Een paragraaf begint met twee hekjes (## Aanleiding), een subparagraaf met drie. -->\n"
        .to_string()
}

fn publication(p: &Page) -> String {
    format!(
        "---\n\
# Een publicatie bundelt bestaande pagina's tot één geheel, online en als pdf.\n\
type: publication\n# Maak ook een pdf van de publicatie om te downloaden.\npdf: true\n\
{title}# Ondertitel op de voorkant (mag leeg blijven).\nsubtitle: \"\"\n\
# Wie de publicatie uitbrengt.\norganisation: {org}\n{date}\
# Samenvatting in een paar zinnen, voor de overzichten.\nsummary: \"\"\n\
# De pagina's van de publicatie, in volgorde, elk op een eigen regel met een streepje:\n\
# hun plek in content/ zonder .md, bijvoorbeeld\n#   - portretten/anja-boschker\n\
# Een inleiding of slotpagina die alleen in de publicatie hoort, zet je als bestand in deze map.\n\
pages: []\n---\n\n\
<!-- Hier kan een korte inleiding komen, voor de webpagina van de publicatie. -->\n",
        title = title_lines(p, "Titel van de publicatie."),
        org = quoted(p.organisation),
        date = date_lines(p),
    )
}

fn factsheet(p: &Page, keys: Option<&(String, Vec<crate::generate::KeyHint>)>) -> String {
    let mut key_lines = String::new();
    let mut title = p.title.to_string();
    if let Some((full_title, hints)) = keys {
        title = full_title.clone();
        let names: Vec<&str> = hints.iter().map(|h| h.column.as_str()).collect();
        let _ = writeln!(
            key_lines,
            "# Bij welke factsheet hoort deze toelichting? Schrijf {} precies zoals in de data.",
            names.join(" en ")
        );
        for h in hints {
            match &h.value {
                Some(v) => {
                    let _ = writeln!(key_lines, "{}: {}", h.column, quoted(v));
                }
                None => {
                    let _ = writeln!(
                        key_lines,
                        "# Bijvoorbeeld: {}\n{}: \"\"",
                        h.examples.join(", "),
                        h.column
                    );
                }
            }
        }
    }
    let p = Page {
        title: &title,
        ..*p
    };
    format!(
        "---\n{title}{date}{key_lines}\
# Eén of twee zinnen: wat laten de cijfers zien?\nsummary: \"\"\n---\n\n\
<!-- Schrijf hieronder de toelichting bij de cijfers. -->\n",
        title = title_lines(
            &p,
            "Titel van de factsheet, bijvoorbeeld: Vsv in cijfers 2021/2022."
        ),
        date = date_lines(&p),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::frontmatter;

    fn page() -> Page<'static> {
        Page {
            title: "Wat \"werkt\": 2024 # één",
            slug: "wat-werkt-2024-een",
            date: NaiveDate::from_ymd_opt(2024, 5, 1).unwrap(),
            organisation: "RMC-regio Achterhoek",
        }
    }

    #[test]
    fn every_kind_has_valid_front_matter_keeping_the_title() {
        let p = page();
        for text in [
            article(&p),
            portrait(&p, 3),
            report(&p),
            publication(&p),
            factsheet(&p, None),
            first_chapter(),
        ] {
            let parsed = frontmatter::parse(&text, Path::new("x.md")).expect("valid front matter");
            if parsed.front.title != "Inleiding" {
                assert_eq!(parsed.front.title, p.title);
                assert_eq!(parsed.front.date.unwrap().date(), p.date);
            }
        }
        let r = frontmatter::parse(&report(&p), Path::new("x.md")).unwrap();
        assert_eq!(
            r.front.extra_str("organisation"),
            Some("RMC-regio Achterhoek")
        );
        let r = frontmatter::parse(&portrait(&p, 3), Path::new("x.md")).unwrap();
        assert_eq!(r.front.weight, Some(3));
    }

    #[test]
    fn a_leading_number_keeps_its_place_in_the_address() {
        let p = Page {
            slug: "2024-jaarverslag",
            ..page()
        };
        let r = frontmatter::parse(&factsheet(&p, None), Path::new("x.md")).unwrap();
        assert_eq!(r.front.slug.as_deref(), Some("2024-jaarverslag"));
        let r = frontmatter::parse(&factsheet(&page(), None), Path::new("x.md")).unwrap();
        assert_eq!(r.front.slug, None);
    }

    #[test]
    fn sections_stay_inside_content() {
        assert_eq!(
            section_dir("nieuws/2024/").unwrap(),
            Path::new("content/nieuws/2024")
        );
        assert_eq!(
            section_dir("content/nieuws").unwrap(),
            Path::new("content/nieuws")
        );
        assert!(section_dir("../elders").is_err());
        assert!(section_dir("nieuws/../../x").is_err());
    }

    #[test]
    fn reads_series_numbers() {
        assert_eq!(
            front_matter_number("---\ntitle: a\nseries: 4\n---\nx", "series"),
            Some(4)
        );
        assert_eq!(
            front_matter_number("---\nseries: \"7\"\n---\n", "series"),
            Some(7)
        );
        assert_eq!(front_matter_number("geen kop", "series"), None);
    }
}
