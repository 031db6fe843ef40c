package smsapi

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"
)

// serialBase makes SerialNo look like the real ones (long decimal numbers).
const serialBase uint64 = 1_000_000_000_000_000_000

// sendSmsRequest is the SendSms body as the SDK marshals it.
type sendSmsRequest struct {
	PhoneNumberSet   []string
	SmsSdkAppId      string
	TemplateId       string
	SignName         string
	TemplateParamSet []string
	ExtendCode       string
	SessionContext   string
	SenderId         string
}

func decodeSendSms(body []byte) (*sendSmsRequest, *apiError) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var in sendSmsRequest
	if err := dec.Decode(&in); err != nil {
		if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return nil, errorf(CodeUnknownParameter, "The parameter %s is not recognized.", field)
		}
		return nil, errorf(CodeJSONParseFail, "%s (%v)", messageFor(CodeJSONParseFail), err)
	}
	return &in, nil
}

// sendSms applies the request-level rules, then decides every number under
// one lock so the per-number limits see a consistent order.
func (s *Server) sendSms(in *sendSmsRequest, requestID string, plan *faultPlan) (*sendSmsResponse, *apiError) {
	switch n := len(in.PhoneNumberSet); {
	case n == 0:
		return nil, apiErr(CodeEmptyPhoneNumberSet)
	case n > MaxPhonesPerRequest:
		return nil, errorf(CodePhoneNumberCountLimit, "%d phone numbers in one request; at most %d are allowed", n, MaxPhonesPerRequest)
	}
	if in.SmsSdkAppId == "" {
		return nil, errorf(CodeMissingParameter, "SmsSdkAppId is required")
	}
	if !s.apps[in.SmsSdkAppId] {
		return nil, errorf(CodeSdkAppIDNotExist, "SmsSdkAppId %s does not exist", in.SmsSdkAppId)
	}
	if in.TemplateId == "" {
		return nil, errorf(CodeMissingParameter, "TemplateId is required")
	}
	tpl, signApproved := s.approved(in.TemplateId, in.SignName)
	if tpl == nil {
		return nil, errorf(CodeTemplateUnapproved, "template %s is not approved or does not exist", in.TemplateId)
	}

	phones := make([]phone, len(in.PhoneNumberSet))
	for i, p := range in.PhoneNumberSet {
		phones[i] = parsePhone(p)
		if phones[i].mainland != phones[0].mainland {
			return nil, apiErr(CodeMixedPhoneNumbers)
		}
	}
	mainland := phones[0].mainland
	switch {
	case mainland && tpl.International:
		return nil, apiErr(CodeGlobalTemplateToMainland)
	case !mainland && !tpl.International:
		return nil, apiErr(CodeMainlandTemplateToGlobal)
	case mainland && !signApproved:
		return nil, errorf(CodeSignatureUnapproved, "signature %q is not approved", in.SignName)
	}

	params := in.TemplateParamSet
	if len(params) != tpl.Params {
		return nil, errorf(CodeParamSetNotMatch, "template %s has %d parameters, TemplateParamSet has %d", in.TemplateId, tpl.Params, len(params))
	}
	for i, p := range params {
		if looksLikeURL(p) {
			return nil, errorf(CodeURLInTemplateParameter, "parameter {%d} looks like a URL", i+1)
		}
		if n := utf8.RuneCountInString(p); s.opts.MaxParamLen > 0 && n > s.opts.MaxParamLen {
			return nil, errorf(CodeTemplateParameterLength, "parameter {%d} has %d characters, the account allows %d", i+1, n, s.opts.MaxParamLen)
		}
	}
	if len(in.SessionContext) > maxSessionContext {
		return nil, errorf(CodeInvalidParameterValue, "SessionContext is %d bytes, at most %d are allowed", len(in.SessionContext), maxSessionContext)
	}

	bodyRunes := tpl.bodyRunes(params)
	fee := 0
	if mainland {
		signRunes := utf8.RuneCountInString(in.SignName)
		if signRunes+2+bodyRunes > maxContent {
			return nil, errorf(CodeContentLengthLimit, "signature and body have %d characters, at most %d are allowed", signRunes+2+bodyRunes, maxContent)
		}
		fee = mainlandFee(signRunes, bodyRunes)
	} else {
		if bodyRunes > maxContent {
			return nil, errorf(CodeContentLengthLimit, "body has %d characters, at most %d are allowed", bodyRunes, maxContent)
		}
		fee = globalFee(tpl.render("", params))
	}

	now := s.opts.Now()
	if tpl.Type == Marketing && !marketingHours(now) {
		return nil, apiErr(CodeMarketingSendTime)
	}
	return s.decide(in, requestID, tpl, phones, fee, now, plan), nil
}

func (s *Server) decide(in *sendSmsRequest, requestID string, tpl *compiled, phones []phone, fee int, now time.Time, plan *faultPlan) *sendSmsResponse {
	subs := *s.subsView.Load()
	record := s.opts.KeepMessages || len(subs) > 0
	var text string
	if record {
		text = tpl.render(in.SignName, in.TemplateParamSet)
	}
	hash := contentHash(in.SignName, in.TemplateId, in.TemplateParamSet)
	nowMilli := now.UnixMilli()
	today := beijingDay(now)
	interval := s.opts.SameContentInterval.Milliseconds()

	out := &sendSmsResponse{SendStatusSet: make([]sendStatus, len(phones))}
	var accepted []Message
	var receipts []pulledStatus

	s.mu.Lock()
	receiptsOn, statusURL := s.receiptPolicy.on(), s.statusURL
	for i, p := range phones {
		st := &out.SendStatusSet[i]
		st.PhoneNumber = p.e164
		st.SessionContext = in.SessionContext
		st.IsoCode = p.iso
		code, injected := CodeOK, ""
		if p.valid {
			injected = draw(plan.number)
		}
		ps := s.box.phones[p.key]
		if ps.day != today {
			ps.day, ps.dayCount = today, 0
		}
		switch {
		case !p.valid:
			code = CodeIncorrectPhoneNumber
		case injected != "":
			code = injected
		case tpl.Type == Marketing && s.black[p.key]:
			code = CodePhoneNumberInBlacklist
		case interval > 0 && ps.total > 0 && ps.lastHash == hash && nowMilli-ps.lastMilli < interval:
			code = CodeThirtySecondLimit
		case s.opts.DailyLimit > 0 && int(ps.dayCount) >= s.opts.DailyLimit:
			code = CodeDailyLimit
		case s.box.app.full(today, s.opts.AppDailyLimit):
			code = CodeAppDailyLimit
		case plan.BalanceAfter > 0 && s.box.billed+fee > plan.BalanceAfter:
			code = CodeInsufficientBalance
		}
		st.Code, st.Message = code, messageFor(code)
		s.box.numberCodes[code]++
		if code != CodeOK {
			continue
		}
		ps.lastMilli, ps.lastHash = nowMilli, hash
		ps.total++
		if ps.dayCount < ^uint16(0) {
			ps.dayCount++
		}
		s.box.phones[p.key] = ps
		s.box.accepted++
		s.box.app.accept()
		s.box.billed += fee
		s.box.serial++
		st.SerialNo = fmtUint("2433:", serialBase+s.box.serial)
		st.Fee = fee
		if receiptsOn {
			if r, ok := s.receiptFor(in.SmsSdkAppId, p.e164, st.SerialNo, in.SessionContext, now); ok && statusURL != "" {
				receipts = append(receipts, r)
			}
		}
		if record {
			m := Message{
				Phone: p.e164, SdkAppID: in.SmsSdkAppId, SignName: in.SignName,
				TemplateID: in.TemplateId, Params: in.TemplateParamSet, Text: text,
				SerialNo: st.SerialNo, Fee: fee, SessionContext: in.SessionContext,
				IsoCode: p.iso, RequestID: requestID, Time: now,
			}
			if s.opts.KeepMessages {
				s.box.messages = append(s.box.messages, m)
			}
			if len(subs) > 0 {
				accepted = append(accepted, m)
			}
		}
	}
	s.mu.Unlock()

	if len(receipts) > 0 {
		// Reports arrive after the send answer, as on the platform.
		go s.pushStatuses(statusURL, receipts)
	}
	for _, m := range accepted {
		for _, sub := range subs {
			sub.fn(m)
		}
	}
	return out
}
