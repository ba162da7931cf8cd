package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/signet-dev/signet/jose/verify"
)

// NewHandler returns the posts API protected by v: every route needs a
// valid access token, and
//
//	GET    /posts       scope posts:read
//	POST   /posts       scope posts:write
//	DELETE /posts/{id}  role admin
func NewHandler(v *verify.Verifier, s *Store) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /posts", verify.RequireScope("posts:read")(http.HandlerFunc(s.list)))
	mux.Handle("POST /posts", verify.RequireScope("posts:write")(http.HandlerFunc(s.create)))
	mux.Handle("DELETE /posts/{id}", verify.RequireRole("admin")(http.HandlerFunc(s.remove)))
	return v.Middleware(mux)
}

func (s *Store) list(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string][]Post{"posts": s.List()})
}

func (s *Store) create(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Title string `json:"title"`
		Body  string `json:"body"`
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&in); err != nil || strings.TrimSpace(in.Title) == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": `send {"title": "…", "body": "…"} with a title`})
		return
	}
	claims, _ := verify.ClaimsFrom(r.Context())
	p := s.Add(Post{Title: in.Title, Body: in.Body, Author: claims.Subject, CreatedAt: time.Now().UTC()})
	writeJSON(w, http.StatusCreated, p)
}

func (s *Store) remove(w http.ResponseWriter, r *http.Request) {
	if !s.Delete(r.PathValue("id")) {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such post"})
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}
