// Package schedule plans the 1:1 meetings of a matchmaking event (洽谈会, a B2B
// brokerage event): it chooses which meeting requests become meetings and places each
// in a time slot and at a table, so that the total weight of the meetings is as large as
// possible, then participants' agendas have as few breaks as possible, then as few idle
// slots as possible. Every request it cannot place comes back with a reason.
//
// The package is pure Go and imports nothing else from the project, so the scheduler
// can run in the API server, in the `rongtong schedule` command (see Main) or in a test.
// The file format is described in docs/schedule-format.md, the measured quality against
// an exact solver in docs/scheduling-quality.md.
package schedule

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"
)

// Slot is a time slot of the event in which meetings take place in parallel, one per
// table. Slots of one session (a half day, say) form one agenda: breaks and idle slots
// are counted between meetings of the same session only.
type Slot struct {
	ID      string    `json:"id"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	Session string    `json:"session,omitempty"`
	Tables  int       `json:"tables"`
}

// Participant is an organisation taking part in the event: an SME, a lead enterprise
// (龙头企业), an investor or an institution.
type Participant struct {
	ID string `json:"id"`
	// MaxMeetings caps the participant's meetings; 0 means no cap.
	MaxMeetings int `json:"maxMeetings,omitempty"`
	// Unavailable lists the IDs of slots in which the participant cannot meet.
	Unavailable []string `json:"unavailable,omitempty"`
	// Sessions, when not empty, lists the only sessions in which it may meet.
	Sessions []string `json:"sessions,omitempty"`
}

// Request is a wish of two participants to meet; Weight says how much the meeting is
// worth (a matching score, a priority set by the organizer, or 1 for all).
type Request struct {
	ID     string  `json:"id"`
	A      string  `json:"a"`
	B      string  `json:"b"`
	Weight float64 `json:"weight"`
}

// Meeting is a request placed in a slot at a table; tables are numbered 1..Slot.Tables.
type Meeting struct {
	Request string `json:"request"`
	A       string `json:"a"`
	B       string `json:"b"`
	Slot    string `json:"slot"`
	Table   int    `json:"table"`
}

// Problem is one event to schedule. Fixed meetings (already published, or placed by
// hand) stay where they are; the scheduler places the other requests around them.
type Problem struct {
	Slots        []Slot        `json:"slots"`
	Participants []Participant `json:"participants"`
	Requests     []Request     `json:"requests"`
	Fixed        []Meeting     `json:"fixed,omitempty"`
}

// Reasons why a request was not scheduled, checked in this order.
const (
	// ReasonNoCommonSlot: the two participants share no slot in which both are available
	// and allowed to meet.
	ReasonNoCommonSlot = "no_common_slot"
	// ReasonParticipantCap: one side already has MaxMeetings meetings (in a schedule
	// from Solve, ones the search found worth more than this request).
	ReasonParticipantCap = "participant_cap"
	// ReasonTablesFull: in some common slot both participants are free, but every such
	// slot has all its tables taken.
	ReasonTablesFull = "tables_full"
	// ReasonOutweighed: in every common slot one of the two already meets someone else;
	// making room would cost more weight, breaks or idle slots than it gains.
	ReasonOutweighed = "outweighed"
	// ReasonFits: both participants are free in a common slot with a table left. Solve
	// never leaves such a request out; it appears after manual moves (see Move).
	ReasonFits = "fits"
)

// Unscheduled is a request that did not become a meeting, with one of the Reason codes.
type Unscheduled struct {
	Request string `json:"request"`
	Reason  string `json:"reason"`
}

// Stats measures a solution.
type Stats struct {
	// Weight is the total weight of the scheduled meetings.
	Weight float64 `json:"weight"`
	// Breaks counts, over participants and sessions, the maximal runs of slots without a
	// meeting between two meetings of the participant in that session.
	Breaks int `json:"breaks"`
	// Idle counts, over participants and sessions, the slots without a meeting between the
	// participant's first and last meeting of that session.
	Idle int `json:"idle"`
	// UpperBound is a weight no schedule of the problem can exceed: the least of the
	// total weight of requests with a common slot, the heaviest Σtables of them, half the
	// sum over participants of their heaviest min(maxMeetings, available slots), and a
	// Lagrangian bound of the 0-1 model (close to its linear relaxation); rounded down
	// when all weights are whole numbers.
	UpperBound float64 `json:"upperBound"`
	// Gap is (UpperBound-Weight)/UpperBound, 0 when UpperBound is 0.
	Gap float64 `json:"gap"`
	// Seconds is the wall-clock time the scheduler took; the only field that differs
	// between two runs with the same seed.
	Seconds float64 `json:"seconds"`
}

// Solution is a schedule: the meetings ordered by slot and table, and every request
// that is not among them, with its reason.
type Solution struct {
	Meetings    []Meeting     `json:"meetings"`
	Unscheduled []Unscheduled `json:"unscheduled"`
	Stats       Stats         `json:"stats"`
}

// FieldError says what is wrong with one item of a Problem or a Solution.
type FieldError struct {
	// Field is the item's path, such as "requests[3]" or "fixed[0].table".
	Field string `json:"field"`
	// ID is the item's id when it has one.
	ID string `json:"id,omitempty"`
	// Message says what is wrong.
	Message string `json:"message"`
}

// Error returns "field (id): message", e.g. `requests[3] (r9): participant "p77" is unknown`.
func (e FieldError) Error() string {
	if e.ID != "" {
		return fmt.Sprintf("%s (%s): %s", e.Field, e.ID, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Field, e.Message)
}

// InvalidError lists everything wrong with a Problem (from Validate) or with a Solution
// (from Check), item by item.
type InvalidError struct {
	Fields []FieldError
}

// Error returns the first ten field errors, separated by "; ".
func (e *InvalidError) Error() string {
	const show = 10
	var b strings.Builder
	for i, f := range e.Fields {
		if i == show {
			fmt.Fprintf(&b, "; and %d more", len(e.Fields)-show)
			break
		}
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(f.Error())
	}
	return b.String()
}

// errs collects FieldErrors.
type errs struct{ list []FieldError }

func (e *errs) add(field, id, format string, args ...any) {
	e.list = append(e.list, FieldError{Field: field, ID: id, Message: fmt.Sprintf(format, args...)})
}

func (e *errs) err() error {
	if len(e.list) == 0 {
		return nil
	}
	return &InvalidError{Fields: e.list}
}

// Validate checks that ids are present, unique and known, that no request names one
// participant twice, that weights, tables and caps are not negative, that slots end after
// they start and do not overlap, and that fixed meetings are possible together: each
// on a known request, at a table of its slot, with both participants available and
// allowed in the slot, no participant or table used twice in a slot, no cap exceeded.
func (p *Problem) Validate() error {
	var e errs
	slotAt := make(map[string]int, len(p.Slots))
	sessions := make(map[string]bool)
	for i, s := range p.Slots {
		f := fmt.Sprintf("slots[%d]", i)
		switch {
		case s.ID == "":
			e.add(f, "", "id is required")
		case hasKey(slotAt, s.ID):
			e.add(f, s.ID, "duplicate id (also slots[%d])", slotAt[s.ID])
		default:
			slotAt[s.ID] = i
		}
		if s.Tables < 0 {
			e.add(f, s.ID, "tables is %d, must not be negative", s.Tables)
		}
		if !s.End.After(s.Start) {
			e.add(f, s.ID, "end %s is not after start %s", s.End.Format(time.RFC3339), s.Start.Format(time.RFC3339))
		}
		sessions[s.Session] = true
	}
	// Overlapping slots would let a participant be at two tables at once.
	order := make([]int, len(p.Slots))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool { return p.Slots[order[x]].Start.Before(p.Slots[order[y]].Start) })
	for k, last := 1, 0; k < len(order); k++ {
		prev, cur := p.Slots[order[last]], p.Slots[order[k]]
		if cur.Start.Before(prev.End) {
			e.add(fmt.Sprintf("slots[%d]", order[k]), cur.ID, "overlaps slot %q", prev.ID)
		}
		if cur.End.After(prev.End) {
			last = k
		}
	}

	partAt := make(map[string]int, len(p.Participants))
	for i, q := range p.Participants {
		f := fmt.Sprintf("participants[%d]", i)
		switch {
		case q.ID == "":
			e.add(f, "", "id is required")
		case hasKey(partAt, q.ID):
			e.add(f, q.ID, "duplicate id (also participants[%d])", partAt[q.ID])
		default:
			partAt[q.ID] = i
		}
		if q.MaxMeetings < 0 {
			e.add(f, q.ID, "maxMeetings is %d, must not be negative (0 means no cap)", q.MaxMeetings)
		}
		for j, sid := range q.Unavailable {
			if !hasKey(slotAt, sid) {
				e.add(fmt.Sprintf("%s.unavailable[%d]", f, j), q.ID, "slot %q is unknown", sid)
			}
		}
		for j, name := range q.Sessions {
			if !sessions[name] {
				e.add(fmt.Sprintf("%s.sessions[%d]", f, j), q.ID, "session %q has no slot", name)
			}
		}
	}

	reqAt := make(map[string]int, len(p.Requests))
	for i, r := range p.Requests {
		f := fmt.Sprintf("requests[%d]", i)
		switch {
		case r.ID == "":
			e.add(f, "", "id is required")
		case hasKey(reqAt, r.ID):
			e.add(f, r.ID, "duplicate id (also requests[%d])", reqAt[r.ID])
		default:
			reqAt[r.ID] = i
		}
		for _, side := range []string{r.A, r.B} {
			if side == "" {
				e.add(f, r.ID, "participants a and b are required")
				break
			}
			if !hasKey(partAt, side) {
				e.add(f, r.ID, "participant %q is unknown", side)
			}
		}
		if r.A != "" && r.A == r.B {
			e.add(f, r.ID, "participant %q is named twice", r.A)
		}
		if r.Weight < 0 || math.IsNaN(r.Weight) || math.IsInf(r.Weight, 0) {
			e.add(f, r.ID, "weight %v must be a finite number not below 0", r.Weight)
		}
	}
	if len(e.list) > 0 {
		// Fixed meetings refer to the items above; check them once those are sound.
		return e.err()
	}
	checkFixed(p, slotAt, partAt, reqAt, &e)
	return e.err()
}

func hasKey[V any](m map[string]V, k string) bool {
	_, ok := m[k]
	return ok
}

// checkFixed checks the fixed meetings of a problem whose other items are valid.
func checkFixed(p *Problem, slotAt, partAt, reqAt map[string]int, e *errs) {
	fixedAt := make(map[string]int, len(p.Fixed))
	type key struct {
		slot string
		n    int
	}
	table := make(map[key]int)
	busy := make(map[[2]string]int)
	count := make(map[string]int)
	for i, m := range p.Fixed {
		f := fmt.Sprintf("fixed[%d]", i)
		ri, ok := reqAt[m.Request]
		if !ok {
			e.add(f, m.Request, "request %q is unknown", m.Request)
			continue
		}
		if j, dup := fixedAt[m.Request]; dup {
			e.add(f, m.Request, "request is fixed twice (also fixed[%d])", j)
			continue
		}
		fixedAt[m.Request] = i
		r := p.Requests[ri]
		if (m.A != "" || m.B != "") && !(m.A == r.A && m.B == r.B) && !(m.A == r.B && m.B == r.A) {
			e.add(f, m.Request, "participants %q and %q differ from the request's %q and %q", m.A, m.B, r.A, r.B)
		}
		si, ok := slotAt[m.Slot]
		if !ok {
			e.add(f, m.Request, "slot %q is unknown", m.Slot)
			continue
		}
		s := p.Slots[si]
		if m.Table < 1 || m.Table > s.Tables {
			e.add(f, m.Request, "table %d is not in 1..%d of slot %q", m.Table, s.Tables, s.ID)
		} else if j, dup := table[key{s.ID, m.Table}]; dup {
			e.add(f, m.Request, "table %d in slot %q is also taken by fixed[%d]", m.Table, s.ID, j)
		} else {
			table[key{s.ID, m.Table}] = i
		}
		for _, pid := range []string{r.A, r.B} {
			q := p.Participants[partAt[pid]]
			if why := unavailableWhy(q, s); why != "" {
				e.add(f, m.Request, "%s", why)
			}
			if j, dup := busy[[2]string{pid, s.ID}]; dup {
				e.add(f, m.Request, "participant %q is also in fixed[%d] in slot %q", pid, j, s.ID)
			} else {
				busy[[2]string{pid, s.ID}] = i
			}
			count[pid]++
			if q.MaxMeetings > 0 && count[pid] == q.MaxMeetings+1 {
				e.add(f, m.Request, "participant %q has more fixed meetings than its maxMeetings %d", pid, q.MaxMeetings)
			}
		}
	}
}

// unavailableWhy says why participant q may not meet in slot s, or "" if it may.
func unavailableWhy(q Participant, s Slot) string {
	for _, u := range q.Unavailable {
		if u == s.ID {
			return fmt.Sprintf("participant %q is unavailable in slot %q", q.ID, s.ID)
		}
	}
	if len(q.Sessions) > 0 {
		for _, name := range q.Sessions {
			if name == s.Session {
				return ""
			}
		}
		return fmt.Sprintf("participant %q may not meet in session %q of slot %q", q.ID, s.Session, s.ID)
	}
	return ""
}
