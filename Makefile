# Rongtong — the two commands a fresh machine needs are `make run` and `make test`.
GO       ?= go
BIN      := bin/rongtong
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
FUZZTIME ?= 10s

.PHONY: all build run test vet unit fuzz frontend e2e bench clean

all: build

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/rongtong

# Serve on the embedded store in ./data, seeding the demo on an empty data
# dir (in the background: the server answers at once).
run: build
	./$(BIN) serve --demo-if-empty

# Everything CI runs.
test: vet unit fuzz frontend e2e

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...

# The packages whose code runs concurrently (the store adapters, the index
# and its follower, the use cases, the HTTP layer, mail queues, the batch
# job's workers) run under the race detector; the rest, mostly long
# single-threaded evaluations and the command-line tests, run without it to
# keep CI within its time.
RACE_PKGS := ./app/... ./store/... ./search/... ./mail/... ./handlers/... ./matching/propose/...
RACE_RE   := /(app|store|search|mail|handlers)(/|$$)|/matching/propose$$

unit:
	$(GO) test -race -count=1 -timeout 15m $(RACE_PKGS)
	$(GO) test -count=1 -timeout 15m $$($(GO) list ./... | grep -vE '$(RACE_RE)')

# Short fuzz runs of request decoding and validation.
fuzz:
	$(GO) test -run='^$$' -fuzz='^FuzzDecodeListing$$' -fuzztime=$(FUZZTIME) ./handlers
	$(GO) test -run='^$$' -fuzz='^FuzzDecodeOrg$$' -fuzztime=$(FUZZTIME) ./handlers

# The web UI: install, type-check, unit tests, build; the committed dist/
# must be what the sources build.
frontend:
	cd frontend && npm ci --no-audit --no-fund && npm run typecheck && npm test && npm run build
	@test -z "$$(git status --porcelain -- frontend/dist)" || { git status --short -- frontend/dist | head; echo "frontend/dist differs from a fresh build of the sources: run 'cd frontend && npm run build' and commit dist"; exit 1; }

# Browser tests (Debian's chromium via playwright-core) against the real binary.
e2e: build
	./scripts/e2e.sh

bench:
	$(GO) test -run='^$$' -bench=. -benchtime=1x ./store/...

clean:
	rm -rf bin
