package app

import "context"

// EventFilter selects events. Zero fields do not filter.
type EventFilter struct {
	OrgID    string
	Statuses []EventStatus
}

// ParticipantFilter selects the participants of one event.
type ParticipantFilter struct {
	EventID  string // required
	OrgID    string
	Statuses []ParticipantStatus
}

// RequestFilter selects the meeting requests of one event.
type RequestFilter struct {
	EventID string // required
	// ParticipantID keeps the requests it sent or received.
	ParticipantID string
	Statuses      []RequestStatus
}

// EventStore keeps matchmaking events, their participants, meeting requests
// and schedules. Lists are in ID order.
type EventStore interface {
	// CreateEvent stores a new event; ECONFLICT (field id) if the ID is taken.
	CreateEvent(ctx context.Context, e *Event) error
	// FindEvent returns ENOTFOUND if no event has the ID.
	FindEvent(ctx context.Context, id string) (*Event, error)
	// UpdateEvent replaces an event; ENOTFOUND if missing.
	UpdateEvent(ctx context.Context, e *Event) error
	// ListEvents returns events in ID order.
	ListEvents(ctx context.Context, f EventFilter, p Page) ([]*Event, error)

	// CreateParticipant returns ECONFLICT (field orgId) if the organisation
	// is already registered for the event.
	CreateParticipant(ctx context.Context, p *Participant) error
	// FindParticipant returns ENOTFOUND if no participant has the ID.
	FindParticipant(ctx context.Context, id string) (*Participant, error)
	// UpdateParticipant replaces a participant; ENOTFOUND if missing.
	UpdateParticipant(ctx context.Context, p *Participant) error
	// ListParticipants returns an event's participants in ID order.
	ListParticipants(ctx context.Context, f ParticipantFilter, p Page) ([]*Participant, error)

	// CreateMeetingRequest returns ECONFLICT (field toId) if the sender has
	// already asked the same participant.
	CreateMeetingRequest(ctx context.Context, r *MeetingRequest) error
	// FindMeetingRequest returns ENOTFOUND if no request has the ID.
	FindMeetingRequest(ctx context.Context, id string) (*MeetingRequest, error)
	// UpdateMeetingRequest replaces a request; ENOTFOUND if missing.
	UpdateMeetingRequest(ctx context.Context, r *MeetingRequest) error
	// ListMeetingRequests returns an event's requests in ID order.
	ListMeetingRequests(ctx context.Context, f RequestFilter, p Page) ([]*MeetingRequest, error)

	// FindSchedule returns ENOTFOUND if the event has no schedule yet.
	FindSchedule(ctx context.Context, eventID string) (*Schedule, error)
	// SaveSchedule stores s if the stored schedule's version is still
	// s.Version (0: none is stored yet) and then increments s.Version. It
	// returns ECONFLICT when another save came first, so two organizers (or
	// two server nodes) running the scheduler at once cannot overwrite each
	// other's work unseen.
	SaveSchedule(ctx context.Context, s *Schedule) error
}
