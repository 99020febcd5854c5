//! What templates see of the whole site: page summaries, sections, documents, the site's
//! settings, and the lookup functions (`get_page`, `get_section`, `get_data`).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use tera::{Context, Value};

use super::context::{self, section_view, PdfView};
use super::documents::{self, Document};
use super::links::ROOT;
use super::pages::RenderCx;
use crate::config::SiteConfig;
use crate::content::{Content, Page, PageKind};
use crate::data::DataStore;
use crate::markdown;
use crate::search;
use crate::templates::Templates;

/// Every section as templates see it (`section`, `get_section`).
pub(super) fn section_values(content: &Content, summaries: &[Value]) -> Vec<Value> {
    content
        .sections
        .iter()
        .map(|s| {
            let mut view = section_view(s, summaries);
            view.subsections = s
                .subsections
                .iter()
                .map(|&sub| summaries[content.sections[sub].page].clone())
                .collect();
            view.generated = context::generated_index(s, content, summaries);
            Value::from_serializable(&view)
        })
        .collect()
}

/// The previous and next page in the page's section order.
pub(super) fn neighbours(
    page: &Page,
    content: &Content,
    summaries: &[Value],
) -> (Option<Value>, Option<Value>) {
    let Some(s) = page.section.filter(|_| page.kind == PageKind::Regular) else {
        return (None, None);
    };
    let list = &content.sections[s].pages;
    let Some(i) = list.iter().position(|&p| p == page.id) else {
        return (None, None);
    };
    let prev = i.checked_sub(1).map(|j| summaries[list[j]].clone());
    let next = list.get(i + 1).map(|&j| summaries[j].clone());
    (prev, next)
}

#[derive(serde::Serialize)]
pub(super) struct MenuView<'a> {
    pub(super) title: &'a str,
    pub(super) url: String,
    /// Site path for internal entries (to mark the current one), empty for external links.
    pub(super) path: String,
}

#[derive(serde::Serialize)]
pub(super) struct ConfigView<'a> {
    #[serde(flatten)]
    pub(super) config: &'a SiteConfig,
    pub(super) menu: Vec<MenuView<'a>>,
    pub(super) base_url: String,
}

pub(super) fn config_view(config: &SiteConfig) -> ConfigView<'_> {
    let menu = config
        .menu
        .iter()
        .map(|m| {
            let internal = m.url.starts_with('/');
            let path = if internal {
                m.url.trim_start_matches('/').to_string()
            } else {
                String::new()
            };
            MenuView {
                title: &m.title,
                url: if internal {
                    format!("{ROOT}{path}")
                } else {
                    m.url.clone()
                },
                path,
            }
        })
        .collect();
    ConfigView {
        config,
        menu,
        base_url: config.base_url(),
    }
}

/// Template functions that look into the whole site: `get_section(path=...)`,
/// `get_page(path=...)`, `get_data(name=...)`.
pub(super) fn register_lookups(
    templates: &mut Templates,
    content: &Content,
    summaries: &[Value],
    sections: &[Value],
    data: &DataStore,
) {
    let mut page_index: BTreeMap<String, Value> = BTreeMap::new();
    let mut section_index: BTreeMap<String, Value> = BTreeMap::new();
    for page in &content.pages {
        let v = summaries[page.id].clone();
        let cp = context::content_path(page);
        page_index.insert(page.path.trim_end_matches('/').to_string(), v.clone());
        page_index.entry(cp).or_insert(v);
    }
    for section in &content.sections {
        let page = &content.pages[section.page];
        let v = sections[section.id].clone();
        section_index.insert(page.path.trim_end_matches('/').to_string(), v.clone());
        section_index
            .entry(context::content_path(page))
            .or_insert(v);
    }
    let page_index = Arc::new(page_index);
    let section_index = Arc::new(section_index);
    templates.register_function("get_page", move |kw: tera::Kwargs, _: &tera::State| {
        let path: String = kw.must_get::<&str>("path")?.trim_matches('/').to_string();
        match page_index.get(&path) {
            Some(v) => Ok(v.clone()),
            None if kw.get::<bool>("optional")?.unwrap_or(false) => Ok(Value::none()),
            None => Err(tera::Error::message(format!("get_page: no page `{path}`"))),
        }
    });
    templates.register_function("get_section", move |kw: tera::Kwargs, _: &tera::State| {
        let path: String = kw.must_get::<&str>("path")?.trim_matches('/').to_string();
        match section_index.get(&path) {
            Some(v) => Ok(v.clone()),
            None if kw.get::<bool>("optional")?.unwrap_or(false) => Ok(Value::none()),
            None => Err(tera::Error::message(format!(
                "get_section: no section `{path}`"
            ))),
        }
    });
    // A table becomes a template value when a template first asks for it: most sites never
    // do, and a large table costs a lot of memory as a value.
    let data = data.clone();
    let values: Arc<Mutex<BTreeMap<String, Value>>> = Arc::default();
    templates.register_function("get_data", move |kw: tera::Kwargs, _: &tera::State| {
        let name: &str = kw.must_get::<&str>("name")?;
        if let Some(v) = values.lock().expect("get_data").get(name) {
            return Ok(v.clone());
        }
        let value = data.get(name).map(Value::from_serializable);
        let mut values = values.lock().expect("get_data");
        value
            .map(|v| values.entry(name.to_string()).or_insert(v).clone())
            .ok_or_else(|| tera::Error::message(format!("get_data: no data table `{name}`")))
    });
}

/// The site as templates see it, made once before any page is rendered. Only the PDFs'
/// sizes come later ([`SiteViews::link_pdfs`]): they are known once the PDFs are printed.
pub(super) struct SiteViews<'a> {
    /// Every page's summary (`page` minus its content), by page id.
    pub(super) summaries: Vec<Value>,
    /// Every section, by section id.
    pub(super) sections: Vec<Value>,
    /// Reports and publications, in site order.
    pub(super) long_docs: Vec<&'a Document>,
    /// For each page, the index in `long_docs` of the document it belongs to.
    pub(super) doc_of_page: Vec<Option<usize>>,
    /// Each page's table of contents.
    pub(super) tocs: Vec<Vec<markdown::Heading>>,
    /// What every template gets: `config`, `lang`, `t`, `theme`, `root`, `search_url`.
    pub(super) shared: Context,
    /// The site's search page, when search is on.
    pub(super) search_path: Option<&'static str>,
}

impl<'a> SiteViews<'a> {
    pub(super) fn new(cx: &RenderCx<'a>) -> SiteViews<'a> {
        let (config, content) = (&cx.inputs.config, &cx.inputs.content);
        let summaries: Vec<Value> = content
            .pages
            .par_iter()
            .map(|p| Value::from_serializable(&cx.summary(p)))
            .collect();
        let sections = section_values(content, &summaries);

        let mut shared = Context::new();
        shared.insert("config", &config_view(config));
        shared.insert("lang", &config.language);
        shared.insert("t", &cx.inputs.theme.strings);
        shared.insert("theme", &cx.inputs.theme.settings);
        shared.insert("root", ROOT);
        let search_path = config
            .search_enabled(content.pages.len())
            .then(|| search::page_path(config.lang()));
        if let Some(path) = search_path {
            shared.insert("search_url", &format!("{ROOT}{path}"));
        }

        let long_docs: Vec<&Document> = cx.docs.iter().filter(|d| d.is_long()).collect();
        let mut doc_of_page: Vec<Option<usize>> = vec![None; content.pages.len()];
        for (i, d) in long_docs.iter().enumerate() {
            doc_of_page[d.index] = Some(i);
            if d.kind == documents::Kind::Report {
                for &p in &d.parts {
                    doc_of_page[p] = Some(i);
                }
            }
        }
        SiteViews {
            summaries,
            sections,
            long_docs,
            doc_of_page,
            tocs: cx.rendered.iter().map(|r| r.toc.clone()).collect(),
            shared,
            search_path,
        }
    }

    /// The document `i` of `long_docs` as templates see it (`document`).
    pub(super) fn document(&self, cx: &RenderCx, i: usize, pdf: Option<PdfView>) -> Value {
        Value::from_serializable(&documents::view(
            self.long_docs[i],
            &cx.inputs.content,
            &self.summaries,
            &self.tocs,
            pdf,
        ))
    }

    /// Gives the documents that have a PDF its link and size, in their summaries and in the
    /// sections that list them.
    pub(super) fn link_pdfs(&mut self, cx: &RenderCx, pdfs: &[Option<PdfView>]) {
        if pdfs.iter().all(Option::is_none) {
            return;
        }
        for (i, pdf) in pdfs.iter().enumerate() {
            if let Some(pdf) = pdf {
                let d = self.long_docs[i].index;
                let mut summary = cx.summary(&cx.inputs.content.pages[d]);
                summary.pdf = Some(pdf.clone());
                self.summaries[d] = Value::from_serializable(&summary);
            }
        }
        self.sections = section_values(&cx.inputs.content, &self.summaries);
    }

    /// `get_page`, `get_section` and `get_data` for the templates, from these views.
    pub(super) fn register(&self, templates: &mut Templates, cx: &RenderCx) {
        register_lookups(
            templates,
            &cx.inputs.content,
            &self.summaries,
            &self.sections,
            &cx.inputs.data,
        );
    }
}
