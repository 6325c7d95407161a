package schedule

import (
	"context"
	"math"
	"math/rand/v2"
	"sort"
	"sync"
	"time"
)

// DefaultBudget is the time Solve may take when Options.Budget is zero.
const DefaultBudget = 10 * time.Second

// Options tune Solve.
type Options struct {
	// Seed drives every random choice: the same problem, seed and (unexhausted) budget
	// give the same schedule on any machine.
	Seed int64
	// Budget caps the wall-clock time; zero means DefaultBudget. The search also stops
	// after a number of steps that depends on the problem's size only, and most events
	// finish well within the budget; only a run cut by the budget depends on the
	// machine's speed.
	Budget time.Duration
}

// chains is the number of independent search chains; they run in parallel, and the
// result does not depend on how many cores there are.
const chains = 2

// compactRounds is the number of annealing rounds of the compaction phase.
const compactRounds = 3

// Solve schedules the problem: it validates it, builds a schedule greedily (heaviest
// requests first, each in the slot that adds the fewest breaks and idle slots), then
// improves it by local search (ejection chains that put a request in a slot, eject what
// stands in the way and re-place it directly or along Kempe chains; simulated
// annealing on the weight), and finally compacts agendas without losing weight (slot
// moves and Kempe-chain swaps, exchanges of requests of equal weight). It returns an
// *InvalidError for an invalid problem and ctx.Err() when ctx ends first.
func Solve(ctx context.Context, p *Problem, o Options) (*Solution, error) {
	start := time.Now()
	if err := p.Validate(); err != nil {
		return nil, err
	}
	budget := o.Budget
	if budget <= 0 {
		budget = DefaultBudget
	}
	deadline := start.Add(budget)
	in := compile(p)
	ub := upperBound(in)

	base := newState(in)
	construct(base)

	results := make([]*state, chains)
	var wg sync.WaitGroup
	for c := 0; c < chains; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			se := &search{
				st:  base.clone(),
				in:  in,
				rng: rand.New(rand.NewPCG(uint64(o.Seed), uint64(c)*0x9e3779b97f4a7c15+1)),
			}
			results[c] = se.run(ctx, deadline, ub)
		}(c)
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	best := results[0]
	for _, r := range results[1:] {
		if better(r.exactWeight(), r.cost(), best.exactWeight(), best.cost()) {
			best = r
		}
	}
	// Whatever still fits goes in (only requests of weight 0 can be left at this point).
	se := &search{st: best, in: in, rng: rand.New(rand.NewPCG(uint64(o.Seed), 7))}
	for r := 0; r < in.nR; r++ {
		if best.slot[r] < 0 && len(in.allowed[r]) > 0 {
			se.insertBest(int32(r), false)
		}
	}
	sol := solution(best, ub)
	sol.Stats.Seconds = time.Since(start).Seconds()
	return sol, nil
}

// construct places requests greedily: heaviest first, then those with fewer common
// slots, each in the slot that adds the least agenda cost (the earliest among equals),
// else along a Kempe chain.
func construct(st *state) {
	in := st.in
	order := make([]int32, 0, in.nR)
	for r := 0; r < in.nR; r++ {
		if st.slot[r] < 0 && len(in.allowed[r]) > 0 {
			order = append(order, int32(r))
		}
	}
	sort.SliceStable(order, func(i, j int) bool {
		a, b := order[i], order[j]
		if in.w[a] != in.w[b] {
			return in.w[a] > in.w[b]
		}
		return len(in.allowed[a]) < len(in.allowed[b])
	})
	se := &search{st: st, in: in, rng: rand.New(rand.NewPCG(1, 2))}
	for _, r := range order {
		if !se.insertBest(r, false) {
			se.kempeInsert(r, 4*in.nS)
		}
	}
}

// effort sets how many steps each phase of a chain takes at most, and after how many
// steps without a better weight the weight phase ends. It depends on the problem's size
// only, which makes runs that end by it the same on every machine.
func effort(in *instance) (steps, stall int) {
	steps = 2000*in.nR + 50000
	if steps > 400000 {
		steps = 400000
	}
	stall = steps / 4
	return steps, stall
}

// run improves the chain's state, first on weight (simulated annealing over ejection
// moves, until the weight reaches the bound or stops improving), then on breaks and
// idle slots at no loss of weight, keeping the best schedule seen; it returns the state
// loaded with that schedule.
func (se *search) run(ctx context.Context, deadline time.Time, ub float64) *state {
	st, in := se.st, se.in
	best := append([]int32(nil), st.slot...)
	bestW, bestC := st.exactWeight(), st.cost()
	save := func() {
		w, c := st.exactWeight(), st.cost()
		if better(w, c, bestW, bestC) {
			copy(best, st.slot)
			bestW, bestC = w, c
		}
	}
	// The weight phase may use 60% of the budget left, so that agendas are always
	// compacted, even when a slow or busy machine cuts the search short.
	phaseEnd := time.Now().Add(time.Until(deadline) * 6 / 10)
	stopped := false
	stop := func(i int) bool {
		if stopped {
			return true
		}
		if i&127 == 0 && (ctx.Err() != nil || time.Now().After(phaseEnd)) {
			stopped = true
		}
		return stopped
	}
	steps, stall := effort(in)

	// Temperatures in units of weight: the typical weight of a request.
	var sumW float64
	var nW int
	for r := 0; r < in.nR; r++ {
		if in.w[r] > 0 {
			sumW += in.w[r]
			nW++
		}
	}
	wScale := 1.0
	if nW > 0 {
		wScale = sumW / float64(nW)
	}
	eps := 1e-9 * (1 + ub)

	st.logging = true
	// Weight search.
	t0, t1 := 0.3*wScale, 0.02*wScale
	last := 0
	for i := 0; i < steps && !stop(i); i++ {
		if bestW >= ub-eps || len(st.open) == 0 || i-last > stall {
			break
		}
		temp := t0 * math.Pow(t1/t0, float64(i)/float64(steps))
		mark := len(st.log)
		w0 := st.weight
		ok := false
		if se.rng.IntN(8) > 0 {
			r := st.open[se.rng.IntN(len(st.open))]
			if q := st.open[se.rng.IntN(len(st.open))]; in.w[q] > in.w[r] {
				r = q
			}
			al := in.allowed[r]
			ok = se.ejectInsert(r, al[se.rng.IntN(len(al))])
		} else {
			ok = se.randomKempe(false)
		}
		if !ok {
			st.revert(mark)
			continue
		}
		dw := st.weight - w0
		if dw < -eps && se.rng.Float64() >= math.Exp(dw/temp) {
			st.revert(mark)
			continue
		}
		st.log = st.log[:0]
		if dw > eps {
			w := st.exactWeight()
			if w > bestW+eps {
				last = i
			}
			save()
		}
	}
	st.load(best)
	st.logging = true
	phaseEnd, stopped = deadline, ctx.Err() != nil

	// Compaction: agenda cost with the weight never below the best.
	bc := float64(in.breakCost)
	c0, c1 := 0.6*bc, 0.05
	// Annealing in rounds, each from the best schedule so far with the temperature
	// raised again, so that one unlucky cooling does not decide.
	round := steps / compactRounds
	for i := 0; i < steps && !stop(i); i++ {
		if bestC == 0 {
			break
		}
		if i > 0 && i%round == 0 {
			st.load(best)
			st.logging = true
		}
		temp := c0 * math.Pow(c1/c0, float64(i%round)/float64(round))
		mark := len(st.log)
		w0, k0 := st.weight, st.cost()
		ok := false
		switch x := se.rng.IntN(10); {
		case x < 4:
			ok = se.randomKempe(true)
		case x < 7:
			ok = se.breakMove()
		case len(st.open) > 0:
			r := st.open[se.rng.IntN(len(st.open))]
			al := in.allowed[r]
			ok = se.ejectInsert(r, al[se.rng.IntN(len(al))])
		}
		if !ok {
			st.revert(mark)
			continue
		}
		dw, dc := st.weight-w0, st.cost()-k0
		if dw < -eps || (dw <= eps && dc > 0 && se.rng.Float64() >= math.Exp(-float64(dc)/temp)) {
			st.revert(mark)
			continue
		}
		st.log = st.log[:0]
		if dw > eps || dc < 0 {
			save()
		}
	}
	st.logging = false
	st.load(best)
	return st
}

// randomKempe moves a random meeting to another slot along its Kempe chain; with
// sameSession the other slot is in the meeting's session, where agendas are counted.
func (se *search) randomKempe(sameSession bool) bool {
	st, in := se.st, se.in
	s := int32(se.rng.IntN(in.nS))
	if len(st.inSlot[s]) == 0 {
		return false
	}
	m := st.inSlot[s][se.rng.IntN(len(st.inSlot[s]))]
	var t int32
	if sameSession {
		k := in.sess[s]
		n := in.sessHi[k] - in.sessLo[k]
		if n < 2 {
			return false
		}
		t = in.sessLo[k] + int32(se.rng.IntN(int(n)))
		if se.rng.IntN(3) == 0 {
			t = int32(se.rng.IntN(in.nS))
		}
	} else {
		t = int32(se.rng.IntN(in.nS))
	}
	return se.kempeMove(m, t)
}

// breakMove picks a participant with a break in some session and moves one of its
// meetings there, along its Kempe chain, to a slot of the session where it is free and
// that lies within or next to its span of meetings.
func (se *search) breakMove() bool {
	st, in := se.st, se.in
	for try := 0; try < 8; try++ {
		p := int32(se.rng.IntN(in.nP))
		k := int32(se.rng.IntN(in.nK))
		if st.brk[int(p)*in.nK+int(k)] == 0 {
			continue
		}
		row := st.busy[int(p)*in.nS : int(p+1)*in.nS]
		lo, hi := in.sessLo[k], in.sessHi[k]
		first, last := int32(-1), int32(-1)
		var n int
		for s := lo; s < hi; s++ {
			if row[s] >= 0 {
				if first < 0 {
					first = s
				}
				last = s
				n++
			}
		}
		m := int32(-1)
		for i, pick := 0, se.rng.IntN(n); ; i++ {
			if row[first+int32(i)] >= 0 {
				if pick == 0 {
					m = row[first+int32(i)]
					break
				}
				pick--
			}
		}
		from, to := max(first-1, lo), min(last+1, hi-1)
		free := int(to-from+1) - n
		if free <= 0 {
			continue
		}
		pick := se.rng.IntN(free)
		for s := from; s <= to; s++ {
			if row[s] < 0 {
				if pick == 0 {
					return se.kempeMove(m, s)
				}
				pick--
			}
		}
	}
	return false
}
