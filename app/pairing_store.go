package app

import (
	"context"
	"time"
)

// PairingFilter selects pairings. Zero fields do not filter.
type PairingFilter struct {
	// OrgID keeps the pairings the organisation is a party of, on either side.
	OrgID    string
	Statuses []PairingStatus
	Kinds    []PairingKind
	// Region keeps the pairings with a party in the region (a code and
	// everything under it).
	Region string
	// ExpiredBy keeps the pairings whose ExpiresAt is at or before it.
	ExpiredBy *time.Time
	// AgreedBefore keeps agreed pairings agreed before it whose follow-up
	// has not been sent.
	AgreedBefore *time.Time
	// CreatedSince keeps the pairings created at or after it, for the weekly
	// count of proposals and the dashboard's year.
	CreatedSince *time.Time
}

// ResponseStats counts how an organisation answered the requests it was
// asked: Received requests that were answered or expired, Answered those it
// answered (accepted or declined) before they expired.
type ResponseStats struct {
	Answered int
	Received int
}

// PairingStore keeps pairings, the inbox and the record of job runs.
type PairingStore interface {
	// CreatePairing stores a new pairing with Version 1; ECONFLICT if the ID
	// is taken.
	CreatePairing(ctx context.Context, p *Pairing) error
	// FindPairing returns ENOTFOUND if no pairing has the ID.
	FindPairing(ctx context.Context, id string) (*Pairing, error)
	// UpdatePairing replaces the pairing if its stored version is still
	// p.Version, and sets p.Version to the next one. It returns ECONFLICT if
	// another write came first and ENOTFOUND if the pairing is missing.
	// Exactly one of concurrent updates of one version succeeds.
	UpdatePairing(ctx context.Context, p *Pairing) error
	// ListPairings returns pairings newest (highest ID) first; p.After is the
	// last ID of the previous page.
	ListPairings(ctx context.Context, f PairingFilter, p Page) ([]*Pairing, error)
	// CountOpenOutgoing counts the pending pairings the organisation asked
	// for that do not expire before now.
	CountOpenOutgoing(ctx context.Context, orgID string, now time.Time) (int, error)
	// CountOpenIncoming counts the pending pairings the organisation is a
	// party of and did not ask for (the requests waiting for it) that do not
	// expire before now.
	CountOpenIncoming(ctx context.Context, orgID string, now time.Time) (int, error)
	// PairingResponseStats counts how the organisation answered requests.
	PairingResponseStats(ctx context.Context, orgID string) (ResponseStats, error)
	// OpenIncomingCounts returns CountOpenIncoming of every organisation with
	// requests waiting for it, in one read, for the matching engine, which
	// asks about hundreds of organisations per match.
	OpenIncomingCounts(ctx context.Context, now time.Time) (map[string]int, error)
	// AllResponseStats returns PairingResponseStats of every organisation
	// that was asked at least once, in one read.
	AllResponseStats(ctx context.Context) (map[string]ResponseStats, error)

	// CreateNotifications stores inbox entries.
	CreateNotifications(ctx context.Context, ns []*Notification) error
	// ListNotifications returns a user's inbox newest first (p.After is the
	// last ID of the previous page), only the unread entries with unread.
	ListNotifications(ctx context.Context, userID string, unread bool, p Page) ([]*Notification, error)
	// CountUnread counts a user's unread entries.
	CountUnread(ctx context.Context, userID string) (int, error)
	// MarkRead marks the user's entries with these IDs read at now (all of
	// the user's entries when ids is empty) and returns how many changed.
	// Other users' entries are never touched.
	MarkRead(ctx context.Context, userID string, ids []string, now time.Time) (int, error)

	// ClaimJob records that the job run named key happened at now. It
	// returns false if the key was claimed before, so a job run twice (or
	// by two nodes) does its work once.
	ClaimJob(ctx context.Context, key string, now time.Time) (bool, error)
}
