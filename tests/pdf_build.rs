//! `bundel build --pdf` end to end: a report and a publication marked `pdf: true` get a PDF
//! beside their page, the pages link to it with type and size, and the PDF is a tagged A4
//! document with the report's headings, captions and Dutch numbers. Needs Chromium and
//! poppler-utils (installed by `.ci/run`).

mod common;

use std::process::Command;

use common::*;

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("`{name}` is needed for the PDF tests ({e}): apt-get install -y poppler-utils (or run `bash .ci/run`)"));
    assert!(
        out.status.success(),
        "{name} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn report_site() -> Site {
    let s = Site::new();
    s.write(
        "site.yaml",
        "title: RMC-regio\nbase_url: https://example.org/rmc/\n",
    );
    s.write(
        "data/trend.csv",
        "schooljaar;regio;landelijk\n2019/2020;1,20;1,72\n2020/2021;1,45;1,87\n",
    );
    s.write(
        "data/instellingen.csv",
        "instelling,aantal\nGraafschap College,6291\nRijn IJssel,896\n",
    );
    s.write(
        "content/rapport/_index.md",
        "---\ntitle: Tussenevaluatie vsv\ntype: report\npdf: true\nsubtitle: Halverwege\nauthors: [A. Auteur]\ndate: 2022-11-15\nsort_by: weight\ncover: omslag.png\n---\nEen kort voorwoord.\n",
    );
    // The cover image is known only once the report's page is rendered; the PDF needs it.
    let cover = image::RgbImage::from_fn(900, 500, |x, _| image::Rgb([(x % 256) as u8, 80, 160]));
    let mut png = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(cover)
        .write_to(&mut png, image::ImageFormat::Png)
        .unwrap();
    s.write_bytes("content/rapport/omslag.png", png.get_ref());
    s.write("content/rapport/01-inleiding.md", "---\ntitle: Inleiding\nweight: 1\n---\n## Aanleiding\n\nZie @fig-trend.[^1]\n\n[^1]: Een noot.\n");
    s.write(
        "content/rapport/02-cijfers.md",
        "---\ntitle: De cijfers\nweight: 2\n---\n## Trend\n\n```chart\ntype: line\ndata: trend\nx: schooljaar\ny: [regio, landelijk]\nunit: \"%\"\ntitle: Vsv-aandeel regio en landelijk\nsource: DUO\nid: fig-trend\n```\n\n```table\ndata: instellingen\ntotal: sum\ntitle: Deelnemers per instelling\nid: tbl-instellingen\n```\n",
    );
    s
}

#[test]
fn reports_get_a_tagged_a4_pdf_linked_from_their_pages() {
    let s = report_site();
    let out = s.bundel(&["build", "--pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let pdf = s.public().join("rapport/rapport.pdf");
    assert!(pdf.exists(), "the PDF sits beside the report's page");
    let pdf = pdf.to_str().unwrap();

    let info = tool("pdfinfo", &[pdf]);
    assert!(
        info.contains("Page size:") && info.contains("(A4)"),
        "{info}"
    );
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(
        info.contains("Title:           Tussenevaluatie vsv"),
        "{info}"
    );
    let pages: usize = info.lines().find(|l| l.starts_with("Pages:")).unwrap()[6..]
        .trim()
        .parse()
        .unwrap();
    assert!((4..=10).contains(&pages), "{pages} pages");

    let text = tool("pdftotext", &["-layout", pdf, "-"]);
    // Compared in lower case: figure labels are set in capitals by the stylesheet.
    let lower = text.to_lowercase();
    let order = [
        "tussenevaluatie vsv",
        "inhoud",
        "1 inleiding",
        "1.1 aanleiding",
        "2 de cijfers",
        "figuur 2.1",
        "tabel 2.1",
    ];
    let mut at = 0;
    for needle in order {
        let found = lower[at..]
            .find(needle)
            .unwrap_or_else(|| panic!("`{needle}` missing or out of order in:\n{text}"));
        at += found;
    }
    assert!(text.contains("6.291"), "Dutch thousands in the table");
    assert!(text.contains("7.187"), "the computed total");
    assert!(text.contains("pagina 2 van"), "page numbers in the footer");

    // The document language and the bookmarks (outline) are in the file.
    let raw = std::fs::read(pdf).unwrap();
    let raw = String::from_utf8_lossy(&raw);
    assert!(
        raw.contains("/Lang (nl)") || raw.contains("/Lang(nl)"),
        "document language"
    );
    assert!(raw.contains("/Outlines"), "bookmarks");
    let images = tool("pdfimages", &["-list", pdf]);
    assert!(
        images.lines().count() > 2,
        "the cover image is in the PDF:\n{images}"
    );

    // The pages link to it with type and size.
    let doc = s.html("rapport/index.html");
    let links = texts(&doc, "a.download");
    assert_eq!(links.len(), 1, "{links:?}");
    assert!(
        links[0].starts_with("Download rapport (PDF, ") && links[0].ends_with("kB)"),
        "{links:?}"
    );
    assert_eq!(
        attrs(&doc, "a.download", "href"),
        ["../rapport/rapport.pdf"]
    );
}

#[test]
fn without_pdf_there_is_no_pdf_and_no_link_to_one() {
    let s = report_site();
    s.build();
    assert!(!s.public().join("rapport/rapport.pdf").exists());
    assert!(s
        .html("rapport/index.html")
        .select(&sel("a[href$='.pdf']"))
        .next()
        .is_none());
}

#[test]
fn a_missing_engine_says_how_to_install_one() {
    let s = report_site();
    s.write(
        "site.yaml",
        "title: RMC-regio\npdf_engine: /nergens/chromium\n",
    );
    let out = s.bundel(&["build", "--pdf"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.contains("site.yaml:2"), "{err}");
    assert!(err.contains("/nergens/chromium"), "{err}");
    assert!(
        !s.public().exists(),
        "nothing is written when the engine is missing"
    );
}

#[test]
fn factsheets_get_one_or_two_page_pdfs() {
    let s = Site::new();
    s.write("site.yaml", "title: RMC\nbase_url: https://example.org/\n");
    s.write(
        "data/vsv.csv",
        "regio,schooljaar,percentage,aantal\nAchterhoek,2019/2020,1.20,300\nAchterhoek,2020/2021,1.45,433\nTwente,2020/2021,1.58,700\n",
    );
    s.write(
        "content/factsheets/_index.md",
        "---\ntitle: Vsv in cijfers\npdf: true\ngenerate:\n  data: vsv\n  key: [regio, schooljaar]\n  title: \"Vsv in cijfers {regio} {schooljaar}\"\n---\n",
    );
    s.write(
        "content/factsheets/_factsheet.md",
        "```kpi\n- {label: Aandeel, data: vsv, value: percentage, unit: \"%\", previous: true, rank: true, lower_is_better: true}\n```\n",
    );
    let out = s.bundel(&["build", "--pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let pdf = s
        .public()
        .join("factsheets/achterhoek/2020-2021/vsv-in-cijfers-achterhoek-2020-2021.pdf");
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    let pages: usize = info.lines().find(|l| l.starts_with("Pages:")).unwrap()[6..]
        .trim()
        .parse()
        .unwrap();
    assert!((1..=2).contains(&pages), "{info}");
    assert!(
        info.contains("Title:           Vsv in cijfers Achterhoek 2020/2021"),
        "{info}"
    );
    let text = tool("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    assert!(text.contains("1,45%") && text.contains("van 2"), "{text}");
    let doc = s.html("factsheets/achterhoek/2020-2021/index.html");
    assert_eq!(
        attrs(&doc, "a.download", "href"),
        ["../../../factsheets/achterhoek/2020-2021/vsv-in-cijfers-achterhoek-2020-2021.pdf"]
    );
}

#[test]
fn links_in_the_pdf_are_web_addresses_never_the_build_folder() {
    browser_tools(
        "the PDF tests",
        &[("chromium", "apt-get install -y chromium")],
    );
    for (base, web) in [("https://example.org/rmc/", true), ("/", false)] {
        let s = report_site();
        s.write(
            "site.yaml",
            &format!("title: RMC-regio\nbase_url: {base}\n"),
        );
        s.write(
            "content/over-ons.md",
            "---\ntitle: Over ons\n---\nWie wij zijn.\n",
        );
        s.write(
            "content/rapport/03-meer.md",
            "---\ntitle: Meer\nweight: 3\n---\nLees [over ons](../../over-ons/).\n",
        );
        let out = s.bundel(&["build", "--pdf"]);
        assert!(out.status.success(), "{}", stderr(&out));
        let pdf = std::fs::read(s.public().join("rapport/rapport.pdf")).unwrap();
        let raw = String::from_utf8_lossy(&pdf);
        assert!(
            !raw.contains("file:"),
            "{base}: no link into the build folder"
        );
        assert_eq!(
            raw.contains("URI(https://example.org/rmc/over-ons/)"),
            web,
            "{base}: the page's web address"
        );
    }
}

/// The "PDF: N printed, M unchanged" line of a build, as (printed, reused); (all, 0) when the
/// build reused nothing and so says nothing.
fn reuse(out: &std::process::Output) -> Option<(usize, usize)> {
    // One line per batch: the long documents, then the factsheets.
    let err = stderr(out);
    let mut found = None;
    for line in err.lines().filter(|l| l.starts_with("PDF: ")) {
        let nums: Vec<usize> = line
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse().ok())
            .collect();
        let (p, r) = found.unwrap_or((0, 0));
        found = Some((p + nums[0], r + nums[1]));
    }
    found
}

#[test]
fn unchanged_documents_reuse_their_pdf_and_any_changed_input_prints_again() {
    let s = report_site();
    s.write(
        "data/vsv.csv",
        "regio,schooljaar,percentage\nAchterhoek,2020/2021,1.45\nTwente,2020/2021,1.58\n",
    );
    s.write(
        "content/factsheets/_index.md",
        "---\ntitle: Vsv in cijfers\npdf: true\ngenerate:\n  data: vsv\n  key: [regio, schooljaar]\n  title: \"Vsv in cijfers {regio} {schooljaar}\"\n---\n",
    );
    s.write(
        "content/factsheets/_factsheet.md",
        "```kpi\n- {label: Aandeel, data: vsv, value: percentage, unit: \"%\"}\n```\n",
    );
    let pdfs = [
        "factsheets/achterhoek/2020-2021/vsv-in-cijfers-achterhoek-2020-2021.pdf",
        "factsheets/twente/2020-2021/vsv-in-cijfers-twente-2020-2021.pdf",
        "rapport/rapport.pdf",
    ];
    let read_all = || -> Vec<Vec<u8>> {
        pdfs.iter()
            .map(|p| std::fs::read(s.public().join(p)).unwrap_or_else(|e| panic!("{p}: {e}")))
            .collect()
    };

    let out = s.bundel(&["build", "--pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(reuse(&out), None, "a first build prints everything");
    let first = read_all();

    // Nothing changed: nothing is printed, and the PDFs are the same bytes.
    let out = s.bundel(&["build", "--pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(reuse(&out), Some((0, 3)), "{}", stderr(&out));
    assert_eq!(read_all(), first);

    // One figure changed: only its factsheet is printed, and it shows the new figure.
    s.write(
        "data/vsv.csv",
        "regio,schooljaar,percentage\nAchterhoek,2020/2021,1.45\nTwente,2020/2021,1.62\n",
    );
    let out = s.bundel(&["build", "--pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(reuse(&out), Some((1, 2)), "{}", stderr(&out));
    let twente = s.public().join(pdfs[1]);
    let text = tool("pdftotext", &[twente.to_str().unwrap(), "-"]);
    assert!(text.contains("1,62%") && !text.contains("1,58%"), "{text}");
    let third = read_all();
    assert_eq!(third[0], first[0]);
    assert_ne!(third[1], first[1]);

    // A file the PDF shows but the HTML only links to (the report's cover image) counts too.
    let cover = image::RgbImage::from_fn(900, 500, |x, _| image::Rgb([20, (x % 256) as u8, 60]));
    let mut png = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(cover)
        .write_to(&mut png, image::ImageFormat::Png)
        .unwrap();
    s.write_bytes("content/rapport/omslag.png", png.get_ref());
    let out = s.bundel(&["build", "--pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The report's batch reused nothing, so only the factsheets' line is there.
    assert_eq!(reuse(&out), Some((0, 2)), "{}", stderr(&out));
    let fourth = read_all();
    assert_eq!(fourth[..2], third[..2]);
    assert_ne!(
        fourth[2], third[2],
        "the report with its new cover was printed again"
    );

    // A damaged cache file is never published: the document is printed again.
    let cache = s.path().join(".bundel-cache/pdf");
    for e in std::fs::read_dir(&cache).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "pdf") {
            std::fs::write(&p, b"%PDF-1.7 damaged").unwrap();
        }
    }
    let out = s.bundel(&["build", "--pdf"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(reuse(&out), None, "{}", stderr(&out));
    for p in pdfs {
        let info = tool("pdfinfo", &[s.public().join(p).to_str().unwrap()]);
        assert!(info.contains("Tagged:          yes"), "{p}: {info}");
    }
}
