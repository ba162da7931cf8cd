package postgres

import (
	"errors"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
)

// Times are timestamptz: microseconds, UTC on the wire. pgx truncates a
// time.Time's nanoseconds when it encodes one, as signet.Truncate does.

// nullTime returns t for a nullable column: NULL for the zero time.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// timeCol scans a timestamptz column into a time.Time in UTC, NULL giving
// the zero time.
type timeCol struct{ t *time.Time }

// ScanTimestamptz implements pgtype.TimestamptzScanner.
func (c timeCol) ScanTimestamptz(v pgtype.Timestamptz) error {
	switch {
	case !v.Valid:
		*c.t = time.Time{}
	case v.InfinityModifier != pgtype.Finite:
		return errors.New("postgres: an infinite time where a time is expected")
	default:
		*c.t = v.Time.UTC()
	}
	return nil
}

// list returns s for a NOT NULL text[] column: pgx sends a nil slice as
// NULL, so an empty list goes as an empty array.
func list(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// nilIfEmpty turns an empty list read from the database into nil.
func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}
