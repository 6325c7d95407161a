package handlers

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/rongtong/rongtong/app"
)

// badCase is one bad request body and what it must be answered with.
type badCase struct {
	name        string
	body        string
	contentType string
	want        int
	field       string // a field the problem must name; "-" for none
}

// writeRoute describes a write route for the bad-input test: who may call
// it, a path, a valid body and the route's own bad bodies.
type writeRoute struct {
	method, path string // as registered
	as           string
	target       func(t *testing.T, f *fixture) string // the concrete path
	valid        string                                // a valid body; "" for routes without one
	bad          []badCase
}

// genericBad are the bodies every JSON route must refuse with 400 (415 for
// the media types), naming the offending field where there is one.
func genericBad(valid string) []badCase {
	return []badCase{
		{name: "malformed JSON", body: `{"a":`, want: 400, field: "-"},
		{name: "broken literal", body: `{"a": tru}`, want: 400, field: "-"},
		{name: "not an object", body: `[1,2]`, want: 400, field: "-"},
		{name: "null", body: `null`, want: 400, field: "-"},
		{name: "a string", body: `"hello"`, want: 400, field: "-"},
		{name: "empty body", body: ``, want: 400, field: "-"},
		{name: "trailing data", body: valid + ` {}`, want: 400, field: "-"},
		{name: "trailing garbage", body: valid + `x`, want: 400, field: "-"},
		{name: "unknown field", body: `{"noSuchField":1}`, want: 400, field: "noSuchField"},
		{name: "field in the wrong case", body: capitalizeFirstKey(valid), want: 400, field: "-"},
		{name: "dollar key", body: `{"$where":"1==1"}`, want: 400, field: "$where"},
		{name: "dotted key", body: `{"a.b":1}`, want: 400, field: "a.b"},
		{name: "dollar key after valid fields", body: strings.TrimSuffix(valid, "}") + `,"$gt":""}`, want: 400, field: "$gt"},
		{name: "invalid UTF-8", body: "{\"x\":\"\xff\xfe\"}", want: 400, field: "-"},
		{name: "deep nesting", body: strings.Repeat(`{"a":`, 40) + "1" + strings.Repeat("}", 40), want: 400, field: "-"},
		{name: "text/plain", body: valid, contentType: "text/plain", want: 415, field: "-"},
		{name: "form encoding", body: valid, contentType: "application/x-www-form-urlencoded", want: 415, field: "-"},
		{name: "JSON in Latin-1", body: valid, contentType: "application/json; charset=iso-8859-1", want: 415, field: "-"},
	}
}

var (
	han121 = strings.Repeat("汉", 121)
	han101 = strings.Repeat("汉", 101)
	han61  = strings.Repeat("汉", 61)
)

func writeRoutes() []writeRoute {
	fixed := func(p string) func(*testing.T, *fixture) string {
		return func(*testing.T, *fixture) string { return p }
	}
	org := func(extra string) string {
		return `{"name":"坏输入测试","orgType":"sme","uscc":"` + newUSCC() + `","region":"330206"` + extra + `}`
	}
	capability := func(extra string) string {
		return `{"kind":"capability","title":"数控加工能力"` + extra + `}`
	}
	return []writeRoute{
		{method: "POST", path: "/api/v1/auth/register", as: anon, target: fixed("/api/v1/auth/register"),
			valid: `{"email":"bad-input@example.cn","password":"Passw0rd-bad","role":"sme"}`,
			bad: []badCase{
				{name: "email a number", body: `{"email":5,"password":"Passw0rd-bad","role":"sme"}`, want: 400, field: "email"},
				{name: "role an array", body: `{"email":"a@b.cn","password":"Passw0rd-bad","role":["sme"]}`, want: 400, field: "role"},
				{name: "bad e-mail", body: `{"email":"not-an-email","password":"Passw0rd-bad","role":"sme"}`, want: 422, field: "email"},
				{name: "bad phone", body: `{"phone":"12345","password":"Passw0rd-bad","role":"sme"}`, want: 422, field: "phone"},
				{name: "short password", body: `{"email":"a@b.cn","password":"short","role":"sme"}`, want: 422, field: "password"},
				{name: "long name", body: `{"email":"a@b.cn","password":"Passw0rd-bad","role":"sme","name":"` + han61 + `"}`, want: 422, field: "name"},
				{name: "admin role", body: `{"email":"a@b.cn","password":"Passw0rd-bad","role":"admin"}`, want: 422, field: "role"},
			}},
		{method: "POST", path: "/api/v1/auth/login", as: anon, target: fixed("/api/v1/auth/login"),
			valid: `{"login":"nobody@example.cn","password":"x"}`,
			bad: []badCase{
				{name: "login a number", body: `{"login":1,"password":"x"}`, want: 400, field: "login"},
				{name: "password a bool", body: `{"login":"a@b.cn","password":true}`, want: 400, field: "password"},
				{name: "nested dollar", body: `{"login":{"$ne":""},"password":"x"}`, want: 400, field: "login.$ne"},
				{name: "empty", body: `{}`, want: 422, field: "login"},
			}},
		{method: "POST", path: "/api/v1/auth/refresh", as: anon, target: fixed("/api/v1/auth/refresh"),
			valid: `{"refreshToken":"nope"}`,
			bad: []badCase{
				{name: "token a number", body: `{"refreshToken":7}`, want: 400, field: "refreshToken"},
				{name: "missing token", body: `{}`, want: 422, field: "refreshToken"},
			}},
		{method: "POST", path: "/api/v1/auth/logout", as: anon, target: fixed("/api/v1/auth/logout"),
			valid: `{"refreshToken":"nope"}`,
			bad: []badCase{
				{name: "token an object", body: `{"refreshToken":{}}`, want: 400, field: "refreshToken"},
				{name: "missing token", body: `{}`, want: 422, field: "refreshToken"},
			}},
		{method: "POST", path: "/api/v1/auth/password", as: ownerA, target: fixed("/api/v1/auth/password"),
			valid: `{"oldPassword":"x","newPassword":"y"}`,
			bad: []badCase{
				{name: "old a number", body: `{"oldPassword":1,"newPassword":"y"}`, want: 400, field: "oldPassword"},
				{name: "missing new", body: `{"oldPassword":"x"}`, want: 422, field: "newPassword"},
				{name: "weak new password", body: `{"oldPassword":"` + fixturePassword + `","newPassword":"short"}`, want: 422, field: "newPassword"},
			}},
		{method: "POST", path: "/api/v1/orgs", as: loner, target: fixed("/api/v1/orgs"), valid: org(""), bad: orgBad(org)},
		{method: "PUT", path: "/api/v1/orgs/:id", as: ownerA, target: func(t *testing.T, f *fixture) string { return "/api/v1/orgs/" + f.orgA.ID },
			valid: org(""), bad: orgBad(org)},
		{method: "DELETE", path: "/api/v1/orgs/:id", as: admin, target: fixed("/api/v1/orgs/not-an-id"),
			bad: []badCase{{name: "malformed ID", want: 404, field: "-"}}},
		{method: "POST", path: "/api/v1/orgs/:id/verify", as: admin, target: func(t *testing.T, f *fixture) string { return "/api/v1/orgs/" + f.orgU.ID + "/verify" },
			valid: `{"verified":true}`,
			bad: []badCase{
				{name: "verified a string", body: `{"verified":"yes"}`, want: 400, field: "verified"},
				{name: "verified a number", body: `{"verified":1}`, want: 400, field: "verified"},
				{name: "missing verified", body: `{}`, want: 422, field: "verified"},
			}},
		{method: "POST", path: "/api/v1/orgs/:id/invites", as: ownerA, target: fixed("/api/v1/orgs/zzzzzzzzzzzzzzzzzzzzzzzz/invites"),
			bad: []badCase{{name: "malformed ID", want: 404, field: "-"}}},
		{method: "POST", path: "/api/v1/orgs/join", as: loner, target: fixed("/api/v1/orgs/join"),
			valid: `{"code":"nope"}`,
			bad: []badCase{
				{name: "code a number", body: `{"code":1}`, want: 400, field: "code"},
				{name: "empty code", body: `{"code":""}`, want: 422, field: "code"},
				{name: "unknown code", body: `{"code":"no-such-code"}`, want: 422, field: "code"},
			}},
		{method: "PUT", path: "/api/v1/orgs/:id/members/:userId", as: ownerA,
			target: func(t *testing.T, f *fixture) string {
				return "/api/v1/orgs/" + f.orgA.ID + "/members/" + f.users[memberA].ID
			},
			valid: `{"orgRole":"member"}`,
			bad: []badCase{
				{name: "role a number", body: `{"orgRole":1}`, want: 400, field: "orgRole"},
				{name: "unknown role", body: `{"orgRole":"king"}`, want: 422, field: "orgRole"},
				{name: "missing role", body: `{}`, want: 422, field: "orgRole"},
			}},
		{method: "DELETE", path: "/api/v1/orgs/:id/members/:userId", as: ownerA,
			target: func(t *testing.T, f *fixture) string { return "/api/v1/orgs/" + f.orgA.ID + "/members/" + app.NewID() },
			bad:    []badCase{{name: "no such member", want: 404, field: "-"}}},
		{method: "POST", path: "/api/v1/listings", as: ownerA, target: fixed("/api/v1/listings"), valid: capability(""), bad: listingBad(capability)},
		{method: "PUT", path: "/api/v1/listings/:id", as: ownerA, target: func(t *testing.T, f *fixture) string { return "/api/v1/listings/" + f.draftA.ID },
			valid: capability(""), bad: listingBad(capability)},
		{method: "DELETE", path: "/api/v1/listings/:id", as: ownerA, target: fixed("/api/v1/listings/not-an-id"),
			bad: []badCase{{name: "malformed ID", want: 404, field: "-"}}},
		{method: "POST", path: "/api/v1/listings/:id/status", as: ownerA, target: func(t *testing.T, f *fixture) string { return "/api/v1/listings/" + f.draftA.ID + "/status" },
			valid: `{"status":"draft"}`,
			bad: []badCase{
				{name: "status a number", body: `{"status":1}`, want: 400, field: "status"},
				{name: "unknown status", body: `{"status":"bogus"}`, want: 422, field: "status"},
				{name: "missing status", body: `{}`, want: 422, field: "status"},
				{name: "illegal transition", body: `{"status":"awarded"}`, want: 409, field: "status"},
			}},
		{method: "POST", path: "/api/v1/admin/import", as: admin, target: fixed("/api/v1/admin/import"),
			bad: []badCase{
				{name: "JSON instead of JSON Lines", body: `{"kind":"org"}`, contentType: "application/json", want: 415, field: "-"},
				{name: "no content type", body: `{"kind":"org"}`, contentType: "-", want: 415, field: "-"},
				{name: "multipart without the file field", body: "--XX\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nhello\r\n--XX--\r\n",
					contentType: "multipart/form-data; boundary=XX", want: 400, field: "file"},
			}},
		{method: "PUT", path: "/api/v1/admin/users/:id", as: admin, target: func(t *testing.T, f *fixture) string { return "/api/v1/admin/users/" + f.users[memberA].ID },
			valid: `{"disabled":false}`,
			bad: []badCase{
				{name: "disabled a string", body: `{"disabled":"true"}`, want: 400, field: "disabled"},
				{name: "role a number", body: `{"role":1}`, want: 400, field: "role"},
				{name: "unknown role", body: `{"role":"king"}`, want: 422, field: "role"},
				{name: "bad region scope", body: `{"role":"admin","regionScope":"12"}`, want: 422, field: "regionScope"},
				{name: "scope for a non-admin", body: `{"regionScope":"330200"}`, want: 422, field: "regionScope"},
				{name: "operator object", body: `{"$set":{"role":"admin"}}`, want: 400, field: "$set"},
				{name: "role against the organisation", body: `{"role":"investor"}`, want: 422, field: "role"},
			}},
	}
}

func orgBad(org func(string) string) []badCase {
	return []badCase{
		{name: "employees a string", body: org(`,"employees":"many"`), want: 400, field: "employees"},
		{name: "employees a fraction", body: org(`,"employees":1.5`), want: 400, field: "employees"},
		{name: "employees huge", body: org(`,"employees":1e40`), want: 400, field: "employees"},
		{name: "revenue a string", body: org(`,"revenueWan":"100"`), want: 400, field: "revenueWan"},
		{name: "certifications a string", body: org(`,"certifications":"ISO9001"`), want: 400, field: "certifications"},
		{name: "certification a number", body: org(`,"certifications":["ISO9001",9001]`), want: 400, field: "certifications[1]"},
		{name: "contact a string", body: org(`,"contact":"x"`), want: 400, field: "contact"},
		{name: "contact phone a number", body: org(`,"contact":{"phone":13800138000}`), want: 400, field: "contact.phone"},
		{name: "contact operator", body: org(`,"contact":{"$ne":null}`), want: 400, field: "contact.$ne"},
		{name: "contact dotted key", body: org(`,"contact":{"name.first":"x"}`), want: 400, field: "contact.name.first"},
		{name: "unknown nested field", body: org(`,"contact":{"fax":"x"}`), want: 400, field: "contact.fax"},
		{name: "server field seq", body: org(`,"seq":5`), want: 400, field: "seq"},
		{name: "createdAt not a time", body: org(`,"createdAt":"yesterday"`), want: 400, field: "createdAt"},
		{name: "duplicate key", body: org(`,"name":"again"`), want: 400, field: "name"},
		{name: "invalid USCC", body: `{"name":"x","orgType":"sme","uscc":"91330206MA2AAAAAA1","region":"330206"}`, want: 422, field: "uscc"},
		{name: "missing USCC", body: `{"name":"x","orgType":"sme","region":"330206"}`, want: 422, field: "uscc"},
		{name: "unknown region", body: `{"name":"x","orgType":"sme","uscc":"` + newUSCC() + `","region":"999999"}`, want: 422, field: "region"},
		{name: "unknown industry", body: org(`,"industry":"9999"`), want: 422, field: "industry"},
		{name: "negative employees", body: org(`,"employees":-1`), want: 422, field: "employees"},
		{name: "negative revenue", body: org(`,"revenueWan":-5`), want: 422, field: "revenueWan"},
		{name: "R&D ratio over 1", body: org(`,"rdRatio":2`), want: 422, field: "rdRatio"},
		{name: "founded in the future", body: org(`,"founded":2500`), want: 422, field: "founded"},
		{name: "101 Chinese characters in the name", body: `{"name":"` + han101 + `","orgType":"sme","uscc":"` + newUSCC() + `"}`, want: 422, field: "name"},
		{name: "long description", body: org(`,"description":"` + strings.Repeat("长", 5001) + `"`), want: 422, field: "description"},
		{name: "control character", body: org(`,"description":"a\u0000b"`), want: 422, field: "description"},
		{name: "bad contact e-mail", body: org(`,"contact":{"email":"nope"}`), want: 422, field: "contact.email"},
		{name: "empty name", body: `{"name":"  ","orgType":"sme","uscc":"` + newUSCC() + `"}`, want: 422, field: "name"},
	}
}

func listingBad(capability func(string) string) []badCase {
	return []badCase{
		{name: "title a number", body: `{"kind":"capability","title":1}`, want: 400, field: "title"},
		{name: "industry code a number", body: capability(`,"industries":[3391]`), want: 400, field: "industries[0]"},
		{name: "capacity value a string", body: capability(`,"capacity":{"value":"lots","unit":"件"}`), want: 400, field: "capacity.value"},
		{name: "trl a string", body: capability(`,"trl":"9"`), want: 400, field: "trl"},
		{name: "leadTimeDays a fraction", body: capability(`,"leadTimeDays":2.5`), want: 400, field: "leadTimeDays"},
		{name: "processes an object", body: capability(`,"processes":{"a":1}`), want: 400, field: "processes"},
		{name: "capacity operator", body: capability(`,"capacity":{"$gt":0}`), want: 400, field: "capacity.$gt"},
		{name: "owner summary with a dotted key", body: capability(`,"owner":{"a.b":1}`), want: 400, field: "owner.a.b"},
		{name: "orgId a number", body: capability(`,"orgId":5`), want: 400, field: "orgId"},
		{name: "121 Chinese characters in the title", body: `{"kind":"capability","title":"` + han121 + `"}`, want: 422, field: "title"},
		{name: "missing title", body: `{"kind":"capability"}`, want: 422, field: "title"},
		{name: "unknown kind", body: `{"kind":"rocket","title":"x"}`, want: 422, field: "kind"},
		{name: "unknown industry", body: capability(`,"industries":["9999"]`), want: 422, field: "industries[0]"},
		{name: "unknown region", body: capability(`,"regionsServed":["000000"]`), want: 422, field: "regionsServed[0]"},
		{name: "negative lead time", body: capability(`,"leadTimeDays":-1`), want: 422, field: "leadTimeDays"},
		{name: "negative capacity", body: capability(`,"capacity":{"value":-3,"unit":"件"}`), want: 422, field: "capacity.value"},
		{name: "capacity without unit", body: capability(`,"capacity":{"value":3}`), want: 422, field: "capacity.unit"},
		{name: "field of another kind", body: capability(`,"valuationWan":100`), want: 422, field: "valuationWan"},
		{name: "negative budget on a need", body: `{"kind":"need","title":"x","budgetWan":-1}`, want: 422, field: "budgetWan"},
		{name: "long item", body: capability(`,"processes":["` + han61 + `"]`), want: 422, field: "processes[0]"},
		{name: "unknown hard field", body: capability(`,"hard":["title"]`), want: 422, field: "hard[0]"},
	}
}

// TestBadInput sends every write route malformed, mistyped, unknown, over-long,
// out-of-range and operator-shaped bodies: each must be a 4xx problem naming
// the field, never a 5xx, and must write nothing.
func TestBadInput(t *testing.T) {
	api := newTestAPI(t)
	f := api.f
	routes := append(append(append(writeRoutes(), cultivationWriteRoutes()...), eventWriteRoutes()...), pairingWriteRoutes()...)

	t.Run("every write route is covered", func(t *testing.T) {
		for _, r := range api.app.GetRoutes(true) {
			if !strings.HasPrefix(r.Path, APIPrefix) || !slices.Contains([]string{"POST", "PUT", "PATCH", "DELETE"}, r.Method) {
				continue
			}
			if !slices.ContainsFunc(routes, func(w writeRoute) bool { return w.method == r.Method && w.path == r.Path }) {
				t.Errorf("write route %s %s has no bad-input cases", r.Method, r.Path)
			}
		}
	})

	for _, wr := range routes {
		cases := wr.bad
		if wr.valid != "" {
			cases = append(genericBad(wr.valid), cases...)
		}
		for _, bc := range cases {
			t.Run(wr.method+" "+wr.path+"/"+bc.name, func(t *testing.T) {
				path := wr.target(t, f)
				before := takeSnapshot(t, f)
				rq := request{method: wr.method, path: path, as: wr.as, contentType: bc.contentType}
				if bc.body != "" || wr.valid != "" {
					rq.body = bc.body
				}
				if bc.contentType == "-" {
					rq.contentType = ""
					rq.header = map[string]string{"Content-Type": ""}
				}
				r := api.do(t, rq)
				if r.status != bc.want {
					t.Fatalf("got %d, want %d: %s", r.status, bc.want, r.body)
				}
				if r.status >= 500 {
					t.Fatalf("server error: %s", r.body)
				}
				p := checkProblem(t, r)
				if bc.field != "-" && !slices.ContainsFunc(p.Errors, func(e app.FieldError) bool { return e.Field == bc.field }) {
					t.Errorf("problem does not name field %q: %s", bc.field, r.body)
				}
				if after := takeSnapshot(t, f); after != before {
					t.Errorf("a refused request wrote something:\nbefore %+v\nafter  %+v", before, after)
				}
			})
		}
	}
}

// capitalizeFirstKey spells a body's first key with a capital letter.
func capitalizeFirstKey(body string) string {
	i := strings.Index(body, `{"`)
	if i < 0 || i+2 >= len(body) {
		return body
	}
	return body[:i+2] + strings.ToUpper(body[i+2:i+3]) + body[i+3:]
}

// TestDecodeJSONErrors pins the decoder's field paths and codes.
func TestDecodeJSONErrors(t *testing.T) {
	cases := []struct {
		body  string
		field string
		code  string
	}{
		{`{"title":"a","title":"b"}`, "title", fieldDuplicate},
		{`{"Title":"a"}`, "Title", fieldUnknown},
		{`{"capacity":{"value":1,"unit":"x","per":5}}`, "capacity.per", fieldType},
		{`{"tiers":["none",{"$x":1}]}`, "tiers[1].$x", fieldReservedKey},
		{`{"tiers":["none",{"x":1}]}`, "tiers[1]", fieldType},
		{`{"title":{"a":{"b.c":1}}}`, "title.a.b.c", fieldReservedKey},
		{`{"owner":{"$where":1}}`, "owner.$where", fieldReservedKey},
		{`{"industries":["C"],"x.y":1}`, "x.y", fieldReservedKey},
		{`{"trl":10000000000000000000}`, "trl", fieldType},
		{`{"publishedAt":{}}`, "publishedAt", fieldType},
		{`{"hard":"x"}`, "hard", fieldType},
	}
	for _, tc := range cases {
		t.Run(tc.body, func(t *testing.T) {
			var l app.Listing
			err := decodeJSON([]byte(tc.body), &l)
			if statusOf(err) != http.StatusBadRequest {
				t.Fatalf("got %v (status %d), want a 400", err, statusOf(err))
			}
			p, _ := problemFor(err)
			if len(p.Errors) != 1 || p.Errors[0].Field != tc.field || p.Errors[0].Code != tc.code {
				t.Fatalf("got %+v, want field %q code %q", p.Errors, tc.field, tc.code)
			}
		})
	}
	t.Run("a valid body decodes", func(t *testing.T) {
		var l app.Listing
		body := `{"kind":"need","title":"配套需求","industry":"3391","quantity":{"value":1000,"unit":"件","per":"month"},"deadline":"2026-01-31","publishedAt":"2025-01-01T00:00:00Z","owner":{"id":"x","name":"y","orgType":"sme","verified":true}}`
		if err := decodeJSON([]byte(body), &l); err != nil {
			t.Fatal(err)
		}
		if l.Quantity == nil || l.Quantity.Value != 1000 || l.Industry != "3391" {
			b, _ := json.Marshal(l)
			t.Fatalf("decoded %s", b)
		}
	})
}

func ExampleProblem() {
	p, _ := problemFor(badRequest("title", fieldType, "must be a string, not a number"))
	b, _ := json.Marshal(p)
	fmt.Println(string(b))
	// Output: {"type":"urn:rongtong:problem:malformed","title":"Bad Request","status":400,"detail":"invalid input","errors":[{"field":"title","code":"wrong_type","message":"must be a string, not a number"}]}
}
