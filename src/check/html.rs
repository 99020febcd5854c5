//! Reading generated HTML: the ids a page offers as anchors, the URLs it refers to, and its
//! images with their alt text.

use std::collections::HashSet;

use scraper::{ElementRef, Html};

/// One URL in an attribute of a generated page.
#[derive(Debug, Clone)]
pub struct Ref {
    /// The attribute's value as the browser sees it (entities decoded).
    pub value: String,
    /// From `<img>`, `<source>`, `<video poster>`...: a missing target is a missing image.
    pub image: bool,
}

#[derive(Debug, Clone)]
pub struct Img {
    pub src: String,
    /// `None` when the attribute is absent.
    pub alt: Option<String>,
    /// Marked decorative with `role="presentation"`/`"none"` or `aria-hidden="true"`.
    pub decorative: bool,
}

#[derive(Debug, Default)]
pub struct Scan {
    pub ids: HashSet<String>,
    pub refs: Vec<Ref>,
    pub imgs: Vec<Img>,
}

pub fn scan(html: &str) -> Scan {
    let doc = Html::parse_document(html);
    let mut out = Scan::default();
    for node in doc.tree.nodes() {
        let Some(el) = ElementRef::wrap(node) else {
            continue;
        };
        let e = el.value();
        let name = e.name();
        if let Some(id) = e.id() {
            out.ids.insert(id.to_string());
        }
        if name == "a" {
            if let Some(n) = e.attr("name") {
                out.ids.insert(n.to_string());
            }
        }
        // `<base>` would change how every other link resolves; bundel never writes one.
        if name == "base" {
            continue;
        }
        let image = matches!(name, "img" | "source" | "picture" | "image");
        for (attr, value) in e.attrs() {
            match attr {
                "href" | "src" | "xlink:href" => out.refs.push(Ref {
                    value: value.to_string(),
                    image,
                }),
                "poster" => out.refs.push(Ref {
                    value: value.to_string(),
                    image: true,
                }),
                "data" if name == "object" => out.refs.push(Ref {
                    value: value.to_string(),
                    image: false,
                }),
                "srcset" => out.refs.extend(srcset(value).map(|v| Ref {
                    value: v,
                    image: true,
                })),
                _ => {}
            }
        }
        if name == "img" {
            let role = e.attr("role").unwrap_or("").trim();
            out.imgs.push(Img {
                src: e.attr("src").unwrap_or("").to_string(),
                alt: e.attr("alt").map(str::to_string),
                decorative: role == "presentation"
                    || role == "none"
                    || e.attr("aria-hidden") == Some("true"),
            });
        }
    }
    out
}

/// The URLs of a `srcset` (`a.png 1x, b.png 2x`).
fn srcset(value: &str) -> impl Iterator<Item = String> + '_ {
    value
        .split(',')
        .filter_map(|candidate| candidate.split_whitespace().next().map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_ids_refs_and_images() {
        let s = scan(
            r##"<html><body><h2 id="kop">K</h2><a name="oud"></a><a href="../a/#kop">a</a>
            <img src="x.png"><img src="y.png" alt=""><img src="z.png" role="presentation">
            <img srcset="s1.png 1x, s2.png 2x" src="s.png" alt="S">
            <svg><use href="#sym"></use></svg><a href="mailto:a@b">m</a></body></html>"##,
        );
        assert!(s.ids.contains("kop") && s.ids.contains("oud"));
        let refs: Vec<&str> = s.refs.iter().map(|r| r.value.as_str()).collect();
        for r in [
            "../a/#kop",
            "x.png",
            "s1.png",
            "s2.png",
            "#sym",
            "mailto:a@b",
        ] {
            assert!(refs.contains(&r), "{r} in {refs:?}");
        }
        assert_eq!(s.imgs.len(), 4);
        assert_eq!(s.imgs[0].alt, None);
        assert_eq!(s.imgs[1].alt.as_deref(), Some(""));
        assert!(s.imgs[2].decorative);
    }
}
