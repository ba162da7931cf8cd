module github.com/signet-dev/signet/examples

go 1.26

require github.com/signet-dev/signet/jose v0.0.0

replace github.com/signet-dev/signet/jose => ../jose
