package app

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/rongtong/rongtong/matching/schedule"
)

// Scheduler budgets: the default, and the most an organizer may ask for.
const (
	DefaultScheduleBudget = 5 * time.Second
	MaxScheduleBudget     = 60 * time.Second
)

// RunInput tunes a scheduler run.
type RunInput struct {
	// Seed makes the run repeatable; default 1.
	Seed int64 `json:"seed,omitempty"`
	// BudgetMS caps the run's time in milliseconds; default 5000, at most 60000.
	BudgetMS int `json:"budgetMs,omitempty"`
	// KeepPublished keeps the published meetings where they are (default
	// true); false reschedules everything.
	KeepPublished *bool `json:"keepPublished,omitempty"`
}

// RunSchedule runs the scheduler on the event's accepted requests and
// stores the result as the draft schedule (organizer only). Pending
// requests expire first. Published meetings whose request still stands
// stay at their slot and table unless in.KeepPublished is false.
func (s *Service) RunSchedule(ctx context.Context, a *Actor, eventID string, in RunInput) (*Schedule, error) {
	e, err := s.eventFor(ctx, a, eventID, true)
	if err != nil {
		return nil, err
	}
	if in.BudgetMS < 0 || time.Duration(in.BudgetMS)*time.Millisecond > MaxScheduleBudget {
		return nil, Invalid("budgetMs", FieldRange, "must be between 0 and %d", MaxScheduleBudget.Milliseconds())
	}
	if e.Status != EventOpen && e.Status != EventClosed {
		return nil, Errorf(ECONFLICT, "only an open or closed event is scheduled")
	}
	keep := in.KeepPublished == nil || *in.KeepPublished
	if in.Seed == 0 {
		in.Seed = 1
	}
	budget := time.Duration(in.BudgetMS) * time.Millisecond
	if budget == 0 {
		budget = DefaultScheduleBudget
	}
	sc, err := s.Store.FindSchedule(ctx, e.ID)
	if ErrorCode(err) == ENOTFOUND {
		sc, err = &Schedule{EventID: e.ID}, nil
	}
	if err != nil {
		return nil, err
	}
	if err := s.expirePending(ctx, e); err != nil {
		return nil, err
	}
	prob, err := s.problem(ctx, e, sc, keep)
	if err != nil {
		return nil, err
	}
	// The event, its participants and the fixed meetings were checked
	// before, so an invalid problem here is a bug: an internal error.
	sol, err := schedule.Solve(ctx, prob, schedule.Options{Seed: in.Seed, Budget: budget})
	if err != nil {
		return nil, err
	}
	now := s.now()
	sc.Draft = &Plan{Problem: *prob, Seed: in.Seed, KeptFixed: keep, RunAt: now}
	sc.Draft.fill(sol, sc, now)
	if err := s.Store.SaveSchedule(ctx, sc); err != nil {
		return nil, err
	}
	return sc, nil
}

// expirePending marks pending requests expired when the scheduler runs,
// unless the event set a later close for requests.
func (s *Service) expirePending(ctx context.Context, e *Event) error {
	if e.RequestsClose != nil && s.now().Before(*e.RequestsClose) {
		return nil
	}
	rs, err := s.requests(ctx, RequestFilter{EventID: e.ID, Statuses: []RequestStatus{RequestPending}})
	if err != nil {
		return err
	}
	for _, r := range rs {
		r.Status, r.UpdatedAt = RequestExpired, s.now()
		if err := s.Store.UpdateMeetingRequest(ctx, r); err != nil {
			return err
		}
	}
	return nil
}

// problem builds the scheduler's input: the event's slots, its approved
// participants with their caps and unavailable slots, one request per pair
// with accepted requests, and, with keep, the published meetings that can
// stay where they are as fixed meetings.
func (s *Service) problem(ctx context.Context, e *Event, sc *Schedule, keep bool) (*schedule.Problem, error) {
	ps, err := s.participants(ctx, ParticipantFilter{EventID: e.ID, Statuses: []ParticipantStatus{ParticipantApproved}})
	if err != nil {
		return nil, err
	}
	rs, err := s.requests(ctx, RequestFilter{EventID: e.ID, Statuses: []RequestStatus{RequestAccepted}})
	if err != nil {
		return nil, err
	}
	prob := &schedule.Problem{Slots: []schedule.Slot{}, Participants: []schedule.Participant{}, Requests: []schedule.Request{}}
	for _, sl := range e.Slots {
		prob.Slots = append(prob.Slots, schedule.Slot{ID: sl.ID, Start: sl.Start, End: sl.End, Session: sl.Session, Tables: sl.Tables})
	}
	approved := map[string]*Participant{}
	for _, p := range ps {
		approved[p.ID] = p
		var unavailable []string
		for _, sid := range p.Unavailable {
			if e.Slot(sid) != nil {
				unavailable = append(unavailable, sid)
			}
		}
		prob.Participants = append(prob.Participants, schedule.Participant{ID: p.ID, MaxMeetings: e.MaxMeetings, Unavailable: unavailable})
	}
	pairs := pairRequests(rs, approved)
	reqOf := map[string]string{}
	for _, pr := range pairs {
		prob.Requests = append(prob.Requests, schedule.Request{ID: pr.id, A: pr.a, B: pr.b, Weight: pr.weight})
		reqOf[pairKey(pr.a, pr.b)] = pr.id
	}
	if keep {
		prob.Fixed = fixedMeetings(e, sc.Published, reqOf, approved)
	}
	return prob, nil
}

// fixedMeetings returns the published meetings that can stay: still
// scheduled, their pair still requested, the slot and table still there and
// both sides available, first come first kept. A meeting that cannot stay
// is scheduled afresh.
func fixedMeetings(e *Event, published []Meeting, reqOf map[string]string, approved map[string]*Participant) []schedule.Meeting {
	var out []schedule.Meeting
	busy := map[[2]string]bool{}
	count := map[string]int{}
	for _, m := range published {
		id, ok := reqOf[pairKey(m.A, m.B)]
		sl := e.Slot(m.Slot)
		if !ok || m.Status != MeetingScheduled || sl == nil || m.Table > sl.Tables || busy[[2]string{m.Slot, "#" + strconv.Itoa(m.Table)}] {
			continue
		}
		ok = true
		for _, pid := range []string{m.A, m.B} {
			p := approved[pid]
			if slices.Contains(p.Unavailable, m.Slot) || busy[[2]string{m.Slot, pid}] || e.MaxMeetings > 0 && count[pid] >= e.MaxMeetings {
				ok = false
			}
		}
		if !ok {
			continue
		}
		for _, k := range []string{m.A, m.B, "#" + strconv.Itoa(m.Table)} {
			busy[[2]string{m.Slot, k}] = true
		}
		count[m.A]++
		count[m.B]++
		out = append(out, schedule.Meeting{Request: id, A: m.A, B: m.B, Slot: m.Slot, Table: m.Table})
	}
	return out
}

// fill sets the plan's meetings, unscheduled requests and stats from a
// solution. A meeting keeps the ID of the published or draft meeting of the
// same pair, so calendars see one meeting that moved.
func (p *Plan) fill(sol *schedule.Solution, sc *Schedule, now time.Time) {
	ids := map[string]Meeting{}
	if sc.Draft != nil {
		for _, m := range sc.Draft.Meetings {
			ids[pairKey(m.A, m.B)] = m
		}
	}
	for _, m := range sc.Published {
		ids[pairKey(m.A, m.B)] = m
	}
	p.Meetings = make([]Meeting, 0, len(sol.Meetings))
	for _, m := range sol.Meetings {
		id := NewID()
		if old, ok := ids[pairKey(m.A, m.B)]; ok {
			id = old.ID
		}
		p.Meetings = append(p.Meetings, Meeting{ID: id, Request: m.Request, A: m.A, B: m.B, Slot: m.Slot, Table: m.Table,
			Status: MeetingScheduled, Updated: now})
	}
	sides := map[string][2]string{}
	for _, r := range p.Problem.Requests {
		sides[r.ID] = [2]string{r.A, r.B}
	}
	p.Unscheduled = make([]UnscheduledRequest, 0, len(sol.Unscheduled))
	for _, u := range sol.Unscheduled {
		ab := sides[u.Request]
		p.Unscheduled = append(p.Unscheduled, UnscheduledRequest{Request: u.Request, A: ab[0], B: ab[1], Reason: u.Reason})
	}
	p.Stats = sol.Stats
}

// solution rebuilds the scheduler's view of the plan.
func (p *Plan) solution() *schedule.Solution {
	sol := &schedule.Solution{Meetings: []schedule.Meeting{}, Unscheduled: []schedule.Unscheduled{}, Stats: p.Stats}
	for _, m := range p.Meetings {
		sol.Meetings = append(sol.Meetings, schedule.Meeting{Request: m.Request, A: m.A, B: m.B, Slot: m.Slot, Table: m.Table})
	}
	for _, u := range p.Unscheduled {
		sol.Unscheduled = append(sol.Unscheduled, schedule.Unscheduled{Request: u.Request, Reason: u.Reason})
	}
	return sol
}

// GetSchedule returns the event's draft and published schedule (organizer only).
func (s *Service) GetSchedule(ctx context.Context, a *Actor, eventID string) (*Schedule, error) {
	e, err := s.eventFor(ctx, a, eventID, true)
	if err != nil {
		return nil, err
	}
	return s.Store.FindSchedule(ctx, e.ID)
}

// MoveInput is a manual change of the draft: put Request in Slot at Table
// (0: the lowest free table; Slot "": take the meeting out).
type MoveInput struct {
	Request string `json:"request"`
	Slot    string `json:"slot"`
	Table   int    `json:"table"`
}

// MoveMeeting changes the draft schedule by hand (organizer only). A move
// that breaks a rule is refused with ECONFLICT whose field error carries the
// scheduler's code (participant_busy, table_taken, unavailable, fixed…) and
// message, and nothing changes.
func (s *Service) MoveMeeting(ctx context.Context, a *Actor, eventID string, in MoveInput) (*Schedule, error) {
	e, err := s.eventFor(ctx, a, eventID, true)
	if err != nil {
		return nil, err
	}
	var f Fields
	if in.Request == "" {
		f.Add("request", FieldRequired, "is required")
	}
	if in.Table < 0 || in.Table > MaxSlotTables {
		f.Add("table", FieldRange, "must be between 0 and %d", MaxSlotTables)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	sc, err := s.Store.FindSchedule(ctx, e.ID)
	if ErrorCode(err) == ENOTFOUND || err == nil && sc.Draft == nil {
		return nil, Errorf(ECONFLICT, "run the scheduler first")
	} else if err != nil {
		return nil, err
	}
	sol := sc.Draft.solution()
	if err := schedule.Move(&sc.Draft.Problem, sol, in.Request, in.Slot, in.Table); err != nil {
		var me *schedule.MoveError
		if !errors.As(err, &me) {
			return nil, err
		}
		field := "slot"
		switch me.Code {
		case schedule.MoveTableTaken, schedule.MoveTablesFull:
			field = "table"
		case schedule.MoveFixed:
			field = "request"
		case schedule.MoveUnknown:
			if _, ok := requestIn(&sc.Draft.Problem, in.Request); !ok {
				field = "request"
			}
		}
		return nil, &Error{Code: ECONFLICT, Message: me.Error(), Fields: []FieldError{{Field: field, Code: me.Code, Message: me.Message}}}
	}
	sc.Draft.fill(sol, sc, s.now())
	sc.Draft.Moves++
	if err := s.Store.SaveSchedule(ctx, sc); err != nil {
		return nil, err
	}
	return sc, nil
}

func requestIn(p *schedule.Problem, id string) (schedule.Request, bool) {
	for _, r := range p.Requests {
		if r.ID == id {
			return r, true
		}
	}
	return schedule.Request{}, false
}

// PublishSchedule makes the draft the published schedule (organizer only).
// A meeting that moved gets its Sequence raised; a published meeting that
// the draft no longer holds is kept as cancelled, with its Sequence raised,
// so calendar feeds update and remove entries rather than duplicate them.
// Outcomes and ratings of meetings already held stay.
func (s *Service) PublishSchedule(ctx context.Context, a *Actor, eventID string) (*Schedule, error) {
	e, err := s.eventFor(ctx, a, eventID, true)
	if err != nil {
		return nil, err
	}
	sc, err := s.Store.FindSchedule(ctx, e.ID)
	if ErrorCode(err) == ENOTFOUND || err == nil && sc.Draft == nil {
		return nil, Errorf(ECONFLICT, "run the scheduler first")
	} else if err != nil {
		return nil, err
	}
	if err := s.draftCurrent(ctx, e, sc.Draft); err != nil {
		return nil, err
	}
	now := s.now()
	sc.Published = mergePublished(sc.Published, sc.Draft.Meetings, now)
	sc.PublishedAt = &now
	if err := s.Store.SaveSchedule(ctx, sc); err != nil {
		return nil, err
	}
	return sc, nil
}

// draftCurrent refuses to publish a draft with a meeting whose participant
// is no longer approved or whose pair no longer has an accepted request:
// the organizer runs the scheduler again first.
func (s *Service) draftCurrent(ctx context.Context, e *Event, d *Plan) error {
	ps, err := s.participants(ctx, ParticipantFilter{EventID: e.ID, Statuses: []ParticipantStatus{ParticipantApproved}})
	if err != nil {
		return err
	}
	approved := map[string]*Participant{}
	for _, p := range ps {
		approved[p.ID] = p
	}
	rs, err := s.requests(ctx, RequestFilter{EventID: e.ID, Statuses: []RequestStatus{RequestAccepted}})
	if err != nil {
		return err
	}
	pairs := map[string]bool{}
	for _, pr := range pairRequests(rs, approved) {
		pairs[pairKey(pr.a, pr.b)] = true
	}
	for _, m := range d.Meetings {
		if !pairs[pairKey(m.A, m.B)] {
			return Errorf(ECONFLICT, "the meeting %s in %s no longer has an accepted request between approved participants; run the scheduler again", m.Request, m.Slot)
		}
	}
	return nil
}

// mergePublished returns the published meetings after publishing draft.
func mergePublished(old, draft []Meeting, now time.Time) []Meeting {
	prev := map[string]Meeting{}
	for _, m := range old {
		prev[m.ID] = m
	}
	out := make([]Meeting, 0, len(draft)+len(old))
	seen := map[string]bool{}
	for _, m := range draft {
		seen[m.ID] = true
		if p, ok := prev[m.ID]; ok {
			m.Sequence, m.Outcome, m.NoShows, m.Ratings, m.Updated = p.Sequence, p.Outcome, p.NoShows, p.Ratings, p.Updated
			if p.Slot != m.Slot || p.Table != m.Table || p.Status != MeetingScheduled {
				m.Sequence++
				m.Updated = now
			}
		}
		m.Status = MeetingScheduled
		out = append(out, m)
	}
	for _, p := range old {
		if seen[p.ID] {
			continue
		}
		if p.Status != MeetingCancelled {
			p.Status, p.Sequence, p.Updated = MeetingCancelled, p.Sequence+1, now
		}
		out = append(out, p)
	}
	return out
}
