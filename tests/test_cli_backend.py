"""The command line's ``--backend`` choices are the backend registry's, and ``--accel`` is
offered wherever a guest boots (boot-and-test, pipeline, bisect) and reaches the stages."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import cli
from harness.errors import WorkbenchError
from harness.vm import accel, backends


@pytest.mark.parametrize("command", ["boot-and-test", "pipeline", "bisect"])
def test_cli_accel_and_backend_choices(command: str) -> None:
    parser = cli.build_parser()
    args = parser.parse_args([command, "--accel", "tcg", "--backend", "qemu"])
    assert (args.accel, args.backend) == ("tcg", "qemu")
    sub = next(a for a in parser._subparsers._group_actions  # type: ignore[union-attr]
               if a.dest == "command").choices[command]
    backend = next(a for a in sub._actions if a.dest == "backend")
    assert list(backend.choices) == backends.names()
    accel_opt = next(a for a in sub._actions if a.dest == "accel")
    assert list(accel_opt.choices) == ["auto", "kvm", "tcg"]
    with pytest.raises(SystemExit):
        parser.parse_args([command, "--accel", "hvf"])


def test_cli_accel_reaches_the_guest_stages(monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    monkeypatch.setenv(accel.ENV, "auto")
    status = cli.main(["boot-and-test", "--accel", "tcg", "--manifest",
                       str(tmp_path / "missing.json")])
    assert status != 0
    assert accel.wanted() is accel.Want.TCG


def test_the_registry_is_the_one_list(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new backend is a registry entry: the CLI offers it with no other change."""

    class Extra:
        name = "extra"
        summary = "a test-only backend"
        needs = ()

        def command(self, *_a: object) -> backends.GuestCommand:
            raise AssertionError("not booted here")

    monkeypatch.setitem(backends.BACKENDS, "extra", Extra())
    args = cli.build_parser().parse_args(["boot-and-test", "--backend", "extra"])
    assert args.backend == "extra"
    assert backends.backend("extra").summary == "a test-only backend"
    with pytest.raises(WorkbenchError, match="unknown guest backend 'nope'"):
        backends.backend("nope")


def test_the_config_follows_the_backend_unless_given() -> None:
    parser = cli.build_parser()
    for argv, config in ((["pipeline"], "default"),
                         (["pipeline", "--backend", "vng"], "vng"),
                         (["pipeline", "--backend", "vng", "--config", "old-default"],
                          "old-default"),
                         (["boot-and-test", "--backend", "qemu", "--config", "sev"], "sev"),
                         (["apply-and-build"], "default")):
        args = parser.parse_args(argv)
        assert cli._request(args, "patched").config_name == config, argv
    assert backends.DEFAULT == "qemu"
    assert parser.parse_args(["pipeline"]).backend == "qemu"


def test_a_kernel_the_backend_cannot_boot_is_refused_before_booting() -> None:
    hermetic = {"CONFIG_BLK_DEV_INITRD": "y", "CONFIG_SERIAL_8250_CONSOLE": "y",
                "CONFIG_DEVTMPFS": "y"}
    backends.check_config("qemu", hermetic, kernel="bz", config_name="default")
    with pytest.raises(WorkbenchError) as exc:
        backends.check_config("vng", hermetic, kernel="/b/bzImage", config_name="default")
    text = str(exc.value)
    assert "/b/bzImage (config 'default') cannot boot on the vng backend" in text
    assert "CONFIG_9P_FS" in text and "CONFIG_VIRTIO_PCI" in text
    assert "--backend qemu" in text and "'vng' config" in text
    with pytest.raises(WorkbenchError, match="lacks CONFIG_BLK_DEV_INITRD"):
        backends.check_config("qemu", {}, kernel="bz", config_name="x")
