//! Rendering speed: 1,000 charts of mixed kinds, both layouts each.
//!
//! cargo bench --bench chart

use bundel::chart::{render_svg, ChartKind, ChartSpec, Series, TargetLine};
use std::hint::black_box;
use std::time::Instant;

fn specs() -> Vec<ChartSpec> {
    let years: Vec<String> = (2016..2022).map(|y| format!("{y}/{}", y + 1)).collect();
    let reasons: Vec<String> = [
        "Studie- en beroepskeuzegebonden factoren",
        "Persoonsgebonden factoren, instelling kan wel iets doen aan de opvang",
        "Persoonsgebonden factoren, instelling heeft geen invloed",
        "Arbeidsmarkt- en (externe) omgevingsfactoren",
        "Onbekend",
        "Instellingsgebonden factoren",
        "Zonder diploma, maar wel succesvol / afgesproken resultaat behaald",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let regions: Vec<String> = [
        "West-Friesland",
        "Twente",
        "Zuidwest Friesland",
        "Noord-Oost-Brabant",
        "Achterhoek",
        "Landelijk",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let wave =
        |i: usize, j: usize| 1.0 + i as f64 * 0.6 + ((i * 7 + j) as f64 * 0.7).sin().abs() * 3.0;
    let kinds = [
        ChartKind::Line,
        ChartKind::Bar,
        ChartKind::HBar,
        ChartKind::Grouped,
        ChartKind::Stacked,
        ChartKind::Stacked100,
    ];
    (0..1000)
        .map(|k| {
            let kind = kinds[k % kinds.len()];
            let (categories, m) = match kind {
                ChartKind::Line => (years.clone(), 1 + k % 5),
                ChartKind::Bar => (years.clone(), 1),
                ChartKind::HBar => (reasons.clone(), 1),
                _ => (regions.clone(), 3),
            };
            let n = categories.len();
            ChartSpec {
                kind,
                id: format!("fig-{k}"),
                title: format!("Grafiek {k}"),
                categories,
                series: (0..m)
                    .map(|i| Series {
                        name: format!("Reeks {i}"),
                        values: (0..n)
                            .map(|j| {
                                if (i + j + k) % 11 == 0 {
                                    None
                                } else {
                                    Some(wave(i + k, j))
                                }
                            })
                            .collect(),
                    })
                    .collect(),
                unit: Some("%".into()),
                target: (kind == ChartKind::Line).then(|| TargetLine {
                    value: 1.4,
                    label: "Streefcijfer".into(),
                }),
                ..ChartSpec::default()
            }
        })
        .collect()
}

fn main() {
    let specs = specs();
    // Warm up: the font metrics are loaded once per process.
    render_svg(&specs[0]).expect("renders");
    let mut best = f64::INFINITY;
    let mut bytes = 0;
    for _ in 0..5 {
        let start = Instant::now();
        bytes = 0;
        for s in &specs {
            bytes += black_box(render_svg(black_box(s)).expect("renders"))
                .svg
                .len();
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "chart: {} charts (all three layouts) in {:.1} ms, {:.0} charts/second, {:.1} KB per chart on average",
        specs.len(),
        best * 1000.0,
        specs.len() as f64 / best,
        bytes as f64 / specs.len() as f64 / 1000.0
    );
}
