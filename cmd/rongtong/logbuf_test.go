package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
)

// syncBuffer is a bytes.Buffer safe for the flusher's goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestBufferedLoggerFlushesWarningsAtOnceAndTheRestOnClose(t *testing.T) {
	var out syncBuffer
	c := DefaultConfig()
	log, buf := newBufferedLogger(c, &out)
	log.Info("request", "route", "/api/v1/search")
	log.With("part", "index").Warn("slow")
	got := out.String()
	if !strings.Contains(got, `"msg":"slow"`) || !strings.Contains(got, `"part":"index"`) {
		t.Fatalf("a warning is not written at once: %q", got)
	}
	if !strings.Contains(got, `"msg":"request"`) {
		t.Fatalf("the line held before the warning is not written with it: %q", got)
	}
	log.Info("later")
	if err := buf.Close(); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"msg":"later"`) {
		t.Fatalf("Close does not write what is held: %q", out.String())
	}
}
