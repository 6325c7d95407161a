package mongo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/rongtong/rongtong/app"
)

// SaveBatch creates or replaces (by ID) organisations and then listings, each
// in order. A replaced organisation's listings that are not in the batch get
// its new owner summary.
//
// MongoDB without transactions cannot write a batch atomically, so the store
// comes as close as it can: it checks every ref and USCC of the batch against
// the stored records and each other before it writes anything (ECONFLICT
// naming the field and the record), and if a write still fails — a concurrent
// writer took a value, the server went away — it undoes what the batch wrote:
// records it created are deleted and records it replaced get their old
// version back, unless someone has written them since. A crash in the middle
// can still leave part of a batch; every record carries its own ID, so running
// the import again completes it.
func (s *Store) SaveBatch(ctx context.Context, orgs []*app.Org, listings []*app.Listing) error {
	n := len(orgs) + len(listings)
	if n == 0 {
		return nil
	}
	orgIDs := make([]string, len(orgs))
	orgRecs := make([]batchRecord, len(orgs))
	for i, o := range orgs {
		if o.ID == "" {
			o.ID = app.NewID()
		}
		orgIDs[i] = o.ID
		orgRecs[i] = batchRecord{id: o.ID, label: recordLabel("organisation", o.Ref, o.ID), values: orgValues(o)}
	}
	listingIDs := make([]string, len(listings))
	listingRecs := make([]batchRecord, len(listings))
	inBatch := make(map[string]bool, len(listings))
	for i, l := range listings {
		if l.ID == "" {
			l.ID = app.NewID()
		}
		listingIDs[i] = l.ID
		listingRecs[i] = batchRecord{id: l.ID, label: recordLabel("listing", l.Ref, l.ID), values: listingValues(l)}
		inBatch[l.ID] = true
	}
	if err := s.checkBatch(ctx, s.orgs, orgKeys, orgRecs); err != nil {
		return err
	}
	if err := s.checkBatch(ctx, s.listings, listingKeys, listingRecs); err != nil {
		return err
	}

	first, err := s.nextSeqs(ctx, n)
	if err != nil {
		return err
	}
	last := first + int64(n) - 1
	orgDocs := make([]any, len(orgs))
	for i, o := range orgs {
		prepareOrg(o, first+int64(i))
		orgDocs[i] = o
	}
	listingDocs := make([]any, len(listings))
	for i, l := range listings {
		prepareListing(l, first+int64(len(orgs)+i))
		listingDocs[i] = l
	}

	oldOrgs, err := s.saveDocs(ctx, s.orgs, orgIDs, orgDocs)
	if err != nil {
		err = s.batchError(ctx, s.orgs, "save orgs", orgKeys, orgRecs, err)
		return errors.Join(err, s.undoBatch(ctx, s.orgs, orgIDs, oldOrgs, first, last))
	}
	oldListings, err := s.saveDocs(ctx, s.listings, listingIDs, listingDocs)
	if err != nil {
		err = s.batchError(ctx, s.listings, "save listings", listingKeys, listingRecs, err)
		return errors.Join(err,
			s.undoBatch(ctx, s.listings, listingIDs, oldListings, first, last),
			s.undoBatch(ctx, s.orgs, orgIDs, oldOrgs, first, last))
	}
	// Listings copy only the owner's summary, so only organisations whose
	// summary changed need theirs rewritten: re-importing an unchanged
	// organisation costs no read of its listings.
	changed := map[string]*app.Org{}
	for _, o := range orgs {
		raw, ok := oldOrgs[o.ID]
		if !ok {
			continue
		}
		var was app.Org
		if err := bson.Unmarshal(raw, &was); err != nil || was.Summary() != o.Summary() {
			changed[o.ID] = o
		}
	}
	return s.refreshOwners(ctx, changed, inBatch)
}

func recordLabel(kind, ref, id string) string {
	if ref != "" {
		return fmt.Sprintf("%s %s", kind, ref)
	}
	return fmt.Sprintf("%s %s", kind, id)
}

// checkBatch returns ECONFLICT if two records of a batch share a unique value
// or a record would take one that another stored record holds. (A batch that
// swaps two records' refs is refused too, as an ordered write of it would be.)
func (s *Store) checkBatch(ctx context.Context, c *mongo.Collection, keys []uniqueKey, recs []batchRecord) error {
	for _, k := range keys {
		holder := map[string]string{}
		for _, r := range recs {
			v := r.values[k.key]
			if v == "" {
				continue
			}
			if other, ok := holder[v]; ok && other != r.id {
				return conflictError(k.field, fmt.Sprintf("%s: %q is also used by another record of the batch", r.label, v))
			}
			holder[v] = r.id
		}
	}
	ce, err := s.batchConflict(ctx, c, keys, recs)
	if err != nil {
		return fmt.Errorf("mongo: check batch against %s: %w", c.Name(), err)
	}
	if ce != nil {
		return ce
	}
	return nil
}

// storedDocs returns the stored documents with these IDs, keyed by ID.
func (s *Store) storedDocs(ctx context.Context, c *mongo.Collection, ids []string) (map[string]bson.Raw, error) {
	want := make(map[string]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	out := make(map[string]bson.Raw)
	for _, filter := range s.matchAny("_id", ids) {
		cur, err := c.Find(ctx, filter)
		if err != nil {
			return nil, fmt.Errorf("mongo: find stored %s: %w", c.Name(), err)
		}
		for cur.Next(ctx) {
			id, ok := cur.Current.Lookup("_id").StringValueOK()
			if !ok {
				cur.Close(ctx)
				return nil, fmt.Errorf("mongo: a document of %s has a non-string _id", c.Name())
			}
			if want[id] {
				out[id] = slices.Clone(cur.Current)
			}
		}
		err = cur.Err()
		if cerr := cur.Close(ctx); err == nil {
			err = cerr
		}
		if err != nil {
			return nil, fmt.Errorf("mongo: find stored %s: %w", c.Name(), err)
		}
	}
	return out, nil
}

// saveDocs creates or replaces docs (whose IDs are ids) in order and returns
// the stored versions of the records it replaced, which undoBatch needs, even
// when it fails. It first inserts them all, the fast path of a load that has
// nothing to look up; at the first duplicate ID it reads the stored versions
// of the rest and replaces them.
func (s *Store) saveDocs(ctx context.Context, c *mongo.Collection, ids []string, docs []any) (map[string]bson.Raw, error) {
	old := map[string]bson.Raw{}
	if len(docs) == 0 {
		return old, nil
	}
	_, err := c.InsertMany(ctx, docs, options.InsertMany().SetOrdered(true))
	if err == nil {
		return old, nil
	}
	at, ok := firstDuplicate(err)
	if !ok || at >= len(ids) {
		return old, err
	}
	stored, serr := s.storedDocs(ctx, c, ids[at:])
	if serr != nil {
		return old, errors.Join(err, serr)
	}
	if _, ok := stored[ids[at]]; !ok {
		return old, err // a unique value collided, not the ID
	}
	known := make(map[string]bool, len(ids))
	for _, id := range ids[:at] {
		known[id] = true // inserted just now
	}
	for id, doc := range stored {
		if !known[id] {
			old[id] = doc
		}
		known[id] = true
	}
	return old, s.bulkSave(ctx, c, ids[at:], docs[at:], known)
}

// firstDuplicate returns the index of the first write of a bulk write that
// failed on a duplicate key.
func firstDuplicate(err error) (int, bool) {
	var bwe mongo.BulkWriteException
	if !errors.As(err, &bwe) {
		return 0, false
	}
	first, ok := 0, false
	for _, we := range bwe.WriteErrors {
		if mongo.IsDuplicateKeyError(we.WriteError) && (!ok || we.Index < first) {
			first, ok = we.Index, true
		}
	}
	return first, ok
}

// bulkSave writes docs in order: an insert for an ID not stored yet, a
// replacing upsert for one that is.
func (s *Store) bulkSave(ctx context.Context, c *mongo.Collection, ids []string, docs []any, stored map[string]bool) error {
	if s.ferret {
		return s.ferretSave(ctx, c, ids, docs, stored)
	}
	seen := make(map[string]bool, len(ids))
	models := make([]mongo.WriteModel, len(docs))
	for i, d := range docs {
		id := ids[i]
		if stored[id] || seen[id] {
			models[i] = mongo.NewReplaceOneModel().SetFilter(byID(id)).SetReplacement(d).SetUpsert(true)
		} else {
			models[i] = mongo.NewInsertOneModel().SetDocument(d)
		}
		seen[id] = true
	}
	_, err := s.bulkWrite(ctx, c, models, true)
	return err
}

// ferretChunk is how many records ferretSave writes per round: one import
// batch of the size the benchmarks use.
const ferretChunk = 5000

// ferretSave is bulkSave for FerretDB, which scans the whole collection twice
// for every replacement (to find the document and to update it): replacing a
// batch of n stored records one by one costs n full scans, minutes for a few
// thousand. Instead it deletes the stored versions of a chunk of records with
// one command and inserts the chunk with another. The end state is the same;
// a concurrent reader may miss a record between the two, which is acceptable
// for a test double and never happens on MongoDB. undoBatch restores a
// record deleted here whose insert failed.
func (s *Store) ferretSave(ctx context.Context, c *mongo.Collection, ids []string, docs []any, stored map[string]bool) error {
	seen := make(map[string]bool, len(ids))
	for start := 0; start < len(docs); {
		// A chunk ends before an ID it already holds, so that its inserts
		// never collide with each other.
		inChunk := map[string]bool{}
		var replace []string
		end := start
		for ; end < len(docs) && end-start < ferretChunk && !inChunk[ids[end]]; end++ {
			id := ids[end]
			inChunk[id] = true
			if stored[id] || seen[id] {
				replace = append(replace, id)
			}
		}
		if filter, ok := anyOf(s.matchExact("_id", replace)); ok {
			if _, err := c.DeleteMany(ctx, filter); err != nil {
				return err
			}
		}
		if _, err := c.InsertMany(ctx, docs[start:end], options.InsertMany().SetOrdered(true)); err != nil {
			return err
		}
		for id := range inChunk {
			seen[id] = true
		}
		start = end
	}
	return nil
}

// undoBatch reverts what a failed batch wrote to c: a record that carries a
// sequence number of the batch (first to last) and so has not been written
// since is deleted if the batch created it, or else gets its old version back.
// It runs even if ctx has ended, which may be why the batch failed.
func (s *Store) undoBatch(ctx context.Context, c *mongo.Collection, ids []string, old map[string]bson.Raw, first, last int64) error {
	if len(ids) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	ours := bson.D{{Key: "seq", Value: bson.D{{Key: "$gte", Value: first}, {Key: "$lte", Value: last}}}}
	seen := make(map[string]bool, len(ids))
	var created, olds []string
	var models []mongo.WriteModel
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		if doc, ok := old[id]; ok {
			filter := append(byID(id), ours...)
			models = append(models, mongo.NewReplaceOneModel().SetFilter(filter).SetReplacement(doc))
			olds = append(olds, id)
		} else {
			created = append(created, id)
		}
	}
	if filter, ok := anyOf(s.matchExact("_id", created)); ok {
		if _, err := c.DeleteMany(ctx, and([]bson.D{filter, ours})); err != nil {
			return fmt.Errorf("mongo: undo failed batch in %s: %w", c.Name(), err)
		}
	}
	if _, err := s.bulkWrite(ctx, c, models, false); err != nil {
		return fmt.Errorf("mongo: undo failed batch in %s: %w", c.Name(), err)
	}
	if !s.ferret || len(olds) == 0 {
		return nil
	}
	// ferretSave may have deleted old versions without inserting the new.
	present, err := s.storedDocs(ctx, c, olds)
	if err != nil {
		return fmt.Errorf("mongo: undo failed batch in %s: %w", c.Name(), err)
	}
	var missing []any
	for _, id := range olds {
		if _, ok := present[id]; !ok {
			missing = append(missing, old[id])
		}
	}
	if len(missing) > 0 {
		if _, err := c.InsertMany(ctx, missing, options.InsertMany().SetOrdered(false)); err != nil {
			return fmt.Errorf("mongo: undo failed batch in %s: %w", c.Name(), err)
		}
	}
	return nil
}

// batchError translates the error of a batch write like writeError does,
// naming the record that holds a taken value.
func (s *Store) batchError(ctx context.Context, c *mongo.Collection, op string, keys []uniqueKey, recs []batchRecord, err error) error {
	if !isUniqueViolation(err) {
		return fmt.Errorf("mongo: %s: %w", op, err)
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	ce, perr := s.batchConflict(ctx, c, keys, recs)
	if perr != nil {
		return fmt.Errorf("mongo: %s: %w (and finding the conflict: %w)", op, err, perr)
	}
	if ce == nil {
		field := "id"
		if k, ok := indexInMessage(err.Error(), keys); ok {
			field = k.field
		}
		ce = conflictError(field, "is already used by another record")
	}
	return fmt.Errorf("%w: %w", ce, err)
}

// CreateImportRun stores an import's report.
func (s *Store) CreateImportRun(ctx context.Context, r *app.ImportRun) error {
	if r.ID == "" {
		r.ID = app.NewID()
	}
	r.StartedAt = msTime(r.StartedAt)
	r.FinishedAt = msTime(r.FinishedAt)
	if _, err := s.imports.InsertOne(ctx, r); err != nil {
		if mongo.IsDuplicateKeyError(err) {
			return fmt.Errorf("%w: %w", conflictError("id", "is already used by another import"), err)
		}
		return fmt.Errorf("mongo: create import run: %w", err)
	}
	return nil
}

// ListImportRuns returns reports newest first; p.After is the last ID of the
// previous page and the next page holds smaller IDs.
func (s *Store) ListImportRuns(ctx context.Context, p app.Page) ([]*app.ImportRun, error) {
	filter := bson.D{}
	if p.After != "" {
		filter = cmp("_id", "$lt", p.After)
	}
	out := []*app.ImportRun{}
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}).SetLimit(pageLimit(p))
	if err := findAll(ctx, s.imports, filter, &out, opts); err != nil {
		return nil, fmt.Errorf("mongo: list import runs: %w", err)
	}
	return out, nil
}

// FindImportRun returns ENOTFOUND if missing.
func (s *Store) FindImportRun(ctx context.Context, id string) (*app.ImportRun, error) {
	if !app.ValidID(id) {
		return nil, notFound("import")
	}
	var r app.ImportRun
	err := s.imports.FindOne(ctx, byID(id)).Decode(&r)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, notFound("import")
	}
	if err != nil {
		return nil, fmt.Errorf("mongo: find import run: %w", err)
	}
	return &r, nil
}
