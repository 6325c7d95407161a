package schedule

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2027, 3, 2, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

// slots returns n back-to-back 20-minute slots s1..sn in session "d1am" with tables
// tables each.
func slots(n, tables int) []Slot {
	var out []Slot
	for i := 0; i < n; i++ {
		st := t0.Add(time.Duration(i) * 20 * time.Minute)
		out = append(out, Slot{ID: fmt.Sprintf("s%d", i+1), Start: st, End: st.Add(20 * time.Minute), Session: "d1am", Tables: tables})
	}
	return out
}

func participants(n int) []Participant {
	var out []Participant
	for i := 0; i < n; i++ {
		out = append(out, Participant{ID: fmt.Sprintf("p%d", i+1)})
	}
	return out
}

// MustSolve solves p with seed 1 and checks the result.
func MustSolve(tb testing.TB, p *Problem) *Solution {
	tb.Helper()
	sol, err := Solve(context.Background(), p, Options{Seed: 1, Budget: time.Hour})
	if err != nil {
		tb.Fatalf("Solve: %v", err)
	}
	if err := Check(p, sol); err != nil {
		tb.Fatalf("Check: %v", err)
	}
	return sol
}

// small is a valid event: 4 slots of 2 tables, 5 participants, 6 requests.
func small() *Problem {
	return &Problem{
		Slots:        slots(4, 2),
		Participants: participants(5),
		Requests: []Request{
			{ID: "r1", A: "p1", B: "p2", Weight: 3},
			{ID: "r2", A: "p1", B: "p3", Weight: 2},
			{ID: "r3", A: "p2", B: "p3", Weight: 1},
			{ID: "r4", A: "p4", B: "p5", Weight: 1},
			{ID: "r5", A: "p1", B: "p4", Weight: 2},
			{ID: "r6", A: "p3", B: "p5", Weight: 1},
		},
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(p *Problem)
		want   string // substring of the error; "" for valid
	}{
		{"valid", func(p *Problem) {}, ""},
		{"unknown participant", func(p *Problem) { p.Requests[3] = Request{ID: "r9", A: "p1", B: "p77", Weight: 1} }, `requests[3] (r9): participant "p77" is unknown`},
		{"same participant twice", func(p *Problem) { p.Requests[0].B = "p1" }, `requests[0] (r1): participant "p1" is named twice`},
		{"negative weight", func(p *Problem) { p.Requests[1].Weight = -1 }, `requests[1] (r2): weight -1`},
		{"duplicate request", func(p *Problem) { p.Requests[2].ID = "r1" }, `requests[2] (r1): duplicate id (also requests[0])`},
		{"duplicate participant", func(p *Problem) { p.Participants[4].ID = "p1" }, `participants[4] (p1): duplicate id`},
		{"duplicate slot", func(p *Problem) { p.Slots[1].ID = "s1" }, `slots[1] (s1): duplicate id`},
		{"negative tables", func(p *Problem) { p.Slots[2].Tables = -2 }, `slots[2] (s3): tables is -2`},
		{"end before start", func(p *Problem) { p.Slots[0].End = p.Slots[0].Start }, `slots[0] (s1): end`},
		{"overlap", func(p *Problem) { p.Slots[1].Start = p.Slots[0].Start.Add(10 * time.Minute) }, `slots[1] (s2): overlaps slot "s1"`},
		{"unknown unavailable slot", func(p *Problem) { p.Participants[0].Unavailable = []string{"s9"} }, `participants[0].unavailable[0] (p1): slot "s9" is unknown`},
		{"unknown session", func(p *Problem) { p.Participants[1].Sessions = []string{"d2pm"} }, `participants[1].sessions[0] (p2): session "d2pm" has no slot`},
		{"negative cap", func(p *Problem) { p.Participants[2].MaxMeetings = -1 }, `participants[2] (p3): maxMeetings is -1`},
		{"missing id", func(p *Problem) { p.Requests[0].ID = "" }, `requests[0]: id is required`},
		{"fixed unknown request", func(p *Problem) { p.Fixed = []Meeting{{Request: "r99", Slot: "s1", Table: 1}} }, `fixed[0] (r99): request "r99" is unknown`},
		{"fixed table out of range", func(p *Problem) { p.Fixed = []Meeting{{Request: "r1", Slot: "s1", Table: 3}} }, `fixed[0] (r1): table 3 is not in 1..2`},
		{"fixed same table", func(p *Problem) {
			p.Fixed = []Meeting{{Request: "r1", Slot: "s1", Table: 1}, {Request: "r4", Slot: "s1", Table: 1}}
		}, `fixed[1] (r4): table 1 in slot "s1" is also taken by fixed[0]`},
		{"fixed participant twice", func(p *Problem) {
			p.Fixed = []Meeting{{Request: "r1", Slot: "s1", Table: 1}, {Request: "r2", Slot: "s1", Table: 2}}
		}, `fixed[1] (r2): participant "p1" is also in fixed[0] in slot "s1"`},
		{"fixed unavailable", func(p *Problem) {
			p.Participants[1].Unavailable = []string{"s2"}
			p.Fixed = []Meeting{{Request: "r1", Slot: "s2", Table: 1}}
		}, `fixed[0] (r1): participant "p2" is unavailable in slot "s2"`},
		{"fixed over cap", func(p *Problem) {
			p.Participants[0].MaxMeetings = 1
			p.Fixed = []Meeting{{Request: "r1", Slot: "s1", Table: 1}, {Request: "r2", Slot: "s2", Table: 1}}
		}, `fixed[1] (r2): participant "p1" has more fixed meetings than its maxMeetings 1`},
		{"fixed wrong participants", func(p *Problem) { p.Fixed = []Meeting{{Request: "r1", A: "p1", B: "p3", Slot: "s1", Table: 1}} }, `fixed[0] (r1): participants "p1" and "p3" differ`},
		{"fixed twice", func(p *Problem) {
			p.Fixed = []Meeting{{Request: "r1", Slot: "s1", Table: 1}, {Request: "r1", Slot: "s2", Table: 1}}
		}, `fixed[1] (r1): request is fixed twice`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := small()
			tt.change(p)
			err := p.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("got %v, want no error", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
			var inv *InvalidError
			if !errors.As(err, &inv) {
				t.Errorf("got %T, want *InvalidError", err)
			}
		})
	}
}

// TestReasons builds one event per reason and checks the reason given.
func TestReasons(t *testing.T) {
	tests := []struct {
		name    string
		p       *Problem
		request string
		want    string
	}{
		{"no common slot", &Problem{
			Slots:        slots(2, 5),
			Participants: []Participant{{ID: "p1", Unavailable: []string{"s1"}}, {ID: "p2", Unavailable: []string{"s2"}}},
			Requests:     []Request{{ID: "r1", A: "p1", B: "p2", Weight: 1}},
		}, "r1", ReasonNoCommonSlot},
		{"no common session", &Problem{
			Slots:        append(slots(1, 5), Slot{ID: "s9", Start: t0.Add(5 * time.Hour), End: t0.Add(5*time.Hour + 20*time.Minute), Session: "d1pm", Tables: 5}),
			Participants: []Participant{{ID: "p1", Sessions: []string{"d1am"}}, {ID: "p2", Sessions: []string{"d1pm"}}},
			Requests:     []Request{{ID: "r1", A: "p1", B: "p2", Weight: 1}},
		}, "r1", ReasonNoCommonSlot},
		{"participant cap", &Problem{
			Slots:        slots(2, 5),
			Participants: []Participant{{ID: "p1", MaxMeetings: 1}, {ID: "p2"}, {ID: "p3"}},
			Requests:     []Request{{ID: "r1", A: "p1", B: "p2", Weight: 5}, {ID: "r2", A: "p1", B: "p3", Weight: 1}},
		}, "r2", ReasonParticipantCap},
		{"tables full", &Problem{
			Slots:        slots(1, 1),
			Participants: participants(4),
			Requests:     []Request{{ID: "r1", A: "p1", B: "p2", Weight: 5}, {ID: "r2", A: "p3", B: "p4", Weight: 1}},
		}, "r2", ReasonTablesFull},
		{"outweighed", &Problem{
			Slots:        slots(1, 2),
			Participants: participants(3),
			Requests:     []Request{{ID: "r1", A: "p1", B: "p2", Weight: 5}, {ID: "r2", A: "p1", B: "p3", Weight: 1}},
		}, "r2", ReasonOutweighed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sol := MustSolve(t, tt.p)
			var got []string
			for _, u := range sol.Unscheduled {
				if u.Request == tt.request {
					got = append(got, u.Reason)
				}
			}
			if len(got) != 1 || got[0] != tt.want {
				t.Errorf("reasons for %s: got %v, want [%s]; solution %+v", tt.request, got, tt.want, sol)
			}
		})
	}
}

// TestCheck corrupts a valid solution in each way Check must catch.
func TestCheck(t *testing.T) {
	p := small()
	p.Participants[4].Unavailable = []string{"s4"}
	p.Participants[3].MaxMeetings = 2
	good := MustSolve(t, p)
	if len(good.Meetings) < 3 {
		t.Fatalf("want at least 3 meetings to corrupt, got %+v", good)
	}
	find := func(s *Solution, r string) int {
		for i, m := range s.Meetings {
			if m.Request == r {
				return i
			}
		}
		t.Fatalf("%s not scheduled in %+v", r, s)
		return -1
	}
	tests := []struct {
		name   string
		change func(p *Problem, s *Solution)
		want   string
	}{
		{"participant twice in a slot", func(p *Problem, s *Solution) {
			i, j := find(s, "r1"), find(s, "r2") // both meet p1
			s.Meetings[j].Slot = s.Meetings[i].Slot
			s.Meetings[j].Table = 3 - s.Meetings[i].Table
		}, `participant "p1" also meets in slot`},
		{"table out of range", func(p *Problem, s *Solution) { s.Meetings[0].Table = 3 }, `table 3 is not in 1..2`},
		{"table zero", func(p *Problem, s *Solution) { s.Meetings[0].Table = 0 }, `table 0 is not in 1..2`},
		{"table twice", func(p *Problem, s *Solution) {
			i, j := find(s, "r1"), find(s, "r4") // no common participant
			s.Meetings[j].Slot, s.Meetings[j].Table = s.Meetings[i].Slot, s.Meetings[i].Table
		}, `is also used by meetings`},
		{"unavailable", func(p *Problem, s *Solution) {
			i := find(s, "r4")
			for _, m := range s.Meetings {
				if m.Slot == "s4" {
					s.Meetings[i].Table = 3 - m.Table
				}
			}
			s.Meetings[i].Slot = "s4"
		}, `participant "p5" is unavailable in slot "s4"`},
		{"session not allowed", func(p *Problem, s *Solution) {
			p.Slots = append(p.Slots, Slot{ID: "s9", Start: t0.Add(5 * time.Hour), End: t0.Add(5*time.Hour + 20*time.Minute), Session: "d1pm", Tables: 1})
			p.Participants[1].Sessions = []string{"d1pm"}
		}, `participant "p2" may not meet in session "d1am"`},
		{"cap exceeded", func(p *Problem, s *Solution) { p.Participants[0].MaxMeetings = 1 }, `participant "p1" has more meetings than its maxMeetings 1`},
		{"scheduled twice", func(p *Problem, s *Solution) { s.Meetings = append(s.Meetings, s.Meetings[0]) }, `request is scheduled twice`},
		{"missing", func(p *Problem, s *Solution) { s.Meetings = s.Meetings[1:] }, `neither scheduled nor listed as unscheduled`},
		{"unknown request", func(p *Problem, s *Solution) { s.Meetings[0].Request = "r42" }, `request "r42" is unknown`},
		{"unknown slot", func(p *Problem, s *Solution) { s.Meetings[0].Slot = "s42" }, `slot "s42" is unknown`},
		{"wrong participants", func(p *Problem, s *Solution) { s.Meetings[0].A = "p5" }, `differ from the request's`},
		{"wrong reason", func(p *Problem, s *Solution) {
			i := find(s, "r1")
			s.Unscheduled = append(s.Unscheduled, Unscheduled{Request: "r1", Reason: ReasonTablesFull})
			s.Meetings = append(s.Meetings[:i], s.Meetings[i+1:]...)
		}, `reason "tables_full" does not hold: it fits in slot`},
		{"unknown reason", func(p *Problem, s *Solution) {
			s.Unscheduled = append(s.Unscheduled, Unscheduled{Request: s.Meetings[0].Request, Reason: "busy"})
			s.Meetings = s.Meetings[1:]
		}, `reason "busy" is not one of`},
		{"fixed moved", func(p *Problem, s *Solution) {
			i := find(s, "r1")
			m := s.Meetings[i]
			other := "s1"
			if m.Slot == "s1" {
				other = "s2"
			}
			p.Fixed = []Meeting{{Request: "r1", Slot: other, Table: 1}}
			for _, x := range s.Meetings {
				if x.Slot == other && x.Request != "r1" && (x.A == "p1" || x.B == "p1" || x.A == "p2" || x.B == "p2" || x.Table == 1) {
					p.Fixed[0].Table = 2
				}
			}
		}, `fixed meeting moved: it must stay in slot`},
		{"fixed dropped", func(p *Problem, s *Solution) {
			i := find(s, "r1")
			p.Fixed = []Meeting{s.Meetings[i]}
			s.Meetings = append(s.Meetings[:i], s.Meetings[i+1:]...)
			s.Unscheduled = append(s.Unscheduled, Unscheduled{Request: "r1", Reason: ReasonFits})
		}, `fixed meeting dropped`},
		{"weight", func(p *Problem, s *Solution) { s.Stats.Weight++ }, `stats.weight: is`},
		{"breaks", func(p *Problem, s *Solution) { s.Stats.Breaks++ }, `stats.breaks: is`},
		{"idle", func(p *Problem, s *Solution) { s.Stats.Idle++ }, `stats.idle: is`},
		{"bound", func(p *Problem, s *Solution) { s.Stats.UpperBound = 1 }, `stats.upperBound: is 1`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p2, s2 := clone(t, p), clone(t, good)
			tt.change(p2, s2)
			err := Check(p2, s2)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// clone deep-copies v through JSON.
func clone[T any](tb testing.TB, v *T) *T {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	var out T
	if err := json.Unmarshal(b, &out); err != nil {
		tb.Fatal(err)
	}
	return &out
}

// TestMove refuses each kind of illegal manual move and accepts legal ones.
func TestMove(t *testing.T) {
	p := &Problem{
		Slots: append(slots(4, 2), Slot{ID: "s9", Start: t0.Add(5 * time.Hour), End: t0.Add(5*time.Hour + 20*time.Minute), Session: "d1pm", Tables: 1}),
		Participants: []Participant{
			{ID: "p1"}, {ID: "p2", Unavailable: []string{"s2"}}, {ID: "p3", Sessions: []string{"d1am"}},
			{ID: "p4", MaxMeetings: 1}, {ID: "p5"}, {ID: "p6"}, {ID: "p9"},
		},
		Requests: []Request{
			{ID: "r1", A: "p3", B: "p9", Weight: 5},
			{ID: "r2", A: "p1", B: "p2", Weight: 4},
			{ID: "r3", A: "p1", B: "p3", Weight: 3},
			{ID: "r4", A: "p4", B: "p5", Weight: 3},
			{ID: "r5", A: "p4", B: "p6", Weight: 1},
			{ID: "r6", A: "p5", B: "p6", Weight: 1},
		},
		Fixed: []Meeting{{Request: "r1", A: "p3", B: "p9", Slot: "s4", Table: 1}},
	}
	// A schedule made by hand, so that each refusal below has one cause.
	base := &Solution{Meetings: []Meeting{
		{Request: "r2", A: "p1", B: "p2", Slot: "s1", Table: 1},
		{Request: "r4", A: "p4", B: "p5", Slot: "s1", Table: 2},
		{Request: "r6", A: "p5", B: "p6", Slot: "s2", Table: 1},
		{Request: "r3", A: "p1", B: "p3", Slot: "s3", Table: 1},
		{Request: "r1", A: "p3", B: "p9", Slot: "s4", Table: 1},
	}, Unscheduled: []Unscheduled{{Request: "r5"}}}
	in := compile(p)
	base.Stats.UpperBound = upperBound(in)
	refresh(in, base)
	if err := Check(p, base); err != nil {
		t.Fatal(err)
	}
	if base.Unscheduled[0].Reason != ReasonParticipantCap {
		t.Fatalf("r5: got reason %q, want %q", base.Unscheduled[0].Reason, ReasonParticipantCap)
	}
	tests := []struct {
		name          string
		req, slot     string
		table         int
		code, message string
	}{
		{"busy", "r3", "s4", 2, MoveBusy, "participant_busy: p3 already meets p9 in s4"},
		{"unavailable", "r2", "s2", 0, MoveUnavailable, "unavailable: p2 is unavailable in s2"},
		{"session", "r3", "s9", 1, MoveSession, `session_not_allowed: p3 may not meet in session "d1pm" of s9`},
		{"fixed", "r1", "s1", 1, MoveFixed, "fixed: r1 is a fixed meeting in s4"},
		{"table taken", "r6", "s4", 1, MoveTableTaken, "table_taken: table 1 of s4 is taken by r1"},
		{"no such table", "r6", "s1", 7, MoveUnknown, "unknown: s1 has tables 1..2, not 7"},
		{"unknown slot", "r6", "s7", 1, MoveUnknown, `unknown: slot "s7" is unknown`},
		{"unknown request", "r7", "s1", 1, MoveUnknown, `unknown: request "r7" is unknown`},
		{"cap", "r5", "s9", 0, MoveCap, "participant_cap: p4 already has 1 meetings (maxMeetings 1)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := clone(t, base)
			err := Move(p, s, tt.req, tt.slot, tt.table)
			var me *MoveError
			if !errors.As(err, &me) || me.Code != tt.code || err.Error() != tt.message {
				t.Fatalf("got %v, want %q", err, tt.message)
			}
		})
	}
	t.Run("tables full", func(t *testing.T) {
		s := clone(t, base)
		for _, r := range []string{"r4", "r5", "r6"} {
			if err := Move(p, s, r, "", 0); err != nil {
				t.Fatal(err)
			}
		}
		if err := Move(p, s, "r6", "s9", 0); err != nil {
			t.Fatal(err)
		}
		err := Move(p, s, "r2", "s9", 0)
		if err == nil || err.Error() != "tables_full: all 1 tables of s9 are taken" {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("legal moves keep the solution valid", func(t *testing.T) {
		s := clone(t, base)
		if err := Move(p, s, "r2", "", 0); err != nil {
			t.Fatal(err)
		}
		if err := Check(p, s); err != nil {
			t.Fatalf("after unscheduling: %v", err)
		}
		var free string
		for _, slot := range []string{"s1", "s3", "s4"} {
			if Move(p, clone(t, s), "r2", slot, 0) == nil {
				free = slot
				break
			}
		}
		if free == "" {
			t.Fatal("no slot to move r2 back to")
		}
		if err := Move(p, s, "r2", free, 0); err != nil {
			t.Fatal(err)
		}
		if err := Check(p, s); err != nil {
			t.Fatalf("after moving r2 to %s: %v", free, err)
		}
	})
}

// TestEdgeCases solves events with nothing to do.
func TestEdgeCases(t *testing.T) {
	tests := []struct {
		name string
		p    *Problem
		want int // meetings
	}{
		{"empty", &Problem{}, 0},
		{"no requests", &Problem{Slots: slots(3, 2), Participants: participants(4)}, 0},
		{"no slots", &Problem{Participants: participants(2), Requests: []Request{{ID: "r1", A: "p1", B: "p2", Weight: 1}}}, 0},
		{"no tables", &Problem{Slots: slots(2, 0), Participants: participants(2), Requests: []Request{{ID: "r1", A: "p1", B: "p2", Weight: 1}}}, 0},
		{"weight zero", &Problem{Slots: slots(2, 1), Participants: participants(2), Requests: []Request{{ID: "r1", A: "p1", B: "p2"}}}, 1},
		{"only fixed", &Problem{Slots: slots(2, 1), Participants: participants(2),
			Requests: []Request{{ID: "r1", A: "p1", B: "p2", Weight: 2}}, Fixed: []Meeting{{Request: "r1", Slot: "s2", Table: 1}}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sol := MustSolve(t, tt.p)
			if len(sol.Meetings) != tt.want {
				t.Errorf("got %d meetings, want %d: %+v", len(sol.Meetings), tt.want, sol)
			}
		})
	}
}

func TestSolveErrors(t *testing.T) {
	p := small()
	p.Requests[0].B = "nobody"
	if _, err := Solve(context.Background(), p, Options{}); err == nil || !strings.Contains(err.Error(), `participant "nobody" is unknown`) {
		t.Errorf("invalid problem: got %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Solve(ctx, generate(genSpec{Family: famUniform, Participants: 20, Requests: 60, Slots: 8, Tables: 8, Seed: 1}), Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: got %v, want context.Canceled", err)
	}
}
