package sqlite

import (
	"context"

	"github.com/signet-dev/signet"
)

const clientColumns = `id, name, secret_hash, secret_key_id, redirect_uris, post_logout_redirect_uris,
	grant_types, scopes, audiences, id_token_alg, created_at, updated_at`

func scanClient(row scanner) (signet.Client, error) {
	var c signet.Client
	err := row.Scan(&c.ID, &c.Name, &c.SecretHash, &c.SecretKeyID, stringsCol{&c.RedirectURIs},
		stringsCol{&c.PostLogoutRedirectURIs}, stringsCol{&c.GrantTypes}, stringsCol{&c.Scopes},
		stringsCol{&c.Audiences}, &c.IDTokenAlg, timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt})
	return c, err
}

// clientArgs are c's columns in clientColumns order.
func clientArgs(c *signet.Client) []any {
	var hash any
	if len(c.SecretHash) > 0 {
		hash = c.SecretHash
	}
	return []any{c.ID, c.Name, hash, c.SecretKeyID, stringsCol{&c.RedirectURIs},
		stringsCol{&c.PostLogoutRedirectURIs}, stringsCol{&c.GrantTypes}, stringsCol{&c.Scopes},
		stringsCol{&c.Audiences}, c.IDTokenAlg, micros(c.CreatedAt), micros(c.UpdatedAt)}
}

// CreateClient implements signet.ClientStore.
func (s *Store) CreateClient(ctx context.Context, c signet.Client) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.inWrite(ctx, func(tx txn) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO clients (`+clientColumns+`)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, clientArgs(&c)...)
		return translate(err, "client")
	})
}

// Client implements signet.ClientStore.
func (s *Store) Client(ctx context.Context, id string) (signet.Client, error) {
	c, err := scanClient(s.reads.QueryRowContext(ctx, `SELECT `+clientColumns+` FROM clients WHERE id = ?`, id))
	return c, translate(err, "client")
}

// ListClients implements signet.ClientStore.
func (s *Store) ListClients(ctx context.Context) ([]signet.Client, error) {
	rows, err := s.reads.QueryContext(ctx, `SELECT `+clientColumns+` FROM clients ORDER BY id`)
	if err != nil {
		return nil, translate(err, "clients")
	}
	return collect(rows, scanClient, "clients")
}

// UpdateClient implements signet.ClientStore.
func (s *Store) UpdateClient(ctx context.Context, id string, fn func(signet.Client) (signet.Client, error)) (signet.Client, error) {
	var out signet.Client
	err := s.inWrite(ctx, func(tx txn) error {
		old, err := scanClient(tx.QueryRowContext(ctx, `SELECT `+clientColumns+` FROM clients WHERE id = ?`, id))
		if err != nil {
			return translate(err, "client")
		}
		c, err := fn(old)
		if err != nil {
			return err
		}
		c.ID, c.CreatedAt = old.ID, old.CreatedAt
		if err := c.Validate(); err != nil {
			return err
		}
		args := clientArgs(&c)
		_, err = tx.ExecContext(ctx, `UPDATE clients SET name = ?, secret_hash = ?, secret_key_id = ?,
			redirect_uris = ?, post_logout_redirect_uris = ?, grant_types = ?, scopes = ?, audiences = ?,
			id_token_alg = ?, updated_at = ? WHERE id = ?`, append(args[1:10], args[11], c.ID)...)
		if err != nil {
			return translate(err, "client")
		}
		out, err = scanClient(tx.QueryRowContext(ctx, `SELECT `+clientColumns+` FROM clients WHERE id = ?`, id))
		return translate(err, "client")
	})
	return out, err
}

// DeleteClient implements signet.ClientStore. Codes and consents go with
// the client (ON DELETE CASCADE); its sessions end with their feed entries.
func (s *Store) DeleteClient(ctx context.Context, id string, r signet.SessionRevocation) ([]signet.Session, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	if r.BySubject {
		return nil, signet.Errorf(signet.EINVALID, "client removal: revocation by subject is not allowed")
	}
	var ended []signet.Session
	err := s.inWrite(ctx, func(tx txn) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM clients WHERE id = ?`, id)
		if err != nil {
			return translate(err, "client")
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return signet.Errorf(signet.ENOTFOUND, "client not found")
		}
		ended, err = endClientSessionsTx(ctx, tx, id, "", r)
		return err
	})
	return ended, err
}

// endClientSessionsTx ends the live sessions issued to the client (of one
// user when userID is set) and writes one "sid" entry for each.
func endClientSessionsTx(ctx context.Context, tx txn, clientID, userID string, r signet.SessionRevocation) ([]signet.Session, error) {
	rows, err := tx.QueryContext(ctx, `UPDATE sessions SET revoked_at = ?1
		WHERE client_id = ?2 AND (?3 = '' OR user_id = ?3) AND revoked_at IS NULL
		RETURNING `+sessionColumns, micros(r.At), clientID, userID)
	if err != nil {
		return nil, translate(err, "session")
	}
	ended, err := collect(rows, scanSession, "session")
	if err != nil {
		return nil, err
	}
	r.BySubject = false
	_, err = insertRevocationsTx(ctx, tx, r.FeedEntries(userID, ended))
	return ended, err
}
