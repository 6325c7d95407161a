package app

import "time"

// Role is what a user does on the platform.
type Role string

// Roles. RoleAdmin is government staff; an admin may be scoped to a region.
const (
	RoleSME         Role = "sme"
	RoleEnterprise  Role = "enterprise"
	RoleInvestor    Role = "investor"
	RoleInstitution Role = "institution"
	RoleOrganizer   Role = "organizer"
	RoleAdmin       Role = "admin"
)

// Roles lists every role.
var Roles = []Role{RoleSME, RoleEnterprise, RoleInvestor, RoleInstitution, RoleOrganizer, RoleAdmin}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return contains(Roles, r) }

// OrgType returns the organisation type a user of role r creates or joins.
func (r Role) OrgType() OrgType {
	if r == RoleAdmin {
		return ""
	}
	return OrgType(r)
}

// MemberRole is a user's right within an organisation.
type MemberRole string

// Member roles: an owner manages members and the profile; a member edits listings.
const (
	MemberOwner  MemberRole = "owner"
	MemberMember MemberRole = "member"
)

// User is an account. A user belongs to at most one organisation.
type User struct {
	ID           string     `json:"id" bson:"_id"`
	Email        string     `json:"email,omitempty" bson:"email,omitempty"`
	Phone        string     `json:"phone,omitempty" bson:"phone,omitempty"`
	Name         string     `json:"name,omitempty" bson:"name,omitempty"`
	PasswordHash string     `json:"-" bson:"passwordHash"`
	Role         Role       `json:"role" bson:"role"`
	RegionScope  string     `json:"regionScope,omitempty" bson:"regionScope,omitempty"` // admins: a region code; "" is the whole province
	OrgID        string     `json:"orgId,omitempty" bson:"orgId,omitempty"`
	OrgRole      MemberRole `json:"orgRole,omitempty" bson:"orgRole,omitempty"`
	Disabled     bool       `json:"disabled,omitempty" bson:"disabled,omitempty"`
	CreatedAt    time.Time  `json:"createdAt" bson:"createdAt"`
	UpdatedAt    time.Time  `json:"updatedAt" bson:"updatedAt"`
}

// RefreshToken is one opaque refresh token, stored by the SHA-256 hash of its
// value. Tokens of one login share a Family; each use rotates the token, and
// presenting a used one revokes the whole family.
type RefreshToken struct {
	Hash      string     `json:"-" bson:"_id"`
	Family    string     `json:"family" bson:"family"`
	UserID    string     `json:"userId" bson:"userId"`
	CreatedAt time.Time  `json:"createdAt" bson:"createdAt"`
	ExpiresAt time.Time  `json:"expiresAt" bson:"expiresAt"`
	UsedAt    *time.Time `json:"usedAt,omitempty" bson:"usedAt,omitempty"`
	RevokedAt *time.Time `json:"revokedAt,omitempty" bson:"revokedAt,omitempty"`
}

// Invite lets a user join an organisation with a code its owner shared.
type Invite struct {
	Code      string    `json:"code" bson:"_id"`
	OrgID     string    `json:"orgId" bson:"orgId"`
	CreatedBy string    `json:"createdBy" bson:"createdBy"`
	CreatedAt time.Time `json:"createdAt" bson:"createdAt"`
	ExpiresAt time.Time `json:"expiresAt" bson:"expiresAt"`
}

// ImportRun records one import: who ran it, what it counted and its per-line errors.
type ImportRun struct {
	ID         string        `json:"id" bson:"_id"`
	UserID     string        `json:"userId,omitempty" bson:"userId,omitempty"`
	Source     string        `json:"source" bson:"source"`
	StartedAt  time.Time     `json:"startedAt" bson:"startedAt"`
	FinishedAt time.Time     `json:"finishedAt" bson:"finishedAt"`
	Counts     ImportCounts  `json:"counts" bson:"counts"`
	Errors     []ImportError `json:"errors" bson:"errors"`
}

// ImportCounts counts what an import did with its lines.
type ImportCounts struct {
	Lines     int `json:"lines" bson:"lines"`
	Created   int `json:"created" bson:"created"`
	Updated   int `json:"updated" bson:"updated"`
	Unchanged int `json:"unchanged" bson:"unchanged"`
	Failed    int `json:"failed" bson:"failed"`
}

// ImportError is one bad line of an import.
type ImportError struct {
	Line    int    `json:"line" bson:"line"`
	Ref     string `json:"ref,omitempty" bson:"ref,omitempty"`
	Field   string `json:"field" bson:"field"`
	Code    string `json:"code" bson:"code"`
	Message string `json:"message" bson:"message"`
}
