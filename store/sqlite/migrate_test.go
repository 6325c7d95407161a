package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rongtong/rongtong/app"
)

// schemaVersions returns the versions recorded in schema_migrations.
func schemaVersions(t *testing.T, path string) []int {
	t.Helper()
	db, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.QueryContext(t.Context(), `SELECT version FROM schema_migrations ORDER BY version`)
	if err != nil {
		t.Fatalf("read schema_migrations: %v", err)
	}
	defer rows.Close()
	var vs []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		vs = append(vs, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return vs
}

func mustOpenWith(t *testing.T, path string, ms []migration) *Store {
	t.Helper()
	s, err := open(t.Context(), path, ms)
	if err != nil {
		t.Fatalf("open with %d migrations: %v", len(ms), err)
	}
	return s
}

func mustClose(t *testing.T, s *Store) {
	t.Helper()
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
}

func latest() []int {
	var vs []int
	for _, m := range migrations {
		vs = append(vs, m.version)
	}
	return vs
}

// TestMigrateUpgrade opens a database of the current schema with a program
// that has one more migration: the new migration runs once, in order, and
// the data stays.
func TestMigrateUpgrade(t *testing.T) {
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "rongtong.db")
	s := mustOpenWith(t, path, migrations)
	o := &app.Org{ID: app.NewID(), Name: "升级前", Type: app.OrgInvestor, CreatedAt: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	if err := s.CreateOrg(ctx, o); err != nil {
		t.Fatal(err)
	}
	mustClose(t, s)
	if got := schemaVersions(t, path); !slices.Equal(got, latest()) {
		t.Fatalf("schema versions %v, want %v", got, latest())
	}

	next := len(migrations) + 1
	upgraded := append(slices.Clone(migrations), migration{next, "add a note to organisations", `
ALTER TABLE orgs ADD COLUMN note TEXT NOT NULL DEFAULT '';
UPDATE orgs SET note = 'migrated';
CREATE INDEX orgs_note ON orgs (note);`})
	s = mustOpenWith(t, path, upgraded)
	var note string
	if err := s.rdb.QueryRowContext(ctx, `SELECT note FROM orgs WHERE id = ?`, o.ID).Scan(&note); err != nil || note != "migrated" {
		t.Fatalf("after the upgrade, note = %q, %v; want the migration to have run", note, err)
	}
	got, err := s.FindOrg(ctx, o.ID)
	if err != nil || got.Name != o.Name || got.Seq != o.Seq {
		t.Fatalf("after the upgrade, FindOrg = %+v, %v; want %+v", got, err, o)
	}
	// The store still works on the upgraded schema.
	if err := s.CreateOrg(ctx, &app.Org{ID: app.NewID(), Name: "升级后", Type: app.OrgInvestor}); err != nil {
		t.Fatalf("CreateOrg after the upgrade: %v", err)
	}
	mustClose(t, s)
	want := append(latest(), next)
	if got := schemaVersions(t, path); !slices.Equal(got, want) {
		t.Fatalf("schema versions %v, want %v", got, want)
	}

	// Opening again applies nothing twice (ALTER TABLE ADD COLUMN would fail).
	mustClose(t, mustOpenWith(t, path, upgraded))
	if got := schemaVersions(t, path); !slices.Equal(got, want) {
		t.Fatalf("after reopening, schema versions %v, want %v", got, want)
	}

	// An older program refuses the newer schema rather than misread it.
	_, err = Open(ctx, path)
	if err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("Open of a newer schema: %v, want an error saying it is newer", err)
	}
}

// TestMigrateFailureRollsBack checks that a failing migration leaves neither
// its changes nor its version behind.
func TestMigrateFailureRollsBack(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rongtong.db")
	mustClose(t, mustOpenWith(t, path, migrations))
	broken := append(slices.Clone(migrations), migration{len(migrations) + 1, "broken", `
CREATE TABLE half_done (x TEXT);
INSERT INTO no_such_table VALUES (1);`})
	if _, err := open(t.Context(), path, broken); err == nil {
		t.Fatal("open with a broken migration: no error")
	}
	if got := schemaVersions(t, path); !slices.Equal(got, latest()) {
		t.Fatalf("schema versions %v, want %v", got, latest())
	}
	s := mustOpenWith(t, path, migrations)
	defer mustClose(t, s)
	var n int
	if err := s.rdb.QueryRowContext(t.Context(), `SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("half_done tables: %d, %v; want the failed migration rolled back", n, err)
	}
}

// TestMigrateConcurrentOpen opens one new file from several goroutines at
// once; each migration is applied once.
func TestMigrateConcurrentOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rongtong.db")
	errs := make(chan error, 4)
	for range 4 {
		go func() {
			s, err := Open(context.Background(), path)
			if err == nil {
				err = s.Close()
			}
			errs <- err
		}()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Errorf("Open: %v", err)
		}
	}
	if got := schemaVersions(t, path); !slices.Equal(got, latest()) {
		t.Fatalf("schema versions %v, want %v", got, latest())
	}
}

func TestMigrationsNumbered(t *testing.T) {
	for i, m := range migrations {
		if m.version != i+1 {
			t.Errorf("migration %d (%s) has version %d", i, m.name, m.version)
		}
	}
}
