package verify

import (
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func readAll(t testing.TB, in string) ([]sseEvent, int64, error) {
	p := newSSEReader(strings.NewReader(in), 1024, 4096)
	var out []sseEvent
	for {
		ev, err := p.Next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = nil
			}
			return out, p.Retry(), err
		}
		out = append(out, ev)
	}
}

func TestSSEParser(t *testing.T) {
	cases := []struct {
		name  string
		in    string
		want  []sseEvent
		retry int64
	}{
		{"one event", "event: revocation\nid: 7\ndata: {}\n\n", []sseEvent{{"revocation", "{}", "7"}}, -1},
		{"default type message", "data: x\n\n", []sseEvent{{"message", "x", ""}}, -1},
		{"data lines joined by LF", "data: a\ndata: b\n\n", []sseEvent{{"message", "a\nb", ""}}, -1},
		{"CRLF line ends", "data: a\r\nid: 1\r\n\r\n", []sseEvent{{"message", "a", "1"}}, -1},
		{"CR line ends", "data: a\rid: 2\r\r", []sseEvent{{"message", "a", "2"}}, -1},
		{"mixed line ends", "data: a\r\ndata: b\rdata: c\n\n", []sseEvent{{"message", "a\nb\nc", ""}}, -1},
		{"comments ignored", ": keepalive\n\n: another\ndata: x\n\n", []sseEvent{{"message", "x", ""}}, -1},
		{"only one leading space dropped", "data:  two\n\n", []sseEvent{{"message", " two", ""}}, -1},
		{"no space after colon", "data:x\n\n", []sseEvent{{"message", "x", ""}}, -1},
		{"field without colon", "data\n\n", []sseEvent{{"message", "", ""}}, -1},
		{"empty data still dispatched", "data:\n\n", []sseEvent{{"message", "", ""}}, -1},
		{"no data: nothing dispatched", "event: revocation\nid: 3\n\ndata: y\n\n", []sseEvent{{"message", "y", "3"}}, -1},
		{"id persists", "id: 5\ndata: a\n\ndata: b\n\n", []sseEvent{{"message", "a", "5"}, {"message", "b", "5"}}, -1},
		{"empty id resets", "id: 5\ndata: a\n\nid\ndata: b\n\n", []sseEvent{{"message", "a", "5"}, {"message", "b", ""}}, -1},
		{"id with NUL ignored", "id: 5\ndata: a\n\nid: 6\x007\ndata: b\n\n", []sseEvent{{"message", "a", "5"}, {"message", "b", "5"}}, -1},
		{"type does not persist", "event: x\ndata: a\n\ndata: b\n\n", []sseEvent{{"x", "a", ""}, {"message", "b", ""}}, -1},
		{"unknown fields ignored", "foo: bar\ndata: a\n\n", []sseEvent{{"message", "a", ""}}, -1},
		{"field names are case-sensitive", "Data: a\ndata: b\n\n", []sseEvent{{"message", "b", ""}}, -1},
		{"unterminated event dropped", "data: a\n\ndata: b\n", []sseEvent{{"message", "a", ""}}, -1},
		{"unterminated line dropped", "data: a\n\ndata: b", []sseEvent{{"message", "a", ""}}, -1},
		{"byte order mark dropped", "\xEF\xBB\xBFdata: a\n\n", []sseEvent{{"message", "a", ""}}, -1},
		{"only the first BOM dropped", "\xEF\xBB\xBF\xEF\xBB\xBFdata: a\n\n", nil, -1},
		{"retry digits", "retry: 1500\n\n", nil, 1500},
		{"retry non-digits ignored", "retry: 15s\n\n", nil, -1},
		{"colon in value kept", "data: a:b: c\n\n", []sseEvent{{"message", "a:b: c", ""}}, -1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, retry, err := readAll(t, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) || retry != tc.retry {
				t.Fatalf("got %q retry %d, want %q retry %d", got, retry, tc.want, tc.retry)
			}
		})
	}
}

func TestSSELimits(t *testing.T) {
	if _, _, err := readAll(t, "data: "+strings.Repeat("x", 2000)+"\n\n"); !errors.Is(err, errSSELine) {
		t.Fatalf("long line: %v", err)
	}
	if _, _, err := readAll(t, strings.Repeat("data: "+strings.Repeat("x", 900)+"\n", 5)+"\n"); !errors.Is(err, errSSEEvent) {
		t.Fatalf("large event: %v", err)
	}
}

// TestSSEChunked feeds the stream one byte at a time: a CR at the end of a
// read must not hold its line back, nor split a CRLF into two lines.
func TestSSEChunked(t *testing.T) {
	in := "data: a\r\n\r\ndata: b\r\rdata: c\n\n"
	p := newSSEReader(&oneByteReader{s: in}, 1024, 4096)
	var got []string
	for {
		ev, err := p.Next()
		if err != nil {
			break
		}
		got = append(got, ev.Data)
	}
	if strings.Join(got, ",") != "a,b,c" {
		t.Fatalf("got %q", got)
	}
}

type oneByteReader struct{ s string }

func (r *oneByteReader) Read(p []byte) (int, error) {
	if r.s == "" {
		return 0, io.EOF
	}
	p[0] = r.s[0]
	r.s = r.s[1:]
	return 1, nil
}

// referenceSSE is a deliberately naive transcription of the spec's
// algorithm, for differential fuzzing.
func referenceSSE(in string) ([]sseEvent, int64) {
	in = strings.TrimPrefix(in, "\uFEFF")
	in = strings.ReplaceAll(in, "\r\n", "\n")
	in = strings.ReplaceAll(in, "\r", "\n")
	lines := strings.Split(in, "\n")
	lines = lines[:len(lines)-1] // the part after the last terminator is incomplete
	var out []sseEvent
	var typ, data, id string
	var hasData bool
	retry := int64(-1)
	for _, l := range lines {
		if l == "" {
			if hasData {
				ev := sseEvent{Type: "message", Data: strings.TrimSuffix(data, "\n"), ID: id}
				if typ != "" {
					ev.Type = typ
				}
				out = append(out, ev)
			}
			typ, data, hasData = "", "", false
			continue
		}
		if l[0] == ':' {
			continue
		}
		name, val, found := strings.Cut(l, ":")
		if found {
			val = strings.TrimPrefix(val, " ")
		}
		switch name {
		case "event":
			typ = val
		case "data":
			data += val + "\n"
			hasData = true
		case "id":
			if !strings.Contains(val, "\x00") {
				id = val
			}
		case "retry":
			if n, err := strconv.ParseInt(val, 10, 64); err == nil && val != "" && strings.Trim(val, "0123456789") == "" {
				retry = n
			}
		}
	}
	return out, retry
}

func FuzzSSE(f *testing.F) {
	for _, s := range []string{
		"event: revocation\nid: 7\ndata: {\"kind\":\"jti\"}\n\n",
		": keepalive\n\n",
		"data: a\r\ndata: b\rdata: c\n\n",
		"\xEF\xBB\xBFid: 1\x00\ndata\n\nretry: 10\n\n",
		"data:  x\r\r\n\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, retry, err := readAll(t, in)
		if err != nil {
			if errors.Is(err, errSSELine) || errors.Is(err, errSSEEvent) {
				return // the reference has no limits
			}
			t.Fatal(err)
		}
		want, wantRetry := referenceSSE(in)
		if !reflect.DeepEqual(got, want) || retry != wantRetry {
			t.Fatalf("input %q:\n got %q retry %d\nwant %q retry %d", in, got, retry, want, wantRetry)
		}
	})
}
