package search

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/search/benchdata"
	"github.com/rongtong/rongtong/store/sqlite"
)

// Benchmarks on generated data (docs/benchmarks.md, section Search, has the
// numbers and the commands):
//
//	go test ./search -run '^$' -bench BenchmarkSearch -benchtime 2000x
//	go test ./search -run '^$' -bench BenchmarkIndexBuild -benchtime 1x
//
// Both run on 20,000 organisations and 100,000 listings made by package
// benchdata (RONGTONG_BENCH_LISTINGS changes the listing count; there are a
// fifth as many organisations), imported through app.Service into a SQLite
// store. The store and the index built from it are kept between runs in the
// temporary directory, keyed by the data version and size
// (rongtong-bench-…); the index is rebuilt when the index version changes.
// The first run takes a few minutes to make them.
//
// BenchmarkSearch reports p50 and p99 latency of 1–4 word queries through
// app.Service.Search as an anonymous caller (as GET /api/v1/search runs
// them: default facets, 20 hits, highlights), and of the same queries as a
// bare bleve match query on the searched field (text) with the same
// facets, so the cost of the query understanding and ranking above bleve is
// visible. BenchmarkIndexBuild reports records indexed per second by a full
// rebuild from the store, as serve runs it.

// benchQueries is how many distinct queries of each length are run.
const benchQueries = 50

// benchEnv is the benchmark data: a store, an index built from it, the
// service that searches it and the queries.
type benchEnv struct {
	dir     string
	st      *sqlite.Store
	ix      *Index
	svc     *app.Service
	records int
	queries map[int][]string
}

var bench struct {
	once sync.Once
	env  *benchEnv
	err  error
}

func benchSize() (orgs, listings int) {
	listings = benchdata.DefaultListings
	if n, err := strconv.Atoi(os.Getenv("RONGTONG_BENCH_LISTINGS")); err == nil && n > 0 {
		listings = n
	}
	return max(listings/5, 5), listings
}

// MustBenchEnv returns the benchmark data, making what is not cached.
func MustBenchEnv(tb testing.TB) *benchEnv {
	tb.Helper()
	bench.once.Do(func() { bench.env, bench.err = openBenchEnv() })
	if bench.err != nil {
		tb.Fatal(bench.err)
	}
	return bench.env
}

func openBenchEnv() (*benchEnv, error) {
	ctx := context.Background()
	orgs, listings := benchSize()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("rongtong-bench-%s-%d-%d", benchdata.Version, orgs, listings))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	env := &benchEnv{dir: dir}
	dataPath := filepath.Join(dir, "data.jsonl")
	storeDone := filepath.Join(dir, "store.done")
	if _, err := os.Stat(storeDone); err != nil {
		// Make the data set and import it, as `rongtong import` does.
		start := time.Now()
		var buf bytes.Buffer
		c, err := benchdata.Write(&buf, benchdata.Options{Seed: 1, Orgs: orgs, Listings: listings})
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(dataPath, buf.Bytes(), 0o644); err != nil {
			return nil, err
		}
		os.RemoveAll(filepath.Join(dir, "store"))
		os.RemoveAll(filepath.Join(dir, "index"))
		st, err := sqlite.Open(ctx, filepath.Join(dir, "store", "rongtong.db"))
		if err != nil {
			return nil, err
		}
		run, err := app.NewService(st, nil, nil).Import(ctx, app.SystemActor(), &buf, "bench")
		if err != nil {
			st.Close()
			return nil, err
		}
		if err := st.Close(); err != nil {
			return nil, err
		}
		if run.Counts.Failed > 0 {
			return nil, fmt.Errorf("bench data: %d lines failed to import: %+v", run.Counts.Failed, run.Errors[:min(5, len(run.Errors))])
		}
		if err := os.WriteFile(storeDone, nil, 0o644); err != nil {
			return nil, err
		}
		fmt.Fprintf(os.Stderr, "bench: %d organisations and %d listings imported in %v\n", c.Orgs, c.Listings,
			time.Since(start).Round(time.Millisecond))
	}
	data, err := os.ReadFile(dataPath)
	if err != nil {
		return nil, err
	}
	env.records = bytes.Count(data, []byte("\n"))
	if env.queries, err = benchdata.Queries(bytes.NewReader(data), benchQueries); err != nil {
		return nil, err
	}
	if env.st, err = sqlite.Open(ctx, filepath.Join(dir, "store", "rongtong.db")); err != nil {
		return nil, err
	}
	env.ix, err = Open(filepath.Join(dir, "index"), Options{OrgExtras: StoreExtras(env.st)})
	if err != nil {
		env.st.Close()
		return nil, err
	}
	seq, err := env.ix.Seq(ctx)
	if err != nil {
		return nil, err
	}
	if seq == 0 || env.ix.NeedsRebuild() {
		segmenter()
		start := time.Now()
		if err := env.ix.Rebuild(ctx, StoreSource(env.st)); err != nil {
			return nil, err
		}
		took := time.Since(start)
		fmt.Fprintf(os.Stderr, "bench: index of %d records built in %v (%.0f records/s)\n", env.records,
			took.Round(time.Millisecond), float64(env.records)/took.Seconds())
	}
	env.svc = app.NewService(env.st, nil, nil)
	env.svc.Searcher = env.ix
	return env, nil
}

func (env *benchEnv) close() {
	if env == nil {
		return
	}
	env.ix.Close()
	env.st.Close()
}

// TestMain closes the benchmark data; the files stay for the next run.
func TestMain(m *testing.M) {
	code := m.Run()
	bench.env.close()
	os.Exit(code)
}

// cpuTime returns the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportLatency reports the p50 and p99 of lat, and the CPU time per
// operation since cpu0 (the whole process's, garbage collection included:
// on a loaded machine it says more than wall-clock times, and 2 cores
// divided by it bounds the searches per second).
func reportLatency(b *testing.B, lat []time.Duration, cpu0 time.Duration) {
	if len(lat) == 0 {
		return
	}
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/1e6/float64(len(lat)), "cpu-ms/op")
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	ms := func(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }
	b.ReportMetric(ms(lat[len(lat)/2]), "p50-ms")
	b.ReportMetric(ms(lat[min(len(lat)-1, len(lat)*99/100)]), "p99-ms")
}

func BenchmarkSearch(b *testing.B) {
	env := MustBenchEnv(b)
	ctx := context.Background()
	for n := 1; n <= 4; n++ {
		qs := env.queries[n]
		b.Run(fmt.Sprintf("api/terms=%d", n), func(b *testing.B) {
			lat := make([]time.Duration, 0, b.N)
			var hits uint64
			cpu0 := cpuTime()
			for i := 0; b.Loop(); i++ {
				start := time.Now()
				res, err := env.svc.Search(ctx, nil, app.SearchQuery{Text: qs[i%len(qs)]})
				if err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
				hits += res.Total
			}
			reportLatency(b, lat, cpu0)
			b.ReportMetric(float64(hits)/float64(len(lat)), "matches/op")
		})
		b.Run(fmt.Sprintf("bleve/terms=%d", n), func(b *testing.B) {
			gen, err := env.ix.acquire()
			if err != nil {
				b.Fatal(err)
			}
			defer env.ix.mu.RUnlock()
			lat := make([]time.Duration, 0, b.N)
			var hits uint64
			cpu0 := cpuTime()
			for i := 0; b.Loop(); i++ {
				start := time.Now()
				res, err := gen.bi.SearchInContext(ctx, bareRequest(qs[i%len(qs)]))
				if err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
				hits += res.Total
			}
			reportLatency(b, lat, cpu0)
			b.ReportMetric(float64(hits)/float64(len(lat)), "matches/op")
		})
	}
}

// bareRequest is text as a plain bleve search: a match query (the field's
// analyzer, any word) on the searched field, the default facets counted by
// bleve, and 20 hits with no stored fields or highlights.
func bareRequest(text string) *bleve.SearchRequest {
	m := bleve.NewMatchQuery(text)
	m.SetField(fText)
	req := bleve.NewSearchRequestOptions(m, 20, 0, false)
	for _, name := range DefaultFacets {
		req.AddFacet(name, bleve.NewFacetRequest(facetFields[name], facetSize))
	}
	return req
}

func BenchmarkIndexBuild(b *testing.B) {
	env := MustBenchEnv(b)
	segmenter() // the dictionary load is not part of a build
	for b.Loop() {
		b.StopTimer()
		dir := b.TempDir()
		ix, err := Open(dir, Options{OrgExtras: StoreExtras(env.st)})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start, cpu0 := time.Now(), cpuTime()
		if err := ix.Rebuild(context.Background(), StoreSource(env.st)); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(env.records)/time.Since(start).Seconds(), "records/s")
		b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/float64(env.records), "cpu-µs/record")
		b.StopTimer()
		if err := ix.Close(); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
	}
}
