//go:build !amd64 || purego

package strictjson

func scanPlainVector(data []byte, q *Quotes) bool { return scanPlainWords(data, q) }
