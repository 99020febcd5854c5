//! Responsive images: sizes, WebP, markup, the portrait crop and the cache, on fixture sites
//! with real JPEG, PNG, GIF and SVG files made here.

mod common;

use std::io::Cursor;
use std::path::Path;
use std::time::SystemTime;

use common::{attrs, sel, stderr, texts, Site};

/// A photo-like JPEG: gradients with fine noise, so it compresses like a photo.
fn jpeg(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let n = ((x * 7919 + y * 104_729) % 29) as u8;
        image::Rgb([
            (x * 255 / w) as u8 ^ n,
            (y * 255 / h) as u8,
            120u8.wrapping_add(n),
        ])
    });
    encode(
        image::DynamicImage::ImageRgb8(img),
        image::ImageFormat::Jpeg,
    )
}

/// A flat drawing as PNG: top part red, the rest blue (`split` rows of red).
fn png(w: u32, h: u32, split: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |_, y| {
        if y < split {
            image::Rgb([200, 30, 30])
        } else {
            image::Rgb([30, 30, 200])
        }
    });
    encode(image::DynamicImage::ImageRgb8(img), image::ImageFormat::Png)
}

fn encode(img: image::DynamicImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

fn size_of(path: &Path) -> (u32, u32) {
    image::image_dimensions(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A news page with a large photo (twice), a small drawing, an SVG and a GIF; a static image;
/// a portrait with a tall photo cut around its top.
fn site() -> Site {
    let s = Site::new();
    s.write("content/nieuws/_index.md", "---\ntitle: Nieuws\n---\n");
    s.write(
        "content/nieuws/bezoek/index.md",
        "---\ntitle: Werkbezoek\ndate: 2022-05-01\n---\n\
         Tekst.\n\n![Leerlingen & docenten in \"De Werkplaats\"](klas.jpg)\n\n\
         Meer tekst.\n\n![Dezelfde klas, later](klas.jpg \"Na de les\")\n\n\
         ![Schema van de aanpak](schema.png)\n\n![Tijdlijn](tijdlijn.svg)\n\n![Bewegend logo](logo.gif)\n\n\
         ![Kaart van de regio](/img/kaart.jpg)\n",
    );
    s.write_bytes("content/nieuws/bezoek/klas.jpg", &jpeg(1600, 1000));
    s.write_bytes("content/nieuws/bezoek/schema.png", &png(300, 200, 100));
    s.write(
        "content/nieuws/bezoek/tijdlijn.svg",
        "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 640 360\"><rect width=\"640\" height=\"360\"/></svg>\n",
    );
    let gif = encode(
        image::DynamicImage::ImageRgb8(image::RgbImage::new(50, 40)),
        image::ImageFormat::Gif,
    );
    s.write_bytes("content/nieuws/bezoek/logo.gif", &gif);
    s.write_bytes("static/img/kaart.jpg", &jpeg(900, 600));
    s.write(
        "content/portretten/_index.md",
        "---\ntitle: Portretten\npage_layout: portrait\n---\n",
    );
    s.write(
        "content/portretten/anna/index.md",
        "---\ntitle: Samen sterk\nname: Anna de Vries\nrole: Docent\nphoto: anna.png\nphoto_alt: Anna de Vries op het schoolplein\nphoto_focus: top\n---\n\
         Tekst van het portret.\n\n![Anna aan het werk](werk.jpg)\n",
    );
    s.write_bytes("content/portretten/anna/anna.png", &png(600, 900, 450));
    s.write_bytes("content/portretten/anna/werk.jpg", &jpeg(1000, 700));
    s
}

fn timings_line(out: &std::process::Output) -> String {
    stderr(out)
        .lines()
        .find(|l| l.contains("images:"))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn photos_get_sizes_webp_and_markup_that_does_not_jump() {
    let s = site();
    s.build();
    let dir = s.public().join("nieuws/bezoek");
    for (w, h) in [(480, 300), (800, 500), (1200, 750)] {
        assert_eq!(size_of(&dir.join(format!("klas-{w}w.jpg"))), (w, h));
        assert_eq!(size_of(&dir.join(format!("klas-{w}w.webp"))), (w, h));
        let jpg = std::fs::metadata(dir.join(format!("klas-{w}w.jpg")))
            .unwrap()
            .len();
        let webp = std::fs::metadata(dir.join(format!("klas-{w}w.webp")))
            .unwrap()
            .len();
        assert!(
            webp < jpg,
            "WebP {webp} should be smaller than JPEG {jpg} at {w}px"
        );
    }
    assert!(
        !dir.join("klas-1600w.jpg").exists(),
        "nothing wider than 1200 px"
    );

    let doc = s.html("nieuws/bezoek/index.html");
    let pictures: Vec<_> = doc
        .select(&sel(".prose picture"))
        .filter(|p| p.html().contains("klas") || p.html().contains("kaart"))
        .collect();
    assert_eq!(pictures.len(), 3, "two photos and the static map");
    let first = pictures[0];
    let source = first.select(&sel("source")).next().unwrap().value();
    assert_eq!(source.attr("type"), Some("image/webp"));
    assert_eq!(
        source.attr("srcset"),
        Some("../../nieuws/bezoek/klas-480w.webp 480w, ../../nieuws/bezoek/klas-800w.webp 800w, ../../nieuws/bezoek/klas-1200w.webp 1200w")
    );
    let img = first.select(&sel("img")).next().unwrap().value();
    // `src` stays the file as written; browsers choose from `srcset`.
    assert_eq!(img.attr("src"), Some("../../nieuws/bezoek/klas.jpg"));
    assert_eq!(
        img.attr("srcset"),
        Some("../../nieuws/bezoek/klas-480w.jpg 480w, ../../nieuws/bezoek/klas-800w.jpg 800w, ../../nieuws/bezoek/klas-1200w.jpg 1200w")
    );
    assert!(img.attr("sizes").unwrap().contains("42rem"));
    assert_eq!(
        (img.attr("width"), img.attr("height")),
        (Some("1200"), Some("750"))
    );
    // Smart punctuation applies to alt text as to any text.
    assert_eq!(
        img.attr("alt"),
        Some("Leerlingen & docenten in “De Werkplaats”")
    );
    // The first image may be in view when the page opens: not lazy. The rest are.
    assert_eq!(img.attr("loading"), None);
    let second = pictures[1].select(&sel("img")).next().unwrap().value();
    assert_eq!(second.attr("loading"), Some("lazy"));
    assert_eq!(second.attr("decoding"), Some("async"));
    assert_eq!(second.attr("title"), Some("Na de les"));
    assert_eq!(second.attr("alt"), Some("Dezelfde klas, later"));

    // An image from static/, linked from the site root.
    let map = pictures[2].select(&sel("img")).next().unwrap().value();
    assert_eq!(map.attr("src"), Some("../../img/kaart.jpg"));
    // Full size: the original, or a re-encoded copy where that is smaller.
    assert!(map.attr("srcset").unwrap().ends_with(" 900w"));
    assert_eq!(
        (map.attr("width"), map.attr("height")),
        (Some("900"), Some("600"))
    );
    assert_eq!(size_of(&s.public().join("img/kaart-480w.jpg")), (480, 320));
    assert!(s.exists("img/kaart.jpg"), "the original is still copied");

    // Every img has its size and its alt text.
    for img in doc.select(&sel("main img")) {
        let v = img.value();
        assert!(
            v.attr("width").is_some() && v.attr("height").is_some(),
            "{:?}",
            v
        );
        assert!(v.attr("alt").is_some_and(|a| !a.is_empty()), "{:?}", v);
    }
}

#[test]
fn small_images_svg_and_gif_are_not_enlarged_and_keep_their_size() {
    let s = site();
    s.build();
    let doc = s.html("nieuws/bezoek/index.html");
    let by_alt = |alt: &str| {
        doc.select(&sel("main img"))
            .find(|i| i.value().attr("alt") == Some(alt))
            .unwrap_or_else(|| panic!("no image `{alt}`"))
            .value()
            .clone()
    };
    // A 300 px drawing: one size, never enlarged; lossless WebP only where it is smaller.
    let schema = by_alt("Schema van de aanpak");
    assert_eq!(
        (schema.attr("width"), schema.attr("height")),
        (Some("300"), Some("200"))
    );
    assert_eq!(schema.attr("src"), Some("../../nieuws/bezoek/schema.png"));
    if let Some(srcset) = schema.attr("srcset") {
        assert!(!srcset.contains(','), "one size: {srcset}");
        let file = srcset.trim_end_matches(" 300w");
        assert_eq!(size_of(&s.public().join(&file[6..])), (300, 200));
    }
    let files: Vec<String> = std::fs::read_dir(s.public().join("nieuws/bezoek"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with("schema"))
        .collect();
    assert!(!files.iter().any(|f| f.contains("480w")), "{files:?}");

    let svg = by_alt("Tijdlijn");
    assert_eq!(svg.attr("src"), Some("../../nieuws/bezoek/tijdlijn.svg"));
    assert_eq!(
        (svg.attr("width"), svg.attr("height")),
        (Some("640"), Some("360"))
    );
    let gif = by_alt("Bewegend logo");
    assert_eq!(gif.attr("src"), Some("../../nieuws/bezoek/logo.gif"));
    assert_eq!(
        (gif.attr("width"), gif.attr("height")),
        (Some("50"), Some("40"))
    );
    assert_eq!(gif.attr("loading"), Some("lazy"));
    assert_eq!(
        doc.select(&sel("picture img[src$='.svg'], picture img[src$='.gif']"))
            .count(),
        0,
        "SVG and GIF are shown as they are"
    );
}

#[test]
fn portrait_photos_are_square_around_the_focal_point() {
    let s = site();
    s.build();
    let dir = s.public().join("portretten/anna");
    for w in [160, 320, 480] {
        let file = dir.join(format!("anna-sq{w}-50-0.png"));
        assert_eq!(size_of(&file), (w, w));
    }
    // The photo is red above row 450 of 900, blue below; cut from the top, 70% down the
    // square (row 420 of the original) is still red. A centred cut would be blue there.
    let img = image::open(dir.join("anna-sq480-50-0.png"))
        .unwrap()
        .to_rgb8();
    assert!(
        img.get_pixel(240, 336)[0] > 150,
        "{:?}",
        img.get_pixel(240, 336)
    );
    assert!(img.get_pixel(240, 470)[2] > 150);

    // The portrait page shows the photo large and whole (the square is for cards and
    // link previews), in sizes up to the original's width.
    let doc = s.html("portretten/anna/index.html");
    let photo = doc
        .select(&sel("img.portrait__photo"))
        .next()
        .unwrap()
        .value();
    assert_eq!(photo.attr("alt"), Some("Anna de Vries op het schoolplein"));
    assert_eq!(
        (photo.attr("width"), photo.attr("height")),
        (Some("600"), Some("900"))
    );
    assert_eq!(photo.attr("loading"), None, "the photo opens the page");
    let srcset = photo.attr("srcset").unwrap();
    assert!(
        srcset.contains(" 480w") && !srcset.contains("-sq"),
        "{srcset}"
    );
    assert!(attrs(&doc, ".portrait__picture source", "sizes")[0].contains("42rem"));
    // With a photo at the top, every image in the text is below the first screen.
    let work = doc.select(&sel(".prose img")).next().unwrap().value();
    assert_eq!(work.attr("loading"), Some("lazy"));

    // A shared link shows the square crop as a thumbnail.
    assert_eq!(
        attrs(&doc, "meta[property=\"og:image\"]", "content"),
        ["https://example.org/portretten/anna/anna-sq480-50-0.png"]
    );
    assert_eq!(
        attrs(&doc, "meta[property=\"og:image:alt\"]", "content"),
        ["Anna de Vries op het schoolplein"]
    );
    assert_eq!(
        attrs(&doc, "meta[name=\"twitter:card\"]", "content"),
        ["summary"]
    );
    // A news bundle without `image:` shares its first photo; the section page has none.
    assert_eq!(
        attrs(
            &s.html("nieuws/bezoek/index.html"),
            "meta[property=\"og:image\"]",
            "content"
        ),
        ["https://example.org/nieuws/bezoek/klas.jpg"]
    );
    assert!(attrs(
        &s.html("nieuws/index.html"),
        "meta[property=\"og:image\"]",
        "content"
    )
    .is_empty());

    // Cards show the same crop, small and lazy; the name next to it says who it is.
    let list = s.html("portretten/index.html");
    let card = list
        .select(&sel(".card__photo img"))
        .next()
        .unwrap()
        .value();
    assert_eq!(card.attr("alt"), Some(""));
    assert_eq!(card.attr("loading"), Some("lazy"));
    assert_eq!(card.attr("sizes"), Some("5rem"));
    assert_eq!(
        card.attr("src"),
        Some("../portretten/anna/anna-sq480-50-0.png")
    );
}

#[test]
fn a_rebuild_takes_every_image_from_the_cache() {
    let s = site();
    let first = s.bundel_env(&["build"], &[("BUNDEL_TIMINGS", "1")]);
    assert!(first.status.success(), "{}", stderr(&first));
    let line = timings_line(&first);
    assert!(!line.contains("images: 0 encoded"), "{line}");
    let cache = s.path().join(".bundel-cache/images");
    let stamps = |dir: &Path| -> Vec<(String, SystemTime)> {
        let mut v: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().to_string(),
                    e.metadata().unwrap().modified().unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    };
    let before = stamps(&cache);
    assert!(!before.is_empty());
    let output_before = common::tree(&s.public());

    let second = s.bundel_env(&["build"], &[("BUNDEL_TIMINGS", "1")]);
    assert!(second.status.success());
    assert!(
        timings_line(&second).contains("images: 0 encoded"),
        "{}",
        timings_line(&second)
    );
    assert_eq!(stamps(&cache), before, "no cache file may be written again");
    assert!(common::tree(&s.public()) == output_before, "same output");

    // A changed photo is encoded again; one that is gone leaves the cache.
    s.write_bytes("content/nieuws/bezoek/klas.jpg", &jpeg(1400, 1000));
    s.remove("static/img/kaart.jpg");
    s.write(
        "content/nieuws/bezoek/index.md",
        "---\ntitle: Werkbezoek\n---\n![Klas](klas.jpg)\n",
    );
    let third = s.bundel_env(&["build"], &[("BUNDEL_TIMINGS", "1")]);
    assert!(third.status.success(), "{}", stderr(&third));
    assert!(
        timings_line(&third).contains("images: 6 encoded"),
        "three sizes as JPEG and WebP: {}",
        timings_line(&third)
    );
    let after = stamps(&cache);
    assert!(after.len() < before.len(), "unused files are removed");
}

#[test]
fn webp_can_be_turned_off() {
    let s = site();
    s.write(
        "site.yaml",
        &format!(
            "{}images:\n  webp: false\n  widths: [400, 1000]\n",
            common::MINIMAL_CONFIG
        ),
    );
    s.build();
    let doc = s.html("nieuws/bezoek/index.html");
    assert_eq!(doc.select(&sel("picture")).count(), 0);
    assert_eq!(
        attrs(&doc, ".prose img[alt^=Leerlingen]", "srcset"),
        ["../../nieuws/bezoek/klas-400w.jpg 400w, ../../nieuws/bezoek/klas-1000w.jpg 1000w"]
    );
    let webps = common::tree(&s.public())
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "webp"))
        .count();
    assert_eq!(webps, 0);
}

#[test]
fn check_passes_and_broken_images_are_reported() {
    let s = site();
    // `bundel check` looks at the built pages: every size in every srcset must exist.
    let out = s.bundel(&["check"]);
    assert!(
        out.status.success(),
        "{}{}",
        common::stdout(&out),
        stderr(&out)
    );

    // A broken file does not stop the site: it is linked as it is, with a warning.
    s.write("content/nieuws/bezoek/klas.jpg", "geen foto");
    let out = s.build();
    let err = stderr(&out);
    assert!(
        err.contains("klas.jpg: warning: cannot read the image"),
        "{err}"
    );
    let doc = s.html("nieuws/bezoek/index.html");
    assert_eq!(
        attrs(&doc, "img[alt^=Leerlingen]", "src"),
        ["../../nieuws/bezoek/klas.jpg"]
    );

    let s = site();
    s.write(
        "content/portretten/anna/index.md",
        "---\ntitle: T\nname: Anna\nrole: Docent\nphoto: anna.png\nphoto_focus: schuin\n---\n",
    );
    let out = s.bundel(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("anna/index.md:6") && err.contains("photo_focus"),
        "{err}"
    );
}

#[test]
fn a_report_cover_image_is_shown_in_several_sizes_on_the_web_and_the_print_cover() {
    let s = Site::new();
    s.write(
        "content/rapporten/_index.md",
        "---\ntitle: Rapporten\n---\n",
    );
    s.write(
        "content/rapporten/evaluatie/_index.md",
        "---\ntype: report\ntitle: Evaluatie\ncover: omslag.jpg\ncover_alt: Leerlingen op het schoolplein\ncover_credit: \"Foto: Jan & Piet\"\n---\nVoorwoord.\n",
    );
    s.write(
        "content/rapporten/evaluatie/01-inleiding.md",
        "---\ntitle: Inleiding\n---\nTekst.\n",
    );
    s.write_bytes("content/rapporten/evaluatie/omslag.jpg", &jpeg(1600, 900));
    s.build();
    for page in [
        "rapporten/evaluatie/index.html",
        "rapporten/evaluatie/print/index.html",
    ] {
        let doc = s.html(page);
        let img = doc
            .select(&sel("figure.cover-image img"))
            .next()
            .unwrap_or_else(|| panic!("{page}: no cover image"))
            .value();
        assert_eq!(img.attr("alt"), Some("Leerlingen op het schoolplein"));
        assert_eq!(
            (img.attr("width"), img.attr("height")),
            (Some("1200"), Some("675"))
        );
        assert!(
            img.attr("srcset").unwrap().contains("omslag-480w.jpg 480w"),
            "{page}"
        );
        assert_eq!(
            texts(&doc, "figure.cover-image figcaption"),
            ["Foto: Jan & Piet"]
        );
    }
    assert_eq!(
        size_of(&s.public().join("rapporten/evaluatie/omslag-480w.jpg")),
        (480, 270)
    );
    // A shared link shows the cover, from an absolute URL, with its alt text.
    let doc = s.html("rapporten/evaluatie/index.html");
    let og = |p: &str| attrs(&doc, &format!("meta[property=\"og:{p}\"]"), "content");
    assert_eq!(
        og("image"),
        ["https://example.org/rapporten/evaluatie/omslag-1200w.jpg"]
    );
    assert_eq!(og("image:alt"), ["Leerlingen op het schoolplein"]);
    assert_eq!(og("url"), ["https://example.org/rapporten/evaluatie/"]);
    assert_eq!(og("title"), ["Evaluatie"]);
    assert_eq!(
        attrs(&doc, "meta[name=\"twitter:card\"]", "content"),
        ["summary_large_image"]
    );
    // Chapters do not repeat the cover.
    assert!(s
        .html("rapporten/evaluatie/inleiding/index.html")
        .select(&sel("figure.cover-image"))
        .next()
        .is_none());

    // A cover that is not there is named, with the file it was looked for in.
    std::fs::remove_file(s.path().join("content/rapporten/evaluatie/omslag.jpg")).unwrap();
    let out = s.bundel(&["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("content/rapporten/evaluatie/_index.md"),
        "{err}"
    );
    assert!(err.contains("omslag.jpg"), "{err}");
}

#[test]
fn pages_without_a_picture_share_the_site_image() {
    let s = site();
    s.write(
        "site.yaml",
        "title: Testsite\nbase_url: https://example.org/rmc\nshare_image: /img/delen.png\n",
    );
    s.write_bytes("static/img/delen.png", &png(1200, 630, 300));
    s.build();
    let og = |page: &str| attrs(&s.html(page), "meta[property=\"og:image\"]", "content");
    assert_eq!(
        og("nieuws/index.html"),
        ["https://example.org/rmc/img/delen.png"]
    );
    // A page's own picture comes first.
    assert_eq!(
        og("nieuws/bezoek/index.html"),
        ["https://example.org/rmc/nieuws/bezoek/klas.jpg"]
    );

    // A file that is not there is named, at its line in site.yaml.
    s.write(
        "site.yaml",
        "title: Testsite\nbase_url: https://example.org/\nshare_image: img/weg.png\n",
    );
    let out = s.bundel(&["build"]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains("site.yaml:3:") && err.contains("static/img/weg.png"),
        "{err}"
    );
    // and a path may not leave static/
    s.write(
        "site.yaml",
        "title: Testsite\nbase_url: https://example.org/\nshare_image: ../site.yaml\n",
    );
    assert_eq!(s.bundel(&["build"]).status.code(), Some(1));
}
