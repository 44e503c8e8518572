"""What `hwsolver mine` prints: text (templates/mine/report.txt.j2), JSON, or the `mistakes:` blocks alone."""

from __future__ import annotations

import json
from typing import Any

from hwsolver.mine import Mining
from hwsolver.render import render

_SHOWN = 120  # characters of an answer shown in the text report


def mining_text(mining: Mining) -> str:
    return render("mine/report.txt.j2", m=mining, shorten=_shorten)


def mining_yaml(mining: Mining) -> str:
    """The blocks, each its own YAML document (a comment names its problem file)."""
    if not mining.blocks:
        return "# no shared wrong answer left unexplained: no mistakes to add\n"
    return "---\n".join(mining.blocks.values())


def mining_json(mining: Mining) -> str:
    document: dict[str, Any] = {
        "min_students": mining.min_students,
        "submissions": mining.submissions,
        "not_kept": mining.not_kept,
        "unreadable": mining.unreadable,
        "other_variants": mining.other_variants,
        "varied": list(mining.varied),
        "groups": [
            {
                "problem": f.group.problem,
                "part": f.group.part,
                "size": f.group.size,
                "students": f.group.students,
                "answer": f.group.text,
                "spellings": f.group.spellings,
                "explanations": [{"how": e.how, "text": e.text, "mistakes": list(e.mistakes)} for e in f.explanations],
                "mistake": f.mistake,
            }
            for f in mining.found
        ],
        "mistakes": mining.blocks,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _shorten(text: str) -> str:
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."
