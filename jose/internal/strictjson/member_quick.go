package strictjson

import (
	"encoding/binary"
	"math/bits"
)

// Member reads the next member of the object being read, like NextMember,
// and also reads its value when that is a scalar, so that a typical member
// costs one call. It returns more == false once the closing '}' has been
// consumed. A scalar is validated exactly as StringBytes, Skip, Bool and
// Null validate it, and its content is then available from m's methods. An
// object or array value is left unread: the caller reads it with
// ObjectStart or ArrayStart, or leaves it to be skipped, and validated, by
// the next call to Member, NextMember or End. The member name is checked
// for duplicates like every name.
//
// Member takes a fast path for the members almost every token is made of:
// no whitespace, a name of at most 16 plain ASCII bytes whose filter bit
// shows it is new, and a value that is a plain ASCII string, a plain
// unsigned integer, or the start of an object or array. Anything else, at
// the first byte that is not of that shape, goes to the general path
// (memberGeneral), which reads the member again from where it starts with every
// rule; the fast path changes no state before it has read the whole member.
// It accepts nothing the general path refuses: every byte it consumes is
// checked to be plain (see specialMask), a name whose filter bit is set is
// left to the general check for duplicates, and each value ends where the
// general path ends it. The fast path is one long function whose only call
// is to Uint, for numbers, on purpose: the compiler then keeps its state in
// registers.
func (d *Decoder) Member(m *Member) (more bool, err error) {
	if d.err != nil || d.pending || !d.inObj {
		return d.memberGeneral(m)
	}
	data := d.data
	pos := d.pos
	if !d.first {
		if uint(pos) >= uint(len(data)) || data[pos] != ',' {
			return d.memberGeneral(m)
		}
		pos++
	}
	start := pos + 1
	if start+16 > len(data) || data[pos] != '"' {
		return d.memberGeneral(m)
	}
	// The name ends at the first byte needing attention, which must be the
	// closing quote, in the first or the second word.
	key := binary.LittleEndian.Uint64(data[start:])
	end := start
	if sm := specialMask(key); sm != 0 {
		k := bits.TrailingZeros64(sm)
		end += k >> 3
		key &= 1<<(k&^7) - 1 // k is 8*j+7 for the quote at byte j: keep bytes 0..j-1
	} else if sm = specialMask(binary.LittleEndian.Uint64(data[start+8:])); sm != 0 {
		end += 8 + bits.TrailingZeros64(sm)>>3
	} else {
		return d.memberGeneral(m)
	}
	t := &d.names
	n := end - start
	bit := filterBitKey(key, n)
	pos = end + 2 // past the quote and the colon
	if pos >= len(data) || data[end] != '"' || data[end+1] != ':' || t.filter&bit != 0 ||
		t.count >= t.limit || uint(t.count) >= inlineNames {
		return d.memberGeneral(m)
	}
	m.off = pos
	switch c := data[pos]; {
	case c == '"':
		i := pos + 1
		for ; i+8 <= len(data); i += 8 {
			if sm := specialMask(binary.LittleEndian.Uint64(data[i:])); sm != 0 {
				i += bits.TrailingZeros64(sm) >> 3
				goto end
			}
		}
		for i < len(data) && strPlain[data[i]] { // the last bytes of the input
			i++
		}
	end:
		if i >= len(data) || data[i] != '"' {
			return d.memberGeneral(m)
		}
		m.Kind, m.raw, m.escaped = String, data[pos+1:i:i], false
		d.pos = i + 1
	case c-'0' <= 9:
		// A plain unsigned integer (see Uint): digits followed by neither
		// a fraction nor an exponent, and not at the end of the input,
		// which the general path reports. Its value is kept when it has
		// at most maxDateDigits digits, so it cannot overflow.
		end, n, ok := Uint(data, pos)
		if !ok {
			return d.memberGeneral(m)
		}
		m.Kind, m.raw, m.num = Number, data[pos:end:end], n
		d.pos = end
	case c == '{' || c == '[':
		m.Kind, m.raw = kindOf[c], nil
		d.pos = pos
		d.pending = true
	default:
		return d.memberGeneral(m)
	}
	// Commit: record the name, as the general path would.
	t.filter |= bit
	t.refs[t.count] = nameRef{key: key, off: int32(start), n: int32(n)}
	t.count++
	d.first = false
	m.Name = data[start:end:end]
	return true, nil
}

// filterBitKey is the filter bit of a name with the given key and length.
func filterBitKey(key uint64, n int) uint64 {
	return 1 << ((key ^ uint64(n)) * 0x9e3779b97f4a7c15 >> 58)
}

// eightDigits reports whether the eight bytes of x (little-endian, first
// byte lowest) are all ASCII digits: each byte must have the high nibble 3,
// and so must the byte plus 6 (which carries into the next byte only for
// bytes that already fail).
func eightDigits(x uint64) bool {
	return x&0xf0f0f0f0f0f0f0f0|(x+0x0606060606060606)&0xf0f0f0f0f0f0f0f0>>4 == 0x3333333333333333
}

// parseEightDigits returns the value of the eight ASCII digits in x, the
// first digit in the lowest byte, combining them pairwise: each even byte
// becomes a two-digit value, each even 16-bit lane a four-digit value, and
// the two four-digit values the result. No step carries between lanes.
func parseEightDigits(x uint64) int64 {
	x -= 0x3030303030303030
	x = (x*10 + x>>8) & 0x00ff00ff00ff00ff
	x = (x*100 + x>>16) & 0x0000ffff0000ffff
	return int64((x&0xffffffff)*10000 + x>>32)
}

// NextString is NextElement followed by StringBytes, for arrays of strings
// such as "aud" and "roles": it moves to the next element of the array
// being read and returns its content, or more == false once the closing ']'
// has been consumed. An element that is not a string is ErrType, as from
// StringBytes. Like Member, it reads a plain ASCII string in place in one
// step and hands everything else to the general methods, which read the
// element again with every rule.
func (d *Decoder) NextString() (s []byte, more bool, err error) {
	if d.err != nil || d.pending || d.inObj || d.depth == 0 {
		return d.nextStringSlow()
	}
	data := d.data
	pos := d.pos
	if !d.first {
		if uint(pos) >= uint(len(data)) || data[pos] != ',' {
			return d.nextStringSlow()
		}
		pos++
	}
	if uint(pos) >= uint(len(data)) || data[pos] != '"' {
		return d.nextStringSlow()
	}
	i := pos + 1
	for ; i+8 <= len(data); i += 8 {
		if sm := specialMask(binary.LittleEndian.Uint64(data[i:])); sm != 0 {
			i += bits.TrailingZeros64(sm) >> 3
			goto end
		}
	}
	for i < len(data) && strPlain[data[i]] { // the last bytes of the input
		i++
	}
end:
	if i >= len(data) || data[i] != '"' {
		return d.nextStringSlow()
	}
	d.pos = i + 1
	d.first = false
	return data[pos+1 : i : i], true, nil
}

func (d *Decoder) nextStringSlow() ([]byte, bool, error) {
	more, err := d.NextElement()
	if err != nil || !more {
		return nil, false, err
	}
	s, err := d.StringBytes()
	return s, err == nil, err
}
