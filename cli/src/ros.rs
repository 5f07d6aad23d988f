//! `ros`: a ROS workshop from the command line: the matrix, the measure ranking and the
//! report (PDF, or HTML by the file's extension).

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use bemanna_solver::formats;
use bemanna_solver::model::{Instance, Project};
use bemanna_solver::montecarlo::nok;
use bemanna_solver::plan;
use bemanna_solver::ros::{self, Assessment, EvalError, EvalOptions, Level};

use crate::{invalid, read, sim, CliError};

/// Options of `ros`.
pub struct RosArgs<'a> {
    /// Project as read.
    pub project: Project,
    /// Project file name, for messages.
    pub project_file: String,
    /// The ROS file.
    pub ros: &'a Path,
    /// Scenarios per study (0: the file's `runs`).
    pub runs: usize,
    /// Worker threads (0: one per core).
    pub threads: usize,
    /// Reports to write (`.pdf` or `.html`).
    pub reports: Vec<PathBuf>,
    /// Seconds to plan a roster when the ROS file names none.
    pub plan_time: f64,
    /// Show a progress bar on stderr.
    pub progress: bool,
}

/// Runs the workshop, prints the matrix and the ranking, writes the reports.
pub fn ros(w: &mut impl Write, a: RosArgs) -> Result<Assessment, CliError> {
    let rfile = a.ros.display().to_string();
    let ws = ros::workshop_from_json(&read(a.ros)?, &rfile).map_err(|e| CliError(e.to_string()))?;
    let dir = a.ros.parent().unwrap_or(Path::new("."));
    let mut scenarios = Vec::new();
    for s in &ws.scenarios {
        scenarios.push((s.id.clone(), sim::load_scenario(&dir.join(&s.file))?));
    }
    // Every study runs over the first scenario's horizon (they must agree).
    let days = scenarios
        .first()
        .and_then(|(_, s)| s.days)
        .unwrap_or(a.project.days);
    for (i, (_, s)) in scenarios.iter().enumerate() {
        if s.days.unwrap_or(a.project.days) != days {
            return Err(invalid(
                rfile.clone(),
                vec![bemanna_solver::model::FieldError {
                    path: format!("scenarios[{i}]"),
                    message: format!(
                        "covers {} days, the first scenario {days}; a workshop uses one horizon",
                        s.days.unwrap_or(a.project.days)
                    ),
                }],
            ));
        }
    }
    let project = a.project.with_days(days);
    let inst = Instance::new(project.clone())
        .map_err(|problems| invalid(a.project_file.clone(), problems))?;
    let grid = match &ws.roster {
        Some(r) => {
            let path = dir.join(r);
            let file = path.display().to_string();
            formats::read_roster(&read(&path)?, &file, &inst)
                .map_err(|e| CliError(e.to_string()))?
        }
        None => {
            eprintln!("Lager vaktplan for {days} dager ({} s)…", a.plan_time);
            plan::plan(
                &inst,
                &plan::PlanOptions {
                    time_limit: a.plan_time,
                    ..Default::default()
                },
            )
            .grid
        }
    };
    let cancel = AtomicBool::new(false);
    let progress = crate::sim::progress_bar(a.progress, "simulerte bølger");
    let opts = EvalOptions {
        runs: a.runs,
        seed: None,
        threads: a.threads,
    };
    let res = ros::evaluate(&ws, &project, &grid, &scenarios, &opts, &progress, &cancel).map_err(
        |e| match e {
            EvalError::Invalid(p) => invalid(rfile.clone(), p),
            EvalError::Cancelled => CliError("cancelled".into()),
        },
    )?;
    print_text(w, &res)?;
    for path in &a.reports {
        let t = Instant::now();
        let bytes = match path.extension().and_then(|e| e.to_str()) {
            Some(e) if e.eq_ignore_ascii_case("html") || e.eq_ignore_ascii_case("htm") => {
                bemanna_report::ros_html(&res)?.into_bytes()
            }
            // The assessment as data, for other tools (and the UI's mock backend).
            Some(e) if e.eq_ignore_ascii_case("json") => serde_json::to_vec_pretty(&res)
                .map_err(|e| CliError(format!("{}: {e}", path.display())))?,
            _ => bemanna_report::ros_pdf(&res)?,
        };
        std::fs::write(path, bytes).map_err(|e| CliError(format!("{}: {e}", path.display())))?;
        writeln!(
            w,
            "Rapport skrevet: {} ({:.1} s)",
            path.display(),
            t.elapsed().as_secs_f64()
        )?;
    }
    Ok(res)
}

fn level(l: Level) -> &'static str {
    match l {
        Level::Green => "grønn",
        Level::Yellow => "gul",
        Level::Red => "rød",
    }
}

fn pct(p: f64) -> String {
    format!("{:.1} %", p * 100.0).replace('.', ",")
}

/// Percentage points with a sign and a decimal comma: "−3,5".
fn pp(d: f64) -> String {
    format!("{:+.1}", d * 100.0)
        .replace('.', ",")
        .replace('-', "−")
}

/// The matrix and the ranking as text.
pub fn print_text(w: &mut impl Write, a: &Assessment) -> io::Result<()> {
    writeln!(
        w,
        "ROS: {} — {} ({} simulerte bølger per scenario og tiltak, frø {}, {:.1} s)",
        a.workshop.title, a.project_name, a.runs, a.seed, a.seconds
    )?;
    writeln!(w)?;
    writeln!(
        w,
        "Risikomatrise før tiltak (S = sannsynlighet, K = konsekvens)"
    )?;
    writeln!(w, "        K1     K2     K3     K4     K5")?;
    for l in (1..=5u8).rev() {
        write!(w, "  S{l} ")?;
        for c in 1..=5u8 {
            let here: Vec<String> = a
                .hazards
                .iter()
                .enumerate()
                .filter(|(_, h)| h.cell.likelihood == l && h.cell.consequence == c)
                .map(|(i, _)| format!("H{}", i + 1))
                .collect();
            let mark = match a.workshop.scales.acceptance.level(l, c) {
                Level::Green => '.',
                Level::Yellow => '~',
                Level::Red => '#',
            };
            let txt = if here.is_empty() {
                mark.to_string()
            } else {
                here.join(",")
            };
            write!(w, " {txt:<6}")?;
        }
        writeln!(w)?;
    }
    writeln!(w, "  (. grønn  ~ gul  # rød)")?;
    writeln!(w)?;
    writeln!(w, "Uønskede hendelser")?;
    for (i, h) in a.hazards.iter().enumerate() {
        let b = &h.before;
        write!(
            w,
            "  H{} {}: P = {} (95 % KI {}–{}), S{}×K{} {}",
            i + 1,
            h.hazard.title,
            pct(b.probability),
            pct(b.low),
            pct(b.high),
            b.cell.likelihood,
            b.cell.consequence,
            level(b.cell.level)
        )?;
        if let Some(o) = &h.hazard.override_cell {
            write!(
                w,
                "; overstyrt til S{}×K{} {} ({})",
                o.likelihood,
                o.consequence,
                level(h.cell.level),
                o.reason
            )?;
        }
        writeln!(w)?;
    }
    writeln!(w)?;
    writeln!(w, "Tiltak rangert etter risikoreduksjon per krone")?;
    for mi in a.ranking() {
        let m = &a.measures[mi];
        let per = match m.reduction_per_100k {
            Some(x) => format!("{} per 100 000 kr", format!("{x:.4}").replace('.', ",")),
            None if m.risk_reduction > 0.0 => "sparer penger".into(),
            None => "ingen reduksjon".into(),
        };
        writeln!(
            w,
            "  {}. {} ({}): kostnad {} kr (egen pris {} kr), risikoreduksjon {}, {per}",
            m.rank,
            m.measure.name,
            m.measure.change.kind_nb(),
            nok(m.total_cost_nok),
            nok(m.measure.cost_nok),
            format!("{:.3}", m.risk_reduction).replace('.', ",")
        )?;
        for h in a.hazards.iter() {
            let e = &h.effects[mi];
            writeln!(
                w,
                "       {}: {} → {} ({} pp, KI {} til {}), S{}×K{} → S{}×K{}",
                h.hazard.id,
                pct(h.before.probability),
                pct(e.after.probability),
                pp(e.delta),
                pp(e.delta_low),
                pp(e.delta_high),
                h.before.cell.likelihood,
                h.before.cell.consequence,
                e.after.cell.likelihood,
                e.after.cell.consequence
            )?;
        }
    }
    Ok(())
}
