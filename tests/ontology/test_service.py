"""TermService on a small OBO: what the term completer and the checks rely on."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest

from depositdesk.ontology.readers import SourceError
from depositdesk.ontology.service import TermService
from depositdesk.progress import Progress, drive, run


def test_small_obo_is_usable_well_under_a_second(tmp_path: Path, tiny_obo: Path):
    service = TermService(tmp_path / "cache")
    started = time.perf_counter()
    summary = run(service.add_file(tiny_obo))
    assert time.perf_counter() - started < 1.0
    assert summary.name == "TINY" and summary.terms == 6
    assert service.available()["TINY"] == "ready"
    assert not service.is_building()


def test_search_several_words_last_one_a_prefix(tiny_service: TermService):
    hits = tiny_service.search("t ce")
    assert [h.accession for h in hits][:2] == ["TINY:0000005", "TINY:0000006"]
    assert hits[0].label == "T cell" and hits[0].ontology == "TINY"


def test_exact_label_first_then_prefix_then_synonym_and_obsolete_last(tiny_service: TermService):
    hits = tiny_service.search("liv")
    assert [h.label for h in hits] == ["liver", "liver lobe", "old liver"]
    assert hits[-1].obsolete and hits[-1].replaced_by == "TINY:0000002"


def test_synonym_match_says_which_synonym(tiny_service: TermService):
    (hit,) = tiny_service.search("hep")
    assert hit.accession == "TINY:0000002" and hit.matched == "hepar" and hit.label == "liver"
    assert hit.definition == "The organ that makes bile."


def test_lookup_accepts_curie_iri_and_underscore_forms(tiny_service: TermService):
    for form in ("TINY:0000002", "tiny:0000002", "TINY_0000002", "http://purl.obolibrary.org/obo/TINY_0000002"):
        hit = tiny_service.lookup(form)
        assert hit is not None and hit.label == "liver", form
    assert tiny_service.lookup("TINY:9999999") is None
    assert tiny_service.search("TINY:0000002")[0].label == "liver"
    assert [h.accession for h in tiny_service.search("TINY:00000")][:2] == ["TINY:0000001", "TINY:0000002"]


def test_exact_is_case_and_space_insensitive(tiny_service: TermService):
    assert [h.accession for h in tiny_service.exact("  T   CELL ")] == ["TINY:0000005"]
    assert [h.accession for h in tiny_service.exact("t-lymphocyte")] == ["TINY:0000005"]
    assert tiny_service.exact("t ce") == []


def test_under_follows_is_a_and_part_of(tiny_service: TermService):
    hits = tiny_service.search("liv", under="TINY:0000002")
    assert [h.label for h in hits] == ["liver", "liver lobe"]
    assert tiny_service.search("t cell", under="TINY:0000002") == []
    assert tiny_service.is_under("TINY:0000004", "TINY:0000001") is True


def test_unknown_ontology_filter_finds_nothing_and_names_are_case_insensitive(tiny_service: TermService):
    assert tiny_service.search("liver", ["NOPE"]) == []
    assert tiny_service.search("liver", ["tiny"])[0].accession == "TINY:0000002"


def test_index_is_reused_until_the_file_changes(tmp_path: Path, tiny_obo: Path):
    service = TermService(tmp_path / "cache")
    first = run(service.add_file(tiny_obo)).path
    stamp = first.stat().st_mtime_ns
    assert run(service.add_file(tiny_obo)).path == first and first.stat().st_mtime_ns == stamp
    tiny_obo.write_text(tiny_obo.read_text().replace("name: liver lobe", "name: hepatic lobe"))
    second = run(service.add_file(tiny_obo)).path
    assert second != first
    assert service.search("hepatic")[0].label == "hepatic lobe"


def test_search_from_other_threads(tiny_service: TermService):
    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(tiny_service.search("liv")[0].label))
               for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["liver"] * 4


def test_lenient_scanner_reports_what_it_skipped(tmp_path: Path):
    broken = tmp_path / "broken.obo"
    broken.write_text(
        "format-version: 1.2\nontology: brk\n\n[Term]\nid: BRK:1\nname: good term\n"
        "this line has no tag\nsynonym: unquoted synonym EXACT []\n\n[Term]\nname: no id here\n\n"
        "[Term]\nid: BRK:2\nname: another good term\nxref: http://x.org/Category\\:Bad\n")
    service = TermService(tmp_path / "cache")
    summary = run(service.add_file(broken))
    assert summary.terms == 2
    assert any("skipped 2 unreadable line(s) and 1 term(s) without an id" in n for n in summary.notes)
    assert any("line 7" in n for n in summary.notes)
    assert service.lookup("BRK:2").label == "another good term"


def test_file_that_is_no_ontology_is_refused_clearly(tmp_path: Path):
    junk = tmp_path / "notes.obo"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(200))
    with pytest.raises(SourceError, match="neither an OBO nor an OWL"):
        run(TermService(tmp_path / "cache").add_file(junk))
    with pytest.raises(SourceError, match="is not a file"):
        run(TermService(tmp_path / "cache").add_file(tmp_path / "missing.obo"))


def test_build_reports_progress_and_can_be_cancelled(tmp_path: Path, tiny_obo: Path):
    service = TermService(tmp_path / "cache")
    ticks: list[Progress] = []
    drive(service.add_file(tiny_obo), ticks.append)
    assert ticks and ticks[-1].message.endswith("ready")
    other = tmp_path / "other.obo"
    other.write_text(tiny_obo.read_text().replace("TINY", "OTHR").replace("ontology: tiny", "ontology: othr"))
    task = service.add_file(other)
    next(task)
    task.close()  # cancel midway
    assert "OTHR" not in service.available()  # a cancelled or failed add is never listed
    assert not list((tmp_path / "cache" / "index").glob("*.tmp-*"))
    assert not list((tmp_path / "cache" / "index").glob("*.building"))


def test_an_ontology_added_in_a_worker_is_seen_by_other_threads(tmp_path: Path, tiny_obo: Path):
    service = TermService(tmp_path / "cache")
    assert service.search("liver") == []  # this thread has looked before the index existed
    worker = threading.Thread(target=lambda: run(service.add_file(tiny_obo)))
    worker.start()
    worker.join()
    assert service.search("liver")[0].accession == "TINY:0000002"


def test_truncated_gzip_file_is_one_clear_error(tmp_path: Path):
    import gzip

    stanzas = "".join(f"[Term]\nid: CUT:{i:07d}\nname: term {os.urandom(6).hex()}\n\n" for i in range(3000))
    whole = gzip.compress(("format-version: 1.2\nontology: cut\n\n" + stanzas).encode())
    cut = tmp_path / "cut.obo.gz"
    cut.write_bytes(whole[: len(whole) * 3 // 4])  # the header reads fine; the stream ends early
    service = TermService(tmp_path / "cache")
    with pytest.raises(SourceError, match="damaged or cut short"):
        run(service.add_file(cut))
    assert "CUT" not in service.available()


def test_an_index_another_process_builds_is_seen_without_a_restart(tmp_path: Path):
    """The app keeps its service while the CLI builds: 'building' while locked, then ready and searchable."""
    from depositdesk.ontology.building import lock_path

    watching = TermService(tmp_path / "cache")
    assert watching.available()["UO"] == "missing" and watching.search("centimet", ["UO"]) == []
    lock = lock_path(watching.index_dir, "UO")
    lock.parent.mkdir(parents=True)
    lock.write_text(str(os.getpid()))  # a live builder's lock
    assert watching.available()["UO"] == "building"
    lock.unlink()
    run(TermService(tmp_path / "cache").build(["UO"]))  # as another process would
    assert watching.available()["UO"] == "ready"
    assert watching.search("centimet", ["UO"])[0].label == "centimeter"
