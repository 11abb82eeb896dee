"""How a build's throughput grows with the workers of a Dask cluster, on this machine.

    python bench/cluster.py --runs 3 --write

The bulk corpus (../shared/corpora/bulk) is built with ``--format html,text --clean
--keep-going`` (validation on) by: the default process pool (``--jobs 2``), and a Dask
``LocalCluster`` of 1 and of 2 worker processes (one thread each) through ``--scheduler``,
interleaved in the same run, several runs; the medians are reported, and the throughput of
each as documents and megabytes per second and as a ratio to the one-worker cluster. Each
cluster is started before its build is timed (a real cluster is running before a build is
submitted to it); every worker process starts afresh for each build, as the pool's do.

The machine has two cores shared with other engineers' work: two workers can at best double
one worker's throughput here, and the load average (recorded) says how far from that the
other work kept it. Needs ``distributed`` (``pip install 'teikit[cluster]'``). With --write the
results replace the "## Cluster" section of bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

import make_corpus  # noqa: E402
import stylesheets  # noqa: E402
import throughput  # noqa: E402

BUILD = ["build", "--format", "html,text", "--clean", "--keep-going", "--date", "2026-01-01"]

#: a LocalCluster of N single-threaded worker processes, its address on stdout, until stdin
#: closes
_CLUSTER = r"""
import sys
from distributed import LocalCluster
cluster = LocalCluster(n_workers=int(sys.argv[1]), threads_per_worker=1, processes=True,
                       dashboard_address=None, host="127.0.0.1")
print(cluster.scheduler_address, flush=True)
sys.stdin.read()
cluster.close()
"""


class Cluster:
    """A LocalCluster in a process of its own (its workers run the snapshot's code)."""

    def __init__(self, workers: int, env: dict) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", _CLUSTER, str(workers)], env=env,
                                     cwd=throughput.code_dir(env), stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     text=True)
        self.address = self.proc.stdout.readline().strip()
        if not self.address.startswith("tcp://"):
            self.close()
            raise SystemExit("the LocalCluster did not start (is distributed installed?)")

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--write", action="store_true", help="update bench/RESULTS.md")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="teikit-bench-cluster-"))
    try:
        run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args, work: Path) -> None:
    env = throughput.snapshot(work / "code")
    files = make_corpus.bulk_files()
    size = sum(f.stat().st_size for f in files)
    project = make_corpus.make_bulk(work / "bulk", files=files)
    cwd = throughput.code_dir(env)
    configs = ["process pool, --jobs 2", "Dask LocalCluster, 1 worker",
               "Dask LocalCluster, 2 workers"]
    stylesheets.timed(throughput.teikit(env, *BUILD, "--jobs", "2", str(project)), env, cwd)
    times: dict[str, list[float]] = {c: [] for c in configs}
    notes: dict[str, str] = {}
    loads = []
    for i in range(args.runs):
        loads.append(os.getloadavg()[0])
        for c in configs[i % 3:] + configs[:i % 3]:
            cluster = None
            if c.startswith("Dask"):
                cluster = Cluster(int(c.split(", ")[1].split()[0]), env)
                cmd = throughput.teikit(env, *BUILD, "--scheduler", cluster.address,
                                        str(project))
            else:
                cmd = throughput.teikit(env, *BUILD, "--jobs", "2", str(project))
            try:
                wall, _cpu, code, err = stylesheets.timed(cmd, env, cwd)
            finally:
                if cluster is not None:
                    cluster.close()
            built = [line for line in err.splitlines() if line.startswith("built ")]
            notes[c] = built[-1].split(" → ")[0] if built else f"exit {code}: {err[-300:]}"
            times[c].append(wall)
            print(f"run {i + 1} {c}: {wall:.1f} s ({notes[c]})", flush=True)
    one = statistics.median(times[configs[1]])
    lines = [f"Corpus: the bulk corpus, {len(files)} files, {size / 1e6:.1f} MB; `teikit build "
             "--format html,text --clean --keep-going` (validation on). "
             f"{args.runs} runs, interleaved (the order turned each run); load average before "
             f"each run: {', '.join(f'{x:.1f}' for x in loads)} on 2 cores shared with other "
             "engineers' work.", "",
             "| executor | wall (s), median | documents/s | MB/s | throughput / 1 worker | "
             "result |", "|---|---:|---:|---:|---:|---|"]
    for c in configs:
        t = statistics.median(times[c])
        lines.append(f"| {c} | {t:.1f} | {len(files) / t:.2f} | {size / 1e6 / t:.2f} | "
                     f"{one / t:.2f}x | {notes[c]} |")
    lines.append("")
    print("\n".join(lines))
    if args.write:
        throughput.write("Cluster", lines, f"python bench/cluster.py --runs {args.runs} --write")


if __name__ == "__main__":
    main()
