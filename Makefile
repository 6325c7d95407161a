# Rongtong — the two commands a fresh machine needs are `make run` and `make test`.
GO       ?= go
BIN      := bin/rongtong
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X main.version=$(VERSION)
FUZZTIME ?= 10s

.PHONY: all build run test vet unit fuzz bench clean

all: build

build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/rongtong

# Serve on the embedded store in ./data, seeding the demo on an empty data dir.
run: build
	./$(BIN) seed --demo --if-empty
	./$(BIN) serve

# Everything CI runs.
test: vet unit fuzz

vet:
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { gofmt -l .; echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...

unit:
	$(GO) test -race -count=1 -timeout 15m ./...

# Short fuzz runs of request decoding and validation.
fuzz:
	$(GO) test -run='^$$' -fuzz='^FuzzDecodeListing$$' -fuzztime=$(FUZZTIME) ./handlers
	$(GO) test -run='^$$' -fuzz='^FuzzDecodeOrg$$' -fuzztime=$(FUZZTIME) ./handlers

bench:
	$(GO) test -run='^$$' -bench=. -benchtime=1x ./store/...

clean:
	rm -rf bin
