//! The greedy first roster on the demo home: lawful, and good enough that the improvement
//! layer starts from a full roster rather than from empty shifts.

use bemanna_solver::construct::{fill_short, greedy};
use bemanna_solver::plan::{evaluate, Fixing};
use bemanna_solver::roster::Grid;

mod common;
use common::{assert_lawful, curtois, demo};

#[test]
fn greedy_demo_roster_is_lawful_and_covers_minimum_demand() {
    let inst = demo();
    let t = std::time::Instant::now();
    let g = greedy(&inst, &Fixing::none(&inst));
    let took = t.elapsed().as_secs_f64();
    assert_lawful(&inst, &g);
    let (obj, b) = evaluate(&inst, &g);
    assert_eq!(b.short_min_heads, 0.0, "{b:?}");
    assert_eq!(b.short_nurse_heads, 0.0, "{b:?}");
    // A few full-time people end an hour or two short: their last shift fits nowhere
    // without moving their others, which the improvement layer does.
    assert!(b.contract_short_minutes < 1000.0, "{b:?}");
    let (empty, _) = evaluate(&inst, &Grid::empty(&inst));
    assert!(
        obj < 0.05 * empty,
        "greedy objective {obj} against {empty} for nobody at work: {b:?}"
    );
    assert!(took < 1.0, "greedy took {took:.3} s");
}

/// People below their minimum get shifts added by `fill_short`, and every rule but the
/// contract minimum still holds (the checker shares no code with it). The greedy roster's
/// own few short people fit nowhere; here every seventh person also loses a week.
#[test]
fn fill_short_closes_a_shortfall_lawfully() {
    let inst = demo();
    let mut g = greedy(&inst, &Fixing::none(&inst));
    for row in g.cells.iter_mut().step_by(7) {
        row[7..14].iter_mut().for_each(Vec::clear);
    }
    let (before, b0) = evaluate(&inst, &g);
    assert!(
        b0.contract_short_minutes > 0.0,
        "the greedy leaves nobody short: {b0:?}"
    );
    let filled = fill_short(&inst, &Fixing::none(&inst), &g).expect("shifts added");
    assert_lawful(&inst, &filled);
    let (after, b1) = evaluate(&inst, &filled);
    assert!(
        b1.contract_short_minutes < b0.contract_short_minutes,
        "{b0:?} -> {b1:?}"
    );
    assert!(after < before, "{before} -> {after}");
    // Only added shifts: nothing the greedy placed moves.
    for (row0, row1) in g.cells.iter().zip(&filled.cells) {
        for (c0, c1) in row0.iter().zip(row1) {
            assert!(c0.is_empty() || c0 == c1);
        }
    }
}

/// Curtois Instance 15 from an empty roster (what a 6 s monolithic phase leaves when it
/// has found little): every person is short, runs must be two days or longer, and
/// successions are forbidden. The fill reaches nearly every minimum and breaks no rule.
#[test]
fn fill_short_builds_lawful_runs_on_curtois_instance_15() {
    let inst = curtois(15);
    let empty = Grid::empty(&inst);
    let short0: u32 = (0..inst.n_staff())
        .map(|e| inst.person[e].min_minutes)
        .sum();
    let t = std::time::Instant::now();
    let filled = fill_short(&inst, &Fixing::none(&inst), &empty).expect("shifts added");
    let took = t.elapsed().as_secs_f64();
    assert_lawful(&inst, &filled);
    let short1: u32 = (0..inst.n_staff())
        .map(|e| {
            inst.person[e]
                .min_minutes
                .saturating_sub(filled.paid_minutes(&inst, e))
        })
        .sum();
    assert!(
        f64::from(short1) < 0.05 * f64::from(short0),
        "short {short0} -> {short1} minutes"
    );
    assert!(took < 5.0, "fill took {took:.2} s");
}
