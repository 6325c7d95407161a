// Package storetest is the conformance suite of app.Store: every adapter
// (store/sqlite, store/mongo) runs Run against a real instance of itself, so
// they all keep the interface's contract the same way. It also holds the
// benchmarks the adapters share.
//
// Fixtures carry their derived keys (RegionKeys, IndustryKeys) written out by
// hand from the reference tables, so the suite needs nothing but a store.
package storetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/rongtong/rongtong/app"
)

// Run runs the suite. open must return a new, empty store for each call and
// arrange its closing with t.Cleanup; every subtest opens its own.
func Run(t *testing.T, open func(t *testing.T) app.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s app.Store)
	}{
		{"Ping", testPing},
		{"Users/CreateFind", testUserCreateFind},
		{"Users/Conflicts", testUserConflicts},
		{"Users/Update", testUserUpdate},
		{"Users/List", testUserList},
		{"Invites", testInvites},
		{"ImportRuns", testImportRuns},
		{"RefreshTokens/Use", testTokenUse},
		{"RefreshTokens/Revoke", testTokenRevoke},
		{"RefreshTokens/Concurrent", testTokenConcurrent},
		{"Orgs/CRUD", testOrgCRUD},
		{"Orgs/Conflicts", testOrgConflicts},
		{"Orgs/FindByRef", testOrgsByRef},
		{"Orgs/Filters", testOrgFilters},
		{"Orgs/Paging", testOrgPaging},
		{"Orgs/UpdateRefreshesListings", testUpdateOrgRefreshesListings},
		{"Orgs/DeleteCascades", testDeleteOrgCascades},
		{"Orgs/RecreateAfterDelete", testRecreateAfterDelete},
		{"Listings/CRUD", testListingCRUD},
		{"Listings/Conflicts", testListingConflicts},
		{"Listings/FindByRef", testListingsByRef},
		{"Listings/Filters", testListingFilters},
		{"Listings/Paging", testListingPaging},
		{"Changes", testChanges},
		{"SaveBatch/CreateReplace", testSaveBatch},
		{"SaveBatch/Atomic", testSaveBatchAtomic},
		{"SaveBatch/Large", testSaveBatchLarge},
		{"Text/Unicode", testUnicode},
		{"Text/OperatorLikeStrings", testOperatorLikeStrings},
		{"Context/Cancelled", testCancelled},
		{"Indicators/Upsert", testIndicatorUpsert},
		{"Indicators/UnknownOrg", testIndicatorUnknownOrg},
		{"Indicators/Filters", testIndicatorFilters},
		{"Indicators/Memberships", testMemberships},
		{"Indicators/OrgsByUSCC", testOrgsByUSCC},
		{"Events/CRUD", testEvents},
		{"Events/ParticipantsAndRequests", testParticipantsAndRequests},
		{"Events/Schedules", testSchedules},
		{"Pairings/CRUD", testPairingCRUD},
		{"Pairings/ConcurrentUpdate", testPairingConcurrentUpdate},
		{"Pairings/List", testPairingList},
		{"Pairings/Counts", testPairingCounts},
		{"Pairings/Race", testPairingRace},
		{"Pairings/CreatedSince", testPairingCreatedSince},
		{"Notifications", testNotifications},
		{"ClaimJob", testClaimJob},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, open(t))
		})
	}
}

// MustCreateOrg creates an organisation or fails the test.
func MustCreateOrg(tb testing.TB, s app.Store, o *app.Org) *app.Org {
	tb.Helper()
	if err := s.CreateOrg(tb.Context(), o); err != nil {
		tb.Fatalf("CreateOrg(%q): %v", o.Name, err)
	}
	return o
}

// MustCreateListing creates a listing or fails the test.
func MustCreateListing(tb testing.TB, s app.Store, l *app.Listing) *app.Listing {
	tb.Helper()
	if err := s.CreateListing(tb.Context(), l); err != nil {
		tb.Fatalf("CreateListing(%q): %v", l.Title, err)
	}
	return l
}

// MustCreateUser creates a user or fails the test.
func MustCreateUser(tb testing.TB, s app.Store, u *app.User) *app.User {
	tb.Helper()
	if err := s.CreateUser(tb.Context(), u); err != nil {
		tb.Fatalf("CreateUser(%q): %v", u.Email, err)
	}
	return u
}

// MustCreateRefreshToken stores a refresh token or fails the test.
func MustCreateRefreshToken(tb testing.TB, s app.Store, t *app.RefreshToken) *app.RefreshToken {
	tb.Helper()
	if err := s.CreateRefreshToken(tb.Context(), t); err != nil {
		tb.Fatalf("CreateRefreshToken: %v", err)
	}
	return t
}

// MustSaveBatch saves a batch or fails the test.
func MustSaveBatch(tb testing.TB, s app.Store, orgs []*app.Org, listings []*app.Listing) {
	tb.Helper()
	if err := s.SaveBatch(tb.Context(), orgs, listings); err != nil {
		tb.Fatalf("SaveBatch(%d orgs, %d listings): %v", len(orgs), len(listings), err)
	}
}

// MustFindOrg finds an organisation or fails the test.
func MustFindOrg(tb testing.TB, s app.Store, id string) *app.Org {
	tb.Helper()
	o, err := s.FindOrg(tb.Context(), id)
	if err != nil {
		tb.Fatalf("FindOrg(%s): %v", id, err)
	}
	return o
}

// MustFindListing finds a listing or fails the test.
func MustFindListing(tb testing.TB, s app.Store, id string) *app.Listing {
	tb.Helper()
	l, err := s.FindListing(tb.Context(), id)
	if err != nil {
		tb.Fatalf("FindListing(%s): %v", id, err)
	}
	return l
}

// MustFindUser finds a user or fails the test.
func MustFindUser(tb testing.TB, s app.Store, id string) *app.User {
	tb.Helper()
	u, err := s.FindUser(tb.Context(), id)
	if err != nil {
		tb.Fatalf("FindUser(%s): %v", id, err)
	}
	return u
}

// MustLastSeq returns the store's last sequence number or fails the test.
func MustLastSeq(tb testing.TB, s app.Store) int64 {
	tb.Helper()
	n, err := s.LastSeq(tb.Context())
	if err != nil {
		tb.Fatalf("LastSeq: %v", err)
	}
	return n
}

// WantError fails the test unless err is an *app.Error with the code and,
// when field is not empty, a field error for that field.
func WantError(tb testing.TB, err error, code, field string) {
	tb.Helper()
	if err == nil {
		tb.Fatalf("got no error, want %s", code)
	}
	var ae *app.Error
	if !errors.As(err, &ae) {
		tb.Fatalf("got error %v (%T), want an *app.Error with code %s", err, err, code)
	}
	if ae.Code != code {
		tb.Fatalf("got error code %s (%v), want %s", ae.Code, err, code)
	}
	if field == "" {
		return
	}
	for _, f := range ae.Fields {
		if f.Field == field {
			return
		}
	}
	tb.Fatalf("got field errors %+v (%v), want one for field %q", ae.Fields, err, field)
}

// mustJSON encodes v, as an adapter stores documents.
func mustJSON(tb testing.TB, v any) []byte {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatalf("json.Marshal: %v", err)
	}
	return b
}

// CheckOrg fails the test unless got is want: the same JSON document and the
// same fields the JSON leaves out (Seq and the derived keys).
func CheckOrg(tb testing.TB, got, want *app.Org) {
	tb.Helper()
	if got == nil {
		tb.Fatalf("got nil organisation, want %s", want.ID)
	}
	if g, w := mustJSON(tb, got), mustJSON(tb, want); !bytes.Equal(g, w) {
		tb.Fatalf("organisation %s:\n got  %s\n want %s", want.ID, g, w)
	}
	if got.Seq != want.Seq {
		tb.Errorf("organisation %s: got Seq %d, want %d", want.ID, got.Seq, want.Seq)
	}
	checkKeys(tb, "organisation "+want.ID+" RegionKeys", got.RegionKeys, want.RegionKeys)
	checkKeys(tb, "organisation "+want.ID+" IndustryKeys", got.IndustryKeys, want.IndustryKeys)
}

// CheckListing fails the test unless got is want, as CheckOrg.
func CheckListing(tb testing.TB, got, want *app.Listing) {
	tb.Helper()
	if got == nil {
		tb.Fatalf("got nil listing, want %s", want.ID)
	}
	if g, w := mustJSON(tb, got), mustJSON(tb, want); !bytes.Equal(g, w) {
		tb.Fatalf("listing %s:\n got  %s\n want %s", want.ID, g, w)
	}
	if got.Seq != want.Seq {
		tb.Errorf("listing %s: got Seq %d, want %d", want.ID, got.Seq, want.Seq)
	}
	checkKeys(tb, "listing "+want.ID+" RegionKeys", got.RegionKeys, want.RegionKeys)
	checkKeys(tb, "listing "+want.ID+" IndustryKeys", got.IndustryKeys, want.IndustryKeys)
}

// checkKeys compares key lists, a nil list being the same as an empty one.
func checkKeys(tb testing.TB, what string, got, want []string) {
	tb.Helper()
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !slices.Equal(got, want) {
		tb.Errorf("%s: got %q, want %q", what, got, want)
	}
}

// checkUser compares users, including the password hash the JSON leaves out.
func checkUser(tb testing.TB, got, want *app.User) {
	tb.Helper()
	if got == nil {
		tb.Fatalf("got nil user, want %s", want.ID)
	}
	if g, w := mustJSON(tb, got), mustJSON(tb, want); !bytes.Equal(g, w) {
		tb.Fatalf("user %s:\n got  %s\n want %s", want.ID, g, w)
	}
	if got.PasswordHash != want.PasswordHash {
		tb.Errorf("user %s: got PasswordHash %q, want %q", want.ID, got.PasswordHash, want.PasswordHash)
	}
}

// ids returns the IDs of records in order.
func ids[T any](xs []T, id func(T) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = id(x)
	}
	return out
}

func orgID(o *app.Org) string         { return o.ID }
func listingID(l *app.Listing) string { return l.ID }
func userID(u *app.User) string       { return u.ID }

// sortedIDs returns the records' IDs in ID order, as lists return them.
func sortedIDs[T any](xs []T, id func(T) string) []string {
	out := ids(xs, id)
	slices.Sort(out)
	return out
}
