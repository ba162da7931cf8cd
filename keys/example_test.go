package keys_test

import (
	"fmt"

	"github.com/signet-dev/signet/keys"
)

func ExampleKeyring() {
	// In production the key comes from SIGNET_MASTER_KEY via ParseMasterKey.
	master, _, err := keys.GenerateMasterKey()
	if err != nil {
		panic(err)
	}
	ring, err := keys.NewKeyring(master)
	if err != nil {
		panic(err)
	}
	masterID, sealed, err := ring.Seal("2025-06-rs256", []byte("private key bytes"))
	if err != nil {
		panic(err)
	}
	// Store masterID and sealed beside the kid; later:
	plain, err := ring.Open(masterID, "2025-06-rs256", sealed)
	fmt.Println(string(plain), err)
	_, err = ring.Open(masterID, "another-kid", sealed)
	fmt.Println(err != nil)
	// Output:
	// private key bytes <nil>
	// true
}
