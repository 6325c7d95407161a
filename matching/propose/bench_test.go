package propose

import (
	"context"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/matching"
	"github.com/rongtong/rongtong/matching/benchdata"
)

// Benchmarks (docs/benchmarks.md, section Batch proposals, has the numbers):
//
//	go test ./matching/propose -run '^$' -bench . -benchtime 1x
//
// BenchmarkProposeJob runs the whole job (Run) over 1,000 open
// supply-chain needs and 100,000 SMEs with 200,000 capabilities, the data
// set of the matching benchmarks (package benchdata, with 800 needs more;
// RONGTONG_BENCH_SMES changes the SME count), with the default options: 50
// candidates per need, 5 proposals per need, 10 per SME and week. The
// cold run starts a new engine each time, so its time includes loading the
// engine's SME catalog from the store, as `rongtong propose` does; the warm
// run reuses an engine whose catalog is loaded, as a job inside a running
// server would. As in
// BenchmarkNeedToSMEs there is no search index (text relevance is off);
// with one, a search per need adds its latency.
//
// BenchmarkSolve solves a b-matching of the job's size alone: 1,000
// records with 50 candidates each among 100,000 organisations, a few of
// them candidates of nearly every record.
func BenchmarkProposeJob(b *testing.B) {
	smes := 100_000
	if v, err := strconv.Atoi(os.Getenv("RONGTONG_BENCH_SMES")); err == nil && v > 0 {
		smes = v
	}
	ctx := context.Background()
	st, needs, err := benchdata.Open(ctx, benchdata.Options{SMEs: smes, Needs: 1000}, b.Logf)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	// cold: a new engine per run, as `rongtong propose` starts; warm: an
	// engine whose SME catalog is loaded already, as in a running server.
	b.Run("cold", func(b *testing.B) {
		benchJob(b, st, needs, func() *matching.Engine { return matching.New(st, nil, matching.DefaultConfig()) })
	})
	warm := matching.New(st, nil, matching.DefaultConfig())
	l, err := st.FindListing(ctx, needs[0])
	if err != nil {
		b.Fatal(err)
	}
	if _, err := warm.Match(ctx, app.MatchQuery{FromKind: string(l.Kind), FromID: l.ID, Source: l, Limit: 1}); err != nil {
		b.Fatal(err)
	}
	b.Run("warm", func(b *testing.B) {
		benchJob(b, st, needs, func() *matching.Engine { return warm })
	})
}

// benchJob runs the job b.N times with the engine engine returns.
func benchJob(b *testing.B, st app.Store, needs []string, engine func() *matching.Engine) {
	ctx := context.Background()
	var stats Stats
	cpu0 := benchdata.CPUTime()
	b.ResetTimer()
	for range b.N {
		created := 0
		var err error
		stats, err = Run(ctx, Options{Store: st, Matcher: engine(),
			Create: func(context.Context, Proposal) error { created++; return nil }})
		if err != nil {
			b.Fatal(err)
		}
		if stats.Records != len(needs) || created != stats.Chosen {
			b.Fatalf("%d records of %d needs; %d created of %d chosen", stats.Records, len(needs), created, stats.Chosen)
		}
	}
	b.StopTimer()
	cpu := benchdata.CPUTime() - cpu0
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	b.ReportMetric(stats.CandidateSeconds, "candidates-s")
	b.ReportMetric(stats.SolveSeconds, "solve-s")
	b.ReportMetric(float64(stats.Records), "records")
	b.ReportMetric(float64(stats.Edges), "edges")
	b.ReportMetric(float64(stats.Chosen), "proposals")
	b.ReportMetric(stats.Weight, "weight")
	b.ReportMetric(stats.TopWeight, "top-weight")
	b.ReportMetric(float64(stats.Busiest), "busiest")
	b.ReportMetric(float64(stats.TopBusiest), "top-busiest")
	b.Logf("%+v", stats)
}

func BenchmarkSolve(b *testing.B) {
	const records, orgs, candidates, popular = 1000, 100_000, 50, 20
	rng := rand.New(rand.NewPCG(11, 12))
	p := Problem{LeftCap: make([]int, records), RightCap: make([]int, orgs)}
	for i := range p.LeftCap {
		p.LeftCap[i] = DefaultPerRecord
		seen := map[int]bool{}
		for len(seen) < candidates {
			j := rng.IntN(orgs)
			w := 4000 + rng.IntN(4000) // scores 40.00–79.99
			if len(seen) < popular/2 {
				j = rng.IntN(popular) // about ten of the popular ones, scoring 70.00–99.99
				w = 7000 + rng.IntN(3000)
			}
			if !seen[j] {
				seen[j] = true
				p.Edges = append(p.Edges, Edge{Left: i, Right: j, Weight: int64(w)})
			}
		}
	}
	for j := range p.RightCap {
		p.RightCap[j] = DefaultCapacity
	}
	var sol Solution
	b.ResetTimer()
	for range b.N {
		var err error
		if sol, err = Solve(p); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	top, topBusiest := greedy(p, false)
	b.ReportMetric(float64(len(sol.Chosen)), "proposals")
	b.ReportMetric(float64(sol.Weight)/weightScale, "weight")
	b.ReportMetric(float64(top)/weightScale, "top-weight")
	b.ReportMetric(float64(busiest(p, sol.Chosen)), "busiest")
	b.ReportMetric(float64(topBusiest), "top-busiest")
	b.ReportMetric(float64(sol.Paths), "paths")
	b.ReportMetric(float64(sol.Settled)/float64(max(sol.Paths, 1)), "settled/path")
}
