"""Charts of the recap drawn on the server as inline SVG (matplotlib's SVG backend on a
`Figure` of its own: no pyplot, no global figure state). The desk's Content-Security-Policy
allows no inline style, so the SVG's `style` attributes become presentation attributes and its
`<style>` element goes. Each chart carries a <title> and stands beside the table of its numbers."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from markupsafe import Markup
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG)
ET.register_namespace("xlink", XLINK)

COLOUR = "#7a1f1f"


def bar_chart(title: str, labels: Sequence[str], values: Sequence[float]) -> Markup:
    """A horizontal bar chart, first label on top, each bar with its value written at its end."""
    height = 1.0 + 0.38 * max(1, len(labels))
    figure = Figure(figsize=(7.5, height), dpi=96)
    FigureCanvasSVG(figure)
    axes = figure.add_subplot()
    positions = list(range(len(labels)))
    bars = axes.barh(positions, list(values), color=COLOUR)
    axes.set_yticks(positions, [_short(x) for x in labels])
    axes.invert_yaxis()
    axes.bar_label(bars, labels=[_number(v) for v in values], padding=3, fontsize=9)
    axes.set_title(title, fontsize=11, loc="left")
    if all(float(v).is_integer() for v in values):  # counts: no "0.2 of a case" on the axis
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.spines[["top", "right"]].set_visible(False)
    axes.margins(x=0.15)
    axes.tick_params(labelsize=9)
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg")
    return Markup(inline_svg(buffer.getvalue(), title))


def _short(label: str, width: int = 40) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def inline_svg(document: str, title: str) -> str:
    """`document` as an element to place in a page: no XML prolog, no style attribute or
    element (their declarations become presentation attributes), a <title> and role="img"."""
    root = ET.fromstring(document)
    for parent in root.iter():
        for child in list(parent):
            if child.tag == f"{{{SVG}}}style":
                parent.remove(child)
    root.set("stroke-linejoin", "round")  # what the removed <style> set for every element
    root.set("stroke-linecap", "butt")
    for element in root.iter():
        style = element.attrib.pop("style", None)
        if style:
            for declaration in style.split(";"):
                name, _, value = declaration.partition(":")
                if name.strip() and value.strip():
                    element.set(name.strip(), value.strip())
    heading = ET.Element(f"{{{SVG}}}title")
    heading.text = title
    root.insert(0, heading)
    root.set("role", "img")
    root.set("class", "chart")
    return ET.tostring(root, encoding="unicode")
