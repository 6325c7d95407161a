package search

import (
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/ref"
)

// This file reads a query's text: which certifications and places it
// names, which words it is about, and their synonyms.

// parsed is a query's text taken apart.
type parsed struct {
	certs    []string   // canonical certifications named (ISO9001)
	places   [][]string // for each place named, the region codes it may mean
	concepts []concept
}

// concept is one thing the query asks for: a word or a synonym-table term,
// with its alternative wordings.
type concept struct {
	text       string
	alts       []alt
	process    bool // a process (压铸, 数控加工) rather than a product
	start, end int  // where it is in the folded text
	// common is set for a word most documents contain (检测, 材料) in a
	// query with rarer ones: it adds to the score of what the others
	// match but matches nothing by itself (see markCommon).
	common bool
}

type alt struct {
	text   string
	weight float64
	// typed is set for the words as typed; their sub-words are searched
	// too, while a synonym's are not, as they would drift from the query.
	typed bool
}

// understand parses query text. certs and procs are the certifications and
// processes the index holds.
func understand(text string, certs *certVocab, procs *wordVocab) parsed {
	var p parsed
	f := []byte(foldString(text))
	p.certs = certs.find(f) // blanks what it finds
	p.places = findPlaces(f)
	p.concepts = concepts(f)
	for i := range p.concepts {
		for _, a := range p.concepts[i].alts {
			p.concepts[i].process = p.concepts[i].process || procs.has(a.text)
		}
	}
	// A process word right before a word for parts names a product:
	// 注塑零部件 are injection-moulded parts, as 压铸件 are die castings.
	for i := range p.concepts {
		c := &p.concepts[i]
		if !c.process {
			continue
		}
		for _, d := range p.concepts {
			if d.start == c.end && partNouns[d.text] {
				c.process = false
			}
		}
	}
	return p
}

// partNouns are words for parts and products that, after a process, make
// the process part of a product name.
var partNouns = map[string]bool{"件": true, "零件": true, "零部件": true, "部件": true, "配件": true,
	"制品": true, "结构件": true, "产品": true, "组件": true}

// wordVocab is the set of values of a keyword field of the index, such as
// the structured processes, kept in step with writes.
type wordVocab struct {
	mu    sync.RWMutex
	words map[string]bool
}

func (v *wordVocab) has(w string) bool {
	v.mu.RLock()
	defer v.mu.RUnlock()
	return v.words[w]
}

func (v *wordVocab) add(ws ...string) {
	if len(ws) == 0 {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.words == nil {
		v.words = map[string]bool{}
	}
	for _, w := range ws {
		v.words[w] = true
	}
}

// load reads the terms of field.
func (v *wordVocab) load(bi bleve.Index, field string) error {
	ws, err := fieldTerms(bi, field)
	if err != nil {
		return err
	}
	v.mu.Lock()
	v.words = nil
	v.mu.Unlock()
	v.add(ws...)
	return nil
}

func fieldTerms(bi bleve.Index, field string) ([]string, error) {
	d, err := bi.FieldDict(field)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	var out []string
	for {
		e, err := d.Next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			return out, nil
		}
		out = append(out, e.Term)
	}
}

// homeProvinces are the provinces whose counties are also recognised by their
// short names (北仑 for 北仑区); elsewhere only full county names are, since
// many short county names are everyday words. Zhejiang is the platform's
// home province.
var homeProvinces = []string{"330000"}

// ambiguousPlaces are short county names that are more often ordinary words.
var ambiguousPlaces = map[string]bool{"天台": true, "开化": true, "三门": true, "路桥": true, "城关": true, "高新": true}

// placeNames maps folded region names (full, and short where allowed) to
// their codes.
var placeNames = sync.OnceValue(func() map[string][]string {
	m := map[string][]string{}
	add := func(name, code string) {
		name = foldString(name)
		for _, c := range m[name] {
			if c == code {
				return
			}
		}
		m[name] = append(m[name], code)
	}
	for _, r := range ref.Regions() {
		words := regionWords(r.Name)
		if len(words) == 0 {
			continue
		}
		add(words[0], r.Code)
		if len(words) < 2 || ambiguousPlaces[words[1]] {
			continue
		}
		home := false
		for _, p := range homeProvinces {
			home = home || ref.RegionCovers(p, r.Code)
		}
		if r.Level < 3 || home {
			add(words[1], r.Code)
		}
	}
	return m
})

// findPlaces returns the places named in f, as segmenter words, and blanks
// them. A county named with its city (宁波北仑) keeps only the county.
func findPlaces(f []byte) [][]string {
	names := placeNames()
	var found [][]string
	for _, w := range segmentWords(segmenter(), f) {
		codes, ok := names[w.text]
		if !ok {
			continue
		}
		found = append(found, codes)
		blank(f, w.start, w.end)
	}
	// drop a place that only contains another one named
	var out [][]string
	for i, a := range found {
		covered := false
		for j, b := range found {
			if i != j && coversAll(a, b) && !coversAll(b, a) {
				covered = true
			}
		}
		if !covered {
			out = append(out, a)
		}
	}
	return out
}

// coversAll reports whether every code in b lies under some code of a.
func coversAll(a, b []string) bool {
	for _, cb := range b {
		ok := false
		for _, ca := range a {
			ok = ok || ref.RegionCovers(ca, cb)
		}
		if !ok {
			return false
		}
	}
	return true
}

func blank(f []byte, start, end int) {
	for i := start; i < end; i++ {
		f[i] = ' '
	}
}

// Weights of a concept's alternatives: the words typed, and synonyms.
const synonymWeight = 0.8

// synonymExpansion switches the query-time synonyms on; the evaluation turns
// it off to measure what they add. The table still keeps its terms whole.
var synonymExpansion = true

// concepts splits what is left of the query into concepts: synonym-table
// terms first (longest match), then the segmenter's words, without stop
// words unless nothing else is left.
func concepts(f []byte) []concept {
	var out []concept
	used := make([]bool, len(f))
	for _, m := range findSynonyms(f) {
		c := concept{text: m.term, start: m.start, end: m.end}
		c.alts = append(c.alts, alt{m.term, 1, true})
		for _, s := range synonymGroups[m.group] {
			if fs := foldString(s); fs != m.term && synonymExpansion {
				c.alts = append(c.alts, alt{fs, synonymWeight, false})
			}
		}
		out = append(out, c)
		for i := m.start; i < m.end; i++ {
			used[i] = true
		}
	}
	var rest, stops []concept
	for _, w := range segmentWords(segmenter(), f) {
		overlap := false
		for i := w.start; i < w.end; i++ {
			overlap = overlap || used[i]
		}
		if overlap {
			continue
		}
		c := concept{text: w.text, alts: []alt{{w.text, 1, true}}, start: w.start, end: w.end}
		if stopWords[w.text] {
			stops = append(stops, c)
			continue
		}
		rest = append(rest, c)
	}
	out = append(out, rest...)
	if len(out) == 0 {
		out = stops
	}
	return dedupeConcepts(out)
}

func dedupeConcepts(cs []concept) []concept {
	seen := map[string]bool{}
	out := cs[:0]
	for _, c := range cs {
		if !seen[c.text] {
			seen[c.text] = true
			out = append(out, c)
		}
	}
	return out
}

type synonymMatch struct {
	term       string
	group      int
	start, end int
}

// synonymIndex maps every folded synonym-table term to its group.
var synonymIndex = sync.OnceValue(func() map[string]int {
	m := map[string]int{}
	for g, terms := range synonymGroups {
		for _, t := range terms {
			t = foldString(t)
			if _, dup := m[t]; !dup {
				m[t] = g
			}
		}
	}
	return m
})

// wholeTerms holds the folded domain words; a synonym-table term must not
// cut one of them short (see findSynonyms).
var wholeTerms = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, t := range domainTerms {
		m[foldString(t)] = true
	}
	return m
})

var synonymMaxBytes = sync.OnceValue(func() int {
	n := 0
	for t := range synonymIndex() {
		n = max(n, len(t))
	}
	for t := range wholeTerms() {
		n = max(n, len(t))
	}
	return n
})

// findSynonyms finds synonym-table terms in f, longest first from left to
// right, never overlapping. A term starting or ending with a Latin letter or
// digit must not continue a longer Latin word (pv is not found in pvdf). A
// term that is only the beginning of a longer domain word (储能 of 储能变流器,
// 铸铁 of 铸铁件) is not a match: the domain word is one concept, left whole
// for the segmenter.
func findSynonyms(f []byte) []synonymMatch {
	idx, whole := synonymIndex(), wholeTerms()
	var out []synonymMatch
	for i := 0; i < len(f); {
		if !utf8.RuneStart(f[i]) || f[i] == ' ' {
			i++
			continue
		}
		best, longest := 0, 0
		for j := min(len(f), i+synonymMaxBytes()); j > i && best == 0; j-- {
			if j < len(f) && !utf8.RuneStart(f[j]) || !latinBoundary(f, i, j) {
				continue
			}
			t := string(f[i:j])
			if _, ok := idx[t]; ok {
				best = j
			} else if whole[t] && longest == 0 {
				longest = j
			}
		}
		if best != 0 && longest > best {
			i = longest
			continue
		}
		if best == 0 {
			_, size := utf8.DecodeRune(f[i:])
			i += size
			continue
		}
		t := string(f[i:best])
		out = append(out, synonymMatch{term: t, group: idx[t], start: i, end: best})
		i = best
	}
	return out
}

func latinBoundary(f []byte, i, j int) bool {
	if isLatin(f[i]) && i > 0 && isLatin(f[i-1]) {
		return false
	}
	if isLatin(f[j-1]) && j < len(f) && isLatin(f[j]) {
		return false
	}
	return true
}

func isLatin(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

// certVocab is the set of certifications the index holds, so a query that
// names one can be matched against the structured certification fields.
type certVocab struct {
	mu      sync.RWMutex
	compact map[string]string // compact form → canonical
}

// compactCert folds a certification for matching: lower case, no spaces,
// hyphens or dots, ü as u.
func compactCert(s string) string {
	s = foldString(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == ' ' || r == '-' || r == '.' || r == '_' || r == '/':
		case r == 'ü':
			b.WriteRune('u')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (v *certVocab) add(certs ...string) {
	if len(certs) == 0 {
		return
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.compact == nil {
		v.compact = map[string]string{}
	}
	for _, c := range certs {
		if k := compactCert(c); utf8.RuneCountInString(k) >= 2 {
			v.compact[k] = c
		}
	}
}

// load reads the certification terms of an index.
func (v *certVocab) load(bi bleve.Index) error {
	certs, err := fieldTerms(bi, fCert)
	if err != nil {
		return err
	}
	v.mu.Lock()
	v.compact = nil
	v.mu.Unlock()
	v.add(certs...)
	return nil
}

// find returns the canonical certifications named in folded text f and
// blanks them. Spaces and hyphens inside a name are ignored (ISO 9001,
// OEKO-TEX); a name must not be part of a longer Latin word.
func (v *certVocab) find(f []byte) []string {
	v.mu.RLock()
	defer v.mu.RUnlock()
	if len(v.compact) == 0 {
		return nil
	}
	// the compact text, with the offset in f of each of its bytes
	var c []byte
	var at []int
	for i := 0; i < len(f); {
		r, size := utf8.DecodeRune(f[i:])
		switch {
		case r == ' ' || r == '-' || r == '.' || r == '_' || r == '/':
		case r == 'ü':
			c = append(c, 'u')
			at = append(at, i)
		default:
			for k := 0; k < size; k++ {
				c = append(c, f[i+k])
				at = append(at, i+k)
			}
		}
		i += size
	}
	keys := make([]string, 0, len(v.compact))
	for k := range v.compact {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		return len(keys[i]) > len(keys[j]) || len(keys[i]) == len(keys[j]) && keys[i] < keys[j]
	})
	var out []string
	taken := make([]bool, len(c))
	for _, k := range keys {
		for from := 0; from < len(c); {
			i := strings.Index(string(c[from:]), k)
			if i < 0 {
				break
			}
			i += from
			j := i + len(k)
			from = i + 1
			if (i > 0 && isLatin(c[i-1]) && isLatin(c[i])) || (j < len(c) && isLatin(c[j]) && isLatin(c[j-1])) {
				continue
			}
			clash := false
			for x := i; x < j; x++ {
				clash = clash || taken[x]
			}
			if clash {
				continue
			}
			for x := i; x < j; x++ {
				taken[x] = true
			}
			out = appendNew(out, v.compact[k])
			// blank from the first to the last byte of the name in f
			last := at[j-1]
			_, size := utf8.DecodeRune(f[last:])
			blank(f, at[i], last+size)
		}
	}
	return out
}

// validText checks user text before it is used: valid UTF-8, no control
// characters but tab and newlines, at most max runes.
func validText(field, s string, max int) error {
	if !utf8.ValidString(s) {
		return app.Invalid(field, app.FieldFormat, "is not valid UTF-8")
	}
	for _, r := range s {
		if r == '\t' || r == '\n' || r == '\r' {
			continue
		}
		if unicode.IsControl(r) || (r >= 0xD800 && r <= 0xDFFF) {
			return app.Invalid(field, app.FieldFormat, "contains a control character")
		}
	}
	if n := utf8.RuneCountInString(s); n > max {
		return app.Invalid(field, app.FieldTooLong, "must be at most %d characters (has %d)", max, n)
	}
	return nil
}
