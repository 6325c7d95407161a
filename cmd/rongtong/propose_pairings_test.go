package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"testing"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/matching"
)

// engineProposals returns the engine's pairings in the data dir, failing
// the test if two open ones pair a record with the same organisation.
func engineProposals(t *testing.T, getenv func(string) string) []*app.Pairing {
	t.Helper()
	svc, done, err := offline(context.Background(), "", getenv, true)
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	var out []*app.Pairing
	seen := map[string]string{}
	for p := (app.Page{Limit: app.MaxPageLimit}); ; {
		page, err := svc.Store.ListPairings(context.Background(), app.PairingFilter{}, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range page {
			if x.Origin != app.OriginEngine {
				continue
			}
			out = append(out, x)
			key := x.A.Record.ID + "→" + x.B.OrgID
			if first, dup := seen[key]; dup {
				t.Errorf("pairings %s and %s both propose %s", first, x.ID, key)
			}
			seen[key] = x.ID
		}
		if len(page) < p.Limit {
			return out
		}
		p.After = page[len(page)-1].ID
	}
}

// proposeOnce runs `rongtong propose` and returns how many proposals it
// recorded and skipped as already paired.
func proposeOnce(t *testing.T, getenv func(string) string, args ...string) (created, skipped int) {
	t.Helper()
	var out bytes.Buffer
	if err := run(context.Background(), append([]string{"propose"}, args...), nil, &out, getenv); err != nil {
		t.Fatal(err)
	}
	var records, chosen int
	var score float64
	if _, err := fmt.Sscanf(out.String(), "%d open records, %d proposals (%d recorded, %d already paired), total score %f",
		&records, &chosen, &created, &skipped, &score); err != nil {
		t.Fatalf("output %q: %v", out.String(), err)
	}
	return created, skipped
}

// TestProposeRecordsPairings: `rongtong propose` on the demo data records
// its proposals as pairings that the demo accounts see through the API;
// run again, it proposes no record to an organisation twice.
func TestProposeRecordsPairings(t *testing.T) {
	dir := t.TempDir()
	getenv := func(k string) string {
		switch k {
		case "RONGTONG_DATA_DIR":
			return dir
		case "RONGTONG_LOG_LEVEL":
			return "warn"
		}
		return ""
	}
	if err := run(context.Background(), []string{"seed", "--demo", "--orgs", "120"}, nil, io.Discard, getenv); err != nil {
		t.Fatal(err)
	}
	created, _ := proposeOnce(t, getenv)
	first := engineProposals(t, getenv)
	if created == 0 || len(first) != created {
		t.Fatalf("recorded %d proposals, %d engine pairings stored", created, len(first))
	}
	for _, p := range first {
		if p.Status != app.PairingProposed || p.Score < 40 || p.A.Record.Kind == "org" {
			t.Fatalf("pairing %+v", p)
		}
	}
	again, skipped := proposeOnce(t, getenv)
	second := engineProposals(t, getenv)
	t.Logf("first run %d recorded; second run %d recorded, %d skipped", created, again, skipped)
	if skipped == 0 || len(second) != created+again {
		t.Fatalf("second run: %d recorded, %d skipped; %d engine pairings, want %d", again, skipped, len(second), created+again)
	}

	// A demo account sees its organisation's proposals through the API.
	svc, done, err := offline(context.Background(), "", getenv, true)
	if err != nil {
		t.Fatal(err)
	}
	mine := map[string][]string{}
	for _, acc := range demoAccounts {
		u, err := svc.Store.FindUserByLogin(context.Background(), acc.Email)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range second {
			if u.OrgID != "" && (p.A.OrgID == u.OrgID || p.B.OrgID == u.OrgID) {
				mine[acc.Email] = append(mine[acc.Email], p.ID)
			}
		}
	}
	done()
	if len(mine) == 0 {
		t.Fatal("no demo account's organisation has a proposal")
	}
	_, base := startServer(t, dir)
	for email, ids := range mine {
		code, body := postJSON(t, base+"/api/v1/auth/login", "", map[string]string{"login": email, "password": DemoPassword})
		if code != 200 {
			t.Fatalf("login %s: %d %v", email, code, body)
		}
		token, _ := body["accessToken"].(string)
		code, body = get(t, base+"/api/v1/pairings?limit=100", token)
		items, _ := body["items"].([]any)
		var listed []string
		for _, it := range items {
			if m, ok := it.(map[string]any); ok && m["origin"] == "engine" {
				listed = append(listed, fmt.Sprint(m["id"]))
			}
		}
		slices.Sort(listed)
		slices.Sort(ids)
		if code != 200 || !slices.Equal(listed, ids) {
			t.Errorf("%s lists engine pairings %v (%d), want %v", email, listed, code, ids)
		}
	}
}

// TestWeeklyProposals: the server's weekly run proposes once per week,
// however often the timer fires.
func TestWeeklyProposals(t *testing.T) {
	dir := t.TempDir()
	getenv := func(k string) string {
		switch k {
		case "RONGTONG_DATA_DIR":
			return dir
		case "RONGTONG_LOG_LEVEL":
			return "warn"
		}
		return ""
	}
	ctx := context.Background()
	if err := run(ctx, []string{"seed", "--demo", "--orgs", "120"}, nil, io.Discard, getenv); err != nil {
		t.Fatal(err)
	}
	c, err := LoadConfig("", getenv)
	if err != nil {
		t.Fatal(err)
	}
	svc, done, err := offline(ctx, "", getenv, true)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := openIndex(c, svc.Store, svc.Log)
	if err != nil {
		t.Fatal(err)
	}
	svc.Matcher = matching.New(svc.Store, ix, matching.DefaultConfig())
	count := func() int {
		n := 0
		ps, err := svc.Store.ListPairings(ctx, app.PairingFilter{}, app.Page{Limit: app.MaxPageLimit})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			if p.Origin == app.OriginEngine {
				n++
			}
		}
		return n
	}
	runWeeklyProposals(ctx, svc, "2026-W10")
	n := count()
	if n == 0 {
		t.Fatal("the weekly run proposed nothing")
	}
	runWeeklyProposals(ctx, svc, "2026-W10")
	if m := count(); m != n {
		t.Errorf("a second run in the week made %d pairings", m-n)
	}
	ix.Close()
	done()
	_ = engineProposals(t, getenv)
}
