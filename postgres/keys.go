package postgres

import (
	"bytes"
	"context"
	"slices"

	"github.com/jackc/pgx/v5"
	"github.com/signet-dev/signet"
)

const keyColumns = `kid, algorithm, state, public_jwk, encrypted_private, master_key_id,
	created_at, activated_at, retired_at, delete_after`

func scanKey(row pgx.Row) (signet.SigningKey, error) {
	var k signet.SigningKey
	err := row.Scan(&k.KID, &k.Algorithm, &k.State, &k.PublicJWK, &k.EncryptedPrivate, &k.MasterKeyID,
		timeCol{&k.CreatedAt}, timeCol{&k.ActivatedAt}, timeCol{&k.RetiredAt}, timeCol{&k.DeleteAfter})
	return k, err
}

// lockKeys is the write lock of the signing keys: it conflicts with itself
// and with every INSERT, UPDATE and DELETE of the table, not with reads.
// So two instances rotating at once apply one after the other, the second
// seeing the first's keys, and readers (the JWKS) never wait.
const lockKeys = `LOCK TABLE signing_keys IN SHARE ROW EXCLUSIVE MODE`

// KeyChannel is the LISTEN/NOTIFY channel on which every transaction that
// changes the signing keys notifies, at its commit (SubscribeKeys). The
// payload is empty: the table is the truth.
const KeyChannel = "signet_keys"

// notifyKeys queues the notification of a change of the keys; PostgreSQL
// sends it at commit, and never for a transaction that rolls back.
func notifyKeys(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `SELECT pg_notify($1, '')`, KeyChannel)
	return translate(err, "signing keys")
}

// CreateKey implements signet.KeyStore.
func (s *Store) CreateKey(ctx context.Context, k signet.SigningKey) error {
	if err := k.Validate(); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, lockKeys); err != nil {
			return translate(err, "signing keys")
		}
		if err := insertKeyTx(ctx, tx, k); err != nil {
			return err
		}
		return notifyKeys(ctx, tx)
	})
}

func insertKeyTx(ctx context.Context, tx pgx.Tx, k signet.SigningKey) error {
	_, err := tx.Exec(ctx, `INSERT INTO signing_keys (`+keyColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		k.KID, k.Algorithm, k.State, k.PublicJWK, k.EncryptedPrivate, k.MasterKeyID,
		k.CreatedAt, nullTime(k.ActivatedAt), nullTime(k.RetiredAt), nullTime(k.DeleteAfter))
	return translate(err, "signing key")
}

// Key implements signet.KeyStore.
func (s *Store) Key(ctx context.Context, kid string) (signet.SigningKey, error) {
	k, err := scanKey(s.pool.QueryRow(ctx, `SELECT `+keyColumns+` FROM signing_keys WHERE kid = $1`, kid))
	return k, translate(err, "signing key")
}

// ListKeys implements signet.KeyStore.
func (s *Store) ListKeys(ctx context.Context) ([]signet.SigningKey, error) {
	return listKeysFrom(ctx, s.pool)
}

func listKeysFrom(ctx context.Context, q querier) ([]signet.SigningKey, error) {
	rows, err := q.Query(ctx, `SELECT `+keyColumns+` FROM signing_keys ORDER BY algorithm, created_at, kid`)
	return collect(rows, err, scanKey, "signing keys")
}

// UpdateKeys implements signet.KeyStore, under the table's write lock
// (lockKeys): this is what makes exactly one instance rotate. A change that
// writes anything notifies KeyChannel, so the other instances reload.
func (s *Store) UpdateKeys(ctx context.Context, fn func([]signet.SigningKey) (signet.KeyChange, error)) ([]signet.SigningKey, error) {
	var out []signet.SigningKey
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, lockKeys); err != nil {
			return translate(err, "signing keys")
		}
		keys, err := listKeysFrom(ctx, tx)
		if err != nil {
			return err
		}
		change, err := fn(slices.Clone(keys))
		if err != nil {
			return err
		}
		if err := applyKeyChangeTx(ctx, tx, keys, change); err != nil {
			return err
		}
		if len(change.Put)+len(change.Delete) > 0 {
			if err := notifyKeys(ctx, tx); err != nil {
				return err
			}
		}
		out, err = listKeysFrom(ctx, tx)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// stateOrder is the order puts are applied in: retiring the old current key
// before promoting the next one keeps the one-current rule (a unique index
// checked after each statement) true throughout.
var stateOrder = map[signet.KeyState]int{signet.KeyRetired: 0, signet.KeyCurrent: 1, signet.KeyNext: 2}

func applyKeyChangeTx(ctx context.Context, tx pgx.Tx, stored []signet.SigningKey, c signet.KeyChange) error {
	if len(c.Delete) > 0 {
		if _, err := tx.Exec(ctx, `DELETE FROM signing_keys WHERE kid = ANY($1)`, c.Delete); err != nil {
			return translate(err, "signing key")
		}
	}
	puts := slices.Clone(c.Put)
	slices.SortStableFunc(puts, func(a, b signet.SigningKey) int { return stateOrder[a.State] - stateOrder[b.State] })
	for _, k := range puts {
		if err := putKeyTx(ctx, tx, stored, k); err != nil {
			return err
		}
	}
	return nil
}

// putKeyTx inserts k, or replaces the stored key of its KID. The algorithm
// and public key are the key's identity: changing them under one KID would
// let verifiers that cached the old JWK accept a different key's tokens.
func putKeyTx(ctx context.Context, tx pgx.Tx, stored []signet.SigningKey, k signet.SigningKey) error {
	if err := k.Validate(); err != nil {
		return err
	}
	i := slices.IndexFunc(stored, func(o signet.SigningKey) bool { return o.KID == k.KID })
	if i < 0 {
		return insertKeyTx(ctx, tx, k)
	}
	if old := stored[i]; old.Algorithm != k.Algorithm || !bytes.Equal(old.PublicJWK, k.PublicJWK) {
		return signet.Errorf(signet.EINVALID, "signing key %s: algorithm and public key cannot change", k.KID)
	}
	_, err := tx.Exec(ctx, `UPDATE signing_keys SET state = $1, encrypted_private = $2, master_key_id = $3,
		created_at = $4, activated_at = $5, retired_at = $6, delete_after = $7 WHERE kid = $8`,
		k.State, k.EncryptedPrivate, k.MasterKeyID, k.CreatedAt, nullTime(k.ActivatedAt),
		nullTime(k.RetiredAt), nullTime(k.DeleteAfter), k.KID)
	return translate(err, "signing key")
}
