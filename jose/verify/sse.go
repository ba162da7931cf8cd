package verify

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"strconv"
)

// sseEvent is one dispatched Server-Sent Event.
type sseEvent struct {
	Type string // "message" when the stream named none
	Data string
	ID   string // the last event ID after this event (it persists across events)
}

// errSSELine reports a line longer than the parser's limit.
var errSSELine = errors.New("verify: event stream line too long")

// errSSEEvent reports an event whose data exceeds the parser's limit.
var errSSEEvent = errors.New("verify: event stream event too large")

// sseReader parses an event stream as the HTML Living Standard, section
// 9.2.6 "Interpreting an event stream", says: lines end in CRLF, LF or CR; a
// leading byte order mark is dropped; lines starting with a colon are
// comments; "field: value" loses one space after the colon; "data" lines
// accumulate, joined by LF; "id" sets the last event ID unless it holds
// NUL; "retry" sets the reconnection time when it is all digits; an empty
// line dispatches the event, unless its data is empty; a stream that ends
// mid-event drops that event. Unknown fields are ignored. Lines and events
// are bounded so that a hostile stream cannot make it allocate without end.
type sseReader struct {
	r        *bufio.Reader
	maxLine  int
	maxEvent int

	line    []byte
	started bool // past the optional byte order mark
	afterCR bool // the previous line ended in CR: skip an LF that follows

	eventType []byte
	data      []byte
	hasData   bool
	lastID    string
	retry     int64 // milliseconds; -1 until the stream sets it
}

func newSSEReader(r io.Reader, maxLine, maxEvent int) *sseReader {
	return &sseReader{r: bufio.NewReaderSize(r, 4096), maxLine: maxLine, maxEvent: maxEvent, retry: -1}
}

// Next returns the next dispatched event. It returns io.EOF (or the
// reader's error) when the stream ends, errSSELine or errSSEEvent when a
// limit is passed.
func (p *sseReader) Next() (sseEvent, error) {
	for {
		line, err := p.readLine()
		if err != nil {
			return sseEvent{}, err
		}
		if len(line) == 0 {
			if ev, ok := p.dispatch(); ok {
				return ev, nil
			}
			continue
		}
		if err := p.field(line); err != nil {
			return sseEvent{}, err
		}
	}
}

// Retry returns the reconnection time the stream asked for, in
// milliseconds, or -1.
func (p *sseReader) Retry() int64 { return p.retry }

// readLine returns the next line without its terminator. The slice is valid
// until the next call.
func (p *sseReader) readLine() ([]byte, error) {
	p.line = p.line[:0]
	for {
		b, err := p.r.ReadByte()
		if err != nil {
			return nil, err // an unterminated last line is dropped, as the spec says
		}
		if !p.started {
			p.started = true
			if b == 0xEF && p.skipBOM() {
				continue
			}
		}
		if p.afterCR {
			p.afterCR = false
			if b == '\n' {
				continue
			}
		}
		switch b {
		case '\r':
			p.afterCR = true
			return p.line, nil
		case '\n':
			return p.line, nil
		}
		if len(p.line) >= p.maxLine {
			return nil, errSSELine
		}
		p.line = append(p.line, b)
	}
}

// skipBOM consumes the rest of a UTF-8 byte order mark after its first byte
// 0xEF, or reports false (the byte is then data) when it is not one.
func (p *sseReader) skipBOM() bool {
	rest, err := p.r.Peek(2)
	if err == nil && rest[0] == 0xBB && rest[1] == 0xBF {
		p.r.Discard(2)
		return true
	}
	return false
}

// field processes one non-empty line.
func (p *sseReader) field(line []byte) error {
	if line[0] == ':' {
		return nil // a comment
	}
	name, value := line, []byte(nil)
	if i := bytes.IndexByte(line, ':'); i >= 0 {
		name, value = line[:i], line[i+1:]
		if len(value) > 0 && value[0] == ' ' {
			value = value[1:]
		}
	}
	switch string(name) {
	case "event":
		p.eventType = append(p.eventType[:0], value...)
	case "data":
		if len(p.data)+len(value)+1 > p.maxEvent {
			return errSSEEvent
		}
		p.data = append(p.data, value...)
		p.data = append(p.data, '\n')
		p.hasData = true
	case "id":
		if bytes.IndexByte(value, 0) < 0 {
			p.lastID = string(value)
		}
	case "retry":
		if n, ok := digits(value); ok {
			p.retry = n
		}
	}
	return nil
}

func digits(b []byte) (int64, bool) {
	if len(b) == 0 {
		return 0, false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(string(b), 10, 64)
	return n, err == nil
}

// dispatch ends the current event: it returns it unless its data is empty,
// and resets the buffers either way. The last event ID persists.
func (p *sseReader) dispatch() (sseEvent, bool) {
	defer func() { p.data, p.eventType, p.hasData = p.data[:0], p.eventType[:0], false }()
	if !p.hasData {
		return sseEvent{}, false
	}
	ev := sseEvent{Type: "message", Data: string(p.data[:len(p.data)-1]), ID: p.lastID}
	if len(p.eventType) > 0 {
		ev.Type = string(p.eventType)
	}
	return ev, true
}
