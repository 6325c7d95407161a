package mongo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/rongtong/rongtong/app"
)

// Collections of the pairing workflow.
const (
	collPairings      = "pairings"
	collNotifications = "notifications"
	collJobRuns       = "jobRuns"
)

func (s *Store) pairingColl() *mongo.Collection      { return s.db.Collection(collPairings) }
func (s *Store) notificationColl() *mongo.Collection { return s.db.Collection(collNotifications) }
func (s *Store) jobRunColl() *mongo.Collection       { return s.db.Collection(collJobRuns) }

// pairingIndexes are the indexes of the pairing workflow's collections.
func (s *Store) pairingIndexes() []index {
	one := func(name string) bson.D { return bson.D{{Key: name, Value: 1}} }
	p, n := s.pairingColl(), s.notificationColl()
	return []index{
		{p, "a.orgId_1", one("a.orgId"), false},
		{p, "b.orgId_1", one("b.orgId"), false},
		{p, "requesterOrg_1_status_1", bson.D{{Key: "requesterOrg", Value: 1}, {Key: "status", Value: 1}}, false},
		{p, "expiresAt_1", one("expiresAt"), false},
		{p, "agreedAt_1", one("agreedAt"), false},
		{p, "regionKeys_1", one("regionKeys"), false},
		{n, "userId_1_readAt_1", bson.D{{Key: "userId", Value: 1}, {Key: "readAt", Value: 1}}, false},
	}
}

// pairingDoc is a pairing as stored: the pairing plus the organisation that
// asked, which the request counts filter on.
type pairingDoc struct {
	app.Pairing  `bson:",inline"`
	RequesterOrg string `bson:"requesterOrg,omitempty"`
}

func newPairingDoc(p *app.Pairing) pairingDoc {
	p.CreatedAt, p.UpdatedAt = msTime(p.CreatedAt), msTime(p.UpdatedAt)
	msTimePtr(&p.ExpiresAt)
	msTimePtr(&p.AgreedAt)
	msTimePtr(&p.FollowUpAt)
	for i := range p.History {
		p.History[i].At = msTime(p.History[i].At)
	}
	return pairingDoc{Pairing: *p, RequesterOrg: p.RequesterOrg()}
}

// CreatePairing stores a new pairing with Version 1; ECONFLICT if the ID is taken.
func (s *Store) CreatePairing(ctx context.Context, p *app.Pairing) error {
	if p.ID == "" {
		p.ID = app.NewID()
	}
	p.Version = 1
	if _, err := s.pairingColl().InsertOne(ctx, newPairingDoc(p)); err != nil {
		if isUniqueViolation(err) {
			return fmt.Errorf("%w: %w", conflictError("id", "is already used by another pairing"), err)
		}
		return fmt.Errorf("mongo: create pairing: %w", err)
	}
	return nil
}

// FindPairing returns ENOTFOUND if no pairing has the ID.
func (s *Store) FindPairing(ctx context.Context, id string) (*app.Pairing, error) {
	if !app.ValidID(id) {
		return nil, notFound("pairing")
	}
	var d pairingDoc
	err := s.pairingColl().FindOne(ctx, byID(id)).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, notFound("pairing")
	}
	if err != nil {
		return nil, fmt.Errorf("mongo: find pairing: %w", err)
	}
	return &d.Pairing, nil
}

// UpdatePairing replaces the pairing if its stored version is p.Version and
// moves p to the next version; ECONFLICT if another write came first. The
// version in the filter makes the replacement a compare-and-set on MongoDB;
// on FerretDB, whose updates read and write in separate transactions, the
// store's read-modify-write lock makes it one (see Store.ferret).
func (s *Store) UpdatePairing(ctx context.Context, p *app.Pairing) error {
	if !app.ValidID(p.ID) {
		return notFound("pairing")
	}
	old := p.Version
	p.Version = old + 1
	unlock := s.lockRMW()
	defer unlock()
	filter := bson.D{{Key: "_id", Value: p.ID}, {Key: "version", Value: old}}
	res, err := s.pairingColl().ReplaceOne(ctx, filter, newPairingDoc(p))
	if err == nil && res.MatchedCount == 1 {
		return nil
	}
	p.Version = old
	if err != nil {
		return fmt.Errorf("mongo: update pairing: %w", err)
	}
	n, err := s.pairingColl().CountDocuments(ctx, byID(p.ID), options.Count().SetLimit(1))
	if err != nil {
		return fmt.Errorf("mongo: update pairing: %w", err)
	}
	if n == 0 {
		return notFound("pairing")
	}
	return app.Errorf(app.ECONFLICT, "the pairing changed meanwhile")
}

// ListPairings returns pairings newest first.
func (s *Store) ListPairings(ctx context.Context, f app.PairingFilter, p app.Page) ([]*app.Pairing, error) {
	var conds []bson.D
	if f.OrgID != "" {
		conds = append(conds, bson.D{{Key: "$or", Value: bson.A{eq("a.orgId", f.OrgID), eq("b.orgId", f.OrgID)}}})
	}
	if len(f.Statuses) > 0 {
		conds = append(conds, in("status", f.Statuses))
	}
	if len(f.Kinds) > 0 {
		conds = append(conds, in("kind", f.Kinds))
	}
	if f.Region != "" {
		conds = append(conds, eq("regionKeys", f.Region))
	}
	if f.ExpiredBy != nil {
		conds = append(conds, cmp("expiresAt", "$lte", msTime(*f.ExpiredBy)))
	}
	if f.AgreedBefore != nil {
		conds = append(conds, eq("status", app.PairingAgreed), cmp("agreedAt", "$lt", msTime(*f.AgreedBefore)), eq("followUpAt", nil))
	}
	if f.CreatedSince != nil {
		conds = append(conds, cmp("createdAt", "$gte", msTime(*f.CreatedSince)))
	}
	if p.After != "" {
		conds = append(conds, cmp("_id", "$lt", p.After))
	}
	var docs []pairingDoc
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}).SetLimit(pageLimit(p))
	if err := findAll(ctx, s.pairingColl(), and(conds), &docs, opts); err != nil {
		return nil, fmt.Errorf("mongo: list pairings: %w", err)
	}
	out := make([]*app.Pairing, len(docs))
	for i := range docs {
		out[i] = &docs[i].Pairing
	}
	return out, nil
}

// pendingConds select the pending pairings that do not expire before now.
func pendingConds(now time.Time) []bson.D {
	return []bson.D{in("status", app.PendingStatuses), cmp("expiresAt", "$gt", msTime(now))}
}

func (s *Store) countPairings(ctx context.Context, conds []bson.D) (int, error) {
	n, err := s.pairingColl().CountDocuments(ctx, and(conds))
	if err != nil {
		return 0, fmt.Errorf("mongo: count pairings: %w", err)
	}
	return int(n), nil
}

// CountOpenOutgoing counts the pending pairings the organisation asked for.
func (s *Store) CountOpenOutgoing(ctx context.Context, orgID string, now time.Time) (int, error) {
	if orgID == "" {
		return 0, nil
	}
	return s.countPairings(ctx, append(pendingConds(now), eq("requesterOrg", orgID)))
}

// partyOf selects the pairings the organisation is a party of.
func partyOf(orgID string) bson.D {
	return bson.D{{Key: "$or", Value: bson.A{eq("a.orgId", orgID), eq("b.orgId", orgID)}}}
}

// CountOpenIncoming counts the pending pairings waiting for the organisation.
func (s *Store) CountOpenIncoming(ctx context.Context, orgID string, now time.Time) (int, error) {
	if orgID == "" {
		return 0, nil
	}
	// {requesterOrg: {$ne: x}} also matches documents without the field.
	return s.countPairings(ctx, append(pendingConds(now), partyOf(orgID), cmp("requesterOrg", "$ne", orgID)))
}

// PairingResponseStats counts how the organisation answered requests.
func (s *Store) PairingResponseStats(ctx context.Context, orgID string) (app.ResponseStats, error) {
	var st app.ResponseStats
	if orgID == "" {
		return st, nil
	}
	asked := []bson.D{partyOf(orgID), cmp("requesterOrg", "$exists", true), cmp("requesterOrg", "$ne", orgID),
		cmp("status", "$nin", bson.A{app.PairingProposed, app.PairingInterested, app.PairingWithdrawn})}
	var err error
	if st.Received, err = s.countPairings(ctx, asked); err != nil {
		return st, err
	}
	if st.Answered, err = s.countPairings(ctx, append(asked, cmp("status", "$ne", app.PairingExpired))); err != nil {
		return st, err
	}
	return st, nil
}

// CreateNotifications stores inbox entries.
func (s *Store) CreateNotifications(ctx context.Context, ns []*app.Notification) error {
	if len(ns) == 0 {
		return nil
	}
	docs := make([]any, len(ns))
	for i, n := range ns {
		if n.ID == "" {
			n.ID = app.NewID()
		}
		n.CreatedAt = msTime(n.CreatedAt)
		msTimePtr(&n.ReadAt)
		docs[i] = n
	}
	if _, err := s.notificationColl().InsertMany(ctx, docs); err != nil {
		return fmt.Errorf("mongo: create notifications: %w", err)
	}
	return nil
}

// ListNotifications returns a user's inbox newest first.
func (s *Store) ListNotifications(ctx context.Context, userID string, unread bool, p app.Page) ([]*app.Notification, error) {
	conds := []bson.D{eq("userId", userID)}
	if unread {
		conds = append(conds, eq("readAt", nil))
	}
	if p.After != "" {
		conds = append(conds, cmp("_id", "$lt", p.After))
	}
	var out []*app.Notification
	opts := options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}).SetLimit(pageLimit(p))
	if err := findAll(ctx, s.notificationColl(), and(conds), &out, opts); err != nil {
		return nil, fmt.Errorf("mongo: list notifications: %w", err)
	}
	return out, nil
}

// CountUnread counts a user's unread entries.
func (s *Store) CountUnread(ctx context.Context, userID string) (int, error) {
	n, err := s.notificationColl().CountDocuments(ctx, and([]bson.D{eq("userId", userID), eq("readAt", nil)}))
	if err != nil {
		return 0, fmt.Errorf("mongo: count unread: %w", err)
	}
	return int(n), nil
}

// MarkRead marks the user's entries read; all of them when ids is empty.
func (s *Store) MarkRead(ctx context.Context, userID string, ids []string, now time.Time) (int, error) {
	conds := []bson.D{eq("userId", userID), eq("readAt", nil)}
	if len(ids) > 0 {
		conds = append(conds, in("_id", ids))
	}
	res, err := s.notificationColl().UpdateMany(ctx, and(conds),
		bson.D{{Key: "$set", Value: bson.D{{Key: "readAt", Value: msTime(now)}}}})
	if err != nil {
		return 0, fmt.Errorf("mongo: mark read: %w", err)
	}
	return int(res.ModifiedCount), nil
}

// jobRun records one claimed job run.
type jobRun struct {
	Key string    `bson:"_id"`
	At  time.Time `bson:"at"`
}

// ClaimJob records a job run; false if its key was claimed before.
func (s *Store) ClaimJob(ctx context.Context, key string, now time.Time) (bool, error) {
	_, err := s.jobRunColl().InsertOne(ctx, jobRun{Key: key, At: msTime(now)})
	if isUniqueViolation(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("mongo: claim job: %w", err)
	}
	return true, nil
}

// partiesDoc is the projection the bulk counts read.
type partiesDoc struct {
	A struct {
		OrgID string `bson:"orgId"`
	} `bson:"a"`
	B struct {
		OrgID string `bson:"orgId"`
	} `bson:"b"`
	Status       app.PairingStatus `bson:"status"`
	RequesterOrg string            `bson:"requesterOrg"`
}

func (s *Store) parties(ctx context.Context, filter bson.D) ([]partiesDoc, error) {
	var docs []partiesDoc
	proj := bson.D{{Key: "a.orgId", Value: 1}, {Key: "b.orgId", Value: 1}, {Key: "status", Value: 1}, {Key: "requesterOrg", Value: 1}}
	if err := findAll(ctx, s.pairingColl(), filter, &docs, options.Find().SetProjection(proj)); err != nil {
		return nil, fmt.Errorf("mongo: read pairings: %w", err)
	}
	return docs, nil
}

// OpenIncomingCounts counts the pending requests waiting for each
// organisation: the pending pairings are read (a few fields of each) and
// counted here, which FerretDB can do as well as MongoDB.
func (s *Store) OpenIncomingCounts(ctx context.Context, now time.Time) (map[string]int, error) {
	docs, err := s.parties(ctx, and(pendingConds(now)))
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, d := range docs {
		for _, org := range []string{d.A.OrgID, d.B.OrgID} {
			if org != d.RequesterOrg {
				out[org]++
			}
		}
	}
	return out, nil
}

// AllResponseStats counts how every organisation answered requests.
func (s *Store) AllResponseStats(ctx context.Context) (map[string]app.ResponseStats, error) {
	docs, err := s.parties(ctx, and([]bson.D{cmp("requesterOrg", "$exists", true),
		cmp("status", "$nin", bson.A{app.PairingProposed, app.PairingInterested, app.PairingWithdrawn})}))
	if err != nil {
		return nil, err
	}
	out := map[string]app.ResponseStats{}
	for _, d := range docs {
		org := d.A.OrgID
		if d.RequesterOrg == org {
			org = d.B.OrgID
		}
		st := out[org]
		st.Received++
		if d.Status != app.PairingExpired {
			st.Answered++
		}
		out[org] = st
	}
	return out, nil
}
