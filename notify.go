package signet

import "context"

// RevocationNotifier is implemented by stores that can tell every process
// sharing them, as soon as it commits, that another one wrote revocation
// entries (the PostgreSQL store, with LISTEN/NOTIFY). The account service
// then reads the new entries at once instead of at its next poll, which it
// keeps as a safety net; stores without it (SQLite) are polled.
type RevocationNotifier interface {
	// SubscribeRevocations returns a channel that receives a value after
	// entries were committed by any process, and after each reconnection of
	// the subscription (when notices may have been missed): a value means
	// "read RevocationsAfter your cursor now". Values coalesce, and one is
	// ready at once. The channel is closed when ctx ends or the store is
	// closed. It returns an error if the subscription cannot start.
	SubscribeRevocations(ctx context.Context) (<-chan struct{}, error)
}

// KeyNotifier is implemented by stores that can tell every process sharing
// them that the signing keys changed (a rotation, a new key, a deletion),
// so that every instance signs with the current key and publishes the same
// key set within moments of the change. The contract of the channel is that
// of RevocationNotifier.SubscribeRevocations: a value means "reload the keys".
type KeyNotifier interface {
	SubscribeKeys(ctx context.Context) (<-chan struct{}, error)
}
