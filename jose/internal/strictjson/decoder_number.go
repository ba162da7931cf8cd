package strictjson

// MaxNumericDate is the largest NumericDate accepted: 9999-12-31T23:59:59Z.
// Later dates cannot be formatted with a four-digit year, and bounding the
// value keeps every later time computation far away from int64 overflow.
const MaxNumericDate = 253402300799

// maxDateDigits is the number of decimal digits of MaxNumericDate; any
// integer with more digits (and no leading zero) is out of range.
const maxDateDigits = 12

// NumericDate consumes a number and returns floor(value) as seconds since
// the Unix epoch. Any valid JSON number is accepted, including fractions
// and exponents ("1.5e3", "13e-1", "1E+2"); the result is computed exactly
// from the decimal digits, without floating point. Negative values and
// values of MaxNumericDate+1 or more give ErrRange; the number is consumed
// in that case, so decoding can continue. Negative zero ("-0", "-0.0") is
// zero and accepted.
func (d *Decoder) NumericDate() (int64, error) {
	if pos := d.pos; !d.pending || uint(pos) >= uint(len(d.data)) || kindOf[d.data[pos]] != Number || d.depth == 0 {
		// Not a number right at d.pos: whitespace, misuse or error.
		if err := d.expect(Number); err != nil {
			return 0, err
		}
	}
	// Fast path: a plain unsigned integer, the form every issuer uses.
	data := d.data
	start := d.pos
	i := start
	var n int64
	for ; i < len(data); i++ {
		x := data[i] - '0'
		if x > 9 {
			break
		}
		n = n*10 + int64(x) // may wrap for long inputs; only used when short
	}
	digits := i - start
	if digits > 0 && (i == len(data) || (data[i] != '.' && data[i]|0x20 != 'e')) {
		if digits > 1 && data[start] == '0' {
			return 0, d.fail(codeLeadingZero, start)
		}
		d.pos = i
		d.pending = false
		if digits > maxDateDigits || n > MaxNumericDate {
			return 0, rangeError(start)
		}
		return n, nil
	}
	return d.numericDateSlow(start)
}

// numericDateSlow handles signs, fractions and exponents.
func (d *Decoder) numericDateSlow(start int) (int64, error) {
	end, code := scanNumber(d.data, start)
	if code != codeOK {
		return 0, d.fail(code, end)
	}
	d.pos = end
	d.pending = false
	v, ok := floorDecimal(d.data[start:end])
	if !ok {
		return 0, rangeError(start)
	}
	return v, nil
}

func rangeError(off int) error {
	return &Error{Err: ErrRange, Offset: off, Msg: "NumericDate outside 0..253402300799"}
}

// scanNumber validates the number starting at data[i] against the RFC 8259
// grammar  -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?  and
// returns the index just past it. What follows the number is checked by
// the caller, as part of the enclosing array or object.
func scanNumber(data []byte, i int) (int, errCode) {
	if i < len(data) && data[i] == '-' {
		i++
	}
	switch {
	case i >= len(data):
		return i, codeNumber
	case data[i] == '0':
		i++
		if i < len(data) && isDigit(data[i]) {
			return i, codeLeadingZero
		}
	case isDigit(data[i]):
		i = skipDigits(data, i+1)
	default:
		return i, codeNumber
	}
	if i < len(data) && data[i] == '.' {
		i++
		if i >= len(data) || !isDigit(data[i]) {
			return i, codeNumber
		}
		i = skipDigits(data, i+1)
	}
	if i < len(data) && data[i]|0x20 == 'e' {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if i >= len(data) || !isDigit(data[i]) {
			return i, codeNumber
		}
		i = skipDigits(data, i+1)
	}
	return i, codeOK
}

func isDigit(c byte) bool { return c-'0' <= 9 }

func skipDigits(data []byte, i int) int {
	for i < len(data) && isDigit(data[i]) {
		i++
	}
	return i
}

// floorDecimal returns floor(num) for a number already validated by
// scanNumber, and false when the value is negative or above
// MaxNumericDate.
//
// It works on the decimal digits directly. Write the digits of the integer
// and fraction parts as one sequence s with its leading zeros removed; the
// value is 0.s × 10^p for some p. Then floor(value) is the first p digits of
// s (padded with zeros when s is shorter), or 0 when p <= 0. Because s has
// no leading zero, p > 12 means the value is at least 10^12, which is out of
// range; so no big arithmetic is ever needed.
func floorDecimal(num []byte) (int64, bool) {
	neg := num[0] == '-'
	if neg {
		num = num[1:]
	}
	intEnd := skipDigits(num, 0)
	intPart, rest := num[:intEnd], num[intEnd:]
	var frac []byte
	if len(rest) > 0 && rest[0] == '.' {
		fracEnd := skipDigits(rest, 1)
		frac, rest = rest[1:fracEnd], rest[fracEnd:]
	}
	exp := parseExponent(rest)

	digit := func(k int) byte {
		if k < len(intPart) {
			return intPart[k] - '0'
		}
		if k-len(intPart) < len(frac) {
			return frac[k-len(intPart)] - '0'
		}
		return 0
	}
	total := len(intPart) + len(frac)
	lead := 0
	for lead < total && digit(lead) == 0 {
		lead++
	}
	if lead == total {
		return 0, true // zero, whatever the sign and exponent
	}
	if neg {
		return 0, false
	}
	p := len(intPart) - lead + exp
	if p <= 0 {
		return 0, true
	}
	if p > maxDateDigits {
		return 0, false
	}
	var v int64
	for k := 0; k < p; k++ {
		v = v*10 + int64(digit(lead+k))
	}
	return v, v <= MaxNumericDate
}

// parseExponent parses an optional exponent "e[+-]digits". Its magnitude is
// clamped at 1<<30: any larger exponent already makes the value either zero
// after flooring or out of range, and clamping keeps the arithmetic in
// floorDecimal far from overflow even for inputs near 2 GiB.
func parseExponent(b []byte) int {
	if len(b) == 0 {
		return 0
	}
	b = b[1:] // 'e' or 'E'
	neg := false
	if b[0] == '+' || b[0] == '-' {
		neg = b[0] == '-'
		b = b[1:]
	}
	e := 0
	for _, c := range b {
		if e < 1<<30 {
			e = e*10 + int(c-'0')
		}
	}
	e = min(e, 1<<30)
	if neg {
		return -e
	}
	return e
}
