"""The hermetic backend's initramfs: newc format (virtme-ng's writer), layout, libraries,
determinism; and a real boot of it (marked ``qemu``)."""

from __future__ import annotations

import gzip
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from harness.errors import WorkbenchError
from harness.vm import backends, initramfs
from harness.vm.console.driver import Console, Outcome

HOST_BINARY = Path(shutil.which("true") or "/bin/true")


def read_cpio(blob: bytes) -> list[tuple[str, int, tuple[int, int], bytes]]:
    """(name, mode, rdev, data) of each member of a newc archive, in order (a checker for the
    tests, independent of the writer)."""
    out = []
    pos = 0
    while True:
        assert blob[pos : pos + 6] == b"070701", f"bad newc magic at offset {pos}"
        f = [int(blob[pos + 6 + 8 * i : pos + 14 + 8 * i], 16) for i in range(13)]
        mode, size, rdev, namesize = f[1], f[6], (f[9], f[10]), f[11]
        name_at = pos + 110
        name = blob[name_at : name_at + namesize - 1].decode()
        data_at = name_at + namesize + (-(110 + namesize)) % 4
        if name == "TRAILER!!!":
            return out
        out.append((name, mode, rdev, blob[data_at : data_at + size]))
        pos = data_at + size + (-size) % 4


def _members(path: Path) -> dict[str, tuple[int, bytes]]:
    members = read_cpio(gzip.decompress(path.read_bytes()))
    names = [m[0] for m in members]
    assert len(names) == len(set(names)), "a member is written twice"
    return {name: (mode, data) for name, mode, _, data in members}


def test_written_by_virtme_ngs_writer_and_helpers(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The archive is virtme-ng's: its CpioWriter (trailer padded to 512 bytes, which our old
    writer did not do), its device nodes (dev/kmsg, which we never wrote) and its busybox
    install (bin/real_progs)."""
    from virtme import cpiowriter

    written: list[bytes] = []
    real = cpiowriter.CpioWriter.write_object

    def spy(self: cpiowriter.CpioWriter, name: bytes, body: object, mode: int,
            meta_data: object = None) -> None:
        written.append(name)
        real(self, name, body, mode, meta_data)

    monkeypatch.setattr(cpiowriter.CpioWriter, "write_object", spy)
    out = initramfs.build_initramfs({"t": HOST_BINARY}, out_dir=tmp_path)
    blob = gzip.decompress(out.read_bytes())
    assert len(blob) % 512 == 0
    assert written[-1] == b"TRAILER!!!"
    assert {b"dev/kmsg", b"dev/null", b"dev/console", b"bin/busybox", b"kwb/tests/t"} \
        <= set(written)
    members = read_cpio(blob)
    by_name = {m[0]: m for m in members}
    assert stat.S_ISCHR(by_name["dev/kmsg"][1]) and by_name["dev/kmsg"][2] == (1, 11)
    assert by_name["dev/console"][2] == (5, 1) and by_name["dev/ttyS0"][2] == (4, 64)
    assert stat.S_ISDIR(by_name["bin/real_progs"][1])
    # every member's directory comes before it (the kernel's unpacker needs that)
    seen: set[str] = set()
    for name, *_ in members:
        parent = name.rpartition("/")[0]
        assert not parent or parent in seen, f"{name} before its directory"
        seen.add(name)


def test_the_copy_of_the_writer_is_gone() -> None:
    for gone in ("read_cpio", "_newc_header", "_pad"):
        assert not hasattr(initramfs, gone)


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
    assert members["bin/busybox"][1] == initramfs.busybox_path().read_bytes()
    for applet in initramfs.APPLETS:
        mode, target = members[f"bin/{applet}"]
        assert stat.S_ISLNK(mode) and target == b"busybox"
    assert members["kwb/tests/x86_64/private_mem_conversions_test"][1] == \
        HOST_BINARY.read_bytes()
    for lib in initramfs.shared_libraries(HOST_BINARY):
        mode, data = members[str(lib).lstrip("/")]
        assert stat.S_ISREG(mode) and data == lib.resolve().read_bytes()
    # glibc dlopens libgcc_s.so.1 for pthread_cancel/pthread_exit: ldd does not list it
    libgcc = next(p for p in members if p.endswith("/libgcc_s.so.1"))
    assert members[libgcc][1] == Path("/" + libgcc).resolve().read_bytes()
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


@pytest.mark.qemu
@pytest.mark.kernel
def test_the_initramfs_boots(real_kernel: tuple[Path, Path], tmp_path: Path) -> None:
    """A real boot (TCG) of the pinned kernel on the initramfs: busybox init gives a shell on
    ttyS0, virtme-ng's device nodes and our ttyS0 are there, a dynamically linked test runs."""
    bz = real_kernel[0]
    initrd = initramfs.build_initramfs({"host_true": HOST_BINARY}, out_dir=tmp_path)
    argv = backends.qemu_argv(bz, initrd, backends.Accel.TCG, backends.GuestOptions())
    with Console(argv, tmp_path / "console.log") as con:
        con.wait_for_shell(120, ready_hint=initramfs.INIT_DONE)
        res = con.run("test -c /dev/kmsg && test -c /dev/ttyS0 && /kwb/tests/host_true && "
                      "echo linked-ok", 60)
        ver = con.run("cat /proc/version", 30)
    assert (res.outcome, res.exit_status, res.output) == (Outcome.PASS, 0, "linked-ok")
    assert ver.output.startswith("Linux version 6.12")
