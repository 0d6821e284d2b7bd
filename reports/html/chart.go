package html

import (
	"sort"
	"strconv"
	"strings"
)

// chart is one inline SVG line chart: a single series against iteration, on
// its own y scale (socket counts and RSS bytes differ by six orders of
// magnitude, so one shared axis would flatten all but one line). Every number
// is formatted here; names go through html/template.
type chart struct {
	Name         string
	Points       string // polyline points in the viewBox
	Dots         []dot  // when there are too few points for a line to read
	YMin, YMax   string
	XMin, XMax   string
	Last         string
	HasFailure   bool
	FailX        string
	FailLabel    string
	FailRight    bool // label to the left of the line, so it stays inside
	W, H         int
	PlotL, PlotR int
	PlotT, PlotB int
	LabelY       int
}

type dot struct{ X, Y string }

type point struct{ x, y float64 }

// Geometry of every chart's viewBox; the SVG scales to its container.
const (
	chartW, chartH = 360, 140
	plotL, plotR   = 8, 352
	plotT, plotB   = 10, 112
)

// newChart draws pts (sorted by x); failAt > 0 marks the first failure.
func newChart(name string, pts []point, failAt float64, failLabel string) chart {
	c := chart{Name: name, W: chartW, H: chartH, PlotL: plotL, PlotR: plotR, PlotT: plotT, PlotB: plotB, LabelY: chartH - 6}
	if len(pts) == 0 {
		return c
	}
	x0, x1 := pts[0].x, pts[0].x
	y0, y1 := pts[0].y, pts[0].y
	for _, p := range pts {
		x0, x1 = min(x0, p.x), max(x1, p.x)
		y0, y1 = min(y0, p.y), max(y1, p.y)
	}
	if failAt > 0 {
		x0, x1 = min(x0, failAt), max(x1, failAt)
	}
	if x1 == x0 {
		x1 = x0 + 1
	}
	ySpan := y1 - y0
	if ySpan == 0 {
		ySpan = 1
	}
	sx := func(x float64) float64 { return plotL + (x-x0)/(x1-x0)*(plotR-plotL) }
	sy := func(y float64) float64 { return plotB - (y-y0)/ySpan*(plotB-plotT) }
	var b strings.Builder
	for i, p := range pts {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(f1(sx(p.x)))
		b.WriteByte(',')
		b.WriteString(f1(sy(p.y)))
	}
	c.Points = b.String()
	if len(pts) <= 3 {
		for _, p := range pts {
			c.Dots = append(c.Dots, dot{X: f1(sx(p.x)), Y: f1(sy(p.y))})
		}
	}
	c.YMin, c.YMax = human(y0), human(y1)
	c.XMin, c.XMax = human(x0), human(x1)
	c.Last = human(pts[len(pts)-1].y)
	if failAt > 0 {
		c.HasFailure, c.FailX, c.FailLabel = true, f1(sx(failAt)), failLabel
		c.FailRight = sx(failAt) > (plotL+plotR)/2
	}
	return c
}

func f1(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// human prints a number compactly: 160995, 1.2M, 3.5G, 0.25.
func human(f float64) string {
	a := f
	if a < 0 {
		a = -a
	}
	switch {
	case a >= 1e9:
		return strconv.FormatFloat(f/1e9, 'f', 2, 64) + "G"
	case a >= 1e6:
		return strconv.FormatFloat(f/1e6, 'f', 2, 64) + "M"
	case a == float64(int64(a)):
		return strconv.FormatInt(int64(f), 10)
	case a >= 1000:
		// A rate of 150349.3 cycles/s reads better whole than as 1.503e+05.
		return strconv.FormatFloat(f, 'f', 0, 64)
	}
	return strconv.FormatFloat(f, 'g', 4, 64)
}

func sortPoints(pts []point) {
	sort.SliceStable(pts, func(i, j int) bool { return pts[i].x < pts[j].x })
}
