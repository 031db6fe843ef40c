package funnel

// Event is what one counter increment records.
type Event string

// Events. Opened is recorded by get-scheme itself; the page's beacons may
// send only the PageEvents; Arrived comes from the mini-program.
const (
	Opened   Event = "opened"   // get-scheme answered with a scheme
	Jump     Event = "jump"     // the page navigated to the scheme
	Launch   Event = "launch"   // the in-WeChat open tag reported a launch
	URLLink  Event = "urllink"  // the page followed a URL Link
	Fallback Event = "fallback" // the page gave up waiting and showed help
	Button   Event = "button"   // the user tapped the open button
	QR       Event = "qr"       // a desktop visitor was shown the QR code
	Arrived  Event = "arrived"  // the mini-program reported the visit
)

// AllEvents in funnel order, for reports.
var AllEvents = []Event{Opened, Jump, Launch, URLLink, Button, Fallback, QR, Arrived}

// PageEvents are the events a beacon may carry.
var PageEvents = map[Event]bool{Jump: true, Launch: true, URLLink: true, Fallback: true, Button: true, QR: true}

// Jumped reports whether e counts as "jumped" in the funnel: the page
// handed the visitor to WeChat one way or another.
func (e Event) Jumped() bool { return e == Jump || e == Launch || e == URLLink }

func knownEvent(e Event) bool { return e == Opened || e == Arrived || PageEvents[e] }
