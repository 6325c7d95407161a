package schedule

import (
	"fmt"
	"sort"
)

// Codes of a MoveError.
const (
	MoveUnknown      = "unknown"             // the request, the slot or the table does not exist
	MoveFixed        = "fixed"               // the request is a fixed meeting
	MoveUnavailable  = "unavailable"         // a side is unavailable in the slot
	MoveSession      = "session_not_allowed" // a side may not meet in the slot's session
	MoveBusy         = "participant_busy"    // a side already meets someone else in the slot
	MoveTableTaken   = "table_taken"         // another meeting has the table
	MoveTablesFull   = "tables_full"         // no table is left in the slot
	MoveCap          = "participant_cap"     // a side would exceed its maxMeetings
	MoveInvalidInput = "invalid_solution"    // the solution does not pass Check
)

// MoveError is a manual move that Move refuses, with a code for programs and a message
// for the organizer, e.g. "participant_busy: p3 already meets p9 in s4".
type MoveError struct {
	Code    string
	Message string
}

// Error returns "code: message".
func (e *MoveError) Error() string { return e.Code + ": " + e.Message }

func refuse(code, format string, args ...any) error {
	return &MoveError{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Move puts request in slot at table, for an organizer arranging a schedule by hand:
// the request may be scheduled elsewhere or not at all; table 0 takes the lowest free
// table; slot "" takes the meeting out of the schedule. It refuses with a *MoveError
// when the move would break a rule, and otherwise updates s in place: the meeting,
// every unscheduled request's reason (a request that now fits anywhere gets ReasonFits)
// and the stats (the bound and the seconds stay). s must pass Check.
func Move(p *Problem, s *Solution, request, slot string, table int) error {
	if err := Check(p, s); err != nil {
		return &MoveError{Code: MoveInvalidInput, Message: err.Error()}
	}
	in := compile(p)
	ri, ok := in.reqIn[request]
	if !ok {
		return refuse(MoveUnknown, "request %q is unknown", request)
	}
	q := p.Requests[ri]
	if in.fixedSlot[ri] >= 0 {
		return refuse(MoveFixed, "%s is a fixed meeting in %s", request, p.Slots[in.slotOrig[in.fixedSlot[ri]]].ID)
	}
	cur := -1
	for i, m := range s.Meetings {
		if m.Request == request {
			cur = i
		}
	}
	if slot == "" {
		if cur >= 0 {
			s.Meetings = append(s.Meetings[:cur], s.Meetings[cur+1:]...)
			s.Unscheduled = append(s.Unscheduled, Unscheduled{Request: request})
		}
		refresh(in, s)
		return nil
	}
	si, ok := in.slotIn[slot]
	if !ok {
		return refuse(MoveUnknown, "slot %q is unknown", slot)
	}
	sl := p.Slots[in.slotOrig[si]]
	for _, pid := range [2]string{q.A, q.B} {
		part := p.Participants[in.partIn[pid]]
		for _, u := range part.Unavailable {
			if u == slot {
				return refuse(MoveUnavailable, "%s is unavailable in %s", pid, slot)
			}
		}
		if why := unavailableWhy(part, sl); why != "" {
			return refuse(MoveSession, "%s may not meet in session %q of %s", pid, sl.Session, slot)
		}
	}
	if table < 0 || table > sl.Tables {
		return refuse(MoveUnknown, "%s has tables 1..%d, not %d", slot, sl.Tables, table)
	}
	taken := make(map[int]string)
	for i, m := range s.Meetings {
		if i == cur || m.Slot != slot {
			continue
		}
		taken[m.Table] = m.Request
		for _, pid := range [2]string{q.A, q.B} {
			if m.A == pid || m.B == pid {
				other := m.B
				if m.B == pid {
					other = m.A
				}
				return refuse(MoveBusy, "%s already meets %s in %s", pid, other, slot)
			}
		}
	}
	switch {
	case table == 0:
		for table = 1; table <= sl.Tables && taken[table] != ""; table++ {
		}
		if table > sl.Tables {
			return refuse(MoveTablesFull, "all %d tables of %s are taken", sl.Tables, slot)
		}
	case taken[table] != "":
		return refuse(MoveTableTaken, "table %d of %s is taken by %s", table, slot, taken[table])
	}
	if cur < 0 {
		deg := make(map[string]int)
		for _, m := range s.Meetings {
			deg[m.A]++
			deg[m.B]++
		}
		for _, pid := range [2]string{q.A, q.B} {
			if c := p.Participants[in.partIn[pid]].MaxMeetings; c > 0 && deg[pid] >= c {
				return refuse(MoveCap, "%s already has %d meetings (maxMeetings %d)", pid, deg[pid], c)
			}
		}
	}
	m := Meeting{Request: request, A: q.A, B: q.B, Slot: slot, Table: table}
	if cur >= 0 {
		s.Meetings[cur] = m
	} else {
		s.Meetings = append(s.Meetings, m)
		for i, u := range s.Unscheduled {
			if u.Request == request {
				s.Unscheduled = append(s.Unscheduled[:i], s.Unscheduled[i+1:]...)
				break
			}
		}
	}
	refresh(in, s)
	return nil
}

// refresh reorders s's meetings by slot and table and its unscheduled requests by
// request order, and recomputes their reasons and the stats.
func refresh(in *instance, s *Solution) {
	sort.SliceStable(s.Meetings, func(i, j int) bool {
		a, b := in.slotIn[s.Meetings[i].Slot], in.slotIn[s.Meetings[j].Slot]
		if a != b {
			return a < b
		}
		return s.Meetings[i].Table < s.Meetings[j].Table
	})
	sort.SliceStable(s.Unscheduled, func(i, j int) bool {
		return in.reqIn[s.Unscheduled[i].Request] < in.reqIn[s.Unscheduled[j].Request]
	})
	st := newState(in)
	slots := make([]int32, in.nR)
	for r := range slots {
		slots[r] = -1
	}
	for _, m := range s.Meetings {
		slots[in.reqIn[m.Request]] = int32(in.slotIn[m.Slot])
	}
	st.load(slots)
	for i, u := range s.Unscheduled {
		s.Unscheduled[i].Reason = reason(st, int32(in.reqIn[u.Request]))
	}
	s.Stats.Weight = st.exactWeight()
	s.Stats.Breaks = st.breaks
	s.Stats.Idle = st.idle
	s.Stats.Gap = gap(s.Stats.Weight, s.Stats.UpperBound)
}
