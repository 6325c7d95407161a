package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Config is Rongtong's configuration: built-in defaults, then an optional
// YAML file (--config), then RONGTONG_* environment variables.
type Config struct {
	Addr            string   `yaml:"addr"`
	DataDir         string   `yaml:"data_dir"`
	MongoDBURI      string   `yaml:"mongodb_uri"`
	MongoDBDatabase string   `yaml:"mongodb_database"`
	JWTSecret       string   `yaml:"jwt_secret"`
	AccessTTL       Duration `yaml:"access_ttl"`
	RefreshTTL      Duration `yaml:"refresh_ttl"`
	ShutdownTimeout Duration `yaml:"shutdown_timeout"`
	BodyLimitMiB    int      `yaml:"body_limit_mib"`
	// MemoryLimitMiB is the Go heap's soft limit (see tuneGC); 0 leaves the
	// runtime's defaults.
	MemoryLimitMiB int    `yaml:"memory_limit_mib"`
	LogLevel       string `yaml:"log_level"`
	LogFormat      string `yaml:"log_format"`
	// MatchingConfig is the matching weights file (configs/matching.yaml);
	// empty uses the built-in defaults, which that file repeats.
	MatchingConfig string `yaml:"matching_config"`
	// TiersConfig and TargetsConfig are the cultivation tier criteria and
	// policy targets (configs/tiers.yaml, configs/targets.yaml); empty uses
	// the built-in defaults, which those files repeat.
	TiersConfig   string `yaml:"tiers_config"`
	TargetsConfig string `yaml:"targets_config"`
	// DebugAddr, when set, serves Go's profiler there (keep it on
	// loopback); empty serves none.
	DebugAddr string `yaml:"debug_addr"`

	PairingSettings `yaml:",inline"`
}

// Duration is a time.Duration written as "15m" in files and the environment.
type Duration time.Duration

// UnmarshalYAML reads a Go duration string.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		return fmt.Errorf("%q is not a duration such as 15m or 720h", n.Value)
	}
	*d = Duration(v)
	return nil
}

// D returns the time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// DefaultConfig returns the built-in defaults: a server on :8080 with the
// embedded store in ./data.
func DefaultConfig() Config {
	return Config{
		Addr:            ":8080",
		DataDir:         "./data",
		MongoDBDatabase: "rongtong",
		AccessTTL:       Duration(15 * time.Minute),
		RefreshTTL:      Duration(30 * 24 * time.Hour),
		ShutdownTimeout: Duration(20 * time.Second),
		BodyLimitMiB:    4,
		MemoryLimitMiB:  640,
		LogLevel:        "info",
		LogFormat:       "json",
		PairingSettings: defaultPairingSettings(),
	}
}

// configKey binds one environment variable to a field.
type configKey struct {
	env    string
	secret bool // also read from <env>_FILE
	set    func(c *Config, v string) error
}

func setString(p func(*Config) *string) func(*Config, string) error {
	return func(c *Config, v string) error { *p(c) = v; return nil }
}

func setDuration(p func(*Config) *Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("%q is not a duration such as 15m or 720h", v)
		}
		*p(c) = Duration(d)
		return nil
	}
}

var configKeys = []configKey{
	{env: "RONGTONG_ADDR", set: setString(func(c *Config) *string { return &c.Addr })},
	{env: "RONGTONG_DATA_DIR", set: setString(func(c *Config) *string { return &c.DataDir })},
	{env: "RONGTONG_MONGODB_URI", secret: true, set: setString(func(c *Config) *string { return &c.MongoDBURI })},
	{env: "RONGTONG_MONGODB_DATABASE", set: setString(func(c *Config) *string { return &c.MongoDBDatabase })},
	{env: "RONGTONG_JWT_SECRET", secret: true, set: setString(func(c *Config) *string { return &c.JWTSecret })},
	{env: "RONGTONG_ACCESS_TTL", set: setDuration(func(c *Config) *Duration { return &c.AccessTTL })},
	{env: "RONGTONG_REFRESH_TTL", set: setDuration(func(c *Config) *Duration { return &c.RefreshTTL })},
	{env: "RONGTONG_SHUTDOWN_TIMEOUT", set: setDuration(func(c *Config) *Duration { return &c.ShutdownTimeout })},
	{env: "RONGTONG_BODY_LIMIT_MIB", set: func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("%q is not a whole number", v)
		}
		c.BodyLimitMiB = n
		return nil
	}},
	{env: "RONGTONG_MEMORY_LIMIT_MIB", set: func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("%q is not a whole number", v)
		}
		c.MemoryLimitMiB = n
		return nil
	}},
	{env: "RONGTONG_LOG_LEVEL", set: setString(func(c *Config) *string { return &c.LogLevel })},
	{env: "RONGTONG_LOG_FORMAT", set: setString(func(c *Config) *string { return &c.LogFormat })},
	{env: "RONGTONG_MATCHING_CONFIG", set: setString(func(c *Config) *string { return &c.MatchingConfig })},
	{env: "RONGTONG_TIERS_CONFIG", set: setString(func(c *Config) *string { return &c.TiersConfig })},
	{env: "RONGTONG_TARGETS_CONFIG", set: setString(func(c *Config) *string { return &c.TargetsConfig })},
	{env: "RONGTONG_DEBUG_ADDR", set: setString(func(c *Config) *string { return &c.DebugAddr })},
}

// LoadConfig builds the configuration from the defaults, the file (if path is
// not empty) and the environment, then validates it. Every error names the key.
func LoadConfig(path string, getenv func(string) string) (Config, error) {
	c := DefaultConfig()
	if path != "" {
		b, err := os.ReadFile(path)
		if err != nil {
			return c, fmt.Errorf("config file: %w", err)
		}
		dec := yaml.NewDecoder(bytes.NewReader(b))
		dec.KnownFields(true)
		if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
			return c, fmt.Errorf("config file %s: %v", path, err)
		}
	}
	for _, k := range append(configKeys, pairingConfigKeys...) {
		v := getenv(k.env)
		if k.secret {
			if f := getenv(k.env + "_FILE"); f != "" {
				if v != "" {
					return c, fmt.Errorf("%s and %s_FILE are both set; set one", k.env, k.env)
				}
				b, err := os.ReadFile(f)
				if err != nil {
					return c, fmt.Errorf("%s_FILE: %v", k.env, err)
				}
				v = strings.TrimSpace(string(b))
			}
		}
		if v == "" {
			continue
		}
		if err := k.set(&c, v); err != nil {
			return c, fmt.Errorf("%s: %v", k.env, err)
		}
	}
	return c, c.Validate()
}

// Validate checks values and cross-field rules, naming the key at fault.
func (c *Config) Validate() error {
	switch {
	case c.Addr == "" || !strings.Contains(c.Addr, ":"):
		return fmt.Errorf("RONGTONG_ADDR (addr): %q must be host:port or :port", c.Addr)
	case c.DataDir == "":
		return errors.New("RONGTONG_DATA_DIR (data_dir): must not be empty")
	case c.MongoDBURI != "" && !strings.HasPrefix(c.MongoDBURI, "mongodb://") && !strings.HasPrefix(c.MongoDBURI, "mongodb+srv://"):
		return errors.New("RONGTONG_MONGODB_URI (mongodb_uri): must start with mongodb:// or mongodb+srv://")
	case c.MongoDBURI != "" && c.MongoDBDatabase == "":
		return errors.New("RONGTONG_MONGODB_DATABASE (mongodb_database): must not be empty")
	case c.JWTSecret != "" && len(c.JWTSecret) < 32:
		return errors.New("RONGTONG_JWT_SECRET (jwt_secret): must be at least 32 characters")
	case c.AccessTTL.D() < time.Minute || c.AccessTTL.D() > 15*time.Minute:
		return errors.New("RONGTONG_ACCESS_TTL (access_ttl): must be between 1m and 15m")
	case c.RefreshTTL.D() < time.Hour || c.RefreshTTL.D() > 365*24*time.Hour:
		return errors.New("RONGTONG_REFRESH_TTL (refresh_ttl): must be between 1h and 8760h")
	case c.ShutdownTimeout.D() <= 0:
		return errors.New("RONGTONG_SHUTDOWN_TIMEOUT (shutdown_timeout): must be positive")
	case c.BodyLimitMiB < 1 || c.BodyLimitMiB > 256:
		return errors.New("RONGTONG_BODY_LIMIT_MIB (body_limit_mib): must be between 1 and 256")
	case c.MemoryLimitMiB != 0 && (c.MemoryLimitMiB < 256 || c.MemoryLimitMiB > 1<<20):
		return errors.New("RONGTONG_MEMORY_LIMIT_MIB (memory_limit_mib): must be 0 (none) or at least 256")
	case c.LogLevel != "debug" && c.LogLevel != "info" && c.LogLevel != "warn" && c.LogLevel != "error":
		return errors.New("RONGTONG_LOG_LEVEL (log_level): must be debug, info, warn or error")
	case c.LogFormat != "json" && c.LogFormat != "text":
		return errors.New("RONGTONG_LOG_FORMAT (log_format): must be json or text")
	}
	return c.PairingSettings.validate()
}
