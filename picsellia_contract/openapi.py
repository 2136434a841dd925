"""The OpenAPI document, as written (``$ref`` to the schema files) or bundled into one document.

``schemas/openapi.json`` refers to the schema files; most code generators read one file only, so
``schemas/openapi.bundled.json`` is generated from it (``python -m picsellia_contract.openapi``):
every schema file reached by a ``$ref``, and every ``$defs`` entry referenced, becomes a component
named by its title in PascalCase (``Monitoring prediction request`` ->
``MonitoringPredictionRequest``, ``Box``), every ``$ref`` becomes ``#/components/schemas/<Name>``,
and ``$id``/``$schema`` go. A reference to any other part of a file (a property) is replaced by a
copy of its target. Annotations (``x-...``) are kept as written.
"""

from __future__ import annotations

import copy
import functools
import json
import re
import sys
from pathlib import Path
from typing import Any

from . import concrete
from .problems import MISSING, resolve
from .registry import BASE_URI, load_schema, schema_dir

BUNDLE_FILE = "openapi.bundled.json"
COMPONENTS = "#/components/schemas/"
_WORD = re.compile(r"[A-Za-z0-9]+")


def openapi_document() -> dict[str, Any]:
    """``schemas/openapi.json`` as written."""
    text = (schema_dir() / "openapi.json").read_text(encoding="utf-8")
    return json.loads(text)


def bundled_openapi() -> dict[str, Any]:
    """The self-contained document, computed from the split files (a fresh copy each call)."""
    return copy.deepcopy(_bundled())


def bundle_text() -> str:
    """The bundled document as ``schemas/openapi.bundled.json`` holds it (indent 2)."""
    return json.dumps(_bundled(), indent=2, ensure_ascii=False) + "\n"


def bundle_path() -> Path:
    return schema_dir() / BUNDLE_FILE


def pascal_case(text: str) -> str:
    """``Raw predictions, object detection`` -> ``RawPredictionsObjectDetection``."""
    return "".join(word[0].upper() + word[1:] for word in _WORD.findall(text))


def referenced_files(node: Any) -> set[str]:
    """Stems of the other schema files that ``node`` refers to."""
    found = set()
    if isinstance(node, dict):
        target = node.get("$ref")
        if isinstance(target, str) and not target.startswith("#"):
            found.add(_split(target, None)[0])
        for value in node.values():
            found |= referenced_files(value)
    elif isinstance(node, list):
        for value in node:
            found |= referenced_files(value)
    return found


def _split(target: str, current: str | None) -> tuple[str, str]:
    """``common.json#/$defs/box`` -> ``("common", "/$defs/box")``; ``#/$defs/x`` stays in file."""
    file_part, _, fragment = target.removeprefix(BASE_URI).partition("#")
    stem = file_part.removesuffix(".json") or current
    if stem is None:
        raise ValueError(f"a local reference {target!r} outside any schema file")
    return stem, fragment


def _resolve(stem: str, fragment: str) -> Any:
    node = resolve(load_schema(stem), fragment)
    if node is MISSING:
        raise KeyError(f"{stem}.json#{fragment} leads nowhere")
    return node


def _is_component(fragment: str) -> bool:
    """A whole file, or one ``$defs`` entry: each becomes a named component."""
    return fragment == "" or re.fullmatch(r"/\$defs/[^/]+", fragment) is not None


def _name(stem: str, fragment: str) -> str:
    schema = _resolve(stem, fragment)
    fallback = fragment.rsplit("/", 1)[-1] if fragment else stem
    return pascal_case(schema.get("title") or fallback)


class _Bundler:
    """Collects the components reachable from the document, one name per (file, fragment)."""

    def __init__(self) -> None:
        self.names: dict[tuple[str, str], str] = {}
        self.components: dict[str, Any] = {}
        self.pending: list[tuple[str, str]] = []

    def component_ref(self, key: tuple[str, str]) -> str:
        if key not in self.names:
            name = _name(*key)
            taken = {n: k for k, n in self.names.items()}
            if name in taken:
                clash = f"{taken[name]} and {key}"
                raise ValueError(f"two schemas would both be component {name}: {clash}")
            self.names[key] = name
            self.pending.append(key)
        return COMPONENTS + self.names[key]

    def rewrite(self, node: Any, current: str | None) -> Any:
        """A copy of ``node`` with every reference pointing at components/schemas."""
        if isinstance(node, list):
            return [self.rewrite(value, current) for value in node]
        if not isinstance(node, dict):
            return node
        target = node.get("$ref")
        rest = {k: self.rewrite(v, current) for k, v in node.items() if k != "$ref"}
        if not isinstance(target, str) or target.startswith("#/components/"):
            return rest if target is None else {"$ref": target, **rest}
        stem, fragment = _split(target, current)
        if _is_component(fragment):
            return {"$ref": self.component_ref((stem, fragment)), **rest}
        return {**self.rewrite(_resolve(stem, fragment), stem), **rest}

    def run(self, document: dict[str, Any]) -> dict[str, Any]:
        written = document.get("components", {}).pop("schemas", {})
        kept = {k: v for k, v in written.items() if set(v) != {"$ref"}}  # bare refs: reached anyway
        for value in written.values():
            if set(value) == {"$ref"}:
                self.component_ref(_split(value["$ref"], None))
        bundled = self.rewrite(document, None)
        while self.pending:
            stem, fragment = self.pending.pop()
            schema = copy.deepcopy(_resolve(stem, fragment))
            for key in ("$id", "$schema", "$defs"):
                schema.pop(key, None)
            self.components[self.names[stem, fragment]] = self.rewrite(schema, stem)
        schemas = {**self.rewrite(kept, None), **self.components}
        bundled.setdefault("components", {})
        bundled["components"] = {"schemas": dict(sorted(schemas.items())), **bundled["components"]}
        return bundled


@functools.cache
def _bundled() -> dict[str, Any]:
    return _Bundler().run(openapi_document())


def concrete_components() -> dict[str, dict[str, str]]:
    """``components.schemas`` entries of ``openapi.json`` for the concrete messages (bare refs:
    no operation refers to them, the operations describe the wire's unions)."""
    return {
        _name(stem, ""): {"$ref": f"{stem}.json"}
        for stem in sorted(concrete.concrete_names().values())
    }


def document_text() -> str:
    """``schemas/openapi.json`` with its concrete components listed (indent 2)."""
    document = openapi_document()
    written = document["components"]["schemas"]
    generated = {f"{stem}.json" for stem in concrete.concrete_names().values()}
    kept = {k: v for k, v in written.items() if v.get("$ref") not in generated}
    document["components"]["schemas"] = {**kept, **concrete_components()}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def stale() -> list[str]:
    """The generated files of ``schemas/`` that are not what the split files give."""
    found = concrete.stale_files()
    if (schema_dir() / "openapi.json").read_text(encoding="utf-8") != document_text():
        found.append("openapi.json")
    current = bundle_path().read_text(encoding="utf-8") if bundle_path().exists() else ""
    if found or current != bundle_text():
        found.append(bundle_path().name)
    return found


def write() -> list[str]:
    """Write the concrete messages, their components in ``openapi.json``, then the bundle."""
    changed = concrete.write_files()
    reload()  # the registry may have been read before the files changed
    text = document_text()
    if (schema_dir() / "openapi.json").read_text(encoding="utf-8") != text:
        (schema_dir() / "openapi.json").write_text(text, encoding="utf-8")
        changed.append("openapi.json")
        reload()
    bundle_path().write_text(bundle_text(), encoding="utf-8")
    return changed


def reload() -> None:
    """Forget every schema read so far (after the generated files were rewritten)."""
    loaded = sys.modules[load_schema.__module__]  # the package's name "registry" is a function
    for name in ("_documents", "registry", "_validator", "_fast_validator", "_inline_references"):
        getattr(loaded, name).cache_clear()
    _bundled.cache_clear()


def main(argv: list[str] | None = None) -> int:
    """``python -m picsellia_contract.openapi [--check]``: write (or check) the generated files:
    the concrete messages, their entries in ``openapi.json``, the bundle."""
    args = sys.argv[1:] if argv is None else argv
    if "--check" in args:
        found = stale()
        if found:
            names = ", ".join(found)
            print(f"stale: {names}: run python -m picsellia_contract.openapi", file=sys.stderr)
            return 1
        return 0
    changed = write()
    count = len(_bundled()["components"]["schemas"])
    print(f"wrote {bundle_path()} ({count} schemas); regenerated: {', '.join(changed) or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
