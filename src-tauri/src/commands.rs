//! The commands: validate → store/solver → typed result. No domain logic lives here.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bemanna_solver::model::{FieldError, Instance, Lang};
use bemanna_solver::montecarlo::{Study, StudyOptions, StudyResult};
use bemanna_solver::plan::{plan_with, Fixing, Observer, PlanOptions};
use bemanna_solver::roster::{Grid, Roster};
use bemanna_solver::waves::{scenario_from_json, Scenario};
use bemanna_solver::{check, explain, replan};
use bemanna_store::{import, RosterMeta};
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State};

use crate::api::*;
use crate::state::AppState;

pub(crate) type Res<T> = Result<T, AppError>;

pub(crate) const PRESETS: [(&str, &str); 3] = [
    (
        "wave-mild",
        include_str!("../../fixtures/scenarios/wave-mild.json"),
    ),
    (
        "wave-severe-2020",
        include_str!("../../fixtures/scenarios/wave-severe-2020.json"),
    ),
    (
        "wave-severe-test-to-release",
        include_str!("../../fixtures/scenarios/wave-severe-test-to-release.json"),
    ),
];

pub(crate) fn id64(id: i32) -> i64 {
    i64::from(id)
}

fn id32(id: i64) -> i32 {
    // SQLite rowids of this app stay far below 2^31; saturate rather than wrap if not.
    i32::try_from(id).unwrap_or(i32::MAX)
}

fn version(r: &bemanna_store::RosterInfo) -> RosterVersion {
    RosterVersion {
        id: id32(r.id),
        version: r.version,
        in_use: r.in_use,
        saved_by: r.saved_by.clone(),
        saved_at: r.saved_at.clone(),
        reason: r.reason.clone(),
        assignments: r.assignments as u32,
    }
}

pub(crate) fn grid_of(inst: &Instance, roster: &Roster, what: &str) -> Res<Grid> {
    roster.resolve(inst).map_err(|f| AppError::invalid(what, f))
}

/// Runs blocking work off the async runtime's threads (and off the UI thread).
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Res<T> + Send + 'static,
) -> Res<T> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| AppError::msg(format!("Intern feil i bakgrunnsjobben: {e}")))?
}

#[tauri::command]
pub fn list_projects(state: State<'_, AppState>) -> Res<Vec<ProjectListItem>> {
    Ok(state
        .store()
        .projects()?
        .into_iter()
        .map(|p| ProjectListItem {
            id: id32(p.id),
            name: p.name,
            start: p.start,
            days: p.days,
            staff: p.staff as u32,
            updated_at: p.updated_at,
        })
        .collect())
}

#[tauri::command]
pub fn open_project(state: State<'_, AppState>, project_id: i32) -> Res<HomeData> {
    let id = id64(project_id);
    let inst = state.instance(id)?;
    let store = state.store();
    let versions: Vec<RosterVersion> = store.rosters(id)?.iter().map(version).collect();
    let (roster, roster_version) = match store.current_roster(id)? {
        Some(info) => {
            let (info, roster) = store.load_roster(info.id)?;
            (Some(roster), Some(version(&info)))
        }
        None => (None, None),
    };
    let presets = PRESETS
        .iter()
        .map(|(pid, text)| {
            let mut scenario = scenario_from_json(text, &format!("{pid}.json"))
                .map_err(|e| AppError::msg(e.to_string()))?;
            scenario.days = Some(inst.project.days);
            Ok(ScenarioPreset {
                id: pid.to_string(),
                scenario,
            })
        })
        .collect::<Res<Vec<_>>>()?;
    let studies = store
        .study_runs(id)?
        .into_iter()
        .map(|(sid, label)| StudyListItem {
            id: id32(sid),
            label,
        })
        .collect();
    Ok(HomeData {
        project_id,
        project: inst.project.clone(),
        roster,
        roster_version,
        versions,
        presets,
        studies,
        db_path: state.db_path.display().to_string(),
    })
}

#[tauri::command]
pub fn save_project(
    state: State<'_, AppState>,
    project_id: i32,
    project: bemanna_solver::model::Project,
) -> Res<ProjectListItem> {
    let id = id64(project_id);
    // Validate first so the user gets every field at once; the store validates again.
    Instance::new(project.clone())
        .map_err(|f| AppError::invalid("Prosjektet er ikke gyldig, ingenting ble lagret", f))?;
    state.store().update_project(id, &project)?;
    state.forget(id);
    list_projects(state)?
        .into_iter()
        .find(|p| p.id == project_id)
        .ok_or_else(|| AppError::msg("Prosjektet forsvant under lagring"))
}

#[tauri::command]
pub fn import_staff(
    state: State<'_, AppState>,
    project_id: i32,
    file_name: String,
    bytes: Vec<u8>,
    accept_valid: bool,
) -> Res<ImportReport> {
    let id = id64(project_id);
    let project = state.instance(id)?.project.clone();
    let lower = file_name.to_lowercase();
    let read = if lower.ends_with(".xlsx") || lower.ends_with(".xlsm") {
        import::read_staff_xlsx(&bytes, &file_name, &project)?
    } else if lower.ends_with(".csv") || lower.ends_with(".txt") {
        import::read_staff_csv(&bytes, &file_name, &project)?
    } else {
        return Err(AppError::msg(format!(
            "{file_name}: ukjent filtype (bruk .csv eller .xlsx)"
        )));
    };
    let mut report = ImportReport {
        file: read.file.clone(),
        format: read.format.clone(),
        header_line: read.header_line as u32,
        columns: read
            .columns
            .iter()
            .map(|c| ImportColumn {
                letter: c.letter.clone(),
                header: c.header.clone(),
                field: c.field.map(|f| f.label().to_string()),
            })
            .collect(),
        valid_rows: read.rows.len() as u32,
        errors: read
            .errors
            .iter()
            .map(|e| ImportRowError {
                line: e.line as u32,
                reasons: e.reasons.clone(),
            })
            .collect(),
        written: false,
        added: 0,
        updated: 0,
    };
    if read.errors.is_empty() || accept_valid {
        let out = state.store().import_staff(id, &read, accept_valid)?;
        state.forget(id);
        report.written = true;
        report.added = out.added as u32;
        report.updated = out.updated as u32;
    }
    Ok(report)
}

/// The checker's findings and the grid's margins.
pub fn check_report(inst: &Instance, grid: &Grid, started: Instant) -> CheckReport {
    let violations = check::check(inst, grid);
    let shortages = explain::explain_violations(inst, grid, &violations);
    let hours = (0..inst.n_staff())
        .map(|e| StaffHours {
            staff: inst.project.staff[e].id.clone(),
            minutes: grid.cells[e]
                .iter()
                .flatten()
                .map(|&(s, _)| inst.paid(s))
                .sum(),
            contract_minutes: inst.person[e].contract_minutes,
            min_minutes: inst.person[e].min_minutes,
            max_minutes: inst.person[e].max_minutes,
        })
        .collect();
    let mut cover = Vec::new();
    for d in 0..inst.n_days() {
        for s in 0..inst.n_shifts() {
            for u in 0..inst.n_units() {
                let dem = &inst.demand[d][s][u];
                let need: u32 = dem.iter().map(|x| x.min).sum();
                let wanted: u32 = dem.iter().map(|x| x.wanted).sum();
                let have = (0..inst.n_staff())
                    .filter(|&e| grid.cells[e][d].contains(&(s, u)))
                    .count() as u32;
                if need > 0 || wanted > 0 || have > 0 {
                    cover.push(CoverCell {
                        date: inst.dates[d],
                        shift: inst.project.shift_types[s].code.clone(),
                        unit: inst.project.units[u].id.clone(),
                        need,
                        wanted,
                        have,
                    });
                }
            }
        }
    }
    CheckReport {
        violations,
        shortages,
        hours,
        cover,
        micros: started.elapsed().as_micros().min(u128::from(u32::MAX)) as u32,
    }
}

#[tauri::command]
pub fn check_roster(
    state: State<'_, AppState>,
    project_id: i32,
    roster: Roster,
) -> Res<CheckReport> {
    let t0 = Instant::now();
    let inst = state.instance(id64(project_id))?;
    let grid = grid_of(&inst, &roster, "Vaktplanen passer ikke til prosjektet")?;
    Ok(check_report(&inst, &grid, t0))
}

fn fixing_of(inst: &Instance, pins: &[Pin]) -> Res<Fixing> {
    let mut fixing = Fixing::none(inst);
    let mut errs = Vec::new();
    for (i, p) in pins.iter().enumerate() {
        let field = |f: &str, m: String| FieldError {
            path: format!("pins[{i}].{f}"),
            message: m,
        };
        let Some(e) = inst.staff_index(&p.staff) else {
            errs.push(field("staff", format!("ukjent ansatt {}", p.staff)));
            continue;
        };
        let Some(d) = inst.day_index(p.date) else {
            errs.push(field("date", format!("{} er utenfor planperioden", p.date)));
            continue;
        };
        let cell = match &p.shift {
            None => None,
            Some(code) => {
                let Some(s) = inst.shift_index(code) else {
                    errs.push(field("shift", format!("ukjent vakt {code}")));
                    continue;
                };
                let u = match &p.unit {
                    None => inst.home_unit[e],
                    Some(uid) => match inst.unit_index(uid) {
                        Some(u) => u,
                        None => {
                            errs.push(field("unit", format!("ukjent enhet {uid}")));
                            continue;
                        }
                    },
                };
                Some((s, u))
            }
        };
        fixing.cells[e][d] = Some(cell);
    }
    if errs.is_empty() {
        Ok(fixing)
    } else {
        Err(AppError::invalid("Låste celler", errs))
    }
}

#[tauri::command]
pub async fn plan_roster(
    app: AppHandle,
    project_id: i32,
    job_id: String,
    request: PlanRequest,
    on_progress: Channel<JobProgress>,
) -> Res<PlanResult> {
    if !(request.time_limit_s > 0.0 && request.time_limit_s <= 3600.0) {
        return Err(AppError::invalid(
            "Tidsgrense",
            vec![FieldError {
                path: "timeLimitS".into(),
                message: "må være mellom 0 og 3600 sekunder".into(),
            }],
        ));
    }
    blocking(move || {
        let state = app.state::<AppState>();
        let inst = state.instance(id64(project_id))?;
        let fixing = fixing_of(&inst, &request.pins)?;
        let start = match &request.start {
            Some(r) => Some(grid_of(&inst, r, "Startplanen passer ikke til prosjektet")?),
            None => None,
        };
        let job = state.start_job(&job_id)?;
        let t0 = Instant::now();
        let total = (request.time_limit_s * 1000.0) as u32;
        let best: Arc<Mutex<Option<f64>>> = Arc::new(Mutex::new(None));
        let send = {
            let best = best.clone();
            let ch = on_progress.clone();
            move || {
                let elapsed = t0.elapsed().as_secs_f64();
                let _ = ch.send(JobProgress {
                    done: ((elapsed * 1000.0) as u32).min(total),
                    total,
                    elapsed_s: elapsed,
                    best_objective: *best.lock().unwrap_or_else(|p| p.into_inner()),
                });
            }
        };
        let observer = Observer {
            progress: {
                let best = best.clone();
                let send = send.clone();
                Arc::new(move |_, obj| {
                    *best.lock().unwrap_or_else(|p| p.into_inner()) = Some(obj);
                    send();
                })
            },
            cancel: job.cancel.clone(),
        };
        let opts = PlanOptions {
            time_limit: request.time_limit_s,
            observer: Some(observer),
            ..Default::default()
        };
        let finished = AtomicBool::new(false);
        let out = std::thread::scope(|sc| {
            // Elapsed time ticks while HiGHS works without callbacks.
            sc.spawn(|| {
                while !finished.load(Ordering::Relaxed) {
                    send();
                    std::thread::sleep(Duration::from_millis(250));
                }
            });
            let out = plan_with(&inst, &fixing, &opts, start.as_ref());
            finished.store(true, Ordering::Relaxed);
            out
        });
        drop(job);
        let violations = check::check(&inst, &out.grid);
        Ok(PlanResult {
            roster: out.grid.to_roster(&inst),
            objective: out.objective,
            best_bound: out.best_bound.is_finite().then_some(out.best_bound),
            gap: out.gap.is_finite().then_some(out.gap),
            status: out.status,
            cancelled: out.cancelled,
            seconds: out.seconds,
            breakdown: out.breakdown,
            shortages: explain::explain_violations(&inst, &out.grid, &violations),
            violations: violations.len() as u32,
        })
    })
    .await
}

#[tauri::command]
pub async fn replan_roster(
    app: AppHandle,
    project_id: i32,
    request: ReplanRequest,
) -> Res<ReplanResult> {
    blocking(move || {
        let state = app.state::<AppState>();
        let inst = state.instance(id64(project_id))?;
        let grid = grid_of(&inst, &request.roster, "Vaktplanen passer ikke til prosjektet")?;
        let Some(from) = inst.day_index(request.from) else {
            return Err(AppError::invalid(
                "Planlegg på nytt",
                vec![FieldError {
                    path: "from".into(),
                    message: format!("{} er utenfor planperioden", request.from),
                }],
            ));
        };
        let bad = |f: Vec<FieldError>| AppError::invalid("Nye fravær", f);
        let r = match request.mip_seconds {
            None => {
                if !request.pins.is_empty() {
                    return Err(AppError::msg(
                        "Låste celler gjelder bare full omplanlegging (MIP); den raske reparasjonen endrer bare det fraværet krever",
                    ));
                }
                replan::replan(&inst, &grid, from, &request.absences).map_err(bad)?
            }
            Some(secs) => {
                let fixing = fixing_of(&inst, &request.pins)?;
                let pinned: Vec<replan::PinnedCell> = (0..inst.n_staff())
                    .flat_map(|e| (0..inst.n_days()).map(move |d| (e, d)))
                    .filter_map(|(e, d)| fixing.cells[e][d].map(|c| (e, d, c)))
                    .collect();
                replan::replan_mip_pinned(&inst, &grid, from, &request.absences, secs, &pinned)
                    .map_err(bad)?
            }
        };
        let found = check::check(&r.instance, &r.grid);
        let rule_violations = found.iter().filter(|v| !v.rule.is_cover()).count() as u32;
        let uncovered = explain::explain_violations(&r.instance, &r.grid, &found);
        // Agency staff exist only in the repair instance; the grid shows project staff and
        // the change list shows the agency shifts.
        let mut roster = r.grid.to_roster(&r.instance);
        roster
            .assignments
            .retain(|a| inst.staff_index(&a.staff).is_some());
        Ok(ReplanResult {
            roster,
            changes: r
                .changes
                .iter()
                .map(|c| ChangeView {
                    change: c.clone(),
                    nb: c.text(Lang::Nb),
                    en: c.text(Lang::En),
                })
                .collect(),
            uncovered,
            cost_nok: r.cost_nok(),
            changed_cells: r.changed_cells() as u32,
            rule_violations,
            seconds: r.seconds,
        })
    })
    .await
}

/// Scenario counts of a running job, sent to the UI at most ~20 times a second however fast
/// scenarios finish; the last count is kept for the message when the job is cancelled.
pub(crate) struct ScenarioProgress<'a> {
    channel: &'a Channel<JobProgress>,
    t0: Instant,
    last: Mutex<Instant>,
    /// Last (done, total) reported.
    pub seen: Mutex<(usize, usize)>,
}

impl<'a> ScenarioProgress<'a> {
    pub(crate) fn new(channel: &'a Channel<JobProgress>) -> Self {
        ScenarioProgress {
            channel,
            t0: Instant::now(),
            last: Mutex::new(Instant::now() - Duration::from_secs(1)),
            seen: Mutex::new((0, 0)),
        }
    }

    pub(crate) fn report(&self, done: usize, total: usize) {
        *self.seen.lock().unwrap_or_else(|p| p.into_inner()) = (done, total);
        let mut l = self.last.lock().unwrap_or_else(|p| p.into_inner());
        if done == total || l.elapsed() >= Duration::from_millis(50) {
            *l = Instant::now();
            let _ = self.channel.send(JobProgress {
                done: done as u32,
                total: total as u32,
                elapsed_s: self.t0.elapsed().as_secs_f64(),
                best_objective: None,
            });
        }
    }
}

#[tauri::command]
pub async fn run_study(
    app: AppHandle,
    project_id: i32,
    job_id: String,
    request: StudyRequest,
    on_progress: Channel<JobProgress>,
) -> Res<StudyView> {
    if request.runs == 0 || request.runs > 1_000_000 {
        return Err(AppError::invalid(
            "Simulering",
            vec![FieldError {
                path: "runs".into(),
                message: "antall scenarier må være mellom 1 og 1 000 000".into(),
            }],
        ));
    }
    blocking(move || {
        let state = app.state::<AppState>();
        let id = id64(project_id);
        let inst = state.instance(id)?;
        let grid = grid_of(
            &inst,
            &request.roster,
            "Vaktplanen passer ikke til prosjektet",
        )?;
        let mut scenario: Scenario = request.scenario.clone();
        scenario.days = Some(inst.project.days);
        let study = Study::new(&inst, &grid, &scenario)
            .map_err(|f| AppError::invalid("Scenarioet er ikke gyldig", f))?;
        let job = state.start_job(&job_id)?;
        let counts = ScenarioProgress::new(&on_progress);
        let progress = |done: usize, total: usize| counts.report(done, total);
        let opts = StudyOptions {
            runs: request.runs as usize,
            seed: u64::from(request.seed),
            ..Default::default()
        };
        let result = study.run(&opts, &progress, &job.cancel);
        drop(job);
        let label = format!(
            "{} · {} scenarier · frø {}{}",
            result.scenario,
            result.runs,
            result.seed,
            if result.cancelled { " · avbrutt" } else { "" }
        );
        let id = if result.runs > 0 {
            Some(save_study(&state, id, &scenario, &result, &label)?)
        } else {
            None
        };
        Ok(StudyView {
            id: id.map(id32),
            label,
            result,
        })
    })
    .await
}

fn save_study(
    state: &AppState,
    project: i64,
    scenario: &Scenario,
    res: &StudyResult,
    label: &str,
) -> Res<i64> {
    Ok(state
        .store()
        .save_study_result(project, &scenario.name, scenario, res, label)?)
}

#[tauri::command]
pub fn list_studies(state: State<'_, AppState>, project_id: i32) -> Res<Vec<StudyListItem>> {
    Ok(state
        .store()
        .study_runs(id64(project_id))?
        .into_iter()
        .map(|(id, label)| StudyListItem {
            id: id32(id),
            label,
        })
        .collect())
}

#[tauri::command]
pub fn load_study(state: State<'_, AppState>, study_id: i32) -> Res<StudyView> {
    let run = state.store().load_study_run(id64(study_id))?;
    let result: StudyResult = run.aggregates_as()?;
    Ok(StudyView {
        id: Some(study_id),
        label: run.label,
        result,
    })
}

#[tauri::command]
pub fn cancel_job(state: State<'_, AppState>, job_id: String) -> bool {
    state.cancel_job(&job_id)
}

#[tauri::command]
pub fn save_roster(
    state: State<'_, AppState>,
    project_id: i32,
    roster: Roster,
    reason: String,
) -> Res<RosterVersion> {
    let id = id64(project_id);
    let inst = state.instance(id)?;
    grid_of(&inst, &roster, "Vaktplanen passer ikke til prosjektet")?;
    let user = std::env::var("USER").unwrap_or_else(|_| "bemanna".into());
    let meta = RosterMeta {
        saved_by: user,
        reason,
        in_use: true,
    };
    let mut store = state.store();
    let info = store.save_roster(id, &roster, &meta)?;
    Ok(version(&info))
}

#[tauri::command]
pub fn export_roster(
    app: AppHandle,
    state: State<'_, AppState>,
    project_id: i32,
    roster: Roster,
    format: ExportFormat,
) -> Res<ExportDone> {
    let inst = state.instance(id64(project_id))?;
    grid_of(&inst, &roster, "Vaktplanen passer ikke til prosjektet")?;
    let dir = export_dir(&app)?;
    let stem = format!(
        "vaktplan-{}-{}",
        slug(&inst.project.name),
        inst.project.start.format("%d.%m.%Y")
    );
    let (path, bytes) = match format {
        ExportFormat::Csv => (
            dir.join(format!("{stem}.csv")),
            bemanna_store::export::roster_csv(&roster).into_bytes(),
        ),
        ExportFormat::Xlsx => (
            dir.join(format!("{stem}.xlsx")),
            bemanna_store::export::roster_xlsx(&inst.project, &roster, &inst.project.name)?,
        ),
    };
    std::fs::create_dir_all(&dir)
        .and_then(|_| std::fs::write(&path, bytes))
        .map_err(|e| AppError::msg(format!("Kunne ikke skrive {}: {e}", path.display())))?;
    Ok(ExportDone {
        path: path.display().to_string(),
    })
}

/// Exports go to the user's download folder (home when there is none).
pub(crate) fn export_dir(app: &AppHandle) -> Res<std::path::PathBuf> {
    app.path()
        .download_dir()
        .or_else(|_| app.path().home_dir())
        .map_err(|e| AppError::msg(format!("Fant ingen mappe å lagre i: {e}")))
}

pub(crate) fn slug(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    s.split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}
