//! Renders every chart type from the reference data into one HTML page, to look at the
//! charts in a browser (or a headless screenshot) at phone and desktop widths.
//!
//! cargo run --example chart_gallery -- /tmp/gallery.html

use bundel::chart::{render_svg, ChartKind, ChartSpec, Series, TargetLine};
use bundel::locale::Lang;
use std::path::Path;

/// A CSV from `data/` as header and rows of cells.
fn csv(name: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(name);
    let mut r =
        ::csv::Reader::from_path(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = r
        .headers()
        .expect("header")
        .iter()
        .map(str::to_string)
        .collect();
    let rows = r
        .records()
        .map(|rec| rec.expect("row").iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn num(s: &str) -> Option<f64> {
    s.trim().parse().ok()
}

fn spec(kind: ChartKind, id: &str, title: &str) -> ChartSpec {
    ChartSpec {
        kind,
        id: id.into(),
        title: title.into(),
        lang: Lang::Nl,
        ..ChartSpec::default()
    }
}

fn charts() -> Vec<ChartSpec> {
    let mut out = Vec::new();

    // Trend against the national average, with the programme's target.
    let (h, rows) = csv("vsv-aandeel-achterhoek-landelijk.csv");
    let mut c = spec(
        ChartKind::Line,
        "fig-vsv-trend",
        "Aandeel nieuwe voortijdig schoolverlaters, Achterhoek en landelijk",
    );
    c.categories = rows.iter().map(|r| r[0].clone()).collect();
    c.series = vec![
        Series {
            name: "Achterhoek".into(),
            values: rows.iter().map(|r| num(&r[2])).collect(),
        },
        Series {
            name: "Landelijk".into(),
            values: rows.iter().map(|r| num(&r[1])).collect(),
        },
    ];
    let _ = h;
    c.unit = Some("%".into());
    c.target = Some(TargetLine {
        value: 1.4,
        label: "Streefcijfer".into(),
    });
    c.highlight = Some("Achterhoek".into());
    out.push(c);

    // Per education type over three school years, as lines (five series, direct labels).
    let (_, rows) = csv("vsv-per-onderwijstype-achterhoek.csv");
    let years = ["2018/2019", "2019/2020", "2020/2021"];
    let types = ["mbo-1", "mbo-2", "mbo-3", "mbo-4", "vo", "vavo"];
    let pick = |t: &str, y: &str, col: usize| {
        rows.iter()
            .find(|r| r[0] == t && r[1] == y)
            .and_then(|r| num(&r[col]))
    };
    let mut c = spec(
        ChartKind::Line,
        "fig-type-lines",
        "Vsv-percentage per onderwijstype",
    );
    c.categories = years.iter().map(|s| s.to_string()).collect();
    c.series = types[..5]
        .iter()
        .map(|t| Series {
            name: t.to_string(),
            values: years.iter().map(|y| pick(t, y, 3)).collect(),
        })
        .collect();
    c.unit = Some("%".into());
    out.push(c);

    // Reasons for leaving: long labels.
    let (_, rows) = csv("redenen-uitval-mbo-2021-2022.csv");
    let mut c = spec(
        ChartKind::HBar,
        "fig-redenen",
        "Redenen van uitval in het mbo, 2021/2022 (n=248)",
    );
    c.categories = rows.iter().map(|r| r[0].clone()).collect();
    c.series = vec![Series {
        name: "Percentage".into(),
        values: rows.iter().map(|r| num(&r[1])).collect(),
    }];
    c.unit = Some("%".into());
    out.push(c);

    // Where early leavers are a year later, per comparable region.
    let (_, rows) = csv("vsv-een-jaar-later-per-regio-2019-2020.csv");
    let mut c = spec(
        ChartKind::Stacked100,
        "fig-een-jaar-later",
        "Vsv'ers een jaar later, per regio (2019/2020)",
    );
    c.categories = rows.iter().map(|r| r[0].clone()).collect();
    c.series = [
        ("Nog steeds vsv", 2),
        ("Aan het werk", 3),
        ("Terug in onderwijs", 4),
    ]
    .iter()
    .map(|(name, col)| Series {
        name: name.to_string(),
        values: rows.iter().map(|r| num(&r[*col])).collect(),
    })
    .collect();
    c.highlight = Some("Achterhoek".into());
    out.push(c);

    // Grouped: per education type, one column per school year.
    let mut c = spec(
        ChartKind::Grouped,
        "fig-type-grouped",
        "Vsv-percentage per onderwijstype en schooljaar",
    );
    c.categories = types.iter().map(|s| s.to_string()).collect();
    c.series = years
        .iter()
        .map(|y| Series {
            name: y.to_string(),
            values: types.iter().map(|t| pick(t, y, 3)).collect(),
        })
        .collect();
    c.unit = Some("%".into());
    out.push(c);

    // Columns with a target per education type.
    let mut c = spec(
        ChartKind::Bar,
        "fig-type-doel",
        "Vsv-percentage en doelpercentage per onderwijstype, 2020/2021",
    );
    c.categories = types.iter().map(|s| s.to_string()).collect();
    c.series = vec![Series {
        name: "Percentage".into(),
        values: types.iter().map(|t| pick(t, "2020/2021", 3)).collect(),
    }];
    c.category_targets = Some((
        "Doelpercentage".into(),
        types.iter().map(|t| pick(t, "2020/2021", 4)).collect(),
    ));
    c.unit = Some("%".into());
    out.push(c);

    // Stacked: absence reports per study direction.
    let (h, rows) = csv("verzuim-mbo-18min-2021-2022.csv");
    let mut c = spec(
        ChartKind::Stacked,
        "fig-verzuim",
        "Verzuimmeldingen mbo onder 18 jaar per opleidingsrichting, 2021/2022",
    );
    c.categories = rows.iter().map(|r| r[0].clone()).collect();
    c.series = (1..4)
        .map(|col| {
            let mut name = h[col].clone();
            name[..1].make_ascii_uppercase();
            Series {
                name,
                values: rows.iter().map(|r| num(&r[col])).collect(),
            }
        })
        .collect();
    out.push(c);

    // Institutions: very long names, counts with thousands.
    let (_, rows) = csv("uitschrijvingen-zonder-sk-per-instelling-2021-2022.csv");
    let mut c = spec(
        ChartKind::HBar,
        "fig-instellingen",
        "Deelnemers per mbo-instelling, 2021/2022",
    );
    c.categories = rows.iter().map(|r| r[0].clone()).collect();
    c.series = vec![Series {
        name: "Deelnemers".into(),
        values: rows.iter().map(|r| num(&r[5])).collect(),
    }];
    c.highlight = Some("Regionaal Opleidingen Centrum Graafschap College".into());
    out.push(c);

    // Grouped columns with region names: too crowded for columns on a phone.
    let (_, rows) = csv("verzuim-per-regio-2020-2021.csv");
    let mut c = spec(
        ChartKind::Grouped,
        "fig-verzuim-regio",
        "Verzuim per regio, 2020/2021",
    );
    c.categories = rows.iter().map(|r| r[0].clone()).collect();
    c.series = [
        ("Absoluut verzuim", 1),
        ("Langdurig relatief verzuim", 2),
        ("Vrijstellingen 5a", 3),
    ]
    .iter()
    .map(|(name, col)| Series {
        name: name.to_string(),
        values: rows.iter().map(|r| num(&r[*col])).collect(),
    })
    .collect();
    c.highlight = Some("Achterhoek".into());
    out.push(c);

    // Negative values and a missing year.
    let mut c = spec(
        ChartKind::Bar,
        "fig-verandering",
        "Verandering van het aantal vsv'ers ten opzichte van vorig jaar",
    );
    c.categories = [
        "2016/2017",
        "2017/2018",
        "2018/2019",
        "2019/2020",
        "2020/2021",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    c.series = vec![Series {
        name: "Verandering".into(),
        values: vec![Some(12.0), Some(-8.0), None, Some(-31.0), Some(22.0)],
    }];
    c.target = Some(TargetLine {
        value: 10.0,
        label: "Grens".into(),
    });
    out.push(c);

    // Stacked bars in both directions (illustrative numbers), in English.
    let mut c = spec(
        ChartKind::Stacked,
        "fig-flows",
        "Inflow and outflow per region (illustrative)",
    );
    c.lang = Lang::En;
    c.categories = ["Achterhoek", "Twente", "West-Friesland"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    c.series = vec![
        Series {
            name: "Back to school".into(),
            values: vec![Some(82.0), Some(198.0), Some(79.0)],
        },
        Series {
            name: "New leavers".into(),
            values: vec![Some(-120.0), Some(-301.0), None],
        },
        Series {
            name: "Moved away".into(),
            values: vec![Some(-14.0), Some(-22.0), Some(-9.0)],
        },
    ];
    out.push(c);

    // A gap in a line, targets per year, and awkward text.
    let mut c = spec(
        ChartKind::Line,
        "fig-gap",
        "Lijn met ontbrekend jaar en <script>alert(1)</script> & \"x\"",
    );
    c.categories = [
        "2016/2017",
        "2017/2018",
        "2018/2019",
        "2019/2020",
        "2020/2021",
        "2021/2022",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    c.series = vec![
        Series {
            name: "<script>alert(1)</script> & \"x\"".into(),
            values: vec![Some(1.3), Some(1.4), None, Some(1.2), Some(1.45), Some(1.5)],
        },
        Series {
            name: "Landelijk".into(),
            values: vec![
                Some(1.75),
                Some(1.9),
                Some(2.02),
                Some(1.72),
                Some(1.87),
                None,
            ],
        },
    ];
    c.category_targets = Some((
        "Streefcijfer".into(),
        vec![None, None, None, None, Some(1.6), Some(1.5)],
    ));
    c.unit = Some("%".into());
    c.value_labels = Some(true);
    out.push(c);

    out
}

fn main() {
    let dest = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "/tmp/gallery.html".into());
    let fonts = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/fonts");
    let mut html = format!(
        "<!doctype html><html lang=\"nl\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">\
<title>bundel charts</title><style>\
@font-face{{font-family:Inter;font-weight:400;src:url(file://{0}/inter-regular.woff2) format('woff2')}}\
@font-face{{font-family:Inter;font-weight:600;src:url(file://{0}/inter-semibold.woff2) format('woff2')}}\
@font-face{{font-family:Inter;font-style:italic;src:url(file://{0}/inter-italic.woff2) format('woff2')}}\
body{{font-family:Inter,system-ui,sans-serif;margin:0;color:#333}}main{{max-width:720px;margin:0 auto;padding:8px 16px}}\
figure{{margin:0 0 28px}}figcaption{{font-weight:600;font-size:15px;margin-bottom:8px}}\
{1}</style><main>",
        fonts.display(),
        // The theme's own stylesheet carries the chart rules the SVGs rely on.
        include_str!("../themes/default/static/css/bundel.css")
    );
    for (k, spec) in charts().iter().enumerate() {
        let drawn = render_svg(spec).unwrap_or_else(|e| panic!("{e}"));
        eprintln!("{:>6} bytes  {}", drawn.svg.len(), spec.id);
        let notes: String = drawn
            .notes
            .iter()
            .map(|n| format!("<p class=\"{}\">{}</p>", n.classes(), escape(&n.text)))
            .collect();
        html.push_str(&format!(
            "<figure><figcaption>Figuur {}. {}</figcaption><div class=\"chart-frame\">{}{notes}</div></figure>",
            k + 1,
            escape(&spec.title),
            drawn.svg
        ));
    }
    html.push_str("</main></html>\n");
    std::fs::write(&dest, html).expect("write gallery");
    eprintln!("wrote {dest}");
}
