package sqlite

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// Times are INTEGER microseconds since the epoch: exact, ordered, and the
// resolution PostgreSQL keeps, so both stores round times the same way.

// micros returns t for a NOT NULL column.
func micros(t time.Time) int64 { return t.UnixMicro() }

// nullMicros returns t for a nullable column: NULL for the zero time.
func nullMicros(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

// storedTime is t as a time column reads it back: UTC, to the microsecond.
func storedTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return time.UnixMicro(t.UnixMicro()).UTC()
}

// prefixed qualifies each column of a column list with a table alias.
func prefixed(alias, columns string) string {
	cols := strings.Split(columns, ",")
	for i, c := range cols {
		cols[i] = alias + "." + strings.TrimSpace(c)
	}
	return strings.Join(cols, ", ")
}

// timeCol scans a time column, NULL giving the zero time.
type timeCol struct{ t *time.Time }

func (c timeCol) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*c.t = time.Time{}
	case int64:
		*c.t = time.UnixMicro(v).UTC()
	default:
		return fmt.Errorf("sqlite: time column holds %T", v)
	}
	return nil
}

// stringsCol stores a []string as a JSON array (roles); an empty list reads
// back as nil.
type stringsCol struct{ s *[]string }

func (c stringsCol) Value() (driver.Value, error) {
	if len(*c.s) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(*c.s)
	return string(b), err
}

func (c stringsCol) Scan(v any) error {
	var b []byte
	switch v := v.(type) {
	case string:
		b = []byte(v)
	case []byte:
		b = v
	default:
		return fmt.Errorf("sqlite: list column holds %T", v)
	}
	var out []string
	if err := json.Unmarshal(b, &out); err != nil {
		return fmt.Errorf("sqlite: list column: %w", err)
	}
	if len(out) == 0 {
		out = nil
	}
	*c.s = out
	return nil
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }
