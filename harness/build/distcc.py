"""Builds on distcc: ``--distcc HOSTS`` (or ``DISTCC_HOSTS``) sends the kernel's compile jobs to
a build farm, with ccache in front (``CCACHE_PREFIX=distcc``: a cache hit never leaves the
machine) and make's ``-j`` scaled to the hosts' slots.

HOSTS is distcc's own host list (``man distcc``, "HOST SPECIFICATIONS"): ``host[:port][/limit]``
separated by spaces, ``@host`` for ssh, ``,lzo`` / ``,cpp`` options; a host without ``/limit``
takes distcc's default of 4 jobs (2 for ``localhost``).  Icecream (``icecc``) is the other
engine: it schedules over a cluster by itself; ``CCACHE_PREFIX=icecc`` with ``KWB_JOBS=N``
uses it (README, "Builds on a farm").
"""

from __future__ import annotations

import os
import shutil

from harness.errors import WorkbenchError

DEFAULT_SLOTS = 4
LOCALHOST_SLOTS = 2


def hosts() -> str | None:
    """The distcc host list kwb builds with (``--distcc`` sets ``DISTCC_HOSTS``), or None."""
    value = os.environ.get("DISTCC_HOSTS", "").strip()
    return value or None


def slots(host_list: str) -> int:
    """The compile jobs a host list takes at once: the sum of each host's ``/limit``."""
    total = 0
    for spec in host_list.split():
        if spec.startswith("-"):  # --randomize, --localslots=N ...
            continue
        spec = spec.split(",", 1)[0]
        name, _, limit = spec.partition("/")
        if limit.isdigit():
            total += int(limit)
        else:
            total += LOCALHOST_SLOTS if name.split(":", 1)[0] == "localhost" else DEFAULT_SLOTS
    return total


def jobs(host_list: str | None, local: int | None = None) -> int:
    """make's ``-j``: ``$KWB_JOBS`` if set (icecream), else the farm's slots (never fewer than
    the local CPUs)."""
    forced = os.environ.get("KWB_JOBS", "")
    if forced.isdigit() and int(forced) > 0:
        return int(forced)
    local = local or os.cpu_count() or 1
    return max(local, slots(host_list)) if host_list else local


def env(host_list: str | None) -> dict[str, str]:
    """The environment of a make whose compiles go through distcc (empty without hosts)."""
    if not host_list:
        return {}
    if shutil.which("distcc") is None:
        raise WorkbenchError("--distcc / DISTCC_HOSTS: distcc is not installed "
                             "(apt-get install distcc)")
    return {"DISTCC_HOSTS": host_list, "CCACHE_PREFIX": "distcc"}
