package strictjson

import (
	"encoding/binary"
	"errors"
	"math/big"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// numericDate reads the value of member "t" of doc with NumericDate and
// then finishes the document.
func numericDate(doc string) (int64, error) {
	var d Decoder
	d.Reset([]byte(doc))
	if err := d.ObjectStart(); err != nil {
		return 0, err
	}
	if _, _, err := d.NextMember(); err != nil {
		return 0, err
	}
	v, err := d.NumericDate()
	if err != nil {
		return v, err
	}
	return v, d.End()
}

// memberNumericDate reads the same value through Member, whose fast path
// parses plain integers itself; padding keeps the member away from the end
// of the input, where the fast path hands over to the general one.
func memberNumericDate(doc string) (int64, error) {
	var d Decoder
	d.Reset([]byte(doc))
	if err := d.ObjectStart(); err != nil {
		return 0, err
	}
	var m Member
	if _, err := d.Member(&m); err != nil {
		return 0, err
	}
	v, err := m.NumericDate()
	if err != nil {
		return v, err
	}
	return v, d.End()
}

func TestNumericDate(t *testing.T) {
	tests := []struct {
		name string
		num  string
		want int64
		err  error
	}{
		{"zero", "0", 0, nil},
		{"typical", "1767225600", 1767225600, nil},
		{"max", "253402300799", MaxNumericDate, nil},
		{"max plus one", "253402300800", 0, ErrRange},
		{"thirteen digits", "1000000000000", 0, ErrRange},
		{"twenty digits", "12345678901234567890", 0, ErrRange},
		{"digits beyond int64", "99999999999999999999999999999", 0, ErrRange},
		{"fraction", "1.5", 1, nil},
		{"fraction below one", "0.999", 0, nil},
		{"zero fraction", "0.0", 0, nil},
		{"exponent", "1.5e3", 1500, nil},
		{"negative exponent", "13e-1", 1, nil},
		{"capital exponent plus", "1E+2", 100, nil},
		{"exponent with fraction truncating", "1.23456e2", 123, nil},
		{"small fraction scaled up", "0.05e2", 5, nil},
		{"many fraction zeros", "0.0000000000000000000001e22", 1, nil},
		{"long mantissa", "1767225600.123456789012345678901234567890", 1767225600, nil},
		{"exponent to max", "2.53402300799e11", MaxNumericDate, nil},
		{"exponent above max", "2.534023008e11", 0, ErrRange},
		{"fraction of max", "253402300799.999999", MaxNumericDate, nil},
		{"huge exponent", "1e999999999999999999999", 0, ErrRange},
		{"exponent of 2^64", "1e18446744073709551616", 0, ErrRange},
		{"exponent of 2^63", "1e9223372036854775808", 0, ErrRange},
		{"negative exponent of 2^64", "5e-18446744073709551616", 0, nil},
		{"huge negative exponent", "1e-999999999999999999999", 0, nil},
		{"zero huge exponent", "0e999999999999999999999", 0, nil},
		{"zero fraction huge exponent", "0.000e99999", 0, nil},
		{"exponent zero", "5e0", 5, nil},
		{"exponent leading zeros", "5e007", 50000000, nil},
		{"twelve digits via exponent", "1e12", 0, ErrRange},
		{"eleven zeros via exponent", "1e11", 100000000000, nil},
		{"negative zero", "-0", 0, nil},
		{"negative zero fraction", "-0.0", 0, nil},
		{"negative zero exponent", "-0e5", 0, nil},
		{"negative", "-1", 0, ErrRange},
		{"negative fraction", "-0.5", 0, ErrRange},
		{"negative tiny", "-1e-30", 0, ErrRange},
		{"leading zero", "01", 0, ErrSyntax},
		{"trailing dot", "1.", 0, ErrSyntax},
		{"leading dot", ".5", 0, ErrSyntax},
		{"plus", "+1", 0, ErrSyntax},
		{"lone minus", "-", 0, ErrSyntax},
		{"empty exponent", "1e", 0, ErrSyntax},
		{"string", `"1"`, 0, ErrType},
		{"bool", `true`, 0, ErrType},
		{"null", `null`, 0, ErrType},
		{"NaN", `NaN`, 0, ErrSyntax},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for _, read := range []func(string) (int64, error){numericDate, memberNumericDate} {
				got, err := read(`{"t":` + tc.num + `,"padding":"so that the member is not near the end"}`)
				if tc.err != nil {
					if !errors.Is(err, tc.err) {
						t.Fatalf("NumericDate(%s) err = %v, want %v", tc.num, err, tc.err)
					}
					continue
				}
				if err != nil || got != tc.want {
					t.Fatalf("NumericDate(%s) = %d, %v; want %d", tc.num, got, err, tc.want)
				}
			}
		})
	}
}

// ErrRange consumes the number: decoding can go on.
func TestNumericDateRangeContinues(t *testing.T) {
	var d Decoder
	d.Reset([]byte(`{"a":-5,"b":1e20,"c":7}`))
	if err := d.ObjectStart(); err != nil {
		t.Fatal(err)
	}
	var got []int64
	for {
		_, more, err := d.NextMember()
		if err != nil {
			t.Fatal(err)
		}
		if !more {
			break
		}
		v, err := d.NumericDate()
		if err != nil && !errors.Is(err, ErrRange) {
			t.Fatal(err)
		}
		if err == nil {
			got = append(got, v)
		}
	}
	if err := d.End(); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != 7 {
		t.Fatalf("got %v, want [7]", got)
	}
}

// floorReference computes floor(num) with math/big, the oracle for
// floorDecimal. ok is false when the exponent is too large to evaluate.
func floorReference(num string) (v *big.Int, ok bool) {
	if i := strings.IndexAny(num, "eE"); i >= 0 {
		e, err := strconv.Atoi(strings.TrimPrefix(num[i+1:], "+"))
		if err != nil || e > 400 || e < -400 {
			return nil, false
		}
	}
	r, okr := new(big.Rat).SetString(num)
	if !okr {
		return nil, false
	}
	q := new(big.Int).Div(r.Num(), r.Denom()) // Euclidean: floor for positive denominators
	return q, true
}

func checkFloor(t *testing.T, num string) {
	t.Helper()
	if _, code := scanNumber([]byte(num), 0); code != codeOK {
		return
	}
	if end, _ := scanNumber([]byte(num), 0); end != len(num) {
		return
	}
	want, ok := floorReference(num)
	if !ok {
		return
	}
	got, err := numericDate(`{"t":` + num + `}`)
	inRange := want.Sign() >= 0 && want.Cmp(big.NewInt(MaxNumericDate)) <= 0
	// A negative value whose floor is -1 or below is negative; so is
	// any value in (-1, 0), whose floor is -1. Only zero itself passes.
	if !inRange {
		if !errors.Is(err, ErrRange) {
			t.Fatalf("NumericDate(%s) = %d, %v; want ErrRange (floor %v)", num, got, err, want)
		}
		return
	}
	if err != nil || got != want.Int64() {
		t.Fatalf("NumericDate(%s) = %d, %v; want %v", num, got, err, want)
	}
}

func TestNumericDateAgainstBig(t *testing.T) {
	nums := []string{
		"0", "1", "9", "10", "123", "253402300799", "253402300800", "-0", "-1", "-0.1",
		"0.1", "0.9", "1.0", "9.99", "1e0", "1e1", "1e11", "1e12", "1e-1", "10e-1", "99e-1",
		"100e-2", "123456789e-3", "0.000123e7", "0.0000000001e10", "2534023007990e-1",
		"25340230079999e-2", "25340230080000e-2", "1.7672256e9", "17672256E+2", "0.5e1",
	}
	for _, n := range nums {
		checkFloor(t, n)
	}
}

func FuzzNumericDate(f *testing.F) {
	for _, s := range []string{"0", "1.5e3", "13e-1", "-0.0", "253402300799.5", "1e12", "0.00012e5", "-7"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, num string) {
		checkFloor(t, num)
	})
}

// TestEightDigits checks the word-at-a-time digit test and parser against
// a byte loop, for every digit string of a few patterns and for words with
// one non-digit byte at each position.
func TestEightDigits(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for range 100000 {
		var b [8]byte
		for i := range b {
			b[i] = '0' + byte(rng.IntN(10))
		}
		if rng.IntN(2) == 0 {
			b[rng.IntN(8)] = byte(rng.Uint32())
		}
		x := binary.LittleEndian.Uint64(b[:])
		all, want := true, int64(0)
		for _, c := range b {
			all = all && c >= '0' && c <= '9'
			want = want*10 + int64(c) - '0'
		}
		if eightDigits(x) != all {
			t.Fatalf("eightDigits(%q) = %v", b[:], !all)
		}
		if all && parseEightDigits(x) != want {
			t.Fatalf("parseEightDigits(%q) = %d, want %d", b[:], parseEightDigits(x), want)
		}
	}
}
