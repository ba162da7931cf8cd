package jose

import (
	"strconv"
	"sync"

	"github.com/signet-dev/signet/jose/internal/strictjson"
)

var bufPool = sync.Pool{New: func() any { b := make([]byte, 0, 1024); return &b }}

func getBuf() *[]byte { return bufPool.Get().(*[]byte) }

func putBuf(b *[]byte) {
	if cap(*b) <= 64<<10 { // do not keep huge buffers alive
		bufPool.Put(b)
	}
}

// appendJSON encodes c as a JSON object, leaving out empty claims, with the
// same result encoding/json gives for Claims (single audience as a string).
func (c *Claims) appendJSON(b []byte) []byte {
	w := claimWriter{b: append(b, '{')}
	w.str("iss", c.Issuer)
	w.str("sub", c.Subject)
	if len(c.Audience) == 1 {
		w.str("aud", c.Audience[0])
	} else {
		w.strs("aud", c.Audience)
	}
	w.date("exp", c.ExpiresAt)
	w.date("nbf", c.NotBefore)
	w.date("iat", c.IssuedAt)
	w.str("jti", c.ID)
	w.str("client_id", c.ClientID)
	w.str("scope", c.Scope)
	w.str("sid", c.SessionID)
	w.strs("roles", c.Roles)
	w.date("auth_time", c.AuthTime)
	w.str("azp", c.AuthorizedParty)
	w.str("nonce", c.Nonce)
	w.str("at_hash", c.AccessTokenHash)
	w.str("email", c.Email)
	if c.EmailVerified {
		w.name("email_verified")
		w.b = append(w.b, "true"...)
	}
	w.str("name", c.Name)
	return append(w.b, '}')
}

type claimWriter struct {
	b     []byte
	wrote bool
}

func (w *claimWriter) name(n string) {
	if w.wrote {
		w.b = append(w.b, ',')
	}
	w.wrote = true
	w.b = append(append(append(w.b, '"'), n...), `":`...)
}

func (w *claimWriter) str(n, v string) {
	if v != "" {
		w.name(n)
		w.b = strictjson.AppendString(w.b, v)
	}
}

func (w *claimWriter) strs(n string, v []string) {
	if len(v) == 0 {
		return
	}
	w.name(n)
	w.b = append(w.b, '[')
	for i, s := range v {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.b = strictjson.AppendString(w.b, s)
	}
	w.b = append(w.b, ']')
}

func (w *claimWriter) date(n string, d NumericDate) {
	if d != 0 {
		w.name(n)
		w.b = strconv.AppendInt(w.b, int64(d), 10)
	}
}
