package keys

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestLoadOrCreateMasterKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "master.key")
	k, created, err := LoadOrCreateMasterKeyFile(path)
	if err != nil || !created {
		t.Fatalf("first call = %v, %v, %v; want a created key", k, created, err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("created with mode %04o, want 0600", fi.Mode().Perm())
	}
	b, _ := os.ReadFile(path)
	if parsed, err := ParseMasterKey(string(b)); err != nil || parsed != k {
		t.Errorf("file holds %v, %v; want %v", parsed, err, k)
	}
	again, created, err := LoadOrCreateMasterKeyFile(path)
	if err != nil || created || again != k {
		t.Errorf("second call = %v, %v, %v; want the same key, not created", again, created, err)
	}
}

func TestMasterKeyFileRefused(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file modes are not enforced on Windows")
	}
	_, enc, _ := GenerateMasterKey()
	raw, _ := masterKeyEncoding.DecodeString(enc)
	for _, tc := range []struct {
		name    string
		content string
		mode    os.FileMode
		want    error
	}{
		{"world readable", enc, 0o644, ErrInsecureKeyFile},
		{"group readable", enc, 0o640, ErrInsecureKeyFile},
		{"group writable", enc, 0o620, ErrInsecureKeyFile},
		{"garbage", "not a key, but a secret-looking string", 0o600, ErrInvalidMasterKey},
		{"empty", "", 0o600, ErrInvalidMasterKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "master.key")
			if err := os.WriteFile(path, []byte(tc.content), tc.mode); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(path, tc.mode); err != nil { // undo the umask
				t.Fatal(err)
			}
			k, created, err := LoadOrCreateMasterKeyFile(path)
			if !errors.Is(err, tc.want) || created || k != (MasterKey{}) {
				t.Fatalf("= %v, %v, %v; want %v", k, created, err, tc.want)
			}
			msg := err.Error()
			if tc.want == ErrInsecureKeyFile && !strings.Contains(msg, "chmod 600 "+path) {
				t.Errorf("error %q does not say to chmod 600", msg)
			}
			if tc.content != "" && strings.Contains(msg, tc.content) {
				t.Errorf("error %q quotes the file", msg)
			}
			assertNoSecret(t, msg, raw)
			if got, _ := os.ReadFile(path); string(got) != tc.content {
				t.Error("refused file was changed")
			}
		})
	}
}

func TestMasterKeyFileNotRegular(t *testing.T) {
	_, _, err := LoadOrCreateMasterKeyFile(t.TempDir())
	if !errors.Is(err, ErrInsecureKeyFile) {
		t.Errorf("directory: %v, want ErrInsecureKeyFile", err)
	}
}

func TestMasterKeyFileMissingDir(t *testing.T) {
	path := filepath.Join(t.TempDir(), "no", "such", "dir", "master.key")
	if _, created, err := LoadOrCreateMasterKeyFile(path); err == nil || created {
		t.Errorf("= %v, %v; want an error", created, err)
	}
}
