package handlers

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/rongtong/rongtong/app"
)

// eventWorld is an open event of the organizer G whose slots are over, with
// A, E and I approved, I's request to A accepted and the meeting published.
type eventWorld struct {
	ev      *app.Event
	A, E, I *app.Participant
	req     *app.MeetingRequest // I → A, accepted
	meeting app.Meeting         // I–A, published
}

var sharedWorld struct {
	once sync.Once
	w    *eventWorld
}

// world returns the event world shared by the read rows of the table.
func (f *fixture) world(t *testing.T) *eventWorld {
	t.Helper()
	sharedWorld.once.Do(func() { sharedWorld.w = f.newWorld(t) })
	if sharedWorld.w == nil {
		t.Fatal("no event world")
	}
	return sharedWorld.w
}

// mustEvent creates an event of G as the organizer, ten days ahead
// (days < 0: that many days ago), in the status given.
func (f *fixture) mustEvent(t *testing.T, days int, status app.EventStatus) *app.Event {
	t.Helper()
	ctx := context.Background()
	g, err := f.svc.Actor(ctx, f.users[organizer].ID)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	body := eventBody(now.AddDate(0, 0, days-10), "授权测试洽谈会")
	if days >= 0 {
		body = eventBody(now, "授权测试洽谈会")
	}
	in := mustDecodeEvent(t, body)
	e, err := f.svc.CreateEvent(ctx, g, in)
	if err != nil {
		t.Fatal(err)
	}
	if status != app.EventDraft {
		if e, err = f.svc.SetEventStatus(ctx, g, e.ID, status); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

func mustDecodeEvent(t *testing.T, body map[string]any) *app.Event {
	t.Helper()
	var e app.Event
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	if err := decodeJSON(b, &e); err != nil {
		t.Fatal(err)
	}
	return &e
}

// newWorld builds an eventWorld through the use cases.
func (f *fixture) newWorld(t *testing.T) *eventWorld {
	t.Helper()
	ctx := context.Background()
	sys := app.SystemActor()
	w := &eventWorld{ev: f.mustEvent(t, -2, app.EventOpen)}
	reg := func(o *app.Org) *app.Participant {
		p, err := f.svc.RegisterParticipant(ctx, sys, w.ev.ID, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	w.A, w.E, w.I = reg(f.orgA), reg(f.orgE), reg(f.orgI)
	var err error
	if w.req, err = f.svc.SendRequest(ctx, sys, w.ev.ID, app.RequestInput{FromID: w.I.ID, ToID: w.A.ID}); err != nil {
		t.Fatal(err)
	}
	if w.req, err = f.svc.AnswerRequest(ctx, sys, w.ev.ID, w.req.ID, app.RequestAccepted); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.RunSchedule(ctx, sys, w.ev.ID, app.RunInput{}); err != nil {
		t.Fatal(err)
	}
	sc, err := f.svc.PublishSchedule(ctx, sys, w.ev.ID)
	if err != nil || len(sc.Published) != 1 {
		t.Fatalf("publish: %v (%d meetings)", err, len(sc.Published))
	}
	w.meeting = sc.Published[0]
	return w
}

func eventAuthzRows() []authzRow {
	organizers := func(ok int) map[string]int {
		return expect(403, anon, 401, organizer, ok, admin, ok, scopedAdmin, ok)
	}
	worldPath := func(suffix func(w *eventWorld) string) func(*testing.T, *fixture, string) string {
		return func(t *testing.T, f *fixture, _ string) string {
			w := f.world(t)
			return "/api/v1/events/" + w.ev.ID + suffix(w)
		}
	}
	freshWorld := func(suffix func(w *eventWorld) string) func(*testing.T, *fixture, string) string {
		return func(t *testing.T, f *fixture, _ string) string {
			w := f.newWorld(t)
			return "/api/v1/events/" + w.ev.ID + suffix(w)
		}
	}
	fresh := func(status app.EventStatus, suffix string) func(*testing.T, *fixture, string) string {
		return func(t *testing.T, f *fixture, _ string) string {
			return "/api/v1/events/" + f.mustEvent(t, 0, status).ID + suffix
		}
	}
	none := func(s string) func(w *eventWorld) string {
		return func(*eventWorld) string { return s }
	}
	pA := func(s string) func(w *eventWorld) string {
		return func(w *eventWorld) string { return "/participants/" + w.A.ID + s }
	}
	body := func(v map[string]any) func(*testing.T, *fixture, string) any {
		return func(*testing.T, *fixture, string) any { return v }
	}
	newEvent := func(*testing.T, *fixture, string) any { return eventBody(time.Now(), "授权测试新洽谈会") }
	// Member views of A's participant: its members and the organizer act,
	// the other approved participants see it, everyone else does not.
	ofA := expect(404, anon, 401, ownerA, 200, memberA, 200, enterprise, 403, investor, 403, organizer, 200, admin, 200, scopedAdmin, 200)
	participantsOfWorld := expect(403, anon, 401, ownerA, 200, memberA, 200, enterprise, 200, investor, 200, organizer, 200, admin, 200, scopedAdmin, 200)
	// A fresh event and request per call, for rows whose calls change them.
	var sent, moved sync.Map
	sendPath := func(t *testing.T, f *fixture, who string) string {
		w := f.newWorld(t)
		sent.Store(who, w)
		return "/api/v1/events/" + w.ev.ID + "/requests"
	}
	sendBody := func(t *testing.T, f *fixture, who string) any {
		v, _ := sent.Load(who)
		w := v.(*eventWorld)
		to := w.E.ID
		if who == enterprise || who == investor {
			to = w.A.ID
		}
		return map[string]any{"toId": to, "message": "授权测试"}
	}
	freshRequest := func(t *testing.T, f *fixture, _ string) string {
		ctx := context.Background()
		w := f.newWorld(t)
		r, err := f.svc.SendRequest(ctx, app.SystemActor(), w.ev.ID, app.RequestInput{FromID: w.E.ID, ToID: w.A.ID})
		if err != nil {
			t.Fatal(err)
		}
		return "/api/v1/events/" + w.ev.ID + "/requests/" + r.ID + "/answer"
	}
	return []authzRow{
		// A scoped admin must name an organising organisation in its region
		// (TestEventRegionScope); without one the body is refused.
		{name: "create an event", method: "POST", route: "/api/v1/events", path: at("/api/v1/events"), body: newEvent,
			want: expect(403, anon, 401, organizer, 201, admin, 201, scopedAdmin, 422)},
		{name: "list events", method: "GET", route: "/api/v1/events", path: at("/api/v1/events?limit=200"), want: loggedIn},
		{name: "get an open event", method: "GET", route: "/api/v1/events/:id", path: worldPath(none("")), want: loggedIn},
		{name: "get a draft event", method: "GET", route: "/api/v1/events/:id", path: fresh(app.EventDraft, ""),
			want: expect(404, anon, 401, organizer, 200, admin, 200, scopedAdmin, 200)},
		{name: "update an event", method: "PUT", route: "/api/v1/events/:id", path: fresh(app.EventOpen, ""), body: newEvent, want: organizers(200)},
		{name: "open a draft event", method: "POST", route: "/api/v1/events/:id/status", path: fresh(app.EventDraft, "/status"),
			body: body(map[string]any{"status": "open"}), want: expect(404, anon, 401, organizer, 200, admin, 200, scopedAdmin, 200)},
		{name: "register one's organisation", method: "POST", route: "/api/v1/events/:id/participants", path: fresh(app.EventOpen, "/participants"),
			body: body(map[string]any{}), want: expect(422, anon, 401, ownerA, 201, memberA, 201, ownerU, 201, enterprise, 201, investor, 201, investorU, 201)},
		{name: "list participants", method: "GET", route: "/api/v1/events/:id/participants", path: worldPath(none("/participants")), want: participantsOfWorld},
		{name: "import participants", method: "POST", route: "/api/v1/events/:id/participants/import", path: fresh(app.EventOpen, "/participants/import"),
			contentType: "text/csv", body: func(_ *testing.T, f *fixture, _ string) any { return "uscc,备注\n" + f.orgA.USCC + ",导入\n" }, want: organizers(200)},
		{name: "get A's participant", method: "GET", route: "/api/v1/events/:id/participants/:pid", path: worldPath(pA("")),
			want: expect(404, anon, 401, ownerA, 200, memberA, 200, enterprise, 200, investor, 200, organizer, 200, admin, 200, scopedAdmin, 200)},
		{name: "update A's participant", method: "PUT", route: "/api/v1/events/:id/participants/:pid", path: worldPath(pA("")),
			body: body(map[string]any{"unavailable": []string{}}), want: ofA},
		{name: "approve A", method: "POST", route: "/api/v1/events/:id/participants/:pid/decision", path: worldPath(pA("/decision")),
			body: body(map[string]any{"status": "approved"}), want: organizers(200)},
		{name: "check A in", method: "POST", route: "/api/v1/events/:id/participants/:pid/checkin", path: worldPath(pA("/checkin")),
			body: body(map[string]any{"checkedIn": false}), want: organizers(200)},
		{name: "A's agenda", method: "GET", route: "/api/v1/events/:id/participants/:pid/agenda", path: worldPath(pA("/agenda")), want: ofA},
		{name: "A's printable agenda", method: "GET", route: "/api/v1/events/:id/participants/:pid/agenda.html", path: worldPath(pA("/agenda.html")), want: ofA},
		{name: "A's calendar", method: "GET", route: "/api/v1/events/:id/participants/:pid/agenda.ics", path: worldPath(pA("/agenda.ics")), want: ofA},
		{name: "send a request", method: "POST", route: "/api/v1/events/:id/requests", path: sendPath, body: sendBody,
			// I asked A already in the world: a duplicate.
			want: expect(403, anon, 401, ownerA, 201, memberA, 201, enterprise, 201, investor, 409)},
		{name: "list requests", method: "GET", route: "/api/v1/events/:id/requests", path: worldPath(none("/requests")), want: participantsOfWorld},
		{name: "answer a request to A", method: "POST", route: "/api/v1/events/:id/requests/:rid/answer", path: freshRequest,
			body: body(map[string]any{"status": "accepted"}),
			want: expect(404, anon, 401, ownerA, 200, memberA, 200, enterprise, 403, organizer, 200, admin, 200, scopedAdmin, 200)},
		{name: "prioritise a request", method: "POST", route: "/api/v1/events/:id/requests/:rid/priority",
			path: worldPath(func(w *eventWorld) string { return "/requests/" + w.req.ID + "/priority" }), body: body(map[string]any{"priority": 1}),
			want: expect(404, anon, 401, ownerA, 403, memberA, 403, investor, 403, organizer, 200, admin, 200, scopedAdmin, 200)},
		{name: "recommend meetings", method: "POST", route: "/api/v1/events/:id/recommendations",
			path: func(t *testing.T, f *fixture, who string) string {
				useMatcher(f)
				return worldPath(none("/recommendations"))(t, f, who)
			}, body: body(map[string]any{"minScore": 99.9}), want: organizers(200)},
		{name: "run the scheduler", method: "POST", route: "/api/v1/events/:id/schedule/run", path: freshWorld(none("/schedule/run")), body: body(map[string]any{"seed": 3}), want: organizers(200)},
		{name: "the schedule", method: "GET", route: "/api/v1/events/:id/schedule", path: worldPath(none("/schedule")), want: organizers(200)},
		{name: "move a meeting", method: "POST", route: "/api/v1/events/:id/schedule/moves",
			path: func(t *testing.T, f *fixture, who string) string {
				w := f.newWorld(t)
				moved.Store(who, w)
				return "/api/v1/events/" + w.ev.ID + "/schedule/moves"
			},
			body: func(t *testing.T, f *fixture, who string) any {
				v, _ := moved.Load(who)
				return map[string]any{"request": v.(*eventWorld).req.ID, "slot": ""}
			}, want: organizers(200)},
		{name: "publish the schedule", method: "POST", route: "/api/v1/events/:id/schedule/publish", path: freshWorld(none("/schedule/publish")), want: organizers(200)},
		{name: "the event's agenda", method: "GET", route: "/api/v1/events/:id/agenda", path: worldPath(none("/agenda")), want: organizers(200)},
		{name: "the event's printable agenda", method: "GET", route: "/api/v1/events/:id/agenda.html", path: worldPath(none("/agenda.html")), want: organizers(200)},
		{name: "mark a meeting held", method: "POST", route: "/api/v1/events/:id/meetings/:mid/outcome",
			path: worldPath(func(w *eventWorld) string { return "/meetings/" + w.meeting.ID + "/outcome" }), body: body(map[string]any{"outcome": "held"}), want: organizers(200)},
		{name: "rate a meeting", method: "POST", route: "/api/v1/events/:id/meetings/:mid/rating",
			path: worldPath(func(w *eventWorld) string { return "/meetings/" + w.meeting.ID + "/rating" }), body: body(map[string]any{"stars": 4}),
			want: expect(404, anon, 401, ownerA, 200, memberA, 200, investor, 200)},
		{name: "the event's results", method: "GET", route: "/api/v1/events/:id/results", path: worldPath(none("/results")), want: organizers(200)},
	}
}
