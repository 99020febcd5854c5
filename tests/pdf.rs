//! The PDF engine end to end: the sample evaluation report (tests/fixtures/print) with the
//! theme's real stylesheets and fonts, rendered by headless Chromium and checked with
//! poppler-utils (pdfinfo, pdftotext, pdffonts) and lopdf.
//!
//! Needs `chromium` and `poppler-utils` (CI installs both); fails with an install hint
//! when either is missing.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use bundel::pdf::{find_engine, page_count, render, PdfJob};

const TITLE: &str = "Tussenevaluatie programma vsv 2020-2024";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

/// A built-site layout: css/ and fonts/ from the theme, the report two folders down, as
/// the print view's `../../css/` links expect.
fn site() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let static_dir = root().join("themes/default/static");
    copy_dir(&static_dir.join("css"), &dir.path().join("css"));
    copy_dir(&static_dir.join("fonts"), &dir.path().join("fonts"));
    let html = dir.path().join("rapporten/tussenevaluatie/print.html");
    std::fs::create_dir_all(html.parent().unwrap()).unwrap();
    std::fs::copy(
        root().join("tests/fixtures/print/rapporten/tussenevaluatie/print.html"),
        &html,
    )
    .unwrap();
    (dir, html)
}

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!(
            "cannot run {name} ({e}): install poppler-utils (sudo apt-get install poppler-utils)"
        )
    });
    assert!(
        out.status.success(),
        "{name} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn engine() -> bundel::pdf::Engine {
    find_engine(None).unwrap_or_else(|e| {
        panic!("these tests need Chromium (CI: apt-get install -y chromium poppler-utils)\n{e}")
    })
}

/// The sample report rendered once (twice, in parallel, to check determinism) for all
/// tests in this file.
struct Rendered {
    _dir: tempfile::TempDir,
    pdf: PathBuf,
    again: PathBuf,
}

fn rendered() -> &'static Rendered {
    static R: OnceLock<Rendered> = OnceLock::new();
    R.get_or_init(|| {
        let (dir, html) = site();
        let pdf = dir.path().join("out/tussenevaluatie.pdf");
        let again = dir.path().join("out/again.pdf");
        let jobs = [pdf.clone(), again.clone()].map(|p| PdfJob {
            html: html.clone(),
            pdf: p,
            title: TITLE.to_string(),
            online: None,
        });
        let calls = std::sync::Mutex::new(Vec::new());
        render(&engine(), &jobs, &|done, total| {
            calls.lock().unwrap().push((done, total))
        })
        .unwrap_or_else(|e| panic!("render failed: {e:?}"));
        let mut calls = calls.into_inner().unwrap();
        calls.sort();
        assert_eq!(calls, vec![(1, 2), (2, 2)], "progress after each job");
        Rendered {
            _dir: dir,
            pdf,
            again,
        }
    })
}

fn pdf_str(r: &Rendered) -> &str {
    r.pdf.to_str().unwrap()
}

fn page_text(r: &Rendered, page: usize) -> String {
    let p = page.to_string();
    tool(
        "pdftotext",
        &["-layout", "-f", &p, "-l", &p, pdf_str(r), "-"],
    )
}

#[test]
fn a4_tagged_titled_in_dutch() {
    let r = rendered();
    let info = tool("pdfinfo", &[pdf_str(r)]);
    assert!(info.contains("(A4)"), "{info}");
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(
        info.contains(&format!("Title:           {TITLE}")),
        "{info}"
    );
    assert!(
        !info.contains("CreationDate"),
        "no build-time dates: {info}"
    );
    let pages = page_count(&r.pdf).unwrap();
    assert!((10..=18).contains(&pages), "{pages} pages");
    assert!(
        info.contains(&format!("Pages:           {pages}")),
        "{info}"
    );

    let doc = lopdf::Document::load(&r.pdf).unwrap();
    let catalog = doc.catalog().unwrap();
    assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"nl");
    let tree = doc
        .get_dictionary(
            catalog
                .get(b"StructTreeRoot")
                .unwrap()
                .as_reference()
                .unwrap(),
        )
        .unwrap();
    let roles = tree.get(b"RoleMap").unwrap().as_dict().unwrap();
    assert_eq!(roles.get(b"Aside").unwrap().as_name().unwrap(), b"Sect");
    assert!(catalog.has(b"Metadata"), "XMP metadata");
    let prefs = catalog
        .get(b"ViewerPreferences")
        .unwrap()
        .as_dict()
        .unwrap();
    assert_eq!(
        prefs.get(b"DisplayDocTitle").unwrap(),
        &lopdf::Object::Boolean(true)
    );
}

#[test]
fn fonts_are_embedded() {
    let fonts = tool("pdffonts", &[pdf_str(rendered())]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        // columns: name type encoding emb sub uni object ID; "emb" is the 3rd from the
        // right-hand group of yes/no flags.
        let flags: Vec<&str> = row
            .split_whitespace()
            .filter(|w| *w == "yes" || *w == "no")
            .collect();
        assert_eq!(flags.first(), Some(&"yes"), "not embedded: {row}");
    }
}

#[test]
fn headings_and_captions_in_reading_order() {
    let text = tool("pdftotext", &[pdf_str(rendered()), "-"]);
    // In lower case: the stylesheet sets figure labels in capitals, which some fonts'
    // text extraction keeps.
    let flat = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    let expected = [
        TITLE,
        "Inhoud",
        "1 Inleiding",
        "1.1 Aanleiding",
        "Beoogde effecten",
        "1.2 Onderzoeksvragen",
        "2 De cijfers",
        "2.1 Ontwikkeling van het vsv-aandeel",
        "Figuur 2.1 Vsv-aandeel in de Achterhoek en landelijk",
        "Tabel 2.1 Streefcijfers van het programma",
        "Tabel 2.2 Voortijdig schoolverlaters per onderwijstype",
        "Figuur 2.2",
        "2.2.1 De entreeopleiding",
        "Tabel 2.3 Uitschrijvingen zonder startkwalificatie",
        "Figuur 2.3 Redenen van uitval",
        "Tabel 2.4 Verzuimmeldingen mbo",
        "3 Aanpak en uitvoering",
        "Tabel 3.1 Activiteiten van het programma",
        "Actiepunten",
        "4 Conclusies en aanbevelingen",
        "4.2 Aanbevelingen",
    ];
    // Skip past the table of contents, which repeats the chapter titles.
    let at = flat.find("pagina 2 van").expect("page 2 footer");
    let mut pos = 0;
    for (k, e) in expected.iter().enumerate() {
        let from = if k < 2 { pos } else { pos.max(at) };
        let found = flat[from..]
            .find(&e.to_lowercase())
            .unwrap_or_else(|| panic!("`{e}` missing or out of order after byte {from}"));
        pos = from + found + e.len();
    }
    for n in ["1,45%", "1,87%", "6.291", "9.435"] {
        assert!(flat.contains(n), "Dutch number {n} missing");
    }
    assert!(
        !flat.contains("Gegevens bij figuur"),
        "chart data tables are screen-only"
    );
}

#[test]
fn cover_has_no_furniture_and_later_pages_are_numbered() {
    let r = rendered();
    let n = page_count(&r.pdf).unwrap();
    let cover = page_text(r, 1);
    assert!(!cover.contains("pagina"), "cover: {cover}");
    let flat = cover.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(
        flat.matches(TITLE).count(),
        1,
        "cover shows the title once (no running title): {cover}"
    );
    let toc = page_text(r, 2);
    assert!(toc.contains(&format!("pagina 2 van {n}")), "{toc}");
    assert!(toc.contains(TITLE), "running title on page 2: {toc}");
    let last = page_text(r, n);
    assert!(last.contains(&format!("pagina {n} van {n}")), "{last}");
}

#[test]
fn toc_page_numbers_point_at_the_chapters() {
    let r = rendered();
    let toc = page_text(r, 2);
    let n = page_count(&r.pdf).unwrap();
    for (entry, heading) in [
        ("Inleiding", "1 Inleiding"),
        ("De cijfers", "2 De cijfers"),
        ("Aanpak en uitvoering", "3 Aanpak en uitvoering"),
        (
            "Conclusies en aanbevelingen",
            "4 Conclusies en aanbevelingen",
        ),
    ] {
        let line = toc
            .lines()
            .find(|l| l.contains(entry))
            .unwrap_or_else(|| panic!("TOC entry {entry} missing: {toc}"));
        let page: usize = line
            .split_whitespace()
            .last()
            .and_then(|w| w.parse().ok())
            .unwrap_or_else(|| panic!("no page number in TOC line `{line}`"));
        assert!(page > 2 && page <= n, "{line}");
        let text = page_text(r, page);
        assert!(
            text.lines()
                .filter(|l| !l.trim().is_empty())
                .take(3)
                .any(|l| l.contains(heading)),
            "TOC says {entry} is on page {page}, but it starts:\n{text}"
        );
    }
}

#[test]
fn bookmarks_follow_the_headings() {
    let doc = lopdf::Document::load(&rendered().pdf).unwrap();
    let outline = doc.catalog().unwrap().get(b"Outlines").unwrap();
    let root = doc.get_dictionary(outline.as_reference().unwrap()).unwrap();
    let mut titles = Vec::new();
    fn walk(
        doc: &lopdf::Document,
        id: Option<lopdf::ObjectId>,
        depth: usize,
        out: &mut Vec<String>,
    ) {
        let mut cur = id;
        while let Some(i) = cur {
            let d = doc.get_dictionary(i).unwrap();
            let t = lopdf::decode_text_string(d.get(b"Title").unwrap()).unwrap();
            out.push(format!("{}{t}", "  ".repeat(depth)));
            walk(
                doc,
                d.get(b"First").and_then(|o| o.as_reference()).ok(),
                depth + 1,
                out,
            );
            cur = d.get(b"Next").and_then(|o| o.as_reference()).ok();
        }
    }
    walk(
        &doc,
        root.get(b"First").and_then(|o| o.as_reference()).ok(),
        0,
        &mut titles,
    );
    let expected_start = [
        TITLE,
        "Inhoud",
        "1 Inleiding",
        "  1.1 Aanleiding",
        "  1.2 Onderzoeksvragen",
        "  1.3 Werkwijze en leeswijzer",
        "2 De cijfers",
        "  2.1 Ontwikkeling van het vsv-aandeel",
        "  2.2 Voortijdig schoolverlaten per onderwijstype",
        "    2.2.1 De entreeopleiding",
    ];
    assert_eq!(
        &titles[..expected_start.len()],
        &expected_start,
        "{titles:#?}"
    );
    assert!(titles.contains(&"4 Conclusies en aanbevelingen".to_string()));
}

#[test]
fn links_are_clickable_and_charts_are_vectors() {
    let doc = lopdf::Document::load(&rendered().pdf).unwrap();
    let pages = doc.get_pages();
    let toc_page = doc.get_dictionary(pages[&2]).unwrap();
    let annots = toc_page.get(b"Annots").unwrap();
    let annots = match annots {
        lopdf::Object::Reference(id) => doc.get_object(*id).unwrap().as_array().unwrap(),
        o => o.as_array().unwrap(),
    };
    assert!(
        annots.len() >= 17,
        "every TOC entry links: {}",
        annots.len()
    );
    let images = doc
        .objects
        .values()
        .filter(|o| {
            o.as_stream()
                .map(|s| s.dict.get(b"Subtype").and_then(|t| t.as_name()).ok() == Some(b"Image"))
                .unwrap_or(false)
        })
        .count();
    assert_eq!(
        images, 0,
        "the sample has no pictures; charts must not become images"
    );
}

#[test]
fn output_is_deterministic() {
    let r = rendered();
    let a = std::fs::read(&r.pdf).unwrap();
    let b = std::fs::read(&r.again).unwrap();
    assert!(a == b, "two renders of the same page differ");
}

#[test]
fn errors_name_the_html_file() {
    let (dir, html) = site();
    std::fs::remove_file(dir.path().join("css/print.css")).unwrap();
    let missing = dir.path().join("nope/print.html");
    let jobs = [
        PdfJob {
            html: html.clone(),
            pdf: dir.path().join("a.pdf"),
            title: TITLE.into(),
            online: None,
        },
        PdfJob {
            html: missing.clone(),
            pdf: dir.path().join("b.pdf"),
            title: TITLE.into(),
            online: None,
        },
    ];
    let errors = render(&engine(), &jobs, &|_, _| {}).unwrap_err();
    assert_eq!(errors.len(), 2, "{errors:?}");
    let by_file = |p: &Path| {
        errors
            .iter()
            .find(|f| f.html == p)
            .map(|f| f.message.clone())
    };
    let css = by_file(&html).expect("the page whose stylesheet is missing");
    assert!(css.contains("print.css"), "{css}");
    assert!(by_file(&missing).is_some(), "{errors:?}");
    assert!(
        !dir.path().join("a.pdf").exists(),
        "no PDF without its stylesheet"
    );
}
