package schedule

// state is a schedule under construction: which slot each request is in, with the
// indexes the moves need, kept consistent by place and remove. With logging on, every
// change is recorded so that a rejected move can be undone exactly.
type state struct {
	in *instance

	slot  []int32 // per request: internal slot, or -1
	busy  []int32 // nP*nS: the request a participant meets in a slot, or -1
	count []int32 // per slot: meetings
	deg   []int32 // per participant: meetings

	inSlot [][]int32 // per slot: its meetings
	pos    []int32   // per request: index in inSlot or in open
	open   []int32   // unscheduled requests that could be placed somewhere

	weight        float64
	brk, idl      []int32 // nP*nK: breaks and idle slots per participant and session
	breaks, idle  int
	logging       bool
	log           []change
	stamp         int32
	mark          []int32 // per request, for chains
	chainBuf, tmp []int32
}

type change struct{ r, from, to int32 }

func newState(in *instance) *state {
	st := &state{
		in:     in,
		slot:   make([]int32, in.nR),
		busy:   make([]int32, in.nP*in.nS),
		count:  make([]int32, in.nS),
		deg:    make([]int32, in.nP),
		inSlot: make([][]int32, in.nS),
		pos:    make([]int32, in.nR),
		brk:    make([]int32, in.nP*in.nK),
		idl:    make([]int32, in.nP*in.nK),
		mark:   make([]int32, in.nR),
	}
	for i := range st.busy {
		st.busy[i] = -1
	}
	for r := range st.slot {
		st.slot[r] = -1
	}
	for r := 0; r < in.nR; r++ {
		if in.fixedSlot[r] >= 0 {
			st.place(int32(r), in.fixedSlot[r])
		}
	}
	for r := 0; r < in.nR; r++ {
		if st.slot[r] < 0 && len(in.allowed[r]) > 0 {
			st.pos[r] = int32(len(st.open))
			st.open = append(st.open, int32(r))
		}
	}
	return st
}

// clone copies the state (without its log).
func (st *state) clone() *state {
	c := newState(st.in)
	c.load(st.slot)
	return c
}

// load replaces the schedule by the assignment slots (fixed meetings included).
func (st *state) load(slots []int32) {
	lg := st.logging
	st.logging = false
	for r := range st.slot {
		if st.slot[r] >= 0 && st.slot[r] != slots[r] {
			st.remove(int32(r))
		}
	}
	for r := range st.slot {
		if slots[r] >= 0 && st.slot[r] != slots[r] {
			st.place(int32(r), slots[r])
		}
	}
	st.logging = lg
	st.log = st.log[:0]
}

// fits reports whether request r can be placed in slot s without moving anything.
func (st *state) fits(r, s int32) bool {
	in := st.in
	a, b := in.ra[r], in.rb[r]
	return st.busy[int(a)*in.nS+int(s)] < 0 && st.busy[int(b)*in.nS+int(s)] < 0 &&
		st.count[s] < in.tables[s] && st.deg[a] < in.cap[a] && st.deg[b] < in.cap[b] && in.can(r, s)
}

func (st *state) place(r, s int32) {
	in := st.in
	a, b := in.ra[r], in.rb[r]
	st.slot[r] = s
	st.busy[int(a)*in.nS+int(s)] = r
	st.busy[int(b)*in.nS+int(s)] = r
	st.count[s]++
	st.deg[a]++
	st.deg[b]++
	st.weight += in.w[r]
	if len(in.allowed[r]) > 0 && in.fixedSlot[r] < 0 && st.pos[r] < int32(len(st.open)) && st.open[st.pos[r]] == r {
		last := st.open[len(st.open)-1]
		st.open[st.pos[r]] = last
		st.pos[last] = st.pos[r]
		st.open = st.open[:len(st.open)-1]
	}
	st.pos[r] = int32(len(st.inSlot[s]))
	st.inSlot[s] = append(st.inSlot[s], r)
	st.touch(a, s)
	st.touch(b, s)
	if st.logging {
		st.log = append(st.log, change{r, -1, s})
	}
}

func (st *state) remove(r int32) {
	in := st.in
	s := st.slot[r]
	a, b := in.ra[r], in.rb[r]
	st.slot[r] = -1
	st.busy[int(a)*in.nS+int(s)] = -1
	st.busy[int(b)*in.nS+int(s)] = -1
	st.count[s]--
	st.deg[a]--
	st.deg[b]--
	st.weight -= in.w[r]
	list := st.inSlot[s]
	last := list[len(list)-1]
	list[st.pos[r]] = last
	st.pos[last] = st.pos[r]
	st.inSlot[s] = list[:len(list)-1]
	st.pos[r] = int32(len(st.open))
	st.open = append(st.open, r)
	st.touch(a, s)
	st.touch(b, s)
	if st.logging {
		st.log = append(st.log, change{r, s, -1})
	}
}

// move puts scheduled request r into slot s.
func (st *state) move(r, s int32) {
	st.remove(r)
	st.place(r, s)
}

// revert undoes the changes logged since mark.
func (st *state) revert(mark int) {
	lg := st.logging
	st.logging = false
	for i := len(st.log) - 1; i >= mark; i-- {
		c := st.log[i]
		if c.to >= 0 {
			st.remove(c.r)
		}
		if c.from >= 0 {
			st.place(c.r, c.from)
		}
	}
	st.log = st.log[:mark]
	st.logging = lg
}

// touch recounts the breaks and idle slots of participant p in the session of slot s.
func (st *state) touch(p, s int32) {
	in := st.in
	k := in.sess[s]
	nb, ni := st.sessCost(p, k, -1, -1)
	i := int(p)*in.nK + int(k)
	st.breaks += int(nb - st.brk[i])
	st.idle += int(ni - st.idl[i])
	st.brk[i], st.idl[i] = nb, ni
}

// sessCost counts the breaks and idle slots of participant p in session k, as if p also
// met in slot add and did not meet in slot del (-1 for neither).
func (st *state) sessCost(p, k, add, del int32) (brk, idl int32) {
	in := st.in
	row := st.busy[int(p)*in.nS : int(p+1)*in.nS]
	first, last := int32(-1), int32(-1)
	var n, runs int32
	prev := false
	for s := in.sessLo[k]; s < in.sessHi[k]; s++ {
		b := (row[s] >= 0 || s == add) && s != del
		if b {
			if first < 0 {
				first = s
			}
			last = s
			n++
			if !prev {
				runs++
			}
		}
		prev = b
	}
	if n == 0 {
		return 0, 0
	}
	return runs - 1, last - first + 1 - n
}

// cost is the lexicographic agenda cost: breaks first, then idle slots.
func (st *state) cost() int {
	return st.breaks*int(st.in.breakCost) + st.idle
}

// addCost is the change of cost if request r were added in slot s (r's sides free there).
func (st *state) addCost(r, s int32) int32 {
	in := st.in
	k := in.sess[s]
	var d int32
	for _, p := range [2]int32{in.ra[r], in.rb[r]} {
		nb, ni := st.sessCost(p, k, s, -1)
		i := int(p)*in.nK + int(k)
		d += (nb-st.brk[i])*in.breakCost + ni - st.idl[i]
	}
	return d
}

// better reports whether (w1, c1) beats (w2, c2): more weight, or as much and less cost.
func better(w1 float64, c1 int, w2 float64, c2 int) bool {
	eps := 1e-9 * (1 + abs(w1) + abs(w2))
	if w1 > w2+eps {
		return true
	}
	if w1 < w2-eps {
		return false
	}
	return c1 < c2
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// exactWeight sums the weights of the scheduled requests in request order, so that two
// equal schedules always report the same number.
func (st *state) exactWeight() float64 {
	var w float64
	for r, s := range st.slot {
		if s >= 0 {
			w += st.in.w[r]
		}
	}
	return w
}
