package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/signet-dev/signet/internal/testenv"
)

// exampleNginx is the nginx configuration the docs give, which the
// multi-instance test runs in front of its instances.
const exampleNginx = "../../examples/nginx/signet.conf"

// findNginx returns Debian's nginx binary (in /usr/sbin, which a non-root
// PATH may lack).
func findNginx() (string, error) {
	if p, err := exec.LookPath("nginx"); err == nil {
		return p, nil
	}
	if _, err := os.Stat("/usr/sbin/nginx"); err == nil {
		return "/usr/sbin/nginx", nil
	}
	return "", errors.New("nginx is not installed")
}

// startNginx runs nginx with the example configuration in front of the
// given instances, on a free loopback port with a certificate made for the
// test, and returns a testServer for it whose client trusts that
// certificate. The example's instance addresses, listen ports and
// certificate paths are replaced; anything else runs as written.
func startNginx(t *testing.T, instances []*instance) *testServer {
	t.Helper()
	bin, err := findNginx()
	testenv.Need(t, err, "install Debian's nginx package (apt-get install nginx; .ci/run does)")
	if len(instances) != 3 {
		t.Fatalf("the example balances three instances, not %d", len(instances))
	}
	dir := t.TempDir()
	cert, key, pool := selfSignedCert(t, dir)
	addr, redirect := freeAddr(t), freeAddr(t)
	site := renderExample(t, map[string]string{
		"server 127.0.0.1:8081 ":        "server " + hostPort(instances[0].URL) + " ",
		"server 127.0.0.1:8082 ":        "server " + hostPort(instances[1].URL) + " ",
		"server 127.0.0.1:8083 ":        "server " + hostPort(instances[2].URL) + " ",
		"listen 80;":                    "listen " + redirect + ";",
		"listen 443 ssl;":               "listen " + addr + " ssl;",
		"/etc/ssl/signet/fullchain.pem": cert,
		"/etc/ssl/signet/privkey.pem":   key,
	})
	writeFile(t, filepath.Join(dir, "signet.conf"), site)
	writeFile(t, filepath.Join(dir, "nginx.conf"), mainNginxConf(dir))
	cmd := exec.Command(bin, "-p", dir, "-c", filepath.Join(dir, "nginx.conf"), "-e", filepath.Join(dir, "error.log"))
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	t.Cleanup(func() { stopNginx(t, cmd, done, dir) })
	ts := &testServer{URL: "https://" + addr, client: &http.Client{Timeout: 30 * time.Second,
		Transport: &http.Transport{Proxy: nil, TLSClientConfig: &tls.Config{RootCAs: pool}}}}
	eventually(t, 20*time.Second, "nginx answering", func() bool {
		select {
		case <-done:
			errLog, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Fatalf("nginx exited: %s\n%s", out.String(), errLog)
		default:
		}
		r, err := ts.client.Get(ts.URL + "/healthz")
		if err == nil {
			r.Body.Close()
		}
		return err == nil && r.StatusCode == 200
	})
	return ts
}

// renderExample returns the example with each key replaced by its value,
// failing if a key is not there: the example and this test change together.
func renderExample(t *testing.T, repl map[string]string) string {
	t.Helper()
	b, err := os.ReadFile(exampleNginx)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	for old, repl := range repl {
		if strings.Count(s, old) != 1 {
			t.Fatalf("%s must hold %q exactly once (the test replaces it)", exampleNginx, old)
		}
		s = strings.Replace(s, old, repl, 1)
	}
	return s
}

// mainNginxConf is the top of an nginx configuration that keeps every file
// in dir, runs in the foreground, and includes the site.
func mainNginxConf(dir string) string {
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;" // the workers must reach dir, which only its owner may enter
	}
	return fmt.Sprintf(`%s
daemon off;
worker_processes 1;
pid %[2]s/nginx.pid;
error_log %[2]s/error.log warn;
events { worker_connections 512; }
http {
    access_log off;
    client_body_temp_path %[2]s/client_body;
    proxy_temp_path %[2]s/proxy;
    fastcgi_temp_path %[2]s/fastcgi;
    uwsgi_temp_path %[2]s/uwsgi;
    scgi_temp_path %[2]s/scgi;
    include %[2]s/signet.conf;
}
`, user, dir)
}

// stopNginx asks nginx to stop (SIGTERM: the master ends its workers) and
// waits, killing it if it does not.
func stopNginx(t *testing.T, cmd *exec.Cmd, done chan struct{}, dir string) {
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		cmd.Process.Kill()
		<-done
	}
	if t.Failed() {
		errLog, _ := os.ReadFile(filepath.Join(dir, "error.log"))
		t.Logf("nginx error log:\n%s", errLog)
	}
}

// selfSignedCert writes a certificate for 127.0.0.1 and its key into dir
// and returns their paths and a pool that trusts the certificate.
func selfSignedCert(t *testing.T, dir string) (certPath, keyPath string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "signet test"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, DNSNames: []string{"auth.example.com"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, IsCA: true, BasicConstraintsValid: true,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certPath, keyPath = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	writeFile(t, certPath, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})))
	writeFile(t, keyPath, string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder})))
	c, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(c)
	return certPath, keyPath, pool
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// hostPort is the host:port of an http(s) URL.
func hostPort(url string) string {
	_, hp, _ := strings.Cut(url, "://")
	return hp
}
