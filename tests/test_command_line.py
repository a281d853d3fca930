"""The command line without surprises: word order, ids of other conditions, finding by identifier, help, quiet."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from .app_commands import app_commands, walk
from .conftest import OTHER, other_warnings, run
from .reliability.helpers import run_process

USAGE = 2


def test_a_command_before_its_condition_is_answered_with_the_right_order() -> None:
    result = run("summary", "lupus")
    assert (result.exit_code, result.stdout) == (USAGE, "")
    assert result.stderr == ("error: the condition comes before the command: `stemcell lupus summary` "
                             "(see `stemcell -h`)\n")
    result = run("study", "lupus", "deng2017", "-f", "json")
    assert result.stderr == ("error: the condition comes before the command: `stemcell lupus study deng2017 -f json` "
                             "(see `stemcell -h`)\n")
    alone = run("claims")
    assert (alone.exit_code, alone.stderr) == (USAGE, "error: claims is a command on one condition, which comes first: "
                                                      "`stemcell CONDITION claims`; `stemcell conditions` lists them "
                                                      "(see `stemcell -h`)\n")
    # The right order still runs, and a mistyped command after a condition keeps its own advice.
    assert run("lupus", "summary", "-f", "json").exit_code == 0
    assert run("lupus", "sumary").stderr == ("error: no such command 'sumary'; did you mean 'summary'? "
                                             "(see `stemcell lupus -h`)\n")


def test_an_id_of_another_condition_names_that_condition(tmp_path: Path) -> None:
    study = run("lupus", "study", "shapiro2017")
    assert (study.exit_code, study.stdout) == (USAGE, "")
    assert study.stderr == ("error: study 'shapiro2017' is a study of knee-osteoarthritis, not of lupus: "
                            "`stemcell knee-osteoarthritis study shapiro2017`\n")
    claim = run("koa", "claim", "sledai")
    assert (claim.exit_code, claim.stderr) == (USAGE, "error: claim 'sledai' is a claim of lupus, not of "
                                                      "knee-osteoarthritis: `stemcell lupus claim sledai`\n")
    # A registry id of another condition's study names the study; an id nowhere in the data keeps its suggestion.
    assert run("lupus", "study", "NCT03818737").stderr == (
        "error: study 'NCT03818737' is a study of knee-osteoarthritis, not of lupus: "
        "`stemcell knee-osteoarthritis study mautner2023`\n")
    assert run("lupus", "study", "deng2071").stderr == (
        "error: unknown study 'deng2071' for lupus; did you mean 'deng2017'? (see `stemcell lupus studies`)\n")
    # The same in real processes: the second reads the condition's records alone from its segment of the cache.
    for _ in range(2):
        done = run_process("lupus", "study", "shapiro2017", STEMCELL_NO_CACHE="",
                           STEMCELL_CACHE_DIR=str(tmp_path / "cache"))
        assert (done.returncode, done.stderr) == (USAGE, study.stderr.encode())
    assert list((tmp_path / "cache").iterdir()) != []


@pytest.mark.parametrize("name", ["10.1136/annrheumdis-2017-211073", "https://doi.org/10.1136/ANNRHEUMDIS-2017-211073",
                                  "doi:10.1136/annrheumdis-2017-211073", "28478399", "PMID: 28478399",
                                  "NCT01539902", "nct01539902", "Deng2017"])
def test_a_study_is_shown_by_its_doi_pmid_or_registry_id(name: str) -> None:
    result = run("lupus", "study", name, "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["study"]["id"] == "deng2017"


def test_a_registered_trial_without_a_published_study_is_said_to_be_one() -> None:
    result = run("lupus", "study", "NCT02633163")
    assert (result.exit_code, result.stderr) == (USAGE, "error: NCT02633163 is a registered trial of lupus with no "
                                                        "published study on file (see `stemcell lupus trials`)\n")


def test_find_looks_in_every_condition() -> None:
    by_doi = json.loads(run("find", "https://doi.org/10.1136/annrheumdis-2017-211073", "-f", "json").stdout)
    assert by_doi.pop("provenance")["data"][0]["file"] == "studies.yaml"
    assert by_doi == {"schema": "stemcell-cli/find", "version": 1,
                      "term": "https://doi.org/10.1136/annrheumdis-2017-211073",
                      "found": [{"condition": "lupus", "kind": "study", "id": "deng2017", "label": "Deng 2017",
                                 "matched": "DOI", "command": "stemcell lupus study deng2017"}]}
    by_registry = run("find", "NCT03818737", "-f", "csv", env={"STEMCELL_FORCE_TTY": None})
    assert by_registry.stdout.splitlines() == [
        "condition,kind,id,label,matched,command",
        "knee-osteoarthritis,study,mautner2023,Mautner 2023 (MILES),registry id,"
        "stemcell knee-osteoarthritis study mautner2023",
        "knee-osteoarthritis,trial,NCT03818737,Multicenter Trial of Stem Cell Therapy for Osteoarthritis (MILES),"
        "registry id,stemcell knee-osteoarthritis trials",
    ]
    by_pmid = json.loads(run("find", "PMID:28478399", "-f", "json").stdout)
    assert [(f["id"], f["matched"]) for f in by_pmid["found"]] == [("deng2017", "PMID")]
    nothing = run("find", "10.9999/none", "-f", "json")
    assert (nothing.exit_code, json.loads(nothing.stdout)["found"]) == (0, [])
    table = run("find", "shapiro2017")
    assert table.exit_code == 0
    assert "stemcell knee-osteoarthritis study shapiro2017" in table.stdout


def test_every_command_shown_by_find_runs() -> None:
    found = json.loads(run("find", "NCT01539902", "-f", "json").stdout)["found"]
    assert [(f["kind"], f["command"]) for f in found] == [("study", "stemcell lupus study deng2017"),
                                                          ("trial", "stemcell lupus trials")]
    for item in found:
        assert run(*item["command"].split()[1:], "-f", "json").exit_code == 0


def test_completion_without_a_shell_is_a_usage_error_in_plain_words() -> None:
    result = run("completion")
    assert (result.exit_code, result.stdout) == (USAGE, "")
    assert result.stderr == ("error: missing argument 'SHELL'; choose from: bash, zsh, fish "
                             "(see `stemcell completion -h`)\n")


@pytest.mark.parametrize("option", ["--install-completion", "--show-completion"])
def test_typers_completion_options_are_gone(option: str) -> None:
    result = run(option)
    assert (result.exit_code, result.stderr) == (USAGE, f"error: no such option: {option} (see `stemcell -h`)\n")
    assert option not in run("--help").stdout


def _helps() -> list[tuple[str, str]]:
    """Return the help of stemcell and of every command, as typed, at 100 columns."""
    lines = [("stemcell", run("--help").stdout)]
    for command in app_commands():
        words = ["lupus" if word == "CONDITION" else word for word in command.words]
        lines.append((" ".join(words), run(*words, "--help").stdout))
    return lines


def test_help_placeholders_say_what_goes_there() -> None:
    for words, text in _helps():
        assert re.findall(r"<str>|<int|\{", text) == [], words
    studies = dict(_helps())["lupus studies"]
    for shown in ("--design DESIGN", "--since YEAR", "--min-n N", "--data FILE", "-o, --output FILE"):
        assert shown in studies
    helps = dict(_helps())
    assert helps["lupus claim"].startswith("Usage: stemcell lupus claim [OPTIONS] ID\n")
    assert helps["lupus study"].startswith("Usage: stemcell lupus study [OPTIONS] ID\n")
    assert helps["validate"].startswith("Usage: stemcell validate [OPTIONS] [FILE]\n")
    assert helps["find"].startswith("Usage: stemcell find [OPTIONS] TERM\n")
    assert helps["completion"].startswith("Usage: stemcell completion [OPTIONS] SHELL\n")


def test_command_lists_give_each_summary_whole() -> None:
    for listing, depth in ((run("--help").stdout, 1), (run("lupus", "--help").stdout, 2)):
        listed = " ".join(listing.split("Commands:\n", 1)[1].split("\n\n")[0].split())
        assert "..." not in listed
        shown = [found for found in walk() if len(found.words) == depth]
        assert len(shown) >= 6
        for found in shown:
            summary = " ".join(found.command.help.strip().split("\n\n")[0].split())
            assert f"{found.name} {summary}" in listed, found.name


@pytest.mark.parametrize("columns", [72, 100, 160])
def test_help_wraps_to_the_terminals_width(columns: int) -> None:
    for words, text in _help_at(columns):
        widest = max(len(line) for line in text.splitlines())
        assert widest <= columns, (words, widest)
        if columns == 160:
            assert widest > 100, words  # the width is used, not click's 80 columns


def _help_at(columns: int) -> list[tuple[str, str]]:
    """Return the help of stemcell, `lupus studies` and `lupus effects` at a terminal width, in real processes."""
    # A real process: click's CliRunner fixes the help's width at 80.
    return [(" ".join(words), run_process(*words, "--help", COLUMNS=str(columns)).stdout.decode())
            for words in ([], ["lupus", "studies"], ["lupus", "effects"])]


def test_the_root_help_has_examples_that_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = run("--help").stdout
    examples = re.findall(r"^ {4}stemcell (.+)$", text.split("Examples:\n", 1)[1], flags=re.MULTILINE)
    assert len(examples) >= 5
    assert "lupus summary" in examples
    monkeypatch.chdir(tmp_path)
    for example in examples:
        result = run(*example.split())
        assert (result.exit_code, result.stderr) == (0, ""), example


def test_quiet_silences_the_warnings_before_or_after_the_condition() -> None:
    loud = run("wdg", "studies", "--data", str(OTHER), "-f", "csv")
    assert loud.stderr == other_warnings()
    for args in (("wdg", "studies", "--data", str(OTHER), "-f", "csv", "-q"),
                 ("--quiet", "--data", str(OTHER), "wdg", "studies", "-f", "csv")):
        quiet = run(*args)
        assert (quiet.exit_code, quiet.stderr, quiet.stdout) == (0, "", loud.stdout)
    # An encoding that lacks characters is said once on stderr, unless quiet; the escapes are the same.
    shown = run_process("lupus", "claims", STEMCELL_FORCE_TTY="1", PYTHONIOENCODING="ascii")
    hushed = run_process("lupus", "claims", "--quiet", STEMCELL_FORCE_TTY="1", PYTHONIOENCODING="ascii")
    assert shown.stderr.startswith(b"warning: the output encoding ascii cannot show some characters")
    assert (hushed.returncode, hushed.stderr, hushed.stdout) == (0, b"", shown.stdout)
    # Errors are never silenced.
    assert run("lupus", "study", "nobody", "-q").stderr.startswith("error: unknown study 'nobody'")
