package mongo

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/rongtong/rongtong/app"
)

// Names of the unique indexes, which conflict errors are traced back to.
const (
	idxRef   = "ref_1"
	idxUSCC  = "uscc_1"
	idxEmail = "emailLower_1"
	idxPhone = "phone_1"
)

// uniqueKey is a unique index and the input field it guards.
type uniqueKey struct {
	index string // index name
	key   string // document key
	field string // the field as the API names it
}

var (
	orgKeys     = []uniqueKey{{idxRef, "ref", "ref"}, {idxUSCC, "uscc", "uscc"}}
	listingKeys = []uniqueKey{{idxRef, "ref", "ref"}}
	userKeys    = []uniqueKey{{idxEmail, "emailLower", "email"}, {idxPhone, "phone", "phone"}}
)

// conflictError is the ECONFLICT error for a taken value of field.
func conflictError(field, message string) *app.Error {
	return &app.Error{
		Code:    app.ECONFLICT,
		Message: field + " is already taken",
		Fields:  []app.FieldError{{Field: field, Code: app.FieldTaken, Message: message}},
	}
}

// indexInMessage returns the unique key whose index a server error message
// names. MongoDB says "E11000 duplicate key error collection: db.orgs index:
// uscc_1 dup key: {…}". FerretDB 1.24 names no index on inserts, but an update
// that breaks a unique index fails with SQLite's "UNIQUE constraint failed:
// index 'orgs_1a2b3c4d_uscc_1'" (as an InternalError, not a duplicate key).
func indexInMessage(msg string, keys []uniqueKey) (uniqueKey, bool) {
	for _, k := range keys {
		if strings.Contains(msg, "index: "+k.index+" ") || strings.HasSuffix(msg, "index: "+k.index) ||
			strings.Contains(msg, "_"+k.index+"'") {
			return k, true
		}
	}
	return uniqueKey{}, false
}

// isUniqueViolation reports whether err is a write refused by a unique index,
// whichever way the server says so.
func isUniqueViolation(err error) bool {
	if mongo.IsDuplicateKeyError(err) {
		return true
	}
	var se mongo.ServerError
	return errors.As(err, &se) && se.HasErrorMessage("UNIQUE constraint failed")
}

// writeError translates the error of a write of the document with this ID
// and unique values (document key → value) into an ECONFLICT naming the
// field when a unique index refused it; other errors are wrapped as internal.
// When the server's message does not name the index it asks the database
// which value another document holds.
func (s *Store) writeError(ctx context.Context, c *mongo.Collection, op, id string, keys []uniqueKey, values map[string]string, err error) error {
	if !isUniqueViolation(err) {
		return fmt.Errorf("mongo: %s: %w", op, err)
	}
	if k, ok := indexInMessage(err.Error(), keys); ok {
		return fmt.Errorf("%w: %w", conflictError(k.field, "is already used by another record"), err)
	}
	for _, k := range keys {
		v := values[k.key]
		if v == "" {
			continue
		}
		n, perr := c.CountDocuments(ctx, and([]bson.D{eq(k.key, v), cmp("_id", "$ne", id)}), options.Count().SetLimit(1))
		if perr != nil {
			return fmt.Errorf("mongo: %s: %w (and finding the conflict: %w)", op, err, perr)
		}
		if n > 0 {
			return fmt.Errorf("%w: %w", conflictError(k.field, "is already used by another record"), err)
		}
	}
	// No unique field collides, so the ID does.
	return fmt.Errorf("%w: %w", conflictError("id", "is already used by another record"), err)
}

// batchRecord is one record of a batch write, for naming a conflict.
type batchRecord struct {
	id     string
	label  string            // how to name the record to a user, e.g. its ref
	values map[string]string // document key → unique value
}

// batchConflict finds the first record of a batch whose unique value another
// document holds and returns the ECONFLICT naming it, or nil if none does.
// It asks the database once, because neither the bulk write's error index
// (always 0 on FerretDB 1.24) nor its message reliably names the record.
func (s *Store) batchConflict(ctx context.Context, c *mongo.Collection, keys []uniqueKey, recs []batchRecord) (*app.Error, error) {
	var ors bson.A
	proj := bson.D{{Key: "_id", Value: 1}}
	for _, k := range keys {
		var vs []string
		for _, r := range recs {
			if v := r.values[k.key]; v != "" {
				vs = append(vs, v)
			}
		}
		for _, f := range s.matchAny(k.key, vs) {
			ors = append(ors, f)
		}
		proj = append(proj, bson.E{Key: k.key, Value: 1})
	}
	if len(ors) == 0 {
		return nil, nil
	}
	// One query, so FerretDB reads the collection once.
	var docs []bson.M
	if err := findAll(ctx, c, bson.D{{Key: "$or", Value: ors}}, &docs, options.Find().SetProjection(proj)); err != nil {
		return nil, err
	}
	holder := map[string]map[string]string{} // key → value → _id
	for _, k := range keys {
		holder[k.key] = map[string]string{}
	}
	for _, d := range docs {
		id, _ := d["_id"].(string)
		for _, k := range keys {
			if v, ok := d[k.key].(string); ok {
				holder[k.key][v] = id
			}
		}
	}
	for _, r := range recs {
		for _, k := range keys {
			v := r.values[k.key]
			if other, ok := holder[k.key][v]; ok && v != "" && other != r.id {
				return conflictError(k.field, fmt.Sprintf("%s: %q is already used by another record", r.label, v)), nil
			}
		}
	}
	return nil, nil
}
