package handlers

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"strings"
	"testing"

	"github.com/rongtong/rongtong/app"
)

func TestImport(t *testing.T) {
	api := newTestAPI(t)
	f := api.f
	tag := strings.ToLower(app.NewSecret(4))
	orgRef, capRef := "imp-org-"+tag, "imp-cap-"+tag
	lines := strings.Join([]string{
		`{"kind":"org","ref":"` + orgRef + `","name":"导入企业","orgType":"sme","uscc":"` + newUSCC() + `","region":"330206","industry":"3391","revenueWan":100}`,
		`{"kind":"capability","ref":"` + capRef + `","org":"` + orgRef + `","title":"导入能力","processes":["压铸"]}`,
		`{"kind":"org","ref":`,
		`{"kind":"org","ref":"imp-bad-` + tag + `","name":"x","orgType":"sme","uscc":"` + newUSCC() + `","region":"999999"}`,
		`{"kind":"need","ref":"imp-need-` + tag + `","org":"no-such-org-` + tag + `","title":"x"}`,
	}, "\n") + "\n"
	var first app.ImportRun
	api.run(t, []scenario{
		{name: "import JSON Lines", method: "POST", path: "/api/v1/admin/import", as: admin, body: lines, contentType: "application/x-ndjson",
			wantStatus: 200, check: func(t *testing.T, r response) {
				r.json(t, &first)
				if c := first.Counts; c.Lines != 5 || c.Created != 2 || c.Failed != 3 {
					t.Errorf("counts %+v", c)
				}
				want := map[int]string{3: "", 4: "region", 5: "org"}
				for _, e := range first.Errors {
					if f, ok := want[e.Line]; !ok || f != e.Field {
						t.Errorf("unexpected error %+v", e)
					}
					delete(want, e.Line)
				}
				if len(want) > 0 {
					t.Errorf("lines without errors: %v (errors %+v)", want, first.Errors)
				}
			}},
		{name: "the same file again changes nothing", method: "POST", path: "/api/v1/admin/import", as: admin, body: lines, contentType: "application/x-ndjson; charset=utf-8",
			wantStatus: 200, check: func(t *testing.T, r response) {
				var run app.ImportRun
				r.json(t, &run)
				if c := run.Counts; c.Created != 0 || c.Updated != 0 || c.Unchanged != 2 {
					t.Errorf("counts %+v", c)
				}
			}},
	})

	t.Run("multipart upload", func(t *testing.T) {
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		fw, err := w.CreateFormFile("file", `C:\exports\批次一.jsonl`)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(fw, `{"kind":"org","ref":"imp-up-%s","name":"上传企业","orgType":"investor","region":"330102"}`+"\n", tag)
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		r := api.do(t, request{method: "POST", path: "/api/v1/admin/import", as: admin, body: body.Bytes(), contentType: w.FormDataContentType()})
		if r.status != 200 {
			t.Fatalf("got %d: %s", r.status, r.body)
		}
		var run app.ImportRun
		r.json(t, &run)
		if run.Counts.Created != 1 || run.Source != "api:批次一.jsonl" {
			t.Errorf("run %+v", run)
		}
	})

	api.run(t, []scenario{
		{name: "reports, newest first", method: "GET", path: "/api/v1/admin/imports?limit=3", as: admin, wantStatus: 200,
			check: func(t *testing.T, r response) {
				var p listPage[app.ImportRun]
				r.json(t, &p)
				if len(p.Items) != 3 || p.Items[2].ID != first.ID || p.NextCursor == "" {
					t.Errorf("page %+v", p)
				}
			}},
		{name: "one report", method: "GET", path: "/api/v1/admin/imports/" + first.ID, as: admin, wantStatus: 200, wantBody: []string{`"line":4`}},
		{name: "the imported organisation is verified", method: "GET", path: "/api/v1/orgs?ref=" + orgRef, wantStatus: 200, wantBody: []string{`"verified":true`}},
	})

	t.Run("a scoped admin cannot take a listing from outside the region", func(t *testing.T) {
		hz := f.mustOrg(t, app.OrgSME, "330106", true)
		nb := f.mustOrg(t, app.OrgSME, "330206", true)
		ctx := context.Background()
		sys := app.SystemActor()
		nb.Ref = "imp-nb-" + tag
		if _, err := f.svc.UpdateOrg(ctx, sys, nb.ID, nb); err != nil {
			t.Fatal(err)
		}
		l, err := f.svc.CreateListing(ctx, sys, hz.ID, &app.Listing{Ref: "imp-hz-" + tag, Kind: app.KindCapability, Title: "杭州的能力", Status: app.StatusPublished})
		if err != nil {
			t.Fatal(err)
		}
		line := `{"kind":"capability","ref":"` + l.Ref + `","org":"` + nb.Ref + `","title":"被夺走的能力"}` + "\n"
		r := api.do(t, request{method: "POST", path: "/api/v1/admin/import", as: scopedAdmin, body: line, contentType: "application/x-ndjson"})
		if r.status != 200 {
			t.Fatalf("got %d: %s", r.status, r.body)
		}
		var run app.ImportRun
		r.json(t, &run)
		if run.Counts.Failed != 1 || len(run.Errors) != 1 || run.Errors[0].Field != "ref" {
			t.Errorf("run %+v", run)
		}
		got, err := f.store.FindListing(ctx, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.OrgID != hz.ID || got.Title != l.Title {
			t.Errorf("the listing moved to %s as %q", got.OrgID, got.Title)
		}
		// The scoped admin's reports are its own.
		r = api.do(t, request{method: "GET", path: "/api/v1/admin/imports?limit=200", as: scopedAdmin})
		var p listPage[app.ImportRun]
		r.json(t, &p)
		for _, run := range p.Items {
			if run.UserID != f.users[scopedAdmin].ID {
				t.Errorf("scoped admin sees import %s by %s", run.ID, run.UserID)
			}
		}
	})
}

func TestAdminUsers(t *testing.T) {
	api := newTestAPI(t)
	f := api.f
	fresh := f.mustUser(t, app.RoleSME, nil, "")
	inA := f.mustUser(t, app.RoleSME, f.orgA, app.MemberMember)
	refresh, err := f.svc.IssueRefreshToken(context.Background(), fresh.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	api.run(t, []scenario{
		{name: "list admins", method: "GET", path: "/api/v1/admin/users?role=admin&limit=200", as: admin, wantStatus: 200,
			wantBody: []string{f.users[admin].ID, f.users[scopedAdmin].ID},
			check: func(t *testing.T, r response) {
				var p listPage[app.User]
				r.json(t, &p)
				for _, u := range p.Items {
					if u.Role != app.RoleAdmin {
						t.Errorf("role filter let %s through", u.ID)
					}
				}
				if strings.Contains(string(r.body), "argon2") {
					t.Error("password hashes listed")
				}
			}},
		{name: "search by e-mail prefix", method: "GET", path: "/api/v1/admin/users?q=" + ownerA, as: admin, wantStatus: 200, wantBody: []string{f.users[ownerA].ID}},
		{name: "members of an organisation", method: "GET", path: "/api/v1/admin/users?org=" + f.orgA.ID + "&limit=200", as: admin, wantStatus: 200,
			wantBody: []string{f.users[ownerA].ID, inA.ID}},
		{name: "unknown role", method: "GET", path: "/api/v1/admin/users?role=king", as: admin, wantStatus: 422},
		{name: "make an admin for 宁波", method: "PUT", path: "/api/v1/admin/users/" + fresh.ID, as: admin,
			body: map[string]any{"role": "admin", "regionScope": "330200"}, wantStatus: 200, wantBody: []string{`"role":"admin"`, `"regionScope":"330200"`}},
		{name: "back to SME drops the scope", method: "PUT", path: "/api/v1/admin/users/" + fresh.ID, as: admin,
			body: map[string]any{"role": "sme"}, wantStatus: 200, check: func(t *testing.T, r response) {
				if strings.Contains(string(r.body), "regionScope") {
					t.Errorf("scope kept: %s", r.body)
				}
			}},
		{name: "a member's role must fit the organisation", method: "PUT", path: "/api/v1/admin/users/" + inA.ID, as: admin,
			body: map[string]any{"role": "admin"}, wantStatus: 422, wantBody: []string{`"field":"role"`}},
		{name: "no demoting oneself", method: "PUT", path: "/api/v1/admin/users/" + f.users[admin].ID, as: admin,
			body: map[string]any{"role": "sme"}, wantStatus: 422},
		{name: "no disabling oneself", method: "PUT", path: "/api/v1/admin/users/" + f.users[admin].ID, as: admin,
			body: map[string]any{"disabled": true}, wantStatus: 422},
		{name: "unknown user", method: "PUT", path: "/api/v1/admin/users/" + app.NewID(), as: admin, body: map[string]any{"disabled": true}, wantStatus: 404},
		{name: "disable", method: "PUT", path: "/api/v1/admin/users/" + fresh.ID, as: admin, body: map[string]any{"disabled": true},
			wantStatus: 200, wantBody: []string{`"disabled":true`}},
		{name: "the disabled account's logins ended", method: "POST", path: "/api/v1/auth/refresh", body: RefreshRequest{RefreshToken: refresh}, wantStatus: 401},
	})
}

func TestExport(t *testing.T) {
	api := newTestAPI(t)
	f := api.f
	// Enough records that the stream goes past its first buffer.
	var b strings.Builder
	tag := strings.ToLower(app.NewSecret(4))
	for i := 0; i < 300; i++ {
		fmt.Fprintf(&b, `{"kind":"org","ref":"exp-%s-%d","name":"导出测试企业%d","orgType":"institution","region":"330106","description":"%s"}`+"\n",
			tag, i, i, strings.Repeat("研", 40))
	}
	if _, err := f.svc.Import(context.Background(), app.SystemActor(), strings.NewReader(b.String()), "test"); err != nil {
		t.Fatal(err)
	}
	r := api.do(t, request{method: "GET", path: "/api/v1/export", as: admin})
	if r.status != 200 {
		t.Fatalf("got %d: %s", r.status, r.body)
	}
	if cl := r.header.Get("Content-Length"); cl != "" {
		t.Errorf("the export was buffered (Content-Length %s), not streamed", cl)
	}
	if cd := r.header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") {
		t.Errorf("Content-Disposition %q", cd)
	}
	if len(r.body) < 64<<10 {
		t.Errorf("export of %d bytes is too small to test streaming", len(r.body))
	}
	n, orgs, refs := 0, 0, map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(r.body))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %d: %v", n+1, err)
		}
		n++
		ref, _ := m["ref"].(string)
		if ref == "" || m["kind"] == nil || refs[m["kind"].(string)+ref] {
			t.Errorf("line %d: kind %v ref %q", n, m["kind"], ref)
		}
		refs[m["kind"].(string)+ref] = true
		if m["kind"] == "org" {
			orgs++
		} else if orgs == 0 {
			t.Errorf("a listing before the organisations")
		}
		for _, k := range []string{"id", "createdAt", "orgId", "owner"} {
			if _, has := m[k]; has {
				t.Errorf("line %d has server field %s", n, k)
			}
		}
	}
	for i := 0; i < 300; i++ {
		if !refs[fmt.Sprintf("orgexp-%s-%d", tag, i)] {
			t.Fatalf("exp-%s-%d not exported", tag, i)
		}
	}

	api.run(t, []scenario{
		{name: "only listings", method: "GET", path: "/api/v1/export?orgs=false&kind=financing", as: ownerA, wantStatus: 200,
			check: func(t *testing.T, r response) {
				if bytes.Contains(r.body, []byte(`"kind":"org"`)) || !bytes.Contains(r.body, []byte(f.finA.Ref)) {
					t.Errorf("export %s", r.body)
				}
			}},
		{name: "an empty export", method: "GET", path: "/api/v1/export?region=110101", as: ownerA, wantStatus: 200,
			check: func(t *testing.T, r response) {
				if len(r.body) != 0 {
					t.Errorf("export %s", r.body)
				}
			}},
		{name: "a bad region is a problem, not a stream", method: "GET", path: "/api/v1/export?region=999999", as: ownerA, wantStatus: 422, wantBody: []string{`"field":"region"`}},
		{name: "a bad kind", method: "GET", path: "/api/v1/export?kind=rocket", as: ownerA, wantStatus: 422},
	})
}
