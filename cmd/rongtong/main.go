// Command rongtong runs Rongtong (融通), a matchmaking platform for 专精特新 SMEs:
// the API and web UI (serve, the default) and the offline tools (import,
// export, seed, user). It is the only place where adapters are built and wired.
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/rongtong/rongtong/app"
	"github.com/rongtong/rongtong/matching/schedule"
	"github.com/rongtong/rongtong/store/mongo"
	"github.com/rongtong/rongtong/store/sqlite"
)

const usage = `rongtong — 融通, matchmaking for 专精特新 SMEs

Usage:
  rongtong [serve] [--config FILE]           serve the API and web UI (default)
  rongtong import [--config FILE] FILE.jsonl  import records in the interchange format ("-" reads stdin)
  rongtong export [--config FILE] [--out F]   export every record in the interchange format
  rongtong reindex [--config FILE]            rebuild the search index from the store
  rongtong schedule --in EVENT.json --out SCHEDULE.json [--seed N] [--budget 10s]
                                              schedule an event's 1:1 meetings (docs/schedule-format.md)
  rongtong propose [--dry-run] [--per-record N] [--capacity K] [--min-score S]
                                              propose pairings for every open need, financing need
                                              and technology need (--dry-run prints them as JSON lines)
  rongtong seed --demo [--if-empty]           fill the store with the demo data set and accounts
  rongtong user create --admin --email E [--region CODE]
                                              create an admin; the password is read from stdin
  rongtong health [--url URL]                 exit 0 if the server answers /healthz (for container health checks)
  rongtong version

Configuration: built-in defaults, then --config FILE (YAML, see configs/),
then RONGTONG_* environment variables (RONGTONG_ADDR, RONGTONG_DATA_DIR,
RONGTONG_MONGODB_URI, RONGTONG_JWT_SECRET, …; secrets also as *_FILE).
`

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "rongtong:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer, getenv func(string) string) error {
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return cmdServe(ctx, args, getenv)
	case "import":
		return cmdImport(ctx, args, stdin, stdout, getenv)
	case "export":
		return cmdExport(ctx, args, stdout, getenv)
	case "reindex":
		return cmdReindex(ctx, args, stdout, getenv)
	case "schedule":
		return schedule.Main(args, stdin, stdout, os.Stderr)
	case "propose":
		return cmdPropose(ctx, args, stdout, getenv)
	case "seed":
		return cmdSeed(ctx, args, stdout, getenv)
	case "user":
		return cmdUser(ctx, args, stdin, stdout, getenv)
	case "health":
		return cmdHealth(ctx, args, stdout)
	case "version":
		fmt.Fprintln(stdout, "rongtong", version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n\n%s", cmd, usage)
}

// newFlags returns a flag set with the shared --config flag.
func newFlags(name string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	cfg := fs.String("config", "", "configuration file (YAML)")
	return fs, cfg
}

func newLogger(c Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.LogLevel)) // validated by Config.Validate
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// openStore opens MongoDB when a URI is configured, else the embedded SQLite
// store in the data dir.
func openStore(ctx context.Context, c Config) (app.Store, error) {
	if c.MongoDBURI != "" {
		return mongo.Open(ctx, c.MongoDBURI, c.MongoDBDatabase)
	}
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	return sqlite.Open(ctx, filepath.Join(c.DataDir, "rongtong.db"))
}

// jwtSecret returns the configured secret, or the one kept in the data dir,
// made on first start so a first run needs no set-up.
func jwtSecret(c Config) ([]byte, error) {
	if c.JWTSecret != "" {
		return []byte(c.JWTSecret), nil
	}
	path := filepath.Join(c.DataDir, "jwt-secret")
	b, err := os.ReadFile(path)
	if err == nil && len(strings.TrimSpace(string(b))) >= 32 {
		return []byte(strings.TrimSpace(string(b))), nil
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("jwt secret: %w", err)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	s := hex.EncodeToString(key)
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, []byte(s+"\n"), 0o600); err != nil {
		return nil, fmt.Errorf("jwt secret: %w", err)
	}
	return []byte(s), nil
}
