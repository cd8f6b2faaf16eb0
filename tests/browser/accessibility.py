"""The accessibility audit: axe-core, injected by Playwright into a page the browser test has open.

One `audit(page, name)` runs axe once on the whole page with the WCAG 2.0 and 2.1 level A and AA rules,
and sorts every offending node by who made it:

* the course: what a notebook's cells show (outputs of every kind: text, HTML, figures, the boxes
  `checks.outcome` draws, widgets' own controls) and its rendered Markdown cells; on a page the course
  generates whole (report.html), everything;
* JupyterLab: its own chrome (menus, toolbars, side bars, prompts), which the course cannot change.
  The cells' code editors are left out of the run (NOT_AUDITED): no output is in them.

A serious or critical violation in the course's part fails the test that asked; JupyterLab's are
listed (at the end of the pytest run, and in the audit's file) and never fail it. Each audit is
written to build/accessibility/<name>.json.

axe-core comes from the npm registry, pinned in tests/browser/package-lock.json; `make axe` installs it.
"""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from notebook_page import REPO

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
REPORTS = REPO / "build" / "accessibility"
#: WCAG 2.0 and 2.1, levels A and AA: what the ADA Title II rule and most universities require.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING = ("serious", "critical")
#: In JupyterLab, what the course produces: every cell output, every rendered Markdown cell.
NOTEBOOK_CONTENT = ".jp-OutputArea-output, .jp-MarkdownCell .jp-RenderedMarkdown"
#: Left out of a notebook page's audit: the cells' code editors (CodeMirror). Nothing the course outputs is in
#: them, and what axe finds there is JupyterLab's (an editor's text box has no name; some syntax colours
#: are under 4.5:1); checking every highlighted token took about 40% of each audit.
NOT_AUDITED = [".jp-InputArea-editor"]
#: Audits made in this process since the last test report took them (conftest's pytest_runtest_makereport).
AUDITS: list[Audit] = []

RUN_AXE = """
async ({tags, content, exclude}) => {
  // JupyterLab's <body> is 0 px high with overflow hidden (its shell is positioned over it), and axe
  // takes everything inside as clipped away: colour contrast would be checked on nothing. For the run,
  // the body is as high as the window, which changes nothing on screen.
  const height = document.body.style.minHeight;
  document.body.style.minHeight = '100vh';
  let results;
  try {
    const context = exclude.length ? {exclude} : document;
    results = await axe.run(context, {
      runOnly: {type: 'tag', values: tags}, resultTypes: ['violations', 'incomplete'], elementRef: true,
    });
  } finally {
    document.body.style.minHeight = height;
  }
  const cells = Array.from(document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell'));
  const found = [];
  for (const [verdict, rules] of [['violation', results.violations], ['needs review', results.incomplete]]) {
    for (const rule of rules) {
      for (const node of rule.nodes) {
        const element = node.element;
        const cell = element && element.closest ? element.closest('.jp-Cell') : null;
        found.push({
          rule: rule.id, verdict, impact: node.impact || rule.impact || 'unknown', help: rule.help,
          help_url: rule.helpUrl, html: node.html, target: node.target, summary: node.failureSummary || '',
          course: content === null ? true : Boolean(element && element.closest && element.closest(content)),
          cell: cell ? cells.indexOf(cell) : null,
        });
      }
    }
  }
  return {found, version: axe.version};
}
"""


@dataclass
class Finding:
    rule: str
    verdict: str  # "violation", or "needs review" (axe could not decide: a person checks)
    impact: str
    help: str
    help_url: str
    html: str
    target: list
    summary: str
    course: bool
    cell: int | None

    @property
    def fails(self) -> bool:
        return self.course and self.verdict == "violation" and self.impact in FAILING

    def describe(self) -> str:
        where = f"cell {self.cell}: " if self.cell is not None else ""
        snippet = self.html if len(self.html) <= 300 else self.html[:297] + "..."
        return f"{where}{self.rule} ({self.impact}: {self.help}): {snippet}"


@dataclass
class Audit:
    name: str
    seconds: float
    axe_version: str
    findings: list[Finding] = field(default_factory=list)
    notebook: bool = True  # a JupyterLab page; False for a page the course generates whole

    def part(self, course: bool, verdict: str = "violation") -> list[Finding]:
        """The course's findings or JupyterLab's, violations or those that need review."""
        return [f for f in self.findings if f.course == course and f.verdict == verdict]

    @property
    def failures(self) -> list[Finding]:
        return [f for f in self.findings if f.fails]

    def problems(self) -> list[str]:
        """One line per serious or critical violation in what the course produces."""
        return [f"accessibility: {finding.describe()}" for finding in self.failures]

    @staticmethod
    def counts(findings: list[Finding]) -> dict[str, dict]:
        """Per rule: its impact and how many nodes it names."""
        counted: dict[str, dict] = {}
        for finding in findings:
            entry = counted.setdefault(finding.rule, {"impact": finding.impact, "nodes": 0, "help": finding.help})
            entry["nodes"] += 1
        return dict(sorted(counted.items()))

    def write(self) -> Path:
        REPORTS.mkdir(parents=True, exist_ok=True)
        path = REPORTS / f"{self.name}.json"

        def part(course: bool) -> dict:
            return {
                "violations": self.counts(self.part(course)),
                "needs_review": self.counts(self.part(course, "needs review")),
                "nodes": [asdict(f) for f in self.findings if f.course == course],
            }

        document = {
            "page": self.name,
            "axe_version": self.axe_version,
            "tags": WCAG_TAGS,
            "seconds": round(self.seconds, 2),
            "not_audited": NOT_AUDITED if self.notebook else [],
            "failing": [f.describe() for f in self.failures],
            "course": part(True),
            "jupyterlab": part(False),
        }
        path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        return path


def audit(page, name: str, content: str | None = NOTEBOOK_CONTENT, in_view=contextlib.nullcontext) -> Audit:
    """Run axe once on the page; `content` selects what the course produced (None: the whole page).

    axe checks colour contrast only on what is on screen: `in_view()` is entered around the run to put
    the whole page on screen (NotebookPage.whole_notebook_in_view). The time it takes is counted."""
    if not AXE.exists():
        raise AssertionError(
            f"axe-core is not installed ({AXE.relative_to(REPO)}): `make axe` installs it "
            "from tests/browser/package-lock.json with npm ci."
        )
    start = time.monotonic()
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    with in_view():
        raw = page.evaluate(RUN_AXE, {"tags": WCAG_TAGS, "content": content, "exclude": NOT_AUDITED if content else []})
    result = Audit(
        name,
        time.monotonic() - start,
        raw["version"],
        [Finding(**f) for f in raw["found"]],
        notebook=content is not None,
    )
    result.write()
    AUDITS.append(result)
    return result


def lines(audit: Audit) -> list[str]:
    """For the end of the pytest run: one page's time and findings, JupyterLab's listed apart."""
    chrome = f"; JupyterLab: {len(audit.part(False))} violations" if audit.notebook else ""
    found = [
        f"{audit.name}: {audit.seconds:.1f} s; the course: {len(audit.failures)} serious or critical, "
        f"{len(audit.part(True)) - len(audit.failures)} other violations, "
        f"{len(audit.part(True, 'needs review'))} to review{chrome}"
    ]
    for rule, entry in Audit.counts([f for f in audit.part(True) if not f.fails]).items():
        found.append(f"    course (not failing) {rule} ({entry['impact']}): {entry['nodes']} node(s): {entry['help']}")
    for rule, entry in Audit.counts(audit.part(False)).items():
        found.append(f"    JupyterLab {rule} ({entry['impact']}): {entry['nodes']} node(s): {entry['help']}")
    return found


def total_line(seconds: list[float]) -> str:
    return (
        f"audit time in all: {sum(seconds):.1f} s over {len(seconds)} pages; "
        f"each page's findings in {REPORTS.relative_to(REPO)}/"
    )
