package handlers

import (
	"strings"
	"testing"

	"github.com/rongtong/rongtong/app"
)

func TestListings(t *testing.T) {
	api := newTestAPI(t)
	f := api.f
	var id string
	han120 := strings.Repeat("汉", 120)
	api.run(t, []scenario{
		{name: "a title of 120 Chinese characters is allowed", method: "POST", path: "/api/v1/listings", as: ownerA,
			body: map[string]any{"kind": "capability", "title": han120, "processes": []string{" 压铸 "}, "certifications": []string{"ｉｓｏ ９００１"},
				"ref": "squatted-listing-ref", "status": "draft"},
			wantStatus: 201, wantBody: []string{`"status":"draft"`, `"processes":["压铸"]`, `"certifications":["ISO9001"]`, `"orgId":"` + f.orgA.ID + `"`},
			check: func(t *testing.T, r response) {
				var l app.Listing
				r.json(t, &l)
				id = l.ID
				if l.Ref != "" {
					t.Errorf("a member set the ref %q", l.Ref)
				}
				if l.Owner.ID != f.orgA.ID || !l.Owner.Verified {
					t.Errorf("owner %+v", l.Owner)
				}
			}},
		{name: "a new listing is a draft or published", method: "POST", path: "/api/v1/listings", as: ownerA,
			body: map[string]any{"kind": "capability", "title": "x", "status": "closed"}, wantStatus: 422, wantBody: []string{`"field":"status"`}},
		{name: "an SME cannot post a need", method: "POST", path: "/api/v1/listings", as: ownerA,
			body: map[string]any{"kind": "need", "title": "x"}, wantStatus: 422, wantBody: []string{`"field":"kind"`}},
		{name: "orgId in the query and the body must agree", method: "POST", path: "/api/v1/listings?orgId=" + f.orgA.ID, as: admin,
			body: map[string]any{"kind": "capability", "title": "x", "orgId": f.orgU.ID}, wantStatus: 422, wantBody: []string{`"field":"orgId"`}},
		{name: "an admin names the organisation", method: "POST", path: "/api/v1/listings?orgId=" + f.orgE.ID, as: admin,
			body:       map[string]any{"kind": "need", "title": "管理员代发需求", "industry": "34", "ref": "admin-listing-ref-" + app.NewSecret(4)},
			wantStatus: 201, wantBody: []string{`"ref":"admin-listing-ref-`}},
	})
	if id == "" {
		t.Fatal("no listing")
	}
	api.run(t, []scenario{
		{name: "publish", method: "POST", path: "/api/v1/listings/" + id + "/status", as: memberA, body: StatusRequest{Status: app.StatusPublished},
			wantStatus: 200, wantBody: []string{`"status":"published"`, `"publishedAt"`}},
		{name: "a capability cannot be awarded", method: "POST", path: "/api/v1/listings/" + id + "/status", as: memberA, body: StatusRequest{Status: app.StatusAwarded},
			wantStatus: 409, wantBody: []string{`"allowed":["draft","closed"]`, `"field":"status"`}},
		{name: "the kind cannot change", method: "PUT", path: "/api/v1/listings/" + id, as: ownerA,
			body: map[string]any{"kind": "tech", "title": "x"}, wantStatus: 422, wantBody: []string{`"field":"kind"`}},
		{name: "the ID in the body must match", method: "PUT", path: "/api/v1/listings/" + id, as: ownerA,
			body: map[string]any{"id": f.finA.ID, "title": "x"}, wantStatus: 422, wantBody: []string{`"field":"id"`}},
		{name: "update keeps the kind and the status", method: "PUT", path: "/api/v1/listings/" + id, as: ownerA,
			body: map[string]any{"title": "精密压铸", "leadTimeDays": 20}, wantStatus: 200, wantBody: []string{`"kind":"capability"`, `"status":"published"`, `"leadTimeDays":20`}},
		{name: "an illegal status in an update", method: "PUT", path: "/api/v1/listings/" + id, as: ownerA,
			body: map[string]any{"title": "x", "status": "awarded"}, wantStatus: 422},
		{name: "visible to all now", method: "GET", path: "/api/v1/listings/" + id, wantStatus: 200, wantBody: []string{"精密压铸"}},
		{name: "filter by kinds, repeated and comma-separated", method: "GET", path: "/api/v1/listings?kind=capability,tech&kind=need&org=" + f.orgA.ID,
			wantStatus: 200, wantBody: []string{id}},
		{name: "filter by status", method: "GET", path: "/api/v1/listings?status=published&region=330206&industry=C&tier=specialized", wantStatus: 200,
			check: func(t *testing.T, r response) {
				var p listPage[app.Listing]
				r.json(t, &p)
				for _, l := range p.Items {
					if l.Status != app.StatusPublished || l.Owner.Region != "330206" || l.Owner.Tier != app.TierSpecialized {
						t.Errorf("filter let through %s", l.ID)
					}
				}
			}},
		{name: "unknown kind", method: "GET", path: "/api/v1/listings?kind=rocket", wantStatus: 422, wantBody: []string{`"field":"kind"`}},
		{name: "unknown status", method: "GET", path: "/api/v1/listings?status=open", wantStatus: 422, wantBody: []string{`"field":"status"`}},
		{name: "org not an ID", method: "GET", path: "/api/v1/listings?org=acme", wantStatus: 422, wantBody: []string{`"field":"org"`}},
		{name: "close", method: "POST", path: "/api/v1/listings/" + id + "/status", as: ownerA, body: StatusRequest{Status: app.StatusClosed}, wantStatus: 200},
		{name: "delete", method: "DELETE", path: "/api/v1/listings/" + id, as: memberA, wantStatus: 204},
		{name: "gone", method: "GET", path: "/api/v1/listings/" + id, as: ownerA, wantStatus: 404},
	})
}
