package handlers

import (
	"context"
	"strings"
	"testing"

	"github.com/rongtong/rongtong/app"
)

func TestOrgs(t *testing.T) {
	api := newTestAPI(t)
	f := api.f
	founder := f.mustUser(t, app.RoleSME, nil, "")
	joiner := f.mustUser(t, app.RoleSME, nil, "")
	investorAccount := f.mustUser(t, app.RoleInvestor, nil, "")
	var created app.Org
	var code string

	steps := []scenario{
		{name: "create: server-owned and department-owned fields are not taken from the client", method: "POST", path: "/api/v1/orgs", as: founder.ID,
			body: map[string]any{"name": " 宁波新材料有限公司 ", "uscc": strings.ToLower(newUSCC()), "region": "330206", "industry": "3391",
				"revenueWan": 5000, "rdRatio": 0.06, "verified": true, "tier": "little_giant", "ref": "squatted-ref"},
			wantStatus: 201, wantBody: []string{`"name":"宁波新材料有限公司"`, `"orgType":"sme"`, `"verified":false`, `"tier":"none"`},
			check: func(t *testing.T, r response) {
				r.json(t, &created)
				if created.Ref != "" {
					t.Errorf("a user claimed the ref %q, which imports match on", created.Ref)
				}
				if loc := r.header.Get("Location"); loc != "/api/v1/orgs/"+created.ID {
					t.Errorf("Location %q", loc)
				}
				if created.USCC != strings.ToUpper(created.USCC) {
					t.Errorf("USCC not normalised: %s", created.USCC)
				}
			}},
		{name: "a second organisation", method: "POST", path: "/api/v1/orgs", as: founder.ID,
			body: map[string]any{"name": "另一家", "uscc": newUSCC()}, wantStatus: 409},
		{name: "an investor account cannot create an SME", method: "POST", path: "/api/v1/orgs", as: investorAccount.ID,
			body: map[string]any{"name": "x", "orgType": "sme", "uscc": newUSCC()}, wantStatus: 422, wantBody: []string{`"field":"orgType"`}},
		{name: "the same USCC twice", method: "POST", path: "/api/v1/orgs", as: loner,
			body: map[string]any{"name": "x", "uscc": f.orgA.USCC}, wantStatus: 409, wantBody: []string{`"field":"uscc"`}},
	}
	api.run(t, steps)
	if created.ID == "" {
		t.Fatal("no organisation created")
	}
	id := created.ID

	api.run(t, []scenario{
		{name: "the owner sees the unverified organisation with its revenue", method: "GET", path: "/api/v1/orgs/" + id, as: founder.ID,
			wantStatus: 200, wantBody: []string{`"revenueWan":5000`}},
		{name: "others do not see it", method: "GET", path: "/api/v1/orgs/" + id, as: ownerA, wantStatus: 404},
		{name: "me shows the organisation", method: "GET", path: "/api/v1/auth/me", as: founder.ID, wantStatus: 200,
			wantBody: []string{`"orgRole":"owner"`, `"org":{"id":"` + id + `"`}},
		{name: "the ID in the body must match the path", method: "PUT", path: "/api/v1/orgs/" + id, as: founder.ID,
			body: map[string]any{"id": f.orgA.ID, "name": "x", "uscc": created.USCC}, wantStatus: 422, wantBody: []string{`"field":"id"`}},
		{name: "update", method: "PUT", path: "/api/v1/orgs/" + id, as: founder.ID,
			body:       map[string]any{"name": "宁波新材料股份有限公司", "uscc": created.USCC, "region": "330206", "ref": "squat-again", "tier": "little_giant"},
			wantStatus: 200, wantBody: []string{`"name":"宁波新材料股份有限公司"`, `"tier":"none"`},
			check: func(t *testing.T, r response) {
				if strings.Contains(string(r.body), "squat-again") {
					t.Errorf("the owner set a ref: %s", r.body)
				}
			}},
		{name: "the type cannot change", method: "PUT", path: "/api/v1/orgs/" + id, as: founder.ID,
			body: map[string]any{"name": "x", "orgType": "investor"}, wantStatus: 422, wantBody: []string{`"field":"orgType"`}},
		{name: "verify", method: "POST", path: "/api/v1/orgs/" + id + "/verify", as: admin, body: VerifyRequest{Verified: ptr(true)},
			wantStatus: 200, wantBody: []string{`"verified":true`, `"verifiedAt"`}},
		{name: "now others see it, without the revenue", method: "GET", path: "/api/v1/orgs/" + id, as: ownerA, wantStatus: 200,
			check: func(t *testing.T, r response) {
				if strings.Contains(string(r.body), "revenueWan") {
					t.Errorf("revenue leaked: %s", r.body)
				}
			}},
		{name: "renaming withdraws the verification", method: "PUT", path: "/api/v1/orgs/" + id, as: founder.ID,
			body: map[string]any{"name": "改名后的公司", "uscc": created.USCC, "region": "330206"}, wantStatus: 200, wantBody: []string{`"verified":false`}},
		{name: "invite", method: "POST", path: "/api/v1/orgs/" + id + "/invites", as: founder.ID, wantStatus: 201,
			check: func(t *testing.T, r response) {
				var inv app.Invite
				r.json(t, &inv)
				code = inv.Code
				if code == "" || inv.OrgID != id {
					t.Errorf("invite %s", r.body)
				}
			}},
	})
	api.run(t, []scenario{
		{name: "join", method: "POST", path: "/api/v1/orgs/join", as: joiner.ID, body: JoinRequest{Code: code}, wantStatus: 200, wantBody: []string{id}},
		{name: "an investor cannot join an SME", method: "POST", path: "/api/v1/orgs/join", as: investorAccount.ID, body: JoinRequest{Code: code},
			wantStatus: 422, wantBody: []string{`"field":"code"`}},
		{name: "members", method: "GET", path: "/api/v1/orgs/" + id + "/members", as: joiner.ID, wantStatus: 200,
			wantBody: []string{founder.ID, joiner.ID, `"orgRole":"member"`},
			check: func(t *testing.T, r response) {
				if strings.Contains(string(r.body), "argon2") {
					t.Errorf("password hashes leaked: %s", r.body)
				}
			}},
		{name: "a member cannot promote", method: "PUT", path: "/api/v1/orgs/" + id + "/members/" + joiner.ID, as: joiner.ID,
			body: MemberRequest{OrgRole: app.MemberOwner}, wantStatus: 403},
		{name: "the sole owner cannot step down", method: "PUT", path: "/api/v1/orgs/" + id + "/members/" + founder.ID, as: founder.ID,
			body: MemberRequest{OrgRole: app.MemberMember}, wantStatus: 409},
		{name: "promote", method: "PUT", path: "/api/v1/orgs/" + id + "/members/" + joiner.ID, as: founder.ID,
			body: MemberRequest{OrgRole: app.MemberOwner}, wantStatus: 204},
		{name: "now the founder can step down", method: "PUT", path: "/api/v1/orgs/" + id + "/members/" + founder.ID, as: founder.ID,
			body: MemberRequest{OrgRole: app.MemberMember}, wantStatus: 204},
		{name: "and leave", method: "DELETE", path: "/api/v1/orgs/" + id + "/members/" + founder.ID, as: founder.ID, wantStatus: 204},
		{name: "the new owner deletes the organisation", method: "DELETE", path: "/api/v1/orgs/" + id, as: joiner.ID, wantStatus: 204},
		{name: "gone", method: "GET", path: "/api/v1/orgs/" + id, as: admin, wantStatus: 404},
		{name: "the members are free again", method: "GET", path: "/api/v1/auth/me", as: joiner.ID, wantStatus: 200, wantBody: []string{`"org":null`}},
	})
}

func TestOrgList(t *testing.T) {
	api := newTestAPI(t)
	f := api.f
	api.run(t, []scenario{
		{name: "filter by type, region, industry and tier", method: "GET", path: "/api/v1/orgs?type=sme&region=330200&industry=33&tier=specialized,little_giant&limit=200",
			wantStatus: 200, wantBody: []string{f.orgA.ID},
			check: func(t *testing.T, r response) {
				var p listPage[app.Org]
				r.json(t, &p)
				for _, o := range p.Items {
					if o.Type != app.OrgSME || !strings.HasPrefix(o.Region, "3302") {
						t.Errorf("filter let through %s (%s, %s)", o.ID, o.Type, o.Region)
					}
				}
			}},
		{name: "by ref", method: "GET", path: "/api/v1/orgs?ref=fx-org-E", wantStatus: 200, wantBody: []string{f.orgE.ID}},
		{name: "unknown type", method: "GET", path: "/api/v1/orgs?type=bank", wantStatus: 422, wantBody: []string{`"field":"type"`}},
		{name: "unknown tier", method: "GET", path: "/api/v1/orgs?tier=gold", wantStatus: 422, wantBody: []string{`"field":"tier"`}},
		{name: "unknown region", method: "GET", path: "/api/v1/orgs?region=999999", wantStatus: 422, wantBody: []string{`"field":"region"`}},
		{name: "unknown industry", method: "GET", path: "/api/v1/orgs?industry=ZZ", wantStatus: 422, wantBody: []string{`"field":"industry"`}},
		{name: "empty page", method: "GET", path: "/api/v1/orgs?ref=no-such-ref", wantStatus: 200, wantBody: []string{`{"items":[]}`}},
	})

	t.Run("pages follow the cursor without gaps or repeats", func(t *testing.T) {
		all := map[string]bool{}
		total, err := f.store.CountOrgs(context.Background(), app.OrgFilter{Verified: ptr(true)})
		if err != nil {
			t.Fatal(err)
		}
		path := "/api/v1/orgs?verified=true&limit=2"
		for pages := 0; path != ""; pages++ {
			r := api.do(t, request{method: "GET", path: path})
			if r.status != 200 {
				t.Fatalf("got %d: %s", r.status, r.body)
			}
			var p listPage[app.Org]
			r.json(t, &p)
			if len(p.Items) > 2 {
				t.Fatalf("page of %d", len(p.Items))
			}
			for _, o := range p.Items {
				if all[o.ID] {
					t.Fatalf("%s on two pages", o.ID)
				}
				all[o.ID] = true
			}
			path = ""
			if p.NextCursor != "" {
				path = "/api/v1/orgs?verified=true&limit=2&cursor=" + p.NextCursor
			}
			if pages > 1000 {
				t.Fatal("no end")
			}
		}
		if len(all) < total {
			t.Errorf("pages held %d organisations, the store %d", len(all), total)
		}
	})
}
