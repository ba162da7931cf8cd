package strictjson

import "math"

// MaxDepth is the deepest nesting of arrays and objects accepted, counting
// the top-level object. Token headers and payloads are shallow; a small
// limit bounds the work an attacker can cause and the decoder's own state.
const MaxDepth = 32

// maxInput is the largest input accepted: member names are tracked as
// 32-bit offsets. It is a variable only so that tests can lower it.
var maxInput = math.MaxInt32

// Decoder reads one JSON document that holds a single object, one value at
// a time, without building a tree. The zero value is ready for use after
// Reset, and a Decoder may live on the stack: creating and resetting it
// does not allocate. A Decoder is not safe for concurrent use.
//
// The caller walks the document with ObjectStart, NextMember and
// NextElement, and reads each value with one of StringBytes, NumericDate,
// Bool, Null, ObjectStart, ArrayStart or Skip. Values the caller does not
// read are skipped and validated automatically, and End validates whatever
// remains, so an accepted document has always been checked completely.
//
// Errors other than ErrType and ErrRange are sticky: once the document is
// known to be bad, every later call returns the same error. ErrType leaves
// the value unread, so the caller may look at it again (for example with
// Kind) and choose another method; ErrRange consumes the number.
type Decoder struct {
	data []byte
	pos  int   // next byte to read
	err  error // sticky error

	depth   int    // number of open arrays and objects
	objects uint32 // bit i set: the container at level i is an object
	inObj   bool   // the innermost container is an object (cache of objects)
	first   bool   // the innermost container has produced nothing yet
	pending bool   // a value must be read next (never set while err != nil)
	started bool   // the top-level object has been opened

	names nameTracker
}

// Reset prepares d to read data, keeping buffers from earlier use. The
// decoder never modifies data; strings it returns may alias it.
func (d *Decoder) Reset(data []byte) {
	d.data = data
	d.pos = 0
	d.err = nil
	d.depth = 0
	d.objects = 0
	d.inObj = false
	d.first = false
	d.pending = true
	d.started = false
	d.names.reset(data)
	if len(data) > maxInput {
		d.fail(codeTooLarge, 0)
	}
}

// fail records a sticky error with the given code at offset off. Clearing
// pending keeps the invariant that a pending value implies no error, which
// lets the fast paths test a single flag.
func (d *Decoder) fail(code errCode, off int) error {
	e := &Error{Err: codeInfo[code].err, Offset: off, Msg: codeInfo[code].msg}
	d.err = e
	d.pending = false
	return e
}

// kindError reports that the value starting with c is not of kind want.
// A byte that cannot start any value is a syntax error (sticky); a valid
// value of another kind is a type error, and the value stays unread.
func (d *Decoder) kindError(c byte, want Kind) error {
	got := kindOf[c]
	if got == Invalid {
		return d.fail(codeChar, d.pos)
	}
	msg := "expected " + want.String() + ", found " + got.String()
	if d.depth == 0 {
		msg = "top-level value must be an object, found " + got.String()
	}
	return &Error{Err: ErrType, Offset: d.pos, Msg: msg}
}

// beginValue checks that a value is expected, skips whitespace and returns
// the value's first byte without consuming it. The common case, a value
// starting right at d.pos, is small enough to be inlined into every value
// method; everything else is in beginValueSlow.
func (d *Decoder) beginValue() (byte, error) {
	if pos := d.pos; d.pending && uint(pos) < uint(len(d.data)) {
		if c := d.data[pos]; c > ' ' {
			return c, nil
		}
	}
	return d.beginValueSlow()
}

func (d *Decoder) beginValueSlow() (byte, error) {
	if d.err != nil {
		return 0, d.err
	}
	if !d.pending {
		return 0, d.fail(codeOrder, d.pos)
	}
	d.pos = skipSpace(d.data, d.pos)
	if d.pos >= len(d.data) {
		return 0, d.fail(codeEOF, d.pos)
	}
	return d.data[d.pos], nil
}

// expect is the slow path of the value methods: it skips whitespace and
// checks that a value of kind want starts at d.pos (at the top level only
// an object may).
func (d *Decoder) expect(want Kind) error {
	c, err := d.beginValueSlow()
	if err != nil {
		return err
	}
	if kindOf[c] != want || (d.depth == 0 && want != Object) {
		return d.kindError(c, want)
	}
	return nil
}

// Kind reports the kind of the next value without consuming it. It returns
// Invalid when no value is expected or the next byte cannot start one.
func (d *Decoder) Kind() Kind {
	if d.err != nil || !d.pending {
		return Invalid
	}
	d.pos = skipSpace(d.data, d.pos)
	if d.pos >= len(d.data) {
		return Invalid
	}
	return kindOf[d.data[d.pos]]
}

// ObjectStart consumes the '{' that opens the next value. It is how
// decoding of a document starts, and may also be used for nested objects.
func (d *Decoder) ObjectStart() error {
	c, err := d.beginValue()
	if err != nil {
		return err
	}
	if c != '{' {
		return d.kindError(c, Object)
	}
	return d.open(true)
}

// ArrayStart consumes the '[' that opens the next value.
func (d *Decoder) ArrayStart() error {
	c, err := d.beginValue()
	if err != nil {
		return err
	}
	if c != '[' || d.depth == 0 {
		return d.kindError(c, Array)
	}
	return d.open(false)
}

// open pushes a container whose opening bracket is at d.pos.
func (d *Decoder) open(object bool) error {
	if d.depth >= MaxDepth {
		return d.fail(codeDepth, d.pos)
	}
	if object {
		d.objects |= 1 << d.depth
		d.names.push()
	} else {
		d.objects &^= 1 << d.depth
	}
	d.inObj = object
	d.depth++
	d.pos++
	d.first = true
	d.pending = false
	d.started = true
	return nil
}

// close pops the innermost container after its closing bracket.
func (d *Decoder) close() {
	d.depth--
	if d.inObj {
		d.names.pop()
	}
	d.inObj = d.depth > 0 && d.objects&(1<<(d.depth-1)) != 0
	// The enclosing container, if any, now holds at least this value.
	d.first = false
	d.pending = false
}

// NextMember moves to the next member of the object being read. It returns
// the member name with escapes resolved and leaves the decoder at the
// member's value; more is false once the closing '}' has been consumed. If
// the previous member's value was not read, it is skipped (and validated)
// first. The name is only valid until the next call on d. A name that
// occurred before in the same object gives ErrDuplicate.
func (d *Decoder) NextMember() (name []byte, more bool, err error) {
	if d.err != nil {
		return nil, false, d.err
	}
	if d.pending {
		if !d.started {
			return nil, false, d.fail(codeOrder, d.pos)
		}
		if _, err := d.Skip(); err != nil {
			return nil, false, err
		}
	}
	if !d.inObj {
		return nil, false, d.fail(codeOrder, d.pos)
	}
	return d.member()
}

// member implements NextMember once the decoder is known to be between
// members of the innermost object.
func (d *Decoder) member() ([]byte, bool, error) {
	name, pos, code := d.memberName()
	if code != codeOK {
		if code == codeEnd {
			return nil, false, nil
		}
		return nil, false, d.fail(code, pos)
	}
	d.pos = pos
	d.pending = true
	return name, true, nil
}

// NextElement moves to the next element of the array being read and
// reports whether there is one; it consumes the separating ',' or the
// closing ']'. If the previous element was not read, it is skipped (and
// validated) first.
func (d *Decoder) NextElement() (more bool, err error) {
	if d.err != nil {
		return false, d.err
	}
	if d.pending {
		if !d.started {
			return false, d.fail(codeOrder, d.pos)
		}
		if _, err := d.Skip(); err != nil {
			return false, err
		}
	}
	if d.depth == 0 || d.inObj {
		return false, d.fail(codeOrder, d.pos)
	}
	return d.element()
}

// element implements NextElement once the decoder is known to be between
// elements of the innermost array.
func (d *Decoder) element() (bool, error) {
	data := d.data
	pos := skipSpace(data, d.pos)
	if pos >= len(data) {
		return false, d.fail(codeEOF, pos)
	}
	switch c := data[pos]; {
	case c == ']':
		d.pos = pos + 1
		d.close()
		return false, nil
	case !d.first:
		if c != ',' {
			return false, d.fail(codeCommaArray, pos)
		}
		// A ']' after the comma fails when the element is read: it
		// cannot start a value.
		pos++
	}
	d.pos = pos
	d.first = false
	d.pending = true
	return true, nil
}

// Bool consumes true or false.
func (d *Decoder) Bool() (bool, error) {
	c, err := d.beginValue()
	if err != nil {
		return false, err
	}
	if (c != 't' && c != 'f') || d.depth == 0 {
		return false, d.kindError(c, Bool)
	}
	if c == 't' {
		return true, d.literal("true")
	}
	return false, d.literal("false")
}

// Null consumes null.
func (d *Decoder) Null() error {
	c, err := d.beginValue()
	if err != nil {
		return err
	}
	if c != 'n' || d.depth == 0 {
		return d.kindError(c, Null)
	}
	return d.literal("null")
}

// literal consumes lit, which the input must hold at d.pos.
func (d *Decoder) literal(lit string) error {
	if len(d.data)-d.pos < len(lit) || string(d.data[d.pos:d.pos+len(lit)]) != lit {
		return d.fail(codeLiteral, d.pos)
	}
	d.pos += len(lit)
	d.pending = false
	return nil
}
