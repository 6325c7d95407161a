package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoadConfig(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "c.yaml")
	if err := os.WriteFile(file, []byte("addr: \":9090\"\naccess_ttl: 10m\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	secretFile := filepath.Join(dir, "secret")
	if err := os.WriteFile(secretFile, []byte(strings.Repeat("s", 40)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		path    string
		env     map[string]string
		wantErr string // a substring; "" for success
		check   func(t *testing.T, c Config)
	}{
		{name: "defaults", check: func(t *testing.T, c Config) {
			if c.Addr != ":8080" || c.DataDir != "./data" || c.AccessTTL.D() != 15*time.Minute {
				t.Errorf("got %+v, want the defaults", c)
			}
		}},
		{name: "file over defaults", path: file, check: func(t *testing.T, c Config) {
			if c.Addr != ":9090" || c.AccessTTL.D() != 10*time.Minute {
				t.Errorf("got addr %q ttl %v, want :9090 10m", c.Addr, c.AccessTTL.D())
			}
		}},
		{name: "env over file", path: file, env: map[string]string{"RONGTONG_ADDR": "127.0.0.1:7000"}, check: func(t *testing.T, c Config) {
			if c.Addr != "127.0.0.1:7000" {
				t.Errorf("got addr %q, want the environment's", c.Addr)
			}
		}},
		{name: "secret from file", env: map[string]string{"RONGTONG_JWT_SECRET_FILE": secretFile}, check: func(t *testing.T, c Config) {
			if c.JWTSecret != strings.Repeat("s", 40) {
				t.Errorf("got secret %q, want the file's trimmed content", c.JWTSecret)
			}
		}},
		{name: "secret twice", env: map[string]string{"RONGTONG_JWT_SECRET": strings.Repeat("x", 40), "RONGTONG_JWT_SECRET_FILE": secretFile}, wantErr: "RONGTONG_JWT_SECRET and RONGTONG_JWT_SECRET_FILE"},
		{name: "short secret", env: map[string]string{"RONGTONG_JWT_SECRET": "short"}, wantErr: "RONGTONG_JWT_SECRET"},
		{name: "bad duration", env: map[string]string{"RONGTONG_ACCESS_TTL": "soon"}, wantErr: "RONGTONG_ACCESS_TTL"},
		{name: "ttl too long", env: map[string]string{"RONGTONG_ACCESS_TTL": "1h"}, wantErr: "RONGTONG_ACCESS_TTL"},
		{name: "bad addr", env: map[string]string{"RONGTONG_ADDR": "8080"}, wantErr: "RONGTONG_ADDR"},
		{name: "bad mongo uri", env: map[string]string{"RONGTONG_MONGODB_URI": "http://x"}, wantErr: "RONGTONG_MONGODB_URI"},
		{name: "bad body limit", env: map[string]string{"RONGTONG_BODY_LIMIT_MIB": "lots"}, wantErr: "RONGTONG_BODY_LIMIT_MIB"},
		{name: "memory limit too small", env: map[string]string{"RONGTONG_MEMORY_LIMIT_MIB": "64"}, wantErr: "RONGTONG_MEMORY_LIMIT_MIB"},
		{name: "no memory limit", env: map[string]string{"RONGTONG_MEMORY_LIMIT_MIB": "0"}, check: func(t *testing.T, c Config) {
			if c.MemoryLimitMiB != 0 {
				t.Errorf("got memory limit %d MiB, want 0 (Go's defaults)", c.MemoryLimitMiB)
			}
		}},
		{name: "debug address", env: map[string]string{"RONGTONG_DEBUG_ADDR": "127.0.0.1:6060"}, check: func(t *testing.T, c Config) {
			if c.DebugAddr != "127.0.0.1:6060" {
				t.Errorf("got debug address %q", c.DebugAddr)
			}
		}},
		{name: "bad log level", env: map[string]string{"RONGTONG_LOG_LEVEL": "loud"}, wantErr: "RONGTONG_LOG_LEVEL"},
		{name: "missing file", path: filepath.Join(dir, "none.yaml"), wantErr: "config file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := LoadConfig(tt.path, env(tt.env))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want one naming %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v", err)
			}
			tt.check(t, c)
		})
	}
}

func TestUnknownConfigKey(t *testing.T) {
	file := filepath.Join(t.TempDir(), "c.yaml")
	if err := os.WriteFile(file, []byte("adress: \":1\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadConfig(file, env(nil))
	if err == nil || !strings.Contains(err.Error(), "adress") {
		t.Fatalf("got %v, want an error naming the unknown key", err)
	}
}

func TestJWTSecretKeptInDataDir(t *testing.T) {
	c := DefaultConfig()
	c.DataDir = t.TempDir()
	a, err := jwtSecret(c)
	if err != nil {
		t.Fatal(err)
	}
	b, err := jwtSecret(c)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) < 32 || string(a) != string(b) {
		t.Fatalf("got %q then %q, want one generated secret kept across starts", a, b)
	}
	fi, err := os.Stat(filepath.Join(c.DataDir, "jwt-secret"))
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("secret file mode %v, want 0600", fi.Mode().Perm())
	}
}

func TestDataDirLock(t *testing.T) {
	dir := t.TempDir()
	l, err := lockDataDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	// flock locks belong to the open file description, so a second open in
	// the same process conflicts just as another process would.
	if _, err := lockDataDir(dir); err == nil || !strings.Contains(err.Error(), "in use by a running Rongtong server") {
		t.Fatalf("got %v, want a refusal", err)
	}
	l.Release()
	l2, err := lockDataDir(dir)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	l2.Release()
}
