"""`--output` is atomic and never clobbers; bugs are one internal-error line; usage errors exit 2."""

from __future__ import annotations

import errno
import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from stemcell_cli.evidence import command_results
from stemcell_cli.render import output

from .helpers import OTHER, after_warnings, other_warnings, run, subprocess_env

OLD = "the old report\n"


@pytest.fixture
def out_dir(tmp_path: Path) -> Path:
    """An empty directory for output files (tmp_path also holds the parse cache)."""
    (tmp_path / "out").mkdir()
    return tmp_path / "out"


def _write(target: Path, *extra: str) -> tuple[int, str, str]:
    result = run("wdg", "studies", "--data", str(OTHER), "-f", "csv", "-o", str(target), *extra)
    return result.exit_code, result.stdout, after_warnings(result.stderr)


def test_output_is_written_whole_and_nothing_goes_to_stdout(out_dir: Path) -> None:
    target = out_dir / "studies.csv"
    assert _write(target) == (0, "", "")
    assert target.read_text(encoding="utf-8").startswith("id,citation,year,design")
    assert [p.name for p in out_dir.iterdir()] == ["studies.csv"]


def test_existing_file_is_kept_without_force_and_replaced_with_it(out_dir: Path) -> None:
    target = out_dir / "studies.csv"
    target.write_text(OLD, encoding="utf-8")
    assert _write(target) == (1, "", f"error: {target}: already exists; add --force to replace it\n")
    assert target.read_text(encoding="utf-8") == OLD
    assert _write(target, "--force") == (0, "", "")
    assert target.read_text(encoding="utf-8").startswith("id,citation")


def test_replacing_keeps_the_old_files_permissions(out_dir: Path) -> None:
    target = out_dir / "studies.csv"
    target.write_text(OLD, encoding="utf-8")
    target.chmod(0o640)
    assert _write(target, "--force")[0] == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_new_file_gets_the_umask_default_not_the_temporary_files_0600(out_dir: Path) -> None:
    old_mask = os.umask(0o022)
    try:
        assert _write(out_dir / "new.csv")[0] == 0
    finally:
        os.umask(old_mask)
    assert stat.S_IMODE((out_dir / "new.csv").stat().st_mode) == 0o644


@pytest.mark.parametrize("force", [False, True])
def test_a_failure_mid_write_leaves_the_old_file_and_no_temporary(out_dir: Path, force: bool,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    target = out_dir / "studies.csv"
    if force:
        target.write_text(OLD, encoding="utf-8")

    def full_disk(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(output.os, "fsync", full_disk)
    code, out, err = _write(target, *(["--force"] if force else []))
    assert (code, out) == (1, "")
    assert err == f"error: {target}: cannot write: {os.strerror(errno.ENOSPC)}\n"
    assert [p.name for p in out_dir.iterdir()] == (["studies.csv"] if force else [])
    if force:
        assert target.read_text(encoding="utf-8") == OLD


def test_a_render_failure_leaves_the_old_file(out_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = out_dir / "studies.csv"
    target.write_text(OLD, encoding="utf-8")

    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("renderer bug")

    monkeypatch.setattr(output, "render", broken)
    code, out, err = _write(target, "--force")
    assert (code, out) == (70, "")
    assert err.startswith("error: internal error: RuntimeError at ")
    assert target.read_text(encoding="utf-8") == OLD


def test_a_file_that_appears_while_writing_is_not_replaced(out_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = out_dir / "studies.csv"
    real_fsync = output.os.fsync

    def racing(fd: int) -> None:
        real_fsync(fd)
        target.write_text(OLD, encoding="utf-8")  # another process wins the race

    monkeypatch.setattr(output.os, "fsync", racing)
    assert _write(target) == (1, "", f"error: {target}: already exists; add --force to replace it\n")
    assert target.read_text(encoding="utf-8") == OLD
    assert [p.name for p in out_dir.iterdir()] == ["studies.csv"]


def test_unwritable_directory_is_a_clear_error(out_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_open = os.open

    def denied(path: str, *args: int) -> int:
        # Root ignores mode bits: creating the temporary file in the output directory is refused here instead.
        if Path(path).parent == out_dir:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))
        return real_open(path, *args)

    monkeypatch.setattr(output.os, "open", denied)
    target = out_dir / "studies.csv"
    assert _write(target) == (1, "", f"error: {target}: cannot write in {out_dir}: {os.strerror(errno.EACCES)}\n")


@pytest.mark.parametrize("where", ["missing-dir", "parent-is-a-file", "is-a-directory"])
def test_impossible_output_paths(where: str, out_dir: Path) -> None:
    target, reason = {
        "missing-dir": (out_dir / "no" / "such.csv", f"cannot write in {out_dir / 'no'}: {os.strerror(errno.ENOENT)}"),
        "parent-is-a-file": (Path(OTHER) / "x.csv", f"cannot write in {OTHER}: {os.strerror(errno.ENOTDIR)}"),
        "is-a-directory": (out_dir, "is a directory"),
    }[where]
    assert _write(target) == (1, "", f"error: {target}: {reason}\n")


def test_output_dash_is_standard_output(out_dir: Path) -> None:
    code, out, err = _write(Path("-"))
    assert (code, err) == (0, "")
    assert out.startswith("id,citation,year")


def test_a_file_named_dash_is_written_when_given_as_a_path(out_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(out_dir)
    result = run("wdg", "studies", "--data", str(OTHER), "-f", "csv", "-o", "./-")
    assert (result.exit_code, result.stdout, after_warnings(result.stderr)) == (0, "", "")
    assert (out_dir / "-").read_text(encoding="utf-8").startswith("id,citation,year")
    schema = run("schema", "-o", "./-", "--force")
    assert (schema.exit_code, schema.stdout) == (0, "")
    assert json.loads((out_dir / "-").read_text(encoding="utf-8"))["title"] == "stemcell-cli data file"


def test_schema_command_writes_its_file_the_same_way(out_dir: Path) -> None:
    target = out_dir / "schema.json"
    assert run("schema", "-o", str(target)).exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["title"] == "stemcell-cli data file"
    again = run("schema", "-o", str(target))
    assert (again.exit_code, again.stderr) == (1, f"error: {target}: already exists; add --force to replace it\n")


def test_unexpected_exception_is_one_line_without_message_or_locals(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object) -> object:
        password = "hunter2"
        raise ValueError(f"secret {password}")

    monkeypatch.setattr(command_results, "summary", explode)
    result = run("wdg", "summary", "--data", str(OTHER))
    assert (result.exit_code, result.stdout) == (70, "")
    assert re.fullmatch(r"error: internal error: ValueError at api\.py:\d+ \(a bug in stemcell; run "
                        r"again with STEMCELL_DEBUG=1 to see the traceback, and please report it\)\n",
                        after_warnings(result.stderr))
    assert "hunter2" not in result.stderr
    assert "Traceback" not in result.stderr
    assert after_warnings(result.stderr).count("\n") == 1


def test_a_bug_has_its_own_exit_code_while_parsing_too(monkeypatch: pytest.MonkeyPatch) -> None:
    from stemcell_cli.cli.app import StemcellGroup
    from stemcell_cli.errors import ExitCode

    assert len({int(code) for code in ExitCode}) == len(ExitCode)
    assert ExitCode.INTERNAL not in (ExitCode.DATA, ExitCode.USAGE)

    def broken(*args: object) -> bool:
        raise RuntimeError("parser bug")

    monkeypatch.setattr(StemcellGroup, "_mistyped", broken)
    result = run("wdg", "summary", "--data", str(OTHER))
    assert (result.exit_code, result.stdout) == (int(ExitCode.INTERNAL), "")
    assert re.fullmatch(r"error: internal error: RuntimeError at cli/app\.py:\d+ \(a bug in stemcell; run again with "
                        r"STEMCELL_DEBUG=1 to see the traceback, and please report it\)\n", result.stderr)


def test_debug_variable_lets_the_exception_through(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object) -> object:
        raise ValueError("boom")

    monkeypatch.setattr(command_results, "summary", explode)
    result = run("wdg", "summary", "--data", str(OTHER), env={"STEMCELL_DEBUG": "1"})
    assert isinstance(result.exception, ValueError)


def test_unexpected_exception_in_a_real_process() -> None:
    script = ("import sys\n"
              "import stemcell_cli.evidence.command_results as command_results\n"
              "def explode(*args, **kwargs):\n"
              "    token = 'hunter2'\n"
              "    raise KeyError(token)\n"
              "command_results.claims = explode\n"
              "from stemcell_cli.cli.app import main\n"
              f"sys.argv = ['stemcell', 'wdg', 'claims', '--data', {str(OTHER)!r}]\n"
              "main()\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, env=subprocess_env(), timeout=30,
                          check=False)
    assert (done.returncode, done.stdout) == (70, b"")
    err = after_warnings(done.stderr.decode())
    assert err.startswith("error: internal error: KeyError at api.py:")
    assert err.count("\n") == 1
    assert "hunter2" not in err
    assert "Traceback" not in err


@pytest.mark.parametrize(("args", "message"), [
    (["widgetitus", "summary"], "error: unknown condition 'widgetitus'; did you mean 'widgetitis'? (known: widgetitis, "
                                "wdg; see `stemcell conditions`)"),
    (["wdg", "summary", "--bogus"], "error: no such option: --bogus (see `stemcell wdg summary -h`)"),
    (["wdg", "studies", "--since", "soon"], "error: --since: 'soon' is not a whole number "
                                            "(see `stemcell wdg studies -h`)"),
    (["wdg", "summary", "--color", "sometimes"], "error: --color: 'sometimes' is not one of 'auto', 'always', "
                                                 "'never' (see `stemcell wdg summary -h`)"),
    (["wdg", "study", "able2010"], "error: unknown study 'able2010' for widgetitis; did you mean 'able2001'? "
                                   "(see `stemcell widgetitis studies`)"),
])
def test_usage_errors_exit_2_with_nothing_on_stdout(args: list[str], message: str) -> None:
    result = run(*args, "--data", str(OTHER))
    # An unknown name is found once the data is loaded, after its load warning; a parse error comes before loading.
    loaded = other_warnings() if message.startswith("error: unknown") else ""
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", loaded + message + "\n")


def test_force_never_replaces_a_fifo_or_a_device(out_dir: Path) -> None:
    fifo = out_dir / "pipe"
    os.mkfifo(fifo)
    for target in (fifo, Path(os.devnull)):
        code, out, err = _write(target, "--force")
        assert (code, out) == (1, "")
        assert err == (f"error: {target}: is not a regular file (a device, FIFO or socket); "
                       "redirect standard output with the shell instead\n")
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    assert stat.S_ISCHR(Path(os.devnull).stat().st_mode)


def test_force_through_a_symlink_replaces_the_file_it_names_and_keeps_the_link(out_dir: Path) -> None:
    real = out_dir / "real.csv"
    real.write_text("old\n", encoding="utf-8")
    link = out_dir / "link.csv"
    link.symlink_to(real)
    assert _write(link)[0] == 1
    assert real.read_text(encoding="utf-8") == "old\n"
    assert _write(link, "--force")[0] == 0
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8").startswith("id,citation,year,design,n,direction,")
