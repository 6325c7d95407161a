package schedule

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"time"
)

// family is a kind of generated event, after the B2B-scheduling literature (Pesant,
// Rix and Rousseau; Bofill et al., "Constraint solving approaches to the
// business-to-business meeting scheduling problem", JAIR 2022): random pairs of
// participants, no more requests than slots × tables, no participant with more
// requests than slots; plus weighted and availability-limited variants.
type family string

const (
	famUniform  family = "uniform"  // every request weighs 1
	famWeighted family = "weighted" // weights 1..5
	famAvail    family = "avail"    // weights 1..5, unavailable slots, caps, session-only participants
)

// genSpec describes one generated event.
type genSpec struct {
	Family                        family
	Participants, Requests, Slots int
	Tables                        int
	Seed                          uint64
	TwoSessions                   bool // slots split into a morning and an afternoon session
}

func (g genSpec) String() string {
	return fmt.Sprintf("%s P%d R%d S%d T%d #%d", g.Family, g.Participants, g.Requests, g.Slots, g.Tables, g.Seed)
}

// generate builds the event of g. Slots are 20 minutes long from 09:00 (morning) and,
// with two sessions, from 14:00 for the second half.
func generate(g genSpec) *Problem {
	rng := rand.New(rand.NewPCG(g.Seed, uint64(g.Participants)*1000+uint64(g.Requests)))
	loc := time.FixedZone("CST", 8*3600)
	p := &Problem{}
	half := g.Slots
	if g.TwoSessions {
		half = (g.Slots + 1) / 2
	}
	for i := 0; i < g.Slots; i++ {
		sess, start := "am", time.Date(2027, 3, 2, 9, 0, 0, 0, loc).Add(time.Duration(i)*20*time.Minute)
		if i >= half {
			sess, start = "pm", time.Date(2027, 3, 2, 14, 0, 0, 0, loc).Add(time.Duration(i-half)*20*time.Minute)
		}
		p.Slots = append(p.Slots, Slot{ID: fmt.Sprintf("s%d", i+1), Start: start, End: start.Add(20 * time.Minute), Session: sess, Tables: g.Tables})
	}
	for i := 0; i < g.Participants; i++ {
		q := Participant{ID: fmt.Sprintf("p%d", i+1)}
		if g.Family == famAvail {
			for s := 0; s < g.Slots; s++ {
				if rng.IntN(5) == 0 {
					q.Unavailable = append(q.Unavailable, p.Slots[s].ID)
				}
			}
			if rng.IntN(4) == 0 {
				q.MaxMeetings = 2 + rng.IntN(g.Slots/2+1)
			}
			if g.TwoSessions && rng.IntN(6) == 0 {
				q.Sessions = []string{[]string{"am", "pm"}[rng.IntN(2)]}
			}
		}
		p.Participants = append(p.Participants, q)
	}
	deg := make([]int, g.Participants)
	seen := map[[2]int]bool{}
	for tries := 0; len(p.Requests) < g.Requests && tries < 100*g.Requests; tries++ {
		a, b := rng.IntN(g.Participants), rng.IntN(g.Participants)
		if a == b || deg[a] >= g.Slots || deg[b] >= g.Slots || seen[[2]int{min(a, b), max(a, b)}] {
			continue
		}
		seen[[2]int{min(a, b), max(a, b)}] = true
		deg[a]++
		deg[b]++
		w := 1.0
		if g.Family != famUniform {
			w = float64(1 + rng.IntN(5))
		}
		p.Requests = append(p.Requests, Request{ID: fmt.Sprintf("r%d", len(p.Requests)+1), A: p.Participants[a].ID, B: p.Participants[b].ID, Weight: w})
	}
	return p
}

// greedy is the baseline the commercial tools follow: requests by weight, each in the
// first slot (in time order) and at the first table where both sides are free.
func greedy(p *Problem) *Solution {
	in := compile(p)
	st := newState(in)
	order := make([]int32, 0, in.nR)
	for r := 0; r < in.nR; r++ {
		if st.slot[r] < 0 {
			order = append(order, int32(r))
		}
	}
	sort.SliceStable(order, func(i, j int) bool { return in.w[order[i]] > in.w[order[j]] })
	for _, r := range order {
		for _, s := range in.allowed[r] {
			if st.fits(r, s) {
				st.place(r, s)
				break
			}
		}
	}
	return solution(st, upperBound(in))
}
