package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/demo"
	"github.com/rongtong/rongtong/store/sqlite"
)

// binary is the rongtong binary built once for the tests that run it as a
// separate process (signals, locks, restarts).
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "rongtong-bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "rongtong")
	out, err := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "build: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// command returns the binary run with a data dir of its own.
func command(dataDir string, args ...string) *exec.Cmd {
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "RONGTONG_DATA_DIR="+dataDir, "RONGTONG_LOG_LEVEL=warn")
	return cmd
}

// startServer runs `rongtong serve` and waits for /healthz.
func startServer(t *testing.T, dataDir string, args ...string) (*exec.Cmd, string) {
	t.Helper()
	addr := freeAddr(t)
	cmd := command(dataDir, append([]string{"serve"}, args...)...)
	cmd.Env = append(cmd.Env, "RONGTONG_ADDR="+addr)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	base := "http://" + addr
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return cmd, base
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server did not answer /healthz; stderr:\n%s", stderr.String())
	return nil, ""
}

func postJSON(t *testing.T, url, token string, body any) (int, map[string]any) {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return do(t, req)
}

func get(t *testing.T, url, token string) (int, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (int, map[string]any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > 0 {
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s %s: %d, body not JSON: %.200s", req.Method, req.URL, resp.StatusCode, b)
		}
	}
	return resp.StatusCode, m
}

// TestServeDemoRestart seeds the demo, serves it, logs in as each demo
// account, stops the server with SIGTERM and checks the data after a restart.
func TestServeDemoRestart(t *testing.T) {
	data := t.TempDir()
	out, err := command(data, "seed", "--demo", "--if-empty").CombinedOutput()
	if err != nil {
		t.Fatalf("seed: %v\n%s", err, out)
	}
	out, err = command(data, "seed", "--demo", "--if-empty").CombinedOutput()
	if err != nil || !strings.Contains(string(out), "not seeding") {
		t.Fatalf("second seed: %v\n%s", err, out)
	}
	srv, base := startServer(t, data)

	// The data dir is held: an offline import must refuse, naming the cause.
	out, err = command(data, "reindex").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "in use by a running Rongtong server") {
		t.Fatalf("reindex beside a running server: %v\n%s", err, out)
	}
	out, err = command(data, "import", "-").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "in use by a running Rongtong server") {
		t.Fatalf("import beside a running server: %v\n%s", err, out)
	}

	var total float64
	for _, acc := range demoAccounts {
		code, body := postJSON(t, base+"/api/v1/auth/login", "", map[string]string{"login": acc.Email, "password": DemoPassword})
		if code != 200 {
			t.Fatalf("login %s: %d %v", acc.Email, code, body)
		}
		token, _ := body["accessToken"].(string)
		code, body = get(t, base+"/api/v1/listings?limit=5", token)
		items, _ := body["items"].([]any)
		if code != 200 || len(items) == 0 {
			t.Fatalf("%s lists listings: %d, %d items", acc.Email, code, len(items))
		}
		if acc.Role == app.RoleAdmin && acc.Scope == "" {
			code, body = get(t, base+"/api/v1/orgs?limit=200", token)
			if code != 200 {
				t.Fatalf("admin lists orgs: %d %v", code, body)
			}
			total = float64(len(body["items"].([]any)))
		}
	}
	if total < 200 {
		t.Fatalf("admin saw %v organisations on the first page, want a full page", total)
	}

	// The index is built from the store in the background after start.
	deadline := time.Now().Add(60 * time.Second)
	for {
		code, body := get(t, base+"/api/v1/search?q=%E5%8E%8B%E9%93%B8&limit=5", "")
		hits, _ := body["hits"].([]any)
		if code == 200 && len(hits) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("search for 压铸 finds nothing a minute after start: %d %v", code, body)
		}
		time.Sleep(200 * time.Millisecond)
	}

	if err := srv.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := srv.Wait(); err != nil {
		t.Fatalf("server exit after SIGTERM: %v", err)
	}

	_, base = startServer(t, data)
	code, body := postJSON(t, base+"/api/v1/auth/login", "", map[string]string{"login": "admin@demo.rongtong.cn", "password": DemoPassword})
	if code != 200 {
		t.Fatalf("login after restart: %d %v", code, body)
	}
	code, body = get(t, base+"/api/v1/orgs?limit=200", body["accessToken"].(string))
	if code != 200 || float64(len(body["items"].([]any))) != total {
		t.Fatalf("after restart: %d, %d organisations, want %v", code, len(body["items"].([]any)), total)
	}
}

// TestServeSeedsDemo starts a server as `make run` does, on an empty data
// dir, and waits until the demo admin can log in and find data.
func TestServeSeedsDemo(t *testing.T) {
	_, base := startServer(t, t.TempDir(), "--demo-if-empty")
	// /readyz fails while the demo loads. The deadline only stops a
	// server that never gets ready: the race detector on a busy machine
	// makes seeding many times slower than it is.
	deadline := time.Now().Add(5 * time.Minute)
	for {
		resp, err := http.Get(base + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == 200 {
			break
		}
		if resp.StatusCode != 503 || time.Now().After(deadline) {
			t.Fatalf("/readyz: %s", resp.Status)
		}
		time.Sleep(200 * time.Millisecond)
	}
	code, body := postJSON(t, base+"/api/v1/auth/login", "", map[string]string{"login": "enterprise@demo.rongtong.cn", "password": DemoPassword})
	if code != 200 {
		t.Fatalf("login once ready: %d %v", code, body)
	}
	code, body = get(t, base+"/api/v1/listings?kind=capability&limit=5", body["accessToken"].(string))
	if items, _ := body["items"].([]any); code != 200 || len(items) != 5 {
		t.Fatalf("demo listings: %d %v", code, body)
	}
	// The cultivation database has indicators for the dashboard.
	code, body = postJSON(t, base+"/api/v1/auth/login", "", map[string]string{"login": "admin@demo.rongtong.cn", "password": DemoPassword})
	if code != 200 {
		t.Fatalf("admin login: %d %v", code, body)
	}
	code, body = get(t, base+"/api/v1/admin/dashboard", body["accessToken"].(string))
	if firms, _ := body["firms"].(float64); code != 200 || firms == 0 {
		t.Fatalf("demo dashboard: %d firms %v", code, body["firms"])
	}
}

var committedRE = regexp.MustCompile(`^committed through line (\d+)`)

// TestImportSIGKILL kills an import after it has acknowledged a few batches
// and checks that every acknowledged record is in the store.
func TestImportSIGKILL(t *testing.T) {
	data := t.TempDir()
	file := filepath.Join(t.TempDir(), "demo.jsonl")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := demo.Write(f, demo.Options{Seed: 7, Orgs: 3000}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	cmd := command(data, "import", "--progress", "--batch", "100", file)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := 0
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if m := committedRE.FindStringSubmatch(sc.Text()); m != nil {
			acked, _ = strconv.Atoi(m[1])
			if acked >= 1000 {
				break
			}
		}
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait() // killed: the exit status is the signal
	if acked < 1000 {
		t.Fatalf("import acknowledged only through line %d before it ended", acked)
	}

	// Every ref on an acknowledged line must be stored.
	var orgRefs, listingRefs []string
	in, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	rd := bufio.NewScanner(in)
	rd.Buffer(make([]byte, 1<<20), 1<<20)
	for n := 1; rd.Scan() && n <= acked; n++ {
		var h struct{ Kind, Ref string }
		if err := json.Unmarshal(rd.Bytes(), &h); err != nil {
			t.Fatal(err)
		}
		if h.Kind == "org" {
			orgRefs = append(orgRefs, h.Ref)
		} else {
			listingRefs = append(listingRefs, h.Ref)
		}
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(data, "rongtong.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	orgs, err := st.FindOrgsByRef(ctx, orgRefs)
	if err != nil {
		t.Fatal(err)
	}
	listings, err := st.FindListingsByRef(ctx, listingRefs)
	if err != nil {
		t.Fatal(err)
	}
	if len(orgs) != len(orgRefs) || len(listings) != len(listingRefs) {
		t.Fatalf("after SIGKILL: %d of %d acknowledged orgs and %d of %d listings stored",
			len(orgs), len(orgRefs), len(listings), len(listingRefs))
	}
	t.Logf("killed after line %d acknowledged: %d orgs and %d listings all stored", acked, len(orgs), len(listings))
}
