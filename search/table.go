package search

import (
	"context"
	"errors"
	"fmt"
	"math/bits"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"weak"

	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// This file gathers, beside bleve's top hits, what a search needs of all its
// matches: facet counts, filters that are cheaper to test after the fact,
// and the records of the query's industry family (family.go).
//
// bleve counts a facet by reading the field's doc values for every match:
// it finds the match's chunk of 1,024 documents, decompresses the chunk and
// scans it, field by field. With thousands of matches spread over the
// index, that was most of a search's time. Instead, for each segment of the
// index (segments are immutable) a table of some keyword fields' values of
// every document is read once, the first time a search needs it, and kept
// while the segment lives; a search then handles a match with a few array
// reads, in a document match handler it gives bleve's collector. The
// tables are keyed by the segment's ID and dropped when a merge removes
// the segment.

// tableFields are the keyword fields kept in the tables: the facet fields,
// the family codes, and every field a filter tests.
var tableFields = []string{fKind, fTier, fInd2, fRegion2, fCert, fFamX, fVisible, fOrgID,
	fRegion, fIndustry, fStatus}

// tableFieldIndex maps a field name to its place in tableFields.
var tableFieldIndex = func() map[string]uint8 {
	m := map[string]uint8{}
	for i, f := range tableFields {
		m[f] = uint8(i)
	}
	return m
}()

// famXField is famx's place in tableFields.
var famXField = tableFieldIndex[fFamX]

// segTable holds the table fields' values of one segment's documents:
// document d has the values vals[starts[d]:starts[d+1]], each an index into
// dict.
type segTable struct {
	starts []uint32
	vals   []uint32
	dict   []tableValue
	ids    map[string]uint32 // field index byte + term → index in dict
	// nFacet: the values of facet fields come first in dict, so that
	// counting them takes a short array
	nFacet uint32

	mu       sync.Mutex
	holders  map[uint32]bitset   // see docsWith
	families map[family]*famSets // see familySets
	sats     map[satKey]float64  // see maxSaturation
}

// maxHolderSets bounds the sets of documents a segment table keeps (see
// docsWith and familySets); past it they are made again.
const maxHolderSets = 256

// famSets are a segment's documents of an industry family: those of its
// class (rank 2) and those of the rest of its group (rank 1).
type famSets struct {
	class, group bitset
}

// familySets returns the segment's documents of family f, made when first
// asked for and kept with the table.
func (t *segTable) familySets(f *family) *famSets {
	t.mu.Lock()
	defer t.mu.Unlock()
	if fs, ok := t.families[*f]; ok {
		return fs
	}
	rank := make([]uint8, len(t.dict))
	for id, tv := range t.dict {
		if tv.field == famXField {
			rank[id] = uint8(f.rankCode(tv.term))
		}
	}
	n := len(t.starts) - 1
	fs := &famSets{class: newBitset(uint64(n)), group: newBitset(uint64(n))}
	for d := 0; d < n; d++ {
		best := uint8(0)
		for _, v := range t.vals[t.starts[d]:t.starts[d+1]] {
			best = max(best, rank[v])
		}
		switch best {
		case 2:
			fs.class.add(uint64(d))
		case 1:
			fs.group.add(uint64(d))
		}
	}
	if t.families == nil || len(t.families) >= maxHolderSets {
		t.families = map[family]*famSets{}
	}
	t.families[*f] = fs
	return fs
}

// docsWith returns the local documents holding dict entry id: for a value
// filters test often (visible=1), one bit test a match instead of a scan of
// its values. The sets are made when first asked for and kept with the
// table.
func (t *segTable) docsWith(id uint32) bitset {
	t.mu.Lock()
	defer t.mu.Unlock()
	if b, ok := t.holders[id]; ok {
		return b
	}
	n := len(t.starts) - 1
	b := newBitset(uint64(n))
	for d := 0; d < n; d++ {
		for _, v := range t.vals[t.starts[d]:t.starts[d+1]] {
			if v == id {
				b.add(uint64(d))
				break
			}
		}
	}
	if t.holders == nil || len(t.holders) >= maxHolderSets {
		t.holders = map[uint32]bitset{}
	}
	t.holders[id] = b
	return b
}

// facetField reports whether tableFields[f] is a facet field.
func facetField(f uint8) bool {
	for _, name := range facetFields {
		if tableFields[f] == name {
			return true
		}
	}
	return false
}

// tableValue is one value of a table field.
type tableValue struct {
	field uint8
	term  string
}

// buildSegTable reads the table of a segment from its doc values.
func buildSegTable(seg segment.Segment) (*segTable, error) {
	dv, ok := seg.(segment.DocValueVisitable)
	if !ok {
		return nil, errors.New("search: a segment without doc values")
	}
	n := seg.Count()
	t := &segTable{starts: make([]uint32, n+1), vals: make([]uint32, 0, n*6)}
	ids := make([]map[string]uint32, len(tableFields))
	for i := range ids {
		ids[i] = map[string]uint32{}
	}
	visit := func(field string, term []byte) {
		f, ok := tableFieldIndex[field]
		if !ok {
			return
		}
		id, ok := ids[f][string(term)]
		if !ok {
			id = uint32(len(t.dict))
			t.dict = append(t.dict, tableValue{field: f, term: string(term)})
			ids[f][string(term)] = id
		}
		t.vals = append(t.vals, id)
	}
	var state segment.DocVisitState
	var err error
	for d := uint64(0); d < n; d++ {
		t.starts[d] = uint32(len(t.vals))
		if state, err = dv.VisitDocValues(d, tableFields, visit, state); err != nil {
			return nil, fmt.Errorf("search: reading doc values: %w", err)
		}
	}
	t.starts[n] = uint32(len(t.vals))
	// renumber: facet values first
	remap := make([]uint32, len(t.dict))
	dict := make([]tableValue, 0, len(t.dict))
	for pass := 0; pass < 2; pass++ {
		for id, tv := range t.dict {
			if facetField(tv.field) == (pass == 0) {
				remap[id] = uint32(len(dict))
				dict = append(dict, tv)
			}
		}
		if pass == 0 {
			t.nFacet = uint32(len(dict))
		}
	}
	t.dict = dict
	for i, v := range t.vals {
		t.vals[i] = remap[v]
	}
	// each document's values in order, so its facet values come first
	// and add's count stops at the first other one
	for d := uint64(0); d < n; d++ {
		slices.Sort(t.vals[t.starts[d]:t.starts[d+1]])
	}
	t.ids = make(map[string]uint32, len(t.dict))
	for id, tv := range t.dict {
		t.ids[string(rune(tv.field))+tv.term] = uint32(id)
	}
	return t, nil
}

// tableCache holds the tables of one bleve index's segments.
type tableCache struct {
	mu      sync.Mutex
	entries map[uint64]*tableEntry // by segment ID
	last    weak.Pointer[scorch.IndexSnapshot]
	lastV   *view
}

type tableEntry struct {
	once sync.Once
	t    *segTable
	err  error
}

// view is what a search needs of one index snapshot: the global document
// number where each segment starts, and the segments' tables.
type view struct {
	offsets []uint64
	tables  []*segTable
	deleted []interface{ Contains(uint32) bool } // per segment; nil: none
	size    uint64                               // global document numbers are below size
}

// viewOf returns the view of an index snapshot, reading the tables of
// segments it has not seen before.
func (c *tableCache) viewOf(r index.IndexReader) (*view, error) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, fmt.Errorf("search: the index reader is a %T, not a scorch snapshot", r)
	}
	c.mu.Lock()
	if c.last.Value() == snap && c.lastV != nil {
		v := c.lastV
		c.mu.Unlock()
		return v, nil
	}
	if c.entries == nil {
		c.entries = map[uint64]*tableEntry{}
	}
	segs := snap.Segments()
	entries := make([]*tableEntry, len(segs))
	live := make(map[uint64]bool, len(segs))
	for i, s := range segs {
		e := c.entries[s.Id()]
		if e == nil {
			e = &tableEntry{}
			c.entries[s.Id()] = e
		}
		entries[i] = e
		live[s.Id()] = true
	}
	for id := range c.entries {
		if !live[id] {
			delete(c.entries, id)
		}
	}
	c.mu.Unlock()

	v := &view{offsets: make([]uint64, len(segs)), tables: make([]*segTable, len(segs)),
		deleted: make([]interface{ Contains(uint32) bool }, len(segs))}
	for i, s := range segs {
		e := entries[i]
		e.once.Do(func() { e.t, e.err = buildSegTable(s.Segment()) })
		if e.err != nil {
			return nil, e.err
		}
		v.offsets[i] = v.size
		v.tables[i] = e.t
		if del := s.Deleted(); del != nil && !del.IsEmpty() {
			v.deleted[i] = del
		}
		v.size += s.Segment().Count()
	}
	c.mu.Lock()
	c.last, c.lastV = weak.Make(snap), v
	c.mu.Unlock()
	return v, nil
}

// warm reads the tables of a generation's segments, so that the first
// search after an open or a rebuild does not wait for them.
func (g *generation) warm() error {
	adv, err := g.bi.Advanced()
	if err != nil {
		return err
	}
	r, err := adv.Reader()
	if err != nil {
		return err
	}
	defer r.Close()
	_, err = g.tables.viewOf(r)
	return err
}

// locate returns the table and local document number of a global one.
func (v *view) locate(n uint64) (*segTable, uint64) {
	i, d := v.segOf(n)
	if i < 0 {
		return nil, 0
	}
	return v.tables[i], d
}

// segOf returns the segment of a global document number, and its number
// there; -1 for none.
func (v *view) segOf(n uint64) (int, uint64) {
	i := sort.Search(len(v.offsets), func(i int) bool { return v.offsets[i] > n }) - 1
	if i < 0 {
		return -1, 0
	}
	return i, n - v.offsets[i]
}

// famCodesOf returns the stored family codes (famx) of a document.
func (v *view) famCodesOf(n uint64) []string {
	t, d := v.locate(n)
	if t == nil || d+1 >= uint64(len(t.starts)) {
		return nil
	}
	var out []string
	for _, id := range t.vals[t.starts[d]:t.starts[d+1]] {
		if tv := t.dict[id]; tv.field == famXField {
			out = append(out, tv.term)
		}
	}
	return out
}

// setFamCodes puts the family codes of hits where famCodes reads them.
func (v *view) setFamCodes(hits search.DocumentMatchCollection) {
	for _, h := range hits {
		h.Fields = map[string]any{fFamX: v.famCodesOf(h.IndexInternalID.Value())}
	}
}

// bitset is a set of global document numbers.
type bitset []uint64

func newBitset(size uint64) bitset { return make(bitset, (size+63)/64) }

// bitsets recycles the sets of matches searches make (see collect.release).
var bitsets sync.Pool

// getBitset returns an empty set for size documents, recycled if it can be.
func getBitset(size uint64) bitset {
	n := int((size + 63) / 64)
	if p, ok := bitsets.Get().(*bitset); ok && cap(*p) >= n {
		b := (*p)[:n]
		clear(b)
		return b
	}
	return make(bitset, n)
}

// release hands c's set of matches back for another search; c must not
// be used afterwards.
func (c *collect) release() {
	if c.seen != nil {
		b := c.seen
		c.seen = nil
		bitsets.Put(&b)
	}
}

func (b bitset) add(n uint64) {
	if n/64 < uint64(len(b)) {
		b[n/64] |= 1 << (n % 64)
	}
}

func (b bitset) has(n uint64) bool {
	return n/64 < uint64(len(b)) && b[n/64]&(1<<(n%64)) != 0
}

// word returns the 64 members from n on as the bits of a word.
func (b bitset) word(n uint64) uint64 {
	i, sh := n/64, n%64
	var w uint64
	if i < uint64(len(b)) {
		w = b[i] >> sh
	}
	if sh > 0 && i+1 < uint64(len(b)) {
		w |= b[i+1] << (64 - sh)
	}
	return w
}

// union returns a new set of the members of b and o.
func (b bitset) union(o bitset) bitset {
	u := make(bitset, max(len(b), len(o)))
	copy(u, b)
	for i, w := range o {
		u[i] |= w
	}
	return u
}

// collect is what a search gathers about its matches beside bleve's top
// hits: facet counts, the total, and with feedback the records of the
// query's family.
type collect struct {
	facets []string // facet names to count
	// where are filters on table fields that matches must pass; bleve's
	// searchers do not test them (see withFilters)
	where whereSet
	// feedback finds the family of the best matches and picks up to keep
	// records of it that do not match, which pass famWhere (every filter
	// of the search); see pickFamily
	feedback bool
	keep     int
	famWhere whereSet

	v     *view
	total uint64
	// counts per segment, indexed like the segment's dict
	counts [][]uint32
	// fieldWanted[f] is set when tableFields[f] is a facet to count
	fieldWanted [16]bool
	// cursor: the segment of the last match (matches come in document order)
	seg      int
	segStart uint64
	segEnd   uint64

	// with feedback: the matches, and the best feedbackDepth of them
	seen bitset
	best []scoredDoc
	// the result of pickFamily
	fam      *family
	famHits  search.DocumentMatchCollection
	famTotal uint64
	// lazyIDs leaves the hits' IDs empty: hydrate reads those of the page
	// with their stored fields (exec.go)
	lazyIDs bool
}

// scoredDoc is a match by its global document number.
type scoredDoc struct {
	n     uint64
	score float64
}

// context returns ctx with a document match handler that feeds c before
// bleve's own top-N collection.
func (c *collect) context(ctx context.Context, cache *tableCache) context.Context {
	return context.WithValue(ctx, search.MakeDocumentMatchHandlerKey,
		search.MakeDocumentMatchHandler(func(sctx *search.SearchContext) (search.DocumentMatchHandler, bool, error) {
			next, loadID, err := collector.MakeTopNDocumentMatchHandler(sctx)
			if err != nil {
				return nil, false, err
			}
			v, err := cache.viewOf(sctx.IndexReader)
			if err != nil {
				return nil, false, err
			}
			c.begin(v)
			pool := sctx.DocumentMatchPool
			return func(d *search.DocumentMatch) error {
				if d == nil {
					// the end: the reader is still open
					if c.feedback {
						if err := c.pickFamily(sctx.IndexReader); err != nil {
							return err
						}
					}
					return next(nil)
				}
				if !c.add(d.IndexInternalID.Value(), d.Score) {
					pool.Put(d)
					return nil
				}
				return next(d)
			}, loadID, nil
		}))
}

// begin readies c for the matches of a search over the snapshot v
// describes, which come in document order.
func (c *collect) begin(v *view) {
	for _, name := range c.facets {
		c.fieldWanted[tableFieldIndex[facetFields[name]]] = true
	}
	c.v = v
	c.counts = make([][]uint32, len(v.tables))
	c.where.reset(len(v.tables))
	c.famWhere.reset(len(v.tables))
	c.seg, c.segStart, c.segEnd = -1, 0, 0
	if c.feedback {
		c.seen = getBitset(v.size)
	}
}

// add takes the match with global document number n, unless it fails the
// where filters.
func (c *collect) add(n uint64, score float64) bool {
	if len(c.facets) == 0 && len(c.where.filters) == 0 && !c.feedback {
		c.total++
		return true
	}
	if c.seg < 0 || n < c.segStart || n >= c.segEnd {
		i := sort.Search(len(c.v.offsets), func(i int) bool { return c.v.offsets[i] > n }) - 1
		if i < 0 {
			return false
		}
		c.seg, c.segStart = i, c.v.offsets[i]
		c.segEnd = c.v.size
		if i+1 < len(c.v.offsets) {
			c.segEnd = c.v.offsets[i+1]
		}
	}
	t := c.v.tables[c.seg]
	d := n - c.segStart
	if d+1 >= uint64(len(t.starts)) {
		return false
	}
	vals := t.vals[t.starts[d]:t.starts[d+1]]
	if !c.where.passes(c.seg, t, d, vals) {
		return false
	}
	c.total++
	if c.feedback {
		c.seen.add(n)
		c.offerBest(n, score)
	}
	if len(c.facets) > 0 {
		counts := c.counts[c.seg]
		if counts == nil {
			counts = make([]uint32, t.nFacet)
			c.counts[c.seg] = counts
		}
		for _, id := range vals {
			if id >= t.nFacet {
				break // the rest are not facets either (buildSegTable)
			}
			counts[id]++
		}
	}
	return true
}

// touchSink keeps touch's reads from being left out by the compiler.
var touchSink atomic.Uint32

// touch reads the table entries of a batch of matches ahead of add. The
// tables are too large for the processor's caches, and add's reads of one
// match's values wait for its start offset; read here in two tight loops,
// the loads of different matches are independent and overlap, so that
// add finds them cached.
func (c *collect) touch(ms []scoredDoc) {
	if len(c.facets) == 0 && len(c.where.filters) == 0 && !c.feedback {
		return
	}
	var sink uint32
	for _, m := range ms {
		if t, d := c.v.locate(m.n); t != nil && d+1 < uint64(len(t.starts)) {
			sink += t.starts[d]
		}
	}
	for _, m := range ms {
		if t, d := c.v.locate(m.n); t != nil && d+1 < uint64(len(t.starts)) {
			if i := t.starts[d]; i < t.starts[d+1] {
				sink += t.vals[i]
			}
		}
	}
	touchSink.Add(sink)
}

// offerBest keeps the feedbackDepth best matches, by score and then
// document order, as bleve ranks them.
func (c *collect) offerBest(n uint64, score float64) {
	if len(c.best) == feedbackDepth && score <= c.best[len(c.best)-1].score {
		return
	}
	i := sort.Search(len(c.best), func(i int) bool { return c.best[i].score < score })
	if len(c.best) < feedbackDepth {
		c.best = append(c.best, scoredDoc{})
	}
	copy(c.best[i+1:], c.best[i:])
	c.best[i] = scoredDoc{n, score}
}

// pickFamily finds the family of the best matches (dominantFamily) and
// the records of it that do not match: all are counted in famTotal, and the
// first keep, those of the family's class before the rest of its group and
// each in index order, become famHits. It reads the family from the tables
// and needs no search of its own.
func (c *collect) pickFamily(r index.IndexReader) error {
	best := make(search.DocumentMatchCollection, len(c.best))
	for i, b := range c.best {
		best[i] = &search.DocumentMatch{Score: b.score, IndexInternalID: index.NewIndexInternalID(nil, b.n)}
	}
	c.v.setFamCodes(best)
	if c.fam = dominantFamily(best); c.fam == nil {
		return nil
	}
	var class, group []uint64
	for i, t := range c.v.tables {
		off, del := c.v.offsets[i], c.v.deleted[i]
		fs := t.familySets(c.fam)
		// Whole words of 64 documents at a time where the filters allow:
		// when each is a set of documents here (no rare values), and no
		// document of the segment is deleted, a word's candidates are
		// counted at once and only those picked are looked at.
		pass, exact := c.famWhere.docsOf(i, t)
		exact = exact && del == nil
		for rank, set := range []bitset{fs.class, fs.group} {
			for w, word := range set {
				word &^= c.seen.word(off + uint64(w)*64)
				if pass != nil {
					word &= pass[w]
				}
				if word == 0 {
					continue
				}
				picked := &class
				if rank == 1 {
					picked = &group
				}
				if exact && len(*picked) >= c.keep {
					c.famTotal += uint64(bits.OnesCount64(word))
					continue
				}
				for word != 0 {
					d := uint64(w*64 + bits.TrailingZeros64(word))
					word &= word - 1
					if !exact && (d+1 >= uint64(len(t.starts)) || del != nil && del.Contains(uint32(d)) ||
						!c.famWhere.passes(i, t, d, t.vals[t.starts[d]:t.starts[d+1]])) {
						continue
					}
					c.famTotal++
					if len(*picked) < c.keep {
						*picked = append(*picked, off+d)
					}
				}
			}
		}
	}
	chosen := append(class, group...)
	for _, n := range chosen[:min(len(chosen), c.keep)] {
		h := &search.DocumentMatch{IndexInternalID: index.NewIndexInternalID(nil, n)}
		if !c.lazyIDs {
			id, err := r.ExternalID(h.IndexInternalID)
			if err != nil {
				return err
			}
			h.ID = id
		}
		c.famHits = append(c.famHits, h)
	}
	c.v.setFamCodes(c.famHits)
	return nil
}

// whereSet is filters tested against the tables, with what each filter is
// in each segment once resolved.
type whereSet struct {
	filters []filter
	segs    [][]segWhere
}

func (w *whereSet) reset(segments int) {
	w.segs = make([][]segWhere, segments)
}

// docsOf returns the documents of segment seg that pass the filters' common
// values (nil: every document), and whether that is exact: no filter has
// rare values to look for besides.
func (w *whereSet) docsOf(seg int, t *segTable) (bitset, bool) {
	if len(w.filters) == 0 {
		return nil, true
	}
	w.resolve(seg, t)
	var and bitset
	exact := true
	for _, f := range w.segs[seg] {
		if len(f.rare) > 0 {
			exact = false
			continue
		}
		if and == nil {
			and = append(bitset(nil), f.docs...)
			if len(and) < (len(t.starts)+62)/64 {
				and = append(and, make(bitset, (len(t.starts)+62)/64-len(and))...)
			}
			continue
		}
		for i := range and {
			if i < len(f.docs) {
				and[i] &= f.docs[i]
			} else {
				and[i] = 0
			}
		}
	}
	if !exact {
		return nil, false
	}
	return and, true
}

// segWhere is a filter in one segment: the documents holding its values,
// and the dict entries of its values of an organisation's ID, which are
// looked for in a document's values instead (they are many, each used by
// few searches).
type segWhere struct {
	docs bitset
	rare []uint32
}

// passes reports whether local document d of segment seg, with table values
// vals, passes every filter.
func (w *whereSet) passes(seg int, t *segTable, d uint64, vals []uint32) bool {
	if len(w.filters) == 0 {
		return true
	}
	w.resolve(seg, t)
	for _, f := range w.segs[seg] {
		if f.docs.has(d) {
			continue
		}
		found := false
		for _, v := range vals {
			for _, r := range f.rare {
				found = found || v == r
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// resolve finds what the filters are in segment seg.
func (w *whereSet) resolve(seg int, t *segTable) {
	ws := w.segs[seg]
	if ws == nil {
		ws = make([]segWhere, len(w.filters))
		for i, f := range w.filters {
			for _, fv := range f.fvs {
				id, ok := t.ids[string(rune(tableFieldIndex[fv[0]]))+fv[1]]
				switch {
				case !ok:
				case fv[0] != fOrgID:
					docs := t.docsWith(id)
					if ws[i].docs == nil {
						ws[i].docs = docs
					} else {
						ws[i].docs = ws[i].docs.union(docs)
					}
				default:
					ws[i].rare = append(ws[i].rare, id)
				}
			}
		}
		w.segs[seg] = ws
	}
}

// facetResults returns the counted facets, each value with its count, most
// frequent first (ties by value), at most facetSize per facet.
func (c *collect) facetResults() map[string][]FacetCount {
	if len(c.facets) == 0 {
		return nil
	}
	byField := make([]map[string]int, len(tableFields))
	for s, counts := range c.counts {
		t := c.v.tables[s]
		for id, n := range counts {
			tv := t.dict[id]
			if n == 0 || !c.fieldWanted[tv.field] {
				continue
			}
			if byField[tv.field] == nil {
				byField[tv.field] = map[string]int{}
			}
			byField[tv.field][tv.term] += int(n)
		}
	}
	out := make(map[string][]FacetCount, len(c.facets))
	for _, name := range c.facets {
		m := byField[tableFieldIndex[facetFields[name]]]
		fcs := make([]FacetCount, 0, len(m))
		for v, n := range m {
			fcs = append(fcs, FacetCount{Value: v, Count: n})
		}
		sort.Slice(fcs, func(i, j int) bool {
			if fcs[i].Count != fcs[j].Count {
				return fcs[i].Count > fcs[j].Count
			}
			return fcs[i].Value < fcs[j].Value
		})
		out[name] = fcs[:min(len(fcs), facetSize)]
	}
	return out
}
