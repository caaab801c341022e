"""kcidb.json (harness/results/report/kcidb.py) against KernelCI's own schema library, kcidb-io.

The fixtures in tests/data/kcidb are real: results.json of a `kwb boot-and-test --backend qemu`
of the base and the patched build (TCG, 2026-11-25) and those builds' kwb-manifest.json.
"""

from __future__ import annotations

import copy
import hashlib
import json
import subprocess
from pathlib import Path

import jsonschema
import kcidb_io
import pytest

from harness.build.manifest import Manifest
from harness.errors import WorkbenchError
from harness.results.model import RunResult
from harness.results.report import kcidb

DATA = Path(__file__).parent / "data" / "kcidb"
PATCHES = Path(__file__).resolve().parent.parent / "patches"


def results(name: str = "results-compare.json") -> list[dict]:
    return json.loads((DATA / name).read_text())["runs"]


def manifests() -> list[dict]:
    return [json.loads((DATA / f"manifest-{v}.json").read_text()) for v in ("base", "patched")]


@pytest.fixture
def doc() -> dict:
    return kcidb.kcidb_dict(results(), manifests())


def by_path(doc: dict, build_id: str) -> dict[str, dict]:
    return {t["path"]: t for t in doc["tests"] if t["build_id"] == build_id}


def test_real_compare_results_validate_with_kcidb_io(doc):
    kcidb_io.schema.LATEST.validate(doc)  # raises on any violation
    assert kcidb_io.schema.LATEST.is_valid(doc)
    assert doc["version"] == {"major": 5, "minor": 3}
    assert kcidb_io.schema.LATEST.count(doc) == 2 + 2 + 20


def test_checkouts_builds_and_tests_are_linked(doc):
    base_ck, patched_ck = doc["checkouts"]
    assert base_ck["git_commit_hash"] == patched_ck["git_commit_hash"] == \
        "801ff5017250a3bf36584f20483d9cd0a8cdd33f"
    assert base_ck["patchset_hash"] == ""
    assert base_ck["id"] != patched_ck["id"]
    assert patched_ck["comment"].startswith("mm: guestmem: a library for guest memory folios")
    assert patched_ck["misc"]["head_commit"] == "2279180563523b7cf3b552d529a5c01c236ffea8"
    b_build, p_build = doc["builds"]
    assert (b_build["checkout_id"], p_build["checkout_id"]) == (base_ck["id"], patched_ck["id"])
    assert p_build["architecture"] == "x86_64"
    assert p_build["config_name"] == "default"
    assert p_build["compiler"].startswith("gcc (Debian 12.2.0")
    assert p_build["duration"] == 354.89  # the manifest's timings.build
    assert p_build["status"] == "PASS"
    assert p_build["misc"]["fragments"] == ["base.config", "kvm.config", "guestmem.config",
                                            "kunit.config"]
    assert {t["build_id"] for t in doc["tests"]} == {b_build["id"], p_build["id"]}
    ids = [o["id"] for kind in ("checkouts", "builds", "tests") for o in doc[kind]]
    assert len(ids) == len(set(ids))
    assert all(i.startswith("kwb:") for i in ids)
    assert all(o["origin"] == "kwb" for kind in ("checkouts", "builds", "tests")
               for o in doc[kind])


def test_test_paths_statuses_and_durations(doc):
    patched = by_path(doc, doc["builds"][1]["id"])
    assert list(patched) == [
        "boot", "kvm.guest_memfd_test", "kvm.set_memory_region_test",
        "kvm.x86_64.private_mem_conversions_test", "kvm.x86_64.private_mem_kvm_exits_test",
        "kwb.guestmem_free_test", "kwb.guestmem_free_test.create_guest_memfd",
        "kwb.guestmem_free_test.populate_takes_memory",
        "kwb.guestmem_free_test.punch_hole_frees_memory",
        "kwb.guestmem_free_test.close_frees_memory",
    ]
    assert {t["status"] for t in patched.values()} == {"PASS"}
    assert patched["boot"]["duration"] == 2.43  # timings.boot_to_prompt of the real run
    assert patched["kvm.set_memory_region_test"]["duration"] == 22.42
    assert patched["kvm.guest_memfd_test"]["misc"]["kwb_name"] == "guest_memfd_test"
    assert patched["kvm.guest_memfd_test"]["environment"]["comment"] == \
        "QEMU x86_64 guest (tcg)"
    assert "log_excerpt" not in patched["kvm.guest_memfd_test"]  # only for what went wrong


def test_patchset_hash_is_kcidbs_shell_recipe():
    """KCIDB: `sha256sum *.patch | cut -c-64 | sha256sum | cut -c-64`, on the real series."""
    files = sorted(PATCHES.glob("v*-000[1-9]-*.patch"))
    assert len(files) == 3
    shell = subprocess.run(
        "sha256sum " + " ".join(str(f) for f in files) + " | cut -c-64 | sha256sum | cut -c-64",
        shell=True, capture_output=True, text=True, check=True).stdout.strip()
    ours = kcidb.patchset_hash([hashlib.sha256(f.read_bytes()).hexdigest() for f in files])
    assert ours == shell
    assert kcidb.patchset_hash([]) == ""


def test_manifest_without_patch_hashes_omits_the_patchset_hash():
    old = manifests()
    del old[1]["series"]["patch_sha256"]  # manifests written before kwb recorded them
    doc = kcidb.kcidb_dict(results(), old)
    kcidb_io.schema.LATEST.validate(doc)
    assert "patchset_hash" not in doc["checkouts"][1]
    assert doc["checkouts"][0]["patchset_hash"] == ""  # base: no series, known to be empty


@pytest.mark.parametrize(("name", "path"), [
    ("guest_memfd_test", "kvm.guest_memfd_test"),
    ("x86_64/private_mem_conversions_test", "kvm.x86_64.private_mem_conversions_test"),
    ("extra/guestmem_free_test", "kwb.guestmem_free_test"),
    ("kunit:guestmem.free_on_close", "kunit.guestmem.free_on_close"),
    ("kunit:<suite 3 of 4>", "kunit.suite_3_of_4"),
    ("kselftest/mm/gup.test", "kselftest.mm.gup_test"),
])
def test_test_path(name, path):
    assert kcidb.test_path(name) == path


def test_test_path_of_a_collection():
    assert kcidb.test_path("x86_64/smm_test", "kvm") == "kvm.x86_64.smm_test"
    assert kcidb.test_path("gup_test", "mm") == "mm.gup_test"
    assert kcidb.test_path("mm/gup_test", "mm") == "mm.gup_test"


def test_real_kunit_boot_validates():
    """The guestmem KUnit suite as the real patched kernel printed it at boot (console log of
    tests/data/console), parsed by harness.results.kunit into kunit:suite.case runs."""
    from harness.results import kunit

    console = (Path(__file__).parent / "data" / "console" / "qemu-kunit-guestmem-pass.log")
    cases = kunit.case_runs(console.read_text(errors="replace"))
    assert cases and all(c.name.startswith("kunit:guestmem.") for c in cases)
    run = RunResult.from_dict(results("results-patched.json")[0])
    run.tests += cases
    doc = kcidb.kcidb_dict([run.to_dict()], manifests())
    kcidb_io.schema.LATEST.validate(doc)
    kunit_tests = [t for t in doc["tests"] if t["path"].startswith("kunit.")]
    assert len(kunit_tests) >= len(cases)
    assert {t["path"] for t in kunit_tests} >= {
        "kunit." + c.name.removeprefix("kunit:") for c in cases}
    assert {t["status"] for t in kunit_tests} == {"PASS"}


def test_statuses_of_a_failing_run_map_one_to_one():
    runs = results("results-patched.json")
    run = runs[0]
    run["outcome"] = "crash"
    gmem, smr, conv, exits, extra = run["tests"]
    gmem.update(state="crash", console="crash",
                console_excerpt=["BUG: kernel NULL pointer dereference, address: 0"])
    smr.update(state="timeout")
    conv.update(state="skip")
    exits.update(state="error")
    exits["result"]["reason"] = "not run: the guest was gone"
    subs = extra["result"]["subtests"]
    extra["state"] = "fail"
    for sub, status in zip(subs, ("fail", "xfail", "todo", "error"), strict=True):
        sub["status"] = status
    subs[0]["reason"] = "free pages did not come back"
    doc = kcidb.kcidb_dict(runs, manifests())
    kcidb_io.schema.LATEST.validate(doc)
    got = {t["path"]: t for t in doc["tests"]}
    assert {p: t["status"] for p, t in got.items()} == {
        "boot": "PASS",
        "kvm.guest_memfd_test": "FAIL",
        "kvm.set_memory_region_test": "ERROR",
        "kvm.x86_64.private_mem_conversions_test": "SKIP",
        "kvm.x86_64.private_mem_kvm_exits_test": "MISS",
        "kwb.guestmem_free_test": "FAIL",
        "kwb.guestmem_free_test.create_guest_memfd": "FAIL",
        "kwb.guestmem_free_test.populate_takes_memory": "PASS",
        "kwb.guestmem_free_test.punch_hole_frees_memory": "DONE",
        "kwb.guestmem_free_test.close_frees_memory": "ERROR",
    }
    assert got["kvm.guest_memfd_test"]["log_excerpt"].startswith("BUG: kernel NULL pointer")
    assert got["kwb.guestmem_free_test.create_guest_memfd"]["comment"] == \
        "free pages did not come back"


@pytest.mark.parametrize(("outcome", "boot"), [("crash", "FAIL"), ("hang", "FAIL"),
                                               ("infra-error", "ERROR")])
def test_a_run_without_tests_reports_its_boot(outcome, boot):
    run = results("results-patched.json")[0]
    run.update(tests=[], outcome=outcome, reason="no shell prompt",
               excerpt=["Kernel panic - not syncing: VFS: Unable to mount root fs"])
    doc = kcidb.kcidb_dict([run], manifests())
    kcidb_io.schema.LATEST.validate(doc)
    [test] = doc["tests"]
    assert (test["path"], test["status"], test["comment"]) == ("boot", boot, "no shell prompt")
    assert test["log_excerpt"].startswith("Kernel panic")


def test_awkward_subtest_names_become_valid_unique_paths():
    run = results("results-patched.json")[0]
    subs = run["tests"][4]["result"]["subtests"]
    subs[0]["name"] = "a.b/c d"
    subs[1]["name"] = "a.b/c d"
    subs[2]["name"] = ""
    subs[2]["number"] = 3
    subs[3]["name"] = "ünïcode (x)"
    subs[3]["reason"] = "with a \0 byte"
    doc = kcidb.kcidb_dict([run], manifests())
    kcidb_io.schema.LATEST.validate(doc)
    paths = [t["path"] for t in doc["tests"] if t["path"].startswith("kwb.")]
    assert paths == ["kwb.guestmem_free_test", "kwb.guestmem_free_test.a_b_c_d",
                     "kwb.guestmem_free_test.a_b_c_d-2", "kwb.guestmem_free_test.test_3",
                     "kwb.guestmem_free_test.n_code_x"]


def test_log_excerpt_is_cut_to_the_schema_limit():
    run = results("results-patched.json")[0]
    run["tests"][0].update(state="fail", output="x" * 40000 + "the end")
    doc = kcidb.kcidb_dict([run], manifests())
    kcidb_io.schema.LATEST.validate(doc)
    excerpt = doc["tests"][1]["log_excerpt"]
    assert len(excerpt) == kcidb.LOG_EXCERPT_MAX and excerpt.endswith("the end")


# --- the validation can fail -----------------------------------------------------------------


@pytest.mark.parametrize("breakage", [
    "unknown status", "id without origin", "raw kwb test name as path", "null field",
    "build without checkout_id", "wrong major version",
])
def test_broken_documents_fail_validation(doc, breakage):
    bad = copy.deepcopy(doc)
    if breakage == "unknown status":
        bad["tests"][1]["status"] = "CRASH"
    elif breakage == "id without origin":
        bad["builds"][0]["id"] = "no-origin-here"
    elif breakage == "raw kwb test name as path":
        bad["tests"][3]["path"] = "x86_64/private_mem_conversions_test"
    elif breakage == "null field":
        bad["checkouts"][0]["tree_name"] = None
    elif breakage == "build without checkout_id":
        del bad["builds"][1]["checkout_id"]
    else:
        bad["version"] = {"major": 99, "minor": 0}
    with pytest.raises(jsonschema.exceptions.ValidationError):
        kcidb_io.schema.LATEST.validate(bad)
    with pytest.raises(WorkbenchError, match="does not validate against KCIDB"):
        kcidb.validate(bad)
    kcidb.validate(doc)  # the original is still fine


def test_a_run_without_its_manifest_is_an_error():
    with pytest.raises(WorkbenchError, match="no build manifest for the 'patched' run"):
        kcidb.kcidb_dict(results(), manifests()[:1])


def test_origin_must_be_kcidb_shaped():
    with pytest.raises(WorkbenchError, match="origin"):
        kcidb.kcidb_dict(results(), manifests(), origin="My Lab")
    doc = kcidb.kcidb_dict(results(), manifests(), origin="mylab")
    kcidb_io.schema.LATEST.validate(doc)
    assert {o["id"].split(":")[0] for o in doc["tests"]} == {"mylab"}


def test_write_kcidb_from_the_model(tmp_path, monkeypatch):
    monkeypatch.setenv("KWB_KCIDB_ORIGIN", "lab_one")
    monkeypatch.setenv("KWB_GIT_REPOSITORY_URL", "https://git.example.org/linux.git")
    runs = [RunResult.from_dict(r) for r in results()]
    mans = [Manifest(**m) for m in manifests()]
    path = kcidb.write_kcidb(tmp_path / "out" / "kcidb.json", runs, mans)
    data = json.loads(path.read_text())
    kcidb_io.schema.LATEST.validate(data)
    assert data["checkouts"][0]["git_repository_url"] == "https://git.example.org/linux.git"
    assert data["tests"][0]["origin"] == "lab_one"
    assert len(data["tests"]) == 20
    assert not list((tmp_path / "out").glob("*.tmp"))
    # a second write of the same runs gives the same ids: resubmitting updates, not duplicates
    again = json.loads(kcidb.write_kcidb(tmp_path / "again.json", runs, mans).read_text())
    assert [t["id"] for t in again["tests"]] == [t["id"] for t in data["tests"]]


def test_boot_and_test_reports_include_kcidb(tmp_path):
    from harness.vm import stage

    runs = [RunResult.from_dict(r) for r in results()]
    mans = [Manifest(**m) for m in manifests()]
    written = stage.write_reports(tmp_path, runs, None, mans)
    assert written["kcidb"] == tmp_path / "kcidb.json"
    assert (tmp_path / "results.json").is_file()
    kcidb_io.schema.LATEST.validate(json.loads(written["kcidb"].read_text()))
    assert "kcidb" not in stage.write_reports(tmp_path / "no-manifests", runs)
