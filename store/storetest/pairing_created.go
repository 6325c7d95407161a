package storetest

import (
	"slices"
	"testing"
	"time"

	"github.com/rongtong/rongtong/app"
)

// testPairingCreatedSince checks the CreatedSince filter at its boundary,
// with times made in another zone and with fractions of a second, which a
// comparison of stored text would get wrong.
func testPairingCreatedSince(t *testing.T, s app.Store) {
	a, b := newOrg("甲方", "330206", ""), newOrg("乙方", "330106", "")
	shanghai := time.FixedZone("CST", 8*3600)
	made := func(at time.Time) *app.Pairing {
		p := newPairing(a, b, app.PairingProposed, "")
		p.CreatedAt, p.UpdatedAt = at, at
		return MustCreatePairing(t, s, p)
	}
	made(t0.Add(-time.Millisecond))
	edge := made(t0)
	frac := made(t0.Add(1500 * time.Millisecond).In(shanghai))
	later := made(t0.Add(7 * 24 * time.Hour).In(shanghai))
	for _, c := range []struct {
		name  string
		since time.Time
		want  []*app.Pairing
	}{
		{"at the first", t0, []*app.Pairing{later, frac, edge}},
		{"the same instant in Shanghai", t0.In(shanghai), []*app.Pairing{later, frac, edge}},
		{"a millisecond later", t0.Add(time.Millisecond), []*app.Pairing{later, frac}},
		{"after the fraction", t0.Add(1501 * time.Millisecond), []*app.Pairing{later}},
		{"a week on", t0.Add(7 * 24 * time.Hour), []*app.Pairing{later}},
		{"later still", t0.Add(8 * 24 * time.Hour), nil},
	} {
		ps, err := s.ListPairings(t.Context(), app.PairingFilter{OrgID: a.ID, CreatedSince: &c.since}, app.Page{})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		got := ids(ps, func(p *app.Pairing) string { return p.ID })
		want := ids(c.want, func(p *app.Pairing) string { return p.ID })
		if !slices.Equal(got, want) {
			t.Errorf("%s: got %v, want %v", c.name, got, want)
		}
	}
}
