package propose

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// randomProblem makes a problem with weights drawn from a small range, so
// that ties are common, and a few edges that gain nothing.
func randomProblem(rng *rand.Rand, lefts, rights, edges, maxCap int) Problem {
	p := Problem{LeftCap: make([]int, lefts), RightCap: make([]int, rights)}
	for i := range p.LeftCap {
		p.LeftCap[i] = rng.IntN(maxCap + 1)
	}
	for j := range p.RightCap {
		p.RightCap[j] = rng.IntN(maxCap + 1)
	}
	for range edges {
		p.Edges = append(p.Edges, Edge{Left: rng.IntN(lefts), Right: rng.IntN(rights), Weight: int64(rng.IntN(12) - 1)})
	}
	return p
}

// bruteForce enumerates every subset of the edges.
func bruteForce(p Problem) int64 {
	var best int64
	for mask := 0; mask < 1<<len(p.Edges); mask++ {
		var chosen []int
		var w int64
		for e := range p.Edges {
			if mask&(1<<e) != 0 {
				chosen = append(chosen, e)
				w += p.Edges[e].Weight
			}
		}
		if w > best && feasible(p, chosen) == nil {
			best = w
		}
	}
	return best
}

// feasible checks the capacities.
func feasible(p Problem, chosen []int) error {
	l, r := make([]int, len(p.LeftCap)), make([]int, len(p.RightCap))
	for _, e := range chosen {
		l[p.Edges[e].Left]++
		r[p.Edges[e].Right]++
	}
	for i, n := range l {
		if n > p.LeftCap[i] {
			return fmt.Errorf("left %d has %d edges, capacity %d", i, n, p.LeftCap[i])
		}
	}
	for j, n := range r {
		if n > p.RightCap[j] {
			return fmt.Errorf("right %d has %d edges, capacity %d", j, n, p.RightCap[j])
		}
	}
	return nil
}

// negativeCycle reports whether the residual graph of a choice has a
// negative cycle (Bellman–Ford from a virtual node joined to all), built
// here independently of the solver. A feasible choice without one is a
// maximum-weight b-matching.
func negativeCycle(p Problem, chosen []int) bool {
	nl, nr := len(p.LeftCap), len(p.RightCap)
	o := nl + nr
	type arc struct {
		a, b int
		c    int64
	}
	on := make([]bool, len(p.Edges))
	l, r := make([]int, nl), make([]int, nr)
	for _, e := range chosen {
		on[e] = true
		l[p.Edges[e].Left]++
		r[p.Edges[e].Right]++
	}
	var arcs []arc
	for e, ed := range p.Edges {
		if on[e] {
			arcs = append(arcs, arc{nl + ed.Right, ed.Left, ed.Weight})
		} else {
			arcs = append(arcs, arc{ed.Left, nl + ed.Right, -ed.Weight})
		}
	}
	for i := range nl {
		if l[i] < p.LeftCap[i] {
			arcs = append(arcs, arc{o, i, 0})
		}
		if l[i] > 0 {
			arcs = append(arcs, arc{i, o, 0})
		}
	}
	for j := range nr {
		if r[j] < p.RightCap[j] {
			arcs = append(arcs, arc{nl + j, o, 0})
		}
		if r[j] > 0 {
			arcs = append(arcs, arc{o, nl + j, 0})
		}
	}
	dist := make([]int64, o+1) // all 0: the virtual node reaches every node at 0
	for range o + 1 {
		changed := false
		for _, a := range arcs {
			if dist[a.a]+a.c < dist[a.b] {
				dist[a.b] = dist[a.a] + a.c
				changed = true
			}
		}
		if !changed {
			return false
		}
	}
	return true
}

func mustSolve(t *testing.T, p Problem) Solution {
	t.Helper()
	sol, err := Solve(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := feasible(p, sol.Chosen); err != nil {
		t.Fatalf("infeasible: %v", err)
	}
	var w int64
	for _, e := range sol.Chosen {
		if p.Edges[e].Weight <= 0 {
			t.Fatalf("edge %d of weight %d chosen", e, p.Edges[e].Weight)
		}
		w += p.Edges[e].Weight
	}
	if w != sol.Weight {
		t.Fatalf("Weight %d, chosen edges weigh %d", sol.Weight, w)
	}
	if !slices.IsSorted(sol.Chosen) {
		t.Fatalf("Chosen not ascending: %v", sol.Chosen)
	}
	return sol
}

func TestSolveMatchesBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 3000 {
		p := randomProblem(rng, 1+rng.IntN(5), 1+rng.IntN(5), rng.IntN(11), 3)
		sol := mustSolve(t, p)
		if want := bruteForce(p); sol.Weight != want {
			t.Fatalf("instance %d %+v: weight %d, best %d", i, p, sol.Weight, want)
		}
	}
}

func TestSolveNoNegativeCycle(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 300 {
		p := randomProblem(rng, 5+rng.IntN(40), 3+rng.IntN(30), rng.IntN(300), 6)
		sol := mustSolve(t, p)
		if negativeCycle(p, sol.Chosen) {
			t.Fatalf("instance %d: the residual graph has a negative cycle: not optimal (weight %d)", i, sol.Weight)
		}
	}
}

// The check itself must catch a choice that is not optimal.
func TestNegativeCycleCatchesSuboptimal(t *testing.T) {
	p := Problem{LeftCap: []int{1, 1}, RightCap: []int{1, 1},
		Edges: []Edge{{0, 0, 5}, {0, 1, 4}, {1, 0, 4}, {1, 1, 1}}}
	// {0,1} and {1,0} weigh 8, the best; {0,0} and {1,1} weigh 6.
	if negativeCycle(p, []int{1, 2}) {
		t.Fatal("optimal choice reported as improvable")
	}
	if !negativeCycle(p, []int{0, 3}) {
		t.Fatal("choice of weight 6 not reported as improvable (8 exists)")
	}
	if !negativeCycle(p, []int{0}) {
		t.Fatal("choice of weight 5 not reported as improvable")
	}
}

func TestSolveCapacities(t *testing.T) {
	// Every record wants organisation 0 most; it takes two.
	p := Problem{LeftCap: []int{2, 2, 2}, RightCap: []int{2, 3, 0}}
	for i := range 3 {
		p.Edges = append(p.Edges, Edge{i, 0, 10}, Edge{i, 1, int64(3 + i)}, Edge{i, 2, 20})
	}
	sol := mustSolve(t, p)
	// Organisation 2 takes nothing; 0 goes to two records, 1 to all three.
	if sol.Weight != 10+10+3+4+5 {
		t.Fatalf("weight %d, chosen %v", sol.Weight, sol.Chosen)
	}
	zero := Problem{LeftCap: []int{0}, RightCap: []int{5}, Edges: []Edge{{0, 0, 7}}}
	if sol := mustSolve(t, zero); len(sol.Chosen) != 0 {
		t.Fatalf("record of capacity 0 got %v", sol.Chosen)
	}
}

func TestSolveDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	p := randomProblem(rng, 200, 60, 3000, 5)
	first := mustSolve(t, p)
	for range 5 {
		again := mustSolve(t, p)
		if !slices.Equal(again.Chosen, first.Chosen) {
			t.Fatal("two runs chose different edges")
		}
	}
	// All weights equal: the tie-break decides everything, and still the
	// same way.
	for i := range p.Edges {
		p.Edges[i].Weight = 7
	}
	first = mustSolve(t, p)
	again := mustSolve(t, p)
	if !slices.Equal(again.Chosen, first.Chosen) {
		t.Fatal("two runs chose different edges among ties")
	}
}

func TestSolveRejectsBadInput(t *testing.T) {
	for name, p := range map[string]Problem{
		"left":     {LeftCap: []int{1}, RightCap: []int{1}, Edges: []Edge{{1, 0, 1}}},
		"right":    {LeftCap: []int{1}, RightCap: []int{1}, Edges: []Edge{{0, -1, 1}}},
		"capacity": {LeftCap: []int{-1}, RightCap: []int{1}},
		"weight":   {LeftCap: []int{1}, RightCap: []int{1}, Edges: []Edge{{0, 0, MaxWeight + 1}}},
	} {
		if _, err := Solve(p); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// A few suppliers fit every record best. Proposing each record's top five
// gives them every proposal; the b-matching gives them their capacity and
// finds the rest elsewhere at a small loss of score.
func TestSolveSpreadsPopularSuppliers(t *testing.T) {
	const records, suppliers, popular, perRecord, capacity = 300, 150, 5, 5, 10
	rng := rand.New(rand.NewPCG(7, 8))
	p := Problem{LeftCap: make([]int, records), RightCap: make([]int, suppliers)}
	for i := range records {
		p.LeftCap[i] = perRecord
		// Every record has the popular suppliers among its candidates,
		// scoring 85.00–94.99, and 25 others scoring 50.00–84.99.
		for j := range popular {
			p.Edges = append(p.Edges, Edge{Left: i, Right: j, Weight: int64(8500 + rng.IntN(1000))})
		}
		for _, j := range rng.Perm(suppliers - popular)[:25] {
			p.Edges = append(p.Edges, Edge{Left: i, Right: popular + j, Weight: int64(5000 + rng.IntN(3500))})
		}
	}
	for j := range p.RightCap {
		p.RightCap[j] = capacity
	}
	sol := mustSolve(t, p)
	top, topMost := greedy(p, false)
	capped, _ := greedy(p, true)
	most := busiest(p, sol.Chosen)
	t.Logf("top %d per record: weight %d, busiest supplier %d proposals", perRecord, top, topMost)
	t.Logf("top %d per record skipping full suppliers: weight %d", perRecord, capped)
	t.Logf("b-matching: weight %d (%.1f%% of top %d), %d proposals, busiest supplier %d",
		sol.Weight, 100*float64(sol.Weight)/float64(top), perRecord, len(sol.Chosen), most)
	if topMost < records/2 {
		t.Fatalf("the instance does not concentrate: greedy's busiest supplier has %d", topMost)
	}
	if most > capacity {
		t.Fatalf("busiest supplier has %d proposals, capacity %d", most, capacity)
	}
	if sol.Weight < capped {
		t.Fatalf("b-matching weight %d below the capped greedy's %d", sol.Weight, capped)
	}
	if len(sol.Chosen) != records*perRecord {
		t.Fatalf("%d proposals, want every record to get %d", len(sol.Chosen), perRecord)
	}
	if float64(sol.Weight) < 0.8*float64(top) {
		t.Fatalf("b-matching keeps %d of greedy's %d, below 80%%", sol.Weight, top)
	}
}
