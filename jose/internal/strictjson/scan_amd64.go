//go:build amd64 && !purego

package strictjson

//go:noescape
func scanPlainAVX2(data *byte, blocks int, quotes *uint64) bool

// scanPlainVector is ScanPlain with AVX2: whole blocks of 64 bytes in
// place, and the last, partial one copied into a padded block.
func scanPlainVector(data []byte, q *Quotes) bool {
	full := len(data) / 64
	ok := true
	if full > 0 {
		ok = scanPlainAVX2(&data[0], full, &q.w[0])
	}
	if rest := data[64*full:]; len(rest) > 0 {
		tail := plainPadding
		copy(tail[:], rest)
		ok = scanPlainAVX2(&tail[0], 1, &q.w[full]) && ok
	}
	return ok
}
