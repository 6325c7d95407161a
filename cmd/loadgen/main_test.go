package main

import "testing"

func TestLoopback(t *testing.T) {
	for _, tt := range []struct {
		addr string
		ok   bool
	}{
		{"127.0.0.1:8080", true},
		{"[::1]:8080", true},
		{"localhost:8080", true},
		{"10.0.0.1:8080", false},
		{"example.com:80", false},
		{"127.0.0.1", false},
	} {
		if err := loopback(tt.addr); (err == nil) != tt.ok {
			t.Errorf("loopback(%q) = %v, want ok=%v", tt.addr, err, tt.ok)
		}
	}
}
