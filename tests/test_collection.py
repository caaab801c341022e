"""Whole kselftest collections: the program list, settings timeouts, config, sharding, plans."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from harness.build import collection
from harness.build.collection import COLLECTIONS, Estimate
from harness.errors import WorkbenchError
from harness.vm import plan

KVM = COLLECTIONS["kvm"]


# ------------------------------------------------------------------------ settings timeouts


@pytest.mark.parametrize(("text", "seconds"), [
    ("timeout=120\n", 120.0),
    ("# kselftest settings\ntimeout = 300\n", 300.0),
    ("timeout=45\ntimeout=90\n", 90.0),  # the last one wins, as runner.sh reads it
    ("other=1\n", collection.KSELFTEST_DEFAULT_TIMEOUT),
    ("timeout=0\n", collection.NO_TIMEOUT),  # kselftest: 0 disables the timeout
])
def test_settings_timeout(tmp_path: Path, text: str, seconds: float) -> None:
    (tmp_path / "settings").write_text(text)
    assert collection.settings_timeout(tmp_path / "settings") == seconds


def test_settings_timeout_absent_and_malformed(tmp_path: Path) -> None:
    assert collection.settings_timeout(tmp_path / "settings") == 45.0
    (tmp_path / "settings").write_text("timeout=soon\n")
    with pytest.raises(WorkbenchError, match="'soon' is not a number"):
        collection.settings_timeout(tmp_path / "settings")


@pytest.mark.kernel
def test_the_kvm_collection_of_the_pinned_tree(pinned_worktree: Path) -> None:
    src = pinned_worktree
    assert KVM.settings_timeout(src) == 120.0
    progs = KVM.programs(src)
    # 6.12 builds 84 programs for x86_64 (TEST_GEN_PROGS_x86_64), not the .sh TEST_PROGS
    assert len(progs) == 84 and len(set(progs)) == 84
    assert progs[0] == "x86_64/cpuid_test" and "guest_memfd_test" in progs
    assert "x86_64/nx_huge_pages_test.sh" not in progs
    frags = collection.config_fragments(src, [KVM])
    assert frags[0] == src / KVM.directory / "config"
    assert frags[-1].name == "collection-kvm.config"
    text = "".join(f.read_text() for f in frags)
    for symbol in ("CONFIG_IDLE_PAGE_TRACKING=y", "CONFIG_USERFAULTFD=y", "CONFIG_RSEQ=y"):
        assert symbol in text


def test_programs_are_read_from_make(tmp_path: Path) -> None:
    d = tmp_path / KVM.directory
    d.mkdir(parents=True)
    (d / "Makefile").write_text(
        "ifeq ($(ARCH),x86)\n\tARCH_DIR := x86_64\nelse\n\tARCH_DIR := $(ARCH)\nendif\n"
        "TEST_GEN_PROGS_x86_64 = x86_64/a_test\nTEST_GEN_PROGS_x86_64 += b_test\n"
        "TEST_GEN_PROGS_aarch64 += arm_only\nall:\n")
    assert KVM.programs(tmp_path) == ["x86_64/a_test", "b_test"]
    (d / "Makefile").write_text("all:\n")
    with pytest.raises(WorkbenchError, match="could not read TEST_GEN_PROGS"):
        KVM.programs(tmp_path)


# ------------------------------------------------------------------------ entries and selection


def test_collection_entries() -> None:
    assert collection.collection_of("kvm") == (KVM, "*")
    assert collection.collection_of("kvm:*") == (KVM, "*")
    assert collection.collection_of("kvm:x86_64/xen_*") == (KVM, "x86_64/xen_*")
    assert collection.collection_of("guest_memfd_test") is None
    assert collection.collection_of("kunit:guestmem") is None
    assert collection.requested(["guest_memfd_test", "kvm:x86_64/*", "kvm"]) == [KVM]


def test_select_expands_collections_in_order_and_once() -> None:
    listing = {"kvm": ["x86_64/a", "x86_64/b", "c", "guest_memfd_test"]}
    assert collection.select(["guest_memfd_test", "kvm"], listing) == \
        ["guest_memfd_test", "x86_64/a", "x86_64/b", "c"]
    assert collection.select(["kvm:x86_64/*"], listing) == ["x86_64/a", "x86_64/b"]
    with pytest.raises(WorkbenchError, match="matches none of the 4 programs"):
        collection.select(["kvm:nope*"], listing)
    with pytest.raises(WorkbenchError, match="was not built"):
        collection.select(["kvm"], {})


# ------------------------------------------------------------------------ sharding


@pytest.mark.parametrize(("count", "number"), [(84, 3), (10, 3), (5, 5), (3, 4), (0, 2), (85, 7)])
def test_shards_partition_the_list(count: int, number: int) -> None:
    names = [f"t{i}" for i in range(count)]
    slices = [collection.shard(names, k, number) for k in range(1, number + 1)]
    assert list(itertools.chain.from_iterable(slices)) == names  # disjoint, in order, complete
    sizes = [len(s) for s in slices]
    assert max(sizes) - min(sizes) <= 1


def test_shard_sizes_and_parsing() -> None:
    names = [f"t{i}" for i in range(10)]
    assert collection.shard(names, 1, 3) == ["t0", "t1", "t2", "t3"]
    assert collection.shard(names, 3, 3) == ["t7", "t8", "t9"]
    assert collection.parse_shard("2/3") == (2, 3)
    for bad in ("0/3", "4/3", "3", "a/b", "1/0"):
        with pytest.raises(WorkbenchError, match="K/N"):
            collection.parse_shard(bad)


# ------------------------------------------------------------------------ plans and estimates


def _artifacts() -> dict[str, object]:
    progs = ["x86_64/a", "b", "guest_memfd_test"]
    return {"selftests": {p: f"/o/{p}" for p in [*progs, "extra/e"]},
            "collections": {"kvm": {"programs": progs, "timeout": 300.0}}}


def test_plan_timeouts_groups_and_override() -> None:
    p = plan.plan(_artifacts(), ["extra/e", "kvm"])
    assert list(p.tests) == ["extra/e", "x86_64/a", "b", "guest_memfd_test"]
    assert p.timeouts == {"extra/e": 120.0, "x86_64/a": 300.0, "b": 300.0,
                          "guest_memfd_test": 300.0}
    assert p.groups == {"x86_64/a": "kvm", "b": "kvm", "guest_memfd_test": "kvm"}
    single = plan.plan(_artifacts(), ["guest_memfd_test"])  # not asked as part of kvm
    assert single.groups == {} and single.timeouts == {"guest_memfd_test": 120.0}
    forced = plan.plan(_artifacts(), ["kvm"], timeout=10.0)
    assert set(forced.timeouts.values()) == {10.0}
    sharded = plan.plan(_artifacts(), ["kvm"], shard=(2, 2))
    assert list(sharded.tests) == ["guest_memfd_test"]


def test_plan_names_what_was_not_built() -> None:
    arts = _artifacts()
    del arts["collections"]
    with pytest.raises(WorkbenchError, match="collection 'kvm' was not built"):
        plan.plan(arts, ["kvm"])
    with pytest.raises(WorkbenchError, match="nope were not built"):
        plan.plan(_artifacts(), ["nope"])


def test_long_collections_say_so_up_front() -> None:
    arts = _artifacts()
    short = plan.plan(arts, ["kvm"], durations={"x86_64/a": 10, "b": 20, "guest_memfd_test": 5})
    assert short.estimate == Estimate(35.0, 3, 0) and short.warning() is None
    # never measured: each counted at its timeout (300 s), said up front, not a warning
    first = plan.plan(arts, ["kvm"], timeout=1000.0)
    assert first.estimate == Estimate(3000.0, 0, 3) and first.warning() is None
    assert "never run on this machine, so at most 50 min" in (first.note() or "")
    long = plan.plan(arts, ["kvm"], durations={"x86_64/a": 1500, "b": 1000})
    assert long.estimate is not None and long.estimate.seconds == 300 + 300 + 300
    slow = plan.plan(arts, ["kvm"], timeout=1000.0,
                     durations={"x86_64/a": 900, "b": 900, "guest_memfd_test": 900})
    warning = slow.warning()
    assert warning is not None and "over 30 minutes" in warning and "--shard K/2" in warning


def test_durations_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    collection.record_durations({"a": 1.234}, path)
    collection.record_durations({"b": 2.0}, path)
    assert collection.load_durations(path) == {"a": 1.23, "b": 2.0}
    assert collection.shards_needed(29 * 60) == 1 and collection.shards_needed(61 * 60) == 3
