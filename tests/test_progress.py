"""Build progress: the total is what make will actually compile (issue 12: touching one file
printed "10/1732 (1%) ETA 1004s" for an 11 s rebuild), and a cold build has a total too.

Over real Kbuild ``.cmd`` files (tests/data/build/cmd, copied from a build dir of the pinned
tree with the series): the layout they describe (objdir ``builds/<dir>``, sources in
``worktrees/<tree>``) is recreated under tmp_path with every dependency a real file; mtimes are
set explicitly (no clock involved).
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from harness.build import progress

DATA = Path(__file__).parent / "data" / "build" / "cmd"
WT = "linux-source-6.12_6.12.117-1_deb12u1-patched"
T_DEPS, T_OBJS, T_BUILD = 1_000_000_000, 2_000_000_000, 3_000_000_000  # ns
T_EDIT = 4_000_000_000


def _set(path: Path, t: int) -> None:
    os.utime(path, ns=(t, t))


@pytest.fixture
def objdir(tmp_path: Path) -> Path:
    """A build dir holding the five sample objects, built, with an index of the last build."""
    obj = tmp_path / "builds" / "patched"
    shutil.copytree(DATA, obj)
    for cmd in progress.cmd_files(obj):
        for dep in progress.deps_of(cmd.read_bytes()):
            if dep.startswith("include/config/") and not dep.endswith(("KVM", "64BIT")):
                continue  # most $(wildcard include/config/X) do not exist: X is not set
            f = obj / dep
            f.parent.mkdir(parents=True, exist_ok=True)
            f.touch()
            _set(f, T_DEPS)
        o = progress.object_of(cmd)
        o.write_bytes(b"\x7fELF")
        _set(o, T_OBJS)
    progress.update_index(obj, since_ns=0, stamp_ns=T_BUILD)
    return obj


def _touch(objdir: Path, rel: str) -> None:
    path = objdir.parent.parent / "worktrees" / WT / rel
    assert path.exists(), path
    _set(path, T_EDIT)


def test_deps_of_a_real_cmd_file() -> None:
    deps = progress.deps_of((DATA / "virt/kvm/.guest_memfd.o.cmd").read_bytes())
    assert deps[0] == f"../../worktrees/{WT}/virt/kvm/guest_memfd.c"  # the source itself
    assert f"../../worktrees/{WT}/include/linux/guestmem.h" in deps
    assert "arch/x86/include/generated/asm/rwonce.h" in deps  # generated, in the objdir
    assert any(d.startswith("include/config/") for d in deps)  # $(wildcard ...) unwrapped
    assert not any(d.startswith("$(") or d.endswith(")") or d == "\\" for d in deps)


def test_nothing_changed_means_nothing_to_compile(objdir: Path) -> None:
    est = progress.estimate(objdir, None)
    assert est.total == 0 and "no dependency changed" in est.how


@pytest.mark.parametrize(("touched", "expected"), [
    ("virt/kvm/guest_memfd.c", 1),  # the warm loop's edit: one object, not the whole build
    ("include/linux/guestmem.h", 2),  # the series' header: guest_memfd.o and guestmem.o
    ("lib/sort.c", 1),
    ("arch/x86/entry/entry_64.S", 1),
])
def test_one_touched_file_counts_its_objects(objdir: Path, touched: str, expected: int) -> None:
    _touch(objdir, touched)
    est = progress.estimate(objdir, None)
    assert est.total == expected, est.how
    assert touched in est.how
    # the index-based answer is the exact one (every .cmd parsed, every mtime compared)
    assert progress.full_scan(objdir, progress.cmd_files(objdir))[0] == expected


def test_a_header_everything_includes(objdir: Path) -> None:
    _touch(objdir, "include/linux/kconfig.h")
    assert progress.estimate(objdir, None).total == 5


def test_a_config_symbol_that_appears_rebuilds_its_readers(objdir: Path) -> None:
    # a config change creates include/config/X for a symbol now set: its readers rebuild
    readers = [c for c in progress.cmd_files(objdir)
               if "include/config/MEMCG" in progress.deps_of(c.read_bytes())]
    assert readers
    flag = objdir / "include/config/MEMCG"
    flag.touch()
    _set(flag, T_EDIT)
    assert progress.estimate(objdir, None).total == len(readers)


def test_objects_rebuilt_since_the_edit_are_not_counted_again(objdir: Path) -> None:
    _touch(objdir, "include/linux/guestmem.h")
    _set(objdir / "mm/guestmem.o", T_EDIT + 1)  # e.g. a failed build got this far
    assert progress.estimate(objdir, None).total == 1


def test_without_an_index_every_cmd_file_is_parsed(objdir: Path) -> None:
    (objdir / progress.INDEX).unlink()
    _touch(objdir, "lib/ctype.c")
    est = progress.estimate(objdir, None)
    assert est.total == 1 and "every .cmd file parsed" in est.how
    assert (objdir / progress.INDEX).exists()  # and the next estimate is the cheap one


def test_a_cold_build_uses_the_shipped_count(tmp_path: Path) -> None:
    counts = tmp_path / "counts.toml"
    counts.write_text('[default]\nobjects = 1279\n[default.measured]\nabc = 1277\n')
    empty = tmp_path / "cold"
    empty.mkdir()
    assert progress.estimate(empty, "default", counts).total == 1279
    assert progress.estimate(empty, "debug", counts).total is None
    (empty / ".config").write_text("CONFIG_X=y\n")
    sha = hashlib.sha256(b"CONFIG_X=y\n").hexdigest()
    counts.write_text(f'[default]\nobjects = 1279\n[default.measured]\n{sha} = 1277\n')
    assert progress.estimate(empty, None, counts).total == 1277  # matched by the .config
    # merge_config.sh built scripts/kconfig's tools: still a cold build (seen: "incremental:
    # 0 of 9 objects to recompile; ... 1270 not built yet" on a fresh build dir)
    (empty / "scripts/kconfig").mkdir(parents=True)
    for name in ("conf.o", "confdata.o", "expr.o"):
        (empty / "scripts/kconfig" / name).write_bytes(b"")
    est = progress.estimate(empty, None, counts)
    assert (est.total, est.how.split(":")[0]) == (1277, "cold build")


def test_the_shipped_counts_file_covers_the_default_config() -> None:
    n = progress.shipped_count("default")
    assert n is not None and 500 < n < 3000


def test_progress_line_for_a_one_file_rebuild(capsys) -> None:
    bar = progress.Progress("bzImage", progress.Estimate(1, "incremental"), tty=False,
                            interval=0)
    for line in ["  GEN     Makefile\n", "  CALL    scripts/checksyscalls.sh\n",
                 "  CC      arch/x86/kvm/../../../virt/kvm/guest_memfd.o\n",
                 "  AR      arch/x86/kvm/built-in.a\n", "  LD      vmlinux.o\n"]:
        bar.line(line)
    err = capsys.readouterr().err
    assert "bzImage: 1/1 objects (100%)" in err and "ETA 0s" in err
    assert bar.count == 1 and bar.work == 3  # CC, AR, LD (GEN Makefile is not work)


def test_plain_progress_is_a_line_a_minute(capsys) -> None:
    bar = progress.Progress("bzImage", progress.Estimate(1279, "cold"), tty=False)
    for i in range(50):
        bar.line(f"  CC      mm/f{i}.o\n")
    assert capsys.readouterr().err == ""  # not a line per object
    bar.last -= 61
    bar.line("  CC      mm/last.o\n")
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "51/1279 objects (4%)" in err and "ETA" in err


def test_the_rich_bar_on_a_terminal(monkeypatch) -> None:
    bar = progress.Progress("bzImage", progress.Estimate(2, "x"), tty=True)
    bar.line("  CC      mm/a.o\n")
    assert bar._bar is not None
    task = bar._bar.tasks[0]
    assert task.total == 2 and task.completed == 1
    bar.line("  CC      mm/b.o\n")
    bar.line("  CC      mm/c.o\n")  # more than estimated: the total follows
    assert bar._bar.tasks[0].total == 3
    bar.done()
    assert bar._bar is None


def test_a_half_built_dir_counts_what_is_not_built_yet(objdir: Path, tmp_path: Path) -> None:
    counts = tmp_path / "counts.toml"
    counts.write_text("[default]\nobjects = 100\n")
    est = progress.estimate(objdir, "default", counts)  # 5 of 100 built, nothing changed
    assert est.total == 95 and "95 not built yet" in est.how


def test_a_relink_compiles_its_own_objects_again(objdir: Path) -> None:
    # measured: touching guest_memfd.c compiled it and 8 link-time objects (version stamp,
    # kallsyms passes, the boot image's); they count whenever anything is recompiled
    for rel in ("init/version-timestamp.o", "arch/x86/boot/header.o",
                ".tmp_vmlinux1.kallsyms.o", ".tmp_vmlinux2.kallsyms.o"):
        (objdir / rel).parent.mkdir(parents=True, exist_ok=True)
        (objdir / rel).write_bytes(b"\x7fELF")
    assert progress.estimate(objdir, None).total == 0  # a no-op build does not relink
    _touch(objdir, "virt/kvm/guest_memfd.c")
    est = progress.estimate(objdir, None)
    assert est.total == 1 + 4 and "4 compiled at every relink" in est.how


def test_a_config_measured_only_by_name_does_not_invent_missing_objects(objdir, tmp_path):
    for i in range(10):
        (objdir / "lib" / f"extra{i}.o").write_bytes(b"")  # 15 objects
    counts = tmp_path / "counts.toml"
    counts.write_text("[default]\nobjects = 16\n")  # by name: within a config's drift
    assert progress.estimate(objdir, "default", counts).total == 0
    (objdir / ".config").write_text("CONFIG_Y=y\n")
    sha = hashlib.sha256(b"CONFIG_Y=y\n").hexdigest()
    counts.write_text(f"[default]\nobjects = 16\n[default.measured]\n{sha} = 16\n")
    assert progress.estimate(objdir, "default", counts).total == 1  # this .config: exact
