"""Boxes: four numbers in pixels, in the order the type schema's ``x-geometry`` names them
(``coordinates``: ``[y1, x1, y2, x2]`` = ``[top, left, bottom, right]``, y first, today).

Warnings, each on the box's pointer: ``box_inverted`` (y1 > y2 or x1 > x2),
``box_outside_image`` (naming each coordinate past an edge of the image, and the edge), and
``box_axis_order_suspect``: a box outside the image as read, that fits it when read with the
axes swapped (x first, ``[x1, y1, x2, y2]``: the most common monitoring mistake). Swapping the
axes keeps a box's order, so an inverted box is inverted either way: only the image's edges
tell the two readings apart, and only on an image that is not square.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence

from .problems import Problem, is_json_number, pointer

# What each coordinate name means: its axis (0: x, against the width; 1: y, against the height)
# and the edge it stands for. Where each sits in a box is the schema's ``coordinates``.
MEANING = {"y1": (1, "top"), "x1": (0, "left"), "y2": (1, "bottom"), "x2": (0, "right")}
EDGES = (("left", "right"), ("top", "bottom"))  # per axis: the edge below 0, the one past size
SWAPPED = {"y1": "x1", "x1": "y1", "y2": "x2", "x2": "y2"}


@functools.cache
def layout(coordinates: tuple[str, ...]) -> tuple[int, int, int, int]:
    """Where y1, x1, y2 and x2 sit in a box whose coordinates are named ``coordinates``."""
    return tuple(coordinates.index(name) for name in ("y1", "x1", "y2", "x2"))


@functools.cache
def order(coordinates: tuple[str, ...]) -> str:
    """'[top, left, bottom, right] = [y1, x1, y2, x2], y first' for the schema's order."""
    edges = ", ".join(MEANING[name][1] for name in coordinates)
    return f"[{edges}] = [{', '.join(coordinates)}], {coordinates[0][0]} first"


def check_boxes(
    boxes: list, path: list, size: tuple | None, coordinates: tuple[str, ...]
) -> Iterator[Problem]:
    """The warnings of each box of four numbers (anything else is left to the schema)."""
    if size and boxes_fine(boxes, size, coordinates):  # the usual case, told in one pass
        return
    for i, box in enumerate(boxes):
        if not (isinstance(box, list) and len(box) == 4 and all(map(is_json_number, box))):
            continue
        where = pointer([*path, i])
        y1, x1, y2, x2 = (box[at] for at in layout(coordinates))
        if y1 > y2 or x1 > x2:
            message = f"{box} is not {order(coordinates)}: y1 > y2 or x1 > x2"
            yield Problem("box_inverted", where, message)
        crossed = list(_crossings(box, size, coordinates)) if size else []
        if crossed:
            message = (
                f"{box} reaches outside the {size[0]} x {size[1]} image: "
                f"{'; '.join(crossed)} (a box is {order(coordinates)})"
            )
            yield Problem("box_outside_image", where, message)
            swapped = tuple(SWAPPED[name] for name in coordinates)
            if boxes_fine([box], size, swapped):
                fixed = [box[swapped.index(name)] for name in coordinates]
                message = (
                    f"{box} fits the {size[0]} x {size[1]} image only when read "
                    f"{swapped[0][0]}-first, as [{', '.join(swapped)}]: the axes look swapped; "
                    f"as {order(coordinates)}, it is {fixed}"
                )
                yield Problem("box_axis_order_suspect", where, message)


def _crossings(box: Sequence, size: tuple, coordinates: tuple[str, ...]) -> Iterator[str]:
    """'x2 = 700 is past the right edge (640)' for each coordinate outside the image."""
    for name, value in zip(coordinates, box, strict=True):
        axis = MEANING[name][0]
        below, beyond = EDGES[axis]
        if value < 0:
            yield f"{name} = {value} is past the {below} edge (0)"
        elif value > size[axis]:
            yield f"{name} = {value} is past the {beyond} edge ({size[axis]})"


def boxes_fine(boxes: list, size: tuple, coordinates: tuple[str, ...]) -> bool:
    """Whether every box, read with ``coordinates``, is in order and inside the image: nothing
    to report. (A box with a bool in it may pass: check_boxes would skip it too, as not four
    numbers.)"""
    top, left, bottom, right = layout(coordinates)
    try:
        width, height = size
        for box in boxes:
            if len(box) != 4:
                return False
            if not (
                0 <= box[top] <= box[bottom] <= height and 0 <= box[left] <= box[right] <= width
            ):
                return False
    except (TypeError, ValueError, KeyError, IndexError):  # not a list of comparable numbers
        return False
    return True
