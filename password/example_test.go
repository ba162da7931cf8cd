package password_test

import (
	"errors"
	"fmt"

	"github.com/signet-dev/signet/password"
)

func ExampleHasher() {
	// Tests may use small parameters; a server uses password.Config{}.
	h, err := password.NewHasher(password.Config{
		Params:           password.Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLen: 16, KeyLen: 32},
		UnsafeWeakParams: true,
	})
	if err != nil {
		panic(err)
	}
	stored, _ := h.Hash("violet tractor umbrella")

	ok, needsRehash, err := h.Verify("violet tractor umbrella", stored)
	fmt.Println(ok, needsRehash, err)
	ok, _, _ = h.Verify("wrong guess", stored)
	fmt.Println(ok)

	// Unknown account: spend the same time, then answer as for a wrong password.
	h.VerifyDummy("whatever was typed")
	// Output:
	// true false <nil>
	// false
}

func ExamplePolicy_Check() {
	var p password.Policy // 8 to 128 code points, common passwords refused
	for _, pw := range []string{"short", "Password123!", "alice.smith1", "violet tractor umbrella"} {
		err := p.Check(pw, "alice.smith@example.com", "Alice Smith")
		fmt.Println(errors.Is(err, password.ErrCommon), err)
	}
	// Output:
	// false password is too short: use at least 8 characters
	// true password is too common: it is among the first passwords attackers try; a few unrelated words together make a strong one
	// false password is based on your account details: do not use your email address or name
	// false <nil>
}
