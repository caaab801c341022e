"""A FAKE kernel tree for tests of kwb's build stage around make (locks, signals, logs).

Named as a fake: a throw-away git repository (real git) with a tiny Makefile (real make) and a
stand-in ``scripts/kconfig/merge_config.sh`` that copies the fragment to ``.config``.  Its
targets (``olddefconfig``, ``bzImage``, ``headers``) append what they do to the file named by
``$KWB_FAKE_EVENTS`` (one line: ``<event> <$KWB_FAKE_ID>``), and ``bzImage`` waits while the
file ``$KWB_FAKE_HOLD`` exists, so a test can hold one kwb process inside make.
With ``$KWB_FAKE_FOREVER`` set, ``bzImage`` writes a line into the build dir every 50 ms and
never ends (a build that only a signal stops).  A file ``BROKEN`` in the tree makes ``bzImage``
print its content (say, a compiler error) and fail.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import GitRepo

from harness import paths

MAKEFILE = """\
O ?= .
EV = $(or $(KWB_FAKE_EVENTS),/dev/null)
.PHONY: olddefconfig bzImage headers modules
olddefconfig:
\t@echo "config $(KWB_FAKE_ID)" >> $(EV)
bzImage:
\t@echo "build-start $(KWB_FAKE_ID)" >> $(EV)
\t@echo "  CC      fake/a.o"
\t@if [ -e BROKEN ]; then cat BROKEN; echo "make[1]: *** [fake] Error 1"; exit 1; fi
\t@echo "$$$$ $$(ps -o pgid= $$$$)" > $(O)/make-recipe.pid
\t@if [ -n "$(KWB_FAKE_FOREVER)" ]; then \\
\t  while :; do echo tick >> $(O)/ticks; sleep 0.05; done; fi
\t@while [ -e "$(KWB_FAKE_HOLD)" ]; do sleep 0.02; done
\t@mkdir -p $(O)/arch/x86/boot && echo kernel > $(O)/arch/x86/boot/bzImage
\t@echo "build-end $(KWB_FAKE_ID) $$(tail -n1 README)" >> $(EV)
headers:
\t@mkdir -p $(O)/usr/include
"""

MERGE_CONFIG = """\
#!/bin/sh
# FAKE merge_config.sh: -n -O DIR FRAGMENT -> DIR/.config
out=$3
shift 3
cat "$@" > "$out/.config"
echo "merge $KWB_FAKE_ID" >> "${KWB_FAKE_EVENTS:-/dev/null}"
"""


def make_fake_kernel(repo: GitRepo, patches: Path, readme: str = "with a series") -> None:
    """Commit the fake tree as ``base`` in ``repo``, then write a one-patch series (a second
    line ``readme`` in ``README``) into ``patches``."""
    repo.commit("fake kernel tree", {"Makefile": MAKEFILE, "README": "fake kernel\n",
                                     "scripts/kconfig/merge_config.sh": MERGE_CONFIG})
    (repo.path / "scripts/kconfig/merge_config.sh").chmod(0o755)
    repo.git("add", "--chmod=+x", "scripts/kconfig/merge_config.sh")
    repo.git("commit", "-q", "--amend", "--no-edit")
    repo.git("tag", "base")
    write_series(repo, patches, readme)


def write_series(repo: GitRepo, patches: Path, readme: str) -> None:
    """A one-patch series on ``base`` that makes ``readme`` the second line of README."""
    branch = "topic-" + "".join(c if c.isalnum() else "-" for c in readme)
    repo.git("checkout", "-q", "-b", branch, "base")
    repo.commit(f"readme: {readme}", {"README": f"fake kernel\n{readme}\n"},
                body="Signed-off-by: Ada Author <ada@example.org>")
    repo.git("checkout", "-q", "main")
    repo.format_patch(f"base..{branch}", patches)


def kwb_argv(repo: GitRepo, patches: Path, *extra: str) -> list[str]:
    """``kwb apply-and-build`` of the fake tree, as a real process."""
    return [sys.executable, "-m", "harness.cli", "apply-and-build", "--tree", str(repo.path),
            "--base", "base", "--patches", str(patches), "--no-selftests", *extra]


def spawn(argv: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start kwb with stderr and stdout going to ``log``."""
    out = open(log, "wb")  # noqa: SIM115 - kept open for the child's life
    return subprocess.Popen(argv, cwd=paths.PROJECT_ROOT, env={**os.environ, **env},
                            stdout=out, stderr=subprocess.STDOUT)
