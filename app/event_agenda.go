package app

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// AgendaItem is one meeting of an agenda.
type AgendaItem struct {
	MeetingID   string        `json:"meetingId"`
	Slot        string        `json:"slot"`
	Session     string        `json:"session"`
	Start       time.Time     `json:"start"`
	End         time.Time     `json:"end"`
	Table       int           `json:"table"`
	Status      MeetingStatus `json:"status"`
	Sequence    int           `json:"sequence"`
	Outcome     string        `json:"outcome,omitempty"`
	A           OrgSummary    `json:"a"`
	B           OrgSummary    `json:"b"`
	Counterpart *OrgSummary   `json:"counterpart,omitempty"`
	Updated     time.Time     `json:"updatedAt"`
}

// Agenda is the published meetings of one participant, or of the whole
// event, in time order. Cancelled meetings are listed with their status.
type Agenda struct {
	Event       *Event       `json:"event"`
	Participant *Participant `json:"participant,omitempty"`
	Items       []AgendaItem `json:"items"`
	PublishedAt *time.Time   `json:"publishedAt,omitempty"`
}

// ParticipantAgenda returns a participant's agenda: for its organisation's
// members, the organizer and admins, or for anyone holding its calendar
// token (calendar clients cannot log in). Before publication it is empty.
func (s *Service) ParticipantAgenda(ctx context.Context, a *Actor, eventID, participantID, token string) (*Agenda, error) {
	var e *Event
	var p *Participant
	var err error
	if token != "" && (a == nil || a.UserID == "") {
		e, p, err = s.agendaByToken(ctx, eventID, participantID, token)
	} else {
		e, err = s.eventFor(ctx, a, eventID, false)
		if err == nil {
			p, err = s.participantFor(ctx, a, e, participantID)
		}
	}
	if err != nil {
		return nil, err
	}
	return s.agenda(ctx, e, p)
}

func (s *Service) agendaByToken(ctx context.Context, eventID, participantID, token string) (*Event, *Participant, error) {
	bad := Errorf(EUNAUTHORIZED, "the calendar link is not valid")
	if !ValidID(eventID) || !ValidID(participantID) {
		return nil, nil, bad
	}
	p, err := s.Store.FindParticipant(ctx, participantID)
	if ErrorCode(err) == ENOTFOUND || err == nil && (p.EventID != eventID || !feedAllowed(p, token)) {
		return nil, nil, bad
	} else if err != nil {
		return nil, nil, err
	}
	e, err := s.Store.FindEvent(ctx, eventID)
	if err != nil {
		return nil, nil, err
	}
	return e, p, nil
}

// EventAgenda returns every published meeting of the event (organizer only).
func (s *Service) EventAgenda(ctx context.Context, a *Actor, eventID string) (*Agenda, error) {
	e, err := s.eventFor(ctx, a, eventID, true)
	if err != nil {
		return nil, err
	}
	return s.agenda(ctx, e, nil)
}

func (s *Service) agenda(ctx context.Context, e *Event, p *Participant) (*Agenda, error) {
	ag := &Agenda{Event: e, Participant: p, Items: []AgendaItem{}}
	sc, err := s.Store.FindSchedule(ctx, e.ID)
	if ErrorCode(err) == ENOTFOUND {
		return ag, nil
	} else if err != nil {
		return nil, err
	}
	ag.PublishedAt = sc.PublishedAt
	ps, err := s.participants(ctx, ParticipantFilter{EventID: e.ID})
	if err != nil {
		return nil, err
	}
	orgOf := map[string]OrgSummary{}
	for _, x := range ps {
		orgOf[x.ID] = x.Org
	}
	sessionName := map[string]string{}
	for _, ss := range e.Sessions {
		sessionName[ss.ID] = ss.Name
	}
	for _, m := range sc.Published {
		if p != nil && m.A != p.ID && m.B != p.ID {
			continue
		}
		it := AgendaItem{MeetingID: m.ID, Slot: m.Slot, Table: m.Table, Status: m.Status, Sequence: m.Sequence,
			Outcome: m.Outcome, A: orgOf[m.A], B: orgOf[m.B], Updated: m.Updated}
		if sl := e.Slot(m.Slot); sl != nil {
			it.Start, it.End, it.Session = sl.Start, sl.End, sessionName[sl.Session]
		}
		if p != nil {
			other := it.B
			if m.B == p.ID {
				other = it.A
			}
			it.Counterpart = &other
		}
		ag.Items = append(ag.Items, it)
	}
	sort.SliceStable(ag.Items, func(i, j int) bool {
		if !ag.Items[i].Start.Equal(ag.Items[j].Start) {
			return ag.Items[i].Start.Before(ag.Items[j].Start)
		}
		return ag.Items[i].Table < ag.Items[j].Table
	})
	return ag, nil
}

// ICalendar renders a participant's agenda as an iCalendar feed (RFC 5545):
// one VEVENT per meeting with a UID that stays the same however often the
// meeting moves (meeting-id@rongtong), a SEQUENCE raised at each published
// change, and STATUS:CANCELLED for a cancelled meeting, so calendar clients
// update or remove their entry instead of adding another. Times are in UTC.
func ICalendar(ag *Agenda, stamp time.Time) string {
	var b strings.Builder
	w := func(line string) { b.WriteString(foldLine(line)) }
	w("BEGIN:VCALENDAR")
	w("VERSION:2.0")
	w("PRODID:-//Rongtong//Matchmaking events//ZH")
	w("CALSCALE:GREGORIAN")
	w("METHOD:PUBLISH")
	name := ag.Event.Title
	if ag.Participant != nil {
		name += " – " + ag.Participant.Org.Name
	}
	w("X-WR-CALNAME:" + icalText(name))
	for _, it := range ag.Items {
		w("BEGIN:VEVENT")
		w("UID:" + it.MeetingID + "@rongtong")
		w("DTSTAMP:" + icalTime(stamp))
		w("LAST-MODIFIED:" + icalTime(it.Updated))
		w("DTSTART:" + icalTime(it.Start))
		w("DTEND:" + icalTime(it.End))
		w(fmt.Sprintf("SEQUENCE:%d", it.Sequence))
		title := "洽谈: " + it.A.Name + " × " + it.B.Name
		if it.Counterpart != nil {
			title = "洽谈: " + it.Counterpart.Name
		}
		w("SUMMARY:" + icalText(title))
		loc := fmt.Sprintf("%d号桌", it.Table)
		if v := ag.Event.Venue; v != "" {
			loc = v + " " + loc
		}
		w("LOCATION:" + icalText(loc))
		w("DESCRIPTION:" + icalText(fmt.Sprintf("%s\n%s %d号桌", ag.Event.Title, it.Session, it.Table)))
		if it.Status == MeetingCancelled {
			w("STATUS:CANCELLED")
		} else {
			w("STATUS:CONFIRMED")
		}
		w("TRANSP:OPAQUE")
		w("END:VEVENT")
	}
	w("END:VCALENDAR")
	return b.String()
}

// icalTime formats a UTC date-time (RFC 5545 §3.3.5, form 2).
func icalTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// icalText escapes a TEXT value (RFC 5545 §3.3.11).
func icalText(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`).Replace(s)
}

// foldLine ends a content line with CRLF, folding it so that no line is
// longer than 75 octets (RFC 5545 §3.1): a continuation starts with a
// space, and a UTF-8 character is never split.
func foldLine(line string) string {
	var b strings.Builder
	n := 0
	for _, r := range line {
		size := len(string(r))
		if n+size > 75 {
			b.WriteString("\r\n ")
			n = 1
		}
		b.WriteRune(r)
		n += size
	}
	b.WriteString("\r\n")
	return b.String()
}

// OutcomeInput marks how a meeting went on the day.
type OutcomeInput struct {
	// Outcome is "held" or "no_show".
	Outcome string `json:"outcome"`
	// NoShows names the participants who did not come (for no_show).
	NoShows []string `json:"noShows,omitempty"`
}

// SetOutcome marks a published meeting held or missed (organizer only).
func (s *Service) SetOutcome(ctx context.Context, a *Actor, eventID, meetingID string, in OutcomeInput) (*Meeting, error) {
	e, err := s.eventFor(ctx, a, eventID, true)
	if err != nil {
		return nil, err
	}
	if in.Outcome != OutcomeHeld && in.Outcome != OutcomeNoShow {
		return nil, Invalid("outcome", FieldUnknown, "must be held or no_show")
	}
	return s.changeMeeting(ctx, e, meetingID, func(m *Meeting) error {
		var f Fields
		if in.Outcome == OutcomeNoShow && len(in.NoShows) == 0 {
			f.Add("noShows", FieldRequired, "name who did not come")
		}
		for i, pid := range in.NoShows {
			if pid != m.A && pid != m.B || in.Outcome == OutcomeHeld {
				f.Add(itemField("noShows", i), FieldNotAllow, "must be one of the meeting's participants, for no_show")
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		m.Outcome, m.NoShows = in.Outcome, appendUnique(nil, in.NoShows...)
		return nil
	})
}

// changeMeeting applies fn to a published, scheduled meeting and saves it.
func (s *Service) changeMeeting(ctx context.Context, e *Event, meetingID string, fn func(m *Meeting) error) (*Meeting, error) {
	sc, err := s.Store.FindSchedule(ctx, e.ID)
	if ErrorCode(err) == ENOTFOUND {
		return nil, Errorf(ENOTFOUND, "meeting not found")
	} else if err != nil {
		return nil, err
	}
	m := sc.meetingByID(meetingID)
	if m == nil {
		return nil, Errorf(ENOTFOUND, "meeting not found")
	}
	if m.Status != MeetingScheduled {
		return nil, Errorf(ECONFLICT, "the meeting was cancelled")
	}
	if err := fn(m); err != nil {
		return nil, err
	}
	if err := s.Store.SaveSchedule(ctx, sc); err != nil {
		return nil, err
	}
	return m, nil
}

// RatingInput is one side's rating of a meeting.
type RatingInput struct {
	Stars    int    `json:"stars"`
	Comment  string `json:"comment,omitempty"`
	FollowUp bool   `json:"followUp"`
	// ParticipantID is the side rating; "" means the actor's own participant.
	ParticipantID string `json:"participantId,omitempty"`
}

// RateMeeting records a side's rating (1–5 stars, a comment, whether it
// will follow up) once the meeting's slot has ended and it was not missed.
// Members of either side rate for their side; a second rating replaces the first.
func (s *Service) RateMeeting(ctx context.Context, a *Actor, eventID, meetingID string, in RatingInput) (*Meeting, error) {
	e, err := s.eventFor(ctx, a, eventID, false)
	if err != nil {
		return nil, err
	}
	var f Fields
	if in.Stars < 1 || in.Stars > 5 {
		f.Add("stars", FieldRange, "must be between 1 and 5")
	}
	optionalText(&f, "comment", in.Comment, MaxDescriptionRunes)
	if err := f.Err(); err != nil {
		return nil, err
	}
	side := in.ParticipantID
	if side == "" {
		own, err := s.ownParticipant(ctx, a, e.ID)
		if err != nil {
			return nil, err
		}
		if own == nil {
			return nil, Errorf(ENOTFOUND, "meeting not found")
		}
		side = own.ID
	}
	return s.changeMeeting(ctx, e, meetingID, func(m *Meeting) error {
		if side != m.A && side != m.B {
			return Errorf(ENOTFOUND, "meeting not found")
		}
		p, err := s.participantOf(ctx, e, side)
		if err != nil {
			return err
		}
		if !a.MemberOf(p.OrgID) && !runs(a, e) {
			return errForbidden
		}
		if sl := e.Slot(m.Slot); sl != nil && s.now().Before(sl.End) {
			return Errorf(ECONFLICT, "rate the meeting after it ends")
		}
		if m.Outcome == OutcomeNoShow {
			return Errorf(ECONFLICT, "the meeting did not take place")
		}
		r := Rating{ParticipantID: side, Stars: in.Stars, Comment: strings.TrimSpace(in.Comment), FollowUp: in.FollowUp, At: s.now()}
		for i := range m.Ratings {
			if m.Ratings[i].ParticipantID == side {
				m.Ratings[i] = r
				return nil
			}
		}
		m.Ratings = append(m.Ratings, r)
		return nil
	})
}

// EventResults sums up an event on and after the day.
type EventResults struct {
	Participants int `json:"participants"` // approved
	CheckedIn    int `json:"checkedIn"`
	Requests     int `json:"requests"`
	Accepted     int `json:"accepted"`
	Scheduled    int `json:"scheduled"` // published meetings not cancelled
	Held         int `json:"held"`
	NoShows      int `json:"noShows"`
	Ratings      int `json:"ratings"`
	// AverageRating is the mean of the stars given, 0 without ratings.
	AverageRating float64 `json:"averageRating"`
	// FollowUps counts the ratings whose side intends to follow up.
	FollowUps int `json:"followUps"`
}

// Results returns an event's figures (organizer only).
func (s *Service) Results(ctx context.Context, a *Actor, eventID string) (*EventResults, error) {
	e, err := s.eventFor(ctx, a, eventID, true)
	if err != nil {
		return nil, err
	}
	res := &EventResults{}
	ps, err := s.participants(ctx, ParticipantFilter{EventID: e.ID, Statuses: []ParticipantStatus{ParticipantApproved}})
	if err != nil {
		return nil, err
	}
	for _, p := range ps {
		res.Participants++
		if p.CheckedInAt != nil {
			res.CheckedIn++
		}
	}
	rs, err := s.requests(ctx, RequestFilter{EventID: e.ID})
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		res.Requests++
		if r.Status == RequestAccepted {
			res.Accepted++
		}
	}
	sc, err := s.Store.FindSchedule(ctx, e.ID)
	if ErrorCode(err) == ENOTFOUND {
		return res, nil
	} else if err != nil {
		return nil, err
	}
	stars := 0
	for _, m := range sc.Published {
		if m.Status != MeetingScheduled {
			continue
		}
		res.Scheduled++
		switch m.Outcome {
		case OutcomeHeld:
			res.Held++
		case OutcomeNoShow:
			res.NoShows++
		}
		for _, r := range m.Ratings {
			res.Ratings++
			stars += r.Stars
			if r.FollowUp {
				res.FollowUps++
			}
		}
	}
	if res.Ratings > 0 {
		res.AverageRating = float64(stars) / float64(res.Ratings)
	}
	return res, nil
}
