"""scoring.ranking_cli: ``python -m scoring rank`` on CSV files."""

from __future__ import annotations

import argparse
import csv
import re
from pathlib import Path

import numpy as np
import pytest

from scoring import ranking_cli
from scoring.csvio import CsvError
from tests.scoring.test_models import simulate_round


def run_rank(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    ranking_cli.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["rank", *argv])
    return args.func(args)


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture
def scores_csv(tmp_path: Path) -> Path:
    """A small biased round as the app would export it, with an extra column."""
    table, *_ = simulate_round(1, leniency_sd=1.0, n_dossiers=30, n_reviewers=8)
    path = tmp_path / "scores.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Dossier", "reviewer", "criterion", "score", "note"])
        for i in range(table.n_obs):
            d, r, c = (
                table.dossiers[table.dossier[i]],
                table.reviewers[table.reviewer[i]],
                table.criteria[table.criterion[i]],
            )
            writer.writerow([d, r, c, f"{table.score[i]:g}", "ghi chú"])
    return path


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


class TestRank:
    def test_writes_the_ranking(self, scores_csv, tmp_path, capsys):
        out = tmp_path / "ranking.csv"
        assert run_rank(str(scores_csv), "--out", str(out)) == 0
        with out.open(encoding="utf-8") as fh:
            header = fh.readline().strip()
        assert (
            header
            == "dossier,rank,score,raw_mean,ci_low,ci_high,rank_low,rank_high,p_top,n_reviews,component,flags"
        )
        rows = read_csv(out)
        assert [int(row["rank"]) for row in rows] == list(range(1, 31))
        scores = [float(row["score"]) for row in rows]
        assert scores == sorted(scores, reverse=True)
        assert all(float(r["ci_low"]) <= float(r["score"]) <= float(r["ci_high"]) for r in rows)
        assert all(int(r["rank_low"]) <= int(r["rank_high"]) for r in rows)
        assert {row["n_reviews"] for row in rows} == {"3"}
        assert "Ranked 30 dossiers from 90 sheets by 8 members with shrinkage" in capsys.readouterr().out

    def test_method_top_seed_and_members(self, scores_csv, tmp_path):
        out, members = tmp_path / "ranking.csv", tmp_path / "members.csv"
        argv = [str(scores_csv), "--out", str(out), "--method", "additive", "--top", "5", "--seed", "3"]
        assert run_rank(*argv, "--members-out", str(members)) == 0
        rows = read_csv(out)
        assert sum(float(row["p_top"]) for row in rows) == pytest.approx(5, abs=0.3)
        member_rows = read_csv(members)
        assert list(member_rows[0]) == list(ranking_cli.MEMBER_COLUMNS)
        assert len(member_rows) == 8
        assert sum(float(row["leniency"]) for row in member_rows) == pytest.approx(0, abs=1e-3)
        again = tmp_path / "again.csv"
        run_rank(*argv[:2], str(again), *argv[3:])
        assert again.read_text() == out.read_text()

    def test_weights(self, tmp_path):
        scores = write(
            tmp_path / "s.csv",
            "dossier,reviewer,criterion,score\nA,m,c1,10\nA,m,c2,2\nB,m,c1,4\nB,m,c2,6\n",
        )
        weights = write(tmp_path / "w.csv", "criterion,weight\nc2,3\nc1,0\n")
        out = tmp_path / "r.csv"
        run_rank(str(scores), "--out", str(out), "--weights", str(weights), "--method", "raw")
        rows = read_csv(out)
        assert [(r["dossier"], float(r["score"])) for r in rows] == [("B", 18.0), ("A", 6.0)]

    def test_bom_blank_lines_decimals_and_flags(self, tmp_path):
        text = (
            "\ufeffDOSSIER , Reviewer,criterion,Score\n"
            "A,m1,c,7.5\nA,m2,c,6.5\n\nB,m1,c,8\n"
            ",,,\n"
            "C,m3,c,5\nC,m4,c,4\n"
        )
        out = tmp_path / "r.csv"
        run_rank(str(write(tmp_path / "s.csv", text, encoding="utf-8")), "--out", str(out), "--method", "raw")
        flags = {row["dossier"]: row["flags"] for row in read_csv(out)}
        assert flags == {"A": "", "B": "one_review", "C": "disconnected"}
        assert {row["dossier"]: float(row["raw_mean"]) for row in read_csv(out)}["A"] == 7.0

    def test_through_the_dispatcher(self, scores_csv, tmp_path, capsys):
        from scoring.cli import main

        out = tmp_path / "r.csv"
        assert main(["rank", str(scores_csv), "--out", str(out)]) == 0
        assert len(read_csv(out)) == 30
        assert main(["rank", str(tmp_path / "missing.csv"), "--out", str(out)]) == 2
        assert "rank: error:" in capsys.readouterr().err


class TestErrors:
    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("", "the file is empty"),
            ("dossier,reviewer,score\nA,m,5\n", "line 1: missing column.s. criterion"),
            ("dossier,reviewer,criterion,score\n", "no score rows"),
            (
                "dossier,reviewer,criterion,score\nA,m,c,5\nB,m,c,abc\n",
                "line 3: score 'abc' is not a finite number",
            ),
            ("dossier,reviewer,criterion,score\nA,m,c,nan\n", "line 2: score 'nan' is not a finite number"),
            ("dossier,reviewer,criterion,score\nA,m,c,\n", "line 2: score '' is not a finite number"),
            ("dossier,reviewer,criterion,score\nA,,c,5\n", "line 2: reviewer is empty"),
            (
                "dossier,reviewer,criterion,score\nA,m,c,5\n\nA,m,c,6\n",
                "line 4: repeats dossier 'A', reviewer 'm', criterion 'c' .first on line 2.",
            ),
            ('dossier,reviewer,criterion,score\n"A\nB",m,c,5\nC,m,c,x\n', "line 4: score 'x'"),
        ],
        ids=[
            "empty",
            "missing-column",
            "header-only",
            "not-a-number",
            "nan",
            "blank-score",
            "blank-id",
            "duplicate",
            "multiline-cell",
        ],
    )
    def test_bad_scores(self, tmp_path, text, message):
        path = write(tmp_path / "s.csv", text)
        with pytest.raises(CsvError, match=message):
            ranking_cli.read_scores(path)

    def test_missing_and_non_utf8_files(self, tmp_path):
        with pytest.raises(CsvError, match="no such file"):
            ranking_cli.read_scores(tmp_path / "nope.csv")
        path = tmp_path / "latin.csv"
        path.write_bytes(
            "dossier,reviewer,criterion,score\nHồ sơ,m,c,5\n".encode("cp1258", errors="replace") + b"\xff"
        )
        with pytest.raises(CsvError, match="not UTF-8"):
            ranking_cli.read_scores(path)

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("criterion,weight\nc1,1\nc9,2\n", "line 3: criterion 'c9' does not occur"),
            ("criterion,weight\nc1,1\n", "no weight for criterion 'c2'"),
            ("criterion,weight\nc1,1\nc1,2\n", "line 3: criterion 'c1' has a second weight"),
            ("criterion,weight\nc1,x\nc2,1\n", "line 2: weight 'x' is not a number"),
            ("criterion,weight\nc1,-1\nc2,1\n", "line 2: weight '-1' is negative"),
            ("criterion,weight\nc1,0\nc2,0\n", "every weight is 0"),
            ("criterion\nc1\n", "line 1: missing column.s. weight"),
        ],
    )
    def test_bad_weights(self, tmp_path, text, message):
        with pytest.raises(CsvError, match=message):
            ranking_cli.read_weights(write(tmp_path / "w.csv", text), np.array(["c1", "c2"]))

    def test_bad_top_is_a_value_error(self, scores_csv, tmp_path):
        with pytest.raises(
            ValueError, match=re.escape("`top_k` must be an integer from 1 to the number of dossiers (30)")
        ):
            run_rank(str(scores_csv), "--out", str(tmp_path / "r.csv"), "--top", "31")
