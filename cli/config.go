package cli

import (
	"fmt"
	"net/netip"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"time"

	"slant/api"
	"slant/desk"
	"slant/llm"
)

// Config is everything Slant reads from its environment, validated once at
// start so that a mistake names its variable instead of failing later.
type Config struct {
	Addr         string // SLANT_ADDR
	DBDriver     string // DB_DRIVER: sqlite or postgres
	DBPath       string // DB_PATH, for sqlite
	DatabaseURL  string // DATABASE_URL, for postgres
	Demo         bool   // SLANT_DEMO: load the demo event into an empty database
	MaxBodyBytes int64  // SLANT_MAX_BODY_BYTES
	LogLevel     string // SLANT_LOG_LEVEL: debug, info, warn, error

	AdminToken          string         // SLANT_ADMIN_TOKEN: its holder is the teacher; without it, the machine Slant runs on is; never logged
	ReadOnly            bool           // SLANT_READ_ONLY: refuse every write
	PublicRead          bool           // SLANT_PUBLIC_READ: everyone may read events, comparisons, exports, the lexicon and analyze
	MaxStudents         int            // SLANT_MAX_STUDENTS: students per exercise; negative: no limit
	StudentsPerAddress  int            // SLANT_STUDENTS_PER_ADDRESS: new students one client address brings into an exercise; negative: no cap
	ExerciseTTL         time.Duration  // SLANT_EXERCISE_TTL: how long a class code works; negative: until the teacher ends it
	MaxTextBytes        int            // SLANT_MAX_TEXT_BYTES: text of one article or analysis
	MaxArticlesPerEvent int            // SLANT_MAX_ARTICLES_PER_EVENT
	RateWrite           api.Rate       // SLANT_RATE_WRITE
	RateAnalyze         api.Rate       // SLANT_RATE_ANALYZE
	RateFetch           api.Rate       // SLANT_RATE_FETCH
	RateRead            api.Rate       // SLANT_RATE_READ
	RateIPv6Prefix      int            // SLANT_RATE_IPV6_PREFIX: bits of an IPv6 address that name one client
	TrustedProxies      []netip.Prefix // SLANT_TRUSTED_PROXIES
	CORSOrigins         []string       // SLANT_CORS_ORIGINS
	RequestTimeout      time.Duration  // SLANT_REQUEST_TIMEOUT

	FetchAllowLoopback bool  // SLANT_FETCH_ALLOW_LOOPBACK: let URL fetches reach this machine (tests, development)
	MaxImportBytes     int64 // SLANT_MAX_IMPORT_BYTES: body of POST /api/v1/import
	ReanalyzeWorkers   int   // SLANT_REANALYZE_WORKERS: background re-analysis pool; 0 switches it off

	LLM        llm.Config // SLANT_LLM_*: the optional language model (llm.FromEnv); the key is never logged
	LLMEnabled bool       // SLANT_LLM_BASE_URL and SLANT_LLM_MODEL are set
}

// Defaults and bounds of the settings that have them.
const (
	defaultMaxBodyBytes   = api.DefaultMaxBodyBytes
	defaultMaxTextBytes   = desk.DefaultMaxTextBytes
	defaultMaxArticles    = desk.DefaultMaxArticlesPerEvent
	defaultRequestTimeout = api.DefaultRequestTimeout
	minAdminTokenLength   = 16
	maxArticlesPerEvent   = 1000
	minRequestTimeout     = time.Second
	maxRequestTimeout     = 10 * time.Minute
	defaultMaxImportBytes = api.DefaultMaxImportBytes
	maxImportBytes        = 1 << 30
	maxReanalyzeWorkers   = 64
	maxStudents           = 100_000
	minExerciseTTL        = time.Hour
	maxExerciseTTL        = 366 * 24 * time.Hour
	// minIPv6Prefix: a shorter prefix would put whole providers' customers
	// in one bucket.
	minIPv6Prefix = 32
)

// ConfigVariables names every environment variable loadConfig reads, so
// that deployment files can be checked against it.
func ConfigVariables() []string {
	return append([]string{
		"SLANT_ADDR", "DB_DRIVER", "DB_PATH", "DATABASE_URL", "SLANT_DEMO", "SLANT_MAX_BODY_BYTES", "SLANT_LOG_LEVEL",
		"SLANT_ADMIN_TOKEN", "SLANT_READ_ONLY", "SLANT_PUBLIC_READ", "SLANT_MAX_STUDENTS", "SLANT_STUDENTS_PER_ADDRESS", "SLANT_EXERCISE_TTL",
		"SLANT_MAX_TEXT_BYTES", "SLANT_MAX_ARTICLES_PER_EVENT",
		"SLANT_RATE_WRITE", "SLANT_RATE_ANALYZE", "SLANT_RATE_FETCH", "SLANT_RATE_READ", "SLANT_RATE_IPV6_PREFIX",
		"SLANT_TRUSTED_PROXIES", "SLANT_CORS_ORIGINS",
		"SLANT_REQUEST_TIMEOUT", "SLANT_LEXICON_OVERLAY",
		"SLANT_FETCH_ALLOW_LOOPBACK", "SLANT_MAX_IMPORT_BYTES", "SLANT_REANALYZE_WORKERS",
	}, llm.EnvVariables()...)
}

func LoadConfig(getenv func(string) string) (Config, error) {
	cfg := Config{
		Addr:         orDefault(getenv("SLANT_ADDR"), ":8080"),
		DBDriver:     strings.ToLower(orDefault(getenv("DB_DRIVER"), "sqlite")),
		DBPath:       orDefault(getenv("DB_PATH"), "slant.db"),
		DatabaseURL:  getenv("DATABASE_URL"),
		Demo:         true,
		MaxBodyBytes: defaultMaxBodyBytes,
		LogLevel:     strings.ToLower(orDefault(getenv("SLANT_LOG_LEVEL"), "info")),

		MaxTextBytes:        defaultMaxTextBytes,
		MaxArticlesPerEvent: defaultMaxArticles,
		MaxStudents:         api.DefaultMaxStudents,
		StudentsPerAddress:  api.DefaultStudentsPerAddress,
		ExerciseTTL:         api.DefaultExerciseTTL,
		RateWrite:           api.DefaultWriteRate,
		RateAnalyze:         api.DefaultAnalyzeRate,
		RateFetch:           api.DefaultFetchRate,
		RateRead:            api.DefaultReadRate,
		RateIPv6Prefix:      api.DefaultIPv6Prefix,
		RequestTimeout:      defaultRequestTimeout,

		MaxImportBytes:   defaultMaxImportBytes,
		ReanalyzeWorkers: defaultReanalyzeWorkers(),
	}
	switch cfg.DBDriver {
	case "sqlite":
	case "postgres":
		if cfg.DatabaseURL == "" {
			return cfg, fmt.Errorf("DATABASE_URL is required when DB_DRIVER=postgres")
		}
	default:
		return cfg, fmt.Errorf("DB_DRIVER %q is not supported: use sqlite or postgres", cfg.DBDriver)
	}
	if err := loadBool(getenv, "SLANT_DEMO", &cfg.Demo); err != nil {
		return cfg, err
	}
	if v := getenv("SLANT_MAX_BODY_BYTES"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1024 {
			return cfg, fmt.Errorf("SLANT_MAX_BODY_BYTES %q must be a whole number of bytes, at least 1024", v)
		}
		cfg.MaxBodyBytes = n
	}
	switch cfg.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return cfg, fmt.Errorf("SLANT_LOG_LEVEL %q must be debug, info, warn or error", cfg.LogLevel)
	}
	if err := loadAccessConfig(&cfg, getenv); err != nil {
		return cfg, err
	}
	if err := loadIngestConfig(&cfg, getenv); err != nil {
		return cfg, err
	}
	llmCfg, llmOn, err := llm.FromEnv(getenv) // its errors name their variable
	if err != nil {
		return cfg, err
	}
	cfg.LLM, cfg.LLMEnabled = llmCfg, llmOn
	return cfg, nil
}

// loadBool sets *dst from the boolean variable name when it is set
// (surrounding space allowed), and names the variable when it is not a
// boolean.
func loadBool(getenv func(string) string, name string, dst *bool) error {
	v := getenv(name)
	if v == "" {
		return nil
	}
	on, err := strconv.ParseBool(strings.TrimSpace(v))
	if err != nil {
		return fmt.Errorf("%s %q is not a boolean (use 1 or 0)", name, v)
	}
	*dst = on
	return nil
}

// defaultReanalyzeWorkers is half the CPUs, at least one: the background
// re-analysis leaves the other half to the requests.
func defaultReanalyzeWorkers() int { return max(1, runtime.NumCPU()/2) }

// loadIngestConfig reads the settings of getting articles in and keeping
// their analyses current: URL fetching, the import size and the
// background re-analysis.
func loadIngestConfig(cfg *Config, getenv func(string) string) error {
	if err := loadBool(getenv, "SLANT_FETCH_ALLOW_LOOPBACK", &cfg.FetchAllowLoopback); err != nil {
		return err
	}
	if v := getenv("SLANT_MAX_IMPORT_BYTES"); v != "" {
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		if err != nil || n < 1024 || n > maxImportBytes {
			return fmt.Errorf("SLANT_MAX_IMPORT_BYTES %q must be a whole number of bytes from 1024 to %d", v, maxImportBytes)
		}
		cfg.MaxImportBytes = n
	}
	if v := getenv("SLANT_REANALYZE_WORKERS"); v != "" {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 0 || n > maxReanalyzeWorkers {
			return fmt.Errorf("SLANT_REANALYZE_WORKERS %q must be a whole number from 0 (off) to %d", v, maxReanalyzeWorkers)
		}
		cfg.ReanalyzeWorkers = n
	}
	return nil
}

// loadAccessConfig reads the settings for running Slant in the open:
// access, limits, client addresses, CORS and the request deadline.
func loadAccessConfig(cfg *Config, getenv func(string) string) error {
	for _, load := range []func(*Config, func(string) string) error{
		loadWriteAccess, loadArticleLimits, loadRates, loadClients, loadRequestTimeout,
	} {
		if err := load(cfg, getenv); err != nil {
			return err
		}
	}
	return nil
}

// loadWriteAccess reads who may write: the admin token and read-only
// mode.
func loadWriteAccess(cfg *Config, getenv func(string) string) error {
	if v := strings.TrimSpace(getenv("SLANT_ADMIN_TOKEN")); v != "" {
		// The value never appears in an error: it is a secret even when
		// it is a bad one.
		if len(v) < minAdminTokenLength {
			return fmt.Errorf("SLANT_ADMIN_TOKEN is too short (%d characters): use at least %d, such as the output of `openssl rand -hex 32`", len(v), minAdminTokenLength)
		}
		for _, r := range v {
			if r <= ' ' || r > '~' {
				return fmt.Errorf("SLANT_ADMIN_TOKEN must be printable ASCII without spaces, so that it fits an Authorization header")
			}
		}
		cfg.AdminToken = v
	}
	if err := loadBool(getenv, "SLANT_READ_ONLY", &cfg.ReadOnly); err != nil {
		return err
	}
	if err := loadBool(getenv, "SLANT_PUBLIC_READ", &cfg.PublicRead); err != nil {
		return err
	}
	if err := loadClassroomConfig(cfg, getenv); err != nil {
		return err
	}
	return nil
}

// loadArticleLimits reads the desk's limits: the text of one article and
// the articles of one event.
func loadArticleLimits(cfg *Config, getenv func(string) string) error {
	if v := getenv("SLANT_MAX_TEXT_BYTES"); v != "" {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 1024 {
			return fmt.Errorf("SLANT_MAX_TEXT_BYTES %q must be a whole number of bytes, at least 1024", v)
		}
		if int64(n) > cfg.MaxBodyBytes {
			return fmt.Errorf("SLANT_MAX_TEXT_BYTES (%d) must not be larger than SLANT_MAX_BODY_BYTES (%d): the text travels in the body", n, cfg.MaxBodyBytes)
		}
		cfg.MaxTextBytes = n
	} else if int64(cfg.MaxTextBytes) > cfg.MaxBodyBytes {
		// A small body limit set on its own brings the text limit down
		// with it.
		cfg.MaxTextBytes = int(cfg.MaxBodyBytes)
	}
	if v := getenv("SLANT_MAX_ARTICLES_PER_EVENT"); v != "" {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 2 || n > maxArticlesPerEvent {
			return fmt.Errorf("SLANT_MAX_ARTICLES_PER_EVENT %q must be a whole number from 2 to %d", v, maxArticlesPerEvent)
		}
		cfg.MaxArticlesPerEvent = n
	}
	return nil
}

// loadRates reads the per-client rates of writes, analyses and fetches.
func loadRates(cfg *Config, getenv func(string) string) error {
	for _, r := range []struct {
		name string
		dst  *api.Rate
	}{{"SLANT_RATE_WRITE", &cfg.RateWrite}, {"SLANT_RATE_ANALYZE", &cfg.RateAnalyze}, {"SLANT_RATE_FETCH", &cfg.RateFetch}, {"SLANT_RATE_READ", &cfg.RateRead}} {
		v := getenv(r.name)
		if v == "" {
			continue
		}
		rate, err := api.ParseRate(v)
		if err != nil {
			return fmt.Errorf("%s: %w", r.name, err)
		}
		*r.dst = rate
	}
	if v := getenv("SLANT_RATE_IPV6_PREFIX"); v != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(strings.TrimSpace(v), "/"))
		if err != nil || n < minIPv6Prefix || n > 128 {
			return fmt.Errorf("SLANT_RATE_IPV6_PREFIX %q must be a prefix length from %d to 128, such as 64 (one subscriber's network) or 128 (each address apart)", v, minIPv6Prefix)
		}
		cfg.RateIPv6Prefix = n
	}
	return nil
}

// loadClients reads where clients are: the proxies whose forwarding
// headers are believed, and the origins whose pages may call the API.
func loadClients(cfg *Config, getenv func(string) string) error {
	proxies, err := parseTrustedProxies(getenv("SLANT_TRUSTED_PROXIES"))
	if err != nil {
		return fmt.Errorf("SLANT_TRUSTED_PROXIES: %w", err)
	}
	cfg.TrustedProxies = proxies
	origins, err := parseOrigins(getenv("SLANT_CORS_ORIGINS"))
	if err != nil {
		return fmt.Errorf("SLANT_CORS_ORIGINS: %w", err)
	}
	cfg.CORSOrigins = origins
	return nil
}

// loadRequestTimeout reads the deadline of each request.
func loadRequestTimeout(cfg *Config, getenv func(string) string) error {
	if v := getenv("SLANT_REQUEST_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil || d < minRequestTimeout || d > maxRequestTimeout {
			return fmt.Errorf("SLANT_REQUEST_TIMEOUT %q must be a duration from %s to %s, such as 30s", v, minRequestTimeout, maxRequestTimeout)
		}
		cfg.RequestTimeout = d
	}
	return nil
}

// loadClassroomConfig reads the limits of class exercises.
func loadClassroomConfig(cfg *Config, getenv func(string) string) error {
	if v := strings.TrimSpace(getenv("SLANT_MAX_STUDENTS")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > maxStudents {
			return fmt.Errorf("SLANT_MAX_STUDENTS %q must be a whole number from 1 to %d, or 0 for no limit", v, maxStudents)
		}
		cfg.MaxStudents = n
		if n == 0 {
			cfg.MaxStudents = -1
		}
	}
	if v := strings.TrimSpace(getenv("SLANT_STUDENTS_PER_ADDRESS")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > maxStudents {
			return fmt.Errorf("SLANT_STUDENTS_PER_ADDRESS %q must be a whole number from 1 to %d, or 0 for no cap", v, maxStudents)
		}
		cfg.StudentsPerAddress = n
		if n == 0 {
			cfg.StudentsPerAddress = -1
		}
	}
	if v := strings.TrimSpace(getenv("SLANT_EXERCISE_TTL")); v != "" {
		d, err := parseDays(v)
		if err != nil || (d != 0 && (d < minExerciseTTL || d > maxExerciseTTL)) {
			return fmt.Errorf("SLANT_EXERCISE_TTL %q must be a duration from 1h to 366d, such as 14d or 36h, or 0 for codes that work until the teacher ends the exercise", v)
		}
		cfg.ExerciseTTL = d
		if d == 0 {
			cfg.ExerciseTTL = -1
		}
	}
	return nil
}

// parseDays reads a duration as time.ParseDuration does, and also a whole
// number of days written "14d", which is how a teacher says it.
func parseDays(v string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(v, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("%q is not a whole number of days", v)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	return time.ParseDuration(v)
}

// parseTrustedProxies reads a comma-separated list of CIDR prefixes or
// single addresses. A prefix that covers every address is refused: it
// would let any client choose its own address for the rate limits.
func parseTrustedProxies(v string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range strings.Split(v, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		var p netip.Prefix
		if strings.Contains(item, "/") {
			var err error
			if p, err = netip.ParsePrefix(item); err != nil {
				return nil, fmt.Errorf("%q is not a CIDR prefix such as 192.0.2.0/24 or an address", item)
			}
		} else {
			addr, err := netip.ParseAddr(item)
			if err != nil || addr.Zone() != "" {
				return nil, fmt.Errorf("%q is not a CIDR prefix such as 192.0.2.0/24 or an address", item)
			}
			p = netip.PrefixFrom(addr, addr.BitLen())
		}
		if p.Bits() == 0 {
			return nil, fmt.Errorf("%q trusts every address, which would let any client choose its own; list the load balancers' addresses", item)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// parseOrigins reads a comma-separated list of origins, each exactly
// scheme://host[:port] as a browser sends it in the Origin header. They are
// returned in that canonical form: lower case, default port dropped.
func parseOrigins(v string) ([]string, error) {
	var out []string
	for _, item := range strings.Split(v, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		origin, err := parseOrigin(item)
		if err != nil {
			return nil, err
		}
		out = append(out, origin)
	}
	return out, nil
}

// parseOrigin reads one origin into its canonical form.
func parseOrigin(item string) (string, error) {
	if item == "*" || strings.EqualFold(item, "null") {
		return "", fmt.Errorf("%q is not allowed: list the exact origins, such as https://school.example", item)
	}
	u, err := url.Parse(item)
	if err != nil || !isOrigin(u) {
		return "", fmt.Errorf("%q is not an origin: write scheme://host[:port], such as https://school.example, with no path", item)
	}
	scheme, host, port := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname()), u.Port()
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	origin := scheme + "://" + host
	if port != "" {
		origin += ":" + port
	}
	return origin, nil
}

// isOrigin reports whether a parsed URL is only scheme://host[:port]: no
// user, path, query, fragment or wildcard.
func isOrigin(u *url.URL) bool {
	return (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil &&
		strings.TrimSuffix(u.Path, "/") == "" && u.RawQuery == "" && u.Fragment == "" && !strings.Contains(u.Host, "*")
}

// dsn is the data source for the configured driver.
func (c Config) dsn() string {
	if c.DBDriver == "postgres" {
		return c.DatabaseURL
	}
	return c.DBPath
}

func orDefault(v, def string) string {
	if strings.TrimSpace(v) == "" {
		return def
	}
	return v
}
