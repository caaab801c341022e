"""The backend registry: one module and one entry per backend; and virtme-ng, a hard
dependency, is there (its tests fail without it, never skip)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness.errors import WorkbenchError
from harness.vm import backends


def test_vng_is_installed() -> None:
    vng = Path(backends.vng_path())
    assert vng.is_file() and os.access(vng, os.X_OK)


def test_each_backend_is_its_own_module() -> None:
    assert {n: type(b).__module__ for n, b in backends.BACKENDS.items()} == {
        "vng": "harness.vm.backends.vng", "qemu": "harness.vm.backends.qemu"}


def test_unknown_backend_is_named() -> None:
    with pytest.raises(WorkbenchError, match="unknown guest backend 'nope' .choose: vng, qemu."):
        backends.backend("nope")
    assert backends.names() == list(backends.BACKENDS) == ["vng", "qemu"]
