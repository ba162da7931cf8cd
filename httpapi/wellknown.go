package httpapi

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// wellKnownHandler serves the public documents under /.well-known/.
type wellKnownHandler struct{ *Server }

// Mount registers the handler's routes.
func (h wellKnownHandler) Mount(s *Server) {
	s.handle("GET /.well-known/jwks.json", h.jwks)
	s.handle("GET /.well-known/openid-configuration", h.discovery)
}

// jwks serves the public key set (RFC 7517 section 5) as the service
// publishes it, cacheable for the time the service says, with a strong ETag
// so that a follower revalidates with If-None-Match for a 304.
func (h wellKnownHandler) jwks(w http.ResponseWriter, r *http.Request) error {
	doc, maxAge, err := h.api.JWKS(r.Context())
	if err != nil {
		return err
	}
	sum := sha256.Sum256(doc)
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:16]) + `"`
	hdr := w.Header()
	cacheFor(hdr, maxAge)
	hdr.Set("ETag", etag)
	if etagMatches(r.Header.Get("If-None-Match"), etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	hdr.Set("Content-Type", "application/jwk-set+json")
	hdr.Set("Content-Length", strconv.Itoa(len(doc)))
	w.WriteHeader(http.StatusOK)
	w.Write(doc)
	return nil
}

// etagMatches applies If-None-Match's weak comparison (RFC 9110 section
// 13.1.2) to one strong etag.
func etagMatches(header, etag string) bool {
	for tag := range strings.SplitSeq(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" || tag == etag {
			return true
		}
	}
	return false
}

// discoveryDoc is the OpenID Provider Metadata (OpenID Connect Discovery
// 1.0 section 3, RFC 8414 section 2). It names only what this server
// serves: without an OpenID provider (Config.Provider) there is no
// authorization or token endpoint, so the members that describe them are
// absent and response_types_supported is empty.
type discoveryDoc struct {
	Issuer  string `json:"issuer"`
	JWKSURI string `json:"jwks_uri"`
	*providerDoc
	ResponseTypes       []string `json:"response_types_supported"`
	SubjectTypes        []string `json:"subject_types_supported"`
	IDTokenAlgs         []string `json:"id_token_signing_alg_values_supported"`
	RevocationsEndpoint string   `json:"signet_revocations_endpoint"`
	RevocationsStream   string   `json:"signet_revocations_stream"`
}

// discovery serves the metadata. The ID token algorithms are those of the
// published signing keys, so the document cannot name an algorithm no key
// exists for; it is cacheable as long as the key set is.
func (h wellKnownHandler) discovery(w http.ResponseWriter, r *http.Request) error {
	jwks, maxAge, err := h.api.JWKS(r.Context())
	if err != nil {
		return err
	}
	algs, err := signingAlgs(jwks)
	if err != nil {
		return err
	}
	iss := h.cfg.Issuer
	doc := discoveryDoc{
		Issuer:              iss,
		JWKSURI:             iss + "/.well-known/jwks.json",
		ResponseTypes:       []string{},         // no authorization endpoint without a provider
		SubjectTypes:        []string{"public"}, // sub is one random id for every client
		IDTokenAlgs:         algs,
		RevocationsEndpoint: iss + "/v1/revocations",
		RevocationsStream:   iss + "/v1/revocations/stream",
	}
	if p := h.cfg.Provider; p != nil {
		doc.providerDoc, doc.ResponseTypes, doc.IDTokenAlgs = newProviderDoc(iss), []string{"code"}, p.IDTokenAlgorithms()
	}
	cacheFor(w.Header(), maxAge)
	return writeJSON(w, http.StatusOK, doc)
}

// signingAlgs returns the sorted, distinct "alg" of a JWKS's signature keys.
func signingAlgs(jwks []byte) ([]string, error) {
	var set struct {
		Keys []struct {
			Alg string `json:"alg"`
			Use string `json:"use"`
		} `json:"keys"`
	}
	if err := json.Unmarshal(jwks, &set); err != nil {
		return nil, err
	}
	algs := []string{}
	for _, k := range set.Keys {
		if k.Alg != "" && k.Use != "enc" && !strings.HasPrefix(k.Alg, "HS") && !slices.Contains(algs, k.Alg) {
			algs = append(algs, k.Alg)
		}
	}
	slices.Sort(algs)
	return algs, nil
}
