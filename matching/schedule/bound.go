package schedule

import (
	"math"
	"sort"
)

// upperBound returns a weight no schedule can exceed: the least of simpleBound and a
// Lagrangian bound of the 0-1 model (see lagrangeBound). It depends on the problem
// only, so Check can recompute it.
//
// When every weight is a whole number, so is every schedule's weight, and the bound is
// rounded down to one.
func upperBound(in *instance) float64 {
	ub := min(simpleBound(in), lagrangeBound(in))
	for _, w := range in.w {
		if w != math.Trunc(w) {
			return ub
		}
	}
	return math.Floor(ub + 1e-6)
}

// simpleBound returns a weight no schedule can exceed: the least of the total weight of
// the requests that have a common slot; the heaviest Σtables of them (one per table);
// and half the sum, over participants, of the heaviest min(cap, slots available)
// requests of each (every meeting counts for both its sides).
func simpleBound(in *instance) float64 {
	var ws []float64
	var total float64
	for r := 0; r < in.nR; r++ {
		if len(in.allowed[r]) > 0 {
			ws = append(ws, in.w[r])
			total += in.w[r]
		}
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(ws)))
	var tables int
	for _, t := range in.tables {
		tables += int(t)
	}
	var byTables float64
	for i := 0; i < len(ws) && i < tables; i++ {
		byTables += ws[i]
	}

	var byParticipants float64
	var inc []float64
	for p := 0; p < in.nP; p++ {
		k := 0
		for s := 0; s < in.nS; s++ {
			if in.avail[p*in.nS+s] {
				k++
			}
		}
		k = min(k, int(in.cap[p]))
		inc = inc[:0]
		for _, r := range in.inc[p] {
			if len(in.allowed[r]) > 0 {
				inc = append(inc, in.w[r])
			}
		}
		sort.Sort(sort.Reverse(sort.Float64Slice(inc)))
		for i := 0; i < len(inc) && i < k; i++ {
			byParticipants += inc[i] / 2
		}
	}
	return min(total, byTables, byParticipants)
}

// lagrangeBound relaxes the 0-1 model — x[r,s] = 1 when request r meets in slot s;
// each request at most once; each participant at most once per slot; at most tables
// meetings per slot; at most maxMeetings per participant — by moving all constraints
// but "each request at most once" into the objective with multipliers λ[p,s], μ[s],
// ν[p] ≥ 0:
//
//	L = Σλ + Σ μ[s]·tables[s] + Σ ν[p]·cap[p] + Σ_r max(0, max_s w[r] − λ[a,s] − λ[b,s] − μ[s] − ν[a] − ν[b])
//
// Every choice of multipliers gives a bound; a fixed number of subgradient steps
// (Polyak's rule, aiming at the weight of a first-fit schedule) lowers it towards the
// bound of the linear relaxation. Fixed meetings
// are treated as ordinary requests, which only loosens the bound.
// Subgradient steps of lagrangeBound: at most lagrangeIters, and fewer on large events
// so that a bound costs at most about lagrangeWork request-slot evaluations.
const lagrangeIters, lagrangeWork = 1000, 60_000_000

func lagrangeBound(in *instance) float64 {
	work := 0
	for r := 0; r < in.nR; r++ {
		work += len(in.allowed[r])
	}
	if work == 0 {
		return 0
	}
	iters := min(lagrangeIters, lagrangeWork/work)
	lam := make([]float64, in.nP*in.nS)
	mu := make([]float64, in.nS)
	nu := make([]float64, in.nP)
	gl := make([]float64, in.nP*in.nS)
	gm := make([]float64, in.nS)
	gn := make([]float64, in.nP)
	capped := make([]bool, in.nP)
	for p := range capped {
		capped[p] = in.cap[p] < math.MaxInt32
	}
	lb := firstFit(in)
	best := math.Inf(1)
	theta, stall := 2.0, 0
	for it := 0; it < iters; it++ {
		// Value of the relaxed problem and a subgradient.
		L := 0.0
		for i, v := range lam {
			L += v
			gl[i] = 1
		}
		for s, v := range mu {
			L += v * float64(in.tables[s])
			gm[s] = float64(in.tables[s])
		}
		for p, v := range nu {
			gn[p] = 0
			if capped[p] {
				L += v * float64(in.cap[p])
				gn[p] = float64(in.cap[p])
			}
		}
		for r := 0; r < in.nR; r++ {
			a, b := int(in.ra[r]), int(in.rb[r])
			bv, bs := 0.0, int32(-1)
			for _, s := range in.allowed[r] {
				v := in.w[r] - lam[a*in.nS+int(s)] - lam[b*in.nS+int(s)] - mu[s] - nu[a] - nu[b]
				if v > bv {
					bv, bs = v, s
				}
			}
			if bs < 0 {
				continue
			}
			L += bv
			gl[a*in.nS+int(bs)]--
			gl[b*in.nS+int(bs)]--
			gm[bs]--
			gn[a]--
			gn[b]--
		}
		if it == 0 || L < best-1e-9*(1+best) {
			best, stall = L, 0
		} else if stall++; stall >= 20 {
			theta, stall = theta/2, 0
		}
		// Only components that can move count in the step: a multiplier at 0 with a
		// positive subgradient stays at 0.
		norm := 0.0
		for i, g := range gl {
			if g < 0 || lam[i] > 0 {
				norm += g * g
			}
		}
		for s, g := range gm {
			if g < 0 || mu[s] > 0 {
				norm += g * g
			}
		}
		for p, g := range gn {
			if capped[p] && (g < 0 || nu[p] > 0) {
				norm += g * g
			}
		}
		if norm == 0 || theta < 1e-4 {
			break // the relaxed solution is feasible, or the steps have become too small
		}
		step := theta * (L - lb) / norm
		for i, g := range gl {
			lam[i] = max(0, lam[i]-step*g)
		}
		for s, g := range gm {
			mu[s] = max(0, mu[s]-step*g)
		}
		for p, g := range gn {
			if capped[p] {
				nu[p] = max(0, nu[p]-step*g)
			}
		}
	}
	return best
}

// firstFit returns the weight of the schedule that places requests by weight, each in
// the first slot where it fits: a lower bound that sizes the subgradient steps.
func firstFit(in *instance) float64 {
	st := newState(in)
	order := make([]int32, 0, in.nR)
	for r := 0; r < in.nR; r++ {
		if st.slot[r] < 0 && len(in.allowed[r]) > 0 {
			order = append(order, int32(r))
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return in.w[order[i]] > in.w[order[j]] })
	for _, r := range order {
		for _, s := range in.allowed[r] {
			if st.fits(r, s) {
				st.place(r, s)
				break
			}
		}
	}
	return st.exactWeight()
}
