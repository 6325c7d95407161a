package app_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/rongtong/rongtong/app"
)

func mustSME(t *testing.T, svc *app.Service, region string, verified bool) *app.Org {
	t.Helper()
	first := fmt.Sprintf("91330000MB%07d", time.Now().UnixNano()%10_000_000)
	o, err := svc.CreateOrg(context.Background(), app.SystemActor(), &app.Org{Name: "指标用例企业", Type: app.OrgSME,
		USCC: first + string(app.USCCCheckChar(first)), Region: region, Industry: "3484"})
	if err == nil && verified {
		o, err = svc.VerifyOrg(context.Background(), app.SystemActor(), o.ID, true)
	}
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestPutIndicator checks reporting a year's figures: validation naming the
// field, derived figures against the year before, who may write and read,
// and that equal figures are not written again.
func TestPutIndicator(t *testing.T) {
	ctx := context.Background()
	svc := MustService(t)
	clock := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	svc.Clock = func() time.Time { return clock }
	o := mustSME(t, svc, "330206", true)
	hidden := mustSME(t, svc, "330206", false)
	owner := &app.Actor{UserID: app.NewID(), Role: app.RoleSME, OrgID: o.ID, OrgRole: app.MemberOwner}
	member := &app.Actor{UserID: app.NewID(), Role: app.RoleSME, OrgID: o.ID, OrgRole: app.MemberMember}
	stranger := &app.Actor{UserID: app.NewID(), Role: app.RoleInvestor}
	scopedElsewhere := &app.Actor{UserID: app.NewID(), Role: app.RoleAdmin, RegionScope: "330100"}

	fig := func(rev, tax float64) *app.Indicator {
		return &app.Indicator{RevenueWan: rev, OutputWan: rev, TaxWan: tax, LandMu: 10, RDSpendWan: rev / 25, Safety: app.SafetyClean}
	}
	if _, err := svc.PutIndicator(ctx, owner, o.ID, 2024, fig(1000, 50)); err != nil {
		t.Fatal(err)
	}
	got, err := svc.PutIndicator(ctx, owner, o.ID, 2025, fig(1250, 60))
	if err != nil {
		t.Fatal(err)
	}
	if g := got.Derived.RevenueGrowth; g == nil || *g != 25 || *got.Derived.TaxPerMu != 6 || *got.Derived.RDRatio != 4 {
		t.Errorf("derived %+v", got.Derived)
	}
	clock = clock.Add(time.Hour)
	again, err := svc.PutIndicator(ctx, owner, o.ID, 2025, fig(1250, 60))
	if err != nil || !again.UpdatedAt.Equal(got.UpdatedAt) {
		t.Errorf("equal figures rewritten: %v, %v → %v", err, got.UpdatedAt, again.UpdatedAt)
	}
	for _, c := range []struct {
		name  string
		year  int
		in    *app.Indicator
		field string
	}{
		{"future year", 2027, fig(1, 1), "year"},
		{"negative tax", 2025, fig(1, -1), "taxWan"},
		{"share over 100", 2025, &app.Indicator{NCShare: 101}, "ncShare"},
		{"unknown rating", 2025, &app.Indicator{CreditRating: "Z"}, "creditRating"},
	} {
		_, err := svc.PutIndicator(ctx, owner, o.ID, c.year, c.in)
		var e *app.Error
		if app.ErrorCode(err) != app.EINVALID || !errors.As(err, &e) || len(e.Fields) == 0 || e.Fields[0].Field != c.field {
			t.Errorf("%s: %v, want EINVALID on %s", c.name, err, c.field)
		}
	}
	for _, c := range []struct {
		name string
		a    *app.Actor
		org  string
		read string // error code of a read, "" for allowed
		put  string
	}{
		{"owner", owner, o.ID, "", ""},
		{"member", member, o.ID, "", app.EFORBIDDEN},
		{"stranger on a visible org", stranger, o.ID, app.EFORBIDDEN, app.EFORBIDDEN},
		{"stranger on a hidden org", stranger, hidden.ID, app.ENOTFOUND, app.ENOTFOUND},
		{"admin of another region", scopedElsewhere, o.ID, app.EFORBIDDEN, app.EFORBIDDEN},
		{"anonymous", nil, o.ID, app.EFORBIDDEN, app.EFORBIDDEN},
	} {
		if _, err := svc.ListIndicators(ctx, c.a, c.org); app.ErrorCode(err) != c.read {
			t.Errorf("%s reads: %v, want %q", c.name, err, c.read)
		}
		if _, err := svc.Eligibility(ctx, c.a, c.org); app.ErrorCode(err) != c.read {
			t.Errorf("%s reads eligibility: %v, want %q", c.name, err, c.read)
		}
		if _, err := svc.PutIndicator(ctx, c.a, c.org, 2025, fig(1250, 60)); app.ErrorCode(err) != c.put {
			t.Errorf("%s writes: %v, want %q", c.name, err, c.put)
		}
	}
	e, err := svc.Eligibility(ctx, owner, o.ID)
	if err != nil || e.Year != 2025 || e.Next == nil {
		t.Fatalf("eligibility %+v, %v", e, err)
	}

	m := &app.Membership{Level: app.LevelCity, Since: "2025-05-01", Office: "宁波市经信局"}
	if _, err := svc.PutMembership(ctx, owner, o.ID, m); app.ErrorCode(err) != app.EFORBIDDEN {
		t.Errorf("an owner enrols its own firm: %v", err)
	}
	if _, err := svc.PutMembership(ctx, app.SystemActor(), o.ID, &app.Membership{Level: app.LevelCity, Since: "2026-04-01", Office: "x"}); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("membership from the future: %v", err)
	}
	if _, err := svc.PutMembership(ctx, app.SystemActor(), o.ID, m); err != nil {
		t.Fatal(err)
	}
	if got, err := svc.GetMembership(ctx, member, o.ID); err != nil || got.Office != m.Office {
		t.Errorf("member reads membership: %+v, %v", got, err)
	}
}
