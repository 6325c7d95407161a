package mongo

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/rongtong/rongtong/app"
)

// Collections of matchmaking events.
const (
	collEvents       = "events"
	collParticipants = "eventParticipants"
	collRequests     = "meetingRequests"
	collSchedules    = "eventSchedules"
)

// eventIndexes are the indexes of the event collections; the unique ones
// keep an organisation from registering twice and a participant from asking
// another twice.
func (s *Store) eventIndexes() []index {
	k := func(names ...string) bson.D {
		d := make(bson.D, len(names))
		for i, n := range names {
			d[i] = bson.E{Key: n, Value: 1}
		}
		return d
	}
	return []index{
		{s.db.Collection(collEvents), "orgId_1", k("orgId"), false},
		{s.db.Collection(collParticipants), "eventId_1_orgId_1", k("eventId", "orgId"), true},
		{s.db.Collection(collRequests), "eventId_1_fromId_1_toId_1", k("eventId", "fromId", "toId"), true},
		{s.db.Collection(collRequests), "toId_1", k("toId"), false},
	}
}

// insertDoc inserts a record; a unique index other than _id refusing it is
// ECONFLICT naming taken.
func (s *Store) insertDoc(ctx context.Context, coll, what, id, taken string, rec any) error {
	if !app.ValidID(id) {
		return app.Invalid("id", app.FieldFormat, "is not a valid ID")
	}
	c := s.db.Collection(coll)
	_, err := c.InsertOne(ctx, rec)
	if err == nil {
		return nil
	}
	if !isUniqueViolation(err) {
		return fmt.Errorf("mongo: create %s: %w", what, err)
	}
	n, cerr := c.CountDocuments(ctx, byID(id), options.Count().SetLimit(1))
	if cerr != nil {
		return fmt.Errorf("mongo: create %s: %w (and finding the conflict: %w)", what, err, cerr)
	}
	if n > 0 {
		taken = "id"
	}
	return fmt.Errorf("%w: %w", conflictError(taken, "is already used by another record"), err)
}

// replaceDoc replaces a record; ENOTFOUND if missing.
func (s *Store) replaceDoc(ctx context.Context, coll, what, id string, rec any) error {
	if !app.ValidID(id) {
		return notFound(what)
	}
	res, err := s.db.Collection(coll).ReplaceOne(ctx, byID(id), rec)
	if err != nil {
		return fmt.Errorf("mongo: update %s: %w", what, err)
	}
	if res.MatchedCount == 0 {
		return notFound(what)
	}
	return nil
}

// findDoc decodes the record with the ID into rec.
func (s *Store) findDoc(ctx context.Context, coll, what, id string, rec any) error {
	if !app.ValidID(id) {
		return notFound(what)
	}
	err := s.db.Collection(coll).FindOne(ctx, byID(id)).Decode(rec)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return notFound(what)
	}
	if err != nil {
		return fmt.Errorf("mongo: find %s: %w", what, err)
	}
	return nil
}

// listDocs returns one page of the records the conditions select, in ID order.
func listDocs[T any](ctx context.Context, s *Store, coll, what string, conds []bson.D, p app.Page) ([]*T, error) {
	if p.After != "" {
		conds = append(conds, cmp("_id", "$gt", p.After))
	}
	out := []*T{}
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(pageLimit(p))
	if err := findAll(ctx, s.db.Collection(coll), and(conds), &out, opts); err != nil {
		return nil, fmt.Errorf("mongo: list %s: %w", what, err)
	}
	return out, nil
}

func prepareEvent(e *app.Event) {
	e.CreatedAt, e.UpdatedAt = msTime(e.CreatedAt), msTime(e.UpdatedAt)
	e.RegistrationOpens, e.RegistrationCloses = msTime(e.RegistrationOpens), msTime(e.RegistrationCloses)
	msTimePtr(&e.RequestsClose)
	for i := range e.Slots {
		e.Slots[i].Start, e.Slots[i].End = msTime(e.Slots[i].Start), msTime(e.Slots[i].End)
	}
}

// CreateEvent stores a new event; ECONFLICT (field id) if the ID is taken.
func (s *Store) CreateEvent(ctx context.Context, e *app.Event) error {
	prepareEvent(e)
	return s.insertDoc(ctx, collEvents, "event", e.ID, "id", e)
}

// FindEvent returns ENOTFOUND if no event has the ID.
func (s *Store) FindEvent(ctx context.Context, id string) (*app.Event, error) {
	e := new(app.Event)
	if err := s.findDoc(ctx, collEvents, "event", id, e); err != nil {
		return nil, err
	}
	return e, nil
}

// UpdateEvent replaces an event; ENOTFOUND if missing.
func (s *Store) UpdateEvent(ctx context.Context, e *app.Event) error {
	prepareEvent(e)
	return s.replaceDoc(ctx, collEvents, "event", e.ID, e)
}

// ListEvents returns events in ID order.
func (s *Store) ListEvents(ctx context.Context, f app.EventFilter, p app.Page) ([]*app.Event, error) {
	var conds []bson.D
	if f.OrgID != "" {
		conds = append(conds, eq("orgId", f.OrgID))
	}
	if len(f.Statuses) > 0 {
		conds = append(conds, in("status", f.Statuses))
	}
	return listDocs[app.Event](ctx, s, collEvents, "events", conds, p)
}

func prepareParticipant(p *app.Participant) {
	p.CreatedAt, p.UpdatedAt = msTime(p.CreatedAt), msTime(p.UpdatedAt)
	msTimePtr(&p.CheckedInAt)
}

// CreateParticipant returns ECONFLICT (field orgId) if the organisation is
// already registered for the event.
func (s *Store) CreateParticipant(ctx context.Context, p *app.Participant) error {
	prepareParticipant(p)
	return s.insertDoc(ctx, collParticipants, "participant", p.ID, "orgId", p)
}

// FindParticipant returns ENOTFOUND if no participant has the ID.
func (s *Store) FindParticipant(ctx context.Context, id string) (*app.Participant, error) {
	p := new(app.Participant)
	if err := s.findDoc(ctx, collParticipants, "participant", id, p); err != nil {
		return nil, err
	}
	return p, nil
}

// UpdateParticipant replaces a participant; ENOTFOUND if missing.
func (s *Store) UpdateParticipant(ctx context.Context, p *app.Participant) error {
	prepareParticipant(p)
	return s.replaceDoc(ctx, collParticipants, "participant", p.ID, p)
}

// ListParticipants returns an event's participants in ID order.
func (s *Store) ListParticipants(ctx context.Context, f app.ParticipantFilter, p app.Page) ([]*app.Participant, error) {
	conds := []bson.D{eq("eventId", f.EventID)}
	if f.OrgID != "" {
		conds = append(conds, eq("orgId", f.OrgID))
	}
	if len(f.Statuses) > 0 {
		conds = append(conds, in("status", f.Statuses))
	}
	return listDocs[app.Participant](ctx, s, collParticipants, "participants", conds, p)
}

func prepareRequest(r *app.MeetingRequest) {
	r.CreatedAt, r.UpdatedAt = msTime(r.CreatedAt), msTime(r.UpdatedAt)
}

// CreateMeetingRequest returns ECONFLICT (field toId) if the sender has
// already asked the same participant.
func (s *Store) CreateMeetingRequest(ctx context.Context, r *app.MeetingRequest) error {
	prepareRequest(r)
	return s.insertDoc(ctx, collRequests, "meeting request", r.ID, "toId", r)
}

// FindMeetingRequest returns ENOTFOUND if no request has the ID.
func (s *Store) FindMeetingRequest(ctx context.Context, id string) (*app.MeetingRequest, error) {
	r := new(app.MeetingRequest)
	if err := s.findDoc(ctx, collRequests, "meeting request", id, r); err != nil {
		return nil, err
	}
	return r, nil
}

// UpdateMeetingRequest replaces a request; ENOTFOUND if missing.
func (s *Store) UpdateMeetingRequest(ctx context.Context, r *app.MeetingRequest) error {
	prepareRequest(r)
	return s.replaceDoc(ctx, collRequests, "meeting request", r.ID, r)
}

// ListMeetingRequests returns an event's requests in ID order.
func (s *Store) ListMeetingRequests(ctx context.Context, f app.RequestFilter, p app.Page) ([]*app.MeetingRequest, error) {
	conds := []bson.D{eq("eventId", f.EventID)}
	if f.ParticipantID != "" {
		conds = append(conds, bson.D{{Key: "$or", Value: bson.A{eq("fromId", f.ParticipantID), eq("toId", f.ParticipantID)}}})
	}
	if len(f.Statuses) > 0 {
		conds = append(conds, in("status", f.Statuses))
	}
	return listDocs[app.MeetingRequest](ctx, s, collRequests, "meeting requests", conds, p)
}

// FindSchedule returns ENOTFOUND if the event has no schedule yet.
func (s *Store) FindSchedule(ctx context.Context, eventID string) (*app.Schedule, error) {
	sc := new(app.Schedule)
	if err := s.findDoc(ctx, collSchedules, "schedule", eventID, sc); err != nil {
		return nil, err
	}
	return sc, nil
}

// SaveSchedule stores sc if the stored version is still sc.Version, then
// increments sc.Version; ECONFLICT when another save came first.
func (s *Store) SaveSchedule(ctx context.Context, sc *app.Schedule) error {
	if !app.ValidID(sc.EventID) {
		return app.Invalid("eventId", app.FieldFormat, "is not a valid ID")
	}
	unlock := s.lockRMW()
	defer unlock()
	next := *sc
	next.Version++
	prepareSchedule(&next)
	c := s.db.Collection(collSchedules)
	stale := app.Errorf(app.ECONFLICT, "the schedule was changed meanwhile; reload it and try again")
	if sc.Version == 0 {
		if _, err := c.InsertOne(ctx, &next); isUniqueViolation(err) {
			return fmt.Errorf("%w: %w", stale, err)
		} else if err != nil {
			return fmt.Errorf("mongo: save schedule: %w", err)
		}
	} else {
		res, err := c.ReplaceOne(ctx, and([]bson.D{byID(sc.EventID), eq("version", sc.Version)}), &next)
		if err != nil {
			return fmt.Errorf("mongo: save schedule: %w", err)
		}
		if res.MatchedCount == 0 {
			return stale
		}
	}
	*sc = next
	return nil
}

func prepareSchedule(sc *app.Schedule) {
	msTimePtr(&sc.PublishedAt)
	fix := func(ms []app.Meeting) {
		for i := range ms {
			ms[i].Updated = msTime(ms[i].Updated)
			for j := range ms[i].Ratings {
				ms[i].Ratings[j].At = msTime(ms[i].Ratings[j].At)
			}
		}
	}
	fix(sc.Published)
	if d := sc.Draft; d != nil {
		d.RunAt = msTime(d.RunAt)
		fix(d.Meetings)
		for i := range d.Problem.Slots {
			d.Problem.Slots[i].Start, d.Problem.Slots[i].End = msTime(d.Problem.Slots[i].Start), msTime(d.Problem.Slots[i].End)
		}
	}
}
