package schedule

import (
	"context"
	"testing"
	"time"
)

// scaleSpecs are large events: 1,000 participants, 6,000 requests with weights 1..5,
// 20 slots in two sessions, 150 tables; the second with unavailable slots, caps and
// session-only participants.
var scaleSpecs = []genSpec{
	{Family: famWeighted, Participants: 1000, Requests: 6000, Slots: 20, Tables: 150, Seed: 1, TwoSessions: true},
	{Family: famAvail, Participants: 1000, Requests: 6000, Slots: 20, Tables: 150, Seed: 1, TwoSessions: true},
}

// TestScale checks that large events get a feasible schedule within 2% of the upper
// bound on weight, with a budget of 5 s. The time it takes is reported by
// BenchmarkScale and in docs/scheduling-quality.md, never asserted.
func TestScale(t *testing.T) {
	if testing.Short() {
		t.Skip("large events; skipped with -short")
	}
	for _, g := range scaleSpecs {
		t.Run(string(g.Family), func(t *testing.T) {
			p := generate(g)
			if len(p.Requests) != g.Requests {
				t.Fatalf("generated %d requests, want %d", len(p.Requests), g.Requests)
			}
			sol, err := Solve(context.Background(), p, Options{Seed: 1, Budget: 5 * time.Second})
			if err != nil {
				t.Fatal(err)
			}
			if err := Check(p, sol); err != nil {
				t.Fatal(err)
			}
			ratio := sol.Stats.Weight / sol.Stats.UpperBound
			gr := greedy(p)
			t.Logf("%v: %d meetings, weight %g of bound %g (%.2f%%), breaks %d, idle %d, %.2fs; greedy weight %g (%.2f%%), breaks %d, idle %d",
				g, len(sol.Meetings), sol.Stats.Weight, sol.Stats.UpperBound, 100*ratio, sol.Stats.Breaks, sol.Stats.Idle, sol.Stats.Seconds,
				gr.Stats.Weight, 100*gr.Stats.Weight/sol.Stats.UpperBound, gr.Stats.Breaks, gr.Stats.Idle)
			if ratio < 0.98 {
				t.Errorf("weight %g is %.2f%% of the bound %g, want at least 98%%", sol.Stats.Weight, 100*ratio, sol.Stats.UpperBound)
			}
		})
	}
}

// BenchmarkScale times Solve on the large events (budget 60 s, so that the step limits
// end the search):
//
//	go test -run '^$' -bench BenchmarkScale -benchtime 3x ./matching/schedule/
func BenchmarkScale(b *testing.B) {
	for _, g := range scaleSpecs {
		b.Run(string(g.Family), func(b *testing.B) {
			p := generate(g)
			var sol *Solution
			for i := 0; i < b.N; i++ {
				var err error
				sol, err = Solve(context.Background(), p, Options{Seed: 1, Budget: time.Minute})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(sol.Stats.Weight/sol.Stats.UpperBound, "weight/bound")
			b.ReportMetric(float64(sol.Stats.Breaks), "breaks")
		})
	}
}
