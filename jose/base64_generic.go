//go:build !amd64 || purego

package jose

// b64Vector is false: this platform decodes with the portable code alone.
var b64Vector = false

func b64DecodeVector(dst []byte, src string) (read, written int, ok bool) {
	return 0, 0, true
}
