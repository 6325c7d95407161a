package schedule

import "math/rand/v2"

// search is one chain of the local search: a state, its random source and the best
// schedule it has seen.
type search struct {
	st      *state
	in      *instance
	rng     *rand.Rand
	victims []int32
	parts   []int32
}

// free reports whether both sides of r are free in slot s, may meet there, and a table
// is left; caps are not looked at (moving a meeting does not change them).
func (se *search) free(r, s int32) bool {
	st, in := se.st, se.in
	return st.busy[int(in.ra[r])*in.nS+int(s)] < 0 && st.busy[int(in.rb[r])*in.nS+int(s)] < 0 &&
		st.count[s] < in.tables[s] && in.can(r, s)
}

// insertBest places unscheduled request r in the free slot that adds the least agenda
// cost; ties go to the earliest slot, or to a random one when random is set.
func (se *search) insertBest(r int32, random bool) bool {
	st, in := se.st, se.in
	a, b := in.ra[r], in.rb[r]
	if st.deg[a] >= in.cap[a] || st.deg[b] >= in.cap[b] {
		return false
	}
	best, bestC, ties := int32(-1), int32(0), 0
	for _, s := range in.allowed[r] {
		if !se.free(r, s) {
			continue
		}
		c := st.addCost(r, s)
		switch {
		case best < 0 || c < bestC:
			best, bestC, ties = s, c, 1
		case c == bestC && random:
			ties++
			if se.rng.IntN(ties) == 0 {
				best = s
			}
		}
	}
	if best < 0 {
		return false
	}
	st.place(r, best)
	return true
}

// chain collects the Kempe chain of meeting m between slots s1 and s2: the meetings in
// those two slots connected to m through shared participants. Swapping the slots of a
// whole chain keeps every participant at one meeting per slot. It reports the chain's
// meetings in s1 and in s2, and false if a meeting of the chain is fixed or may not meet
// in the other slot. The chain is left in se.st.chainBuf, its members marked with
// se.st.stamp.
func (se *search) chain(m, s1, s2 int32) (n1, n2 int32, ok bool) {
	st, in := se.st, se.in
	st.stamp++
	if st.stamp == 0 {
		for i := range st.mark {
			st.mark[i] = 0
		}
		st.stamp = 1
	}
	buf := append(st.chainBuf[:0], m)
	st.mark[m] = st.stamp
	ok = true
	for i := 0; i < len(buf); i++ {
		x := buf[i]
		sx := st.slot[x]
		o := s1 + s2 - sx
		if sx == s1 {
			n1++
		} else {
			n2++
		}
		if in.fixedSlot[x] >= 0 || !in.can(x, o) {
			ok = false
		}
		for _, p := range [2]int32{in.ra[x], in.rb[x]} {
			y := st.busy[int(p)*in.nS+int(o)]
			if y >= 0 && st.mark[y] != st.stamp {
				st.mark[y] = st.stamp
				buf = append(buf, y)
			}
		}
	}
	st.chainBuf = buf
	return n1, n2, ok
}

// swapChain exchanges slots s1 and s2 for every meeting of the chain in st.chainBuf.
func (se *search) swapChain(s1, s2 int32) {
	st := se.st
	tmp := st.tmp[:0]
	for _, x := range st.chainBuf {
		tmp = append(tmp, st.slot[x])
		st.remove(x)
	}
	for i, x := range st.chainBuf {
		st.place(x, s1+s2-tmp[i])
	}
	st.tmp = tmp
}

// kempeInsert places unscheduled r in a slot α where one side is free and the other
// meets someone, by swapping α with another slot β along the Kempe chain of that
// meeting (the edge-colouring move of Vizing's theorem). It tries at most limit chains.
func (se *search) kempeInsert(r int32, limit int) bool {
	st, in := se.st, se.in
	a, b := in.ra[r], in.rb[r]
	if st.deg[a] >= in.cap[a] || st.deg[b] >= in.cap[b] {
		return false
	}
	al := in.allowed[r]
	off := se.rng.IntN(len(al))
	for i := range al {
		alpha := al[(i+off)%len(al)]
		ma, mb := st.busy[int(a)*in.nS+int(alpha)], st.busy[int(b)*in.nS+int(alpha)]
		if (ma >= 0) == (mb >= 0) {
			continue
		}
		// x is free in alpha, y meets m there.
		x, y, m := a, b, mb
		if ma >= 0 {
			x, y, m = b, a, ma
		}
		if in.fixedSlot[m] >= 0 {
			continue
		}
		boff := se.rng.IntN(in.nS)
		for j := 0; j < in.nS; j++ {
			beta := int32((j + boff) % in.nS)
			if beta == alpha || st.busy[int(y)*in.nS+int(beta)] >= 0 || !in.avail[int(y)*in.nS+int(beta)] {
				continue
			}
			if limit--; limit < 0 {
				return false
			}
			n1, n2, ok := se.chain(m, alpha, beta)
			if !ok {
				continue
			}
			if xb := st.busy[int(x)*in.nS+int(beta)]; xb >= 0 && st.mark[xb] == st.stamp {
				continue // the chain would bring x's meeting into alpha
			}
			if st.count[alpha]-n1+n2+1 > in.tables[alpha] || st.count[beta]-n2+n1 > in.tables[beta] {
				continue
			}
			se.swapChain(alpha, beta)
			st.place(r, alpha)
			return true
		}
	}
	return false
}

// relocateFrom moves one meeting out of slot s into another free slot, looking at up to
// limit meetings of s.
func (se *search) relocateFrom(s int32, limit int) bool {
	st, in := se.st, se.in
	list := st.inSlot[s]
	if len(list) == 0 {
		return false
	}
	off := se.rng.IntN(len(list))
	for i := 0; i < len(list) && i < limit; i++ {
		m := list[(i+off)%len(list)]
		if in.fixedSlot[m] >= 0 {
			continue
		}
		al := in.allowed[m]
		toff := se.rng.IntN(len(al))
		for j := range al {
			t := al[(j+toff)%len(al)]
			if t != s && se.free(m, t) {
				st.move(m, t)
				return true
			}
		}
	}
	return false
}

// lightestOf returns participant p's lightest meeting that is not fixed, or -1.
func (se *search) lightestOf(p int32) int32 {
	st, in := se.st, se.in
	row := st.busy[int(p)*in.nS : int(p+1)*in.nS]
	best, ties := int32(-1), 0
	for _, m := range row {
		if m < 0 || in.fixedSlot[m] >= 0 {
			continue
		}
		switch {
		case best < 0 || in.w[m] < in.w[best]:
			best, ties = m, 1
		case in.w[m] == in.w[best]:
			ties++
			if se.rng.IntN(ties) == 0 {
				best = m
			}
		}
	}
	return best
}

// lightestIn returns the lightest meeting of slot s that is not fixed, or -1, looking at
// up to limit meetings.
func (se *search) lightestIn(s int32, limit int) int32 {
	st, in := se.st, se.in
	list := st.inSlot[s]
	if len(list) == 0 {
		return -1
	}
	off := se.rng.IntN(len(list))
	best := int32(-1)
	for i := 0; i < len(list) && i < limit; i++ {
		m := list[(i+off)%len(list)]
		if in.fixedSlot[m] >= 0 {
			continue
		}
		if best < 0 || in.w[m] < in.w[best] {
			best = m
		}
	}
	return best
}

// ejectInsert places unscheduled request r in slot s, ejecting what stands in the way:
// the meetings its two sides have in s, a meeting of a side at its cap, a meeting of s
// when its tables are full (unless one can move to another slot). It then tries to put
// every ejected meeting back elsewhere, directly or along a Kempe chain, and fills the
// room it made with other waiting requests of the participants involved (an ejection
// chain of depth two). It reports false, leaving the changes for the caller to revert,
// when a fixed meeting stands in the way.
func (se *search) ejectInsert(r, s int32) bool {
	st, in := se.st, se.in
	a, b := in.ra[r], in.rb[r]
	vs := se.victims[:0]
	for _, p := range [2]int32{a, b} {
		m := st.busy[int(p)*in.nS+int(s)]
		if m < 0 {
			continue
		}
		if in.fixedSlot[m] >= 0 {
			return false
		}
		st.remove(m)
		vs = append(vs, m)
	}
	for _, p := range [2]int32{a, b} {
		if st.deg[p] < in.cap[p] {
			continue
		}
		m := se.lightestOf(p)
		if m < 0 {
			return false
		}
		st.remove(m)
		vs = append(vs, m)
	}
	if st.count[s] >= in.tables[s] && !se.relocateFrom(s, 8) {
		m := se.lightestIn(s, 16)
		if m < 0 {
			return false
		}
		st.remove(m)
		vs = append(vs, m)
	}
	st.place(r, s)
	// Heaviest first back in.
	for i := 1; i < len(vs); i++ {
		for j := i; j > 0 && in.w[vs[j]] > in.w[vs[j-1]]; j-- {
			vs[j], vs[j-1] = vs[j-1], vs[j]
		}
	}
	// The victims' other sides are the ones with new room (a and b have less).
	ps := se.parts[:0]
	for _, v := range vs {
		if !se.insertBest(v, true) {
			se.kempeInsert(v, 24)
		}
		for _, q := range [2]int32{in.ra[v], in.rb[v]} {
			if q != a && q != b {
				ps = append(ps, q)
			}
		}
	}
	if len(vs) > 0 && st.slot[vs[0]] < 0 {
		// A side's meeting left for good: that side may have room elsewhere too.
		ps = append(ps, a, b)
	}
	se.victims, se.parts = vs, ps
	se.fill(ps)
	return true
}

// fill places, where they fit directly, waiting requests of the given participants.
func (se *search) fill(ps []int32) {
	st, in := se.st, se.in
	for _, p := range ps {
		if st.deg[p] >= in.cap[p] {
			continue
		}
		for _, q := range in.inc[p] {
			if st.slot[q] < 0 && in.fixedSlot[q] < 0 && len(in.allowed[q]) > 0 {
				se.insertBest(q, true)
			}
		}
	}
}

// kempeMove swaps meeting m's slot with slot t along m's Kempe chain, or simply moves
// it when both sides are free in t. It reports false (with nothing changed) when the
// chain is infeasible.
func (se *search) kempeMove(m, t int32) bool {
	st, in := se.st, se.in
	s := st.slot[m]
	if s == t || in.fixedSlot[m] >= 0 {
		return false
	}
	if se.free(m, t) {
		st.move(m, t)
		return true
	}
	n1, n2, ok := se.chain(m, s, t)
	if !ok || st.count[s]-n1+n2 > in.tables[s] || st.count[t]-n2+n1 > in.tables[t] {
		return false
	}
	se.swapChain(s, t)
	return true
}
