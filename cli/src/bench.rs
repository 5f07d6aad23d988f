//! Benchmarks: the Curtois & Qu instances, and planning time/gap of a project.

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;

use bemanna_solver::check::check_rules;
use bemanna_solver::curtois;
use bemanna_solver::model::Instance;
use bemanna_solver::plan::{plan, PlanOptions};

use crate::CliError;

/// Parses `1-7`, `3`, `1,3,8-10`.
pub fn parse_range(s: &str) -> Result<Vec<u32>, CliError> {
    let bad = || {
        CliError(format!(
            "--instances: `{s}` is not a list like 1-7 or 1,3,8-10"
        ))
    };
    let mut out = Vec::new();
    for part in s.split(',') {
        let part = part.trim();
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b): (u32, u32) = (
                    a.trim().parse().map_err(|_| bad())?,
                    b.trim().parse().map_err(|_| bad())?,
                );
                if a > b {
                    return Err(bad());
                }
                out.extend(a..=b);
            }
            None => out.push(part.parse().map_err(|_| bad())?),
        }
    }
    Ok(out)
}

fn best_known(dir: &Path) -> HashMap<String, f64> {
    let mut m = HashMap::new();
    if let Ok(text) = std::fs::read_to_string(dir.join("best_known.csv")) {
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            if f.len() > 4 {
                if let Ok(v) = f[4].trim().parse::<f64>() {
                    m.insert(f[0].to_string(), v);
                }
            }
        }
    }
    m
}

/// Solves each instance with the general planner and prints a table.
pub fn curtois(
    w: &mut impl Write,
    dir: &Path,
    time_limit: f64,
    first_share: f64,
    list: &[u32],
    solutions: Option<&Path>,
) -> io::Result<()> {
    let bk = best_known(dir);
    if let Some(out) = solutions {
        std::fs::create_dir_all(out)?;
    }
    writeln!(
        w,
        "{:<11} {:>5} {:>5} {:>6} {:>9} {:>9} {:>9} {:>8} {:>10} {:>7} {:>6}",
        "instance",
        "days",
        "staff",
        "shifts",
        "objective",
        "bound",
        "best",
        "gap_bk",
        "status",
        "secs",
        "rules"
    )?;
    for &i in list {
        let name = format!("Instance{i}");
        let file = dir.join(format!("{name}.txt"));
        let text = match std::fs::read_to_string(&file) {
            Ok(t) => t,
            Err(e) => {
                writeln!(w, "{name:<11} error: {}: {e}", file.display())?;
                continue;
            }
        };
        let c = match curtois::parse(&text, &file.display().to_string()) {
            Ok(c) => c,
            Err(e) => {
                writeln!(w, "{name:<11} error: {e}")?;
                continue;
            }
        };
        let project = c.to_project(&name);
        let inst = match Instance::new(project.clone()) {
            Ok(i) => i,
            Err(errs) => {
                writeln!(w, "{name:<11} error: {}", errs[0])?;
                continue;
            }
        };
        let opts = PlanOptions {
            time_limit,
            rel_gap: 0.0,
            improve: first_share < 1.0,
            first_share: first_share.clamp(0.05, 1.0),
            ..Default::default()
        };
        let out = plan(&inst, &opts);
        let sol = c.solution_of(&out.grid, &project);
        let obj = c.objective(&sol) as f64;
        let broken = check_rules(&inst, &out.grid).len();
        if let Some(dir) = solutions {
            std::fs::write(dir.join(format!("{name}.csv")), c.solution_csv(&sol))?;
        }
        let best = bk.get(&name).copied();
        let gap = best.map_or("-".to_string(), |b| {
            format!("{:.2}%", (obj - b) / b * 100.0)
        });
        writeln!(
            w,
            "{:<11} {:>5} {:>5} {:>6} {:>9} {:>9.0} {:>9} {:>8} {:>10} {:>7.1} {:>6}",
            name,
            c.horizon,
            c.staff.len(),
            c.shifts.len(),
            obj,
            out.best_bound.max(0.0),
            best.map_or("-".into(), |b| format!("{b}")),
            gap,
            format!("{:?}", out.status),
            out.seconds,
            if broken == 0 {
                "ok".to_string()
            } else {
                format!("{broken}!")
            }
        )?;
        // The planner's own objective must equal the benchmark's, computed independently;
        // a roster short of MinTotalMinutes carries that penalty on top and is infeasible.
        let short = out.breakdown.contract_short_minutes;
        if short > 0.0 {
            writeln!(w, "  note: {short:.0} minutes short of MinTotalMinutes: not a feasible benchmark solution")?;
        } else if (out.objective - obj).abs() > 0.5 {
            writeln!(
                w,
                "  note: planner objective {:.1} differs from the benchmark's {obj}",
                out.objective
            )?;
        }
        w.flush()?;
    }
    Ok(())
}

/// Plans a project `runs` times and prints time, gap and shortfall.
pub fn plan_bench(
    w: &mut impl Write,
    inst: &Instance,
    time_limit: f64,
    runs: u32,
) -> io::Result<()> {
    writeln!(
        w,
        "{:<4} {:>12} {:>12} {:>8} {:>8} {:>10} {:>6}",
        "run", "objective", "bound", "gap", "secs", "status", "rules"
    )?;
    for r in 0..runs {
        let opts = PlanOptions {
            time_limit,
            rel_gap: 0.01,
            seed: u64::from(r) + 1,
            ..Default::default()
        };
        let out = plan(inst, &opts);
        let broken = check_rules(inst, &out.grid).len();
        writeln!(
            w,
            "{:<4} {:>12.1} {:>12.1} {:>7.2}% {:>8.2} {:>10} {:>6}",
            r + 1,
            out.objective,
            out.best_bound,
            out.gap * 100.0,
            out.seconds,
            format!("{:?}", out.status),
            broken
        )?;
    }
    Ok(())
}
