package app

import (
	"context"
	"strings"
)

// provinceAdmin reports whether the actor is an admin whose scope is the
// whole province (or the system). Accounts belong to no region, so only such
// admins manage them.
func (a *Actor) provinceAdmin() bool {
	return a.Admin() && (a.System || a.RegionScope == "")
}

// ListUsers lists accounts in ID order. Admins without a region scope only.
func (s *Service) ListUsers(ctx context.Context, a *Actor, f UserFilter, p Page) ([]*User, error) {
	if !a.provinceAdmin() {
		return nil, errForbidden
	}
	var fs Fields
	if f.Role != "" && !f.Role.Valid() {
		fs.Add("role", FieldUnknown, "must be one of sme, enterprise, investor, institution, organizer, admin")
	}
	if f.OrgID != "" && !ValidID(f.OrgID) {
		fs.Add("org", FieldFormat, "is not an organisation ID")
	}
	f.Query = strings.TrimSpace(FoldWidth(f.Query))
	if len(f.Query) > 254 || badText(f.Query) != "" {
		fs.Add("q", FieldFormat, "must be the start of an e-mail address or mobile number")
	}
	if err := fs.Err(); err != nil {
		return nil, err
	}
	return s.Store.ListUsers(ctx, f, clampPage(p))
}

// UserUpdate is what an admin may change on an account; nil fields stay as they are.
type UserUpdate struct {
	Role        *Role   `json:"role"`
	Disabled    *bool   `json:"disabled"`
	RegionScope *string `json:"regionScope"`
}

// UpdateUser changes an account's role, region scope (admins only) or
// disabled flag. Admins without a region scope only; nobody changes their
// own role, scope or disables themselves. A role must fit the type of the
// organisation the user belongs to. Disabling an account ends its logins.
// It returns ENOTFOUND if the user does not exist.
func (s *Service) UpdateUser(ctx context.Context, a *Actor, id string, in UserUpdate) (*User, error) {
	if !a.provinceAdmin() {
		return nil, errForbidden
	}
	if !ValidID(id) {
		return nil, Errorf(ENOTFOUND, "user not found")
	}
	u, err := s.Store.FindUser(ctx, id)
	if err != nil {
		return nil, err
	}
	var f Fields
	role := u.Role
	if in.Role != nil {
		if in.Role.Valid() {
			role = *in.Role
		} else {
			f.Add("role", FieldUnknown, "must be one of sme, enterprise, investor, institution, organizer, admin")
		}
	}
	scope := u.RegionScope
	if in.RegionScope != nil {
		scope = strings.TrimSpace(FoldWidth(*in.RegionScope))
		regionCode(&f, "regionScope", scope)
	}
	if role != RoleAdmin {
		if in.RegionScope != nil && scope != "" {
			f.Add("regionScope", FieldNotAllow, "only admins have a region scope")
		}
		scope = ""
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if u.ID == a.UserID {
		switch {
		case role != u.Role:
			return nil, Invalid("role", FieldNotAllow, "you cannot change your own role")
		case scope != u.RegionScope:
			return nil, Invalid("regionScope", FieldNotAllow, "you cannot change your own region scope")
		case in.Disabled != nil && *in.Disabled:
			return nil, Invalid("disabled", FieldNotAllow, "you cannot disable your own account")
		}
	}
	if role != u.Role && u.OrgID != "" {
		o, err := s.Store.FindOrg(ctx, u.OrgID)
		switch {
		case err == nil && role.OrgType() != o.Type:
			return nil, Invalid("role", FieldNotAllow, "does not fit the user's organisation (of type %s); take the user out of it first", o.Type)
		case err != nil && ErrorCode(err) != ENOTFOUND:
			return nil, err
		}
	}
	disable := in.Disabled != nil && *in.Disabled && !u.Disabled
	u.Role, u.RegionScope = role, scope
	if in.Disabled != nil {
		u.Disabled = *in.Disabled
	}
	u.UpdatedAt = s.now()
	if err := s.Store.UpdateUser(ctx, u); err != nil {
		return nil, err
	}
	if disable {
		if err := s.Store.RevokeUserTokens(ctx, u.ID, s.now()); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// ListImportRuns returns import reports newest first; p.After is the last ID
// of the previous page. Admins only; an admin scoped to a region sees the
// imports they ran themselves.
func (s *Service) ListImportRuns(ctx context.Context, a *Actor, p Page) ([]*ImportRun, error) {
	if !a.Admin() {
		return nil, errForbidden
	}
	p = clampPage(p)
	if a.provinceAdmin() {
		return s.Store.ListImportRuns(ctx, p)
	}
	var out []*ImportRun
	q := Page{Limit: MaxPageLimit, After: p.After}
	for len(out) < p.Limit {
		rs, err := s.Store.ListImportRuns(ctx, q)
		if err != nil {
			return nil, err
		}
		for _, r := range rs {
			if r.UserID == a.UserID && len(out) < p.Limit {
				out = append(out, r)
			}
		}
		if len(rs) < q.Limit {
			break
		}
		q.After = rs[len(rs)-1].ID
	}
	return out, nil
}

// GetImportRun returns an import's report. It returns ENOTFOUND if there is
// none or the caller, an admin scoped to a region, did not run it; EFORBIDDEN
// for non-admins.
func (s *Service) GetImportRun(ctx context.Context, a *Actor, id string) (*ImportRun, error) {
	if !a.Admin() {
		return nil, errForbidden
	}
	notFound := Errorf(ENOTFOUND, "import not found")
	if !ValidID(id) {
		return nil, notFound
	}
	r, err := s.Store.FindImportRun(ctx, id)
	if err != nil {
		return nil, err
	}
	if !a.provinceAdmin() && r.UserID != a.UserID {
		return nil, notFound
	}
	return r, nil
}
