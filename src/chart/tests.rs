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
        let out = render_svg(&spec).unwrap().svg;
        let doc = parse(&out);
        let roots = svgs(&doc);
        assert_eq!(roots.len(), 3, "{:?}", spec.kind);
        for (svg, layout) in roots.iter().zip(["compact", "medium", "wide"]) {
            assert_eq!(svg.attribute("role"), Some("img"));
            assert_eq!(
                svg.attribute("class"),
                Some(format!("chart chart-{layout}").as_str())
            );
            // Drawn at its own size: one unit is one CSS pixel.
            let vb: Vec<&str> = svg.attribute("viewBox").unwrap().split(' ').collect();
            assert_eq!(svg.attribute("width"), Some(vb[2]));
            assert_eq!(svg.attribute("height"), Some(vb[3]));
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
    let out = render_svg(&trend()).unwrap().svg;
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
    let out = render_svg(&trend()).unwrap().svg;
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
    let out = render_svg(&counts).unwrap().svg;
    assert!(texts(parse(&out).root_element()).contains(&"6.291".to_string()));

    // Without value labels the axis shows integer ticks with thousands separators.
    let mut axis = counts.clone();
    axis.value_labels = Some(false);
    let out = render_svg(&axis).unwrap().svg;
    let t = texts(parse(&out).root_element());
    assert!(t.contains(&"2.000".to_string()), "{t:?}");
    assert!(t.contains(&"0".to_string()));
    assert!(!t.contains(&"6.291".to_string()));

    let mut en = trend();
    en.lang = Lang::En;
    let out = render_svg(&en).unwrap().svg;
    let t = texts(parse(&out).root_element());
    assert!(t.contains(&"1.5%".to_string()));
    assert!(t
        .iter()
        .any(|x| x.contains("Target") || x.contains("Streefcijfer")));
}

#[test]
fn value_labels_follow_the_option() {
    let out = render_svg(&types()).unwrap().svg;
    let t = texts(parse(&out).root_element());
    assert!(t.contains(&"29,5%".to_string()), "{t:?}");
    assert!(
        t.contains(&"Doelpercentage".to_string()),
        "legend entry for the targets"
    );

    let mut off = types();
    off.value_labels = Some(false);
    let t = texts(parse(&render_svg(&off).unwrap().svg).root_element());
    assert!(!t.contains(&"29,5%".to_string()));
    assert!(
        t.contains(&"30%".to_string()) || t.contains(&"25%".to_string()),
        "{t:?}"
    );

    let mut every = trend();
    every.value_labels = Some(true);
    let t = texts(parse(&render_svg(&every).unwrap().svg).root_element());
    assert!(t.contains(&"1,75%".to_string()) && t.contains(&"1,30%".to_string()));

    let one = one_year_later();
    let t = texts(parse(&render_svg(&one).unwrap().svg).root_element());
    // Shares of the national row are computed from counts: 9106 of 22766 is 40%.
    assert!(t.contains(&"40%".to_string()), "{t:?}");
}

#[test]
fn missing_values_are_absent_not_zero() {
    let out = render_svg(&types()).unwrap().svg;
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
        // Five target markers, the legend's, and one beside each target's number.
        assert_eq!(layer(svg, "target-marks").len(), 11);
        let numbers: Vec<String> = svg
            .descendants()
            .filter(|n| n.attribute("class") == Some("target"))
            .map(|n| n.text().unwrap_or("").to_string())
            .collect();
        assert_eq!(numbers, ["26,4%", "8,6%", "3,2%", "2,7%", "1,0%"]);
    }

    let mut gap = trend();
    gap.series[1].values[2] = None;
    let out = render_svg(&gap).unwrap().svg;
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
    let out = render_svg(&one_year_later()).unwrap().svg;
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
        let out = render_svg(&spec).unwrap().svg;
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
        assert_eq!(
            render_svg(&spec).unwrap().svg,
            render_svg(&spec).unwrap().svg
        );
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
    let out = render_svg(&spec).unwrap().svg;
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
    let out = render_svg(&spec).unwrap().svg;
    assert!(out.contains("Line chart with 2 series"));

    spec.description = "Eigen beschrijving".into();
    assert!(render_svg(&spec)
        .unwrap()
        .svg
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
    let out = render_svg(&spec).unwrap().svg;
    eprintln!("five-series line chart, three layouts: {} bytes", out.len());
    assert!(out.len() < 45_000, "{} bytes", out.len());
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
    let out = render_svg(&empty).unwrap().svg;
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
        let n = layer(doc.root_element(), "target-marks").len();
        (n, texts(doc.root_element()))
    };
    let (all, _) = markers(&spec);
    // mbo-2 keeps its target but loses its value
    spec.series[0].values[1] = None;
    let (fewer, words) = markers(&spec);
    // Its marker and the swatch beside its target's number.
    assert_eq!(fewer, all - 2);
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

/// A text element as the reader sees it: its box (from the font metrics the layout uses),
/// class, fill and whether it has a white halo.
struct TextBox {
    text: String,
    class: String,
    fill: color::Rgb,
    halo: bool,
    bbox: (f64, f64, f64, f64),
}

fn text_boxes(svg: Node) -> Vec<TextBox> {
    svg.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|t| {
            let a = |k: &str| t.attribute(k);
            let x: f64 = a("x").unwrap().parse().unwrap();
            let y: f64 = a("y").unwrap().parse().unwrap();
            let text = t.text().unwrap_or("").to_string();
            let bold = a("font-weight").is_some();
            let w = text::width(&text, TEXT_PX, bold);
            let x0 = match a("text-anchor") {
                Some("middle") => x - w / 2.0,
                Some("end") => x - w,
                _ => x,
            };
            let fill = t
                .ancestors()
                .find_map(|n| n.attribute("fill"))
                .and_then(color::parse_css)
                .unwrap();
            TextBox {
                text,
                class: a("class").unwrap_or("").to_string(),
                fill,
                halo: a("stroke").is_some(),
                // The glyphs, without the safety margin the layout keeps around them.
                bbox: (x0, x0 + w, y - TEXT_PX * text::CAP, y),
            }
        })
        .collect()
}

/// Boxes of the target markers and target lines, from their `points`.
fn target_line_boxes(svg: Node) -> Vec<(f64, f64, f64, f64)> {
    let mut out = Vec::new();
    for class in ["target", "target-marks"] {
        for n in layer(svg, class) {
            let w: f64 = n.attribute("stroke-width").unwrap_or("1").parse().unwrap();
            let pts: Vec<(f64, f64)> = n
                .attribute("points")
                .unwrap()
                .split_whitespace()
                .map(|p| {
                    let (x, y) = p.split_once(',').unwrap();
                    (x.parse().unwrap(), y.parse().unwrap())
                })
                .collect();
            for seg in pts.windows(2) {
                let (a, b) = (seg[0], seg[1]);
                out.push((
                    a.0.min(b.0) - w / 2.0,
                    a.0.max(b.0) + w / 2.0,
                    a.1.min(b.1) - w / 2.0,
                    a.1.max(b.1) + w / 2.0,
                ));
            }
        }
    }
    out
}

/// Filled rectangles of bars: (box, fill).
fn bar_rects(svg: Node) -> Vec<((f64, f64, f64, f64), color::Rgb)> {
    layer(svg, "marks")
        .iter()
        .filter(|n| n.has_tag_name("rect"))
        .map(|r| {
            let a = |k: &str| r.attribute(k).unwrap().parse::<f64>().unwrap();
            let (x, y, w, h) = (a("x"), a("y"), a("width"), a("height"));
            (
                (x, x + w, y, y + h),
                color::parse_css(r.attribute("fill").unwrap()).unwrap(),
            )
        })
        .collect()
}

fn overlap(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)) -> bool {
    a.0 < b.1 && a.1 > b.0 && a.2 < b.3 && a.3 > b.2
}

/// The Arnhem factsheet's Figure 1 and 2 and the report's Figures 2.3 and 2.5, with the
/// default theme's palette (whose old mid-green passed no label colour).
fn example_charts() -> Vec<ChartSpec> {
    let theme: Vec<String> = [
        "#1f5f8b", "#d55e00", "#2a8c6b", "#8a5aa6", "#b8860b", "#5c6b73",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let years = s(&[
        "2015/2016",
        "2016/2017",
        "2017/2018",
        "2018/2019",
        "2019/2020",
        "2020/2021",
    ]);
    let stacked = ChartSpec {
        kind: ChartKind::Stacked,
        id: "fig-types-stacked".into(),
        title: "Aantal nieuwe vsv'ers per onderwijstype, Arnhem".into(),
        categories: years.clone(),
        series: vec![
            series(
                "vo",
                &[
                    Some(128.0),
                    Some(91.0),
                    Some(94.0),
                    Some(40.0),
                    Some(108.0),
                    Some(81.0),
                ],
            ),
            series(
                "mbo-1",
                &[
                    Some(118.0),
                    Some(96.0),
                    Some(124.0),
                    Some(153.0),
                    Some(105.0),
                    Some(95.0),
                ],
            ),
            series(
                "mbo-2",
                &[
                    Some(223.0),
                    Some(208.0),
                    Some(213.0),
                    Some(185.0),
                    Some(161.0),
                    Some(203.0),
                ],
            ),
            series(
                "mbo-3",
                &[
                    Some(128.0),
                    Some(135.0),
                    Some(135.0),
                    Some(123.0),
                    Some(97.0),
                    Some(126.0),
                ],
            ),
            series(
                "mbo-4",
                &[
                    Some(165.0),
                    Some(153.0),
                    Some(180.0),
                    Some(238.0),
                    Some(209.0),
                    Some(191.0),
                ],
            ),
        ],
        pinned_category: Some("2020/2021".into()),
        palette: theme.clone(),
        ..ChartSpec::default()
    };
    let trend = ChartSpec {
        kind: ChartKind::Line,
        id: "fig-arnhem".into(),
        title: "Vsv-aandeel per schooljaar: Arnhem tegenover landelijk".into(),
        categories: years,
        series: vec![
            series(
                "Arnhem",
                &[
                    Some(2.1),
                    Some(1.88),
                    Some(2.05),
                    Some(2.19),
                    Some(1.86),
                    Some(1.9),
                ],
            ),
            series(
                "Landelijk",
                &[
                    Some(1.98),
                    Some(1.75),
                    Some(1.9),
                    Some(2.02),
                    Some(1.72),
                    Some(1.87),
                ],
            ),
        ],
        unit: Some("%".into()),
        decimals: Some(2),
        category_targets: Some((
            "Streefcijfer Arnhem".into(),
            vec![Some(2.1), Some(2.0), Some(2.0), Some(2.0), Some(1.9), None],
        )),
        highlight: Some("Arnhem".into()),
        pinned_category: Some("2020/2021".into()),
        palette: theme.clone(),
        ..ChartSpec::default()
    };
    let mut doelen = types();
    doelen.id = "fig-doelen".into();
    doelen.palette = theme.clone();
    let mut later = one_year_later();
    later.highlight = Some("Achterhoek".into());
    later.palette = theme;
    vec![stacked, trend, doelen, later]
}

#[test]
fn every_segment_is_labelled_or_named_in_the_note() {
    for spec in example_charts()
        .into_iter()
        .filter(|s| matches!(s.kind, ChartKind::Stacked | ChartKind::Stacked100))
    {
        let out = render_svg(&spec).unwrap();
        for layout in Layout::ALL {
            let svg = render_svg_layout(&spec, layout).unwrap();
            let doc = Document::parse(&svg).unwrap();
            let root = doc.root_element();
            let values: Vec<TextBox> = text_boxes(root)
                .into_iter()
                .filter(|t| t.class == "value")
                .collect();
            let note = out
                .notes
                .iter()
                .find(|n| n.layouts.contains(&layout))
                .map(|n| n.text.clone())
                .unwrap_or_default();
            // Segments: bar rectangles below the legend (legend swatches are small squares).
            let segments: Vec<_> = bar_rects(root)
                .into_iter()
                .filter(|(b, _)| b.3 - b.2 >= 18.0)
                .collect();
            let total: usize = spec
                .series
                .iter()
                .map(|s| s.values.iter().flatten().filter(|v| **v != 0.0).count())
                .sum();
            assert_eq!(segments.len(), total, "{} {layout:?}", spec.id);
            let named = note
                .split_once(": ")
                .map_or(0, |(_, list)| list.split("; ").count());
            assert_eq!(
                values.len() + named,
                total,
                "{} {layout:?}: {} labels, note: {note}",
                spec.id,
                values.len()
            );
            // The highlighted row and the page's own year are labelled in full.
            let must: Vec<&str> = [&spec.highlight, &spec.pinned_category]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect();
            for m in must {
                assert!(!note.contains(&format!("in {m} ")), "{layout:?}: {note}");
            }
        }
    }
}

#[test]
fn labels_keep_clear_of_targets_and_each_other() {
    let mut specs = example_charts();
    specs.extend(all_kinds());
    let mut crowded = types();
    crowded.id = "fig-crowded".into();
    // Values right under their targets: the label must move, not sit on the marker.
    crowded.series[0].values = vec![Some(26.0), Some(8.4), Some(3.1), Some(2.6), Some(0.9), None];
    crowded.target = Some(TargetLine {
        value: 12.0,
        label: "Gemiddelde".into(),
    });
    specs.push(crowded);
    for spec in specs {
        for layout in Layout::ALL {
            let svg = render_svg_layout(&spec, layout).unwrap();
            let doc = Document::parse(&svg).unwrap();
            let root = doc.root_element();
            let targets = target_line_boxes(root);
            let texts = text_boxes(root);
            for t in texts.iter().filter(|t| !t.text.is_empty()) {
                if t.class != "legend" {
                    for b in &targets {
                        assert!(
                            !overlap(t.bbox, *b),
                            "{} {layout:?}: `{}` ({}) on a target line {b:?}",
                            spec.id,
                            t.text,
                            t.class
                        );
                    }
                }
            }
            let values: Vec<&TextBox> = texts
                .iter()
                .filter(|t| matches!(t.class.as_str(), "value" | "total" | "target" | "end"))
                .collect();
            for (i, a) in values.iter().enumerate() {
                for b in &values[i + 1..] {
                    assert!(
                        !overlap(a.bbox, b.bbox),
                        "{} {layout:?}: `{}` overlaps `{}`",
                        spec.id,
                        a.text,
                        b.text
                    );
                }
            }
        }
    }
}

#[test]
fn label_contrast_passes_on_what_is_behind_it() {
    let mut specs = example_charts();
    specs.extend(all_kinds());
    for spec in specs {
        for layout in Layout::ALL {
            let svg = render_svg_layout(&spec, layout).unwrap();
            let doc = Document::parse(&svg).unwrap();
            let root = doc.root_element();
            let bars = bar_rects(root);
            for t in text_boxes(root).iter().filter(|t| !t.text.is_empty()) {
                let (cx, cy) = ((t.bbox.0 + t.bbox.1) / 2.0, (t.bbox.2 + t.bbox.3) / 2.0);
                // The last bar drawn under the text's centre, else the white page.
                let behind = if t.halo {
                    color::WHITE
                } else {
                    bars.iter()
                        .rev()
                        .find(|(b, _)| cx > b.0 && cx < b.1 && cy > b.2 && cy < b.3)
                        .map_or(color::WHITE, |(_, f)| *f)
                };
                let c = color::contrast(t.fill, behind);
                assert!(
                    c >= 4.5,
                    "{} {layout:?}: `{}` {} on {} is {c:.2}:1",
                    spec.id,
                    t.text,
                    t.fill.hex(),
                    behind.hex()
                );
            }
        }
    }
}

#[test]
fn targets_are_labelled_only_where_the_data_has_them() {
    let specs = example_charts();
    let trend = &specs[1];
    for layout in Layout::ALL {
        let svg = render_svg_layout(trend, layout).unwrap();
        let doc = Document::parse(&svg).unwrap();
        let all = texts(doc.root_element()).join(" ");
        // The last target is 2019/2020's: it says so, and 2020/2021 gets none.
        assert!(all.contains("1,9%"), "{layout:?}: {all}");
        assert!(
            all.contains("in 2019/") || all.contains("in 2019/2020"),
            "{layout:?}: {all}"
        );
        // One marker for the lone first target, a dashed path for the rest; nothing in
        // 2020/2021's column.
        let marks = layer(doc.root_element(), "target-marks");
        let dashed = layer(doc.root_element(), "target");
        assert_eq!(dashed.len(), 1, "{layout:?}");
        assert!(marks.len() <= 1, "{layout:?}");
    }
    // Per-category targets: a number exactly for each category with data and a target.
    let mut doelen = specs[2].clone();
    doelen.category_targets.as_mut().unwrap().1[2] = None;
    for layout in Layout::ALL {
        let svg = render_svg_layout(&doelen, layout).unwrap();
        let doc = Document::parse(&svg).unwrap();
        let numbers: Vec<String> = text_boxes(doc.root_element())
            .into_iter()
            .filter(|t| t.class == "target")
            .map(|t| t.text)
            .collect();
        assert_eq!(numbers, ["26,4%", "8,6%", "2,7%", "1,0%"], "{layout:?}");
    }
}

#[test]
fn the_pinned_period_is_always_on_the_axis() {
    let mut spec = trend();
    spec.categories = (2008..2021).map(|y| format!("{y}/{}", y + 1)).collect();
    for s in &mut spec.series {
        s.values = (0..13).map(|j| Some(1.0 + j as f64 * 0.05)).collect();
    }
    for pin in ["2013/2014", "2020/2021", "2008/2009"] {
        spec.pinned_category = Some(pin.into());
        for layout in Layout::ALL {
            let svg = render_svg_layout(&spec, layout).unwrap();
            let doc = Document::parse(&svg).unwrap();
            let cats: Vec<String> = text_boxes(doc.root_element())
                .into_iter()
                .filter(|t| t.class == "category")
                .map(|t| t.text)
                .collect();
            let joined = cats.join("");
            assert!(
                joined.contains(pin) || cats.concat().contains(pin),
                "{layout:?} {pin}: {cats:?}"
            );
            // Too many years for a phone: fewer labels, not overlapping ones.
            if layout == Layout::Compact {
                assert!(cats.len() < 13, "{cats:?}");
            }
        }
    }
}

#[test]
fn chart_text_has_one_size_in_every_layout() {
    for spec in example_charts().into_iter().chain(all_kinds()) {
        for layout in Layout::ALL {
            let svg = render_svg_layout(&spec, layout).unwrap();
            let doc = Document::parse(&svg).unwrap();
            for t in doc.descendants().filter(|n| n.has_tag_name("text")) {
                let size: f64 = t
                    .ancestors()
                    .find_map(|a| a.attribute("font-size"))
                    .unwrap()
                    .parse()
                    .unwrap();
                assert_eq!(size, TEXT_PX);
            }
        }
    }
    let theme_css = include_str!("../../themes/default/static/css/bundel.css");
    assert!(theme_css.contains(&format!("svg.chart text {{ font-size: {}px; }}", TEXT_PX)));
}

#[test]
fn the_seventh_series_does_not_look_like_the_first() {
    let six: Vec<String> = [
        "#1f5f8b", "#c24e00", "#247a5c", "#8a5aa6", "#b8860b", "#5c6b73",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let seven: Vec<Series> = (0..7)
        .map(|i| {
            series(
                &format!("Reeks {}", i + 1),
                &[
                    Some(1.0 + i as f64),
                    Some(2.0 + i as f64),
                    Some(1.5 + i as f64),
                ],
            )
        })
        .collect();
    // Lines: the seventh has the first one's colour, but another marker and a dash.
    let lines = ChartSpec {
        kind: ChartKind::Line,
        id: "fig-seven".into(),
        categories: s(&["2019", "2020", "2021"]),
        series: seven.clone(),
        palette: six.clone(),
        ..ChartSpec::default()
    };
    let svg = render_svg_layout(&lines, Layout::Wide).unwrap();
    let doc = Document::parse(&svg).unwrap();
    let root = doc.root_element();
    let groups: Vec<Node> = root
        .children()
        .filter(|g| g.attribute("class") == Some("lines"))
        .collect();
    let series_lines: Vec<(Option<&str>, Option<&str>)> = groups
        .iter()
        .flat_map(|g| {
            g.children()
                .filter(|n| n.has_tag_name("polyline"))
                .map(|n| (n.attribute("stroke"), g.attribute("stroke-dasharray")))
        })
        .filter(|_| true)
        .collect();
    let first = series_lines[0];
    let seventh = series_lines[6];
    assert_eq!(first.0, seventh.0, "same colour, as the palette has six");
    assert_ne!(first.1, seventh.1, "but a dash: {series_lines:?}");
    // Markers: seven series, three points, two shapes each (white ring and fill).
    let dots: Vec<&str> = layer(root, "dots")
        .iter()
        .map(|n| n.tag_name().name())
        .collect();
    assert_eq!(dots[0], "circle");
    assert_ne!(dots[6 * 6], "circle", "{dots:?}");

    // Bars: the seventh is hatched.
    let bars = ChartSpec {
        kind: ChartKind::Grouped,
        id: "fig-seven-bars".into(),
        categories: s(&["2019", "2020", "2021"]),
        series: seven,
        palette: six,
        ..ChartSpec::default()
    };
    let svg = render_svg_layout(&bars, Layout::Wide).unwrap();
    let doc = Document::parse(&svg).unwrap();
    let hatched = layer(doc.root_element(), "hatch");
    // Three bars and the legend swatch.
    assert_eq!(hatched.len(), 4, "{svg}");
    assert!(svg.contains("<pattern id=\"fig-seven-bars-wide-hatch-1\""));
}

#[test]
fn many_lines_get_direct_labels_where_they_fit() {
    let mk = |m: usize, spread: f64| ChartSpec {
        kind: ChartKind::Line,
        id: "fig-many".into(),
        categories: s(&["2019", "2020", "2021"]),
        series: (0..m)
            .map(|i| {
                series(
                    &format!("R{i}"),
                    &[Some(1.0), Some(2.0), Some(1.0 + i as f64 * spread)],
                )
            })
            .collect(),
        ..ChartSpec::default()
    };
    // Eight well-spread lines: labelled at their ends, no legend.
    let svg = render_svg_layout(&mk(8, 3.0), Layout::Wide).unwrap();
    let doc = Document::parse(&svg).unwrap();
    let boxes = text_boxes(doc.root_element());
    assert_eq!(
        boxes
            .iter()
            .filter(|t| t.class == "end" && t.text.starts_with('R'))
            .count(),
        8
    );
    assert!(!boxes.iter().any(|t| t.class == "legend"));
    // Twelve: a legend.
    let svg = render_svg_layout(&mk(12, 1.0), Layout::Wide).unwrap();
    let doc = Document::parse(&svg).unwrap();
    assert_eq!(
        text_boxes(doc.root_element())
            .iter()
            .filter(|t| t.class == "legend")
            .count(),
        12
    );
}
