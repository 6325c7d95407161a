package app

import (
	"context"
	"slices"
)

// Cultivation holds the configuration of the cultivation database: the tier
// criteria and the year's policy targets. A zero value uses the defaults.
type Cultivation struct {
	Tiers   TierRules
	Targets Targets
}

func (s *Service) tierRules() TierRules {
	if len(s.Cultivation.Tiers.Tiers) == 0 {
		return DefaultTierRules()
	}
	return s.Cultivation.Tiers
}

func (s *Service) targets() Targets {
	if len(s.Cultivation.Targets.Targets) == 0 {
		return DefaultTargets()
	}
	return s.Cultivation.Targets
}

// orgForIndicators loads an organisation whose indicators the actor may
// read: its members and the admins whose region covers it. Anyone else who
// can see the organisation gets EFORBIDDEN, the rest ENOTFOUND.
func (s *Service) orgForIndicators(ctx context.Context, a *Actor, id string) (*Org, error) {
	o, err := s.findOrg(ctx, id)
	if err != nil {
		return nil, err
	}
	switch {
	case a.MemberOf(o.ID), a.AdminOf(o.Region):
		return o, nil
	case canSeeOrg(a, o):
		return nil, errForbidden
	}
	return nil, Errorf(ENOTFOUND, "organisation not found")
}

// orgIndicators returns every row of an organisation, oldest first.
func (s *Service) orgIndicators(ctx context.Context, orgID string) ([]*Indicator, error) {
	return s.allIndicators(ctx, IndicatorFilter{OrgIDs: []string{orgID}})
}

// allIndicators pages through every row a filter selects.
func (s *Service) allIndicators(ctx context.Context, f IndicatorFilter) ([]*Indicator, error) {
	var out []*Indicator
	p := Page{Limit: MaxPageLimit}
	for {
		rows, err := s.Store.ListIndicators(ctx, f, p)
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
		if len(rows) < p.Limit {
			return out, nil
		}
		p.After = rows[len(rows)-1].Key()
	}
}

// withDerived pairs each row with its derived figures; rows are one
// organisation's, oldest first.
func withDerived(rows []*Indicator) []IndicatorYear {
	out := make([]IndicatorYear, len(rows))
	for i, r := range rows {
		var prev *Indicator
		if i > 0 {
			prev = rows[i-1]
		}
		out[i] = IndicatorYear{Indicator: *r, Derived: Derive(r, prev)}
	}
	return out
}

// ListIndicators returns an organisation's yearly indicators with derived
// figures, oldest first. Members and admins in scope only.
func (s *Service) ListIndicators(ctx context.Context, a *Actor, orgID string) ([]IndicatorYear, error) {
	if _, err := s.orgForIndicators(ctx, a, orgID); err != nil {
		return nil, err
	}
	rows, err := s.orgIndicators(ctx, orgID)
	if err != nil {
		return nil, err
	}
	return withDerived(rows), nil
}

// GetIndicator returns one year's indicators; ENOTFOUND if there are none.
func (s *Service) GetIndicator(ctx context.Context, a *Actor, orgID string, year int) (*IndicatorYear, error) {
	if _, err := s.orgForIndicators(ctx, a, orgID); err != nil {
		return nil, err
	}
	cur, err := s.Store.FindIndicator(ctx, orgID, year)
	if err != nil {
		return nil, err
	}
	prev, err := s.Store.FindIndicator(ctx, orgID, year-1)
	if ErrorCode(err) == ENOTFOUND {
		prev, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &IndicatorYear{Indicator: *cur, Derived: Derive(cur, prev)}, nil
}

// PutIndicator creates or replaces one year's indicators of an organisation:
// its owners report them, admins in scope correct them. Figures equal to the
// stored ones are not written again.
func (s *Service) PutIndicator(ctx context.Context, a *Actor, orgID string, year int, in *Indicator) (*IndicatorYear, error) {
	o, err := s.orgForWrite(ctx, a, orgID, false)
	if err != nil {
		return nil, err
	}
	row := *in
	row.OrgID, row.Year, row.UpdatedAt = o.ID, year, s.now()
	row.Normalize()
	if err := row.Validate(s.now()); err != nil {
		return nil, err
	}
	old, err := s.Store.FindIndicator(ctx, o.ID, year)
	switch {
	case err == nil && sameFigures(old, &row):
		row = *old
	case err == nil || ErrorCode(err) == ENOTFOUND:
		if err := s.Store.PutIndicators(ctx, []*Indicator{&row}); err != nil {
			return nil, err
		}
	default:
		return nil, err
	}
	return s.GetIndicator(ctx, a, o.ID, year)
}

// GetMembership returns an organisation's cultivation membership, to its
// members and admins in scope; ENOTFOUND if it is not a member.
func (s *Service) GetMembership(ctx context.Context, a *Actor, orgID string) (*Membership, error) {
	if _, err := s.orgForIndicators(ctx, a, orgID); err != nil {
		return nil, err
	}
	return s.Store.FindMembership(ctx, orgID)
}

// PutMembership enters an organisation into the cultivation database or
// changes its entry. Admins in scope only: a firm cannot enrol itself.
func (s *Service) PutMembership(ctx context.Context, a *Actor, orgID string, in *Membership) (*Membership, error) {
	o, err := s.orgForIndicators(ctx, a, orgID)
	if err != nil {
		return nil, err
	}
	if !a.AdminOf(o.Region) {
		return nil, errForbidden
	}
	m := &Membership{OrgID: o.ID, Level: in.Level, Since: FoldWidth(cleanText(in.Since)), Office: cleanText(in.Office), UpdatedAt: s.now()}
	if err := m.Validate(s.now()); err != nil {
		return nil, err
	}
	if err := s.Store.PutMembership(ctx, m); err != nil {
		return nil, err
	}
	return m, nil
}

// Eligibility judges an organisation's latest indicators against the tier
// criteria: the tier it meets and each criterion of the next tier with its
// gap. Members and admins in scope only.
func (s *Service) Eligibility(ctx context.Context, a *Actor, orgID string) (*Eligibility, error) {
	if _, err := s.orgForIndicators(ctx, a, orgID); err != nil {
		return nil, err
	}
	rows, err := s.orgIndicators(ctx, orgID)
	if err != nil {
		return nil, err
	}
	cur, prev := latestTwo(rows)
	e := s.tierRules().Evaluate(cur, prev)
	e.OrgID = orgID
	return &e, nil
}

// latestTwo returns the newest row of one organisation's rows (oldest
// first) and the row of the year before it, either nil when missing.
func latestTwo(rows []*Indicator) (cur, prev *Indicator) {
	if len(rows) == 0 {
		return nil, nil
	}
	cur = rows[len(rows)-1]
	if len(rows) > 1 && rows[len(rows)-2].Year == cur.Year-1 {
		prev = rows[len(rows)-2]
	}
	return cur, prev
}

// adminRegion returns the region an admin's cultivation query covers: the
// asked region if the admin's scope covers it, else the scope itself when
// none was asked. Non-admins and out-of-scope regions get EFORBIDDEN.
func adminRegion(a *Actor, region string) (string, error) {
	if !a.Admin() {
		return "", errForbidden
	}
	if err := checkFilterCodes(region, ""); err != nil {
		return "", err
	}
	if region == "" {
		return a.RegionScope, nil
	}
	if !a.AdminOf(region) {
		return "", errForbidden
	}
	return region, nil
}

// chunks splits ids into slices of at most n.
func chunks(ids []string, n int) [][]string {
	var out [][]string
	for ch := range slices.Chunk(ids, n) {
		out = append(out, ch)
	}
	return out
}
