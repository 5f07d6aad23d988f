//! Monte Carlo over wave scenarios: each run samples absences day by day, repairs the
//! roster, and records what the day cost and left open.
//!
//! Sampling and repair **interleave day by day**: who gets infected at work depends on who
//! worked together, and that depends on the repairs of the previous days (an extra shift
//! puts a new person in the crew). Sampling a whole wave first and repairing afterwards would
//! ignore that feedback; iterating to a fixed point would cost many repairs per scenario.
//!
//! Aggregates stream: per day and metric an exact histogram of integer values (costs to the
//! nearest 100 kr) and exact integer sums, merged by addition. Merging is commutative and
//! exact, so the result is bit-for-bit the same whatever the thread count or the order in
//! which chunks finish. Memory does not grow with the number of runs (only with the number
//! of distinct values), unless per-scenario records are asked for.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use chrono::Datelike;
use rayon::prelude::*;
use serde::Serialize;

use crate::model::{AbsenceKind, FieldError, Instance};
use crate::replan::{repair_day, repair_instance, Away, Ctx, DayMetrics, Scratch, State};
use crate::roster::Grid;
use crate::waves::{Cohort, Crew, Scenario, Wave};

/// Thresholds of the named events.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Events {
    /// "≥ k uncovered shifts in one week": k.
    pub weekly_uncovered: u32,
    /// "Agency cost above this many NOK in the horizon".
    pub agency_cost_nok: f64,
}

impl Default for Events {
    fn default() -> Self {
        Events {
            weekly_uncovered: 10,
            agency_cost_nok: 500_000.0,
        }
    }
}

/// How to run a study.
#[derive(Clone, Debug)]
pub struct StudyOptions {
    /// Scenarios to run.
    pub runs: usize,
    /// Master seed; scenario i uses a seed derived from (seed, i).
    pub seed: u64,
    /// Worker threads; 0 = one per core.
    pub threads: usize,
    /// Keep one summary record per scenario.
    pub keep_scenarios: bool,
    /// Event thresholds.
    pub events: Events,
}

impl Default for StudyOptions {
    fn default() -> Self {
        StudyOptions {
            runs: 1000,
            seed: 1,
            threads: 0,
            keep_scenarios: false,
            events: Events::default(),
        }
    }
}

/// Per-day metrics recorded for every scenario, in this order; then one
/// `uncovered.<skill id>` per skill.
pub const DAY_METRICS: [&str; 18] = [
    "absentIsolation",
    "absentQuarantine",
    "absentSick",
    "absentTotal",
    "infectedStaff",
    "infectedPatients",
    "lostShifts",
    "uncovered",
    "uncoveredIsolation",
    "shiftsWithoutNurse",
    "cohortCrossings",
    "extraShifts",
    "overtimeShifts",
    "agencyShifts",
    "extraMinutes",
    "overtimeMinutes",
    "agencyMinutes",
    "costNok",
];
const M_UNCOVERED: usize = 7;
const M_ABSENT: usize = 3;
const M_NO_NURSE: usize = 9;

/// Exact histogram of integer values.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Hist {
    counts: BTreeMap<i64, u64>,
    n: u64,
    sum: i128,
}

impl Hist {
    fn add(&mut self, v: i64) {
        *self.counts.entry(v).or_insert(0) += 1;
        self.n += 1;
        self.sum += i128::from(v);
    }
    fn merge(&mut self, o: &Hist) {
        for (&v, &c) in &o.counts {
            *self.counts.entry(v).or_insert(0) += c;
        }
        self.n += o.n;
        self.sum += o.sum;
    }
    /// Nearest-rank percentile: the least value with at least q·n values at or below it.
    fn pct(&self, q: f64) -> i64 {
        if self.n == 0 {
            return 0;
        }
        let rank = ((q * self.n as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (&v, &c) in &self.counts {
            seen += c;
            if seen >= rank {
                return v;
            }
        }
        *self.counts.keys().next_back().expect("non-empty")
    }
    fn mean(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            self.sum as f64 / self.n as f64
        }
    }
    fn band(&self) -> Band {
        Band {
            p10: self.pct(0.10),
            p50: self.pct(0.50),
            p90: self.pct(0.90),
            mean: self.mean(),
        }
    }
}

/// P10, P50, P90 and mean of a metric.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Band {
    /// 10th percentile.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub p10: i64,
    /// Median.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub p50: i64,
    /// 90th percentile.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub p90: i64,
    /// Mean.
    pub mean: f64,
}

/// Totals of one scenario.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct ScenarioRecord {
    /// Scenario index.
    pub index: usize,
    /// Its seed.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub seed: u64,
    /// Most staff absent on one day.
    pub peak_absent: u32,
    /// Uncovered seats over the horizon.
    pub uncovered: u32,
    /// Shifts without enough nurses.
    pub shifts_without_nurse: u32,
    /// Forced cohort crossings.
    pub cohort_crossings: u32,
    /// Most uncovered seats in one week (the 7-day blocks of the horizon).
    pub max_week_uncovered: u32,
    /// Most infected patients on one day (found, in isolation).
    pub peak_infected_patients: u32,
    /// Cost of extra shifts in NOK.
    pub extra_cost_nok: f64,
    /// Cost of overtime in NOK.
    pub overtime_cost_nok: f64,
    /// Cost of agency in NOK.
    pub agency_cost_nok: f64,
}

/// The streaming aggregate.
#[derive(Clone, Debug, Default)]
struct Agg {
    runs: u64,
    day: Vec<Vec<Hist>>,
    uncovered_skill: Vec<Vec<u64>>,
    week_absent: Vec<Hist>,
    week_uncovered: Vec<Hist>,
    total_cost: Hist,
    total_uncovered: Hist,
    cost_ore: [i128; 3],
    ev_no_nurse: u64,
    ev_week: u64,
    ev_agency: u64,
    records: Vec<ScenarioRecord>,
}

impl Agg {
    fn new(n_d: usize, n_k: usize) -> Agg {
        let weeks = n_d.div_ceil(7);
        Agg {
            day: vec![vec![Hist::default(); DAY_METRICS.len() + n_k]; n_d],
            uncovered_skill: vec![vec![0; n_k]; n_d],
            week_absent: vec![Hist::default(); weeks],
            week_uncovered: vec![Hist::default(); weeks],
            ..Agg::default()
        }
    }
    fn merge(mut self, o: Agg) -> Agg {
        if self.day.is_empty() {
            return o;
        }
        if o.day.is_empty() {
            return self;
        }
        self.runs += o.runs;
        for (a, b) in self.day.iter_mut().zip(&o.day) {
            for (x, y) in a.iter_mut().zip(b) {
                x.merge(y);
            }
        }
        for (a, b) in self.uncovered_skill.iter_mut().zip(&o.uncovered_skill) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
        for (a, b) in self.week_absent.iter_mut().zip(&o.week_absent) {
            a.merge(b);
        }
        for (a, b) in self.week_uncovered.iter_mut().zip(&o.week_uncovered) {
            a.merge(b);
        }
        self.total_cost.merge(&o.total_cost);
        self.total_uncovered.merge(&o.total_uncovered);
        for i in 0..3 {
            self.cost_ore[i] += o.cost_ore[i];
        }
        self.ev_no_nurse += o.ev_no_nurse;
        self.ev_week += o.ev_week;
        self.ev_agency += o.ev_agency;
        self.records.extend(o.records);
        self.records.sort_by_key(|r| r.index);
        self
    }
}

/// A named event's estimated probability with its 95 % Wilson interval.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct EventProbability {
    /// Stable id.
    pub id: String,
    /// In bokmål.
    pub label_nb: String,
    /// In English.
    pub label_en: String,
    /// Scenarios where it happened.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub count: u64,
    /// count / runs.
    pub probability: f64,
    /// Lower end of the 95 % interval.
    pub low: f64,
    /// Upper end of the 95 % interval.
    pub high: f64,
}

/// A day among the worst.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct WorstDay {
    /// Date.
    pub date: chrono::NaiveDate,
    /// Mean uncovered seats.
    pub mean_uncovered: f64,
    /// P90 uncovered seats.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub p90_uncovered: i64,
    /// Share of scenarios with a shift short of nurses that day.
    pub p_without_nurse: f64,
    /// Mean staff absent.
    pub mean_absent: f64,
}

/// One week's summary.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct WeekSummary {
    /// "uke 12".
    pub label: String,
    /// First day of the block.
    pub from: chrono::NaiveDate,
    /// Most staff absent on a day of the week.
    pub peak_absent: Band,
    /// Uncovered seats in the week.
    pub uncovered: Band,
}

/// Results of a study.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct StudyResult {
    /// Scenario name.
    pub scenario: String,
    /// Scenarios completed.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub runs: u64,
    /// Scenarios asked for.
    pub requested: usize,
    /// Stopped by cancellation.
    pub cancelled: bool,
    /// Master seed.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub seed: u64,
    /// Dates of the horizon.
    pub dates: Vec<chrono::NaiveDate>,
    /// Metric names, in the order of `days[d]` (the fixed ones, then uncovered per skill).
    pub metrics: Vec<String>,
    /// `days[d][m]`: the band of metric m on day d.
    pub days: Vec<Vec<Band>>,
    /// `uncoveredBySkill[d][k]`: mean uncovered seats of skill k.
    pub uncovered_by_skill: Vec<Vec<f64>>,
    /// Skill ids, in the order of `uncoveredBySkill[d]`.
    pub skills: Vec<String>,
    /// Named events.
    pub events: Vec<EventProbability>,
    /// The worst days by mean uncovered seats.
    pub worst_days: Vec<WorstDay>,
    /// Weekly summary.
    pub weeks: Vec<WeekSummary>,
    /// Expected cost of extra shifts, overtime and agency in NOK.
    pub expected_extra_cost_nok: f64,
    /// Of which: extra shifts, overtime, agency.
    pub expected_cost_split_nok: [f64; 3],
    /// Total cost per scenario in NOK (percentiles to the nearest 1 000 kr).
    pub total_cost_nok: Band,
    /// Uncovered seats per scenario.
    pub total_uncovered: Band,
    /// Per-scenario records, when asked.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<ScenarioRecord>>", optional))]
    pub scenarios: Vec<ScenarioRecord>,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// Seed of scenario `i`: SplitMix64 of the master seed and the index, so each scenario is
/// the same whichever thread runs it.
pub fn scenario_seed(seed: u64, i: usize) -> u64 {
    let mut z = seed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A prepared study: the repair instance and the roster in force, ready to run scenarios.
pub struct Study<'a> {
    inst: &'a Instance,
    rinst: Instance,
    base: Grid,
    scenario: &'a Scenario,
}

impl<'a> Study<'a> {
    /// Prepares a study of `scenario` on `inst` with `roster` in force. The scenario's
    /// horizon must equal the project's.
    pub fn new(
        inst: &'a Instance,
        roster: &Grid,
        scenario: &'a Scenario,
    ) -> Result<Study<'a>, Vec<FieldError>> {
        scenario.validate(inst)?;
        let h = scenario.horizon(inst);
        if h != inst.n_days() {
            return Err(vec![FieldError {
                path: "days".into(),
                message: format!(
                    "the scenario covers {h} days but the project {} days",
                    inst.n_days()
                ),
            }]);
        }
        let rinst = repair_instance(inst, roster, &[], 0, false)?;
        let mut base = roster.clone();
        base.cells
            .resize(rinst.n_staff(), vec![Vec::new(); rinst.n_days()]);
        Ok(Study {
            inst,
            rinst,
            base,
            scenario,
        })
    }

    /// Runs the study. `progress(done, total)` is called from worker threads as scenarios
    /// finish; setting `cancel` stops within one scenario per thread and returns the
    /// partial aggregate with its count.
    pub fn run(
        &self,
        opts: &StudyOptions,
        progress: &(dyn Fn(usize, usize) + Sync),
        cancel: &AtomicBool,
    ) -> StudyResult {
        let t0 = std::time::Instant::now();
        let ctx = Ctx::new(&self.rinst);
        let base = State::new(&ctx, &self.base);
        let n_d = self.inst.n_days();
        let n_k = self.inst.project.skills.len();
        let done = AtomicUsize::new(0);
        // At most ~128 chunks: the reduction holds a few partial aggregates per level of its
        // tree, so a bounded number of chunks keeps memory flat in the number of runs.
        let chunk = opts.runs.div_ceil(128).max(16);
        let n_chunks = opts.runs.div_ceil(chunk);
        // Each finished chunk is merged into one total under a lock: merging is exact and
        // commutative, so the order does not matter, and only one partial aggregate per
        // thread is alive at a time.
        let total = std::sync::Mutex::new(Agg::new(n_d, n_k));
        let work = || {
            (0..n_chunks).into_par_iter().for_each(|c| {
                let mut agg = Agg::new(n_d, n_k);
                let mut st = base.clone();
                let mut sc = Scratch::default();
                for i in c * chunk..((c + 1) * chunk).min(opts.runs) {
                    if cancel.load(Ordering::Relaxed) {
                        break;
                    }
                    self.one(&ctx, &base, &mut st, &mut sc, opts, i, &mut agg);
                    let k = done.fetch_add(1, Ordering::Relaxed) + 1;
                    progress(k, opts.runs);
                }
                let mut t = total.lock().unwrap_or_else(|p| p.into_inner());
                let merged = std::mem::take(&mut *t).merge(agg);
                *t = merged;
            })
        };
        if opts.threads == 0 {
            work()
        } else {
            match rayon::ThreadPoolBuilder::new()
                .num_threads(opts.threads)
                .build()
            {
                Ok(pool) => pool.install(work),
                Err(_) => work(),
            }
        }
        let agg = total.into_inner().unwrap_or_else(|p| p.into_inner());
        self.summarize(agg, opts, t0.elapsed().as_secs_f64(), cancel)
    }

    #[allow(clippy::too_many_arguments)]
    fn one(
        &self,
        ctx: &Ctx,
        base: &State,
        st: &mut State,
        sc: &mut Scratch,
        opts: &StudyOptions,
        i: usize,
        agg: &mut Agg,
    ) {
        let inst = self.inst;
        let n_d = inst.n_days();
        let n_real = inst.n_staff();
        let n_all = self.rinst.n_staff();
        let n_u = inst.n_units();
        let seed = scenario_seed(opts.seed, i);
        let mut wave = Wave::new(self.scenario, inst, n_d, seed);
        st.reset_from(base);
        let mut away: Vec<Option<Away>> = vec![None; n_all];
        let mut infected = vec![0u32; n_u];
        let mut order: Vec<usize> = Vec::with_capacity(n_real);
        let mut totals = DayMetrics::default();
        let mut peak_absent = 0;
        let mut week_abs = vec![0u32; n_d.div_ceil(7)];
        let mut week_unc = vec![0u32; n_d.div_ceil(7)];
        let mut any_no_nurse = false;
        let mut tot_unc = 0u32;
        let mut peak_patients = 0u32;
        for d in 0..n_d {
            wave.begin_day(d);
            let mut by_kind = [0i64; 3];
            for e in 0..n_real {
                away[e] = wave.absent(e).map(|a| {
                    by_kind[match a.kind {
                        AbsenceKind::Isolasjon => 0,
                        AbsenceKind::Karantene => 1,
                        _ => 2,
                    }] += 1;
                    Away {
                        kind: a.kind,
                        known_since: a.known_since,
                        until: a.until,
                    }
                });
            }
            for (u, x) in infected.iter_mut().enumerate() {
                *x = wave.infected_patients(u);
            }
            let m = repair_day(ctx, st, sc, d, &away, &infected, None);

            // Crews of the day for transmission: real staff grouped by unit, shift, cohort.
            order.clear();
            order.extend((0..n_real).filter(|&e| st.get(e, d).is_some()));
            let key = |e: usize| {
                let (s, u) = st.get(e, d).expect("working");
                (u, s, st.iso[e * n_d + d])
            };
            order.sort_by_key(|&e| (key(e), e));
            let mut crews: Vec<Crew> = Vec::new();
            let mut a = 0;
            while a < order.len() {
                let k = key(order[a]);
                let mut b = a + 1;
                while b < order.len() && key(order[b]) == k {
                    b += 1;
                }
                crews.push(Crew {
                    unit: k.0,
                    shift: k.1,
                    cohort: if k.2 {
                        Cohort::Isolation
                    } else {
                        Cohort::Clean
                    },
                    staff: &order[a..b],
                });
                a = b;
            }
            wave.end_day(d, &crews);

            let absent: i64 = by_kind.iter().sum();
            let vals: [i64; 18] = [
                by_kind[0],
                by_kind[1],
                by_kind[2],
                absent,
                wave.infected_staff() as i64,
                infected.iter().map(|&x| i64::from(x)).sum(),
                i64::from(m.lost_shifts),
                i64::from(m.uncovered()),
                i64::from(m.uncovered_isolation),
                i64::from(m.shifts_without_nurse),
                i64::from(m.cohort_crossings),
                i64::from(m.extra_shifts),
                i64::from(m.overtime_shifts),
                i64::from(m.agency_shifts),
                i64::from(m.extra_minutes),
                i64::from(m.overtime_minutes),
                i64::from(m.agency_minutes),
                // Whole hundreds of kroner keep the histogram small however many runs.
                (m.cost_ore() + 5_000) / 10_000 * 100,
            ];
            let per_skill = m.uncovered_by_skill.iter().map(|&x| i64::from(x));
            for (h, v) in agg.day[d].iter_mut().zip(vals.into_iter().chain(per_skill)) {
                h.add(v);
            }
            for (x, &y) in agg.uncovered_skill[d].iter_mut().zip(&m.uncovered_by_skill) {
                *x += u64::from(y);
            }
            peak_absent = peak_absent.max(absent as u32);
            peak_patients = peak_patients.max(infected.iter().sum());
            week_abs[d / 7] = week_abs[d / 7].max(absent as u32);
            week_unc[d / 7] += m.uncovered();
            any_no_nurse |= m.shifts_without_nurse > 0;
            totals.lost_shifts += m.lost_shifts;
            tot_unc += m.uncovered();
            totals.shifts_without_nurse += m.shifts_without_nurse;
            totals.cohort_crossings += m.cohort_crossings;
            totals.extra_cost_ore += m.extra_cost_ore;
            totals.overtime_cost_ore += m.overtime_cost_ore;
            totals.agency_cost_ore += m.agency_cost_ore;
        }
        agg.runs += 1;
        for (w, (&pa, &un)) in week_abs.iter().zip(&week_unc).enumerate() {
            agg.week_absent[w].add(i64::from(pa));
            agg.week_uncovered[w].add(i64::from(un));
        }
        let cost = totals.cost_ore();
        agg.total_cost.add((cost + 50_000) / 100_000 * 1000);
        agg.total_uncovered.add(i64::from(tot_unc));
        agg.cost_ore[0] += i128::from(totals.extra_cost_ore);
        agg.cost_ore[1] += i128::from(totals.overtime_cost_ore);
        agg.cost_ore[2] += i128::from(totals.agency_cost_ore);
        agg.ev_no_nurse += u64::from(any_no_nurse);
        agg.ev_week += u64::from(week_unc.iter().any(|&u| u >= opts.events.weekly_uncovered));
        agg.ev_agency +=
            u64::from(totals.agency_cost_ore as f64 / 100.0 > opts.events.agency_cost_nok);
        if opts.keep_scenarios {
            agg.records.push(ScenarioRecord {
                index: i,
                seed,
                peak_absent,
                uncovered: tot_unc,
                shifts_without_nurse: totals.shifts_without_nurse,
                cohort_crossings: totals.cohort_crossings,
                max_week_uncovered: week_unc.iter().copied().max().unwrap_or(0),
                peak_infected_patients: peak_patients,
                extra_cost_nok: totals.extra_cost_ore as f64 / 100.0,
                overtime_cost_nok: totals.overtime_cost_ore as f64 / 100.0,
                agency_cost_nok: totals.agency_cost_ore as f64 / 100.0,
            });
        }
    }

    fn summarize(
        &self,
        agg: Agg,
        opts: &StudyOptions,
        seconds: f64,
        cancel: &AtomicBool,
    ) -> StudyResult {
        let inst = self.inst;
        let n = agg.runs;
        let nf = (n as f64).max(1.0);
        let ev = |id: &str, nb: String, en: String, count: u64| {
            let (low, high) = wilson(count, n);
            EventProbability {
                id: id.into(),
                label_nb: nb,
                label_en: en,
                count,
                probability: count as f64 / nf,
                low,
                high,
            }
        };
        let k = opts.events.weekly_uncovered;
        let t = opts.events.agency_cost_nok;
        let events = vec![
            ev(
                "shiftWithoutNurse",
                "Minst én vakt uten sykepleier".into(),
                "At least one shift without a nurse".into(),
                agg.ev_no_nurse,
            ),
            ev(
                "weekUncovered",
                format!("≥ {k} udekkede vakter i én uke"),
                format!("≥ {k} uncovered shifts in one week"),
                agg.ev_week,
            ),
            ev(
                "agencyCost",
                format!("Vikarbyråkostnad > {} kr", nok(t)),
                format!("Agency cost > NOK {}", nok(t)),
                agg.ev_agency,
            ),
        ];
        let days: Vec<Vec<Band>> = agg
            .day
            .iter()
            .map(|ms| ms.iter().map(Hist::band).collect())
            .collect();
        let mut worst: Vec<WorstDay> = (0..inst.n_days())
            .map(|d| {
                let h = &agg.day[d][M_UNCOVERED];
                let nn = &agg.day[d][M_NO_NURSE];
                WorstDay {
                    date: inst.dates[d],
                    mean_uncovered: h.mean(),
                    p90_uncovered: h.pct(0.9),
                    p_without_nurse: nn.counts.range(1..).map(|(_, c)| c).sum::<u64>() as f64 / nf,
                    mean_absent: agg.day[d][M_ABSENT].mean(),
                }
            })
            .collect();
        worst.sort_by(|a, b| {
            b.mean_uncovered
                .total_cmp(&a.mean_uncovered)
                .then(a.date.cmp(&b.date))
        });
        worst.truncate(5);
        let weeks = (0..agg.week_absent.len())
            .map(|w| {
                let from = inst.dates[w * 7];
                WeekSummary {
                    label: format!("uke {}", from.iso_week().week()),
                    from,
                    peak_absent: agg.week_absent[w].band(),
                    uncovered: agg.week_uncovered[w].band(),
                }
            })
            .collect();
        let split = [
            agg.cost_ore[0] as f64 / 100.0 / nf,
            agg.cost_ore[1] as f64 / 100.0 / nf,
            agg.cost_ore[2] as f64 / 100.0 / nf,
        ];
        StudyResult {
            scenario: self.scenario.name.clone(),
            runs: n,
            requested: opts.runs,
            cancelled: cancel.load(Ordering::Relaxed) && (n as usize) < opts.runs,
            seed: opts.seed,
            dates: inst.dates.clone(),
            metrics: DAY_METRICS
                .iter()
                .map(|s| s.to_string())
                .chain(
                    inst.project
                        .skills
                        .iter()
                        .map(|k| format!("uncovered.{}", k.id)),
                )
                .collect(),
            days,
            uncovered_by_skill: agg
                .uncovered_skill
                .iter()
                .map(|v| v.iter().map(|&x| x as f64 / nf).collect())
                .collect(),
            skills: inst.project.skills.iter().map(|k| k.id.clone()).collect(),
            events,
            worst_days: worst,
            weeks,
            expected_extra_cost_nok: split.iter().sum(),
            expected_cost_split_nok: split,
            total_cost_nok: agg.total_cost.band(),
            total_uncovered: agg.total_uncovered.band(),
            scenarios: agg.records,
            seconds,
        }
    }
}

impl StudyResult {
    /// Band of a named day metric on day d.
    pub fn band(&self, d: usize, metric: &str) -> Option<&Band> {
        let m = self.metrics.iter().position(|x| x == metric)?;
        self.days.get(d).map(|v| &v[m])
    }

    /// The result without timing, for comparing runs bit for bit.
    pub fn without_timing(&self) -> StudyResult {
        StudyResult {
            seconds: 0.0,
            ..self.clone()
        }
    }
}

/// 95 % Wilson score interval of a binomial proportion.
pub fn wilson(k: u64, n: u64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let (k, n) = (k as f64, n as f64);
    let z = 1.959_963_984_540_054_f64;
    let p = k / n;
    let den = 1.0 + z * z / n;
    let c = (p + z * z / (2.0 * n)) / den;
    let h = z * ((p * (1.0 - p) / n + z * z / (4.0 * n * n)).sqrt()) / den;
    ((c - h).max(0.0), (c + h).min(1.0))
}

/// NOK with no-break spaces between thousands: 500 000.
pub fn nok(x: f64) -> String {
    let v = x.round() as i64;
    let s = v.abs().to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(ch);
    }
    if v < 0 {
        format!("−{out}")
    } else {
        out
    }
}
