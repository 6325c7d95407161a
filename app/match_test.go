package app_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/matching"
	"github.com/rongtong/rongtong/store/sqlite"
)

// matchWorld is a store with an SME A in 宁波 (verified) with a financing
// need, an unverified SME U in 杭州 with a capability, and an investor whose
// preferences fit A's need; the service has the matching engine.
type matchWorld struct {
	svc             *app.Service
	orgs            map[string]*app.Org
	fin, capU, invL *app.Listing
}

func uscc(region string, n int) string {
	first := fmt.Sprintf("91%s%09d", region, 100000000+n)
	return first + string(app.USCCCheckChar(first))
}

func newMatchWorld(t *testing.T) *matchWorld {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "rongtong.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := app.NewService(st, nil, slog.New(slog.NewTextHandler(io.Discard, nil)))
	lines := []string{
		fmt.Sprintf(`{"kind":"org","ref":"A","name":"甲压铸","orgType":"sme","uscc":"%s","region":"330206","industry":"3392","tier":"specialized","revenueWan":8000}`, uscc("330206", 1)),
		fmt.Sprintf(`{"kind":"org","ref":"U","name":"乙机加工","orgType":"sme","uscc":"%s","region":"330106","industry":"3484","verified":false}`, uscc("330106", 2)),
		`{"kind":"org","ref":"VC","name":"丙资本","orgType":"investor","region":"330106","industry":"6760"}`,
		`{"kind":"financing","ref":"fin","org":"A","title":"A轮融资","amountWan":3000,"stage":"A","valuationWan":30000}`,
		`{"kind":"capability","ref":"capU","org":"U","title":"数控加工","processes":["数控加工"]}`,
		`{"kind":"investor","ref":"inv","org":"VC","title":"制造业投资","industries":["33"],"stages":["A"],"ticketMinWan":1000,"ticketMaxWan":5000}`,
	}
	run, err := svc.Import(ctx, app.SystemActor(), strings.NewReader(strings.Join(lines, "\n")), "test")
	if err != nil || run.Counts.Failed > 0 {
		t.Fatalf("import: %v %+v", err, run)
	}
	w := &matchWorld{svc: svc, orgs: map[string]*app.Org{}}
	for _, ref := range []string{"A", "U", "VC"} {
		if w.orgs[ref], err = st.FindOrgByRef(ctx, ref); err != nil {
			t.Fatal(err)
		}
	}
	ls, err := st.FindListingsByRef(ctx, []string{"fin", "capU", "inv"})
	if err != nil {
		t.Fatal(err)
	}
	w.fin, w.capU, w.invL = ls["fin"], ls["capU"], ls["inv"]
	svc.Matcher = matching.New(st, nil, matching.DefaultConfig())
	return w
}

func (w *matchWorld) member(ref string) *app.Actor {
	o := w.orgs[ref]
	return &app.Actor{UserID: "u-" + ref, Role: app.Role(o.Type), OrgID: o.ID, OrgRole: app.MemberMember, OrgType: o.Type, OrgVerified: o.Verified}
}

func TestMatchesRights(t *testing.T) {
	w := newMatchWorld(t)
	admin := &app.Actor{UserID: "admin", Role: app.RoleAdmin}
	ningbo := &app.Actor{UserID: "nb", Role: app.RoleAdmin, RegionScope: "330200"}
	hangzhou := &app.Actor{UserID: "hz", Role: app.RoleAdmin, RegionScope: "330100"}
	loner := &app.Actor{UserID: "loner", Role: app.RoleSME}
	fin := app.MatchQuery{FromKind: "financing", FromID: w.fin.ID}
	capU := app.MatchQuery{FromKind: "capability", FromID: w.capU.ID, Target: "need"}
	orgA := app.MatchQuery{FromKind: "org", FromID: w.orgs["A"].ID}
	tests := []struct {
		name string
		a    *app.Actor
		q    app.MatchQuery
		want string // error code, "" for success
	}{
		{"a member of A", w.member("A"), fin, ""},
		{"an admin", admin, fin, ""},
		{"an admin of 宁波", ningbo, fin, ""},
		{"an admin of 杭州, who sees A's need", hangzhou, fin, app.EFORBIDDEN},
		{"the investor", w.member("VC"), fin, app.EFORBIDDEN},
		{"an SME account without an organisation", loner, fin, app.EFORBIDDEN},
		{"anonymous", nil, fin, app.EUNAUTHORIZED},
		{"a member of U, unverified", w.member("U"), capU, ""},
		{"a member of A, who cannot see U", w.member("A"), capU, app.ENOTFOUND},
		{"an admin of 宁波, who cannot see U", ningbo, capU, app.ENOTFOUND},
		{"an admin of 杭州 for U", hangzhou, capU, ""},
		{"collaboration for A by its member", w.member("A"), orgA, ""},
		{"collaboration for A by the investor", w.member("VC"), orgA, app.EFORBIDDEN},
		{"the wrong kind", w.member("A"), app.MatchQuery{FromKind: "need", FromID: w.fin.ID}, app.ENOTFOUND},
		{"no such record", admin, app.MatchQuery{FromKind: "need", FromID: "0123456789abcdef01234567"}, app.ENOTFOUND},
		{"a malformed ID", admin, app.MatchQuery{FromKind: "need", FromID: "x"}, app.ENOTFOUND},
		{"an unknown kind", admin, app.MatchQuery{FromKind: "event", FromID: w.fin.ID}, app.EINVALID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := w.svc.Matches(context.Background(), tt.a, tt.q)
			if got := app.ErrorCode(err); got != tt.want {
				t.Errorf("got %q (%v), want %q", got, err, tt.want)
			}
		})
	}
}

// TestMatchesRedact: matched records come redacted as in the list
// endpoints — an investor sees a financing need's valuation but not the
// SME's revenue; an admin sees both.
func TestMatchesRedact(t *testing.T) {
	w := newMatchWorld(t)
	q := app.MatchQuery{FromKind: "investor", FromID: w.invL.ID}
	for _, tt := range []struct {
		name         string
		a            *app.Actor
		valuation    bool
		smeFinancial bool
	}{
		{"the investor", w.member("VC"), true, false},
		{"an admin", &app.Actor{UserID: "admin", Role: app.RoleAdmin}, true, true},
	} {
		res, err := w.svc.Matches(context.Background(), tt.a, q)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if len(res.Items) != 1 || res.Items[0].Listing == nil || res.Items[0].Listing.ID != w.fin.ID {
			t.Fatalf("%s: items %+v", tt.name, res.Items)
		}
		m := res.Items[0]
		if got := m.Listing.ValuationWan != 0; got != tt.valuation {
			t.Errorf("%s sees the valuation: %v, want %v", tt.name, got, tt.valuation)
		}
		if got := m.Org.RevenueWan != 0; got != tt.smeFinancial {
			t.Errorf("%s sees the SME's revenue: %v, want %v", tt.name, got, tt.smeFinancial)
		}
	}
}

func TestMatchesUnavailable(t *testing.T) {
	w := newMatchWorld(t)
	w.svc.Matcher = nil
	_, err := w.svc.Matches(context.Background(), w.member("A"), app.MatchQuery{FromKind: "financing", FromID: w.fin.ID})
	if app.ErrorCode(err) != app.EUNAVAILABLE {
		t.Errorf("got %v, want unavailable", err)
	}
}
