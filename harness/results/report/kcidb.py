"""kcidb.json: kwb's results in KernelCI's KCIDB schema (v5.3), so that a lab can submit them
with ``kcidb-submit`` or ``kci-dev`` instead of kwb growing a dashboard.

One document per boot-and-test: a *checkout* per kernel source (base commit + the series'
patchset hash), a *build* per build manifest, and the *tests*: a ``boot`` test per run, then
every selftest program and its subtests, with KCIDB test paths (``kvm.guest_memfd_test``,
``kvm.x86_64.private_mem_conversions_test``, ``kwb.guestmem_free_test``, and
``kunit.guestmem.<case>`` for the KUnit case ``kunit:guestmem.<case>``).

The writer reads the documented results.json form of a run (:meth:`RunResult.to_dict`) and the
build manifests, and decides nothing: statuses are mapped one to one (:data:`STATUS`). The
document is validated with ``kcidb_io`` before it is written; an invalid one is an error.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from harness.build.manifest import Manifest
from harness.errors import WorkbenchError
from harness.results.model import RunResult

ORIGIN = "kwb"  # KernelCI assigns each submitter its origin name: KWB_KCIDB_ORIGIN overrides
SCHEMA_VERSION = {"major": 5, "minor": 3}
LOG_EXCERPT_MAX = 16384  # characters, the schema's maxLength

# kwb's state of a test program (results.json ``state``) or status of a subtest
# (``result.status``) -> KCIDB status.  XFAIL/XPASS count as passes in kwb, TODO reports no
# verdict on the code (DONE); a console crash or hang is the kernel's fault (FAIL); a test that
# timed out or whose output was broken did not complete (ERROR); one that never ran is MISS.
STATUS: dict[str, str] = {
    "pass": "PASS",
    "xfail": "PASS",
    "xpass": "PASS",
    "todo": "DONE",
    "fail": "FAIL",
    "crash": "FAIL",
    "hang": "FAIL",
    "error": "ERROR",
    "timeout": "ERROR",
    "skip": "SKIP",
    "missing": "MISS",
    "not-run": "MISS",
}

# first component of a kwb test name -> KCIDB path prefix; a test of a kselftest collection
# goes under the collection's name, anything else is a KVM selftest (tests.txt)
PATH_PREFIX = {"extra": "kwb", "kunit": "kunit", "kselftest": "kselftest"}
KUNIT_PREFIX = "kunit:"  # KUnit cases are named kunit:suite.case

_ORIGIN_RE = re.compile(r"^[a-z0-9_]+$")
_SHA1_RE = re.compile(r"^[0-9a-f]{40}$")
_PART_RE = re.compile(r"[^A-Za-z0-9_-]+")


def _id(origin: str, *parts: object) -> str:
    """An origin-prefixed id, unique per origin: a hash of what identifies the object."""
    h = hashlib.sha256("\0".join(str(p) for p in parts).encode()).hexdigest()
    return f"{origin}:{h[:24]}"


def path_part(name: str, fallback: str = "test") -> str:
    """One component of a KCIDB test path: ``[A-Za-z0-9_-]+``, no dots."""
    part = _PART_RE.sub("_", name.strip()).strip("_")
    return part or fallback


def test_path(name: str, collection: str | None = None) -> str:
    """The KCIDB path of a kwb test program: ``x86_64/private_mem_conversions_test`` ->
    ``kvm.x86_64.private_mem_conversions_test``, ``extra/guestmem_free_test`` ->
    ``kwb.guestmem_free_test``, ``kunit:guestmem.free_on_close`` ->
    ``kunit.guestmem.free_on_close``; a test of a kselftest ``collection`` goes under it."""
    if name.startswith(KUNIT_PREFIX):
        rest = name[len(KUNIT_PREFIX):]
        return ".".join(["kunit", *(path_part(p) for p in rest.split(".") if p)])
    parts = [path_part(p) for p in name.split("/") if p]
    if parts and parts[0] in PATH_PREFIX:
        parts[0] = PATH_PREFIX[parts[0]]
    elif collection:
        top = path_part(collection)
        parts = parts if parts and parts[0] == top else [top, *parts]
    else:
        parts.insert(0, "kvm")
    return ".".join(parts)


def patchset_hash(patch_sha256: Sequence[str]) -> str:
    """KCIDB's patchset hash: sha256 over the newline-terminated sha256 of each patch, in order
    (``sha256sum *.patch | cut -c-64 | sha256sum``); "" for no patches."""
    if not patch_sha256:
        return ""
    return hashlib.sha256("".join(f"{h}\n" for h in patch_sha256).encode()).hexdigest()


def _rfc3339(stamp: str | None) -> str | None:
    """kwb's timestamps (``...Z`` or ``...+0000``) as RFC 3339, or None."""
    if not stamp:
        return None
    for fmt in ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S%z"):
        try:
            when = datetime.strptime(stamp, fmt)
        except ValueError:
            continue
        return when.strftime("%Y-%m-%dT%H:%M:%S") + (
            "+00:00" if when.tzinfo is None else when.isoformat()[19:])
    return None


def _put(obj: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """Add the fields that are known (KCIDB allows no nulls), strings without NUL bytes."""
    obj.update({k: v.replace("\0", "") if isinstance(v, str) else v
                for k, v in fields.items() if v is not None and v != {}})
    return obj


def _compiler(tools: Mapping[str, str]) -> str | None:
    gcc = tools.get("gcc")
    return gcc if gcc and gcc not in ("?", "not installed") else None


def checkout(m: Mapping[str, Any], origin: str) -> dict[str, Any]:
    """The checkout of a build manifest: its tree and base commit, plus its series."""
    tree, series = m["tree"], m.get("series")
    hashes = list(series.get("patch_sha256", [])) if series else []
    known_hash = series is None or len(hashes) == len(series.get("patches", []))
    phash = patchset_hash(hashes) if known_hash else None
    base = tree.get("base_commit", "")
    url = os.environ.get("KWB_GIT_REPOSITORY_URL", "")
    obj = {"id": _id(origin, "checkout", tree.get("source"), base, phash, m.get("created")),
           "origin": origin}
    return _put(
        obj,
        tree_name=tree.get("source"),
        git_commit_hash=base if _SHA1_RE.match(base) else None,
        git_repository_url=url if url.startswith("https://") else None,
        patchset_hash=phash,
        comment=(f"{series['title']} v{series.get('version', 1)}" if series
                 else "base: no series"),
        start_time=_rfc3339(m.get("created")),
        valid=True,  # a manifest is written only once the series applied and built
        misc={"head_commit": tree.get("head_commit"), "variant": m.get("variant"),
              "patches": [p.get("subject") for p in series.get("patches", [])]
              if series else []},
    )


def build(m: Mapping[str, Any], checkout_id: str, origin: str) -> dict[str, Any]:
    """The build of a manifest (a manifest exists only for a build that succeeded)."""
    cfg, timings = m.get("config", {}), m.get("timings", {})
    obj = {"id": _id(origin, "build", checkout_id, cfg.get("sha256"), m.get("created"),
                     m["artifacts"].get("objdir")),
           "origin": origin, "checkout_id": checkout_id}
    return _put(
        obj,
        architecture="x86_64",
        config_name=cfg.get("name"),
        compiler=_compiler(m.get("tools", {})),
        command=f"kwb apply-and-build --config {cfg.get('name', 'default')}"
                + (" --no-series" if m.get("series") is None else ""),
        duration=timings.get("build"),
        start_time=_rfc3339(m.get("created")),
        status="PASS",
        misc={"config_sha256": cfg.get("sha256"),
              "fragments": [Path(f).name for f in cfg.get("fragments", [])],
              "timings": dict(timings), "variant": m.get("variant")},
    )


def _status(value: str, reason: str = "") -> str:
    if value == "error" and reason.startswith("not run"):
        return "MISS"
    return STATUS.get(value, "ERROR")


def _excerpt(text: str) -> str | None:
    return text[-LOG_EXCERPT_MAX:] if text else None


def _subtests(result: Mapping[str, Any], path: str) -> Iterable[tuple[str, Mapping[str, Any]]]:
    seen: dict[str, int] = {}
    for sub in result.get("subtests", []):
        part = path_part(sub.get("name", ""), f"test_{sub.get('number') or 0}")
        seen[part] = seen.get(part, 0) + 1
        if seen[part] > 1:
            part = f"{part}-{seen[part]}"
        yield f"{path}.{part}", sub
        yield from _subtests(sub, f"{path}.{part}")


def run_tests(run: Mapping[str, Any], build_id: str, origin: str) -> list[dict[str, Any]]:
    """The KCIDB tests of one run (a results.json RUN): ``boot``, then each program and its
    subtests."""
    started = _rfc3339(run.get("started"))
    env = {"comment": f"QEMU x86_64 guest ({run.get('accelerator', '?')})",
           "misc": {"accelerator": run.get("accelerator"), "label": run["kernel"]["label"]}}
    outcome, tests = run.get("outcome", ""), run.get("tests", [])
    out: list[dict[str, Any]] = []

    def add(path: str, status: str, index: int, **fields: Any) -> None:
        obj = {"id": _id(origin, "test", build_id, run.get("started"), index, path),
               "origin": origin, "build_id": build_id, "path": path, "status": status,
               "environment": env}
        out.append(_put(obj, start_time=started, **fields))

    # the guest booted when tests ran; a kernel that died before any did failed to boot
    boot = "PASS" if tests else "FAIL" if outcome in ("crash", "hang") else "ERROR"
    add("boot", boot, 0, duration=run.get("timings", {}).get("boot_to_prompt"),
        comment=run.get("reason") or None,
        log_excerpt=_excerpt("\n".join(run.get("excerpt", []))) if boot != "PASS" else None)
    for t in tests:
        path = test_path(t["name"], t.get("collection"))
        result = t.get("result", {})
        status = _status(t.get("state", ""), result.get("reason", ""))
        bad = status not in ("PASS", "SKIP", "DONE")
        add(path, status, len(out), duration=t.get("duration"),
            comment=result.get("reason") or None,
            log_excerpt=_excerpt("\n".join(t.get("console_excerpt", []))
                                 or t.get("output", "")) if bad else None,
            misc={"kwb_name": t["name"], "kwb_state": t.get("state"),
                  "exit_code": t.get("exit_code")})
        for sub_path, sub in _subtests(result, path):
            add(sub_path, _status(sub.get("status", ""), sub.get("reason", "")), len(out),
                comment=sub.get("reason") or None,
                misc={"kwb_status": sub.get("status"), "directive": sub.get("directive")})
    return out


def kcidb_dict(runs: Sequence[Mapping[str, Any]], manifests: Sequence[Mapping[str, Any]],
               origin: str = ORIGIN) -> dict[str, Any]:
    """The KCIDB document for ``runs`` (results.json RUNs) built from ``manifests`` (build
    manifests as dicts).  A run is matched to its manifest by bzImage, else by variant label;
    a run without a manifest is an error (its build and checkout would be unknown)."""
    if not _ORIGIN_RE.match(origin):
        raise WorkbenchError(f"KCIDB origin {origin!r}: must match [a-z0-9_]+")
    doc: dict[str, Any] = {"version": dict(SCHEMA_VERSION), "checkouts": [], "builds": [],
                           "tests": []}
    build_ids: dict[int, str] = {}
    for run in runs:
        k = run["kernel"]
        m = next((m for m in manifests if k.get("bzimage")
                  and m["artifacts"].get("bzImage") == k["bzimage"]), None) or \
            next((m for m in manifests if m.get("variant") == k["label"]), None)
        if m is None:
            raise WorkbenchError(f"kcidb.json: no build manifest for the {k['label']!r} run")
        if id(m) not in build_ids:
            ck = checkout(m, origin)
            if all(c["id"] != ck["id"] for c in doc["checkouts"]):
                doc["checkouts"].append(ck)
            b = build(m, ck["id"], origin)
            doc["builds"].append(b)
            build_ids[id(m)] = b["id"]
        doc["tests"] += run_tests(run, build_ids[id(m)], origin)
    return doc


def validate(doc: Mapping[str, Any]) -> None:
    """Validate with kcidb-io (KernelCI's own I/O library); an invalid document is an error."""
    import jsonschema
    import kcidb_io

    try:
        kcidb_io.schema.LATEST.validate(doc)
    except jsonschema.exceptions.ValidationError as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "(top)"
        raise WorkbenchError(f"kcidb.json does not validate against KCIDB "
                             f"{kcidb_io.schema.LATEST}: at {where}: {exc.message}") from exc


def write_kcidb(path: Path, runs: Sequence[RunResult], manifests: Sequence[Manifest],
                origin: str | None = None) -> Path:
    """Write kcidb.json for ``runs`` and the manifests of their builds, validated."""
    doc = kcidb_dict([r.to_dict() for r in runs], [asdict(m) for m in manifests],
                     origin or os.environ.get("KWB_KCIDB_ORIGIN") or ORIGIN)
    validate(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(doc, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path
