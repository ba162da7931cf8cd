package sqlite

import (
	"context"
	"database/sql"

	"github.com/signet-dev/signet"
)

const userColumns = `id, email, name, password_hash, roles, disabled, created_at, updated_at`

func scanUser(row scanner) (signet.User, error) {
	var u signet.User
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, stringsCol{&u.Roles},
		&u.Disabled, timeCol{&u.CreatedAt}, timeCol{&u.UpdatedAt})
	return u, err
}

// CreateUser implements signet.UserStore.
func (s *Store) CreateUser(ctx context.Context, u signet.User) error {
	u.Email = signet.NormalizeEmail(u.Email)
	if err := u.Validate(); err != nil {
		return err
	}
	return s.inWrite(ctx, func(tx txn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO users (`+userColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			u.ID, u.Email, u.Name, u.PasswordHash, stringsCol{&u.Roles}, u.Disabled,
			micros(u.CreatedAt), micros(u.UpdatedAt))
		return translate(err, "user")
	})
}

// User implements signet.UserStore.
func (s *Store) User(ctx context.Context, id string) (signet.User, error) {
	row := s.reads.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id)
	u, err := scanUser(row)
	return u, translate(err, "user")
}

// UserByEmail implements signet.UserStore.
func (s *Store) UserByEmail(ctx context.Context, email string) (signet.User, error) {
	row := s.reads.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`,
		signet.NormalizeEmail(email))
	u, err := scanUser(row)
	return u, translate(err, "user")
}

// UpdateUser implements signet.UserStore.
func (s *Store) UpdateUser(ctx context.Context, id string, fn func(signet.User) (signet.UserUpdate, error)) (signet.User, error) {
	var out signet.User
	err := s.inWrite(ctx, func(tx txn) error {
		old, err := userTx(ctx, tx, id)
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

func userTx(ctx context.Context, tx txn, id string) (signet.User, error) {
	u, err := scanUser(tx.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, id))
	return u, translate(err, "user")
}

// updateUserTx stores u over old, keeping the immutable fields.
func updateUserTx(ctx context.Context, tx txn, old, u signet.User) (signet.User, error) {
	u.ID, u.CreatedAt = old.ID, old.CreatedAt
	u.Email = signet.NormalizeEmail(u.Email)
	if err := u.Validate(); err != nil {
		return signet.User{}, err
	}
	_, err := tx.ExecContext(ctx, `UPDATE users SET email = ?, name = ?, password_hash = ?, roles = ?,
		disabled = ?, updated_at = ? WHERE id = ?`,
		u.Email, u.Name, u.PasswordHash, stringsCol{&u.Roles}, u.Disabled, micros(u.UpdatedAt), u.ID)
	if err != nil {
		return signet.User{}, translate(err, "user")
	}
	return userTx(ctx, tx, u.ID) // read back: the caller gets exactly what is stored
}

// ListUsers implements signet.UserStore.
func (s *Store) ListUsers(ctx context.Context, f signet.UserFilter) ([]signet.User, error) {
	rows, err := s.reads.QueryContext(ctx, `SELECT `+userColumns+` FROM users
		WHERE email > ? ORDER BY email LIMIT ?`, signet.NormalizeEmail(f.AfterEmail), signet.ListLimit(f.Limit))
	if err != nil {
		return nil, translate(err, "users")
	}
	return collect(rows, scanUser, "users")
}

// collect scans every row with scan and closes rows.
func collect[T any](rows *sql.Rows, scan func(scanner) (T, error), what string) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, translate(err, what)
		}
		out = append(out, v)
	}
	return out, translate(rows.Err(), what)
}
