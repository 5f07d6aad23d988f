//! The staffing model: a home with units, skills, shift types, staff, demand, absences,
//! requests and the working-time rules. Everything here is plain data (serde) plus
//! [`Instance`], an index-based view that the planner and the checker both read.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Version of the project file format written by this build.
pub const FORMAT_VERSION: u32 = 1;

/// Minutes in a day.
pub const DAY: i32 = 24 * 60;

/// A project: one home (sykehjem) over one planning horizon.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Project {
    /// File format version; newer files are refused instead of misread.
    pub format_version: u32,
    /// Name of the home.
    pub name: String,
    /// First day of the horizon.
    pub start: NaiveDate,
    /// Number of days in the horizon.
    pub days: u32,
    /// Units (avdelinger).
    pub units: Vec<Unit>,
    /// Skills (kompetanse) and which other skills each may cover.
    pub skills: Vec<Skill>,
    /// Shift types (vakttyper) with clock times.
    pub shift_types: Vec<ShiftType>,
    /// Staff.
    pub staff: Vec<Staff>,
    /// Demand lines; a later line for the same unit, shift, skill and day replaces an earlier one.
    #[serde(default)]
    pub demand: Vec<Demand>,
    /// Nurse-cover rules (fagdekning).
    #[serde(default)]
    pub nurse_cover: Vec<NurseCover>,
    /// Absences (ferie, sykdom, karantene, isolasjon, fri).
    #[serde(default)]
    pub absences: Vec<Absence>,
    /// On/off requests (ønsker).
    #[serde(default)]
    pub requests: Vec<Request>,
    /// Working-time rules; each field has the glossary's default.
    #[serde(default)]
    pub rules: Rules,
    /// Weights of the soft goals.
    #[serde(default)]
    pub weights: Weights,
    /// Reserves for re-planning: agency offers, the float pool, overtime limits.
    #[serde(default, skip_serializing_if = "Reserves::is_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Reserves>", optional))]
    pub reserves: Reserves,
    /// Cohort isolation (kohortisolering) when patients are infected.
    #[serde(default, skip_serializing_if = "Cohorting::is_default")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Cohorting>", optional))]
    pub cohorting: Cohorting,
}

impl Project {
    /// The project over exactly `days` days from its start: longer horizons repeat the
    /// weekday demand; dated entries after the new end are dropped.
    pub fn with_days(mut self, days: u32) -> Project {
        self.days = days;
        let end = self.start + Duration::days(i64::from(days) - 1);
        self.absences.retain(|a| a.from <= end);
        self.requests.retain(|r| r.date <= end);
        self.demand.retain_mut(|d| match &mut d.dates {
            Some(ds) => {
                ds.retain(|x| *x <= end);
                !ds.is_empty()
            }
            None => true,
        });
        self
    }
}

/// Reserves a re-plan may call on, with their costs and limits.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Reserves {
    /// Staffing-agency offers (vikarbyrå).
    pub agency: Vec<AgencyOffer>,
    /// Staff ids of the internal float pool: they may work in every unit.
    pub pool: Vec<String>,
    /// Most overtime minutes in any 7 days (AML § 10-6 (4): 10 h).
    pub overtime_week_minutes: u32,
    /// Most overtime minutes in any 28 days (AML § 10-6 (4): 25 h).
    pub overtime_four_weeks_minutes: u32,
    /// Penalty per changed cell in a repair, in NOK-equivalents: the price of asking a
    /// person to change plans, so that of two equally cheap repairs the one with fewer
    /// changes wins.
    pub change_penalty_nok: f64,
    /// Supplement on an extra shift (ekstravakt) of a part-timer, in percent (0: paid as
    /// ordinary hours, the tariff's merarbeid).
    pub extra_shift_supplement_percent: f64,
}

impl Default for Reserves {
    fn default() -> Self {
        Reserves {
            agency: Vec::new(),
            pool: Vec::new(),
            overtime_week_minutes: 600,
            overtime_four_weeks_minutes: 1500,
            change_penalty_nok: 200.0,
            extra_shift_supplement_percent: 0.0,
        }
    }
}

impl Reserves {
    fn is_default(&self) -> bool {
        *self == Reserves::default()
    }
}

/// An agency's offer: staff of a skill at a price per shift, bookable `leadDays` ahead.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct AgencyOffer {
    /// Skill id of the people offered.
    pub skill: String,
    /// Price per shift in NOK.
    pub price_per_shift: f64,
    /// Days from booking to the first shift.
    pub lead_days: u32,
    /// Most agency staff of this offer on one shift (whole home).
    pub max_per_shift: u32,
}

/// Cohort isolation: staff of the isolation cohort keep away from the clean cohort.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Cohorting {
    /// Cohort id of the isolation cohort in each unit that has one.
    pub isolation_cohort: String,
    /// Days after a shift in isolation in which the person must not work the clean cohort
    /// (0: the same day only; 2: the same day and the next two).
    pub separation_days: u32,
    /// Infected patients per staff member in the isolation cohort, per shift code; shifts
    /// not listed use `defaultPatientsPerStaff`.
    pub patients_per_staff: BTreeMap<String, f64>,
    /// Infected patients per staff member on shifts not listed.
    pub default_patients_per_staff: f64,
}

impl Default for Cohorting {
    fn default() -> Self {
        Cohorting {
            isolation_cohort: "isolat".into(),
            separation_days: 2,
            patients_per_staff: BTreeMap::new(),
            default_patients_per_staff: 4.0,
        }
    }
}

impl Cohorting {
    fn is_default(&self) -> bool {
        *self == Cohorting::default()
    }
}

/// A unit (avdeling) of the home.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Unit {
    /// Short id, e.g. `LT`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Beds / patients.
    #[serde(default)]
    pub beds: u32,
    /// Patient cohorts within the unit (e.g. `isolat`, `ren`).
    #[serde(default)]
    pub cohorts: Vec<Cohort>,
}

/// A cohort of patients within a unit.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Cohort {
    /// Short id.
    pub id: String,
    /// Display name.
    pub name: String,
}

/// A skill. `covers` lists skills whose demand this one may fill (substitution is
/// transitive: SPL covers HFA, HFA covers ASS, so SPL covers ASS).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Skill {
    /// Short id, e.g. `SPL`.
    pub id: String,
    /// Display name, e.g. `Sykepleier`.
    pub name: String,
    /// Skills this one may stand in for.
    #[serde(default)]
    pub covers: Vec<String>,
}

/// A time of day, written `HH:MM` (24-hour clock).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export, type = "string"))]
pub struct ClockTime(pub u16);

impl ClockTime {
    /// Minutes after midnight.
    pub fn minutes(self) -> i32 {
        i32::from(self.0)
    }
    /// Parses `HH:MM`.
    pub fn parse(s: &str) -> Option<ClockTime> {
        let (h, m) = s.split_once(':')?;
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return None;
        }
        let h: u16 = h.parse().ok()?;
        let m: u16 = m.parse().ok()?;
        (h < 24 && m < 60).then_some(ClockTime(h * 60 + m))
    }
}

impl fmt::Display for ClockTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.0 / 60, self.0 % 60)
    }
}

impl Serialize for ClockTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ClockTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        ClockTime::parse(&s).ok_or_else(|| {
            serde::de::Error::custom(format!("`{s}` is not a time of day as HH:MM (00:00–23:59)"))
        })
    }
}

/// A shift type (vakttype). A shift whose end is not after its start crosses midnight.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ShiftType {
    /// Code shown in the roster: `D`, `A`, `N`.
    pub code: String,
    /// Display name: `Dag`, `Aften`, `Natt`.
    pub name: String,
    /// Start, local time.
    pub start: ClockTime,
    /// End, local time (next day when not after `start`).
    pub end: ClockTime,
    /// Paid minutes (the span less unpaid breaks).
    pub paid_minutes: u32,
    /// Whether it counts as a night shift; by default a shift with at least three
    /// hours between 21:00 and 06:00 (AML § 10-11).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub night: Option<bool>,
}

impl ShiftType {
    /// Start and end in minutes from the midnight that begins the shift's day.
    pub fn span(&self) -> (i32, i32) {
        let s = self.start.minutes();
        let mut e = self.end.minutes();
        if e <= s {
            e += DAY;
        }
        (s, e)
    }

    /// Whether this is a night shift.
    pub fn is_night(&self) -> bool {
        if let Some(n) = self.night {
            return n;
        }
        let (s, e) = self.span();
        // Night windows 21:00–06:00 on the shift's day and the next.
        let windows = [
            (-3 * 60, 6 * 60),
            (21 * 60, DAY + 6 * 60),
            (DAY + 21 * 60, 2 * DAY),
        ];
        let overlap: i32 = windows
            .iter()
            .map(|&(a, b)| (e.min(b) - s.max(a)).max(0))
            .sum();
        overlap >= 180
    }
}

/// A member of staff.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Staff {
    /// Employee id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Skills held; the first is the position's skill.
    pub skills: Vec<String>,
    /// Home unit.
    pub unit: String,
    /// Other units this person may work in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<String>>", optional))]
    pub float_units: Vec<String>,
    /// Contract fraction of a full-time post, in percent (0–100).
    pub stillingsprosent: f64,
    /// Extra shifts (ekstravakter) this person is willing to take in the period.
    #[serde(default)]
    pub max_extra_shifts: u32,
    /// Hourly wage in NOK; extra hours cost this, overtime this plus the supplement.
    #[serde(default)]
    pub hourly_wage: f64,
    /// Personal values that replace the project's rules.
    #[serde(default, skip_serializing_if = "StaffRules::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<StaffRules>", optional))]
    pub rules: StaffRules,
}

/// Per-person overrides of the project's rules.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct StaffRules {
    /// Least paid minutes in the period (replaces the contract-derived value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub min_minutes: Option<u32>,
    /// Most paid minutes in the period (replaces the contract-derived value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub max_minutes: Option<u32>,
    /// Most working days in a row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub max_consecutive_days: Option<u32>,
    /// Fewest working days in a row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub min_consecutive_days: Option<u32>,
    /// Most night shifts in a row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub max_consecutive_nights: Option<u32>,
    /// Fewest days off in a row.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub min_consecutive_days_off: Option<u32>,
    /// Most weekends worked in the period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub max_weekends: Option<u32>,
    /// Most shifts of a type in the period; 0 means never that type.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<BTreeMap<String, u32>>", optional))]
    pub max_shifts: BTreeMap<String, u32>,
}

impl StaffRules {
    fn is_empty(&self) -> bool {
        *self == StaffRules::default()
    }
}

/// Demand for one skill on one shift in one unit, on the days it selects.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Demand {
    /// Unit id.
    pub unit: String,
    /// Shift code.
    pub shift: String,
    /// Skill id.
    pub skill: String,
    /// Minimum heads (forsvarlig minimum); shortfall is heavily penalised.
    pub min: u32,
    /// Wanted heads; defaults to `min`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub wanted: Option<u32>,
    /// Weekdays this line applies to (all when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    // chrono writes weekdays as "Mon" … "Sun".
    #[cfg_attr(
        feature = "ts",
        ts(
            optional,
            type = "Array<\"Mon\" | \"Tue\" | \"Wed\" | \"Thu\" | \"Fri\" | \"Sat\" | \"Sun\">"
        )
    )]
    pub weekdays: Option<Vec<Weekday>>,
    /// Dates this line applies to (all when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub dates: Option<Vec<NaiveDate>>,
    /// Penalty per head below `wanted` (the project's weight when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub under_weight: Option<f64>,
    /// Penalty per head above `wanted` (the project's weight when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub over_weight: Option<f64>,
}

/// Where a nurse-cover rule counts heads.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum CoverScope {
    /// In each unit separately.
    Unit,
    /// Across the whole home (e.g. one awake nurse for the building at night).
    Home,
}

/// Nurse cover (sykepleierdekning): on each selected shift at least
/// `max(minPerShift, ceil(beds / patientsPerNurse))` staff holding one of `skills`.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct NurseCover {
    /// Skills that count as nurse competence (e.g. `SPL`, `VPL`).
    pub skills: Vec<String>,
    /// Per unit or for the whole home.
    pub scope: CoverScope,
    /// Least number present on each shift.
    #[serde(default)]
    pub min_per_shift: u32,
    /// One nurse per this many patients (beds of the unit or the home).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub patients_per_nurse: Option<u32>,
    /// Shifts the rule applies to (all when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub shifts: Option<Vec<String>>,
    /// Units the rule applies to (all when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub units: Option<Vec<String>>,
}

/// Kinds of absence.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum AbsenceKind {
    /// Vacation.
    Ferie,
    /// Sick leave.
    Sykdom,
    /// Quarantine of a close contact.
    Karantene,
    /// Isolation of a confirmed case.
    Isolasjon,
    /// A fixed day off or other leave.
    Fri,
}

impl AbsenceKind {
    /// Word for it in the given language.
    pub fn word(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (AbsenceKind::Ferie, Lang::Nb) => "ferie",
            (AbsenceKind::Sykdom, Lang::Nb) => "sykmeldt",
            (AbsenceKind::Karantene, Lang::Nb) => "i karantene",
            (AbsenceKind::Isolasjon, Lang::Nb) => "i isolasjon",
            (AbsenceKind::Fri, Lang::Nb) => "fri",
            (AbsenceKind::Ferie, Lang::En) => "on vacation",
            (AbsenceKind::Sykdom, Lang::En) => "on sick leave",
            (AbsenceKind::Karantene, Lang::En) => "in quarantine",
            (AbsenceKind::Isolasjon, Lang::En) => "in isolation",
            (AbsenceKind::Fri, Lang::En) => "off",
        }
    }
}

/// An absence from `from` to `to`, both inclusive.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Absence {
    /// Staff id.
    pub staff: String,
    /// Kind.
    pub kind: AbsenceKind,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
}

/// Whether a request asks for work or for time off.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum RequestKind {
    /// Wants to work (that shift, or any shift).
    On,
    /// Wants to be off (that shift, or the whole day).
    Off,
}

/// A wish for one day, honoured when it costs less than its weight.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Request {
    /// Staff id.
    pub staff: String,
    /// Day.
    pub date: NaiveDate,
    /// Shift code; absent means the whole day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub shift: Option<String>,
    /// On or off.
    pub kind: RequestKind,
    /// Weight (1 = mild wish, 3 = strong).
    pub weight: u32,
}

/// Working-time rules with the defaults from the glossary (AML chapter 10 and tariff practice).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Rules {
    /// Least rest between two shifts in minutes (AML § 10-8 (1): 11 h); `null` turns it off.
    pub daily_rest_minutes: Option<u32>,
    /// Least continuous rest in every 7-day window (AML § 10-8 (2): 35 h); `null` turns it off.
    pub weekly_rest_minutes: Option<u32>,
    /// Most working days in a row.
    pub max_consecutive_days: u32,
    /// Fewest working days in a row (runs touching the horizon's ends are exempt).
    pub min_consecutive_days: u32,
    /// Most night shifts in a row.
    pub max_consecutive_nights: u32,
    /// Fewest days off in a row (runs touching the horizon's ends are exempt).
    pub min_consecutive_days_off: u32,
    /// Work at most every n-th weekend (3 is the nurses' union baseline).
    pub weekend_every: u32,
    /// Most weekends worked in the period; replaces `weekendEvery` when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub max_weekends: Option<u32>,
    /// Full-time week in minutes (35.5 h for rotating turnus work).
    pub full_time_week_minutes: u32,
    /// How far below contract hours a plan may go, in minutes over the period.
    pub contract_under_minutes: u32,
    /// How far above contract hours a plan may go before it is extra work, in minutes.
    pub contract_over_minutes: u32,
    /// Overtime supplement in percent (50 % by tariff).
    pub overtime_supplement_percent: f64,
    /// Successions forbidden beyond the rest rule: `[first, next-day]` shift codes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<[String; 2]>>", optional))]
    pub forbidden_successions: Vec<[String; 2]>,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            daily_rest_minutes: Some(11 * 60),
            weekly_rest_minutes: Some(35 * 60),
            max_consecutive_days: 5,
            min_consecutive_days: 1,
            max_consecutive_nights: 3,
            min_consecutive_days_off: 1,
            weekend_every: 3,
            max_weekends: None,
            full_time_week_minutes: 2130,
            contract_under_minutes: 8 * 60,
            contract_over_minutes: 8 * 60,
            overtime_supplement_percent: 50.0,
            forbidden_successions: Vec::new(),
        }
    }
}

/// Weights of the objective. Shortfall of minimum demand dwarfs every other term so a
/// plan is short only where nothing lawful could fill the gap.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Weights {
    /// Per head short of minimum demand.
    pub short_min: f64,
    /// Per missing nurse under a nurse-cover rule.
    pub short_nurse: f64,
    /// Per head below wanted cover.
    pub under_wanted: f64,
    /// Per head above wanted cover.
    pub over_wanted: f64,
    /// Multiplier on request weights.
    pub request: f64,
    /// Per night shift above a person's fair share.
    pub fair_nights: f64,
    /// Per weekend above a person's fair share.
    pub fair_weekends: f64,
    /// Per krone of extra-shift and overtime cost.
    pub cost_per_nok: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            short_min: 10_000.0,
            short_nurse: 10_000.0,
            under_wanted: 100.0,
            over_wanted: 20.0,
            request: 10.0,
            fair_nights: 5.0,
            fair_weekends: 10.0,
            cost_per_nok: 0.01,
        }
    }
}

/// Output language of explanations.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum Lang {
    /// Norwegian bokmål.
    #[default]
    Nb,
    /// English.
    En,
}

/// A problem in a project, named by its field path.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct FieldError {
    /// Field path, e.g. `staff[3].stillingsprosent`.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Effective rules for one person after overrides.
#[derive(Clone, Debug, PartialEq)]
pub struct PersonRules {
    /// Least paid minutes.
    pub min_minutes: u32,
    /// Most paid minutes.
    pub max_minutes: u32,
    /// Contract minutes (stillingsprosent × full-time week, less absence).
    pub contract_minutes: u32,
    /// Most working days in a row.
    pub max_consecutive_days: u32,
    /// Fewest working days in a row.
    pub min_consecutive_days: u32,
    /// Most nights in a row.
    pub max_consecutive_nights: u32,
    /// Fewest days off in a row.
    pub min_consecutive_days_off: u32,
    /// Most weekends.
    pub max_weekends: u32,
    /// Most shifts per shift type (index by shift type).
    pub max_shifts: Vec<u32>,
}

/// One demand entry for a (day, shift, unit).
#[derive(Clone, Debug, PartialEq)]
pub struct SkillDemand {
    /// Skill index.
    pub skill: usize,
    /// Minimum heads.
    pub min: u32,
    /// Wanted heads.
    pub wanted: u32,
    /// Penalty per head below wanted.
    pub under_weight: f64,
    /// Penalty per head above wanted.
    pub over_weight: f64,
}

/// One nurse-cover requirement on one day and shift.
#[derive(Clone, Debug, PartialEq)]
pub struct NurseNeed {
    /// Day index.
    pub day: usize,
    /// Shift index.
    pub shift: usize,
    /// Units counted (one for unit scope, several for home scope).
    pub units: Vec<usize>,
    /// Heads required.
    pub required: u32,
    /// Which skills count.
    pub skills: Vec<usize>,
    /// Index of the rule in `project.nurse_cover`.
    pub rule: usize,
}

/// An index-based view of a validated project. Plain data shared by the planner and the
/// checker; neither's constraint logic lives here.
#[derive(Clone, Debug)]
pub struct Instance {
    /// The project.
    pub project: Project,
    /// Dates of the horizon.
    pub dates: Vec<NaiveDate>,
    /// `covers[a][b]`: skill a may fill demand for skill b (reflexive, transitive).
    pub covers: Vec<Vec<bool>>,
    /// `can[e][k]`: staff e may fill demand for skill k.
    pub can: Vec<Vec<bool>>,
    /// `has[e][k]`: staff e holds skill k.
    pub has: Vec<Vec<bool>>,
    /// Units each person may work in (home unit first).
    pub units_of: Vec<Vec<usize>>,
    /// Home unit of each person.
    pub home_unit: Vec<usize>,
    /// `demand[d][s][u]`: skill demand.
    pub demand: Vec<Vec<Vec<Vec<SkillDemand>>>>,
    /// Nurse-cover needs.
    pub nurse_needs: Vec<NurseNeed>,
    /// `absent[e][d]`: absence kind and index into `project.absences`.
    pub absent: Vec<Vec<Option<(AbsenceKind, usize)>>>,
    /// Effective rules per person.
    pub person: Vec<PersonRules>,
    /// Shift spans (start, end) in minutes from the shift day's midnight.
    pub span: Vec<(i32, i32)>,
    /// Night shift flags.
    pub night: Vec<bool>,
    /// Weekends: the day indexes of each Saturday/Sunday pair within the horizon.
    pub weekends: Vec<Vec<usize>>,
    /// Explicitly forbidden successions (shift index, next-day shift index).
    pub forbidden: Vec<(usize, usize)>,
    /// Skill index of each agency offer (`project.reserves.agency`).
    pub agency_skill: Vec<usize>,
    /// Index of the isolation cohort in each unit's cohorts, if it has one.
    pub iso_cohort: Vec<Option<usize>>,
    /// Infected patients per staff member in isolation, per shift type.
    pub iso_patients_per_staff: Vec<f64>,
    staff_ix: HashMap<String, usize>,
    shift_ix: HashMap<String, usize>,
    unit_ix: HashMap<String, usize>,
    skill_ix: HashMap<String, usize>,
}

impl Instance {
    /// Validates a project and builds its view. Every problem is reported with its field path.
    pub fn new(project: Project) -> Result<Instance, Vec<FieldError>> {
        let mut errs = Vec::new();
        let mut err = |path: String, message: String| errs.push(FieldError { path, message });

        if project.format_version > FORMAT_VERSION {
            err(
                "formatVersion".into(),
                format!(
                    "the file is format version {}, this Bemanna reads up to {FORMAT_VERSION}; update Bemanna",
                    project.format_version
                ),
            );
        }
        if project.days == 0 || project.days > 366 {
            err("days".into(), format!("must be 1–366, is {}", project.days));
        }

        let index = |ids: Vec<&String>, what: &str, err: &mut dyn FnMut(String, String)| {
            let mut map = HashMap::new();
            for (i, id) in ids.into_iter().enumerate() {
                if id.trim().is_empty() {
                    err(format!("{what}[{i}]"), "id is empty".into());
                }
                if map.insert(id.clone(), i).is_some() {
                    err(format!("{what}[{i}]"), format!("duplicate id `{id}`"));
                }
            }
            map
        };
        let unit_ix = index(
            project.units.iter().map(|u| &u.id).collect(),
            "units",
            &mut err,
        );
        let skill_ix = index(
            project.skills.iter().map(|s| &s.id).collect(),
            "skills",
            &mut err,
        );
        let shift_ix = index(
            project.shift_types.iter().map(|s| &s.code).collect(),
            "shiftTypes",
            &mut err,
        );
        let staff_ix = index(
            project.staff.iter().map(|s| &s.id).collect(),
            "staff",
            &mut err,
        );

        let n_days = project.days.min(366) as usize;
        let dates: Vec<NaiveDate> = (0..n_days)
            .map(|d| project.start + Duration::days(d as i64))
            .collect();
        let end = project.start + Duration::days(n_days as i64 - 1);
        let day_of = |date: NaiveDate| -> Option<usize> {
            let d = (date - project.start).num_days();
            (0..n_days as i64).contains(&d).then_some(d as usize)
        };
        let in_horizon = |path: String, date: NaiveDate, err: &mut dyn FnMut(String, String)| {
            if day_of(date).is_none() {
                err(
                    path,
                    format!(
                        "{} is outside the horizon {} – {}",
                        fmt_date(date),
                        fmt_date(project.start),
                        fmt_date(end)
                    ),
                );
            }
        };

        let n_sk = project.skills.len();
        let mut covers = vec![vec![false; n_sk]; n_sk];
        for (a, sk) in project.skills.iter().enumerate() {
            covers[a][a] = true;
            for (j, c) in sk.covers.iter().enumerate() {
                match skill_ix.get(c) {
                    Some(&b) => covers[a][b] = true,
                    None => err(
                        format!("skills[{a}].covers[{j}]"),
                        format!("unknown skill `{c}`"),
                    ),
                }
            }
        }
        for k in 0..n_sk {
            for a in 0..n_sk {
                for b in 0..n_sk {
                    if covers[a][k] && covers[k][b] {
                        covers[a][b] = true;
                    }
                }
            }
        }

        for (i, st) in project.shift_types.iter().enumerate() {
            let (s, e) = st.span();
            if st.paid_minutes == 0 || st.paid_minutes as i32 > e - s {
                err(
                    format!("shiftTypes[{i}].paidMinutes"),
                    format!(
                        "must be more than 0 and at most the shift's length ({} min), is {}",
                        e - s,
                        st.paid_minutes
                    ),
                );
            }
        }
        let span: Vec<(i32, i32)> = project.shift_types.iter().map(ShiftType::span).collect();
        let night: Vec<bool> = project
            .shift_types
            .iter()
            .map(ShiftType::is_night)
            .collect();
        let n_sh = span.len();

        let r = &project.rules;
        if r.full_time_week_minutes == 0 {
            err(
                "rules.fullTimeWeekMinutes".into(),
                "must be more than 0".into(),
            );
        }
        if r.weekend_every == 0 {
            err("rules.weekendEvery".into(), "must be at least 1".into());
        }
        if r.max_consecutive_days == 0 {
            err(
                "rules.maxConsecutiveDays".into(),
                "must be at least 1".into(),
            );
        }
        if !(0.0..=300.0).contains(&r.overtime_supplement_percent) {
            err(
                "rules.overtimeSupplementPercent".into(),
                "must be between 0 and 300".into(),
            );
        }
        let mut forbidden = Vec::new();
        for (i, [a, b]) in r.forbidden_successions.iter().enumerate() {
            match (shift_ix.get(a), shift_ix.get(b)) {
                (Some(&x), Some(&y)) => forbidden.push((x, y)),
                _ => err(
                    format!("rules.forbiddenSuccessions[{i}]"),
                    format!("unknown shift code in `{a}` → `{b}`"),
                ),
            }
        }

        let weekends: Vec<Vec<usize>> = {
            let mut w: Vec<Vec<usize>> = Vec::new();
            for (d, date) in dates.iter().enumerate() {
                match date.weekday() {
                    Weekday::Sat => w.push(vec![d]),
                    Weekday::Sun => match w.last_mut() {
                        Some(last) if last.len() == 1 && last[0] + 1 == d => last.push(d),
                        _ => w.push(vec![d]),
                    },
                    _ => {}
                }
            }
            w
        };

        let n_e = project.staff.len();
        let mut absent = vec![vec![None; n_days]; n_e];
        for (i, a) in project.absences.iter().enumerate() {
            let p = format!("absences[{i}]");
            let Some(&e) = staff_ix.get(&a.staff) else {
                err(
                    format!("{p}.staff"),
                    format!("unknown staff id `{}`", a.staff),
                );
                continue;
            };
            if a.to < a.from {
                err(
                    format!("{p}.to"),
                    format!("{} is before from ({})", fmt_date(a.to), fmt_date(a.from)),
                );
                continue;
            }
            if a.to < project.start || a.from > end {
                err(
                    format!("{p}.from"),
                    format!(
                        "{} – {} lies wholly outside the horizon {} – {}",
                        fmt_date(a.from),
                        fmt_date(a.to),
                        fmt_date(project.start),
                        fmt_date(end)
                    ),
                );
                continue;
            }
            let mut date = a.from.max(project.start);
            while date <= a.to.min(end) {
                let d = day_of(date).expect("clamped to horizon");
                absent[e][d] = Some((a.kind, i));
                date += Duration::days(1);
            }
        }

        let mut units_of = Vec::with_capacity(n_e);
        let mut home_unit = Vec::with_capacity(n_e);
        let mut has = vec![vec![false; n_sk]; n_e];
        let mut can = vec![vec![false; n_sk]; n_e];
        let mut person = Vec::with_capacity(n_e);
        for (e, st) in project.staff.iter().enumerate() {
            let p = format!("staff[{e}]");
            let hu = match unit_ix.get(&st.unit) {
                Some(&u) => u,
                None => {
                    err(format!("{p}.unit"), format!("unknown unit `{}`", st.unit));
                    0
                }
            };
            home_unit.push(hu);
            let mut us = vec![hu];
            for (j, u) in st.float_units.iter().enumerate() {
                match unit_ix.get(u) {
                    Some(&u) if !us.contains(&u) => us.push(u),
                    Some(_) => {}
                    None => err(
                        format!("{p}.floatUnits[{j}]"),
                        format!("unknown unit `{u}`"),
                    ),
                }
            }
            if project.reserves.pool.contains(&st.id) {
                us.extend((0..project.units.len()).filter(|&u| u != hu));
            }
            units_of.push(us);
            if st.skills.is_empty() {
                err(
                    format!("{p}.skills"),
                    "a person needs at least one skill".into(),
                );
            }
            for (j, k) in st.skills.iter().enumerate() {
                match skill_ix.get(k) {
                    Some(&k) => {
                        has[e][k] = true;
                        for b in 0..n_sk {
                            can[e][b] |= covers[k][b];
                        }
                    }
                    None => err(format!("{p}.skills[{j}]"), format!("unknown skill `{k}`")),
                }
            }
            if !(st.stillingsprosent.is_finite() && (0.0..=100.0).contains(&st.stillingsprosent)) {
                err(
                    format!("{p}.stillingsprosent"),
                    format!("must be between 0 and 100, is {}", st.stillingsprosent),
                );
            }
            if !(st.hourly_wage.is_finite() && st.hourly_wage >= 0.0) {
                err(
                    format!("{p}.hourlyWage"),
                    format!("must be 0 or more, is {}", st.hourly_wage),
                );
            }
            let o = &st.rules;
            let mut max_shifts = vec![u32::MAX; n_sh];
            for (code, &m) in &o.max_shifts {
                match shift_ix.get(code) {
                    Some(&s) => max_shifts[s] = m,
                    None => err(
                        format!("{p}.rules.maxShifts.{code}"),
                        format!("unknown shift code `{code}`"),
                    ),
                }
            }
            let absent_days = absent[e].iter().filter(|a| a.is_some()).count();
            let avail = (n_days - absent_days) as f64;
            let contract = (st.stillingsprosent.clamp(0.0, 100.0) / 100.0
                * f64::from(r.full_time_week_minutes)
                * avail
                / 7.0)
                .round() as u32;
            let min_minutes = o
                .min_minutes
                .unwrap_or(contract.saturating_sub(r.contract_under_minutes));
            let longest = project
                .shift_types
                .iter()
                .map(|s| s.paid_minutes)
                .max()
                .unwrap_or(0);
            let max_minutes = o
                .max_minutes
                .unwrap_or(contract + r.contract_over_minutes + st.max_extra_shifts * longest);
            if min_minutes > max_minutes {
                err(
                    format!("{p}.rules.minMinutes"),
                    format!("{min_minutes} is more than maxMinutes {max_minutes}"),
                );
            }
            let max_weekends = o
                .max_weekends
                .or(r.max_weekends)
                .unwrap_or_else(|| (weekends.len() as u32).div_ceil(r.weekend_every.max(1)));
            person.push(PersonRules {
                min_minutes,
                max_minutes,
                contract_minutes: contract,
                max_consecutive_days: o.max_consecutive_days.unwrap_or(r.max_consecutive_days),
                min_consecutive_days: o.min_consecutive_days.unwrap_or(r.min_consecutive_days),
                max_consecutive_nights: o
                    .max_consecutive_nights
                    .unwrap_or(r.max_consecutive_nights),
                min_consecutive_days_off: o
                    .min_consecutive_days_off
                    .unwrap_or(r.min_consecutive_days_off),
                max_weekends,
                max_shifts,
            });
        }

        let n_u = project.units.len();
        let mut demand = vec![vec![vec![Vec::<SkillDemand>::new(); n_u]; n_sh]; n_days];
        let w = &project.weights;
        for (i, dl) in project.demand.iter().enumerate() {
            let p = format!("demand[{i}]");
            let u = unit_ix.get(&dl.unit).copied();
            let s = shift_ix.get(&dl.shift).copied();
            let k = skill_ix.get(&dl.skill).copied();
            if u.is_none() {
                err(format!("{p}.unit"), format!("unknown unit `{}`", dl.unit));
            }
            if s.is_none() {
                err(
                    format!("{p}.shift"),
                    format!("unknown shift code `{}`", dl.shift),
                );
            }
            if k.is_none() {
                err(
                    format!("{p}.skill"),
                    format!("unknown skill `{}`", dl.skill),
                );
            }
            let wanted = dl.wanted.unwrap_or(dl.min);
            if wanted < dl.min {
                err(
                    format!("{p}.wanted"),
                    format!("{wanted} is below min {}", dl.min),
                );
            }
            for (name, v) in [
                ("underWeight", dl.under_weight),
                ("overWeight", dl.over_weight),
            ] {
                if let Some(v) = v {
                    if !(v.is_finite() && v >= 0.0) {
                        err(format!("{p}.{name}"), format!("must be 0 or more, is {v}"));
                    }
                }
            }
            if let Some(ds) = &dl.dates {
                for (j, &date) in ds.iter().enumerate() {
                    in_horizon(format!("{p}.dates[{j}]"), date, &mut err);
                }
            }
            let (Some(u), Some(s), Some(k)) = (u, s, k) else {
                continue;
            };
            for (d, date) in dates.iter().enumerate() {
                if let Some(wd) = &dl.weekdays {
                    if !wd.contains(&date.weekday()) {
                        continue;
                    }
                }
                if let Some(ds) = &dl.dates {
                    if !ds.contains(date) {
                        continue;
                    }
                }
                let entry = SkillDemand {
                    skill: k,
                    min: dl.min,
                    wanted: wanted.max(dl.min),
                    under_weight: dl.under_weight.unwrap_or(w.under_wanted),
                    over_weight: dl.over_weight.unwrap_or(w.over_wanted),
                };
                let slot = &mut demand[d][s][u];
                match slot.iter_mut().find(|x| x.skill == k) {
                    Some(x) => *x = entry,
                    None => slot.push(entry),
                }
            }
        }

        let mut nurse_needs = Vec::new();
        for (i, nc) in project.nurse_cover.iter().enumerate() {
            let p = format!("nurseCover[{i}]");
            let mut skills = Vec::new();
            for (j, k) in nc.skills.iter().enumerate() {
                match skill_ix.get(k) {
                    Some(&k) => skills.push(k),
                    None => err(format!("{p}.skills[{j}]"), format!("unknown skill `{k}`")),
                }
            }
            if nc.patients_per_nurse == Some(0) {
                err(format!("{p}.patientsPerNurse"), "must be at least 1".into());
            }
            let mut shifts = Vec::new();
            match &nc.shifts {
                None => shifts.extend(0..n_sh),
                Some(codes) => {
                    for (j, c) in codes.iter().enumerate() {
                        match shift_ix.get(c) {
                            Some(&s) => shifts.push(s),
                            None => err(
                                format!("{p}.shifts[{j}]"),
                                format!("unknown shift code `{c}`"),
                            ),
                        }
                    }
                }
            }
            let mut units = Vec::new();
            match &nc.units {
                None => units.extend(0..n_u),
                Some(ids) => {
                    for (j, c) in ids.iter().enumerate() {
                        match unit_ix.get(c) {
                            Some(&u) => units.push(u),
                            None => err(format!("{p}.units[{j}]"), format!("unknown unit `{c}`")),
                        }
                    }
                }
            }
            let need = |beds: u32| {
                let by_ratio = nc
                    .patients_per_nurse
                    .filter(|&n| n > 0)
                    .map_or(0, |n| beds.div_ceil(n));
                nc.min_per_shift.max(by_ratio)
            };
            let groups: Vec<Vec<usize>> = match nc.scope {
                CoverScope::Unit => units.iter().map(|&u| vec![u]).collect(),
                CoverScope::Home => vec![units.clone()],
            };
            for d in 0..n_days {
                for &s in &shifts {
                    for g in &groups {
                        let beds = g.iter().map(|&u| project.units[u].beds).sum();
                        let required = need(beds);
                        if required > 0 {
                            nurse_needs.push(NurseNeed {
                                day: d,
                                shift: s,
                                units: g.clone(),
                                required,
                                skills: skills.clone(),
                                rule: i,
                            });
                        }
                    }
                }
            }
        }

        for (i, rq) in project.requests.iter().enumerate() {
            let p = format!("requests[{i}]");
            if !staff_ix.contains_key(&rq.staff) {
                err(
                    format!("{p}.staff"),
                    format!("unknown staff id `{}`", rq.staff),
                );
            }
            if let Some(c) = &rq.shift {
                if !shift_ix.contains_key(c) {
                    err(format!("{p}.shift"), format!("unknown shift code `{c}`"));
                }
            }
            in_horizon(format!("{p}.date"), rq.date, &mut err);
        }

        let rs = &project.reserves;
        for (i, id) in rs.pool.iter().enumerate() {
            if !staff_ix.contains_key(id) {
                err(
                    format!("reserves.pool[{i}]"),
                    format!("unknown staff id `{id}`"),
                );
            }
        }
        let mut agency_skill = Vec::new();
        for (i, o) in rs.agency.iter().enumerate() {
            let p = format!("reserves.agency[{i}]");
            match skill_ix.get(&o.skill) {
                Some(&k) => agency_skill.push(k),
                None => err(format!("{p}.skill"), format!("unknown skill `{}`", o.skill)),
            }
            if !(o.price_per_shift.is_finite() && o.price_per_shift >= 0.0) {
                err(
                    format!("{p}.pricePerShift"),
                    format!("must be a price in NOK ≥ 0, is {}", o.price_per_shift),
                );
            }
        }
        if !(rs.change_penalty_nok.is_finite() && rs.change_penalty_nok >= 0.0) {
            err(
                "reserves.changePenaltyNok".into(),
                format!("must be ≥ 0, is {}", rs.change_penalty_nok),
            );
        }
        if !(rs.extra_shift_supplement_percent.is_finite()
            && rs.extra_shift_supplement_percent >= 0.0)
        {
            err(
                "reserves.extraShiftSupplementPercent".into(),
                format!("must be ≥ 0, is {}", rs.extra_shift_supplement_percent),
            );
        }
        let co = &project.cohorting;
        let iso_cohort: Vec<Option<usize>> = project
            .units
            .iter()
            .map(|u| u.cohorts.iter().position(|c| c.id == co.isolation_cohort))
            .collect();
        let mut iso_patients_per_staff = vec![co.default_patients_per_staff; n_sh];
        if !(co.default_patients_per_staff.is_finite() && co.default_patients_per_staff > 0.0) {
            err(
                "cohorting.defaultPatientsPerStaff".into(),
                format!("must be more than 0, is {}", co.default_patients_per_staff),
            );
        }
        for (code, &v) in &co.patients_per_staff {
            let path = format!("cohorting.patientsPerStaff.{code}");
            match shift_ix.get(code) {
                Some(&s) => iso_patients_per_staff[s] = v,
                None => err(path.clone(), format!("unknown shift code `{code}`")),
            }
            if !(v.is_finite() && v > 0.0) {
                err(path, format!("must be more than 0, is {v}"));
            }
        }

        if !errs.is_empty() {
            return Err(errs);
        }
        Ok(Instance {
            agency_skill,
            iso_cohort,
            iso_patients_per_staff,
            project,
            dates,
            covers,
            can,
            has,
            units_of,
            home_unit,
            demand,
            nurse_needs,
            absent,
            person,
            span,
            night,
            weekends,
            forbidden,
            staff_ix,
            shift_ix,
            unit_ix,
            skill_ix,
        })
    }

    /// Minutes from the end of shift `s1` to the start of shift `s2` worked `k` days later
    /// (negative when they overlap).
    pub fn rest_gap(&self, k: usize, s1: usize, s2: usize) -> i64 {
        k as i64 * i64::from(DAY) + i64::from(self.span[s2].0) - i64::from(self.span[s1].1)
    }

    /// Whether `s2` may not follow `s1` `k` days later: too little daily rest
    /// (AML § 10-8 (1)) or, the next day, a forbidden succession.
    pub fn too_close(&self, k: usize, s1: usize, s2: usize) -> bool {
        let rest = self.project.rules.daily_rest_minutes.map(i64::from);
        rest.is_some_and(|r| self.rest_gap(k, s1, s2) < r)
            || (k == 1 && self.forbidden.contains(&(s1, s2)))
    }

    /// Days in the horizon.
    pub fn n_days(&self) -> usize {
        self.dates.len()
    }
    /// Number of staff.
    pub fn n_staff(&self) -> usize {
        self.project.staff.len()
    }
    /// Number of shift types.
    pub fn n_shifts(&self) -> usize {
        self.project.shift_types.len()
    }
    /// Number of units.
    pub fn n_units(&self) -> usize {
        self.project.units.len()
    }
    /// Index of a staff id.
    pub fn staff_index(&self, id: &str) -> Option<usize> {
        self.staff_ix.get(id).copied()
    }
    /// Index of a shift code.
    pub fn shift_index(&self, code: &str) -> Option<usize> {
        self.shift_ix.get(code).copied()
    }
    /// Index of a unit id.
    pub fn unit_index(&self, id: &str) -> Option<usize> {
        self.unit_ix.get(id).copied()
    }
    /// Index of a skill id.
    pub fn skill_index(&self, id: &str) -> Option<usize> {
        self.skill_ix.get(id).copied()
    }
    /// Day index of a date.
    pub fn day_index(&self, date: NaiveDate) -> Option<usize> {
        let d = (date - self.project.start).num_days();
        (0..self.n_days() as i64).contains(&d).then_some(d as usize)
    }
    /// Paid minutes of a shift type.
    pub fn paid(&self, s: usize) -> u32 {
        self.project.shift_types[s].paid_minutes
    }
    /// The (shift, unit) cells a person may be given: shift types she may work, in her units.
    pub fn options(&self, e: usize) -> Vec<(usize, usize)> {
        (0..self.n_shifts())
            .filter(|&s| self.person[e].max_shifts[s] > 0)
            .flat_map(|s| self.units_of[e].iter().map(move |&u| (s, u)))
            .collect()
    }
}

/// A date as leaders write it: `dd.mm.yyyy`.
pub fn fmt_date(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// A short date: `dd.mm`.
pub fn fmt_day(d: NaiveDate) -> String {
    d.format("%d.%m").to_string()
}

/// Norwegian short weekday name.
pub fn weekday_nb(d: NaiveDate) -> &'static str {
    ["man", "tir", "ons", "tor", "fre", "lør", "søn"][d.weekday().num_days_from_monday() as usize]
}

/// Minutes as `h:mm`.
pub fn fmt_hours(minutes: i64) -> String {
    let sign = if minutes < 0 { "-" } else { "" };
    let m = minutes.abs();
    format!("{sign}{}:{:02}", m / 60, m % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_parses_and_rejects() {
        assert_eq!(ClockTime::parse("07:30"), Some(ClockTime(450)));
        assert_eq!(ClockTime::parse("7:30"), Some(ClockTime(450)));
        assert_eq!(ClockTime::parse("24:00"), None);
        assert_eq!(ClockTime::parse("12:60"), None);
        assert_eq!(ClockTime::parse("1230"), None);
    }

    fn shift(start: &str, end: &str) -> ShiftType {
        ShiftType {
            code: "X".into(),
            name: "X".into(),
            start: ClockTime::parse(start).unwrap(),
            end: ClockTime::parse(end).unwrap(),
            paid_minutes: 60,
            night: None,
        }
    }

    #[test]
    fn night_is_derived_from_clock_times() {
        assert!(shift("21:45", "07:45").is_night());
        assert!(shift("00:00", "08:00").is_night());
        assert!(!shift("07:30", "15:00").is_night());
        assert!(!shift("14:30", "22:00").is_night());
        assert_eq!(shift("21:45", "07:45").span(), (1305, 1905));
    }
}
