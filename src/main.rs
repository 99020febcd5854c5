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
    },
    /// Check the site for errors without writing anything.
    Check {
        #[arg(default_value = ".")]
        site_dir: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build { site_dir, output } => run_build(site_dir, output, true),
        Command::Check { site_dir } => run_build(site_dir, None, false),
    }
}

fn run_build(site_dir: PathBuf, output: Option<PathBuf>, write: bool) -> ExitCode {
    let options = BuildOptions {
        site_dir,
        output_dir: output,
        write,
    };
    match site::build(&options) {
        Ok(report) => {
            let ms = report.elapsed.as_millis();
            if write {
                println!(
                    "Built {} pages ({} files) into {} in {ms} ms",
                    report.pages,
                    report.files,
                    report.output_dir.display()
                );
            } else {
                println!(
                    "Checked {} pages in {ms} ms: no problems found",
                    report.pages
                );
            }
            ExitCode::SUCCESS
        }
        Err(errors) => {
            eprintln!("{errors}");
            if write {
                eprintln!("The site was not built; the previous output (if any) is unchanged.");
            }
            ExitCode::FAILURE
        }
    }
}
