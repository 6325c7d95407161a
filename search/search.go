// Package search is Rongtong's full-text index: a bleve index on local disk
// that holds organisations and listings for search, facets, highlighting and
// suggestions, with Chinese text segmented by gse and a domain dictionary.
//
// The index is derived from the store and rebuilt from it, never the other
// way round. It records in itself the store's update sequence number it has
// applied (SetSeq, Seq), so a reconcile loop can follow app.Store.Changes from
// there; and it records beside itself an index version (the mapping, the
// analyzer variant and a hash of the dictionary). When the version of the
// code differs from the recorded one, Open still serves the old index and
// reports NeedsRebuild; Rebuild fills a fresh index in a new directory from
// a Source and swaps it in while the old one keeps answering.
//
// On disk, under the directory given to Open:
//
//	index.json     the current index directory and its version
//	idx-000001/    a bleve (scorch) index
package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/rongtong/rongtong/app"
)

// Options configure an Index.
type Options struct {
	// Analyzer picks the Chinese analysis: AnalyzerGSE (default),
	// AnalyzerCJK or AnalyzerBoth. Changing it changes the index version.
	Analyzer string
	// OrgExtras, when set, returns an organisation's listings; IndexOrg puts
	// the titles, processes and materials of the published ones on the
	// organisation's document, so an SME is found by what its capabilities
	// say. With it set, a change to a listing should be followed by
	// IndexOrg of its owner (the reconcile loop re-indexes the owner of every
	// changed listing).
	OrgExtras func(ctx context.Context, o *app.Org) ([]*app.Listing, error)
	// Source, when set, is used to rebuild in the background when Open finds
	// an index of another version; otherwise the caller checks NeedsRebuild
	// and calls Rebuild.
	Source Source
	// Logger receives background errors; nil uses slog.Default().
	Logger *slog.Logger
}

// Source writes every organisation and listing of the store into a fresh
// index, after recording with SetSeq the store sequence number it reads at
// (app.Store.LastSeq, read before the records).
type Source func(ctx context.Context, w Writer) error

// Writer is what a Source writes to. Index and the rebuild's builder
// implement it.
type Writer interface {
	app.Indexer
	// SetSeq records the store sequence number the index reflects.
	SetSeq(ctx context.Context, seq int64) error
}

// Index is the search index. Its methods are safe for concurrent use.
type Index struct {
	dir     string
	opt     Options
	log     *slog.Logger
	version string

	// mu guards cur and closed; searches and writes hold it for reading,
	// the swap at the end of a rebuild and Close for writing.
	mu     sync.RWMutex
	cur    *generation
	closed bool
	stale  bool // cur was built with another version

	// rb is the rebuild in progress, if any (see rebuild.go).
	rbMu sync.Mutex
	rb   *rebuild

	bg     sync.WaitGroup
	cancel context.CancelFunc
	ctx    context.Context

	certs certVocab
	procs wordVocab
}

// generation is one index directory and its open bleve index.
type generation struct {
	name    string // directory name under Index.dir
	version string
	bi      bleve.Index
	tables  tableCache // facet values of the index's segments (table.go)
}

// meta is the file recorded beside the index directories.
type meta struct {
	Current string `json:"current"`
	Version string `json:"version"`
}

const metaFile = "index.json"

var (
	_ app.Indexer = (*Index)(nil)
	_ Writer      = (*Index)(nil)
	_ Writer      = (*builder)(nil)
)

// seqKey is where the applied store sequence number is kept, inside the
// bleve index so that it moves with the index it describes.
var seqKey = []byte("rongtong.seq")

// Open opens the index under dir, creating it if needed.
func Open(dir string, opt Options) (*Index, error) {
	if opt.Analyzer == "" {
		opt.Analyzer = DefaultAnalyzer
	}
	if !validAnalyzer(opt.Analyzer) {
		return nil, fmt.Errorf("search: unknown analyzer %q (want gse, cjk or both)", opt.Analyzer)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	ix := &Index{dir: dir, opt: opt, log: opt.Logger, version: indexVersion(opt.Analyzer)}
	if ix.log == nil {
		ix.log = slog.Default()
	}
	ix.ctx, ix.cancel = context.WithCancel(context.Background())
	// Load the dictionary now rather than in the first search or write.
	go segmenter()

	m, err := readMeta(dir)
	if err != nil {
		return nil, err
	}
	var gen *generation
	if m.Current != "" {
		gen, err = openGeneration(dir, m.Current, m.Version)
		if err != nil {
			ix.log.Warn("search: cannot open the index, starting an empty one", "dir", m.Current, "err", err)
			gen = nil
		}
	}
	if gen == nil {
		gen, err = ix.createGeneration(nextName(m.Current))
		if err != nil {
			return nil, err
		}
		if err := writeMeta(dir, meta{Current: gen.name, Version: gen.version}); err != nil {
			gen.bi.Close()
			return nil, err
		}
	}
	ix.cur = gen
	ix.stale = gen.version != ix.version
	ix.removeOtherGenerations(gen.name)
	if err := ix.loadVocabs(gen); err != nil {
		gen.bi.Close()
		return nil, err
	}
	ix.bg.Add(1)
	go func() {
		defer ix.bg.Done()
		if err := gen.warm(); err != nil {
			ix.log.Warn("search: reading the index's tables", "err", err)
		}
	}()
	if ix.stale && opt.Source != nil {
		ix.bg.Add(1)
		go func() {
			defer ix.bg.Done()
			if err := ix.Rebuild(ix.ctx, opt.Source); err != nil && !errors.Is(err, context.Canceled) {
				ix.log.Error("search: background rebuild failed", "err", err)
			}
		}()
	}
	return ix, nil
}

// Version returns the version the code builds, and the one of the index
// that answers now; they differ until a rebuild completes.
func (ix *Index) Version() (want, have string) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.version, ix.cur.version
}

// NeedsRebuild reports whether the index answering now was built with
// another mapping, analyzer or dictionary.
func (ix *Index) NeedsRebuild() bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.stale
}

// Close waits for a background rebuild to stop and closes the index.
func (ix *Index) Close() error {
	ix.cancel()
	ix.bg.Wait()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.closed {
		return nil
	}
	ix.closed = true
	return ix.cur.bi.Close()
}

// loadVocabs reads the certifications and processes a generation holds.
func (ix *Index) loadVocabs(gen *generation) error {
	if err := ix.certs.load(gen.bi); err != nil {
		return err
	}
	return ix.procs.load(gen.bi, fProcess)
}

// acquire returns the current generation with the read lock held; release
// with ix.mu.RUnlock.
func (ix *Index) acquire() (*generation, error) {
	ix.mu.RLock()
	if ix.closed {
		ix.mu.RUnlock()
		return nil, app.Errorf(app.EUNAVAILABLE, "search index is closed")
	}
	return ix.cur, nil
}

// IndexOrg indexes or replaces an organisation. With Options.OrgExtras set
// its published listings' text goes onto its document.
func (ix *Index) IndexOrg(ctx context.Context, o *app.Org) error {
	d, err := ix.orgDoc(ctx, o)
	if err != nil {
		return err
	}
	return ix.write(ctx, []string{docID(EntityOrg, o.ID)}, []*document{d}, nil)
}

func (ix *Index) orgDoc(ctx context.Context, o *app.Org) (*document, error) {
	if o == nil || o.ID == "" {
		return nil, app.Errorf(app.EINVALID, "search: organisation without an ID")
	}
	var extras []*app.Listing
	if ix.opt.OrgExtras != nil {
		var err error
		if extras, err = ix.opt.OrgExtras(ctx, o); err != nil {
			return nil, fmt.Errorf("search: listings of organisation %s: %w", o.ID, err)
		}
	}
	return orgDocument(o, extras), nil
}

// IndexListings indexes or replaces listings.
func (ix *Index) IndexListings(ctx context.Context, ls []*app.Listing) error {
	ids, docs, err := listingDocs(ls)
	if err != nil {
		return err
	}
	return ix.write(ctx, ids, docs, nil)
}

func listingDocs(ls []*app.Listing) ([]string, []*document, error) {
	ids := make([]string, 0, len(ls))
	docs := make([]*document, 0, len(ls))
	for _, l := range ls {
		if l == nil || l.ID == "" {
			return nil, nil, app.Errorf(app.EINVALID, "search: listing without an ID")
		}
		if !l.Kind.Valid() {
			return nil, nil, app.Errorf(app.EINVALID, "search: listing %s has unknown kind %q", l.ID, l.Kind)
		}
		ids = append(ids, docID(EntityListing, l.ID))
		docs = append(docs, listingDocument(l))
	}
	return ids, docs, nil
}

// Delete removes a record; entity is "org" or "listing" as in app.Change.
// Deleting an organisation also removes its listings' documents, as the
// store deletes them with it. Deleting what is not there is not an error.
func (ix *Index) Delete(ctx context.Context, entity, id string) error {
	if entity != EntityOrg && entity != EntityListing {
		return app.Errorf(app.EINVALID, "search: unknown entity %q", entity)
	}
	dels := []string{docID(entity, id)}
	if entity == EntityOrg {
		gen, err := ix.acquire()
		if err != nil {
			return err
		}
		more, err := listingIDsOf(ctx, gen.bi, id)
		ix.mu.RUnlock()
		if err != nil {
			return err
		}
		dels = append(dels, more...)
	}
	return ix.write(ctx, dels, nil, dels)
}

// SetSeq records the store sequence number the index reflects. It never
// moves the number back.
func (ix *Index) SetSeq(ctx context.Context, seq int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	gen, err := ix.acquire()
	if err != nil {
		return err
	}
	defer ix.mu.RUnlock()
	if err := setSeq(gen.bi, seq); err != nil {
		return err
	}
	ix.rbMu.Lock()
	rb := ix.rb
	ix.rbMu.Unlock()
	if rb != nil {
		rb.liveSeq(seq)
	}
	return nil
}

// Seq returns the store sequence number the index reflects, 0 for a new index.
func (ix *Index) Seq(ctx context.Context) (int64, error) {
	gen, err := ix.acquire()
	if err != nil {
		return 0, err
	}
	defer ix.mu.RUnlock()
	return getSeq(gen.bi)
}

func setSeq(bi bleve.Index, seq int64) error {
	have, err := getSeq(bi)
	if err != nil {
		return err
	}
	if seq <= have {
		return nil
	}
	return bi.SetInternal(seqKey, []byte(strconv.FormatInt(seq, 10)))
}

func getSeq(bi bleve.Index) (int64, error) {
	b, err := bi.GetInternal(seqKey)
	if err != nil || len(b) == 0 {
		return 0, err
	}
	return strconv.ParseInt(string(b), 10, 64)
}

// write applies index and delete operations to the current index, and to
// the index being rebuilt if there is one. ids are the document IDs of docs;
// dels are deleted.
func (ix *Index) write(ctx context.Context, ids []string, docs []*document, dels []string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	gen, err := ix.acquire()
	if err != nil {
		return err
	}
	defer ix.mu.RUnlock()
	if err := applyBatch(gen.bi, ids, docs, dels); err != nil {
		return err
	}
	for _, d := range docs {
		ix.certs.add(d.Cert...)
		ix.procs.add(d.Process...)
	}
	ix.rbMu.Lock()
	rb := ix.rb
	ix.rbMu.Unlock()
	if rb != nil {
		return rb.live(ids, docs, dels)
	}
	return nil
}

func applyBatch(bi bleve.Index, ids []string, docs []*document, dels []string) error {
	b := bi.NewBatch()
	for i, d := range docs {
		if d == nil {
			continue
		}
		if err := b.Index(ids[i], d); err != nil {
			return fmt.Errorf("search: indexing %s: %w", ids[i], err)
		}
	}
	for _, id := range dels {
		b.Delete(id)
	}
	if b.Size() == 0 {
		return nil
	}
	if err := bi.Batch(b); err != nil {
		return fmt.Errorf("search: %w", err)
	}
	return nil
}

// listingIDsOf returns the document IDs of an organisation's listings.
func listingIDsOf(ctx context.Context, bi bleve.Index, orgID string) ([]string, error) {
	q := bleve.NewTermQuery(orgID)
	q.SetField(fOrgID)
	var out []string
	for from := 0; ; from += 1000 {
		req := bleve.NewSearchRequestOptions(q, 1000, from, false)
		res, err := bi.SearchInContext(ctx, req)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		for _, h := range res.Hits {
			if strings.HasPrefix(h.ID, listingPrefix) {
				out = append(out, h.ID)
			}
		}
		if len(res.Hits) < 1000 {
			return out, nil
		}
	}
}

func readMeta(dir string) (meta, error) {
	var m meta
	b, err := os.ReadFile(filepath.Join(dir, metaFile))
	if errors.Is(err, os.ErrNotExist) {
		return m, nil
	}
	if err != nil {
		return m, fmt.Errorf("search: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return meta{}, fmt.Errorf("search: %s: %w", metaFile, err)
	}
	if m.Current != "" && !validGenName(m.Current) {
		return meta{}, fmt.Errorf("search: %s names %q", metaFile, m.Current)
	}
	return m, nil
}

// writeMeta replaces the meta file atomically (write, sync, rename).
func writeMeta(dir string, m meta) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, metaFile+".tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("search: %w", err)
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return fmt.Errorf("search: %w", err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("search: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("search: %w", err)
	}
	if err := os.Rename(tmp, filepath.Join(dir, metaFile)); err != nil {
		return fmt.Errorf("search: %w", err)
	}
	return nil
}

const genPrefix = "idx-"

func validGenName(s string) bool {
	n, ok := strings.CutPrefix(s, genPrefix)
	if !ok || len(n) != 6 {
		return false
	}
	_, err := strconv.Atoi(n)
	return err == nil
}

// nextName returns the generation directory after cur.
func nextName(cur string) string {
	n := 0
	if validGenName(cur) {
		n, _ = strconv.Atoi(strings.TrimPrefix(cur, genPrefix))
	}
	return fmt.Sprintf("%s%06d", genPrefix, n+1)
}

func openGeneration(dir, name, version string) (*generation, error) {
	bi, err := bleve.Open(filepath.Join(dir, name))
	if err != nil {
		return nil, err
	}
	return &generation{name: name, version: version, bi: bi}, nil
}

// createGeneration makes an empty index in a new directory, replacing any
// leftover of a crashed rebuild.
func (ix *Index) createGeneration(name string) (*generation, error) {
	path := filepath.Join(ix.dir, name)
	if err := os.RemoveAll(path); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	m, err := newMapping(ix.opt.Analyzer)
	if err != nil {
		return nil, fmt.Errorf("search: mapping: %w", err)
	}
	bi, err := bleve.New(path, mapping.IndexMapping(m))
	if err != nil {
		return nil, fmt.Errorf("search: creating the index: %w", err)
	}
	return &generation{name: name, version: ix.version, bi: bi}, nil
}

// removeOtherGenerations deletes index directories other than keep: the
// old index after a swap, or what a crashed rebuild left.
func (ix *Index) removeOtherGenerations(keep string) {
	entries, err := os.ReadDir(ix.dir)
	if err != nil {
		ix.log.Warn("search: listing the index directory", "err", err)
		return
	}
	for _, e := range entries {
		if e.IsDir() && validGenName(e.Name()) && e.Name() != keep {
			if err := os.RemoveAll(filepath.Join(ix.dir, e.Name())); err != nil {
				ix.log.Warn("search: removing an old index", "dir", e.Name(), "err", err)
			}
		}
	}
}
