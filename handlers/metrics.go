package handlers

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gofiber/fiber/v2"
)

// latencyBuckets are the upper bounds, in seconds, of the latency histogram.
var latencyBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// metrics counts requests by route template (never by raw path, which would
// let clients create series) and serves them in the Prometheus text format.
type metrics struct {
	inFlight atomic.Int64

	mu       sync.Mutex
	requests map[reqKey]uint64
	latency  map[latKey]*histogram
}

type reqKey struct {
	method, route string
	status        int
}

type latKey struct{ method, route string }

type histogram struct {
	counts []uint64 // per bucket, not cumulative
	sum    float64
	count  uint64
}

func newMetrics() *metrics {
	return &metrics{requests: map[reqKey]uint64{}, latency: map[latKey]*histogram{}}
}

func (m *metrics) observe(method, route string, status int, d time.Duration) {
	secs := d.Seconds()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[reqKey{method, route, status}]++
	h := m.latency[latKey{method, route}]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(latencyBuckets))}
		m.latency[latKey{method, route}] = h
	}
	for i, ub := range latencyBuckets {
		if secs <= ub {
			h.counts[i]++
			break
		}
	}
	h.sum += secs
	h.count++
}

// handler serves GET /metrics.
func (m *metrics) handler(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "text/plain; version=0.0.4; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Send(m.render())
}

func (m *metrics) render() []byte {
	var b bytes.Buffer
	m.mu.Lock()
	reqs := make([]reqKey, 0, len(m.requests))
	for k := range m.requests {
		reqs = append(reqs, k)
	}
	sort.Slice(reqs, func(i, j int) bool {
		a, b := reqs[i], reqs[j]
		if a.route != b.route {
			return a.route < b.route
		}
		if a.method != b.method {
			return a.method < b.method
		}
		return a.status < b.status
	})
	b.WriteString("# HELP rongtong_http_requests_total HTTP requests by method, route template and status.\n")
	b.WriteString("# TYPE rongtong_http_requests_total counter\n")
	for _, k := range reqs {
		fmt.Fprintf(&b, "rongtong_http_requests_total{method=%s,route=%s,status=\"%d\"} %d\n",
			label(k.method), label(k.route), k.status, m.requests[k])
	}
	lats := make([]latKey, 0, len(m.latency))
	for k := range m.latency {
		lats = append(lats, k)
	}
	sort.Slice(lats, func(i, j int) bool {
		if lats[i].route != lats[j].route {
			return lats[i].route < lats[j].route
		}
		return lats[i].method < lats[j].method
	})
	b.WriteString("# HELP rongtong_http_request_duration_seconds HTTP request latency by method and route template.\n")
	b.WriteString("# TYPE rongtong_http_request_duration_seconds histogram\n")
	for _, k := range lats {
		h := m.latency[k]
		var cum uint64
		for i, ub := range latencyBuckets {
			cum += h.counts[i]
			fmt.Fprintf(&b, "rongtong_http_request_duration_seconds_bucket{method=%s,route=%s,le=\"%s\"} %d\n",
				label(k.method), label(k.route), strconv.FormatFloat(ub, 'g', -1, 64), cum)
		}
		fmt.Fprintf(&b, "rongtong_http_request_duration_seconds_bucket{method=%s,route=%s,le=\"+Inf\"} %d\n", label(k.method), label(k.route), h.count)
		fmt.Fprintf(&b, "rongtong_http_request_duration_seconds_sum{method=%s,route=%s} %s\n", label(k.method), label(k.route), strconv.FormatFloat(h.sum, 'g', -1, 64))
		fmt.Fprintf(&b, "rongtong_http_request_duration_seconds_count{method=%s,route=%s} %d\n", label(k.method), label(k.route), h.count)
	}
	m.mu.Unlock()
	b.WriteString("# HELP rongtong_http_requests_in_flight HTTP requests being served.\n")
	b.WriteString("# TYPE rongtong_http_requests_in_flight gauge\n")
	fmt.Fprintf(&b, "rongtong_http_requests_in_flight %d\n", m.inFlight.Load())
	return b.Bytes()
}

// label quotes a label value as the exposition format wants.
var labelEscaper = strings.NewReplacer(`\`, `\\`, "\n", `\n`, `"`, `\"`)

func label(v string) string { return `"` + labelEscaper.Replace(v) + `"` }
