//! Re-planning: repair a roster in force after new absences, cheaply and with few changes.
//!
//! The repair goes day by day from the first day that may change. Each day is two exact
//! min-cost flows ([`crate::flow`]): first nurse cover (who can stand in as the missing
//! sykepleier at the least cost), then seats of minimum demand per unit, cohort and skill,
//! filled by the people still rostered (moving floaters costs a change), extra shifts from
//! part-timers within their willingness, overtime within AML § 10-6, and agency staff
//! bookable after their lead time. Every candidate shift is first tried against the
//! working-time rules ([`can_take`]) so the repaired roster stays lawful; the checker
//! confirms it in the tests.
//!
//! Day by day is what a leader does and what the Monte Carlo needs (absences arrive day by
//! day), and it is fast: a repair of one day takes tens of microseconds. The full MIP
//! re-plan ([`replan_mip`]) optimises all remaining days at once and is the yardstick.

use serde::Serialize;

use crate::flow::Flow;
use crate::model::{
    Absence, AbsenceKind, FieldError, Instance, Lang, Project, Staff, StaffRules, DAY,
};
use crate::roster::Grid;

/// Unset cell.
const OFF: i16 = -1;

/// What a change is.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum ChangeKind {
    /// A rostered shift dropped because the person is absent.
    Absent(AbsenceKind),
    /// An extra shift (ekstravakt) by a part-timer, within full time.
    Extra,
    /// Overtime (overtid) with supplement.
    Overtime,
    /// An agency (vikarbyrå) shift.
    Agency,
    /// Same shift, another unit.
    Moved,
    /// Another shift the same day.
    Swapped,
    /// A rostered shift taken away (not for absence).
    Dropped,
    /// A shift moved to another day (the person works the same hours).
    MovedDay,
}

/// One change to the roster, readable by a leader.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Change {
    /// Staff id.
    pub staff: String,
    /// Staff name.
    pub name: String,
    /// Day.
    pub date: chrono::NaiveDate,
    /// Shift code and unit before (None: off).
    pub before: Option<(String, String)>,
    /// Shift code and unit after (None: off).
    pub after: Option<(String, String)>,
    /// What it is.
    pub kind: ChangeKind,
    /// Cost in NOK.
    pub cost_nok: f64,
    /// For a shift moved to this day: the day it was on.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub moved_from: Option<chrono::NaiveDate>,
}

impl Change {
    /// "Kari Nordmann: fri → D 14.03, ekstravakt".
    pub fn text(&self, lang: Lang) -> String {
        let cell = |c: &Option<(String, String)>| match c {
            None => match lang {
                Lang::Nb => "fri".to_string(),
                Lang::En => "off".to_string(),
            },
            Some((s, u)) => format!("{s} {u}"),
        };
        let date = self.date.format("%d.%m").to_string();
        let what = match (self.kind, lang) {
            (ChangeKind::Absent(k), l) => k.word(l).to_string(),
            (ChangeKind::Extra, Lang::Nb) => "ekstravakt".into(),
            (ChangeKind::Extra, Lang::En) => "extra shift".into(),
            (ChangeKind::Overtime, Lang::Nb) => "overtid".into(),
            (ChangeKind::Overtime, Lang::En) => "overtime".into(),
            (ChangeKind::Agency, Lang::Nb) => "vikarbyrå".into(),
            (ChangeKind::Agency, Lang::En) => "agency".into(),
            (ChangeKind::Moved, Lang::Nb) => "flyttet".into(),
            (ChangeKind::Moved, Lang::En) => "moved".into(),
            (ChangeKind::Swapped, Lang::Nb) => "byttet vakt".into(),
            (ChangeKind::Swapped, Lang::En) => "shift changed".into(),
            (ChangeKind::Dropped, Lang::Nb) => "tatt av vakt".into(),
            (ChangeKind::Dropped, Lang::En) => "taken off".into(),
            (ChangeKind::MovedDay, Lang::Nb) => "vakt flyttet".into(),
            (ChangeKind::MovedDay, Lang::En) => "shift moved".into(),
        };
        let cost = if self.cost_nok > 0.0 {
            format!(", {} kr", self.cost_nok.round())
        } else {
            String::new()
        };
        if let Some(from) = self.moved_from {
            return format!(
                "{}: {} {} → {} {date}, {what}",
                self.name,
                cell(&self.before),
                from.format("%d.%m"),
                cell(&self.after)
            );
        }
        format!(
            "{}: {} → {} {date}, {what}{cost}",
            self.name,
            cell(&self.before),
            cell(&self.after)
        )
    }
}

/// What one repaired day cost and left open. Integer counts, costs in øre, so sums are
/// exact and independent of the order they are added in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct DayMetrics {
    /// Rostered shifts lost to absence.
    pub lost_shifts: u32,
    /// Seats of minimum demand left empty, per skill.
    pub uncovered_by_skill: Vec<u32>,
    /// Seats in isolation cohorts left empty.
    pub uncovered_isolation: u32,
    /// Nurse-cover needs (shift × unit or home) with too few nurses.
    pub shifts_without_nurse: u32,
    /// Staff working the clean cohort within the separation window after isolation work.
    pub cohort_crossings: u32,
    /// Extra shifts, overtime shifts, agency shifts, moves.
    pub extra_shifts: u32,
    /// Overtime shifts.
    pub overtime_shifts: u32,
    /// Agency shifts.
    pub agency_shifts: u32,
    /// Floaters moved to another unit.
    pub moves: u32,
    /// Paid minutes of extra shifts.
    pub extra_minutes: u32,
    /// Paid minutes of overtime.
    pub overtime_minutes: u32,
    /// Paid minutes of agency shifts.
    pub agency_minutes: u32,
    /// Cost of extra shifts in øre.
    pub extra_cost_ore: i64,
    /// Cost of overtime in øre.
    pub overtime_cost_ore: i64,
    /// Cost of agency shifts in øre.
    pub agency_cost_ore: i64,
}

impl DayMetrics {
    /// Uncovered seats of all skills and isolation.
    pub fn uncovered(&self) -> u32 {
        self.uncovered_by_skill.iter().sum::<u32>() + self.uncovered_isolation
    }
    /// Total cost in øre.
    pub fn cost_ore(&self) -> i64 {
        self.extra_cost_ore + self.overtime_cost_ore + self.agency_cost_ore
    }
}

/// Id prefix of the virtual agency staff a repair instance adds (`vikar-SKILL-OFFER-N`).
pub const AGENCY_ID_PREFIX: &str = "vikar-";

/// The project made ready for repair: new absences added (clipped to `from`), agency offers
/// as bookable virtual staff (blocked before `from + leadDays` when `block_agency`), and each
/// person's cap on minutes raised by their extra-shift willingness so the checker accepts
/// lawful extra shifts.
pub fn repair_instance(
    inst: &Instance,
    base: &Grid,
    new_absences: &[Absence],
    from: usize,
    block_agency: bool,
) -> Result<Instance, Vec<FieldError>> {
    let mut p: Project = inst.project.clone();
    let n_d = inst.n_days();
    let from_date = inst.dates[from.min(n_d - 1)];
    for a in new_absences {
        let mut a = a.clone();
        if a.to < from_date {
            continue;
        }
        a.from = a.from.max(from_date);
        p.absences.push(a);
    }
    let longest = p
        .shift_types
        .iter()
        .map(|s| s.paid_minutes)
        .max()
        .unwrap_or(0);
    for (e, st) in p.staff.iter_mut().enumerate() {
        let worked: u32 = (0..n_d)
            .flat_map(|d| base.cells[e][d].iter())
            .map(|&(s, _)| inst.paid(s))
            .sum();
        let max = inst.person[e]
            .max_minutes
            .max(worked + st.max_extra_shifts * longest);
        st.rules.max_minutes = Some(max);
        // Absence can push anyone under contract; that is not the repair's doing.
        st.rules.min_minutes = Some(0);
    }
    let all_units: Vec<String> = p.units.iter().map(|u| u.id.clone()).collect();
    let n_s = p.shift_types.len() as u32;
    let offers = p.reserves.agency.clone();
    for (i, o) in offers.iter().enumerate() {
        let skill_name = p
            .skills
            .iter()
            .find(|k| k.id == o.skill)
            .map(|k| k.name.to_lowercase())
            .unwrap_or_default();
        // Enough people that the agency can staff every shift every day within rest rules.
        for j in 0..o.max_per_shift * (n_s + 1) {
            let id = format!("{AGENCY_ID_PREFIX}{}-{}-{}", o.skill, i + 1, j + 1);
            if block_agency {
                let until = from + o.lead_days as usize;
                if until > 0 {
                    p.absences.push(Absence {
                        staff: id.clone(),
                        kind: AbsenceKind::Fri,
                        from: p.start,
                        to: p.start + chrono::Duration::days(until as i64 - 1),
                    });
                }
            }
            p.staff.push(Staff {
                id,
                name: format!("Vikar {skill_name} {}", j + 1),
                skills: vec![o.skill.clone()],
                unit: all_units[0].clone(),
                float_units: all_units[1..].to_vec(),
                stillingsprosent: 0.0,
                max_extra_shifts: 0,
                hourly_wage: 0.0,
                rules: StaffRules {
                    min_minutes: Some(0),
                    max_minutes: Some(n_d as u32 * longest),
                    ..StaffRules::default()
                },
            });
        }
    }
    Instance::new(p)
}

/// Precomputed facts about a repair instance, shared by every scenario.
pub struct Ctx<'a> {
    /// The repair instance (with virtual agency staff).
    pub inst: &'a Instance,
    n_d: usize,
    n_u: usize,
    n_s: usize,
    /// Weekend index of each day, if it is on one.
    pub(crate) weekend_of: Vec<Option<usize>>,
    fte_minutes: i64,
    /// Skill that anyone can fill; isolation seats ask for it.
    iso_skill: usize,
    /// Offer index of each virtual agency person.
    agency_of: Vec<Option<usize>>,
    /// Staff holding a skill that counts for some nurse-cover rule.
    nurse_like: Vec<bool>,
    /// Nurse needs per day.
    needs_of_day: Vec<Vec<usize>>,
    /// Days where two nurse needs share a (shift, unit): one nurse would count for both, and
    /// the nurse-cover flow counts each nurse for one need, so such days keep to the deficits.
    needs_overlap: Vec<bool>,
    seat_reward: i64,
    /// Per skill, a tie-break (in øre) on top of `seat_reward`: among equal fillings the
    /// flow fills the seats fewer skills can take, so the seat left open is one that most
    /// people can fill (a helper seat, not the nurse seat a nurse moved out of), which the
    /// later passes and retries then look for.
    seat_bonus: Vec<i64>,
    nurse_reward: i64,
    crossing_pen: i64,
    change_pen: i64,
    /// Wage per paid minute in øre, ordinary and with the overtime supplement.
    ore_per_min: Vec<(i64, i64, i64)>,
}

impl<'a> Ctx<'a> {
    /// Facts about `inst` (a [`repair_instance`]).
    pub fn new(inst: &'a Instance) -> Ctx<'a> {
        let p = &inst.project;
        let n_d = inst.n_days();
        let mut weekend_of = vec![None; n_d];
        for (i, w) in inst.weekends.iter().enumerate() {
            for &d in w {
                weekend_of[d] = Some(i);
            }
        }
        let fte_minutes = i64::from(p.rules.full_time_week_minutes) * n_d as i64 / 7;
        let n_k = p.skills.len();
        let iso_skill = (0..n_k)
            .max_by_key(|&k| (inst.covers.iter().filter(|c| c[k]).count(), k))
            .unwrap_or(0);
        let mut agency_of = vec![None; inst.n_staff()];
        for (e, st) in p.staff.iter().enumerate() {
            if let Some(rest) = st.id.strip_prefix(AGENCY_ID_PREFIX) {
                // vikar-SKILL-OFFER-N: the offer is the second field from the end.
                let parts: Vec<&str> = rest.rsplitn(3, '-').collect();
                if parts.len() == 3 {
                    if let Ok(i) = parts[1].parse::<usize>() {
                        if i >= 1 && i <= p.reserves.agency.len() {
                            agency_of[e] = Some(i - 1);
                        }
                    }
                }
            }
        }
        let nurse_like = (0..inst.n_staff())
            .map(|e| {
                inst.nurse_needs
                    .iter()
                    .any(|n| n.skills.iter().any(|&k| inst.has[e][k]))
            })
            .collect();
        let mut needs_of_day = vec![Vec::new(); n_d];
        for (i, nd) in inst.nurse_needs.iter().enumerate() {
            needs_of_day[nd.day].push(i);
        }
        let needs_overlap = needs_of_day
            .iter()
            .map(|needs| {
                needs.iter().enumerate().any(|(a, &i)| {
                    needs[a + 1..].iter().any(|&i2| {
                        let (x, y) = (&inst.nurse_needs[i], &inst.nurse_needs[i2]);
                        x.shift == y.shift && x.units.iter().any(|u| y.units.contains(u))
                    })
                })
            })
            .collect();
        let per_nok = p.weights.cost_per_nok.max(1e-9);
        let ot = 1.0 + p.rules.overtime_supplement_percent / 100.0;
        let ex = 1.0 + p.reserves.extra_shift_supplement_percent / 100.0;
        let ore_per_min = p
            .staff
            .iter()
            .map(|s| {
                let base = s.hourly_wage * 100.0 / 60.0;
                (
                    base.round() as i64,
                    (base * ex).round() as i64,
                    (base * ot).round() as i64,
                )
            })
            .collect();
        Ctx {
            inst,
            n_d,
            n_u: inst.n_units(),
            n_s: inst.n_shifts(),
            weekend_of,
            fte_minutes,
            iso_skill,
            agency_of,
            nurse_like,
            needs_of_day,
            needs_overlap,
            seat_reward: (p.weights.short_min / per_nok * 100.0).min(1e13) as i64,
            seat_bonus: (0..p.skills.len())
                .map(|k| (p.skills.len() - inst.covers.iter().filter(|c| c[k]).count()) as i64)
                .collect(),
            nurse_reward: (p.weights.short_nurse / per_nok * 100.0).min(1e13) as i64,
            crossing_pen: (p.weights.short_min / per_nok * 100.0 / 10.0).min(1e12) as i64,
            change_pen: (p.reserves.change_penalty_nok * 100.0).round() as i64,
            ore_per_min,
        }
    }

    /// Offer index if `e` is a virtual agency person.
    pub fn agency(&self, e: usize) -> Option<usize> {
        self.agency_of[e]
    }
}

/// A roster being repaired, compact: one cell per staff and day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State {
    n_d: usize,
    n_u: usize,
    /// `e * n_d + d` → `s * n_u + u`, or -1 when off.
    pub cell: Vec<i16>,
    /// Worked in an isolation cohort that day.
    pub iso: Vec<bool>,
    /// Shifts added by the repair, per person.
    added: Vec<u32>,
    /// Overtime minutes per staff and day.
    ot: Vec<u32>,
    /// Cells known to be lost to an absence (still set until their day is repaired).
    gone: Vec<bool>,
    /// Paid minutes per shift type.
    paid: Vec<u32>,
    /// Paid minutes worked per person (kept in step with `cell`).
    minutes: Vec<u32>,
    /// Shifts per person and type (`e * n_s + s`).
    count: Vec<u32>,
    /// Per day, the earliest day on which the repair itself opened a hole there (a shift
    /// pulled forward to cover an earlier day), for agency lead times; MAX when none.
    opened: Vec<usize>,
    /// The day every decision of this repair is taken on, when all of it is planned at
    /// once (`replan`: on its first day); None when each day is repaired on that day
    /// (the Monte Carlo, where absences become known day by day).
    pub plan_day: Option<usize>,
}

impl State {
    /// The day a change made while repairing day `d` is decided: from then on, agency
    /// can be booked for the holes it opens.
    fn decided_on(&self, d: usize) -> usize {
        self.plan_day.map_or(d, |f| f.min(d))
    }

    /// From a grid (the first shift of each cell).
    pub fn new(ctx: &Ctx, g: &Grid) -> State {
        let (n_d, n_u) = (ctx.n_d, ctx.n_u);
        let n_e = ctx.inst.n_staff();
        let mut cell = vec![OFF; n_e * n_d];
        for (e, days) in g.cells.iter().enumerate().take(n_e) {
            for (d, c) in days.iter().enumerate() {
                if let Some(&(s, u)) = c.first() {
                    cell[e * n_d + d] = (s * n_u + u) as i16;
                }
            }
        }
        let n_s = ctx.n_s;
        let paid: Vec<u32> = (0..n_s).map(|s| ctx.inst.paid(s)).collect();
        let mut minutes = vec![0; n_e];
        let mut count = vec![0; n_e * n_s];
        for e in 0..n_e {
            for d in 0..n_d {
                let c = cell[e * n_d + d];
                if c >= 0 {
                    let s = c as usize / n_u;
                    minutes[e] += paid[s];
                    count[e * n_s + s] += 1;
                }
            }
        }
        State {
            n_d,
            n_u,
            cell,
            paid,
            minutes,
            count,
            iso: vec![false; n_e * n_d],
            added: vec![0; n_e],
            ot: vec![0; n_e * n_d],
            gone: vec![false; n_e * n_d],
            opened: vec![usize::MAX; n_d],
            plan_day: None,
        }
    }

    /// Resets to a base state without allocating.
    pub fn reset_from(&mut self, base: &State) {
        self.cell.copy_from_slice(&base.cell);
        self.iso.copy_from_slice(&base.iso);
        self.added.copy_from_slice(&base.added);
        self.ot.copy_from_slice(&base.ot);
        self.gone.copy_from_slice(&base.gone);
        self.minutes.copy_from_slice(&base.minutes);
        self.count.copy_from_slice(&base.count);
        self.opened.copy_from_slice(&base.opened);
        self.plan_day = base.plan_day;
    }

    /// Marks `e`'s shifts on days `from..=to` as lost to a known absence.
    pub fn mark_gone(&mut self, e: usize, from: usize, to: usize) {
        for d in from..=to.min(self.n_d - 1) {
            self.gone[e * self.n_d + d] = true;
        }
    }

    /// (shift, unit) of a person on a day.
    pub fn get(&self, e: usize, d: usize) -> Option<(usize, usize)> {
        let c = self.cell[e * self.n_d + d];
        (c >= 0).then(|| (c as usize / self.n_u, c as usize % self.n_u))
    }

    pub(crate) fn set(&mut self, e: usize, d: usize, v: Option<(usize, usize)>) {
        let n_s = self.paid.len();
        if let Some((s, _)) = self.get(e, d) {
            self.minutes[e] -= self.paid[s];
            self.count[e * n_s + s] -= 1;
        }
        if let Some((s, _)) = v {
            self.minutes[e] += self.paid[s];
            self.count[e * n_s + s] += 1;
        }
        self.cell[e * self.n_d + d] = v.map_or(OFF, |(s, u)| (s * self.n_u + u) as i16);
    }

    /// Paid minutes `e` works in the horizon.
    pub fn minutes(&self, e: usize) -> u32 {
        self.minutes[e]
    }

    /// Back to a grid.
    pub fn to_grid(&self, n_e: usize) -> Grid {
        let mut cells = vec![vec![Vec::new(); self.n_d]; n_e];
        for (e, row) in cells.iter_mut().enumerate() {
            for (d, c) in row.iter_mut().enumerate() {
                if let Some(x) = self.get(e, d) {
                    c.push(x);
                }
            }
        }
        Grid {
            cells,
            cohorts: Default::default(),
        }
    }
}

/// Whether person `e`, off on day `d`, may lawfully take shift `s` there: every personal
/// working-time rule of the checker, evaluated only around `d`.
pub fn can_take(ctx: &Ctx, st: &State, e: usize, d: usize, s: usize) -> bool {
    let inst = ctx.inst;
    let pr = &inst.person[e];
    let n_d = ctx.n_d;
    let shift = |x: usize| st.get(e, x).map(|c| c.0);
    if pr.max_shifts[s] == 0 {
        return false;
    }
    if pr.max_shifts[s] != u32::MAX {
        let n = st.count[e * ctx.n_s + s];
        if n + 1 > pr.max_shifts[s] {
            return false;
        }
    }
    if st.minutes[e] + inst.paid(s) > pr.max_minutes {
        return false;
    }
    // Daily rest and forbidden successions with the neighbours up to two days away; never
    // an overlap, even where no rest rule is set.
    let clash =
        |k: usize, a: usize, b: usize| inst.too_close(k, a, b) || inst.rest_gap(k, a, b) < 0;
    for k in 1..=2usize {
        if d >= k && shift(d - k).is_some_and(|p| clash(k, p, s)) {
            return false;
        }
        if d + k < n_d && shift(d + k).is_some_and(|nx| clash(k, s, nx)) {
            return false;
        }
    }
    // Runs of working days and of nights through d.
    let run = |on: &dyn Fn(usize) -> bool| {
        let mut l = 0;
        while d > l && on(d - l - 1) {
            l += 1;
        }
        let mut r = 0;
        while d + r + 1 < n_d && on(d + r + 1) {
            r += 1;
        }
        (l, r)
    };
    let (l, r) = run(&|x| shift(x).is_some());
    if l + 1 + r > pr.max_consecutive_days as usize {
        return false;
    }
    let start = d - l;
    let end = d + r;
    if (l + 1 + r) < pr.min_consecutive_days as usize && start > 0 && end + 1 < n_d {
        return false;
    }
    if inst.night[s] {
        let (l, r) = run(&|x| shift(x).is_some_and(|y| inst.night[y]));
        if l + 1 + r > pr.max_consecutive_nights as usize {
            return false;
        }
    }
    // Off runs on either side must not become too short.
    let minoff = pr.min_consecutive_days_off as usize;
    if minoff > 1 {
        let mut lo = 0;
        while d > lo && shift(d - lo - 1).is_none() {
            lo += 1;
        }
        if lo > 0 && lo < minoff && d - lo > 0 {
            return false;
        }
        let mut ro = 0;
        while d + ro + 1 < n_d && shift(d + ro + 1).is_none() {
            ro += 1;
        }
        if ro > 0 && ro < minoff && d + ro + 1 < n_d {
            return false;
        }
    }
    // Weekends.
    if let Some(w) = ctx.weekend_of[d] {
        let here = &inst.weekends[w];
        if !here.iter().any(|&x| shift(x).is_some()) {
            let worked = inst
                .weekends
                .iter()
                .filter(|ww| ww.iter().any(|&x| shift(x).is_some()))
                .count() as u32;
            if worked + 1 > pr.max_weekends {
                return false;
            }
        }
    }
    // Weekly rest in every 7-day window holding d (AML § 10-8 (2)), as the checker reads it.
    if let Some(need) = inst.project.rules.weekly_rest_minutes {
        let need = i64::from(need);
        if n_d >= 7 {
            let lo = d.saturating_sub(6);
            let hi = d.min(n_d - 7);
            for w in lo..=hi {
                let (ws, we) = (w as i64 * i64::from(DAY), (w + 7) as i64 * i64::from(DAY));
                let mut free_from = ws;
                let mut longest = 0;
                for x in w.saturating_sub(1)..(w + 7).min(n_d) {
                    let sx = if x == d { Some(s) } else { shift(x) };
                    let Some(sx) = sx else { continue };
                    let base = x as i64 * i64::from(DAY);
                    let (a, b) = (
                        base + i64::from(inst.span[sx].0),
                        base + i64::from(inst.span[sx].1),
                    );
                    if b <= ws || a >= we {
                        continue;
                    }
                    longest = longest.max(a.max(ws) - free_from);
                    free_from = free_from.max(b.min(we));
                }
                longest = longest.max(we - free_from);
                if longest < need {
                    return false;
                }
            }
        }
    }
    true
}

/// Absence of one person on the day being repaired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Away {
    /// Kind.
    pub kind: AbsenceKind,
    /// Day it became known (agency needs `leadDays` from then).
    pub known_since: usize,
    /// Last day as known now.
    pub until: usize,
}

/// Reusable buffers for [`repair_day`].
#[derive(Default)]
pub struct Scratch {
    flow: Flow,
    known: Vec<usize>,
    seats: Vec<(usize, usize, bool, usize, u32)>,
    slot_staff: Vec<Vec<usize>>,
    slot_seats: Vec<Vec<usize>>,
    before: Option<State>,
    /// A person the flows must leave on her shift (a retry's switch).
    pinned: Option<usize>,
    /// Seats (shift, unit, skill) the last repaired day left open.
    open: Vec<(usize, usize, usize)>,
}

/// Whether `staff` can fill every seat (skills by index).
fn fills_all(inst: &Instance, staff: &[usize], seats: &[usize]) -> bool {
    seats.is_empty()
        || (staff.len() >= seats.len() && matched(inst, staff, usize::MAX, seats) == seats.len())
}

/// How many seats (skills by index) `staff` other than `skip` can fill at most, by
/// augmenting paths on fixed arrays where slots are small: this runs for every slot of
/// every simulated day, and for every later shift weighed for a pull.
fn matched(inst: &Instance, staff: &[usize], skip: usize, seats: &[usize]) -> usize {
    if staff.len() > 32 || seats.len() > 32 {
        let staff: Vec<usize> = staff.iter().copied().filter(|&x| x != skip).collect();
        return crate::check::match_seats(|e, k| inst.can[e][k], &staff, seats)
            .iter()
            .filter(|x| x.is_some())
            .count();
    }
    fn augment(
        j: usize,
        inst: &Instance,
        staff: &[usize],
        skip: usize,
        seats: &[usize],
        seen: &mut u32,
        seat_of: &mut [usize; 32],
    ) -> bool {
        for i in 0..staff.len() {
            if *seen & (1 << i) != 0 || staff[i] == skip || !inst.can[staff[i]][seats[j]] {
                continue;
            }
            *seen |= 1 << i;
            if seat_of[i] == usize::MAX
                || augment(seat_of[i], inst, staff, skip, seats, seen, seat_of)
            {
                seat_of[i] = j;
                return true;
            }
        }
        false
    }
    let mut seat_of = [usize::MAX; 32];
    (0..seats.len())
        .filter(|&j| {
            let mut seen = 0u32;
            augment(j, inst, staff, skip, seats, &mut seen, &mut seat_of)
        })
        .count()
}

/// Repairs day `d`: drops shifts of absent people, then fills nurse cover and minimum
/// demand at least cost. `away[e]` is the absence status of each person that day;
/// `infected[u]` the infected patients per unit. Appends changes to `log` when given.
///
/// Where the flows leave a seat open, each rostered person who could lawfully switch to
/// it is tried there in turn and the day repaired again: the flows keep a nurse where
/// nurse cover counted her, so they cannot see a three-person exchange such as a night
/// nurse taking the open day seat while another nurse and a helper are brought forward
/// to the night. A retry is kept only if it leaves fewer seats and nurse needs open.
#[allow(clippy::too_many_arguments)]
pub fn repair_day(
    ctx: &Ctx,
    st: &mut State,
    sc: &mut Scratch,
    d: usize,
    away: &[Option<Away>],
    infected: &[u32],
    mut log: Option<&mut Vec<Change>>,
) -> DayMetrics {
    // The day's starting point, kept in the scratch space: this runs for every simulated day.
    let before = snapshot(sc.before.take(), st);
    let log_len = log.as_deref().map_or(0, Vec::len);
    let m = repair_day_flow(ctx, st, sc, d, away, infected, log.as_deref_mut());
    if m.uncovered() == 0 {
        sc.before = Some(before);
        return m;
    }
    let m = retry_switches(ctx, st, sc, d, away, infected, log, log_len, &before, m);
    sc.before = Some(before);
    m
}

/// A copy of `st` in `slot`'s buffers where they fit.
fn snapshot(slot: Option<State>, st: &State) -> State {
    match slot {
        Some(mut b) if b.cell.len() == st.cell.len() && b.paid.len() == st.paid.len() => {
            b.reset_from(st);
            b
        }
        _ => st.clone(),
    }
}

/// The retries of [`repair_day`] after its flows left seats open (`m`).
#[allow(clippy::too_many_arguments)]
fn retry_switches(
    ctx: &Ctx,
    st: &mut State,
    sc: &mut Scratch,
    d: usize,
    away: &[Option<Away>],
    infected: &[u32],
    log: Option<&mut Vec<Change>>,
    log_len: usize,
    before: &State,
    m: DayMetrics,
) -> DayMetrics {
    let gaps = |m: &DayMetrics| m.uncovered() + m.shifts_without_nurse;
    let inst = ctx.inst;
    let open = std::mem::take(&mut sc.open);
    // (person, shift, unit) switches to try, each at most once.
    let mut tries: Vec<(usize, usize, usize)> = Vec::new();
    for &(s, u, k) in &open {
        for e in 0..inst.n_staff() {
            let Some((s0, _)) = before.get(e, d) else {
                continue;
            };
            if s0 == s
                || away[e].is_some()
                || !inst.can[e][k]
                || !inst.units_of[e].contains(&u)
                || tries.contains(&(e, s, u))
            {
                continue;
            }
            tries.push((e, s, u));
        }
    }
    let mut best: Option<(DayMetrics, State, Vec<Change>)> = None;
    let mut trial = before.clone();
    for (e, s, u) in tries {
        trial.reset_from(before);
        let c0 = trial.get(e, d);
        trial.set(e, d, None);
        if !can_take(ctx, &trial, e, d, s) {
            continue;
        }
        trial.set(e, d, Some((s, u)));
        let mut tlog = Vec::new();
        sc.pinned = Some(e);
        let tm = repair_day_flow(
            ctx,
            &mut trial,
            sc,
            d,
            away,
            infected,
            log.is_some().then_some(&mut tlog),
        );
        sc.pinned = None;
        let bar = best.as_ref().map_or(gaps(&m), |b| gaps(&b.0));
        let cheaper = best
            .as_ref()
            .is_some_and(|b| gaps(&tm) == bar && tm.cost_ore() < b.0.cost_ore());
        if gaps(&tm) < bar || cheaper {
            if log.is_some() {
                let at = tlog
                    .iter()
                    .position(|c| !matches!(c.kind, ChangeKind::Absent(_)))
                    .unwrap_or(tlog.len());
                let c = change(ctx, e, d, c0, Some((s, u)), ChangeKind::Swapped, 0);
                tlog.insert(at, c);
            }
            best = Some((tm, trial.clone(), tlog));
        }
    }
    let Some((bm, bst, blog)) = best else {
        return m;
    };
    st.reset_from(&bst);
    if let Some(l) = log {
        l.truncate(log_len);
        l.extend(blog);
    }
    bm
}

/// The two flows of [`repair_day`]: nurse cover, then seats of minimum demand.
fn repair_day_flow(
    ctx: &Ctx,
    st: &mut State,
    sc: &mut Scratch,
    d: usize,
    away: &[Option<Away>],
    infected: &[u32],
    mut log: Option<&mut Vec<Change>>,
) -> DayMetrics {
    let inst = ctx.inst;
    let p = &inst.project;
    let (n_u, n_s, n_e) = (ctx.n_u, ctx.n_s, inst.n_staff());
    let mut m = DayMetrics {
        uncovered_by_skill: vec![0; p.skills.len()],
        ..DayMetrics::default()
    };
    let pinned = sc.pinned;
    sc.open.clear();
    // Day of the earliest-known hole per (shift, unit), for agency lead times.
    sc.known.clear();
    sc.known.resize(n_s * n_u, usize::MAX);
    for e in 0..n_e {
        if let Some(a) = away[e] {
            st.mark_gone(e, d, a.until);
        }
        if let (Some(a), Some((s, u))) = (away[e], st.get(e, d)) {
            st.set(e, d, None);
            m.lost_shifts += 1;
            let k = &mut sc.known[s * n_u + u];
            *k = (*k).min(a.known_since);
            if let Some(l) = log.as_deref_mut() {
                l.push(change(
                    ctx,
                    e,
                    d,
                    Some((s, u)),
                    None,
                    ChangeKind::Absent(a.kind),
                    0,
                ));
            }
        }
    }
    let sep = p.cohorting.separation_days as usize;
    let bound = |st: &State, e: usize| (1..=sep).any(|k| d >= k && st.iso[e * ctx.n_d + d - k]);
    let iso_need = |s: usize, u: usize| -> u32 {
        if inst.iso_cohort[u].is_none() || infected[u] == 0 {
            return 0;
        }
        (f64::from(infected[u]) / inst.iso_patients_per_staff[s]).ceil() as u32
    };
    // Agency staff go where the day needs them, so the day's earliest-known gap counts for
    // the lead time, whichever unit or shift it opened in.
    let known_day = sc
        .known
        .iter()
        .copied()
        .min()
        .unwrap_or(usize::MAX)
        .min(st.opened[d]);
    let agency_ok = |e: usize| -> bool {
        match ctx.agency_of[e] {
            None => true,
            Some(o) => {
                known_day != usize::MAX && d >= known_day + p.reserves.agency[o].lead_days as usize
            }
        }
    };

    // Stage 1: nurse cover.
    let needs = &ctx.needs_of_day[d];
    // Whether `e` on (s, u) counts for nurse need `i`.
    let counts_for = |i: usize, e: usize, s: usize, u: usize| -> bool {
        let nd = &inst.nurse_needs[i];
        s == nd.shift && nd.units.contains(&u) && nd.skills.iter().any(|&k| inst.has[e][k])
    };
    let present_nurses = |st: &State, i: usize| -> u32 {
        (0..n_e)
            .filter(|&e| st.get(e, d).is_some_and(|(s, u)| counts_for(i, e, s, u)))
            .count() as u32
    };
    // Whether `e` may go from (s0, u0) to (s, u) as far as the nurse needs she counts for
    // are concerned: each she leaves has a nurse to spare, and she is not `locked` there.
    // `s` = usize::MAX: she leaves (s0, u0) for no nurse need at all.
    let may_leave = |st: &State,
                     locked: &[usize],
                     e: usize,
                     s0: usize,
                     u0: usize,
                     s: usize,
                     u: usize|
     -> bool {
        ctx.needs_of_day[d].iter().all(|&i| {
            !counts_for(i, e, s0, u0)
                || counts_for(i, e, s, u)
                || (!locked.contains(&e) && present_nurses(st, i) > inst.nurse_needs[i].required)
        })
    };
    let deficits: Vec<(usize, u32)> = needs
        .iter()
        .map(|&i| (i, present_nurses(st, i)))
        .filter(|&(i, n)| n < inst.nurse_needs[i].required)
        .map(|(i, n)| (i, inst.nurse_needs[i].required - n))
        .collect();
    let mut chain_cache = StandInCache::new();
    // Round 1 (only if a need stays short) adds shifts pulled forward from later days where
    // a reserve can take them over, and sees every need of the day, met or not: a nurse may
    // then leave a need that someone else refills (N → D while a later night is pulled
    // forward), an exchange that filling one deficit at a time cannot see.
    for round in 0..2 {
        if deficits.is_empty() {
            break;
        }
        let general = round == 1 && !ctx.needs_overlap[d];
        let targets: Vec<(usize, u32)> = if general {
            needs
                .iter()
                .map(|&i| (i, inst.nurse_needs[i].required))
                .collect()
        } else {
            deficits.clone()
        };
        let f = &mut sc.flow;
        f.reset(2);
        let (src, sink) = (0, 1);
        let mut need_edges = Vec::with_capacity(targets.len());
        let need_nodes: Vec<usize> = targets
            .iter()
            .map(|&(_, cap)| {
                let v = f.node();
                need_edges.push(f.edge(v, sink, i64::from(cap), -ctx.nurse_reward));
                v
            })
            .collect();
        let ahead = Ahead::new(ctx, st, d);
        let mut edges: Vec<NurseEdge> = Vec::new();
        for e in 0..n_e {
            if away[e].is_some() || st.get(e, d).is_some() || !ctx.nurse_like[e] {
                continue;
            }
            let mut pnode = None;
            let later = later_options(ctx, st, &ahead, e, d);
            let chains = if round == 1 {
                chain_options(ctx, st, &ahead, e, d, &mut chain_cache)
            } else {
                Vec::new()
            };
            for (j, &(i, _)) in targets.iter().enumerate() {
                let nd = &inst.nurse_needs[i];
                if !nd.skills.iter().any(|&k| inst.has[e][k]) {
                    continue;
                }
                let Some(u) = nd
                    .units
                    .iter()
                    .copied()
                    .filter(|u| inst.units_of[e].contains(u))
                    .min_by_key(|&u| (u != inst.home_unit[e], u))
                else {
                    continue;
                };
                if !agency_ok(e) {
                    continue;
                }
                let opts = take_options(ctx, st, e, d, nd.shift, &later, &chains);
                for (c, cost, kind, d2, pull) in opts {
                    let v = *pnode.get_or_insert_with(|| {
                        let v = f.node();
                        f.edge(src, v, 1, 0);
                        v
                    });
                    let ed = f.edge(v, need_nodes[j], 1, c);
                    edges.push((ed, e, i, u, cost, kind, d2, pull));
                }
            }
        }
        // A nurse on another shift today may switch (or, in round 1, move to another unit
        // on the same shift): before round 1 only if the cover she leaves still holds, in
        // round 1 because the flow refills what she leaves.
        for e in 0..n_e {
            let Some((s0, u0)) = st.get(e, d) else {
                continue;
            };
            if away[e].is_some()
                || !ctx.nurse_like[e]
                || pinned == Some(e)
                || (!general && !may_leave(st, &[], e, s0, u0, usize::MAX, u0))
            {
                continue;
            }
            let mut pnode = None;
            for (j, &(i, _)) in targets.iter().enumerate() {
                let nd = &inst.nurse_needs[i];
                if !nd.skills.iter().any(|&k| inst.has[e][k]) || (nd.shift == s0 && !general) {
                    continue;
                }
                let Some(u) = nd
                    .units
                    .iter()
                    .copied()
                    .filter(|u| inst.units_of[e].contains(u))
                    .min_by_key(|&u| (u != u0, u))
                else {
                    continue;
                };
                let (c, kind) = if nd.shift != s0 {
                    st.set(e, d, None);
                    let ok = can_take(ctx, st, e, d, nd.shift);
                    st.set(e, d, Some((s0, u0)));
                    if !ok {
                        continue;
                    }
                    (ctx.change_pen, Some(ChangeKind::Swapped))
                } else if u == u0 {
                    (0, None)
                } else {
                    (ctx.change_pen, Some(ChangeKind::Moved))
                };
                let v = *pnode.get_or_insert_with(|| {
                    let v = f.node();
                    f.edge(src, v, 1, 0);
                    v
                });
                let ed = f.edge(v, need_nodes[j], 1, c);
                // Staying where she is needs no change.
                if let Some(kind) = kind {
                    edges.push((ed, e, i, u, 0, kind, usize::MAX, Pull::Surplus));
                }
            }
        }
        f.min_cost(src, sink);
        let short: i64 = need_edges
            .iter()
            .zip(&targets)
            .map(|(&ed, &(_, n))| i64::from(n) - sc.flow.flow(ed))
            .sum();
        if round == 0 && short > 0 {
            continue;
        }
        for &(ed, e, i, u, cost, kind, d2, pull) in &edges {
            if sc.flow.flow(ed) > 0 {
                let s = inst.nurse_needs[i].shift;
                if matches!(kind, ChangeKind::Swapped | ChangeKind::Moved) {
                    let b = st.get(e, d);
                    st.set(e, d, Some((s, u)));
                    if kind == ChangeKind::Moved {
                        m.moves += 1;
                    }
                    if let Some(l) = log.as_deref_mut() {
                        l.push(change(ctx, e, d, b, Some((s, u)), kind, 0));
                    }
                } else if d2 == usize::MAX {
                    apply_add(ctx, st, &mut m, e, d, s, u, cost, kind, log.as_deref_mut());
                } else {
                    apply_later(ctx, st, e, d, d2, s, u, pull, log.as_deref_mut());
                }
            }
        }
        break;
    }

    // Stage 2: seats of minimum demand per (shift, unit, cohort, skill).
    sc.seats.clear();
    for s in 0..n_s {
        for u in 0..n_u {
            let iso = iso_need(s, u);
            let beds = p.units[u].beds;
            let clean_share = if iso > 0 && beds > 0 {
                f64::from(beds.saturating_sub(infected[u])) / f64::from(beds)
            } else {
                1.0
            };
            for x in &inst.demand[d][s][u] {
                let n = (f64::from(x.min) * clean_share).ceil() as u32;
                if n > 0 {
                    sc.seats.push((s, u, false, x.skill, n));
                }
            }
            if iso > 0 {
                sc.seats.push((s, u, true, ctx.iso_skill, iso));
            }
        }
    }
    // Most days need nothing: every seat is filled by the people rostered in that unit,
    // with no isolation cohort to staff and nobody kept from the clean cohort. A small
    // matching per (shift, unit) tells, and saves building the flow.
    let quiet = sc.seats.iter().all(|x| !x.2)
        && (0..n_e).all(|e| away[e].is_some() || st.get(e, d).is_none() || !bound(st, e))
        && {
            let slots = n_s * n_u;
            sc.slot_staff.resize_with(slots, Vec::new);
            sc.slot_seats.resize_with(slots, Vec::new);
            sc.slot_staff.iter_mut().for_each(Vec::clear);
            sc.slot_seats.iter_mut().for_each(Vec::clear);
            for e in 0..n_e {
                if let (None, Some((s, u))) = (away[e], st.get(e, d)) {
                    sc.slot_staff[s * n_u + u].push(e);
                }
            }
            for x in &sc.seats {
                for _ in 0..x.4 {
                    sc.slot_seats[x.0 * n_u + x.1].push(x.3);
                }
            }
            (0..slots).all(|i| fills_all(inst, &sc.slot_staff[i], &sc.slot_seats[i]))
        };
    if quiet {
        for e in 0..n_e {
            st.iso[e * ctx.n_d + d] = false;
        }
    }
    let mut chain_cache = StandInCache::new();
    let mut open_seats: Vec<usize> = Vec::new();
    // Nurses who must stay where nurse cover counts them (see below).
    let mut locked: Vec<usize> = Vec::new();
    for pass in 0..3 {
        if quiet {
            break;
        }
        // Pass 0 uses only the people rostered today; pass 1 (only if seats stay empty)
        // adds every lawful reserve; pass 2 (only if seats still stay empty) adds shifts
        // pulled forward from later days where a reserve can take them over.
        let (seat_nodes, edges) = loop {
            let f = &mut sc.flow;
            f.reset(2);
            let (src, sink) = (0, 1);
            let seat_nodes: Vec<(usize, usize)> = sc
                .seats
                .iter()
                .map(|&(_, _, _, k, n)| {
                    let v = f.node();
                    let reward = ctx.seat_reward + ctx.seat_bonus.get(k).copied().unwrap_or(0);
                    (v, f.edge(v, sink, i64::from(n), -reward))
                })
                .collect();
            let ahead = (pass >= 1).then(|| Ahead::new(ctx, st, d));
            let fills_open = |e: usize| {
                open_seats.iter().any(|&j| {
                    let (_, u, _, k, _) = sc.seats[j];
                    inst.can[e][k] && inst.units_of[e].contains(&u)
                })
            };
            let mut edges: Vec<SeatEdge> = Vec::new();
            for e in 0..n_e {
                if away[e].is_some() {
                    continue;
                }
                let b = bound(st, e);
                match st.get(e, d) {
                    Some((s0, u0)) => {
                        let v = f.node();
                        f.edge(src, v, 1, 0);
                        for (j, &(s, u, iso, k, _)) in sc.seats.iter().enumerate() {
                            if s != s0 || !inst.can[e][k] || !inst.units_of[e].contains(&u) {
                                continue;
                            }
                            // A nurse leaves a nurse cover that counts her only where it has
                            // one to spare.
                            if u != u0
                                && ctx.nurse_like[e]
                                && !may_leave(st, &locked, e, s0, u0, s0, u)
                            {
                                continue;
                            }
                            let mut c = if u != u0 { ctx.change_pen } else { 0 };
                            if b && !iso {
                                c += ctx.crossing_pen;
                            }
                            if iso && !b {
                                c += 1;
                            }
                            edges.push((
                                f.edge(v, seat_nodes[j].0, 1, c),
                                e,
                                j,
                                c,
                                None,
                                usize::MAX,
                                Pull::Surplus,
                            ));
                        }
                        // When seats stay empty, a rostered person may switch to another shift
                        // of the same day, if that is lawful and leaves the nurse cover it counted for.
                        if pass >= 1
                            && pinned != Some(e)
                            && (!ctx.nurse_like[e]
                                || may_leave(st, &locked, e, s0, u0, usize::MAX, u0))
                        {
                            st.set(e, d, None);
                            for s in (0..n_s).filter(|&s| s != s0) {
                                if !sc.seats.iter().any(|&(ss, u, _, k, _)| {
                                    ss == s && inst.can[e][k] && inst.units_of[e].contains(&u)
                                }) || !can_take(ctx, st, e, d, s)
                                {
                                    continue;
                                }
                                for (j, &(ss, u, iso, k, _)) in sc.seats.iter().enumerate() {
                                    if ss != s || !inst.can[e][k] || !inst.units_of[e].contains(&u)
                                    {
                                        continue;
                                    }
                                    let mut c = ctx.change_pen;
                                    if b && !iso {
                                        c += ctx.crossing_pen;
                                    }
                                    edges.push((
                                        f.edge(v, seat_nodes[j].0, 1, c),
                                        e,
                                        j,
                                        0,
                                        Some(ChangeKind::Swapped),
                                        usize::MAX,
                                        Pull::Surplus,
                                    ));
                                }
                            }
                            st.set(e, d, Some((s0, u0)));
                        }
                    }
                    None if pass >= 1 => {
                        let mut v = None;
                        let ahead = ahead.as_ref().expect("built for pass 1");
                        let later = later_options(ctx, st, ahead, e, d);
                        let chains = if pass == 2 && fills_open(e) {
                            chain_options(ctx, st, ahead, e, d, &mut chain_cache)
                        } else {
                            Vec::new()
                        };
                        for s in 0..n_s {
                            if !sc.seats.iter().any(|&(ss, u, _, k, _)| {
                                ss == s && inst.can[e][k] && inst.units_of[e].contains(&u)
                            }) {
                                continue;
                            }
                            let opts = take_options(ctx, st, e, d, s, &later, &chains);
                            for (price, cost, kind, d2, pull) in opts {
                                for (j, &(ss, u, iso, k, _)) in sc.seats.iter().enumerate() {
                                    if ss != s || !inst.can[e][k] || !inst.units_of[e].contains(&u)
                                    {
                                        continue;
                                    }
                                    if !agency_ok(e) {
                                        continue;
                                    }
                                    let mut c = price;
                                    if b && !iso {
                                        c += ctx.crossing_pen;
                                    }
                                    let vv = *v.get_or_insert_with(|| {
                                        let vv = f.node();
                                        f.edge(src, vv, 1, 0);
                                        vv
                                    });
                                    edges.push((
                                        f.edge(vv, seat_nodes[j].0, 1, c),
                                        e,
                                        j,
                                        cost,
                                        Some(kind),
                                        d2,
                                        pull,
                                    ));
                                }
                            }
                        }
                    }
                    None => {}
                }
            }
            f.min_cost(src, sink);
            // Nurses who each left a need with one to spare may together leave it short:
            // as many of them as it lacks then stay, and the flow runs again.
            let mut broke = false;
            for &i in &ctx.needs_of_day[d] {
                let nd = &inst.nurse_needs[i];
                let before = present_nurses(st, i);
                if before < nd.required {
                    continue;
                }
                let mut after = i64::from(before);
                let mut left = Vec::new();
                for &(ed, e, j, ..) in &edges {
                    if sc.flow.flow(ed) > 0 {
                        let (s, u, ..) = sc.seats[j];
                        let was = st
                            .get(e, d)
                            .is_some_and(|(s0, u0)| counts_for(i, e, s0, u0));
                        let now = counts_for(i, e, s, u);
                        after += i64::from(now) - i64::from(was);
                        if was && !now {
                            left.push(e);
                        }
                    }
                }
                let lack = (i64::from(nd.required) - after).max(0) as usize;
                if lack > 0 && !left.is_empty() {
                    locked.extend(left.into_iter().take(lack));
                    broke = true;
                }
            }
            if !broke {
                break (seat_nodes, edges);
            }
        };
        let filled: u32 = seat_nodes
            .iter()
            .map(|&(_, ed)| sc.flow.flow(ed) as u32)
            .sum();
        let wanted: u32 = sc.seats.iter().map(|x| x.4).sum();
        if pass < 2 && filled < wanted {
            // Seats a further pass could fill: those left open now.
            open_seats.clear();
            open_seats.extend(
                seat_nodes
                    .iter()
                    .enumerate()
                    .filter(|&(j, &(_, ed))| (sc.flow.flow(ed) as u32) < sc.seats[j].4)
                    .map(|(j, _)| j),
            );
            continue;
        }
        // Apply: rostered people take their seat's unit and cohort; reserves are added.
        let mut placed = vec![false; n_e];
        for &(ed, e, j, cost, kind, d2, pull) in &edges {
            if sc.flow.flow(ed) == 0 {
                continue;
            }
            let (s, u, iso, _, _) = sc.seats[j];
            placed[e] = true;
            match kind {
                None => {
                    let (_, u0) = st.get(e, d).expect("rostered");
                    if u != u0 {
                        st.set(e, d, Some((s, u)));
                        m.moves += 1;
                        if let Some(l) = log.as_deref_mut() {
                            l.push(change(
                                ctx,
                                e,
                                d,
                                Some((s, u0)),
                                Some((s, u)),
                                ChangeKind::Moved,
                                0,
                            ));
                        }
                    }
                }
                Some(ChangeKind::MovedDay) => {
                    apply_later(ctx, st, e, d, d2, s, u, pull, log.as_deref_mut());
                }
                Some(ChangeKind::Swapped) => {
                    let b = st.get(e, d);
                    st.set(e, d, Some((s, u)));
                    if let Some(l) = log.as_deref_mut() {
                        l.push(change(ctx, e, d, b, Some((s, u)), ChangeKind::Swapped, 0));
                    }
                }
                Some(kind) => {
                    apply_add(ctx, st, &mut m, e, d, s, u, cost, kind, log.as_deref_mut());
                }
            }
            if !iso && bound(st, e) {
                m.cohort_crossings += 1;
            }
            st.iso[e * ctx.n_d + d] = iso;
        }
        // People not needed for a seat stay; those bound to isolation keep to it.
        for e in 0..n_e {
            if placed[e] {
                continue;
            }
            if let Some((_, u)) = st.get(e, d) {
                let b = bound(st, e);
                let iso = b && inst.iso_cohort[u].is_some();
                if b && !iso {
                    m.cohort_crossings += 1;
                }
                st.iso[e * ctx.n_d + d] = iso;
            }
        }
        for (j, &(_, ed)) in seat_nodes.iter().enumerate() {
            let short = sc.seats[j].4 - sc.flow.flow(ed) as u32;
            if short > 0 {
                sc.open.push((sc.seats[j].0, sc.seats[j].1, sc.seats[j].3));
            }
            if sc.seats[j].2 {
                m.uncovered_isolation += short;
            } else {
                m.uncovered_by_skill[sc.seats[j].3] += short;
            }
        }
        break;
    }
    m.shifts_without_nurse = needs
        .iter()
        .filter(|&&i| present_nurses(st, i) < inst.nurse_needs[i].required)
        .count() as u32;
    m
}

/// Stand-in prices per (day, shift, unit, skill mask) of the person pulled forward.
type StandInCache = Vec<((usize, usize, usize, u64), Option<i64>)>;

/// A nurse-cover candidate in the flow: (edge, person, need, unit, cost in øre, kind, later
/// day or MAX, pulled forward with a stand-in).
type NurseEdge = (usize, usize, usize, usize, i64, ChangeKind, usize, Pull);

/// A seat candidate in the flow: (edge, person, seat, cost in øre, kind (None: rostered),
/// later day or MAX, pulled forward with a stand-in).
type SeatEdge = (usize, usize, usize, i64, Option<ChangeKind>, usize, Pull);

/// How a later shift is brought forward.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pull {
    /// Its day does not need it (also the filler of options that pull nothing).
    Surplus,
    /// Its day needs it; a reserve can stand in there.
    Chain,
    /// Its day does not need it, and the person's shift on the other day of that weekend
    /// (also not needed) is dropped, so the weekend is freed for the one brought forward.
    Weekend(usize),
    /// As `Weekend`, but one or both of the two weekend days need the shift, and a reserve
    /// can stand in there (`open2`, `open3`: the pulled day's and the dropped day's hole).
    WeekendChain { d3: usize, open2: bool, open3: bool },
}

/// How far ahead a shift may be pulled forward to today.
const LATER_DAYS: usize = 13;

/// Who works each (shift, unit) on the days just ahead, absences known so far left out.
struct Ahead {
    from: usize,
    slots: usize,
    members: Vec<Vec<usize>>,
}

impl Ahead {
    fn new(ctx: &Ctx, st: &State, d: usize) -> Ahead {
        let slots = ctx.n_s * ctx.n_u;
        let days = LATER_DAYS.min(ctx.n_d.saturating_sub(d + 1));
        let mut members = vec![Vec::new(); days * slots];
        for k in 0..days {
            let d2 = d + 1 + k;
            for e in 0..ctx.inst.n_staff() {
                if st.gone[e * ctx.n_d + d2] {
                    continue;
                }
                if let Some((s, u)) = st.get(e, d2) {
                    members[k * slots + s * ctx.n_u + u].push(e);
                }
            }
        }
        Ahead {
            from: d + 1,
            slots,
            members,
        }
    }
    fn slot(&self, ctx: &Ctx, d2: usize, s: usize, u: usize) -> &[usize] {
        &self.members[(d2 - self.from) * self.slots + s * ctx.n_u + u]
    }
}

/// Whether `e`'s shift on `d2` is surplus: without it the nurse cover still holds and as
/// many seats of minimum demand are filled.
fn surplus(ctx: &Ctx, st: &State, ahead: &Ahead, e: usize, d2: usize) -> bool {
    let inst = ctx.inst;
    let Some((s2, u2)) = st.get(e, d2) else {
        return false;
    };
    if st.gone[e * ctx.n_d + d2] {
        return false;
    }
    for &i in &ctx.needs_of_day[d2] {
        let nd = &inst.nurse_needs[i];
        if nd.shift != s2 || !nd.units.contains(&u2) || !nd.skills.iter().any(|&k| inst.has[e][k]) {
            continue;
        }
        let present: usize = nd
            .units
            .iter()
            .map(|&u| {
                ahead
                    .slot(ctx, d2, s2, u)
                    .iter()
                    .filter(|&&x| nd.skills.iter().any(|&k| inst.has[x][k]))
                    .count()
            })
            .sum();
        if present as u32 <= nd.required {
            return false;
        }
    }
    let dem = &inst.demand[d2][s2][u2];
    let seats: Vec<usize> = dem
        .iter()
        .flat_map(|x| std::iter::repeat_n(x.skill, x.min as usize))
        .collect();
    if seats.is_empty() {
        return true;
    }
    let with = ahead.slot(ctx, d2, s2, u2);
    // Fewer people than seats: every one of them counts.
    let others = with.len() - usize::from(with.contains(&e));
    others >= seats.len()
        && matched(inst, with, e, &seats) == matched(inst, with, usize::MAX, &seats)
}

/// How `e`, off on day `d`, could take shift `s`, each as (price in the flow, cost, kind,
/// later day, pull): an added shift (extra, overtime or agency) or a later shift of `e`
/// brought forward, from a surplus day (`later`) or as a two-day exchange (`chains`).
fn take_options(
    ctx: &Ctx,
    st: &mut State,
    e: usize,
    d: usize,
    s: usize,
    later: &[(usize, Pull)],
    chains: &[(usize, i64, Pull)],
) -> Vec<(i64, i64, ChangeKind, usize, Pull)> {
    let mut opts = Vec::new();
    if let Some((cost, kind)) = add_cost(ctx, st, e, d, s) {
        if can_take(ctx, st, e, d, s) {
            opts.push((cost + ctx.change_pen, cost, kind, usize::MAX, Pull::Surplus));
        }
    }
    let pulls = later
        .iter()
        .map(|&(d2, p)| (d2, 0, p))
        .chain(chains.iter().map(|&(d2, p, pull)| (d2, p, pull)));
    let mut plain_ok: Vec<usize> = Vec::new();
    for (d2, extra, pull) in pulls {
        let drop = match pull {
            // Freeing the weekend is needed only where the plain pull is not lawful.
            Pull::Weekend(_) | Pull::WeekendChain { .. } if plain_ok.contains(&d2) => continue,
            Pull::Weekend(d3) | Pull::WeekendChain { d3, .. } => Some(d3),
            _ => None,
        };
        let c2 = st.get(e, d2);
        let c3 = drop.map(|d3| st.get(e, d3));
        st.set(e, d2, None);
        if let Some(d3) = drop {
            st.set(e, d3, None);
        }
        if can_take(ctx, st, e, d, s) {
            if matches!(pull, Pull::Surplus | Pull::Chain) {
                plain_ok.push(d2);
            }
            let changes = if drop.is_some() { 3 } else { 2 };
            opts.push((
                changes * ctx.change_pen + extra,
                0,
                ChangeKind::MovedDay,
                d2,
                pull,
            ));
        }
        st.set(e, d2, c2);
        if let (Some(d3), Some(c3)) = (drop, c3) {
            st.set(e, d3, c3);
        }
    }
    opts
}

/// Later days (within LATER_DAYS) whose shift `e` could bring forward to day `d`: surplus
/// days, and surplus weekend days whose partner day is surplus too (both dropped from that
/// weekend, so a weekend limit does not block the pull).
fn later_options(ctx: &Ctx, st: &State, ahead: &Ahead, e: usize, d: usize) -> Vec<(usize, Pull)> {
    if ctx.agency_of[e].is_some() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for d2 in d + 1..(d + 1 + LATER_DAYS).min(ctx.n_d) {
        if !surplus(ctx, st, ahead, e, d2) {
            continue;
        }
        out.push((d2, Pull::Surplus));
        let Some(w) = ctx.weekend_of[d2] else {
            continue;
        };
        for &d3 in &ctx.inst.weekends[w] {
            // Within the days `ahead` knows.
            let seen = d3 > d && d3 <= d + LATER_DAYS;
            if d3 != d2 && seen && st.get(e, d3).is_some() && surplus(ctx, st, ahead, e, d3) {
                out.push((d2, Pull::Weekend(d3)));
            }
        }
    }
    out
}

/// Later days whose shift `e` could bring forward to day `d` although it is needed there,
/// because someone else could take it over on that day: (day, least price in øre of that
/// stand-in, a change included). The stand-in is not booked now; the repair of that day
/// fills the hole at its own least cost, with agency counted as known from `d`. This is
/// the two-day exchange a one-day repair cannot otherwise see (a shift pulled forward to
/// free someone for an earlier hole, its own day then covered by a reserve that is
/// available by then). `cache` keeps stand-in prices per (day, shift, unit, skills).
fn chain_options(
    ctx: &Ctx,
    st: &mut State,
    ahead: &Ahead,
    e: usize,
    d: usize,
    cache: &mut StandInCache,
) -> Vec<(usize, i64, Pull)> {
    if ctx.agency_of[e].is_some() {
        return Vec::new();
    }
    let mask = ctx.inst.has[e]
        .iter()
        .enumerate()
        .fold(0u64, |m, (k, &h)| m | (u64::from(h) << (k % 64)));
    // Per later day: None where e does not work it, Some(None) where nobody can stand in,
    // Some(Some((0, false))) where the day does not need her shift, else the stand-in's
    // price and true.
    let last = (d + 1 + LATER_DAYS).min(ctx.n_d);
    let mut price_of: Vec<Option<Option<(i64, bool)>>> =
        Vec::with_capacity(last.saturating_sub(d + 1));
    for d2 in d + 1..last {
        let Some((s2, u2)) = st.get(e, d2) else {
            price_of.push(None);
            continue;
        };
        if st.gone[e * ctx.n_d + d2] {
            price_of.push(None);
            continue;
        }
        if surplus(ctx, st, ahead, e, d2) {
            price_of.push(Some(Some((0, false))));
            continue;
        }
        let key = (d2, s2, u2, mask);
        let price = match cache.iter().find(|x| x.0 == key) {
            Some(x) => x.1,
            None => {
                let p = stand_in(ctx, st, ahead, e, d, d2);
                cache.push((key, p));
                p
            }
        };
        price_of.push(Some(price.map(|p| (p + ctx.change_pen, true))));
    }
    let at = |d2: usize| price_of[d2 - d - 1];
    let mut out = Vec::new();
    for d2 in d + 1..last {
        if let Some(Some((p, true))) = at(d2) {
            out.push((d2, p, Pull::Chain));
        }
    }
    // A later shift may come forward where a rule blocks it, if another shift of hers is
    // dropped: the other day of that weekend (a weekend limit), or a day in the week after
    // today (weekly rest, days in a row). Each of the two days either does not need her
    // or has a stand-in (a weekend with neither: `later_options` has it).
    for d2 in d + 1..last {
        let Some(Some((p2, open2))) = at(d2) else {
            continue;
        };
        let partner =
            |d3: usize| ctx.weekend_of[d2].is_some_and(|w| ctx.inst.weekends[w].contains(&d3));
        for d3 in d + 1..last {
            if d3 == d2 || (d3 > d + 6 && !partner(d3)) {
                continue;
            }
            if let Some(Some((p3, open3))) = at(d3) {
                if open2 || open3 || !partner(d3) {
                    let pull = Pull::WeekendChain { d3, open2, open3 };
                    out.push((d2, p2 + p3, pull));
                }
            }
        }
    }
    out
}

/// Least price of someone off on `d2` who could lawfully take over `e`'s shift there (as
/// many seats filled, the nurse cover `e` gives kept), reserves only; agency from `d` plus
/// its lead time.
fn stand_in(
    ctx: &Ctx,
    st: &mut State,
    ahead: &Ahead,
    e: usize,
    d: usize,
    d2: usize,
) -> Option<i64> {
    let inst = ctx.inst;
    let (s2, u2) = st.get(e, d2)?;
    let with = ahead.slot(ctx, d2, s2, u2);
    let seats: Vec<usize> = inst.demand[d2][s2][u2]
        .iter()
        .flat_map(|x| std::iter::repeat_n(x.skill, x.min as usize))
        .collect();
    let filled = |staff: &[usize]| {
        crate::check::match_seats(|x, k| inst.can[x][k], staff, &seats)
            .iter()
            .filter(|m| m.is_some())
            .count()
    };
    let need_with = filled(with);
    let mut others: Vec<usize> = with.iter().copied().filter(|&x| x != e).collect();
    let tight: Vec<usize> = ctx.needs_of_day[d2]
        .iter()
        .copied()
        .filter(|&i| {
            let nd = &inst.nurse_needs[i];
            nd.shift == s2
                && nd.units.contains(&u2)
                && nd.skills.iter().any(|&k| inst.has[e][k])
                && nd
                    .units
                    .iter()
                    .map(|&u| {
                        ahead
                            .slot(ctx, d2, s2, u)
                            .iter()
                            .filter(|&&x| nd.skills.iter().any(|&k| inst.has[x][k]))
                            .count()
                    })
                    .sum::<usize>() as u32
                    <= nd.required
        })
        .collect();
    // (price, person, later day whose surplus shift she brings forward, if any)
    let mut cands: Vec<(i64, usize, usize)> = Vec::new();
    for r in 0..inst.n_staff() {
        if r == e
            || st.gone[r * ctx.n_d + d2]
            || st.get(r, d2).is_some()
            || !inst.units_of[r].contains(&u2)
        {
            continue;
        }
        if let Some(o) = ctx.agency_of[r] {
            if d2 < st.decided_on(d) + inst.project.reserves.agency[o].lead_days as usize {
                continue;
            }
        }
        if !tight
            .iter()
            .all(|&i| inst.nurse_needs[i].skills.iter().any(|&k| inst.has[r][k]))
        {
            continue;
        }
        if let Some((c, _)) = add_cost(ctx, st, r, d2, s2) {
            cands.push((c + ctx.change_pen, r, usize::MAX));
        }
        // Or a shift of hers on a later day known here that her day does not need.
        if ctx.agency_of[r].is_none() {
            for d4 in d2 + 1..(d + 1 + LATER_DAYS).min(ctx.n_d) {
                if surplus(ctx, st, ahead, r, d4) {
                    cands.push((2 * ctx.change_pen, r, d4));
                }
            }
        }
    }
    cands.sort_unstable();
    for (c, r, d4) in cands {
        others.push(r);
        let mut ok = filled(&others) >= need_with;
        others.pop();
        if ok {
            let c4 = (d4 != usize::MAX).then(|| st.get(r, d4));
            if let Some(c4) = c4 {
                st.set(r, d4, None);
                ok = can_take(ctx, st, r, d2, s2);
                st.set(r, d4, c4);
            } else {
                ok = can_take(ctx, st, r, d2, s2);
            }
        }
        if ok {
            return Some(c);
        }
    }
    None
}

/// Moves `e`'s shift on `d2` to (`s`, `u`) on `d`.
#[allow(clippy::too_many_arguments)]
fn apply_later(
    ctx: &Ctx,
    st: &mut State,
    e: usize,
    d: usize,
    d2: usize,
    s: usize,
    u: usize,
    pull: Pull,
    mut log: Option<&mut Vec<Change>>,
) {
    let c2 = st.get(e, d2);
    st.set(e, d2, None);
    st.set(e, d, Some((s, u)));
    match pull {
        Pull::Chain => st.opened[d2] = st.opened[d2].min(st.decided_on(d)),
        Pull::Weekend(d3) => {
            let c3 = st.get(e, d3);
            st.set(e, d3, None);
            if let Some(l) = log.as_deref_mut() {
                l.push(change(ctx, e, d3, c3, None, ChangeKind::Dropped, 0));
            }
        }
        Pull::WeekendChain { d3, open2, open3 } => {
            let c3 = st.get(e, d3);
            st.set(e, d3, None);
            if open2 {
                st.opened[d2] = st.opened[d2].min(st.decided_on(d));
            }
            if open3 {
                st.opened[d3] = st.opened[d3].min(st.decided_on(d));
            }
            if let Some(l) = log.as_deref_mut() {
                l.push(change(ctx, e, d3, c3, None, ChangeKind::Dropped, 0));
            }
        }
        Pull::Surplus => {}
    }
    if let Some(l) = log {
        let mut c = change(ctx, e, d, c2, Some((s, u)), ChangeKind::MovedDay, 0);
        c.moved_from = Some(ctx.inst.dates[d2]);
        l.push(c);
    }
}

/// Cost in øre and kind of adding shift `s` on day `d` for `e`, or None when the person
/// cannot be asked (no willingness left, or overtime limits).
fn add_cost(ctx: &Ctx, st: &State, e: usize, d: usize, s: usize) -> Option<(i64, ChangeKind)> {
    let inst = ctx.inst;
    let p = &inst.project;
    let mins = i64::from(inst.paid(s));
    if let Some(o) = ctx.agency_of[e] {
        return Some((
            (p.reserves.agency[o].price_per_shift * 100.0).round() as i64,
            ChangeKind::Agency,
        ));
    }
    let staff = &p.staff[e];
    if st.added[e] >= staff.max_extra_shifts {
        return None;
    }
    let n_d = ctx.n_d;
    let worked = i64::from(st.minutes[e]);
    let (_, extra, ot) = ctx.ore_per_min[e];
    if staff.stillingsprosent < 100.0 && worked + mins <= ctx.fte_minutes {
        return Some((extra * mins, ChangeKind::Extra));
    }
    // Overtime within AML § 10-6 (4): per 7 and per 28 days, every window holding d.
    let win = |len: usize, cap: u32| -> bool {
        let lo = d.saturating_sub(len - 1);
        (lo..=d).all(|w| {
            let sum: u32 = (w..(w + len).min(n_d)).map(|x| st.ot[e * n_d + x]).sum();
            i64::from(sum) + mins <= i64::from(cap)
        })
    };
    if win(7, p.reserves.overtime_week_minutes) && win(28, p.reserves.overtime_four_weeks_minutes) {
        Some((ot * mins, ChangeKind::Overtime))
    } else {
        None
    }
}

#[allow(clippy::too_many_arguments)]
fn apply_add(
    ctx: &Ctx,
    st: &mut State,
    m: &mut DayMetrics,
    e: usize,
    d: usize,
    s: usize,
    u: usize,
    cost: i64,
    kind: ChangeKind,
    log: Option<&mut Vec<Change>>,
) {
    let mins = ctx.inst.paid(s);
    st.set(e, d, Some((s, u)));
    match kind {
        ChangeKind::Agency => {
            m.agency_shifts += 1;
            m.agency_minutes += mins;
            m.agency_cost_ore += cost;
        }
        ChangeKind::Overtime => {
            st.added[e] += 1;
            st.ot[e * ctx.n_d + d] = mins;
            m.overtime_shifts += 1;
            m.overtime_minutes += mins;
            m.overtime_cost_ore += cost;
        }
        _ => {
            st.added[e] += 1;
            m.extra_shifts += 1;
            m.extra_minutes += mins;
            m.extra_cost_ore += cost;
        }
    }
    if let Some(l) = log {
        l.push(change(ctx, e, d, None, Some((s, u)), kind, cost));
    }
}

fn change(
    ctx: &Ctx,
    e: usize,
    d: usize,
    before: Option<(usize, usize)>,
    after: Option<(usize, usize)>,
    kind: ChangeKind,
    cost_ore: i64,
) -> Change {
    let p = &ctx.inst.project;
    let name = |c: Option<(usize, usize)>| {
        c.map(|(s, u)| (p.shift_types[s].code.clone(), p.units[u].id.clone()))
    };
    Change {
        staff: p.staff[e].id.clone(),
        name: p.staff[e].name.clone(),
        date: ctx.inst.dates[d],
        before: name(before),
        after: name(after),
        kind,
        cost_nok: cost_ore as f64 / 100.0,
        moved_from: None,
    }
}

/// Result of a re-plan.
#[derive(Clone, Debug)]
pub struct Replan {
    /// The repair instance: the project with the new absences and agency staff. Check the
    /// repaired roster against this.
    pub instance: Instance,
    /// The repaired roster.
    pub grid: Grid,
    /// Changes in date order.
    pub changes: Vec<Change>,
    /// Per repaired day.
    pub days: Vec<DayMetrics>,
    /// Seconds spent.
    pub seconds: f64,
}

impl Replan {
    /// Total cost in NOK of extra shifts, overtime and agency.
    pub fn cost_nok(&self) -> f64 {
        self.days.iter().map(|m| m.cost_ore()).sum::<i64>() as f64 / 100.0
    }
    /// Roster cells changed (a shift moved to another day changes two).
    pub fn changed_cells(&self) -> usize {
        self.changes
            .iter()
            .map(|c| 1 + usize::from(c.moved_from.is_some()))
            .sum()
    }
    /// Seats of minimum demand left empty.
    pub fn uncovered(&self) -> u32 {
        self.days.iter().map(|m| m.uncovered()).sum()
    }
}

/// Re-plans from day `from` (earlier days frozen) after `new_absences`, all known on `from`:
/// the day-by-day min-cost repair.
pub fn replan(
    inst: &Instance,
    roster: &Grid,
    from: usize,
    new_absences: &[Absence],
) -> Result<Replan, Vec<FieldError>> {
    let t0 = std::time::Instant::now();
    let rinst = repair_instance(inst, roster, new_absences, from, true)?;
    let mut base = roster.clone();
    base.cells
        .resize(rinst.n_staff(), vec![Vec::new(); rinst.n_days()]);
    let (grid, changes, days) = {
        let ctx = Ctx::new(&rinst);
        let mut st = State::new(&ctx, &base);
        st.plan_day = Some(from);
        // Every absence is known on `from`.
        for e in 0..rinst.n_staff() {
            for d in from..rinst.n_days() {
                if rinst.absent[e][d].is_some() {
                    st.mark_gone(e, d, d);
                }
            }
        }
        let mut sc = Scratch::default();
        let mut changes = Vec::new();
        let mut days = Vec::new();
        let infected = vec![0; rinst.n_units()];
        let mut away = vec![None; rinst.n_staff()];
        for d in from..rinst.n_days() {
            for (e, a) in away.iter_mut().enumerate() {
                *a = rinst.absent[e][d].map(|(kind, _)| Away {
                    kind,
                    known_since: from,
                    until: (d..rinst.n_days())
                        .take_while(|&x| rinst.absent[e][x].is_some())
                        .last()
                        .unwrap_or(d),
                });
            }
            days.push(repair_day(
                &ctx,
                &mut st,
                &mut sc,
                d,
                &away,
                &infected,
                Some(&mut changes),
            ));
        }
        (st.to_grid(rinst.n_staff()), merge_chains(changes), days)
    };
    let mut grid = grid;
    grid.keep_cohorts(roster);
    Ok(Replan {
        instance: rinst,
        grid,
        changes,
        days,
        seconds: t0.elapsed().as_secs_f64(),
    })
}

/// One entry per changed cell: the repair may change a cell twice (a shift switched, then
/// the same person moved to another unit; an agency shift booked, then moved), and a
/// leader should read "N KT → A LT", not two steps. A change that starts where an earlier
/// change of the same cell ended joins it; the first change's kind tells what it is, unless
/// it was only a move or a shift taken off. A chain that ends where it began, at no cost,
/// is no change. A shift taken off a day that then receives a later shift reads as a
/// changed shift that day and the later day off.
fn merge_chains(changes: Vec<Change>) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::with_capacity(changes.len());
    for mut c in changes {
        let cell = |p: &Change| p.staff == c.staff && p.date == c.date;
        if let Some(from) = c.moved_from {
            let dropped = out.iter().rposition(|p| {
                cell(p)
                    && p.kind == ChangeKind::Dropped
                    && p.after.is_none()
                    && p.moved_from.is_none()
            });
            if let Some(i) = dropped {
                let p = &mut out[i];
                p.after = c.after.take();
                p.kind = ChangeKind::Swapped;
                p.cost_nok += c.cost_nok;
                c.date = from;
                c.kind = ChangeKind::Dropped;
                c.cost_nok = 0.0;
                c.moved_from = None;
            }
            out.push(c);
            continue;
        }
        let Some(i) = out.iter().rposition(|p| cell(p) && p.after == c.before) else {
            out.push(c);
            continue;
        };
        let p = &mut out[i];
        p.after = c.after;
        p.cost_nok += c.cost_nok;
        if matches!(p.kind, ChangeKind::Moved | ChangeKind::Dropped) {
            p.kind = c.kind;
        }
        if p.before == p.after && p.moved_from.is_none() && p.cost_nok == 0.0 {
            out.remove(i);
        }
    }
    out.sort_by_key(|c| c.date);
    out
}

/// The full re-plan: one MIP over every day from `from` (HiGHS through the planner, with
/// the repair objective of [`crate::plan::Prefer`]), started from the day-by-day repair so
/// it is never worse than that. Stops at `time_limit` seconds with the best roster found.
pub fn replan_mip(
    inst: &Instance,
    roster: &Grid,
    from: usize,
    new_absences: &[Absence],
    time_limit: f64,
) -> Result<Replan, Vec<FieldError>> {
    replan_mip_pinned(inst, roster, from, new_absences, time_limit, &[])
}

/// A cell the leader pinned: staff, day, and the (shift, unit) or off it must keep.
pub type PinnedCell = (usize, usize, Option<(usize, usize)>);

/// [`replan_mip`] with cells the leader pinned: (staff, day, cell) stays as given.
pub fn replan_mip_pinned(
    inst: &Instance,
    roster: &Grid,
    from: usize,
    new_absences: &[Absence],
    time_limit: f64,
    pins: &[PinnedCell],
) -> Result<Replan, Vec<FieldError>> {
    let t0 = std::time::Instant::now();
    let fast = replan(inst, roster, from, new_absences)?;
    let rinst = repair_instance(inst, roster, new_absences, from, true)?;
    let ctx = Ctx::new(&rinst);
    let n_e = rinst.n_staff();
    let n_d = rinst.n_days();
    let mut base = roster.clone();
    base.cells.resize(n_e, vec![Vec::new(); n_d]);
    // Money enters through the repair terms only; soft roster goals are not a repair's business.
    let mut p = rinst.project.clone();
    let add_nok: Vec<Vec<f64>> = (0..n_e)
        .map(|e| {
            (0..rinst.n_shifts())
                .map(|s| {
                    let mins = f64::from(rinst.paid(s));
                    match ctx.agency_of[e] {
                        Some(o) => p.reserves.agency[o].price_per_shift,
                        None => {
                            let (_, ex, ot) = ctx.ore_per_min[e];
                            let rate = if p.staff[e].stillingsprosent < 100.0 {
                                ex
                            } else {
                                ot
                            };
                            rate as f64 * mins / 100.0
                        }
                    }
                })
                .collect()
        })
        .collect();
    for st in p.staff.iter_mut() {
        st.hourly_wage = 0.0;
    }
    p.weights.under_wanted = 0.0;
    p.weights.over_wanted = 0.0;
    p.weights.request = 0.0;
    p.weights.fair_nights = 0.0;
    p.weights.fair_weekends = 0.0;
    for dl in p.demand.iter_mut() {
        dl.under_weight = Some(0.0);
        dl.over_weight = Some(0.0);
    }
    let mip_inst = Instance::new(p)?;
    let mut fixing = crate::plan::Fixing::none(&mip_inst);
    for e in 0..n_e {
        for d in 0..from {
            fixing.cells[e][d] = Some(base.cells[e][d].first().copied());
        }
    }
    for &(e, d, cell) in pins {
        if e < n_e && d >= from && d < n_d {
            fixing.cells[e][d] = Some(cell);
        }
    }
    let max_added = (0..n_e)
        .map(|e| {
            ctx.agency_of[e]
                .is_none()
                .then_some(rinst.project.staff[e].max_extra_shifts)
        })
        .collect();
    fixing.prefer = Some(std::sync::Arc::new(crate::plan::Prefer {
        from,
        base: base.clone(),
        change_nok: rinst.project.reserves.change_penalty_nok,
        add_nok,
        max_added,
    }));
    let mut start = fast.grid.clone();
    start.cells.resize(n_e, vec![Vec::new(); n_d]);
    let left = (time_limit - t0.elapsed().as_secs_f64()).max(0.5);
    let out = crate::plan::plan_with(
        &mip_inst,
        &fixing,
        &crate::plan::PlanOptions {
            time_limit: left,
            ..Default::default()
        },
        Some(&start),
    );
    let (changes, days) = diff(&ctx, &base, &out.grid, from);
    let mut out = out;
    out.grid.keep_cohorts(roster);
    let mip = Replan {
        instance: rinst,
        grid: out.grid,
        changes,
        days,
        seconds: 0.0,
    };
    // The MIP prices added shifts by a person's mean rate and stops on the clock, so by the
    // repair's own prices it can end above its start: then the start is the answer.
    let pen = inst.project.weights.short_min / inst.project.weights.cost_per_nok.max(1e-9);
    let worth = |r: &Replan| {
        let nurse: u32 = r.days.iter().map(|m| m.shifts_without_nurse).sum();
        r.cost_nok()
            + pen * f64::from(r.uncovered() + nurse)
            + inst.project.reserves.change_penalty_nok * r.changed_cells() as f64
    };
    let mut best = if worth(&fast) < worth(&mip) {
        fast
    } else {
        mip
    };
    best.seconds = t0.elapsed().as_secs_f64();
    Ok(best)
}

/// Changes and per-day metrics between the roster in force and a repaired roster, priced
/// as the day-by-day repair prices them. Uncovered seats and nurse cover come from the
/// checker's matching.
pub fn diff(ctx: &Ctx, base: &Grid, grid: &Grid, from: usize) -> (Vec<Change>, Vec<DayMetrics>) {
    let inst = ctx.inst;
    let n_e = inst.n_staff();
    let mut st = State::new(ctx, base);
    let mut changes = Vec::new();
    let mut days = Vec::new();
    let viol = crate::check::check(inst, grid);
    // Shifts taken away for no absence pay for as many added ones: a shift moved to
    // another day costs no wages (as in the day-by-day repair).
    let mut moved_left: Vec<u32> = (0..n_e)
        .map(|e| {
            (from..ctx.n_d)
                .filter(|&d| {
                    !base.cells[e][d].is_empty()
                        && grid.cells[e][d].is_empty()
                        && inst.absent[e][d].is_none()
                })
                .count() as u32
        })
        .collect();
    for d in from..ctx.n_d {
        let mut m = DayMetrics {
            uncovered_by_skill: vec![0; inst.project.skills.len()],
            ..DayMetrics::default()
        };
        // Drops first, so an added shift is priced against the hours actually worked.
        for e in 0..n_e {
            let (b, c) = (st.get(e, d), grid.cells[e][d].first().copied());
            if let (Some(b), None) = (b, c) {
                st.set(e, d, None);
                let kind = match inst.absent[e][d] {
                    Some((k, _)) => {
                        m.lost_shifts += 1;
                        ChangeKind::Absent(k)
                    }
                    None => ChangeKind::Dropped,
                };
                changes.push(change(ctx, e, d, Some(b), None, kind, 0));
            }
        }
        for e in 0..n_e {
            let (b, c) = (st.get(e, d), grid.cells[e][d].first().copied());
            match (b, c) {
                (None, Some((s, u))) if moved_left[e] > 0 => {
                    moved_left[e] -= 1;
                    st.set(e, d, Some((s, u)));
                    changes.push(change(
                        ctx,
                        e,
                        d,
                        None,
                        Some((s, u)),
                        ChangeKind::MovedDay,
                        0,
                    ));
                }
                (None, Some((s, u))) => {
                    let (cost, kind) = add_cost(ctx, &st, e, d, s).unwrap_or_else(|| {
                        let (_, _, ot) = ctx.ore_per_min[e];
                        (ot * i64::from(inst.paid(s)), ChangeKind::Overtime)
                    });
                    apply_add(
                        ctx,
                        &mut st,
                        &mut m,
                        e,
                        d,
                        s,
                        u,
                        cost,
                        kind,
                        Some(&mut changes),
                    );
                }
                (Some(b), Some(c)) if b != c => {
                    st.set(e, d, Some(c));
                    let kind = if b.0 == c.0 {
                        m.moves += 1;
                        ChangeKind::Moved
                    } else {
                        ChangeKind::Swapped
                    };
                    changes.push(change(ctx, e, d, Some(b), Some(c), kind, 0));
                }
                _ => {}
            }
        }
        for s in 0..ctx.n_s {
            for u in 0..ctx.n_u {
                let dem = &inst.demand[d][s][u];
                let staff: Vec<usize> = (0..n_e)
                    .filter(|&e| grid.cells[e][d].contains(&(s, u)))
                    .collect();
                let mut seats: Vec<usize> = dem
                    .iter()
                    .flat_map(|x| std::iter::repeat_n(x.skill, x.min as usize))
                    .collect();
                seats.sort_by_key(|&k| {
                    std::cmp::Reverse(inst.covers.iter().filter(|c| c[k]).count())
                });
                let matched = crate::check::match_seats(|e, k| inst.can[e][k], &staff, &seats);
                for (&k, x) in seats.iter().zip(&matched) {
                    if x.is_none() {
                        m.uncovered_by_skill[k] += 1;
                    }
                }
            }
        }
        m.shifts_without_nurse = viol
            .iter()
            .filter(|v| v.d == Some(d) && v.rule == crate::check::RuleId::NurseCover)
            .count() as u32;
        days.push(m);
    }
    (changes, days)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cohort_home(separation: u32) -> Instance {
        let json = format!(
            r#"{{"formatVersion": 1, "name": "K", "start": "2026-03-02", "days": 3,
            "units": [{{"id": "A", "name": "A", "beds": 8, "cohorts": [{{"id": "ren", "name": "Ren"}}, {{"id": "isolat", "name": "Isolat"}}]}}],
            "skills": [{{"id": "HFA", "name": "Helsefagarbeider"}}],
            "shiftTypes": [{{"code": "D", "name": "Dag", "start": "07:30", "end": "15:00", "paidMinutes": 420}}],
            "staff": [{{"id": "x", "name": "X", "skills": ["HFA"], "unit": "A", "stillingsprosent": 50}}],
            "demand": [{{"unit": "A", "shift": "D", "skill": "HFA", "min": 1, "dates": ["2026-03-03"]}}],
            "cohorting": {{"separationDays": {separation}}}}}"#
        );
        crate::formats::instance_from_json(&json, "k.json").unwrap()
    }

    /// X works the isolation cohort on day 0; on day 1 the only clean seat needs X.
    fn day_one(separation: u32) -> DayMetrics {
        let inst = cohort_home(separation);
        let mut g = Grid::empty(&inst);
        g.cells[0][0].push((0, 0));
        g.cells[0][1].push((0, 0));
        let ri = repair_instance(&inst, &g, &[], 0, false).unwrap();
        let ctx = Ctx::new(&ri);
        let mut st = State::new(&ctx, &g);
        let mut sc = Scratch::default();
        let away = vec![None; ri.n_staff()];
        let m0 = repair_day(&ctx, &mut st, &mut sc, 0, &away, &[4], None);
        assert_eq!(m0.uncovered(), 0);
        assert!(st.iso[0], "X staffs the isolation cohort");
        repair_day(&ctx, &mut st, &mut sc, 1, &away, &[0], None)
    }

    #[test]
    fn forced_cohort_crossings_are_counted_not_hidden() {
        let m = day_one(2);
        assert_eq!(m.uncovered(), 0);
        assert_eq!(m.cohort_crossings, 1);
        let m = day_one(0);
        assert_eq!(m.cohort_crossings, 0);
    }

    /// Y is sick on day 0; X (no willingness for extra shifts) works day 1, where she is
    /// the only one; agency comes one day after the gap is known. Pulling X's day-1 shift
    /// forward and letting agency take day 1 leaves nothing open.
    #[test]
    fn a_needed_later_shift_is_pulled_forward_when_a_reserve_can_take_its_day() {
        let json = r#"{"formatVersion": 1, "name": "K", "start": "2026-03-02", "days": 3,
            "units": [{"id": "A", "name": "A", "beds": 8}],
            "skills": [{"id": "HFA", "name": "Helsefagarbeider"}],
            "shiftTypes": [{"code": "D", "name": "Dag", "start": "07:30", "end": "15:00", "paidMinutes": 420}],
            "staff": [{"id": "x", "name": "X", "skills": ["HFA"], "unit": "A", "stillingsprosent": 50},
                      {"id": "y", "name": "Y", "skills": ["HFA"], "unit": "A", "stillingsprosent": 50}],
            "demand": [{"unit": "A", "shift": "D", "skill": "HFA", "min": 1, "dates": ["2026-03-02", "2026-03-03"]}],
            "reserves": {"agency": [{"skill": "HFA", "pricePerShift": 6500, "leadDays": 1, "maxPerShift": 1}]}}"#;
        let inst = crate::formats::instance_from_json(json, "k.json").unwrap();
        let mut g = Grid::empty(&inst);
        g.cells[1][0].push((0, 0));
        g.cells[0][1].push((0, 0));
        let sick = sick_on(&inst, "y", 0);
        let r = replan(&inst, &g, 0, &sick).unwrap();
        assert_eq!(r.uncovered(), 0, "{:?}", r.changes);
        assert_eq!(r.grid.cells[0][0], vec![(0, 0)], "X works day 0");
        assert_eq!(r.days[1].agency_shifts, 1, "agency takes day 1");
        assert!(crate::check::check_rules(&r.instance, &r.grid).is_empty());
    }

    /// Y, the day's helper, is sick on day 0; N, a nurse, works that day and could sit in
    /// either seat. X, a helper with no willingness for extra shifts, works day 1, where
    /// agency can come. The seat left open must be the helper seat, which X can take: her
    /// day-1 shift comes forward and agency takes day 1.
    #[test]
    fn the_seat_left_open_is_one_a_helper_can_fill() {
        let json = r#"{"formatVersion": 1, "name": "K", "start": "2026-03-02", "days": 3,
            "units": [{"id": "A", "name": "A", "beds": 8}],
            "skills": [{"id": "SPL", "name": "Sykepleier", "covers": ["HFA"]}, {"id": "HFA", "name": "Helsefagarbeider"}],
            "shiftTypes": [{"code": "D", "name": "Dag", "start": "07:30", "end": "15:00", "paidMinutes": 420}],
            "staff": [{"id": "x", "name": "X", "skills": ["HFA"], "unit": "A", "stillingsprosent": 50},
                      {"id": "y", "name": "Y", "skills": ["HFA"], "unit": "A", "stillingsprosent": 50},
                      {"id": "n", "name": "N", "skills": ["SPL"], "unit": "A", "stillingsprosent": 50}],
            "demand": [{"unit": "A", "shift": "D", "skill": "SPL", "min": 1, "dates": ["2026-03-02"]},
                       {"unit": "A", "shift": "D", "skill": "HFA", "min": 1, "dates": ["2026-03-02", "2026-03-03"]}],
            "reserves": {"agency": [{"skill": "HFA", "pricePerShift": 6500, "leadDays": 1, "maxPerShift": 1}]}}"#;
        let inst = crate::formats::instance_from_json(json, "k.json").unwrap();
        let mut g = Grid::empty(&inst);
        g.cells[1][0].push((0, 0));
        g.cells[2][0].push((0, 0));
        g.cells[0][1].push((0, 0));
        let sick = sick_on(&inst, "y", 0);
        let r = replan(&inst, &g, 0, &sick).unwrap();
        assert_eq!(r.uncovered(), 0, "{:?}", r.changes);
        assert_eq!(r.grid.cells[0][0], vec![(0, 0)], "X works day 0");
        assert_eq!(r.days[1].agency_shifts, 1, "agency takes day 1");
        assert!(crate::check::check_rules(&r.instance, &r.grid).is_empty());
    }

    /// Z, the day nurse on day 1, is sick. Y worked the night before, so she may take
    /// day 1's night but not its day; X, the only night nurse, may switch N → D. Only the
    /// two together keep both shifts' nurse cover, one need at a time cannot.
    #[test]
    fn a_nurse_leaves_a_met_need_that_another_refills() {
        let json = r#"{"formatVersion": 1, "name": "K", "start": "2026-03-02", "days": 3,
            "units": [{"id": "A", "name": "A", "beds": 8}],
            "skills": [{"id": "SPL", "name": "Sykepleier"}],
            "shiftTypes": [{"code": "D", "name": "Dag", "start": "07:30", "end": "15:00", "paidMinutes": 450},
                           {"code": "N", "name": "Natt", "start": "21:45", "end": "07:45", "paidMinutes": 600}],
            "staff": [{"id": "x", "name": "X", "skills": ["SPL"], "unit": "A", "stillingsprosent": 50},
                      {"id": "y", "name": "Y", "skills": ["SPL"], "unit": "A", "stillingsprosent": 50, "maxExtraShifts": 1},
                      {"id": "z", "name": "Z", "skills": ["SPL"], "unit": "A", "stillingsprosent": 50}],
            "nurseCover": [{"skills": ["SPL"], "scope": "home", "minPerShift": 1, "shifts": ["D", "N"]}]}"#;
        let inst = crate::formats::instance_from_json(json, "k.json").unwrap();
        let mut g = Grid::empty(&inst);
        g.cells[1][0].push((1, 0));
        g.cells[0][1].push((1, 0));
        g.cells[2][1].push((0, 0));
        let sick = sick_on(&inst, "z", 1);
        let r = replan(&inst, &g, 1, &sick).unwrap();
        assert_eq!(r.days[0].shifts_without_nurse, 0, "{:?}", r.changes);
        assert_eq!(r.grid.cells[0][1], vec![(0, 0)], "X switches to D");
        assert_eq!(r.grid.cells[1][1], vec![(1, 0)], "Y takes the night");
        assert!(crate::check::check_rules(&r.instance, &r.grid).is_empty());
    }

    /// H is sick on day 1's day shift. X, the only nurse, works that night; Y, a nurse who
    /// works nights only, is off. Only X can take the day seat, and only if Y takes her
    /// night: the flows keep X where the night's nurse cover counts her.
    #[test]
    fn a_night_nurse_takes_the_open_day_seat_while_another_takes_her_night() {
        let json = r#"{"formatVersion": 1, "name": "K", "start": "2026-03-02", "days": 3,
            "units": [{"id": "A", "name": "A", "beds": 8}],
            "skills": [{"id": "SPL", "name": "Sykepleier", "covers": ["HFA"]}, {"id": "HFA", "name": "Helsefagarbeider"}],
            "shiftTypes": [{"code": "D", "name": "Dag", "start": "07:30", "end": "15:00", "paidMinutes": 450},
                           {"code": "N", "name": "Natt", "start": "21:45", "end": "07:45", "paidMinutes": 600}],
            "staff": [{"id": "x", "name": "X", "skills": ["SPL"], "unit": "A", "stillingsprosent": 50},
                      {"id": "y", "name": "Y", "skills": ["SPL"], "unit": "A", "stillingsprosent": 50,
                       "maxExtraShifts": 1, "rules": {"maxShifts": {"D": 0}}},
                      {"id": "h", "name": "H", "skills": ["HFA"], "unit": "A", "stillingsprosent": 50}],
            "demand": [{"unit": "A", "shift": "D", "skill": "HFA", "min": 1},
                       {"unit": "A", "shift": "N", "skill": "HFA", "min": 1}],
            "nurseCover": [{"skills": ["SPL"], "scope": "home", "minPerShift": 1, "shifts": ["N"]}]}"#;
        let inst = crate::formats::instance_from_json(json, "k.json").unwrap();
        let mut g = Grid::empty(&inst);
        g.cells[0][1].push((1, 0));
        g.cells[2][1].push((0, 0));
        let sick = sick_on(&inst, "h", 1);
        let r = replan(&inst, &g, 1, &sick).unwrap();
        assert_eq!(r.days[0].uncovered(), 0, "{:?}", r.changes);
        assert_eq!(r.days[0].shifts_without_nurse, 0, "{:?}", r.changes);
        assert_eq!(r.grid.cells[0][1], vec![(0, 0)], "X switches to D");
        assert_eq!(r.grid.cells[1][1], vec![(1, 0)], "Y takes the night");
        assert!(crate::check::check_rules(&r.instance, &r.grid).is_empty());
    }

    /// Two units, a day shift that needs a nurse in each unit and `seats` nurses in L.
    /// `floaters` nurses of K work day 1 there and may float to L; L's nurse Z is sick;
    /// agency nurses could come.
    fn floating_nurses(floaters: usize, seats: usize) -> Replan {
        let staff: Vec<String> = (0..floaters)
            .map(|i| {
                format!(
                    r#"{{"id": "x{i}", "name": "X{i}", "skills": ["SPL"], "unit": "K", "stillingsprosent": 50, "floatUnits": ["L"]}}"#
                )
            })
            .chain([r#"{"id": "z", "name": "Z", "skills": ["SPL"], "unit": "L", "stillingsprosent": 50}"#.to_string()])
            .collect();
        let json = format!(
            r#"{{"formatVersion": 1, "name": "K", "start": "2026-03-02", "days": 3,
            "units": [{{"id": "K", "name": "K", "beds": 8}}, {{"id": "L", "name": "L", "beds": 8}}],
            "skills": [{{"id": "SPL", "name": "Sykepleier"}}],
            "shiftTypes": [{{"code": "D", "name": "Dag", "start": "07:30", "end": "15:00", "paidMinutes": 450}}],
            "staff": [{}],
            "demand": [{{"unit": "L", "shift": "D", "skill": "SPL", "min": {seats}}}],
            "nurseCover": [{{"skills": ["SPL"], "scope": "unit", "minPerShift": 1, "shifts": ["D"]}}],
            "reserves": {{"agency": [{{"skill": "SPL", "pricePerShift": 9500, "leadDays": 0, "maxPerShift": 1}}]}}}}"#,
            staff.join(",")
        );
        let inst = crate::formats::instance_from_json(&json, "k.json").unwrap();
        let mut g = Grid::empty(&inst);
        for e in 0..=floaters {
            g.cells[e][1].push((0, usize::from(e == floaters)));
        }
        let sick = sick_on(&inst, "z", 1);
        let r = replan(&inst, &g, 1, &sick).unwrap();
        assert!(crate::check::check_rules(&r.instance, &r.grid).is_empty());
        r
    }

    /// K's unit cover has a nurse to spare: she floats to L instead of agency coming.
    #[test]
    fn a_spare_nurse_floats_to_another_unit_before_agency_is_booked() {
        let r = floating_nurses(2, 2);
        assert_eq!(r.days[0].uncovered(), 0, "{:?}", r.changes);
        assert_eq!(r.days[0].shifts_without_nurse, 0, "{:?}", r.changes);
        assert_eq!(
            r.days[0].agency_shifts, 1,
            "L needs two: one floats, agency is the other"
        );
        assert_eq!(r.days[0].moves, 1, "{:?}", r.changes);
    }

    /// Each of K's three nurses is one to spare on her own, but only two may leave together:
    /// L takes agency or keeps a seat open rather than K lose its nurse cover.
    #[test]
    fn spare_nurses_do_not_leave_their_unit_short_together() {
        let r = floating_nurses(3, 4);
        assert_eq!(r.days[0].shifts_without_nurse, 0, "{:?}", r.changes);
        assert_eq!(r.days[0].moves, 2, "{:?}", r.changes);
        let d = &r.days[0];
        assert_eq!(d.agency_shifts + d.uncovered(), 2, "{:?}", r.changes);
    }

    fn sick_on(inst: &Instance, staff: &str, d: usize) -> [Absence; 1] {
        [Absence {
            staff: staff.into(),
            kind: AbsenceKind::Sykdom,
            from: inst.dates[d],
            to: inst.dates[d],
        }]
    }

    /// X (at most `max_weekends` weekends, one extra shift) and Y, from Monday 02.03 for
    /// `days` days; one HFA on the day shift of each of `dates` (quoted, comma-separated).
    /// With `reserve`, also Z (two extra shifts), away on the first weekend.
    fn weekend_home(days: u32, max_weekends: u32, dates: &str, reserve: bool) -> Instance {
        let (z, away) = if reserve {
            (
                r#", {"id": "z", "name": "Z", "skills": ["HFA"], "unit": "A", "stillingsprosent": 10,
                      "maxExtraShifts": 2}"#,
                r#", "absences": [{"staff": "z", "kind": "ferie", "from": "2026-03-07", "to": "2026-03-08"}]"#,
            )
        } else {
            ("", "")
        };
        let json = format!(
            r#"{{"formatVersion": 1, "name": "K", "start": "2026-03-02", "days": {days},
            "units": [{{"id": "A", "name": "A", "beds": 8}}],
            "skills": [{{"id": "HFA", "name": "Helsefagarbeider"}}],
            "shiftTypes": [{{"code": "D", "name": "Dag", "start": "07:30", "end": "15:00", "paidMinutes": 420}}],
            "staff": [{{"id": "x", "name": "X", "skills": ["HFA"], "unit": "A", "stillingsprosent": 10,
                       "maxExtraShifts": 1, "rules": {{"maxWeekends": {max_weekends}}}}},
                      {{"id": "y", "name": "Y", "skills": ["HFA"], "unit": "A", "stillingsprosent": 10}}{z}],
            "demand": [{{"unit": "A", "shift": "D", "skill": "HFA", "min": 1, "dates": [{dates}]}}]{away}}}"#
        );
        crate::formats::instance_from_json(&json, "k.json").unwrap()
    }

    /// Y works Saturday 07.03 and is sick; X works both days of the next weekend. The
    /// re-plan from 07.03, with 07.03 covered by X.
    fn x_covers_saturday(inst: &Instance) -> Replan {
        let mut g = Grid::empty(inst);
        g.cells[1][5].push((0, 0));
        g.cells[0][12].push((0, 0));
        g.cells[0][13].push((0, 0));
        assert!(crate::check::check_rules(inst, &g).is_empty());
        let sick = sick_on(inst, "y", 5);
        let r = replan(inst, &g, 5, &sick).unwrap();
        assert_eq!(r.uncovered(), 0, "{:?}", r.changes);
        assert_eq!(r.grid.cells[0][5], vec![(0, 0)], "X works 07.03");
        assert!(crate::check::check_rules(&r.instance, &r.grid).is_empty());
        r
    }

    /// Y is sick on Saturday 07.03. X may work one weekend and works both days of the next
    /// one, where she is not needed: one of them comes forward to 07.03 and the other is
    /// dropped, so she still works one weekend.
    #[test]
    fn a_later_weekend_is_freed_to_bring_one_of_its_shifts_forward() {
        let inst = weekend_home(14, 1, r#""2026-03-07""#, false);
        let r = x_covers_saturday(&inst);
        let later = (12..14).filter(|&d| !r.grid.cells[0][d].is_empty()).count();
        assert_eq!(later, 0, "the later weekend is freed: {:?}", r.changes);
    }

    /// The same with the later weekend's Sunday one day past the days looked ahead (a
    /// Saturday 13 days on): that Sunday is not known there, so it is not dropped.
    #[test]
    fn a_weekend_partner_past_the_days_looked_ahead_is_left_alone() {
        let inst = weekend_home(21, 2, r#""2026-03-08", "2026-03-22""#, false);
        let mut g = Grid::empty(&inst);
        g.cells[1][6].push((0, 0));
        g.cells[0][19].push((0, 0));
        g.cells[0][20].push((0, 0));
        g.cells[1][20].push((0, 0));
        let sick = sick_on(&inst, "y", 6);
        let r = replan(&inst, &g, 6, &sick).unwrap();
        assert!(!r.grid.cells[0][20].is_empty(), "{:?}", r.changes);
        assert!(crate::check::check_rules(&r.instance, &r.grid).is_empty());
    }

    /// As above, but X's later weekend is needed on both days. Z, away on the first
    /// weekend, can take extra shifts then: X's Saturday comes forward to 07.03, her Sunday
    /// is dropped, and Z stands in on both later days.
    #[test]
    fn a_needed_later_weekend_is_freed_when_a_reserve_stands_in_there() {
        let dates = r#""2026-03-07", "2026-03-14", "2026-03-15""#;
        let inst = weekend_home(14, 1, dates, true);
        let r = x_covers_saturday(&inst);
        assert!(
            r.grid.cells[0][12..14].iter().all(Vec::is_empty),
            "{:?}",
            r.changes
        );
        assert!(
            r.grid.cells[2][12..14].iter().all(|c| !c.is_empty()),
            "{:?}",
            r.changes
        );
    }

    /// A re-plan decides everything on its first day, so agency for a hole the repair
    /// itself opens counts its lead time from then. Re-plan on Wednesday 04.03: Y is sick
    /// on Thursday, when agency (two days' notice) cannot come yet. X's Friday shift comes
    /// forward to Thursday and agency, booked on Wednesday, takes Friday.
    #[test]
    fn a_replan_books_agency_for_the_holes_it_opens_from_its_first_day() {
        let json = r#"{"formatVersion": 1, "name": "K", "start": "2026-03-02", "days": 14,
            "units": [{"id": "A", "name": "A", "beds": 8}],
            "skills": [{"id": "HFA", "name": "Helsefagarbeider"}],
            "shiftTypes": [{"code": "D", "name": "Dag", "start": "07:30", "end": "15:00", "paidMinutes": 420}],
            "staff": [{"id": "x", "name": "X", "skills": ["HFA"], "unit": "A", "stillingsprosent": 10},
                      {"id": "y", "name": "Y", "skills": ["HFA"], "unit": "A", "stillingsprosent": 10}],
            "demand": [{"unit": "A", "shift": "D", "skill": "HFA", "min": 1,
                        "dates": ["2026-03-05", "2026-03-06"]}],
            "reserves": {"agency": [{"skill": "HFA", "pricePerShift": 6500, "leadDays": 2, "maxPerShift": 1}]}}"#;
        let inst = crate::formats::instance_from_json(json, "k.json").unwrap();
        let mut g = Grid::empty(&inst);
        g.cells[1][3].push((0, 0));
        g.cells[0][4].push((0, 0));
        let sick = sick_on(&inst, "y", 3);
        let r = replan(&inst, &g, 2, &sick).unwrap();
        assert_eq!(r.uncovered(), 0, "{:?}", r.changes);
        assert_eq!(r.grid.cells[0][3], vec![(0, 0)], "X works Thursday");
        assert!(
            r.changes.iter().any(|c| c.kind == ChangeKind::Agency),
            "{:?}",
            r.changes
        );
        assert!(crate::check::check_rules(&r.instance, &r.grid).is_empty());
    }

    #[test]
    fn infected_patients_move_seats_into_isolation() {
        let inst = cohort_home(2);
        let g = Grid::empty(&inst);
        let ri = repair_instance(&inst, &g, &[], 0, false).unwrap();
        let ctx = Ctx::new(&ri);
        let mut st = State::new(&ctx, &g);
        let mut sc = Scratch::default();
        let away = vec![None; ri.n_staff()];
        // Day 1: one clean seat; with 8 infected of 8 beds the clean seat goes and two
        // isolation seats (4 patients per staff) come instead; nobody is rostered.
        let m = repair_day(&ctx, &mut st, &mut sc, 1, &away, &[0], None);
        assert_eq!((m.uncovered_by_skill[0], m.uncovered_isolation), (1, 0));
        let m = repair_day(&ctx, &mut st, &mut sc, 1, &away, &[8], None);
        assert_eq!((m.uncovered_by_skill[0], m.uncovered_isolation), (0, 2));
    }

    /// Re-plans the demo home as `bench repair` cuts a case: the 8-week roster up to day
    /// `end`, repaired from `from` after `absences` (staff, kind, last day), all starting
    /// on `from`. Asserts the change list names each changed cell exactly once.
    fn listed_once(end: u32, from: usize, absences: &[(&str, AbsenceKind, &str)]) -> Replan {
        let p = crate::formats::project_from_json(
            include_str!("../../fixtures/demo-home.json"),
            "demo-home.json",
        )
        .unwrap();
        let eight = Instance::new(p.clone().with_days(56)).unwrap();
        let mut roster = crate::formats::read_roster(
            include_str!("../../fixtures/demo-roster-8w.csv"),
            "demo-roster-8w.csv",
            &eight,
        )
        .unwrap();
        roster
            .cells
            .iter_mut()
            .for_each(|r| r.truncate(end as usize));
        let inst = Instance::new(p.with_days(end)).unwrap();
        let date = |s: &str| chrono::NaiveDate::parse_from_str(s, "%d.%m.%Y").unwrap();
        let absences: Vec<Absence> = absences
            .iter()
            .map(|&(staff, kind, to)| Absence {
                staff: staff.into(),
                kind,
                from: inst.dates[from],
                to: date(to),
            })
            .collect();
        let r = replan(&inst, &roster, from, &absences).unwrap();
        let mut listed: Vec<(String, chrono::NaiveDate)> = Vec::new();
        for c in &r.changes {
            listed.push((c.staff.clone(), c.date));
            if let Some(d) = c.moved_from {
                listed.push((c.staff.clone(), d));
            }
        }
        let mut changed = Vec::new();
        for (e, row) in r.grid.cells.iter().enumerate() {
            for d in from..r.instance.n_days() {
                if row[d].first() != roster.cells.get(e).and_then(|b| b[d].first()) {
                    changed.push((r.instance.project.staff[e].id.clone(), r.instance.dates[d]));
                }
            }
        }
        listed.sort();
        changed.sort();
        assert_eq!(listed, changed, "{:#?}", r.changes);
        r
    }

    /// `bench repair` case 362: the repair switches Ida Myhre's night on 24.03 to an
    /// evening, then moves her to another unit; she reads one change, N KT → A LT.
    #[test]
    fn a_switch_and_a_move_of_one_cell_read_as_one_change() {
        use AbsenceKind::{Isolasjon as I, Karantene as K, Sykdom as S};
        let r = listed_once(
            30,
            16,
            &[
                ("1002", I, "27.03.2026"),
                ("1004", K, "27.03.2026"),
                ("1008", K, "26.03.2026"),
                ("1009", S, "28.03.2026"),
                ("1020", K, "27.03.2026"),
                ("1021", S, "18.03.2026"),
                ("1024", S, "18.03.2026"),
                ("1029", K, "27.03.2026"),
                ("1031", K, "26.03.2026"),
                ("1037", I, "26.03.2026"),
                ("1044", S, "27.03.2026"),
                ("1055", K, "27.03.2026"),
                ("1057", K, "26.03.2026"),
            ],
        );
        let ida: Vec<String> = r
            .changes
            .iter()
            .filter(|c| c.name == "Ida Myhre" && c.date == r.instance.dates[22])
            .map(|c| c.text(Lang::Nb))
            .collect();
        assert_eq!(ida.len(), 1, "{ida:?}");
    }

    /// `bench repair` case 1212: Hanna Aasen's day shift on 19.03 is taken off and her
    /// evening of 25.03 comes forward to 19.03; she reads D LT → A LT on 19.03 and 25.03 off.
    #[test]
    fn a_shift_taken_off_and_a_later_one_brought_to_that_day_read_as_a_switch() {
        use AbsenceKind::{Isolasjon as I, Karantene as K, Sykdom as S};
        let r = listed_once(
            29,
            15,
            &[
                ("1001", K, "21.03.2026"),
                ("1002", K, "21.03.2026"),
                ("1003", I, "24.03.2026"),
                ("1006", K, "21.03.2026"),
                ("1010", K, "23.03.2026"),
                ("1017", S, "17.03.2026"),
                ("1020", K, "21.03.2026"),
                ("1023", I, "24.03.2026"),
                ("1024", S, "19.03.2026"),
                ("1025", K, "21.03.2026"),
                ("1026", K, "20.03.2026"),
                ("1029", K, "20.03.2026"),
                ("1030", I, "24.03.2026"),
                ("1032", K, "23.03.2026"),
                ("1038", S, "21.03.2026"),
                ("1053", I, "21.03.2026"),
                ("1056", K, "23.03.2026"),
            ],
        );
        let hanna: Vec<String> = r
            .changes
            .iter()
            .filter(|c| c.name == "Hanna Aasen")
            .map(|c| c.text(Lang::Nb))
            .collect();
        assert!(
            hanna
                .iter()
                .any(|t| t.contains("D LT → A LT 19.03, byttet vakt"))
                && hanna
                    .iter()
                    .any(|t| t.contains("A KT → fri 25.03, tatt av vakt")),
            "{hanna:?}"
        );
    }
}
