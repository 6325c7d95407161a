package app

import (
	"context"
	"time"
)

// redactOrg removes the sensitive fields of an organisation the actor is not
// entitled to: revenue, R&D ratio and contacts are for members and admins.
func redactOrg(a *Actor, o *Org) *Org {
	if a.MemberOf(o.ID) || a.AdminOf(o.Region) {
		return o
	}
	c := *o
	c.RevenueWan, c.RDRatio, c.Contact = 0, 0, nil
	return &c
}

// canSeeOrg reports whether the actor may see the organisation at all.
func canSeeOrg(a *Actor, o *Org) bool {
	return o.Verified || a.MemberOf(o.ID) || a.AdminOf(o.Region)
}

// CreateOrg creates the actor's organisation and makes the actor its owner.
// An admin may create an organisation of any type without joining it.
func (s *Service) CreateOrg(ctx context.Context, a *Actor, in *Org) (*Org, error) {
	if a == nil || a.UserID == "" && !a.System {
		return nil, Errorf(EUNAUTHORIZED, "log in first")
	}
	if !a.Admin() {
		if a.OrgID != "" {
			return nil, Errorf(ECONFLICT, "you already belong to an organisation")
		}
		if in.Type == "" {
			in.Type = a.Role.OrgType()
		}
		if in.Type != a.Role.OrgType() {
			return nil, Invalid("orgType", FieldNotAllow, "a %s account can only create an organisation of type %s", a.Role, a.Role.OrgType())
		}
	}
	o := orgInput(in)
	if !a.Admin() {
		o.Tier = "" // the cultivation tier is set by the department, not claimed
		// The ref is the record's ID in the department's interchange files,
		// which imports match on; a user who could claim one would receive
		// the imported (and verified) record.
		o.Ref = ""
	}
	o.Normalize()
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if a.Admin() && !a.AdminOf(o.Region) {
		return nil, errForbidden
	}
	now := s.now()
	o.ID, o.CreatedAt, o.UpdatedAt = NewID(), now, now
	if err := s.Store.CreateOrg(ctx, o); err != nil {
		return nil, err
	}
	if !a.Admin() {
		u, err := s.Store.FindUser(ctx, a.UserID)
		if err != nil {
			return nil, err
		}
		u.OrgID, u.OrgRole, u.UpdatedAt = o.ID, MemberOwner, now
		if err := s.Store.UpdateUser(ctx, u); err != nil {
			// Undo, so no organisation is left without an owner.
			if derr := s.Store.DeleteOrg(ctx, o.ID); derr != nil {
				s.Log.ErrorContext(ctx, "undo org create", "org", o.ID, "err", derr)
			}
			return nil, err
		}
	}
	s.indexOrg(ctx, o)
	return o, nil
}

// orgInput copies the fields a client may set; the server owns the rest.
func orgInput(in *Org) *Org {
	o := *in
	o.ID, o.Verified, o.VerifiedAt, o.Seq = "", false, nil, 0
	o.CreatedAt, o.UpdatedAt = time.Time{}, time.Time{}
	return &o
}

// GetOrg returns ENOTFOUND if the organisation does not exist or the actor may not see it.
func (s *Service) GetOrg(ctx context.Context, a *Actor, id string) (*Org, error) {
	o, err := s.findOrg(ctx, id)
	if err != nil {
		return nil, err
	}
	if !canSeeOrg(a, o) {
		return nil, Errorf(ENOTFOUND, "organisation not found")
	}
	return redactOrg(a, o), nil
}

func (s *Service) findOrg(ctx context.Context, id string) (*Org, error) {
	if !ValidID(id) {
		return nil, Errorf(ENOTFOUND, "organisation not found")
	}
	return s.Store.FindOrg(ctx, id)
}

// orgForWrite loads an organisation the actor may change: its owner (or, with
// memberOK, any member) or an admin in scope.
func (s *Service) orgForWrite(ctx context.Context, a *Actor, id string, memberOK bool) (*Org, error) {
	o, err := s.findOrg(ctx, id)
	if err != nil {
		return nil, err
	}
	switch {
	case a.AdminOf(o.Region), a.OwnerOf(o.ID), memberOK && a.MemberOf(o.ID):
		return o, nil
	case canSeeOrg(a, o):
		return nil, errForbidden
	}
	return nil, Errorf(ENOTFOUND, "organisation not found")
}

// UpdateOrg replaces the client-set fields of an organisation. A change of
// name or USCC of a verified organisation withdraws its verification.
func (s *Service) UpdateOrg(ctx context.Context, a *Actor, id string, in *Org) (*Org, error) {
	old, err := s.orgForWrite(ctx, a, id, false)
	if err != nil {
		return nil, err
	}
	o := orgInput(in)
	if o.Type == "" {
		o.Type = old.Type
	}
	o.Normalize()
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if o.Type != old.Type {
		return nil, Invalid("orgType", FieldNotAllow, "cannot be changed")
	}
	if a.Admin() && !a.AdminOf(o.Region) {
		return nil, errForbidden
	}
	o.ID, o.CreatedAt, o.UpdatedAt = old.ID, old.CreatedAt, s.now()
	if o.Ref == "" || !a.Admin() {
		o.Ref = old.Ref // only admins set refs (see CreateOrg)
	}
	o.Verified, o.VerifiedAt = old.Verified, old.VerifiedAt
	if !a.Admin() {
		o.Tier = old.Tier
	}
	if old.Verified && !a.Admin() && (o.Name != old.Name || o.USCC != old.USCC) {
		o.Verified, o.VerifiedAt = false, nil
	}
	if err := s.Store.UpdateOrg(ctx, o); err != nil {
		return nil, err
	}
	s.indexOrgAndListings(ctx, o)
	return o, nil
}

// DeleteOrg deletes an organisation with its listings and detaches its members.
func (s *Service) DeleteOrg(ctx context.Context, a *Actor, id string) error {
	o, err := s.orgForWrite(ctx, a, id, false)
	if err != nil {
		return err
	}
	ls, err := s.allListings(ctx, ListingFilter{OrgID: o.ID})
	if err != nil {
		return err
	}
	members, err := s.Store.ListUsers(ctx, UserFilter{OrgID: o.ID}, Page{Limit: MaxPageLimit})
	if err != nil {
		return err
	}
	for _, u := range members {
		u.OrgID, u.OrgRole, u.UpdatedAt = "", "", s.now()
		if err := s.Store.UpdateUser(ctx, u); err != nil {
			return err
		}
	}
	if err := s.Store.DeleteOrg(ctx, o.ID); err != nil {
		return err
	}
	s.unindex(ctx, "org", o.ID)
	for _, l := range ls {
		s.unindex(ctx, "listing", l.ID)
	}
	return nil
}

// ListOrgs lists organisations the actor may see, with sensitive fields redacted.
func (s *Service) ListOrgs(ctx context.Context, a *Actor, f OrgFilter, p Page) ([]*Org, error) {
	if err := checkFilterCodes(f.Region, f.Industry); err != nil {
		return nil, err
	}
	f.VisibleTo = a.visibility(f.Region)
	if f.VisibleTo != nil && f.Verified != nil && !*f.Verified {
		// Unverified organisations other than one's own are not listed
		// (an anonymous caller has none: the ID "" matches nothing).
		f.IDs = []string{f.VisibleTo.OrgID}
	}
	os, err := s.Store.ListOrgs(ctx, f, clampPage(p))
	if err != nil {
		return nil, err
	}
	for i, o := range os {
		os[i] = redactOrg(a, o)
	}
	return os, nil
}

// VerifyOrg sets or withdraws an organisation's verification (认证). Admins only.
func (s *Service) VerifyOrg(ctx context.Context, a *Actor, id string, verified bool) (*Org, error) {
	o, err := s.findOrg(ctx, id)
	if err != nil {
		return nil, err
	}
	if !a.AdminOf(o.Region) {
		if canSeeOrg(a, o) {
			return nil, errForbidden
		}
		return nil, Errorf(ENOTFOUND, "organisation not found")
	}
	if o.Verified == verified {
		return o, nil
	}
	now := s.now()
	o.Verified, o.UpdatedAt = verified, now
	if verified {
		o.VerifiedAt = &now
	} else {
		o.VerifiedAt = nil
	}
	if err := s.Store.UpdateOrg(ctx, o); err != nil {
		return nil, err
	}
	s.indexOrgAndListings(ctx, o)
	return o, nil
}

// CreateInvite returns a code with which another user can join the organisation. Owners only.
func (s *Service) CreateInvite(ctx context.Context, a *Actor, orgID string) (*Invite, error) {
	o, err := s.orgForWrite(ctx, a, orgID, false)
	if err != nil {
		return nil, err
	}
	now := s.now()
	inv := &Invite{Code: NewSecret(12), OrgID: o.ID, CreatedBy: a.UserID, CreatedAt: now, ExpiresAt: now.Add(s.Config.InviteTTL)}
	if err := s.Store.CreateInvite(ctx, inv); err != nil {
		return nil, err
	}
	return inv, nil
}

// JoinOrg makes the actor a member of the organisation an invitation names.
func (s *Service) JoinOrg(ctx context.Context, a *Actor, code string) (*Org, error) {
	if a == nil || a.UserID == "" || a.Admin() {
		return nil, errForbidden
	}
	if a.OrgID != "" {
		return nil, Errorf(ECONFLICT, "you already belong to an organisation")
	}
	if code == "" || len(code) > 64 {
		return nil, Invalid("code", FieldFormat, "is not a valid invitation code")
	}
	inv, err := s.Store.FindInvite(ctx, code)
	if ErrorCode(err) == ENOTFOUND || err == nil && s.now().After(inv.ExpiresAt) {
		return nil, Invalid("code", FieldFormat, "is unknown or has expired")
	} else if err != nil {
		return nil, err
	}
	o, err := s.Store.FindOrg(ctx, inv.OrgID)
	if err != nil {
		return nil, err
	}
	if o.Type != a.Role.OrgType() {
		return nil, Invalid("code", FieldNotAllow, "a %s account cannot join an organisation of type %s", a.Role, o.Type)
	}
	u, err := s.Store.FindUser(ctx, a.UserID)
	if err != nil {
		return nil, err
	}
	u.OrgID, u.OrgRole, u.UpdatedAt = o.ID, MemberMember, s.now()
	if err := s.Store.UpdateUser(ctx, u); err != nil {
		return nil, err
	}
	return o, nil
}

// ListMembers returns an organisation's members. Members and admins only.
func (s *Service) ListMembers(ctx context.Context, a *Actor, orgID string) ([]*User, error) {
	if _, err := s.orgForWrite(ctx, a, orgID, true); err != nil {
		return nil, err
	}
	return s.Store.ListUsers(ctx, UserFilter{OrgID: orgID}, Page{Limit: MaxPageLimit})
}

// SetMember changes a member's right or, with remove, takes the member out.
// Owners and admins only; the last owner cannot be demoted or removed, but a
// member may always leave.
func (s *Service) SetMember(ctx context.Context, a *Actor, orgID, userID string, role MemberRole, remove bool) error {
	self := a != nil && a.UserID == userID && a.MemberOf(orgID)
	if !(self && remove) {
		if _, err := s.orgForWrite(ctx, a, orgID, false); err != nil {
			return err
		}
	}
	if !remove && role != MemberOwner && role != MemberMember {
		return Invalid("orgRole", FieldUnknown, "must be owner or member")
	}
	members, err := s.Store.ListUsers(ctx, UserFilter{OrgID: orgID}, Page{Limit: MaxPageLimit})
	if err != nil {
		return err
	}
	var target *User
	owners := 0
	for _, u := range members {
		if u.OrgRole == MemberOwner {
			owners++
		}
		if u.ID == userID {
			target = u
		}
	}
	if target == nil {
		return Errorf(ENOTFOUND, "no such member")
	}
	if target.OrgRole == MemberOwner && owners == 1 && (remove || role != MemberOwner) {
		return Errorf(ECONFLICT, "an organisation needs at least one owner")
	}
	if remove {
		target.OrgID, target.OrgRole = "", ""
	} else {
		target.OrgRole = role
	}
	target.UpdatedAt = s.now()
	return s.Store.UpdateUser(ctx, target)
}

func checkFilterCodes(region, industry string) error {
	var f Fields
	regionCode(&f, "region", region)
	industryCode(&f, "industry", industry)
	return f.Err()
}

func clampPage(p Page) Page {
	if p.Limit <= 0 {
		p.Limit = 50
	}
	if p.Limit > MaxPageLimit {
		p.Limit = MaxPageLimit
	}
	return p
}

// allListings pages through every listing a filter selects.
func (s *Service) allListings(ctx context.Context, f ListingFilter) ([]*Listing, error) {
	var out []*Listing
	p := Page{Limit: MaxPageLimit}
	for {
		ls, err := s.Store.ListListings(ctx, f, p)
		if err != nil {
			return nil, err
		}
		out = append(out, ls...)
		if len(ls) < p.Limit {
			return out, nil
		}
		p.After = ls[len(ls)-1].ID
	}
}

func (s *Service) indexOrg(ctx context.Context, o *Org) {
	if s.Index == nil {
		return
	}
	if err := s.Index.IndexOrg(ctx, o); err != nil {
		s.Log.ErrorContext(ctx, "index org", "org", o.ID, "err", err)
	}
}

// indexOrgAndListings re-indexes an organisation and its listings, whose
// visibility and owner fields follow it.
func (s *Service) indexOrgAndListings(ctx context.Context, o *Org) {
	if s.Index == nil {
		return
	}
	s.indexOrg(ctx, o)
	ls, err := s.allListings(ctx, ListingFilter{OrgID: o.ID})
	if err == nil {
		err = s.Index.IndexListings(ctx, ls)
	}
	if err != nil {
		s.Log.ErrorContext(ctx, "index org listings", "org", o.ID, "err", err)
	}
}

func (s *Service) indexListings(ctx context.Context, ls ...*Listing) {
	if s.Index == nil || len(ls) == 0 {
		return
	}
	if err := s.Index.IndexListings(ctx, ls); err != nil {
		s.Log.ErrorContext(ctx, "index listings", "n", len(ls), "err", err)
	}
}

func (s *Service) unindex(ctx context.Context, entity, id string) {
	if s.Index == nil {
		return
	}
	if err := s.Index.Delete(ctx, entity, id); err != nil {
		s.Log.ErrorContext(ctx, "unindex", "entity", entity, "id", id, "err", err)
	}
}
