package schedule

import (
	"math"
	"sort"
)

// instance is a validated Problem compiled to dense indexes for the search. Slots are
// renumbered so that each session is a contiguous range ordered by start time, sessions
// ordered by their first start; the scheduler never iterates over a map, so a run
// depends on its seed alone.
type instance struct {
	p          *Problem
	nS, nP, nR int
	nK         int // sessions

	slotOrig []int          // internal slot → index in p.Slots
	slotIn   map[string]int // slot id → internal slot
	tables   []int32
	sess     []int32 // internal slot → session
	sessLo   []int32 // session → first internal slot
	sessHi   []int32 // session → one past its last internal slot
	sessName []string

	partIn map[string]int
	cap    []int32 // math.MaxInt32 when the participant has no cap
	avail  []bool  // nP*nS: available, allowed in the session and the slot has tables

	reqIn      map[string]int
	ra, rb     []int32
	w          []float64
	allowed    [][]int32 // per request: the internal slots both sides may meet in
	fixedSlot  []int32   // per request: internal slot of a fixed meeting, or -1
	fixedTable []int32
	inc        [][]int32 // per participant: incident requests, by index

	breakCost int32 // cost of one break in units of idle slots (lexicographic)
}

func compile(p *Problem) *instance {
	in := &instance{p: p, nS: len(p.Slots), nP: len(p.Participants), nR: len(p.Requests)}

	// Sessions in order of their first start, then name.
	first := map[string]int{}
	var names []string
	for i, s := range p.Slots {
		j, ok := first[s.Session]
		if !ok {
			first[s.Session] = i
			names = append(names, s.Session)
			continue
		}
		if s.Start.Before(p.Slots[j].Start) {
			first[s.Session] = i
		}
	}
	sort.SliceStable(names, func(x, y int) bool {
		a, b := p.Slots[first[names[x]]].Start, p.Slots[first[names[y]]].Start
		if !a.Equal(b) {
			return a.Before(b)
		}
		return names[x] < names[y]
	})
	sessIdx := make(map[string]int32, len(names))
	for k, n := range names {
		sessIdx[n] = int32(k)
	}
	in.nK = len(names)
	in.sessName = names

	in.slotOrig = make([]int, in.nS)
	for i := range in.slotOrig {
		in.slotOrig[i] = i
	}
	sort.SliceStable(in.slotOrig, func(x, y int) bool {
		a, b := p.Slots[in.slotOrig[x]], p.Slots[in.slotOrig[y]]
		if ka, kb := sessIdx[a.Session], sessIdx[b.Session]; ka != kb {
			return ka < kb
		}
		if !a.Start.Equal(b.Start) {
			return a.Start.Before(b.Start)
		}
		return a.ID < b.ID
	})
	in.slotIn = make(map[string]int, in.nS)
	in.tables = make([]int32, in.nS)
	in.sess = make([]int32, in.nS)
	in.sessLo = make([]int32, in.nK)
	in.sessHi = make([]int32, in.nK)
	for i, o := range in.slotOrig {
		s := p.Slots[o]
		in.slotIn[s.ID] = i
		in.tables[i] = int32(min(s.Tables, math.MaxInt32/4))
		k := sessIdx[s.Session]
		in.sess[i] = k
		if i == 0 || in.sess[i-1] != k {
			in.sessLo[k] = int32(i)
		}
		in.sessHi[k] = int32(i + 1)
	}
	longest := int32(1)
	for k := range in.sessLo {
		longest = max(longest, in.sessHi[k]-in.sessLo[k])
	}
	// A break can save up to longest-2 idle slots of one participant and a move touches a
	// handful of participants; this keeps one break worth more than the idle slots a
	// move trades for it.
	in.breakCost = 4*longest + 1

	in.partIn = make(map[string]int, in.nP)
	in.cap = make([]int32, in.nP)
	in.avail = make([]bool, in.nP*in.nS)
	for i, q := range p.Participants {
		in.partIn[q.ID] = i
		in.cap[i] = math.MaxInt32
		if q.MaxMeetings > 0 {
			in.cap[i] = int32(min(q.MaxMeetings, math.MaxInt32))
		}
		allowedSess := make([]bool, in.nK)
		if len(q.Sessions) == 0 {
			for k := range allowedSess {
				allowedSess[k] = true
			}
		}
		for _, n := range q.Sessions {
			allowedSess[sessIdx[n]] = true
		}
		for s := 0; s < in.nS; s++ {
			in.avail[i*in.nS+s] = allowedSess[in.sess[s]] && in.tables[s] > 0
		}
		for _, u := range q.Unavailable {
			in.avail[i*in.nS+in.slotIn[u]] = false
		}
	}

	in.reqIn = make(map[string]int, in.nR)
	in.ra = make([]int32, in.nR)
	in.rb = make([]int32, in.nR)
	in.w = make([]float64, in.nR)
	in.allowed = make([][]int32, in.nR)
	in.fixedSlot = make([]int32, in.nR)
	in.fixedTable = make([]int32, in.nR)
	in.inc = make([][]int32, in.nP)
	for i, r := range p.Requests {
		in.reqIn[r.ID] = i
		a, b := int32(in.partIn[r.A]), int32(in.partIn[r.B])
		in.ra[i], in.rb[i], in.w[i] = a, b, r.Weight
		for s := 0; s < in.nS; s++ {
			if in.avail[int(a)*in.nS+s] && in.avail[int(b)*in.nS+s] {
				in.allowed[i] = append(in.allowed[i], int32(s))
			}
		}
		in.fixedSlot[i] = -1
		in.inc[a] = append(in.inc[a], int32(i))
		in.inc[b] = append(in.inc[b], int32(i))
	}
	for _, m := range p.Fixed {
		r := in.reqIn[m.Request]
		in.fixedSlot[r] = int32(in.slotIn[m.Slot])
		in.fixedTable[r] = int32(m.Table)
	}
	return in
}

// can reports whether request r may meet in slot s at all.
func (in *instance) can(r, s int32) bool {
	return in.avail[int(in.ra[r])*in.nS+int(s)] && in.avail[int(in.rb[r])*in.nS+int(s)]
}

// other returns the participant of request r that is not p.
func (in *instance) other(r, p int32) int32 {
	if in.ra[r] == p {
		return in.rb[r]
	}
	return in.ra[r]
}
