//go:build !race

package jose_test

const raceEnabled = false
