"""Exercise: ``EmbeddingModel.forward(target_ids)`` creates the embedding matrix and looks up rows."""

from __future__ import annotations

import inspect

import numpy as np

from checks.exercise import Exercise
from checks.observing import get_variable_calls, kind_phrase, plain_number, snapshot
from checks.outcome import Mistake
from checks.registry import register

# The groups of cases, each a way target_ids may arrive (partial credit is by group).
ONE_D, TWO_D, SINGLE = "1-D ids", "2-D ids", "a single id"
NUMPY, LIST = "ids given as a NumPy array", "ids given as a Python list"


@register
class Forward(Exercise):
    name = "forward"
    notebook = "04_time_to_code"
    order = 2
    graded = True
    points = 1.0
    partial_credit = False  # True: the points are shared among the groups of ids the answer gets right
    tf_modules = (
        "tensorflow",
        "tensorflow.compat.v1",
        "tensorflow.nn",
        "tensorflow.compat.v1.nn",
        "tensorflow.python.ops.variable_scope",
        "tensorflow.python.eager.backprop",
        "tensorflow.keras.preprocessing.text",
    )
    skeleton_path = "EmbeddingModel.forward"
    skeleton = """\
# Skip-gram embedding model
class EmbeddingModel(object):
    # Model Initialization
    def __init__(self, vocab_size, embedding_dim):
        self.vocab_size = vocab_size
        self.embedding_dim = embedding_dim
        self.tokenizer = tf.keras.preprocessing.text.Tokenizer(num_words=self.vocab_size)

    # Forward run of the embedding model to retrieve embeddings
    def forward(self, target_ids):
        initializer = get_initializer(self.embedding_dim, self.vocab_size)
        # CODE HERE
        pass
"""
    expects = "your EmbeddingModel class"
    hints = (
        "After the line that is given, forward does two things: it keeps the embedding matrix on the "
        "model, as a variable that starts from the initializer's values, so training can find and change "
        "it; and it returns the rows of that matrix for target_ids.",
        "Notebook 1 made variables from a name, and notebook 2 gave one its starting values instead of a "
        "shape. Notebook 3 read rows of a matrix for a tensor of ids of any shape, with the function a "
        "gradient can flow back through.",
        "The shape of the code: one statement stores the variable in the attribute the exercise names; "
        "one returns the rows looked up in that attribute (not in the initializer tensor, which training "
        "never changes).",
    )
    solution_code = """\
    def forward(self, target_ids):
        initializer = get_initializer(self.embedding_dim, self.vocab_size)
        self.embedding_matrix = tf.compat.v1.get_variable(
            'embedding_matrix', initializer=initializer)
        embeddings = tf.compat.v1.nn.embedding_lookup(self.embedding_matrix, target_ids)
        return embeddings
"""

    def public_cases(self) -> list[dict]:
        # forward is judged with a stand-in get_initializer whose values the check chose, so a
        # mistake in the learner's get_initializer never costs forward its marks.
        rng = np.random.default_rng(2024)
        return [
            _case(rng, ONE_D, 12, 5, [3, 0, 7, 3, 11]),
            _case(rng, TWO_D, 30, 4, [[1, 2, 3], [29, 2, 2]]),
            _case(rng, NUMPY, 6, 9, [5, 5, 0, 1]),
            _case(rng, SINGLE, 50, 16, 42),
            _case(rng, LIST, 20, 6, [[4, 19], [4, 0]]),
        ]

    def draw_cases(self, rng: np.random.Generator) -> list[dict]:
        return _drawn_cases(rng, {(c["vocab_size"], c["embedding_dim"]) for c in self.public_cases()})

    def describe(self, case: dict) -> str:
        note = {NUMPY: " given as a NumPy array", LIST: " given as a Python list", SINGLE: ", a single id"}.get(
            case["group"], ""
        )
        return (
            f"target_ids={case['ids'].tolist()}{note} (vocab_size={case['vocab_size']}, "
            f"embedding_dim={case['embedding_dim']})"
        )

    def answer_problem(self, answer) -> str | None:
        if not isinstance(answer, type) or not callable(getattr(answer, "forward", None)):
            return (
                f"check() needs {self.expects} itself, as in `check(EmbeddingModel)`; it got {type(answer).__name__}."
            )
        return None

    def filled_in(self, answer):
        return answer.forward

    def observe(self, answer, case: dict, facts: dict) -> None:
        import tensorflow as tf

        namespace = answer.forward.__globals__
        had_own, own = "get_initializer" in namespace, namespace.get("get_initializer")
        calls = facts["initializer_calls"] = []
        made = []  # the tensors the stand-in returned, to see whether a gradient reaches them

        with tf.GradientTape(persistent=True) as tape:

            def stand_in(*args, **kwargs):  # sees how forward called it
                calls.append(_plain_call(args, kwargs))
                made.append(tf.constant(_initial_values(case, args, kwargs)))
                tape.watch(made[-1])
                return made[-1]

            namespace["get_initializer"] = stand_in
            try:
                with get_variable_calls() as variables_made:
                    model = answer(case["vocab_size"], case["embedding_dim"])
                    forward = self.watched(model.forward)  # what it does to target_ids counts too
                    try:
                        returned = forward(_as_given(case))
                    finally:
                        forward.record(facts)
            finally:
                if had_own:
                    namespace["get_initializer"] = own
                else:
                    del namespace["get_initializer"]
            differentiable = isinstance(returned, tf.Tensor) and returned.dtype.is_floating
            if differentiable:
                target = tf.reduce_sum(returned * _gradient_weights(case, tuple(returned.shape)))
        attribute = getattr(model, "embedding_matrix", None)
        facts.update(
            returned=snapshot(returned),
            has_attribute=hasattr(model, "embedding_matrix"),
            attribute=snapshot(attribute),
            get_variable_called=bool(variables_made),
            attribute_from_get_variable=any(result is attribute for _, _, result in variables_made),
        )
        if differentiable and isinstance(attribute, tf.Variable):
            gradients = tape.gradient(target, [attribute, *made])
            facts["gradient"] = None if gradients[0] is None else tf.convert_to_tensor(gradients[0]).numpy()
            facts["initializer_gradient"] = any(g is not None for g in gradients[1:])

    def diagnose(self, case: dict, observation: dict) -> Mistake | None:
        where, hidden = self.where(case), case.get("hidden", False)
        return (
            _diagnose_initializer_calls(case, observation, where)
            or _diagnose_matrix(observation, case["initial"], where, hidden)
            or _diagnose_embeddings(observation["returned"], case, where, hidden)
            or _diagnose_gradient(observation, case, where)
        )

    def diagnose_before_error(self, case: dict, observation: dict) -> Mistake | None:
        return _diagnose_initializer_calls(case, observation, self.where(case))


def _drawn_cases(rng: np.random.Generator, taken: set) -> list[dict]:
    """A case of each group, of sizes no case in ``taken`` (vocab_size, embedding_dim) has."""
    shapes = {
        ONE_D: lambda: (int(rng.integers(3, 10)),),
        NUMPY: lambda: (int(rng.integers(3, 10)),),
        SINGLE: lambda: (),
        TWO_D: lambda: (int(rng.integers(2, 5)), int(rng.integers(2, 6))),
        LIST: lambda: (2, int(rng.integers(2, 6))),
    }
    cases = []
    for group, shape in shapes.items():
        v, d = _fresh_sizes(rng, taken)
        taken.add((v, d))
        ids = rng.integers(0, v, shape())
        if ids.ndim:  # a repeated id, which must give its row again
            ids.flat[-1] = ids.flat[0]
        if ids.ndim and np.all(ids == ids.flat[0]):  # and another id, out of order: a reordering shows
            ids.flat[1] = (ids.flat[0] + 1) % v
        cases.append(_case(rng, group, v, d, ids.tolist()))
    return cases


def _case(rng: np.random.Generator, group: str, vocab_size: int, embedding_dim: int, ids) -> dict:
    # The stand-in get_initializer's values: any distinct ones do, and these follow no rule of
    # get_initializer's, so that nothing here draws that exercise's answer.
    initial = rng.uniform(-1.0, 1.0, (vocab_size, embedding_dim)).astype(np.float32)
    return {
        "group": group,
        "vocab_size": vocab_size,
        "embedding_dim": embedding_dim,
        "initial": initial,
        "ids": np.asarray(ids, dtype=np.int64 if group == NUMPY else np.int32),
        "gradient_seed": int(rng.integers(2**31)),
    }


def _fresh_sizes(rng: np.random.Generator, taken: set) -> tuple[int, int]:
    """(vocab_size, embedding_dim) that no case has yet, never equal, so swapped arguments show."""
    while True:
        v, d = int(rng.integers(4, 200)), int(rng.integers(2, 33))
        if (v, d) not in taken and v != d:
            return v, d


def _as_given(case: dict):
    """The case's ids in the form its group names: a NumPy array, a Python list, or a tf.Tensor."""
    import tensorflow as tf

    if case["group"] == NUMPY:
        return case["ids"].copy()  # the case's own array stays as it was, whatever forward does to its copy
    return case["ids"].tolist() if case["group"] == LIST else tf.constant(case["ids"])


def _gradient_weights(case: dict, shape: tuple) -> np.ndarray:
    """Weights of the sum whose gradient shows where the embeddings came from; diagnose makes the
    same ones to know which gradient the right rows would get."""
    return np.random.default_rng(case["gradient_seed"]).standard_normal(shape).astype(np.float32)


def _plain_call(args, kwargs) -> dict:
    """How get_initializer was called, as the names of its parameters with plain values."""
    try:
        bound = inspect.signature(_SIGNATURE).bind(*args, **kwargs)
    except TypeError as exc:
        return {"unbound": str(exc)}
    return {name: plain_number(value) for name, value in bound.arguments.items()}


def _SIGNATURE(embedding_dim, vocab_size):  # the signature of the skeleton's get_initializer
    pass


def _initial_values(case: dict, args, kwargs) -> np.ndarray:
    """What the stand-in get_initializer returns for these arguments: the case's matrix when forward
    called it as the skeleton does; otherwise a matrix of the shape those arguments ask for."""
    call = _plain_call(args, kwargs)
    if call == {"embedding_dim": case["embedding_dim"], "vocab_size": case["vocab_size"]}:
        return case["initial"]
    bound = inspect.signature(_SIGNATURE).bind(*args, **kwargs).arguments  # raises as a call would
    embedding_dim, vocab_size = int(bound["embedding_dim"]), int(bound["vocab_size"])
    rng = np.random.default_rng(case["gradient_seed"])
    return rng.uniform(-1.0, 1.0, (vocab_size, embedding_dim)).astype(np.float32)


def _diagnose_initializer_calls(case: dict, observation: dict, where: str) -> Mistake | None:
    d, v = case["embedding_dim"], case["vocab_size"]
    for call in observation["initializer_calls"]:
        if call == {"embedding_dim": d, "vocab_size": v}:
            continue
        if call == {"embedding_dim": v, "vocab_size": d}:
            return Mistake(
                "swapped-initializer-arguments",
                f"{where}, forward called get_initializer with "
                "vocab_size first and embedding_dim second: the two are swapped. get_initializer takes "
                "embedding_dim first, as the skeleton's given line calls it.",
            )
        how = (
            "with other arguments"
            if case.get("hidden") or "unbound" in call
            else "with " + ", ".join(f"{name}={value}" for name, value in call.items())
        )
        return Mistake(
            "other-initializer-arguments",
            f"{where}, forward called get_initializer {how}; expected "
            "the model's own embedding_dim and vocab_size, as the skeleton's given line passes them.",
        )
    return None


def _diagnose_matrix(observation: dict, initial: np.ndarray, where: str, hidden: bool) -> Mistake | None:
    if not observation["has_attribute"]:
        return Mistake(
            "matrix-not-stored",
            f"{where}, forward did not set self.embedding_matrix, so the model "
            "keeps no matrix that training could find; the variable is expected in that attribute.",
        )
    matrix = observation["attribute"]
    if matrix["kind"] != "variable":
        return Mistake(
            "matrix-not-a-variable",
            f"{where}, self.embedding_matrix is "
            f"{kind_phrase(matrix, with_shape=not hidden)}; expected the tf.Variable that "
            "tf.compat.v1.get_variable returns.",
        )
    if not observation["attribute_from_get_variable"]:
        how = (
            "get_variable was called, but self.embedding_matrix is not the variable it returned"
            if observation["get_variable_called"]
            else "it was not made by tf.compat.v1.get_variable"
        )
        return Mistake(
            "matrix-not-from-get-variable",
            f"{where}, self.embedding_matrix is a variable, but {how}; "
            "the exercise is about the variable tf.compat.v1.get_variable makes.",
        )
    short_name = matrix["name"].rsplit("/", 1)[-1].split(":")[0]
    if short_name != "embedding_matrix":
        return Mistake(
            "wrong-name", f"{where}, the variable is named '{short_name}'; the expected name is 'embedding_matrix'."
        )
    if not matrix["trainable"]:
        return Mistake(
            "not-trainable",
            f"{where}, the variable is not trainable, so training could never change "
            "it; an embedding matrix is expected to be trainable.",
        )
    if tuple(matrix["shape"]) != initial.shape:
        has = "another shape" if hidden else f"shape {matrix['shape']}"
        wanted = "" if hidden else f"expected {initial.shape}, "
        return Mistake(
            "matrix-wrong-shape",
            f"{where}, the variable has {has}; {wanted}the shape of the tensor get_initializer returned.",
        )
    if not np.array_equal(matrix["values"], initial):
        return Mistake(
            "matrix-not-initializer-values",
            f"{where}, the variable does not start from the values "
            "get_initializer returned, so it began somewhere else (get_variable's Glorot uniform "
            "default, when no starting values reach it); expected the initializer's values.",
        )
    return None


def _diagnose_embeddings(got: dict, case: dict, where: str, hidden: bool) -> Mistake | None:
    matrix, ids, d = case["initial"], case["ids"], case["embedding_dim"]
    if got["kind"] == "None":
        return Mistake(
            "returns-none",
            f"{where}, forward returned None, so nothing came back; expected the embeddings of target_ids.",
        )
    if got["kind"] == "variable":
        return Mistake(
            "returns-variable",
            f"{where}, forward returned the variable {got['name']} itself, the whole "
            "matrix; expected only the rows for target_ids.",
        )
    what = kind_phrase(got, with_shape=not hidden)
    if got["kind"] == "ndarray":
        return Mistake(
            "returns-numpy",
            f"{where}, forward returned {what}; a NumPy copy cuts the link gradients "
            "follow back to the matrix, so a tf.Tensor is expected.",
        )
    if got["kind"] != "tensor":
        return Mistake("not-a-tensor", f"{where}, forward returned {what}; expected a tf.Tensor of embeddings.")
    if got["dtype"] != "float32":
        return Mistake(
            "wrong-dtype", f"{where}, the embeddings have dtype {got['dtype']}; they should keep the matrix's float32."
        )
    if ids.ndim and np.array_equal(got["values"], matrix[ids].T):  # whatever the ids' shape reveals it
        return Mistake(
            "transposed-embeddings",
            f"{where}, the embeddings are transposed; expected the ids' shape first, then embedding_dim.",
        )
    if tuple(got["shape"]) != ids.shape + (d,):
        return _diagnose_shape(tuple(got["shape"]), matrix.shape, ids, d, where, hidden)
    if np.array_equal(got["values"], matrix[ids]):
        return None
    return _diagnose_rows(got["values"], matrix, ids, where, hidden)


def _diagnose_shape(shape: tuple, matrix_shape: tuple, ids: np.ndarray, d: int, where: str, hidden: bool) -> Mistake:
    expected = ids.shape + (d,)
    if shape == matrix_shape:
        return Mistake(
            "returns-whole-matrix",
            f"{where}, forward returned the whole matrix, not the rows for target_ids"
            if hidden
            else f"{where}, forward returned the whole matrix {shape}, not the rows for target_ids {expected}.",
        )
    if ids.ndim != 1 and shape == (ids.size, d):  # a single id's too: flattened, it gives one row
        return Mistake(
            "flattened-ids",
            f"{where}, the ids were flattened. The lookup keeps the ids' shape and adds "
            "embedding_dim" + ("." if hidden else f": the result has shape {shape}, expected {expected}."),
        )
    if ids.ndim >= 1 and len(shape) == 2 and shape[0] < ids.size and shape[1] == d:
        return Mistake(
            "drops-repeated-ids",
            f"{where}, you returned fewer rows than ids: a repeated id must give its "
            "row again each time"
            + ("." if hidden else f". You returned {shape[0]} rows for {ids.size} ids; expected shape {expected}."),
        )
    return Mistake(
        "wrong-shape",
        f"{where}, the embeddings do not have the shape of the ids plus embedding_dim."
        if hidden
        else f"{where}, the embeddings have shape {shape}; expected {expected} (ids' shape + embedding_dim).",
    )


def _diagnose_rows(values: np.ndarray, matrix: np.ndarray, ids: np.ndarray, where: str, hidden: bool) -> Mistake:
    flat_ids = ids.reshape(-1)
    rows = values.reshape(-1, matrix.shape[1])
    for position, (wanted, row) in enumerate(zip(flat_ids, rows)):
        if np.array_equal(row, matrix[wanted]):
            continue
        found = np.flatnonzero((matrix == row).all(axis=1))
        if found.size:
            which = (
                "for one id you returned another row of the matrix"
                if hidden
                else f"at position {position} (id {wanted}) you returned row {found[0]} of the matrix, not row {wanted}"
            )
            return Mistake("wrong-rows", f"{where}, {which}; expected row i of the matrix for id i.")
        which = "for one id" if hidden else f"at position {position} (id {wanted})"
        return Mistake(
            "not-matrix-rows",
            f"{where}, {which} the returned vector is not a row of the embedding "
            "matrix; expected row i of the matrix for id i.",
        )
    return Mistake("wrong-values", f"{where}, the embeddings differ from the rows of the matrix at target_ids.")


def _diagnose_gradient(observation: dict, case: dict, where: str) -> Mistake | None:
    """The right values are not enough: training needs them to come from self.embedding_matrix, so
    that the gradient of the embeddings reaches exactly the rows that were looked up."""
    gradient = observation.get("gradient")
    if gradient is None:
        source = (
            "in the initializer tensor"
            if observation.get("initializer_gradient")
            else "in a copy of its values (a NumPy array from .numpy(), a tf.constant, another variable)"
        )
        return Mistake(
            "lookup-not-in-variable",
            f"{where}, the embeddings have the right values, but they were "
            f"looked up {source}, not in self.embedding_matrix: no gradient reaches the variable, so "
            "training would never change it.",
        )
    ids, d = case["ids"], case["embedding_dim"]
    expected = np.zeros(case["initial"].shape, np.float32)
    np.add.at(expected, ids.reshape(-1), _gradient_weights(case, ids.shape + (d,)).reshape(-1, d))
    if gradient.shape == expected.shape and np.allclose(gradient, expected, rtol=1e-5, atol=1e-6):
        return None
    return Mistake(
        "gradient-misses-rows",
        f"{where}, the embeddings have the right values, but their gradient "
        "does not reach exactly the looked-up rows of self.embedding_matrix, so training would change "
        "other rows than the ones it read.",
    )
