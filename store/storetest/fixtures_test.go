package storetest

import (
	"slices"
	"testing"

	"github.com/rongtong/rongtong/app"
)

// TestFixtureKeys checks the hand-written keys against the reference tables:
// stores recompute listing keys with Listing.SetOwner when an organisation
// changes, and the suite expects what the fixtures say.
func TestFixtureKeys(t *testing.T) {
	for code, want := range regionKeys {
		if got := app.RegionKeys(code); !slices.Equal(got, want) {
			t.Errorf("RegionKeys(%s) = %q, fixtures say %q", code, got, want)
		}
	}
	for code, want := range industryKeys {
		if got := app.IndustryKeys(code); !slices.Equal(got, want) {
			t.Errorf("IndustryKeys(%s) = %q, fixtures say %q", code, got, want)
		}
	}
}
