//! The annealer between the planner's first phase and its MIP rounds: what it returns is
//! lawful by the checker, scored exactly as the planner's model scores it, better than
//! where it started, and leaves fixed cells alone.

use std::time::Duration;

use bemanna_solver::construct::greedy;
use bemanna_solver::local::{anneal, Scorer};
use bemanna_solver::model::Instance;
use bemanna_solver::plan::{evaluate, Fixing};
use bemanna_solver::roster::Grid;

mod common;
use common::{assert_lawful, curtois, demo};

/// The annealer's score is the planner's objective; returns it.
fn assert_scored(inst: &Instance, g: &Grid, scored: f64) -> f64 {
    let (o, _) = evaluate(inst, g);
    assert!((o - scored).abs() < 1e-6, "scored {scored} against {o}");
    o
}

#[test]
fn annealing_the_demo_home_keeps_fixed_cells_and_every_rule() {
    let inst = demo();
    let start = greedy(&inst, &Fixing::none(&inst));
    // A leader has fixed the first week of two people: one as the greedy has it, one off.
    let mut fixing = Fixing::none(&inst);
    for d in 0..7 {
        fixing.cells[3][d] = Some(start.cells[3][d].first().copied());
        fixing.cells[10][d] = Some(None);
    }
    let mut start = start;
    for d in 0..7 {
        start.cells[10][d].clear();
    }
    let (o0, _) = evaluate(&inst, &start);
    let (g, stats) = anneal(
        &inst,
        &fixing,
        &start,
        Duration::from_millis(1500),
        11,
        None,
    );
    let g = g.expect("a greedy roster is far from a local optimum");
    assert_lawful(&inst, &g);
    let o = assert_scored(&inst, &g, stats.objective);
    assert!(o < o0 - 1.0, "{o} not below the start {o0}");
    for d in 0..7 {
        assert_eq!(
            g.cells[3][d], start.cells[3][d],
            "fixed cell of day {d} moved"
        );
        assert!(
            g.cells[10][d].is_empty(),
            "a fixed day off was given a shift"
        );
    }
    assert!(stats.tried > 100_000, "only {} moves in 1.5 s", stats.tried);
}

/// The Curtois instances score cover per day and shift with their own weights, shift
/// requests and runs of at least two days: the annealer's roster from empty (everyone
/// short) is lawful, and scored as the model scores it.
#[test]
fn annealing_curtois_instance_15_from_empty_is_lawful_and_scored_right() {
    let inst = curtois(15);
    let empty = Grid::empty(&inst);
    let (o0, _) = evaluate(&inst, &empty);
    let (g, stats) = anneal(
        &inst,
        &Fixing::none(&inst),
        &empty,
        Duration::from_millis(1500),
        5,
        None,
    );
    let g = g.expect("an empty roster improves");
    assert_lawful(&inst, &g);
    let o = assert_scored(&inst, &g, stats.objective);
    assert!((Scorer::new(&inst).total(&g) - o).abs() < 1e-6);
    assert!(o < o0 * 0.1, "{o} against {o0} from empty");
}

/// A leader who cancels a long plan gets the best roster so far within moments, also while
/// the annealers run (they take 40 % of the time left: 12 s of this 30 s plan).
#[test]
fn cancelling_a_plan_stops_the_annealers() {
    use bemanna_solver::plan::{plan, Observer, PlanOptions};
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let inst = demo();
    let cancel = Arc::new(AtomicBool::new(false));
    let opts = PlanOptions {
        time_limit: 30.0,
        observer: Some(Observer {
            progress: Arc::new(|_, _| {}),
            cancel: cancel.clone(),
        }),
        ..PlanOptions::default()
    };
    let c = cancel.clone();
    let t = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(2500));
        c.store(true, Ordering::Relaxed);
    });
    let out = plan(&inst, &opts);
    t.join().unwrap();
    assert!(out.cancelled);
    assert!(out.seconds < 6.0, "returned after {:.1} s", out.seconds);
    assert_lawful(&inst, &out.grid);
}
