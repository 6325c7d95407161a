package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/frontend"
	"github.com/rongtong/rongtong/handlers"
	"github.com/rongtong/rongtong/matching"
	"github.com/rongtong/rongtong/search"
)

func cmdServe(ctx context.Context, args []string, getenv func(string) string) error {
	fs, cfgPath := newFlags("serve")
	demoIfEmpty := fs.Bool("demo-if-empty", false, "load the demo data set and accounts when the store is empty (in the background, after the server starts)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	c, err := LoadConfig(*cfgPath, getenv)
	if err != nil {
		return err
	}
	log, logs := newBufferedLogger(c, os.Stderr)
	defer logs.Close()
	tuneGC(c.MemoryLimitMiB, getenv, log)
	lock, err := lockDataDir(c.DataDir)
	if err != nil {
		return err
	}
	defer lock.Release()
	secret, err := jwtSecret(c)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, c)
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	defer func() {
		if err := store.Close(); err != nil {
			log.Error("close store", "err", err)
		}
	}()
	ix, err := openIndex(c, store, log)
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	defer func() {
		if err := ix.Close(); err != nil {
			log.Error("close index", "err", err)
		}
	}()
	follower := search.NewFollower(store, ix, log)
	if c.MongoDBURI != "" {
		follower.Lookback = 64
	}
	bg, stopBG := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		followStore(bg, store, ix, follower, log)
	}()
	defer func() { stopBG(); <-done }()

	svc := app.NewService(store, indexer{ix, follower}, log)
	svc.Searcher = ix
	mcfg, err := loadMatchingConfig(c)
	if err != nil {
		return err
	}
	eng := matching.New(store, ix, mcfg)
	svc.Matcher = eng
	svc.Pairings = svc.PairingFigures()
	stopPairing := startPairing(bg, c, svc, eng, log)
	defer stopPairing()
	if svc.Cultivation, err = loadCultivation(c); err != nil {
		return err
	}
	// seeding is set while the demo loads; /readyz fails until it is done.
	var seeding atomic.Bool
	seeding.Store(*demoIfEmpty)
	svc.Config.RefreshTTL = c.RefreshTTL.D()
	srv := handlers.New(handlers.Options{
		Service:   svc,
		JWTSecret: secret,
		AccessTTL: c.AccessTTL.D(),
		BodyLimit: c.BodyLimitMiB << 20,
		Logger:    log,
		Ready: func(ctx context.Context) error {
			if seeding.Load() {
				return app.Errorf(app.EUNAVAILABLE, "loading the demo data")
			}
			return store.Ping(ctx)
		},
		Static: frontend.Dist(),
	})
	stopDebug, err := startDebug(c.DebugAddr, log)
	if err != nil {
		return fmt.Errorf("debug listener: %w", err)
	}
	defer stopDebug()
	errc := make(chan error, 1)
	go func() { errc <- srv.Listen(c.Addr) }()
	log.Info("rongtong serving", "addr", c.Addr, "store", storeName(c), "version", version)
	if *demoIfEmpty {
		go func() {
			defer seeding.Store(false)
			var out strings.Builder
			seeded, err := seedDemo(bg, svc, 1200, true, &out)
			switch {
			case err != nil:
				log.Error("demo seed", "err", err)
			case seeded:
				log.Info("demo data loaded", "report", out.String())
			}
		}()
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", c.ShutdownTimeout.D().String())
	start := time.Now()
	if err := srv.ShutdownWithTimeout(c.ShutdownTimeout.D()); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		log.Error("shutdown", "err", err)
	}
	log.Info("stopped", "took", time.Since(start).String())
	return nil
}

func storeName(c Config) string {
	if c.MongoDBURI != "" {
		return "mongodb"
	}
	return "sqlite"
}
