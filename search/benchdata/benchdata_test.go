package benchdata

import (
	"bytes"
	"strings"
	"testing"
)

func TestWriteAndQueries(t *testing.T) {
	var a, b bytes.Buffer
	ca, err := Write(&a, Options{Seed: 7, Orgs: 200, Listings: 700})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Write(&b, Options{Seed: 7, Orgs: 200, Listings: 700}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two writes with the same options differ")
	}
	if ca.Orgs != 200 || ca.Listings != 700 {
		t.Errorf("counts = %+v, want 200 organisations and 700 listings", ca)
	}
	if lines := bytes.Count(a.Bytes(), []byte("\n")); lines != 900 {
		t.Errorf("%d lines, want 900", lines)
	}
	refs := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(a.String()), "\n") {
		i := strings.Index(line, `"ref":"`)
		ref := line[i : i+strings.Index(line[i+7:], `"`)+7]
		kind := line[:strings.Index(line, `","ref"`)]
		if refs[kind+ref] {
			t.Fatalf("ref repeated: %s", ref)
		}
		refs[kind+ref] = true
	}
	qs, err := Queries(bytes.NewReader(a.Bytes()), 5)
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; n <= 4; n++ {
		if len(qs[n]) != 5 {
			t.Errorf("%d queries of %d words, want 5", len(qs[n]), n)
		}
		for _, q := range qs[n] {
			if got := len(strings.Fields(q)); got != n {
				t.Errorf("query %q has %d words, want %d", q, got, n)
			}
		}
	}
}
