package mongo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/store/storetest"
)

// target is a server the tests run against.
type target struct {
	name string
	uri  string
}

// targets are the embedded FerretDB and, when RONGTONG_TEST_MONGODB_URI is
// set, a real MongoDB.
var targets []target

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "rongtong-ferretdb-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	f, err := ferretdb.New(&ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: "127.0.0.1:0"},
		Handler:  "sqlite",
		// Durability means nothing to a test double, and an fsync per
		// SQLite transaction made loads several times slower.
		SQLiteURL: "file:" + dir + "/?_pragma=synchronous(off)",
		// FerretDB logs every error reply at warning level; the tests
		// provoke many on purpose.
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})),
	})
	if err != nil {
		log.Fatalf("start FerretDB: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- f.Run(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			log.Printf("FerretDB: %v", err)
		}
	}()
	targets = append(targets, target{"ferretdb", f.MongoDBURI()})
	if uri := os.Getenv("RONGTONG_TEST_MONGODB_URI"); uri != "" {
		targets = append(targets, target{"mongodb", uri})
	}
	return m.Run()
}

// forEachTarget runs fn as a subtest against every target.
func forEachTarget(t *testing.T, fn func(t *testing.T, uri string)) {
	for _, tg := range targets {
		t.Run(tg.name, func(t *testing.T) { fn(t, tg.uri) })
	}
}

// MustOpen opens a store on a new database of the server at uri and drops
// the database when the test ends.
func MustOpen(tb testing.TB, uri string) *Store {
	tb.Helper()
	name := newDBName()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := Open(ctx, uri, name)
	if err != nil {
		tb.Fatalf("Open(%s): %v", name, err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := s.db.Drop(ctx); err != nil {
			tb.Errorf("drop database %s: %v", name, err)
		}
		if err := s.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return s
}

var dbSerial struct {
	sync.Mutex
	n int
}

// newDBName returns a database name no other test or test run uses.
func newDBName() string {
	dbSerial.Lock()
	dbSerial.n++
	n := dbSerial.n
	dbSerial.Unlock()
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	return "rt_test_" + hex.EncodeToString(b[:]) + "_" + strconv.Itoa(n)
}

// t0 is the tests' clock, in whole milliseconds as BSON keeps dates.
var t0 = time.Date(2025, 3, 1, 8, 30, 0, 0, time.UTC)

func testOrg(name, uscc string) *app.Org {
	return &app.Org{
		ID: app.NewID(), Name: name, USCC: uscc, Type: app.OrgSME, Region: "330206", Industry: "3484",
		Tier: app.TierInnovative, CreatedAt: t0, UpdatedAt: t0,
		RegionKeys: []string{"330000", "330200", "330206"}, IndustryKeys: []string{"C", "34", "348", "3484"},
	}
}

func testListing(o *app.Org, title string) *app.Listing {
	return &app.Listing{
		ID: app.NewID(), Kind: app.KindCapability, OrgID: o.ID, Owner: o.Summary(), Status: app.StatusPublished,
		Title: title, Industries: []string{"3484"}, CreatedAt: t0, UpdatedAt: t0,
		IndustryKeys: []string{"C", "34", "348", "3484"}, RegionKeys: slices.Clone(o.RegionKeys),
	}
}

// uscc returns a well-formed 统一社会信用代码 numbered n.
func uscc(n int) string {
	first := fmt.Sprintf("91330200MA%07d", n)
	return first + string(app.USCCCheckChar(first))
}

func wantCode(t *testing.T, err error, code, field string) {
	t.Helper()
	if got := app.ErrorCode(err); got != code {
		t.Fatalf("got %v (code %q), want code %q", err, got, code)
	}
	if field == "" {
		return
	}
	var ae *app.Error
	if !errors.As(err, &ae) || len(ae.Fields) == 0 || ae.Fields[0].Field != field {
		t.Fatalf("got %v, want a field error for %q", err, field)
	}
}

// TestStore runs the conformance suite shared with the other adapters.
func TestStore(t *testing.T) {
	forEachTarget(t, func(t *testing.T, uri string) {
		storetest.Run(t, func(t *testing.T) app.Store { return MustOpen(t, uri) })
	})
}

func TestOpenDetectsServer(t *testing.T) {
	for _, tg := range targets {
		t.Run(tg.name, func(t *testing.T) {
			s := MustOpen(t, tg.uri)
			if want := tg.name == "ferretdb"; s.ferret != want {
				t.Errorf("ferret = %v, want %v", s.ferret, want)
			}
			if err := s.Ping(t.Context()); err != nil {
				t.Fatalf("Ping: %v", err)
			}
		})
	}
}

func TestOpenUnreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
	defer cancel()
	_, err := Open(ctx, "mongodb://127.0.0.1:1/?connectTimeoutMS=200&serverSelectionTimeoutMS=300", "x")
	wantCode(t, err, app.EUNAVAILABLE, "")
}

func TestSchemaVersion(t *testing.T) {
	forEachTarget(t, func(t *testing.T, uri string) {
		s := MustOpen(t, uri)
		ctx := t.Context()
		// Opening again is fine: indexes exist, the version matches.
		s2, err := Open(ctx, uri, s.db.Name())
		if err != nil {
			t.Fatalf("reopen: %v", err)
		}
		if err := s2.Close(); err != nil {
			t.Fatal(err)
		}
		_, err = s.meta.UpdateOne(ctx, byID(metaSchemaID), bson.D{{Key: "$set", Value: bson.D{{Key: "version", Value: SchemaVersion + 1}}}})
		if err != nil {
			t.Fatal(err)
		}
		if s3, err := Open(ctx, uri, s.db.Name()); err == nil {
			s3.Close()
			t.Fatal("Open of a database with a newer schema succeeded")
		}
	})
}

// TestConflictFields checks that every path to a unique index names the
// field: inserts and replacements, which FerretDB reports differently.
func TestConflictFields(t *testing.T) {
	forEachTarget(t, func(t *testing.T, uri string) {
		s := MustOpen(t, uri)
		ctx := t.Context()
		a := testOrg("甲", uscc(1))
		a.Ref = "ORG-A"
		if err := s.CreateOrg(ctx, a); err != nil {
			t.Fatal(err)
		}
		b := testOrg("乙", uscc(2))
		b.Ref = "ORG-B"
		if err := s.CreateOrg(ctx, b); err != nil {
			t.Fatal(err)
		}
		// Two organisations without a USCC or ref do not collide.
		for i := range 2 {
			o := testOrg(fmt.Sprintf("院所%d", i), "")
			o.Type = app.OrgInstitution
			if err := s.CreateOrg(ctx, o); err != nil {
				t.Fatalf("org without USCC: %v", err)
			}
		}

		c := testOrg("丙", uscc(1))
		wantCode(t, s.CreateOrg(ctx, c), app.ECONFLICT, "uscc")
		c = testOrg("丙", uscc(3))
		c.Ref = "ORG-A"
		wantCode(t, s.CreateOrg(ctx, c), app.ECONFLICT, "ref")
		c = testOrg("丙", uscc(3))
		c.ID = a.ID
		wantCode(t, s.CreateOrg(ctx, c), app.ECONFLICT, "id")

		b2 := *b
		b2.USCC = a.USCC
		wantCode(t, s.UpdateOrg(ctx, &b2), app.ECONFLICT, "uscc")
		b2 = *b
		b2.Ref = a.Ref
		wantCode(t, s.UpdateOrg(ctx, &b2), app.ECONFLICT, "ref")

		// In a batch: the conflict names the field and the record.
		d := testOrg("丁", uscc(4))
		d.Ref = "ORG-D"
		e := testOrg("戊", b.USCC)
		e.Ref = "ORG-E"
		err := s.SaveBatch(ctx, []*app.Org{d, e}, nil)
		wantCode(t, err, app.ECONFLICT, "uscc")
		var ae *app.Error
		if errors.As(err, &ae); !strings.Contains(ae.Fields[0].Message, "ORG-E") {
			t.Errorf("batch conflict %q does not name ORG-E", ae.Fields[0].Message)
		}
		// A replacement in a batch that takes another's ref.
		b3 := *b
		b3.Ref = a.Ref
		wantCode(t, s.SaveBatch(ctx, []*app.Org{&b3}, nil), app.ECONFLICT, "ref")

		l := testListing(a, "加工能力")
		l.Ref = "L-1"
		if err := s.CreateListing(ctx, l); err != nil {
			t.Fatal(err)
		}
		l2 := testListing(a, "另一个")
		l2.Ref = "L-1"
		wantCode(t, s.CreateListing(ctx, l2), app.ECONFLICT, "ref")
		l2.Ref = "L-2"
		if err := s.CreateListing(ctx, l2); err != nil {
			t.Fatal(err)
		}
		l2.Ref = "L-1"
		wantCode(t, s.UpdateListing(ctx, l2), app.ECONFLICT, "ref")
	})
}

// TestSeqConcurrent checks that concurrent writers get distinct sequence
// numbers, which FerretDB's findAndModify alone does not guarantee.
func TestSeqConcurrent(t *testing.T) {
	forEachTarget(t, func(t *testing.T, uri string) {
		s := MustOpen(t, uri)
		const n = 20
		orgs := make([]*app.Org, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			orgs[i] = testOrg(fmt.Sprintf("企业%d", i), uscc(100+i))
			wg.Go(func() { errs[i] = s.CreateOrg(t.Context(), orgs[i]) })
		}
		wg.Wait()
		seen := map[int64]bool{}
		for i, o := range orgs {
			if errs[i] != nil {
				t.Fatalf("CreateOrg: %v", errs[i])
			}
			if seen[o.Seq] {
				t.Errorf("sequence number %d given twice", o.Seq)
			}
			seen[o.Seq] = true
		}
		last, err := s.LastSeq(t.Context())
		if err != nil || last != n {
			t.Errorf("LastSeq = %d, %v; want %d", last, err, n)
		}
	})
}

// TestTimesRoundTrip checks that times come back as written once the store
// has rounded them: UTC, whole milliseconds.
func TestTimesRoundTrip(t *testing.T) {
	forEachTarget(t, func(t *testing.T, uri string) {
		s := MustOpen(t, uri)
		shanghai := time.FixedZone("CST", 8*3600)
		o := testOrg("时间", uscc(7))
		o.CreatedAt = time.Date(2025, 3, 1, 16, 30, 0, 123456789, shanghai)
		at := time.Now()
		orig := at
		o.VerifiedAt = &at
		if err := s.CreateOrg(t.Context(), o); err != nil {
			t.Fatal(err)
		}
		if o.CreatedAt.Nanosecond() != 123000000 || o.CreatedAt.Location() != time.UTC {
			t.Errorf("CreatedAt after write = %v, want UTC whole milliseconds", o.CreatedAt)
		}
		if at != orig {
			t.Errorf("the time VerifiedAt pointed to was changed in place")
		}
		if !o.VerifiedAt.Equal(orig.Truncate(time.Millisecond)) {
			t.Errorf("VerifiedAt after write = %v, want %v", *o.VerifiedAt, orig.Truncate(time.Millisecond))
		}
		got, err := s.FindOrg(t.Context(), o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.CreatedAt != o.CreatedAt || *got.VerifiedAt != *o.VerifiedAt {
			t.Errorf("read back %v, %v; want %v, %v", got.CreatedAt, *got.VerifiedAt, o.CreatedAt, *o.VerifiedAt)
		}
	})
}

// TestUndoBatch checks how a batch that failed half-way is reverted: records
// it created go, records it replaced come back, records written since stay.
func TestUndoBatch(t *testing.T) {
	forEachTarget(t, func(t *testing.T, uri string) {
		s := MustOpen(t, uri)
		ctx := t.Context()
		x := testOrg("原名", uscc(11))
		if err := s.CreateOrg(ctx, x); err != nil {
			t.Fatal(err)
		}
		old, err := s.storedDocs(ctx, s.orgs, []string{x.ID})
		if err != nil {
			t.Fatal(err)
		}
		first := x.Seq + 1
		x2 := *x
		x2.Name = "新名"
		y := testOrg("新企业", uscc(12))
		z := testOrg("之后又改", uscc(13))
		if err := s.SaveBatch(ctx, []*app.Org{&x2, y, z}, nil); err != nil {
			t.Fatal(err)
		}
		last := z.Seq
		z.Name = "批后更新"
		if err := s.UpdateOrg(ctx, z); err != nil {
			t.Fatal(err)
		}
		if err := s.undoBatch(ctx, s.orgs, []string{x.ID, y.ID, z.ID}, old, first, last); err != nil {
			t.Fatalf("undoBatch: %v", err)
		}
		if got, err := s.FindOrg(ctx, x.ID); err != nil || got.Name != "原名" || got.Seq != x.Seq {
			t.Errorf("replaced org after undo: %+v, %v; want it as it was", got, err)
		}
		if _, err := s.FindOrg(ctx, y.ID); app.ErrorCode(err) != app.ENOTFOUND {
			t.Errorf("created org after undo: %v, want ENOTFOUND", err)
		}
		if got, err := s.FindOrg(ctx, z.ID); err != nil || got.Name != "批后更新" {
			t.Errorf("org written after the batch: %+v, %v; want it left alone", got, err)
		}
		if s.ferret {
			// ferretSave deleted a replaced record and failed to insert it.
			if _, err := s.orgs.DeleteOne(ctx, byID(x.ID)); err != nil {
				t.Fatal(err)
			}
			if err := s.undoBatch(ctx, s.orgs, []string{x.ID}, old, first, last); err != nil {
				t.Fatalf("undoBatch: %v", err)
			}
			if got, err := s.FindOrg(ctx, x.ID); err != nil || got.Name != "原名" {
				t.Errorf("deleted replaced org after undo: %+v, %v; want it back", got, err)
			}
		}
	})
}

// TestIndexInMessage checks that MongoDB's and FerretDB's messages name the
// unique index they refused a write for.
func TestIndexInMessage(t *testing.T) {
	tests := []struct {
		msg  string
		want string
	}{
		{`E11000 duplicate key error collection: rt.orgs index: uscc_1 dup key: { uscc: "91330200MA0000001X" }`, "uscc"},
		{`write exception: write errors: [E11000 duplicate key error collection: rt.orgs index: ref_1 dup key: { ref: "A" }]`, "ref"},
		{`E11000 duplicate key error collection: rt.users index: emailLower_1 dup key: { emailLower: "a@b.c" }`, "email"},
		{`E11000 duplicate key error collection: rt.users index: phone_1 dup key: { phone: "13800138000" }`, "phone"},
		{`(InternalError) [collection.go:177 sqlite.(*collection).UpdateAll.func1] constraint failed: UNIQUE constraint failed: index 'orgs_ed21121e_uscc_1' (2067)`, "uscc"},
		{`E11000 duplicate key error collection: rt.orgs`, ""},
		{`E11000 duplicate key error collection: rt.orgs index: _id_ dup key: { _id: "x" }`, ""},
	}
	keys := slices.Concat(orgKeys, userKeys)
	for _, tt := range tests {
		k, ok := indexInMessage(tt.msg, keys)
		if got := k.field; ok != (tt.want != "") || got != tt.want {
			t.Errorf("indexInMessage(%q) = %q, %v; want %q", tt.msg, got, ok, tt.want)
		}
	}
}

// benchTarget returns the server benchmarks run against: a real MongoDB when
// RONGTONG_TEST_MONGODB_URI is set, else the embedded FerretDB.
func benchTarget() target { return targets[len(targets)-1] }

// BenchmarkFindListing100k looks listings up by ID among 100,000
// (RONGTONG_BENCH_LISTINGS overrides the number). Through FerretDB, which
// scans the whole collection for every lookup, it is slow by design.
func BenchmarkFindListing100k(b *testing.B) {
	n := 100_000
	if v := os.Getenv("RONGTONG_BENCH_LISTINGS"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n <= 0 {
			b.Fatalf("RONGTONG_BENCH_LISTINGS=%q: want a positive number", v)
		}
	}
	tg := benchTarget()
	b.Logf("%s, %d listings", tg.name, n)
	storetest.BenchFindListing(b, MustOpen(b, tg.uri), n)
}

// BenchmarkSaveBatch creates and then replaces batches of 5,000 records.
func BenchmarkSaveBatch(b *testing.B) {
	tg := benchTarget()
	b.Logf("%s", tg.name)
	storetest.BenchSaveBatch(b, MustOpen(b, tg.uri))
}
