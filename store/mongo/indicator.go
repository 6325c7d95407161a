package mongo

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/rongtong/rongtong/app"
)

// indicatorDoc is an indicator row with its key (organisation and year) as
// the document ID, so that a replace by ID is the upsert by (org, year).
type indicatorDoc struct {
	Key           string `bson:"_id"`
	app.Indicator `bson:",inline"`
}

// existingOrgs returns which of the IDs name an organisation.
func (s *Store) existingOrgs(ctx context.Context, ids []string) (map[string]bool, error) {
	have := map[string]bool{}
	for _, filter := range s.matchAny("_id", ids) {
		var docs []struct {
			ID string `bson:"_id"`
		}
		if err := findAll(ctx, s.orgs, filter, &docs, options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}})); err != nil {
			return nil, fmt.Errorf("mongo: find orgs: %w", err)
		}
		for _, d := range docs {
			have[d.ID] = true
		}
	}
	return have, nil
}

// PutIndicators creates or replaces the rows by organisation and year;
// EINVALID (field orgId), with nothing written, if an organisation does not
// exist. Without transactions a failure midway leaves some rows written;
// writing the same rows again completes them.
func (s *Store) PutIndicators(ctx context.Context, rows []*app.Indicator) error {
	if len(rows) == 0 {
		return nil
	}
	ids := make([]string, 0, len(rows))
	for _, in := range rows {
		ids = append(ids, in.OrgID)
	}
	have, err := s.existingOrgs(ctx, ids)
	if err != nil {
		return err
	}
	models := make([]mongo.WriteModel, 0, len(rows))
	for _, in := range rows {
		if !have[in.OrgID] {
			return app.Invalid("orgId", app.FieldUnknown, "is not an existing organisation")
		}
		d := indicatorDoc{Key: in.Key(), Indicator: *in}
		d.UpdatedAt = msTime(d.UpdatedAt)
		in.UpdatedAt = d.UpdatedAt
		models = append(models, mongo.NewReplaceOneModel().SetFilter(byID(d.Key)).SetReplacement(d).SetUpsert(true))
	}
	if _, err := s.bulkWrite(ctx, s.indicators, models, true); err != nil {
		return fmt.Errorf("mongo: put indicators: %w", err)
	}
	return nil
}

// FindIndicator returns ENOTFOUND if the organisation has no row for the year.
func (s *Store) FindIndicator(ctx context.Context, orgID string, year int) (*app.Indicator, error) {
	var d indicatorDoc
	err := s.indicators.FindOne(ctx, byID(app.IndicatorKey(orgID, year))).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, notFound("indicator")
	}
	if err != nil {
		return nil, fmt.Errorf("mongo: find indicator: %w", err)
	}
	return &d.Indicator, nil
}

// ListIndicators returns rows in key order. A filter on the organisation's
// region, industry or tier is answered from the organisations first, so it
// follows their current values.
func (s *Store) ListIndicators(ctx context.Context, f app.IndicatorFilter, p app.Page) ([]*app.Indicator, error) {
	var conds []bson.D
	orgIDs := f.OrgIDs
	if f.Region != "" || f.Industry != "" || len(f.Tiers) > 0 {
		var docs []struct {
			ID string `bson:"_id"`
		}
		filter := and(orgConds(app.OrgFilter{IDs: f.OrgIDs, Region: f.Region, Industry: f.Industry, Tiers: f.Tiers}))
		if err := findAll(ctx, s.orgs, filter, &docs, options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}})); err != nil {
			return nil, fmt.Errorf("mongo: list indicators: %w", err)
		}
		orgIDs = make([]string, len(docs))
		for i, d := range docs {
			orgIDs[i] = d.ID
		}
		if len(orgIDs) == 0 {
			return []*app.Indicator{}, nil
		}
	}
	if len(orgIDs) > 0 {
		conds = append(conds, in("orgId", slices.Compact(slices.Sorted(slices.Values(orgIDs)))))
	}
	if f.Year != 0 {
		conds = append(conds, eq("year", f.Year))
	}
	if f.FromYear != 0 {
		conds = append(conds, cmp("year", "$gte", f.FromYear))
	}
	if f.ToYear != 0 {
		conds = append(conds, cmp("year", "$lte", f.ToYear))
	}
	if p.After != "" {
		conds = append(conds, cmp("_id", "$gt", p.After))
	}
	var docs []indicatorDoc
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(pageLimit(p))
	if err := findAll(ctx, s.indicators, and(conds), &docs, opts); err != nil {
		return nil, fmt.Errorf("mongo: list indicators: %w", err)
	}
	out := make([]*app.Indicator, len(docs))
	for i := range docs {
		out[i] = &docs[i].Indicator
	}
	return out, nil
}

// PutMembership creates or replaces an organisation's membership.
func (s *Store) PutMembership(ctx context.Context, m *app.Membership) error {
	have, err := s.existingOrgs(ctx, []string{m.OrgID})
	if err != nil {
		return err
	}
	if !have[m.OrgID] {
		return app.Invalid("orgId", app.FieldUnknown, "is not an existing organisation")
	}
	m.UpdatedAt = msTime(m.UpdatedAt)
	if _, err := s.memberships.ReplaceOne(ctx, byID(m.OrgID), m, options.Replace().SetUpsert(true)); err != nil {
		return fmt.Errorf("mongo: put membership: %w", err)
	}
	return nil
}

// FindMembership returns ENOTFOUND if the organisation is not a member.
func (s *Store) FindMembership(ctx context.Context, orgID string) (*app.Membership, error) {
	var m app.Membership
	err := s.memberships.FindOne(ctx, byID(orgID)).Decode(&m)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, notFound("membership")
	}
	if err != nil {
		return nil, fmt.Errorf("mongo: find membership: %w", err)
	}
	return &m, nil
}

// ListMemberships returns the memberships of these organisations (all for nil).
func (s *Store) ListMemberships(ctx context.Context, orgIDs []string) (map[string]*app.Membership, error) {
	filters := []bson.D{{}}
	if orgIDs != nil {
		filters = s.matchAny("_id", orgIDs)
	}
	want := map[string]bool{}
	for _, id := range orgIDs {
		want[id] = true
	}
	out := map[string]*app.Membership{}
	for _, filter := range filters {
		var ms []*app.Membership
		if err := findAll(ctx, s.memberships, filter, &ms); err != nil {
			return nil, fmt.Errorf("mongo: list memberships: %w", err)
		}
		for _, m := range ms {
			if orgIDs == nil || want[m.OrgID] {
				out[m.OrgID] = m
			}
		}
	}
	return out, nil
}

// deleteOrgCultivation removes an organisation's indicators and membership
// with it.
func (s *Store) deleteOrgCultivation(ctx context.Context, orgID string) error {
	if _, err := s.indicators.DeleteMany(ctx, eq("orgId", orgID)); err != nil {
		return fmt.Errorf("mongo: delete org indicators: %w", err)
	}
	if _, err := s.memberships.DeleteOne(ctx, byID(orgID)); err != nil {
		return fmt.Errorf("mongo: delete org membership: %w", err)
	}
	return nil
}

// FindOrgsByUSCC returns the organisations with these USCCs, keyed by USCC.
func (s *Store) FindOrgsByUSCC(ctx context.Context, usccs []string) (map[string]*app.Org, error) {
	want := make(map[string]bool, len(usccs))
	for _, u := range usccs {
		want[u] = u != ""
	}
	out := make(map[string]*app.Org, len(usccs))
	for _, filter := range s.matchAny("uscc", usccs) {
		var orgs []*app.Org
		if err := findAll(ctx, s.orgs, filter, &orgs); err != nil {
			return nil, fmt.Errorf("mongo: find orgs by uscc: %w", err)
		}
		for _, o := range orgs {
			if want[o.USCC] {
				out[o.USCC] = o
			}
		}
	}
	return out, nil
}
