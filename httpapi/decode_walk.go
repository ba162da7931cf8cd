package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// frame is one open object or array of walkObject.
type frame struct {
	object bool
	key    bool            // the next token of an object is a member name
	seen   map[string]bool // member names so far
}

// walkObject checks that data is exactly one JSON object whose top-level
// members are among known, spelled exactly, and in which no object, at any
// depth, repeats a member name. It reads tokens only: nothing is allocated
// for values beyond what the tokenizer needs.
func walkObject(data []byte, known map[string]bool) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return decodeError(err)
	}
	if tok != json.Delim('{') {
		return malformed("the request body must be a JSON object")
	}
	stack := []frame{{object: true, key: true, seen: map[string]bool{}}}
	for len(stack) > 0 {
		if tok, err = dec.Token(); errors.Is(err, io.EOF) {
			return decodeError(io.ErrUnexpectedEOF)
		} else if err != nil {
			return decodeError(err)
		}
		top := &stack[len(stack)-1]
		if top.object && top.key {
			if d, ok := tok.(json.Delim); ok && d == '}' {
				stack = stack[:len(stack)-1]
				continue
			}
			if err := top.member(tok.(string), len(stack) == 1, known); err != nil {
				return err
			}
			continue
		}
		stack = step(stack, tok)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return malformed("the request body must hold exactly one JSON object; data follows it")
	}
	return nil
}

// member records a member name and checks it.
func (f *frame) member(name string, top bool, known map[string]bool) error {
	if top && !known[name] {
		return fieldError(clip(name), fmt.Sprintf("unknown field %q", clip(name)))
	}
	if f.seen[name] {
		return fieldError(clip(name), fmt.Sprintf("duplicate field %q", clip(name)))
	}
	f.seen[name] = true
	f.key = false
	return nil
}

// step applies a value token (or an array's end) to the stack.
func step(stack []frame, tok json.Token) []frame {
	stack[len(stack)-1].key = true // a value completes an object member
	switch tok {
	case json.Delim('{'):
		return append(stack, frame{object: true, key: true, seen: map[string]bool{}})
	case json.Delim('['):
		return append(stack, frame{})
	case json.Delim(']'):
		return stack[:len(stack)-1]
	}
	return stack
}

// clip shortens a member name a client sent before it is echoed back.
func clip(name string) string {
	const maxName = 64
	for i := range name {
		if i >= maxName {
			return name[:i] + "…"
		}
	}
	return name
}
