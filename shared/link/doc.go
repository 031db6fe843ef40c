// Package link maps what an SMS link carries (a campaign id and an optional
// personal code) to a mini-program target, and builds those links. Malformed
// ids and codes are rejected before any store or WeChat call.
package link
