"""The RFM segment map: a customer's segment from their R score and their FM score.

FM is the mean of the F and M scores rounded half up: `FM = (F + M + 1) // 2`. The map is the
classic 5 × 5 grid of RFM segments (R down, FM across):

| R \\ FM | 1              | 2                  | 3                  | 4          | 5          |
|--------|----------------|--------------------|--------------------|------------|------------|
| 5      | New            | Potential loyalist | Potential loyalist | Champions  | Champions  |
| 4      | Promising      | Potential loyalist | Potential loyalist | Loyal      | Loyal      |
| 3      | About to sleep | About to sleep     | Need attention     | Loyal      | Loyal      |
| 2      | Hibernating    | Hibernating        | At risk            | At risk    | Can't lose |
| 1      | Hibernating    | Hibernating        | At risk            | At risk    | Can't lose |

A customer without a sale document has no scores (0) and no segment (empty).
"""

from ..models.scores import Segment

_ROWS = {
    5: ("new", "potential_loyalist", "potential_loyalist", "champions", "champions"),
    4: ("promising", "potential_loyalist", "potential_loyalist", "loyal", "loyal"),
    3: ("about_to_sleep", "about_to_sleep", "need_attention", "loyal", "loyal"),
    2: ("hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"),
    1: ("hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"),
}
SEGMENT_MAP: dict[tuple[int, int], str] = {
    (r, fm): segment for r, row in _ROWS.items() for fm, segment in enumerate(row, start=1)
}
if set(SEGMENT_MAP.values()) != set(Segment.values):  # every segment is reachable, and only those
    raise ImportError("the RFM segment map and Segment disagree")


def fm_score(f: int, m: int) -> int:
    return (f + m + 1) // 2


def segment_of(r: int, f: int, m: int) -> str:
    """The segment of scores (each 1–5); empty when the customer has none (0)."""
    if not (r and f and m):
        return ""
    return SEGMENT_MAP[(r, fm_score(f, m))]


def segment_case_sql(r: str = "r", f: str = "f", m: str = "m") -> str:
    """The map as one SQL CASE over the score columns `r`, `f`, `m` (integers 1–5)."""
    fm = f"(({f} + {m} + 1) / 2)"
    whens = " ".join(f"WHEN {r_} * 10 + {fm_} THEN '{segment}'" for (r_, fm_), segment in SEGMENT_MAP.items())
    return f"(CASE {r} * 10 + {fm} {whens} ELSE '' END)"
