"""A problem's own wrong answers (`mistakes:`), as far as they can be checked before the problem is solved: ids,
parts, feedback and credit. Each value is kept as its node and read once the part's answer is known
(grading/lecturer.py), as a student's answer is, so that its shape is checked where it stands.

```yaml
mistakes:
  - id: hidden_layer_skipped
    answers: {output_before: 0.31, loss_before: 0.01805}
    feedback: {en: The hidden layer was left out of the forward pass., zh: 前向传播漏掉了隐藏层。}
    credit: 1/4
```
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from hwsolver.kinds.base import Kind
from hwsolver.model import LecturerMistake
from hwsolver.spec.node import Node
from hwsolver.spec.options import share

_ID = re.compile(r"[a-z][a-z0-9_]*")
_KEYS = ("id", "answers", "feedback", "credit")


def read_mistakes(
    node: Node,
    kind: Kind,
    answerable: tuple[str, ...],
    asked: tuple[str, ...],
    languages: Callable[[Node], Mapping[str, str]],
) -> tuple[LecturerMistake, ...]:
    """The `mistakes:` list: ids unique and none of the kind's, answers for parts the kind answers (one at least
    asked), feedback read by `languages` (as titles are), credit a share from 0 to 1."""
    found: list[LecturerMistake] = []
    for item in node.items():
        fields = item.fields(_KEYS)
        id_node = fields["id"]
        mistake_id = id_node.text()
        if not _ID.fullmatch(mistake_id):
            raise id_node.error(f"mistake id '{mistake_id}' must be snake_case (lowercase letters, digits and _)")
        if mistake_id in kind.credits:
            raise id_node.error(f"'{mistake_id}' is one of kind {kind.name}'s own mistakes: choose another id")
        if any(m.id == mistake_id for m in found):
            raise id_node.error(f"mistake '{mistake_id}' is listed twice")
        answers = fields["answers"].mapping()
        for part_id, value in answers.items():
            if part_id not in answerable:
                known = ", ".join(answerable)
                raise value.error(f"kind {kind.name} cannot answer part '{part_id}'; it answers: {known}")
            if value.is_null:
                raise value.error("expected the wrong answer, got nothing")
        if not any(part_id in asked for part_id in answers):
            raise fields["answers"].error(
                f"expected an answer to a part the problem asks ({', '.join(asked)}): this mistake would never be named"
            )
        feedback = languages(fields["feedback"])
        found.append(LecturerMistake(mistake_id, dict(answers), feedback, share(fields["credit"]), id_node.where))
    return tuple(found)
