"""Why a patch does not apply: each file and hunk that fails, the nearest matching context in
the tree, and what the 3-way fallback could or could not do.

Read from ``git am -3`` and ``git apply --check -v`` output, the patch itself (its hunks and
``index`` lines) and the tree.  git's own advice ("When you have resolved this problem, run
git am --continue", hints) is never passed on: kwb has already aborted the am.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from . import git

_DIFF = re.compile(r"^diff --git a/(\S+) b/(\S+)$")
_INDEX = re.compile(r"^index ([0-9a-f]{4,64})\.\.([0-9a-f]{4,64})")
_HUNK = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@")
_ADVICE = re.compile(r"^(hint:|When you have resolved|If you prefer to skip|To restore the "
                     r"original branch|To record the empty patch|Use 'git am --show-current|"
                     r"Patch failed at |The copy of the patch)")
_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^error: patch failed: (.+):(\d+)$"), "hunk"),
    (re.compile(r"^CONFLICT \(([^)]+)\): Merge conflict in (.+)$"), "conflict"),
    (re.compile(r"^(CONFLICT \(.+)$"), "verbatim"),
    (re.compile(r"^error: (.+): (does not exist in index|already exists in "
                r"(?:index|working directory)|No such file or directory|"
                r"does not match index)$"), "file"),
    (re.compile(r"^(Patch is empty\.?|Patch does not have a valid e-mail address\.?)$"),
     "verbatim"),
]


@dataclass
class Hunk:
    file: str
    header: str  # "@@ -17,7 +17,7 @@"
    old_start: int
    before: list[str] = field(default_factory=list)  # context and removed lines


@dataclass
class FilePatch:
    old: str
    new: str
    old_blob: str | None = None
    hunks: list[Hunk] = field(default_factory=list)


def parse(text: str) -> list[FilePatch]:
    """The files of a patch (its decoded text), with their index blobs and hunks."""
    files: list[FilePatch] = []
    hunk: Hunk | None = None
    left = 0
    for line in text.splitlines():
        if hunk is not None and left > 0:
            if line[:1] in (" ", "-", ""):
                hunk.before.append(line[1:])
                left -= 1
            elif line[:1] == "\\":
                pass
            elif line[:1] != "+":
                left = 0
            continue
        if m := _DIFF.match(line):
            files.append(FilePatch(m[1], m[2]))
            hunk = None
        elif files and (m := _INDEX.match(line)) and files[-1].old_blob is None:
            files[-1].old_blob = m[1]
        elif files and (m := _HUNK.match(line)):
            hunk = Hunk(files[-1].old, line.split(" @@")[0] + " @@", int(m[1]))
            files[-1].hunks.append(hunk)
            left = int(m[2]) if m[2] is not None else 1
    return files


def problems(output: str, text: str = "") -> list[str]:
    """The files and hunks named in git am / git apply output, one line each, deduplicated
    (``text``: the patch, to give each failing hunk its ``@@`` header)."""
    headers = {(h.file, h.old_start): h.header for f in parse(text) for h in f.hunks}
    out: list[str] = []
    for line in output.splitlines():
        line = line.rstrip()
        for pattern, kind in _RULES:
            if not (m := pattern.match(line)):
                continue
            if kind == "hunk":
                where = headers.get((m[1], int(m[2])), f"at line {m[2]}")
                text_ = f"{m[1]}: hunk {where} does not apply"
            elif kind == "conflict":
                text_ = f"{m[2]}: merge conflict ({m[1]})"
            elif kind == "file":
                why = "not in the tree" if m[2] == "No such file or directory" else m[2]
                text_ = f"{m[1]}: {why}"
            else:
                text_ = m[1]
            if text_ not in out:
                out.append(text_)
            break
    return out


def without_advice(output: str) -> list[str]:
    """git's output lines minus its advice on how to continue an am (kwb has aborted it)."""
    return [ln for ln in output.strip().splitlines() if ln.strip() and not _ADVICE.match(ln)]


def nearest_context(lines: list[str], hunk: Hunk) -> str:
    """Where the tree's file comes closest to the hunk's context, and how it differs."""
    want = hunk.before
    if not want:
        return "the hunk has no context to look for"
    best, best_at = 0, 0
    for start in range(0, max(len(lines) - len(want), 0) + 1):
        score = sum(1 for a, b in zip(lines[start:start + len(want)], want, strict=False)
                    if a == b)
        closer = abs(start + 1 - hunk.old_start) < abs(best_at + 1 - hunk.old_start)
        if score > best or (score == best and score and closer):
            best, best_at = score, start
    if best * 2 < len(want):
        return "no matching context in the tree (the code it changes is not there)"
    end = best_at + len(want)
    where = f"lines {best_at + 1}-{end}" + (
        f" (the patch says {hunk.old_start})" if best_at + 1 != hunk.old_start else "")
    text = f"nearest context in the tree: {where}, {best} of {len(want)} lines match"
    diffs = [(best_at + i + 1, w, lines[best_at + i] if best_at + i < len(lines) else None)
             for i, w in enumerate(want)
             if best_at + i >= len(lines) or lines[best_at + i] != w]
    for lineno, expected, actual in diffs[:3]:
        text += (f"; line {lineno}: the patch expects {expected.strip()!r}, the tree has "
                 + (repr(actual.strip()) if actual is not None else "nothing"))
    return text


def report(text: str, am_output: str, check_output: str, worktree: Path) -> list[str]:
    """What failed (files, hunks, nearest context) and what was tried, one line each.

    ``worktree`` is checked out where the patch was tried (before the patch)."""
    found = problems(am_output + "\n" + check_output, text)
    files = parse(text)
    failed = _all_failed(check_output)
    failed_hunks = [(f, h) for f in files for h in f.hunks if (h.file, h.old_start) in failed]
    out: list[str] = []
    for line in found:
        out.append(line)
        for f, h in failed_hunks:
            if line == f"{h.file}: hunk {h.header} does not apply":
                out.append("  " + _context_of(worktree, f, h))
    out += _three_way(files, am_output, worktree, {name for name, _ in failed})
    return out


def _all_failed(check_output: str) -> list[tuple[str, int]]:
    return [(m[1], int(m[2])) for m in re.finditer(r"^error: patch failed: (.+):(\d+)$",
                                                   check_output, re.MULTILINE)]


def _context_of(worktree: Path, f: FilePatch, h: Hunk) -> str:
    try:
        content = git.read_blob(worktree, f"HEAD:{f.old}")
    except git.GitError:
        return f"{f.old} is not in the tree"
    return nearest_context(content.decode(errors="replace").splitlines(), h)


def _three_way(files: list[FilePatch], am_output: str, worktree: Path,
               failed: set[str]) -> list[str]:
    """What ``git am -3`` could do with the blobs named in the patch's index lines."""
    conflicted = set(re.findall(r"^CONFLICT \([^)]+\): Merge conflict in (.+)$", am_output,
                                re.MULTILINE))
    conflicted |= set(re.findall(r"^CONFLICT \([a-z]+/delete\): (\S+) deleted in HEAD",
                                 am_output, re.MULTILINE))
    names = failed | conflicted or {f.old for f in files}
    missing = [f for f in files if f.old in names and f.old_blob
               and not git.has_object(worktree, f.old_blob)]
    no_index = [f.old for f in files if f.old in names and f.old_blob is None]
    if missing:
        blobs = ", ".join(f"{f.old_blob} ({f.old})" for f in missing)
        return [f"tried: git am -3; the 3-way merge was not possible: the blobs the patch "
                f"names in its index lines are not in the tree: {blobs} (the patch was made "
                "on a tree that is not this one, or on changes not here)"]
    if no_index:
        return [f"tried: git am -3; the 3-way merge was not possible: the patch has no index "
                f"line for {', '.join(no_index)}"]
    if conflicted:
        return [f"tried: git am -3; the 3-way merge from the patch's own base blobs conflicted "
                f"in {', '.join(sorted(conflicted))}: the tree and the patch change the same "
                "lines"]
    return ["tried: git am -3 (3-way merge from the blobs named in the patch's index lines)"]
