//! The accessibility gate: the example site, built with the real binary and served under a
//! subpath, must have no WCAG 2.1 A/AA violation (axe-core in headless Chromium, at 375 and
//! 1280 px) and no HTML error (Nu HTML Checker). Also checks that the gate itself catches
//! problems (its self-test on deliberately broken pages).
//!
//! Needs Chromium, Java and Node (installed by `.ci/run`); the Node packages are installed
//! here when missing.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn node_modules() {
    common::browser_tools(
        "the accessibility gate",
        &[
            ("node", "install Node.js 20 or newer"),
            ("chromium", "apt-get install -y chromium"),
            ("java", "apt-get install -y default-jre-headless"),
        ],
    );
}

fn run(script: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new("node")
        .arg(repo().join("tests/browser").join(script))
        .args(args)
        .output()
        .expect("run node");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn build_example(out: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_bundel"))
        .args(["build", ".", "--output"])
        .arg(out)
        .current_dir(repo())
        .status()
        .expect("run bundel");
    assert!(status.success(), "the example site must build");
}

#[test]
fn example_site_passes_axe_and_the_nu_html_checker() {
    node_modules();
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    build_example(&site);
    let site = site.to_str().unwrap();
    // Served under a subpath, as on a real host: also catches links that assume the root.
    let (ok, report) = run("a11y.mjs", &[site, "--prefix", "/rmc-achterhoek/"]);
    assert!(ok, "accessibility gate failed:\n{report}");
    let (ok, report) = run("vnu.mjs", &[site]);
    assert!(ok, "Nu HTML Checker found errors:\n{report}");
}

/// One page of every kind the example site has.
const PAGE_KINDS: &[&str] = &[
    "./",
    "nieuws/",
    "nieuws/webinar-aanvalsplan/",
    "nieuws/nieuwsbrief-met-gebundelde-kracht/",
    "nieuws/pagina/2/",
    "nieuws/archief/2022/",
    "portretten/",
    "portretten/anja-boschker/",
    "rapporten/",
    "rapporten/tussenevaluatie-2022/",
    "rapporten/tussenevaluatie-2022/cijfers/",
    "rapporten/tussenevaluatie-2022/print/",
    "publicaties/met-gebundelde-kracht/",
    "publicaties/met-gebundelde-kracht/vsv-in-cijfers/",
    "publicaties/met-gebundelde-kracht/print/",
    "factsheets/",
    "factsheets/arnhem/2020-2021/",
    "factsheets/achterhoek/2020-2021/",
    "onderwerpen/",
    "onderwerpen/vsv/",
    "categorie/monitoring/",
    "over-ons/",
    "zoeken/",
    "404.html",
];

#[test]
fn tables_and_charts_read_right_on_a_phone_and_a_desktop() {
    node_modules();
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    build_example(&site);
    let pages = PAGE_KINDS.join(",");
    let (ok, report) = run(
        "layout.mjs",
        &[
            site.to_str().unwrap(),
            "--prefix",
            "/rmc-achterhoek/",
            "--pages",
            &pages,
            "--max-lines",
            "rapporten/tussenevaluatie-2022/cijfers/#tbl-uitschrijvingen=2",
        ],
    );
    assert!(ok, "layout gate failed:\n{report}");
}

#[test]
fn the_gate_catches_deliberate_problems() {
    node_modules();
    let out = Command::new("bash")
        .arg(repo().join("tests/browser/selftest.sh"))
        .output()
        .expect("run selftest");
    let text =
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "gate self-test failed:\n{text}");
}
