module github.com/signet-dev/signet/jose

go 1.26
