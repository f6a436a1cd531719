package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a buffer the command writes while the test reads it.
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

// dsim explore serves the scenarios until it is interrupted, then exits 0.
func TestExploreServesUntilInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out, errs syncBuffer
	code := make(chan int, 1)
	go func() { code <- run(ctx, []string{"explore", "-addr", "127.0.0.1:0"}, &out, &errs) }()
	addr := regexp.MustCompile(`http://127\.0\.0\.1:\d+/`)
	deadline := time.Now().Add(10 * time.Second)
	for addr.FindString(out.String()) == "" {
		if time.Now().After(deadline) {
			t.Fatalf("no address printed: %q %q", out.String(), errs.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	resp, err := http.Get(addr.FindString(out.String()))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, name := range []string{"queueing", "metastable", "quorum", "crdt", "csi"} {
		if !strings.Contains(string(body), `href="/s/`+name+`"`) {
			t.Errorf("the index does not list %s", name)
		}
	}
	cancel()
	select {
	case c := <-code:
		if c != 0 {
			t.Fatalf("exit %d after Ctrl-C: %s", c, errs.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("dsim explore did not stop when interrupted")
	}
}

func TestExploreFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"explore", "-timeout", "0"}, 2, "-timeout 0s: must be between 1ns and 1h"},
		{[]string{"explore", "-runs", "-1"}, 2, "-runs -1: must be between 0"},
		{[]string{"explore", "extra"}, 2, "unexpected arguments"},
		{[]string{"explore", "-addr", "256.1.1.1:80"}, 1, "explore: listen tcp"},
	} {
		var out, errs bytes.Buffer
		if code := run(context.Background(), c.args, &out, &errs); code != c.code || !strings.Contains(errs.String(), c.msg) {
			t.Errorf("%v: exit %d (want %d), stderr %q", c.args, code, c.code, errs.String())
		}
	}
}
