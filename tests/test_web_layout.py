"""The web page fits any screen from 360 to 1,920 CSS px, in Debian's headless Chromium: no page
scrolls sideways, a name cut short shows in full on hover, the journal's columns are named, and
labels drawn on a prediction never overlap.

Each page is photographed at each width into ``<basetemp>/screenshots/layout/`` (pytest's
``--basetemp`` folder, by default ``/tmp/pytest-of-<user>/pytest-<n>/``).
"""

from __future__ import annotations

import pytest

from .browser import monitor, open_page
from .web_cases import CASES

pytestmark = pytest.mark.slow

WIDTHS = (360, 400, 1024, 1920)
PAGES = ("overview", "deployment", "docs")
LONG_FILENAME = "camera-north-entrance-2026-12-04T20-15-00.000Z-frame-000123456.png"

# The page's width, the window's, and the first elements reaching past the window's right edge.
SIDEWAYS = """() => [document.documentElement.scrollWidth, window.innerWidth,
  [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
    .slice(0, 5).map(e => e.outerHTML.slice(0, 120))]"""

# Elements whose text is cut (clipped, or ellipsed) and the title that shows it in full.
CUT_TEXT = """() => [...document.querySelectorAll("body *")].filter(e => {
  if (e.scrollWidth > e.clientWidth + 1) {
    const style = getComputedStyle(e);
    return ["hidden", "clip"].includes(style.overflowX) && style.display !== "none";
  }
  return false;
}).map(e => ({text: e.textContent.replace(/\\s+/g, " ").trim(),
  title: (e.closest("[title]")?.title || "").replace(/\\s+/g, " ")}))"""

# Each label drawn on a prediction: its card, its text and the box the browser drew its letters
# and their outline in (half the stroke's width around the text), in the image's coordinates.
LABEL_BOXES = """els => els.map(e => {
  const box = e.getBBox();
  const halo = parseFloat(e.getAttribute("stroke-width") || "0") / 2;
  return {card: e.closest(".card").id, text: e.textContent, x: box.x - halo, y: box.y - halo,
          width: box.width + 2 * halo, height: box.height + 2 * halo};
})"""


def fill(mock) -> None:
    """A prediction of each type (one under a long filename) and some journal entries."""
    for type_, (raw, _) in CASES.items():
        monitor(mock, type_, raw)
    monitor(mock, "OBJECT_DETECTION", CASES["OBJECT_DETECTION"][0], filename=LONG_FILENAME)


def path_of(name: str, mock) -> str:
    return {
        "overview": "/",
        "deployment": f"/deployments/{mock.deployments['OBJECT_DETECTION']}",
        "docs": "/docs",
    }[name]


def show(page, mock, name: str, width: int, predictions: int | None = None) -> None:
    """``name`` at ``width`` px, once its predictions (those of ``fill`` by default) are drawn."""
    page.set_viewport_size({"width": width, "height": 900})
    expected = {"overview": len(CASES) + 1, "deployment": 2, "docs": None}[name]
    open_page(page, mock, path_of(name, mock), predictions or expected)
    if name != "docs":
        page.wait_for_selector("#entries .entry", timeout=10_000)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_no_page_scrolls_sideways(page, picsellia_mock, screenshots, name, width):
    fill(picsellia_mock)
    show(page, picsellia_mock, name, width)
    folder = screenshots / "layout"
    folder.mkdir(exist_ok=True)
    page.screenshot(path=str(folder / f"{name}-{width}.png"), full_page=name != "docs")
    wide = page.evaluate(SIDEWAYS)
    assert wide[0] <= wide[1], f"{name} at {width} px is {wide[0]} px wide: {wide[2]}"


@pytest.mark.parametrize("name", PAGES)
def test_a_name_cut_short_shows_in_full_on_hover(page, picsellia_mock, name):
    fill(picsellia_mock)
    show(page, picsellia_mock, name, 400)
    cut = page.evaluate(CUT_TEXT)
    assert [c for c in cut if c["text"] not in c["title"]] == []


def test_the_journal_columns_are_named_at_every_width(page, picsellia_mock):
    fill(picsellia_mock)
    for width in WIDTHS:
        show(page, picsellia_mock, "overview", width)
        shown = page.evaluate(
            """() => [".journal-head", "#entries .entry summary"].map(s =>
            [...document.querySelector(s).children].filter(c => c.offsetWidth > 0)
              .map(c => [Math.round(c.getBoundingClientRect().left), c.textContent.trim()]))"""
        )
        heads, cells = shown
        assert [h for h in heads if h[1]] == heads, "a visible column without a name"
        assert [left for left, _ in heads] == [left for left, _ in cells], width
        assert heads[0][1] == "Time" and "Status" in [text for _, text in heads]


def boxes_apart(a: dict, b: dict) -> bool:
    return (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_labels_drawn_on_a_crowded_prediction_never_overlap(page, picsellia_mock, screenshots):
    crowded = {  # twelve boxes a few pixels apart, the classes at once long and short
        "detection_classes": [i % 5 for i in range(12)],
        "detection_scores": [round(0.95 - i * 0.03, 2) for i in range(12)],
        "detection_boxes": [[10 + 3 * (i % 4), 10 + 9 * i, 70, 60 + 8 * i] for i in range(12)],
    }
    keypoints = {  # boxes beside keypoints, every instance starting near the same place
        "detection_classes": [0, 1, 2, 3],
        "detection_scores": [0.96, 0.75, 0.57, 0.4],
        "keypoints": [[[20 + 4 * i, 20 + 2 * i, 2], [60, 80, 1]] for i in range(4)],
        "detection_boxes": [[18 + i, 16 + 3 * i, 90, 100] for i in range(4)],
    }
    monitor(picsellia_mock, "OBJECT_DETECTION", crowded)
    monitor(picsellia_mock, "KEYPOINT", keypoints)
    show(page, picsellia_mock, "overview", 1280, predictions=2)
    labels = page.eval_on_selector_all(".overlay text.tag", LABEL_BOXES)
    assert len(labels) == 12 + 4 + 4  # a label per box, and per keypoint instance
    overlapping = [
        (a["text"], b["text"])
        for i, a in enumerate(labels)
        for b in labels[i + 1 :]
        if a["card"] == b["card"] and not boxes_apart(a, b)
    ]
    assert overlapping == []
    page.screenshot(path=str(screenshots / "crowded-labels.png"), full_page=True)
