"""``python -m scoring assign``: CSV in, CSV out, errors that name the row."""

from __future__ import annotations

import csv

import pytest

from scoring.cli import main

AFFINITY = """dossier,reviewer,affinity
D2,R1,0.2
D1,R1,1
D1,R2,0.5
D2,R3,1
D3,R2,1
D3,R3,0.3
"""


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return str(path)


def rows(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


@pytest.fixture
def affinity(tmp_path):
    return write(tmp_path / "aff.csv", AFFINITY)


def test_writes_the_assignment_sorted_with_affinities(affinity, tmp_path, capsys):
    out = tmp_path / "out.csv"
    assert main(["assign", affinity, "--k", "2", "--max-load", "2", "--out", str(out)]) == 0
    table = rows(out)
    assert table[0] == ["dossier", "reviewer", "affinity"]
    assert table[1:] == sorted(table[1:])
    assert {(d, r) for d, r, _ in table[1:]} == {
        ("D1", "R1"),
        ("D1", "R2"),
        ("D2", "R1"),
        ("D2", "R3"),
        ("D3", "R2"),
        ("D3", "R3"),
    }
    assert dict(((d, r), a) for d, r, a in table[1:])[("D2", "R1")] == "0.2"
    report = capsys.readouterr().out
    assert "total affinity   4.0000" in report and "components       1" in report


def test_conflicts_and_locks_are_honoured(affinity, tmp_path):
    forbid = write(tmp_path / "forbid.csv", "dossier,reviewer\nD1,R2\n")
    lock = write(tmp_path / "lock.csv", "\ufeffDossier,Reviewer\nD3,R3\n")
    out = tmp_path / "out.csv"
    code = main(
        [
            "assign",
            affinity,
            "--k",
            "1",
            "--max-load",
            "1",
            "--forbid",
            forbid,
            "--lock",
            lock,
            "--out",
            str(out),
        ]
    )
    assert code == 0
    pairs = {(d, r) for d, r, _ in rows(out)[1:]}
    assert ("D1", "R2") not in pairs and ("D3", "R3") in pairs
    assert pairs == {("D1", "R1"), ("D2", "R2"), ("D3", "R3")}  # D2–R2 is a missing pair: affinity 0


@pytest.mark.parametrize(
    ("text", "extra", "message"),
    [
        ("dossier,reviewer,affinity\nD1,R1,high\n", [], "aff.csv, line 2: affinity 'high' is not a number"),
        ("dossier,reviewer,affinity\nD1,R1,1\nD1,R1,2\n", [], "line 3: pair D1–R1 repeats line 2"),
        ("dossier,reviewer\nD1,R1\n", [], "line 1: missing column(s) affinity"),
        ("", [], "the file is empty"),
        (
            AFFINITY,
            ["--k", "4", "--max-load", "4"],
            "fewer eligible reviewers than k: D1 (3), D2 (3), D3 (3)",
        ),
        (AFFINITY, ["--max-load", "1"], "6 reviews needed but the maximum loads add up to 3"),
    ],
)
def test_bad_input_exits_non_zero_naming_the_row(tmp_path, capsys, text, extra, message):
    path = write(tmp_path / "aff.csv", text)
    args = ["assign", path, "--k", "2", "--max-load", "2", "--out", str(tmp_path / "out.csv"), *extra]
    assert main(args) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out.csv").exists()


def test_an_unknown_id_in_the_conflicts_names_its_line(affinity, tmp_path, capsys):
    forbid = write(tmp_path / "forbid.csv", "dossier,reviewer\nD1,R1\nD9,R1\n")
    out = tmp_path / "out.csv"
    assert (
        main(["assign", affinity, "--k", "2", "--max-load", "2", "--forbid", forbid, "--out", str(out)]) == 2
    )
    assert "forbid.csv, line 3: unknown dossier 'D9'" in capsys.readouterr().err
