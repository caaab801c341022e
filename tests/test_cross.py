"""The compile-only cross config (arm64-cross): what configs.toml says, what make is given,
and, marked ``kernel``, the real series compiled for arm64 with Debian's cross gcc."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from harness import paths
from harness.build import config, kbuild
from harness.errors import WorkbenchError

EM_AARCH64 = 183  # e_machine of an arm64 ELF object


def _configs(tmp_path: Path, body: str) -> Path:
    f = tmp_path / "configs.toml"
    f.write_text(body)
    return f


def test_the_host_build_is_not_a_cross_build() -> None:
    target = config.named_target("default")
    assert target == config.Target()
    assert not target.compile_only
    assert target.make_vars() == {}
    assert kbuild.cc("default") in ("ccache gcc", "gcc")
    assert "ARCH" not in kbuild.make_env("default")


def test_arm64_cross_is_compile_only_with_arm64_make_vars() -> None:
    target = config.named_target("arm64-cross")
    assert target.arch == "arm64"
    assert target.compile_only
    assert "mm/guestmem.o" in target.objects and "mm/guestmem_kunit.o" in target.objects
    assert target.make_vars() == {"ARCH": "arm64", "CROSS_COMPILE": "aarch64-linux-gnu-"}
    env = kbuild.make_env("arm64-cross")
    assert env["ARCH"] == "arm64" and env["CROSS_COMPILE"] == "aarch64-linux-gnu-"
    assert kbuild.cc("arm64-cross").endswith("aarch64-linux-gnu-gcc")


def test_a_missing_cross_compiler_is_an_error_naming_the_package(tmp_path: Path) -> None:
    configs = _configs(tmp_path, '[riscv]\nfragments = []\narch = "riscv"\n'
                                 'cross_compile = "kwb-nonexistent-linux-gnu-"\n'
                                 'objects = ["mm/filemap.o"]\n')
    with pytest.raises(WorkbenchError) as err:
        config.named_target("riscv", configs)
    assert "kwb-nonexistent-linux-gnu-gcc" in str(err.value)
    assert "apt-get install gcc-kwb-nonexistent-linux-gnu" in str(err.value)


@pytest.mark.kernel
def test_the_series_compiles_for_arm64_without_warnings(real_cache: Path) -> None:
    """The real patched tree, configured for arm64 and compiled (library, KUnit suite and the
    mm files patch 1 changes) with aarch64-linux-gnu-gcc: objects of the right machine, and
    not one compiler warning."""
    res = subprocess.run([sys.executable, "-m", "harness.cli", "apply-and-build",
                          "--config", "arm64-cross"], text=True, capture_output=True,
                         cwd=paths.PROJECT_ROOT)
    assert res.returncode == 0, res.stderr[-3000:]
    manifest = json.loads(Path(res.stdout.strip().splitlines()[-1]).read_text())
    assert manifest["artifacts"]["bzImage"] is None
    objects = manifest["artifacts"]["objects"]
    assert set(objects) == set(config.named_target("arm64-cross").objects)
    for name, path in objects.items():
        header = Path(path).read_bytes()[:20]
        assert header[:4] == b"\x7fELF", name
        assert int.from_bytes(header[18:20], "little") == EM_AARCH64, name
    assert manifest["artifacts"]["warnings"] == []
    cfg = config.read_config(Path(manifest["config"]["path"]))
    assert cfg["CONFIG_ARM64"] == "y"
    assert cfg["CONFIG_GUESTMEM"] == "y" and cfg["CONFIG_GUESTMEM_KUNIT_TEST"] == "y"
