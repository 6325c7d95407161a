package app

import (
	"context"
	"crypto/subtle"
	"slices"
	"strings"
	"unicode/utf8"
)

// Who may do what at an event: the organizer's organisation (any member)
// and admins run it; signed-in users see events that are not drafts;
// registered organisations' members act for their participant; approved
// participants see one another.

func loggedIn(a *Actor) error {
	if a == nil || a.UserID == "" && !a.System {
		return Errorf(EUNAUTHORIZED, "log in first")
	}
	return nil
}

// runs reports whether the actor organizes the event: a member of the
// organizing organisation, or an admin whose scope covers its region.
func runs(a *Actor, e *Event) bool { return a.AdminOf(e.Region) || a.MemberOf(e.OrgID) }

var errEventNotFound = &Error{Code: ENOTFOUND, Message: "event not found"}

// eventFor loads an event the actor may see; with organizer set, one the
// actor runs (EFORBIDDEN if it may only see it).
func (s *Service) eventFor(ctx context.Context, a *Actor, id string, organizer bool) (*Event, error) {
	if err := loggedIn(a); err != nil {
		return nil, err
	}
	if !ValidID(id) {
		return nil, errEventNotFound
	}
	e, err := s.Store.FindEvent(ctx, id)
	if err != nil {
		return nil, err
	}
	switch {
	case runs(a, e):
		return e, nil
	case e.Status == EventDraft:
		return nil, errEventNotFound
	case organizer:
		return nil, errForbidden
	}
	return e, nil
}

// eventInput copies the fields a client may set.
func eventInput(in *Event) *Event {
	e := *in
	e.ID, e.CreatedBy, e.Status, e.Region = "", "", "", ""
	e.Days = slices.Clone(in.Days)
	e.Sessions = slices.Clone(in.Sessions)
	e.Slots = slices.Clone(in.Slots)
	return &e
}

// CreateEvent creates a draft event run by the actor's organisation. Only
// organizers (users with the organizer role in an organisation) and admins
// may; an admin may name the organizing organisation in OrgID.
func (s *Service) CreateEvent(ctx context.Context, a *Actor, in *Event) (*Event, error) {
	if err := loggedIn(a); err != nil {
		return nil, err
	}
	e := eventInput(in)
	switch {
	case a.Admin():
		if e.OrgID == "" && a.RegionScope != "" {
			return nil, Invalid("orgId", FieldRequired, "name the organizing organisation, in your region")
		}
		if e.OrgID != "" {
			o, err := s.findOrg(ctx, e.OrgID)
			if ErrorCode(err) == ENOTFOUND {
				return nil, Invalid("orgId", FieldUnknown, "is not an existing organisation")
			} else if err != nil {
				return nil, err
			}
			if !a.AdminOf(o.Region) {
				return nil, Invalid("orgId", FieldNotAllow, "must be an organisation in your region")
			}
			e.Region = o.Region
		}
	case a.Role == RoleOrganizer && a.OrgID != "":
		if e.OrgID != "" && e.OrgID != a.OrgID {
			return nil, Invalid("orgId", FieldNotAllow, "must be your own organisation")
		}
		o, err := s.findOrg(ctx, a.OrgID)
		if err != nil {
			return nil, err
		}
		e.OrgID, e.Region = a.OrgID, o.Region
	default:
		return nil, Errorf(EFORBIDDEN, "only organizers and admins create events")
	}
	e.Normalize()
	if err := e.Validate(); err != nil {
		return nil, err
	}
	e.SortSlots()
	now := s.now()
	e.ID, e.CreatedBy, e.Status, e.CreatedAt, e.UpdatedAt = NewID(), a.UserID, EventDraft, now, now
	if err := s.Store.CreateEvent(ctx, e); err != nil {
		return nil, err
	}
	return e, nil
}

// GetEvent returns ENOTFOUND if the event does not exist or the actor may not see it.
func (s *Service) GetEvent(ctx context.Context, a *Actor, id string) (*Event, error) {
	return s.eventFor(ctx, a, id, false)
}

// UpdateEvent replaces the client-set fields of an event that is not finished.
func (s *Service) UpdateEvent(ctx context.Context, a *Actor, id string, in *Event) (*Event, error) {
	old, err := s.eventFor(ctx, a, id, true)
	if err != nil {
		return nil, err
	}
	if old.Status == EventFinished {
		return nil, &Error{Code: ECONFLICT, Message: "a finished event cannot change", Fields: []FieldError{{Field: "status", Code: FieldNotAllow, Message: "the event is finished"}}}
	}
	e := eventInput(in)
	if e.OrgID != "" && e.OrgID != old.OrgID {
		return nil, Invalid("orgId", FieldNotAllow, "the organizing organisation cannot change")
	}
	e.Normalize()
	if err := e.Validate(); err != nil {
		return nil, err
	}
	e.SortSlots()
	e.ID, e.OrgID, e.Region, e.CreatedBy, e.Status, e.CreatedAt, e.UpdatedAt = old.ID, old.OrgID, old.Region, old.CreatedBy, old.Status, old.CreatedAt, s.now()
	if err := s.Store.UpdateEvent(ctx, e); err != nil {
		return nil, err
	}
	return e, nil
}

// SetEventStatus moves an event along draft → open → closed → finished (an
// open event may go back to draft, a closed one reopen); ECONFLICT lists
// the allowed statuses otherwise.
func (s *Service) SetEventStatus(ctx context.Context, a *Actor, id string, to EventStatus) (*Event, error) {
	e, err := s.eventFor(ctx, a, id, true)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(EventStatuses, to) {
		return nil, Invalid("status", FieldUnknown, "must be one of draft, open, closed, finished")
	}
	if to == e.Status {
		return e, nil
	}
	if allowed := eventTransitions[e.Status]; !slices.Contains(allowed, to) {
		names := make([]string, len(allowed))
		for i, x := range allowed {
			names[i] = string(x)
		}
		return nil, &Error{Code: ECONFLICT, Message: "an event that is " + string(e.Status) + " cannot become " + string(to),
			Fields: []FieldError{{Field: "status", Code: FieldNotAllow, Message: "not allowed from " + string(e.Status)}}, Allowed: names}
	}
	e.Status, e.UpdatedAt = to, s.now()
	if err := s.Store.UpdateEvent(ctx, e); err != nil {
		return nil, err
	}
	return e, nil
}

// ListEvents lists the events the actor may see: every event that is not a
// draft, and the drafts of events it runs. status filters.
func (s *Service) ListEvents(ctx context.Context, a *Actor, status []EventStatus, p Page) ([]*Event, error) {
	if err := loggedIn(a); err != nil {
		return nil, err
	}
	f := EventFilter{Statuses: status}
	p = clampPage(p)
	var out []*Event
	// Drafts of other organizers are skipped, so a page may take several reads.
	for len(out) < p.Limit {
		es, err := s.Store.ListEvents(ctx, f, p)
		if err != nil {
			return nil, err
		}
		for _, e := range es {
			if e.Status != EventDraft || runs(a, e) {
				out = append(out, e)
			}
		}
		if len(es) < p.Limit {
			break
		}
		p.After = es[len(es)-1].ID
	}
	if len(out) > p.Limit {
		out = out[:p.Limit]
	}
	return out, nil
}

// allOf pages through everything a list method returns.
func allOf[T any](ctx context.Context, list func(ctx context.Context, p Page) ([]*T, error), id func(*T) string) ([]*T, error) {
	var out []*T
	p := Page{Limit: MaxPageLimit}
	for {
		xs, err := list(ctx, p)
		if err != nil {
			return nil, err
		}
		out = append(out, xs...)
		if len(xs) < p.Limit {
			return out, nil
		}
		p.After = id(xs[len(xs)-1])
	}
}

func (s *Service) participants(ctx context.Context, f ParticipantFilter) ([]*Participant, error) {
	return allOf(ctx, func(ctx context.Context, p Page) ([]*Participant, error) { return s.Store.ListParticipants(ctx, f, p) },
		func(p *Participant) string { return p.ID })
}

func (s *Service) requests(ctx context.Context, f RequestFilter) ([]*MeetingRequest, error) {
	return allOf(ctx, func(ctx context.Context, p Page) ([]*MeetingRequest, error) {
		return s.Store.ListMeetingRequests(ctx, f, p)
	},
		func(r *MeetingRequest) string { return r.ID })
}

// ownParticipant returns the actor's organisation's registration for the
// event, or nil.
func (s *Service) ownParticipant(ctx context.Context, a *Actor, eventID string) (*Participant, error) {
	if a.OrgID == "" {
		return nil, nil
	}
	ps, err := s.Store.ListParticipants(ctx, ParticipantFilter{EventID: eventID, OrgID: a.OrgID}, Page{Limit: 1})
	if err != nil || len(ps) == 0 {
		return nil, err
	}
	return ps[0], nil
}

// participantFor loads a participant of the event the actor may act for:
// a member of its organisation or the organizer. Others who may see it get
// EFORBIDDEN, the rest ENOTFOUND.
func (s *Service) participantFor(ctx context.Context, a *Actor, e *Event, id string) (*Participant, error) {
	p, err := s.participantOf(ctx, e, id)
	if err != nil {
		return nil, err
	}
	if runs(a, e) || a.MemberOf(p.OrgID) {
		return p, nil
	}
	if ok, err := s.seesParticipant(ctx, a, e, p); err != nil {
		return nil, err
	} else if ok {
		return nil, errForbidden
	}
	return nil, Errorf(ENOTFOUND, "participant not found")
}

func (s *Service) participantOf(ctx context.Context, e *Event, id string) (*Participant, error) {
	if !ValidID(id) {
		return nil, Errorf(ENOTFOUND, "participant not found")
	}
	p, err := s.Store.FindParticipant(ctx, id)
	if err != nil {
		return nil, err
	}
	if p.EventID != e.ID {
		return nil, Errorf(ENOTFOUND, "participant not found")
	}
	return p, nil
}

// seesParticipant: the organizer sees every participant, members their
// own, approved participants the other approved ones.
func (s *Service) seesParticipant(ctx context.Context, a *Actor, e *Event, p *Participant) (bool, error) {
	if runs(a, e) || a.MemberOf(p.OrgID) {
		return true, nil
	}
	if p.Status != ParticipantApproved {
		return false, nil
	}
	own, err := s.ownParticipant(ctx, a, e.ID)
	return own != nil && own.Status == ParticipantApproved, err
}

// redactParticipant hides the calendar token from everyone but the
// participant's members and the organizer.
func redactParticipant(a *Actor, e *Event, p *Participant) *Participant {
	if runs(a, e) || a.MemberOf(p.OrgID) {
		return p
	}
	c := *p
	c.FeedToken = ""
	return &c
}

// RegisterParticipant registers an organisation for an event: its members may while
// registration is open and the event admits its type, and the registration
// waits for the organizer's approval; the organizer may register any
// organisation at any time before the event finishes, approved at once.
// orgID "" means the actor's own.
func (s *Service) RegisterParticipant(ctx context.Context, a *Actor, eventID, orgID string) (*Participant, error) {
	e, err := s.eventFor(ctx, a, eventID, false)
	if err != nil {
		return nil, err
	}
	if orgID == "" {
		orgID = a.OrgID
	}
	if orgID == "" {
		return nil, Invalid("orgId", FieldRequired, "create or join an organisation first")
	}
	organizer := runs(a, e)
	if !organizer && !a.MemberOf(orgID) {
		return nil, Invalid("orgId", FieldNotAllow, "you may only register your own organisation")
	}
	o, err := s.findOrg(ctx, orgID)
	if ErrorCode(err) == ENOTFOUND {
		return nil, Invalid("orgId", FieldUnknown, "is not an existing organisation")
	} else if err != nil {
		return nil, err
	}
	if err := s.registrationOpen(e, o, organizer); err != nil {
		return nil, err
	}
	return s.addParticipant(ctx, a, e, o, organizer)
}

func (s *Service) registrationOpen(e *Event, o *Org, organizer bool) error {
	if !slices.Contains(e.ParticipantTypes, o.Type) {
		return Invalid("orgId", FieldNotAllow, "the event admits %s", joinTypes(e.ParticipantTypes))
	}
	if organizer {
		if e.Status == EventFinished {
			return Errorf(ECONFLICT, "the event is finished")
		}
		return nil
	}
	now := s.now()
	if e.Status != EventOpen || now.Before(e.RegistrationOpens) || !now.Before(e.RegistrationCloses) {
		return Errorf(ECONFLICT, "registration is not open (from %s to %s)",
			e.RegistrationOpens.In(EventZone).Format("2006-01-02 15:04"), e.RegistrationCloses.In(EventZone).Format("2006-01-02 15:04"))
	}
	return nil
}

func joinTypes(ts []OrgType) string {
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}

func (s *Service) addParticipant(ctx context.Context, a *Actor, e *Event, o *Org, approved bool) (*Participant, error) {
	now := s.now()
	p := &Participant{ID: NewID(), EventID: e.ID, OrgID: o.ID, Org: o.Summary(), Status: ParticipantPending,
		FeedToken: NewSecret(24), RegisteredBy: a.UserID, CreatedAt: now, UpdatedAt: now}
	if approved {
		p.Status = ParticipantApproved
	}
	if err := s.Store.CreateParticipant(ctx, p); err != nil {
		return nil, err
	}
	return p, nil
}

// ListParticipants lists an event's participants: all of them for the
// organizer; the approved ones (and its own) for a participant's member;
// only its own registration for a registered organisation not yet
// approved. Others may not list them. q, when not empty, keeps the
// participants whose organisation's name or ref contains it. When the
// matching engine can score the caller's organisation against a
// participant, Score carries it.
func (s *Service) ListParticipants(ctx context.Context, a *Actor, eventID, q string, status []ParticipantStatus, p Page) ([]*Participant, error) {
	e, err := s.eventFor(ctx, a, eventID, false)
	if err != nil {
		return nil, err
	}
	f := ParticipantFilter{EventID: e.ID, Statuses: status}
	var own *Participant
	if !runs(a, e) {
		if own, err = s.ownParticipant(ctx, a, e.ID); err != nil {
			return nil, err
		}
		switch {
		case own == nil:
			return nil, Errorf(EFORBIDDEN, "register for the event to see its participants")
		case own.Status != ParticipantApproved:
			f.OrgID = own.OrgID
		case len(status) == 0:
			f.Statuses = []ParticipantStatus{ParticipantApproved}
		default:
			f.Statuses = []ParticipantStatus{}
			for _, st := range status {
				if st == ParticipantApproved {
					f.Statuses = append(f.Statuses, st)
				}
			}
			if len(f.Statuses) == 0 {
				return []*Participant{}, nil
			}
		}
	}
	ps, err := s.listParticipants(ctx, f, q, clampPage(p))
	if err != nil {
		return nil, err
	}
	var scores map[string]float64
	if own != nil && own.Status == ParticipantApproved {
		scores = s.scoresFor(ctx, own)
	}
	for i, x := range ps {
		x = redactParticipant(a, e, x)
		if sc, ok := scores[x.OrgID]; ok && x.OrgID != own.OrgID {
			c := *x
			c.Score = &sc
			x = &c
		}
		ps[i] = x
	}
	return ps, nil
}

// listParticipants returns a page of the participants f selects whose
// organisation's name or ref contains q. An event has at most some
// thousands of participants, so a search reads them all.
func (s *Service) listParticipants(ctx context.Context, f ParticipantFilter, q string, p Page) ([]*Participant, error) {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == "" {
		return s.Store.ListParticipants(ctx, f, p)
	}
	if utf8.RuneCountInString(q) > MaxShortRunes {
		return nil, Invalid("q", FieldTooLong, "must be at most %d characters", MaxShortRunes)
	}
	all, err := s.participants(ctx, f)
	if err != nil {
		return nil, err
	}
	out := []*Participant{}
	for _, x := range all {
		if x.ID > p.After && (strings.Contains(strings.ToLower(x.Org.Name), q) || strings.Contains(strings.ToLower(x.Org.Ref), q)) {
			out = append(out, x)
			if len(out) == p.Limit {
				break
			}
		}
	}
	return out, nil
}

// GetParticipant returns a participant the actor may see.
func (s *Service) GetParticipant(ctx context.Context, a *Actor, eventID, id string) (*Participant, error) {
	e, err := s.eventFor(ctx, a, eventID, false)
	if err != nil {
		return nil, err
	}
	p, err := s.participantOf(ctx, e, id)
	if err != nil {
		return nil, err
	}
	if ok, err := s.seesParticipant(ctx, a, e, p); err != nil {
		return nil, err
	} else if !ok {
		return nil, Errorf(ENOTFOUND, "participant not found")
	}
	return redactParticipant(a, e, p), nil
}

// ParticipantInput is what a participant (or the organizer for it) sets.
type ParticipantInput struct {
	// ListingIDs are listings of the participant's organisation to show.
	ListingIDs []string `json:"listingIds"`
	// Unavailable are the IDs of slots in which it cannot meet.
	Unavailable []string `json:"unavailable"`
	Note        string   `json:"note,omitempty"`
}

// UpdateParticipant sets a participant's listings, unavailable slots and
// note. Members of its organisation and the organizer may.
func (s *Service) UpdateParticipant(ctx context.Context, a *Actor, eventID, id string, in ParticipantInput) (*Participant, error) {
	e, err := s.eventFor(ctx, a, eventID, false)
	if err != nil {
		return nil, err
	}
	p, err := s.participantFor(ctx, a, e, id)
	if err != nil {
		return nil, err
	}
	var f Fields
	optionalText(&f, "note", in.Note, MaxDescriptionRunes)
	if len(in.ListingIDs) > MaxListItems {
		f.Add("listingIds", FieldTooLong, "must have at most %d items", MaxListItems)
	}
	for i, lid := range in.ListingIDs {
		l, err := s.findListing(ctx, lid)
		if ErrorCode(err) == ENOTFOUND || err == nil && l.OrgID != p.OrgID {
			f.Add(itemField("listingIds", i), FieldUnknown, "is not a listing of the participant's organisation")
		} else if err != nil {
			return nil, err
		}
	}
	for i, sid := range in.Unavailable {
		if e.Slot(sid) == nil {
			f.Add(itemField("unavailable", i), FieldUnknown, "is not a slot of the event")
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	p.ListingIDs = appendUnique(nil, in.ListingIDs...)
	p.Unavailable = appendUnique(nil, in.Unavailable...)
	p.Note = strings.TrimSpace(in.Note)
	p.UpdatedAt = s.now()
	if err := s.Store.UpdateParticipant(ctx, p); err != nil {
		return nil, err
	}
	return p, nil
}

// DecideParticipant approves or rejects a registration (organizer only).
func (s *Service) DecideParticipant(ctx context.Context, a *Actor, eventID, id string, to ParticipantStatus) (*Participant, error) {
	e, err := s.eventFor(ctx, a, eventID, true)
	if err != nil {
		return nil, err
	}
	if to != ParticipantApproved && to != ParticipantRejected && to != ParticipantPending {
		return nil, Invalid("status", FieldUnknown, "must be approved, rejected or pending")
	}
	p, err := s.participantOf(ctx, e, id)
	if err != nil {
		return nil, err
	}
	p.Status, p.UpdatedAt = to, s.now()
	if err := s.Store.UpdateParticipant(ctx, p); err != nil {
		return nil, err
	}
	return p, nil
}

// CheckIn marks an approved participant arrived on the day, or undoes it
// (organizer only).
func (s *Service) CheckIn(ctx context.Context, a *Actor, eventID, id string, in bool) (*Participant, error) {
	e, err := s.eventFor(ctx, a, eventID, true)
	if err != nil {
		return nil, err
	}
	p, err := s.participantOf(ctx, e, id)
	if err != nil {
		return nil, err
	}
	if p.Status != ParticipantApproved {
		return nil, Errorf(ECONFLICT, "only approved participants check in")
	}
	p.CheckedInAt = nil
	if in {
		now := s.now()
		p.CheckedInAt = &now
	}
	p.UpdatedAt = s.now()
	if err := s.Store.UpdateParticipant(ctx, p); err != nil {
		return nil, err
	}
	return p, nil
}

// feedAllowed reports whether token is the participant's calendar token.
func feedAllowed(p *Participant, token string) bool {
	return token != "" && p.FeedToken != "" && subtle.ConstantTimeCompare([]byte(token), []byte(p.FeedToken)) == 1
}
