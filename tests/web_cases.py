"""What the browser tests post, type by type, and the shapes the page must draw for it."""

# raw_predictions posted on a 160 x 120 image, and the shapes the page must draw: (kind,
# instance index, where). A box is [y1, x1, y2, x2] on the wire and x, y, width, height drawn.
CASES = {
    "CLASSIFICATION": (
        {"detection_classes": [1, 3], "detection_scores": [0.91, 0.4]},
        [("label", 0, "truck 0.91"), ("label", 1, "person 0.40")],
    ),
    "OBJECT_DETECTION": (
        {
            "detection_classes": [0, 2],
            "detection_scores": [0.9, 0.8],
            "detection_boxes": [[10, 20, 60, 100], [30, 5, 110, 40]],
        },
        [("box", 0, (20, 10, 80, 50)), ("box", 1, (5, 30, 35, 80))],
    ),
    "SEGMENTATION": (
        {
            "detection_classes": [0, 3],
            "detection_scores": [0.8, 0.6],
            "detection_masks": [
                [[10, 10], [60, 10], [60, 40], [10, 40]],
                [[80, 60], [150, 60], [120, 110]],
            ],
        },
        [
            ("polygon", 0, ((10, 10), (60, 10), (60, 40), (10, 40))),
            ("polygon", 1, ((80, 60), (150, 60), (120, 110))),
        ],
    ),
    "POINT": (
        {
            "detection_classes": [1, 0],
            "detection_scores": [0.6, 0.55],
            "points": [[12, 40], [100, 7]],
        },
        [("point", 0, (12, 40)), ("point", 1, (100, 7))],
    ),
    "KEYPOINT": (
        {
            "detection_classes": [3, 3],
            "detection_scores": [0.77, 0.5],
            "keypoints": [[[20, 30, 2], [25, 35, 1], [30, 40, 0]], [[100, 50, 2], [110, 60, 2]]],
        },
        [
            ("keypoint", 0, (0, 20, 30, 2)),
            ("keypoint", 0, (1, 25, 35, 1)),
            ("keypoint", 0, (2, 30, 40, 0)),
            ("keypoint", 1, (0, 100, 50, 2)),
            ("keypoint", 1, (1, 110, 60, 2)),
        ],
    ),
    "LINE": (
        {
            "detection_classes": [0],
            "detection_scores": [0.9],
            "lines": [[[0, 0], [50, 50], [90, 60]]],
        },
        [("line", 0, ((0, 0), (50, 50), (90, 60)))],
    ),
    "MASK": (
        {
            "detection_classes": [1, 4],
            "detection_scores": [0.5, 0.45],
            "detection_masks": ["opaque-mask-encoding", "rle:4 2 9 3"],
        },
        [("mask", 0, "opaque-mask-encoding"), ("mask", 1, "rle:4 2 9 3")],
    ),
}
