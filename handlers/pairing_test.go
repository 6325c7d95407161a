package handlers

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/rongtong/rongtong/app"
)

// request asks A for a pairing as E's owner, from a new need of E, so that
// every call has a pairing of its own: interested, E the requester, A (ownerA,
// memberA) to answer, both in 宁波.
func (f *fixture) request(tb testing.TB) *app.Pairing {
	tb.Helper()
	ctx := context.Background()
	// Every request comes from E, and many stay open across the tests of
	// one binary (and more with -count): lift the cap, which the app tests
	// cover.
	raiseCap.Do(func() { f.svc.Config.Pairing.OpenRequestCap = 10000 })
	a, err := f.svc.Actor(ctx, f.users[enterprise].ID)
	if err != nil {
		tb.Fatal(err)
	}
	need := f.mustListing(tb, f.orgE, app.StatusPublished)
	p, err := f.svc.ProposePairing(ctx, a, app.ProposeInput{Source: app.RecordRef{Kind: "need", ID: need.ID},
		Target: app.RecordRef{Kind: "org", ID: f.orgA.ID}, Message: "盼与贵司洽谈压铸配套"})
	if err != nil {
		tb.Fatalf("request: %v", err)
	}
	return p
}

var raiseCap sync.Once

var sharedPairing struct {
	once sync.Once
	p    *app.Pairing
}

// pairingEA is one request of E to A shared by the read-only rows.
func (f *fixture) pairingEA(tb testing.TB) *app.Pairing {
	sharedPairing.once.Do(func() { sharedPairing.p = f.request(tb) })
	if sharedPairing.p == nil {
		tb.Fatal("no shared pairing")
	}
	return sharedPairing.p
}

// seesEA: the personas who are a side of a request of E to A, and the
// admins whose scope covers it (both parties are in 宁波).
func seesEA(who string) bool {
	return who == enterprise || who == ownerA || who == memberA || who == admin || who == scopedAdmin
}

// pairingRows are the authorization rows of the pairing and inbox routes.
func pairingRows() []authzRow {
	sees := expect(404, anon, 401, enterprise, 200, ownerA, 200, memberA, 200, admin, 200, scopedAdmin, 200)
	return []authzRow{
		{name: "ask for a pairing", method: "POST", route: "/api/v1/pairings", path: at("/api/v1/pairings"),
			body: func(t *testing.T, f *fixture, who string) any {
				src := f.orgOf(who)
				if src == nil {
					src = f.orgA // not the caller's: refused
				}
				// A fresh institute: no SME, so the matches other rows page through stay as they are.
				target := f.mustOrg(t, app.OrgInstitution, "330206", true)
				return map[string]any{"source": map[string]any{"kind": "org", "id": src.ID},
					"target": map[string]any{"kind": "org", "id": target.ID}, "message": "授权测试请求"}
			},
			want: expect(201, anon, 401, loner, 422, admin, 422, scopedAdmin, 422),
			check: func(t *testing.T, api *testAPI, who string, r response) {
				var v PairingView
				r.json(t, &v)
				if v.Pairing.Status != app.PairingInterested || v.Pairing.A.OrgID != api.f.orgOf(who).ID || !slices.Equal(v.Allowed, []app.PairingStatus{app.PairingWithdrawn}) {
					t.Errorf("%s: created %+v allowed %v", who, v.Pairing, v.Allowed)
				}
			}},
		{name: "list pairings", method: "GET", route: "/api/v1/pairings",
			path: func(t *testing.T, f *fixture, _ string) string { f.pairingEA(t); return "/api/v1/pairings?limit=200" },
			want: loggedIn, check: checkPairingList},
		{name: "list interested pairings", method: "GET", route: "/api/v1/pairings",
			path: func(t *testing.T, f *fixture, _ string) string {
				f.pairingEA(t)
				return "/api/v1/pairings?status=interested&kind=supply&limit=200"
			},
			want: loggedIn, check: checkPairingList},
		{name: "get a request of E to A", method: "GET", route: "/api/v1/pairings/:id",
			path: func(t *testing.T, f *fixture, _ string) string { return "/api/v1/pairings/" + f.pairingEA(t).ID },
			want: sees,
			check: func(t *testing.T, api *testAPI, who string, r response) {
				var v PairingView
				r.json(t, &v)
				if len(v.Pairing.History) < 2 {
					t.Errorf("%s: no history: %+v", who, v.Pairing)
				}
			}},
		{name: "accept a request of E to A", method: "POST", route: "/api/v1/pairings/:id/transitions",
			path: func(t *testing.T, f *fixture, _ string) string {
				return "/api/v1/pairings/" + f.request(t).ID + "/transitions"
			},
			body: func(*testing.T, *fixture, string) any {
				return app.TransitionInput{To: app.PairingAccepted, Message: "欢迎来访"}
			},
			// The asking side and the admins may not answer for A: 409.
			want: expect(404, anon, 401, enterprise, 409, ownerA, 200, memberA, 200, admin, 409, scopedAdmin, 409)},
		{name: "inbox", method: "GET", route: "/api/v1/inbox", path: at("/api/v1/inbox?limit=200"), want: loggedIn,
			check: func(t *testing.T, api *testAPI, who string, r response) {
				var page listPage[app.Notification]
				r.json(t, &page)
				for _, n := range page.Items {
					if n.UserID != api.f.users[who].ID {
						t.Errorf("%s sees notification %s of user %s", who, n.ID, n.UserID)
					}
				}
			}},
		{name: "unread count", method: "GET", route: "/api/v1/inbox/unread", path: at("/api/v1/inbox/unread"), want: loggedIn},
		{name: "mark read", method: "POST", route: "/api/v1/inbox/read", path: at("/api/v1/inbox/read"),
			body: func(*testing.T, *fixture, string) any { return ReadRequest{IDs: []string{}} }, want: loggedIn},
	}
}

// checkPairingList: every listed pairing is the persona's organisation's or,
// for admins, in their scope.
func checkPairingList(t *testing.T, api *testAPI, who string, r response) {
	t.Helper()
	var page listPage[app.Pairing]
	r.json(t, &page)
	f := api.f
	sawEA := false
	for _, p := range page.Items {
		own := ownOrg(f, who, p.A.OrgID) || ownOrg(f, who, p.B.OrgID)
		if !own && !inScope(who, p.A.Region) && !inScope(who, p.B.Region) {
			t.Errorf("%s sees pairing %s between %s and %s", who, p.ID, p.A.Name, p.B.Name)
		}
		sawEA = sawEA || p.ID == f.pairingEA(t).ID
	}
	if sawEA != seesEA(who) {
		t.Errorf("%s: the request of E to A listed %v, want %v", who, sawEA, seesEA(who))
	}
}

// pairingWriteRoutes are the bad-input cases of the pairing write routes.
func pairingWriteRoutes() []writeRoute {
	const someID = "0123456789abcdef01234567"
	ask := func(extra string) string {
		return `{"source":{"kind":"org","id":"` + someID + `"},"target":{"kind":"org","id":"` + someID + `"}` + extra + `}`
	}
	move := func(t *testing.T, f *fixture) string { return "/api/v1/pairings/" + f.pairingEA(t).ID + "/transitions" }
	return []writeRoute{
		{method: "POST", path: "/api/v1/pairings", as: ownerA, target: func(*testing.T, *fixture) string { return "/api/v1/pairings" },
			valid: ask(`,"message":"x"`),
			bad: []badCase{
				{name: "source a string", body: `{"source":"org:x","target":{"kind":"org","id":"` + someID + `"},"message":"x"}`, want: 400, field: "source"},
				{name: "source id a number", body: `{"source":{"kind":"org","id":5},"target":{"kind":"org","id":"` + someID + `"},"message":"x"}`, want: 400, field: "source.id"},
				{name: "score a string", body: ask(`,"message":"x","score":"high"`), want: 400, field: "score"},
				{name: "origin set by the client", body: ask(`,"message":"x","origin":"engine"`), want: 400, field: "origin"},
				{name: "unknown source kind", body: `{"source":{"kind":"event","id":"` + someID + `"},"target":{"kind":"org","id":"` + someID + `"},"message":"x"}`, want: 422, field: "source.kind"},
				{name: "target id malformed", body: `{"source":{"kind":"org","id":"` + someID + `"},"target":{"kind":"org","id":"x"},"message":"x"}`, want: 422, field: "target.id"},
				{name: "no target", body: `{"source":{"kind":"org","id":"` + someID + `"},"message":"x"}`, want: 422, field: "target.kind"},
				{name: "no message", body: ask(``), want: 422, field: "message"},
				{name: "long message", body: ask(`,"message":"` + strings.Repeat("长", app.MaxPairingMessageRunes+1) + `"`), want: 422, field: "message"},
				{name: "negative score", body: ask(`,"message":"x","score":-1`), want: 422, field: "score"},
				{name: "no such records", body: ask(`,"message":"x"`), want: 422, field: "source"},
			}},
		{method: "POST", path: "/api/v1/pairings/:id/transitions", as: ownerA, target: move,
			valid: `{"to":"accepted"}`,
			bad: []badCase{
				{name: "to a number", body: `{"to":3}`, want: 400, field: "to"},
				{name: "outcome value a string", body: `{"to":"agreed","outcome":{"kind":"contract","valueYuan":"lots"}}`, want: 400, field: "outcome.valueYuan"},
				{name: "outcome value a fraction", body: `{"to":"agreed","outcome":{"kind":"contract","valueYuan":1.5}}`, want: 400, field: "outcome.valueYuan"},
				{name: "outcome operator", body: `{"to":"agreed","outcome":{"$gt":0}}`, want: 400, field: "outcome.$gt"},
				{name: "no status", body: `{}`, want: 422, field: "to"},
				{name: "unknown status", body: `{"to":"married"}`, want: 422, field: "to"},
				{name: "decline without a reason", body: `{"to":"declined"}`, want: 422, field: "reason"},
				{name: "unknown reason", body: `{"to":"declined","reason":"bored"}`, want: 422, field: "reason"},
				{name: "agree without an outcome", body: `{"to":"agreed"}`, want: 422, field: "outcome"},
				{name: "unknown outcome kind", body: `{"to":"agreed","outcome":{"kind":"gift","valueYuan":5}}`, want: 422, field: "outcome.kind"},
				{name: "negative version", body: `{"to":"accepted","version":-1}`, want: 422, field: "version"},
				{name: "stale version", body: `{"to":"accepted","version":99}`, want: 409, field: "version"},
				{name: "an illegal move", body: `{"to":"agreed","outcome":{"kind":"contract","valueYuan":5}}`, want: 409, field: "to"},
			}},
		{method: "POST", path: "/api/v1/inbox/read", as: ownerA, target: func(*testing.T, *fixture) string { return "/api/v1/inbox/read" },
			valid: `{"ids":[]}`,
			bad: []badCase{
				{name: "ids a string", body: `{"ids":"all"}`, want: 400, field: "ids"},
				{name: "an id a number", body: `{"ids":[5]}`, want: 400, field: "ids[0]"},
				{name: "a malformed id", body: `{"ids":["x"]}`, want: 422, field: "ids[0]"},
			}},
	}
}

// TestPairingHTTP walks a request through the API: asked, refused moves
// answered 409 with the moves allowed, accepted, read by both sides with its
// history, hidden from outsiders, and reported in the inbox.
func TestPairingHTTP(t *testing.T) {
	api := newTestAPI(t)
	f := api.f
	unread := func(who string) int {
		t.Helper()
		r := api.do(t, request{method: "GET", path: "/api/v1/inbox/unread", as: who})
		var u UnreadResponse
		r.json(t, &u)
		return u.Unread
	}
	before := unread(ownerA)
	need := f.mustListing(t, f.orgE, app.StatusPublished)
	r := api.do(t, request{method: "POST", path: "/api/v1/pairings", as: enterprise, body: map[string]any{
		"source": map[string]any{"kind": "need", "id": need.ID}, "target": map[string]any{"kind": "org", "id": f.orgA.ID},
		"message": "盼洽谈", "score": 77.5}})
	if r.status != 201 {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	var v PairingView
	r.json(t, &v)
	path := "/api/v1/pairings/" + v.Pairing.ID
	if got := unread(ownerA); got != before+1 {
		t.Errorf("A's owner has %d unread, want %d", got, before+1)
	}
	move := func(to string) map[string]any { return map[string]any{"to": to} }
	allowed := func(want ...string) func(t *testing.T, r response) {
		return func(t *testing.T, r response) {
			p := checkProblem(t, r)
			if want == nil {
				want = []string{}
			}
			got := p.Allowed
			if got == nil {
				got = []string{}
			}
			if !slices.Equal(got, want) {
				t.Errorf("allowed %q, want %q", got, want)
			}
		}
	}
	api.run(t, []scenario{
		{name: "the asker cannot accept", method: "POST", path: path + "/transitions", as: enterprise, body: move("accepted"),
			wantStatus: 409, wantBody: []string{`"allowed":["withdrawn"]`}, check: allowed("withdrawn")},
		{name: "the asked cannot jump to meeting", method: "POST", path: path + "/transitions", as: memberA, body: move("meeting"),
			wantStatus: 409, check: allowed("accepted", "declined")},
		{name: "an admin cannot accept", method: "POST", path: path + "/transitions", as: scopedAdmin, body: move("accepted"),
			wantStatus: 409, check: allowed("withdrawn")},
		{name: "an outsider learns nothing", method: "POST", path: path + "/transitions", as: investor, body: move("accepted"), wantStatus: 404},
		{name: "an outsider cannot read", method: "GET", path: path, as: ownerU, wantStatus: 404},
		{name: "the asked accepts", method: "POST", path: path + "/transitions", as: memberA, body: map[string]any{"to": "accepted", "message": "欢迎"},
			wantStatus: 200, wantBody: []string{`"status":"accepted"`, `"allowed":["meeting","negotiating","closed"]`}},
		{name: "accepting twice is a conflict", method: "POST", path: path + "/transitions", as: ownerA, body: move("accepted"),
			wantStatus: 409, check: allowed("meeting", "negotiating", "closed")},
		{name: "the asker sees the history", method: "GET", path: path, as: enterprise, wantStatus: 200,
			wantBody: []string{`"from":"interested","to":"accepted"`, `"message":"盼洽谈"`, `"score":77.5`}},
		{name: "and is told", method: "GET", path: "/api/v1/inbox?unread=true", as: enterprise, wantStatus: 200, wantBody: []string{v.Pairing.ID, `"status":"accepted"`}},
		{name: "an unknown pairing", method: "GET", path: "/api/v1/pairings/0123456789abcdef01234567", as: admin, wantStatus: 404},
		{name: "an unknown status filter", method: "GET", path: "/api/v1/pairings?status=married", as: admin, wantStatus: 422},
		{name: "an unknown kind filter", method: "GET", path: "/api/v1/pairings?kind=love", as: admin, wantStatus: 422},
		{name: "an unknown query parameter", method: "GET", path: "/api/v1/inbox?all=1", as: admin, wantStatus: 400},
	})
	// Agreed: final, nothing allowed.
	for _, to := range []string{"negotiating", "agreed"} {
		body := move(to)
		if to == "agreed" {
			body["outcome"] = map[string]any{"kind": "contract", "valueYuan": 2_000_000}
		}
		if r := api.do(t, request{method: "POST", path: path + "/transitions", as: enterprise, body: body}); r.status != 200 {
			t.Fatalf("%s: %d %s", to, r.status, r.body)
		}
	}
	api.run(t, []scenario{{name: "nothing follows an agreement", method: "POST", path: path + "/transitions", as: ownerA,
		body: move("closed"), wantStatus: 409, wantBody: []string{`"allowed":[]`}, check: allowed()}})

	r = api.do(t, request{method: "POST", path: "/api/v1/inbox/read", as: enterprise, body: ReadRequest{}})
	if r.status != 200 || unread(enterprise) != 0 {
		t.Errorf("mark all read: %d %s; %d left", r.status, r.body, unread(enterprise))
	}
}

// httpAllowed is the state machine as the API answers it, restated by hand
// for a request of E (side a) to A (side b): what E's owner, A's owner and
// the 宁波 admin may do from each state; final states allow nothing.
var httpAllowed = map[app.PairingStatus]map[string][]string{
	app.PairingProposed:    {enterprise: {"interested", "declined"}, ownerA: {"interested", "declined"}, scopedAdmin: {"withdrawn"}},
	app.PairingInterested:  {enterprise: {"withdrawn"}, ownerA: {"accepted", "declined"}, scopedAdmin: {"withdrawn"}},
	app.PairingAccepted:    {enterprise: {"meeting", "negotiating", "closed"}, ownerA: {"meeting", "negotiating", "closed"}, scopedAdmin: {"closed"}},
	app.PairingMeeting:     {enterprise: {"negotiating", "closed"}, ownerA: {"negotiating", "closed"}, scopedAdmin: {"closed"}},
	app.PairingNegotiating: {enterprise: {"meeting", "agreed", "closed"}, ownerA: {"meeting", "agreed", "closed"}, scopedAdmin: {"closed"}},
}

// TestPairingIllegalMovesHTTP tries, through the API, every move from every
// state the pairing can be brought to by its sides, as each side and the
// admin: each illegal one is a 409 problem listing exactly the allowed
// moves, changes nothing, and GET shows the same list.
func TestPairingIllegalMovesHTTP(t *testing.T) {
	api := newTestAPI(t)
	f := api.f
	ctx := context.Background()
	actor := func(who string) *app.Actor {
		a, err := f.svc.Actor(ctx, f.users[who].ID)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	svcMove := func(p *app.Pairing, who string, in app.TransitionInput) *app.Pairing {
		q, err := f.svc.TransitionPairing(ctx, actor(who), p.ID, in)
		if err != nil {
			t.Fatalf("%s → %s: %v", p.Status, in.To, err)
		}
		return q
	}
	at := map[app.PairingStatus]*app.Pairing{}
	proposed, err := f.svc.ProposePairing(ctx, app.SystemActor(), app.ProposeInput{Origin: app.OriginEngine,
		Source: app.RecordRef{Kind: "need", ID: f.mustListing(t, f.orgE, app.StatusPublished).ID}, Target: app.RecordRef{Kind: "org", ID: f.orgA.ID}})
	if err != nil {
		t.Fatal(err)
	}
	at[app.PairingProposed] = proposed
	at[app.PairingInterested] = f.request(t)
	at[app.PairingDeclined] = svcMove(f.request(t), ownerA, app.TransitionInput{To: app.PairingDeclined, Reason: "timing"})
	at[app.PairingWithdrawn] = svcMove(f.request(t), enterprise, app.TransitionInput{To: app.PairingWithdrawn})
	at[app.PairingAccepted] = svcMove(f.request(t), ownerA, app.TransitionInput{To: app.PairingAccepted})
	at[app.PairingMeeting] = svcMove(svcMove(f.request(t), ownerA, app.TransitionInput{To: app.PairingAccepted}), enterprise, app.TransitionInput{To: app.PairingMeeting})
	at[app.PairingNegotiating] = svcMove(svcMove(f.request(t), ownerA, app.TransitionInput{To: app.PairingAccepted}), enterprise, app.TransitionInput{To: app.PairingNegotiating})
	at[app.PairingClosed] = svcMove(svcMove(f.request(t), ownerA, app.TransitionInput{To: app.PairingAccepted}), ownerA, app.TransitionInput{To: app.PairingClosed})
	at[app.PairingAgreed] = svcMove(at[app.PairingNegotiating], ownerA, app.TransitionInput{To: app.PairingAgreed,
		Outcome: &app.Outcome{Kind: app.OutcomeInvestment, ValueYuan: 5_000_000}})
	at[app.PairingNegotiating] = svcMove(svcMove(f.request(t), ownerA, app.TransitionInput{To: app.PairingAccepted}), enterprise, app.TransitionInput{To: app.PairingNegotiating})

	body := func(to app.PairingStatus) map[string]any {
		b := map[string]any{"to": to}
		switch to {
		case app.PairingInterested:
			b["message"] = "有意向"
		case app.PairingDeclined:
			b["reason"] = "terms"
		case app.PairingAgreed:
			b["outcome"] = map[string]any{"kind": "licence", "valueYuan": 300000}
		}
		return b
	}
	for _, from := range app.PairingStatuses {
		p := at[from]
		if p == nil {
			continue // expired: the app tests move the clock
		}
		for _, who := range []string{enterprise, ownerA, scopedAdmin} {
			want := httpAllowed[from][who]
			if want == nil {
				want = []string{}
			}
			for _, to := range app.PairingStatuses {
				if slices.Contains(want, string(to)) {
					continue
				}
				r := api.do(t, request{method: "POST", path: "/api/v1/pairings/" + p.ID + "/transitions", as: who, body: body(to)})
				if r.status != 409 {
					t.Errorf("%s → %s as %s: %d %s", from, to, who, r.status, r.body)
					continue
				}
				got := checkProblem(t, r).Allowed
				if got == nil {
					got = []string{}
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s → %s as %s: allowed %q, want %q", from, to, who, got, want)
				}
			}
			r := api.do(t, request{method: "GET", path: "/api/v1/pairings/" + p.ID, as: who})
			var v PairingView
			r.json(t, &v)
			got := make([]string, len(v.Allowed))
			for i, s := range v.Allowed {
				got[i] = string(s)
			}
			if v.Pairing == nil || v.Pairing.Status != from || v.Pairing.Version != p.Version || !slices.Equal(got, want) {
				t.Errorf("%s as %s after refused moves: %s v%d allowed %q", from, who, v.Pairing.Status, v.Pairing.Version, got)
			}
		}
	}
}
