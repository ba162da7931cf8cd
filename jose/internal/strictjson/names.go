package strictjson

import "encoding/binary"

// Duplicate member names are found by remembering the names of every open
// object. Open objects nest, so the names form a stack: each object's names
// sit above those of the objects enclosing it, and closing an object drops
// its names. A name without escapes is remembered as its offset and length
// in the input; only names with escapes are copied (into esc), which is the
// rare case where allocation is acceptable.
//
// Small objects are checked without hashing into a table: a 64-bit filter
// (one bit per name, chosen from the name's first bytes) tells at once that
// most names are new, and only when the bit is already set are the earlier
// names of the object compared. For the dozen members of a typical token
// this is much cheaper than a map and needs no allocation. An object that
// grows past mapThreshold members moves its names into a map, so large
// inputs cannot make the check quadratic.

const (
	// inlineNames is how many names (across all open objects) fit in the
	// decoder itself before spilling to the heap. It covers a typical
	// payload plus a nested object.
	inlineNames = 24
	// mapThreshold is the member count above which an object's names are
	// kept in a map.
	mapThreshold = 16
)

// nameRef locates a remembered name: off >= 0 is an offset into the input,
// off < 0 is ^offset into esc. key holds the first eight bytes of the name
// (zero-padded), so most comparisons are a single integer comparison, and
// names of up to eight bytes, which covers the registered claim names,
// never need their bytes compared.
type nameRef struct {
	key uint64
	off int32
	n   int32
}

// nameKey returns the key of the n-byte name at buf[start:].
func nameKey(buf []byte, start, n int) uint64 {
	if start+8 <= len(buf) {
		// One load; the bytes past the name are masked off.
		x := binary.LittleEndian.Uint64(buf[start:])
		if n < 8 {
			x &= 1<<(8*n) - 1
		}
		return x
	}
	var x uint64
	for i := range min(n, 8) {
		x |= uint64(buf[start+i]) << (8 * i)
	}
	return x
}

// filterBit is the bit of a name in an object's filter word.
func filterBit(r nameRef) uint64 { return filterBitKey(r.key, int(r.n)) }

// nameSet is the map of a large open object, identified by its index in
// the stack of open objects.
type nameSet struct {
	obj int
	m   map[string]struct{}
}

type nameTracker struct {
	data   []byte
	count  int    // names on the stack
	objs   int    // open objects
	filter uint64 // filter bits of the innermost object's names
	// limit is the stack size up to which add may take its fast path:
	// the innermost object is in filter mode, below mapThreshold names,
	// and the name fits inline. Zero disables the fast path.
	limit int
	bases [MaxDepth]int32
	refs  [inlineNames]nameRef
	spill []nameRef // names beyond inlineNames; len == max(0, count-inlineNames)
	esc   []byte    // unescaped copies of names that contained escapes
	sets  []nameSet // maps of large open objects, innermost last
}

func (t *nameTracker) reset(data []byte) {
	t.data = data
	t.count = 0
	t.objs = 0
	t.filter = 0
	t.limit = 0
	t.spill = t.spill[:0]
	t.esc = t.esc[:0]
	clear(t.sets) // let the maps of an earlier document be collected
	t.sets = t.sets[:0]
}

// push starts the names of a newly opened object.
func (t *nameTracker) push() {
	t.bases[t.objs] = int32(t.count)
	t.objs++
	t.filter = 0
	t.limit = min(t.count+mapThreshold, inlineNames)
}

// pop drops the names of the innermost object as it closes, and rebuilds
// the filter of the object that becomes innermost. Rebuilding is cheap:
// an object in filter mode has at most mapThreshold names.
func (t *nameTracker) pop() {
	t.objs--
	if n := len(t.sets); n > 0 && t.sets[n-1].obj == t.objs {
		t.sets[n-1].m = nil
		t.sets = t.sets[:n-1]
	}
	t.truncate(int(t.bases[t.objs]))
	t.filter = 0
	t.limit = 0
	if t.objs == 0 || t.inMap() {
		return
	}
	base := int(t.bases[t.objs-1])
	for i := base; i < t.count; i++ {
		t.filter |= filterBit(t.ref(i))
	}
	t.limit = min(base+mapThreshold, inlineNames)
}

// inMap reports whether the innermost object keeps its names in a map.
func (t *nameTracker) inMap() bool {
	n := len(t.sets)
	return n > 0 && t.sets[n-1].obj == t.objs-1
}

func (t *nameTracker) truncate(count int) {
	t.count = count
	t.spill = t.spill[:max(0, count-inlineNames)]
}

func (t *nameTracker) ref(i int) nameRef {
	if i < inlineNames {
		return t.refs[i]
	}
	return t.spill[i-inlineNames]
}

// bytes returns the remembered name r.
func (t *nameTracker) bytes(r nameRef) []byte {
	if r.off >= 0 {
		return t.data[r.off : r.off+r.n]
	}
	off := ^r.off
	return t.esc[off : off+r.n]
}

// add records the name data[start:end], which has no escapes, for the
// innermost object and reports whether it was already present. The fast
// path covers a new name in a small object: its filter bit is clear, so no
// earlier name can be equal.
func (t *nameTracker) add(start, end int) bool {
	n := end - start
	r := nameRef{key: nameKey(t.data, start, n), off: int32(start), n: int32(n)}
	if bit := filterBit(r); t.filter&bit == 0 && t.count < t.limit {
		t.filter |= bit
		t.refs[t.count] = r
		t.count++
		return false
	}
	return t.record(r, t.data[start:end])
}

// addEscaped records the name whose raw (escaped) content is raw and
// returns it unescaped, reporting whether it was already present.
func (t *nameTracker) addEscaped(raw []byte) ([]byte, bool) {
	off := len(t.esc)
	t.esc = appendUnescaped(t.esc, raw)
	name := t.esc[off:len(t.esc):len(t.esc)]
	r := nameRef{key: nameKey(t.esc, off, len(name)), off: ^int32(off), n: int32(len(name))}
	return name, t.record(r, name)
}

func (t *nameTracker) record(r nameRef, name []byte) bool {
	if t.inMap() {
		return t.recordMap(t.sets[len(t.sets)-1].m, name)
	}
	base := int(t.bases[t.objs-1])
	bit := filterBit(r)
	if t.filter&bit != 0 && t.contains(base, r, name) {
		return true
	}
	if t.count-base >= mapThreshold {
		t.toMap(base, name)
		return false
	}
	t.filter |= bit
	if t.count < inlineNames {
		t.refs[t.count] = r
	} else {
		t.spill = append(t.spill, r)
	}
	t.count++
	return false
}

func (t *nameTracker) recordMap(m map[string]struct{}, name []byte) bool {
	if _, ok := m[string(name)]; ok {
		return true
	}
	m[string(name)] = struct{}{}
	return false
}

// contains reports whether name, whose reference is r, is among the names
// from stack index base up.
func (t *nameTracker) contains(base int, r nameRef, name []byte) bool {
	for i := base; i < t.count; i++ {
		if e := t.ref(i); e.key == r.key && e.n == r.n && (r.n <= 8 || string(t.bytes(e)) == string(name)) {
			return true
		}
	}
	return false
}

// toMap moves the names of the innermost object, which start at stack
// index base, into a map, adding name.
func (t *nameTracker) toMap(base int, name []byte) {
	m := make(map[string]struct{}, 2*mapThreshold)
	for i := base; i < t.count; i++ {
		m[string(t.bytes(t.ref(i)))] = struct{}{}
	}
	m[string(name)] = struct{}{}
	t.truncate(base)
	t.sets = append(t.sets, nameSet{obj: t.objs - 1, m: m})
	t.limit = 0
}
