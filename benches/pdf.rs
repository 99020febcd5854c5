//! PDF benchmark: 40 one-page documents and the sample report, with the real engine.
//!
//! cargo bench --bench pdf                      run the benchmark
//! cargo bench --bench pdf -- IN.html OUT.pdf [IN OUT ...]   render files (to look at them)

use std::path::{Path, PathBuf};
use std::time::Instant;

use bundel::pdf::{find_engine, page_count, render, PdfJob};

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

/// A one-page factsheet-like document: heading, a few paragraphs, a small table.
fn one_pager(n: usize) -> String {
    let rows: String = (1..=8)
        .map(|r| format!("<tr><th scope=\"row\">Regio {r}</th><td class=\"num\">{},{:02}%</td><td class=\"num\">{}</td></tr>", 1 + (r * n) % 3, (r * 7 + n) % 100, 100 + r * n))
        .collect();
    format!(
        "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>Vsv in cijfers {n}</title>\
<link rel=\"stylesheet\" href=\"../../css/bundel.css\"><link rel=\"stylesheet\" href=\"../../css/print.css\" media=\"print\">\
<style>@page {{ @top-left {{ content: \"Vsv in cijfers {n}\" }} }}</style></head><body class=\"print-document\">\
<h1>Vsv in cijfers, regio {n}</h1><p>In het schooljaar 2020/2021 verliet 1,45% van de jongeren het onderwijs zonder startkwalificatie. \
Dat is minder dan het landelijk gemiddelde van 1,87%.</p>\
<figure class=\"figure figure--table\" id=\"t{n}\"><figcaption><span class=\"figure__label\">Tabel 1</span> Vsv-aandeel per regio</figcaption>\
<div class=\"table-scroll\"><table class=\"data-table\"><thead><tr><th scope=\"col\">Regio</th><th scope=\"col\" class=\"num\">Aandeel</th><th scope=\"col\" class=\"num\">Aantal</th></tr></thead>\
<tbody>{rows}</tbody></table></div><p class=\"figure__source\">Bron: DUO</p></figure></body></html>"
    )
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let engine = find_engine(None).unwrap_or_else(|e| panic!("{e}"));
    if !args.is_empty() {
        let jobs: Vec<PdfJob> = args
            .chunks(2)
            .map(|p| PdfJob {
                html: p[0].clone().into(),
                pdf: p.get(1).expect("IN.html OUT.pdf pairs").into(),
                title: String::new(),
                online: None,
            })
            .collect();
        let t = Instant::now();
        render(&engine, &jobs, &|_, _| {}).unwrap_or_else(|e| panic!("{e:?}"));
        for j in &jobs {
            eprintln!("{}: {} pages", j.pdf.display(), page_count(&j.pdf).unwrap());
        }
        eprintln!("{:.2} s", t.elapsed().as_secs_f64());
        return;
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("bundel-pdf-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&root.join("themes/default/static/css"), &dir.join("css"));
    copy_dir(
        &root.join("themes/default/static/fonts"),
        &dir.join("fonts"),
    );
    let mut jobs = Vec::new();
    for n in 1..=40 {
        let html = dir.join(format!("cijfers/regio-{n}/print.html"));
        std::fs::create_dir_all(html.parent().unwrap()).unwrap();
        std::fs::write(&html, one_pager(n)).unwrap();
        jobs.push(PdfJob {
            html,
            pdf: dir.join(format!("out/regio-{n}.pdf")),
            title: format!("Vsv in cijfers {n}"),
            online: None,
        });
    }
    let t = Instant::now();
    render(&engine, &jobs, &|_, _| {}).unwrap_or_else(|e| panic!("{e:?}"));
    let forty = t.elapsed().as_secs_f64();
    let pages: usize = jobs.iter().map(|j| page_count(&j.pdf).unwrap()).sum();

    let report = dir.join("rapporten/tussenevaluatie/print.html");
    std::fs::create_dir_all(report.parent().unwrap()).unwrap();
    std::fs::copy(
        root.join("tests/fixtures/print/rapporten/tussenevaluatie/print.html"),
        &report,
    )
    .unwrap();
    let job = PdfJob {
        html: report,
        pdf: dir.join("out/rapport.pdf"),
        title: "Tussenevaluatie programma vsv 2020-2024".into(),
        online: None,
    };
    let t = Instant::now();
    render(&engine, std::slice::from_ref(&job), &|_, _| {}).unwrap_or_else(|e| panic!("{e:?}"));
    let one = t.elapsed().as_secs_f64();
    println!(
        "40 one-page documents ({pages} pages): {forty:.2} s ({:.2} s per document)",
        forty / 40.0
    );
    println!(
        "sample report ({} pages, browser start included): {one:.2} s",
        page_count(&job.pdf).unwrap()
    );
    let _ = std::fs::remove_dir_all(&dir);
}
