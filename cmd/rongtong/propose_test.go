package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/rongtong/rongtong/matching/propose"
)

func TestProposeDryRun(t *testing.T) {
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
	if err := run(ctx, []string{"seed", "--demo", "--orgs", "200"}, nil, io.Discard, getenv); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(ctx, []string{"propose", "--dry-run", "--per-record", "2", "--capacity", "3"}, nil, &out, getenv); err != nil {
		t.Fatal(err)
	}
	perRecord, perOrg := map[string]int{}, map[string]int{}
	n := 0
	sc := bufio.NewScanner(&out)
	for sc.Scan() {
		var p propose.Proposal
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatalf("line %d: %v: %s", n+1, err, sc.Text())
		}
		if p.RecordID == "" || p.OrgID == "" || p.Score < propose.DefaultMinScore {
			t.Fatalf("line %d: %s", n+1, sc.Text())
		}
		perRecord[p.RecordID]++
		perOrg[p.OrgID]++
		n++
	}
	if n == 0 {
		t.Fatal("no proposals printed")
	}
	for id, k := range perRecord {
		if k > 2 {
			t.Errorf("record %s: %d proposals, --per-record 2", id, k)
		}
	}
	for id, k := range perOrg {
		if k > 3 {
			t.Errorf("organisation %s: %d proposals, --capacity 3", id, k)
		}
	}

	// Without --dry-run the proposals are recorded as pairings, not
	// printed; a summary line says what was chosen.
	out.Reset()
	if err := run(ctx, []string{"propose"}, nil, &out, getenv); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "open records") || strings.Count(out.String(), "\n") != 1 {
		t.Fatalf("output %q", out.String())
	}
	if err := run(ctx, []string{"propose", "--per-record", "0"}, nil, io.Discard, getenv); err == nil {
		t.Fatal("--per-record 0 accepted")
	}
}
