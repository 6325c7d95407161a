package mongo

import (
	"context"
	"errors"
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/rongtong/rongtong/app"
)

// prepareListing readies a listing for writing with sequence number seq.
func prepareListing(l *app.Listing, seq int64) {
	if l.ID == "" {
		l.ID = app.NewID()
	}
	l.Seq = seq
	msTimePtr(&l.PublishedAt)
	l.CreatedAt = msTime(l.CreatedAt)
	l.UpdatedAt = msTime(l.UpdatedAt)
}

func listingValues(l *app.Listing) map[string]string {
	return map[string]string{"ref": l.Ref}
}

// CreateListing returns ECONFLICT (field ref) if the ref is taken.
func (s *Store) CreateListing(ctx context.Context, l *app.Listing) error {
	seq, err := s.nextSeqs(ctx, 1)
	if err != nil {
		return err
	}
	prepareListing(l, seq)
	if _, err := s.listings.InsertOne(ctx, l); err != nil {
		return s.writeError(ctx, s.listings, "create listing", l.ID, listingKeys, listingValues(l), err)
	}
	return nil
}

// FindListing returns ENOTFOUND if no listing has the ID.
func (s *Store) FindListing(ctx context.Context, id string) (*app.Listing, error) {
	if !app.ValidID(id) {
		return nil, notFound("listing")
	}
	var l app.Listing
	err := s.listings.FindOne(ctx, byID(id)).Decode(&l)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, notFound("listing")
	}
	if err != nil {
		return nil, fmt.Errorf("mongo: find listing: %w", err)
	}
	return &l, nil
}

// FindListingsByRef returns the listings with these refs, keyed by ref.
func (s *Store) FindListingsByRef(ctx context.Context, refs []string) (map[string]*app.Listing, error) {
	want := make(map[string]bool, len(refs))
	for _, r := range refs {
		want[r] = r != ""
	}
	out := make(map[string]*app.Listing, len(refs))
	for _, filter := range s.matchAny("ref", refs) {
		var ls []*app.Listing
		if err := findAll(ctx, s.listings, filter, &ls); err != nil {
			return nil, fmt.Errorf("mongo: find listings by ref: %w", err)
		}
		for _, l := range ls {
			if want[l.Ref] {
				out[l.Ref] = l
			}
		}
	}
	return out, nil
}

// UpdateListing replaces a listing; ENOTFOUND if missing, ECONFLICT if the ref is taken.
func (s *Store) UpdateListing(ctx context.Context, l *app.Listing) error {
	if !app.ValidID(l.ID) {
		return notFound("listing")
	}
	seq, err := s.nextSeqs(ctx, 1)
	if err != nil {
		return err
	}
	prepareListing(l, seq)
	res, err := s.listings.ReplaceOne(ctx, byID(l.ID), l)
	if err != nil {
		return s.writeError(ctx, s.listings, "update listing", l.ID, listingKeys, listingValues(l), err)
	}
	if res.MatchedCount == 0 {
		return notFound("listing")
	}
	return nil
}

// DeleteListing returns ENOTFOUND if missing.
func (s *Store) DeleteListing(ctx context.Context, id string) error {
	if !app.ValidID(id) {
		return notFound("listing")
	}
	res, err := s.listings.DeleteOne(ctx, byID(id))
	if err != nil {
		return fmt.Errorf("mongo: delete listing: %w", err)
	}
	if res.DeletedCount == 0 {
		return notFound("listing")
	}
	seq, err := s.nextSeqs(ctx, 1)
	if err != nil {
		return err
	}
	return s.writeTombstones(ctx, entityListing, []string{id}, seq)
}

// listingConds turns a filter into query conditions.
func listingConds(f app.ListingFilter) []bson.D {
	var c []bson.D
	if len(f.IDs) > 0 {
		c = append(c, in("_id", f.IDs))
	}
	if f.Ref != "" {
		c = append(c, eq("ref", f.Ref))
	}
	if len(f.Kinds) > 0 {
		c = append(c, in("kind", f.Kinds))
	}
	if f.OrgID != "" {
		c = append(c, eq("orgId", f.OrgID))
	}
	if f.Industry != "" {
		c = append(c, eq("industryKeys", f.Industry))
	}
	if f.Region != "" {
		c = append(c, eq("regionKeys", f.Region))
	}
	if len(f.Tiers) > 0 {
		c = append(c, in("owner.tier", f.Tiers))
	}
	if len(f.Statuses) > 0 {
		c = append(c, in("status", f.Statuses))
	}
	if v := f.VisibleTo; v != nil {
		public := bson.D{{Key: "owner.verified", Value: true}, {Key: "status", Value: app.StatusPublished}}
		if v.OrgID == "" {
			c = append(c, public)
		} else {
			c = append(c, bson.D{{Key: "$or", Value: bson.A{public, eq("orgId", v.OrgID)}}})
		}
	}
	return c
}

// ListListings returns listings in ID order.
func (s *Store) ListListings(ctx context.Context, f app.ListingFilter, p app.Page) ([]*app.Listing, error) {
	conds := listingConds(f)
	if p.After != "" {
		conds = append(conds, cmp("_id", "$gt", p.After))
	}
	out := []*app.Listing{}
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}).SetLimit(pageLimit(p))
	if err := findAll(ctx, s.listings, and(conds), &out, opts); err != nil {
		return nil, fmt.Errorf("mongo: list listings: %w", err)
	}
	return out, nil
}

// CountListings counts the listings a filter selects.
func (s *Store) CountListings(ctx context.Context, f app.ListingFilter) (int, error) {
	n, err := s.listings.CountDocuments(ctx, and(listingConds(f)))
	if err != nil {
		return 0, fmt.Errorf("mongo: count listings: %w", err)
	}
	return int(n), nil
}
