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
pub fn parse_range(flag: &str, s: &str) -> Result<Vec<u32>, CliError> {
    let bad = || CliError(format!("{flag}: `{s}` is not a list like 1-7 or 1,3,8-10"));
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
    first_share: f64,
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
            improve: first_share < 1.0,
            first_share: first_share.clamp(0.05, 1.0),
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
        let b = &out.breakdown;
        writeln!(
            w,
            "     terms: under wanted {:.1}, over wanted {:.1}, requests {:.1}, fairness {:.1}, extra {:.0} kr",
            b.under_wanted, b.over_wanted, b.requests, b.fairness, b.extra_cost_nok
        )?;
    }
    Ok(())
}

/// A benchmark's inputs were refused: every problem, on one line.
fn invalid(problems: Vec<bemanna_solver::model::FieldError>) -> CliError {
    CliError(
        problems
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("; "),
    )
}

/// Peak resident memory of this process in KiB (Linux), if readable.
pub fn peak_rss_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The Monte Carlo at scale: `runs` scenarios on 1 and on 2 threads (same seed, results
/// compared bit for bit), then peak memory of child runs at `runs / 10` and `runs`
/// scenarios to show it does not grow with N.
pub fn simulate_bench(
    w: &mut impl Write,
    inst: &Instance,
    grid: &bemanna_solver::roster::Grid,
    scenario: &bemanna_solver::waves::Scenario,
    runs: usize,
    child: Option<[&Path; 3]>,
) -> Result<(), CliError> {
    use bemanna_solver::montecarlo::{Study, StudyOptions};
    use std::sync::atomic::AtomicBool;
    let study = Study::new(inst, grid, scenario).map_err(invalid)?;
    let cancel = AtomicBool::new(false);
    let mut results = Vec::new();
    writeln!(
        w,
        "{}: {runs} scenarier over {} dager, {} ansatte",
        scenario.name,
        inst.n_days(),
        inst.n_staff()
    )?;
    for threads in [1usize, 2] {
        let opts = StudyOptions {
            runs,
            seed: 1,
            threads,
            ..Default::default()
        };
        let r = study.run(&opts, &|_, _| {}, &cancel);
        writeln!(
            w,
            "  {threads} tråd(er): {:>7.2} s  ({:.2} ms per scenario)",
            r.seconds,
            r.seconds * 1000.0 * threads as f64 / runs as f64
        )?;
        results.push(r);
    }
    let (t1, t2) = (results[0].seconds, results[1].seconds);
    writeln!(w, "  speed-up 1 → 2 tråder: {:.2}×", t1 / t2)?;
    writeln!(
        w,
        "  resultatene identiske på 1 og 2 tråder: {}",
        if results[0].without_timing() == results[1].without_timing() {
            "ja"
        } else {
            "NEI"
        }
    )?;
    if let Some([exe, project, scen]) = child {
        for n in [runs / 10, runs] {
            let out = std::process::Command::new(exe)
                .arg("simulate")
                .arg(project)
                .arg(scen)
                .arg("--roster")
                .arg(child_roster())
                .args(["--runs", &n.to_string(), "--quiet"])
                .env("BEMANNA_REPORT_RSS", "1")
                .output()
                .map_err(|e| CliError(format!("{}: {e}", exe.display())))?;
            let err = String::from_utf8_lossy(&out.stderr);
            let rss = err
                .lines()
                .find_map(|l| l.strip_prefix("peak-rss-kib "))
                .unwrap_or("?");
            writeln!(w, "  topp minne, {n:>6} scenarier: {rss} KiB")?;
        }
    }
    Ok(())
}

fn child_roster() -> std::ffi::OsString {
    std::env::var_os("BEMANNA_BENCH_ROSTER").unwrap_or_else(|| "fixtures/demo-roster-8w.csv".into())
}

/// The day-by-day repair against the full MIP re-plan on sampled repair problems: scenario
/// i runs the wave on the roster in force until a day in weeks 2–5, takes everyone absent
/// then (with the absence's known end) as new absences, and both methods repair the next
/// `window` days.
#[allow(clippy::too_many_arguments)]
pub fn repair_bench(
    w: &mut impl Write,
    inst: &Instance,
    grid: &bemanna_solver::roster::Grid,
    scenario: &bemanna_solver::waves::Scenario,
    samples: usize,
    window: usize,
    time_limit: f64,
    only: Option<&[u32]>,
) -> Result<(), CliError> {
    use bemanna_solver::model::Absence;
    use bemanna_solver::replan::{replan, replan_mip, Replan};
    use bemanna_solver::roster::Grid;
    use bemanna_solver::waves::{Cohort, Crew, Wave};
    let n_d = inst.n_days();
    let pen = inst.project.weights.short_min / inst.project.weights.cost_per_nok.max(1e-9);
    let change = inst.project.reserves.change_penalty_nok;
    let nurse = |r: &Replan| r.days.iter().map(|m| m.shifts_without_nurse).sum::<u32>();
    let obj = |r: &Replan| {
        r.cost_nok() + pen * f64::from(r.uncovered() + nurse(r)) + change * r.changed_cells() as f64
    };
    writeln!(
        w,
        "{samples} repair problems, {window}-day window, MIP limit {time_limit} s"
    )?;
    writeln!(
        w,
        "{:>4} {:>4} {:>6} {:>10} {:>10} {:>6} {:>6} {:>7} {:>7} {:>8} {:>8}",
        "i",
        "day",
        "absent",
        "cost fast",
        "cost MIP",
        "unc f",
        "unc M",
        "nurse f",
        "nurse M",
        "t fast",
        "t MIP"
    )?;
    let (mut sum_f, mut sum_m, mut obj_f, mut obj_m) = (0.0, 0.0, 0.0, 0.0);
    let (mut unc_f, mut unc_m) = (0u32, 0u32);
    let (mut nur_f, mut nur_m) = (0u32, 0u32);
    // Problems where both leave the same seats and nurse needs open: costs compare directly.
    let (mut eq_n, mut eq_f, mut eq_m) = (0u32, 0.0, 0.0);
    // The same, with changes priced in.
    let (mut eqc_f, mut eqc_m) = (0.0, 0.0);
    let (mut better_f, mut better_m) = (0u32, 0u32);
    let mut done = 0;
    for i in 0..samples {
        if only.is_some_and(|o| !o.contains(&(i as u32))) {
            continue;
        }
        let seed = bemanna_solver::montecarlo::scenario_seed(12345, i);
        let day = 7 + (seed % 28) as usize;
        if day + 1 >= n_d {
            continue;
        }
        let mut wave = Wave::new(scenario, inst, n_d, seed);
        for d in 0..day {
            wave.begin_day(d);
            let mut groups: std::collections::BTreeMap<(usize, usize), Vec<usize>> =
                Default::default();
            for e in 0..inst.n_staff() {
                if wave.absent(e).is_none() {
                    if let Some(&(s, u)) = grid.cells[e][d].first() {
                        groups.entry((u, s)).or_default().push(e);
                    }
                }
            }
            let crews: Vec<Crew> = groups
                .iter()
                .map(|(&(u, s), v)| Crew {
                    unit: u,
                    shift: s,
                    cohort: Cohort::Clean,
                    staff: v,
                })
                .collect();
            wave.end_day(d, &crews);
        }
        wave.begin_day(day);
        let end = (day + window).min(n_d);
        let absences: Vec<Absence> = (0..inst.n_staff())
            .filter_map(|e| {
                wave.absent(e).map(|a| Absence {
                    staff: inst.project.staff[e].id.clone(),
                    kind: a.kind,
                    from: inst.dates[day],
                    to: inst.dates[a.until.min(end - 1)],
                })
            })
            .collect();
        let cut = Instance::new(inst.project.clone().with_days(end as u32)).map_err(invalid)?;
        let g = Grid {
            cells: grid.cells.iter().map(|r| r[..end].to_vec()).collect(),
            cohorts: Default::default(),
        };
        let f = replan(&cut, &g, day, &absences).map_err(invalid)?;
        let m = replan_mip(&cut, &g, day, &absences, time_limit).map_err(invalid)?;
        let log = std::env::var("BEMANNA_REPAIR_LOG").unwrap_or_default();
        if log == "2" {
            // Both change lists, for comparing how each side covers the same holes.
            for c in &f.changes {
                writeln!(w, "    fast: {}", c.text(bemanna_solver::model::Lang::Nb))?;
            }
            for c in &m.changes {
                writeln!(w, "    MIP: {}", c.text(bemanna_solver::model::Lang::Nb))?;
            }
        } else if !log.is_empty() && f.uncovered() + nurse(&f) > m.uncovered() + nurse(&m) {
            for sh in bemanna_solver::explain::explain(&f.instance, &f.grid) {
                writeln!(
                    w,
                    "    fast: {}",
                    sh.text(bemanna_solver::model::Lang::Nb, 6)
                )?;
            }
            for c in &m.changes {
                writeln!(w, "    MIP: {}", c.text(bemanna_solver::model::Lang::Nb))?;
            }
        }
        writeln!(
            w,
            "{i:>4} {:>4} {:>6} {:>10.0} {:>10.0} {:>6} {:>6} {:>7} {:>7} {:>7.3}s {:>7.2}s",
            day,
            absences.len(),
            f.cost_nok(),
            m.cost_nok(),
            f.uncovered(),
            m.uncovered(),
            nurse(&f),
            nurse(&m),
            f.seconds,
            m.seconds
        )?;
        sum_f += f.cost_nok();
        sum_m += m.cost_nok();
        obj_f += obj(&f);
        obj_m += obj(&m);
        unc_f += f.uncovered();
        unc_m += m.uncovered();
        nur_f += nurse(&f);
        nur_m += nurse(&m);
        if f.uncovered() == m.uncovered() && nurse(&f) == nurse(&m) {
            eq_n += 1;
            eq_f += f.cost_nok();
            eq_m += m.cost_nok();
            eqc_f += f.cost_nok() + change * f.changed_cells() as f64;
            eqc_m += m.cost_nok() + change * m.changed_cells() as f64;
        }
        if obj(&f) < obj(&m) - 1e-6 {
            better_f += 1;
        } else if obj(&m) < obj(&f) - 1e-6 {
            better_m += 1;
        }
        done += 1;
    }
    let n = f64::from(done.max(1));
    writeln!(w)?;
    writeln!(
        w,
        "mean cost: fast {:.0} kr, MIP {:.0} kr; difference {:+.2} %",
        sum_f / n,
        sum_m / n,
        (sum_f / sum_m.max(1e-9) - 1.0) * 100.0
    )?;
    let e = f64::from(eq_n.max(1));
    writeln!(
        w,
        "same seats left open in {eq_n} of {done}: mean cost fast {:.0} kr, MIP {:.0} kr; difference {:+.2} %",
        eq_f / e,
        eq_m / e,
        (eq_f / eq_m.max(1e-9) - 1.0) * 100.0
    )?;
    writeln!(
        w,
        "same seats left open, money + changes: fast {:.0} kr, MIP {:.0} kr; difference {:+.2} %",
        eqc_f / e,
        eqc_m / e,
        (eqc_f / eqc_m.max(1e-9) - 1.0) * 100.0
    )?;
    writeln!(
        w,
        "better objective: fast in {better_f}, MIP in {better_m}, equal in {}",
        done - better_f - better_m
    )?;
    writeln!(
        w,
        "left open: seats fast {unc_f}, MIP {unc_m}; nurse needs fast {nur_f}, MIP {nur_m}"
    )?;
    // The target compares repairs by what each one is worth to the project: money, plus
    // every changed cell at the change price, plus every seat or nurse need left open at
    // the planner's shortage weight. A repair that leaves seats empty is not cheaper.
    writeln!(
        w,
        "objective-consistent cost = money + {change:.0} kr per changed cell + {pen:.0} kr per seat or nurse need left open"
    )?;
    writeln!(
        w,
        "mean objective-consistent cost: fast {:.0} kr, MIP {:.0} kr; difference {:+.2} % (target ≤ +5 %: {})",
        obj_f / n,
        obj_m / n,
        (obj_f / obj_m.max(1e-9) - 1.0) * 100.0,
        if obj_f <= 1.05 * obj_m { "met" } else { "not met" }
    )?;
    Ok(())
}
