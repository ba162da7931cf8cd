package sqlite

import (
	"bytes"
	"context"
	"slices"

	"github.com/signet-dev/signet"
)

const keyColumns = `kid, algorithm, state, public_jwk, encrypted_private, master_key_id,
	created_at, activated_at, retired_at, delete_after`

func scanKey(row scanner) (signet.SigningKey, error) {
	var k signet.SigningKey
	err := row.Scan(&k.KID, &k.Algorithm, &k.State, &k.PublicJWK, &k.EncryptedPrivate, &k.MasterKeyID,
		timeCol{&k.CreatedAt}, timeCol{&k.ActivatedAt}, timeCol{&k.RetiredAt}, timeCol{&k.DeleteAfter})
	return k, err
}

// CreateKey implements signet.KeyStore.
func (s *Store) CreateKey(ctx context.Context, k signet.SigningKey) error {
	if err := k.Validate(); err != nil {
		return err
	}
	return s.inWrite(ctx, func(tx txn) error { return insertKeyTx(ctx, tx, k) })
}

func insertKeyTx(ctx context.Context, tx txn, k signet.SigningKey) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO signing_keys (`+keyColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		k.KID, k.Algorithm, k.State, k.PublicJWK, k.EncryptedPrivate, k.MasterKeyID,
		micros(k.CreatedAt), nullMicros(k.ActivatedAt), nullMicros(k.RetiredAt), nullMicros(k.DeleteAfter))
	return translate(err, "signing key")
}

// Key implements signet.KeyStore.
func (s *Store) Key(ctx context.Context, kid string) (signet.SigningKey, error) {
	row := s.reads.QueryRowContext(ctx, `SELECT `+keyColumns+` FROM signing_keys WHERE kid = ?`, kid)
	k, err := scanKey(row)
	return k, translate(err, "signing key")
}

// ListKeys implements signet.KeyStore.
func (s *Store) ListKeys(ctx context.Context) ([]signet.SigningKey, error) {
	rows, err := s.reads.QueryContext(ctx, `SELECT `+keyColumns+` FROM signing_keys ORDER BY algorithm, created_at, kid`)
	if err != nil {
		return nil, translate(err, "signing keys")
	}
	return collect(rows, scanKey, "signing keys")
}

func listKeysTx(ctx context.Context, tx txn) ([]signet.SigningKey, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+keyColumns+` FROM signing_keys ORDER BY algorithm, created_at, kid`)
	if err != nil {
		return nil, translate(err, "signing keys")
	}
	return collect(rows, scanKey, "signing keys")
}

// UpdateKeys implements signet.KeyStore.
func (s *Store) UpdateKeys(ctx context.Context, fn func([]signet.SigningKey) (signet.KeyChange, error)) ([]signet.SigningKey, error) {
	var out []signet.SigningKey
	err := s.inWrite(ctx, func(tx txn) error {
		keys, err := listKeysTx(ctx, tx)
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
		out, err = listKeysTx(ctx, tx)
		return err
	})
	return out, err
}

// stateOrder is the order puts are applied in: retiring the old current key
// before promoting the next one keeps the one-current rule true throughout.
var stateOrder = map[signet.KeyState]int{signet.KeyRetired: 0, signet.KeyCurrent: 1, signet.KeyNext: 2}

func applyKeyChangeTx(ctx context.Context, tx txn, stored []signet.SigningKey, c signet.KeyChange) error {
	for _, kid := range c.Delete {
		if _, err := tx.ExecContext(ctx, `DELETE FROM signing_keys WHERE kid = ?`, kid); err != nil {
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
func putKeyTx(ctx context.Context, tx txn, stored []signet.SigningKey, k signet.SigningKey) error {
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
	_, err := tx.ExecContext(ctx, `UPDATE signing_keys SET state = ?, encrypted_private = ?, master_key_id = ?,
		created_at = ?, activated_at = ?, retired_at = ?, delete_after = ? WHERE kid = ?`,
		k.State, k.EncryptedPrivate, k.MasterKeyID, micros(k.CreatedAt), nullMicros(k.ActivatedAt),
		nullMicros(k.RetiredAt), nullMicros(k.DeleteAfter), k.KID)
	return translate(err, "signing key")
}
