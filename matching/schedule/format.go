package schedule

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// ReadProblem decodes an event in the JSON format of docs/schedule-format.md, rejecting
// unknown fields and trailing data, and validates it. Errors name the item, e.g.
// `requests[3] (r9): participant "p77" is unknown`.
func ReadProblem(r io.Reader) (*Problem, error) {
	var top struct {
		Slots        []json.RawMessage `json:"slots"`
		Participants []json.RawMessage `json:"participants"`
		Requests     []json.RawMessage `json:"requests"`
		Fixed        []json.RawMessage `json:"fixed"`
	}
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&top); err != nil {
		return nil, fmt.Errorf("event: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("event: unexpected data after the JSON object")
	}
	p := &Problem{
		Slots:        make([]Slot, len(top.Slots)),
		Participants: make([]Participant, len(top.Participants)),
		Requests:     make([]Request, len(top.Requests)),
	}
	if len(top.Fixed) > 0 {
		p.Fixed = make([]Meeting, len(top.Fixed))
	}
	var e errs
	decodeAll(top.Slots, p.Slots, "slots", &e)
	decodeAll(top.Participants, p.Participants, "participants", &e)
	decodeAll(top.Requests, p.Requests, "requests", &e)
	decodeAll(top.Fixed, p.Fixed, "fixed", &e)
	if err := e.err(); err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return p, nil
}

func decodeAll[T any](raw []json.RawMessage, out []T, name string, e *errs) {
	for i, m := range raw {
		dec := json.NewDecoder(bytes.NewReader(m))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&out[i]); err != nil {
			e.add(fmt.Sprintf("%s[%d]", name, i), "", "%v", err)
		}
	}
}

// WriteSolution encodes a solution as indented JSON (docs/schedule-format.md); empty
// lists are written as [].
func WriteSolution(w io.Writer, s *Solution) error {
	out := *s
	if out.Meetings == nil {
		out.Meetings = []Meeting{}
	}
	if out.Unscheduled == nil {
		out.Unscheduled = []Unscheduled{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(&out)
}

// Main runs `schedule --in event.json --out schedule.json [--seed N] [--budget 10s]`
// ("-" for standard input or output), so that a command line can hand its arguments
// over in one line. It writes a one-line summary to stderr.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("schedule", flag.ContinueOnError)
	fs.SetOutput(stderr)
	inPath := fs.String("in", "-", "event `file` in JSON, - for standard input")
	outPath := fs.String("out", "-", "schedule `file` to write, - for standard output")
	seed := fs.Int64("seed", 1, "random seed; the same seed gives the same schedule")
	budget := fs.Duration("budget", DefaultBudget, "most time to spend")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: schedule --in event.json --out schedule.json [--seed N] [--budget 10s]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("schedule: unexpected argument %q", fs.Arg(0))
	}

	var r io.Reader = stdin
	if *inPath != "-" {
		f, err := os.Open(*inPath)
		if err != nil {
			return fmt.Errorf("schedule: %w", err)
		}
		defer f.Close()
		r = f
	}
	p, err := ReadProblem(r)
	if err != nil {
		return fmt.Errorf("schedule: %s: %w", *inPath, err)
	}
	sol, err := Solve(context.Background(), p, Options{Seed: *seed, Budget: *budget})
	if err != nil {
		return fmt.Errorf("schedule: %w", err)
	}
	if *outPath == "-" {
		if err := WriteSolution(stdout, sol); err != nil {
			return fmt.Errorf("schedule: %w", err)
		}
	} else if err := writeFile(*outPath, sol); err != nil {
		return fmt.Errorf("schedule: %w", err)
	}
	st := sol.Stats
	fmt.Fprintf(stderr, "scheduled %d of %d requests: weight %g of at most %g (gap %.2f%%), %d breaks, %d idle slots, %.2fs\n",
		len(sol.Meetings), len(p.Requests), st.Weight, st.UpperBound, 100*st.Gap, st.Breaks, st.Idle, st.Seconds)
	return nil
}

// writeFile writes the solution beside path and renames it into place, so a reader
// never sees half a schedule.
func writeFile(path string, s *Solution) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".schedule-*.json")
	if err != nil {
		return err
	}
	err = f.Chmod(0o644)
	if err == nil {
		err = WriteSolution(f, s)
	}
	if err != nil {
		f.Close()
		os.Remove(f.Name())
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}
