package handlers

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/matching"
)

var matcherOnce sync.Once

// useMatcher gives the shared fixture's service the matching engine. The
// authorization rows of /matches call it from their path, so the table
// works whichever test runs first.
func useMatcher(f *fixture) {
	matcherOnce.Do(func() {
		f.svc.Matcher = matching.New(f.store, f.svc.Searcher, matching.DefaultConfig())
	})
}

// matchesPath returns a path func for GET /matches from a fixture record.
func matchesPath(from func(f *fixture) string, extra string) func(*testing.T, *fixture, string) string {
	return func(_ *testing.T, f *fixture, _ string) string {
		useMatcher(f)
		return "/api/v1/matches?from=" + url.QueryEscape(from(f)) + extra
	}
}

// checkMatches checks a page of matches as the persona got it: only
// records the persona may see, sensitive fields only where entitled, and
// every reason rendered.
func checkMatches(t *testing.T, api *testAPI, who string, r response) {
	t.Helper()
	var res app.MatchResult
	r.json(t, &res)
	for _, m := range res.Items {
		if m.Org == nil {
			t.Errorf("%s: match %s without its organisation", who, m.ID)
			continue
		}
		o := map[string]any{"id": m.Org.ID, "region": m.Org.Region, "verified": m.Org.Verified}
		if m.Org.RevenueWan != 0 {
			o["revenueWan"] = m.Org.RevenueWan
		}
		checkOrg(t, api.f, who, o)
		if m.Listing != nil && (m.Listing.Status != app.StatusPublished || !m.Listing.Owner.Verified) && who != admin {
			t.Errorf("%s: match shows listing %s (%s, owner verified %v)", who, m.Listing.ID, m.Listing.Status, m.Listing.Owner.Verified)
		}
		for _, rs := range [][]app.Reason{m.Reasons, m.Unmet, m.Violations} {
			for _, x := range rs {
				if x.Code == "" || x.Text == "" {
					t.Errorf("%s: reason %+v not rendered", who, x)
				}
			}
		}
	}
	if strings.Contains(string(r.body), api.f.pubU.ID) && !ownOrg(api.f, who, api.f.orgU.ID) && who != admin {
		t.Errorf("%s: matches show U's unverified listing", who)
	}
}

// matchFixture adds records to match against: an investor's preferences
// that fit A's financing need, and an SME in A's industry group with a
// capability.
type matchFixture struct {
	inv, cap *app.Listing
	sme      *app.Org
}

var matchData struct {
	once sync.Once
	m    matchFixture
	err  error
}

func mustMatchFixture(tb testing.TB, f *fixture) matchFixture {
	tb.Helper()
	useMatcher(f)
	matchData.once.Do(func() {
		ctx := context.Background()
		sys := app.SystemActor()
		m := &matchData.m
		if m.inv, matchData.err = f.svc.CreateListing(ctx, sys, f.orgI.ID, &app.Listing{Kind: app.KindInvestor, Status: app.StatusPublished,
			Title: "装备制造股权投资", Industries: []string{"33"}, Stages: []string{"A", "B"}, TicketMinWan: 1000, TicketMaxWan: 5000}); matchData.err != nil {
			return
		}
		sme := &app.Org{Name: "匹配测试铸造有限公司", Type: app.OrgSME, USCC: newUSCC(), Region: "330206", Industry: "3392",
			Tier: app.TierSpecialized, Certifications: []string{"IATF16949"}}
		if m.sme, matchData.err = f.svc.CreateOrg(ctx, sys, sme); matchData.err != nil {
			return
		}
		if m.sme, matchData.err = f.svc.VerifyOrg(ctx, sys, m.sme.ID, true); matchData.err != nil {
			return
		}
		m.cap, matchData.err = f.svc.CreateListing(ctx, sys, m.sme.ID, &app.Listing{Kind: app.KindCapability, Status: app.StatusPublished,
			Title: "铝合金压铸件生产能力", Processes: []string{"压铸", "数控加工"}, Capacity: &app.Amount{Value: 50, Unit: "万件", Per: "year"}})
	})
	if matchData.err != nil {
		tb.Fatalf("match fixture: %v", matchData.err)
	}
	return matchData.m
}

func TestMatches(t *testing.T) {
	api := newTestAPI(t)
	f := api.f
	m := mustMatchFixture(t, f)
	fin := "/api/v1/matches?from=financing:" + f.finA.ID
	api.run(t, []scenario{
		{name: "anonymous", method: "GET", path: fin, wantStatus: 401},
		{name: "financing need to investors", method: "GET", path: fin, as: ownerA, wantStatus: 200,
			wantBody: []string{`"target":"investor"`, m.inv.ID, `"code":"stage_fit"`, "投资阶段匹配"},
			check: func(t *testing.T, r response) {
				var res app.MatchResult
				r.json(t, &res)
				if res.From.ID != f.finA.ID || len(res.Items) == 0 {
					t.Fatalf("from %+v, %d items", res.From, len(res.Items))
				}
				top := res.Items[0]
				if top.ID != m.inv.ID || top.Score <= 0 || top.Score > 100 || len(top.Parts) == 0 || top.Rank != 1 {
					t.Errorf("top match %+v", top)
				}
				if top.Org == nil || top.Org.ID != f.orgI.ID || top.Listing == nil || top.Listing.ID != m.inv.ID {
					t.Errorf("top match records: org %v listing %v", top.Org, top.Listing)
				}
			}},
		{name: "in English", method: "GET", path: fin + "&lang=en", as: ownerA, wantStatus: 200, wantBody: []string{"invests at this stage"}},
		{name: "English from Accept-Language", method: "GET", path: fin, as: ownerA, header: map[string]string{"Accept-Language": "en-GB,en;q=0.9"},
			wantStatus: 200, wantBody: []string{"invests at this stage"}},
		{name: "an explicit target", method: "GET", path: fin + "&target=investor&limit=5", as: memberA, wantStatus: 200},
		{name: "a target the source has not", method: "GET", path: fin + "&target=tech", as: ownerA, wantStatus: 422, wantBody: []string{`"field":"target"`}},
		{name: "not a member", method: "GET", path: fin, as: investor, wantStatus: 403},
		{name: "an admin", method: "GET", path: fin, as: admin, wantStatus: 200},
		{name: "an admin in scope", method: "GET", path: fin, as: scopedAdmin, wantStatus: 200},
		{name: "no from", method: "GET", path: "/api/v1/matches", as: ownerA, wantStatus: 422, wantBody: []string{`"field":"from"`}},
		{name: "from without a kind", method: "GET", path: "/api/v1/matches?from=" + f.finA.ID, as: ownerA, wantStatus: 400, wantBody: []string{`"field":"from"`}},
		{name: "an unknown kind", method: "GET", path: "/api/v1/matches?from=event:" + f.finA.ID, as: ownerA, wantStatus: 422, wantBody: []string{`"field":"from"`}},
		{name: "the wrong kind", method: "GET", path: "/api/v1/matches?from=need:" + f.finA.ID, as: ownerA, wantStatus: 404},
		{name: "an unknown record", method: "GET", path: "/api/v1/matches?from=need:0123456789abcdef01234567", as: ownerA, wantStatus: 404},
		{name: "an invisible record", method: "GET", path: "/api/v1/matches?from=capability:" + f.pubU.ID, as: ownerA, wantStatus: 404},
		{name: "one's own unverified organisation's record", method: "GET", path: "/api/v1/matches?from=capability:" + f.pubU.ID, as: ownerU, wantStatus: 200},
		{name: "limit out of range", method: "GET", path: fin + "&limit=0", as: ownerA, wantStatus: 422, wantBody: []string{`"field":"limit"`}},
		{name: "a bad cursor", method: "GET", path: fin + "&cursor=nonsense", as: ownerA, wantStatus: 422, wantBody: []string{`"field":"cursor"`}},
		{name: "a bad language", method: "GET", path: fin + "&lang=fr", as: ownerA, wantStatus: 422, wantBody: []string{`"field":"lang"`}},
		{name: "an unknown parameter", method: "GET", path: fin + "&q=x", as: ownerA, wantStatus: 400},
		{name: "collaboration for A", method: "GET", path: "/api/v1/matches?from=org:" + f.orgA.ID, as: ownerA, wantStatus: 200,
			wantBody: []string{`"target":"org"`, m.sme.ID}},
		{name: "collaboration for an investor", method: "GET", path: "/api/v1/matches?from=org:" + f.orgI.ID, as: investor, wantStatus: 422},
	})
}

// TestMatchesPages follows nextCursor through every page.
func TestMatchesPages(t *testing.T) {
	api := newTestAPI(t)
	f := api.f
	mustMatchFixture(t, f)
	path := "/api/v1/matches?from=org:" + f.orgA.ID + "&limit=1"
	seen := map[string]bool{}
	for page := 0; page < 20; page++ {
		r := api.do(t, request{method: "GET", path: path, as: ownerA})
		if r.status != 200 {
			t.Fatalf("%s: %d %s", path, r.status, r.body)
		}
		var res app.MatchResult
		r.json(t, &res)
		for _, m := range res.Items {
			if seen[m.ID] {
				t.Errorf("%s listed twice", m.ID)
			}
			seen[m.ID] = true
			if m.Rank != len(seen) {
				t.Errorf("rank %d, want %d", m.Rank, len(seen))
			}
		}
		if res.NextCursor == "" {
			if len(seen) == 0 {
				t.Error("no matches at all")
			}
			return
		}
		path = "/api/v1/matches?from=org:" + f.orgA.ID + "&limit=1&cursor=" + res.NextCursor
	}
	t.Error("more than 20 pages")
}
