"""Server-drawn SVG charts: readable without JavaScript, mirrored for right-to-left
languages, and accessible: each chart carries a title, a one-or-two sentence summary (the
text alternative) and its numbers as a table (see templates/insights/_chart.html).

Pure functions of the values given: no database, no request (only the locale, for
numbers and words).

- base.py        Series and Chart, value reading, round axis ticks, the SVG writer
- cartesian.py   line_chart, bar_chart, stacked_bar_chart (labels along an axis)
- round.py       donut_chart, sparkline
- describe.py    the default summaries and the data tables
"""

from kyora.insights.charts.base import Chart, Series
from kyora.insights.charts.cartesian import bar_chart, line_chart, stacked_bar_chart
from kyora.insights.charts.round import donut_chart, sparkline

__all__ = [
    "Chart",
    "Series",
    "bar_chart",
    "donut_chart",
    "line_chart",
    "sparkline",
    "stacked_bar_chart",
]
