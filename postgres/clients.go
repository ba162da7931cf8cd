package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/signet-dev/signet"
)

const clientColumns = `id, name, secret_hash, secret_key_id, redirect_uris, post_logout_redirect_uris,
	grant_types, scopes, audiences, id_token_alg, created_at, updated_at`

func scanClient(row pgx.Row) (signet.Client, error) {
	var c signet.Client
	err := row.Scan(&c.ID, &c.Name, &c.SecretHash, &c.SecretKeyID, &c.RedirectURIs, &c.PostLogoutRedirectURIs,
		&c.GrantTypes, &c.Scopes, &c.Audiences, &c.IDTokenAlg, timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt})
	c.RedirectURIs, c.PostLogoutRedirectURIs = nilIfEmpty(c.RedirectURIs), nilIfEmpty(c.PostLogoutRedirectURIs)
	c.GrantTypes, c.Scopes, c.Audiences = nilIfEmpty(c.GrantTypes), nilIfEmpty(c.Scopes), nilIfEmpty(c.Audiences)
	if len(c.SecretHash) == 0 {
		c.SecretHash = nil
	}
	return c, err
}

// clientArgs are c's columns in clientColumns order.
func clientArgs(c signet.Client) []any {
	var hash any
	if len(c.SecretHash) > 0 {
		hash = c.SecretHash
	}
	return []any{c.ID, c.Name, hash, c.SecretKeyID, list(c.RedirectURIs), list(c.PostLogoutRedirectURIs),
		list(c.GrantTypes), list(c.Scopes), list(c.Audiences), c.IDTokenAlg, c.CreatedAt, c.UpdatedAt}
}

// CreateClient implements signet.ClientStore.
func (s *Store) CreateClient(ctx context.Context, c signet.Client) error {
	if err := c.Validate(); err != nil {
		return err
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO clients (`+clientColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`, clientArgs(c)...)
	return translate(err, "client")
}

// Client implements signet.ClientStore.
func (s *Store) Client(ctx context.Context, id string) (signet.Client, error) {
	return clientFrom(ctx, s.pool, id, "")
}

func clientFrom(ctx context.Context, q querier, id, lock string) (signet.Client, error) {
	c, err := scanClient(q.QueryRow(ctx, `SELECT `+clientColumns+` FROM clients WHERE id = $1 `+lock, id))
	return c, translate(err, "client")
}

// ListClients implements signet.ClientStore.
func (s *Store) ListClients(ctx context.Context) ([]signet.Client, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+clientColumns+` FROM clients ORDER BY id`)
	return collect(rows, err, scanClient, "clients")
}

// UpdateClient implements signet.ClientStore. The client's row is locked
// before fn sees it.
func (s *Store) UpdateClient(ctx context.Context, id string, fn func(signet.Client) (signet.Client, error)) (signet.Client, error) {
	var out signet.Client
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		old, err := clientFrom(ctx, tx, id, "FOR UPDATE")
		if err != nil {
			return err
		}
		c, err := fn(old)
		if err != nil {
			return err
		}
		c.ID, c.CreatedAt = old.ID, old.CreatedAt
		if err := c.Validate(); err != nil {
			return err
		}
		a := clientArgs(c)
		out, err = scanClient(tx.QueryRow(ctx, `UPDATE clients SET name = $2, secret_hash = $3, secret_key_id = $4,
			redirect_uris = $5, post_logout_redirect_uris = $6, grant_types = $7, scopes = $8, audiences = $9,
			id_token_alg = $10, updated_at = $11 WHERE id = $1 RETURNING `+clientColumns,
			a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[11]))
		return translate(err, "client")
	})
	if err != nil {
		return signet.Client{}, err
	}
	return out, nil
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
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `DELETE FROM clients WHERE id = $1`, id)
		if err != nil {
			return translate(err, "client")
		}
		if tag.RowsAffected() == 0 {
			return signet.Errorf(signet.ENOTFOUND, "client not found")
		}
		ended, err = endClientSessionsTx(ctx, tx, id, "", r)
		return err
	})
	if err != nil {
		return nil, err
	}
	return ended, nil
}

// endClientSessionsTx ends the live sessions issued to the client (of one
// user when userID is set) and writes one "sid" entry for each. The UPDATE
// locks each row it ends, as revokeSessionsTx does.
func endClientSessionsTx(ctx context.Context, tx pgx.Tx, clientID, userID string, r signet.SessionRevocation) ([]signet.Session, error) {
	rows, err := tx.Query(ctx, `UPDATE sessions SET revoked_at = $1
		WHERE client_id = $2 AND ($3 = '' OR user_id = $3) AND revoked_at IS NULL
		RETURNING `+sessionColumns, r.At, clientID, userID)
	ended, err := collect(rows, err, scanSession, "session")
	if err != nil {
		return nil, err
	}
	r.BySubject = false
	_, err = insertRevocationsTx(ctx, tx, r.FeedEntries(userID, ended))
	return ended, err
}
