package handlers

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"mime/multipart"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/rongtong/rongtong/app"
)

// newEventAPI is the API on the shared fixture with the service on the
// test's clock, so registration windows and "after the meeting" can be
// stepped through.
func newEventAPI(t *testing.T) *testAPI {
	t.Helper()
	return newTestAPI(t, func(o *Options) {
		svc := *o.Service
		svc.Clock = o.Clock
		o.Service = &svc
	})
}

// eventBody is a valid event ten days after now: one morning session of
// four 20-minute slots (tables 2, 2, 1, 2) at which SMEs meet lead
// enterprises and investors.
func eventBody(now time.Time, title string) map[string]any {
	day := now.In(app.EventZone).AddDate(0, 0, 10)
	at := func(h, m int) time.Time {
		return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, app.EventZone)
	}
	var slots []map[string]any
	for i, tables := range []int{2, 2, 1, 2} {
		slots = append(slots, map[string]any{"id": fmt.Sprintf("s%d", i+1), "session": "d1am",
			"start": at(9, 20*i), "end": at(9, 20*i+20), "tables": tables})
	}
	return map[string]any{
		"title": title, "venue": "宁波国际会议中心", "days": []string{day.Format(time.DateOnly)},
		"sessions":          []map[string]any{{"id": "d1am", "name": "上午场", "day": day.Format(time.DateOnly)}},
		"slots":             slots,
		"meetingMinutes":    20,
		"registrationOpens": now.Add(-time.Hour), "registrationCloses": now.Add(5 * 24 * time.Hour),
		"participantTypes": []string{"sme", "enterprise", "investor"},
		"pairs":            []map[string]any{{"a": "enterprise", "b": "sme"}, {"a": "investor", "b": "sme"}},
		"maxRequests":      5, "maxMeetings": 3,
	}
}

// mustDo sends a request and fails unless the status is want.
func (api *testAPI) mustDo(t *testing.T, want int, rq request, out any) response {
	t.Helper()
	r := api.do(t, rq)
	if r.status != want {
		t.Fatalf("%s %s as %q: got %d, want %d: %s", rq.method, rq.path, rq.as, r.status, want, r.body)
	}
	if out != nil && r.status < 400 {
		r.json(t, out)
	}
	return r
}

// vevent is one VEVENT of a parsed feed.
type vevent map[string]string

// parseICal parses an iCalendar feed as RFC 5545 writes it: every line ends
// in CRLF and is at most 75 octets, continuation lines start with a space.
// It returns the VEVENTs by UID and fails on a duplicate UID.
func parseICal(t *testing.T, feed string) map[string]vevent {
	t.Helper()
	if !strings.HasSuffix(feed, "\r\n") {
		t.Fatalf("feed does not end with CRLF")
	}
	raw := strings.Split(strings.TrimSuffix(feed, "\r\n"), "\r\n")
	var lines []string
	for i, l := range raw {
		if len(l) > 75 {
			t.Errorf("line %d has %d octets: %q", i+1, len(l), l)
		}
		if strings.ContainsAny(l, "\r\n") {
			t.Errorf("line %d has a bare CR or LF", i+1)
		}
		if strings.HasPrefix(l, " ") && len(lines) > 0 {
			lines[len(lines)-1] += l[1:]
			continue
		}
		lines = append(lines, l)
	}
	if len(lines) < 2 || lines[0] != "BEGIN:VCALENDAR" || lines[len(lines)-1] != "END:VCALENDAR" {
		t.Fatalf("not a VCALENDAR: %q", lines)
	}
	events := map[string]vevent{}
	var cur vevent
	for _, l := range lines {
		name, value, ok := strings.Cut(l, ":")
		if !ok {
			t.Fatalf("content line without a colon: %q", l)
		}
		switch {
		case l == "BEGIN:VEVENT":
			cur = vevent{}
		case l == "END:VEVENT":
			uid := cur["UID"]
			if _, dup := events[uid]; dup || uid == "" {
				t.Fatalf("UID %q missing or repeated", uid)
			}
			for _, k := range []string{"DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "STATUS", "SUMMARY"} {
				if cur[k] == "" {
					t.Errorf("VEVENT %s has no %s", uid, k)
				}
			}
			events[uid] = cur
			cur = nil
		case cur != nil:
			cur[name] = value
		}
	}
	return events
}

func TestEventLifecycle(t *testing.T) {
	api := newEventAPI(t)
	f := api.f
	now := api.clock.Now()
	base := "/api/v1/events/"

	var ev app.Event
	api.mustDo(t, 201, request{method: "POST", path: "/api/v1/events", as: organizer, body: eventBody(now, "宁波汽车零部件洽谈会")}, &ev)
	if ev.Status != app.EventDraft || ev.OrgID != f.orgG.ID {
		t.Fatalf("new event %+v", ev)
	}
	api.mustDo(t, 404, request{method: "GET", path: base + ev.ID, as: ownerA}, nil)
	api.mustDo(t, 404, request{method: "POST", path: base + ev.ID + "/participants", as: ownerA, body: map[string]any{}}, nil)
	api.mustDo(t, 200, request{method: "POST", path: base + ev.ID + "/status", as: organizer, body: map[string]any{"status": "open"}}, nil)

	// Registration, approval, participants.
	parts := map[string]app.Participant{}
	for _, who := range []string{ownerA, enterprise, investor} {
		var p app.Participant
		api.mustDo(t, 201, request{method: "POST", path: base + ev.ID + "/participants", as: who, body: map[string]any{}}, &p)
		if p.Status != app.ParticipantPending {
			t.Fatalf("%s registered as %s", who, p.Status)
		}
		api.mustDo(t, 200, request{method: "POST", path: base + ev.ID + "/participants/" + p.ID + "/decision", as: organizer, body: map[string]any{"status": "approved"}}, &p)
		parts[who] = p
	}
	api.mustDo(t, 422, request{method: "POST", path: base + ev.ID + "/participants", as: institution, body: map[string]any{}}, nil)
	api.mustDo(t, 409, request{method: "POST", path: base + ev.ID + "/participants", as: memberA, body: map[string]any{}}, nil)
	var list listPage[app.Participant]
	api.mustDo(t, 200, request{method: "GET", path: base + ev.ID + "/participants", as: ownerA}, &list)
	if len(list.Items) != 3 {
		t.Fatalf("A sees %d participants, want 3", len(list.Items))
	}
	for _, p := range list.Items {
		if p.OrgID != f.orgA.ID && p.FeedToken != "" {
			t.Errorf("A sees the feed token of %s", p.Org.Name)
		}
	}
	api.mustDo(t, 403, request{method: "GET", path: base + ev.ID + "/participants", as: institution}, nil)
	api.mustDo(t, 200, request{method: "GET", path: base + ev.ID + "/participants?q=FX-ORG-E", as: ownerA}, &list)
	if len(list.Items) != 1 || list.Items[0].OrgID != f.orgE.ID {
		t.Errorf("search for E: %+v", list.Items)
	}

	// Requests: who-can-meet rules, self, duplicates, answers.
	A, E, I := parts[ownerA], parts[enterprise], parts[investor]
	send := func(who, to string, want int) app.MeetingRequest {
		var r app.MeetingRequest
		api.mustDo(t, want, request{method: "POST", path: base + ev.ID + "/requests", as: who, body: map[string]any{"toId": to, "message": "希望洽谈配套合作"}}, &r)
		return r
	}
	rAE := send(ownerA, E.ID, 201)
	rIA := send(investor, A.ID, 201)
	send(enterprise, I.ID, 422) // enterprise ↔ investor is not a pair of the event
	send(ownerA, A.ID, 422)
	send(ownerA, E.ID, 409)
	api.mustDo(t, 403, request{method: "POST", path: base + ev.ID + "/requests/" + rAE.ID + "/answer", as: ownerA, body: map[string]any{"status": "accepted"}}, nil)
	api.mustDo(t, 200, request{method: "POST", path: base + ev.ID + "/requests/" + rAE.ID + "/answer", as: enterprise, body: map[string]any{"status": "accepted"}}, nil)
	api.mustDo(t, 200, request{method: "POST", path: base + ev.ID + "/requests/" + rIA.ID + "/answer", as: ownerA, body: map[string]any{"status": "accepted"}}, nil)
	api.mustDo(t, 409, request{method: "POST", path: base + ev.ID + "/requests/" + rIA.ID + "/answer", as: ownerA, body: map[string]any{"status": "declined"}}, nil)

	// A is unavailable in s1; schedule and publish.
	api.mustDo(t, 200, request{method: "PUT", path: base + ev.ID + "/participants/" + A.ID, as: ownerA, body: map[string]any{"unavailable": []string{"s1"}, "listingIds": []string{f.finA.ID}}}, nil)
	var sc app.Schedule
	api.mustDo(t, 200, request{method: "POST", path: base + ev.ID + "/schedule/run", as: organizer, body: map[string]any{"seed": 7}}, &sc)
	if sc.Draft == nil || len(sc.Draft.Meetings) != 2 || len(sc.Draft.Unscheduled) != 0 {
		t.Fatalf("draft %+v", sc.Draft)
	}
	for _, m := range sc.Draft.Meetings {
		if m.Slot == "s1" {
			t.Errorf("meeting %s in s1, where A is unavailable", m.ID)
		}
	}
	if sc.Draft.Stats.Gap != 0 || sc.Draft.Stats.UpperBound < sc.Draft.Stats.Weight {
		t.Errorf("stats %+v", sc.Draft.Stats)
	}
	api.mustDo(t, 403, request{method: "POST", path: base + ev.ID + "/schedule/publish", as: ownerA}, nil)
	api.mustDo(t, 200, request{method: "POST", path: base + ev.ID + "/schedule/publish", as: organizer}, &sc)

	feed := func() map[string]vevent {
		r := api.mustDo(t, 200, request{method: "GET", path: base + ev.ID + "/participants/" + A.ID + "/agenda.ics?token=" + A.FeedToken}, nil)
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
			t.Fatalf("content type %q", ct)
		}
		return parseICal(t, string(r.body))
	}
	meetingOf := func(a, b string) app.Meeting {
		for _, m := range sc.Published {
			if (m.A == a && m.B == b) || (m.A == b && m.B == a) {
				return m
			}
		}
		t.Fatalf("no meeting of %s and %s", a, b)
		return app.Meeting{}
	}
	mAE, mIA := meetingOf(A.ID, E.ID), meetingOf(I.ID, A.ID)
	v := feed()
	if len(v) != 2 || v[mAE.ID+"@rongtong"]["SEQUENCE"] != "0" || v[mIA.ID+"@rongtong"]["STATUS"] != "CONFIRMED" {
		t.Fatalf("first feed %v", v)
	}
	api.mustDo(t, 401, request{method: "GET", path: base + ev.ID + "/participants/" + A.ID + "/agenda.ics?token=wrong"}, nil)
	api.mustDo(t, 404, request{method: "GET", path: base + ev.ID + "/participants/" + A.ID + "/agenda.ics", as: institution}, nil)

	// A move into the slot where A meets I is refused, naming the rule.
	r := api.do(t, request{method: "POST", path: base + ev.ID + "/schedule/moves", as: organizer, body: map[string]any{"request": mAE.Request, "slot": mIA.Slot}})
	if r.status != 409 || !strings.Contains(string(r.body), "participant_busy") {
		t.Fatalf("conflicting move: %d %s", r.status, r.body)
	}
	// A free slot: the meeting moves, and after publishing its SEQUENCE rises.
	free := ""
	for _, s := range []string{"s2", "s3", "s4"} {
		if s != mIA.Slot && s != mAE.Slot {
			free = s
			break
		}
	}
	api.mustDo(t, 200, request{method: "POST", path: base + ev.ID + "/schedule/moves", as: organizer, body: map[string]any{"request": mAE.Request, "slot": free}}, nil)
	api.mustDo(t, 200, request{method: "POST", path: base + ev.ID + "/schedule/publish", as: organizer}, &sc)
	v = feed()
	if got := v[mAE.ID+"@rongtong"]; len(v) != 2 || got["SEQUENCE"] != "1" || got["STATUS"] != "CONFIRMED" || got["DTSTART"] == "" {
		t.Fatalf("after the move: %v", v)
	}
	if v[mIA.ID+"@rongtong"]["SEQUENCE"] != "0" {
		t.Errorf("the meeting that stayed changed its sequence: %v", v[mIA.ID+"@rongtong"])
	}

	// E is withdrawn: the re-run keeps I–A where it was and cancels A–E.
	api.mustDo(t, 200, request{method: "POST", path: base + ev.ID + "/participants/" + E.ID + "/decision", as: organizer, body: map[string]any{"status": "rejected"}}, nil)
	// The draft still holds A–E: publishing it is refused until a re-run.
	api.mustDo(t, 409, request{method: "POST", path: base + ev.ID + "/schedule/publish", as: organizer}, nil)
	api.mustDo(t, 200, request{method: "POST", path: base + ev.ID + "/schedule/run", as: organizer, body: map[string]any{}}, &sc)
	api.mustDo(t, 200, request{method: "POST", path: base + ev.ID + "/schedule/publish", as: organizer}, &sc)
	v = feed()
	if got := v[mAE.ID+"@rongtong"]; len(v) != 2 || got["STATUS"] != "CANCELLED" || got["SEQUENCE"] != "2" {
		t.Fatalf("after the cancellation: %v", v)
	}
	if kept := meetingOf(I.ID, A.ID); kept.Slot != mIA.Slot || kept.Table != mIA.Table || kept.Sequence != 0 {
		t.Errorf("published meeting moved on re-run: %+v, was %+v", kept, mIA)
	}
	// A published meeting kept by the re-run is fixed: moving it by hand is refused.
	r = api.do(t, request{method: "POST", path: base + ev.ID + "/schedule/moves", as: organizer, body: map[string]any{"request": mIA.Request, "slot": free}})
	if r.status != 409 || !strings.Contains(string(r.body), `"code":"fixed"`) {
		t.Errorf("moving a fixed meeting: %d %s", r.status, r.body)
	}

	// Agendas: JSON and print for the participant, not for others.
	var ag app.Agenda
	api.mustDo(t, 200, request{method: "GET", path: base + ev.ID + "/participants/" + A.ID + "/agenda", as: memberA}, &ag)
	if len(ag.Items) != 2 || ag.Items[0].Counterpart == nil {
		t.Fatalf("agenda %+v", ag.Items)
	}
	html := api.mustDo(t, 200, request{method: "GET", path: base + ev.ID + "/participants/" + A.ID + "/agenda.html", as: ownerA}, nil)
	if body := string(html.body); !strings.Contains(body, "@media print") || !strings.Contains(body, "已取消") || !strings.Contains(body, f.orgI.Name) {
		t.Errorf("printable agenda: %s", body)
	}
	// its one script, allowed by hash; nothing else runs or loads
	csp := html.header.Get("Content-Security-Policy")
	sum := sha256.Sum256([]byte(agendaScript))
	if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, base64.StdEncoding.EncodeToString(sum[:])) ||
		!strings.Contains(string(html.body), "<script>"+agendaScript+"</script>") {
		t.Errorf("printable agenda's policy %q does not allow exactly its script", csp)
	}
	api.mustDo(t, 404, request{method: "GET", path: base + ev.ID + "/participants/" + A.ID + "/agenda", as: institution}, nil)
	api.mustDo(t, 403, request{method: "GET", path: base + ev.ID + "/participants/" + A.ID + "/agenda", as: investor}, nil)

	// On the day: check-in, outcome, ratings after the meeting, results.
	api.mustDo(t, 200, request{method: "POST", path: base + ev.ID + "/participants/" + A.ID + "/checkin", as: organizer, body: map[string]any{"checkedIn": true}}, nil)
	rate := map[string]any{"stars": 5, "comment": "对接顺利", "followUp": true}
	api.mustDo(t, 409, request{method: "POST", path: base + ev.ID + "/meetings/" + mIA.ID + "/rating", as: ownerA, body: rate}, nil)
	api.clock.Advance(11 * 24 * time.Hour)
	api.mustDo(t, 200, request{method: "POST", path: base + ev.ID + "/meetings/" + mIA.ID + "/outcome", as: organizer, body: map[string]any{"outcome": "held"}}, nil)
	api.mustDo(t, 200, request{method: "POST", path: base + ev.ID + "/meetings/" + mIA.ID + "/rating", as: ownerA, body: rate}, nil)
	api.mustDo(t, 200, request{method: "POST", path: base + ev.ID + "/meetings/" + mIA.ID + "/rating", as: investor, body: map[string]any{"stars": 4}}, nil)
	api.mustDo(t, 404, request{method: "POST", path: base + ev.ID + "/meetings/" + mIA.ID + "/rating", as: institution, body: rate}, nil)
	var res app.EventResults
	api.mustDo(t, 200, request{method: "GET", path: base + ev.ID + "/results", as: organizer}, &res)
	want := app.EventResults{Participants: 2, CheckedIn: 1, Requests: 2, Accepted: 2, Scheduled: 1, Held: 1, Ratings: 2, AverageRating: 4.5, FollowUps: 1}
	if res != want {
		t.Errorf("results %+v, want %+v", res, want)
	}
}

// newOpenEvent creates and opens an event as the organizer through the API.
func newOpenEvent(t *testing.T, api *testAPI, edit func(m map[string]any)) app.Event {
	t.Helper()
	body := eventBody(api.clock.Now(), "规则测试洽谈会")
	if edit != nil {
		edit(body)
	}
	var ev app.Event
	api.mustDo(t, 201, request{method: "POST", path: "/api/v1/events", as: organizer, body: body}, &ev)
	api.mustDo(t, 200, request{method: "POST", path: "/api/v1/events/" + ev.ID + "/status", as: organizer, body: map[string]any{"status": "open"}}, &ev)
	return ev
}

func TestEventImportParticipants(t *testing.T) {
	api := newEventAPI(t)
	f := api.f
	ev := newOpenEvent(t, api, nil)
	path := "/api/v1/events/" + ev.ID + "/participants/import"

	// CSV by USCC and ref: a good row, an unknown USCC, a type the event
	// does not admit, a repeated organisation, a ref.
	csv := "统一社会信用代码,编号,备注\n" +
		f.orgA.USCC + ",,首批\n" +
		"91330206MA2AAAAAA0,,\n" +
		",fx-org-T,\n" +
		f.orgA.USCC + ",,\n" +
		",fx-org-E,\n"
	var rep app.ParticipantImport
	api.mustDo(t, 200, request{method: "POST", path: path, as: organizer, body: csv, contentType: "text/csv"}, &rep)
	if rep.Lines != 5 || rep.Created != 2 || rep.Existing != 1 || rep.Failed != 2 {
		t.Fatalf("report %+v", rep)
	}
	if rep.Errors[0].Line != 3 || rep.Errors[0].Field != "uscc" || rep.Errors[1].Line != 4 || rep.Errors[1].Field != "ref" {
		t.Errorf("errors %+v", rep.Errors)
	}

	// The same as an .xlsx workbook in a multipart upload: all exist now,
	// but investor I is new.
	wb := excelize.NewFile()
	for i, row := range [][]any{{"uscc", "ref"}, {f.orgE.USCC, ""}, {"", "fx-org-I"}} {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			t.Fatal(err)
		}
		if err := wb.SetSheetRow("Sheet1", cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var xlsx bytes.Buffer
	if err := wb.Write(&xlsx); err != nil {
		t.Fatal(err)
	}
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	fw, err := mw.CreateFormFile("file", "参会名单.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(xlsx.Bytes())
	mw.Close()
	api.mustDo(t, 200, request{method: "POST", path: path, as: organizer, body: form.Bytes(), contentType: mw.FormDataContentType()}, &rep)
	if rep.Lines != 2 || rep.Created != 1 || rep.Existing != 1 || rep.Failed != 0 {
		t.Fatalf("xlsx report %+v", rep)
	}
	var ps listPage[app.Participant]
	api.mustDo(t, 200, request{method: "GET", path: "/api/v1/events/" + ev.ID + "/participants?status=approved", as: organizer}, &ps)
	if len(ps.Items) != 3 {
		t.Errorf("%d approved participants after the imports, want 3 (A, E, I)", len(ps.Items))
	}
}

func TestEventRequestRules(t *testing.T) {
	api := newEventAPI(t)
	ev := newOpenEvent(t, api, func(m map[string]any) {
		m["maxRequests"] = 1
		m["requestsClose"] = api.clock.Now().Add(48 * time.Hour)
	})
	base := "/api/v1/events/" + ev.ID
	reg := func(who string) app.Participant {
		var p app.Participant
		api.mustDo(t, 201, request{method: "POST", path: base + "/participants", as: who, body: map[string]any{}}, &p)
		return p
	}
	A, E, I := reg(ownerA), reg(enterprise), reg(investor)
	// Pending participants may not ask, nor be asked.
	api.mustDo(t, 403, request{method: "POST", path: base + "/requests", as: ownerA, body: map[string]any{"toId": E.ID}}, nil)
	for _, p := range []app.Participant{A, E, I} {
		api.mustDo(t, 200, request{method: "POST", path: base + "/participants/" + p.ID + "/decision", as: organizer, body: map[string]any{"status": "approved"}}, nil)
	}
	var r app.MeetingRequest
	api.mustDo(t, 201, request{method: "POST", path: base + "/requests", as: ownerA, body: map[string]any{"toId": E.ID}}, &r)
	// The cap of one request.
	api.mustDo(t, 409, request{method: "POST", path: base + "/requests", as: ownerA, body: map[string]any{"toId": I.ID}}, nil)
	// The organizer acts for a participant, within the rules.
	api.mustDo(t, 201, request{method: "POST", path: base + "/requests", as: organizer, body: map[string]any{"fromId": I.ID, "toId": A.ID}}, nil)
	// After requests close, a pending request shows expired and is not answered.
	api.clock.Advance(49 * time.Hour)
	var rs listPage[app.MeetingRequest]
	api.mustDo(t, 200, request{method: "GET", path: base + "/requests", as: enterprise}, &rs)
	if len(rs.Items) != 1 || rs.Items[0].Status != app.RequestExpired {
		t.Fatalf("requests after the close: %+v", rs.Items)
	}
	api.mustDo(t, 409, request{method: "POST", path: base + "/requests/" + r.ID + "/answer", as: enterprise, body: map[string]any{"status": "accepted"}}, nil)
	// Registration has closed for members, not for the organizer.
	api.clock.Advance(4 * 24 * time.Hour)
	api.mustDo(t, 409, request{method: "POST", path: base + "/participants", as: ownerU, body: map[string]any{}}, nil)
	api.mustDo(t, 201, request{method: "POST", path: base + "/participants", as: organizer, body: map[string]any{"orgId": api.f.orgU.ID}}, nil)
	// The scheduler expires what is pending; nothing was accepted.
	var sc app.Schedule
	api.mustDo(t, 200, request{method: "POST", path: base + "/schedule/run", as: organizer, body: map[string]any{}}, &sc)
	if len(sc.Draft.Meetings) != 0 {
		t.Errorf("meetings from expired requests: %+v", sc.Draft.Meetings)
	}
}

func TestEventScoresAndRecommendations(t *testing.T) {
	useMatcher(mustFixture(t)) // before the event API copies the service
	api := newEventAPI(t)
	ev := newOpenEvent(t, api, func(m map[string]any) { m["pairs"] = []map[string]any{} })
	base := "/api/v1/events/" + ev.ID
	var pE app.Participant
	for _, o := range []*app.Org{api.f.orgA, api.f.orgE, api.f.orgI, api.f.orgU} {
		var p app.Participant
		api.mustDo(t, 201, request{method: "POST", path: base + "/participants", as: organizer, body: map[string]any{"orgId": o.ID}}, &p)
		if o == api.f.orgE {
			pE = p
		}
	}
	// E's need (a published listing, attached at the event: other tests
	// publish more of E's listings in the shared fixture) ranks SMEs: E
	// sees a score for U, whose published capability fits it.
	need := &app.Listing{Kind: app.KindNeed, Status: app.StatusPublished, Title: "精密压铸件配套需求", Industry: "3391", Processes: []string{"压铸"}}
	need, err := api.f.svc.CreateListing(t.Context(), app.SystemActor(), api.f.orgE.ID, need)
	if err != nil {
		t.Fatal(err)
	}
	api.mustDo(t, 200, request{method: "PUT", path: base + "/participants/" + pE.ID, as: organizer, body: map[string]any{"listingIds": []string{need.ID}}}, nil)
	var ps listPage[app.Participant]
	api.mustDo(t, 200, request{method: "GET", path: base + "/participants", as: enterprise}, &ps)
	for _, p := range ps.Items {
		if p.OrgID == api.f.orgE.ID && p.Score != nil {
			t.Errorf("E is scored against itself")
		}
		if p.Score != nil && (*p.Score <= 0 || *p.Score > 100) {
			t.Errorf("score %v of %s out of 0–100", *p.Score, p.Org.Name)
		}
	}
	if !slices.ContainsFunc(ps.Items, func(p app.Participant) bool { return p.OrgID == api.f.orgU.ID && p.Score != nil }) {
		t.Errorf("E sees no score for U: %+v", ps.Items)
	}
	var added listPage[app.MeetingRequest]
	api.mustDo(t, 200, request{method: "POST", path: base + "/recommendations", as: organizer, body: map[string]any{"minScore": 0.01, "perParticipant": 1}}, &added)
	seen := map[string]bool{}
	for _, r := range added.Items {
		if !r.Recommended || r.Status != app.RequestAccepted || r.FromID == r.ToID {
			t.Errorf("recommendation %+v", r)
		}
		k := pairOf(r.FromID, r.ToID)
		if seen[k] {
			t.Errorf("pair %s recommended twice", k)
		}
		seen[k] = true
	}
	if len(added.Items) == 0 {
		t.Error("no recommendation although E and U match")
	}
	// Recommending again adds nothing for pairs that have a request.
	var again listPage[app.MeetingRequest]
	api.mustDo(t, 200, request{method: "POST", path: base + "/recommendations", as: organizer, body: map[string]any{"minScore": 0.01, "perParticipant": 1}}, &again)
	for _, r := range again.Items {
		if seen[pairOf(r.FromID, r.ToID)] {
			t.Errorf("pair %s recommended again", pairOf(r.FromID, r.ToID))
		}
	}
}

func pairOf(a, b string) string {
	if a > b {
		a, b = b, a
	}
	return a + "|" + b
}

// TestEventRegionScope: an admin scoped to a region runs the events of
// organisers in it, not those elsewhere, and creates events only for them.
func TestEventRegionScope(t *testing.T) {
	api := newEventAPI(t)
	body := eventBody(api.clock.Now(), "杭州洽谈会")
	body["orgId"] = api.f.orgI.ID // in 杭州, outside 宁波
	var ev app.Event
	api.mustDo(t, 201, request{method: "POST", path: "/api/v1/events", as: admin, body: body}, &ev)
	if ev.Region != api.f.orgI.Region {
		t.Errorf("event region %q, want the organiser's %q", ev.Region, api.f.orgI.Region)
	}
	// A draft is hidden from who does not run it; an open event is seen
	// but not run.
	status := "/api/v1/events/" + ev.ID + "/status"
	api.mustDo(t, 404, request{method: "POST", path: status, as: scopedAdmin, body: map[string]any{"status": "open"}}, nil)
	api.mustDo(t, 200, request{method: "POST", path: status, as: admin, body: map[string]any{"status": "open"}}, nil)
	api.mustDo(t, 403, request{method: "POST", path: status, as: scopedAdmin, body: map[string]any{"status": "closed"}}, nil)
	api.mustDo(t, 403, request{method: "GET", path: "/api/v1/events/" + ev.ID + "/schedule", as: scopedAdmin}, nil)
	r := api.do(t, request{method: "POST", path: "/api/v1/events", as: scopedAdmin, body: body})
	if r.status != 422 || !strings.Contains(string(r.body), `"field":"orgId"`) {
		t.Errorf("scoped admin creating an event for an organisation elsewhere: %d %s", r.status, r.body)
	}
	body["orgId"] = api.f.orgG.ID // in 宁波
	api.mustDo(t, 201, request{method: "POST", path: "/api/v1/events", as: scopedAdmin, body: body}, nil)
}
