package schedule

import (
	"sort"
)

// reason says why unscheduled request r is not in the schedule of st (see the Reason
// constants).
func reason(st *state, r int32) string {
	in := st.in
	a, b := in.ra[r], in.rb[r]
	if len(in.allowed[r]) == 0 {
		return ReasonNoCommonSlot
	}
	if st.deg[a] >= in.cap[a] || st.deg[b] >= in.cap[b] {
		return ReasonParticipantCap
	}
	why := ReasonOutweighed
	for _, s := range in.allowed[r] {
		if st.busy[int(a)*in.nS+int(s)] < 0 && st.busy[int(b)*in.nS+int(s)] < 0 {
			if st.count[s] < in.tables[s] {
				return ReasonFits
			}
			why = ReasonTablesFull
		}
	}
	return why
}

// solution turns a state into a Solution: meetings in slot order, fixed meetings at their
// tables and the others at the lowest free tables in request order; unscheduled
// requests in request order with their reasons.
func solution(st *state, ub float64) *Solution {
	in, p := st.in, st.in.p
	sol := &Solution{Meetings: []Meeting{}, Unscheduled: []Unscheduled{}}
	for s := 0; s < in.nS; s++ {
		list := append([]int32(nil), st.inSlot[s]...)
		sort.Slice(list, func(i, j int) bool { return list[i] < list[j] })
		taken := make([]bool, in.tables[s]+1)
		for _, r := range list {
			if in.fixedSlot[r] >= 0 {
				taken[in.fixedTable[r]] = true
			}
		}
		next := 1
		slotID := p.Slots[in.slotOrig[s]].ID
		for _, r := range list {
			t := int(in.fixedTable[r])
			if in.fixedSlot[r] < 0 {
				for taken[next] {
					next++
				}
				t = next
				taken[t] = true
			}
			q := p.Requests[r]
			sol.Meetings = append(sol.Meetings, Meeting{Request: q.ID, A: q.A, B: q.B, Slot: slotID, Table: t})
		}
	}
	for r := 0; r < in.nR; r++ {
		if st.slot[r] < 0 {
			sol.Unscheduled = append(sol.Unscheduled, Unscheduled{Request: p.Requests[r].ID, Reason: reason(st, int32(r))})
		}
	}
	sol.Stats = Stats{
		Weight:     st.exactWeight(),
		Breaks:     st.breaks,
		Idle:       st.idle,
		UpperBound: ub,
		Gap:        gap(st.exactWeight(), ub),
	}
	return sol
}

func gap(w, ub float64) float64 {
	if ub <= 0 {
		return 0
	}
	return (ub - w) / ub
}
