"""A graded class and the rosters the LMSs export for it, for the export tests.

Graded: PB21000001 (2.5 of 4), pb21000002 (4: its id in another case than the rosters'), PB21000003 (0.8889: not
in any roster), and a file that could not be graded. Every roster also has PB21000009, who submitted nothing.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any


def _part(part_id: str, score: Any, points: int, verdict: str, feedback: str = "", hint: str = "", mistake=None):
    return {
        "id": part_id,
        "score": score,
        "max_score": points,
        "verdict": verdict,
        "feedback": feedback,
        "feedback_without_expected": hint or feedback,
        "mistake": mistake,
        "follow_through": False,
    }


SIGN = "The update moved along the gradient instead of against it: w - eta*g, not w + eta*g."
STUDENTS = [
    (
        "PB21000001",
        2.5,
        [
            _part("output_before", 1, 1, "correct"),
            _part(
                "params_after",
                1.5,
                3,
                "partial",
                f"{SIGN} (6 of 6 entries wrong, counting from 1: W1[1,1] (expected 0.6226) and 5 more)",
                f"{SIGN} (6 of 6 entries wrong, counting from 1: W1[1,1] and 5 more)",
                "sign_flipped",
            ),
        ],
    ),
    ("pb21000002", 4, [_part("output_before", 1, 1, "correct"), _part("params_after", 3, 3, "correct")]),
    (
        "PB21000003",
        0.8889,
        [
            _part("output_before", 0, 1, "missing", "no answer"),
            _part(
                "params_after",
                0.8889,
                3,
                "partial",
                "1 of 6 entries wrong: W2[1,2] (expected 0.85198) <b>",
                "1 of 6 entries wrong: W2[1,2] <b>",
            ),
        ],
    ),
]


def grades_document(students: list | None = None) -> dict[str, Any]:
    submissions = [
        {
            "file": f"in/{student}.yaml",
            "student": student,
            "score": score,
            "max_score": 4,
            "error": None,
            "problems": [{"id": "relu-network-update", "score": score, "max_score": 4, "parts": copy.deepcopy(parts)}],
            "warnings": [],
        }
        for student, score, parts in (STUDENTS if students is None else students)
    ]
    submissions.append(
        {
            "file": "in/broken.yaml",
            "student": None,
            "score": 0,
            "max_score": 4,
            "error": "in/broken.yaml: not a text file (binary content)",
            "problems": [],
            "warnings": [],
        }
    )
    return {"submissions": submissions}


def write_grades(folder: Path, document: dict[str, Any] | None = None) -> Path:
    path = folder / "grades.json"
    path.write_text(json.dumps(grades_document() if document is None else document, ensure_ascii=False))
    return path


# Canvas: Grades > Export. The second row is the points row (indented, as Canvas writes it), then the test student.
CANVAS_ROSTER = """\
Student,ID,SIS User ID,SIS Login ID,Section,Homework 3 (4411),Quiz 1 (4412),Current Score,Final Score
    Points Possible,,,,,100,10,(read only),(read only)
"Zhang, San",1001,PB21000001,zhangsan,NN 2024,,8,,
"=HYPERLINK(""http://evil.example"",""x"")",1002,PB21000002,lisi,NN 2024,,7,,
"Wang, Wu",1003,PB21000009,wangwu,NN 2024,,,,
"Student, Test",1099,,,NN 2024,,,,
"""

# Moodle: Grades > Export > Plain text file.
MOODLE_ROSTER = (
    "First name,Last name,ID number,Institution,Department,Email address,Assignment: Homework (Real),"
    "Last downloaded from this course\n"
    """\
San,Zhang,PB21000001,USTC,CS,zhangsan@mail.ustc.edu.cn,-,1718000000
Si,Li,PB21000002,USTC,CS,lisi@mail.ustc.edu.cn,-,1718000000
Wu,Wang,PB21000009,USTC,CS,wangwu@mail.ustc.edu.cn,-,1718000000
"""
)

# Blackboard Learn: Grade Center > Work Offline > Download (comma-delimited, every cell quoted).
BLACKBOARD_ROSTER = (
    '"Last Name","First Name","Username","Student ID","Last Access","Availability",'
    '"Homework 3 [Total Pts: 35 Score] |20431","Quiz 1 [Total Pts: 10 Score] |20432"\n'
    """\
"Zhang","San","PB21000001","","2024-05-01","Available","",""
"Li","Si","PB21000002","","2024-05-01","Available","",""
"Wang","Wu","PB21000009","","2024-05-01","Available","",""
"""
)

# Gradescope: Roster > Download roster.
GRADESCOPE_ROSTER = """\
First Name,Last Name,SID,Email,Role,Sections
San,Zhang,PB21000001,zhangsan@mail.ustc.edu.cn,Student,
Si,Li,PB21000002,lisi@mail.ustc.edu.cn,Student,
Wu,Wang,PB21000009,wangwu@mail.ustc.edu.cn,Student,
Ada,Teacher,,teacher@mail.ustc.edu.cn,Instructor,
"""
