//! The ROS workshop commands: read and save a project's workshop, run its studies as a job,
//! export the report. The method lives in `bemanna_solver::ros`, the report in
//! `bemanna_report`.

use bemanna_solver::model::{FieldError, Instance};
use bemanna_solver::ros::{self, EvalError, EvalOptions, Workshop};
use bemanna_solver::waves::{scenario_from_json, Scenario};
use bemanna_store::Store;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, State};

use crate::api::*;
use crate::commands::{blocking, export_dir, grid_of, id64, slug, Res, ScenarioProgress, PRESETS};
use crate::state::AppState;

const INVALID: &str = "ROS-analysen er ikke gyldig, ingenting ble lagret";

const DEMO_WORKSHOP: &str = include_str!("../../fixtures/ros-demo-home.json");

/// The demo home's workshop: the starting point of a project without one. In the app the
/// roster in force is simulated, so the file's roster path is dropped.
pub fn template() -> Res<Workshop> {
    let mut ws = ros::workshop_from_json(DEMO_WORKSHOP, "ros-demo-home.json")
        .map_err(|e| AppError::msg(e.to_string()))?;
    ws.roster = None;
    Ok(ws)
}

fn preset_file(id: &str) -> String {
    format!("scenarios/{id}.json")
}

/// What `scenarios[].file` may name: built-in scenarios and the project's saved ones.
fn choices(store: &Store, project: i64) -> Res<Vec<String>> {
    let mut v: Vec<String> = PRESETS.iter().map(|(id, _)| preset_file(id)).collect();
    v.extend(store.scenarios(project)?.into_iter().map(|s| s.name));
    Ok(v)
}

/// The workshop's scenarios, over the project's horizon; errors name `scenarios[i].file`.
fn resolve(
    store: &Store,
    project: i64,
    ws: &Workshop,
    inst: &Instance,
) -> Res<Vec<(String, Scenario)>> {
    let saved = store.scenarios(project)?;
    let mut out = Vec::new();
    let mut errs = Vec::new();
    for (i, r) in ws.scenarios.iter().enumerate() {
        let path = format!("scenarios[{i}].file");
        let preset = PRESETS.iter().find(|(id, _)| preset_file(id) == r.file);
        let sc = if let Some((id, text)) = preset {
            scenario_from_json(text, &format!("{id}.json")).map_err(|e| e.to_string())
        } else if let Some(s) = saved.iter().find(|s| s.name == r.file) {
            store
                .load_scenario::<Scenario>(s.id)
                .map(|(_, sc)| sc)
                .map_err(|e| e.to_string())
        } else {
            Err(format!(
                "finner ikke scenarioet «{}»; velg et innebygd scenario eller et lagret",
                r.file
            ))
        };
        match sc {
            Ok(mut sc) => {
                sc.days = Some(inst.project.days);
                out.push((r.id.clone(), sc));
            }
            Err(message) => errs.push(FieldError { path, message }),
        }
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(AppError::invalid(INVALID, errs))
    }
}

fn ros_data(store: &Store, project: i64) -> Res<RosData> {
    let (workshop, saved, assessment, assessed_at) = match store.workshop(project)? {
        Some(s) => (s.workshop, true, s.assessment, s.assessed_at),
        None => (template()?, false, None, None),
    };
    let stale = assessment
        .as_ref()
        .is_some_and(|a| !a.same_evidence(&workshop));
    Ok(RosData {
        workshop,
        saved,
        assessment,
        assessed_at,
        stale,
        scenario_choices: choices(store, project)?,
    })
}

#[tauri::command]
pub fn open_ros(state: State<'_, AppState>, project_id: i32) -> Res<RosData> {
    let id = id64(project_id);
    state.instance(id)?;
    ros_data(&state.store(), id)
}

/// Checks what the solver's validation cannot see alone: scenario names and measures
/// against this project. Returns the workshop's scenarios, read.
fn check_against_project(
    store: &Store,
    id: i64,
    ws: &Workshop,
    inst: &Instance,
) -> Res<Vec<(String, Scenario)>> {
    let invalid = |f| AppError::invalid(INVALID, f);
    ws.validate().map_err(invalid)?;
    let scenarios = resolve(store, id, ws, inst)?;
    let mut errs = Vec::new();
    if let Some((_, sc)) = scenarios.first() {
        for (i, m) in ws.measures.iter().enumerate() {
            let (mut p, mut s) = (inst.project.clone(), sc.clone());
            if let Err(e) = m
                .change
                .apply(&mut p, &mut s, &format!("measures[{i}].change"))
            {
                errs.push(e);
            }
        }
    }
    if errs.is_empty() {
        Ok(scenarios)
    } else {
        Err(invalid(errs))
    }
}

#[tauri::command]
pub fn save_ros(state: State<'_, AppState>, project_id: i32, workshop: Workshop) -> Res<RosData> {
    let id = id64(project_id);
    let inst = state.instance(id)?;
    let mut store = state.store();
    check_against_project(&store, id, &workshop, &inst)?;
    // Scales, overrides, prices and texts are graded again at once; the simulations stay.
    let regraded = store
        .workshop(id)?
        .and_then(|s| s.assessment)
        .and_then(|mut a| a.regrade(&workshop).then_some(a));
    store.save_workshop(id, &workshop, regraded.as_ref())?;
    ros_data(&store, id)
}

#[tauri::command]
pub async fn run_ros(
    app: AppHandle,
    project_id: i32,
    job_id: String,
    request: RosRunRequest,
    on_progress: Channel<JobProgress>,
) -> Res<RosData> {
    if request.runs == 0 || request.runs > 100_000 {
        return Err(AppError::invalid(
            "ROS-analyse",
            vec![FieldError {
                path: "runs".into(),
                message: "antall scenarier per studie må være mellom 1 og 100 000".into(),
            }],
        ));
    }
    blocking(move || {
        let state = app.state::<AppState>();
        let id = id64(project_id);
        let inst = state.instance(id)?;
        let (ws, scenarios, grid) = {
            let store = state.store();
            let ws = match store.workshop(id)? {
                Some(s) => s.workshop,
                None => template()?,
            };
            let scenarios = check_against_project(&store, id, &ws, &inst)?;
            let info = store.current_roster(id)?.ok_or_else(|| {
                AppError::msg(
                    "Prosjektet har ingen lagret vaktplan. Lag vaktplanen og trykk \
                     «Lagre versjon» først: ROS-analysen simulerer smittebølgen på \
                     turnusen som gjelder.",
                )
            })?;
            let (_, roster) = store.load_roster(info.id)?;
            let grid = grid_of(&inst, &roster, "Vaktplanen passer ikke til prosjektet")?;
            (ws, scenarios, grid)
        };
        let job = state.start_job(&job_id)?;
        let counts = ScenarioProgress::new(&on_progress);
        let progress = |done: usize, total: usize| counts.report(done, total);
        let opts = EvalOptions {
            runs: request.runs as usize,
            ..Default::default()
        };
        let r = ros::evaluate(
            &ws,
            &inst.project,
            &grid,
            &scenarios,
            &opts,
            &progress,
            &job.cancel,
        );
        drop(job);
        match r {
            Ok(a) => {
                let mut store = state.store();
                store.save_assessment(id, &a)?;
                ros_data(&store, id)
            }
            Err(EvalError::Cancelled) => {
                let (done, total) = *counts.seen.lock().unwrap_or_else(|p| p.into_inner());
                Err(AppError::msg(format!(
                    "Avbrutt etter {} av {} scenarier; forrige beregning er beholdt",
                    nb_int(done),
                    nb_int(total),
                )))
            }
            Err(EvalError::Invalid(f)) => {
                Err(AppError::invalid("ROS-analysen kan ikke beregnes", f))
            }
        }
    })
    .await
}

/// 10 000 → "10 000" (bokmål groups digits with a space).
fn nb_int(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    out
}

#[tauri::command]
pub async fn export_ros_report(
    app: AppHandle,
    project_id: i32,
    format: RosReportFormat,
) -> Res<ExportDone> {
    let dir = export_dir(&app)?;
    blocking(move || {
        let state = app.state::<AppState>();
        let id = id64(project_id);
        let a = state
            .store()
            .workshop(id)?
            .and_then(|s| s.assessment)
            .ok_or_else(|| AppError::msg("Beregn ROS-analysen før rapporten lages."))?;
        let date = a
            .workshop
            .date
            .unwrap_or_else(|| chrono::Local::now().date_naive());
        let stem = format!("ros-{}-{}", slug(&a.project_name), date.format("%d.%m.%Y"));
        let report_err = |e: bemanna_report::ReportError| {
            AppError::msg(format!("Rapporten kunne ikke lages: {e}"))
        };
        let (path, bytes) = match format {
            RosReportFormat::Pdf => (
                dir.join(format!("{stem}.pdf")),
                bemanna_report::ros_pdf(&a).map_err(report_err)?,
            ),
            RosReportFormat::Html => (
                dir.join(format!("{stem}.html")),
                bemanna_report::ros_html(&a)
                    .map_err(report_err)?
                    .into_bytes(),
            ),
        };
        std::fs::create_dir_all(&dir)
            .and_then(|_| std::fs::write(&path, bytes))
            .map_err(|e| AppError::msg(format!("Kunne ikke skrive {}: {e}", path.display())))?;
        Ok(ExportDone {
            path: path.display().to_string(),
        })
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_template_reads_and_names_built_in_scenarios() {
        let ws = template().unwrap();
        assert!(ws.hazards.len() >= 5 && ws.measures.len() >= 4);
        for s in &ws.scenarios {
            assert!(
                PRESETS.iter().any(|(id, _)| preset_file(id) == s.file),
                "{} is not a built-in scenario",
                s.file
            );
        }
    }

    #[test]
    fn bokmal_digit_groups() {
        assert_eq!(nb_int(7), "7");
        assert_eq!(nb_int(1500), "1\u{a0}500");
        assert_eq!(nb_int(10_000), "10\u{a0}000");
        assert_eq!(nb_int(1_234_567), "1\u{a0}234\u{a0}567");
    }
}
