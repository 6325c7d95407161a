package handlers

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/rongtong/rongtong/app"
)

// authzRow is one route of the authorization table, called as every
// persona. path and body may set up a fresh target per call (so that one
// persona's delete does not change the next one's answer); after undoes
// what a successful call changed in the fixture.
type authzRow struct {
	name          string
	method, route string // the route as registered
	path          func(t *testing.T, f *fixture, who string) string
	body          func(t *testing.T, f *fixture, who string) any
	contentType   string
	personas      []string // default: all
	parallel      bool     // the calls may run at once (they hash passwords, slowly)
	want          map[string]int
	check         func(t *testing.T, api *testAPI, who string, r response)
	after         func(t *testing.T, f *fixture, who string)
}

// expect builds a persona → status table: def for everyone not named.
func expect(def int, pairs ...any) map[string]int {
	m := map[string]int{}
	for _, p := range personas {
		m[p] = def
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		m[pairs[i].(string)] = pairs[i+1].(int)
	}
	return m
}

func at(p string) func(*testing.T, *fixture, string) string {
	return func(*testing.T, *fixture, string) string { return p }
}

// Outcomes shared by many rows.
var (
	// Writes on A, a verified SME in 宁波 whose owner is ownerA.
	ownerOfA = expect(403, anon, 401, ownerA, 200, admin, 200, scopedAdmin, 200)
	// Writes on U, an unverified SME in 杭州: invisible to everyone else.
	ownerOfU = expect(404, anon, 401, ownerU, 200, admin, 200)
	// Listing writes in A: any member.
	memberOfA = expect(403, anon, 401, ownerA, 200, memberA, 200, admin, 200, scopedAdmin, 200)
	// Admin tools.
	adminsOnly = expect(403, anon, 401, admin, 200, scopedAdmin, 200)
	// Public reads.
	everyone = expect(200)
	// Reads that need a login.
	loggedIn = expect(200, anon, 401)
)

func with(m map[string]int, status int) map[string]int {
	out := map[string]int{}
	for k, v := range m {
		if v == 200 {
			v = status
		}
		out[k] = v
	}
	return out
}

func authzRows() []authzRow {
	orgPath := func(o func(f *fixture) *app.Org, suffix string) func(*testing.T, *fixture, string) string {
		return func(_ *testing.T, f *fixture, _ string) string { return "/api/v1/orgs/" + o(f).ID + suffix }
	}
	listingPath := func(l func(f *fixture) *app.Listing) func(*testing.T, *fixture, string) string {
		return func(_ *testing.T, f *fixture, _ string) string { return "/api/v1/listings/" + l(f).ID }
	}
	A := func(f *fixture) *app.Org { return f.orgA }
	U := func(f *fixture) *app.Org { return f.orgU }
	freshListing := func(o func(f *fixture) *app.Org, status app.Status, suffix string) func(*testing.T, *fixture, string) string {
		return func(t *testing.T, f *fixture, _ string) string {
			return "/api/v1/listings/" + f.mustListing(t, o(f), status).ID + suffix
		}
	}
	profile := func(o func(f *fixture) *app.Org) func(*testing.T, *fixture, string) any {
		return func(t *testing.T, f *fixture, _ string) any {
			cur, err := f.store.FindOrg(context.Background(), o(f).ID)
			if err != nil {
				t.Fatal(err)
			}
			return map[string]any{"name": cur.Name, "orgType": cur.Type, "uscc": cur.USCC, "region": cur.Region, "industry": cur.Industry,
				"tier": cur.Tier, "revenueWan": cur.RevenueWan, "rdRatio": cur.RDRatio, "contact": cur.Contact}
		}
	}
	capability := func(*testing.T, *fixture, string) any {
		return map[string]any{"kind": "capability", "title": "授权测试能力", "processes": []string{"冲压"}}
	}
	restoreMember := func(t *testing.T, f *fixture, who string) {
		if u := f.users[who]; u != nil {
			f.setMembership(t, u.ID, f.orgOf(who), u.OrgRole)
		}
	}
	return []authzRow{
		{name: "register", method: "POST", route: "/api/v1/auth/register", path: at("/api/v1/auth/register"), parallel: true,
			body: func(*testing.T, *fixture, string) any {
				return app.RegisterInput{Email: "authz-" + strings.ToLower(app.NewSecret(6)) + "@example.cn", Password: "Passw0rd-authz", Role: app.RoleInvestor}
			}, want: expect(201)},
		{name: "login", method: "POST", route: "/api/v1/auth/login", path: at("/api/v1/auth/login"), parallel: true,
			body: func(_ *testing.T, f *fixture, who string) any {
				u := f.users[who]
				if u == nil {
					u = f.users[ownerA]
				}
				return LoginRequest{Login: u.Email, Password: fixturePassword}
			}, want: everyone},
		{name: "refresh", method: "POST", route: "/api/v1/auth/refresh", path: at("/api/v1/auth/refresh"),
			body: func(t *testing.T, f *fixture, who string) any {
				return RefreshRequest{RefreshToken: f.refreshToken(t, who)}
			}, want: everyone},
		{name: "logout", method: "POST", route: "/api/v1/auth/logout", path: at("/api/v1/auth/logout"),
			body: func(t *testing.T, f *fixture, who string) any {
				return RefreshRequest{RefreshToken: f.refreshToken(t, who)}
			}, want: expect(204)},
		{name: "me", method: "GET", route: "/api/v1/auth/me", path: at("/api/v1/auth/me"), want: loggedIn,
			check: func(t *testing.T, api *testAPI, who string, r response) {
				f := api.f
				var me MeResponse
				r.json(t, &me)
				if me.User.ID != f.users[who].ID {
					t.Errorf("me is %s, want %s", me.User.ID, f.users[who].ID)
				}
				if o := f.orgOf(who); (o == nil) != (me.Org == nil) || o != nil && me.Org.ID != o.ID {
					t.Errorf("me.org %+v, want %v", me.Org, o)
				}
			}},
		{name: "password without a new one", method: "POST", route: "/api/v1/auth/password", path: at("/api/v1/auth/password"),
			// Refused before any password is hashed: the row is about who may call.
			body: func(*testing.T, *fixture, string) any { return PasswordRequest{OldPassword: "Not-the-pw-1"} },
			want: expect(422, anon, 401)},

		{name: "create an organisation", method: "POST", route: "/api/v1/orgs", path: at("/api/v1/orgs"),
			body: func(*testing.T, *fixture, string) any {
				return map[string]any{"name": "授权测试企业", "orgType": "sme", "uscc": newUSCC(), "region": "330206"}
			},
			want:  expect(409, anon, 401, loner, 201, admin, 201, scopedAdmin, 201),
			after: func(t *testing.T, f *fixture, who string) { restoreMember(t, f, who) }},
		{name: "list organisations", method: "GET", route: "/api/v1/orgs", path: at("/api/v1/orgs?limit=200"), want: everyone, check: checkOrgList},
		{name: "list unverified organisations", method: "GET", route: "/api/v1/orgs", path: at("/api/v1/orgs?verified=false&limit=200"), want: everyone,
			check: func(t *testing.T, api *testAPI, who string, r response) {
				checkOrgList(t, api, who, r)
				var page listPage[map[string]any]
				r.json(t, &page)
				for _, o := range page.Items {
					if o["verified"] != false {
						t.Errorf("verified=false listed %v", o["id"])
					}
				}
			}},
		{name: "list organisations in 宁波", method: "GET", route: "/api/v1/orgs", path: at("/api/v1/orgs?region=330200&limit=200"), want: everyone, check: checkOrgList},
		{name: "get verified A", method: "GET", route: "/api/v1/orgs/:id", path: orgPath(A, ""), want: everyone,
			check: func(t *testing.T, api *testAPI, who string, r response) {
				checkOrg(t, api.f, who, decodeMap(t, r))
			}},
		{name: "get unverified U", method: "GET", route: "/api/v1/orgs/:id", path: orgPath(U, ""), want: expect(404, ownerU, 200, admin, 200),
			check: func(t *testing.T, api *testAPI, who string, r response) {
				checkOrg(t, api.f, who, decodeMap(t, r))
			}},
		{name: "update A", method: "PUT", route: "/api/v1/orgs/:id", path: orgPath(A, ""), body: profile(A), want: ownerOfA},
		{name: "update U", method: "PUT", route: "/api/v1/orgs/:id", path: orgPath(U, ""), body: profile(U), want: ownerOfU},
		{name: "delete a verified organisation in 宁波", method: "DELETE", route: "/api/v1/orgs/:id",
			path: func(t *testing.T, f *fixture, _ string) string {
				return "/api/v1/orgs/" + f.mustOrg(t, app.OrgSME, "330206", true).ID
			}, want: expect(403, anon, 401, admin, 204, scopedAdmin, 204)},
		{name: "delete an unverified organisation in 杭州", method: "DELETE", route: "/api/v1/orgs/:id",
			path: func(t *testing.T, f *fixture, _ string) string {
				return "/api/v1/orgs/" + f.mustOrg(t, app.OrgSME, "330106", false).ID
			}, want: expect(404, anon, 401, admin, 204)},
		{name: "delete one's own organisation", method: "DELETE", route: "/api/v1/orgs/:id", personas: []string{ownerA, memberA},
			path: func(t *testing.T, f *fixture, who string) string {
				o := f.mustOrg(t, app.OrgSME, "330206", true)
				f.setMembership(t, f.users[who].ID, o, f.users[who].OrgRole)
				return "/api/v1/orgs/" + o.ID
			}, want: expect(0, ownerA, 204, memberA, 403), after: restoreMember},
		{name: "verify A", method: "POST", route: "/api/v1/orgs/:id/verify", path: orgPath(A, "/verify"),
			body: func(*testing.T, *fixture, string) any { return VerifyRequest{Verified: ptr(true)} }, want: expect(403, anon, 401, admin, 200, scopedAdmin, 200)},
		{name: "unverify U (no change)", method: "POST", route: "/api/v1/orgs/:id/verify", path: orgPath(U, "/verify"),
			body: func(*testing.T, *fixture, string) any { return VerifyRequest{Verified: ptr(false)} }, want: expect(404, anon, 401, ownerU, 403, admin, 200)},
		{name: "invite to A", method: "POST", route: "/api/v1/orgs/:id/invites", path: orgPath(A, "/invites"), want: with(ownerOfA, 201)},
		{name: "invite to U", method: "POST", route: "/api/v1/orgs/:id/invites", path: orgPath(U, "/invites"), want: with(ownerOfU, 201)},
		{name: "join A", method: "POST", route: "/api/v1/orgs/join", path: at("/api/v1/orgs/join"),
			body: func(t *testing.T, f *fixture, _ string) any {
				inv, err := f.svc.CreateInvite(context.Background(), app.SystemActor(), f.orgA.ID)
				if err != nil {
					t.Fatal(err)
				}
				return JoinRequest{Code: inv.Code}
			},
			want:  expect(409, anon, 401, loner, 200, admin, 403, scopedAdmin, 403),
			after: restoreMember},
		{name: "members of A", method: "GET", route: "/api/v1/orgs/:id/members", path: orgPath(A, "/members"), want: memberOfA,
			check: func(t *testing.T, api *testAPI, who string, r response) {
				f := api.f
				if !strings.Contains(string(r.body), f.users[ownerA].ID) {
					t.Errorf("members of A lack its owner: %s", r.body)
				}
			}},
		{name: "members of U", method: "GET", route: "/api/v1/orgs/:id/members", path: orgPath(U, "/members"), want: ownerOfU},
		{name: "set a member's right in A", method: "PUT", route: "/api/v1/orgs/:id/members/:userId",
			path: func(_ *testing.T, f *fixture, _ string) string {
				return "/api/v1/orgs/" + f.orgA.ID + "/members/" + f.users[memberA].ID
			},
			body: func(*testing.T, *fixture, string) any { return MemberRequest{OrgRole: app.MemberMember} }, want: with(ownerOfA, 204)},
		{name: "remove a member of A", method: "DELETE", route: "/api/v1/orgs/:id/members/:userId",
			path: func(t *testing.T, f *fixture, _ string) string {
				return "/api/v1/orgs/" + f.orgA.ID + "/members/" + f.mustUser(t, app.RoleSME, f.orgA, app.MemberMember).ID
			}, want: with(ownerOfA, 204)},
		{name: "remove a member of U", method: "DELETE", route: "/api/v1/orgs/:id/members/:userId",
			path: func(t *testing.T, f *fixture, _ string) string {
				return "/api/v1/orgs/" + f.orgU.ID + "/members/" + f.mustUser(t, app.RoleSME, f.orgU, app.MemberMember).ID
			}, want: with(ownerOfU, 204)},
		{name: "leave A", method: "DELETE", route: "/api/v1/orgs/:id/members/:userId", personas: []string{memberA},
			path: func(_ *testing.T, f *fixture, who string) string {
				return "/api/v1/orgs/" + f.orgA.ID + "/members/" + f.users[who].ID
			}, want: expect(0, memberA, 204), after: restoreMember},

		{name: "create a listing for one's own organisation", method: "POST", route: "/api/v1/listings", path: at("/api/v1/listings"),
			body: func(_ *testing.T, f *fixture, who string) any {
				kind := map[app.OrgType]string{app.OrgEnterprise: "need", app.OrgInvestor: "investor", app.OrgInstitution: "tech"}
				k := "capability"
				if o := f.orgOf(who); o != nil && kind[o.Type] != "" {
					k = kind[o.Type]
				}
				return map[string]any{"kind": k, "title": "授权测试发布"}
			},
			want: expect(201, anon, 401, organizer, 422, loner, 422, admin, 422, scopedAdmin, 422)},
		{name: "create a listing for A", method: "POST", route: "/api/v1/listings",
			path: func(_ *testing.T, f *fixture, _ string) string { return "/api/v1/listings?orgId=" + f.orgA.ID },
			body: capability, want: with(memberOfA, 201)},
		{name: "create a listing for U (orgId in the body)", method: "POST", route: "/api/v1/listings", path: at("/api/v1/listings"),
			body: func(_ *testing.T, f *fixture, _ string) any {
				return map[string]any{"kind": "capability", "title": "x", "orgId": f.orgU.ID}
			}, want: with(ownerOfU, 201)},
		{name: "list listings", method: "GET", route: "/api/v1/listings", path: at("/api/v1/listings?limit=200"), want: everyone, check: checkListingList},
		{name: "list A's listings", method: "GET", route: "/api/v1/listings",
			path: func(_ *testing.T, f *fixture, _ string) string {
				return "/api/v1/listings?org=" + f.orgA.ID + "&limit=200"
			},
			want: everyone, check: checkListingList},
		{name: "list drafts in 宁波", method: "GET", route: "/api/v1/listings", path: at("/api/v1/listings?region=330200&status=draft&limit=200"),
			want: everyone, check: checkListingList},
		{name: "get A's financing need", method: "GET", route: "/api/v1/listings/:id", path: listingPath(func(f *fixture) *app.Listing { return f.finA }),
			want: everyone, check: func(t *testing.T, api *testAPI, who string, r response) {
				checkListing(t, api.f, who, decodeMap(t, r))
			}},
		{name: "get A's draft", method: "GET", route: "/api/v1/listings/:id", path: listingPath(func(f *fixture) *app.Listing { return f.draftA }),
			want: expect(404, ownerA, 200, memberA, 200, admin, 200, scopedAdmin, 200)},
		{name: "get U's published listing", method: "GET", route: "/api/v1/listings/:id", path: listingPath(func(f *fixture) *app.Listing { return f.pubU }),
			want: expect(404, ownerU, 200, admin, 200)},
		{name: "update A's draft", method: "PUT", route: "/api/v1/listings/:id", path: freshListing(A, app.StatusDraft, ""), body: capability,
			want: expect(404, anon, 401, ownerA, 200, memberA, 200, admin, 200, scopedAdmin, 200)},
		{name: "update A's published listing", method: "PUT", route: "/api/v1/listings/:id", path: freshListing(A, app.StatusPublished, ""), body: capability,
			want: memberOfA},
		{name: "update U's published listing", method: "PUT", route: "/api/v1/listings/:id", path: freshListing(U, app.StatusPublished, ""), body: capability,
			want: ownerOfU},
		{name: "delete A's listing", method: "DELETE", route: "/api/v1/listings/:id", path: freshListing(A, app.StatusPublished, ""), want: with(memberOfA, 204)},
		{name: "delete U's listing", method: "DELETE", route: "/api/v1/listings/:id", path: freshListing(U, app.StatusPublished, ""), want: with(ownerOfU, 204)},
		{name: "close A's listing", method: "POST", route: "/api/v1/listings/:id/status", path: freshListing(A, app.StatusPublished, "/status"),
			body: func(*testing.T, *fixture, string) any { return StatusRequest{Status: app.StatusClosed} }, want: memberOfA},
		{name: "publish U's draft", method: "POST", route: "/api/v1/listings/:id/status", path: freshListing(U, app.StatusDraft, "/status"),
			body: func(*testing.T, *fixture, string) any { return StatusRequest{Status: app.StatusPublished} }, want: ownerOfU},

		{name: "industries", method: "GET", route: "/api/v1/ref/industries", path: at("/api/v1/ref/industries?parent=33"), want: everyone},
		{name: "regions", method: "GET", route: "/api/v1/ref/regions", path: at("/api/v1/ref/regions?parent=330200"), want: everyone},
		{name: "openapi", method: "GET", route: "/api/v1/openapi.json", path: at("/api/v1/openapi.json"), want: everyone},

		{name: "import", method: "POST", route: "/api/v1/admin/import", path: at("/api/v1/admin/import"), contentType: "application/x-ndjson",
			body: func(*testing.T, *fixture, string) any {
				return `{"kind":"org","ref":"authz-` + app.NewSecret(6) + `","name":"导入测试","orgType":"sme","uscc":"` + newUSCC() + `","region":"330206"}` + "\n"
			}, want: adminsOnly,
			check: func(t *testing.T, api *testAPI, who string, r response) {
				var run app.ImportRun
				r.json(t, &run)
				if run.Counts.Created != 1 || run.Counts.Failed != 0 {
					t.Errorf("import counts %+v, errors %+v", run.Counts, run.Errors)
				}
			}},
		{name: "imports", method: "GET", route: "/api/v1/admin/imports", path: at("/api/v1/admin/imports"), want: adminsOnly},
		{name: "an admin's import", method: "GET", route: "/api/v1/admin/imports/:id",
			path: func(t *testing.T, f *fixture, _ string) string {
				a, err := f.svc.Actor(context.Background(), f.users[admin].ID)
				if err != nil {
					t.Fatal(err)
				}
				run, err := f.svc.Import(context.Background(), a, strings.NewReader(""), "authz")
				if err != nil {
					t.Fatal(err)
				}
				return "/api/v1/admin/imports/" + run.ID
			}, want: expect(403, anon, 401, admin, 200, scopedAdmin, 404)},
		{name: "users", method: "GET", route: "/api/v1/admin/users", path: at("/api/v1/admin/users"), want: expect(403, anon, 401, admin, 200)},
		{name: "disable a user", method: "PUT", route: "/api/v1/admin/users/:id",
			path: func(t *testing.T, f *fixture, _ string) string {
				return "/api/v1/admin/users/" + f.mustUser(t, app.RoleSME, nil, "").ID
			},
			body: func(*testing.T, *fixture, string) any { return map[string]any{"disabled": true} }, want: expect(403, anon, 401, admin, 200)},
		{name: "search financing needs", method: "GET", route: "/api/v1/search", path: at("/api/v1/search?kind=financing&limit=200"), want: everyone, check: checkSearch},
		{name: "search organisations", method: "GET", route: "/api/v1/search", path: at("/api/v1/search?kind=org&sort=newest&limit=200"), want: everyone, check: checkSearch},
		{name: "search capabilities", method: "GET", route: "/api/v1/search", path: at("/api/v1/search?kind=capability&sort=newest&limit=200"), want: everyone, check: checkSearch},
		{name: "search text", method: "GET", route: "/api/v1/search", path: at("/api/v1/search?q=%E6%95%B0%E6%8E%A7%E5%8A%A0%E5%B7%A5&limit=200"), want: everyone, check: checkSearch},
		{name: "suggest", method: "GET", route: "/api/v1/search/suggest", path: at("/api/v1/search/suggest?q=%E6%9C%AA%E8%AE%A4%E8%AF%81"), want: everyone,
			check: func(t *testing.T, api *testAPI, who string, r response) {
				var body SuggestResponse
				r.json(t, &body)
				for _, s := range body.Items {
					if strings.Contains(s.Text, "未认证") {
						t.Errorf("%s: suggestion %q comes from an unverified organisation's listing", who, s.Text)
					}
				}
			}},
		{name: "matches for A's financing need", method: "GET", route: "/api/v1/matches",
			path: matchesPath(func(f *fixture) string { return "financing:" + f.finA.ID }, "&limit=200"),
			want: expect(403, anon, 401, ownerA, 200, memberA, 200, admin, 200, scopedAdmin, 200), check: checkMatches},
		{name: "matches for A's draft", method: "GET", route: "/api/v1/matches",
			path: matchesPath(func(f *fixture) string { return "capability:" + f.draftA.ID }, ""),
			want: expect(404, anon, 401, ownerA, 200, memberA, 200, admin, 200, scopedAdmin, 200), check: checkMatches},
		{name: "matches for U's capability", method: "GET", route: "/api/v1/matches",
			path: matchesPath(func(f *fixture) string { return "capability:" + f.pubU.ID }, ""),
			want: expect(404, anon, 401, ownerU, 200, admin, 200), check: checkMatches},
		{name: "collaboration matches for A", method: "GET", route: "/api/v1/matches",
			path: matchesPath(func(f *fixture) string { return "org:" + f.orgA.ID }, "&limit=200"),
			want: expect(403, anon, 401, ownerA, 200, memberA, 200, admin, 200, scopedAdmin, 200), check: checkMatches},
		{name: "export", method: "GET", route: "/api/v1/export", path: at("/api/v1/export"), want: loggedIn, check: checkExport},
		{name: "export financing needs in 宁波", method: "GET", route: "/api/v1/export", path: at("/api/v1/export?region=330200&kind=financing&orgs=false"),
			want: loggedIn, check: checkExport},
	}
}

func ptr[T any](v T) *T { return &v }

// orgOf returns the fixture organisation of a persona, nil for none.
func (f *fixture) orgOf(who string) *app.Org {
	u := f.users[who]
	if u == nil {
		return nil
	}
	for _, o := range []*app.Org{f.orgA, f.orgU, f.orgE, f.orgI, f.orgIU, f.orgT, f.orgG} {
		if o.ID == u.OrgID {
			return o
		}
	}
	return nil
}

// refreshToken starts a login for a persona (ownerA for anonymous).
func (f *fixture) refreshToken(t *testing.T, who string) string {
	u := f.users[who]
	if u == nil {
		u = f.users[ownerA]
	}
	tok, err := f.svc.IssueRefreshToken(context.Background(), u.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func decodeMap(t *testing.T, r response) map[string]any {
	var m map[string]any
	r.json(t, &m)
	return m
}

// The rules the table checks answers against, restated from the product's
// rules rather than taken from app: a persona sees an organisation if it is
// verified, its own, or the persona is an admin (a scoped admin only in its
// region); sensitive fields go only to members and admins in scope;
// valuations also to verified investors.

func inScope(who, region string) bool {
	return who == admin || who == scopedAdmin && strings.HasPrefix(region, "3302")
}

func ownOrg(f *fixture, who, orgID string) bool {
	u := f.users[who]
	return u != nil && u.OrgID != "" && u.OrgID == orgID
}

// checkOrg checks one organisation as the persona got it.
func checkOrg(t *testing.T, f *fixture, who string, o map[string]any) {
	t.Helper()
	id, _ := o["id"].(string)
	region, _ := o["region"].(string)
	entitled := ownOrg(f, who, id) || inScope(who, region)
	if o["verified"] != true && !entitled {
		t.Errorf("%s sees unverified organisation %s", who, id)
	}
	for _, k := range []string{"revenueWan", "rdRatio", "contact"} {
		if _, has := o[k]; has && !entitled {
			t.Errorf("%s sees %s of organisation %s", who, k, id)
		}
	}
	if fx := fixtureOrg(f, id); fx != nil && entitled {
		if _, has := o["revenueWan"]; !has {
			t.Errorf("%s, entitled, does not see the revenue of %s", who, fx.Ref)
		}
	}
}

func fixtureOrg(f *fixture, id string) *app.Org {
	for _, o := range []*app.Org{f.orgA, f.orgU, f.orgE, f.orgI, f.orgIU, f.orgT, f.orgG} {
		if o.ID == id {
			return o
		}
	}
	return nil
}

// checkListing checks one listing as the persona got it.
func checkListing(t *testing.T, f *fixture, who string, l map[string]any) {
	t.Helper()
	id, _ := l["id"].(string)
	orgID, _ := l["orgId"].(string)
	owner, _ := l["owner"].(map[string]any)
	region, _ := owner["region"].(string)
	entitled := ownOrg(f, who, orgID) || inScope(who, region)
	if (owner["verified"] != true || l["status"] == "draft") && !entitled {
		t.Errorf("%s sees listing %s (%v, owner verified %v)", who, id, l["status"], owner["verified"])
	}
	verifiedInvestor := who == investor
	_, hasValuation := l["valuationWan"]
	if hasValuation && !entitled && !verifiedInvestor {
		t.Errorf("%s sees the valuation of %s", who, id)
	}
	if id == f.finA.ID && !hasValuation && (entitled || verifiedInvestor) {
		t.Errorf("%s, entitled, does not see the valuation of A's financing need", who)
	}
}

// allPages follows nextCursor from a first page.
func allPages(t *testing.T, api *testAPI, who string, r response) []map[string]any {
	t.Helper()
	var items []map[string]any
	for {
		var page listPage[map[string]any]
		r.json(t, &page)
		items = append(items, page.Items...)
		if page.NextCursor == "" {
			return items
		}
		next := r.path + sep(r.path) + "cursor=" + page.NextCursor
		r = api.do(t, request{method: "GET", path: next, as: who})
		r.path = next
		if r.status != 200 {
			t.Fatalf("next page: %d %s", r.status, r.body)
		}
	}
}

func sep(p string) string {
	if strings.Contains(p, "?") {
		return "&"
	}
	return "?"
}

func checkOrgList(t *testing.T, api *testAPI, who string, r response) {
	t.Helper()
	f := api.f
	items := allPages(t, api, who, r)
	seen := map[string]bool{}
	for _, o := range items {
		checkOrg(t, f, who, o)
		id, _ := o["id"].(string)
		if seen[id] {
			t.Errorf("organisation %s listed twice", id)
		}
		seen[id] = true
	}
	q := r.path
	if strings.Contains(q, "verified=false") || strings.Contains(q, "region=") {
		return
	}
	// The fixture's organisations appear exactly when the persona may see them.
	for _, o := range []*app.Org{f.orgA, f.orgU, f.orgIU, f.orgE} {
		want := o.Verified || ownOrg(f, who, o.ID) || who == admin
		if seen[o.ID] != want {
			t.Errorf("%s: %s listed %v, want %v", who, o.Ref, seen[o.ID], want)
		}
	}
}

func checkListingList(t *testing.T, api *testAPI, who string, r response) {
	t.Helper()
	f := api.f
	items := allPages(t, api, who, r)
	seen := map[string]bool{}
	for _, l := range items {
		checkListing(t, f, who, l)
		id, _ := l["id"].(string)
		seen[id] = true
	}
	if strings.Contains(r.path, "status=") || strings.Contains(r.path, "org=") {
		return
	}
	for _, c := range []struct {
		l    *app.Listing
		want bool
	}{
		{f.finA, true},
		{f.draftA, ownOrg(f, who, f.orgA.ID) || who == admin},
		{f.pubU, ownOrg(f, who, f.orgU.ID) || who == admin},
	} {
		if seen[c.l.ID] != c.want {
			t.Errorf("%s: %s listed %v, want %v", who, c.l.Ref, seen[c.l.ID], c.want)
		}
	}
}

// checkSearch checks that search shows exactly what the list endpoints show:
// no unverified organisation, draft or unverified listing to outsiders.
func checkSearch(t *testing.T, api *testAPI, who string, r response) {
	t.Helper()
	f := api.f
	var res app.SearchResult
	r.json(t, &res)
	seen := map[string]bool{}
	for _, h := range res.Hits {
		seen[h.ID] = true
	}
	for _, c := range []struct {
		id, name string
		want     bool
	}{
		{f.orgU.ID, "U", ownOrg(f, who, f.orgU.ID) || who == admin},
		{f.orgIU.ID, "IU", ownOrg(f, who, f.orgIU.ID) || who == admin},
		{f.draftA.ID, "A's draft", ownOrg(f, who, f.orgA.ID) || who == admin || who == scopedAdmin},
		{f.pubU.ID, "U's listing", ownOrg(f, who, f.orgU.ID) || who == admin},
	} {
		if seen[c.id] && !c.want {
			t.Errorf("%s: search shows %s", who, c.name)
		}
	}
	if strings.Contains(r.path, "kind=financing") && !seen[f.finA.ID] {
		t.Errorf("%s: search does not show A's published financing need", who)
	}
	if strings.Contains(r.path, "q=") && (ownOrg(f, who, f.orgU.ID) || who == admin) && !seen[f.pubU.ID] {
		t.Errorf("%s: search for 数控加工 does not find U's listing", who)
	}
	if strings.Contains(string(r.body), "88888") {
		t.Errorf("%s: the financing valuation appears in search results", who)
	}
}

// checkExport checks an export line by line: organisations and listings
// under the same rules as the list endpoints.
func checkExport(t *testing.T, api *testAPI, who string, r response) {
	t.Helper()
	f := api.f
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-ndjson") {
		t.Errorf("export Content-Type %q", ct)
	}
	refs := map[string]map[string]any{}
	sc := bufio.NewScanner(bytes.NewReader(r.body))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("export line %s: %v", sc.Bytes(), err)
		}
		ref, _ := m["ref"].(string)
		refs[ref] = m
		if m["kind"] == "org" {
			region, _ := m["region"].(string)
			own := ownOrg(f, who, ref) || f.orgOf(who) != nil && f.orgOf(who).Ref == ref
			entitled := own || inScope(who, region)
			if m["verified"] != true && !entitled {
				t.Errorf("%s exports unverified organisation %s", who, ref)
			}
			for _, k := range []string{"revenueWan", "rdRatio", "contact"} {
				if _, has := m[k]; has && !entitled {
					t.Errorf("%s exports %s of %s", who, k, ref)
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.path, "region=") {
		if _, has := refs[f.orgU.Ref]; has != (who == ownerU || who == admin) {
			t.Errorf("%s: U exported %v", who, has)
		}
		if _, has := refs[f.pubU.Ref]; has != (who == ownerU || who == admin) {
			t.Errorf("%s: U's listing exported %v", who, has)
		}
		if _, has := refs[f.draftA.Ref]; has != (ownOrg(f, who, f.orgA.ID) || who == admin) {
			t.Errorf("%s: A's draft exported %v", who, has)
		}
	}
	fin, ok := refs[f.finA.Ref]
	if !ok {
		t.Fatalf("%s: A's financing need not exported", who)
	}
	_, hasValuation := fin["valuationWan"]
	if want := ownOrg(f, who, f.orgA.ID) || who == admin || who == scopedAdmin || who == investor; hasValuation != want {
		t.Errorf("%s: valuation exported %v, want %v", who, hasValuation, want)
	}
}

// TestAuthorization calls every route as every persona: anonymous, each role,
// members and non-members, a province admin and an admin scoped to 宁波.
// Nothing is writable across organisations, an unverified organisation and
// its listings stay with their members, and sensitive fields never leak,
// through single reads, lists or the export.
func TestAuthorization(t *testing.T) {
	api := newTestAPI(t)
	f := api.f
	rows := append(append(append(authzRows(), cultivationAuthzRows()...), eventAuthzRows()...), pairingRows()...)

	for _, r := range api.app.GetRoutes(true) {
		if r.Method == "HEAD" || !strings.HasPrefix(r.Path, APIPrefix) {
			continue
		}
		if !slices.ContainsFunc(rows, func(row authzRow) bool { return row.method == r.Method && row.route == r.Path }) {
			t.Errorf("route %s %s has no row in the authorization table", r.Method, r.Path)
		}
	}

	for _, row := range rows {
		who := row.personas
		if who == nil {
			who = personas
		}
		t.Run(row.name, func(t *testing.T) {
			for _, p := range who {
				name := p
				if name == "" {
					name = "anonymous"
				}
				t.Run(name, func(t *testing.T) {
					if row.parallel {
						t.Parallel()
					}
					path := row.path(t, f, p)
					rq := request{method: row.method, path: path, as: p, contentType: row.contentType}
					if row.body != nil {
						rq.body = row.body(t, f, p)
					}
					r := api.do(t, rq)
					r.path = path
					want, ok := row.want[p]
					if !ok || want == 0 {
						t.Fatalf("no expected status for %q", p)
					}
					if r.status != want {
						t.Errorf("%s %s as %s: got %d, want %d: %.300s", row.method, path, name, r.status, want, r.body)
					}
					if r.status >= 400 {
						checkProblem(t, r)
					} else if row.check != nil {
						row.check(t, api, p, r)
					}
					if row.after != nil {
						row.after(t, f, p)
					}
				})
			}
		})
	}
}
