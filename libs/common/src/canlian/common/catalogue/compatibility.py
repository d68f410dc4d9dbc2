"""Is a new schema of an event type's data a safe successor of the published one?

The rule (docs/events/README.md): within one schema version, fields may be added (optional)
and descriptions may change; removing a field, changing its type, or making a field required
that was not, is breaking and needs the next `schema_version` (a new type version, published
beside the old one)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

Schema = dict[str, Any]


def _resolve(node: Schema, root: Schema) -> Schema:
    seen = 0
    while "$ref" in node and seen < 32:
        ref = str(node["$ref"])
        if not ref.startswith("#/"):
            break
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part]
        node = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
        seen += 1
    return node


def _members(node: Schema, root: Schema) -> list[Schema]:
    node = _resolve(node, root)
    for key in ("anyOf", "oneOf"):
        if key in node:
            return [m for member in node[key] for m in _members(member, root)]
    return [node]


def _kind_of(member: Schema) -> str:
    if "const" in member:
        return type(member["const"]).__name__.replace("str", "string").replace("int", "integer")
    kinds = member.get("type")
    if kinds is None and "enum" in member:
        values = {type(value).__name__ for value in member["enum"]}
        kinds = "string" if values == {"str"} else "integer" if values == {"int"} else "any"
    if kinds is None:
        return "object" if "properties" in member else "any"
    if isinstance(kinds, list):
        return "|".join(sorted(str(kind) for kind in kinds))
    fmt = member.get("format")
    return f"{kinds}:{fmt}" if fmt else str(kinds)


def _kinds(node: Schema, root: Schema) -> frozenset[str]:
    return frozenset(_kind_of(member) for member in _members(node, root))


def _part(node: Schema, root: Schema, kind: str) -> Schema | None:
    found = [m for m in _members(node, root) if _kind_of(m) == kind]
    return found[0] if len(found) == 1 else None


def _compare(
    old: Schema, new: Schema, old_root: Schema, new_root: Schema, path: str
) -> Iterator[str]:
    old_kinds, new_kinds = _kinds(old, old_root), _kinds(new, new_root)
    if old_kinds != new_kinds:
        yield (
            f"field {path} changed type from {'|'.join(sorted(old_kinds))} "
            f"to {'|'.join(sorted(new_kinds))}"
        )
        return
    old_object, new_object = _part(old, old_root, "object"), _part(new, new_root, "object")
    if old_object is not None and new_object is not None:
        yield from _compare_objects(old_object, new_object, old_root, new_root, path)
    old_array, new_array = _part(old, old_root, "array"), _part(new, new_root, "array")
    if old_array is not None and new_array is not None:
        yield from _compare(
            old_array.get("items", {}), new_array.get("items", {}), old_root, new_root, f"{path}[]"
        )


def _compare_objects(
    old: Schema, new: Schema, old_root: Schema, new_root: Schema, path: str
) -> Iterator[str]:
    old_fields: dict[str, Schema] = old.get("properties", {})
    new_fields: dict[str, Schema] = new.get("properties", {})
    prefix = f"{path}." if path else ""
    for name, old_field in old_fields.items():
        if name not in new_fields:
            yield f"field {prefix}{name} was removed"
            continue
        yield from _compare(old_field, new_fields[name], old_root, new_root, f"{prefix}{name}")
    newly_required = set(new.get("required", [])) - set(old.get("required", []))
    for name in sorted(newly_required):
        added = "added" if name not in old_fields else "made"
        yield f"field {prefix}{name} {added} required"


def breaking_changes(published: Schema, current: Schema) -> list[str]:
    """What in `current` breaks readers of `published` (empty: compatible)."""
    return list(_compare_objects(published, current, published, current, ""))
