package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/rongtong/rongtong/app"
)

// docTable describes a table that keeps a record's JSON in doc beside the
// columns lists filter on: events, participants and meeting requests.
type docTable struct {
	name string   // table
	what string   // the record, for messages
	cols []string // columns before doc, id first
	// taken is the field an ECONFLICT names when a unique index other than
	// the primary key refuses a write.
	taken string
}

var (
	eventsTable       = docTable{"events", "event", []string{"id", "org_id", "status"}, "id"}
	participantsTable = docTable{"event_participants", "participant", []string{"id", "event_id", "org_id", "status"}, "orgId"}
	requestsTable     = docTable{"meeting_requests", "meeting request", []string{"id", "event_id", "from_id", "to_id", "status"}, "toId"}
)

// insert stores a new record with its column values (in cols order).
func (s *Store) insertDoc(ctx context.Context, t docTable, rec any, vals ...any) error {
	if err := checkID(vals[0].(string)); err != nil {
		return err
	}
	doc, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("sqlite: encode %s: %w", t.what, err)
	}
	q := `INSERT INTO ` + t.name + ` (` + strings.Join(t.cols, ", ") + `, doc) VALUES (` + strings.Repeat("?, ", len(t.cols)) + `?)`
	err = s.write(ctx, func(w *wtx) error {
		_, err := w.exec(q, append(vals, string(doc))...)
		return err
	})
	return t.unique(err)
}

// updateDoc replaces a record; ENOTFOUND if it is missing.
func (s *Store) updateDoc(ctx context.Context, t docTable, rec any, vals ...any) error {
	doc, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("sqlite: encode %s: %w", t.what, err)
	}
	set := make([]string, 0, len(t.cols))
	for _, c := range t.cols[1:] {
		set = append(set, c+" = ?")
	}
	q := `UPDATE ` + t.name + ` SET ` + strings.Join(set, ", ") + `, doc = ? WHERE id = ?`
	args := append(append([]any{}, vals[1:]...), string(doc), vals[0])
	err = s.write(ctx, func(w *wtx) error {
		res, err := w.exec(q, args...)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return notFound(t.what)
		}
		return nil
	})
	return t.unique(err)
}

// unique names the field of a unique index other than the primary key.
func (t docTable) unique(err error) error {
	var se *sqlite.Error
	if errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE && !strings.Contains(se.Error(), t.name+".id") {
		return conflict(t.taken)
	}
	if errors.As(err, &se) && (se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY) {
		return conflict("id")
	}
	return translate(err)
}

// findDoc decodes the record with the ID into rec.
func (s *Store) findDoc(ctx context.Context, t docTable, id string, rec any) error {
	if !app.ValidID(id) {
		return notFound(t.what)
	}
	row, err := s.queryRow(ctx, `SELECT doc FROM `+t.name+` WHERE id = ?`, id)
	if err != nil {
		return err
	}
	var doc []byte
	if err := row.Scan(&doc); errors.Is(err, sql.ErrNoRows) {
		return notFound(t.what)
	} else if err != nil {
		return translate(err)
	}
	if err := json.Unmarshal(doc, rec); err != nil {
		return fmt.Errorf("sqlite: decode %s: %w", t.what, err)
	}
	return nil
}

// listDocs returns one page of records the conditions select, in ID order.
func listDocs[T any](ctx context.Context, s *Store, t docTable, w *where, p app.Page) ([]*T, error) {
	if w.err != nil {
		return nil, w.err
	}
	if p.After != "" {
		w.add("id > ?", p.After)
	}
	rows, err := s.rdb.QueryContext(ctx, `SELECT doc FROM `+t.name+w.sql()+` ORDER BY id LIMIT `+strconv.Itoa(pageLimit(p)), w.args...)
	if err != nil {
		return nil, translate(err)
	}
	return scanDocs[T](rows, t.what)
}

// scanDocs decodes the doc column of every row into a record, and closes
// the rows; what names the records in errors.
func scanDocs[T any](rows *sql.Rows, what string) ([]*T, error) {
	defer rows.Close()
	var out []*T
	for rows.Next() {
		var doc []byte
		if err := rows.Scan(&doc); err != nil {
			return nil, translate(err)
		}
		rec := new(T)
		if err := json.Unmarshal(doc, rec); err != nil {
			return nil, fmt.Errorf("sqlite: decode %s: %w", what, err)
		}
		out = append(out, rec)
	}
	return out, translate(rows.Err())
}

// CreateEvent stores a new event; ECONFLICT (field id) if the ID is taken.
func (s *Store) CreateEvent(ctx context.Context, e *app.Event) error {
	return s.insertDoc(ctx, eventsTable, e, e.ID, e.OrgID, string(e.Status))
}

// FindEvent returns ENOTFOUND if no event has the ID.
func (s *Store) FindEvent(ctx context.Context, id string) (*app.Event, error) {
	e := new(app.Event)
	return e, s.findDoc(ctx, eventsTable, id, e)
}

// UpdateEvent replaces an event; ENOTFOUND if missing.
func (s *Store) UpdateEvent(ctx context.Context, e *app.Event) error {
	return s.updateDoc(ctx, eventsTable, e, e.ID, e.OrgID, string(e.Status))
}

// ListEvents returns events in ID order.
func (s *Store) ListEvents(ctx context.Context, f app.EventFilter, p app.Page) ([]*app.Event, error) {
	w := &where{}
	if f.OrgID != "" {
		w.add("org_id = ?", f.OrgID)
	}
	in(w, "status", f.Statuses)
	return listDocs[app.Event](ctx, s, eventsTable, w, p)
}

// CreateParticipant returns ECONFLICT (field orgId) if the organisation is
// already registered for the event.
func (s *Store) CreateParticipant(ctx context.Context, p *app.Participant) error {
	return s.insertDoc(ctx, participantsTable, p, p.ID, p.EventID, p.OrgID, string(p.Status))
}

// FindParticipant returns ENOTFOUND if no participant has the ID.
func (s *Store) FindParticipant(ctx context.Context, id string) (*app.Participant, error) {
	p := new(app.Participant)
	return p, s.findDoc(ctx, participantsTable, id, p)
}

// UpdateParticipant replaces a participant; ENOTFOUND if missing.
func (s *Store) UpdateParticipant(ctx context.Context, p *app.Participant) error {
	return s.updateDoc(ctx, participantsTable, p, p.ID, p.EventID, p.OrgID, string(p.Status))
}

// ListParticipants returns an event's participants in ID order.
func (s *Store) ListParticipants(ctx context.Context, f app.ParticipantFilter, p app.Page) ([]*app.Participant, error) {
	w := &where{}
	w.add("event_id = ?", f.EventID)
	if f.OrgID != "" {
		w.add("org_id = ?", f.OrgID)
	}
	in(w, "status", f.Statuses)
	return listDocs[app.Participant](ctx, s, participantsTable, w, p)
}

// CreateMeetingRequest returns ECONFLICT (field toId) if the sender has
// already asked the same participant.
func (s *Store) CreateMeetingRequest(ctx context.Context, r *app.MeetingRequest) error {
	return s.insertDoc(ctx, requestsTable, r, r.ID, r.EventID, r.FromID, r.ToID, string(r.Status))
}

// FindMeetingRequest returns ENOTFOUND if no request has the ID.
func (s *Store) FindMeetingRequest(ctx context.Context, id string) (*app.MeetingRequest, error) {
	r := new(app.MeetingRequest)
	return r, s.findDoc(ctx, requestsTable, id, r)
}

// UpdateMeetingRequest replaces a request; ENOTFOUND if missing.
func (s *Store) UpdateMeetingRequest(ctx context.Context, r *app.MeetingRequest) error {
	return s.updateDoc(ctx, requestsTable, r, r.ID, r.EventID, r.FromID, r.ToID, string(r.Status))
}

// ListMeetingRequests returns an event's requests in ID order.
func (s *Store) ListMeetingRequests(ctx context.Context, f app.RequestFilter, p app.Page) ([]*app.MeetingRequest, error) {
	w := &where{}
	w.add("event_id = ?", f.EventID)
	if f.ParticipantID != "" {
		w.add("(from_id = ? OR to_id = ?)", f.ParticipantID, f.ParticipantID)
	}
	in(w, "status", f.Statuses)
	return listDocs[app.MeetingRequest](ctx, s, requestsTable, w, p)
}

// FindSchedule returns ENOTFOUND if the event has no schedule yet.
func (s *Store) FindSchedule(ctx context.Context, eventID string) (*app.Schedule, error) {
	if !app.ValidID(eventID) {
		return nil, notFound("schedule")
	}
	row, err := s.queryRow(ctx, `SELECT version, doc FROM event_schedules WHERE event_id = ?`, eventID)
	if err != nil {
		return nil, err
	}
	var (
		version int64
		doc     []byte
	)
	if err := row.Scan(&version, &doc); errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("schedule")
	} else if err != nil {
		return nil, translate(err)
	}
	sc := new(app.Schedule)
	if err := json.Unmarshal(doc, sc); err != nil {
		return nil, fmt.Errorf("sqlite: decode schedule: %w", err)
	}
	sc.Version = version
	return sc, nil
}

// SaveSchedule stores sc if the stored version is still sc.Version, then
// increments sc.Version; ECONFLICT when another save came first.
func (s *Store) SaveSchedule(ctx context.Context, sc *app.Schedule) error {
	if err := checkID(sc.EventID); err != nil {
		return err
	}
	next := *sc
	next.Version++
	doc, err := json.Marshal(&next)
	if err != nil {
		return fmt.Errorf("sqlite: encode schedule: %w", err)
	}
	err = s.write(ctx, func(w *wtx) error {
		var res sql.Result
		var err error
		if sc.Version == 0 {
			res, err = w.exec(`INSERT INTO event_schedules (event_id, version, doc) VALUES (?, 1, ?) ON CONFLICT (event_id) DO NOTHING`, sc.EventID, string(doc))
		} else {
			res, err = w.exec(`UPDATE event_schedules SET version = version + 1, doc = ? WHERE event_id = ? AND version = ?`, string(doc), sc.EventID, sc.Version)
		}
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return app.Errorf(app.ECONFLICT, "the schedule was changed meanwhile; reload it and try again")
		}
		return nil
	})
	if err != nil {
		return err
	}
	sc.Version = next.Version
	return nil
}
