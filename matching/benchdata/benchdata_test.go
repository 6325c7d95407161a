package benchdata

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/store/sqlite"
)

// fingerprint lists every listing's ref, title and processes in ref order.
func fingerprint(t *testing.T, o Options) map[string]string {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "rongtong.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := Fill(ctx, st, o); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	p := app.Page{Limit: app.MaxPageLimit}
	for {
		ls, err := st.ListListings(ctx, app.ListingFilter{}, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range ls {
			out[l.Ref] = l.Title + l.Owner.Ref + l.Owner.Region + strings.Join(l.Processes, "|")
		}
		if len(ls) < p.Limit {
			return out
		}
		p.After = ls[len(ls)-1].ID
	}
}

// More needs add records after the others and change none of them, so the
// benchmarks that ask for more needs run on the same SMEs.
func TestFillMoreNeedsKeepsTheRest(t *testing.T) {
	base := fingerprint(t, Options{SMEs: 40})
	more := fingerprint(t, Options{SMEs: 40, Needs: BaseNeeds + 7})
	if len(base) != BaseNeeds+2*40 {
		t.Fatalf("%d listings, want %d", len(base), BaseNeeds+2*40)
	}
	if len(more) != len(base)+7 {
		t.Fatalf("%d listings with 7 more needs, want %d", len(more), len(base)+7)
	}
	for ref, v := range base {
		if more[ref] != v {
			t.Fatalf("%s differs: %q, then %q", ref, v, more[ref])
		}
	}
}
