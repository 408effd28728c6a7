// tmploracle runs Go's text/template (optionally with sprig's functions) over a batch of cases
// read as JSON lines on stdin and writes one JSON line per case: {"id","output"} or {"id","error"}.
// The TypeScript engine's differential tests compare their results with these byte for byte.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"
)

type request struct {
	ID       string          `json:"id"`
	Template string          `json:"template"`
	Data     json.RawMessage `json:"data"`
	// Mode: "default", "zero", "error" (Go's missingkey option) or "katalog"
	// (missingkey=zero, "<no value>" removed, output TrimSpace'd).
	Mode string `json:"mode"`
	// Funcs: "" (Go builtins only) or "sprig".
	Funcs string `json:"funcs"`
}

type response struct {
	ID     string  `json:"id"`
	Output *string `json:"output,omitempty"`
	Error  *string `json:"error,omitempty"`
}

// decode reads JSON like Kubernetes unstructured objects: integers become int64, other numbers float64.
func decode(raw json.RawMessage) (any, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return convert(v), nil
}

func convert(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return i
		}
		f, _ := strconv.ParseFloat(string(x), 64)
		return f
	case map[string]any:
		for k, e := range x {
			x[k] = convert(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = convert(e)
		}
		return x
	}
	return v
}

func run(req request) (out string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &panicError{r}
		}
	}()
	t := template.New("t")
	if req.Funcs == "sprig" {
		funcs := sprig.TxtFuncMap()
		// sprig's list "slice" shadows Go's builtin; Orkestra keeps the builtin.
		delete(funcs, "slice")
		t = t.Funcs(funcs)
	}
	switch req.Mode {
	case "zero", "katalog":
		t = t.Option("missingkey=zero")
	case "error":
		t = t.Option("missingkey=error")
	}
	if t, err = t.Parse(req.Template); err != nil {
		return "", err
	}
	data, err := decode(req.Data)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		return "", err
	}
	out = b.String()
	if req.Mode == "katalog" {
		out = strings.TrimSpace(strings.ReplaceAll(out, "<no value>", ""))
	}
	return out, nil
}

type panicError struct{ v any }

func (p *panicError) Error() string { return "panic" }

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 64<<20)
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for in.Scan() {
		var req request
		resp := response{}
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			msg := "bad request: " + err.Error()
			resp.Error = &msg
		} else {
			resp.ID = req.ID
			out, err := run(req)
			if err != nil {
				msg := err.Error()
				resp.Error = &msg
			} else {
				resp.Output = &out
			}
		}
		_ = enc.Encode(resp)
	}
}
