"""axe-core in the browser tests: a page a test visits may have no serious or critical violation.

axe-core (Deque Systems, MPL-2.0) is the `axe.min.js` that the `axe-playwright-python`
package ships (requirements/dev.txt), read as it is, with its licence header. Call
`axe_check(page)` once a page has loaded, and again after a change worth checking.
"""

from functools import cache
from importlib.resources import files

BLOCKING = frozenset({"serious", "critical"})
# The WCAG 2.0-2.2 A and AA rules, and Deque's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
RUN = """([within, options]) => axe.run(within || document, options).then(results => results.violations)"""


@cache
def axe_script() -> str:
    return (files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")


def axe_violations(page, within: str | None = None) -> list[dict]:
    """axe's serious and critical violations on `page` as it is now (only inside the elements that
    CSS selector `within` matches, shadow roots included, when given)."""
    if not page.evaluate("() => Boolean(window.axe)"):
        page.evaluate(axe_script())
    options = {"runOnly": {"type": "tag", "values": TAGS}, "resultTypes": ["violations"]}
    return [found for found in page.evaluate(RUN, [within, options]) if found["impact"] in BLOCKING]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['impact']} {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:10]:
            lines.append(
                f"    {' '.join(map(str, node['target']))}: {node['failureSummary'].splitlines()[-1].strip()}"
            )
    return "\n".join(lines)


def axe_check(page, within: str | None = None) -> None:
    """Fail when axe finds a serious or critical violation on `page` (or `within` it), naming each
    rule and element."""
    violations = axe_violations(page, within)
    assert not violations, f"axe on {page.url}:\n{describe(violations)}"
