package smsapi

import (
	"bytes"
	"cmp"
	"encoding/json"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// The read-only actions `doctor` uses to check an account before a deploy,
// in the shapes of API 2021-01-11: DescribeSmsSignList and
// DescribeSmsTemplateList (signatures and templates are the account's, not
// an application's) and SendStatusStatistics (the one read-only action that
// names an SdkAppId, so it tells whether the application exists).

// Review statuses of signatures and templates (StatusCode).
const (
	StatusApproved  = 0  // usable
	StatusInReview  = 1  // 审核中
	StatusPending   = 2  // approved, not yet effective
	StatusRejected  = -1 // 审核未通过
	maxDescribeList = 100
)

// Submission is a signature or template application that is not (yet)
// usable, as the console lists it while it is reviewed or after it was
// rejected.
type Submission struct {
	StatusCode  int64
	ReviewReply string
}

// reviewBook holds submissions that are not approved; approved ones are the
// Server's templates and signs. Guarded by its own mutex: it changes only
// when a test or the emulator files an application.
// describeActions are served by describe.go (no SendSms rate applies).
var describeActions = map[string]func(*Server, []byte) (okReply, *apiError){
	"DescribeSmsSignList":     (*Server).describeSignList,
	"DescribeSmsTemplateList": (*Server).describeTemplateList,
	"SendStatusStatistics":    (*Server).sendStatusStatistics,
}

type reviewBook struct {
	mu        sync.Mutex
	templates map[string]reviewedTemplate
	signs     map[string]Submission
}

type reviewedTemplate struct {
	Template
	Submission
}

// SubmitTemplate files template id for review with the given outcome (in
// review or rejected): DescribeSmsTemplateList lists it with that status and
// SendSms refuses it, as before approval.
func (s *Server) SubmitTemplate(id string, t Template, sub Submission) {
	s.review.mu.Lock()
	defer s.review.mu.Unlock()
	if s.review.templates == nil {
		s.review.templates = map[string]reviewedTemplate{}
	}
	s.review.templates[id] = reviewedTemplate{t, sub}
}

// SubmitSign files signature name for review with the given outcome.
func (s *Server) SubmitSign(name string, sub Submission) {
	s.review.mu.Lock()
	defer s.review.mu.Unlock()
	if s.review.signs == nil {
		s.review.signs = map[string]Submission{}
	}
	s.review.signs[name] = sub
}

// signStatus mirrors DescribeSignListStatus.
type signStatus struct {
	SignId                  uint64
	International           uint64
	StatusCode              int64
	ReviewReply             string
	SignName                string
	CreateTime              uint64
	QualificationId         uint64
	QualificationName       string
	QualificationStatusCode int64
}

// templateStatus mirrors DescribeTemplateListStatus.
type templateStatus struct {
	TemplateId      uint64
	International   uint64
	StatusCode      int64
	ReviewReply     string
	TemplateName    string
	CreateTime      uint64
	TemplateContent string
}

type describeRequest struct {
	International *uint64
	SignIdSet     []uint64
	TemplateIdSet []uint64
	Limit         *uint64
	Offset        *uint64
}

type jsonReply struct{ body map[string]any }

func (r jsonReply) appendJSON(b []byte, requestID string) []byte {
	r.body["RequestId"] = requestID
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(map[string]any{"Response": r.body})
	return append(b, bytes.TrimRight(buf.Bytes(), "\n")...)
}

func decodeStrict(body []byte, v any) *apiError {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return errorf(CodeUnknownParameter, "The parameter %s is not recognized.", field)
		}
		return errorf(CodeJSONParseFail, "%s (%v)", messageFor(CodeJSONParseFail), err)
	}
	return nil
}

// listed is what DescribeSignListStatus and DescribeTemplateListStatus
// answer: the entries whose id (by id) the caller named in ids, else a page
// of all of them.
func listed[T any](all []T, ids []uint64, id func(T) uint64, in describeRequest) ([]T, *apiError) {
	if len(ids) == 0 {
		return page(all, in)
	}
	var out []T
	for _, st := range all {
		if slices.Contains(ids, id(st)) {
			out = append(out, st)
		}
	}
	return out, nil
}

// page applies Limit/Offset (used when the id set is empty).
func page[T any](all []T, in describeRequest) ([]T, *apiError) {
	limit, offset := uint64(10), uint64(0)
	if in.Limit != nil {
		limit = *in.Limit
	}
	if in.Offset != nil {
		offset = *in.Offset
	}
	if limit > maxDescribeList {
		return nil, errorf("InvalidParameterValue.LimitVerifyFail", "Limit %d exceeds %d", limit, maxDescribeList)
	}
	if offset >= uint64(len(all)) {
		return []T{}, nil
	}
	return all[offset:min(uint64(len(all)), offset+limit)], nil
}

func (in describeRequest) check(ids int) *apiError {
	if in.International == nil {
		return errorf(CodeMissingParameter, "The parameter International is required.")
	}
	if *in.International > 1 {
		return errorf("InvalidParameterValue.InvalidInternational", "International must be 0 or 1")
	}
	if ids > maxDescribeList {
		return errorf("InvalidParameterValue.LimitVerifyFail", "%d ids in one request; at most %d", ids, maxDescribeList)
	}
	return nil
}

// signID gives a sandbox signature (known only by name) a stable SignId.
func signID(name string) uint64 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(name))
	return 100000 + uint64(h.Sum32()%900000)
}

func (s *Server) describeSignList(body []byte) (okReply, *apiError) {
	var in describeRequest
	if e := decodeStrict(body, &in); e != nil {
		return nil, e
	}
	if in.TemplateIdSet != nil {
		return nil, errorf(CodeUnknownParameter, "The parameter TemplateIdSet is not recognized.")
	}
	if e := in.check(len(in.SignIdSet)); e != nil {
		return nil, e
	}
	var all []signStatus
	add := func(name string, sub Submission) {
		all = append(all, signStatus{SignId: signID(name), International: *in.International, StatusCode: sub.StatusCode,
			ReviewReply: sub.ReviewReply, SignName: name, CreateTime: 1700000000, QualificationStatusCode: 1})
	}
	s.catMu.RLock()
	for name := range s.signs {
		add(name, Submission{StatusCode: StatusApproved})
	}
	s.catMu.RUnlock()
	s.review.mu.Lock()
	for name, sub := range s.review.signs {
		if !slices.ContainsFunc(all, func(x signStatus) bool { return x.SignName == name }) {
			add(name, sub)
		}
	}
	s.review.mu.Unlock()
	slices.SortFunc(all, func(a, b signStatus) int { return cmp.Compare(a.SignId, b.SignId) })
	out, e := listed(all, in.SignIdSet, func(x signStatus) uint64 { return x.SignId }, in)
	if e != nil {
		return nil, e
	}
	return jsonReply{map[string]any{"DescribeSignListStatusSet": nonNil(out)}}, nil
}

func (s *Server) describeTemplateList(body []byte) (okReply, *apiError) {
	var in describeRequest
	if e := decodeStrict(body, &in); e != nil {
		return nil, e
	}
	if in.SignIdSet != nil {
		return nil, errorf(CodeUnknownParameter, "The parameter SignIdSet is not recognized.")
	}
	if e := in.check(len(in.TemplateIdSet)); e != nil {
		return nil, e
	}
	var all []templateStatus
	add := func(id string, t Template, sub Submission) {
		n, err := strconv.ParseUint(id, 10, 64)
		intl := uint64(0)
		if t.International {
			intl = 1
		}
		if err != nil || intl != *in.International {
			return // real template ids are numbers; the list is per International
		}
		all = append(all, templateStatus{TemplateId: n, International: intl, StatusCode: sub.StatusCode, ReviewReply: sub.ReviewReply,
			TemplateName: t.Type.String() + " " + id, CreateTime: 1700000000, TemplateContent: t.Text})
	}
	s.catMu.RLock()
	for id, c := range s.templates {
		add(id, c.Template, Submission{StatusCode: StatusApproved})
	}
	s.catMu.RUnlock()
	s.review.mu.Lock()
	for id, rt := range s.review.templates {
		if !slices.ContainsFunc(all, func(x templateStatus) bool { return strconv.FormatUint(x.TemplateId, 10) == id }) {
			add(id, rt.Template, rt.Submission)
		}
	}
	s.review.mu.Unlock()
	slices.SortFunc(all, func(a, b templateStatus) int { return cmp.Compare(a.TemplateId, b.TemplateId) })
	out, e := listed(all, in.TemplateIdSet, func(x templateStatus) uint64 { return x.TemplateId }, in)
	if e != nil {
		return nil, e
	}
	return jsonReply{map[string]any{"DescribeTemplateStatusSet": nonNil(out)}}, nil
}

type statisticsRequest struct {
	BeginTime, EndTime, SmsSdkAppId string
	Limit, Offset                   *uint64
}

// sendStatusStatistics answers for a known SdkAppId with the sandbox's
// counters since Start (the sandbox keeps no per-hour or per-app split).
func (s *Server) sendStatusStatistics(body []byte) (okReply, *apiError) {
	var in statisticsRequest
	if e := decodeStrict(body, &in); e != nil {
		return nil, e
	}
	switch {
	case in.SmsSdkAppId == "" || in.BeginTime == "" || in.EndTime == "":
		return nil, errorf(CodeMissingParameter, "SmsSdkAppId, BeginTime and EndTime are required")
	case !hourStamp(in.BeginTime):
		return nil, errorf("InvalidParameterValue.BeginTimeVerifyFail", "BeginTime %q is not yyyymmddhh", in.BeginTime)
	case !hourStamp(in.EndTime) || in.EndTime < in.BeginTime:
		return nil, errorf("InvalidParameterValue.EndTimeVerifyFail", "EndTime %q is not yyyymmddhh at or after BeginTime", in.EndTime)
	case !s.apps[in.SmsSdkAppId]:
		return nil, errorf(CodeSdkAppIDNotExist, "SmsSdkAppId %s does not exist", in.SmsSdkAppId)
	}
	s.mu.Lock()
	var submitted int
	for _, n := range s.box.numberCodes {
		submitted += n
	}
	st := map[string]uint64{"FeeCount": uint64(s.box.billed), "RequestCount": uint64(submitted), "RequestSuccessCount": uint64(s.box.accepted)}
	s.mu.Unlock()
	return jsonReply{map[string]any{"SendStatusStatistics": st}}, nil
}

func hourStamp(v string) bool {
	if len(v) != 10 {
		return false
	}
	_, err := strconv.ParseUint(v, 10, 64)
	return err == nil
}

func nonNil[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
