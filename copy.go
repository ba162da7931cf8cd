package signet

import "context"

// CopyTables lists the tables that hold signet's data, in the order a copy
// writes them: each after the tables it refers to. Every store has these
// tables under these names; `signet migrate --from … --to …` copies them
// (Exporter, Importer). Bookkeeping tables (the record of applied
// migrations, PostgreSQL's revocation counter) are not in the list: each
// store keeps its own, and the copy carries the counter's value in
// Batch.RevocationLatest.
//
// Adding a table to the schema means adding it here, as a field of Batch,
// and to both stores' Export and Import. Until then, Export refuses to run
// on a schema holding a table it does not know (so a copy never leaves data
// behind silently) and the conformance suite fails.
var CopyTables = []string{"users", "clients", "sessions", "refresh_tokens", "auth_codes", "consents",
	"browser_sessions", "signing_keys", "revocations", "throttles"}

// A Batch holds records as Exporter hands them out and Importer writes them:
// every field of every record as stored (ids, hashes, cursors, times), so
// the copy is the same data, not a new history. Each field is one table of
// CopyTables.
type Batch struct {
	Users           []User
	Clients         []Client
	Sessions        []Session
	RefreshTokens   []RefreshToken
	AuthCodes       []AuthCode
	Consents        []Consent
	BrowserSessions []BrowserSession
	Keys            []SigningKey
	Revocations     []Revocation
	// RevocationLatest is the source's largest revocation cursor ever
	// assigned (RevocationBounds.Latest), purged entries included; zero when
	// the batch does not carry it. The copy assigns cursors after it, so a
	// follower of the feed resumes across the move without a gap or a
	// reused cursor.
	RevocationLatest int64
	Throttles        []Throttle
}

// Counts returns how many records b holds of each table of CopyTables.
func (b Batch) Counts() map[string]int {
	return map[string]int{"users": len(b.Users), "clients": len(b.Clients), "sessions": len(b.Sessions),
		"refresh_tokens": len(b.RefreshTokens), "auth_codes": len(b.AuthCodes), "consents": len(b.Consents),
		"browser_sessions": len(b.BrowserSessions), "signing_keys": len(b.Keys),
		"revocations": len(b.Revocations), "throttles": len(b.Throttles)}
}

// Len returns the number of records in b.
func (b Batch) Len() int {
	n := 0
	for _, c := range b.Counts() {
		n += c
	}
	return n
}

// CopyBatchSize is the most records of one table an Exporter puts in one
// Batch, so a copy of a large database holds little in memory.
const CopyBatchSize = 1000

// Exporter is a store that can hand out everything it holds. Both stores
// implement it; it is not part of Store, which serving needs.
type Exporter interface {
	// Export calls emit with batches holding every record of every table in
	// CopyTables, table after table in that order, all read from one
	// snapshot; the batch of the revocations table carries
	// RevocationLatest. emit's error stops Export and is returned. Before
	// emitting anything, Export returns an EINVALID error if the store's
	// schema holds a data table that is not in CopyTables.
	Export(ctx context.Context, emit func(Batch) error) error
}

// Importer is a store that can take in everything another store holds.
type Importer interface {
	// Import runs fill in one transaction: every Batch that fill passes to
	// put is written as it is, and the revocation cursor is moved to the
	// largest RevocationLatest or cursor seen. It returns an ECONFLICT error
	// and writes nothing if the store already holds a record in any table of
	// CopyTables; if fill or put fails, nothing is written either.
	Import(ctx context.Context, fill func(put func(Batch) error) error) error
}

// Copy copies everything src holds into dst, which must be empty: one
// snapshot of src, written in one transaction of dst. It returns the number
// of records copied per table.
func Copy(ctx context.Context, dst Importer, src Exporter) (map[string]int, error) {
	counts := map[string]int{}
	err := dst.Import(ctx, func(put func(Batch) error) error {
		return src.Export(ctx, func(b Batch) error {
			for table, n := range b.Counts() {
				counts[table] += n
			}
			return put(b)
		})
	})
	if err != nil {
		return nil, err
	}
	return counts, nil
}
