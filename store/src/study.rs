//! Scenario definitions, study runs (Monte Carlo results) and the ROS hazards and measures.
//! Their shapes belong to the solver's simulation and ROS modules, so they are stored as
//! JSON documents; the functions take anything serde can write and read.

use bemanna_solver::montecarlo::StudyResult;
use rusqlite::{params, OptionalExtension, TransactionBehavior};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::project::not_found;
use crate::{now, Error, ProjectId, Result, RosterId, Store};

/// A stored scenario definition, without the definition itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScenarioInfo {
    /// Database id.
    pub id: i64,
    /// Project.
    pub project_id: ProjectId,
    /// Name, unique within the project.
    pub name: String,
    /// Created (RFC 3339, UTC).
    pub created_at: String,
    /// Last saved.
    pub updated_at: String,
}

/// A study run to save: which scenario, its seed and size, and the aggregated results.
#[derive(Clone, Debug, PartialEq)]
pub struct NewStudyRun<'a, A: Serialize, M: Serialize> {
    /// Project.
    pub project_id: ProjectId,
    /// Scenario definition used, if stored.
    pub scenario_id: Option<i64>,
    /// Roster the study started from, if stored.
    pub roster_id: Option<RosterId>,
    /// Label shown in lists.
    pub label: &'a str,
    /// Seed; the same seed gives the same results.
    pub seed: u64,
    /// Number of simulated scenarios.
    pub runs: u32,
    /// `i/n` when this is one shard of a larger study.
    pub shard: Option<&'a str>,
    /// When it started (RFC 3339).
    pub started_at: &'a str,
    /// Aggregates: percentiles per day, probabilities of named events, cost.
    pub aggregates: &'a A,
    /// Per-scenario metrics, when asked for (index in the study, metrics).
    pub per_scenario: Option<&'a [(u32, M)]>,
}

/// A study run read back. Aggregates are JSON; [`StudyRun::aggregates_as`] reads them as a type.
#[derive(Clone, Debug, PartialEq)]
pub struct StudyRun {
    /// Database id.
    pub id: i64,
    /// Project.
    pub project_id: ProjectId,
    /// Scenario definition, if stored (and not deleted since).
    pub scenario_id: Option<i64>,
    /// Roster the study started from.
    pub roster_id: Option<RosterId>,
    /// Label.
    pub label: String,
    /// Seed.
    pub seed: u64,
    /// Number of simulated scenarios.
    pub runs: u32,
    /// Shard `i/n`, if one.
    pub shard: Option<String>,
    /// Started (RFC 3339).
    pub started_at: String,
    /// Finished, i.e. saved (RFC 3339).
    pub finished_at: String,
    /// Aggregated results.
    pub aggregates: Value,
}

impl StudyRun {
    /// The aggregates as the type they were saved from.
    pub fn aggregates_as<T: DeserializeOwned>(&self) -> Result<T> {
        Ok(serde_json::from_value(self.aggregates.clone())?)
    }
}

/// A ROS hazard (uønsket hendelse) with its place in the 5 × 5 matrix and its measures.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct Hazard {
    /// Database id (None before it is saved).
    pub id: Option<i64>,
    /// Short title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Category (e.g. liv og helse, stabilitet).
    pub category: Option<String>,
    /// Likelihood 1–5.
    pub likelihood: Option<u8>,
    /// Consequence 1–5.
    pub consequence: Option<u8>,
    /// Study run whose metrics placed it in the matrix.
    pub study_run_id: Option<i64>,
    /// Whatever else the ROS module keeps (JSON object).
    pub data: Value,
    /// Measures (tiltak).
    pub measures: Vec<Measure>,
}

/// A measure (tiltak) against a hazard, with the matrix cell it is expected to reach.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct Measure {
    /// Database id (None before it is saved).
    pub id: Option<i64>,
    /// Short title.
    pub title: String,
    /// Description.
    pub description: String,
    /// Likelihood 1–5 with the measure in place.
    pub likelihood_after: Option<u8>,
    /// Consequence 1–5 with the measure in place.
    pub consequence_after: Option<u8>,
    /// Whatever else the ROS module keeps (JSON object).
    pub data: Value,
}

fn json_text(v: &Value) -> String {
    if v.is_null() {
        "{}".into()
    } else {
        v.to_string()
    }
}

fn parse(t: String) -> rusqlite::Result<Value> {
    serde_json::from_str(&t).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
    })
}

impl Store {
    fn require_project(&self, project: ProjectId) -> Result<()> {
        let ok: bool = self.conn.query_row(
            "SELECT EXISTS (SELECT 1 FROM project WHERE id = ?1)",
            [project],
            |r| r.get(0),
        )?;
        if ok {
            Ok(())
        } else {
            Err(not_found(project))
        }
    }

    /// Saves a scenario definition under a name; an existing one of that name is replaced.
    pub fn save_scenario<T: Serialize>(
        &mut self,
        project: ProjectId,
        name: &str,
        definition: &T,
    ) -> Result<i64> {
        self.require_project(project)?;
        let def = serde_json::to_string(definition)?;
        let t = now();
        Ok(self.conn.query_row(
            "INSERT INTO scenario (project_id, name, definition, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?4)
             ON CONFLICT (project_id, name) DO UPDATE SET definition = ?3, updated_at = ?4
             RETURNING id",
            params![project, name, def, t],
            |r| r.get(0),
        )?)
    }

    /// A scenario definition, read as `T`.
    pub fn load_scenario<T: DeserializeOwned>(&self, id: i64) -> Result<(ScenarioInfo, T)> {
        let (info, def): (ScenarioInfo, String) = self
            .conn
            .query_row(
                "SELECT id, project_id, name, created_at, updated_at, definition FROM scenario WHERE id = ?1",
                [id],
                |r| {
                    Ok((
                        ScenarioInfo {
                            id: r.get(0)?,
                            project_id: r.get(1)?,
                            name: r.get(2)?,
                            created_at: r.get(3)?,
                            updated_at: r.get(4)?,
                        },
                        r.get(5)?,
                    ))
                },
            )
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("no scenario with id {id} in the database")))?;
        Ok((info, serde_json::from_str(&def)?))
    }

    /// The project's scenarios by name.
    pub fn scenarios(&self, project: ProjectId) -> Result<Vec<ScenarioInfo>> {
        let mut st = self.conn.prepare(
            "SELECT id, project_id, name, created_at, updated_at FROM scenario
             WHERE project_id = ?1 ORDER BY name",
        )?;
        let v = st.query_map([project], |r| {
            Ok(ScenarioInfo {
                id: r.get(0)?,
                project_id: r.get(1)?,
                name: r.get(2)?,
                created_at: r.get(3)?,
                updated_at: r.get(4)?,
            })
        })?;
        Ok(v.collect::<rusqlite::Result<_>>()?)
    }

    /// Deletes a scenario; study runs made from it keep their results.
    pub fn delete_scenario(&mut self, id: i64) -> Result<()> {
        self.conn
            .execute("DELETE FROM scenario WHERE id = ?1", [id])?;
        Ok(())
    }

    /// Saves a finished study run with its aggregates (and per-scenario metrics when
    /// given), in one transaction.
    pub fn save_study_run<A: Serialize, M: Serialize>(
        &mut self,
        run: &NewStudyRun<'_, A, M>,
    ) -> Result<i64> {
        let aggregates = serde_json::to_string(run.aggregates)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO study_run (project_id, scenario_id, roster_id, label, seed, runs, shard,
                                    started_at, finished_at, aggregates)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                run.project_id,
                run.scenario_id,
                run.roster_id,
                run.label,
                // Stored bit for bit: SQLite integers are signed.
                run.seed as i64,
                run.runs,
                run.shard,
                run.started_at,
                now(),
                aggregates
            ],
        )?;
        let id = tx.last_insert_rowid();
        if let Some(list) = run.per_scenario {
            let mut st = tx.prepare_cached(
                "INSERT INTO study_metric (run_id, scenario_index, metrics) VALUES (?1, ?2, ?3)",
            )?;
            for (i, m) in list {
                st.execute(params![id, i, serde_json::to_string(m)?])?;
            }
        }
        tx.commit()?;
        Ok(id)
    }

    /// Saves a finished Monte Carlo study: its scenario definition under `scenario_name`
    /// (replacing one of that name), the aggregates, and the per-scenario records, when kept,
    /// as their own rows. Started-at is the finish time less the study's wall-clock seconds.
    pub fn save_study_result<S: Serialize>(
        &mut self,
        project: ProjectId,
        scenario_name: &str,
        scenario: &S,
        res: &StudyResult,
        label: &str,
    ) -> Result<i64> {
        let scenario_id = self.save_scenario(project, scenario_name, scenario)?;
        // Per-scenario records go to their own rows; the aggregates are everything else.
        let mut aggregates = serde_json::to_value(res)?;
        if let Some(o) = aggregates.as_object_mut() {
            o.remove("scenarios");
        }
        let per: Vec<(u32, Value)> = res
            .scenarios
            .iter()
            .enumerate()
            .map(|(i, r)| Ok((i as u32, serde_json::to_value(r)?)))
            .collect::<std::result::Result<_, serde_json::Error>>()?;
        let finished = chrono::Utc::now();
        let started = finished - chrono::Duration::milliseconds((res.seconds * 1000.0) as i64);
        self.save_study_run(&NewStudyRun {
            project_id: project,
            scenario_id: Some(scenario_id),
            roster_id: None,
            label,
            seed: res.seed,
            runs: res.runs as u32,
            shard: None,
            started_at: &started.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
            aggregates: &aggregates,
            per_scenario: (!per.is_empty()).then_some(per.as_slice()),
        })
    }

    /// A study run with its aggregates.
    pub fn load_study_run(&self, id: i64) -> Result<StudyRun> {
        self.conn
            .query_row(
                "SELECT id, project_id, scenario_id, roster_id, label, seed, runs, shard,
                        started_at, finished_at, aggregates
                 FROM study_run WHERE id = ?1",
                [id],
                |r| {
                    Ok(StudyRun {
                        id: r.get(0)?,
                        project_id: r.get(1)?,
                        scenario_id: r.get(2)?,
                        roster_id: r.get(3)?,
                        label: r.get(4)?,
                        seed: r.get::<_, i64>(5)? as u64,
                        runs: r.get(6)?,
                        shard: r.get(7)?,
                        started_at: r.get(8)?,
                        finished_at: r.get(9)?,
                        aggregates: parse(r.get(10)?)?,
                    })
                },
            )
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("no study run with id {id} in the database")))
    }

    /// The project's study runs (ids and labels), newest first.
    pub fn study_runs(&self, project: ProjectId) -> Result<Vec<(i64, String)>> {
        let mut st = self
            .conn
            .prepare("SELECT id, label FROM study_run WHERE project_id = ?1 ORDER BY id DESC")?;
        let v = st.query_map([project], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(v.collect::<rusqlite::Result<_>>()?)
    }

    /// Per-scenario metrics of a run (empty when they were not kept), by scenario index.
    pub fn study_metrics<M: DeserializeOwned>(&self, run: i64) -> Result<Vec<(u32, M)>> {
        let mut st = self.conn.prepare(
            "SELECT scenario_index, metrics FROM study_metric WHERE run_id = ?1 ORDER BY scenario_index",
        )?;
        let rows = st.query_map([run], |r| Ok((r.get::<_, u32>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (i, m) = row?;
            out.push((i, serde_json::from_str(&m)?));
        }
        Ok(out)
    }

    /// Replaces the project's ROS hazards and their measures, in one transaction; returns
    /// the hazards with their new ids.
    pub fn save_hazards(&mut self, project: ProjectId, hazards: &[Hazard]) -> Result<Vec<Hazard>> {
        self.require_project(project)?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute("DELETE FROM ros_hazard WHERE project_id = ?1", [project])?;
        let mut out = Vec::with_capacity(hazards.len());
        {
            let mut sh = tx.prepare_cached(
                "INSERT INTO ros_hazard (project_id, pos, title, description, category, likelihood,
                                         consequence, study_run_id, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            let mut sm = tx.prepare_cached(
                "INSERT INTO ros_measure (hazard_id, pos, title, description, likelihood_after,
                                          consequence_after, data)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for (pos, h) in (0i64..).zip(hazards.iter()) {
                sh.execute(params![
                    project,
                    pos,
                    h.title,
                    h.description,
                    h.category,
                    h.likelihood,
                    h.consequence,
                    h.study_run_id,
                    json_text(&h.data)
                ])?;
                let hid = tx.last_insert_rowid();
                let mut saved = h.clone();
                saved.id = Some(hid);
                for (mpos, (m, sm_out)) in
                    (0i64..).zip(h.measures.iter().zip(saved.measures.iter_mut()))
                {
                    sm.execute(params![
                        hid,
                        mpos,
                        m.title,
                        m.description,
                        m.likelihood_after,
                        m.consequence_after,
                        json_text(&m.data)
                    ])?;
                    sm_out.id = Some(tx.last_insert_rowid());
                    if sm_out.data.is_null() {
                        sm_out.data = Value::Object(Default::default());
                    }
                }
                if saved.data.is_null() {
                    saved.data = Value::Object(Default::default());
                }
                out.push(saved);
            }
        }
        tx.commit()?;
        Ok(out)
    }

    /// The project's ROS hazards with their measures, in the order saved.
    pub fn hazards(&self, project: ProjectId) -> Result<Vec<Hazard>> {
        let mut st = self.conn.prepare(
            "SELECT id, title, description, category, likelihood, consequence, study_run_id, data
             FROM ros_hazard WHERE project_id = ?1 ORDER BY pos",
        )?;
        let mut hazards: Vec<Hazard> = st
            .query_map([project], |r| {
                Ok(Hazard {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    description: r.get(2)?,
                    category: r.get(3)?,
                    likelihood: r.get(4)?,
                    consequence: r.get(5)?,
                    study_run_id: r.get(6)?,
                    data: parse(r.get(7)?)?,
                    measures: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut sm = self.conn.prepare(
            "SELECT id, title, description, likelihood_after, consequence_after, data
             FROM ros_measure WHERE hazard_id = ?1 ORDER BY pos",
        )?;
        for h in &mut hazards {
            h.measures = sm
                .query_map([h.id], |r| {
                    Ok(Measure {
                        id: r.get(0)?,
                        title: r.get(1)?,
                        description: r.get(2)?,
                        likelihood_after: r.get(3)?,
                        consequence_after: r.get(4)?,
                        data: parse(r.get(5)?)?,
                    })
                })?
                .collect::<rusqlite::Result<_>>()?;
        }
        Ok(hazards)
    }
}
