//! The planner and the checker are separate implementations of the same rules: every roster
//! the planner returns must pass the checker, on random small homes.

use bemanna_solver::check::{check, check_rules, RuleId};
use bemanna_solver::construct::{fill_short, greedy};
use bemanna_solver::local::{anneal, Scorer};
use bemanna_solver::model::{Instance, Project};
use bemanna_solver::plan::{evaluate, lp_relaxation_bound, plan, Fixing, PlanOptions, PlanStatus};
use bemanna_solver::roster::Grid;
use proptest::prelude::*;
use serde_json::json;
use std::time::Duration;

const SHIFTS: [(&str, &str, &str, u32); 5] = [
    ("D", "07:30", "15:00", 450),
    ("A", "14:30", "22:00", 450),
    ("N", "21:45", "07:45", 600),
    ("L", "08:00", "20:00", 690),
    ("T", "07:00", "15:30", 480),
];

#[derive(Debug, Clone)]
struct Spec {
    days: u32,
    shifts: Vec<usize>,
    staff: Vec<(usize, usize, u32, u32)>, // skill, unit, pct, max_extra
    demand: Vec<(usize, usize, usize, u32, u32)>, // unit, shift, skill, min, extra wanted
    absences: Vec<(usize, u32, u32, usize)>, // staff, from, len, kind
    requests: Vec<(usize, u32, Option<usize>, bool, u32)>,
    rules: (u32, u32, u32, u32, u32),
    nurse: Option<(bool, u32)>,
    float: bool,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        prop_oneof![Just(7u32), Just(10), Just(14)],
        prop::sample::subsequence(vec![0usize, 1, 2, 3, 4], 1..=3),
        prop::collection::vec(
            (
                0usize..3,
                0usize..2,
                prop_oneof![Just(40u32), Just(60), Just(80), Just(100)],
                0u32..3,
            ),
            3..8,
        ),
        prop::collection::vec((0usize..2, 0usize..3, 0usize..3, 0u32..3, 0u32..2), 1..6),
        prop::collection::vec((0usize..8, 0u32..14, 1u32..5, 0usize..5), 0..3),
        prop::collection::vec(
            (
                0usize..8,
                0u32..14,
                prop::option::of(0usize..3),
                any::<bool>(),
                1u32..4,
            ),
            0..5,
        ),
        (3u32..7, 1u32..3, 1u32..3, 1u32..3, 1u32..3),
        prop::option::of((any::<bool>(), 1u32..2)),
        any::<bool>(),
    )
        .prop_map(
            |(days, shifts, staff, demand, absences, requests, rules, nurse, float)| Spec {
                days,
                shifts,
                staff,
                demand,
                absences,
                requests,
                rules,
                nurse,
                float,
            },
        )
}

fn project(s: &Spec) -> Project {
    let start = chrono::NaiveDate::from_ymd_opt(2025, 3, 3).unwrap();
    let date = |d: u32| (start + chrono::Duration::days(i64::from(d.min(s.days - 1)))).to_string();
    let shift_types: Vec<_> = s
        .shifts
        .iter()
        .map(|&i| {
            let (c, a, b, p) = SHIFTS[i];
            json!({"code": c, "name": c, "start": a, "end": b, "paidMinutes": p})
        })
        .collect();
    let code = |i: usize| SHIFTS[s.shifts[i % s.shifts.len()]].0;
    let skills = ["SPL", "HFA", "ASS"];
    let units = ["U1", "U2"];
    let staff: Vec<_> = s
        .staff
        .iter()
        .enumerate()
        .map(|(i, &(k, u, pct, extra))| {
            let mut p = json!({"id": format!("s{i}"), "name": format!("Person {i}"), "skills": [skills[k]],
                "unit": units[u], "stillingsprosent": pct, "maxExtraShifts": extra, "hourlyWage": 300});
            if s.float && i % 2 == 0 {
                p["floatUnits"] = json!([units[1 - u]]);
            }
            p
        })
        .collect();
    let demand: Vec<_> = s
        .demand
        .iter()
        .map(|&(u, sh, k, min, extra)| json!({"unit": units[u], "shift": code(sh), "skill": skills[k], "min": min, "wanted": min + extra}))
        .collect();
    let kinds = ["ferie", "sykdom", "karantene", "isolasjon", "fri"];
    let absences: Vec<_> = s
        .absences
        .iter()
        .filter(|a| a.0 < s.staff.len() && a.1 < s.days)
        .map(|&(e, from, len, k)| json!({"staff": format!("s{e}"), "kind": kinds[k], "from": date(from), "to": date(from + len - 1)}))
        .collect();
    let requests: Vec<_> = s
        .requests
        .iter()
        .filter(|r| r.0 < s.staff.len() && r.1 < s.days)
        .map(|&(e, d, sh, on, w)| {
            let mut r = json!({"staff": format!("s{e}"), "date": date(d), "kind": if on {"on"} else {"off"}, "weight": w});
            if let Some(sh) = sh {
                r["shift"] = json!(code(sh));
            }
            r
        })
        .collect();
    let (maxc, minc, maxn, minoff, wk) = s.rules;
    let nurse: Vec<_> = s
        .nurse
        .iter()
        .map(|&(home, n)| json!({"skills": ["SPL"], "scope": if home {"home"} else {"unit"}, "minPerShift": n}))
        .collect();
    serde_json::from_value(json!({
        "formatVersion": 1, "name": "Random", "start": start.to_string(), "days": s.days,
        "units": [{"id": "U1", "name": "Unit 1", "beds": 8}, {"id": "U2", "name": "Unit 2", "beds": 6}],
        "skills": [{"id": "SPL", "name": "Sykepleier", "covers": ["HFA"]}, {"id": "HFA", "name": "Helsefagarbeider", "covers": ["ASS"]}, {"id": "ASS", "name": "Assistent"}],
        "shiftTypes": shift_types, "staff": staff, "demand": demand, "nurseCover": nurse,
        "absences": absences, "requests": requests,
        "rules": {"maxConsecutiveDays": maxc, "minConsecutiveDays": minc, "maxConsecutiveNights": maxn,
                  "minConsecutiveDaysOff": minoff, "weekendEvery": wk}
    }))
    .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, max_shrink_iters: 20, ..ProptestConfig::default() })]

    #[test]
    fn planner_rosters_pass_the_checker(s in spec()) {
        let inst = Instance::new(project(&s)).expect("generated projects are valid");
        // Half the cases also run the improvement layer, which scores partial models.
        let improve = s.days == 14;
        let out = plan(&inst, &PlanOptions { time_limit: if improve { 2.0 } else { 10.0 }, improve, first_share: 0.1, rel_gap: 0.0, ..Default::default() });
        let broken: Vec<_> = check_rules(&inst, &out.grid).into_iter().filter(|v| v.rule != RuleId::MinMinutes).collect();
        prop_assert!(broken.is_empty(), "planner roster breaks rules: {:#?}", broken);

        // The objective reported is the roster's own score, however the search got there.
        let (obj, _) = evaluate(&inst, &out.grid);
        prop_assert!((obj - out.objective).abs() < 1e-6 * obj.abs().max(1.0), "objective {} vs re-scored {}", out.objective, obj);

        // Shortfalls the planner reports agree with the checker's independent count.
        let all = check(&inst, &out.grid);
        let sum = |r: RuleId| all.iter().filter(|v| v.rule == r).map(|v| v.amount).sum::<f64>();
        let b = &out.breakdown;
        prop_assert!((sum(RuleId::MinMinutes) - b.contract_short_minutes).abs() < 1e-6,
            "contract shortfall: checker {} vs planner {}", sum(RuleId::MinMinutes), b.contract_short_minutes);
        prop_assert!(sum(RuleId::SkillCover) <= b.short_min_heads + 1e-6);
        prop_assert!(sum(RuleId::NurseCover) <= b.short_nurse_heads + 1e-6);
        if out.status == PlanStatus::Optimal {
            prop_assert!((sum(RuleId::SkillCover) - b.short_min_heads).abs() < 1e-6,
                "skill cover: checker {} vs planner {}", sum(RuleId::SkillCover), b.short_min_heads);
            prop_assert!((sum(RuleId::NurseCover) - b.short_nurse_heads).abs() < 1e-6);
        }
    }

    /// The cuts added to the LP relaxation (contract-minute rounding, and its combination
    /// with night fairness) are valid: they never lift the bound above a proven optimum.
    #[test]
    fn lp_cuts_never_cut_off_the_optimum(s in spec()) {
        let inst = Instance::new(project(&s)).expect("generated projects are valid");
        let out = plan(&inst, &PlanOptions { time_limit: 10.0, improve: false, rel_gap: 0.0, ..Default::default() });
        if out.status == PlanStatus::Optimal {
            // None only where HiGHS overran its limit and the solve was abandoned.
            let Some(lp) = lp_relaxation_bound(&inst, 10.0) else {
                eprintln!("lp_cuts_never_cut_off_the_optimum: LP abandoned on {s:?}");
                return Ok(());
            };
            prop_assert!(lp <= out.objective + 1e-6 * out.objective.abs().max(1.0),
                "LP bound {} above the optimum {}", lp, out.objective);
        }
    }

    /// The greedy first roster adds every shift through the repair's local rule test; the
    /// checker, which shares no code with it, must find no broken rule.
    #[test]
    fn greedy_rosters_pass_the_checker(s in spec()) {
        let inst = Instance::new(project(&s)).expect("generated projects are valid");
        let g = greedy(&inst, &Fixing::none(&inst));
        let broken: Vec<_> = check_rules(&inst, &g).into_iter().filter(|v| v.rule != RuleId::MinMinutes).collect();
        prop_assert!(broken.is_empty(), "greedy roster breaks rules: {:#?}", broken);
    }

    /// Shifts added for people below their minimum, from an empty roster and from the
    /// greedy one, break no rule the checker knows.
    #[test]
    fn filled_rosters_pass_the_checker(s in spec()) {
        let inst = Instance::new(project(&s)).expect("generated projects are valid");
        for g in [Grid::empty(&inst), greedy(&inst, &Fixing::none(&inst))] {
            let Some(f) = fill_short(&inst, &Fixing::none(&inst), &g) else { continue };
            let broken: Vec<_> = check_rules(&inst, &f).into_iter().filter(|v| v.rule != RuleId::MinMinutes).collect();
            prop_assert!(broken.is_empty(), "filled roster breaks rules: {:#?}", broken);
        }
    }

    /// The annealer's rosters break no rule the checker knows, and its score is the
    /// planner's objective: substitution between skills, nurse cover, fairness and
    /// requests, on random homes.
    #[test]
    fn annealed_rosters_pass_the_checker(s in spec()) {
        let inst = Instance::new(project(&s)).expect("generated projects are valid");
        for g in [Grid::empty(&inst), greedy(&inst, &Fixing::none(&inst))] {
            let (o0, _) = evaluate(&inst, &g);
            prop_assert!((Scorer::new(&inst).total(&g) - o0).abs() < 1e-6);
            let (a, stats) = anneal(&inst, &Fixing::none(&inst), &g, Duration::from_millis(40), 3, None);
            let Some(a) = a else { continue };
            let broken: Vec<_> = check_rules(&inst, &a).into_iter().filter(|v| v.rule != RuleId::MinMinutes).collect();
            prop_assert!(broken.is_empty(), "annealed roster breaks rules: {:#?}", broken);
            let (o, _) = evaluate(&inst, &a);
            prop_assert!((o - stats.objective).abs() < 1e-6, "scored {} against {}", stats.objective, o);
            prop_assert!(o < o0);
        }
    }
}
