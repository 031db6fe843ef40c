package config

import "fmt"

// undefinedText is what the Serverless Cloud Framework deploys for a
// ${env:X} that was unset in the deploying shell: the CLI resolves it to
// JavaScript undefined and tencent-component-toolkit writes String(val).
// No variable of ours has "undefined" as a meaningful value, so seeing it
// always means a broken deploy, never an operator's choice.
const undefinedText = "undefined"

// undefinedProblem names the deploy fix for a variable that arrived as the
// text undefined. Operators read it in the function's log, so it is Chinese
// and speaks of the console.
func undefinedProblem(name string) string {
	return fmt.Sprintf("%s 的值是文字 undefined：部署时没有设置这个环境变量"+
		"（Serverless Cloud Framework 把未设置的 ${env:%s} 写成 undefined）。"+
		"请用 scripts/deploy.sh 重新部署（它为每个可选变量填入空值，空值即默认值），"+
		"或在 SCF 控制台 → 函数服务 → 该函数 → 函数配置 → 环境变量 中改正或删除 %s",
		name, name, name)
}
