//! `cargo bench -p bemanna-store`: saving a 4-week roster for 200 staff and loading a project
//! with 200 staff, on a database file (WAL, synchronous=FULL, so each save waits for its
//! fsync). The project is the demo home scaled to 200 staff. Target: each under 50 ms.

use std::time::{Duration, Instant};

use bemanna_store::export::roster_xlsx;
use bemanna_store::sample::{sample_roster, scaled_demo_home};
use bemanna_store::{RosterMeta, Seed, Store};

const RUNS: usize = 30;
const TARGET_MS: f64 = 50.0;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Runs `f` RUNS times (after one warm-up) and returns (min, median, max) in ms.
fn time(mut f: impl FnMut()) -> (f64, f64, f64) {
    f();
    let mut v: Vec<f64> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            f();
            ms(t.elapsed())
        })
        .collect();
    v.sort_by(f64::total_cmp);
    (v[0], v[RUNS / 2], v[RUNS - 1])
}

fn main() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = dir.path().join("bench.sqlite");
    let mut store = Store::open_with(&path, Seed::DemoHome).expect("database");
    let p = scaled_demo_home(200);
    let roster = sample_roster(&p, 42);
    let t = Instant::now();
    let id = store.insert_project(&p).expect("insert");
    let insert_ms = ms(t.elapsed());
    println!(
        "project: {} staff, {} units, {} days, {} demand lines; roster: {} assignments",
        p.staff.len(),
        p.units.len(),
        p.days,
        p.demand.len(),
        roster.assignments.len()
    );
    println!("first insert of the project: {insert_ms:.2} ms\n");
    println!(
        "{:<40} {:>9} {:>9} {:>9}",
        "operation (ms)", "min", "median", "max"
    );
    let mut over = Vec::new();
    let mut row = |name: &str, (a, b, c): (f64, f64, f64), target: bool| {
        let flag = if !target {
            ""
        } else if b < TARGET_MS {
            "  ok (< 50 ms)"
        } else {
            over.push(name.to_string());
            "  OVER 50 ms"
        };
        println!("{name:<40} {a:>9.2} {b:>9.2} {c:>9.2}{flag}");
    };
    let mut n = 0;
    row(
        "save 4-week roster, 200 staff",
        time(|| {
            n += 1;
            store
                .save_roster(id, &roster, &RosterMeta::new("bench", format!("run {n}")))
                .expect("save");
        }),
        true,
    );
    row(
        "load project, 200 staff",
        time(|| {
            let q = store.load_project(id).expect("load");
            assert_eq!(q.staff.len(), 200);
        }),
        true,
    );
    let rid = store
        .current_roster(id)
        .expect("list")
        .expect("a roster")
        .id;
    row(
        "load roster",
        time(|| {
            let (_, r) = store.load_roster(rid).expect("load roster");
            assert_eq!(r.assignments.len(), roster.assignments.len());
        }),
        false,
    );
    row(
        "update project (replace all rows)",
        time(|| store.update_project(id, &p).expect("update")),
        false,
    );
    row(
        "export roster as XLSX",
        time(|| {
            roster_xlsx(&p, &roster, "bench").expect("xlsx");
        }),
        false,
    );
    if !over.is_empty() {
        eprintln!("over the 50 ms target: {}", over.join(", "));
        std::process::exit(1);
    }
}
