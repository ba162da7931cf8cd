package strictjson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// walk decodes data into the same Go values encoding/json produces with
// UseNumber (map[string]any, []any, string, json.Number, bool, nil), using
// only the streaming API. It is the reference consumer that the tests and
// fuzz targets compare against encoding/json.
func walk(data []byte) (any, error) {
	var d Decoder
	d.Reset(data)
	if err := d.ObjectStart(); err != nil {
		return nil, err
	}
	v, err := walkObject(&d)
	if err != nil {
		return nil, err
	}
	if err := d.End(); err != nil {
		return nil, err
	}
	return v, nil
}

// walkObject reads the members of an object whose '{' was consumed.
func walkObject(d *Decoder) (map[string]any, error) {
	m := map[string]any{}
	for {
		name, more, err := d.NextMember()
		if err != nil {
			return nil, err
		}
		if !more {
			return m, nil
		}
		if _, ok := m[string(name)]; ok {
			return nil, fmt.Errorf("walk: decoder let duplicate %q through", name)
		}
		v, err := walkValue(d)
		if err != nil {
			return nil, err
		}
		m[string(name)] = v
	}
}

func walkValue(d *Decoder) (any, error) {
	switch k := d.Kind(); k {
	case String:
		b, err := d.StringBytes()
		return string(b), err
	case Number:
		raw, err := d.Skip()
		return json.Number(raw), err
	case Bool:
		return d.Bool()
	case Null:
		return nil, d.Null()
	case Object:
		if err := d.ObjectStart(); err != nil {
			return nil, err
		}
		return walkObject(d)
	case Array:
		if err := d.ArrayStart(); err != nil {
			return nil, err
		}
		a := []any{}
		for {
			more, err := d.NextElement()
			if err != nil {
				return nil, err
			}
			if !more {
				return a, nil
			}
			v, err := walkValue(d)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
		}
	default:
		// No value can start here; Skip must say why.
		if _, err := d.Skip(); err != nil {
			return nil, err
		}
		return nil, errors.New("walk: Skip accepted a value Kind called Invalid")
	}
}

// walkMembers is walk reading every object with Member instead of
// NextMember, and scalar member values from the Member, so that the fast
// path of Member is compared with the general one on every input.
func walkMembers(data []byte) (any, error) {
	var d Decoder
	d.Reset(data)
	if err := d.ObjectStart(); err != nil {
		return nil, err
	}
	v, err := walkMemberObject(&d)
	if err != nil {
		return nil, err
	}
	if err := d.End(); err != nil {
		return nil, err
	}
	return v, nil
}

func walkMemberObject(d *Decoder) (map[string]any, error) {
	obj := map[string]any{}
	var m Member
	for {
		more, err := d.Member(&m)
		if err != nil {
			return nil, err
		}
		if !more {
			return obj, nil
		}
		name := string(m.Name)
		if _, ok := obj[name]; ok {
			return nil, fmt.Errorf("walkMembers: decoder let duplicate %q through", name)
		}
		var v any
		switch m.Kind {
		case String:
			var b []byte
			b, err = m.StringBytes()
			v = string(b)
		case Number:
			v = json.Number(m.Raw())
		case Bool:
			v, err = m.Bool()
		case Null:
			v = nil
		case Object:
			if err = d.ObjectStart(); err == nil {
				v, err = walkMemberObject(d)
			}
		case Array:
			if err = d.ArrayStart(); err == nil {
				v, err = walkStrings(d)
			}
		default:
			err = fmt.Errorf("walkMembers: Member returned kind %v", m.Kind)
		}
		if err != nil {
			return nil, err
		}
		obj[name] = v
	}
}

// walkStrings reads the elements of an array whose '[' was consumed with
// NextString, and an element that is not a string (ErrType, which leaves
// it unread) with walkValue.
func walkStrings(d *Decoder) ([]any, error) {
	a := []any{}
	for {
		s, more, err := d.NextString()
		if errors.Is(err, ErrType) {
			v, err := walkValue(d)
			if err != nil {
				return nil, err
			}
			a = append(a, v)
			continue
		}
		if err != nil {
			return nil, err
		}
		if !more {
			return a, nil
		}
		a = append(a, string(s))
	}
}

// validate checks data using only Reset and End, which must validate the
// whole document on its own.
func validate(data []byte) error {
	var d Decoder
	d.Reset(data)
	return d.End()
}

// stdDecode decodes data with encoding/json the way the fuzz oracle needs:
// UseNumber, and no trailing data.
func stdDecode(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("trailing data: %v", err)
	}
	return v, nil
}
