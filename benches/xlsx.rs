//! Reading a large Excel workbook: a 100,000-row sheet of the shape analysts export
//! (region, school year, counts, a percentage-formatted share), loaded as a data table.
//! Prints the time of each run and the process's peak memory.
//!
//!   cargo bench --bench xlsx            (ROWS=100000 RUNS=3 by default)

use std::time::Instant;

use rust_xlsxwriter::{Format, Workbook};

fn peak_memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}

fn main() {
    // A fresh process that only loads, so its peak memory is the reader's alone.
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--load-only") {
        let dir = std::path::PathBuf::from(&args[i + 1]);
        let store = bundel::data::DataStore::load(&dir).expect("loads");
        assert!(store.get("groot").is_some());
        println!("{}", peak_memory());
        return;
    }
    let rows: u32 = std::env::var("ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let runs: usize = std::env::var("RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    let file = dir.path().join("data/groot.xlsx");

    let made = Instant::now();
    let mut wb = Workbook::new();
    let pct = Format::new().set_num_format("0.0%");
    let ws = wb.add_worksheet();
    for (c, h) in ["regio", "schooljaar", "vsv", "deelnemers", "aandeel"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    for r in 1..=rows {
        let vsv = f64::from(r % 400);
        let deelnemers = f64::from(10_000 + r % 9_000);
        ws.write_string(r, 0, format!("Regio {}", r % 40)).unwrap();
        ws.write_string(r, 1, format!("{}/{}", 2000 + r % 20, 2001 + r % 20))
            .unwrap();
        ws.write_number(r, 2, vsv).unwrap();
        ws.write_number(r, 3, deelnemers).unwrap();
        ws.write_number_with_format(r, 4, vsv / deelnemers, &pct)
            .unwrap();
    }
    wb.save(&file).unwrap();
    let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
    println!(
        "workbook: {rows} rows, {:.1} MB, written in {:.2} s",
        size as f64 / 1e6,
        made.elapsed().as_secs_f64()
    );

    let mut times = Vec::new();
    for _ in 0..runs {
        let start = Instant::now();
        let store = bundel::data::DataStore::load(dir.path()).expect("loads");
        let t = start.elapsed().as_secs_f64();
        let table = store.get("groot").expect("table");
        assert_eq!(table.rows.len(), rows as usize);
        times.push(t);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "load: min {:.2} s, median {:.2} s, max {:.2} s over {runs} runs",
        times[0],
        times[times.len() / 2],
        times[times.len() - 1]
    );
    let child = std::process::Command::new(std::env::current_exe().unwrap())
        .arg("--load-only")
        .arg(dir.path())
        .output()
        .expect("run the loader");
    println!(
        "peak memory of a process that loads it: {}",
        String::from_utf8_lossy(&child.stdout).trim()
    );
}
