//! Paths and faults that must never lose data or leak a file: where the output may go, how
//! it is replaced, interrupted builds, generated paths, output collisions, symbolic links.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;

/// A site in `site/` of a temporary folder, so `--output ..` stays inside the test's folder.
fn nested_site() -> (Site, PathBuf) {
    let s = Site::bare();
    s.write("site/site.yaml", MINIMAL_CONFIG);
    s.write("site/content/_index.md", "---\ntitle: Home\n---\nWelkom.\n");
    s.write("site/content/over.md", "---\ntitle: Over\n---\nTekst.\n");
    s.write("site/data/cijfers.csv", "regio,aantal\nAchterhoek,12\n");
    s.write("site/static/img/logo.svg", "<svg/>");
    s.write("site/templates/.keep", "");
    s.write("site/themes/.keep", "");
    s.write("beside/notes.txt", "not the site's");
    let dir = s.path().join("site");
    (s, dir)
}

fn bundel_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_bundel"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run bundel")
}

/// Names of the entries of `dir` that a build leaves behind: staging and old outputs.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".staging-") || n.ends_with(".old"))
        .collect()
}

#[test]
fn output_at_the_site_or_above_it_or_in_a_source_folder_is_refused() {
    let (s, site) = nested_site();
    let before = tree(s.path());
    let absolute_site = site.to_str().unwrap().to_string();
    for output in [
        ".",
        "..",
        "../..",
        absolute_site.as_str(),
        "content",
        "content/nieuws",
        "data",
        "static",
        "static/img",
        "templates",
        "themes",
    ] {
        let out = bundel_in(&site, &["build", "--output", output]);
        let err = stderr(&out);
        assert!(!out.status.success(), "--output {output} was accepted");
        assert!(
            err.contains(&format!("`--output {output}`")),
            "{output}: {err}"
        );
        assert!(
            err.contains("leave out --output to build into `public`"),
            "{output}: the hint says how to proceed: {err}"
        );
        assert!(tree(s.path()) == before, "--output {output} changed files");
    }
    let out = bundel_in(&site, &["build", "--output", "."]);
    assert!(
        stderr(&out).contains("is the site folder itself"),
        "{}",
        stderr(&out)
    );
    // Inside the site, but not a source folder: fine.
    let out = bundel_in(&site, &["build", "--output", "uit"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.join("uit/index.html").is_file());
}

#[test]
fn an_existing_folder_bundel_did_not_write_is_not_replaced() {
    let (s, site) = nested_site();
    let out = bundel_in(&site, &["build", "--output", "../beside"]);
    let err = stderr(&out);
    assert!(!out.status.success());
    assert!(err.contains("`notes.txt`"), "names what is in it: {err}");
    assert!(err.contains("choose a new or empty folder"), "{err}");
    assert_eq!(
        std::fs::read_to_string(s.path().join("beside/notes.txt")).unwrap(),
        "not the site's"
    );
    assert!(leftovers(s.path()).is_empty(), "{:?}", leftovers(s.path()));

    // A folder bundel made is replaced, build after build; an empty one is used.
    std::fs::create_dir_all(s.path().join("leeg")).unwrap();
    for _ in 0..2 {
        let out = bundel_in(&site, &["build", "--output", "../leeg"]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    assert!(s.path().join("leeg/.bundel-output").is_file());
    assert!(s.path().join("leeg/over/index.html").is_file());

    // An output of an older bundel (no marker yet) is recognised by its robots.txt.
    let old = s.path().join("oud");
    std::fs::create_dir_all(&old).unwrap();
    std::fs::write(old.join("index.html"), "<html></html>").unwrap();
    std::fs::write(old.join("sitemap.xml"), "<urlset/>").unwrap();
    std::fs::write(
        old.join("robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.org/sitemap.xml\n",
    )
    .unwrap();
    let out = bundel_in(&site, &["build", "--output", "../oud"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(old.join(".bundel-output").is_file());
}

#[test]
fn a_file_where_the_output_folder_should_be_is_left_alone() {
    let s = Site::new();
    s.write("public", "my notes");
    let out = s.bundel(&["build"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "must fail before touching the file");
    assert!(err.contains("is a file, not a folder"), "{err}");
    assert!(err.contains("unchanged"), "{err}");
    assert_eq!(std::fs::read_to_string(s.public()).unwrap(), "my notes");
    assert!(leftovers(s.path()).is_empty(), "{:?}", leftovers(s.path()));
}

/// Makes `path` impossible to remove: immutable for root (who may delete anything else),
/// read-only for other users. `false` when the system does not allow it (then the test
/// cannot run here).
fn make_unremovable(path: &Path, on: bool) -> bool {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let status = if root {
        Command::new("chattr")
            .args([if on { "+i" } else { "-i" }])
            .arg(path)
            .status()
    } else {
        Command::new("chmod")
            .args([if on { "a-w" } else { "u+w" }])
            .arg(path)
            .status()
    };
    status.is_ok_and(|s| s.success())
}

#[test]
fn an_old_output_that_cannot_be_removed_is_reported_before_the_swap() {
    let s = Site::new();
    s.write(
        "content/nieuws/a.md",
        "---\ntitle: A\n---\nEerste versie.\n",
    );
    s.build();
    let locked = s.public().join("nieuws");
    if !make_unremovable(&locked, true) {
        eprintln!("skipped: cannot make a folder read-only here");
        return;
    }
    s.write(
        "content/nieuws/a.md",
        "---\ntitle: A\n---\nTweede versie.\n",
    );
    let out = s.bundel(&["build"]);
    make_unremovable(&locked, false);
    let err = stderr(&out);
    assert!(!out.status.success(), "the swap must not happen");
    assert!(err.contains("public/nieuws"), "names the folder: {err}");
    assert!(err.contains("unchanged"), "{err}");
    assert!(s.read("nieuws/a/index.html").contains("Eerste versie"));
    assert!(leftovers(s.path()).is_empty(), "{:?}", leftovers(s.path()));
}

#[test]
fn an_old_output_that_cannot_be_removed_after_the_swap_is_a_warning_not_a_failure() {
    let s = Site::new();
    s.write(
        "content/nieuws/a.md",
        "---\ntitle: A\n---\nEerste versie.\n",
    );
    s.build();
    // Only an immutable file stops its removal while its folder is writable: root only.
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let locked = s.public().join("nieuws/a/index.html");
    if !root || !make_unremovable(&locked, true) {
        eprintln!("skipped: needs root and chattr");
        return;
    }
    s.write(
        "content/nieuws/a.md",
        "---\ntitle: A\n---\nTweede versie.\n",
    );
    let out = s.bundel(&["build"]);
    let left = leftovers(s.path());
    for l in &left {
        make_unremovable(&s.path().join(l).join("nieuws/a/index.html"), false);
    }
    make_unremovable(&locked, false);
    let err = stderr(&out);
    assert!(out.status.success(), "the new site is in place: {err}");
    assert!(err.contains("warning: the new site is in place"), "{err}");
    assert!(!err.contains("unchanged"), "{err}");
    assert!(s.read("nieuws/a/index.html").contains("Tweede versie"));
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(err.contains(&left[0]), "names the left-over folder: {err}");
    // The next build removes it.
    s.build();
    assert!(leftovers(s.path()).is_empty(), "{:?}", leftovers(s.path()));
}

#[test]
fn a_later_build_removes_staging_folders_of_builds_that_no_longer_run() {
    let s = Site::new();
    s.build();
    // No process has these ids (above the kernel's maximum of 2^22).
    for name in [".public.staging-4194301", ".public.staging-4194302.old"] {
        s.write(&format!("{name}/nieuws/index.html"), "half");
    }
    // This test's own process runs: its folder may be a build in progress.
    let running = format!(".public.staging-{}", std::process::id());
    s.write(&format!("{running}/index.html"), "busy");
    s.build();
    assert_eq!(leftovers(s.path()), [running]);
}

/// A site big enough that its build takes a while: many pages with a table each.
fn slow_site() -> Site {
    let s = Site::new();
    let mut csv = String::from("regio,jaar,aantal\n");
    for r in 0..60 {
        for j in 2015..2023 {
            csv.push_str(&format!("Regio {r},{j},{}\n", r * 7 + j));
        }
    }
    s.write("data/cijfers.csv", &csv);
    for i in 0..1500 {
        s.write(
            &format!("content/nieuws/bericht-{i}.md"),
            &format!(
                "---\ntitle: Bericht {i}\ndate: 2021-09-21\ntags: [t{}]\n---\nTekst {i}.\n\n```chart\ntype: line\ndata: cijfers\nx: jaar\ny: aantal\nwhere: {{regio: \"Regio {}\"}}\ntitle: Aantal\n```\n",
                i % 40,
                i % 60
            ),
        );
    }
    s
}

#[test]
fn ctrl_c_and_sigterm_remove_the_staging_folder() {
    let s = slow_site();
    s.build();
    let before = tree(&s.public());
    for signal in ["INT", "TERM"] {
        let child = Command::new(env!("CARGO_BIN_EXE_bundel"))
            .arg("build")
            .current_dir(s.path())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let staging = s.path().join(format!(".public.staging-{}", child.id()));
        let start = std::time::Instant::now();
        while !staging.exists() && start.elapsed().as_secs() < 20 {
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
        // Well into the build: pages are being written.
        std::thread::sleep(std::time::Duration::from_millis(150));
        Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(130), "SIG{signal}: {err}");
        assert!(err.contains("Interrupted"), "{err}");
        assert!(!staging.exists(), "SIG{signal} left {}", staging.display());
        assert!(leftovers(s.path()).is_empty(), "{:?}", leftovers(s.path()));
        assert!(tree(&s.public()) == before, "the previous output changed");
    }
}

/// One rule for symbolic links everywhere the site is read: a link that resolves inside the
/// site is followed like the file or folder itself; one that leads outside is an error that
/// names the link, and nothing is published.
#[cfg(unix)]
#[test]
fn links_inside_the_site_are_followed_and_links_outside_it_are_errors() {
    use std::os::unix::fs::symlink;
    let (s, site) = nested_site();
    // Inside: a shared logo, a data folder kept elsewhere in the site, a partial template.
    s.write("site/assets/logo-groot.svg", "<svg id=\"groot\"/>");
    symlink(
        site.join("assets/logo-groot.svg"),
        site.join("static/img/groot.svg"),
    )
    .unwrap();
    s.write("site/gedeeld/regios.csv", "regio,aantal\nTwente,7\n");
    symlink(site.join("gedeeld"), site.join("data/gedeeld")).unwrap();
    s.write(
        "site/content/cijfers.md",
        "---\ntitle: Cijfers\n---\n```table\ndata: gedeeld/regios\ntitle: Regios\n```\n",
    );
    let ok = bundel_in(&site, &["build"]);
    assert!(ok.status.success(), "{}", stderr(&ok));
    let public = site.join("public");
    assert_eq!(
        std::fs::read_to_string(public.join("img/groot.svg")).unwrap(),
        "<svg id=\"groot\"/>"
    );
    let page = std::fs::read_to_string(public.join("cijfers/index.html")).unwrap();
    assert!(page.contains("Twente"), "linked data folder is read");
    let before = tree(&public);

    // Outside: a page-bundle file, a Markdown page, a static folder, a data file, a template.
    s.write("secret/passwd", "root:x:0:0");
    s.write("secret/page.md", "---\ntitle: Leak\n---\nroot:x:0:0\n");
    s.write("secret/dir/key.txt", "root:x:0:0");
    s.write(
        "site/content/portret/index.md",
        "---\ntitle: Portret\n---\nTekst.\n",
    );
    let secret = s.path().join("secret");
    symlink(
        secret.join("passwd"),
        site.join("content/portret/passwd.txt"),
    )
    .unwrap();
    symlink(secret.join("page.md"), site.join("content/lek.md")).unwrap();
    symlink(secret.join("dir"), site.join("static/extern")).unwrap();
    symlink(secret.join("passwd"), site.join("data/lek.csv")).unwrap();
    symlink(secret.join("page.md"), site.join("templates/page.html")).unwrap();
    symlink(site.join("content/gone.md"), site.join("content/kapot.md")).unwrap();
    let out = bundel_in(&site, &["build"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    for link in [
        "content/portret/passwd.txt",
        "content/lek.md",
        "static/extern",
        "data/lek.csv",
        "templates/page.html",
    ] {
        assert!(
            err.contains(&format!("{link}: error: this is a link to `")),
            "{link} is named: {err}"
        );
    }
    assert!(err.contains("outside the site folder"), "{err}");
    assert!(
        err.contains("content/kapot.md: error: this is a link to `")
            && err.contains("does not exist"),
        "{err}"
    );
    assert!(
        !err.contains("root:x"),
        "nothing of the linked files is shown: {err}"
    );
    assert_eq!(tree(&public), before, "the previous output stays as it was");
}

/// A file of the site's own (`static/`, a page folder) is never silently replaced by a file
/// bundel makes at the same address: both are named.
#[test]
fn generated_files_never_replace_the_sites_own_files() {
    let (s, site) = nested_site();
    s.write("site/static/over/index.html", "<p>hand-made</p>");
    s.write("site/static/sitemap.xml", "<urlset/>");
    s.write(
        "site/content/nieuws/bezoek/index.md",
        "---\ntitle: Bezoek\n---\nTekst.\n",
    );
    s.write(
        "site/content/nieuws/bezoek/plan.pdf",
        "%PDF-1.4 page folder",
    );
    s.write("site/static/nieuws/bezoek/plan.pdf", "%PDF-1.4 static");
    let out = bundel_in(&site, &["build"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("content/nieuws/bezoek/plan.pdf: error: `static/nieuws/bezoek/plan.pdf` is copied to the same address"),
        "{err}"
    );
    s.remove("site/static/nieuws");
    let out = bundel_in(&site, &["build"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "{err}");
    assert!(
        err.contains("content/over.md: error: its page at `over/` would replace a copied file: `static/over/index.html` is copied to this address"),
        "{err}"
    );
    assert!(
        err.contains("sitemap.xml: error: two files for one address: `static/sitemap.xml`"),
        "{err}"
    );
    assert!(!site.join("public").exists(), "nothing was published");
    s.remove("site/static/over");
    s.remove("site/static/sitemap.xml");
    let out = bundel_in(&site, &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
}
