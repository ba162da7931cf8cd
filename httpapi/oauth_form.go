package httpapi

import (
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/signet-dev/signet/oauth2"
)

// maxFormBytes bounds the body of the OAuth endpoints' forms.
const maxFormBytes = 16 << 10

// readForm reads an application/x-www-form-urlencoded body strictly (RFC
// 6749 section 3.2): the media type, at most maxFormBytes, valid encoding,
// and no parameter given twice. Parameters in the URL are not read: a
// secret or code in a URL ends up in logs.
func readForm(w http.ResponseWriter, r *http.Request) (url.Values, error) {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/x-www-form-urlencoded" {
		return nil, oauthInvalid("send the parameters as application/x-www-form-urlencoded")
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxFormBytes))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return nil, oauthInvalid("the request body is larger than 16 KiB")
	case err != nil:
		return nil, oauthInvalid("the request body could not be read")
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, oauthInvalid("the request body is not a valid form")
	}
	for name, vs := range form {
		if len(vs) > 1 {
			return nil, oauthInvalid(name + " is given more than once")
		}
	}
	return form, nil
}

func oauthInvalid(description string) *oauth2.Error {
	return &oauth2.Error{Code: oauth2.ErrInvalidRequest.Code, Description: description}
}

// clientAuth finds how a request authenticates its client (RFC 6749
// section 2.3.1): HTTP Basic with the form-urlencoded id and secret, or
// client_id and client_secret in the form, or client_id alone for a public
// client. Using two methods at once is invalid_request.
func clientAuth(r *http.Request, form url.Values) (oauth2.ClientAuth, error) {
	id, secret := form.Get("client_id"), form.Get("client_secret")
	if !hasBasic(r) {
		switch {
		case id == "":
			return oauth2.ClientAuth{}, &oauth2.Error{Code: oauth2.ErrInvalidClient.Code, Description: "client authentication is required"}
		case form.Has("client_secret"):
			return oauth2.ClientAuth{Method: oauth2.AuthPost, ID: id, Secret: secret}, nil
		}
		return oauth2.ClientAuth{Method: oauth2.AuthNone, ID: id}, nil
	}
	bid, bsecret, ok := basicCredentials(r)
	switch {
	case !ok:
		return oauth2.ClientAuth{}, &oauth2.Error{Code: oauth2.ErrInvalidClient.Code, Description: "the Basic credentials are malformed"}
	case form.Has("client_secret") || (id != "" && id != bid):
		return oauth2.ClientAuth{}, oauthInvalid("use one client authentication method: HTTP Basic or the form, not both")
	}
	return oauth2.ClientAuth{Method: oauth2.AuthBasic, ID: bid, Secret: bsecret}, nil
}

// hasBasic reports whether the request carries Basic credentials.
func hasBasic(r *http.Request) bool {
	scheme, _, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	return strings.EqualFold(scheme, "Basic")
}

// basicCredentials decodes one Basic header whose user and password are
// each form-urlencoded, as RFC 6749 section 2.3.1 requires.
func basicCredentials(r *http.Request) (id, secret string, ok bool) {
	if len(r.Header.Values("Authorization")) != 1 {
		return "", "", false
	}
	_, enc, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(enc))
	if err != nil {
		return "", "", false
	}
	u, p, found := strings.Cut(string(raw), ":")
	if !found {
		return "", "", false
	}
	if id, err = url.QueryUnescape(u); err != nil {
		return "", "", false
	}
	if secret, err = url.QueryUnescape(p); err != nil {
		return "", "", false
	}
	return id, secret, id != ""
}
