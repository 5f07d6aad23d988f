//! Roster versions: every save is a new version with who saved it, when and why; one
//! version per project may be marked "i bruk" (in use).

use bemanna_solver::roster::{Assignment, Roster};
use chrono::NaiveDate;
use rusqlite::{params, OptionalExtension, Row, TransactionBehavior};

use crate::project::not_found;
use crate::{now, Error, ProjectId, Result, RosterId, Store};

/// Who saves a roster and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterMeta {
    /// Who saved it.
    pub saved_by: String,
    /// Why (free text: "planlagt", "bytte Kari/Ola", …).
    pub reason: String,
    /// Mark this version as the one in use ("i bruk").
    pub in_use: bool,
}

impl RosterMeta {
    /// A version that is not (yet) in use.
    pub fn new(saved_by: impl Into<String>, reason: impl Into<String>) -> RosterMeta {
        RosterMeta {
            saved_by: saved_by.into(),
            reason: reason.into(),
            in_use: false,
        }
    }
}

/// One saved roster version, without its assignments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterInfo {
    /// Database id.
    pub id: RosterId,
    /// Project it belongs to.
    pub project_id: ProjectId,
    /// Version number within the project: 1, 2, …
    pub version: u32,
    /// Whether this is the version in use ("i bruk").
    pub in_use: bool,
    /// Who saved it.
    pub saved_by: String,
    /// When (RFC 3339, UTC).
    pub saved_at: String,
    /// Why.
    pub reason: String,
    /// Number of assignments.
    pub assignments: usize,
}

const INFO: &str =
    "SELECT id, project_id, version, in_use, saved_by, saved_at, reason, assignment_count FROM roster";

fn info(r: &Row) -> rusqlite::Result<RosterInfo> {
    Ok(RosterInfo {
        id: r.get(0)?,
        project_id: r.get(1)?,
        version: r.get(2)?,
        in_use: r.get(3)?,
        saved_by: r.get(4)?,
        saved_at: r.get(5)?,
        reason: r.get(6)?,
        assignments: r.get::<_, i64>(7)? as usize,
    })
}

impl Store {
    /// Saves a roster as the project's next version, all rows in one transaction.
    pub fn save_roster(
        &mut self,
        project: ProjectId,
        roster: &Roster,
        meta: &RosterMeta,
    ) -> Result<RosterInfo> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let exists: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM project WHERE id = ?1)",
            [project],
            |r| r.get(0),
        )?;
        if !exists {
            return Err(not_found(project));
        }
        let version: u32 = tx.query_row(
            "SELECT coalesce(max(version), 0) + 1 FROM roster WHERE project_id = ?1",
            [project],
            |r| r.get(0),
        )?;
        if meta.in_use {
            tx.execute(
                "UPDATE roster SET in_use = 0 WHERE project_id = ?1 AND in_use = 1",
                [project],
            )?;
        }
        let saved_at = now();
        tx.execute(
            "INSERT INTO roster (project_id, version, in_use, saved_by, saved_at, reason, assignment_count)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                project,
                version,
                meta.in_use,
                meta.saved_by,
                saved_at,
                meta.reason,
                roster.assignments.len() as i64
            ],
        )?;
        let id = tx.last_insert_rowid();
        {
            let mut st = tx.prepare_cached(
                "INSERT INTO assignment (roster_id, pos, staff_id, date, shift_code, unit_id, cohort_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )?;
            for (pos, a) in (0i64..).zip(roster.assignments.iter()) {
                st.execute(params![
                    id,
                    pos,
                    a.staff,
                    a.date.format("%Y-%m-%d").to_string(),
                    a.shift,
                    a.unit,
                    a.cohort
                ])?;
            }
        }
        tx.commit()?;
        Ok(RosterInfo {
            id,
            project_id: project,
            version,
            in_use: meta.in_use,
            saved_by: meta.saved_by.clone(),
            saved_at,
            reason: meta.reason.clone(),
            assignments: roster.assignments.len(),
        })
    }

    /// A roster version with its assignments, in the order they were saved.
    pub fn load_roster(&self, id: RosterId) -> Result<(RosterInfo, Roster)> {
        let ri = self
            .conn
            .query_row(&format!("{INFO} WHERE id = ?1"), [id], info)
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("no roster with id {id} in the database")))?;
        let mut st = self.conn.prepare_cached(
            "SELECT staff_id, date, shift_code, unit_id, cohort_id FROM assignment
             WHERE roster_id = ?1 ORDER BY pos",
        )?;
        let mut assignments = Vec::with_capacity(ri.assignments);
        let mut rows = st.query([id])?;
        while let Some(r) = rows.next()? {
            let date: String = r.get(1)?;
            let date = NaiveDate::parse_from_str(&date, "%Y-%m-%d")
                .map_err(|_| Error::Corrupt(format!("roster {id}: `{date}` is not a date")))?;
            assignments.push(Assignment {
                staff: r.get(0)?,
                date,
                shift: r.get(2)?,
                unit: r.get(3)?,
                cohort: r.get(4)?,
            });
        }
        if assignments.len() != ri.assignments {
            return Err(Error::Corrupt(format!(
                "roster {id} has {} assignments, {} were saved",
                assignments.len(),
                ri.assignments
            )));
        }
        Ok((ri, Roster { assignments }))
    }

    /// The project's roster versions, newest first.
    pub fn rosters(&self, project: ProjectId) -> Result<Vec<RosterInfo>> {
        let mut st = self.conn.prepare_cached(&format!(
            "{INFO} WHERE project_id = ?1 ORDER BY version DESC"
        ))?;
        let v = st.query_map([project], info)?;
        Ok(v.collect::<rusqlite::Result<_>>()?)
    }

    /// The version in use, if one is marked.
    pub fn roster_in_use(&self, project: ProjectId) -> Result<Option<RosterInfo>> {
        Ok(self
            .conn
            .query_row(
                &format!("{INFO} WHERE project_id = ?1 AND in_use = 1"),
                [project],
                info,
            )
            .optional()?)
    }

    /// The version in use, else the newest; None when the project has no roster.
    pub fn current_roster(&self, project: ProjectId) -> Result<Option<RosterInfo>> {
        Ok(self
            .conn
            .query_row(
                &format!("{INFO} WHERE project_id = ?1 ORDER BY in_use DESC, version DESC LIMIT 1"),
                [project],
                info,
            )
            .optional()?)
    }

    /// Marks a version as the one in use; the project's previous one is unmarked.
    pub fn set_roster_in_use(&mut self, id: RosterId) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let project: ProjectId = tx
            .query_row("SELECT project_id FROM roster WHERE id = ?1", [id], |r| {
                r.get(0)
            })
            .optional()?
            .ok_or_else(|| Error::NotFound(format!("no roster with id {id} in the database")))?;
        tx.execute(
            "UPDATE roster SET in_use = 0 WHERE project_id = ?1 AND in_use = 1",
            [project],
        )?;
        tx.execute("UPDATE roster SET in_use = 1 WHERE id = ?1", [id])?;
        tx.commit()?;
        Ok(())
    }

    /// Checks every roster against its stored assignment count; returns the ids of those
    /// that do not match (a torn write would show here).
    pub fn torn_rosters(&self) -> Result<Vec<RosterId>> {
        let mut st = self.conn.prepare(
            "SELECT r.id FROM roster r
             WHERE r.assignment_count != (SELECT count(*) FROM assignment a WHERE a.roster_id = r.id)
             ORDER BY r.id",
        )?;
        let v = st.query_map([], |r| r.get(0))?;
        Ok(v.collect::<rusqlite::Result<_>>()?)
    }
}
