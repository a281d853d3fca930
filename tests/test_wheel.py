"""A wheel built from the repo and installed into a fresh virtual environment runs from anywhere."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path

from .conftest import ROOT


def _run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, check=False,
                          timeout=300)


def test_wheel_ships_the_data_and_runs_the_summary_from_a_temporary_directory(tmp_path: Path) -> None:
    built = _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-w",
                 tmp_path / "dist", ROOT)
    assert built.returncode == 0, built.stderr
    wheel = next((tmp_path / "dist").glob("stemcell_cli-*.whl"))
    import zipfile

    with zipfile.ZipFile(wheel) as archive:
        licence = next(n for n in archive.namelist() if n.endswith(".dist-info/licenses/LICENSE"))
        assert archive.read(licence).decode("utf-8").startswith("MIT License\n")

    venv = tmp_path / "venv"
    assert _run(sys.executable, "-m", "venv", venv).returncode == 0
    bin_dir = venv / ("Scripts" if sys.platform == "win32" else "bin")
    installed = _run(bin_dir / "python", "-m", "pip", "install", "--no-deps", "--no-index", wheel)
    assert installed.returncode == 0, installed.stderr
    # The dependencies come from the test environment, behind the fresh venv's own site-packages.
    site = Path(_run(bin_dir / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])")
                .stdout.strip())
    (site / "zz_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = _run(bin_dir / "python", "-c", "import stemcell_cli; print(stemcell_cli.__file__)", cwd=elsewhere)
    assert where.stdout.strip().startswith(str(venv)), where.stdout
    summary = _run(bin_dir / "stemcell", "lupus", "summary", "--format", "table", "--no-cache", cwd=elsewhere)
    assert summary.returncode == 0, summary.stderr
    assert "Systemic lupus erythematosus" in summary.stdout
    assert "Deng 2017" in summary.stdout
    data = _run(bin_dir / "python", "-c",
                "from importlib import resources; "
                "print(resources.files('stemcell_cli').joinpath('data', 'studies.yaml').is_file())", cwd=elsewhere)
    assert data.stdout.strip() == "True"
