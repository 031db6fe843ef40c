package serve

import (
	"context"
	"encoding/json"
)

// JSONFunc is a handler of a JSON event with a JSON result.
type JSONFunc[Out any] func(ctx context.Context, event json.RawMessage) (Out, error)

// JSON adapts f to a Handler the way scf-go-lib's Start adapts a
// func(context.Context, json.RawMessage) (Out, error): a payload that is not
// JSON (or empty) is a function error, the result is json.Marshal'ed. It
// uses no reflection on f.
func JSON[Out any](f JSONFunc[Out]) Handler { return f }

// Invoke implements Handler.
func (f JSONFunc[Out]) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	var event json.RawMessage
	if err := json.Unmarshal(payload, &event); err != nil {
		return nil, err
	}
	out, err := f(ctx, event)
	if err != nil {
		return nil, err
	}
	return json.Marshal(out)
}
