package mongo

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/rongtong/rongtong/app"
)

// prepareOrg readies an organisation for writing with sequence number seq.
func prepareOrg(o *app.Org, seq int64) {
	if o.ID == "" {
		o.ID = app.NewID()
	}
	o.Seq = seq
	msTimePtr(&o.VerifiedAt)
	o.CreatedAt = msTime(o.CreatedAt)
	o.UpdatedAt = msTime(o.UpdatedAt)
}

func orgValues(o *app.Org) map[string]string {
	return map[string]string{"ref": o.Ref, "uscc": o.USCC}
}

// CreateOrg returns ECONFLICT (field ref or uscc) if either is taken.
func (s *Store) CreateOrg(ctx context.Context, o *app.Org) error {
	seq, err := s.nextSeqs(ctx, 1)
	if err != nil {
		return err
	}
	prepareOrg(o, seq)
	if _, err := s.orgs.InsertOne(ctx, o); err != nil {
		return s.writeError(ctx, s.orgs, "create org", o.ID, orgKeys, orgValues(o), err)
	}
	return nil
}

// FindOrg returns ENOTFOUND if no organisation has the ID.
func (s *Store) FindOrg(ctx context.Context, id string) (*app.Org, error) {
	if !app.ValidID(id) {
		return nil, notFound("organisation")
	}
	return s.findOrg(ctx, byID(id))
}

// FindOrgByRef returns ENOTFOUND if no organisation has the ref.
func (s *Store) FindOrgByRef(ctx context.Context, ref string) (*app.Org, error) {
	if ref == "" {
		return nil, notFound("organisation")
	}
	return s.findOrg(ctx, eq("ref", ref))
}

func (s *Store) findOrg(ctx context.Context, filter bson.D) (*app.Org, error) {
	var o app.Org
	err := s.orgs.FindOne(ctx, filter).Decode(&o)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, notFound("organisation")
	}
	if err != nil {
		return nil, fmt.Errorf("mongo: find org: %w", err)
	}
	return &o, nil
}

// FindOrgsByRef returns the organisations with these refs, keyed by ref.
func (s *Store) FindOrgsByRef(ctx context.Context, refs []string) (map[string]*app.Org, error) {
	want := make(map[string]bool, len(refs))
	for _, r := range refs {
		want[r] = r != ""
	}
	out := make(map[string]*app.Org, len(refs))
	for _, filter := range s.matchAny("ref", refs) {
		var orgs []*app.Org
		if err := findAll(ctx, s.orgs, filter, &orgs); err != nil {
			return nil, fmt.Errorf("mongo: find orgs by ref: %w", err)
		}
		for _, o := range orgs {
			if want[o.Ref] {
				out[o.Ref] = o
			}
		}
	}
	return out, nil
}

// UpdateOrg replaces an organisation and refreshes the owner summary on its
// listings; ENOTFOUND if missing, ECONFLICT if ref or uscc is taken.
func (s *Store) UpdateOrg(ctx context.Context, o *app.Org) error {
	if !app.ValidID(o.ID) {
		return notFound("organisation")
	}
	seq, err := s.nextSeqs(ctx, 1)
	if err != nil {
		return err
	}
	prepareOrg(o, seq)
	res, err := s.orgs.ReplaceOne(ctx, byID(o.ID), o)
	if err != nil {
		return s.writeError(ctx, s.orgs, "update org", o.ID, orgKeys, orgValues(o), err)
	}
	if res.MatchedCount == 0 {
		return notFound("organisation")
	}
	return s.refreshOwners(ctx, map[string]*app.Org{o.ID: o}, nil)
}

// refreshRounds bounds how often refreshOwners retries listings that changed
// under it.
const refreshRounds = 5

// refreshOwners copies each organisation's summary onto its listings, except
// those in skip, giving each rewritten listing a new sequence number. A
// listing is replaced only if its sequence number is still the one read, so a
// concurrent UpdateListing is not lost: such listings are read again.
func (s *Store) refreshOwners(ctx context.Context, orgs map[string]*app.Org, skip map[string]bool) error {
	if len(orgs) == 0 {
		return nil
	}
	ids := make([]string, 0, len(orgs))
	for id := range orgs {
		ids = append(ids, id)
	}
	for round := 0; ; round++ {
		ls, err := s.ownedListings(ctx, orgs, ids, skip)
		if err != nil {
			return fmt.Errorf("mongo: refresh listing owners: %w", err)
		}
		var stale []*app.Listing
		for _, l := range ls {
			o := orgs[l.OrgID]
			oldKeys := [2][]string{l.IndustryKeys, l.RegionKeys}
			oldOwner := l.Owner
			l.SetOwner(o)
			if l.Owner != oldOwner || !reflect.DeepEqual(oldKeys, [2][]string{l.IndustryKeys, l.RegionKeys}) {
				stale = append(stale, l)
			}
		}
		if len(stale) == 0 {
			return nil
		}
		if round == refreshRounds {
			return fmt.Errorf("mongo: refresh listing owners: %d listings kept changing", len(stale))
		}
		first, err := s.nextSeqs(ctx, len(stale))
		if err != nil {
			return err
		}
		models := make([]mongo.WriteModel, len(stale))
		for i, l := range stale {
			filter := bson.D{{Key: "_id", Value: l.ID}, {Key: "seq", Value: l.Seq}}
			l.Seq = first + int64(i)
			models[i] = mongo.NewReplaceOneModel().SetFilter(filter).SetReplacement(l)
		}
		matched, err := s.bulkWrite(ctx, s.listings, models, true)
		if err != nil {
			return fmt.Errorf("mongo: refresh listing owners: %w", err)
		}
		if matched == int64(len(stale)) {
			return nil
		}
	}
}

// ownedListings returns the listings of the organisations with these IDs
// (the keys of orgs), except those in skip.
func (s *Store) ownedListings(ctx context.Context, orgs map[string]*app.Org, ids []string, skip map[string]bool) ([]*app.Listing, error) {
	filter, ok := anyOf(s.matchAny("orgId", ids))
	if !ok {
		return nil, nil
	}
	if len(skip) > 0 {
		// A batch usually holds most of its organisations' listings: read
		// their IDs first and whole documents only for the others.
		var refs []struct {
			ID    string `bson:"_id"`
			OrgID string `bson:"orgId"`
		}
		proj := options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}, {Key: "orgId", Value: 1}})
		if err := findAll(ctx, s.listings, filter, &refs, proj); err != nil {
			return nil, err
		}
		var want []string
		for _, r := range refs {
			if orgs[r.OrgID] != nil && !skip[r.ID] {
				want = append(want, r.ID)
			}
		}
		if filter, ok = anyOf(s.matchAny("_id", want)); !ok {
			return nil, nil
		}
	}
	var all []*app.Listing
	if err := findAll(ctx, s.listings, filter, &all); err != nil {
		return nil, err
	}
	ls := all[:0]
	for _, l := range all {
		if orgs[l.OrgID] != nil && !skip[l.ID] {
			ls = append(ls, l)
		}
	}
	return ls, nil
}

// DeleteOrg deletes an organisation with its listings; ENOTFOUND if missing.
// Listings go first, so no listing is ever left without its organisation;
// each deletion leaves a tombstone in the update sequence.
func (s *Store) DeleteOrg(ctx context.Context, id string) error {
	if !app.ValidID(id) {
		return notFound("organisation")
	}
	n, err := s.orgs.CountDocuments(ctx, byID(id), options.Count().SetLimit(1))
	if err != nil {
		return fmt.Errorf("mongo: delete org: %w", err)
	}
	if n == 0 {
		return notFound("organisation")
	}
	if err := s.deleteOrgListings(ctx, id); err != nil {
		return err
	}
	res, err := s.orgs.DeleteOne(ctx, byID(id))
	if err != nil {
		return fmt.Errorf("mongo: delete org: %w", err)
	}
	if res.DeletedCount == 0 {
		return notFound("organisation")
	}
	seq, err := s.nextSeqs(ctx, 1)
	if err != nil {
		return err
	}
	if err := s.writeTombstones(ctx, entityOrg, []string{id}, seq); err != nil {
		return err
	}
	if err := s.deleteOrgCultivation(ctx, id); err != nil {
		return err
	}
	// A listing created while the organisation was being deleted.
	return s.deleteOrgListings(ctx, id)
}

func (s *Store) deleteOrgListings(ctx context.Context, orgID string) error {
	var docs []struct {
		ID string `bson:"_id"`
	}
	opts := options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}).SetSort(bson.D{{Key: "_id", Value: 1}})
	if err := findAll(ctx, s.listings, eq("orgId", orgID), &docs, opts); err != nil {
		return fmt.Errorf("mongo: delete org listings: %w", err)
	}
	if len(docs) == 0 {
		return nil
	}
	ids := make([]string, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	if filter, ok := anyOf(s.matchExact("_id", ids)); ok {
		if _, err := s.listings.DeleteMany(ctx, filter); err != nil {
			return fmt.Errorf("mongo: delete org listings: %w", err)
		}
	}
	first, err := s.nextSeqs(ctx, len(ids))
	if err != nil {
		return err
	}
	return s.writeTombstones(ctx, entityListing, ids, first)
}

// orgConds turns a filter into query conditions.
func orgConds(f app.OrgFilter) []bson.D {
	var c []bson.D
	if len(f.IDs) > 0 {
		c = append(c, in("_id", f.IDs))
	}
	if f.Ref != "" {
		c = append(c, eq("ref", f.Ref))
	}
	if f.Type != "" {
		c = append(c, eq("orgType", f.Type))
	}
	if f.Region != "" {
		c = append(c, eq("regionKeys", f.Region))
	}
	if f.Industry != "" {
		c = append(c, eq("industryKeys", f.Industry))
	}
	if len(f.Tiers) > 0 {
		c = append(c, in("tier", f.Tiers))
	}
	if f.Verified != nil {
		c = append(c, eq("verified", *f.Verified))
	}
	if v := f.VisibleTo; v != nil {
		if v.OrgID == "" {
			c = append(c, eq("verified", true))
		} else {
			c = append(c, bson.D{{Key: "$or", Value: bson.A{eq("verified", true), eq("_id", v.OrgID)}}})
		}
	}
	return c
}

// ListOrgs returns organisations in ID order.
func (s *Store) ListOrgs(ctx context.Context, f app.OrgFilter, p app.Page) ([]*app.Org, error) {
	conds := orgConds(f)
	if p.After != "" {
		conds = append(conds, cmp("_id", "$gt", p.After))
	}
	out := []*app.Org{}
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(pageLimit(p))
	if err := findAll(ctx, s.orgs, and(conds), &out, opts); err != nil {
		return nil, fmt.Errorf("mongo: list orgs: %w", err)
	}
	return out, nil
}

// CountOrgs counts the organisations a filter selects.
func (s *Store) CountOrgs(ctx context.Context, f app.OrgFilter) (int, error) {
	n, err := s.orgs.CountDocuments(ctx, and(orgConds(f)))
	if err != nil {
		return 0, fmt.Errorf("mongo: count orgs: %w", err)
	}
	return int(n), nil
}
