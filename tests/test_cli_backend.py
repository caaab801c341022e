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

        def command(self, *_a: object) -> backends.GuestCommand:
            raise AssertionError("not booted here")

    monkeypatch.setitem(backends.BACKENDS, "extra", Extra())
    args = cli.build_parser().parse_args(["boot-and-test", "--backend", "extra"])
    assert args.backend == "extra"
    assert backends.backend("extra").summary == "a test-only backend"
    with pytest.raises(WorkbenchError, match="unknown guest backend 'nope'"):
        backends.backend("nope")
