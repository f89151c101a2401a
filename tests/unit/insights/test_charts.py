"""The server-drawn charts: well-formed SVG whose shapes match the numbers, mirrored for
Arabic, safe with any product name, and a summary and table that say the same thing."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal as D

import pytest
from babel.numbers import format_decimal, format_percent
from flask import render_template_string
from flask_babel import force_locale, get_locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kyora.insights.charts import (
    Series,
    bar_chart,
    donut_chart,
    line_chart,
    sparkline,
    stacked_bar_chart,
)
from kyora.insights.charts.base import nice_ticks

SVG = "{http://www.w3.org/2000/svg}"
ISOLATES = "\u2068\u2069"
EVIL = "<script>alert(1)</script>"


@pytest.fixture(autouse=True)
def request_ctx(app):
    """gettext and the locale need a request; charts need nothing else."""
    with app.test_request_context():
        yield


def fmt(value) -> str:
    return format_decimal(value, locale=get_locale())


def parse(chart) -> ET.Element:
    return ET.fromstring(str(chart.svg))  # noqa: S314 - the charts own output, not input


def classes(element: ET.Element) -> set[str]:
    return set(element.get("class", "").split())


def bars(root: ET.Element) -> list[ET.Element]:
    return [rect for rect in root.iter(f"{SVG}rect") if "chart-bar" in classes(rect)]


def zero_line(root: ET.Element) -> float:
    (line,) = [line for line in root.iter(f"{SVG}line") if "chart-zero" in classes(line)]
    return float(line.get("y1"))


def axis_labels(root: ET.Element) -> dict[str, float]:
    """The labels under the plot: text (without isolate marks) -> x."""
    (group,) = [g for g in root.iter(f"{SVG}g") if "chart-labels" in classes(g)]
    return {text.text.strip(ISOLATES): float(text.get("x")) for text in group.iter(f"{SVG}text")}


def tick_texts(root: ET.Element) -> list[str]:
    (group,) = [g for g in root.iter(f"{SVG}g") if classes(g) == {"chart-axis"}]
    return [text.text for text in group.iter(f"{SVG}text")]


def all_charts():
    labels = ["1 Nov", "2 Nov", "3 Nov"]
    two = [Series("Sales", [D(120), D(80), D(300)]), Series("Profit", [D(20), D(-10), None])]
    return [
        line_chart(labels, two, title="Sales", fmt=fmt),
        bar_chart(labels, two, title="Sales", fmt=fmt),
        stacked_bar_chart(labels, two, title="Sales", fmt=fmt),
        donut_chart([("Instagram", 5), ("WhatsApp", 3)], title="Channels", fmt=fmt),
        sparkline([3, 5, 4], title="This week", fmt=fmt),
    ]


@pytest.mark.parametrize("index", range(5))
def test_each_chart_is_an_image_named_by_its_title_and_summary(index):
    chart = all_charts()[index]
    root = parse(chart)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("width") == "100%"
    title_id, desc_id = root.get("aria-labelledby").split()
    by_id = {element.get("id"): element for element in root.iter() if element.get("id")}
    assert by_id[title_id].tag == f"{SVG}title" and by_id[title_id].text == chart.title
    assert by_id[desc_id].tag == f"{SVG}desc" and by_id[desc_id].text == chart.summary
    expected = "0 0 120 32" if chart.kind == "sparkline" else "0 0 360 200"
    assert root.get("viewBox") == expected


def test_two_charts_on_one_page_never_share_an_id():
    first, second = (line_chart(["a"], [Series("S", [1])], title="T", fmt=fmt) for _ in range(2))
    assert parse(first).get("id") != parse(second).get("id")


def test_bar_heights_are_proportional_to_the_values():
    chart = bar_chart(["a", "b", "c"], [Series("S", [D(100), D(200), D(50)])], title="T", fmt=fmt)
    root = parse(chart)
    heights = [float(rect.get("height")) for rect in bars(root)]
    assert heights[1] == pytest.approx(2 * heights[0], abs=0.02)
    assert heights[2] == pytest.approx(heights[0] / 2, abs=0.02)
    zero = zero_line(root)
    assert all(
        float(rect.get("y")) + float(rect.get("height")) == pytest.approx(zero)
        for rect in bars(root)
    )


def test_a_loss_is_drawn_below_the_zero_line():
    chart = bar_chart(["a", "b"], [Series("Profit", [D(100), D(-50)])], title="T", fmt=fmt)
    root = parse(chart)
    gain, loss = bars(root)
    zero = zero_line(root)
    assert float(gain.get("y")) + float(gain.get("height")) == pytest.approx(zero)
    assert float(loss.get("y")) == pytest.approx(zero)
    assert float(loss.get("height")) == pytest.approx(float(gain.get("height")) / 2, abs=0.02)
    assert any(text.startswith("-") for text in tick_texts(root))


def test_stacked_parts_pile_up_from_zero_and_a_loss_hangs_below_it():
    chart = stacked_bar_chart(
        ["a"],
        [Series("Shop", [D(30)]), Series("Online", [D(10)]), Series("Refunds", [D(-20)])],
        title="T",
        fmt=fmt,
    )
    root = parse(chart)
    shop, online, refunds = bars(root)
    zero = zero_line(root)
    assert float(shop.get("y")) + float(shop.get("height")) == pytest.approx(zero)
    assert float(online.get("y")) + float(online.get("height")) == pytest.approx(
        float(shop.get("y"))
    )
    assert float(refunds.get("y")) == pytest.approx(zero)
    assert float(shop.get("height")) == pytest.approx(3 * float(online.get("height")), abs=0.02)
    assert chart.columns[-1] == "Total"
    assert chart.rows == [["a", "30", "10", "-20", "20"]]


@pytest.mark.parametrize("make", [line_chart, bar_chart, stacked_bar_chart])
def test_right_to_left_puts_the_first_label_at_the_right_and_the_axis_on_the_right(make):
    labels = ["1 Nov", "2 Nov", "3 Nov"]
    series = [Series("Sales", [D(1000), D(2000), D(1500)])]
    ltr = parse(make(labels, series, title="T", fmt=fmt))
    rtl = parse(make(labels, series, title="T", fmt=fmt, rtl=True))
    assert axis_labels(ltr)["1 Nov"] < axis_labels(ltr)["3 Nov"]
    assert axis_labels(rtl)["1 Nov"] > axis_labels(rtl)["3 Nov"]
    assert rtl.get("direction") == "rtl" and ltr.get("direction") == "ltr"

    def tick_x(root):
        (group,) = [g for g in root.iter(f"{SVG}g") if classes(g) == {"chart-axis"}]
        return {float(text.get("x")) for text in group.iter(f"{SVG}text")}

    assert max(tick_x(ltr)) < 180 < min(tick_x(rtl))


def test_labels_and_names_are_escaped_everywhere():
    charts = [
        bar_chart([EVIL, "b"], [Series(EVIL, [1, 2]), Series("x", [2, 1])], title=EVIL, fmt=fmt),
        donut_chart([(EVIL, 3), ("b", 1)], title="T", fmt=fmt),
    ]
    for chart in charts:
        assert "<script>" not in str(chart.svg)
        assert "&lt;script&gt;" in str(chart.svg)
        parse(chart)
        html = render_template_string(
            '{% from "insights/_chart.html" import chart %}{{ chart(c) }}', c=chart
        )
        assert "<script>" not in html
        assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    "make",
    [
        lambda: line_chart([], [], title="T", fmt=fmt),
        lambda: line_chart(["a", "b"], [Series("S", [None, None])], title="T", fmt=fmt),
        lambda: bar_chart(["a", "b"], [Series("S", [0, D(0)])], title="T", fmt=fmt),
        lambda: bar_chart(["a", "b"], [], title="T", fmt=fmt),
        lambda: stacked_bar_chart(["a"], [Series("S", [0]), Series("Q", [0])], title="T", fmt=fmt),
        lambda: donut_chart([], title="T", fmt=fmt),
        lambda: donut_chart([("a", 0), ("b", None)], title="T", fmt=fmt),
        lambda: sparkline([], title="T", fmt=fmt),
        lambda: sparkline([0, 0, None], title="T", fmt=fmt),
    ],
)
def test_empty_or_all_zero_data_draws_a_sane_chart_that_says_nothing_yet(make):
    chart = make()
    root = parse(chart)
    assert chart.summary == "Nothing to show yet."
    assert "nan" not in str(chart.svg).lower() and "inf" not in str(chart.svg).lower()
    if chart.kind != "sparkline":
        texts = [text.text for text in root.iter(f"{SVG}text")]
        assert "Nothing to show yet." in texts


def test_the_summary_names_the_highest_and_lowest_points():
    labels = ["1 Nov", "2 Nov", "3 Nov"]
    chart = line_chart(labels, [Series("Sales", [D(10), D(90), D(40)])], title="T", fmt=fmt)
    assert chart.summary == "Sales: highest 90 on 2 Nov, lowest 10 on 1 Nov, total 140."
    donut = donut_chart([("Instagram", 1), ("WhatsApp", 3)], title="T", fmt=fmt)
    assert donut.summary == "WhatsApp is the largest share: 75%."
    spark = sparkline([5, 15, None, 14], title="T", fmt=fmt)
    assert spark.summary == "From 5 to 14, highest 15."


def test_missing_values_leave_a_gap_in_the_line():
    chart = line_chart(["a", "b", "c", "d"], [Series("S", [1, None, 3, 4])], title="T", fmt=fmt)
    (path,) = parse(chart).iter(f"{SVG}path")
    assert re.findall(r"[ML]", path.get("d")) == ["M", "M", "L"]
    assert chart.rows[1] == ["b", "no data"]


def test_many_labels_are_thinned_so_they_never_overlap():
    labels = [f"{day} Nov" for day in range(1, 31)]
    chart = line_chart(labels, [Series("S", list(range(30)))], title="T", fmt=fmt)
    shown = sorted(axis_labels(parse(chart)).values())
    assert 3 <= len(shown) < 30
    assert min(b - a for a, b in zip(shown, shown[1:], strict=False)) >= 6 * len("30 Nov")
    assert len(chart.rows) == 30


def test_the_table_behind_the_chart_has_one_row_per_label():
    labels = ["1 Nov", "2 Nov", "3 Nov", "4 Nov"]
    series = [Series("Sales", [1, 2, 3, 4]), Series("Profit", [1, None, 1, 1])]
    chart = bar_chart(labels, series, title="Orders", fmt=fmt)
    assert chart.columns == ["Period", "Sales", "Profit"]
    html = render_template_string(
        '{% from "insights/_chart.html" import chart %}{{ chart(c) }}', c=chart
    )
    assert html.count('<th scope="row">') == 4
    assert html.count('<th scope="col"') == 3
    assert '<figcaption class="chart-title">Orders</figcaption>' in html
    assert html.count("<svg ") == 1 and "&lt;svg" not in html
    assert "<summary>Show the numbers</summary>" in html
    assert f"<caption>{chart.summary}</caption>" in html
    assert "<bdi>2 Nov</bdi>" in html and "no data" in html


def test_arabic_uses_the_locales_own_numbers_and_reads_right_to_left():
    with force_locale("ar"):
        chart = bar_chart(["أ", "ب"], [Series("المبيعات", [D(1500), D(4000)])], title="T", fmt=fmt)
        donut = donut_chart([("انستغرام", 3), ("واتساب", 1)], title="T", fmt=fmt)
        share = format_percent(D("0.75"), locale="ar")
    assert any("ألف" in text for text in tick_texts(parse(chart)))
    assert share in donut.summary
    assert parse(donut).get("direction") == "rtl"


@pytest.mark.parametrize(
    ("low", "high", "whole", "ticks"),
    [
        (0, 4000, False, [0, 1000, 2000, 3000, 4000]),
        (-550, 3973, False, [-2000, 0, 2000, 4000]),
        (0, 1, True, [0, 1, 2]),
        (0, D("0.9"), False, [0, D("0.25"), D("0.5"), D("0.75"), 1]),
        (-30, 0, True, [-30, -20, -10, 0]),
        (0, 0, False, [0]),
    ],
)
def test_axis_ticks_are_round_values_that_cover_the_data(low, high, whole, ticks):
    assert nice_ticks(D(low), D(high), whole) == [D(tick) for tick in ticks]


values = st.one_of(
    st.none(), st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False)
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kind=st.sampled_from([line_chart, bar_chart, stacked_bar_chart]),
    rows=st.lists(st.lists(values, min_size=0, max_size=40), min_size=1, max_size=3),
    rtl=st.booleans(),
)
def test_any_data_stays_inside_the_drawing(kind, rows, rtl):
    count = max(len(row) for row in rows)
    labels = [f"{day} Nov" for day in range(1, count + 1)]
    series = [Series(f"S{i}", row) for i, row in enumerate(rows)]
    root = parse(kind(labels, series, title="T", fmt=fmt, rtl=rtl))
    for rect in bars(root):
        assert 0 <= float(rect.get("x")) <= 360 and float(rect.get("height")) >= 0
        assert 0 <= float(rect.get("y")) <= float(rect.get("y")) + float(rect.get("height")) <= 200
    for text in root.iter(f"{SVG}text"):
        assert 0 <= float(text.get("x")) <= 360 and 0 <= float(text.get("y")) <= 200


@given(
    low=st.decimals(min_value=-(10**12), max_value=0, places=2),
    high=st.decimals(min_value=0, max_value=10**12, places=2),
    whole=st.booleans(),
)
def test_ticks_are_three_to_five_even_steps_around_the_data(low, high, whole):
    ticks = nice_ticks(low, high, whole)
    if low == high == 0:
        assert ticks == [0]
        return
    assert 3 <= len(ticks) <= 5
    assert ticks[0] <= low and ticks[-1] >= high and 0 in ticks
    steps = {b - a for a, b in zip(ticks, ticks[1:], strict=False)}
    assert len(steps) == 1
