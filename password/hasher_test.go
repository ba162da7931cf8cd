package password

import (
	"errors"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
)

// testParams keep tests fast; they are far below the OWASP floor.
var testParams = Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}

// newTestHasher returns a Hasher with p and a counter of its hashes.
func newTestHasher(t testing.TB, p Params) (*Hasher, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	h, err := NewHasher(Config{Params: p, UnsafeWeakParams: true, OnHash: func() { n.Add(1) }})
	if err != nil {
		t.Fatalf("NewHasher: %v", err)
	}
	return h, &n
}

var phcShape = regexp.MustCompile(`^\$argon2id\$v=19\$m=64,t=1,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)

func TestHashVerifyRoundTrip(t *testing.T) {
	h, _ := newTestHasher(t, testParams)
	stored, err := h.Hash("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !phcShape.MatchString(stored) {
		t.Fatalf("Hash = %q, not the PHC shape", stored)
	}
	if again, _ := h.Hash("correct horse battery staple"); again == stored {
		t.Error("two hashes of one password are equal: salt is not random")
	}
	for _, tc := range []struct {
		pw     string
		wantOK bool
	}{
		{"correct horse battery staple", true},
		{"correct horse battery stapl", false},
		{"Correct horse battery staple", false},
		{"", false},
	} {
		ok, rehash, err := h.Verify(tc.pw, stored)
		if err != nil || ok != tc.wantOK || rehash {
			t.Errorf("Verify(%q) = %v, %v, %v; want %v, false, nil", tc.pw, ok, rehash, err, tc.wantOK)
		}
	}
}

func TestVerifyNeedsRehash(t *testing.T) {
	old, _ := newTestHasher(t, testParams)
	stored, err := old.Hash("hunter2 but longer")
	if err != nil {
		t.Fatal(err)
	}
	changes := map[string]func(*Params){
		"memory":      func(p *Params) { p.Memory = 128 },
		"iterations":  func(p *Params) { p.Iterations = 2 },
		"parallelism": func(p *Params) { p.Parallelism = 2 },
		"salt length": func(p *Params) { p.SaltLen = 32 },
		"key length":  func(p *Params) { p.KeyLen = 64 },
	}
	for name, change := range changes {
		t.Run(name, func(t *testing.T) {
			p := testParams
			change(&p)
			cur, _ := newTestHasher(t, p)
			if ok, rehash, err := cur.Verify("hunter2 but longer", stored); !ok || !rehash || err != nil {
				t.Errorf("right password: Verify = %v, %v, %v; want true, true, nil", ok, rehash, err)
			}
			if ok, rehash, err := cur.Verify("hunter3 but longer", stored); ok || rehash || err != nil {
				t.Errorf("wrong password: Verify = %v, %v, %v; want false, false, nil", ok, rehash, err)
			}
		})
	}
}

func TestHashCount(t *testing.T) {
	h, n := newTestHasher(t, testParams)
	stored, _ := h.Hash("a password of some length")
	for _, tc := range []struct {
		name string
		do   func()
		want int64
	}{
		{"Hash", func() { _, _ = h.Hash("x") }, 1},
		{"Verify right", func() { _, _, _ = h.Verify("a password of some length", stored) }, 1},
		{"Verify wrong", func() { _, _, _ = h.Verify("wrong", stored) }, 1},
		{"VerifyDummy", func() { h.VerifyDummy("wrong") }, 1},
		{"Verify malformed", func() { _, _, _ = h.Verify("x", "$argon2id$") }, 0},
	} {
		n.Store(0)
		tc.do()
		if got := n.Load(); got != tc.want {
			t.Errorf("%s computed %d hashes, want %d", tc.name, got, tc.want)
		}
	}
}

func TestDefaultParams(t *testing.T) {
	h, err := NewHasher(Config{})
	if err != nil {
		t.Fatal(err)
	}
	if h.Params() != DefaultParams {
		t.Fatalf("Params() = %+v, want DefaultParams", h.Params())
	}
	stored, err := h.Hash("a default-cost password")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stored, "$argon2id$v=19$m=65536,t=3,p=4$") {
		t.Errorf("Hash = %q", stored)
	}
	if ok, rehash, err := h.Verify("a default-cost password", stored); !ok || rehash || err != nil {
		t.Errorf("Verify = %v, %v, %v; want true, false, nil", ok, rehash, err)
	}
}

func TestNewHasherRefusesParams(t *testing.T) {
	owasp := Params{Memory: 19456, Iterations: 2, Parallelism: 1, SaltLen: 16, KeyLen: 32}
	if _, err := NewHasher(Config{Params: owasp}); err != nil {
		t.Errorf("OWASP minimum refused: %v", err)
	}
	for name, c := range map[string]Config{
		"weak without the unsafe flag": {Params: testParams},
		"OWASP memory with one pass":   {Params: Params{Memory: 19456, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}},
		"short salt":                   {Params: Params{Memory: 19456, Iterations: 2, Parallelism: 1, SaltLen: 8, KeyLen: 32}},
		"zero lanes":                   {Params: Params{Memory: 64, Iterations: 1, SaltLen: 16, KeyLen: 32}, UnsafeWeakParams: true},
		"zero passes":                  {Params: Params{Memory: 64, Parallelism: 1, SaltLen: 16, KeyLen: 32}, UnsafeWeakParams: true},
		"memory over the cap":          {Params: Params{Memory: 1 << 20, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32}},
		"no key":                       {Params: Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLen: 16}, UnsafeWeakParams: true},
	} {
		if _, err := NewHasher(c); !errors.Is(err, ErrUnsafeParams) {
			t.Errorf("%s: NewHasher error = %v, want ErrUnsafeParams", name, err)
		}
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("entropy exhausted") }

func TestRandomFailure(t *testing.T) {
	if _, err := NewHasher(Config{Rand: failingReader{}}); err == nil {
		t.Error("NewHasher with a failing random source succeeded")
	}
}

func TestZeroHasher(t *testing.T) {
	var h Hasher
	if _, err := h.Hash("whatever it is"); err == nil {
		t.Error("zero Hasher hashed")
	}
	if ok, _, err := h.Verify("x", "$argon2id$v=19$m=64,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"); ok || err == nil {
		t.Error("zero Hasher verified")
	}
	h.VerifyDummy("x") // must not panic or block
}

// TestMaxConcurrent shows that a Hasher runs at most MaxConcurrent hashes
// at once: while the first is held inside OnHash, the second waits.
func TestMaxConcurrent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var calls atomic.Int64
		release := make(chan struct{})
		h, err := NewHasher(Config{
			Params: testParams, UnsafeWeakParams: true, MaxConcurrent: 1,
			OnHash: func() {
				if calls.Add(1) == 1 {
					<-release
				}
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() { _, _ = h.Hash("concurrent password") })
		}
		synctest.Wait()
		if got := calls.Load(); got != 1 {
			t.Errorf("%d hashes started while one held the only slot, want 1", got)
		}
		close(release)
		wg.Wait()
		if got := calls.Load(); got != 2 {
			t.Errorf("%d hashes in all, want 2", got)
		}
	})
}

// BenchmarkHash measures one argon2id hash with DefaultParams: the floor
// of every login's latency, on both the known and the unknown account path.
func BenchmarkHash(b *testing.B) {
	h, err := NewHasher(Config{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := h.Hash("benchmark password"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyDummy measures the unknown-account path, to compare with
// BenchmarkHash.
func BenchmarkVerifyDummy(b *testing.B) {
	h, err := NewHasher(Config{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		h.VerifyDummy("benchmark password")
	}
}
