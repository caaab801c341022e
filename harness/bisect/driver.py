"""Bisect — the first base commit on which the series stops applying, stops building, or a
test fails or regresses.

``git bisect`` runs in a worktree of the tool-owned repository (never in a user's checkout) in
``--no-checkout`` mode: git only keeps the bisection's bookkeeping (``refs/bisect/*``,
``BISECT_HEAD``, ``BISECT_LOG``, all private to that worktree).  This module checks every
candidate out itself, runs the injected ``Step`` (:mod:`.step`) on it, writes the verdict to
``runs/bisect-<id>/steps.json`` and only then tells git — so each step is on record, and a
bisection stopped anywhere (Ctrl-C, a crash, a lost worktree) resumes where it was.

What is "bad" is the step's business; :func:`harness.bisect.criteria.make_step` builds one from
a criterion (``apply``, ``build``, ``test:NAME``, ``regression``) over an injected ``Pipeline``
(apply the series, build, boot and test), so the real stages plug in and tests use a fake.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shlex
import shutil
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from harness import paths
from harness.build import git
from harness.build import tree as tree_mod
from harness.errors import WorkbenchError
from harness.proc import info, interrupt_status

from .state import BisectResult, BisectState, StepRecord, _now, check_params
from .step import (
    _STEP_LOG_DIR,
    KINDS,
    RESET_CMD,
    RESUME_CMD,
    Baselined,
    BisectError,
    BisectInterrupted,
    Step,
    Verdict,
)

_SHA = re.compile(r"^[0-9a-f]{40}$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


@dataclass(frozen=True)
class _Position:
    """Where git bisect stands after a command."""

    candidate: str | None = None
    first_bad: str | None = None
    only_skipped: list[str] | None = None
    remaining: str = ""


def _parse_bisect_output(out: str) -> _Position:
    lines = out.splitlines()
    for ln in lines:
        m = re.match(r"^([0-9a-f]{40}) is the first bad commit", ln)
        if m:
            return _Position(first_bad=m[1])
    if any("only 'skip'ped commits left" in ln for ln in lines):
        return _Position(only_skipped=[ln.strip() for ln in lines if _SHA.match(ln.strip())])
    remaining = next((ln.strip() for ln in lines if ln.startswith("Bisecting:")), "")
    return _Position(remaining=remaining)


# --------------------------------------------------------------------------- the bisection


def run_dir_for(bisect_id: str) -> Path:
    if not _ID.match(bisect_id):
        raise BisectError(f"bad bisect id {bisect_id!r}")
    return paths.runs_dir() / f"bisect-{bisect_id}"


def list_ids() -> list[str]:
    """Bisection ids with a step log, oldest first."""
    runs = sorted(paths.runs_dir().glob("bisect-*/steps.json"), key=lambda p: p.stat().st_mtime)
    return [p.parent.name.removeprefix("bisect-") for p in runs]


def new_id(good: str, bad: str, criterion: str = "") -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    key = hashlib.sha256(f"{good} {bad} {criterion}".encode()).hexdigest()[:6]
    base = f"{stamp}-{key}"
    bid, n = base, 1
    while run_dir_for(bid).exists():
        n += 1
        bid = f"{base}-{n}"
    return bid


class Bisection:
    """A resumable bisection driven step by step; see the module doc.

    ``Bisection.start(...)`` sets one up, ``Bisection.load(id)`` finds one again; ``run(step)``
    runs (or resumes) it to the end, ``reset()`` abandons it.
    """

    def __init__(self, state: BisectState) -> None:
        self.state = state
        self.run_dir = run_dir_for(state.id)
        self.tree = tree_mod.Tree(Path(state.repo), state.good, state.source)

    # ----- setting up and finding again

    @classmethod
    def start(cls, tree: tree_mod.Tree, good: str, bad: str, *, criterion: str = "",
              tests: Sequence[str] = (), bisect_id: str | None = None,
              first_parent: bool = False, keep_worktree: bool = False,
              params: dict[str, Any] | None = None) -> Bisection:
        """Resolve the ends, make the tool-owned worktree and ``git bisect start`` in it."""
        good_sha, bad_sha = _resolve(tree, good, "--good"), _resolve(tree, bad, "--bad")
        if good_sha == bad_sha:
            raise BisectError(f"--good and --bad are the same commit {good_sha[:12]}")
        if not git.is_ancestor(tree.repo, good_sha, bad_sha):
            raise BisectError(f"--good {good} ({good_sha[:12]}) is not an ancestor of --bad "
                              f"{bad} ({bad_sha[:12]}): were they swapped?")
        bisect_id = bisect_id or new_id(good_sha, bad_sha, criterion)
        rd = run_dir_for(bisect_id)
        if (rd / "steps.json").exists():
            raise BisectError(f"bisection {bisect_id} exists already ({rd}): resume it with "
                              f"`{RESUME_CMD.format(id=bisect_id)}` or reset it with "
                              f"`{RESET_CMD.format(id=bisect_id)}`")
        rd.mkdir(parents=True, exist_ok=True)
        state = BisectState(
            id=bisect_id, repo=str(tree.repo), source=tree.source,
            worktree_name=f"bisect-{bisect_id}", good=good_sha, bad=bad_sha,
            criterion=criterion, tests=list(tests), first_parent=first_parent,
            keep_worktree=keep_worktree, params=dict(params or {}), created=_now())
        self = cls(state)
        with self._locked():
            self._event("start", f"good {good_sha} bad {bad_sha}"
                        + (f" criterion {criterion}" if criterion else ""))
            wt = tree_mod.worktree(self.tree, state.worktree_name, good_sha)
            self._git_start(wt)
            self._save()
        n = len(self._rev_list(f"{good_sha}..{bad_sha}"))
        info(f"bisect {bisect_id}: {n} commit(s) in {good_sha[:12]}..{bad_sha[:12]} "
             f"(about {max(n, 1).bit_length()} steps); worktree {wt}; step log "
             f"{rd / 'steps.json'}")
        return self

    @classmethod
    def load(cls, bisect_id: str | None = None) -> Bisection:
        """The bisection ``bisect_id``, or the most recent unfinished one."""
        if bisect_id is None:
            ids = [i for i in list_ids() if cls._read(i).status in ("running", "interrupted",
                                                                     "failed")]
            if not ids:
                raise BisectError("no unfinished bisection to resume")
            bisect_id = ids[-1]
        return cls(cls._read(bisect_id))

    def resume_params(self, given: dict[str, Any]) -> dict[str, Any]:
        """The saved run parameters (config, backend, timeout, series hash); refuses, naming
        the field, a value given again that differs from the saved one."""
        return check_params(self.state.params, given, self.id)

    @staticmethod
    def _read(bisect_id: str) -> BisectState:
        path = run_dir_for(bisect_id) / "steps.json"
        try:
            return BisectState.from_json(json.loads(path.read_text()))
        except FileNotFoundError as exc:
            raise BisectError(f"no bisection {bisect_id} ({path} does not exist)") from exc
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise BisectError(f"{path}: unreadable step log: {exc!r}") from exc

    @property
    def id(self) -> str:
        return self.state.id

    @property
    def worktree(self) -> Path:
        return paths.worktrees_dir() / f"{self.tree.repo.stem}-{self.state.worktree_name}"

    # ----- running

    def run(self, step: Step, *, max_steps: int | None = None) -> BisectResult:
        """Run the bisection to its end (or ``max_steps`` more steps; then raise BisectError
        saying how to resume).  Safe to call again on a resumed, finished or interrupted one."""
        st = self.state
        if st.status == "reset":
            raise BisectError(f"bisection {st.id} was reset; start a new one")
        with self._locked():
            if st.result is not None:
                return self._result_from_state()
            if st.status in ("interrupted", "failed"):
                self._event("resume", f"after {len(st.steps)} step(s)")
                info(f"bisect {st.id}: resuming after {len(st.steps)} step(s)")
            try:
                pos = self._reconcile()
                if isinstance(step, Baselined):
                    self._baseline(step)
                done = 0
                while pos.first_bad is None and pos.only_skipped is None:
                    if max_steps is not None and done >= max_steps:
                        st.status = "interrupted"
                        self._event("pause", f"stopped after {done} step(s) (max_steps)")
                        self._save()
                        raise BisectError(f"bisect {st.id}: stopped after {done} step(s); "
                                          f"resume with `{RESUME_CMD.format(id=st.id)}`")
                    pos = self._one_step(step, pos)
                    done += 1
            except (KeyboardInterrupt, SystemExit) as exc:
                status = interrupt_status(exc)
                if isinstance(exc, SystemExit) and status < 128:
                    raise  # a plain sys.exit, not a signal
                st.status = "interrupted"
                self._event("interrupt", "Ctrl-C" if status == 130 else f"signal {status - 128}")
                self._save()
                msg = (f"bisect {st.id} interrupted after {len(st.steps)} step(s); the state "
                       f"is kept: resume with `{RESUME_CMD.format(id=st.id)}`, or abandon it "
                       f"with `{RESET_CMD.format(id=st.id)}`")
                info(msg)
                raise BisectInterrupted(msg, status) from exc
            except WorkbenchError:
                if st.status == "running":
                    st.status = "failed"
                    self._save()
                raise
            return self._finish(pos)

    def _one_step(self, step: Step, pos: _Position) -> _Position:
        st = self.state
        commit = pos.candidate
        assert commit is not None
        n = len(st.steps) + 1
        subject = self._subject(commit)
        info(f"bisect {st.id} step {n}: {commit[:12]} {subject}"
             + (f" ({pos.remaining.removeprefix('Bisecting: ')})" if pos.remaining else ""))
        started = _now()
        t0 = time.monotonic()
        wt = tree_mod.worktree(self.tree, st.worktree_name, commit)
        checkout_secs = time.monotonic() - t0
        log_dir = self.run_dir / "steps" / f"{n:02d}-{commit[:12]}"
        verdict = self._call(step, commit, wt, log_dir)
        rec = StepRecord(n=n, commit=commit, subject=subject, verdict=verdict.kind,
                         why=verdict.why, stage=verdict.stage, logs=list(verdict.logs),
                         seconds=round(time.monotonic() - t0, 3),
                         checkout_seconds=round(checkout_secs, 3), started=started,
                         timings={k: round(v, 3) for k, v in verdict.timings.items()},
                         remaining=pos.remaining)
        st.steps.append(rec)
        self._save()  # the verdict is on record before git hears of it
        label = {"good": "good", "bad": "BAD", "skip": "skipped"}[verdict.kind]
        info(f"  {label} ({rec.seconds:.1f}s): {verdict.why}")
        out = self._mark(rec.verdict, commit)
        rec.marked = True
        self._save()
        return self._position(out)

    def _call(self, step: Step, commit: str, wt: Path, log_dir: Path) -> Verdict:
        log_dir.mkdir(parents=True, exist_ok=True)
        token = _STEP_LOG_DIR.set(log_dir)
        try:
            verdict = step(commit, wt)
        except (KeyboardInterrupt, BisectError):
            raise
        except Exception as exc:
            self.state.status = "failed"
            self._event("error", f"step on {commit}: {exc!r}")
            self._save()
            raise BisectError(
                f"bisect {self.id}: the step crashed on {commit[:12]}: {exc}; the state is kept: "
                f"fix the cause and resume with `{RESUME_CMD.format(id=self.id)}`",
                log=getattr(exc, "log", None)) from exc
        finally:
            _STEP_LOG_DIR.reset(token)
        if not isinstance(verdict, Verdict):
            raise BisectError(f"the step returned {verdict!r}, not a Verdict")
        return verdict

    def _baseline(self, step: Baselined) -> None:
        st = self.state
        if st.baseline is not None:
            step.load_baseline(dict(st.baseline["results"]))
            return
        info(f"bisect {st.id}: measuring the good end {st.good[:12]} first (baseline)")
        t0 = time.monotonic()
        wt = tree_mod.worktree(self.tree, st.worktree_name, st.good)
        log_dir = self.run_dir / "steps" / f"00-baseline-{st.good[:12]}"
        log_dir.mkdir(parents=True, exist_ok=True)
        token = _STEP_LOG_DIR.set(log_dir)
        try:
            verdict, results = step.measure_baseline(st.good, wt)
        finally:
            _STEP_LOG_DIR.reset(token)
        st.baseline = {"commit": st.good, "results": results, "why": verdict.why,
                       "logs": verdict.logs, "seconds": round(time.monotonic() - t0, 3),
                       "timings": verdict.timings}
        self._save()
        info(f"  {verdict.why}")

    # ----- git

    def _bisect(self, *args: str, check: bool = True) -> str:
        res = git.bisect(self.worktree, *args)
        if check and not res.ok:
            raise BisectError(f"git bisect {' '.join(args)} failed in {self.worktree} "
                              f"(exit {res.status}): {(res.stderr or res.stdout).strip()}")
        return res.stdout + res.stderr

    def _git_start(self, wt: Path) -> _Position:
        args = ["start", "--no-checkout"]
        if self.state.first_parent:
            args.append("--first-parent")
        return self._position(self._bisect(*args, self.state.bad, self.state.good))

    def _mark(self, kind: str, commit: str) -> str:
        res = git.bisect(self.worktree, kind, commit)
        out = res.stdout + res.stderr
        # git exits 2 when only skipped commits are left; _position reads that from the output
        if not res.ok and _parse_bisect_output(out).only_skipped is None:
            raise BisectError(f"git bisect {kind} {commit[:12]} failed in {self.worktree}: "
                              f"{out.strip()}")
        return out

    def _position(self, out: str) -> _Position:
        pos = _parse_bisect_output(out)
        if pos.first_bad or pos.only_skipped is not None:
            return pos
        head = git.resolve(self.worktree, "BISECT_HEAD") or ""
        if not _SHA.match(head):
            raise BisectError(f"git bisect gave no candidate in {self.worktree}:\n{out.strip()}")
        return _Position(candidate=head, remaining=pos.remaining)

    def _git_marks(self) -> tuple[list[str], list[tuple[str, str]]] | None:
        """(start arguments, [(kind, sha)...]) from ``git bisect log``; None if no bisection."""
        if not (self.worktree / ".git").exists():
            return None
        res = git.bisect(self.worktree, "log")
        if not res.ok:
            return None
        start: list[str] = []
        marks: list[tuple[str, str]] = []
        for line in res.stdout.splitlines():
            if not line.startswith("git bisect "):
                continue
            words = shlex.split(line)[2:]
            if words and words[0] == "start":
                start = [w for w in words[1:] if not w.startswith("--")]
            elif words and words[0] in KINDS:
                marks += [(words[0], w) for w in words[1:]]
        return start, marks

    def _reconcile(self) -> _Position:
        """Check git's bisect state against the step log; rebuild or complete it if needed."""
        st = self.state
        if not (self.worktree / ".git").exists():  # lost (deleted by hand): make it again
            tree_mod.worktree(self.tree, st.worktree_name, st.good)
        found = self._git_marks()
        logged = [(s.verdict, s.commit) for s in st.steps if s.marked]
        if found is None:
            if st.steps:
                info(f"bisect {st.id}: no git bisect state in {self.worktree}; replaying "
                     f"{len(logged)} verdict(s) from the step log")
                self._event("replay", f"{len(logged)} mark(s) from steps.json")
            self._git_start(self.worktree)
            git_marks: list[tuple[str, str]] = []
        else:
            start, git_marks = found
            if start[:1] != [st.bad] or sorted(start[1:]) != [st.good]:
                raise BisectError(
                    f"the git bisect state in {self.worktree} (start {' '.join(start)}) is not "
                    f"bisection {st.id}'s (bad {st.bad}, good {st.good}): reset it with "
                    f"`{RESET_CMD.format(id=st.id)}`")
            recorded = [(s.verdict, s.commit) for s in st.steps]
            extra = [m for m in git_marks if m not in recorded]
            if extra:
                raise BisectError(
                    f"the git bisect state in {self.worktree} has marks the step log "
                    f"{self.run_dir / 'steps.json'} does not: "
                    + ", ".join(f"{k} {c[:12]}" for k, c in extra)
                    + f"; it was changed by hand: reset with `{RESET_CMD.format(id=st.id)}`")
        for s in st.steps:
            if (s.verdict, s.commit) not in git_marks:
                self._mark(s.verdict, s.commit)
            s.marked = True
        self._save()
        return self._position(self._bisect("next", check=False))

    def _finish(self, pos: _Position) -> BisectResult:
        st = self.state
        if pos.first_bad:
            st.status = "found"
            first = pos.first_bad
            ev = next((s.as_verdict() for s in reversed(st.steps)
                       if s.commit == first and s.verdict == "bad"), None)
            if ev is None:
                ev = Verdict("bad", "given as the bad end (--bad); no other commit could be it",
                             "", [])
            parent = git.resolve(self.tree.repo, f"{first}^") or ""
            parent_ev = ""
            if parent == st.good:
                parent_ev = f"{parent[:12]} is the good end (--good)"
            else:
                rec = next((s for s in reversed(st.steps)
                            if s.commit == parent and s.verdict == "good"), None)
                if rec:
                    parent_ev = f"{parent[:12]} ({rec.subject}) is good: {rec.why}"
            result = BisectResult("found", first, self._subject(first), ev, list(st.steps),
                                  len(st.steps), good=st.good, bad=st.bad,
                                  run_dir=self.run_dir, parent_evidence=parent_ev)
        else:
            st.status = "inconclusive"
            cands = set(pos.only_skipped or [])
            order = [c for c in reversed(self._rev_list(f"{st.good}..{st.bad}")) if c in cands]
            order += sorted(cands - set(order))
            result = BisectResult("inconclusive", None, "", None, list(st.steps),
                                  len(st.steps), [(c, self._subject(c)) for c in order],
                                  good=st.good, bad=st.bad, run_dir=self.run_dir)
        st.result = result.to_json()
        self._event("end", st.status)
        (self.run_dir / "bisect.log").write_text(self._bisect("log", check=False))
        self._save()
        (self.run_dir / "result.txt").write_text(result.summary() + "\n")
        self._cleanup_git()
        info(result.summary())
        return result

    def _result_from_state(self) -> BisectResult:
        st = self.state
        r = st.result or {}
        ev = Verdict.from_json(r["evidence"]) if r.get("evidence") else None
        return BisectResult(r["status"], r.get("first_bad"), r.get("subject", ""), ev,
                            list(st.steps), r.get("n_steps", len(st.steps)),
                            [(c[0], c[1]) for c in r.get("candidates", [])], good=st.good,
                            bad=st.bad, run_dir=self.run_dir,
                            parent_evidence=r.get("parent_evidence", ""))

    # ----- reset

    def reset(self) -> None:
        """Abandon the bisection: no git bisect state and (unless kept) no worktree is left.
        The step log stays in the run dir, marked "reset"."""
        with self._locked():
            self._cleanup_git()
            if self.state.result is None:
                self.state.status = "reset"
            self._event("reset", "")
            self._save()
        info(f"bisect {self.id}: reset (step log kept in {self.run_dir})")

    def _cleanup_git(self) -> None:
        wt = self.worktree
        if (wt / ".git").exists():
            git.bisect(wt, "reset")
            git.am_abort(wt)
        if not self.state.keep_worktree:
            git.worktree_remove(self.tree.repo, wt)
            shutil.rmtree(wt, ignore_errors=True)
            git.worktree_remove(self.tree.repo, wt)  # forget it if it could not be removed

    # ----- helpers

    def _subject(self, commit: str) -> str:
        return git.subject(self.tree.repo, commit)

    def _rev_list(self, spec: str) -> list[str]:
        return git.rev_list(self.tree.repo, spec, first_parent=self.state.first_parent)

    def _event(self, what: str, detail: str) -> None:
        self.state.events.append({"time": _now(), "event": what, "detail": detail})

    def _save(self) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        path = self.run_dir / "steps.json"
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(self.state.to_json(), indent=2) + "\n")
        os.replace(tmp, path)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        with open(self.run_dir / "lock", "w") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError as exc:
                raise BisectError(f"bisection {self.id} is being run by another kwb "
                                  "process") from exc
            yield


def _resolve(tree: tree_mod.Tree, ref: str, what: str) -> str:
    sha = tree_mod.has_commit(tree, ref)
    if not sha:
        raise BisectError(f"{what} {ref}: no such commit in {tree.repo} ({tree.source})")
    return sha


def bisect(tree: tree_mod.Tree, good: str, bad: str, step: Step, **kwargs: Any) -> BisectResult:
    """Start a bisection and run it to its end (kwargs: see Bisection.start)."""
    return Bisection.start(tree, good, bad, **kwargs).run(step)
