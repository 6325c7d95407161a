package main

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"runtime/debug"
	"time"
)

// startDebug serves Go's profiler (/debug/pprof/) on addr, a listener of
// its own apart from the API so that it is never exposed with it; an empty
// addr serves nothing. Operators set RONGTONG_DEBUG_ADDR to a loopback
// address to profile a running server. The returned function stops it.
func startDebug(addr string, log *slog.Logger) (func(), error) {
	if addr == "" {
		return func() {}, nil
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("debug listener", "err", err)
		}
	}()
	log.Info("profiler listening", "addr", l.Addr().String())
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}, nil
}

// gcPercent is the collector's GOGC under a memory limit: the heap may grow
// to five times what is live before a collection, the limit permitting.
const gcPercent = 400

// tuneGC sets how the server's heap is collected. Most of a long-running
// server's live heap is the index's tables and the segmenter's dictionary,
// which every collection scans again; each search allocates a few hundred
// KiB that die with it. Under Go's default (a collection whenever the heap
// doubles) that is a collection every few hundred searches. With a soft
// memory limit the heap may grow to gcPercent more than what is live, up
// to the limit, and collections come several times less often. GOGC and
// GOMEMLIMIT in the environment, as Go reads them, take precedence.
func tuneGC(limitMiB int, getenv func(string) string, log *slog.Logger) {
	if limitMiB <= 0 {
		return
	}
	if getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(int64(limitMiB) << 20)
	}
	if getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	log.Debug("garbage collection", "memory_limit_mib", limitMiB, "gc_percent", gcPercent)
}
