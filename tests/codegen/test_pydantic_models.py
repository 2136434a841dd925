"""datamodel-code-generator's pydantic models of the bundle: lossless, and as strict as a type.

Every valid vector and schema example goes into the models and back unchanged; every invalid
vector whose problems are all structural (missing or unknown keys, wrong types, values, ranges,
lengths, patterns) is refused. What types cannot hold (exactly one of image and cloud_image,
list lengths, image bytes) is left to the validator and the vectors.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import sys

import pytest

from ..helpers import require
from .helpers import BUNDLE, component_name, run, same_json, structurally_invalid, valid_samples

require("pydantic", "codegen")
import pydantic  # noqa: E402

pytestmark = pytest.mark.slow
OPTIONS = [
    "--input-file-type=openapi",
    "--output-model-type=pydantic_v2.BaseModel",
    "--field-constraints",
    "--use-missing-sentinel",  # absent is not null: an optional key may not be sent as null
    "--target-pydantic-version=2.14",
    "--strict-types",  # no coercion: "5" is not a height, "True" not a boolean
    "str",
    "int",
    "float",
    "bool",
    "--target-python-version=3.10",
    "--use-standard-collections",
    "--use-union-operator",
    "--disable-timestamp",
    "--formatters=builtin",
]


@pytest.fixture(scope="module")
def models(generated):
    output = generated / "pydantic_models.py"
    tool = f"{sys.prefix}/bin/datamodel-codegen"
    run([tool, "--input", BUNDLE, "--output", output, *OPTIONS])
    spec = importlib.util.spec_from_file_location("picsellia_pydantic_models", output)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # pydantic resolves the models' forward references there
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def model(models, message: str) -> type[pydantic.BaseModel]:
    return getattr(models, component_name(message))


@pytest.mark.parametrize("message, deployment_type, data", valid_samples())
def test_models_turn_every_valid_sample_into_objects_and_back_unchanged(
    models, message, deployment_type, data
):
    parsed = model(models, message).model_validate(copy.deepcopy(data))
    back = parsed.model_dump(mode="json", by_alias=True, exclude_unset=True)
    assert same_json(back, data), json.dumps(back)


@pytest.mark.parametrize("message, data", structurally_invalid())
def test_models_refuse_every_structurally_invalid_vector(models, message, data):
    with pytest.raises(pydantic.ValidationError):
        model(models, message).model_validate(copy.deepcopy(data))
