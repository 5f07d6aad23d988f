//! A roster is data: who works which shift in which unit on which date. It can come from
//! the planner, from a file, or be typed by hand; [`crate::check`] judges it.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::model::{fmt_date, FieldError, Instance};

/// One worked shift.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Assignment {
    /// Staff id.
    pub staff: String,
    /// Date the shift starts.
    pub date: NaiveDate,
    /// Shift code.
    pub shift: String,
    /// Unit id.
    pub unit: String,
    /// Patient cohort of the unit this shift serves (kohortplan: e.g. `isolat` or `ren`),
    /// when the leader has set one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub cohort: Option<String>,
}

/// A roster over a horizon.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Roster {
    /// Worked shifts, sorted by staff and date.
    pub assignments: Vec<Assignment>,
}

/// Paid minutes of one person's row of cells.
pub fn row_paid_minutes(inst: &Instance, row: &[Vec<(usize, usize)>]) -> u32 {
    row.iter().flatten().map(|&(s, _)| inst.paid(s)).sum()
}

/// A roster resolved against an instance: `cells[e][d]` lists (shift, unit) indexes.
/// More than one entry on a day is possible in a hand-made roster and is a violation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grid {
    /// Per staff, per day, the shifts worked.
    pub cells: Vec<Vec<Vec<(usize, usize)>>>,
    /// Cohort marks, by (staff, day, shift, unit) → index into the unit's cohorts. Keyed by
    /// the whole cell, so a mark disappears with the shift it was set on when a re-plan
    /// moves the person.
    pub cohorts: BTreeMap<(usize, usize, usize, usize), usize>,
}

impl Grid {
    /// An empty grid for an instance.
    pub fn empty(inst: &Instance) -> Grid {
        Grid {
            cells: vec![vec![Vec::new(); inst.n_days()]; inst.n_staff()],
            cohorts: BTreeMap::new(),
        }
    }

    /// Takes the cohort marks of `old` for the cells that are still worked here (same
    /// person, day, shift and unit); a changed cell loses its mark.
    pub fn keep_cohorts(&mut self, old: &Grid) {
        for (&(e, d, s, u), &c) in &old.cohorts {
            if self
                .cells
                .get(e)
                .and_then(|r| r.get(d))
                .is_some_and(|x| x.contains(&(s, u)))
            {
                self.cohorts.insert((e, d, s, u), c);
            }
        }
    }

    /// The single shift of a person on a day, if exactly one.
    pub fn one(&self, e: usize, d: usize) -> Option<(usize, usize)> {
        match self.cells[e][d].as_slice() {
            [x] => Some(*x),
            _ => None,
        }
    }

    /// Whether a person works on a day.
    pub fn works(&self, e: usize, d: usize) -> bool {
        !self.cells[e][d].is_empty()
    }

    /// Paid minutes of a person over the horizon.
    pub fn paid_minutes(&self, inst: &Instance, e: usize) -> u32 {
        row_paid_minutes(inst, &self.cells[e])
    }

    /// Back to ids and dates.
    pub fn to_roster(&self, inst: &Instance) -> Roster {
        let mut assignments = Vec::new();
        for (e, days) in self.cells.iter().enumerate() {
            for (d, cell) in days.iter().enumerate() {
                for &(s, u) in cell {
                    assignments.push(Assignment {
                        staff: inst.project.staff[e].id.clone(),
                        date: inst.dates[d],
                        shift: inst.project.shift_types[s].code.clone(),
                        unit: inst.project.units[u].id.clone(),
                        cohort: self
                            .cohorts
                            .get(&(e, d, s, u))
                            .map(|&c| inst.project.units[u].cohorts[c].id.clone()),
                    });
                }
            }
        }
        Roster { assignments }
    }
}

/// Where an assignment came from, for error messages: a JSON index or a CSV line.
#[derive(Clone, Copy, Debug)]
pub enum Origin {
    /// `assignments[i]` in a JSON roster.
    Json(usize),
    /// Line n (1-based, as a spreadsheet shows it) of a CSV roster.
    CsvLine(usize),
}

impl Origin {
    fn path(self, field: &str) -> String {
        match self {
            Origin::Json(i) => format!("assignments[{i}].{field}"),
            Origin::CsvLine(n) => format!("line {n}, column {field}"),
        }
    }
}

impl Roster {
    /// Resolves ids against the instance. Unknown ids and dates outside the horizon are errors.
    pub fn resolve(&self, inst: &Instance) -> Result<Grid, Vec<FieldError>> {
        let origins: Vec<Origin> = (0..self.assignments.len()).map(Origin::Json).collect();
        self.resolve_with(inst, &origins)
    }

    /// As [`Roster::resolve`], naming each assignment by its origin.
    pub fn resolve_with(
        &self,
        inst: &Instance,
        origins: &[Origin],
    ) -> Result<Grid, Vec<FieldError>> {
        let mut grid = Grid::empty(inst);
        let mut errs = Vec::new();
        for (a, &o) in self.assignments.iter().zip(origins) {
            let e = inst.staff_index(&a.staff);
            let d = inst.day_index(a.date);
            let s = inst.shift_index(&a.shift);
            let u = inst.unit_index(&a.unit);
            if e.is_none() {
                errs.push(FieldError {
                    path: o.path("staff"),
                    message: format!("unknown staff id `{}`", a.staff),
                });
            }
            if d.is_none() {
                errs.push(FieldError {
                    path: o.path("date"),
                    message: format!(
                        "{} is outside the horizon {} – {}",
                        fmt_date(a.date),
                        fmt_date(inst.dates[0]),
                        fmt_date(*inst.dates.last().expect("non-empty horizon"))
                    ),
                });
            }
            if s.is_none() {
                errs.push(FieldError {
                    path: o.path("shift"),
                    message: format!("unknown shift code `{}`", a.shift),
                });
            }
            if u.is_none() {
                errs.push(FieldError {
                    path: o.path("unit"),
                    message: format!("unknown unit `{}`", a.unit),
                });
            }
            let c = match (&a.cohort, u) {
                (Some(id), Some(u)) => {
                    let unit = &inst.project.units[u];
                    let c = unit.cohorts.iter().position(|c| &c.id == id);
                    if c.is_none() {
                        errs.push(FieldError {
                            path: o.path("cohort"),
                            message: format!(
                                "unit `{}` has no cohort `{id}` (it has: {})",
                                unit.id,
                                unit.cohorts
                                    .iter()
                                    .map(|c| c.id.as_str())
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        });
                    }
                    c
                }
                _ => None,
            };
            if let (Some(e), Some(d), Some(s), Some(u)) = (e, d, s, u) {
                grid.cells[e][d].push((s, u));
                if let Some(c) = c {
                    grid.cohorts.insert((e, d, s, u), c);
                }
            }
        }
        if errs.is_empty() {
            Ok(grid)
        } else {
            Err(errs)
        }
    }
}
