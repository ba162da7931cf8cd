package main

import (
	"slices"
	"strconv"
	"sync"
	"time"
)

// Post is one post of the API.
type Post struct {
	ID        string    `json:"id"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	Author    string    `json:"author"` // the token's "sub"
	CreatedAt time.Time `json:"created_at"`
}

// Store keeps posts in memory. It is safe for concurrent use.
type Store struct {
	mu    sync.Mutex // guards posts and next
	posts []Post
	next  int
}

// List returns every post, oldest first.
func (s *Store) List() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Post{}, s.posts...)
}

// Add stores a post and returns it with its id.
func (s *Store) Add(p Post) Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next++
	p.ID = strconv.Itoa(s.next)
	s.posts = append(s.posts, p)
	return p
}

// Delete removes the post with id and reports whether it existed.
func (s *Store) Delete(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	i := slices.IndexFunc(s.posts, func(p Post) bool { return p.ID == id })
	if i < 0 {
		return false
	}
	s.posts = slices.Delete(s.posts, i, i+1)
	return true
}
