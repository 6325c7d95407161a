package matching

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/rongtong/rongtong/app"
)

// TestResponsiveness: with the part weighted, an SME that answered its
// requests ranks above an otherwise equal one, and says why; answers count
// only from MinResponses requests on; with the default weight of 0 the feed
// is not even read; a failing feed fails the match.
func TestResponsiveness(t *testing.T) {
	recs := []rec{
		org("ent", app.OrgEnterprise, "330206", "3612", nil),
		listing(app.KindNeed, "need", "ent", rec{"industry": "3392", "processes": []string{"压铸"}}),
		org("sme-a", app.OrgSME, "330206", "3392", nil),
		listing(app.KindCapability, "cap-a", "sme-a", rec{"processes": []string{"压铸"}}),
		org("sme-b", app.OrgSME, "330206", "3392", nil),
		listing(app.KindCapability, "cap-b", "sme-b", rec{"processes": []string{"压铸"}}),
	}
	cfg := DefaultConfig()
	cfg.Weights[ViewSupply][PartResponsiveness] = 10
	w := newWorld(t, cfg, recs...)
	ctx := context.Background()
	id := func(ref string) string {
		o, err := w.st.FindOrgByRef(ctx, ref)
		if err != nil {
			t.Fatal(err)
		}
		return o.ID
	}
	a, b := id("sme-a"), id("sme-b")
	before := w.match("need", "org")
	first := before.Items[0].Ref // a tie, broken by ID
	slow := map[string]string{"sme-a": b, "sme-b": a}[first]
	// The first-ranked SME answered every request, but of too few to count;
	// the other answered 4 of 5.
	w.eng.SetResponsiveness(func(_ context.Context, orgID string) (float64, int, error) {
		switch orgID {
		case slow:
			return 0.8, 5, nil
		case id(first):
			return 1, MinResponses - 1, nil
		}
		return 0, 0, nil
	})
	after := w.match("need", "org")
	if after.Items[0].ID != slow {
		t.Fatalf("ranks after: %s first, want the responsive SME", after.Items[0].Ref)
	}
	top, other := after.Items[0], find(after, first)
	if slices.Contains(codes(other.Reasons), ReasonResponsive) {
		t.Errorf("the SME with too few requests has reasons %v", codes(other.Reasons))
	}
	part := func(m *app.Match) float64 {
		for _, p := range m.Parts {
			if p.Name == PartResponsiveness {
				return p.Value
			}
		}
		return -1
	}
	if part(&top) != 0.8 || part(other) != 0 {
		t.Errorf("responsiveness parts %v and %v, want 0.8 and 0", part(&top), part(other))
	}
	r := *reason(ReasonResponsive, "rate", 0.8, "requests", 5)
	if zh, en := Render(r, LangZH), Render(r, LangEN); zh != "对接响应积极（80%）" || en != "responds to pairing requests (80%)" {
		t.Errorf("reason texts %q, %q", zh, en)
	}

	w.eng.SetResponsiveness(func(context.Context, string) (float64, int, error) { return 0, 0, errors.New("store down") })
	if _, err := w.svc.Matches(ctx, app.SystemActor(), w.query("need", "org")); err == nil {
		t.Error("a failing feed: no error")
	}

	plain := newWorld(t, DefaultConfig(), recs...)
	var calls atomic.Int64
	plain.eng.SetResponsiveness(func(context.Context, string) (float64, int, error) {
		calls.Add(1)
		return 1, 100, nil
	})
	plain.match("need", "org")
	if calls.Load() != 0 {
		t.Errorf("the feed was read %d times with the part unweighted", calls.Load())
	}
}
