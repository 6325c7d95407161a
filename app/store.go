package app

import (
	"context"
	"time"
)

// Page asks for one page of a list in ID order: at most Limit items whose ID
// is greater than After ("" for the first page).
type Page struct {
	Limit int
	After string
}

// MaxPageLimit caps Page.Limit.
const MaxPageLimit = 200

// OrgFilter selects organisations. Zero fields do not filter.
type OrgFilter struct {
	IDs      []string
	Ref      string
	Type     OrgType
	Region   string // a region code; matches the code and everything under it
	Industry string // an industry code; matches the code and everything under it
	Tiers    []Tier
	Verified *bool
	// VisibleTo, when set, keeps verified organisations plus the one with this ID.
	VisibleTo *Visibility
}

// Visibility restricts a list to what a non-admin caller may see: records of
// verified organisations (published, for listings) plus the caller's own.
type Visibility struct {
	OrgID string // the caller's organisation, "" for none
}

// ListingFilter selects listings. Zero fields do not filter.
type ListingFilter struct {
	IDs      []string
	Ref      string
	Kinds    []Kind
	OrgID    string
	Industry string // matches listings any of whose industry codes lies under it
	Region   string // matches listings whose owner lies in the region
	Tiers    []Tier // the owner's tier
	Statuses []Status
	// VisibleTo, when set, keeps published listings of verified organisations
	// plus every listing of the caller's own organisation.
	VisibleTo *Visibility
}

// UserFilter selects users.
type UserFilter struct {
	OrgID string
	Role  Role
	Query string // a prefix of the e-mail or phone
}

// Change is one entry of the store's update sequence.
type Change struct {
	Seq     int64
	Entity  string // "org" or "listing"
	ID      string
	Deleted bool
}

// Store is the source of truth. Every method honours ctx cancellation and
// returns *Error values for expected failures (ENOTFOUND, ECONFLICT); anything
// else is an internal error.
type Store interface {
	UserStore
	TokenStore
	OrgStore
	ListingStore
	ImportStore
	IndicatorStore
	EventStore
	PairingStore

	// Changes returns up to limit changes with a sequence number above after,
	// in sequence order. Deleted records appear with Deleted set.
	Changes(ctx context.Context, after int64, limit int) ([]Change, error)
	// LastSeq returns the highest sequence number assigned so far.
	LastSeq(ctx context.Context) (int64, error)
	// Ping returns EUNAVAILABLE if the store cannot be reached.
	Ping(ctx context.Context) error
	// Close releases the store's resources.
	Close() error
}

// UserStore keeps accounts.
type UserStore interface {
	// CreateUser returns ECONFLICT (field email or phone) if the login is taken.
	CreateUser(ctx context.Context, u *User) error
	// FindUser returns ENOTFOUND if no user has the ID.
	FindUser(ctx context.Context, id string) (*User, error)
	// FindUserByLogin finds a user by e-mail (case-insensitive) or phone;
	// ENOTFOUND if none.
	FindUserByLogin(ctx context.Context, login string) (*User, error)
	// UpdateUser replaces a user; ENOTFOUND if missing, ECONFLICT if the login is taken.
	UpdateUser(ctx context.Context, u *User) error
	// ListUsers returns users in ID order.
	ListUsers(ctx context.Context, f UserFilter, p Page) ([]*User, error)
	// CountUsers counts all users.
	CountUsers(ctx context.Context) (int, error)
	// CreateInvite stores an invitation code.
	CreateInvite(ctx context.Context, inv *Invite) error
	// FindInvite returns ENOTFOUND for an unknown code.
	FindInvite(ctx context.Context, code string) (*Invite, error)
}

// TokenStore keeps refresh tokens.
type TokenStore interface {
	// CreateRefreshToken stores a new token.
	CreateRefreshToken(ctx context.Context, t *RefreshToken) error
	// UseRefreshToken atomically marks the token with this hash used at now
	// and returns it as it was before. It returns ENOTFOUND for an unknown hash
	// and ECONFLICT (with the token) if it was already used or revoked, so the
	// caller can revoke its family. Exactly one of concurrent calls succeeds.
	UseRefreshToken(ctx context.Context, hash string, now time.Time) (*RefreshToken, error)
	// RevokeTokenFamily revokes every token of a login.
	RevokeTokenFamily(ctx context.Context, family string, now time.Time) error
	// RevokeUserTokens revokes every token of a user.
	RevokeUserTokens(ctx context.Context, userID string, now time.Time) error
}

// OrgStore keeps organisations.
type OrgStore interface {
	// CreateOrg returns ECONFLICT (field ref or uscc) if either is taken.
	CreateOrg(ctx context.Context, o *Org) error
	// FindOrg returns ENOTFOUND if no organisation has the ID.
	FindOrg(ctx context.Context, id string) (*Org, error)
	// FindOrgByRef returns ENOTFOUND if no organisation has the ref.
	FindOrgByRef(ctx context.Context, ref string) (*Org, error)
	// FindOrgsByRef returns the organisations with these refs, keyed by ref.
	FindOrgsByRef(ctx context.Context, refs []string) (map[string]*Org, error)
	// UpdateOrg replaces an organisation and refreshes the owner summary on
	// its listings; ENOTFOUND if missing, ECONFLICT if ref or uscc is taken.
	UpdateOrg(ctx context.Context, o *Org) error
	// DeleteOrg deletes an organisation with its listings; ENOTFOUND if missing.
	DeleteOrg(ctx context.Context, id string) error
	// ListOrgs returns organisations in ID order.
	ListOrgs(ctx context.Context, f OrgFilter, p Page) ([]*Org, error)
	// CountOrgs counts the organisations a filter selects.
	CountOrgs(ctx context.Context, f OrgFilter) (int, error)
}

// ListingStore keeps listings.
type ListingStore interface {
	// CreateListing returns ECONFLICT (field ref) if the ref is taken.
	CreateListing(ctx context.Context, l *Listing) error
	// FindListing returns ENOTFOUND if no listing has the ID.
	FindListing(ctx context.Context, id string) (*Listing, error)
	// FindListingsByRef returns the listings with these refs, keyed by ref.
	FindListingsByRef(ctx context.Context, refs []string) (map[string]*Listing, error)
	// UpdateListing replaces a listing; ENOTFOUND if missing, ECONFLICT if the ref is taken.
	UpdateListing(ctx context.Context, l *Listing) error
	// DeleteListing returns ENOTFOUND if missing.
	DeleteListing(ctx context.Context, id string) error
	// ListListings returns listings in ID order.
	ListListings(ctx context.Context, f ListingFilter, p Page) ([]*Listing, error)
	// CountListings counts the listings a filter selects.
	CountListings(ctx context.Context, f ListingFilter) (int, error)
}

// ImportStore writes imports in batches and keeps their reports.
type ImportStore interface {
	// SaveBatch creates or replaces (by ID) organisations and listings in one
	// transaction where the store has them; organisations are written first.
	// A replaced organisation's listings get its new owner summary. When it
	// returns nil every record is durable.
	SaveBatch(ctx context.Context, orgs []*Org, listings []*Listing) error
	// CreateImportRun stores an import's report.
	CreateImportRun(ctx context.Context, r *ImportRun) error
	// ListImportRuns returns reports newest first; p.After is the last ID of the
	// previous page and the next page holds smaller IDs.
	ListImportRuns(ctx context.Context, p Page) ([]*ImportRun, error)
	// FindImportRun returns ENOTFOUND if missing.
	FindImportRun(ctx context.Context, id string) (*ImportRun, error)
}

// Indexer keeps a derived search index in step with the store. The use cases
// call it after the store commits; a failure is logged, not returned to the
// user, and heals at the next start-up reconciliation.
type Indexer interface {
	IndexOrg(ctx context.Context, o *Org) error
	IndexListings(ctx context.Context, ls []*Listing) error
	Delete(ctx context.Context, entity, id string) error
}
