package demo

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/rongtong/rongtong/app"
)

// demoOrgs decodes the organisations of a small demo data set.
func demoOrgs(t *testing.T) []*app.Org {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, Options{Seed: 1, Orgs: 200}); err != nil {
		t.Fatal(err)
	}
	var orgs []*app.Org
	dec := json.NewDecoder(&b)
	for dec.More() {
		var line struct {
			Kind string `json:"kind"`
			Ref  string `json:"ref"`
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &line); err != nil {
			t.Fatal(err)
		}
		if line.Kind != "org" {
			continue
		}
		o := new(app.Org)
		if err := json.Unmarshal(raw, o); err != nil {
			t.Fatal(err)
		}
		o.ID = "id-" + line.Ref
		orgs = append(orgs, o)
	}
	return orgs
}

// TestIndicatorsDeterministicAndValid checks that the demo's indicators are
// the same every time, valid, two or three years per SME ending at the
// given year, and that tiered SMEs get a valid membership.
func TestIndicatorsDeterministicAndValid(t *testing.T) {
	orgs := demoOrgs(t)
	rows, ms := Indicators(orgs, 2025)
	again, ms2 := Indicators(orgs, 2025)
	if !reflect.DeepEqual(rows, again) || !reflect.DeepEqual(ms, ms2) {
		t.Fatal("two runs differ")
	}
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	perOrg := map[string][]int{}
	for _, r := range rows {
		in := r.Indicator
		in.Normalize()
		if err := in.Validate(now); err != nil {
			t.Errorf("row of %s %d: %v", r.USCC, r.Year, err)
		}
		perOrg[r.USCC] = append(perOrg[r.USCC], r.Year)
	}
	smes, tiered := 0, 0
	for _, o := range orgs {
		if o.Type != app.OrgSME {
			continue
		}
		smes++
		if o.Tier != app.TierNone && o.Tier != "" {
			tiered++
		}
		ys := perOrg[o.USCC]
		if len(ys) < 2 || len(ys) > 3 || ys[len(ys)-1] != 2025 {
			t.Errorf("%s has years %v", o.Name, ys)
		}
	}
	if smes == 0 || len(ms) != tiered {
		t.Errorf("%d SMEs, %d tiered, %d memberships", smes, tiered, len(ms))
	}
	for _, m := range ms {
		if err := m.Validate(now); err != nil {
			t.Errorf("membership %+v: %v", m, err)
		}
	}
}
