// Package storetest is the conformance suite every signet.Store passes: the
// executable form of the contracts written on the interfaces in package
// signet. A store's own test calls Run with a constructor of fresh, empty
// stores:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) signet.Store { return openTemp(t) })
//	}
//
// The suite never sleeps: every time it gives a store comes from a fake
// clock, as the store contracts require (a store never reads a clock).
package storetest
