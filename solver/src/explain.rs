//! Explanations of shortage in words a leader understands: for each short shift, who could
//! have filled it and why they did not (absent and why, on another shift, or which rule the
//! extra shift would break). Reasons come from the checker: the candidate is tried on the
//! shift and the rules it newly breaks are the reason.

use serde::Serialize;

use crate::check::{check, check_person, RuleId, Violation};
use crate::model::{fmt_day, AbsenceKind, Instance, Lang};
use crate::replan::AGENCY_ID_PREFIX;
use crate::roster::Grid;

/// Why one person did not fill the gap.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Reason {
    /// Staff id.
    pub staff: String,
    /// The reason in bokmål.
    pub nb: String,
    /// The reason in English.
    pub en: String,
}

/// One short shift.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Shortage {
    /// The checker's finding.
    pub violation: Violation,
    /// Everyone qualified, with their reason.
    pub reasons: Vec<Reason>,
}

impl Shortage {
    /// One paragraph: the shortfall and its reasons.
    pub fn text(&self, lang: Lang, max_reasons: usize) -> String {
        let mut s = self.violation.message(lang).to_string();
        let rs: Vec<&str> = self
            .reasons
            .iter()
            .take(max_reasons)
            .map(|r| {
                if lang == Lang::Nb {
                    r.nb.as_str()
                } else {
                    r.en.as_str()
                }
            })
            .collect();
        if rs.is_empty() {
            s.push_str(match lang {
                Lang::Nb => ". Ingen i staben har denne kompetansen.",
                Lang::En => ". No one on the staff holds this skill.",
            });
        } else {
            s.push_str(". ");
            s.push_str(&rs.join("; "));
            let more = self.reasons.len().saturating_sub(max_reasons);
            if more > 0 {
                s.push_str(&match lang {
                    Lang::Nb => format!("; og {more} til"),
                    Lang::En => format!("; and {more} more"),
                });
            }
            s.push('.');
        }
        s
    }
}

/// Explains every cover shortfall of a roster.
pub fn explain(inst: &Instance, grid: &Grid) -> Vec<Shortage> {
    explain_violations(inst, grid, &check(inst, grid))
}

/// Explains the cover shortfalls among `violations`, the checker's findings on `grid` (for
/// callers that have already run it).
pub fn explain_violations(inst: &Instance, grid: &Grid, violations: &[Violation]) -> Vec<Shortage> {
    // One scratch copy: each trial adds one shift to one row, checks that person, undoes it.
    let mut trial = grid.clone();
    violations
        .iter()
        .filter(|v| v.rule.is_cover())
        .map(|v| explain_one(inst, grid, &mut trial, v.clone()))
        .collect()
}

fn explain_one(inst: &Instance, grid: &Grid, trial: &mut Grid, v: Violation) -> Shortage {
    let d = v.d.expect("cover violations carry a day");
    let s = v
        .shift
        .as_deref()
        .and_then(|c| inst.shift_index(c))
        .expect("cover violations carry a shift");
    let units: Vec<usize> = match v.unit.as_deref().and_then(|u| inst.unit_index(u)) {
        Some(u) => vec![u],
        None => (0..inst.n_units()).collect(),
    };
    // Who is qualified: for nurse cover the counted skills, for skill cover the short skill.
    let qualified = |e: usize| -> bool {
        match v.rule {
            RuleId::NurseCover => inst
                .nurse_needs
                .iter()
                .filter(|n| n.day == d && n.shift == s)
                .any(|n| n.skills.iter().any(|&k| inst.has[e][k])),
            _ => inst.demand[d][s]
                .iter()
                .enumerate()
                .filter(|(u, _)| units.contains(u))
                .flat_map(|(_, dem)| dem.iter())
                .filter(|x| x.min > 0 && v.message_en.contains(&inst.project.skills[x.skill].name))
                .any(|x| inst.can[e][x.skill]),
        }
    };
    let mut cands: Vec<usize> = (0..inst.n_staff())
        .filter(|&e| qualified(e) && units.iter().any(|u| inst.units_of[e].contains(u)))
        .filter(|&e| !units.iter().any(|&u| grid.cells[e][d].contains(&(s, u))))
        .collect();
    // Home unit first, then by name.
    cands.sort_by_key(|&e| {
        (
            !units.contains(&inst.home_unit[e]),
            inst.project.staff[e].name.clone(),
        )
    });
    let date = fmt_day(inst.dates[d]);
    let code = &inst.project.shift_types[s].code;
    let reasons = cands
        .into_iter()
        .map(|e| {
            let st = &inst.project.staff[e];
            let name = &st.name;
            let staff = st.id.clone();
            if let Some((kind, a)) = inst.absent[e][d] {
                let ab = &inst.project.absences[a];
                // A re-plan books agency staff only after the agency's notice; that block
                // is an absence of kind `fri` up to the day before.
                if kind == AbsenceKind::Fri && st.id.starts_with(AGENCY_ID_PREFIX) {
                    let first = fmt_day(ab.to + chrono::Duration::days(1));
                    return Reason {
                        staff,
                        nb: format!("{name} kan tidligst komme {first} (byråets varsel)"),
                        en: format!(
                            "{name} can come on {first} at the earliest (the agency's notice)"
                        ),
                    };
                }
                let span = format!("{}–{}", fmt_day(ab.from), fmt_day(ab.to));
                return Reason {
                    staff,
                    nb: format!("{name} er {} {span}", kind.word(Lang::Nb)),
                    en: format!("{name} is {} {span}", kind.word(Lang::En)),
                };
            }
            if let Some(&(s2, u2)) = grid.cells[e][d].first() {
                let c2 = &inst.project.shift_types[s2].code;
                let un = &inst.project.units[u2].name;
                return Reason {
                    staff,
                    nb: format!("{name} jobber {c2} {date} ({un})"),
                    en: format!("{name} works {c2} on {date} ({un})"),
                };
            }
            if inst.person[e].max_shifts[s] == 0 {
                return Reason {
                    staff,
                    nb: format!("{name} går ikke {code}-vakter"),
                    en: format!("{name} does not work {code} shifts"),
                };
            }
            let u = units
                .iter()
                .copied()
                .find(|u| inst.units_of[e].contains(u))
                .expect("filtered above");
            let base = check_person(inst, grid, e);
            trial.cells[e][d].push((s, u));
            let new: Vec<Violation> = check_person(inst, trial, e)
                .into_iter()
                .filter(|x| !base.contains(x))
                .collect();
            trial.cells[e][d].pop();
            if new.is_empty() {
                Reason {
                    staff,
                    nb: format!("{name} er ledig og kan settes på (ekstravakt)"),
                    en: format!("{name} is free and could be added (extra shift)"),
                }
            } else {
                // The first rule it would break says enough; count the rest.
                let more = new.len() - 1;
                let first = &new[0];
                let (mut nb, mut en) = (
                    format!("{name}: {}", strip_name(&first.message_nb, name)),
                    format!("{name}: {}", strip_name(&first.message_en, name)),
                );
                if more > 0 {
                    nb.push_str(&format!(" (+{more} regelbrudd til)"));
                    en.push_str(&format!(" (+{more} more rule breaches)"));
                }
                Reason { staff, nb, en }
            }
        })
        .collect();
    Shortage {
        violation: v,
        reasons,
    }
}

fn strip_name<'a>(msg: &'a str, name: &str) -> &'a str {
    msg.strip_prefix(name)
        .and_then(|m| m.strip_prefix(": "))
        .unwrap_or(msg)
}
