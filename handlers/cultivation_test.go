package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/cultivation"
)

// markerTax is a figure found nowhere but in the fixture's indicators, so a
// response holding it leaks them.
const (
	markerTax    = 98765.4321
	markerTaxStr = "98765.4321"
	figureYear   = 2025
)

// cultivationFixture adds indicators to A (宁波), U (杭州, unverified) and H,
// a verified SME in 杭州 outside the scoped admin's region, and makes A and
// H members of the cultivation database.
var cultivationFixture struct {
	once sync.Once
	orgH *app.Org
}

func figuresOf(orgID string, year int) *app.Indicator {
	return &app.Indicator{OrgID: orgID, Year: year, OutputWan: 3000, RevenueWan: 2500, TaxWan: markerTax, LandMu: 30,
		EnergyTce: 600, RDSpendWan: 100, InventionPatents: 2, OwnTrademark: true, StandardsShare: 80, QualityPassRate: 99,
		NCShare: 60, Safety: app.SafetyClean, CreditRating: "A", DebtRatio: 50, MainBusinessShare: 90, NicheYears: 4,
		UpdatedAt: time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)}
}

// orgH returns the fixture with indicators, made once.
func orgH(tb testing.TB, f *fixture) *app.Org {
	tb.Helper()
	cultivationFixture.once.Do(func() {
		h := f.mustOrg(tb, app.OrgSME, "330106", true)
		ctx := context.Background()
		var rows []*app.Indicator
		for _, o := range []*app.Org{f.orgA, f.orgU, h} {
			rows = append(rows, figuresOf(o.ID, figureYear-1), figuresOf(o.ID, figureYear))
		}
		if err := f.store.PutIndicators(ctx, rows); err != nil {
			tb.Fatal(err)
		}
		for _, o := range []*app.Org{f.orgA, h} {
			m := &app.Membership{OrgID: o.ID, Level: app.LevelCity, Since: "2024-03-01", Office: "经信局", UpdatedAt: time.Now().UTC()}
			if err := f.store.PutMembership(ctx, m); err != nil {
				tb.Fatal(err)
			}
		}
		cultivationFixture.orgH = h
	})
	if cultivationFixture.orgH == nil {
		tb.Fatal("cultivation fixture failed")
	}
	return cultivationFixture.orgH
}

// indicatorWorkbook is a workbook with the template's header rows and one
// row per organisation, with the fixture's figures of figureYear.
func indicatorWorkbook(tb testing.TB, orgs ...*app.Org) []byte {
	tb.Helper()
	var b bytes.Buffer
	if err := cultivation.WriteTemplate(&b); err != nil {
		tb.Fatal(err)
	}
	x, err := excelize.OpenReader(&b)
	if err != nil {
		tb.Fatal(err)
	}
	defer x.Close()
	for i, o := range orgs {
		in := figuresOf(o.ID, figureYear)
		vals := []any{o.USCC, o.Name, o.Region, in.Year, in.OutputWan, in.RevenueWan, in.TaxWan, in.LandMu, in.EnergyTce,
			in.RDSpendWan, in.InventionPatents, "是", in.StandardsShare, in.QualityPassRate, in.NCShare, "无事故", in.CreditRating,
			in.DebtRatio, in.MainBusinessShare, in.NicheYears}
		if err := x.SetSheetRow(cultivation.IndicatorSheet, fmt.Sprintf("A%d", i+3), &vals); err != nil {
			tb.Fatal(err)
		}
	}
	b.Reset()
	if _, err := x.WriteTo(&b); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// Outcomes of the cultivation routes.
var (
	// Reads of A's indicators: its members and both admins; A is visible to all.
	indicatorsOfA = expect(403, anon, 401, ownerA, 200, memberA, 200, admin, 200, scopedAdmin, 200)
	// Reads of U's: its owner and the province admin; U is invisible to the rest.
	indicatorsOfU = expect(404, anon, 401, ownerU, 200, admin, 200)
	// H lies outside the scoped admin's region: only the province admin.
	indicatorsOfH = expect(403, anon, 401, admin, 200)
)

func cultivationAuthzRows() []authzRow {
	path := func(o func(t *testing.T, f *fixture) *app.Org, suffix string) func(*testing.T, *fixture, string) string {
		return func(t *testing.T, f *fixture, _ string) string { return "/api/v1/orgs/" + o(t, f).ID + suffix }
	}
	A := func(t *testing.T, f *fixture) *app.Org { orgH(t, f); return f.orgA }
	U := func(t *testing.T, f *fixture) *app.Org { orgH(t, f); return f.orgU }
	H := func(t *testing.T, f *fixture) *app.Org { return orgH(t, f) }
	year := "/indicators/" + fmt.Sprint(figureYear)
	same := func(t *testing.T, f *fixture, _ string) any { return figuresOf("", figureYear) }
	membership := func(*testing.T, *fixture, string) any {
		return map[string]any{"level": "city", "since": "2024-03-01", "office": "经信局"}
	}
	hasMarker := func(t *testing.T, api *testAPI, who string, r response) {
		if !strings.Contains(string(r.body), markerTaxStr) {
			t.Errorf("%s: indicators without the stored figures: %.300s", who, r.body)
		}
	}
	get := at
	return []authzRow{
		{name: "A's indicators", method: "GET", route: "/api/v1/orgs/:id/indicators", path: path(A, "/indicators"), want: indicatorsOfA, check: hasMarker},
		{name: "U's indicators", method: "GET", route: "/api/v1/orgs/:id/indicators", path: path(U, "/indicators"), want: indicatorsOfU, check: hasMarker},
		{name: "H's indicators", method: "GET", route: "/api/v1/orgs/:id/indicators", path: path(H, "/indicators"), want: indicatorsOfH, check: hasMarker},
		{name: "A's indicators of a year", method: "GET", route: "/api/v1/orgs/:id/indicators/:year", path: path(A, year), want: indicatorsOfA, check: hasMarker},
		{name: "U's indicators of a year", method: "GET", route: "/api/v1/orgs/:id/indicators/:year", path: path(U, year), want: indicatorsOfU},
		{name: "H's indicators of a year", method: "GET", route: "/api/v1/orgs/:id/indicators/:year", path: path(H, year), want: indicatorsOfH},
		{name: "report A's indicators", method: "PUT", route: "/api/v1/orgs/:id/indicators/:year", path: path(A, year), body: same, want: ownerOfA, check: hasMarker},
		{name: "report U's indicators", method: "PUT", route: "/api/v1/orgs/:id/indicators/:year", path: path(U, year), body: same, want: ownerOfU},
		{name: "report H's indicators", method: "PUT", route: "/api/v1/orgs/:id/indicators/:year", path: path(H, year), body: same, want: indicatorsOfH},
		{name: "A's eligibility", method: "GET", route: "/api/v1/orgs/:id/eligibility", path: path(A, "/eligibility"), want: indicatorsOfA},
		{name: "U's eligibility", method: "GET", route: "/api/v1/orgs/:id/eligibility", path: path(U, "/eligibility"), want: indicatorsOfU},
		{name: "H's eligibility", method: "GET", route: "/api/v1/orgs/:id/eligibility", path: path(H, "/eligibility"), want: indicatorsOfH},
		{name: "A's membership", method: "GET", route: "/api/v1/orgs/:id/cultivation", path: path(A, "/cultivation"), want: indicatorsOfA},
		{name: "H's membership", method: "GET", route: "/api/v1/orgs/:id/cultivation", path: path(H, "/cultivation"), want: indicatorsOfH},
		{name: "enrol A", method: "PUT", route: "/api/v1/orgs/:id/cultivation", path: path(A, "/cultivation"), body: membership,
			want: expect(403, anon, 401, admin, 200, scopedAdmin, 200)},
		{name: "enrol U", method: "PUT", route: "/api/v1/orgs/:id/cultivation", path: path(U, "/cultivation"), body: membership,
			want: expect(404, anon, 401, ownerU, 403, admin, 200)},
		{name: "enrol H", method: "PUT", route: "/api/v1/orgs/:id/cultivation", path: path(H, "/cultivation"), body: membership, want: indicatorsOfH},
		{name: "indicator template", method: "GET", route: "/api/v1/admin/indicators/template", path: get("/api/v1/admin/indicators/template"), want: adminsOnly},
		{name: "import indicators of A and H", method: "POST", route: "/api/v1/admin/indicators/import",
			path:        func(t *testing.T, f *fixture, _ string) string { orgH(t, f); return "/api/v1/admin/indicators/import" },
			body:        func(t *testing.T, f *fixture, _ string) any { return indicatorWorkbook(t, f.orgA, orgH(t, f)) },
			contentType: mimeXLSX, want: adminsOnly,
			check: func(t *testing.T, api *testAPI, who string, r response) {
				var rep app.IndicatorImport
				r.json(t, &rep)
				// The figures equal the stored ones; H is outside the scoped admin's region.
				want := app.IndicatorImport{Rows: 2, Unchanged: 2}
				if who == scopedAdmin {
					want = app.IndicatorImport{Rows: 2, Unchanged: 1, Failed: 1}
				}
				if rep.Rows != want.Rows || rep.Created != want.Created || rep.Updated != want.Updated || rep.Unchanged != want.Unchanged || rep.Failed != want.Failed {
					t.Errorf("%s: report %+v, want %+v", who, rep, want)
				}
			}},
		{name: "export indicators", method: "GET", route: "/api/v1/admin/indicators/export",
			path: func(t *testing.T, f *fixture, _ string) string { orgH(t, f); return "/api/v1/admin/indicators/export" }, want: adminsOnly,
			check: func(t *testing.T, api *testAPI, who string, r response) {
				text := workbookText(t, r.body)
				if !strings.Contains(text, api.f.orgA.USCC) {
					t.Errorf("%s: export lacks A", who)
				}
				if has := strings.Contains(text, cultivationFixture.orgH.USCC); has != (who == admin) {
					t.Errorf("%s: export holds H: %v", who, has)
				}
			}},
		{name: "export indicators in 杭州", method: "GET", route: "/api/v1/admin/indicators/export", path: get("/api/v1/admin/indicators/export?region=330100"),
			want: expect(403, anon, 401, admin, 200)},
		{name: "dashboard", method: "GET", route: "/api/v1/admin/dashboard", path: get("/api/v1/admin/dashboard?year=2025"), want: adminsOnly,
			check: func(t *testing.T, api *testAPI, who string, r response) {
				var d app.Dashboard
				r.json(t, &d)
				for _, b := range d.ByCity {
					if who == scopedAdmin && b.Code != "330200" {
						t.Errorf("%s sees the city %s", who, b.Code)
					}
				}
				if who == scopedAdmin && d.Region != "330200" {
					t.Errorf("scoped dashboard region %q", d.Region)
				}
			}},
		{name: "dashboard of 杭州", method: "GET", route: "/api/v1/admin/dashboard", path: get("/api/v1/admin/dashboard?region=330100"),
			want: expect(403, anon, 401, admin, 200)},
		{name: "dashboard chart as CSV", method: "GET", route: "/api/v1/admin/dashboard", path: get("/api/v1/admin/dashboard?format=csv&chart=cities&year=2025"),
			want: adminsOnly,
			check: func(t *testing.T, api *testAPI, who string, r response) {
				if !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") || !strings.Contains(string(r.body), "code,name,count") {
					t.Errorf("%s: CSV %q: %.200s", who, r.header.Get("Content-Type"), r.body)
				}
				if who == scopedAdmin && strings.Contains(string(r.body), "330100") {
					t.Errorf("scoped CSV holds 杭州: %s", r.body)
				}
			}},
	}
}

// workbookText returns every cell of a workbook's first sheet, tab-separated.
func workbookText(tb testing.TB, body []byte) string {
	tb.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(body))
	if err != nil {
		tb.Fatalf("not a workbook: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		tb.Fatal(err)
	}
	var b strings.Builder
	for _, r := range rows {
		b.WriteString(strings.Join(r, "\t") + "\n")
	}
	return b.String()
}

func cultivationWriteRoutes() []writeRoute {
	A := func(suffix string) func(*testing.T, *fixture) string {
		return func(t *testing.T, f *fixture) string { orgH(t, f); return "/api/v1/orgs/" + f.orgA.ID + suffix }
	}
	in := func(extra string) string { return `{"revenueWan":2500` + extra + `}` }
	return []writeRoute{
		{method: "PUT", path: "/api/v1/orgs/:id/indicators/:year", as: ownerA, target: A("/indicators/2024"), valid: in(""),
			bad: []badCase{
				{name: "revenue a string", body: in(`,"taxWan":"100"`), want: 400, field: "taxWan"},
				{name: "patents a fraction", body: in(`,"inventionPatents":1.5`), want: 400, field: "inventionPatents"},
				{name: "trademark a string", body: in(`,"ownTrademark":"yes"`), want: 400, field: "ownTrademark"},
				{name: "negative tax", body: in(`,"taxWan":-1`), want: 422, field: "taxWan"},
				{name: "negative land", body: in(`,"landMu":-0.5`), want: 422, field: "landMu"},
				{name: "percentage over 100", body: in(`,"debtRatio":120`), want: 422, field: "debtRatio"},
				{name: "negative share", body: in(`,"ncShare":-3`), want: 422, field: "ncShare"},
				{name: "unknown safety status", body: in(`,"safety":"fine"`), want: 422, field: "safety"},
				{name: "unknown credit rating", body: in(`,"creditRating":"AAAA"`), want: 422, field: "creditRating"},
				{name: "another year in the body", body: in(`,"year":2020`), want: 422, field: "year"},
				{name: "another organisation in the body", body: in(`,"orgId":"` + app.NewID() + `"`), want: 422, field: "orgId"},
				{name: "server field updatedAt", body: in(`,"updatedAt":"yesterday"`), want: 400, field: "updatedAt"},
			}},
		{method: "PUT", path: "/api/v1/orgs/:id/indicators/:year", as: ownerA, target: A("/indicators/2999"), valid: in(""),
			bad: []badCase{{name: "a year in the future", body: in(""), want: 422, field: "year"}}},
		{method: "PUT", path: "/api/v1/orgs/:id/indicators/:year", as: ownerA, target: A("/indicators/1999"),
			bad: []badCase{{name: "a year before the database", body: in(""), want: 422, field: "year"}}},
		{method: "PUT", path: "/api/v1/orgs/:id/indicators/:year", as: ownerA, target: A("/indicators/last"),
			bad: []badCase{{name: "a year that is not a number", body: in(""), want: 404, field: "-"}}},
		{method: "PUT", path: "/api/v1/orgs/:id/cultivation", as: admin, target: A("/cultivation"),
			valid: `{"level":"city","since":"2024-03-01","office":"经信局"}`,
			bad: []badCase{
				{name: "level a number", body: `{"level":2,"since":"2024-03-01","office":"x"}`, want: 400, field: "level"},
				{name: "unknown level", body: `{"level":"nation","since":"2024-03-01","office":"x"}`, want: 422, field: "level"},
				{name: "since not a date", body: `{"level":"city","since":"March","office":"x"}`, want: 422, field: "since"},
				{name: "since in the future", body: `{"level":"city","since":"2999-01-01","office":"x"}`, want: 422, field: "since"},
				{name: "missing office", body: `{"level":"city","since":"2024-03-01"}`, want: 422, field: "office"},
				{name: "long office", body: `{"level":"city","since":"2024-03-01","office":"` + han61 + `"}`, want: 422, field: "office"},
			}},
		{method: "POST", path: "/api/v1/admin/indicators/import", as: admin, target: func(*testing.T, *fixture) string { return "/api/v1/admin/indicators/import" },
			bad: []badCase{
				{name: "JSON", body: `{"rows":[]}`, contentType: "application/json", want: 415, field: "-"},
				{name: "no content type", body: `x`, contentType: "-", want: 415, field: "-"},
				{name: "not a workbook", body: "PK not really", contentType: mimeXLSX, want: 422, field: "file"},
				{name: "multipart without the file field", body: "--XX\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nhello\r\n--XX--\r\n",
					contentType: "multipart/form-data; boundary=XX", want: 400, field: "file"},
			}},
		{method: "POST", path: "/api/v1/admin/indicators/import", as: admin, target: func(*testing.T, *fixture) string { return "/api/v1/admin/indicators/import?format=pdf" },
			bad: []badCase{{name: "unknown report format", body: "x", contentType: mimeXLSX, want: 422, field: "format"}}},
		{method: "POST", path: "/api/v1/admin/indicators/import", as: admin, target: func(*testing.T, *fixture) string { return "/api/v1/admin/indicators/import" },
			bad: []badCase{{name: "a workbook without the USCC column", body: string(headerlessWorkbook()), contentType: mimeXLSX, want: 422, field: "file"}}},
	}
}

// headerlessWorkbook is a workbook whose first row lacks the USCC and year headers.
func headerlessWorkbook() []byte {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetRow("Sheet1", "A1", &[]any{"名称", "产值"}); err != nil {
		panic(err)
	}
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		panic(err)
	}
	return b.Bytes()
}

// TestIndicatorsNeverLeak reads every route that shows organisations or their
// data as the province admin, who may see everything, and as the other
// personas: the indicators' marker figure appears only on the cultivation
// routes, never in search, matches, organisation reads or the interchange
// export.
func TestIndicatorsNeverLeak(t *testing.T) {
	api := newTestAPI(t)
	f := api.f
	orgH(t, f)
	useMatcher(f)
	paths := []string{
		"/api/v1/orgs?limit=200",
		"/api/v1/orgs/" + f.orgA.ID,
		"/api/v1/search?kind=org&limit=200",
		"/api/v1/search?q=" + url.QueryEscape(markerTaxStr),
		"/api/v1/matches?from=" + url.QueryEscape("org:"+f.orgA.ID) + "&limit=200",
		"/api/v1/matches?from=" + url.QueryEscape("financing:"+f.finA.ID) + "&limit=200",
		"/api/v1/export",
	}
	for _, who := range []string{admin, ownerA, investor} {
		for _, p := range paths {
			r := api.do(t, request{method: "GET", path: p, as: who})
			if r.status >= 500 {
				t.Fatalf("%s %s: %d %s", who, p, r.status, r.body)
			}
			if strings.Contains(string(r.body), markerTaxStr) || strings.Contains(string(r.body), "taxWan") {
				t.Errorf("%s: %s shows indicators", who, p)
			}
		}
	}
}

// TestScopedAdminCannotReadOtherRegions calls every cultivation route that
// could show H's (杭州) indicators as the admin scoped to 宁波: none answers
// with them.
func TestScopedAdminCannotReadOtherRegions(t *testing.T) {
	api := newTestAPI(t)
	f := api.f
	h := orgH(t, f)
	tests := []struct {
		method, path string
		body         any
		contentType  string
		want         int
	}{
		{"GET", "/api/v1/orgs/" + h.ID + "/indicators", nil, "", 403},
		{"GET", "/api/v1/orgs/" + h.ID + "/indicators/2025", nil, "", 403},
		{"GET", "/api/v1/orgs/" + h.ID + "/indicators/2024", nil, "", 403},
		{"PUT", "/api/v1/orgs/" + h.ID + "/indicators/2025", figuresOf("", 2025), "", 403},
		{"GET", "/api/v1/orgs/" + h.ID + "/eligibility", nil, "", 403},
		{"GET", "/api/v1/orgs/" + h.ID + "/cultivation", nil, "", 403},
		{"PUT", "/api/v1/orgs/" + h.ID + "/cultivation", map[string]any{"level": "city", "since": "2024-01-01", "office": "x"}, "", 403},
		{"GET", "/api/v1/admin/indicators/export", nil, "", 200},
		{"GET", "/api/v1/admin/indicators/export?region=330106", nil, "", 403},
		{"GET", "/api/v1/admin/indicators/export?region=330000", nil, "", 403},
		{"GET", "/api/v1/admin/indicators/export?industry=3391", nil, "", 200},
		{"GET", "/api/v1/admin/dashboard", nil, "", 200},
		{"GET", "/api/v1/admin/dashboard?year=2025", nil, "", 200},
		{"GET", "/api/v1/admin/dashboard?region=330106&year=2025", nil, "", 403},
		{"GET", "/api/v1/admin/dashboard?format=csv&chart=counties&year=2025", nil, "", 200},
		{"GET", "/api/v1/admin/dashboard?format=xlsx&chart=trends&year=2025", nil, "", 200},
		{"POST", "/api/v1/admin/indicators/import", indicatorWorkbook(t, h), mimeXLSX, 200},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			r := api.do(t, request{method: tt.method, path: tt.path, as: scopedAdmin, body: tt.body, contentType: tt.contentType})
			if r.status != tt.want {
				t.Fatalf("got %d, want %d: %.300s", r.status, tt.want, r.body)
			}
			body := string(r.body)
			if strings.Contains(tt.path, "export") && r.status == 200 {
				body = workbookText(t, r.body)
			}
			if strings.Contains(tt.path, "xlsx") && r.status == 200 {
				body = workbookText(t, r.body)
			}
			if strings.Contains(tt.path, "import") {
				// The report names the caller's own row, which it refuses.
				body = ""
			}
			leaks := []string{markerTaxStr} // a refusal shows no figures at all
			if r.status == 200 {
				leaks = []string{h.ID, h.USCC, "330106", "330100"} // an answer shows nothing of H
			}
			for _, leak := range leaks {
				if strings.Contains(body, leak) {
					t.Errorf("the answer shows %s: %.300s", leak, body)
				}
			}
			if r.status == 200 && strings.Contains(tt.path, "import") {
				var rep app.IndicatorImport
				if err := json.Unmarshal(r.body, &rep); err != nil || rep.Failed != 1 || rep.Unchanged+rep.Created+rep.Updated != 0 {
					t.Errorf("import of H as the scoped admin: %+v %v", rep, err)
				}
			}
		})
	}
}

// cultivationSnapshot lists every indicator row and membership with the time
// it was written, for takeSnapshot.
func cultivationSnapshot(tb testing.TB, f *fixture) string {
	tb.Helper()
	ctx := context.Background()
	var b strings.Builder
	p := app.Page{Limit: app.MaxPageLimit}
	for {
		rows, err := f.store.ListIndicators(ctx, app.IndicatorFilter{}, p)
		if err != nil {
			tb.Fatal(err)
		}
		for _, r := range rows {
			fmt.Fprintf(&b, "%s %d\n", r.Key(), r.UpdatedAt.UnixNano())
		}
		if len(rows) < p.Limit {
			break
		}
		p.After = rows[len(rows)-1].Key()
	}
	ms, err := f.store.ListMemberships(ctx, nil)
	if err != nil {
		tb.Fatal(err)
	}
	for _, id := range slices.Sorted(maps.Keys(ms)) {
		fmt.Fprintf(&b, "m %s %d\n", id, ms[id].UpdatedAt.UnixNano())
	}
	return b.String()
}

// TestCultivationScenarios checks the answers' shapes: derived figures,
// eligibility texts in both languages, the workbook downloads and the
// import report as a workbook.
func TestCultivationScenarios(t *testing.T) {
	api := newTestAPI(t)
	f := api.f
	orgH(t, f)
	isWorkbook := func(t *testing.T, r response) {
		if ct := r.header.Get("Content-Type"); ct != mimeXLSX {
			t.Errorf("Content-Type %q", ct)
		}
		workbookText(t, r.body)
	}
	api.run(t, []scenario{
		{name: "derived figures", method: "GET", path: "/api/v1/orgs/" + f.orgA.ID + "/indicators/2025", as: ownerA, wantStatus: 200,
			check: func(t *testing.T, r response) {
				var y app.IndicatorYear
				r.json(t, &y)
				if y.Derived.TaxPerMu == nil || *y.Derived.TaxPerMu != 3292.1811 || y.Derived.RevenueGrowth == nil || *y.Derived.RevenueGrowth != 0 {
					t.Errorf("derived %+v", y.Derived)
				}
			}},
		{name: "no figures for a year", method: "GET", path: "/api/v1/orgs/" + f.orgA.ID + "/indicators/2010", as: ownerA, wantStatus: 404},
		{name: "eligibility texts", method: "GET", path: "/api/v1/orgs/" + f.orgA.ID + "/eligibility", as: memberA, wantStatus: 200,
			check: func(t *testing.T, r response) {
				var e app.Eligibility
				r.json(t, &e)
				if e.Year != figureYear || e.Next == nil {
					t.Fatalf("eligibility %+v", e)
				}
				for _, g := range e.Next.Criteria {
					if !g.Met && (g.Text["zh-CN"] == "" || g.Text["en"] == "") {
						t.Errorf("criterion %+v lacks a text", g)
					}
				}
			}},
		{name: "template", method: "GET", path: "/api/v1/admin/indicators/template", as: admin, wantStatus: 200, check: isWorkbook},
		{name: "import report as a workbook", method: "POST", path: "/api/v1/admin/indicators/import?format=xlsx", as: admin,
			body: indicatorWorkbook(t, f.orgA), contentType: mimeXLSX, wantStatus: 200, check: isWorkbook},
		{name: "dashboard chart as a workbook", method: "GET", path: "/api/v1/admin/dashboard?format=xlsx&chart=tiers&year=2025", as: admin, wantStatus: 200, check: isWorkbook},
		{name: "download without a chart", method: "GET", path: "/api/v1/admin/dashboard?format=csv", as: admin, wantStatus: 422, wantBody: []string{"chart"}},
		{name: "unknown format", method: "GET", path: "/api/v1/admin/dashboard?format=pdf", as: admin, wantStatus: 422, wantBody: []string{"format"}},
		{name: "year not a number", method: "GET", path: "/api/v1/admin/dashboard?year=last", as: admin, wantStatus: 400, wantBody: []string{"year"}},
		{name: "year in the future", method: "GET", path: "/api/v1/admin/dashboard?year=2999", as: admin, wantStatus: 422, wantBody: []string{"year"}},
		{name: "unknown tier in the export", method: "GET", path: "/api/v1/admin/indicators/export?tier=king", as: admin, wantStatus: 422, wantBody: []string{"tier"}},
		{name: "unknown region in the export", method: "GET", path: "/api/v1/admin/indicators/export?region=999999", as: admin, wantStatus: 422, wantBody: []string{"region"}},
		{name: "unknown query parameter", method: "GET", path: "/api/v1/admin/dashboard?city=330200", as: admin, wantStatus: 400, wantBody: []string{"city"}},
	})
}
