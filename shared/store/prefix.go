package store

import (
	"context"
	"fmt"
	"time"
)

// prefixed namespaces every key of an underlying Store (see WithKeyPrefix).
type prefixed struct {
	Store
	prefix string
}

func (p *prefixed) key(k string) (string, error) {
	// Validate the caller's key, not the prefixed one: an empty key must stay
	// an error even though prefix+"" is not empty.
	if err := checkKey(k); err != nil {
		return "", err
	}
	return p.prefix + k, nil
}

func (p *prefixed) Get(ctx context.Context, key string) ([]byte, error) {
	k, err := p.key(key)
	if err != nil {
		return nil, err
	}
	return p.Store.Get(ctx, k)
}

func (p *prefixed) Set(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	k, err := p.key(key)
	if err != nil {
		return err
	}
	return p.Store.Set(ctx, k, value, ttl)
}

func (p *prefixed) SetIfAbsent(ctx context.Context, key string, value []byte, ttl time.Duration) (bool, error) {
	k, err := p.key(key)
	if err != nil {
		return false, err
	}
	return p.Store.SetIfAbsent(ctx, k, value, ttl)
}

func (p *prefixed) Delete(ctx context.Context, key string) error {
	k, err := p.key(key)
	if err != nil {
		return err
	}
	return p.Store.Delete(ctx, k)
}

// Incr and Counts forward the Counter capability, which every backend has.
func (p *prefixed) Incr(ctx context.Context, key, field string, delta int64, ttl time.Duration) error {
	c, ok := AsCounter(p.Store)
	if !ok {
		return fmt.Errorf("%w: backend has no counters", ErrInvalidArgument)
	}
	k, err := p.key(key)
	if err != nil {
		return err
	}
	return c.Incr(ctx, k, field, delta, ttl)
}

func (p *prefixed) Counts(ctx context.Context, key string) (map[string]int64, error) {
	c, ok := AsCounter(p.Store)
	if !ok {
		return nil, fmt.Errorf("%w: backend has no counters", ErrInvalidArgument)
	}
	k, err := p.key(key)
	if err != nil {
		return nil, err
	}
	return c.Counts(ctx, k)
}
