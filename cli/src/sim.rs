//! `simulate` and `replan`: wave studies and roster repair from the command line.

use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;
use std::time::Instant;

use chrono::NaiveDate;

use bemanna_solver::check;
use bemanna_solver::explain;
use bemanna_solver::formats;
use bemanna_solver::model::{fmt_date, Absence, AbsenceKind, Instance, Lang, Project};
use bemanna_solver::montecarlo::{nok, Study, StudyOptions, StudyResult};
use bemanna_solver::plan;
use bemanna_solver::replan;
use bemanna_solver::roster::Grid;
use bemanna_solver::waves::{self, Scenario};

use crate::{invalid, read, CliError};

fn t(lang: Lang, nb: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Nb => nb,
        Lang::En => en,
    }
}

/// Reads and checks a scenario against a project.
pub fn load_scenario(path: &Path) -> Result<Scenario, CliError> {
    let file = path.display().to_string();
    waves::scenario_from_json(&read(path)?, &file).map_err(|e| CliError(e.to_string()))
}

/// Options of `simulate`.
pub struct SimulateArgs<'a> {
    /// Project as read.
    pub project: Project,
    /// Project file name, for messages.
    pub project_file: String,
    /// Scenario file.
    pub scenario: &'a Path,
    /// Roster in force; planned when absent.
    pub roster: Option<&'a Path>,
    /// Seconds to plan the roster when none is given.
    pub plan_time: f64,
    /// Study options.
    pub opts: StudyOptions,
    /// Write the full results here.
    pub out: Option<&'a Path>,
    /// Show a progress bar on stderr.
    pub progress: bool,
}

/// Runs a study and prints its summary.
pub fn simulate(w: &mut impl Write, a: SimulateArgs, lang: Lang) -> Result<StudyResult, CliError> {
    let scenario = load_scenario(a.scenario)?;
    let days = scenario.days.unwrap_or(a.project.days);
    let project = a.project.with_days(days);
    let inst =
        Instance::new(project).map_err(|problems| invalid(a.project_file.clone(), problems))?;
    if let Err(problems) = scenario.validate(&inst) {
        return Err(invalid(a.scenario.display().to_string(), problems));
    }
    let grid = match a.roster {
        Some(path) => {
            let file = path.display().to_string();
            formats::read_roster(&read(path)?, &file, &inst).map_err(|e| CliError(e.to_string()))?
        }
        None => {
            eprintln!(
                "{} {} {} ({} s)…",
                t(lang, "Lager vaktplan for", "Planning a roster for"),
                days,
                t(lang, "dager", "days"),
                a.plan_time
            );
            let out = plan::plan(
                &inst,
                &plan::PlanOptions {
                    time_limit: a.plan_time,
                    ..Default::default()
                },
            );
            out.grid
        }
    };
    let study = Study::new(&inst, &grid, &scenario)
        .map_err(|problems| invalid(a.scenario.display().to_string(), problems))?;
    let cancel = AtomicBool::new(false);
    let progress = progress_bar(a.progress, t(lang, "scenarier", "scenarios"));
    let res = study.run(&a.opts, &progress, &cancel);
    if let Some(path) = a.out {
        let text = serde_json::to_string_pretty(&res).map_err(|e| CliError(e.to_string()))?;
        std::fs::write(path, text).map_err(|e| CliError(format!("{}: {e}", path.display())))?;
    }
    summary(w, &inst, &res, lang, a.out).map_err(CliError::from)?;
    Ok(res)
}

/// The study summary as text.
pub fn summary(
    w: &mut impl Write,
    inst: &Instance,
    r: &StudyResult,
    lang: Lang,
    written: Option<&Path>,
) -> io::Result<()> {
    writeln!(
        w,
        "{} — {}: {} {} ({} {}), {} {} – {}, {:.1} s",
        inst.project.name,
        r.scenario,
        r.runs,
        t(lang, "scenarier", "scenarios"),
        t(lang, "frø", "seed"),
        r.seed,
        t(lang, "periode", "period"),
        fmt_date(r.dates[0]),
        fmt_date(*r.dates.last().expect("non-empty")),
        r.seconds
    )?;
    if r.cancelled {
        writeln!(
            w,
            "{} {} / {}",
            t(
                lang,
                "AVBRUTT: delresultat etter",
                "CANCELLED: partial result after"
            ),
            r.runs,
            r.requested
        )?;
    }
    writeln!(w)?;
    writeln!(
        w,
        "{:<10} {:>11} {:>11} {:>11} {:>11}",
        t(lang, "Uke", "Week"),
        t(lang, "borte P50", "absent P50"),
        t(lang, "borte P90", "absent P90"),
        t(lang, "udekket P50", "uncov. P50"),
        t(lang, "udekket P90", "uncov. P90"),
    )?;
    for wk in &r.weeks {
        let label = match lang {
            Lang::Nb => wk.label.clone(),
            Lang::En => wk.label.replace("uke", "week"),
        };
        writeln!(
            w,
            "{:<10} {:>11} {:>11} {:>11} {:>11}",
            label, wk.peak_absent.p50, wk.peak_absent.p90, wk.uncovered.p50, wk.uncovered.p90
        )?;
    }
    writeln!(
        w,
        "({})",
        t(
            lang,
            "borte: flest ansatte borte på én dag i uka (isolasjon, karantene, sykdom); udekket: plasser under minimum i uka",
            "absent: most staff away on one day of the week (isolation, quarantine, sickness); uncovered: seats below minimum in the week"
        )
    )?;
    writeln!(w)?;
    writeln!(w, "{}", t(lang, "Sannsynligheter", "Probabilities"))?;
    for e in &r.events {
        writeln!(
            w,
            "  {:<40} {:>5.1} %  (95 %: {:.1}–{:.1} %)",
            match lang {
                Lang::Nb => &e.label_nb,
                Lang::En => &e.label_en,
            },
            e.probability * 100.0,
            e.low * 100.0,
            e.high * 100.0
        )?;
    }
    writeln!(w)?;
    let [ex, ot, ag] = r.expected_cost_split_nok;
    writeln!(
        w,
        "{}: {} kr ({} {} kr, {} {} kr, {} {} kr); P90 {} kr",
        t(lang, "Forventet merkostnad", "Expected extra cost"),
        nok(r.expected_extra_cost_nok),
        t(lang, "ekstravakter", "extra shifts"),
        nok(ex),
        t(lang, "overtid", "overtime"),
        nok(ot),
        t(lang, "vikarbyrå", "agency"),
        nok(ag),
        nok(r.total_cost_nok.p90 as f64)
    )?;
    writeln!(w)?;
    writeln!(w, "{}", t(lang, "Verste dager", "Worst days"))?;
    for d in &r.worst_days {
        writeln!(
            w,
            "  {} {}  {} {:.1} (P90 {}), {} {:.0} %, {} {:.1}",
            bemanna_solver::model::weekday_nb(d.date),
            fmt_date(d.date),
            t(lang, "udekket snitt", "uncovered mean"),
            d.mean_uncovered,
            d.p90_uncovered,
            t(lang, "uten sykepleier", "without nurse"),
            d.p_without_nurse * 100.0,
            t(lang, "borte snitt", "absent mean"),
            d.mean_absent
        )?;
    }
    if let Some(p) = written {
        writeln!(w)?;
        writeln!(
            w,
            "{} {}",
            t(
                lang,
                "Fullt resultat skrevet til",
                "Full results written to"
            ),
            p.display()
        )?;
    }
    Ok(())
}

/// Reads new absences: a JSON array of absences, or CSV `staff_id,kind,from,to` (dates as
/// dd.mm.yyyy or yyyy-mm-dd). Errors name the line.
pub fn read_absences(path: &Path) -> Result<Vec<Absence>, CliError> {
    let text = read(path)?;
    let file = path.display().to_string();
    if path.extension().is_some_and(|e| e == "json") {
        let de = &mut serde_json::Deserializer::from_str(&text);
        return serde_path_to_error::deserialize(de).map_err(|e| {
            CliError(format!(
                "{file}: {}: {} (line {})",
                e.path(),
                e.inner(),
                e.inner().line()
            ))
        });
    }
    let mut out = Vec::new();
    let mut errs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        let line = line.trim_start_matches('\u{feff}').trim();
        if line.is_empty() || (n == 1 && line.to_lowercase().starts_with("staff")) {
            continue;
        }
        let f = formats::split_csv_line(line);
        if f.len() != 4 {
            errs.push(format!(
                "{file}: line {n}: expected staff_id,kind,from,to, got {} fields",
                f.len()
            ));
            continue;
        }
        let kind = match f[1].trim().to_lowercase().as_str() {
            "ferie" => Some(AbsenceKind::Ferie),
            "sykdom" | "syk" => Some(AbsenceKind::Sykdom),
            "karantene" => Some(AbsenceKind::Karantene),
            "isolasjon" => Some(AbsenceKind::Isolasjon),
            "fri" => Some(AbsenceKind::Fri),
            _ => None,
        };
        let (from, to) = (parse_date(&f[2]), parse_date(&f[3]));
        match (kind, from, to) {
            (Some(kind), Some(from), Some(to)) if from <= to => out.push(Absence {
                staff: f[0].trim().to_string(),
                kind,
                from,
                to,
            }),
            (None, _, _) => errs.push(format!(
                "{file}: line {n}, column kind: `{}` is not one of ferie, sykdom, karantene, isolasjon, fri",
                f[1]
            )),
            (_, None, _) => errs.push(format!("{file}: line {n}, column from: `{}` is not a date", f[2])),
            (_, _, None) => errs.push(format!("{file}: line {n}, column to: `{}` is not a date", f[3])),
            _ => errs.push(format!("{file}: line {n}: from is after to")),
        }
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(CliError(errs.join("\n")))
    }
}

/// dd.mm.yyyy or yyyy-mm-dd.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%d.%m.%Y")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y-%m-%d"))
        .ok()
}

/// Re-plans and prints the change list. Returns whether everything is covered.
#[allow(clippy::too_many_arguments)]
pub fn replan_cmd(
    w: &mut impl Write,
    inst: &Instance,
    roster_path: &Path,
    absences_path: &Path,
    from: &str,
    out: Option<&Path>,
    mip_time: Option<f64>,
    lang: Lang,
) -> Result<bool, CliError> {
    let absences = read_absences(absences_path)?;
    let file = roster_path.display().to_string();
    let grid: Grid = formats::read_roster(&read(roster_path)?, &file, inst)
        .map_err(|e| CliError(e.to_string()))?;
    let from_date = parse_date(from)
        .ok_or_else(|| CliError(format!("--from: `{from}` is not a date (dd.mm.yyyy)")))?;
    let from = inst.day_index(from_date).ok_or_else(|| {
        CliError(format!(
            "--from: {} is outside the horizon {} – {}",
            fmt_date(from_date),
            fmt_date(inst.dates[0]),
            fmt_date(*inst.dates.last().expect("non-empty"))
        ))
    })?;
    let res = match mip_time {
        None => replan::replan(inst, &grid, from, &absences),
        Some(t) => replan::replan_mip(inst, &grid, from, &absences, t),
    }
    .map_err(|problems| invalid(absences_path.display().to_string(), problems))?;
    let rinst = &res.instance;
    writeln!(
        w,
        "{} {} ({} {}, {:.2} s)",
        t(lang, "Endringer fra", "Changes from"),
        fmt_date(from_date),
        res.changes.len(),
        t(lang, "endringer", "changes"),
        res.seconds
    )?;
    for c in &res.changes {
        writeln!(w, "  {}", c.text(lang))?;
    }
    writeln!(
        w,
        "{}: {} kr",
        t(lang, "Kostnad", "Cost"),
        nok(res.cost_nok())
    )?;
    let violations = check::check(rinst, &res.grid);
    let shortages = explain::explain(rinst, &res.grid);
    let personal: Vec<_> = violations.iter().filter(|v| !v.rule.is_cover()).collect();
    if !personal.is_empty() {
        writeln!(w, "{}", t(lang, "Regelbrudd:", "Rule violations:"))?;
        for v in personal {
            writeln!(w, "  {}", v.message(lang))?;
        }
    }
    if shortages.is_empty() {
        writeln!(
            w,
            "{}",
            t(
                lang,
                "Alt minimum er dekket.",
                "All minimum demand is covered."
            )
        )?;
    } else {
        writeln!(w, "{}", t(lang, "Fortsatt udekket:", "Still uncovered:"))?;
        for s in &shortages {
            writeln!(w, "  {}", s.text(lang, 4))?;
        }
    }
    if let Some(path) = out {
        let roster = res.grid.to_roster(rinst);
        let text = if path.extension().is_some_and(|e| e == "json") {
            formats::roster_to_json(&roster)
        } else {
            formats::roster_to_csv(&roster)
        };
        std::fs::write(path, text).map_err(|e| CliError(format!("{}: {e}", path.display())))?;
        writeln!(
            w,
            "{} {}",
            t(lang, "Skrevet til", "Written to"),
            path.display()
        )?;
    }
    Ok(violations.is_empty())
}

/// A progress bar on stderr for a rayon job, redrawn at most every 200 ms: `[###   ] 12/500
/// {noun} 3.4 s`. Does nothing when `show` is false.
pub fn progress_bar(show: bool, noun: &str) -> impl Fn(usize, usize) + Sync + '_ {
    let t0 = Instant::now();
    let last = Mutex::new(Instant::now());
    move |done: usize, total: usize| {
        if !show {
            return;
        }
        let Ok(mut l) = last.lock() else { return };
        if done < total && l.elapsed().as_millis() < 200 {
            return;
        }
        *l = Instant::now();
        let width = 30;
        let filled = done * width / total.max(1);
        eprint!(
            "\r[{}{}] {done}/{total} {noun} {:.1} s",
            "#".repeat(filled),
            " ".repeat(width - filled),
            t0.elapsed().as_secs_f64()
        );
        if done == total {
            eprintln!();
        }
    }
}
