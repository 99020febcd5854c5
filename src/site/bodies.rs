//! Markdown to HTML for every page, document by document (chapters of a report share
//! footnote and figure numbering), with figures, tables and cross-references.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rayon::prelude::*;

use super::documents::{self, Document};
use super::inputs::Inputs;
use super::links::LinkIndex;
use super::print_warnings;
use crate::content::{Page, PageId};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::figures::{self, BlockEnv, FigureRef, Numbering};
use crate::images::Images;
use crate::markdown::{self, Doc, FencedBlock, Hooks};

pub(super) struct RenderedPage {
    pub(super) html: String,
    pub(super) toc: Vec<markdown::Heading>,
    /// Rendered hand-written commentary of a generated page.
    pub(super) commentary: Option<String>,
}

/// What every page's Markdown rendering shares.
pub(super) struct BodyShared<'a> {
    pub(super) inputs: &'a Inputs,
    pub(super) links: &'a LinkIndex,
    pub(super) palette: &'a [String],
    pub(super) options: markdown::Options,
}

/// What the pages of one document share while they are rendered in order.
pub(super) struct DocState {
    pub(super) ids: BTreeSet<String>,
    pub(super) footnotes: usize,
    pub(super) refs: Vec<FigureRef>,
    pub(super) diagnostics: Vec<Diagnostic>,
    pub(super) warnings: Vec<Diagnostic>,
}

/// A Markdown text and where it comes from.
pub(super) struct Body<'a> {
    pub(super) file: &'a Path,
    pub(super) text: &'a str,
    pub(super) first_line: usize,
}

/// Renders one Markdown text of `page`, with its blocks, links and (for generated pages)
/// variables and data scope.
pub(super) fn render_body(
    shared: &BodyShared,
    page: &Page,
    body: Body,
    chapter: Option<u32>,
    numbering: &mut Numbering,
    state: &mut DocState,
) -> markdown::Rendered {
    let from_dir = body
        .file
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let from_dir = if page.generated.is_some() {
        from_dir
    } else {
        page.source_dir()
    };
    let link = |dest: &str| shared.links.resolve(dest, &from_dir);
    let vars: Vec<(String, String)> = page
        .generated
        .as_ref()
        .map(|g| g.key.iter().chain(&g.text).cloned().collect())
        .unwrap_or_default();
    let scope = page.generated.as_ref().map(crate::generate::scope);
    let period = page.generated.as_ref().and_then(|g| g.period.clone());
    let refs = &mut state.refs;
    let block_warnings = &mut state.warnings;
    let mut block = |b: &FencedBlock| -> Result<Option<String>, Vec<Diagnostic>> {
        let mut env = BlockEnv {
            warnings: &mut *block_warnings,
            data: &shared.inputs.data,
            lang: shared.options.lang,
            file: body.file,
            page_path: &page.path,
            palette: shared.palette,
            numbering: &mut *numbering,
            refs: &mut *refs,
            scope: scope.as_ref(),
            period: period.as_deref(),
        };
        figures::render_block(b, &mut env)
    };
    let r = markdown::render(
        Doc {
            file: body.file,
            text: body.text,
            first_line: body.first_line,
            chapter,
            ids: &mut state.ids,
            footnote_start: state.footnotes,
            vars: &vars,
        },
        shared.options,
        Hooks {
            link: &link,
            block: &mut block,
        },
    );
    state.footnotes += r.footnotes;
    state.diagnostics.extend(r.diagnostics.iter().cloned());
    state.warnings.extend(r.warnings.iter().cloned());
    r
}

/// Every page's Markdown as HTML, by page id; pages outside `docs` stay empty (partial
/// renders for `serve`).
pub(super) fn render_markdown(
    inputs: &Inputs,
    links: &LinkIndex,
    docs: &[Document],
    images: &Images,
) -> Result<Vec<RenderedPage>, Diagnostics> {
    let palette: Vec<String> = match inputs.theme.settings.get("chart_palette") {
        Some(serde_yaml::Value::Sequence(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    };
    let shared = BodyShared {
        inputs,
        links,
        palette: &palette,
        options: markdown::Options {
            smart_punctuation: inputs.config.smart_punctuation,
            lang: inputs.config.lang(),
        },
    };
    let rendered: Vec<RenderedDoc> = docs
        .par_iter()
        .map(|doc| render_document(&shared, doc))
        .collect();
    let mut errors = Diagnostics::new();
    let mut warnings = Vec::new();
    let mut pages: Vec<RenderedPage> = (0..inputs.content.pages.len())
        .map(|_| RenderedPage {
            html: String::new(),
            toc: Vec::new(),
            commentary: None,
        })
        .collect();
    let mut ids = Ids::default();
    for doc in rendered {
        errors.extend(doc.diagnostics);
        warnings.extend(doc.warnings);
        ids.add(&inputs.content, &doc.pages, doc.refs, &mut errors);
        for (pid, r) in doc.pages {
            pages[pid] = r;
        }
    }
    // The problems of the data files the pages use; files no page uses are not even read.
    errors.extend(inputs.data.errors());
    errors.extend(inputs.data.check_totals());
    errors.take_result()?;
    // A factsheet template's warning would otherwise be repeated for every generated page.
    warnings.sort();
    warnings.dedup();
    print_warnings(&inputs.site_dir, warnings);

    // Cross-references, now that every figure has its number.
    let xref_errors: Vec<Vec<Diagnostic>> = pages
        .par_iter_mut()
        .zip(&inputs.content.pages)
        .map(|(r, page)| finish_page(r, page, &ids, inputs, images))
        .collect();
    errors.extend(xref_errors.into_iter().flatten());
    errors.into_result()?;
    Ok(pages)
}

/// The pages of one document, rendered in order, and what they found.
struct RenderedDoc {
    pages: Vec<(PageId, RenderedPage)>,
    refs: Vec<FigureRef>,
    diagnostics: Vec<Diagnostic>,
    warnings: Vec<Diagnostic>,
}

fn render_document(shared: &BodyShared, doc: &Document) -> RenderedDoc {
    let content = &shared.inputs.content;
    let mut state = DocState {
        ids: BTreeSet::new(),
        footnotes: 1,
        refs: Vec::new(),
        diagnostics: Vec::new(),
        warnings: Vec::new(),
    };
    let mut pages = Vec::new();
    // Reports number figures per chapter (2.1); elsewhere they run through the document.
    let mut shared_numbering = Numbering::default();
    for pid in doc.pages() {
        let page = &content.pages[pid];
        let chapter = doc.chapter_of(pid);
        let mut chapter_numbering = Numbering {
            chapter,
            ..Numbering::default()
        };
        let numbering = if doc.kind == documents::Kind::Report {
            &mut chapter_numbering
        } else {
            &mut shared_numbering
        };
        let body = Body {
            file: &page.source,
            text: &page.body,
            first_line: page.body_line,
        };
        let r = render_body(shared, page, body, chapter, numbering, &mut state);
        // A hand-written text for a generated page (factsheet commentary).
        let commentary = page
            .generated
            .as_ref()
            .and_then(|g| g.commentary.as_ref())
            .map(|c| {
                let body = Body {
                    file: &c.source,
                    text: &c.body,
                    first_line: c.body_line,
                };
                render_body(shared, page, body, None, numbering, &mut state).html
            });
        pages.push((
            pid,
            RenderedPage {
                html: r.html,
                toc: r.toc,
                commentary,
            },
        ));
    }
    RenderedDoc {
        pages,
        refs: state.refs,
        diagnostics: state.diagnostics,
        warnings: state.warnings,
    }
}

/// The figure and table ids that cross-references can name.
#[derive(Default)]
struct Ids {
    site: BTreeMap<String, FigureRef>,
    /// Generated pages share one template, so its ids repeat on every page by design: they
    /// are the page's own, and its references find them first.
    own: BTreeMap<PageId, BTreeMap<String, FigureRef>>,
}

impl Ids {
    /// Adds a document's explicit ids; one used twice is an error naming both places.
    fn add(
        &mut self,
        content: &crate::content::Content,
        pages: &[(PageId, RenderedPage)],
        refs: Vec<FigureRef>,
        errors: &mut Diagnostics,
    ) {
        let generated = pages
            .first()
            .map(|(pid, _)| *pid)
            .filter(|&pid| content.pages[pid].generated.is_some());
        let ids = match generated {
            Some(pid) => self.own.entry(pid).or_default(),
            None => &mut self.site,
        };
        for r in refs.into_iter().filter(|r| r.explicit) {
            if let Some(first) = ids.get(&r.id) {
                errors.push(
                    Diagnostic::new(
                        &r.file,
                        r.line,
                        1,
                        format!(
                            "the id `{}` is already used at {}:{}",
                            r.id,
                            first.file.display(),
                            first.line
                        ),
                    )
                    .with_hint("every figure and table id must be unique; rename one of them"),
                );
            } else {
                ids.insert(r.id.clone(), r);
            }
        }
    }
}

/// Links the page's cross-references (`@fig-...`) and gives its images their responsive
/// markup. Returns the references that name no figure.
fn finish_page(
    r: &mut RenderedPage,
    page: &Page,
    ids: &Ids,
    inputs: &Inputs,
    images: &Images,
) -> Vec<Diagnostic> {
    let lang = inputs.config.lang();
    let mut errs = Vec::new();
    let merged;
    let refs = match ids.own.get(&page.id) {
        Some(local) if !local.is_empty() => {
            merged = ids
                .site
                .iter()
                .chain(local)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<BTreeMap<_, _>>();
            &merged
        }
        _ => &ids.site,
    };
    r.html = figures::link_xrefs(
        &r.html,
        refs,
        &figures::XrefPage {
            path: &page.path,
            file: &page.source,
            source_text: &page.body,
            first_line: page.body_line,
        },
        lang,
        &mut errs,
    );
    let commentary = page.generated.as_ref().and_then(|g| g.commentary.as_ref());
    if let (Some(html), Some(c)) = (&mut r.commentary, commentary) {
        *html = figures::link_xrefs(
            html,
            refs,
            &figures::XrefPage {
                path: &page.path,
                file: &c.source,
                source_text: &c.body,
                first_line: c.body_line,
            },
            lang,
            &mut errs,
        );
    }
    // A portrait photo opens the page; otherwise the first image may be in view.
    let photo = page.front.extra_str("photo").is_some();
    r.html = images.rewrite(&r.html, !photo);
    if let Some(c) = &r.commentary {
        r.commentary = Some(images.rewrite(c, false));
    }
    errs
}
