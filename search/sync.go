package search

import (
	"context"
	"log/slog"
	"time"

	"github.com/rongtong/rongtong/app"
)

// StoreSource returns a Source that writes every organisation and listing of
// a store into an index, for Rebuild.
func StoreSource(st app.Store) Source {
	return func(ctx context.Context, w Writer) error {
		seq, err := st.LastSeq(ctx)
		if err != nil {
			return err
		}
		if err := w.SetSeq(ctx, seq); err != nil {
			return err
		}
		p := app.Page{Limit: app.MaxPageLimit}
		for {
			orgs, err := st.ListOrgs(ctx, app.OrgFilter{}, p)
			if err != nil {
				return err
			}
			for _, o := range orgs {
				if err := w.IndexOrg(ctx, o); err != nil {
					return err
				}
			}
			if len(orgs) < p.Limit {
				break
			}
			p.After = orgs[len(orgs)-1].ID
		}
		p = app.Page{Limit: app.MaxPageLimit}
		for {
			ls, err := st.ListListings(ctx, app.ListingFilter{}, p)
			if err != nil {
				return err
			}
			if err := w.IndexListings(ctx, ls); err != nil {
				return err
			}
			if len(ls) < p.Limit {
				return nil
			}
			p.After = ls[len(ls)-1].ID
		}
	}
}

// StoreExtras returns an OrgExtras that reads an organisation's listings
// from the store.
func StoreExtras(st app.Store) func(ctx context.Context, o *app.Org) ([]*app.Listing, error) {
	return func(ctx context.Context, o *app.Org) ([]*app.Listing, error) {
		return st.ListListings(ctx, app.ListingFilter{OrgID: o.ID, Statuses: []app.Status{app.StatusPublished}}, app.Page{Limit: app.MaxPageLimit})
	}
}

// Follower keeps an index in step with a store by applying the store's
// update sequence (app.Store.Changes). The use cases index each write
// directly after the store commits; the follower catches what they could
// not: a crash between the two writes, a write by another process or node,
// and the owner documents whose text includes a changed listing.
type Follower struct {
	Store app.Store
	Index *Index
	Log   *slog.Logger
	// Every is how often it polls; Notify wakes it sooner.
	Every time.Duration
	// Lookback re-reads this many sequence numbers behind the index's
	// position. Stores without transactions (MongoDB) reserve a number before
	// the write lands, so a later number can become visible first; re-reading
	// a short window catches the earlier one. Re-applying a change is harmless.
	Lookback int64
	wake     chan struct{}
}

// NewFollower returns a follower polling every second.
func NewFollower(st app.Store, ix *Index, log *slog.Logger) *Follower {
	if log == nil {
		log = slog.Default()
	}
	return &Follower{Store: st, Index: ix, Log: log, Every: time.Second, wake: make(chan struct{}, 1)}
}

// Notify asks the follower to catch up now.
func (f *Follower) Notify() {
	select {
	case f.wake <- struct{}{}:
	default:
	}
}

// Run catches up until ctx ends.
func (f *Follower) Run(ctx context.Context) {
	t := time.NewTicker(f.Every)
	defer t.Stop()
	for {
		if _, err := f.CatchUp(ctx); err != nil && ctx.Err() == nil {
			f.Log.Error("search: catching up with the store", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-f.wake:
		}
	}
}

// CatchUp applies every change after the index's recorded sequence number
// and returns how many it applied. Call it at start-up, before serving, to
// heal a crash between a store write and its index write.
func (f *Follower) CatchUp(ctx context.Context) (int, error) {
	applied := 0
	for {
		at, err := f.Index.Seq(ctx)
		if err != nil {
			return applied, err
		}
		from := max(at-f.Lookback, 0)
		changes, err := f.Store.Changes(ctx, from, 500)
		if err != nil || len(changes) == 0 {
			return applied, err
		}
		if err := f.apply(ctx, changes); err != nil {
			return applied, err
		}
		last := changes[len(changes)-1].Seq
		if last <= at {
			return applied, nil // only the look-back window: caught up
		}
		if err := f.Index.SetSeq(ctx, last); err != nil {
			return applied, err
		}
		applied += len(changes)
	}
}

func (f *Follower) apply(ctx context.Context, changes []app.Change) error {
	owners := map[string]bool{}
	var listings []*app.Listing
	for _, c := range changes {
		switch c.Entity {
		case EntityOrg:
			if c.Deleted {
				if err := f.Index.Delete(ctx, EntityOrg, c.ID); err != nil {
					return err
				}
				continue
			}
			owners[c.ID] = true
		case EntityListing:
			if c.Deleted {
				if err := f.Index.Delete(ctx, EntityListing, c.ID); err != nil {
					return err
				}
				continue
			}
			l, err := f.Store.FindListing(ctx, c.ID)
			if app.ErrorCode(err) == app.ENOTFOUND {
				continue // deleted since; its tombstone follows
			} else if err != nil {
				return err
			}
			listings = append(listings, l)
			owners[l.OrgID] = true
		}
	}
	if len(listings) > 0 {
		if err := f.Index.IndexListings(ctx, listings); err != nil {
			return err
		}
	}
	for id := range owners {
		o, err := f.Store.FindOrg(ctx, id)
		if app.ErrorCode(err) == app.ENOTFOUND {
			continue
		} else if err != nil {
			return err
		}
		if err := f.Index.IndexOrg(ctx, o); err != nil {
			return err
		}
	}
	return nil
}
