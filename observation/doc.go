// Package observation holds the typed observations checks record and reports
// read: the checks fill these values, results.json carries them as JSON,
// and reports/html decodes them to draw a check's view. It is a leaf: it
// imports nothing of netconform, so the reports never import check code.
//
// Each check's descriptor names its view (check.Descriptor.View); the result
// carries it (check.Result.View), and the report picks the renderer by that
// tag, never by the check's id.
package observation
