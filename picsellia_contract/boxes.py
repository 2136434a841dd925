"""Boxes: ``[y1, x1, y2, x2]`` = ``[top, left, bottom, right]``, y first, in pixels.

Warnings, each on the box's pointer: ``box_inverted`` (y1 > y2 or x1 > x2),
``box_outside_image`` (naming each coordinate past an edge of the image, and the edge), and
``box_axis_order_suspect``: a box outside the image as read, that fits it when read x-first,
``[x1, y1, x2, y2]`` (the most common monitoring mistake). Swapping the axes keeps a box's
order, so an inverted box is inverted either way: only the image's edges tell the two readings
apart, and only on an image that is not square.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .problems import Problem, pointer

ORDER = "[top, left, bottom, right] = [y1, x1, y2, x2], y first"
# (name, index in the box, axis: 0 for x against the width, 1 for y against the height)
COORDINATES = (("y1", 0, 1), ("x1", 1, 0), ("y2", 2, 1), ("x2", 3, 0))
EDGES = (("left", "right"), ("top", "bottom"))  # per axis: the edge below 0, the one past size


def check_boxes(boxes: list, path: list, size: tuple | None) -> Iterator[Problem]:
    """The warnings of each box of four numbers (anything else is left to the schema)."""
    if size and boxes_fine(boxes, size):  # the usual case, told in one pass
        return
    for i, box in enumerate(boxes):
        if not (isinstance(box, list) and len(box) == 4 and all(map(_is_number, box))):
            continue
        where = pointer([*path, i])
        y1, x1, y2, x2 = box
        if y1 > y2 or x1 > x2:
            message = f"{box} is not [top, left, bottom, right]: y1 > y2 or x1 > x2"
            yield Problem("box_inverted", where, message)
        crossed = list(_crossings(box, size)) if size else []
        if crossed:
            message = (
                f"{box} reaches outside the {size[0]} x {size[1]} image: "
                f"{'; '.join(crossed)} (a box is {ORDER})"
            )
            yield Problem("box_outside_image", where, message)
            if _fits_x_first(box, size):
                swapped = [box[1], box[0], box[3], box[2]]
                message = (
                    f"{box} fits the {size[0]} x {size[1]} image only when read x-first, as "
                    f"[x1, y1, x2, y2]: the axes look swapped; as {ORDER}, it is {swapped}"
                )
                yield Problem("box_axis_order_suspect", where, message)


def _crossings(box: Sequence, size: tuple) -> Iterator[str]:
    """'x2 = 700 is past the right edge (640)' for each coordinate outside the image."""
    for name, index, axis in COORDINATES:
        value, limit = box[index], size[axis]
        below, beyond = EDGES[axis]
        if value < 0:
            yield f"{name} = {value} is past the {below} edge (0)"
        elif value > limit:
            yield f"{name} = {value} is past the {beyond} edge ({limit})"


def _fits_x_first(box: Sequence, size: tuple) -> bool:
    """Whether ``box`` read as [x1, y1, x2, y2] is in order and inside the image."""
    x1, y1, x2, y2 = box
    width, height = size
    return 0 <= x1 <= x2 <= width and 0 <= y1 <= y2 <= height


def boxes_fine(boxes: list, size: tuple) -> bool:
    """Whether every box is in order and inside the image: nothing to report. (A box with a
    bool in it may pass: check_boxes would skip it too, as not four numbers.)"""
    try:
        width, height = size
        for y1, x1, y2, x2 in boxes:
            if not (0 <= y1 <= y2 <= height and 0 <= x1 <= x2 <= width):
                return False
    except (TypeError, ValueError):  # not four items, or not comparable: check_boxes says what
        return False
    return True


def _is_number(value) -> bool:
    return type(value) in (int, float)  # JSON numbers; bool is not one
