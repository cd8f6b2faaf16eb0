"""How often the checks of random draws (uniform_with_std, get_initializer) fail a right answer:
measured, and compared with the rates checks/random_values.py states beside each threshold.

    python benchmarks/random_draws_false_alarms.py [--secrets 300] [--trials 200000] [--exercise NAME]

For each exercise:

1. The real check: the reference answer through ``observe_all`` and ``decide`` on the public cases and
   the hidden ones of ``--secrets`` secrets (other shapes, sizes and seeds each time), with TensorFlow's
   own draws. It counts the runs that did not pass, and keeps the statistics of each large hidden case
   (the public ones are the same in every run).
2. The statistics alone, on ``--trials`` fair float32 samples of the smallest size a case judges
   statistically, made as tf.random.uniform makes them (23 random bits scaled into [-a, a)), with
   NumPy, which is fast enough for the far tail; each sample also goes through the exercise's own
   judging of values, which must pass it.

For each it prints how often each statistic passes some thresholds, next to the probability theory
gives: the Kolmogorov distribution's upper and lower tails (times sqrt(n)), the gap at either end of the
range (in average spacings: 1 - (1 - exp(-g))**2; get_initializer does not judge it), and the neighbours'
correlation along each axis (times sqrt(pairs): the normal's two tails). Where the measured tails follow
theory, the checks' thresholds fail a right answer with the probability theory gives there, far too rare
to observe; the stated rate of a whole check is printed last. Nothing is asserted: it is a measurement.
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np

#: exercise -> (the shape of the smallest case judged by statistics, the values' bound for it)
SIMULATED = {
    "uniform_with_std": ((4000,), math.sqrt(3) * 0.1),
    "get_initializer": ((250, 8), 0.5 / 8),
}


def statistics(values: np.ndarray, a: float) -> tuple[float, float, list]:
    """sqrt(n) times the Kolmogorov-Smirnov statistic, the larger gap at an end (in average spacings),
    and z, the neighbours' correlation times sqrt(pairs), along each axis judged."""
    from checks.random_values import ks_to_uniform, neighbour_correlations

    n = values.size
    ks = ks_to_uniform(values, -a, a) * math.sqrt(n)
    gap = max(float(values.min()) + a, a - float(values.max())) * n / (2 * a)
    return ks, gap, [found for _, found, _ in neighbour_correlations(values)]


def tails(found: list) -> None:
    from checks.random_values import (
        GAP_IN_AVERAGE_SPACINGS,
        KS_CRITICAL,
        KS_TOO_EVEN,
        NEIGHBOUR_CORRELATION,
        gap_false_alarm,
        ks_false_alarm,
        ks_too_even_false_alarm,
        normal_false_alarm,
    )

    ks, gaps = np.array([row[0] for row in found]), np.array([row[1] for row in found])
    z = np.abs(np.concatenate([row[2] for row in found]))  # every axis's, pooled
    print(f"  {'statistic':<28} {'measured':>10} {'theory':>10}")
    for x in (1.0, 1.36, 1.63, 1.95, 2.4, KS_CRITICAL):
        print(f"  {f'sqrt(n) KS > {x}':<28} {np.mean(ks > x):>10.2e} {ks_false_alarm(x):>10.2e}")
    for x in (0.6, 0.5, 0.4, 0.3, KS_TOO_EVEN):
        print(f"  {f'sqrt(n) KS < {x}':<28} {np.mean(ks < x):>10.2e} {ks_too_even_false_alarm(x):>10.2e}")
    for g in (1, 3, 6, 9, 12, GAP_IN_AVERAGE_SPACINGS):
        print(f"  {f'gap > {g} spacings':<28} {np.mean(gaps > g):>10.2e} {gap_false_alarm(g):>10.2e}")
    for x in (1.96, 2.58, 3.29, 3.89, 4.42, NEIGHBOUR_CORRELATION):
        print(f"  {f'|z| along an axis > {x}':<28} {np.mean(z > x):>10.2e} {normal_false_alarm(x):>10.2e}")
    print(
        f"  largest seen: sqrt(n) KS {ks.max():.3f} (bound {KS_CRITICAL}), smallest {ks.min():.3f} (bound "
        f"{KS_TOO_EVEN}), gap {gaps.max():.2f} (bound {GAP_IN_AVERAGE_SPACINGS}), |z| {z.max():.2f} "
        f"(bound {NEIGHBOUR_CORRELATION})"
    )


def real_check(name: str, secrets: int) -> None:
    import tensorflow as tf

    import checks

    exercise = checks.EXERCISES[name]
    module = __import__(type(exercise).__module__, fromlist=["_MIN_VALUES_FOR_STATISTICS"])
    namespace = {"np": np, "tf": tf}
    exec(exercise.solution_code, namespace)  # the reference answer, as the exercise declares it
    reference = namespace[exercise.answer_name]

    failed, rows, cases = 0, [], []
    start = time.perf_counter()
    for number in range(secrets):
        cases = exercise.cases(f"false-alarm-{number}")
        report = exercise.observe_all(reference, cases)
        failed += not exercise.decide(report, cases).passed
        for case, observation in zip(cases, report["observations"]):
            values = observation["returned"]["values"]
            if case.get("hidden") and values.size >= module._MIN_VALUES_FOR_STATISTICS:
                a = math.sqrt(3) * case["std"] if "std" in case else 0.5 / case["embedding_dim"]
                rows.append(statistics(values, np.float32(a)))
    seconds = time.perf_counter() - start
    print(
        f"1. {name}, the real check, reference answer, {secrets} runs of {len(cases)} cases "
        f"({len(rows)} large hidden cases): {failed} failed; {seconds / max(secrets, 1):.3f} s a run"
    )
    tails(rows)


def simulated(name: str, trials: int) -> None:
    import checks

    exercise = checks.EXERCISES[name]
    module = __import__(type(exercise).__module__, fromlist=["_diagnose_values"])
    shape, a = SIMULATED[name]
    a = np.float32(a)
    rng = np.random.default_rng(20270101)
    rows, failed = [], 0
    for _ in range(trials):
        values = rng.integers(0, 2**23, shape).astype(np.float32) / np.float32(2**23) * (a - -a) + -a
        rows.append(statistics(values, a))
        if name == "uniform_with_std":
            failed += module._diagnose_values(values, 0.1, "", hidden=False) is not None
        else:
            failed += module._diagnose_values(values, shape[1], shape[0], "", hidden=False) is not None
    print(f"2. {name}, the statistics alone, {trials} fair samples of shape {shape}: {failed} failed")
    tails(rows)


def stated(name: str) -> None:
    import checks
    from checks.random_values import false_alarm_per_case

    exercise = checks.EXERCISES[name]
    module = __import__(type(exercise).__module__, fromlist=["_MIN_VALUES_FOR_STATISTICS"])
    cases = exercise.cases("any secret")
    sizes = [math.prod(c["shape"]) if "shape" in c else c["vocab_size"] * c["embedding_dim"] for c in cases]
    large = sum(n >= module._MIN_VALUES_FOR_STATISTICS for n in sizes)
    rate = large * false_alarm_per_case(ends=name == "uniform_with_std")
    signs = getattr(module, "_MIN_VALUES_FOR_SIGNS", None)
    if signs:
        rate += sum(2 * 2.0**-n for n in sizes if signs <= n < module._MIN_VALUES_FOR_STATISTICS)
    print(f"3. {name}: stated rate of failing a right answer, a whole check of {len(cases)} cases: {rate:.2e}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--secrets", type=int, default=300)
    parser.add_argument("--trials", type=int, default=200_000)
    parser.add_argument("--exercise", choices=sorted(SIMULATED), action="append")
    args = parser.parse_args()
    from checks.environment import prepare

    prepare(seed=0)
    for name in args.exercise or sorted(SIMULATED):
        if args.secrets:
            real_check(name, args.secrets)
        if args.trials:
            simulated(name, args.trials)
        stated(name)


if __name__ == "__main__":
    main()
