package audience

import "testing"

func TestStopWords(t *testing.T) {
	def := NewStopWords(nil)
	for _, tc := range []struct {
		reply string
		stop  bool
	}{
		{"R", true}, {"r", true}, {"Ｒ", true}, {"ｒ", true}, {" R ", true}, {"R。", true}, {"【R】", true},
		{"TD", true}, {"td", true}, {"ｔｄ", true}, {"Ｔ Ｄ", true}, {"T", true}, {"n", true}, {"Ｎ", true},
		{"退订", true}, {"请退订", true}, {"退订，谢谢", true}, {"拒收", true}, {"拒收！！", true},
		{"", false}, {"   ", false}, {"ok", false}, {"RR", false}, {"Thanks", false}, {"好的", false},
		{"yes", false}, {"收到", false}, {"TDD", false},
	} {
		if got := def.IsStop(tc.reply); got != tc.stop {
			t.Errorf("IsStop(%q) = %v, want %v", tc.reply, got, tc.stop)
		}
	}
	custom := NewStopWords([]string{"stop", "ＱＸ", "取消"})
	for reply, want := range map[string]bool{"STOP": true, "Stop.": true, "qx": true, "我要取消": true, "R": false, "stopping": false} {
		if got := custom.IsStop(reply); got != want {
			t.Errorf("custom IsStop(%q) = %v, want %v", reply, got, want)
		}
	}
}

func FuzzStopWords(f *testing.F) {
	for _, s := range []string{"R", "ｔｄ", "请退订", "\xff", "拒收\u200b"} {
		f.Add(s)
	}
	sw := NewStopWords(nil)
	f.Fuzz(func(t *testing.T, s string) {
		// Never panics; a stop reply stays one with spaces around it.
		if sw.IsStop(s) && !sw.IsStop(" "+s+"　") {
			t.Fatalf("%q stops but not with spaces around", s)
		}
	})
}
