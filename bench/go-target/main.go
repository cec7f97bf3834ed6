// A fast stand-in for an endpoint, for benchmarks that measure podbench (and its peers)
// rather than the target: stdlib only, built by bench/support.ts (spawnGoTarget) into a
// cache outside the repository. Prints "listening <port>" and serves on 127.0.0.1 until
// SIGTERM. Routes are matched by path suffix, so any endpoint URL shape works:
//
//	POST .../runsync                          a finished job at once (as bench/fast-target.ts)
//	GET  .../health                           the endpoint's counts (as bench/fast-target.ts)
//	GET  .../models                           one model, "go-target"
//	GET  .../target-stats                     requests answered so far, by route (for benchmarks)
//	POST .../chat/completions, .../completions  OpenAI: at once, or streamed when "stream": true
//
// A stream's timings are exact: SSE headers at once, the first token chunk -ttft-ms after
// the request arrived, then one every -token-ms, each on an absolute deadline from arrival
// (no drift from write time), -tokens chunks in all, then the usage chunk when
// stream_options.include_usage asks for it (vLLM's shape), then "data: [DONE]".
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

var (
	ttftMs  = flag.Int("ttft-ms", 300, "time from a request's arrival to its first token chunk, ms")
	tokenMs = flag.Int("token-ms", 10, "time between token chunks, ms")
	tokens  = flag.Int("tokens", 20, "token chunks in a streamed answer (and completion_tokens in every answer)")
)

const promptTokens = 16

// Requests answered, by route, so a benchmark counts every tool's requests the same way.
var answered struct{ runsync, openai, health atomic.Int64 }

var done = []byte(`{"delayTime":0,"executionTime":0,"id":"sync-00000000-0000-4000-8000-000000000000-u1",` +
	`"output":[{"choices":[{"tokens":["ok"]}],"usage":{"input":4,"output":1}}],"status":"COMPLETED","workerId":"fast"}`)

var health = []byte(`{"jobs":{"completed":0,"failed":0,"inProgress":0,"inQueue":0,"retried":0},` +
	`"workers":{"idle":0,"initializing":0,"ready":1,"running":0,"throttled":0,"unhealthy":0}}`)

var models = []byte(`{"object":"list","data":[{"id":"go-target","object":"model","owned_by":"podbench"}]}`)

type openaiRequest struct {
	Model         string `json:"model"`
	Stream        bool   `json:"stream"`
	StreamOptions *struct {
		IncludeUsage bool `json:"include_usage"`
	} `json:"stream_options"`
}

func writeJSON(w http.ResponseWriter, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	w.Write(body)
}

func usageJSON() string {
	return fmt.Sprintf(`{"prompt_tokens":%d,"completion_tokens":%d,"total_tokens":%d}`,
		promptTokens, *tokens, promptTokens+*tokens)
}

func openai(w http.ResponseWriter, r *http.Request, arrived time.Time, chat bool) {
	raw, err := io.ReadAll(r.Body)
	var req openaiRequest
	if err == nil {
		err = json.Unmarshal(raw, &req)
	}
	if err != nil {
		http.Error(w, `{"error":{"message":"bad JSON body"}}`, http.StatusBadRequest)
		return
	}
	model := req.Model
	if model == "" {
		model = "go-target"
	}
	model = strconv.Quote(model)
	created := arrived.Unix()
	if !req.Stream {
		text := strings.Repeat("ok ", *tokens)
		var body string
		if chat {
			body = fmt.Sprintf(`{"id":"chatcmpl-go","object":"chat.completion","created":%d,"model":%s,`+
				`"choices":[{"index":0,"message":{"role":"assistant","content":%q},"finish_reason":"length"}],"usage":%s}`,
				created, model, text, usageJSON())
		} else {
			body = fmt.Sprintf(`{"id":"cmpl-go","object":"text_completion","created":%d,"model":%s,`+
				`"choices":[{"index":0,"text":%q,"finish_reason":"length"}],"usage":%s}`,
				created, model, text, usageJSON())
		}
		writeJSON(w, []byte(body))
		return
	}
	flusher, _ := w.(http.Flusher)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	if flusher != nil {
		flusher.Flush()
	}
	var prefix, object string
	if chat {
		prefix, object = "chatcmpl-go", "chat.completion.chunk"
	} else {
		prefix, object = "cmpl-go", "text_completion"
	}
	head := fmt.Sprintf(`data: {"id":"%s","object":"%s","created":%d,"model":%s,"choices":[`, prefix, object, created, model)
	ctx := r.Context()
	for i := 0; i < *tokens; i++ {
		deadline := arrived.Add(time.Duration(*ttftMs)*time.Millisecond + time.Duration(i**tokenMs)*time.Millisecond)
		if wait := time.Until(deadline); wait > 0 {
			timer := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				timer.Stop()
				return
			case <-timer.C:
			}
		}
		finish := "null"
		if i == *tokens-1 {
			finish = `"length"`
		}
		var choice string
		if chat {
			choice = fmt.Sprintf(`{"index":0,"delta":{"content":"ok "},"finish_reason":%s}`, finish)
		} else {
			choice = fmt.Sprintf(`{"index":0,"text":"ok ","finish_reason":%s}`, finish)
		}
		if _, err := io.WriteString(w, head+choice+"]}\n\n"); err != nil {
			return
		}
		if flusher != nil {
			flusher.Flush()
		}
	}
	if req.StreamOptions != nil && req.StreamOptions.IncludeUsage {
		io.WriteString(w, head+`],"usage":`+usageJSON()+"}\n\n")
		if flusher != nil {
			flusher.Flush()
		}
	}
	io.WriteString(w, "data: [DONE]\n\n")
	if flusher != nil {
		flusher.Flush()
	}
}

func handle(w http.ResponseWriter, r *http.Request) {
	arrived := time.Now()
	path := r.URL.Path
	switch {
	case strings.HasSuffix(path, "/chat/completions"):
		answered.openai.Add(1)
		openai(w, r, arrived, true)
	case strings.HasSuffix(path, "/completions"):
		answered.openai.Add(1)
		openai(w, r, arrived, false)
	case strings.HasSuffix(path, "/target-stats"):
		writeJSON(w, []byte(fmt.Sprintf(`{"runsync":%d,"openai":%d,"health":%d}`,
			answered.runsync.Load(), answered.openai.Load(), answered.health.Load())))
	case strings.HasSuffix(path, "/models"):
		io.Copy(io.Discard, r.Body)
		writeJSON(w, models)
	case strings.HasSuffix(path, "/health"):
		answered.health.Add(1)
		io.Copy(io.Discard, r.Body)
		writeJSON(w, health)
	case strings.HasSuffix(path, "/runsync"):
		answered.runsync.Add(1)
		io.Copy(io.Discard, r.Body)
		writeJSON(w, done)
	default:
		io.Copy(io.Discard, r.Body)
		http.Error(w, `{"error":"no such route"}`, http.StatusNotFound)
	}
}

func main() {
	flag.Parse()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	server := &http.Server{Handler: http.HandlerFunc(handle), IdleTimeout: 60 * time.Second}
	fmt.Printf("listening %d\n", listener.Addr().(*net.TCPAddr).Port)
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-stop
		server.Close()
	}()
	if err := server.Serve(listener); err != nil && err != http.ErrServerClosed {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
