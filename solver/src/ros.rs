//! ROS workshop (risiko- og sårbarhetsanalyse): hazards (uønskede hendelser) whose
//! likelihood and consequence come from wave studies, a 5 × 5 risk matrix, and measures
//! (tiltak) compared before and after on the same seeds.
//!
//! The method follows the municipal practice of DSB's guidance *Helhetlig risiko- og
//! sårbarhetsanalyse i kommunen* (2014): five likelihood and five consequence categories,
//! and cells coloured green (acceptable), yellow (consider measures) and red (measures
//! needed). What Bemanna adds: the likelihood of a hazard is the share of simulated waves in
//! which its event happened (with a 95 % Wilson interval), its consequence the typical size of
//! the staffing gap when it happened, and each measure is run on the same scenario seeds so
//! the difference shows what the measure buys.
//!
//! Pure: scenario files and the roster are read by the caller ([`evaluate`] takes them).
//!
//! ```
//! use bemanna_solver::ros::{LikelihoodScale, Basis};
//! let s = LikelihoodScale { basis: Basis::Period, thresholds: Some([0.01, 0.05, 0.2, 0.5]) };
//! assert_eq!(s.category(0.12), 3);
//! ```

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::formats::{versioned_from_json, FormatError};
use crate::model::{AgencyOffer, FieldError, Instance, Project};
use crate::montecarlo::{nok, wilson, ScenarioRecord, Study, StudyOptions, StudyResult};
use crate::roster::Grid;
use crate::waves::{Policy, Scenario};

/// Newest ROS file version this build reads.
pub const ROS_FORMAT_VERSION: u32 = 1;

/// Likelihood thresholds per year of DSB's municipal guidance (2014): category 1 rarer than
/// once in 1 000 years, 2 once in 100–1 000 years, 3 once in 50–100 years, 4 once in 10–50
/// years, 5 more often than once in 10 years.
pub const DSB_YEAR_THRESHOLDS: [f64; 4] = [0.001, 0.01, 0.02, 0.1];

/// Likelihood thresholds within the planning period, given the scenario: below 1 %, 1–5 %,
/// 5–20 %, 20–50 %, at least 50 %.
pub const PERIOD_THRESHOLDS: [f64; 4] = [0.01, 0.05, 0.2, 0.5];

/// Names of the likelihood categories 1–5 (DSB).
pub const LIKELIHOOD_NAMES: [&str; 5] = [
    "Svært lite sannsynlig",
    "Lite sannsynlig",
    "Moderat sannsynlig",
    "Sannsynlig",
    "Svært sannsynlig",
];

/// Names of the consequence categories 1–5 (DSB).
pub const CONSEQUENCE_NAMES: [&str; 5] = ["Svært små", "Små", "Middels", "Store", "Svært store"];

/// A ROS workshop as read from its JSON file.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename = "RosWorkshop"))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Workshop {
    /// File format version ([`ROS_FORMAT_VERSION`]).
    pub format_version: u32,
    /// Title of the analysis.
    pub title: String,
    /// Date of the workshop.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// Who took part.
    #[serde(default)]
    pub participants: Vec<Participant>,
    /// Context and scope (what is analysed, why, what is left out).
    #[serde(default)]
    pub context: String,
    /// The scales and the acceptance criteria.
    #[serde(default)]
    pub scales: Scales,
    /// Wave scenarios the hazards refer to.
    pub scenarios: Vec<ScenarioRef>,
    /// Roster in force (path relative to the ROS file, read by the caller); planned when
    /// absent.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roster: Option<String>,
    /// Hazards (uønskede hendelser).
    pub hazards: Vec<Hazard>,
    /// Measures (tiltak).
    #[serde(default)]
    pub measures: Vec<Measure>,
    /// Master seed of every study (the same for the baseline and each measure).
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    #[serde(default = "d_seed")]
    pub seed: u64,
    /// Scenarios per study, unless the caller says otherwise.
    #[serde(default = "d_runs")]
    pub runs: usize,
}

fn d_seed() -> u64 {
    1
}
fn d_runs() -> usize {
    1000
}

/// A participant of the workshop.
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(export, rename = "RosParticipant")
)]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Participant {
    /// Name.
    pub name: String,
    /// Role (e.g. "avdelingsleder", "tillitsvalgt NSF", "smittevernlege").
    #[serde(default)]
    pub role: String,
}

/// A wave scenario used by the workshop.
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(export, rename = "RosScenarioRef")
)]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScenarioRef {
    /// Id the hazards use.
    pub id: String,
    /// Scenario file (path relative to the ROS file, read by the caller).
    pub file: String,
    /// Chance that such a wave hits the home in a given year; needed when likelihood is
    /// judged per year.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annual_probability: Option<f64>,
}

/// What a likelihood is a probability of.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename = "RosBasis"))]
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "camelCase")]
pub enum Basis {
    /// Within the planning period, given that the scenario's wave comes.
    #[default]
    Period,
    /// Within a year: the scenario's annual probability × the probability in the period.
    Year,
}

/// The likelihood scale: 5 categories split by 4 increasing probability thresholds.
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(export, rename = "RosLikelihoodScale")
)]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct LikelihoodScale {
    /// Period or year.
    pub basis: Basis,
    /// Lower bounds of categories 2–5; default [`PERIOD_THRESHOLDS`] or, per year,
    /// [`DSB_YEAR_THRESHOLDS`].
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub thresholds: Option<[f64; 4]>,
}

impl LikelihoodScale {
    /// The thresholds in force.
    pub fn thresholds(&self) -> [f64; 4] {
        self.thresholds.unwrap_or(match self.basis {
            Basis::Period => PERIOD_THRESHOLDS,
            Basis::Year => DSB_YEAR_THRESHOLDS,
        })
    }

    /// Category 1–5 of a probability: 1 + the number of thresholds it reaches.
    pub fn category(&self, p: f64) -> u8 {
        category(&self.thresholds(), p)
    }
}

fn category(t: &[f64; 4], v: f64) -> u8 {
    1 + t.iter().filter(|&&x| v >= x).count() as u8
}

/// A per-scenario quantity that hazards and consequence scales refer to.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename = "RosMetric"))]
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "camelCase")]
pub enum Metric {
    /// Shifts short of the nurse cover rule over the horizon.
    ShiftsWithoutNurse,
    /// Uncovered seats of minimum demand over the horizon.
    UncoveredShifts,
    /// Most uncovered seats in one week.
    MaxWeekUncovered,
    /// Forced crossings from the isolation to the clean cohort.
    CohortCrossings,
    /// Most infected patients on one day (patients affected).
    PeakInfectedPatients,
    /// Most staff absent on one day.
    PeakAbsent,
    /// Extra shifts, overtime and agency together, NOK.
    ExtraCostNok,
    /// Agency (and pool) shifts, NOK.
    AgencyCostNok,
}

impl Metric {
    /// Every metric, in a stable order.
    pub const ALL: [Metric; 8] = [
        Metric::ShiftsWithoutNurse,
        Metric::UncoveredShifts,
        Metric::MaxWeekUncovered,
        Metric::CohortCrossings,
        Metric::PeakInfectedPatients,
        Metric::PeakAbsent,
        Metric::ExtraCostNok,
        Metric::AgencyCostNok,
    ];

    /// The value in one scenario.
    pub fn of(self, r: &ScenarioRecord) -> f64 {
        match self {
            Metric::ShiftsWithoutNurse => f64::from(r.shifts_without_nurse),
            Metric::UncoveredShifts => f64::from(r.uncovered),
            Metric::MaxWeekUncovered => f64::from(r.max_week_uncovered),
            Metric::CohortCrossings => f64::from(r.cohort_crossings),
            Metric::PeakInfectedPatients => f64::from(r.peak_infected_patients),
            Metric::PeakAbsent => f64::from(r.peak_absent),
            Metric::ExtraCostNok => r.extra_cost_nok + r.overtime_cost_nok + r.agency_cost_nok,
            Metric::AgencyCostNok => r.agency_cost_nok,
        }
    }

    /// Bokmål name with its unit.
    pub fn label_nb(self) -> &'static str {
        match self {
            Metric::ShiftsWithoutNurse => "vakter uten sykepleier",
            Metric::UncoveredShifts => "udekkede vakter",
            Metric::MaxWeekUncovered => "udekkede vakter i verste uke",
            Metric::CohortCrossings => "tvungne kohortkrysninger",
            Metric::PeakInfectedPatients => "smittede pasienter (topp)",
            Metric::PeakAbsent => "ansatte borte samme dag (topp)",
            Metric::ExtraCostNok => "ekstra lønnskostnad (kr)",
            Metric::AgencyCostNok => "vikarbyråkostnad (kr)",
        }
    }

    /// Default consequence thresholds (lower bounds of categories 2–5), sized for a home of
    /// 50–100 staff over a wave of 4–8 weeks.
    pub fn default_thresholds(self) -> [f64; 4] {
        match self {
            Metric::ShiftsWithoutNurse => [1.0, 3.0, 10.0, 30.0],
            Metric::UncoveredShifts => [5.0, 20.0, 60.0, 150.0],
            Metric::MaxWeekUncovered => [3.0, 10.0, 25.0, 50.0],
            Metric::CohortCrossings => [1.0, 5.0, 15.0, 40.0],
            Metric::PeakInfectedPatients => [1.0, 3.0, 8.0, 15.0],
            Metric::PeakAbsent => [5.0, 10.0, 20.0, 30.0],
            Metric::ExtraCostNok | Metric::AgencyCostNok => {
                [100_000.0, 300_000.0, 1_000_000.0, 3_000_000.0]
            }
        }
    }
}

/// Acceptance criteria on the risk score likelihood × consequence (1–25).
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(export, rename = "RosAcceptance")
)]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Acceptance {
    /// Scores from this are yellow (consider measures). Default 5.
    pub yellow_from: u8,
    /// Scores from this are red (not acceptable: measures needed). Default 15.
    pub red_from: u8,
}

impl Default for Acceptance {
    fn default() -> Self {
        Acceptance {
            yellow_from: 5,
            red_from: 15,
        }
    }
}

/// Colour of a cell.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename = "RosLevel"))]
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[serde(rename_all = "camelCase")]
pub enum Level {
    /// Acceptable.
    Green,
    /// Consider measures.
    Yellow,
    /// Not acceptable.
    Red,
}

impl Acceptance {
    /// Level of a cell.
    pub fn level(&self, likelihood: u8, consequence: u8) -> Level {
        let s = likelihood * consequence;
        if s >= self.red_from {
            Level::Red
        } else if s >= self.yellow_from {
            Level::Yellow
        } else {
            Level::Green
        }
    }
}

/// The scales of the workshop.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename = "RosScales"))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Scales {
    /// Likelihood.
    pub likelihood: LikelihoodScale,
    /// Consequence thresholds per metric; metrics not listed use
    /// [`Metric::default_thresholds`].
    pub consequence: BTreeMap<Metric, [f64; 4]>,
    /// Acceptance criteria.
    pub acceptance: Acceptance,
}

impl Scales {
    /// Consequence thresholds of a metric.
    pub fn consequence_thresholds(&self, m: Metric) -> [f64; 4] {
        self.consequence
            .get(&m)
            .copied()
            .unwrap_or_else(|| m.default_thresholds())
    }
}

/// The event of a hazard: a metric reaching a threshold in a scenario.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename = "RosEventDef"))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EventDef {
    /// What is measured.
    pub metric: Metric,
    /// Happens when the metric is at least this.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_least: Option<f64>,
    /// Happens when the metric is above this.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub more_than: Option<f64>,
}

impl EventDef {
    /// Whether it happened in one scenario.
    pub fn happened(&self, r: &ScenarioRecord) -> bool {
        let v = self.metric.of(r);
        match (self.at_least, self.more_than) {
            (Some(t), _) => v >= t,
            (None, Some(t)) => v > t,
            (None, None) => false,
        }
    }

    /// In bokmål: "udekkede vakter i verste uke ≥ 10".
    pub fn label_nb(&self) -> String {
        let (op, t) = match (self.at_least, self.more_than) {
            (Some(t), _) => ("≥", t),
            (None, Some(t)) => (">", t),
            (None, None) => ("?", 0.0),
        };
        format!("{} {op} {}", self.metric.label_nb(), nok(t))
    }
}

/// Which number of the conditional distribution sets the consequence.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename = "RosStatistic"))]
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "camelCase")]
pub enum Statistic {
    /// The median.
    #[default]
    Median,
    /// The 90th percentile (a bad but not the worst case).
    P90,
    /// The mean.
    Mean,
}

/// How a hazard's consequence is measured.
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(export, rename = "RosConsequenceDef")
)]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConsequenceDef {
    /// The metric, graded by its scale.
    pub metric: Metric,
    /// Taken over the scenarios in which the event happened. Default median.
    #[serde(default)]
    pub statistic: Statistic,
}

/// A cell set by hand, with the reason.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename = "RosOverride"))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Override {
    /// Likelihood category 1–5.
    pub likelihood: u8,
    /// Consequence category 1–5.
    pub consequence: u8,
    /// Why the workshop departs from the computed cell.
    pub reason: String,
}

/// A hazard (uønsket hendelse).
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename = "RosHazard"))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Hazard {
    /// Stable id.
    pub id: String,
    /// Short title.
    pub title: String,
    /// What happens.
    #[serde(default)]
    pub description: String,
    /// Causes.
    #[serde(default)]
    pub causes: Vec<String>,
    /// Consequences for patients, staff and the service.
    #[serde(default)]
    pub consequences: Vec<String>,
    /// Barriers already in place.
    #[serde(default)]
    pub barriers: Vec<String>,
    /// Scenario id.
    pub scenario: String,
    /// The event whose probability is the likelihood.
    pub event: EventDef,
    /// The consequence measure.
    pub consequence: ConsequenceDef,
    /// The workshop's own cell, kept beside the computed one.
    #[cfg_attr(feature = "ts", ts(optional))]
    #[serde(default, rename = "override", skip_serializing_if = "Option::is_none")]
    pub override_cell: Option<Override>,
}

/// A measure (tiltak): a change of the project or the scenario, with its own price.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename = "RosMeasure"))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Measure {
    /// Stable id.
    pub id: String,
    /// Short name.
    pub name: String,
    /// What it is and what it takes.
    #[serde(default)]
    pub description: String,
    /// Its own price in NOK for the planning period (per year with a yearly basis), beyond
    /// the shifts it buys, which the studies price.
    #[serde(default)]
    pub cost_nok: f64,
    /// The change.
    pub change: Change,
}

/// What a measure changes. Each keeps the staff list as it is, so the roster in force stays
/// valid and the wave's random stream (one draw per person and day) stays aligned.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename = "RosChange"))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    deny_unknown_fields
)]
pub enum Change {
    /// A float pool (kommunal vikarpool / bemanningssenter): up to `perShift` people of a
    /// skill on any shift, `leadDays` after a gap is known, at a price per shift. Modelled as
    /// a bookable offer of the repair, so pool shifts count as bought shifts (agency cost);
    /// the pool's people neither catch nor spread infection in the home.
    FloatPool {
        /// Skill id.
        skill: String,
        /// Most pool staff on one shift (whole home).
        per_shift: u32,
        /// Price per shift in NOK.
        price_per_shift: f64,
        /// Days from a known gap to the first shift. Default 0.
        #[serde(default)]
        lead_days: u32,
    },
    /// A framework agreement with the agency: changes the existing offers of a skill.
    AgencyAgreement {
        /// Skill id of the offers changed.
        skill: String,
        /// New lead time.
        #[serde(default)]
        lead_days: Option<u32>,
        /// New price per shift.
        #[serde(default)]
        price_per_shift: Option<f64>,
        /// New most per shift.
        #[serde(default)]
        max_per_shift: Option<u32>,
    },
    /// A quarantine policy (e.g. test-to-release on day 7).
    Policy {
        /// The policy.
        policy: Policy,
    },
    /// Part-timers below `belowPercent` with one of `skills` (all when empty) may take
    /// `addShifts` more extra shifts: a higher contract percentage used as availability
    /// (the roster in force is not re-planned).
    PartTimeUplift {
        /// Only staff below this stillingsprosent.
        below_percent: f64,
        /// Skill ids; empty: everyone.
        #[serde(default)]
        skills: Vec<String>,
        /// Extra shifts added to each one's willingness.
        add_shifts: u32,
    },
    /// Cross-training: up to `count` staff with one of `skills` join the internal pool and
    /// may work every unit.
    CrossTraining {
        /// Skill ids.
        skills: Vec<String>,
        /// How many (taken in the order of the staff list).
        count: usize,
    },
    /// A cohort staffing plan: dedicated isolation staff (shorter separation) and the
    /// isolation cohort's staffing ratio.
    Cohorting {
        /// Days after an isolation shift before clean-cohort work.
        #[serde(default)]
        separation_days: Option<u32>,
        /// Infected patients per staff member in isolation.
        #[serde(default)]
        patients_per_staff: Option<f64>,
    },
    /// Better protection at work (equipment, routines): every transmission probability at
    /// work times `factor`.
    Protection {
        /// Between 0 and 1.
        factor: f64,
    },
}

impl Change {
    /// Kind in bokmål.
    pub fn kind_nb(&self) -> &'static str {
        match self {
            Change::FloatPool { .. } => "vikarpool",
            Change::AgencyAgreement { .. } => "avtale med vikarbyrå",
            Change::Policy { .. } => "karantenepraksis",
            Change::PartTimeUplift { .. } => "økte stillingsprosenter",
            Change::CrossTraining { .. } => "kryssopplæring",
            Change::Cohorting { .. } => "kohortbemanning",
            Change::Protection { .. } => "smittevern",
        }
    }

    /// Applies the change. Errors name the field under `path`.
    pub fn apply(
        &self,
        project: &mut Project,
        scenario: &mut Scenario,
        path: &str,
    ) -> Result<(), FieldError> {
        let err = |f: &str, m: String| FieldError {
            path: format!("{path}.{f}"),
            message: m,
        };
        let known_skill = |s: &str| project.skills.iter().any(|k| k.id == s);
        match self {
            Change::FloatPool {
                skill,
                per_shift,
                price_per_shift,
                lead_days,
            } => {
                if !known_skill(skill) {
                    return Err(err("skill", format!("unknown skill {skill:?}")));
                }
                if *per_shift == 0 || price_per_shift.is_nan() || *price_per_shift < 0.0 {
                    return Err(err(
                        "perShift",
                        "perShift must be ≥ 1 and pricePerShift ≥ 0".into(),
                    ));
                }
                project.reserves.agency.push(AgencyOffer {
                    skill: skill.clone(),
                    price_per_shift: *price_per_shift,
                    lead_days: *lead_days,
                    max_per_shift: *per_shift,
                });
            }
            Change::AgencyAgreement {
                skill,
                lead_days,
                price_per_shift,
                max_per_shift,
            } => {
                let mut n = 0;
                for o in project
                    .reserves
                    .agency
                    .iter_mut()
                    .filter(|o| &o.skill == skill)
                {
                    n += 1;
                    if let Some(x) = lead_days {
                        o.lead_days = *x;
                    }
                    if let Some(x) = price_per_shift {
                        o.price_per_shift = *x;
                    }
                    if let Some(x) = max_per_shift {
                        o.max_per_shift = *x;
                    }
                }
                if n == 0 {
                    return Err(err(
                        "skill",
                        format!("the project has no agency offer of skill {skill:?}"),
                    ));
                }
            }
            Change::Policy { policy } => scenario.policy = policy.clone(),
            Change::PartTimeUplift {
                below_percent,
                skills,
                add_shifts,
            } => {
                for s in skills {
                    if !known_skill(s) {
                        return Err(err("skills", format!("unknown skill {s:?}")));
                    }
                }
                for st in project.staff.iter_mut().filter(|st| {
                    st.stillingsprosent < *below_percent
                        && (skills.is_empty() || st.skills.iter().any(|k| skills.contains(k)))
                }) {
                    st.max_extra_shifts += add_shifts;
                }
            }
            Change::CrossTraining { skills, count } => {
                for s in skills {
                    if !known_skill(s) {
                        return Err(err("skills", format!("unknown skill {s:?}")));
                    }
                }
                let ids: Vec<String> = project
                    .staff
                    .iter()
                    .filter(|st| {
                        st.skills.iter().any(|k| skills.contains(k))
                            && !project.reserves.pool.contains(&st.id)
                    })
                    .take(*count)
                    .map(|st| st.id.clone())
                    .collect();
                project.reserves.pool.extend(ids);
            }
            Change::Cohorting {
                separation_days,
                patients_per_staff,
            } => {
                if let Some(x) = separation_days {
                    project.cohorting.separation_days = *x;
                }
                if let Some(x) = patients_per_staff {
                    if x.is_nan() || *x <= 0.0 {
                        return Err(err("patientsPerStaff", format!("must be > 0, is {x}")));
                    }
                    project.cohorting.default_patients_per_staff = *x;
                    project.cohorting.patients_per_staff.clear();
                }
            }
            Change::Protection { factor } => {
                if !(0.0..=1.0).contains(factor) {
                    return Err(err("factor", format!("must be 0–1, is {factor}")));
                }
                let t = &mut scenario.transmission;
                t.same_shift *= factor;
                t.same_unit_day *= factor;
                t.patient_to_staff *= factor;
                if let Some(p) = &mut scenario.patients {
                    p.staff_to_patient *= factor;
                }
            }
        }
        Ok(())
    }
}

/// Parses a ROS file; errors name the field path and the line.
pub fn workshop_from_json(text: &str, file: &str) -> Result<Workshop, FormatError> {
    let w: Workshop = versioned_from_json(text, file, "ROS file", ROS_FORMAT_VERSION)?;
    w.validate().map_err(|problems| FormatError {
        file: file.to_string(),
        problems,
    })?;
    Ok(w)
}

fn check_thresholds(e: &mut Vec<FieldError>, path: String, t: &[f64; 4], prob: bool) {
    let ok = t.windows(2).all(|w| w[0] < w[1])
        && t.iter().all(|x| x.is_finite() && *x >= 0.0)
        && (!prob || t[3] <= 1.0);
    if !ok {
        e.push(FieldError {
            path,
            message: format!(
                "must be 4 strictly increasing numbers{}, are {t:?}",
                if prob { " in 0–1" } else { " ≥ 0" }
            ),
        });
    }
}

impl Workshop {
    /// Checks ids, references, thresholds and overrides; each error names its field path.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut e = Vec::new();
        let mut push = |p: String, m: String| {
            e.push(FieldError {
                path: p,
                message: m,
            })
        };
        if self.title.trim().is_empty() {
            push("title".into(), "is empty".into());
        }
        if self.runs == 0 {
            push("runs".into(), "must be at least 1".into());
        }
        let a = &self.scales.acceptance;
        if !(1..=25).contains(&a.yellow_from) || a.red_from < a.yellow_from || a.red_from > 26 {
            push(
                "scales.acceptance".into(),
                "needs 1 ≤ yellowFrom ≤ redFrom ≤ 26".into(),
            );
        }
        let mut seen = Vec::new();
        for (i, s) in self.scenarios.iter().enumerate() {
            if seen.contains(&&s.id) {
                push(format!("scenarios[{i}].id"), format!("{:?} twice", s.id));
            }
            seen.push(&s.id);
            if let Some(p) = s.annual_probability {
                if !(0.0..=1.0).contains(&p) {
                    push(
                        format!("scenarios[{i}].annualProbability"),
                        format!("must be 0–1, is {p}"),
                    );
                }
            } else if self.scales.likelihood.basis == Basis::Year {
                push(
                    format!("scenarios[{i}].annualProbability"),
                    "is needed when likelihood is judged per year".into(),
                );
            }
        }
        if self.hazards.is_empty() {
            push("hazards".into(), "at least one hazard is needed".into());
        }
        let mut hz = Vec::new();
        for (i, h) in self.hazards.iter().enumerate() {
            let p = format!("hazards[{i}]");
            if hz.contains(&&h.id) {
                push(format!("{p}.id"), format!("{:?} twice", h.id));
            }
            hz.push(&h.id);
            if !self.scenarios.iter().any(|s| s.id == h.scenario) {
                push(
                    format!("{p}.scenario"),
                    format!("no scenario with id {:?}", h.scenario),
                );
            }
            if h.event.at_least.is_some() == h.event.more_than.is_some() {
                push(
                    format!("{p}.event"),
                    "give exactly one of atLeast and moreThan".into(),
                );
            }
            if let Some(o) = &h.override_cell {
                if !(1..=5).contains(&o.likelihood) || !(1..=5).contains(&o.consequence) {
                    push(format!("{p}.override"), "categories are 1–5".into());
                }
                if o.reason.trim().is_empty() {
                    push(
                        format!("{p}.override.reason"),
                        "a hand-set cell needs a written reason".into(),
                    );
                }
            }
        }
        let mut ms = Vec::new();
        for (i, m) in self.measures.iter().enumerate() {
            if ms.contains(&&m.id) {
                push(format!("measures[{i}].id"), format!("{:?} twice", m.id));
            }
            ms.push(&m.id);
            if !(m.cost_nok.is_finite() && m.cost_nok >= 0.0) {
                push(
                    format!("measures[{i}].costNok"),
                    format!("must be ≥ 0, is {}", m.cost_nok),
                );
            }
        }
        if let Some(t) = &self.scales.likelihood.thresholds {
            check_thresholds(&mut e, "scales.likelihood.thresholds".into(), t, true);
        }
        for (m, t) in &self.scales.consequence {
            let name = serde_json::to_value(m)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            check_thresholds(&mut e, format!("scales.consequence.{name}"), t, false);
        }
        if e.is_empty() {
            Ok(())
        } else {
            Err(e)
        }
    }
}

/// A cell of the matrix.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename = "RosCell"))]
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Cell {
    /// Likelihood 1–5.
    pub likelihood: u8,
    /// Consequence 1–5.
    pub consequence: u8,
    /// Colour.
    pub level: Level,
}

/// An estimated probability and where it falls on the likelihood scale.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename = "RosEstimate"))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Estimate {
    /// Scenarios in which the event happened.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub count: u64,
    /// Scenarios run.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub runs: u64,
    /// Probability in the planning period (count / runs).
    pub probability: f64,
    /// 95 % Wilson interval, lower end.
    pub low: f64,
    /// Upper end.
    pub high: f64,
    /// The probability the scale grades (per year with a yearly basis).
    pub graded: f64,
    /// Likelihood category of `graded`.
    pub likelihood: u8,
    /// Categories of the interval's ends: the cell could lie anywhere in between.
    pub likelihood_range: [u8; 2],
    /// The consequence metric's value (statistic over the scenarios with the event; over all
    /// scenarios when it never happened).
    pub consequence_value: f64,
    /// Whether `consequenceValue` is conditional on the event.
    pub conditional: bool,
    /// Consequence category.
    pub consequence: u8,
    /// The cell.
    pub cell: Cell,
}

/// The effect of one measure on one hazard.
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename = "RosEffect"))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Effect {
    /// Measure id.
    pub measure: String,
    /// The estimate with the measure.
    pub after: Estimate,
    /// Change of probability (after − before), in the planning period.
    pub delta: f64,
    /// 95 % interval of the paired difference over the same seeds (normal approximation).
    pub delta_low: f64,
    /// Upper end.
    pub delta_high: f64,
}

/// A hazard assessed.
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(export, rename = "RosHazardResult")
)]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct HazardResult {
    /// The hazard as given.
    pub hazard: Hazard,
    /// Its event in words.
    pub event_label: String,
    /// The computed estimate.
    pub before: Estimate,
    /// The cell in force: the override when there is one, else the computed cell.
    pub cell: Cell,
    /// Each measure's effect, in the order of the workshop's measures.
    pub effects: Vec<Effect>,
}

/// A day's P10/P50/P90 of a metric (fan charts).
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename = "RosFan"))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Fan {
    /// Metric name (as in [`crate::montecarlo::DAY_METRICS`]).
    pub metric: String,
    /// Per day: [P10, P50, P90].
    #[cfg_attr(feature = "ts", ts(type = "Array<[number, number, number]>"))]
    pub days: Vec<[i64; 3]>,
    /// Per day: mean.
    pub mean: Vec<f64>,
}

/// Outcome of one study (a scenario, with or without a measure).
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, rename = "RosOutcome"))]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Outcome {
    /// Expected extra cost (extra shifts, overtime, agency) in NOK.
    pub expected_extra_cost_nok: f64,
    /// Expected uncovered seats over the horizon.
    pub mean_uncovered: f64,
    /// Expected shifts without nurse cover.
    pub mean_shifts_without_nurse: f64,
    /// Fan charts: staff absent and uncovered seats per day.
    pub fans: Vec<Fan>,
}

/// One scenario's results.
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(export, rename = "RosScenarioResult")
)]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ScenarioResult {
    /// Id in the workshop.
    pub id: String,
    /// The scenario's name.
    pub name: String,
    /// Its description.
    pub description: String,
    /// Chance of such a wave in a year, if given.
    pub annual_probability: Option<f64>,
    /// Without measures.
    pub baseline: Outcome,
    /// With each measure, in the workshop's order.
    pub with_measures: Vec<Outcome>,
}

/// A measure assessed.
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(export, rename = "RosMeasureResult")
)]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MeasureResult {
    /// The measure as given.
    pub measure: Measure,
    /// Change of expected extra cost per scenario id (after − before), NOK.
    pub delta_extra_cost_nok: BTreeMap<String, f64>,
    /// Its own price plus the change of expected extra cost (weighted over the scenarios).
    pub total_cost_nok: f64,
    /// Sum over the hazards of the drop in graded probability (expected hazard events
    /// avoided per period, or per year).
    pub risk_reduction: f64,
    /// Hazards whose cell moved to a lower score.
    pub hazards_improved: usize,
    /// Risk reduction per 100 000 kr; `None` when the measure costs nothing or saves money.
    pub reduction_per_100k: Option<f64>,
    /// 1 = best.
    pub rank: usize,
}

/// The workshop's results: everything the matrix, the ranking and the report show.
#[cfg_attr(
    feature = "ts",
    derive(ts_rs::TS),
    ts(export, rename = "RosAssessment")
)]
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Assessment {
    /// The workshop as given.
    pub workshop: Workshop,
    /// The home's name.
    pub project_name: String,
    /// Horizon.
    pub dates: Vec<NaiveDate>,
    /// Scenarios per study.
    pub runs: usize,
    /// Master seed.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub seed: u64,
    /// Per scenario.
    pub scenarios: Vec<ScenarioResult>,
    /// Per hazard, in the workshop's order.
    pub hazards: Vec<HazardResult>,
    /// Per measure, in the workshop's order (see `rank`).
    pub measures: Vec<MeasureResult>,
    /// Wall-clock seconds of all studies.
    pub seconds: f64,
}

impl Assessment {
    /// Measure indexes, best first.
    pub fn ranking(&self) -> Vec<usize> {
        let mut v: Vec<usize> = (0..self.measures.len()).collect();
        v.sort_by_key(|&i| self.measures[i].rank);
        v
    }
}

/// How to evaluate.
#[derive(Clone, Debug, Default)]
pub struct EvalOptions {
    /// Scenarios per study; 0 = the workshop's `runs`.
    pub runs: usize,
    /// Master seed; `None` = the workshop's.
    pub seed: Option<u64>,
    /// Worker threads; 0 = one per core.
    pub threads: usize,
}

/// Why an evaluation did not finish.
#[derive(Debug, Clone, PartialEq)]
pub enum EvalError {
    /// A problem in the input, by field path (`hazards[2].scenario`, `measures[1].change.skill`).
    Invalid(Vec<FieldError>),
    /// Cancelled.
    Cancelled,
}

impl std::fmt::Display for EvalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EvalError::Invalid(p) => {
                for (i, x) in p.iter().enumerate() {
                    if i > 0 {
                        writeln!(f)?;
                    }
                    write!(f, "{x}")?;
                }
                Ok(())
            }
            EvalError::Cancelled => write!(f, "cancelled"),
        }
    }
}

impl std::error::Error for EvalError {}

fn quantile(v: &mut [f64], q: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let rank = ((q * v.len() as f64).ceil() as usize).clamp(1, v.len());
    v[rank - 1]
}

/// Grades one hazard from the per-scenario records of its scenario's study.
pub fn assess(
    scales: &Scales,
    hazard: &Hazard,
    records: &[ScenarioRecord],
    annual_probability: Option<f64>,
) -> Estimate {
    let runs = records.len() as u64;
    let hit: Vec<&ScenarioRecord> = records
        .iter()
        .filter(|r| hazard.event.happened(r))
        .collect();
    let count = hit.len() as u64;
    let probability = if runs == 0 {
        0.0
    } else {
        count as f64 / runs as f64
    };
    let (low, high) = wilson(count, runs);
    let conditional = count > 0;
    let pool: Vec<&ScenarioRecord> = if conditional {
        hit
    } else {
        records.iter().collect()
    };
    let mut vals: Vec<f64> = pool
        .iter()
        .map(|r| hazard.consequence.metric.of(r))
        .collect();
    let consequence_value = match hazard.consequence.statistic {
        Statistic::Median => quantile(&mut vals, 0.5),
        Statistic::P90 => quantile(&mut vals, 0.9),
        Statistic::Mean => vals.iter().sum::<f64>() / (vals.len().max(1) as f64),
    };
    let ungraded = Cell {
        likelihood: 0,
        consequence: 0,
        level: Level::Green,
    };
    grade(
        scales,
        hazard,
        Estimate {
            count,
            runs,
            probability,
            low,
            high,
            graded: 0.0,
            likelihood: 0,
            likelihood_range: [0, 0],
            consequence_value,
            conditional,
            consequence: 0,
            cell: ungraded,
        },
        annual_probability,
    )
}

/// The 95 % interval of a paired difference of event indicators on the same seeds.
fn paired_interval(h: &Hazard, a: &[ScenarioRecord], b: &[ScenarioRecord]) -> (f64, f64) {
    let n = a.len().min(b.len());
    if n < 2 {
        return (-1.0, 1.0);
    }
    let d: Vec<f64> = a
        .iter()
        .zip(b)
        .map(|(x, y)| {
            f64::from(u8::from(h.event.happened(y))) - f64::from(u8::from(h.event.happened(x)))
        })
        .collect();
    let mean = d.iter().sum::<f64>() / n as f64;
    let var = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n as f64 - 1.0);
    let half = 1.959_963_984_540_054 * (var / n as f64).sqrt();
    ((mean - half).max(-1.0), (mean + half).min(1.0))
}

fn outcome(r: &StudyResult) -> Outcome {
    let nf = (r.runs as f64).max(1.0);
    let fan = |m: &str| Fan {
        metric: m.to_string(),
        days: (0..r.dates.len())
            .map(|d| {
                r.band(d, m)
                    .map(|b| [b.p10, b.p50, b.p90])
                    .unwrap_or([0; 3])
            })
            .collect(),
        mean: (0..r.dates.len())
            .map(|d| r.band(d, m).map(|b| b.mean).unwrap_or(0.0))
            .collect(),
    };
    Outcome {
        expected_extra_cost_nok: r.expected_extra_cost_nok,
        mean_uncovered: r
            .scenarios
            .iter()
            .map(|s| f64::from(s.uncovered))
            .sum::<f64>()
            / nf,
        mean_shifts_without_nurse: r
            .scenarios
            .iter()
            .map(|s| f64::from(s.shifts_without_nurse))
            .sum::<f64>()
            / nf,
        fans: vec![
            fan("absentTotal"),
            fan("uncovered"),
            fan("shiftsWithoutNurse"),
        ],
    }
}

/// Runs the workshop: for every scenario a baseline study and one study per measure, all on
/// the same master seed, so scenario i of every study starts from the same seed
/// (common random numbers); then grades the hazards and ranks the measures.
///
/// `project` must have the scenarios' horizon (see [`Project::with_days`]) and `roster` must
/// be a roster of it; `scenarios` pairs each workshop scenario id with its parsed scenario.
/// `progress(done, total)` counts scenarios over all studies; `cancel` stops within one
/// scenario per thread and returns [`EvalError::Cancelled`].
pub fn evaluate(
    ws: &Workshop,
    project: &Project,
    roster: &Grid,
    scenarios: &[(String, Scenario)],
    opts: &EvalOptions,
    progress: &(dyn Fn(usize, usize) + Sync),
    cancel: &AtomicBool,
) -> Result<Assessment, EvalError> {
    ws.validate().map_err(EvalError::Invalid)?;
    let t0 = std::time::Instant::now();
    let runs = if opts.runs == 0 { ws.runs } else { opts.runs };
    let seed = opts.seed.unwrap_or(ws.seed);
    let inst0 = Instance::new(project.clone()).map_err(EvalError::Invalid)?;
    // Every scenario of the workshop must be given, and only those the hazards use are run.
    let mut used: Vec<(usize, &Scenario)> = Vec::new();
    let mut problems = Vec::new();
    for (i, sr) in ws.scenarios.iter().enumerate() {
        match scenarios.iter().find(|(id, _)| id == &sr.id) {
            Some((_, sc)) => {
                if ws.hazards.iter().any(|h| h.scenario == sr.id) {
                    used.push((i, sc));
                }
            }
            None => problems.push(FieldError {
                path: format!("scenarios[{i}]"),
                message: format!("scenario {:?} was not given", sr.id),
            }),
        }
    }
    // Every measure is applied once up front so a bad one is refused before any study runs.
    let mut variants: Vec<Vec<(Instance, Scenario)>> = Vec::new();
    for &(si, sc) in &used {
        if let Err(p) = sc.validate(&inst0) {
            problems.extend(p.into_iter().map(|f| FieldError {
                path: format!("scenarios[{si}] ({}): {}", ws.scenarios[si].file, f.path),
                message: f.message,
            }));
            continue;
        }
        let mut v = Vec::new();
        for (mi, m) in ws.measures.iter().enumerate() {
            let (mut p, mut s) = (project.clone(), sc.clone());
            if let Err(e) = m
                .change
                .apply(&mut p, &mut s, &format!("measures[{mi}].change"))
            {
                problems.push(e);
                continue;
            }
            match Instance::new(p) {
                Ok(inst) => v.push((inst, s)),
                Err(ps) => problems.extend(ps.into_iter().map(|f| FieldError {
                    path: format!("measures[{mi}].change → {}", f.path),
                    message: f.message,
                })),
            }
        }
        variants.push(v);
    }
    if !problems.is_empty() {
        problems.dedup();
        return Err(EvalError::Invalid(problems));
    }
    let n_studies = used.len() * (1 + ws.measures.len());
    let total = n_studies * runs;
    let done = AtomicUsize::new(0);
    let sopts = StudyOptions {
        runs,
        seed,
        threads: opts.threads,
        keep_scenarios: true,
        events: Default::default(),
    };
    let run_one = |inst: &Instance, sc: &Scenario| -> Result<StudyResult, EvalError> {
        let study = Study::new(inst, roster, sc).map_err(EvalError::Invalid)?;
        let base = done.load(Ordering::Relaxed);
        let r = study.run(&sopts, &|k, _| progress(base + k, total), cancel);
        done.store(base + runs, Ordering::Relaxed);
        if r.cancelled || cancel.load(Ordering::Relaxed) {
            return Err(EvalError::Cancelled);
        }
        Ok(r)
    };
    // Per used scenario: the baseline study, then one per measure.
    let mut results: Vec<(StudyResult, Vec<StudyResult>)> = Vec::new();
    for (k, &(_, sc)) in used.iter().enumerate() {
        let base = run_one(&inst0, sc)?;
        let mut with = Vec::new();
        for (inst, s) in &variants[k] {
            with.push(run_one(inst, s)?);
        }
        results.push((base, with));
    }
    let scales = &ws.scales;
    let find = |id: &str| used.iter().position(|&(i, _)| ws.scenarios[i].id == id);
    let mut hazards = Vec::new();
    for h in &ws.hazards {
        let k = find(&h.scenario).expect("validated");
        let ap = ws.scenarios[used[k].0].annual_probability;
        let (base, with) = &results[k];
        let before = assess(scales, h, &base.scenarios, ap);
        let effects = ws
            .measures
            .iter()
            .zip(with)
            .map(|(m, r)| {
                let after = assess(scales, h, &r.scenarios, ap);
                let (lo, hi) = paired_interval(h, &base.scenarios, &r.scenarios);
                Effect {
                    measure: m.id.clone(),
                    delta: after.probability - before.probability,
                    delta_low: lo,
                    delta_high: hi,
                    after,
                }
            })
            .collect();
        let cell = cell_in_force(scales, h, &before);
        hazards.push(HazardResult {
            hazard: h.clone(),
            event_label: h.event.label_nb(),
            before,
            cell,
            effects,
        });
    }
    let deltas: Vec<BTreeMap<String, f64>> = (0..ws.measures.len())
        .map(|mi| {
            results
                .iter()
                .enumerate()
                .map(|(k, (base, with))| {
                    (
                        ws.scenarios[used[k].0].id.clone(),
                        with[mi].expected_extra_cost_nok - base.expected_extra_cost_nok,
                    )
                })
                .collect()
        })
        .collect();
    let measures = grade_measures(ws, &hazards, deltas);
    let sresults = used
        .iter()
        .zip(&results)
        .map(|(&(i, sc), (base, with))| ScenarioResult {
            id: ws.scenarios[i].id.clone(),
            name: sc.name.clone(),
            description: sc.description.clone(),
            annual_probability: ws.scenarios[i].annual_probability,
            baseline: outcome(base),
            with_measures: with.iter().map(outcome).collect(),
        })
        .collect();
    Ok(Assessment {
        workshop: ws.clone(),
        project_name: project.name.clone(),
        dates: inst0.dates.clone(),
        runs,
        seed,
        scenarios: sresults,
        hazards,
        measures,
        seconds: t0.elapsed().as_secs_f64(),
    })
}

/// The override when there is one, else the computed cell.
fn cell_in_force(scales: &Scales, h: &Hazard, before: &Estimate) -> Cell {
    match &h.override_cell {
        Some(o) => Cell {
            likelihood: o.likelihood,
            consequence: o.consequence,
            level: scales.acceptance.level(o.likelihood, o.consequence),
        },
        None => before.cell,
    }
}

/// Prices and ranks the measures from the graded hazards and each measure's change of
/// expected extra cost per scenario id.
fn grade_measures(
    ws: &Workshop,
    hazards: &[HazardResult],
    deltas: Vec<BTreeMap<String, f64>>,
) -> Vec<MeasureResult> {
    let scales = &ws.scales;
    // Weights of the scenarios in the cost: the annual probability per year, else equal.
    let weight = |id: &str, n: usize| match scales.likelihood.basis {
        Basis::Year => ws
            .scenarios
            .iter()
            .find(|s| s.id == id)
            .and_then(|s| s.annual_probability)
            .unwrap_or(0.0),
        Basis::Period => 1.0 / n.max(1) as f64,
    };
    let mut measures: Vec<MeasureResult> = ws
        .measures
        .iter()
        .zip(deltas)
        .enumerate()
        .map(|(mi, (m, delta))| {
            let dcost: f64 = delta
                .iter()
                .map(|(id, d)| weight(id, delta.len()) * d)
                .sum();
            let total_cost_nok = m.cost_nok + dcost;
            let risk_reduction: f64 = hazards
                .iter()
                .map(|h| h.before.graded - h.effects[mi].after.graded)
                .sum();
            let score = |c: &Cell| c.likelihood * c.consequence;
            let hazards_improved = hazards
                .iter()
                .filter(|h| score(&h.effects[mi].after.cell) < score(&h.before.cell))
                .count();
            MeasureResult {
                measure: m.clone(),
                delta_extra_cost_nok: delta,
                total_cost_nok,
                risk_reduction,
                hazards_improved,
                reduction_per_100k: (total_cost_nok > 0.0)
                    .then(|| risk_reduction / total_cost_nok * 100_000.0),
                rank: 0,
            }
        })
        .collect();
    rank(&mut measures);
    measures
}

/// Grades an estimate on the scales: the probability, its interval and the consequence
/// value stay; the graded probability, the categories and the cell follow the scales.
fn grade(scales: &Scales, h: &Hazard, e: Estimate, annual: Option<f64>) -> Estimate {
    let factor = match scales.likelihood.basis {
        Basis::Period => 1.0,
        Basis::Year => annual.unwrap_or(1.0),
    };
    let ls = &scales.likelihood;
    let graded = e.probability * factor;
    let likelihood = ls.category(graded);
    let consequence = category(
        &scales.consequence_thresholds(h.consequence.metric),
        e.consequence_value,
    );
    Estimate {
        graded,
        likelihood,
        likelihood_range: [ls.category(e.low * factor), ls.category(e.high * factor)],
        consequence,
        cell: Cell {
            likelihood,
            consequence,
            level: scales.acceptance.level(likelihood, consequence),
        },
        ..e
    }
}

impl Assessment {
    /// Whether `ws` asks for the simulations this assessment ran: the same scenarios and
    /// seed, the same measure changes, and hazards with the same scenario, event and
    /// consequence measure, in the same order. Then [`Assessment::regrade`] brings it up to
    /// date without running anything.
    pub fn same_evidence(&self, ws: &Workshop) -> bool {
        let a = &self.workshop;
        let scen = |w: &Workshop| {
            w.scenarios
                .iter()
                .map(|s| (s.id.clone(), s.file.clone()))
                .collect::<Vec<_>>()
        };
        let meas = |w: &Workshop| {
            w.measures
                .iter()
                .map(|m| (m.id.clone(), m.change.clone()))
                .collect::<Vec<_>>()
        };
        let haz = |w: &Workshop| {
            w.hazards
                .iter()
                .map(|h| {
                    (
                        h.id.clone(),
                        h.scenario.clone(),
                        h.event.clone(),
                        h.consequence.clone(),
                    )
                })
                .collect::<Vec<_>>()
        };
        a.seed == ws.seed
            && a.roster == ws.roster
            && scen(a) == scen(ws)
            && meas(a) == meas(ws)
            && haz(a) == haz(ws)
    }

    /// Re-grades with the workshop's scales, acceptance, overrides, annual probabilities,
    /// measure prices and texts. Only valid when [`Assessment::same_evidence`] holds; returns
    /// false (and changes nothing) otherwise.
    pub fn regrade(&mut self, ws: &Workshop) -> bool {
        if !self.same_evidence(ws) {
            return false;
        }
        let scales = &ws.scales;
        let annual = |id: &str| {
            ws.scenarios
                .iter()
                .find(|s| s.id == id)
                .and_then(|s| s.annual_probability)
        };
        for (hr, h) in self.hazards.iter_mut().zip(&ws.hazards) {
            let ap = annual(&h.scenario);
            hr.before = grade(scales, h, hr.before.clone(), ap);
            for e in &mut hr.effects {
                e.after = grade(scales, h, e.after.clone(), ap);
            }
            hr.cell = cell_in_force(scales, h, &hr.before);
            hr.event_label = h.event.label_nb();
            hr.hazard = h.clone();
        }
        for s in &mut self.scenarios {
            s.annual_probability = annual(&s.id);
        }
        let deltas = self
            .measures
            .iter()
            .map(|m| m.delta_extra_cost_nok.clone())
            .collect();
        self.measures = grade_measures(ws, &self.hazards, deltas);
        self.workshop = ws.clone();
        true
    }
}

/// Ranks measures by risk reduction per krone: first those that reduce risk and cost
/// nothing or save money (by reduction), then those that reduce risk by reduction per
/// krone, then those that do not reduce risk (cheapest first).
pub fn rank(ms: &mut [MeasureResult]) {
    let class = |m: &MeasureResult| {
        if m.risk_reduction <= 0.0 {
            2
        } else if m.total_cost_nok <= 0.0 {
            0
        } else {
            1
        }
    };
    let mut idx: Vec<usize> = (0..ms.len()).collect();
    idx.sort_by(|&a, &b| {
        let (x, y) = (&ms[a], &ms[b]);
        class(x).cmp(&class(y)).then_with(|| match class(x) {
            0 => y.risk_reduction.total_cmp(&x.risk_reduction),
            1 => (y.risk_reduction / y.total_cost_nok)
                .total_cmp(&(x.risk_reduction / x.total_cost_nok)),
            _ => x.total_cost_nok.total_cmp(&y.total_cost_nok),
        })
    });
    for (r, i) in idx.into_iter().enumerate() {
        ms[i].rank = r + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(no_nurse: u32, week: u32, cost: f64) -> ScenarioRecord {
        ScenarioRecord {
            index: 0,
            seed: 0,
            peak_absent: 0,
            uncovered: week,
            shifts_without_nurse: no_nurse,
            cohort_crossings: 0,
            max_week_uncovered: week,
            peak_infected_patients: 0,
            extra_cost_nok: cost,
            overtime_cost_nok: 0.0,
            agency_cost_nok: 0.0,
        }
    }

    fn hazard() -> Hazard {
        Hazard {
            id: "h".into(),
            title: "Vakt uten sykepleier".into(),
            description: String::new(),
            causes: vec![],
            consequences: vec![],
            barriers: vec![],
            scenario: "s".into(),
            event: EventDef {
                metric: Metric::ShiftsWithoutNurse,
                at_least: Some(1.0),
                more_than: None,
            },
            consequence: ConsequenceDef {
                metric: Metric::ShiftsWithoutNurse,
                statistic: Statistic::Median,
            },
            override_cell: None,
        }
    }

    #[test]
    fn likelihood_category_follows_thresholds() {
        let mut s = LikelihoodScale::default();
        // 12 % is "moderat" on the default period scale (5–20 %).
        assert_eq!(s.category(0.12), 3);
        assert_eq!(s.category(0.0), 1);
        assert_eq!(s.category(0.5), 5);
        // Lower thresholds push the same probability up; higher ones push it down.
        s.thresholds = Some([0.01, 0.02, 0.05, 0.10]);
        assert_eq!(s.category(0.12), 5);
        s.thresholds = Some([0.2, 0.3, 0.4, 0.6]);
        assert_eq!(s.category(0.12), 1);
        // A threshold is a lower bound: equal counts as reached.
        assert_eq!(s.category(0.2), 2);
        // Per year the DSB thresholds apply by default.
        let y = LikelihoodScale {
            basis: Basis::Year,
            thresholds: None,
        };
        assert_eq!(y.category(0.05), 4);
        assert_eq!(y.category(0.0005), 1);
    }

    #[test]
    fn assess_grades_probability_and_conditional_consequence() {
        // 100 scenarios, 30 with a shift without nurse: 5 with 1 shift, 25 with 12 shifts.
        let mut rs: Vec<ScenarioRecord> = (0..70).map(|_| rec(0, 0, 0.0)).collect();
        rs.extend((0..5).map(|_| rec(1, 0, 0.0)));
        rs.extend((0..25).map(|_| rec(12, 0, 0.0)));
        let mut scales = Scales::default();
        let h = hazard();
        let e = assess(&scales, &h, &rs, None);
        assert_eq!((e.count, e.runs), (30, 100));
        assert!((e.probability - 0.3).abs() < 1e-12);
        assert!(e.low < 0.3 && e.high > 0.3);
        assert_eq!(e.likelihood, 4);
        assert_eq!(e.likelihood_range, [4, 4]);
        // Median of the 30 scenarios with the event is 12: "store" (10–30).
        assert_eq!(e.consequence_value, 12.0);
        assert_eq!(e.consequence, 4);
        assert_eq!(e.cell.level, Level::Red);
        // Raising the likelihood thresholds moves the cell down and changes its colour.
        scales.likelihood.thresholds = Some([0.1, 0.4, 0.6, 0.8]);
        let e2 = assess(&scales, &h, &rs, None);
        assert_eq!(e2.likelihood, 2);
        assert_eq!(e2.cell.level, Level::Yellow);
        // Consequence thresholds too.
        scales
            .consequence
            .insert(Metric::ShiftsWithoutNurse, [1.0, 2.0, 3.0, 4.0]);
        assert_eq!(assess(&scales, &h, &rs, None).consequence, 5);
        // Per year: a wave once in 20 years makes 0.3 into 0.015 a year, once in about 67
        // years: DSB category 3 (once in 50–100 years); a wave once in 200 years gives 2.
        scales.likelihood = LikelihoodScale {
            basis: Basis::Year,
            thresholds: None,
        };
        assert_eq!(assess(&scales, &h, &rs, Some(0.05)).likelihood, 3);
        assert_eq!(assess(&scales, &h, &rs, Some(0.005)).likelihood, 2);
    }

    #[test]
    fn ranking_per_krone() {
        let m = |id: &str, red: f64, cost: f64| MeasureResult {
            measure: Measure {
                id: id.into(),
                name: id.into(),
                description: String::new(),
                cost_nok: cost,
                change: Change::Protection { factor: 0.5 },
            },
            delta_extra_cost_nok: BTreeMap::new(),
            total_cost_nok: cost,
            risk_reduction: red,
            hazards_improved: 0,
            reduction_per_100k: None,
            rank: 0,
        };
        let mut v = vec![
            m("dyr", 0.5, 1_000_000.0),
            m("billig", 0.2, 100_000.0),
            m("ingen", 0.0, 10.0),
            m("sparer", 0.1, -5.0),
        ];
        rank(&mut v);
        let r: Vec<usize> = v.iter().map(|x| x.rank).collect();
        assert_eq!(r, vec![3, 2, 4, 1]);
    }

    #[test]
    fn validation_names_fields() {
        let text = r#"{"formatVersion":1,"title":"T","scenarios":[{"id":"s","file":"x.json"}],
          "hazards":[{"id":"h","title":"H","scenario":"nope",
            "event":{"metric":"shiftsWithoutNurse","atLeast":1},
            "consequence":{"metric":"shiftsWithoutNurse"},
            "override":{"likelihood":3,"consequence":2,"reason":" "}}],
          "scales":{"likelihood":{"thresholds":[0.1,0.05,0.2,0.5]}}}"#;
        let e = workshop_from_json(text, "ros.json").unwrap_err();
        let paths: Vec<&str> = e.problems.iter().map(|p| p.path.as_str()).collect();
        assert!(paths.contains(&"hazards[0].scenario"), "{paths:?}");
        assert!(paths.contains(&"hazards[0].override.reason"), "{paths:?}");
        assert!(paths.contains(&"scales.likelihood.thresholds"), "{paths:?}");
        let bad = r#"{"formatVersion":1,"title":"T","scenarios":[],"hazards":[{"id":"h"}]}"#;
        let e = workshop_from_json(bad, "ros.json").unwrap_err();
        assert!(e.problems[0].path.starts_with("hazards[0]"), "{e}");
        let newer = r#"{"formatVersion":9,"title":"T"}"#;
        assert_eq!(
            workshop_from_json(newer, "r").unwrap_err().problems[0].path,
            "formatVersion"
        );
    }
}
