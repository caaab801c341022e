"""The hermetic backend's initramfs: newc format, layout, libraries, determinism."""

from __future__ import annotations

import gzip
import io
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from harness.errors import WorkbenchError
from harness.vm import initramfs

pytestmark = pytest.mark.skipif(shutil.which("busybox") is None and
                                not Path("/bin/busybox").exists(),
                                reason="busybox-static not installed")

HOST_BINARY = Path(shutil.which("true") or "/bin/true")


def _members(path: Path) -> dict[str, tuple[int, bytes]]:
    return initramfs.read_cpio(gzip.decompress(path.read_bytes()))


def test_cpio_round_trip() -> None:
    entries = [
        initramfs.Entry(initramfs.PurePosixPath("/d"), stat.S_IFDIR | 0o755),
        initramfs.Entry(initramfs.PurePosixPath("/d/f"), stat.S_IFREG | 0o644, data=b"abcde"),
        initramfs.Entry(initramfs.PurePosixPath("/d/l"), stat.S_IFLNK | 0o777, target="f"),
        initramfs.Entry(initramfs.PurePosixPath("/console"), stat.S_IFCHR | 0o600,
                        rdev=(5, 1)),
    ]
    buf = io.BytesIO()
    initramfs.write_cpio(entries, buf)
    assert len(buf.getvalue()) % 4 == 0
    got = initramfs.read_cpio(buf.getvalue())
    assert got["d/f"] == (stat.S_IFREG | 0o644, b"abcde")
    assert got["d/l"] == (stat.S_IFLNK | 0o777, b"f")
    assert stat.S_ISCHR(got["console"][0]) and stat.S_ISDIR(got["d"][0])


def test_layout_tests_and_their_libraries(tmp_path: Path) -> None:
    tests = {"guest_memfd_test": HOST_BINARY, "x86_64/private_mem_conversions_test": HOST_BINARY}
    out = initramfs.build_initramfs(tests, out_dir=tmp_path)
    members = _members(out)
    assert stat.S_ISLNK(members["init"][0]) and members["init"][1] == b"/bin/busybox"
    assert b"ttyS0::respawn:-/bin/sh" in members["etc/inittab"][1]
    rcs = members["etc/init.d/rcS"][1]
    for fs in (b"proc", b"sysfs", b"devtmpfs"):
        assert b"-t " + fs in rcs
    assert stat.S_ISCHR(members["dev/console"][0])
    assert members["bin/busybox"][1][:4] == b"\x7fELF"
    assert members["kwb/tests/x86_64/private_mem_conversions_test"][1] == \
        HOST_BINARY.read_bytes()
    for lib in initramfs.shared_libraries(HOST_BINARY):
        mode, data = members[str(lib).lstrip("/")]
        assert stat.S_ISREG(mode) and data == lib.resolve().read_bytes()
    assert initramfs.guest_test_paths(tests)["x86_64/private_mem_conversions_test"] == \
        "/kwb/tests/x86_64/private_mem_conversions_test"
    # the system cpio reads it too
    listing = subprocess.run(["cpio", "-it", "--quiet"], input=gzip.decompress(out.read_bytes()),
                             capture_output=True, check=True).stdout.decode().split()
    assert "kwb/tests/guest_memfd_test" in listing


def test_deterministic_and_cached(tmp_path: Path) -> None:
    a = initramfs.build_initramfs({"t": HOST_BINARY}, out_dir=tmp_path / "a")
    b = initramfs.build_initramfs({"t": HOST_BINARY}, out_dir=tmp_path / "b")
    assert a.name == b.name and a.read_bytes() == b.read_bytes()
    mtime = a.stat().st_mtime_ns
    assert initramfs.build_initramfs({"t": HOST_BINARY}, out_dir=tmp_path / "a") == a
    assert a.stat().st_mtime_ns == mtime


def test_probe_init_replaces_busybox_init(tmp_path: Path) -> None:
    members = _members(initramfs.build_initramfs({}, init=initramfs.PROBE_INIT,
                                                 out_dir=tmp_path))
    assert stat.S_ISREG(members["init"][0]) and b"KWB-PROBE-OK" in members["init"][1]
    assert "etc/inittab" not in members


@pytest.mark.parametrize("name", ["/abs/test", "../escape"])
def test_bad_names(name: str, tmp_path: Path) -> None:
    with pytest.raises(WorkbenchError, match="relative path"):
        initramfs.build_initramfs({name: HOST_BINARY}, out_dir=tmp_path)


def test_missing_binary(tmp_path: Path) -> None:
    with pytest.raises(WorkbenchError, match="not found"):
        initramfs.build_initramfs({"t": tmp_path / "nope"}, out_dir=tmp_path)
