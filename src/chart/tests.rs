use super::*;
use roxmltree::{Document, Node};

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

fn series(name: &str, v: &[Option<f64>]) -> Series {
    Series {
        name: name.into(),
        values: v.to_vec(),
    }
}

fn trend() -> ChartSpec {
    ChartSpec {
        kind: ChartKind::Line,
        id: "fig-vsv-trend".into(),
        title: "Aandeel vsv".into(),
        categories: s(&[
            "2016/2017",
            "2017/2018",
            "2018/2019",
            "2019/2020",
            "2020/2021",
        ]),
        series: vec![
            series(
                "Landelijk",
                &[Some(1.75), Some(1.90), Some(2.02), Some(1.72), Some(1.87)],
            ),
            series(
                "Achterhoek",
                &[Some(1.30), Some(1.40), Some(1.47), Some(1.20), Some(1.45)],
            ),
        ],
        unit: Some("%".into()),
        target: Some(TargetLine {
            value: 1.4,
            label: "Streefcijfer".into(),
        }),
        highlight: Some("Achterhoek".into()),
        ..ChartSpec::default()
    }
}

fn types() -> ChartSpec {
    ChartSpec {
        kind: ChartKind::Bar,
        id: "fig-types".into(),
        title: "Vsv per onderwijstype".into(),
        categories: s(&["mbo-1", "mbo-2", "mbo-3", "mbo-4", "vo", "vavo"]),
        series: vec![series(
            "Percentage",
            &[Some(29.5), Some(7.6), Some(2.3), Some(2.2), Some(0.5), None],
        )],
        category_targets: Some((
            "Doelpercentage".into(),
            vec![Some(26.4), Some(8.6), Some(3.2), Some(2.7), Some(1.0), None],
        )),
        unit: Some("%".into()),
        ..ChartSpec::default()
    }
}

fn one_year_later() -> ChartSpec {
    ChartSpec {
        kind: ChartKind::Stacked100,
        id: "fig-later".into(),
        title: "Een jaar later".into(),
        categories: s(&["West-Friesland", "Twente", "Achterhoek", "Landelijk"]),
        series: vec![
            series(
                "Nog steeds vsv",
                &[Some(36.0), Some(42.0), Some(38.0), Some(9106.0)],
            ),
            series(
                "Aan het werk",
                &[Some(40.0), Some(34.0), Some(36.0), Some(8196.0)],
            ),
            series(
                "Terug in onderwijs",
                &[Some(24.0), Some(24.0), Some(26.0), Some(5464.0)],
            ),
        ],
        ..ChartSpec::default()
    }
}

fn all_kinds() -> Vec<ChartSpec> {
    let mut out = vec![trend(), types(), one_year_later()];
    let mut h = types();
    h.kind = ChartKind::HBar;
    h.id = "fig-h".into();
    out.push(h);
    let mut g = one_year_later();
    g.kind = ChartKind::Grouped;
    g.id = "fig-g".into();
    out.push(g);
    let mut st = one_year_later();
    st.kind = ChartKind::Stacked;
    st.id = "fig-st".into();
    out.push(st);
    out
}

/// The two sibling <svg>s wrapped in one root so they parse as one document.
fn parse(svg: &str) -> Document<'_> {
    // Leaked so the Document can borrow it for the rest of the test.
    let wrapped: &'static str = Box::leak(format!("<root>{svg}</root>").into_boxed_str());
    Document::parse(wrapped).unwrap_or_else(|e| panic!("not well-formed XML: {e}\n{svg}"))
}

fn svgs<'a>(doc: &'a Document<'a>) -> Vec<Node<'a, 'a>> {
    doc.root_element()
        .children()
        .filter(|n| n.has_tag_name("svg"))
        .collect()
}

fn texts(node: Node) -> Vec<String> {
    node.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or("").to_string())
        .collect()
}

fn layer<'a>(svg: Node<'a, 'a>, class: &str) -> Vec<Node<'a, 'a>> {
    svg.children()
        .filter(|g| g.attribute("class") == Some(class))
        .flat_map(|g| g.children().filter(|n| n.is_element()))
        .collect()
}

#[test]
fn every_kind_is_well_formed_and_accessible() {
    for spec in all_kinds() {
        let out = render_svg(&spec).unwrap();
        let doc = parse(&out);
        let roots = svgs(&doc);
        assert_eq!(roots.len(), 2, "{:?}", spec.kind);
        for (svg, layout) in roots.iter().zip(["compact", "wide"]) {
            assert_eq!(svg.attribute("role"), Some("img"));
            assert_eq!(
                svg.attribute("class"),
                Some(format!("chart chart-{layout}").as_str())
            );
            assert_eq!(svg.attribute("width"), Some("100%"));
            assert!(svg.attribute("height").is_none());
            assert!(svg.attribute("viewBox").is_some());
            assert_eq!(
                svg.attribute("font-family"),
                Some("Inter, system-ui, sans-serif")
            );
            let ids: Vec<&str> = svg
                .attribute("aria-labelledby")
                .unwrap()
                .split(' ')
                .collect();
            assert_eq!(ids.len(), 2);
            for (id, tag) in ids.iter().zip(["title", "desc"]) {
                assert!(id.starts_with(&spec.id), "{id}");
                let el = svg
                    .descendants()
                    .find(|n| n.attribute("id") == Some(*id))
                    .unwrap_or_else(|| panic!("no element with id {id}"));
                assert!(el.has_tag_name(tag));
                assert!(!el.text().unwrap_or("").trim().is_empty());
            }
            // Every id in the document is prefixed with the chart id.
            for n in svg.descendants() {
                if let Some(id) = n.attribute("id") {
                    assert!(id.starts_with(&format!("{}-", spec.id)));
                }
            }
        }
    }
}

#[test]
fn ids_are_unique_across_both_layouts() {
    let out = render_svg(&trend()).unwrap();
    let doc = parse(&out);
    let mut ids: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("id"))
        .collect();
    let before = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), before);
}

#[test]
fn ticks_and_values_are_dutch() {
    let out = render_svg(&trend()).unwrap();
    let doc = parse(&out);
    for svg in svgs(&doc) {
        let t = texts(svg);
        assert!(t.iter().any(|x| x == "1,5%"), "{t:?}");
        assert!(t.iter().any(|x| x == "0%"), "{t:?}");
        assert!(!t.iter().any(|x| x == "0,0%"));
        // End label carries the last value; the target its own decimals.
        assert!(t.iter().any(|x| x == "1,45%"), "{t:?}");
        assert!(t.iter().any(|x| x.contains("Streefcijfer")));
        assert!(t.iter().any(|x| x.contains("1,4%")), "{t:?}");
    }

    let counts = ChartSpec {
        kind: ChartKind::HBar,
        id: "fig-n".into(),
        categories: s(&["Graafschap College", "Rijn IJssel"]),
        series: vec![series("Deelnemers", &[Some(6291.0), Some(896.0)])],
        ..ChartSpec::default()
    };
    let out = render_svg(&counts).unwrap();
    assert!(texts(parse(&out).root_element()).contains(&"6.291".to_string()));

    // Without value labels the axis shows integer ticks with thousands separators.
    let mut axis = counts.clone();
    axis.value_labels = Some(false);
    let out = render_svg(&axis).unwrap();
    let t = texts(parse(&out).root_element());
    assert!(t.contains(&"2.000".to_string()), "{t:?}");
    assert!(t.contains(&"0".to_string()));
    assert!(!t.contains(&"6.291".to_string()));

    let mut en = trend();
    en.lang = Lang::En;
    let out = render_svg(&en).unwrap();
    let t = texts(parse(&out).root_element());
    assert!(t.contains(&"1.5%".to_string()));
    assert!(t
        .iter()
        .any(|x| x.contains("Target") || x.contains("Streefcijfer")));
}

#[test]
fn value_labels_follow_the_option() {
    let out = render_svg(&types()).unwrap();
    let t = texts(parse(&out).root_element());
    assert!(t.contains(&"29,5%".to_string()), "{t:?}");
    assert!(
        t.contains(&"Doelpercentage".to_string()),
        "legend entry for the targets"
    );

    let mut off = types();
    off.value_labels = Some(false);
    let t = texts(parse(&render_svg(&off).unwrap()).root_element());
    assert!(!t.contains(&"29,5%".to_string()));
    assert!(
        t.contains(&"30%".to_string()) || t.contains(&"25%".to_string()),
        "{t:?}"
    );

    let mut every = trend();
    every.value_labels = Some(true);
    let t = texts(parse(&render_svg(&every).unwrap()).root_element());
    assert!(t.contains(&"1,75%".to_string()) && t.contains(&"1,30%".to_string()));

    let one = one_year_later();
    let t = texts(parse(&render_svg(&one).unwrap()).root_element());
    // Shares of the national row are computed from counts: 9106 of 22766 is 40%.
    assert!(t.contains(&"40%".to_string()), "{t:?}");
}

#[test]
fn missing_values_are_absent_not_zero() {
    let out = render_svg(&types()).unwrap();
    let doc = parse(&out);
    for svg in svgs(&doc) {
        // Five bars for six categories; the legend swatch is a line, not a rect.
        assert_eq!(
            layer(svg, "marks")
                .iter()
                .filter(|n| n.has_tag_name("rect"))
                .count(),
            5
        );
        let t = texts(svg);
        assert!(t.iter().any(|x| x == "–" || x == "geen gegevens"), "{t:?}");
        // Five target markers plus the legend's.
        assert_eq!(layer(svg, "lines").len(), 6);
    }

    let mut gap = trend();
    gap.series[1].values[2] = None;
    let out = render_svg(&gap).unwrap();
    let doc = parse(&out);
    for svg in svgs(&doc) {
        let lines = layer(svg, "lines");
        // Landelijk in one piece, Achterhoek in two around the gap.
        assert_eq!(lines.len(), 3, "{out}");
        for l in lines {
            let pts = l.attribute("points").unwrap().split_whitespace().count();
            assert!(pts == 5 || pts == 2, "{pts}");
        }
    }
}

#[test]
fn stacked100_bars_fill_the_width() {
    let out = render_svg(&one_year_later()).unwrap();
    let doc = parse(&out);
    for svg in svgs(&doc) {
        let rects: Vec<(f64, f64, f64)> = layer(svg, "marks")
            .iter()
            .filter(|n| n.has_tag_name("rect"))
            .map(|n| {
                let a = |k: &str| n.attribute(k).unwrap().parse::<f64>().unwrap();
                (a("x"), a("y"), a("width"), a("height"))
            })
            // Legend swatches are small squares; bars are taller.
            .filter(|r| r.3 > 15.0)
            .map(|r| (r.0, r.1, r.2))
            .collect();
        // Group segments by row (same y) and compare row spans.
        let mut rows: Vec<(f64, f64, f64)> = Vec::new();
        for (x, y, w) in rects {
            match rows.iter_mut().find(|r| r.0 == y) {
                Some(r) => {
                    r.1 = r.1.min(x);
                    r.2 = r.2.max(x + w);
                }
                None => rows.push((y, x, x + w)),
            }
        }
        let spans: Vec<f64> = rows.iter().map(|r| r.2 - r.1).collect();
        assert_eq!(spans.len(), 4);
        let full = spans.iter().cloned().fold(0.0, f64::max);
        assert!(spans.iter().all(|s| (*s - full).abs() <= 1.0), "{spans:?}");
    }
}

#[test]
fn text_from_data_is_escaped() {
    let evil = "<script>alert(1)</script> & \"x\"";
    for kind in [
        ChartKind::Line,
        ChartKind::Bar,
        ChartKind::HBar,
        ChartKind::Stacked100,
    ] {
        let spec = ChartSpec {
            kind,
            id: "fig-evil".into(),
            title: evil.into(),
            description: String::new(),
            categories: vec![evil.into(), "b".into()],
            series: vec![
                series(evil, &[Some(1.0), Some(2.0)]),
                series("'", &[Some(1.0), None]),
            ],
            highlight: Some(evil.into()),
            ..ChartSpec::default()
        };
        let out = render_svg(&spec).unwrap();
        assert!(!out.contains("<script>"));
        let doc = parse(&out);
        let svg = svgs(&doc)[1];
        let title = svg.children().find(|n| n.has_tag_name("title")).unwrap();
        assert_eq!(title.text(), Some(evil));
        let desc = svg.children().find(|n| n.has_tag_name("desc")).unwrap();
        assert!(desc.text().unwrap().contains(evil));
        // Long labels may wrap; the words survive.
        let all = texts(svg).join(" ");
        assert!(all.contains("&") && all.contains("\"x\""), "{all}");
    }
}

#[test]
fn output_is_deterministic() {
    for spec in all_kinds() {
        assert_eq!(render_svg(&spec).unwrap(), render_svg(&spec).unwrap());
    }
}

#[test]
fn impossible_specs_are_errors() {
    let mut no_series = trend();
    no_series.series.clear();
    assert!(render_svg(&no_series).unwrap_err().contains("no series"));

    let mut no_cats = trend();
    no_cats.categories.clear();
    assert!(render_svg(&no_cats).unwrap_err().contains("no categories"));

    let mut short = trend();
    short.series[0].values.pop();
    let e = render_svg(&short).unwrap_err();
    assert!(
        e.contains("Landelijk") && e.contains("4 values") && e.contains("5 categories"),
        "{e}"
    );

    let mut neg = one_year_later();
    neg.series[1].values[0] = Some(-3.0);
    let e = render_svg(&neg).unwrap_err();
    assert!(
        e.contains("negative") && e.contains("West-Friesland"),
        "{e}"
    );

    let mut bad_id = trend();
    bad_id.id = "fig 1\"".into();
    assert!(render_svg(&bad_id).unwrap_err().contains("chart id"));

    let mut nan = trend();
    nan.series[0].values[0] = Some(f64::NAN);
    assert!(render_svg(&nan).is_err());

    let mut targets = types();
    targets.category_targets.as_mut().unwrap().1.pop();
    assert!(render_svg(&targets)
        .unwrap_err()
        .contains("category targets"));

    let mut palette = trend();
    palette.palette = vec!["var(--accent)".into()];
    assert!(render_svg(&palette).unwrap_err().contains("var(--accent)"));

    let mut hl = trend();
    hl.highlight = Some("Twente".into());
    assert!(render_svg(&hl).unwrap_err().contains("Twente"));

    let mut range = trend();
    range.y_min = Some(3.0);
    range.y_max = Some(1.0);
    assert!(render_svg(&range).unwrap_err().contains("y_min"));
}

#[test]
fn description_is_generated_in_the_spec_language() {
    let mut spec = trend();
    spec.highlight = None;
    let out = render_svg(&spec).unwrap();
    let doc = parse(&out);
    let desc = svgs(&doc)[0]
        .children()
        .find(|n| n.has_tag_name("desc"))
        .unwrap()
        .text()
        .unwrap()
        .to_string();
    assert!(desc.starts_with("Lijndiagram met 2 reeksen"), "{desc}");
    assert!(
        desc.contains("5 schooljaren, van 2016/2017 tot 2020/2021"),
        "{desc}"
    );
    assert!(
        desc.contains("Achterhoek: van 1,30% in 2016/2017 naar 1,45% in 2020/2021"),
        "{desc}"
    );
    assert!(desc.contains("Streefcijfer 1,4%"), "{desc}");

    spec.lang = Lang::En;
    let out = render_svg(&spec).unwrap();
    assert!(out.contains("Line chart with 2 series"));

    spec.description = "Eigen beschrijving".into();
    assert!(render_svg(&spec)
        .unwrap()
        .contains(">Eigen beschrijving</desc>"));
}

#[test]
fn end_labels_do_not_overlap() {
    // Four lines ending almost at the same value.
    let spec = ChartSpec {
        kind: ChartKind::Line,
        id: "fig-close".into(),
        categories: s(&["2019", "2020", "2021"]),
        series: (0..4)
            .map(|i| {
                series(
                    &format!("Regio {i}"),
                    &[Some(1.0), Some(2.0), Some(2.0 + i as f64 * 0.01)],
                )
            })
            .collect(),
        unit: Some("%".into()),
        ..ChartSpec::default()
    };
    for layout in [Layout::Compact, Layout::Wide] {
        let out = render_svg_layout(&spec, layout).unwrap();
        let doc = Document::parse(&out).unwrap();
        let mut ys: Vec<f64> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text") && n.text().is_some_and(|t| t.starts_with("Regio")))
            .map(|n| n.attribute("y").unwrap().parse().unwrap())
            .collect();
        ys.sort_by(f64::total_cmp);
        assert_eq!(ys.len(), 4);
        let size = layout::Style::new(layout).fs;
        for w in ys.windows(2) {
            assert!(w[1] - w[0] >= size, "{ys:?}");
        }
    }
}

#[test]
fn text_stays_readable_on_a_phone() {
    // The compact layout is shown at about 328 px on a 360 px screen.
    for spec in all_kinds() {
        let out = render_svg_layout(&spec, Layout::Compact).unwrap();
        let doc = Document::parse(&out).unwrap();
        let root = doc.root_element();
        let vb_w: f64 = root
            .attribute("viewBox")
            .unwrap()
            .split(' ')
            .nth(2)
            .unwrap()
            .parse()
            .unwrap();
        for t in root.descendants().filter(|n| n.has_tag_name("text")) {
            let size: f64 = t
                .ancestors()
                .find_map(|a| a.attribute("font-size"))
                .unwrap()
                .parse()
                .unwrap();
            assert!(size * 328.0 / vb_w >= 11.5, "{size}");
        }
        // Nothing is placed outside the drawing.
        for t in root.descendants().filter(|n| n.has_tag_name("text")) {
            let x: f64 = t.attribute("x").unwrap().parse().unwrap();
            assert!((0.0..=vb_w).contains(&x));
        }
    }
}

#[test]
fn five_line_chart_is_small() {
    let spec = ChartSpec {
        kind: ChartKind::Line,
        id: "fig-five".into(),
        title: "Vijf reeksen".into(),
        categories: s(&[
            "2016/2017",
            "2017/2018",
            "2018/2019",
            "2019/2020",
            "2020/2021",
            "2021/2022",
        ]),
        series: (0..5)
            .map(|i| {
                let v: Vec<Option<f64>> = (0..6)
                    .map(|j| Some(1.0 + i as f64 * 0.7 + (j as f64 * 0.37).sin()))
                    .collect();
                series(&format!("Onderwijstype {i}"), &v)
            })
            .collect(),
        unit: Some("%".into()),
        target: Some(TargetLine {
            value: 1.4,
            label: "Streefcijfer".into(),
        }),
        ..ChartSpec::default()
    };
    let out = render_svg(&spec).unwrap();
    eprintln!("five-series line chart: {} bytes", out.len());
    assert!(out.len() < 30_000, "{} bytes", out.len());
}

#[test]
fn negative_values_hang_below_the_baseline() {
    let spec = ChartSpec {
        kind: ChartKind::Bar,
        id: "fig-neg".into(),
        categories: s(&["a", "b", "c"]),
        series: vec![series("Verandering", &[Some(12.0), Some(-8.0), Some(3.0)])],
        ..ChartSpec::default()
    };
    let out = render_svg_layout(&spec, Layout::Wide).unwrap();
    let doc = Document::parse(&out).unwrap();
    let svg = doc.root_element();
    let rects: Vec<(f64, f64)> = layer(svg, "marks")
        .iter()
        .map(|r| {
            let y: f64 = r.attribute("y").unwrap().parse().unwrap();
            let h: f64 = r.attribute("height").unwrap().parse().unwrap();
            (y, y + h)
        })
        .collect();
    // The negative bar starts where the positive ones end: at the zero baseline.
    assert_eq!(rects[1].0, rects[0].1);
    assert!(rects[1].1 > rects[1].0);
    assert!(texts(svg).contains(&"\u{2212}8".to_string()));
}

#[test]
fn crowded_columns_become_bars_on_phones() {
    let spec = ChartSpec {
        kind: ChartKind::Grouped,
        id: "fig-regions".into(),
        categories: s(&[
            "Achterhoek",
            "Twente",
            "Zuidwest Friesland",
            "Noord-Oost-Brabant",
            "West-Friesland",
        ]),
        series: vec![
            series(
                "Absoluut",
                &[Some(10.0), Some(0.0), Some(19.0), Some(22.0), Some(3.0)],
            ),
            series(
                "Relatief",
                &[Some(11.0), Some(22.0), Some(9.0), Some(13.0), Some(13.0)],
            ),
        ],
        ..ChartSpec::default()
    };
    let width_height = |layout| {
        let out = render_svg_layout(&spec, layout).unwrap();
        let doc = Document::parse(&out).unwrap();
        layer(doc.root_element(), "marks")
            .iter()
            .filter(|r| {
                r.attribute("height").unwrap().parse::<f64>().unwrap() > 12.0
                    || r.attribute("width").unwrap().parse::<f64>().unwrap() > 12.0
            })
            .map(|r| {
                let a = |k: &str| r.attribute(k).unwrap().parse::<f64>().unwrap();
                (a("width"), a("height"))
            })
            .collect::<Vec<_>>()
    };
    // Wide: columns, all equally wide; compact: bars, all equally tall (none for the zero).
    let wide = width_height(Layout::Wide);
    assert!(
        wide.iter().all(|(w, _)| (*w - wide[0].0).abs() <= 1.0),
        "{wide:?}"
    );
    assert!(wide.iter().any(|(w, h)| h > w));
    let compact = width_height(Layout::Compact);
    assert_eq!(compact.len(), 9);
    assert!(
        compact
            .iter()
            .all(|(_, h)| (*h - compact[0].1).abs() <= 1.0),
        "{compact:?}"
    );
    assert!(compact.iter().any(|(w, h)| w > h));
}

#[test]
fn line_targets_per_category_and_empty_lines() {
    let mut spec = trend();
    spec.target = None;
    spec.category_targets = Some((
        "Streefcijfer".into(),
        vec![None, None, None, Some(1.6), Some(1.5)],
    ));
    let out = render_svg_layout(&spec, Layout::Wide).unwrap();
    let doc = Document::parse(&out).unwrap();
    let dashed = layer(doc.root_element(), "target");
    assert_eq!(dashed.len(), 1);
    assert_eq!(
        dashed[0]
            .attribute("points")
            .unwrap()
            .split_whitespace()
            .count(),
        2
    );
    assert!(texts(doc.root_element()).iter().any(|t| t.contains("1,5%")));

    let mut empty = trend();
    empty.target = None;
    for s in &mut empty.series {
        s.values = vec![None; 5];
    }
    let out = render_svg(&empty).unwrap();
    assert!(out.contains(">geen gegevens</text>"));
    assert!(!out.contains("<polyline fill=\"none\" opacity=\"1\" stroke=\"#0072B2\""));
}

#[test]
fn bars_without_data_get_no_target_marker_over_their_words() {
    let mut spec = types();
    spec.kind = ChartKind::HBar;
    let markers = |spec: &ChartSpec| {
        let out = render_svg_layout(spec, Layout::Wide).unwrap();
        let doc = Document::parse(&out).unwrap();
        let n = layer(doc.root_element(), "lines").len();
        (n, texts(doc.root_element()))
    };
    let (all, _) = markers(&spec);
    // mbo-2 keeps its target but loses its value
    spec.series[0].values[1] = None;
    let (fewer, words) = markers(&spec);
    assert_eq!(fewer, all - 1);
    assert!(words.iter().any(|t| t == "geen gegevens"), "{words:?}");
}

#[test]
fn fixed_axis_cuts_values_at_the_edge() {
    let mut spec = types();
    spec.y_max = Some(10.0);
    spec.value_labels = Some(false);
    let out = render_svg_layout(&spec, Layout::Wide).unwrap();
    let doc = Document::parse(&out).unwrap();
    let svg = doc.root_element();
    let t = texts(svg);
    assert!(
        t.contains(&"10%".to_string()) && !t.contains(&"15%".to_string()),
        "{t:?}"
    );
    // The 29,5% column stops at the top gridline instead of running into the legend.
    let top_tick_y: f64 = layer(svg, "grid")
        .iter()
        .map(|g| {
            g.attribute("points")
                .unwrap()
                .split(',')
                .nth(1)
                .unwrap()
                .split(' ')
                .next()
                .unwrap()
                .parse::<f64>()
                .unwrap()
        })
        .fold(f64::INFINITY, f64::min);
    let highest_bar: f64 = layer(svg, "marks")
        .iter()
        .filter(|n| n.has_tag_name("rect"))
        .map(|r| r.attribute("y").unwrap().parse::<f64>().unwrap())
        .fold(f64::INFINITY, f64::min);
    assert!(
        highest_bar >= top_tick_y - 0.5,
        "{highest_bar} {top_tick_y}"
    );
}
