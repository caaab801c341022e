"""Stage 3 — the kernel config: fragments merged with merge_config.sh, then verified.

Every symbol a fragment asks for must come out of ``olddefconfig`` with the value asked for; one
that Kconfig silently dropped (unmet dependency, typo) is an error that names it.  A symbol
preceded by the line ``# kwb: if-defined`` is only checked where the tree's Kconfig defines it
(CONFIG_GUESTMEM exists only once the series is applied).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from harness import paths
from harness.errors import WorkbenchError
from harness.proc import run_logged

from . import git, testlist

CONFIGS_FILE = paths.KERNEL_CONFIG_DIR / "configs.toml"
IF_DEFINED = "# kwb: if-defined"

_SET = re.compile(r"^(CONFIG_[A-Za-z0-9_]+)=(.*)$")
_UNSET = re.compile(r"^# (CONFIG_[A-Za-z0-9_]+) is not set$")


@dataclass(frozen=True)
class Request:
    symbol: str  # with the CONFIG_ prefix
    value: str  # "y", "m", "n", or a literal as written ("16", "\"str\"")
    fragment: Path
    line: int
    if_defined: bool = False


@dataclass
class ConfigResult:
    name: str
    fragments: list[Path]
    config_path: Path
    sha256: str
    skipped_undefined: list[str] = field(default_factory=list)


def parse_fragment(path: Path) -> list[Request]:
    """Read a Kconfig fragment into the symbol requests it makes."""
    try:
        lines = path.read_text().splitlines()
    except OSError as exc:
        raise WorkbenchError(f"config fragment {path}: {exc.strerror}") from exc
    out: list[Request] = []
    pending_if_defined = False
    for no, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line:
            continue
        if line == IF_DEFINED:
            pending_if_defined = True
            continue
        if m := _SET.match(line):
            out.append(Request(m[1], m[2], path, no, pending_if_defined))
        elif m := _UNSET.match(line):
            out.append(Request(m[1], "n", path, no, pending_if_defined))
        elif line.startswith("#"):
            continue
        else:
            raise WorkbenchError(f"{path}:{no}: not a Kconfig fragment line: {raw!r}")
        pending_if_defined = False
    return out


def named_fragments(name: str, configs_file: Path = CONFIGS_FILE) -> list[Path]:
    """The fragments of config ``name``; with ``tests = true``, last, the fragment that
    builds in the KUnit suites of the tests.txt beside ``configs_file`` (build.testlist)."""
    data = tomllib.loads(configs_file.read_text())
    if name not in data:
        raise WorkbenchError(
            f"{configs_file}: no config named {name!r} (known: {', '.join(sorted(data))})")
    out = [configs_file.parent / f for f in data[name]["fragments"]]
    if data[name].get("tests", False):
        generated = testlist.fragment(configs_file.parent / "tests.txt")
        out += [generated] if generated is not None else []
    return out


@dataclass(frozen=True)
class Target:
    """What a named config builds: the host's x86_64 kernel (bzImage, modules, selftests), or,
    for a cross config (``arch``, ``cross_compile`` and ``objects`` in configs.toml), just some
    objects of another architecture, compile only (kernel-config/configs.toml: arm64-cross)."""

    arch: str = "x86_64"
    cross_compile: str = ""
    objects: tuple[str, ...] = ()

    @property
    def compile_only(self) -> bool:
        return bool(self.objects)

    def make_vars(self) -> dict[str, str]:
        """Kbuild's ARCH and CROSS_COMPILE for a cross config (Kbuild reads them from the
        environment); nothing for the host's own build."""
        if not self.cross_compile:
            return {}
        return {"ARCH": self.arch, "CROSS_COMPILE": self.cross_compile}


def named_target(name: str | None, configs_file: Path = CONFIGS_FILE) -> Target:
    """The target of config ``name`` (the host's kernel unless configs.toml says otherwise);
    a cross compiler that is not installed is an error naming the Debian package."""
    if name is None:
        return Target()
    data = tomllib.loads(configs_file.read_text()).get(name, {})
    target = Target(arch=str(data.get("arch", "x86_64")),
                    cross_compile=str(data.get("cross_compile", "")),
                    objects=tuple(str(o) for o in data.get("objects", ())))
    gcc = f"{target.cross_compile}gcc"
    if target.cross_compile and shutil.which(gcc) is None:
        package = "gcc-" + target.cross_compile.rstrip("-")
        raise WorkbenchError(
            f"{configs_file}: config {name!r} cross-compiles for {target.arch} with {gcc}, "
            f"which is not installed: apt-get install {package} (./workbench installs it)")
    return target


def read_config(path: Path) -> dict[str, str]:
    """A .config as {CONFIG_FOO: value}; unset symbols map to "n"."""
    values: dict[str, str] = {}
    for line in path.read_text().splitlines():
        if m := _SET.match(line):
            values[m[1]] = m[2]
        elif m := _UNSET.match(line):
            values[m[1]] = "n"
    return values


def defined_symbols(src: Path, symbols: list[str]) -> set[str]:
    """Which of ``symbols`` some Kconfig file of the tree at ``src`` defines."""
    if not symbols:
        return set()
    names = "|".join(re.escape(s.removeprefix("CONFIG_")) for s in symbols)
    res = git.attempt(src, "grep", "-h", "-E", rf"^\s*(menu)?config\s+({names})\s*$", "--",
                      "*Kconfig*")
    found = {"CONFIG_" + ln.split()[-1] for ln in res.stdout.splitlines() if ln.strip()}
    return found


def verify(requests: list[Request], config: dict[str, str], defined: set[str]) -> list[str]:
    """Check every request against the final config; return the if-defined symbols skipped.

    The last request for a symbol wins, as in merge_config.sh.
    """
    last: dict[str, Request] = {}
    for r in requests:
        last[r.symbol] = r
    problems: list[str] = []
    skipped: list[str] = []
    for sym, req in last.items():
        got = config.get(sym)
        if req.if_defined and sym not in defined:
            skipped.append(sym)
            continue
        if (got or "n") == req.value:
            continue
        where = f"{req.fragment.name}:{req.line}"
        if got is None and req.value != "n":
            problems.append(f"{sym}={req.value} ({where}) is not in the final config: the symbol "
                            "is unknown to this tree or its dependencies are not met")
        else:
            problems.append(f"{sym}={req.value} ({where}) came out as {sym}={got or 'n'}: "
                            "Kconfig overrode it (unmet dependency or a select/choice)")
    if problems:
        raise WorkbenchError("config verification failed:\n  " + "\n  ".join(problems))
    return skipped


def merge(src: Path, objdir: Path, name: str, fragments: list[Path], log: Path,
          make_env: dict[str, str] | None = None) -> ConfigResult:
    """allnoconfig + fragments (merge_config.sh -n) + olddefconfig, then verification."""
    requests = [r for f in fragments for r in parse_fragment(f)]
    objdir.mkdir(parents=True, exist_ok=True)
    # Symbols that this tree does not define are left out of the merge (so that
    # merge_config.sh does not warn about them) when they are marked if-defined.
    defined = defined_symbols(src, [r.symbol for r in requests if r.if_defined])
    merged_input = objdir / "kwb-fragment.config"
    text: dict[str, str] = {}  # last request wins, each symbol once
    for r in requests:
        if r.if_defined and r.symbol not in defined:
            continue
        text[r.symbol] = (f"# CONFIG_{r.symbol[7:]} is not set" if r.value == "n"
                           else f"{r.symbol}={r.value}")
    merged_input.write_text("\n".join(text.values()) + "\n")
    cmd = ["scripts/kconfig/merge_config.sh", "-n", "-O", str(objdir), str(merged_input)]
    rc, _ = run_logged(cmd, log, cwd=src, env=make_env)
    if rc != 0:
        raise WorkbenchError(f"merge_config.sh failed for config {name!r}", log=str(log))
    rc, _ = run_logged(["make", f"O={objdir}", "olddefconfig"], log, cwd=src, env=make_env)
    if rc != 0:
        raise WorkbenchError(f"make olddefconfig failed for config {name!r}", log=str(log))
    config_path = objdir / ".config"
    skipped = verify(requests, read_config(config_path), defined)
    digest = hashlib.sha256(config_path.read_bytes()).hexdigest()
    return ConfigResult(name, fragments, config_path, digest, skipped)


def fragments_key(fragments: list[Path]) -> str:
    """A short hash of the fragments' contents: the build dir key for this config."""
    h = hashlib.sha256()
    for f in fragments:
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:10]
