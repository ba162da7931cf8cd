package postgres

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/signet-dev/signet"
)

// SQLSTATE codes this package acts on (PostgreSQL manual, appendix A).
const (
	codeUniqueViolation     = "23505"
	codeForeignKeyViolation = "23503"
	codeCheckViolation      = "23514"
	codeNotNullViolation    = "23502"
	codeBadCharacter        = "22021" // character_not_in_repertoire: a NUL byte, invalid UTF-8
	codeUntranslatable      = "22P05" // untranslatable_character
	codeProgramLimit        = "54000" // program_limit_exceeded: a key too large for its index
	codeSerialization       = "40001"
	codeDeadlock            = "40P01"
	codeUndefinedTable      = "42P01"
)

// translate turns a driver error into signet's vocabulary, by SQLSTATE code
// and never by message text; what names the record for the message ("user",
// "session"). Errors it does not know are wrapped as internal, keeping the
// *pgconn.PgError in the chain so retryable can find it.
func translate(err error, what string) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return signet.Errorf(signet.ENOTFOUND, "%s not found", what)
	}
	switch sqlState(err) {
	case codeUniqueViolation:
		return signet.Errorf(signet.ECONFLICT, "%s already exists", what)
	case codeForeignKeyViolation:
		return signet.Errorf(signet.ENOTFOUND, "%s refers to a record that does not exist", what)
	case codeCheckViolation, codeNotNullViolation:
		return signet.Errorf(signet.EINVALID, "%s breaks a rule of the schema", what)
	case codeBadCharacter, codeUntranslatable:
		return signet.Errorf(signet.EINVALID, "%s holds text the database cannot store (a NUL byte or invalid UTF-8)", what)
	case codeProgramLimit:
		return signet.Errorf(signet.EINVALID, "%s holds a value too large for the database", what)
	}
	return fmt.Errorf("postgres: %s: %w", what, err)
}

// sqlState returns the SQLSTATE of the first PostgreSQL error in err's
// chain, or "".
func sqlState(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// retryable reports whether err aborted a transaction that may simply be run
// again: a serialization failure or a deadlock the server broke.
func retryable(err error) bool {
	switch sqlState(err) {
	case codeSerialization, codeDeadlock:
		return true
	}
	return false
}
