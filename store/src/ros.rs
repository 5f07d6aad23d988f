//! A project's ROS workshop (one per project) and its last assessment, as the solver's JSON
//! documents. The workshop is validated before it is written, so a bad one never replaces a
//! good one.

use bemanna_solver::ros::{Assessment, Workshop};
use rusqlite::{params, OptionalExtension};

use crate::project::not_found;
use crate::{now, Error, ProjectId, Result, Store};

/// A stored workshop and, when one was run, its last assessment.
#[derive(Clone, Debug, PartialEq)]
pub struct StoredWorkshop {
    /// The workshop.
    pub workshop: Workshop,
    /// Last saved (RFC 3339, UTC).
    pub updated_at: String,
    /// The last assessment.
    pub assessment: Option<Assessment>,
    /// When that assessment was run (RFC 3339, UTC).
    pub assessed_at: Option<String>,
}

impl Store {
    /// The project's workshop, if one was saved.
    pub fn workshop(&self, project: ProjectId) -> Result<Option<StoredWorkshop>> {
        let row: Option<(String, String, Option<String>, Option<String>)> = self
            .conn
            .query_row(
                "SELECT definition, updated_at, assessment, assessed_at
                 FROM ros_workshop WHERE project_id = ?1",
                [project],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )
            .optional()?;
        let Some((def, updated_at, assessment, assessed_at)) = row else {
            return Ok(None);
        };
        let corrupt = |what: &str, e: serde_json::Error| {
            Error::Corrupt(format!("ROS {what} of project {project}: {e}"))
        };
        Ok(Some(StoredWorkshop {
            workshop: serde_json::from_str(&def).map_err(|e| corrupt("workshop", e))?,
            updated_at,
            assessment: assessment
                .map(|a| serde_json::from_str(&a).map_err(|e| corrupt("assessment", e)))
                .transpose()?,
            assessed_at,
        }))
    }

    /// Saves the workshop. `regraded` replaces the stored assessment's content (same run,
    /// new grading) and keeps its time; without it the old assessment stays as it was.
    pub fn save_workshop(
        &mut self,
        project: ProjectId,
        ws: &Workshop,
        regraded: Option<&Assessment>,
    ) -> Result<()> {
        ws.validate().map_err(Error::InvalidWorkshop)?;
        let def = serde_json::to_string(ws)?;
        let a = regraded.map(serde_json::to_string).transpose()?;
        let n = self.conn.execute(
            "INSERT INTO ros_workshop (project_id, definition, updated_at)
             SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM project WHERE id = ?1)
             ON CONFLICT (project_id) DO UPDATE SET definition = ?2, updated_at = ?3,
                 assessment = coalesce(?4, assessment)",
            params![project, def, now(), a],
        )?;
        if n == 0 {
            return Err(not_found(project));
        }
        Ok(())
    }

    /// Saves a finished assessment with the workshop it was run on, in one statement.
    pub fn save_assessment(&mut self, project: ProjectId, a: &Assessment) -> Result<()> {
        a.workshop.validate().map_err(Error::InvalidWorkshop)?;
        let def = serde_json::to_string(&a.workshop)?;
        let json = serde_json::to_string(a)?;
        let t = now();
        let n = self.conn.execute(
            "INSERT INTO ros_workshop (project_id, definition, updated_at, assessment, assessed_at)
             SELECT ?1, ?2, ?3, ?4, ?3 WHERE EXISTS (SELECT 1 FROM project WHERE id = ?1)
             ON CONFLICT (project_id) DO UPDATE SET definition = ?2, updated_at = ?3,
                 assessment = ?4, assessed_at = ?3",
            params![project, def, t, json],
        )?;
        if n == 0 {
            return Err(not_found(project));
        }
        Ok(())
    }
}
