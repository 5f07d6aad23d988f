//! Minimum-cost flow by successive shortest paths (Bellman-Ford queue variant, so edge
//! costs may be negative). Augmenting stops as soon as the cheapest path costs zero or
//! more: with convex path costs this gives the cheapest flow of *any* value, which is what
//! a repair wants (cover a seat only while that pays).
//!
//! The repair graphs are small (tens of nodes, hundreds of edges), so this simple exact
//! algorithm beats setting up an LP by orders of magnitude.

/// A flow network with integer capacities and costs. Buffers are reused between solves.
#[derive(Default, Clone, Debug)]
pub struct Flow {
    head: Vec<usize>,
    next: Vec<usize>,
    to: Vec<usize>,
    cap: Vec<i64>,
    cost: Vec<i64>,
    dist: Vec<i64>,
    prev: Vec<usize>,
    in_queue: Vec<bool>,
    queue: std::collections::VecDeque<usize>,
    /// Per phase: nodes from which no tight path reaches the sink.
    dead: Vec<bool>,
    /// Per search: nodes on the current path (stamped, so nothing is cleared per search).
    seen: Vec<u32>,
    stamp: u32,
}

const NIL: usize = usize::MAX;

impl Flow {
    /// Clears the network and makes `n` nodes.
    pub fn reset(&mut self, n: usize) {
        self.head.clear();
        self.head.resize(n, NIL);
        self.next.clear();
        self.to.clear();
        self.cap.clear();
        self.cost.clear();
    }

    /// Adds a node and returns its index.
    pub fn node(&mut self) -> usize {
        self.head.push(NIL);
        self.head.len() - 1
    }

    /// Adds an edge `a → b`; returns its index (read its flow with [`Flow::flow`]).
    pub fn edge(&mut self, a: usize, b: usize, cap: i64, cost: i64) -> usize {
        let i = self.to.len();
        for (x, y, c, k) in [(a, b, cap, cost), (b, a, 0, -cost)] {
            self.to.push(y);
            self.cap.push(c);
            self.cost.push(k);
            self.next.push(self.head[x]);
            self.head[x] = self.to.len() - 1;
        }
        i
    }

    /// Flow on an edge returned by [`Flow::edge`].
    pub fn flow(&self, e: usize) -> i64 {
        self.cap[e ^ 1]
    }

    /// Sends flow from `s` to `t` along cheapest paths while a path has negative cost.
    /// Returns (flow, cost). Assumes no negative cycle in the initial network (true for the
    /// layered graphs built here: all negative edges enter the sink).
    pub fn min_cost(&mut self, s: usize, t: usize) -> (i64, i64) {
        let n = self.head.len();
        let (mut total_flow, mut total_cost) = (0, 0);
        loop {
            self.dist.clear();
            self.dist.resize(n, i64::MAX);
            self.prev.clear();
            self.prev.resize(n, NIL);
            self.in_queue.clear();
            self.in_queue.resize(n, false);
            self.dist[s] = 0;
            self.queue.push_back(s);
            while let Some(v) = self.queue.pop_front() {
                self.in_queue[v] = false;
                let mut e = self.head[v];
                while e != NIL {
                    let w = self.to[e];
                    if self.cap[e] > 0 && self.dist[v] + self.cost[e] < self.dist[w] {
                        self.dist[w] = self.dist[v] + self.cost[e];
                        self.prev[w] = e;
                        if !self.in_queue[w] {
                            self.in_queue[w] = true;
                            self.queue.push_back(w);
                        }
                    }
                    e = self.next[e];
                }
            }
            if self.dist[t] == i64::MAX || self.dist[t] >= 0 {
                return (total_flow, total_cost);
            }
            // Push along every shortest path at once (edges tight under `dist`): with the
            // distances as potentials, each such path is still a cheapest one after the
            // others are pushed, so one search serves many augmentations.
            let mut pushed = false;
            self.dead.clear();
            self.dead.resize(n, false);
            if self.seen.len() < n {
                self.seen.resize(n, 0);
            }
            loop {
                self.stamp = self.stamp.wrapping_add(1);
                if self.stamp == 0 {
                    self.seen.iter_mut().for_each(|x| *x = 0);
                    self.stamp = 1;
                }
                let f = self.tight_path(s, t, i64::MAX);
                if f == 0 {
                    break;
                }
                pushed = true;
                total_flow += f;
                total_cost += f * self.dist[t];
            }
            debug_assert!(pushed, "a shortest path exists, so a tight path does");
            if !pushed {
                return (total_flow, total_cost);
            }
        }
    }

    /// One augmenting path from `v` to `t` over tight edges (depth first, each node once
    /// per search); returns the flow pushed.
    fn tight_path(&mut self, v: usize, t: usize, limit: i64) -> i64 {
        if v == t {
            return limit;
        }
        self.seen[v] = self.stamp;
        let mut e = self.head[v];
        while e != NIL {
            let w = self.to[e];
            if self.cap[e] > 0
                && self.seen[w] != self.stamp
                && !self.dead[w]
                && self.dist[v] != i64::MAX
                && self.dist[w] != i64::MAX
                && self.dist[v] + self.cost[e] == self.dist[w]
            {
                let f = self.tight_path(w, t, limit.min(self.cap[e]));
                if f > 0 {
                    self.cap[e] -= f;
                    self.cap[e ^ 1] += f;
                    return f;
                }
            }
            e = self.next[e];
        }
        // Pushes only add tight reverse edges, which may revive a node; the next phase's
        // search finds what this one skips.
        self.dead[v] = true;
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Brute force over all assignments of workers to jobs (or none) for small cases.
    fn brute(costs: &[Vec<Option<i64>>], reward: i64) -> i64 {
        fn go(i: usize, costs: &[Vec<Option<i64>>], used: &mut Vec<bool>, reward: i64) -> i64 {
            if i == costs.len() {
                return 0;
            }
            let mut best = go(i + 1, costs, used, reward);
            for j in 0..used.len() {
                if let (false, Some(c)) = (used[j], costs[i][j]) {
                    used[j] = true;
                    best = best.min(c - reward + go(i + 1, costs, used, reward));
                    used[j] = false;
                }
            }
            best
        }
        let mut used = vec![false; costs[0].len()];
        go(0, costs, &mut used, reward)
    }

    #[test]
    fn matches_brute_force_on_random_assignment_problems() {
        let mut rng = crate::rng::Rng::new(7);
        for _ in 0..300 {
            let (nw, nj) = (1 + rng.below(5), 1 + rng.below(4));
            let reward = 50;
            let costs: Vec<Vec<Option<i64>>> = (0..nw)
                .map(|_| {
                    (0..nj)
                        .map(|_| (rng.below(3) > 0).then(|| rng.below(80) as i64))
                        .collect()
                })
                .collect();
            let mut f = Flow::default();
            f.reset(2 + nw + nj);
            for (w, row) in costs.iter().enumerate() {
                f.edge(0, 2 + w, 1, 0);
                for (j, c) in row.iter().enumerate() {
                    if let Some(c) = c {
                        f.edge(2 + w, 2 + nw + j, 1, *c);
                    }
                }
            }
            for j in 0..nj {
                f.edge(2 + nw + j, 1, 1, -reward);
            }
            let (_, cost) = f.min_cost(0, 1);
            assert_eq!(cost, brute(&costs, reward), "{costs:?}");
        }
    }
}
