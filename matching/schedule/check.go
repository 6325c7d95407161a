package schedule

import (
	"fmt"
	"math"
	"sort"
)

// Check verifies a solution against its problem and returns an *InvalidError listing
// every violation: a participant twice in a slot, a table outside 1..tables or used twice
// in a slot, a meeting in a slot a participant is unavailable in or not allowed to meet
// in, a cap exceeded, a request scheduled twice or neither scheduled nor listed, a
// reason that does not hold, a fixed meeting moved or dropped, stats that differ from
// the ones recomputed from the meetings. A problem that does not validate is reported
// as its own error.
func Check(p *Problem, s *Solution) error {
	if err := p.Validate(); err != nil {
		return fmt.Errorf("problem: %w", err)
	}
	in := compile(p)
	var e errs
	if s == nil {
		e.add("solution", "", "is missing")
		return e.err()
	}
	slots, ok := checkMeetings(in, s, &e)
	if !ok {
		return e.err()
	}
	st := newState(in)
	st.load(slots)
	for i, u := range s.Unscheduled {
		r := int32(in.reqIn[u.Request])
		if want := reason(st, r); u.Reason != want {
			e.add(fmt.Sprintf("unscheduled[%d]", i), u.Request, "reason %q does not hold: %s", u.Reason, explain(st, r, want))
		}
	}
	w, breaks, idle := measure(p, s.Meetings)
	if math.Abs(s.Stats.Weight-w) > 1e-6*(1+math.Abs(w)) {
		e.add("stats.weight", "", "is %v, the meetings weigh %v", s.Stats.Weight, w)
	}
	if s.Stats.Breaks != breaks {
		e.add("stats.breaks", "", "is %d, the agendas have %d", s.Stats.Breaks, breaks)
	}
	if s.Stats.Idle != idle {
		e.add("stats.idle", "", "is %d, the agendas have %d", s.Stats.Idle, idle)
	}
	ub := upperBound(in)
	if math.Abs(s.Stats.UpperBound-ub) > 1e-6*(1+ub) {
		e.add("stats.upperBound", "", "is %v, the bound is %v", s.Stats.UpperBound, ub)
	}
	if g := gap(w, ub); math.Abs(s.Stats.Gap-g) > 1e-6 {
		e.add("stats.gap", "", "is %v, should be %v", s.Stats.Gap, g)
	}
	if s.Stats.Seconds < 0 {
		e.add("stats.seconds", "", "is negative")
	}
	return e.err()
}

// checkMeetings checks the meetings and the list of unscheduled requests of s one by
// one, and returns each request's internal slot (-1 if unscheduled); ok is false when
// the meetings are inconsistent, so that reasons and stats cannot be recomputed.
func checkMeetings(in *instance, s *Solution, e *errs) (slots []int32, ok bool) {
	p := in.p
	slots = make([]int32, in.nR)
	for r := range slots {
		slots[r] = -1
	}
	seen := make(map[string]string, in.nR)
	tableAt := make(map[[2]int]int)
	busyAt := make(map[[2]int]int)
	deg := make([]int, in.nP)
	n0 := len(e.list)
	for i, m := range s.Meetings {
		f := fmt.Sprintf("meetings[%d]", i)
		ri, known := in.reqIn[m.Request]
		if !known {
			e.add(f, m.Request, "request %q is unknown", m.Request)
			continue
		}
		if prev, dup := seen[m.Request]; dup {
			e.add(f, m.Request, "request is scheduled twice (also %s)", prev)
			continue
		}
		seen[m.Request] = f
		q := p.Requests[ri]
		if !(m.A == q.A && m.B == q.B) && !(m.A == q.B && m.B == q.A) {
			e.add(f, m.Request, "participants %q and %q differ from the request's %q and %q", m.A, m.B, q.A, q.B)
		}
		si, known := in.slotIn[m.Slot]
		if !known {
			e.add(f, m.Request, "slot %q is unknown", m.Slot)
			continue
		}
		slot := p.Slots[in.slotOrig[si]]
		if m.Table < 1 || m.Table > slot.Tables {
			e.add(f, m.Request, "table %d is not in 1..%d of slot %q", m.Table, slot.Tables, slot.ID)
		} else if j, dup := tableAt[[2]int{si, m.Table}]; dup {
			e.add(f, m.Request, "table %d in slot %q is also used by meetings[%d]", m.Table, slot.ID, j)
		} else {
			tableAt[[2]int{si, m.Table}] = i
		}
		for _, pid := range [2]string{q.A, q.B} {
			pi := in.partIn[pid]
			if why := unavailableWhy(p.Participants[pi], slot); why != "" {
				e.add(f, m.Request, "%s", why)
			}
			if j, dup := busyAt[[2]int{pi, si}]; dup {
				e.add(f, m.Request, "participant %q also meets in slot %q in meetings[%d]", pid, slot.ID, j)
			} else {
				busyAt[[2]int{pi, si}] = i
			}
			deg[pi]++
			if c := p.Participants[pi].MaxMeetings; c > 0 && deg[pi] == c+1 {
				e.add(f, m.Request, "participant %q has more meetings than its maxMeetings %d", pid, c)
			}
		}
		if fs := in.fixedSlot[ri]; fs >= 0 && (fs != int32(si) || in.fixedTable[ri] != int32(m.Table)) {
			e.add(f, m.Request, "fixed meeting moved: it must stay in slot %q at table %d", p.Slots[in.slotOrig[fs]].ID, in.fixedTable[ri])
		}
		slots[ri] = int32(si)
	}
	for i, u := range s.Unscheduled {
		f := fmt.Sprintf("unscheduled[%d]", i)
		ri, known := in.reqIn[u.Request]
		if !known {
			e.add(f, u.Request, "request %q is unknown", u.Request)
			continue
		}
		if prev, dup := seen[u.Request]; dup {
			e.add(f, u.Request, "request is also in %s", prev)
			continue
		}
		seen[u.Request] = f
		if in.fixedSlot[ri] >= 0 {
			e.add(f, u.Request, "fixed meeting dropped")
		}
		switch u.Reason {
		case ReasonNoCommonSlot, ReasonParticipantCap, ReasonTablesFull, ReasonOutweighed, ReasonFits:
		default:
			e.add(f, u.Request, "reason %q is not one of %s, %s, %s, %s, %s", u.Reason,
				ReasonNoCommonSlot, ReasonParticipantCap, ReasonTablesFull, ReasonOutweighed, ReasonFits)
		}
	}
	for i, q := range p.Requests {
		if _, ok := seen[q.ID]; !ok {
			e.add(fmt.Sprintf("requests[%d]", i), q.ID, "neither scheduled nor listed as unscheduled")
		}
	}
	return slots, len(e.list) == n0
}

// explain says what holds for unscheduled request r instead of a wrong reason.
func explain(st *state, r int32, want string) string {
	in := st.in
	q := in.p.Requests[r]
	switch want {
	case ReasonNoCommonSlot:
		return fmt.Sprintf("%s and %s share no slot", q.A, q.B)
	case ReasonParticipantCap:
		for _, p := range [2]int32{in.ra[r], in.rb[r]} {
			if st.deg[p] >= in.cap[p] {
				return fmt.Sprintf("%s is at its maxMeetings %d", in.p.Participants[p].ID, in.cap[p])
			}
		}
	case ReasonFits:
		for _, s := range in.allowed[r] {
			if st.fits(r, s) {
				return fmt.Sprintf("it fits in slot %q", in.p.Slots[in.slotOrig[s]].ID)
			}
		}
	case ReasonTablesFull:
		return fmt.Sprintf("%s and %s are both free only in slots whose tables are full", q.A, q.B)
	}
	return fmt.Sprintf("in every common slot %s or %s meets someone else", q.A, q.B)
}

// measure recomputes weight, breaks and idle slots of meetings straight from the problem,
// independently of the search's bookkeeping.
func measure(p *Problem, meetings []Meeting) (w float64, breaks, idle int) {
	weight := make(map[string]float64, len(p.Requests))
	for _, r := range p.Requests {
		weight[r.ID] = r.Weight
	}
	sessions := make(map[string][]Slot)
	var names []string
	for _, s := range p.Slots {
		if _, ok := sessions[s.Session]; !ok {
			names = append(names, s.Session)
		}
		sessions[s.Session] = append(sessions[s.Session], s)
	}
	busy := make(map[[2]string]bool)
	// Sum in request order, as Solve does, so equal schedules give equal floats.
	scheduled := make(map[string]bool, len(meetings))
	for _, m := range meetings {
		busy[[2]string{m.A, m.Slot}] = true
		busy[[2]string{m.B, m.Slot}] = true
		scheduled[m.Request] = true
	}
	for _, r := range p.Requests {
		if scheduled[r.ID] {
			w += weight[r.ID]
		}
	}
	for _, name := range names {
		list := sessions[name]
		sort.SliceStable(list, func(i, j int) bool {
			if !list[i].Start.Equal(list[j].Start) {
				return list[i].Start.Before(list[j].Start)
			}
			return list[i].ID < list[j].ID
		})
		for _, q := range p.Participants {
			first, last, n := -1, -1, 0
			for i, s := range list {
				if busy[[2]string{q.ID, s.ID}] {
					if first < 0 {
						first = i
					} else if last < i-1 {
						breaks++
					}
					last = i
					n++
				}
			}
			if n > 0 {
				idle += last - first + 1 - n
			}
		}
	}
	return w, breaks, idle
}
