// Package mongo keeps Rongtong's records in MongoDB through the official
// driver (go.mongodb.org/mongo-driver/v2). It is the production and scale-out
// store; the SQLite adapter is the embedded default.
//
// The adapter uses only what FerretDB 1.24 also implements — CRUD, unique
// indexes, simple aggregation — so its tests can run against an embedded
// FerretDB: no transactions, no change streams, no partial indexes. Where
// MongoDB would use a transaction the adapter orders its writes so that a crash
// leaves at worst a record that the next write or start-up reconciliation
// heals, and every org and listing write takes a number from a counter
// document so that followers can poll the update sequence (Changes).
package mongo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/rongtong/rongtong/app"
)

// SchemaVersion is the version of the collections and indexes this build
// writes. Open records it in the meta collection and refuses a database that a
// newer build has already moved to a higher version.
const SchemaVersion = 1

// Collection names.
const (
	collUsers      = "users"
	collTokens     = "tokens"
	collInvites    = "invites"
	collOrgs       = "orgs"
	collListings   = "listings"
	collImports    = "imports"
	collCounters   = "counters"
	collTombstones = "tombstones"
	collMeta       = "meta"
	// The cultivation database (培育库).
	collIndicators  = "indicators"
	collMemberships = "memberships"
)

// Entity names used in changes and tombstones.
const (
	entityOrg     = "org"
	entityListing = "listing"
)

// defaultPageLimit is the page size when Page.Limit is zero.
const defaultPageLimit = 50

// Store is an app.Store on a MongoDB database.
//
// On every write the store sets the record's Seq and, because BSON keeps
// dates to the millisecond, rounds the record's times down to the millisecond
// in UTC, so the caller's copy equals what a later read returns.
type Store struct {
	client *mongo.Client
	db     *mongo.Database

	users, tokens, invites, orgs, listings *mongo.Collection
	imports, counters, tombstones, meta    *mongo.Collection
	indicators, memberships                *mongo.Collection

	// ferret is set when the server is FerretDB, the tests' embedded double.
	// The store works around FerretDB 1.24 in a few places, each explained
	// where it is done: it serialises its read-modify-write commands with
	// rmw (FerretDB's findAndModify reads and writes in separate SQLite
	// transactions, so two callers can both match; MongoDB's is atomic and
	// the lock is never taken there), sends at most ferretUpdateBatch
	// updates per command, replaces a batch's stored records by delete and
	// insert (ferretSave) and reads sets of values as ranges (matchAny).
	// The lock only protects callers within one process, which is enough
	// for a test double.
	ferret bool
	rmw    sync.Mutex
}

var _ app.Store = (*Store)(nil)

// Open connects to the MongoDB deployment at uri, creates the store's indexes
// in database and checks the schema version recorded there. It returns
// EUNAVAILABLE if the server cannot be reached before ctx ends.
func Open(ctx context.Context, uri, database string) (*Store, error) {
	if database == "" {
		return nil, errors.New("mongo: empty database name")
	}
	client, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		return nil, fmt.Errorf("mongo: connect: %w", err)
	}
	s := newStore(client, database)
	if err := s.open(ctx); err != nil {
		dctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return nil, errors.Join(err, client.Disconnect(dctx))
	}
	return s, nil
}

func newStore(client *mongo.Client, database string) *Store {
	db := client.Database(database)
	return &Store{
		client:     client,
		db:         db,
		users:      db.Collection(collUsers),
		tokens:     db.Collection(collTokens),
		invites:    db.Collection(collInvites),
		orgs:       db.Collection(collOrgs),
		listings:   db.Collection(collListings),
		imports:    db.Collection(collImports),
		counters:   db.Collection(collCounters),
		tombstones: db.Collection(collTombstones),
		meta:       db.Collection(collMeta),

		indicators:  db.Collection(collIndicators),
		memberships: db.Collection(collMemberships),
	}
}

func (s *Store) open(ctx context.Context) error {
	if err := s.Ping(ctx); err != nil {
		return err
	}
	var info bson.M
	if err := s.db.RunCommand(ctx, bson.D{{Key: "buildInfo", Value: 1}}).Decode(&info); err != nil {
		return fmt.Errorf("mongo: buildInfo: %w", err)
	}
	_, s.ferret = info["ferretdbVersion"]
	// The version comes first: a database a newer build has migrated may
	// hold indexes this build would clash with.
	found, err := s.checkSchema(ctx)
	if err != nil {
		return err
	}
	if err := s.createIndexes(ctx); err != nil {
		return err
	}
	if !found {
		return s.recordSchema(ctx)
	}
	return nil
}

// index describes one index the store needs.
type index struct {
	coll   *mongo.Collection
	name   string
	keys   bson.D
	unique bool
}

// indexes lists every index the store needs. Unique indexes are sparse
// because the fields they cover are omitted when empty: an organisation
// without a USCC or a user without a phone must not collide with another.
// (FerretDB 1.24 accepts but ignores "sparse"; its SQLite indexes treat
// missing fields as NULL, which never collides, so the effect is the same.
// It rejects partialFilterExpression, which the store therefore does not use.)
func (s *Store) indexes() []index {
	k := func(names ...string) bson.D {
		d := make(bson.D, len(names))
		for i, n := range names {
			d[i] = bson.E{Key: n, Value: 1}
		}
		return d
	}
	ixs := []index{
		{s.users, idxEmail, k("emailLower"), true},
		{s.users, idxPhone, k("phone"), true},
		{s.users, "orgId_1", k("orgId"), false},
		{s.tokens, "family_1", k("family"), false},
		{s.tokens, "userId_1", k("userId"), false},
		{s.invites, "orgId_1", k("orgId"), false},
		{s.orgs, idxRef, k("ref"), true},
		{s.orgs, idxUSCC, k("uscc"), true},
		{s.orgs, "orgType_1", k("orgType"), false},
		{s.orgs, "industryKeys_1", k("industryKeys"), false},
		{s.orgs, "regionKeys_1", k("regionKeys"), false},
		{s.orgs, "seq_1", k("seq"), false},
		{s.listings, idxRef, k("ref"), true},
		{s.listings, "orgId_1", k("orgId"), false},
		{s.listings, "kind_1_status_1", k("kind", "status"), false},
		{s.listings, "industryKeys_1", k("industryKeys"), false},
		{s.listings, "regionKeys_1", k("regionKeys"), false},
		{s.listings, "seq_1", k("seq"), false},
		{s.tombstones, "seq_1", k("seq"), false},
		{s.indicators, "orgId_1_year_1", k("orgId", "year"), true},
		{s.indicators, "year_1", k("year"), false},
	}
	ixs = append(ixs, s.eventIndexes()...)
	return append(ixs, s.pairingIndexes()...)
}

// createIndexes creates the indexes that do not exist yet, one per command:
// FerretDB 1.24 fails (dropping the connection) when one createIndexes command
// lists more than one index that already exists.
func (s *Store) createIndexes(ctx context.Context) error {
	have := map[*mongo.Collection]map[string]bool{}
	for _, ix := range s.indexes() {
		names, ok := have[ix.coll]
		if !ok {
			specs, err := ix.coll.Indexes().ListSpecifications(ctx)
			if err != nil {
				return fmt.Errorf("mongo: list indexes of %s: %w", ix.coll.Name(), err)
			}
			names = map[string]bool{}
			for _, sp := range specs {
				names[sp.Name] = true
			}
			have[ix.coll] = names
		}
		if names[ix.name] {
			continue
		}
		o := options.Index().SetName(ix.name)
		if ix.unique {
			o.SetUnique(true).SetSparse(true)
		}
		if _, err := ix.coll.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: ix.keys, Options: o}); err != nil {
			return fmt.Errorf("mongo: create index %s on %s: %w", ix.name, ix.coll.Name(), err)
		}
	}
	return nil
}

// metaDoc records the schema version of a database.
type metaDoc struct {
	ID        string    `bson:"_id"`
	Version   int       `bson:"version"`
	UpdatedAt time.Time `bson:"updatedAt"`
}

const metaSchemaID = "schema"

// checkSchema reads the schema version of the database and refuses one that a
// newer build has migrated; found is false for a new database. Older
// versions would be migrated here, one step at a time; version 1 is the first.
func (s *Store) checkSchema(ctx context.Context) (found bool, err error) {
	var m metaDoc
	err = s.meta.FindOne(ctx, byID(metaSchemaID)).Decode(&m)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return false, nil
	case err != nil:
		return false, fmt.Errorf("mongo: read schema version: %w", err)
	case m.Version > SchemaVersion:
		return true, fmt.Errorf("mongo: database %s has schema version %d, newer than this build's %d; upgrade rongtong",
			s.db.Name(), m.Version, SchemaVersion)
	case m.Version < 1:
		return true, fmt.Errorf("mongo: database %s has an invalid schema version %d", s.db.Name(), m.Version)
	}
	return true, nil
}

// recordSchema records SchemaVersion in a new database.
func (s *Store) recordSchema(ctx context.Context) error {
	m := metaDoc{ID: metaSchemaID, Version: SchemaVersion, UpdatedAt: msTime(time.Now())}
	_, err := s.meta.InsertOne(ctx, m)
	if mongo.IsDuplicateKeyError(err) {
		// Another node initialised the database at the same moment.
		_, err = s.checkSchema(ctx)
		return err
	}
	if err != nil {
		return fmt.Errorf("mongo: record schema version: %w", err)
	}
	return nil
}

// Ping returns EUNAVAILABLE if the server cannot be reached.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.client.Ping(ctx, nil); err != nil {
		return fmt.Errorf("%w: %w", app.Errorf(app.EUNAVAILABLE, "the database is unavailable"), err)
	}
	return nil
}

// Close disconnects from the server.
func (s *Store) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.client.Disconnect(ctx); err != nil {
		return fmt.Errorf("mongo: disconnect: %w", err)
	}
	return nil
}

// lockRMW serialises a read-modify-write command on FerretDB (see Store.ferret)
// and returns the function that ends it.
func (s *Store) lockRMW() func() {
	if !s.ferret {
		return func() {}
	}
	s.rmw.Lock()
	return s.rmw.Unlock
}

// ferretUpdateBatch bounds the updates and replacements of one command sent
// to FerretDB. FerretDB 1.24's update command keeps each matched document's
// SQLite cursor open until the whole command ends, and its pool has 100
// connections, so a command that replaces about a hundred existing documents
// waits forever for a connection.
const ferretUpdateBatch = 50

// bulkWrite runs a bulk write and returns how many documents its updates and
// replacements matched. On FerretDB it splits the models into commands of at
// most ferretUpdateBatch updates, in order; an ordered write stops at the
// first failing command, an unordered one runs them all.
func (s *Store) bulkWrite(ctx context.Context, c *mongo.Collection, models []mongo.WriteModel, ordered bool) (int64, error) {
	if len(models) == 0 {
		return 0, nil
	}
	opts := options.BulkWrite().SetOrdered(ordered)
	if !s.ferret {
		res, err := c.BulkWrite(ctx, models, opts)
		if err != nil {
			return 0, err
		}
		return res.MatchedCount, nil
	}
	var matched int64
	var errs []error
	start, updates := 0, 0
	for i, m := range models {
		if _, ok := m.(*mongo.InsertOneModel); !ok {
			updates++
		}
		if updates < ferretUpdateBatch && i < len(models)-1 {
			continue
		}
		res, err := c.BulkWrite(ctx, models[start:i+1], opts)
		if err != nil {
			if ordered {
				return matched, err
			}
			errs = append(errs, err)
		} else {
			matched += res.MatchedCount
		}
		start, updates = i+1, 0
	}
	return matched, errors.Join(errs...)
}

// counterDoc is a named counter; the update sequence is the one with ID seqCounter.
type counterDoc struct {
	ID    string `bson:"_id"`
	Value int64  `bson:"value"`
}

const seqCounter = "seq"

// nextSeqs reserves n consecutive sequence numbers and returns the first.
func (s *Store) nextSeqs(ctx context.Context, n int) (int64, error) {
	if n <= 0 {
		return 0, fmt.Errorf("mongo: reserve %d sequence numbers", n)
	}
	unlock := s.lockRMW()
	defer unlock()
	var c counterDoc
	err := s.counters.FindOneAndUpdate(ctx,
		bson.D{{Key: "_id", Value: seqCounter}},
		bson.D{{Key: "$inc", Value: bson.D{{Key: "value", Value: int64(n)}}}},
		options.FindOneAndUpdate().SetUpsert(true).SetReturnDocument(options.After),
	).Decode(&c)
	if err != nil {
		return 0, fmt.Errorf("mongo: next sequence number: %w", err)
	}
	return c.Value - int64(n) + 1, nil
}

// LastSeq returns the highest sequence number assigned so far.
func (s *Store) LastSeq(ctx context.Context) (int64, error) {
	var c counterDoc
	err := s.counters.FindOne(ctx, bson.D{{Key: "_id", Value: seqCounter}}).Decode(&c)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("mongo: last sequence number: %w", err)
	}
	return c.Value, nil
}

// tombstone records a deleted org or listing in the update sequence. Its ID
// is entity/id so that an org and a listing can never share one.
type tombstone struct {
	Key    string `bson:"_id"`
	Entity string `bson:"entity"`
	ID     string `bson:"id"`
	Seq    int64  `bson:"seq"`
}

// writeTombstones records deletions of ids of one entity with sequence
// numbers from first on. A tombstone of an ID deleted before is replaced.
func (s *Store) writeTombstones(ctx context.Context, entity string, ids []string, first int64) error {
	if len(ids) == 0 {
		return nil
	}
	models := make([]mongo.WriteModel, len(ids))
	for i, id := range ids {
		t := tombstone{Key: entity + "/" + id, Entity: entity, ID: id, Seq: first + int64(i)}
		models[i] = mongo.NewReplaceOneModel().
			SetFilter(bson.D{{Key: "_id", Value: t.Key}}).SetReplacement(t).SetUpsert(true)
	}
	if _, err := s.bulkWrite(ctx, s.tombstones, models, true); err != nil {
		return fmt.Errorf("mongo: write %s tombstones: %w", entity, err)
	}
	return nil
}

// Changes returns up to limit changes with a sequence number above after, in
// sequence order. A record appears once, with the number of its last write.
//
// Sequence numbers are reserved before the write they label lands, so a
// poller may see number n+1 before n becomes visible; a follower should
// re-read a short window behind its position (MongoDB change streams, the
// scale-out plan, do not have this gap).
func (s *Store) Changes(ctx context.Context, after int64, limit int) ([]app.Change, error) {
	if limit <= 0 {
		return []app.Change{}, nil
	}
	filter := bson.D{{Key: "seq", Value: bson.D{{Key: "$gt", Value: after}}}}
	opts := func(fields ...string) *options.FindOptionsBuilder {
		proj := bson.D{{Key: "_id", Value: 1}, {Key: "seq", Value: 1}}
		for _, f := range fields {
			proj = append(proj, bson.E{Key: f, Value: 1})
		}
		return options.Find().SetSort(bson.D{{Key: "seq", Value: 1}}).SetLimit(int64(limit)).SetProjection(proj)
	}
	type seqDoc struct {
		ID  string `bson:"_id"`
		Seq int64  `bson:"seq"`
	}
	var orgs, listings []seqDoc
	var tombs []tombstone
	if err := findAll(ctx, s.orgs, filter, &orgs, opts()); err != nil {
		return nil, fmt.Errorf("mongo: changes: %w", err)
	}
	if err := findAll(ctx, s.listings, filter, &listings, opts()); err != nil {
		return nil, fmt.Errorf("mongo: changes: %w", err)
	}
	if err := findAll(ctx, s.tombstones, filter, &tombs, opts("entity", "id")); err != nil {
		return nil, fmt.Errorf("mongo: changes: %w", err)
	}
	out := make([]app.Change, 0, min(limit, len(orgs)+len(listings)+len(tombs)))
	i, j, k := 0, 0, 0
	for len(out) < limit {
		best := -1
		var seq int64
		if i < len(orgs) && (best < 0 || orgs[i].Seq < seq) {
			best, seq = 0, orgs[i].Seq
		}
		if j < len(listings) && (best < 0 || listings[j].Seq < seq) {
			best, seq = 1, listings[j].Seq
		}
		if k < len(tombs) && (best < 0 || tombs[k].Seq < seq) {
			best, seq = 2, tombs[k].Seq
		}
		switch best {
		case 0:
			out = append(out, app.Change{Seq: seq, Entity: entityOrg, ID: orgs[i].ID})
			i++
		case 1:
			out = append(out, app.Change{Seq: seq, Entity: entityListing, ID: listings[j].ID})
			j++
		case 2:
			out = append(out, app.Change{Seq: seq, Entity: tombs[k].Entity, ID: tombs[k].ID, Deleted: true})
			k++
		default:
			return out, nil
		}
	}
	return out, nil
}

// findAll runs a query and decodes every result into out, a pointer to a slice.
func findAll(ctx context.Context, c *mongo.Collection, filter any, out any, opts ...options.Lister[options.FindOptions]) error {
	cur, err := c.Find(ctx, filter, opts...)
	if err != nil {
		return err
	}
	// All closes the cursor and reports the cursor's error.
	return cur.All(ctx, out)
}

// pageLimit returns the number of items a page asks for.
func pageLimit(p app.Page) int64 {
	switch {
	case p.Limit <= 0:
		return defaultPageLimit
	case p.Limit > app.MaxPageLimit:
		return app.MaxPageLimit
	}
	return int64(p.Limit)
}

// and combines conditions; no condition selects everything.
func and(conds []bson.D) bson.D {
	switch len(conds) {
	case 0:
		return bson.D{}
	case 1:
		return conds[0]
	}
	a := make(bson.A, len(conds))
	for i, c := range conds {
		a[i] = c
	}
	return bson.D{{Key: "$and", Value: a}}
}

// eq, in and gt build one-field conditions. Field names are always constants
// of this package; values from users are only ever values, so a string such as
// `{"$gt": ""}` or "a.b" is compared literally.
func eq(field string, v any) bson.D { return bson.D{{Key: field, Value: v}} }

func in[T any](field string, vs []T) bson.D {
	a := make(bson.A, len(vs))
	for i, v := range vs {
		a[i] = v
	}
	return bson.D{{Key: field, Value: bson.D{{Key: "$in", Value: a}}}}
}

// matchExact selects the documents whose field is one of values, as one
// filter per chunk of values. Each chunk is sorted and bounded by its least
// and greatest value before the $in: MongoDB narrows its index scan either
// way, but FerretDB evaluates the operators in order for every document, and
// a range test that fails spares it comparing the document with every value
// of the $in.
func (s *Store) matchExact(field string, values []string) []bson.D {
	const size = refChunk
	vs := slices.Clone(values)
	slices.Sort(vs)
	vs = slices.Compact(vs)
	var out []bson.D
	for start := 0; start < len(vs); start += size {
		chunk := vs[start:min(start+size, len(vs))]
		a := make(bson.A, len(chunk))
		for i, v := range chunk {
			a[i] = v
		}
		out = append(out, bson.D{{Key: field, Value: bson.D{
			{Key: "$gte", Value: chunk[0]},
			{Key: "$lte", Value: chunk[len(chunk)-1]},
			{Key: "$in", Value: a},
		}}})
	}
	return out
}

// matchAny selects at least the documents whose field is one of values, for
// reads whose caller keeps only those. On MongoDB it is matchExact. On
// FerretDB it is one range from the least to the greatest value: every
// query there reads and decodes the whole collection anyway, and comparing
// each document twice instead of with every value of an $in turns seconds
// into milliseconds for a batch of a few thousand.
func (s *Store) matchAny(field string, values []string) []bson.D {
	if !s.ferret || len(values) == 0 {
		return s.matchExact(field, values)
	}
	lo, hi := slices.Min(values), slices.Max(values)
	return []bson.D{{{Key: field, Value: bson.D{{Key: "$gte", Value: lo}, {Key: "$lte", Value: hi}}}}}
}

// anyOf combines filters into one, so that FerretDB reads the collection once
// for all of them; ok is false if there are none.
func anyOf(filters []bson.D) (filter bson.D, ok bool) {
	switch len(filters) {
	case 0:
		return nil, false
	case 1:
		return filters[0], true
	}
	a := make(bson.A, len(filters))
	for i, f := range filters {
		a[i] = f
	}
	return bson.D{{Key: "$or", Value: a}}, true
}

// refChunk bounds the values of one $in query.
const refChunk = 1000

func cmp(field, op string, v any) bson.D {
	return bson.D{{Key: field, Value: bson.D{{Key: op, Value: v}}}}
}

// byID is the filter of one document; on FerretDB a filter of exactly
// {_id: string} is the one it answers without a full scan.
func byID(id string) bson.D { return bson.D{{Key: "_id", Value: id}} }

// msTime returns t in UTC rounded down to the millisecond, as BSON keeps it.
func msTime(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// msTimePtr rounds *p like msTime, with a new pointer so that a time shared
// with the caller's other values is left alone.
func msTimePtr(p **time.Time) {
	if *p != nil {
		t := msTime(**p)
		*p = &t
	}
}

// notFound returns an ENOTFOUND error about a kind of record.
func notFound(what string) error {
	return app.Errorf(app.ENOTFOUND, "%s not found", what)
}
