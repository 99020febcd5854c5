use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use bundel::site::{self, BuildOptions};

/// bundel: a static-site generator for publications and factsheets.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into a folder (default: SITE_DIR/public).
    Build {
        /// The site folder, with site.yaml, content/, data/.
        #[arg(default_value = ".")]
        site_dir: PathBuf,
        /// Where to write the site.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Also render reports and publications marked `pdf: true` as PDF (needs Chromium).
        #[arg(long)]
        pdf: bool,
    },
    /// Check the site without writing anything: build errors, broken links and anchors,
    /// missing images and alt text, required front matter.
    Check {
        #[arg(default_value = ".")]
        site_dir: PathBuf,
        /// Also check links to other websites (needs internet access).
        #[arg(long)]
        external: bool,
        /// Seconds to wait for each external website.
        #[arg(long, default_value_t = 10, value_name = "SECONDS")]
        timeout: u64,
    },
    /// Create a new page of the given kind, with the front matter it needs.
    New {
        kind: bundel::scaffold::Kind,
        /// The title; the file name is made from it.
        title: String,
        /// Folder inside content/ (default: nieuws, portretten, rapporten, publicaties or
        /// factsheets, by kind).
        #[arg(long)]
        section: Option<String>,
        /// The site folder.
        #[arg(long, default_value = ".")]
        site: PathBuf,
    },
    /// Preview the site in the browser; pages reload as you edit.
    Serve {
        #[arg(default_value = ".")]
        site_dir: PathBuf,
        /// Port on 127.0.0.1 (default 1111, or the next free one; 0 picks any free port).
        #[arg(short, long)]
        port: Option<u16>,
        /// Open the preview in the web browser.
        #[arg(long)]
        open: bool,
        /// Also show pages marked `draft: true`.
        #[arg(short = 'D', long)]
        drafts: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            site_dir,
            output,
            pdf,
        } => run_build(site_dir, output, pdf),
        Command::Check {
            site_dir,
            external,
            timeout,
        } => run_check(site_dir, external, timeout),
        Command::New {
            kind,
            title,
            section,
            site,
        } => run_new(kind, title, section, site),
        Command::Serve {
            site_dir,
            port,
            open,
            drafts,
        } => {
            let options = bundel::serve::Options {
                site_dir,
                port,
                open,
                drafts,
            };
            match bundel::serve::run(&options) {
                Ok(()) => ExitCode::SUCCESS,
                Err(message) => {
                    eprintln!("error: {message}");
                    ExitCode::FAILURE
                }
            }
        }
    }
}

fn run_build(site_dir: PathBuf, output: Option<PathBuf>, pdf: bool) -> ExitCode {
    // Ctrl-C, SIGTERM, SIGHUP: remove the half-written staging folder, then stop.
    let handler = ctrlc::set_handler(|| {
        if bundel::output::abandon() {
            eprintln!("\nInterrupted: the new site is in place.");
        } else {
            eprintln!(
                "\nInterrupted: the site was not built; the previous output (if any) is unchanged."
            );
        }
        std::process::exit(130);
    });
    if let Err(e) = handler {
        eprintln!("warning: cannot clean up after Ctrl-C: {e}");
    }
    let options = BuildOptions {
        site_dir,
        output_dir: output,
        pdf,
    };
    match site::build(&options) {
        Ok(report) => {
            for w in &report.warnings {
                eprintln!("warning: {w}");
            }
            let ms = report.elapsed.as_millis();
            println!(
                "Built {} pages ({} files) into {} in {ms} ms",
                report.pages,
                report.files,
                report.output_dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(errors) => {
            eprintln!("{errors}");
            let moved = errors
                .0
                .iter()
                .any(|d| d.message.contains(bundel::output::PREVIOUS_MOVED));
            if !moved {
                eprintln!("The site was not built; the previous output (if any) is unchanged.");
            }
            ExitCode::FAILURE
        }
    }
}

fn run_check(site_dir: PathBuf, external: bool, timeout: u64) -> ExitCode {
    let start = std::time::Instant::now();
    let options = bundel::check::Options {
        site_dir,
        external,
        timeout: std::time::Duration::from_secs(timeout.max(1)),
    };
    let report = bundel::check::run(&options);
    let ms = start.elapsed().as_millis();
    if !report.problems.is_empty() {
        eprintln!("{}", bundel::diagnostic::Diagnostics(report.problems));
        return ExitCode::FAILURE;
    }
    println!(
        "Checked {} pages and {} links in {ms} ms: no problems found",
        report.pages, report.links
    );
    if report.external > 0 {
        if report.external_checked {
            println!("All {} links to other websites answer.", report.external);
        } else {
            println!(
                "{} links to other websites were not checked (use --external to check them).",
                report.external
            );
        }
    }
    ExitCode::SUCCESS
}

fn run_new(
    kind: bundel::scaffold::Kind,
    title: String,
    section: Option<String>,
    site_dir: PathBuf,
) -> ExitCode {
    let options = bundel::scaffold::Options {
        site_dir,
        kind,
        title,
        section,
        today: chrono::Local::now().date_naive(),
    };
    match bundel::scaffold::create(&options) {
        Ok(created) => {
            for f in &created.files {
                println!("Created {}", f.display());
            }
            for note in &created.notes {
                println!("{note}");
            }
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprintln!("{d}");
            ExitCode::FAILURE
        }
    }
}
