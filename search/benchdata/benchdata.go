// Package benchdata makes the data set and the queries the search benchmarks
// and the HTTP load generator (cmd/loadgen) run on: tens of thousands of
// organisations and about five listings each, in the interchange format
// (JSON Lines), with realistic Chinese text from package demo, and 1–4 word
// queries drawn from the data's own vocabulary (products, processes,
// materials, certifications, places) — never the evaluation's queries.
//
// demo makes about 2.3 listings per organisation; a benchmark of 100,000
// listings over 20,000 organisations needs more, so Write adds the listings
// of further demo seeds of the same size to the first seed's organisations
// (the seeds share organisation refs), with their refs made unique. Such an
// extra listing's text is about another company than its owner's; for
// measuring speed that does not matter.
package benchdata

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"

	"github.com/rongtong/rongtong/demo"
	"github.com/rongtong/rongtong/ref"
)

// Version changes whenever Write or Queries would produce other output, so
// that a cached benchmark index keyed by it is rebuilt.
const Version = "b1"

// Options size a data set.
type Options struct {
	Seed     int64 // picks the data set; the same options give the same bytes
	Orgs     int   // organisations (at least 5)
	Listings int   // listings; 0 keeps what one demo seed makes
}

// Default sizes of the benchmarks (docs/benchmarks.md).
const (
	DefaultOrgs     = 20_000
	DefaultListings = 100_000
)

// Counts says what Write wrote.
type Counts struct {
	Orgs, Listings int
}

// Write writes a data set: the organisations and listings of demo seed
// o.Seed, then listings of seeds o.Seed+1, o.Seed+2 … until o.Listings are
// written (or, with o.Listings 0, just the first seed's).
func Write(w io.Writer, o Options) (Counts, error) {
	var c Counts
	if o.Orgs < 5 {
		return c, fmt.Errorf("benchdata: %d organisations asked for, need at least 5", o.Orgs)
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	for round := 0; round == 0 || c.Listings < o.Listings; round++ {
		if round > 50 {
			return c, errors.New("benchdata: too many listings asked for the organisations")
		}
		var buf bytes.Buffer
		if err := demo.Write(&buf, demo.Options{Seed: o.Seed + int64(round), Orgs: o.Orgs}); err != nil {
			return c, err
		}
		for line := range bytes.Lines(buf.Bytes()) {
			org := bytes.HasPrefix(line, []byte(`{"kind":"org"`))
			if org {
				if round > 0 {
					continue
				}
				c.Orgs++
			} else {
				if o.Listings > 0 && c.Listings >= o.Listings {
					break
				}
				if round > 0 {
					var err error
					if line, err = renameRef(line, round); err != nil {
						return c, err
					}
				}
				c.Listings++
			}
			if _, err := bw.Write(line); err != nil {
				return c, err
			}
		}
	}
	return c, bw.Flush()
}

// renameRef makes a listing line's ref unique to its round: demo-cap-0001
// becomes demo-cap-0001-r2.
func renameRef(line []byte, round int) ([]byte, error) {
	const key = `"ref":"`
	i := bytes.Index(line, []byte(key))
	if i < 0 {
		return nil, fmt.Errorf("benchdata: a demo line without a ref: %.80s", line)
	}
	i += len(key)
	j := bytes.IndexByte(line[i:], '"')
	if j < 0 {
		return nil, fmt.Errorf("benchdata: a demo line with a bad ref: %.80s", line)
	}
	j += i
	out := make([]byte, 0, len(line)+8)
	out = append(out, line[:j]...)
	out = fmt.Appendf(out, "-r%d", round+1)
	return append(out, line[j:]...), nil
}

// vocabulary is what queries are made of.
type vocabulary struct {
	products, processes, materials, certs, places []string
}

// record is the part of a data set line the vocabulary comes from.
type record struct {
	Kind           string   `json:"kind"`
	Region         string   `json:"region"`
	Products       []string `json:"products"`
	Processes      []string `json:"processes"`
	Materials      []string `json:"materials"`
	Certifications []string `json:"certifications"`
}

// readVocabulary collects the distinct values of a data set's products,
// processes, materials, certifications and organisations' counties (by
// short name: 北仑, 余姚). Words used by fewer than minUses records are left
// out, so queries look for things that exist.
func readVocabulary(r io.Reader) (*vocabulary, error) {
	const minUses = 3
	counts := [5]map[string]int{{}, {}, {}, {}, {}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		var rec record
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return nil, fmt.Errorf("benchdata: %w", err)
		}
		for _, p := range rec.Products {
			counts[0][p]++
		}
		for _, p := range rec.Processes {
			counts[1][p]++
		}
		for _, m := range rec.Materials {
			counts[2][m]++
		}
		for _, c := range rec.Certifications {
			counts[3][c]++
		}
		if rec.Kind == "org" {
			if reg, ok := ref.LookupRegion(rec.Region); ok && reg.Level == 3 {
				if s := shortPlace(reg.Name); s != "" {
					counts[4][s]++
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("benchdata: %w", err)
	}
	words := func(m map[string]int) []string {
		var out []string
		for w, n := range m {
			if n >= minUses && !strings.ContainsAny(w, " \t") {
				out = append(out, w)
			}
		}
		sort.Strings(out)
		return out
	}
	v := &vocabulary{products: words(counts[0]), processes: words(counts[1]), materials: words(counts[2]),
		certs: words(counts[3]), places: words(counts[4])}
	if len(v.products) == 0 || len(v.processes) == 0 || len(v.materials) == 0 || len(v.certs) == 0 || len(v.places) == 0 {
		return nil, errors.New("benchdata: the data set is too small for a query vocabulary")
	}
	return v, nil
}

// shortPlace drops a county's suffix (余姚市 → 余姚), as people type it.
func shortPlace(name string) string {
	for _, suf := range []string{"区", "市", "县"} {
		if t, ok := strings.CutSuffix(name, suf); ok && len([]rune(t)) >= 2 {
			return t
		}
	}
	return ""
}

// Queries returns n queries of each length from 1 to 4 words (map key),
// made from the vocabulary of the data set r: one word is a product or a
// process; two add a process or a place to a product; three and four add
// places, materials and certifications. Words are separated by spaces, as
// typed into a search box. The same data set and n give the same queries.
func Queries(r io.Reader, n int) (map[int][]string, error) {
	v, err := readVocabulary(r)
	if err != nil {
		return nil, err
	}
	rnd := rand.New(rand.NewPCG(20261127, 4))
	pick := func(xs []string) string { return xs[rnd.IntN(len(xs))] }
	shapes := map[int][]func() []string{
		1: {
			func() []string { return []string{pick(v.products)} },
			func() []string { return []string{pick(v.processes)} },
		},
		2: {
			func() []string { return []string{pick(v.products), pick(v.processes)} },
			func() []string { return []string{pick(v.places), pick(v.products)} },
			func() []string { return []string{pick(v.processes), pick(v.materials)} },
		},
		3: {
			func() []string { return []string{pick(v.places), pick(v.products), pick(v.processes)} },
			func() []string { return []string{pick(v.products), pick(v.processes), pick(v.materials)} },
			func() []string { return []string{pick(v.certs), pick(v.products), pick(v.processes)} },
		},
		4: {
			func() []string {
				return []string{pick(v.places), pick(v.products), pick(v.processes), pick(v.materials)}
			},
			func() []string {
				return []string{pick(v.certs), pick(v.products), pick(v.processes), pick(v.places)}
			},
		},
	}
	out := map[int][]string{}
	for words := 1; words <= 4; words++ {
		seen := map[string]bool{}
		for tries := 0; len(out[words]) < n && tries < 100*n; tries++ {
			ws := shapes[words][len(out[words])%len(shapes[words])]()
			if len(slices.Compact(slices.Sorted(slices.Values(ws)))) < len(ws) {
				continue
			}
			q := strings.Join(ws, " ")
			if !seen[q] {
				seen[q] = true
				out[words] = append(out[words], q)
			}
		}
	}
	return out, nil
}
