package strictjson

import (
	"encoding/json"
	"errors"
	"testing"
	"unsafe"
)

// claimsPayload is a realistic access-token payload (425 bytes).
const claimsPayload = `{"iss":"https://auth.example.com/realms/production","sub":"5f0c1f5e-7d2a-4a7e-9a4b-2c8f0e1d3b6a",` +
	`"aud":["api.example.com","billing.example.com"],"exp":1767225600,"iat":1767222000,"nbf":1767221990,` +
	`"jti":"0b9d1c2e-3f4a-5b6c-7d8e-9f0a1b2c3d4e","client_id":"web-frontend","scope":"openid profile email orders:read orders:write",` +
	`"sid":"a1b2c3d4-e5f6-7a8b-9c0d-e1f2a3b4c5d6","roles":["user","admin"],"email":"jane.doe@example.com"}`

// claims is the Go form of the payload; encoding/json decodes into it.
type claims struct {
	Iss      string   `json:"iss"`
	Sub      string   `json:"sub"`
	Aud      []string `json:"aud"`
	Exp      int64    `json:"exp"`
	Iat      int64    `json:"iat"`
	Nbf      int64    `json:"nbf"`
	Jti      string   `json:"jti"`
	ClientID string   `json:"client_id"`
	Scope    string   `json:"scope"`
	Sid      string   `json:"sid"`
	Roles    []string `json:"roles"`
	Email    string   `json:"email"`
}

// zcClaims is what a zero-copy consumer like the JOSE core keeps: strings
// aliasing the input and small fixed arrays for lists.
type zcClaims struct {
	Iss, Sub, Jti, ClientID, Scope, Sid, Email string
	Exp, Iat, Nbf                              int64
	aud, roles                                 [4]string
	nAud, nRoles                               int
}

func (c *zcClaims) toClaims() claims {
	return claims{
		Iss: c.Iss, Sub: c.Sub, Aud: append([]string(nil), c.aud[:c.nAud]...),
		Exp: c.Exp, Iat: c.Iat, Nbf: c.Nbf, Jti: c.Jti, ClientID: c.ClientID,
		Scope: c.Scope, Sid: c.Sid, Roles: append([]string(nil), c.roles[:c.nRoles]...), Email: c.Email,
	}
}

var errTooMany = errors.New("too many list entries")

// decodeClaims reads a payload the way the JOSE core does.
func decodeClaims(data []byte) (zcClaims, error) {
	var c zcClaims
	var d Decoder
	d.Reset(data)
	if err := d.ObjectStart(); err != nil {
		return c, err
	}
	for {
		name, more, err := d.NextMember()
		if err != nil {
			return c, err
		}
		if !more {
			break
		}
		switch string(name) {
		case "iss":
			c.Iss, err = str(&d)
		case "sub":
			c.Sub, err = str(&d)
		case "jti":
			c.Jti, err = str(&d)
		case "client_id":
			c.ClientID, err = str(&d)
		case "scope":
			c.Scope, err = str(&d)
		case "sid":
			c.Sid, err = str(&d)
		case "email":
			c.Email, err = str(&d)
		case "exp":
			c.Exp, err = d.NumericDate()
		case "iat":
			c.Iat, err = d.NumericDate()
		case "nbf":
			c.Nbf, err = d.NumericDate()
		case "aud":
			c.nAud, err = strList(&d, c.aud[:])
		case "roles":
			c.nRoles, err = strList(&d, c.roles[:])
		default:
			_, err = d.Skip()
		}
		if err != nil {
			return c, err
		}
	}
	return c, d.End()
}

func str(d *Decoder) (string, error) {
	b, err := d.StringBytes()
	return unsafe.String(unsafe.SliceData(b), len(b)), err
}

// strList reads a string or an array of strings into dst.
func strList(d *Decoder, dst []string) (int, error) {
	if d.Kind() == String {
		s, err := str(d)
		dst[0] = s
		return 1, err
	}
	if err := d.ArrayStart(); err != nil {
		return 0, err
	}
	n := 0
	for {
		more, err := d.NextElement()
		if err != nil || !more {
			return n, err
		}
		if n == len(dst) {
			return n, errTooMany
		}
		if dst[n], err = str(d); err != nil {
			return n, err
		}
		n++
	}
}

var sinkClaims zcClaims

func BenchmarkDecodeClaims(b *testing.B) {
	data := []byte(claimsPayload)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		c, err := decodeClaims(data)
		if err != nil {
			b.Fatal(err)
		}
		sinkClaims = c
	}
}

func BenchmarkDecode(b *testing.B) {
	data := []byte(claimsPayload)
	b.Run("lib=strictjson", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			c, err := decodeClaims(data)
			if err != nil {
				b.Fatal(err)
			}
			sinkClaims = c
		}
	})
	b.Run("lib=encoding_json", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		for b.Loop() {
			var c claims
			if err := json.Unmarshal(data, &c); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkValidate measures validation alone (Reset + End).
func BenchmarkValidate(b *testing.B) {
	data := []byte(claimsPayload)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if err := validate(data); err != nil {
			b.Fatal(err)
		}
	}
}

var sinkBytes []byte

func BenchmarkAppendString(b *testing.B) {
	for _, bc := range []struct{ name, s string }{
		{"ascii", "https://auth.example.com/realms/production"},
		{"escapes", "line1\nline2\t<tag>&\"quoted\""},
		{"unicode", "Ünïcödé – 漢字 😀 text"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			buf := make([]byte, 0, 128)
			b.ReportAllocs()
			for b.Loop() {
				buf = AppendString(buf[:0], bc.s)
			}
			sinkBytes = buf
		})
	}
}
