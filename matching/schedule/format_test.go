package schedule

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

const example = `{"slots":[{"id":"s1","start":"2027-03-02T09:00:00+08:00","end":"2027-03-02T09:20:00+08:00","session":"d1am","tables":20},
{"id":"s2","start":"2027-03-02T09:20:00+08:00","end":"2027-03-02T09:40:00+08:00","session":"d1am","tables":20}],
"participants":[{"id":"p1","maxMeetings":8,"unavailable":["s2"]},{"id":"p2"},{"id":"p3","sessions":["d1am"]}],
"requests":[{"id":"r1","a":"p1","b":"p2","weight":3},{"id":"r2","a":"p1","b":"p3","weight":1},{"id":"r3","a":"p2","b":"p3","weight":2}]}`

func TestReadProblem(t *testing.T) {
	p, err := ReadProblem(strings.NewReader(example))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Slots) != 2 || p.Slots[0].Tables != 20 || p.Participants[0].MaxMeetings != 8 || p.Requests[0].Weight != 3 {
		t.Fatalf("got %+v", p)
	}
	tests := []struct{ name, in, want string }{
		{"unknown field", strings.Replace(example, `{"id":"p2"}`, `{"id":"p2","maxMeeting":3}`, 1), `participants[1]: json: unknown field "maxMeeting"`},
		{"unknown top-level field", strings.Replace(example, `"slots":`, `"slot":[],"slots":`, 1), `unknown field "slot"`},
		{"unknown participant", strings.Replace(example, `"b":"p3","weight":2`, `"b":"p77","weight":2`, 1), `requests[2] (r3): participant "p77" is unknown`},
		{"bad time", strings.Replace(example, `"2027-03-02T09:00:00+08:00"`, `"9am"`, 1), `slots[0]:`},
		{"trailing data", example + `{}`, `unexpected data after the JSON object`},
		{"not JSON", `slots`, `event:`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadProblem(strings.NewReader(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestWriteSolution(t *testing.T) {
	var b bytes.Buffer
	if err := WriteSolution(&b, &Solution{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"meetings": []`, `"unscheduled": []`, `"weight": 0`, `"breaks": 0`, `"idle": 0`, `"upperBound": 0`, `"seconds": 0`} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("output lacks %s:\n%s", want, b.String())
		}
	}
}

// TestMainCommand runs the command on files and on standard input and output.
func TestMainCommand(t *testing.T) {
	dir := t.TempDir()
	in, out := filepath.Join(dir, "event.json"), filepath.Join(dir, "schedule.json")
	if err := os.WriteFile(in, []byte(example), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if err := Main([]string{"--in", in, "--out", out, "--seed", "3", "--budget", "2s"}, nil, &stdout, &stderr); err != nil {
		t.Fatalf("Main: %v (%s)", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "scheduled 2 of 3 requests: weight 5") {
		t.Errorf("summary: %s", stderr.String())
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ReadProblem(strings.NewReader(example))
	if err != nil {
		t.Fatal(err)
	}
	fromFile := decodeSolution(t, b)
	if err := Check(p, fromFile); err != nil {
		t.Fatal(err)
	}

	stdout.Reset()
	if err := Main([]string{"--in", "-", "--out", "-", "--seed", "3"}, strings.NewReader(example), &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	fromPipe := decodeSolution(t, stdout.Bytes())
	fromFile.Stats.Seconds, fromPipe.Stats.Seconds = 0, 0
	if !reflect.DeepEqual(fromFile, fromPipe) {
		t.Errorf("same seed, different schedules:\n%+v\n%+v", fromFile, fromPipe)
	}

	for _, args := range [][]string{{"--bogus"}, {"--in", filepath.Join(dir, "missing.json")}, {"extra"}} {
		if err := Main(args, strings.NewReader(example), &stdout, &stderr); err == nil {
			t.Errorf("Main(%q): want an error", args)
		}
	}
}

func decodeSolution(tb testing.TB, b []byte) *Solution {
	tb.Helper()
	var s Solution
	dec := jsonDecoder(b)
	if err := dec.Decode(&s); err != nil {
		tb.Fatalf("decode %s: %v", b, err)
	}
	return &s
}

// TestDeterminism solves the same events twice with the same seed and expects identical
// schedules (the seconds aside).
func TestDeterminism(t *testing.T) {
	for _, g := range []genSpec{
		{Family: famAvail, Participants: 30, Requests: 110, Slots: 12, Tables: 10, Seed: 5, TwoSessions: true},
		{Family: famUniform, Participants: 40, Requests: 150, Slots: 10, Tables: 15, Seed: 6},
	} {
		p := generate(g)
		var outs [2]string
		for i := range outs {
			sol, err := Solve(context.Background(), p, Options{Seed: 42, Budget: time.Hour})
			if err != nil {
				t.Fatal(err)
			}
			sol.Stats.Seconds = 0
			var b bytes.Buffer
			if err := WriteSolution(&b, sol); err != nil {
				t.Fatal(err)
			}
			outs[i] = b.String()
		}
		if outs[0] != outs[1] {
			t.Errorf("%v: two runs with seed 42 differ", g)
		}
	}
}

// TestFixedKept publishes part of a schedule, adds requests and solves again: the
// published meetings stay at their slots and tables.
func TestFixedKept(t *testing.T) {
	g := genSpec{Family: famWeighted, Participants: 20, Requests: 60, Slots: 8, Tables: 6, Seed: 9}
	p := generate(g)
	first := MustSolve(t, p)
	p.Fixed = append([]Meeting(nil), first.Meetings[:len(first.Meetings)/2]...)
	more := generate(genSpec{Family: famWeighted, Participants: 20, Requests: 30, Slots: 8, Tables: 6, Seed: 10})
	for i, r := range more.Requests {
		r.ID = "new" + r.ID
		r.Weight += 10 // heavier than anything published: the search wants to displace them
		more.Requests[i] = r
	}
	p.Requests = append(p.Requests, more.Requests...)
	second := MustSolve(t, p)
	at := map[string]Meeting{}
	for _, m := range second.Meetings {
		at[m.Request] = m
	}
	for _, f := range p.Fixed {
		if got := at[f.Request]; got != f {
			t.Errorf("fixed %+v became %+v", f, got)
		}
	}
}

func jsonDecoder(b []byte) *json.Decoder {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec
}
