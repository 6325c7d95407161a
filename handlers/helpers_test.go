package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/search"
	"github.com/rongtong/rongtong/store/sqlite"
)

// The fixture is made once per test binary: argon2 hashing is deliberately
// slow, so every fixture account shares one hash of fixturePassword, and the
// tests that need a real login or registration make their own accounts.
const fixturePassword = "Fixture2026pw"

var testSecret = []byte("test-secret-of-at-least-thirty-two-bytes!")

// Personas of the authorization table.
const (
	anon        = ""
	ownerA      = "ownerA"      // owner of A, a verified SME in 北仑区 (宁波)
	memberA     = "memberA"     // plain member of A
	ownerU      = "ownerU"      // owner of U, an unverified SME in 西湖区 (杭州)
	enterprise  = "enterprise"  // owner of E, a verified lead enterprise
	investor    = "investor"    // owner of I, a verified investor
	investorU   = "investorU"   // owner of IU, an unverified investor
	institution = "institution" // owner of T, a verified institute
	organizer   = "organizer"   // owner of G, a verified event organizer
	loner       = "loner"       // an SME account without an organisation
	admin       = "admin"       // an admin for the whole province
	scopedAdmin = "scopedAdmin" // an admin scoped to 宁波市 (330200)
)

var personas = []string{anon, ownerA, memberA, ownerU, enterprise, investor, investorU, institution, organizer, loner, admin, scopedAdmin}

type fixture struct {
	dir   string
	store *sqlite.Store
	svc   *app.Service
	hash  string
	users map[string]*app.User

	orgA, orgU, orgE, orgI, orgIU, orgT, orgG *app.Org
	// Listings: A's published financing need with a valuation, A's draft
	// capability, U's published capability (hidden: U is unverified).
	finA, draftA, pubU *app.Listing
}

var shared struct {
	once sync.Once
	f    *fixture
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if f := shared.f; f != nil {
		if err := f.store.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "close store:", err)
		}
		os.RemoveAll(f.dir)
	}
	os.Exit(code)
}

// mustFixture returns the fixture shared by the tests of this binary.
func mustFixture(tb testing.TB) *fixture {
	tb.Helper()
	shared.once.Do(func() { shared.f, shared.err = newFixture() })
	if shared.err != nil {
		tb.Fatalf("fixture: %v", shared.err)
	}
	return shared.f
}

var usccSeq atomic.Int64

// newUSCC returns a fresh valid 统一社会信用代码.
func newUSCC() string {
	first := fmt.Sprintf("91330206%09d", 100000000+usccSeq.Add(1))
	return first + string(app.USCCCheckChar(first))
}

var loginSeq atomic.Int64

func newFixture() (f *fixture, err error) {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "rongtong-handlers-")
	if err != nil {
		return nil, err
	}
	st, err := sqlite.Open(ctx, filepath.Join(dir, "rongtong.db"))
	if err != nil {
		return nil, err
	}
	ix, err := search.Open(filepath.Join(dir, "index"), search.Options{OrgExtras: search.StoreExtras(st)})
	if err != nil {
		return nil, err
	}
	svc := app.NewService(st, ix, slog.New(slog.NewTextHandler(io.Discard, nil)))
	svc.Searcher = ix
	hash, err := app.HashPassword(fixturePassword)
	if err != nil {
		return nil, err
	}
	f = &fixture{dir: dir, store: st, svc: svc, hash: hash, users: map[string]*app.User{}}
	sys := app.SystemActor()
	mkOrg := func(ref string, t app.OrgType, region, industry string, verified bool) (*app.Org, error) {
		o := &app.Org{Ref: ref, Name: "测试" + ref, Type: t, Region: region, Industry: industry,
			RevenueWan: 12345, RDRatio: 0.07, Contact: &app.Contact{Name: "联系人", Phone: "13800138000", Email: ref + "@example.cn"}}
		if t == app.OrgSME || t == app.OrgEnterprise {
			o.USCC = newUSCC()
			o.Tier = app.TierSpecialized
		}
		o, err := svc.CreateOrg(ctx, sys, o)
		if err != nil || !verified {
			return o, err
		}
		return svc.VerifyOrg(ctx, sys, o.ID, true)
	}
	for _, x := range []struct {
		p        **app.Org
		ref      string
		t        app.OrgType
		region   string
		industry string
		verified bool
	}{
		{&f.orgA, "fx-org-A", app.OrgSME, "330206", "3391", true},
		{&f.orgU, "fx-org-U", app.OrgSME, "330106", "3391", false},
		{&f.orgE, "fx-org-E", app.OrgEnterprise, "330212", "34", true},
		{&f.orgI, "fx-org-I", app.OrgInvestor, "330102", "", true},
		{&f.orgIU, "fx-org-IU", app.OrgInvestor, "330110", "", false},
		{&f.orgT, "fx-org-T", app.OrgInstitution, "330106", "73", true},
		{&f.orgG, "fx-org-G", app.OrgOrganizer, "330203", "", true},
	} {
		if *x.p, err = mkOrg(x.ref, x.t, x.region, x.industry, x.verified); err != nil {
			return nil, fmt.Errorf("org %s: %w", x.ref, err)
		}
	}
	for _, x := range []struct {
		persona string
		role    app.Role
		org     *app.Org
		orgRole app.MemberRole
		scope   string
	}{
		{ownerA, app.RoleSME, f.orgA, app.MemberOwner, ""},
		{memberA, app.RoleSME, f.orgA, app.MemberMember, ""},
		{ownerU, app.RoleSME, f.orgU, app.MemberOwner, ""},
		{enterprise, app.RoleEnterprise, f.orgE, app.MemberOwner, ""},
		{investor, app.RoleInvestor, f.orgI, app.MemberOwner, ""},
		{investorU, app.RoleInvestor, f.orgIU, app.MemberOwner, ""},
		{institution, app.RoleInstitution, f.orgT, app.MemberOwner, ""},
		{organizer, app.RoleOrganizer, f.orgG, app.MemberOwner, ""},
		{loner, app.RoleSME, nil, "", ""},
		{admin, app.RoleAdmin, nil, "", ""},
		{scopedAdmin, app.RoleAdmin, nil, "", "330200"},
	} {
		u, err := f.addUser(ctx, x.persona+"@fixture.example.cn", x.role, x.org, x.orgRole, x.scope)
		if err != nil {
			return nil, fmt.Errorf("user %s: %w", x.persona, err)
		}
		f.users[x.persona] = u
	}
	mkListing := func(org *app.Org, l *app.Listing) (*app.Listing, error) {
		return svc.CreateListing(ctx, sys, org.ID, l)
	}
	if f.finA, err = mkListing(f.orgA, &app.Listing{Ref: "fx-fin-A", Kind: app.KindFinancing, Status: app.StatusPublished,
		Title: "A轮融资需求", AmountWan: 3000, Stage: "A", Instrument: "equity", ValuationWan: 88888}); err != nil {
		return nil, err
	}
	if f.draftA, err = mkListing(f.orgA, &app.Listing{Ref: "fx-draft-A", Kind: app.KindCapability, Title: "精密压铸（草稿）",
		Processes: []string{"压铸"}, Industries: []string{"3391"}}); err != nil {
		return nil, err
	}
	if f.pubU, err = mkListing(f.orgU, &app.Listing{Ref: "fx-pub-U", Kind: app.KindCapability, Status: app.StatusPublished,
		Title: "未认证企业的数控加工", Processes: []string{"数控加工"}}); err != nil {
		return nil, err
	}
	return f, nil
}

// addUser stores an account with the shared password hash (no hashing).
func (f *fixture) addUser(ctx context.Context, email string, role app.Role, org *app.Org, orgRole app.MemberRole, scope string) (*app.User, error) {
	now := time.Now().UTC().Truncate(time.Millisecond)
	u := &app.User{ID: app.NewID(), Email: email, Name: "测试用户", PasswordHash: f.hash, Role: role,
		RegionScope: scope, CreatedAt: now, UpdatedAt: now}
	if org != nil {
		u.OrgID, u.OrgRole = org.ID, orgRole
	}
	return u, f.store.CreateUser(ctx, u)
}

// mustUser makes a fresh account, optionally a member of org.
func (f *fixture) mustUser(tb testing.TB, role app.Role, org *app.Org, orgRole app.MemberRole) *app.User {
	tb.Helper()
	email := fmt.Sprintf("u%d-%s@fresh.example.cn", loginSeq.Add(1), strings.ToLower(app.NewSecret(3)))
	u, err := f.addUser(context.Background(), email, role, org, orgRole, "")
	if err != nil {
		tb.Fatalf("add user: %v", err)
	}
	return u
}

// mustOrg creates an organisation as the system.
func (f *fixture) mustOrg(tb testing.TB, t app.OrgType, region string, verified bool) *app.Org {
	tb.Helper()
	ctx := context.Background()
	o := &app.Org{Name: "临时企业" + app.NewSecret(3), Type: t, Region: region, Industry: "3391", RevenueWan: 1}
	if t == app.OrgSME || t == app.OrgEnterprise {
		o.USCC = newUSCC()
	}
	o, err := f.svc.CreateOrg(ctx, app.SystemActor(), o)
	if err == nil && verified {
		o, err = f.svc.VerifyOrg(ctx, app.SystemActor(), o.ID, true)
	}
	if err != nil {
		tb.Fatalf("create org: %v", err)
	}
	return o
}

// mustListing creates a capability (or another kind) as the system.
func (f *fixture) mustListing(tb testing.TB, org *app.Org, status app.Status) *app.Listing {
	tb.Helper()
	l := &app.Listing{Kind: app.KindCapability, Status: status, Title: "临时能力" + app.NewSecret(3), Processes: []string{"注塑"}}
	if org.Type == app.OrgEnterprise {
		l = &app.Listing{Kind: app.KindNeed, Status: status, Title: "临时需求" + app.NewSecret(3)}
	}
	l, err := f.svc.CreateListing(context.Background(), app.SystemActor(), org.ID, l)
	if err != nil {
		tb.Fatalf("create listing: %v", err)
	}
	return l
}

// setMembership puts a user into an organisation (or none) directly in the store.
func (f *fixture) setMembership(tb testing.TB, userID string, org *app.Org, role app.MemberRole) {
	tb.Helper()
	ctx := context.Background()
	u, err := f.store.FindUser(ctx, userID)
	if err != nil {
		tb.Fatalf("find user: %v", err)
	}
	u.OrgID, u.OrgRole = "", ""
	if org != nil {
		u.OrgID, u.OrgRole = org.ID, role
	}
	if err := f.store.UpdateUser(ctx, u); err != nil {
		tb.Fatalf("update user: %v", err)
	}
}

// testAPI is the HTTP stack under test with a way to mint access tokens.
type testAPI struct {
	app    *fiber.App
	f      *fixture
	tokens *tokens
	clock  *testClock
}

// testClock is a settable clock for rate limits and token expiry.
type testClock struct{ ns atomic.Int64 }

func newTestClock() *testClock {
	c := &testClock{}
	c.ns.Store(time.Now().UnixNano())
	return c
}

func (c *testClock) Now() time.Time          { return time.Unix(0, c.ns.Load()).UTC() }
func (c *testClock) Advance(d time.Duration) { c.ns.Add(int64(d)) }

// newTestAPI builds the API on the shared fixture.
func newTestAPI(tb testing.TB, edit ...func(*Options)) *testAPI {
	tb.Helper()
	f := mustFixture(tb)
	clk := newTestClock()
	o := Options{
		Service:   f.svc,
		JWTSecret: testSecret,
		Logger:    slog.New(slog.NewJSONHandler(io.Discard, nil)),
		Clock:     clk.Now,
		// Most tests log in rarely; the rate-limit test sets its own limits.
		LoginRateLimit: RateLimit{PerLogin: 1000, PerIP: 1000},
	}
	for _, e := range edit {
		e(&o)
	}
	a := New(o)
	return &testAPI{app: a, f: f, clock: clk,
		tokens: newTokens(testSecret, DefaultIssuer, DefaultAudience, DefaultAccessTTL, clk.Now)}
}

// tokenFor mints an access token for a persona or a user ID.
func (api *testAPI) tokenFor(tb testing.TB, who string) string {
	tb.Helper()
	if who == anon {
		return ""
	}
	id := who
	if u := api.f.users[who]; u != nil {
		id = u.ID
	}
	tok, _, err := api.tokens.issue(id)
	if err != nil {
		tb.Fatal(err)
	}
	return tok
}

// request is one HTTP request of a test.
type request struct {
	method, path string
	as           string // persona or user ID; "" anonymous
	token        string // an explicit bearer token instead of as
	body         any    // string and []byte go as they are; anything else as JSON
	contentType  string // default application/json when there is a body
	header       map[string]string
}

// response is what came back.
type response struct {
	path   string // the request's path and query
	status int
	header http.Header
	body   []byte
}

func (r response) json(tb testing.TB, v any) {
	tb.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		tb.Fatalf("decode %s: %v", r.body, err)
	}
}

func (api *testAPI) do(tb testing.TB, rq request) response {
	tb.Helper()
	var body io.Reader
	switch b := rq.body.(type) {
	case nil:
	case string:
		body = strings.NewReader(b)
	case []byte:
		body = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			tb.Fatal(err)
		}
		body = bytes.NewReader(j)
	}
	req := httptest.NewRequest(rq.method, rq.path, body)
	if rq.body != nil {
		ct := rq.contentType
		if ct == "" {
			ct = "application/json"
		}
		req.Header.Set("Content-Type", ct)
	}
	tok := rq.token
	if tok == "" {
		tok = api.tokenFor(tb, rq.as)
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for k, v := range rq.header {
		req.Header.Set(k, v)
	}
	res, err := api.app.Test(req, -1)
	if err != nil {
		tb.Fatalf("%s %s: %v", rq.method, rq.path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatalf("%s %s: read body: %v", rq.method, rq.path, err)
	}
	return response{path: rq.path, status: res.StatusCode, header: res.Header, body: b}
}

// scenario is one row of an API table test.
type scenario struct {
	name         string
	method, path string
	as           string
	body         any
	contentType  string
	header       map[string]string
	wantStatus   int
	wantBody     []string // substrings the body must hold
	check        func(t *testing.T, r response)
}

func (api *testAPI) run(t *testing.T, scs []scenario) {
	t.Helper()
	for _, sc := range scs {
		t.Run(sc.name, func(t *testing.T) {
			r := api.do(t, request{method: sc.method, path: sc.path, as: sc.as, body: sc.body, contentType: sc.contentType, header: sc.header})
			if r.status != sc.wantStatus {
				t.Fatalf("%s %s: got status %d, want %d; body %s", sc.method, sc.path, r.status, sc.wantStatus, r.body)
			}
			for _, w := range sc.wantBody {
				if !strings.Contains(string(r.body), w) {
					t.Errorf("%s %s: body %s does not contain %q", sc.method, sc.path, r.body, w)
				}
			}
			if r.status >= 400 {
				checkProblem(t, r)
			}
			if sc.check != nil {
				sc.check(t, r)
			}
		})
	}
}

// checkProblem checks that an error response is problem+json with the
// status repeated in the body and a request ID.
func checkProblem(tb testing.TB, r response) Problem {
	tb.Helper()
	if ct := r.header.Get("Content-Type"); ct != "application/problem+json" {
		tb.Errorf("error response has Content-Type %q, want application/problem+json", ct)
	}
	var p Problem
	if err := json.Unmarshal(r.body, &p); err != nil {
		tb.Fatalf("problem body %s: %v", r.body, err)
	}
	if p.Status != r.status || p.Title == "" || !strings.HasPrefix(p.Type, ProblemTypePrefix) || p.RequestID == "" {
		tb.Errorf("malformed problem %+v for status %d", p, r.status)
	}
	if p.RequestID != r.header.Get(HeaderRequestID) {
		tb.Errorf("problem requestId %q, header %q", p.RequestID, r.header.Get(HeaderRequestID))
	}
	return p
}

// snapshot is everything a request could have written, to show that a
// rejected one wrote nothing.
type snapshot struct {
	users, orgs, listings, imports int
	seq                            int64
	userDocs                       string
	// cultivation holds every indicator row and membership with its write time.
	cultivation string
	events      string
	// pairings are the newest pairings with their versions.
	pairings string
}

func takeSnapshot(tb testing.TB, f *fixture) snapshot {
	tb.Helper()
	ctx := context.Background()
	var s snapshot
	var err error
	if s.users, err = f.store.CountUsers(ctx); err != nil {
		tb.Fatal(err)
	}
	if s.orgs, err = f.store.CountOrgs(ctx, app.OrgFilter{}); err != nil {
		tb.Fatal(err)
	}
	if s.listings, err = f.store.CountListings(ctx, app.ListingFilter{}); err != nil {
		tb.Fatal(err)
	}
	if s.seq, err = f.store.LastSeq(ctx); err != nil {
		tb.Fatal(err)
	}
	runs, err := f.store.ListImportRuns(ctx, app.Page{Limit: app.MaxPageLimit})
	if err != nil {
		tb.Fatal(err)
	}
	s.imports = len(runs)
	// The write routes change only the caller and the user they name, and
	// the bad-input test calls and names personas only.
	var b strings.Builder
	for _, who := range personas[1:] {
		u, err := f.store.FindUser(ctx, f.users[who].ID)
		if err != nil {
			tb.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %s %s %s %s %v %s %d\n", u.ID, u.Role, u.OrgID, u.OrgRole, u.RegionScope, u.Disabled, u.PasswordHash, u.UpdatedAt.UnixNano())
	}
	s.userDocs = b.String()
	s.cultivation = cultivationSnapshot(tb, f)
	s.events = eventSnapshot(tb, f)
	ps, err := f.store.ListPairings(ctx, app.PairingFilter{}, app.Page{Limit: app.MaxPageLimit})
	if err != nil {
		tb.Fatal(err)
	}
	for _, p := range ps {
		s.pairings += fmt.Sprintf("%s:%d ", p.ID, p.Version)
	}
	return s
}
