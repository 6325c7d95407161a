// Command loadgen measures Rongtong's search API over HTTP on loopback: it
// sends GET /api/v1/search requests as an anonymous caller from a fixed
// number of concurrent clients, stops by itself after a number of requests
// or a duration, whichever comes first, and reports throughput and latency.
// It also writes the generated data set the measurements run on.
//
//	loadgen data -out bench.jsonl                      # 20,000 organisations, 100,000 listings
//	rongtong import bench.jsonl                        # into RONGTONG_DATA_DIR
//	RONGTONG_ADDR=127.0.0.1:18080 rongtong serve &     # builds the index, then serves
//	loadgen run -addr 127.0.0.1:18080 -data bench.jsonl -pid $!
//
// The queries are the ones of the search package's BenchmarkSearch: 1–4
// words drawn from the data set's own vocabulary (package benchdata), the
// four lengths in turn. docs/benchmarks.md has the numbers.
package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/rongtong/rongtong/search/benchdata"
)

const usage = `loadgen — load Rongtong's search API on loopback

Usage:
  loadgen data [-orgs N] [-listings N] [-seed N] -out FILE
      write the benchmark data set (JSON Lines, the interchange format)
  loadgen run -addr 127.0.0.1:PORT -data FILE [-c 8] [-n 20000] [-d 60s]
              [-warmup 5s] [-queries 50] [-limit 20] [-wait 10m] [-pid PID]
      send searches made from FILE's vocabulary and report req/s and latency;
      -pid reads the server's peak and current RSS afterwards
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadgen:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "data":
		return cmdData(args[1:], out)
	case "run":
		return cmdRun(ctx, args[1:], out)
	}
	return errors.New(usage)
}

func cmdData(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("data", flag.ContinueOnError)
	orgs := fs.Int("orgs", benchdata.DefaultOrgs, "organisations")
	listings := fs.Int("listings", benchdata.DefaultListings, "listings")
	seed := fs.Int64("seed", 1, "data set seed")
	path := fs.String("out", "", "output file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *path == "" {
		return errors.New("data: -out is required")
	}
	f, err := os.Create(*path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	c, err := benchdata.Write(w, benchdata.Options{Seed: *seed, Orgs: *orgs, Listings: *listings})
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "wrote %d organisations and %d listings to %s\n", c.Orgs, c.Listings, *path)
	return nil
}

// config is a load run.
type config struct {
	base    string // http://host:port
	conc    int
	max     int
	dur     time.Duration
	warmup  time.Duration
	limit   int
	wait    time.Duration
	pid     int
	queries map[int][]string
	lengths []int
}

func cmdRun(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "server address, on loopback")
	data := fs.String("data", "", "the data set the server holds (for the query vocabulary)")
	conc := fs.Int("c", 8, "concurrent clients")
	n := fs.Int("n", 20000, "stop after this many requests")
	dur := fs.Duration("d", time.Minute, "stop after this long")
	warmup := fs.Duration("warmup", 5*time.Second, "send requests this long before measuring")
	nq := fs.Int("queries", 50, "distinct queries of each length")
	limit := fs.Int("limit", 20, "hits per page (limit parameter)")
	wait := fs.Duration("wait", 10*time.Minute, "wait this long for the server to answer searches with results")
	pid := fs.Int("pid", 0, "server process whose memory to report")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *data == "" {
		return errors.New("run: -data is required")
	}
	if *conc < 1 || *n < 1 || *dur <= 0 {
		return errors.New("run: -c, -n and -d must be positive")
	}
	if err := loopback(*addr); err != nil {
		return err
	}
	f, err := os.Open(*data)
	if err != nil {
		return err
	}
	qs, err := benchdata.Queries(f, *nq)
	f.Close()
	if err != nil {
		return err
	}
	c := &config{base: "http://" + *addr, conc: *conc, max: *n, dur: *dur, warmup: *warmup, limit: *limit,
		wait: *wait, pid: *pid, queries: qs, lengths: []int{1, 2, 3, 4}}
	return c.run(ctx, out)
}

// loopback refuses an address that is not on this machine's loopback.
func loopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("run: -addr %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("run: -addr %q is not a loopback address", addr)
}

// request is one search: its query's length and URL.
type request struct {
	words int
	url   string
}

func (c *config) requests() []request {
	var rs []request
	for i := 0; ; i++ {
		added := false
		for _, w := range c.lengths {
			if qs := c.queries[w]; i < len(qs) {
				v := url.Values{"q": {qs[i]}, "limit": {strconv.Itoa(c.limit)}}
				rs = append(rs, request{w, c.base + "/api/v1/search?" + v.Encode()})
				added = true
			}
		}
		if !added {
			return rs
		}
	}
}

// sample is one measured request.
type sample struct {
	words int
	d     time.Duration
}

func (c *config) run(ctx context.Context, out io.Writer) error {
	reqs := c.requests()
	if len(reqs) == 0 {
		return errors.New("run: no queries")
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		MaxIdleConns: c.conc, MaxIdleConnsPerHost: c.conc, IdleConnTimeout: time.Minute}}
	start := time.Now()
	if err := c.waitReady(ctx, client, reqs[0].url); err != nil {
		return err
	}
	fmt.Fprintf(out, "server answers searches with results after %v\n", time.Since(start).Round(100*time.Millisecond))

	if c.warmup > 0 {
		wctx, cancel := context.WithTimeout(ctx, c.warmup)
		c.load(wctx, client, reqs, 1<<62)
		cancel()
	}
	lctx, cancel := context.WithTimeout(ctx, c.dur)
	defer cancel()
	serverCPU0, selfCPU0 := processCPU(c.pid), processCPU(os.Getpid())
	t0 := time.Now()
	samples, errs := c.load(lctx, client, reqs, c.max)
	took := time.Since(t0)
	serverCPU, selfCPU := processCPU(c.pid)-serverCPU0, processCPU(os.Getpid())-selfCPU0
	if ctx.Err() != nil {
		return ctx.Err()
	}
	fmt.Fprintf(out, "%d requests in %v from %d clients: %.1f searches/s, %d errors\n",
		len(samples), took.Round(time.Millisecond), c.conc, float64(len(samples))/took.Seconds(), len(errs))
	if n := len(samples) + len(errs); n > 0 {
		if c.pid > 0 {
			fmt.Fprintf(out, "server CPU %.2f ms per request (%.2f cores); ", ms(serverCPU)/float64(n), serverCPU.Seconds()/took.Seconds())
		}
		fmt.Fprintf(out, "loadgen CPU %.2f ms per request (%.2f cores)\n", ms(selfCPU)/float64(n), selfCPU.Seconds()/took.Seconds())
	}
	report := func(name string, ds []time.Duration) {
		if len(ds) == 0 {
			return
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		q := func(p float64) float64 {
			return float64(ds[min(len(ds)-1, int(p*float64(len(ds))))].Microseconds()) / 1000
		}
		fmt.Fprintf(out, "%-8s n=%-6d p50 %6.2f ms  p90 %6.2f ms  p99 %6.2f ms  max %7.2f ms\n",
			name, len(ds), q(0.50), q(0.90), q(0.99), float64(ds[len(ds)-1].Microseconds())/1000)
	}
	var all []time.Duration
	byWords := map[int][]time.Duration{}
	for _, s := range samples {
		all = append(all, s.d)
		byWords[s.words] = append(byWords[s.words], s.d)
	}
	report("all", all)
	for _, w := range c.lengths {
		report(fmt.Sprintf("terms=%d", w), byWords[w])
	}
	for i, e := range errs {
		if i == 5 {
			fmt.Fprintf(out, "… and %d more errors\n", len(errs)-5)
			break
		}
		fmt.Fprintln(out, "error:", e)
	}
	if c.pid > 0 {
		if err := reportMemory(out, c.pid); err != nil {
			return err
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%d requests failed", len(errs))
	}
	return nil
}

// waitReady waits until a search returns results: the server has built its
// index.
func (c *config) waitReady(ctx context.Context, client *http.Client, u string) error {
	deadline := time.Now().Add(c.wait)
	for {
		body, err := get(ctx, client, u)
		if err == nil && !bytes.HasPrefix(body, []byte(`{"total":0,`)) {
			return nil
		}
		if time.Now().After(deadline) {
			if err == nil {
				err = errors.New("no results yet")
			}
			return fmt.Errorf("run: the server did not answer within %v: %w", c.wait, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// load sends requests from c.conc clients until max are sent or ctx ends.
func (c *config) load(ctx context.Context, client *http.Client, reqs []request, max int) ([]sample, []error) {
	var next atomic.Int64
	var mu sync.Mutex
	var samples []sample
	var errs []error
	var wg sync.WaitGroup
	for range c.conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []sample
			var myErrs []error
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if i >= int64(max) {
					break
				}
				r := reqs[int(i)%len(reqs)]
				t := time.Now()
				_, err := get(ctx, client, r.url)
				d := time.Since(t)
				if ctx.Err() != nil {
					break // cut off by the end of the run, not a failure
				}
				if err != nil {
					myErrs = append(myErrs, err)
					continue
				}
				mine = append(mine, sample{r.words, d})
			}
			mu.Lock()
			samples = append(samples, mine...)
			errs = append(errs, myErrs...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return samples, errs
}

// get fetches u and returns its body, or an error for a status other than 200.
func get(ctx context.Context, client *http.Client, u string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s: %.200s", u, resp.Status, body)
	}
	return body, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// processCPU returns the user and system CPU time a process has used, 0 if
// it cannot be read (pid 0).
func processCPU(pid int) time.Duration {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// the fields after the command name, which is in parentheses
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return 0
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0
	}
	const ticksPerSecond = 100 // USER_HZ on Linux
	return time.Duration(utime+stime) * time.Second / ticksPerSecond
}

// reportMemory prints a process's peak and current resident memory.
func reportMemory(out io.Writer, pid int) error {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return fmt.Errorf("reading the server's memory: %w", err)
	}
	var fields []string
	for _, line := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && (k == "VmHWM" || k == "VmRSS") {
			kb, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			if err == nil {
				fields = append(fields, fmt.Sprintf("%s %.1f MiB", k, float64(kb)/1024))
			}
		}
	}
	fmt.Fprintf(out, "server pid %d: %s\n", pid, strings.Join(fields, ", "))
	return nil
}
