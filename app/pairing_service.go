package app

import (
	"context"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/rongtong/rongtong/ref"
)

// PairingConfig holds the pairing workflow's limits.
type PairingConfig struct {
	// ExpiryDays is how long a pending request waits for an answer.
	ExpiryDays int
	// OpenRequestCap is how many pending requests an organisation may have
	// asked for at once.
	OpenRequestCap int
	// FollowUpDays is how long after an agreement both sides are asked how
	// it went.
	FollowUpDays int
	// DigestItems is how many new matches a weekly digest lists at most.
	DigestItems int
}

// DefaultPairingConfig returns the defaults: two weeks to answer, 20 open
// requests, a follow-up after about six months and five matches a digest.
func DefaultPairingConfig() PairingConfig {
	return PairingConfig{ExpiryDays: 14, OpenRequestCap: 20, FollowUpDays: 182, DigestItems: 5}
}

// Validate checks the limits, naming the bad one.
func (c PairingConfig) Validate() error {
	var f Fields
	between := func(field string, v, lo, hi int) {
		if v < lo || v > hi {
			f.Add(field, FieldRange, "must be between %d and %d", lo, hi)
		}
	}
	between("pairing.expiry_days", c.ExpiryDays, 1, 365)
	between("pairing.open_request_cap", c.OpenRequestCap, 1, 10000)
	between("pairing.follow_up_days", c.FollowUpDays, 1, 3650)
	between("pairing.digest_items", c.DigestItems, 1, 50)
	return f.Err()
}

func (s *Service) expiry(from time.Time) *time.Time {
	t := from.Add(time.Duration(s.Config.Pairing.ExpiryDays) * 24 * time.Hour)
	return &t
}

// ProposeInput asks for a pairing between a record of the proposing side (A)
// and a record of another organisation (B).
type ProposeInput struct {
	// Source is the proposing side's record: "org" or a listing kind, and its ID.
	Source RecordRef `json:"source"`
	// Target is the other organisation's record.
	Target RecordRef `json:"target"`
	// Message says why; required when a user asks.
	Message string `json:"message,omitempty"`
	// Score is the match score shown when the pairing was asked for (0–100).
	Score float64 `json:"score,omitempty"`
	// Origin is OriginUser for the API; the batch proposals use OriginEngine.
	Origin PairingOrigin `json:"-"`
}

// ProposePairing makes a pairing. A user (a member of the source record's
// organisation) asks with a message: the pairing starts interested, counts
// against the organisation's cap of open requests and waits for the other
// side. The engine (the system, or an admin whose scope covers both
// parties) proposes: the pairing starts proposed and waits for either side.
// It returns ECONFLICT if the two records already have an open pairing or
// the cap is reached.
func (s *Service) ProposePairing(ctx context.Context, a *Actor, in ProposeInput) (*Pairing, error) {
	if a == nil || a.UserID == "" && !a.System {
		return nil, Errorf(EUNAUTHORIZED, "log in first")
	}
	if in.Origin == "" {
		in.Origin = OriginUser
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	srcOrg, srcTitle, err := s.pairingRecord(ctx, a, "source", in.Source)
	if err != nil {
		return nil, err
	}
	dstOrg, dstTitle, err := s.pairingRecord(ctx, a, "target", in.Target)
	if err != nil {
		return nil, err
	}
	switch in.Origin {
	case OriginUser:
		if !a.MemberOf(srcOrg.ID) {
			return nil, Invalid("source", FieldNotAllow, "must be a record of your own organisation")
		}
	case OriginEngine:
		if !a.System && !(a.AdminOf(srcOrg.Region) && a.AdminOf(dstOrg.Region)) {
			return nil, errForbidden
		}
	}
	if srcOrg.ID == dstOrg.ID {
		return nil, Invalid("target", FieldNotAllow, "must belong to another organisation")
	}
	// The checks below and the write are one step for the asking
	// organisation, so that requests sent at the same moment cannot pass
	// the cap or the duplicate check together (within this process).
	unlock := pairingLocks.lock(srcOrg.ID)
	defer unlock()
	if err := s.checkNoOpenPairing(ctx, in, srcOrg.ID, dstOrg.ID); err != nil {
		return nil, err
	}
	now := s.now()
	p := &Pairing{ID: NewID(), Kind: pairingKindOf(in.Source.Kind), Origin: in.Origin, Score: in.Score,
		A:      PairingParty{OrgID: srcOrg.ID, Name: srcOrg.Name, Region: srcOrg.Region, Record: RecordRef{Kind: in.Source.Kind, ID: in.Source.ID, Title: srcTitle}},
		B:      PairingParty{OrgID: dstOrg.ID, Name: dstOrg.Name, Region: dstOrg.Region, Record: RecordRef{Kind: in.Target.Kind, ID: in.Target.ID, Title: dstTitle}},
		Status: PairingProposed, ExpiresAt: s.expiry(now), CreatedAt: now, UpdatedAt: now,
		RegionKeys: pairingRegionKeys(srcOrg.Region, dstOrg.Region)}
	p.History = []PairingEvent{{At: now, By: a.UserID, To: PairingProposed}}
	if in.Origin == OriginUser {
		if err := s.checkCap(ctx, srcOrg.ID); err != nil {
			return nil, err
		}
		ev := PairingEvent{At: now, By: a.UserID, Side: SideA, From: PairingProposed, To: PairingInterested, Message: cleanText(in.Message)}
		p.History[0].Side = SideA
		p.History = append(p.History, ev)
		p.Status, p.Requester = PairingInterested, SideA
	}
	if err := s.Store.CreatePairing(ctx, p); err != nil {
		return nil, err
	}
	ev := p.History[len(p.History)-1]
	s.notifyOrg(ctx, p.B.OrgID, NotifyPairing, p, transitionMessage(p, ev, &p.A))
	if in.Origin == OriginEngine {
		s.notifyOrg(ctx, p.A.OrgID, NotifyPairing, p, transitionMessage(p, ev, &p.B))
	}
	return p, nil
}

func (in *ProposeInput) validate() error {
	var f Fields
	for _, r := range []struct {
		field string
		ref   RecordRef
	}{{"source", in.Source}, {"target", in.Target}} {
		switch {
		case r.ref.Kind == "":
			f.Add(r.field+".kind", FieldRequired, "is required")
		case r.ref.Kind != "org" && !Kind(r.ref.Kind).Valid():
			f.Add(r.field+".kind", FieldUnknown, "must be org or a listing kind")
		}
		if r.ref.ID == "" {
			f.Add(r.field+".id", FieldRequired, "is required")
		} else if !ValidID(r.ref.ID) {
			f.Add(r.field+".id", FieldFormat, "is not a record ID")
		}
	}
	optionalText(&f, "message", in.Message, MaxPairingMessageRunes)
	switch in.Origin {
	case OriginUser:
		if len(f) == 0 && in.Message == "" {
			f.Add("message", FieldRequired, "say why you ask for this pairing")
		}
	case OriginEngine:
	default:
		f.Add("origin", FieldUnknown, "must be user or engine")
	}
	if in.Score < 0 || in.Score > 100 || in.Score != in.Score {
		f.Add("score", FieldRange, "must be between 0 and 100")
	}
	return f.Err()
}

// pairingRecord loads a record named in a proposal with its organisation:
// EINVALID naming the field if it does not exist or the actor may not see it.
func (s *Service) pairingRecord(ctx context.Context, a *Actor, field string, r RecordRef) (*Org, string, error) {
	missing := Invalid(field, FieldUnknown, "is not a record you can see")
	if r.Kind == "org" {
		o, err := s.findOrg(ctx, r.ID)
		if ErrorCode(err) == ENOTFOUND || err == nil && !canSeeOrg(a, o) {
			return nil, "", missing
		}
		if err != nil {
			return nil, "", err
		}
		return o, o.Name, nil
	}
	l, err := s.findListing(ctx, r.ID)
	if ErrorCode(err) == ENOTFOUND || err == nil && (!canSeeListing(a, l) || string(l.Kind) != r.Kind) {
		return nil, "", missing
	}
	if err != nil {
		return nil, "", err
	}
	o, err := s.Store.FindOrg(ctx, l.OrgID)
	if err != nil {
		return nil, "", err
	}
	return o, l.Title, nil
}

// openStatuses are the statuses in which a pairing is still going on.
var openStatuses = []PairingStatus{PairingProposed, PairingInterested, PairingAccepted, PairingMeeting, PairingNegotiating}

// checkNoOpenPairing refuses a second open pairing of the same two records.
// The engine also refuses a second open pairing of the source record with
// the target's organisation: its best-fitting record of that organisation
// may change from one weekly run to the next, and the organisation should
// not be proposed the same record twice.
func (s *Service) checkNoOpenPairing(ctx context.Context, in ProposeInput, srcOrg, dstOrg string) error {
	src, dst := in.Source, in.Target
	return s.eachPairing(ctx, PairingFilter{OrgID: srcOrg, Statuses: openStatuses}, func(p *Pairing) error {
		same := func(x, y RecordRef) bool { return x.Kind == y.Kind && x.ID == y.ID }
		sameOrg := in.Origin == OriginEngine && (same(p.A.Record, src) && p.B.OrgID == dstOrg || same(p.B.Record, src) && p.A.OrgID == dstOrg)
		if sameOrg || same(p.A.Record, src) && same(p.B.Record, dst) || same(p.A.Record, dst) && same(p.B.Record, src) {
			return &Error{Code: ECONFLICT, Message: "these records already have an open pairing",
				Fields: []FieldError{{Field: "target", Code: FieldTaken, Message: "already paired with the source: pairing " + p.ID}}}
		}
		return nil
	})
}

// checkCap refuses a request beyond the organisation's cap of open requests.
func (s *Service) checkCap(ctx context.Context, orgID string) error {
	n, err := s.Store.CountOpenOutgoing(ctx, orgID, s.now())
	if err != nil {
		return err
	}
	if limit := s.Config.Pairing.OpenRequestCap; n >= limit {
		return &Error{Code: ECONFLICT, Message: "your organisation has reached its cap of open requests",
			Fields: []FieldError{{Field: "source", Code: FieldRange,
				Message: "your organisation already has " + strconv.Itoa(n) + " open requests; the cap is " + strconv.Itoa(limit) + " until some are answered, withdrawn or expire"}}}
	}
	return nil
}

// keyedLocks serialises work per key (an organisation ID).
type keyedLocks struct {
	mu    sync.Mutex
	locks map[string]*keyedLock
}

type keyedLock struct {
	sync.Mutex
	users int
}

// pairingLocks serialises the new pairings of each asking organisation.
var pairingLocks = &keyedLocks{locks: map[string]*keyedLock{}}

// lock takes key's lock and returns the function that releases it.
func (k *keyedLocks) lock(key string) func() {
	k.mu.Lock()
	l := k.locks[key]
	if l == nil {
		l = &keyedLock{}
		k.locks[key] = l
	}
	l.users++
	k.mu.Unlock()
	l.Lock()
	return func() {
		l.Unlock()
		k.mu.Lock()
		if l.users--; l.users == 0 {
			delete(k.locks, key)
		}
		k.mu.Unlock()
	}
}

// eachPairing pages through the pairings a filter selects.
func (s *Service) eachPairing(ctx context.Context, f PairingFilter, fn func(*Pairing) error) error {
	p := Page{Limit: MaxPageLimit}
	for {
		ps, err := s.Store.ListPairings(ctx, f, p)
		if err != nil {
			return err
		}
		for _, x := range ps {
			if err := fn(x); err != nil {
				return err
			}
		}
		if len(ps) < p.Limit {
			return nil
		}
		p.After = ps[len(ps)-1].ID
	}
}

// pairingRegionKeys returns both regions with their ancestors.
func pairingRegionKeys(a, b string) []string {
	keys := RegionKeys(a)
	for _, k := range RegionKeys(b) {
		if !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

// canSeePairing: the two sides and admins whose scope covers either.
func canSeePairing(a *Actor, p *Pairing) bool {
	return a.MemberOf(p.A.OrgID) || a.MemberOf(p.B.OrgID) || a.AdminOf(p.A.Region) || a.AdminOf(p.B.Region)
}

// GetPairing returns a pairing with its history; ENOTFOUND if it does not
// exist or the actor is neither a side nor an admin in scope. A pending
// pairing past its expiry is expired first.
func (s *Service) GetPairing(ctx context.Context, a *Actor, id string) (*Pairing, error) {
	p, err := s.findPairing(ctx, id)
	if err != nil {
		return nil, err
	}
	if !canSeePairing(a, p) {
		return nil, Errorf(ENOTFOUND, "pairing not found")
	}
	return s.expireIfDue(ctx, p)
}

func (s *Service) findPairing(ctx context.Context, id string) (*Pairing, error) {
	if !ValidID(id) {
		return nil, Errorf(ENOTFOUND, "pairing not found")
	}
	return s.Store.FindPairing(ctx, id)
}

// ListPairings lists the pairings of the actor's organisation, or for
// admins every pairing with a party in their scope, newest first.
func (s *Service) ListPairings(ctx context.Context, a *Actor, f PairingFilter, p Page) ([]*Pairing, error) {
	if a == nil || a.UserID == "" && !a.System {
		return nil, Errorf(EUNAUTHORIZED, "log in first")
	}
	if err := checkFilterCodes(f.Region, ""); err != nil {
		return nil, err
	}
	f.ExpiredBy, f.AgreedBefore = nil, nil
	switch {
	case a.Admin() && a.RegionScope == "":
	case a.Admin():
		if f.Region == "" {
			f.Region = a.RegionScope
		} else if !ref.RegionCovers(a.RegionScope, f.Region) {
			return []*Pairing{}, nil
		}
	case a.OrgID == "":
		return []*Pairing{}, nil
	default:
		f.OrgID = a.OrgID
	}
	ps, err := s.Store.ListPairings(ctx, f, clampPage(p))
	if err != nil {
		return nil, err
	}
	for i, x := range ps {
		if ps[i], err = s.expireIfDue(ctx, x); err != nil {
			return nil, err
		}
	}
	return ps, nil
}

// TransitionPairing moves a pairing on. An illegal move, or one the actor
// may not make, is ECONFLICT listing the moves the actor may make; so is a
// move that lost a race with another answer (exactly one of concurrent
// answers lands).
func (s *Service) TransitionPairing(ctx context.Context, a *Actor, id string, in TransitionInput) (*Pairing, error) {
	if a == nil || a.UserID == "" && !a.System {
		return nil, Errorf(EUNAUTHORIZED, "log in first")
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	p, err := s.GetPairing(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if in.Version != 0 && in.Version != p.Version {
		return nil, s.stale(p, a)
	}
	if err := checkPairingMove(p, a, in.To); err != nil {
		return nil, err
	}
	ev := s.apply(p, a, in)
	if err := s.Store.UpdatePairing(ctx, p); ErrorCode(err) == ECONFLICT {
		cur, ferr := s.Store.FindPairing(ctx, id)
		if ferr != nil {
			return nil, ferr
		}
		return nil, s.stale(cur, a)
	} else if err != nil {
		return nil, err
	}
	s.notifyMove(ctx, p, ev)
	return p, nil
}

// stale is the ECONFLICT of a move made on an old version of a pairing.
func (s *Service) stale(p *Pairing, a *Actor) error {
	return &Error{Code: ECONFLICT, Message: "the pairing changed meanwhile; it is now " + string(p.Status),
		Fields:  []FieldError{{Field: "version", Code: FieldNotAllow, Message: "the pairing is now at version " + strconv.FormatInt(p.Version, 10)}},
		Allowed: allowedNames(p, a)}
}

// apply makes a legal move on p in memory and returns its history event.
func (s *Service) apply(p *Pairing, a *Actor, in TransitionInput) PairingEvent {
	now := s.now()
	ev := PairingEvent{At: now, By: a.UserID, Side: p.SideOf(a.OrgID), From: p.Status, To: in.To,
		Message: cleanText(in.Message), Reason: in.Reason, Outcome: in.Outcome}
	if a.System {
		ev.Side = ""
	}
	switch in.To {
	case PairingInterested:
		p.Requester, p.ExpiresAt = ev.Side, s.expiry(now)
	case PairingDeclined:
		p.Reason, p.ReasonText = in.Reason, ev.Message
	case PairingAgreed:
		p.Outcome, p.AgreedAt = in.Outcome, &now
	}
	if !in.To.Pending() {
		p.ExpiresAt = nil
	}
	p.Status, p.UpdatedAt = in.To, now
	p.History = append(p.History, ev)
	return ev
}

// notifyMove tells the side that did not move (both sides when an admin or
// the system did).
func (s *Service) notifyMove(ctx context.Context, p *Pairing, ev PairingEvent) {
	if ev.Side == "" {
		by := &PairingParty{Name: "平台 (platform)"}
		for _, side := range []Side{SideA, SideB} {
			s.notifyOrg(ctx, p.Party(side).OrgID, NotifyPairing, p, transitionMessage(p, ev, by))
		}
		return
	}
	s.notifyOrg(ctx, p.Party(ev.Side.other()).OrgID, NotifyPairing, p, transitionMessage(p, ev, p.Party(ev.Side)))
}

// expireIfDue expires a pending pairing past its expiry and returns the
// pairing as it now is.
func (s *Service) expireIfDue(ctx context.Context, p *Pairing) (*Pairing, error) {
	if !p.Status.Pending() || p.ExpiresAt == nil || s.now().Before(*p.ExpiresAt) {
		return p, nil
	}
	ev := s.apply(p, SystemActor(), TransitionInput{To: PairingExpired})
	err := s.Store.UpdatePairing(ctx, p)
	if ErrorCode(err) == ECONFLICT {
		// Someone answered or expired it first; show what they left.
		return s.Store.FindPairing(ctx, p.ID)
	}
	if err != nil {
		return nil, err
	}
	s.notifyMove(ctx, p, ev)
	return p, nil
}

// ExpirePairings expires every pending pairing past its expiry and returns
// how many it expired. The server runs it periodically; reads expire what
// it has not reached yet.
func (s *Service) ExpirePairings(ctx context.Context) (int, error) {
	now := s.now()
	var due []*Pairing
	err := s.eachPairing(ctx, PairingFilter{Statuses: PendingStatuses, ExpiredBy: &now}, func(p *Pairing) error {
		due = append(due, p)
		return nil
	})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, p := range due {
		q, err := s.expireIfDue(ctx, p)
		if err != nil {
			return n, err
		}
		if q == p && q.Status == PairingExpired {
			n++
		}
	}
	return n, nil
}

// pairingFeeds holds what the matching engine reads of the pairing
// workflow. One match asks about hundreds of organisations, one store read
// each would cost tens of milliseconds, and a discount or a score part a
// minute old serves as well: so every organisation's numbers are read at
// once and kept for a while.
type pairingFeeds struct {
	mu      sync.Mutex
	openAt  time.Time
	open    map[string]int
	statsAt time.Time
	stats   map[string]ResponseStats
}

// pairingFeeds returns the service's feeds; a Service made without
// NewService keeps none between calls.
func (s *Service) pairingFeeds() *pairingFeeds {
	if s.feeds == nil {
		return &pairingFeeds{}
	}
	return s.feeds
}

// How long the feeds are kept.
const (
	openFeedTTL  = time.Minute
	statsFeedTTL = 10 * time.Minute
)

// stale reports whether a feed read at at is due for a new read at now.
func stale(at, now time.Time, ttl time.Duration) bool {
	return at.IsZero() || now.Sub(at) >= ttl || now.Before(at)
}

// OpenIncoming returns how many pending requests wait for an organisation,
// as of at most a minute ago; the matching engine's congestion discount
// reads it.
func (s *Service) OpenIncoming(ctx context.Context, orgID string) (int, error) {
	f := s.pairingFeeds()
	f.mu.Lock()
	defer f.mu.Unlock()
	if now := s.now(); stale(f.openAt, now, openFeedTTL) {
		open, err := s.Store.OpenIncomingCounts(ctx, now)
		if err != nil {
			return 0, err
		}
		f.open, f.openAt = open, now
	}
	return f.open[orgID], nil
}

// Responsiveness returns the share of the requests an organisation was asked
// that it answered, and how many that share is of, as of at most ten
// minutes ago; the matching engine's responsiveness part reads it.
func (s *Service) Responsiveness(ctx context.Context, orgID string) (float64, int, error) {
	f := s.pairingFeeds()
	f.mu.Lock()
	defer f.mu.Unlock()
	if now := s.now(); stale(f.statsAt, now, statsFeedTTL) {
		stats, err := s.Store.AllResponseStats(ctx)
		if err != nil {
			return 0, 0, err
		}
		f.stats, f.statsAt = stats, now
	}
	st := f.stats[orgID]
	if st.Received == 0 {
		return 0, 0, nil
	}
	return float64(st.Answered) / float64(st.Received), st.Received, nil
}
