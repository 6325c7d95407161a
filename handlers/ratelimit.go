package handlers

import (
	"math"
	"sync"
	"time"

	"github.com/rongtong/rongtong/app"
)

// limiter is a set of in-memory token buckets, one per key: each holds up to
// burst tokens and refills evenly, burst tokens per window. It lives in one
// process; behind a load balancer each node limits on its own.
type limiter struct {
	mu      sync.Mutex
	burst   float64
	perSec  float64
	now     func() time.Time
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// maxBuckets is when the limiter starts forgetting full buckets.
const maxBuckets = 10_000

func newLimiter(burst int, window time.Duration, now func() time.Time) *limiter {
	return &limiter{burst: float64(burst), perSec: float64(burst) / window.Seconds(), now: now, buckets: map[string]*bucket{}}
}

// refill returns the key's bucket with its tokens brought up to now.
func (l *limiter) refill(key string, now time.Time) *bucket {
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= maxBuckets {
			l.sweep(now)
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
		return b
	}
	if d := now.Sub(b.last).Seconds(); d > 0 {
		b.tokens = math.Min(l.burst, b.tokens+d*l.perSec)
		b.last = now
	}
	return b
}

// sweep forgets the buckets that have refilled: they hold no information.
func (l *limiter) sweep(now time.Time) {
	for k, b := range l.buckets {
		if b.tokens+now.Sub(b.last).Seconds()*l.perSec >= l.burst {
			delete(l.buckets, k)
		}
	}
}

// wait returns how long until the key's bucket holds a token; 0 if it does.
func (l *limiter) wait(key string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.refill(key, l.now())
	if b.tokens >= 1 {
		return 0
	}
	return time.Duration((1 - b.tokens) / l.perSec * float64(time.Second))
}

// take spends a token of the key's bucket if it has one, else returns how
// long until it will.
func (l *limiter) take(key string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.refill(key, l.now())
	if b.tokens >= 1 {
		b.tokens--
		return 0
	}
	return time.Duration((1 - b.tokens) / l.perSec * float64(time.Second))
}

// spend takes a token whether or not one is left (a failure that happened).
func (l *limiter) spend(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.refill(key, l.now())
	b.tokens = math.Max(b.tokens-1, 0)
}

// reset forgets a key, e.g. after a successful login.
func (l *limiter) reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.buckets, key)
}

// errRateLimited is the 429 answer, with the seconds to wait.
func errRateLimited(wait time.Duration, what string) error {
	secs := int(math.Ceil(wait.Seconds()))
	if secs < 1 {
		secs = 1
	}
	return &app.Error{Code: app.ERATELIMIT, Message: "too many " + what + "; try again later", RetryAfter: secs}
}
