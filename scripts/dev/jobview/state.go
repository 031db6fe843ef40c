package jobview

import "github.com/smsjump/smsjump/shared/send"

// stateText names each job state for the operator, with what happens next.
var stateText = map[send.Status]string{
	send.StatusScheduled:       "已排期（到 start_at 时定时器自动开始）",
	send.StatusWaitingManifest: "等待清单（CSV 先到了，上传同名 .json 后自动开始）",
	send.StatusStopped:         "已停止（运营上传了 control/<名称>.stop；删除该文件后自动继续）",
	send.StatusSuperseded:      "已被替换（同名文件重新上传，新任务接手）",
	send.StatusRunning:         "发送中",
	send.StatusPaused:          "已暂停（函数时间用完，定时器会自动继续）",
	send.StatusDeferred:        "已推迟（不在发送时段或达到每日上限，定时器会在可发送时自动继续）",
	send.StatusDone:            "已完成",
	send.StatusFailed:          "已失败（需要处理后重新上传）",
}

// StateText is the Chinese name of a job state; an unknown one shows as is.
func StateText(s send.Status) string {
	if t, ok := stateText[s]; ok {
		return t
	}
	return string(s)
}
