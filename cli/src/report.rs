//! Text reports: the roster grid grouped by unit, the summary, violations and shortages.

use std::io::{self, Write};
use std::path::Path;

use chrono::Datelike;

use bemanna_solver::check::Violation;
use bemanna_solver::explain::Shortage;
use bemanna_solver::model::{fmt_date, fmt_hours, Instance, Lang};
use bemanna_solver::plan::{PlanOutcome, PlanStatus};

fn t(lang: Lang, nb: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Nb => nb,
        Lang::En => en,
    }
}

const NAME_W: usize = 22;

/// Prints the roster and its summary.
pub fn roster(
    w: &mut impl Write,
    inst: &Instance,
    out: &PlanOutcome,
    violations: &[Violation],
    shortages: &[Shortage],
    lang: Lang,
    written: Option<&Path>,
) -> io::Result<()> {
    let p = &inst.project;
    let n_d = inst.n_days();
    let first = inst.dates[0];
    let last = inst.dates[n_d - 1];
    writeln!(
        w,
        "{} — {} {} – {} ({} {}, {} {})",
        p.name,
        t(lang, "vaktplan", "roster"),
        fmt_date(first),
        fmt_date(last),
        n_d,
        t(lang, "dager", "days"),
        p.staff.len(),
        t(lang, "ansatte", "staff")
    )?;
    // Week header: "uke 10" over each Monday.
    let mut weeks = format!("{:NAME_W$}", "");
    let mut days = format!("{:NAME_W$}", "");
    let mut dows = format!("{:NAME_W$}", "");
    let wd = match lang {
        Lang::Nb => ["M", "T", "O", "T", "F", "L", "S"],
        Lang::En => ["M", "T", "W", "T", "F", "S", "S"],
    };
    for (d, date) in inst.dates.iter().enumerate() {
        let dow = date.weekday().num_days_from_monday() as usize;
        if dow == 0 || d == 0 {
            let label = format!("{} {}", t(lang, "uke", "week"), date.iso_week().week());
            let pad = weeks.chars().count();
            let target = NAME_W + d * 3;
            weeks.push_str(&" ".repeat(target.saturating_sub(pad)));
            weeks.push_str(&label);
        }
        days.push_str(&format!("{:>3}", date.day()));
        dows.push_str(&format!("{:>3}", wd[dow]));
    }
    writeln!(w, "{weeks}")?;
    writeln!(
        w,
        "{dows}   {}",
        t(lang, "timer / avtalt", "hours / contract")
    )?;
    writeln!(w, "{days}")?;
    for (u, unit) in p.units.iter().enumerate() {
        writeln!(w, "── {} ──", unit.name)?;
        for e in (0..inst.n_staff()).filter(|&e| inst.home_unit[e] == u) {
            let st = &p.staff[e];
            let label = format!(
                "{} {}",
                st.skills.first().map_or("", String::as_str),
                st.name
            );
            let label: String = label.chars().take(NAME_W - 1).collect();
            let mut row = format!("{label:NAME_W$}");
            let mut minutes = 0i64;
            for d in 0..n_d {
                let cell = match (out.grid.cells[e][d].first(), inst.absent[e][d]) {
                    (Some(&(s, u2)), _) => {
                        minutes += i64::from(inst.paid(s));
                        let c = &p.shift_types[s].code;
                        // Lower case marks a shift in another unit.
                        if u2 == u {
                            c.clone()
                        } else {
                            c.to_lowercase()
                        }
                    }
                    (None, Some((k, _))) => match k {
                        bemanna_solver::model::AbsenceKind::Ferie => "fe".into(),
                        bemanna_solver::model::AbsenceKind::Sykdom => "sy".into(),
                        bemanna_solver::model::AbsenceKind::Karantene => "ka".into(),
                        bemanna_solver::model::AbsenceKind::Isolasjon => "is".into(),
                        bemanna_solver::model::AbsenceKind::Fri => "fr".into(),
                    },
                    (None, None) => "·".into(),
                };
                row.push_str(&format!("{cell:>3}"));
            }
            let pr = &inst.person[e];
            row.push_str(&format!(
                "   {:>6} / {:>6}",
                fmt_hours(minutes),
                fmt_hours(i64::from(pr.contract_minutes))
            ));
            writeln!(w, "{row}")?;
        }
    }
    writeln!(
        w,
        "{}",
        t(
            lang,
            "Koder: D/A/N vakt, liten bokstav = annen avdeling, · fri, fe ferie, sy sykdom, ka karantene, is isolasjon, fr fri",
            "Codes: D/A/N shift, lower case = another unit, · off, fe vacation, sy sick, ka quarantine, is isolation, fr off"
        )
    )?;
    writeln!(w)?;

    // Cover per unit and shift: slots whose minimum is met, and wanted heads met.
    writeln!(
        w,
        "{}",
        t(
            lang,
            "Dekning per avdeling og vakt",
            "Cover per unit and shift"
        )
    )?;
    for (u, unit) in p.units.iter().enumerate() {
        for (s, st) in p.shift_types.iter().enumerate() {
            let (mut slots, mut short_slots, mut wanted, mut got) = (0, 0, 0u32, 0u32);
            for d in 0..n_d {
                let dem = &inst.demand[d][s][u];
                if dem.is_empty() {
                    continue;
                }
                slots += 1;
                let heads = (0..inst.n_staff())
                    .filter(|&e| out.grid.cells[e][d].contains(&(s, u)))
                    .count() as u32;
                let want: u32 = dem.iter().map(|x| x.wanted).sum();
                wanted += want;
                got += heads.min(want);
                if violations.iter().any(|v| {
                    v.rule.is_cover()
                        && v.d == Some(d)
                        && v.shift.as_deref() == Some(st.code.as_str())
                        && (v.unit.as_deref() == Some(unit.id.as_str()))
                }) {
                    short_slots += 1;
                }
            }
            if slots == 0 {
                continue;
            }
            writeln!(
                w,
                "  {:<20} {:<6} {} {}/{}   {} {}/{} ({:.0} %)",
                unit.name,
                st.name,
                t(lang, "minimum oppfylt", "minimum met"),
                slots - short_slots,
                slots,
                t(lang, "ønsket", "wanted"),
                got,
                wanted,
                if wanted > 0 {
                    100.0 * f64::from(got) / f64::from(wanted)
                } else {
                    100.0
                }
            )?;
        }
    }
    writeln!(w)?;

    let rule_v: Vec<&Violation> = violations.iter().filter(|v| !v.rule.is_cover()).collect();
    writeln!(w, "{}", t(lang, "Sammendrag", "Summary"))?;
    writeln!(
        w,
        "  {}: {}",
        t(
            lang,
            "brudd på arbeidstidsregler",
            "working-time rule violations"
        ),
        rule_v.len()
    )?;
    writeln!(
        w,
        "  {}: {}",
        t(lang, "vakter under minimum", "shifts below minimum"),
        shortages.len()
    )?;
    writeln!(
        w,
        "  {}: {}",
        t(lang, "brudd i alt", "violations"),
        violations.len()
    )?;
    let status = match (out.status, lang) {
        (PlanStatus::Optimal, Lang::Nb) => "optimal",
        (PlanStatus::GapReached, Lang::Nb) => "innenfor gap",
        (PlanStatus::TimeLimit, Lang::Nb) => "tidsgrense nådd, beste plan funnet",
        (PlanStatus::Optimal, Lang::En) => "optimal",
        (PlanStatus::GapReached, Lang::En) => "within gap",
        (PlanStatus::TimeLimit, Lang::En) => "time limit reached, best roster found",
    };
    writeln!(
        w,
        "  {}: {:.1}   {}: {:.1}   gap: {:.2} %   status: {status}   {}: {:.1} s",
        t(lang, "mål", "objective"),
        out.objective,
        t(lang, "nedre grense", "bound"),
        out.best_bound,
        out.gap * 100.0,
        t(lang, "tid", "time"),
        out.seconds
    )?;
    let b = &out.breakdown;
    writeln!(
        w,
        "  {}: {:.0} kr   {}: {:.0}   {}: {:.0}",
        t(lang, "ekstravakter/overtid", "extra shifts/overtime"),
        b.extra_cost_nok,
        t(
            lang,
            "ønsker ikke innfridd (vekt)",
            "requests not met (weight)"
        ),
        b.requests,
        t(
            lang,
            "ønsket dekning ikke nådd (straff)",
            "wanted cover missed (penalty)"
        ),
        b.under_wanted
    )?;
    if let Some(path) = written {
        writeln!(
            w,
            "  {}: {}",
            t(lang, "skrevet til", "written to"),
            path.display()
        )?;
    }
    if !shortages.is_empty() {
        writeln!(w)?;
        writeln!(
            w,
            "{}",
            t(
                lang,
                "Vakter under minimum, og hvorfor",
                "Shifts below minimum, and why"
            )
        )?;
        for s in shortages {
            writeln!(w, "  • {}", s.text(lang, 6))?;
        }
    }
    if !rule_v.is_empty() {
        writeln!(w)?;
        violations_list(w, &rule_v, lang)?;
    }
    Ok(())
}

fn violations_list(w: &mut impl Write, vs: &[&Violation], lang: Lang) -> io::Result<()> {
    for v in vs {
        writeln!(w, "  • [{}] {}", v.rule.title(lang), v.message(lang))?;
    }
    Ok(())
}

/// Prints a checker report.
pub fn violations(w: &mut impl Write, vs: &[Violation], lang: Lang) -> io::Result<()> {
    if vs.is_empty() {
        writeln!(
            w,
            "{}",
            t(
                lang,
                "Ingen brudd: vaktplanen følger alle regler.",
                "No violations: the roster follows every rule."
            )
        )?;
        return Ok(());
    }
    writeln!(w, "{} {}:", vs.len(), t(lang, "brudd", "violations"))?;
    let refs: Vec<&Violation> = vs.iter().collect();
    violations_list(w, &refs, lang)
}
