package sqlite_test

import (
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/signet-dev/signet"
	"github.com/signet-dev/signet/sqlite"
)

// TestExportRefusesUnknownTable: a table added to the schema without being
// added to the copy makes Export (and Import) fail, naming it, instead of
// leaving its data behind.
func TestExportRefusesUnknownTable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "signet.db")
	s, err := sqlite.Open(t.Context(), path, sqlite.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(t.Context(), `CREATE TABLE oauth_clients (id TEXT PRIMARY KEY)`); err != nil {
		t.Fatal(err)
	}
	err = s.Export(t.Context(), func(signet.Batch) error { t.Fatal("Export emitted a batch"); return nil })
	if !errors.Is(err, signet.ErrInvalid) || !strings.Contains(err.Error(), "oauth_clients") {
		t.Fatalf("Export = %v, want EINVALID naming oauth_clients", err)
	}
	err = s.Import(t.Context(), func(func(signet.Batch) error) error { return nil })
	if !errors.Is(err, signet.ErrInvalid) {
		t.Fatalf("Import = %v, want EINVALID", err)
	}
}
