//! Finding `<img>` tags in generated HTML and writing `<picture>` markup.
//!
//! The HTML comes from pulldown-cmark or from authors' inline HTML, so attributes may be
//! quoted either way or not at all; anything that does not parse as a tag is left alone.

use std::fmt::Write;

/// An `<img>` tag: its byte range in the HTML and its attributes (values still escaped).
#[derive(Debug)]
pub struct ImgTag<'a> {
    pub start: usize,
    pub end: usize,
    pub attrs: Vec<(&'a str, Option<&'a str>)>,
}

impl<'a> ImgTag<'a> {
    pub fn get(&self, name: &str) -> Option<&'a str> {
        self.attrs
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.unwrap_or(""))
    }

    pub fn has(&self, name: &str) -> bool {
        self.attrs.iter().any(|(n, _)| n.eq_ignore_ascii_case(name))
    }
}

/// Every `<img>` tag in `html`, in order.
pub fn img_tags(html: &str) -> Vec<ImgTag<'_>> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'<', &bytes[i..]) {
        let start = i + p;
        i = start + 1;
        let rest = &bytes[start + 1..];
        if rest.len() < 4
            || !rest[..3].eq_ignore_ascii_case(b"img")
            || !(rest[3].is_ascii_whitespace() || rest[3] == b'/' || rest[3] == b'>')
        {
            continue;
        }
        if let Some((attrs, end)) = parse_attrs(html, start + 4) {
            out.push(ImgTag { start, end, attrs });
            i = end;
        }
    }
    out
}

/// Attributes from `from` up to the end of the tag; returns them and the index after `>`.
#[allow(clippy::type_complexity)]
fn parse_attrs(html: &str, from: usize) -> Option<(Vec<(&str, Option<&str>)>, usize)> {
    let b = html.as_bytes();
    let mut i = from;
    let mut attrs = Vec::new();
    loop {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        if b[i] == b'>' {
            return Some((attrs, i + 1));
        }
        let name_start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
            i += 1;
        }
        let name = &html[name_start..i];
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let q = *b.get(i)?;
            let value = if q == b'"' || q == b'\'' {
                let close = memchr::memchr(q, &b[i + 1..])? + i + 1;
                let v = &html[i + 1..close];
                i = close + 1;
                v
            } else {
                let s = i;
                while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                    i += 1;
                }
                &html[s..i]
            };
            attrs.push((name, Some(value)));
        } else {
            attrs.push((name, None));
        }
    }
}

/// True when the tag at `pos` sits inside a `<picture>` element someone wrote by hand.
pub fn inside_picture(html: &str, pos: usize) -> bool {
    let before = &html[..pos];
    match before.rfind("<picture") {
        Some(open) => before.rfind("</picture>").is_none_or(|close| close < open),
        None => false,
    }
}

/// Undoes the escaping of an attribute value.
pub fn unescape(v: &str) -> String {
    if !v.contains('&') {
        return v.to_string();
    }
    v.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// A URL path as it may stand in `srcset`, where spaces and commas separate candidates.
pub fn encode_url(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for ch in path.chars() {
        match ch {
            ' ' => out.push_str("%20"),
            ',' => out.push_str("%2C"),
            '"' => out.push_str("%22"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            _ => out.push(ch),
        }
    }
    out
}

/// What one `<img>` (or `<picture>`) should say.
pub struct Markup<'a> {
    pub src: &'a str,
    pub srcset: &'a str,
    pub webp_srcset: &'a str,
    pub sizes: &'a str,
    pub width: u32,
    pub height: u32,
    /// Other attributes, already escaped, in their order (`alt` first).
    pub attrs: &'a [(&'a str, Option<&'a str>)],
    pub lazy: bool,
}

impl Markup<'_> {
    pub fn html(&self) -> String {
        let mut img = String::with_capacity(256);
        let _ = write!(img, "<img src=\"{}\"", self.src);
        if !self.srcset.is_empty() {
            let _ = write!(img, " srcset=\"{}\" sizes=\"{}\"", self.srcset, self.sizes);
        }
        if self.width > 0 && self.height > 0 {
            let _ = write!(img, " width=\"{}\" height=\"{}\"", self.width, self.height);
        }
        for (name, value) in self.attrs {
            match value {
                Some(v) => {
                    let _ = write!(img, " {name}=\"{v}\"");
                }
                None => {
                    let _ = write!(img, " {name}");
                }
            }
        }
        let has = |n: &str| self.attrs.iter().any(|(a, _)| a.eq_ignore_ascii_case(n));
        if self.lazy && !has("loading") {
            img.push_str(" loading=\"lazy\"");
        }
        if self.lazy && !has("decoding") {
            img.push_str(" decoding=\"async\"");
        }
        img.push('>');
        if self.webp_srcset.is_empty() {
            return img;
        }
        format!(
            "<picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{}\">{img}</picture>",
            self.webp_srcset, self.sizes
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_tags_with_any_quoting() {
        let html = "<p>a <img src=\"x.jpg\" alt=\"A &amp; B\" /> b <IMG SRC='y.png' alt=y data-x>\
                    <imgx src=z> <img src=w.gif alt=\"\"></p>";
        let tags = img_tags(html);
        assert_eq!(tags.len(), 3);
        assert_eq!(tags[0].get("src"), Some("x.jpg"));
        assert_eq!(tags[0].get("alt"), Some("A &amp; B"));
        assert_eq!(
            &html[tags[0].start..tags[0].end],
            "<img src=\"x.jpg\" alt=\"A &amp; B\" />"
        );
        assert_eq!(tags[1].get("src"), Some("y.png"));
        assert_eq!(tags[1].get("alt"), Some("y"));
        assert!(tags[1].has("data-x"));
        assert_eq!(tags[2].get("alt"), Some(""));
    }

    #[test]
    fn unterminated_tags_are_ignored() {
        assert!(img_tags("<img src=\"x").is_empty());
    }

    #[test]
    fn picture_context() {
        let html = "<picture><source srcset=a><img src=b></picture><img src=c>";
        let tags = img_tags(html);
        assert!(inside_picture(html, tags[0].start));
        assert!(!inside_picture(html, tags[1].start));
    }

    #[test]
    fn urls_and_escapes() {
        assert_eq!(encode_url("a b,c.jpg"), "a%20b%2Cc.jpg");
        assert_eq!(unescape("a &amp;amp; &quot;"), "a &amp; \"");
    }

    #[test]
    fn markup_with_and_without_webp() {
        let attrs = [("alt", Some("Foto"))];
        let m = Markup {
            src: "a-800w.jpg",
            srcset: "a-480w.jpg 480w, a-800w.jpg 800w",
            webp_srcset: "a-480w.webp 480w, a-800w.webp 800w",
            sizes: "100vw",
            width: 800,
            height: 600,
            attrs: &attrs,
            lazy: true,
        };
        assert_eq!(
            m.html(),
            "<picture><source type=\"image/webp\" srcset=\"a-480w.webp 480w, a-800w.webp 800w\" sizes=\"100vw\">\
             <img src=\"a-800w.jpg\" srcset=\"a-480w.jpg 480w, a-800w.jpg 800w\" sizes=\"100vw\" width=\"800\" height=\"600\" alt=\"Foto\" loading=\"lazy\" decoding=\"async\"></picture>"
        );
        let m = Markup {
            webp_srcset: "",
            srcset: "",
            lazy: false,
            ..m
        };
        assert_eq!(
            m.html(),
            "<img src=\"a-800w.jpg\" width=\"800\" height=\"600\" alt=\"Foto\">"
        );
    }
}
