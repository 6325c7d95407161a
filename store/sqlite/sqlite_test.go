package sqlite_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/store/sqlite"
	"github.com/rongtong/rongtong/store/storetest"
)

// MustOpen opens a store on a new database in a temporary directory and
// closes it when the test ends.
func MustOpen(tb testing.TB) *sqlite.Store {
	tb.Helper()
	return mustOpenPath(tb, filepath.Join(tb.TempDir(), "rongtong.db"))
}

func mustOpenPath(tb testing.TB, path string) *sqlite.Store {
	tb.Helper()
	s, err := sqlite.Open(tb.Context(), path)
	if err != nil {
		tb.Fatalf("Open(%s): %v", path, err)
	}
	tb.Cleanup(func() {
		if err := s.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) app.Store { return MustOpen(t) })
}

func newOrg(name string) *app.Org {
	now := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	return &app.Org{ID: app.NewID(), Name: name, Type: app.OrgInvestor, CreatedAt: now, UpdatedAt: now,
		Region: "330106", RegionKeys: []string{"330000", "330100", "330106"}}
}

// TestReopen writes, closes and opens the file again.
func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "data", "rongtong.db") // the data dir is created
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	o := newOrg("杭州甲")
	storetest.MustCreateOrg(t, s, o)
	l := &app.Listing{ID: app.NewID(), Kind: app.KindInvestor, OrgID: o.ID, Owner: o.Summary(), Status: app.StatusPublished, Title: "投资偏好", RegionKeys: o.RegionKeys}
	storetest.MustCreateListing(t, s, l)
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	s = mustOpenPath(t, path)
	storetest.CheckOrg(t, storetest.MustFindOrg(t, s, o.ID), o)
	storetest.CheckListing(t, storetest.MustFindListing(t, s, l.ID), l)
	if n := storetest.MustLastSeq(t, s); n != l.Seq {
		t.Errorf("LastSeq after reopening = %d, want %d", n, l.Seq)
	}
	// The sequence goes on from where it was.
	p := storetest.MustCreateOrg(t, s, newOrg("杭州乙"))
	if p.Seq != l.Seq+1 {
		t.Errorf("Seq after reopening = %d, want %d", p.Seq, l.Seq+1)
	}
}

// TestListingNeedsOrg checks the one reference the schema enforces.
func TestListingNeedsOrg(t *testing.T) {
	s := MustOpen(t)
	l := &app.Listing{ID: app.NewID(), Kind: app.KindCapability, OrgID: app.NewID(), Status: app.StatusDraft, Title: "孤儿"}
	storetest.WantError(t, s.CreateListing(t.Context(), l), app.EINVALID, "orgId")
}

// TestRepeatedKeys stores key lists with repeats, which the key rows take once.
func TestRepeatedKeys(t *testing.T) {
	s := MustOpen(t)
	ctx := t.Context()
	o := newOrg("重复键")
	o.IndustryKeys = []string{"C", "34", "C", "34"}
	storetest.MustCreateOrg(t, s, o)
	l := &app.Listing{ID: app.NewID(), Kind: app.KindCapability, OrgID: o.ID, Owner: o.Summary(), Status: app.StatusDraft,
		Title: "能力", IndustryKeys: []string{"C", "C"}, RegionKeys: []string{"330000", "330000"}}
	storetest.MustCreateListing(t, s, l)
	l.IndustryKeys = []string{"C", "34", "34"}
	if err := s.UpdateListing(ctx, l); err != nil {
		t.Fatalf("UpdateListing: %v", err)
	}
	if n, err := s.CountListings(ctx, app.ListingFilter{Industry: "34", Region: "330000"}); err != nil || n != 1 {
		t.Errorf("CountListings = %d, %v; want 1", n, err)
	}
	if n, err := s.CountOrgs(ctx, app.OrgFilter{Industry: "C"}); err != nil || n != 1 {
		t.Errorf("CountOrgs = %d, %v; want 1", n, err)
	}
	storetest.CheckListing(t, storetest.MustFindListing(t, s, l.ID), l)
}

// crashEnv tells the test binary, run again as a child, to write until killed.
const crashEnv = "RONGTONG_SQLITE_CRASH_DB"

// TestCrashWriter is the child of TestAcknowledgedWritesSurviveKill: it
// creates organisations and prints each ID once CreateOrg has returned.
func TestCrashWriter(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("run by TestAcknowledgedWritesSurviveKill")
	}
	s, err := sqlite.Open(t.Context(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	// Bounded, so it ends by itself should its parent not kill it.
	deadline := time.Now().Add(time.Minute)
	for i := 0; i < 100_000 && time.Now().Before(deadline); i++ {
		o := newOrg(fmt.Sprintf("企业%d", i))
		if err := s.CreateOrg(t.Context(), o); err != nil {
			t.Fatalf("CreateOrg: %v", err)
		}
		fmt.Printf("acked %s\n", o.ID)
	}
}

// TestAcknowledgedWritesSurviveKill kills a writing process with SIGKILL and
// checks that every write it had acknowledged is in the database.
func TestAcknowledgedWritesSurviveKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	path := filepath.Join(t.TempDir(), "rongtong.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashWriter$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+path)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acked []string
	sc := bufio.NewScanner(out)
	for sc.Scan() && len(acked) < 300 {
		if id, ok := strings.CutPrefix(sc.Text(), "acked "); ok {
			acked = append(acked, id)
		}
	}
	if len(acked) < 300 {
		werr := cmd.Wait()
		t.Fatalf("the writer stopped after %d acknowledged writes: %v, %v\n%s", len(acked), sc.Err(), werr, stderr.String())
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatalf("kill: %v", err)
	}
	if err := cmd.Wait(); err == nil {
		t.Fatal("the writer exited normally; want it killed")
	}

	s := mustOpenPath(t, path)
	for _, id := range acked {
		storetest.MustFindOrg(t, s, id)
	}
	n, err := s.CountOrgs(t.Context(), app.OrgFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if n < len(acked) {
		t.Errorf("%d organisations after the crash, want at least the %d acknowledged", n, len(acked))
	}
}

func BenchmarkFindListing100k(b *testing.B) {
	storetest.BenchFindListing(b, MustOpen(b), 100_000)
}

func BenchmarkSaveBatch(b *testing.B) {
	storetest.BenchSaveBatch(b, MustOpen(b))
}

func BenchmarkOpenRequests(b *testing.B) {
	storetest.BenchOpenRequests(b, MustOpen(b), 10_000)
}
