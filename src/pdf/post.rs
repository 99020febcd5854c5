//! Small edits to the PDF Chromium wrote, none of which touch page content or tags:
//! bookmark titles and nesting, document metadata, and reading where named destinations are.

use std::collections::{HashMap, HashSet};

use lopdf::{text_string, Dictionary, Document, Object, ObjectId, Stream};

pub struct Meta<'a> {
    pub title: &'a str,
    /// The page's `lang`; used only when the PDF has no `/Lang`.
    pub lang: &'a str,
    /// Seconds since 1970 for `/CreationDate` and `/ModDate`; none means no dates, so that
    /// the same site gives byte-identical PDFs on every build.
    pub date: Option<i64>,
}

/// A rendered heading in document order: what the bookmark should say, and how deep it sits.
pub struct Heading {
    pub level: u8,
    pub text: String,
}

pub fn load(bytes: &[u8]) -> Result<Document, String> {
    Document::load_mem(bytes).map_err(|e| format!("cannot read the PDF the browser wrote: {e}"))
}

/// The text of all pages, in content order; empty where lopdf cannot decode a font.
pub fn text(doc: &Document) -> String {
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).unwrap_or_default()
}

/// Page number (1-based) of every named destination. Chromium names one for each element
/// id that a link in the document points at.
pub fn named_destination_pages(doc: &Document) -> HashMap<String, u32> {
    let pages: HashMap<ObjectId, u32> =
        doc.get_pages().into_iter().map(|(n, id)| (id, n)).collect();
    let mut out = HashMap::new();
    let Ok(catalog) = doc.catalog() else {
        return out;
    };
    let mut add = |name: &[u8], dest: &Object| {
        let dest = deref(doc, dest);
        let arr = match dest {
            Object::Array(a) => Some(a),
            Object::Dictionary(d) => d
                .get(b"D")
                .ok()
                .map(|o| deref(doc, o))
                .and_then(|o| o.as_array().ok()),
            _ => None,
        };
        let page = arr
            .and_then(|a| a.first())
            .and_then(|p| p.as_reference().ok())
            .and_then(|id| pages.get(&id));
        if let Some(p) = page {
            out.insert(String::from_utf8_lossy(name).into_owned(), *p);
        }
    };
    // PDF 1.1 style: a dictionary in the catalog (what Skia writes).
    if let Some(Object::Dictionary(d)) = catalog.get(b"Dests").ok().map(|o| deref(doc, o)) {
        for (k, v) in d.iter() {
            add(k, v);
        }
    }
    // PDF 1.2 style: a name tree under /Names /Dests.
    if let Some(Object::Dictionary(names)) = catalog.get(b"Names").ok().map(|o| deref(doc, o)) {
        if let Ok(root) = names.get(b"Dests") {
            let mut stack = vec![deref(doc, root)];
            let mut seen = 0;
            while let Some(Object::Dictionary(node)) = stack.pop() {
                seen += 1;
                if seen > 10_000 {
                    break;
                }
                if let Ok(Object::Array(pairs)) = node.get(b"Names").map(|o| deref(doc, o)) {
                    for pair in pairs.chunks(2) {
                        if let [Object::String(k, _), v] = pair {
                            add(k, v);
                        }
                    }
                }
                if let Ok(Object::Array(kids)) = node.get(b"Kids").map(|o| deref(doc, o)) {
                    stack.extend(kids.iter().map(|k| deref(doc, k)));
                }
            }
        }
    }
    out
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(o),
        _ => o,
    }
}

/// Applies title, metadata and bookmarks; returns the bytes to write.
pub fn finish(mut doc: Document, meta: &Meta, headings: &[Heading]) -> Result<Vec<u8>, String> {
    fix_outline(&mut doc, headings);
    renumber_structure_ids(&mut doc);
    add_role_map(&mut doc);
    set_metadata(&mut doc, meta)?;
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| format!("cannot write the PDF: {e}"))?;
    Ok(out)
}

/// Outline items in reading order (depth first), guarded against loops.
fn outline_items(doc: &Document) -> Option<(ObjectId, Vec<ObjectId>)> {
    let root = doc
        .catalog()
        .ok()?
        .get(b"Outlines")
        .ok()?
        .as_reference()
        .ok()?;
    let mut items = Vec::new();
    let mut seen = HashSet::new();
    fn walk(
        doc: &Document,
        first: Option<ObjectId>,
        items: &mut Vec<ObjectId>,
        seen: &mut HashSet<ObjectId>,
    ) {
        let mut cur = first;
        while let Some(id) = cur {
            if !seen.insert(id) {
                return;
            }
            items.push(id);
            let Ok(d) = doc.get_dictionary(id) else {
                return;
            };
            let child = d.get(b"First").and_then(Object::as_reference).ok();
            let next = d.get(b"Next").and_then(Object::as_reference).ok();
            walk(doc, child, items, seen);
            cur = next;
        }
    }
    let first = doc
        .get_dictionary(root)
        .ok()?
        .get(b"First")
        .and_then(Object::as_reference)
        .ok();
    walk(doc, first, &mut items, &mut seen);
    Some((root, items))
}

/// Chromium makes one bookmark per rendered heading, but builds the title from the painted
/// text runs: a heading that wraps loses the space at the wrap ("Tussenevaluatieprogramma"),
/// and some headings come out doubled. The page's own heading texts replace them, and the
/// nesting follows the given levels. When the counts differ the outline is left as it is:
/// a wrong title is better than a bookmark that points at another heading.
fn fix_outline(doc: &mut Document, headings: &[Heading]) {
    let Some((root, items)) = outline_items(doc) else {
        return;
    };
    if items.is_empty() || items.len() != headings.len() {
        return;
    }
    // Parent of each item by level: the nearest earlier item with a lower level.
    let mut parent: Vec<Option<usize>> = Vec::with_capacity(items.len());
    let mut stack: Vec<usize> = Vec::new();
    for (i, h) in headings.iter().enumerate() {
        while stack.last().is_some_and(|&j| headings[j].level >= h.level) {
            stack.pop();
        }
        parent.push(stack.last().copied());
        stack.push(i);
    }
    let mut kids: Vec<Vec<usize>> = vec![Vec::new(); items.len()];
    let mut top = Vec::new();
    for (i, p) in parent.iter().enumerate() {
        match p {
            Some(p) => kids[*p].push(i),
            None => top.push(i),
        }
    }
    // Chapters open on their sections; deeper levels start closed so the panel stays short.
    let open: Vec<bool> = parent.iter().map(Option::is_none).collect();
    // Items shown below `i` when it is open (the outline's /Count), deepest first.
    let mut visible = vec![0i64; items.len()];
    for i in (0..items.len()).rev() {
        visible[i] = kids[i]
            .iter()
            .map(|&c| 1 + if open[c] { visible[c] } else { 0 })
            .sum();
    }

    let link = |doc: &mut Document, parent_id: ObjectId, kids: &[usize], count: Option<i64>| {
        if let Ok(d) = doc.get_dictionary_mut(parent_id) {
            d.remove(b"First");
            d.remove(b"Last");
            d.remove(b"Count");
            if let (Some(&f), Some(&l)) = (kids.first(), kids.last()) {
                d.set("First", Object::Reference(items[f]));
                d.set("Last", Object::Reference(items[l]));
                if let Some(c) = count.filter(|c| *c != 0) {
                    d.set("Count", Object::Integer(c));
                }
            }
        }
        for (k, &c) in kids.iter().enumerate() {
            if let Ok(d) = doc.get_dictionary_mut(items[c]) {
                d.set("Parent", Object::Reference(parent_id));
                d.remove(b"Prev");
                d.remove(b"Next");
                if k > 0 {
                    d.set("Prev", Object::Reference(items[kids[k - 1]]));
                }
                if k + 1 < kids.len() {
                    d.set("Next", Object::Reference(items[kids[k + 1]]));
                }
            }
        }
    };

    let root_count: i64 = top
        .iter()
        .map(|&c| 1 + if open[c] { visible[c] } else { 0 })
        .sum();
    link(doc, root, &top, Some(root_count));
    for i in 0..items.len() {
        let count = if open[i] { visible[i] } else { -visible[i] };
        link(doc, items[i], &kids[i], Some(count));
        if let Ok(d) = doc.get_dictionary_mut(items[i]) {
            d.set("Title", text_string(&headings[i].text));
        }
    }
}

/// Chromium names structure elements after DOM node ids (`node00000295`, used by table cells'
/// `/Headers`), which count up across every page a browser process has laid out: the same
/// document rendered after another one gets other ids. Renumbering them from 1, in their
/// original order, makes the output depend on the document alone and keeps the ID tree sorted.
fn renumber_structure_ids(doc: &mut Document) {
    let number = |s: &[u8]| -> Option<u64> {
        let digits = s.strip_prefix(b"node")?;
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(digits).ok()?.parse().ok()
    };
    let mut old: Vec<(u64, Vec<u8>)> = Vec::new();
    for obj in doc.objects.values() {
        if let Object::Dictionary(d) = obj {
            if d.has_type(b"StructElem") {
                if let Ok(Object::String(id, _)) = d.get(b"ID") {
                    if let Some(n) = number(id) {
                        old.push((n, id.clone()));
                    }
                }
            }
        }
    }
    if old.is_empty() {
        return;
    }
    old.sort();
    old.dedup();
    let map: HashMap<Vec<u8>, Vec<u8>> = old
        .into_iter()
        .enumerate()
        .map(|(i, (_, id))| (id, format!("node{:08}", i + 1).into_bytes()))
        .collect();
    fn visit(o: &mut Object, map: &HashMap<Vec<u8>, Vec<u8>>) {
        match o {
            Object::String(s, _) => {
                if let Some(new) = map.get(s.as_slice()) {
                    *s = new.clone();
                }
            }
            Object::Array(a) => a.iter_mut().for_each(|x| visit(x, map)),
            Object::Dictionary(d) => d.iter_mut().for_each(|(_, x)| visit(x, map)),
            Object::Stream(s) => s.dict.iter_mut().for_each(|(_, x)| visit(x, map)),
            _ => {}
        }
    }
    for obj in doc.objects.values_mut() {
        visit(obj, &map);
    }
}

/// Structure types of PDF 1.7 (ISO 32000-1, 14.8.4), which PDF/UA-1 checkers accept as is.
const STANDARD_TYPES: &[&[u8]] = &[
    b"Document",
    b"Part",
    b"Art",
    b"Sect",
    b"Div",
    b"BlockQuote",
    b"Caption",
    b"TOC",
    b"TOCI",
    b"Index",
    b"NonStruct",
    b"Private",
    b"P",
    b"H",
    b"H1",
    b"H2",
    b"H3",
    b"H4",
    b"H5",
    b"H6",
    b"L",
    b"LI",
    b"Lbl",
    b"LBody",
    b"Table",
    b"TR",
    b"TH",
    b"TD",
    b"THead",
    b"TBody",
    b"TFoot",
    b"Span",
    b"Quote",
    b"Note",
    b"Reference",
    b"BibEntry",
    b"Code",
    b"Link",
    b"Annot",
    b"Ruby",
    b"RB",
    b"RT",
    b"RP",
    b"Warichu",
    b"WT",
    b"WP",
    b"Figure",
    b"Formula",
    b"Form",
];

/// Chromium also writes PDF 2.0 types (`Aside` for `<aside>`, `Strong`, `Em`) into a PDF 1.4
/// file; a role map gives each its nearest PDF 1.7 type so that older readers and PDF/UA-1
/// checkers understand them. Types not listed here are left unmapped rather than guessed.
fn add_role_map(doc: &mut Document) {
    const MAP: &[(&[u8], &[u8])] = &[
        (b"Aside", b"Sect"),
        (b"Strong", b"Span"),
        (b"Em", b"Span"),
        (b"Sub", b"Span"),
        (b"FENote", b"Note"),
        (b"DocumentFragment", b"Div"),
        (b"Title", b"P"),
    ];
    let mut used = HashSet::new();
    for obj in doc.objects.values() {
        if let Object::Dictionary(d) = obj {
            if d.has_type(b"StructElem") {
                if let Ok(s) = d.get(b"S").and_then(Object::as_name) {
                    if !STANDARD_TYPES.contains(&s) {
                        used.insert(s.to_vec());
                    }
                }
            }
        }
    }
    let Some(root_id) = doc
        .catalog()
        .ok()
        .and_then(|c| c.get(b"StructTreeRoot").ok())
        .and_then(|o| o.as_reference().ok())
    else {
        return;
    };
    let Ok(root) = doc.get_dictionary_mut(root_id) else {
        return;
    };
    let mut map = match root.get(b"RoleMap") {
        Ok(Object::Dictionary(d)) => d.clone(),
        _ => Dictionary::new(),
    };
    for (from, to) in MAP {
        if used.contains(*from) && !map.has(from) {
            map.set(from.to_vec(), Object::Name(to.to_vec()));
        }
    }
    if !map.is_empty() {
        root.set("RoleMap", Object::Dictionary(map));
    }
}

fn set_metadata(doc: &mut Document, meta: &Meta) -> Result<(), String> {
    let date = meta.date.and_then(pdf_date);
    let info_id = match doc.trailer.get(b"Info").and_then(Object::as_reference) {
        Ok(id) => id,
        Err(_) => {
            let id = doc.add_object(Dictionary::new());
            doc.trailer.set("Info", Object::Reference(id));
            id
        }
    };
    let info = doc
        .get_dictionary_mut(info_id)
        .map_err(|e| format!("PDF /Info: {e}"))?;
    if !meta.title.trim().is_empty() {
        info.set("Title", text_string(meta.title.trim()));
    }
    // The browser's user-agent string says nothing useful and changes with every update.
    info.set("Creator", text_string("bundel"));
    info.remove(b"CreationDate");
    info.remove(b"ModDate");
    if let Some(d) = &date {
        info.set("CreationDate", Object::string_literal(d.as_str()));
        info.set("ModDate", Object::string_literal(d.as_str()));
    }
    let title = match info.get(b"Title") {
        Ok(t) => lopdf::decode_text_string(t).unwrap_or_default(),
        Err(_) => String::new(),
    };

    let catalog = doc.catalog().map_err(|e| format!("PDF catalog: {e}"))?;
    let lang = match catalog.get(b"Lang") {
        Ok(Object::String(s, _)) => String::from_utf8_lossy(s).into_owned(),
        _ => meta.lang.trim().to_string(),
    };
    let xmp = xmp(&title, &lang, meta.date);
    let mut stream = Stream::new(
        Dictionary::from_iter([
            ("Type", Object::Name(b"Metadata".to_vec())),
            ("Subtype", Object::Name(b"XML".to_vec())),
        ]),
        xmp.into_bytes(),
    );
    // Metadata stays readable by tools that do not inflate streams.
    stream.allows_compression = false;
    let xmp_id = doc.add_object(stream);

    let catalog = doc.catalog_mut().map_err(|e| format!("PDF catalog: {e}"))?;
    if !catalog.has(b"Lang") && !lang.is_empty() {
        catalog.set("Lang", Object::string_literal(lang.as_str()));
    }
    catalog.set("Metadata", Object::Reference(xmp_id));
    let mut prefs = match catalog.get(b"ViewerPreferences") {
        Ok(Object::Dictionary(d)) => d.clone(),
        _ => Dictionary::new(),
    };
    // Readers show the title, not the file name, in their window (WCAG technique PDF18).
    prefs.set("DisplayDocTitle", Object::Boolean(true));
    catalog.set("ViewerPreferences", Object::Dictionary(prefs));
    Ok(())
}

/// `D:YYYYMMDDHHmmSSZ` in UTC.
fn pdf_date(secs: i64) -> Option<String> {
    let t = chrono::DateTime::from_timestamp(secs, 0)?;
    Some(t.format("D:%Y%m%d%H%M%SZ").to_string())
}

/// XMP packet with the title and language, as PDF/UA checkers expect next to `/Info`.
fn xmp(title: &str, lang: &str, date: Option<i64>) -> String {
    let esc = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let dates = date
        .and_then(|s| chrono::DateTime::from_timestamp(s, 0))
        .map(|t| {
            let t = t.format("%Y-%m-%dT%H:%M:%SZ");
            format!("\n   <xmp:CreateDate>{t}</xmp:CreateDate>\n   <xmp:ModifyDate>{t}</xmp:ModifyDate>")
        })
        .unwrap_or_default();
    let language = if lang.is_empty() {
        String::new()
    } else {
        format!(
            "\n   <dc:language><rdf:Bag><rdf:li>{}</rdf:li></rdf:Bag></dc:language>",
            esc(lang)
        )
    };
    format!(
        r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{}</rdf:li></rdf:Alt></dc:title>{language}
   <xmp:CreatorTool>bundel</xmp:CreatorTool>{dates}
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="r"?>"#,
        esc(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_utc_pdf_dates() {
        assert_eq!(
            pdf_date(1_668_470_400).as_deref(),
            Some("D:20221115000000Z")
        );
    }

    #[test]
    fn xmp_escapes_the_title() {
        let x = xmp("Vsv & verzuim <2022>", "nl", None);
        assert!(x.contains("Vsv &amp; verzuim &lt;2022&gt;"));
        assert!(x.contains("<rdf:li>nl</rdf:li>"));
        assert!(!x.contains("CreateDate"));
    }
}
