//! The independent rule checker. It judges any roster (the planner's, or one typed by
//! hand) and shares no constraint code with [`crate::plan`]: rest is measured on a
//! timeline of clock times, runs are counted, cover is a bipartite matching. One rule is
//! one small function, registered in [`RULES`].

use chrono::Datelike;
use serde::Serialize;
use std::ops::Range;

use crate::model::{fmt_date, fmt_day, fmt_hours, weekday_nb, Instance, Lang, DAY};
use crate::roster::Grid;

/// The rules the checker knows.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub enum RuleId {
    /// At most one shift per day.
    OneShiftPerDay,
    /// No work while absent.
    Absence,
    /// Work only in one's own or float units.
    UnitAllowed,
    /// AML § 10-8 (1): rest between shifts.
    DailyRest,
    /// AML § 10-8 (2): continuous rest in every 7 days.
    WeeklyRest,
    /// Local rule: forbidden successions.
    ForbiddenSuccession,
    /// Most working days in a row.
    MaxConsecutiveDays,
    /// Fewest working days in a row.
    MinConsecutiveDays,
    /// Most nights in a row (AML § 10-11 protects night workers).
    MaxConsecutiveNights,
    /// Fewest days off in a row.
    MinConsecutiveDaysOff,
    /// Most weekends worked.
    MaxWeekends,
    /// Most shifts of one type.
    MaxShiftsOfType,
    /// Contract hours, lower bound.
    MinMinutes,
    /// Contract hours, upper bound.
    MaxMinutes,
    /// Minimum demand per skill, with substitution.
    SkillCover,
    /// Nurse-cover rule.
    NurseCover,
}

impl RuleId {
    /// Every rule.
    pub const ALL: [RuleId; 16] = [
        RuleId::OneShiftPerDay,
        RuleId::Absence,
        RuleId::UnitAllowed,
        RuleId::DailyRest,
        RuleId::WeeklyRest,
        RuleId::ForbiddenSuccession,
        RuleId::MaxConsecutiveDays,
        RuleId::MinConsecutiveDays,
        RuleId::MaxConsecutiveNights,
        RuleId::MinConsecutiveDaysOff,
        RuleId::MaxWeekends,
        RuleId::MaxShiftsOfType,
        RuleId::MinMinutes,
        RuleId::MaxMinutes,
        RuleId::SkillCover,
        RuleId::NurseCover,
    ];

    /// Cover rules describe the home's shortfall, not a broken personal rule.
    pub fn is_cover(self) -> bool {
        matches!(self, RuleId::SkillCover | RuleId::NurseCover)
    }

    /// Name and source of the rule.
    pub fn title(self, lang: Lang) -> &'static str {
        use RuleId::*;
        match (self, lang) {
            (OneShiftPerDay, Lang::Nb) => "Én vakt per dag",
            (OneShiftPerDay, Lang::En) => "One shift per day",
            (Absence, Lang::Nb) => "Fravær respekteres",
            (Absence, Lang::En) => "Absence respected",
            (UnitAllowed, Lang::Nb) => "Arbeid i egen avdeling",
            (UnitAllowed, Lang::En) => "Work in own unit",
            (DailyRest, Lang::Nb) => "Daglig hvile (AML § 10-8 (1))",
            (DailyRest, Lang::En) => "Daily rest (AML § 10-8 (1))",
            (WeeklyRest, Lang::Nb) => "Ukentlig hvile (AML § 10-8 (2))",
            (WeeklyRest, Lang::En) => "Weekly rest (AML § 10-8 (2))",
            (ForbiddenSuccession, Lang::Nb) => "Forbudt vaktrekkefølge",
            (ForbiddenSuccession, Lang::En) => "Forbidden succession",
            (MaxConsecutiveDays, Lang::Nb) => "Maks arbeidsdager på rad",
            (MaxConsecutiveDays, Lang::En) => "Max working days in a row",
            (MinConsecutiveDays, Lang::Nb) => "Min arbeidsdager på rad",
            (MinConsecutiveDays, Lang::En) => "Min working days in a row",
            (MaxConsecutiveNights, Lang::Nb) => "Maks netter på rad (AML § 10-11)",
            (MaxConsecutiveNights, Lang::En) => "Max nights in a row (AML § 10-11)",
            (MinConsecutiveDaysOff, Lang::Nb) => "Min fridager på rad",
            (MinConsecutiveDaysOff, Lang::En) => "Min days off in a row",
            (MaxWeekends, Lang::Nb) => "Maks helger",
            (MaxWeekends, Lang::En) => "Max weekends",
            (MaxShiftsOfType, Lang::Nb) => "Maks vakter av en type",
            (MaxShiftsOfType, Lang::En) => "Max shifts of a type",
            (MinMinutes, Lang::Nb) => "Timer under avtalt",
            (MinMinutes, Lang::En) => "Hours below contract",
            (MaxMinutes, Lang::Nb) => "Timer over avtalt",
            (MaxMinutes, Lang::En) => "Hours above contract",
            (SkillCover, Lang::Nb) => "Minimumsbemanning",
            (SkillCover, Lang::En) => "Minimum staffing",
            (NurseCover, Lang::Nb) => "Sykepleierdekning",
            (NurseCover, Lang::En) => "Nurse cover",
        }
    }
}

/// One broken rule, located and explained.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Violation {
    /// Which rule.
    pub rule: RuleId,
    /// Staff index, where a person is involved.
    #[serde(skip)]
    pub e: Option<usize>,
    /// Staff id.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub staff: Option<String>,
    /// Day index.
    #[serde(skip)]
    pub d: Option<usize>,
    /// Date.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub date: Option<chrono::NaiveDate>,
    /// Shift code.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub shift: Option<String>,
    /// Unit id.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub unit: Option<String>,
    /// How badly: minutes, days, shifts or heads over the limit.
    pub amount: f64,
    /// Explanation in bokmål.
    pub message_nb: String,
    /// Explanation in English.
    pub message_en: String,
}

impl Violation {
    /// The explanation in a language.
    pub fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Nb => &self.message_nb,
            Lang::En => &self.message_en,
        }
    }
}

/// A rule function: reads the instance and the grid, returns violations. Personal rules
/// look only at the staff in the range (cover rules always at everyone).
pub type RuleFn = fn(&Instance, &Grid, &Range<usize>) -> Vec<Violation>;

/// Every rule, in the order reports list them. Hard personal rules first, cover last.
pub const RULES: &[(RuleId, RuleFn)] = &[
    (RuleId::OneShiftPerDay, one_shift_per_day),
    (RuleId::Absence, absence),
    (RuleId::UnitAllowed, unit_allowed),
    (RuleId::DailyRest, daily_rest),
    (RuleId::WeeklyRest, weekly_rest),
    (RuleId::ForbiddenSuccession, forbidden_succession),
    (RuleId::MaxConsecutiveDays, max_consecutive_days),
    (RuleId::MinConsecutiveDays, min_consecutive_days),
    (RuleId::MaxConsecutiveNights, max_consecutive_nights),
    (RuleId::MinConsecutiveDaysOff, min_consecutive_days_off),
    (RuleId::MaxWeekends, max_weekends),
    (RuleId::MaxShiftsOfType, max_shifts_of_type),
    (RuleId::MinMinutes, min_minutes),
    (RuleId::MaxMinutes, max_minutes),
    (RuleId::SkillCover, skill_cover),
    (RuleId::NurseCover, nurse_cover),
];

/// Checks a roster against every rule.
pub fn check(inst: &Instance, grid: &Grid) -> Vec<Violation> {
    let all = 0..inst.n_staff();
    RULES
        .iter()
        .flat_map(|(_, f)| f(inst, grid, &all))
        .collect()
}

/// Only the personal working-time rules (no cover).
pub fn check_rules(inst: &Instance, grid: &Grid) -> Vec<Violation> {
    RULES
        .iter()
        .filter(|(id, _)| !id.is_cover())
        .flat_map(|(_, f)| f(inst, grid, &(0..inst.n_staff())))
        .collect()
}

/// The personal working-time rules of one person (what adding a shift to their row would
/// break, without re-checking everyone).
pub fn check_person(inst: &Instance, grid: &Grid, e: usize) -> Vec<Violation> {
    RULES
        .iter()
        .filter(|(id, _)| !id.is_cover())
        .flat_map(|(_, f)| f(inst, grid, &(e..e + 1)))
        .collect()
}

struct V<'a> {
    inst: &'a Instance,
    v: Violation,
}

impl<'a> V<'a> {
    fn new(inst: &'a Instance, rule: RuleId, amount: f64) -> Self {
        V {
            inst,
            v: Violation {
                rule,
                e: None,
                staff: None,
                d: None,
                date: None,
                shift: None,
                unit: None,
                amount,
                message_nb: String::new(),
                message_en: String::new(),
            },
        }
    }
    fn staff(mut self, e: usize) -> Self {
        self.v.e = Some(e);
        self.v.staff = Some(self.inst.project.staff[e].id.clone());
        self
    }
    fn day(mut self, d: usize) -> Self {
        self.v.d = Some(d);
        self.v.date = Some(self.inst.dates[d]);
        self
    }
    fn shift(mut self, s: usize) -> Self {
        self.v.shift = Some(self.inst.project.shift_types[s].code.clone());
        self
    }
    fn unit(mut self, u: usize) -> Self {
        self.v.unit = Some(self.inst.project.units[u].id.clone());
        self
    }
    fn say(mut self, nb: String, en: String) -> Violation {
        self.v.message_nb = nb;
        self.v.message_en = en;
        self.v
    }
}

fn name(inst: &Instance, e: usize) -> &str {
    &inst.project.staff[e].name
}

fn code(inst: &Instance, s: usize) -> &str {
    &inst.project.shift_types[s].code
}

fn day(inst: &Instance, d: usize) -> String {
    fmt_day(inst.dates[d])
}

fn one_shift_per_day(inst: &Instance, g: &Grid, who: &Range<usize>) -> Vec<Violation> {
    let mut out = Vec::new();
    for (e, days) in g.cells.iter().enumerate().skip(who.start).take(who.len()) {
        for (d, cell) in days.iter().enumerate() {
            if cell.len() > 1 {
                let codes: Vec<&str> = cell.iter().map(|&(s, _)| code(inst, s)).collect();
                let codes = codes.join(" + ");
                out.push(
                    V::new(inst, RuleId::OneShiftPerDay, (cell.len() - 1) as f64)
                        .staff(e)
                        .day(d)
                        .say(
                            format!(
                                "{}: {} vakter {} ({codes}); høyst én per dag",
                                name(inst, e),
                                cell.len(),
                                day(inst, d)
                            ),
                            format!(
                                "{}: {} shifts on {} ({codes}); at most one per day",
                                name(inst, e),
                                cell.len(),
                                day(inst, d)
                            ),
                        ),
                );
            }
        }
    }
    out
}

fn absence(inst: &Instance, g: &Grid, who: &Range<usize>) -> Vec<Violation> {
    let mut out = Vec::new();
    for (e, days) in g.cells.iter().enumerate().skip(who.start).take(who.len()) {
        for (d, cell) in days.iter().enumerate() {
            let Some((kind, a)) = inst.absent[e][d] else {
                continue;
            };
            for &(s, u) in cell {
                let ab = &inst.project.absences[a];
                out.push(
                    V::new(inst, RuleId::Absence, 1.0)
                        .staff(e)
                        .day(d)
                        .shift(s)
                        .unit(u)
                        .say(
                            format!(
                                "{} står på {} {}, men er {} {}–{}",
                                name(inst, e),
                                code(inst, s),
                                day(inst, d),
                                kind.word(Lang::Nb),
                                fmt_day(ab.from),
                                fmt_day(ab.to)
                            ),
                            format!(
                                "{} is rostered {} on {} but is {} {}–{}",
                                name(inst, e),
                                code(inst, s),
                                day(inst, d),
                                kind.word(Lang::En),
                                fmt_day(ab.from),
                                fmt_day(ab.to)
                            ),
                        ),
                );
            }
        }
    }
    out
}

fn unit_allowed(inst: &Instance, g: &Grid, who: &Range<usize>) -> Vec<Violation> {
    let mut out = Vec::new();
    for (e, days) in g.cells.iter().enumerate().skip(who.start).take(who.len()) {
        for (d, cell) in days.iter().enumerate() {
            for &(s, u) in cell {
                if !inst.units_of[e].contains(&u) {
                    let un = &inst.project.units[u].name;
                    out.push(V::new(inst, RuleId::UnitAllowed, 1.0).staff(e).day(d).shift(s).unit(u).say(
                        format!("{} står på {} {} i {un}, som ikke er en av avdelingene hen kan jobbe i", name(inst, e), code(inst, s), day(inst, d)),
                        format!("{} is rostered {} on {} in {un}, not a unit they may work in", name(inst, e), code(inst, s), day(inst, d)),
                    ));
                }
            }
        }
    }
    out
}

/// Work intervals of a person as absolute minutes from the horizon's first midnight.
fn timeline(inst: &Instance, g: &Grid, e: usize) -> Vec<(i64, i64, usize, usize)> {
    let mut iv: Vec<(i64, i64, usize, usize)> = Vec::new();
    for (d, cell) in g.cells[e].iter().enumerate() {
        for &(s, _) in cell {
            let (a, b) = inst.span[s];
            let base = d as i64 * i64::from(DAY);
            iv.push((base + i64::from(a), base + i64::from(b), d, s));
        }
    }
    iv.sort();
    iv
}

/// AML § 10-8 (1): at least `dailyRestMinutes` between the end of one shift and the start of the next.
fn daily_rest(inst: &Instance, g: &Grid, who: &Range<usize>) -> Vec<Violation> {
    let Some(rest) = inst.project.rules.daily_rest_minutes else {
        return Vec::new();
    };
    let rest = i64::from(rest);
    let mut out = Vec::new();
    for e in who.clone() {
        let iv = timeline(inst, g, e);
        for w in iv.windows(2) {
            let (_, end1, d1, s1) = w[0];
            let (start2, _, d2, s2) = w[1];
            let gap = start2 - end1;
            if gap < rest {
                let st = &inst.project.shift_types;
                out.push(V::new(inst, RuleId::DailyRest, (rest - gap) as f64).staff(e).day(d2).shift(s2).say(
                    format!(
                        "{}: bare {} hvile mellom {} {} (slutt {}) og {} {} (start {}); minst {} kreves (AML § 10-8 (1))",
                        name(inst, e), fmt_hours(gap), code(inst, s1), day(inst, d1), st[s1].end,
                        code(inst, s2), day(inst, d2), st[s2].start, fmt_hours(rest)
                    ),
                    format!(
                        "{}: only {} rest between {} {} (ends {}) and {} {} (starts {}); at least {} required (AML § 10-8 (1))",
                        name(inst, e), fmt_hours(gap), code(inst, s1), day(inst, d1), st[s1].end,
                        code(inst, s2), day(inst, d2), st[s2].start, fmt_hours(rest)
                    ),
                ));
            }
        }
    }
    out
}

/// AML § 10-8 (2): in every 7-day window within the horizon, a continuous rest of at least
/// `weeklyRestMinutes` inside the window. Time outside the horizon counts as free.
fn weekly_rest(inst: &Instance, g: &Grid, who: &Range<usize>) -> Vec<Violation> {
    let Some(rest) = inst.project.rules.weekly_rest_minutes else {
        return Vec::new();
    };
    let rest = i64::from(rest);
    let n = inst.n_days();
    let mut out = Vec::new();
    if n < 7 {
        return out;
    }
    for e in who.clone() {
        let iv = timeline(inst, g, e);
        for w in 0..=n - 7 {
            let (ws, we) = (w as i64 * i64::from(DAY), (w + 7) as i64 * i64::from(DAY));
            let mut free_from = ws;
            let mut longest = 0;
            for &(a, b, _, _) in &iv {
                if b <= ws || a >= we {
                    continue;
                }
                longest = longest.max(a.max(ws) - free_from);
                free_from = free_from.max(b.min(we));
            }
            longest = longest.max(we - free_from);
            if longest < rest {
                out.push(V::new(inst, RuleId::WeeklyRest, (rest - longest) as f64).staff(e).day(w).say(
                    format!(
                        "{}: lengste sammenhengende fri i 7-dagersperioden {}–{} er {}; minst {} kreves (AML § 10-8 (2))",
                        name(inst, e), day(inst, w), day(inst, w + 6), fmt_hours(longest), fmt_hours(rest)
                    ),
                    format!(
                        "{}: longest continuous rest in the 7 days {}–{} is {}; at least {} required (AML § 10-8 (2))",
                        name(inst, e), day(inst, w), day(inst, w + 6), fmt_hours(longest), fmt_hours(rest)
                    ),
                ));
            }
        }
    }
    out
}

fn forbidden_succession(inst: &Instance, g: &Grid, who: &Range<usize>) -> Vec<Violation> {
    let mut out = Vec::new();
    for e in who.clone() {
        for d in 1..inst.n_days() {
            for &(s1, _) in &g.cells[e][d - 1] {
                for &(s2, _) in &g.cells[e][d] {
                    if inst.forbidden.contains(&(s1, s2)) {
                        out.push(
                            V::new(inst, RuleId::ForbiddenSuccession, 1.0)
                                .staff(e)
                                .day(d)
                                .shift(s2)
                                .say(
                                    format!(
                                        "{}: {} {} etter {} {} er ikke tillatt",
                                        name(inst, e),
                                        code(inst, s2),
                                        day(inst, d),
                                        code(inst, s1),
                                        day(inst, d - 1)
                                    ),
                                    format!(
                                        "{}: {} on {} after {} on {} is not allowed",
                                        name(inst, e),
                                        code(inst, s2),
                                        day(inst, d),
                                        code(inst, s1),
                                        day(inst, d - 1)
                                    ),
                                ),
                        );
                    }
                }
            }
        }
    }
    out
}

/// Maximal runs of days where `on(d)` holds: (first day, length).
fn runs(n: usize, on: impl Fn(usize) -> bool) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut d = 0;
    while d < n {
        if on(d) {
            let start = d;
            while d < n && on(d) {
                d += 1;
            }
            out.push((start, d - start));
        } else {
            d += 1;
        }
    }
    out
}

fn max_consecutive_days(inst: &Instance, g: &Grid, who: &Range<usize>) -> Vec<Violation> {
    let mut out = Vec::new();
    for e in who.clone() {
        let max = inst.person[e].max_consecutive_days as usize;
        for (start, len) in runs(inst.n_days(), |d| g.works(e, d)) {
            if len > max {
                let end = start + len - 1;
                out.push(
                    V::new(inst, RuleId::MaxConsecutiveDays, (len - max) as f64)
                        .staff(e)
                        .day(start)
                        .say(
                            format!(
                                "{}: {len} arbeidsdager på rad {}–{}; høyst {max}",
                                name(inst, e),
                                day(inst, start),
                                day(inst, end)
                            ),
                            format!(
                                "{}: {len} working days in a row {}–{}; at most {max}",
                                name(inst, e),
                                day(inst, start),
                                day(inst, end)
                            ),
                        ),
                );
            }
        }
    }
    out
}

fn min_consecutive_days(inst: &Instance, g: &Grid, who: &Range<usize>) -> Vec<Violation> {
    let mut out = Vec::new();
    let n = inst.n_days();
    for e in who.clone() {
        let min = inst.person[e].min_consecutive_days as usize;
        for (start, len) in runs(n, |d| g.works(e, d)) {
            // A run touching the horizon's ends may continue outside it.
            if len < min && start > 0 && start + len < n {
                out.push(
                    V::new(inst, RuleId::MinConsecutiveDays, (min - len) as f64)
                        .staff(e)
                        .day(start)
                        .say(
                            format!(
                                "{}: bare {len} arbeidsdag(er) på rad fra {}; minst {min}",
                                name(inst, e),
                                day(inst, start)
                            ),
                            format!(
                                "{}: only {len} working day(s) in a row from {}; at least {min}",
                                name(inst, e),
                                day(inst, start)
                            ),
                        ),
                );
            }
        }
    }
    out
}

fn max_consecutive_nights(inst: &Instance, g: &Grid, who: &Range<usize>) -> Vec<Violation> {
    let mut out = Vec::new();
    for e in who.clone() {
        let max = inst.person[e].max_consecutive_nights as usize;
        let night = |d: usize| g.cells[e][d].iter().any(|&(s, _)| inst.night[s]);
        for (start, len) in runs(inst.n_days(), night) {
            if len > max {
                out.push(
                    V::new(inst, RuleId::MaxConsecutiveNights, (len - max) as f64)
                        .staff(e)
                        .day(start)
                        .say(
                            format!(
                                "{}: {len} netter på rad fra {}; høyst {max}",
                                name(inst, e),
                                day(inst, start)
                            ),
                            format!(
                                "{}: {len} nights in a row from {}; at most {max}",
                                name(inst, e),
                                day(inst, start)
                            ),
                        ),
                );
            }
        }
    }
    out
}

fn min_consecutive_days_off(inst: &Instance, g: &Grid, who: &Range<usize>) -> Vec<Violation> {
    let mut out = Vec::new();
    let n = inst.n_days();
    for e in who.clone() {
        let min = inst.person[e].min_consecutive_days_off as usize;
        for (start, len) in runs(n, |d| !g.works(e, d)) {
            if len < min && start > 0 && start + len < n {
                out.push(
                    V::new(inst, RuleId::MinConsecutiveDaysOff, (min - len) as f64)
                        .staff(e)
                        .day(start)
                        .say(
                            format!(
                                "{}: bare {len} fridag(er) på rad fra {}; minst {min}",
                                name(inst, e),
                                day(inst, start)
                            ),
                            format!(
                                "{}: only {len} day(s) off in a row from {}; at least {min}",
                                name(inst, e),
                                day(inst, start)
                            ),
                        ),
                );
            }
        }
    }
    out
}

fn max_weekends(inst: &Instance, g: &Grid, who: &Range<usize>) -> Vec<Violation> {
    let mut out = Vec::new();
    for e in who.clone() {
        let max = inst.person[e].max_weekends as usize;
        let worked: Vec<&Vec<usize>> = inst
            .weekends
            .iter()
            .filter(|w| w.iter().any(|&d| g.works(e, d)))
            .collect();
        if worked.len() > max {
            let list: Vec<String> = worked
                .iter()
                .map(|w| format!("uke {}", inst.dates[w[0]].iso_week().week()))
                .collect();
            let list = list.join(", ");
            out.push(
                V::new(inst, RuleId::MaxWeekends, (worked.len() - max) as f64)
                    .staff(e)
                    .day(worked[max][0])
                    .say(
                        format!(
                            "{}: jobber {} helger ({list}); høyst {max}",
                            name(inst, e),
                            worked.len()
                        ),
                        format!(
                            "{}: works {} weekends ({}); at most {max}",
                            name(inst, e),
                            worked.len(),
                            list.replace("uke", "week")
                        ),
                    ),
            );
        }
    }
    out
}

fn max_shifts_of_type(inst: &Instance, g: &Grid, who: &Range<usize>) -> Vec<Violation> {
    let mut out = Vec::new();
    for e in who.clone() {
        let mut count = vec![0u32; inst.n_shifts()];
        for cell in &g.cells[e] {
            for &(s, _) in cell {
                count[s] += 1;
            }
        }
        for (s, &c) in count.iter().enumerate() {
            let max = inst.person[e].max_shifts[s];
            if c > max {
                out.push(
                    V::new(inst, RuleId::MaxShiftsOfType, f64::from(c - max))
                        .staff(e)
                        .shift(s)
                        .say(
                            format!(
                                "{}: {c} {}-vakter; høyst {max}",
                                name(inst, e),
                                code(inst, s)
                            ),
                            format!(
                                "{}: {c} {} shifts; at most {max}",
                                name(inst, e),
                                code(inst, s)
                            ),
                        ),
                );
            }
        }
    }
    out
}

fn paid_minutes(inst: &Instance, g: &Grid, e: usize) -> i64 {
    g.cells[e]
        .iter()
        .flatten()
        .map(|&(s, _)| i64::from(inst.paid(s)))
        .sum()
}

fn min_minutes(inst: &Instance, g: &Grid, who: &Range<usize>) -> Vec<Violation> {
    let mut out = Vec::new();
    for e in who.clone() {
        let total = paid_minutes(inst, g, e);
        let min = i64::from(inst.person[e].min_minutes);
        if total < min {
            out.push(
                V::new(inst, RuleId::MinMinutes, (min - total) as f64)
                    .staff(e)
                    .say(
                        format!(
                            "{}: {} timer i perioden; minst {} (stilling {} %)",
                            name(inst, e),
                            fmt_hours(total),
                            fmt_hours(min),
                            inst.project.staff[e].stillingsprosent
                        ),
                        format!(
                            "{}: {} hours in the period; at least {} ({} % position)",
                            name(inst, e),
                            fmt_hours(total),
                            fmt_hours(min),
                            inst.project.staff[e].stillingsprosent
                        ),
                    ),
            );
        }
    }
    out
}

fn max_minutes(inst: &Instance, g: &Grid, who: &Range<usize>) -> Vec<Violation> {
    let mut out = Vec::new();
    for e in who.clone() {
        let total = paid_minutes(inst, g, e);
        let max = i64::from(inst.person[e].max_minutes);
        if total > max {
            out.push(
                V::new(inst, RuleId::MaxMinutes, (total - max) as f64)
                    .staff(e)
                    .say(
                        format!(
                            "{}: {} timer i perioden; høyst {}",
                            name(inst, e),
                            fmt_hours(total),
                            fmt_hours(max)
                        ),
                        format!(
                            "{}: {} hours in the period; at most {}",
                            name(inst, e),
                            fmt_hours(total),
                            fmt_hours(max)
                        ),
                    ),
            );
        }
    }
    out
}

/// Staff on a (day, shift, unit).
fn on_slot(g: &Grid, d: usize, s: usize, u: usize) -> Vec<usize> {
    (0..g.cells.len())
        .filter(|&e| g.cells[e][d].contains(&(s, u)))
        .collect()
}

/// Maximum matching of demand seats (one per required head of a skill) to staff able to
/// fill them (Kuhn's augmenting paths). Returns for each seat the staff matched, if any.
pub fn match_seats(
    can: impl Fn(usize, usize) -> bool,
    staff: &[usize],
    seats: &[usize],
) -> Vec<Option<usize>> {
    let mut seat_of_staff: Vec<Option<usize>> = vec![None; staff.len()];
    let mut staff_of_seat: Vec<Option<usize>> = vec![None; seats.len()];
    fn augment(
        j: usize,
        can: &dyn Fn(usize, usize) -> bool,
        staff: &[usize],
        seats: &[usize],
        seen: &mut [bool],
        seat_of_staff: &mut [Option<usize>],
        staff_of_seat: &mut [Option<usize>],
    ) -> bool {
        for i in 0..staff.len() {
            if seen[i] || !can(staff[i], seats[j]) {
                continue;
            }
            seen[i] = true;
            let free = match seat_of_staff[i] {
                None => true,
                Some(j2) => augment(j2, can, staff, seats, seen, seat_of_staff, staff_of_seat),
            };
            if free {
                seat_of_staff[i] = Some(j);
                staff_of_seat[j] = Some(i);
                return true;
            }
        }
        false
    }
    for j in 0..seats.len() {
        let mut seen = vec![false; staff.len()];
        augment(
            j,
            &can,
            staff,
            seats,
            &mut seen,
            &mut seat_of_staff,
            &mut staff_of_seat,
        );
    }
    staff_of_seat
        .into_iter()
        .map(|i| i.map(|i| staff[i]))
        .collect()
}

/// Minimum demand per skill, where a higher skill may stand in for a lower one.
fn skill_cover(inst: &Instance, g: &Grid, _who: &Range<usize>) -> Vec<Violation> {
    let mut out = Vec::new();
    for d in 0..inst.n_days() {
        for s in 0..inst.n_shifts() {
            for u in 0..inst.n_units() {
                let dem = &inst.demand[d][s][u];
                if dem.iter().all(|x| x.min == 0) {
                    continue;
                }
                let staff = on_slot(g, d, s, u);
                // Scarcest skills first so the listed shortfall names the skill truly missing.
                let mut seats: Vec<usize> = dem
                    .iter()
                    .flat_map(|x| std::iter::repeat_n(x.skill, x.min as usize))
                    .collect();
                seats.sort_by_key(|&k| {
                    std::cmp::Reverse(inst.covers.iter().filter(|c| c[k]).count())
                });
                let m = match_seats(|e, k| inst.can[e][k], &staff, &seats);
                for x in dem {
                    let short = seats
                        .iter()
                        .zip(&m)
                        .filter(|(&k, m)| k == x.skill && m.is_none())
                        .count();
                    if short > 0 {
                        let sk = &inst.project.skills[x.skill].name;
                        let un = &inst.project.units[u].name;
                        let sn = &inst.project.shift_types[s].name;
                        let date = inst.dates[d];
                        out.push(
                            V::new(inst, RuleId::SkillCover, short as f64)
                                .day(d)
                                .shift(s)
                                .unit(u)
                                .say(
                                    format!(
                                        "{sn} {} {} {un}: mangler {short} {} (minimum {})",
                                        weekday_nb(date),
                                        fmt_date(date),
                                        sk.to_lowercase(),
                                        x.min
                                    ),
                                    format!(
                                        "{sn} {} {un}: {short} {sk} short (minimum {})",
                                        fmt_date(date),
                                        x.min
                                    ),
                                ),
                        );
                    }
                }
            }
        }
    }
    out
}

fn nurse_cover(inst: &Instance, g: &Grid, _who: &Range<usize>) -> Vec<Violation> {
    let mut out = Vec::new();
    for need in &inst.nurse_needs {
        let present = need
            .units
            .iter()
            .flat_map(|&u| on_slot(g, need.day, need.shift, u))
            .filter(|&e| need.skills.iter().any(|&k| inst.has[e][k]))
            .count() as u32;
        if present < need.required {
            let short = need.required - present;
            let place = if need.units.len() == 1 {
                inst.project.units[need.units[0]].name.clone()
            } else {
                "hele huset".to_string()
            };
            let place_en = if need.units.len() == 1 {
                place.clone()
            } else {
                "the whole home".into()
            };
            let skills: Vec<&str> = need
                .skills
                .iter()
                .map(|&k| inst.project.skills[k].name.as_str())
                .collect();
            let skills = skills.join("/");
            let sn = &inst.project.shift_types[need.shift].name;
            let date = inst.dates[need.day];
            let mut v = V::new(inst, RuleId::NurseCover, f64::from(short))
                .day(need.day)
                .shift(need.shift);
            if need.units.len() == 1 {
                v = v.unit(need.units[0]);
            }
            out.push(v.say(
                format!(
                    "{sn} {} {} {place}: {present} av {} {} på vakt",
                    weekday_nb(date),
                    fmt_date(date),
                    need.required,
                    skills.to_lowercase()
                ),
                format!(
                    "{sn} {} {place_en}: {present} of {} {skills} on duty",
                    fmt_date(date),
                    need.required
                ),
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Instance, Project};

    const BASE: &str = r#"{
      "formatVersion": 1, "name": "Test", "start": "2025-03-03", "days": 7,
      "units": [{"id": "A", "name": "Avd A", "beds": 10}, {"id": "B", "name": "Avd B", "beds": 10}],
      "skills": [{"id": "SPL", "name": "Sykepleier", "covers": ["HFA"]}, {"id": "HFA", "name": "Helsefagarbeider"}],
      "shiftTypes": [
        {"code": "D", "name": "Dag", "start": "07:30", "end": "15:00", "paidMinutes": 450},
        {"code": "A", "name": "Aften", "start": "14:30", "end": "22:00", "paidMinutes": 450},
        {"code": "N", "name": "Natt", "start": "21:45", "end": "07:45", "paidMinutes": 600}
      ],
      "staff": [
        {"id": "1", "name": "Kari", "skills": ["SPL"], "unit": "A", "stillingsprosent": 50,
         "rules": {"minMinutes": 0, "maxMinutes": 100000}},
        {"id": "2", "name": "Ola", "skills": ["HFA"], "unit": "A", "stillingsprosent": 50,
         "rules": {"minMinutes": 0, "maxMinutes": 100000}},
        {"id": "3", "name": "Per", "skills": ["HFA"], "unit": "A", "stillingsprosent": 50,
         "rules": {"minMinutes": 0, "maxMinutes": 100000}}
      ]
    }"#;

    fn inst(f: impl FnOnce(&mut Project)) -> Instance {
        let mut p: Project = serde_json::from_str(BASE).unwrap();
        f(&mut p);
        Instance::new(p).unwrap()
    }

    fn grid(inst: &Instance, cells: &[(usize, usize, &str, &str)]) -> Grid {
        let mut g = Grid::empty(inst);
        for &(e, d, s, u) in cells {
            g.cells[e][d].push((inst.shift_index(s).unwrap(), inst.unit_index(u).unwrap()));
        }
        g
    }

    /// Total amount of one rule's violations.
    fn amount(inst: &Instance, g: &Grid, rule: RuleId) -> f64 {
        let f = RULES.iter().find(|(id, _)| *id == rule).unwrap().1;
        let vs = f(inst, g, &(0..inst.n_staff()));
        for v in &vs {
            assert_eq!(v.rule, rule);
            assert!(!v.message_nb.is_empty() && !v.message_en.is_empty());
        }
        vs.iter().map(|v| v.amount).sum()
    }

    struct Case {
        rule: RuleId,
        setup: fn(&mut Project),
        bad: &'static [(usize, usize, &'static str, &'static str)],
        expect: f64,
        clean: &'static [(usize, usize, &'static str, &'static str)],
    }

    fn nothing(_: &mut Project) {}

    fn cases() -> Vec<Case> {
        vec![
            Case {
                rule: RuleId::OneShiftPerDay,
                setup: nothing,
                bad: &[(0, 0, "D", "A"), (0, 0, "A", "A")],
                expect: 1.0,
                clean: &[(0, 0, "D", "A"), (0, 1, "A", "A")],
            },
            Case {
                rule: RuleId::Absence,
                setup: |p| {
                    p.absences.push(serde_json::from_str(r#"{"staff": "1", "kind": "karantene", "from": "2025-03-04", "to": "2025-03-05"}"#).unwrap())
                },
                bad: &[(0, 1, "D", "A"), (0, 2, "D", "A")],
                expect: 2.0,
                clean: &[(0, 0, "D", "A"), (0, 3, "D", "A")],
            },
            Case {
                rule: RuleId::UnitAllowed,
                setup: nothing,
                bad: &[(0, 0, "D", "B")],
                expect: 1.0,
                clean: &[(0, 0, "D", "A")],
            },
            // A ends 22:00, D starts 07:30: 9:30 of rest, 1:30 short of 11 h.
            Case {
                rule: RuleId::DailyRest,
                setup: nothing,
                bad: &[(0, 0, "A", "A"), (0, 1, "D", "A")],
                expect: 90.0,
                clean: &[
                    (0, 0, "D", "A"),
                    (0, 1, "A", "A"),
                    (0, 3, "A", "A"),
                    (0, 4, "A", "A"),
                ],
            },
            // Longest rest 33:30 (A ends 22:00, off, D 07:30): 1:30 short of 35 h.
            Case {
                rule: RuleId::WeeklyRest,
                setup: nothing,
                bad: &[
                    (0, 0, "D", "A"),
                    (0, 1, "D", "A"),
                    (0, 2, "A", "A"),
                    (0, 4, "D", "A"),
                    (0, 5, "D", "A"),
                    (0, 6, "D", "A"),
                ],
                expect: 90.0,
                clean: &[
                    (0, 0, "D", "A"),
                    (0, 1, "D", "A"),
                    (0, 2, "D", "A"),
                    (0, 4, "D", "A"),
                    (0, 5, "D", "A"),
                    (0, 6, "D", "A"),
                ],
            },
            Case {
                rule: RuleId::ForbiddenSuccession,
                setup: |p| p.rules.forbidden_successions.push(["D".into(), "N".into()]),
                bad: &[(0, 0, "D", "A"), (0, 1, "N", "A")],
                expect: 1.0,
                clean: &[(0, 0, "N", "A"), (0, 1, "N", "A")],
            },
            Case {
                rule: RuleId::MaxConsecutiveDays,
                setup: nothing,
                bad: &[
                    (0, 0, "D", "A"),
                    (0, 1, "D", "A"),
                    (0, 2, "D", "A"),
                    (0, 3, "D", "A"),
                    (0, 4, "D", "A"),
                    (0, 5, "D", "A"),
                ],
                expect: 1.0,
                clean: &[
                    (0, 0, "D", "A"),
                    (0, 1, "D", "A"),
                    (0, 2, "D", "A"),
                    (0, 3, "D", "A"),
                    (0, 4, "D", "A"),
                    (0, 6, "D", "A"),
                ],
            },
            // A lone day inside the horizon is short; one touching the start is exempt.
            Case {
                rule: RuleId::MinConsecutiveDays,
                setup: |p| p.rules.min_consecutive_days = 2,
                bad: &[(0, 3, "D", "A")],
                expect: 1.0,
                clean: &[(0, 0, "D", "A"), (0, 3, "D", "A"), (0, 4, "D", "A")],
            },
            Case {
                rule: RuleId::MaxConsecutiveNights,
                setup: nothing,
                bad: &[
                    (0, 0, "N", "A"),
                    (0, 1, "N", "A"),
                    (0, 2, "N", "A"),
                    (0, 3, "N", "A"),
                ],
                expect: 1.0,
                clean: &[
                    (0, 0, "N", "A"),
                    (0, 1, "N", "A"),
                    (0, 2, "N", "A"),
                    (0, 4, "D", "A"),
                ],
            },
            Case {
                rule: RuleId::MinConsecutiveDaysOff,
                setup: |p| p.rules.min_consecutive_days_off = 2,
                bad: &[(0, 0, "D", "A"), (0, 2, "D", "A")],
                expect: 1.0,
                clean: &[(0, 0, "D", "A"), (0, 3, "D", "A")],
            },
            Case {
                rule: RuleId::MaxWeekends,
                setup: |p| p.staff[0].rules.max_weekends = Some(0),
                bad: &[(0, 6, "D", "A")],
                expect: 1.0,
                clean: &[(0, 4, "D", "A")],
            },
            Case {
                rule: RuleId::MaxShiftsOfType,
                setup: |p| {
                    p.staff[0].rules.max_shifts.insert("N".into(), 1);
                },
                bad: &[(0, 0, "N", "A"), (0, 2, "N", "A")],
                expect: 1.0,
                clean: &[(0, 0, "N", "A"), (0, 2, "D", "A")],
            },
            Case {
                rule: RuleId::MinMinutes,
                setup: |p| p.staff[0].rules.min_minutes = Some(900),
                bad: &[(0, 0, "D", "A")],
                expect: 450.0,
                clean: &[(0, 0, "D", "A"), (0, 2, "D", "A")],
            },
            Case {
                rule: RuleId::MaxMinutes,
                setup: |p| p.staff[0].rules.max_minutes = Some(450),
                bad: &[(0, 0, "D", "A"), (0, 2, "D", "A")],
                expect: 450.0,
                clean: &[(0, 0, "D", "A")],
            },
            // One SPL and one HFA needed: two HFA leave the nurse seat empty; the SPL may
            // stand in for HFA but not the reverse.
            Case {
                rule: RuleId::SkillCover,
                setup: |p| {
                    for k in ["SPL", "HFA"] {
                        p.demand.push(serde_json::from_value(serde_json::json!({"unit": "A", "shift": "D", "skill": k, "min": 1, "dates": ["2025-03-03"]})).unwrap());
                    }
                },
                bad: &[(1, 0, "D", "A"), (2, 0, "D", "A")],
                expect: 1.0,
                clean: &[(0, 0, "D", "A"), (1, 0, "D", "A")],
            },
            Case {
                rule: RuleId::NurseCover,
                setup: |p| {
                    p.nurse_cover.push(serde_json::from_str(r#"{"skills": ["SPL"], "scope": "home", "minPerShift": 1, "shifts": ["N"]}"#).unwrap())
                },
                bad: &[(0, 0, "N", "A"), (1, 1, "N", "B")],
                expect: 6.0,
                clean: &[
                    (0, 0, "N", "A"),
                    (0, 1, "N", "A"),
                    (0, 2, "N", "A"),
                    (0, 4, "N", "B"),
                    (0, 5, "N", "A"),
                    (0, 6, "N", "A"),
                    (0, 3, "N", "A"),
                ],
            },
        ]
    }

    #[test]
    fn every_rule_is_caught_and_cleared_by_hand_made_rosters() {
        for c in cases() {
            let i = inst(c.setup);
            let bad = grid(&i, c.bad);
            assert_eq!(
                amount(&i, &bad, c.rule),
                c.expect,
                "{:?}: violating roster",
                c.rule
            );
            let clean = grid(&i, c.clean);
            assert_eq!(
                amount(&i, &clean, c.rule),
                0.0,
                "{:?}: clean roster",
                c.rule
            );
        }
    }

    #[test]
    fn every_registered_rule_has_a_case() {
        let tested: Vec<RuleId> = cases().iter().map(|c| c.rule).collect();
        for (id, _) in RULES {
            assert!(tested.contains(id), "rule {id:?} has no given/expect case");
        }
        let registered: Vec<RuleId> = RULES.iter().map(|r| r.0).collect();
        assert_eq!(
            registered,
            RuleId::ALL.to_vec(),
            "RULES and RuleId::ALL differ"
        );
    }

    #[test]
    fn skill_substitution_goes_one_way() {
        let setup = |p: &mut Project| {
            p.demand.push(serde_json::from_value(serde_json::json!({"unit": "A", "shift": "D", "skill": "HFA", "min": 1, "dates": ["2025-03-03"]})).unwrap());
            p.demand.push(serde_json::from_value(serde_json::json!({"unit": "A", "shift": "D", "skill": "SPL", "min": 1, "dates": ["2025-03-04"]})).unwrap());
        };
        let i = inst(setup);
        // SPL fills an HFA seat; HFA cannot fill an SPL seat.
        assert_eq!(
            amount(
                &i,
                &grid(&i, &[(0, 0, "D", "A"), (1, 1, "D", "A")]),
                RuleId::SkillCover
            ),
            1.0
        );
        assert_eq!(
            amount(
                &i,
                &grid(&i, &[(0, 0, "D", "A"), (0, 1, "D", "A")]),
                RuleId::SkillCover
            ),
            0.0
        );
    }

    #[test]
    fn weekly_rest_window_is_clipped_at_the_horizon_start() {
        // Free before the horizon counts: Monday–Friday D then Saturday A, Sunday D.
        let i = inst(nothing);
        let g = grid(
            &i,
            &[
                (0, 0, "N", "A"),
                (0, 2, "D", "A"),
                (0, 3, "D", "A"),
                (0, 4, "D", "A"),
                (0, 5, "A", "A"),
                (0, 6, "D", "A"),
            ],
        );
        // Longest gap: 07:45 Tue to 07:30 Wed = 23:45; window is the only one (7 days).
        assert_eq!(
            amount(&i, &g, RuleId::WeeklyRest),
            35.0 * 60.0 - (23.0 * 60.0 + 45.0)
        );
    }
}
