//! The grid's check budget: every edit in the roster grid re-runs `check_roster`, which must
//! answer within 100 ms for 200 staff × 6 weeks. Measures the command's work (checker,
//! shortage explanations, hours and cover margins) and the JSON it sends back.
//! Run: `cargo bench -p bemanna-app`.

use std::time::Instant;

use bemanna_app::commands::check_report;
use bemanna_solver::model::Instance;
use bemanna_solver::roster::{Assignment, Roster};
use bemanna_store::sample::{sample_roster, scaled_demo_home};
use chrono::NaiveDate;

/// The planned 8-week demo roster, cut to the horizon and repeated for the scaled staff
/// (`scaled_demo_home` names copy k of person X `X-k`): lawful rows, cover short where the
/// scaled demand outgrows the copies, as a stressed real roster would be.
fn planned_roster(inst: &Instance) -> Roster {
    let text = include_str!("../../fixtures/demo-roster-8w.csv");
    let base: Vec<Vec<&str>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect::<Vec<&str>>())
        .filter(|f| f.len() == 4)
        .collect();
    let mut assignments = Vec::new();
    for st in &inst.project.staff {
        let orig = st.id.split('-').next().unwrap_or(&st.id);
        for f in &base {
            let date = NaiveDate::parse_from_str(f[1], "%Y-%m-%d").expect("ISO date");
            if f[0] == orig && inst.day_index(date).is_some() {
                assignments.push(Assignment {
                    staff: st.id.clone(),
                    date,
                    shift: f[2].to_string(),
                    unit: f[3].to_string(),
                    cohort: None,
                });
            }
        }
    }
    Roster { assignments }
}

fn main() {
    for (staff, days, label, planned) in [
        (65, 28, "demo home, 4 weeks, planned roster", true),
        (200, 42, "200 staff, 6 weeks, planned roster repeated", true),
        (65, 28, "demo home, 4 weeks, random roster", false),
        (200, 42, "200 staff, 6 weeks, random roster", false),
    ] {
        let project = scaled_demo_home(staff).with_days(days);
        let inst = Instance::new(project).expect("sample project is valid");
        // A random roster has many violations: the explanation work is at its worst. Every
        // other run is one edit away, as the grid sends after a keystroke.
        let roster = if planned {
            planned_roster(&inst)
        } else {
            sample_roster(&inst.project, 7)
        };
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
        let grid = roster.resolve(&inst).expect("sample roster fits");
        let t = Instant::now();
        let v = bemanna_solver::check::check(&inst, &grid);
        let t_check = t.elapsed().as_secs_f64() * 1000.0;
        let t = Instant::now();
        let _ = bemanna_solver::explain::explain(&inst, &grid);
        let t_explain = t.elapsed().as_secs_f64() * 1000.0;
        println!(
            "  of which check {t_check:.1} ms ({} violations), explain {t_explain:.1} ms",
            v.len()
        );
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
