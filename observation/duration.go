package observation

import (
	"encoding/json"
	"fmt"
	"time"
)

// Duration is a span of time that marshals as seconds (a float), so readers
// of results.json need no Go-specific parsing. check.Duration is this type.
type Duration time.Duration

// Seconds is d in seconds.
func (d Duration) Seconds() float64 { return time.Duration(d).Seconds() }

func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).Seconds())
}

func (d *Duration) UnmarshalJSON(b []byte) error {
	var s float64
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("duration must be a number of seconds: %w", err)
	}
	*d = Duration(s * float64(time.Second))
	return nil
}
