package handlers

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rongtong/rongtong/app"
)

// eventJSON is a valid event body with some fields changed.
func eventJSON(edit func(m map[string]any)) string {
	m := eventBody(time.Now(), "坏输入测试洽谈会")
	if edit != nil {
		edit(m)
	}
	b, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func eventBad() []badCase {
	slot := func(i int, k string, v any) func(m map[string]any) {
		return func(m map[string]any) { m["slots"].([]map[string]any)[i][k] = v }
	}
	return []badCase{
		{name: "title a number", body: eventJSON(func(m map[string]any) { m["title"] = 5 }), want: 400, field: "title"},
		{name: "tables a string", body: eventJSON(slot(0, "tables", "2")), want: 400, field: "slots[0].tables"},
		{name: "start not a time", body: eventJSON(slot(1, "start", "nine")), want: 400, field: "slots[1].start"},
		{name: "missing title", body: eventJSON(func(m map[string]any) { delete(m, "title") }), want: 422, field: "title"},
		{name: "no venue or link", body: eventJSON(func(m map[string]any) { delete(m, "venue") }), want: 422, field: "venue"},
		{name: "link not a URL", body: eventJSON(func(m map[string]any) { m["onlineUrl"] = "javascript:alert(1)" }), want: 422, field: "onlineUrl"},
		{name: "no tables", body: eventJSON(slot(0, "tables", 0)), want: 422, field: "slots[0].tables"},
		{name: "overlapping slots", body: eventJSON(slot(1, "start", eventBody(time.Now(), "")["slots"].([]map[string]any)[0]["start"])), want: 422, field: "slots[1].start"},
		{name: "slot shorter than a meeting", body: eventJSON(func(m map[string]any) { m["meetingMinutes"] = 30 }), want: 422, field: "slots[0].end"},
		{name: "slot on another day", body: eventJSON(func(m map[string]any) {
			s := m["slots"].([]map[string]any)[3]
			s["start"], s["end"] = s["start"].(time.Time).AddDate(0, 0, 1), s["end"].(time.Time).AddDate(0, 0, 1)
		}), want: 422, field: "slots[3].start"},
		{name: "unknown session", body: eventJSON(slot(2, "session", "pm")), want: 422, field: "slots[2].session"},
		{name: "bad slot id", body: eventJSON(slot(2, "id", "s 3")), want: 422, field: "slots[2].id"},
		{name: "bad day", body: eventJSON(func(m map[string]any) { m["days"] = []string{"2027-02-30"} }), want: 422, field: "days[0]"},
		{name: "pair of a type not admitted", body: eventJSON(func(m map[string]any) {
			m["pairs"] = []map[string]any{{"a": "institution", "b": "sme"}}
		}), want: 422, field: "pairs[0].a"},
		{name: "organizers as participants", body: eventJSON(func(m map[string]any) { m["participantTypes"] = []string{"organizer"} }), want: 422, field: "participantTypes[0]"},
		{name: "registration closing before it opens", body: eventJSON(func(m map[string]any) { m["registrationCloses"] = time.Now().Add(-2 * time.Hour) }), want: 422, field: "registrationCloses"},
		{name: "negative cap", body: eventJSON(func(m map[string]any) { m["maxMeetings"] = -1 }), want: 422, field: "maxMeetings"},
		{name: "server field status", body: eventJSON(func(m map[string]any) { m["status"] = 7 }), want: 400, field: "status"},
	}
}

func eventWriteRoutes() []writeRoute {
	in := func(suffix func(w *eventWorld) string) func(*testing.T, *fixture) string {
		return func(t *testing.T, f *fixture) string {
			w := f.world(t)
			return "/api/v1/events/" + w.ev.ID + suffix(w)
		}
	}
	at := func(s string) func(*eventWorld) string { return func(*eventWorld) string { return s } }
	pA := func(s string) func(*eventWorld) string {
		return func(w *eventWorld) string { return "/participants/" + w.A.ID + s }
	}
	req := func(s string) func(*eventWorld) string {
		return func(w *eventWorld) string { return "/requests/" + w.req.ID + s }
	}
	meeting := func(s string) func(*eventWorld) string {
		return func(w *eventWorld) string { return "/meetings/" + w.meeting.ID + s }
	}
	long := strings.Repeat("长", 5001)
	return []writeRoute{
		{method: "POST", path: "/api/v1/events", as: organizer, target: func(*testing.T, *fixture) string { return "/api/v1/events" }, valid: eventJSON(nil), bad: eventBad()},
		{method: "PUT", path: "/api/v1/events/:id", as: organizer, target: in(at("")), valid: eventJSON(nil), bad: eventBad()},
		{method: "POST", path: "/api/v1/events/:id/status", as: organizer, target: in(at("/status")), valid: `{"status":"open"}`,
			bad: []badCase{
				{name: "status a number", body: `{"status":1}`, want: 400, field: "status"},
				{name: "unknown status", body: `{"status":"bogus"}`, want: 422, field: "status"},
				{name: "missing status", body: `{}`, want: 422, field: "status"},
				{name: "illegal transition", body: `{"status":"finished"}`, want: 409, field: "status"},
			}},
		{method: "POST", path: "/api/v1/events/:id/participants", as: ownerA, target: in(at("/participants")), valid: `{"orgId":""}`,
			bad: []badCase{
				{name: "orgId a number", body: `{"orgId":5}`, want: 400, field: "orgId"},
				{name: "another organisation", body: `{"orgId":"` + app.NewID() + `"}`, want: 422, field: "orgId"},
			}},
		{method: "POST", path: "/api/v1/events/:id/participants/import", as: organizer, target: in(at("/participants/import")),
			bad: []badCase{
				{name: "JSON", body: `{"uscc":"x"}`, contentType: "application/json", want: 415, field: "-"},
				{name: "no content type", body: `uscc`, contentType: "-", want: 415, field: "-"},
				{name: "multipart without the file field", body: "--XX\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nhello\r\n--XX--\r\n",
					contentType: "multipart/form-data; boundary=XX", want: 400, field: "file"},
				{name: "no uscc or ref column", body: "name\n某企业\n", contentType: "text/csv", want: 422, field: "file"},
				{name: "broken CSV", body: "uscc\n\"unterminated\n", contentType: "text/csv", want: 422, field: "file"},
				{name: "broken workbook", body: "PK\x03\x04garbage", contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", want: 422, field: "file"},
			}},
		{method: "PUT", path: "/api/v1/events/:id/participants/:pid", as: ownerA, target: in(pA("")), valid: `{"unavailable":[]}`,
			bad: []badCase{
				{name: "listings a string", body: `{"listingIds":"x"}`, want: 400, field: "listingIds"},
				{name: "unknown slot", body: `{"unavailable":["s9"]}`, want: 422, field: "unavailable[0]"},
				{name: "listing of another organisation", body: `{"listingIds":["` + app.NewID() + `"]}`, want: 422, field: "listingIds[0]"},
				{name: "long note", body: `{"note":"` + long + `"}`, want: 422, field: "note"},
			}},
		{method: "POST", path: "/api/v1/events/:id/participants/:pid/decision", as: organizer, target: in(pA("/decision")), valid: `{"status":"approved"}`,
			bad: []badCase{
				{name: "status a number", body: `{"status":1}`, want: 400, field: "status"},
				{name: "unknown status", body: `{"status":"maybe"}`, want: 422, field: "status"},
				{name: "missing status", body: `{}`, want: 422, field: "status"},
			}},
		{method: "POST", path: "/api/v1/events/:id/participants/:pid/checkin", as: organizer, target: in(pA("/checkin")), valid: `{"checkedIn":true}`,
			bad: []badCase{
				{name: "checkedIn a string", body: `{"checkedIn":"yes"}`, want: 400, field: "checkedIn"},
				{name: "missing checkedIn", body: `{}`, want: 422, field: "checkedIn"},
			}},
		{method: "POST", path: "/api/v1/events/:id/requests", as: ownerA, target: in(at("/requests")), valid: `{"toId":"x"}`,
			bad: []badCase{
				{name: "toId a number", body: `{"toId":1}`, want: 400, field: "toId"},
				{name: "missing toId", body: `{}`, want: 422, field: "toId"},
				{name: "unknown participant", body: `{"toId":"` + app.NewID() + `"}`, want: 422, field: "toId"},
				{name: "long message", body: `{"toId":"x","message":"` + strings.Repeat("长", 501) + `"}`, want: 422, field: "message"},
			}},
		{method: "POST", path: "/api/v1/events/:id/requests/:rid/answer", as: ownerA, target: in(req("/answer")), valid: `{"status":"accepted"}`,
			bad: []badCase{
				{name: "status a number", body: `{"status":1}`, want: 400, field: "status"},
				{name: "unknown status", body: `{"status":"maybe"}`, want: 422, field: "status"},
				{name: "missing status", body: `{}`, want: 422, field: "status"},
				{name: "already answered", body: `{"status":"declined"}`, want: 409, field: "status"},
			}},
		{method: "POST", path: "/api/v1/events/:id/requests/:rid/priority", as: organizer, target: in(req("/priority")), valid: `{"priority":1}`,
			bad: []badCase{
				{name: "priority a string", body: `{"priority":"high"}`, want: 400, field: "priority"},
				{name: "missing priority", body: `{}`, want: 422, field: "priority"},
				{name: "priority too high", body: `{"priority":9}`, want: 422, field: "priority"},
			}},
		{method: "POST", path: "/api/v1/events/:id/recommendations", as: organizer, target: in(at("/recommendations")), valid: `{"minScore":90}`,
			bad: []badCase{
				{name: "minScore a string", body: `{"minScore":"x"}`, want: 400, field: "minScore"},
				{name: "negative minScore", body: `{"minScore":-1}`, want: 422, field: "minScore"},
				{name: "too many per participant", body: `{"perParticipant":50}`, want: 422, field: "perParticipant"},
			}},
		{method: "POST", path: "/api/v1/events/:id/schedule/run", as: organizer, target: in(at("/schedule/run")), valid: `{"seed":1}`,
			bad: []badCase{
				{name: "seed a string", body: `{"seed":"x"}`, want: 400, field: "seed"},
				{name: "keepPublished a string", body: `{"keepPublished":"no"}`, want: 400, field: "keepPublished"},
				{name: "negative budget", body: `{"budgetMs":-5}`, want: 422, field: "budgetMs"},
				{name: "budget too long", body: `{"budgetMs":600000}`, want: 422, field: "budgetMs"},
			}},
		{method: "POST", path: "/api/v1/events/:id/schedule/moves", as: organizer, target: in(at("/schedule/moves")), valid: `{"request":"x"}`,
			bad: []badCase{
				{name: "request a number", body: `{"request":1}`, want: 400, field: "request"},
				{name: "missing request", body: `{}`, want: 422, field: "request"},
				{name: "negative table", body: `{"request":"x","table":-1}`, want: 422, field: "table"},
				{name: "unknown request", body: `{"request":"x","slot":"s2"}`, want: 409, field: "request"},
			}},
		{method: "POST", path: "/api/v1/events/:id/schedule/publish", as: organizer, target: func(*testing.T, *fixture) string { return "/api/v1/events/not-an-id/schedule/publish" },
			bad: []badCase{{name: "malformed ID", want: 404, field: "-"}}},
		{method: "POST", path: "/api/v1/events/:id/meetings/:mid/outcome", as: organizer, target: in(meeting("/outcome")), valid: `{"outcome":"held"}`,
			bad: []badCase{
				{name: "outcome a number", body: `{"outcome":1}`, want: 400, field: "outcome"},
				{name: "unknown outcome", body: `{"outcome":"maybe"}`, want: 422, field: "outcome"},
				{name: "no-show without names", body: `{"outcome":"no_show"}`, want: 422, field: "noShows"},
				{name: "no-show of a stranger", body: `{"outcome":"no_show","noShows":["x"]}`, want: 422, field: "noShows[0]"},
			}},
		{method: "POST", path: "/api/v1/events/:id/meetings/:mid/rating", as: ownerA, target: in(meeting("/rating")), valid: `{"stars":5}`,
			bad: []badCase{
				{name: "stars a string", body: `{"stars":"5"}`, want: 400, field: "stars"},
				{name: "no stars", body: `{"stars":0}`, want: 422, field: "stars"},
				{name: "six stars", body: `{"stars":6}`, want: 422, field: "stars"},
				{name: "long comment", body: `{"stars":3,"comment":"` + long + `"}`, want: 422, field: "comment"},
			}},
	}
}

// eventSnapshot renders every event and, once the shared event world
// exists, its participants, requests and schedule, for takeSnapshot.
func eventSnapshot(tb testing.TB, f *fixture) string {
	tb.Helper()
	ctx := tb.Context()
	var b strings.Builder
	dump := func(v any, err error) {
		if err != nil {
			tb.Fatal(err)
		}
		j, err := json.Marshal(v)
		if err != nil {
			tb.Fatal(err)
		}
		b.Write(j)
		b.WriteByte('\n')
	}
	p := app.Page{Limit: app.MaxPageLimit}
	for {
		es, err := f.store.ListEvents(ctx, app.EventFilter{}, p)
		dump(es, err)
		if len(es) < p.Limit {
			break
		}
		p.After = es[len(es)-1].ID
	}
	w := sharedWorld.w
	if w == nil {
		return b.String()
	}
	dump(f.store.ListParticipants(ctx, app.ParticipantFilter{EventID: w.ev.ID}, app.Page{Limit: app.MaxPageLimit}))
	dump(f.store.ListMeetingRequests(ctx, app.RequestFilter{EventID: w.ev.ID}, app.Page{Limit: app.MaxPageLimit}))
	dump(f.store.FindSchedule(ctx, w.ev.ID))
	return b.String()
}
