package app

import (
	"slices"
	"strings"
	"time"
)

// PairingStatus is where a pairing (对接) is in its workflow.
type PairingStatus string

// Pairing statuses. Proposed and interested are pending: they wait for an
// answer and expire when none comes. Declined, agreed, closed, expired and
// withdrawn are final.
const (
	PairingProposed    PairingStatus = "proposed"    // suggested by the engine or a user
	PairingInterested  PairingStatus = "interested"  // one side asked, with a message (对接请求)
	PairingAccepted    PairingStatus = "accepted"    // the other side said yes
	PairingDeclined    PairingStatus = "declined"    // a side said no, with a reason
	PairingMeeting     PairingStatus = "meeting"     // the sides are meeting (洽谈)
	PairingNegotiating PairingStatus = "negotiating" // terms are being negotiated
	PairingAgreed      PairingStatus = "agreed"      // a contract, investment or licence was signed
	PairingClosed      PairingStatus = "closed"      // ended without agreement
	PairingExpired     PairingStatus = "expired"     // no answer in time
	PairingWithdrawn   PairingStatus = "withdrawn"   // the asking side (or an admin) took it back
)

// PairingStatuses lists every pairing status in workflow order.
var PairingStatuses = []PairingStatus{PairingProposed, PairingInterested, PairingAccepted, PairingDeclined,
	PairingMeeting, PairingNegotiating, PairingAgreed, PairingClosed, PairingExpired, PairingWithdrawn}

// PendingStatuses are the statuses that wait for an answer: they count as
// open requests and expire.
var PendingStatuses = []PairingStatus{PairingProposed, PairingInterested}

// Valid reports whether s is a known pairing status.
func (s PairingStatus) Valid() bool { return slices.Contains(PairingStatuses, s) }

// Pending reports whether s waits for an answer.
func (s PairingStatus) Pending() bool { return slices.Contains(PendingStatuses, s) }

// PairingOrigin says who proposed a pairing.
type PairingOrigin string

// Pairing origins.
const (
	OriginEngine PairingOrigin = "engine" // the batch proposals of the matching engine
	OriginUser   PairingOrigin = "user"   // a member who asked from a match
)

// PairingKind is the kind of matching a pairing comes from, derived from the
// source record.
type PairingKind string

// Pairing kinds.
const (
	PairingSupply        PairingKind = "supply"        // 协作配套
	PairingFinancing     PairingKind = "financing"     // 融资对接
	PairingTechnology    PairingKind = "technology"    // 科技成果转化
	PairingCollaboration PairingKind = "collaboration" // SME with SME
)

// PairingKinds lists every pairing kind.
var PairingKinds = []PairingKind{PairingSupply, PairingFinancing, PairingTechnology, PairingCollaboration}

// pairingKindOf returns the kind of a pairing whose source record has kind k
// ("org" or a listing kind).
func pairingKindOf(k string) PairingKind {
	switch Kind(k) {
	case KindNeed, KindCapability:
		return PairingSupply
	case KindFinancing, KindInvestor:
		return PairingFinancing
	case KindTech, KindTechNeed:
		return PairingTechnology
	}
	return PairingCollaboration
}

// Side names one party of a pairing: a is the side that proposed or whose
// record was matched from, b the other.
type Side string

// Sides.
const (
	SideA Side = "a"
	SideB Side = "b"
)

// other returns the opposite side.
func (s Side) other() Side {
	if s == SideA {
		return SideB
	}
	return SideA
}

// RecordRef names a record that matched: "org" or a listing kind, and its ID.
type RecordRef struct {
	Kind  string `json:"kind" bson:"kind"`
	ID    string `json:"id" bson:"id"`
	Title string `json:"title,omitempty" bson:"title,omitempty"`
}

// PairingParty is one organisation of a pairing, as it was when the pairing
// was made.
type PairingParty struct {
	OrgID  string `json:"orgId" bson:"orgId"`
	Name   string `json:"name" bson:"name"`
	Region string `json:"region,omitempty" bson:"region,omitempty"`
	// Record is the party's record that matched.
	Record RecordRef `json:"record" bson:"record"`
}

// DeclineReasons are the reason codes a side may give when it declines.
var DeclineReasons = []string{"not_relevant", "no_capacity", "terms", "timing", "location", "already_partnered", "other"}

// OutcomeKind is what an agreement is.
type OutcomeKind string

// Outcome kinds.
const (
	OutcomeContract   OutcomeKind = "contract"   // a supply contract (合同金额)
	OutcomeInvestment OutcomeKind = "investment" // an investment (投资金额)
	OutcomeLicence    OutcomeKind = "licence"    // a technology licence or transfer (许可费)
)

// OutcomeKinds lists every outcome kind.
var OutcomeKinds = []OutcomeKind{OutcomeContract, OutcomeInvestment, OutcomeLicence}

// Outcome is what an agreed pairing produced.
type Outcome struct {
	Kind OutcomeKind `json:"kind" bson:"kind"`
	// ValueYuan is the contract amount, investment or licence fee in yuan.
	ValueYuan int64 `json:"valueYuan" bson:"valueYuan"`
}

// PairingEvent is one entry of a pairing's history, which both sides see.
type PairingEvent struct {
	At   time.Time     `json:"at" bson:"at"`
	By   string        `json:"by,omitempty" bson:"by,omitempty"` // a user ID; "" for the system
	Side Side          `json:"side,omitempty" bson:"side,omitempty"`
	From PairingStatus `json:"from,omitempty" bson:"from,omitempty"`
	To   PairingStatus `json:"to" bson:"to"`
	// Message is what the side wrote; Reason the decline reason code.
	Message string   `json:"message,omitempty" bson:"message,omitempty"`
	Reason  string   `json:"reason,omitempty" bson:"reason,omitempty"`
	Outcome *Outcome `json:"outcome,omitempty" bson:"outcome,omitempty"`
}

// Pairing links two organisations and the records of theirs that matched,
// and carries them from a proposal to an agreement (对接).
type Pairing struct {
	ID     string        `json:"id" bson:"_id"`
	Kind   PairingKind   `json:"kind" bson:"kind"`
	Origin PairingOrigin `json:"origin" bson:"origin"`
	A      PairingParty  `json:"a" bson:"a"`
	B      PairingParty  `json:"b" bson:"b"`
	// Score is the match score when the pairing was made (0–100), if known.
	Score  float64       `json:"score,omitempty" bson:"score,omitempty"`
	Status PairingStatus `json:"status" bson:"status"`
	// Requester is the side that asked (moved it to interested); the other
	// side answers. Empty while an engine proposal waits for either side.
	Requester Side `json:"requester,omitempty" bson:"requester,omitempty"`
	// Reason and ReasonText are set when the pairing was declined.
	Reason     string   `json:"reason,omitempty" bson:"reason,omitempty"`
	ReasonText string   `json:"reasonText,omitempty" bson:"reasonText,omitempty"`
	Outcome    *Outcome `json:"outcome,omitempty" bson:"outcome,omitempty"`
	// ExpiresAt is when a pending pairing expires without an answer.
	ExpiresAt *time.Time `json:"expiresAt,omitempty" bson:"expiresAt,omitempty"`
	AgreedAt  *time.Time `json:"agreedAt,omitempty" bson:"agreedAt,omitempty"`
	// FollowUpAt is when both sides were asked how the agreement went.
	FollowUpAt *time.Time     `json:"followUpAt,omitempty" bson:"followUpAt,omitempty"`
	History    []PairingEvent `json:"history" bson:"history"`
	CreatedAt  time.Time      `json:"createdAt" bson:"createdAt"`
	UpdatedAt  time.Time      `json:"updatedAt" bson:"updatedAt"`
	// Version increases by one with every write; updates compare and set it
	// so that of two concurrent answers exactly one lands.
	Version int64 `json:"version" bson:"version"`
	// RegionKeys are both parties' region codes with their ancestors, for
	// the lists of admins scoped to a region. Set by the use cases.
	RegionKeys []string `json:"-" bson:"regionKeys,omitempty"`
}

// Party returns the party on side s.
func (p *Pairing) Party(s Side) *PairingParty {
	if s == SideA {
		return &p.A
	}
	return &p.B
}

// SideOf returns the side the organisation is on, "" if it is no party.
func (p *Pairing) SideOf(orgID string) Side {
	switch {
	case orgID == "":
		return ""
	case p.A.OrgID == orgID:
		return SideA
	case p.B.OrgID == orgID:
		return SideB
	}
	return ""
}

// RequesterOrg returns the organisation that asked, "" if none has yet.
func (p *Pairing) RequesterOrg() string {
	if p.Requester == "" {
		return ""
	}
	return p.Party(p.Requester).OrgID
}

// who is a bit set of the actors that may make a transition.
type who uint8

const (
	whoEither     who = 1 << iota // a member of either side
	whoRequester                  // a member of the side that asked
	whoResponder                  // a member of the side that was asked
	whoAdmin                      // an admin whose scope covers either party
	whoSystem                     // the jobs (expiry)
	whoUnanswered                 // either side while nobody has asked yet
)

// transition is one edge of the pairing state machine.
type transition struct {
	from, to PairingStatus
	by       who
}

// transitions is the pairing state machine, the single source of what may
// happen to a pairing and who may make it happen.
var transitions = []transition{
	{PairingProposed, PairingInterested, whoUnanswered},
	{PairingProposed, PairingDeclined, whoUnanswered},
	{PairingProposed, PairingWithdrawn, whoAdmin},
	{PairingProposed, PairingExpired, whoSystem},
	{PairingInterested, PairingAccepted, whoResponder},
	{PairingInterested, PairingDeclined, whoResponder},
	{PairingInterested, PairingWithdrawn, whoRequester | whoAdmin},
	{PairingInterested, PairingExpired, whoSystem},
	{PairingAccepted, PairingMeeting, whoEither},
	{PairingAccepted, PairingNegotiating, whoEither},
	{PairingAccepted, PairingClosed, whoEither | whoAdmin},
	{PairingMeeting, PairingNegotiating, whoEither},
	{PairingMeeting, PairingClosed, whoEither | whoAdmin},
	{PairingNegotiating, PairingMeeting, whoEither},
	{PairingNegotiating, PairingAgreed, whoEither},
	{PairingNegotiating, PairingClosed, whoEither | whoAdmin},
}

// roles returns what the actor is to the pairing, as a who set.
func (p *Pairing) roles(a *Actor) who {
	var w who
	if a == nil {
		return 0
	}
	if a.System {
		w |= whoSystem | whoAdmin
	} else if a.AdminOf(p.A.Region) || a.AdminOf(p.B.Region) {
		w |= whoAdmin
	}
	side := p.SideOf(a.OrgID)
	if side == "" || a.System {
		return w
	}
	w |= whoEither
	switch {
	case p.Requester == "":
		w |= whoUnanswered
	case p.Requester == side:
		w |= whoRequester
	default:
		w |= whoResponder
	}
	return w
}

// Allowed returns the statuses the actor may move the pairing to, in
// workflow order.
func (p *Pairing) Allowed(a *Actor) []PairingStatus {
	mine := p.roles(a)
	var out []PairingStatus
	for _, t := range transitions {
		if t.from == p.Status && t.by&mine != 0 {
			out = append(out, t.to)
		}
	}
	return out
}

// checkPairingMove returns nil if the actor may move p to status to, else
// ECONFLICT listing what the actor may do instead.
func checkPairingMove(p *Pairing, a *Actor, to PairingStatus) error {
	if slices.Contains(p.Allowed(a), to) {
		return nil
	}
	names := allowedNames(p, a)
	msg := "a pairing that is " + string(p.Status) + " cannot become " + string(to)
	if len(names) > 0 {
		msg += "; you may move it to: " + strings.Join(names, ", ")
	}
	return &Error{Code: ECONFLICT, Message: msg,
		Fields:  []FieldError{{Field: "to", Code: FieldNotAllow, Message: "cannot move from " + string(p.Status) + " to " + string(to)}},
		Allowed: names}
}

// allowedNames returns Allowed as strings, never nil, for error bodies.
func allowedNames(p *Pairing, a *Actor) []string {
	names := []string{}
	for _, s := range p.Allowed(a) {
		names = append(names, string(s))
	}
	return names
}

// Limits of pairing texts.
const (
	MaxPairingMessageRunes = 2000
)

// TransitionInput is what a side submits to move a pairing on.
type TransitionInput struct {
	To      PairingStatus `json:"to"`
	Message string        `json:"message,omitempty"`
	// Reason is required when declining: one of DeclineReasons.
	Reason string `json:"reason,omitempty"`
	// Outcome is required when agreeing, and only then.
	Outcome *Outcome `json:"outcome,omitempty"`
	// Version, when set, must be the pairing's current version: a client
	// that read the pairing says which state it answers.
	Version int64 `json:"version,omitempty"`
}

// Validate checks the shape of the input; whether the move is legal is the
// state machine's to say.
func (in *TransitionInput) Validate() error {
	var f Fields
	switch {
	case in.To == "":
		f.Add("to", FieldRequired, "is required")
	case !in.To.Valid():
		f.Add("to", FieldUnknown, "must be one of %s", joinStatuses(PairingStatuses))
	}
	optionalText(&f, "message", in.Message, MaxPairingMessageRunes)
	if in.To == PairingInterested && strings.TrimSpace(in.Message) == "" {
		f.Add("message", FieldRequired, "say why you are interested")
	}
	switch {
	case in.To == PairingDeclined && in.Reason == "":
		f.Add("reason", FieldRequired, "give one of %s", strings.Join(DeclineReasons, ", "))
	case in.Reason != "" && in.To != PairingDeclined:
		f.Add("reason", FieldNotAllow, "is only given when declining")
	case in.Reason != "" && !slices.Contains(DeclineReasons, in.Reason):
		f.Add("reason", FieldUnknown, "must be one of %s", strings.Join(DeclineReasons, ", "))
	case in.Reason == "other" && strings.TrimSpace(in.Message) == "":
		f.Add("message", FieldRequired, "say why, since the reason is other")
	}
	switch {
	case in.To == PairingAgreed && in.Outcome == nil:
		f.Add("outcome", FieldRequired, "give the kind and value of the agreement")
	case in.Outcome != nil && in.To != PairingAgreed:
		f.Add("outcome", FieldNotAllow, "is only given when agreeing")
	case in.Outcome != nil:
		in.Outcome.validate(&f)
	}
	if in.Version < 0 {
		f.Add("version", FieldRange, "must not be negative")
	}
	return f.Err()
}

// MaxOutcomeYuan bounds an outcome's value: 10 trillion yuan.
const MaxOutcomeYuan = 10_000_000_000_000

func (o *Outcome) validate(f *Fields) {
	if !slices.Contains(OutcomeKinds, o.Kind) {
		f.Add("outcome.kind", FieldUnknown, "must be one of contract, investment, licence")
	}
	if o.ValueYuan <= 0 || o.ValueYuan > MaxOutcomeYuan {
		f.Add("outcome.valueYuan", FieldRange, "must be between 1 and %d yuan", int64(MaxOutcomeYuan))
	}
}

func joinStatuses(ss []PairingStatus) string {
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = string(s)
	}
	return strings.Join(names, ", ")
}
