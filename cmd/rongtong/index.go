package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/search"
)

// openIndex opens the search index in the data dir. An index of another
// version is rebuilt from the store in the background while the old one
// answers.
func openIndex(c Config, st app.Store, log *slog.Logger) (*search.Index, error) {
	return search.Open(filepath.Join(c.DataDir, "index"), search.Options{
		OrgExtras: search.StoreExtras(st),
		Source:    search.StoreSource(st),
		Logger:    log,
	})
}

// followStore keeps the index in step with the store until ctx ends: a new
// index is first built from the store, then the follower applies the store's
// changes, healing any write the index missed.
func followStore(ctx context.Context, st app.Store, ix *search.Index, f *search.Follower, log *slog.Logger) {
	seq, err := ix.Seq(ctx)
	if err != nil {
		log.Error("search: read index seq", "err", err)
		return
	}
	if seq == 0 && !ix.NeedsRebuild() {
		last, err := st.LastSeq(ctx)
		if err != nil {
			log.Error("search: read store seq", "err", err)
		} else if last > 0 {
			log.Info("search: building the index from the store")
			if err := ix.Rebuild(ctx, search.StoreSource(st)); err != nil && ctx.Err() == nil {
				log.Error("search: build", "err", err)
			}
		}
	}
	f.Run(ctx)
}

// indexer is the app.Indexer the use cases write through: the index itself,
// then a nudge to the follower so owner documents follow their listings.
type indexer struct {
	ix *search.Index
	f  *search.Follower
}

func (i indexer) IndexOrg(ctx context.Context, o *app.Org) error {
	defer i.f.Notify()
	return i.ix.IndexOrg(ctx, o)
}

func (i indexer) IndexListings(ctx context.Context, ls []*app.Listing) error {
	defer i.f.Notify()
	return i.ix.IndexListings(ctx, ls)
}

func (i indexer) Delete(ctx context.Context, entity, id string) error {
	defer i.f.Notify()
	return i.ix.Delete(ctx, entity, id)
}

func cmdReindex(ctx context.Context, args []string, stdout io.Writer, getenv func(string) string) error {
	fs, cfgPath := newFlags("reindex")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, err := LoadConfig(*cfgPath, getenv)
	if err != nil {
		return err
	}
	svc, done, err := offline(ctx, *cfgPath, getenv, true)
	if err != nil {
		return err
	}
	defer done()
	ix, err := search.Open(filepath.Join(c.DataDir, "index"), search.Options{OrgExtras: search.StoreExtras(svc.Store), Logger: svc.Log})
	if err != nil {
		return err
	}
	start := time.Now()
	if err := ix.Rebuild(ctx, search.StoreSource(svc.Store)); err != nil {
		ix.Close()
		return err
	}
	seq, err := ix.Seq(ctx)
	if err != nil {
		ix.Close()
		return err
	}
	fmt.Fprintf(stdout, "rebuilt the search index up to store sequence %d in %s\n", seq, time.Since(start).Round(time.Millisecond))
	return ix.Close()
}
