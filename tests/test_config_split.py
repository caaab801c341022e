"""The per-backend configs (docs/config-cost.md): the default is the hermetic qemu guest, `vng`
adds what virtme-ng needs, `sev` the SEV chain; put together they lose nothing of the old
default (base + kvm + guestmem).  The `kernel` test merges them on the real tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import paths
from harness.build import config

KC = paths.KERNEL_CONFIG_DIR
SPLIT = ("default", "vng", "sev")


def requests(names: list[str]) -> dict[str, str]:
    """The symbols asked for by these fragments, the last request winning (merge_config.sh)."""
    out: dict[str, str] = {}
    for name in names:
        for r in config.parse_fragment(KC / name):
            out[r.symbol] = r.value
    return out


def named(name: str) -> list[str]:
    return [p.name for p in config.named_fragments(name) if p.parent == KC]


def test_the_default_is_the_hermetic_guest():
    assert named("default") == ["guest.config", "kvm-core.config", "guestmem.config"]
    assert named("old-default") == ["base.config", "kvm.config", "guestmem.config"]


@pytest.mark.parametrize("name", SPLIT)
def test_split_configs_exist_and_parse(name):
    frags = named(name)
    assert frags[0] == "guest.config" and frags[-1] == "guestmem.config"
    assert all((KC / f).is_file() for f in frags)
    assert requests(frags)


def test_split_fragments_rebuild_the_old_default():
    old = requests(named("old-default"))
    split = requests(["guest.config", "vng.config", "kvm-core.config", "sev.config",
                      "guestmem.config"])
    assert {k: v for k, v in split.items() if k != "CONFIG_X86_MPPARSE"} == old
    assert split["CONFIG_X86_MPPARSE"] == "y"


def test_default_leaves_out_what_only_vng_and_sev_need():
    qemu = requests(named("default"))
    for sym in ("CONFIG_ACPI", "CONFIG_PCI", "CONFIG_NET"):
        assert qemu[sym] == "n", sym
    for sym in ("CONFIG_INET", "CONFIG_9P_FS", "CONFIG_FUSE_FS", "CONFIG_OVERLAY_FS",
                "CONFIG_VIRTIO", "CONFIG_AMD_IOMMU", "CONFIG_KVM_AMD_SEV"):
        assert sym not in qemu, sym
    # what the selftests need stays (README; kvm.config's comments)
    for sym in ("CONFIG_KVM", "CONFIG_KVM_AMD", "CONFIG_KVM_INTEL", "CONFIG_KVM_SW_PROTECTED_VM",
                "CONFIG_TRANSPARENT_HUGEPAGE", "CONFIG_ADVISE_SYSCALLS", "CONFIG_SERIAL_8250",
                "CONFIG_BLK_DEV_INITRD", "CONFIG_MAGIC_SYSRQ", "CONFIG_X86_MPPARSE"):
        assert qemu[sym] == "y", sym
    assert requests(named("sev"))["CONFIG_KVM_AMD_SEV"] == "y"
    vng = requests(named("vng"))
    assert vng["CONFIG_ACPI"] == vng["CONFIG_9P_FS"] == vng["CONFIG_OVERLAY_FS"] == "y"


def test_each_backend_needs_what_its_config_gives():
    from harness.vm import backends

    for backend, name in (("qemu", "default"), ("vng", "vng")):
        given = requests(named(name))
        assert all(given.get(s) == "y" for s in backends.backend(backend).needs), backend


@pytest.mark.kernel
@pytest.mark.parametrize("name", ("vng", "sev"))
def test_split_configs_merge_on_the_real_tree(name, built_kernel, tmp_path):
    """merge_config.sh + olddefconfig on the patched tree (config step only, no build):
    every requested symbol comes out as asked (config.merge raises otherwise).  The default
    is merged by every build."""
    src = Path(built_kernel.tree["worktree"])
    res = config.merge(src, tmp_path / "o", name, config.named_fragments(name),
                       tmp_path / "merge.log")
    got = config.read_config(res.config_path)
    assert got.get("CONFIG_GUESTMEM") == "y"
    assert got.get("CONFIG_9P_FS" if name == "vng" else "CONFIG_KVM_AMD_SEV") == "y"
