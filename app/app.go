// Package app is Rongtong's domain: the entities that organisations publish and
// match on, their validation, the error type every layer speaks, and the
// interfaces that the storage and search adapters implement.
//
// Nothing here imports an adapter; cmd/rongtong wires adapters to the use cases.
package app

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"
)

// Clock tells the time; tests inject a fixed or stepping clock.
type Clock func() time.Time

// SystemClock is the wall clock in UTC.
func SystemClock() time.Time { return time.Now().UTC() }

var idState struct {
	sync.Mutex
	last int64
}

// NewID returns a 24-character lower-case hex identifier whose first 12
// characters are a strictly increasing microsecond counter, so IDs sort in
// creation order (cursor pagination relies on it), and whose last 12 are random.
func NewID() string {
	idState.Lock()
	now := time.Now().UnixMicro()
	if now <= idState.last {
		now = idState.last + 1
	}
	idState.last = now
	idState.Unlock()
	var b [12]byte
	for i := 5; i >= 0; i-- {
		b[i] = byte(now)
		now >>= 8
	}
	if _, err := rand.Read(b[6:]); err != nil {
		panic("app: crypto/rand failed: " + err.Error())
	}
	return hex.EncodeToString(b[:])
}

// ValidID reports whether s has the shape of an ID made by NewID. Adapters
// use it to refuse lookups with arbitrary strings early.
func ValidID(s string) bool {
	if len(s) != 24 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
