package strictjson

// Member is one member of an object as Decoder.Member reads it: the name,
// and the value when it is a scalar. A Member is meant to live on the
// caller's stack and be reused from member to member.
type Member struct {
	// Name is the member name with escapes resolved. It is only valid until
	// the next call on the decoder.
	Name []byte
	// Kind is the kind of the value. A scalar (String, Number, Bool, Null)
	// has been read and validated; an Object or Array has not been read
	// yet, and the decoder is left at its opening bracket.
	Kind Kind

	raw     []byte // String: the content between the quotes; Number: its text; Bool: the literal
	off     int    // offset of the value in the input, for error messages
	num     int64  // Number: its value when it is a plain integer of at most maxDateDigits digits, else -1
	escaped bool   // String: the content holds at least one escape
}

// memberGeneral is Member for every case its fast path leaves alone: it
// reads the member with NextMember's code and then its value, if a scalar.
func (d *Decoder) memberGeneral(m *Member) (bool, error) {
	if d.err != nil || d.pending || !d.inObj {
		name, more, err := d.NextMember()
		if err != nil || !more {
			return false, err
		}
		m.Name = name
		return true, d.scalar(m, skipSpace(d.data, d.pos))
	}
	name, pos, code := d.memberName()
	if code != codeOK {
		if code == codeEnd {
			return false, nil
		}
		return false, d.fail(code, pos)
	}
	m.Name = name
	return true, d.scalar(m, pos)
}

// memberName reads the separator, the name and the colon of the next member
// of the innermost object, which must not have a pending value. It returns
// the name and the offset of the value's first byte. On the closing '}' it
// closes the object and returns codeEnd; on an error, the code and its
// offset, for the caller to record.
func (d *Decoder) memberName() (name []byte, pos int, code errCode) {
	data := d.data
	pos = skipSpace(data, d.pos)
	if pos >= len(data) {
		return nil, pos, codeEOF
	}
	c := data[pos]
	if c == '}' {
		d.pos = pos + 1
		d.close()
		return nil, pos, codeEnd
	}
	if !d.first {
		if c != ',' {
			return nil, pos, codeCommaObject
		}
		if pos = skipSpace(data, pos+1); pos >= len(data) {
			return nil, pos, codeEOF
		}
		c = data[pos]
	}
	if c != '"' {
		return nil, pos, codeNameExpected
	}
	start := pos + 1
	end, escaped, code := scanString(data, start)
	if code != codeOK {
		return nil, end, code
	}
	var dup bool
	if escaped {
		name, dup = d.names.addEscaped(data[start:end])
	} else {
		name = data[start:end:end]
		dup = d.names.add(start, end)
	}
	if dup {
		return nil, start - 1, codeDuplicate
	}
	if pos = skipSpace(data, end+1); pos >= len(data) {
		return nil, pos, codeEOF
	}
	if data[pos] != ':' {
		return nil, pos, codeColon
	}
	d.first = false
	return name, skipSpace(data, pos+1), codeOK
}

// scalar reads the value starting at pos into m when it is a scalar, and
// otherwise leaves the decoder at the value's first byte.
func (d *Decoder) scalar(m *Member, pos int) error {
	data := d.data
	if pos >= len(data) {
		return d.fail(codeEOF, pos)
	}
	m.off = pos
	c := data[pos]
	m.Kind = kindOf[c]
	switch m.Kind {
	case String:
		end, escaped, code := scanString(data, pos+1)
		if code != codeOK {
			return d.fail(code, end)
		}
		m.raw, m.escaped = data[pos+1:end:end], escaped
		d.pos = end + 1
		d.pending = false
	case Number:
		end, code := scanNumber(data, pos)
		if code != codeOK {
			return d.fail(code, end)
		}
		m.raw, m.num = data[pos:end:end], -1
		d.pos = end
		d.pending = false
	case Bool, Null:
		lit := literalFor(c)
		if len(data)-pos < len(lit) || string(data[pos:pos+len(lit)]) != lit {
			return d.fail(codeLiteral, pos)
		}
		m.raw = data[pos : pos+len(lit) : pos+len(lit)]
		d.pos = pos + len(lit)
		d.pending = false
	case Object, Array:
		m.raw = nil
		d.pos = pos
		d.pending = true
	default:
		return d.fail(codeChar, pos)
	}
	return nil
}

func literalFor(c byte) string {
	switch c {
	case 't':
		return "true"
	case 'f':
		return "false"
	}
	return "null"
}

// StringBytes returns the content of a string value with escapes resolved:
// a subslice of the input when there are none (the decoder never writes to
// it), a new slice otherwise. It fails with ErrType for another kind.
func (m *Member) StringBytes() ([]byte, error) {
	if m.Kind == String && !m.escaped {
		return m.raw, nil
	}
	return m.stringBytesSlow()
}

func (m *Member) stringBytesSlow() ([]byte, error) {
	if m.Kind != String {
		return nil, m.kindError(String)
	}
	return appendUnescaped(make([]byte, 0, len(m.raw)), m.raw), nil
}

// NumericDate returns floor(value) of a number value as NumericDate seconds,
// with the rules of Decoder.NumericDate: ErrRange for negative values and
// values above MaxNumericDate, ErrType for another kind.
func (m *Member) NumericDate() (int64, error) {
	if m.Kind == Number && uint64(m.num) <= MaxNumericDate {
		return m.num, nil
	}
	return m.numericDateSlow()
}

func (m *Member) numericDateSlow() (int64, error) {
	if m.Kind != Number {
		return 0, m.kindError(Number)
	}
	v, ok := floorDecimal(m.raw)
	if !ok {
		return 0, rangeError(m.off)
	}
	return v, nil
}

// Bool returns the value of true or false, and fails with ErrType for
// another kind.
func (m *Member) Bool() (bool, error) {
	if m.Kind != Bool {
		return false, m.kindError(Bool)
	}
	return m.raw[0] == 't', nil
}

// Raw returns the bytes of a scalar value exactly as in the input (a
// string without its quotes, escapes unresolved), or nil for an object or
// array.
func (m *Member) Raw() []byte { return m.raw }

//go:noinline
func (m *Member) kindError(want Kind) error {
	return &Error{Err: ErrType, Offset: m.off, Msg: "expected " + want.String() + ", found " + m.Kind.String()}
}
