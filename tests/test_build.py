"""Build-stage helpers that need no kernel: error extraction from a captured log, test lists."""

from __future__ import annotations

from pathlib import Path

from harness.build import kbuild

LOG = (Path(__file__).parent / "data" / "build" / "guestmem-error.log").read_text()


def test_first_errors_names_file_and_line(tmp_path: Path) -> None:
    log = tmp_path / "build.log"
    log.write_text(LOG)
    errors = kbuild.first_errors(log)
    assert errors[0] == ("../../worktrees/linux-patched/mm/guestmem.c:139:17: error: "
                         "'usr' undeclared (first use in this function)")
    assert errors[1].startswith("../../worktrees/linux-patched/include/linux/guestmem.h:9:1: "
                                "error: linux/nope.h")
    assert any("undefined reference to `guestmem_attach'" in e for e in errors)
    assert not any("note:" in e for e in errors)


def test_first_errors_of_a_log_without_compiler_errors(tmp_path: Path) -> None:
    log = tmp_path / "build.log"
    log.write_text("make[1]: *** No rule to make target 'bzImagex'.  Stop.\n")
    assert kbuild.first_errors(log) == ["make[1]: *** No rule to make target 'bzImagex'.  Stop."]
    assert kbuild.first_errors(tmp_path / "missing.log") == []


def test_selftest_list_ignores_comments(tmp_path: Path) -> None:
    f = tmp_path / "tests.txt"
    f.write_text("# KVM selftests\nguest_memfd_test\n\nx86_64/private_mem_kvm_exits_test  # x\n")
    assert kbuild.selftest_names(f) == ["guest_memfd_test", "x86_64/private_mem_kvm_exits_test"]
