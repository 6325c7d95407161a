package app

import "context"

// IndicatorFilter selects indicator rows. Zero fields do not filter; Region,
// Industry and Tiers select by the organisation's current region, industry
// and tier, so a firm that moves is found where it is now.
type IndicatorFilter struct {
	OrgIDs   []string
	Year     int // exactly this year
	FromYear int // this year or later
	ToYear   int // this year or earlier
	Region   string
	Industry string
	Tiers    []Tier
}

// IndicatorStore keeps the cultivation database: yearly indicators and
// memberships.
type IndicatorStore interface {
	// PutIndicators creates or replaces (by organisation and year) the rows
	// in one transaction where the store has them; writing a row twice
	// leaves one. It returns EINVALID (field orgId) if an organisation does
	// not exist, and then writes nothing on stores with transactions.
	PutIndicators(ctx context.Context, rows []*Indicator) error
	// FindIndicator returns ENOTFOUND if the organisation has no row for the year.
	FindIndicator(ctx context.Context, orgID string, year int) (*Indicator, error)
	// ListIndicators returns rows in key order (organisation, then year);
	// p.After is the IndicatorKey of the last row of the previous page.
	ListIndicators(ctx context.Context, f IndicatorFilter, p Page) ([]*Indicator, error)
	// PutMembership creates or replaces an organisation's membership;
	// EINVALID (field orgId) if the organisation does not exist.
	PutMembership(ctx context.Context, m *Membership) error
	// FindMembership returns ENOTFOUND if the organisation is not a member.
	FindMembership(ctx context.Context, orgID string) (*Membership, error)
	// FindOrgsByUSCC returns the organisations with these 统一社会信用代码,
	// keyed by USCC; codes no organisation has are absent. Imports of
	// indicators name organisations by USCC.
	FindOrgsByUSCC(ctx context.Context, usccs []string) (map[string]*Org, error)
	// ListMemberships returns the memberships of these organisations (all
	// when orgIDs is nil), keyed by organisation ID.
	ListMemberships(ctx context.Context, orgIDs []string) (map[string]*Membership, error)
}
