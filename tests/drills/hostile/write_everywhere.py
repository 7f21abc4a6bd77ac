# mlprep drill: top_k
"""Attack 2: write wherever the learner can: the shell's start-up file, MLPREP_HOME and its
progress database, /tmp, /dev/shm, the drills folder (a hidden test that always passes),
site-packages (a .pth file, run by every later Python start) and the judge's grading folder."""
import glob
import os
import site

TARGETS = {}
marker = TARGETS.get("marker", "mlprep-hostile")
home = TARGETS.get("home", os.path.expanduser("~"))
mlprep_home = TARGETS.get("mlprep_home", os.path.join(home, ".local/share/mlprep"))
tmp = TARGETS.get("tmp", "/tmp")
attempts = {
    os.path.join(home, ".bashrc"): f"echo {marker}\n",
    os.path.join(mlprep_home, f"{marker}.txt"): "owned\n",
    os.path.join(mlprep_home, "progress.db"): "garbage",
    f"/tmp/{marker}": "x",
    f"/dev/shm/{marker}": "x",
    os.path.join(tmp, marker): "x",
}
try:
    from mlprep.paths import content_dir

    attempts[str(content_dir("drills") / "top_k" / "tests" / f"test_{marker.replace('-', '_')}.py")] = "def test_ok():\n    pass\n"
except Exception:
    pass
for folder in site.getsitepackages():
    attempts[os.path.join(folder, f"{marker}.pth")] = f"# {marker}\n"
for folder in glob.glob(os.path.join(tmp, "mlprep-grade-*", "hidden")):
    attempts[os.path.join(folder, "conftest.py")] = "import pytest\n"
for path, text in attempts.items():
    try:
        with open(path, "a") as out:
            out.write(text)
    except OSError:
        pass


def top_k_sample(logits, k, temperature=1.0, seed=None):
    return -1
