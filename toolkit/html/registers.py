"""The edition's registers: every entity any document mentions, with its data (the first
document to give a value wins) and every passage that mentions it, gathered from the documents'
facts for the register pages and the search index."""

from __future__ import annotations

from typing import Any

#: entity type -> its register page
REGISTERS = {"person": "persons", "place": "places", "org": "organisations"}


def merge_entities(facts: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Every entity of every document: data merged (first value wins), mentions collected."""
    entities: dict[str, dict[str, Any]] = {}

    def entity(eid: str, etype: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
        e = entities.setdefault(eid, {"id": eid, "type": etype, "mentions": []})
        for k, v in (data or {}).items():
            if v and not e.get(k):
                e[k] = v
        return e

    for f in facts:
        data = f.get("entities", {})
        for m in f.get("mentions", []):
            if m.get("type") not in REGISTERS:
                continue
            e = entity(m["id"], m["type"], data.get(m["id"]))
            e.setdefault("name", m.get("name"))
            meant = m.get("meant") or ""
            meant_type = m.get("meant_type") or m["type"]
            e["mentions"].append(
                {
                    "doc": f["name"],
                    "doc_title": f.get("title", f["name"]),
                    "anchor": m.get("anchor", ""),
                    "text": m.get("text", ""),
                    "role": "figurative" if m.get("figurative") and meant else "name",
                    "other": meant,
                    "other_type": meant_type if meant else "",
                    "lang": f.get("language", ""),
                }
            )
            if m.get("figurative") and meant and meant_type in REGISTERS:
                target = entity(meant, meant_type, data.get(meant))
                target["mentions"].append(
                    {
                        "doc": f["name"],
                        "doc_title": f.get("title", f["name"]),
                        "anchor": m.get("anchor", ""),
                        "text": m.get("text", ""),
                        "role": "meant",
                        "other": m["id"],
                        "other_type": m["type"],
                        "lang": f.get("language", ""),
                    }
                )
    names = {eid: e.get("name") or eid for eid, e in entities.items()}
    for e in entities.values():
        for m in e["mentions"]:
            if m["other"]:
                m["other_name"] = names.get(m["other"], m["other"])
    return entities
