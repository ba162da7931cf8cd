package sqlite

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/signet-dev/signet"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// translate turns a driver error into signet's vocabulary, by result code and
// never by message text; what names the record for the message ("user",
// "session"). The driver reports extended result codes, so a unique violation
// is told apart from a foreign-key one. Other errors are wrapped as internal.
func translate(err error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return signet.Errorf(signet.ENOTFOUND, "%s not found", what)
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqlite3.SQLITE_CONSTRAINT_UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
			return signet.Errorf(signet.ECONFLICT, "%s already exists", what)
		case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
			return signet.Errorf(signet.ENOTFOUND, "%s refers to a record that does not exist", what)
		case sqlite3.SQLITE_CONSTRAINT_CHECK, sqlite3.SQLITE_CONSTRAINT_NOTNULL:
			return signet.Errorf(signet.EINVALID, "%s breaks a rule of the schema", what)
		}
	}
	return fmt.Errorf("sqlite: %s: %w", what, err)
}
