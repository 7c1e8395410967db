"""Write N generated flows into M flow files, mixing lawful and unlawful flows across every matrix row.

Deterministic by seed: the same arguments give byte-identical files. Every flow is built from the policy pack's
own catalogue, so the set follows the matrix when the matrix changes.

    python bench/generate.py --flows 10000 --files 1000 --out /tmp/flows [--seed 1] [--unlawful 0.2]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path
from typing import Any

import yaml

CATALOGUE = Path(__file__).resolve().parent.parent / "policies" / "ketencheck" / "catalogue"


def _section(name: str) -> Any:
    return yaml.safe_load((CATALOGUE / name / "data.yaml").read_text(encoding="utf-8"))


def lawful_flows() -> list[dict[str, Any]]:
    """One lawful flow per (row, recipient, document): the row's form, extract, bases and channel."""
    documents = _section("documents")
    rows = _section("matrix")["rows"]
    out: list[dict[str, Any]] = []
    for row in rows:
        docs = sorted(documents) if "*" in row["documents"] else row["documents"]
        for recipient in row["recipients"]:
            for doc in docs:
                originator = documents[doc]["originator"]
                flow: dict[str, Any] = {
                    "from": originator if originator != recipient else "IND",
                    "to": recipient,
                    "document": doc,
                    "form": row["form"],
                    "purpose": row["purpose"],
                    "legal_basis": list(row["bases"]),
                    "retention": "P4W",
                }
                if row["form"] == "extract":
                    held = set(documents[doc]["fields"])
                    flow["fields"] = [f for f in row["fields"] if f in held]
                if "channel" in row:
                    flow["channel"] = row["channel"]
                out.append(flow)
    return out


def _unlawful(flow: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """One of the typical mistakes: integral instead of extract, a surplus field, a wrong purpose, a missing basis."""
    bad = dict(flow)
    kind = rng.randrange(4)
    if kind == 0 and flow["form"] == "extract":
        bad["form"] = "integral"
        bad.pop("fields")
    elif kind == 1 and flow["form"] == "extract":
        bad["fields"] = [*flow["fields"], "asielmotief"] if "asielmotief" not in flow["fields"] else flow["fields"]
    elif kind == 2:
        bad["purpose"] = "opvang" if flow["purpose"] != "opvang" else "terugkeer"
    else:
        bad["legal_basis"] = flow["legal_basis"][:1]
    return bad


def generate(flows: int, files: int, seed: int, unlawful: float) -> list[list[dict[str, Any]]]:
    """The flows of each file, in order."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible benchmark set, not a secret
    templates = lawful_flows()
    per_file: list[list[dict[str, Any]]] = [[] for _ in range(files)]
    for i in range(flows):
        flow = templates[i % len(templates)]
        if rng.random() < unlawful:
            flow = _unlawful(flow, rng)
        per_file[i % files].append({"id": f"flow-{i:06d}", **flow})
    return [f for f in per_file if f]


def _yaml(flows: list[dict[str, Any]]) -> str:
    # Block style for the mapping, flow style for lists: how people write flow files.
    lines = ["version: 1", "flows:"]
    for flow in flows:
        first = True
        for key, value in flow.items():
            text = f"[{', '.join(value)}]" if isinstance(value, list) else str(value)
            lines.append(f"  {'- ' if first else '  '}{key}: {text}")
            first = False
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flows", type=int, required=True)
    parser.add_argument("--files", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--unlawful", type=float, default=0.2, help="share of flows with a typical mistake")
    parser.add_argument("--json", action="store_true", help="write *.flow.json instead of *.flow.yaml")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for n, flows in enumerate(generate(args.flows, args.files, args.seed, args.unlawful)):
        if args.json:
            text = json.dumps({"version": 1, "flows": flows}, indent=2) + "\n"
            (args.out / f"set-{n:05d}.flow.json").write_text(text, encoding="utf-8")
        else:
            (args.out / f"set-{n:05d}.flow.yaml").write_text(_yaml(flows), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
