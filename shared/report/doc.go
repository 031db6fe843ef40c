// Package report renders a campaign job's funnel — rows → sent → delivered
// → opened → jumped → arrived — as funnel.json and as a self-contained
// report.html: Chinese, inline CSS and SVG, no script, font or image from
// anywhere, readable on a phone and a desktop, opened from a COS download
// or a local file alike.
package report
