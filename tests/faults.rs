//! Fault script: the example site's build is killed (20 SIGKILLs) and interrupted (10
//! SIGINTs) at random moments. After each, the previous output must be byte-identical, the
//! next build must succeed with the same output, and no staging folder may remain after it
//! (after a SIGINT, none may remain at all).
//!
//! About a minute and a half, so not part of the normal run:
//!   cargo test --release --test faults -- --ignored --nocapture
//! `FAULT_SEED=<n>` repeats a run; the seed of each run is printed.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::tree;

/// A copy of the example site at the repository's root.
fn example_site(dir: &Path) {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for entry in ["site.yaml", "content", "data", "static", "themes"] {
        let status = Command::new("cp")
            .arg("-r")
            .arg(repo.join(entry))
            .arg(dir)
            .status()
            .unwrap();
        assert!(status.success(), "copy {entry}");
    }
}

fn build(dir: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_bundel"))
        .arg("build")
        .current_dir(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run bundel")
}

/// What builds leave beside the output: staging folders and old outputs.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".staging-"))
        .collect()
}

/// xorshift64*: enough to spread the moments, and repeatable from the seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

#[test]
#[ignore = "slow (about 90 s): cargo test --release --test faults -- --ignored"]
fn killed_and_interrupted_builds_never_damage_the_output() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path();
    example_site(site);
    let public = site.join("public");

    // The reference output, and how long a build takes once the image cache is warm.
    let first = build(site).wait_with_output().unwrap();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let start = Instant::now();
    let second = build(site).wait_with_output().unwrap();
    assert!(second.status.success());
    let build_time = start.elapsed();
    let reference = tree(&public);
    let bytes: usize = reference.iter().map(|(_, b)| b.len()).sum();

    let seed = std::env::var("FAULT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos() as u64
                | 1
        });
    println!(
        "seed {seed}; a build takes {} ms and writes {} files ({} bytes)",
        build_time.as_millis(),
        reference.len(),
        bytes
    );
    let mut rng = Rng(seed);
    // 20 SIGKILLs and 10 SIGINTs, in random order.
    let mut signals: Vec<&str> = [vec!["KILL"; 20], vec!["INT"; 10]].concat();
    for i in (1..signals.len()).rev() {
        signals.swap(i, rng.below(i as u64 + 1) as usize);
    }

    let mut stopped = 0;
    let window = build_time.as_micros() as u64 * 11 / 10;
    for (round, signal) in signals.iter().enumerate() {
        let child = build(site);
        let pid = child.id();
        let delay = Duration::from_micros(rng.below(window));
        std::thread::sleep(delay);
        Command::new("kill")
            .args([format!("-{signal}"), pid.to_string()])
            .stderr(Stdio::null())
            .status()
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let finished = out.status.success();
        if !finished {
            stopped += 1;
            match *signal {
                "INT" => assert_eq!(
                    out.status.code(),
                    Some(130),
                    "round {round}: {}",
                    String::from_utf8_lossy(&out.stderr)
                ),
                _ => {
                    use std::os::unix::process::ExitStatusExt;
                    assert_eq!(out.status.signal(), Some(9), "round {round}");
                }
            }
        }
        println!(
            "round {round:2}: SIG{signal:<4} after {:>5} ms: {}",
            delay.as_millis(),
            if finished {
                "the build had finished"
            } else {
                "stopped"
            }
        );
        assert!(
            tree(&public) == reference,
            "round {round}: the output changed after SIG{signal}"
        );
        if *signal == "INT" {
            assert_eq!(
                leftovers(site),
                Vec::<String>::new(),
                "round {round}: SIGINT left a staging folder"
            );
        }
        let next = build(site).wait_with_output().unwrap();
        assert!(
            next.status.success(),
            "round {round}: the next build failed: {}",
            String::from_utf8_lossy(&next.stderr)
        );
        assert_eq!(
            leftovers(site),
            Vec::<String>::new(),
            "round {round}: staging folders remain after the next build"
        );
        assert!(
            tree(&public) == reference,
            "round {round}: the next build's output differs"
        );
    }
    println!(
        "{} signals, {stopped} of them stopped a build: output intact every time",
        signals.len()
    );
    assert!(stopped >= 15, "too few signals landed inside a build");
}
