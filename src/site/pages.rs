//! The render stage: every page, one-page view, listing, feed and special page through its
//! template and into the sink. [`render_pages`] lists the steps in order.

use std::collections::BTreeSet;
use std::path::Path;

use rayon::prelude::*;
use tera::Value;

use super::bodies::RenderedPage;
use super::context::{self, page_summary, PageView, PdfView};
use super::documents::Document;
use super::feeds::{self, feed_specs, FeedOwner};
use super::inputs::Inputs;
use super::links::{relativize, root_for, ROOT};
use super::statics::copy_static;
use super::views::{neighbours, SiteViews};
use super::{listings, print, write_error};
use crate::config::SiteConfig;
use crate::content::{Content, Page, PageId, PageKind};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::images::Images;
use crate::output::Sink;
use crate::pdf;
use crate::search;
use crate::templates::Templates;

/// What every step of the render stage reads; nothing in it changes while pages render.
pub(super) struct RenderCx<'a> {
    pub(super) site_dir: &'a Path,
    pub(super) inputs: &'a Inputs,
    /// Every page's Markdown as HTML, by page id.
    pub(super) rendered: &'a [RenderedPage],
    pub(super) docs: &'a [Document],
    /// Every page's template, without `.html`.
    pub(super) layouts: &'a [&'a str],
    pub(super) sink: &'a Sink<'a>,
    /// For `serve`: render only these pages (and skip static files, listings and feeds).
    pub(super) only: Option<&'a BTreeSet<PageId>>,
    /// Print PDFs with this engine (`--pdf`).
    pub(super) pdf_engine: Option<&'a pdf::Engine>,
    pub(super) images: &'a Images,
    pub(super) indexer: Option<&'a search::Indexer>,
    /// `base_url` of the site, and its taxonomies: the same for every page, worked out once.
    pub(super) base_url: String,
    pub(super) taxonomies: Vec<crate::config::Taxonomy>,
}

impl RenderCx<'_> {
    pub(super) fn wanted(&self, p: PageId) -> bool {
        self.only.is_none_or(|o| o.contains(&p))
    }

    /// The page as listings, sections and other pages see it.
    pub(super) fn summary<'p>(&'p self, page: &'p Page) -> context::PageSummary<'p> {
        page_summary(
            page,
            &self.inputs.content,
            &self.base_url,
            self.site_dir,
            &self.taxonomies,
            self.images,
        )
    }
}

/// Renders the site's pages through their templates and writes them, with the static files,
/// one-page views, PDFs, listings, feeds, sitemap and special pages. Returns the number of
/// files written.
pub(super) fn render_pages(cx: &RenderCx, templates: &mut Templates) -> Result<usize, Diagnostics> {
    let mut errors = Diagnostics::new();
    // Static files first: the one-page views (and their PDFs) need the CSS and fonts.
    let mut files = match cx.only {
        None => copy_static(cx.site_dir, cx.inputs, cx.sink)?,
        Some(_) => 0,
    };
    let mut views = SiteViews::new(cx);
    views.register(templates, cx);
    files += print::one_page_views(cx, templates, &views, &mut errors)?;
    let (pdfs, printed) = print::document_pdfs(cx, &views, &mut errors)?;
    files += printed;
    if pdfs.iter().any(Option::is_some) {
        views.link_pdfs(cx, &pdfs);
        views.register(templates, cx);
    }
    let templates = &*templates;
    let pages = PageRenderer::new(cx, templates, &views, &pdfs);
    files += pages.render_all(&mut errors);
    if cx.only.is_some() {
        errors.take_result()?;
        return Ok(files);
    }
    files += print::factsheet_pdfs(cx, &pages, &mut errors)?;
    files += pages.listings(&mut errors);
    files += pages.feeds_and_sitemap(&mut errors);
    files += pages.search_page(&mut errors);
    files += pages.not_found_page(&mut errors);
    errors.take_result()?;
    Ok(files)
}

/// Where a section's listings and feed are, for the links on its pages.
struct Navigation {
    plan: Vec<listings::Listing>,
    /// The listing that is the first page of each section, by section id.
    first_page_of: Vec<Option<usize>>,
    archive_of_section: Vec<Option<String>>,
    feeds: Vec<(FeedOwner, feeds::FeedSpec)>,
    feed_of_section: Vec<Option<String>>,
}

impl Navigation {
    fn new(content: &Content, config: &SiteConfig) -> Navigation {
        let plan = listings::plan(content, config);
        let mut first_page_of = vec![None; content.sections.len()];
        let mut archive_of_section = vec![None; content.sections.len()];
        for (i, l) in plan.iter().enumerate() {
            match l.kind {
                listings::Kind::SectionPage { section, number: 1 } => {
                    first_page_of[section] = Some(i)
                }
                listings::Kind::Archive {
                    section,
                    year: None,
                } => archive_of_section[section] = Some(l.path.clone()),
                _ => {}
            }
        }
        let feeds = feed_specs(content, config, &plan);
        let mut feed_of_section = vec![None; content.sections.len()];
        for (owner, f) in &feeds {
            if let FeedOwner::Section(s) = owner {
                feed_of_section[*s] = Some(f.path.clone());
            }
        }
        Navigation {
            plan,
            first_page_of,
            archive_of_section,
            feeds,
            feed_of_section,
        }
    }
}

/// Renders pages through their templates, once the site's views are complete.
pub(super) struct PageRenderer<'a> {
    cx: &'a RenderCx<'a>,
    templates: &'a Templates,
    views: &'a SiteViews<'a>,
    /// `document` for the pages of each report and publication.
    documents: Vec<Value>,
    nav: Navigation,
}

impl<'a> PageRenderer<'a> {
    fn new(
        cx: &'a RenderCx<'a>,
        templates: &'a Templates,
        views: &'a SiteViews<'a>,
        pdfs: &[Option<PdfView>],
    ) -> PageRenderer<'a> {
        let documents = (0..views.long_docs.len())
            .map(|i| views.document(cx, i, pdfs[i].clone()))
            .collect();
        PageRenderer {
            cx,
            templates,
            views,
            documents,
            nav: Navigation::new(&cx.inputs.content, &cx.inputs.config),
        }
    }

    /// Every page asked for, in parallel. Returns the number of pages.
    fn render_all(&self, errors: &mut Diagnostics) -> usize {
        let content = &self.cx.inputs.content;
        let results: Vec<Result<(), Diagnostic>> = content
            .pages
            .par_iter()
            .filter(|page| self.cx.wanted(page.id))
            .map(|page| self.render(page, None))
            .collect();
        errors.extend(results.into_iter().filter_map(Result::err));
        self.cx.only.map_or(content.pages.len(), BTreeSet::len)
    }

    /// One page through its template, written to the sink (and added to the search index).
    pub(super) fn render(&self, page: &Page, pdf: Option<&PdfView>) -> Result<(), Diagnostic> {
        let (cx, views, nav) = (self.cx, self.views, &self.nav);
        let content = &cx.inputs.content;
        let layout = cx.layouts[page.id];
        let (prev, next) = neighbours(page, content, &views.summaries);
        let view = PageView {
            summary: &views.summaries[page.id],
            content: &cx.rendered[page.id].html,
            toc: &cx.rendered[page.id].toc,
            layout,
            prev,
            next,
            commentary: cx.rendered[page.id].commentary.as_deref(),
        };
        let mut ctx = views.shared.clone();
        ctx.insert("page", &view);
        let section = match page.kind {
            PageKind::Home => Some(0),
            PageKind::Section(s) => Some(s),
            PageKind::Regular => page.section,
        };
        if let Some(s) = section {
            ctx.insert_value("section", views.sections[s].clone());
        }
        if let Some(d) = views.doc_of_page[page.id] {
            ctx.insert_value("document", self.documents[d].clone());
            if let Some(n) = views.long_docs[d].chapter_of(page.id) {
                ctx.insert("chapter", &n);
            }
        }
        if let PageKind::Section(s) = page.kind {
            if let Some(l) = nav.first_page_of[s] {
                ctx.insert("paginator", &self.listing_view(&nav.plan[l]));
            }
        }
        if let Some(f) = section.and_then(|s| nav.feed_of_section[s].as_ref()) {
            ctx.insert("feed_url", &format!("{ROOT}{f}"));
        }
        if let Some(a) = section.and_then(|s| nav.archive_of_section[s].as_ref()) {
            ctx.insert("archive_url", &format!("{ROOT}{a}"));
        }
        if let Some(p) = pdf {
            ctx.insert("pdf", p);
        }
        let html = self
            .templates
            .render(&format!("{layout}.html"), &ctx)
            .map_err(|e| blame_front_matter(e, cx.site_dir, page))?;
        let html = relativize(&html, &root_for(&page.path));
        cx.sink
            .write(&format!("{}index.html", page.path), html.as_bytes())
            .map_err(|e| match e.kind() {
                // Named at the page's own file: that is where the address comes from.
                std::io::ErrorKind::AlreadyExists => Diagnostic::file(
                    &page.source,
                    format!(
                        "its page at `{}` would replace a copied file: {e}",
                        page.path
                    ),
                )
                .with_hint("give the page another address with `slug:`, or move the copied file"),
                _ => write_error(&page.path, e),
            })?;
        if let Some(ix) = cx.indexer {
            ix.add(&page.path, html);
        }
        Ok(())
    }

    fn listing_view(&self, l: &listings::Listing) -> listings::ListingView {
        let cx = self.cx;
        listings::view(
            l,
            &self.nav.plan,
            &cx.inputs.content,
            &cx.inputs.config,
            &self.views.summaries,
        )
    }

    /// Listing pages without a source file: further pages of sections, taxonomies, archives.
    /// Returns the number written.
    fn listings(&self, errors: &mut Diagnostics) -> usize {
        let results: Vec<Result<bool, Diagnostic>> =
            self.nav.plan.par_iter().map(|l| self.listing(l)).collect();
        let mut files = 0;
        for r in results {
            match r {
                Ok(true) => files += 1,
                Ok(false) => {}
                Err(e) => errors.push(e),
            }
        }
        files
    }

    /// One listing page; `false` when the theme has no template for it, or it is a section's
    /// own page (rendered with the section).
    fn listing(&self, l: &listings::Listing) -> Result<bool, Diagnostic> {
        let (cx, nav) = (self.cx, &self.nav);
        let content = &cx.inputs.content;
        let (template, section) = match &l.kind {
            listings::Kind::SectionPage { number: 1, .. } => return Ok(false),
            listings::Kind::SectionPage { section, .. } => (
                format!("{}.html", cx.layouts[content.sections[*section].page]),
                Some(*section),
            ),
            listings::Kind::Taxonomy { .. } => ("taxonomy.html".to_string(), None),
            listings::Kind::Term { .. } => ("term.html".to_string(), None),
            listings::Kind::Archive { section, .. } => ("archive.html".to_string(), Some(*section)),
        };
        if !self.templates.has(&template) {
            return Ok(false);
        }
        let base_url = &cx.base_url;
        let mut ctx = self.views.shared.clone();
        let view = self.listing_view(l);
        ctx.insert(
            "page",
            &ListingPage {
                title: &l.title,
                url: format!("{ROOT}{}", l.path),
                permalink: format!("{base_url}{}", l.path),
                path: &l.path,
                kind: "listing",
                layout: template.trim_end_matches(".html"),
                summary: "",
                content: "",
            },
        );
        if let Some(s) = section {
            ctx.insert_value("section", self.views.sections[s].clone());
            if let Some(f) = &nav.feed_of_section[s] {
                ctx.insert("feed_url", &format!("{ROOT}{f}"));
            }
        }
        if let Some((_, f)) = nav
            .feeds
            .iter()
            .find(|(o, _)| matches!(o, FeedOwner::Listing(p) if *p == l.path))
        {
            ctx.insert("feed_url", &format!("{ROOT}{}", f.path));
        }
        ctx.insert("paginator", &view);
        ctx.insert("listing", &view);
        let html = self.templates.render(&template, &ctx)?;
        let html = relativize(&html, &root_for(&l.path));
        cx.sink
            .write(&format!("{}index.html", l.path), html.as_bytes())
            .map_err(|e| write_error(&l.path, e))?;
        if let Some(ix) = cx.indexer {
            ix.add(&l.path, html);
        }
        Ok(true)
    }

    /// The Atom feeds, `sitemap.xml` and `robots.txt`. Returns the number of files.
    fn feeds_and_sitemap(&self, errors: &mut Diagnostics) -> usize {
        let (cx, nav) = (self.cx, &self.nav);
        let (config, content) = (&cx.inputs.config, &cx.inputs.content);
        let mut files = 0;
        for (_, spec) in &nav.feeds {
            let xml = feeds::atom(spec, content, config, &|p| cx.rendered[p].html.clone());
            match cx.sink.write(&spec.path, xml.as_bytes()) {
                Ok(()) => files += 1,
                Err(e) => errors.push(write_error(&spec.path, e)),
            }
        }
        let mut entries: Vec<(String, Option<chrono::NaiveDateTime>)> = content
            .pages
            .iter()
            .map(|p| (p.path.clone(), p.front.date))
            .collect();
        entries.extend(
            nav.plan
                .iter()
                .filter(|l| !matches!(l.kind, listings::Kind::SectionPage { number: 1, .. }))
                .map(|l| (l.path.clone(), None)),
        );
        entries.sort();
        if let Err(e) = cx
            .sink
            .write("sitemap.xml", feeds::sitemap(config, &entries).as_bytes())
        {
            errors.push(write_error("sitemap.xml", e));
        }
        if let Err(e) = cx
            .sink
            .write("robots.txt", feeds::robots(config).as_bytes())
        {
            errors.push(write_error("robots.txt", e));
        }
        files + 2
    }

    /// The search page, unless search is off or the site has its own page at that address.
    fn search_page(&self, errors: &mut Diagnostics) -> usize {
        let cx = self.cx;
        let Some(search_path) = self.views.search_path else {
            return 0;
        };
        if !self.templates.has("search.html")
            || cx
                .inputs
                .content
                .pages
                .iter()
                .any(|p| p.path == search_path)
        {
            return 0;
        }
        let title = self.theme_string("search", "Zoeken");
        let html = self.special_page("search.html", title, search_path, "search", errors);
        let Some(html) = html else { return 0 };
        let html = relativize(&html, &root_for(search_path));
        if let Err(e) = cx
            .sink
            .write(&format!("{search_path}index.html"), html.as_bytes())
        {
            errors.push(write_error(search_path, e));
        }
        1
    }

    /// The 404 page. It is served at any address, so its links start from the base path.
    fn not_found_page(&self, errors: &mut Diagnostics) -> usize {
        if !self.templates.has("404.html") {
            return 0;
        }
        let title = self.theme_string("not_found_title", "404");
        let Some(html) = self.special_page("404.html", title, "404.html", "404", errors) else {
            return 0;
        };
        let html = relativize(&html, &self.cx.inputs.config.base_path());
        if let Err(e) = self.cx.sink.write("404.html", html.as_bytes()) {
            errors.push(write_error("404.html", e));
        }
        1
    }

    fn theme_string(&self, key: &str, default: &'a str) -> &'a str {
        self.cx
            .inputs
            .theme
            .strings
            .get(key)
            .and_then(serde_yaml::Value::as_str)
            .unwrap_or(default)
    }

    /// A page of the theme's own (search, 404) through `template`.
    fn special_page(
        &self,
        template: &str,
        title: &str,
        path: &str,
        kind: &'static str,
        errors: &mut Diagnostics,
    ) -> Option<String> {
        let base_url = &self.cx.base_url;
        let mut ctx = self.views.shared.clone();
        ctx.insert(
            "page",
            &ListingPage {
                title,
                url: format!("{ROOT}{path}"),
                permalink: format!("{base_url}{path}"),
                path,
                kind,
                layout: kind,
                summary: "",
                content: "",
            },
        );
        self.templates
            .render(template, &ctx)
            .map_err(|e| errors.push(e))
            .ok()
    }
}

/// A template error about a value the page's front matter gave it (`featured:` naming a
/// page that does not exist) is the front matter's error: it is reported at that line, in
/// the file the user wrote, and not inside a theme template the user may never have seen.
pub(super) fn blame_front_matter(e: Diagnostic, site_dir: &Path, page: &Page) -> Diagnostic {
    let Some(value) = e.message.split('`').nth(1).filter(|v| v.len() > 1) else {
        return e;
    };
    let Ok(text) = std::fs::read_to_string(site_dir.join(&page.source)) else {
        return e;
    };
    let front = text.lines().skip(1).take_while(|l| l.trim_end() != "---");
    for (i, line) in front.enumerate() {
        let Some((key, rest)) = line.split_once(':') else {
            continue;
        };
        let given = rest.trim().trim_matches(|c| c == '"' || c == '\'');
        if given.trim_matches('/') != value.trim_matches('/') {
            continue;
        }
        let key = key.trim();
        let col = line.find(rest.trim()).map_or(1, |c| c + 1);
        let what = e
            .message
            .split_once(": ")
            .map_or(e.message.as_str(), |(_, m)| m);
        return Diagnostic::new(
            &page.source,
            i + 2,
            col,
            format!("`{key}: {given}`: {what}"),
        )
        .with_hint(format!(
            "name the page by its file in content/, as in `{key}: publicaties/jaarverslag/_index.md` \
             (the template `{}` looks it up)",
            e.file.display()
        ));
    }
    e
}

/// What templates see as `page` on a listing page.
#[derive(serde::Serialize)]
pub(super) struct ListingPage<'a> {
    pub(super) title: &'a str,
    pub(super) url: String,
    pub(super) permalink: String,
    pub(super) path: &'a str,
    pub(super) kind: &'static str,
    pub(super) layout: &'a str,
    pub(super) summary: &'static str,
    pub(super) content: &'static str,
}
