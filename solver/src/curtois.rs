//! Importer for the Curtois & Qu shift scheduling benchmark instances (Instance1–24,
//! schedulingbenchmarks.org). An instance becomes an ordinary [`Project`], solved by the same
//! planner as a nursing home; its objective is recomputed here from the file's own data.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};

use crate::model::{
    Absence, AbsenceKind, ClockTime, Demand, FieldError, Project, Request, RequestKind, Rules,
    ShiftType, Skill, Staff, StaffRules, Unit, Weights, FORMAT_VERSION,
};
use crate::roster::Grid;

/// One staff line.
#[derive(Clone, Debug, PartialEq)]
pub struct CStaff {
    /// Id.
    pub id: String,
    /// Max shifts per shift id.
    pub max_shifts: BTreeMap<String, u32>,
    /// Max total minutes.
    pub max_minutes: u32,
    /// Min total minutes.
    pub min_minutes: u32,
    /// Max consecutive working days.
    pub max_consecutive: u32,
    /// Min consecutive working days.
    pub min_consecutive: u32,
    /// Min consecutive days off.
    pub min_days_off: u32,
    /// Max weekends.
    pub max_weekends: u32,
}

/// A parsed instance, as in the file.
#[derive(Clone, Debug, PartialEq)]
pub struct Curtois {
    /// Days.
    pub horizon: usize,
    /// (id, minutes, cannot-follow ids).
    pub shifts: Vec<(String, u32, Vec<String>)>,
    /// Staff.
    pub staff: Vec<CStaff>,
    /// (staff, day) fixed days off.
    pub days_off: Vec<(String, usize)>,
    /// (staff, day, shift, weight).
    pub on_requests: Vec<(String, usize, String, u32)>,
    /// (staff, day, shift, weight).
    pub off_requests: Vec<(String, usize, String, u32)>,
    /// (day, shift, requirement, under weight, over weight).
    pub cover: Vec<(usize, String, u32, u32, u32)>,
}

/// Day 0 of every instance is a Monday; this one.
pub fn day0() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 1, 1).expect("valid date")
}

fn err(file: &str, line: usize, msg: impl Into<String>) -> FieldError {
    FieldError {
        path: format!("{file}:{line}"),
        message: msg.into(),
    }
}

fn num<T: TryFrom<i64>>(file: &str, line: usize, s: &str, what: &str) -> Result<T, FieldError> {
    // Parsed wide first: some published files write zero as `-0`.
    let v: i64 = s.trim().parse().map_err(|_| {
        err(
            file,
            line,
            format!("{what}: `{}` is not a number", s.trim()),
        )
    })?;
    T::try_from(v).map_err(|_| err(file, line, format!("{what}: {v} is out of range")))
}

/// Parses an instance file.
pub fn parse(text: &str, file: &str) -> Result<Curtois, FieldError> {
    let mut c = Curtois {
        horizon: 0,
        shifts: Vec::new(),
        staff: Vec::new(),
        days_off: Vec::new(),
        on_requests: Vec::new(),
        off_requests: Vec::new(),
        cover: Vec::new(),
    };
    let mut section = String::new();
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim();
        if line.starts_with('#') {
            continue;
        }
        if line.is_empty() {
            section.clear();
            continue;
        }
        if line.starts_with("SECTION_") {
            section = line.to_string();
            continue;
        }
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        match section.as_str() {
            "SECTION_HORIZON" => c.horizon = num(file, n, f[0], "horizon")?,
            "SECTION_SHIFTS" => {
                if f.len() < 2 {
                    return Err(err(
                        file,
                        n,
                        "shift line needs ShiftID, Length, CannotFollow",
                    ));
                }
                let follow = f.get(2).map_or(Vec::new(), |s| {
                    s.split('|')
                        .filter(|x| !x.is_empty())
                        .map(String::from)
                        .collect()
                });
                c.shifts
                    .push((f[0].to_string(), num(file, n, f[1], "length")?, follow));
            }
            "SECTION_STAFF" => {
                if f.len() != 8 {
                    return Err(err(
                        file,
                        n,
                        format!("staff line needs 8 fields, has {}", f.len()),
                    ));
                }
                let mut max_shifts = BTreeMap::new();
                for part in f[1].split('|').filter(|x| !x.is_empty()) {
                    let (k, v) = part.split_once('=').ok_or_else(|| {
                        err(
                            file,
                            n,
                            format!("MaxShifts entry `{part}` is not ShiftID=max"),
                        )
                    })?;
                    max_shifts.insert(k.to_string(), num(file, n, v, "MaxShifts")?);
                }
                c.staff.push(CStaff {
                    id: f[0].to_string(),
                    max_shifts,
                    max_minutes: num(file, n, f[2], "MaxTotalMinutes")?,
                    min_minutes: num(file, n, f[3], "MinTotalMinutes")?,
                    max_consecutive: num(file, n, f[4], "MaxConsecutiveShifts")?,
                    min_consecutive: num(file, n, f[5], "MinConsecutiveShifts")?,
                    min_days_off: num(file, n, f[6], "MinConsecutiveDaysOff")?,
                    max_weekends: num(file, n, f[7], "MaxWeekends")?,
                });
            }
            "SECTION_DAYS_OFF" => {
                for d in &f[1..] {
                    if !d.is_empty() {
                        c.days_off.push((f[0].to_string(), num(file, n, d, "day")?));
                    }
                }
            }
            "SECTION_SHIFT_ON_REQUESTS" | "SECTION_SHIFT_OFF_REQUESTS" => {
                if f.len() != 4 {
                    return Err(err(
                        file,
                        n,
                        "request line needs EmployeeID, Day, ShiftID, Weight",
                    ));
                }
                let r = (
                    f[0].to_string(),
                    num(file, n, f[1], "day")?,
                    f[2].to_string(),
                    num(file, n, f[3], "weight")?,
                );
                if section == "SECTION_SHIFT_ON_REQUESTS" {
                    c.on_requests.push(r);
                } else {
                    c.off_requests.push(r);
                }
            }
            "SECTION_COVER" => {
                if f.len() != 5 {
                    return Err(err(
                        file,
                        n,
                        "cover line needs Day, ShiftID, Requirement, WeightForUnder, WeightForOver",
                    ));
                }
                c.cover.push((
                    num(file, n, f[0], "day")?,
                    f[1].to_string(),
                    num(file, n, f[2], "requirement")?,
                    num(file, n, f[3], "weight for under")?,
                    num(file, n, f[4], "weight for over")?,
                ));
            }
            _ => {
                return Err(err(
                    file,
                    n,
                    format!("data outside a known section: `{line}`"),
                ))
            }
        }
    }
    if c.horizon == 0 {
        return Err(err(file, 1, "no SECTION_HORIZON"));
    }
    Ok(c)
}

impl Curtois {
    /// The instance as a project of our general model.
    pub fn to_project(&self, name: &str) -> Project {
        let date = |d: usize| day0() + Duration::days(d as i64);
        let shift_types = self
            .shifts
            .iter()
            .map(|(id, len, _)| {
                let start = 8 * 60;
                ShiftType {
                    code: id.clone(),
                    name: id.clone(),
                    start: ClockTime(start),
                    end: ClockTime(((u32::from(start) + len) % 1440) as u16),
                    paid_minutes: *len,
                    night: Some(false),
                }
            })
            .collect();
        let mut forbidden = Vec::new();
        for (id, _, follow) in &self.shifts {
            for f in follow {
                forbidden.push([id.clone(), f.clone()]);
            }
        }
        let staff = self
            .staff
            .iter()
            .map(|s| Staff {
                id: s.id.clone(),
                name: s.id.clone(),
                skills: vec!["ALL".into()],
                unit: "U".into(),
                float_units: Vec::new(),
                stillingsprosent: 100.0,
                max_extra_shifts: 0,
                hourly_wage: 0.0,
                rules: StaffRules {
                    min_minutes: Some(s.min_minutes),
                    max_minutes: Some(s.max_minutes),
                    max_consecutive_days: Some(s.max_consecutive),
                    min_consecutive_days: Some(s.min_consecutive),
                    max_consecutive_nights: None,
                    min_consecutive_days_off: Some(s.min_days_off),
                    max_weekends: Some(s.max_weekends),
                    max_shifts: s.max_shifts.clone(),
                },
            })
            .collect();
        Project {
            format_version: FORMAT_VERSION,
            name: name.to_string(),
            start: day0(),
            days: self.horizon as u32,
            units: vec![Unit {
                id: "U".into(),
                name: name.to_string(),
                beds: 0,
                cohorts: Vec::new(),
            }],
            skills: vec![Skill {
                id: "ALL".into(),
                name: "Staff".into(),
                covers: Vec::new(),
            }],
            shift_types,
            staff,
            demand: self
                .cover
                .iter()
                .map(|(d, s, req, under, over)| Demand {
                    unit: "U".into(),
                    shift: s.clone(),
                    skill: "ALL".into(),
                    min: 0,
                    wanted: Some(*req),
                    weekdays: None,
                    dates: Some(vec![date(*d)]),
                    under_weight: Some(f64::from(*under)),
                    over_weight: Some(f64::from(*over)),
                })
                .collect(),
            nurse_cover: Vec::new(),
            absences: self
                .days_off
                .iter()
                .map(|(s, d)| Absence {
                    staff: s.clone(),
                    kind: AbsenceKind::Fri,
                    from: date(*d),
                    to: date(*d),
                })
                .collect(),
            requests: self
                .on_requests
                .iter()
                .map(|r| (r, RequestKind::On))
                .chain(self.off_requests.iter().map(|r| (r, RequestKind::Off)))
                .map(|((s, d, sh, w), kind)| Request {
                    staff: s.clone(),
                    date: date(*d),
                    shift: Some(sh.clone()),
                    kind,
                    weight: *w,
                })
                .collect(),
            rules: Rules {
                daily_rest_minutes: None,
                weekly_rest_minutes: None,
                max_consecutive_nights: self.horizon as u32,
                forbidden_successions: forbidden,
                ..Rules::default()
            },
            weights: Weights {
                request: 1.0,
                fair_nights: 0.0,
                fair_weekends: 0.0,
                cost_per_nok: 0.0,
                ..Weights::default()
            },
            reserves: Default::default(),
            cohorting: Default::default(),
        }
    }

    /// The benchmark's objective of a solution (`sol[e][d]` = shift id), computed from the
    /// file's data alone.
    pub fn objective(&self, sol: &[Vec<Option<String>>]) -> u64 {
        let ix: BTreeMap<&str, usize> = self
            .staff
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.as_str(), i))
            .collect();
        let at = |s: &str, d: usize| sol[ix[s]][d].as_deref();
        let mut obj = 0u64;
        for (s, d, sh, w) in &self.on_requests {
            if at(s, *d) != Some(sh.as_str()) {
                obj += u64::from(*w);
            }
        }
        for (s, d, sh, w) in &self.off_requests {
            if at(s, *d) == Some(sh.as_str()) {
                obj += u64::from(*w);
            }
        }
        for (d, sh, req, under, over) in &self.cover {
            let n = sol
                .iter()
                .filter(|row| row[*d].as_deref() == Some(sh.as_str()))
                .count() as u64;
            let req = u64::from(*req);
            obj += u64::from(*under) * req.saturating_sub(n)
                + u64::from(*over) * n.saturating_sub(req);
        }
        obj
    }

    /// A grid in the benchmark's terms: shift id per staff and day.
    pub fn solution_of(&self, grid: &Grid, p: &Project) -> Vec<Vec<Option<String>>> {
        grid.cells
            .iter()
            .map(|days| {
                days.iter()
                    .map(|c| c.first().map(|&(s, _)| p.shift_types[s].code.clone()))
                    .collect()
            })
            .collect()
    }

    /// The solution as CSV `staff_id,day,shift_id`, one row per worked shift.
    pub fn solution_csv(&self, sol: &[Vec<Option<String>>]) -> String {
        let mut out = String::from("staff_id,day,shift_id\n");
        for (e, row) in sol.iter().enumerate() {
            for (d, s) in row.iter().enumerate() {
                if let Some(s) = s {
                    out.push_str(&format!("{},{d},{s}\n", self.staff[e].id));
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::check_rules;
    use crate::model::Instance;

    const TINY: &str = "# a tiny instance\nSECTION_HORIZON\n7\n\nSECTION_SHIFTS\nD,480,\nL,600,D\n\nSECTION_STAFF\nA,D=7|L=2,3000,900,5,2,2,1\nB,D=7|L=0,3000,900,5,2,2,1\n\nSECTION_DAYS_OFF\nA,6\n\nSECTION_SHIFT_ON_REQUESTS\nA,0,D,2\n\nSECTION_SHIFT_OFF_REQUESTS\nB,1,D,3\n\nSECTION_COVER\n0,D,1,100,1\n1,D,-0,100,1\n1,L,1,100,1\n";

    #[test]
    fn parses_and_scores_by_the_benchmark_rules() {
        let c = parse(TINY, "tiny.txt").unwrap();
        assert_eq!(c.horizon, 7);
        assert_eq!(c.shifts[1], ("L".to_string(), 600, vec!["D".to_string()]));
        assert_eq!(c.cover[1], (1, "D".to_string(), 0, 100, 1));
        let p = c.to_project("tiny");
        assert_eq!(
            p.rules.forbidden_successions,
            vec![["L".to_string(), "D".to_string()]]
        );
        let inst = Instance::new(p).unwrap();
        // A works D on day 0 (request met), B works D on day 1 (off request broken: 3,
        // over cover on day 1: 1), nobody on L day 1 (under: 100).
        let mut sol = vec![vec![None; 7]; 2];
        sol[0][0] = Some("D".to_string());
        sol[1][1] = Some("D".to_string());
        assert_eq!(c.objective(&sol), 3 + 1 + 100);
        let mut grid = crate::roster::Grid::empty(&inst);
        grid.cells[0][0].push((0, 0));
        grid.cells[1][1].push((0, 0));
        assert_eq!(c.solution_of(&grid, &inst.project), sol);
        // Hours below MinTotalMinutes for both, and B's lone day 1 is a run of 1 < 2 inside the horizon.
        let broken = check_rules(&inst, &grid);
        assert!(broken
            .iter()
            .any(|v| v.rule == crate::check::RuleId::MinConsecutiveDays
                && v.staff.as_deref() == Some("B")));
        assert_eq!(
            broken
                .iter()
                .filter(|v| v.rule == crate::check::RuleId::MinMinutes)
                .count(),
            2
        );
        assert_eq!(
            c.solution_csv(&sol),
            "staff_id,day,shift_id\nA,0,D\nB,1,D\n"
        );
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = parse(
            "SECTION_HORIZON\n7\n\nSECTION_STAFF\nA,D=x,1,1,1,1,1,1\n",
            "bad.txt",
        )
        .unwrap_err();
        assert_eq!(e.path, "bad.txt:5");
        assert!(e.message.contains("MaxShifts"));
    }
}
