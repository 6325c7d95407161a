package app

import (
	"context"
	"slices"
	"sort"
	"strconv"
)

// RequestInput is a meeting request as a participant (or the organizer on
// its behalf) sends it.
type RequestInput struct {
	// FromID is the sending participant; "" means the actor's own.
	FromID  string `json:"fromId,omitempty"`
	ToID    string `json:"toId"`
	Message string `json:"message,omitempty"`
}

// requestsOpen reports whether the event still takes requests and answers.
func (s *Service) requestsOpen(e *Event) error {
	if e.Status != EventOpen && e.Status != EventClosed {
		return Errorf(ECONFLICT, "the event does not take meeting requests now")
	}
	if e.RequestsClose != nil && !s.now().Before(*e.RequestsClose) {
		return Errorf(ECONFLICT, "meeting requests closed at %s", e.RequestsClose.In(EventZone).Format("2006-01-02 15:04"))
	}
	return nil
}

// SendRequest asks another approved participant for a meeting. The sender
// must be approved, within its cap of requests, allowed by the event's
// who-can-meet rules to meet the other, and must not have asked it before.
func (s *Service) SendRequest(ctx context.Context, a *Actor, eventID string, in RequestInput) (*MeetingRequest, error) {
	e, err := s.eventFor(ctx, a, eventID, false)
	if err != nil {
		return nil, err
	}
	from, err := s.sender(ctx, a, e, in.FromID)
	if err != nil {
		return nil, err
	}
	var f Fields
	optionalText(&f, "message", in.Message, MaxMessageRunes)
	if in.ToID == "" {
		f.Add("toId", FieldRequired, "is required")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	to, err := s.participantOf(ctx, e, in.ToID)
	if ErrorCode(err) == ENOTFOUND || err == nil && to.Status != ParticipantApproved {
		return nil, Invalid("toId", FieldUnknown, "is not an approved participant of the event")
	} else if err != nil {
		return nil, err
	}
	if err := s.canRequest(ctx, e, from, to); err != nil {
		return nil, err
	}
	now := s.now()
	r := &MeetingRequest{ID: NewID(), EventID: e.ID, FromID: from.ID, ToID: to.ID, Message: in.Message,
		Status: RequestPending, CreatedBy: a.UserID, CreatedAt: now, UpdatedAt: now}
	if sc, ok := s.scoresFor(ctx, from)[to.OrgID]; ok {
		r.Score = sc
	}
	if err := s.Store.CreateMeetingRequest(ctx, r); err != nil {
		return nil, err
	}
	return r, nil
}

// sender is the participant a request comes from: the actor's own, or for
// the organizer the one named.
func (s *Service) sender(ctx context.Context, a *Actor, e *Event, fromID string) (*Participant, error) {
	var from *Participant
	var err error
	if fromID != "" {
		from, err = s.participantOf(ctx, e, fromID)
		if ErrorCode(err) == ENOTFOUND {
			return nil, Invalid("fromId", FieldUnknown, "is not a participant of the event")
		} else if err != nil {
			return nil, err
		}
		if !runs(a, e) && !a.MemberOf(from.OrgID) {
			return nil, Invalid("fromId", FieldNotAllow, "you may only send requests for your own organisation")
		}
	} else if from, err = s.ownParticipant(ctx, a, e.ID); err != nil {
		return nil, err
	}
	if from == nil || from.Status != ParticipantApproved {
		return nil, Errorf(EFORBIDDEN, "only approved participants send meeting requests")
	}
	return from, nil
}

// canRequest checks the rules between two participants.
func (s *Service) canRequest(ctx context.Context, e *Event, from, to *Participant) error {
	if err := s.requestsOpen(e); err != nil {
		return err
	}
	if from.ID == to.ID {
		return Invalid("toId", FieldNotAllow, "a participant cannot ask itself")
	}
	if !e.MayMeet(from.Org.Type, to.Org.Type) {
		return Invalid("toId", FieldNotAllow, "at this event %s may not meet %s", from.Org.Type, to.Org.Type)
	}
	sent, err := s.requests(ctx, RequestFilter{EventID: e.ID, ParticipantID: from.ID})
	if err != nil {
		return err
	}
	n := 0
	for _, r := range sent {
		if r.FromID == from.ID && r.ToID == to.ID {
			return &Error{Code: ECONFLICT, Message: "already requested", Fields: []FieldError{{Field: "toId", Code: FieldTaken, Message: "you have already asked this participant"}}}
		}
		if r.FromID == from.ID && !r.Recommended {
			n++
		}
	}
	if e.MaxRequests > 0 && n >= e.MaxRequests {
		return &Error{Code: ECONFLICT, Message: "request cap reached", Fields: []FieldError{{Field: "toId", Code: FieldRange,
			Message: "the event allows " + strconv.Itoa(e.MaxRequests) + " requests per participant"}}}
	}
	return nil
}

// ListRequests lists meeting requests: the organizer sees all (or one
// participant's with participantID), a participant's members those it sent
// or received. Pending requests past the close are shown expired.
func (s *Service) ListRequests(ctx context.Context, a *Actor, eventID, participantID string, status []RequestStatus, p Page) ([]*MeetingRequest, error) {
	e, err := s.eventFor(ctx, a, eventID, false)
	if err != nil {
		return nil, err
	}
	f := RequestFilter{EventID: e.ID, ParticipantID: participantID, Statuses: status}
	if !runs(a, e) {
		own, err := s.ownParticipant(ctx, a, e.ID)
		if err != nil {
			return nil, err
		}
		if own == nil {
			return nil, Errorf(EFORBIDDEN, "register for the event to see its meeting requests")
		}
		if participantID != "" && participantID != own.ID {
			return nil, errForbidden
		}
		f.ParticipantID = own.ID
	}
	rs, err := s.Store.ListMeetingRequests(ctx, f, clampPage(p))
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		s.expire(e, r)
	}
	return rs, nil
}

// expire marks a pending request expired once requests have closed; it
// reports whether it did.
func (s *Service) expire(e *Event, r *MeetingRequest) bool {
	if r.Status == RequestPending && e.RequestsClose != nil && !s.now().Before(*e.RequestsClose) {
		r.Status = RequestExpired
		return true
	}
	return false
}

// AnswerRequest accepts or declines a request. The receiver's members
// answer a pending request; either side may decline a recommended one; the
// organizer may answer for the receiver.
func (s *Service) AnswerRequest(ctx context.Context, a *Actor, eventID, id string, to RequestStatus) (*MeetingRequest, error) {
	e, r, err := s.requestFor(ctx, a, eventID, id)
	if err != nil {
		return nil, err
	}
	if to != RequestAccepted && to != RequestDeclined {
		return nil, Invalid("status", FieldUnknown, "must be accepted or declined")
	}
	receiver, err := s.participantOf(ctx, e, r.ToID)
	if err != nil {
		return nil, err
	}
	sender, err := s.participantOf(ctx, e, r.FromID)
	if err != nil {
		return nil, err
	}
	mayAnswer := runs(a, e) || a.MemberOf(receiver.OrgID) || r.Recommended && a.MemberOf(sender.OrgID)
	if !mayAnswer {
		return nil, Errorf(EFORBIDDEN, "only the participant asked answers a request")
	}
	if err := s.requestsOpen(e); err != nil {
		return nil, err
	}
	if r.Status != RequestPending && !(r.Recommended && to == RequestDeclined) {
		return nil, &Error{Code: ECONFLICT, Message: "the request is " + string(r.Status),
			Fields: []FieldError{{Field: "status", Code: FieldNotAllow, Message: "only a pending request is answered"}}}
	}
	r.Status, r.UpdatedAt = to, s.now()
	if err := s.Store.UpdateMeetingRequest(ctx, r); err != nil {
		return nil, err
	}
	return r, nil
}

// requestFor loads a request of the event that the actor may see: the
// organizer's, or one its participant sent or received.
func (s *Service) requestFor(ctx context.Context, a *Actor, eventID, id string) (*Event, *MeetingRequest, error) {
	e, err := s.eventFor(ctx, a, eventID, false)
	if err != nil {
		return nil, nil, err
	}
	notFound := Errorf(ENOTFOUND, "meeting request not found")
	if !ValidID(id) {
		return nil, nil, notFound
	}
	r, err := s.Store.FindMeetingRequest(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if r.EventID != e.ID {
		return nil, nil, notFound
	}
	if runs(a, e) {
		s.expire(e, r)
		return e, r, nil
	}
	own, err := s.ownParticipant(ctx, a, e.ID)
	if err != nil {
		return nil, nil, err
	}
	if own == nil || own.ID != r.FromID && own.ID != r.ToID {
		return nil, nil, notFound
	}
	s.expire(e, r)
	return e, r, nil
}

// SetPriority sets the organizer's priority (0–3) of a request.
func (s *Service) SetPriority(ctx context.Context, a *Actor, eventID, id string, priority int) (*MeetingRequest, error) {
	e, r, err := s.requestFor(ctx, a, eventID, id)
	if err != nil {
		return nil, err
	}
	if !runs(a, e) {
		return nil, errForbidden
	}
	if priority < 0 || priority > MaxPriority {
		return nil, Invalid("priority", FieldRange, "must be between 0 and %d", MaxPriority)
	}
	r.Priority, r.UpdatedAt = priority, s.now()
	if err := s.Store.UpdateMeetingRequest(ctx, r); err != nil {
		return nil, err
	}
	return r, nil
}

// RecommendInput tunes Recommend.
type RecommendInput struct {
	// MinScore is the least matching score (0–100) of a recommended meeting; default 60.
	MinScore float64 `json:"minScore"`
	// PerParticipant caps the recommendations added for one participant; default 3.
	PerParticipant int `json:"perParticipant"`
}

// Recommend adds, for every approved participant, meetings the matching
// engine scores at least MinScore with participants it may meet and has no
// request with. They are accepted requests marked Recommended, weighing
// less than requests participants made; either side may decline them.
// It returns the requests added (organizer only).
func (s *Service) Recommend(ctx context.Context, a *Actor, eventID string, in RecommendInput) ([]*MeetingRequest, error) {
	e, err := s.eventFor(ctx, a, eventID, true)
	if err != nil {
		return nil, err
	}
	if in.MinScore == 0 {
		in.MinScore = 60
	}
	if in.PerParticipant == 0 {
		in.PerParticipant = 3
	}
	var f Fields
	nonNeg(&f, "minScore", in.MinScore, 100)
	if in.PerParticipant < 0 || in.PerParticipant > 20 {
		f.Add("perParticipant", FieldRange, "must be between 1 and 20")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if err := s.requestsOpen(e); err != nil {
		return nil, err
	}
	if s.Matcher == nil {
		return nil, Errorf(EUNAVAILABLE, "matching is not available")
	}
	ps, err := s.participants(ctx, ParticipantFilter{EventID: e.ID, Statuses: []ParticipantStatus{ParticipantApproved}})
	if err != nil {
		return nil, err
	}
	rs, err := s.requests(ctx, RequestFilter{EventID: e.ID})
	if err != nil {
		return nil, err
	}
	linked := map[string]bool{}
	for _, r := range rs {
		linked[pairKey(r.FromID, r.ToID)] = true
	}
	byOrg := map[string]*Participant{}
	for _, p := range ps {
		byOrg[p.OrgID] = p
	}
	added := []*MeetingRequest{}
	now := s.now()
	for _, from := range ps {
		type cand struct {
			p     *Participant
			score float64
		}
		var cands []cand
		for orgID, sc := range s.scoresFor(ctx, from) {
			to := byOrg[orgID]
			if to == nil || to.ID == from.ID || sc < in.MinScore || linked[pairKey(from.ID, to.ID)] || !e.MayMeet(from.Org.Type, to.Org.Type) {
				continue
			}
			cands = append(cands, cand{to, sc})
		}
		sort.Slice(cands, func(i, j int) bool {
			if cands[i].score != cands[j].score {
				return cands[i].score > cands[j].score
			}
			return cands[i].p.ID < cands[j].p.ID
		})
		for _, c := range cands[:min(len(cands), in.PerParticipant)] {
			r := &MeetingRequest{ID: NewID(), EventID: e.ID, FromID: from.ID, ToID: c.p.ID, Status: RequestAccepted,
				Recommended: true, Score: c.score, CreatedBy: a.UserID, CreatedAt: now, UpdatedAt: now}
			if err := s.Store.CreateMeetingRequest(ctx, r); err != nil {
				return nil, err
			}
			linked[pairKey(from.ID, c.p.ID)] = true
			added = append(added, r)
		}
	}
	return added, nil
}

// scoreLimit is how many candidates the engine ranks for one participant.
const scoreLimit = 100

// scoresFor returns the matching engine's scores (0–100) of organisations
// for the participant, keyed by organisation ID: organisation to
// organisation, and from its listings (see scoringListings), keeping the best. It
// returns what it can: an engine that is missing or cannot rank a source
// leaves those scores out.
func (s *Service) scoresFor(ctx context.Context, p *Participant) map[string]float64 {
	out := map[string]float64{}
	if s.Matcher == nil {
		return out
	}
	add := func(q MatchQuery) {
		q.Limit = scoreLimit
		res, err := s.Matcher.Match(ctx, q)
		if err != nil {
			s.Log.DebugContext(ctx, "event scores: no match", "from", q.FromKind, "id", q.FromID, "err", err)
			return
		}
		for _, m := range res.Items {
			if m.Org != nil && m.Score > out[m.Org.ID] {
				out[m.Org.ID] = m.Score
			}
		}
	}
	if o, err := s.Store.FindOrg(ctx, p.OrgID); err == nil {
		add(MatchQuery{FromKind: "org", FromID: o.ID, Target: "org", SourceOrg: o})
	}
	for _, l := range s.scoringListings(ctx, p) {
		add(MatchQuery{FromKind: string(l.Kind), FromID: l.ID, Source: l})
	}
	return out
}

// scoringListings are the listings a participant is scored from: the ones
// it attached, else its organisation's first published ones (the engine
// matches SMEs with SMEs organisation to organisation, and everyone else
// through their needs, capabilities and preferences).
func (s *Service) scoringListings(ctx context.Context, p *Participant) []*Listing {
	const most = 3
	var out []*Listing
	for _, lid := range p.ListingIDs {
		if l, err := s.Store.FindListing(ctx, lid); err == nil && l.OrgID == p.OrgID && len(out) < most {
			out = append(out, l)
		}
	}
	if len(out) > 0 {
		return out
	}
	ls, err := s.Store.ListListings(ctx, ListingFilter{OrgID: p.OrgID, Statuses: []Status{StatusPublished}}, Page{Limit: most})
	if err != nil {
		s.Log.DebugContext(ctx, "event scores: no listings", "org", p.OrgID, "err", err)
		return nil
	}
	return ls
}

// Weights of a scheduled meeting: a request a participant made and the
// other accepted is worth requestWeight, a recommendation recommendWeight;
// a mutual request (both asked) adds mutualBonus, each priority step
// priorityStep, and the matching score up to 1 more (score/100), so that
// among equals the better-matched meeting wins.
const (
	requestWeight   = 2.0
	recommendWeight = 1.0
	mutualBonus     = 2.0
	priorityStep    = 1.0
)

// pairRequest is the scheduler's view of the accepted requests between two participants.
type pairRequest struct {
	id     string // the first request's ID
	a, b   string
	weight float64
}

// pairRequests groups accepted requests by pair of participants and weighs each pair.
func pairRequests(rs []*MeetingRequest, approved map[string]*Participant) []pairRequest {
	type acc struct {
		pairRequest
		asked    map[string]bool // who asked
		priority int
		score    float64
		real     bool
	}
	by := map[string]*acc{}
	var order []string
	for _, r := range rs {
		if r.Status != RequestAccepted || approved[r.FromID] == nil || approved[r.ToID] == nil {
			continue
		}
		k := pairKey(r.FromID, r.ToID)
		x := by[k]
		if x == nil {
			x = &acc{pairRequest: pairRequest{id: r.ID, a: r.FromID, b: r.ToID}, asked: map[string]bool{}}
			by[k] = x
			order = append(order, k)
		}
		if !r.Recommended {
			x.real = true
			x.asked[r.FromID] = true
		}
		x.priority = max(x.priority, r.Priority)
		x.score = max(x.score, r.Score)
	}
	out := make([]pairRequest, 0, len(order))
	for _, k := range order {
		x := by[k]
		w := recommendWeight
		if x.real {
			w = requestWeight
		}
		if len(x.asked) == 2 {
			w += mutualBonus
		}
		w += priorityStep*float64(x.priority) + x.score/100
		x.weight = w
		out = append(out, x.pairRequest)
	}
	slices.SortFunc(out, func(x, y pairRequest) int {
		if x.id < y.id {
			return -1
		}
		if x.id > y.id {
			return 1
		}
		return 0
	})
	return out
}
