package propose

import (
	"cmp"
	"fmt"
	"slices"
)

// Edge is a candidate pair of a b-matching: a record (the left side) and an
// organisation (the right side), worth Weight if chosen. Edges of weight 0
// or less are never chosen: a proposal has to gain something.
type Edge struct {
	Left, Right int
	Weight      int64
}

// MaxWeight bounds an edge's weight, so that no sum of weights along a path
// of the solver can overflow.
const MaxWeight = 1 << 40

// Problem is a maximum-weight b-matching: choose edges of the greatest
// total weight such that left node i is in at most LeftCap[i] chosen edges
// and right node j in at most RightCap[j]. Nothing has to be matched.
type Problem struct {
	LeftCap  []int
	RightCap []int
	Edges    []Edge
}

// Solution is an optimal choice of edges.
type Solution struct {
	// Chosen are indices into Problem.Edges, ascending.
	Chosen []int
	// Weight is the total weight of the chosen edges.
	Weight int64
	// Paths is how many shortest-path searches the solver ran, Settled
	// how many nodes they settled in all: the work done.
	Paths, Settled int
}

// Solve finds a maximum-weight b-matching exactly, as a minimum-cost
// circulation: a node o stands for both the source and the sink, with an
// arc o → record of capacity LeftCap and cost 0, record → organisation of
// capacity 1 and cost −weight, and organisation → o of capacity RightCap
// and cost 0. The records are added one at a time (as the Hungarian method
// adds rows); after each, the flow is a minimum-cost circulation of the
// records added so far, because each unit sent from the new record follows
// a shortest path back to o in the residual graph (Dijkstra with node
// potentials, stopped as soon as no path could gain), and such augmentations
// leave no negative cycle. A path may move another record's proposal to a
// different organisation or drop it where the new record gains more.
//
// The result depends only on the problem, including the order of its
// edges: ties between equally good solutions are broken the same way on
// every run.
func Solve(p Problem) (Solution, error) {
	if err := p.validate(); err != nil {
		return Solution{}, err
	}
	s := newSolver(&p)
	for u := range p.LeftCap {
		s.addLeft(u)
	}
	sol := Solution{Paths: s.paths, Settled: s.settledTotal}
	for e, on := range s.chosen {
		if on {
			sol.Chosen = append(sol.Chosen, e)
			sol.Weight += p.Edges[e].Weight
		}
	}
	return sol, nil
}

func (p *Problem) validate() error {
	for i, c := range p.LeftCap {
		if c < 0 {
			return fmt.Errorf("propose: left node %d has capacity %d", i, c)
		}
	}
	for j, c := range p.RightCap {
		if c < 0 {
			return fmt.Errorf("propose: right node %d has capacity %d", j, c)
		}
	}
	for i, e := range p.Edges {
		switch {
		case e.Left < 0 || e.Left >= len(p.LeftCap):
			return fmt.Errorf("propose: edge %d: no left node %d", i, e.Left)
		case e.Right < 0 || e.Right >= len(p.RightCap):
			return fmt.Errorf("propose: edge %d: no right node %d", i, e.Right)
		case e.Weight > MaxWeight:
			return fmt.Errorf("propose: edge %d: weight %d above %d", i, e.Weight, int64(MaxWeight))
		}
	}
	return nil
}

// solver holds the residual graph. Nodes are numbered lefts first, then
// rights, then o; the flow on an edge is chosen[e].
type solver struct {
	p        *Problem
	nl, o    int
	byLeft   [][]int32 // usable edges of each left node, best first
	assigned [][]int32 // chosen edges of each right node
	chosen   []bool
	loadL    []int
	loadR    []int
	pot      []int64 // node potentials: every residual arc but o → the new record has a non-negative reduced cost

	// Dijkstra's state, reset between searches for the nodes it touched.
	dist     []int64
	prev     []int32 // the node a node was reached from
	prevEdge []int32 // the edge of that arc, −1 for arcs into o
	settled  []bool
	touched  []int32
	done     []int32 // settled nodes, in order
	heap     pathHeap

	paths, settledTotal int
}

const unreached = int64(1) << 62

func newSolver(p *Problem) *solver {
	nl, nr := len(p.LeftCap), len(p.RightCap)
	n := nl + nr + 1
	s := &solver{p: p, nl: nl, o: nl + nr,
		byLeft: make([][]int32, nl), assigned: make([][]int32, nr), chosen: make([]bool, len(p.Edges)),
		loadL: make([]int, nl), loadR: make([]int, nr), pot: make([]int64, n),
		dist: make([]int64, n), prev: make([]int32, n), prevEdge: make([]int32, n), settled: make([]bool, n)}
	for i := range s.dist {
		s.dist[i] = unreached
	}
	for e, ed := range p.Edges {
		if ed.Weight > 0 && p.RightCap[ed.Right] > 0 {
			s.byLeft[ed.Left] = append(s.byLeft[ed.Left], int32(e))
		}
	}
	for _, es := range s.byLeft {
		slices.SortStableFunc(es, func(a, b int32) int {
			ea, eb := p.Edges[a], p.Edges[b]
			if c := cmp.Compare(eb.Weight, ea.Weight); c != 0 {
				return c
			}
			return cmp.Compare(ea.Right, eb.Right)
		})
	}
	return s
}

// addLeft adds record u to the circulation and sends units from it while
// a path gains and its capacity allows.
func (s *solver) addLeft(u int) {
	if len(s.byLeft[u]) == 0 || s.p.LeftCap[u] == 0 {
		return
	}
	// A potential that makes u's arcs non-negative: u had no arcs before.
	best := -unreached
	for _, e := range s.byLeft[u] {
		ed := s.p.Edges[e]
		best = max(best, ed.Weight+s.pot[s.nl+ed.Right])
	}
	s.pot[u] = best
	for s.loadL[u] < s.p.LeftCap[u] && s.augment(u) {
	}
}

// augment searches the shortest path from u back to o and sends one unit
// along it if the cycle o → u → … → o has a negative cost, that is if the
// path gains weight. It updates the potentials either way.
func (s *solver) augment(u int) bool {
	// A path of reduced length d costs d − limit in true terms: it gains
	// only if d < limit.
	limit := s.pot[u] - s.pot[s.o]
	if limit <= 0 {
		return false
	}
	s.paths++
	s.relax(u, 0, -1, -1)
	bound, found := limit, false
	for s.heap.Len() > 0 {
		d, v := s.heap.pop()
		if s.settled[v] || d > s.dist[v] {
			continue
		}
		if d >= limit {
			break
		}
		if int(v) == s.o {
			bound, found = d, true
			break
		}
		s.settled[v] = true
		s.done = append(s.done, v)
		s.expand(u, int(v), d)
	}
	// Raise the potentials of the nodes settled below the bound: with it,
	// every residual arc keeps a non-negative reduced cost, and those on the
	// shortest path get zero (Dijkstra stopped early; the standard argument).
	for _, v := range s.done {
		s.pot[v] -= bound - s.dist[v]
	}
	s.settledTotal += len(s.done)
	if found {
		s.apply()
	}
	s.reset()
	return found
}

// expand relaxes the residual arcs out of node v, settled at distance d.
func (s *solver) expand(u, v int, d int64) {
	if v < s.nl {
		for _, e := range s.byLeft[v] {
			if s.chosen[e] {
				continue
			}
			ed := s.p.Edges[e]
			r := s.nl + ed.Right
			s.relax(r, d-ed.Weight+s.pot[v]-s.pot[r], int32(v), e)
		}
		if v != u && s.loadL[v] > 0 { // v gives up a proposal
			s.relax(s.o, d+s.pot[v]-s.pot[s.o], int32(v), -1)
		}
		return
	}
	j := v - s.nl
	if s.loadR[j] < s.p.RightCap[j] {
		s.relax(s.o, d+s.pot[v]-s.pot[s.o], int32(v), -1)
	}
	for _, e := range s.assigned[j] { // a record gives this organisation up
		ed := s.p.Edges[e]
		s.relax(ed.Left, d+ed.Weight+s.pot[v]-s.pot[ed.Left], int32(v), e)
	}
}

func (s *solver) relax(v int, d int64, from, e int32) {
	if s.settled[v] || d >= s.dist[v] {
		return
	}
	if s.dist[v] == unreached {
		s.touched = append(s.touched, int32(v))
	}
	s.dist[v], s.prev[v], s.prevEdge[v] = d, from, e
	s.heap.push(d, int32(v))
}

// apply sends one unit along the path found to o.
func (s *solver) apply() {
	for v := s.prev[s.o]; s.prevEdge[v] >= 0; v = s.prev[v] {
		e := s.prevEdge[v]
		ed := s.p.Edges[e]
		if int(v) >= s.nl { // left → right: the record takes the organisation
			s.chosen[e] = true
			s.loadL[ed.Left]++
			s.loadR[ed.Right]++
			s.assigned[ed.Right] = append(s.assigned[ed.Right], e)
			continue
		}
		// right → left: the record gives the organisation up
		s.chosen[e] = false
		s.loadL[ed.Left]--
		s.loadR[ed.Right]--
		as := s.assigned[ed.Right]
		i := slices.Index(as, e)
		s.assigned[ed.Right] = slices.Delete(as, i, i+1)
	}
}

func (s *solver) reset() {
	for _, v := range s.touched {
		s.dist[v], s.settled[v] = unreached, false
	}
	s.touched, s.done = s.touched[:0], s.done[:0]
	s.heap.items = s.heap.items[:0]
}

// pathHeap is a binary min-heap of (distance, node), ties broken by node,
// so that the search is the same on every run.
type pathHeap struct {
	items []heapItem
}

type heapItem struct {
	d int64
	v int32
}

func (h *pathHeap) Len() int { return len(h.items) }

func (a heapItem) less(b heapItem) bool { return a.d < b.d || a.d == b.d && a.v < b.v }

func (h *pathHeap) push(d int64, v int32) {
	h.items = append(h.items, heapItem{d, v})
	i := len(h.items) - 1
	for i > 0 {
		p := (i - 1) / 2
		if !h.items[i].less(h.items[p]) {
			break
		}
		h.items[i], h.items[p] = h.items[p], h.items[i]
		i = p
	}
}

func (h *pathHeap) pop() (int64, int32) {
	top := h.items[0]
	last := len(h.items) - 1
	h.items[0] = h.items[last]
	h.items = h.items[:last]
	i := 0
	for {
		l, m := 2*i+1, i
		if l < last && h.items[l].less(h.items[m]) {
			m = l
		}
		if r := l + 1; r < last && h.items[r].less(h.items[m]) {
			m = r
		}
		if m == i {
			break
		}
		h.items[i], h.items[m] = h.items[m], h.items[i]
		i = m
	}
	return top.d, top.v
}
