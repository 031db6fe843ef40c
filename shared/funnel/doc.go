// Package funnel counts what happens after an SMS is sent: links opened
// (get-scheme answered), what the page did (jump attempted, open tag
// launched, fallback shown, button tapped, desktop QR shown) and arrivals
// reported by the mini-program, per campaign and per personal code, by
// platform and by hour. Every event is one store increment (store.Counter),
// so any number of get-scheme instances count at once without losing any.
package funnel
