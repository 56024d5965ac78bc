"""The experiment graph (BIR-TAB): every data file traces back to its source through its protocols."""

from __future__ import annotations

from pathlib import Path

import pytest

from depositdesk.magetab.graph import build_graph
from depositdesk.magetab.project import Project
from depositdesk.magetab.sdrf import Sdrf
from depositdesk.resources.examples import EXAMPLE_PROJECT

UPSTREAM = ["P-DMEL-GROWTH", "P-DMEL-CHROMATIN"]
AFTER_EXTRACT = ["P-DMEL-LIBRARY", "P-DMEL-SEQ"]


@pytest.fixture(scope="module")
def graph():
    return build_graph(Project.open(EXAMPLE_PROJECT).sdrfs)


@pytest.mark.parametrize("fastq, source, chip", [
    ("GAF_ChIP_rep1.fastq.gz", "GAF embryos rep1", True), ("input_rep1.fastq.gz", "GAF embryos rep1", False),
    ("GAF_ChIP_rep2.fastq.gz", "GAF embryos rep2", True), ("input_rep2.fastq.gz", "GAF embryos rep2", False),
])
def test_each_fastq_traces_back_to_its_source(graph, fastq: str, source: str, chip: bool) -> None:
    steps = graph.trace(fastq)
    assert steps[0].source.kind == "Source Name" and steps[0].source.name == source
    assert steps[-1].target.name == fastq and steps[-1].target.is_file
    protocols = [p for step in steps for p in step.protocol_names]
    assert protocols == UPSTREAM + (["P-DMEL-CHIP"] if chip else []) + AFTER_EXTRACT
    kinds = [steps[0].source.kind] + [s.target.kind for s in steps]
    assert kinds == ["Source Name", "Sample Name", "Extract Name", "Assay Name", "Scan Name", "Array Data File"]


def test_protocol_parameters_ride_on_the_steps(graph) -> None:
    steps = graph.trace("GAF_ChIP_rep1.fastq.gz")
    chip = next(p for s in steps for p in s.protocols if p.protocol == "P-DMEL-CHIP")
    assert chip.parameter("antibody") == "anti-GAF (rabbit polyclonal)"
    seq = next(p for s in steps for p in s.protocols if p.protocol == "P-DMEL-SEQ")
    assert seq.parameter("instrument model") == "Illumina HiSeq 2000"


def test_peaks_join_chip_and_input_and_bam_branches(graph) -> None:
    peaks = graph.find_file("GAF_peaks_rep1.gff3")
    inputs = sorted(step.source.name for step in graph.inputs(peaks))
    assert inputs == ["GAF_ChIP_rep1.bam", "input_rep1.bam"]
    bam = graph.find_file("GAF_ChIP_rep1.bam")
    assert sorted(s.target.name for s in graph.outputs(bam)) == ["GAF_ChIP_rep1.bw", "GAF_peaks_rep1.gff3"]
    trace = graph.trace("GAF_ChIP_rep1.bw")
    assert trace[-1].protocol_names == ["P-DMEL-SIGNAL"] and trace[0].source.name == "GAF embryos rep1"
    lineage_sources = {s.source.name for s in graph.lineage("GAF_peaks_rep1.gff3")}
    assert {"GAF_ChIP_rep1.fastq.gz", "input_rep1.fastq.gz", "GAF embryos rep1"} <= lineage_sources


def test_sources_and_attributes(graph) -> None:
    assert sorted(n.name for n in graph.sources()) == ["GAF embryos rep1", "GAF embryos rep2"]
    source = graph.sources()[0]
    assert source.attributes["Characteristics[organism]"] == "Drosophila melanogaster"


def test_any_chain_of_protocols_not_only_the_microarray_order() -> None:
    sdrf = Sdrf(["Source Name", "Protocol REF", "Derived Array Data File", "Protocol REF", "Sample Name",
                 "Comment[SUBMITTED_FILE_NAME]", "Protocol REF", "Image File"],
                [["mouse 1", "P-scan", "scan.tif", "P-dissect", "slice 1", "slice1.raw", "P-image", "slice1.tif"]])
    graph = build_graph(sdrf)
    steps = graph.trace("slice1.tif")
    assert [(s.source.name, s.protocol_names, s.target.name) for s in steps] == [
        ("mouse 1", ["P-scan"], "scan.tif"), ("scan.tif", ["P-dissect"], "slice 1"),
        ("slice 1", ["P-image"], "slice1.tif")]
    assert graph.trace("slice1.raw")[-1].source.name == "slice 1"   # a Comment file hangs off its node
    with pytest.raises(KeyError):
        graph.trace("nope.fastq.gz")


def test_corpus_sequencing_sdrf_traces_fastq_to_source() -> None:
    corpus = Path(__file__).resolve().parents[3] / "shared" / "metadata-corpus" / "magetab"
    project = Project.open(corpus / "E-MTAB-1443" / "E-MTAB-1443.idf.txt")
    graph = build_graph(project.sdrfs)
    steps = graph.trace("SRobson_sr554_0010_0004_unfiltered.bam")
    assert steps[0].source.kind == "Source Name" and steps[0].source.name == "BRD4_IBET"
