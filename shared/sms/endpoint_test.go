package sms

import "testing"

func TestParseEndpoint(t *testing.T) {
	cases := []struct {
		in      string
		want    endpoint
		wantErr bool
	}{
		{in: "", want: endpoint{scheme: "HTTPS"}},
		{in: "http://127.0.0.1:8080", want: endpoint{host: "127.0.0.1:8080", scheme: "HTTP"}},
		{in: "http://127.0.0.1:8080/", want: endpoint{host: "127.0.0.1:8080", scheme: "HTTP"}},
		{in: "HTTPS://sms.ap-guangzhou.tencentcloudapi.com", want: endpoint{host: "sms.ap-guangzhou.tencentcloudapi.com", scheme: "HTTPS"}},
		{in: "sms.tencentcloudapi.com", want: endpoint{host: "sms.tencentcloudapi.com", scheme: "HTTPS"}},
		{in: " http://[::1]:9000/prefix ", want: endpoint{host: "[::1]:9000/prefix", scheme: "HTTP"}},
		{in: "ftp://x", wantErr: true},
		{in: "http://", wantErr: true},
		{in: "http://u:p@host", wantErr: true},
		{in: "http://host/?a=b", wantErr: true},
		{in: "http://host:bad port", wantErr: true},
	}
	for _, c := range cases {
		got, err := parseEndpoint(c.in)
		if (err != nil) != c.wantErr || (!c.wantErr && got != c.want) {
			t.Errorf("parseEndpoint(%q) = %+v, %v; want %+v, error %v", c.in, got, err, c.want, c.wantErr)
		}
	}
}

func FuzzParseEndpoint(f *testing.F) {
	for _, s := range []string{"http://127.0.0.1:1", "sms.tencentcloudapi.com", "https://a/b/c", "://", "http://[::1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ep, err := parseEndpoint(s)
		if err != nil {
			return
		}
		if ep.scheme != "HTTP" && ep.scheme != "HTTPS" {
			t.Fatalf("%q: scheme %q", s, ep.scheme)
		}
		// The result must parse again to itself: what the SDK gets is stable.
		if ep.host != "" {
			again, err := parseEndpoint(ep.String())
			if err != nil || again != ep {
				t.Fatalf("%q → %+v → %q → %+v, %v", s, ep, ep.String(), again, err)
			}
		}
	})
}
