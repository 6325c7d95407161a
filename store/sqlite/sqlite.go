// Package sqlite is Rongtong's embedded default store: app.Store on SQLite
// through the pure-Go modernc.org/sqlite driver, in one file of the data dir.
//
// Records are kept as the JSON of their app type in a doc column, beside real
// columns for what queries filter, sort or keep unique on, and for the fields
// the JSON leaves out (sequence numbers, derived keys, hashes). The industry
// and region keys of organisations and listings are also kept one per row in
// side tables, so prefix filters are index look-ups.
//
// Writes go through one connection, one transaction at a time, which keeps the
// update sequence in commit order; reads use a pool of read-only connections,
// which WAL mode lets run beside the writer.
package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/rongtong/rongtong/app"
)

var _ app.Store = (*Store)(nil)

// busyTimeout is how long a connection waits for a lock held by another
// process (a CLI import beside a running server) before it gives up.
const busyTimeout = 5 * time.Second

// Store is an app.Store on one SQLite database file.
type Store struct {
	wdb *sql.DB // exactly one connection: all writes, in order
	rdb *sql.DB // read-only connections

	mu     sync.Mutex
	rstmts map[string]*sql.Stmt // prepared on rdb
}

// Open opens the database at path, creating the file (and its directory) if
// needed, and brings its schema up to date.
func Open(ctx context.Context, path string) (*Store, error) {
	return open(ctx, path, migrations)
}

func open(ctx context.Context, path string, ms []migration) (_ *Store, err error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("sqlite: create data dir: %w", err)
		}
	}
	s := &Store{rstmts: map[string]*sql.Stmt{}}
	defer func() {
		if err != nil {
			err = errors.Join(err, s.closeDBs())
		}
	}()

	s.wdb, err = sql.Open("sqlite", dsn(path, true))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	s.wdb.SetMaxOpenConns(1)
	s.wdb.SetMaxIdleConns(1)
	s.wdb.SetConnMaxLifetime(0)
	s.wdb.SetConnMaxIdleTime(0)
	if err := s.wdb.PingContext(ctx); err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	// WAL persists in the file; the readers, which may not write, find it so.
	var mode string
	if err := s.wdb.QueryRowContext(ctx, "PRAGMA journal_mode = WAL").Scan(&mode); err != nil {
		return nil, fmt.Errorf("sqlite: set WAL mode: %w", err)
	}
	if !strings.EqualFold(mode, "wal") {
		return nil, fmt.Errorf("sqlite: %s: journal mode is %q, want wal", path, mode)
	}
	if err := migrate(ctx, s.wdb, ms); err != nil {
		return nil, err
	}

	s.rdb, err = sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	n := readers()
	s.rdb.SetMaxOpenConns(n)
	s.rdb.SetMaxIdleConns(n)
	s.rdb.SetConnMaxLifetime(0)
	s.rdb.SetConnMaxIdleTime(0)
	if err := s.rdb.PingContext(ctx); err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	return s, nil
}

// readers is the size of the read pool. Reads are CPU-bound once pages are
// cached, so more connections than cores do not read faster (measured: CPU
// per lookup grows with the pool), but a few spare ones keep short lookups
// from queueing behind long lists and counts.
func readers() int {
	return max(4, runtime.GOMAXPROCS(0))
}

// dsn returns the driver's data source name for the file. Every connection
// gets a busy timeout; the writer also gets full fsync at each commit (in WAL
// mode, which open sets, an acknowledged write then survives power loss),
// foreign keys and BEGIN IMMEDIATE, so a write transaction takes the write
// lock when it starts rather than failing to upgrade it later when another
// process writes too.
func dsn(path string, writer bool) string {
	// The path is a URI path: escape what would end it.
	p := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(filepath.ToSlash(path))
	// Page cache per connection, in KiB. The writer's is larger: a batch
	// touches many index pages, and keeping them spares reading them again.
	cache := 16 << 10
	if writer {
		cache = 64 << 10
	}
	q := []string{
		fmt.Sprintf("_pragma=busy_timeout(%d)", busyTimeout.Milliseconds()),
		fmt.Sprintf("_pragma=cache_size(-%d)", cache),
		"_pragma=temp_store(memory)",
	}
	if writer {
		q = append(q,
			"_pragma=synchronous(FULL)",
			"_pragma=foreign_keys(1)",
			"_txlock=immediate",
		)
	} else {
		// Readers map the file: pages are shared with the OS cache rather
		// than copied into each connection's own cache.
		q = append(q, "_pragma=query_only(1)", "_pragma=mmap_size(1073741824)")
	}
	return "file:" + p + "?" + strings.Join(q, "&")
}

// Ping returns EUNAVAILABLE if the database cannot be read.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.rdb.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("%w: %w", &app.Error{Code: app.EUNAVAILABLE, Message: "the database is unavailable"}, err)
	}
	return nil
}

// Close lets SQLite refresh its query planner statistics, then closes every
// connection.
func (s *Store) Close() error {
	var errs []error
	if _, err := s.wdb.Exec("PRAGMA optimize"); err != nil {
		errs = append(errs, fmt.Errorf("sqlite: optimize: %w", err))
	}
	errs = append(errs, s.closeDBs())
	return errors.Join(errs...)
}

func (s *Store) closeDBs() error {
	var errs []error
	s.mu.Lock()
	for q, st := range s.rstmts {
		errs = append(errs, st.Close())
		delete(s.rstmts, q)
	}
	s.mu.Unlock()
	if s.rdb != nil {
		errs = append(errs, s.rdb.Close())
	}
	if s.wdb != nil {
		errs = append(errs, s.wdb.Close())
	}
	return errors.Join(errs...)
}

// rstmt returns a statement prepared on the read pool, preparing it on first
// use. Only fixed query texts go through here, so the cache stays small.
// (Write transactions prepare their own: one holds the writer's only
// connection, so preparing on the writer pool meanwhile would wait forever.)
func (s *Store) rstmt(ctx context.Context, query string) (*sql.Stmt, error) {
	s.mu.Lock()
	st, ok := s.rstmts[query]
	s.mu.Unlock()
	if ok {
		return st, nil
	}
	st, err := s.rdb.PrepareContext(ctx, query)
	if err != nil {
		return nil, translate(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if prev, ok := s.rstmts[query]; ok {
		// Another goroutine won the race; keep one.
		return prev, st.Close()
	}
	s.rstmts[query] = st
	return st, nil
}

// queryRow runs a fixed read query on the read pool.
func (s *Store) queryRow(ctx context.Context, query string, args ...any) (*sql.Row, error) {
	st, err := s.rstmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryRowContext(ctx, args...), nil
}

// wtx is one write transaction on the writer connection. Its statements are
// prepared on the transaction, once each, so a batch reuses them; they cannot
// be prepared on the writer pool while the transaction holds its only
// connection.
type wtx struct {
	ctx   context.Context
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

// write runs fn in a write transaction and commits it if fn returns nil.
// When write returns nil the transaction is durable.
func (s *Store) write(ctx context.Context, fn func(w *wtx) error) (err error) {
	tx, err := s.wdb.BeginTx(ctx, nil)
	if err != nil {
		return translate(err)
	}
	defer func() {
		if err != nil {
			if rerr := tx.Rollback(); rerr != nil && !errors.Is(rerr, sql.ErrTxDone) {
				err = errors.Join(err, fmt.Errorf("sqlite: rollback: %w", rerr))
			}
		}
	}()
	if err := fn(&wtx{ctx: ctx, tx: tx, stmts: map[string]*sql.Stmt{}}); err != nil {
		return translate(err)
	}
	if err := tx.Commit(); err != nil {
		return translate(err)
	}
	return nil
}

// stmt returns the transaction's prepared statement for query. The
// transaction closes them when it ends.
func (w *wtx) stmt(query string) (*sql.Stmt, error) {
	if st, ok := w.stmts[query]; ok {
		return st, nil
	}
	st, err := w.tx.PrepareContext(w.ctx, query)
	if err != nil {
		return nil, fmt.Errorf("sqlite: prepare: %w", err)
	}
	w.stmts[query] = st
	return st, nil
}

func (w *wtx) exec(query string, args ...any) (sql.Result, error) {
	st, err := w.stmt(query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(w.ctx, args...)
}

func (w *wtx) queryRow(query string, args ...any) (*sql.Row, error) {
	st, err := w.stmt(query)
	if err != nil {
		return nil, err
	}
	return st.QueryRowContext(w.ctx, args...), nil
}

// nextSeq reserves n numbers of the update sequence and returns the first.
func (w *wtx) nextSeq(n int) (int64, error) {
	row, err := w.queryRow(`UPDATE counters SET value = value + ? WHERE name = 'seq' RETURNING value`, n)
	if err != nil {
		return 0, err
	}
	var last int64
	if err := row.Scan(&last); err != nil {
		return 0, fmt.Errorf("sqlite: next seq: %w", err)
	}
	return last - int64(n) + 1, nil
}

// uniqueFields maps a column with a UNIQUE constraint to the field of the
// record it holds, for ECONFLICT errors.
var uniqueFields = map[string]string{
	"users.id":            "id",
	"users.email_key":     "email",
	"users.phone":         "phone",
	"orgs.id":             "id",
	"orgs.ref":            "ref",
	"orgs.uscc":           "uscc",
	"listings.id":         "id",
	"listings.ref":        "ref",
	"invites.code":        "code",
	"import_runs.id":      "id",
	"refresh_tokens.hash": "hash",
}

// translate turns driver errors into app errors at the edge: unique
// violations into ECONFLICT naming the field, a lock held too long into
// EUNAVAILABLE. App errors and context errors pass through; anything else is
// wrapped and so internal.
func translate(err error) error {
	if err == nil {
		return nil
	}
	var ae *app.Error
	if errors.As(err, &ae) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			if f, ok := uniqueField(se.Error()); ok {
				return conflict(f)
			}
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			// Only a listing's orgId refers to another record.
			return app.Invalid("orgId", app.FieldUnknown, "is not an existing organisation")
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_BUSY_SNAPSHOT, sqlite3.SQLITE_BUSY_TIMEOUT, sqlite3.SQLITE_LOCKED:
			return fmt.Errorf("%w: %w", &app.Error{Code: app.EUNAVAILABLE, Message: "the database is busy; try again", RetryAfter: 1}, err)
		}
	}
	if strings.HasPrefix(err.Error(), "sqlite:") {
		return err
	}
	return fmt.Errorf("sqlite: %w", err)
}

// uniqueField finds the field in "UNIQUE constraint failed: orgs.ref".
func uniqueField(msg string) (string, bool) {
	const marker = "constraint failed: "
	i := strings.LastIndex(msg, marker)
	if i < 0 {
		return "", false
	}
	cols, _, _ := strings.Cut(msg[i+len(marker):], " (")
	for _, c := range strings.Split(cols, ", ") {
		if f, ok := uniqueFields[strings.TrimSpace(c)]; ok {
			return f, true
		}
	}
	return "", false
}

func conflict(field string) *app.Error {
	return &app.Error{
		Code:    app.ECONFLICT,
		Message: field + " is already taken",
		Fields:  []app.FieldError{{Field: field, Code: app.FieldTaken, Message: "is already taken"}},
	}
}

func notFound(what string) *app.Error {
	return app.Errorf(app.ENOTFOUND, "%s not found", what)
}

// checkID refuses to store a record under an ID lookups would refuse.
func checkID(id string) error {
	if !app.ValidID(id) {
		return app.Invalid("id", app.FieldFormat, "is not a valid ID")
	}
	return nil
}

// nullStr stores "" as NULL, so UNIQUE columns allow any number of blanks.
func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// encodeKeys stores a key list as a JSON array; NULL when empty.
func encodeKeys(keys []string) (any, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(keys)
	if err != nil {
		return nil, fmt.Errorf("sqlite: encode keys: %w", err)
	}
	return string(b), nil
}

func decodeKeys(v sql.NullString) ([]string, error) {
	if !v.Valid || v.String == "" {
		return nil, nil
	}
	var keys []string
	if err := json.Unmarshal([]byte(v.String), &keys); err != nil {
		return nil, fmt.Errorf("sqlite: decode keys: %w", err)
	}
	return keys, nil
}

func sameKeys(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// parallel runs fn(i) for every i in [0, n) on all cores and returns the
// errors it returned.
func parallel(n int, fn func(i int) error) error {
	workers := min(runtime.GOMAXPROCS(0), (n+63)/64)
	if workers <= 1 {
		for i := range n {
			if err := fn(i); err != nil {
				return err
			}
		}
		return nil
	}
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < n; i += workers {
				if err := fn(i); err != nil {
					errs[w] = err
					return
				}
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// pageLimit applies the default and the cap to a page size.
func pageLimit(p app.Page) int {
	switch {
	case p.Limit <= 0:
		return 50
	case p.Limit > app.MaxPageLimit:
		return app.MaxPageLimit
	}
	return p.Limit
}

// jsonList encodes a list for a "col IN (SELECT value FROM json_each(?))"
// condition, which takes any number of values as one parameter.
func jsonList[T ~string](xs []T) (string, error) {
	b, err := json.Marshal(xs)
	if err != nil {
		return "", fmt.Errorf("sqlite: encode list: %w", err)
	}
	return string(b), nil
}

// timeText formats a time for a TEXT column exactly, in UTC.
func timeText(t time.Time) string {
	return t.UTC().Format(time.RFC3339Nano)
}

func nullTime(t *time.Time) any {
	if t == nil {
		return nil
	}
	return timeText(*t)
}

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("sqlite: parse time %q: %w", s, err)
	}
	return t, nil
}

func parseNullTime(v sql.NullString) (*time.Time, error) {
	if !v.Valid {
		return nil, nil
	}
	t, err := parseTime(v.String)
	if err != nil {
		return nil, err
	}
	return &t, nil
}

// where collects the conditions and arguments of a list query.
type where struct {
	conds []string
	args  []any
	err   error
}

func (w *where) add(cond string, args ...any) {
	w.conds = append(w.conds, cond)
	w.args = append(w.args, args...)
}

// in adds "col IN list" for a non-empty list.
func in[T ~string](w *where, col string, xs []T) {
	if len(xs) == 0 {
		return
	}
	list, err := jsonList(xs)
	if err != nil {
		w.err = err
		return
	}
	w.add(col+" IN (SELECT value FROM json_each(?))", list)
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}
