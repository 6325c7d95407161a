package app

import (
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/rongtong/rongtong/matching/schedule"
)

// EventStatus is where a matchmaking event (洽谈会) is in its life.
type EventStatus string

// Event statuses: a draft is seen by its organizer only; an open event takes
// registrations and meeting requests; a closed one takes no new registrations
// (the organizer schedules and runs it); a finished one is over.
const (
	EventDraft    EventStatus = "draft"
	EventOpen     EventStatus = "open"
	EventClosed   EventStatus = "closed"
	EventFinished EventStatus = "finished"
)

// EventStatuses lists every event status.
var EventStatuses = []EventStatus{EventDraft, EventOpen, EventClosed, EventFinished}

// eventTransitions are the legal status changes.
var eventTransitions = map[EventStatus][]EventStatus{
	EventDraft:  {EventOpen},
	EventOpen:   {EventClosed, EventDraft},
	EventClosed: {EventOpen, EventFinished},
}

// EventZone is the time zone of event days and printed agendas: China
// Standard Time, which has no daylight saving.
var EventZone = time.FixedZone("CST", 8*3600)

// Limits of an event.
const (
	MaxEventSlots    = 500
	MaxEventSessions = 50
	MaxEventDays     = 14
	MaxSlotTables    = 1000
	MaxEventCap      = 1000
)

// Session is a part of an event day (a morning, an afternoon) whose slots
// form one agenda: breaks are counted within a session only.
type Session struct {
	ID   string `json:"id" bson:"id"`
	Name string `json:"name" bson:"name"`
	// Day is the session's date, "2006-01-02" in EventZone.
	Day string `json:"day" bson:"day"`
}

// EventSlot is a time slot in which meetings run in parallel, one per table.
type EventSlot struct {
	ID      string    `json:"id" bson:"id"`
	Session string    `json:"session" bson:"session"`
	Start   time.Time `json:"start" bson:"start"`
	End     time.Time `json:"end" bson:"end"`
	Tables  int       `json:"tables" bson:"tables"`
}

// TypePair allows organisations of type A to meet organisations of type B
// (and B to meet A), e.g. enterprise ↔ sme.
type TypePair struct {
	A OrgType `json:"a" bson:"a"`
	B OrgType `json:"b" bson:"b"`
}

// Event is a matchmaking event (洽谈会) of 1:1 meetings between participants
// at tables in time slots.
type Event struct {
	ID string `json:"id" bson:"_id"`
	// OrgID is the organizer's organisation; its members run the event.
	OrgID string `json:"orgId" bson:"orgId"`
	// Region is the organizer's region, set from its organisation: admins
	// scoped to a region run the events of organisers in it. Events without
	// an organising organisation have none and are run by province admins.
	Region      string `json:"region,omitempty" bson:"region,omitempty"`
	CreatedBy   string `json:"createdBy,omitempty" bson:"createdBy,omitempty"`
	Title       string `json:"title" bson:"title"`
	Description string `json:"description,omitempty" bson:"description,omitempty"`
	// Venue is the place; OnlineURL the meeting link of an online event. One is required.
	Venue     string `json:"venue,omitempty" bson:"venue,omitempty"`
	OnlineURL string `json:"onlineUrl,omitempty" bson:"onlineUrl,omitempty"`
	// Days are the event's dates, "2006-01-02" in EventZone.
	Days     []string    `json:"days" bson:"days"`
	Sessions []Session   `json:"sessions" bson:"sessions"`
	Slots    []EventSlot `json:"slots" bson:"slots"`
	// MeetingMinutes is the length of a meeting; every slot is at least this long.
	MeetingMinutes int `json:"meetingMinutes" bson:"meetingMinutes"`
	// RegistrationOpens and RegistrationCloses bound the registration window.
	RegistrationOpens  time.Time `json:"registrationOpens" bson:"registrationOpens"`
	RegistrationCloses time.Time `json:"registrationCloses" bson:"registrationCloses"`
	// RequestsClose is when pending meeting requests expire; zero means at
	// the first scheduler run.
	RequestsClose *time.Time `json:"requestsClose,omitempty" bson:"requestsClose,omitempty"`
	// ParticipantTypes are the organisation types that may register.
	ParticipantTypes []OrgType `json:"participantTypes" bson:"participantTypes"`
	// Pairs are who may meet whom; empty allows any two participants.
	Pairs []TypePair `json:"pairs,omitempty" bson:"pairs,omitempty"`
	// MaxRequests caps the requests a participant sends; MaxMeetings its
	// meetings. 0 means no cap.
	MaxRequests int         `json:"maxRequests,omitempty" bson:"maxRequests,omitempty"`
	MaxMeetings int         `json:"maxMeetings,omitempty" bson:"maxMeetings,omitempty"`
	Status      EventStatus `json:"status" bson:"status"`
	CreatedAt   time.Time   `json:"createdAt" bson:"createdAt"`
	UpdatedAt   time.Time   `json:"updatedAt" bson:"updatedAt"`
}

// Normalize trims text.
func (e *Event) Normalize() {
	e.Title = cleanText(e.Title)
	e.Venue = cleanText(e.Venue)
	e.OnlineURL = strings.TrimSpace(e.OnlineURL)
	e.Description = strings.TrimSpace(e.Description)
}

// SortSlots puts the slots in time order, as agendas list them; Validate
// names slots by their place in the input, so it sorts after validating.
func (e *Event) SortSlots() {
	sort.SliceStable(e.Slots, func(i, j int) bool { return e.Slots[i].Start.Before(e.Slots[j].Start) })
}

// Validate checks the event's shape: text, the venue or link, days,
// sessions on those days, slots inside their session's day, at least a
// meeting long, not overlapping one another, with at least one table, the
// registration window, the participant types and who-can-meet rules, and
// the caps. Every problem names its field.
func (e *Event) Validate() error {
	var f Fields
	requiredText(&f, "title", e.Title, MaxTitleRunes)
	optionalText(&f, "description", e.Description, MaxDescriptionRunes)
	optionalText(&f, "venue", e.Venue, MaxNameRunes)
	switch {
	case e.Venue == "" && e.OnlineURL == "":
		f.Add("venue", FieldRequired, "give a venue or an online meeting URL")
	case e.OnlineURL != "":
		if u, err := url.Parse(e.OnlineURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(e.OnlineURL) > 500 {
			f.Add("onlineUrl", FieldFormat, "must be an http or https URL of at most 500 characters")
		}
	}
	if e.MeetingMinutes < 5 || e.MeetingMinutes > 240 {
		f.Add("meetingMinutes", FieldRange, "must be between 5 and 240")
	}
	days := e.validateDays(&f)
	sessions := e.validateSessions(&f, days)
	e.validateSlots(&f, sessions)
	switch {
	case e.RegistrationOpens.IsZero():
		f.Add("registrationOpens", FieldRequired, "is required")
	case e.RegistrationCloses.IsZero():
		f.Add("registrationCloses", FieldRequired, "is required")
	case !e.RegistrationCloses.After(e.RegistrationOpens):
		f.Add("registrationCloses", FieldRange, "must be after registrationOpens")
	case len(e.Slots) > 0 && e.RegistrationCloses.After(e.Slots[0].Start):
		f.Add("registrationCloses", FieldRange, "must not be after the first slot starts")
	}
	if e.RequestsClose != nil && len(e.Slots) > 0 && e.RequestsClose.After(e.Slots[0].Start) {
		f.Add("requestsClose", FieldRange, "must not be after the first slot starts")
	}
	if len(e.ParticipantTypes) == 0 {
		f.Add("participantTypes", FieldRequired, "name at least one organisation type")
	}
	for i, t := range e.ParticipantTypes {
		if !t.Valid() || t == OrgOrganizer {
			f.Add(itemField("participantTypes", i), FieldUnknown, "must be one of sme, enterprise, investor, institution")
		}
	}
	for i, p := range e.Pairs {
		for _, side := range []struct {
			name string
			t    OrgType
		}{{"a", p.A}, {"b", p.B}} {
			if !contains(e.ParticipantTypes, side.t) {
				f.Add(itemField("pairs", i)+"."+side.name, FieldNotAllow, "must be one of the participant types")
			}
		}
	}
	nonNegInt(&f, "maxRequests", e.MaxRequests, MaxEventCap)
	nonNegInt(&f, "maxMeetings", e.MaxMeetings, MaxEventCap)
	return f.Err()
}

func (e *Event) validateDays(f *Fields) map[string]bool {
	days := map[string]bool{}
	if len(e.Days) == 0 {
		f.Add("days", FieldRequired, "name at least one day")
	}
	if len(e.Days) > MaxEventDays {
		f.Add("days", FieldTooLong, "must have at most %d days", MaxEventDays)
		return days
	}
	for i, d := range e.Days {
		if _, err := time.ParseInLocation(time.DateOnly, d, EventZone); err != nil {
			f.Add(itemField("days", i), FieldFormat, "must be a date such as 2027-03-02")
		} else if days[d] {
			f.Add(itemField("days", i), FieldTaken, "is listed twice")
		}
		days[d] = true
	}
	return days
}

func (e *Event) validateSessions(f *Fields, days map[string]bool) map[string]Session {
	sessions := map[string]Session{}
	if len(e.Sessions) == 0 {
		f.Add("sessions", FieldRequired, "name at least one session")
	}
	if len(e.Sessions) > MaxEventSessions {
		f.Add("sessions", FieldTooLong, "must have at most %d sessions", MaxEventSessions)
		return sessions
	}
	for i, s := range e.Sessions {
		field := itemField("sessions", i)
		shortID(f, field+".id", s.ID)
		if _, dup := sessions[s.ID]; dup && s.ID != "" {
			f.Add(field+".id", FieldTaken, "is used by another session")
		}
		requiredText(f, field+".name", s.Name, MaxShortRunes)
		if !days[s.Day] {
			f.Add(field+".day", FieldUnknown, "must be one of the event's days")
		}
		sessions[s.ID] = s
	}
	return sessions
}

func (e *Event) validateSlots(f *Fields, sessions map[string]Session) {
	if len(e.Slots) == 0 {
		f.Add("slots", FieldRequired, "name at least one slot")
	}
	if len(e.Slots) > MaxEventSlots {
		f.Add("slots", FieldTooLong, "must have at most %d slots", MaxEventSlots)
		return
	}
	ids := map[string]bool{}
	timed := make([]int, 0, len(e.Slots)) // slots with a sound time span
	for i := range e.Slots {
		s := &e.Slots[i]
		field := itemField("slots", i)
		shortID(f, field+".id", s.ID)
		if ids[s.ID] && s.ID != "" {
			f.Add(field+".id", FieldTaken, "is used by another slot")
		}
		ids[s.ID] = true
		sess, ok := sessions[s.Session]
		if !ok {
			f.Add(field+".session", FieldUnknown, "must be the id of one of the sessions")
		}
		switch {
		case s.Start.IsZero():
			f.Add(field+".start", FieldRequired, "is required")
		case s.End.IsZero():
			f.Add(field+".end", FieldRequired, "is required")
		case s.End.Sub(s.Start) < time.Duration(e.MeetingMinutes)*time.Minute:
			f.Add(field+".end", FieldRange, "the slot must last at least meetingMinutes (%d minutes)", e.MeetingMinutes)
		case ok && (s.Start.In(EventZone).Format(time.DateOnly) != sess.Day || s.End.Add(-time.Nanosecond).In(EventZone).Format(time.DateOnly) != sess.Day):
			f.Add(field+".start", FieldRange, "the slot must lie inside its session's day %s", sess.Day)
		default:
			timed = append(timed, i)
		}
		if s.Tables < 1 || s.Tables > MaxSlotTables {
			f.Add(field+".tables", FieldRange, "must be between 1 and %d", MaxSlotTables)
		}
	}
	// A participant cannot be at two tables at once: no slot may start
	// before an earlier-starting one ends.
	sort.SliceStable(timed, func(x, y int) bool { return e.Slots[timed[x]].Start.Before(e.Slots[timed[y]].Start) })
	for k, last := 1, 0; k < len(timed); k++ {
		prev, cur := e.Slots[timed[last]], e.Slots[timed[k]]
		if cur.Start.Before(prev.End) {
			f.Add(itemField("slots", timed[k])+".start", FieldRange, "overlaps slot %q", prev.ID)
		}
		if cur.End.After(prev.End) {
			last = k
		}
	}
}

// shortID checks an item id chosen by the organizer, such as "d1am" or "s1".
func shortID(f *Fields, field, id string) {
	if id == "" {
		f.Add(field, FieldRequired, "is required")
		return
	}
	if len(id) > 40 || strings.IndexFunc(id, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
	}) >= 0 {
		f.Add(field, FieldFormat, "must be 1–40 letters, digits, - or _")
	}
}

// Slot returns the slot with the ID, or nil.
func (e *Event) Slot(id string) *EventSlot {
	for i := range e.Slots {
		if e.Slots[i].ID == id {
			return &e.Slots[i]
		}
	}
	return nil
}

// MayMeet reports whether organisations of types a and b may meet at the event.
func (e *Event) MayMeet(a, b OrgType) bool {
	if len(e.Pairs) == 0 {
		return true
	}
	for _, p := range e.Pairs {
		if p.A == a && p.B == b || p.A == b && p.B == a {
			return true
		}
	}
	return false
}

// ParticipantStatus is where a registration is.
type ParticipantStatus string

// Registration statuses: the organizer approves or rejects a pending one.
const (
	ParticipantPending  ParticipantStatus = "pending"
	ParticipantApproved ParticipantStatus = "approved"
	ParticipantRejected ParticipantStatus = "rejected"
)

// ParticipantStatuses lists every registration status.
var ParticipantStatuses = []ParticipantStatus{ParticipantPending, ParticipantApproved, ParticipantRejected}

// Participant is an organisation registered for an event.
type Participant struct {
	ID      string            `json:"id" bson:"_id"`
	EventID string            `json:"eventId" bson:"eventId"`
	OrgID   string            `json:"orgId" bson:"orgId"`
	Org     OrgSummary        `json:"org" bson:"org"`
	Status  ParticipantStatus `json:"status" bson:"status"`
	// ListingIDs are the organisation's listings shown at the event.
	ListingIDs []string `json:"listingIds,omitempty" bson:"listingIds,omitempty"`
	// Unavailable are the IDs of slots in which the participant cannot meet.
	Unavailable []string `json:"unavailable,omitempty" bson:"unavailable,omitempty"`
	Note        string   `json:"note,omitempty" bson:"note,omitempty"`
	// FeedToken authorises the participant's calendar feed (calendar
	// clients cannot log in); only the organisation's members and the
	// organizer see it.
	FeedToken    string     `json:"feedToken,omitempty" bson:"feedToken"`
	RegisteredBy string     `json:"registeredBy,omitempty" bson:"registeredBy,omitempty"`
	CheckedInAt  *time.Time `json:"checkedInAt,omitempty" bson:"checkedInAt,omitempty"`
	CreatedAt    time.Time  `json:"createdAt" bson:"createdAt"`
	UpdatedAt    time.Time  `json:"updatedAt" bson:"updatedAt"`
	// Score is the matching engine's score (0–100) of this participant for
	// the caller's organisation, when the engine can give one; not stored.
	Score *float64 `json:"score,omitempty" bson:"-"`
}

// RequestStatus is where a meeting request is.
type RequestStatus string

// Meeting request statuses. A pending request expires when requests close.
const (
	RequestPending  RequestStatus = "pending"
	RequestAccepted RequestStatus = "accepted"
	RequestDeclined RequestStatus = "declined"
	RequestExpired  RequestStatus = "expired"
)

// RequestStatuses lists every request status.
var RequestStatuses = []RequestStatus{RequestPending, RequestAccepted, RequestDeclined, RequestExpired}

// MaxPriority caps the priority an organizer gives a request.
const MaxPriority = 3

// MeetingRequest is one participant's wish to meet another.
type MeetingRequest struct {
	ID      string        `json:"id" bson:"_id"`
	EventID string        `json:"eventId" bson:"eventId"`
	FromID  string        `json:"fromId" bson:"fromId"` // participant IDs
	ToID    string        `json:"toId" bson:"toId"`
	Message string        `json:"message,omitempty" bson:"message,omitempty"`
	Status  RequestStatus `json:"status" bson:"status"`
	// Priority (0–3) is set by the organizer and weighs the meeting up.
	Priority int `json:"priority,omitempty" bson:"priority,omitempty"`
	// Recommended marks a request the organizer added from the matching
	// engine's suggestions; it weighs less than one a participant asked for.
	Recommended bool `json:"recommended,omitempty" bson:"recommended,omitempty"`
	// Score is the matching score (0–100) when the engine gave one.
	Score     float64   `json:"score,omitempty" bson:"score,omitempty"`
	CreatedBy string    `json:"createdBy,omitempty" bson:"createdBy,omitempty"`
	CreatedAt time.Time `json:"createdAt" bson:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt" bson:"updatedAt"`
}

// MaxMessageRunes caps a request's message.
const MaxMessageRunes = 500

// MeetingStatus says whether a published meeting still takes place.
type MeetingStatus string

// Meeting statuses.
const (
	MeetingScheduled MeetingStatus = "scheduled"
	MeetingCancelled MeetingStatus = "cancelled"
)

// Outcomes of a meeting, marked on the day.
const (
	OutcomeHeld   = "held"
	OutcomeNoShow = "no_show"
)

// Meeting is a scheduled 1:1 meeting. Its ID stays the same when it is
// moved, so calendar entries update rather than duplicate; Sequence counts
// its published changes (RFC 5545 SEQUENCE).
type Meeting struct {
	ID string `json:"id" bson:"id"`
	// Request is the ID of the scheduler request: the first meeting request
	// between the two participants.
	Request  string        `json:"request" bson:"request"`
	A        string        `json:"a" bson:"a"` // participant IDs
	B        string        `json:"b" bson:"b"`
	Slot     string        `json:"slot" bson:"slot"`
	Table    int           `json:"table" bson:"table"`
	Status   MeetingStatus `json:"status" bson:"status"`
	Sequence int           `json:"sequence" bson:"sequence"`
	// Outcome is "", OutcomeHeld or OutcomeNoShow; NoShows names who did not come.
	Outcome string    `json:"outcome,omitempty" bson:"outcome,omitempty"`
	NoShows []string  `json:"noShows,omitempty" bson:"noShows,omitempty"`
	Ratings []Rating  `json:"ratings,omitempty" bson:"ratings,omitempty"`
	Updated time.Time `json:"updatedAt" bson:"updatedAt"`
}

// Rating is one side's view of a held meeting.
type Rating struct {
	ParticipantID string `json:"participantId" bson:"participantId"`
	Stars         int    `json:"stars" bson:"stars"`
	Comment       string `json:"comment,omitempty" bson:"comment,omitempty"`
	// FollowUp says whether the side intends to follow up (a visit, a quote, a term sheet).
	FollowUp bool      `json:"followUp" bson:"followUp"`
	At       time.Time `json:"at" bson:"at"`
}

// Plan is one scheduler run, with the problem it solved so that manual
// moves are checked against exactly that problem.
type Plan struct {
	Problem     schedule.Problem     `json:"problem" bson:"problem"`
	Meetings    []Meeting            `json:"meetings" bson:"meetings"`
	Unscheduled []UnscheduledRequest `json:"unscheduled" bson:"unscheduled"`
	Stats       schedule.Stats       `json:"stats" bson:"stats"`
	Seed        int64                `json:"seed" bson:"seed"`
	KeptFixed   bool                 `json:"keptPublished" bson:"keptPublished"`
	RunAt       time.Time            `json:"runAt" bson:"runAt"`
	Moves       int                  `json:"moves" bson:"moves"`
}

// UnscheduledRequest is a request the schedule leaves out, with the
// scheduler's reason (schedule.Reason*).
type UnscheduledRequest struct {
	Request string `json:"request" bson:"request"`
	A       string `json:"a" bson:"a"`
	B       string `json:"b" bson:"b"`
	Reason  string `json:"reason" bson:"reason"`
}

// Schedule is an event's draft plan and its published meetings.
type Schedule struct {
	EventID string `json:"eventId" bson:"_id"`
	// Version increases with every save; a save of a stale copy fails.
	Version     int64      `json:"version" bson:"version"`
	Draft       *Plan      `json:"draft,omitempty" bson:"draft,omitempty"`
	Published   []Meeting  `json:"published,omitempty" bson:"published,omitempty"`
	PublishedAt *time.Time `json:"publishedAt,omitempty" bson:"publishedAt,omitempty"`
}

// meetingByID returns the published meeting with the ID, or nil.
func (s *Schedule) meetingByID(id string) *Meeting {
	for i := range s.Published {
		if s.Published[i].ID == id {
			return &s.Published[i]
		}
	}
	return nil
}

// pairKey names an unordered pair of participants.
func pairKey(a, b string) string {
	if a > b {
		a, b = b, a
	}
	return fmt.Sprintf("%s|%s", a, b)
}
