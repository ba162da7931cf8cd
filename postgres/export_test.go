package postgres

import (
	"errors"
	"strings"
	"testing"

	"github.com/signet-dev/signet"
)

// TestExportRefusesUnknownTable: a table added to the schema without being
// added to the copy makes Export (and Import) fail, naming it, instead of
// leaving its data behind.
func TestExportRefusesUnknownTable(t *testing.T) {
	t.Parallel()
	s := newTestStore(t)
	if _, err := s.pool.Exec(t.Context(), `CREATE TABLE oauth_clients (id text PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	err := s.Export(t.Context(), func(signet.Batch) error { t.Fatal("Export emitted a batch"); return nil })
	if !errors.Is(err, signet.ErrInvalid) || !strings.Contains(err.Error(), "oauth_clients") {
		t.Fatalf("Export = %v, want EINVALID naming oauth_clients", err)
	}
	err = s.Import(t.Context(), func(func(signet.Batch) error) error { return nil })
	if !errors.Is(err, signet.ErrInvalid) {
		t.Fatalf("Import = %v, want EINVALID", err)
	}
}
