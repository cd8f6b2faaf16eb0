"""How often the uniform_with_std check fails a right answer: measured, and compared with theory.

    python benchmarks/uniform_with_std_false_alarms.py [--secrets 300] [--trials 200000]

1. The real check: the reference answer through ``observe_all`` and ``decide`` on the public cases and
   the hidden ones of ``--secrets`` secrets (other shapes, stds and seeds each time), with TensorFlow's
   own draws. It counts the runs that did not pass, and keeps the two statistics of each large hidden
   case (the public ones are the same in every run).
2. The statistics alone, on ``--trials`` fair float32 samples of the smallest size a case judges
   (4,000 values), made as tf.random.uniform makes them (23 random bits scaled into [-a, a)), with
   NumPy, which is fast enough for the far tail.

For each it prints how often the Kolmogorov-Smirnov statistic (times sqrt(n)) and the larger gap at an
end of the range (in average spacings) exceed some thresholds, next to the probability theory gives:
the Kolmogorov distribution's tail, and exp(-g) for one end's gap (so 1 - (1 - exp(-g))**2, about
2 exp(-g), for either). Where the measured tails follow theory, the check's thresholds (3.0 and 20)
fail a right answer with the probability theory gives there, far too rare to observe. Nothing is
asserted: it is a measurement.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np


def tails(ks: np.ndarray, gaps: np.ndarray) -> None:
    from checks.random_values import ks_false_alarm

    print(f"  {'sqrt(n) KS >':>14} {'measured':>10} {'theory':>10}")
    for x in (1.0, 1.36, 1.63, 1.95, 2.2, 2.4, 3.0):
        print(f"  {x:>14} {np.mean(ks > x):>10.2e} {ks_false_alarm(x):>10.2e}")
    print(f"  {'gap (spacings) >':>16} {'measured':>8} {'theory':>10}")
    for g in (1, 3, 6, 9, 12, 20):
        print(f"  {g:>16} {np.mean(gaps > g):>8.2e} {1 - (1 - math.exp(-g)) ** 2:>10.2e}")
    print(f"  largest seen: sqrt(n) KS {ks.max():.3f} (check's bound 3.0), gap {gaps.max():.2f} (check's bound 20)")


def real_check(secrets: int) -> None:
    from checks.environment import prepare

    prepare(seed=0)
    import tensorflow as tf

    import checks
    from checks.exercises import uniform_with_std as module
    from checks.random_values import ks_to_uniform

    exercise = checks.uniform_with_std
    namespace = {"np": np, "tf": tf}
    exec(exercise.solution_code, namespace)  # the reference answer, as the exercise declares it
    reference = namespace[exercise.answer_name]

    failed, runs, ks, gaps = 0, 0, [], []
    start = time.perf_counter()
    for number in range(secrets):
        cases = exercise.cases(f"false-alarm-{number}")
        report = exercise.observe_all(reference, cases)
        runs += 1
        failed += not exercise.decide(report, cases).passed
        for case, observation in zip(cases, report["observations"]):
            values = observation["returned"]["values"]
            if case.get("hidden") and values.size >= module._MIN_VALUES_FOR_STATISTICS:
                a = np.float32(module._bound(case["std"]))
                ks.append(ks_to_uniform(values, -a, a) * math.sqrt(values.size))
                gaps.append(max(values.min() + a, a - values.max()) * values.size / (2 * a))
    seconds = time.perf_counter() - start
    print(
        f"1. The real check, reference answer, {runs} runs of {len(cases)} cases "
        f"({len(ks)} large hidden cases): {failed} failed; {seconds / runs:.3f} s a run"
    )
    tails(np.array(ks), np.array(gaps))


def simulated(trials: int) -> None:
    from checks.exercises import uniform_with_std as module
    from checks.random_values import ks_to_uniform

    rng = np.random.default_rng(20270101)
    n, a = module._MIN_VALUES_FOR_STATISTICS, np.float32(module._bound(0.1))
    ks, gaps, failed = np.empty(trials), np.empty(trials), 0
    for t in range(trials):
        values = rng.integers(0, 2**23, n).astype(np.float32) / np.float32(2**23) * (a - -a) + -a
        ks[t] = ks_to_uniform(values, -a, a) * math.sqrt(n)
        gaps[t] = max(values.min() + a, a - values.max()) * n / (2 * a)
        failed += module._diagnose_values(values, 0.1, "", hidden=False) is not None
    print(f"2. The statistics alone, {trials} fair samples of {n} values: {failed} failed")
    tails(ks, gaps)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--secrets", type=int, default=300)
    parser.add_argument("--trials", type=int, default=200_000)
    args = parser.parse_args()
    if args.secrets:
        real_check(args.secrets)
    if args.trials:
        simulated(args.trials)


if __name__ == "__main__":
    main()
