//! Wave model: a seeded, reproducible scenario of community infection, transmission at
//! work, detection, isolation, contact quarantine under a policy, baseline sickness and
//! infected patients, advanced day by day alongside the roster.
//!
//! The Monte Carlo loop drives one [`Wave`] per scenario: [`Wave::begin_day`] before the
//! day's roster is repaired (who is absent today, as known today), [`Wave::end_day`] after it
//! (who worked with whom, which drives transmission and contact tracing). Sampling and
//! repair interleave because who gets infected depends on the repaired roster.
//!
//! Every parameter has a default, documented on its field with its source. All randomness
//! comes from one [`Rng`] per scenario, drawn in a fixed order, so a seed gives the same
//! trajectory bit for bit.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::formats::FormatError;
use crate::model::{AbsenceKind, FieldError, Instance};
use crate::rng::Rng;

/// Newest scenario file version this build reads.
pub const SCENARIO_FORMAT_VERSION: u32 = 1;

/// Longest contact-tracing window accepted, in days (tracing looks back at most this far).
pub const MAX_CONTACT_WINDOW_DAYS: u32 = 28;

/// A wave scenario as read from its JSON file.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Scenario {
    /// File format version ([`SCENARIO_FORMAT_VERSION`]).
    pub format_version: u32,
    /// Short name.
    pub name: String,
    /// What the scenario is meant to show (staff size, intended outcome, sources).
    #[serde(default)]
    pub description: String,
    /// Horizon in days; default: the project's horizon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub days: Option<u32>,
    /// Infection pressure from outside the home.
    #[serde(default)]
    pub community: Community,
    /// Transmission at work.
    #[serde(default)]
    pub transmission: Transmission,
    /// Course of an infection.
    #[serde(default)]
    pub disease: Disease,
    /// What happens to close contacts of a confirmed case.
    #[serde(default)]
    pub policy: Policy,
    /// Close contacts: shared a shift (same unit, day and shift, either cohort) with a
    /// confirmed case within this many days before detection (0: no tracing). Default 2:
    /// Norwegian tracing looked back 48 hours before symptom onset or a positive test (FHI).
    #[serde(default = "d_contact_window")]
    pub contact_window_days: u32,
    /// Sick leave unrelated to the wave.
    #[serde(default)]
    pub baseline_sickness: BaselineSickness,
    /// Infected patients per unit (optional; without it no patient counts are produced).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub patients: Option<Patients>,
}

fn d_contact_window() -> u32 {
    2
}

/// Daily infection probability per staff member from the community.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
// Read through a flat struct so an error inside names its field (`community.r0`); serde's
// internally tagged enums buffer their content and lose the path.
#[serde(tag = "kind", rename_all = "camelCase", try_from = "RawCommunity")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Community {
    /// The same probability every day.
    Flat(FlatCommunity),
    /// One probability per day; the last value repeats to the end of the horizon.
    Series(SeriesCommunity),
    /// Deterministic discrete-time SIR epidemic in the surrounding population.
    Sir(Epidemic),
    /// Deterministic discrete-time SEIR epidemic (SIR with a latent stage).
    Seir(Epidemic),
}

impl Default for Community {
    fn default() -> Community {
        Community::Flat(FlatCommunity::default())
    }
}

/// `{"kind": "flat"}`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct FlatCommunity {
    /// Default 0.0005: the order of Norwegian cities at their 2020–21 winter peaks (a few
    /// hundred diagnosed per 100 000 per 14 days) times about 2 for undiagnosed cases.
    #[serde(default = "d_flat")]
    pub daily_probability: f64,
}

fn d_flat() -> f64 {
    0.0005
}

impl Default for FlatCommunity {
    fn default() -> FlatCommunity {
        FlatCommunity {
            daily_probability: d_flat(),
        }
    }
}

/// `{"kind": "series"}`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct SeriesCommunity {
    /// One probability per day from day 0 (must not be empty).
    pub values: Vec<f64>,
}

/// `{"kind": "sir"}` or `{"kind": "seir"}`: per-day probability = exposureFactor × new
/// infections that day / population.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Epidemic {
    /// Basic reproduction number. Default 2.5 (early 2020 estimates, 2–3).
    #[serde(default = "d_r0")]
    pub r0: f64,
    /// Population around the home. Default 30 000 (a mid-sized municipality).
    #[serde(default = "d_population")]
    pub population: f64,
    /// Infectious people on the start day. Default 10.
    #[serde(default = "d_initial")]
    pub initial_infected: f64,
    /// Mean infectious period in days. Default 5.
    #[serde(default = "d_epi_infectious")]
    pub infectious_days: f64,
    /// Mean latent period in days (SEIR only; absent for SIR). Default 3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub latent_days: Option<f64>,
    /// Horizon day on which the epidemic is seeded; negative: that many days before day 0.
    /// Default 0.
    #[serde(default)]
    pub start_day: i32,
    /// Staff's risk relative to the average inhabitant (care workers meet more people).
    /// Default 1.
    #[serde(default = "d_one")]
    pub exposure_factor: f64,
}

fn d_r0() -> f64 {
    2.5
}
fn d_population() -> f64 {
    30_000.0
}
fn d_initial() -> f64 {
    10.0
}
fn d_epi_infectious() -> f64 {
    5.0
}
fn d_one() -> f64 {
    1.0
}

/// Default SEIR latent period.
const DEFAULT_SEIR_LATENT: f64 = 3.0;

/// Transmission at work; the probabilities are per day of exposure to one infectious person.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Transmission {
    /// Per day sharing a unit with an infectious colleague on another shift or cohort.
    /// Default 0.02.
    pub same_unit_day: f64,
    /// Per shift in the same unit, shift and cohort as an infectious colleague. Default 0.06;
    /// with the defaults an undetected case infects about one colleague, in the range of
    /// workplace secondary attack rates of a few per cent per close contact.
    pub same_shift: f64,
    /// Per shift worked in a unit's isolation cohort while it has infected patients.
    /// Default 0.01 (with protective equipment).
    pub patient_to_staff: f64,
}

impl Default for Transmission {
    fn default() -> Transmission {
        Transmission {
            same_unit_day: 0.02,
            same_shift: 0.06,
            patient_to_staff: 0.01,
        }
    }
}

/// Course of an infection in a staff member; days count from the day of infection.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Disease {
    /// Infected → infectious. Default 2 (infectiousness starts about 2 days before symptoms).
    pub latent_days: u32,
    /// Infected → symptoms (detection and isolation). Default 5 (median incubation 5.1
    /// days, Lauer et al. 2020).
    pub incubation_days: u32,
    /// Share who never get symptoms (found only by tests). Default 0.3 (reviews give
    /// 20–40 %).
    pub asymptomatic_share: f64,
    /// Length of the infectious period. Default 7.
    pub infectious_days: u32,
    /// Isolation of a confirmed case from detection. Default 10 (Norway 2020: 10 days after
    /// symptom onset).
    pub isolation_days: u32,
}

impl Default for Disease {
    fn default() -> Disease {
        Disease {
            latent_days: 2,
            incubation_days: 5,
            asymptomatic_share: 0.3,
            infectious_days: 7,
            isolation_days: 10,
        }
    }
}

/// Contact policy (Norway's COVID-era rules). Quarantine and test periods count from the
/// day of the last contact, as the rules did; the contact learns of it on the detection day.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
// Read through a flat struct so an error inside names its field (`policy.days`).
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase",
    try_from = "RawPolicy"
)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Policy {
    /// No quarantine (cases are still isolated).
    None,
    /// Fixed quarantine of close contacts.
    Quarantine {
        /// Days after the last contact. Default 10 (from May 2020; 14 in March 2020).
        days: u32,
    },
    /// Quarantine ended early by a negative test (2021 rule).
    TestToRelease {
        /// Days after the last contact without a test. Default 10.
        days: u32,
        /// Test on this day after the last contact; negatives return to work that day.
        /// Default 7.
        test_day: u32,
        /// Chance the test finds an infectious person. Default 0.8 (PCR, approximate).
        test_sensitivity: f64,
    },
    /// Asymptomatic contacts keep working with a daily test; a positive test isolates them
    /// (critical health personnel in the omicron wave).
    WorkExemption {
        /// Daily tests until this many days after the last contact. Default 7.
        days: u32,
        /// Chance one test finds an infectious person. Default 0.7 (rapid antigen tests,
        /// approximate).
        test_sensitivity: f64,
    },
}

fn d_quarantine() -> u32 {
    10
}
fn d_test_day() -> u32 {
    7
}
fn d_pcr() -> f64 {
    0.8
}
fn d_exempt_days() -> u32 {
    7
}
fn d_antigen() -> f64 {
    0.7
}

impl Default for Policy {
    fn default() -> Policy {
        Policy::Quarantine {
            days: d_quarantine(),
        }
    }
}

/// Sick leave unrelated to the wave: spells start among staff at work and last a geometric
/// number of days. The long-run absent share is rate × mean / (1 + rate × mean).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct BaselineSickness {
    /// New spells per staff member per day at work. Default 0.012.
    pub daily_rate: f64,
    /// Mean spell length in days (at least 1). Default 6. With 0.012 this gives 6.7 %
    /// absent: the unplanned part of municipal care's 10–12 % sick leave, whose long spells
    /// are known ahead and covered in the roster itself.
    pub mean_days: f64,
}

impl Default for BaselineSickness {
    fn default() -> BaselineSickness {
        BaselineSickness {
            daily_rate: 0.012,
            mean_days: 6.0,
        }
    }
}

/// Infected patients per unit; the counts move demand into the isolation cohort.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Patients {
    /// Infected patients on day 0 by unit id. Default none.
    pub initial: BTreeMap<String, u32>,
    /// Per infectious staff shift in a unit's clean cohort, per not yet infected patient of
    /// the unit. Default 0.01.
    pub staff_to_patient: f64,
    /// A patient infected on day d is counted (found and moved to isolation) from day
    /// d + detectionDays. Default 2 (outbreak screening of the unit's residents).
    pub detection_days: u32,
    /// Days a patient stays in the isolation cohort; afterwards immune. Default 14.
    pub recovery_days: u32,
}

impl Default for Patients {
    fn default() -> Patients {
        Patients {
            initial: BTreeMap::new(),
            staff_to_patient: 0.01,
            detection_days: 2,
            recovery_days: 14,
        }
    }
}

#[derive(Deserialize, Clone, Copy, PartialEq)]
#[serde(rename_all = "camelCase")]
enum CommunityKind {
    Flat,
    Series,
    Sir,
    Seir,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawCommunity {
    kind: CommunityKind,
    daily_probability: Option<f64>,
    values: Option<Vec<f64>>,
    r0: Option<f64>,
    population: Option<f64>,
    initial_infected: Option<f64>,
    infectious_days: Option<f64>,
    latent_days: Option<f64>,
    start_day: Option<i32>,
    exposure_factor: Option<f64>,
}

/// Names the fields given that the kind does not use.
fn stray(kind: &str, fields: &[(&str, bool)]) -> Result<(), String> {
    let extra: Vec<&str> = fields.iter().filter(|f| f.1).map(|f| f.0).collect();
    if extra.is_empty() {
        Ok(())
    } else {
        Err(format!("kind \"{kind}\" does not use {}", extra.join(", ")))
    }
}

impl TryFrom<RawCommunity> for Community {
    type Error = String;
    fn try_from(r: RawCommunity) -> Result<Community, String> {
        let epi = [
            ("r0", r.r0.is_some()),
            ("population", r.population.is_some()),
            ("initialInfected", r.initial_infected.is_some()),
            ("infectiousDays", r.infectious_days.is_some()),
            ("latentDays", r.latent_days.is_some()),
            ("startDay", r.start_day.is_some()),
            ("exposureFactor", r.exposure_factor.is_some()),
        ];
        match r.kind {
            CommunityKind::Flat => {
                stray(
                    "flat",
                    &[&[("values", r.values.is_some())], &epi[..]].concat(),
                )?;
                Ok(Community::Flat(FlatCommunity {
                    daily_probability: r.daily_probability.unwrap_or_else(d_flat),
                }))
            }
            CommunityKind::Series => {
                stray(
                    "series",
                    &[
                        &[("dailyProbability", r.daily_probability.is_some())],
                        &epi[..],
                    ]
                    .concat(),
                )?;
                Ok(Community::Series(SeriesCommunity {
                    values: r
                        .values
                        .ok_or("kind \"series\" needs `values`, one probability per day")?,
                }))
            }
            CommunityKind::Sir | CommunityKind::Seir => {
                let name = if r.kind == CommunityKind::Sir {
                    "sir"
                } else {
                    "seir"
                };
                stray(
                    name,
                    &[
                        ("dailyProbability", r.daily_probability.is_some()),
                        ("values", r.values.is_some()),
                    ],
                )?;
                // latentDays on "sir" is kept so validation reports it with its path.
                let e = Epidemic {
                    r0: r.r0.unwrap_or_else(d_r0),
                    population: r.population.unwrap_or_else(d_population),
                    initial_infected: r.initial_infected.unwrap_or_else(d_initial),
                    infectious_days: r.infectious_days.unwrap_or_else(d_epi_infectious),
                    latent_days: r.latent_days,
                    start_day: r.start_day.unwrap_or(0),
                    exposure_factor: r.exposure_factor.unwrap_or_else(d_one),
                };
                Ok(if r.kind == CommunityKind::Sir {
                    Community::Sir(e)
                } else {
                    Community::Seir(e)
                })
            }
        }
    }
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "camelCase")]
enum PolicyKind {
    None,
    Quarantine,
    TestToRelease,
    WorkExemption,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RawPolicy {
    kind: PolicyKind,
    days: Option<u32>,
    test_day: Option<u32>,
    test_sensitivity: Option<f64>,
}

impl TryFrom<RawPolicy> for Policy {
    type Error = String;
    fn try_from(r: RawPolicy) -> Result<Policy, String> {
        let (days, test_day, sens) = (
            ("days", r.days.is_some()),
            ("testDay", r.test_day.is_some()),
            ("testSensitivity", r.test_sensitivity.is_some()),
        );
        Ok(match r.kind {
            PolicyKind::None => {
                stray("none", &[days, test_day, sens])?;
                Policy::None
            }
            PolicyKind::Quarantine => {
                stray("quarantine", &[test_day, sens])?;
                Policy::Quarantine {
                    days: r.days.unwrap_or_else(d_quarantine),
                }
            }
            PolicyKind::TestToRelease => Policy::TestToRelease {
                days: r.days.unwrap_or_else(d_quarantine),
                test_day: r.test_day.unwrap_or_else(d_test_day),
                test_sensitivity: r.test_sensitivity.unwrap_or_else(d_pcr),
            },
            PolicyKind::WorkExemption => {
                stray("workExemption", &[test_day])?;
                Policy::WorkExemption {
                    days: r.days.unwrap_or_else(d_exempt_days),
                    test_sensitivity: r.test_sensitivity.unwrap_or_else(d_antigen),
                }
            }
        })
    }
}

/// Parses a scenario file. Errors name the field path and the line; a file of a newer
/// format version is refused before its fields are misread.
pub fn scenario_from_json(text: &str, file: &str) -> Result<Scenario, FormatError> {
    crate::formats::versioned_from_json(text, file, "scenario", SCENARIO_FORMAT_VERSION)
}

struct Errors(Vec<FieldError>);

impl Errors {
    fn push(&mut self, path: impl Into<String>, message: impl fmt::Display) {
        self.0.push(FieldError {
            path: path.into(),
            message: message.to_string(),
        });
    }
    fn prob(&mut self, path: &str, p: f64) {
        if !(0.0..=1.0).contains(&p) {
            self.push(path, format!("must be a probability in [0, 1], is {p}"));
        }
    }
    fn at_least(&mut self, path: &str, v: f64, min: f64) {
        if !v.is_finite() || v < min {
            self.push(path, format!("must be at least {min}, is {v}"));
        }
    }
    fn days(&mut self, path: &str, v: u32) {
        if v == 0 {
            self.push(path, "must be at least 1 day, is 0");
        }
    }
}

impl Scenario {
    /// Checks every parameter against its range and the project; each error names its field
    /// path, e.g. `transmission.sameShift`.
    pub fn validate(&self, inst: &Instance) -> Result<(), Vec<FieldError>> {
        let mut e = Errors(Vec::new());
        if self.format_version > SCENARIO_FORMAT_VERSION {
            e.push("formatVersion", format!("the scenario is format version {}, this Bemanna reads up to {SCENARIO_FORMAT_VERSION}; update Bemanna", self.format_version));
        }
        if self.name.trim().is_empty() {
            e.push("name", "is empty");
        }
        if let Some(d) = self.days {
            if d == 0 || d > 366 {
                e.push("days", format!("must be 1–366, is {d}"));
            }
        }
        match &self.community {
            Community::Flat(f) => e.prob("community.dailyProbability", f.daily_probability),
            Community::Series(s) => {
                if s.values.is_empty() {
                    e.push("community.values", "is empty; give one probability per day");
                }
                for (i, &p) in s.values.iter().enumerate() {
                    e.prob(&format!("community.values[{i}]"), p);
                }
            }
            Community::Sir(x) | Community::Seir(x) => {
                let seir = matches!(self.community, Community::Seir(_));
                e.at_least("community.r0", x.r0, 0.0);
                e.at_least("community.population", x.population, 1.0);
                e.at_least("community.initialInfected", x.initial_infected, 0.0);
                if x.initial_infected > x.population {
                    e.push(
                        "community.initialInfected",
                        format!(
                            "is larger than the population ({} > {})",
                            x.initial_infected, x.population
                        ),
                    );
                }
                e.at_least("community.infectiousDays", x.infectious_days, 1.0);
                match (seir, x.latent_days) {
                    (true, Some(l)) => e.at_least("community.latentDays", l, 1.0),
                    (false, Some(_)) => e.push(
                        "community.latentDays",
                        "applies to kind \"seir\" only; remove it or use \"seir\"",
                    ),
                    _ => {}
                }
                if !(-366..=366).contains(&x.start_day) {
                    e.push(
                        "community.startDay",
                        format!("must be within ±366 days, is {}", x.start_day),
                    );
                }
                e.at_least("community.exposureFactor", x.exposure_factor, 0.0);
            }
        }
        let t = &self.transmission;
        e.prob("transmission.sameUnitDay", t.same_unit_day);
        e.prob("transmission.sameShift", t.same_shift);
        e.prob("transmission.patientToStaff", t.patient_to_staff);
        let d = &self.disease;
        e.days("disease.latentDays", d.latent_days);
        e.days("disease.incubationDays", d.incubation_days);
        e.days("disease.infectiousDays", d.infectious_days);
        e.days("disease.isolationDays", d.isolation_days);
        e.prob("disease.asymptomaticShare", d.asymptomatic_share);
        if d.incubation_days >= d.latent_days.saturating_add(d.infectious_days) {
            e.push(
                "disease.incubationDays",
                format!(
                    "symptoms must start while infectious (before day latentDays + infectiousDays = {})",
                    d.latent_days.saturating_add(d.infectious_days)
                ),
            );
        }
        match &self.policy {
            Policy::None => {}
            Policy::Quarantine { days } => e.days("policy.days", *days),
            Policy::TestToRelease {
                days,
                test_day,
                test_sensitivity,
            } => {
                e.days("policy.days", *days);
                e.days("policy.testDay", *test_day);
                if test_day > days {
                    e.push(
                        "policy.testDay",
                        format!("must fall within the quarantine (≤ days = {days}), is {test_day}"),
                    );
                }
                e.prob("policy.testSensitivity", *test_sensitivity);
            }
            Policy::WorkExemption {
                days,
                test_sensitivity,
            } => {
                e.days("policy.days", *days);
                e.prob("policy.testSensitivity", *test_sensitivity);
            }
        }
        if self.contact_window_days > MAX_CONTACT_WINDOW_DAYS {
            e.push(
                "contactWindowDays",
                format!(
                    "must be at most {MAX_CONTACT_WINDOW_DAYS}, is {}",
                    self.contact_window_days
                ),
            );
        }
        let b = &self.baseline_sickness;
        e.prob("baselineSickness.dailyRate", b.daily_rate);
        e.at_least("baselineSickness.meanDays", b.mean_days, 1.0);
        if let Some(p) = &self.patients {
            for (id, &n) in &p.initial {
                let path = format!("patients.initial.{id}");
                match inst.unit_index(id) {
                    None => e.push(path, format!("unknown unit `{id}`")),
                    Some(u) => {
                        let beds = inst.project.units[u].beds;
                        if n > beds {
                            e.push(
                                path,
                                format!("{n} infected patients but the unit has {beds} beds"),
                            );
                        }
                    }
                }
            }
            e.prob("patients.staffToPatient", p.staff_to_patient);
            e.days("patients.recoveryDays", p.recovery_days);
        }
        if e.0.is_empty() {
            Ok(())
        } else {
            Err(e.0)
        }
    }

    /// Horizon in days: the scenario's own, else the project's.
    pub fn horizon(&self, inst: &Instance) -> usize {
        self.days.map_or(inst.n_days(), |d| d as usize)
    }

    /// Community infection probability per staff member for each day `0..days`.
    pub fn community_curve(&self, days: usize) -> Vec<f64> {
        match &self.community {
            Community::Flat(f) => vec![f.daily_probability; days],
            Community::Series(s) => (0..days)
                .map(|d| s.values.get(d).or(s.values.last()).copied().unwrap_or(0.0))
                .collect(),
            Community::Sir(x) => epidemic_curve(x, None, days),
            Community::Seir(x) => {
                epidemic_curve(x, Some(x.latent_days.unwrap_or(DEFAULT_SEIR_LATENT)), days)
            }
        }
    }
}

/// New infections per day of a discrete-time SIR/SEIR (one step a day), as a probability
/// per staff member. Infection uses 1 − exp(−βI/N) so a day never infects more than are
/// susceptible, which keeps the total within the population.
fn epidemic_curve(x: &Epidemic, latent: Option<f64>, days: usize) -> Vec<f64> {
    let n = x.population.max(1.0);
    let beta = x.r0 / x.infectious_days;
    let gamma = 1.0 / x.infectious_days;
    let sigma = latent.map(|l| 1.0 / l);
    // SEIR seeds its initial infected across E and I as in the growth phase (the dominant
    // eigenvector of the linearised step), so the curve rises from the start instead of
    // dipping while the first latent cohort matures.
    let exposed_share = match sigma {
        Some(sg) => {
            let lambda =
                ((2.0 - sg - gamma) + ((sg - gamma).powi(2) + 4.0 * beta * sg).sqrt()) / 2.0;
            let ratio = beta / (lambda - 1.0 + sg);
            ratio / (1.0 + ratio)
        }
        None => 0.0,
    };
    let (mut s, mut e, mut i) = (
        n - x.initial_infected,
        x.initial_infected * exposed_share,
        x.initial_infected * (1.0 - exposed_share),
    );
    let mut out = vec![0.0; days];
    let steps = days as i64 - i64::from(x.start_day);
    for tau in 0..steps.max(0) {
        let new = s * (1.0 - (-beta * i / n).exp());
        let recovered = gamma * i;
        s -= new;
        match sigma {
            Some(sg) => {
                let onset = sg * e;
                e += new - onset;
                i += onset - recovered;
            }
            None => i += new - recovered,
        }
        let d = tau + i64::from(x.start_day);
        if d >= 0 && (d as usize) < days {
            out[d as usize] = (x.exposure_factor * new / n).clamp(0.0, 1.0);
        }
    }
    out
}

/// Which patient group a crew cares for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cohort {
    /// Patients not (known to be) infected.
    Clean,
    /// Infected patients (kohortisolering).
    Isolation,
}

/// Staff who worked together on one unit, shift and cohort on a day.
#[derive(Clone, Copy, Debug)]
pub struct Crew<'a> {
    /// Unit index.
    pub unit: usize,
    /// Shift index.
    pub shift: usize,
    /// Cohort within the unit.
    pub cohort: Cohort,
    /// Staff indexes into `inst.project.staff`.
    pub staff: &'a [usize],
}

/// A wave absence as known on the current day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WaveAbsence {
    /// `Isolasjon`, `Karantene` or `Sykdom`.
    pub kind: AbsenceKind,
    /// Day the absence was announced.
    pub known_since: usize,
    /// Last day as known now, inclusive (a quarantine may end earlier after a negative test).
    pub until: usize,
}

const NEVER: u32 = u32::MAX;

/// One staff member's state.
#[derive(Clone, Copy, Debug)]
struct Person {
    /// Day of infection, or NEVER.
    infected: u32,
    /// Gets symptoms (drawn at infection).
    symptomatic: bool,
    /// A confirmed case (isolated once; known immune, never quarantined again).
    confirmed: bool,
    /// Isolation or quarantine.
    wave: Option<WaveAbsence>,
    /// Baseline sick spell (first and last day), or NEVER.
    sick_from: u32,
    sick_until: u32,
    /// Test-to-release: the release test day, or NEVER.
    test_day: u32,
    /// Work exemption: last day of daily tests, or NEVER.
    test_until: u32,
}

const HEALTHY: Person = Person {
    infected: NEVER,
    symptomatic: false,
    confirmed: false,
    wave: None,
    sick_from: NEVER,
    sick_until: NEVER,
    test_day: NEVER,
    test_until: NEVER,
};

/// One crew of a past day, kept for contact tracing.
#[derive(Clone, Copy, Debug)]
struct Group {
    unit: usize,
    shift: usize,
    start: usize,
    end: usize,
}

/// Crews of one past day.
#[derive(Clone, Debug, Default)]
struct DayCrews {
    day: u32,
    members: Vec<usize>,
    groups: Vec<Group>,
}

/// One scenario's state, advanced a day at a time. Creation allocates a few small buffers;
/// `begin_day`/`end_day` reuse them.
pub struct Wave<'a> {
    sc: &'a Scenario,
    inst: &'a Instance,
    days: usize,
    today: usize,
    rng: Rng,
    community: Vec<f64>,
    people: Vec<Person>,
    /// Ring of the last `contact_window_days` days' crews.
    ring: Vec<DayCrews>,
    queue: Vec<usize>,
    contact_last: Vec<u32>,
    touched: Vec<usize>,
    crew_inf: Vec<u32>,
    unit_inf: Vec<u32>,
    beds: Vec<u32>,
    /// `arrivals[u * days + d]`: patients of unit u counted from day d.
    arrivals: Vec<u32>,
    patients_now: Vec<u32>,
    patients_ever: Vec<u32>,
    /// ln(1 − 1/meanDays) for geometric spell lengths.
    ln_stay: f64,
}

impl<'a> Wave<'a> {
    /// A scenario over `days` days with its own seed. The scenario should be validated.
    pub fn new(sc: &'a Scenario, inst: &'a Instance, days: usize, seed: u64) -> Wave<'a> {
        let n_units = inst.n_units();
        let window = sc.contact_window_days as usize;
        let n_arrivals = if sc.patients.is_some() {
            n_units * days
        } else {
            0
        };
        let mut arrivals = vec![0; n_arrivals];
        let mut patients_ever = vec![0; n_units];
        if let Some(p) = &sc.patients {
            for (id, &n) in &p.initial {
                if let (Some(u), true) = (inst.unit_index(id), days > 0) {
                    arrivals[u * days] += n;
                    patients_ever[u] += n;
                }
            }
        }
        let mean = sc.baseline_sickness.mean_days;
        Wave {
            sc,
            inst,
            days,
            today: 0,
            rng: Rng::new(seed),
            community: sc.community_curve(days),
            people: vec![HEALTHY; inst.n_staff()],
            ring: (0..window)
                .map(|_| DayCrews {
                    day: NEVER,
                    ..Default::default()
                })
                .collect(),
            queue: Vec::new(),
            contact_last: vec![NEVER; inst.n_staff()],
            touched: Vec::new(),
            crew_inf: Vec::new(),
            unit_inf: vec![0; n_units],
            beds: inst.project.units.iter().map(|u| u.beds).collect(),
            arrivals,
            patients_now: vec![0; n_units],
            patients_ever,
            ln_stay: if mean > 1.0 {
                (1.0 - 1.0 / mean).ln()
            } else {
                0.0
            },
        }
    }

    fn infectious(&self, e: usize, d: usize) -> bool {
        let i = self.people[e].infected;
        if i == NEVER {
            return false;
        }
        let start = i as usize + self.sc.disease.latent_days as usize;
        d >= start && d < start + self.sc.disease.infectious_days as usize
    }

    fn infect(&mut self, e: usize, d: usize) {
        let asym = self.sc.disease.asymptomatic_share;
        let p = &mut self.people[e];
        p.infected = d as u32;
        p.symptomatic = self.rng.unit() >= asym;
    }

    /// Confirms a case: isolation from today, and queued for contact tracing.
    fn confirm(&mut self, e: usize, d: usize) {
        let p = &mut self.people[e];
        if p.confirmed {
            return;
        }
        p.confirmed = true;
        p.wave = Some(WaveAbsence {
            kind: AbsenceKind::Isolasjon,
            known_since: d,
            until: (d + self.sc.disease.isolation_days as usize)
                .saturating_sub(1)
                .max(d),
        });
        p.test_day = NEVER;
        p.test_until = NEVER;
        self.queue.push(e);
    }

    /// A test of staff e today: positive with the test's sensitivity while infectious.
    fn test(&mut self, e: usize, d: usize, sensitivity: f64) -> bool {
        self.infectious(e, d) && self.rng.unit() < sensitivity
    }

    /// Starts day `d` (0, 1, 2, … in order), before the day's roster is repaired:
    /// community infections, symptom detection and isolation, policy tests and releases,
    /// contact tracing of new cases, baseline sickness, patient counts.
    pub fn begin_day(&mut self, d: usize) {
        self.today = d;
        let du = d as u32;
        let n = self.people.len();

        let p = self.community.get(d).copied().unwrap_or(0.0);
        if p > 0.0 {
            for e in 0..n {
                if self.people[e].infected == NEVER && self.rng.unit() < p {
                    self.infect(e, d);
                }
            }
        }

        let sc = self.sc;
        let incubation = sc.disease.incubation_days;
        for e in 0..n {
            let pe = &mut self.people[e];
            if pe.wave.is_some_and(|a| a.until < d) {
                pe.wave = None;
            }
            if pe.test_until != NEVER && pe.test_until < du {
                pe.test_until = NEVER;
            }
            let pe = *pe;
            if pe.confirmed {
                continue;
            }
            if pe.symptomatic && pe.infected != NEVER && pe.infected + incubation == du {
                self.confirm(e, d);
                continue;
            }
            match sc.policy {
                Policy::TestToRelease {
                    test_sensitivity, ..
                } if pe.test_day == du => {
                    self.people[e].test_day = NEVER;
                    if self.test(e, d, test_sensitivity) {
                        self.confirm(e, d);
                    } else if pe.wave.is_some_and(|a| a.kind == AbsenceKind::Karantene) {
                        self.people[e].wave = None;
                    }
                }
                Policy::WorkExemption {
                    test_sensitivity, ..
                } if pe.test_until != NEVER && self.test(e, d, test_sensitivity) => {
                    self.confirm(e, d);
                }
                _ => {}
            }
        }

        self.trace(d);

        let b = &sc.baseline_sickness;
        if b.daily_rate > 0.0 {
            for e in 0..n {
                let pe = self.people[e];
                // Spells start among staff at work; the day after a spell is a day at work,
                // so the absent share is rate × mean / (1 + rate × mean).
                // Staff away in the project itself (ferie, fri) start no spell either.
                let on_leave = self
                    .inst
                    .absent
                    .get(e)
                    .and_then(|a| a.get(d))
                    .is_some_and(Option::is_some);
                let at_work = !on_leave
                    && pe.wave.is_none()
                    && (pe.sick_until == NEVER || pe.sick_until + 1 < du);
                if at_work && self.rng.unit() < b.daily_rate {
                    let len = if self.ln_stay < 0.0 {
                        let u = 1.0 - self.rng.unit();
                        1 + ((u.ln() / self.ln_stay).floor() as u32).min(1000)
                    } else {
                        1
                    };
                    let pe = &mut self.people[e];
                    pe.sick_from = du;
                    pe.sick_until = du + len - 1;
                }
            }
        }

        if let (Some(pt), true) = (&sc.patients, d < self.days) {
            let rec = pt.recovery_days as usize;
            for u in 0..self.patients_now.len() {
                self.patients_now[u] += self.arrivals[u * self.days + d];
                if d >= rec && d - rec < self.days {
                    self.patients_now[u] -= self.arrivals[u * self.days + d - rec];
                }
            }
        }
    }

    /// Traces the queued new cases: everyone who shared a unit and shift with one of them
    /// in the window before today, handled under the policy. A contact found positive at
    /// once (work exemption) is traced in turn.
    fn trace(&mut self, d: usize) {
        let window = self.ring.len();
        if matches!(self.sc.policy, Policy::None) || window == 0 {
            self.queue.clear();
            return;
        }
        let mut qi = 0;
        while qi < self.queue.len() {
            let case = self.queue[qi];
            qi += 1;
            for t in d.saturating_sub(window)..d {
                let dc = &self.ring[t % window];
                if dc.day != t as u32 {
                    continue;
                }
                for g in &dc.groups {
                    if !dc.members[g.start..g.end].contains(&case) {
                        continue;
                    }
                    for h in dc
                        .groups
                        .iter()
                        .filter(|h| h.unit == g.unit && h.shift == g.shift)
                    {
                        for &m in &dc.members[h.start..h.end] {
                            if m != case {
                                if self.contact_last[m] == NEVER {
                                    self.touched.push(m);
                                }
                                self.contact_last[m] = t as u32;
                            }
                        }
                    }
                }
            }
            for k in 0..self.touched.len() {
                let m = self.touched[k];
                let last = self.contact_last[m] as usize;
                self.contact_last[m] = NEVER;
                self.handle_contact(m, last, d);
            }
            self.touched.clear();
        }
        self.queue.clear();
    }

    /// Applies the policy to close contact m (last contact on day `last`), found on day d.
    fn handle_contact(&mut self, m: usize, last: usize, d: usize) {
        let p = self.people[m];
        // Known cases are immune; the isolated or quarantined are not quarantined again.
        if p.confirmed || p.wave.is_some() || p.test_until != NEVER {
            return;
        }
        let quarantine = |until: usize| WaveAbsence {
            kind: AbsenceKind::Karantene,
            known_since: d,
            until,
        };
        match self.sc.policy {
            Policy::None => {}
            Policy::Quarantine { days } => {
                let until = last + days as usize;
                if until >= d {
                    self.people[m].wave = Some(quarantine(until));
                }
            }
            Policy::TestToRelease { days, test_day, .. } => {
                let until = last + days as usize;
                if until >= d {
                    let pe = &mut self.people[m];
                    pe.wave = Some(quarantine(until));
                    let td = (last + test_day as usize).max(d + 1);
                    if td <= until {
                        pe.test_day = td as u32;
                    }
                }
            }
            Policy::WorkExemption {
                days,
                test_sensitivity,
            } => {
                let until = last + days as usize;
                if until >= d {
                    self.people[m].test_until = until as u32;
                    if self.test(m, d, test_sensitivity) {
                        self.confirm(m, d);
                    }
                }
            }
        }
    }

    /// Status of staff `e` on the current day: isolation or quarantine first, then baseline
    /// sick leave.
    pub fn absent(&self, e: usize) -> Option<WaveAbsence> {
        let p = &self.people[e];
        if let Some(a) = p.wave {
            if a.until >= self.today {
                return Some(a);
            }
        }
        let d = self.today as u32;
        if p.sick_until != NEVER && p.sick_from <= d && d <= p.sick_until {
            return Some(WaveAbsence {
                kind: AbsenceKind::Sykdom,
                known_since: p.sick_from as usize,
                until: p.sick_until as usize,
            });
        }
        None
    }

    /// Ends day `d` once its roster is final: transmission among those who worked together
    /// (and from infected patients to isolation-cohort staff, and from infectious staff to
    /// clean-cohort patients); the crews are kept for contact tracing.
    pub fn end_day(&mut self, d: usize, crews: &[Crew]) {
        let sc = self.sc;
        let tr = &sc.transmission;
        self.crew_inf.clear();
        self.unit_inf.fill(0);
        for c in crews {
            let k = c.staff.iter().filter(|&&e| self.infectious(e, d)).count() as u32;
            self.crew_inf.push(k);
            self.unit_inf[c.unit] += k;
        }
        for (ci, c) in crews.iter().enumerate() {
            let same = self.crew_inf[ci];
            let others = self.unit_inf[c.unit] - same;
            // Without a patient model an isolation crew implies infected patients.
            let patients = c.cohort == Cohort::Isolation
                && (sc.patients.is_none() || self.patients_now[c.unit] > 0);
            if same > 0 || others > 0 || patients {
                let mut escape = (1.0 - tr.same_shift).powi(same as i32)
                    * (1.0 - tr.same_unit_day).powi(others as i32);
                if patients {
                    escape *= 1.0 - tr.patient_to_staff;
                }
                for &e in c.staff {
                    if self.people[e].infected == NEVER && self.rng.unit() >= escape {
                        self.infect(e, d);
                    }
                }
            }
            if let (Some(pt), Cohort::Clean, true) = (&sc.patients, c.cohort, same > 0) {
                let susceptible = self.beds[c.unit].saturating_sub(self.patients_ever[c.unit]);
                let p = 1.0 - (1.0 - pt.staff_to_patient).powi(same as i32);
                let mut new = 0;
                for _ in 0..susceptible {
                    if self.rng.unit() < p {
                        new += 1;
                    }
                }
                self.patients_ever[c.unit] += new;
                let at = d + pt.detection_days as usize;
                if at < self.days {
                    self.arrivals[c.unit * self.days + at] += new;
                }
            }
        }
        let window = self.ring.len();
        if window > 0 {
            let dc = &mut self.ring[d % window];
            dc.day = d as u32;
            dc.members.clear();
            dc.groups.clear();
            for c in crews {
                let start = dc.members.len();
                dc.members.extend_from_slice(c.staff);
                dc.groups.push(Group {
                    unit: c.unit,
                    shift: c.shift,
                    start,
                    end: dc.members.len(),
                });
            }
        }
    }

    /// Infected patients of a unit on the current day (found and in isolation).
    pub fn infected_patients(&self, unit: usize) -> u32 {
        self.patients_now.get(unit).copied().unwrap_or(0)
    }

    /// Staff currently infected (any stage up to the end of the infectious period).
    pub fn infected_staff(&self) -> usize {
        let d = self.today;
        let course = (self.sc.disease.latent_days + self.sc.disease.infectious_days) as usize;
        self.people
            .iter()
            .filter(|p| {
                p.infected != NEVER
                    && (p.infected as usize) <= d
                    && d < p.infected as usize + course
            })
            .count()
    }

    /// Staff infected so far (including recovered).
    pub fn infected_total(&self) -> usize {
        let d = self.today;
        self.people
            .iter()
            .filter(|p| p.infected != NEVER && p.infected as usize <= d)
            .count()
    }

    /// Community infection probability per staff member on day `d`.
    pub fn community_probability(&self, d: usize) -> f64 {
        self.community.get(d).copied().unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    use crate::formats::demo_instance as demo;

    const MILD: &str = include_str!("../../fixtures/scenarios/wave-mild.json");
    const SEVERE: &str = include_str!("../../fixtures/scenarios/wave-severe-2020.json");
    const SEVERE_T2R: &str =
        include_str!("../../fixtures/scenarios/wave-severe-test-to-release.json");

    /// A scenario where nothing happens unless `extra` switches it on (top-level keys of
    /// `extra` replace the quiet ones).
    fn quiet(extra: Value) -> Scenario {
        let mut base = json!({
            "formatVersion": 1, "name": "quiet",
            "community": {"kind": "flat", "dailyProbability": 0.0},
            "transmission": {"sameUnitDay": 0.0, "sameShift": 0.0, "patientToStaff": 0.0},
            "baselineSickness": {"dailyRate": 0.0}
        });
        for (k, v) in extra.as_object().unwrap() {
            base[k] = v.clone();
        }
        scenario_from_json(&base.to_string(), "quiet.json").unwrap()
    }

    type Owned = Vec<(usize, usize, Cohort, Vec<usize>)>;

    /// Runs a wave, calling `look` after each `begin_day`, with crews from `crews_of`.
    fn drive(
        w: &mut Wave,
        days: usize,
        crews_of: impl Fn(usize, &Wave) -> Owned,
        mut look: impl FnMut(usize, &Wave),
    ) {
        for d in 0..days {
            w.begin_day(d);
            look(d, w);
            let owned = crews_of(d, w);
            let crews: Vec<Crew> = owned
                .iter()
                .map(|(u, s, c, v)| Crew {
                    unit: *u,
                    shift: *s,
                    cohort: *c,
                    staff: v,
                })
                .collect();
            w.end_day(d, &crews);
        }
    }

    /// A plausible rota without the planner: each person works about their contract share
    /// of days (full time ≈ 4.5 shifts a week), in the home unit, one in six on nights and
    /// the others switching between day and evening every few days; one in five moves to the isolation cohort while their unit has infected patients.
    fn rota(inst: &Instance) -> impl Fn(usize, &Wave) -> Owned + '_ {
        move |d, w| {
            let mut out: Owned = Vec::new();
            for e in 0..inst.n_staff() {
                let sp = inst.project.staff[e].stillingsprosent / 100.0;
                let works = Rng::new(((e as u64) << 32) | d as u64).unit() < sp * 0.64;
                if !works || w.absent(e).is_some() {
                    continue;
                }
                let u = inst.home_unit[e];
                // Dedicated night staff; the others rotate between day and evening.
                let s = if e % 6 == 0 {
                    inst.n_shifts() - 1
                } else {
                    (e + d / 3) % 2
                };
                let c = if e % 5 == 0 && w.infected_patients(u) > 0 {
                    Cohort::Isolation
                } else {
                    Cohort::Clean
                };
                match out.iter_mut().find(|x| x.0 == u && x.1 == s && x.2 == c) {
                    Some(x) => x.3.push(e),
                    None => out.push((u, s, c, vec![e])),
                }
            }
            out
        }
    }

    /// Absences of every staff member on every day, and patients per unit per day.
    fn trajectory(
        sc: &Scenario,
        inst: &Instance,
        seed: u64,
    ) -> (Vec<Vec<Option<WaveAbsence>>>, Vec<Vec<u32>>) {
        let days = sc.horizon(inst);
        let mut w = Wave::new(sc, inst, days, seed);
        let (mut abs, mut pat) = (Vec::new(), Vec::new());
        drive(&mut w, days, rota(inst), |_, w| {
            abs.push((0..inst.n_staff()).map(|e| w.absent(e)).collect());
            pat.push(
                (0..inst.n_units())
                    .map(|u| w.infected_patients(u))
                    .collect(),
            );
        });
        (abs, pat)
    }

    #[test]
    fn fixtures_parse_and_validate_against_the_demo_home() {
        let inst = demo();
        for (file, text) in [
            ("wave-mild.json", MILD),
            ("wave-severe-2020.json", SEVERE),
            ("wave-severe-test-to-release.json", SEVERE_T2R),
        ] {
            let sc = scenario_from_json(text, file).unwrap_or_else(|e| panic!("{e}"));
            sc.validate(&inst)
                .unwrap_or_else(|e| panic!("{file}: {e:?}"));
            assert!(!sc.description.is_empty(), "{file}");
        }
        let severe = scenario_from_json(SEVERE, "s").unwrap();
        let t2r = scenario_from_json(SEVERE_T2R, "t").unwrap();
        assert_eq!(severe.horizon(&inst), 56);
        assert!(severe.patients.is_some() && t2r.patients.is_some());
        assert!(matches!(severe.policy, Policy::Quarantine { .. }));
        assert!(matches!(
            t2r.policy,
            Policy::TestToRelease { test_day: 7, .. }
        ));
        // The policy variant differs from the severe wave in the policy alone.
        let same = Scenario {
            name: severe.name.clone(),
            description: severe.description.clone(),
            policy: severe.policy.clone(),
            ..t2r
        };
        assert_eq!(same, severe);
    }

    #[test]
    fn omitted_parameters_take_their_documented_defaults() {
        let sc = scenario_from_json(r#"{"formatVersion": 1, "name": "x"}"#, "x.json").unwrap();
        assert_eq!(
            sc.community,
            Community::Flat(FlatCommunity {
                daily_probability: 0.0005
            })
        );
        assert_eq!(
            sc.transmission,
            Transmission {
                same_unit_day: 0.02,
                same_shift: 0.06,
                patient_to_staff: 0.01
            }
        );
        assert_eq!(
            sc.disease,
            Disease {
                latent_days: 2,
                incubation_days: 5,
                asymptomatic_share: 0.3,
                infectious_days: 7,
                isolation_days: 10
            }
        );
        assert_eq!(sc.policy, Policy::Quarantine { days: 10 });
        assert_eq!(sc.contact_window_days, 2);
        assert_eq!(
            sc.baseline_sickness,
            BaselineSickness {
                daily_rate: 0.012,
                mean_days: 6.0
            }
        );
        assert_eq!(sc.patients, None);
        assert_eq!(sc.horizon(&demo()), 28);
        let p = scenario_from_json(
            r#"{"formatVersion": 1, "name": "x", "policy": {"kind": "testToRelease"}, "patients": {}}"#,
            "x.json",
        )
        .unwrap();
        assert_eq!(
            p.policy,
            Policy::TestToRelease {
                days: 10,
                test_day: 7,
                test_sensitivity: 0.8
            }
        );
        assert_eq!(p.patients, Some(Patients::default()));
        assert_eq!(
            scenario_from_json(
                r#"{"formatVersion": 1, "name": "x", "policy": {"kind": "workExemption"}}"#,
                "x"
            )
            .unwrap()
            .policy,
            Policy::WorkExemption {
                days: 7,
                test_sensitivity: 0.7
            }
        );
        sc.validate(&demo()).unwrap();
    }

    #[test]
    fn each_bad_parameter_names_its_field() {
        let inst = demo();
        let cases = [
            (
                json!({"transmission": {"sameShift": 1.5}}),
                "transmission.sameShift",
            ),
            (
                json!({"community": {"kind": "flat", "dailyProbability": 1.5}}),
                "community.dailyProbability",
            ),
            (
                json!({"community": {"kind": "series", "values": []}}),
                "community.values",
            ),
            (
                json!({"community": {"kind": "series", "values": [0.1, -0.2]}}),
                "community.values[1]",
            ),
            (
                json!({"community": {"kind": "sir", "initialInfected": 50, "population": 10}}),
                "community.initialInfected",
            ),
            (
                json!({"community": {"kind": "sir", "latentDays": 3}}),
                "community.latentDays",
            ),
            (
                json!({"community": {"kind": "seir", "infectiousDays": 0}}),
                "community.infectiousDays",
            ),
            (
                json!({"patients": {"initial": {"XX": 2}}}),
                "patients.initial.XX",
            ),
            (
                json!({"patients": {"initial": {"KT": 17}}}),
                "patients.initial.KT",
            ),
            (
                json!({"patients": {"recoveryDays": 0}}),
                "patients.recoveryDays",
            ),
            (
                json!({"disease": {"isolationDays": 0}}),
                "disease.isolationDays",
            ),
            (
                json!({"disease": {"asymptomaticShare": -0.1}}),
                "disease.asymptomaticShare",
            ),
            (
                json!({"disease": {"incubationDays": 9}}),
                "disease.incubationDays",
            ),
            (
                json!({"policy": {"kind": "quarantine", "days": 0}}),
                "policy.days",
            ),
            (
                json!({"policy": {"kind": "testToRelease", "days": 5, "testDay": 7}}),
                "policy.testDay",
            ),
            (
                json!({"policy": {"kind": "workExemption", "testSensitivity": 2.0}}),
                "policy.testSensitivity",
            ),
            (
                json!({"baselineSickness": {"dailyRate": -0.01}}),
                "baselineSickness.dailyRate",
            ),
            (
                json!({"baselineSickness": {"meanDays": 0.5}}),
                "baselineSickness.meanDays",
            ),
            (json!({"days": 0}), "days"),
            (json!({"contactWindowDays": 99}), "contactWindowDays"),
        ];
        for (extra, path) in cases {
            let errs = quiet(extra.clone()).validate(&inst).unwrap_err();
            assert_eq!(errs.len(), 1, "{extra}: {errs:?}");
            assert_eq!(errs[0].path, path, "{extra}: {errs:?}");
        }
        // The quiet base itself is valid, so each error above comes from its one change.
        quiet(json!({})).validate(&inst).unwrap();
    }

    #[test]
    fn negative_durations_and_unknown_fields_are_refused_when_read() {
        let cases = [
            (
                r#"{"formatVersion": 1, "name": "x", "disease": {"latentDays": -2}}"#,
                "disease.latentDays",
            ),
            (r#"{"formatVersion": 1, "name": "x", "days": -5}"#, "days"),
            (
                r#"{"formatVersion": 1, "name": "x",
                 "policy": {"kind": "quarantine", "days": -10}}"#,
                "policy.days",
            ),
            (
                r#"{"formatVersion": 1, "name": "x", "transmision": {}}"#,
                "transmision",
            ),
            (
                r#"{"formatVersion": 1, "name": "x", "transmission": {"sameshift": 0.1}}"#,
                "transmission.sameshift",
            ),
            (
                r#"{"formatVersion": 1, "name": "x", "policy": {"kind": "lockdown"}}"#,
                "policy.kind",
            ),
        ];
        for (text, path) in cases {
            let e = scenario_from_json(text, "s.json").unwrap_err();
            assert_eq!(e.problems[0].path, path, "{text}: {e}");
            assert!(e.to_string().contains("line "), "{e}");
        }
        let e = scenario_from_json(
            "{\"formatVersion\": 1,\n\"name\": \"x\",\n\"disease\": {\"latentDays\": -2}}",
            "s.json",
        )
        .unwrap_err();
        assert!(e.to_string().contains("line 3"), "{e}");
    }

    #[test]
    fn kinds_refuse_fields_they_do_not_use_and_name_bad_ones() {
        let cases = [
            (
                r#"{"kind": "flat", "r0": 2}"#,
                "community",
                "does not use r0",
            ),
            (r#"{"kind": "series"}"#, "community", "needs `values`"),
            (
                r#"{"kind": "seir", "r0": "high"}"#,
                "community.r0",
                "expected f64",
            ),
            (
                r#"{"kind": "sir", "startDay": 1.5}"#,
                "community.startDay",
                "expected i32",
            ),
            (
                r#"{"kind": "sir", "r0": 2, "beta": 1}"#,
                "community.beta",
                "unknown field",
            ),
        ];
        for (community, path, msg) in cases {
            let text = format!(r#"{{"formatVersion": 1, "name": "x", "community": {community}}}"#);
            let e = scenario_from_json(&text, "s.json").unwrap_err();
            assert_eq!(e.problems[0].path, path, "{e}");
            assert!(e.problems[0].message.contains(msg), "{e}");
        }
        let e = scenario_from_json(
            r#"{"formatVersion": 1, "name": "x", "policy": {"kind": "quarantine", "testDay": 7}}"#,
            "s.json",
        )
        .unwrap_err();
        assert_eq!(e.problems[0].path, "policy");
        assert!(
            e.problems[0].message.contains("does not use testDay"),
            "{e}"
        );
    }

    #[test]
    fn scenarios_survive_a_round_trip() {
        for text in [MILD, SEVERE, SEVERE_T2R] {
            let sc = scenario_from_json(text, "s").unwrap();
            let back =
                scenario_from_json(&serde_json::to_string_pretty(&sc).unwrap(), "s").unwrap();
            assert_eq!(back, sc);
        }
        for policy in [
            Policy::None,
            Policy::WorkExemption {
                days: 5,
                test_sensitivity: 0.6,
            },
        ] {
            let sc = Scenario {
                policy,
                ..quiet(json!({}))
            };
            let back = scenario_from_json(&serde_json::to_string(&sc).unwrap(), "s").unwrap();
            assert_eq!(back, sc);
        }
    }

    #[test]
    fn a_newer_format_version_is_refused() {
        let e = scenario_from_json(
            r#"{"formatVersion": 2, "name": "x", "future": true}"#,
            "s.json",
        )
        .unwrap_err();
        assert_eq!(e.problems[0].path, "formatVersion");
        assert!(e.problems[0].message.contains("update Bemanna"), "{e}");
        let mut sc = quiet(json!({}));
        sc.format_version = 2;
        assert_eq!(sc.validate(&demo()).unwrap_err()[0].path, "formatVersion");
    }

    #[test]
    fn same_seed_same_trajectory_other_seed_other() {
        let inst = demo();
        let sc = scenario_from_json(SEVERE, "s").unwrap();
        let a = trajectory(&sc, &inst, 42);
        assert_eq!(a, trajectory(&sc, &inst, 42));
        assert_ne!(a.0, trajectory(&sc, &inst, 43).0);
        assert!(a
            .0
            .iter()
            .flatten()
            .any(|x| x.is_some_and(|x| x.kind == AbsenceKind::Isolasjon)));
    }

    #[test]
    fn flat_community_rate_is_met() {
        let inst = demo();
        let sc =
            quiet(json!({"community": {"kind": "flat", "dailyProbability": 0.002}, "days": 56}));
        let (mut at_risk, mut infected) = (0u64, 0u64);
        for seed in 0..400 {
            let mut w = Wave::new(&sc, &inst, 56, seed);
            for d in 0..56 {
                at_risk += w.people.iter().filter(|p| p.infected == NEVER).count() as u64;
                w.begin_day(d);
                infected += w.people.iter().filter(|p| p.infected == d as u32).count() as u64;
                w.end_day(d, &[]);
            }
        }
        let rate = infected as f64 / at_risk as f64;
        assert!((rate - 0.002).abs() < 0.002 * 0.06, "rate {rate}");
    }

    /// Staff 0 (infected on day 0, symptoms on day 5) shares the day shift with staff 1 and
    /// 2 on days 3 and 4; staff 3 works the evening in the same unit; staff 4 worked with
    /// staff 0 on day 1, before the 2-day window. `setup` may infect others.
    /// The first five staff of unit 0: the crews of the outbreak tests.
    fn unit0(inst: &Instance) -> Vec<usize> {
        (0..inst.n_staff())
            .filter(|&e| inst.home_unit[e] == 0)
            .take(5)
            .collect()
    }

    fn outbreak(policy: Value, setup: impl Fn(&mut Wave)) -> Vec<Vec<Option<WaveAbsence>>> {
        let inst = demo();
        let sc = quiet(json!({ "policy": policy, "days": 28 }));
        let s = unit0(&inst);
        let mut w = Wave::new(&sc, &inst, 28, 1);
        w.people[s[0]].infected = 0;
        w.people[s[0]].symptomatic = true;
        setup(&mut w);
        let mut abs = Vec::new();
        let crews = |d: usize, _: &Wave| -> Owned {
            match d {
                1 => vec![(0, 0, Cohort::Clean, vec![s[0], s[4]])],
                3 | 4 => vec![
                    (0, 0, Cohort::Clean, vec![s[0], s[1]]),
                    (0, 0, Cohort::Isolation, vec![s[2]]),
                    (0, 1, Cohort::Clean, vec![s[3]]),
                ],
                _ => vec![],
            }
        };
        drive(&mut w, 28, crews, |_, w| {
            abs.push(s.iter().map(|&e| w.absent(e)).collect())
        });
        abs
    }

    fn wa(kind: AbsenceKind, known_since: usize, until: usize) -> Option<WaveAbsence> {
        Some(WaveAbsence {
            kind,
            known_since,
            until,
        })
    }

    fn days_absent(abs: &[Vec<Option<WaveAbsence>>], i: usize) -> Vec<usize> {
        (0..abs.len()).filter(|&d| abs[d][i].is_some()).collect()
    }

    #[test]
    fn quarantine_covers_the_shift_contacts_for_their_days() {
        use AbsenceKind::*;
        let abs = outbreak(json!({"kind": "quarantine", "days": 10}), |_| {});
        assert_eq!(abs[5][0], wa(Isolasjon, 5, 14));
        assert_eq!(days_absent(&abs, 0), (5..=14).collect::<Vec<_>>());
        // Ten days after the last contact (day 4), announced on the detection day.
        for i in [1, 2] {
            assert_eq!(abs[5][i], wa(Karantene, 5, 14), "staff {i}");
            assert_eq!(
                days_absent(&abs, i),
                (5..=14).collect::<Vec<_>>(),
                "staff {i}"
            );
        }
        assert!(
            days_absent(&abs, 3).is_empty(),
            "other shift is no close contact"
        );
        assert!(days_absent(&abs, 4).is_empty(), "contact before the window");
    }

    #[test]
    fn the_quarantined_are_not_quarantined_again() {
        let inst = demo();
        let sc = quiet(json!({"policy": {"kind": "quarantine", "days": 10}}));
        let s = &unit0(&inst)[..3];
        let mut w = Wave::new(&sc, &inst, 28, 1);
        for (i, day) in [(0, 0), (2, 1)] {
            w.people[s[i]].infected = day; // symptoms on days 5 and 6
            w.people[s[i]].symptomatic = true;
        }
        let mut seen = Vec::new();
        let crews = |d: usize, _: &Wave| -> Owned {
            match d {
                3 => vec![(0, 0, Cohort::Clean, vec![s[0], s[1]])],
                4 => vec![(0, 1, Cohort::Clean, vec![s[2], s[1]])],
                _ => vec![],
            }
        };
        drive(&mut w, 28, crews, |_, w| seen.push(w.absent(s[1])));
        let q = Some(WaveAbsence {
            kind: AbsenceKind::Karantene,
            known_since: 5,
            until: 13,
        });
        // The second case (day 6, last contact day 4) leaves the first quarantine as it was.
        assert_eq!(seen[6], q);
        assert_eq!(seen[13], q);
        assert_eq!(seen[14], None);
    }

    #[test]
    fn isolation_trumps_quarantine() {
        use AbsenceKind::*;
        let inst = demo();
        let s2 = unit0(&inst)[2];
        let abs = outbreak(json!({"kind": "quarantine", "days": 10}), |w| {
            w.people[s2].infected = 3;
            w.people[s2].symptomatic = true;
        });
        assert_eq!(abs[7][2], wa(Karantene, 5, 14));
        assert_eq!(abs[8][2], wa(Isolasjon, 8, 17));
        assert_eq!(days_absent(&abs, 2), (5..=17).collect::<Vec<_>>());
    }

    #[test]
    fn test_to_release_frees_negatives_on_the_test_day() {
        use AbsenceKind::*;
        let inst = demo();
        let s2 = unit0(&inst)[2];
        // Staff 2 is infected without symptoms on day 4: infectious on days 6–12.
        let abs = outbreak(
            json!({"kind": "testToRelease", "days": 10, "testDay": 7, "testSensitivity": 1.0}),
            |w| w.people[s2].infected = 4,
        );
        assert_eq!(abs[5][1], wa(Karantene, 5, 14));
        assert_eq!(
            days_absent(&abs, 1),
            (5..=10).collect::<Vec<_>>(),
            "released on day 4 + 7"
        );
        assert_eq!(abs[10][2], wa(Karantene, 5, 14));
        assert_eq!(
            abs[11][2],
            wa(Isolasjon, 11, 20),
            "a positive release test isolates"
        );
        assert_eq!(days_absent(&abs, 0), (5..=14).collect::<Vec<_>>());
    }

    #[test]
    fn work_exemption_keeps_asymptomatic_contacts_at_work() {
        use AbsenceKind::*;
        let inst = demo();
        let s2 = unit0(&inst)[2];
        let abs = outbreak(
            json!({"kind": "workExemption", "days": 7, "testSensitivity": 1.0}),
            |w| w.people[s2].infected = 4,
        );
        assert!(days_absent(&abs, 1).is_empty());
        // Negative on day 5 (not yet infectious), positive in the daily test on day 6.
        assert_eq!(abs[6][2], wa(Isolasjon, 6, 15));
        assert_eq!(days_absent(&abs, 2), (6..=15).collect::<Vec<_>>());
        assert_eq!(days_absent(&abs, 0), (5..=14).collect::<Vec<_>>());
    }

    #[test]
    fn no_policy_isolates_cases_only() {
        let inst = demo();
        let s2 = unit0(&inst)[2];
        let abs = outbreak(json!({"kind": "none"}), |w| w.people[s2].infected = 4);
        assert_eq!(days_absent(&abs, 0), (5..=14).collect::<Vec<_>>());
        for i in 1..5 {
            assert!(days_absent(&abs, i).is_empty(), "staff {i}");
        }
    }

    #[test]
    fn work_transmission_follows_shared_shifts() {
        let inst = demo();
        let sc = quiet(
            json!({"transmission": {"sameShift": 1.0, "sameUnitDay": 0.0, "patientToStaff": 0.0},
                              "policy": {"kind": "none"}}),
        );
        let mut w = Wave::new(&sc, &inst, 28, 3);
        w.people[0].infected = 0;
        w.begin_day(2);
        // Staff 0 is infectious from day 2: its crew is infected, the other crew is not.
        w.end_day(
            2,
            &[
                Crew {
                    unit: 0,
                    shift: 0,
                    cohort: Cohort::Clean,
                    staff: &[0, 1, 2],
                },
                Crew {
                    unit: 0,
                    shift: 1,
                    cohort: Cohort::Clean,
                    staff: &[3],
                },
            ],
        );
        assert_eq!(w.people[1].infected, 2);
        assert_eq!(w.people[2].infected, 2);
        assert_eq!(w.people[3].infected, NEVER);
        assert_eq!(w.infected_staff(), 3);
    }

    #[test]
    fn sir_and_seir_curves_have_one_peak_and_stay_within_the_population() {
        for kind in ["sir", "seir"] {
            let sc = quiet(
                json!({"community": {"kind": kind, "r0": 2.5, "population": 30000,
                "initialInfected": 10, "infectiousDays": 5}}),
            );
            let c = sc.community_curve(300);
            let peak = (0..c.len()).max_by(|&a, &b| c[a].total_cmp(&c[b])).unwrap();
            assert!(peak > 10 && peak < 250, "{kind}: peak on day {peak}");
            assert!(
                c[..peak].windows(2).all(|w| w[0] <= w[1]),
                "{kind}: rises to the peak"
            );
            assert!(
                c[peak..].windows(2).all(|w| w[0] >= w[1]),
                "{kind}: falls after it"
            );
            let total: f64 = c.iter().sum::<f64>() * 30000.0;
            // Final size of R0 = 2.5 is about 89 % of the population.
            assert!(
                total <= 30000.0 && total > 0.8 * 30000.0,
                "{kind}: total {total}"
            );
            let later = quiet(
                json!({"community": {"kind": kind, "startDay": 10, "r0": 2.5,
                "population": 30000, "initialInfected": 10, "infectiousDays": 5}}),
            );
            let l = later.community_curve(300);
            assert!(l[..10].iter().all(|&p| p == 0.0));
            assert_eq!(l[10..], c[..290]);
        }
    }

    #[test]
    fn series_repeats_its_last_value() {
        let sc = quiet(json!({"community": {"kind": "series", "values": [0.1, 0.2]}}));
        assert_eq!(sc.community_curve(4), vec![0.1, 0.2, 0.2, 0.2]);
    }

    #[test]
    fn baseline_sickness_absent_share_matches_rate_and_length() {
        let inst = demo();
        let sc =
            quiet(json!({"baselineSickness": {"dailyRate": 0.012, "meanDays": 6.0}, "days": 366}));
        let (mut absent, mut total, mut spells, mut spell_days) = (0u64, 0u64, 0u64, 0u64);
        for seed in 0..40 {
            let mut w = Wave::new(&sc, &inst, 366, seed);
            for d in 0..366 {
                w.begin_day(d);
                for e in 0..inst.n_staff() {
                    let a = w.absent(e);
                    if let Some(a) = a {
                        assert_eq!(a.kind, AbsenceKind::Sykdom);
                        if a.known_since == d {
                            spells += 1;
                            spell_days += (a.until - a.known_since + 1) as u64;
                        }
                    }
                    if d >= 60 {
                        total += 1;
                        absent += a.is_some() as u64;
                    }
                }
                w.end_day(d, &[]);
            }
        }
        let share = absent as f64 / total as f64;
        let expect = 0.012 * 6.0 / (1.0 + 0.012 * 6.0);
        assert!(
            (share - expect).abs() < 0.004,
            "share {share}, expected {expect}"
        );
        let mean = spell_days as f64 / spells as f64;
        assert!((mean - 6.0).abs() < 0.3, "mean spell {mean}");
    }

    #[test]
    fn staff_away_in_the_project_start_no_sick_spell() {
        let inst = demo();
        let away = inst.staff_index("1040").unwrap(); // ferie on days 0–6
        assert!(inst.absent[away][0].is_some());
        let sc = quiet(json!({"baselineSickness": {"dailyRate": 1.0, "meanDays": 1.0}}));
        let mut w = Wave::new(&sc, &inst, 28, 9);
        w.begin_day(0);
        let sick: Vec<usize> = (0..inst.n_staff())
            .filter(|&e| w.absent(e).is_some())
            .collect();
        let expect: Vec<usize> = (0..inst.n_staff())
            .filter(|&e| inst.absent[e][0].is_none())
            .collect();
        assert_eq!(sick, expect);
        assert_eq!(
            w.absent(0),
            Some(WaveAbsence {
                kind: AbsenceKind::Sykdom,
                known_since: 0,
                until: 0
            })
        );
    }

    #[test]
    fn patient_counts_follow_detection_and_recovery() {
        let inst = demo();
        let sc = quiet(
            json!({"patients": {"initial": {"LT": 3}, "staffToPatient": 1.0,
            "detectionDays": 2, "recoveryDays": 14}, "policy": {"kind": "none"}}),
        );
        let lt = inst.unit_index("LT").unwrap();
        let kt = inst.unit_index("KT").unwrap();
        let mut w = Wave::new(&sc, &inst, 28, 5);
        w.people[0].infected = 0; // infectious on days 2–8, no symptoms
        let mut seen = Vec::new();
        let staff0 = [0usize];
        for d in 0..28 {
            w.begin_day(d);
            seen.push((w.infected_patients(lt), w.infected_patients(kt)));
            let crews = if d == 2 {
                vec![Crew {
                    unit: lt,
                    shift: 0,
                    cohort: Cohort::Clean,
                    staff: &staff0,
                }]
            } else {
                vec![]
            };
            w.end_day(d, &crews);
        }
        let lt_counts: Vec<u32> = seen.iter().map(|x| x.0).collect();
        // 3 from day 0 to 13; the other 21 beds infected on day 2, counted on days 4–17.
        let mut expect = vec![3, 3, 3, 3];
        expect.extend([24; 10]);
        expect.extend([21; 4]);
        expect.extend([0; 10]);
        assert_eq!(lt_counts, expect);
        assert!(seen.iter().all(|x| x.1 == 0));
    }

    #[test]
    fn isolation_cohort_staff_catch_it_from_patients() {
        let inst = demo();
        let sc = quiet(json!({"patients": {"initial": {"LT": 2}},
            "transmission": {"sameShift": 0.0, "sameUnitDay": 0.0, "patientToStaff": 1.0}}));
        let mut w = Wave::new(&sc, &inst, 28, 5);
        w.begin_day(0);
        w.end_day(
            0,
            &[
                Crew {
                    unit: 0,
                    shift: 0,
                    cohort: Cohort::Isolation,
                    staff: &[1, 2],
                },
                Crew {
                    unit: 0,
                    shift: 0,
                    cohort: Cohort::Clean,
                    staff: &[3],
                },
                Crew {
                    unit: 1,
                    shift: 0,
                    cohort: Cohort::Isolation,
                    staff: &[4],
                },
            ],
        );
        let infected: Vec<usize> = (0..6).filter(|&e| w.people[e].infected == 0).collect();
        assert_eq!(
            infected,
            vec![1, 2],
            "only the isolation cohort of a unit with infected patients"
        );
    }

    /// Means over seeds: each scenario's peak share of staff absent (any reason), absent
    /// staff-days, peak isolated, peak quarantined, staff infected in all, peak infected
    /// patients.
    fn outcome(text: &str, seeds: u64) -> [f64; 6] {
        let inst = demo();
        let sc = scenario_from_json(text, "s").unwrap();
        let days = sc.horizon(&inst);
        let mut sum = [0.0; 6];
        for seed in 0..seeds {
            let mut w = Wave::new(&sc, &inst, days, seed);
            let mut per_day = Vec::new();
            let (mut iso, mut kar, mut pat) = (0usize, 0usize, 0u32);
            drive(&mut w, days, rota(&inst), |_, w| {
                let abs: Vec<_> = (0..inst.n_staff()).filter_map(|e| w.absent(e)).collect();
                per_day.push(abs.len());
                iso = iso.max(
                    abs.iter()
                        .filter(|a| a.kind == AbsenceKind::Isolasjon)
                        .count(),
                );
                kar = kar.max(
                    abs.iter()
                        .filter(|a| a.kind == AbsenceKind::Karantene)
                        .count(),
                );
                pat = pat.max((0..inst.n_units()).map(|u| w.infected_patients(u)).sum());
            });
            let x = [
                *per_day.iter().max().unwrap() as f64 / inst.n_staff() as f64,
                per_day.iter().sum::<usize>() as f64,
                iso as f64,
                kar as f64,
                w.infected_total() as f64,
                pat as f64,
            ];
            for k in 0..6 {
                sum[k] += x[k] / seeds as f64;
            }
        }
        sum
    }

    #[test]
    fn fixtures_reach_their_stated_outcomes() {
        let mild = outcome(MILD, 200);
        let severe = outcome(SEVERE, 200);
        let t2r = outcome(SEVERE_T2R, 200);
        for (name, o) in [("mild", mild), ("severe", severe), ("test-to-release", t2r)] {
            eprintln!(
                "{name}: peak absent {:.0} %, {:.0} absent staff-days, peak isolated {:.1}, peak quarantined {:.1}, staff infected {:.1}, peak infected patients {:.1}",
                o[0] * 100.0, o[1], o[2], o[3], o[4], o[5]
            );
        }
        assert!(mild[0] < 0.2, "mild peak {}", mild[0]);
        assert!(
            (0.3..=0.5).contains(&severe[0]),
            "severe peak {}",
            severe[0]
        );
        assert!(t2r[1] < severe[1], "test-to-release shortens quarantines");
    }

    /// Timing of the wave alone: 1 000 scenarios × 56 days of the severe wave, everyone
    /// present on the day shift in the home unit. `cargo test --release -p bemanna-solver
    /// --lib waves::tests::bench -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn bench_severe_wave() {
        let inst = demo();
        let sc = scenario_from_json(SEVERE, "s").unwrap();
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); inst.n_units()];
        let t = std::time::Instant::now();
        let mut absent = 0usize;
        for seed in 0..1000 {
            let mut w = Wave::new(&sc, &inst, 56, seed);
            for d in 0..56 {
                w.begin_day(d);
                members.iter_mut().for_each(Vec::clear);
                for e in 0..inst.n_staff() {
                    if w.absent(e).is_some() {
                        absent += 1;
                    } else {
                        members[inst.home_unit[e]].push(e);
                    }
                }
                let crews: Vec<Crew> = members
                    .iter()
                    .enumerate()
                    .map(|(u, m)| Crew {
                        unit: u,
                        shift: 0,
                        cohort: Cohort::Clean,
                        staff: m,
                    })
                    .collect();
                w.end_day(d, &crews);
            }
        }
        let us = t.elapsed().as_secs_f64() * 1e6 / 1000.0;
        eprintln!(
            "{us:.1} µs per scenario ({:.3} µs per staff-day); mean absent {:.1} per day",
            us / (56.0 * 65.0),
            absent as f64 / 56_000.0
        );
    }
}
