package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/rongtong/rongtong/app"
)

// newIndicator returns a row of figures for an organisation and year.
func newIndicator(orgID string, year int, revenue float64) *app.Indicator {
	return &app.Indicator{OrgID: orgID, Year: year, OutputWan: revenue * 1.1, RevenueWan: revenue, TaxWan: revenue / 20,
		LandMu: 40, EnergyTce: 900, RDSpendWan: revenue / 25, InventionPatents: 3, OwnTrademark: true,
		StandardsShare: 85, QualityPassRate: 99.2, NCShare: 70, Safety: app.SafetyClean, CreditRating: "AA",
		DebtRatio: 48.5, MainBusinessShare: 92, NicheYears: 8, UpdatedAt: t0}
}

// MustPutIndicators stores rows or fails the test.
func MustPutIndicators(tb testing.TB, s app.Store, rows ...*app.Indicator) {
	tb.Helper()
	if err := s.PutIndicators(tb.Context(), rows); err != nil {
		tb.Fatalf("PutIndicators(%d rows): %v", len(rows), err)
	}
}

func listIndicators(t *testing.T, s app.Store, f app.IndicatorFilter, p app.Page) []string {
	t.Helper()
	rows, err := s.ListIndicators(t.Context(), f, p)
	if err != nil {
		t.Fatalf("ListIndicators(%+v): %v", f, err)
	}
	keys := []string{}
	for _, r := range rows {
		keys = append(keys, r.Key())
	}
	return keys
}

// testIndicatorUpsert checks that a row is replaced by organisation and
// year, and that writing the same rows twice leaves one of each.
func testIndicatorUpsert(t *testing.T, s app.Store) {
	ctx := t.Context()
	o := MustCreateOrg(t, s, newOrg("指标企业", "330206", "3484"))
	a, b := newIndicator(o.ID, 2024, 5000), newIndicator(o.ID, 2025, 6000)
	MustPutIndicators(t, s, a, b)
	MustPutIndicators(t, s, a, b)
	if got := listIndicators(t, s, app.IndicatorFilter{OrgIDs: []string{o.ID}}, app.Page{}); len(got) != 2 {
		t.Fatalf("after writing twice: %v, want two rows", got)
	}
	c := *b
	c.TaxWan, c.UpdatedAt = 777.5, t0.Add(time.Hour)
	MustPutIndicators(t, s, &c)
	got, err := s.FindIndicator(ctx, o.ID, 2025)
	if err != nil {
		t.Fatal(err)
	}
	if *got != c {
		t.Errorf("FindIndicator = %+v, want %+v", got, c)
	}
	if _, err := s.FindIndicator(ctx, o.ID, 2019); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("missing year: %v, want ENOTFOUND", err)
	}
	if _, err := s.FindIndicator(ctx, "nope", 2025); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("bad ID: %v, want ENOTFOUND", err)
	}
}

// testIndicatorUnknownOrg checks that a batch naming a missing organisation
// is refused whole.
func testIndicatorUnknownOrg(t *testing.T, s app.Store) {
	o := MustCreateOrg(t, s, newOrg("指标企业", "330206", "3484"))
	err := s.PutIndicators(t.Context(), []*app.Indicator{newIndicator(o.ID, 2024, 1), newIndicator(app.NewID(), 2024, 1)})
	if app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("unknown org: %v, want EINVALID", err)
	}
	if got := listIndicators(t, s, app.IndicatorFilter{}, app.Page{}); len(got) != 0 {
		t.Errorf("a refused batch wrote %v", got)
	}
}

// testIndicatorFilters checks the filters by year and by the organisation's
// current region, industry and tier, and paging in key order.
func testIndicatorFilters(t *testing.T, s app.Store) {
	ctx := t.Context()
	a := newOrg("甲", "330106", "3484")
	a.Tier = app.TierSpecialized
	b := newOrg("乙", "330206", "3451")
	c := newOrg("丙", "330212", "6513")
	for _, o := range []*app.Org{a, b, c} {
		MustCreateOrg(t, s, o)
	}
	var rows []*app.Indicator
	for _, o := range []*app.Org{a, b, c} {
		for y := 2022; y <= 2024; y++ {
			rows = append(rows, newIndicator(o.ID, y, 1000))
		}
	}
	MustPutIndicators(t, s, rows...)
	k := app.IndicatorKey
	tests := []struct {
		name string
		f    app.IndicatorFilter
		want []string
	}{
		{"year", app.IndicatorFilter{Year: 2023}, []string{k(a.ID, 2023), k(b.ID, 2023), k(c.ID, 2023)}},
		{"years", app.IndicatorFilter{FromYear: 2023, ToYear: 2024, OrgIDs: []string{b.ID}}, []string{k(b.ID, 2023), k(b.ID, 2024)}},
		{"city", app.IndicatorFilter{Region: "330200", Year: 2024}, []string{k(b.ID, 2024), k(c.ID, 2024)}},
		{"county", app.IndicatorFilter{Region: "330206", Year: 2022}, []string{k(b.ID, 2022)}},
		{"industry division", app.IndicatorFilter{Industry: "34", Year: 2022}, []string{k(a.ID, 2022), k(b.ID, 2022)}},
		{"section and region", app.IndicatorFilter{Industry: "C", Region: "330200", Year: 2022}, []string{k(b.ID, 2022)}},
		{"tier", app.IndicatorFilter{Tiers: []app.Tier{app.TierSpecialized}, Year: 2022}, []string{k(a.ID, 2022)}},
		{"nothing", app.IndicatorFilter{Region: "320000"}, []string{}},
	}
	for _, tt := range tests {
		if got := listIndicators(t, s, tt.f, app.Page{}); !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
	// The organisation moves: its rows follow it.
	b.Region, b.RegionKeys = "330106", []string{"330000", "330100", "330106"}
	if err := s.UpdateOrg(ctx, b); err != nil {
		t.Fatal(err)
	}
	if got := listIndicators(t, s, app.IndicatorFilter{Region: "330100", Year: 2022}, app.Page{}); !slices.Equal(got, []string{k(a.ID, 2022), k(b.ID, 2022)}) {
		t.Errorf("after the move: %v", got)
	}
	// Pages of two in key order.
	var all []string
	p := app.Page{Limit: 2}
	for {
		page := listIndicators(t, s, app.IndicatorFilter{}, p)
		all = append(all, page...)
		if len(page) < p.Limit {
			break
		}
		p.After = page[len(page)-1]
	}
	want := make([]string, len(rows))
	for i, r := range rows {
		want[i] = r.Key()
	}
	if !slices.Equal(slices.Sorted(slices.Values(all)), slices.Sorted(slices.Values(want))) || !slices.IsSorted(all) {
		t.Errorf("pages: %v, want %v in order", all, want)
	}
}

// testMemberships checks membership create, replace, lookup and deletion
// with the organisation, which also takes its indicators.
func testMemberships(t *testing.T, s app.Store) {
	ctx := t.Context()
	o := MustCreateOrg(t, s, newOrg("入库企业", "330206", "3484"))
	other := MustCreateOrg(t, s, newOrg("未入库企业", "330206", "3484"))
	m := &app.Membership{OrgID: o.ID, Level: app.LevelCity, Since: "2023-05-01", Office: "宁波市经信局", UpdatedAt: t0}
	if err := s.PutMembership(ctx, m); err != nil {
		t.Fatal(err)
	}
	m2 := *m
	m2.Level = app.LevelProvince
	if err := s.PutMembership(ctx, &m2); err != nil {
		t.Fatal(err)
	}
	got, err := s.FindMembership(ctx, o.ID)
	if err != nil || *got != m2 {
		t.Fatalf("FindMembership = %+v, %v; want %+v", got, err, m2)
	}
	if _, err := s.FindMembership(ctx, other.ID); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("non-member: %v, want ENOTFOUND", err)
	}
	if err := s.PutMembership(ctx, &app.Membership{OrgID: app.NewID(), Level: app.LevelCity, Since: "2023-01-01", Office: "x"}); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("membership of a missing org: %v, want EINVALID", err)
	}
	ms, err := s.ListMemberships(ctx, []string{o.ID, other.ID})
	if err != nil || len(ms) != 1 || ms[o.ID] == nil {
		t.Errorf("ListMemberships = %v, %v", ms, err)
	}
	MustPutIndicators(t, s, newIndicator(o.ID, 2024, 10))
	if err := s.DeleteOrg(ctx, o.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindMembership(ctx, o.ID); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("membership outlived its org: %v", err)
	}
	if _, err := s.FindIndicator(ctx, o.ID, 2024); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("indicators outlived their org: %v", err)
	}
}

// testOrgsByUSCC checks the lookup of organisations by USCC.
func testOrgsByUSCC(t *testing.T, s app.Store) {
	a := MustCreateOrg(t, s, newOrg("甲", "330206", "3484"))
	b := MustCreateOrg(t, s, newOrg("乙", "330106", ""))
	got, err := s.FindOrgsByUSCC(t.Context(), []string{a.USCC, b.USCC, newUSCC(), "", "{\"$gt\":\"\"}"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[a.USCC] == nil || got[a.USCC].ID != a.ID || got[b.USCC] == nil || got[b.USCC].ID != b.ID {
		t.Errorf("FindOrgsByUSCC = %v", got)
	}
	if got, err := s.FindOrgsByUSCC(t.Context(), nil); err != nil || len(got) != 0 {
		t.Errorf("no codes: %v, %v", got, err)
	}
}
