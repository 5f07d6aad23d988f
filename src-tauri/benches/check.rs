//! The grid's check budget: every edit in the roster grid re-runs `check_roster`, which must
//! answer within 100 ms for 200 staff × 6 weeks. Measures the command's work (checker,
//! shortage explanations, hours and cover margins) and the JSON it sends back.
//! Run: `cargo bench -p bemanna-app`.

use std::time::Instant;

use bemanna_app::commands::check_report;
use bemanna_solver::model::Instance;
use bemanna_store::sample::{sample_roster, scaled_demo_home};

fn main() {
    for (staff, days, label) in [
        (65, 28, "demo home, 4 weeks"),
        (200, 42, "200 staff, 6 weeks"),
    ] {
        let project = scaled_demo_home(staff).with_days(days);
        let inst = Instance::new(project).expect("sample project is valid");
        // Two rosters: a random one (many violations: the explanation work is at its
        // worst) and one edit away from it, as the grid sends after a keystroke.
        let roster = sample_roster(&inst.project, 7);
        let mut times = Vec::new();
        let mut bytes = 0;
        let mut found = 0;
        for i in 0..15 {
            let mut r = roster.clone();
            if i % 2 == 1 {
                r.assignments.pop();
            }
            let t0 = Instant::now();
            let grid = r.resolve(&inst).expect("sample roster fits");
            let report = check_report(&inst, &grid, t0);
            let json = serde_json::to_string(&report).expect("serialises");
            times.push(t0.elapsed().as_secs_f64() * 1000.0);
            bytes = json.len();
            found = report.violations.len();
        }
        times.sort_by(f64::total_cmp);
        println!(
            "check_roster {label}: {} assignments, {found} violations, reply {:.0} kB; median {:.1} ms, max {:.1} ms (15 runs)",
            roster.assignments.len(),
            bytes as f64 / 1024.0,
            times[times.len() / 2],
            times[times.len() - 1]
        );
    }
}
