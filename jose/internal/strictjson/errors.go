package strictjson

import (
	"errors"
	"strconv"
)

// Sentinel errors. Every error returned by Decoder wraps exactly one of them.
var (
	// ErrSyntax reports input that is not valid JSON (RFC 8259), or data
	// after the top-level object, or decoder methods called out of order.
	ErrSyntax = errors.New("strictjson: syntax error")
	// ErrDuplicate reports a member name that occurs twice in one object.
	ErrDuplicate = errors.New("strictjson: duplicate member name")
	// ErrUTF8 reports a string holding invalid UTF-8 or an unpaired
	// surrogate escape.
	ErrUTF8 = errors.New("strictjson: invalid UTF-8")
	// ErrDepth reports arrays and objects nested deeper than MaxDepth.
	ErrDepth = errors.New("strictjson: nesting too deep")
	// ErrType reports a value of another kind than the one asked for.
	ErrType = errors.New("strictjson: unexpected value kind")
	// ErrRange reports a number outside the range asked for.
	ErrRange = errors.New("strictjson: number out of range")
)

// Error describes a decoding failure at a byte offset of the input. It is
// only created on the failure path, so the success path stays free of
// allocations.
type Error struct {
	Err    error  // one of the sentinel errors above
	Offset int    // byte offset in the input where the problem was found
	Msg    string // what exactly was wrong
}

func (e *Error) Error() string {
	return e.Err.Error() + ": " + e.Msg + " at offset " + strconv.Itoa(e.Offset)
}

// Unwrap lets errors.Is match the sentinel.
func (e *Error) Unwrap() error { return e.Err }

// errCode names a failure without building an error value, so the scanning
// helpers can report problems through a plain integer and leave the
// allocation to the caller on the failure path.
type errCode uint8

const (
	codeOK errCode = iota
	codeEOF
	codeChar
	codeControl
	codeEscape
	codeUTF8
	codeSurrogate
	codeNumber
	codeLeadingZero
	codeLiteral
	codeNameExpected
	codeColon
	codeCommaObject
	codeCommaArray
	codeTrailing
	codeOrder
	codeDuplicate
	codeDepth
	codeTooLarge
	// codeEnd is not an error: memberName reports the closing '}' with it.
	codeEnd
)

var codeInfo = [...]struct {
	err error
	msg string
}{
	codeOK:           {nil, ""},
	codeEOF:          {ErrSyntax, "unexpected end of input"},
	codeChar:         {ErrSyntax, "invalid character at start of value"},
	codeControl:      {ErrSyntax, "control character in string"},
	codeEscape:       {ErrSyntax, "invalid escape sequence"},
	codeUTF8:         {ErrUTF8, "invalid UTF-8 in string"},
	codeSurrogate:    {ErrUTF8, "unpaired surrogate escape"},
	codeNumber:       {ErrSyntax, "invalid number"},
	codeLeadingZero:  {ErrSyntax, "leading zero in number"},
	codeLiteral:      {ErrSyntax, "invalid literal"},
	codeNameExpected: {ErrSyntax, "expected string for member name"},
	codeColon:        {ErrSyntax, "expected ':' after member name"},
	codeCommaObject:  {ErrSyntax, "expected ',' or '}' after member value"},
	codeCommaArray:   {ErrSyntax, "expected ',' or ']' after array element"},
	codeTrailing:     {ErrSyntax, "data after top-level object"},
	codeOrder:        {ErrSyntax, "decoder method called out of order"},
	codeDuplicate:    {ErrDuplicate, "duplicate member name"},
	codeDepth:        {ErrDepth, "nesting deeper than MaxDepth"},
	codeTooLarge:     {ErrSyntax, "input larger than 2 GiB"},
	codeEnd:          {nil, ""},
}

// Kind is the kind of a JSON value.
type Kind uint8

// The kinds of JSON values. Invalid is reported where no value can start.
const (
	Invalid Kind = iota
	String
	Number
	Object
	Array
	Bool
	Null
)

var kindNames = [...]string{
	Invalid: "invalid",
	String:  "string",
	Number:  "number",
	Object:  "object",
	Array:   "array",
	Bool:    "bool",
	Null:    "null",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}
