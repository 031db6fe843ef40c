package scf

import (
	"context"
	"encoding/base64"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"github.com/tencentyun/scf-go-lib/functioncontext"
)

// Header names the platforms use for the client address and the request id.
const (
	headerRemoteAddr = "X-Scf-Remote-Addr"
	headerRequestID  = "X-Api-Requestid"
)

// NewRequest decodes a Function URL or API Gateway event and builds the
// *http.Request it describes, carrying ctx (and so the SCF deadline).
func NewRequest(ctx context.Context, raw []byte) (*http.Request, error) {
	// The event and the request's state share one allocation.
	er := new(struct {
		e  HTTPEvent
		st requestState
	})
	if err := parseHTTPEvent(raw, &er.e, &er.st); err != nil {
		return nil, err
	}
	return er.e.request(ctx, &er.st)
}

// Request builds the *http.Request the event describes, like one net/http's
// server would pass to a handler. RequestID and ClientIP read what it found;
// RemoteAddr is "ip:0" when the client IP is known.
func (e *HTTPEvent) Request(ctx context.Context) (*http.Request, error) {
	return e.request(ctx, new(requestState))
}

func (e *HTTPEvent) request(ctx context.Context, st *requestState) (*http.Request, error) {
	method := e.HTTPMethod
	if method == "" {
		method = e.RequestContext.HTTPMethod
	}
	if method == "" {
		method = http.MethodGet
	}
	method = strings.ToUpper(method)
	if !validMethod(method) {
		return nil, malformed("HTTP event: invalid method %q", method)
	}

	// The query as sorted pairs: decoded by NewRequest's one pass, else
	// from the event's maps.
	var query url.Values
	pairs := st.info.pairs
	if !st.decoded {
		query = mergeQuery(e.QueryString, e.QueryStringParameters)
		pairs = pairsOf(st.pairBuf[:0], query)
	}
	sortPairs(pairs)

	// NewRequest's one pass decodes the headers with canonical names: the
	// event is not seen outside it, so its map is the request's.
	header := http.Header(e.Headers)
	if !st.decoded || header == nil {
		header = e.header()
	}
	clientIP := e.clientIP(header)

	u := &st.url
	uri, remoteAddr, err := eventURL(u, e.Path, pairs, clientIP)
	if err != nil {
		return nil, err
	}

	body, err := e.body()
	if err != nil {
		return nil, err
	}

	// st holds the request's state: what RequestID, ClientIP and Query
	// read, and the context carrying it.
	st.info = requestInfo{id: e.RequestContext.RequestID, clientIP: clientIP, query: query, pairs: pairs}
	info := &st.info
	if info.id == "" {
		info.id = first(header, headerRequestID)
	}
	if info.id == "" {
		// A Function URL event carries no request id; the invocation's is the
		// next best thing for correlating logs.
		if fc, ok := functioncontext.FromContext(ctx); ok {
			info.id = fc.RequestID
		}
	}

	r := &http.Request{
		Method:     method,
		URL:        u,
		Proto:      "HTTP/1.1",
		ProtoMajor: 1,
		ProtoMinor: 1,
		Header:     header,
		Host:       first(header, "Host"),
		RequestURI: uri,
		RemoteAddr: remoteAddr,
	}
	if len(body) > 0 {
		r.Body = io.NopCloser(strings.NewReader(body))
		r.ContentLength = int64(len(body))
	} else {
		r.Body = http.NoBody
	}
	st.Context, st.infoContext.info = ctx, &st.info
	return r.WithContext(&st.infoContext), nil
}

// header is the request header of e's headers and headerParameters.
func (e *HTTPEvent) header() http.Header {
	header := make(http.Header, len(e.Headers)+len(e.HeaderParameters))
	for k, vs := range e.Headers {
		// Two spellings of one name merge; the common case shares the slice.
		ck := canonicalHeaderKey(k)
		if prev := header[ck]; prev != nil {
			vs = append(prev[:len(prev):len(prev)], vs...)
		}
		header[ck] = vs
	}
	// headerParameters repeats declared headers; it only fills gaps.
	for k, vs := range e.HeaderParameters {
		if ck := http.CanonicalHeaderKey(k); len(header[ck]) == 0 {
			header[ck] = vs
		}
	}
	return header
}

// body returns the request body, base64-decoded when the event says so.
func (e *HTTPEvent) body() (string, error) {
	if !e.IsBase64Encoded || e.Body == "" {
		return e.Body, nil
	}
	b, err := base64.StdEncoding.DecodeString(e.Body)
	if err != nil {
		// Some encoders drop the padding.
		var err2 error
		if b, err2 = base64.RawStdEncoding.DecodeString(strings.TrimRight(e.Body, "=")); err2 != nil {
			return "", malformed("HTTP event: body flagged base64: %v", err)
		}
	}
	return string(b), nil
}

// mergeQuery is the event's query: the full queryString wins;
// queryStringParameters only fills gaps.
func mergeQuery(query, declared MultiValues) url.Values {
	if len(declared) == 0 {
		if len(query) == 0 {
			return nil
		}
		return url.Values(query)
	}
	q := make(url.Values, len(query)+len(declared))
	for k, vs := range query {
		q[k] = vs
	}
	for k, vs := range declared {
		if _, ok := q[k]; !ok {
			q[k] = vs
		}
	}
	return q
}

// eventURL sets u to the request URL from the path and the query, sorted
// by name, and returns its RequestURI and, for a known client IP, the
// request's RemoteAddr ("ip:0", as net.JoinHostPort writes it).
func eventURL(u *url.URL, path string, query []queryPair, clientIP string) (uri, remoteAddr string, err error) {
	if path == "" {
		path = "/"
	} else if path[0] != '/' {
		path = "/" + path
	}
	*u = url.URL{Path: path}
	if strings.IndexByte(path, '%') >= 0 {
		p, err := url.PathUnescape(path)
		if err != nil {
			return "", "", malformed("HTTP event: path: %v", err)
		}
		u.Path, u.RawPath = p, path
	}
	if len(query) == 0 {
		if clientIP != "" {
			remoteAddr = net.JoinHostPort(clientIP, "0")
		}
		return u.RequestURI(), remoteAddr, nil
	}
	// RequestURI, RawQuery and RemoteAddr share one string: the escaped
	// path, '?', the query exactly as url.Values.Encode writes it, then
	// the address.
	var small [256]byte
	ep := u.EscapedPath()
	b := append(append(small[:0], ep...), '?')
	b = appendQuery(b, query)
	n := len(b)
	if clientIP != "" {
		b = appendHostPort(b, clientIP)
	}
	all := string(b)
	uri, remoteAddr = all[:n], all[n:]
	u.RawQuery = uri[len(ep)+1:]
	if u.RawQuery == "" {
		uri = ep // a query of empty names only, like url.URL.RequestURI
	}
	return uri, remoteAddr, nil
}

// appendHostPort appends net.JoinHostPort(ip, "0").
func appendHostPort(b []byte, ip string) []byte {
	if strings.IndexByte(ip, ':') >= 0 {
		return append(append(append(b, '['), ip...), "]:0"...)
	}
	return append(append(b, ip...), ":0"...)
}

// clientIP is the address the platform saw. An event with a requestContext
// came through API Gateway or a TSE gateway, which pass client headers on
// untouched: there x-scf-remote-addr is whatever the client wrote, and only
// requestContext.sourceIp is the gateway's own finding. A Function URL event
// has no requestContext, and SCF sets x-scf-remote-addr itself.
// X-Forwarded-For is ignored everywhere because clients set it.
func (e *HTTPEvent) clientIP(h http.Header) string {
	if e.RequestContext != (APIGatewayContext{}) {
		return parseIP(e.RequestContext.SourceIP)
	}
	return parseIP(first(h, headerRemoteAddr))
}

// parseIP returns the canonical form of an address (with or without a
// port), or "" when c is none.
func parseIP(c string) string {
	c = strings.TrimSpace(c)
	if c == "" {
		return ""
	}
	if a, err := netip.ParseAddr(c); err == nil {
		if a.Is4() {
			return c // ParseAddr accepts only canonical dotted quads
		}
		return a.Unmap().String()
	}
	if ap, err := netip.ParseAddrPort(c); err == nil {
		return ap.Addr().Unmap().String()
	}
	return ""
}

// knownHeaders are the canonical forms of lower-case names SCF adds to every
// event and that the page's fetch sends from a browser, looked up instead
// of canonicalised into a new string each time; net/textproto already does
// this for the common HTTP names (Accept, User-Agent…), not for these.
var knownHeaders = map[string]string{
	"x-scf-remote-addr":  headerRemoteAddr,
	"x-api-requestid":    headerRequestID,
	"x-forwarded-for":    "X-Forwarded-For",
	"origin":             "Origin",
	"referer":            "Referer",
	"sec-fetch-site":     "Sec-Fetch-Site",
	"sec-fetch-mode":     "Sec-Fetch-Mode",
	"sec-fetch-dest":     "Sec-Fetch-Dest",
	"sec-ch-ua":          "Sec-Ch-Ua",
	"sec-ch-ua-mobile":   "Sec-Ch-Ua-Mobile",
	"sec-ch-ua-platform": "Sec-Ch-Ua-Platform",
}

func canonicalHeaderKey(k string) string {
	if ck, ok := knownHeaders[k]; ok {
		return ck
	}
	return http.CanonicalHeaderKey(k)
}

// first is h.Get(k) for a canonical k, without canonicalising it again.
func first(h http.Header, k string) string {
	if vs := h[k]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// validMethod reports whether m is an HTTP token, as net/http requires.
func validMethod(m string) bool {
	if m == "" {
		return false
	}
	for i := 0; i < len(m); i++ {
		c := m[i]
		if c < '!' || c > '~' || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

type requestInfoKey struct{}

type requestInfo struct {
	id       string
	clientIP string
	pairs    []queryPair // the event's query, decoded, sorted by name
	query    url.Values  // the same as a map, when the event was decoded into one
}

// infoContext is context.WithValue(ctx, requestInfoKey{}, info) without the
// separate allocation.
type infoContext struct {
	context.Context
	info *requestInfo
}

func (c *infoContext) Value(key any) any {
	if key == (requestInfoKey{}) {
		return c.info
	}
	return c.Context.Value(key)
}

// requestState is what an event request carries, allocated once.
type requestState struct {
	infoContext
	info requestInfo
	url  url.URL
	// decoded says NewRequest's one pass decoded the event for the
	// request: canonical header names, the query in info.pairs.
	decoded bool
	pairBuf [4]queryPair
}

// RequestID returns the gateway's request id for r (requestContext.requestId,
// else header x-api-requestid, else the SCF invocation id), or "" for a
// request that did not come through NewRequest.
func RequestID(r *http.Request) string {
	if info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok {
		return info.id
	}
	return ""
}

// ClientIP returns the client address for r: requestContext.sourceIp of a
// gateway event, header x-scf-remote-addr of a Function URL event, else
// the host of r.RemoteAddr, so
// that the same handler works under httptest and a plain net/http server.
func ClientIP(r *http.Request) string {
	if info, ok := r.Context().Value(requestInfoKey{}).(*requestInfo); ok && info.clientIP != "" {
		return info.clientIP
	}
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		return host
	}
	return r.RemoteAddr
}
