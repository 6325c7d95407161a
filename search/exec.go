package search

import (
	"container/heap"
	"context"
	"errors"
	"math"
	"os"
	"sort"
	"sync/atomic"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// This file runs the relevance searches' text queries itself, over the
// postings of the index's segments, instead of through bleve's searchers.
//
// The queries are the few shapes textQuery and withFilters build: terms,
// disjunctions, conjunctions and a boolean of them. bleve answers them with
// a tree of searchers that hands each match up as a *DocumentMatch, scores
// every level, and compares byte-slice document IDs at every step; on a
// query with many matches that is most of a search's CPU. Here the same
// tree steps through plain document numbers, scores a document only once
// it matches the whole query, and keeps the best in a heap. The scores are
// bleve's (BM25 or TF-IDF as the mapping says, its query norm, its
// disjunction coordination factor), so results and their order are those
// of bleve; TestExecMatchesBleve holds the two to that. A query of any
// other shape, or an index reader that is not a scorch snapshot, goes to
// bleve.

// errUnsupported says a query has a shape exec does not run.
var errUnsupported = errors.New("search: query shape not supported by exec")

// execDisabled turns exec off (RONGTONG_SEARCH_EXEC=bleve), to compare the
// two ways of running a search.
var execDisabled = os.Getenv("RONGTONG_SEARCH_EXEC") == "bleve"

// execRuns counts the searches exec has run, so tests can tell it ran
// rather than handing the query to bleve.
var execRuns atomic.Int64

// noDoc is a cursor's document once it has passed its last match.
const noDoc = math.MaxUint32

// plan is a compiled query: the tree of nodes and the index statistics
// its scores need, from the snapshot of dfs.
type plan struct {
	dfs  *docFreqs
	bm25 bool               // the mapping scores with BM25
	avg  map[string]float64 // BM25's average length of each field
	root *node
}

type nodeKind uint8

const (
	nodeTerm nodeKind = iota
	nodeOr
	nodeAnd
	nodeBool
)

// node is one query of the tree.
type node struct {
	kind nodeKind
	// nodeOr and nodeAnd: the parts; nodeBool: must, should (either may be
	// nil) and filter (nil for none)
	kids                 []*node
	must, should, filter *node
	// nodeTerm
	field   string
	term    []byte
	boost   float64
	idf     float64
	avg     float64                // BM25's average field length; 0 scores with TF-IDF
	weightQ float64                // boost × idf × the query norm; 1 when the term is the whole query
	pls     []segment.PostingsList // per segment
	count   uint64                 // documents holding the term, over all segments
	scored  bool                   // false within a filter
}

// compileExec compiles q for the snapshot of dfs, or returns
// errUnsupported.
func compileExec(dfs *docFreqs, m mapping.IndexMapping, q query.Query) (*plan, error) {
	if dfs.snap == nil {
		return nil, errUnsupported
	}
	p := &plan{dfs: dfs, avg: map[string]float64{}}
	if im, ok := m.(*mapping.IndexMappingImpl); ok {
		p.bm25 = im.ScoringModel == index.BM25Scoring
	}
	var err error
	if p.root, err = p.compile(q, true); err != nil {
		return nil, err
	}
	// bleve's query norm: the top searcher's, set on every term below it;
	// a lone term searcher keeps a query weight of 1
	if p.root.kind == nodeTerm {
		p.root.weightQ = 1
	} else {
		w := p.root.weight()
		p.root.setNorm(1 / math.Sqrt(w))
	}
	return p, nil
}

func (p *plan) compile(q query.Query, scored bool) (*node, error) {
	switch q := q.(type) {
	case *query.TermQuery:
		if q.FieldVal == "" {
			return nil, errUnsupported
		}
		return p.termNode(q.FieldVal, q.Term, q.BoostVal.Value(), scored)
	case *query.DisjunctionQuery:
		if q.Min > 1 || len(q.Disjuncts) == 0 {
			return nil, errUnsupported
		}
		return p.compound(nodeOr, q.Disjuncts, scored)
	case *query.ConjunctionQuery:
		if len(q.Conjuncts) == 0 {
			return nil, errUnsupported
		}
		return p.compound(nodeAnd, q.Conjuncts, scored)
	case *query.BooleanQuery:
		if q.MustNot != nil || q.Must == nil {
			return nil, errUnsupported
		}
		n := &node{kind: nodeBool}
		var err error
		if n.must, err = p.compile(q.Must, scored); err != nil {
			return nil, err
		}
		if q.Should != nil {
			if d, ok := q.Should.(*query.DisjunctionQuery); !ok || d.Min > 0 {
				return nil, errUnsupported
			}
			if n.should, err = p.compile(q.Should, scored); err != nil {
				return nil, err
			}
		}
		if q.Filter != nil {
			if n.filter, err = p.compile(q.Filter, false); err != nil {
				return nil, err
			}
		}
		if n.should == nil && n.filter == nil {
			return n.must, nil // bleve runs a lone must as itself
		}
		return n, nil
	}
	return nil, errUnsupported
}

func (p *plan) compound(kind nodeKind, qs []query.Query, scored bool) (*node, error) {
	n := &node{kind: kind, kids: make([]*node, len(qs))}
	for i, q := range qs {
		k, err := p.compile(q, scored)
		if err != nil {
			return nil, err
		}
		n.kids[i] = k
	}
	return n, nil
}

// termNode looks a term up in every segment.
func (p *plan) termNode(field, term string, boost float64, scored bool) (*node, error) {
	pls, err := p.dfs.postings(field, term)
	if err != nil {
		return nil, err
	}
	n := &node{kind: nodeTerm, field: field, term: []byte(term), boost: boost, scored: scored, pls: pls}
	for _, pl := range pls {
		n.count += pl.Count()
	}
	if !scored {
		return n, nil
	}
	if p.bm25 {
		if n.avg, err = p.avgLength(field); err != nil {
			return nil, err
		}
	}
	// bleve's TermQueryScorer.computeIDF
	docs := float64(p.dfs.n)
	if n.avg > 0 {
		n.idf = math.Log(1 + (docs-float64(n.count)+0.5)/(float64(n.count)+0.5))
	} else {
		n.idf = 1 + math.Log(docs/float64(n.count+1))
	}
	return n, nil
}

// avgLength is bleve's average field length for BM25: the field's
// cardinality over the documents, rounded up.
func (p *plan) avgLength(field string) (float64, error) {
	if a, ok := p.avg[field]; ok {
		return a, nil
	}
	card, err := p.dfs.snap.FieldCardinality(field)
	if err != nil {
		return 0, err
	}
	var a float64
	if p.dfs.n > 0 {
		a = math.Ceil(float64(card) / float64(p.dfs.n))
	}
	p.avg[field] = a
	return a, nil
}

// weight is bleve's sum of squared weights of a searcher.
func (n *node) weight() float64 {
	switch n.kind {
	case nodeTerm:
		w := n.boost * n.idf
		return w * w
	case nodeBool:
		w := n.must.weight()
		if n.should != nil {
			w += n.should.weight()
		}
		return w
	}
	var w float64
	for _, k := range n.kids {
		w += k.weight()
	}
	return w
}

func (n *node) setNorm(norm float64) {
	switch n.kind {
	case nodeTerm:
		n.weightQ = n.boost * n.idf * norm
	case nodeBool:
		n.must.setNorm(norm)
		if n.should != nil {
			n.should.setNorm(norm)
		}
	default:
		for _, k := range n.kids {
			k.setNorm(norm)
		}
	}
}

// maxScore bounds the score a node gives any document of segment seg
// (TF-IDF has no bound). Under BM25 a term scores
// idf·k1·t/(t + k1·(1-b+b·L/avg)) with t = √freq and L the field's length;
// the largest value of that saturation over the term's postings in the
// segment is read once and kept with the segment's table (maxSaturation).
func (n *node) maxScore(seg int, tables []*segTable) (float64, error) {
	switch n.kind {
	case nodeTerm:
		if n.avg <= 0 {
			return math.Inf(1), nil
		}
		sat, err := tables[seg].maxSaturation(n.field, string(n.term), n.avg, n.pls[seg])
		if err != nil {
			return 0, err
		}
		return n.idf * search.BM25_k1 * sat * n.weightQ, nil
	case nodeBool:
		m, err := n.must.maxScore(seg, tables)
		if err != nil || n.should == nil {
			return m, err
		}
		s, err := n.should.maxScore(seg, tables)
		return m + s, err
	}
	var m float64
	for _, k := range n.kids {
		s, err := k.maxScore(seg, tables)
		if err != nil {
			return 0, err
		}
		m += s
	}
	return m, nil
}

// saturation is BM25's t/(t + k1·(1-b+b·L/avg)) for a posting.
func saturation(freq uint64, norm, avg float64) float64 {
	t := math.Sqrt(float64(freq))
	length := 1 / (norm * norm)
	return t / (t + search.BM25_k1*(1-search.BM25_b+(search.BM25_b*length/avg)))
}

// maxSaturation returns the largest saturation of a term's postings pl in
// the table's segment, kept for the next search. The segment's documents
// never change, only get deleted, so the kept value stays an upper bound.
func (t *segTable) maxSaturation(field, term string, avg float64, pl segment.PostingsList) (float64, error) {
	key := satKey{field, term, avg}
	t.mu.Lock()
	m, ok := t.sats[key]
	t.mu.Unlock()
	if ok {
		return m, nil
	}
	it := pl.Iterator(true, true, false, nil)
	for {
		p, err := it.Next()
		if err != nil {
			return 0, err
		}
		if p == nil {
			break
		}
		m = max(m, saturation(p.Frequency(), p.Norm(), avg))
	}
	t.mu.Lock()
	if t.sats == nil || len(t.sats) >= maxSaturations {
		t.sats = map[satKey]float64{}
	}
	t.sats[key] = m
	t.mu.Unlock()
	return m, nil
}

// satKey names a term's saturation bound in a segment.
type satKey struct {
	field, term string
	avg         float64
}

// maxSaturations bounds the bounds a segment table keeps.
const maxSaturations = 4096

// cost estimates how many documents a node's cursor visits.
func (n *node) cost(seg int) uint64 {
	switch n.kind {
	case nodeTerm:
		return n.pls[seg].Count()
	case nodeBool:
		return n.must.cost(seg)
	case nodeAnd:
		c := uint64(math.MaxUint64)
		for _, k := range n.kids {
			c = min(c, k.cost(seg))
		}
		return c
	}
	var c uint64
	for _, k := range n.kids {
		c += k.cost(seg)
	}
	return c
}

// cursor steps through the documents of one segment a node matches, in
// increasing order.
type cursor interface {
	doc() uint32
	next() error
	// advance moves to the first match at or after d.
	advance(d uint32) error
	score() float64
	// scoreAt is the score of document d, not before the cursor's
	// document, and whether d matches. It leaves the cursor at d or
	// before the next match after it, and is meant for a cursor asked
	// only this way (a boolean's should): it skips reading postings for
	// documents a term's set of documents says it does not hold.
	scoreAt(d uint32) (float64, bool, error)
}

func (p *plan) cursor(n *node, seg int) (cursor, error) {
	switch n.kind {
	case nodeTerm:
		t := &termCursor{n: n}
		t.it = n.pls[seg].Iterator(n.scored, n.scored, false, nil)
		if o, ok := t.it.(segment.OptimizablePostingsIterator); ok {
			t.bm = o.ActualBitmap()
		}
		return t, t.next()
	case nodeBool:
		b := &boolCursor{}
		var err error
		if b.must, err = p.cursor(n.must, seg); err != nil {
			return nil, err
		}
		if n.should != nil {
			if b.should, err = p.cursor(n.should, seg); err != nil {
				return nil, err
			}
		}
		if n.filter != nil {
			if b.filter, err = p.cursor(n.filter, seg); err != nil {
				return nil, err
			}
		}
		return b, b.align()
	}
	kids := make([]cursor, len(n.kids))
	for i, k := range n.kids {
		c, err := p.cursor(k, seg)
		if err != nil {
			return nil, err
		}
		kids[i] = c
	}
	if n.kind == nodeOr {
		o := &orCursor{kids: kids}
		o.settle()
		return o, nil
	}
	// the rarest part leads, as in bleve's conjunction searcher
	costs := make([]uint64, len(kids))
	for i, k := range n.kids {
		costs[i] = k.cost(seg)
	}
	sort.Sort(byCost{kids, costs})
	a := &andCursor{kids: kids}
	return a, a.align()
}

type byCost struct {
	c    []cursor
	cost []uint64
}

func (b byCost) Len() int           { return len(b.c) }
func (b byCost) Less(i, j int) bool { return b.cost[i] < b.cost[j] }
func (b byCost) Swap(i, j int) {
	b.c[i], b.c[j] = b.c[j], b.c[i]
	b.cost[i], b.cost[j] = b.cost[j], b.cost[i]
}

// termCursor reads a term's postings.
type termCursor struct {
	n    *node
	it   segment.PostingsIterator
	bm   *roaring.Bitmap // the documents of it, when known
	cur  uint32
	freq uint64
	norm float64
}

func (t *termCursor) doc() uint32 { return t.cur }

func (t *termCursor) set(p segment.Posting, err error) error {
	if err != nil {
		return err
	}
	if p == nil {
		t.cur = noDoc
		return nil
	}
	t.cur = uint32(p.Number())
	if t.n.scored {
		t.freq, t.norm = p.Frequency(), p.Norm()
	}
	return nil
}

func (t *termCursor) next() error {
	if t.cur == noDoc {
		return nil
	}
	return t.set(t.it.Next())
}

func (t *termCursor) advance(d uint32) error {
	if t.cur >= d {
		return nil // noDoc included
	}
	return t.set(t.it.Advance(uint64(d)))
}

func (t *termCursor) scoreAt(d uint32) (float64, bool, error) {
	if t.cur < d {
		if t.bm != nil && !t.bm.Contains(d) {
			return 0, false, nil
		}
		if err := t.advance(d); err != nil {
			return 0, false, err
		}
	}
	if t.cur != d {
		return 0, false, nil
	}
	return t.score(), true, nil
}

// score is bleve's TermQueryScorer.Score.
func (t *termCursor) score() float64 {
	if !t.n.scored {
		return 0
	}
	tf := math.Sqrt(float64(t.freq))
	var s float64
	if avg := t.n.avg; avg > 0 {
		length := 1 / (t.norm * t.norm)
		s = t.n.idf * (tf * search.BM25_k1) /
			(tf + search.BM25_k1*(1-search.BM25_b+(search.BM25_b*length/avg)))
	} else {
		s = tf * t.norm * t.n.idf
	}
	if t.n.weightQ != 1 {
		s *= t.n.weightQ
	}
	return s
}

// orCursor is a disjunction: the documents any part matches, scored as
// the sum of the parts that match times the share of parts that do.
type orCursor struct {
	kids []cursor
	cur  uint32
}

func (o *orCursor) settle() {
	o.cur = noDoc
	for _, k := range o.kids {
		o.cur = min(o.cur, k.doc())
	}
}

func (o *orCursor) doc() uint32 { return o.cur }

func (o *orCursor) next() error {
	if o.cur == noDoc {
		return nil
	}
	for _, k := range o.kids {
		if k.doc() == o.cur {
			if err := k.next(); err != nil {
				return err
			}
		}
	}
	o.settle()
	return nil
}

func (o *orCursor) advance(d uint32) error {
	if o.cur >= d {
		return nil
	}
	for _, k := range o.kids {
		if k.doc() < d {
			if err := k.advance(d); err != nil {
				return err
			}
		}
	}
	o.settle()
	return nil
}

func (o *orCursor) score() float64 {
	var sum float64
	matched := 0
	for _, k := range o.kids {
		if k.doc() == o.cur {
			sum += k.score()
			matched++
		}
	}
	return sum * float64(matched) / float64(len(o.kids))
}

func (o *orCursor) scoreAt(d uint32) (float64, bool, error) {
	var sum float64
	matched := 0
	for _, k := range o.kids {
		s, ok, err := k.scoreAt(d)
		if err != nil {
			return 0, false, err
		}
		if ok {
			sum += s
			matched++
		}
	}
	if matched == 0 {
		return 0, false, nil
	}
	return sum * float64(matched) / float64(len(o.kids)), true, nil
}

// andCursor is a conjunction: the documents every part matches, scored as
// the sum of the parts.
type andCursor struct {
	kids []cursor
}

func (a *andCursor) doc() uint32 { return a.kids[0].doc() }

// align moves the parts to the next document they all match, from where
// the first one is.
func (a *andCursor) align() error {
	for {
		d := a.kids[0].doc()
		if d == noDoc {
			return nil
		}
		agreed := true
		for _, k := range a.kids[1:] {
			if err := k.advance(d); err != nil {
				return err
			}
			if kd := k.doc(); kd != d {
				agreed = false
				if err := a.kids[0].advance(kd); err != nil {
					return err
				}
				break
			}
		}
		if agreed {
			return nil
		}
	}
}

func (a *andCursor) next() error {
	if a.doc() == noDoc {
		return nil
	}
	if err := a.kids[0].next(); err != nil {
		return err
	}
	return a.align()
}

func (a *andCursor) advance(d uint32) error {
	if a.doc() >= d {
		return nil
	}
	if err := a.kids[0].advance(d); err != nil {
		return err
	}
	return a.align()
}

func (a *andCursor) score() float64 {
	var sum float64
	for _, k := range a.kids {
		sum += k.score()
	}
	return sum
}

func (a *andCursor) scoreAt(d uint32) (float64, bool, error) {
	var sum float64
	for _, k := range a.kids {
		s, ok, err := k.scoreAt(d)
		if err != nil || !ok {
			return 0, false, err
		}
		sum += s
	}
	return sum, true, nil
}

// boolCursor is bleve's boolean searcher without must-not: the documents
// of must that pass the filter, with should's score added where it
// matches.
type boolCursor struct {
	must, should, filter cursor
}

func (b *boolCursor) doc() uint32 { return b.must.doc() }

func (b *boolCursor) align() error {
	if b.filter == nil {
		return nil
	}
	for {
		d := b.must.doc()
		if d == noDoc {
			return nil
		}
		if err := b.filter.advance(d); err != nil {
			return err
		}
		fd := b.filter.doc()
		if fd == d {
			return nil
		}
		if fd == noDoc {
			return b.must.advance(noDoc)
		}
		if err := b.must.advance(fd); err != nil {
			return err
		}
	}
}

func (b *boolCursor) next() error {
	if b.doc() == noDoc {
		return nil
	}
	if err := b.must.next(); err != nil {
		return err
	}
	return b.align()
}

func (b *boolCursor) advance(d uint32) error {
	if b.doc() >= d {
		return nil
	}
	if err := b.must.advance(d); err != nil {
		return err
	}
	return b.align()
}

func (b *boolCursor) score() float64 {
	return b.must.score() + b.shouldScore()
}

// shouldScore is what should adds to the score of the current document;
// should is only ever asked with scoreAt, and must only moves forward.
func (b *boolCursor) shouldScore() float64 {
	if b.should == nil {
		return 0
	}
	s, ok, err := b.should.scoreAt(b.must.doc())
	if err != nil || !ok {
		return 0
	}
	return s
}

func (b *boolCursor) scoreAt(d uint32) (float64, bool, error) {
	s, ok, err := b.must.scoreAt(d)
	if err != nil || !ok {
		return 0, false, err
	}
	if b.filter != nil {
		if _, ok, err := b.filter.scoreAt(d); err != nil || !ok {
			return 0, false, err
		}
	}
	if b.should != nil {
		ss, ok, err := b.should.scoreAt(d)
		if err != nil {
			return 0, false, err
		}
		if ok {
			s += ss
		}
	}
	return s, true, nil
}

// topDocs keeps the size best matches: higher score first, then lower
// document number, as bleve orders hits by score alone.
type topDocs struct {
	size int
	h    []scoredDoc // a heap with the worst kept match on top
}

func (t *topDocs) Len() int { return len(t.h) }
func (t *topDocs) Less(i, j int) bool {
	a, b := t.h[i], t.h[j]
	if a.score != b.score {
		return a.score < b.score
	}
	return a.n > b.n
}
func (t *topDocs) Swap(i, j int) { t.h[i], t.h[j] = t.h[j], t.h[i] }
func (t *topDocs) Push(x any)    { t.h = append(t.h, x.(scoredDoc)) }
func (t *topDocs) Pop() any {
	x := t.h[len(t.h)-1]
	t.h = t.h[:len(t.h)-1]
	return x
}

// bar returns the score a later document must pass to be kept, once
// size are kept: a later one loses a tie, coming after in document order.
func (t *topDocs) bar() (float64, bool) {
	if len(t.h) < t.size {
		return 0, false
	}
	return t.h[0].score, true
}

func (t *topDocs) offer(n uint64, score float64) {
	if len(t.h) < t.size {
		heap.Push(t, scoredDoc{n, score})
		return
	}
	if w := t.h[0]; score < w.score || score == w.score && n > w.n {
		return
	}
	t.h[0] = scoredDoc{n, score}
	heap.Fix(t, 0)
}

// sorted returns the kept matches, best first.
func (t *topDocs) sorted() []scoredDoc {
	out := make([]scoredDoc, len(t.h))
	for i := len(out) - 1; i >= 0; i-- {
		out[i] = heap.Pop(t).(scoredDoc)
	}
	return out
}

// execPool is runPool's work done by exec on the snapshot of dfs: the
// size best matches of q, with c fed every match in document order. It
// returns errUnsupported for a query bleve must run.
func (ix *Index) execPool(ctx context.Context, gen *generation, dfs *docFreqs, q query.Query, size int, c *collect) (*bleve.SearchResult, error) {
	if execDisabled {
		return nil, errUnsupported
	}
	p, err := compileExec(dfs, gen.bi.Mapping(), q)
	if err != nil {
		return nil, err
	}
	r := dfs.r
	v, err := gen.tables.viewOf(r)
	if err != nil {
		return nil, err
	}
	if len(v.offsets) != len(dfs.segs) {
		return nil, errUnsupported
	}
	c.begin(v)
	c.lazyIDs = true
	top := &topDocs{size: size}
	// A query with words most documents hold (textQuery's should clause)
	// reads their postings only for the documents they could lift into
	// the kept ones: the rest keep the score of must alone, which keeps
	// them out of the top as their full score would (c's feedback keeps
	// fewer, feedbackDepth < minPool, so a higher bar).
	// Matches reach c in batches: its table reads for one match do not
	// depend on another's, so the processor overlaps their waits on memory.
	batch := make([]scoredDoc, 0, 256)
	flush := func() {
		c.touch(batch)
		for _, m := range batch {
			if c.add(m.n, m.score) {
				top.offer(m.n, m.score)
			}
		}
		batch = batch[:0]
	}
	for i := range dfs.segs {
		cur, err := p.cursor(p.root, i)
		if err != nil {
			return nil, err
		}
		b, _ := cur.(*boolCursor)
		var shouldMax float64
		if b != nil && b.should != nil {
			if shouldMax, err = p.root.should.maxScore(i, v.tables); err != nil {
				return nil, err
			}
			shouldMax *= 1 + 1e-9 // a sum in another order may round up
		}
		prune := b != nil && b.should != nil && !math.IsInf(shouldMax, 1)
		off := v.offsets[i]
		for steps := 0; cur.doc() != noDoc; steps++ {
			if steps&4095 == 4095 && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			n := off + uint64(cur.doc())
			var s float64
			if prune {
				s = b.must.score()
				if bar, full := top.bar(); !full || s+shouldMax > bar {
					s += b.shouldScore()
				}
			} else {
				s = cur.score()
			}
			batch = append(batch, scoredDoc{n, s})
			if len(batch) == cap(batch) {
				flush()
			}
			if err := cur.next(); err != nil {
				return nil, err
			}
		}
	}
	flush()
	if c.feedback {
		if err := c.pickFamily(r); err != nil {
			return nil, err
		}
	}
	best := top.sorted()
	res := &bleve.SearchResult{Total: c.total, Hits: make(search.DocumentMatchCollection, len(best))}
	for i, b := range best {
		// no ID: reading one costs a stored-fields read, and only the
		// page's hits need theirs (hydrate)
		res.Hits[i] = &search.DocumentMatch{Score: b.score, IndexInternalID: index.NewIndexInternalID(nil, b.n)}
	}
	if len(best) > 0 {
		res.MaxScore = best[0].score
	}
	execRuns.Add(1)
	return res, nil
}
