//! Bemanna's solver: the staffing model of a Norwegian nursing home, a roster planner
//! (MIP with HiGHS through good_lp, plus a fix-and-optimise improvement layer), an
//! independent rule checker, shortage explanations and file formats. Pure: no UI, no
//! database.
//!
//! ```
//! use bemanna_solver::{formats, model::Instance, plan::{plan, PlanOptions}, check::check};
//! // Three people, one unit, one day shift a day for a week; one nurse needed each day.
//! let json = r#"{
//!   "formatVersion": 1, "name": "Mini", "start": "2025-03-03", "days": 7,
//!   "units": [{"id": "A", "name": "Avd A", "beds": 8}],
//!   "skills": [{"id": "SPL", "name": "Sykepleier"}],
//!   "shiftTypes": [{"code": "D", "name": "Dag", "start": "07:30", "end": "15:00", "paidMinutes": 420}],
//!   "staff": [
//!     {"id": "1", "name": "Kari", "skills": ["SPL"], "unit": "A", "stillingsprosent": 50},
//!     {"id": "2", "name": "Ola", "skills": ["SPL"], "unit": "A", "stillingsprosent": 50},
//!     {"id": "3", "name": "Per", "skills": ["SPL"], "unit": "A", "stillingsprosent": 50}
//!   ],
//!   "demand": [{"unit": "A", "shift": "D", "skill": "SPL", "min": 1}]
//! }"#;
//! let project = formats::project_from_json(json, "mini.json").unwrap();
//! let inst = Instance::new(project).unwrap();
//! let out = plan(&inst, &PlanOptions { time_limit: 10.0, ..Default::default() });
//! assert!(check(&inst, &out.grid).is_empty());
//! assert_eq!(out.grid.cells.iter().flatten().filter(|c| !c.is_empty()).count(), 7);
//! ```
#![deny(missing_docs)]
#![forbid(unsafe_code)]
// Staff, day, shift and unit indexes address parallel arrays; index loops read clearer here.
#![allow(clippy::needless_range_loop)]

pub mod check;
pub mod construct;
pub mod curtois;
pub mod explain;
pub mod flow;
pub mod formats;
pub mod local;
pub mod model;
pub mod montecarlo;
pub mod plan;
pub mod replan;
pub mod rng;
pub mod ros;
pub mod roster;
pub mod waves;
