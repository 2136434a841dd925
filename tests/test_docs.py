"""The README and the porting guide stay true: commands, links, CI."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_readme_starts_with_the_serve_and_test_commands():
    block = ROOT.joinpath("README.md").read_text().split("```sh\n", 1)[1].split("```", 1)[0]
    serve, test = block.strip().splitlines()
    assert serve == "python3 -m pip install -e . && picsellia-mock serve"
    assert test == "python3 -m pip install -e '.[test]' && python3 -m pytest"
    ci = ROOT.joinpath(".ci", "run").read_text()
    assert ci.strip().splitlines()[-1] == test
    assert "export CI=true" in ci


def test_every_linked_file_exists():
    for doc in (
        ROOT / "README.md",
        ROOT / "docs" / "porting-guide.md",
        ROOT / "schemas" / "vectors" / "README.md",
    ):
        for target in re.findall(r"\]\(([^)#]+)\)", doc.read_text()):
            if not target.startswith("http"):
                assert (doc.parent / target).exists(), (doc.name, target)


def test_every_code_the_guide_names_is_catalogued():
    from picsellia_contract import error_catalogue

    text = ROOT.joinpath("docs", "porting-guide.md").read_text()
    named = set(re.findall(r"`([a-z]+(?:_[a-z]+)+)`", text))
    fields = {
        "detection_classes",
        "detection_scores",
        "detection_texts",
        "content_type",
        "cloud_image",
        "shadow_latency",
        "shadow_raw_predictions",
        "raw_predictions",
        "custom_metadata",
        "upload_dir",
        "prediction_id",
        "max_body_bytes",
        "reject_duplicates",
        "api_token",
        "advance_seconds",
        "delay_ms",
        "retry_after",
    }
    assert named - fields - set(error_catalogue()) == set()
