"""Stage 3 — config fragments and their verification (pure: no kernel tree, no make)."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.build.config import IF_DEFINED, Request, parse_fragment, read_config, verify
from harness.errors import WorkbenchError


def fragment(tmp_path: Path, text: str, name: str = "kvm.config") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_parse_fragment(tmp_path: Path) -> None:
    path = fragment(tmp_path, "\n".join([
        "# KVM guest memory",           # 1: comment
        "CONFIG_KVM=y",                 # 2
        "",                             # 3
        "# CONFIG_DEBUG_INFO is not set",  # 4
        IF_DEFINED,                     # 5: applies to the next symbol only
        "CONFIG_GUESTMEM=y",            # 6
        "CONFIG_NR_CPUS=16",            # 7
        '  CONFIG_LOCALVERSION="-kwb"  ',  # 8
    ]) + "\n")
    assert parse_fragment(path) == [
        Request("CONFIG_KVM", "y", path, 2),
        Request("CONFIG_DEBUG_INFO", "n", path, 4),
        Request("CONFIG_GUESTMEM", "y", path, 6, if_defined=True),
        Request("CONFIG_NR_CPUS", "16", path, 7),
        Request("CONFIG_LOCALVERSION", '"-kwb"', path, 8),
    ]


def test_parse_fragment_bad_line(tmp_path: Path) -> None:
    path = fragment(tmp_path, "CONFIG_KVM=y\nKVM=y\n")
    with pytest.raises(WorkbenchError, match=rf"{path}:2: not a Kconfig fragment line: 'KVM=y'"):
        parse_fragment(path)


def test_parse_fragment_missing_file(tmp_path: Path) -> None:
    with pytest.raises(WorkbenchError, match=f"config fragment {tmp_path / 'nope.config'}"):
        parse_fragment(tmp_path / "nope.config")


def req(symbol: str, value: str, line: int = 1, *, if_defined: bool = False,
        fragment: str = "kvm.config") -> Request:
    return Request(symbol, value, Path("/frags") / fragment, line, if_defined)


def test_verify_everything_as_asked() -> None:
    requests = [req("CONFIG_KVM", "y"), req("CONFIG_NR_CPUS", "16", 2),
                req("CONFIG_DEBUG_INFO", "n", 3), req("CONFIG_GONE", "n", 4)]
    config = {"CONFIG_KVM": "y", "CONFIG_NR_CPUS": "16", "CONFIG_DEBUG_INFO": "n"}
    assert verify(requests, config, set()) == []


def test_verify_names_a_silently_dropped_symbol() -> None:
    requests = [req("CONFIG_KVM", "y"), req("CONFIG_KVM_INTLE", "y", 7)]  # typo: Kconfig drops it
    with pytest.raises(WorkbenchError) as exc:
        verify(requests, {"CONFIG_KVM": "y"}, set())
    text = str(exc.value)
    assert "CONFIG_KVM_INTLE=y (kvm.config:7) is not in the final config" in text
    assert "CONFIG_KVM=y" not in text


def test_verify_reports_a_wrong_value() -> None:
    requests = [req("CONFIG_KVM", "y", 3), req("CONFIG_NR_CPUS", "16", 4),
                req("CONFIG_DEBUG_INFO", "n", 5)]
    config = {"CONFIG_KVM": "m", "CONFIG_NR_CPUS": "8", "CONFIG_DEBUG_INFO": "y"}
    with pytest.raises(WorkbenchError) as exc:
        verify(requests, config, set())
    text = str(exc.value)
    assert "CONFIG_KVM=y (kvm.config:3) came out as CONFIG_KVM=m" in text
    assert "CONFIG_NR_CPUS=16 (kvm.config:4) came out as CONFIG_NR_CPUS=8" in text
    assert "CONFIG_DEBUG_INFO=n (kvm.config:5) came out as CONFIG_DEBUG_INFO=y" in text


def test_verify_skips_if_defined_symbol_absent_from_tree() -> None:
    requests = [req("CONFIG_KVM", "y"), req("CONFIG_GUESTMEM", "y", 2, if_defined=True)]
    assert verify(requests, {"CONFIG_KVM": "y"}, defined=set()) == ["CONFIG_GUESTMEM"]


def test_verify_checks_if_defined_symbol_the_tree_defines() -> None:
    requests = [req("CONFIG_GUESTMEM", "y", 2, if_defined=True)]
    assert verify(requests, {"CONFIG_GUESTMEM": "y"}, {"CONFIG_GUESTMEM"}) == []
    with pytest.raises(WorkbenchError, match=r"CONFIG_GUESTMEM=y \(kvm.config:2\) is not in"):
        verify(requests, {}, {"CONFIG_GUESTMEM"})


def test_verify_last_request_wins() -> None:
    requests = [req("CONFIG_KVM", "y", 1, fragment="base.config"),
                req("CONFIG_KVM", "n", 9, fragment="debug.config")]
    assert verify(requests, {"CONFIG_KVM": "n"}, set()) == []
    with pytest.raises(WorkbenchError, match=r"CONFIG_KVM=n \(debug.config:9\) came out as"):
        verify(requests, {"CONFIG_KVM": "y"}, set())


def test_fragment_against_a_written_config(tmp_path: Path) -> None:
    frag = fragment(tmp_path, f"CONFIG_KVM=y\n# CONFIG_SOUND is not set\n{IF_DEFINED}\n"
                              "CONFIG_GUESTMEM=y\nCONFIG_NR_CPUS=4\n")
    dot_config = tmp_path / ".config"
    dot_config.write_text("#\n# Automatically generated file; DO NOT EDIT.\n#\nCONFIG_KVM=y\n"
                          "# CONFIG_SOUND is not set\nCONFIG_NR_CPUS=4\nCONFIG_64BIT=y\n")
    config = read_config(dot_config)
    assert config == {"CONFIG_KVM": "y", "CONFIG_SOUND": "n", "CONFIG_NR_CPUS": "4",
                      "CONFIG_64BIT": "y"}
    assert verify(parse_fragment(frag), config, set()) == ["CONFIG_GUESTMEM"]
