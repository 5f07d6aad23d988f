//! A lawful first roster, built greedily in milliseconds: nurse cover, then minimum demand,
//! then contract minimums, then wanted cover. The improvement layer starts from it when the
//! monolithic MIP has no good roster yet; on large homes HiGHS's own first roster leaves
//! most shifts empty, and digging out of that took most of a short time limit.
//!
//! Every shift is added through [`crate::replan::can_take`], the same local test of every
//! personal working-time rule that the repair uses, so the roster breaks no rule; what it
//! leaves short stays short for the planner to fix.

use crate::model::{Instance, RequestKind, SkillDemand};
use crate::plan::Fixing;
use crate::replan::{can_take, Ctx, State};
use crate::roster::Grid;

/// Seats of one (day, shift, unit): per demand line, heads taken so far.
struct Seats {
    taken: Vec<Vec<Vec<Vec<u32>>>>,
}

/// Wishes of one person on one day: (shift, or `None` for any, weight).
type Wishes = Vec<(Option<usize>, u32)>;

/// Cost of one person on one slot, lower is better; `None` when the person may not.
struct Pick<'a> {
    inst: &'a Instance,
    ctx: &'a Ctx<'a>,
    fixing: &'a Fixing,
    /// `off_req[e][d]`: wishes to be off, as (shift or any, weight).
    off_req: Vec<Vec<Wishes>>,
    on_req: Vec<Vec<Wishes>>,
    /// Skills each person can fill: fewer means a less scarce person.
    breadth: Vec<usize>,
    nights: Vec<u32>,
}

impl Pick<'_> {
    fn free(&self, st: &State, e: usize, d: usize) -> bool {
        self.fixing.cells[e][d].is_none()
            && self.inst.absent[e][d].is_none()
            && st.get(e, d).is_none()
    }

    /// Price of putting `e` on (`d`, `s`, `u`); `cap` refuses work beyond the contract.
    fn price(&self, st: &State, e: usize, d: usize, s: usize, u: usize, cap: bool) -> Option<f64> {
        let inst = self.inst;
        if !self.free(st, e, d) || !inst.units_of[e].contains(&u) {
            return None;
        }
        if !can_take(self.ctx, st, e, d, s) {
            return None;
        }
        let pr = &inst.person[e];
        let after = st.minutes(e) + inst.paid(s);
        let contract = pr.contract_minutes.max(pr.min_minutes);
        if cap && after > contract {
            return None;
        }
        // Fill people evenly against their contracts.
        let fill = f64::from(st.minutes(e)) / f64::from(contract.max(1));
        let mut p = fill * 100.0;
        if after > contract {
            p += 1000.0;
        }
        if u != inst.home_unit[e] {
            p += 15.0;
        }
        p += 4.0 * self.breadth[e] as f64;
        for &(rs, w) in &self.off_req[e][d] {
            if rs.is_none_or(|x| x == s) {
                p += 30.0 * f64::from(w);
            }
        }
        for &(rs, w) in &self.on_req[e][d] {
            if rs.is_none_or(|x| x == s) {
                p -= 30.0 * f64::from(w);
            }
        }
        if inst.night[s] {
            p += 3.0 * f64::from(self.nights[e]);
        }
        // A weekend already worked costs nothing more; a new one uses up the person's share.
        if let Some(w) = self.ctx.weekend_of[d] {
            if inst.weekends[w]
                .iter()
                .any(|&x| x != d && st.get(e, x).is_some())
            {
                p -= 20.0;
            } else {
                p += 10.0;
            }
        }
        Some(p)
    }
}

/// A lawful roster that respects `fixing`'s fixed cells, built greedily.
pub fn greedy(inst: &Instance, fixing: &Fixing) -> Grid {
    let n_e = inst.n_staff();
    let n_d = inst.n_days();
    let n_s = inst.n_shifts();
    let n_u = inst.n_units();
    let mut g = Grid::empty(inst);
    for e in 0..n_e {
        for d in 0..n_d {
            if let Some(Some(c)) = fixing.cells[e][d] {
                g.cells[e][d].push(c);
            }
        }
    }
    let ctx = Ctx::new(inst);
    let mut st = State::new(&ctx, &g);
    let mut off_req = vec![vec![Vec::new(); n_d]; n_e];
    let mut on_req = vec![vec![Vec::new(); n_d]; n_e];
    for rq in &inst.project.requests {
        let (Some(e), Some(d)) = (inst.staff_index(&rq.staff), inst.day_index(rq.date)) else {
            continue;
        };
        let s = rq.shift.as_deref().and_then(|c| inst.shift_index(c));
        match rq.kind {
            RequestKind::Off => off_req[e][d].push((s, rq.weight)),
            RequestKind::On => on_req[e][d].push((s, rq.weight)),
        }
    }
    let breadth = (0..n_e)
        .map(|e| inst.can[e].iter().filter(|&&c| c).count())
        .collect();
    let mut pick = Pick {
        inst,
        ctx: &ctx,
        fixing,
        off_req,
        on_req,
        breadth,
        nights: vec![0; n_e],
    };
    let mut seats = Seats {
        taken: (0..n_d)
            .map(|d| {
                (0..n_s)
                    .map(|s| {
                        (0..n_u)
                            .map(|u| vec![0; inst.demand[d][s][u].len()])
                            .collect()
                    })
                    .collect()
            })
            .collect(),
    };
    // Fixed cells take their seats first.
    for e in 0..n_e {
        for d in 0..n_d {
            if let Some((s, u)) = st.get(e, d) {
                take_seat(inst, &mut seats, e, d, s, u);
                if inst.night[s] {
                    pick.nights[e] += 1;
                }
            }
        }
    }

    // Nurse cover.
    for need in &inst.nurse_needs {
        let (d, s) = (need.day, need.shift);
        loop {
            let have = (0..n_e)
                .filter(|&e| {
                    st.get(e, d).is_some_and(|(s2, u2)| {
                        s2 == s && need.units.contains(&u2) && holds(inst, e, &need.skills)
                    })
                })
                .count() as u32;
            if have >= need.required {
                break;
            }
            let mut best: Option<(f64, usize, usize)> = None;
            for e in 0..n_e {
                if !holds(inst, e, &need.skills) {
                    continue;
                }
                for &u in &need.units {
                    // Prefer a unit where this nurse also fills an open seat.
                    let open = open_seat(inst, &seats, e, d, s, u, false).is_some();
                    if let Some(p) = pick.price(&st, e, d, s, u, false) {
                        let p = p - if open { 50.0 } else { 0.0 };
                        if best.is_none_or(|b| p < b.0) {
                            best = Some((p, e, u));
                        }
                    }
                }
            }
            let Some((_, e, u)) = best else { break };
            assign(inst, &mut st, &mut seats, &mut pick, e, d, s, u);
        }
    }

    // Minimum cover, then contract minimums (where wanted cover is open), then the rest of
    // wanted cover within contracts; scarce skills first within a slot.
    fill_cover(inst, &mut st, &mut seats, &mut pick, false);
    fill_contracts(inst, &mut st, &mut seats, &mut pick);
    fill_cover(inst, &mut st, &mut seats, &mut pick, true);
    st.to_grid(n_e)
}

/// Fills minimum (or wanted) seats, day by day, with the cheapest lawful person.
fn fill_cover(inst: &Instance, st: &mut State, seats: &mut Seats, pick: &mut Pick, wanted: bool) {
    let (n_e, n_d, n_s, n_u) = (
        inst.n_staff(),
        inst.n_days(),
        inst.n_shifts(),
        inst.n_units(),
    );
    for d in 0..n_d {
        for s in 0..n_s {
            for u in 0..n_u {
                let mut lines: Vec<usize> = (0..inst.demand[d][s][u].len()).collect();
                lines.sort_by_key(|&i| {
                    let k = inst.demand[d][s][u][i].skill;
                    (0..n_e).filter(|&e| inst.can[e][k]).count()
                });
                for i in lines {
                    let sd = &inst.demand[d][s][u][i];
                    let goal = goal(sd, wanted);
                    while seats.taken[d][s][u][i] < goal {
                        let mut best: Option<(f64, usize)> = None;
                        for e in 0..n_e {
                            if !inst.can[e][sd.skill] {
                                continue;
                            }
                            // Wanted cover never pushes anyone past their contract.
                            if let Some(p) = pick.price(st, e, d, s, u, wanted) {
                                if best.is_none_or(|b| p < b.0) {
                                    best = Some((p, e));
                                }
                            }
                        }
                        let Some((_, e)) = best else { break };
                        st.set(e, d, Some((s, u)));
                        seats.taken[d][s][u][i] += 1;
                        if inst.night[s] {
                            pick.nights[e] += 1;
                        }
                    }
                }
            }
        }
    }
}

/// Price added to a contract shift beyond wanted cover, and the best price from which a
/// hand-over is tried first.
const OVER_WANTED: f64 = 200.0;

/// Adds shifts for people under their contract minimum, where they are least over wanted
/// cover.
fn fill_contracts(inst: &Instance, st: &mut State, seats: &mut Seats, pick: &mut Pick) {
    let (n_e, n_d, n_s) = (inst.n_staff(), inst.n_days(), inst.n_shifts());
    for e in 0..n_e {
        while st.minutes(e) < inst.person[e].min_minutes {
            let mut best: Option<(f64, usize, usize, usize)> = None;
            for d in 0..n_d {
                if !pick.free(st, e, d) {
                    continue;
                }
                for s in 0..n_s {
                    for &u in &inst.units_of[e] {
                        let Some(p) = pick.price(st, e, d, s, u, false) else {
                            continue;
                        };
                        let over = if open_seat(inst, seats, e, d, s, u, true).is_some() {
                            0.0
                        } else {
                            OVER_WANTED
                        };
                        let p = p + over;
                        if best.is_none_or(|b| p < b.0) {
                            best = Some((p, d, s, u));
                        }
                    }
                }
            }
            // Before adding a shift beyond wanted cover, take one over from someone
            // above their own minimum: cover stays as it is.
            if best.is_none_or(|b| b.0 >= OVER_WANTED) {
                if let Some((f, d, s, u)) = take_over(inst, pick, st, e) {
                    st.set(f, d, None);
                    st.set(e, d, Some((s, u)));
                    if inst.night[s] {
                        pick.nights[f] -= 1;
                        pick.nights[e] += 1;
                    }
                    continue;
                }
            }
            let Some((_, d, s, u)) = best else { break };
            assign(inst, st, seats, pick, e, d, s, u);
        }
    }
}

/// A shift (`f`, day, shift, unit) that `e` could lawfully take over from `f`, who stays at
/// or above their own minimum. Only where dropping a day cannot break `f`'s minimum runs.
fn take_over(
    inst: &Instance,
    pick: &Pick,
    st: &State,
    e: usize,
) -> Option<(usize, usize, usize, usize)> {
    let mut best: Option<(f64, (usize, usize, usize, usize))> = None;
    for f in 0..inst.n_staff() {
        let pf = &inst.person[f];
        if f == e || pf.min_consecutive_days > 1 || pf.min_consecutive_days_off > 1 {
            continue;
        }
        for d in 0..inst.n_days() {
            let Some((s, u)) = st.get(f, d) else { continue };
            if pick.fixing.cells[f][d].is_some() || st.minutes(f) < pf.min_minutes + inst.paid(s) {
                continue;
            }
            // `e` can fill every seat there that `f` could.
            let covers = inst.demand[d][s][u]
                .iter()
                .all(|sd| !inst.can[f][sd.skill] || inst.can[e][sd.skill]);
            // Nor may a nurse-cover need lose someone it counts for someone it does not.
            let nurse_lost = inst.nurse_needs.iter().any(|n| {
                n.day == d
                    && n.shift == s
                    && n.units.contains(&u)
                    && holds(inst, f, &n.skills)
                    && !holds(inst, e, &n.skills)
            });
            if !covers || nurse_lost {
                continue;
            }
            if let Some(p) = pick.price(st, e, d, s, u, false) {
                // Take from whoever is furthest above their contract.
                let above = f64::from(st.minutes(f)) / f64::from(pf.contract_minutes.max(1));
                let p = p - 100.0 * above;
                if best.is_none_or(|b| p < b.0) {
                    best = Some((p, (f, d, s, u)));
                }
            }
        }
    }
    best.map(|b| b.1)
}

/// A demand line on (`d`, `s`, `u`) that `e` could fill and that is still open (to
/// minimum, or to wanted when `wanted`).
fn open_seat(
    inst: &Instance,
    seats: &Seats,
    e: usize,
    d: usize,
    s: usize,
    u: usize,
    wanted: bool,
) -> Option<usize> {
    inst.demand[d][s][u]
        .iter()
        .enumerate()
        .position(|(i, sd)| inst.can[e][sd.skill] && seats.taken[d][s][u][i] < goal(sd, wanted))
}

/// Heads a demand line asks for: its minimum, or its wanted cover when `wanted`.
fn goal(sd: &SkillDemand, wanted: bool) -> u32 {
    if wanted {
        sd.wanted.max(sd.min)
    } else {
        sd.min
    }
}

/// Whether `e` holds one of `skills` (counts for a nurse-cover need).
fn holds(inst: &Instance, e: usize, skills: &[usize]) -> bool {
    skills.iter().any(|&k| inst.has[e][k])
}

/// Counts `e` on (`d`, `s`, `u`) against an open minimum seat, else a wanted one.
fn take_seat(inst: &Instance, seats: &mut Seats, e: usize, d: usize, s: usize, u: usize) {
    let i = open_seat(inst, seats, e, d, s, u, false)
        .or_else(|| open_seat(inst, seats, e, d, s, u, true));
    if let Some(i) = i {
        seats.taken[d][s][u][i] += 1;
    }
}

#[allow(clippy::too_many_arguments)]
fn assign(
    inst: &Instance,
    st: &mut State,
    seats: &mut Seats,
    pick: &mut Pick,
    e: usize,
    d: usize,
    s: usize,
    u: usize,
) {
    st.set(e, d, Some((s, u)));
    take_seat(inst, seats, e, d, s, u);
    if inst.night[s] {
        pick.nights[e] += 1;
    }
}

/// (shift, unit) per day of a block of consecutive shifts.
type Block = Vec<(usize, usize)>;

/// Adds shifts for people below their contract minimum, one shift or block at a time (two
/// days of any shifts, or a run of one shift as long as the shortest run allowed), each
/// where cover is lowest and where the independent checker finds that person's rules
/// intact. A large model's first roster can leave dozens of people short (Curtois
/// Instance 15: 40 of 45), and the improvement layer then spent most of its time on
/// repair sub-models of a few people each. `None` when nothing could be added.
pub fn fill_short(inst: &Instance, fixing: &Fixing, grid: &Grid) -> Option<Grid> {
    let (n_e, n_d, n_s, n_u) = (
        inst.n_staff(),
        inst.n_days(),
        inst.n_shifts(),
        inst.n_units(),
    );
    let shortfall = |g: &Grid, e: usize| {
        inst.person[e]
            .min_minutes
            .saturating_sub(g.paid_minutes(inst, e))
    };
    let mut short: Vec<usize> = (0..n_e).filter(|&e| shortfall(grid, e) > 0).collect();
    // Every plan passes here; most have nobody short.
    if short.is_empty() {
        return None;
    }
    short.sort_by_key(|&e| std::cmp::Reverse(shortfall(grid, e)));
    let mut g = grid.clone();
    let mut heads = vec![vec![vec![0u32; n_u]; n_s]; n_d];
    for row in &g.cells {
        for (d, cell) in row.iter().enumerate() {
            for &(s, u) in cell {
                heads[d][s][u] += 1;
            }
        }
    }
    // Price of one more head on a slot: below wanted it saves, above it costs.
    let price = |heads: &Vec<Vec<Vec<u32>>>, d: usize, s: usize, u: usize| -> f64 {
        inst.demand[d][s][u]
            .iter()
            .map(|x| {
                if heads[d][s][u] < x.wanted {
                    -x.under_weight
                } else {
                    x.over_weight
                }
            })
            .sum()
    };
    let broken = |g: &Grid, e: usize| {
        crate::check::check_person(inst, g, e)
            .iter()
            .filter(|v| v.rule != crate::check::RuleId::MinMinutes)
            .count()
    };
    let mut added = false;
    for e in short {
        let open = |g: &Grid, d: usize| {
            d < n_d
                && fixing.cells[e][d].is_none()
                && inst.absent[e][d].is_none()
                && g.cells[e][d].is_empty()
        };
        let slots = inst.options(e);
        let before = broken(&g, e);
        let shortest_run = inst.person[e].min_consecutive_days as usize;
        while shortfall(&g, e) > 0 {
            let mut best: Option<(f64, usize, Block)> = None;
            for d in 0..n_d {
                if !open(&g, d) {
                    continue;
                }
                let mut blocks: Vec<Block> = slots.iter().map(|&c| vec![c]).collect();
                if open(&g, d + 1) {
                    for &a in &slots {
                        for &b in &slots {
                            blocks.push(vec![a, b]);
                        }
                    }
                }
                // Longer runs of one shift where the shortest run is longer than two days.
                for len in 3..=shortest_run {
                    if (d..d + len).all(|j| open(&g, j)) {
                        blocks.extend(slots.iter().map(|&c| vec![c; len]));
                    }
                }
                for block in blocks {
                    let p: f64 = block
                        .iter()
                        .enumerate()
                        .map(|(i, &(s, u))| price(&heads, d + i, s, u))
                        .sum::<f64>()
                        / block.len() as f64;
                    if best.as_ref().is_some_and(|b| b.0 <= p) {
                        continue;
                    }
                    for (i, &c) in block.iter().enumerate() {
                        g.cells[e][d + i].push(c);
                    }
                    let ok = broken(&g, e) <= before;
                    for i in 0..block.len() {
                        g.cells[e][d + i].clear();
                    }
                    if ok {
                        best = Some((p, d, block));
                    }
                }
            }
            let Some((_, d, block)) = best else {
                break;
            };
            for (i, &(s, u)) in block.iter().enumerate() {
                g.cells[e][d + i].push((s, u));
                heads[d + i][s][u] += 1;
            }
            added = true;
        }
    }
    added.then_some(g)
}
