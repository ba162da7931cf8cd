package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/signet-dev/signet"
)

const userColumns = `id, email, name, password_hash, roles, disabled, created_at, updated_at`

func scanUser(row pgx.Row) (signet.User, error) {
	var u signet.User
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, &u.Roles,
		&u.Disabled, timeCol{&u.CreatedAt}, timeCol{&u.UpdatedAt})
	u.Roles = nilIfEmpty(u.Roles)
	return u, err
}

// CreateUser implements signet.UserStore.
func (s *Store) CreateUser(ctx context.Context, u signet.User) error {
	u.Email = signet.NormalizeEmail(u.Email)
	if err := u.Validate(); err != nil {
		return err
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO users (`+userColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		u.ID, u.Email, u.Name, u.PasswordHash, list(u.Roles), u.Disabled, u.CreatedAt, u.UpdatedAt)
	return translate(err, "user")
}

// User implements signet.UserStore.
func (s *Store) User(ctx context.Context, id string) (signet.User, error) {
	return userFrom(ctx, s.pool, id, "")
}

// UserByEmail implements signet.UserStore.
func (s *Store) UserByEmail(ctx context.Context, email string) (signet.User, error) {
	row := s.pool.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = $1`, signet.NormalizeEmail(email))
	u, err := scanUser(row)
	return u, translate(err, "user")
}

// userFrom reads one user with q; lock is "" or a locking clause.
func userFrom(ctx context.Context, q querier, id, lock string) (signet.User, error) {
	u, err := scanUser(q.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1 `+lock, id))
	return u, translate(err, "user")
}

// UpdateUser implements signet.UserStore. The user's row is locked (FOR
// UPDATE) before fn sees it, so concurrent updates apply one after the
// other, each seeing the previous one's result.
func (s *Store) UpdateUser(ctx context.Context, id string, fn func(signet.User) (signet.UserUpdate, error)) (signet.User, error) {
	var out signet.User
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		old, err := userFrom(ctx, tx, id, "FOR UPDATE")
		if err != nil {
			return err
		}
		up, err := fn(old)
		if err != nil {
			return err
		}
		if out, err = updateUserTx(ctx, tx, old, up.User); err != nil {
			return err
		}
		if up.Revoke != nil {
			_, err = revokeSessionsTx(ctx, tx, id, *up.Revoke)
		}
		return err
	})
	if err != nil {
		return signet.User{}, err
	}
	return out, nil
}

// updateUserTx stores u over old, keeping the immutable fields, and returns
// the row as stored.
func updateUserTx(ctx context.Context, tx pgx.Tx, old, u signet.User) (signet.User, error) {
	u.ID, u.CreatedAt = old.ID, old.CreatedAt
	u.Email = signet.NormalizeEmail(u.Email)
	if err := u.Validate(); err != nil {
		return signet.User{}, err
	}
	row := tx.QueryRow(ctx, `UPDATE users SET email = $1, name = $2, password_hash = $3, roles = $4,
		disabled = $5, updated_at = $6 WHERE id = $7 RETURNING `+userColumns,
		u.Email, u.Name, u.PasswordHash, list(u.Roles), u.Disabled, u.UpdatedAt, u.ID)
	stored, err := scanUser(row)
	return stored, translate(err, "user")
}

// ListUsers implements signet.UserStore. Emails compare in byte order (the
// column's "C" collation), as in the SQLite store.
func (s *Store) ListUsers(ctx context.Context, f signet.UserFilter) ([]signet.User, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+userColumns+` FROM users
		WHERE email > $1 ORDER BY email LIMIT $2`, signet.NormalizeEmail(f.AfterEmail), signet.ListLimit(f.Limit))
	return collect(rows, err, scanUser, "users")
}

// collect scans every row with scan and closes rows; err is Query's error.
func collect[T any](rows pgx.Rows, err error, scan func(pgx.Row) (T, error), what string) ([]T, error) {
	if err != nil {
		return nil, translate(err, what)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (T, error) { return scan(r) })
	if err != nil {
		return nil, translate(err, what)
	}
	return out, nil
}
