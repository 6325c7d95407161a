package search

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"

	"github.com/rongtong/rongtong/app"
)

// rebuild is a fresh index being filled while the current one answers.
//
// Writes made to the Index while a rebuild runs go to both indexes (live).
// The fill, which may have read an older copy of a record before a live
// write of it, skips every document that was written live: the live copy
// is at least as new. The new index's sequence number is the larger of the
// one the Source recorded and the last one set live, so a reconcile loop
// that resumes from Seq after the swap misses nothing.
type rebuild struct {
	gen *generation

	mu      sync.Mutex // serialises fill batches and live writes
	touched map[string]bool
	seq     int64 // last SetSeq made live during the rebuild
	done    bool  // abandoned: live writes no longer go here
}

func (rb *rebuild) live(ids []string, docs []*document, dels []string) error {
	rb.mu.Lock()
	defer rb.mu.Unlock()
	if rb.done {
		return nil
	}
	for _, id := range ids {
		rb.touched[id] = true
	}
	for _, id := range dels {
		rb.touched[id] = true
	}
	return applyBatch(rb.gen.bi, ids, docs, dels)
}

func (rb *rebuild) liveSeq(seq int64) {
	rb.mu.Lock()
	defer rb.mu.Unlock()
	if seq > rb.seq {
		rb.seq = seq
	}
}

// builder is the Writer a Source fills during Rebuild. It gathers writes
// into batches and hands each to a goroutine that indexes it, so that the
// Source reads the store and makes documents while bleve analyses and
// writes the previous batch.
type builder struct {
	ix  *Index
	rb  *rebuild
	ids []string
	doc []*document
	seq int64

	work    chan buildBatch
	applied chan error // the applier's first error, once work is closed
	failed  chan struct{}
}

// buildBatch is a batch of documents to index, or of IDs to delete.
type buildBatch struct {
	ids  []string
	docs []*document
	dels []string
}

// buildBatchSize is how many documents a rebuild indexes at a time: larger
// batches make fewer, larger segments to merge, at the cost of memory.
const buildBatchSize = 1000

func newBuilder(ix *Index, rb *rebuild) *builder {
	b := &builder{ix: ix, rb: rb, work: make(chan buildBatch, 1), applied: make(chan error, 1),
		failed: make(chan struct{})}
	go func() {
		var err error
		for w := range b.work {
			if err != nil {
				continue
			}
			if err = b.apply(w); err != nil {
				close(b.failed)
			}
		}
		b.applied <- err
	}()
	return b
}

// apply indexes a batch, leaving out documents written live meanwhile.
func (b *builder) apply(w buildBatch) error {
	b.rb.mu.Lock()
	defer b.rb.mu.Unlock()
	ids, docs := w.ids[:0:0], w.docs[:0:0]
	for i, id := range w.ids {
		if !b.rb.touched[id] {
			ids = append(ids, id)
			docs = append(docs, w.docs[i])
		}
	}
	return applyBatch(b.rb.gen.bi, ids, docs, w.dels)
}

// wait stops the applier after the batches sent and returns its error.
func (b *builder) wait() error {
	close(b.work)
	return <-b.applied
}

func (b *builder) IndexOrg(ctx context.Context, o *app.Org) error {
	d, err := b.ix.orgDoc(ctx, o)
	if err != nil {
		return err
	}
	return b.add(ctx, []string{docID(EntityOrg, o.ID)}, []*document{d})
}

func (b *builder) IndexListings(ctx context.Context, ls []*app.Listing) error {
	ids, docs, err := listingDocs(ls)
	if err != nil {
		return err
	}
	return b.add(ctx, ids, docs)
}

// Delete is accepted for symmetry with Index; in a fresh index there is
// nothing to delete but an earlier write of the same fill.
func (b *builder) Delete(ctx context.Context, entity, id string) error {
	if err := b.flush(ctx); err != nil {
		return err
	}
	return b.send(ctx, buildBatch{dels: []string{docID(entity, id)}})
}

func (b *builder) SetSeq(ctx context.Context, seq int64) error {
	if seq > b.seq {
		b.seq = seq
	}
	return ctx.Err()
}

func (b *builder) add(ctx context.Context, ids []string, docs []*document) error {
	b.ids = append(b.ids, ids...)
	b.doc = append(b.doc, docs...)
	if len(b.ids) >= buildBatchSize {
		return b.flush(ctx)
	}
	return nil
}

// flush hands the gathered documents to the applier.
func (b *builder) flush(ctx context.Context) error {
	if len(b.ids) == 0 {
		return ctx.Err()
	}
	w := buildBatch{ids: b.ids, docs: b.doc}
	b.ids, b.doc = nil, nil
	return b.send(ctx, w)
}

func (b *builder) send(ctx context.Context, w buildBatch) error {
	select {
	case b.work <- w:
		return nil
	case <-b.failed:
		return errors.New("search: rebuild: indexing a batch failed")
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Rebuild fills a fresh index from src in a new directory and, when src
// returns nil, swaps it in: the index version becomes the code's, and Seq
// the sequence number src recorded (or a later one set meanwhile). Searches
// and writes go on against the old index throughout. Only one rebuild runs
// at a time; a second call returns ECONFLICT.
func (ix *Index) Rebuild(ctx context.Context, src Source) error {
	if src == nil {
		return app.Errorf(app.EINVALID, "search: rebuild without a source")
	}
	gen, err := ix.acquire()
	if err != nil {
		return err
	}
	next := nextName(gen.name)
	ix.mu.RUnlock()

	ix.rbMu.Lock()
	if ix.rb != nil {
		ix.rbMu.Unlock()
		return app.Errorf(app.ECONFLICT, "search: a rebuild is already running")
	}
	newGen, err := ix.createGeneration(next)
	if err != nil {
		ix.rbMu.Unlock()
		return err
	}
	rb := &rebuild{gen: newGen, touched: map[string]bool{}}
	ix.rb = rb
	ix.rbMu.Unlock()

	abandon := func(err error) error {
		ix.rbMu.Lock()
		ix.rb = nil
		ix.rbMu.Unlock()
		rb.mu.Lock()
		rb.done = true
		rb.mu.Unlock()
		newGen.bi.Close()
		os.RemoveAll(filepath.Join(ix.dir, newGen.name))
		return err
	}
	b := newBuilder(ix, rb)
	defer dropLineCache()
	err = src(ctx, b)
	if err == nil {
		err = b.flush(ctx)
	}
	// the applier's error explains a failed send best
	if werr := b.wait(); werr != nil {
		err = werr
	}
	if err != nil {
		return abandon(fmt.Errorf("search: rebuild: %w", err))
	}
	// One segment searches fastest: a query looks each word up once, not
	// once per segment.
	if err := forceMerge(ctx, newGen.bi); err != nil {
		return abandon(fmt.Errorf("search: rebuild: %w", err))
	}
	if err := newGen.warm(); err != nil {
		return abandon(fmt.Errorf("search: rebuild: %w", err))
	}

	// Swap: no search or write runs while the pointer and the meta file
	// change.
	ix.mu.Lock()
	if ix.closed {
		ix.mu.Unlock()
		return abandon(app.Errorf(app.EUNAVAILABLE, "search index is closed"))
	}
	rb.mu.Lock()
	seq := max(b.seq, rb.seq)
	rb.mu.Unlock()
	if err := setSeq(newGen.bi, seq); err != nil {
		ix.mu.Unlock()
		return abandon(err)
	}
	if err := writeMeta(ix.dir, meta{Current: newGen.name, Version: newGen.version}); err != nil {
		ix.mu.Unlock()
		return abandon(err)
	}
	old := ix.cur
	ix.cur = newGen
	ix.stale = false
	ix.rbMu.Lock()
	ix.rb = nil
	ix.rbMu.Unlock()
	certErr := ix.loadVocabs(newGen)
	ix.mu.Unlock()

	if err := old.bi.Close(); err != nil {
		ix.log.Warn("search: closing the old index", "err", err)
	}
	if err := os.RemoveAll(filepath.Join(ix.dir, old.name)); err != nil {
		ix.log.Warn("search: removing the old index", "err", err)
	}
	return certErr
}

// forceMerge merges the segments of an index into one. A merge takes only
// segments already written to disk, so one that was still being written or
// merged when it started is left beside the result; it is tried again a few
// times.
func forceMerge(ctx context.Context, bi bleve.Index) error {
	adv, err := bi.Advanced()
	if err != nil {
		return err
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	for range 5 {
		if err := s.ForceMerge(ctx, nil); err != nil {
			return err
		}
		n, err := segmentCount(adv)
		if err != nil || n <= 1 {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return nil
}

// segmentCount returns how many segments the index has now.
func segmentCount(adv index.Index) (int, error) {
	r, err := adv.Reader()
	if err != nil {
		return 0, err
	}
	defer r.Close()
	if snap, ok := r.(*scorch.IndexSnapshot); ok {
		return len(snap.Segments()), nil
	}
	return 0, nil
}
