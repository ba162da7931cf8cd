package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"
)

// decodeBody reads r's body into dst strictly (SECURITY.md rule 16): the
// Content-Type must be application/json, the body at most
// Config.MaxBodyBytes (413 beyond), valid UTF-8, and exactly one JSON object
// whose members are dst's fields, spelled exactly, each at most once. With
// optional, an empty body leaves dst alone. Errors are *requestError with a
// detail a person can act on; dst must not be used after one.
func (s *Server) decodeBody(w http.ResponseWriter, r *http.Request, dst any, optional bool) error {
	if r.ContentLength > s.cfg.MaxBodyBytes {
		return tooLarge(s.cfg.MaxBodyBytes)
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.cfg.MaxBodyBytes))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return tooLarge(mbe.Limit)
	case err != nil:
		return &requestError{kind: kindMalformed, detail: "the request body could not be read", cause: err}
	case optional && len(data) == 0:
		return nil
	}
	if err := checkContentType(r.Header); err != nil {
		return err
	}
	return decodeStrict(data, dst)
}

func tooLarge(limit int64) error {
	return &requestError{kind: kindTooLarge, detail: fmt.Sprintf("the request body is larger than %d bytes", limit)}
}

// checkContentType accepts application/json, with no parameter but an
// optional charset=utf-8 (RFC 8259 section 8.1).
func checkContentType(h http.Header) error {
	mt, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	cs, hasCS := params["charset"]
	if err != nil || mt != "application/json" || len(params) > 1 || len(params) == 1 && (!hasCS || !strings.EqualFold(cs, "utf-8")) {
		return &requestError{kind: kindMediaType, detail: `the request body must be JSON, sent with "Content-Type: application/json"`}
	}
	return nil
}

// decodeStrict decodes data, one JSON object, into dst, a pointer to a
// struct. It makes two passes: a token walk that finds what encoding/json
// tolerates (duplicate members at any depth, member names that match a field
// only case-insensitively, trailing data), then encoding/json for the values.
func decodeStrict(data []byte, dst any) error {
	if !utf8.Valid(data) {
		return malformed("the request body is not valid UTF-8")
	}
	if err := walkObject(data, fieldNames(reflect.TypeOf(dst).Elem())); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err)
	}
	return nil
}

func malformed(detail string, fields ...FieldError) error {
	return &requestError{kind: kindMalformed, detail: detail, fields: fields}
}

func fieldError(name, detail string) error {
	return malformed(detail, FieldError{Field: name, Detail: detail})
}

// decodeError explains an error of encoding/json.
func decodeError(err error) error {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return malformed(fmt.Sprintf("the request body is not valid JSON: %s (at byte %d)", se.Error(), se.Offset))
	case errors.Is(err, io.EOF):
		return malformed("the request body is empty; send a JSON object")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return malformed("the request body ends before its JSON is complete")
	case errors.As(err, &te) && te.Field != "":
		return fieldError(te.Field, fmt.Sprintf("field %q must be %s, not %s", te.Field, jsonKind(te.Type), article(te.Value)))
	case errors.As(err, &te):
		return malformed("the request body must be a JSON object")
	default:
		return malformed("the request body is not valid JSON: " + err.Error())
	}
}

// jsonKind names the JSON type a Go type is read from.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	default:
		return "an object"
	}
}

// article prefixes the JSON type name encoding/json reports.
func article(v string) string {
	switch v {
	case "array", "object":
		return "an " + v
	case "bool":
		return "true or false"
	case "string", "number":
		return "a " + v
	}
	return v
}

var fieldNamesCache sync.Map // reflect.Type → map[string]bool

// fieldNames returns the JSON member names of struct type t's exported
// fields: the name in the json tag, or the field name.
func fieldNames(t reflect.Type) map[string]bool {
	if v, ok := fieldNamesCache.Load(t); ok {
		return v.(map[string]bool)
	}
	names := map[string]bool{}
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case !f.IsExported() || name == "-":
		case name != "":
			names[name] = true
		default:
			names[f.Name] = true
		}
	}
	fieldNamesCache.Store(t, names)
	return names
}
