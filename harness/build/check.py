"""``kwb apply``: does the series apply? (as ``b4 shazam -H`` asks) — nothing is built.

The series is applied exactly as apply-and-build applies it (``git am -3`` on a fresh branch,
:func:`harness.build.series.apply`), in a tool-owned worktree of its own (``apply``), so the
answer is the one the build would get; the worktree is left at the base afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from harness.errors import WorkbenchError

from . import git, series, tree

WORKTREE = "apply"
BRANCH = "kwb/apply"


@dataclass(frozen=True)
class Answer:
    ok: bool
    text: str  # the first line says it all; a failure's report follows

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1


def check(*, tree_path: Path | None = None, base: str | None = None,
          patches_dir: Path | None = None, mbox: Path | None = None, msgid: str | None = None,
          revision: int | None = None) -> Answer:
    """Apply the series on its base in the ``apply`` worktree and say whether it applies.

    Errors before the apply (no series, no such base) raise WorkbenchError as elsewhere."""
    if tree_path is not None and not base:
        raise WorkbenchError("--tree needs --base REF: the commit the series goes on")
    t = tree.user_tree(tree_path, base or "") if tree_path is not None else tree.pinned_tree()
    s = series.load(patches_dir=patches_dir, mbox=mbox, msgid=msgid, revision=revision)
    on = series.resolve_base(s, t, base)
    wt = tree.worktree(t, WORKTREE, on, checkout=False)
    what = f"{s.title!r} v{s.version}, {s.count} patch{'es' if s.count != 1 else ''}"
    try:
        applied = series.apply(s, t, wt, on, BRANCH)
    except WorkbenchError as exc:
        return Answer(False, f"DOES NOT APPLY: {what} on {on[:12]} of {t.source}\n{exc}")
    finally:
        if (wt / ".git").exists():
            git.checkout_clean(wt, on, branch=BRANCH, env=series.AM_ENV)
    return Answer(True, f"APPLIES: {what} on {on[:12]} of {t.source} "
                        f"(would give {applied[-1].commit[:12] if applied else on[:12]})")
