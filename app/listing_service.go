package app

import (
	"context"
	"time"
)

// redactListing removes the sensitive fields of a listing: a financing need's
// valuation is for members, admins in scope and verified investors.
func redactListing(a *Actor, l *Listing) *Listing {
	if l.Kind != KindFinancing || l.ValuationWan == 0 || a.MemberOf(l.OrgID) || a.AdminOf(l.Owner.Region) || a.VerifiedInvestor() {
		return l
	}
	c := *l
	c.ValuationWan = 0
	return &c
}

func canSeeListing(a *Actor, l *Listing) bool {
	return l.Visible() || a.MemberOf(l.OrgID) || a.AdminOf(l.Owner.Region)
}

// listingInput copies the fields a client may set; the server owns the rest.
func listingInput(in *Listing) *Listing {
	l := *in
	l.ID, l.OrgID, l.Owner, l.Seq = "", "", OrgSummary{}, 0
	l.PublishedAt, l.CreatedAt, l.UpdatedAt = nil, time.Time{}, time.Time{}
	l.IndustryKeys, l.RegionKeys = nil, nil
	return &l
}

// CreateListing creates a listing for an organisation the actor belongs to
// (orgID "" means the actor's own). New listings are drafts unless the input
// asks for published.
func (s *Service) CreateListing(ctx context.Context, a *Actor, orgID string, in *Listing) (*Listing, error) {
	if orgID == "" && a != nil {
		orgID = a.OrgID
	}
	if orgID == "" {
		return nil, Invalid("orgId", FieldRequired, "create or join an organisation first")
	}
	o, err := s.orgForWrite(ctx, a, orgID, true)
	if err != nil {
		return nil, err
	}
	l := listingInput(in)
	if !a.Admin() {
		l.Ref = "" // only admins set refs, which imports match on (see CreateOrg)
	}
	if l.Status == "" {
		l.Status = StatusDraft
	}
	l.Normalize()
	if err := l.Validate(); err != nil {
		return nil, err
	}
	if l.Status != StatusDraft && l.Status != StatusPublished {
		return nil, Invalid("status", FieldNotAllow, "a new listing is a draft or published")
	}
	if !contains(l.Kind.OwnerTypes(), o.Type) {
		return nil, Invalid("kind", FieldNotAllow, "an organisation of type %s cannot publish a %s listing", o.Type, l.Kind)
	}
	now := s.now()
	l.ID, l.CreatedAt, l.UpdatedAt = NewID(), now, now
	if l.Status == StatusPublished {
		l.PublishedAt = &now
	}
	l.SetOwner(o)
	if err := s.Store.CreateListing(ctx, l); err != nil {
		return nil, err
	}
	s.indexListings(ctx, l)
	return l, nil
}

// GetListing returns ENOTFOUND if the listing does not exist or the actor may not see it.
func (s *Service) GetListing(ctx context.Context, a *Actor, id string) (*Listing, error) {
	l, err := s.findListing(ctx, id)
	if err != nil {
		return nil, err
	}
	if !canSeeListing(a, l) {
		return nil, Errorf(ENOTFOUND, "listing not found")
	}
	return redactListing(a, l), nil
}

func (s *Service) findListing(ctx context.Context, id string) (*Listing, error) {
	if !ValidID(id) {
		return nil, Errorf(ENOTFOUND, "listing not found")
	}
	return s.Store.FindListing(ctx, id)
}

func (s *Service) listingForWrite(ctx context.Context, a *Actor, id string) (*Listing, error) {
	l, err := s.findListing(ctx, id)
	if err != nil {
		return nil, err
	}
	switch {
	case a.MemberOf(l.OrgID), a.AdminOf(l.Owner.Region):
		return l, nil
	case canSeeListing(a, l):
		return nil, errForbidden
	}
	return nil, Errorf(ENOTFOUND, "listing not found")
}

// UpdateListing replaces the client-set fields of a listing. The kind cannot
// change; a status change must be a legal transition.
func (s *Service) UpdateListing(ctx context.Context, a *Actor, id string, in *Listing) (*Listing, error) {
	old, err := s.listingForWrite(ctx, a, id)
	if err != nil {
		return nil, err
	}
	l := listingInput(in)
	if l.Kind == "" {
		l.Kind = old.Kind
	}
	if l.Status == "" {
		l.Status = old.Status
	}
	l.Normalize()
	if err := l.Validate(); err != nil {
		return nil, err
	}
	if l.Kind != old.Kind {
		return nil, Invalid("kind", FieldNotAllow, "cannot be changed")
	}
	if err := checkTransition(old, l.Status); err != nil {
		return nil, err
	}
	o, err := s.Store.FindOrg(ctx, old.OrgID)
	if err != nil {
		return nil, err
	}
	l.ID, l.CreatedAt, l.UpdatedAt, l.PublishedAt = old.ID, old.CreatedAt, s.now(), old.PublishedAt
	if l.Ref == "" || !a.Admin() {
		l.Ref = old.Ref
	}
	if l.Status == StatusPublished && old.Status != StatusPublished {
		now := s.now()
		l.PublishedAt = &now
	}
	l.SetOwner(o)
	if err := s.Store.UpdateListing(ctx, l); err != nil {
		return nil, err
	}
	s.indexListings(ctx, l)
	return l, nil
}

func checkTransition(l *Listing, to Status) error {
	if to == l.Status {
		return nil
	}
	next := l.Status.NextStatuses(l.Kind)
	if contains(next, to) {
		return nil
	}
	allowed := make([]string, len(next))
	for i, s := range next {
		allowed[i] = string(s)
	}
	return &Error{Code: ECONFLICT, Message: "a " + string(l.Status) + " listing cannot become " + string(to),
		Fields:  []FieldError{{Field: "status", Code: FieldNotAllow, Message: "cannot move from " + string(l.Status) + " to " + string(to)}},
		Allowed: allowed}
}

// SetListingStatus moves a listing through its lifecycle; an illegal
// transition is ECONFLICT listing the allowed ones.
func (s *Service) SetListingStatus(ctx context.Context, a *Actor, id string, to Status) (*Listing, error) {
	l, err := s.listingForWrite(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !to.Valid() {
		return nil, Invalid("status", FieldUnknown, "must be one of draft, published, closed, awarded")
	}
	if err := checkTransition(l, to); err != nil {
		return nil, err
	}
	if to == l.Status {
		return l, nil
	}
	now := s.now()
	l.Status, l.UpdatedAt = to, now
	if to == StatusPublished {
		l.PublishedAt = &now
	}
	if err := s.Store.UpdateListing(ctx, l); err != nil {
		return nil, err
	}
	s.indexListings(ctx, l)
	return l, nil
}

// DeleteListing deletes a listing. Members of its organisation and admins only.
func (s *Service) DeleteListing(ctx context.Context, a *Actor, id string) error {
	l, err := s.listingForWrite(ctx, a, id)
	if err != nil {
		return err
	}
	if err := s.Store.DeleteListing(ctx, l.ID); err != nil {
		return err
	}
	s.unindex(ctx, "listing", l.ID)
	return nil
}

// ListListings lists listings the actor may see, with sensitive fields redacted.
func (s *Service) ListListings(ctx context.Context, a *Actor, f ListingFilter, p Page) ([]*Listing, error) {
	if err := checkFilterCodes(f.Region, f.Industry); err != nil {
		return nil, err
	}
	f.VisibleTo = a.visibility(f.Region)
	ls, err := s.Store.ListListings(ctx, f, clampPage(p))
	if err != nil {
		return nil, err
	}
	for i, l := range ls {
		ls[i] = redactListing(a, l)
	}
	return ls, nil
}
