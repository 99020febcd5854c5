//! Print: the one-page views of reports and publications, and the PDFs printed from them
//! and from factsheet pages (`bundel build --pdf`).

use std::path::Path;

use rayon::prelude::*;
use tera::Value;

use super::context::{PageView, PdfView};
use super::documents;
use super::links::{relativize, root_for, ROOT};
use super::pages::{PageRenderer, RenderCx};
use super::views::SiteViews;
use super::write_error;
use crate::content::{self, Page, PageId};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::markdown;
use crate::output::Sink;
use crate::pdf;
use crate::templates::Templates;
use crate::url::slash;

/// A chapter or bundled page in a one-page view.
#[derive(serde::Serialize)]
struct PrintPart<'a> {
    anchor: String,
    number: Option<u32>,
    page: &'a Value,
    content: String,
    toc: &'a [markdown::Heading],
    sections: Vec<markdown::Heading>,
}

/// Renders the one-page view of every report and publication (`.../print/`), from which its
/// PDF is printed. Returns the number of files written.
pub(super) fn one_page_views(
    cx: &RenderCx,
    templates: &Templates,
    views: &SiteViews,
    errors: &mut Diagnostics,
) -> Result<usize, Diagnostics> {
    let content = &cx.inputs.content;
    let mut files = 0;
    for (i, doc) in views.long_docs.iter().enumerate() {
        if !cx.wanted(doc.index) {
            continue;
        }
        let kind = match doc.kind {
            documents::Kind::Report => "report",
            _ => "publication",
        };
        let template = format!("{kind}_print.html");
        if !templates.has(&template) {
            continue;
        }
        let print_view = |p: PageId| {
            documents::demote_headings(&documents::localize_links(
                &cx.rendered[p].html,
                doc,
                content,
            ))
        };
        let parts: Vec<Value> = doc
            .parts
            .iter()
            .map(|&p| {
                Value::from_serializable(&PrintPart {
                    anchor: documents::anchor(doc, p),
                    number: doc.chapter_of(p),
                    page: &views.summaries[p],
                    content: print_view(p),
                    toc: &cx.rendered[p].toc,
                    sections: cx.rendered[p]
                        .toc
                        .iter()
                        .filter(|h| h.level == 2)
                        .cloned()
                        .collect(),
                })
            })
            .collect();
        let path = doc.print_path(content);
        let mut ctx = views.shared.clone();
        let view = PageView {
            summary: &views.summaries[doc.index],
            content: &print_view(doc.index),
            toc: &cx.rendered[doc.index].toc,
            layout: "print",
            prev: None,
            next: None,
            commentary: None,
        };
        ctx.insert("page", &view);
        ctx.insert_value("document", views.document(cx, i, None));
        ctx.insert("parts", &parts);
        match templates.render(&template, &ctx) {
            Ok(html) => {
                let html = relativize(&html, &root_for(&path));
                cx.sink
                    .write(&format!("{path}index.html"), html.as_bytes())
                    .map_err(|e| write_error(&path, e))?;
                files += 1;
            }
            Err(e) => errors.push(e),
        }
    }
    Ok(files)
}

/// The PDFs of the one-page views, for the documents that ask for one, with `--pdf`. Returns
/// each document's PDF (by its index in `long_docs`) and the number of files written.
pub(super) fn document_pdfs(
    cx: &RenderCx,
    views: &SiteViews,
    errors: &mut Diagnostics,
) -> Result<(Vec<Option<PdfView>>, usize), Diagnostics> {
    let mut pdfs: Vec<Option<PdfView>> = vec![None; views.long_docs.len()];
    let (Some(engine), Some(dir)) = (cx.pdf_engine, cx.sink.disk_dir()) else {
        return Ok((pdfs, 0));
    };
    let content = &cx.inputs.content;
    // A one-page view that failed to render cannot be printed.
    errors.take_result()?;
    // Photos and cover images are only known once their pages are rendered.
    let mut files = cx.images.write(cx.sink, false).map_err(Diagnostics::from)?;
    let chosen: Vec<(usize, pdf::PdfJob)> = views
        .long_docs
        .iter()
        .enumerate()
        .filter(|(_, d)| d.wants_pdf(content) && cx.wanted(d.index))
        .map(|(i, d)| {
            let job = pdf::PdfJob {
                html: dir.join(d.print_path(content)).join("index.html"),
                pdf: dir.join(d.pdf_path(content)),
                title: content.pages[d.index].front.title.clone(),
                online: online(cx, dir),
            };
            (i, job)
        })
        .collect();
    let jobs: Vec<(&Path, pdf::PdfJob)> = chosen
        .iter()
        .map(|(i, j)| {
            (
                content.pages[views.long_docs[*i].index].source.as_path(),
                j.clone(),
            )
        })
        .collect();
    print_pdfs(engine, cx.site_dir, dir, &jobs)?;
    for (i, job) in &chosen {
        pdfs[*i] = Some(PdfView {
            url: format!("{ROOT}{}", views.long_docs[*i].pdf_path(content)),
            size: std::fs::metadata(&job.pdf).map(|m| m.len()).unwrap_or(0),
            kind: "PDF",
        });
        files += 1;
    }
    Ok((pdfs, files))
}

/// The PDFs of generated pages (factsheets) whose section says `pdf: true`, with `--pdf`:
/// printed from the page itself, which is then rendered again with its download link.
/// Returns the number of files written.
pub(super) fn factsheet_pdfs(
    cx: &RenderCx,
    pages: &PageRenderer,
    errors: &mut Diagnostics,
) -> Result<usize, Diagnostics> {
    let (Some(engine), Some(dir)) = (cx.pdf_engine, cx.sink.disk_dir()) else {
        return Ok(0);
    };
    let content = &cx.inputs.content;
    errors.take_result()?;
    let mut files = cx.images.write(cx.sink, false).map_err(Diagnostics::from)?;
    let chosen: Vec<&Page> = content
        .pages
        .iter()
        .filter(|p| {
            p.generated.is_some()
                && p.section.is_some_and(|s| {
                    matches!(
                        content.pages[content.sections[s].page]
                            .front
                            .extra
                            .get("pdf"),
                        Some(serde_yaml::Value::Bool(true))
                    )
                })
        })
        .collect();
    let pdf_path = |p: &Page| format!("{}{}.pdf", p.path, content::slugify(&p.front.title));
    let jobs: Vec<pdf::PdfJob> = chosen
        .iter()
        .map(|p| pdf::PdfJob {
            html: dir.join(&p.path).join("index.html"),
            pdf: dir.join(pdf_path(p)),
            title: p.front.title.clone(),
            online: online(cx, dir),
        })
        .collect();
    let sourced: Vec<(&Path, pdf::PdfJob)> = chosen
        .iter()
        .zip(&jobs)
        .map(|(p, j)| (p.source.as_path(), j.clone()))
        .collect();
    pdfs_unclaimed(cx.sink, dir, &sourced)?;
    print_pdfs(engine, cx.site_dir, dir, &sourced)?;
    let results: Vec<Result<(), Diagnostic>> = chosen
        .par_iter()
        .zip(&jobs)
        .map(|(p, job)| {
            let view = PdfView {
                url: format!("{ROOT}{}", pdf_path(p)),
                size: std::fs::metadata(&job.pdf).map(|m| m.len()).unwrap_or(0),
                kind: "PDF",
            };
            pages.render(p, Some(&view))
        })
        .collect();
    errors.extend(results.into_iter().filter_map(Result::err));
    files += jobs.len();
    Ok(files)
}

/// PDFs link to the site's pages by web address, when the site has one.
fn online(cx: &RenderCx, dir: &Path) -> Option<pdf::Online> {
    cx.base_url.contains("://").then(|| pdf::Online {
        root: dir.to_path_buf(),
        base_url: cx.base_url.clone(),
    })
}

/// A PDF is printed straight into the output folder: one at the address of a copied site
/// file would replace it.
fn pdfs_unclaimed(
    sink: &Sink,
    dir: &Path,
    jobs: &[(&Path, pdf::PdfJob)],
) -> Result<(), Diagnostics> {
    let mut errors = Diagnostics::new();
    for (source, job) in jobs {
        let rel = slash(job.pdf.strip_prefix(dir).unwrap_or(&job.pdf));
        if let Some(owner) = sink.claimed(&rel) {
            errors.push(
                Diagnostic::file(
                    source,
                    format!(
                        "its PDF `{rel}` would replace `{}`, copied to the same address",
                        owner.display()
                    ),
                )
                .with_hint("rename or move that file, or give the page another title or `slug:`"),
            );
        }
    }
    errors.into_result()
}

/// Prints the PDFs, each paired with the content file it comes from, so a failure names
/// that file. Progress goes to a terminal only: in a log it would be hundreds of lines.
fn print_pdfs(
    engine: &pdf::Engine,
    site_dir: &Path,
    output: &Path,
    jobs: &[(&Path, pdf::PdfJob)],
) -> Result<(), Diagnostics> {
    use std::io::IsTerminal;
    let show = std::io::stderr().is_terminal();
    let progress = |done: usize, total: usize| {
        if show && total > 1 {
            eprint!("\rPDF {done}/{total}");
            if done == total {
                eprintln!();
            }
        }
    };
    let plain: Vec<pdf::PdfJob> = jobs.iter().map(|(_, j)| j.clone()).collect();
    // PDFs of unchanged documents are kept in the site folder beside the encoded images
    // (like Quarto's `_freeze/`): a build that changed three factsheets prints three.
    let dirs = pdf::CacheDirs {
        cache: &site_dir.join(crate::images::CACHE_DIR).join("pdf"),
        output,
    };
    let failed = match pdf::render_cached(engine, &plain, dirs, &progress) {
        Ok(n) => {
            if n.reused > 0 {
                eprintln!(
                    "PDF: {} printed, {} unchanged since the last build (kept in {}/pdf/)",
                    n.printed,
                    n.reused,
                    crate::images::CACHE_DIR
                );
            }
            return Ok(());
        }
        Err(failed) => failed,
    };
    let mut errors = Diagnostics::new();
    for failure in failed {
        let source = jobs
            .iter()
            .find(|(_, j)| j.html == failure.html)
            .map(|(s, _)| s.to_path_buf())
            .unwrap_or(failure.html);
        errors.push(
            Diagnostic::file(source, format!("cannot make the PDF: {}", failure.message))
                .with_hint(failure.hint),
        );
    }
    errors.take_result()
}
