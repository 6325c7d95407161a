package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"sync"
	"time"
)

// logBuffer batches the server's log lines into few writes: a busy server
// logs a line per request, and a write to stderr per line costs about as
// much as a small request. Lines wait at most logFlushEvery, or until
// logBufferSize bytes are held; warnings and errors go out at once
// (flushHandler), and Close writes what is left.
type logBuffer struct {
	mu   sync.Mutex
	w    *bufio.Writer
	stop chan struct{}
	done chan struct{}
}

const (
	logFlushEvery = 200 * time.Millisecond
	logBufferSize = 64 << 10
)

func newLogBuffer(w io.Writer) *logBuffer {
	b := &logBuffer{w: bufio.NewWriterSize(w, logBufferSize), stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(b.done)
		t := time.NewTicker(logFlushEvery)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				_ = b.Flush()
			case <-b.stop:
				return
			}
		}
	}()
	return b
}

// Write holds p, a whole log line, for the next flush.
func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.w.Write(p)
}

// Flush writes out the lines held.
func (b *logBuffer) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.w.Flush()
}

// Close stops the periodic flush and writes out what is held.
func (b *logBuffer) Close() error {
	close(b.stop)
	<-b.done
	return b.Flush()
}

// flushHandler writes a record at warning level or above out at once.
type flushHandler struct {
	slog.Handler
	buf *logBuffer
}

func (h flushHandler) Handle(ctx context.Context, r slog.Record) error {
	err := h.Handler.Handle(ctx, r)
	if r.Level >= slog.LevelWarn {
		if ferr := h.buf.Flush(); err == nil {
			err = ferr
		}
	}
	return err
}

func (h flushHandler) WithAttrs(as []slog.Attr) slog.Handler {
	return flushHandler{h.Handler.WithAttrs(as), h.buf}
}

func (h flushHandler) WithGroup(name string) slog.Handler {
	return flushHandler{h.Handler.WithGroup(name), h.buf}
}

// newBufferedLogger is newLogger writing through a logBuffer, which the
// caller closes.
func newBufferedLogger(c Config, w io.Writer) (*slog.Logger, *logBuffer) {
	buf := newLogBuffer(w)
	return slog.New(flushHandler{newLogger(c, buf).Handler(), buf}), buf
}
